/* inclusion.c - SPEC 3.2: participation by segment, the four-fifths rule
 * with a significance test against the highest segment, and the health of
 * the pairs by the mentee's segment. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "tether/util.h"

#define FOUR_FIFTHS 0.80

struct seg_stats {
    long headcount, mentees, mentors, participants;
    long pairs, meetings, days_active, quiet, bridge, chose_known,
        chose_yes, off, between, init_known, mentee_init;
    double engagement;
    double median_quiet;
};

static const struct dimension *sort_dim;

/* Is x1/n1 above x2/n2? Exact, in integers. */
static int
rate_above(long x1, long n1, long x2, long n2)
{
    return (long long)x1 * n2 > (long long)x2 * n1;
}

/* SPEC 3.2's reference segment of one rate (x of n per segment; order is
 * the segments sorted by name): the highest rate among the segments with
 * n >= size, ties by the larger n, then by name; when no segment is that
 * large, the largest segment. -1 when no segment has anybody. */
static int
reference_segment(const int *order, int nseg, const long *x, const long *n,
                  long size)
{
    int best = -1;
    for (int k = 0; k < nseg; k++) {
        int i = order[k];
        if (n[i] < size || n[i] <= 0)
            continue;
        if (best < 0 || rate_above(x[i], n[i], x[best], n[best]) ||
            (!rate_above(x[best], n[best], x[i], n[i]) && n[i] > n[best]))
            best = i;
    }
    if (best >= 0)
        return best;
    for (int k = 0; k < nseg; k++) {
        int i = order[k];
        if (n[i] > 0 && (best < 0 || n[i] > n[best]))
            best = i;
    }
    return best;
}

/* The names of one rate's figures: participation, mentee or mentor. */
struct rate_names {
    enum tether_metric rate, ratio, flagged, reference, p_value, p_test;
};
static const struct rate_names participation_names = {
    TETHER_M_PARTICIPATION_RATE, TETHER_M_INCLUSION_RATIO, TETHER_M_FLAGGED,
    TETHER_M_REFERENCE, TETHER_M_P_VALUE, TETHER_M_P_TEST};
static const struct rate_names mentee_names = {
    TETHER_M_MENTEE_RATE,      TETHER_M_MENTEE_RATIO,
    TETHER_M_MENTEE_FLAGGED,   TETHER_M_MENTEE_REFERENCE,
    TETHER_M_MENTEE_P_VALUE,   TETHER_M_MENTEE_P_TEST};
static const struct rate_names mentor_names = {
    TETHER_M_MENTOR_RATE,      TETHER_M_MENTOR_RATIO,
    TETHER_M_MENTOR_FLAGGED,   TETHER_M_MENTOR_REFERENCE,
    TETHER_M_MENTOR_P_VALUE,   TETHER_M_MENTOR_P_TEST};

/* The ratio, flag, test and reference of one rate (x of n per segment)
 * against the dimension's reference segment (SPEC 3.2); with shortfall,
 * also the participants each segment lacks to reach four-fifths of it. */
static void
rate_fields(json_t *out[], const int *order, int nseg, const long *x,
            const long *n, long size, const struct rate_names *names,
            int shortfall)
{
    int ref = reference_segment(order, nseg, x, n, size);
    const char *ref_name = ref >= 0 ? sort_dim->names[ref] : NULL;
    double ref_rate = ref >= 0 ? (double)x[ref] / (double)n[ref] : NAN;
    for (int k = 0; k < nseg; k++) {
        int i = order[k];
        json_t *o = out[i];
        if (!o)
            continue;
        double rate = n[i] > 0 ? (double)x[i] / (double)n[i] : NAN;
        double ratio = ref_rate > 0 ? rate / ref_rate : NAN;
        jset(o, names->rate, jnum(rate));
        jset(o, names->ratio, jnum(ratio));
        /* Four-fifths compared exactly: 5 P H_ref < 4 P_ref H. */
        int flagged = ref >= 0 && n[i] > 0 && i != ref &&
                      5LL * x[i] * n[ref] < 4LL * x[ref] * n[i];
        jset(o, names->flagged, json_boolean(flagged));
        jset(o, names->reference,
             ref_name ? json_string(ref_name) : json_null());
        if (shortfall) {
            long need = 0;
            if (ref >= 0 && n[i] > 0) {
                /* ceil(4 P_ref H / (5 H_ref)) - P, at least 0 */
                long long num = 4LL * x[ref] * n[i], den = 5LL * n[ref];
                long long reach = (num + den - 1) / den;
                need = reach > x[i] ? (long)(reach - x[i]) : 0;
            }
            jset(o, TETHER_M_SHORTFALL,
                 ref >= 0 && n[i] > 0 ? json_integer(need) : json_null());
            jset(o, TETHER_M_SMALL, json_boolean(n[i] < size));
        }
        double p = NAN;
        const char *test = NULL;
        if (ref >= 0 && i != ref && n[i] > 0) {
            long a = x[i], b = n[i] - x[i], c = x[ref], d = n[ref] - x[ref];
            if (stats_small_expected(a, b, c, d)) {
                p = stats_fisher_exact(a, b, c, d);
                test = "fisher";
            } else {
                p = stats_prop_z_test(a, n[i], c, n[ref]);
                test = "z";
            }
        }
        jset(o, names->p_value, jnum(p));
        jset(o, names->p_test, test ? json_string(test) : json_null());
    }
}


static int
by_name(const void *a, const void *b)
{
    return strcmp(sort_dim->names[*(const int *)a],
                  sort_dim->names[*(const int *)b]);
}

/* The k-th smallest of v[0..n) (0 the smallest), v reordered so that
 * every value before k is no larger: a selection with three-way
 * partitions (days quiet repeat a lot), linear on average where a sort of
 * every pair per dimension and period was not. */
static int32_t
kth_smallest(int32_t *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        int32_t a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi - 1];
        int32_t pivot = a < b ? (b < c ? b : a < c ? c : a)
                              : (a < c ? a : b < c ? c : b);
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            int32_t x = v[i];
            if (x < pivot) {
                v[i++] = v[lt];
                v[lt++] = x;
            } else if (x > pivot) {
                v[i] = v[--gt];
                v[gt] = x;
            } else {
                i++;
            }
        }
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            return pivot;
    }
    return v[lo];
}

/* The headcount a segment needs to serve as the reference (SPEC 3.2):
 * --reference-min when given; by default 30, or a tenth of the dimension's
 * headcount rounded up when that is smaller; never fewer than min-group. */
static long
reference_size(const struct tether_analysis_params *p, const long *n,
               int nseg)
{
    long size = p->reference_min;
    if (size <= 0) {
        long total = 0;
        for (int i = 0; i < nseg; i++)
            total += n[i];
        size = (total + 9) / 10 < 30 ? (total + 9) / 10 : 30;
    }
    return size < p->min_group ? p->min_group : size;
}

static double
ratio_or_null(double num, double den)
{
    return den > 0 ? num / den : NAN;
}

/* Counts the people in the period (headcount, mentees, mentors) into
 * each segment of dimension d. */
static void
seg_count_people(const struct ctx *c, const struct period_run *r, size_t d,
                 struct seg_stats *s)
{
    for (size_t i = 0; i < c->npeople; i++) {
        const struct person *ps = &c->people[i];
        if ((ps->joined != NO_DATE && ps->joined > r->period.end) ||
            (ps->left != NO_DATE && ps->left < r->period.start))
            continue;
        struct seg_stats *g = &s[ps->seg[d]];
        g->headcount++;
        g->mentees += ps->as_mentee;
        g->mentors += ps->as_mentor;
        g->participants += ps->as_mentee || ps->as_mentor;
    }
}

/* Sums the pairs into the segment of their mentee in dimension d, and
 * each segment's median days quiet. */
static void
seg_count_pairs(const struct ctx *c, const struct period_run *r, size_t d,
                struct seg_stats *s)
{
    /* The days quiet of each segment's pairs together: first[seg] is
     * where its run starts in q. */
    int nseg = r->dims[d].n;
    size_t *first = tether_xcalloc((size_t)nseg + 2, sizeof(size_t));
    int32_t *q = tether_xcalloc(r->npairs + 1, sizeof(int32_t));
    for (size_t i = 0; i < r->npairs; i++) {
        const struct pair_sum *p = &r->pairs[i];
        int seg = c->people[p->mentee].seg[d];
        struct seg_stats *g = &s[seg];
        first[seg + 1]++;
        g->pairs++;
        g->meetings += p->meetings;
        g->days_active += p->days_active;
        g->quiet += p->status == TETHER_STATUS_INACTIVE || p->status == TETHER_STATUS_NEVER_MET;
        g->bridge += p->bridge;
        g->engagement += p->engagement;
        g->off += p->off_hours;
        if (p->chose >= 0) {
            g->chose_known++;
            g->chose_yes += p->chose;
        }
        g->between += p->between > 0;
        if (p->mentee_init >= 0) {
            g->init_known++;
            g->mentee_init += p->mentee_init > 0;
        }
    }
    for (int k = 0; k < nseg; k++)
        first[k + 1] += first[k];
    size_t *next = tether_xcalloc((size_t)nseg + 1, sizeof(size_t));
    memcpy(next, first, (size_t)nseg * sizeof(size_t));
    for (size_t i = 0; i < r->npairs; i++)
        q[next[c->people[r->pairs[i].mentee].seg[d]]++] =
            r->pairs[i].days_quiet;
    for (int k = 0; k < nseg; k++) {
        size_t n = first[k + 1] - first[k], mid = n / 2;
        if (!n)
            continue;
        int32_t *v = q + first[k];
        int32_t hi = kth_smallest(v, n, mid);
        if (n % 2) {
            s[k].median_quiet = hi;
            continue;
        }
        int32_t lo = v[0]; /* the largest before mid */
        for (size_t i = 1; i < mid; i++)
            lo = v[i] > lo ? v[i] : lo;
        s[k].median_quiet = (lo + hi) / 2.0;
    }
    free(next);
    free(first);
    free(q);
}

/* The pair-based figures of one segment's object. */
static void
seg_pair_fields(json_t *o, const struct seg_stats *g)
{
    jset(o, TETHER_M_PAIRS, json_integer(g->pairs));
    jset(
        o, TETHER_M_MEETINGS_PER_PAIR_MONTH,
        jnum(ratio_or_null((double)g->meetings * 30,
                           (double)g->days_active)));
    jset(o, TETHER_M_MEDIAN_DAYS_QUIET,
                        g->pairs ? json_real(g->median_quiet)
                                 : json_null());
    jset(
        o, TETHER_M_QUIET_SHARE,
        jnum(ratio_or_null((double)g->quiet, (double)g->pairs)));
    jset(
        o, TETHER_M_MEAN_ENGAGEMENT,
        jnum(ratio_or_null(g->engagement, (double)g->pairs)));
    jset(
        o, TETHER_M_BRIDGE_SHARE,
        jnum(ratio_or_null((double)g->bridge, (double)g->pairs)));
    jset(o, TETHER_M_MENTEE_CHOSE_SHARE,
                        jnum(ratio_or_null((double)g->chose_yes,
                                           (double)g->chose_known)));
    jset(
        o, TETHER_M_OFF_HOURS_SHARE,
        jnum(ratio_or_null((double)g->off, (double)g->meetings)));
    /* SPEC 1.3a: pairs with any contact between the meetings, and
     * with any the mentee began (among pairs whose sources say who
     * began their contacts). */
    jset(o, TETHER_M_BETWEEN_CONTACTS_SHARE,
         jnum(ratio_or_null((double)g->between, (double)g->pairs)));
    jset(o, TETHER_M_MENTEE_INITIATED_SHARE,
         jnum(ratio_or_null((double)g->mentee_init,
                            (double)g->init_known)));
}

static json_t *
dimension_build(struct ctx *c, struct period_run *r, size_t d)
{
    struct dimension *dim = &r->dims[d];
    int nseg = dim->n;
    struct seg_stats *s = tether_xcalloc((size_t)nseg + 1, sizeof(*s));
    seg_count_people(c, r, d, s);
    seg_count_pairs(c, r, d, s);

    int *order = tether_xcalloc((size_t)nseg + 1, sizeof(int));
    for (int i = 0; i < nseg; i++)
        order[i] = i;
    sort_dim = dim;
    qsort(order, (size_t)nseg, sizeof(int), by_name);
    json_t **obj = tether_xcalloc((size_t)nseg + 1, sizeof(json_t *));
    long *x = tether_xcalloc((size_t)nseg + 1, sizeof(long));
    long *n = tether_xcalloc((size_t)nseg + 1, sizeof(long));
    for (int k = 0; k < nseg; k++) {
        int i = order[k];
        struct seg_stats *g = &s[i];
        if (!g->headcount && !g->pairs)
            continue;
        json_t *o = json_object();
        obj[i] = o;
        jset(o, TETHER_M_SEGMENT, json_string(dim->names[i]));
        jset(o, TETHER_M_HEADCOUNT, json_integer(g->headcount));
        jset(o, TETHER_M_MENTEES, json_integer(g->mentees));
        jset(o, TETHER_M_MENTORS, json_integer(g->mentors));
        jset(o, TETHER_M_PARTICIPANTS,
                            json_integer(g->participants));
        double lo = NAN, hi = NAN;
        if (g->headcount)
            stats_wilson(g->participants, g->headcount, 0.05, &lo, &hi);
        jset(o, TETHER_M_PARTICIPATION_RATE_CI_LOW, jnum(lo));
        jset(o, TETHER_M_PARTICIPATION_RATE_CI_HIGH, jnum(hi));
        n[i] = g->headcount;
    }
    long size = reference_size(c->p, n, nseg);
    for (int i = 0; i < nseg; i++)
        x[i] = s[i].participants;
    rate_fields(obj, order, nseg, x, n, size, &participation_names, 1);
    for (int i = 0; i < nseg; i++)
        x[i] = s[i].mentees;
    rate_fields(obj, order, nseg, x, n, size, &mentee_names, 0);
    for (int i = 0; i < nseg; i++)
        x[i] = s[i].mentors;
    rate_fields(obj, order, nseg, x, n, size, &mentor_names, 0);
    json_t *list = json_array();
    for (int k = 0; k < nseg; k++) {
        int i = order[k];
        json_t *o = obj[i];
        if (!o)
            continue;
        seg_pair_fields(o, &s[i]);
        json_array_append_new(list, o);
    }
    free(obj);
    free(order);
    free(x);
    free(n);
    free(s);
    return list;
}

json_t *
inclusion_build(struct ctx *c, struct period_run *r)
{
    for (size_t i = 0; i < c->npeople; i++) {
        c->people[i].as_mentor = 0;
        c->people[i].as_mentee = 0;
    }
    for (size_t i = 0; i < r->npairs; i++) {
        c->people[r->pairs[i].mentor].as_mentor = 1;
        c->people[r->pairs[i].mentee].as_mentee = 1;
    }
    json_t *inc = json_object();
    for (size_t d = 0; d < c->ndims; d++)
        json_object_set_new(inc, c->dims[d], dimension_build(c, r, d));
    return inc;
}
