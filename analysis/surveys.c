/* surveys.c - SPEC 3.3: survey constructs by segment (and overall), the
 * disclosure control of rules 1-6, and remote against office comparisons.
 *
 * Every figure is taken over answers (a respondent who answered two
 * questions of a construct counts twice); n counts respondents, and so
 * does min-group. One weighting for every figure keeps every published
 * figure a sum over the answers of its segment, which is what the
 * differencing rule (disclosure.c) reasons about. */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "disclosure.h"
#include "stats.h"
#include "tether/db.h"
#include "tether/util.h"

struct answer {
    int32_t construct; /* index in surveys_build's interned names */
    int32_t person;
    int64_t pid, ts; /* respondent's people.id, submitted_at */
    int64_t rid; /* responses.id */
    double value, smin, smax; /* NAN when the scale is unknown */
};

struct point {
    double value;
    long count;
};

/* Why a segment is not shown. */
enum seg_state { SHOWN, SMALL, COMPLEMENTARY, DIFFERENCING, HOMOGENEOUS };

struct seg {
    long n; /* respondents */
    double sum, ss, mean, sd;
    long answers, fav_known, fav, promoters, detractors;
    struct point *points;
    size_t npoints;
    enum seg_state state;
    int set; /* its index in the disclosure system, -1 */
};

static void
add_point(struct seg *g, double v, long k)
{
    for (size_t i = 0; i < g->npoints; i++)
        if (g->points[i].value == v) {
            g->points[i].count += k;
            return;
        }
    g->points = tether_xrealloc(g->points,
                                (g->npoints + 1) * sizeof(*g->points));
    g->points[g->npoints].value = v;
    g->points[g->npoints++].count = k;
}

static int
by_value(const void *a, const void *b)
{
    const struct point *x = a, *y = b;
    return (x->value > y->value) - (x->value < y->value);
}

static const struct dimension *sort_dim;

static int
by_name(const void *a, const void *b)
{
    return strcmp(sort_dim->names[*(const int *)a],
                  sort_dim->names[*(const int *)b]);
}

static int
hidden(const struct seg *g)
{
    return g->state != SHOWN;
}

/* One construct's segments: per dimension (ctx.ndims) and the overall
 * figure (index ndims, one segment). */
struct table {
    struct seg **s;  /* ndims + 1 */
    int *nseg;       /* ndims + 1 */
    int **order;     /* by name */
    size_t ndims;
};

/* Rule 2 on dimension d: complementary suppression, and the remainder
 * against the overall figure. Returns the segments it suppressed. */
static long
complementary(struct table *t, size_t d, int min_group)
{
    struct seg *s = t->s[d];
    const struct seg *all = &t->s[t->ndims][0];
    long count = 0;
    for (;;) {
        long hid = 0, shown = 0;
        for (int i = 0; i < t->nseg[d]; i++) {
            if (!s[i].n)
                continue;
            if (hidden(&s[i]))
                hid += s[i].n;
            else
                shown += s[i].n;
        }
        long rem = hidden(all) ? 0 : all->n - shown;
        if (!((hid >= 1 && hid < min_group) || (rem >= 1 && rem < min_group)))
            break;
        int pick = -1;
        for (int k = 0; k < t->nseg[d]; k++) {
            int i = t->order[d][k];
            if (s[i].n > 0 && !hidden(&s[i]) && (pick < 0 || s[i].n < s[pick].n))
                pick = i;
        }
        if (pick < 0)
            break;
        s[pick].state = COMPLEMENTARY;
        count++;
    }
    return count;
}

/* The system of rule 3 for one construct: this run's segments (one
 * family per dimension and one for the overall figure) and every earlier
 * published view's (fixed). */
struct system {
    struct disclosure d;
    struct disclosure_set *sets;
    size_t nsets, cap;
    int64_t *person;
    int32_t *member;
};

static int
system_set(struct system *y, int family, int fixed, int shown, int dim_order,
           int name_order)
{
    if (y->nsets == y->cap) {
        y->cap = y->cap ? y->cap * 2 : 64;
        y->sets = tether_xrealloc(y->sets, y->cap * sizeof(*y->sets));
    }
    struct disclosure_set *x = &y->sets[y->nsets];
    memset(x, 0, sizeof(*x));
    x->family = family;
    x->fixed = fixed;
    x->shown = shown;
    x->dim_order = dim_order;
    x->name_order = name_order;
    return (int)y->nsets++;
}

/* A unit of the system: an answer of this run (src 0) or of view src-1. */
struct unit {
    int64_t pid, rid;
    int32_t src, person;
};

static int
unit_cmp(const void *a, const void *b)
{
    const struct unit *x = a, *y = b;
    if (x->pid != y->pid)
        return (x->pid > y->pid) - (x->pid < y->pid);
    if (x->rid != y->rid)
        return (x->rid > y->rid) - (x->rid < y->rid);
    return (x->src > y->src) - (x->src < y->src);
}

/* The shown state of a view's segment, from its stored result: 1 shown,
 * 0 not, -1 not published at all. */
static int
view_shown(const struct view *v, const char *construct, const char *dim,
           const char *segment)
{
    size_t i;
    json_t *e;
    json_array_foreach(v->entries, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "construct")),
                   construct) ||
            strcmp(json_string_value(json_object_get(e, "dimension")), dim) ||
            strcmp(json_string_value(json_object_get(e, "segment")), segment))
            continue;
        return !json_is_true(json_object_get(e, "suppressed")) &&
               !json_is_true(json_object_get(e, "homogeneous"));
    }
    return -1;
}

/* The sets of the system: this run's segments (one family per dimension
 * and one for the overall figure), then every view's, fixed, with
 * vset[view][dim][segment] their index or -1 and vfam[view] the view's
 * first family. Returns the number of families. */
static size_t
system_sets(struct system *y, struct table *t, const char *construct,
            const struct view *views, size_t nviews, int ****vset,
            size_t **vfam)
{
    for (size_t d = 0; d <= t->ndims; d++)
        for (int k = 0; k < t->nseg[d]; k++) {
            int i = t->order[d][k];
            struct seg *g = &t->s[d][i];
            g->set = -1;
            if (!g->n)
                continue;
            g->set = system_set(y, (int)d, 0, !hidden(g), (int)d, k);
            y->sets[g->set].overall = d == t->ndims;
        }
    size_t nfam = t->ndims + 1;
    *vset = tether_xcalloc(nviews + 1, sizeof(**vset));
    *vfam = tether_xcalloc(nviews + 1, sizeof(**vfam));
    for (size_t v = 0; v < nviews; v++) {
        const struct view *w = &views[v];
        (*vfam)[v] = nfam;
        (*vset)[v] = tether_xcalloc(w->ndims + 1, sizeof(***vset));
        for (size_t d = 0; d <= w->ndims; d++) {
            int nseg = d < w->ndims ? w->dims[d].n : 1;
            int *x = tether_xcalloc((size_t)nseg + 1, sizeof(int));
            for (int i = 0; i < nseg; i++) {
                int sh = d < w->ndims
                             ? view_shown(w, construct, w->dims[d].name,
                                          w->dims[d].names[i])
                             : view_shown(w, construct, "all", "all");
                x[i] = sh < 0 ? -1
                              : system_set(y, (int)(nfam + d), 1, sh, 0, i);
            }
            (*vset)[v][d] = x;
        }
        nfam += w->ndims + 1;
    }
    return nfam;
}

/* The units of the system and their sets: this run's answers and the
 * views', one unit per answer identity. */
static void
system_units(struct system *y, struct ctx *c, const struct table *t,
             const char *construct, const struct answer *a, size_t na,
             const struct view *views, size_t nviews, int ***vset,
             const size_t *vfam, size_t nfam)
{
    int code = tether_vocab_find(tether_construct_names,
                                 TETHER_CONSTRUCT_COUNT, construct);
    size_t nu = na;
    for (size_t v = 0; v < nviews; v++)
        for (size_t k = 0; k < views[v].nanswers; k++)
            nu += views[v].answers[k].construct == code;
    struct unit *u = tether_xmalloc((nu ? nu : 1) * sizeof(*u));
    size_t n = 0;
    for (size_t k = 0; k < na; k++)
        u[n++] = (struct unit){c->people[a[k].person].id, a[k].rid, 0,
                               a[k].person};
    for (size_t v = 0; v < nviews; v++)
        for (size_t k = 0; k < views[v].nanswers; k++) {
            const struct view_answer *x = &views[v].answers[k];
            if (x->construct == code)
                u[n++] = (struct unit){c->people[x->person].id, x->rid,
                                       (int32_t)v + 1, x->person};
        }
    /* This run's answers come sorted by respondent: sorting is needed
     * only to merge the views' own answers with them. */
    if (n > na)
        qsort(u, n, sizeof(*u), unit_cmp);
    y->person = tether_xmalloc((n ? n : 1) * sizeof(*y->person));
    y->member = tether_xmalloc((n ? n : 1) * nfam * sizeof(*y->member));
    size_t m = 0;
    for (size_t k = 0; k < n; m++) {
        int32_t *row = y->member + m * nfam;
        for (size_t f = 0; f < nfam; f++)
            row[f] = -1;
        y->person[m] = u[k].pid;
        size_t e = k;
        for (; e < n && u[e].pid == u[k].pid && u[e].rid == u[k].rid; e++) {
            int32_t src = u[e].src, p = u[e].person;
            if (src == 0) {
                for (size_t d = 0; d < t->ndims; d++)
                    row[d] = t->s[d][c->people[p].seg[d]].set;
                row[t->ndims] = t->s[t->ndims][0].set;
            }
            /* This run's answers are also those of every view holding
             * the same ones; a view's own answers are of that view. */
            for (size_t v = src ? (size_t)src - 1 : 0;
                 v < (src ? (size_t)src : nviews); v++) {
                const struct view *w = &views[v];
                if (!src && !w->same_answers)
                    continue;
                for (size_t d = 0; d < w->ndims; d++) {
                    int32_t sg = w->seg[(size_t)p * w->ndims + d];
                    row[vfam[v] + d] = sg < 0 ? -1 : vset[v][d][sg];
                }
                row[vfam[v] + w->ndims] = vset[v][w->ndims][0];
            }
        }
        k = e;
    }
    free(u);
    y->d.nunits = m;
}

/* Rule 3 for one construct: returns the segments it suppressed, or -1
 * with c->errbuf set. */
static long
differencing(struct ctx *c, struct table *t, const char *construct,
             const struct answer *a, size_t na, const struct view *views,
             size_t nviews, struct disclosure_counts *counts)
{
    struct system y;
    memset(&y, 0, sizeof(y));
    int ***vset;
    size_t *vfam;
    size_t nfam = system_sets(&y, t, construct, views, nviews, &vset, &vfam);
    system_units(&y, c, t, construct, a, na, views, nviews, vset, vfam, nfam);
    y.d.min_group = c->p->min_group;
    y.d.nfam = nfam;
    y.d.nsets = y.nsets;
    y.d.person = y.person;
    y.d.member = y.member;
    y.d.sets = y.sets;
    long done = 0;
    if (disclosure_apply(&y.d)) {
        snprintf(c->errbuf, TETHER_ERRBUF,
                 "%s: %zu survey segments over %zu cells of answers are "
                 "more than the differencing rule can check exactly here; "
                 "segment by dimensions with fewer values",
                 construct, y.nsets, y.d.cells);
        done = -1;
        goto out;
    }
    counts->warnings += y.d.warnings;
    counts->inexact += y.d.inexact;
    for (size_t d = 0; d <= t->ndims; d++)
        for (int i = 0; i < t->nseg[d]; i++) {
            struct seg *g = &t->s[d][i];
            if (g->set >= 0 && !hidden(g) && !y.sets[g->set].shown) {
                g->state = DIFFERENCING;
                done++;
            }
        }
out:
    for (size_t v = 0; v < nviews; v++) {
        for (size_t d = 0; d <= views[v].ndims; d++)
            free(vset[v][d]);
        free(vset[v]);
    }
    free(vset);
    free(vfam);
    free(y.person);
    free(y.member);
    free(y.sets);
    return done;
}

/* SPEC 3.3: the Net Promoter Score of a segment's answers (points, -100
 * to 100) beside the three shares it is made of. */
static void
nps_json(json_t *o, const struct seg *g)
{
    double n = (double)g->answers;
    double p = g->answers ? (double)g->promoters / n : NAN;
    double d = g->answers ? (double)g->detractors / n : NAN;
    jset(o, TETHER_M_NPS, jnum(100.0 * (p - d)));
    jset(o, TETHER_M_PROMOTERS, jnum(p));
    jset(o, TETHER_M_PASSIVES, jnum(1.0 - p - d));
    jset(o, TETHER_M_DETRACTORS, jnum(d));
}

/* SPEC 3.3: remote's NPS minus office's, with its 95% interval from each
 * side's variance of the promoter-minus-detractor score,
 * (p + d - (p - d)^2) / answers. */
static void
nps_diff_json(json_t *o, const struct seg *x, const struct seg *y)
{
    double diff = NAN, half = NAN;
    if (x->answers && y->answers) {
        double nx = (double)x->answers, ny = (double)y->answers;
        double px = (double)x->promoters / nx, dx = (double)x->detractors / nx;
        double py = (double)y->promoters / ny, dy = (double)y->detractors / ny;
        double vx = (px + dx - (px - dx) * (px - dx)) / nx;
        double vy = (py + dy - (py - dy) * (py - dy)) / ny;
        diff = 100.0 * ((px - dx) - (py - dy));
        half = 100.0 * 1.96 * sqrt(vx + vy);
    }
    jset(o, TETHER_M_NPS_DIFF, jnum(diff));
    jset(o, TETHER_M_NPS_DIFF_CI_LOW, jnum(diff - half));
    jset(o, TETHER_M_NPS_DIFF_CI_HIGH, jnum(diff + half));
}

static json_t *
seg_json(const char *construct, const char *dim, const char *name,
         const struct seg *g)
{
    json_t *o = json_object();
    jset(o, TETHER_M_CONSTRUCT, json_string(construct));
    jset(o, TETHER_M_DIMENSION, json_string(dim));
    jset(o, TETHER_M_SEGMENT, json_string(name));
    jset(o, TETHER_M_SUPPRESSED,
                        json_boolean(hidden(g) && g->state != HOMOGENEOUS));
    if (g->state == HOMOGENEOUS) {
        /* Rule 5: the one scale point would be every member's answer. */
        jset(o, TETHER_M_HOMOGENEOUS, json_true());
        jset(o, TETHER_M_N, json_integer(g->n));
        return o;
    }
    if (hidden(g))
        return o;
    jset(o, TETHER_M_N, json_integer(g->n));
    jset(o, TETHER_M_ANSWERS, json_integer(g->answers));
    jset(o, TETHER_M_MEAN, jnum(g->mean));
    jset(o, TETHER_M_SD, jnum(g->answers > 1 ? g->sd : NAN));
    double lo = NAN, hi = NAN;
    if (g->answers > 1) {
        double h = stats_t_quantile(0.975, (double)(g->answers - 1)) * g->sd /
                   sqrt((double)g->answers);
        lo = g->mean - h;
        hi = g->mean + h;
    }
    jset(o, TETHER_M_CI_LOW, jnum(lo));
    jset(o, TETHER_M_CI_HIGH, jnum(hi));
    jset(o, TETHER_M_FAVOURABLE,
                        jnum(g->fav_known ? (double)g->fav /
                                                (double)g->fav_known
                                          : NAN));
    json_t *counts = json_object();
    for (size_t i = 0; i < g->npoints; i++) {
        char key[32];
        snprintf(key, sizeof(key), "%g", g->points[i].value);
        json_object_set_new(counts, key, json_integer(g->points[i].count));
    }
    jset(o, TETHER_M_COUNTS, counts);
    if (strcmp(construct, tether_construct_names[TETHER_CONSTRUCT_NPS]) == 0)
        nps_json(o, g);
    return o;
}

/* The figures of every segment of dimension d (ndims: overall) over the
 * answers a[0..na), sorted by person. */
static void
seg_figures(struct ctx *c, struct table *t, size_t d, const struct answer *a,
            size_t na, double lo, double hi, int prefill)
{
    struct seg *s = t->s[d];
    int64_t last = -1;
    for (size_t i = 0; i < na; i++) {
        struct seg *g = &s[d < t->ndims ? c->people[a[i].person].seg[d] : 0];
        if (a[i].person != last || i == 0)
            g->n++;
        last = a[i].person;
        if (prefill && !g->npoints)
            for (double v = lo; v <= hi; v++)
                add_point(g, v, 0);
        g->answers++;
        g->sum += a[i].value;
        add_point(g, a[i].value, 1);
        if (isfinite(a[i].smax)) {
            g->fav_known++;
            g->fav += a[i].value >= a[i].smax - 1;
        }
        g->promoters += a[i].value >= 9;
        g->detractors += a[i].value <= 6;
    }
    for (int k = 0; k < t->nseg[d]; k++)
        if (s[k].answers)
            s[k].mean = s[k].sum / (double)s[k].answers;
    for (size_t i = 0; i < na; i++) {
        struct seg *g = &s[d < t->ndims ? c->people[a[i].person].seg[d] : 0];
        g->ss += (a[i].value - g->mean) * (a[i].value - g->mean);
    }
    for (int k = 0; k < t->nseg[d]; k++) {
        struct seg *g = &s[k];
        if (g->answers > 1)
            g->sd = sqrt(g->ss / (double)(g->answers - 1));
        if (g->npoints) /* qsort's array may not be NULL, even empty */
            qsort(g->points, g->npoints, sizeof(struct point), by_value);
        int used = 0;
        for (size_t p = 0; p < g->npoints; p++)
            used += g->points[p].count > 0;
        if (g->n && g->n < c->p->min_group)
            g->state = SMALL;
        else if (g->n && used == 1)
            g->state = HOMOGENEOUS;
    }
}

static json_t *
comparison_json(const char *construct, const struct seg *x,
                const struct seg *y)
{
    json_t *o = json_object();
    jset(o, TETHER_M_CONSTRUCT, json_string(construct));
    jset(o, TETHER_M_DIMENSION, json_string(TETHER_DIM_WORK_MODE));
    jset(o, TETHER_M_SEGMENT,
         json_string(tether_mode_names[TETHER_MODE_REMOTE]));
    jset(o, TETHER_M_REFERENCE,
         json_string(tether_mode_names[TETHER_MODE_OFFICE]));
    /* Rule 4: a comparison with a suppressed side is suppressed. */
    int hide = hidden(x) || hidden(y);
    jset(o, TETHER_M_SUPPRESSED, json_boolean(hide));
    if (hide)
        return o;
    double p = NAN, dd = NAN;
    if (x->answers > 1 && y->answers > 1) {
        p = stats_welch(x->mean, x->sd, x->answers, y->mean, y->sd,
                        y->answers, NULL, NULL);
        dd = stats_cohens_d(x->mean, x->sd, x->answers, y->mean, y->sd,
                            y->answers);
    }
    jset(o, TETHER_M_DIFF, jnum(x->mean - y->mean));
    jset(o, TETHER_M_P_VALUE, jnum(p));
    jset(o, TETHER_M_COHENS_D, jnum(dd));
    if (strcmp(construct, tether_construct_names[TETHER_CONSTRUCT_NPS]) == 0)
        nps_diff_json(o, x, y);
    return o;
}

static double
cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One construct: answers a[0..na) sorted by person. 0, or -1 with
 * c->errbuf set. */
static int
construct_build(struct ctx *c, struct period_run *r, const char *construct,
                const struct answer *a, size_t na, const struct view *views,
                size_t nviews, json_t *list, json_t *comparisons,
                struct disclosure_counts *counts)
{
    /* The construct's integer scale points, listed even when unanswered. */
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < na; i++) {
        if (isfinite(a[i].smin) && a[i].smin < lo)
            lo = a[i].smin;
        if (isfinite(a[i].smax) && a[i].smax > hi)
            hi = a[i].smax;
    }
    int prefill = isfinite(lo) && isfinite(hi) && lo == floor(lo) &&
                  hi == floor(hi) && hi - lo <= 20;
    int rc = 0;
    struct table t;
    t.ndims = c->ndims;
    t.s = tether_xcalloc(t.ndims + 1, sizeof(*t.s));
    t.nseg = tether_xcalloc(t.ndims + 1, sizeof(*t.nseg));
    t.order = tether_xcalloc(t.ndims + 1, sizeof(*t.order));
    for (size_t d = 0; d <= t.ndims; d++) {
        t.nseg[d] = d < t.ndims ? r->dims[d].n : 1;
        t.s[d] = tether_xcalloc((size_t)t.nseg[d] + 1, sizeof(**t.s));
        t.order[d] = tether_xcalloc((size_t)t.nseg[d] + 1, sizeof(int));
        for (int i = 0; i < t.nseg[d]; i++)
            t.order[d][i] = i;
        if (d < t.ndims) {
            sort_dim = &r->dims[d];
            qsort(t.order[d], (size_t)t.nseg[d], sizeof(int), by_name);
        }
        seg_figures(c, &t, d, a, na, lo, hi, prefill);
        for (int i = 0; i < t.nseg[d]; i++)
            counts->homogeneous += t.s[d][i].state == HOMOGENEOUS;
    }
    /* Rules 2 and 3 until neither suppresses more: a segment that rule 3
     * hides can leave a complement that rule 2 must hide in turn. */
    for (;;) {
        for (size_t d = 0; d < t.ndims; d++)
            counts->complementary += complementary(&t, d, c->p->min_group);
        double t0 = cpu_seconds();
        long more = differencing(c, &t, construct, a, na, views, nviews,
                                 counts);
        counts->seconds += cpu_seconds() - t0;
        if (more < 0) {
            rc = -1;
            goto out;
        }
        counts->differencing += more;
        if (!more)
            break;
    }
    json_array_append_new(list,
                          seg_json(construct, "all", "all", &t.s[t.ndims][0]));
    int remote = -1, office = -1;
    for (size_t d = 0; d < t.ndims; d++) {
        struct dimension *dim = &r->dims[d];
        for (int k = 0; k < t.nseg[d]; k++) {
            int i = t.order[d][k];
            if (!t.s[d][i].n)
                continue;
            json_array_append_new(
                list, seg_json(construct, dim->name, dim->names[i], &t.s[d][i]));
            if (d == 0 && strcmp(dim->names[i], tether_mode_names[TETHER_MODE_REMOTE]) == 0)
                remote = i;
            if (d == 0 && strcmp(dim->names[i], tether_mode_names[TETHER_MODE_OFFICE]) == 0)
                office = i;
        }
    }
    if (remote >= 0 && office >= 0)
        json_array_append_new(comparisons,
                              comparison_json(construct, &t.s[0][remote],
                                              &t.s[0][office]));
out:
    for (size_t d = 0; d <= t.ndims; d++) {
        for (int i = 0; i < t.nseg[d]; i++)
            free(t.s[d][i].points);
        free(t.s[d]);
        free(t.order[d]);
    }
    free(t.s);
    free(t.nseg);
    free(t.order);
    return rc;
}

/* A question's construct (its rank among the constructs' names) and
 * scale. */
struct question {
    int64_t id;
    int32_t construct;
    double smin, smax; /* NAN when unknown */
};

static int
question_by_id(const void *a, const void *b)
{
    const struct question *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static int
name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The order the answers are taken in: by construct, respondent, then
 * submission time and response id (the order SQLite's sorter kept for
 * "ORDER BY q.construct, r.respondent" over the responses_time index,
 * which this replaced: the same order, so the same sums). */
static int
answer_order(const void *a, const void *b)
{
    const struct answer *x = a, *y = b;
    if (x->construct != y->construct)
        return (x->construct > y->construct) - (x->construct < y->construct);
    if (x->pid != y->pid)
        return (x->pid > y->pid) - (x->pid < y->pid);
    if (x->ts != y->ts)
        return (x->ts > y->ts) - (x->ts < y->ts);
    return (x->rid > y->rid) - (x->rid < y->rid);
}

static void
names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* The questions, sorted by id, with their constructs' names interned in
 * *names (sorted, as SQLite's BINARY collation sorts them). */
static int
questions_load(struct ctx *c, struct question **qs, size_t *nq, char ***names,
               size_t *nnames)
{
    sqlite3_stmt *st;
    if (tether_db_prepare(c->db,
                          "SELECT id, construct, scale_min, scale_max FROM "
                          "questions ORDER BY id",
                          &st, c->errbuf))
        return -1;
    struct question *q = NULL;
    char **qname = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            q = tether_xrealloc(q, cap * sizeof(*q));
            qname = tether_xrealloc(qname, cap * sizeof(*qname));
        }
        q[n].id = sqlite3_column_int64(st, 0);
        qname[n] = tether_xstrdup((const char *)sqlite3_column_text(st, 1));
        q[n].smin = sqlite3_column_type(st, 2) == SQLITE_NULL
                        ? NAN
                        : sqlite3_column_double(st, 2);
        q[n].smax = sqlite3_column_type(st, 3) == SQLITE_NULL
                        ? NAN
                        : sqlite3_column_double(st, 3);
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(c->errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(c->db));
        names_free(qname, n);
        free(q);
        return -1;
    }
    /* The distinct names, sorted; each question keeps the rank of its. */
    char **u = tether_xmalloc((n ? n : 1) * sizeof(*u));
    if (n) { /* qname is NULL when there are no questions */
        memcpy(u, qname, n * sizeof(*u));
        qsort(u, n, sizeof(*u), name_cmp);
    }
    size_t nu = 0;
    for (size_t i = 0; i < n; i++)
        if (!nu || strcmp(u[nu - 1], u[i]) != 0)
            u[nu++] = u[i];
    for (size_t i = 0; i < nu; i++)
        u[i] = tether_xstrdup(u[i]);
    for (size_t i = 0; i < n; i++) {
        char **hit = bsearch(&qname[i], u, nu, sizeof(*u), name_cmp);
        q[i].construct = (int32_t)(hit - u);
    }
    names_free(qname, n);
    *qs = q;
    *nq = n;
    *names = u;
    *nnames = nu;
    return 0;
}

/* The statement that reads the period's answers: through the time
 * index, or by a scan of the whole table when they are more than a fifth
 * of it: each row the index finds is a look-up in the table, several
 * times the cost of reading it in a scan (a million answers of one
 * quarter took 1.2 s through the index and 0.2 s in a scan). The index
 * only counts them here, and stops at the fifth. Either way the answers
 * are sorted after, so the order they come in changes nothing. 0, or -1
 * with c->errbuf. */
static int
answers_prepare(struct ctx *c, const struct period_run *r, sqlite3_stmt **out)
{
    int64_t total = 0, some = 0;
    sqlite3_stmt *st;
    if (tether_db_int64(c->db, "SELECT coalesce(max(id), 0) FROM responses",
                        &total, c->errbuf) ||
        tether_db_prepare(c->db,
                          "SELECT count(*) FROM (SELECT 1 FROM responses "
                          "WHERE submitted_at >= ?1 AND submitted_at < ?2 "
                          "LIMIT ?3)",
                          &st, c->errbuf))
        return -1;
    sqlite3_bind_int64(st, 1, r->start_ts);
    sqlite3_bind_int64(st, 2, r->end_ts);
    sqlite3_bind_int64(st, 3, total / 5 + 1);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        some = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
        snprintf(c->errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    if (tether_db_prepare(
            c->db,
            some > total / 5
                ? "SELECT question, respondent, value, submitted_at, id FROM "
                  "responses NOT INDEXED WHERE value IS NOT NULL AND "
                  "submitted_at >= ?1 AND submitted_at < ?2"
                : "SELECT question, respondent, value, submitted_at, id FROM "
                  "responses WHERE value IS NOT NULL AND submitted_at >= ?1 "
                  "AND submitted_at < ?2",
            out, c->errbuf))
        return -1;
    sqlite3_bind_int64(*out, 1, r->start_ts);
    sqlite3_bind_int64(*out, 2, r->end_ts);
    return 0;
}

int
surveys_build(struct ctx *c, struct period_run *r, json_t **surveys,
              json_t **comparisons, struct disclosure_counts *counts)
{
    /* The questions are a few rows: joined here rather than in SQL, so
     * the responses are read alone, only the columns used, and sorted
     * once in memory instead of through SQLite's sorter. */
    struct question *qs;
    size_t nq, nnames;
    char **names;
    if (questions_load(c, &qs, &nq, &names, &nnames))
        return -1;
    sqlite3_stmt *st;
    if (answers_prepare(c, r, &st)) {
        names_free(names, nnames);
        free(qs);
        return -1;
    }
    struct answer *a = NULL;
    size_t na = 0, cap = 0;
    const struct question *last = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t pid = sqlite3_column_int64(st, 1);
        if (pid < 0 || pid > c->max_person_id || c->by_id[pid] < 0)
            continue;
        /* Answers come in runs of one question, mostly. */
        struct question key = {.id = sqlite3_column_int64(st, 0)};
        if (!last || last->id != key.id)
            last = nq ? bsearch(&key, qs, nq, sizeof(*qs), question_by_id)
                      : NULL;
        if (!last)
            continue; /* no such question: the join dropped it */
        if (na == cap) {
            cap = cap ? cap * 2 : 1024;
            a = tether_xrealloc(a, cap * sizeof(*a));
        }
        struct answer *x = &a[na++];
        x->construct = last->construct;
        x->person = c->by_id[pid];
        x->pid = pid;
        x->ts = sqlite3_column_int64(st, 3);
        x->rid = sqlite3_column_int64(st, 4);
        x->value = sqlite3_column_double(st, 2);
        x->smin = last->smin;
        x->smax = last->smax;
    }
    sqlite3_finalize(st);
    free(qs);
    if (rc != SQLITE_DONE) {
        snprintf(c->errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(c->db));
        names_free(names, nnames);
        free(a);
        return -1;
    }
    if (na)
        qsort(a, na, sizeof(*a), answer_order);
    struct view *views = NULL;
    size_t nviews = 0;
    double t0 = cpu_seconds();
    if (views_load(c, &r->period, &views, &nviews)) {
        names_free(names, nnames);
        free(a);
        return -1;
    }
    counts->seconds += cpu_seconds() - t0;
    counts->views += (long)nviews;
    *surveys = json_array();
    *comparisons = json_array();
    for (size_t i = 0; i < na;) {
        size_t j = i;
        while (j < na && a[j].construct == a[i].construct)
            j++;
        if (construct_build(c, r, names[a[i].construct], a + i, j - i, views,
                            nviews, *surveys, *comparisons, counts)) {
            views_free(views, nviews);
            names_free(names, nnames);
            free(a);
            json_decref(*surveys);
            json_decref(*comparisons);
            *surveys = *comparisons = NULL;
            return -1;
        }
        i = j;
    }
    views_free(views, nviews);
    names_free(names, nnames);
    free(a);
    return 0;
}
