/* contacts.c - the contact store: attribution of a contact to pairs and
 * its de-duplication by source key, shared by every meeting source. */
#include "collect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tether/db.h"
#include "tether/timeutil.h"
#include "tether/util.h"

/* The pairs of a mentor, whatever their dates. */
struct mentor_pairs {
    int64_t mentor; /* 0: an empty slot */
    size_t n;
    struct mentor_pair {
        int64_t id, mentee;
        int32_t from, to; /* days; to is INT32_MAX while the pair goes on */
    } *p;
};

/* Mentors looked up lately, for the same reason as struct name_cache. */
#define MENTOR_CACHE 8

struct contact_store {
    struct import *imp;
    sqlite3_stmt *st_email, *st_mentor_pairs, *st_find, *st_delete,
        *st_confirm, *st_insert;
    struct name_cache emails;
    struct mentor_pairs mentors[MENTOR_CACHE];
    int next_mentor; /* the slot to fill next */
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
        {&cs->st_email, "SELECT id FROM people WHERE email = lower(trim(?1))"},
        {&cs->st_mentor_pairs,
         "SELECT id, mentee, started_on, ended_on FROM pairs "
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
    sqlite3_finalize(cs->st_email);
    sqlite3_finalize(cs->st_mentor_pairs);
    sqlite3_finalize(cs->st_find);
    sqlite3_finalize(cs->st_delete);
    sqlite3_finalize(cs->st_confirm);
    sqlite3_finalize(cs->st_insert);
    name_cache_free(&cs->emails);
    for (int i = 0; i < MENTOR_CACHE; i++)
        free(cs->mentors[i].p);
    free(cs);
}

int64_t
contact_store_person(struct contact_store *cs, const char *email)
{
    int64_t id;
    if (name_cache_get(&cs->emails, email, &id))
        return id;
    sqlite3_stmt *st = cs->st_email;
    sqlite3_bind_text(st, 1, email, -1, SQLITE_TRANSIENT);
    id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    name_cache_put(&cs->emails, email, id);
    return id;
}

/* The pairs of a mentor, from the cache or the database. */
static const struct mentor_pairs *
mentor_pairs(struct contact_store *cs, int64_t mentor)
{
    for (int i = 0; i < MENTOR_CACHE; i++)
        if (cs->mentors[i].mentor == mentor)
            return &cs->mentors[i];
    struct mentor_pairs *m = &cs->mentors[cs->next_mentor];
    cs->next_mentor = (cs->next_mentor + 1) % MENTOR_CACHE;
    m->mentor = mentor;
    m->n = 0;
    sqlite3_stmt *st = cs->st_mentor_pairs;
    sqlite3_bind_int64(st, 1, mentor);
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (m->n == cap) {
            cap = cap ? cap * 2 : 4;
            m->p = tether_xrealloc(m->p, cap * sizeof(*m->p));
        }
        struct mentor_pair *p = &m->p[m->n++];
        p->id = sqlite3_column_int64(st, 0);
        p->mentee = sqlite3_column_int64(st, 1);
        const char *from = (const char *)sqlite3_column_text(st, 2);
        const char *to = (const char *)sqlite3_column_text(st, 3);
        if (!from || tether_date_parse(from, &p->from))
            p->from = INT32_MAX; /* never active */
        if (!to)
            p->to = INT32_MAX;
        else if (tether_date_parse(to, &p->to))
            p->to = INT32_MIN;
    }
    sqlite3_reset(st);
    return m;
}

size_t
contact_store_pairs_among(struct contact_store *cs, const int64_t *people,
                          size_t npeople, int64_t started_at, int64_t *pairs,
                          size_t max)
{
    int32_t day = tether_ts_day(started_at, 0);
    size_t n = 0;
    for (size_t i = 0; i < npeople; i++) {
        const struct mentor_pairs *m = mentor_pairs(cs, people[i]);
        for (size_t k = 0; k < m->n; k++) {
            const struct mentor_pair *p = &m->p[k];
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
