/*
 * eval.c — reading qrels and TREC runs, and the per-query and mean metrics of
 * eval.h, defined exactly as the reference scorer ireval.py defines them (see
 * eval.h). Nothing here knows about the index: a run is lines of text.
 *
 * Data layout: qrels are kept as an array of queries sorted by qid, each with
 * its judgements sorted by docid, so that a lookup is two binary searches. A
 * run is a flat array of lines; it is sorted (qid, then rank order) only when
 * it is scored, which is also how a query given in several pieces ends up as
 * one ranking, as the reference scorer does it.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "lines.h"
#include "text.h"

/* ---- small helpers -------------------------------------------------------- */

static void set_err(srch_eval_error_t *err, const char *name, size_t line, const char *what)
{
    if (!err)
        return;
    if (line)
        snprintf(err->message, sizeof err->message, "%s:%zu: %s", name, line, what);
    else
        snprintf(err->message, sizeof err->message, "%s: %s", name, what);
}

/* set_err() for a file that could not be opened or read: errno says why. */
static void set_read_err(srch_eval_error_t *err, const char *name)
{
    char what[160];
    snprintf(what, sizeof what, "cannot read: %s", strerror(errno));
    set_err(err, name, 0, what);
}

size_t srch_white_space_len(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    if (*u == ' ' || (*u >= '\t' && *u <= '\r') || (*u >= 0x1C && *u <= 0x1F))
        return 1;
    if (u[0] == 0xC2 && (u[1] == 0x85 || u[1] == 0xA0))
        return 2;
    if (u[0] == 0xE1 && u[1] == 0x9A && u[2] == 0x80)
        return 3;
    if (u[0] == 0xE2 && u[1] == 0x80 && ((u[2] >= 0x80 && u[2] <= 0x8A) || u[2] == 0xA8
                                         || u[2] == 0xA9 || u[2] == 0xAF))
        return 3;
    if ((u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0x9F)
        || (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80))
        return 3;
    return 0;
}

/* Split line (modified in place) at white space (srch_white_space_len())
 * into at most max fields; returns the number of fields found (counting past
 * max). */
static size_t split_fields(char *line, char **fields, size_t max)
{
    size_t n = 0, sp;
    char *p = line;
    for (;;) {
        while ((sp = srch_white_space_len(p)) > 0)
            p += sp;
        if (!*p)
            return n;
        char *start = p;
        while (*p && (sp = srch_white_space_len(p)) == 0)
            p++;
        if (*p) {
            *p = '\0';
            p += sp;
        }
        if (n < max)
            fields[n] = start;
        n++;
    }
}

/* ireval's query order: shorter qids first (in characters, as the length of
 * a Python string), then byte order. */
static int qid_order(const char *a, const char *b)
{
    size_t la = text_utf8_chars(a), lb = text_utf8_chars(b);
    if (la != lb)
        return la < lb ? -1 : 1;
    return strcmp(a, b);
}

int srch_eval_rank_cmp(double score_a, const char *docid_a, double score_b, const char *docid_b)
{
    if (score_a != score_b)
        return score_a > score_b ? -1 : 1;
    return -strcmp(docid_a, docid_b);
}

/* ---- qrels ---------------------------------------------------------------- */

typedef struct judgement {
    char *docid;
    int gain;
} judgement_t;

typedef struct qrels_query {
    char *qid;
    judgement_t *j;      /* sorted by docid, unique */
    size_t n_j;
    size_t n_relevant;   /* gain > 0 */
    double idcg10;       /* ideal DCG at 10 */
} qrels_query_t;

struct srch_qrels {
    qrels_query_t *q;    /* sorted by qid (strcmp) */
    size_t n_q;
    size_t n_judged;
    bool bom;            /* the file started with a UTF-8 byte order mark */
};

/* Whether the file read into l started with a UTF-8 byte order mark (which
 * the lines leave out). */
static bool had_utf8_bom(const text_lines_t *l)
{
    return l->raw.len >= 3 && memcmp(l->raw.data, "\xEF\xBB\xBF", 3) == 0;
}

/* One line as read, before grouping. */
typedef struct raw_judgement {
    char *qid, *docid;
    int gain;
    size_t seq;          /* line order: the last line for a pair wins */
} raw_judgement_t;

static int raw_cmp(const void *pa, const void *pb)
{
    const raw_judgement_t *a = pa, *b = pb;
    int c = strcmp(a->qid, b->qid);
    if (c == 0)
        c = strcmp(a->docid, b->docid);
    if (c == 0)
        c = a->seq < b->seq ? -1 : a->seq > b->seq;
    return c;
}

static int gain_desc(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    return a > b ? -1 : a < b;
}

/* UTF-16 and UTF-32 with a byte order mark are decoded (lines.h); without
 * one, they are NUL bytes. */
#define NUL_IN_LINE "a NUL byte in the line (is the file text? UTF-16 needs a byte order mark)"

static bool parse_gain(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < -1000 || v > 1000)
        return false;
    *out = (int)v;
    return true;
}

void srch_qrels_free(srch_qrels_t *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n_q; i++) {
        for (size_t k = 0; k < q->q[i].n_j; k++)
            free(q->q[i].j[k].docid);
        free(q->q[i].j);
        free(q->q[i].qid);
    }
    free(q->q);
    free(q);
}

/* Group sorted raw lines (duplicates: last wins) into q. Takes the strings of
 * raw; frees the ones it drops. */
static bool group_qrels(srch_qrels_t *q, raw_judgement_t *raw, size_t n_raw)
{
    int gains[10];
    for (size_t i = 0; i < n_raw;) {
        size_t end = i;
        while (end < n_raw && strcmp(raw[end].qid, raw[i].qid) == 0)
            end++;
        qrels_query_t *qq = &q->q[q->n_q];
        memset(qq, 0, sizeof *qq);
        qq->j = malloc((end - i) * sizeof *qq->j);
        if (!qq->j)
            return false;
        q->n_q++;
        qq->qid = raw[i].qid;
        raw[i].qid = NULL;
        for (size_t k = i; k < end; k++) {
            if (k + 1 < end && strcmp(raw[k].docid, raw[k + 1].docid) == 0)
                continue; /* a later line for the same document replaces this one */
            qq->j[qq->n_j].docid = raw[k].docid;
            qq->j[qq->n_j].gain = raw[k].gain;
            raw[k].docid = NULL;
            qq->n_j++;
            if (raw[k].gain > 0)
                qq->n_relevant++;
        }
        /* Ideal DCG: the 10 largest positive gains, best first. */
        size_t n_g = 0;
        for (size_t k = 0; k < qq->n_j; k++) {
            int g = qq->j[k].gain;
            if (g <= 0)
                continue;
            if (n_g < 10) {
                gains[n_g++] = g;
                qsort(gains, n_g, sizeof gains[0], gain_desc);
            } else if (g > gains[9]) {
                gains[9] = g;
                qsort(gains, n_g, sizeof gains[0], gain_desc);
            }
        }
        for (size_t k = 0; k < n_g; k++)
            qq->idcg10 += (exp2(gains[k]) - 1.0) / log2((double)k + 2.0);
        if (qq->n_relevant)
            q->n_judged++;
        i = end;
    }
    return true;
}

bool srch_qrels_read(srch_qrels_t **out, FILE *f, const char *name, srch_eval_error_t *err)
{
    *out = NULL;
    raw_judgement_t *raw = NULL;
    size_t n_raw = 0, cap_raw = 0;
    bool ok = true;
    srch_qrels_t *q = NULL;

    text_lines_t lines;
    if (!text_lines_read(&lines, f)) {
        set_read_err(err, name);
        text_lines_free(&lines);
        return false;
    }
    text_line_t line;
    while (ok && text_lines_next(&lines, &line)) {
        char *fields[4];
        size_t n = split_fields(line.text, fields, 4), line_no = line.no;
        if (n == 0 && !line.nul)
            continue;
        int gain;
        if (line.nul) {
            set_err(err, name, line_no, NUL_IN_LINE);
            ok = false;
        } else if (n != 4) {
            set_err(err, name, line_no, "expected 'qid 0 docid gain'");
            ok = false;
        } else if (!parse_gain(fields[3], &gain)) {
            set_err(err, name, line_no, "the gain is not an integer from -1000 to 1000");
            ok = false;
        } else {
            raw_judgement_t *grown = text_grow(raw, &cap_raw, n_raw + 1, sizeof *grown);
            if (!grown) {
                set_err(err, name, 0, "out of memory");
                ok = false;
                break;
            }
            raw = grown;
            raw_judgement_t *r = &raw[n_raw];
            r->qid = strdup(fields[0]);
            r->docid = strdup(fields[2]);
            r->gain = gain;
            r->seq = n_raw++;
            if (!r->qid || !r->docid) {
                set_err(err, name, 0, "out of memory");
                ok = false;
            }
        }
    }
    bool bom = had_utf8_bom(&lines);
    text_lines_free(&lines);
    if (ok) {
        if (n_raw)
            qsort(raw, n_raw, sizeof *raw, raw_cmp);
        q = calloc(1, sizeof *q);
        if (q)
            q->bom = bom;
        if (q && n_raw)
            q->q = malloc(n_raw * sizeof *q->q);
        if (!q || (n_raw && !q->q) || !group_qrels(q, raw, n_raw)) {
            set_err(err, name, 0, "out of memory");
            ok = false;
        } else if (q->n_judged == 0) {
            set_err(err, name, 0, "no query has a relevant document");
            ok = false;
        }
    }
    for (size_t i = 0; i < n_raw; i++) {
        free(raw[i].qid);
        free(raw[i].docid);
    }
    free(raw);
    if (!ok) {
        srch_qrels_free(q);
        return false;
    }
    *out = q;
    return true;
}

bool srch_qrels_load(srch_qrels_t **out, const char *path, srch_eval_error_t *err)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        set_read_err(err, path);
        return false;
    }
    bool ok = srch_qrels_read(out, f, path, err);
    fclose(f);
    return ok;
}

size_t srch_qrels_n_judged(const srch_qrels_t *q)
{
    return q ? q->n_judged : 0;
}

bool srch_qrels_had_bom(const srch_qrels_t *q)
{
    return q && q->bom;
}

/* Whether id names a passage: "docid#n", n digits, as --level passage
 * writes them ("c#.txt" is an article's). */
static bool names_passage(const char *id)
{
    const char *h = strrchr(id, '#');
    if (h == NULL || h[1] == '\0')
        return false;
    while (*++h)
        if (*h < '0' || *h > '9')
            return false;
    return true;
}

const char *srch_qrels_first_article(const srch_qrels_t *q,
                                     bool (*is_article)(const char *id, void *arg), void *arg,
                                     const char **qid)
{
    for (size_t i = 0; q && i < q->n_q; i++)
        for (size_t k = 0; k < q->q[i].n_j; k++)
            if (!names_passage(q->q[i].j[k].docid)
                || (is_article && is_article(q->q[i].j[k].docid, arg))) {
                *qid = q->q[i].qid;
                return q->q[i].j[k].docid;
            }
    return NULL;
}

static int query_key_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const qrels_query_t *)elem)->qid);
}

static int judgement_key_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const judgement_t *)elem)->docid);
}

static const qrels_query_t *find_query(const srch_qrels_t *q, const char *qid)
{
    if (!q || !q->n_q)
        return NULL;
    return bsearch(qid, q->q, q->n_q, sizeof *q->q, query_key_cmp);
}

static const judgement_t *find_judgement(const qrels_query_t *qq, const char *docid)
{
    if (!qq->n_j)
        return NULL;
    return bsearch(docid, qq->j, qq->n_j, sizeof *qq->j, judgement_key_cmp);
}

bool srch_qrels_gain(const srch_qrels_t *q, const char *qid, const char *docid, int *gain)
{
    const qrels_query_t *qq = find_query(q, qid);
    const judgement_t *j = qq ? find_judgement(qq, docid) : NULL;
    if (j)
        *gain = j->gain;
    return j != NULL;
}

/* ---- metrics -------------------------------------------------------------- */

static srch_metrics_t query_metrics(const qrels_query_t *qq, const char *const *docids, size_t n)
{
    srch_metrics_t m = { 0, 0, 0, 0, 0 };
    if (!qq || qq->n_relevant == 0)
        return m;
    if (n > SRCH_EVAL_DEPTH)
        n = SRCH_EVAL_DEPTH;
    double dcg = 0;
    size_t hits = 0, hits10 = 0, hits100 = 0;
    for (size_t i = 0; i < n; i++) {
        const judgement_t *j = find_judgement(qq, docids[i]);
        int gain = j ? j->gain : 0;
        if (i < 10)
            dcg += (exp2(gain) - 1.0) / log2((double)i + 2.0);
        if (gain <= 0)
            continue;
        hits++;
        m.ap += (double)hits / (double)(i + 1);
        if (m.rr == 0)
            m.rr = 1.0 / (double)(i + 1);
        if (i < 10)
            hits10++;
        if (i < 100)
            hits100++;
    }
    m.ndcg10 = qq->idcg10 > 0 ? dcg / qq->idcg10 : 0.0;
    m.ap /= (double)qq->n_relevant;
    m.p10 = (double)hits10 / 10.0;
    m.r100 = (double)hits100 / (double)qq->n_relevant;
    return m;
}

srch_metrics_t srch_eval_ranking(const srch_qrels_t *q, const char *qid,
                                 const char *const *docids, size_t n)
{
    return query_metrics(find_query(q, qid), docids, n);
}

/* ---- runs ----------------------------------------------------------------- */

typedef struct run_line {
    char *qid, *docid;
    double score;
} run_line_t;

struct srch_eval_run {
    run_line_t *v;
    size_t n, cap;
    bool bom;            /* its file started with a UTF-8 byte order mark */
};

bool srch_eval_run_had_bom(const srch_eval_run_t *r)
{
    return r && r->bom;
}

srch_eval_run_t *srch_eval_run_new(void)
{
    return calloc(1, sizeof(srch_eval_run_t));
}

void srch_eval_run_free(srch_eval_run_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].qid);
        free(r->v[i].docid);
    }
    free(r->v);
    free(r);
}

bool srch_eval_run_add(srch_eval_run_t *r, const char *qid, const char *docid, double score)
{
    run_line_t *grown = text_grow(r->v, &r->cap, r->n + 1, sizeof *grown);
    if (!grown)
        return false;
    r->v = grown;
    run_line_t *l = &r->v[r->n];
    l->qid = strdup(qid);
    l->docid = strdup(docid);
    l->score = score;
    if (!l->qid || !l->docid) {
        free(l->qid);
        free(l->docid);
        return false;
    }
    r->n++;
    return true;
}

bool srch_eval_run_read(srch_eval_run_t **out, FILE *f, const char *name, srch_eval_error_t *err)
{
    *out = srch_eval_run_new();
    if (!*out) {
        set_err(err, name, 0, "out of memory");
        return false;
    }
    text_lines_t lines;
    if (!text_lines_read(&lines, f)) {
        set_read_err(err, name);
        text_lines_free(&lines);
        srch_eval_run_free(*out);
        *out = NULL;
        return false;
    }
    bool ok = true;
    text_line_t line;
    while (ok && text_lines_next(&lines, &line)) {
        char *fields[6];
        size_t n = split_fields(line.text, fields, 6), line_no = line.no;
        if (n == 0 && !line.nul)
            continue;
        char *end;
        double score = 0;
        if (line.nul) {
            set_err(err, name, line_no, NUL_IN_LINE);
            ok = false;
            break;
        }
        if (n != 6) {
            set_err(err, name, line_no, "expected 'qid Q0 docid rank score tag'");
            ok = false;
            break;
        }
        /* A decimal number, as trec_eval and Python read it: strtod() alone
         * would take "0x1p-2" too. */
        const char *digits = fields[4] + (fields[4][0] == '+' || fields[4][0] == '-');
        score = strtod(fields[4], &end);
        if (end == fields[4] || *end || isnan(score)
            || (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))) {
            set_err(err, name, line_no, "the score is not a number");
            ok = false;
        } else if (!srch_eval_run_add(*out, fields[0], fields[2], score)) {
            set_err(err, name, 0, "out of memory");
            ok = false;
        }
    }
    (*out)->bom = had_utf8_bom(&lines);
    text_lines_free(&lines);
    if (!ok) {
        srch_eval_run_free(*out);
        *out = NULL;
    }
    return ok;
}

bool srch_eval_run_load(srch_eval_run_t **out, const char *path, srch_eval_error_t *err)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        set_read_err(err, path);
        return false;
    }
    bool ok = srch_eval_run_read(out, f, path, err);
    fclose(f);
    return ok;
}

/* Sort order of run lines when scoring: by qid, then rank order. */
static int line_cmp(const void *pa, const void *pb)
{
    const run_line_t *a = *(const run_line_t *const *)pa, *b = *(const run_line_t *const *)pb;
    int c = strcmp(a->qid, b->qid);
    if (c)
        return c;
    c = srch_eval_rank_cmp(a->score, a->docid, b->score, b->docid);
    if (c)
        return c;
    return a < b ? -1 : a > b; /* same score and docid: keep input order (stable) */
}

/* For finding repeated docids in one query's ranking: by docid, then rank. */
typedef struct ranked_ref {
    const char *docid;
    size_t rank;
} ranked_ref_t;

static int ref_cmp(const void *pa, const void *pb)
{
    const ranked_ref_t *a = pa, *b = pb;
    int c = strcmp(a->docid, b->docid);
    return c ? c : (a->rank < b->rank ? -1 : a->rank > b->rank);
}

static int judged_cmp(const void *pa, const void *pb)
{
    return qid_order(((const srch_eval_query_t *)pa)->qid, ((const srch_eval_query_t *)pb)->qid);
}

static int result_key_cmp(const void *key, const void *elem)
{
    return qid_order(key, ((const srch_eval_query_t *)elem)->qid);
}

/* Turn lines[0..n) (one query, in rank order) into its ranking: docids without
 * repeats (the first, best-placed occurrence stays), in docids. Returns the
 * length; *repeated is a docid that was repeated, if any. refs and keep are
 * scratch arrays of n entries. */
static size_t dedup_ranking(run_line_t *const *lines, size_t n, const char **docids,
                            ranked_ref_t *refs, bool *keep, const char **repeated)
{
    for (size_t i = 0; i < n; i++) {
        refs[i].docid = lines[i]->docid;
        refs[i].rank = i;
        keep[i] = true;
    }
    if (n > 1)
        qsort(refs, n, sizeof *refs, ref_cmp);
    for (size_t i = 1; i < n; i++)
        if (strcmp(refs[i].docid, refs[i - 1].docid) == 0) {
            keep[refs[i].rank] = false;
            *repeated = refs[i].docid;
        }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (keep[i])
            docids[m++] = lines[i]->docid;
    return m;
}

void srch_eval_result_free(srch_eval_result_t *res)
{
    if (!res)
        return;
    free(res->queries);
    memset(res, 0, sizeof *res);
}

bool srch_eval_score(srch_eval_result_t *out, const srch_qrels_t *q, const srch_eval_run_t *r)
{
    memset(out, 0, sizeof *out);
    size_t n_lines = r ? r->n : 0;
    run_line_t **lines = malloc((n_lines ? n_lines : 1) * sizeof *lines);
    const char **docids = malloc((n_lines ? n_lines : 1) * sizeof *docids);
    ranked_ref_t *refs = malloc((n_lines ? n_lines : 1) * sizeof *refs);
    bool *keep = malloc(n_lines ? n_lines : 1);
    out->queries = calloc(q->n_judged ? q->n_judged : 1, sizeof *out->queries);
    if (!lines || !docids || !refs || !keep || !out->queries) {
        free(lines);
        free(docids);
        free(refs);
        free(keep);
        srch_eval_result_free(out);
        return false;
    }
    for (size_t i = 0; i < q->n_q; i++)
        if (q->q[i].n_relevant)
            out->queries[out->n_queries++].qid = q->q[i].qid;
    if (out->n_queries > 1)
        qsort(out->queries, out->n_queries, sizeof *out->queries, judged_cmp);

    for (size_t i = 0; i < n_lines; i++)
        lines[i] = &r->v[i];
    if (n_lines)
        qsort(lines, n_lines, sizeof *lines, line_cmp);
    for (size_t i = 0; i < n_lines;) {
        size_t end = i;
        while (end < n_lines && strcmp(lines[end]->qid, lines[i]->qid) == 0)
            end++;
        srch_eval_query_t *eq = out->n_queries
            ? bsearch(lines[i]->qid, out->queries, out->n_queries, sizeof *out->queries,
                      result_key_cmp)
            : NULL;
        const char *repeated = NULL;
        size_t m = dedup_ranking(lines + i, end - i, docids, refs, keep, &repeated);
        if (m < end - i && out->n_repeats == 0) {
            out->repeat_qid = lines[i]->qid;
            out->repeat_docid = repeated;
        }
        out->n_repeats += end - i - m;
        out->n_run_queries++;
        if (eq) {
            const qrels_query_t *qq = find_query(q, eq->qid);
            eq->answered = true;
            eq->m = query_metrics(qq, docids, m);
            for (size_t k = 0; qq && k < m; k++)
                out->n_judged_docs += find_judgement(qq, docids[k]) != NULL;
        }
        i = end;
    }
    /* Sum in the reference scorer's query order, so rounding goes the same way. */
    for (size_t i = 0; i < out->n_queries; i++) {
        const srch_metrics_t *m = &out->queries[i].m;
        out->n_answered += out->queries[i].answered;
        out->mean.ndcg10 += m->ndcg10;
        out->mean.ap += m->ap;
        out->mean.p10 += m->p10;
        out->mean.r100 += m->r100;
        out->mean.rr += m->rr;
    }
    if (out->n_queries) {
        double n = (double)out->n_queries;
        out->mean.ndcg10 /= n;
        out->mean.ap /= n;
        out->mean.p10 /= n;
        out->mean.r100 /= n;
        out->mean.rr /= n;
    }
    free(lines);
    free(docids);
    free(refs);
    free(keep);
    return true;
}

const srch_eval_query_t *srch_eval_result_find(const srch_eval_result_t *res, const char *qid)
{
    if (!res->n_queries)
        return NULL;
    return bsearch(qid, res->queries, res->n_queries, sizeof *res->queries, result_key_cmp);
}
