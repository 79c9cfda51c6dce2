/* test_xlsx.c - .xlsx workbooks read as tables (collect/xlsx.c): rosters
 * written here with libxlsxwriter, once with shared strings and once in its
 * constant-memory mode, which writes inline strings, read back record by
 * record with the sheet's row numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>

#include "../../collect/collect.h"
#include "tether/csv.h"
#include "tether/util.h"

/* Writes a roster: a header on row 1, Ann on row 2 with an id stored as
 * text ("00123"), a date and a date-time as Excel serials and a number;
 * row 3 blank; Bob on row 4 with empty cells between his values; a second
 * sheet "Pairs". */
static char *
write_roster(int constant_memory)
{
    char *path = tether_xasprintf("/tmp/tether-test-xlsx-%ld-%d.xlsx",
                                  (long)getpid(), constant_memory);
    lxw_workbook_options opt = {.constant_memory = (uint8_t)constant_memory,
                                .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Roster");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *stamp = workbook_add_format(wb);
    format_set_num_format(stamp, "dd/mm/yyyy hh:mm");
    const char *head[] = {"Employee ID", "Name",  "Start Date",
                          "Last Login",  "Level", "Remote"};
    for (lxw_col_t i = 0; i < 6; i++)
        assert_int_equal(worksheet_write_string(ws, 0, i, head[i], NULL),
                         LXW_NO_ERROR);
    worksheet_write_string(ws, 1, 0, "00123", NULL);
    worksheet_write_string(ws, 1, 1, "Ann \"Annie\" Example, PhD", NULL);
    lxw_datetime d = {2021, 3, 4, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 2, &d, date);
    lxw_datetime t = {2024, 2, 29, 13, 45, 30};
    worksheet_write_datetime(ws, 1, 3, &t, stamp);
    worksheet_write_number(ws, 1, 4, 0.1 + 0.2, NULL);
    worksheet_write_boolean(ws, 1, 5, 1, NULL);
    worksheet_write_string(ws, 3, 0, "b7", NULL);
    worksheet_write_number(ws, 3, 4, 3, NULL);
    worksheet_write_blank(ws, 3, 5, date); /* formatted, but empty */
    lxw_worksheet *ws2 = workbook_add_worksheet(wb, "Pairs");
    worksheet_write_string(ws2, 0, 0, "pair_id", NULL);
    worksheet_write_string(ws2, 1, 0, "P1", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    return path;
}

static struct tether_csv *
open_sheet(const char *path, const char *sheet)
{
    struct tether_csv *c = NULL;
    char err[TETHER_ERRBUF];
    if (xlsx_open(path, sheet, &c, err))
        fail_msg("cannot open %s: %s", path, err);
    return c;
}

/* The record as fields joined by '|', with its line: "4: b7||||3". */
static char *
record(struct tether_csv *c)
{
    char err[TETHER_ERRBUF];
    int got = tether_csv_next(c, err);
    if (got < 0)
        fail_msg("read error: %s", err);
    if (got == 0)
        return tether_xstrdup("(end)");
    struct tether_buf b = {0};
    tether_buf_printf(&b, "%ld:", tether_csv_line(c));
    for (size_t i = 0; i < tether_csv_nfields(c); i++)
        tether_buf_printf(&b, "%s%s", i ? "|" : " ", tether_csv_field(c, i));
    return b.data;
}

#define EXPECT_RECORD(c, text)                                                 \
    do {                                                                       \
        char *r_ = record(c);                                                  \
        assert_string_equal(r_, text);                                         \
        free(r_);                                                              \
    } while (0)

static void
roster_round_trip(int constant_memory)
{
    char *path = write_roster(constant_memory);
    assert_true(xlsx_is_workbook(path));
    struct tether_csv *c = open_sheet(path, NULL);
    EXPECT_RECORD(c, "1: Employee ID|Name|Start Date|Last Login|Level|Remote");
    EXPECT_RECORD(c, "2: 00123|Ann \"Annie\" Example, PhD|2021-03-04|"
                     "2024-02-29T13:45:30|0.3|TRUE");
    /* The raw text is the record as a CSV line, for the reject log. */
    assert_string_equal(tether_csv_raw(c),
                        "00123,\"Ann \"\"Annie\"\" Example, PhD\",2021-03-04,"
                        "2024-02-29T13:45:30,0.3,TRUE");
    /* Row 3 is blank and skipped; the formatted blank cell ends nothing. */
    EXPECT_RECORD(c, "4: b7||||3");
    EXPECT_RECORD(c, "(end)");
    tether_csv_close(c);
    c = open_sheet(path, "Pairs");
    EXPECT_RECORD(c, "1: pair_id");
    EXPECT_RECORD(c, "2: P1");
    EXPECT_RECORD(c, "(end)");
    tether_csv_close(c);
    char err[TETHER_ERRBUF];
    assert_int_equal(xlsx_open(path, "Nope", &c, err), TETHER_ERR_FORMAT);
    char *want = tether_xasprintf(
        "%s: no sheet called 'Nope' (the workbook has 'Roster', 'Pairs')",
        path);
    assert_string_equal(err, want);
    free(want);
    unlink(path);
    free(path);
}

static void
test_shared_strings(void **state)
{
    (void)state;
    roster_round_trip(0);
}

static void
test_inline_strings(void **state)
{
    (void)state;
    roster_round_trip(1);
}

static void
test_not_a_workbook(void **state)
{
    (void)state;
    char path[] = "/tmp/tether-test-xlsx-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    /* A zip's magic and nothing else. */
    assert_int_equal(write(fd, "PK\003\004garbage", 11), 11);
    close(fd);
    assert_true(xlsx_is_workbook(path));
    struct tether_csv *c = NULL;
    char err[TETHER_ERRBUF];
    assert_int_equal(xlsx_open(path, NULL, &c, err), TETHER_ERR_FORMAT);
    assert_non_null(strstr(err, "not a readable .xlsx workbook"));
    unlink(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_strings),
        cmocka_unit_test(test_inline_strings),
        cmocka_unit_test(test_not_a_workbook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
