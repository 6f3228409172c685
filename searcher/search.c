/*
 * search.c — one query against a passim index, from the string the user typed
 * to hits with snippets: open the index in its own language, parse, build the
 * Xapian query, match with BM25 and at most N passages per article, then cut a
 * highlighted window from each passage. Printing is output.c's business.
 *
 * Readers see a snapshot: if a writer commits while results are being read,
 * Xapian reports the database as modified; the search is then reopened and run
 * again (a few times at most), so results are always from one revision.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "record.h"
#include "searcher.h"
#include "spell.h"
#include "terms.h"

/* How often a search starts again on the latest revision when a writer's
 * commits discarded the one it read: each attempt is a new chance to finish
 * between two commits, which a slow search (a loaded machine, a sanitizer)
 * under frequent commits may need many of. */
#define MODIFIED_RETRIES 20
/* How often damage is waited for before it is believed (try_again()). */
#define DAMAGE_RETRIES 5

void srch_settings_init(srch_settings_t *s)
{
    xs_search_opts_t x = XS_SEARCH_OPTS_INIT;
    srch_build_opts_t b = SRCH_BUILD_OPTS_INIT;
    memset(s, 0, sizeof *s);
    s->mode = SRCH_MODE_AUTO;
    s->stopwords = true;
    s->limit = 10;
    s->offset = 0;
    s->per_doc = 2;
    s->context = 30;
    s->snippets = true;
    /* Measured on Cranfield (bench/relevance): feedback from the best 2
     * articles, 20 terms at half weight, and BM25 with k1 1.2, b 0.75. */
    s->feedback_docs = 2;
    s->feedback_terms = 20;
    s->feedback_weight = 0.5;
    s->build = b;
    s->xapian = x;
    s->xapian.bm25_k1 = 1.2;
    s->xapian.bm25_b = 0.75;
    /* Equal scores in the order of the files' paths, then of the passages:
     * document ids depend on how the index was built (--jobs, updates). */
    s->xapian.tie_slot = PASSIM_SLOT_FILE;
    /* Indexes searched together may hold the same file: a passage is listed
     * once, by its file and ordinal. */
    s->xapian.same_slots[0] = PASSIM_SLOT_FILE;
    s->xapian.same_slots[1] = PASSIM_SLOT_ORDINAL;
}

static _Thread_local char engine_msg[512];

/* Failures of one search (or of opening the index) met so far, by kind. */
typedef struct tries {
    int modified, damaged;
} tries_t;

/* A reader's failure that a writer committing meanwhile can cause: the
 * revision being read was discarded (XS_ERR_MODIFIED), or a block of it was
 * already reused, which Xapian reports as damage (XS_ERR_CORRUPT: "EOF
 * reading block N", "Expected block N to be level 1, not 0"). Whether the
 * attempt that failed with st is to be made again, counting both kinds in
 * *t, after a pause of 20 ms for damage: damage is believed only if it is
 * still there after DAMAGE_RETRIES pauses, so a really damaged index is
 * reported within about 0.1 s. */
static bool try_again(xs_status_t st, tries_t *t)
{
    if (st == XS_ERR_MODIFIED)
        return ++t->modified <= MODIFIED_RETRIES;
    if (st != XS_ERR_CORRUPT || ++t->damaged > DAMAGE_RETRIES)
        return false;
    nanosleep(&(struct timespec){ .tv_nsec = 20 * 1000 * 1000 }, NULL);
    return true;
}

/* Metadata value of key as a NUL-terminated string in *out (NULL if unset), of
 * length *len (len may be NULL), reopening the index if a writer moves on
 * while it is read. */
static xs_status_t get_metadata(xs_db_t *db, const char *key, char **out, size_t *len)
{
    xs_status_t st;
    for (int attempt = 0; (st = xs_db_get_metadata(db, key, out, len)) != XS_OK; attempt++) {
        /* Damage is not waited for here: a word list is read for every
         * length a wildcard may reach, and opening the index waits already. */
        if (st != XS_ERR_MODIFIED || attempt >= MODIFIED_RETRIES)
            break;
        xs_db_reopen(db);
    }
    return st;
}

/* Whether the index at path (open as db) has this passim's layout; if not, or
 * if it cannot be read, engine_msg says so. An index with no layout record
 * and no document is one whose first build has not committed yet (every
 * run's last commit records the layout): not searchable yet either. */
static bool layout_ok(xs_db_t *db, const char *path)
{
    char *layout = NULL;
    xs_status_t st = get_metadata(db, PASSIM_META_VERSION, &layout, NULL);
    if (st != XS_OK && st != XS_ERR_NOT_FOUND) {
        snprintf(engine_msg, sizeof engine_msg, "%s: cannot read the index layout: %s", path,
                 *xs_last_error() ? xs_last_error() : xs_status_str(st));
        return false;
    }
    uint32_t docs = 0;
    bool counted = xs_db_doccount(db, &docs) == XS_OK;
    bool other = layout ? strcmp(layout, PASSIM_LAYOUT_VERSION) != 0 : counted;
    if (!layout && counted && docs == 0) {
        /* Every run of passim-index records the layout with its last commit:
         * this folder's first run has not committed (it was killed, or it is
         * still running). */
        snprintf(engine_msg, sizeof engine_msg,
                 "%s: no index here yet: its first build has not finished (run passim-index "
                 "to build it)", path);
    } else if (other && layout)
        snprintf(engine_msg, sizeof engine_msg,
                 "%s: the index was written by another version of passim (layout %s, "
                 "this one reads layout %s); rebuild it with passim-index --rebuild",
                 path, layout, PASSIM_LAYOUT_VERSION);
    else if (other) {
        /* No record of an indexed file either: another program's database,
         * which passim-index --rebuild leaves alone. Records that cannot be
         * listed: damaged, so taken for passim's. */
        bool records;
        if (xs_db_has_metadata(db, PASSIM_META_FILE, &records) != XS_OK)
            records = true;
        if (records)
            snprintf(engine_msg, sizeof engine_msg,
                     "%s: the index holds documents but no passim layout record: it is "
                     "damaged; rebuild it with passim-index --rebuild", path);
        else
            snprintf(engine_msg, sizeof engine_msg,
                     "%s: a Xapian database with %" PRIu32 " document%s and nothing that "
                     "passim writes: passim did not make it; give --db a passim index", path,
                     docs, docs == 1 ? "" : "s");
    }
    free(layout);
    if (other || !counted || docs == 0)
        return !other;
    /* A writer's race here is no damage: the search that follows meets it
     * again, and starts again. */
    bool rebuildable = false;
    st = xs_db_check_tables(db, &rebuildable);
    if (st == XS_ERR_CORRUPT) {
        snprintf(engine_msg, sizeof engine_msg, "%s: the index is damaged: %s (%s)", path,
                 xs_last_error(), rebuildable ? "rebuild it with passim-index --rebuild"
                                              : "remove the folder and index again");
        return false;
    }
    return true;
}

/* The language the index at db was built in (english when it does not say):
 * malloc'ed, NULL if memory ran out. */
static char *index_lang(xs_db_t *db)
{
    char *lang = NULL;
    if (get_metadata(db, PASSIM_META_LANG, &lang, NULL) != XS_OK || !lang || !*lang) {
        free(lang);
        lang = strdup(TEXT_LANG_DEFAULT);
    }
    return lang;
}

/* Say in engine_msg why the index at path, which Xapian could not open with
 * status st, is not there to search: a link that leads nowhere or in a loop,
 * a folder that may not be read, a file, no index, or Xapian's own reason. */
static void describe_open_failure(const char *path, xs_status_t st)
{
    struct stat sb;
    int stat_errno = stat(path, &sb) == 0 ? 0 : errno;
    char link_to[PATH_MAX];
    ssize_t tn = stat_errno == ENOENT ? readlink(path, link_to, sizeof link_to - 1) : -1;
    if (tn >= 0) {
        link_to[tn] = '\0';
        snprintf(engine_msg, sizeof engine_msg,
                 "%s: a symbolic link to %.200s, which leads nowhere: no index here", path,
                 link_to);
    } else if (stat_errno == ELOOP) {
        snprintf(engine_msg, sizeof engine_msg, "%s: a loop of symbolic links: no index here",
                 path);
    } else if (st == XS_ERR_NOT_FOUND && stat_errno == 0 && S_ISDIR(sb.st_mode)
               && access(path, R_OK | X_OK) != 0 && errno == EACCES) {
        /* Xapian finds no index in a folder it may not read. */
        snprintf(engine_msg, sizeof engine_msg, "%s: cannot open index: %s", path,
                 strerror(EACCES));
    } else if (st == XS_ERR_NOT_FOUND && stat_errno == 0 && !S_ISDIR(sb.st_mode)) {
        snprintf(engine_msg, sizeof engine_msg,
                 "%s: not a folder: an index is the folder that passim-index made", path);
    } else if (st == XS_ERR_NOT_FOUND && stat_errno == 0) {
        snprintf(engine_msg, sizeof engine_msg,
                 "%s: no index here: a folder with none in it (an index is the folder named by "
                 "passim-index --db)", path);
    } else if (st == XS_ERR_NOT_FOUND) {
        snprintf(engine_msg, sizeof engine_msg,
                 "%s: no index here (create one with passim-index, or give --db)", path);
    } else {
        snprintf(engine_msg, sizeof engine_msg, "%s: cannot open index: %.300s%s", path,
                 *xs_last_error() ? xs_last_error() : xs_status_str(st),
                 st == XS_ERR_CORRUPT || st == XS_ERR_BACKEND
                     ? " (it seems damaged: remove the folder and index again)" : "");
    }
}

bool srch_engine_open(srch_engine_t *e, const char *const *paths, size_t n_paths,
                      bool stopwords, const char **err_msg)
{
    memset(e, 0, sizeof *e);
    xs_status_t st;
    /* A writer committing twice while the index opens discards the revision
     * being read: open again. */
    tries_t tries = { 0, 0 };
    do {
        st = n_paths == 1 ? xs_db_open(&e->db, paths[0], XS_DB_READ)
                          : xs_db_open_many(&e->db, paths, n_paths);
    } while (st != XS_OK && try_again(st, &tries));
    if (st != XS_OK) {
        /* Name the index that fails: open them one by one. */
        const char *bad = paths[0];
        for (size_t i = 0; n_paths > 1 && i < n_paths; i++) {
            xs_db_t *one = NULL;
            xs_status_t one_st = xs_db_open(&one, paths[i], XS_DB_READ);
            if (one_st != XS_OK) { /* its error stays the last one */
                bad = paths[i];
                st = one_st;
                break;
            }
            xs_db_free(one);
        }
        describe_open_failure(bad, st);
        *err_msg = engine_msg;
        return false;
    }
    /* Each index of a combined search is checked on its own: Xapian reads
     * metadata from the first one only. A query is stemmed one way, so the
     * indexes must share a language. */
    bool layouts_ok = true;
    if (n_paths > 1 && !(e->parts = calloc(n_paths, sizeof *e->parts))) {
        snprintf(engine_msg, sizeof engine_msg, "out of memory");
        layouts_ok = false;
    }
    if (n_paths == 1)
        layouts_ok = layout_ok(e->db, paths[0]);
    else
        for (size_t i = 0; layouts_ok && i < n_paths; i++) {
            xs_db_t *one = NULL;
            st = xs_db_open(&one, paths[i], XS_DB_READ);
            if (st == XS_OK)
                layouts_ok = layout_ok(one, paths[i]);
            else {
                snprintf(engine_msg, sizeof engine_msg, "%s: cannot open index: %s", paths[i],
                         *xs_last_error() ? xs_last_error() : xs_status_str(st));
                layouts_ok = false;
            }
            char *lang = layouts_ok ? index_lang(one) : NULL;
            if (layouts_ok && !lang) {
                snprintf(engine_msg, sizeof engine_msg, "%s: out of memory", paths[i]);
                layouts_ok = false;
            } else if (layouts_ok && i == 0) {
                e->lang = lang;
                lang = NULL;
            } else if (layouts_ok && strcmp(lang, e->lang) != 0) {
                snprintf(engine_msg, sizeof engine_msg,
                         "%s: the index's language is %s and %s's is %s: indexes of "
                         "different languages cannot be searched together (a query is "
                         "stemmed one way); search them one at a time",
                         paths[i], lang, paths[0], e->lang);
                layouts_ok = false;
            }
            free(lang);
            e->parts[e->n_parts++] = one; /* freed with the engine */
        }
    if (!layouts_ok) {
        *err_msg = engine_msg;
        srch_engine_close(e);
        return false;
    }
    if (!e->lang)
        e->lang = index_lang(e->db);
    text_status_t ts = e->lang ? text_analyzer_new(&e->analyzer, e->lang) : TEXT_ERR_NOMEM;
    if (ts != TEXT_OK) {
        snprintf(engine_msg, sizeof engine_msg, "%s: index language %s: %s", paths[0],
                 e->lang ? e->lang : "?", text_status_str(ts));
        *err_msg = engine_msg;
        srch_engine_close(e);
        return false;
    }
    /* Only English has a built-in list; other languages search every word. */
    if (stopwords)
        (void)text_analyzer_default_stopwords(e->analyzer);
    e->ids = srch__id_cache_new(); /* NULL only costs speed */
    e->cwd = realpath(".", NULL);  /* NULL: paths show as given */
    return true;
}

void srch_engine_close(srch_engine_t *e)
{
    for (size_t i = 0; i < e->n_parts; i++)
        xs_db_free(e->parts[i]);
    free(e->parts);
    e->parts = NULL;
    e->n_parts = 0;
    xs_db_free(e->db);
    text_analyzer_free(e->analyzer);
    free(e->lang);
    srch__id_cache_free(e->ids);
    free(e->cwd);
    memset(e, 0, sizeof *e);
}

void srch_result_free(srch_result_t *r)
{
    for (size_t i = 0; i < r->n_hits; i++) {
        srch_snippet_free(&r->hits[i].snippet);
        text_buf_free(&r->hits[i].explain);
        free(r->hits[i].path);
    }
    free(r->hits);
    xs_mset_free(r->mset);
    srch_query_units_free(r->units);
    srch_query_free(r->query);
    text_buf_free(&r->notes);
    text_buf_free(&r->explain);
    memset(r, 0, sizeof *r);
}

/* The shim's status of this thread's last failure of a search, for srch_run()
 * to tell a writer's race (see try_again()) from a real failure. */
static _Thread_local xs_status_t failed_status;

static void set_error(srch_error_t *err, const char *what, xs_status_t st)
{
    failed_status = st;
    /* For XS_ERR_NOMEM, xs_last_error() is not read: it may be an older
     * message, of a race already overcome. */
    const char *msg = st == XS_ERR_NOMEM ? "" : xs_last_error();
    const char *why = *msg ? msg : xs_status_str(st);
    if (strcmp(what, why) == 0) /* "out of memory" */
        snprintf(err->message, sizeof err->message, "%s", what);
    else
        snprintf(err->message, sizeof err->message, "%s: %s", what, why);
    err->column = 0;
}

/* ---- query words ------------------------------------------------------- */

/* The index term of the stem s[0..len) of a word of field into term: under
 * the title prefix for title: words. False if memory ran out. */
static bool field_term(text_buf_t *term, srch_field_t field, const char *s, size_t len)
{
    text_buf_clear(term);
    return (field != SRCH_FIELD_TITLE || text_buf_puts(term, PASSIM_PREFIX_TITLE))
           && text_buf_append(term, s, len);
}

/* The index term of a query word into term. */
static void word_term(const srch_word_t *w, text_buf_t *term)
{
    field_term(term, w->field, w->stem, strlen(w->stem));
}

/* ---- wildcards: the words they start ------------------------------------ */

/* How many bytes a wildcard's prefix may lose to reach a stem: Snowball
 * takes a few letters off a word's end ("negotiations" is negoti). */
#define PREFIX_CUT_MAX 3
/* Nor is it cut below this many bytes. */
#define PREFIX_KEEP_MIN 3

typedef struct widen {
    srch_engine_t *e;
    srch_query_t *q;
    text_buf_t *notes;
    text_buf_t term;
    xs_status_t st;
    uint32_t max;       /* stems a wildcard keeps at most (0: all) */
    srch__strset_t noted; /* the wildcards a note was written for, by field and stem */
} widen_t;

typedef struct stem_count {
    uint32_t n, stop;
} stem_count_t;

static int count_stem(const char *term, size_t len, uint32_t termfreq, void *payload)
{
    (void)term;
    (void)len;
    (void)termfreq;
    stem_count_t *c = payload;
    return ++c->n >= c->stop;
}

static int any_term(const char *term, size_t len, uint32_t termfreq, void *payload)
{
    (void)term;
    (void)len;
    (void)termfreq;
    (void)payload;
    return 1; /* one is enough */
}

/* Whether some term of the index starts with prefix[0..len). */
static xs_status_t starts_a_term(srch_engine_t *e, const char *prefix, size_t len, bool *found)
{
    int rc = 0;
    xs_status_t st = xs_db_terms(e->db, prefix, len, any_term, NULL, &rc);
    *found = rc != 0;
    return st;
}

/* Whether the index holds a term of n's field that is (exactly, or as a
 * prefix) the first len bytes of its prefix. */
static xs_status_t has_term(widen_t *w, const srch_node_t *n, size_t len, bool exact,
                            bool *found)
{
    if (!field_term(&w->term, n->field, n->stem, len))
        return XS_ERR_NOMEM;
    *found = false;
    if (exact) {
        uint32_t tf = 0;
        xs_status_t st = xs_db_termfreq(w->e->db, w->term.data, w->term.len, &tf);
        *found = tf > 0;
        return st;
    }
    return starts_a_term(w->e, w->term.data, w->term.len, found);
}

/* The stems of the words a wildcard starts that its prefix does not start
 * (Snowball cuts a word's end, and may cut into the prefix: "organization" is
 * organ, "change" chang, "fly" fli). */
typedef struct word_stems {
    widen_t *w;
    const srch_node_t *n;
    size_t prefix_len;  /* bytes of n->stem */
    text_buf_t stems;   /* NUL-terminated, one after the other */
    size_t n_stems;
} word_stems_t;

/* Add the stem of the folded word[0..len) to ws if the prefix does not start
 * it, the index holds it in the wildcard's field and ws has not got it yet.
 * False on failure (w->st). */
static bool add_word_stem(word_stems_t *ws, const char *word, size_t len)
{
    widen_t *w = ws->w;
    size_t stem_len;
    const char *stem = text_stem(w->e->analyzer, word, len, &stem_len);
    if (stem_len == 0 || stem_len > TEXT_TOKEN_MAX
        || (stem_len >= ws->prefix_len && memcmp(stem, ws->n->stem, ws->prefix_len) == 0))
        return true;
    const char *had = ws->stems.data;
    for (size_t i = 0; i < ws->n_stems; i++, had += strlen(had) + 1)
        if (strlen(had) == stem_len && memcmp(had, stem, stem_len) == 0)
            return true;
    if (!field_term(&w->term, ws->n->field, stem, stem_len)) {
        w->st = XS_ERR_NOMEM;
        return false;
    }
    uint32_t tf = 0;
    if ((w->st = xs_db_termfreq(w->e->db, w->term.data, w->term.len, &tf)) != XS_OK)
        return false;
    if (tf == 0)
        return true;
    if (!text_buf_append(&ws->stems, stem, stem_len) || !text_buf_putc(&ws->stems, '\0')) {
        w->st = XS_ERR_NOMEM;
        return false;
    }
    ws->n_stems++;
    return true;
}

/* A word of the index's word lists: its stem is taken if the wildcard's
 * prefix starts the word (the lists keep accents, the prefix has none). */
static int listed_word(const char *word, size_t len, uint32_t count, void *payload)
{
    (void)count;
    word_stems_t *ws = payload;
    const char *prefix = ws->n->stem;
    if ((unsigned char)word[0] < 0x80 && word[0] != prefix[0])
        return 0; /* cheaply passed over: most words */
    char plain[4 * TEXT_SPELL_WORD_MAX + 1];
    size_t plain_len = text_unaccent(word, len, plain, sizeof plain);
    const char *bare = plain_len > 0 ? plain : word;
    size_t bare_len = plain_len > 0 ? plain_len : len;
    if (bare_len < ws->prefix_len || memcmp(bare, prefix, ws->prefix_len) != 0) {
        /* Or as the word is read: "stabiliz*" starts "stabilising", read
         * as "stabilizing" (text_respell()). */
        char respelt[4 * TEXT_SPELL_WORD_MAX + 1];
        size_t n = text_respell(ws->w->e->analyzer, bare, bare_len, respelt, sizeof respelt);
        if (n < ws->prefix_len || memcmp(respelt, prefix, ws->prefix_len) != 0)
            return 0;
    }
    return add_word_stem(ws, word, len) ? 0 : 1;
}

/* The word list of words of chars characters of every index searched (each
 * of several, not only the first, whose metadata Xapian would read), for fn
 * with payload; stops at fn's first false. False if there is none at all. */
static bool each_word_list(srch_engine_t *e, size_t chars,
                           bool (*fn)(const char *list, size_t len, void *payload),
                           void *payload, xs_status_t *st)
{
    xs_db_t *const *dbs = e->n_parts > 0 ? e->parts : &e->db;
    size_t n = e->n_parts > 0 ? e->n_parts : 1;
    text_buf_t key = TEXT_BUF_INIT;
    bool any = false, go_on = true;
    if (!text_words_key(&key, chars))
        *st = XS_ERR_NOMEM;
    for (size_t i = 0; *st == XS_OK && go_on && i < n; i++) {
        char *list = NULL;
        size_t len = 0;
        if (dbs[i] && get_metadata(dbs[i], key.data, &list, &len) == XS_OK && list) {
            any = true;
            go_on = fn(list, len, payload);
        }
        free(list);
    }
    text_buf_free(&key);
    return any;
}

/* The offset of the first line of a word list (spell.h: sorted bytewise, one
 * word a line) whose first byte is b or more; len if none. */
static size_t first_line_from(const char *list, size_t len, unsigned char b)
{
    size_t lo = 0, hi = len; /* the answer is in [lo, hi]; lo starts a line */
    while (lo < hi) {
        size_t at = lo + (hi - lo) / 2;
        while (at > lo && list[at - 1] != '\n')
            at--;
        if ((unsigned char)list[at] >= b) {
            hi = at;
        } else {
            const char *nl = memchr(list + at, '\n', len - at);
            lo = nl ? (size_t)(nl - list) + 1 : len;
        }
    }
    return lo;
}

/* Offer listed_word() the words of a list that may start with ws's prefix:
 * those that start with its first byte, and those that start with a byte
 * past ASCII (an accented letter, which may lose its accent). */
static bool scan_list(const char *list, size_t len, void *payload)
{
    word_stems_t *ws = payload;
    unsigned char first = (unsigned char)ws->n->stem[0];
    size_t wide = first_line_from(list, len, 0x80);
    if (first < 0x80) {
        size_t from = first_line_from(list, wide, first);
        size_t to = first_line_from(list, wide, first + 1);
        if (text_spell_each(list + from, to - from, listed_word, ws) != 0)
            return false;
    }
    return text_spell_each(list + wide, len - wide, listed_word, ws) == 0;
}

static bool any_list(const char *list, size_t len, void *payload)
{
    (void)list;
    (void)len;
    (void)payload;
    return false; /* one is enough */
}

/* Make wildcard n find too the words it starts whose stems it does not start:
 * the prefix as a whole word, and the words of the word lists that it starts
 * (each_word_list(): of every index searched; none with --no-spelling).
 * False if there are no word lists (or on failure, w->st). */
static bool add_word_stems(widen_t *w, const srch_node_t *n)
{
    word_stems_t ws = { w, n, strlen(n->stem), TEXT_BUF_INIT, 0 };
    if (!add_word_stem(&ws, n->word, strlen(n->word))) {
        text_buf_free(&ws.stems);
        return false;
    }
    bool has_lists = false;
    /* Dropping accents never makes a word longer (ligatures were expanded
     * as it was tokenized): no list of words shorter than the prefix holds
     * one it starts. */
    size_t chars = text_spell_chars(n->stem, ws.prefix_len);
    for (size_t len = chars; w->st == XS_OK && len <= TEXT_SPELL_WORD_MAX; len++)
        has_lists |= each_word_list(w->e, len, scan_list, &ws, &w->st);
    /* a list of words shorter than the prefix says there are lists too */
    for (size_t len = 1; !has_lists && w->st == XS_OK && len < chars; len++)
        has_lists = each_word_list(w->e, len, any_list, NULL, &w->st);
    if (w->st == XS_OK && ws.n_stems > 0
        && !srch_query_prefix_also(w->q, n, ws.stems.data, ws.stems.len, ws.n_stems))
        w->st = XS_ERR_NOMEM;
    text_buf_free(&ws.stems);
    return has_lists;
}

/* Whether every index searched has word lists that hold the words of all its
 * files: none was built or updated with --no-spelling, nor left words due by
 * a run killed before its last commit. An index of no passage has no words to
 * list. A failure to tell counts as a no. */
static bool words_complete(srch_engine_t *e)
{
    xs_db_t *const *dbs = e->n_parts > 0 ? e->parts : &e->db;
    size_t n = e->n_parts > 0 ? e->n_parts : 1;
    for (size_t i = 0; i < n; i++) {
        bool lists = false, due = true, partial = true;
        uint32_t passages = 1;
        if (xs_db_doccount(dbs[i], &passages) == XS_OK && passages == 0)
            continue;
        if (xs_db_has_metadata(dbs[i], PASSIM_META_WORDS, &lists) != XS_OK
            || xs_db_has_metadata(dbs[i], PASSIM_META_WORDS_DUE, &due) != XS_OK
            || xs_db_has_metadata(dbs[i], PASSIM_META_WORDS_PARTIAL, &partial) != XS_OK
            || !lists || due || partial)
            return false;
    }
    return true;
}

/* Whether wildcard n has no note yet (a wildcard typed twice has one). */
static bool first_note(widen_t *w, const srch_node_t *n)
{
    if (!w->notes)
        return false;
    text_buf_t key = TEXT_BUF_INIT;
    bool first = text_buf_printf(&key, "%c%s", n->field == SRCH_FIELD_TITLE ? 'T' : 'P', n->stem)
                 && srch__strset_add(&w->noted, key.data);
    text_buf_free(&key);
    return first;
}

/* A wildcard finds the words whose stems its prefix starts, and those it
 * starts whose stems it does not start (add_word_stems()). In an index with
 * no word lists, or lists that miss some files' words (--no-spelling, for a
 * build or an update), one that finds nothing so is read as the
 * longest stem that its prefix, a few letters shorter, is ("negotiat*", whose
 * words stem to negoti, is negoti*); a note says so. */
static void widen_node(widen_t *w, const srch_node_t *n)
{
    for (size_t k = 0; k < n->n_kids && w->st == XS_OK; k++)
        widen_node(w, n->kids[k]);
    if (n->kind != SRCH_NODE_PREFIX || w->st != XS_OK)
        return;
    size_t len = strlen(n->stem);
    bool found = false;
    if ((w->st = has_term(w, n, len, false, &found)) != XS_OK)
        return;
    bool has_lists = n->n_also > 0 || add_word_stems(w, n);
    if (found && w->max > 0 && w->st == XS_OK && first_note(w, n)) {
        /* more stems than a search keeps: the most frequent are searched */
        stem_count_t c = { 0, w->max + 1 };
        if (!field_term(&w->term, n->field, n->stem, len))
            w->st = XS_ERR_NOMEM;
        else
            w->st = xs_db_terms(w->e->db, w->term.data, w->term.len, count_stem, &c, NULL);
        if (w->st == XS_OK && c.n > w->max)
            text_buf_printf(w->notes, "passim-search: more than %u stems start with '%s%s': "
                                      "the %u most frequent are searched (and any as "
                                      "frequent as the least of them)\n",
                            (unsigned)w->max, n->field == SRCH_FIELD_TITLE ? "title:" : "",
                            n->stem, (unsigned)w->max);
    }
    if (found || n->n_also > 0 || w->st != XS_OK || (has_lists && words_complete(w->e)))
        return;
    for (size_t cut = len - 1; cut + PREFIX_CUT_MAX >= len && cut >= PREFIX_KEEP_MIN; cut--) {
        if (((unsigned char)n->stem[cut] & 0xC0) == 0x80)
            continue; /* inside a character */
        if ((w->st = has_term(w, n, cut, true, &found)) != XS_OK)
            return;
        if (!found)
            continue;
        if (first_note(w, n))
            text_buf_printf(w->notes, "passim-search: no word's stem starts with '%s'; "
                                      "read as %s%.*s*\n", n->stem,
                            n->field == SRCH_FIELD_TITLE ? "title:" : "", (int)cut, n->stem);
        if (!srch_query_cut_prefix(w->q, n, cut))
            w->st = XS_ERR_NOMEM;
        return;
    }
}

static xs_status_t widen_prefixes(srch_engine_t *e, srch_query_t *q, uint32_t max,
                                  text_buf_t *notes)
{
    widen_t w = { e, q, notes, TEXT_BUF_INIT, XS_OK, max, SRCH__STRSET_INIT };
    widen_node(&w, srch_query_root(q));
    text_buf_free(&w.term);
    srch__strset_free(&w.noted);
    return w.st;
}

/* How many passages hold stem in field, into *df; term is room for its
 * index term. */
static xs_status_t stem_df(srch_engine_t *e, srch_field_t field, const char *stem,
                           text_buf_t *term, uint32_t *df)
{
    *df = 0;
    if (!field_term(term, field, stem, strlen(stem)) || !term->data)
        return XS_ERR_NOMEM;
    return xs_db_termfreq(e->db, term->data, term->len, df);
}

static xs_status_t word_df(srch_engine_t *e, const srch_word_t *w, text_buf_t *term,
                           uint32_t *df)
{
    return stem_df(e, w->field, w->stem, term, df);
}

/* Whether one way of writing the hyphenated word of either (SRCH_OR_SOLID)
 * has all its words somewhere: then the parts of the other way are not
 * missing words ("e-mail" in an index that has only "email"). */
static bool either_found(srch_engine_t *e, const srch_node_t *either, text_buf_t *term)
{
    for (size_t k = 0; k < either->n_kids; k++) {
        const srch_node_t *way = either->kids[k];
        size_t n = way->kind == SRCH_NODE_TERM ? 1 : way->n_kids;
        bool all = true;
        for (size_t j = 0; all && j < n; j++) {
            const srch_node_t *t = way->kind == SRCH_NODE_TERM ? way : way->kids[j];
            uint32_t df;
            all = stem_df(e, t->field, t->stem, term, &df) == XS_OK && df > 0;
        }
        if (all)
            return true;
    }
    return false;
}

/* ---- --explain ----------------------------------------------------------- */

/* A key in a word set for a word of the field, excluded or not, a prefix or
 * not, whose folded form is WORD (LEN bytes), into k (cleared first). */
static bool word_key(text_buf_t *k, srch_field_t field, bool excluded, bool prefix,
                     const char *word, size_t len)
{
    char head[3] = { field == SRCH_FIELD_TITLE ? 't' : 'w', excluded ? '-' : '+',
                     prefix ? '*' : '=' };
    text_buf_clear(k);
    return text_buf_append(k, head, sizeof head) && text_buf_append(k, word, len);
}

/* Add w to s: true if it was not there yet (or memory ran out). */
static bool word_set_add(srch__strset_t *s, const srch_word_t *w)
{
    text_buf_t k = TEXT_BUF_INIT;
    bool added = !word_key(&k, w->field, w->excluded, w->prefix, w->word, strlen(w->word))
                 || srch__strset_add(s, k.data);
    text_buf_free(&k);
    return added;
}

typedef struct explain_ctx {
    srch_engine_t *e;
    text_buf_t *b;
    text_buf_t term;
    srch__strset_t listed; /* a word typed twice, or in a phrase and alone, once */
    srch__strset_t dropped; /* so is a stopword left out, also when it is kept elsewhere
                               ("the Kabul \"of the\"") */
} explain_ctx_t;

static int explain_word(const srch_word_t *w, void *payload)
{
    explain_ctx_t *x = payload;
    if (!word_set_add(&x->listed, w))
        return 0;
    uint32_t df = 0;
    if (!w->prefix)
        word_df(x->e, w, &x->term, &df);
    else
        word_term(w, &x->term);
    text_buf_puts(x->b, "  ");
    (void)text_buf_put_padded(x->b, w->text, 20);
    text_buf_puts(x->b, " stem ");
    (void)text_buf_put_padded(x->b, w->stem, 16); /* the field is said apart */
    text_buf_printf(x->b, " %s%s", w->field == SRCH_FIELD_TITLE ? "title " : "",
                    w->excluded ? "excluded " : "");
    if (w->prefix)
        text_buf_puts(x->b, "prefix (its words: see the xapian line)");
    else
        text_buf_printf(x->b, "in %u passage%s", df, df == 1 ? "" : "s");
    if (w->solid) /* its parts are listed too: the word matches either way */
        text_buf_puts(x->b, "  note: typed solid, or hyphenated");
    else if (!w->prefix && df == 0 && !(w->either && either_found(x->e, w->either, &x->term)))
        text_buf_puts(x->b, "  warning: matches nothing");
    if (w->stopword)
        text_buf_puts(x->b, "  note: stopword, kept");
    text_buf_putc(x->b, '\n');
    return 0;
}

/* A stopword the query left out: said, with how to keep it. */
static int explain_dropped(const srch_word_t *w, void *payload)
{
    explain_ctx_t *x = payload;
    if (!word_set_add(&x->dropped, w))
        return 0;
    text_buf_puts(x->b, "  ");
    (void)text_buf_put_padded(x->b, w->text, 20);
    text_buf_puts(x->b, w->field == SRCH_FIELD_TITLE ? " stopword, left out (+title:"
                                                     : " stopword, left out (+");
    text_buf_puts(x->b, w->text);
    text_buf_puts(x->b, " or a phrase keeps it)\n");
    return 0;
}

static void explain_query(srch_engine_t *e, srch_result_t *r, xs_query_t *xq)
{
    explain_ctx_t x = { e, &r->explain, TEXT_BUF_INIT, SRCH__STRSET_INIT, SRCH__STRSET_INIT };
    text_buf_puts(&r->explain, "query: ");
    srch_query_describe(r->query, &r->explain);
    if (r->relaxed)
        text_buf_puts(&r->explain, "   (no passage has every word: any word ranked)");
    text_buf_puts(&r->explain, "\nwords:\n");
    srch_query_words(r->query, explain_word, &x);
    srch_query_dropped_words(r->query, explain_dropped, &x);
    char *d = xs_query_describe(xq);
    if (d) {
        text_buf_printf(&r->explain, "xapian: %s\n", d);
        free(d);
    }
    text_buf_free(&x.term);
    srch__strset_free(&x.listed);
    srch__strset_free(&x.dropped);
}

typedef struct hit_terms {
    srch_engine_t *e;
    const srch_settings_t *s;
    const xs_query_t *passage;  /* matches this passage only, or NULL */
    const srch__strset_t *unwanted; /* terms only excluded items look for */
    const srch__strset_t *off;  /* terms only units that do not count here look for */
    text_buf_t *b;
    size_t n;
    srch__strset_t listed;      /* the terms listed so far */
} hit_terms_t;

typedef struct term_sets {
    srch__strset_t wanted, unwanted;
    srch__strset_t prefixes;    /* the wanted wildcards' terms: what they start is wanted */
    text_buf_t term;
} term_sets_t;

static int sort_word_term(const srch_word_t *w, void *payload)
{
    term_sets_t *t = payload;
    if (w->prefix && w->excluded)
        return 0;   /* what an excluded wildcard looks for is never listed: nothing to hide */
    text_buf_clear(&t->term);
    word_term(w, &t->term);
    if (!t->term.data)
        return 0;
    if (!w->prefix) {
        srch__strset_add(w->excluded ? &t->unwanted : &t->wanted, t->term.data);
        return 0;
    }
    /* A wildcard finds the stems its prefix starts, and those it lists apart
     * ("change*": chang). */
    srch__strset_add(&t->prefixes, t->term.data);
    const char *also = w->also;
    for (size_t a = 0; also && a < w->n_also; a++, also += strlen(also) + 1) {
        text_buf_clear(&t->term);
        if (field_term(&t->term, w->field, also, strlen(also)) && t->term.data)
            srch__strset_add(&t->wanted, t->term.data);
    }
    return 0;
}

static bool starts_a_prefix(const srch__strset_t *prefixes, const char *term)
{
    const char *k = prefixes->keys.data;
    for (size_t i = 0; i < prefixes->n; i++, k += strlen(k) + 1)
        if (strncmp(term, k, strlen(k)) == 0)
            return true;
    return false;
}

/* The terms that only the excluded items of q look for (-"peace talks"
 * Moscow: peac, talk; but not with pea*), into *out: a passage that holds
 * them did not match by them. Out of memory, fewer. */
static void unwanted_terms(const srch_query_t *q, srch__strset_t *out)
{
    term_sets_t t = { SRCH__STRSET_INIT, SRCH__STRSET_INIT, SRCH__STRSET_INIT, TEXT_BUF_INIT };
    srch_query_words(q, sort_word_term, &t);
    const char *k = t.unwanted.keys.data;
    for (size_t i = 0; i < t.unwanted.n; i++, k += strlen(k) + 1)
        if (!srch__strset_has(&t.wanted, k) && !starts_a_prefix(&t.prefixes, k))
            srch__strset_add(out, k);
    srch__strset_free(&t.wanted);
    srch__strset_free(&t.unwanted);
    srch__strset_free(&t.prefixes);
    text_buf_free(&t.term);
}

/* The weight a term alone gives the passage (BM25 weights add up over the
 * terms of a query; feedback terms then count at their fraction of it). */
static bool term_weight(const hit_terms_t *h, const char *term, size_t len, double *out)
{
    xs_query_t *t = NULL, *both = NULL;
    xs_mset_t *m = NULL;
    xs_search_opts_t o = h->s->xapian;
    o.offset = 0;
    o.limit = 1;
    o.collapse_slot = -1;
    bool ok = h->passage && xs_query_term(&t, term, len, 1, 0) == XS_OK;
    if (ok) {
        const xs_query_t *pair[2] = { t, h->passage };
        ok = xs_query_combine(&both, XS_OP_FILTER, pair, 2, 0) == XS_OK
             && xs_search(&m, h->e->db, both, &o) == XS_OK && xs_mset_size(m) == 1;
    }
    if (ok)
        *out = xs_mset_weight(m, 0);
    xs_mset_free(m);
    xs_query_free(both);
    xs_query_free(t);
    return ok;
}

static int explain_term(const char *term, size_t len, uint32_t tf, void *payload)
{
    (void)tf;
    hit_terms_t *h = payload;
    double w;
    char key[4 * TEXT_TOKEN_MAX + 16];
    if (len >= sizeof key || memchr(term, '\0', len))
        return 0;   /* no term passim makes */
    memcpy(key, term, len);
    key[len] = '\0';
    /* Listed once (a wildcard may cover a word of the query), and not at all
     * if only an excluded item looks for it. */
    if (srch__strset_has(h->unwanted, key) || srch__strset_has(h->off, key)
        || !srch__strset_add(&h->listed, key))
        return 0;
    /* A title term is shown as the query writes it. */
    size_t title = strlen(PASSIM_PREFIX_TITLE);
    bool in_title = len > title && memcmp(term, PASSIM_PREFIX_TITLE, title) == 0;
    text_buf_printf(h->b, "%s%s%.*s", h->n++ ? ", " : "   matched: ", in_title ? "title:" : "",
                    (int)(in_title ? len - title : len), in_title ? term + title : term);
    if (term_weight(h, term, len, &w))
        text_buf_printf(h->b, " %.3f", w);
    return 0;
}

/* Whether unit u matches only where its words stand together: a phrase, or
 * an item of NEARs alone. */
static bool placed(const srch_hl_unit_t *u)
{
    return u->kind == SRCH_HL_PHRASE || u->near_only;
}

/* Add to off_terms, for --explain, the words of the phrases and NEAR items
 * that the snippet found nowhere in the passage (a passage found by Lavrov in
 * `Lavrov OR "peace talks"` may hold peace and talks apart), unless a unit
 * that counts there looks for them too: a plain word or wildcard that is not
 * off (Xapian lists only the terms the passage holds), or a phrase or item
 * found. off: the units that do not count (hit_units()). */
static void add_unfound_terms(const srch_result_t *r, const srch_snippet_t *sn, const bool *off,
                              srch__strset_t *off_terms)
{
    if (!sn->unit_found)
        return;
    for (size_t k = 0; k < r->n_units; k++) {
        const srch_hl_unit_t *u = &r->units[k];
        if (!placed(u) || sn->unit_found[k] || u->kind == SRCH_HL_PREFIX)
            continue;
        for (size_t j = 0; j < u->n_stems; j++) {
            bool on = false;
            for (size_t v = 0; !on && v < r->n_units; v++)
                on = !(off && off[v]) && (sn->unit_found[v] || !placed(&r->units[v]))
                     && srch_hl_unit_takes(&r->units[v], u->stems[j]);
            if (!on)
                srch__strset_add(off_terms, u->stems[j]);
        }
    }
}

/* A query matching only result i's passage: its file's term and its ordinal. */
static xs_query_t *passage_query(xs_mset_t *m, size_t i, uint32_t ordinal)
{
    size_t len;
    const char *key = xs_mset_value(m, i, PASSIM_SLOT_FILE, &len);
    char *k = key ? strndup(key, len) : NULL;
    unsigned char ord[4];
    text_ordinal_value(ord, ordinal);
    text_buf_t term = TEXT_BUF_INIT;
    xs_query_t *parts[2] = { NULL, NULL }, *q = NULL;
    if (k && text_key_term(&term, PASSIM_PREFIX_FILE, k, "")
        && xs_query_term(&parts[0], term.data, term.len, 1, 0) == XS_OK
        && xs_query_value_range(&parts[1], PASSIM_SLOT_ORDINAL, ord, 4, ord, 4) == XS_OK)
        xs_query_combine(&q, XS_OP_FILTER, (const xs_query_t *const *)parts, 2, 0);
    xs_query_free(parts[0]);
    xs_query_free(parts[1]);
    free(k);
    text_buf_free(&term);
    return q;
}

/* The passage of result i, for srch_query_units_off() to test parts of the
 * query against. */
typedef struct passage_test {
    srch_engine_t *e;
    const srch_settings_t *s;
    xs_mset_t *m;
    size_t i;
    uint32_t ordinal;
    xs_query_t *passage;    /* passage_query(), made on first use */
} passage_test_t;

/* srch_node_test_fn: whether query node n matches the passage, searching
 * for it there; true when that cannot be told (memory, a writer's race). */
static bool node_in_passage(const srch_node_t *n, void *payload)
{
    passage_test_t *t = payload;
    if (!t->passage && !(t->passage = passage_query(t->m, t->i, t->ordinal)))
        return true;
    xs_query_t *nq = NULL, *both = NULL;
    xs_mset_t *m = NULL;
    xs_search_opts_t o = XS_SEARCH_OPTS_INIT;
    o.limit = 1;
    bool in = true;
    if (srch_query_build_node(&nq, n, t->e->db, &t->s->build) == XS_OK) {
        const xs_query_t *parts[2] = { nq, t->passage };
        if (xs_query_combine(&both, XS_OP_FILTER, parts, 2, 0) == XS_OK
            && xs_search(&m, t->e->db, both, &o) == XS_OK)
            in = xs_mset_size(m) > 0;
    }
    xs_mset_free(m);
    xs_query_free(both);
    xs_query_free(nq);
    return in;
}

/* The highlight units of result i's passage: r->units, or, where some do not
 * count there ("Carol OR Alice -Postgres" in a passage with Postgres: Alice),
 * their copy in shown (room for r->n_units) with those left without stems,
 * which marks nothing, and their terms in *off_terms for --explain (unless
 * a unit that counts looks for them too). off: room for r->n_units. */
static const srch_hl_unit_t *hit_units(const srch_result_t *r, passage_test_t *t, bool *off,
                                       srch_hl_unit_t *shown, srch__strset_t *off_terms)
{
    if (!off || !shown || !srch_query_units_off(r->query, off, r->n_units, node_in_passage, t))
        return r->units;
    memcpy(shown, r->units, r->n_units * sizeof *shown);
    /* The terms of word and phrase units (a wildcard's are not listed by
     * stem), those that count first. */
    srch__strset_t on = SRCH__STRSET_INIT;
    for (size_t k = 0; k < r->n_units; k++)
        for (size_t j = 0; !off[k] && r->units[k].kind != SRCH_HL_PREFIX
                           && j < r->units[k].n_stems; j++)
            srch__strset_add(&on, r->units[k].stems[j]);
    for (size_t k = 0; k < r->n_units; k++)
        for (size_t j = 0; off[k] && r->units[k].kind != SRCH_HL_PREFIX
                           && j < r->units[k].n_stems; j++)
            if (!srch__strset_has(&on, r->units[k].stems[j]))
                srch__strset_add(off_terms, r->units[k].stems[j]);
    srch__strset_free(&on);
    for (size_t k = 0; k < r->n_units; k++)
        if (off[k])
            shown[k].n_stems = 0;
    return shown;
}

/* ---- running ------------------------------------------------------------- */

/* Results the matcher holds at least, whatever --limit and --offset ask. */
#define SRCH_PAGES_CHECKED 30

static int body_word(const srch_word_t *w, void *payload)
{
    (void)payload;
    return !w->excluded && w->field == SRCH_FIELD_BODY;
}

/* Whether every word the query looks for is a title: word. */
static bool title_only(const srch_query_t *q)
{
    return srch_query_words(q, body_word, NULL) == 0;
}

/* Build q's Xapian query on the index as it is (a wildcard's words, the
 * feedback terms) and search it into r->mset. SRCH_RUN_OK with the query in
 * *xq_out; else SRCH_RUN_ERROR with err naming the step that failed. */
static srch_run_status_t match(srch_engine_t *e, srch_result_t *r, const srch_query_t *q,
                               const srch_settings_t *s, xs_query_t **xq_out, srch_error_t *err)
{
    xs_query_t *xq = NULL;
    xs_status_t st = srch_query_build(&xq, q, e->db, &s->build);
    if (st != XS_OK) {
        set_error(err, "cannot build the query", st);
        return SRCH_RUN_ERROR;
    }
    xs_query_t *expanded = NULL;
    st = srch_feedback_expand(&expanded, e, xq, q, s);
    if (st != XS_OK) {
        xs_query_free(xq);
        set_error(err, "feedback search failed", st);
        return SRCH_RUN_ERROR;
    }
    r->expanded = expanded != NULL;
    if (expanded) {
        xs_query_free(xq);
        xq = expanded;
    }
    xs_search_opts_t o = s->xapian;
    o.offset = s->offset;
    o.limit = s->limit;
    /* Every passage of an article holds its title words: weighed by passage
     * length, a title: query would rank an article's shortest scrap (a
     * one-line sign-off) first. Without length, its passages tie and come in
     * their order, the lead first. */
    if (title_only(q))
        o.bm25_b = 0;
    /* Xapian's matcher stops weighing the feedback terms of a passage once
     * they could not lift it into the results it holds; holding few, it has
     * been seen to drop a passage that belonged among them: the best one of
     * 'Lavrov summit' on the bundled corpus with --limit 2, the seventh of
     * 'maintain claims Taliban' with --per-doc 0 and the default 10. The
     * first pages are therefore always ranked together, and a page is cut
     * from them, so that each is the start of a longer one. */
    o.check_at_least = SRCH_PAGES_CHECKED;
    o.collapse_slot = s->per_doc ? PASSIM_SLOT_FILE : -1;
    o.collapse_max = s->per_doc ? s->per_doc : 1;
    st = xs_search(&r->mset, e->db, xq, &o);
    if (st != XS_OK) {
        xs_query_free(xq);
        set_error(err, "search failed", st);
        return SRCH_RUN_ERROR;
    }
    *xq_out = xq;
    return SRCH_RUN_OK;
}

/* Whether a search's hits need only their article ids and passage numbers:
 * no snippet, no --explain, and so no path printed (TREC runs, metrics). */
static bool ids_only(const srch_settings_t *s)
{
    return !s->snippets && !s->explain;
}

/* The stored record of result i into *rec: 1, or 0 if it is not a passim
 * passage, -1 if it cannot be read. When only the ids are needed, the
 * engine's id cache answers for documents seen before. */
static int hit_record(srch_engine_t *e, xs_mset_t *m, size_t i, const srch_settings_t *s,
                      text_record_t *rec)
{
    xs_docid_t id = ids_only(s) ? xs_mset_docid(m, i) : 0;
    if (id && srch__id_cache_get(e->ids, id, &rec->docid, &rec->docid_len, &rec->ordinal))
        return 1;
    size_t len;
    const char *data = xs_mset_value(m, i, PASSIM_SLOT_RECORD, &len);
    if (!data)
        return -1;
    if (!text_record_decode(data, len, rec))
        return 0;
    if (id)
        srch__id_cache_put(e->ids, id, rec->docid, rec->docid_len, rec->ordinal);
    return 1;
}

/* Whether the relative path rel, joined to the folder dir, is key: rel as
 * passim-index was given it names the file from dir. "." parts are passed
 * over; when the join is not key as it is (a ".." part, a link on the way),
 * the file system resolves it. */
static bool names_from(const char *dir, const char *rel, size_t rel_len, const char *key)
{
    text_buf_t joined = TEXT_BUF_INIT;
    bool ok = text_buf_puts(&joined, strcmp(dir, "/") == 0 ? "" : dir);
    for (size_t i = 0; ok && i < rel_len;) {
        size_t j = i;
        while (j < rel_len && rel[j] != '/')
            j++;
        if (j > i && !(j - i == 1 && rel[i] == '.'))
            ok = text_buf_putc(&joined, '/') && text_buf_append(&joined, rel + i, j - i);
        i = j + 1;
    }
    bool same = ok && joined.data && strcmp(joined.data, key) == 0;
    if (ok && joined.data && !same) {
        char *real = realpath(joined.data, NULL);
        same = real && strcmp(real, key) == 0;
        free(real);
    }
    text_buf_free(&joined);
    return same;
}

/* A path given to passim-index relative to the folder it ran in shows as it
 * was given only from that folder; from any other, hit i shows its file's
 * canonical path, which names it from anywhere. False if memory ran out. */
static bool show_path(srch_engine_t *e, xs_mset_t *m, size_t i, srch_hit_t *h)
{
    if (!e->cwd || h->rec.path_len == 0 || h->rec.path[0] == '/')
        return true;
    size_t len;
    const char *v = xs_mset_value(m, i, PASSIM_SLOT_FILE, &len);
    char *key = v && len > 0 && v[0] == '/' ? strndup(v, len) : NULL;
    if (!key)
        return v == NULL || len == 0 || v[0] != '/';
    if (names_from(e->cwd, h->rec.path, h->rec.path_len, key)) {
        free(key);
        return true;
    }
    h->path = key;
    h->rec.path = key;
    h->rec.path_len = len;
    return true;
}

static srch_run_status_t make_hits(srch_engine_t *e, srch_result_t *r, const srch_settings_t *s,
                                   srch_error_t *err)
{
    size_t n = xs_mset_size(r->mset);
    r->total = xs_mset_estimated(r->mset);
    r->total_exact = xs_mset_lower_bound(r->mset) == xs_mset_upper_bound(r->mset);
    if (n == 0)
        return SRCH_RUN_OK;
    r->hits = calloc(n, sizeof *r->hits);
    if (!r->hits) {
        set_error(err, "out of memory", XS_ERR_NOMEM);
        return SRCH_RUN_ERROR;
    }
    srch_run_status_t rs = SRCH_RUN_OK;
    srch__strset_t unwanted = SRCH__STRSET_INIT;
    if (s->explain)
        unwanted_terms(r->query, &unwanted);
    /* Without room to tell which units count in each passage, all do. */
    bool *off = s->snippets && r->n_units ? calloc(r->n_units, sizeof *off) : NULL;
    srch_hl_unit_t *shown = off ? malloc(r->n_units * sizeof *shown) : NULL;
    for (size_t i = 0; i < n; i++) {
        srch_hit_t *h = &r->hits[r->n_hits];
        int got = hit_record(e, r->mset, i, s, &h->rec);
        if (got < 0) {
            set_error(err, "cannot read a result", xs_last_status());
            rs = SRCH_RUN_ERROR;
            break;
        }
        if (got == 0)
            continue; /* not a passim passage: skip it rather than print garbage */
        if (!ids_only(s) && !show_path(e, r->mset, i, h)) {
            set_error(err, "out of memory", XS_ERR_NOMEM);
            rs = SRCH_RUN_ERROR;
            break;
        }
        h->rank = xs_mset_rank(r->mset, i) + 1;
        h->score = xs_mset_weight(r->mset, i);
        passage_test_t pt = { e, s, r->mset, i, h->rec.ordinal, NULL };
        srch__strset_t off_terms = SRCH__STRSET_INIT;
        const srch_hl_unit_t *units = s->snippets ? hit_units(r, &pt, off, shown, &off_terms)
                                                  : r->units;
        if (s->snippets && !srch_snippet_build_in(&h->snippet, e->analyzer, h->rec.text,
                                                  h->rec.text_len, &h->rec.fence, units,
                                                  r->n_units, s->context)) {
            free(h->path); /* not counted in n_hits: srch_result_free() does not see it */
            h->path = NULL;
            xs_query_free(pt.passage);
            srch__strset_free(&off_terms);
            set_error(err, "out of memory", XS_ERR_NOMEM);
            rs = SRCH_RUN_ERROR;
            break;
        }
        if (s->explain) {
            add_unfound_terms(r, &h->snippet, units == r->units ? NULL : off, &off_terms);
            xs_query_t *passage = pt.passage ? pt.passage
                                             : passage_query(r->mset, i, h->rec.ordinal);
            pt.passage = passage;
            hit_terms_t ht = { e, s, passage, &unwanted, &off_terms, &h->explain, 0,
                               SRCH__STRSET_INIT };
            xs_mset_matching_terms(r->mset, i, explain_term, &ht);
            srch__strset_free(&ht.listed);
            text_buf_printf(&h->explain, "%s   passage %u of %.*s, %zu match%s in it; "
                            "each matched term's own BM25 weight in this passage is shown"
                            "%s\n",
                            ht.n ? "\n" : "", h->rec.ordinal, (int)h->rec.docid_len,
                            h->rec.docid, h->snippet.n_matches_total,
                            h->snippet.n_matches_total == 1 ? "" : "es",
                            r->expanded ? " (feedback terms count at their fraction of it)"
                                        : "");
        }
        xs_query_free(pt.passage);
        srch__strset_free(&off_terms);
        r->n_hits++;
    }
    free(off);
    free(shown);
    srch__strset_free(&unwanted);
    return rs;
}

/* Which phrases the tree under n looks for (not those it excludes):
 * SRCH_PHRASES_QUOTED, SRCH_PHRASES_JOINED (words joined by punctuation). */
static unsigned phrases_in(const srch_node_t *n)
{
    if (!n)
        return 0;
    if (n->kind == SRCH_NODE_PHRASE)
        return n->flags & SRCH_PHRASE_JOINED ? SRCH_PHRASES_JOINED : SRCH_PHRASES_QUOTED;
    unsigned found = 0;
    size_t kids = n->kind == SRCH_NODE_AND_NOT ? 1 : n->n_kids;
    for (size_t i = 0; i < kids; i++)
        found |= phrases_in(n->kids[i]);
    return found;
}

static srch_run_status_t run_once(srch_engine_t *e, const char *q, const srch_settings_t *s,
                                  srch_result_t *r, srch_error_t *err)
{
    memset(r, 0, sizeof *r);
    memset(err, 0, sizeof *err);
    srch_parse_opts_t po = SRCH_PARSE_OPTS_INIT;
    po.default_op = s->mode == SRCH_MODE_ANY ? SRCH_DEFAULT_OR : SRCH_DEFAULT_AND;
    po.drop_stopwords = s->stopwords;

    srch_query_status_t qs = srch_query_parse(&r->query, q, strlen(q), e->analyzer, &po, err);
    if (qs == SRCH_QUERY_ERR_SYNTAX)
        return SRCH_RUN_BAD_QUERY;
    if (qs != SRCH_QUERY_OK) {
        snprintf(err->message, sizeof err->message, "%s", srch_query_status_str(qs));
        return SRCH_RUN_ERROR;
    }
    if (srch_query_note(r->query))
        text_buf_printf(&r->notes, "passim-search: %s\n", srch_query_note(r->query));
    xs_status_t wst = widen_prefixes(e, r->query, s->build.wildcard_max, &r->notes);
    if (wst != XS_OK) {
        set_error(err, "cannot read the index's terms", wst);
        srch_result_free(r);
        return SRCH_RUN_ERROR;
    }
    xs_query_t *xq = NULL;
    srch_run_status_t rs = match(e, r, r->query, s, &xq, err);
    /* An empty page past --offset still knows whether anything matched: the
     * match ran to the end, so its bounds are exact. */
    if (rs == SRCH_RUN_OK && s->mode == SRCH_MODE_AUTO && xs_mset_size(r->mset) == 0
        && (s->offset == 0 || xs_mset_upper_bound(r->mset) == 0)) {
        /* No passage has every word: rank the passages that have any of them. */
        srch_query_t *any = NULL;
        po.default_op = SRCH_DEFAULT_OR;
        po.joined_phrase_too = true;
        if (srch_query_parse(&any, q, strlen(q), e->analyzer, &po, NULL) == SRCH_QUERY_OK
            && (wst = widen_prefixes(e, any, s->build.wildcard_max, NULL)) != XS_OK) {
            srch_query_free(any);
            any = NULL;
            /* The index failed (a writer's race, which srch_run() retries):
             * no ranking of the passages with any word is no answer. */
            set_error(err, "cannot read the index's terms", wst);
            rs = SRCH_RUN_ERROR;
        }
        if (any != NULL) {
            xs_mset_t *empty = r->mset;
            xs_query_t *xq_any = NULL;
            r->mset = NULL;
            srch_query_t *strict = r->query;
            r->query = any;
            rs = match(e, r, any, s, &xq_any, err);
            if (rs == SRCH_RUN_OK && xs_mset_upper_bound(r->mset) > 0) {
                r->relaxed = true;
                r->relaxed_phrases = phrases_in(srch_query_root(strict));
                xs_mset_free(empty);
                srch_query_free(strict);
                xs_query_free(xq);
                xq = xq_any;
            } else {
                /* Nothing has any word either, or the index failed (err
                 * says how; srch_run() retries a writer's race). */
                xs_mset_free(r->mset);
                xs_query_free(xq_any);
                r->mset = empty;
                r->query = strict;
                srch_query_free(any);
            }
        }
    }
    if (rs != SRCH_RUN_OK) {
        xs_query_free(xq);
        srch_result_free(r);
        return rs;
    }
    /* Units cost a frequency lookup per word; only snippets need them. */
    xs_status_t st = s->snippets ? srch_query_units(r->query, e->db, s->build.wildcard_max,
                                                      &r->units, &r->n_units)
                                 : XS_OK;
    if (st != XS_OK) {
        xs_query_free(xq);
        set_error(err, "cannot read term statistics", st);
        srch_result_free(r);
        return SRCH_RUN_ERROR;
    }
    if (s->explain)
        explain_query(e, r, xq);
    xs_query_free(xq);
    rs = make_hits(e, r, s, err);
    if (rs != SRCH_RUN_OK)
        srch_result_free(r);
    return rs;
}

/* ---- words that match nothing -------------------------------------------- */

/* Words that no passage contains, named one by one up to this many (each
 * with a look through the word lists for a suggestion); the rest counted. */
#define MISSING_NAMED_MAX 10

/* Chinese or Japanese characters typed touching, one word ("經濟"): named
 * whole if any of them is missing. */
typedef struct ideo_word {
    bool open;
    bool missing;          /* one of its characters is */
    srch_field_t field;
    text_buf_t text;       /* as typed */
    text_buf_t word;       /* folded: what tells two of them apart */
} ideo_word_t;

typedef struct missing_ctx {
    srch_engine_t *e;
    text_buf_t *b;
    text_buf_t term;
    text_buf_t key;       /* of a word, in named */
    srch__strset_t named; /* the words named, or counted among the more */
    size_t n_more;
    bool more_in_text;    /* some of the more are missing from passages' text */
    bool more_in_titles;  /* some from titles */
    ideo_word_t ideo;
} missing_ctx_t;

typedef struct suggestion_check {
    srch_engine_t *e;
    const srch_word_t *w; /* the word looked for */
    text_buf_t term;      /* the index term of the suggestion, for the field */
    size_t n_terms;
    bool stopword;
} suggestion_check_t;

static int suggestion_term(const text_term_t *t, void *payload)
{
    suggestion_check_t *c = payload;
    if (t->compound)
        return 0;
    c->n_terms++;
    c->stopword = t->stopword;
    text_buf_append(&c->term, t->stem, t->stem_len);
    return 0;
}

/* A stopword is offered only one edit away: a slip in a common word
 * ("becuase", "Didnt") is likely, a word two away seldom meant one ("naïve"
 * is no typo of "have"). */
#define STOPWORD_DISTANCE_MAX 1

/* How many passages hold the word (in c->w's field), into c->df; false if it
 * is not one word, or a stopword more than STOPWORD_DISTANCE_MAX edits away
 * (then it finds nothing in its place). */
static bool suggestion_df(suggestion_check_t *c, const char *word, size_t len,
                          unsigned distance, uint32_t *df)
{
    text_buf_clear(&c->term);
    c->n_terms = 0;
    c->stopword = false;
    *df = 0;
    if (c->w->field == SRCH_FIELD_TITLE)
        text_buf_puts(&c->term, PASSIM_PREFIX_TITLE);
    text_analyze(c->e->analyzer, word, len, 1, suggestion_term, c);
    return c->n_terms == 1 && (!c->stopword || distance <= STOPWORD_DISTANCE_MAX)
           && c->term.data && xs_db_termfreq(c->e->db, c->term.data, c->term.len, df) == XS_OK;
}

/* The lists keep the words of files since changed or deleted: a word no
 * passage holds any more (in w's field: the lists hold the words of the
 * text) is passed over, and the next nearest considered. A word of several
 * parts, or a stopword farther than STOPWORD_DISTANCE_MAX, is not: if it is
 * the nearest, nothing is offered. */
static bool suggestion_held(const char *word, size_t len, unsigned distance, void *payload)
{
    uint32_t df;
    return !suggestion_df(payload, word, len, distance, &df) || df > 0;
}

typedef struct scan_best {
    text_spell_best_t *best;
    bool ok;            /* false once memory ran out */
} scan_best_t;

static bool scan_best(const char *list, size_t len, void *payload)
{
    scan_best_t *sb = payload;
    return (sb->ok = text_spell_best_scan(sb->best, list, len));
}

/* Where the typed text of w goes on after its elided article, whose folded
 * form is w->word's first elided bytes (letters and an apostrophe: the "L'"
 * or "l’" of "L’Afganistan"); 0 if there is none. */
static size_t typed_after_elision(const srch_word_t *w, size_t elided)
{
    size_t len = strlen(w->text), letters = elided > 0 ? elided - 1 : 0;
    size_t a = elided > 0 && letters < len ? text_apostrophe_len(w->text, len, letters) : 0;
    return a > 0 ? letters + a : 0;
}

/* The word of the index's word lists (spell.h) that w most likely meant and
 * that would find something in its place, into b (cleared first); false if
 * there is none. */
static bool suggest(srch_engine_t *e, const srch_word_t *w, text_buf_t *b)
{
    text_spell_best_t best;
    size_t elided = text_elided_len(e->analyzer, w->word, strlen(w->word));
    if (!text_spell_best_init(&best, w->word + elided, strlen(w->word) - elided))
        return false;
    suggestion_check_t check = { e, w, TEXT_BUF_INIT, 0, false };
    best.accept = suggestion_held;
    best.accept_payload = &check;
    size_t n = best.n_chars, lo = n > TEXT_SPELL_MAX_DISTANCE ? n - TEXT_SPELL_MAX_DISTANCE : 1;
    xs_status_t st = XS_OK;
    scan_best_t sb = { &best, true };
    size_t hi = n + TEXT_SPELL_MAX_DISTANCE + TEXT_SPELL_APOSTROPHES_MAX;
    for (size_t len = lo; sb.ok && st == XS_OK && len <= hi; len++)
        each_word_list(e, len, scan_best, &sb, &st);
    bool ok = sb.ok && st == XS_OK;
    uint32_t df = 0;
    ok = ok && best.found
         && suggestion_df(&check, best.word.data, best.word.len, best.distance, &df) && df > 0;
    text_buf_free(&check.term);
    text_buf_clear(b);
    /* In the case the word was typed in, after its elided article ("l'" of
     * "L'Afganistan": "Afghanistan"); not if that reads as an operator
     * ("ANDD": "AND" would be no word). */
    size_t after = typed_after_elision(w, elided);
    ok = ok && text_case_like(b, best.word.data, best.word.len, w->text + after,
                              strlen(w->text) - after)
         && !srch_query_is_operator(b->data, b->len);
    text_spell_best_free(&best);
    return ok;
}

/* Whether no passage holds w (in its field). */
static bool word_missing(missing_ctx_t *m, const srch_word_t *w)
{
    if (w->either && either_found(m->e, w->either, &m->term))
        return false; /* written the other way, the word is there */
    if (w->prefix) {
        /* A wildcard: missing if no term starts with it (after widening)
         * and it finds no word whose stem it does not start. */
        bool found = true;
        if (w->n_also > 0)
            return false;
        word_term(w, &m->term);
        return m->term.data && starts_a_term(m->e, m->term.data, m->term.len, &found) == XS_OK
               && !found;
    }
    uint32_t df = 0;
    return word_df(m->e, w, &m->term, &df) == XS_OK && df == 0;
}

/* Whether a missing word of field, told apart by key, is named: not if it
 * was named already, or if MISSING_NAMED_MAX were (it is then counted). */
static bool to_name(missing_ctx_t *m, const char *key, srch_field_t field)
{
    if (!srch__strset_add(&m->named, key))
        return false;
    if (m->named.n > MISSING_NAMED_MAX) {
        m->n_more++;
        if (field == SRCH_FIELD_TITLE)
            m->more_in_titles = true;
        else
            m->more_in_text = true;
        return false;
    }
    return true;
}

static const char *missing_where(srch_field_t field)
{
    return field == SRCH_FIELD_TITLE ? "article title" : "passage";
}

/* Name the Chinese or Japanese word gathered so far, if it is missing. */
static void close_ideo_word(missing_ctx_t *m)
{
    ideo_word_t *iw = &m->ideo;
    if (iw->open && iw->missing && iw->text.data
        && word_key(&m->key, iw->field, false, false, iw->word.data, iw->word.len)
        && to_name(m, m->key.data, iw->field))
        text_buf_printf(m->b, "passim-search: no %s contains '%s'\n", missing_where(iw->field),
                        iw->text.data);
    iw->open = iw->missing = false;
    text_buf_clear(&iw->text);
    text_buf_clear(&iw->word);
}

static int report_word(const srch_word_t *w, void *payload)
{
    missing_ctx_t *m = payload;
    ideo_word_t *iw = &m->ideo;
    if (w->excluded || w->solid) /* its parts are named */
        return 0;
    if (w->ideo) {
        if (!iw->open || !w->ideo_touching || w->field != iw->field)
            close_ideo_word(m);
        iw->open = true;
        iw->field = w->field;
        if (!iw->missing)
            iw->missing = word_missing(m, w);
        text_buf_puts(&iw->text, w->text);
        text_buf_puts(&iw->word, w->word);
        return 0;
    }
    close_ideo_word(m);
    if (!word_missing(m, w))
        return 0;
    if (!word_key(&m->key, w->field, w->excluded, w->prefix, w->word, strlen(w->word))
        || !to_name(m, m->key.data, w->field))
        return 0;
    if (w->prefix) {
        /* Without word lists only stems can be looked at: a word may start
         * with the prefix that its stem does not ("organizatio*", stem
         * organ). */
        if (words_complete(m->e))
            text_buf_printf(m->b, "passim-search: no word%s starts with '%s'\n",
                            w->field == SRCH_FIELD_TITLE ? " of a title" : "", w->text);
        else
            text_buf_printf(m->b, "passim-search: no stem of a word%s starts with '%s', and the "
                                  "index keeps no list of its words to look further: type a "
                                  "shorter prefix, or the whole word\n",
                            w->field == SRCH_FIELD_TITLE ? " of a title" : "", w->text);
        return 0;
    }
    text_buf_printf(m->b, "passim-search: no %s contains '%s'", missing_where(w->field), w->text);
    if (suggest(m->e, w, &m->term))
        text_buf_printf(m->b, "; did you mean '%s'?", m->term.data);
    text_buf_putc(m->b, '\n');
    return 0;
}

void srch_report_missing(srch_engine_t *e, const srch_result_t *r, text_buf_t *b)
{
    uint32_t passages = 1;
    if (xs_db_doccount(e->db, &passages) == XS_OK && passages == 0) {
        text_buf_puts(b, "passim-search: the index holds no passage: no article yet, or none "
                         "with a word (passim-index adds files to it)\n");
        return;
    }
    missing_ctx_t m = { e, b, TEXT_BUF_INIT, TEXT_BUF_INIT, SRCH__STRSET_INIT, 0, false, false,
                        { 0 } };
    if (r->query)
        srch_query_words(r->query, report_word, &m);
    close_ideo_word(&m);
    if (m.n_more > 0)
        text_buf_printf(b, "passim-search: and %zu more word%s that no %s contains\n",
                        m.n_more, m.n_more == 1 ? "" : "s",
                        !m.more_in_text ? "article title"
                        : m.more_in_titles ? "passage or article title" : "passage");
    text_buf_free(&m.term);
    text_buf_free(&m.key);
    text_buf_free(&m.ideo.text);
    text_buf_free(&m.ideo.word);
    srch__strset_free(&m.named);
}

srch_run_status_t srch_run(srch_engine_t *e, const char *q, const srch_settings_t *s,
                           srch_result_t *r, srch_error_t *err)
{
    tries_t tries = { 0, 0 };
    for (;;) {
        failed_status = XS_OK;
        srch_run_status_t rs = run_once(e, q, s, r, err);
        if (rs != SRCH_RUN_ERROR || !try_again(failed_status, &tries))
            return rs;
        /* A writer committed while we read: results must come from one
         * revision, so start again on the latest one, query and all, so that
         * a wildcard stands for the words the highlights will read. */
        xs_db_reopen(e->db);
        srch__id_cache_clear(e->ids);
    }
}
