/* test_period.c - quarters, fiscal quarters and ranges (core/period.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tether/period.h"
#include "tether/timeutil.h"

static void
expect(const struct tether_period *p, const char *start, const char *end,
       const char *label)
{
    char a[TETHER_DATE_LEN], b[TETHER_DATE_LEN];
    tether_date_format(p->start, a);
    tether_date_format(p->end, b);
    assert_string_equal(a, start);
    assert_string_equal(b, end);
    assert_string_equal(p->label, label);
}

static int32_t
day(const char *s)
{
    int32_t d = 0;
    assert_int_equal(tether_date_parse(s, &d), 0);
    return d;
}

static void
calendar(void **state)
{
    (void)state;
    struct tether_period p;
    assert_int_equal(tether_period_quarter(&p, "2026Q3", 1), 0);
    expect(&p, "2026-07-01", "2026-09-30", "2026Q3");
    assert_int_equal(tether_period_quarter(&p, "2024q1", 1), 0);
    expect(&p, "2024-01-01", "2024-03-31", "2024Q1");
    assert_int_equal(tether_period_quarter(&p, "2026Q4", 1), 0);
    expect(&p, "2026-10-01", "2026-12-31", "2026Q4");
    assert_int_equal(tether_period_quarter(&p, "2026Q5", 1), -1);
    assert_int_equal(tether_period_quarter(&p, "26Q1", 1), -1);
    assert_int_equal(tether_period_quarter(&p, "2026Q1x", 1), -1);
}

static void
fiscal(void **state)
{
    (void)state;
    struct tether_period p;
    /* A year starting in April is named by the year it ends in: FY2027
     * runs from April 2026 to March 2027. */
    assert_int_equal(tether_period_quarter(&p, "2027Q1", 4), 0);
    expect(&p, "2026-04-01", "2026-06-30", "FY2027Q1");
    assert_int_equal(tether_period_quarter(&p, "FY2027Q4", 4), 0);
    expect(&p, "2027-01-01", "2027-03-31", "FY2027Q4");
    /* October start (the US federal year): FY2026Q1 is Oct-Dec 2025. */
    assert_int_equal(tether_period_quarter(&p, "2026Q1", 10), 0);
    expect(&p, "2025-10-01", "2025-12-31", "FY2026Q1");
}

static void
last_ended(void **state)
{
    (void)state;
    struct tether_period p;
    tether_period_last_ended(&p, day("2026-08-15"), 1);
    expect(&p, "2026-04-01", "2026-06-30", "2026Q2");
    tether_period_last_ended(&p, day("2026-02-01"), 1);
    expect(&p, "2025-10-01", "2025-12-31", "2025Q4");
    /* 1 July is in FY2027Q2 of an April year: FY2027Q1 has ended. */
    tether_period_last_ended(&p, day("2026-07-01"), 4);
    expect(&p, "2026-04-01", "2026-06-30", "FY2027Q1");
    tether_period_last_ended(&p, day("2026-04-10"), 4);
    expect(&p, "2026-01-01", "2026-03-31", "FY2026Q4");
}

static void
previous(void **state)
{
    (void)state;
    struct tether_period p, q;
    tether_period_quarter(&p, "2026Q1", 1);
    tether_period_previous(&p, 1, 1, &q);
    expect(&q, "2025-10-01", "2025-12-31", "2025Q4");
    tether_period_previous(&p, 5, 1, &q);
    expect(&q, "2024-10-01", "2024-12-31", "2024Q4");
    tether_period_quarter(&p, "2027Q1", 4);
    tether_period_previous(&p, 1, 4, &q);
    expect(&q, "2026-01-01", "2026-03-31", "FY2026Q4");
    /* A 10-day range moves back by 10 days. */
    assert_int_equal(
        tether_period_range(&p, day("2026-03-11"), day("2026-03-20")), 0);
    expect(&p, "2026-03-11", "2026-03-20", "2026-03-11..2026-03-20");
    tether_period_previous(&p, 2, 1, &q);
    expect(&q, "2026-02-19", "2026-02-28", "2026-02-19..2026-02-28");
    assert_int_equal(tether_period_range(&p, 10, 9), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calendar),
        cmocka_unit_test(fiscal),
        cmocka_unit_test(last_ended),
        cmocka_unit_test(previous),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
