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

static void
mantel_haenszel(void **state)
{
    (void)state;
    /* R's mantelhaen.test example, Agresti's penicillin and rabbits data
     * (Agresti 1990, Categorical Data Analysis, table 7.7): Delay None
     * against 1.5h, Cured against Died, five penicillin levels.
     * mantelhaen.test(Rabbits) prints X-squared = 3.9286 (with continuity
     * correction), p-value = 0.04747, common odds ratio 7 and the 95%
     * interval 1.026713 47.725133. */
    const struct stats_2x2 rabbits[] = {
        {0, 6, 0, 5}, {3, 3, 0, 6}, {6, 0, 2, 4}, {5, 1, 6, 0}, {2, 0, 5, 0}};
    double or_, lo, hi;
    stats_mh_odds_ratio(rabbits, 5, 0.05, &or_, &lo, &hi);
    near(or_, 7, 1e-12);
    near(lo, 1.026713, 5e-7);
    near(hi, 47.725133, 5e-6);
    near(stats_cmh_test(rabbits, 5, 1), 0.04747, 5e-6);
    /* Without the correction (SPEC 3.7), from the same sums worked by
     * hand: E(a) = (a+b)(a+c)/n is 0, 1.5, 4, 5.5, 2 per level, so
     * sum(a - E(a)) = 16 - 13 = 3; var(a) = (a+b)(c+d)(a+c)(b+d) /
     * (n^2 (n-1)) is 0, 972/1584, 1152/1584, 396/1584, 0, in all 35/22.
     * R's corrected statistic is (3 - 0.5)^2 / (35/22) = 3.928571 as it
     * prints; uncorrected, 9 / (35/22) = 198/35. */
    near(stats_cmh_test(rabbits, 5, 0), stats_chi2_1_sf(198.0 / 35.0),
         1e-12);
    near(stats_chi2_1_sf(6.25 * 22.0 / 35.0), 0.04747, 5e-6);
    /* An empty cell: sum(bc/n) = 0 gives no ratio; sum(ad/n) = 0 gives 0
     * with no interval. */
    const struct stats_2x2 none[] = {{3, 0, 0, 4}};
    stats_mh_odds_ratio(none, 1, 0.05, &or_, &lo, &hi);
    assert_true(isnan(or_) && isnan(lo) && isnan(hi));
    const struct stats_2x2 zero[] = {{0, 3, 2, 4}};
    stats_mh_odds_ratio(zero, 1, 0.05, &or_, &lo, &hi);
    near(or_, 0, 0);
    assert_true(isnan(lo) && isnan(hi));
    /* One table: the MH ratio is the plain cross-product ratio, and the
     * RBG variance reduces to Woolf's 1/a + 1/b + 1/c + 1/d (Rothman,
     * Modern Epidemiology, 3rd ed., ch. 15). */
    const struct stats_2x2 one[] = {{10, 20, 5, 40}};
    stats_mh_odds_ratio(one, 1, 0.05, &or_, &lo, &hi);
    near(or_, 4, 1e-12);
    double se = sqrt(1.0 / 10 + 1.0 / 20 + 1.0 / 5 + 1.0 / 40);
    near(lo, 4 * exp(-1.959963984540054 * se), 1e-9);
    near(hi, 4 * exp(1.959963984540054 * se), 1e-9);
    assert_true(isnan(stats_cmh_test(none, 0, 0)));
}

/* The aml data of R's survival package (Miller 1981): weeks to relapse of
 * acute myelogenous leukaemia, maintained chemotherapy or not; a negative
 * time is censored. */
static const double aml_maint[] = {9, 13, -13, 18, 23, -28, 31, 34, -45, 48,
                                   -161};
static const double aml_non[] = {5, 5, 8, 8, 12, -16, 23, 27, 30, 33, 43, 45};

static long
aml_group(const double *t, long n, struct stats_surv *out)
{
    for (long i = 0; i < n; i++) {
        out[i].time = fabs(t[i]);
        out[i].event = t[i] > 0;
    }
    stats_surv_sort(out, n);
    return n;
}

struct curve {
    double t[16], s[16];
    int n;
};

static void
curve_step(double t, double s, void *arg)
{
    struct curve *c = arg;
    c->t[c->n] = t;
    c->s[c->n++] = s;
}

static void
survival(void **state)
{
    (void)state;
    struct stats_surv m[11], x[12];
    aml_group(aml_maint, 11, m);
    aml_group(aml_non, 12, x);
    /* summary(survfit(Surv(time, status) ~ x, data = aml)), Maintained:
     * S = 0.909 0.818 0.716 0.614 0.491 0.368 0.184 at 9 13 18 23 31 34
     * 48; median 31. */
    struct curve c = {{0}, {0}, 0};
    assert_int_equal(stats_km(m, 11, curve_step, &c), 7);
    const double t[] = {9, 13, 18, 23, 31, 34, 48};
    const double s[] = {0.909, 0.818, 0.716, 0.614, 0.491, 0.368, 0.184};
    assert_int_equal(c.n, 7);
    for (int i = 0; i < 7; i++) {
        near(c.t[i], t[i], 0);
        near(c.s[i], s[i], 5e-4);
    }
    near(stats_km_median(m, 11), 31, 0);
    near(stats_km_at(m, 11, 30), 0.614, 5e-4);
    near(stats_km_at(m, 11, 161), 0.184, 5e-4);
    assert_true(isnan(stats_km_at(m, 11, 162)));
    /* Nonmaintained: median 23 (survfit prints median 23). */
    near(stats_km_median(x, 12), 23, 0);
    /* survdiff(Surv(time, status) ~ x, data = aml): Maintained O = 7,
     * E = 10.69; Nonmaintained O = 11, E = 7.31; Chisq = 3.4 on 1 df,
     * p = 0.07 (coxph's neighbouring score test: 0.0653). */
    double hr;
    double p = stats_logrank(m, 11, x, 12, &hr);
    near(p, 0.0653, 5e-4);
    near(hr, (7 / 10.69) / (11 / 7.31), 2e-3);
    double hr2;
    near(stats_logrank(x, 12, m, 11, &hr2), p, 1e-12);
    near(hr2, 1 / hr, 1e-12);
    /* No event at all: no test and no ratio. */
    struct stats_surv cz[2] = {{5, 0}, {7, 0}};
    assert_true(isnan(stats_logrank(cz, 1, cz + 1, 1, &hr)));
    assert_true(isnan(hr));
}

static void
holm(void **state)
{
    (void)state;
    /* p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "holm") in R:
     * 0.05 0.08 0.09 0.09 0.09 (Holm 1979: 5p1, 4p2, 3p3, then the
     * running maximum). */
    double p[] = {0.04, 0.01, 0.05, 0.03, 0.02}, adj[5];
    stats_holm(p, 5, adj);
    const double want[] = {0.09, 0.05, 0.09, 0.09, 0.08};
    for (int i = 0; i < 5; i++)
        near(adj[i], want[i], 1e-12);
    /* A missing p-value is no test: the others are adjusted over 2. */
    double q[] = {0.02, NAN, 0.5};
    stats_holm(q, 3, q);
    near(q[0], 0.04, 1e-12);
    assert_true(isnan(q[1]));
    near(q[2], 0.5, 1e-12);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quantiles),
        cmocka_unit_test(wilson),
        cmocka_unit_test(proportions),
        cmocka_unit_test(means),
        cmocka_unit_test(mantel_haenszel),
        cmocka_unit_test(survival),
        cmocka_unit_test(holm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
