/*
 * xapian_shim.h — a small C API over Xapian's C++ API; the only door from passim's
 * C code into Xapian. The shim stores and matches terms: it knows nothing of
 * words, stems or passages (text/ does that) and never tokenizes.
 *
 * Conventions, true of every function below unless its comment says otherwise:
 *  1. Functions return xs_status_t; XS_OK (0) is success. No C++ exception ever
 *     leaves the shim. After a non-XS_OK return, xs_last_error() gives a one-line
 *     detail (thread-local, valid until the next xs_ call on the same thread).
 *  2. Out parameters come first and are named out; on failure *out is NULL (or 0).
 *  3. What a constructor returns, the caller frees with the matching xs_*_free(),
 *     which accepts NULL and never fails.
 *  4. `const char *` results are borrowed from the handle they came from and live
 *     as long as it does (or as the comment says). Results the caller must free
 *     are said to be "malloc'ed": free them with free().
 *  5. A result set (xs_mset_t) must be freed before the database it came from.
 *  6. Writes happen inside a batch (xs_db_begin ... xs_db_commit/xs_db_cancel) and
 *     become durable only at xs_db_commit(). xs_db_free() on a writable database
 *     with a batch open discards the batch: nothing is ever committed by a free.
 *  7. Byte strings (terms, data, values) are (pointer, length) and may hold any
 *     bytes; terms are at most XS_TERM_MAX bytes (longer: XS_ERR_TERM_TOO_LONG).
 *  8. Handles are not thread-safe; distinct handles may be used on distinct
 *     threads at once.
 */
#ifndef PASSIM_XAPIAN_SHIM_H
#define PASSIM_XAPIAN_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xs_db xs_db_t;        /* a database, read-only or writable */
typedef struct xs_doc xs_doc_t;      /* a document being built for writing */
typedef struct xs_query xs_query_t;  /* an immutable query tree */
typedef struct xs_mset xs_mset_t;    /* the results of one search */

typedef uint32_t xs_docid_t;         /* Xapian document id, 1-based; 0 = none */

typedef enum {
    XS_OK = 0,
    XS_ERR_NOMEM,          /* out of memory (std::bad_alloc) */
    XS_ERR_INVALID,        /* bad argument (NULL handle, bad option, wrong mode...) */
    XS_ERR_NOT_FOUND,      /* no such database, document or key */
    XS_ERR_LOCKED,         /* the database is locked by another writer */
    XS_ERR_CORRUPT,        /* the database is damaged or of an unknown version; a
                              reader may also see a writer's race this way (a block
                              of its revision already reused): believe it only if
                              it is still so after a pause */
    XS_ERR_MODIFIED,       /* the database changed under a reader (a writer committed
                              over its revision, or deleted a result's document):
                              reopen, retry */
    XS_ERR_TERM_TOO_LONG,  /* a term longer than XS_TERM_MAX bytes */
    XS_ERR_IO,             /* a read or write failed (disk full, permissions) */
    XS_ERR_BACKEND,        /* any other Xapian error */
    XS_ERR_INTERNAL,       /* anything else: a bug */
    XS_STATUS_LAST
} xs_status_t;

/* Longest term Xapian accepts, in bytes (its limit is 245 for the glass backend). */
#define XS_TERM_MAX 245

/* Static description of a status ("database locked"); never NULL. */
const char *xs_status_str(xs_status_t st);

/* Detail of the last failure on this thread, for example
 * "no such database: /tmp/x.db"; "" if none yet. Valid until the next xs_ call;
 * successful calls do not clear it, so read it only after a failure. */
const char *xs_last_error(void);

/* Status of the last failure on this thread (XS_OK if none yet), under the
 * same terms as xs_last_error(): what a getter that fails with NULL or 0
 * (xs_mset_value(), say) would have returned. An unset metadata key is a
 * failure too (XS_ERR_NOT_FOUND): read it right after the call it is about. */
xs_status_t xs_last_status(void);

/* Xapian's version string ("1.4.22"), static. */
const char *xs_version(void);

/* Xapian 1.4 can fail where no caller can catch it: a write that fails while
 * a failed commit unwinds (on a full disk, or past a file size limit) throws
 * out of a destructor, and C++ ends the process through std::terminate. With
 * a handler set, the process ends through it instead: fn gets the failure's
 * one-line description and should exit (with _exit(): the state of the
 * process is not to be trusted); if it returns, the process aborts as it
 * would have. What the last commit wrote stays on disk. NULL removes it. */
typedef void (*xs_fatal_fn)(const char *message);
void xs_set_fatal_handler(xs_fatal_fn fn);

/* ------------------------------------------------------------------------ */
/* Databases                                                                */
/* ------------------------------------------------------------------------ */

typedef enum {
    XS_DB_READ,      /* read-only; XS_ERR_NOT_FOUND if the database does not exist */
    XS_DB_WRITE,     /* writable; created if it does not exist */
    XS_DB_CREATE,    /* writable; must not exist yet (XS_ERR_INVALID if it does) */
    XS_DB_OVERWRITE  /* writable; created, or emptied if it exists */
} xs_mode_t;

/* OR'ed into a writable mode: commits do not wait for the data to reach the
 * disk (no fsync). For temporary databases whose durability is ensured later,
 * by syncing their files before they are put in place. */
#define XS_DB_NO_SYNC 0x100

/* Open the database at path (a directory). A writable open takes Xapian's
 * single-writer lock: a second writer gets XS_ERR_LOCKED at once.
 * Errors: XS_ERR_NOT_FOUND (nothing there, or no database in the directory),
 * XS_ERR_LOCKED, XS_ERR_CORRUPT, XS_ERR_IO (the path cannot be reached: not a
 * directory, permission denied), XS_ERR_INVALID. */
xs_status_t xs_db_open(xs_db_t **out, const char *path, xs_mode_t mode);

/* Open several databases read-only as one (shards searched together). Document
 * ids are interleaved as Xapian does; everything else works as with one. */
xs_status_t xs_db_open_many(xs_db_t **out, const char *const *paths, size_t n_paths);

/* Bring a read-only database to its latest committed revision (after
 * XS_ERR_MODIFIED). For a writable one, a no-op. */
xs_status_t xs_db_reopen(xs_db_t *db);

/* Close a database: releases the write lock. A batch still open is discarded
 * (commit first). Further calls on db return XS_ERR_INVALID; it must still be freed. */
xs_status_t xs_db_close(xs_db_t *db);

/* Free a database handle (closing it first if needed); NULL allowed. */
void xs_db_free(xs_db_t *db);

/* Whether the handle is writable. */
bool xs_db_writable(const xs_db_t *db);

/* Start a batch of writes. XS_ERR_INVALID if one is already open or db is read-only. */
xs_status_t xs_db_begin(xs_db_t *db);

/* Make every write of the open batch durable, atomically, and end the batch. */
xs_status_t xs_db_commit(xs_db_t *db);

/* Discard every write of the open batch and end it. */
xs_status_t xs_db_cancel(xs_db_t *db);

/* Whether a batch is open. */
bool xs_db_in_batch(const xs_db_t *db);

/* Number of documents; average document length (in term occurrences). */
xs_status_t xs_db_doccount(const xs_db_t *db, uint32_t *out);
xs_status_t xs_db_avlength(const xs_db_t *db, double *out);

/* Number of documents holding term (0 if none); total occurrences of term. */
xs_status_t xs_db_termfreq(const xs_db_t *db, const char *term, size_t len, uint32_t *out);
xs_status_t xs_db_collfreq(const xs_db_t *db, const char *term, size_t len, uint64_t *out);

/* Call fn(term, len, termfreq, payload) for every term that starts with prefix,
 * in sorted order; a non-zero return stops the walk and is returned in *fn_rc
 * (fn_rc may be NULL). An empty prefix (prefix_len 0, prefix may be NULL)
 * walks every term. */
typedef int (*xs_term_fn)(const char *term, size_t len, uint32_t termfreq, void *payload);
xs_status_t xs_db_terms(const xs_db_t *db, const char *prefix, size_t prefix_len,
                        xs_term_fn fn, void *payload, int *fn_rc);

/* Metadata: small key/value strings kept with the database (written inside a
 * batch). Get: *out is a malloc'ed copy (NUL-terminated, length *len; len may
 * be NULL) or NULL with XS_ERR_NOT_FOUND if the key is unset. Set with len 0
 * deletes the key (value may then be NULL). Keys are non-empty C strings. */
xs_status_t xs_db_get_metadata(const xs_db_t *db, const char *key, char **out, size_t *len);
xs_status_t xs_db_set_metadata(xs_db_t *db, const char *key, const char *value, size_t len);

/* Call fn(key, key_len, value, value_len, payload) for every metadata key that
 * starts with prefix (NULL or "": every key), in sorted order; stops as
 * xs_db_terms() does. */
typedef int (*xs_meta_fn)(const char *key, size_t key_len, const char *value,
                          size_t value_len, void *payload);
xs_status_t xs_db_metadata(const xs_db_t *db, const char *prefix, xs_meta_fn fn,
                           void *payload, int *fn_rc);

/* Whether some metadata key starts with prefix (NULL or "": whether any key
 * is set), without reading values. */
xs_status_t xs_db_has_metadata(const xs_db_t *db, const char *prefix, bool *out);

/* For a database whose every document has terms with positions: XS_OK, or
 * XS_ERR_CORRUPT if it holds documents but its position table or its term
 * list table is missing (a table file deleted). Xapian opens such a database
 * and fails, or silently matches phrases as plain words, only when the table
 * is used. Reads one block of the term list table; a read that fails (a
 * writer's race) is left to the caller's next read: XS_OK. *rebuildable (if
 * not NULL) is set to whether a writer can still open the database to
 * rebuild it: the position table is missing, the term list table is not. */
xs_status_t xs_db_check_tables(const xs_db_t *db, bool *rebuildable);

/* How a compaction settles a metadata key that several sources hold: fn gets
 * the key and its n values (in source order) and puts a malloc'ed value in *out,
 * of length *out_len (*out may stay NULL for an empty value); non-zero fails
 * the compaction as out of memory. */
typedef int (*xs_meta_merge_fn)(const char *key, size_t key_len, const char *const *values,
                                const size_t *lens, size_t n, char **out, size_t *out_len,
                                void *payload);

/* Merge the databases at sources into a new compact database at dest (which must
 * not exist: XS_ERR_INVALID). Document ids are renumbered in source order. A
 * metadata key held by several sources gets the value merge makes of theirs,
 * or, with merge NULL, the first source's. A missing source is
 * XS_ERR_NOT_FOUND, named in the message. A source, or the result, that
 * xs_db_check_tables() finds without its position or term list table is
 * XS_ERR_CORRUPT, named in the message (Xapian takes a table that did not
 * open for one that is not there, and would compact without it). If
 * compaction itself fails, dest may be left partly written. */
xs_status_t xs_db_compact(const char *const *sources, size_t n_sources, const char *dest,
                          xs_meta_merge_fn merge, void *payload);

/* ------------------------------------------------------------------------ */
/* Documents                                                                */
/* ------------------------------------------------------------------------ */

xs_status_t xs_doc_new(xs_doc_t **out);
void xs_doc_free(xs_doc_t *doc);

/* Forget everything added, to build another document with the same handle. */
xs_status_t xs_doc_clear(xs_doc_t *doc);

/* Add term with wdf_inc occurrences and no position. */
xs_status_t xs_doc_add_term(xs_doc_t *doc, const char *term, size_t len, uint32_t wdf_inc);

/* Add one occurrence of term at position pos (1 or more). */
xs_status_t xs_doc_add_posting(xs_doc_t *doc, const char *term, size_t len, uint32_t pos);

/* Add a term that only filters: no wdf, no position (ids, paths). */
xs_status_t xs_doc_add_boolean_term(xs_doc_t *doc, const char *term, size_t len);

/* Set value slot (bytes copied; len 0 removes it; slot 0xffffffff is invalid);
 * set the document data (bytes copied). */
xs_status_t xs_doc_set_value(xs_doc_t *doc, unsigned slot, const void *bytes, size_t len);
xs_status_t xs_doc_set_data(xs_doc_t *doc, const void *bytes, size_t len);

/* Add doc (inside a batch); *out (may be NULL) gets its new id. doc is copied:
 * it may be cleared and reused right after. */
xs_status_t xs_db_add_document(xs_db_t *db, const xs_doc_t *doc, xs_docid_t *out);

/* Replace the document(s) indexed by unique_term with doc, or add doc if none. */
xs_status_t xs_db_replace_document(xs_db_t *db, const char *unique_term, size_t len,
                                   const xs_doc_t *doc);

/* Delete every document indexed by term (none is not an error). */
xs_status_t xs_db_delete_documents(xs_db_t *db, const char *term, size_t len);

/* The data of document id: *out is malloc'ed (NUL-terminated, length *len; len
 * may be NULL). XS_ERR_NOT_FOUND if there is no such document (or id is 0). */
xs_status_t xs_db_document_data(const xs_db_t *db, xs_docid_t id, char **out, size_t *len);

/* ------------------------------------------------------------------------ */
/* Queries                                                                  */
/* ------------------------------------------------------------------------ */

typedef enum {
    XS_OP_AND,        /* all subqueries match; weights add */
    XS_OP_OR,         /* any matches; weights add */
    XS_OP_AND_NOT,    /* first matches and none of the others */
    XS_OP_AND_MAYBE,  /* first matches; the others only add weight */
    XS_OP_FILTER,     /* first matches and all others match; only the first weighs */
    XS_OP_SYNONYM,    /* any matches, weighted as if one term (wildcards, variants) */
    XS_OP_PHRASE,     /* terms at consecutive positions in order (window: span) */
    XS_OP_NEAR        /* terms within window positions of each other, any order */
} xs_op_t;

/* One term, with query frequency wqf (1 for a plain word) and position in the
 * query (pos, 1-based; 0 if it does not matter). */
xs_status_t xs_query_term(xs_query_t **out, const char *term, size_t len, uint32_t wqf,
                          uint32_t pos);

/* Combine subqueries with op. For XS_OP_PHRASE and XS_OP_NEAR, window is the span
 * in positions (0: the number of subqueries); it is ignored by the other ops.
 * The subqueries are copied: the caller still frees its handles. With n_subs 0,
 * the result matches nothing. */
xs_status_t xs_query_combine(xs_query_t **out, xs_op_t op, const xs_query_t *const *subs,
                             size_t n_subs, uint32_t window);

/* Every term that starts with prefix, as a synonym group; at most max_expansion
 * terms (0: no limit), the most frequent kept. */
xs_status_t xs_query_wildcard(xs_query_t **out, const char *prefix, size_t len,
                              uint32_t max_expansion);

/* Documents whose value in slot lies between lo and hi (byte strings compared
 * as Xapian does, bytewise), with weight 0. */
xs_status_t xs_query_value_range(xs_query_t **out, unsigned slot, const void *lo, size_t lo_len,
                                 const void *hi, size_t hi_len);

/* q with its weight multiplied by factor (>= 0). */
xs_status_t xs_query_scale(xs_query_t **out, const xs_query_t *q, double factor);

/* Matches every document with weight 0; matches nothing. */
xs_status_t xs_query_all(xs_query_t **out);
xs_status_t xs_query_none(xs_query_t **out);

/* Whether q matches nothing by construction (an empty OR...); true for NULL. */
bool xs_query_is_empty(const xs_query_t *q);

/* Xapian's description of q, malloc'ed: "Query((talk@1 AND peac@2))"; NULL
 * (see xs_last_error()) if q is NULL or memory ran out. */
char *xs_query_describe(const xs_query_t *q);

void xs_query_free(xs_query_t *q);

/* ------------------------------------------------------------------------ */
/* Searching                                                                */
/* ------------------------------------------------------------------------ */

typedef struct xs_search_opts {
    unsigned version;        /* XS_SEARCH_OPTS_VERSION */
    uint32_t offset;         /* skip this many results */
    uint32_t limit;          /* return at most this many */
    int collapse_slot;       /* value slot to collapse on, or -1 */
    uint32_t collapse_max;   /* keep at most this many per collapse key (>= 1) */
    uint32_t check_at_least; /* rank and hold at least this many matches from the
                                first (exact counts when fewer match), whatever the
                                offset and limit: Xapian 1.4's matcher, holding few,
                                can drop a result of an AND_MAYBE query that belongs
                                among them, so that a short page would not be the
                                start of a longer one */
    double bm25_k1, bm25_k2, bm25_k3, bm25_b, bm25_min_normlen;  /* Xapian BM25Weight */
    int tie_slot;            /* value slot whose bytes order equal weights (ascending,
                                then document id), or -1: document id alone */
    int same_slots[2];       /* on databases opened together (xs_db_open_many), two
                                value slots whose bytes together name a document: of
                                documents that two databases both hold, the first met
                                is kept, the others are passed over; -1: both kept */
} xs_search_opts_t;

#define XS_SEARCH_OPTS_VERSION 3
/* BM25 parameters are Xapian's defaults. */
#define XS_SEARCH_OPTS_INIT \
    { XS_SEARCH_OPTS_VERSION, 0, 10, -1, 1, 0, 1.0, 0.0, 1.0, 0.5, 0.5, -1, { -1, -1 } }

/* Run q on db with opts (NULL: XS_SEARCH_OPTS_INIT). *out holds the results;
 * free it before db. XS_ERR_INVALID if opts->version is not
 * XS_SEARCH_OPTS_VERSION, collapse_slot, tie_slot or a same_slots entry is
 * below -1, collapse_max is 0 with a slot, only one same_slots entry is set,
 * or a BM25 parameter is out of range (negative, not finite, b > 1):
 * Xapian would silently clamp those. */
xs_status_t xs_search(xs_mset_t **out, xs_db_t *db, const xs_query_t *q,
                      const xs_search_opts_t *opts);

/* Number of results held (at most opts.limit). */
size_t xs_mset_size(const xs_mset_t *m);

/* Estimated total matches, and its bounds (exact when lower == upper). */
uint32_t xs_mset_estimated(const xs_mset_t *m);
uint32_t xs_mset_lower_bound(const xs_mset_t *m);
uint32_t xs_mset_upper_bound(const xs_mset_t *m);

/* For result i (0-based within the set): its rank in the whole result list
 * (0-based, includes opts.offset), weight, document id, and how many other
 * documents with the same collapse key were dropped (a lower bound).
 * These and the getters below return 0 (or NULL) for a NULL m or an i out of
 * range, with xs_last_error() set. */
uint32_t xs_mset_rank(const xs_mset_t *m, size_t i);
double xs_mset_weight(const xs_mset_t *m, size_t i);
xs_docid_t xs_mset_docid(const xs_mset_t *m, size_t i);
uint32_t xs_mset_collapse_count(const xs_mset_t *m, size_t i);

/* Document data and value slot of result i: borrowed from m (valid until m is
 * freed), NUL-terminated, length in *len (len may be NULL); an unset slot is ""
 * with *len 0. NULL with *len 0 on error (see xs_last_error()), for example when
 * a writer has moved on since the search (xs_last_status() is then
 * XS_ERR_MODIFIED): reopen the database and search again. */
const char *xs_mset_data(xs_mset_t *m, size_t i, size_t *len);
const char *xs_mset_value(xs_mset_t *m, size_t i, unsigned slot, size_t *len);

/* Call fn(term, len, termfreq=0, payload) for each query term that result i
 * holds, in query order; a non-zero return from fn stops the walk.
 * XS_ERR_INVALID if i is out of range. */
xs_status_t xs_mset_matching_terms(xs_mset_t *m, size_t i, xs_term_fn fn, void *payload);

/* Call fn(term, len, termfreq=0, payload) for each term of result i's document
 * that starts with prefix[0..prefix_len) (not empty), in sorted order: what a
 * wildcard matched there, which xs_mset_matching_terms() does not list (Xapian
 * expands a wildcard at search time). A non-zero return from fn stops the walk. */
xs_status_t xs_mset_doc_terms(xs_mset_t *m, size_t i, const char *prefix, size_t prefix_len,
                              xs_term_fn fn, void *payload);

/* Pseudo-relevance feedback: the n_terms best expansion terms from the top
 * n_docs results of m (Xapian's ESet over an RSet of those documents), ignoring
 * terms that start with an upper-case ASCII letter (prefixed terms) and terms
 * with no position in any of those documents (added with xs_doc_add_term():
 * not words as written). Fewer may come when many of the best have none.
 * fn(term, len, weight, payload) is called for each, best first; a non-zero
 * return stops. n_docs is capped at the size of m; n_docs or n_terms 0: no calls. */
typedef int (*xs_expand_fn)(const char *term, size_t len, double weight, void *payload);
xs_status_t xs_mset_expand(xs_mset_t *m, size_t n_docs, size_t n_terms, xs_expand_fn fn,
                           void *payload);

void xs_mset_free(xs_mset_t *m);

#ifdef __cplusplus
}
#endif

#endif /* PASSIM_XAPIAN_SHIM_H */
