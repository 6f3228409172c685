/*
 * check_eval.c — tests of run evaluation (searcher/eval.c) and of the
 * significance tests of --compare (searcher/stats.c). No index is involved:
 * qrels and runs are written here as text.
 *
 * TCases: "metrics" (one table row per ranking, every expected value worked
 * out by hand in the row's comment), "score" (whole runs: ordering by score,
 * ties, repeated documents, queries in pieces, judged queries that are not
 * answered, means), "parse" (qrels and run files, and their errors), "stats"
 * (incomplete beta, t distribution, paired t-test, randomisation test).
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../searcher/eval.h"
#include "../searcher/stats.h"

Suite *make_eval_suite(void);

#define EPS 1e-6

/* The judgements the "metrics" rows are scored against.
 *   q1: graded: d1 gain 3, d3 gain 2, d2 gain 1 (3 relevant), d4 judged 0,
 *       d5 judged -1 (not relevant, and lowers DCG: 2^-1 - 1 = -0.5).
 *   q3: judged, but nothing relevant: not a judged query.
 *   q5: one relevant document, "first".
 *   q6: 150 relevant documents r000..r149 (added by the fixture), gain 1. */
static const char qrels_text[] =
    "q1 0 d1 3\n"
    "q1 0 d2 1\n"
    "q1 0 d3 2\n"
    "q1 0 d4 0\n"
    "q1 0 d5 -1\n"
    "q3 0 x 0\n"
    "q5 0 first 1\n";

static srch_qrels_t *qrels;

static srch_qrels_t *qrels_from(const char *text, srch_eval_error_t *err)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    ck_assert_ptr_nonnull(f);
    srch_qrels_t *q = NULL;
    srch_eval_error_t local;
    bool ok = srch_qrels_read(&q, f, "test.qrels", err ? err : &local);
    fclose(f);
    if (!ok)
        ck_assert_ptr_null(q);
    return q;
}

static void setup(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    fputs(qrels_text, f);
    for (int i = 0; i < 150; i++)
        fprintf(f, "q6 0 r%03d 1\n", i);
    fclose(f);
    srch_eval_error_t err;
    qrels = qrels_from(text, &err);
    ck_assert_msg(qrels != NULL, "%s", err.message);
    free(text);
}

static void teardown(void)
{
    srch_qrels_free(qrels);
    qrels = NULL;
}

/* ---- metrics of single rankings ------------------------------------------- */

/* Ranking shapes the table can name, built by ranking_of(). */
enum {
    LIST,             /* the docids listed in the row */
    Q6_FIRST_100,     /* r000..r099 */
    Q6_ALL_150,       /* r000..r149 */
    Q6_50_MISSES,     /* m000..m049, then r000..r049 */
    PAST_DEPTH        /* 1000 misses, then "first" at rank 1001 */
};

typedef struct metric_row {
    const char *qid;
    int shape;
    const char *docs[8];
    srch_metrics_t want;
} metric_row_t;

static const metric_row_t metric_rows[] = {
    /* Graded gains, an unjudged document, a negative gain:
     *   ranking d4 (0), d1 (3), u (unjudged, 0), d2 (1), d5 (-1)
     *   DCG = 0/log2 2 + 7/log2 3 + 0/log2 4 + 1/log2 5 - 0.5/log2 6
     *       = 4.416508 + 0.430677 - 0.193426 = 4.653758
     *   ideal: gains 3, 2, 1: 7/1 + 3/log2 3 + 1/log2 4 = 9.392789
     *   nDCG@10 = 4.653758 / 9.392789 = 0.495461
     *   relevant at ranks 2 and 4: AP = (1/2 + 2/4) / 3 = 0.333333
     *   P@10 = 2/10, R@100 = 2/3, RR = 1/2 */
    { "q1", LIST, { "d4", "d1", "u", "d2", "d5" }, { 0.495461, 1.0 / 3, 0.2, 2.0 / 3, 0.5 } },
    /* The ideal ranking of q1: nDCG 1, AP (1 + 1 + 1) / 3 = 1, P@10 3/10. */
    { "q1", LIST, { "d1", "d3", "d2" }, { 1.0, 1.0, 0.3, 1.0, 1.0 } },
    /* Worst order of the relevant ones, at ranks 1-3: d2, d3, d1
     *   DCG = 1/1 + 3/log2 3 + 7/log2 4 = 1 + 1.892789 + 3.5 = 6.392789
     *   nDCG = 6.392789 / 9.392789 = 0.680606; AP still 1 (all at the top). */
    { "q1", LIST, { "d2", "d3", "d1" }, { 0.680606, 1.0, 0.3, 1.0, 1.0 } },
    /* Only non-relevant and unjudged documents: DCG = 0 + (-0.5)/log2 3 < 0,
     *   nDCG = -0.315465 / 9.392789 = -0.033586 (negative gains count, as in
     *   the reference scorer); everything else 0. */
    { "q1", LIST, { "d4", "d5" }, { -0.033586, 0, 0, 0, 0 } },
    /* The first relevant document at rank 3: RR = 1/3, AP = (1/3) / 1,
     *   P@10 = 1/10, R@100 = 1, nDCG = (1/log2 4) / 1 = 0.5. */
    { "q5", LIST, { "n1", "n2", "first" }, { 0.5, 1.0 / 3, 0.1, 1.0, 1.0 / 3 } },
    /* An empty ranking: all 0. */
    { "q5", LIST, { NULL }, { 0, 0, 0, 0, 0 } },
    /* A query with judgements but no relevant document scores 0, even when
     * its judged document is retrieved. */
    { "q3", LIST, { "x" }, { 0, 0, 0, 0, 0 } },
    /* A qid missing from the qrels: 0. */
    { "nope", LIST, { "d1" }, { 0, 0, 0, 0, 0 } },
    /* 150 relevant, the first 100 of them retrieved at ranks 1-100:
     *   R@100 = 100/150 = 0.666667, AP = 100 * 1 / 150 = 0.666667,
     *   P@10 = 1, nDCG = 1 (ten gain-1 documents, as in the ideal), RR = 1. */
    { "q6", Q6_FIRST_100, { NULL }, { 1.0, 2.0 / 3, 1.0, 2.0 / 3, 1.0 } },
    /* All 150 at ranks 1-150: AP = 1, but R@100 still 100/150. */
    { "q6", Q6_ALL_150, { NULL }, { 1.0, 1.0, 1.0, 2.0 / 3, 1.0 } },
    /* 50 misses, then 50 relevant at ranks 51-100: R@100 = 50/150 = 1/3,
     *   P@10 = 0, nDCG@10 = 0, RR = 1/51,
     *   AP = (sum over k = 1..50 of k / (50 + k)) / 150
     *      = (50 - 50 * (H(100) - H(50))) / 150
     *      = (50 - 50 * 0.688172) / 150 = 0.103943. */
    { "q6", Q6_50_MISSES, { NULL }, { 0, 0.103943, 0, 1.0 / 3, 1.0 / 51 } },
    /* The only relevant document at rank 1001: past the depth of 1000, so
     * nothing is found. */
    { "q5", PAST_DEPTH, { NULL }, { 0, 0, 0, 0, 0 } },
};

/* Room for a generated docid: "m" and a size_t in decimal, with the NUL. */
#define NAME_SIZE 24

/* The docids of row r, in rank order; *names holds the strings to free. */
static const char **ranking_of(const metric_row_t *r, size_t *n, char **names)
{
    static const size_t sizes[] = { 0, 100, 150, 100, 1001 };
    size_t count = 0;
    if (r->shape == LIST) {
        while (count < 8 && r->docs[count])
            count++;
    } else {
        count = sizes[r->shape];
    }
    const char **v = calloc(count ? count : 1, sizeof *v);
    *names = calloc(count ? count : 1, NAME_SIZE);
    ck_assert(v && *names);
    for (size_t i = 0; i < count; i++) {
        char *s = *names + NAME_SIZE * i;
        switch (r->shape) {
        case LIST: v[i] = r->docs[i]; continue;
        case Q6_FIRST_100:
        case Q6_ALL_150: snprintf(s, NAME_SIZE, "r%03zu", i); break;
        case Q6_50_MISSES:
            if (i < 50)
                snprintf(s, NAME_SIZE, "m%03zu", i);
            else
                snprintf(s, NAME_SIZE, "r%03zu", i - 50);
            break;
        default:
            if (i < 1000)
                snprintf(s, NAME_SIZE, "m%04zu", i);
            else
                snprintf(s, NAME_SIZE, "first");
            break;
        }
        v[i] = s;
    }
    *n = count;
    return v;
}

static void assert_metrics(const srch_metrics_t *got, const srch_metrics_t *want, const char *what)
{
    ck_assert_msg(fabs(got->ndcg10 - want->ndcg10) < EPS, "%s: nDCG@10 %.6f, want %.6f", what,
                  got->ndcg10, want->ndcg10);
    ck_assert_msg(fabs(got->ap - want->ap) < EPS, "%s: AP %.6f, want %.6f", what, got->ap,
                  want->ap);
    ck_assert_msg(fabs(got->p10 - want->p10) < EPS, "%s: P@10 %.6f, want %.6f", what, got->p10,
                  want->p10);
    ck_assert_msg(fabs(got->r100 - want->r100) < EPS, "%s: R@100 %.6f, want %.6f", what, got->r100,
                  want->r100);
    ck_assert_msg(fabs(got->rr - want->rr) < EPS, "%s: RR %.6f, want %.6f", what, got->rr,
                  want->rr);
}

START_TEST(test_eval_metrics_rows)
{
    const metric_row_t *r = &metric_rows[_i];
    size_t n;
    char *names;
    const char **v = ranking_of(r, &n, &names);
    srch_metrics_t m = srch_eval_ranking(qrels, r->qid, v, n);
    char what[64];
    snprintf(what, sizeof what, "row %d (%s)", _i, r->qid);
    assert_metrics(&m, &r->want, what);
    free(v);
    free(names);
}
END_TEST

START_TEST(test_eval_qrels_lookup)
{
    int g = 99;
    ck_assert(srch_qrels_gain(qrels, "q1", "d1", &g));
    ck_assert_int_eq(g, 3);
    ck_assert(srch_qrels_gain(qrels, "q1", "d5", &g));
    ck_assert_int_eq(g, -1);
    ck_assert(!srch_qrels_gain(qrels, "q1", "zz", &g));
    ck_assert(!srch_qrels_gain(qrels, "q9", "d1", &g));
    /* q1, q5, q6 have relevant documents; q3 does not. */
    ck_assert_uint_eq(srch_qrels_n_judged(qrels), 3);
}
END_TEST

/* ---- whole runs ------------------------------------------------------------ */

static srch_eval_run_t *run_from(const char *text, srch_eval_error_t *err)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    ck_assert_ptr_nonnull(f);
    srch_eval_run_t *r = NULL;
    srch_eval_error_t local;
    bool ok = srch_eval_run_read(&r, f, "test.run", err ? err : &local);
    fclose(f);
    if (!ok)
        ck_assert_ptr_null(r);
    return r;
}

/* Judgements of the run tests: 10 judged queries would be tedious, so three:
 *   1: a (gain 1); 2: b (gain 2), c (gain 1); 10: z (gain 1), never answered;
 *   7: only non-relevant judgements: ignored. */
static const char score_qrels[] =
    "1 0 a 1\n"
    "2 0 b 2\n"
    "2 0 c 1\n"
    "10 0 z 1\n"
    "7 0 a 0\n";

START_TEST(test_eval_score_ties_and_order)
{
    srch_qrels_t *q = qrels_from(score_qrels, NULL);
    ck_assert_ptr_nonnull(q);
    /* Query 1, in two pieces and out of order, with the rank column lying:
     *   scores: x 2.0, a 1.0, b 1.0, a 0.5 (again, lower: dropped), y 3.0
     *   ranking by score: y (3.0), x (2.0), then the tie a/b at 1.0 broken by
     *   docid descending: b before a. So a is at rank 4: RR = 1/4, AP = 1/4,
     *   P@10 = 1/10, R@100 = 1, nDCG = (1/log2 5) / 1 = 0.430677.
     *   (Ascending ties would put a at rank 3: RR 1/3.)
     * Query 2: c 5.0, b 4.0, a repeated b at 1.0 (dropped):
     *   ranking c (1), b (2): DCG = 1/1 + 3/log2 3 = 2.892789,
     *   ideal b (2), c (1): 3/1 + 1/log2 3 = 3.630930, nDCG = 0.796708;
     *   AP = (1 + 1) / 2 = 1; P@10 = 2/10; R@100 = 1; RR = 1.
     * Query 10 is judged and not answered: 0 everywhere.
     * Query 7 (no relevant document) and query 99 (not in the qrels, a
     * repeated) are ignored, answered or not.
     * Means over 3 judged queries:
     *   nDCG = (0.430677 + 0.796708 + 0) / 3 = 0.409128
     *   MAP = (0.25 + 1 + 0) / 3 = 0.416667
     *   P@10 = (0.1 + 0.2 + 0) / 3 = 0.1
     *   R@100 = (1 + 1 + 0) / 3 = 0.666667
     *   MRR = (0.25 + 1 + 0) / 3 = 0.416667 */
    srch_eval_run_t *r = run_from("1 Q0 x 1 2.0 t\n"
                                  "2 Q0 c 1 5.0 t\n"
                                  "1 Q0 a 2 1.0 t\n"
                                  "\n"
                                  "2 Q0 b 2 4 t\n"
                                  "2 Q0 b 3 1.0 t\n"
                                  "7 Q0 a 1 1.0 t\n"
                                  "99 Q0 a 1 1.0 t\n"
                                  "1 Q0 b 9 1.0 t\n"
                                  "1 Q0 a 1 0.5 t\n"
                                  "99 Q0 a 2 0.5 t\n",
                                  NULL);
    ck_assert_ptr_nonnull(r);
    ck_assert(srch_eval_run_add(r, "1", "y", 3.0));
    srch_eval_result_t res;
    ck_assert(srch_eval_score(&res, q, r));
    ck_assert_uint_eq(res.n_queries, 3);
    ck_assert_uint_eq(res.n_answered, 2);
    /* Documents ranked twice, judged queries or not: a in 1, b in 2, a in 99;
     * the first of them named. */
    ck_assert_uint_eq(res.n_repeats, 3);
    ck_assert_str_eq(res.repeat_qid, "1");
    ck_assert_str_eq(res.repeat_docid, "a");
    /* The reference scorer's order: shorter qids first. */
    ck_assert_str_eq(res.queries[0].qid, "1");
    ck_assert_str_eq(res.queries[1].qid, "2");
    ck_assert_str_eq(res.queries[2].qid, "10");
    srch_metrics_t q1 = { 0.430677, 0.25, 0.1, 1.0, 0.25 };
    srch_metrics_t q2 = { 0.796708, 1.0, 0.2, 1.0, 1.0 };
    srch_metrics_t zero = { 0, 0, 0, 0, 0 };
    srch_metrics_t mean = { 0.409128, 0.416667, 0.1, 2.0 / 3, 0.416667 };
    assert_metrics(&srch_eval_result_find(&res, "1")->m, &q1, "query 1");
    assert_metrics(&srch_eval_result_find(&res, "2")->m, &q2, "query 2");
    assert_metrics(&srch_eval_result_find(&res, "10")->m, &zero, "query 10");
    ck_assert(!srch_eval_result_find(&res, "10")->answered);
    ck_assert_ptr_null(srch_eval_result_find(&res, "7"));
    assert_metrics(&res.mean, &mean, "means");
    srch_eval_result_free(&res);
    srch_eval_run_free(r);
    srch_qrels_free(q);
}
END_TEST

START_TEST(test_eval_score_empty_run)
{
    /* Nothing answered: every judged query counts, as 0. */
    srch_qrels_t *q = qrels_from(score_qrels, NULL);
    srch_eval_run_t *r = srch_eval_run_new();
    srch_eval_result_t res;
    ck_assert(srch_eval_score(&res, q, r));
    ck_assert_uint_eq(res.n_queries, 3);
    ck_assert_uint_eq(res.n_answered, 0);
    srch_metrics_t zero = { 0, 0, 0, 0, 0 };
    assert_metrics(&res.mean, &zero, "empty run");
    srch_eval_result_free(&res);
    srch_eval_run_free(r);
    srch_qrels_free(q);
}
END_TEST

START_TEST(test_eval_rank_cmp)
{
    ck_assert_int_lt(srch_eval_rank_cmp(2.0, "a", 1.0, "b"), 0);  /* higher score first */
    ck_assert_int_gt(srch_eval_rank_cmp(1.0, "z", 2.0, "a"), 0);
    ck_assert_int_lt(srch_eval_rank_cmp(1.0, "b", 1.0, "a"), 0);  /* tie: docid descending */
    ck_assert_int_lt(srch_eval_rank_cmp(1.0, "doc10", 1.0, "doc1"), 0);
    ck_assert_int_eq(srch_eval_rank_cmp(1.0, "a", 1.0, "a"), 0);
}
END_TEST

/* ---- parsing ---------------------------------------------------------------- */

typedef struct parse_row {
    const char *text;
    const char *error;     /* expected message, or NULL for success */
} parse_row_t;

static const parse_row_t qrels_rows[] = {
    { "q 0 a 1\n", NULL },
    { "\n  \nq 0 a 1\n\n", NULL },                       /* blank lines are skipped */
    { "q 0 a 1\nq 0 b 1 extra\n", "test.qrels:2: expected 'qid 0 docid gain'" }, /* another format */
    { "q\t0\ta\t+2\r\n", NULL },                         /* tabs, CRLF, a signed gain */
    { "q 0 a 1", NULL },                                 /* no final newline */
    { "q 0 a 1\nq 0 b\n", "test.qrels:2: expected 'qid 0 docid gain'" },
    { "q 0 a x\n", "test.qrels:1: the gain is not an integer from -1000 to 1000" },
    { "\n\nq 0 a 1.5\n", "test.qrels:3: the gain is not an integer from -1000 to 1000" },
    { "q 0 a 99999\n", "test.qrels:1: the gain is not an integer from -1000 to 1000" },
    { "# comment\n", "test.qrels:1: expected 'qid 0 docid gain'" },
    { "q 0 a 0\nq 0 b -1\n", "test.qrels: no query has a relevant document" },
    { "", "test.qrels: no query has a relevant document" },
};

START_TEST(test_eval_parse_qrels)
{
    const parse_row_t *row = &qrels_rows[_i];
    srch_eval_error_t err = { "" };
    srch_qrels_t *q = qrels_from(row->text, &err);
    if (row->error) {
        ck_assert_ptr_null(q);
        ck_assert_str_eq(err.message, row->error);
    } else {
        ck_assert_msg(q != NULL, "row %d: %s", _i, err.message);
        ck_assert_uint_eq(srch_qrels_n_judged(q), 1);
    }
    srch_qrels_free(q);
}
END_TEST

START_TEST(test_eval_parse_qrels_last_wins)
{
    /* The same (qid, docid) twice: the later line holds. */
    srch_qrels_t *q = qrels_from("q 0 a 0\nq 0 b 1\nq 0 a 3\nq 0 b 0\n", NULL);
    ck_assert_ptr_nonnull(q);
    int g;
    ck_assert(srch_qrels_gain(q, "q", "a", &g));
    ck_assert_int_eq(g, 3);
    ck_assert(srch_qrels_gain(q, "q", "b", &g));
    ck_assert_int_eq(g, 0);
    /* One relevant document now: ranking a scores 1. */
    const char *docs[] = { "b", "a" };
    srch_metrics_t m = srch_eval_ranking(q, "q", docs, 2);
    ck_assert(fabs(m.rr - 0.5) < EPS);
    srch_qrels_free(q);
}
END_TEST

static const parse_row_t run_rows[] = {
    { "1 Q0 a 1 2.5 tag\n", NULL },
    { "\n1 Q0 a 1 2.5 tag extra\n\n", "test.run:2: expected 'qid Q0 docid rank score tag'" },
    { "1 Q0 a 1 1e-3 tag\n", NULL },
    { "1 Q0 a 1 2.5\n", "test.run:1: expected 'qid Q0 docid rank score tag'" },
    { "1 Q0 a 1 2.5 t\n1 Q0 b 2 high t\n", "test.run:2: the score is not a number" },
    { "1 Q0 a 1 2.5x t\n", "test.run:1: the score is not a number" },
};

START_TEST(test_eval_parse_run)
{
    const parse_row_t *row = &run_rows[_i];
    srch_eval_error_t err = { "" };
    srch_eval_run_t *r = run_from(row->text, &err);
    if (row->error) {
        ck_assert_ptr_null(r);
        ck_assert_str_eq(err.message, row->error);
    } else {
        ck_assert_msg(r != NULL, "row %d: %s", _i, err.message);
    }
    srch_eval_run_free(r);
}
END_TEST

START_TEST(test_eval_parse_python_spaces)
{
    /* Fields are split where ireval.py's str.split() splits them: at no-break
     * and ideographic spaces, at U+001F too; not at a zero-width space. */
    srch_qrels_t *q = qrels_from("q\xC2\xA0" "0\xE3\x80\x80" "a\x1F" "2\xE2\x80\x89\n", NULL);
    ck_assert_ptr_nonnull(q);
    int g;
    ck_assert(srch_qrels_gain(q, "q", "a", &g));
    ck_assert_int_eq(g, 2);
    srch_qrels_free(q);
    srch_eval_error_t err = { "" };
    ck_assert_ptr_null(qrels_from("q 0 a 1\xE2\x80\x8B\n", &err));
    ck_assert_str_eq(err.message, "test.qrels:1: the gain is not an integer from -1000 to 1000");
    srch_eval_run_t *r = run_from("q\xE2\x80\x83Q0 a\xC2\x85" "1 2.5 t\n", &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    srch_eval_run_free(r);
}
END_TEST

START_TEST(test_eval_parse_bom_and_nul)
{
    /* A UTF-8 byte order mark is not part of the first query id. */
    srch_qrels_t *q = qrels_from("\xEF\xBB\xBFq 0 a 1\n", NULL);
    ck_assert_ptr_nonnull(q);
    int g;
    ck_assert(srch_qrels_gain(q, "q", "a", &g));
    srch_eval_error_t err = { "" };
    srch_eval_run_t *r = run_from("\xEF\xBB\xBFq Q0 a 1 2.5 t\n", &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    srch_eval_result_t res;
    ck_assert(srch_eval_score(&res, q, r));
    ck_assert_uint_eq(res.n_answered, 1);
    ck_assert(fabs(res.mean.ndcg10 - 1.0) < EPS);
    srch_eval_result_free(&res);
    srch_eval_run_free(r);
    srch_qrels_free(q);

    /* Decoded as articles are: UTF-16 with a byte order mark, Windows-1252
     * (the query id "qé" as a batch file in the same encoding would read it),
     * lines ended by a carriage return alone. */
    static const char utf16[] = "\xFF\xFEq\0 \0""0\0 \0a\0 \0""1\0\n\0";
    FILE *f = fmemopen((void *)utf16, sizeof utf16 - 1, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_msg(srch_qrels_read(&q, f, "u.qrels", &err), "%s", err.message);
    fclose(f);
    ck_assert(srch_qrels_gain(q, "q", "a", &g));
    srch_qrels_free(q);
    q = qrels_from("q\xE9 0 a 1\rq\xE9 0 b 2\r", NULL);
    ck_assert_ptr_nonnull(q);
    ck_assert(srch_qrels_gain(q, "q\xC3\xA9", "b", &g) && g == 2);
    srch_qrels_free(q);
    r = run_from("q Q0 a 1 2.5 t\rq Q0 b 2 1.5 t\r", &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    srch_eval_run_free(r);

    /* NUL bytes (UTF-16 without its mark) are an error naming the line. */
    static const char nul[] = "q 0 a 1\nq\0 \0""0\0 \0a\0 \0""1\0\n";
    f = fmemopen((void *)nul, sizeof nul - 1, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert(!srch_qrels_read(&q, f, "u.qrels", &err));
    fclose(f);
    ck_assert_str_eq(err.message, "u.qrels:2: a NUL byte in the line (is the file text? "
                                  "UTF-16 needs a byte order mark)");
    f = fmemopen((void *)nul, sizeof nul - 1, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert(!srch_eval_run_read(&r, f, "u.run", &err));
    fclose(f);
    ck_assert_str_eq(err.message, "u.run:1: expected 'qid Q0 docid rank score tag'");
}
END_TEST

START_TEST(test_eval_load_missing)
{
    srch_eval_error_t err;
    srch_qrels_t *q = (srch_qrels_t *)1;
    ck_assert(!srch_qrels_load(&q, "/nonexistent/qrels.txt", &err));
    ck_assert_ptr_null(q);
    ck_assert_str_eq(err.message, "/nonexistent/qrels.txt: cannot read: No such file or directory");
    srch_eval_run_t *r = (srch_eval_run_t *)1;
    ck_assert(!srch_eval_run_load(&r, "/nonexistent/run", &err));
    ck_assert_ptr_null(r);
}
END_TEST

START_TEST(test_eval_report)
{
    srch_qrels_t *q = qrels_from(score_qrels, NULL);
    srch_eval_run_t *r = run_from("1 Q0 a 1 1 t\n", NULL);
    srch_eval_result_t res;
    ck_assert(srch_eval_score(&res, q, r));
    text_buf_t b = TEXT_BUF_INIT;
    ck_assert(srch_eval_report(&b, &res, false));
    /* Query 1 perfect, 2 and 10 unanswered: means 1/3 (P@10: 0.1/3). */
    ck_assert_str_eq(b.data, "judged   3\nanswered 1\nnDCG@10  0.3333\nMAP      0.3333\n"
                             "P@10     0.0333\nR@100    0.3333\nMRR      0.3333\n");
    text_buf_clear(&b);
    ck_assert(srch_eval_report(&b, &res, true));
    const char *row = "1          1.0000   1.0000   0.1000   1.0000   1.0000\n";
    ck_assert_ptr_nonnull(strstr(b.data, row));
    ck_assert_ptr_nonnull(strstr(b.data, "(not answered)"));
    text_buf_free(&b);
    srch_eval_result_free(&res);
    srch_eval_run_free(r);
    srch_qrels_free(q);

    /* A query id that is not ASCII is padded by characters, not bytes. */
    q = qrels_from("caf\xC3\xA9 0 a 1\n", NULL);
    r = run_from("caf\xC3\xA9 Q0 a 1 1 t\n", NULL);
    ck_assert(srch_eval_score(&res, q, r));
    ck_assert(srch_eval_report(&b, &res, true));
    ck_assert_ptr_nonnull(strstr(b.data, "\ncaf\xC3\xA9       1.0000"));
    text_buf_free(&b);
    srch_eval_result_free(&res);
    srch_eval_run_free(r);
    srch_qrels_free(q);
}
END_TEST

/* ---- significance tests ----------------------------------------------------- */

START_TEST(test_stats_betainc)
{
    /* Closed forms: I_x(1,1) = x; I_x(2,1) = x^2; I_x(1,3) = 1 - (1-x)^3. */
    for (double x = 0.0; x <= 1.0; x += 0.125) {
        ck_assert(fabs(srch_stats_betainc(1, 1, x) - x) < 1e-12);
        ck_assert(fabs(srch_stats_betainc(2, 1, x) - x * x) < 1e-12);
        ck_assert(fabs(srch_stats_betainc(1, 3, x) - (1 - pow(1 - x, 3))) < 1e-12);
    }
    /* Symmetry: I_x(a,b) = 1 - I_(1-x)(b,a). */
    ck_assert(fabs(srch_stats_betainc(2.5, 3.5, 0.3) + srch_stats_betainc(3.5, 2.5, 0.7) - 1)
              < 1e-12);
    ck_assert(isnan(srch_stats_betainc(0, 1, 0.5)));
    ck_assert(isnan(srch_stats_betainc(1, 1, 1.5)));
}
END_TEST

START_TEST(test_stats_t_distribution)
{
    /* df 1 is Cauchy: P(|T| >= t) = 1 - (2/pi) atan(t); t = 1 gives 0.5. */
    ck_assert(fabs(srch_stats_t_two_sided(1.0, 1) - 0.5) < 1e-9);
    ck_assert(fabs(srch_stats_t_two_sided(3.0, 1) - (1 - 2 / M_PI * atan(3.0))) < 1e-9);
    /* df 2: P(|T| >= t) = 1 - t / sqrt(2 + t^2); t = 2: 1 - 2/sqrt 6 = 0.183503. */
    ck_assert(fabs(srch_stats_t_two_sided(2.0, 2) - 0.183503419) < 1e-8);
    ck_assert(fabs(srch_stats_t_two_sided(-2.0, 2) - 0.183503419) < 1e-8);
    /* Large df tends to the normal: t = 1.959964 gives 0.05. */
    ck_assert(fabs(srch_stats_t_two_sided(1.959964, 1e7) - 0.05) < 1e-5);
    ck_assert(fabs(srch_stats_t_two_sided(0.0, 5) - 1.0) < 1e-12);
}
END_TEST

START_TEST(test_stats_paired_t)
{
    /* d = 1, 2, 3: mean 2, sd 1, t = 2 / (1 / sqrt 3) = 3.464102, df 2:
     * p = 1 - t / sqrt(2 + t^2) = 1 - 3.464102 / sqrt 14 = 0.074180. */
    const double d[] = { 1, 2, 3 };
    double t;
    ck_assert(fabs(srch_stats_paired_t(d, 3, &t) - 0.074179900) < 1e-8);
    ck_assert(fabs(t - 3.464101615) < 1e-8);
    /* No differences: p = 1; equal non-zero differences: p = 0; n < 2: NAN. */
    const double zeros[] = { 0, 0, 0, 0 };
    ck_assert(srch_stats_paired_t(zeros, 4, NULL) == 1.0);
    const double same[] = { 0.1, 0.1, 0.1 };
    ck_assert(srch_stats_paired_t(same, 3, NULL) == 0.0);
    ck_assert(isnan(srch_stats_paired_t(d, 1, NULL)));
}
END_TEST

START_TEST(test_stats_randomization)
{
    /* No differences: every flip is as extreme: p = 1. */
    const double zeros[] = { 0, 0, 0 };
    ck_assert(srch_stats_randomization(zeros, 3, 10000, 1) == 1.0);
    /* 0.5 and -0.5: the observed sum is 0, and every flip is at least that. */
    const double opposite[] = { 0.5, -0.5 };
    ck_assert(srch_stats_randomization(opposite, 2, 10000, 1) == 1.0);
    /* Three equal differences: of the 8 sign patterns, 2 (all +, all -) reach
     * |sum| = 3: exact p = 0.25; 10,000 draws stay within 0.02 of it. */
    const double three[] = { 1, 1, 1 };
    double p = srch_stats_randomization(three, 3, 10000, SRCH_STATS_SEED);
    ck_assert_msg(fabs(p - 0.25) < 0.02, "p = %f", p);
    /* The same seed gives the same p. */
    ck_assert(p == srch_stats_randomization(three, 3, 10000, SRCH_STATS_SEED));
    /* Ten equal differences: exact p = 2 / 1024 = 0.00195. */
    const double ten[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
    p = srch_stats_randomization(ten, 10, 10000, SRCH_STATS_SEED);
    ck_assert_msg(p < 0.006, "p = %f", p);
    /* More than 64 queries use more than one random word per trial:
     * 100 equal differences are never matched by a flip, and the p-value is
     * then the observed signs' own share, never 0. */
    double hundred[100];
    for (int i = 0; i < 100; i++)
        hundred[i] = 0.01;
    ck_assert(srch_stats_randomization(hundred, 100, 1000, 7) == 1.0 / 1001.0);
    ck_assert(srch_stats_randomization(hundred, 0, 1000, 7) == 1.0);
}
END_TEST

Suite *make_eval_suite(void)
{
    Suite *s = suite_create("eval");

    TCase *tc = tcase_create("metrics");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_eval_metrics_rows, 0,
                        sizeof metric_rows / sizeof metric_rows[0]);
    tcase_add_test(tc, test_eval_qrels_lookup);
    suite_add_tcase(s, tc);

    tc = tcase_create("score");
    tcase_add_test(tc, test_eval_score_ties_and_order);
    tcase_add_test(tc, test_eval_score_empty_run);
    tcase_add_test(tc, test_eval_rank_cmp);
    tcase_add_test(tc, test_eval_report);
    suite_add_tcase(s, tc);

    tc = tcase_create("parse");
    tcase_add_loop_test(tc, test_eval_parse_qrels, 0, sizeof qrels_rows / sizeof qrels_rows[0]);
    tcase_add_test(tc, test_eval_parse_qrels_last_wins);
    tcase_add_loop_test(tc, test_eval_parse_run, 0, sizeof run_rows / sizeof run_rows[0]);
    tcase_add_test(tc, test_eval_parse_python_spaces);
    tcase_add_test(tc, test_eval_parse_bom_and_nul);
    tcase_add_test(tc, test_eval_load_missing);
    suite_add_tcase(s, tc);

    tc = tcase_create("stats");
    tcase_add_test(tc, test_stats_betainc);
    tcase_add_test(tc, test_stats_t_distribution);
    tcase_add_test(tc, test_stats_paired_t);
    tcase_add_test(tc, test_stats_randomization);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(make_eval_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
