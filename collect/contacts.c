/* contacts.c - the contact store: attribution of a contact to pairs and
 * its de-duplication by source key, shared by every meeting source. */
#include "collect.h"

#include <math.h>
#include <pthread.h>
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

/* Contacts are inserted INSERT_BATCH rows per statement: SQLite's work per
 * statement (cursors opened and closed, the program started and halted)
 * was a fifth of a large import. The statement says OR FAIL, which keeps
 * the rows before a failing one instead of undoing them, so SQLite needs
 * no statement journal (it would write one for every batch); a failure
 * fails the whole import anyway. */
#define INSERT_BATCH 32
#define INSERT_SQL                                                             \
    "INSERT OR FAIL INTO contacts (source_key, pair, started_at, "             \
    "duration_min, medium, kind, summary_sent, content_hash, import_id, "      \
    "initiator) VALUES "
#define INSERT_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define INSERT_COLUMNS 10

/* A row waiting for its batch. Its texts are in its chunk's text. */
struct pending {
    size_t key, medium, kind; /* offsets in text */
    uint64_t key_hash;
    int64_t pair, started_at, content_hash;
    double duration_min;
    int summary_sent;
    int initiator; /* enum tether_initiator */
};

/* The rows waiting to be written, and their texts. Without a writer a
 * chunk is written when INSERT_BATCH rows wait; with one, CHUNK_ROWS
 * rows go to the writer at a time, so that the two threads meet once
 * for 32 statements rather than for each. */
#define CHUNK_ROWS (32 * INSERT_BATCH)
struct chunk {
    struct pending rows[CHUNK_ROWS];
    size_t n;
    struct tether_buf text;
};

/* The writer: a thread that runs the contact INSERTs of a first load
 * (contact_store_start_writer) while the import's thread reads the next
 * rows. It owns the connection while it holds a chunk (work); the
 * import's thread waits for it (writer_drain, through imp->sync) before
 * any statement of its own, so the two never use the connection at
 * once. */
struct writer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake, idle;
    struct chunk *work; /* the chunk being written, or NULL */
    int stop;
    int rc; /* the SQLite code of a failed INSERT: the writer stops */
};

/* The pairs the last contact_store_pairs_among found, with their two
 * people, so that contact_store_put can say who began the contact. */
#define FOUND_MAX 64
struct found_pair {
    int64_t id, mentor, mentee;
};

struct contact_store {
    struct import *imp;
    /* The source keys this store has written, when the contacts table was
     * empty as the import began: a key the filter has never seen cannot
     * be in the table, so its de-duplication look-up (a search of the
     * contacts_source index for every row, a fifth of the CPU of a first
     * large meetings import) is skipped. */
    struct key_filter keys;
    sqlite3_stmt *st_mentor_pairs, *st_find, *st_delete, *st_confirm,
        *st_insert, *st_insert_batch;
    struct chunk chunks[2], *fill; /* fill: the one rows are added to */
    size_t chunk_rows;             /* rows a chunk is written at */
    struct writer *writer;         /* NULL: rows are written here */
    struct mentor_pairs mentors[MENTOR_CACHE];
    int next_mentor;         /* the slot to fill next */
    long mentor_queries;     /* mentors looked up in the database */
    struct mentor_pair *all; /* every pair by mentor, once loaded */
    size_t nall;
    /* With all: the first of all's pairs whose mentor is id or more, for
     * every id up to the largest mentor's + 1 (people's ids are dense): a
     * message trace looks up two mentors per message, and a binary search
     * of a million pairs missed the cache at each of its twenty steps.
     * NULL when the ids are too sparse for it. */
    uint32_t *by_mentor;
    int64_t max_mentor;
    struct found_pair found[FOUND_MAX];
    size_t nfound;
};

static int writer_drain(struct contact_store *cs);
static void writer_stop(struct contact_store *cs);

struct contact_store *
contact_store_new(struct import *imp)
{
    struct contact_store *cs = tether_xcalloc(1, sizeof(*cs));
    cs->imp = imp;
    cs->fill = &cs->chunks[0];
    cs->chunk_rows = INSERT_BATCH;
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
        {&cs->st_insert, INSERT_SQL INSERT_ROW},
        {&cs->st_insert_batch, NULL},
    };
    struct tether_buf batch = {0};
    tether_buf_adds(&batch, INSERT_SQL INSERT_ROW);
    for (int i = 1; i < INSERT_BATCH; i++)
        tether_buf_adds(&batch, ", " INSERT_ROW);
    s[sizeof(s) / sizeof(s[0]) - 1].sql = batch.data;
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
        if (tether_db_prepare(imp->db, s[i].sql, s[i].st, imp->errbuf)) {
            tether_buf_free(&batch);
            contact_store_free(cs);
            return NULL;
        }
    }
    tether_buf_free(&batch);
    key_filter_init(&cs->keys, imp, "contacts");
    return cs;
}

void
contact_store_free(struct contact_store *cs)
{
    if (!cs)
        return;
    writer_stop(cs);
    sqlite3_finalize(cs->st_insert_batch);
    for (int i = 0; i < 2; i++)
        tether_buf_free(&cs->chunks[i].text);
    sqlite3_finalize(cs->st_mentor_pairs);
    sqlite3_finalize(cs->st_find);
    sqlite3_finalize(cs->st_delete);
    sqlite3_finalize(cs->st_confirm);
    sqlite3_finalize(cs->st_insert);
    for (int i = 0; i < MENTOR_CACHE; i++)
        free(cs->mentors[i].p);
    free(cs->all);
    free(cs->by_mentor);
    key_filter_free(&cs->keys);
    free(cs);
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

/* Fills cs->by_mentor from the sorted cs->all, when the mentors' ids are
 * at most a few per pair (4 bytes an id). */
static void
index_mentors(struct contact_store *cs)
{
    if (!cs->nall || cs->all[0].mentor < 0 || cs->nall > UINT32_MAX - 1)
        return;
    int64_t max = cs->all[cs->nall - 1].mentor;
    if (max > 4 * (int64_t)cs->nall + 65536)
        return;
    cs->max_mentor = max;
    cs->by_mentor = tether_xmalloc(((size_t)max + 2) * sizeof(uint32_t));
    size_t k = 0;
    for (int64_t id = 0; id <= max + 1; id++) {
        while (k < cs->nall && cs->all[k].mentor < id)
            k++;
        cs->by_mentor[id] = (uint32_t)k;
    }
}

/* Reads every pair into cs->all (see LOOKUPS_BEFORE_LOAD), sorted by
 * mentor and then id (the order in which the database returns a mentor's
 * pairs); on failure, cs->all stays NULL and the pairs are looked up one
 * mentor at a time. */
static void
load_all_pairs(struct contact_store *cs)
{
    sqlite3_stmt *st;
    int64_t npairs; /* so that nothing is reallocated */
    if (tether_db_int64(cs->imp->db, "SELECT count(*) FROM pairs", &npairs,
                        cs->imp->errbuf))
        return;
    size_t cap = (size_t)npairs + 1;
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
        index_mentors(cs);
    }
    sqlite3_finalize(st);
}

/* The pairs of a mentor, from memory or the database: *n of them. */
static const struct mentor_pair *
mentor_pairs(struct contact_store *cs, int64_t mentor, size_t *n)
{
    /* The database is read below only before all pairs are in memory. */
    if (!cs->all && writer_drain(cs)) {
        *n = 0;
        return NULL;
    }
    if (!cs->all && cs->mentor_queries == LOOKUPS_BEFORE_LOAD)
        load_all_pairs(cs);
    if (cs->by_mentor) {
        if (mentor < 0 || mentor > cs->max_mentor) {
            *n = 0;
            return cs->all;
        }
        size_t lo = cs->by_mentor[mentor];
        *n = cs->by_mentor[mentor + 1] - lo;
        return cs->all + lo;
    }
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
    if (read_pairs(cs->st_mentor_pairs, &m->p, &m->n, &cap))
        import_db_failed(cs->imp);
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
    cs->nfound = 0;
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
                    if (cs->nfound < FOUND_MAX)
                        cs->found[cs->nfound++] = (struct found_pair){
                            p->id, p->mentor, p->mentee};
                    n++;
                    break;
                }
            }
        }
    }
    return n;
}

size_t
contact_store_pairs_of(struct contact_store *cs, int64_t sender,
                       const int64_t *others, size_t nothers,
                       int64_t started_at, int64_t *pairs, size_t max)
{
    /* INT64_MIN: whatever the pairs' dates (a message without a date). */
    int any = started_at == INT64_MIN;
    int32_t day = any ? 0 : tether_ts_day(started_at, 0);
    size_t n = 0;
    cs->nfound = 0;
    /* The sender as mentor of one of the others, then as their mentee. */
    for (size_t side = 0; side < 2; side++) {
        for (size_t i = 0; i < (side ? nothers : 1); i++) {
            int64_t mentor = side ? others[i] : sender;
            size_t np;
            const struct mentor_pair *mp = mentor_pairs(cs, mentor, &np);
            for (size_t k = 0; k < np; k++) {
                const struct mentor_pair *p = &mp[k];
                if (!any && (day < p->from || day > p->to))
                    continue;
                int hit = 0;
                if (side)
                    hit = p->mentee == sender;
                else
                    for (size_t j = 0; j < nothers && !hit; j++)
                        hit = p->mentee == others[j];
                if (!hit)
                    continue;
                if (n < max)
                    pairs[n] = p->id;
                n++;
                if (cs->nfound < FOUND_MAX)
                    cs->found[cs->nfound++] =
                        (struct found_pair){p->id, p->mentor, p->mentee};
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
    /* Hashed only when known, so that the contacts stored before there
     * was an initiator stay unchanged when their file comes again. */
    if (c->initiator)
        h = tether_hash(h, &c->initiator, sizeof(c->initiator));
    else if (c->initiator_role)
        h = tether_hash(h, &c->initiator_role, sizeof(c->initiator_role));
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
    if (rc != SQLITE_DONE)
        return import_db_failed(cs->imp);
    return 0;
}

/* The offset of a copy of s in the text of the chunk being filled. */
static size_t
text_add(struct contact_store *cs, const char *s)
{
    size_t off = cs->fill->text.len;
    tether_buf_add(&cs->fill->text, s, strlen(s) + 1);
    return off;
}

/* Binds pending row p to the INSERT_COLUMNS parameters from first on. */
static void
bind_pending(const struct contact_store *cs, const struct chunk *ch,
             sqlite3_stmt *st, int first, const struct pending *p)
{
    const char *text = ch->text.data;
    sqlite3_bind_text(st, first, text + p->key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, first + 1, p->pair);
    sqlite3_bind_int64(st, first + 2, p->started_at);
    if (isnan(p->duration_min))
        sqlite3_bind_null(st, first + 3);
    else
        sqlite3_bind_double(st, first + 3, p->duration_min);
    sqlite3_bind_text(st, first + 4, text + p->medium, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, first + 5, text + p->kind, -1, SQLITE_STATIC);
    if (p->summary_sent < 0)
        sqlite3_bind_null(st, first + 6);
    else
        sqlite3_bind_int(st, first + 6, p->summary_sent);
    sqlite3_bind_int64(st, first + 7, p->content_hash);
    sqlite3_bind_int64(st, first + 8, cs->imp->id);
    sqlite3_bind_text(st, first + 9, tether_initiator_names[p->initiator], -1,
                      SQLITE_STATIC);
}

/* The role of the contact's initiator in pair, from the pairs the last
 * look-up found. */
static int
pair_role(const struct contact_store *cs, const struct contact *c,
          int64_t pair)
{
    if (!c->initiator)
        return c->initiator_role;
    for (size_t i = 0; i < cs->nfound; i++) {
        if (cs->found[i].id != pair)
            continue;
        if (cs->found[i].mentor == c->initiator)
            return TETHER_INITIATOR_MENTOR;
        if (cs->found[i].mentee == c->initiator)
            return TETHER_INITIATOR_MENTEE;
    }
    return TETHER_INITIATOR_UNKNOWN;
}

/* Inserts the rows of ch, INSERT_BATCH to a statement and the rest one by
 * one, and empties it: SQLITE_OK or the code of the failed step. Runs on
 * the writer's thread or, without one, on the import's. */
static int
chunk_write(struct contact_store *cs, struct chunk *ch)
{
    int rc = SQLITE_DONE;
    size_t i = 0;
    for (; i + INSERT_BATCH <= ch->n && rc == SQLITE_DONE; i += INSERT_BATCH) {
        for (size_t k = 0; k < INSERT_BATCH; k++)
            bind_pending(cs, ch, cs->st_insert_batch,
                         (int)k * INSERT_COLUMNS + 1, &ch->rows[i + k]);
        rc = sqlite3_step(cs->st_insert_batch);
        sqlite3_reset(cs->st_insert_batch);
    }
    for (; i < ch->n && rc == SQLITE_DONE; i++) {
        bind_pending(cs, ch, cs->st_insert, 1, &ch->rows[i]);
        rc = sqlite3_step(cs->st_insert);
        sqlite3_reset(cs->st_insert);
    }
    ch->n = 0;
    tether_buf_reset(&ch->text);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void *
writer_main(void *arg)
{
    struct contact_store *cs = arg;
    struct writer *w = cs->writer;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->work && !w->stop)
            pthread_cond_wait(&w->wake, &w->mu);
        if (!w->work)
            break;
        struct chunk *ch = w->work;
        pthread_mutex_unlock(&w->mu);
        int rc = w->rc ? w->rc : chunk_write(cs, ch);
        pthread_mutex_lock(&w->mu);
        if (rc != SQLITE_OK) {
            w->rc = rc;
            ch->n = 0;
            tether_buf_reset(&ch->text);
        }
        w->work = NULL;
        pthread_cond_signal(&w->idle);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* Waits until the writer holds no chunk: 0, or -1 when one of its INSERTs
 * failed (the import fails with SQLite's message, which the connection
 * still holds: nothing ran on it since). */
static int
writer_drain(struct contact_store *cs)
{
    struct writer *w = cs->writer;
    if (!w)
        return 0;
    pthread_mutex_lock(&w->mu);
    while (w->work)
        pthread_cond_wait(&w->idle, &w->mu);
    int rc = w->rc;
    pthread_mutex_unlock(&w->mu);
    return rc ? import_db_failed(cs->imp) : 0;
}

static int
writer_sync(void *ctx)
{
    return writer_drain(ctx);
}

/* Hands the full chunk to the writer and takes the other one to fill. */
static int
writer_give(struct contact_store *cs)
{
    if (writer_drain(cs))
        return -1;
    struct writer *w = cs->writer;
    pthread_mutex_lock(&w->mu);
    w->work = cs->fill;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->mu);
    cs->fill = cs->fill == &cs->chunks[0] ? &cs->chunks[1] : &cs->chunks[0];
    return 0;
}

/* Frees the writer, whose thread has ended or never began. */
static void
writer_free(struct contact_store *cs)
{
    struct writer *w = cs->writer;
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->wake);
    pthread_cond_destroy(&w->idle);
    free(w);
    cs->writer = NULL;
}

static void
writer_stop(struct contact_store *cs)
{
    struct writer *w = cs->writer;
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    writer_free(cs);
    cs->imp->sync = NULL;
    cs->imp->sync_ctx = NULL;
}

void
contact_store_start_writer(struct contact_store *cs)
{
    if (cs->writer || !cs->keys.bits || cs->fill->n)
        return;
    struct writer *w = tether_xcalloc(1, sizeof(*w));
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->wake, NULL);
    pthread_cond_init(&w->idle, NULL);
    cs->writer = w;
    if (pthread_create(&w->thread, NULL, writer_main, cs) != 0) {
        writer_free(cs);
        return; /* the rows are written here */
    }
    cs->chunk_rows = CHUNK_ROWS;
    cs->imp->sync = writer_sync;
    cs->imp->sync_ctx = cs;
}

/* Writes the rows waiting here, the writer's first. */
int
contact_store_flush(struct contact_store *cs)
{
    if (writer_drain(cs))
        return -1;
    int rc = chunk_write(cs, cs->fill);
    if (rc != SQLITE_OK)
        return import_db_failed(cs->imp);
    return 0;
}

/* The chunk being filled is full: to the writer, or written here. */
static int
chunk_full(struct contact_store *cs)
{
    return cs->writer ? writer_give(cs) : contact_store_flush(cs);
}

enum contact_result
contact_store_put(struct contact_store *cs, const struct contact *c,
                  const int64_t *pairs, size_t npairs)
{
    int64_t hash = content_hash(c, pairs, npairs);
    /* A key still pending is written first, so that the look-up below
     * sees it (two keys of the same hash only flush a batch early). */
    uint64_t key_hash =
        tether_hash(TETHER_HASH_INIT, c->source_key, strlen(c->source_key));
    enum contact_result result = CONTACT_LOADED;
    if (key_filter_add(&cs->keys, key_hash)) {
        if (writer_drain(cs))
            return CONTACT_ERROR;
        for (size_t i = 0; i < cs->fill->n; i++) {
            if (cs->fill->rows[i].key_hash == key_hash) {
                if (contact_store_flush(cs))
                    return CONTACT_ERROR;
                break;
            }
        }
        sqlite3_stmt *st = cs->st_find;
        sqlite3_bind_text(st, 1, c->source_key, -1, SQLITE_STATIC);
        if (import_step(cs->imp, st) == SQLITE_ROW) {
            int64_t import_id = sqlite3_column_int64(st, 0);
            int same = sqlite3_column_int64(st, 1) == hash;
            if (import_id == cs->imp->id)
                result = same ? CONTACT_DUPLICATE : CONTACT_CONFLICT;
            else
                result = same ? CONTACT_UNCHANGED : CONTACT_UPDATED;
        }
        sqlite3_reset(st);
        if (cs->imp->failed)
            return CONTACT_ERROR;
    }
    if (c->keep_existing && result == CONTACT_CONFLICT)
        result = CONTACT_DUPLICATE;
    else if (c->keep_existing && result == CONTACT_UPDATED)
        result = CONTACT_UNCHANGED;
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
    for (size_t i = 0; i < npairs; i++) {
        if (cs->fill->n == cs->chunk_rows && chunk_full(cs))
            return CONTACT_ERROR;
        struct pending *p = &cs->fill->rows[cs->fill->n++];
        p->key = text_add(cs, c->source_key);
        p->medium = text_add(cs, c->medium);
        p->kind = text_add(cs, c->kind);
        p->key_hash = key_hash;
        p->pair = pairs[i];
        p->started_at = c->started_at;
        p->content_hash = hash;
        p->duration_min = c->duration_min;
        p->summary_sent = c->summary_sent;
        p->initiator = pair_role(cs, c, pairs[i]);
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
