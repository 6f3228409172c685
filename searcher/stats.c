/*
 * stats.c — the paired randomisation test and the paired t-test of stats.h.
 *
 * The randomisation test draws its sign flips from splitmix64, a small
 * generator with a fixed seed: p-values must not change from one run of
 * --compare to the next, and rand() would tie them to the C library.
 *
 * The t distribution's tail is I_{df/(df+t^2)}(df/2, 1/2), computed with the
 * continued fraction of the incomplete beta function evaluated by the modified
 * Lentz method, on whichever side of the distribution converges quickly.
 */
#include <float.h>
#include <math.h>

#include "stats.h"

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

double srch_stats_randomization(const double *diff, size_t n, unsigned trials, uint64_t seed)
{
    double observed = 0, scale = 0;
    for (size_t i = 0; i < n; i++) {
        observed += diff[i];
        scale += fabs(diff[i]);
    }
    if (n == 0 || scale == 0 || trials == 0)
        return 1.0;
    /* Sums are compared, not means (same n); a flip that only reorders the
     * additions must still count as "as extreme", hence the tolerance. */
    double threshold = fabs(observed) - 1e-9 * scale;
    uint64_t state = seed;
    unsigned extreme = 0;
    for (unsigned t = 0; t < trials; t++) {
        double sum = 0;
        uint64_t bits = 0;
        for (size_t i = 0; i < n; i++) {
            if (i % 64 == 0)
                bits = splitmix64(&state);
            sum += (bits & 1) ? -diff[i] : diff[i];
            bits >>= 1;
        }
        if (fabs(sum) >= threshold)
            extreme++;
    }
    /* The observed signs are one of the arrangements too: a p-value is never
     * 0 (Phipson and Smyth, "Permutation p-values should never be zero"). */
    return ((double)extreme + 1) / ((double)trials + 1);
}

/* Values this close to zero are replaced by it in Lentz's method, which would
 * otherwise divide by zero. */
#define LENTZ_TINY 1e-300

static double not_zero(double v)
{
    return fabs(v) < LENTZ_TINY ? LENTZ_TINY : v;
}

/* One step of Lentz's method with partial numerator num: updates c and d and
 * returns the factor by which the fraction's value changes. */
static double lentz_step(double num, double *c, double *d)
{
    *d = 1.0 / not_zero(1.0 + num * *d);
    *c = not_zero(1.0 + num / *c);
    return *d * *c;
}

/* The continued fraction of I_x(a, b), for x < (a + 1) / (a + b + 2). */
static double beta_fraction(double a, double b, double x)
{
    const double eps = 1e-15;
    double c = 1.0, d = 1.0 / not_zero(1.0 - (a + b) * x / (a + 1.0));
    double h = d;
    for (int m = 1; m <= 1000; m++) {
        double two_m = 2.0 * m;
        /* even step: m (b - m) x / ((a + 2m - 1)(a + 2m)) */
        h *= lentz_step(m * (b - m) * x / ((a + two_m - 1.0) * (a + two_m)), &c, &d);
        /* odd step: -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) */
        double delta =
            lentz_step(-(a + m) * (a + b + m) * x / ((a + two_m) * (a + two_m + 1.0)), &c, &d);
        h *= delta;
        if (fabs(delta - 1.0) < eps)
            break;
    }
    return h;
}

double srch_stats_betainc(double a, double b, double x)
{
    if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1))
        return NAN;
    if (x == 0 || x == 1)
        return x;
    /* x^a (1-x)^b / (a B(a, b)), in logarithms to stay finite. */
    double log_front = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    double front = exp(log_front);
    if (x < (a + 1.0) / (a + b + 2.0))
        return front * beta_fraction(a, b, x) / a;
    return 1.0 - front * beta_fraction(b, a, 1.0 - x) / b;
}

double srch_stats_t_two_sided(double t, double df)
{
    if (isnan(t) || !(df > 0))
        return NAN;
    if (isinf(t))
        return 0.0;
    return srch_stats_betainc(df / 2.0, 0.5, df / (df + t * t));
}

double srch_stats_paired_t(const double *diff, size_t n, double *t_out)
{
    if (t_out)
        *t_out = 0;
    if (n < 2)
        return NAN;
    double mean = 0;
    for (size_t i = 0; i < n; i++)
        mean += diff[i];
    mean /= (double)n;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (diff[i] - mean) * (diff[i] - mean);
    double sd = sqrt(ss / (double)(n - 1));
    /* Equal differences leave no variance: rounding noise must not pass for
     * a huge t, so a spread this small relative to the mean counts as none. */
    if (sd <= 1e-12 * fabs(mean) || sd < DBL_MIN)
        return fabs(mean) < 1e-12 ? 1.0 : 0.0;
    double t = mean / (sd / sqrt((double)n));
    if (t_out)
        *t_out = t;
    return srch_stats_t_two_sided(t, (double)(n - 1));
}
