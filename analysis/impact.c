/* impact.c - SPEC 3.7: do mentored people stay and grow, and which
 * practices keep pairs alive. The cohort is the people employed on the
 * baseline b = as_of - horizon, with their segments on b; retention and
 * promotion of mentored against comparison people, raw and matched over
 * department x level x tenure strata; pair survival by the "went quiet"
 * walk; and the practices of the first 90 days against survival after
 * them. Pairs and their contacts are streamed in key order, so memory
 * grows with people and pairs, never with contacts. */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "tether/db.h"
#include "tether/timeutil.h"
#include "tether/util.h"

#define LANDMARK 90
#define M(x) (tether_metric_names[x])
#define NPRACTICE TETHER_PRACTICE_COUNT


enum { BAND_UNDER1, BAND_1TO3, BAND_3PLUS, BAND_UNKNOWN, NBANDS };

/* The working state of one impact computation. */
struct impact {
    struct ctx *c;
    const struct tether_analysis_params *p;
    int32_t b, as_of;
    size_t nv;             /* c->versions used */
    struct dimension *dims; /* c->ndims: work_mode, then --by */
    int32_t **vseg;        /* [dim][version]: segment index */
    int32_t *unknown;      /* [dim]: the "(unknown)" segment */
    struct dimension dept, level;
    int32_t *vdept, *vlevel; /* [version]: index, -1 when none */
    int has_level;
    int *rank;               /* [level value]: its order, NULL when none */
    char *level_note;        /* why promotion is not computed */
    long initiators_known;   /* contacts whose initiator is known */
    long refmin;             /* --reference-min, 30 by default */
    /* Per person (index in c->people). */
    unsigned char *mentored, *excluded;
    /* Per pair of the survival analysis. */
    struct srec *recs;
    int32_t *rsegs; /* nrecs x c->ndims: the mentee's segments on start */
    size_t nrecs, cap;
};

struct srec {
    int32_t time;
    unsigned char event, bridge, ld, landmark;
    signed char prac[NPRACTICE]; /* 1 followed, 0 not, -1 left out */
};

static const struct version *
version_of(const struct person *ps, int32_t day)
{
    return ps->nv ? person_version(ps, day) : NULL;
}

static int32_t
seg_of(const struct impact *m, size_t d, const struct person *ps, int32_t day)
{
    const struct version *v = version_of(ps, day);
    return v ? m->vseg[d][v - m->c->versions] : m->unknown[d];
}

static int
employed(const struct person *ps, int32_t day)
{
    return (ps->joined == NO_DATE || ps->joined <= day) &&
           (ps->left == NO_DATE || ps->left >= day);
}

/* Whole years completed from joined to day, as a band. */
static int
tenure_band(const struct person *ps, int32_t day)
{
    if (ps->joined == NO_DATE || ps->joined > day)
        return BAND_UNKNOWN;
    int y1, m1, d1, y2, m2, d2;
    tether_civil_from_days(ps->joined, &y1, &m1, &d1);
    tether_civil_from_days(day, &y2, &m2, &d2);
    int years = y2 - y1 - (m2 < m1 || (m2 == m1 && d2 < d1));
    return years < 1 ? BAND_UNDER1 : years < 3 ? BAND_1TO3 : BAND_3PLUS;
}

/* The one whole number a level value holds ("L3", "Band 7"), or -1 when it
 * holds none or several. */
static long
level_number(const char *s)
{
    long n = -1;
    int groups = 0;
    for (const char *q = s; *q;) {
        if (*q >= '0' && *q <= '9') {
            long v = 0;
            while (*q >= '0' && *q <= '9' && v < 100000000)
                v = v * 10 + (*q++ - '0');
            while (*q >= '0' && *q <= '9')
                q++;
            n = v;
            groups++;
        } else {
            q++;
        }
    }
    return groups == 1 ? n : -1;
}

/* Orders the level values: by --level-order, else by their numbers. On
 * failure m->rank stays NULL and m->level_note says why. */
static void
level_ranks(struct impact *m)
{
    const struct tether_analysis_params *p = m->p;
    if (!m->has_level) {
        m->level_note = tether_xstrdup("the roster has no level column");
        return;
    }
    int n = m->level.n;
    int *rank = tether_xcalloc((size_t)n + 1, sizeof(int));
    for (int i = 0; i < n; i++) {
        const char *v = m->level.names[i];
        if (p->nlevel_order) {
            rank[i] = -1;
            for (size_t j = 0; j < p->nlevel_order; j++)
                if (strcmp(p->level_order[j], v) == 0)
                    rank[i] = (int)j;
            if (rank[i] < 0) {
                m->level_note = tether_xasprintf(
                    "level '%s' is not in --level-order", v);
                break;
            }
        } else {
            long k = level_number(v);
            if (k < 0) {
                m->level_note = tether_xasprintf(
                    "level '%s' holds no single number; give "
                    "--level-order",
                    v);
                break;
            }
            rank[i] = (int)k;
        }
    }
    if (m->level_note)
        free(rank);
    else
        m->rank = rank;
}

/* Fills vseg (segment of every version for every dimension), vdept and
 * vlevel; the attributes from the rows ctx_load read, in their order. */
static int
versions_index(struct impact *m)
{
    struct ctx *c = m->c;
    m->nv = c->nversions;
    m->dims = tether_xcalloc(c->ndims, sizeof(*m->dims));
    m->vseg = tether_xcalloc(c->ndims, sizeof(int32_t *));
    m->unknown = tether_xcalloc(c->ndims, sizeof(int32_t));
    m->vdept = tether_xmalloc((m->nv + 1) * sizeof(int32_t));
    m->vlevel = tether_xmalloc((m->nv + 1) * sizeof(int32_t));
    for (size_t i = 0; i < m->nv; i++) {
        const char *dep = c->versions[i].department;
        m->vdept[i] = dimension_segment(&m->dept, dep && *dep ? dep
                                                               : UNKNOWN_SEGMENT);
        m->vlevel[i] = -1;
    }
    for (size_t d = 0; d <= c->ndims; d++) {
        /* d == ndims: the level, for the strata and promotion */
        const char *name = d < c->ndims ? c->dims[d] : "level";
        int32_t *out;
        struct dimension *dim = d < c->ndims ? &m->dims[d] : &m->level;
        if (d < c->ndims) {
            dim->name = c->dims[d];
            out = m->vseg[d] = tether_xmalloc((m->nv + 1) * sizeof(int32_t));
            m->unknown[d] = dimension_segment(dim, UNKNOWN_SEGMENT);
            int builtin = d == 0 || strcmp(name, "department") == 0 ||
                          strcmp(name, "site") == 0;
            for (size_t i = 0; i < m->nv; i++) {
                const struct version *v = &c->versions[i];
                const char *val = !builtin   ? NULL
                                  : d == 0   ? tether_mode_names[v->mode]
                                  : name[0] == 'd' ? v->department
                                                   : v->site;
                out[i] = val && *val ? dimension_segment(dim, val)
                                     : m->unknown[d];
            }
            if (builtin)
                continue;
        } else {
            out = m->vlevel;
        }
        const struct attr_rows *a = ctx_attr(c, name);
        if (!a) { /* ctx_load reads every dimension's and the level */
            snprintf(c->errbuf, TETHER_ERRBUF, "'%s' was not read", name);
            return -1;
        }
        /* A value's segment once per value, in the rows' order. */
        int32_t *segof = tether_xmalloc((c->nstrings + 1) * sizeof(int32_t));
        for (size_t k = 0; k < c->nstrings; k++)
            segof[k] = -1;
        for (size_t r = 0; r < a->n; r++) {
            int32_t k = a->val[r];
            if (segof[k] < 0)
                segof[k] = dimension_segment(dim, c->strings[k]);
            out[a->pos[r]] = segof[k];
        }
        free(segof);
        if (d == c->ndims && a->n)
            m->has_level = 1;
    }
    return 0;
}

/* --- the pass over pairs and contacts -------------------------------- */

struct pair_in {
    int64_t id;
    int32_t mentor, mentee, started, end;
    int cadence, chose;
    /* the walk */
    int32_t prev, quiet; /* quiet: the day it went quiet, NO_DATE */
    /* the first 90 days */
    long meetings, summary_known, summary_sent, in_person, impromptu,
        initiator_known, mentee_sent, off_mentor, off_mentee;
};

/* One contact of the pair, in time order, after the summary inference
 * (contacts.c): an e-mail that is a meeting's summary counts for that
 * meeting's summary, never as an impromptu or mentee-initiated contact,
 * as in pair health. */
static void
pair_contact(struct impact *m, struct pair_in *q, const struct crow *row)
{
    struct ctx *c = m->c;
    int64_t ts = row->ts;
    int32_t day = row->day;
    if (day > q->end || day < q->started)
        return;
    int meeting = (row->medium & MED_MEETING) != 0;
    if (meeting && day >= m->b - 90 && day <= m->b)
        m->mentored[q->mentee] = 1;
    if (meeting && q->quiet == NO_DATE && day > q->prev) {
        int32_t qd = q->prev +
                     (int32_t)floor(c->p->inactive_factor * q->cadence) + 1;
        if (day > qd)
            q->quiet = qd; /* qd <= day <= end */
        else
            q->prev = day;
    }
    if (day >= q->started + LANDMARK)
        return;
    if (row->impromptu && !row->is_summary)
        q->impromptu++;
    if (row->initiator != TETHER_INITIATOR_UNKNOWN) {
        q->initiator_known++;
        m->initiators_known++;
        if (!meeting && !row->is_summary &&
            row->initiator == TETHER_INITIATOR_MENTEE)
            q->mentee_sent++;
    }
    if (!meeting)
        return;
    q->meetings++;
    if (row->medium & MED_IN_PERSON)
        q->in_person++;
    if (row->summary >= 0) {
        q->summary_known++;
        q->summary_sent += row->summary;
    }
    q->off_mentor += contact_off_hours(c, &c->people[q->mentor], day, ts);
    q->off_mentee += contact_off_hours(c, &c->people[q->mentee], day, ts);
}

/* Clock distance of the two on day, on the 24-hour circle. */
static double
clock_distance(const struct impact *m, const struct pair_in *q)
{
    const struct ctx *c = m->c;
    const struct version *vm = version_of(&c->people[q->mentor], q->started);
    const struct version *ve = version_of(&c->people[q->mentee], q->started);
    int64_t noon = zone_midnight(c->p->org_tz, q->started) + 12 * 3600;
    int om = 0, oe = 0;
    tether_tz_offset(vm ? vm->tz : "UTC", noon, &om);
    tether_tz_offset(ve ? ve->tz : "UTC", noon, &oe);
    double delta = fmod(fabs((double)(om - oe)) / 3600.0, 24.0);
    return fmin(delta, 24.0 - delta);
}

/* The pair's survival record once its contacts are read. */
static void
pair_done(struct impact *m, struct pair_in *q)
{
    struct ctx *c = m->c;
    if (q->quiet == NO_DATE) {
        int32_t qd = q->prev +
                     (int32_t)floor(c->p->inactive_factor * q->cadence) + 1;
        if (qd <= q->end)
            q->quiet = qd;
    }
    if (m->nrecs == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 1024;
        m->recs = tether_xrealloc(m->recs, m->cap * sizeof(*m->recs));
        m->rsegs = tether_xrealloc(m->rsegs,
                                   m->cap * c->ndims * sizeof(int32_t));
    }
    struct srec *r = &m->recs[m->nrecs];
    memset(r, 0, sizeof(*r));
    r->event = q->quiet != NO_DATE;
    r->time = (r->event ? q->quiet : q->end) - q->started;
    const struct person *pm = &c->people[q->mentor], *pe = &c->people[q->mentee];
    const struct version *vm = version_of(pm, q->started);
    const struct version *ve = version_of(pe, q->started);
    r->bridge = (vm && vm->mode == TETHER_MODE_REMOTE) !=
                (ve && ve->mode == TETHER_MODE_REMOTE);
    r->ld = clock_distance(m, q) >= c->p->long_distance_hours - 1e-9;
    r->landmark = r->time > LANDMARK && q->started + LANDMARK <= m->as_of;
    for (size_t d = 0; d < c->ndims; d++)
        m->rsegs[m->nrecs * c->ndims + d] = seg_of(m, d, pe, q->started);
    r->prac[0] = q->summary_known
                     ? 2 * q->summary_sent >= q->summary_known
                     : -1;
    r->prac[1] = (signed char)q->chose;
    r->prac[2] = q->impromptu > 0;
    r->prac[3] = q->initiator_known ? q->mentee_sent > 0 : -1;
    r->prac[4] = q->in_person > 0;
    r->prac[5] = q->meetings ? 4 * q->off_mentor <= q->meetings &&
                                   4 * q->off_mentee <= q->meetings
                             : -1;
    m->nrecs++;
}

void
impact_pair(struct impact *m, const struct impact_pair_in *in,
            const struct crow *rows, size_t n)
{
    struct pair_in q;
    memset(&q, 0, sizeof(q));
    q.id = in->id;
    q.mentor = in->mentor;
    q.mentee = in->mentee;
    q.started = in->started;
    q.end = in->ended != NO_DATE && in->ended < m->as_of ? in->ended
                                                          : m->as_of;
    q.chose = in->chose;
    q.cadence = in->cadence;
    q.prev = q.started;
    q.quiet = NO_DATE;
    /* Groups are fixed on b: a mentee of a pair started by then, or a
     * mentor of a pair active on b, is no comparison person. */
    if (q.started <= m->b) {
        m->excluded[q.mentee] = 1;
        if (in->ended == NO_DATE || in->ended >= m->b)
            m->excluded[q.mentor] = 1;
    }
    for (size_t i = 0; i < n; i++)
        pair_contact(m, &q, &rows[i]);
    if (q.end >= q.started)
        pair_done(m, &q);
}

/* --- retention and promotion ----------------------------------------- */

/* One cohort person of one table: segment rank, stratum, group (1
 * mentored, 2 comparison) and outcome (retained or promoted). */
struct unit {
    int32_t seg;
    int64_t stratum;
    unsigned char group, outcome;
};

static int
cmp_unit(const void *a, const void *b)
{
    const struct unit *x = a, *y = b;
    if (x->seg != y->seg)
        return x->seg < y->seg ? -1 : 1;
    return (x->stratum > y->stratum) - (x->stratum < y->stratum);
}

/* The segment ranks of a dimension in name order, and in *order_out the
 * segments by rank; the caller frees both. */
static int32_t *
name_ranks(const struct dimension *d, int32_t **order_out)
{
    int32_t *order = tether_xmalloc((size_t)(d->n + 1) * sizeof(int32_t));
    int32_t *rank = tether_xmalloc((size_t)(d->n + 1) * sizeof(int32_t));
    for (int i = 0; i < d->n; i++)
        order[i] = i;
    for (int i = 1; i < d->n; i++) { /* insertion: a few segments */
        int32_t x = order[i];
        int j = i;
        while (j > 0 && strcmp(d->names[order[j - 1]], d->names[x]) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
    for (int i = 0; i < d->n; i++)
        rank[order[i]] = i;
    *order_out = order;
    return rank;
}

static json_t *
row_start(const char *dim, const char *seg)
{
    json_t *o = json_object();
    json_object_set_new(o, M(TETHER_M_DIMENSION), json_string(dim));
    json_object_set_new(o, M(TETHER_M_SEGMENT), json_string(seg));
    return o;
}

struct table_names {
    enum tether_metric count, rate; /* retained and retention_rate */
};

static json_t *
group_row(const struct impact *m, const char *dim, const char *seg, int group,
          long n, long x, const struct table_names *tn)
{
    json_t *o = row_start(dim, seg);
    json_object_set_new(o, M(TETHER_M_GROUP),
                        json_string(group == 1 ? "mentored" : "comparison"));
    json_object_set_new(o, M(TETHER_M_N), json_integer(n));
    json_object_set_new(o, M(TETHER_M_SMALL), json_boolean(n < m->refmin));
    if (n < m->p->min_group)
        return o; /* a rate of one or two people names them */
    double lo, hi;
    stats_wilson(x, n, 0.05, &lo, &hi);
    json_object_set_new(o, M(tn->count), json_integer(x));
    json_object_set_new(o, M(tn->rate), jnum((double)x / (double)n));
    json_object_set_new(o, M(TETHER_M_CI_LOW), jnum(lo));
    json_object_set_new(o, M(TETHER_M_CI_HIGH), jnum(hi));
    return o;
}

/* The rows of one segment: units[i0, i1) sorted by stratum. */
static void
segment_rows(const struct impact *m, const char *dim, const char *seg,
             const struct unit *u, size_t i0, size_t i1,
             const struct table_names *tn, int outcome_is_bad, json_t *rows,
             json_t *matched)
{
    long n[3] = {0}, x[3] = {0};
    for (size_t i = i0; i < i1; i++) {
        n[u[i].group]++;
        x[u[i].group] += u[i].outcome;
    }
    json_t *mr = group_row(m, dim, seg, 1, n[1], x[1], tn);
    json_t *cr = group_row(m, dim, seg, 2, n[2], x[2], tn);
    if (n[1] >= m->p->min_group && n[2] >= m->p->min_group) {
        long a = x[1], b = n[1] - x[1], c = x[2], d = n[2] - x[2];
        int fisher = stats_small_expected(a, b, c, d);
        double p = fisher ? stats_fisher_exact(a, b, c, d)
                          : stats_prop_z_test(a, n[1], c, n[2]);
        json_object_set_new(
            mr, M(TETHER_M_DIFF),
            jnum((double)x[1] / (double)n[1] - (double)x[2] / (double)n[2]));
        json_object_set_new(mr, M(TETHER_M_P_VALUE), jnum(p));
        json_object_set_new(mr, M(TETHER_M_P_TEST), json_string(fisher ? "fisher" : "z"));
    } else {
        json_object_set_new(mr, M(TETHER_M_DIFF), json_null());
        json_object_set_new(mr, M(TETHER_M_P_VALUE), json_null());
        json_object_set_new(mr, M(TETHER_M_P_TEST), json_null());
    }
    json_array_append_new(rows, mr);
    json_array_append_new(rows, cr);

    /* Matched: the strata holding both groups. */
    size_t cap = 16, k = 0;
    struct stats_2x2 *t = tether_xmalloc(cap * sizeof(*t));
    long mn = 0, mx = 0, cn = 0;
    double wsum = 0;
    for (size_t i = i0; i < i1;) {
        size_t j = i;
        long sn[3] = {0}, sx[3] = {0};
        for (; j < i1 && u[j].stratum == u[i].stratum; j++) {
            sn[u[j].group]++;
            sx[u[j].group] += u[j].outcome;
        }
        i = j;
        if (!sn[1] || !sn[2])
            continue;
        mn += sn[1];
        mx += sx[1];
        cn += sn[2];
        wsum += (double)sn[1] * (double)sx[2] / (double)sn[2];
        if (k == cap) {
            cap *= 2;
            t = tether_xrealloc(t, cap * sizeof(*t));
        }
        /* The odds ratio of the outcome HR fears: leaving (the complement
         * of retained), or being promoted. */
        if (outcome_is_bad)
            t[k++] = (struct stats_2x2){sn[1] - sx[1], sx[1], sn[2] - sx[2],
                                        sx[2]};
        else
            t[k++] = (struct stats_2x2){sx[1], sn[1] - sx[1], sx[2],
                                        sn[2] - sx[2]};
    }
    json_t *o = row_start(dim, seg);
    json_object_set_new(o, M(TETHER_M_MATCHED_N), json_integer(mn));
    json_object_set_new(o, M(TETHER_M_SMALL), json_boolean(mn < m->refmin ||
                                                 cn < m->refmin));
    if (mn >= m->p->min_group && cn >= m->p->min_group) {
        double orr, lo, hi;
        stats_mh_odds_ratio(t, (int)k, 0.05, &orr, &lo, &hi);
        json_object_set_new(o, M(TETHER_M_MATCHED_MENTORED_RATE),
                            jnum((double)mx / (double)mn));
        json_object_set_new(o, M(TETHER_M_MATCHED_COMPARISON_RATE),
                            jnum(wsum / (double)mn));
        json_object_set_new(o, M(TETHER_M_ODDS_RATIO), jnum(orr));
        json_object_set_new(o, M(TETHER_M_OR_CI_LOW), jnum(lo));
        json_object_set_new(o, M(TETHER_M_OR_CI_HIGH), jnum(hi));
        json_object_set_new(o, M(TETHER_M_P_VALUE), jnum(stats_cmh_test(t, (int)k, 0)));
    }
    json_array_append_new(matched, o);
    free(t);
}

/* Retention (promotion = 0) or promotion (1): the rows and matched rows
 * of every dimension. */
static void
cohort_table(struct impact *m, int promotion, json_t *rows, json_t *matched)
{
    struct ctx *c = m->c;
    static const struct table_names ret = {TETHER_M_RETAINED,
                                           TETHER_M_RETENTION_RATE},
                                     pro = {TETHER_M_PROMOTED,
                                            TETHER_M_PROMOTION_RATE};
    struct unit *u = tether_xmalloc((c->npeople + 1) * sizeof(*u));
    int64_t nlevel = m->level.n + 1;
    for (size_t d = 0; d <= c->ndims; d++) {
        /* d == 0: the whole organisation; then work_mode and --by */
        const struct dimension *dim = d ? &m->dims[d - 1] : NULL;
        int32_t *order = NULL, *rank = dim ? name_ranks(dim, &order) : NULL;
        size_t n = 0;
        for (size_t i = 0; i < c->npeople; i++) {
            const struct person *ps = &c->people[i];
            int group = m->mentored[i] ? 1 : m->excluded[i] ? 0 : 2;
            if (!group || !employed(ps, m->b))
                continue;
            const struct version *v = version_of(ps, m->b);
            size_t vi = v ? (size_t)(v - c->versions) : 0;
            int32_t lev = v ? m->vlevel[vi] : -1;
            int outcome = employed(ps, m->as_of);
            if (promotion) {
                if (!outcome || lev < 0)
                    continue; /* left, or no level to rise from */
                outcome = 0;
                for (int k = 0; k < ps->nv; k++) {
                    const struct version *w = &ps->v[k];
                    int32_t wl = m->vlevel[w - c->versions];
                    if (w->from > m->b && w->from <= m->as_of && wl >= 0 &&
                        m->rank[wl] > m->rank[lev])
                        outcome = 1;
                }
            }
            struct unit *x = &u[n++];
            x->seg = dim ? rank[seg_of(m, d - 1, ps, m->b)] : 0;
            int64_t dep = v ? m->vdept[vi] : m->dept.n;
            x->stratum = ((dep * (nlevel + 1)) + (m->has_level ? lev + 1 : 0)) *
                             NBANDS +
                         tenure_band(ps, m->b);
            x->group = (unsigned char)group;
            x->outcome = (unsigned char)outcome;
        }
        qsort(u, n, sizeof(*u), cmp_unit);
        for (size_t i = 0; i < n;) {
            size_t j = i;
            while (j < n && u[j].seg == u[i].seg)
                j++;
            const char *dn = dim ? dim->name : "all";
            const char *sn = dim ? dim->names[order[u[i].seg]] : "all";
            segment_rows(m, dn, sn, u, i, j, promotion ? &pro : &ret,
                         !promotion, rows, matched);
            i = j;
        }
        free(order);
        free(rank);
    }
    free(u);
}

/* --- survival -------------------------------------------------------- */

static void
curve_point(double t, double s, void *arg)
{
    json_t *pt = json_array();
    json_array_append_new(pt, json_integer((json_int_t)t));
    json_array_append_new(pt, json_real(s));
    json_array_append_new((json_t *)arg, pt);
}

static json_t *
survival_row(const struct impact *m, const char *dim, const char *seg,
             struct stats_surv *s, long n)
{
    json_t *o = row_start(dim, seg);
    json_object_set_new(o, M(TETHER_M_PAIRS), json_integer(n));
    json_object_set_new(o, M(TETHER_M_SMALL), json_boolean(n < m->refmin));
    if (n < m->p->min_group)
        return o;
    stats_surv_sort(s, n);
    json_t *curve = json_array();
    long events = stats_km(s, n, curve_point, curve);
    json_object_set_new(o, M(TETHER_M_EVENTS), json_integer(events));
    json_object_set_new(o, M(TETHER_M_MEDIAN_DAYS), jnum(stats_km_median(s, n)));
    json_object_set_new(o, M(TETHER_M_SURVIVAL_90), jnum(stats_km_at(s, n, 90)));
    json_object_set_new(o, M(TETHER_M_SURVIVAL_180), jnum(stats_km_at(s, n, 180)));
    json_object_set_new(o, M(TETHER_M_SURVIVAL_365), jnum(stats_km_at(s, n, 365)));
    json_object_set_new(o, M(TETHER_M_CURVE), curve);
    return o;
}

/* The subjects of records whose key(rec) == want, into s. */
static long
collect(const struct impact *m, int (*key)(const struct impact *, size_t, size_t),
        size_t d, int want, int landmark, struct stats_surv *s)
{
    long n = 0;
    for (size_t i = 0; i < m->nrecs; i++) {
        const struct srec *r = &m->recs[i];
        if (landmark && !r->landmark)
            continue;
        if (key(m, i, d) != want)
            continue;
        s[n].time = r->time - (landmark ? LANDMARK : 0);
        s[n++].event = r->event;
    }
    return n;
}

static int
key_all(const struct impact *m, size_t i, size_t d)
{
    (void)m, (void)i, (void)d;
    return 0;
}

static int
key_seg(const struct impact *m, size_t i, size_t d)
{
    return m->rsegs[i * m->c->ndims + d];
}

static int
key_bridge(const struct impact *m, size_t i, size_t d)
{
    (void)d;
    return m->recs[i].bridge;
}

/* key_practice: d = practice * 2 + scope (1: long-distance only). */
static int
key_practice(const struct impact *m, size_t i, size_t d)
{
    const struct srec *r = &m->recs[i];
    if ((d & 1) && !r->ld)
        return -1;
    return r->prac[d / 2];
}

static void
survival_tables(struct impact *m, json_t *rows, json_t *tests)
{
    struct ctx *c = m->c;
    struct stats_surv *s = tether_xmalloc((m->nrecs + 1) * sizeof(*s));
    long n = collect(m, key_all, 0, 0, 0, s);
    json_array_append_new(rows, survival_row(m, "all", "all", s, n));
    for (size_t d = 0; d < c->ndims; d++) {
        int32_t *order, *rank = name_ranks(&m->dims[d], &order);
        for (int k = 0; k < m->dims[d].n; k++) {
            int seg = order[k];
            n = collect(m, key_seg, d, seg, 0, s);
            if (n)
                json_array_append_new(
                    rows, survival_row(m, m->dims[d].name,
                                       m->dims[d].names[seg], s, n));
        }
        free(order);
        free(rank);
        if (d == 0) {
            for (int b = 1; b >= 0; b--) {
                n = collect(m, key_bridge, 0, b, 0, s);
                if (n)
                    json_array_append_new(
                        rows, survival_row(m, "bridge", b ? "yes" : "no", s,
                                           n));
            }
        }
    }
    /* Remote against office mentees (work mode on started_on). */
    int rem = strmap_get(&m->dims[0].map,
                         tether_mode_names[TETHER_MODE_REMOTE]);
    int off = strmap_get(&m->dims[0].map,
                         tether_mode_names[TETHER_MODE_OFFICE]);
    struct stats_surv *s2 = tether_xmalloc((m->nrecs + 1) * sizeof(*s2));
    long n1 = rem >= 0 ? collect(m, key_seg, 0, rem, 0, s) : 0;
    long n2 = off >= 0 ? collect(m, key_seg, 0, off, 0, s2) : 0;
    json_t *o = json_object();
    json_object_set_new(o, M(TETHER_M_TEST), json_string("remote_vs_office"));
    json_object_set_new(o, M(TETHER_M_REMOTE_PAIRS), json_integer(n1));
    json_object_set_new(o, M(TETHER_M_OFFICE_PAIRS), json_integer(n2));
    json_object_set_new(o, M(TETHER_M_SMALL), json_boolean(n1 < m->refmin ||
                                                 n2 < m->refmin));
    double hr = NAN, p = NAN;
    if (n1 >= m->p->min_group && n2 >= m->p->min_group) {
        stats_surv_sort(s, n1);
        stats_surv_sort(s2, n2);
        p = stats_logrank(s, n1, s2, n2, &hr);
    }
    json_object_set_new(o, M(TETHER_M_P_VALUE), jnum(p));
    json_object_set_new(o, M(TETHER_M_HAZARD_RATIO), jnum(hr));
    json_array_append_new(tests, o);
    free(s);
    free(s2);
}

static void
practice_side(const struct impact *m, json_t *o, int followed,
              struct stats_surv *s, long n)
{
    json_object_set_new(o, M(followed ? TETHER_M_FOLLOWED_PAIRS
                                      : TETHER_M_NOT_FOLLOWED_PAIRS),
                        json_integer(n));
    if (n < m->p->min_group)
        return;
    stats_surv_sort(s, n);
    json_t *curve = json_array();
    json_object_set_new(o, M(followed ? TETHER_M_FOLLOWED_EVENTS
                                      : TETHER_M_NOT_FOLLOWED_EVENTS),
                        json_integer(stats_km(s, n, curve_point, curve)));
    json_object_set_new(o, M(followed ? TETHER_M_FOLLOWED_SURVIVAL_180
                                      : TETHER_M_NOT_FOLLOWED_SURVIVAL_180),
                        jnum(stats_km_at(s, n, 180)));
    /* Beside the figures of 3.7, for the report's step charts: days after
     * the landmark. */
    json_object_set_new(o, M(followed ? TETHER_M_FOLLOWED_CURVE
                                      : TETHER_M_NOT_FOLLOWED_CURVE),
                        curve);
}

static void
practice_tables(struct impact *m, json_t *rows)
{
    struct stats_surv *f = tether_xmalloc((m->nrecs + 1) * sizeof(*f));
    struct stats_surv *g = tether_xmalloc((m->nrecs + 1) * sizeof(*g));
    double p[2 * NPRACTICE], adj[2 * NPRACTICE];
    json_t *objs[2 * NPRACTICE];
    for (size_t k = 0; k < 2 * NPRACTICE; k++) {
        long nf = collect(m, key_practice, k, 1, 1, f);
        long ng = collect(m, key_practice, k, 0, 1, g);
        json_t *o = json_object();
        json_object_set_new(o, M(TETHER_M_PRACTICE), json_string(tether_practice_names[k / 2]));
        json_object_set_new(o, M(TETHER_M_SCOPE),
                            json_string(k & 1 ? "long_distance" : "all"));
        practice_side(m, o, 1, f, nf);
        practice_side(m, o, 0, g, ng);
        json_object_set_new(o, M(TETHER_M_SMALL), json_boolean(nf < m->refmin ||
                                                     ng < m->refmin));
        double hr = NAN;
        p[k] = NAN;
        if (nf >= m->p->min_group && ng >= m->p->min_group)
            p[k] = stats_logrank(f, nf, g, ng, &hr);
        json_object_set_new(o, M(TETHER_M_P_VALUE), jnum(p[k]));
        json_object_set_new(o, M(TETHER_M_HAZARD_RATIO), jnum(hr));
        objs[k] = o;
    }
    stats_holm(p, 2 * NPRACTICE, adj);
    for (size_t k = 0; k < 2 * NPRACTICE; k++) {
        json_object_set_new(objs[k], M(TETHER_M_P_HOLM), jnum(adj[k]));
        json_array_append_new(rows, objs[k]);
    }
    free(f);
    free(g);
}

/* --- the object ------------------------------------------------------- */

void
impact_free(struct impact *m)
{
    if (!m)
        return;
    struct ctx *c = m->c;
    if (m->dims) {
        for (size_t d = 0; d < c->ndims; d++) {
            for (int i = 0; i < m->dims[d].n; i++)
                free(m->dims[d].names[i]);
            free(m->dims[d].names);
            strmap_free(&m->dims[d].map);
            free(m->vseg[d]);
        }
    }
    struct dimension *own[] = {&m->dept, &m->level};
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < own[k]->n; i++)
            free(own[k]->names[i]);
        free(own[k]->names);
        strmap_free(&own[k]->map);
    }
    free(m->dims);
    free(m->vseg);
    free(m->unknown);
    free(m->vdept);
    free(m->vlevel);
    free(m->rank);
    free(m->level_note);
    free(m->mentored);
    free(m->excluded);
    free(m->recs);
    free(m->rsegs);
    free(m);
}

struct impact *
impact_begin(struct ctx *c, const struct tether_period *period)
{
    struct impact *m = tether_xcalloc(1, sizeof(*m));
    m->c = c;
    m->p = c->p;
    m->as_of = period->end;
    m->b = period->end - c->p->horizon;
    m->refmin = c->p->reference_min > 0 ? c->p->reference_min : 30;
    m->mentored = tether_xcalloc(c->npeople + 1, 1);
    m->excluded = tether_xcalloc(c->npeople + 1, 1);
    if (versions_index(m)) {
        impact_free(m);
        return NULL;
    }
    return m;
}

json_t *
impact_finish(struct impact *m)
{
    struct ctx *c = m->c;
    level_ranks(m);
    json_t *res = json_object();
    char buf[TETHER_DATE_LEN];
    tether_date_format(m->b, buf);
    json_object_set_new(res, M(TETHER_M_BASELINE), json_string(buf));
    json_object_set_new(res, M(TETHER_M_HORIZON), json_integer(c->p->horizon));
    json_t *notes = json_array();
    json_array_append_new(
        notes, json_string("These are associations in the organisation's own "
                           "records, not proof that mentoring caused them."));
    json_t *rows = json_array(), *matched = json_array();
    cohort_table(m, 0, rows, matched);
    json_object_set_new(res, M(TETHER_M_RETENTION), rows);
    json_object_set_new(res, M(TETHER_M_RETENTION_MATCHED), matched);
    if (m->rank) {
        rows = json_array();
        matched = json_array();
        cohort_table(m, 1, rows, matched);
        json_object_set_new(res, M(TETHER_M_PROMOTION), rows);
        json_object_set_new(res, M(TETHER_M_PROMOTION_MATCHED), matched);
    } else {
        json_object_set_new(res, M(TETHER_M_PROMOTION), json_null());
        json_object_set_new(res, M(TETHER_M_PROMOTION_MATCHED), json_null());
        char *s = tether_xasprintf("Promotion is not computed: %s.",
                                   m->level_note);
        json_array_append_new(notes, json_string(s));
        free(s);
    }
    rows = json_array();
    json_t *tests = json_array();
    survival_tables(m, rows, tests);
    json_object_set_new(res, M(TETHER_M_SURVIVAL), rows);
    json_object_set_new(res, M(TETHER_M_SURVIVAL_TESTS), tests);
    rows = json_array();
    practice_tables(m, rows);
    json_object_set_new(res, M(TETHER_M_PRACTICES), rows);
    /* Contacts whose initiators are all 'unknown' say nothing of it. */
    if (!m->initiators_known)
        json_array_append_new(
            notes, json_string("mentee_reached_out is left out: no source "
                               "of the contacts says who sent them."));
    json_object_set_new(res, M(TETHER_M_NOTES), notes);
    return res;
}

/* --- storing ------------------------------------------------------- */

static int
store_rows(sqlite3_stmt *st, const char *section, json_t *list,
           const char *dimkey, const char *segkey, const char *conkey)
{
    size_t i;
    json_t *row;
    int rc = 0;
    json_array_foreach(list, i, row)
    {
        const char *dim = json_string_value(json_object_get(row, dimkey));
        const char *seg =
            segkey ? json_string_value(json_object_get(row, segkey)) : "";
        const char *con =
            conkey ? json_string_value(json_object_get(row, conkey)) : "";
        const char *key;
        json_t *v;
        json_object_foreach(row, key, v)
        {
            if (!json_is_number(v) && !json_is_boolean(v) && !json_is_null(v))
                continue;
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, section, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, dim ? dim : "", -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 3, seg ? seg : "", -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 4, con ? con : "", -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 5, key, -1, SQLITE_TRANSIENT);
            if (json_is_number(v))
                sqlite3_bind_double(st, 6, json_number_value(v));
            else if (json_is_boolean(v))
                sqlite3_bind_int(st, 6, json_is_true(v));
            else
                sqlite3_bind_null(st, 6);
            rc |= sqlite3_step(st) != SQLITE_DONE;
        }
    }
    return rc;
}

int
impact_store(sqlite3_stmt *st, json_t *imp)
{
    if (!imp)
        return 0;
    int rc = 0;
    rc |= store_rows(st, M(TETHER_M_RETENTION), json_object_get(imp, M(TETHER_M_RETENTION)),
                     M(TETHER_M_DIMENSION), M(TETHER_M_SEGMENT), M(TETHER_M_GROUP));
    rc |= store_rows(st, M(TETHER_M_RETENTION_MATCHED),
                     json_object_get(imp, M(TETHER_M_RETENTION_MATCHED)), M(TETHER_M_DIMENSION),
                     M(TETHER_M_SEGMENT), NULL);
    rc |= store_rows(st, M(TETHER_M_PROMOTION), json_object_get(imp, M(TETHER_M_PROMOTION)),
                     M(TETHER_M_DIMENSION), M(TETHER_M_SEGMENT), M(TETHER_M_GROUP));
    rc |= store_rows(st, M(TETHER_M_PROMOTION_MATCHED),
                     json_object_get(imp, M(TETHER_M_PROMOTION_MATCHED)), M(TETHER_M_DIMENSION),
                     M(TETHER_M_SEGMENT), NULL);
    rc |= store_rows(st, M(TETHER_M_SURVIVAL), json_object_get(imp, M(TETHER_M_SURVIVAL)),
                     M(TETHER_M_DIMENSION), M(TETHER_M_SEGMENT), NULL);
    rc |= store_rows(st, M(TETHER_M_SURVIVAL_TESTS),
                     json_object_get(imp, M(TETHER_M_SURVIVAL_TESTS)), M(TETHER_M_TEST), NULL,
                     NULL);
    rc |= store_rows(st, M(TETHER_M_PRACTICES), json_object_get(imp, M(TETHER_M_PRACTICES)),
                     M(TETHER_M_PRACTICE), M(TETHER_M_SCOPE), NULL);
    return rc;
}
