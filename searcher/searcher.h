/*
 * searcher.h — running queries against a passim index: the engine (database,
 * analyzer, ranking settings) and one query's results, ready to print.
 *
 *   main.c        options, --help, --version, exit statuses
 *   search.c      open the index, run one query: parse, build, match, snippets
 *   query_*.c     the query language (query.h)
 *   snippet.c, render.c   windows and highlighting (snippet.h)
 *   output.c      text, JSON and vimgrep output (output.h)
 *   idcache.c     the engine's memory of documents' article ids
 *   trec.c        TREC run lines (output.h)
 *   batch.c       --batch: a file of queries, on one or more threads
 *   eval.c        qrels, runs and their metrics (eval.h)
 *   stats.c       significance tests (stats.h)
 *   report.c      metric tables, and --compare of two runs
 */
#ifndef PASSIM_SEARCHER_H
#define PASSIM_SEARCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output.h"
#include "query.h"
#include "strset.h"
#include "text.h"
#include "xapian_shim.h"

/* Exit statuses, as grep's. */
enum { SRCH_EXIT_FOUND = 0, SRCH_EXIT_NONE = 1, SRCH_EXIT_ERROR = 2 };

/* How adjacent query words combine. */
typedef enum {
    SRCH_MODE_AUTO,  /* all words; if no passage has them all, any word (with a note) */
    SRCH_MODE_ALL,   /* all words */
    SRCH_MODE_ANY    /* any word, ranked */
} srch_mode_t;

/* Ranking and result-shaping settings of a search. */
typedef struct srch_settings {
    srch_mode_t mode;
    bool stopwords;            /* drop bare stopwords from queries (english list) */
    uint32_t limit;            /* results to return */
    uint32_t offset;           /* results to skip */
    uint32_t per_doc;          /* passages of one article at most (0: no limit) */
    unsigned context;          /* snippet window in words (0: whole passage) */
    bool snippets;             /* build snippets (and highlight units); TREC runs and
                                  metrics need only ids and scores */
    bool explain;              /* fill each hit's explain text */
    uint32_t feedback_docs;    /* pseudo-relevance feedback from the best N articles (0: off) */
    uint32_t feedback_terms;   /* expansion terms taken from them */
    double feedback_weight;    /* their weight relative to the query's */
    srch_build_opts_t build;   /* ranking knobs of the query builder */
    xs_search_opts_t xapian;   /* BM25 parameters (offset/limit/collapse set per search) */
} srch_settings_t;

/* Defaults of passim-search. */
void srch_settings_init(srch_settings_t *s);

struct srch_engine;
/* Pseudo-relevance feedback (feedback.c): *out gets xq expanded with the best
 * terms of the top settings->feedback_docs articles, or stays NULL when
 * feedback is off or finds nothing. q's own words are not added again. */
xs_status_t srch_feedback_expand(xs_query_t **out, struct srch_engine *e, const xs_query_t *xq,
                                 const srch_query_t *q, const srch_settings_t *s);

/* Which article and passage each Xapian document holds (idcache.c). */
typedef struct srch_id_cache srch_id_cache_t;

/* An open index and what is needed to query it. One per thread. */
typedef struct srch_engine {
    xs_db_t *db;
    text_analyzer_t *analyzer;
    char *lang;                /* the index's stemming language */
    srch_id_cache_t *ids;      /* for hits that need only their ids (may be NULL) */
    char *cwd;                 /* the current folder, canonical (NULL if unknown) */
    xs_db_t **parts;           /* indexes searched together: each one, for its word
                                  lists (Xapian reads metadata from the first only) */
    size_t n_parts;
} srch_engine_t;

/* Open the databases at paths (several: shards searched together) and make an
 * analyzer in the index's language. On failure, *err_msg (static or in a
 * thread-local buffer) says why. Returns false on failure. */
bool srch_engine_open(srch_engine_t *e, const char *const *paths, size_t n_paths,
                      bool stopwords, const char **err_msg);
void srch_engine_close(srch_engine_t *e);

/* Kinds of phrases a query holds (srch_result_t.relaxed_phrases). */
enum { SRCH_PHRASES_QUOTED = 1u << 0, SRCH_PHRASES_JOINED = 1u << 1 };

/* The outcome of one query. */
typedef struct srch_result {
    srch_query_t *query;
    srch_hl_unit_t *units;     /* highlight units of the query */
    size_t n_units;
    xs_mset_t *mset;
    srch_hit_t *hits;
    size_t n_hits;
    uint32_t total;            /* estimated matching passages */
    bool total_exact;          /* total is a count, not an estimate */
    bool expanded;             /* feedback terms were added to the query */
    bool relaxed;              /* AUTO mode fell back to any word */
    unsigned relaxed_phrases;  /* and the phrases of the query it fell back from:
                                  SRCH_PHRASES_QUOTED | SRCH_PHRASES_JOINED */
    text_buf_t notes;          /* lines for stderr on how the query was read */
    text_buf_t explain;        /* with settings.explain: the query tree and words */
} srch_result_t;

typedef enum {
    SRCH_RUN_OK,               /* ran (0 or more hits) */
    SRCH_RUN_BAD_QUERY,        /* the query is refused: message and column in err */
    SRCH_RUN_ERROR             /* the index failed or memory ran out: err->message */
} srch_run_status_t;

/* Run query q on e with settings s. On SRCH_RUN_OK, *r holds the results (free
 * with srch_result_free()); otherwise err says why and *r is empty. */
srch_run_status_t srch_run(srch_engine_t *e, const char *q, const srch_settings_t *s,
                           srch_result_t *r, srch_error_t *err);
void srch_result_free(srch_result_t *r);

/* After a search with no hit: append to b one line per positive query word that
 * no passage contains, with a spelling suggestion when the index has one. */
void srch_report_missing(srch_engine_t *e, const srch_result_t *r, text_buf_t *b);


/* ---- the id cache (idcache.c), internal to searcher/ ------------------------
 * Xapian document id -> article id and passage number, filled and read by
 * srch_run() when settings.snippets and settings.explain are off. All accept a
 * NULL cache (then remember nothing). Strings handed out by get live until
 * the cache is cleared or freed. */
srch_id_cache_t *srch__id_cache_new(void);
void srch__id_cache_free(srch_id_cache_t *c);
/* Forget everything (after the database was reopened). */
void srch__id_cache_clear(srch_id_cache_t *c);
bool srch__id_cache_get(const srch_id_cache_t *c, xs_docid_t id, const char **docid,
                        size_t *docid_len, uint32_t *ordinal);
/* Remember id (a copy of docid); silently does nothing if memory is short. */
void srch__id_cache_put(srch_id_cache_t *c, xs_docid_t id, const char *docid, size_t docid_len,
                        uint32_t ordinal);

/* ---- batches (batch.c) and evaluation reports (report.c) ------------------ */

/* What a batch ranks in TREC and JSON output. */
typedef enum {
    SRCH_LEVEL_PASSAGE,        /* passages, per_doc per article (TREC ids "docid#n") */
    SRCH_LEVEL_DOC             /* articles: each one's best passage (per_doc 1) */
} srch_level_t;

/* When a batch shows how far it has come, on one line of stderr rewritten in
 * place: never, always (from the first query), or when stderr is a terminal
 * and stdout is not, once the batch has run for half a second. */
typedef enum {
    SRCH_PROGRESS_NEVER,
    SRCH_PROGRESS_ALWAYS,
    SRCH_PROGRESS_AUTO
} srch_progress_t;

typedef struct srch_batch_opts {
    const char *path;          /* the query file; "-": standard input */
    const char *const *dbs;    /* the indexes, searched as one */
    size_t n_dbs;
    srch_settings_t settings;  /* as resolved by the caller (per_doc 1 for SRCH_LEVEL_DOC) */
    srch_print_opts_t print;   /* format and markup; units are set per query */
    srch_level_t level;
    const char *run_tag;       /* sixth column of TREC lines (a single token) */
    const char *qrels;         /* judgements to score the run with, or NULL */
    bool metrics_only;         /* print the metrics (on stdout), not the run */
    bool per_query;            /* with qrels: a table of each query's metrics too */
    unsigned jobs;             /* threads, 1 or more */
    srch_progress_t progress;  /* the progress line on stderr */
} srch_batch_opts_t;

/*
 * Answer every query of the file o->path, in order, and print the results (see
 * passim-search(1)): one query per line, "qid<TAB>query" or just the query
 * (its id is then the line number); blank lines and lines starting with '#'
 * are skipped. A bad query is reported on stderr with the file, line and id,
 * and the batch goes on. A summary (queries, failures, latency, throughput)
 * and, with qrels, the metrics end the batch on stderr (the metrics on stdout
 * with metrics_only). Returns the exit status: 2 if the index, the files or
 * any query failed, else 0 if any query found something, else 1.
 */
int srch_batch(const srch_batch_opts_t *o);

/*
 * passim-search --compare: score the TREC runs at run_a and run_b against the
 * qrels and print their metrics side by side, per-query wins, ties and losses
 * of B against A on nDCG@10 and AP, and paired randomisation and t-test
 * p-values; per_query adds each query's nDCG@10 and AP in both runs.
 * Returns the exit status: 0, or 2 if a file cannot be read.
 */
int srch_compare(const char *run_a, const char *run_b, const char *qrels, bool per_query);

#endif /* PASSIM_SEARCHER_H */
