/* test_csv.c - the CSV reader against the csv-spectrum suite and the
 * csvkit examples of tests/data/real (TESTDATA overrides the folder; the
 * tests run from the top of the repository). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "tether/csv.h"
#include "tether/util.h"

static char *
testdata(const char *rel)
{
    const char *root = getenv("TESTDATA");
    return tether_xasprintf("%s/%s", root ? root : "tests/data/real", rel);
}

static struct tether_csv *
open_csv(const char *rel, char delim)
{
    char *path = testdata(rel);
    char err[TETHER_ERRBUF];
    struct tether_csv *c = NULL;
    enum tether_err e = tether_csv_open(&c, path, delim, err);
    if (e)
        fail_msg("cannot open %s: %s", path, err);
    free(path);
    return c;
}

/* Reads a record, failing the test when there is none. */
static void
next(struct tether_csv *c)
{
    char err[TETHER_ERRBUF];
    int r = tether_csv_next(c, err);
    if (r != 1)
        fail_msg("expected a record, got %d: %s", r, r < 0 ? err : "end");
}

static void
at_end(struct tether_csv *c)
{
    char err[TETHER_ERRBUF];
    assert_int_equal(tether_csv_next(c, err), 0);
}

static void
spectrum_case(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof(rel), "csv-spectrum/json/%s.json", name);
    char *jpath = testdata(rel);
    json_error_t jerr;
    json_t *expected = json_load_file(jpath, 0, &jerr);
    if (!expected)
        fail_msg("%s: %s", jpath, jerr.text);
    free(jpath);
    if (json_is_object(expected)) {
        /* location_coordinates.json holds its one row as a bare object */
        json_t *rows = json_array();
        json_array_append_new(rows, expected);
        expected = rows;
    }
    snprintf(rel, sizeof(rel), "csv-spectrum/csvs/%s.csv", name);
    struct tether_csv *c = open_csv(rel, 0);
    next(c);
    tether_csv_set_header(c);
    size_t i;
    json_t *row;
    json_array_foreach(expected, i, row)
    {
        next(c);
        const char *key;
        json_t *value;
        assert_int_equal(tether_csv_nfields(c), json_object_size(row));
        json_object_foreach(row, key, value)
        {
            long col = tether_csv_column(c, key);
            if (col < 0)
                fail_msg("%s: no column %s", name, key);
            const char *want = json_string_value(value);
            /* Upstream's expected JSON has a placeholder phone number that
             * is not in its CSV (2095257564): the one known error of the
             * suite. Every other field is compared as the JSON says. */
            if (strcmp(name, "location_coordinates") == 0 &&
                strcmp(key, "Contact Phone Number") == 0)
                want = "2095257564";
            assert_string_equal(tether_csv_field(c, (size_t)col), want);
        }
        const char *why;
        assert_int_equal(tether_csv_problem(c, &why), -1);
    }
    at_end(c);
    tether_csv_close(c);
    json_decref(expected);
}

static void
test_spectrum(void **state)
{
    (void)state;
    static const char *names[] = {
        "comma_in_quotes",     "empty",    "empty_crlf",
        "escaped_quotes",      "json",     "location_coordinates",
        "newlines",            "newlines_crlf", "quotes_and_newlines",
        "simple",              "simple_crlf",   "utf8",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        spectrum_case(names[i]);
}

/* Checks that the next record is exactly the given fields. */
static void
expect_row(struct tether_csv *c, long line, size_t n, ...)
{
    next(c);
    assert_int_equal(tether_csv_line(c), line);
    assert_int_equal(tether_csv_nfields(c), n);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(tether_csv_field(c, i), va_arg(ap, const char *));
    va_end(ap);
}

static void
test_bom_and_utf16(void **state)
{
    (void)state;
    static const char *files[] = {"csvkit-examples/test_utf8_bom.csv",
                                  "csvkit-examples/test_utf16_little.csv",
                                  "csvkit-examples/test_utf16_big.csv"};
    for (size_t i = 0; i < 3; i++) {
        struct tether_csv *c = open_csv(files[i], 0);
        next(c);
        /* the mark is gone: the first header cell is a clean name */
        assert_string_equal(tether_csv_field(c, 0), i == 0 ? "foo" : "a");
        expect_row(c, 2, 3, "1", "2", "3");
        expect_row(c, 3, 3, "4", "5", "\xca\xa4"); /* U+02A4 */
        at_end(c);
        tether_csv_close(c);
    }
}

static void
test_cr_line_ends(void **state)
{
    (void)state;
    struct tether_csv *c = open_csv("csvkit-examples/mac_newlines.csv", 0);
    expect_row(c, 1, 3, "a", "b", "c");
    expect_row(c, 2, 3, "1", "2", "3");
    expect_row(c, 3, 3, "Once upon\ra time", "5", "6");
    assert_string_equal(tether_csv_raw(c), "\"Once upon\ra time\",5,6");
    at_end(c);
    tether_csv_close(c);
}

static void
test_invalid_text_is_reported_per_field(void **state)
{
    (void)state;
    const char *why;
    struct tether_csv *c = open_csv("csvkit-examples/test_latin1.csv", 0);
    expect_row(c, 1, 3, "a", "b", "c");
    expect_row(c, 2, 3, "1", "2", "3");
    next(c);
    assert_int_equal(tether_csv_line(c), 3);
    assert_int_equal(tether_csv_problem(c, &why), 2);
    assert_non_null(strstr(why, "invalid UTF-8"));
    tether_csv_close(c);

    c = open_csv("csvkit-examples/null_byte.csv", 0);
    next(c);
    next(c);
    assert_int_equal(tether_csv_problem(c, &why), 0);
    assert_string_equal(why, "NUL byte");
    tether_csv_close(c);
}

static void
test_ragged_rows(void **state)
{
    (void)state;
    struct tether_csv *c = open_csv("csvkit-examples/bad.csv", 0);
    next(c);
    expect_row(c, 2, 4, "1", "27", "", "I'm too long!");
    expect_row(c, 3, 2, "", "I'm too short!");
    expect_row(c, 4, 3, "0", "mixed types.... uh oh", "17");
    at_end(c);
    tether_csv_close(c);

    c = open_csv("csvkit-examples/test_empty_columns_long_row.csv", 0);
    next(c);
    expect_row(c, 2, 4, "", "", "", "");
    tether_csv_close(c);
    c = open_csv("csvkit-examples/test_empty_columns_short_row.csv", 0);
    next(c);
    expect_row(c, 2, 2, "", "");
    tether_csv_close(c);
}

static void
test_header_blanks_and_null_words(void **state)
{
    (void)state;
    struct tether_csv *c =
        open_csv("csvkit-examples/test_header_newline.csv", 0);
    next(c);
    tether_csv_set_header(c);
    assert_string_equal(tether_csv_header(c, 0), "start \t\n\v\f\r end");
    assert_int_equal(tether_csv_column(c, " B "), 1);
    expect_row(c, 8, 3, "d", "e", "f");
    tether_csv_close(c);

    /* NA, NULL and friends are data, not missing values */
    c = open_csv("csvkit-examples/blanks.csv", 0);
    next(c);
    expect_row(c, 2, 6, "", "NA", "N/A", "NONE", "NULL", ".");
    tether_csv_close(c);
}

static void
test_no_final_newline_and_tabs(void **state)
{
    (void)state;
    struct tether_csv *c = open_csv("csvkit-examples/test_utf8.csv", 0);
    next(c);
    expect_row(c, 2, 3, "1", "2", "3");
    expect_row(c, 3, 3, "4", "5", "\xca\xa4");
    at_end(c);
    tether_csv_close(c);
    c = open_csv("csvkit-examples/dummy.tsv", '\t');
    expect_row(c, 1, 3, "a", "b", "c");
    expect_row(c, 2, 3, "1", "2", "3");
    at_end(c);
    tether_csv_close(c);
}

static void
test_missing_file(void **state)
{
    (void)state;
    struct tether_csv *c = NULL;
    char err[TETHER_ERRBUF];
    assert_int_equal(tether_csv_open(&c, "no/such.csv", 0, err),
                     TETHER_ERR_IO);
    assert_string_equal(err,
                        "cannot open 'no/such.csv': No such file or directory");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spectrum),
        cmocka_unit_test(test_bom_and_utf16),
        cmocka_unit_test(test_cr_line_ends),
        cmocka_unit_test(test_invalid_text_is_reported_per_field),
        cmocka_unit_test(test_ragged_rows),
        cmocka_unit_test(test_header_blanks_and_null_words),
        cmocka_unit_test(test_no_final_newline_and_tabs),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
