/* xlsx_baseline.c - the report benchmark's floor: the pair rows of the
 * latest analysis run, with the same cells as the report's Pairs sheet
 * (the pair, both people with their department, site and level, and
 * every figure), written with libxlsxwriter alone, in constant-memory
 * mode, with no formatting, charts or other sheets.
 * usage: xlsx_baseline DB OUT.xlsx */
#include <sqlite3.h>
#include <stdio.h>
#include <xlsxwriter.h>

/* Person P's latest roster version (V) and its level (L): the department,
 * site and level the report's Pairs sheet shows beside each name. */
#define ORG(P, V, L)                                                         \
    "LEFT JOIN person_versions " V " ON " V ".id = (SELECT id FROM "         \
    "person_versions WHERE person = " P ".id ORDER BY valid_from DESC "     \
    "LIMIT 1) LEFT JOIN person_attributes " L " ON " L ".version = " V       \
    ".id AND " L ".name = 'level' "

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: xlsx_baseline DB OUT.xlsx\n");
        return 2;
    }
    sqlite3 *db;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) !=
        SQLITE_OK) {
        fprintf(stderr, "xlsx_baseline: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT p.pair_id, p.program, m.person_id, "
                           "m.name, m.email, mv.department, mv.site, "
                           "ml.value, e.person_id, e.name, e.email, "
                           "ev.department, ev.site, el.value, "
                           "p.started_on, p.ended_on, p.cadence_days, "
                           "p.mentee_chose, h.* FROM pair_health h "
                           "JOIN pairs p ON p.id = h.pair "
                           "JOIN people m ON m.id = p.mentor "
                           "JOIN people e ON e.id = p.mentee "
                           ORG("m", "mv", "ml") ORG("e", "ev", "el")
                           "WHERE h.run = (SELECT max(id) FROM runs) "
                           "ORDER BY h.pair",
                           -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "xlsx_baseline: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(argv[2], &opt);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Pairs");
    lxw_row_t row = 0;
    int n = sqlite3_column_count(st);
    for (int c = 0; c < n; c++)
        worksheet_write_string(ws, row, (lxw_col_t)c,
                               sqlite3_column_name(st, c), NULL);
    while (sqlite3_step(st) == SQLITE_ROW) {
        row++;
        for (int c = 0; c < n; c++) {
            switch (sqlite3_column_type(st, c)) {
            case SQLITE_INTEGER:
            case SQLITE_FLOAT:
                worksheet_write_number(ws, row, (lxw_col_t)c,
                                       sqlite3_column_double(st, c), NULL);
                break;
            case SQLITE_TEXT:
                worksheet_write_string(
                    ws, row, (lxw_col_t)c,
                    (const char *)sqlite3_column_text(st, c), NULL);
                break;
            default:
                break;
            }
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    lxw_error err = workbook_close(wb);
    if (err) {
        fprintf(stderr, "xlsx_baseline: %s\n", lxw_strerror(err));
        return 1;
    }
    printf("%u rows\n", (unsigned)row);
    return 0;
}
