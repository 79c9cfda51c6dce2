/* charts.c - the report's six charts, drawn with cairo (their text through
 * text.c), on a PNG, SVG or PDF surface or inside the PDF report.
 *
 * Colours are from the Okabe-Ito palette, chosen so that neighbours also
 * differ in lightness: the charts read in greyscale and for colour-blind
 * readers. Every chart has a title, axis titles in words and a legend or
 * direct labels. */
#include "describe.h"
#include "report.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tether/err.h"
#include "tether/outfile.h"
#include "tether/timeutil.h"

const char *const chart_names[CHART_COUNT] = {
    "participation", "pair-status", "meetings-trend",
    "survey-likert", "meeting-hours", "days-quiet", "between-meetings",
    "retention", "pair-survival", "practice-survival"};

struct rgb {
    double r, g, b;
};
#define RGB(x)                                                               \
    {                                                                        \
        ((x) >> 16 & 0xFF) / 255.0, ((x) >> 8 & 0xFF) / 255.0,               \
            ((x)&0xFF) / 255.0                                               \
    }

static const struct rgb mode_col[TETHER_MODE_COUNT + 1] = {
    RGB(0xE69F00), RGB(0x009E73), RGB(0x0072B2), RGB(0x999999)};
static const struct rgb status_col[TETHER_STATUS_COUNT] = {
    [TETHER_STATUS_ACTIVE] = RGB(0x009E73),
    [TETHER_STATUS_NEW] = RGB(0xF0E442),
    [TETHER_STATUS_ENDED] = RGB(0xBBBBBB),
    [TETHER_STATUS_AT_RISK] = RGB(0xE69F00),
    [TETHER_STATUS_INACTIVE] = RGB(0xD55E00),
    [TETHER_STATUS_NEVER_MET] = RGB(0x000000)};
static const struct rgb ink = RGB(0x222222), grid = RGB(0xDDDDDD),
                        muted = RGB(0x666666);

#define FONT "DejaVu Sans"
#define F_TITLE FONT " Bold 15"
#define F_AXIS FONT " 11"
#define F_TICK FONT " 10"
#define F_NOTE FONT " 9"

static void
set_rgb(cairo_t *cr, struct rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* Black or white, whichever reads on c. */
static struct rgb
text_on(struct rgb c)
{
    double l = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
    struct rgb black = {0, 0, 0}, white = {1, 1, 1};
    return l > 0.45 ? black : white;
}

/* Text whose centre (align 1), left (0) or right (2) end is at x, its
 * vertical middle at y. */
static void
label(cairo_t *cr, double x, double y, const char *font, const char *text,
      int align)
{
    double w, h;
    report_text_size(cr, font, text, &w, &h);
    double left = align == 1 ? x - w / 2 : align == 2 ? x - w : x;
    report_text(cr, left, y - h / 2, 0, font, text, 0, 0);
}

static void
vlabel(cairo_t *cr, double x, double y, const char *font, const char *text)
{
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -M_PI / 2);
    label(cr, 0, 0, font, text, 1);
    cairo_restore(cr);
}

/* A round upper bound for an axis: 1, 2 or 5 times a power of ten. */
static double
nice_max(double v)
{
    if (!(v > 0))
        return 1;
    double p = pow(10, floor(log10(v)));
    double m = v / p;
    /* Steps whose fifths are round numbers: the axis ends near the data
     * (a tallest bar of 57 gets an axis to 60, not 100). */
    static const double steps[] = {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10};
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (m <= steps[i] + 1e-9)
            return steps[i] * p;
    return 10 * p;
}

struct plot {
    double x0, y0, x1, y1; /* the plotting area */
    double max;            /* value at the top */
};

static double
py(const struct plot *p, double v)
{
    return p->y1 - (p->y1 - p->y0) * (v / p->max);
}

static void
title(cairo_t *cr, const char *text, const char *sub)
{
    set_rgb(cr, ink);
    report_text(cr, 20, 12, CHART_W - 40, F_TITLE, text, 0, 0);
    if (sub) {
        set_rgb(cr, muted);
        report_text(cr, 20, 36, CHART_W - 40, F_NOTE, sub, 0, 0);
    }
}

/* The y axis with gridlines and tick labels; pct: labels in percent. */
static void
y_axis(cairo_t *cr, const struct plot *p, int pct, const char *name)
{
    char buf[32];
    cairo_set_line_width(cr, 1);
    /* Percent axes tick at whole tens (10% or 20% apart) when the top is
     * a multiple of 10%; other axes in fifths. */
    int ticks = 5;
    long tens = lround(p->max * 10);
    if (pct && tens > 0 && fabs(p->max * 10 - (double)tens) < 1e-9)
        ticks = tens > 6 && tens % 2 == 0 ? (int)(tens / 2) : (int)tens;
    for (int i = 0; i <= ticks; i++) {
        double v = p->max * i / ticks, y = py(p, v);
        set_rgb(cr, grid);
        cairo_move_to(cr, p->x0, y);
        cairo_line_to(cr, p->x1, y);
        cairo_stroke(cr);
        if (pct)
            snprintf(buf, sizeof(buf), "%.0f%%", v * 100);
        else if (p->max >= 5 || v == floor(v))
            snprintf(buf, sizeof(buf), "%.0f", v);
        else
            snprintf(buf, sizeof(buf), "%.1f", v);
        set_rgb(cr, ink);
        label(cr, p->x0 - 6, y, F_TICK, buf, 2);
    }
    set_rgb(cr, ink);
    cairo_move_to(cr, p->x0, p->y1);
    cairo_line_to(cr, p->x1, p->y1);
    cairo_stroke(cr);
    vlabel(cr, 18, (p->y0 + p->y1) / 2, F_AXIS, name);
}

static void
legend_box(cairo_t *cr, double x, double y, struct rgb c, const char *text)
{
    set_rgb(cr, c);
    cairo_rectangle(cr, x, y - 6, 12, 12);
    cairo_fill_preserve(cr);
    set_rgb(cr, ink);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
    label(cr, x + 17, y, F_TICK, text, 0);
}

static void
no_data(cairo_t *cr, const char *why)
{
    set_rgb(cr, muted);
    label(cr, CHART_W / 2, CHART_H / 2, F_AXIS, why, 1);
}

/* ---- 1. participation by work mode, with the four-fifths line ---- */

/* The four-fifths bar is the reference segment's rate (SPEC 3.2), or
 * else the highest rate; sets *ref_out to the reference's name. */
static double
participation_reference(const struct report *r, const char **ref_out)
{
    double best = 0;
    const char *ref = "";
    for (int m = 0; m < TETHER_MODE_COUNT; m++) {
        const json_t *s = report_inclusion(r, TETHER_DIM_WORK_MODE, tether_mode_names[m]);
        if (*report_jstr(s, tether_metric_names[TETHER_M_REFERENCE]))
            ref = report_jstr(s, tether_metric_names[TETHER_M_REFERENCE]);
    }
    best = report_jnum(report_inclusion(r, TETHER_DIM_WORK_MODE, ref),
                       "participation_rate");
    for (int m = 0; isnan(best) && m < TETHER_MODE_COUNT; m++) {
        const json_t *s = report_inclusion(r, TETHER_DIM_WORK_MODE, tether_mode_names[m]);
        double v = report_jnum(s, tether_metric_names[TETHER_M_PARTICIPATION_RATE]);
        if (!isnan(v))
            best = fmax(isnan(best) ? 0 : best, v);
    }
    if (isnan(best))
        best = 0;
    *ref_out = ref;
    return best;
}

/* Work mode m's bar, interval, counts under the axis and rate above. */
static void
participation_bar(cairo_t *cr, const struct plot *p, const json_t *s, int m,
                  double slot, double bw, const char *ref)
{
    double v = report_jnum(s, tether_metric_names[TETHER_M_PARTICIPATION_RATE]);
    double cx = p->x0 + slot * (m + 0.5);
    char buf[96];
    double hc = report_jnum(s, tether_metric_names[TETHER_M_HEADCOUNT]),
           pa = report_jnum(s, tether_metric_names[TETHER_M_PARTICIPANTS]);
    set_rgb(cr, ink);
    if (isnan(hc))
        snprintf(buf, sizeof(buf), "%s\nno employees", tether_mode_names[m]);
    else
        snprintf(buf, sizeof(buf), "%s\n%.0f of %.0f people",
                 tether_mode_names[m], isnan(pa) ? 0 : pa, hc);
    double w, h;
    report_text_size(cr, F_AXIS, buf, &w, &h);
    report_text(cr, cx - 80, p->y1 + 6, 160, F_AXIS, buf, 0, 1);
    if (isnan(v))
        return;
    set_rgb(cr, mode_col[m]);
    cairo_rectangle(cr, cx - bw / 2, py(p, v), bw, p->y1 - py(p, v));
    cairo_fill(cr);
    double lo = report_jnum(s, tether_metric_names[TETHER_M_PARTICIPATION_RATE_CI_LOW]),
           up = report_jnum(s, tether_metric_names[TETHER_M_PARTICIPATION_RATE_CI_HIGH]);
    double top = py(p, v);
    if (!isnan(lo) && !isnan(up)) {
        set_rgb(cr, ink);
        cairo_set_line_width(cr, 1.5);
        cairo_move_to(cr, cx, py(p, lo));
        cairo_line_to(cr, cx, py(p, up));
        cairo_move_to(cr, cx - 8, py(p, lo));
        cairo_line_to(cr, cx + 8, py(p, lo));
        cairo_move_to(cr, cx - 8, py(p, up));
        cairo_line_to(cr, cx + 8, py(p, up));
        cairo_stroke(cr);
        top = fmin(top, py(p, up));
    }
    double ratio = report_jnum(s, tether_metric_names[TETHER_M_INCLUSION_RATIO]);
    if (report_jbool(s, tether_metric_names[TETHER_M_FLAGGED]))
        snprintf(buf, sizeof(buf), "%.0f%%\n%.0f%% of %s: below "
                 "four-fifths", v * 100, ratio * 100, ref);
    else
        snprintf(buf, sizeof(buf), "%.0f%%", v * 100);
    double tw, th;
    report_text_size(cr, F_TICK, buf, &tw, &th);
    set_rgb(cr, ink);
    report_text(cr, cx - slot / 2, top - 4 - th, slot, F_TICK, buf, 0, 1);
}

/* The four-fifths line: 80% of the highest segment's rate, and its
 * legend. */
static void
four_fifths_line(cairo_t *cr, const struct plot *p, double best,
                 const char *ref)
{
    double y = py(p, 0.8 * best);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1.5);
    double dash[] = {6, 4};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, p->x0, y);
    cairo_line_to(cr, p->x1, y);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    char buf[96];
    snprintf(buf, sizeof(buf), "four-fifths of %s's rate (%.0f%%)",
             *ref ? ref : "the highest", 80 * best);
    /* Its legend sits above the plot, where no bar or label can be. */
    double w, h;
    report_text_size(cr, F_NOTE, buf, &w, &h);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, p->x1 - w - 36, 56);
    cairo_line_to(cr, p->x1 - w - 8, 56);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    set_rgb(cr, ink);
    label(cr, p->x1 - w - 2, 56, F_NOTE, buf, 0);
}

static void
chart_participation(cairo_t *cr, const struct report *r)
{
    title(cr, "Participation in mentoring by work mode",
          "Share of employees in at least one active pair (mentor or "
          "mentee), with 95% Wilson intervals");
    double hi = 0;
    int any = 0;
    for (int m = 0; m < TETHER_MODE_COUNT; m++) {
        const json_t *s = report_inclusion(r, TETHER_DIM_WORK_MODE, tether_mode_names[m]);
        double v = report_jnum(s, tether_metric_names[TETHER_M_PARTICIPATION_RATE]);
        double top = report_jnum(s, tether_metric_names[TETHER_M_PARTICIPATION_RATE_CI_HIGH]);
        if (!isnan(v)) {
            any = 1;
            hi = fmax(hi, fmax(v, isnan(top) ? v : top));
        }
    }
    if (!any) {
        no_data(cr, "No one in the roster for this period");
        return;
    }
    struct plot p = {80, 74, CHART_W - 30, CHART_H - 70, 0};
    p.max = fmin(1, nice_max(hi * 1.25));
    y_axis(cr, &p, 1, "Participation rate");
    double slot = (p.x1 - p.x0) / TETHER_MODE_COUNT, bw = slot * 0.5;
    const char *ref;
    double best = participation_reference(r, &ref);
    for (int m = 0; m < TETHER_MODE_COUNT; m++)
        participation_bar(cr, &p, report_inclusion(r, TETHER_DIM_WORK_MODE,
                                                   tether_mode_names[m]),
                          m, slot, bw, ref);
    four_fifths_line(cr, &p, best, ref);
}

/* ---- 2. pair status by mentee work mode (stacked) ---- */

static void
chart_status(cairo_t *cr, const struct report *r)
{
    const struct report_facts *f = &r->facts;
    title(cr, "Pair status by the mentee's work mode",
          "Share of each work mode's active pairs by status on the period's "
          "last day (pairs in brackets)");
    if (f->pairs == 0) {
        no_data(cr, "No active pairs in this period");
        return;
    }
    int nm = f->tz_pairs[TETHER_MODE_COUNT] ? TETHER_MODE_COUNT + 1 : TETHER_MODE_COUNT;
    /* Shares of each work mode's pairs, so that a small group (12 remote
     * pairs beside 57 office ones) reads as well as a large one; the
     * counts stay on the bars. */
    struct plot p = {80, 70, CHART_W - 150, CHART_H - 55, 1.0};
    y_axis(cr, &p, 1, "Share of the work mode's pairs");
    double slot = (p.x1 - p.x0) / nm, bw = slot * 0.55;
    for (int m = 0; m < nm; m++) {
        double cx = p.x0 + slot * (m + 0.5), acc = 0;
        long all = 0;
        for (int s = 0; s < TETHER_STATUS_COUNT; s++)
            all += f->status[m][s];
        for (int i = 0; i < TETHER_STATUS_COUNT && all > 0; i++) {
            enum tether_status s = tether_status_shown[i];
            long n = f->status[m][s];
            if (!n)
                continue;
            double share = (double)n / (double)all;
            double y0 = py(&p, acc), y1 = py(&p, acc + share);
            set_rgb(cr, status_col[s]);
            cairo_rectangle(cr, cx - bw / 2, y1, bw, y0 - y1);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_set_line_width(cr, 1);
            cairo_stroke(cr);
            if (y0 - y1 >= 14) {
                char buf[40];
                snprintf(buf, sizeof(buf), "%.0f%% (%ld)", 100 * share, n);
                set_rgb(cr, text_on(status_col[s]));
                label(cr, cx, (y0 + y1) / 2, F_TICK, buf, 1);
            }
            acc += share;
        }
        char buf[64];
        snprintf(buf, sizeof(buf), "%s\n%ld pair%s",
                 m < TETHER_MODE_COUNT ? tether_mode_names[m] : "(unknown)",
                 f->tz_pairs[m], f->tz_pairs[m] == 1 ? "" : "s");
        set_rgb(cr, ink);
        double tw, th;
        report_text_size(cr, F_TICK, buf, &tw, &th);
        report_text(cr, cx - slot / 2, p.y1 + 6, slot, F_TICK, buf, 0, 1);
    }
    label(cr, (p.x0 + p.x1) / 2, p.y1 + 40, F_AXIS, "Mentee's work mode", 1);
    for (int i = 0; i < TETHER_STATUS_COUNT; i++) {
        enum tether_status s = tether_status_shown[i];
        legend_box(cr, p.x1 + 20, p.y0 + 10 + 22 * (TETHER_STATUS_COUNT - 1 - i),
                   status_col[s], tether_status_labels[s]);
    }
}

/* ---- 3. meetings per pair per month over the trend, remote vs office */

/* The number under key for work mode `mode` somewhere in node: in an
 * object that names the mode as its segment, or under a member named
 * after the mode. */
static double
find_mode_value(const json_t *node, const char *mode, const char *key,
                int in_mode)
{
    if (json_is_object(node)) {
        const char *seg = report_jstr(node, tether_metric_names[TETHER_M_SEGMENT]);
        if (*seg)
            in_mode = strcmp(seg, mode) == 0;
        const json_t *v = json_object_get(node, key);
        if (in_mode && json_is_number(v))
            return json_number_value(v);
        if (json_is_object(v)) {
            const json_t *mv = json_object_get(v, mode);
            if (json_is_number(mv))
                return json_number_value(mv);
        }
        const char *k;
        json_t *child;
        json_object_foreach((json_t *)node, k, child) {
            double d = find_mode_value(child, mode, key,
                                       in_mode || strcmp(k, mode) == 0);
            if (!isnan(d))
                return d;
        }
    } else if (json_is_array(node)) {
        size_t i;
        json_t *child;
        json_array_foreach(node, i, child) {
            double d = find_mode_value(child, mode, key, in_mode);
            if (!isnan(d))
                return d;
        }
    }
    return NAN;
}

static void
period_name(const json_t *e, char *out, size_t cap)
{
    const json_t *p = json_object_get(e, "period");
    const char *s = report_jstr(e, "label");
    if (!*s && json_is_string(p))
        s = json_string_value(p);
    if (!*s)
        s = report_jstr(p, "label");
    if (!*s)
        s = report_jstr(e, "start");
    if (!*s)
        s = report_jstr(p, "start");
    snprintf(out, cap, "%s", s);
}

/* Series k of the trend chart at entry e: the work modes of
 * tether_mode_names (remote, hybrid, office mentees), then all pairs. The
 * current period's figures by work mode come from its own inclusion table
 * when the trend entry lacks them. */
#define TREND_SERIES (TETHER_MODE_COUNT + 1)
static double
trend_value(const struct report *r, const json_t *e, int k)
{
    static const char key[] = "meetings_per_pair_month";
    if (k == TETHER_MODE_COUNT)
        return report_jnum(e, key);
    const char *mode = tether_mode_names[k];
    double v = find_mode_value(e, mode, key, 0);
    char name[48];
    period_name(e, name, sizeof(name));
    if (isnan(v) && strcmp(name, r->label) == 0)
        v = report_jnum(report_inclusion(r, TETHER_DIM_WORK_MODE, mode), key);
    return v;
}

/* Spreads labels at y[0..n) (their order kept) so that no two are closer
 * than gap, within lo..hi. */
static void
spread(double *y, const int *order, int n, double gap, double lo, double hi)
{
    for (int a = 1; a < n; a++)
        if (y[order[a]] < y[order[a - 1]] + gap)
            y[order[a]] = y[order[a - 1]] + gap;
    if (n > 0 && y[order[n - 1]] > hi) {
        y[order[n - 1]] = hi;
        for (int a = n - 2; a >= 0; a--)
            if (y[order[a]] > y[order[a + 1]] - gap)
                y[order[a]] = y[order[a + 1]] - gap;
    }
    for (int a = 0; a < n; a++)
        if (y[order[a]] < lo)
            y[order[a]] = lo;
}

/* Sorts idx[0..n) by y (NaN last). */
static void
sort_by_y(int *idx, int n, const double *y)
{
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++)
            if (!isnan(y[idx[b]]) &&
                (isnan(y[idx[a]]) || y[idx[b]] < y[idx[a]])) {
                int t = idx[a];
                idx[a] = idx[b];
                idx[b] = t;
            }
}

/* One line per series across the quarters, each with its own dash;
 * sets last_y[] to where each line ends (NAN when it has no point). */
static void
trend_lines(cairo_t *cr, const struct report *r, const json_t *trend,
            size_t n, const struct plot *p, double slot,
            const struct rgb col[TREND_SERIES], double last_y[TREND_SERIES])
{
    /* Line styles and markers differ too, for greyscale and colour-blind
     * readers. */
    static const double dash[] = {8, 5}, dots[] = {2, 4}, dashdot[] = {8, 3,
                                                                      2, 3};
    for (int k = 0; k < TREND_SERIES; k++) {
        last_y[k] = NAN;
        set_rgb(cr, col[k]);
        cairo_set_line_width(cr, k == TETHER_MODE_COUNT ? 1.5 : 2.5);
        const double *d = k == 0 ? NULL : k == 1 ? dashdot : k == 2 ? dash
                                                                    : dots;
        cairo_set_dash(cr, d, k == 0 ? 0 : k == 1 ? 4 : 2, 0);
        int pen = 0;
        for (size_t i = 0; i < n; i++) {
            double v = trend_value(r, json_array_get(trend, i), k);
            if (isnan(v)) {
                pen = 0;
                continue;
            }
            double x = p->x0 + slot * ((double)i + 0.5), y = py(p, v);
            if (pen)
                cairo_line_to(cr, x, y);
            else
                cairo_move_to(cr, x, y);
            pen = 1;
            last_y[k] = y;
        }
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
}

/* Markers, and each quarter's values beside them, pushed apart so that
 * they never overlap. */
static void
trend_markers(cairo_t *cr, const struct report *r, const json_t *trend,
              size_t n, const struct plot *p, double slot,
              const struct rgb col[TREND_SERIES])
{
    for (size_t i = 0; i < n; i++) {
        double x = p->x0 + slot * ((double)i + 0.5), y[TREND_SERIES],
               ly[TREND_SERIES];
        int idx[TREND_SERIES], m = 0;
        for (int k = 0; k < TETHER_MODE_COUNT; k++) {
            double v = trend_value(r, json_array_get(trend, i), k);
            y[k] = isnan(v) ? NAN : py(p, v);
            ly[k] = y[k];
            if (isnan(v))
                continue;
            idx[m++] = k;
            set_rgb(cr, col[k]);
            if (k == 0)
                cairo_arc(cr, x, y[k], 5, 0, 2 * M_PI);
            else if (k == 1) {
                cairo_move_to(cr, x, y[k] - 6);
                cairo_line_to(cr, x + 6, y[k] + 5);
                cairo_line_to(cr, x - 6, y[k] + 5);
                cairo_close_path(cr);
            } else
                cairo_rectangle(cr, x - 5, y[k] - 5, 10, 10);
            cairo_fill(cr);
        }
        sort_by_y(idx, m, y);
        spread(ly, idx, m, 13, p->y0, p->y1 - 6);
        for (int a = 0; a < m; a++) {
            int k = idx[a];
            char buf[24];
            snprintf(buf, sizeof(buf), "%.2f",
                     trend_value(r, json_array_get(trend, i), k));
            set_rgb(cr, ink);
            label(cr, x + 9, ly[k], F_NOTE, buf, 0);
        }
    }
}

/* Direct labels at the right, pushed apart when they would touch. */
static void
trend_labels(cairo_t *cr, const struct plot *p, double last_y[TREND_SERIES],
             const struct rgb col[TREND_SERIES],
             const char *names[TREND_SERIES])
{
    int order[TREND_SERIES];
    for (int k = 0; k < TREND_SERIES; k++)
        order[k] = k;
    sort_by_y(order, TREND_SERIES, last_y);
    int shown = 0;
    while (shown < TREND_SERIES && !isnan(last_y[order[shown]]))
        shown++;
    spread(last_y, order, shown, 15, p->y0, p->y1);
    for (int a = 0; a < shown; a++) {
        int k = order[a];
        set_rgb(cr, k == TETHER_MODE_COUNT ? muted : col[k]);
        label(cr, p->x1 + 10, last_y[k], F_TICK, names[k], 0);
    }
}

static void
chart_meetings_trend(cairo_t *cr, const struct report *r)
{
    title(cr, "Meetings per pair per month, by the mentee's work mode",
          "Meetings (video, phone, in person) per active pair per 30 days, "
          "over the trend's quarters");
    const json_t *trend = json_object_get(r->result, "trend");
    if (json_is_object(trend))
        trend = json_object_get(trend, "periods");
    size_t n = json_array_size(trend);
    json_t *one = NULL;
    if (n == 0) {
        /* No trend stored: this period alone. */
        one = json_array();
        json_t *e = json_object();
        json_object_set_new(e, "label", json_string(r->label));
        json_object_set(e, tether_metric_names[TETHER_M_MEETINGS_PER_PAIR_MONTH],
                        json_object_get(json_object_get(r->result, "summary"),
                                        tether_metric_names[TETHER_M_MEETINGS_PER_PAIR_MONTH]));
        json_array_append_new(one, e);
        trend = one;
        n = 1;
    }
    double hi = 0;
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < TREND_SERIES; k++) {
            double v = trend_value(r, json_array_get(trend, i), k);
            if (!isnan(v))
                hi = fmax(hi, v);
        }
    struct plot p = {80, 70, CHART_W - 140, CHART_H - 60, 0};
    p.max = nice_max(hi * 1.1);
    y_axis(cr, &p, 0, "Meetings per pair per month");
    double slot = (p.x1 - p.x0) / (double)n;
    for (size_t i = 0; i < n; i++) {
        char name[48];
        period_name(json_array_get(trend, i), name, sizeof(name));
        set_rgb(cr, ink);
        label(cr, p.x0 + slot * ((double)i + 0.5), p.y1 + 12, F_TICK, name,
              1);
    }
    label(cr, (p.x0 + p.x1) / 2, p.y1 + 34, F_AXIS, "Quarter", 1);
    struct rgb col[TREND_SERIES];
    const char *names[TREND_SERIES];
    static char mode_names[TETHER_MODE_COUNT][32];
    for (int k = 0; k < TETHER_MODE_COUNT; k++) {
        col[k] = mode_col[k];
        snprintf(mode_names[k], sizeof(mode_names[k]), "%s mentees",
                 tether_mode_names[k]);
        names[k] = mode_names[k];
    }
    col[TETHER_MODE_COUNT] = (struct rgb)RGB(0x888888);
    names[TETHER_MODE_COUNT] = "all pairs";
    double last_y[TREND_SERIES];
    trend_lines(cr, r, trend, n, &p, slot, col, last_y);
    trend_markers(cr, r, trend, n, &p, slot, col);
    trend_labels(cr, &p, last_y, col, names);
    json_decref(one);
}

/* ---- 4. survey constructs as diverging stacked Likert bars ---- */

static struct rgb
likert_colour(double pos)
{
    /* pos in [-1, 1]: orange (low) through light grey to blue (high),
     * darker towards the ends. */
    static const struct rgb lo_dark = RGB(0xD55E00), lo_light = RGB(0xF5C9A6),
                            mid = RGB(0xDDDDDD), hi_light = RGB(0xA6CEE8),
                            hi_dark = RGB(0x0072B2);
    struct rgb a, b;
    double t;
    if (fabs(pos) < 1e-9)
        return mid;
    if (pos < 0) {
        a = lo_light;
        b = lo_dark;
        t = -pos;
    } else {
        a = hi_light;
        b = hi_dark;
        t = pos;
    }
    t = (t - 0.0) / 1.0;
    struct rgb c = {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t,
                    a.b + (b.b - a.b) * t};
    return c;
}

/* An NPS row in its own three bands (SPEC 3.3): detractors (0-6) left of
 * the centre, passives (7-8) across it, promoters (9-10) right. */
static void
nps_bar(cairo_t *cr, const json_t *s, double cx, double half, double yc,
        double bh)
{
    double share[3] = {report_jnum(s, tether_metric_names[TETHER_M_DETRACTORS]),
                       report_jnum(s, tether_metric_names[TETHER_M_PASSIVES]),
                       report_jnum(s, tether_metric_names[TETHER_M_PROMOTERS])};
    for (int j = 0; j < 3; j++)
        if (!isfinite(share[j]))
            return;
    double x = cx - half * (share[0] + share[1] / 2);
    for (int j = 0; j < 3; j++) {
        double w = half * share[j];
        struct rgb col = likert_colour(j - 1.0);
        set_rgb(cr, col);
        cairo_rectangle(cr, x, yc - bh / 2, w, bh);
        cairo_fill(cr);
        if (w >= 26) {
            char buf[16];
            snprintf(buf, sizeof(buf), "%.0f%%", 100 * share[j]);
            set_rgb(cr, text_on(col));
            label(cr, x + w / 2, yc, F_NOTE, buf, 1);
        }
        x += w;
    }
    char buf[40], sc[24];
    double v = report_jnum(s, tether_metric_names[TETHER_M_NPS]);
    if (!isfinite(v))
        return;
    report_signed(v, sc, sizeof(sc));
    snprintf(buf, sizeof(buf), "NPS %s", sc);
    set_rgb(cr, ink);
    label(cr, x + 6, yc, F_NOTE, buf, 0);
}

#define NCONSTRUCTS TETHER_CONSTRUCT_COUNT

/* The vertical grid every 25% either side of the centre, with its
 * axis title. */
static void
likert_grid(cairo_t *cr, double cx, double half, double y0, double y1)
{
    for (int g = -4; g <= 4; g++) {
        double x = cx + half * g / 4.0;
        set_rgb(cr, g == 0 ? ink : grid);
        cairo_set_line_width(cr, g == 0 ? 1.5 : 1);
        cairo_move_to(cr, x, y0 - 4);
        cairo_line_to(cr, x, y1);
        cairo_stroke(cr);
        char buf[16];
        snprintf(buf, sizeof(buf), "%d%%", abs(g) * 25);
        set_rgb(cr, ink);
        label(cr, x, y1 + 10, F_TICK, buf, 1);
    }
    label(cr, cx, y1 + 28, F_AXIS,
          "Share of answers (low answers to the left, high to the right)",
          1);
}

/* One row's diverging bar of answer shares (or the NPS bar), centred on
 * cx. Returns 1 when it drew an NPS bar, which the legend explains. */
static int
likert_bar(cairo_t *cr, const struct report *r, const json_t *s,
           const char *construct, double cx, double half, double yc,
           double bh)
{
    char buf[96];
    double lo, hi;
    if (report_scale(r, construct, &lo, &hi))
        return 0;
    const json_t *counts = json_object_get(s, tether_metric_names[TETHER_M_COUNTS]);
    int npts = (int)(hi - lo) + 1;
    if (npts < 2 || npts > 101)
        return 0;
    double total = 0;
    double *cnt = tether_xcalloc((size_t)npts, sizeof(double));
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)counts, k, v) {
        double pt;
        if (tether_parse_double(k, &pt) || !json_is_number(v))
            continue;
        int idx = (int)lround(pt - lo);
        if (idx >= 0 && idx < npts) {
            cnt[idx] += json_number_value(v);
            total += json_number_value(v);
        }
    }
    if (total <= 0) {
        free(cnt);
        return 0;
    }
    if (strcmp(construct, "nps") == 0) {
        nps_bar(cr, s, cx, half, yc, bh);
        free(cnt);
        return 1;
    }
    double mid = (npts - 1) / 2.0;
    /* Left part: the points below the middle and half the middle. */
    double left = 0;
    for (int j = 0; j < npts; j++)
        left += j < mid ? cnt[j] : j == mid ? cnt[j] / 2 : 0;
    double x = cx - half * left / total;
    for (int j = 0; j < npts; j++) {
        double w = half * cnt[j] / total;
        struct rgb col = likert_colour(mid > 0 ? (j - mid) / mid : 0);
        set_rgb(cr, col);
        cairo_rectangle(cr, x, yc - bh / 2, w, bh);
        cairo_fill(cr);
        if (w >= 26) {
            snprintf(buf, sizeof(buf), "%.0f%%", 100 * cnt[j] / total);
            set_rgb(cr, text_on(col));
            label(cr, x + w / 2, yc, F_NOTE, buf, 1);
        }
        x += w;
    }
    free(cnt);
    return 0;
}

/* The colour key under the chart, with the NPS bands when shown. */
static void
likert_legend(cairo_t *cr, int have_nps)
{
    double lx = 20, ly = CHART_H - 14;
    set_rgb(cr, ink);
    label(cr, lx, ly, F_NOTE, "lowest", 0);
    for (int j = 0; j < 5; j++) {
        set_rgb(cr, likert_colour((j - 2) / 2.0));
        cairo_rectangle(cr, lx + 44 + 18 * j, ly - 6, 16, 12);
        cairo_fill(cr);
    }
    set_rgb(cr, ink);
    label(cr, lx + 44 + 18 * 5 + 4, ly, F_NOTE,
          have_nps ? "highest point (middle: neutral)"
                   : "highest point of the question's scale (middle: neutral)",
          0);
    if (have_nps) {
        /* The NPS bands: detractors, passives, promoters. */
        static const char *const band[3] = {"detractors 0-6", "passives 7-8",
                                            "promoters 9-10"};
        double bx = 330;
        label(cr, bx, ly, F_NOTE, "NPS:", 0);
        bx += 30;
        for (int j = 0; j < 3; j++) {
            set_rgb(cr, likert_colour(j - 1.0));
            cairo_rectangle(cr, bx, ly - 6, 16, 12);
            cairo_fill(cr);
            set_rgb(cr, ink);
            double tw, th;
            report_text_size(cr, F_NOTE, band[j], &tw, &th);
            label(cr, bx + 20, ly, F_NOTE, band[j], 0);
            bx += 20 + tw + 12;
        }
    }
}

static void
chart_likert(cairo_t *cr, const struct report *r)
{
    char sub[160];
    snprintf(sub, sizeof(sub),
             "Answers left of the centre are below the scale's middle, right "
             "of it above; groups under %d respondents are suppressed",
             r->min_group);
    title(cr, "Survey answers by construct and work mode", sub);
    const json_t *rows[NCONSTRUCTS * TETHER_MODE_COUNT];
    const char *rc[NCONSTRUCTS * TETHER_MODE_COUNT];
    int rm[NCONSTRUCTS * TETHER_MODE_COUNT];
    int nrows = 0;
    for (int c = 0; c < NCONSTRUCTS; c++)
        for (int m = 0; m < TETHER_MODE_COUNT; m++) {
            const json_t *s =
                report_survey(r, tether_construct_names[c], TETHER_DIM_WORK_MODE, tether_mode_names[m]);
            if (!s)
                continue;
            rows[nrows] = s;
            rc[nrows] = tether_construct_names[c];
            rm[nrows++] = m;
        }
    if (nrows == 0) {
        no_data(cr, "No survey answers in this period");
        return;
    }
    double x0 = 200, x1 = CHART_W - 30, cx = (x0 + x1) / 2;
    double y0 = 66, y1 = CHART_H - 62;
    double rowh = (y1 - y0) / nrows, bh = fmin(rowh * 0.7, 22);
    double half = (x1 - x0) / 2;
    likert_grid(cr, cx, half, y0, y1);
    const char *last = NULL;
    int have_nps = 0;
    for (int i = 0; i < nrows; i++) {
        const json_t *s = rows[i];
        double yc = y0 + rowh * (i + 0.5);
        char buf[96];
        const char *cname = strcmp(rc[i], tether_construct_names[TETHER_CONSTRUCT_GOAL_PROGRESS]) == 0
                                ? "goal progress"
                            : strcmp(rc[i], tether_construct_names[TETHER_CONSTRUCT_NPS]) == 0
                                ? "recommend (NPS)"
                                : rc[i];
        if (!last || strcmp(last, rc[i]) != 0) {
            set_rgb(cr, ink);
            if (i > 0) {
                set_rgb(cr, grid);
                cairo_move_to(cr, 10, y0 + rowh * i);
                cairo_line_to(cr, x1, y0 + rowh * i);
                cairo_stroke(cr);
            }
            set_rgb(cr, ink);
            /* Wrapped in its own column, clear of the row labels. */
            double lh = report_text_height(cr, 96, FONT " Bold 10", cname, 0);
            report_text(cr, 12, yc - lh / 2, 96, FONT " Bold 10", cname, 0,
                        0);
        }
        last = rc[i];
        if (report_jbool(s, tether_metric_names[TETHER_M_SUPPRESSED]) ||
            report_jbool(s, tether_metric_names[TETHER_M_HOMOGENEOUS])) {
            snprintf(buf, sizeof(buf), "%s", tether_mode_names[rm[i]]);
            set_rgb(cr, ink);
            label(cr, x0 - 8, yc, F_TICK, buf, 2);
            set_rgb(cr, muted);
            /* Rule 5 of SPEC 3.3: one scale point would show every
             * member's answer. */
            label(cr, cx, yc, F_TICK,
                  report_jbool(s, tether_metric_names[TETHER_M_HOMOGENEOUS])
                      ? "not shown (everyone gave the same answer)"
                      : "suppressed (too few respondents to show)",
                  1);
            continue;
        }
        snprintf(buf, sizeof(buf), "%s (n=%.0f)", tether_mode_names[rm[i]],
                 report_jnum(s, tether_metric_names[TETHER_M_N]));
        set_rgb(cr, ink);
        label(cr, x0 - 8, yc, F_TICK, buf, 2);
        if (likert_bar(cr, r, s, rc[i], cx, half, yc, bh))
            have_nps = 1;
    }
    likert_legend(cr, have_nps);
}

/* ---- 5. meeting start hours in each side's local time ---- */

static void
chart_hours(cairo_t *cr, const struct report *r)
{
    const struct report_facts *f = &r->facts;
    title(cr, "When meetings start, in each side's own time zone",
          "Meetings of the period by local start hour; the shaded band is "
          "the reasonable hours");
    long most = 0;
    for (int h = 0; h < 24; h++) {
        most = f->hour_mentor[h] > most ? f->hour_mentor[h] : most;
        most = f->hour_mentee[h] > most ? f->hour_mentee[h] : most;
    }
    if (most == 0) {
        no_data(cr, "No meetings in this period");
        return;
    }
    struct plot p = {80, 70, CHART_W - 30, CHART_H - 80, 0};
    p.max = nice_max((double)most * 1.1);
    double slot = (p.x1 - p.x0) / 24;
    /* the reasonable-hours band first, under everything */
    double bx0 = p.x0 + slot * r->reasonable_start / 60.0,
           bx1 = p.x0 + slot * r->reasonable_end / 60.0;
    cairo_set_source_rgb(cr, 0.93, 0.93, 0.93);
    cairo_rectangle(cr, bx0, p.y0, bx1 - bx0, p.y1 - p.y0);
    cairo_fill(cr);
    y_axis(cr, &p, 0, "Meetings");
    set_rgb(cr, muted);
    label(cr, (bx0 + bx1) / 2, p.y0 + 8, F_NOTE, "reasonable hours", 1);
    const struct rgb side[2] = {RGB(0x0072B2), RGB(0xE69F00)};
    for (int h = 0; h < 24; h++) {
        double x = p.x0 + slot * h + slot * 0.1, w = slot * 0.4;
        long v[2] = {f->hour_mentor[h], f->hour_mentee[h]};
        for (int s = 0; s < 2; s++) {
            set_rgb(cr, side[s]);
            cairo_rectangle(cr, x + w * s, py(&p, (double)v[s]), w,
                            p.y1 - py(&p, (double)v[s]));
            cairo_fill(cr);
        }
        if (h % 3 == 0) {
            char buf[8];
            snprintf(buf, sizeof(buf), "%02d:00", h);
            set_rgb(cr, ink);
            label(cr, p.x0 + slot * h, p.y1 + 12, F_TICK, buf, 1);
        }
    }
    set_rgb(cr, ink);
    label(cr, (p.x0 + p.x1) / 2, p.y1 + 32, F_AXIS,
          "Local start hour (each person's own zone on the meeting's date)",
          1);
    legend_box(cr, p.x0 + 10, CHART_H - 18, side[0], "mentor's local time");
    legend_box(cr, p.x0 + 200, CHART_H - 18, side[1], "mentee's local time");
}

/* ---- 6. days quiet histogram with the at-risk and inactive marks ---- */

static void
chart_quiet(cairo_t *cr, const struct report *r)
{
    const struct report_facts *f = &r->facts;
    title(cr, "Days since the last meeting",
          "Active pairs by days quiet on the period's last day (pairs that "
          "never met count from their start)");
    long most = 0;
    for (int b = 0; b < REPORT_QUIET_BINS; b++)
        most = f->quiet_bins[b] > most ? f->quiet_bins[b] : most;
    if (most == 0) {
        no_data(cr, "No active pairs in this period");
        return;
    }
    struct plot p = {80, 70, CHART_W - 30, CHART_H - 60, 0};
    p.max = nice_max((double)most * 1.25);
    y_axis(cr, &p, 0, "Pairs");
    double slot = (p.x1 - p.x0) / REPORT_QUIET_BINS;
    for (int b = 0; b < REPORT_QUIET_BINS; b++) {
        double x = p.x0 + slot * b;
        double v = (double)f->quiet_bins[b];
        cairo_set_source_rgb(cr, 0.34, 0.47, 0.60);
        cairo_rectangle(cr, x + 1, py(&p, v), slot - 2, p.y1 - py(&p, v));
        cairo_fill(cr);
        char buf[24];
        if (b % 2 == 0 || b == REPORT_QUIET_BINS - 1) {
            if (b == REPORT_QUIET_BINS - 1)
                snprintf(buf, sizeof(buf), "%d+",
                         b * REPORT_QUIET_BINW);
            else
                snprintf(buf, sizeof(buf), "%d", b * REPORT_QUIET_BINW);
            set_rgb(cr, ink);
            label(cr, x, p.y1 + 12, F_TICK, buf, 1);
        }
        if (f->quiet_bins[b]) {
            snprintf(buf, sizeof(buf), "%ld", f->quiet_bins[b]);
            set_rgb(cr, ink);
            label(cr, x + slot / 2, py(&p, v) - 9, F_NOTE, buf, 1);
        }
    }
    set_rgb(cr, ink);
    label(cr, (p.x0 + p.x1) / 2, p.y1 + 34, F_AXIS, "Days quiet", 1);
    double marks[2] = {r->at_risk_factor * f->cadence,
                       r->inactive_factor * f->cadence};
    const char *names[2] = {tether_status_labels[TETHER_STATUS_AT_RISK],
                            tether_status_labels[TETHER_STATUS_INACTIVE]};
    const struct rgb mc[2] = {RGB(0xE69F00), RGB(0xD55E00)};
    double cap = (double)(REPORT_QUIET_BINS - 1) * REPORT_QUIET_BINW;
    for (int k = 0; k < 2; k++) {
        if (marks[k] > cap)
            continue;
        double x = p.x0 + slot * marks[k] / REPORT_QUIET_BINW;
        set_rgb(cr, mc[k]);
        cairo_set_line_width(cr, 2.5);
        double dash[] = {6, 3};
        cairo_set_dash(cr, dash, k ? 2 : 0, 0);
        cairo_move_to(cr, x, p.y0);
        cairo_line_to(cr, x, p.y1);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        char buf[64];
        snprintf(buf, sizeof(buf), "%s after %.0f days", names[k], marks[k]);
        double w, h;
        report_text_size(cr, F_NOTE, buf, &w, &h);
        /* at risk to the left of its line, inactive to the right, so the
         * two never cover each other */
        double ty = p.y0 + 4, tx = k == 0 ? x - w - 7 : x + 3;
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_rectangle(cr, tx, ty, w + 4, h);
        cairo_fill(cr);
        set_rgb(cr, ink);
        report_text(cr, tx + 2, ty, 0, F_NOTE, buf, 0, 0);
    }
    char buf[96];
    snprintf(buf, sizeof(buf), "marks at the most common cadence, %d days",
             f->cadence);
    set_rgb(cr, muted);
    label(cr, p.x1, CHART_H - 14, F_NOTE, buf, 2);
}

/* ---- 7. contacts between the meetings, by the mentee's work mode ---- */

static void
chart_between(cairo_t *cr, const struct report *r)
{
    const struct report_facts *f = &r->facts;
    title(cr, "Contacts between the meetings",
          "Chats and e-mails per pair in the period (summaries after a "
          "meeting left out), by the mentee's work mode");
    double per[TETHER_MODE_COUNT], mentee[TETHER_MODE_COUNT], most = 0;
    long total = 0;
    for (int m = 0; m < TETHER_MODE_COUNT; m++) {
        long n = f->tz_pairs[m];
        per[m] = n ? (double)f->between[m] / (double)n : 0;
        mentee[m] = n ? (double)f->between_mentee[m] / (double)n : 0;
        most = per[m] > most ? per[m] : most;
        total += f->between[m];
    }
    if (total == 0) {
        no_data(cr, "No chats or e-mails between meetings in this period "
                    "(tether-collect messages loads them)");
        return;
    }
    struct plot p = {80, 70, CHART_W - 30, CHART_H - 60, 0};
    p.max = nice_max(most * 1.2);
    y_axis(cr, &p, 0, "Contacts per pair");
    const struct rgb part[2] = {RGB(0x009E73), RGB(0x56B4E9)};
    double slot = (p.x1 - p.x0) / TETHER_MODE_COUNT;
    for (int m = 0; m < TETHER_MODE_COUNT; m++) {
        double x = p.x0 + slot * m + slot * 0.25, w = slot * 0.5;
        /* the mentee's part at the bottom, the rest above it */
        set_rgb(cr, part[0]);
        cairo_rectangle(cr, x, py(&p, mentee[m]), w,
                        p.y1 - py(&p, mentee[m]));
        cairo_fill(cr);
        set_rgb(cr, part[1]);
        cairo_rectangle(cr, x, py(&p, per[m]), w,
                        py(&p, mentee[m]) - py(&p, per[m]));
        cairo_fill(cr);
        char buf[64];
        snprintf(buf, sizeof(buf), "%.1f (%ld pairs)", per[m],
                 f->tz_pairs[m]);
        set_rgb(cr, ink);
        label(cr, x + w / 2, py(&p, per[m]) - 9, F_NOTE, buf, 1);
        label(cr, x + w / 2, p.y1 + 12, F_TICK, tether_mode_names[m], 1);
    }
    legend_box(cr, p.x0 + 10, CHART_H - 18, part[0], "begun by the mentee");
    legend_box(cr, p.x0 + 200, CHART_H - 18, part[1],
               "by the mentor, or not known");
}

int
chart_draw(cairo_t *cr, const struct report *r, enum chart_id id,
           char *errbuf)
{
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 0, 0, CHART_W, CHART_H);
    cairo_fill(cr);
    switch (id) {
    case CHART_PARTICIPATION:
        chart_participation(cr, r);
        break;
    case CHART_STATUS:
        chart_status(cr, r);
        break;
    case CHART_MEETINGS_TREND:
        chart_meetings_trend(cr, r);
        break;
    case CHART_LIKERT:
        chart_likert(cr, r);
        break;
    case CHART_HOURS:
        chart_hours(cr, r);
        break;
    case CHART_QUIET:
        chart_quiet(cr, r);
        break;
    case CHART_BETWEEN:
        chart_between(cr, r);
        break;
    case CHART_RETENTION:
    case CHART_SURVIVAL:
    case CHART_PRACTICES:
        report_impact_chart(cr, r, id);
        break;
    case CHART_COUNT:
        break;
    }
    cairo_restore(cr);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot draw the %s chart: %s",
                 chart_names[id], cairo_status_to_string(cairo_status(cr)));
        return -1;
    }
    return 0;
}

/* ---- participation by a --by dimension: its largest 15 segments ---- */

#define DIM_CHART_MAX 15

static int
by_headcount(const void *a, const void *b)
{
    double x = report_jnum(*(const json_t *const *)a, tether_metric_names[TETHER_M_HEADCOUNT]),
           y = report_jnum(*(const json_t *const *)b, tether_metric_names[TETHER_M_HEADCOUNT]);
    return (x < y) - (x > y);
}

/* Segment s's row at height yc: its name and headcount, its bar
 * (hatched when below four-fifths) and its rate. */
static void
dimension_row(cairo_t *cr, const json_t *s, const char *ref, double x0,
              double x1, double maxv, double yc, double bh)
{
    char name[160];
    snprintf(name, sizeof(name), "%s (%.0f)", report_jstr(s, tether_metric_names[TETHER_M_SEGMENT]),
             report_jnum(s, tether_metric_names[TETHER_M_HEADCOUNT]));
    set_rgb(cr, ink);
    report_text(cr, 12, yc - 7, x0 - 20, F_TICK, name, 0, 2);
    double v = report_jnum(s, tether_metric_names[TETHER_M_PARTICIPATION_RATE]);
    if (isnan(v))
        return;
    int flagged = report_jbool(s, tether_metric_names[TETHER_M_FLAGGED]);
    /* Flagged segments differ in colour and in pattern (hatched), so
     * that the difference survives greyscale printing. */
    struct rgb col = flagged ? (struct rgb)RGB(0xD55E00)
                             : (struct rgb)RGB(0x0072B2);
    double w = (x1 - x0) * v / maxv;
    set_rgb(cr, col);
    cairo_rectangle(cr, x0, yc - bh / 2, w, bh);
    cairo_fill(cr);
    if (flagged) {
        cairo_save(cr);
        cairo_rectangle(cr, x0, yc - bh / 2, w, bh);
        cairo_clip(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 1.5);
        for (double hx = x0 - bh; hx < x0 + w; hx += 7) {
            cairo_move_to(cr, hx, yc + bh / 2);
            cairo_line_to(cr, hx + bh, yc - bh / 2);
        }
        cairo_stroke(cr);
        cairo_restore(cr);
    }
    char buf[64];
    snprintf(buf, sizeof(buf), "%.0f%%%s", v * 100,
             strcmp(report_jstr(s, tether_metric_names[TETHER_M_SEGMENT]), ref) == 0 ? " reference"
             : flagged                                  ? " below 4/5"
                                                        : "");
    set_rgb(cr, ink);
    label(cr, x0 + w + 5, yc, F_NOTE, buf, 0);
}

static void
chart_dimension(cairo_t *cr, const struct report *r, const char *dim)
{
    const json_t *list =
        json_object_get(json_object_get(r->result, "inclusion"), dim);
    size_t n = json_array_size(list);
    char t[160], sub[200];
    snprintf(t, sizeof(t), "Participation in mentoring by %s", dim);
    snprintf(sub, sizeof(sub),
             "Share of employees in at least one active pair%s; the line is "
             "four-fifths of the reference segment's rate",
             n > DIM_CHART_MAX ? ", the 15 largest segments" : "");
    title(cr, t, sub);
    if (n == 0) {
        no_data(cr, "No segment in this dimension");
        return;
    }
    const json_t **seg = tether_xcalloc(n, sizeof(*seg));
    for (size_t i = 0; i < n; i++)
        seg[i] = json_array_get(list, i);
    qsort(seg, n, sizeof(*seg), by_headcount);
    size_t k = n < DIM_CHART_MAX ? n : DIM_CHART_MAX;
    const char *ref = report_jstr(seg[0], tether_metric_names[TETHER_M_REFERENCE]);
    double refrate = report_jnum(report_inclusion(r, dim, ref),
                                 "participation_rate");
    double hi = isnan(refrate) ? 0 : refrate;
    for (size_t i = 0; i < k; i++) {
        double v = report_jnum(seg[i], tether_metric_names[TETHER_M_PARTICIPATION_RATE]);
        if (!isnan(v))
            hi = fmax(hi, v);
    }
    /* Horizontal bars: long segment names stay readable. */
    double x0 = 210, x1 = CHART_W - 70, y0 = 66, y1 = CHART_H - 46;
    /* Ticks every 10% (20% above 60%), the axis just past the data. */
    double step = hi * 1.1 <= 0.6 ? 0.1 : 0.2;
    int ticks = (int)ceil(hi * 1.1 / step - 1e-9);
    if (ticks < 1)
        ticks = 1;
    double maxv = fmin(1, step * ticks), rowh = (y1 - y0) / (double)k;
    double bh = fmin(rowh * 0.7, 22);
    cairo_set_line_width(cr, 1);
    for (int g = 0; g <= ticks && step * g <= 1 + 1e-9; g++) {
        double v = step * g, x = x0 + (x1 - x0) * v / maxv;
        set_rgb(cr, grid);
        cairo_move_to(cr, x, y0 - 4);
        cairo_line_to(cr, x, y1);
        cairo_stroke(cr);
        char buf[16];
        snprintf(buf, sizeof(buf), "%.0f%%", v * 100);
        set_rgb(cr, ink);
        label(cr, x, y1 + 10, F_TICK, buf, 1);
    }
    label(cr, (x0 + x1) / 2, y1 + 28, F_AXIS, "Participation rate", 1);
    for (size_t i = 0; i < k; i++) {
        const json_t *s = seg[i];
        double yc = y0 + rowh * ((double)i + 0.5);
        dimension_row(cr, s, ref, x0, x1, maxv, yc, bh);
    }
    if (!isnan(refrate)) {
        double x = x0 + (x1 - x0) * 0.8 * refrate / maxv;
        double dash[] = {6, 4};
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, 1.5);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, x, y0 - 6);
        cairo_line_to(cr, x, y1);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    free(seg);
}

int
chart_draw_dimension(cairo_t *cr, const struct report *r, const char *dim,
                     char *errbuf)
{
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 0, 0, CHART_W, CHART_H);
    cairo_fill(cr);
    chart_dimension(cr, r, dim);
    cairo_restore(cr);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot draw the %s chart: %s", dim,
                 cairo_status_to_string(cairo_status(cr)));
        return -1;
    }
    return 0;
}

static int
write_one(const struct report *r, enum chart_id id, const char *dim,
          const char *fmt, const char *path, char *errbuf)
{
    cairo_surface_t *s;
    int png = strcmp(fmt, "png") == 0;
    /* cairo writes by name: it gets our temporary file's. */
    struct tether_outfile of = {.fd = -1};
    if (tether_outfile_open(&of, path, errbuf))
        return -1;
    if (png)
        s = cairo_image_surface_create(
            CAIRO_FORMAT_RGB24, (int)lround(CHART_W * CHART_PNG_SCALE),
            (int)lround(CHART_H * CHART_PNG_SCALE));
    else if (strcmp(fmt, "svg") == 0)
        s = cairo_svg_surface_create(of.tmp, CHART_W, CHART_H);
    else {
        s = cairo_pdf_surface_create(of.tmp, CHART_W, CHART_H);
        char when[TETHER_TS_LEN];
        tether_ts_format(r->created_ts, when);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE,
                                       when);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
                                       "tether-report");
    }
    cairo_t *cr = cairo_create(s);
    if (png)
        cairo_scale(cr, CHART_PNG_SCALE, CHART_PNG_SCALE);
    int rc = dim ? chart_draw_dimension(cr, r, dim, errbuf)
                 : chart_draw(cr, r, id, errbuf);
    cairo_destroy(cr);
    if (rc == 0 && png) {
        cairo_status_t st = cairo_surface_write_to_png(s, of.tmp);
        if (st != CAIRO_STATUS_SUCCESS) {
            snprintf(errbuf, TETHER_ERRBUF, "cannot write '%s': %s", path,
                     cairo_status_to_string(st));
            rc = -1;
        }
    }
    cairo_surface_finish(s);
    if (rc == 0 && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot write '%s': %s", path,
                 cairo_status_to_string(cairo_surface_status(s)));
        rc = -1;
    }
    cairo_surface_destroy(s);
    if (rc == 0 && tether_outfile_commit(&of, errbuf))
        rc = -1;
    tether_outfile_abort(&of);
    return rc;
}

int
charts_write(const struct report *r, const char *dir, const char *fmt,
             struct tether_buf *paths, char *errbuf)
{
    for (int i = 0; i < CHART_COUNT; i++) {
        char suffix[64];
        snprintf(suffix, sizeof(suffix), "-%s.%s", chart_names[i], fmt);
        char *path = report_path(dir, r, suffix);
        int rc = write_one(r, (enum chart_id)i, NULL, fmt, path, errbuf);
        if (rc == 0)
            tether_buf_printf(paths, "%s\n", path);
        free(path);
        if (rc)
            return -1;
    }
    /* One participation chart per --by dimension, as the README says. */
    const char *dim;
    json_t *list;
    json_object_foreach(json_object_get(r->result, "inclusion"), dim, list) {
        if (strcmp(dim, "work_mode") == 0)
            continue;
        char suffix[160];
        size_t j = 0;
        /* The dimension in the file name: letters, digits, '-'. */
        for (const char *c = dim; *c && j < 100; c++, j++) {
            char ch = *c >= 'A' && *c <= 'Z' ? (char)(*c - 'A' + 'a') : *c;
            suffix[j] = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
                            ? ch
                            : '-';
        }
        suffix[j] = '\0';
        char name[200];
        snprintf(name, sizeof(name), "-participation-%s.%s", suffix, fmt);
        char *path = report_path(dir, r, name);
        int rc = write_one(r, CHART_PARTICIPATION, dim, fmt, path, errbuf);
        if (rc == 0)
            tether_buf_printf(paths, "%s\n", path);
        free(path);
        if (rc)
            return -1;
    }
    return 0;
}
