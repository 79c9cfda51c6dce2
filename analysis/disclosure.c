/* disclosure.c - the differencing rule of SPEC 3.3 on a set system (the
 * contract is in disclosure.h).
 *
 * The unknowns are grouped into fine cells: answers that belong to exactly
 * the same sets, shown or not. Every set, shown or target, is a union of
 * fine cells, so the whole test runs on vectors over fine cells, a few
 * thousand columns however many answers there are. The cells of the rule
 * (answers in exactly the same *shown* sets) are unions of fine cells
 * too.
 *
 * A row is [value over cells | coefficient per set | k]; the invariant of
 * every row is value = k * target + sum(coefficient[s] * set s). Basis rows
 * start as [set s | e_s | 0]; a target starts as [t | 0 | 1]. Reducing a
 * target by the basis to a zero value gives k * t = -sum(coef * sets):
 * the combination found. A set row that reduces to zero gives a left null
 * vector (a dependency among the shown sets). A shown set whose removal
 * takes the target out of the span is one that appears in no dependency
 * and has a non-zero coefficient: its coefficient is then the same in
 * every combination. */
#include "disclosure.h"

#include <stdlib.h>
#include <string.h>

#include "tether/util.h"

/* A hash set of int32 vectors of one length, giving each its index. */
struct vecmap {
    size_t len, n, cap; /* cap: a power of two */
    int32_t *keys;      /* n * len */
    int32_t *slots;     /* cap: index + 1, 0 when empty */
};

static uint64_t
vec_hash(const int32_t *v, size_t len)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++) {
        h ^= (uint32_t)v[i];
        h *= 1099511628211u;
        h ^= h >> 29;
    }
    return h;
}

static void
vecmap_init(struct vecmap *m, size_t len)
{
    memset(m, 0, sizeof(*m));
    m->len = len;
    m->cap = 64;
    m->slots = tether_xcalloc(m->cap, sizeof(*m->slots));
}

static void
vecmap_free(struct vecmap *m)
{
    free(m->keys);
    free(m->slots);
}

static void vecmap_grow(struct vecmap *m);

/* The index of v, added when new. */
static int32_t
vecmap_put(struct vecmap *m, const int32_t *v)
{
    size_t mask = m->cap - 1, i = (size_t)vec_hash(v, m->len) & mask;
    for (; m->slots[i]; i = (i + 1) & mask) {
        int32_t k = m->slots[i] - 1;
        if (memcmp(m->keys + (size_t)k * m->len, v,
                   m->len * sizeof(*v)) == 0)
            return k;
    }
    if ((m->n + 1) * 2 > m->cap) {
        vecmap_grow(m);
        return vecmap_put(m, v);
    }
    if (m->len)
        m->keys = tether_xrealloc(m->keys,
                                  (m->n + 1) * m->len * sizeof(*m->keys));
    if (m->len)
        memcpy(m->keys + m->n * m->len, v, m->len * sizeof(*v));
    m->slots[i] = (int32_t)(m->n + 1);
    return (int32_t)m->n++;
}

static void
vecmap_grow(struct vecmap *m)
{
    size_t cap = m->cap * 2, mask = cap - 1;
    int32_t *slots = tether_xcalloc(cap, sizeof(*slots));
    for (size_t k = 0; k < m->n; k++) {
        size_t i = (size_t)vec_hash(m->keys + k * m->len, m->len) & mask;
        while (slots[i])
            i = (i + 1) & mask;
        slots[i] = (int32_t)(k + 1);
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
}

/* The working state of one call. */
struct work {
    struct disclosure *d;
    size_t nc;         /* fine cells */
    int32_t *csig;     /* nc * nfam: the set of each cell in each family */
    int32_t *ucell;    /* per unit: its fine cell */
    size_t w;          /* row width: nc + nsets + 1 */
    int64_t *basis;    /* rank rows of w */
    size_t *pivot;     /* per basis row */
    size_t rank;
    int64_t *null;     /* nnull rows of w (left null vectors) */
    size_t nnull;
    int64_t *fbasis;   /* the basis of the fixed shown sets alone */
    size_t *fpivot;
    size_t frank;
    int overflow;      /* while building the basis */
    int64_t *tmp;      /* one row */
};

static int64_t
gcd64(int64_t a, int64_t b)
{
    if (a < 0)
        a = -a;
    if (b < 0)
        b = -b;
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* v = a * v - b * r, then v divided by the gcd of its entries. Returns -1
 * when an entry does not fit in 64 bits (v is then unusable). */
static int
row_combine(struct work *wk, int64_t *v, const int64_t *r, int64_t a,
            int64_t b)
{
    int64_t g = 0;
    for (size_t i = 0; i < wk->w; i++) {
        int64_t x, y, z;
        if (__builtin_mul_overflow(a, v[i], &x) ||
            __builtin_mul_overflow(b, r[i], &y) ||
            __builtin_sub_overflow(x, y, &z) || z == INT64_MIN)
            return -1;
        wk->tmp[i] = z;
        if (z && g != 1)
            g = gcd64(g, z);
    }
    for (size_t i = 0; i < wk->w; i++)
        v[i] = g > 1 ? wk->tmp[i] / g : wk->tmp[i];
    return 0;
}

/* Reduces v by the rows of a basis; -1 on overflow. */
static int
row_reduce(struct work *wk, int64_t *v, const int64_t *rows,
           const size_t *pivots, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        const int64_t *r = rows + j * wk->w;
        size_t p = pivots[j];
        if (v[p] && row_combine(wk, v, r, r[p], v[p]))
            return -1;
    }
    return 0;
}

static int
value_zero(const struct work *wk, const int64_t *v)
{
    for (size_t i = 0; i < wk->nc; i++)
        if (v[i])
            return 0;
    return 1;
}

/* The row of set s: 1 on the cells it holds, 1 at its own coefficient. */
static void
set_row(const struct work *wk, size_t s, int64_t *v)
{
    const struct disclosure *d = wk->d;
    int f = d->sets[s].family;
    memset(v, 0, wk->w * sizeof(*v));
    for (size_t c = 0; c < wk->nc; c++)
        v[c] = wk->csig[c * d->nfam + (size_t)f] == (int32_t)s;
    v[wk->nc + s] = 1;
}

/* Builds the basis of the shown sets (or of the fixed shown sets alone). */
static void
basis_build(struct work *wk, int fixed_only)
{
    struct disclosure *d = wk->d;
    int64_t **rows = fixed_only ? &wk->fbasis : &wk->basis;
    size_t **piv = fixed_only ? &wk->fpivot : &wk->pivot;
    size_t *n = fixed_only ? &wk->frank : &wk->rank;
    *n = 0;
    if (!fixed_only)
        wk->nnull = 0;
    int64_t *v = tether_xcalloc(wk->w, sizeof(*v));
    for (size_t s = 0; s < d->nsets; s++) {
        if (!d->sets[s].shown || (fixed_only && !d->sets[s].fixed))
            continue;
        set_row(wk, s, v);
        if (row_reduce(wk, v, *rows, *piv, *n)) {
            wk->overflow = 1;
            continue;
        }
        size_t p = 0;
        while (p < wk->nc && !v[p])
            p++;
        if (p == wk->nc) {
            if (!fixed_only) {
                wk->null = tether_xrealloc(
                    wk->null, (wk->nnull + 1) * wk->w * sizeof(*wk->null));
                memcpy(wk->null + wk->nnull++ * wk->w, v,
                       wk->w * sizeof(*v));
            }
            continue;
        }
        *rows = tether_xrealloc(*rows, (*n + 1) * wk->w * sizeof(**rows));
        *piv = tether_xrealloc(*piv, (*n + 1) * sizeof(**piv));
        memcpy(*rows + *n * wk->w, v, wk->w * sizeof(*v));
        (*piv)[(*n)++] = p;
    }
    free(v);
}

/* Sort order of the sets that may be suppressed: the overall figure last,
 * then fewer respondents, the dimension's order, the name's order. */
static int
before(const struct disclosure_set *a, const struct disclosure_set *b)
{
    if (a->overall != b->overall)
        return b->overall;
    if (a->respondents != b->respondents)
        return a->respondents < b->respondents;
    if (a->dim_order != b->dim_order)
        return a->dim_order < b->dim_order;
    return a->name_order < b->name_order;
}

/* The set to suppress for an exposed target whose reduced row is v (NULL:
 * the combination is unknown, after an overflow), or -1 when none can. */
static long
choose(const struct work *wk, const int64_t *v)
{
    const struct disclosure *d = wk->d;
    long best = -1;
    for (int pass = v ? 0 : 1; pass < 2 && best < 0; pass++) {
        for (size_t s = 0; s < d->nsets; s++) {
            const struct disclosure_set *x = &d->sets[s];
            if (!x->shown || x->fixed)
                continue;
            int dependent = 0;
            for (size_t k = 0; k < wk->nnull; k++)
                if (wk->null[k * wk->w + wk->nc + s])
                    dependent = 1;
            /* Pass 0: a non-zero coefficient and in no dependency (then
             * in every combination, and its removal takes the target out
             * of the span). Pass 1: a non-zero coefficient in some
             * combination: the one found, or one that adds a dependency
             * holding the set (which makes the choice independent of
             * the order of elimination). */
            if (v && !v[wk->nc + s] && !(pass == 1 && dependent))
                continue;
            if (pass == 0 && dependent)
                continue;
            if (best < 0 || before(x, &d->sets[best]))
                best = (long)s;
        }
    }
    return best;
}

enum verdict { SAFE, EXPOSED, EARLIER, UNKNOWN };

/* Tests the target whose cell vector is in v[0..nc) (the rest is
 * cleared here). On EXPOSED, v holds the combination. */
static enum verdict
test_target(struct work *wk, int64_t *v, int64_t *scratch)
{
    memset(v + wk->nc, 0, (wk->w - wk->nc) * sizeof(*v));
    v[wk->w - 1] = 1;
    if (wk->frank) {
        memcpy(scratch, v, wk->w * sizeof(*v));
        if (row_reduce(wk, scratch, wk->fbasis, wk->fpivot, wk->frank) == 0 &&
            value_zero(wk, scratch))
            return EARLIER;
    }
    if (wk->overflow || row_reduce(wk, v, wk->basis, wk->pivot, wk->rank))
        return UNKNOWN;
    return value_zero(wk, v) ? EXPOSED : SAFE;
}

/* Distinct respondents of the units for which in[] of their fine cell is
 * set. */
static long
respondents_where(const struct work *wk, const unsigned char *in)
{
    const struct disclosure *d = wk->d;
    long n = 0;
    for (size_t u = 0; u < d->nunits;) {
        size_t e = u;
        int hit = 0;
        while (e < d->nunits && d->person[e] == d->person[u])
            hit |= in[wk->ucell[e++]];
        n += hit;
        u = e;
    }
    return n;
}

static void
set_respondents(struct work *wk)
{
    struct disclosure *d = wk->d;
    size_t *last = tether_xcalloc(d->nsets, sizeof(*last));
    for (size_t s = 0; s < d->nsets; s++)
        d->sets[s].respondents = 0;
    size_t run = 0; /* 1 + index of the respondent */
    for (size_t u = 0; u < d->nunits; u++) {
        if (u == 0 || d->person[u] != d->person[u - 1])
            run++;
        for (size_t f = 0; f < d->nfam; f++) {
            int32_t s = d->member[u * d->nfam + f];
            if (s >= 0 && last[s] != run) {
                last[s] = run;
                d->sets[s].respondents++;
            }
        }
    }
    free(last);
}

/* Memory of targets found safe or warned about: the span only shrinks as
 * sets are suppressed, so a safe target stays safe. */
struct memo {
    unsigned char *set;  /* per set: 1 safe, 2 warned */
    unsigned char *pair; /* nsets * nsets */
    long *cell;          /* per fine cell: fine-cell count of the coarse
                            cell it was the first of when found safe */
};

/* Suppressed sets as targets. */
static enum verdict
scan_sets(struct work *wk, struct memo *mo, int64_t *v, int64_t *scratch)
{
    struct disclosure *d = wk->d;
    for (size_t s = 0; s < d->nsets; s++) {
        if (d->sets[s].shown || mo->set[s] || !d->sets[s].respondents)
            continue;
        memset(v, 0, wk->w * sizeof(*v));
        for (size_t c = 0; c < wk->nc; c++)
            v[c] = wk->csig[c * d->nfam + (size_t)d->sets[s].family] ==
                   (int32_t)s;
        enum verdict t = test_target(wk, v, scratch);
        if (t != SAFE && t != EARLIER)
            return t;
        mo->set[s] = t == SAFE ? 1 : 2;
        d->warnings += t == EARLIER;
    }
    return SAFE;
}

/* The cells of the shown sets (unions of fine cells): coarse[] maps each
 * fine cell to its cell; per cell its respondents, its fine cells and the
 * first of them. Returns the number of cells. */
static size_t
cells_of_shown(const struct work *wk, int32_t *coarse, long **resp,
               long **nfine, size_t **first)
{
    const struct disclosure *d = wk->d;
    struct vecmap cm;
    vecmap_init(&cm, d->nfam);
    int32_t *key = tether_xcalloc(d->nfam ? d->nfam : 1, sizeof(*key));
    for (size_t c = 0; c < wk->nc; c++) {
        for (size_t f = 0; f < d->nfam; f++) {
            int32_t s = wk->csig[c * d->nfam + f];
            key[f] = s >= 0 && d->sets[s].shown ? s : -1;
        }
        coarse[c] = vecmap_put(&cm, key);
    }
    size_t n = cm.n;
    free(key);
    vecmap_free(&cm);
    *resp = tether_xcalloc(n ? n : 1, sizeof(**resp));
    *nfine = tether_xcalloc(n ? n : 1, sizeof(**nfine));
    *first = tether_xcalloc(n ? n : 1, sizeof(**first));
    size_t *last = tether_xcalloc(n ? n : 1, sizeof(*last));
    for (size_t c = wk->nc; c-- > 0;) {
        (*nfine)[coarse[c]]++;
        (*first)[coarse[c]] = c;
    }
    size_t run = 0; /* 1 + index of the respondent */
    for (size_t u = 0; u < d->nunits; u++) {
        if (u == 0 || d->person[u] != d->person[u - 1])
            run++;
        int32_t k = coarse[wk->ucell[u]];
        if (last[k] != run) {
            last[k] = run;
            (*resp)[k]++;
        }
    }
    free(last);
    return n;
}

/* Cells of 1 to min-group - 1 respondents as targets. */
static enum verdict
scan_cells(struct work *wk, struct memo *mo, int64_t *v, int64_t *scratch)
{
    struct disclosure *d = wk->d;
    int32_t *coarse = tether_xcalloc(wk->nc ? wk->nc : 1, sizeof(*coarse));
    long *resp, *nfine;
    size_t *first;
    size_t ncc = cells_of_shown(wk, coarse, &resp, &nfine, &first);
    enum verdict res = SAFE;
    for (size_t k = 0; k < ncc && res == SAFE; k++) {
        /* A cell whose first fine cell and size are those of a cell found
         * safe before is that cell: cells only merge as sets go. */
        if (resp[k] < 1 || resp[k] >= d->min_group ||
            mo->cell[first[k]] == nfine[k])
            continue;
        memset(v, 0, wk->w * sizeof(*v));
        for (size_t c = 0; c < wk->nc; c++)
            v[c] = coarse[c] == (int32_t)k;
        enum verdict t = test_target(wk, v, scratch);
        if (t == SAFE || t == EARLIER) {
            mo->cell[first[k]] = nfine[k];
            d->warnings += t == EARLIER;
        } else {
            res = t;
        }
    }
    free(resp);
    free(nfine);
    free(first);
    free(coarse);
    return res;
}

/* Pairs of shown sets that differ by a few respondents as targets. */
static enum verdict
scan_pairs(struct work *wk, struct memo *mo, int64_t *v)
{
    struct disclosure *d = wk->d;
    unsigned char *in = tether_xcalloc(wk->nc ? wk->nc : 1, 1);
    enum verdict res = SAFE;
    for (size_t a = 0; a < d->nsets && res == SAFE; a++) {
        for (size_t b = a + 1; b < d->nsets && res == SAFE; b++) {
            const struct disclosure_set *x = &d->sets[a], *y = &d->sets[b];
            if (!x->shown || !y->shown || x->family == y->family ||
                mo->pair[a * d->nsets + b])
                continue;
            /* |A \ B| >= |A| - |B|: most pairs need no count. */
            long gap = x->respondents - y->respondents;
            if (gap >= d->min_group || -gap >= d->min_group)
                continue;
            for (size_t c = 0; c < wk->nc; c++)
                in[c] = (wk->csig[c * d->nfam + (size_t)x->family] ==
                         (int32_t)a) !=
                        (wk->csig[c * d->nfam + (size_t)y->family] ==
                         (int32_t)b);
            long n = respondents_where(wk, in);
            if (n < 1 || n >= d->min_group) {
                mo->pair[a * d->nsets + b] = 1;
                continue;
            }
            if (x->fixed && y->fixed) {
                mo->pair[a * d->nsets + b] = 2;
                d->warnings++;
                continue;
            }
            /* A - B is a combination by itself. */
            memset(v, 0, wk->w * sizeof(*v));
            v[wk->nc + a] = 1;
            v[wk->nc + b] = -1;
            res = EXPOSED;
        }
    }
    free(in);
    return res;
}

/* Finds one exposed target, puts its reduced row in v and returns
 * EXPOSED or UNKNOWN; SAFE when none is left. */
static enum verdict
scan(struct work *wk, struct memo *mo, int64_t *v, int64_t *scratch)
{
    enum verdict t = scan_sets(wk, mo, v, scratch);
    if (t == SAFE)
        t = scan_cells(wk, mo, v, scratch);
    if (t == SAFE)
        t = scan_pairs(wk, mo, v);
    return t;
}

int
disclosure_apply(struct disclosure *d)
{
    d->suppressed = d->warnings = d->inexact = 0;
    for (size_t i = 0; i < d->nunits * d->nfam; i++)
        if (d->member[i] >= (int32_t)d->nsets)
            return -1;
    struct work wk;
    memset(&wk, 0, sizeof(wk));
    wk.d = d;
    set_respondents(&wk);
    struct vecmap fine;
    vecmap_init(&fine, d->nfam);
    wk.ucell = tether_xcalloc(d->nunits ? d->nunits : 1, sizeof(*wk.ucell));
    for (size_t u = 0; u < d->nunits; u++)
        wk.ucell[u] = vecmap_put(&fine, d->member + u * d->nfam);
    wk.nc = fine.n;
    wk.csig = fine.keys; /* taken over: freed below */
    fine.keys = NULL;
    vecmap_free(&fine);
    wk.w = wk.nc + d->nsets + 1;
    d->cells = wk.nc;
    size_t nshown = 0;
    for (size_t s = 0; s < d->nsets; s++)
        nshown += d->sets[s].shown != 0;
    if (nshown && wk.w > DISCLOSURE_MAX_ENTRIES / nshown) {
        free(wk.ucell);
        free(wk.csig);
        return -1;
    }
    wk.tmp = tether_xcalloc(wk.w, sizeof(*wk.tmp));
    int64_t *v = tether_xcalloc(wk.w, sizeof(*v));
    int64_t *scratch = tether_xcalloc(wk.w, sizeof(*scratch));
    struct memo mo;
    mo.set = tether_xcalloc(d->nsets + 1, 1);
    mo.pair = tether_xcalloc(d->nsets * d->nsets + 1, 1);
    mo.cell = tether_xcalloc(wk.nc + 1, sizeof(*mo.cell));
    basis_build(&wk, 1);
    if (wk.overflow) {
        /* Without an exact basis of the earlier runs nothing can be said
         * to be exposed by them alone: test against everything instead. */
        wk.frank = 0;
        wk.overflow = 0;
        d->inexact++;
    }
    for (;;) {
        wk.overflow = 0;
        basis_build(&wk, 0);
        enum verdict t = scan(&wk, &mo, v, scratch);
        if (t == SAFE)
            break;
        if (t == UNKNOWN)
            d->inexact++;
        long s = choose(&wk, t == EXPOSED ? v : NULL);
        if (s < 0) {
            /* Only the earlier runs' sets take part: nothing of this run
             * can hide it. Counted, and not tested again. */
            d->warnings++;
            break;
        }
        d->sets[s].shown = 0;
        d->suppressed++;
    }
    free(mo.set);
    free(mo.pair);
    free(mo.cell);
    free(v);
    free(scratch);
    free(wk.tmp);
    free(wk.basis);
    free(wk.pivot);
    free(wk.null);
    free(wk.fbasis);
    free(wk.fpivot);
    free(wk.ucell);
    free(wk.csig);
    return 0;
}
