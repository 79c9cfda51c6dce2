/* pdf.c - the quarterly report as an A4 PDF (cairo + pango): the headline
 * findings written as sentences from the run's numbers, then inclusion,
 * pair health with the follow-up list, surveys, time zones, trends, and
 * the methodology and data-quality notes. */
#include "describe.h"
#include "report.h"

#include <cairo-pdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tether/err.h"
#include "tether/outfile.h"
#include "tether/timeutil.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 56.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN - 10)

#define F_BODY "DejaVu Sans 10"
#define F_SMALL "DejaVu Sans 8"
#define F_SMALL_B "DejaVu Sans Bold 8"
#define F_H1 "DejaVu Sans Bold 20"
#define F_H2 "DejaVu Sans Bold 15"
#define F_FIG "DejaVu Sans Bold 24"

/* ---- the document ---- */

struct doc {
    const struct report *r;
    cairo_surface_t *s;
    cairo_t *cr;
    double y;
    int page;
    char *errbuf;
    int failed;
    /* the header of the table being written, repeated on a new page */
    const double *hx;
    size_t hn;
    const char *const *head;
};

static void
footer(struct doc *d)
{
    char buf[128];
    snprintf(buf, sizeof(buf), "Mentoring program report %s%s  \xe2\x80\x94  "
                               "page %d",
             d->r->label, d->r->anonymize ? " (anonymized)" : "", d->page);
    cairo_set_source_rgb(d->cr, 0.4, 0.4, 0.4);
    report_text(d->cr, MARGIN, PAGE_H - MARGIN + 8, TEXT_W, F_SMALL, buf, 0,
                1);
}

static void
new_page(struct doc *d)
{
    if (d->page > 0) {
        footer(d);
        cairo_show_page(d->cr);
    }
    d->page++;
    d->y = MARGIN;
}

static void
need(struct doc *d, double h)
{
    if (d->y + h > BOTTOM)
        new_page(d);
}

static void
text(struct doc *d, const char *font, const char *t, double gap_after)
{
    double h = report_text_height(d->cr, TEXT_W, font, t, 0);
    need(d, h);
    cairo_set_source_rgb(d->cr, 0.1, 0.1, 0.1);
    report_text(d->cr, MARGIN, d->y, TEXT_W, font, t, 0, 0);
    d->y += h + gap_after;
}

static void
heading(struct doc *d, const char *t)
{
    need(d, 80);
    d->y += 4;
    text(d, F_H2, t, 8);
}

static void
text_body(struct doc *d, const char *t)
{
    text(d, F_BODY, t, 8);
}

static void
bullet(struct doc *d, const char *t)
{
    double h = report_text_height(d->cr, TEXT_W - 16, F_BODY, t, 0);
    need(d, h);
    cairo_set_source_rgb(d->cr, 0.1, 0.1, 0.1);
    report_text(d->cr, MARGIN, d->y, 0, F_BODY, "\xe2\x80\xa2", 0, 0);
    report_text(d->cr, MARGIN + 16, d->y, TEXT_W - 16, F_BODY, t, 0, 0);
    d->y += h + 6;
}

static void
chart(struct doc *d, enum chart_id id)
{
    double scale = TEXT_W / CHART_W, h = CHART_H * scale;
    need(d, h);
    cairo_save(d->cr);
    cairo_translate(d->cr, MARGIN, d->y);
    cairo_scale(d->cr, scale, scale);
    if (chart_draw(d->cr, d->r, id, d->errbuf))
        d->failed = 1;
    cairo_restore(d->cr);
    d->y += h + 10;
}

static double row(struct doc *d, const double *x, size_t n,
                  const char *const *cells, const char *font, int shade);

/* A row of cells at the given x offsets, cell i in fonts[i] (or font);
 * returns the row's height. A table's header is never left alone at a
 * page's foot: it moves to the next page with room for two rows. */
static double
row_f(struct doc *d, const double *x, size_t n, const char *const *cells,
      const char *font, const char *const *fonts, int shade)
{
    double h = 0;
    for (size_t i = 0; i < n; i++) {
        double w = (i + 1 < n ? x[i + 1] : TEXT_W) - x[i] - 4;
        double ch = report_text_height(d->cr, w, fonts ? fonts[i] : font,
                                       cells[i], 0);
        h = ch > h ? ch : h;
    }
    double keep = strcmp(font, F_SMALL_B) == 0 && shade ? 2 * (h + 3) + 8 : 0;
    if (d->y + h + 3 + keep > BOTTOM) {
        new_page(d);
        if (d->head && cells != d->head)
            row(d, d->hx, d->hn, d->head, F_SMALL_B, 1);
    }
    if (shade) {
        cairo_set_source_rgb(d->cr, 0.92, 0.92, 0.92);
        cairo_rectangle(d->cr, MARGIN, d->y - 1, TEXT_W, h + 2);
        cairo_fill(d->cr);
    }
    cairo_set_source_rgb(d->cr, 0.1, 0.1, 0.1);
    for (size_t i = 0; i < n; i++) {
        double w = (i + 1 < n ? x[i + 1] : TEXT_W) - x[i] - 4;
        report_text(d->cr, MARGIN + x[i], d->y, w, fonts ? fonts[i] : font,
                    cells[i], 0, 0);
    }
    d->y += h + 3;
    return h;
}

static double
row(struct doc *d, const double *x, size_t n, const char *const *cells,
    const char *font, int shade)
{
    return row_f(d, x, n, cells, font, NULL, shade);
}

/* A table's title: kept on the page of the table's header and first two
 * rows (some 50 points). */
static void
table_title(struct doc *d, const char *t)
{
    need(d, report_text_height(d->cr, TEXT_W, F_SMALL_B, t, 0) + 50);
    text(d, F_SMALL_B, t, 3);
}

/* The font in which text fits width w on one line: F_SMALL, or smaller
 * down to 5 points (an e-mail address is never broken). out: cap bytes. */
static const char *
fitting_font(struct doc *d, const char *text, double w, char *out, size_t cap)
{
    double tw, th;
    report_text_size(d->cr, F_SMALL, text, &tw, &th);
    if (tw <= w)
        return F_SMALL;
    double size = 8.0 * w / tw;
    snprintf(out, cap, "DejaVu Sans %.2f", size < 5 ? 5.0 : size);
    return out;
}

static void
pct(double v, char *out, size_t cap)
{
    if (isnan(v))
        snprintf(out, cap, "\xe2\x80\x93");
    else
        snprintf(out, cap, "%.0f%%", v * 100);
}

static void
num(double v, int decimals, char *out, size_t cap)
{
    if (isnan(v))
        snprintf(out, cap, "\xe2\x80\x93");
    else
        snprintf(out, cap, "%.*f", decimals, v);
}

/* One of the cover's three figures: a large number over its caption, in
 * a box of width w at x. */
static void
key_figure(struct doc *d, double x, double w, const char *big,
           const char *caption)
{
    cairo_set_source_rgb(d->cr, 0.94, 0.95, 0.97);
    cairo_rectangle(d->cr, MARGIN + x, d->y, w, 92);
    cairo_fill(d->cr);
    cairo_set_source_rgb(d->cr, 0.0, 0.30, 0.55);
    report_text(d->cr, MARGIN + x + 8, d->y + 8, w - 16, F_FIG, big, 0, 0);
    cairo_set_source_rgb(d->cr, 0.1, 0.1, 0.1);
    report_text(d->cr, MARGIN + x + 8, d->y + 46, w - 16, F_SMALL, caption, 0,
                0);
}

/* The three figures that matter most: remote participation against
 * office's, the pairs to follow up, and the NPS of remote and office
 * respondents (meetings per pair when there is no NPS). */
static void
key_figures(struct doc *d)
{
    const struct report *r = d->r;
    const struct report_facts *f = &r->facts;
    double w = (TEXT_W - 2 * 10) / 3;
    char big[64], cap[256];
    const json_t *rem = report_inclusion(r, TETHER_DIM_WORK_MODE,
                                         tether_mode_names[TETHER_MODE_REMOTE]),
                 *off = report_inclusion(r, TETHER_DIM_WORK_MODE,
                                         tether_mode_names[TETHER_MODE_OFFICE]);
    double rr = report_jnum(rem, tether_metric_names[TETHER_M_PARTICIPATION_RATE]),
           ro = report_jnum(off, tether_metric_names[TETHER_M_PARTICIPATION_RATE]);
    if (isfinite(rr) && isfinite(ro) && ro > 0) {
        snprintf(big, sizeof(big), "%.0f%%", 100 * rr / ro);
        snprintf(cap, sizeof(cap),
                 "remote participation as a share of the office rate "
                 "(%.0f%% against %.0f%%; below 80%% fails the four-fifths "
                 "rule)",
                 100 * rr, 100 * ro);
    } else {
        snprintf(big, sizeof(big), "\xe2\x80\x93");
        snprintf(cap, sizeof(cap), "remote against office participation: "
                                   "no remote or no office employees");
    }
    key_figure(d, 0, w, big, cap);
    long quiet = 0;
    for (int m = 0; m <= TETHER_MODE_COUNT; m++)
        quiet += f->status[m][TETHER_STATUS_AT_RISK] +
                 f->status[m][TETHER_STATUS_INACTIVE] +
                 f->status[m][TETHER_STATUS_NEVER_MET];
    snprintf(big, sizeof(big), "%ld", quiet);
    snprintf(cap, sizeof(cap),
             "of %ld active pairs need follow-up: inactive, at risk or never "
             "met",
             f->pairs);
    key_figure(d, w + 10, w, big, cap);
    const char *nps = tether_construct_names[TETHER_CONSTRUCT_NPS],
               *npsm = tether_metric_names[TETHER_M_NPS];
    double nr = report_jnum(report_survey(r, nps, TETHER_DIM_WORK_MODE,
                                          tether_mode_names[TETHER_MODE_REMOTE]),
                            npsm),
           no = report_jnum(report_survey(r, nps, TETHER_DIM_WORK_MODE,
                                          tether_mode_names[TETHER_MODE_OFFICE]),
                            npsm);
    if (isfinite(nr) && isfinite(no)) {
        char a[16], b[16];
        report_signed(nr, a, sizeof(a));
        report_signed(no, b, sizeof(b));
        snprintf(big, sizeof(big), "%s / %s", a, b);
        snprintf(cap, sizeof(cap),
                 "Net Promoter Score of remote / office respondents (from "
                 "\xe2\x88\x92" "100 to +100)");
    } else {
        double mr = report_jnum(rem, tether_metric_names[TETHER_M_MEETINGS_PER_PAIR_MONTH]),
               mo = report_jnum(off, tether_metric_names[TETHER_M_MEETINGS_PER_PAIR_MONTH]);
        snprintf(big, sizeof(big), "%.1f / %.1f", mr, mo);
        snprintf(cap, sizeof(cap),
                 "meetings per pair per month, remote / office mentees");
    }
    key_figure(d, 2 * (w + 10), w, big, cap);
    d->y += 92 + 16;
}

/* The first page, which an HR director reads alone: which analysis, the
 * three figures, the headline findings and what to do next. */
static void
cover(struct doc *d, const char *title)
{
    const struct report *r = d->r;
    new_page(d);
    cairo_set_source_rgb(d->cr, 0.1, 0.1, 0.1);
    text(d, F_H1, title, 4);
    struct tether_buf b = {0};
    char a[32], z[32];
    report_date_words(r->start, a, sizeof(a));
    report_date_words(r->end, z, sizeof(z));
    tether_buf_printf(&b, "%s to %s. This report renders the ", a, z);
    report_describe(r, &b);
    tether_buf_printf(&b, "%s.", r->anonymize ? " (anonymized)" : "");
    text(d, F_BODY, b.data, 14);
    tether_buf_free(&b);
    key_figures(d);
    heading(d, "Headline findings");
    char **findings = report_findings(r);
    for (size_t i = 0; findings[i]; i++)
        bullet(d, findings[i]);
    report_findings_free(findings);
    heading(d, "What to do next");
    char **next = report_next_steps(r);
    for (size_t i = 0; next[i]; i++)
        bullet(d, next[i]);
    report_findings_free(next);
}

/* The participation chart of a --by dimension, at its table. */
static void
dimension_chart(struct doc *d, const char *dim)
{
    double scale = TEXT_W / CHART_W, h = CHART_H * scale;
    need(d, h + 60);
    cairo_save(d->cr);
    cairo_translate(d->cr, MARGIN, d->y);
    cairo_scale(d->cr, scale, scale);
    if (chart_draw_dimension(d->cr, d->r, dim, d->errbuf))
        d->failed = 1;
    cairo_restore(d->cr);
    d->y += h + 10;
}

/* A p-value in a table: "< 0.001" below 0.001 (SPEC 4), else three
 * decimals. */
static void
p_cell(double p, char *out, size_t cap)
{
    if (isnan(p))
        snprintf(out, cap, "\xe2\x80\x93");
    else if (p < 0.001)
        snprintf(out, cap, "< 0.001");
    else
        snprintf(out, cap, "%.3f", p);
}

static void
inclusion_section(struct doc *d)
{
    const struct report *r = d->r;
    /* After a short first page the section follows on it. */
    if (d->y > PAGE_H / 2)
        new_page(d);
    heading(d, "Inclusion");
    text(d, F_BODY,
         "Participation is the share of employees in at least one active "
         "pair, as mentor or mentee. Each dimension's reference is its "
         "segment with the highest rate among those large enough to set the "
         "bar (named under each table), so that a group of three cannot "
         "flag everyone; a segment below four-fifths of the reference's "
         "rate is flagged (the four-fifths rule of adverse-impact "
         "analysis), with a p-value against the reference. \"Short by\" is "
         "the participants a segment needs to reach four-fifths.",
         8);
    chart(d, CHART_PARTICIPATION);
    static const double x[] = {0, 110, 170, 225, 270, 315, 370, 420};
    static const char *const head[] = {"Group",    "Headcount", "In a pair",
                                       "Rate",     "Ratio",     "Below 4/5",
                                       "Short by", "p-value"};
    const char *dim;
    json_t *list;
    json_object_foreach(json_object_get(r->result, "inclusion"), dim, list) {
        char buf[160], hw[64];
        report_header(dim, hw, sizeof(hw));
        if (strcmp(dim, "work_mode") != 0)
            dimension_chart(d, dim);
        snprintf(buf, sizeof(buf), "By %c%s", hw[0] | 0x20, hw + 1);
        table_title(d, buf);
        row(d, x, 8, head, F_SMALL_B, 1);
        d->hx = x;
        d->hn = 8;
        d->head = head;
        size_t i;
        json_t *s;
        const char *ref = "";
        json_array_foreach(list, i, s) {
            char c[8][64];
            snprintf(c[0], 64, "%s%s", report_jstr(s, tether_metric_names[TETHER_M_SEGMENT]),
                     strcmp(report_jstr(s, tether_metric_names[TETHER_M_SEGMENT]),
                            report_jstr(s, tether_metric_names[TETHER_M_REFERENCE])) == 0
                         ? " (reference)"
                         : "");
            ref = report_jstr(s, tether_metric_names[TETHER_M_REFERENCE]);
            num(report_jnum(s, tether_metric_names[TETHER_M_HEADCOUNT]), 0, c[1], 64);
            num(report_jnum(s, tether_metric_names[TETHER_M_PARTICIPANTS]), 0, c[2], 64);
            pct(report_jnum(s, tether_metric_names[TETHER_M_PARTICIPATION_RATE]), c[3], 64);
            pct(report_jnum(s, tether_metric_names[TETHER_M_INCLUSION_RATIO]), c[4], 64);
            snprintf(c[5], 64, "%s",
                     report_jbool(s, tether_metric_names[TETHER_M_FLAGGED]) ? "yes" : "no");
            num(report_jnum(s, tether_metric_names[TETHER_M_SHORTFALL]), 0, c[6], 64);
            p_cell(report_jnum(s, tether_metric_names[TETHER_M_P_VALUE]), c[7], 64);
            const char *cells[8] = {c[0], c[1], c[2], c[3],
                                    c[4], c[5], c[6], c[7]};
            row(d, x, 8, cells, F_SMALL, i % 2 == 1);
        }
        d->head = NULL;
        if (*ref) {
            const json_t *rs = report_inclusion(r, dim, ref);
            snprintf(buf, sizeof(buf),
                     "Reference: %s, %.0f%% of %.0f people in a pair.", ref,
                     100 * report_jnum(rs, tether_metric_names[TETHER_M_PARTICIPATION_RATE]),
                     report_jnum(rs, tether_metric_names[TETHER_M_HEADCOUNT]));
            text(d, F_SMALL, buf, 2);
        }
        d->y += 8;
    }
}

/* "... and 12 more pairs of Global Mentoring: see the workbook." */
static void
text_more(struct doc *d, long more, const char *program)
{
    char buf[256];
    snprintf(buf, sizeof(buf),
             "\xe2\x80\xa6 and %ld more pair%s of %s: see the Pairs sheet of "
             "the workbook (filter on Status and Program).",
             more, more == 1 ? "" : "s", program);
    text(d, F_SMALL, buf, 8);
}

/* The follow-up list's rows per program within its two pages: every
 * program gets its most quiet pairs, at least a few, the rest shared in
 * proportion to its pairs to follow up. */
#define FOLLOWUP_ROWS 52 /* two pages of two-line rows and group titles */
struct program_quota {
    char name[160];
    long total, quota;
};

static size_t
followup_quotas(struct doc *d, struct program_quota **out)
{
    sqlite3_stmt *st;
    *out = NULL;
    if (sqlite3_prepare_v2(d->r->db,
                           "SELECT p.program, count(*) FROM pair_health h "
                           "JOIN pairs p ON p.id = h.pair WHERE h.run = ?1 "
                           "AND h.status IN ('inactive', 'never_met', "
                           "'at_risk') GROUP BY p.program ORDER BY "
                           "p.program IS NULL, p.program",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(st, 1, d->r->run);
    size_t n = 0;
    long all = 0;
    struct program_quota *q = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        q = tether_xrealloc(q, (n + 1) * sizeof(*q));
        const char *name = (const char *)sqlite3_column_text(st, 0);
        snprintf(q[n].name, sizeof(q[n].name), "%s",
                 name ? name : "(no program)");
        q[n].total = sqlite3_column_int64(st, 1);
        all += q[n++].total;
    }
    sqlite3_finalize(st);
    long budget = FOLLOWUP_ROWS - 2 * (long)n; /* each title takes ~2 */
    if (budget < (long)n * 3)
        budget = (long)n * 3;
    for (size_t i = 0; i < n; i++) {
        long share = all ? budget * q[i].total / all : 0;
        q[i].quota = share < 3 ? 3 : share;
        if (q[i].quota > q[i].total)
            q[i].quota = q[i].total;
    }
    *out = q;
    return n;
}

/* The row's ten cells (see followup_section's names) as text; "" for
 * a missing column or NULL. */
static void
followup_cells(struct report_table *t, const long idx[10], char c[10][160])
{
    for (int i = 0; i < 10; i++) {
        struct report_cell cell;
        c[i][0] = '\0';
        if (idx[i] < 0)
            continue;
        report_table_cell(t, (size_t)idx[i], &cell);
        if (cell.null)
            continue;
        if (cell.kind == RK_DATE)
            tether_date_format((int32_t)cell.num, c[i]);
        else if (cell.kind == RK_TEXT)
            snprintf(c[i], 160, "%s", cell.text);
        else
            snprintf(c[i], 160, "%.0f", cell.num);
    }
}

/* One pair's row: names over e-mail addresses, status, days quiet and
 * the last meeting. */
static void
followup_row(struct doc *d, const double x[5], char c[10][160], int shade)
{
    char mentee[330], mentor[330], f1[40], f2[40];
    /* Each cell holds at most 159 characters (followup_cells); the
     * precision says so to the compiler, which sees only a pointer. */
    snprintf(mentee, sizeof(mentee), "%.159s\n%.159s", *c[0] ? c[0] : c[8],
             c[1]);
    snprintf(mentor, sizeof(mentor), "%.159s\n%.159s", *c[2] ? c[2] : c[9],
             c[3]);
    int si = tether_vocab_find(tether_status_names, TETHER_STATUS_COUNT,
                               c[5]);
    const char *status = si >= 0 ? tether_status_labels[si] : c[5];
    const char *cells[5] = {mentee, mentor, status, c[6],
                            *c[7] ? c[7] : "none"};
    /* The longer of name and e-mail sets the cell's font. */
    const char *fonts[5] = {
        fitting_font(d, strlen(c[1]) > strlen(c[0]) ? c[1] : c[0],
                     x[1] - x[0] - 4, f1, sizeof(f1)),
        fitting_font(d, strlen(c[3]) > strlen(c[2]) ? c[3] : c[2],
                     x[2] - x[1] - 4, f2, sizeof(f2)),
        F_SMALL, F_SMALL, F_SMALL};
    row_f(d, x, 5, cells, F_SMALL, fonts, shade);
}

static void
followup_section(struct doc *d)
{
    const struct report *r = d->r;
    new_page(d);
    heading(d, "Pair health");
    chart(d, CHART_STATUS);
    chart(d, CHART_QUIET);
    new_page(d);
    heading(d, "Pairs to follow up");
    struct program_quota *q = NULL;
    size_t nq = followup_quotas(d, &q);
    long total = 0, shown_all = 0;
    for (size_t i = 0; i < nq; i++)
        total += q[i].total;
    text(d, F_BODY,
         "Inactive, never-met and at-risk pairs by program, most quiet "
         "first, with both people's names and e-mail addresses. Each "
         "program shows its most quiet pairs; the workbook's Pairs sheet "
         "lists them all (filter on Status).",
         6);
    struct report_table *t = report_table_open(r, RT_FOLLOWUP, d->errbuf);
    if (!t) {
        free(q);
        d->failed = 1;
        return;
    }
    static const double x[] = {0, 160, 320, 370, 420};
    static const char *const head[] = {"Mentee", "Mentor", "Status",
                                       "Days quiet", "Last meeting"};
    d->hx = x;
    d->hn = 5;
    d->head = head;
    long idx[10];
    static const char *const names[10] = {
        "mentee_name", "mentee_email", "mentor_name",  "mentor_email",
        "program",     "status",       "days_quiet",   "last_meeting",
        "mentee_id",   "mentor_id"};
    for (int i = 0; i < 10; i++)
        idx[i] = report_table_find(t, names[i]);
    size_t g = (size_t)-1;
    long shown = 0, seen = 0;
    char group[160] = "";
    int more;
    while ((more = report_table_next(t, d->errbuf)) == 1) {
        char c[10][160];
        followup_cells(t, idx, c);
        const char *prog = *c[4] ? c[4] : "(no program)";
        if (g == (size_t)-1 || strcmp(prog, group) != 0) {
            if (g != (size_t)-1 && seen > shown)
                text_more(d, seen - shown, group);
            snprintf(group, sizeof(group), "%s", prog);
            for (g = 0; g < nq && strcmp(q[g].name, prog) != 0; g++)
                ;
            seen = shown = 0;
            char title[240];
            long tot = g < nq ? q[g].total : 0;
            snprintf(title, sizeof(title), "%s: %ld pair%s to follow up", prog,
                     tot, tot == 1 ? "" : "s");
            table_title(d, title);
            row(d, x, 5, head, F_SMALL_B, 1);
        }
        seen++;
        if (g < nq && shown >= q[g].quota)
            continue;
        followup_row(d, x, c, shown % 2 == 1);
        shown++;
        shown_all++;
    }
    if (g != (size_t)-1 && seen > shown)
        text_more(d, seen - shown, group);
    report_table_close(t);
    free(q);
    d->head = NULL;
    if (more < 0) {
        d->failed = 1;
        return;
    }
    if (total == 0)
        text(d, F_BODY, "No pair needs follow-up.", 4);
    (void)shown_all;
}

static void
surveys_section(struct doc *d)
{
    const struct report *r = d->r;
    new_page(d);
    heading(d, "Surveys");
    char buf[512];
    snprintf(buf, sizeof(buf),
             "Answers submitted in the period, by the respondent's work mode. "
             "A group with fewer than %d respondents is suppressed, and so is "
             "any group whose figures, combined with the other groups of this "
             "report or of earlier published ones, would reveal it, so that "
             "no answer can be traced to a person. A group that all gave the "
             "same answer is not shown either.",
             r->min_group);
    text(d, F_BODY, buf, 8);
    chart(d, CHART_LIKERT);
    static const double x[] = {0, 100, 160, 195, 300, 370, 425};
    static const char *const head[] = {"Construct",  "Group",
                                       "n",          "Mean (95% interval)",
                                       "Favourable", "NPS",
                                       "Promoters / detractors"};
    table_title(d, "By work mode (NPS: % promoters, 9-10, minus % "
                   "detractors, 0-6)");
    row(d, x, 7, head, F_SMALL_B, 1);
    d->hx = x;
    d->hn = 7;
    d->head = head;
    size_t i;
    const json_t *s;
    long k = 0;
    json_array_foreach(json_object_get(r->result, "surveys"), i, s) {
        if (strcmp(report_jstr(s, tether_metric_names[TETHER_M_DIMENSION]), TETHER_DIM_WORK_MODE) != 0)
            continue;
        char c[7][64];
        const char *con = report_jstr(s, tether_metric_names[TETHER_M_CONSTRUCT]);
        int nps = strcmp(con, tether_construct_names[TETHER_CONSTRUCT_NPS]) == 0;
        snprintf(c[0], 64, "%s", report_construct_words(con));
        snprintf(c[1], 64, "%s", report_jstr(s, tether_metric_names[TETHER_M_SEGMENT]));
        int same = report_jbool(s, tether_metric_names[TETHER_M_HOMOGENEOUS]);
        if (same || report_jbool(s, tether_metric_names[TETHER_M_SUPPRESSED])) {
            const char *cells[7] = {c[0], c[1],
                                    same ? "one answer" : "suppressed", "",
                                    "", "", ""};
            row(d, x, 7, cells, F_SMALL, k++ % 2 == 1);
            continue;
        }
        num(report_jnum(s, tether_metric_names[TETHER_M_N]), 0, c[2], 64);
        double lo = report_jnum(s, tether_metric_names[TETHER_M_CI_LOW]), hi = report_jnum(s, tether_metric_names[TETHER_M_CI_HIGH]),
               mean = report_jnum(s, tether_metric_names[TETHER_M_MEAN]);
        if (nps || isnan(mean))
            /* An NPS question is read as its score, not as a mean. */
            snprintf(c[3], 64, "\xe2\x80\x93");
        else if (isnan(lo) || isnan(hi))
            snprintf(c[3], 64, "%.2f", mean);
        else
            snprintf(c[3], 64, "%.2f (%.2f to %.2f)", mean, lo, hi);
        pct(report_jnum(s, tether_metric_names[TETHER_M_FAVOURABLE]), c[4], 64);
        if (nps) {
            report_signed(report_jnum(s, tether_metric_names[TETHER_M_NPS]), c[5], 64);
            snprintf(c[6], 64, "%.0f%% / %.0f%%",
                     100 * report_jnum(s, tether_metric_names[TETHER_M_PROMOTERS]),
                     100 * report_jnum(s, tether_metric_names[TETHER_M_DETRACTORS]));
            snprintf(c[4], 64, "\xe2\x80\x93");
        } else {
            snprintf(c[5], 64, " ");
            snprintf(c[6], 64, " ");
        }
        const char *cells[7] = {c[0], c[1], c[2], c[3], c[4], c[5], c[6]};
        row(d, x, 7, cells, F_SMALL, k++ % 2 == 1);
    }
    d->head = NULL;
}

/* Program impact (SPEC 3.7): sentences that speak of associations, the
 * retention and survival charts, then the practices of long-distance
 * pairs, one sentence each. */
static void
impact_section(struct doc *d)
{
    const json_t *imp = json_object_get(d->r->result, "impact");
    if (!imp)
        return;
    heading(d, "Program impact");
    char **s = report_impact_sentences(d->r);
    for (size_t i = 0; s[i]; i++)
        (i ? bullet : text_body)(d, s[i]);
    report_findings_free(s);
    chart(d, CHART_RETENTION);
    chart(d, CHART_SURVIVAL);
    heading(d, "Practices that keep pairs alive");
    text_body(d, "Pairs still meeting 90 days after their start, by what "
                 "they did in those 90 days; p-values adjusted (Holm) for the "
                 "twelve practice tests of the run.");
    static const char *const scopes[] = {"long_distance", "all"};
    for (int k = 0; k < 2; k++) {
        size_t i;
        json_t *row;
        json_array_foreach(
            json_object_get(imp, tether_metric_names[TETHER_M_PRACTICES]), i,
            row) {
            if (strcmp(report_jstr(row, tether_metric_names[TETHER_M_SCOPE]),
                       scopes[k]) != 0)
                continue;
            char *t = report_practice_sentence(row);
            bullet(d, t);
            free(t);
        }
    }
    chart(d, CHART_PRACTICES);
}

static void
timezones_section(struct doc *d)
{
    const struct report *r = d->r;
    const struct report_facts *f = &r->facts;
    new_page(d);
    heading(d, "Time zones");
    char buf[320];
    snprintf(buf, sizeof(buf),
             "A meeting is off hours for a person when it starts outside "
             "%02d:%02d-%02d:%02d in that person's own zone, or on a "
             "weekend. Long-distance pairs work when they respect each "
             "other's time zones.",
             r->reasonable_start / 60, r->reasonable_start % 60,
             r->reasonable_end / 60, r->reasonable_end % 60);
    text(d, F_BODY, buf, 8);
    chart(d, CHART_HOURS);
    static const double x[] = {0, 80, 125, 195, 275, 340, 410};
    static const char *const head[] = {
        "Mentee",       "Pairs",          "Mean gap (h)", "Mean overlap (h)",
        "No overlap",   "Meetings",       "Off hours"};
    row(d, x, 7, head, F_SMALL_B, 1);
    for (int m = 0; m <= TETHER_MODE_COUNT; m++) {
        if (m == TETHER_MODE_COUNT && f->tz_pairs[m] == 0)
            break;
        char c[7][48];
        snprintf(c[0], 48, "%s",
                 m < TETHER_MODE_COUNT ? tether_mode_names[m] : "(unknown)");
        snprintf(c[1], 48, "%ld", f->tz_pairs[m]);
        num(f->tz_gap_n[m] ? f->tz_gap_sum[m] / (double)f->tz_gap_n[m] : NAN,
            1, c[2], 48);
        num(f->overlap_n[m] ? f->overlap_sum[m] / (double)f->overlap_n[m]
                            : NAN,
            1, c[3], 48);
        snprintf(c[4], 48, "%ld", f->no_overlap[m]);
        snprintf(c[5], 48, "%ld", f->tz_meetings[m]);
        pct(f->tz_meetings[m]
                ? (double)f->off_any[m] / (double)f->tz_meetings[m]
                : NAN,
            c[6], 48);
        const char *cells[7] = {c[0], c[1], c[2], c[3], c[4], c[5], c[6]};
        row(d, x, 7, cells, F_SMALL, 0);
    }
    /* Contact between the meetings is the other habit of long-distance
     * pairs; on this page it fills what the table leaves. */
    chart(d, CHART_BETWEEN);
}

/* The methodology paragraph, with the run's own parameters. */
static void
methodology(struct doc *d)
{
    const struct report *r = d->r;
    heading(d, "Methodology");
    char buf[2048], refmin[96];
    double rm = report_jnum(r->params, "reference_min");
    if (isfinite(rm) && rm > 0)
        snprintf(refmin, sizeof(refmin), "%.0f", rm);
    else
        snprintf(refmin, sizeof(refmin),
                 "30 (or a tenth of the dimension, when smaller; never "
                 "fewer than %d)",
                 r->min_group);
    snprintf(buf, sizeof(buf),
             "Period %s to %s; figures on %s. A pair is active when it "
             "started by the period's last day and had not ended before its "
             "first. Meetings are video, phone and in-person contacts. Days "
             "quiet count from the last meeting (or the start, for a pair "
             "that never met). A pair is at risk after %.1f times its "
             "cadence without a meeting and inactive after %.1f times; new "
             "pairs have a grace period. Participation rates carry 95%% "
             "Wilson intervals. Each dimension's four-fifths reference is "
             "its segment with the highest rate among those of at least %s "
             "people, the largest segment when none is that large; a "
             "segment is compared with it by a pooled "
             "two-proportion z-test, or Fisher's exact test for small "
             "counts, and its shortfall is the participants it needs to "
             "reach four-fifths of the reference's rate. Survey means carry "
             "Student t intervals; remote and office answers are compared "
             "with Welch's t-test and Cohen's d. The Net Promoter Score is "
             "the percentage of promoters (9-10) minus that of detractors "
             "(0-6); the remote-office difference carries a 95%% interval. "
             "Survey groups under %d respondents, and every group whose "
             "figures could otherwise be worked out, are suppressed: no "
             "published figure, alone or combined with any other published "
             "figure, gives a single person's answer, the figure of a "
             "suppressed group, or the sum of fewer than %d people's answers "
             "by one subtraction or by any combination that isolates a "
             "cell.%s",
             r->start, r->end, r->end, r->at_risk_factor, r->inactive_factor,
             refmin, r->min_group, r->min_group,
             r->anonymize ? " Names and e-mail addresses are replaced by "
                            "stable pseudonyms."
                          : " This report names people: share it inside HR "
                            "only, or make an anonymized copy with "
                            "--anonymize.");
    text(d, F_BODY, buf, 8);
}

/* The table of the imports in the database. */
static void
imports_table(struct doc *d)
{
    const struct report *r = d->r;
    struct report_table *t = report_table_open(r, RT_IMPORTS, d->errbuf);
    if (!t) {
        d->failed = 1;
        return;
    }
    static const double x[] = {0, 50, 100, 330, 380, 430};
    static const char *const head[] = {"Kind", "Format", "File", "Loaded",
                                       "Rejected", "Skipped"};
    static const char *const names[] = {"kind",   "format",   "path",
                                        "loaded", "rejected", "skipped"};
    row(d, x, 6, head, F_SMALL_B, 1);
    d->hx = x;
    d->hn = 6;
    d->head = head;
    int more;
    while ((more = report_table_next(t, d->errbuf)) == 1) {
        char c[6][200];
        for (int i = 0; i < 6; i++) {
            struct report_cell cell;
            long k = report_table_find(t, names[i]);
            c[i][0] = '\0';
            if (k < 0)
                continue;
            report_table_cell(t, (size_t)k, &cell);
            if (cell.null)
                continue;
            if (cell.kind == RK_TEXT)
                snprintf(c[i], 200, "%s", cell.text);
            else
                snprintf(c[i], 200, "%.0f", cell.num);
        }
        const char *cells[6] = {c[0], c[1], c[2], c[3], c[4], c[5]};
        row(d, x, 6, cells, F_SMALL, 0);
    }
    d->head = NULL;
    report_table_close(t);
    if (more < 0)
        d->failed = 1;
}

static void
quality_section(struct doc *d)
{
    const struct report *r = d->r;
    new_page(d);
    heading(d, "Trends");
    chart(d, CHART_MEETINGS_TREND);
    methodology(d);
    heading(d, "Data quality");
    char buf[2048];
    snprintf(buf, sizeof(buf),
             "The database holds %ld import%s with %ld rejected row%s in "
             "all. Rejected rows are listed on the workbook's Data quality "
             "sheet%s.",
             r->facts.imports, r->facts.imports == 1 ? "" : "s",
             r->facts.rejects, r->facts.rejects == 1 ? "" : "s",
             r->anonymize ? " (without their text, which could name people)"
                          : " with their reason and original text");
    text(d, F_BODY, buf, 6);
    if (r->facts.hours_unknown) {
        snprintf(buf, sizeof(buf),
                 "%ld meeting%s could not be placed in a local hour (unknown "
                 "time zone).",
                 r->facts.hours_unknown,
                 r->facts.hours_unknown == 1 ? "" : "s");
        text(d, F_BODY, buf, 6);
    }
    imports_table(d);
}

int
report_pdf_write(const struct report *r, const char *dir,
                 struct tether_buf *paths, char *errbuf)
{
    char *path = report_path(dir, r, ".pdf");
    struct doc d = {.r = r, .errbuf = errbuf};
    int rc = -1;
    errbuf[0] = '\0';
    /* cairo writes by name: it gets our temporary file's. */
    struct tether_outfile of = {.fd = -1};
    if (tether_outfile_open(&of, path, errbuf)) {
        free(path);
        return -1;
    }
    d.s = cairo_pdf_surface_create(of.tmp, PAGE_W, PAGE_H);
    char when[TETHER_TS_LEN], title[128];
    tether_ts_format(r->created_ts, when);
    snprintf(title, sizeof(title), "Mentoring program report %s", r->label);
    cairo_pdf_surface_set_metadata(d.s, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(d.s, CAIRO_PDF_METADATA_CREATOR,
                                   "tether-report");
    cairo_pdf_surface_set_metadata(d.s, CAIRO_PDF_METADATA_CREATE_DATE, when);
    d.cr = cairo_create(d.s);

    cover(&d, title);
    inclusion_section(&d);
    followup_section(&d);
    surveys_section(&d);
    impact_section(&d);
    timezones_section(&d);
    quality_section(&d);
    footer(&d);
    cairo_show_page(d.cr);

    if (cairo_status(d.cr) != CAIRO_STATUS_SUCCESS && !d.failed) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot draw '%s': %s", path,
                 cairo_status_to_string(cairo_status(d.cr)));
        d.failed = 1;
    }
    cairo_destroy(d.cr);
    cairo_surface_finish(d.s);
    if (!d.failed && cairo_surface_status(d.s) != CAIRO_STATUS_SUCCESS) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot write '%s': %s", path,
                 cairo_status_to_string(cairo_surface_status(d.s)));
        d.failed = 1;
    }
    cairo_surface_destroy(d.s);
    if (!d.failed && tether_outfile_commit(&of, errbuf) == TETHER_OK) {
        tether_buf_printf(paths, "%s\n", path);
        rc = 0;
    }
    tether_outfile_abort(&of);
    free(path);
    return rc;
}
