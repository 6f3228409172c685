/*
 * check_shim.c — tests of shim/ (xapian_shim.h) through its C API only, the
 * way the indexer and the searcher use it: opening and locking, batches and
 * their durability, documents, statistics and walks, metadata,
 * queries with every operator, searching (ranks, weights, options, collapse,
 * matching terms, expansion), shards, compaction, and every error path that
 * can be provoked from outside.
 *
 * Each test gets a fresh directory made with mkdtemp under the build
 * directory ($builddir, else the current directory) and removed afterwards.
 */
#include <check.h>
#include <ftw.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xapian_shim.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

#define OK(expr)                                                                   \
    do {                                                                           \
        xs_status_t st_ok_ = (expr);                                               \
        ck_assert_msg(st_ok_ == XS_OK, "%s -> %s: %s", #expr, xs_status_str(st_ok_), \
                      xs_last_error());                                            \
    } while (0)

#define FAILS(expr, want)                                                          \
    do {                                                                           \
        xs_status_t st_f_ = (expr);                                                \
        ck_assert_msg(st_f_ == (want), "%s -> %s (%s), expected %s", #expr,        \
                      xs_status_str(st_f_), xs_last_error(), xs_status_str(want)); \
    } while (0)

#define ERROR_HAS(needle)                                                          \
    ck_assert_msg(strstr(xs_last_error(), (needle)) != NULL,                       \
                  "last error \"%s\" lacks \"%s\"", xs_last_error(), (needle))

#define PATH_LEN 4096

static char tmp_root[PATH_LEN];
static char path_ring[8][PATH_LEN];
static unsigned path_next;

/* A path inside this test's directory; a small ring so that several can be
 * alive at once without the caller managing buffers. */
static const char *tpath(const char *name)
{
    char *p = path_ring[path_next++ % 8];
    size_t n = strlen(tmp_root);
    ck_assert_uint_lt(n + 1 + strlen(name), PATH_LEN);
    memcpy(p, tmp_root, n);
    p[n] = '/';
    strcpy(p + n + 1, name);
    return p;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void tmp_setup(void)
{
    const char *base = getenv("builddir");
    if (!base || !*base)
        base = ".";
    ck_assert_uint_lt(strlen(base) + 32, PATH_LEN);
    strcpy(tmp_root, base);
    strcat(tmp_root, "/check_shim-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp_root));
}

static void tmp_teardown(void)
{
    nftw(tmp_root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Add one document whose words get positions 1, 2, ... in order, with the
 * conventions the indexer uses: boolean id term Q<id>, boolean group term
 * XG<group>, value 0 = group, value 1 = id, data = id. */
static xs_docid_t add_text_doc(xs_db_t *db, const char *id, const char *text,
                               const char *group)
{
    xs_doc_t *doc;
    char term[64];
    xs_docid_t did = 0;
    uint32_t pos = 0;

    OK(xs_doc_new(&doc));
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, " ");
        if (n > 0)
            OK(xs_doc_add_posting(doc, p, n, ++pos));
        p += n;
        p += strspn(p, " ");
    }
    snprintf(term, sizeof term, "Q%s", id);
    OK(xs_doc_add_boolean_term(doc, term, strlen(term)));
    if (group) {
        snprintf(term, sizeof term, "XG%s", group);
        OK(xs_doc_add_boolean_term(doc, term, strlen(term)));
        OK(xs_doc_set_value(doc, 0, group, strlen(group)));
    }
    OK(xs_doc_set_value(doc, 1, id, strlen(id)));
    OK(xs_doc_set_data(doc, id, strlen(id)));
    OK(xs_db_add_document(db, doc, &did));
    xs_doc_free(doc);
    return did;
}

struct corpus_doc {
    const char *id, *text, *group;
};

/* Document ids are 1..6 in this order. Lengths 5, 5, 5, 3, 6, 3 (avg 4.5). */
static const struct corpus_doc corpus[] = {
    { "doc1", "the quick brown fox jumps", "A" },
    { "doc2", "the lazy brown dog sleeps", "A" },
    { "doc3", "quick quick fox runs fast", "B" },
    { "doc4", "brown fox quick", "B" },
    { "doc5", "a dog and a fox sleeps", "C" },
    { "doc6", "searching search searched", "C" },
};
#define N_CORPUS (sizeof corpus / sizeof corpus[0])

static void build_corpus(const char *path)
{
    xs_db_t *db;
    OK(xs_db_open(&db, path, XS_DB_CREATE));
    OK(xs_db_begin(db));
    for (size_t i = 0; i < N_CORPUS; i++)
        ck_assert_uint_eq(add_text_doc(db, corpus[i].id, corpus[i].text, corpus[i].group),
                          i + 1);
    OK(xs_db_commit(db));
    OK(xs_db_close(db));
    xs_db_free(db);
}

/* A database with n documents "<name><i> common <word i>" committed. */
static void build_small(const char *path, const char *name, size_t n, const char *const *words)
{
    xs_db_t *db;
    char id[32], text[128];
    OK(xs_db_open(&db, path, XS_DB_CREATE));
    OK(xs_db_begin(db));
    for (size_t i = 0; i < n; i++) {
        snprintf(id, sizeof id, "%s%zu", name, i + 1);
        snprintf(text, sizeof text, "common %s", words[i]);
        add_text_doc(db, id, text, NULL);
    }
    OK(xs_db_commit(db));
    xs_db_free(db);
}

static uint32_t doccount_at(const char *path)
{
    xs_db_t *db;
    uint32_t n = 0;
    OK(xs_db_open(&db, path, XS_DB_READ));
    OK(xs_db_doccount(db, &n));
    xs_db_free(db);
    return n;
}

static uint32_t termfreq(const xs_db_t *db, const char *term)
{
    uint32_t n = 99;
    OK(xs_db_termfreq(db, term, strlen(term), &n));
    return n;
}

static xs_query_t *term_q(const char *term, uint32_t pos)
{
    xs_query_t *q;
    OK(xs_query_term(&q, term, strlen(term), 1, pos));
    return q;
}

/* Combine up to four terms (NULL-terminated array) with op; positions 1.. */
static xs_query_t *terms_q(xs_op_t op, uint32_t window, const char *const *terms)
{
    xs_query_t *subs[4], *q;
    size_t n = 0;
    while (n < 4 && terms[n]) {
        subs[n] = term_q(terms[n], (uint32_t)n + 1);
        n++;
    }
    OK(xs_query_combine(&q, op, (const xs_query_t *const *)subs, n, window));
    for (size_t i = 0; i < n; i++)
        xs_query_free(subs[i]);
    return q;
}

static int cmp_docid(const void *a, const void *b)
{
    xs_docid_t x = *(const xs_docid_t *)a, y = *(const xs_docid_t *)b;
    return (x > y) - (x < y);
}

/* Run q (default options but limit 100) and return the sorted docids in ids,
 * 0-terminated; returns how many. */
static size_t match_ids(xs_db_t *db, const xs_query_t *q, xs_docid_t ids[16])
{
    xs_search_opts_t opts = XS_SEARCH_OPTS_INIT;
    xs_mset_t *m;
    size_t n;
    opts.limit = 100;
    OK(xs_search(&m, db, q, &opts));
    n = xs_mset_size(m);
    ck_assert_uint_lt(n, 16);
    for (size_t i = 0; i < n; i++)
        ids[i] = xs_mset_docid(m, i);
    ids[n] = 0;
    qsort(ids, n, sizeof ids[0], cmp_docid);
    xs_mset_free(m);
    return n;
}

static void assert_ids(const xs_docid_t *got, const xs_docid_t *want, const char *what)
{
    size_t i = 0;
    for (; want[i] && got[i]; i++)
        ck_assert_msg(got[i] == want[i], "%s: result %zu is doc %u, expected doc %u", what, i,
                      got[i], want[i]);
    ck_assert_msg(!want[i] && !got[i], "%s: %s results than expected", what,
                  got[i] ? "more" : "fewer");
}

/* ------------------------------------------------------------------------ */
/* Fixtures                                                                 */
/* ------------------------------------------------------------------------ */

/* The corpus, committed, opened read-only in corpus_db. */
static xs_db_t *corpus_db;

static void corpus_setup(void)
{
    tmp_setup();
    build_corpus(tpath("corpus.db"));
    OK(xs_db_open(&corpus_db, tpath("corpus.db"), XS_DB_READ));
}

static void corpus_teardown(void)
{
    xs_db_free(corpus_db);
    corpus_db = NULL;
    tmp_teardown();
}

/* A fresh writable database with a batch open, and an empty document. */
static xs_db_t *wdb;
static xs_doc_t *wdoc;

static void writer_setup(void)
{
    tmp_setup();
    OK(xs_db_open(&wdb, tpath("w.db"), XS_DB_CREATE));
    OK(xs_db_begin(wdb));
    OK(xs_doc_new(&wdoc));
}

static void writer_teardown(void)
{
    xs_doc_free(wdoc);
    wdoc = NULL;
    xs_db_free(wdb);
    wdb = NULL;
    tmp_teardown();
}

/* ------------------------------------------------------------------------ */
/* Statuses and the last-error message                                      */
/* ------------------------------------------------------------------------ */

START_TEST(test_shim_status_strings)
{
    for (int i = 0; i < XS_STATUS_LAST; i++) {
        const char *s = xs_status_str((xs_status_t)i);
        ck_assert_ptr_nonnull(s);
        ck_assert_str_ne(s, "unknown status");
        for (int j = 0; j < i; j++)
            ck_assert_str_ne(s, xs_status_str((xs_status_t)j));
    }
    ck_assert_str_eq(xs_status_str(XS_STATUS_LAST), "unknown status");
    ck_assert_str_eq(xs_status_str((xs_status_t)1000), "unknown status");
    ck_assert_str_eq(xs_status_str(XS_ERR_LOCKED), "database locked");
}
END_TEST

START_TEST(test_shim_version)
{
    const char *v = xs_version();
    ck_assert_ptr_nonnull(v);
    ck_assert_msg(strncmp(v, "1.", 2) == 0, "unexpected Xapian version %s", v);
}
END_TEST

static void *fail_in_thread(void *arg)
{
    xs_db_t *db = NULL;
    xs_status_t st = xs_db_open(&db, (const char *)arg, XS_DB_READ);
    return st == XS_ERR_NOT_FOUND && strstr(xs_last_error(), "other-thread") ? arg : NULL;
}

START_TEST(test_shim_last_error_thread_local)
{
    xs_db_t *db = NULL;
    pthread_t t;
    void *res = NULL;
    char mine[PATH_LEN];

    FAILS(xs_db_open(&db, tpath("this-thread"), XS_DB_READ), XS_ERR_NOT_FOUND);
    strcpy(mine, xs_last_error());
    ck_assert_int_eq(pthread_create(&t, NULL, fail_in_thread, (void *)tpath("other-thread")),
                     0);
    ck_assert_int_eq(pthread_join(t, &res), 0);
    ck_assert_ptr_nonnull(res);
    /* The other thread's failure did not overwrite this thread's message. */
    ck_assert_str_eq(xs_last_error(), mine);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Opening, locking, closing                                                */
/* ------------------------------------------------------------------------ */

START_TEST(test_shim_open_missing_db)
{
    xs_db_t *db = (xs_db_t *)&db; /* junk that must be reset to NULL */
    char want[PATH_LEN + 32];
    const char *path = tpath("missing.db");

    FAILS(xs_db_open(&db, path, XS_DB_READ), XS_ERR_NOT_FOUND);
    ck_assert_ptr_null(db);
    snprintf(want, sizeof want, "no such database: %s", path);
    ck_assert_str_eq(xs_last_error(), want);
    /* An existing directory that holds no database is not one either. */
    ck_assert_int_eq(mkdir(tpath("empty"), 0700), 0);
    FAILS(xs_db_open(&db, tpath("empty"), XS_DB_READ), XS_ERR_NOT_FOUND);
    ck_assert_ptr_null(db);
    ERROR_HAS("no such database");
}
END_TEST

START_TEST(test_shim_open_modes)
{
    xs_db_t *db;
    uint32_t n;

    /* WRITE creates when missing. */
    OK(xs_db_open(&db, tpath("a.db"), XS_DB_WRITE));
    ck_assert(xs_db_writable(db));
    ck_assert(!xs_db_in_batch(db));
    OK(xs_db_begin(db));
    add_text_doc(db, "one", "hello world", NULL);
    OK(xs_db_commit(db));
    xs_db_free(db);

    /* WRITE on an existing database keeps its documents. */
    OK(xs_db_open(&db, tpath("a.db"), XS_DB_WRITE));
    OK(xs_db_doccount(db, &n));
    ck_assert_uint_eq(n, 1);
    xs_db_free(db);

    /* READ is not writable. */
    OK(xs_db_open(&db, tpath("a.db"), XS_DB_READ));
    ck_assert(!xs_db_writable(db));
    xs_db_free(db);

    /* OVERWRITE empties it. */
    OK(xs_db_open(&db, tpath("a.db"), XS_DB_OVERWRITE));
    OK(xs_db_doccount(db, &n));
    ck_assert_uint_eq(n, 0);
    xs_db_free(db);
    ck_assert_uint_eq(doccount_at(tpath("a.db")), 0);

    /* CREATE on a fresh path works, and only there. */
    OK(xs_db_open(&db, tpath("b.db"), XS_DB_CREATE));
    ck_assert(xs_db_writable(db));
    xs_db_free(db);
}
END_TEST

START_TEST(test_shim_open_create_existing)
{
    xs_db_t *db;
    build_corpus(tpath("c.db"));
    db = (xs_db_t *)&db;
    FAILS(xs_db_open(&db, tpath("c.db"), XS_DB_CREATE), XS_ERR_INVALID);
    ck_assert_ptr_null(db);
    ERROR_HAS("already exists");
    /* And it was not touched. */
    ck_assert_uint_eq(doccount_at(tpath("c.db")), N_CORPUS);
}
END_TEST

START_TEST(test_shim_open_second_writer_locked)
{
    xs_db_t *first, *second = (xs_db_t *)&second, *reader;
    char want[PATH_LEN + 64];
    const char *path = tpath("l.db");

    OK(xs_db_open(&first, path, XS_DB_CREATE));
    FAILS(xs_db_open(&second, path, XS_DB_WRITE), XS_ERR_LOCKED);
    ck_assert_ptr_null(second);
    snprintf(want, sizeof want, "database locked by another writer: %s", path);
    ck_assert_str_eq(xs_last_error(), want);
    FAILS(xs_db_open(&second, path, XS_DB_OVERWRITE), XS_ERR_LOCKED);
    /* Readers are not blocked by the writer. */
    OK(xs_db_open(&reader, path, XS_DB_READ));
    xs_db_free(reader);
    /* Closing (not yet freeing) releases the lock. */
    OK(xs_db_close(first));
    OK(xs_db_open(&second, path, XS_DB_WRITE));
    xs_db_free(second);
    xs_db_free(first);
}
END_TEST

START_TEST(test_shim_open_bad_arguments)
{
    xs_db_t *db = (xs_db_t *)&db;
    FAILS(xs_db_open(NULL, tpath("x.db"), XS_DB_WRITE), XS_ERR_INVALID);
    FAILS(xs_db_open(&db, NULL, XS_DB_WRITE), XS_ERR_INVALID);
    ck_assert_ptr_null(db);
    FAILS(xs_db_open(&db, "", XS_DB_WRITE), XS_ERR_INVALID);
    db = (xs_db_t *)&db;
    FAILS(xs_db_open(&db, tpath("x.db"), (xs_mode_t)42), XS_ERR_INVALID);
    ck_assert_ptr_null(db);
    ERROR_HAS("mode");
    /* The bad mode created nothing. */
    ck_assert_int_ne(access(tpath("x.db"), F_OK), 0);
}
END_TEST

START_TEST(test_shim_open_io_error)
{
    xs_db_t *db = (xs_db_t *)&db;
    FILE *f = fopen(tpath("plain-file"), "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    /* A path through a regular file fails in the system (ENOTDIR): that is an
     * I/O error, not a missing database. */
    FAILS(xs_db_open(&db, tpath("plain-file/sub.db"), XS_DB_WRITE), XS_ERR_IO);
    ck_assert_ptr_null(db);
    ck_assert_str_ne(xs_last_error(), "");
}
END_TEST

START_TEST(test_shim_open_corrupt)
{
    xs_db_t *db = (xs_db_t *)&db;
    char version_file[PATH_LEN];
    FILE *f;

    build_corpus(tpath("bad.db"));
    snprintf(version_file, sizeof version_file, "%s/iamglass", tpath("bad.db"));
    f = fopen(version_file, "w");
    ck_assert_ptr_nonnull(f);
    fputs("garbage", f);
    fclose(f);
    FAILS(xs_db_open(&db, tpath("bad.db"), XS_DB_READ), XS_ERR_CORRUPT);
    ck_assert_ptr_null(db);
    ck_assert_str_ne(xs_last_error(), "");
}
END_TEST

/* A table cut short reads as Xapian's plain DatabaseError ("EOF reading
 * block N"): damage, which a reader may also meet in a writer's race, and
 * which is then reported as such, for the caller to retry after a pause. */
START_TEST(test_shim_table_cut_short_is_corrupt)
{
    xs_db_t *db;
    xs_query_t *q;
    xs_mset_t *m = NULL;
    char table[PATH_LEN], id[32], text[64];

    OK(xs_db_open(&db, tpath("short.db"), XS_DB_CREATE));
    OK(xs_db_begin(db));
    for (unsigned i = 0; i < 3000; i++) {
        snprintf(id, sizeof id, "d%u", i);
        snprintf(text, sizeof text, "w%u w%u w%u common", i % 500, (i * 7) % 500, i % 11);
        add_text_doc(db, id, text, NULL);
    }
    OK(xs_db_commit(db));
    xs_db_free(db);
    snprintf(table, sizeof table, "%s/postlist.glass", tpath("short.db"));
    struct stat sb;
    ck_assert_int_eq(stat(table, &sb), 0);
    ck_assert_int_gt(sb.st_size, 8 * 8192);
    ck_assert_int_eq(truncate(table, 8192), 0);

    xs_status_t st = xs_db_open(&db, tpath("short.db"), XS_DB_READ);
    if (st == XS_OK) {
        q = term_q("common", 0);
        st = xs_search(&m, db, q, NULL);
        xs_query_free(q);
        xs_mset_free(m);
        xs_db_free(db);
    }
    ck_assert_int_eq(st, XS_ERR_CORRUPT);
    ck_assert_int_eq(xs_last_status(), XS_ERR_CORRUPT);
    ERROR_HAS("block");
}
END_TEST

/* A table file deleted: Xapian opens the database all the same, and
 * xs_db_check_tables() names what is missing. An empty database, or one with
 * both tables, passes. */
START_TEST(test_shim_check_tables)
{
    static const struct {
        const char *file, *message;
        bool rebuildable;
    } rows[] = {
        { NULL, NULL, false },
        { "position.glass", "position table", true },
        { "termlist.glass", "term list table", false },
    };
    xs_db_t *db;
    char path[PATH_LEN];
    bool rebuildable = true;
    OK(xs_db_open(&db, tpath("empty.db"), XS_DB_CREATE));
    OK(xs_db_check_tables(db, &rebuildable));
    ck_assert(!rebuildable);
    xs_db_free(db);
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        char name[32];
        snprintf(name, sizeof name, "tables%zu.db", r);
        OK(xs_db_open(&db, tpath(name), XS_DB_CREATE));
        OK(xs_db_begin(db));
        add_text_doc(db, "a", "peace talks resumed", NULL);
        OK(xs_db_commit(db));
        xs_db_free(db);
        if (rows[r].file) {
            snprintf(path, sizeof path, "%s/%s", tpath(name), rows[r].file);
            ck_assert_int_eq(unlink(path), 0);
        }
        OK(xs_db_open(&db, tpath(name), XS_DB_READ));
        xs_status_t st = xs_db_check_tables(db, &rebuildable);
        ck_assert(rebuildable == rows[r].rebuildable);
        if (rows[r].message) {
            ck_assert_int_eq(st, XS_ERR_CORRUPT);
            ERROR_HAS(rows[r].message);
        } else {
            ck_assert_int_eq(st, XS_OK);
        }
        xs_db_free(db);
    }
    ck_assert_int_eq(xs_db_check_tables(NULL, NULL), XS_ERR_INVALID);
}
END_TEST

START_TEST(test_shim_closed_handle_refuses)
{
    xs_db_t *db;
    xs_query_t *q;
    xs_mset_t *m = (xs_mset_t *)&m;
    uint32_t n = 7;

    build_corpus(tpath("c.db"));
    OK(xs_db_open(&db, tpath("c.db"), XS_DB_WRITE));
    OK(xs_db_close(db));
    ck_assert(!xs_db_writable(db));
    ck_assert(!xs_db_in_batch(db));
    FAILS(xs_db_close(db), XS_ERR_INVALID);
    FAILS(xs_db_doccount(db, &n), XS_ERR_INVALID);
    ck_assert_uint_eq(n, 0);
    ERROR_HAS("closed");
    FAILS(xs_db_begin(db), XS_ERR_INVALID);
    FAILS(xs_db_termfreq(db, "fox", 3, &n), XS_ERR_INVALID);
    FAILS(xs_db_reopen(db), XS_ERR_INVALID);
    q = term_q("fox", 0);
    FAILS(xs_search(&m, db, q, NULL), XS_ERR_INVALID);
    ck_assert_ptr_null(m);
    ERROR_HAS("closed");
    xs_query_free(q);
    xs_db_free(db);

    /* The same for a read-only handle. */
    OK(xs_db_open(&db, tpath("c.db"), XS_DB_READ));
    OK(xs_db_close(db));
    FAILS(xs_db_doccount(db, &n), XS_ERR_INVALID);
    xs_db_free(db);
}
END_TEST

START_TEST(test_shim_reopen_sees_new_commits)
{
    xs_db_t *w, *r;
    uint32_t n;

    OK(xs_db_open(&w, tpath("r.db"), XS_DB_CREATE));
    OK(xs_db_begin(w));
    add_text_doc(w, "one", "first", NULL);
    OK(xs_db_commit(w));

    OK(xs_db_open(&r, tpath("r.db"), XS_DB_READ));
    OK(xs_db_begin(w));
    add_text_doc(w, "two", "second", NULL);
    OK(xs_db_commit(w));

    /* The reader keeps its revision until it reopens. */
    OK(xs_db_doccount(r, &n));
    ck_assert_uint_eq(n, 1);
    OK(xs_db_reopen(r));
    OK(xs_db_doccount(r, &n));
    ck_assert_uint_eq(n, 2);
    /* For a writer, reopen is a no-op that succeeds. */
    OK(xs_db_reopen(w));
    xs_db_free(r);
    xs_db_free(w);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Batches                                                                  */
/* ------------------------------------------------------------------------ */

START_TEST(test_shim_batch_commit_durable)
{
    xs_db_t *db;
    char *data;
    size_t len;

    OK(xs_db_open(&db, tpath("d.db"), XS_DB_CREATE));
    OK(xs_db_begin(db));
    ck_assert(xs_db_in_batch(db));
    add_text_doc(db, "one", "durable words", NULL);
    add_text_doc(db, "two", "more words", NULL);
    OK(xs_db_commit(db));
    ck_assert(!xs_db_in_batch(db));
    xs_db_free(db);

    OK(xs_db_open(&db, tpath("d.db"), XS_DB_READ));
    ck_assert_uint_eq(termfreq(db, "words"), 2);
    OK(xs_db_document_data(db, 2, &data, &len));
    ck_assert_uint_eq(len, 3);
    ck_assert_str_eq(data, "two");
    free(data);
    xs_db_free(db);
    ck_assert_uint_eq(doccount_at(tpath("d.db")), 2);
}
END_TEST

START_TEST(test_shim_batch_free_discards)
{
    xs_db_t *db;

    OK(xs_db_open(&db, tpath("f.db"), XS_DB_CREATE));
    OK(xs_db_begin(db));
    add_text_doc(db, "kept", "committed", NULL);
    OK(xs_db_commit(db));
    OK(xs_db_begin(db));
    add_text_doc(db, "lost1", "uncommitted", NULL);
    add_text_doc(db, "lost2", "uncommitted", NULL);
    /* Free with the batch open: nothing of it may reach the disk. */
    xs_db_free(db);

    ck_assert_uint_eq(doccount_at(tpath("f.db")), 1);
    OK(xs_db_open(&db, tpath("f.db"), XS_DB_READ));
    ck_assert_uint_eq(termfreq(db, "uncommitted"), 0);
    ck_assert_uint_eq(termfreq(db, "committed"), 1);
    xs_db_free(db);
}
END_TEST

START_TEST(test_shim_batch_close_discards)
{
    xs_db_t *db;

    OK(xs_db_open(&db, tpath("g.db"), XS_DB_CREATE));
    OK(xs_db_begin(db));
    add_text_doc(db, "kept", "committed", NULL);
    OK(xs_db_commit(db));
    OK(xs_db_begin(db));
    add_text_doc(db, "lost", "uncommitted", NULL);
    OK(xs_db_close(db));
    xs_db_free(db);
    ck_assert_uint_eq(doccount_at(tpath("g.db")), 1);
}
END_TEST

START_TEST(test_shim_batch_cancel_discards)
{
    xs_db_t *db;
    uint32_t n;

    OK(xs_db_open(&db, tpath("h.db"), XS_DB_CREATE));
    OK(xs_db_begin(db));
    add_text_doc(db, "kept", "committed", NULL);
    OK(xs_db_commit(db));
    OK(xs_db_begin(db));
    add_text_doc(db, "lost", "uncommitted", NULL);
    /* Reads inside the batch see its writes... */
    OK(xs_db_doccount(db, &n));
    ck_assert_uint_eq(n, 2);
    OK(xs_db_cancel(db));
    ck_assert(!xs_db_in_batch(db));
    /* ...and after a cancel they are gone, here and on disk. */
    OK(xs_db_doccount(db, &n));
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(termfreq(db, "uncommitted"), 0);
    /* A new batch can start after a cancel. */
    OK(xs_db_begin(db));
    OK(xs_db_commit(db));
    xs_db_free(db);
    ck_assert_uint_eq(doccount_at(tpath("h.db")), 1);
}
END_TEST

START_TEST(test_shim_batch_state_errors)
{
    xs_db_t *db, *r;

    OK(xs_db_open(&db, tpath("s.db"), XS_DB_CREATE));
    FAILS(xs_db_commit(db), XS_ERR_INVALID);
    ERROR_HAS("no batch open");
    FAILS(xs_db_cancel(db), XS_ERR_INVALID);
    ERROR_HAS("no batch open");
    OK(xs_db_begin(db));
    FAILS(xs_db_begin(db), XS_ERR_INVALID);
    ERROR_HAS("already open");
    /* The failed second begin left the first batch usable. */
    ck_assert(xs_db_in_batch(db));
    add_text_doc(db, "one", "still works", NULL);
    OK(xs_db_commit(db));
    FAILS(xs_db_commit(db), XS_ERR_INVALID);
    xs_db_free(db);
    ck_assert_uint_eq(doccount_at(tpath("s.db")), 1);

    /* Read-only handles have no batches. */
    OK(xs_db_open(&r, tpath("s.db"), XS_DB_READ));
    FAILS(xs_db_begin(r), XS_ERR_INVALID);
    ERROR_HAS("read-only");
    FAILS(xs_db_commit(r), XS_ERR_INVALID);
    FAILS(xs_db_cancel(r), XS_ERR_INVALID);
    ck_assert(!xs_db_in_batch(r));
    xs_db_free(r);
}
END_TEST

/* Each write, tried outside a batch. */
typedef xs_status_t (*write_fn)(xs_db_t *db, xs_doc_t *doc);

static xs_status_t w_add(xs_db_t *db, xs_doc_t *doc)
{
    return xs_db_add_document(db, doc, NULL);
}
static xs_status_t w_replace(xs_db_t *db, xs_doc_t *doc)
{
    return xs_db_replace_document(db, "Qx", 2, doc);
}
static xs_status_t w_delete(xs_db_t *db, xs_doc_t *doc)
{
    (void)doc;
    return xs_db_delete_documents(db, "Qx", 2);
}
static xs_status_t w_metadata(xs_db_t *db, xs_doc_t *doc)
{
    (void)doc;
    return xs_db_set_metadata(db, "key", "value", 5);
}

static const struct {
    const char *name;
    write_fn fn;
} write_rows[] = {
    { "add_document", w_add },         /* the indexer's main write */
    { "replace_document", w_replace }, /* re-indexing a changed file */
    { "delete_documents", w_delete },  /* a file that disappeared */
    { "set_metadata", w_metadata },    /* index settings */
};

START_TEST(test_shim_write_without_batch)
{
    xs_db_t *db, *r;
    xs_doc_t *doc;

    OK(xs_doc_new(&doc));
    OK(xs_doc_add_term(doc, "term", 4, 1));
    OK(xs_db_open(&db, tpath("n.db"), XS_DB_CREATE));
    FAILS(write_rows[_i].fn(db, doc), XS_ERR_INVALID);
    ERROR_HAS("no batch open");
    /* After a commit the batch is over again. */
    OK(xs_db_begin(db));
    OK(xs_db_commit(db));
    FAILS(write_rows[_i].fn(db, doc), XS_ERR_INVALID);
    ERROR_HAS("no batch open");
    /* Inside a batch the same call works. */
    OK(xs_db_begin(db));
    OK(write_rows[_i].fn(db, doc));
    OK(xs_db_commit(db));
    xs_db_free(db);

    /* On a read-only handle the write is refused as well. */
    OK(xs_db_open(&r, tpath("n.db"), XS_DB_READ));
    FAILS(write_rows[_i].fn(r, doc), XS_ERR_INVALID);
    ERROR_HAS("read-only");
    xs_db_free(r);
    xs_doc_free(doc);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Documents and statistics                                                 */
/* ------------------------------------------------------------------------ */

START_TEST(test_shim_stats)
{
    uint32_t n;
    uint64_t cf;
    double avl;

    OK(xs_db_doccount(corpus_db, &n));
    ck_assert_uint_eq(n, N_CORPUS);
    OK(xs_db_avlength(corpus_db, &avl));
    ck_assert_double_eq_tol(avl, 27.0 / 6.0, 1e-9);
    ck_assert_uint_eq(termfreq(corpus_db, "fox"), 4);
    ck_assert_uint_eq(termfreq(corpus_db, "quick"), 3);
    ck_assert_uint_eq(termfreq(corpus_db, "absent"), 0);
    ck_assert_uint_eq(termfreq(corpus_db, "XGB"), 2);
    /* Collection frequency counts every occurrence: doc3 has "quick" twice. */
    OK(xs_db_collfreq(corpus_db, "quick", 5, &cf));
    ck_assert_uint_eq(cf, 4);
    OK(xs_db_collfreq(corpus_db, "a", 1, &cf));
    ck_assert_uint_eq(cf, 2);
    OK(xs_db_collfreq(corpus_db, "absent", 6, &cf));
    ck_assert_uint_eq(cf, 0);
}
END_TEST

START_TEST(test_shim_document_data)
{
    char *data = (char *)&data;
    size_t len = 5;

    OK(xs_db_document_data(corpus_db, 3, &data, &len));
    ck_assert_uint_eq(len, 4);
    ck_assert_str_eq(data, "doc3");
    free(data);

    FAILS(xs_db_document_data(corpus_db, 99, &data, &len), XS_ERR_NOT_FOUND);
    ck_assert_ptr_null(data);
    ck_assert_uint_eq(len, 0);
    FAILS(xs_db_document_data(corpus_db, 0, &data, &len), XS_ERR_NOT_FOUND);
    ck_assert_ptr_null(data);
    FAILS(xs_db_document_data(corpus_db, 1, NULL, &len), XS_ERR_INVALID);
}
END_TEST

START_TEST(test_shim_document_binary_data_and_clear)
{
    static const char blob[] = { 'a', '\0', 'b', '\xff' };
    xs_db_t *db;
    char *data;
    size_t len;

    /* First document: a term, a value, binary data. */
    OK(xs_doc_add_term(wdoc, "first", 5, 3));
    OK(xs_doc_set_value(wdoc, 2, "v", 1));
    OK(xs_doc_set_data(wdoc, blob, sizeof blob));
    OK(xs_db_add_document(wdb, wdoc, NULL));
    /* Cleared and reused: nothing of the first may leak into the second. */
    OK(xs_doc_clear(wdoc));
    OK(xs_doc_add_term(wdoc, "second", 6, 1));
    OK(xs_db_add_document(wdb, wdoc, NULL));
    OK(xs_db_commit(wdb));

    OK(xs_db_open(&db, tpath("w.db"), XS_DB_READ));
    ck_assert_uint_eq(termfreq(db, "first"), 1);
    ck_assert_uint_eq(termfreq(db, "second"), 1);
    OK(xs_db_document_data(db, 1, &data, &len));
    ck_assert_uint_eq(len, sizeof blob);
    ck_assert_mem_eq(data, blob, sizeof blob);
    free(data);
    OK(xs_db_document_data(db, 2, &data, &len));
    ck_assert_uint_eq(len, 0);
    ck_assert_str_eq(data, "");
    free(data);
    xs_db_free(db);
}
END_TEST

START_TEST(test_shim_document_wdf_and_positions)
{
    xs_db_t *db;
    uint64_t cf;
    double avl;

    /* add_term adds wdf without positions, add_boolean_term adds neither. */
    OK(xs_doc_add_term(wdoc, "heavy", 5, 4));
    OK(xs_doc_add_posting(wdoc, "light", 5, 1));
    OK(xs_doc_add_boolean_term(wdoc, "Qid", 3));
    FAILS(xs_doc_add_posting(wdoc, "light", 5, 0), XS_ERR_INVALID);
    OK(xs_db_add_document(wdb, wdoc, NULL));
    OK(xs_db_commit(wdb));

    OK(xs_db_open(&db, tpath("w.db"), XS_DB_READ));
    OK(xs_db_collfreq(db, "heavy", 5, &cf));
    ck_assert_uint_eq(cf, 4);
    OK(xs_db_collfreq(db, "Qid", 3, &cf));
    ck_assert_uint_eq(cf, 0);
    ck_assert_uint_eq(termfreq(db, "Qid"), 1);
    /* Document length counts wdf: 4 + 1, the boolean term adds nothing. */
    OK(xs_db_avlength(db, &avl));
    ck_assert_double_eq_tol(avl, 5.0, 1e-9);
    xs_db_free(db);
}
END_TEST

START_TEST(test_shim_document_replace_and_delete)
{
    xs_db_t *db;
    xs_doc_t *doc;
    xs_query_t *q;
    xs_mset_t *m;
    uint32_t n;
    size_t len;

    build_corpus(tpath("rd.db"));
    OK(xs_db_open(&db, tpath("rd.db"), XS_DB_WRITE));
    OK(xs_db_begin(db));

    /* Replace doc2 by its unique id term. */
    OK(xs_doc_new(&doc));
    OK(xs_doc_add_posting(doc, "replaced", 8, 1));
    OK(xs_doc_add_boolean_term(doc, "Qdoc2", 5));
    OK(xs_doc_set_data(doc, "doc2 v2", 7));
    OK(xs_db_replace_document(db, "Qdoc2", 5, doc));
    /* Replacing an id that is not there adds. */
    OK(xs_doc_clear(doc));
    OK(xs_doc_add_posting(doc, "newcomer", 8, 1));
    OK(xs_doc_add_boolean_term(doc, "Qdoc9", 5));
    OK(xs_db_replace_document(db, "Qdoc9", 5, doc));
    xs_doc_free(doc);

    /* Delete doc5; deleting an absent term is fine. */
    OK(xs_db_delete_documents(db, "Qdoc5", 5));
    OK(xs_db_delete_documents(db, "Qnothing", 8));
    OK(xs_db_commit(db));
    xs_db_free(db);

    OK(xs_db_open(&db, tpath("rd.db"), XS_DB_READ));
    OK(xs_db_doccount(db, &n));
    ck_assert_uint_eq(n, N_CORPUS); /* -1 deleted, +1 added */
    ck_assert_uint_eq(termfreq(db, "replaced"), 1);
    ck_assert_uint_eq(termfreq(db, "lazy"), 0);    /* only old doc2 had it */
    ck_assert_uint_eq(termfreq(db, "dog"), 0);     /* doc2 and doc5 had it */
    ck_assert_uint_eq(termfreq(db, "newcomer"), 1);
    ck_assert_uint_eq(termfreq(db, "Qdoc5"), 0);
    ck_assert_uint_eq(termfreq(db, "Qdoc2"), 1);
    q = term_q("replaced", 0);
    OK(xs_search(&m, db, q, NULL));
    ck_assert_uint_eq(xs_mset_size(m), 1);
    /* Replaced in place: the id is the old one. */
    ck_assert_uint_eq(xs_mset_docid(m, 0), 2);
    ck_assert_str_eq(xs_mset_data(m, 0, &len), "doc2 v2");
    xs_mset_free(m);
    xs_query_free(q);
    xs_db_free(db);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Term and metadata walks                                                  */
/* ------------------------------------------------------------------------ */

struct walk {
    char terms[16][64];
    uint32_t freqs[16];
    size_t n;
    size_t stop_after; /* return 7 after this many calls; 0 = never */
};

static int collect_term(const char *term, size_t len, uint32_t tf, void *payload)
{
    struct walk *w = payload;
    ck_assert_uint_lt(w->n, 16);
    ck_assert_uint_lt(len, 64);
    memcpy(w->terms[w->n], term, len);
    w->terms[w->n][len] = '\0';
    w->freqs[w->n] = tf;
    w->n++;
    return w->stop_after && w->n >= w->stop_after ? 7 : 0;
}

/* A result whose document a writer has deleted since the search, read after
 * the reader moved on to the writer's revision: the database changed under
 * the reader, not a document that never was. (Xapian hands out such a
 * document's data and values as empty; its terms fail.) */
START_TEST(test_shim_result_deleted_since_is_modified)
{
    xs_db_t *reader, *writer;
    xs_query_t *q = term_q("quick", 0);
    xs_mset_t *m;
    struct walk w = { 0 };

    build_corpus(tpath("gone.db"));
    OK(xs_db_open(&reader, tpath("gone.db"), XS_DB_READ));
    OK(xs_search(&m, reader, q, NULL));
    ck_assert_uint_eq(xs_mset_size(m), 3);
    OK(xs_db_open(&writer, tpath("gone.db"), XS_DB_WRITE));
    OK(xs_db_begin(writer));
    OK(xs_db_delete_documents(writer, "quick", 5));
    OK(xs_db_commit(writer));
    xs_db_free(writer);
    OK(xs_db_reopen(reader));

    FAILS(xs_mset_doc_terms(m, 0, "Q", 1, collect_term, &w), XS_ERR_MODIFIED);
    ck_assert_int_eq(xs_last_status(), XS_ERR_MODIFIED);
    ERROR_HAS("DocNotFoundError");
    FAILS(xs_mset_matching_terms(m, 1, collect_term, &w), XS_ERR_MODIFIED);
    /* A later failure of another kind has its own status. */
    ck_assert_ptr_null(xs_mset_value(m, 3, 0, NULL));
    ck_assert_int_eq(xs_last_status(), XS_ERR_INVALID);
    /* A success leaves the last failure's status as it was. */
    ck_assert_uint_eq(xs_mset_size(m), 3);
    ck_assert_int_eq(xs_last_status(), XS_ERR_INVALID);
    ck_assert_uint_eq(w.n, 0);
    xs_mset_free(m);
    xs_query_free(q);
    xs_db_free(reader);
}
END_TEST

START_TEST(test_shim_terms_walk_prefix)
{
    struct walk w = { .n = 0 };
    int rc = -1;

    OK(xs_db_terms(corpus_db, "XG", 2, collect_term, &w, &rc));
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(w.n, 3);
    ck_assert_str_eq(w.terms[0], "XGA");
    ck_assert_str_eq(w.terms[1], "XGB");
    ck_assert_str_eq(w.terms[2], "XGC");
    for (size_t i = 0; i < 3; i++)
        ck_assert_uint_eq(w.freqs[i], 2);

    memset(&w, 0, sizeof w);
    OK(xs_db_terms(corpus_db, "sear", 4, collect_term, &w, NULL));
    ck_assert_uint_eq(w.n, 3);
    ck_assert_str_eq(w.terms[0], "search");
    ck_assert_str_eq(w.terms[1], "searched");
    ck_assert_str_eq(w.terms[2], "searching");

    memset(&w, 0, sizeof w);
    OK(xs_db_terms(corpus_db, "zzz", 3, collect_term, &w, NULL));
    ck_assert_uint_eq(w.n, 0);
}
END_TEST

START_TEST(test_shim_terms_walk_sorted_and_stops)
{
    struct walk w = { .n = 0, .stop_after = 5 };
    int rc = 0;

    /* Empty prefix: every term, in byte order; the callback stops the walk. */
    OK(xs_db_terms(corpus_db, NULL, 0, collect_term, &w, &rc));
    ck_assert_int_eq(rc, 7);
    ck_assert_uint_eq(w.n, 5);
    for (size_t i = 1; i < w.n; i++)
        ck_assert_msg(strcmp(w.terms[i - 1], w.terms[i]) < 0, "%s before %s", w.terms[i - 1],
                      w.terms[i]);
    ck_assert_str_eq(w.terms[0], "Qdoc1");
    FAILS(xs_db_terms(corpus_db, "", 0, NULL, &w, &rc), XS_ERR_INVALID);
    FAILS(xs_db_terms(corpus_db, NULL, 3, collect_term, &w, &rc), XS_ERR_INVALID);
}
END_TEST

struct meta_walk {
    char keys[8][32];
    char values[8][32];
    size_t n;
    size_t stop_after;
};

static int collect_meta(const char *key, size_t key_len, const char *value, size_t value_len,
                        void *payload)
{
    struct meta_walk *w = payload;
    ck_assert_uint_lt(w->n, 8);
    ck_assert_uint_lt(key_len, 32);
    ck_assert_uint_lt(value_len, 32);
    memcpy(w->keys[w->n], key, key_len);
    w->keys[w->n][key_len] = '\0';
    memcpy(w->values[w->n], value, value_len);
    w->values[w->n][value_len] = '\0';
    w->n++;
    return w->stop_after && w->n >= w->stop_after ? 3 : 0;
}

START_TEST(test_shim_metadata)
{
    static const char bin[] = { 'x', '\0', 'y' };
    struct meta_walk w = { .n = 0 };
    xs_db_t *db;
    char *value = (char *)&value;
    size_t len = 9;
    int rc = -1;

    OK(xs_db_set_metadata(wdb, "passim.version", "1", 1));
    OK(xs_db_set_metadata(wdb, "passim.count", "6", 1));
    OK(xs_db_set_metadata(wdb, "other", "x", 1));
    OK(xs_db_set_metadata(wdb, "binary", bin, sizeof bin));
    OK(xs_db_set_metadata(wdb, "doomed", "soon gone", 9));
    OK(xs_db_commit(wdb));

    OK(xs_db_begin(wdb));
    OK(xs_db_set_metadata(wdb, "doomed", NULL, 0)); /* len 0 deletes */
    OK(xs_db_commit(wdb));

    OK(xs_db_open(&db, tpath("w.db"), XS_DB_READ));
    OK(xs_db_get_metadata(db, "passim.version", &value, &len));
    ck_assert_uint_eq(len, 1);
    ck_assert_str_eq(value, "1");
    free(value);
    OK(xs_db_get_metadata(db, "binary", &value, &len));
    ck_assert_uint_eq(len, sizeof bin);
    ck_assert_mem_eq(value, bin, sizeof bin);
    free(value);

    FAILS(xs_db_get_metadata(db, "doomed", &value, &len), XS_ERR_NOT_FOUND);
    ck_assert_ptr_null(value);
    ck_assert_uint_eq(len, 0);
    FAILS(xs_db_get_metadata(db, "never.set", &value, &len), XS_ERR_NOT_FOUND);
    ERROR_HAS("never.set");
    FAILS(xs_db_get_metadata(db, "", &value, &len), XS_ERR_INVALID);
    FAILS(xs_db_get_metadata(db, NULL, &value, &len), XS_ERR_INVALID);
    FAILS(xs_db_get_metadata(db, "other", NULL, &len), XS_ERR_INVALID);

    OK(xs_db_metadata(db, "passim.", collect_meta, &w, &rc));
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(w.n, 2);
    ck_assert_str_eq(w.keys[0], "passim.count");
    ck_assert_str_eq(w.values[0], "6");
    ck_assert_str_eq(w.keys[1], "passim.version");
    ck_assert_str_eq(w.values[1], "1");

    /* All keys (NULL prefix), stopped after the second. */
    memset(&w, 0, sizeof w);
    w.stop_after = 2;
    OK(xs_db_metadata(db, NULL, collect_meta, &w, &rc));
    ck_assert_int_eq(rc, 3);
    ck_assert_uint_eq(w.n, 2);
    ck_assert_str_eq(w.keys[0], "binary");
    ck_assert_str_eq(w.keys[1], "other");
    FAILS(xs_db_metadata(db, NULL, NULL, &w, &rc), XS_ERR_INVALID);

    bool has = false;
    OK(xs_db_has_metadata(db, "passim.", &has));
    ck_assert(has);
    OK(xs_db_has_metadata(db, "passim.versions", &has));
    ck_assert(!has);
    OK(xs_db_has_metadata(db, "oth", &has));
    ck_assert(has);
    OK(xs_db_has_metadata(db, NULL, &has));
    ck_assert(has);
    FAILS(xs_db_has_metadata(db, "x", NULL), XS_ERR_INVALID);
    xs_db_free(db);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Term limits and bad terms                                                */
/* ------------------------------------------------------------------------ */

typedef xs_status_t (*term_fn)(xs_db_t *db, xs_doc_t *doc, const char *term, size_t len);

static xs_status_t t_doc_term(xs_db_t *db, xs_doc_t *doc, const char *t, size_t len)
{
    (void)db;
    return xs_doc_add_term(doc, t, len, 1);
}
static xs_status_t t_doc_posting(xs_db_t *db, xs_doc_t *doc, const char *t, size_t len)
{
    (void)db;
    return xs_doc_add_posting(doc, t, len, 1);
}
static xs_status_t t_doc_boolean(xs_db_t *db, xs_doc_t *doc, const char *t, size_t len)
{
    (void)db;
    return xs_doc_add_boolean_term(doc, t, len);
}
static xs_status_t t_query_term(xs_db_t *db, xs_doc_t *doc, const char *t, size_t len)
{
    xs_query_t *q = (xs_query_t *)&q;
    xs_status_t st = xs_query_term(&q, t, len, 1, 0);
    (void)db;
    (void)doc;
    if (st != XS_OK)
        ck_assert_ptr_null(q);
    xs_query_free(st == XS_OK ? q : NULL);
    return st;
}
static xs_status_t t_wildcard(xs_db_t *db, xs_doc_t *doc, const char *t, size_t len)
{
    xs_query_t *q = (xs_query_t *)&q;
    xs_status_t st = xs_query_wildcard(&q, t, len, 0);
    (void)db;
    (void)doc;
    if (st != XS_OK)
        ck_assert_ptr_null(q);
    xs_query_free(st == XS_OK ? q : NULL);
    return st;
}
static xs_status_t t_termfreq(xs_db_t *db, xs_doc_t *doc, const char *t, size_t len)
{
    uint32_t n;
    (void)doc;
    return xs_db_termfreq(db, t, len, &n);
}
static xs_status_t t_collfreq(xs_db_t *db, xs_doc_t *doc, const char *t, size_t len)
{
    uint64_t n;
    (void)doc;
    return xs_db_collfreq(db, t, len, &n);
}
static xs_status_t t_replace(xs_db_t *db, xs_doc_t *doc, const char *t, size_t len)
{
    return xs_db_replace_document(db, t, len, doc);
}
static xs_status_t t_delete(xs_db_t *db, xs_doc_t *doc, const char *t, size_t len)
{
    (void)doc;
    return xs_db_delete_documents(db, t, len);
}
static const struct {
    const char *name;
    term_fn fn;
} term_rows[] = {
    { "doc_add_term", t_doc_term },
    { "doc_add_posting", t_doc_posting },
    { "doc_add_boolean_term", t_doc_boolean },
    { "query_term", t_query_term },
    { "query_wildcard", t_wildcard },         /* the prefix is a term too */
    { "db_termfreq", t_termfreq },
    { "db_collfreq", t_collfreq },
    { "db_replace_document", t_replace },     /* the unique term */
    { "db_delete_documents", t_delete },
};

START_TEST(test_shim_term_too_long)
{
    char term[XS_TERM_MAX + 2];
    memset(term, 'a', sizeof term);
    FAILS(term_rows[_i].fn(wdb, wdoc, term, XS_TERM_MAX + 1), XS_ERR_TERM_TOO_LONG);
    ERROR_HAS("term");
    FAILS(term_rows[_i].fn(wdb, wdoc, term, 100000), XS_ERR_TERM_TOO_LONG);
    /* Exactly the limit is accepted. */
    OK(term_rows[_i].fn(wdb, wdoc, term, XS_TERM_MAX));
}
END_TEST

START_TEST(test_shim_term_empty_or_null)
{
    FAILS(term_rows[_i].fn(wdb, wdoc, "", 0), XS_ERR_INVALID);
    ERROR_HAS("empty term");
    FAILS(term_rows[_i].fn(wdb, wdoc, NULL, 3), XS_ERR_INVALID);
}
END_TEST

START_TEST(test_shim_term_max_round_trip)
{
    char term[XS_TERM_MAX];
    xs_db_t *db;
    xs_query_t *q;
    xs_docid_t ids[16];

    memset(term, 'z', sizeof term);
    OK(xs_doc_add_posting(wdoc, term, sizeof term, 1));
    OK(xs_db_add_document(wdb, wdoc, NULL));
    OK(xs_db_commit(wdb));
    OK(xs_db_open(&db, tpath("w.db"), XS_DB_READ));
    OK(xs_query_term(&q, term, sizeof term, 1, 0));
    ck_assert_uint_eq(match_ids(db, q, ids), 1);
    xs_query_free(q);
    xs_db_free(db);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Queries                                                                  */
/* ------------------------------------------------------------------------ */

START_TEST(test_shim_query_describe_and_empty)
{
    static const char *const two[] = { "talk", "peac", NULL };
    xs_query_t *q, *none, *all, *empty;
    char *d;

    q = terms_q(XS_OP_AND, 0, two);
    d = xs_query_describe(q);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d, "Query((talk@1 AND peac@2))");
    free(d);
    ck_assert(!xs_query_is_empty(q));
    xs_query_free(q);

    OK(xs_query_none(&none));
    ck_assert(xs_query_is_empty(none));
    OK(xs_query_all(&all));
    ck_assert(!xs_query_is_empty(all));
    OK(xs_query_combine(&empty, XS_OP_OR, NULL, 0, 0));
    ck_assert(xs_query_is_empty(empty));
    ck_assert(xs_query_is_empty(NULL));

    OK(xs_query_wildcard(&q, "pea", 3, 10));
    d = xs_query_describe(q);
    ck_assert_ptr_nonnull(d);
    ck_assert_msg(strstr(d, "WILDCARD") && strstr(d, "pea"), "wildcard described as %s", d);
    free(d);
    xs_query_free(q);

    ck_assert_ptr_null(xs_query_describe(NULL));
    ERROR_HAS("NULL");
    xs_query_free(none);
    xs_query_free(all);
    xs_query_free(empty);
}
END_TEST

START_TEST(test_shim_query_bad_arguments)
{
    xs_query_t *a = term_q("a", 0), *q = (xs_query_t *)&q;
    const xs_query_t *subs[2] = { a, NULL };

    FAILS(xs_query_combine(&q, (xs_op_t)99, subs, 1, 0), XS_ERR_INVALID);
    ck_assert_ptr_null(q);
    ERROR_HAS("operator");
    FAILS(xs_query_combine(&q, XS_OP_AND, subs, 2, 0), XS_ERR_INVALID);
    ERROR_HAS("NULL");
    FAILS(xs_query_combine(&q, XS_OP_AND, NULL, 2, 0), XS_ERR_INVALID);
    FAILS(xs_query_combine(NULL, XS_OP_AND, subs, 1, 0), XS_ERR_INVALID);
    q = (xs_query_t *)&q;
    FAILS(xs_query_scale(&q, a, -1.0), XS_ERR_INVALID);
    ck_assert_ptr_null(q);
    FAILS(xs_query_scale(&q, a, nan("")), XS_ERR_INVALID);
    FAILS(xs_query_scale(&q, NULL, 1.0), XS_ERR_INVALID);
    FAILS(xs_query_scale(NULL, a, 1.0), XS_ERR_INVALID);
    FAILS(xs_query_term(NULL, "a", 1, 1, 0), XS_ERR_INVALID);
    FAILS(xs_query_wildcard(NULL, "a", 1, 0), XS_ERR_INVALID);
    FAILS(xs_query_all(NULL), XS_ERR_INVALID);
    FAILS(xs_query_none(NULL), XS_ERR_INVALID);
    xs_query_free(a);
}
END_TEST

struct op_row {
    xs_op_t op;
    uint32_t window;
    const char *terms[4];
    xs_docid_t want[8]; /* sorted, 0-terminated */
};

/* Corpus: 1 "the quick brown fox jumps", 2 "the lazy brown dog sleeps",
 * 3 "quick quick fox runs fast", 4 "brown fox quick", 5 "a dog and a fox sleeps",
 * 6 "searching search searched"; groups XGA 1,2; XGB 3,4; XGC 5,6. */
static const struct op_row op_rows[] = {
    /* both words anywhere */
    { XS_OP_AND, 0, { "quick", "fox" }, { 1, 3, 4 } },
    /* three words, only doc1 has all */
    { XS_OP_AND, 0, { "the", "brown", "fox" }, { 1 } },
    /* either word */
    { XS_OP_OR, 0, { "dog", "lazy" }, { 2, 5 } },
    /* fox without quick */
    { XS_OP_AND_NOT, 0, { "fox", "quick" }, { 5 } },
    /* brown only adds weight: the fox documents, not doc2 */
    { XS_OP_AND_MAYBE, 0, { "fox", "brown" }, { 1, 3, 4, 5 } },
    /* fox restricted to group B by a boolean term */
    { XS_OP_FILTER, 0, { "fox", "XGB" }, { 3, 4 } },
    /* synonyms match like OR */
    { XS_OP_SYNONYM, 0, { "dog", "lazy" }, { 2, 5 } },
    /* adjacent and in order: only doc3 has "quick fox" */
    { XS_OP_PHRASE, 0, { "quick", "fox" }, { 3 } },
    /* "brown fox" in doc1 and doc4 */
    { XS_OP_PHRASE, 0, { "brown", "fox" }, { 1, 4 } },
    /* order matters for a phrase */
    { XS_OP_PHRASE, 0, { "fox", "brown" }, { 0 } },
    /* a wider phrase window: in order within 3 positions */
    { XS_OP_PHRASE, 3, { "quick", "fox" }, { 1, 3 } },
    /* near, default window (2): adjacent, either order */
    { XS_OP_NEAR, 0, { "quick", "fox" }, { 3, 4 } },
    /* near within 3: doc1 too */
    { XS_OP_NEAR, 3, { "quick", "fox" }, { 1, 3, 4 } },
    /* the window is ignored by other operators */
    { XS_OP_AND, 1, { "quick", "fox" }, { 1, 3, 4 } },
};

START_TEST(test_shim_search_operators)
{
    const struct op_row *row = &op_rows[_i];
    xs_query_t *q = terms_q(row->op, row->window, row->terms);
    xs_docid_t ids[16];
    char *d = xs_query_describe(q);

    match_ids(corpus_db, q, ids);
    assert_ids(ids, row->want, d);
    free(d);
    xs_query_free(q);
}
END_TEST

START_TEST(test_shim_search_wildcard)
{
    static const xs_docid_t qu[] = { 1, 3, 4, 0 }, s_all[] = { 2, 5, 6, 0 },
                            s_top1[] = { 2, 5, 0 }, nothing[] = { 0 };
    xs_query_t *q;
    xs_docid_t ids[16];

    OK(xs_query_wildcard(&q, "qu", 2, 0));
    match_ids(corpus_db, q, ids);
    assert_ids(ids, qu, "qu*");
    xs_query_free(q);

    /* s*: sleeps (2 docs), searching/search/searched (doc6 only). */
    OK(xs_query_wildcard(&q, "s", 1, 0));
    match_ids(corpus_db, q, ids);
    assert_ids(ids, s_all, "s* unlimited");
    xs_query_free(q);

    /* Limited to one expansion: the most frequent, "sleeps", is kept. */
    OK(xs_query_wildcard(&q, "s", 1, 1));
    match_ids(corpus_db, q, ids);
    assert_ids(ids, s_top1, "s* limited to 1");
    xs_query_free(q);

    OK(xs_query_wildcard(&q, "zz", 2, 0));
    match_ids(corpus_db, q, ids);
    assert_ids(ids, nothing, "zz*");
    xs_query_free(q);
}
END_TEST

START_TEST(test_shim_search_all_none)
{
    xs_query_t *q;
    xs_mset_t *m;
    xs_docid_t ids[16];

    OK(xs_query_all(&q));
    OK(xs_search(&m, corpus_db, q, NULL));
    ck_assert_uint_eq(xs_mset_size(m), N_CORPUS);
    for (size_t i = 0; i < xs_mset_size(m); i++)
        ck_assert_double_eq(xs_mset_weight(m, i), 0.0);
    xs_mset_free(m);
    xs_query_free(q);

    OK(xs_query_none(&q));
    ck_assert_uint_eq(match_ids(corpus_db, q, ids), 0);
    xs_query_free(q);

    OK(xs_query_combine(&q, XS_OP_AND, NULL, 0, 0));
    OK(xs_search(&m, corpus_db, q, NULL));
    ck_assert_uint_eq(xs_mset_size(m), 0);
    ck_assert_uint_eq(xs_mset_estimated(m), 0);
    xs_mset_free(m);
    xs_query_free(q);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Ranking, options, result sets                                            */
/* ------------------------------------------------------------------------ */

START_TEST(test_shim_search_ranks_and_weights)
{
    xs_query_t *q = term_q("quick", 0);
    xs_mset_t *m;

    OK(xs_search(&m, corpus_db, q, NULL));
    ck_assert_uint_eq(xs_mset_size(m), 3);
    ck_assert_uint_eq(xs_mset_estimated(m), 3);
    ck_assert_uint_eq(xs_mset_lower_bound(m), 3);
    ck_assert_uint_eq(xs_mset_upper_bound(m), 3);
    /* BM25: doc3 holds quick twice; doc4 is shorter than doc1. */
    ck_assert_uint_eq(xs_mset_docid(m, 0), 3);
    ck_assert_uint_eq(xs_mset_docid(m, 1), 4);
    ck_assert_uint_eq(xs_mset_docid(m, 2), 1);
    for (size_t i = 0; i < 3; i++) {
        ck_assert_uint_eq(xs_mset_rank(m, i), i);
        ck_assert_double_gt(xs_mset_weight(m, i), 0.0);
        if (i > 0)
            ck_assert_double_gt(xs_mset_weight(m, i - 1), xs_mset_weight(m, i));
    }
    xs_mset_free(m);
    xs_query_free(q);
}
END_TEST

START_TEST(test_shim_search_bm25_options)
{
    xs_search_opts_t opts = XS_SEARCH_OPTS_INIT;
    xs_query_t *q = term_q("quick", 0);
    xs_mset_t *m;

    /* k1 = 0 ignores wdf and length: every match weighs the same. */
    opts.bm25_k1 = 0.0;
    OK(xs_search(&m, corpus_db, q, &opts));
    ck_assert_uint_eq(xs_mset_size(m), 3);
    ck_assert_double_eq_tol(xs_mset_weight(m, 0), xs_mset_weight(m, 2), 1e-12);
    xs_mset_free(m);

    /* Out-of-range parameters are refused (Xapian alone would clamp them). */
    opts.bm25_k1 = -1.0;
    m = (xs_mset_t *)&m;
    FAILS(xs_search(&m, corpus_db, q, &opts), XS_ERR_INVALID);
    ck_assert_ptr_null(m);
    ERROR_HAS("BM25");
    opts.bm25_k1 = 1.0;
    opts.bm25_b = 1.5;
    FAILS(xs_search(&m, corpus_db, q, &opts), XS_ERR_INVALID);
    opts.bm25_b = 0.5;
    opts.bm25_min_normlen = nan("");
    FAILS(xs_search(&m, corpus_db, q, &opts), XS_ERR_INVALID);
    opts.bm25_min_normlen = 0.5;
    opts.bm25_k3 = HUGE_VAL;
    FAILS(xs_search(&m, corpus_db, q, &opts), XS_ERR_INVALID);
    xs_query_free(q);
}
END_TEST

START_TEST(test_shim_search_scale)
{
    static const char *const qf[] = { "quick", "fox", NULL };
    xs_query_t *q = terms_q(XS_OP_OR, 0, qf), *scaled;
    xs_mset_t *m, *ms;

    OK(xs_search(&m, corpus_db, q, NULL));
    OK(xs_query_scale(&scaled, q, 2.5));
    OK(xs_search(&ms, corpus_db, scaled, NULL));
    ck_assert_uint_eq(xs_mset_size(ms), xs_mset_size(m));
    for (size_t i = 0; i < xs_mset_size(m); i++) {
        ck_assert_uint_eq(xs_mset_docid(ms, i), xs_mset_docid(m, i));
        ck_assert_double_eq_tol(xs_mset_weight(ms, i), 2.5 * xs_mset_weight(m, i), 1e-9);
    }
    xs_mset_free(ms);
    xs_query_free(scaled);

    /* Scaled to 0: still matches, weighs nothing. */
    OK(xs_query_scale(&scaled, q, 0.0));
    OK(xs_search(&ms, corpus_db, scaled, NULL));
    ck_assert_uint_eq(xs_mset_size(ms), xs_mset_size(m));
    ck_assert_double_eq(xs_mset_weight(ms, 0), 0.0);
    xs_mset_free(ms);
    xs_query_free(scaled);
    xs_mset_free(m);
    xs_query_free(q);
}
END_TEST

START_TEST(test_shim_search_offset_limit)
{
    xs_search_opts_t opts = XS_SEARCH_OPTS_INIT;
    xs_query_t *q = term_q("fox", 0);
    xs_mset_t *all, *page;

    opts.limit = 100;
    OK(xs_search(&all, corpus_db, q, &opts));
    ck_assert_uint_eq(xs_mset_size(all), 4);

    opts.offset = 1;
    opts.limit = 2;
    OK(xs_search(&page, corpus_db, q, &opts));
    ck_assert_uint_eq(xs_mset_size(page), 2);
    ck_assert_uint_eq(xs_mset_estimated(page), 4);
    for (size_t i = 0; i < 2; i++) {
        ck_assert_uint_eq(xs_mset_rank(page, i), i + 1);
        ck_assert_uint_eq(xs_mset_docid(page, i), xs_mset_docid(all, i + 1));
    }
    xs_mset_free(page);

    /* Past the end: empty, the estimate still counts every match. */
    opts.offset = 10;
    OK(xs_search(&page, corpus_db, q, &opts));
    ck_assert_uint_eq(xs_mset_size(page), 0);
    ck_assert_uint_eq(xs_mset_estimated(page), 4);
    xs_mset_free(page);
    xs_mset_free(all);
    xs_query_free(q);
}
END_TEST

START_TEST(test_shim_search_default_opts)
{
    xs_db_t *db;
    xs_query_t *q;
    xs_mset_t *m;
    char id[16];

    for (int i = 0; i < 12; i++) {
        snprintf(id, sizeof id, "d%d", i);
        add_text_doc(wdb, id, "same words", NULL);
    }
    OK(xs_db_commit(wdb));
    OK(xs_db_open(&db, tpath("w.db"), XS_DB_READ));
    q = term_q("same", 0);
    /* NULL options: XS_SEARCH_OPTS_INIT, whose limit is 10. */
    OK(xs_search(&m, db, q, NULL));
    ck_assert_uint_eq(xs_mset_size(m), 10);
    ck_assert_uint_eq(xs_mset_rank(m, 0), 0);
    xs_mset_free(m);
    xs_query_free(q);
    xs_db_free(db);
}
END_TEST

/* Equal weights: document id order, or the tie slot's bytes, then id. */
START_TEST(test_shim_search_tie_slot)
{
    xs_db_t *db;
    xs_search_opts_t opts = XS_SEARCH_OPTS_INIT;
    xs_mset_t *m;
    char id[16], got[256];

    for (int i = 0; i < 12; i++) {
        snprintf(id, sizeof id, "d%d", i);
        add_text_doc(wdb, id, "same words", NULL);
    }
    OK(xs_db_commit(wdb));
    OK(xs_db_open(&db, tpath("w.db"), XS_DB_READ));
    xs_query_t *q = term_q("same", 0);
    opts.limit = 12;
    for (int slot = -1; slot <= 1; slot += 2) {
        opts.tie_slot = slot;
        OK(xs_search(&m, db, q, &opts));
        ck_assert_uint_eq(xs_mset_size(m), 12);
        size_t used = 0;
        for (size_t i = 0; i < 12; i++) {
            size_t len;
            const char *v = xs_mset_value(m, i, 1, &len);
            used += (size_t)snprintf(got + used, sizeof got - used, "%s%.*s", i ? " " : "",
                                     (int)len, v);
        }
        ck_assert_str_eq(got, slot < 0 ? "d0 d1 d2 d3 d4 d5 d6 d7 d8 d9 d10 d11"
                                            : "d0 d1 d10 d11 d2 d3 d4 d5 d6 d7 d8 d9");
        xs_mset_free(m);
    }
    opts.tie_slot = -2;
    m = (xs_mset_t *)&m;
    FAILS(xs_search(&m, db, q, &opts), XS_ERR_INVALID);
    ck_assert_ptr_null(m);
    xs_query_free(q);
    xs_db_free(db);
}
END_TEST

START_TEST(test_shim_search_bad_opts)
{
    xs_search_opts_t opts = XS_SEARCH_OPTS_INIT;
    xs_query_t *q = term_q("fox", 0);
    xs_mset_t *m = (xs_mset_t *)&m;

    opts.version = XS_SEARCH_OPTS_VERSION + 1;
    FAILS(xs_search(&m, corpus_db, q, &opts), XS_ERR_INVALID);
    ck_assert_ptr_null(m);
    ERROR_HAS("version");
    opts.version = 0;
    FAILS(xs_search(&m, corpus_db, q, &opts), XS_ERR_INVALID);

    opts.version = XS_SEARCH_OPTS_VERSION;
    opts.collapse_slot = 0;
    opts.collapse_max = 0;
    FAILS(xs_search(&m, corpus_db, q, &opts), XS_ERR_INVALID);
    opts.collapse_slot = -5;
    opts.collapse_max = 1;
    FAILS(xs_search(&m, corpus_db, q, &opts), XS_ERR_INVALID);

    FAILS(xs_search(NULL, corpus_db, q, NULL), XS_ERR_INVALID);
    FAILS(xs_search(&m, NULL, q, NULL), XS_ERR_INVALID);
    FAILS(xs_search(&m, corpus_db, NULL, NULL), XS_ERR_INVALID);
    ck_assert_ptr_null(m);
    xs_query_free(q);
}
END_TEST

START_TEST(test_shim_search_value_range)
{
    xs_search_opts_t opts = XS_SEARCH_OPTS_INIT;
    xs_query_t *fox = term_q("fox", 0), *range, *both, *q = (xs_query_t *)&q;
    xs_mset_t *m;
    size_t len;

    /* Slot 0 holds each document's group, two documents to a group. */
    OK(xs_query_value_range(&range, 0, "B", 1, "B", 1));
    OK(xs_search(&m, corpus_db, range, &opts));
    ck_assert_uint_eq(xs_mset_size(m), 2);
    for (size_t i = 0; i < 2; i++) {
        ck_assert_mem_eq(xs_mset_value(m, i, 0, &len), "B", 1);
        ck_assert_double_eq(xs_mset_weight(m, i), 0);
    }
    xs_mset_free(m);

    /* As a filter it keeps the other side's weights: fox is in doc3 and doc4 of B. */
    const xs_query_t *pair[2] = { fox, range };
    OK(xs_query_combine(&both, XS_OP_FILTER, pair, 2, 0));
    OK(xs_search(&m, corpus_db, both, &opts));
    ck_assert_uint_eq(xs_mset_size(m), 2);
    ck_assert(xs_mset_weight(m, 0) > 0);
    xs_mset_free(m);
    xs_query_free(both);
    xs_query_free(range);

    OK(xs_query_value_range(&range, 0, "A", 1, "B", 1));
    OK(xs_search(&m, corpus_db, range, &opts));
    ck_assert_uint_eq(xs_mset_size(m), 4);
    xs_mset_free(m);
    xs_query_free(range);
    OK(xs_query_value_range(&range, 0, "D", 1, "Z", 1));
    OK(xs_search(&m, corpus_db, range, &opts));
    ck_assert_uint_eq(xs_mset_size(m), 0);
    xs_mset_free(m);
    xs_query_free(range);

    FAILS(xs_query_value_range(NULL, 0, "A", 1, "B", 1), XS_ERR_INVALID);
    FAILS(xs_query_value_range(&q, 0, NULL, 1, "B", 1), XS_ERR_INVALID);
    ck_assert_ptr_null(q);
    FAILS(xs_query_value_range(&q, 0, "A", 1, NULL, 1), XS_ERR_INVALID);
    ERROR_HAS("NULL");
    xs_query_free(fox);
}
END_TEST

START_TEST(test_shim_search_collapse)
{
    xs_search_opts_t opts = XS_SEARCH_OPTS_INIT;
    xs_query_t *q = term_q("fox", 0), *all;
    xs_mset_t *m;
    char seen[3] = { 0, 0, 0 };
    uint32_t dropped = 0;
    size_t len;

    /* fox: doc1 (A), doc3 (B), doc4 (B), doc5 (C). */
    opts.collapse_slot = 0;
    opts.collapse_max = 1;
    opts.check_at_least = 100;
    OK(xs_search(&m, corpus_db, q, &opts));
    ck_assert_uint_eq(xs_mset_size(m), 3);
    for (size_t i = 0; i < 3; i++) {
        const char *g = xs_mset_value(m, i, 0, &len);
        ck_assert_ptr_nonnull(g);
        ck_assert_uint_eq(len, 1);
        ck_assert_msg(!seen[g[0] - 'A'], "group %c twice", g[0]);
        seen[g[0] - 'A'] = 1;
        dropped += xs_mset_collapse_count(m, i);
        if (g[0] == 'B')
            ck_assert_uint_eq(xs_mset_collapse_count(m, i), 1);
    }
    ck_assert_uint_eq(dropped, 1);
    xs_mset_free(m);

    opts.collapse_max = 2;
    OK(xs_search(&m, corpus_db, q, &opts));
    ck_assert_uint_eq(xs_mset_size(m), 4);
    for (size_t i = 0; i < 4; i++)
        ck_assert_uint_eq(xs_mset_collapse_count(m, i), 0);
    xs_mset_free(m);

    /* Every document: two per group. */
    OK(xs_query_all(&all));
    opts.collapse_max = 1;
    OK(xs_search(&m, corpus_db, all, &opts));
    ck_assert_uint_eq(xs_mset_size(m), 3);
    xs_mset_free(m);
    opts.collapse_max = 2;
    OK(xs_search(&m, corpus_db, all, &opts));
    ck_assert_uint_eq(xs_mset_size(m), 6);
    xs_mset_free(m);
    /* No collapsing. */
    opts.collapse_slot = -1;
    opts.collapse_max = 0; /* ignored without a slot */
    OK(xs_search(&m, corpus_db, all, &opts));
    ck_assert_uint_eq(xs_mset_size(m), 6);
    xs_mset_free(m);
    xs_query_free(all);
    xs_query_free(q);
}
END_TEST

START_TEST(test_shim_mset_data_and_values)
{
    xs_query_t *q = term_q("quick", 0);
    xs_mset_t *m;
    const char *d0, *d1, *again, *v;
    size_t len0, len1, len;

    OK(xs_search(&m, corpus_db, q, NULL));
    ck_assert_uint_eq(xs_mset_size(m), 3);
    d0 = xs_mset_data(m, 0, &len0);
    d1 = xs_mset_data(m, 1, &len1);
    ck_assert_ptr_nonnull(d0);
    ck_assert_ptr_nonnull(d1);
    ck_assert_str_eq(d0, "doc3");
    ck_assert_uint_eq(len0, 4);
    ck_assert_str_eq(d1, "doc4");
    /* Borrowed strings stay put while others are fetched. */
    again = xs_mset_data(m, 0, &len);
    ck_assert_ptr_eq(again, d0);
    v = xs_mset_value(m, 0, 1, &len);
    ck_assert_str_eq(v, "doc3");
    ck_assert_uint_eq(len, 4);
    v = xs_mset_value(m, 0, 0, &len);
    ck_assert_str_eq(v, "B");
    ck_assert_str_eq(d0, "doc3");
    ck_assert_str_eq(d1, "doc4");
    ck_assert_ptr_eq(xs_mset_value(m, 0, 0, NULL), v);
    /* An unset slot is empty, not an error. */
    v = xs_mset_value(m, 2, 7, &len);
    ck_assert_ptr_nonnull(v);
    ck_assert_uint_eq(len, 0);
    ck_assert_ptr_nonnull(xs_mset_data(m, 2, NULL));

    /* Out of range. */
    len = 9;
    ck_assert_ptr_null(xs_mset_data(m, 3, &len));
    ck_assert_uint_eq(len, 0);
    ERROR_HAS("out of range");
    ck_assert_ptr_null(xs_mset_value(m, 3, 0, &len));
    ck_assert_uint_eq(xs_mset_docid(m, 3), 0);
    ck_assert_uint_eq(xs_mset_rank(m, 99), 0);
    ck_assert_double_eq(xs_mset_weight(m, 3), 0.0);
    ck_assert_uint_eq(xs_mset_collapse_count(m, 3), 0);
    xs_mset_free(m);
    xs_query_free(q);
}
END_TEST

START_TEST(test_shim_mset_null_handle)
{
    size_t len = 3;
    ck_assert_uint_eq(xs_mset_size(NULL), 0);
    ck_assert_uint_eq(xs_mset_estimated(NULL), 0);
    ck_assert_uint_eq(xs_mset_lower_bound(NULL), 0);
    ck_assert_uint_eq(xs_mset_upper_bound(NULL), 0);
    ck_assert_uint_eq(xs_mset_docid(NULL, 0), 0);
    ck_assert_ptr_null(xs_mset_data(NULL, 0, &len));
    ck_assert_uint_eq(len, 0);
    ERROR_HAS("NULL");
    ck_assert_ptr_null(xs_mset_value(NULL, 0, 0, &len));
    FAILS(xs_mset_matching_terms(NULL, 0, collect_term, NULL), XS_ERR_INVALID);
    FAILS(xs_mset_expand(NULL, 1, 1, NULL, NULL), XS_ERR_INVALID);
    /* Frees accept NULL. */
    xs_mset_free(NULL);
    xs_query_free(NULL);
    xs_doc_free(NULL);
    xs_db_free(NULL);
}
END_TEST

START_TEST(test_shim_mset_matching_terms)
{
    static const char *const qt[] = { "quick", "fox", "dog", NULL };
    xs_query_t *q = terms_q(XS_OP_OR, 0, qt);
    xs_mset_t *m;
    struct walk w;
    size_t doc1 = 99, doc2 = 99;
    xs_search_opts_t opts = XS_SEARCH_OPTS_INIT;

    opts.limit = 100;
    OK(xs_search(&m, corpus_db, q, &opts));
    for (size_t i = 0; i < xs_mset_size(m); i++) {
        if (xs_mset_docid(m, i) == 1)
            doc1 = i;
        if (xs_mset_docid(m, i) == 2)
            doc2 = i;
    }
    ck_assert_uint_ne(doc1, 99);
    ck_assert_uint_ne(doc2, 99);

    memset(&w, 0, sizeof w);
    OK(xs_mset_matching_terms(m, doc1, collect_term, &w));
    ck_assert_uint_eq(w.n, 2);
    ck_assert_str_eq(w.terms[0], "quick");
    ck_assert_str_eq(w.terms[1], "fox");
    ck_assert_uint_eq(w.freqs[0], 0);

    memset(&w, 0, sizeof w);
    OK(xs_mset_matching_terms(m, doc2, collect_term, &w));
    ck_assert_uint_eq(w.n, 1);
    ck_assert_str_eq(w.terms[0], "dog");

    /* A non-zero return stops the walk. */
    memset(&w, 0, sizeof w);
    w.stop_after = 1;
    OK(xs_mset_matching_terms(m, doc1, collect_term, &w));
    ck_assert_uint_eq(w.n, 1);

    FAILS(xs_mset_matching_terms(m, 50, collect_term, &w), XS_ERR_INVALID);
    FAILS(xs_mset_matching_terms(m, doc1, NULL, &w), XS_ERR_INVALID);

    /* The document's own terms under a prefix, as a wildcard matches them:
     * doc1 is "the quick brown fox jumps". */
    memset(&w, 0, sizeof w);
    OK(xs_mset_doc_terms(m, doc1, "qu", 2, collect_term, &w));
    ck_assert_uint_eq(w.n, 1);
    ck_assert_str_eq(w.terms[0], "quick");
    memset(&w, 0, sizeof w);
    OK(xs_mset_doc_terms(m, doc1, "f", 1, collect_term, &w));
    ck_assert_uint_eq(w.n, 1);
    ck_assert_str_eq(w.terms[0], "fox");
    memset(&w, 0, sizeof w);
    OK(xs_mset_doc_terms(m, doc1, "dog", 3, collect_term, &w));
    ck_assert_uint_eq(w.n, 0);
    memset(&w, 0, sizeof w);
    OK(xs_mset_doc_terms(m, doc2, "do", 2, collect_term, &w));
    ck_assert_uint_eq(w.n, 1);
    ck_assert_str_eq(w.terms[0], "dog");
    FAILS(xs_mset_doc_terms(m, doc1, "", 0, collect_term, &w), XS_ERR_INVALID);
    FAILS(xs_mset_doc_terms(m, doc1, "f", 1, NULL, &w), XS_ERR_INVALID);
    FAILS(xs_mset_doc_terms(m, 50, "f", 1, collect_term, &w), XS_ERR_INVALID);
    xs_mset_free(m);
    xs_query_free(q);
}
END_TEST

struct expansion {
    char terms[64][64];
    double weights[64];
    size_t n;
    size_t stop_after;
};

static int collect_expansion(const char *term, size_t len, double weight, void *payload)
{
    struct expansion *e = payload;
    ck_assert_uint_lt(e->n, 64);
    ck_assert_uint_lt(len, 64);
    memcpy(e->terms[e->n], term, len);
    e->terms[e->n][len] = '\0';
    e->weights[e->n] = weight;
    e->n++;
    return e->stop_after && e->n >= e->stop_after ? 1 : 0;
}

START_TEST(test_shim_mset_expand)
{
    xs_query_t *q = term_q("quick", 0);
    xs_mset_t *m;
    struct expansion e;
    int saw_fox = 0;

    /* Top 2 for quick: doc3 and doc4. Their terms besides quick: quick fox runs
     * fast / brown fox, plus the prefixed Qdoc3, Qdoc4, XGB. */
    OK(xs_search(&m, corpus_db, q, NULL));
    memset(&e, 0, sizeof e);
    OK(xs_mset_expand(m, 2, 50, collect_expansion, &e));
    ck_assert_uint_gt(e.n, 0);
    for (size_t i = 0; i < e.n; i++) {
        ck_assert_msg(!(e.terms[i][0] >= 'A' && e.terms[i][0] <= 'Z'),
                      "prefixed term %s offered for expansion", e.terms[i]);
        ck_assert_msg(strcmp(e.terms[i], "quick") != 0, "query term offered back");
        ck_assert_msg(strcmp(e.terms[i], "dog") != 0, "term from outside the top docs");
        if (i > 0)
            ck_assert_double_ge(e.weights[i - 1], e.weights[i]);
        if (strcmp(e.terms[i], "fox") == 0)
            saw_fox = 1;
    }
    ck_assert_msg(saw_fox, "fox, in both top documents, not offered");

    /* n_terms limits; a non-zero return stops; nothing asked, nothing given. */
    memset(&e, 0, sizeof e);
    OK(xs_mset_expand(m, 2, 1, collect_expansion, &e));
    ck_assert_uint_eq(e.n, 1);
    memset(&e, 0, sizeof e);
    e.stop_after = 2;
    OK(xs_mset_expand(m, 3, 50, collect_expansion, &e));
    ck_assert_uint_eq(e.n, 2);
    memset(&e, 0, sizeof e);
    OK(xs_mset_expand(m, 0, 50, collect_expansion, &e));
    ck_assert_uint_eq(e.n, 0);
    FAILS(xs_mset_expand(m, 2, 5, NULL, NULL), XS_ERR_INVALID);
    xs_mset_free(m);
    xs_query_free(q);
}
END_TEST

/* Terms with no position in the documents fed back are not words as they
 * are written (a hyphenated word's parts joined): not offered, unless one of
 * the documents writes them. */
START_TEST(test_shim_mset_expand_skips_unpositioned)
{
    static const char *const texts[] = { "alpha beta gamma", "alpha beta delta",
                                         "other words here", "more words here" };
    xs_db_t *db;
    xs_doc_t *doc;
    OK(xs_db_open(&db, tpath("joined.db"), XS_DB_CREATE));
    OK(xs_db_begin(db));
    for (size_t i = 0; i < 4; i++) {
        char id[8];
        snprintf(id, sizeof id, "j%zu", i);
        OK(xs_doc_new(&doc));
        uint32_t pos = 0;
        for (const char *p = texts[i]; *p;) {
            size_t n = strcspn(p, " ");
            OK(xs_doc_add_posting(doc, p, n, ++pos));
            p += n + strspn(p + n, " ");
        }
        if (i < 2) {
            OK(xs_doc_add_term(doc, "alphabeta", 9, 1));
            /* written in the first document, joined in the second */
            if (i == 0)
                OK(xs_doc_add_posting(doc, "betagamma", 9, ++pos));
            else
                OK(xs_doc_add_term(doc, "betagamma", 9, 1));
        }
        OK(xs_doc_set_data(doc, id, strlen(id)));
        OK(xs_db_add_document(db, doc, NULL));
        xs_doc_free(doc);
    }
    OK(xs_db_commit(db));

    xs_query_t *q = term_q("alpha", 0);
    xs_mset_t *m;
    struct expansion e;
    memset(&e, 0, sizeof e);
    OK(xs_search(&m, db, q, NULL));
    ck_assert_uint_eq(xs_mset_size(m), 2);
    OK(xs_mset_expand(m, 2, 50, collect_expansion, &e));
    bool beta = false, betagamma = false;
    for (size_t i = 0; i < e.n; i++) {
        ck_assert_msg(strcmp(e.terms[i], "alphabeta") != 0, "a term with no position offered");
        beta |= strcmp(e.terms[i], "beta") == 0;
        betagamma |= strcmp(e.terms[i], "betagamma") == 0;
    }
    ck_assert(beta);
    ck_assert(betagamma);
    /* As many as asked, when there are as many words. */
    memset(&e, 0, sizeof e);
    OK(xs_mset_expand(m, 2, 2, collect_expansion, &e));
    ck_assert_uint_eq(e.n, 2);
    xs_mset_free(m);
    xs_query_free(q);
    xs_db_free(db);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* NULL handles and out pointers across the database API                    */
/* ------------------------------------------------------------------------ */

START_TEST(test_shim_null_arguments)
{
    uint32_t n = 5;
    uint64_t cf = 5;
    double avl = 5.0;
    char *s = (char *)&s;
    xs_doc_t *doc = (xs_doc_t *)&doc;
    xs_docid_t id = 5;

    FAILS(xs_db_doccount(NULL, &n), XS_ERR_INVALID);
    ck_assert_uint_eq(n, 0);
    ERROR_HAS("NULL");
    FAILS(xs_db_doccount(corpus_db, NULL), XS_ERR_INVALID);
    FAILS(xs_db_avlength(NULL, &avl), XS_ERR_INVALID);
    ck_assert_double_eq(avl, 0.0);
    FAILS(xs_db_avlength(corpus_db, NULL), XS_ERR_INVALID);
    FAILS(xs_db_termfreq(NULL, "a", 1, &n), XS_ERR_INVALID);
    FAILS(xs_db_termfreq(corpus_db, "a", 1, NULL), XS_ERR_INVALID);
    FAILS(xs_db_collfreq(NULL, "a", 1, &cf), XS_ERR_INVALID);
    ck_assert_uint_eq(cf, 0);
    FAILS(xs_db_terms(NULL, "", 0, collect_term, NULL, NULL), XS_ERR_INVALID);
    FAILS(xs_db_get_metadata(NULL, "k", &s, NULL), XS_ERR_INVALID);
    ck_assert_ptr_null(s);
    FAILS(xs_db_set_metadata(NULL, "k", "v", 1), XS_ERR_INVALID);
    FAILS(xs_db_metadata(NULL, "", collect_meta, NULL, NULL), XS_ERR_INVALID);
    bool has;
    FAILS(xs_db_has_metadata(NULL, "", &has), XS_ERR_INVALID);
    FAILS(xs_db_document_data(NULL, 1, &s, NULL), XS_ERR_INVALID);
    FAILS(xs_db_begin(NULL), XS_ERR_INVALID);
    FAILS(xs_db_commit(NULL), XS_ERR_INVALID);
    FAILS(xs_db_cancel(NULL), XS_ERR_INVALID);
    FAILS(xs_db_close(NULL), XS_ERR_INVALID);
    FAILS(xs_db_reopen(NULL), XS_ERR_INVALID);
    ck_assert(!xs_db_writable(NULL));
    ck_assert(!xs_db_in_batch(NULL));
    FAILS(xs_db_add_document(NULL, NULL, &id), XS_ERR_INVALID);
    ck_assert_uint_eq(id, 0);
    FAILS(xs_db_replace_document(NULL, "Qa", 2, NULL), XS_ERR_INVALID);
    FAILS(xs_db_delete_documents(NULL, "Qa", 2), XS_ERR_INVALID);

    FAILS(xs_doc_new(NULL), XS_ERR_INVALID);
    FAILS(xs_doc_clear(NULL), XS_ERR_INVALID);
    FAILS(xs_doc_add_term(NULL, "a", 1, 1), XS_ERR_INVALID);
    FAILS(xs_doc_add_posting(NULL, "a", 1, 1), XS_ERR_INVALID);
    FAILS(xs_doc_add_boolean_term(NULL, "a", 1), XS_ERR_INVALID);
    FAILS(xs_doc_set_value(NULL, 0, "a", 1), XS_ERR_INVALID);
    FAILS(xs_doc_set_data(NULL, "a", 1), XS_ERR_INVALID);
    OK(xs_doc_new(&doc));
    FAILS(xs_doc_set_value(doc, 0, NULL, 1), XS_ERR_INVALID);
    FAILS(xs_doc_set_value(doc, 0xffffffffu, "a", 1), XS_ERR_INVALID);
    FAILS(xs_doc_set_data(doc, NULL, 1), XS_ERR_INVALID);
    OK(xs_doc_set_data(doc, NULL, 0));
    xs_doc_free(doc);

    FAILS(xs_db_open_many(NULL, NULL, 0), XS_ERR_INVALID);
    FAILS(xs_db_compact(NULL, 0, "x", NULL, NULL), XS_ERR_INVALID);
}
END_TEST

START_TEST(test_shim_add_document_null_doc)
{
    xs_docid_t id = 5;
    FAILS(xs_db_add_document(wdb, NULL, &id), XS_ERR_INVALID);
    ck_assert_uint_eq(id, 0);
    FAILS(xs_db_replace_document(wdb, "Qa", 2, NULL), XS_ERR_INVALID);
    /* Adding works and returns ids from 1. */
    OK(xs_db_add_document(wdb, wdoc, &id));
    ck_assert_uint_eq(id, 1);
    OK(xs_db_add_document(wdb, wdoc, &id));
    ck_assert_uint_eq(id, 2);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Shards and compaction                                                    */
/* ------------------------------------------------------------------------ */

static const char *const words_a[] = { "alpha" };
static const char *const words_b[] = { "beta", "gamma" };

START_TEST(test_shim_open_many)
{
    const char *paths[2];
    xs_db_t *db;
    xs_query_t *q;
    xs_mset_t *m;
    uint32_t n;
    int seen_a1 = 0, seen_b1 = 0, seen_b2 = 0;
    size_t len;

    paths[0] = tpath("a.db");
    paths[1] = tpath("b.db");
    build_small(paths[0], "a", 1, words_a);
    build_small(paths[1], "b", 2, words_b);
    OK(xs_db_open_many(&db, paths, 2));
    ck_assert(!xs_db_writable(db));
    OK(xs_db_doccount(db, &n));
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(termfreq(db, "common"), 3);

    q = term_q("common", 0);
    OK(xs_search(&m, db, q, NULL));
    ck_assert_uint_eq(xs_mset_size(m), 3);
    for (size_t i = 0; i < 3; i++) {
        const char *d = xs_mset_data(m, i, &len);
        ck_assert_ptr_nonnull(d);
        seen_a1 += strcmp(d, "a1") == 0;
        seen_b1 += strcmp(d, "b1") == 0;
        seen_b2 += strcmp(d, "b2") == 0;
    }
    ck_assert(seen_a1 == 1 && seen_b1 == 1 && seen_b2 == 1);
    xs_mset_free(m);
    xs_query_free(q);

    q = term_q("gamma", 0);
    OK(xs_search(&m, db, q, NULL));
    ck_assert_uint_eq(xs_mset_size(m), 1);
    ck_assert_str_eq(xs_mset_data(m, 0, &len), "b2");
    xs_mset_free(m);
    xs_query_free(q);
    OK(xs_db_reopen(db));
    xs_db_free(db);

    /* Opened twice: each of a's documents is there twice, unless same_slots
     * names them (slot 0, unset here, and the id in slot 1). */
    const char *twice[3] = { paths[0], paths[1], paths[0] };
    OK(xs_db_open_many(&db, twice, 3));
    xs_search_opts_t opts = XS_SEARCH_OPTS_INIT;
    q = term_q("common", 0);
    OK(xs_search(&m, db, q, &opts));
    ck_assert_uint_eq(xs_mset_size(m), 4);
    xs_mset_free(m);
    opts.same_slots[0] = 0;
    opts.same_slots[1] = 1;
    OK(xs_search(&m, db, q, &opts));
    ck_assert_uint_eq(xs_mset_size(m), 3);
    seen_a1 = seen_b1 = seen_b2 = 0;
    for (size_t i = 0; i < 3; i++) {
        const char *d = xs_mset_data(m, i, &len);
        seen_a1 += strcmp(d, "a1") == 0;
        seen_b1 += strcmp(d, "b1") == 0;
        seen_b2 += strcmp(d, "b2") == 0;
    }
    ck_assert(seen_a1 == 1 && seen_b1 == 1 && seen_b2 == 1);
    xs_mset_free(m);
    opts.same_slots[1] = -1; /* one slot alone is a mistake */
    FAILS(xs_search(&m, db, q, &opts), XS_ERR_INVALID);
    ERROR_HAS("same slots");
    xs_query_free(q);
    xs_db_free(db);
}
END_TEST

START_TEST(test_shim_open_many_errors)
{
    const char *paths[2];
    xs_db_t *db = (xs_db_t *)&db;
    char want[PATH_LEN + 32];

    paths[0] = tpath("a.db");
    paths[1] = tpath("absent.db");
    build_small(paths[0], "a", 1, words_a);
    FAILS(xs_db_open_many(&db, paths, 2), XS_ERR_NOT_FOUND);
    ck_assert_ptr_null(db);
    snprintf(want, sizeof want, "no such database: %s", paths[1]);
    ck_assert_str_eq(xs_last_error(), want);
    FAILS(xs_db_open_many(&db, paths, 0), XS_ERR_INVALID);
    paths[1] = NULL;
    FAILS(xs_db_open_many(&db, paths, 2), XS_ERR_INVALID);
}
END_TEST

START_TEST(test_shim_compact)
{
    const char *sources[2];
    const char *dest = tpath("merged.db");
    xs_db_t *db;
    xs_query_t *q;
    xs_mset_t *m;
    uint32_t n;
    char *data;
    size_t len;
    static const char *const want[] = { "a1", "b1", "b2" };

    sources[0] = tpath("a.db");
    sources[1] = tpath("b.db");
    build_small(sources[0], "a", 1, words_a);
    build_small(sources[1], "b", 2, words_b);
    OK(xs_db_compact(sources, 2, dest, NULL, NULL));

    OK(xs_db_open(&db, dest, XS_DB_READ));
    OK(xs_db_doccount(db, &n));
    ck_assert_uint_eq(n, 3);
    /* Renumbered in source order. */
    for (xs_docid_t id = 1; id <= 3; id++) {
        OK(xs_db_document_data(db, id, &data, &len));
        ck_assert_str_eq(data, want[id - 1]);
        free(data);
    }
    q = term_q("beta", 0);
    OK(xs_search(&m, db, q, NULL));
    ck_assert_uint_eq(xs_mset_size(m), 1);
    ck_assert_uint_eq(xs_mset_docid(m, 0), 2);
    ck_assert_str_eq(xs_mset_data(m, 0, &len), "b1");
    xs_mset_free(m);
    xs_query_free(q);
    xs_db_free(db);

    /* The sources are untouched. */
    ck_assert_uint_eq(doccount_at(sources[0]), 1);
    ck_assert_uint_eq(doccount_at(sources[1]), 2);
}
END_TEST

static void set_meta_at(const char *path, const char *key, const char *value)
{
    xs_db_t *db;
    OK(xs_db_open(&db, path, XS_DB_WRITE));
    OK(xs_db_begin(db));
    OK(xs_db_set_metadata(db, key, value, strlen(value)));
    OK(xs_db_commit(db));
    xs_db_free(db);
}

static char *meta_at(const char *path, const char *key)
{
    xs_db_t *db;
    char *v = NULL;
    OK(xs_db_open(&db, path, XS_DB_READ));
    OK(xs_db_get_metadata(db, key, &v, NULL));
    xs_db_free(db);
    return v;
}

/* Joins the values of a key with '+', and counts its calls. */
static int join_values(const char *key, size_t key_len, const char *const *values,
                       const size_t *lens, size_t n, char **out, size_t *out_len, void *payload)
{
    size_t total = n;
    /* The key as it was set, nothing of Xapian's own around it. */
    ck_assert_uint_eq(key_len, 4);
    ck_assert_int_eq(memcmp(key, "both", 4), 0);
    ++*(int *)payload;
    for (size_t i = 0; i < n; i++)
        total += lens[i];
    char *v = malloc(total), *p = v;
    ck_assert_ptr_nonnull(v);
    for (size_t i = 0; i < n; i++) {
        if (i)
            *p++ = '+';
        memcpy(p, values[i], lens[i]);
        p += lens[i];
    }
    *out = v;
    *out_len = (size_t)(p - v);
    return 0;
}

static int fail_merge(const char *key, size_t key_len, const char *const *values,
                      const size_t *lens, size_t n, char **out, size_t *out_len, void *payload)
{
    (void)key, (void)key_len, (void)values, (void)lens, (void)n, (void)out, (void)out_len;
    (void)payload;
    return 1;
}

/* A metadata key that several sources hold: the first value without a merge
 * function, else what it makes of them all; keys of one source are copied. */
START_TEST(test_shim_compact_metadata)
{
    const char *sources[2] = { tpath("a.db"), tpath("b.db") };
    int calls = 0;
    char *v;

    build_small(sources[0], "a", 1, words_a);
    build_small(sources[1], "b", 2, words_b);
    set_meta_at(sources[0], "both", "A");
    set_meta_at(sources[1], "both", "B");
    set_meta_at(sources[1], "only_b", "b");

    OK(xs_db_compact(sources, 2, tpath("first.db"), NULL, NULL));
    ck_assert_str_eq(v = meta_at(tpath("first.db"), "both"), "A");
    free(v);
    OK(xs_db_compact(sources, 2, tpath("joined.db"), join_values, &calls));
    ck_assert_str_eq(v = meta_at(tpath("joined.db"), "both"), "A+B");
    free(v);
    ck_assert_str_eq(v = meta_at(tpath("joined.db"), "only_b"), "b");
    free(v);
    ck_assert_int_eq(calls, 1);
    FAILS(xs_db_compact(sources, 2, tpath("failed.db"), fail_merge, NULL), XS_ERR_NOMEM);
    ck_assert_ptr_nonnull(strstr(xs_last_error(), "failed.db"));
}
END_TEST

START_TEST(test_shim_compact_errors)
{
    const char *sources[2];
    char want[PATH_LEN + 32];

    sources[0] = tpath("a.db");
    sources[1] = tpath("absent.db");
    build_small(sources[0], "a", 1, words_a);

    /* An existing destination is refused, and left alone. */
    FAILS(xs_db_compact(sources, 1, sources[0], NULL, NULL), XS_ERR_INVALID);
    ERROR_HAS("already exists");
    ck_assert_uint_eq(doccount_at(sources[0]), 1);
    ck_assert_int_eq(mkdir(tpath("dir"), 0700), 0);
    FAILS(xs_db_compact(sources, 1, tpath("dir"), NULL, NULL), XS_ERR_INVALID);

    /* A missing source is named. */
    FAILS(xs_db_compact(sources, 2, tpath("out.db"), NULL, NULL), XS_ERR_NOT_FOUND);
    snprintf(want, sizeof want, "no such database: %s", sources[1]);
    ck_assert_str_eq(xs_last_error(), want);
    ck_assert_int_ne(access(tpath("out.db"), F_OK), 0);

    FAILS(xs_db_compact(sources, 0, tpath("out.db"), NULL, NULL), XS_ERR_INVALID);
    FAILS(xs_db_compact(sources, 1, NULL, NULL, NULL), XS_ERR_INVALID);
    sources[1] = NULL;
    FAILS(xs_db_compact(sources, 2, tpath("out.db"), NULL, NULL), XS_ERR_INVALID);
}
END_TEST

/* A source without its position or term list table (Xapian takes one that
 * does not open for one that is not there) is refused, named, rather than
 * compacted into an index without it. */
START_TEST(test_shim_compact_missing_table)
{
    static const char *const tables[] = { "position.glass", "termlist.glass" };
    static const char *const said[] = { "its position table is missing or empty",
                                        "its term list table is missing" };
    const char *sources[2];
    char path[PATH_LEN], want[PATH_LEN + 96];

    sources[0] = tpath("a.db");
    build_small(sources[0], "a", 1, words_a);
    for (size_t t = 0; t < 2; t++) {
        sources[1] = tpath(t == 0 ? "b0.db" : "b1.db");
        build_small(sources[1], "b", 2, words_b);
        snprintf(path, sizeof path, "%s/%s", sources[1], tables[t]);
        ck_assert_int_eq(unlink(path), 0);
        FAILS(xs_db_compact(sources, 2, tpath("out.db"), NULL, NULL), XS_ERR_CORRUPT);
        snprintf(want, sizeof want, "%s: %s (or could not be opened)", sources[1], said[t]);
        ck_assert_str_eq(xs_last_error(), want);
        ck_assert_int_ne(access(tpath("out.db"), F_OK), 0);
    }
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Suite                                                                    */
/* ------------------------------------------------------------------------ */

#define N_ROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *make_shim_suite(void);

Suite *make_shim_suite(void)
{
    Suite *s = suite_create("shim");
    TCase *tc;

    tc = tcase_create("status");
    tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
    tcase_add_test(tc, test_shim_status_strings);
    tcase_add_test(tc, test_shim_version);
    tcase_add_test(tc, test_shim_last_error_thread_local);
    suite_add_tcase(s, tc);

    tc = tcase_create("open");
    tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
    tcase_add_test(tc, test_shim_open_missing_db);
    tcase_add_test(tc, test_shim_open_modes);
    tcase_add_test(tc, test_shim_open_create_existing);
    tcase_add_test(tc, test_shim_open_second_writer_locked);
    tcase_add_test(tc, test_shim_open_bad_arguments);
    tcase_add_test(tc, test_shim_open_io_error);
    tcase_add_test(tc, test_shim_open_corrupt);
    tcase_add_test(tc, test_shim_table_cut_short_is_corrupt);
    tcase_add_test(tc, test_shim_check_tables);
    tcase_add_test(tc, test_shim_closed_handle_refuses);
    tcase_add_test(tc, test_shim_reopen_sees_new_commits);
    suite_add_tcase(s, tc);

    tc = tcase_create("batch");
    tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
    tcase_add_test(tc, test_shim_batch_commit_durable);
    tcase_add_test(tc, test_shim_batch_free_discards);
    tcase_add_test(tc, test_shim_batch_close_discards);
    tcase_add_test(tc, test_shim_batch_cancel_discards);
    tcase_add_test(tc, test_shim_batch_state_errors);
    tcase_add_loop_test(tc, test_shim_write_without_batch, 0, N_ROWS(write_rows));
    suite_add_tcase(s, tc);

    tc = tcase_create("documents");
    tcase_add_checked_fixture(tc, corpus_setup, corpus_teardown);
    tcase_add_test(tc, test_shim_stats);
    tcase_add_test(tc, test_shim_document_data);
    tcase_add_test(tc, test_shim_document_replace_and_delete);
    tcase_add_test(tc, test_shim_null_arguments);
    suite_add_tcase(s, tc);

    tc = tcase_create("writing");
    tcase_add_checked_fixture(tc, writer_setup, writer_teardown);
    tcase_add_test(tc, test_shim_document_binary_data_and_clear);
    tcase_add_test(tc, test_shim_document_wdf_and_positions);
    tcase_add_test(tc, test_shim_add_document_null_doc);
    tcase_add_test(tc, test_shim_metadata);
    suite_add_tcase(s, tc);

    tc = tcase_create("walks");
    tcase_add_checked_fixture(tc, corpus_setup, corpus_teardown);
    tcase_add_test(tc, test_shim_terms_walk_prefix);
    tcase_add_test(tc, test_shim_terms_walk_sorted_and_stops);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, writer_setup, writer_teardown);
    tcase_add_loop_test(tc, test_shim_term_too_long, 0, N_ROWS(term_rows));
    tcase_add_loop_test(tc, test_shim_term_empty_or_null, 0, N_ROWS(term_rows));
    tcase_add_test(tc, test_shim_term_max_round_trip);
    suite_add_tcase(s, tc);

    tc = tcase_create("query");
    tcase_add_checked_fixture(tc, corpus_setup, corpus_teardown);
    tcase_add_test(tc, test_shim_query_describe_and_empty);
    tcase_add_test(tc, test_shim_query_bad_arguments);
    tcase_add_loop_test(tc, test_shim_search_operators, 0, N_ROWS(op_rows));
    tcase_add_test(tc, test_shim_search_wildcard);
    tcase_add_test(tc, test_shim_search_all_none);
    suite_add_tcase(s, tc);

    tc = tcase_create("search");
    tcase_add_checked_fixture(tc, corpus_setup, corpus_teardown);
    tcase_add_test(tc, test_shim_search_ranks_and_weights);
    tcase_add_test(tc, test_shim_search_bm25_options);
    tcase_add_test(tc, test_shim_search_scale);
    tcase_add_test(tc, test_shim_search_offset_limit);
    tcase_add_test(tc, test_shim_search_bad_opts);
    tcase_add_test(tc, test_shim_search_collapse);
    tcase_add_test(tc, test_shim_search_value_range);
    tcase_add_test(tc, test_shim_mset_data_and_values);
    tcase_add_test(tc, test_shim_mset_null_handle);
    tcase_add_test(tc, test_shim_result_deleted_since_is_modified);
    tcase_add_test(tc, test_shim_mset_matching_terms);
    tcase_add_test(tc, test_shim_mset_expand);
    tcase_add_test(tc, test_shim_mset_expand_skips_unpositioned);
    suite_add_tcase(s, tc);

    tc = tcase_create("search_defaults");
    tcase_add_checked_fixture(tc, writer_setup, writer_teardown);
    tcase_add_test(tc, test_shim_search_default_opts);
    tcase_add_test(tc, test_shim_search_tie_slot);
    suite_add_tcase(s, tc);

    tc = tcase_create("shards");
    tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
    tcase_add_test(tc, test_shim_open_many);
    tcase_add_test(tc, test_shim_open_many_errors);
    tcase_add_test(tc, test_shim_compact);
    tcase_add_test(tc, test_shim_compact_metadata);
    tcase_add_test(tc, test_shim_compact_errors);
    tcase_add_test(tc, test_shim_compact_missing_table);
    suite_add_tcase(s, tc);

    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(make_shim_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
