/* test_attendance.c - locale dates, date-order evidence and durations of
 * attendance reports and survey exports (collect/attendance.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>

#include "../../collect/collect.h"
#include "tether/timeutil.h"

/* The UTC instant of s read with order, as YYYY-MM-DDTHH:MM:SSZ. */
static const char *
utc(const char *s, enum date_order order)
{
    static char out[TETHER_TS_LEN];
    struct loctime t;
    int64_t ts;
    if (loctime_parse(s, order, &t) || !t.has_date ||
        loctime_to_utc(&t, "UTC", &ts))
        return "error";
    tether_ts_format(ts, out);
    return out;
}

static void
test_locale_dates(void **state)
{
    (void)state;
    enum date_order M = DATE_ORDER_MDY, D = DATE_ORDER_DMY;
    assert_string_equal(utc("09/24/2020 11:35:16 AM", M),
                        "2020-09-24T11:35:16Z");
    assert_string_equal(utc("9/24/20 13:30", M), "2020-09-24T13:30:00Z");
    assert_string_equal(utc("11/19/2021 12:01:59 PM", M),
                        "2021-11-19T12:01:59Z");
    assert_string_equal(utc("11/19/2021 12:01:59 AM", M),
                        "2021-11-19T00:01:59Z");
    assert_string_equal(utc("15/11/22, 09:30:17", D), "2022-11-15T09:30:17Z");
    assert_string_equal(utc("7/22/26, 7:00:11 PM", M), "2026-07-22T19:00:11Z");
    assert_string_equal(utc("2026/02/05 10:54:08 PM GMT+5:30", M),
                        "2026-02-05T17:24:08Z");
    assert_string_equal(utc("2022/06/22 11:07:29 AM AST", M),
                        "2022-06-22T15:07:29Z");
    assert_string_equal(utc("2026/02/07 4:02:26 pm GMT+5:30", D),
                        "2026-02-07T10:32:26Z");
    assert_string_equal(utc("2017-07-18 08:28:09", M), "2017-07-18T08:28:09Z");
    assert_string_equal(utc("2017-07-18T08:28:09.250Z", M),
                        "2017-07-18T08:28:09Z");
    assert_string_equal(utc("05/11/2022 10:00", D), "2022-11-05T10:00:00Z");
    assert_string_equal(utc("05/11/2022 10:00", M), "2022-05-11T10:00:00Z");
    /* malformed */
    assert_string_equal(utc("13/24/2020 11:35", M), "error");
    assert_string_equal(utc("02/30/2020 11:35", M), "error");
    assert_string_equal(utc("09/24/2020 13:35 PM", M), "error");
    assert_string_equal(utc("09/24/2020 11:75", M), "error");
    assert_string_equal(utc("yesterday", M), "error");
    assert_string_equal(utc("2026/02/05 10:54 PM GMT+5:30 extra", M),
                        "error");
    /* a time without a date */
    struct loctime t;
    assert_int_equal(loctime_parse("9:56 AM", M, &t), 0);
    assert_int_equal(t.has_date, 0);
    assert_int_equal(t.h * 60 + t.mi, 9 * 60 + 56);
    /* a zone abbreviation we do not know leaves the time local */
    assert_int_equal(loctime_parse("2026/02/05 10:54:08 PM XYZT", M, &t), 0);
    assert_int_equal(t.has_offset, 0);
}

static void
test_order_hints(void **state)
{
    (void)state;
    assert_int_equal(loctime_order_hint("15/11/22, 09:30:17"), DATE_ORDER_DMY);
    assert_int_equal(loctime_order_hint("7/22/26, 7:00:11 PM"),
                     DATE_ORDER_MDY);
    assert_int_equal(loctime_order_hint("05/11/2022"), DATE_ORDER_UNKNOWN);
    assert_int_equal(loctime_order_hint("2026/02/05"), DATE_ORDER_UNKNOWN);
    assert_int_equal(loctime_order_hint("Scrum Meeting"), DATE_ORDER_UNKNOWN);
}

/* cmocka 1.1 compares floats only as float. */
#define assert_near(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static double
minutes(const char *s)
{
    double m;
    return duration_parse(s, &m) ? -1 : m;
}

static void
test_durations(void **state)
{
    (void)state;
    assert_near(minutes("1h 5m 20s"), 65 + 20 / 60.0);
    assert_near(minutes("19m 26s"), 19 + 26 / 60.0);
    assert_near(minutes("30s"), 0.5);
    assert_near(minutes("1 hr 2 min"), 62);
    assert_near(minutes("58 min"), 58);
    assert_near(minutes("42m"), 42);
    assert_near(minutes("75"), 75);
    assert_near(minutes("1:05:20"), 65 + 20 / 60.0);
    assert_near(minutes("ten minutes"), -1);
    assert_near(minutes("5 5"), -1);
    assert_near(minutes("12 parsecs"), -1);
    assert_near(minutes(""), -1);
    /* numbers are decimal: strtod alone read these as 30 and 100 */
    assert_near(minutes("0x1E"), -1);
    assert_near(minutes("1e2"), -1);
    assert_near(minutes("1e2 min"), -1);
    assert_near(minutes("0x1Em"), -1);
    assert_near(minutes("inf"), -1);
    assert_near(minutes("1.5 min"), 1.5);
    assert_near(minutes(".5h"), 30);
}

/* Teams writes durations in the organiser's language. */
static void
test_durations_in_languages(void **state)
{
    (void)state;
    double d = 2 * 60 + 19 + 19 / 60.0;
    assert_near(minutes("2 godz. 19 min 19 s"), d);      /* Polish */
    assert_near(minutes("2 Std. 19 Min. 19 Sek."), d);   /* German */
    assert_near(minutes("2 h 19 min 19 s"), d);          /* French ... */
    assert_near(minutes("2 u 19 min 19 s"), d);          /* Dutch */
    assert_near(minutes("2 時間 19 分 19 秒"), d);       /* Japanese */
    assert_near(minutes("2時間19分19秒"), d);            /* without blanks */
    assert_near(minutes("45 minuti"), 45);               /* Italian words */
    assert_near(minutes("1 hora 5 minutos"), 65);        /* Spanish words */
    assert_near(minutes("2 godz. 19 parsek"), -1);       /* no such unit */
    assert_near(minutes("2 時"), -1);                    /* half a unit */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_locale_dates),
        cmocka_unit_test(test_order_hints),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_durations_in_languages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
