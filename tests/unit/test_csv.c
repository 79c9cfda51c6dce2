/* test_csv.c - the CSV reader against the csv-spectrum suite and the
 * csvkit examples of tests/data/real (TESTDATA overrides the folder; the
 * tests run from the top of the repository). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* A folder of the tests' own for the generated files. */
static char tmpdir[256];

static char *
in_tmp(const char *name)
{
    return tether_xasprintf("%s/%s", tmpdir, name);
}

static void
write_file(const char *path, const struct tether_buf *b)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
    assert_int_equal(fclose(f), 0);
}

/* Record k of the generated file: a mix of what exports hold (quoted
 * commas and line ends, CRLF, CR and LF, blank lines, blanks to trim,
 * ragged rows, bad UTF-8, NUL bytes, and now and then a field of 200 KB,
 * which fills a read-ahead block by its bytes alone). */
static void
gen_record(struct tether_buf *b, unsigned k)
{
    tether_buf_printf(b, "%u,name %u ,", k, k);
    if (k % 13 == 0)
        tether_buf_printf(b, "\"line one, %u\nline \"\"two\"\"\"", k);
    else if (k % 997 == 0)
        tether_buf_adds(b, "caf\xe9");
    else if (k % 1499 == 0)
        tether_buf_add(b, "nul\0here", 8);
    else if (k % 5003 == 0)
        for (unsigned i = 0; i < 20000; i++)
            tether_buf_adds(b, "0123456789");
    else
        tether_buf_printf(b, " 2026-%02u-%02uT10:00:00Z", k % 12 + 1,
                          k % 28 + 1);
    for (unsigned i = 0; i < k % 7; i++)
        tether_buf_printf(b, ",x%u", i);
    if (k % 101 == 0)
        tether_buf_adds(b, "\r\n\n  \n"); /* blank lines; "  " is a record */
    else if (k % 3 == 0)
        tether_buf_adds(b, "\r\n");
    else if (k % 31 == 0)
        tether_buf_adds(b, "\r");
    else
        tether_buf_adds(b, "\n");
}

/* Reads the next record of a and of b and fails where they differ.
 * Returns what next() returned. */
static int
same_next(struct tether_csv *a, struct tether_csv *b, char *erra, char *errb)
{
    int ra = tether_csv_next(a, erra), rb = tether_csv_next(b, errb);
    assert_int_equal(ra, rb);
    if (ra < 0)
        assert_string_equal(erra, errb);
    if (ra != 1)
        return ra;
    size_t n = tether_csv_nfields(a);
    assert_int_equal(tether_csv_nfields(b), n);
    assert_int_equal(tether_csv_line(a), tether_csv_line(b));
    assert_string_equal(tether_csv_raw(a), tether_csv_raw(b));
    assert_true(tether_csv_pos(a) == tether_csv_pos(b));
    const char *wa = NULL, *wb = NULL;
    assert_int_equal(tether_csv_problem(a, &wa), tether_csv_problem(b, &wb));
    if (wa || wb)
        assert_string_equal(wa, wb);
    for (size_t i = 0; i <= n; i++)
        assert_string_equal(tether_csv_field(a, i), tether_csv_field(b, i));
    for (size_t i = 0; i <= n; i++)
        assert_string_equal(tether_csv_field_trimmed(a, i),
                            tether_csv_field_trimmed(b, i));
    return 1;
}

/* Opens path twice: a reads on the caller's thread, b reads ahead after
 * the header, as the importers do. */
static void
open_pair(const char *path, struct tether_csv **a, struct tether_csv **b)
{
    char ea[TETHER_ERRBUF], eb[TETHER_ERRBUF];
    if (tether_csv_open(a, path, 0, ea) || tether_csv_open(b, path, 0, eb))
        fail_msg("cannot open %s", path);
    assert_int_equal(same_next(*a, *b, ea, eb), 1);
    tether_csv_set_header(*b);
    tether_csv_readahead(*b);
    /* the header stays the current record until the next one */
    assert_string_equal(tether_csv_field(*b, 0), "id");
    assert_int_equal(tether_csv_line(*b), 1);
}

static void
test_readahead_reads_the_same_records(void **state)
{
    (void)state;
    enum { RECORDS = 30000 };
    struct tether_buf text = {0};
    tether_buf_adds(&text, "id,name,when\r\n");
    for (unsigned k = 1; k <= RECORDS; k++)
        gen_record(&text, k);
    tether_buf_adds(&text, "last,no line end");
    char *path = in_tmp("same.csv");
    write_file(path, &text);
    struct tether_csv *a, *b;
    open_pair(path, &a, &b);
    char ea[TETHER_ERRBUF], eb[TETHER_ERRBUF];
    size_t records = 0, bad = 0;
    while (same_next(a, b, ea, eb) == 1) {
        const char *why;
        records++;
        bad += tether_csv_problem(b, &why) >= 0;
        if (records == 13) { /* the first record that spans two lines */
            assert_int_equal(tether_csv_line(b), 14);
            assert_string_equal(tether_csv_field(b, 2),
                                "line one, 13\nline \"two\"");
        }
    }
    /* every generated record, the "  " of the blank lines and the last */
    assert_int_equal(records, RECORDS + RECORDS / 101 + 1);
    /* the Latin-1 ones (k a multiple of 997 but not of 13) and the NULs */
    assert_int_equal(bad, 28 + 19);
    assert_string_equal(tether_csv_raw(b), "last,no line end");
    assert_true(tether_csv_pos(b) == text.len);
    tether_csv_close(a);
    tether_csv_close(b);
    unlink(path);
    free(path);
    tether_buf_free(&text);
}

/* A read error in the middle of a large file comes after every good
 * record before it, with the text it has without the thread. */
static void
test_readahead_error_after_the_good_records(void **state)
{
    (void)state;
    enum { GOOD = 20000 };
    char *path = in_tmp("error.csv");
    for (int kind = 0; kind < 2; kind++) {
        struct tether_buf text = {0};
        tether_buf_adds(&text, "id,name,when\n");
        for (unsigned k = 1; k <= GOOD; k++)
            tether_buf_printf(&text, "%u,name %u,2026-01-01\n", k, k);
        if (kind == 0) {
            for (unsigned i = 0; i < TETHER_CSV_MAX_FIELDS; i++)
                tether_buf_adds(&text, "x,");
            tether_buf_adds(&text, "x\n");
        } else {
            tether_buf_adds(&text, "1,\"an open quote\n");
            for (unsigned i = 0; i < TETHER_CSV_MAX_RECORD / 32; i++)
                tether_buf_adds(&text, "some text that goes on and on, "
                                       "line after line, never closed\n");
        }
        for (unsigned k = 1; k <= GOOD; k++)
            tether_buf_printf(&text, "%u,after,2026-01-01\n", k);
        write_file(path, &text);
        tether_buf_free(&text);

        struct tether_csv *a, *b;
        open_pair(path, &a, &b);
        char ea[TETHER_ERRBUF], eb[TETHER_ERRBUF];
        unsigned records = 0;
        int got;
        while ((got = same_next(a, b, ea, eb)) == 1)
            records++;
        if (got != -1 || records != GOOD)
            fail_msg("kind %d: %d after %u records", kind, got, records);
        /* the last good record is still the current one */
        assert_int_equal(tether_csv_line(b), GOOD + 1);
        char *want =
            kind == 0 ? tether_xasprintf("%s:%d: more than %d fields", path,
                                         GOOD + 2, TETHER_CSV_MAX_FIELDS)
                      : tether_xasprintf("%s:%d: record longer than %u bytes",
                                         path, GOOD + 2, TETHER_CSV_MAX_RECORD);
        assert_string_equal(eb, want);
        free(want);
        tether_csv_close(a);
        tether_csv_close(b);
    }
    unlink(path);
    free(path);
}

/* The writing end of a FIFO: the header and then far more records than
 * the reader reads ahead, stopping when the reader has gone. */
struct fifo_writer {
    const char *path;
    size_t total, written;
};

static void *
fifo_write(void *arg)
{
    struct fifo_writer *w = arg;
    int fd = open(w->path, O_WRONLY);
    if (fd < 0)
        return NULL;
    struct tether_buf chunk = {0};
    unsigned k = 0;
    tether_buf_adds(&chunk, "id,name,when\n");
    while (w->written < w->total) {
        while (chunk.len < 65536) {
            k++;
            tether_buf_printf(&chunk, "%u,name %u,2026-01-01\n", k, k);
        }
        ssize_t n = write(fd, chunk.data, chunk.len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* EPIPE: the reader closed its end */
        w->written += (size_t)n;
        memmove(chunk.data, chunk.data + n, chunk.len - (size_t)n);
        chunk.len -= (size_t)n;
    }
    tether_buf_free(&chunk);
    close(fd);
    return NULL;
}

/* Closing the reader after a few records stops its thread without reading
 * the rest of the file: the writer of the FIFO is still far from its end
 * when the reader goes. (A reader that read on to the end would never
 * return from close, as the writer writes a GB: the alarm ends the test.) */
static void
test_readahead_close_early(void **state)
{
    (void)state;
    char *path = in_tmp("fifo.csv");
    unlink(path);
    assert_int_equal(mkfifo(path, 0600), 0);
    signal(SIGPIPE, SIG_IGN);
    struct fifo_writer w = {path, (size_t)1 << 30, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, fifo_write, &w), 0);
    alarm(60);
    struct tether_csv *c;
    char err[TETHER_ERRBUF];
    assert_int_equal(tether_csv_open(&c, path, 0, err), TETHER_OK);
    next(c);
    tether_csv_set_header(c);
    tether_csv_readahead(c);
    for (unsigned k = 1; k <= 5; k++) {
        char id[16];
        snprintf(id, sizeof(id), "%u", k);
        next(c);
        assert_string_equal(tether_csv_field(c, 0), id);
        assert_int_equal(tether_csv_line(c), k + 1);
    }
    tether_csv_close(c);
    pthread_join(t, NULL);
    alarm(0);
    assert_true(w.written < w.total / 100);
    unlink(path);
    free(path);
}

int
main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(tmpdir, sizeof(tmpdir), "%.150s/tether-test-csv-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpdir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spectrum),
        cmocka_unit_test(test_bom_and_utf16),
        cmocka_unit_test(test_cr_line_ends),
        cmocka_unit_test(test_invalid_text_is_reported_per_field),
        cmocka_unit_test(test_ragged_rows),
        cmocka_unit_test(test_header_blanks_and_null_words),
        cmocka_unit_test(test_no_final_newline_and_tabs),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_readahead_reads_the_same_records),
        cmocka_unit_test(test_readahead_error_after_the_good_records),
        cmocka_unit_test(test_readahead_close_early),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(tmpdir);
    return rc;
}
