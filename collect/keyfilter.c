/* keyfilter.c - the keys a first load has written, as a Bloom filter, so
 * that a large file into an empty table looks up only the keys it may
 * have written already (see struct key_filter in collect.h). */
#include "collect.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "tether/db.h"
#include "tether/util.h"

/* One bit per byte of the file, from 2^20 to 2^27 bits (16 MB): with four
 * probes, the 8.9 million keys of a 700 MB meetings file end at a
 * false-positive rate of 0.3 %. */
#define PROBES 4
#define BITS_MIN (1u << 20)
#define BITS_MAX (1u << 27)

void
key_filter_init(struct key_filter *f, struct import *imp, const char *table)
{
    f->bits = NULL;
    f->mask = 0;
    char sql[128], errbuf[TETHER_ERRBUF]; /* a failure leaves f off */
    int64_t any;
    snprintf(sql, sizeof(sql), "SELECT EXISTS (SELECT 1 FROM %s)", table);
    if (tether_db_int64(imp->db, sql, &any, errbuf) || any)
        return;
    struct stat st;
    uint64_t bits = BITS_MIN;
    if (stat(imp->path, &st) == 0)
        while (bits < BITS_MAX && bits < (uint64_t)st.st_size)
            bits <<= 1;
    f->bits = tether_xcalloc(bits / 64, sizeof(uint64_t));
    f->mask = bits - 1;
}

/* The k-th bit of key hash h: double hashing over a mixed copy of h, so
 * that keys alike in FNV's weak low bits spread. */
static uint64_t
bit_of(uint64_t h, int k, uint64_t mask)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    uint64_t step = (h >> 32) | 1;
    return (h + (uint64_t)k * step) & mask;
}

int
key_filter_may_have(const struct key_filter *f, uint64_t h)
{
    if (!f->bits)
        return 1;
    for (int k = 0; k < PROBES; k++) {
        uint64_t b = bit_of(h, k, f->mask);
        if (!(f->bits[b / 64] >> (b % 64) & 1))
            return 0;
    }
    return 1;
}

void
key_filter_add(struct key_filter *f, uint64_t h)
{
    if (!f->bits)
        return;
    for (int k = 0; k < PROBES; k++) {
        uint64_t b = bit_of(h, k, f->mask);
        f->bits[b / 64] |= (uint64_t)1 << (b % 64);
    }
}

void
key_filter_free(struct key_filter *f)
{
    free(f->bits);
    f->bits = NULL;
}
