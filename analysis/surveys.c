/* surveys.c - SPEC 3.3: survey constructs by segment with small-group and
 * complementary suppression, and remote against office comparisons.
 *
 * A respondent who gave several answers to one construct in the period
 * (several questions, or several surveys) counts once: n, mean, sd and the
 * interval are over respondents' mean scores, so the t-based figures rest
 * on independent observations. favourable, counts and nps are over the
 * answers themselves. */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "tether/db.h"
#include "tether/util.h"

struct answer {
    char construct[16];
    int32_t person;
    double value, smin, smax; /* NAN when the scale is unknown */
};

struct point {
    double value;
    long count;
};

struct seg {
    long n; /* respondents */
    double sum, ss, mean, sd;
    long answers, fav_known, fav, promoters, detractors;
    struct point *points;
    size_t npoints;
    int suppressed;
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

/* Small-group suppression, then complementary suppression. order holds
 * the segments by name. */
static void
suppress(struct seg *s, const int *order, int nseg, int min_group)
{
    long hidden = 0;
    int any = 0;
    for (int i = 0; i < nseg; i++)
        if (s[i].n > 0 && s[i].n < min_group) {
            s[i].suppressed = 1;
            hidden += s[i].n;
            any = 1;
        }
    while (any && hidden < min_group) {
        int pick = -1;
        for (int k = 0; k < nseg; k++) {
            int i = order[k];
            if (s[i].n > 0 && !s[i].suppressed &&
                (pick < 0 || s[i].n < s[pick].n))
                pick = i;
        }
        if (pick < 0)
            break;
        s[pick].suppressed = 1;
        hidden += s[pick].n;
    }
}

static json_t *
seg_json(const char *construct, const char *dim, const char *name,
         const struct seg *g)
{
    json_t *o = json_object();
    jset(o, TETHER_M_CONSTRUCT, json_string(construct));
    jset(o, TETHER_M_DIMENSION, json_string(dim));
    jset(o, TETHER_M_SEGMENT, json_string(name));
    jset(o, TETHER_M_SUPPRESSED, json_boolean(g->suppressed));
    if (g->suppressed)
        return o;
    jset(o, TETHER_M_N, json_integer(g->n));
    jset(o, TETHER_M_MEAN, jnum(g->mean));
    jset(o, TETHER_M_SD, jnum(g->n > 1 ? g->sd : NAN));
    double lo = NAN, hi = NAN;
    if (g->n > 1) {
        double h = stats_t_quantile(0.975, (double)(g->n - 1)) * g->sd /
                   sqrt((double)g->n);
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
        jset(
            o, TETHER_M_NPS,
            jnum(g->answers ? 100.0 * (double)(g->promoters - g->detractors) /
                                  (double)g->answers
                            : NAN));
    return o;
}

/* One construct: answers a[0..na) sorted by person. */
static void
construct_build(struct ctx *c, struct period_run *r, const struct answer *a,
                size_t na, json_t *list, json_t *comparisons)
{
    const char *construct = a[0].construct;
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
    for (size_t d = 0; d < c->ndims; d++) {
        struct dimension *dim = &r->dims[d];
        int nseg = dim->n;
        struct seg *s = tether_xcalloc((size_t)nseg + 1, sizeof(*s));
        /* Respondents' scores: mean of their answers. */
        for (int pass = 0; pass < 2; pass++) {
            for (size_t i = 0; i < na;) {
                size_t j = i;
                double sum = 0;
                while (j < na && a[j].person == a[i].person)
                    sum += a[j++].value;
                double score = sum / (double)(j - i);
                struct seg *g = &s[c->people[a[i].person].seg[d]];
                if (pass == 0) {
                    g->n++;
                    g->sum += score;
                } else {
                    g->ss += (score - g->mean) * (score - g->mean);
                }
                i = j;
            }
            for (int k = 0; k < nseg; k++) {
                if (pass == 0 && s[k].n)
                    s[k].mean = s[k].sum / (double)s[k].n;
                if (pass == 1 && s[k].n > 1)
                    s[k].sd = sqrt(s[k].ss / (double)(s[k].n - 1));
            }
        }
        for (size_t i = 0; i < na; i++) {
            struct seg *g = &s[c->people[a[i].person].seg[d]];
            if (prefill && !g->npoints)
                for (double v = lo; v <= hi; v++)
                    add_point(g, v, 0);
            g->answers++;
            add_point(g, a[i].value, 1);
            if (isfinite(a[i].smax)) {
                g->fav_known++;
                g->fav += a[i].value >= a[i].smax - 1;
            }
            g->promoters += a[i].value >= 9;
            g->detractors += a[i].value <= 6;
        }
        int *order = tether_xcalloc((size_t)nseg + 1, sizeof(int));
        for (int i = 0; i < nseg; i++)
            order[i] = i;
        sort_dim = dim;
        qsort(order, (size_t)nseg, sizeof(int), by_name);
        suppress(s, order, nseg, c->p->min_group);
        int remote = -1, office = -1;
        for (int k = 0; k < nseg; k++) {
            int i = order[k];
            if (!s[i].n)
                continue;
            qsort(s[i].points, s[i].npoints, sizeof(struct point), by_value);
            json_array_append_new(
                list, seg_json(construct, dim->name, dim->names[i], &s[i]));
            if (d == 0 && strcmp(dim->names[i], tether_mode_names[TETHER_MODE_REMOTE]) == 0)
                remote = i;
            if (d == 0 && strcmp(dim->names[i], tether_mode_names[TETHER_MODE_OFFICE]) == 0)
                office = i;
        }
        if (remote >= 0 && office >= 0) {
            json_t *o = json_object();
            jset(o, TETHER_M_CONSTRUCT, json_string(construct));
            jset(o, TETHER_M_DIMENSION, json_string(TETHER_DIM_WORK_MODE));
            jset(o, TETHER_M_SEGMENT, json_string(tether_mode_names[TETHER_MODE_REMOTE]));
            jset(o, TETHER_M_REFERENCE, json_string(tether_mode_names[TETHER_MODE_OFFICE]));
            int hide = s[remote].suppressed || s[office].suppressed;
            jset(o, TETHER_M_SUPPRESSED, json_boolean(hide));
            if (!hide) {
                const struct seg *x = &s[remote], *y = &s[office];
                double p = NAN, dd = NAN;
                if (x->n > 1 && y->n > 1) {
                    p = stats_welch(x->mean, x->sd, x->n, y->mean, y->sd,
                                    y->n, NULL, NULL);
                    dd = stats_cohens_d(x->mean, x->sd, x->n, y->mean,
                                        y->sd, y->n);
                }
                jset(o, TETHER_M_DIFF, jnum(x->mean - y->mean));
                jset(o, TETHER_M_P_VALUE, jnum(p));
                jset(o, TETHER_M_COHENS_D, jnum(dd));
            }
            json_array_append_new(comparisons, o);
        }
        for (int i = 0; i < nseg; i++)
            free(s[i].points);
        free(s);
        free(order);
    }
}

int
surveys_build(struct ctx *c, struct period_run *r, json_t **surveys,
              json_t **comparisons)
{
    sqlite3_stmt *st;
    if (tether_db_prepare(
            c->db,
            "SELECT q.construct, r.respondent, r.value, q.scale_min, "
            "q.scale_max FROM responses r JOIN questions q ON q.id = "
            "r.question WHERE r.value IS NOT NULL AND r.submitted_at >= ?1 "
            "AND r.submitted_at < ?2 ORDER BY q.construct, r.respondent",
            &st, c->errbuf))
        return -1;
    sqlite3_bind_int64(st, 1, r->start_ts);
    sqlite3_bind_int64(st, 2, r->end_ts);
    struct answer *a = NULL;
    size_t na = 0, cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t pid = sqlite3_column_int64(st, 1);
        if (pid < 0 || pid > c->max_person_id || c->by_id[pid] < 0)
            continue;
        if (na == cap) {
            cap = cap ? cap * 2 : 1024;
            a = tether_xrealloc(a, cap * sizeof(*a));
        }
        struct answer *x = &a[na++];
        snprintf(x->construct, sizeof(x->construct), "%s",
                 (const char *)sqlite3_column_text(st, 0));
        x->person = c->by_id[pid];
        x->value = sqlite3_column_double(st, 2);
        x->smin = sqlite3_column_type(st, 3) == SQLITE_NULL
                      ? NAN
                      : sqlite3_column_double(st, 3);
        x->smax = sqlite3_column_type(st, 4) == SQLITE_NULL
                      ? NAN
                      : sqlite3_column_double(st, 4);
    }
    sqlite3_finalize(st);
    *surveys = json_array();
    *comparisons = json_array();
    for (size_t i = 0; i < na;) {
        size_t j = i;
        while (j < na && strcmp(a[j].construct, a[i].construct) == 0)
            j++;
        construct_build(c, r, a + i, j - i, *surveys, *comparisons);
        i = j;
    }
    free(a);
    return 0;
}
