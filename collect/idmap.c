/* idmap.c - a growing map from strings to 64-bit values, for the
 * look-ups a large import makes once per row (a roster's person_ids seen
 * so far, its people and versions read from the database once): a
 * hash-table probe in memory instead of a B-tree search in SQLite. */
#include "collect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tether/util.h"

struct idmap {
    char *arena; /* every key, NUL-terminated; slots hold offsets */
    size_t len, cap;
    /* 16 bytes a slot: a million keys take 32 MiB of slots. */
    struct slot {
        uint32_t hash; /* 0: empty (a zero hash is stored as 1) */
        uint32_t key;  /* offset in arena */
        int64_t value;
    } * slots;
    size_t mask, n;
};

struct idmap *
idmap_new(void)
{
    struct idmap *m = tether_xcalloc(1, sizeof(*m));
    m->mask = 1023;
    m->slots = tether_xcalloc(m->mask + 1, sizeof(*m->slots));
    return m;
}

void
idmap_free(struct idmap *m)
{
    if (!m)
        return;
    free(m->arena);
    free(m->slots);
    free(m);
}

size_t
idmap_count(const struct idmap *m)
{
    return m->n;
}

static uint32_t
hash_of(const char *key, size_t n)
{
    /* FNV's low bits, which pick the slot, mix little for short keys
     * that differ in one digit: a final avalanche step spreads them. */
    uint64_t h = tether_hash(TETHER_HASH_INIT, key, n);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (uint32_t)h ? (uint32_t)h : 1;
}

/* The slot of key (n bytes): its own, or the empty one where it would go. */
static struct slot *
probe(const struct idmap *m, const char *key, size_t n, uint32_t h)
{
    for (size_t i = (size_t)h & m->mask;; i = (i + 1) & m->mask) {
        struct slot *s = &m->slots[i];
        if (!s->hash || (s->hash == h && memcmp(m->arena + s->key, key, n) == 0 &&
                         m->arena[s->key + n] == '\0'))
            return s;
    }
}

int64_t *
idmap_get(const struct idmap *m, const char *key)
{
    size_t n = strlen(key);
    struct slot *s = probe(m, key, n, hash_of(key, n));
    return s->hash ? &s->value : NULL;
}

/* Doubles the slots: at most half are taken, so that probes stay short. */
static void
grow(struct idmap *m)
{
    struct slot *old = m->slots;
    size_t count = m->mask + 1;
    m->mask = 2 * count - 1;
    m->slots = tether_xcalloc(2 * count, sizeof(*m->slots));
    for (size_t i = 0; i < count; i++) {
        if (!old[i].hash)
            continue;
        size_t j = (size_t)old[i].hash & m->mask;
        while (m->slots[j].hash)
            j = (j + 1) & m->mask;
        m->slots[j] = old[i];
    }
    free(old);
}

void
idmap_reserve(struct idmap *m, size_t n)
{
    while (2 * n > m->mask + 1)
        grow(m);
}

int64_t *
idmap_put(struct idmap *m, const char *key, int *added)
{
    size_t n = strlen(key);
    uint32_t h = hash_of(key, n);
    struct slot *s = probe(m, key, n, h);
    *added = !s->hash;
    if (s->hash)
        return &s->value;
    if (2 * (m->n + 1) > m->mask + 1) {
        grow(m);
        s = probe(m, key, n, h);
    }
    if (m->len + n + 1 > m->cap) {
        m->cap = m->cap ? 2 * m->cap : 65536;
        while (m->len + n + 1 > m->cap)
            m->cap *= 2;
        if (m->cap > UINT32_MAX) { /* offsets are 32-bit */
            fprintf(stderr, "tether: out of memory: more than 4 GiB of keys\n");
            abort();
        }
        m->arena = tether_xrealloc(m->arena, m->cap);
    }
    memcpy(m->arena + m->len, key, n + 1);
    s->hash = h;
    s->key = (uint32_t)m->len;
    s->value = 0;
    m->len += n + 1;
    m->n++;
    return &s->value;
}
