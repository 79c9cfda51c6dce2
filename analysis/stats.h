/* stats.h - the statistics tether-analyze needs, written from their
 * textbook definitions: normal and Student t distributions, the Wilson
 * interval, the pooled two-proportion z-test, Fisher's exact test, Welch's
 * t-test and Cohen's d. */
#ifndef TETHER_ANALYZE_STATS_H
#define TETHER_ANALYZE_STATS_H

/* Regularized incomplete beta I_x(a, b), a, b > 0, 0 <= x <= 1. */
double stats_ibeta(double a, double b, double x);
/* Standard normal CDF and its inverse (0 < p < 1). */
double stats_norm_cdf(double x);
double stats_norm_quantile(double p);
/* Student t CDF with df > 0 degrees of freedom (df need not be whole) and
 * its inverse (0 < p < 1). */
double stats_t_cdf(double t, double df);
double stats_t_quantile(double p, double df);

/* 95% (or 1 - alpha) Wilson score interval of x successes in n > 0. */
void stats_wilson(long x, long n, double alpha, double *lo, double *hi);

/* Two-sided p-value of the pooled two-proportion z-test without continuity
 * correction of x1/n1 against x2/n2; 1 when the pooled rate is 0 or 1. */
double stats_prop_z_test(long x1, long n1, long x2, long n2);
/* Two-sided p-value of Fisher's exact test of the 2x2 table
 * [[a, b], [c, d]], as R's fisher.test: the sum of the probabilities of
 * the tables with the same margins that are no more likely than the
 * observed one (relative tolerance 1e-7). */
double stats_fisher_exact(long a, long b, long c, long d);
/* 1 when an expected count of the 2x2 table is below 5 (Fisher's exact
 * test is then used instead of the z-test). */
int stats_small_expected(long a, long b, long c, long d);

/* Welch's two-sample t-test from means, standard deviations (n - 1) and
 * sizes (each n >= 2). Returns the two-sided p-value; *t_out and *df_out
 * (Welch-Satterthwaite) when not NULL. NaN when both variances are 0. */
double stats_welch(double m1, double s1, long n1, double m2, double s2,
                   long n2, double *t_out, double *df_out);
/* Cohen's d of group 1 against group 2 with the pooled standard deviation;
 * NaN when it is 0 or n1 + n2 < 3. */
double stats_cohens_d(double m1, double s1, long n1, double m2, double s2,
                      long n2);

/* One 2x2 table of a stratified analysis: a exposed with the outcome, b
 * exposed without, c unexposed with, d unexposed without. */
struct stats_2x2 {
    long a, b, c, d;
};

/* The Mantel-Haenszel common odds ratio of k tables, with the 95% (or
 * 1 - alpha) interval of Robins, Breslow and Greenland (1986) around it.
 * *or is NaN when sum(b c / n) is 0 (an empty cell: no finite ratio); an
 * odds ratio of 0 has NaN bounds. Tables with n = 0 are skipped. */
void stats_mh_odds_ratio(const struct stats_2x2 *t, int k, double alpha,
                         double *or_out, double *lo, double *hi);
/* The Cochran-Mantel-Haenszel test of k tables (1 df): the two-sided
 * p-value, with Yates' continuity correction when continuity is 1 (R's
 * mantelhaen.test default) and without when 0 (SPEC 3.7). NaN when the
 * variance is 0. Tables with n < 2 add nothing. */
double stats_cmh_test(const struct stats_2x2 *t, int k, int continuity);

/* P(X > x) for a chi-square variable of 1 degree of freedom. */
double stats_chi2_1_sf(double x);

/* One subject of a survival analysis: time and whether it ended in the
 * event (0: censored then). */
struct stats_surv {
    double time;
    int event;
};
/* Sorts subjects by time, events before censorings at the same time (the
 * order the Kaplan-Meier product and the log-rank sums need). */
void stats_surv_sort(struct stats_surv *s, long n);
/* The Kaplan-Meier estimate over n sorted subjects: calls step(t, S(t),
 * arg) at every event time, in order. Returns the number of events. */
long stats_km(const struct stats_surv *s, long n,
              void (*step)(double t, double surv, void *arg), void *arg);
/* S(t) of a Kaplan-Meier curve of n sorted subjects: NaN when t is past the
 * longest time. */
double stats_km_at(const struct stats_surv *s, long n, double t);
/* The first time with S(t) <= 0.5, NaN when there is none. */
double stats_km_median(const struct stats_surv *s, long n);

/* The log-rank test (1 df) of two groups of sorted subjects: the p-value,
 * and the hazard ratio (O1/E1)/(O2/E2) in *hr (NaN when E1, E2 or O2 is 0).
 * The p-value is NaN when the variance is 0. */
double stats_logrank(const struct stats_surv *g1, long n1,
                     const struct stats_surv *g2, long n2, double *hr);

/* Holm's step-down adjustment of m p-values into adj (may be p). NaN
 * p-values are left out of the count and stay NaN. */
void stats_holm(const double *p, int m, double *adj);

#endif
