/* test_disclosure.c - analysis/disclosure.c on small set systems whose
 * answer is worked out by hand in each test's comment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../analysis/disclosure.h"

#define MAXU 64
#define MAXF 4
#define MAXS 12

/* A set system built cell by cell: cell(k, s0, s1, ...) adds k
 * respondents with one answer each, in the given set of every family. */
struct sys {
    struct disclosure d;
    struct disclosure_set sets[MAXS];
    int64_t person[MAXU];
    int32_t member[MAXU * MAXF];
};

static void
sys_init(struct sys *y, size_t nfam, size_t nsets)
{
    memset(y, 0, sizeof(*y));
    y->d.min_group = 5;
    y->d.nfam = nfam;
    y->d.nsets = nsets;
    y->d.person = y->person;
    y->d.member = y->member;
    y->d.sets = y->sets;
    for (size_t s = 0; s < nsets; s++) {
        y->sets[s].shown = 1;
        y->sets[s].name_order = (int)s;
    }
}

static void
set_def(struct sys *y, int s, int family, int shown)
{
    y->sets[s].family = family;
    y->sets[s].dim_order = family;
    y->sets[s].shown = shown;
}

static void
cell(struct sys *y, int k, const int32_t *sets)
{
    for (int i = 0; i < k; i++) {
        size_t u = y->d.nunits++;
        assert_true(u < MAXU);
        y->person[u] = (int64_t)u;
        memcpy(y->member + u * y->d.nfam, sets, y->d.nfam * sizeof(*sets));
    }
}

/* The attack: Engineering (6) minus London (5, all in
 * Engineering) is the remote person's answer. Sets: 0 Eng, 1 Sales |
 * 2 London, 3 Remote (suppressed: one respondent), 4 Paris | 5 all.
 * Remote = Eng - London; without London (the smallest shown set whose
 * removal takes Remote out of the span: London and Remote then share one
 * cell) nothing is exposed, and nothing else is suppressed. */
static void
difference_of_two(void **state)
{
    (void)state;
    struct sys y;
    sys_init(&y, 3, 6);
    set_def(&y, 0, 0, 1);
    set_def(&y, 1, 0, 1);
    set_def(&y, 2, 1, 1);
    set_def(&y, 3, 1, 0);
    set_def(&y, 4, 1, 1);
    set_def(&y, 5, 2, 1);
    y.sets[5].overall = 1;
    cell(&y, 5, (int32_t[]){0, 2, 5});
    cell(&y, 1, (int32_t[]){0, 3, 5});
    cell(&y, 6, (int32_t[]){1, 4, 5});
    assert_int_equal(disclosure_apply(&y.d), 0);
    assert_int_equal(y.sets[2].respondents, 5);
    assert_int_equal(y.sets[0].respondents, 6);
    assert_int_equal(y.sets[2].shown, 0);
    int shown[] = {1, 1, 0, 0, 1, 1};
    for (int s = 0; s < 6; s++)
        assert_int_equal(y.sets[s].shown, shown[s]);
    assert_int_equal(y.d.suppressed, 1);
    assert_int_equal(y.d.warnings, 0);
}

/* Three partitions whose sums pin one cell. Each person has a value in
 * A, B and C; the cells are x = (a0 b0 c0) with one respondent and
 * p = (a0 b1 c1), q = (a1 b0 c1), r = (a1 b1 c0) with ten each. Every
 * set holds at least 11 respondents and every two differ by at least 11,
 * yet a0 + b0 + c0 - all = 2x. The rank test finds it; every set is in a
 * dependency (a0 + a1 = all, ...), so the smallest with a non-zero
 * coefficient in some combination goes first (a0, then a1 = all - a0 is a combination of the
 * rest and goes too); B and C alone do not pin x. */
static void
three_partitions(void **state)
{
    (void)state;
    struct sys y;
    sys_init(&y, 4, 7);
    for (int s = 0; s < 6; s++)
        set_def(&y, s, s / 2, 1);
    set_def(&y, 6, 3, 1);
    y.sets[6].overall = 1;
    cell(&y, 1, (int32_t[]){0, 2, 4, 6});
    cell(&y, 10, (int32_t[]){0, 3, 5, 6});
    cell(&y, 10, (int32_t[]){1, 2, 5, 6});
    cell(&y, 10, (int32_t[]){1, 3, 4, 6});
    assert_int_equal(disclosure_apply(&y.d), 0);
    int shown[] = {0, 0, 1, 1, 1, 1, 1};
    for (int s = 0; s < 7; s++)
        assert_int_equal(y.sets[s].shown, shown[s]);
    assert_int_equal(y.d.suppressed, 2);
    assert_int_equal(y.d.inexact, 0);
}

/* Looks dangerous, is not: one person is the only Engineer in Paris (a
 * cell of one), but a 2x2 table's margins never give a cell: Eng, Sales,
 * London, Paris and all span 3 dimensions over 4 cells, with the null
 * vector (1, -1, -1, 1) that is non-zero on every cell. No two sets
 * differ by fewer than 5. Nothing is suppressed. */
static void
margins_only(void **state)
{
    (void)state;
    struct sys y;
    sys_init(&y, 3, 5);
    set_def(&y, 0, 0, 1);
    set_def(&y, 1, 0, 1);
    set_def(&y, 2, 1, 1);
    set_def(&y, 3, 1, 1);
    set_def(&y, 4, 2, 1);
    y.sets[4].overall = 1;
    cell(&y, 10, (int32_t[]){0, 2, 4});
    cell(&y, 1, (int32_t[]){0, 3, 4});
    cell(&y, 10, (int32_t[]){1, 2, 4});
    cell(&y, 10, (int32_t[]){1, 3, 4});
    assert_int_equal(disclosure_apply(&y.d), 0);
    for (int s = 0; s < 5; s++)
        assert_true(y.sets[s].shown);
    assert_int_equal(y.d.suppressed, 0);
}

/* Two runs one day apart: the earlier (fixed) run published remote with
 * five respondents, this run's remote has six; the two differ by one
 * answer. This run's remote (not the earlier one, never changed) goes,
 * and then nothing of the earlier run's figures is exposed by this run:
 * this run's office is 10, its overall 16, and 16 - 10 = 6 is this run's
 * remote again, so office goes too (the smaller of the two), leaving only
 * the overall figure beside the earlier run. */
static void
two_runs(void **state)
{
    (void)state;
    struct sys y;
    sys_init(&y, 3, 4);
    set_def(&y, 0, 0, 1); /* earlier remote */
    y.sets[0].fixed = 1;
    set_def(&y, 1, 1, 1); /* this run's remote */
    set_def(&y, 2, 1, 1); /* this run's office */
    set_def(&y, 3, 2, 1); /* this run's overall */
    y.sets[3].overall = 1;
    cell(&y, 5, (int32_t[]){0, 1, 3});
    cell(&y, 1, (int32_t[]){-1, 1, 3});
    cell(&y, 10, (int32_t[]){-1, 2, 3});
    assert_int_equal(disclosure_apply(&y.d), 0);
    assert_int_equal(y.sets[0].shown, 1);
    assert_int_equal(y.sets[1].shown, 0);
    assert_int_equal(y.sets[2].shown, 0);
    assert_int_equal(y.sets[3].shown, 1);
    assert_int_equal(y.d.suppressed, 2);
}

/* Two earlier runs that expose each other (5 and 6 respondents, one
 * apart): nothing of this run can hide it, so it is warned about, twice
 * (the cell of one answer, and the pair of sets), and this run's own set,
 * far from both, stays. */
static void
earlier_alone(void **state)
{
    (void)state;
    struct sys y;
    sys_init(&y, 3, 3);
    set_def(&y, 0, 0, 1);
    set_def(&y, 1, 1, 1);
    set_def(&y, 2, 2, 1);
    y.sets[0].fixed = y.sets[1].fixed = 1;
    cell(&y, 5, (int32_t[]){0, 1, 2});
    cell(&y, 1, (int32_t[]){-1, 1, 2});
    cell(&y, 30, (int32_t[]){-1, -1, 2});
    assert_int_equal(disclosure_apply(&y.d), 0);
    assert_int_equal(y.sets[2].shown, 1);
    assert_int_equal(y.d.suppressed, 0);
    assert_int_equal(y.d.warnings, 2);
}

/* A system too large to eliminate exactly (12,000 shown sets over as many
 * cells: 288 million entries) is refused, and nothing is suppressed. */
static void
too_large(void **state)
{
    (void)state;
    enum { N = 12000 };
    struct disclosure d;
    memset(&d, 0, sizeof(d));
    struct disclosure_set *sets = calloc(N, sizeof(*sets));
    int64_t *person = calloc(N, sizeof(*person));
    int32_t *member = calloc(N, sizeof(*member));
    assert_non_null(sets);
    assert_non_null(person);
    assert_non_null(member);
    for (int i = 0; i < N; i++) {
        sets[i].shown = 1;
        sets[i].name_order = i;
        person[i] = i;
        member[i] = i;
    }
    d.min_group = 5;
    d.nunits = d.nsets = N;
    d.nfam = 1;
    d.person = person;
    d.member = member;
    d.sets = sets;
    assert_int_equal(disclosure_apply(&d), -1);
    assert_int_equal(d.cells, N);
    assert_int_equal(d.suppressed, 0);
    for (int i = 0; i < N; i++)
        assert_int_equal(sets[i].shown, 1);
    free(sets);
    free(person);
    free(member);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(difference_of_two),
        cmocka_unit_test(three_partitions),
        cmocka_unit_test(margins_only),
        cmocka_unit_test(two_runs),
        cmocka_unit_test(earlier_alone),
        cmocka_unit_test(too_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
