/* meetings_csv.c - the canonical meetings.csv: one contact per row. */
#include "collect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tether/db.h"
#include "tether/timeutil.h"
#include "tether/util.h"

enum {
    C_MEETING_ID,
    C_PAIR_ID,
    C_MENTOR,
    C_MENTEE,
    C_PARTICIPANTS,
    C_STARTED_AT,
    C_TIMEZONE,
    C_DURATION,
    C_MEDIUM,
    C_KIND,
    C_SUMMARY,
    C_INITIATOR,
    C_COUNT
};

static const struct column columns[C_COUNT] = {
    {"meeting_id", 0}, {"pair_id", 0},      {"mentor", 0},
    {"mentee", 0},     {"participants", 0}, {"started_at", 1},
    {"timezone", 0},   {"duration_min", 0}, {"medium", 1},
    {"kind", 0},       {"summary_sent", 0}, {"initiator", 0},
};

#define MAX_PEOPLE 256
#define MAX_PAIRS 256
#define MAX_DURATION_MIN 1440.0

/* A pair's id and dates, as pair_by_id needs them. */
struct pair_dates {
    int64_t id;
    int32_t start, end; /* end: INT32_MAX while the pair goes on */
};

struct meetings_ctx {
    struct import *imp;
    struct contact_store *store;
    sqlite3_stmt *pair_find;
    char *last_pair_id; /* the last pair looked up, and its dates */
    int64_t last_pair;
    int32_t last_start, last_end;
    /* Every pair by pair_id, read once LOOKUPS_BEFORE_LOAD pairs have
     * been looked up: a look-up in memory, and no statement that would
     * wait for the contact store's writer (meetings come a dozen to a
     * pair, so that wait came every few rows). */
    long pair_queries;
    struct idmap *pair_ids; /* index in pairs */
    struct pair_dates *pairs;
    struct tether_buf who, key; /* reused from row to row */
};

const char *
medium_name(const char *v)
{
    for (int i = 0; i < TETHER_MEDIUM_COUNT; i++)
        if (strcasecmp(v, tether_medium_names[i]) == 0)
            return tether_medium_names[i];
    if (strcasecmp(v, "in-person") == 0 || strcasecmp(v, "in person") == 0)
        return tether_medium_names[TETHER_MEDIUM_IN_PERSON];
    return NULL;
}

/* Reads a pair's started_on and ended_on (NULL: going on) into *d. */
static void
pair_dates_read(sqlite3_stmt *st, int col, struct pair_dates *d)
{
    d->start = INT32_MAX;
    tether_date_parse((const char *)sqlite3_column_text(st, col), &d->start);
    d->end = INT32_MAX;
    if (sqlite3_column_type(st, col + 1) != SQLITE_NULL)
        tether_date_parse((const char *)sqlite3_column_text(st, col + 1),
                          &d->end);
}

/* Fills mc->pair_ids and mc->pairs with every pair; on failure they stay
 * NULL and pairs are looked up one by one. */
static void
pairs_read_all(struct meetings_ctx *mc)
{
    sqlite3_stmt *st;
    int64_t n;
    char errbuf[TETHER_ERRBUF]; /* a failure only leaves the look-ups in SQL */
    if (import_sync(mc->imp) ||
        tether_db_int64(mc->imp->db, "SELECT count(*) FROM pairs", &n,
                        errbuf) ||
        sqlite3_prepare_v2(mc->imp->db,
                           "SELECT pair_id, id, started_on, ended_on "
                           "FROM pairs",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    struct idmap *ids = idmap_new();
    struct pair_dates *pairs = tether_xcalloc((size_t)n + 1, sizeof(*pairs));
    size_t k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (size_t)n) {
        int added;
        *idmap_put(ids, (const char *)sqlite3_column_text(st, 0), &added) =
            (int64_t)k;
        pairs[k].id = sqlite3_column_int64(st, 1);
        pair_dates_read(st, 2, &pairs[k++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        idmap_free(ids);
        free(pairs);
        return;
    }
    mc->pair_ids = ids;
    mc->pairs = pairs;
}

/* The pair named by pair_id if its dates contain day: 1 found, 0 no such
 * pair, -1 outside its dates. Exports list a pair's meetings together, so
 * the last pair looked up is kept. */
static int
pair_by_id(struct meetings_ctx *mc, const char *pair_id, int32_t day,
           int64_t *pair)
{
    if (!mc->last_pair_id || strcmp(mc->last_pair_id, pair_id) != 0) {
        free(mc->last_pair_id);
        mc->last_pair_id = tether_xstrdup(pair_id);
        mc->last_pair = 0;
        if (!mc->pair_ids && mc->pair_queries++ == LOOKUPS_BEFORE_LOAD)
            pairs_read_all(mc);
        struct pair_dates d = {0};
        if (mc->pair_ids) {
            const int64_t *k = idmap_get(mc->pair_ids, pair_id);
            if (k)
                d = mc->pairs[*k];
        } else if (!import_sync(mc->imp)) { /* before the binding too */
            sqlite3_stmt *st = mc->pair_find;
            sqlite3_bind_text(st, 1, pair_id, -1, SQLITE_TRANSIENT);
            if (import_step(mc->imp, st) == SQLITE_ROW) {
                d.id = sqlite3_column_int64(st, 0);
                pair_dates_read(st, 1, &d);
            }
            sqlite3_reset(st);
        }
        mc->last_pair = d.id;
        mc->last_start = d.start;
        mc->last_end = d.end;
    }
    if (!mc->last_pair)
        return 0;
    *pair = mc->last_pair;
    return day >= mc->last_start && day <= mc->last_end ? 1 : -1;
}

/* Reads and checks the row's own fields (start, duration, medium, kind,
 * summary, initiator) into *c. Returns 0, or 1 when the row was
 * rejected. */
static int
meeting_fields(struct csv_row *r, struct contact *c)
{
    struct import *imp = r->imp;
    const char *zone = row_get(r, C_TIMEZONE);
    if (!*zone)
        zone = imp->opts->tz;
    enum tether_ts_result e =
        tether_ts_parse(row_get(r, C_STARTED_AT), zone, &c->started_at);
    if (e == TETHER_TS_NO_ZONE) {
        row_reject(r, C_STARTED_AT,
                   "'%s' has no UTC offset and there is no timezone column",
                   row_get(r, C_STARTED_AT));
        return 1;
    }
    if (e == TETHER_TS_BAD_ZONE) {
        row_reject(r, C_TIMEZONE, "'%s' is not an IANA time zone", zone);
        return 1;
    }
    if (e) {
        row_reject(r, C_STARTED_AT,
                   "'%s' is not a timestamp (YYYY-MM-DDTHH:MM:SS+HH:MM)",
                   row_get(r, C_STARTED_AT));
        return 1;
    }
    c->duration_min = NAN;
    const char *dur = row_get(r, C_DURATION);
    if (*dur && (tether_parse_double(dur, &c->duration_min) ||
                 c->duration_min < 0 || c->duration_min > MAX_DURATION_MIN)) {
        row_reject(r, C_DURATION,
                   "'%s' is not a number of minutes from 0 to 1440", dur);
        return 1;
    }
    if (!(c->medium = medium_name(row_get(r, C_MEDIUM)))) {
        row_reject(r, C_MEDIUM,
                   "'%s' is not a medium (video, phone, in_person, chat, "
                   "email, other)",
                   row_get(r, C_MEDIUM));
        return 1;
    }
    const char *kind = row_get(r, C_KIND);
    const char *sched = tether_kind_names[TETHER_KIND_SCHEDULED],
               *impromptu = tether_kind_names[TETHER_KIND_IMPROMPTU];
    if (!*kind || strcasecmp(kind, sched) == 0) {
        c->kind = sched;
    } else if (strcasecmp(kind, impromptu) == 0) {
        c->kind = impromptu;
    } else {
        row_reject(r, C_KIND, "'%s' is not scheduled or impromptu", kind);
        return 1;
    }
    c->summary_sent = -1;
    if (*row_get(r, C_SUMMARY) &&
        (c->summary_sent = tether_parse_yesno(row_get(r, C_SUMMARY))) < 0) {
        row_reject(r, C_SUMMARY, "'%s' is not yes or no",
                   row_get(r, C_SUMMARY));
        return 1;
    }
    const char *init = row_get(r, C_INITIATOR);
    /* Enumerated values are matched without case (SPEC 1.1). */
    int role = *init ? -1 : TETHER_INITIATOR_UNKNOWN;
    for (int k = 0; k < TETHER_INITIATOR_COUNT && role < 0; k++)
        if (strcasecmp(init, tether_initiator_names[k]) == 0)
            role = k;
    if (role >= 0) {
        c->initiator_role = role;
    } else {
        row_reject(r, C_INITIATOR, "'%s' is not mentor, mentee or unknown",
                   init);
        return 1;
    }
    return 0;
}

/* Finds the pairs the row names into pairs[] and *npairs, and who it
 * names into mc->who for the default meeting key. Returns 0, 1 when the
 * row was rejected, or -1 when the import failed. */
static int
meeting_pairs(struct meetings_ctx *mc, struct csv_row *r,
              const struct contact *c, int64_t pairs[MAX_PAIRS],
              size_t *npairs_out)
{
    struct import *imp = r->imp;
    /* Which pairs: by pair_id, by mentor and mentee, or by participants. */
    size_t npairs = 0;
    int32_t day = tether_ts_day(c->started_at, 0);
    struct tether_buf *who = &mc->who;
    tether_buf_reset(who);
    if (*row_get(r, C_PAIR_ID)) {
        int f = pair_by_id(mc, row_get(r, C_PAIR_ID), day, &pairs[0]);
        if (r->imp->failed)
            return -1;
        if (f <= 0) {
            row_reject(r, C_PAIR_ID,
                       f == 0 ? "no pair %s" : "%s is outside pair %s's dates",
                       f == 0 ? row_get(r, C_PAIR_ID)
                              : row_get(r, C_STARTED_AT),
                       row_get(r, C_PAIR_ID));
            return 1;
        }
        npairs = 1;
        tether_buf_adds(who, row_get(r, C_PAIR_ID));
    } else if (*row_get(r, C_MENTOR) || *row_get(r, C_MENTEE)) {
        int64_t people[2] = {person_lookup(imp, row_get(r, C_MENTOR)),
                             person_lookup(imp, row_get(r, C_MENTEE))};
        for (size_t k = 0; k < 2; k++) {
            if (!people[k]) {
                size_t col = k ? C_MENTEE : C_MENTOR;
                row_reject(r, col, "'%s' is not in the roster",
                           row_get(r, col));
                return 1;
            }
        }
        npairs = contact_store_pairs_among(mc->store, people, 2, c->started_at,
                                           pairs, MAX_PAIRS);
        tether_buf_printf(who, "%s>%s", row_get(r, C_MENTOR),
                          row_get(r, C_MENTEE));
    } else if (*row_get(r, C_PARTICIPANTS)) {
        int64_t people[MAX_PEOPLE];
        size_t np = 0;
        char *list = tether_xstrdup(row_get(r, C_PARTICIPANTS));
        for (char *save, *t = strtok_r(list, ";", &save); t;
             t = strtok_r(NULL, ";", &save)) {
            int64_t id = person_by_email(imp, tether_str_trim(t));
            if (id && np < MAX_PEOPLE)
                people[np++] = id;
        }
        free(list);
        npairs = contact_store_pairs_among(mc->store, people, np, c->started_at,
                                           pairs, MAX_PAIRS);
        tether_buf_adds(who, row_get(r, C_PARTICIPANTS));
    } else {
        row_reject(r, C_PAIR_ID,
                   "no pair_id, mentor and mentee, or participants");
        return 1;
    }
    if (npairs == 0) {
        row_reject(r, (size_t)-1, "matches no pair active on %s",
                   row_get(r, C_STARTED_AT));
        return 1;
    }
    *npairs_out = npairs;
    return 0;
}

static int
meeting_row(struct csv_row *r, void *ctx)
{
    struct meetings_ctx *mc = ctx;
    struct import *imp = r->imp;
    struct contact c = {0};
    if (meeting_fields(r, &c))
        return 0;
    int64_t pairs[MAX_PAIRS];
    size_t npairs = 0;
    int f = meeting_pairs(mc, r, &c, pairs, &npairs);
    if (f)
        return f < 0 ? -1 : 0;
    if (npairs > MAX_PAIRS)
        npairs = MAX_PAIRS;
    c.source_key = row_get(r, C_MEETING_ID);
    if (!*c.source_key) {
        tether_buf_reset(&mc->key);
        tether_buf_printf(&mc->key, "csv:%s@%lld", mc->who.data,
                          (long long)c.started_at);
        c.source_key = mc->key.data;
    }
    enum contact_result res = contact_store_put(mc->store, &c, pairs, npairs);
    if (res == CONTACT_CONFLICT)
        row_reject(r, C_MEETING_ID,
                   "meeting %s appears again with other content", c.source_key);
    return contact_count(imp, res);
}

int
meetings_csv_load(struct import *imp)
{
    struct meetings_ctx mc = {.imp = imp};
    int rc = -1;
    mc.store = contact_store_new(imp);
    if (!mc.store)
        return -1;
    if (sqlite3_prepare_v2(imp->db,
                           "SELECT id, started_on, ended_on FROM pairs "
                           "WHERE pair_id = ?1",
                           -1, &mc.pair_find, NULL) != SQLITE_OK) {
        snprintf(imp->errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(imp->db));
        goto out;
    }
    contact_store_start_writer(mc.store);
    rc = csv_import_run(imp, columns, C_COUNT, 1, meeting_row, &mc);
    if (rc == 0)
        rc = contact_store_flush(mc.store);
out:
    contact_store_free(mc.store); /* first: it stops the writer */
    sqlite3_finalize(mc.pair_find);
    free(mc.last_pair_id);
    idmap_free(mc.pair_ids);
    free(mc.pairs);
    tether_buf_free(&mc.who);
    tether_buf_free(&mc.key);
    return rc;
}
