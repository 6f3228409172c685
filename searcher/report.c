/*
 * report.c — printing evaluation results: the metric tables of one run (after
 * a --batch with --qrels) and passim-search --compare, which scores two TREC
 * run files and sets them side by side with per-query wins, ties and losses
 * and the p-values of paired significance tests (stats.c). The figures come
 * from eval.c; this file only lays them out.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "searcher.h"
#include "stats.h"

/* Per-query differences smaller than this are ties: metrics are ratios of
 * small integers and logs, equal up to rounding when the rankings agree. */
#define TIE_EPSILON 1e-9

static const char *const metric_names[] = { "nDCG@10", "MAP", "P@10", "R@100", "MRR" };

static void metrics_array(const srch_metrics_t *m, double v[5])
{
    v[0] = m->ndcg10;
    v[1] = m->ap;
    v[2] = m->p10;
    v[3] = m->r100;
    v[4] = m->rr;
}

/* An id from a qrels or run file, fit for a terminal (text_safe_append()),
 * padded to width columns, into b. */
static bool put_safe_id(text_buf_t *b, const char *id, size_t width)
{
    text_buf_t safe = TEXT_BUF_INIT;
    bool ok = text_safe_append(&safe, id, strlen(id), true)
              && text_buf_put_padded(b, safe.data ? safe.data : "", width);
    text_buf_free(&safe);
    return ok;
}

/* The width of a per-query table's first column: "qid" padded to 10, or to
 * the widest of the ids as put_safe_id() shows them. */
static int qid_column(const srch_eval_query_t *q, size_t n)
{
    size_t width = 10;
    text_buf_t safe = TEXT_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        text_buf_clear(&safe);
        if (text_safe_append(&safe, q[i].qid, strlen(q[i].qid), true) && safe.data) {
            size_t w = text_columns(safe.data, safe.len);
            width = w > width ? w : width;
        }
    }
    text_buf_free(&safe);
    return width > INT_MAX ? INT_MAX : (int)width;
}

bool srch_eval_report(text_buf_t *b, const srch_eval_result_t *res, bool per_query)
{
    bool ok = true;
    if (per_query) {
        int width = qid_column(res->queries, res->n_queries);
        ok = text_buf_printf(b, "%-*s %-8s %-8s %-8s %-8s %s\n", width, "qid", "nDCG@10", "AP",
                             "P@10", "R@100", "RR");
        for (size_t i = 0; i < res->n_queries && ok; i++) {
            const srch_eval_query_t *q = &res->queries[i];
            ok = put_safe_id(b, q->qid, (size_t)width)
                 && text_buf_printf(b, " %-8.4f %-8.4f %-8.4f %-8.4f %.4f%s\n",
                                    q->m.ndcg10, q->m.ap, q->m.p10, q->m.r100, q->m.rr,
                                    q->answered ? "" : "   (not answered)");
        }
        ok = ok && text_buf_putc(b, '\n');
    }
    double v[5];
    metrics_array(&res->mean, v);
    ok = ok && text_buf_printf(b, "%-9s%zu\n%-9s%zu\n", "judged", res->n_queries, "answered",
                               res->n_answered);
    for (size_t k = 0; k < 5 && ok; k++)
        ok = text_buf_printf(b, "%-9s%.4f\n", metric_names[k], v[k]);
    return ok;
}

/* ---- --compare ------------------------------------------------------------ */

typedef struct side_by_side {
    srch_eval_result_t a, b;   /* the same judged queries, in the same order */
    double *d_ndcg, *d_ap;     /* B - A per query */
} side_by_side_t;

static void print_p(FILE *f, double p)
{
    if (isnan(p))
        fprintf(f, "  %10s", "n/a");
    else
        fprintf(f, "  %10.4f", p);
}

/* Wins, ties and losses of B against A, and both tests, on diff[0..n). */
static void print_test_row(FILE *f, const char *name, const double *diff, size_t n)
{
    size_t wins = 0, ties = 0, losses = 0;
    for (size_t i = 0; i < n; i++) {
        if (fabs(diff[i]) <= TIE_EPSILON)
            ties++;
        else if (diff[i] > 0)
            wins++;
        else
            losses++;
    }
    fprintf(f, "%-10s %6zu %6zu %6zu", name, wins, ties, losses);
    print_p(f, srch_stats_randomization(diff, n, SRCH_STATS_TRIALS, SRCH_STATS_SEED));
    print_p(f, srch_stats_paired_t(diff, n, NULL));
    fputc('\n', f);
}

static void print_comparison(FILE *f, const side_by_side_t *s, const char *run_a,
                             const char *run_b, const char *qrels, bool per_query)
{
    size_t n = s->a.n_queries;
    fprintf(f, "A: %s\nB: %s\njudged queries: %zu (%s)\n\n", run_a, run_b, n, qrels);
    if (per_query) {
        int width = qid_column(s->a.queries, n);
        fprintf(f, "%-*s %9s %9s %9s %9s\n", width, "qid", "nDCG@10 A", "nDCG@10 B", "AP A",
                "AP B");
        text_buf_t qid = TEXT_BUF_INIT;
        for (size_t i = 0; i < n; i++) {
            text_buf_clear(&qid);
            (void)put_safe_id(&qid, s->a.queries[i].qid, (size_t)width); /* else unpadded */
            fprintf(f, "%s %9.4f %9.4f %9.4f %9.4f\n", qid.data ? qid.data : "",
                    s->a.queries[i].m.ndcg10, s->b.queries[i].m.ndcg10, s->a.queries[i].m.ap,
                    s->b.queries[i].m.ap);
        }
        text_buf_free(&qid);
        fputc('\n', f);
    }
    double va[5], vb[5];
    metrics_array(&s->a.mean, va);
    metrics_array(&s->b.mean, vb);
    fprintf(f, "%-10s %8s %8s %8s\n", "metric", "A", "B", "B-A");
    for (size_t k = 0; k < 5; k++)
        fprintf(f, "%-10s %8.4f %8.4f %+8.4f\n", metric_names[k], va[k], vb[k], vb[k] - va[k]);
    fprintf(f, "%-10s %8zu %8zu\n\n", "answered", s->a.n_answered, s->b.n_answered);
    fprintf(f, "%-10s %6s %6s %6s  %10s  %10s\n", "B vs A", "wins", "ties", "losses",
            "p (random)", "p (t-test)");
    print_test_row(f, "nDCG@10", s->d_ndcg, n);
    print_test_row(f, "AP", s->d_ap, n);
    fprintf(f, "\np (random): paired randomisation test, %d sign flips, two-sided;\n"
               "p (t-test): paired Student t-test, two-sided.\n",
            SRCH_STATS_TRIALS);
}

static bool load_run(srch_eval_run_t **out, const char *path)
{
    srch_eval_error_t err;
    if (srch_eval_run_load(out, path, &err))
        return true;
    fprintf(stderr, "passim-search: %s\n", err.message);
    return false;
}

void srch_eval_warn(FILE *f, const srch_eval_result_t *res, const char *run,
                    const char *qrels)
{
    if (res->n_run_queries == 0)
        fprintf(f, "passim-search: warning: %s ranks no document for any query, so every "
                   "metric is 0\n", run);
    if (res->n_answered == 0 && res->n_run_queries > 0 && res->n_queries > 0)
        fprintf(f, "passim-search: warning: %s judges none of the queries of %s, so every "
                   "metric is 0: do both name them alike (the query ids of the query file)?\n",
                qrels, run);
    if (res->n_answered > 0 && res->n_judged_docs == 0)
        fprintf(f, "passim-search: warning: %s judges none of the documents of %s, so every "
                   "metric is 0: do both name them alike (articles as docid, passages as "
                   "docid#n)?\n", qrels, run);
    if (res->n_repeats > 0) {
        text_buf_t docid = TEXT_BUF_INIT, qid = TEXT_BUF_INIT;
        (void)put_safe_id(&docid, res->repeat_docid, 0); /* else left out */
        (void)put_safe_id(&qid, res->repeat_qid, 0);
        fprintf(f, "passim-search: warning: %s: document %s is ranked more than once for "
                   "query %s (%zu repeated line%s in all); each document counts once, where it "
                   "ranks best\n", run, docid.data ? docid.data : "",
                qid.data ? qid.data : "", res->n_repeats, res->n_repeats == 1 ? "" : "s");
        text_buf_free(&docid);
        text_buf_free(&qid);
    }
}

void srch_eval_warn_bom(FILE *f, const char *path, bool bom)
{
    if (bom)
        fprintf(f, "passim-search: warning: %s starts with a byte order mark, which passim "
                   "drops; ireval.py reads it as part of the first query id, so its figures "
                   "differ unless the mark is removed\n", path);
}

int srch_compare(const char *run_a, const char *run_b, const char *qrels_path, bool per_query)
{
    srch_qrels_t *qrels = NULL;
    srch_eval_run_t *ra = NULL, *rb = NULL;
    side_by_side_t s;
    memset(&s, 0, sizeof s);
    int status = SRCH_EXIT_ERROR;
    srch_eval_error_t err;

    if (!srch_qrels_load(&qrels, qrels_path, &err)) {
        fprintf(stderr, "passim-search: %s\n", err.message);
        return SRCH_EXIT_ERROR;
    }
    if (!load_run(&ra, run_a) || !load_run(&rb, run_b))
        goto done;
    if (!srch_eval_score(&s.a, qrels, ra) || !srch_eval_score(&s.b, qrels, rb))
        goto nomem;
    srch_eval_warn(stderr, &s.a, run_a, qrels_path);
    if (strcmp(run_a, run_b) != 0)
        srch_eval_warn(stderr, &s.b, run_b, qrels_path);
    srch_eval_warn_bom(stderr, qrels_path, srch_qrels_had_bom(qrels));
    srch_eval_warn_bom(stderr, run_a, srch_eval_run_had_bom(ra));
    if (strcmp(run_a, run_b) != 0)
        srch_eval_warn_bom(stderr, run_b, srch_eval_run_had_bom(rb));
    size_t n = s.a.n_queries;
    s.d_ndcg = malloc((n ? n : 1) * sizeof *s.d_ndcg);
    s.d_ap = malloc((n ? n : 1) * sizeof *s.d_ap);
    if (!s.d_ndcg || !s.d_ap)
        goto nomem;
    /* Both results list the qrels' judged queries in the same order. */
    for (size_t i = 0; i < n; i++) {
        s.d_ndcg[i] = s.b.queries[i].m.ndcg10 - s.a.queries[i].m.ndcg10;
        s.d_ap[i] = s.b.queries[i].m.ap - s.a.queries[i].m.ap;
    }
    print_comparison(stdout, &s, run_a, run_b, qrels_path, per_query);
    status = SRCH_EXIT_FOUND;
    goto done;
nomem:
    fputs("passim-search: out of memory\n", stderr);
done:
    free(s.d_ndcg);
    free(s.d_ap);
    srch_eval_result_free(&s.a);
    srch_eval_result_free(&s.b);
    srch_eval_run_free(ra);
    srch_eval_run_free(rb);
    srch_qrels_free(qrels);
    return status;
}
