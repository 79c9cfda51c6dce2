/* published.c - the survey segments of earlier published runs, recomputed
 * exactly as they were published (SPEC 3.3 rule 3): the answers and the
 * roster versions as they stood at the run's last import (superseded rows
 * are kept in the *_history tables, never overwritten), the respondents'
 * segments on that run's as_of, and which segments it showed (from its
 * stored result). A run's trend entries are published with it: each is a
 * view of its own period, by work mode. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tether/db.h"
#include "tether/timeutil.h"
#include "tether/util.h"

static void
view_free(struct view *v)
{
    for (size_t d = 0; d < v->ndims; d++) {
        free(v->dims[d].name);
        for (int i = 0; i < v->dims[d].n; i++)
            free(v->dims[d].names[i]);
        free(v->dims[d].names);
        strmap_free(&v->dims[d].map);
    }
    free(v->dims);
    free(v->seg);
    free(v->answers);
    json_decref(v->entries);
}

void
views_free(struct view *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        view_free(&v[i]);
    free(v);
}

/* The statement giving every roster version visible at import ?1 with
 * the value of one dimension, person by person, oldest first. */
static const char *
version_sql(const char *dim)
{
    if (strcmp(dim, "work_mode") == 0)
        return "SELECT person, valid_from, work_mode FROM person_versions "
               "WHERE coalesce(import_id, 0) <= ?1 UNION ALL "
               "SELECT person, valid_from, work_mode FROM "
               "person_versions_history WHERE coalesce(import_id, 0) <= ?1 "
               "AND superseded_by > ?1 ORDER BY 1, 2";
    if (strcmp(dim, "site") == 0)
        return "SELECT person, valid_from, site FROM person_versions "
               "WHERE coalesce(import_id, 0) <= ?1 UNION ALL "
               "SELECT person, valid_from, site FROM "
               "person_versions_history WHERE coalesce(import_id, 0) <= ?1 "
               "AND superseded_by > ?1 ORDER BY 1, 2";
    if (strcmp(dim, "department") == 0)
        return "SELECT person, valid_from, department FROM person_versions "
               "WHERE coalesce(import_id, 0) <= ?1 UNION ALL "
               "SELECT person, valid_from, department FROM "
               "person_versions_history WHERE coalesce(import_id, 0) <= ?1 "
               "AND superseded_by > ?1 ORDER BY 1, 2";
    return "SELECT v.person, v.valid_from, a.value FROM person_versions v "
           "LEFT JOIN person_attributes a ON a.version = v.id AND a.name = ?2 "
           "WHERE coalesce(v.import_id, 0) <= ?1 UNION ALL "
           "SELECT h.person, h.valid_from, a.value FROM "
           "person_versions_history h LEFT JOIN person_attributes_history a "
           "ON a.history = h.id AND a.name = ?2 WHERE "
           "coalesce(h.import_id, 0) <= ?1 AND h.superseded_by > ?1 "
           "ORDER BY 1, 2";
}

/* Every person's segment of dimension d of the view on its as_of: the
 * version in force then (the first one, for an earlier date). */
static int
view_segments(struct ctx *c, struct view *v, size_t d)
{
    struct dimension *dim = &v->dims[d];
    sqlite3_stmt *st;
    if (tether_db_prepare(c->db, version_sql(dim->name), &st, c->errbuf))
        return -1;
    sqlite3_bind_int64(st, 1, v->last_import);
    if (strcmp(dim->name, "work_mode") && strcmp(dim->name, "site") &&
        strcmp(dim->name, "department"))
        sqlite3_bind_text(st, 2, dim->name, -1, SQLITE_STATIC);
    char as_of[TETHER_DATE_LEN];
    tether_date_format(v->as_of, as_of);
    int64_t cur = -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t pid = sqlite3_column_int64(st, 0);
        if (pid < 0 || pid > c->max_person_id || c->by_id[pid] < 0)
            continue;
        const char *from = (const char *)sqlite3_column_text(st, 1);
        const char *val = (const char *)sqlite3_column_text(st, 2);
        int in_force = from && strcmp(from, as_of) <= 0;
        /* A person's first version stands until one is in force. */
        if (pid == cur && !in_force)
            continue;
        cur = pid;
        v->seg[(size_t)c->by_id[pid] * v->ndims + d] = dimension_segment(
            dim, val && *val ? val : UNKNOWN_SEGMENT);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(c->errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    return 0;
}

/* The answers the view's period held at its last import: current rows
 * unchanged since, and superseded rows that were current then. */
static int
view_answers(struct ctx *c, struct view *v, const char *org_tz)
{
    sqlite3_stmt *st;
    if (tether_db_prepare(
            c->db,
            "SELECT q.construct, r.respondent, r.id FROM responses r JOIN "
            "questions q ON q.id = r.question WHERE r.value IS NOT NULL AND "
            "r.submitted_at >= ?1 AND r.submitted_at < ?2 AND r.import_id "
            "<= ?3 UNION ALL SELECT q.construct, h.respondent, -h.id FROM "
            "responses_history h JOIN questions q ON q.id = h.question WHERE "
            "h.value IS NOT NULL AND h.submitted_at >= ?1 AND "
            "h.submitted_at < ?2 AND h.import_id <= ?3 AND h.superseded_by "
            "> ?3",
            &st, c->errbuf))
        return -1;
    sqlite3_bind_int64(st, 1, zone_midnight(org_tz, v->start));
    sqlite3_bind_int64(st, 2, zone_midnight(org_tz, v->end + 1));
    sqlite3_bind_int64(st, 3, v->last_import);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t pid = sqlite3_column_int64(st, 1);
        if (pid < 0 || pid > c->max_person_id || c->by_id[pid] < 0)
            continue;
        if (v->nanswers == cap) {
            cap = cap ? cap * 2 : 256;
            v->answers = tether_xrealloc(v->answers, cap * sizeof(*v->answers));
        }
        struct view_answer *a = &v->answers[v->nanswers++];
        a->construct = tether_vocab_find(
            tether_construct_names, TETHER_CONSTRUCT_COUNT,
            (const char *)sqlite3_column_text(st, 0));
        a->person = c->by_id[pid];
        a->rid = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(c->errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    return 0;
}

/* The newest import that added or corrected a roster version: a view
 * whose last import is at least that saw the roster as it is, and takes
 * its segments from the roster loaded for this run (the common case)
 * instead of reading the history. */
static int
newest_of(struct ctx *c, const char *current, const char *history,
          int64_t *newest)
{
    int64_t a = 0, b = 0;
    if (tether_db_int64(c->db, current, &a, c->errbuf) ||
        tether_db_int64(c->db, history, &b, c->errbuf))
        return -1;
    *newest = a > b ? a : b;
    return 0;
}

/* What changed since a view's last import decides how much of it must be
 * recomputed from the history. */
struct newest {
    int64_t roster, answers;
    const struct tether_period *period; /* this run's */
};

static int
view_fill(struct ctx *c, struct view *v, json_t *dims, const char *org_tz,
          const struct newest *nw)
{
    v->ndims = json_array_size(dims);
    v->dims = tether_xcalloc(v->ndims ? v->ndims : 1, sizeof(*v->dims));
    for (size_t d = 0; d < v->ndims; d++)
        v->dims[d].name =
            tether_xstrdup(json_string_value(json_array_get(dims, d)));
    v->seg = tether_xmalloc((c->npeople ? c->npeople : 1) * v->ndims *
                            sizeof(*v->seg) + 1);
    for (size_t i = 0; i < c->npeople * v->ndims; i++)
        v->seg[i] = -1;
    int same = nw->roster <= v->last_import;
    for (size_t d = 0; d < v->ndims; d++)
        if (same ? dimension_fill(c, &v->dims[d], v->as_of, v->seg,
                                  v->ndims, d)
                 : view_segments(c, v, d))
            return -1;
    /* The same period with no answer stored or corrected since: the view
     * holds exactly this run's answers (a report after an analysis, a
     * re-run after other imports), which need not be read again. */
    if (v->start == nw->period->start && v->end == nw->period->end &&
        strcmp(org_tz, c->p->org_tz) == 0 && nw->answers <= v->last_import) {
        v->same_answers = 1;
        return 0;
    }
    return view_answers(c, v, org_tz);
}

static int
overlaps(int32_t s1, int32_t e1, const struct tether_period *p)
{
    return s1 <= p->end && e1 >= p->start;
}

static int32_t
json_date(json_t *o, const char *key)
{
    int32_t d = NO_DATE;
    const char *s = json_string_value(json_object_get(o, key));
    if (!s || tether_date_parse(s, &d))
        return NO_DATE;
    return d;
}

static struct view *
view_add(struct view **v, size_t *n)
{
    *v = tether_xrealloc(*v, (*n + 1) * sizeof(**v));
    memset(&(*v)[*n], 0, sizeof(**v));
    return &(*v)[(*n)++];
}

/* One published run: its main period and each trend entry that overlaps
 * the period. */
static int
run_views(struct ctx *c, const struct tether_period *period, int64_t run,
          int64_t last_import, json_t *params, json_t *res,
          const struct newest *nw, struct view **v, size_t *n)
{
    const char *tz = json_string_value(json_object_get(params, "org_timezone"));
    if (!tz)
        tz = "UTC";
    json_t *p = json_object_get(res, "period");
    int32_t s = json_date(p, "start"), e = json_date(p, "end");
    if (s != NO_DATE && e != NO_DATE && overlaps(s, e, period)) {
        struct view *x = view_add(v, n);
        x->run = run;
        x->last_import = last_import;
        x->start = s;
        x->end = x->as_of = e;
        json_t *dims = json_array();
        json_array_append_new(dims, json_string("work_mode"));
        json_array_extend(dims, json_object_get(params, "by"));
        x->entries = json_incref(json_object_get(res, "surveys"));
        int rc = view_fill(c, x, dims, tz, nw);
        json_decref(dims);
        if (rc)
            return -1;
    }
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(res, "trend"), i, t)
    {
        p = json_object_get(t, "period");
        s = json_date(p, "start");
        e = json_date(p, "end");
        if (s == NO_DATE || e == NO_DATE || !overlaps(s, e, period))
            continue;
        /* The run's own period is its last trend entry: already a view. */
        if (i + 1 == json_array_size(json_object_get(res, "trend")))
            continue;
        struct view *x = view_add(v, n);
        x->run = run;
        x->last_import = last_import;
        x->start = s;
        x->end = x->as_of = e;
        /* survey_means entries carry no dimension: work_mode. */
        x->entries = json_array();
        size_t k;
        json_t *m;
        json_array_foreach(json_object_get(t, "survey_means"), k, m)
        {
            json_t *o = json_deep_copy(m);
            json_object_set_new(o, "dimension", json_string("work_mode"));
            json_array_append_new(x->entries, o);
        }
        json_t *dims = json_array();
        json_array_append_new(dims, json_string("work_mode"));
        int rc = view_fill(c, x, dims, tz, nw);
        json_decref(dims);
        if (rc)
            return -1;
    }
    return 0;
}

int
views_load(struct ctx *c, const struct tether_period *period,
           struct view **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    int64_t published = 0;
    if (tether_db_int64(c->db,
                        "SELECT count(*) FROM runs WHERE published = 1",
                        &published, c->errbuf))
        return -1;
    if (published == 0)
        return 0; /* nothing published: no history to read */
    struct newest nw = {0, 0, period};
    if (newest_of(c,
                  "SELECT coalesce(max(import_id), 0) FROM person_versions",
                  "SELECT coalesce(max(superseded_by), 0) FROM "
                  "person_versions_history",
                  &nw.roster) ||
        newest_of(c, "SELECT coalesce(max(import_id), 0) FROM responses",
                  "SELECT coalesce(max(superseded_by), 0) FROM "
                  "responses_history",
                  &nw.answers))
        return -1;
    sqlite3_stmt *st;
    if (tether_db_prepare(c->db,
                          "SELECT id, coalesce(last_import, 0), params, "
                          "result FROM runs WHERE published = 1 AND result "
                          "IS NOT NULL ORDER BY id",
                          &st, c->errbuf))
        return -1;
    int rc = 0, s;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *params = json_loads(
            (const char *)sqlite3_column_text(st, 2), 0, NULL);
        json_t *res = json_loads((const char *)sqlite3_column_text(st, 3),
                                 0, NULL);
        if (params && res)
            rc = run_views(c, period, sqlite3_column_int64(st, 0),
                           sqlite3_column_int64(st, 1), params, res, &nw,
                           out, nout);
        json_decref(params);
        json_decref(res);
    }
    sqlite3_finalize(st);
    if (rc) {
        views_free(*out, *nout);
        *out = NULL;
        *nout = 0;
    }
    return rc;
}
