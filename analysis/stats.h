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

#endif
