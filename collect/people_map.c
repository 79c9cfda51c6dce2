/* people_map.c - every person's person_id and e-mail address in memory,
 * for the imports that look up more people than SQLite's page cache keeps:
 * a meetings file naming people rather than pairs, at a million people. */
#include "collect.h"

#include <stdlib.h>
#include <string.h>

#include "tether/util.h"

#define NO_KEY UINT32_MAX

struct people_map {
    char *arena;     /* every key, NUL-terminated */
    size_t len, cap; /* cap: as measured before reading the keys */
    struct person_keys {
        int64_t id;
        uint32_t person_id, email; /* offsets into arena, or NO_KEY */
    } * people;
    size_t n;
    uint32_t *by_person_id, *by_email; /* slots: index in people + 1 */
    size_t mask;
};

/* The offset of a copy of s in the arena; NO_KEY for NULL, NO_KEY - 1 when
 * the arena is full (the people changed since it was measured). */
static uint32_t
arena_add(struct people_map *m, const char *s)
{
    if (!s)
        return NO_KEY;
    size_t n = strlen(s) + 1;
    if (m->len + n > m->cap)
        return NO_KEY - 1;
    memcpy(m->arena + m->len, s, n);
    uint32_t off = (uint32_t)m->len;
    m->len += n;
    return off;
}

static size_t
slot_of(const struct people_map *m, const char *key)
{
    /* FNV's low bits, which pick the slot, mix little for addresses that
     * differ in a digit (anna.lee17@, anna.lee18@): they clustered, and a
     * look-up compared a run of keys. A final avalanche step spreads them,
     * as in idmap.c. */
    uint64_t h = tether_hash(TETHER_HASH_INIT, key, strlen(key));
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (size_t)h & m->mask;
}

static void
insert(struct people_map *m, uint32_t *slots, uint32_t off, uint32_t index)
{
    if (off == NO_KEY)
        return;
    /* An e-mail or person_id is unique in people; linear probing. */
    size_t i = slot_of(m, m->arena + off);
    while (slots[i])
        i = (i + 1) & m->mask;
    slots[i] = index + 1;
}

void
people_map_free(struct people_map *m)
{
    if (!m)
        return;
    free(m->arena);
    free(m->people);
    free(m->by_person_id);
    free(m->by_email);
    free(m);
}

struct people_map *
people_map_load(sqlite3 *db)
{
    /* The sizes first, so that nothing is reallocated (and copied) while
     * a million keys are read. */
    sqlite3_stmt *st;
    size_t count = 0, bytes = 0;
    if (sqlite3_prepare_v2(
            db,
            "SELECT count(*), total(length(CAST(person_id AS BLOB)) + "
            "length(CAST(coalesce(email, '') AS BLOB)) + 2) FROM people",
            -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        count = (size_t)sqlite3_column_int64(st, 0);
        bytes = (size_t)sqlite3_column_double(st, 1);
    }
    sqlite3_finalize(st);
    if (bytes >= NO_KEY - 1 ||
        sqlite3_prepare_v2(db, "SELECT id, person_id, email FROM people", -1,
                           &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    struct people_map *m = tether_xcalloc(1, sizeof(*m));
    m->cap = bytes;
    m->arena = tether_xmalloc(bytes + 1);
    m->people = tether_xmalloc((count + 1) * sizeof(*m->people));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && m->n < count) {
        struct person_keys *p = &m->people[m->n++];
        p->id = sqlite3_column_int64(st, 0);
        p->person_id = arena_add(m, (const char *)sqlite3_column_text(st, 1));
        p->email = arena_add(m, (const char *)sqlite3_column_text(st, 2));
        if (p->person_id == NO_KEY - 1 || p->email == NO_KEY - 1)
            break;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        people_map_free(m);
        return NULL;
    }
    /* At most half the slots taken, so that probes stay short. */
    size_t slots = 1024;
    while (slots < 2 * m->n)
        slots *= 2;
    m->mask = slots - 1;
    m->by_person_id = tether_xcalloc(slots, sizeof(uint32_t));
    m->by_email = tether_xcalloc(slots, sizeof(uint32_t));
    for (size_t i = 0; i < m->n; i++) {
        insert(m, m->by_person_id, m->people[i].person_id, (uint32_t)i);
        insert(m, m->by_email, m->people[i].email, (uint32_t)i);
    }
    return m;
}

static int64_t
find(const struct people_map *m, const uint32_t *slots, int email,
     const char *key)
{
    for (size_t i = slot_of(m, key); slots[i]; i = (i + 1) & m->mask) {
        const struct person_keys *p = &m->people[slots[i] - 1];
        if (strcmp(m->arena + (email ? p->email : p->person_id), key) == 0)
            return p->id;
    }
    return 0;
}

int64_t
people_map_person_id(const struct people_map *m, const char *person_id)
{
    return find(m, m->by_person_id, 0, person_id);
}

int64_t
people_map_email(const struct people_map *m, const char *email)
{
    /* As SQL's lower(trim(email)): spaces trimmed, ASCII letters folded. */
    while (*email == ' ')
        email++;
    size_t n = strlen(email);
    while (n && email[n - 1] == ' ')
        n--;
    char small[256], *key = n < sizeof(small) ? small : tether_xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        key[i] = email[i] >= 'A' && email[i] <= 'Z' ? (char)(email[i] + 32)
                                                    : email[i];
    key[n] = '\0';
    int64_t id = find(m, m->by_email, 1, key);
    if (key != small)
        free(key);
    return id;
}
