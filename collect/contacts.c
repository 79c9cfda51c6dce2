/* contacts.c - the contact store: attribution of a contact to pairs and
 * its de-duplication by source key, shared by every meeting source. */
#include "collect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tether/db.h"
#include "tether/timeutil.h"
#include "tether/util.h"

/* A pair as attribution needs it. */
struct mentor_pair {
    int64_t mentor, id, mentee;
    int32_t from, to; /* days; to is INT32_MAX while the pair goes on */
};

/* The pairs of a mentor, whatever their dates. */
struct mentor_pairs {
    int64_t mentor; /* 0: an empty slot */
    size_t n;
    struct mentor_pair *p;
};

/* Mentors looked up lately, for the same reason as struct name_cache. */
#define MENTOR_CACHE 8

struct contact_store {
    struct import *imp;
    sqlite3_stmt *st_mentor_pairs, *st_find, *st_delete, *st_confirm,
        *st_insert;
    struct name_cache emails;
    struct mentor_pairs mentors[MENTOR_CACHE];
    int next_mentor;         /* the slot to fill next */
    long mentor_queries;     /* mentors looked up in the database */
    struct mentor_pair *all; /* every pair by mentor, once loaded */
    size_t nall;
};

struct contact_store *
contact_store_new(struct import *imp)
{
    struct contact_store *cs = tether_xcalloc(1, sizeof(*cs));
    cs->imp = imp;
    struct {
        sqlite3_stmt **st;
        const char *sql;
    } s[] = {
        {&cs->st_mentor_pairs,
         "SELECT mentor, id, mentee, started_on, ended_on FROM pairs "
         "WHERE mentor = ?1"},
        {&cs->st_find, "SELECT import_id, content_hash FROM contacts "
                       "WHERE source_key = ?1 LIMIT 1"},
        {&cs->st_delete, "DELETE FROM contacts WHERE source_key = ?1"},
        {&cs->st_confirm,
         "UPDATE contacts SET import_id = ?2 WHERE source_key = ?1"},
        {&cs->st_insert,
         "INSERT INTO contacts (source_key, pair, started_at, duration_min, "
         "medium, kind, summary_sent, content_hash, import_id) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
    };
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
        if (tether_db_prepare(imp->db, s[i].sql, s[i].st, imp->errbuf)) {
            contact_store_free(cs);
            return NULL;
        }
    }
    return cs;
}

void
contact_store_free(struct contact_store *cs)
{
    if (!cs)
        return;
    sqlite3_finalize(cs->st_mentor_pairs);
    sqlite3_finalize(cs->st_find);
    sqlite3_finalize(cs->st_delete);
    sqlite3_finalize(cs->st_confirm);
    sqlite3_finalize(cs->st_insert);
    name_cache_free(&cs->emails);
    for (int i = 0; i < MENTOR_CACHE; i++)
        free(cs->mentors[i].p);
    free(cs->all);
    free(cs);
}

int64_t
contact_store_person(struct contact_store *cs, const char *email)
{
    int64_t id;
    if (name_cache_get(&cs->emails, email, &id))
        return id;
    id = person_by_email(cs->imp, email);
    name_cache_put(&cs->emails, email, id);
    return id;
}

/* Appends the pairs a statement returns (mentor, id, mentee, started_on,
 * ended_on) to *p, which holds *n of *cap: 0, or -1 if the statement
 * failed. */
static int
read_pairs(sqlite3_stmt *st, struct mentor_pair **p, size_t *n, size_t *cap)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 4;
            *p = tether_xrealloc(*p, *cap * sizeof(**p));
        }
        struct mentor_pair *q = &(*p)[(*n)++];
        q->mentor = sqlite3_column_int64(st, 0);
        q->id = sqlite3_column_int64(st, 1);
        q->mentee = sqlite3_column_int64(st, 2);
        const char *from = (const char *)sqlite3_column_text(st, 3);
        const char *to = (const char *)sqlite3_column_text(st, 4);
        if (!from || tether_date_parse(from, &q->from))
            q->from = INT32_MAX; /* never active */
        if (!to)
            q->to = INT32_MAX;
        else if (tether_date_parse(to, &q->to))
            q->to = INT32_MIN;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int
cmp_mentor_pair(const void *a, const void *b)
{
    const struct mentor_pair *x = a, *y = b;
    if (x->mentor != y->mentor)
        return (x->mentor > y->mentor) - (x->mentor < y->mentor);
    return (x->id > y->id) - (x->id < y->id);
}

/* Reads every pair into cs->all (see LOOKUPS_BEFORE_LOAD), sorted by
 * mentor and then id (the order in which the database returns a mentor's
 * pairs); on failure, cs->all stays NULL and the pairs are looked up one
 * mentor at a time. */
static void
load_all_pairs(struct contact_store *cs)
{
    sqlite3_stmt *st;
    size_t cap = 1; /* the number of pairs, so that nothing is reallocated */
    if (sqlite3_prepare_v2(cs->imp->db, "SELECT count(*) FROM pairs", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        cap += (size_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(cs->imp->db,
                           "SELECT mentor, id, mentee, started_on, ended_on "
                           "FROM pairs",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return;
    }
    cs->all = tether_xcalloc(cap, sizeof(*cs->all));
    if (read_pairs(st, &cs->all, &cs->nall, &cap)) {
        free(cs->all);
        cs->all = NULL;
        cs->nall = 0;
    } else {
        qsort(cs->all, cs->nall, sizeof(*cs->all), cmp_mentor_pair);
    }
    sqlite3_finalize(st);
}

/* The pairs of a mentor, from memory or the database: *n of them. */
static const struct mentor_pair *
mentor_pairs(struct contact_store *cs, int64_t mentor, size_t *n)
{
    if (!cs->all && cs->mentor_queries == LOOKUPS_BEFORE_LOAD)
        load_all_pairs(cs);
    if (cs->all) {
        size_t lo = 0, hi = cs->nall; /* the first pair of mentor */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cs->all[mid].mentor < mentor)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t end = lo;
        while (end < cs->nall && cs->all[end].mentor == mentor)
            end++;
        *n = end - lo;
        return cs->all + lo;
    }
    for (int i = 0; i < MENTOR_CACHE; i++) {
        if (cs->mentors[i].mentor == mentor) {
            *n = cs->mentors[i].n;
            return cs->mentors[i].p;
        }
    }
    struct mentor_pairs *m = &cs->mentors[cs->next_mentor];
    cs->next_mentor = (cs->next_mentor + 1) % MENTOR_CACHE;
    m->mentor = mentor;
    m->n = 0;
    size_t cap = 0; /* read_pairs reallocates m->p to its size */
    sqlite3_bind_int64(cs->st_mentor_pairs, 1, mentor);
    read_pairs(cs->st_mentor_pairs, &m->p, &m->n, &cap);
    cs->mentor_queries++;
    *n = m->n;
    return m->p;
}

size_t
contact_store_pairs_among(struct contact_store *cs, const int64_t *people,
                          size_t npeople, int64_t started_at, int64_t *pairs,
                          size_t max)
{
    int32_t day = tether_ts_day(started_at, 0);
    size_t n = 0;
    for (size_t i = 0; i < npeople; i++) {
        size_t np;
        const struct mentor_pair *mp = mentor_pairs(cs, people[i], &np);
        for (size_t k = 0; k < np; k++) {
            const struct mentor_pair *p = &mp[k];
            if (day < p->from || day > p->to)
                continue;
            for (size_t j = 0; j < npeople; j++) {
                if (people[j] == p->mentee && j != i) {
                    if (n < max)
                        pairs[n] = p->id;
                    n++;
                    break;
                }
            }
        }
    }
    return n;
}

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int64_t
content_hash(const struct contact *c, const int64_t *pairs, size_t npairs)
{
    uint64_t h = TETHER_HASH_INIT;
    h = tether_hash(h, &c->started_at, sizeof(c->started_at));
    double d = isnan(c->duration_min) ? -1.0 : c->duration_min;
    h = tether_hash(h, &d, sizeof(d));
    h = tether_hash(h, c->medium, strlen(c->medium) + 1);
    h = tether_hash(h, c->kind, strlen(c->kind) + 1);
    h = tether_hash(h, &c->summary_sent, sizeof(c->summary_sent));
    int64_t sorted[64];
    size_t n = npairs < 64 ? npairs : 64;
    memcpy(sorted, pairs, n * sizeof(int64_t));
    qsort(sorted, n, sizeof(int64_t), cmp_i64);
    h = tether_hash(h, sorted, n * sizeof(int64_t));
    return (int64_t)h;
}

static int
step_done(struct contact_store *cs, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        snprintf(cs->imp->errbuf, TETHER_ERRBUF, "%s",
                 sqlite3_errmsg(cs->imp->db));
        return -1;
    }
    return 0;
}

enum contact_result
contact_store_put(struct contact_store *cs, const struct contact *c,
                  const int64_t *pairs, size_t npairs)
{
    int64_t hash = content_hash(c, pairs, npairs);
    sqlite3_stmt *st = cs->st_find;
    sqlite3_bind_text(st, 1, c->source_key, -1, SQLITE_STATIC);
    enum contact_result result = CONTACT_LOADED;
    if (sqlite3_step(st) == SQLITE_ROW) {
        int64_t import_id = sqlite3_column_int64(st, 0);
        int same = sqlite3_column_int64(st, 1) == hash;
        if (import_id == cs->imp->id)
            result = same ? CONTACT_DUPLICATE : CONTACT_CONFLICT;
        else
            result = same ? CONTACT_UNCHANGED : CONTACT_UPDATED;
    }
    sqlite3_reset(st);
    if (result == CONTACT_UNCHANGED) {
        /* Claim the rows for this import, so that a second row with the
         * same key in this file is seen as a duplicate or a conflict. */
        sqlite3_bind_text(cs->st_confirm, 1, c->source_key, -1,
                          SQLITE_TRANSIENT);
        sqlite3_bind_int64(cs->st_confirm, 2, cs->imp->id);
        if (step_done(cs, cs->st_confirm))
            return CONTACT_ERROR;
    }
    if (result != CONTACT_LOADED && result != CONTACT_UPDATED)
        return result;
    if (result == CONTACT_UPDATED) {
        sqlite3_bind_text(cs->st_delete, 1, c->source_key, -1,
                          SQLITE_TRANSIENT);
        if (step_done(cs, cs->st_delete))
            return CONTACT_ERROR;
    }
    st = cs->st_insert;
    for (size_t i = 0; i < npairs; i++) {
        sqlite3_bind_text(st, 1, c->source_key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, pairs[i]);
        sqlite3_bind_int64(st, 3, c->started_at);
        if (isnan(c->duration_min))
            sqlite3_bind_null(st, 4);
        else
            sqlite3_bind_double(st, 4, c->duration_min);
        sqlite3_bind_text(st, 5, c->medium, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, c->kind, -1, SQLITE_STATIC);
        if (c->summary_sent < 0)
            sqlite3_bind_null(st, 7);
        else
            sqlite3_bind_int(st, 7, c->summary_sent);
        sqlite3_bind_int64(st, 8, hash);
        sqlite3_bind_int64(st, 9, cs->imp->id);
        if (step_done(cs, st))
            return CONTACT_ERROR;
    }
    return result;
}

int
contact_count(struct import *imp, enum contact_result r)
{
    switch (r) {
    case CONTACT_LOADED:
        imp->loaded++;
        return 0;
    case CONTACT_DUPLICATE:
        imp->duplicates++;
        return 0;
    case CONTACT_UNCHANGED:
        imp->unchanged++;
        return 0;
    case CONTACT_UPDATED:
        imp->updated++;
        return 0;
    case CONTACT_CONFLICT:
        return 0; /* the caller rejects the row, naming the key */
    case CONTACT_ERROR:
        return -1;
    }
    return -1;
}
