/* test_timeutil.c - dates, timestamps and time-zone offsets. */
#include <pthread.h>
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

/* A zone and what it must read: in 2026 (the cached years) and in 2300
 * (past the cache: every look-up reads the C library's TZ, switched to
 * the zone when another was loaded). */
struct zone_want {
    const char *zone;
    int jan, jul;
};
static const struct zone_want zone_wants[2] = {
    {"America/Los_Angeles", -28800, -25200},
    {"Asia/Kolkata", 19800, 19800},
};

struct zone_job {
    pthread_barrier_t *start; /* both threads begin together */
    int first;                /* the zone it asks for first */
    int wrong;                /* look-ups that gave another offset */
};

static void *
zone_job_run(void *arg)
{
    struct zone_job *j = arg;
    int64_t jan = utc("2026-01-15T00:00:00Z"), jul = utc("2026-07-15T00:00:00Z"),
            far = utc("2300-07-15T00:00:00Z");
    pthread_barrier_wait(j->start);
    for (int i = 0; i < 10000; i++) {
        for (int k = 0; k < 2; k++) {
            const struct zone_want *w = &zone_wants[(j->first + k) % 2];
            int a = 1, b = 1, c = 1;
            tether_tz_offset(w->zone, jan + (i % 24) * 3600, &a);
            tether_tz_offset(w->zone, far + (i % 24) * 3600, &c);
            tether_tz_offset(w->zone, jul + (i % 24) * 3600, &b);
            j->wrong += (a != w->jan) + (b != w->jul) + (c != w->jul);
        }
        if (i == 5000)
            tether_tz_thread_end(); /* the rest on a new cache */
    }
    tether_tz_thread_end();
    return NULL;
}

/* Two threads asking for two zones at once read each zone's offsets: the
 * analysis reads contacts on one thread and works out local hours on
 * another. */
static void
test_offsets_threads(void **state)
{
    (void)state;
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    struct zone_job jobs[2] = {{&start, 0, 0}, {&start, 1, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, zone_job_run, &jobs[i]),
                         0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    pthread_barrier_destroy(&start);
    assert_int_equal(jobs[0].wrong, 0);
    assert_int_equal(jobs[1].wrong, 0);
    /* This thread's cache is its own, untouched by theirs. */
    assert_int_equal(offset("America/Los_Angeles", "2300-01-15T00:00:00Z"),
                     -28800);
    assert_int_equal(offset("Asia/Kolkata", "2026-07-01T00:00:00Z"), 19800);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_local_to_utc),
        cmocka_unit_test(test_offsets_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
