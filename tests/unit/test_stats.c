/* test_stats.c - analyze/stats.c against published values: R's outputs
 * (the R call is named above each) and a textbook Wilson interval. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>

#include <cmocka.h>

#include "../../analysis/stats.h"

#define near(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

static void
quantiles(void **state)
{
    (void)state;
    near(stats_norm_quantile(0.975), 1.959964, 5e-7); /* qnorm(0.975) */
    near(stats_norm_quantile(0.5), 0, 1e-12);
    near(stats_norm_cdf(1.959963984540054), 0.975, 1e-12);
    near(stats_t_quantile(0.975, 10), 2.228139, 5e-7); /* qt(0.975, 10) */
    near(stats_t_quantile(0.975, 1), 12.706205, 5e-6); /* qt(0.975, 1) */
    near(stats_t_quantile(0.025, 4), -2.776445, 5e-7); /* qt(0.025, 4) */
    near(stats_t_cdf(2, 5), 0.9490303, 5e-8);          /* pt(2, 5) */
    /* pbeta(0.5, 2, 3) = (6 + 4 + 1) / 16 by the binomial sum. */
    near(stats_ibeta(2, 3, 0.5), 0.6875, 1e-14);
    near(stats_ibeta(3, 2, 0.5), 0.3125, 1e-14);
}

static void
wilson(void **state)
{
    (void)state;
    /* Newcombe (1998), Statistics in Medicine 17:857, table I: 81/263 has
     * the Wilson interval 0.2553 to 0.3662, 15/148 has 0.0624 to 0.1605. */
    double lo, hi;
    stats_wilson(81, 263, 0.05, &lo, &hi);
    near(lo, 0.2553, 5e-5);
    near(hi, 0.3662, 5e-5);
    stats_wilson(15, 148, 0.05, &lo, &hi);
    near(lo, 0.0624, 5e-5);
    near(hi, 0.1605, 5e-5);
    /* 0 of 10: the lower bound is 0, the upper z^2 / (n + z^2). */
    stats_wilson(0, 10, 0.05, &lo, &hi);
    near(lo, 0, 1e-15);
    near(hi, 3.841459 / 13.841459, 1e-6);
}

static void
proportions(void **state)
{
    (void)state;
    /* prop.test(c(15, 25), c(50, 50), correct = FALSE):
     * X-squared = 4.1667, p-value = 0.04123 (z = -2.0412). */
    near(stats_prop_z_test(15, 50, 25, 50), 0.04123, 5e-6);
    near(stats_prop_z_test(0, 5, 0, 7), 1, 0);
    /* fisher.test(matrix(c(3, 1, 1, 3), 2)): p-value = 0.4857 (= 34/70,
     * Fisher's tea-tasting table). */
    near(stats_fisher_exact(3, 1, 1, 3), 34.0 / 70.0, 1e-12);
    /* fisher.test(matrix(c(1, 11, 9, 3), 2)): p-value = 0.002759 (the
     * dieting example of Fisher's exact test on Wikipedia). */
    near(stats_fisher_exact(1, 9, 11, 3), 0.002759, 5e-7);
    /* fisher.test(matrix(c(2, 8, 8, 2), 2)): the 2 and 8 tables on either
     * side are equally likely and R's tolerance counts both: 0.02301. */
    near(stats_fisher_exact(2, 8, 8, 2), 0.02301, 5e-6);
    assert_int_equal(stats_small_expected(3, 1, 1, 3), 1);
    assert_int_equal(stats_small_expected(15, 35, 25, 25), 0);
}

static void
means(void **state)
{
    (void)state;
    /* R's sleep data: t.test(extra ~ group, data = sleep) gives
     * t = -1.8608, df = 17.776, p-value = 0.07939. */
    const double g1[] = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0,
                         2.0};
    const double g2[] = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
    double m1 = 0, m2 = 0, s1 = 0, s2 = 0;
    for (int i = 0; i < 10; i++) {
        m1 += g1[i] / 10;
        m2 += g2[i] / 10;
    }
    for (int i = 0; i < 10; i++) {
        s1 += (g1[i] - m1) * (g1[i] - m1) / 9;
        s2 += (g2[i] - m2) * (g2[i] - m2) / 9;
    }
    s1 = sqrt(s1);
    s2 = sqrt(s2);
    double t, df;
    double p = stats_welch(m1, s1, 10, m2, s2, 10, &t, &df);
    near(t, -1.8608, 5e-5);
    near(df, 17.776, 5e-4);
    near(p, 0.07939, 5e-6);
    /* Cohen's d by hand: (0.75 - 2.33) / sqrt((s1^2 + s2^2) / 2) with
     * var(g1) = 3.200556 and var(g2) = 4.009000 (R: var()). */
    near(s1 * s1, 3.200556, 5e-7);
    near(s2 * s2, 4.009000, 5e-7);
    near(stats_cohens_d(m1, s1, 10, m2, s2, 10),
         -1.58 / sqrt((3.200556 + 4.009) / 2), 1e-6);
    assert_true(isnan(stats_welch(1, 0, 3, 2, 0, 3, NULL, NULL)));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quantiles),
        cmocka_unit_test(wilson),
        cmocka_unit_test(proportions),
        cmocka_unit_test(means),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
