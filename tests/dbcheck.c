/*
 * dbcheck.c — a test tool: open a passim index read-only, check that it is
 * consistent, and print what it holds, for the command-line tests to compare.
 *
 *   dbcheck DB             "docs N", "files N", "passages N" (sum of file records)
 *   dbcheck DB --files     one line per file: "<passages> <path>"
 *   dbcheck DB --term T    the number of passages holding term T
 *   dbcheck DB --docs      the number of passages alone, with no check: cheap
 *                          enough to poll an index that a run is writing
 *   dbcheck DB --first-build  "yes" if the index still carries the mark of
 *                          a first build on one writer (it is not compacted
 *                          yet), else "no"
 *   dbcheck DB --words     the word lists of "did you mean": "<word> <count>"
 *                          lines, by list (length), each in its own order, then
 *                          the words due (not in the lists yet), by value
 *   dbcheck DB --set-meta KEY VALUE
 *                          write one metadata entry (to fake another layout)
 *   dbcheck DB --foreign   make DB a new Xapian database of one document and
 *                          nothing of passim's (another program's database)
 *
 * Consistent means: for every file record, exactly that many passages carry the
 * file's id term, and the passages of all records add up to the document count
 * (nothing duplicated, nothing orphaned); every passage carries a readable
 * passage record whose number matches its ordinal value. Exit status 0 if consistent, 1 if not,
 * 2 if the index cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexer.h"
#include "record.h"
#include "spell.h"
#include "terms.h"

typedef struct check {
    xs_db_t *db;
    bool list;
    unsigned files;
    uint64_t passages;
    unsigned bad;
    text_buf_t term;
} check_t;

static int on_file(const char *key, size_t key_len, const char *value, size_t value_len,
                   void *payload)
{
    check_t *c = payload;
    text_file_record_t rec;
    if (!text_file_record_decode(value, value_len, &rec)) {
        fprintf(stderr, "dbcheck: unreadable file record %.*s\n", (int)key_len, key);
        c->bad++;
        return 0;
    }
    char *file_key = strndup(rec.key, rec.key_len);
    bool ok = file_key && text_key_term(&c->term, PASSIM_PREFIX_FILE, file_key, "");
    free(file_key);
    if (!ok)
        return -1;
    uint32_t tf = 0;
    if (xs_db_termfreq(c->db, c->term.data, c->term.len, &tf) != XS_OK)
        return -1;
    if (tf != rec.n_passages) {
        fprintf(stderr, "dbcheck: %.*s: record says %u passages, index holds %u\n",
                (int)rec.path_len, rec.path, rec.n_passages, tf);
        c->bad++;
    }
    c->files++;
    c->passages += rec.n_passages;
    if (c->list)
        printf("%u %.*s\n", rec.n_passages, (int)rec.path_len, rec.path);
    return 0;
}

static int set_meta(const char *path, const char *key, const char *value)
{
    xs_db_t *db = NULL;
    xs_status_t st = xs_db_open(&db, path, XS_DB_WRITE);
    if (st == XS_OK)
        st = xs_db_begin(db);
    if (st == XS_OK)
        st = xs_db_set_metadata(db, key, value, strlen(value));
    if (st == XS_OK)
        st = xs_db_commit(db);
    if (st != XS_OK)
        fprintf(stderr, "dbcheck: %s: %s\n", path, xs_last_error());
    xs_db_free(db);
    return st == XS_OK ? 0 : 2;
}

static int make_foreign(const char *path)
{
    xs_db_t *db = NULL;
    xs_doc_t *doc = NULL;
    xs_status_t st = xs_db_open(&db, path, XS_DB_OVERWRITE);
    if (st == XS_OK)
        st = xs_db_begin(db);
    if (st == XS_OK)
        st = xs_doc_new(&doc);
    if (st == XS_OK)
        st = xs_doc_add_term(doc, "hello", 5, 1);
    if (st == XS_OK)
        st = xs_db_add_document(db, doc, NULL);
    if (st == XS_OK)
        st = xs_db_commit(db);
    if (st != XS_OK)
        fprintf(stderr, "dbcheck: %s: %s\n", path, xs_last_error());
    xs_doc_free(doc);
    xs_db_free(db);
    return st == XS_OK ? 0 : 2;
}

/* Every passage's record decodes and agrees with its ordinal value. Returns
 * the number of passages that do not, or -1 if the index cannot be read. */
static long check_records(xs_db_t *db, uint32_t docs)
{
    xs_query_t *all = NULL;
    xs_mset_t *m = NULL;
    xs_search_opts_t o = XS_SEARCH_OPTS_INIT;
    o.limit = docs;
    if (docs == 0)
        return 0;
    if (xs_query_all(&all) != XS_OK || xs_search(&m, db, all, &o) != XS_OK) {
        xs_query_free(all);
        return -1;
    }
    long bad = 0;
    for (size_t i = 0; i < xs_mset_size(m); i++) {
        size_t len, olen;
        text_record_t r;
        const char *data = xs_mset_value(m, i, PASSIM_SLOT_RECORD, &len);
        const unsigned char *ord =
            (const unsigned char *)xs_mset_value(m, i, PASSIM_SLOT_ORDINAL, &olen);
        if (!data || !ord) {
            bad = -1;
            break;
        }
        uint32_t ordinal = olen == 4 ? (uint32_t)ord[0] << 24 | (uint32_t)ord[1] << 16
                                           | (uint32_t)ord[2] << 8 | ord[3]
                                     : UINT32_MAX;
        if (!text_record_decode(data, len, &r) || r.ordinal != ordinal) {
            fprintf(stderr, "dbcheck: document %u: no readable passage record\n",
                    (unsigned)xs_mset_docid(m, i));
            bad++;
        }
    }
    xs_mset_free(m);
    xs_query_free(all);
    return bad;
}

static int print_word(const char *word, size_t len, uint32_t count, void *payload)
{
    (void)payload;
    printf("%.*s %lu\n", (int)len, word, (unsigned long)count);
    return 0;
}

/* A metadata value of words (a list, or words due) under its key's name:
 * payload is the key's prefix, and the header says which kind it is. */
typedef struct words_kind {
    const char *header, *prefix;
} words_kind_t;

static int print_words(const char *key, size_t key_len, const char *value, size_t value_len,
                       void *payload)
{
    const words_kind_t *k = payload;
    size_t prefix = strlen(k->prefix);
    printf("%s %.*s\n", k->header, (int)(key_len - prefix), key + prefix);
    return text_spell_each(value, value_len, print_word, NULL);
}

int main(int argc, char **argv)
{
    bool usage = argc < 2 || argc > 5
                 || (argc == 3 && strcmp(argv[2], "--files") != 0
                     && strcmp(argv[2], "--words") != 0 && strcmp(argv[2], "--docs") != 0
                     && strcmp(argv[2], "--foreign") != 0
                     && strcmp(argv[2], "--first-build") != 0)
                 || (argc == 4 && strcmp(argv[2], "--term") != 0)
                 || (argc == 5 && strcmp(argv[2], "--set-meta") != 0);
    if (usage) {
        fputs("usage: dbcheck DB [--files | --words | --docs | --first-build | --term TERM"
              " | --set-meta KEY VALUE | --foreign]\n", stderr);
        return 2;
    }
    if (argc == 3 && strcmp(argv[2], "--foreign") == 0)
        return make_foreign(argv[1]);
    if (argc == 5)
        return set_meta(argv[1], argv[3], argv[4]);
    check_t c = { .term = TEXT_BUF_INIT };
    xs_status_t st = xs_db_open(&c.db, argv[1], XS_DB_READ);
    if (st != XS_OK) {
        fprintf(stderr, "dbcheck: %s: %s\n", argv[1], xs_last_error());
        return 2;
    }
    if (argc == 4) {
        uint32_t tf = 0;
        st = xs_db_termfreq(c.db, argv[3], strlen(argv[3]), &tf);
        printf("%u\n", tf);
        xs_db_free(c.db);
        return st == XS_OK ? 0 : 2;
    }
    if (argc == 3 && strcmp(argv[2], "--docs") == 0) {
        uint32_t docs = 0;
        st = xs_db_doccount(c.db, &docs);
        printf("%u\n", docs);
        xs_db_free(c.db);
        return st == XS_OK ? 0 : 2;
    }
    if (argc == 3 && strcmp(argv[2], "--first-build") == 0) {
        char *mark = NULL;
        st = xs_db_get_metadata(c.db, PASSIM_META_FIRST_BUILD, &mark, NULL);
        if (st == XS_OK || st == XS_ERR_NOT_FOUND) {
            puts(st == XS_OK ? "yes" : "no");
            st = XS_OK;
        } else
            fprintf(stderr, "dbcheck: %s: %s\n", argv[1], xs_last_error());
        free(mark);
        xs_db_free(c.db);
        return st == XS_OK ? 0 : 2;
    }
    int rc = 0;
    if (argc == 3 && strcmp(argv[2], "--words") == 0) {
        static const words_kind_t lists = { "list", PASSIM_META_WORDS },
                                  due = { "due", PASSIM_META_WORDS_DUE };
        st = xs_db_metadata(c.db, PASSIM_META_WORDS, print_words, (void *)&lists, &rc);
        if (st == XS_OK)
            st = xs_db_metadata(c.db, PASSIM_META_WORDS_DUE, print_words, (void *)&due, &rc);
        if (st != XS_OK)
            fprintf(stderr, "dbcheck: %s: %s\n", argv[1], xs_last_error());
        xs_db_free(c.db);
        return st == XS_OK ? 0 : 2;
    }
    c.list = argc == 3;
    st = xs_db_metadata(c.db, PASSIM_META_FILE, on_file, &c, &rc);
    uint32_t docs = 0;
    if (st == XS_OK && rc == 0)
        st = xs_db_doccount(c.db, &docs);
    if (st != XS_OK || rc != 0) {
        fprintf(stderr, "dbcheck: %s: %s\n", argv[1], xs_last_error());
        xs_db_free(c.db);
        text_buf_free(&c.term);
        return 2;
    }
    if (docs != c.passages) {
        fprintf(stderr, "dbcheck: %u documents but the file records count %llu passages\n", docs,
                (unsigned long long)c.passages);
        c.bad++;
    }
    long bad_records = check_records(c.db, docs);
    if (bad_records < 0) {
        fprintf(stderr, "dbcheck: %s: %s\n", argv[1], xs_last_error());
        xs_db_free(c.db);
        text_buf_free(&c.term);
        return 2;
    }
    c.bad += (unsigned)bad_records;
    if (!c.list)
        printf("docs %u\nfiles %u\npassages %llu\n", docs, c.files,
               (unsigned long long)c.passages);
    xs_db_free(c.db);
    text_buf_free(&c.term);
    return c.bad ? 1 : 0;
}
