/* keyfilter.c - the keys a first load has written, as a Bloom filter, so
 * that a large file into an empty table looks up only the keys it may
 * have written already (see struct key_filter in collect.h). */
#include "collect.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "tether/db.h"
#include "tether/util.h"

/* One bit per byte of the file, from 2^20 to 2^29 bits (64 MB), in blocks
 * of 512 bits (a cache line) with a key's seven bits in one block: a
 * look-up reads one line of memory. Each key the filter wrongly takes
 * for one seen before costs a look-up, and in the meetings import a wait
 * for the contact writer (contacts.c): at 2^27 bits and four bits a key,
 * the 8.9 million keys of a 700 MB meetings file made 20,000 of those
 * waits, two in every chunk of rows; at 60 bits and seven bits a key, a
 * handful. */
#define PROBES 7
#define BLOCK_WORDS 8 /* 512 bits */
#define BITS_MIN (1u << 20)
#define BITS_MAX (1u << 29)

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
    f->mask = bits / (64 * BLOCK_WORDS) - 1;
}

int
key_filter_add(struct key_filter *f, uint64_t h)
{
    if (!f->bits)
        return 1;
    /* Two mixed copies of h, as FNV's low bits mix little for keys
     * alike: the high half of the first picks the block, seven 9-bit
     * pieces of the second the bits in it. */
    uint64_t x = h ^ (h >> 33);
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    uint64_t y = x * 0xc4ceb9fe1a85ec53ULL;
    y ^= y >> 33;
    uint64_t *block = f->bits + ((x >> 32) & f->mask) * BLOCK_WORDS;
    int seen = 1;
    for (int k = 0; k < PROBES; k++) {
        unsigned b = (unsigned)(y >> (9 * k)) & 511;
        uint64_t bit = (uint64_t)1 << (b % 64);
        if (!(block[b / 64] & bit)) {
            seen = 0;
            block[b / 64] |= bit;
        }
    }
    return seen;
}

void
key_filter_free(struct key_filter *f)
{
    free(f->bits);
    f->bits = NULL;
}
