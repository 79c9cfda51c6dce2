/* roster_known.c - what the database knew of every person before a large
 * roster snapshot, read in two scans instead of three searches per row:
 * the person's id, whether a newer snapshot set the unversioned columns,
 * its e-mail (so that the snapshot can keep e-mails unique without asking
 * the index), and the version in force on the snapshot's date with its
 * content. The two scans run at once, the versions' on a thread with a
 * connection of its own.
 *
 * A version's content (work mode, site, department, time zone and the
 * attribute lines) is kept as one interned key, so that a million people
 * who share a few thousand combinations take a few thousand strings, and
 * "unchanged" is a comparison of two numbers. */
#include "collect.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "tether/db.h"
#include "tether/util.h"

struct roster_known {
    struct idmap *by_person_id; /* person_id -> index in people */
    struct known_person *people;
    size_t n;
    struct idmap *contents; /* content key -> its number + 1 */
    struct idmap *by_email; /* stored e-mail -> people.id, 0: none now */
    struct tether_buf key;   /* scratch for content keys */
    struct tether_buf who;   /* each person's unversioned columns, as a key */
};

/* One field of a content key: its length first, so that no value can
 * run into the next. */
static void
key_field(struct tether_buf *b, const char *v)
{
    char digits[24];
    size_t n = strlen(v), i = sizeof(digits);
    digits[--i] = ':';
    do
        digits[--i] = (char)('0' + n % 10);
    while ((n /= 10) > 0);
    tether_buf_add(b, digits + i, sizeof(digits) - i);
    tether_buf_adds(b, v);
}

/* The unversioned columns as one key: a person is unchanged when its key
 * is the stored one, byte for byte. */
static void
who_key(struct tether_buf *b, const char *name, const char *email,
        const char *joined_on, const char *left_on)
{
    key_field(b, name);
    key_field(b, email);
    key_field(b, joined_on);
    key_field(b, left_on);
    tether_buf_add(b, "", 1); /* the end of this person's key */
}

static const char *
key_of(struct roster_known *k, const char *mode, const char *site,
       const char *department, const char *tz, const char *attrs)
{
    tether_buf_reset(&k->key);
    key_field(&k->key, mode);
    key_field(&k->key, site);
    key_field(&k->key, department);
    key_field(&k->key, tz);
    key_field(&k->key, attrs);
    return k->key.data;
}

static const char *
text(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    return t ? t : "";
}

void
roster_known_free(struct roster_known *k)
{
    if (!k)
        return;
    idmap_free(k->by_person_id);
    idmap_free(k->contents);
    idmap_free(k->by_email);
    free(k->people);
    tether_buf_free(&k->key);
    tether_buf_free(&k->who);
    free(k);
}

/* The number of people and their largest id: 0, or an SQLite code
 * (SQLITE_RANGE when the ids are too sparse for arrays indexed by id). */
static int
people_size(sqlite3 *db, size_t *count, int64_t *max_id)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, "SELECT count(*), max(id) FROM people",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    *count = 0;
    *max_id = 0;
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *count = (size_t)sqlite3_column_int64(st, 0);
        *max_id = sqlite3_column_int64(st, 1);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    /* ids above a few times the count are not worth an array */
    if (rc == SQLITE_OK &&
        (*max_id < 0 || (size_t)*max_id > 4 * *count + 1024))
        rc = SQLITE_RANGE;
    return rc;
}

/* Reads the count people (ids up to max_id) into k. 0 or an SQLite
 * error. */
static int
load_people(struct roster_known *k, sqlite3 *db, const char *as_of,
            size_t count, int64_t max_id)
{
    k->people = tether_xcalloc(count + 1, sizeof(*k->people));
    idmap_reserve(k->by_person_id, count);
    idmap_reserve(k->by_email, count);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT id, person_id, snapshot_as_of > ?1, "
                                "name, email, joined_on, left_on FROM people",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_text(st, 1, as_of, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k->n < count) {
        int64_t id = sqlite3_column_int64(st, 0);
        int added;
        int64_t *v = idmap_put(k->by_person_id, text(st, 1), &added);
        if (id < 0 || id > max_id || !added)
            break;
        *v = (int64_t)k->n;
        struct known_person *p = &k->people[k->n++];
        p->id = id;
        p->newer = sqlite3_column_int(st, 2) != 0;
        p->who = k->who.len;
        who_key(&k->who, text(st, 3), text(st, 4), text(st, 5), text(st, 6));
        if (*text(st, 4)) /* unique in people: no two get here */
            *idmap_put(k->by_email, text(st, 4), &added) = id;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc == SQLITE_OK ? SQLITE_ERROR : rc;
}

/* The version in force of one people.id, as load_versions finds it. */
struct known_version {
    int64_t version, content;
    int same_day;
};

/* A version being read: its content key so far (the four fields, as
 * key_of writes them) and its attribute lines, in buffers reused from one
 * version to the next (two million versions and attribute rows were as
 * many allocations and printf calls: a fifth of the load). */
struct pending {
    struct known_version *p; /* whose version it is, or NULL */
    int64_t version;
    int same_day, started;
    struct tether_buf key, attrs;
};

/* The version read is the one in force so far for its person: a later
 * valid_from comes after it and replaces it. */
static void
pending_done(struct idmap *contents, struct pending *v)
{
    if (v->p) {
        tether_buf_add(&v->attrs, "", 0); /* "" when it has none */
        key_field(&v->key, v->attrs.data);
        int added;
        int64_t *n = idmap_put(contents, v->key.data, &added);
        if (added)
            *n = (int64_t)idmap_count(contents);
        v->p->version = v->version;
        v->p->same_day = v->same_day;
        v->p->content = *n;
    }
    tether_buf_reset(&v->key);
    tether_buf_reset(&v->attrs);
    v->p = NULL;
    v->started = 0;
}

/* The version of every person in force on as_of: rows come by person and
 * date, each version with its attributes in name order (the order of
 * roster.c's attrs_find), and a person's last version on or before as_of
 * is the one in force. */
static int
load_versions(struct idmap *contents, sqlite3 *db, const char *as_of,
              struct known_version *by_id, int64_t max_id)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(
        db,
        "SELECT v.person, v.id, v.valid_from = ?1, v.work_mode, v.site, "
        "v.department, v.timezone, a.name, a.value "
        "FROM person_versions v LEFT JOIN person_attributes a "
        "ON a.version = v.id WHERE v.valid_from <= ?1 "
        "ORDER BY v.person, v.valid_from, a.name",
        -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_text(st, 1, as_of, -1, SQLITE_STATIC);
    struct pending v = {0};
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t version = sqlite3_column_int64(st, 1);
        if (version != v.version || !v.started) {
            pending_done(contents, &v);
            int64_t person = sqlite3_column_int64(st, 0);
            v.p = person >= 0 && person <= max_id ? &by_id[person] : NULL;
            v.version = version;
            v.same_day = sqlite3_column_int(st, 2) != 0;
            v.started = 1;
            for (int c = 3; c <= 6; c++) /* mode, site, department, tz */
                key_field(&v.key, text(st, c));
        }
        if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
            tether_buf_adds(&v.attrs, text(st, 7));
            tether_buf_add(&v.attrs, "=", 1);
            tether_buf_adds(&v.attrs, text(st, 8));
            tether_buf_add(&v.attrs, "\n", 1);
        }
    }
    pending_done(contents, &v);
    tether_buf_free(&v.key);
    tether_buf_free(&v.attrs);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The versions read on a thread of their own, beside the people. */
struct version_reader {
    pthread_t thread;
    sqlite3 *db; /* its own read-only connection */
    const char *as_of;
    struct idmap *contents;
    struct known_version *by_id;
    int64_t max_id;
    int rc;
};

static void *
version_reader_main(void *arg)
{
    struct version_reader *r = arg;
    r->rc = load_versions(r->contents, r->db, r->as_of, r->by_id, r->max_id);
    return NULL;
}

/* Starts reading the versions through a second connection, which in WAL
 * mode sees what the database held before this import's transaction: the
 * same versions as the import's own connection but for the people this
 * file changed so far, whose rows come no more (each person once a
 * file). 0 when it runs; -1 when it cannot (no file, not WAL, no
 * thread): the versions are then read here, after the people. */
static int
version_reader_start(struct version_reader *r, sqlite3 *db)
{
    const char *path = sqlite3_db_filename(db, "main");
    if (!path || !*path ||
        sqlite3_open_v2(path, &r->db,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK)
        goto fail;
    sqlite3_busy_timeout(r->db, TETHER_BUSY_TIMEOUT_MS);
    sqlite3_stmt *st;
    int wal = 0;
    if (sqlite3_prepare_v2(r->db, "PRAGMA journal_mode", -1, &st, NULL) ==
        SQLITE_OK) {
        wal = sqlite3_step(st) == SQLITE_ROW &&
              strcmp(text(st, 0), "wal") == 0;
        sqlite3_finalize(st);
    }
    if (wal && pthread_create(&r->thread, NULL, version_reader_main, r) == 0)
        return 0;
fail:
    sqlite3_close(r->db);
    r->db = NULL;
    return -1;
}

struct roster_known *
roster_known_load(sqlite3 *db, const char *as_of)
{
    struct roster_known *k = tether_xcalloc(1, sizeof(*k));
    k->by_person_id = idmap_new();
    k->by_email = idmap_new();
    size_t count;
    struct version_reader r = {.as_of = as_of, .contents = idmap_new()};
    int rc = people_size(db, &count, &r.max_id);
    if (rc != SQLITE_OK) {
        idmap_free(r.contents);
        roster_known_free(k);
        return NULL;
    }
    r.by_id = tether_xcalloc((size_t)r.max_id + 1, sizeof(*r.by_id));
    int threaded = version_reader_start(&r, db) == 0;
    rc = load_people(k, db, as_of, count, r.max_id);
    if (threaded) {
        pthread_join(r.thread, NULL);
        sqlite3_close(r.db);
        if (rc == SQLITE_OK && r.rc != SQLITE_OK) {
            /* read here instead, from the start */
            idmap_free(r.contents);
            r.contents = idmap_new();
            memset(r.by_id, 0, ((size_t)r.max_id + 1) * sizeof(*r.by_id));
            threaded = 0;
        }
    }
    if (rc == SQLITE_OK && !threaded)
        rc = load_versions(r.contents, db, as_of, r.by_id, r.max_id);
    k->contents = r.contents;
    for (size_t i = 0; rc == SQLITE_OK && i < k->n; i++) {
        struct known_person *p = &k->people[i];
        const struct known_version *v = &r.by_id[p->id];
        p->version = v->version;
        p->same_day = v->same_day;
        p->content = v->content;
    }
    free(r.by_id);
    if (rc != SQLITE_OK) {
        roster_known_free(k);
        return NULL;
    }
    return k;
}

const struct known_person *
roster_known_find(const struct roster_known *k, const char *person_id)
{
    const int64_t *i = idmap_get(k->by_person_id, person_id);
    return i ? &k->people[*i] : NULL;
}

int
roster_known_same(struct roster_known *k, const struct known_person *p,
                  const char *mode, const char *site, const char *department,
                  const char *tz, const char *attrs)
{
    if (!p->version)
        return 0;
    const int64_t *n =
        idmap_get(k->contents, key_of(k, mode, site, department, tz, attrs));
    return n && *n == p->content;
}

int
roster_known_same_person(struct roster_known *k, const struct known_person *p,
                         const char *name, const char *email,
                         const char *joined_on, const char *left_on)
{
    struct tether_buf *b = &k->key;
    tether_buf_reset(b);
    who_key(b, name, email, joined_on, left_on);
    return p->who + b->len <= k->who.len &&
           memcmp(k->who.data + p->who, b->data, b->len) == 0;
}

int
roster_known_email_taken(const struct roster_known *k, const char *email,
                         int64_t id)
{
    const int64_t *owner = idmap_get(k->by_email, email);
    return owner && *owner && *owner != id;
}

/* The e-mail field of p's who key (its second, after the name), and its
 * length. */
static const char *
who_email(const struct roster_known *k, const struct known_person *p,
          size_t *len)
{
    const char *s = k->who.data + p->who;
    for (int field = 0;; field++) {
        char *colon;
        size_t n = (size_t)strtoul(s, &colon, 10);
        if (field == 1) {
            *len = n;
            return colon + 1;
        }
        s = colon + 1 + n;
    }
}

void
roster_known_email_move(struct roster_known *k, const struct known_person *p,
                        int64_t id, const char *email)
{
    if (p) {
        size_t n;
        const char *old = who_email(k, p, &n);
        if (n && (strlen(email) != n || memcmp(old, email, n) != 0)) {
            char *was = tether_xstrndup(old, n);
            int64_t *owner = idmap_get(k->by_email, was);
            if (owner && *owner == id)
                *owner = 0; /* free for another person from now on */
            free(was);
        }
    }
    int added;
    if (*email)
        *idmap_put(k->by_email, email, &added) = id;
}
