/*
 * indexer.h — the pieces of passim-index and how they meet.
 *
 *   main.c     options, --help, --version; calls idx_run()
 *   run.c      one indexing run: lock, open, plan (what changed), remove what
 *              vanished, summary and exit status; the parallel build in shards
 *   reader.c   a file's bytes -> its content hash and decoded text (text_decode)
 *   writer.c   one writer: a file -> its passages and record, atomic batches;
 *              article ids two files share; notes and progress shared by all
 *              writers
 *   walk.c     walking the paths given: files, folders, symlinks, loops
 *   article.c  one article's text -> title, passages, Xapian documents
 *   ahead.c    a fresh build on one writer: reading and analysis run on a
 *              second thread, ahead of the writer
 *   counter.c  a string -> count table (words met, files seen)
 */
#ifndef PASSIM_INDEXER_H
#define PASSIM_INDEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "buf.h"
#include "record.h"
#include "text.h"
#include "xapian_shim.h"

/* Exit statuses. */
enum { IDX_EXIT_OK = 0, IDX_EXIT_SOME_FAILED = 1, IDX_EXIT_ERROR = 2 };

typedef struct idx_opts {
    const char *db_path;        /* the database directory */
    const char *lang;           /* stemming language, or NULL: the index's, else english */
    bool rebuild;               /* start afresh (the old index stays until the new one is done) */
    bool spelling;              /* keep the word lists of "did you mean" */
    int progress;               /* 1: show progress on stderr, 0: no, -1: if stderr is a tty */
    bool quiet;                 /* no per-file notes, only errors and the summary */
    uint32_t batch_passages;    /* commit after this many passages (at a file boundary) */
    unsigned jobs;              /* writer threads for a fresh build (shards, then merged) */
    text_passage_opts_t passages;
} idx_opts_t;

/* Run passim-index over paths; returns an IDX_EXIT_* status. */
int idx_run(const idx_opts_t *opts, char *const *paths, size_t n_paths);

/* ---- walk.c ------------------------------------------------------------ */

/* One regular file met by the walk. */
typedef struct idx_file {
    const char *path;      /* path as given: root argument joined with the relative path */
    const char *key;       /* canonical absolute path (realpath): the file's identity */
    const char *place;     /* where the walk met it: the root's place (idx_place_of())
                              and the path below it, links not resolved; the key
                              unless a symbolic link led there */
    const char *rel;       /* path relative to the root argument */
    uint64_t size;
    int64_t mtime_ns;
    bool via_link;         /* a symbolic link below the root argument led to it */
    bool moved;            /* met elsewhere than the index last met it: written again,
                              even if unchanged, for its passages to carry its path */
} idx_file_t;

/* What a problem met by the walk means for the index. */
typedef enum {
    IDX_WALK_FAILED,    /* something could not be read ("cannot open folder: Permission
                           denied", "broken symbolic link"): a failure, and what the
                           index holds there must stay */
    IDX_WALK_NOTE,      /* nothing is missed, the walk only says what it did: a link
                           back to a folder on the way down is not followed again */
    IDX_WALK_SKIPPED    /* passed over as no article, like a binary file, and counted
                           as skipped: a pipe, socket or device inside a folder */
} idx_walk_problem_t;

/* Called for each regular file (return non-zero to stop the walk), and for each
 * problem (path; where the walk met it below the root, as idx_file_t's place,
 * or NULL; message; kind): problems do not stop the walk. skipped, if
 * not NULL, is called for each name the walk passes over on purpose, with the
 * canonical path it has (its folder's, then its name) and why, a static
 * string: "hidden name", "ignored" (by a .passimignore), "in a Xapian index
 * folder" (then key is that folder's). */
typedef struct idx_walk_cb {
    int (*file)(const idx_file_t *f, void *payload);
    void (*problem)(const char *path, const char *place, const char *message,
                    idx_walk_problem_t kind, void *payload);
    void (*skipped)(const char *key, const char *why, void *payload);
    void *payload;
} idx_walk_cb_t;

/*
 * Walk root (a file or a folder, followed recursively in name order). Symbolic
 * links are followed; a folder met twice on the way down (a loop) is noted
 * (IDX_WALK_NOTE: its files are walked once, from the folder it leads back to)
 * and not entered again. Skipped inside root: names starting with "."; names
 * matching a .passimignore pattern of a folder on the way down or above root
 * (up to skip_key's parent, else up to the filesystem root); the folder
 * skip_key (the database itself, when it lies inside root) and its temporary
 * folders (skip_key.tmp-*), silently; any other Xapian database folder, with
 * a note. Returns 0, the file callback's non-zero value, -1 if root itself
 * cannot be reached (reported through problem), or IDX_WALK_PASSED_OVER if
 * root is an index folder (another, or the one being written, or a file or
 * folder in that one): noted, and nothing in it walked.
 */
#define IDX_WALK_PASSED_OVER (-2)
int idx_walk(const char *root, const char *skip_key, const idx_walk_cb_t *cb);

/* The canonical path of name in the folder whose canonical path is dir_key
 * ("/a" and "b": "/a/b"; "/" and "b": "/b"), malloc'ed; NULL if memory ran
 * out. */
char *idx_key_join(const char *dir_key, const char *name);

/* Where path lies, as it is spelt: its folder's canonical path and its name,
 * not resolved if it is a link ("a/b" is in "a" even if b leads elsewhere);
 * for "..", "a/." or "/", where they lead. malloc'ed; NULL if it cannot be
 * resolved. */
char *idx_place_of(const char *path);

/* A file's modification time in nanoseconds, as the index records it; a time
 * past 2262 (or before 1678) is held at the end of the range. */
int64_t idx_mtime_ns(const struct stat *st);

/* ---- article.c --------------------------------------------------------- */

/* Analysis state reused from article to article (one per thread). */
typedef struct idx_article_ctx {
    text_analyzer_t *analyzer;
    xs_doc_t *doc;              /* reused for each passage */
    text_buf_t term;            /* scratch for prefixed terms */
    text_buf_t record;          /* scratch for the stored record */
    text_buf_t title;           /* the article's cleaned title */
    text_buf_t title_source;    /* a front matter title, its quoting undone */
    text_passage_opts_t passage_opts;
    struct idx_counter *spell;  /* word counts for the word lists, or NULL */
} idx_article_ctx_t;

/* Set up *ctx to analyse in lang (the word counts if o->spelling). False if
 * memory ran out or the language is unknown (said on stderr); free *ctx in
 * either case. */
bool idx_article_ctx_init(idx_article_ctx_t *ctx, const idx_opts_t *o, const char *lang);
void idx_article_ctx_free(idx_article_ctx_t *ctx);

/* The article being indexed. */
typedef struct idx_article {
    const char *text;  size_t len;   /* UTF-8 */
    const char *docid;               /* article id: rel without extension */
    const char *path;                /* path as given */
    const char *key;                 /* file key */
} idx_article_t;

/* Called with each finished passage document, ctx->doc; the document is
 * reused after the call returns, unless the callee took it for itself and put
 * another one in ctx->doc (each passage starts by clearing it). Return an
 * xs_status_t. */
typedef xs_status_t (*idx_doc_fn)(const xs_doc_t *doc, void *payload);

/* Cut the article into passages and build one document per passage (terms,
 * title terms, id terms, values, data), handing each to fn. *n_passages gets
 * the count. Returns XS_OK or the first failure. */
xs_status_t idx_article_index(idx_article_ctx_t *ctx, const idx_article_t *art,
                              idx_doc_fn fn, void *payload, uint32_t *n_passages);


/* ---- reader.c ---------------------------------------------------------- */

/* Buffers reused from file to file (one per thread); zero-initialise. */
typedef struct idx_reader {
    text_buf_t content;         /* file bytes */
    text_buf_t decoded;         /* converted text, when not UTF-8 already */
} idx_reader_t;

typedef enum {
    IDX_READ_FAILED,            /* could not be read: err */
    IDX_READ_UNCHANGED,         /* same content hash as the record known: only touched */
    IDX_READ_NOMEM,             /* out of memory (decoding, the article id) */
    IDX_READ_BINARY,            /* not text */
    IDX_READ_TEXT               /* art holds the article to index */
} idx_read_kind_t;

/* The file met as a regular one by the walk is none when opened (a pipe put
 * in its place since). */
#define IDX_ERR_NOT_REGULAR (-1)

/* One file as read. */
typedef struct idx_read {
    idx_read_kind_t kind;
    int err;                    /* IDX_READ_FAILED: an errno value, or
                                   IDX_ERR_NOT_REGULAR */
    text_file_record_t rec;     /* size, mtime, hash, path and key (pointing into
                                   the file's); n_passages: the known count when
                                   unchanged, else 0 */
    char *docid;                /* IDX_READ_TEXT: the article id, owned */
    idx_article_t art;          /* IDX_READ_TEXT: the text, valid until the next
                                   read with the same reader */
} idx_read_t;

void idx_reader_free(idx_reader_t *rd);
/* Read file f, whose earlier record is known (NULL if none), into *out. */
void idx_read_file(idx_reader_t *rd, const idx_file_t *f, const text_file_record_t *known,
                   idx_read_t *out);
/* Free what *r owns. */
void idx_read_done(idx_read_t *r);

/* ---- writer.c ---------------------------------------------------------- */

/* Set by SIGINT/SIGTERM: stop at the next file boundary (inside the file, in
 * a run whose work is then discarded: idx_writer_t's stop_mid_file). */
extern volatile sig_atomic_t idx_stop_signal;

typedef struct idx_stats {
    unsigned added, updated, removed, unchanged, skipped, failed;
    uint64_t passages, bytes;
} idx_stats_t;

/* Notes and progress, shared by the writers of a run (thread-safe). */
typedef struct idx_report {
    pthread_mutex_t lock;
    bool progress;              /* show a progress line on stderr */
    bool quiet;                 /* no notes about skipped and removed files */
    bool progress_shown;        /* a progress line is on screen */
    double last_progress;
    unsigned files_seen;
    unsigned files_total;       /* files the run will read, once known; else 0 */
    unsigned docid_notes;       /* article ids met twice, noted or not */
    uint64_t bytes, passages;
    text_buf_t last_note;       /* the last line noted: the shards of a parallel
                                   build that fail alike say so once */
} idx_report_t;

void idx_report_init(idx_report_t *rep, bool progress, bool quiet);
void idx_report_free(idx_report_t *rep);
/* One line on stderr: "passim-index: PATH: message". */
void idx_note(idx_report_t *rep, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "PATH: docid 'a' is also OTHER's; ...", for the first few of a run; the
 * rest are counted, and idx_note_docids_left() says how many. */
void idx_note_docid(idx_report_t *rep, const char *path, const char *docid, const char *other);
void idx_note_docids_left(idx_report_t *rep);
/* Count a file met (and its bytes and passages once indexed); redraw the
 * progress line at most ten times a second. */
void idx_progress(idx_report_t *rep, const char *path, uint64_t bytes, uint64_t passages);
/* Erase the progress line, if shown. */
void idx_progress_clear(idx_report_t *rep);
/* Monotonic seconds. */
double idx_now(void);

/* A file indexed by this run whose article id other passages carried too. */
typedef struct idx_docid_suspect {
    char *path, *key, *docid;
} idx_docid_suspect_t;

/* A file this run added to an index that held others: its content hash, so
 * that a file the index holds elsewhere, gone and of the same text, is known
 * to have moved (a folder renamed). */
typedef struct idx_added {
    uint64_t hash;
    char *path;
} idx_added_t;

/* One writer: a database and the state to index files into it. */
typedef struct idx_writer {
    const idx_opts_t *o;
    idx_report_t *rep;
    const char *db_path;        /* for messages */
    xs_db_t *db;                /* borrowed */
    idx_article_ctx_t ctx;      /* analysis; with a thread ahead (ahead.c) only its
                                   word counts are used: the words of the files
                                   written so far */
    idx_reader_t reader;
    text_buf_t scratch;
    bool may_hold_old;          /* the index may hold passages of new files (delete first) */
    uint32_t batch_passages;    /* passages written since the last commit */
    uint32_t batch_limit;       /* commit after this many */
    uint32_t words_due_next;    /* number of the next PASSIM_META_WORDS_DUE value,
                                   0 until the index has been asked */
    bool fatal;                 /* a database error: stop */
    bool first_build;           /* a first build (or the run completing one): its
                                   commits mark the index PASSIM_META_FIRST_BUILD,
                                   which only the compacted copy goes without */
    bool check_docids;          /* the database holds all the run's files: look for
                                   article ids that another file has too */
    bool stop_mid_file;         /* SIGINT/SIGTERM stop it inside a file: its run is
                                   discarded when stopped (a rebuild, shards) */
    idx_docid_suspect_t *suspects;
    size_t n_suspects, cap_suspects;
    bool track_added;           /* keep added[]: the index held files before the run */
    idx_added_t *added;         /* the files added, in the order written */
    size_t n_added, cap_added;
    idx_stats_t st;
} idx_writer_t;

/* Say that memory ran out, and stop the run (w->fatal). */
void idx_writer_nomem(idx_writer_t *w);

/* Make a writer on db (borrowed) analysing in lang. False if memory ran out
 * or the language is unknown (said on stderr). */
bool idx_writer_init(idx_writer_t *w, const idx_opts_t *o, idx_report_t *rep, xs_db_t *db,
                     const char *db_path, const char *lang);
void idx_writer_free(idx_writer_t *w);

/* Index file f, whose earlier record is known (NULL if none): read it, and
 * unless its content hash is known, replace its passages and record. Problems
 * with the file are noted and counted; returns false only when the run must
 * stop (w->fatal: a database error). */
bool idx_writer_file(idx_writer_t *w, const idx_file_t *f, const text_file_record_t *known);

/* Whether w's run is being abandoned (stop_mid_file, and a signal came): what
 * it writes from now on is discarded, and a file need not be finished. */
static inline bool idx_writer_abandoned(const idx_writer_t *w)
{
    return w->stop_mid_file && idx_stop_signal;
}

/* idx_writer_file in steps, for a file read by another thread:
 * idx_writer_begin notes and counts a file with no passages to write (not
 * read, unchanged, not text) and deletes the passages a file had; *passages
 * says whether its documents follow, each given to idx_writer_add (an
 * idx_doc_fn; writer is the idx_writer_t), then idx_writer_end with their
 * count, or the status analysis failed with (and why, when another thread's
 * xs_last_error() said it; NULL: this thread's), writes its record and
 * commits when the batch is full. False when the run must stop (w->fatal). */
bool idx_writer_begin(idx_writer_t *w, const idx_file_t *f, const text_file_record_t *known,
                      const idx_read_t *rd, bool *passages);
xs_status_t idx_writer_add(const xs_doc_t *doc, void *writer);
bool idx_writer_end(idx_writer_t *w, const idx_file_t *f, const text_file_record_t *known,
                    const idx_read_t *rd, uint32_t n, xs_status_t st, const char *why);

/* Warn about each file indexed by this run (with check_docids) whose article
 * id another file in the index has too, naming that file. Called once the
 * files that went are removed: a file renamed to another extension keeps its
 * id, and only its old name had it. */
void idx_writer_warn_docids(idx_writer_t *w);

/* Remove a file's passages and record; the note says why ("file is gone",
 * "ignored"; "": no note, the caller said it). */
bool idx_writer_remove(idx_writer_t *w, const char *key, const char *path, const char *why);

/* Index files[0..n_files) of a fresh build (no file has a record) in order,
 * as idx_writer_file would, reading and analysing them on a second thread
 * ahead of the writer; has_passages[i] is set when files[i] was indexed with
 * passages. Stops at a file boundary on idx_stop_signal. Returns false when
 * the run must stop (w->fatal). */
bool idx_writer_files(idx_writer_t *w, const idx_file_t *files, size_t n_files,
                      bool *has_passages);

/* Commit the open batch, if any, with the index metadata. The words met go
 * in with the files they were met in: each commit but the last keeps them as
 * one value of words due (PASSIM_META_WORDS_DUE), and the last commit of a run
 * (last) merges the words due, this run's and any a killed run left, into the
 * word lists (each list is rewritten whole, so once a run). */
bool idx_writer_commit(idx_writer_t *w, bool last);

/* Settle a metadata key that several shards of a parallel build hold (an
 * xs_meta_merge_fn for xs_db_compact): their word lists are merged; any other
 * key (the language, the layout) keeps the first value. */
int idx_merge_metadata(const char *key, size_t key_len, const char *const *values,
                       const size_t *lens, size_t n, char **out, size_t *out_len, void *payload);

/* ---- counter.c --------------------------------------------------------- */

/* A table of strings with a count each: the words met, for the word lists
 * of "did you mean"; the files met by a run. */
typedef struct idx_counter idx_counter_t;

idx_counter_t *idx_counter_new(void);
void idx_counter_free(idx_counter_t *c);
/* Number of distinct strings held. */
size_t idx_counter_size(const idx_counter_t *c);
/* Count one more s[0..len); returns the new count, or 0 if memory ran out. */
uint32_t idx_counter_add(idx_counter_t *c, const char *s, size_t len);
/* Count n more (n > 0); returns the new count, or 0 if memory ran out. */
uint32_t idx_counter_add_n(idx_counter_t *c, const char *s, size_t len, uint32_t n);
/* Add from's counts to to's. False if memory ran out. */
bool idx_counter_merge(idx_counter_t *to, const idx_counter_t *from);
/* Call fn for each string and its count, in no particular order; stops at the
 * first non-zero return and returns it (0 when all were seen). */
int idx_counter_each(const idx_counter_t *c, int (*fn)(const char *s, size_t len,
                                                        uint32_t count, void *payload),
                     void *payload);
/* Forget every string. */
void idx_counter_clear(idx_counter_t *c);

#endif /* PASSIM_INDEXER_H */
