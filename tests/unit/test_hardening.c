/* test_hardening.c - regressions found by fuzzing and hostile-input tests
 * of the core (see fuzz/ and tests/cli/test_hostile.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "tether/textin.h"
#include "tether/timeutil.h"
#include "tether/util.h"

/* Only real zone files are zones: other spellings of a file and folders
 * are not, and so are not cached (a roster of a million made-up zone names
 * once cost 2.4 KB of cache each). */
static void
test_zone_names(void **state)
{
    (void)state;
    assert_true(tether_tz_valid("Europe/Paris"));
    assert_true(tether_tz_valid("America/Argentina/Buenos_Aires"));
    assert_true(tether_tz_valid("Etc/GMT+5"));
    assert_true(tether_tz_valid("America/Port-au-Prince"));
    assert_true(tether_tz_valid("UTC"));
    assert_false(tether_tz_valid("Europe"));
    assert_false(tether_tz_valid("Europe/"));
    assert_false(tether_tz_valid("Europe//Paris"));
    assert_false(tether_tz_valid("./Europe/Paris"));
    assert_false(tether_tz_valid("/Europe/Paris"));
    assert_false(tether_tz_valid("Europe/../Europe/Paris"));
    assert_false(tether_tz_valid("Europe/Paris "));
    assert_false(tether_tz_valid(""));
    /* files under zoneinfo that are not zones of the database */
    assert_false(tether_tz_valid("leapseconds"));
    assert_false(tether_tz_valid("zone.tab"));
    assert_false(tether_tz_valid("zone1970.tab"));
    assert_false(tether_tz_valid("tzdata.zi"));
    assert_false(tether_tz_valid("iso3166.tab"));
    assert_false(tether_tz_valid("posixrules"));
    assert_false(tether_tz_valid("localtime"));
    assert_false(tether_tz_valid("right/Europe/Paris"));
    assert_false(tether_tz_valid("posix/Europe/Paris"));
    assert_true(tether_tz_valid("Factory")); /* a zone, if a useless one */
    char name[64];
    for (int i = 0; i < 100000; i++) {
        snprintf(name, sizeof(name), "Nowhere/Zone%d", i);
        assert_false(tether_tz_valid(name));
    }
    int off = 1;
    assert_int_equal(tether_tz_offset("Nowhere/Zone1", 0, &off), -1);
    assert_int_equal(tether_tz_offset("Asia/Kathmandu", 1767225600, &off), 0);
    assert_int_equal(off, 5 * 3600 + 45 * 60);
}

/* Dates at the ends of the supported range, and beyond it. */
static void
test_date_bounds(void **state)
{
    (void)state;
    int32_t d;
    char s[TETHER_DATE_LEN];
    assert_int_equal(tether_date_parse("0000-01-01", &d), -1);
    assert_int_equal(tether_date_parse("0001-01-01", &d), 0);
    tether_date_format(d, s);
    assert_string_equal(s, "0001-01-01");
    assert_int_equal(tether_date_parse("9999-12-31", &d), 0);
    tether_date_format(d, s);
    assert_string_equal(s, "9999-12-31");
    assert_int_equal(tether_date_parse("10000-01-01", &d), -1);
    int64_t t;
    assert_int_equal(tether_ts_parse("9999-12-31T23:59:59+14:00", NULL, &t),
                     0);
    assert_int_equal(tether_ts_parse("9999-12-31T23:59", "Europe/Paris", &t),
                     0);
    assert_int_equal(tether_ts_parse("0001-01-01T00:00Z", NULL, &t), 0);
    assert_int_equal(tether_ts_parse("0000-12-31T00:00Z", NULL, &t),
                     TETHER_TS_MALFORMED);
}

/* The UTF-8 check names the first bad byte. */
/* Numbers are decimal: what strtod reads besides (hexadecimal, exponents,
 * inf, nan) is refused. */
static void
test_decimal_numbers(void **state)
{
    (void)state;
    double v = -1;
    assert_int_equal(tether_parse_double("30", &v), 0);
    assert_true(v == 30);
    assert_int_equal(tether_parse_double(" -2.5 ", &v), 0);
    assert_true(v == -2.5);
    assert_int_equal(tether_parse_double(".5", &v), 0);
    assert_true(v == 0.5);
    assert_int_equal(tether_parse_double("+4.", &v), 0);
    assert_true(v == 4);
    const char *bad[] = {"0x1E", "0x4", "1e2", "1E2", "2.5e-1", "inf", "nan",
                         "infinity", ".", "-", "", "1 2", "1,5", "--1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(tether_parse_double(bad[i], &v), -1);
    assert_int_equal(tether_decimal_span("12.5kg"), 4);
    assert_int_equal(tether_decimal_span("0x1E"), 1);
    assert_int_equal(tether_decimal_span("x"), 0);
}

/* Text from the data printed to a terminal cannot send it sequences. */
static void
test_escape_controls(void **state)
{
    (void)state;
    char *e = tether_str_escape_controls("Dept\x1b[2J\tA\\B\xc2\x9b"
                                         "1m Zo\xc3\xab");
    assert_string_equal(e, "Dept\\x1b[2J\\x09A\\\\B\\u009b1m Zo\xc3\xab");
    free(e);
    e = tether_str_escape_controls("");
    assert_string_equal(e, "");
    free(e);
}

static void
test_utf8(void **state)
{
    (void)state;
    const char *why = NULL;
    assert_int_equal(tether_utf8_check("ok \xc3\xa9", 5, &why), 0);
    assert_int_equal(tether_utf8_check("a\0b", 3, &why), 2);
    assert_string_equal(why, "NUL byte");
    assert_int_equal(tether_utf8_check("ab\xc0\xaf", 4, &why), 3);
    assert_int_equal(tether_utf8_check("\xed\xa0\x80", 3, &why), 1);
    assert_int_equal(tether_utf8_check("\xf4\x90\x80\x80", 4, &why), 1);
    assert_int_equal(tether_utf8_check("x\xe2\x82", 3, &why), 2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zone_names),
        cmocka_unit_test(test_date_bounds),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_decimal_numbers),
        cmocka_unit_test(test_escape_controls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
