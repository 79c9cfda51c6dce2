/* disclosure.h - the differencing rule of SPEC 3.3 (rule 3) on a set
 * system: which published survey segments must be suppressed so that no
 * suppressed segment, no small cell of answers and no small difference of
 * two published sets is a linear combination of what is published.
 *
 * The guarantee (the contract of disclosure_apply):
 *   Let every answer be an unknown, and every shown set (a segment of this
 *   run or of an earlier published run, the overall figure included) the
 *   sum of its answers' unknowns. When disclosure_apply returns 0, none of
 *   these targets is a linear combination, with rational coefficients, of
 *   the shown sets:
 *     - a set that is not shown (suppressed, or homogeneous);
 *     - a cell (the answers that belong to exactly the same shown sets)
 *       holding the answers of 1 to min_group - 1 respondents;
 *     - the difference A - B of two shown sets whose A\B and B\A together
 *       hold the answers of 1 to min_group - 1 respondents (it always is
 *       a combination, so one of the two is suppressed);
 *   except targets that the fixed sets (earlier runs) alone expose, which
 *   no choice in this run can hide: those are counted in `warnings`.
 *   The test is exact: fraction-free integer elimination, each row kept
 *   divided by the gcd of its entries. Should an entry not fit in 64 bits
 *   the target is taken as exposed (more suppression, never less), and
 *   `inexact` says so.
 *   Only shown sets that are not fixed are ever suppressed: the smallest
 *   whose removal takes the target out of the span, else the smallest with
 *   a non-zero coefficient in some combination (the one found, or one
 *   adding a dependency among the shown sets: so the choice does not
 *   depend on the order of elimination); the overall figure last; ties by
 *   dimension order, then by name order.
 * What it does not cover: figures that are not sums over answers (none
 * are published: sd, intervals and shares derive from sums of values, of
 * squares and of indicators over the same sets), and what a reader learns
 * from answers they already know (knowing four of five answers of a cell
 * that is not published still bounds nothing, but knowing every answer of
 * a shown set but one gives that one: the rule protects groups, not
 * against insiders). */
#ifndef TETHER_DISCLOSURE_H
#define TETHER_DISCLOSURE_H

#include <stddef.h>
#include <stdint.h>

struct disclosure_set {
    int family;     /* sets of one family are disjoint (one dimension of
                       one run); every set's members are given by family */
    int fixed;      /* an earlier published run's set: never suppressed */
    int shown;      /* in: published; out: still published */
    int overall;    /* the construct's overall figure: suppressed last */
    int dim_order;  /* order of its dimension, for ties */
    int name_order; /* order by name in its dimension, for ties */
    long respondents; /* out: distinct respondents among its answers */
};

struct disclosure {
    int min_group;
    size_t nunits;  /* answers */
    size_t nfam;    /* families */
    size_t nsets;
    /* Per unit: its respondent; units of one respondent are adjacent. */
    const int64_t *person;
    /* nunits * nfam: the set (index in sets) of unit u in family f, at
     * member[u * nfam + f], or -1 when it is in none. */
    const int32_t *member;
    struct disclosure_set *sets;
    /* out */
    int suppressed; /* sets this call suppressed */
    int warnings;   /* targets exposed by the fixed sets alone */
    int inexact;    /* exposures assumed because a number overflowed */
    size_t cells;   /* fine cells (columns of the elimination) */
};

/* The largest elimination attempted (shown sets x row width, in 64-bit
 * entries: 1 GiB); beyond it disclosure_apply refuses rather than exhaust
 * the memory. */
#define DISCLOSURE_MAX_ENTRIES ((size_t)1 << 27)

/* Applies the differencing rule: clears `shown` of the sets it suppresses
 * and sets the counts. Returns 0; -1 when a set index in member is out of
 * range, or when the system is larger than DISCLOSURE_MAX_ENTRIES (then
 * nothing is changed: the caller must not publish the sets). */
int disclosure_apply(struct disclosure *d);

#endif
