/*
 * stats.h — significance tests for comparing two runs query by query: the
 * paired randomisation (permutation) test and the paired Student t-test, with
 * the regularized incomplete beta function the t distribution needs. Pure C.
 */
#ifndef PASSIM_STATS_H
#define PASSIM_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Trials and seed used by passim-search --compare: fixed, so that the same
 * runs always print the same p-values. */
#define SRCH_STATS_TRIALS 10000
#define SRCH_STATS_SEED 20240601u

/*
 * Two-sided p-value of the paired randomisation test on the per-query
 * differences diff[0..n): the share of `trials` random sign flips of the
 * differences whose mean is at least as far from 0 as the observed mean
 * (ties within rounding error count as "as far"), the observed signs
 * counted as one more: (extreme + 1) / (trials + 1), never 0. Reproducible
 * for a given seed. All differences 0 (or n 0) gives 1.
 */
double srch_stats_randomization(const double *diff, size_t n, unsigned trials, uint64_t seed);

/*
 * Two-sided p-value of the paired t-test on diff[0..n): t = mean / (sd /
 * sqrt(n)) with n - 1 degrees of freedom. NAN when n < 2. When every
 * difference is the same, the test degenerates: 1 if they are 0, else 0.
 * t_out (may be NULL) receives t (0 when degenerate).
 */
double srch_stats_paired_t(const double *diff, size_t n, double *t_out);

/* P(|T| >= |t|) for Student's t with df > 0 degrees of freedom. */
double srch_stats_t_two_sided(double t, double df);

/* The regularized incomplete beta function I_x(a, b), a > 0, b > 0,
 * 0 <= x <= 1 (NAN outside). */
double srch_stats_betainc(double a, double b, double x);

#endif /* PASSIM_STATS_H */
