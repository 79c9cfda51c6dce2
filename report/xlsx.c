/* xlsx.c - the Excel workbook, written with libxlsxwriter. Every table is
 * an Excel table (ListObject) with headers in words, and every sheet has a
 * print setup. libxlsxwriter writes tables only when it keeps the cells in
 * memory, so a workbook of more than XLSX_TABLE_MAX_PAIRS pairs is written
 * in constant memory mode instead (row by row through a temporary file),
 * with autofilters in place of tables. Text from the data always goes
 * through worksheet_write_string, so a name such as =HYPERLINK("x") stays
 * text and never becomes a formula. */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "describe.h"
#include "tether/err.h"
#include "tether/outfile.h"
#include "tether/timeutil.h"

/* Above this many pairs the cells of the Pairs sheet (some 50 each) would
 * take hundreds of megabytes: the workbook streams, without tables. */
#define XLSX_TABLE_MAX_PAIRS 50000
#define HEADER_CAP 96

#define MAX_WIDTH 60.0
#define EXCEL_EPOCH_DAYS 25569 /* 1970-01-01 as an Excel serial date */
#define EXCEL_MAX_STRING 32767

struct book {
    const struct report *r;
    lxw_workbook *wb;
    lxw_format *title, *head, *bold, *pct, *date, *num, *pval, *integer,
        *wrap, *stamp;
    int tables; /* Excel tables (not in constant memory mode) */
    lxw_format *status_fmt[TETHER_STATUS_COUNT];
    lxw_error err; /* the first error of any call */
    char *errbuf;
};

/* Keeps the first error: writing goes on so that every call is checked
 * without a branch after each one. */
static void
check(struct book *b, lxw_error e)
{
    if (e != LXW_NO_ERROR && b->err == LXW_NO_ERROR)
        b->err = e;
}

/* Width in characters of UTF-8 text (code points). */
static double
text_width(const char *s)
{
    double n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* Width in characters of the longest word of s. */
static double
longest_word(const char *s)
{
    double best = 0, cur = 0;
    for (; *s; s++) {
        if (*s == ' ') {
            cur = 0;
            continue;
        }
        if (((unsigned char)*s & 0xC0) != 0x80 && ++cur > best)
            best = cur;
    }
    return best;
}

static void
put_string(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
           const char *s, lxw_format *f)
{
    size_t n = strlen(s);
    if (n <= EXCEL_MAX_STRING) {
        check(b, worksheet_write_string(ws, row, col, s, f));
        return;
    }
    /* Excel's cell limit: cut at a character boundary. */
    while (n > EXCEL_MAX_STRING || ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    char *cut = tether_xstrndup(s, n);
    check(b, worksheet_write_string(ws, row, col, cut, f));
    free(cut);
}

static lxw_format *
cell_format(struct book *b, const struct report_cell *c, const char *name)
{
    switch (c->kind) {
    case RK_SHARE:
        return b->pct;
    case RK_DATE:
        return b->date;
    case RK_INT:
        return b->integer;
    case RK_NUM:
        /* Minutes are whole numbers; a p-value keeps four decimals. */
        return strstr(name, tether_metric_names[TETHER_M_P_VALUE]) ? b->pval
               : strstr(name, "minutes") ? b->integer
                                         : b->num;
    case RK_TEXT:
    case RK_BOOL:
        break;
    }
    return NULL;
}

/* Writes one cell; returns its width in characters. */
static double
put_cell(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
         const struct report_cell *c, const char *name)
{
    if (c->null)
        return 0;
    switch (c->kind) {
    case RK_TEXT: {
        int64_t ts;
        size_t len = strlen(name);
        /* imported_at and the like: a date and time Excel can sort. */
        if (len > 3 && strcmp(name + len - 3, "_at") == 0 &&
            tether_ts_parse(c->text, "UTC", &ts) == 0) {
            check(b, worksheet_write_number(
                         ws, row, col,
                         (double)ts / 86400.0 + EXCEL_EPOCH_DAYS, b->stamp));
            return 19;
        }
        put_string(b, ws, row, col, c->text, NULL);
        return text_width(c->text);
    }
    case RK_BOOL:
        put_string(b, ws, row, col, c->num != 0 ? "yes" : "no", NULL);
        return 3;
    case RK_DATE:
        check(b, worksheet_write_number(ws, row, col,
                                        c->num + EXCEL_EPOCH_DAYS, b->date));
        return 10;
    case RK_INT:
    case RK_NUM:
    case RK_SHARE:
        check(b, worksheet_write_number(ws, row, col, c->num,
                                        cell_format(b, c, name)));
        return c->kind == RK_INT ? 1 + floor(log10(fabs(c->num) + 1)) : 8;
    }
    return 0;
}

/* The headers of a table in words, unique within it (an Excel table
 * requires it); heads[n] is allocated, free with free(). */
static char (*table_headers(struct report_table *t, size_t n))[HEADER_CAP]
{
    char(*heads)[HEADER_CAP] = tether_xcalloc(n + 1, HEADER_CAP);
    for (size_t i = 0; i < n; i++) {
        report_header(report_table_colname(t, i), heads[i], HEADER_CAP);
        for (size_t j = 0, k = 2; j < i; j++)
            if (strcmp(heads[i], heads[j]) == 0) {
                size_t len = strlen(heads[i]);
                snprintf(heads[i] + (len < HEADER_CAP - 8 ? len
                                                          : HEADER_CAP - 8),
                         8, " (%zu)", k++);
                j = (size_t)-1; /* test again from the first */
            }
    }
    return heads;
}

/* Makes rows first..last (the header row first) an Excel table named
 * name with the headers heads[0..n). */
static void
add_table(struct book *b, lxw_worksheet *ws, lxw_row_t first, lxw_row_t last,
          size_t n, char (*heads)[HEADER_CAP], const char *name)
{
    if (!b->tables || last <= first || n == 0)
        return; /* a table needs a data row */
    lxw_table_column *cols = tether_xcalloc(n, sizeof(*cols));
    lxw_table_column **list = tether_xcalloc(n + 1, sizeof(*list));
    for (size_t i = 0; i < n; i++) {
        cols[i].header = heads[i];
        list[i] = &cols[i];
    }
    lxw_table_options opt = {.name = (char *)name,
                             .style_type = LXW_TABLE_STYLE_TYPE_LIGHT,
                             .style_type_number = 9,
                             .columns = list};
    check(b, worksheet_add_table(ws, first, 0, last, (lxw_col_t)(n - 1),
                                 &opt));
    free(list);
    free(cols);
}

/* Print setup: one page wide, as many pages long as needed, landscape when
 * wide, the header row repeated on every page, the sheet's name and the
 * page number in the footer. */
static void
print_setup(struct book *b, lxw_worksheet *ws, size_t ncols,
            lxw_row_t head_row)
{
    if (ncols > 7)
        worksheet_set_landscape(ws);
    if (ncols > 20)
        worksheet_set_paper(ws, 8); /* A3: some 40 columns stay legible */
    worksheet_fit_to_pages(ws, 1, 0);
    check(b, worksheet_repeat_rows(ws, head_row, head_row));
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    check(b, worksheet_set_footer(ws, "&L&A&RPage &P of &N"));
}

/* Writes table t at row *row (header, then rows), keeping the widest cell
 * of each column in width[]; an Excel table named name. Returns the number
 * of data rows, or -1. */
static long
put_table(struct book *b, lxw_worksheet *ws, lxw_row_t *row,
          struct report_table *t, double *width, int status_colours,
          const char *name)
{
    size_t n = report_table_ncols(t);
    if (n > 256)
        n = 256;
    lxw_row_t first = *row;
    char(*heads)[HEADER_CAP] = table_headers(t, n);
    for (size_t i = 0; i < n; i++) {
        put_string(b, ws, *row, (lxw_col_t)i, heads[i], b->head);
        /* Headers wrap (at most three lines), so a column is as wide as
         * its data, its longest header word and the filter button. */
        double w = longest_word(heads[i]) + 4;
        if (text_width(heads[i]) / 3 + 4 > w)
            w = text_width(heads[i]) / 3 + 4;
        if (w > width[i])
            width[i] = w;
    }
    check(b, worksheet_set_row(ws, *row, 45, NULL));
    (*row)++;
    long rows = 0;
    int more;
    while ((more = report_table_next(t, b->errbuf)) == 1) {
        for (size_t i = 0; i < n; i++) {
            struct report_cell c;
            report_table_cell(t, i, &c);
            double w = put_cell(b, ws, *row, (lxw_col_t)i, &c,
                                report_table_colname(t, i));
            if (w + 1 > width[i])
                width[i] = w + 1;
        }
        (*row)++;
        rows++;
    }
    if (more < 0) {
        free(heads);
        return -1;
    }
    add_table(b, ws, first, *row - 1, n, heads, name);
    free(heads);
    long st = report_table_find(t, "status");
    if (status_colours && st >= 0 && rows > 0) {
        /* One rule per status: the colour follows the cell, whatever the
         * user sorts or filters. */
        for (int i = 0; i < TETHER_STATUS_COUNT; i++) {
            enum tether_status s = tether_status_shown[i];
            lxw_conditional_format cf;
            memset(&cf, 0, sizeof(cf));
            char crit[32];
            snprintf(crit, sizeof(crit), "\"%s\"", tether_status_names[s]);
            cf.type = LXW_CONDITIONAL_TYPE_CELL;
            cf.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
            cf.value_string = crit;
            cf.format = b->status_fmt[s];
            check(b, worksheet_conditional_format_range(
                         ws, first + 1, (lxw_col_t)st, *row - 1,
                         (lxw_col_t)st, &cf));
        }
    }
    return rows;
}

static void
set_widths(struct book *b, lxw_worksheet *ws, const double *width, size_t n)
{
    for (size_t i = 0; i < n && i < 256; i++) {
        double w = width[i] < 8 ? 8 : width[i] > MAX_WIDTH ? MAX_WIDTH
                                                           : width[i];
        check(b, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, w,
                                      NULL));
    }
}

/* A sheet holding one table from report_table_open. */
static int
table_sheet(struct book *b, const char *name, enum report_table_id id,
            int pairs)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
    struct report_table *t = report_table_open(b->r, id, b->errbuf);
    if (!ws || !t) {
        report_table_close(t);
        return -1;
    }
    double *width = tether_xcalloc(report_table_ncols(t) + 1, sizeof(double));
    lxw_row_t row = 0;
    long rows = put_table(b, ws, &row, t, width, pairs, name);
    int rc = rows < 0 ? -1 : 0;
    if (rc == 0) {
        set_widths(b, ws, width, report_table_ncols(t));
        worksheet_freeze_panes(ws, 1, pairs ? 1 : 0);
        /* A table has its own filter; without one (or without rows), an
         * autofilter. */
        if (report_table_ncols(t) > 0 && (!b->tables || rows == 0))
            check(b, worksheet_autofilter(
                         ws, 0, 0, (lxw_row_t)rows,
                         (lxw_col_t)(report_table_ncols(t) - 1)));
        print_setup(b, ws, report_table_ncols(t), 0);
    }
    free(width);
    report_table_close(t);
    return rc;
}

/* Surveys and their remote-against-office comparisons on one sheet. */
static int
surveys_sheet(struct book *b)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Surveys");
    double width[256] = {0};
    lxw_row_t row = 0;
    static const enum report_table_id ids[] = {RT_SURVEYS, RT_COMPARISONS};
    static const char *const names[] = {"Surveys", "SurveyComparisons"};
    size_t ncols = 0;
    static const char *const titles[] = {
        "Answers by construct and segment (suppressed: fewer respondents "
        "than the minimum group, figures withheld)",
        "Remote against office respondents"};
    for (int k = 0; k < 2; k++) {
        struct report_table *t = report_table_open(b->r, ids[k], b->errbuf);
        if (!t)
            return -1;
        put_string(b, ws, row++, 0, titles[k], b->bold);
        if (report_table_ncols(t) > ncols)
            ncols = report_table_ncols(t);
        long rows = put_table(b, ws, &row, t, width, 0, names[k]);
        report_table_close(t);
        if (rows < 0)
            return -1;
        row++;
    }
    set_widths(b, ws, width, 64);
    worksheet_freeze_panes(ws, 2, 0);
    print_setup(b, ws, ncols, 1);
    return 0;
}

static int
quality_sheet(struct book *b)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Data quality");
    double width[256] = {0};
    lxw_row_t row = 0;
    static const enum report_table_id ids[] = {RT_IMPORTS, RT_REJECTS};
    static const char *const names[] = {"Imports", "Rejects"};
    const char *titles[] = {"Imports", b->r->anonymize
                                           ? "Rejected rows (reasons and "
                                             "text withheld: anonymized)"
                                           : "Rejected rows"};
    for (int k = 0; k < 2; k++) {
        struct report_table *t = report_table_open(b->r, ids[k], b->errbuf);
        if (!t)
            return -1;
        put_string(b, ws, row++, 0, titles[k], b->bold);
        long rows = put_table(b, ws, &row, t, width, 0, names[k]);
        report_table_close(t);
        if (rows < 0)
            return -1;
        row++;
    }
    set_widths(b, ws, width, 64);
    print_setup(b, ws, 12, 1);
    return 0;
}

static void
put_num(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
        double v, lxw_format *f)
{
    if (!isnan(v))
        check(b, worksheet_write_number(ws, row, col, v, f));
}

/* A header row of words heads[0..n) at row: the hand-written tables. */
static void
put_heads(struct book *b, lxw_worksheet *ws, lxw_row_t row,
          const char *const *heads, size_t n)
{
    for (size_t c = 0; c < n; c++)
        put_string(b, ws, row, (lxw_col_t)c, heads[c], b->head);
}

/* Makes a hand-written table (header row first) an Excel table. */
static void
add_table_words(struct book *b, lxw_worksheet *ws, lxw_row_t first,
                lxw_row_t last, const char *const *heads, size_t n,
                const char *name)
{
    char(*h)[HEADER_CAP] = tether_xcalloc(n + 1, HEADER_CAP);
    for (size_t i = 0; i < n; i++)
        snprintf(h[i], HEADER_CAP, "%s", heads[i]);
    add_table(b, ws, first, last, n, h, name);
    free(h);
}

static void
timezones_sheet(struct book *b)
{
    const struct report_facts *f = &b->r->facts;
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Time zones");
    lxw_row_t row = 0;
    put_string(b, ws, row++, 0, "Pairs by the mentee's work mode", b->bold);
    static const char *const head[] = {
        "Mentee work mode", "Pairs", "Mean time-zone gap (hours)",
        "Mean working-hours overlap (hours)", "Pairs without overlap",
        "Meetings", "Off hours for the mentor", "Off hours for the mentee",
        "Off-hours meetings (share)"};
    lxw_row_t tz_head = row;
    put_heads(b, ws, row++, head, 9);
    for (int m = 0; m <= TETHER_MODE_COUNT; m++) {
        if (m == TETHER_MODE_COUNT && f->tz_pairs[m] == 0)
            break;
        put_string(b, ws, row, 0,
                   m < TETHER_MODE_COUNT ? tether_mode_names[m] : "(unknown)", NULL);
        put_num(b, ws, row, 1, (double)f->tz_pairs[m], b->integer);
        put_num(b, ws, row, 2,
                f->tz_gap_n[m] ? f->tz_gap_sum[m] / (double)f->tz_gap_n[m]
                               : NAN,
                b->num);
        put_num(b, ws, row, 3,
                f->overlap_n[m]
                    ? f->overlap_sum[m] / (double)f->overlap_n[m]
                    : NAN,
                b->num);
        put_num(b, ws, row, 4, (double)f->no_overlap[m], b->integer);
        put_num(b, ws, row, 5, (double)f->tz_meetings[m], b->integer);
        put_num(b, ws, row, 6, (double)f->off_mentor[m], b->integer);
        put_num(b, ws, row, 7, (double)f->off_mentee[m], b->integer);
        put_num(b, ws, row, 8,
                f->tz_meetings[m]
                    ? (double)f->off_any[m] / (double)f->tz_meetings[m]
                    : NAN,
                b->pct);
        row++;
    }
    add_table_words(b, ws, tz_head, row - 1, head, 9, "TimeZones");
    row++;
    put_string(b, ws, row++, 0,
               "Meetings by start hour, in each side's own time zone",
               b->bold);
    static const char *const hhead[] = {
        "Start hour", "Meetings in the mentor's time",
        "Meetings in the mentee's time"};
    lxw_row_t h_head = row;
    put_heads(b, ws, row++, hhead, 3);
    for (int h = 0; h < 24; h++, row++) {
        char label[16];
        snprintf(label, sizeof(label), "%02d:00", h);
        put_string(b, ws, row, 0, label, NULL);
        put_num(b, ws, row, 1, (double)f->hour_mentor[h], b->integer);
        put_num(b, ws, row, 2, (double)f->hour_mentee[h], b->integer);
    }
    add_table_words(b, ws, h_head, row - 1, hhead, 3, "MeetingHours");
    check(b, worksheet_set_column(ws, 0, 0, 18, NULL));
    check(b, worksheet_set_column(ws, 1, 8, 22, NULL));
    print_setup(b, ws, 9, tz_head);
}

/* The participation table under the findings, from row on; sets
 * *first to its first data row and returns the row after it. */
static lxw_row_t
summary_participation(struct book *b, lxw_worksheet *ws, lxw_row_t row,
                      lxw_row_t *first)
{
    const struct report *r = b->r;
    /* Participation by work mode: the table the first chart draws. */
    put_string(b, ws, row++, 0, "Participation by work mode", b->bold);
    static const char *const phead[] = {
        "Work mode", "Headcount",       "Participants",     "Participation rate",
        "Inclusion ratio", "Below four-fifths", "p-value"};
    put_heads(b, ws, row, phead, 7);
    lxw_row_t part_first = ++row;
    *first = part_first;
    for (int m = 0; m < TETHER_MODE_COUNT; m++, row++) {
        const json_t *s = report_inclusion(r, TETHER_DIM_WORK_MODE, tether_mode_names[m]);
        put_string(b, ws, row, 0, tether_mode_names[m], NULL);
        put_num(b, ws, row, 1, report_jnum(s, tether_metric_names[TETHER_M_HEADCOUNT]), b->integer);
        put_num(b, ws, row, 2, report_jnum(s, tether_metric_names[TETHER_M_PARTICIPANTS]), b->integer);
        put_num(b, ws, row, 3, report_jnum(s, tether_metric_names[TETHER_M_PARTICIPATION_RATE]), b->pct);
        put_num(b, ws, row, 4, report_jnum(s, tether_metric_names[TETHER_M_INCLUSION_RATIO]), b->pct);
        if (s)
            put_string(b, ws, row, 5,
                       report_jbool(s, tether_metric_names[TETHER_M_FLAGGED]) ? "yes" : "no", NULL);
        put_num(b, ws, row, 6, report_jnum(s, tether_metric_names[TETHER_M_P_VALUE]), b->pval);
    }
    add_table_words(b, ws, part_first - 1, row - 1, phead, 7,
                    "SummaryParticipation");
    return row;
}

/* The pairs by status table from row on; sets *first to its first data
 * row and returns the row after it. */
static lxw_row_t
summary_status(struct book *b, lxw_worksheet *ws, lxw_row_t row,
               lxw_row_t *first)
{
    const struct report_facts *f = &b->r->facts;
    /* Pairs by status and the mentee's work mode. */
    put_string(b, ws, row++, 0, "Active pairs by status and mentee work mode",
               b->bold);
    const char *shead[TETHER_MODE_COUNT + 2] = {"Status"};
    for (int m = 0; m < TETHER_MODE_COUNT; m++)
        shead[m + 1] = tether_mode_names[m];
    shead[TETHER_MODE_COUNT + 1] = "All";
    put_heads(b, ws, row, shead, TETHER_MODE_COUNT + 2);
    lxw_row_t stat_first = ++row;
    *first = stat_first;
    for (int i = 0; i < TETHER_STATUS_COUNT; i++, row++) {
        enum tether_status s = tether_status_shown[i];
        long all = 0;
        put_string(b, ws, row, 0, tether_status_labels[s], NULL);
        for (int m = 0; m <= TETHER_MODE_COUNT; m++) {
            all += f->status[m][s];
            if (m < TETHER_MODE_COUNT)
                put_num(b, ws, row, (lxw_col_t)(m + 1),
                        (double)f->status[m][s], b->integer);
        }
        put_num(b, ws, row, TETHER_MODE_COUNT + 1, (double)all, b->integer);
    }
    put_string(b, ws, row, 0, "All", b->bold);
    put_num(b, ws, row++, TETHER_MODE_COUNT + 1, (double)f->pairs, b->integer);
    add_table_words(b, ws, stat_first - 1, row - 1, shead, TETHER_MODE_COUNT + 2,
                    "SummaryStatus");
    return row;
}

/* The two native charts at chart_row, over the tables' cells. */
static void
summary_charts(struct book *b, lxw_worksheet *ws, lxw_row_t chart_row,
               lxw_row_t part_first, lxw_row_t stat_first)
{
    /* Native charts over those cells. */
    lxw_chart *ch = workbook_add_chart(b->wb, LXW_CHART_COLUMN);
    lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
    chart_series_set_categories(se, "Summary", part_first, 0,
                                part_first + TETHER_MODE_COUNT - 1, 0);
    chart_series_set_values(se, "Summary", part_first, 3,
                            part_first + TETHER_MODE_COUNT - 1, 3);
    chart_series_set_name(se, "Participation rate");
    lxw_chart_fill fill = {.color = 0x0072B2};
    chart_series_set_fill(se, &fill);
    chart_title_set_name(ch, "Participation by work mode");
    chart_axis_set_name(ch->x_axis, "Work mode");
    chart_axis_set_name(ch->y_axis, "Share of employees in a pair");
    chart_axis_set_num_format(ch->y_axis, "0%");
    chart_axis_set_min(ch->y_axis, 0);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    check(b, worksheet_insert_chart(ws, chart_row, 0, ch));

    static const lxw_color_t colours[TETHER_STATUS_COUNT] = {
        [TETHER_STATUS_ACTIVE] = 0x009E73, [TETHER_STATUS_NEW] = 0xF0E442,
        [TETHER_STATUS_ENDED] = 0xBBBBBB, [TETHER_STATUS_AT_RISK] = 0xE69F00,
        [TETHER_STATUS_INACTIVE] = 0xD55E00,
        [TETHER_STATUS_NEVER_MET] = 0x000000};
    ch = workbook_add_chart(b->wb, LXW_CHART_COLUMN_STACKED);
    for (int i = 0; i < TETHER_STATUS_COUNT; i++) {
        enum tether_status s = tether_status_shown[i];
        se = chart_add_series(ch, NULL, NULL);
        chart_series_set_categories(se, "Summary", stat_first - 1, 1,
                                    stat_first - 1, TETHER_MODE_COUNT);
        chart_series_set_values(se, "Summary", stat_first + (lxw_row_t)i, 1,
                                stat_first + (lxw_row_t)i, TETHER_MODE_COUNT);
        chart_series_set_name(se, tether_status_labels[s]);
        lxw_chart_fill sf = {.color = colours[s]};
        chart_series_set_fill(se, &sf);
    }
    chart_title_set_name(ch, "Pairs by status");
    chart_axis_set_name(ch->x_axis, "Mentee's work mode");
    chart_axis_set_name(ch->y_axis, "Active pairs");
    chart_legend_set_position(ch, LXW_CHART_LEGEND_RIGHT);
    check(b, worksheet_insert_chart(ws, chart_row, 4, ch));
}

static void
summary_sheet(struct book *b, char **findings)
{
    const struct report *r = b->r;
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Summary");
    lxw_row_t row = 0;
    char buf[256];
    snprintf(buf, sizeof(buf), "Mentoring program report %s (%s to %s)",
             r->label, r->start, r->end);
    put_string(b, ws, row++, 0, buf, b->title);
    struct tether_buf words = {0};
    report_describe(r, &words);
    words.data[0] = (char)(words.data[0] - 'a' + 'A'); /* "Analysis of" */
    put_string(b, ws, row++, 0, words.data, NULL);
    tether_buf_free(&words);
    row++;
    put_string(b, ws, row++, 0, "Findings", b->bold);
    for (size_t i = 0; findings[i]; i++)
        put_string(b, ws, row++, 0, findings[i], NULL);
    row++;

    lxw_row_t part_first, stat_first;
    row = summary_participation(b, ws, row, &part_first);
    row++;
    row = summary_status(b, ws, row, &stat_first);
    check(b, worksheet_set_column(ws, 0, 0, 24, NULL));
    check(b, worksheet_set_column(ws, 1, 6, 16, NULL));
    row++;
    summary_charts(b, ws, row, part_first, stat_first);
    /* The findings are long lines: a portrait page, one page wide. */
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    check(b, worksheet_set_footer(ws, "&L&A&RPage &P of &N"));
}

static lxw_format *
new_format(lxw_workbook *wb, const char *num_format, int bold)
{
    lxw_format *f = workbook_add_format(wb);
    if (num_format)
        format_set_num_format(f, num_format);
    if (bold)
        format_set_bold(f);
    return f;
}

int
report_xlsx_write(const struct report *r, const char *dir,
                  struct tether_buf *paths, char *errbuf)
{
    char *path = report_path(dir, r, ".xlsx");
    int stream = r->facts.pairs > XLSX_TABLE_MAX_PAIRS;
    lxw_workbook_options opt = {.constant_memory = stream ? LXW_TRUE
                                                          : LXW_FALSE,
                                .tmpdir = NULL,
                                .use_zip64 = LXW_TRUE};
    struct book b = {.r = r, .errbuf = errbuf, .tables = !stream};
    char **findings = report_findings(r);
    int rc = -1;
    errbuf[0] = '\0';
    /* libxlsxwriter writes by name: it gets our temporary file's. */
    struct tether_outfile of = {.fd = -1};
    if (tether_outfile_open(&of, path, errbuf))
        goto out;
    b.wb = workbook_new_opt(of.tmp, &opt);
    if (!b.wb) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot create '%s'", path);
        goto out;
    }
    char title[128], subject[128];
    snprintf(title, sizeof(title), "Mentoring program report %s", r->label);
    snprintf(subject, sizeof(subject), "Period %s to %s", r->start, r->end);
    lxw_doc_properties props = {
        .title = title,
        .subject = subject,
        .author = "tether-report",
        .category = r->anonymize ? "Anonymized HR report"
                                 : "HR report: personal data",
        .keywords = "mentoring, inclusion, remote work",
        .comments = "Generated by tether-report from a stored analysis run",
        .status = "final",
        .created = (time_t)r->created_ts};
    check(&b, workbook_set_properties(b.wb, &props));

    b.title = new_format(b.wb, NULL, 1);
    format_set_font_size(b.title, 14);
    b.bold = new_format(b.wb, NULL, 1);
    b.head = new_format(b.wb, NULL, 1);
    format_set_bottom(b.head, LXW_BORDER_THIN);
    format_set_bg_color(b.head, 0xDDDDDD);
    format_set_text_wrap(b.head);
    format_set_align(b.head, LXW_ALIGN_VERTICAL_TOP);
    b.pct = new_format(b.wb, "0.0%", 0);
    b.date = new_format(b.wb, "yyyy-mm-dd", 0);
    b.num = new_format(b.wb, "0.00", 0);
    b.pval = new_format(b.wb, "0.0000", 0);
    b.integer = new_format(b.wb, "0", 0);
    b.stamp = new_format(b.wb, "yyyy-mm-dd hh:mm:ss", 0);
    /* Status colours: light fills, dark text, so they read in greyscale
     * and for colour-blind readers (Okabe-Ito hues). */
    static const lxw_color_t bg[TETHER_STATUS_COUNT] = {
        [TETHER_STATUS_ACTIVE] = 0xC8EBDD, [TETHER_STATUS_NEW] = 0xFAF5C0,
        [TETHER_STATUS_ENDED] = 0xEEEEEE, [TETHER_STATUS_AT_RISK] = 0xF8DFA8,
        [TETHER_STATUS_INACTIVE] = 0xF2C3A3,
        [TETHER_STATUS_NEVER_MET] = 0x555555};
    /* in the order of the charts, as the workbook's formats always were */
    for (int i = 0; i < TETHER_STATUS_COUNT; i++) {
        enum tether_status s = tether_status_shown[i];
        b.status_fmt[s] = workbook_add_format(b.wb);
        format_set_bg_color(b.status_fmt[s], bg[s]);
        format_set_font_color(b.status_fmt[s], s == TETHER_STATUS_NEVER_MET
                                                   ? 0xFFFFFF
                                                   : 0x000000);
    }

    summary_sheet(&b, findings);
    if (table_sheet(&b, "Pairs", RT_PAIRS, 1) ||
        table_sheet(&b, "Inclusion", RT_INCLUSION, 0) || surveys_sheet(&b))
        goto close;
    if (report_impact_sheets(r, b.wb, b.tables, errbuf))
        goto close;
    timezones_sheet(&b);
    if (table_sheet(&b, "Trends", RT_TREND, 0) || quality_sheet(&b))
        goto close;
    rc = 0;
close:;
    lxw_error e = workbook_close(b.wb);
    if (rc == 0 && (b.err != LXW_NO_ERROR || e != LXW_NO_ERROR)) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot write '%s': %s", path,
                 lxw_strerror(b.err != LXW_NO_ERROR ? b.err : e));
        rc = -1;
    }
    if (rc == 0 && tether_outfile_commit(&of, errbuf))
        rc = -1;
    if (rc == 0)
        tether_buf_printf(paths, "%s\n", path);
out:
    tether_outfile_abort(&of);
    report_findings_free(findings);
    free(path);
    return rc;
}
