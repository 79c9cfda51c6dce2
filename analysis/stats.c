/* stats.c - distributions and tests for tether-analyze, from their
 * definitions. Special functions come from the C library (lgamma_r, erfc);
 * the rest is computed here so every p-value can be traced to a formula. */
#include "stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "tether/util.h"

#define TINY 1e-300

/* log|Gamma(x)|: lgamma_r, the same value as lgamma without writing the
 * global signgam, since impact's tests run on a thread beside
 * inclusion's (analysis/run.c). */
static double
lgam(double x)
{
    int sign;
    return lgamma_r(x, &sign);
}

/* The continued fraction of the incomplete beta, evaluated with the
 * modified Lentz method; it converges quickly for x < (a + 1) / (a + b + 2).
 */
static double
beta_cf(double a, double b, double x)
{
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    if (fabs(d) < TINY)
        d = TINY;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 1000; m++) {
        double m2 = 2.0 * m;
        double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
        d = 1 + num * d;
        if (fabs(d) < TINY)
            d = TINY;
        c = 1 + num / c;
        if (fabs(c) < TINY)
            c = TINY;
        d = 1 / d;
        h *= d * c;
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
        d = 1 + num * d;
        if (fabs(d) < TINY)
            d = TINY;
        c = 1 + num / c;
        if (fabs(c) < TINY)
            c = TINY;
        d = 1 / d;
        double step = d * c;
        h *= step;
        if (fabs(step - 1) < 1e-16)
            break;
    }
    return h;
}

double
stats_ibeta(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double lfront = lgam(a + b) - lgam(a) - lgam(b) + a * log(x) +
                    b * log1p(-x);
    /* Use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) where the fraction
     * converges slowly. */
    if (x < (a + 1) / (a + b + 2))
        return exp(lfront) * beta_cf(a, b, x) / a;
    return 1 - exp(lfront) * beta_cf(b, a, 1 - x) / b;
}

double
stats_norm_cdf(double x)
{
    return 0.5 * erfc(-x / sqrt(2.0));
}

/* Inverts a monotone CDF by bisection to full double precision: a few
 * hundred evaluations, which is nothing at the rate these are needed. */
static double
invert(double (*cdf)(double, double), double param, double p)
{
    double lo = -1, hi = 1;
    while (cdf(lo, param) > p && lo > -1e300)
        lo *= 2;
    while (cdf(hi, param) < p && hi < 1e300)
        hi *= 2;
    for (int i = 0; i < 2000; i++) {
        double mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi)
            break;
        if (cdf(mid, param) < p)
            lo = mid;
        else
            hi = mid;
    }
    return lo + (hi - lo) / 2;
}

static double
norm_cdf2(double x, double unused)
{
    (void)unused;
    return stats_norm_cdf(x);
}

double
stats_norm_quantile(double p)
{
    if (p <= 0)
        return -INFINITY;
    if (p >= 1)
        return INFINITY;
    return invert(norm_cdf2, 0, p);
}

double
stats_t_cdf(double t, double df)
{
    if (isinf(t))
        return t > 0 ? 1 : 0;
    /* P(T < -|t|) = I_{df/(df+t^2)}(df/2, 1/2) / 2. */
    double tail = 0.5 * stats_ibeta(df / 2, 0.5, df / (df + t * t));
    return t > 0 ? 1 - tail : tail;
}

double
stats_t_quantile(double p, double df)
{
    if (p <= 0)
        return -INFINITY;
    if (p >= 1)
        return INFINITY;
    return invert(stats_t_cdf, df, p);
}

void
stats_wilson(long x, long n, double alpha, double *lo, double *hi)
{
    double z = stats_norm_quantile(1 - alpha / 2);
    double nn = (double)n, ph = (double)x / nn, z2 = z * z;
    double denom = 1 + z2 / nn;
    double centre = (ph + z2 / (2 * nn)) / denom;
    double half =
        z * sqrt(ph * (1 - ph) / nn + z2 / (4 * nn * nn)) / denom;
    *lo = centre - half < 0 ? 0 : centre - half;
    *hi = centre + half > 1 ? 1 : centre + half;
}

double
stats_prop_z_test(long x1, long n1, long x2, long n2)
{
    double p1 = (double)x1 / (double)n1, p2 = (double)x2 / (double)n2;
    double p = (double)(x1 + x2) / (double)(n1 + n2);
    double se = sqrt(p * (1 - p) * (1.0 / (double)n1 + 1.0 / (double)n2));
    if (se == 0)
        return 1;
    double z = (p1 - p2) / se;
    return erfc(fabs(z) / sqrt(2.0));
}

static double
lchoose(long n, long k)
{
    return lgam((double)n + 1) - lgam((double)k + 1) -
           lgam((double)(n - k) + 1);
}

double
stats_fisher_exact(long a, long b, long c, long d)
{
    long r1 = a + b, r2 = c + d, c1 = a + c;
    long lo = c1 - r2 > 0 ? c1 - r2 : 0;
    long hi = r1 < c1 ? r1 : c1;
    /* Probabilities relative to the observed table's, so that the
     * normalising constant cancels and nothing underflows. */
    double lobs = lchoose(r1, a) + lchoose(r2, c1 - a);
    double num = 0, den = 0;
    for (long x = lo; x <= hi; x++) {
        double rel = exp(lchoose(r1, x) + lchoose(r2, c1 - x) - lobs);
        den += rel;
        if (rel <= 1 + 1e-7)
            num += rel;
    }
    double p = num / den;
    return p > 1 ? 1 : p;
}

int
stats_small_expected(long a, long b, long c, long d)
{
    double n = (double)(a + b + c + d);
    double rows[2] = {(double)(a + b), (double)(c + d)};
    double cols[2] = {(double)(a + c), (double)(b + d)};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            if (rows[i] * cols[j] / n < 5)
                return 1;
    return 0;
}

double
stats_welch(double m1, double s1, long n1, double m2, double s2, long n2,
            double *t_out, double *df_out)
{
    double v1 = s1 * s1 / (double)n1, v2 = s2 * s2 / (double)n2;
    double se2 = v1 + v2;
    double t = NAN, df = NAN, p = NAN;
    if (se2 > 0) {
        t = (m1 - m2) / sqrt(se2);
        df = se2 * se2 /
             (v1 * v1 / (double)(n1 - 1) + v2 * v2 / (double)(n2 - 1));
        p = 2 * stats_t_cdf(-fabs(t), df);
    }
    if (t_out)
        *t_out = t;
    if (df_out)
        *df_out = df;
    return p;
}

double
stats_cohens_d(double m1, double s1, long n1, double m2, double s2, long n2)
{
    if (n1 + n2 < 3)
        return NAN;
    double sp2 = ((double)(n1 - 1) * s1 * s1 + (double)(n2 - 1) * s2 * s2) /
                 (double)(n1 + n2 - 2);
    if (!(sp2 > 0))
        return NAN;
    return (m1 - m2) / sqrt(sp2);
}

void
stats_mh_odds_ratio(const struct stats_2x2 *t, int k, double alpha,
                    double *or_out, double *lo, double *hi)
{
    /* Robins, Breslow and Greenland (1986), Biometrics 42:311: with
     * P = (a + d)/n, Q = (b + c)/n, R = ad/n, S = bc/n per table,
     * var(log OR) = sum PR / 2R^2 + sum (PS + QR) / 2RS + sum QS / 2S^2
     * (sums over the tables; R and S there are the sums). */
    double R = 0, S = 0, PR = 0, PSQR = 0, QS = 0;
    for (int i = 0; i < k; i++) {
        double a = (double)t[i].a, b = (double)t[i].b, c = (double)t[i].c,
               d = (double)t[i].d, n = a + b + c + d;
        if (n <= 0)
            continue;
        double P = (a + d) / n, Q = (b + c) / n, r = a * d / n,
               s = b * c / n;
        R += r;
        S += s;
        PR += P * r;
        PSQR += P * s + Q * r;
        QS += Q * s;
    }
    *lo = *hi = NAN;
    if (S == 0) {
        *or_out = NAN;
        return;
    }
    *or_out = R / S;
    if (R == 0)
        return;
    double var = PR / (2 * R * R) + PSQR / (2 * R * S) + QS / (2 * S * S);
    double z = stats_norm_quantile(1 - alpha / 2);
    *lo = exp(log(R / S) - z * sqrt(var));
    *hi = exp(log(R / S) + z * sqrt(var));
}

double
stats_chi2_1_sf(double x)
{
    if (!(x > 0))
        return x == 0 ? 1 : NAN;
    return erfc(sqrt(x / 2));
}

double
stats_cmh_test(const struct stats_2x2 *t, int k, int continuity)
{
    double dev = 0, var = 0;
    for (int i = 0; i < k; i++) {
        double a = (double)t[i].a, b = (double)t[i].b, c = (double)t[i].c,
               d = (double)t[i].d, n = a + b + c + d;
        if (n < 2)
            continue;
        dev += a - (a + b) * (a + c) / n;
        var += (a + b) * (c + d) * (a + c) * (b + d) / (n * n * (n - 1));
    }
    if (!(var > 0))
        return NAN;
    double num = fabs(dev) - (continuity ? 0.5 : 0);
    if (num < 0)
        num = 0;
    return stats_chi2_1_sf(num * num / var);
}

static int
cmp_surv(const void *x, const void *y)
{
    const struct stats_surv *a = x, *b = y;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return b->event - a->event;
}

void
stats_surv_sort(struct stats_surv *s, long n)
{
    qsort(s, (size_t)n, sizeof(*s), cmp_surv);
}

long
stats_km(const struct stats_surv *s, long n,
         void (*step)(double t, double surv, void *arg), void *arg)
{
    double surv = 1;
    long events = 0;
    for (long i = 0; i < n;) {
        /* At risk at t: every subject whose time is >= t, those censored
         * at t included. */
        long at_risk = n - i, d = 0, j = i;
        for (; j < n && s[j].time == s[i].time; j++)
            d += s[j].event != 0;
        if (d) {
            surv *= 1 - (double)d / (double)at_risk;
            events += d;
            if (step)
                step(s[i].time, surv, arg);
        }
        i = j;
    }
    return events;
}

struct km_probe {
    double t, at;
    double median;
};

static void
probe_at(double t, double surv, void *arg)
{
    struct km_probe *p = arg;
    if (t <= p->t)
        p->at = surv;
    if (surv <= 0.5 && isnan(p->median))
        p->median = t;
}

double
stats_km_at(const struct stats_surv *s, long n, double t)
{
    if (n == 0 || t > s[n - 1].time)
        return NAN;
    struct km_probe p = {t, 1, NAN};
    stats_km(s, n, probe_at, &p);
    return p.at;
}

double
stats_km_median(const struct stats_surv *s, long n)
{
    struct km_probe p = {-INFINITY, 1, NAN};
    stats_km(s, n, probe_at, &p);
    return p.median;
}

double
stats_logrank(const struct stats_surv *g1, long n1,
              const struct stats_surv *g2, long n2, double *hr)
{
    /* Walk both sorted groups together over the distinct times. */
    long i = 0, j = 0;
    double o1 = 0, e1 = 0, o2 = 0, e2 = 0, v = 0;
    while (i < n1 || j < n2) {
        double t = i < n1 && (j >= n2 || g1[i].time <= g2[j].time)
                       ? g1[i].time
                       : g2[j].time;
        double r1 = (double)(n1 - i), r2 = (double)(n2 - j), d1 = 0, d2 = 0;
        for (; i < n1 && g1[i].time == t; i++)
            d1 += g1[i].event != 0;
        for (; j < n2 && g2[j].time == t; j++)
            d2 += g2[j].event != 0;
        double d = d1 + d2, r = r1 + r2;
        if (d == 0)
            continue;
        o1 += d1;
        o2 += d2;
        e1 += d * r1 / r;
        e2 += d * r2 / r;
        if (r > 1)
            v += d * (r1 / r) * (r2 / r) * (r - d) / (r - 1);
    }
    *hr = e1 > 0 && e2 > 0 && o2 > 0 ? (o1 / e1) / (o2 / e2) : NAN;
    if (!(v > 0))
        return NAN;
    return stats_chi2_1_sf((o1 - e1) * (o1 - e1) / v);
}

void
stats_holm(const double *p, int m, double *adj)
{
    /* Holm (1979): the i-th smallest of the m p-values is multiplied by
     * m - i + 1, and the adjusted values are made non-decreasing in that
     * order (as R's p.adjust(method = "holm")). */
    int *ord = tether_xmalloc((size_t)(m > 0 ? m : 1) * sizeof(int));
    double *out = tether_xmalloc((size_t)(m > 0 ? m : 1) * sizeof(double));
    int k = 0;
    for (int i = 0; i < m; i++)
        if (!isnan(p[i]))
            ord[k++] = i;
    /* insertion sort: a run has a dozen tests */
    for (int i = 1; i < k; i++) {
        int x = ord[i], j = i;
        while (j > 0 && p[ord[j - 1]] > p[x]) {
            ord[j] = ord[j - 1];
            j--;
        }
        ord[j] = x;
    }
    for (int i = 0; i < m; i++)
        out[i] = NAN;
    double run = 0;
    for (int i = 0; i < k; i++) {
        double v = p[ord[i]] * (double)(k - i);
        if (v > 1)
            v = 1;
        if (v < run)
            v = run;
        run = v;
        out[ord[i]] = v;
    }
    for (int i = 0; i < m; i++)
        adj[i] = out[i];
    free(ord);
    free(out);
}
