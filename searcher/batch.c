/*
 * batch.c — passim-search --batch: answer a file of queries against one open
 * index, print each query's results in input order (text, JSON Lines or TREC
 * run lines), and end with a summary, plus the run's metrics when qrels are
 * given. The metrics themselves are eval.c's, their tables report.c's.
 *
 * Threads (--jobs N): each worker has its own engine (a Xapian handle and a
 * text analyzer: neither may be shared between threads; the shim's error
 * text is thread-local) and takes the next unanswered query. A query's whole
 * output is formatted into its own buffers; the main thread prints them in
 * input order as they complete, so the output does not depend on N. What the
 * threads share is read-only (the options, the query texts) or guarded by
 * the batch lock (the next query to take, the "done" flags).
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "eval.h"
#include "lines.h"
#include "searcher.h"
#include "terms.h"

/* One line of the query file, and what answering it produced. */
typedef struct batch_query {
    unsigned line;             /* 1-based line in the file */
    char *qid;                 /* the query id (owned) */
    char *text;                /* the query (owned) */
    const char *bad;           /* why the line itself is refused (static), or NULL */
    /* Filled by whoever answers it, read by the main thread once done. */
    text_buf_t out;            /* what goes to stdout */
    text_buf_t err;            /* what goes to stderr */
    srch_trec_list_t ranking;  /* the TREC ranking (TREC output or qrels) */
    bool failed;
    bool ran;                  /* searched (latency is meaningful) */
    size_t n_hits;
    bool past_offset;          /* results, all before --offset */
    double ms;                 /* latency */
    bool done;
} batch_query_t;

typedef struct batch {
    const srch_batch_opts_t *o;
    const char *name;          /* the query file as named in messages */
    batch_query_t *q;
    size_t n;
    bool need_ranking;
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    size_t next;               /* the next query to take (under lock) */
} batch_t;

typedef struct worker {
    batch_t *b;
    srch_engine_t e;
    pthread_t thread;
} worker_t;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void write_buf(const text_buf_t *b, FILE *f)
{
    if (b->len)
        fwrite(b->data, 1, b->len, f);
}

/* ---- reading the query file ----------------------------------------------- */

/* Past the white space that opens s, as it parts a qrels or run line's
 * fields (srch_white_space_len(): no-break and other Unicode spaces too). */
static const char *past_space(const char *s)
{
    size_t n;
    while ((n = srch_white_space_len(s)) > 0)
        s += n;
    return s;
}

/* Cut line (no line end) into id and query. Sets q->bad for a line whose id
 * cannot be a TREC field; the line still counts, as a failed query. */
static bool split_line(batch_query_t *q, char *line, unsigned line_no)
{
    char *tab = strchr(line, '\t');
    q->line = line_no;
    if (tab) {
        *tab = '\0';
        char *id = line, *end = tab;
        while (*id == ' ')
            id++;
        while (end > id && end[-1] == ' ')
            *--end = '\0';
        /* Both read as the file is where it could not be decoded as a
         * whole (a NUL byte in it): a Latin-1 id as a Latin-1 query. */
        q->qid = text_utf8_strdup(id);
        q->text = text_utf8_strdup(tab + 1);
        if (q->qid && !*q->qid)
            q->bad = "the query id before the tab is empty";
        else if (q->qid && !text_token_ok(q->qid))
            q->bad = "bad query id (white space or control characters in it)";
    } else {
        char num[24];
        snprintf(num, sizeof num, "%u", line_no);
        q->qid = strdup(num);
        q->text = text_utf8_strdup(line);
    }
    return q->qid && q->text;
}

static void free_queries(batch_query_t *q, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(q[i].qid);
        free(q[i].text);
        text_buf_free(&q[i].out);
        text_buf_free(&q[i].err);
        srch_trec_list_free(&q[i].ranking);
    }
    free(q);
}

/* Add the query on one line. A comment ('#' first, after any blanks, the
 * blanks of a blank line) and a blank line hold none. */
static bool add_query(batch_t *b, size_t *cap, const text_line_t *line)
{
    const char *first = past_space(line->text);
    if (!line->nul && (*first == '#' || *first == '\0'))
        return true;
    batch_query_t *grown = text_grow(b->q, cap, b->n + 1, sizeof *grown);
    if (!grown)
        return false;
    b->q = grown;
    batch_query_t *q = &b->q[b->n++];
    memset(q, 0, sizeof *q);
    if (!line->nul)
        return split_line(q, line->text, line->no);
    /* A line with a NUL byte is not searched, but reported whole: each NUL
     * shown as U+FFFD, not cutting the query (or its id) short. */
    text_buf_t whole = TEXT_BUF_INIT;
    bool ok = text_buf_puts(&whole, "");
    for (size_t i = 0; ok && i < line->len; i++)
        ok = line->text[i] ? text_buf_putc(&whole, line->text[i])
                           : text_buf_puts(&whole, "\xEF\xBF\xBD");
    ok = ok && split_line(q, whole.data, line->no);
    text_buf_free(&whole);
    q->bad = "a NUL byte in the line (is the file text?)";
    return ok;
}

/* Read every query of f (lines.h: decoded as articles are). Returns false
 * (with a message printed) on failure. */
static bool read_queries(batch_t *b, FILE *f)
{
    text_lines_t lines;
    if (!text_lines_read(&lines, f)) {
        fprintf(stderr, "passim-search: %s: cannot read: %s\n", b->name, strerror(errno));
        text_lines_free(&lines);
        return false;
    }
    size_t cap = 0;
    bool ok = true;
    text_line_t line;
    while (ok && text_lines_next(&lines, &line))
        ok = add_query(b, &cap, &line);
    text_lines_free(&lines);
    if (!ok)
        fputs("passim-search: out of memory\n", stderr);
    return ok;
}

static int qid_ptr_cmp(const void *pa, const void *pb)
{
    const batch_query_t *a = *(const batch_query_t *const *)pa;
    const batch_query_t *b = *(const batch_query_t *const *)pb;
    int c = strcmp(a->qid, b->qid);
    return c ? c : (a->line < b->line ? -1 : a->line > b->line);
}

/* The message of query q (its file, line and id, the id fit for a terminal:
 * it is the file's, escape sequences and all) into b. False if memory ran out. */
static bool query_message(text_buf_t *b, const batch_t *bt, const batch_query_t *q,
                          const char *what)
{
    return text_buf_printf(b, "passim-search: %s:%u: %s", bt->name, q->line, what)
           && text_safe_append(b, q->qid, strlen(q->qid), true);
}

/* A query id given twice would make one ranking of two queries, with the same
 * article listed twice: an error for a TREC run or an evaluation (fatal),
 * a warning otherwise, for every line that repeats an id, in the order of
 * the file. The number of such lines is returned; -1 if memory ran out. */
static long check_repeated_ids(const batch_t *b, bool fatal)
{
    if (b->n < 2)
        return 0;
    const batch_query_t **v = malloc(b->n * sizeof *v);
    unsigned *first = calloc(b->n, sizeof *first); /* by query: the line its id was first on */
    text_buf_t msg = TEXT_BUF_INIT;
    long n = 0;
    bool ok = v && first;
    if (ok) {
        size_t n_good = 0;
        for (size_t i = 0; i < b->n; i++)
            if (!b->q[i].bad) /* a bad line (a bad id, say) is no query: no ranking */
                v[n_good++] = &b->q[i];
        qsort(v, n_good, sizeof *v, qid_ptr_cmp); /* by id, then line */
        for (size_t i = 1, run = 0; i < n_good; i++) {
            if (strcmp(v[run]->qid, v[i]->qid) != 0)
                run = i;
            else
                first[v[i] - b->q] = v[run]->line;
        }
    }
    for (size_t i = 0; ok && i < b->n; i++) {
        if (!first[i])
            continue;
        text_buf_clear(&msg);
        ok = query_message(&msg, b, &b->q[i], fatal ? "query id " : "warning: query id ")
             && text_buf_printf(&msg, " already given on line %u%s\n", first[i],
                                fatal ? "; a TREC run and an evaluation need one query per id" : "");
        if (ok)
            fputs(msg.data, stderr);
        n++;
    }
    if (!ok) {
        fputs("passim-search: out of memory\n", stderr);
        n = -1;
    }
    text_buf_free(&msg);
    free(first);
    free(v);
    return n;
}

/* ---- answering one query -------------------------------------------------- */

/* Whether a message would show id as nothing: it is empty, or made only of
 * what text_safe_append() leaves out (escape sequences, control characters). */
static bool shows_as_nothing(const char *id)
{
    text_buf_t shown = TEXT_BUF_INIT;
    bool nothing = text_safe_append(&shown, id, strlen(id), true) && shown.len == 0;
    text_buf_free(&shown);
    return nothing;
}

static void query_failed(const batch_t *b, batch_query_t *q, const char *why)
{
    q->failed = true;
    q->n_hits = 0;
    text_buf_clear(&q->out);
    srch_trec_list_free(&q->ranking);
    if (shows_as_nothing(q->qid))
        text_buf_printf(&q->err, "passim-search: %s:%u: %s\n", b->name, q->line, why);
    else if (query_message(&q->err, b, q, "query "))
        text_buf_printf(&q->err, ": %s\n", why);
    /* JSON Lines keep a line for it, so that a reader can tell a query that
     * failed from one that is missing. */
    if (b->o->print.format == SRCH_FMT_JSON && !b->o->metrics_only) {
        text_buf_t *o = &q->out;
        (void)(text_buf_puts(o, "{\"qid\": ") && srch_json_string(o, q->qid, strlen(q->qid))
               && text_buf_puts(o, ", \"query\": ")
               && srch_json_string(o, q->text ? q->text : "", q->text ? strlen(q->text) : 0)
               && text_buf_puts(o, ", \"error\": ") && srch_json_string(o, why, strlen(why))
               && text_buf_puts(o, "}\n"));
    }
}

/* The hits of ranking l, in its order, ranked from offset + 1: shallow copies
 * of r's (free only the array); NULL if memory ran out. */
static srch_hit_t *ranked_hits(const srch_trec_list_t *l, const srch_result_t *r,
                               uint32_t offset)
{
    srch_hit_t *v = malloc((l->n ? l->n : 1) * sizeof *v);
    for (size_t k = 0; v && k < l->n; k++) {
        size_t lo = 0, hi = r->n_hits; /* hits are in rank order */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (r->hits[mid].rank < l->docs[k].xapian_rank)
                lo = mid + 1;
            else
                hi = mid;
        }
        v[k] = r->hits[lo < r->n_hits ? lo : r->n_hits - 1];
        v[k].rank = offset + (uint32_t)k + 1;
    }
    return v;
}

/*
 * Run q for a TREC ranking (TREC output or --qrels) into *r and q->ranking,
 * the page --offset and --limit ask for. A scorer ranks ties by docid, not in
 * the search's order, so the hits tied (as printed) at the end of the page
 * are all fetched before the page is cut: else which of them make it would
 * depend on --limit, and -n 10 would not be the start of -n 1000. *ok is set
 * to false when memory ran out.
 */
static srch_run_status_t run_ranked(const batch_t *b, srch_engine_t *e, batch_query_t *q,
                                    srch_result_t *r, srch_error_t *err, bool *ok)
{
    const srch_batch_opts_t *o = b->o;
    const bool passages = o->level == SRCH_LEVEL_PASSAGE;
    const size_t want = (size_t)o->settings.offset + o->settings.limit;
    srch_settings_t s = o->settings;
    s.offset = 0;
    s.limit = want + 1 < UINT32_MAX ? (uint32_t)(want + 1) : UINT32_MAX;
    for (;;) {
        srch_run_status_t rs = srch_run(e, q->text, &s, r, err);
        if (rs != SRCH_RUN_OK)
            return rs;
        srch_trec_list_free(&q->ranking);
        if (!srch_trec_list_build(&q->ranking, r->hits, r->n_hits, passages)) {
            *ok = false;
            srch_result_free(r);
            return SRCH_RUN_ERROR;
        }
        const srch_trec_list_t *l = &q->ranking;
        bool all_fetched = r->n_hits < s.limit || s.limit == UINT32_MAX;
        bool cut_clear = l->n > want && l->docs[l->n - 1].score < l->docs[want - 1].score;
        if (all_fetched || cut_clear)
            break;
        srch_result_free(r);
        s.limit = s.limit < UINT32_MAX / 2 ? s.limit * 2 : UINT32_MAX;
    }
    srch_trec_list_window(&q->ranking, o->settings.offset, o->settings.limit);
    return SRCH_RUN_OK;
}

static void answer(const batch_t *b, srch_engine_t *e, batch_query_t *q)
{
    const srch_batch_opts_t *o = b->o;
    if (q->bad) {
        query_failed(b, q, q->bad);
        return;
    }
    double t0 = now_ms();
    srch_result_t r;
    srch_error_t err;
    bool ok = true;
    srch_run_status_t rs = b->need_ranking ? run_ranked(b, e, q, &r, &err, &ok)
                                           : srch_run(e, q->text, &o->settings, &r, &err);
    if (rs != SRCH_RUN_OK) {
        query_failed(b, q, ok ? err.message : "out of memory");
        return;
    }
    /* A ranked run may have fetched beyond the page: show the page. */
    size_t first = 0, n_page = r.n_hits;
    if (b->need_ranking) {
        first = o->settings.offset < r.n_hits ? o->settings.offset : r.n_hits;
        n_page = r.n_hits - first < o->settings.limit ? r.n_hits - first : o->settings.limit;
    }
    /* JSON carries the query's explanation in its object, text under its
     * header; TREC lines have no room for it. */
    bool json = o->print.format == SRCH_FMT_JSON && !o->metrics_only;
    bool text = o->print.format == SRCH_FMT_TEXT && !o->metrics_only;
    q->ran = true;
    /* What the query found: the hits shown, or the ranking's page (TREC
     * lines, metrics), whose articles listed twice by several indexes are
     * there once. */
    q->n_hits = b->need_ranking && !json && !text ? q->ranking.n : n_page;
    q->past_offset = o->settings.offset > 0 && q->n_hits == 0 && r.total > 0;
    if (r.explain.len && !json && !text)
        ok = text_safe_append(&q->err, r.explain.data, r.explain.len, false);
    if (ok && !o->metrics_only) {
        if (o->print.format == SRCH_FMT_TREC) {
            ok = srch_trec_print(&q->out, &q->ranking, (size_t)o->settings.offset + 1, q->qid,
                                 o->run_tag);
        } else {
            srch_print_opts_t po = o->print;
            po.articles = o->level == SRCH_LEVEL_DOC;
            po.units = r.units;
            po.n_units = r.n_units;
            po.some_words = r.relaxed;
            po.total_exact = r.total_exact;
            if ((json || text) && r.explain.len) {
                po.explain = r.explain.data;
                po.explain_len = r.explain.len;
            }
            if (b->need_ranking) {
                /* What is scored is what is shown, in the order it is scored. */
                srch_hit_t *shown = ranked_hits(&q->ranking, &r, o->settings.offset);
                ok = shown && srch_print_hits(&q->out, &po, q->qid, q->text, r.total, shown,
                                              q->ranking.n);
                free(shown);
            } else {
                ok = srch_print_hits(&q->out, &po, q->qid, q->text, r.total, r.hits + first,
                                     n_page);
            }
        }
    }
    srch_result_free(&r);
    q->ms = now_ms() - t0;
    if (!ok)
        query_failed(b, q, "out of memory");
}

/* Take queries until none is left; each is marked done for the printer. */
static void *worker_main(void *payload)
{
    worker_t *w = payload;
    batch_t *b = w->b;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t i = b->next++;
        pthread_mutex_unlock(&b->lock);
        if (i >= b->n)
            break;
        answer(b, &w->e, &b->q[i]);
        pthread_mutex_lock(&b->lock);
        b->q[i].done = true;
        pthread_cond_broadcast(&b->done_cond);
        pthread_mutex_unlock(&b->lock);
    }
    return NULL;
}

/* ---- the batch ------------------------------------------------------------ */

static int double_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

/* The summary: counts, throughput, and latency of the queries that ran. */
static void print_summary(const batch_t *b, size_t n_failed, size_t n_found, double wall_ms,
                          unsigned jobs)
{
    double *ms = malloc((b->n ? b->n : 1) * sizeof *ms);
    size_t n_ran = 0;
    for (size_t i = 0; ms && i < b->n; i++)
        if (b->q[i].ran)
            ms[n_ran++] = b->q[i].ms;
    double secs = wall_ms / 1e3;
    fprintf(stderr, "passim-search: %zu quer%s, %zu failed, %zu with results; %.2f s, "
                    "%.1f queries/s (%u job%s)\n",
            b->n, b->n == 1 ? "y" : "ies", n_failed, n_found, secs,
            secs > 0 ? (double)b->n / secs : 0.0, jobs, jobs == 1 ? "" : "s");
    size_t n_past = 0;
    for (size_t i = 0; i < b->n; i++)
        n_past += b->q[i].past_offset;
    if (n_past)
        fprintf(stderr, "passim-search: %zu quer%s had results, all before --offset %u\n",
                n_past, n_past == 1 ? "y" : "ies", b->o->settings.offset);
    if (n_ran) {
        qsort(ms, n_ran, sizeof *ms, double_cmp);
        double median = n_ran % 2 ? ms[n_ran / 2] : (ms[n_ran / 2 - 1] + ms[n_ran / 2]) / 2;
        size_t k95 = (size_t)ceil(0.95 * (double)n_ran); /* nearest rank */
        fprintf(stderr, "passim-search: latency per query: median %.2f ms, p95 %.2f ms\n",
                median, ms[k95 ? k95 - 1 : 0]);
    }
    free(ms);
}

/* The progress line: "passim-search: FILE: 120/5000 queries", drawn at most
 * every PROGRESS_EVERY_MS, and in auto mode only after PROGRESS_AFTER_MS. */
#define PROGRESS_EVERY_MS 100.0
#define PROGRESS_AFTER_MS 500.0

typedef struct progress {
    bool on;
    bool shown;                /* a line is on the terminal */
    double next_ms;            /* when to draw next */
} progress_t;

static void progress_init(progress_t *p, srch_progress_t mode)
{
    p->on = mode == SRCH_PROGRESS_ALWAYS
            || (mode == SRCH_PROGRESS_AUTO && isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO));
    p->shown = false;
    p->next_ms = now_ms() + (mode == SRCH_PROGRESS_ALWAYS ? 0 : PROGRESS_AFTER_MS);
}

static void progress_clear(progress_t *p)
{
    if (p->shown) {
        fputs("\r\033[K", stderr);
        p->shown = false;
    }
}

static void progress_show(progress_t *p, const batch_t *b, size_t done)
{
    double t;
    if (!p->on || (t = now_ms()) < p->next_ms)
        return;
    p->next_ms = t + PROGRESS_EVERY_MS;
    p->shown = true;
    fprintf(stderr, "\r\033[Kpassim-search: %s: %zu/%zu queries", b->name, done, b->n);
    fflush(stderr);
}

/* Start up to n_workers threads; returns how many started (0: answer in the
 * main thread). */
static unsigned start_workers(worker_t *w, unsigned n_workers)
{
    unsigned started = 0;
    if (n_workers < 2)
        return 0;
    for (; started < n_workers; started++)
        if (pthread_create(&w[started].thread, NULL, worker_main, &w[started]) != 0)
            break;
    return started;
}

/* Answer and print every query, in input order; returns false if memory ran
 * out while recording the run for the metrics. */
static bool run_all(batch_t *b, worker_t *w, unsigned jobs, srch_eval_run_t *run,
                    size_t *n_failed, size_t *n_found)
{
    const srch_batch_opts_t *o = b->o;
    unsigned started = start_workers(w, jobs);
    bool ok = true;
    progress_t progress;
    progress_init(&progress, o->progress);
    for (size_t i = 0; i < b->n; i++) {
        batch_query_t *q = &b->q[i];
        if (started) {
            pthread_mutex_lock(&b->lock);
            while (!q->done)
                pthread_cond_wait(&b->done_cond, &b->lock);
            pthread_mutex_unlock(&b->lock);
        } else {
            answer(b, &w[0].e, q);
        }
        if (q->err.len)
            progress_clear(&progress);
        write_buf(&q->err, stderr);
        write_buf(&q->out, stdout);
        if (o->print.format == SRCH_FMT_TEXT && !o->metrics_only && !q->failed && q->n_hits == 0)
            fputc('\n', stdout); /* the header of an empty query still stands apart */
        *n_failed += q->failed;
        *n_found += q->n_hits > 0;
        for (size_t k = 0; run && ok && k < q->ranking.n; k++)
            ok = srch_eval_run_add(run, q->qid, q->ranking.docs[k].id, q->ranking.docs[k].score);
        /* Done with it: keep only what the summary needs. */
        text_buf_free(&q->out);
        text_buf_free(&q->err);
        srch_trec_list_free(&q->ranking);
        free(q->text);
        q->text = NULL;
        progress_show(&progress, b, i + 1);
    }
    progress_clear(&progress);
    for (unsigned k = 0; k < started; k++)
        pthread_join(w[k].thread, NULL);
    if (!ok)
        fputs("passim-search: out of memory\n", stderr);
    return ok;
}

/* Score the run and print the tables: stdout with --metrics-only, else stderr. */
static bool report_metrics(const srch_batch_opts_t *o, const srch_qrels_t *qrels,
                           const srch_eval_run_t *run)
{
    srch_eval_result_t res;
    text_buf_t b = TEXT_BUF_INIT;
    if (!srch_eval_score(&res, qrels, run) || !srch_eval_report(&b, &res, o->per_query)) {
        srch_eval_result_free(&res);
        text_buf_free(&b);
        fputs("passim-search: out of memory\n", stderr);
        return false;
    }
    write_buf(&b, o->metrics_only ? stdout : stderr);
    srch_eval_warn(stderr, &res, "this run", o->qrels);
    srch_eval_warn_bom(stderr, o->qrels, srch_qrels_had_bom(qrels));
    srch_eval_result_free(&res);
    text_buf_free(&b);
    return true;
}

static bool open_queries(batch_t *b, const char *path)
{
    bool is_stdin = strcmp(path, "-") == 0;
    b->name = is_stdin ? "(standard input)" : path;
    FILE *f = is_stdin ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "passim-search: %s: cannot read: %s\n", path, strerror(errno));
        return false;
    }
    bool ok = read_queries(b, f);
    if (!is_stdin)
        fclose(f);
    return ok;
}

/* Whether docid is the id of an article of e's index (its first
 * passage holds the id term). */
static bool has_article(srch_engine_t *e, const char *docid)
{
    text_buf_t term = TEXT_BUF_INIT;
    uint32_t n = 0;
    bool found = *docid && text_key_term(&term, PASSIM_PREFIX_DOCID, docid, "")
                 && xs_db_termfreq(e->db, term.data, term.len, &n) == XS_OK && n > 0;
    text_buf_free(&term);
    return found;
}

/* Whether id ("rep#3") can only be an article's id: the index has an
 * article of that id, and none of the id before its '#' ("rep"), whose
 * passage it would be. */
static bool only_article(const char *id, void *arg)
{
    const char *hash = strrchr(id, '#');
    if (!hash || !has_article(arg, id))
        return false;
    char *before = strndup(id, (size_t)(hash - id));
    bool only = before && !has_article(arg, before);
    free(before);
    return only;
}

/* With --level passage, whether every id qrels judges is a passage's: a
 * judgement of an article could never match, and its query would score 0,
 * which looks like a result. Says which is not, if one is not. */
static bool judges_passages(const srch_batch_opts_t *o, const srch_qrels_t *qrels,
                            srch_engine_t *e)
{
    const char *qid, *article = srch_qrels_first_article(qrels, only_article, e, &qid);
    if (article == NULL)
        return true;
    text_buf_t shown = TEXT_BUF_INIT;
    bool ok = text_buf_printf(&shown, "passim-search: %s judges articles (query ", o->qrels)
              && text_safe_append(&shown, qid, strlen(qid), true)
              && text_buf_printf(&shown, ": ")
              && text_safe_append(&shown, article, strlen(article), true)
              && text_buf_printf(&shown, "), and --level passage ranks passages "
                                         "(docid#n): no judgement of an article could "
                                         "match; use --level doc, or judge passages "
                                         "only\n");
    fputs(ok ? shown.data : "passim-search: out of memory\n", stderr);
    text_buf_free(&shown);
    return false;
}

int srch_batch(const srch_batch_opts_t *o)
{
    batch_t b = { .o = o };
    srch_qrels_t *qrels = NULL;
    srch_eval_run_t *run = NULL;
    worker_t *w = NULL;
    unsigned jobs = 0, n_open = 0;
    int status = SRCH_EXIT_ERROR;
    b.need_ranking = o->print.format == SRCH_FMT_TREC || o->qrels;

    /* Judgements first: a bad qrels file should not cost a whole batch. */
    if (o->qrels) {
        srch_eval_error_t err;
        if (!srch_qrels_load(&qrels, o->qrels, &err)) {
            fprintf(stderr, "passim-search: %s\n", err.message);
            return SRCH_EXIT_ERROR;
        }
        run = srch_eval_run_new();
        if (!run) {
            fputs("passim-search: out of memory\n", stderr);
            goto done;
        }
    }
    if (!open_queries(&b, o->path))
        goto done;
    long repeated = check_repeated_ids(&b, b.need_ranking);
    if (repeated < 0 || (repeated > 0 && b.need_ranking))
        goto done;

    jobs = o->jobs ? o->jobs : 1;
    if (jobs > b.n)
        jobs = b.n ? (unsigned)b.n : 1;
    w = calloc(jobs, sizeof *w);
    if (!w) {
        fputs("passim-search: out of memory\n", stderr);
        goto done;
    }
    for (; n_open < jobs; n_open++) {
        const char *msg = NULL;
        w[n_open].b = &b;
        if (!srch_engine_open(&w[n_open].e, o->dbs, o->n_dbs, o->settings.stopwords, &msg)) {
            fprintf(stderr, "passim-search: %s\n", msg);
            goto done;
        }
    }
    if (qrels && o->level == SRCH_LEVEL_PASSAGE && !judges_passages(o, qrels, &w[0].e))
        goto done;
    pthread_mutex_init(&b.lock, NULL);
    pthread_cond_init(&b.done_cond, NULL);
    size_t n_failed = 0, n_found = 0;
    double t0 = now_ms();
    bool ok = run_all(&b, w, jobs, run, &n_failed, &n_found);
    double wall = now_ms() - t0;
    pthread_cond_destroy(&b.done_cond);
    pthread_mutex_destroy(&b.lock);
    if (ok && qrels)
        ok = report_metrics(o, qrels, run);
    print_summary(&b, n_failed, n_found, wall, jobs);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE)
            fprintf(stderr, "passim-search: cannot write results: %s\n", strerror(errno));
        ok = false;
    }
    status = !ok || n_failed ? SRCH_EXIT_ERROR : n_found ? SRCH_EXIT_FOUND : SRCH_EXIT_NONE;
done:
    for (unsigned k = 0; k < n_open; k++)
        srch_engine_close(&w[k].e);
    free(w);
    free_queries(b.q, b.n);
    srch_eval_run_free(run);
    srch_qrels_free(qrels);
    return status;
}
