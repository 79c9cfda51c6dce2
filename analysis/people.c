/* people.c - the roster loaded once per run (every person with every
 * version), and each person's segment of every dimension on as_of. */
#include "internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tether/db.h"
#include "tether/timeutil.h"
#include "tether/util.h"

static size_t
str_hash(const char *s)
{
    return (size_t)tether_hash(TETHER_HASH_INIT, s, strlen(s));
}

int
strmap_get(const struct strmap *m, const char *key)
{
    if (!m->cap)
        return -1;
    for (size_t i = str_hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i])
            return -1;
        if (strcmp(m->keys[i], key) == 0)
            return m->vals[i];
    }
}

void
strmap_put(struct strmap *m, const char *key, int val)
{
    if ((m->n + 1) * 2 > m->cap) {
        struct strmap big = {0};
        big.cap = m->cap ? m->cap * 2 : 16;
        big.keys = tether_xcalloc(big.cap, sizeof(char *));
        big.vals = tether_xcalloc(big.cap, sizeof(int));
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i])
                continue;
            size_t j = str_hash(m->keys[i]) & (big.cap - 1);
            while (big.keys[j])
                j = (j + 1) & (big.cap - 1);
            big.keys[j] = m->keys[i];
            big.vals[j] = m->vals[i];
        }
        big.n = m->n;
        free(m->keys);
        free(m->vals);
        *m = big;
    }
    size_t i = str_hash(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) {
        m->keys[i] = tether_xstrdup(key);
        m->n++;
    }
    m->vals[i] = val;
}

void
strmap_free(struct strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}

int
dimension_segment(struct dimension *d, const char *name)
{
    int i = strmap_get(&d->map, name);
    if (i >= 0)
        return i;
    d->names = tether_xrealloc(d->names, (size_t)(d->n + 1) * sizeof(char *));
    d->names[d->n] = tether_xstrdup(name);
    strmap_put(&d->map, name, d->n);
    return d->n++;
}

json_t *
jnum(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

void
jset(json_t *o, enum tether_metric m, json_t *v)
{
    json_object_set_new(o, tether_metric_names[m], v);
}

void
jcopy(json_t *o, enum tether_metric m, json_t *v)
{
    json_object_set(o, tether_metric_names[m], v);
}

json_t *
jget(const json_t *o, enum tether_metric m)
{
    return json_object_get(o, tether_metric_names[m]);
}

int64_t
zone_midnight(const char *zone, int32_t day)
{
    int y, m, d;
    tether_civil_from_days(day, &y, &m, &d);
    int64_t ts = (int64_t)day * 86400;
    tether_tz_local_to_utc(zone, y, m, d, 0, 0, 0, &ts);
    return ts;
}

/* The index of s's shared copy in c->strings, added when new. */
static int
intern(struct ctx *c, const char *s)
{
    int i = strmap_get(&c->interned, s);
    if (i < 0) {
        i = (int)c->nstrings++;
        c->strings = tether_xrealloc(c->strings, c->nstrings * sizeof(char *));
        c->strings[i] = tether_xstrdup(s);
        strmap_put(&c->interned, s, i);
    }
    return i;
}

/* Column i's text as a shared copy, or NULL. */
static const char *
col_intern(struct ctx *c, sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    if (!s)
        return NULL;
    int k = intern(c, s); /* may move c->strings */
    return c->strings[k];
}

/* Column i's zone as a shared copy, UTC when it is not a valid zone; each
 * distinct name is checked once. */
static const char *
col_zone(struct ctx *c, sqlite3_stmt *st, int i)
{
    const char *z = (const char *)sqlite3_column_text(st, i);
    if (!z)
        z = "UTC";
    int k = strmap_get(&c->zones, z);
    if (k < 0) {
        k = intern(c, tether_tz_valid(z) ? z : "UTC");
        strmap_put(&c->zones, z, k);
    }
    return c->strings[k];
}

static int32_t
col_date(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    int32_t d;
    if (!s || tether_date_parse((const char *)s, &d))
        return NO_DATE;
    return d;
}

/* Checks that every --by dimension names a column or an attribute. */
static enum tether_err
check_dims(struct ctx *c)
{
    sqlite3_stmt *st;
    enum tether_err rc;
    if ((rc = tether_db_prepare(c->db,
                                "SELECT 1 FROM person_attributes WHERE name "
                                "= ?1 LIMIT 1",
                                &st, c->errbuf)))
        return rc;
    c->dims = tether_xcalloc(c->p->nby + 1, sizeof(char *));
    c->dims[c->ndims++] = tether_xstrdup(TETHER_DIM_WORK_MODE);
    for (size_t i = 0; i < c->p->nby && !rc; i++) {
        char *name = tether_str_lower(tether_xstrdup(c->p->by[i]));
        int dup = 0;
        for (size_t j = 0; j < c->ndims; j++)
            dup |= strcmp(c->dims[j], name) == 0;
        if (dup) {
            free(name);
            continue;
        }
        if (strcmp(name, "department") && strcmp(name, "site")) {
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(st) != SQLITE_ROW) {
                snprintf(c->errbuf, TETHER_ERRBUF,
                         "'%s' is not a dimension (department, site, "
                         "work_mode or a roster column)",
                         c->p->by[i]);
                free(name);
                rc = TETHER_ERR_USAGE;
                break;
            }
        }
        c->dims[c->ndims++] = name;
    }
    sqlite3_finalize(st);
    return rc;
}

static int
is_column(const char *dim)
{
    return strcmp(dim, TETHER_DIM_WORK_MODE) == 0 ||
           strcmp(dim, "department") == 0 || strcmp(dim, "site") == 0;
}

/* Reads the attributes the run uses into c->attrs, in one scan of the
 * table: each was read by a scan of its own for every period of the
 * trend and for impact (both in the table's order, version by version,
 * as this one reads them). */
static enum tether_err
attrs_load(struct ctx *c)
{
    c->attrs = tether_xcalloc(c->ndims + 1, sizeof(*c->attrs));
    /* The names bound as ?1, ?2, ...: a single one is the comparison
     * SQLite checks fastest. */
    struct tether_buf sql = {0};
    tether_buf_adds(&sql, "SELECT version, name, value FROM "
                          "person_attributes WHERE name IN (");
    for (size_t d = 0; d <= c->ndims; d++) {
        const char *name = d < c->ndims ? c->dims[d] : "level";
        if (is_column(name) || ctx_attr(c, name))
            continue;
        c->attrs[c->nattrs++].name = tether_xstrdup(name);
        tether_buf_printf(&sql, "%s?%zu", c->nattrs > 1 ? ", " : "",
                          c->nattrs);
    }
    tether_buf_adds(&sql, ")");
    int64_t maxid = 0;
    for (size_t i = 0; i < c->nversions; i++)
        if (c->versions[i].id > maxid)
            maxid = c->versions[i].id;
    int32_t *vindex = tether_xmalloc((size_t)(maxid + 1) * sizeof(int32_t));
    for (int64_t i = 0; i <= maxid; i++)
        vindex[i] = -1;
    for (size_t i = 0; i < c->nversions; i++)
        vindex[c->versions[i].id] = (int32_t)i;
    size_t *cap = tether_xcalloc(c->nattrs + 1, sizeof(size_t));
    sqlite3_stmt *st = NULL;
    enum tether_err rc = TETHER_ERR_DB;
    if (tether_db_prepare(c->db, sql.data, &st, c->errbuf))
        goto out;
    for (size_t k = 0; k < c->nattrs; k++)
        sqlite3_bind_text(st, (int)k + 1, c->attrs[k].name, -1,
                          SQLITE_STATIC);
    int step;
    size_t k = 0; /* the attribute of the row before: rows of one name
                     are usually followed by more of the same */
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t vid = sqlite3_column_int64(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *val = (const char *)sqlite3_column_text(st, 2);
        if (vid < 0 || vid > maxid || vindex[vid] < 0 || !name || !val ||
            !*val)
            continue;
        if (k >= c->nattrs || strcmp(c->attrs[k].name, name) != 0) {
            for (k = 0; k < c->nattrs; k++)
                if (strcmp(c->attrs[k].name, name) == 0)
                    break;
            if (k == c->nattrs) { /* SQL compares as strcmp does */
                k = 0;
                continue;
            }
        }
        struct attr_rows *a = &c->attrs[k];
        if (a->n == cap[k]) {
            cap[k] = cap[k] ? 2 * cap[k] : 1024;
            a->pos = tether_xrealloc(a->pos, cap[k] * sizeof(int32_t));
            a->val = tether_xrealloc(a->val, cap[k] * sizeof(int32_t));
        }
        a->pos[a->n] = vindex[vid];
        a->val[a->n++] = intern(c, val);
    }
    if (step != SQLITE_DONE) {
        snprintf(c->errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(c->db));
        goto out;
    }
    rc = TETHER_OK;
out:
    sqlite3_finalize(st);
    free(cap);
    free(vindex);
    tether_buf_free(&sql);
    return rc;
}

const struct attr_rows *
ctx_attr(const struct ctx *c, const char *name)
{
    for (size_t k = 0; k < c->nattrs; k++)
        if (strcmp(c->attrs[k].name, name) == 0)
            return &c->attrs[k];
    return NULL;
}

enum tether_err
ctx_load(struct ctx *c, sqlite3 *db, const struct tether_analysis_params *p,
         char *errbuf)
{
    enum tether_err rc;
    memset(c, 0, sizeof(*c));
    c->db = db;
    c->p = p;
    c->errbuf = errbuf;
    if (!tether_tz_valid(p->org_tz)) {
        snprintf(errbuf, TETHER_ERRBUF, "'%s' is not an IANA time zone",
                 p->org_tz);
        return TETHER_ERR_USAGE;
    }
    if ((rc = check_dims(c)))
        return rc;
    sqlite3_stmt *st = NULL;
    if (tether_db_prepare(db,
                          "SELECT id, joined_on, left_on FROM people "
                          "ORDER BY id",
                          &st, errbuf))
        return TETHER_ERR_DB;
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (c->npeople == cap) {
            cap = cap ? cap * 2 : 1024;
            c->people = tether_xrealloc(c->people, cap * sizeof(*c->people));
        }
        struct person *ps = &c->people[c->npeople++];
        memset(ps, 0, sizeof(*ps));
        ps->id = sqlite3_column_int64(st, 0);
        ps->joined = col_date(st, 1);
        ps->left = col_date(st, 2);
        if (ps->id > c->max_person_id)
            c->max_person_id = ps->id;
    }
    sqlite3_finalize(st);
    c->by_id = tether_xmalloc((size_t)(c->max_person_id + 1) * sizeof(int32_t));
    for (int64_t i = 0; i <= c->max_person_id; i++)
        c->by_id[i] = -1;
    for (size_t i = 0; i < c->npeople; i++)
        c->by_id[c->people[i].id] = (int32_t)i;

    /* One array holds every version (a million people have about as many
     * versions: an allocation each cost time and 16 bytes apiece); the
     * query gives a person's versions together, oldest first, and first[]
     * keeps where each person's versions begin until the array stops
     * growing. It is sized by a count first, in the same transaction, so
     * the growth below is only a guard. */
    int64_t count;
    if (tether_db_int64(db, "SELECT count(*) FROM person_versions", &count,
                        errbuf))
        return TETHER_ERR_DB;
    cap = (size_t)count + 1;
    c->versions = tether_xmalloc(cap * sizeof(*c->versions));
    if (tether_db_prepare(db,
                          "SELECT person, id, valid_from, work_mode, site, "
                          "department, timezone FROM person_versions "
                          "ORDER BY person, valid_from",
                          &st, errbuf))
        return TETHER_ERR_DB;
    size_t nversions = 0;
    size_t *first = tether_xcalloc(c->npeople + 1, sizeof(size_t));
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t pid = sqlite3_column_int64(st, 0);
        if (pid < 0 || pid > c->max_person_id || c->by_id[pid] < 0)
            continue;
        if (nversions == cap) {
            cap *= 2;
            c->versions =
                tether_xrealloc(c->versions, cap * sizeof(*c->versions));
        }
        struct person *ps = &c->people[c->by_id[pid]];
        if (!ps->nv++)
            first[c->by_id[pid]] = nversions;
        struct version *v = &c->versions[nversions++];
        v->id = sqlite3_column_int64(st, 1);
        v->from = col_date(st, 2);
        const char *mode = (const char *)sqlite3_column_text(st, 3);
        int m = mode ? tether_vocab_find(tether_mode_names, TETHER_MODE_COUNT,
                                         mode)
                     : -1;
        /* the schema's CHECK admits only the three; office as before */
        v->mode = (unsigned char)(m < 0 ? TETHER_MODE_OFFICE : m);
        v->site = col_intern(c, st, 4);
        v->department = col_intern(c, st, 5);
        v->tz = col_zone(c, st, 6);
    }
    sqlite3_finalize(st);
    c->nversions = nversions;
    c->vperson = tether_xmalloc((nversions + 1) * sizeof(int32_t));
    for (size_t i = 0; i < c->npeople; i++) {
        if (c->people[i].nv)
            c->people[i].v = &c->versions[first[i]];
        for (int k = 0; k < c->people[i].nv; k++)
            c->vperson[first[i] + (size_t)k] = (int32_t)i;
    }
    free(first);
    c->segs = tether_xcalloc(c->npeople * c->ndims + 1, sizeof(int32_t));
    for (size_t i = 0; i < c->npeople; i++)
        c->people[i].seg = &c->segs[i * c->ndims];
    return attrs_load(c);
}

void
ctx_free(struct ctx *c)
{
    free(c->versions);
    free(c->vperson);
    for (size_t k = 0; k < c->nattrs; k++) {
        free(c->attrs[k].name);
        free(c->attrs[k].pos);
        free(c->attrs[k].val);
    }
    free(c->attrs);
    free(c->segs);
    free(c->people);
    free(c->by_id);
    for (size_t i = 0; i < c->nstrings; i++)
        free(c->strings[i]);
    free(c->strings);
    strmap_free(&c->interned);
    strmap_free(&c->zones);
    for (size_t i = 0; i < c->ndims; i++)
        free(c->dims[i]);
    free(c->dims);
    memset(c, 0, sizeof(*c));
}

const struct version *
person_version(const struct person *ps, int32_t day)
{
    static const struct version none = {0, NO_DATE, TETHER_MODE_OFFICE,
                                         "UTC", NULL, NULL};
    if (!ps->nv)
        return &none;
    const struct version *v = &ps->v[0];
    for (int i = 1; i < ps->nv && ps->v[i].from <= day; i++)
        v = &ps->v[i];
    return v;
}

/* The segments of a roster column's values, by the value's pointer: every
 * value is a shared copy (ctx.strings) or a name of the vocabulary, so a
 * million people cost a million pointer look-ups rather than as many
 * string hashes. A value's segment is still made by dimension_segment
 * when it is first met, so segments are numbered as before. */
struct seg_cache {
    const char **key;
    int *seg;
    size_t cap;
};

static int
seg_cache_get(struct seg_cache *sc, struct dimension *dim, const char *val)
{
    size_t i = (size_t)((uintptr_t)val * 0x9E3779B97F4A7C15ull >> 32) &
               (sc->cap - 1);
    for (; sc->key[i]; i = (i + 1) & (sc->cap - 1))
        if (sc->key[i] == val)
            return sc->seg[i];
    sc->key[i] = val;
    return sc->seg[i] = dimension_segment(dim, *val ? val : UNKNOWN_SEGMENT);
}

int
dimension_fill(struct ctx *c, struct dimension *dim, int32_t as_of,
               int32_t *seg, size_t stride, size_t offset)
{
    int mode = strcmp(dim->name, TETHER_DIM_WORK_MODE) == 0;
    if (is_column(dim->name)) {
        /* Distinct keys: the shared copies and the work modes. */
        struct seg_cache sc = {0};
        sc.cap = 16;
        while (sc.cap < 2 * (c->nstrings + TETHER_MODE_COUNT) + 2)
            sc.cap *= 2;
        sc.key = tether_xcalloc(sc.cap, sizeof(*sc.key));
        sc.seg = tether_xcalloc(sc.cap, sizeof(*sc.seg));
        for (size_t i = 0; i < c->npeople; i++) {
            const struct version *v = person_version(&c->people[i], as_of);
            const char *val = mode ? tether_mode_names[v->mode]
                              : dim->name[0] == 'd' ? v->department
                                                    : v->site;
            seg[i * stride + offset] =
                val ? seg_cache_get(&sc, dim, val)
                    : dimension_segment(dim, UNKNOWN_SEGMENT);
        }
        free(sc.key);
        free(sc.seg);
        return 0;
    }
    int unknown = dimension_segment(dim, UNKNOWN_SEGMENT);
    for (size_t i = 0; i < c->npeople; i++)
        seg[i * stride + offset] = unknown;
    const struct attr_rows *a = ctx_attr(c, dim->name);
    if (!a) { /* ctx_load reads every dimension's */
        snprintf(c->errbuf, TETHER_ERRBUF, "'%s' was not read", dim->name);
        return -1;
    }
    /* The rows in force on as_of, in the table's order. */
    int *segof = tether_xmalloc((c->nstrings + 1) * sizeof(int));
    for (size_t k = 0; k < c->nstrings; k++)
        segof[k] = -1;
    for (size_t r = 0; r < a->n; r++) {
        size_t i = (size_t)c->vperson[a->pos[r]];
        if (person_version(&c->people[i], as_of) != &c->versions[a->pos[r]])
            continue;
        int32_t k = a->val[r];
        if (segof[k] < 0)
            segof[k] = dimension_segment(dim, c->strings[k]);
        seg[i * stride + offset] = segof[k];
    }
    free(segof);
    return 0;
}

int
segments_assign(struct ctx *c, struct period_run *r)
{
    r->dims = tether_xcalloc(c->ndims, sizeof(*r->dims));
    for (size_t d = 0; d < c->ndims; d++) {
        r->dims[d].name = c->dims[d];
        if (dimension_fill(c, &r->dims[d], r->period.end, c->segs, c->ndims,
                           d))
            return -1;
    }
    return 0;
}

void
period_run_free(struct ctx *c, struct period_run *r)
{
    if (r->dims) {
        for (size_t d = 0; d < c->ndims; d++) {
            for (int i = 0; i < r->dims[d].n; i++)
                free(r->dims[d].names[i]);
            free(r->dims[d].names);
            strmap_free(&r->dims[d].map);
        }
    }
    free(r->dims);
    free(r->pairs);
    memset(r, 0, sizeof(*r));
}
