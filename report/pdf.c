/* pdf.c - the quarterly report as an A4 PDF (cairo + pango): the headline
 * findings written as sentences from the run's numbers, then inclusion,
 * pair health with the follow-up list, surveys, time zones, trends, and
 * the methodology and data-quality notes. */
#include "report.h"

#include <cairo-pdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tether/err.h"
#include "tether/timeutil.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 56.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN - 10)
#define FOLLOWUP_MAX 400 /* rows of the follow-up list in the PDF */

#define F_BODY "DejaVu Sans 10"
#define F_SMALL "DejaVu Sans 8"
#define F_SMALL_B "DejaVu Sans Bold 8"
#define F_H1 "DejaVu Sans Bold 20"
#define F_H2 "DejaVu Sans Bold 15"

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

/* A row of cells at the given x offsets; returns the row's height. */
static double
row(struct doc *d, const double *x, size_t n, const char *const *cells,
    const char *font, int shade)
{
    double h = 0;
    for (size_t i = 0; i < n; i++) {
        double w = (i + 1 < n ? x[i + 1] : TEXT_W) - x[i] - 4;
        double ch = report_text_height(d->cr, w, font, cells[i], 0);
        h = ch > h ? ch : h;
    }
    if (d->y + h + 3 > BOTTOM) {
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
        report_text(d->cr, MARGIN + x[i], d->y, w, font, cells[i], 0, 0);
    }
    d->y += h + 3;
    return h;
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

static void
inclusion_section(struct doc *d)
{
    const struct report *r = d->r;
    new_page(d);
    heading(d, "Inclusion");
    text(d, F_BODY,
         "Participation is the share of employees in at least one active "
         "pair, as mentor or mentee. A group whose rate is below four-fifths "
         "of the highest group's rate is flagged (the four-fifths rule of "
         "adverse-impact analysis); the p-value compares it with the highest "
         "group.",
         8);
    chart(d, CHART_PARTICIPATION);
    static const double x[] = {0, 90, 160, 235, 300, 360, 410};
    static const char *const head[] = {"Group",   "Headcount", "In a pair",
                                       "Rate",    "Ratio",     "Flagged",
                                       "p-value"};
    const char *dim;
    json_t *list;
    json_object_foreach(json_object_get(r->result, "inclusion"), dim, list) {
        char buf[96];
        snprintf(buf, sizeof(buf), "By %s", dim);
        text(d, F_SMALL_B, buf, 3);
        row(d, x, 7, head, F_SMALL_B, 1);
        size_t i;
        json_t *s;
        json_array_foreach(list, i, s) {
            char c[7][48];
            snprintf(c[0], 48, "%s", report_jstr(s, tether_metric_names[TETHER_M_SEGMENT]));
            num(report_jnum(s, tether_metric_names[TETHER_M_HEADCOUNT]), 0, c[1], 48);
            num(report_jnum(s, tether_metric_names[TETHER_M_PARTICIPANTS]), 0, c[2], 48);
            pct(report_jnum(s, tether_metric_names[TETHER_M_PARTICIPATION_RATE]), c[3], 48);
            pct(report_jnum(s, tether_metric_names[TETHER_M_INCLUSION_RATIO]), c[4], 48);
            snprintf(c[5], 48, "%s",
                     report_jbool(s, tether_metric_names[TETHER_M_FLAGGED]) ? "yes" : "no");
            num(report_jnum(s, tether_metric_names[TETHER_M_P_VALUE]), 3, c[6], 48);
            const char *cells[7] = {c[0], c[1], c[2], c[3], c[4], c[5], c[6]};
            row(d, x, 7, cells, F_SMALL, 0);
        }
        d->y += 6;
    }
}

static void
followup_section(struct doc *d)
{
    const struct report *r = d->r;
    new_page(d);
    heading(d, "Pair health");
    chart(d, CHART_STATUS);
    chart(d, CHART_QUIET);
    heading(d, "Pairs to follow up");
    text(d, F_BODY,
         "Inactive, never-met and at-risk pairs, most quiet first, with both "
         "people's names and e-mail addresses.",
         6);
    struct report_table *t = report_table_open(r, RT_FOLLOWUP, d->errbuf);
    if (!t) {
        d->failed = 1;
        return;
    }
    static const double x[] = {0, 120, 240, 320, 375, 420};
    static const char *const head[] = {"Mentee",    "Mentor",
                                       "Program",   "Status",
                                       "Days quiet", "Last meeting"};
    row(d, x, 6, head, F_SMALL_B, 1);
    d->hx = x;
    d->hn = 6;
    d->head = head;
    long idx[10];
    static const char *const names[10] = {
        "mentee_name", "mentee_email", "mentor_name",  "mentor_email",
        "program",     "status",       "days_quiet",   "last_meeting",
        "mentee_id",   "mentor_id"};
    for (int i = 0; i < 10; i++)
        idx[i] = report_table_find(t, names[i]);
    long shown = 0, total = 0;
    int more;
    while ((more = report_table_next(t, d->errbuf)) == 1) {
        total++;
        if (shown >= FOLLOWUP_MAX)
            continue;
        char c[10][160];
        for (int i = 0; i < 10; i++) {
            struct report_cell cell;
            c[i][0] = '\0';
            if (idx[i] < 0)
                continue;
            report_table_cell(t, (size_t)idx[i], &cell);
            if (cell.null)
                continue;
            if (cell.kind == RK_DATE) {
                tether_date_format((int32_t)cell.num, c[i]);
            } else if (cell.kind == RK_TEXT) {
                snprintf(c[i], 160, "%s", cell.text);
            } else {
                snprintf(c[i], 160, "%.0f", cell.num);
            }
        }
        char mentee[330], mentor[330];
        snprintf(mentee, sizeof(mentee), "%s\n%s", *c[0] ? c[0] : c[8],
                 c[1]);
        snprintf(mentor, sizeof(mentor), "%s\n%s", *c[2] ? c[2] : c[9],
                 c[3]);
        int si = tether_vocab_find(tether_status_names, TETHER_STATUS_COUNT,
                                   c[5]);
        const char *status = si >= 0 ? tether_status_labels[si] : c[5];
        const char *cells[6] = {mentee, mentor, c[4], status, c[6],
                                *c[7] ? c[7] : "none"};
        row(d, x, 6, cells, F_SMALL, shown % 2 == 1);
        shown++;
    }
    report_table_close(t);
    d->head = NULL;
    if (more < 0) {
        d->failed = 1;
        return;
    }
    if (total == 0)
        text(d, F_BODY, "No pair needs follow-up.", 4);
    else if (total > shown) {
        char buf[160];
        snprintf(buf, sizeof(buf),
                 "\xe2\x80\xa6 and %ld more: see the Pairs sheet of the "
                 "workbook (filter on status).",
                 total - shown);
        text(d, F_BODY, buf, 4);
    }
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
    static const double x[] = {0, 110, 190, 235, 285, 375};
    static const char *const head[] = {"Construct", "Group", "n", "Mean",
                                       "95% interval", "Favourable"};
    row(d, x, 6, head, F_SMALL_B, 1);
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(r->result, "surveys"), i, s) {
        if (strcmp(report_jstr(s, tether_metric_names[TETHER_M_DIMENSION]), TETHER_DIM_WORK_MODE) != 0)
            continue;
        char c[6][64];
        snprintf(c[0], 64, "%s", report_construct_words(report_jstr(s, tether_metric_names[TETHER_M_CONSTRUCT])));
        snprintf(c[1], 64, "%s", report_jstr(s, tether_metric_names[TETHER_M_SEGMENT]));
        int same = report_jbool(s, tether_metric_names[TETHER_M_HOMOGENEOUS]);
        if (same || report_jbool(s, tether_metric_names[TETHER_M_SUPPRESSED])) {
            const char *cells[6] = {c[0], c[1],
                                    same ? "one answer" : "suppressed", "",
                                    "", ""};
            row(d, x, 6, cells, F_SMALL, 0);
            continue;
        }
        num(report_jnum(s, tether_metric_names[TETHER_M_N]), 0, c[2], 64);
        num(report_jnum(s, tether_metric_names[TETHER_M_MEAN]), 2, c[3], 64);
        double lo = report_jnum(s, tether_metric_names[TETHER_M_CI_LOW]), hi = report_jnum(s, tether_metric_names[TETHER_M_CI_HIGH]);
        if (isnan(lo) || isnan(hi))
            snprintf(c[4], 64, "\xe2\x80\x93");
        else
            snprintf(c[4], 64, "%.2f to %.2f", lo, hi);
        pct(report_jnum(s, tether_metric_names[TETHER_M_FAVOURABLE]), c[5], 64);
        const char *cells[6] = {c[0], c[1], c[2], c[3], c[4], c[5]};
        row(d, x, 6, cells, F_SMALL, 0);
    }
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
}

static void
quality_section(struct doc *d)
{
    const struct report *r = d->r;
    new_page(d);
    heading(d, "Trends");
    chart(d, CHART_MEETINGS_TREND);
    heading(d, "Methodology");
    char buf[2048];
    snprintf(buf, sizeof(buf),
             "Period %s to %s; figures on %s. A pair is active when it "
             "started by the period's last day and had not ended before its "
             "first. Meetings are video, phone and in-person contacts. Days "
             "quiet count from the last meeting (or the start, for a pair "
             "that never met). A pair is at risk after %.1f times its "
             "cadence without a meeting and inactive after %.1f times; new "
             "pairs have a grace period. Participation rates carry 95%% "
             "Wilson intervals; groups are compared with a pooled "
             "two-proportion z-test, or Fisher's exact test for small "
             "counts. Survey means carry Student t intervals; remote and "
             "office answers are compared with Welch's t-test and Cohen's d. "
             "Survey groups under %d respondents, and every group whose "
             "figures could otherwise be worked out, are suppressed: no "
             "published figure, alone or combined with any other published "
             "figure, gives a single person's answer, the figure of a "
             "suppressed group, or the sum of fewer than %d people's answers "
             "by one subtraction or by any combination that isolates a "
             "cell.%s",
             r->start, r->end, r->end, r->at_risk_factor, r->inactive_factor,
             r->min_group, r->min_group,
             r->anonymize ? " Names and e-mail addresses are replaced by "
                            "stable pseudonyms."
                          : " This report names people: share it inside HR "
                            "only, or make an anonymized copy with "
                            "--anonymize.");
    text(d, F_BODY, buf, 8);
    heading(d, "Data quality");
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

int
report_pdf_write(const struct report *r, const char *dir,
                 struct tether_buf *paths, char *errbuf)
{
    char *path = report_path(dir, r, ".pdf");
    struct doc d = {.r = r, .errbuf = errbuf};
    int rc = -1;
    errbuf[0] = '\0';
    d.s = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
    char when[TETHER_TS_LEN], title[128];
    tether_ts_format(r->created_ts, when);
    snprintf(title, sizeof(title), "Mentoring program report %s", r->label);
    cairo_pdf_surface_set_metadata(d.s, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(d.s, CAIRO_PDF_METADATA_CREATOR,
                                   "tether-report");
    cairo_pdf_surface_set_metadata(d.s, CAIRO_PDF_METADATA_CREATE_DATE, when);
    d.cr = cairo_create(d.s);

    new_page(&d);
    cairo_set_source_rgb(d.cr, 0.1, 0.1, 0.1);
    text(&d, F_H1, title, 4);
    char buf[256];
    snprintf(buf, sizeof(buf),
             "Period %s to %s \xe2\x80\x94 analysis run %lld of %s%s", r->start,
             r->end, (long long)r->run, r->created_at,
             r->anonymize ? " \xe2\x80\x94 anonymized" : "");
    text(&d, F_BODY, buf, 18);
    heading(&d, "Headline findings");
    char **findings = report_findings(r);
    for (size_t i = 0; findings[i]; i++)
        bullet(&d, findings[i]);
    report_findings_free(findings);

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
    if (!d.failed && report_private_file(path, errbuf) == 0) {
        tether_buf_printf(paths, "%s\n", path);
        rc = 0;
    }
    free(path);
    return rc;
}
