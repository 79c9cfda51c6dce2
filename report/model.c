/* model.c - the stored analysis run that tether-report renders: its JSON
 * result, its pairs streamed from SQLite, the small aggregates the charts
 * need, and the pseudonyms of --anonymize. */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tether/db.h"
#include "tether/err.h"
#include "tether/timeutil.h"

/* ---- small helpers ---- */

double
report_jnum(const json_t *o, const char *key)
{
    const json_t *v = o ? json_object_get(o, key) : NULL;
    return json_is_number(v) ? json_number_value(v) : NAN;
}

const char *
report_jstr(const json_t *o, const char *key)
{
    const json_t *v = o ? json_object_get(o, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : "";
}

int
report_jbool(const json_t *o, const char *key)
{
    const json_t *v = o ? json_object_get(o, key) : NULL;
    return json_is_true(v) || (json_is_number(v) && json_number_value(v) != 0);
}

const json_t *
report_inclusion(const struct report *r, const char *dim, const char *segment)
{
    const json_t *list =
        json_object_get(json_object_get(r->result, "inclusion"), dim);
    size_t i;
    const json_t *s;
    json_array_foreach(list, i, s) {
        if (strcmp(report_jstr(s, tether_metric_names[TETHER_M_SEGMENT]), segment) == 0)
            return s;
    }
    return NULL;
}

const json_t *
report_survey(const struct report *r, const char *construct, const char *dim,
              const char *segment)
{
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(r->result, "surveys"), i, s) {
        if (strcmp(report_jstr(s, tether_metric_names[TETHER_M_CONSTRUCT]), construct) == 0 &&
            strcmp(report_jstr(s, tether_metric_names[TETHER_M_DIMENSION]), dim) == 0 &&
            strcmp(report_jstr(s, tether_metric_names[TETHER_M_SEGMENT]), segment) == 0)
            return s;
    }
    return NULL;
}

int
report_scale(const struct report *r, const char *construct, double *lo,
             double *hi)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT min(scale_min), max(scale_max) FROM "
                           "questions WHERE construct = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_text(st, 1, construct, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) != SQLITE_NULL &&
        sqlite3_column_type(st, 1) != SQLITE_NULL) {
        *lo = sqlite3_column_double(st, 0);
        *hi = sqlite3_column_double(st, 1);
        rc = *hi > *lo ? 0 : -1;
    }
    if (rc && strcmp(construct, tether_construct_names[TETHER_CONSTRUCT_NPS]) == 0) {
        *lo = 0;
        *hi = 10;
        rc = 0;
    }
out:
    sqlite3_finalize(st);
    return rc;
}

char *
report_path(const char *dir, const struct report *r, const char *suffix)
{
    return tether_xasprintf("%s/tether-%s%s", dir, r->label, suffix);
}

/* ---- pseudonyms: SipHash-2-4, a keyed hash (written from the published
 * description by Aumasson and Bernstein), so that nobody without the key
 * can confirm a guess of whose pseudonym is whose. ---- */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void
sip_round(uint64_t v[4])
{
    v[0] += v[1];
    v[1] = ROTL(v[1], 13);
    v[1] ^= v[0];
    v[0] = ROTL(v[0], 32);
    v[2] += v[3];
    v[3] = ROTL(v[3], 16);
    v[3] ^= v[2];
    v[0] += v[3];
    v[3] = ROTL(v[3], 21);
    v[3] ^= v[0];
    v[2] += v[1];
    v[1] = ROTL(v[1], 17);
    v[1] ^= v[2];
    v[2] = ROTL(v[2], 32);
}

static uint64_t
siphash(const uint64_t key[2], const unsigned char *in, size_t n)
{
    uint64_t v[4] = {key[0] ^ 0x736f6d6570736575ULL,
                     key[1] ^ 0x646f72616e646f6dULL,
                     key[0] ^ 0x6c7967656e657261ULL,
                     key[1] ^ 0x7465646279746573ULL};
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t m = 0;
        for (int k = 7; k >= 0; k--)
            m = (m << 8) | in[i + (size_t)k];
        v[3] ^= m;
        sip_round(v);
        sip_round(v);
        v[0] ^= m;
    }
    uint64_t b = (uint64_t)n << 56;
    for (size_t k = 0; i + k < n; k++)
        b |= (uint64_t)in[i + k] << (8 * k);
    v[3] ^= b;
    sip_round(v);
    sip_round(v);
    v[0] ^= b;
    v[2] ^= 0xff;
    for (int k = 0; k < 4; k++)
        sip_round(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static void
pseudo_key(uint64_t key[2])
{
    const char *k = getenv("TETHER_ANON_KEY");
    if (!k || !*k)
        k = "tether pseudonyms: set TETHER_ANON_KEY to keep them secret";
    static const uint64_t k0[2] = {0x0706050403020100ULL,
                                   0x0f0e0d0c0b0a0908ULL};
    static const uint64_t k1[2] = {0x1716151413121110ULL,
                                   0x1f1e1d1c1b1a1918ULL};
    key[0] = siphash(k0, (const unsigned char *)k, strlen(k));
    key[1] = siphash(k1, (const unsigned char *)k, strlen(k));
}

void
report_pseudonym(const struct report *r, enum report_pseudo what,
                 const char *id, char *out, size_t cap)
{
    /* 40 bits: no two of a million people are likely to share one. */
    unsigned char domain = what == PSEUDO_PAIR ? 'P' : 'E';
    struct tether_buf b = {0};
    tether_buf_addc(&b, (char)domain);
    tether_buf_adds(&b, id ? id : "");
    uint64_t h = siphash(r->key, (const unsigned char *)b.data, b.len) >> 24;
    tether_buf_free(&b);
    switch (what) {
    case PSEUDO_NAME:
        snprintf(out, cap, "Person %010llX", (unsigned long long)h);
        break;
    case PSEUDO_EMAIL:
        snprintf(out, cap, "person-%010llx@example.invalid",
                 (unsigned long long)h);
        break;
    case PSEUDO_ID:
        snprintf(out, cap, "P%010llX", (unsigned long long)h);
        break;
    case PSEUDO_PAIR:
        snprintf(out, cap, "Pair %010llX", (unsigned long long)h);
        break;
    }
}

/* ---- opening a run ---- */

/* "HH:MM-HH:MM" into minutes; leaves the defaults when s is not one. */
static void
parse_hours(const char *s, int *a, int *b)
{
    int h1, m1, h2, m2;
    if (s && sscanf(s, "%d:%d-%d:%d", &h1, &m1, &h2, &m2) == 4) {
        *a = h1 * 60 + m1;
        *b = h2 * 60 + m2;
    }
}

static void
read_params(struct report *r)
{
    const json_t *p = r->params;
    double v;
    r->at_risk_factor = 1.5;
    r->inactive_factor = 2;
    r->min_group = 5;
    r->reasonable_start = 8 * 60;
    r->reasonable_end = 18 * 60;
    if (!isnan(v = report_jnum(p, "at_risk_factor")))
        r->at_risk_factor = v;
    if (!isnan(v = report_jnum(p, "inactive_factor")))
        r->inactive_factor = v;
    if (!isnan(v = report_jnum(p, "min_group")))
        r->min_group = (int)v;
    parse_hours(report_jstr(p, "reasonable_hours"), &r->reasonable_start,
                &r->reasonable_end);
    if (!isnan(v = report_jnum(p, "reasonable_start")))
        r->reasonable_start = (int)v;
    if (!isnan(v = report_jnum(p, "reasonable_end")))
        r->reasonable_end = (int)v;
}

/* The enum tether_mode of a stored work mode; TETHER_MODE_COUNT when
 * unknown. */
static int
mode_index(const char *m)
{
    int i = m ? tether_vocab_find(tether_mode_names, TETHER_MODE_COUNT, m) : -1;
    return i < 0 ? TETHER_MODE_COUNT : i;
}

/* The enum tether_status of a stored status, or -1. */
static int
status_index(const char *s)
{
    return s ? tether_vocab_find(tether_status_names, TETHER_STATUS_COUNT, s)
             : -1;
}

static int
gather_pairs(struct report *r, char *errbuf)
{
    struct report_facts *f = &r->facts;
    sqlite3_stmt *st = NULL;
    static const char sql[] =
        "SELECT h.mentee_mode, h.status, "
        "h.days_quiet, h.tz_gap_hours, h.overlap_hours, h.meetings, "
        "h.off_hours_mentor, h.off_hours_mentee, h.off_hours, "
        "p.cadence_days, h.between_contacts, h.mentee_initiated "
        "FROM pair_health h JOIN pairs p ON p.id = h.pair "
        "WHERE h.run = ?1";
    if (tether_db_prepare(r->db, sql, &st, errbuf))
        return -1;
    sqlite3_bind_int64(st, 1, r->run);
    long *cad = tether_xcalloc(3661, sizeof(long));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int m = mode_index((const char *)sqlite3_column_text(st, 0));
        int s = status_index((const char *)sqlite3_column_text(st, 1));
        f->pairs++;
        if (s >= 0)
            f->status[m][s]++;
        if (sqlite3_column_type(st, 2) == SQLITE_NULL) {
            f->quiet_unknown++;
        } else {
            long q = sqlite3_column_int64(st, 2);
            long b = q < 0 ? 0 : q / REPORT_QUIET_BINW;
            f->quiet_bins[b >= REPORT_QUIET_BINS ? REPORT_QUIET_BINS - 1 : b]++;
        }
        f->tz_pairs[m]++;
        if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
            f->tz_gap_sum[m] += sqlite3_column_double(st, 3);
            f->tz_gap_n[m]++;
        }
        if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
            double o = sqlite3_column_double(st, 4);
            f->overlap_sum[m] += o;
            f->overlap_n[m]++;
            f->no_overlap[m] += o <= 0;
        }
        f->tz_meetings[m] += sqlite3_column_int64(st, 5);
        f->off_mentor[m] += sqlite3_column_int64(st, 6);
        f->off_mentee[m] += sqlite3_column_int64(st, 7);
        f->off_any[m] += sqlite3_column_int64(st, 8);
        long c = sqlite3_column_int64(st, 9);
        if (c > 0 && c <= 3660)
            cad[c]++;
        f->between[m] += sqlite3_column_int64(st, 10);
        f->between_mentee[m] += sqlite3_column_int64(st, 11);
    }
    f->cadence = 30;
    long best = 0;
    for (int c = 1; c <= 3660; c++)
        if (cad[c] > best) {
            best = cad[c];
            f->cadence = c;
        }
    free(cad);
    if (rc != SQLITE_DONE)
        snprintf(errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(r->db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Meeting start hours in each side's own zone, as the analysis counted
 * them. */
static void
gather_hours(struct report *r)
{
    struct report_facts *f = &r->facts;
    json_t *h = json_object_get(json_object_get(r->result, "summary"),
                                "meeting_hours");
    json_t *hm = json_object_get(h, "mentor");
    json_t *he = json_object_get(h, "mentee");
    for (size_t i = 0; i < 24; i++) {
        f->hour_mentor[i] = (long)json_integer_value(json_array_get(hm, i));
        f->hour_mentee[i] = (long)json_integer_value(json_array_get(he, i));
    }
    f->hours_unknown = (long)json_integer_value(json_object_get(h, "unknown"));
}

static int
gather_quality(struct report *r, char *errbuf)
{
    sqlite3_stmt *st = NULL;
    if (tether_db_prepare(r->db,
                          "SELECT (SELECT count(*) FROM imports), "
                          "(SELECT count(*) FROM rejects)",
                          &st, errbuf))
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        r->facts.imports = sqlite3_column_int64(st, 0);
        r->facts.rejects = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return 0;
}

/* The keys of the run's objects whose values are segment names. */
static int
segment_key(const char *k)
{
    return strcmp(k, "segment") == 0 || strcmp(k, "reference") == 0 ||
           strcmp(k, "mentee_reference") == 0 ||
           strcmp(k, "mentor_reference") == 0;
}

/* Replaces, everywhere in v, a segment value that is the name or the
 * e-mail of a person of the roster (--by manager_email, --by mentor) by
 * that person's pseudonym, as the pairs show it. */
static void
pseudonymize(const struct report *r, json_t *v, sqlite3_stmt *find)
{
    size_t i;
    json_t *e;
    const char *k;
    if (json_is_array(v)) {
        json_array_foreach(v, i, e) pseudonymize(r, e, find);
        return;
    }
    if (!json_is_object(v))
        return;
    json_object_foreach(v, k, e)
    {
        if (!json_is_string(e) || !segment_key(k)) {
            pseudonymize(r, e, find);
            continue;
        }
        sqlite3_reset(find);
        sqlite3_bind_text(find, 1, json_string_value(e), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(find) != SQLITE_ROW)
            continue;
        char buf[64];
        report_pseudonym(r,
                         sqlite3_column_int(find, 1) ? PSEUDO_EMAIL
                                                     : PSEUDO_NAME,
                         (const char *)sqlite3_column_text(find, 0), buf,
                         sizeof(buf));
        json_object_set_new(v, k, json_string(buf));
    }
}

static int
anonymize_result(struct report *r, char *errbuf)
{
    sqlite3_stmt *find;
    /* Names compared without case, as people write them; e-mails are
     * stored in lower case. */
    if (tether_db_prepare(r->db,
                          "SELECT person_id, email = lower(?1) FROM people "
                          "WHERE email = lower(?1) OR name = ?1 COLLATE "
                          "NOCASE OR person_id = ?1 LIMIT 1",
                          &find, errbuf))
        return -1;
    pseudonymize(r, r->result, find);
    sqlite3_finalize(find);
    return 0;
}

int
report_open(struct report *r, sqlite3 *db, int64_t run, int anonymize,
            const char *label, char *errbuf)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    memset(r, 0, sizeof(*r));
    r->db = db;
    r->run = run;
    r->anonymize = anonymize;
    pseudo_key(r->key);
    snprintf(r->label, sizeof(r->label), "%s", label);
    if (tether_db_prepare(db,
                          "SELECT created_at, period_start, as_of, params, "
                          "result FROM runs WHERE id = ?1",
                          &st, errbuf))
        goto out;
    sqlite3_bind_int64(st, 1, run);
    if (sqlite3_step(st) != SQLITE_ROW) {
        snprintf(errbuf, TETHER_ERRBUF, "no analysis run %lld",
                 (long long)run);
        goto out;
    }
    const char *c = (const char *)sqlite3_column_text(st, 0);
    snprintf(r->created_at, sizeof(r->created_at), "%s", c ? c : "");
    c = (const char *)sqlite3_column_text(st, 1);
    snprintf(r->start, sizeof(r->start), "%s", c ? c : "");
    c = (const char *)sqlite3_column_text(st, 2);
    snprintf(r->end, sizeof(r->end), "%s", c ? c : "");
    json_error_t jerr;
    c = (const char *)sqlite3_column_text(st, 4);
    r->result = c ? json_loads(c, 0, &jerr) : NULL;
    if (!json_is_object(r->result)) {
        snprintf(errbuf, TETHER_ERRBUF,
                 "analysis run %lld has no readable result (run "
                 "tether-analyze again)",
                 (long long)run);
        goto out;
    }
    c = (const char *)sqlite3_column_text(st, 3);
    r->params = c ? json_loads(c, 0, &jerr) : NULL;
    if (!json_is_object(r->params)) {
        json_decref(r->params);
        r->params = json_object();
    }
    read_params(r);
    if (anonymize && anonymize_result(r, errbuf))
        goto out;
    /* The outputs' creation date is the run's, so the same database gives
     * the same bytes; the period's last day stands in for a run without
     * a readable time. */
    if (tether_ts_parse(r->created_at, "UTC", &r->created_ts)) {
        int32_t d;
        r->created_ts =
            tether_date_parse(r->end, &d) ? 0 : (int64_t)d * 86400;
    }
    gather_hours(r);
    if (gather_pairs(r, errbuf) || gather_quality(r, errbuf))
        goto out;
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

void
report_close(struct report *r)
{
    if (!r)
        return;
    json_decref(r->result);
    json_decref(r->params);
    r->result = r->params = NULL;
}

/* ---- tables ---- */

enum anon_action {
    AN_NONE,
    AN_NAME,    /* the name of the person_id in column `ref` */
    AN_EMAIL,   /* the e-mail of that person */
    AN_ID,      /* the person_id itself */
    AN_PAIR,    /* a pair_id */
    AN_WITHHOLD /* dropped */
};

struct report_table {
    const struct report *r;
    size_t ncols;
    char **names;
    enum report_kind *kinds;
    /* SQL tables */
    sqlite3_stmt *st;
    int *sqlcol;
    enum anon_action *anon;
    int *ref;
    /* JSON tables: flattened rows */
    json_t *rows;
    size_t at;
    json_t *row;
    char scratch[64];
};

static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The kind a column's name implies, or -1 when the name says nothing. */
static int
kind_of_name(const char *full)
{
    const char *n = strrchr(full, '.');
    n = n ? n + 1 : full;
    static const enum tether_metric bools[] = {
        TETHER_M_FLAGGED, TETHER_M_MENTEE_FLAGGED, TETHER_M_MENTOR_FLAGGED,
        TETHER_M_SUPPRESSED, TETHER_M_HOMOGENEOUS};
    for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++)
        if (strcmp(n, tether_metric_names[bools[i]]) == 0)
            return RK_BOOL;
    /* pair_health's columns */
    if (strcmp(n, "bridge") == 0 || strcmp(n, "mentee_chose") == 0)
        return RK_BOOL;
    if (ends_with(n, "_on") || strcmp(n, "last_meeting") == 0 ||
        strcmp(n, "last_contact") == 0 || strcmp(n, "start") == 0 ||
        strcmp(n, "end") == 0 || strcmp(n, "as_of") == 0)
        return RK_DATE;
    /* participation_rate_ci_low is a share; so are the trend's
     * participation.remote.participation_rate and the like */
    if (strstr(full, tether_metric_names[TETHER_M_PARTICIPATION_RATE]) || ends_with(n, "_rate") ||
        ends_with(n, "_share") || ends_with(n, "_ratio") ||
        strcmp(n, tether_metric_names[TETHER_M_FAVOURABLE]) == 0 ||
        strcmp(n, "cadence_adherence") == 0 ||
        strcmp(n, tether_metric_names[TETHER_M_PROMOTERS]) == 0 ||
        strcmp(n, tether_metric_names[TETHER_M_PASSIVES]) == 0 ||
        strcmp(n, tether_metric_names[TETHER_M_DETRACTORS]) == 0 ||
        strstr(full, tether_metric_names[TETHER_M_INCLUSION_RATIO]))
        return RK_SHARE;
    if (strcmp(n, tether_metric_names[TETHER_M_P_VALUE]) == 0 || ends_with(n, "_p_value"))
        return RK_NUM;
    return -1;
}

static void
table_add_col(struct report_table *t, const char *name, enum report_kind k)
{
    t->names = tether_xrealloc(t->names, (t->ncols + 1) * sizeof(char *));
    t->kinds =
        tether_xrealloc(t->kinds, (t->ncols + 1) * sizeof(enum report_kind));
    t->sqlcol = tether_xrealloc(t->sqlcol, (t->ncols + 1) * sizeof(int));
    t->anon =
        tether_xrealloc(t->anon, (t->ncols + 1) * sizeof(enum anon_action));
    t->ref = tether_xrealloc(t->ref, (t->ncols + 1) * sizeof(int));
    t->names[t->ncols] = tether_xstrdup(name);
    t->kinds[t->ncols] = k;
    t->sqlcol[t->ncols] = (int)t->ncols;
    t->anon[t->ncols] = AN_NONE;
    t->ref[t->ncols] = -1;
    t->ncols++;
}

/* The roster version of person X in force on as_of (?2), else its first:
 * the department, site and level beside each name spare the analyst a
 * lookup in the roster. Joined once per person (V), not looked up per
 * column: three look-ups a person were a fifth of the report's time. */
#define VERSION_OF(X)                                                        \
    "(SELECT v.id FROM person_versions v WHERE v.person = " X " ORDER BY "  \
    "v.valid_from <= ?2 DESC, CASE WHEN v.valid_from <= ?2 THEN "            \
    "v.valid_from END DESC, v.valid_from LIMIT 1)"
#define ORG_OF(V, L, WHO)                                                    \
    V ".department AS " WHO "_department, " V ".site AS " WHO "_site, " L   \
    ".value AS " WHO "_level, "
#define ORG_JOIN(X, V, L)                                                    \
    "LEFT JOIN person_versions " V " ON " V ".id = " VERSION_OF(X)          \
    " LEFT JOIN person_attributes " L " ON " L ".version = " V ".id AND "    \
    L ".name = 'level' "
static const char pairs_sql_head[] =
    "SELECT p.pair_id, p.program, m.person_id AS mentor_id, "
    "m.name AS mentor_name, m.email AS mentor_email, "
    "h.mentor_mode AS mentor_work_mode, " ORG_OF("mv", "ml", "mentor")
    "e.person_id AS mentee_id, "
    "e.name AS mentee_name, e.email AS mentee_email, "
    "h.mentee_mode AS mentee_work_mode, " ORG_OF("ev", "el", "mentee")
    "p.started_on, p.ended_on, "
    "p.cadence_days, p.mentee_chose, h.status, h.days_active, h.meetings, "
    "h.minutes, h.contacts, h.last_meeting, h.last_contact, h.days_quiet, "
    "h.cadence_adherence, h.engagement, h.bridge, h.tz_gap_hours, "
    "h.overlap_hours, h.off_hours, h.off_hours_mentor, h.off_hours_mentee, "
    "h.in_person_share, h.impromptu_share, h.summary_rate "
    "FROM pair_health h JOIN pairs p ON p.id = h.pair "
    "JOIN people m ON m.id = p.mentor "
    "JOIN people e ON e.id = p.mentee " ORG_JOIN("m.id", "mv", "ml")
    ORG_JOIN("e.id", "ev", "el") "WHERE h.run = ?1 ";

static int
open_sql(struct report_table *t, const char *sql, char *errbuf)
{
    const struct report *r = t->r;
    if (tether_db_prepare(r->db, sql, &t->st, errbuf))
        return -1;
    if (sqlite3_bind_parameter_count(t->st) >= 1)
        sqlite3_bind_int64(t->st, 1, r->run);
    if (sqlite3_bind_parameter_count(t->st) >= 2)
        sqlite3_bind_text(t->st, 2, r->end, -1, SQLITE_STATIC);
    int n = sqlite3_column_count(t->st);
    for (int i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(t->st, i);
        if (strcmp(name, "run") == 0 || strcmp(name, "pair") == 0)
            continue;
        int k = kind_of_name(name);
        if (k < 0) {
            const char *decl = sqlite3_column_decltype(t->st, i);
            if (decl && strstr(decl, "INT"))
                k = RK_INT;
            else if (decl && strstr(decl, "REAL"))
                k = RK_NUM;
            else
                k = RK_TEXT;
        }
        /* Beside a pseudonym, a person's department, site and level
         * would name them again: anonymized pair rows leave them out. */
        if (r->anonymize &&
            (ends_with(name, "_department") || ends_with(name, "_site") ||
             ends_with(name, "_level")))
            continue;
        table_add_col(t, name, (enum report_kind)k);
        size_t c = t->ncols - 1;
        t->sqlcol[c] = i;
        if (!r->anonymize)
            continue;
        if (strcmp(name, "pair_id") == 0)
            t->anon[c] = AN_PAIR;
        else if (ends_with(name, "_id") && (strncmp(name, "mentor", 6) == 0 ||
                                            strncmp(name, "mentee", 6) == 0))
            t->anon[c] = AN_ID;
        else if (ends_with(name, "_name") || ends_with(name, "_email")) {
            t->anon[c] = ends_with(name, "_name") ? AN_NAME : AN_EMAIL;
            t->ref[c] = i - (ends_with(name, "_name") ? 1 : 2);
        } else if (strcmp(name, "reason") == 0 || strcmp(name, "raw") == 0 ||
                   strcmp(name, "path") == 0 ||
                   ends_with(name, "_department") ||
                   ends_with(name, "_site") || ends_with(name, "_level"))
            /* File names are free text too ("Zelda Secret3 roster.csv");
             * beside a pseudonym, a department, site and level
             * re-identify the person (SPEC 4). */
            t->anon[c] = AN_WITHHOLD;
    }
    return 0;
}

/* 1 when every element of array a is an object with a segment name. */
static int
segment_list(const json_t *a)
{
    size_t i;
    const json_t *e;
    if (json_array_size(a) == 0)
        return 0;
    json_array_foreach(a, i, e) {
        if (!json_is_string(json_object_get(e, tether_metric_names[TETHER_M_SEGMENT])))
            return 0;
    }
    return 1;
}

/* Flattens o into out: nested objects as "a.b", arrays as JSON text. */
static void flatten(json_t *out, const char *prefix, const json_t *o);
static void
flatten(json_t *out, const char *prefix, const json_t *o)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)o, k, v) {
        char *name = *prefix ? tether_xasprintf("%s.%s", prefix, k)
                             : tether_xstrdup(k);
        if (json_is_object(v)) {
            flatten(out, name, v);
        } else if (json_is_array(v) && segment_list(v)) {
            /* [{segment: remote, x: 1}, ...] -> "name.remote.x" */
            size_t i;
            json_t *e;
            json_array_foreach(v, i, e) {
                const char *con = json_string_value(
                    json_object_get(e, tether_metric_names[TETHER_M_CONSTRUCT]));
                char *sub = tether_xasprintf(
                    "%s.%s%s%s", name, con ? con : "",
                    con ? "." : "",
                    json_string_value(json_object_get(e, tether_metric_names[TETHER_M_SEGMENT])));
                json_t *copy = json_deep_copy(e);
                json_object_del(copy, tether_metric_names[TETHER_M_SEGMENT]);
                json_object_del(copy, tether_metric_names[TETHER_M_CONSTRUCT]);
                flatten(out, sub, copy);
                json_decref(copy);
                free(sub);
            }
        } else if (json_is_array(v)) {
            char *s = json_dumps(v, JSON_COMPACT);
            json_object_set_new(out, name, json_string(s ? s : ""));
            free(s);
        } else {
            json_object_set(out, name, v);
        }
        free(name);
    }
}

/* Orders names so that "counts.10" follows "counts.9". */
static int
name_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    while (*x && *x == *y && !(*x >= '0' && *x <= '9')) {
        x++;
        y++;
    }
    if (*x >= '0' && *x <= '9' && *y >= '0' && *y <= '9') {
        char *ex, *ey;
        double nx = strtod(x, &ex), ny = strtod(y, &ey);
        if (nx != ny)
            return nx < ny ? -1 : 1;
    }
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Columns: the known names first (those that occur), then every other
 * name found in the rows, in a stable order. */
static void
json_columns(struct report_table *t, const char *const *known)
{
    size_t n = json_array_size(t->rows), nextra = 0;
    const char **extra = NULL;
    json_t *seen = json_object();
    for (size_t i = 0; known[i]; i++)
        json_object_set_new(seen, known[i], json_true());
    for (size_t i = 0; i < n; i++) {
        const char *k;
        json_t *v;
        json_object_foreach(json_array_get(t->rows, i), k, v) {
            if (json_object_get(seen, k))
                continue;
            json_object_set_new(seen, k, json_true());
            extra = tether_xrealloc(extra, (nextra + 1) * sizeof(char *));
            extra[nextra++] = k;
        }
    }
    if (nextra) /* qsort wants a real array even for no element */
        qsort(extra, nextra, sizeof(char *), name_cmp);
    for (size_t pass = 0; pass < 2; pass++) {
        size_t cnt = 0;
        while (pass == 0 ? known[cnt] != NULL : cnt < nextra)
            cnt++;
        for (size_t i = 0; i < cnt; i++) {
            const char *name = pass == 0 ? known[i] : extra[i];
            int k = kind_of_name(name);
            const json_t *first = NULL;
            int present = 0;
            for (size_t j = 0; j < n; j++) {
                const json_t *v = json_object_get(json_array_get(t->rows, j),
                                                  name);
                present |= v != NULL;
                if (v && !json_is_null(v) && !first)
                    first = v;
            }
            if (!present && pass == 0 && i > 0)
                continue; /* a known name this run does not have */
            if (k < 0)
                k = json_is_integer(first) ? RK_INT
                    : json_is_real(first)  ? RK_NUM
                    : json_is_boolean(first) ? RK_BOOL
                                             : RK_TEXT;
            table_add_col(t, name, (enum report_kind)k);
        }
    }
    free(extra);
    json_decref(seen);
}

/* Member m of object o, or NULL. */
static const json_t *
jm(const json_t *o, enum tether_metric m)
{
    return json_object_get(o, tether_metric_names[m]);
}

/* One row of the trend in long form. share: the value is a fraction. */
static void
trend_row(json_t *rows, const json_t *period, const char *figure,
          const char *segment, const json_t *value, int share)
{
    if (!json_is_number(value))
        return;
    json_t *o = json_object();
    json_object_set(o, "period", (json_t *)period);
    json_object_set_new(o, "figure", json_string(figure));
    json_object_set_new(o, "segment",
                        segment ? json_string(segment) : json_null());
    json_object_set(o, "value", (json_t *)value);
    if (share)
        json_object_set_new(o, "_share", json_true());
    json_array_append_new(rows, o);
}

/* SPEC 4: Trends in long format (period, figure, segment, value), what
 * pivot tables and Power Query expect. Suppressed survey means are left
 * out, as everywhere. */
static void
trend_rows(json_t *rows, const json_t *trend)
{
    size_t i, j;
    const json_t *h, *x;
    json_array_foreach(trend, i, h) {
        const json_t *label =
            json_object_get(json_object_get(h, "period"), "label");
        trend_row(rows, label, "Pairs", "all", json_object_get(h, "pairs"),
                  0);
        for (int k = 0; k < TETHER_STATUS_COUNT; k++) {
            const char *st = tether_status_names[tether_status_shown[k]];
            trend_row(rows, label, "Pairs by status", st,
                      json_object_get(json_object_get(h, "status"), st), 0);
        }
        trend_row(rows, label, "Meetings per pair per month", "all",
                  jm(h, TETHER_M_MEETINGS_PER_PAIR_MONTH), 0);
        json_array_foreach(json_object_get(h, "participation"), j, x) {
            const char *seg = json_string_value(jm(x, TETHER_M_SEGMENT));
            trend_row(rows, label, "Participation rate", seg,
                      jm(x, TETHER_M_PARTICIPATION_RATE), 1);
            trend_row(rows, label, "Inclusion ratio", seg,
                      jm(x, TETHER_M_INCLUSION_RATIO), 1);
            trend_row(rows, label, "Meetings per pair per month", seg,
                      jm(x, TETHER_M_MEETINGS_PER_PAIR_MONTH), 0);
        }
        json_array_foreach(json_object_get(h, "survey_means"), j, x) {
            if (json_is_true(jm(x, TETHER_M_SUPPRESSED)))
                continue;
            const char *con = json_string_value(jm(x, TETHER_M_CONSTRUCT));
            char fig[64];
            snprintf(fig, sizeof(fig), "Survey mean: %s", con ? con : "");
            trend_row(rows, label, fig,
                      json_string_value(jm(x, TETHER_M_SEGMENT)),
                      jm(x, TETHER_M_MEAN), 0);
        }
    }
}
/* The report's comparison columns: the keys first, then the figures, then
 * (as names found in the rows) segment and reference. */
static const enum tether_metric comparisons_known[] = {
    TETHER_M_CONSTRUCT, TETHER_M_DIMENSION, TETHER_M_SUPPRESSED,
    TETHER_M_DIFF,      TETHER_M_P_VALUE,   TETHER_M_COHENS_D,
    TETHER_M_NPS_DIFF,  TETHER_M_NPS_DIFF_CI_LOW, TETHER_M_NPS_DIFF_CI_HIGH};

/* json_columns with known names from the vocabulary. */
static void
json_columns_m(struct report_table *t, const enum tether_metric *known,
               size_t n)
{
    const char **names = tether_xcalloc(n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        names[i] = tether_metric_names[known[i]];
    json_columns(t, names);
    free(names);
}

static void
open_json(struct report_table *t, enum report_table_id id)
{
    const json_t *res = t->r->result;
    t->rows = json_array();
    if (id == RT_INCLUSION) {
        const char *dim;
        json_t *list;
        /* work_mode first, the --by dimensions after it */
        const json_t *inc = json_object_get(res, "inclusion");
        for (int pass = 0; pass < 2; pass++)
            json_object_foreach((json_t *)inc, dim, list) {
                if ((strcmp(dim, TETHER_DIM_WORK_MODE) == 0) != (pass == 0))
                    continue;
                size_t i;
                json_t *s;
                json_array_foreach(list, i, s) {
                    json_t *row = json_object();
                    json_object_set_new(row, tether_metric_names[TETHER_M_DIMENSION], json_string(dim));
                    flatten(row, "", s);
                    json_array_append_new(t->rows, row);
                }
            }
        json_columns_m(t, tether_inclusion_cols, TETHER_INCLUSION_NCOLS);
        return;
    }
    if (id == RT_TREND) {
        trend_rows(t->rows, json_object_get(res, "trend"));
        table_add_col(t, "period", RK_TEXT);
        table_add_col(t, "figure", RK_TEXT);
        table_add_col(t, "segment", RK_TEXT);
        table_add_col(t, "value", RK_NUM);
        return;
    }
    if (id >= RT_RETENTION && id <= RT_PRACTICES) {
        static const enum tether_metric keys[] = {
            TETHER_M_RETENTION, TETHER_M_RETENTION_MATCHED,
            TETHER_M_PROMOTION, TETHER_M_PROMOTION_MATCHED,
            TETHER_M_SURVIVAL,  TETHER_M_PRACTICES};
        const json_t *list = json_object_get(
            json_object_get(res, "impact"),
            tether_metric_names[keys[id - RT_RETENTION]]);
        size_t i;
        json_t *s;
        json_array_foreach(list, i, s) {
            json_t *row = json_deep_copy(s);
            /* the curves are for the charts, not for a table */
            json_object_del(row, tether_metric_names[TETHER_M_CURVE]);
            json_object_del(row,
                            tether_metric_names[TETHER_M_FOLLOWED_CURVE]);
            json_object_del(row,
                            tether_metric_names[TETHER_M_NOT_FOLLOWED_CURVE]);
            json_array_append_new(t->rows, row);
        }
        const char *const first[] = {
            tether_metric_names[TETHER_M_DIMENSION],
            tether_metric_names[TETHER_M_SEGMENT],
            tether_metric_names[TETHER_M_GROUP], NULL};
        const char *const pfirst[] = {tether_metric_names[TETHER_M_PRACTICE],
                                      tether_metric_names[TETHER_M_SCOPE],
                                      NULL};
        json_columns(t, id == RT_PRACTICES ? pfirst : first);
        return;
    }
    const char *key = id == RT_SURVEYS ? "surveys" : "survey_comparisons";
    const json_t *list = json_object_get(res, key);
    size_t i;
    json_t *s;
    json_array_foreach(list, i, s) {
        json_t *row = json_object();
        if (json_is_object(s))
            flatten(row, "", s);
        json_array_append_new(t->rows, row);
    }
    if (id == RT_SURVEYS)
        /* counts is flattened into counts.N, found in the rows */
        json_columns_m(t, tether_survey_cols, TETHER_SURVEY_NCOLS);
    else if (id == RT_COMPARISONS)
        json_columns_m(t, comparisons_known,
                       sizeof(comparisons_known) / sizeof(comparisons_known[0]));
}

struct report_table *
report_table_open(const struct report *r, enum report_table_id id,
                  char *errbuf)
{
    struct report_table *t = tether_xcalloc(1, sizeof(*t));
    t->r = r;
    char *sql = NULL;
    int rc = 0;
    switch (id) {
    case RT_PAIRS:
        /* The primary key (run, pair) gives pair order without a sort. */
        sql = tether_xasprintf("%s ORDER BY h.pair", pairs_sql_head);
        rc = open_sql(t, sql, errbuf);
        break;
    case RT_FOLLOWUP:
        sql = tether_xasprintf(
            "%s AND h.status IN ('inactive', 'never_met', 'at_risk') "
            "ORDER BY p.program IS NULL, p.program, h.days_quiet DESC, "
            "p.pair_id",
            pairs_sql_head);
        rc = open_sql(t, sql, errbuf);
        break;
    case RT_IMPORTS:
        rc = open_sql(t,
                      "SELECT id AS import, kind, format, path, imported_at, "
                      "rows_read, loaded, duplicates, updated, unchanged, "
                      "skipped, rejected FROM imports ORDER BY id",
                      errbuf);
        break;
    case RT_REJECTS:
        rc = open_sql(t,
                      "SELECT r.import_id AS import, i.path, r.line, "
                      "r.column_name AS \"column\", r.reason, r.raw "
                      "FROM rejects r JOIN imports i ON i.id = r.import_id "
                      "ORDER BY r.id",
                      errbuf);
        break;
    case RT_INCLUSION:
    case RT_SURVEYS:
    case RT_COMPARISONS:
    case RT_TREND:
    case RT_RETENTION:
    case RT_RETENTION_MATCHED:
    case RT_PROMOTION:
    case RT_PROMOTION_MATCHED:
    case RT_SURVIVAL:
    case RT_PRACTICES:
        open_json(t, id);
        break;
    }
    free(sql);
    if (rc) {
        report_table_close(t);
        return NULL;
    }
    return t;
}

size_t
report_table_ncols(const struct report_table *t)
{
    return t->ncols;
}

const char *
report_table_colname(const struct report_table *t, size_t i)
{
    return t->names[i];
}

enum report_kind
report_table_colkind(const struct report_table *t, size_t i)
{
    return t->kinds[i];
}

long
report_table_find(const struct report_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->names[i], name) == 0)
            return (long)i;
    return -1;
}

int
report_table_next(struct report_table *t, char *errbuf)
{
    if (t->st) {
        int rc = sqlite3_step(t->st);
        if (rc == SQLITE_ROW)
            return 1;
        if (rc == SQLITE_DONE)
            return 0;
        snprintf(errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(t->r->db));
        return -1;
    }
    if (t->at >= json_array_size(t->rows))
        return 0;
    t->row = json_array_get(t->rows, t->at++);
    return 1;
}

static void
cell_from_text(struct report_cell *c, const char *s)
{
    c->null = s == NULL;
    c->text = s ? s : "";
    if (!s)
        return;
    if (c->kind == RK_DATE) {
        int32_t d;
        /* Only the date part of a timestamp counts. */
        char day[TETHER_DATE_LEN];
        snprintf(day, sizeof(day), "%s", s);
        if (tether_date_parse(day, &d) == 0)
            c->num = d;
        else
            c->kind = RK_TEXT;
    }
}

void
report_table_cell(struct report_table *t, size_t i, struct report_cell *c)
{
    memset(c, 0, sizeof(*c));
    c->kind = t->kinds[i];
    c->text = "";
    if (t->st) {
        int col = t->sqlcol[i];
        int null = sqlite3_column_type(t->st, col) == SQLITE_NULL;
        const struct report *r = t->r;
        switch (t->anon[i]) {
        case AN_NONE:
            break;
        case AN_WITHHOLD:
            c->null = 1;
            return;
        case AN_NAME:
        case AN_EMAIL:
        case AN_ID:
        case AN_PAIR: {
            int src = t->anon[i] == AN_NAME || t->anon[i] == AN_EMAIL
                          ? t->ref[i]
                          : col;
            const char *id = (const char *)sqlite3_column_text(t->st, src);
            enum report_pseudo p = t->anon[i] == AN_NAME    ? PSEUDO_NAME
                                   : t->anon[i] == AN_EMAIL ? PSEUDO_EMAIL
                                   : t->anon[i] == AN_ID    ? PSEUDO_ID
                                                            : PSEUDO_PAIR;
            c->kind = RK_TEXT;
            if (null) {
                c->null = 1;
                return;
            }
            report_pseudonym(r, p, id, t->scratch, sizeof(t->scratch));
            c->text = t->scratch;
            return;
        }
        }
        if (null) {
            c->null = 1;
            return;
        }
        if (c->kind == RK_TEXT || c->kind == RK_DATE) {
            cell_from_text(c, (const char *)sqlite3_column_text(t->st, col));
            return;
        }
        c->num = sqlite3_column_double(t->st, col);
        return;
    }
    const json_t *v = json_object_get(t->row, t->names[i]);
    if (!v || json_is_null(v)) {
        c->null = 1;
        return;
    }
    if (json_is_string(v)) {
        if (c->kind != RK_DATE)
            c->kind = RK_TEXT;
        cell_from_text(c, json_string_value(v));
        return;
    }
    if (json_is_boolean(v)) {
        c->num = json_is_true(v);
        if (c->kind != RK_BOOL)
            c->kind = RK_BOOL;
        return;
    }
    if (json_is_number(v)) {
        c->num = json_number_value(v);
        if (c->kind == RK_TEXT || c->kind == RK_DATE)
            c->kind = RK_NUM;
        /* The trend's value column holds counts and fractions. */
        if (json_is_true(json_object_get(t->row, "_share")))
            c->kind = RK_SHARE;
        else if (strcmp(t->names[i], "value") == 0 && json_is_integer(v))
            c->kind = RK_INT;
        return;
    }
    c->null = 1;
}

void
report_table_close(struct report_table *t)
{
    if (!t)
        return;
    sqlite3_finalize(t->st);
    json_decref(t->rows);
    for (size_t i = 0; i < t->ncols; i++)
        free(t->names[i]);
    free(t->names);
    free(t->kinds);
    free(t->sqlcol);
    free(t->anon);
    free(t->ref);
    free(t);
}
