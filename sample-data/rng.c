/* rng.c - the generator's own random numbers: xoshiro256** seeded with
 * splitmix64, so the same arguments give the same bytes on every machine
 * and C library. */
#include "sample.h"

#include <math.h>

static uint64_t
splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void
sample_rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed * 0x9e3779b97f4a7c15ULL ^ (stream + 0x632be59bd9b4e019ULL);
    splitmix64(&x);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t
rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t
sample_rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double
sample_rng_unit(struct rng *r)
{
    return (double)(sample_rng_next(r) >> 11) * 0x1.0p-53;
}

uint32_t
sample_rng_below(struct rng *r, uint32_t n)
{
    if (n == 0)
        return 0;
    /* Multiply-shift: unbiased enough for synthetic data, and exact
     * arithmetic, so no platform differences. */
    return (uint32_t)(((sample_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

int
sample_rng_range(struct rng *r, int lo, int hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int)sample_rng_below(r, (uint32_t)(hi - lo + 1));
}

int
sample_rng_chance(struct rng *r, double p)
{
    return sample_rng_unit(r) < p;
}

double
sample_rng_normal(struct rng *r, double mean, double sd)
{
    /* Box-Muller; log, sqrt and cos are correctly rounded enough on
     * glibc for the rounded survey answers to be stable. */
    double u1 = sample_rng_unit(r), u2 = sample_rng_unit(r);
    if (u1 < 1e-300)
        u1 = 1e-300;
    return mean + sd * sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}
