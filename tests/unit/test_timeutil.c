/* test_timeutil.c - dates, timestamps and time-zone offsets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tether/timeutil.h"

static int64_t
utc(const char *s)
{
    int64_t t = 0;
    assert_int_equal(tether_ts_parse(s, NULL, &t), 0);
    return t;
}

static void
test_days(void **state)
{
    (void)state;
    assert_int_equal(tether_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(tether_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(tether_days_from_civil(1969, 12, 31), -1);
    for (int32_t d = -800000; d < 3000000; d += 997) {
        int y, m, dd;
        tether_civil_from_days(d, &y, &m, &dd);
        assert_int_equal(tether_days_from_civil(y, m, dd), d);
    }
    int32_t day;
    assert_int_equal(tether_date_parse("2026-11-23", &day), 0);
    assert_int_equal(tether_weekday(day), 0); /* a Monday */
    char s[TETHER_DATE_LEN];
    tether_date_format(day, s);
    assert_string_equal(s, "2026-11-23");
    assert_int_equal(tether_date_parse("2024-02-29", &day), 0);
    assert_int_equal(tether_date_parse("2026-02-29", &day), -1);
    assert_int_equal(tether_date_parse("2026-13-01", &day), -1);
    assert_int_equal(tether_date_parse("26-01-01", &day), -1);
    assert_int_equal(tether_date_parse("2026-01-01x", &day), -1);
    assert_int_equal(tether_date_parse("0000-01-01", &day), -1);
    assert_int_equal(tether_date_parse("9999-12-31", &day), 0);
}

static void
test_timestamps(void **state)
{
    (void)state;
    char s[TETHER_TS_LEN];
    tether_ts_format(utc("2026-07-01T09:30:00+02:00"), s);
    assert_string_equal(s, "2026-07-01T07:30:00Z");
    tether_ts_format(utc("2026-07-01T09:30:00.250-0530"), s);
    assert_string_equal(s, "2026-07-01T15:00:00Z");
    tether_ts_format(utc("2026-07-01 09:30Z"), s);
    assert_string_equal(s, "2026-07-01T09:30:00Z");
    tether_ts_format(utc("2026-07-01T23:30:00-01"), s);
    assert_string_equal(s, "2026-07-02T00:30:00Z");
    int64_t t;
    assert_int_equal(tether_ts_parse("2026-07-01T09:30", "Europe/Paris", &t),
                     0);
    tether_ts_format(t, s);
    assert_string_equal(s, "2026-07-01T07:30:00Z");
    assert_int_equal(tether_ts_parse("2026-07-01T09:30", NULL, &t),
                     TETHER_TS_NO_ZONE);
    assert_int_equal(tether_ts_parse("2026-07-01T09:30", "Mars/Base", &t),
                     TETHER_TS_BAD_ZONE);
    assert_int_equal(tether_ts_parse("2026-07-01T25:30Z", NULL, &t),
                     TETHER_TS_MALFORMED);
    assert_int_equal(tether_ts_parse("2026-07-01", NULL, &t),
                     TETHER_TS_MALFORMED);
    assert_int_equal(tether_ts_parse("yesterday", NULL, &t),
                     TETHER_TS_MALFORMED);
}

static int
offset(const char *zone, const char *when)
{
    int off = 0;
    assert_int_equal(tether_tz_offset(zone, utc(when), &off), 0);
    return off;
}

static void
test_offsets(void **state)
{
    (void)state;
    assert_int_equal(offset("Asia/Kolkata", "2026-07-01T00:00:00Z"), 19800);
    assert_int_equal(offset("Australia/Adelaide", "2026-01-15T00:00:00Z"),
                     37800);
    assert_int_equal(offset("Australia/Adelaide", "2026-07-15T00:00:00Z"),
                     34200);
    /* Adelaide springs forward at 02:00 local standard time, 16:30 UTC: in
     * the middle of a UTC hour, which the cache must not blur. */
    assert_int_equal(offset("Australia/Adelaide", "2026-10-03T16:29:59Z"),
                     34200);
    assert_int_equal(offset("Australia/Adelaide", "2026-10-03T16:30:00Z"),
                     37800);
    assert_int_equal(offset("America/Los_Angeles", "2026-03-08T09:59:59Z"),
                     -28800);
    assert_int_equal(offset("America/Los_Angeles", "2026-03-08T10:00:00Z"),
                     -25200);
    assert_int_equal(offset("UTC", "2026-03-08T10:00:00Z"), 0);
    int off;
    assert_int_equal(tether_tz_offset("Nowhere/City", 0, &off), -1);
    assert_true(tether_tz_valid("Europe/Paris"));
    assert_false(tether_tz_valid("../etc/passwd"));
    assert_false(tether_tz_valid(""));
}

static void
test_local_to_utc(void **state)
{
    (void)state;
    int64_t t;
    char s[TETHER_TS_LEN];
    /* 02:30 does not exist in Los Angeles on 2026-03-08: earlier offset */
    tether_tz_local_to_utc("America/Los_Angeles", 2026, 3, 8, 2, 30, 0, &t);
    tether_ts_format(t, s);
    assert_string_equal(s, "2026-03-08T10:30:00Z");
    /* 01:30 happens twice on 2026-11-01: the first time, still PDT */
    tether_tz_local_to_utc("America/Los_Angeles", 2026, 11, 1, 1, 30, 0, &t);
    tether_ts_format(t, s);
    assert_string_equal(s, "2026-11-01T08:30:00Z");
    tether_tz_local_to_utc("Asia/Kolkata", 2026, 1, 1, 0, 0, 0, &t);
    tether_ts_format(t, s);
    assert_string_equal(s, "2025-12-31T18:30:00Z");
    assert_int_equal(tether_tz_day("Asia/Kolkata", t), tether_days_from_civil(
                                                           2026, 1, 1));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_local_to_utc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
