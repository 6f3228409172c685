/*
 * searcher.h — running queries against a passim index: the engine (database,
 * analyzer, ranking settings) and one query's results, ready to print.
 *
 *   main.c        options, --help, --version, exit statuses
 *   search.c      open the index, run one query: parse, build, match, snippets
 *   query_*.c     the query language (query.h)
 *   snippet.c, render.c   windows and highlighting (snippet.h)
 *   output.c      text, JSON and vimgrep output (output.h)
 */
#ifndef PASSIM_SEARCHER_H
#define PASSIM_SEARCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output.h"
#include "query.h"
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
    bool explain;              /* fill each hit's explain text */
    srch_build_opts_t build;   /* ranking knobs of the query builder */
    xs_search_opts_t xapian;   /* BM25 parameters (offset/limit/collapse set per search) */
} srch_settings_t;

/* Defaults of passim-search. */
void srch_settings_init(srch_settings_t *s);

/* An open index and what is needed to query it. One per thread. */
typedef struct srch_engine {
    xs_db_t *db;
    text_analyzer_t *analyzer;
    char *lang;                /* the index's stemming language */
} srch_engine_t;

/* Open the databases at paths (several: shards searched together) and make an
 * analyzer in the index's language. On failure, *err_msg (static or in a
 * thread-local buffer) says why. Returns false on failure. */
bool srch_engine_open(srch_engine_t *e, const char *const *paths, size_t n_paths,
                      bool stopwords, const char **err_msg);
void srch_engine_close(srch_engine_t *e);

/* The outcome of one query. */
typedef struct srch_result {
    srch_query_t *query;
    srch_hl_unit_t *units;     /* highlight units of the query */
    size_t n_units;
    xs_mset_t *mset;
    srch_hit_t *hits;
    size_t n_hits;
    uint32_t total;            /* estimated matching passages */
    bool relaxed;              /* AUTO mode fell back to any word */
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

#endif /* PASSIM_SEARCHER_H */
