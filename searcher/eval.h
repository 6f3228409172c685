/*
 * eval.h — scoring ranked runs against TREC relevance judgements (qrels):
 * nDCG@10, average precision (to depth 1000), P@10, R@100 and reciprocal rank
 * per query, and their means over the judged queries. Pure C, no index.
 *
 * The definitions are those of the reference scorer the project measures
 * itself with (ireval.py), so that our figures and its figures agree:
 *
 *  - qrels lines are "qid 0 docid gain" (white-space separated; a line of
 *    more or fewer fields is an error, where ireval.py would ignore the
 *    extra ones); a later line for the same (qid, docid) replaces an earlier one.
 *    A document is relevant when its gain is > 0.
 *  - A run is a set of (qid, docid, score) lines. Each query's ranking is its
 *    lines sorted by score, highest first, ties broken by docid in descending
 *    byte order (as trec_eval does); a docid seen again further down is
 *    dropped; the ranking is cut at 1000. The rank column of a run file is
 *    ignored: the score decides.
 *  - nDCG@10: DCG = sum over ranks i = 1..10 of (2^gain - 1) / log2(i + 1),
 *    where an unjudged document has gain 0 and a negative gain counts as
 *    judged (it lowers DCG); the ideal DCG uses the positive gains of the
 *    query, largest first, cut at 10.
 *  - AP: the sum of precision at the rank of each relevant document retrieved,
 *    divided by the number of relevant documents of the query.
 *  - P@10: relevant documents in the first 10 ranks / 10 (always 10).
 *  - R@100: relevant documents in the first 100 ranks / relevant documents.
 *  - RR: 1 / rank of the first relevant document, 0 if none.
 *  - Judged queries are those of the qrels with at least one relevant
 *    document; the others are ignored. A judged query that the run does not
 *    answer scores 0 everywhere. Means are over the judged queries.
 */
#ifndef PASSIM_EVAL_H
#define PASSIM_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"

/* Rankings are cut here before scoring (MAP "to depth 1000"). */
#define SRCH_EVAL_DEPTH 1000

/* Why reading qrels or a run failed: one line, naming the file and the line. */
typedef struct srch_eval_error {
    char message[640];
} srch_eval_error_t;

/* ---- qrels ---------------------------------------------------------------- */

typedef struct srch_qrels srch_qrels_t;

/* Byte length of the white space at p (NUL-terminated UTF-8), or 0: what
 * Python's str.split() splits at, as ireval.py reads its files: ASCII white
 * space, the separators U+001C..U+001F, NEL, NO-BREAK SPACE and the Unicode
 * spaces (U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
 * Qrels and run files are split at it, and a query file's line of nothing
 * else is blank. */
size_t srch_white_space_len(const char *p);

/*
 * Read qrels from f; name is the file name used in messages. Blank lines are
 * skipped; a line of other than 4 fields or with a gain that is not an integer
 * (from -1000 to 1000) is an error "NAME:LINE: ...". It is also an error when
 * no query has a relevant document ("NAME: no query has a relevant document"),
 * since nothing could then be scored.
 *   out receives the judgements (NULL on failure); free with srch_qrels_free().
 * Returns false on failure (read error, bad line, out of memory), with err set.
 */
bool srch_qrels_read(srch_qrels_t **out, FILE *f, const char *name, srch_eval_error_t *err);

/* srch_qrels_read() on the file at path. */
bool srch_qrels_load(srch_qrels_t **out, const char *path, srch_eval_error_t *err);

void srch_qrels_free(srch_qrels_t *q);

/* Number of judged queries (with at least one relevant document). */
size_t srch_qrels_n_judged(const srch_qrels_t *q);

/* Whether its file started with a UTF-8 byte order mark (dropped). */
bool srch_qrels_had_bom(const srch_qrels_t *q);

/* The first judged id, by query then id, that names an article rather than
 * a passage: one not written "docid#n" (n in digits, as --level passage
 * writes them), or one that is_article(id, arg) says can only be an article's
 * id (an article whose id ends in '#' and digits); is_article may be NULL. Its
 * query's id in *qid; NULL if every judged id names a passage. */
const char *srch_qrels_first_article(const srch_qrels_t *q,
                                     bool (*is_article)(const char *id, void *arg), void *arg,
                                     const char **qid);

/* The gain of docid for qid: *gain is set and true returned when judged. */
bool srch_qrels_gain(const srch_qrels_t *q, const char *qid, const char *docid, int *gain);

/* ---- runs ----------------------------------------------------------------- */

typedef struct srch_eval_run srch_eval_run_t;

/* An empty run; NULL if memory ran out. */
srch_eval_run_t *srch_eval_run_new(void);

/* Add one line of a run (strings copied). Lines may come in any order and a
 * query may come in several pieces. false if memory ran out. */
bool srch_eval_run_add(srch_eval_run_t *r, const char *qid, const char *docid, double score);

/*
 * Read a TREC run file from f ("qid Q0 docid rank score tag", white-space
 * separated; blank lines skipped). A line with fewer than 6 fields, or whose
 * score is not a number, is an error "NAME:LINE: ...".
 *   out receives the run (NULL on failure); free with srch_eval_run_free().
 */
bool srch_eval_run_read(srch_eval_run_t **out, FILE *f, const char *name, srch_eval_error_t *err);

/* srch_eval_run_read() on the file at path. */
bool srch_eval_run_load(srch_eval_run_t **out, const char *path, srch_eval_error_t *err);

void srch_eval_run_free(srch_eval_run_t *r);

/* Whether its file started with a UTF-8 byte order mark (dropped). */
bool srch_eval_run_had_bom(const srch_eval_run_t *r);

/*
 * The order of a ranking: < 0 when (score_a, docid_a) ranks before
 * (score_b, docid_b): higher score first, then docid in descending byte order.
 * TREC output uses it too, so that a printed run's ranks are the ranks the
 * scorer will see.
 */
int srch_eval_rank_cmp(double score_a, const char *docid_a, double score_b, const char *docid_b);

/* ---- metrics -------------------------------------------------------------- */

typedef struct srch_metrics {
    double ndcg10;   /* nDCG@10 */
    double ap;       /* average precision (MAP when averaged) */
    double p10;      /* precision at 10 */
    double r100;     /* recall at 100 */
    double rr;       /* reciprocal rank (MRR when averaged) */
} srch_metrics_t;

/*
 * The metrics of one ranking of query qid: docids[0..n) best first, without
 * duplicates (ranks past SRCH_EVAL_DEPTH are ignored). A qid with no relevant
 * document scores 0 everywhere.
 */
srch_metrics_t srch_eval_ranking(const srch_qrels_t *q, const char *qid,
                                 const char *const *docids, size_t n);

/* One judged query's figures. */
typedef struct srch_eval_query {
    const char *qid;      /* borrowed from the qrels */
    bool answered;        /* the run has at least one line for it */
    srch_metrics_t m;
} srch_eval_query_t;

/* The scoring of a whole run. */
typedef struct srch_eval_result {
    srch_eval_query_t *queries;  /* the judged queries, shortest qid first, then in
                                    byte order (1, 2, ..., 10, 11...) */
    size_t n_queries;
    size_t n_answered;           /* judged queries the run answers */
    size_t n_run_queries;        /* queries the run answers, judged or not: some, and
                                    none answered, means the two name queries
                                    differently */
    size_t n_judged_docs;        /* documents of the run the qrels judge, any gain: 0
                                    for an answered run means the two name documents
                                    differently (articles and passages) */
    srch_metrics_t mean;         /* means over the judged queries */
    size_t n_repeats;            /* run lines ranking a document that their query
                                    ranks already: each document counts once, where
                                    it ranks best */
    const char *repeat_qid;      /* the query and document of one of them, borrowed */
    const char *repeat_docid;    /* from the run, which must outlive the result */
} srch_eval_result_t;

/*
 * Score run r against q. The qids in out->queries are borrowed from q, which
 * must outlive out. Free with srch_eval_result_free(). Returns false only if
 * memory ran out (*out is then empty).
 */
bool srch_eval_score(srch_eval_result_t *out, const srch_qrels_t *q, const srch_eval_run_t *r);

void srch_eval_result_free(srch_eval_result_t *res);

/* The figures of qid in res, or NULL if it is not a judged query. */
const srch_eval_query_t *srch_eval_result_find(const srch_eval_result_t *res, const char *qid);

/* ---- report (report.c) ----------------------------------------------------- */

/*
 * Append to b the metrics of res as a two-column table ("judged", "answered",
 * then nDCG@10, MAP, P@10, R@100, MRR to 4 decimals); with per_query, first a
 * table of each judged query (qid, nDCG@10, AP, P@10, R@100, RR).
 * false if memory ran out.
 */
bool srch_eval_report(text_buf_t *b, const srch_eval_result_t *res, bool per_query);

/* Warn on f when the run answered judged queries but the qrels judge none of
 * its documents (every metric is 0, which would look like a result), and when
 * it ranks a document twice for one query (a broken run; it counts once). run
 * names the run ("RUN_A.trec", "this run"). */
void srch_eval_warn(FILE *f, const srch_eval_result_t *res, const char *run,
                    const char *qrels);

/* Warn on f that the file at path (qrels, or a run) started with a UTF-8
 * byte order mark, when bom: passim drops it, but ireval.py keeps it as part
 * of the first query id, so their figures would differ. */
void srch_eval_warn_bom(FILE *f, const char *path, bool bom);

#endif /* PASSIM_EVAL_H */
