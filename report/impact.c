/* impact.c - the report's view of program impact (SPEC 3.7): the
 * sentences of the PDF's Impact section, the Impact and Practices sheets of
 * the workbook, and the retention and Kaplan-Meier charts. Everything is
 * read from the run's stored "impact" object. The sentences speak of
 * associations, never of causes, name the comparison in words, and say
 * "no clear difference" whenever p >= 0.05 or a group is small. */
#include "report.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tether/err.h"
#include "tether/timeutil.h"
#include "tether/vocab.h"

#define M(x) (tether_metric_names[x])

#define COMPARISON                                                           \
    "similar colleagues \xe2\x80\x94 same department, level and tenure "    \
    "\xe2\x80\x94 who had no mentor"

static const json_t *
impact_of(const struct report *r)
{
    return json_object_get(r->result, "impact");
}

/* The row of list whose dimension and segment match (NULL when absent). */
static const json_t *
find_row(const json_t *list, const char *k1, const char *v1, const char *k2,
         const char *v2)
{
    size_t i;
    json_t *row;
    json_array_foreach((json_t *)list, i, row) {
        if (strcmp(report_jstr(row, k1), v1) == 0 &&
            (!k2 || strcmp(report_jstr(row, k2), v2) == 0))
            return row;
    }
    return NULL;
}

/* "p < 0.001", "p = 0.04" (the sentences never show a tiny number). */
static void
p_words(double p, const char *name, char *out, size_t cap)
{
    if (p < 0.001)
        snprintf(out, cap, "%s < 0.001", name);
    else if (p < 0.01)
        snprintf(out, cap, "%s = %.3f", name, p);
    else
        snprintf(out, cap, "%s = %.2f", name, p);
}

/* "1 December 2026" */
static void
date_words(const char *iso, char *out, size_t cap)
{
    static const char *const months[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    int32_t d;
    int y, m, dd;
    if (!iso || tether_date_parse(iso, &d)) {
        snprintf(out, cap, "%s", iso ? iso : "");
        return;
    }
    tether_civil_from_days(d, &y, &m, &dd);
    snprintf(out, cap, "%d %s %d", dd, months[m - 1], y);
}

/* How a hazard ratio reads: "about half the rate", "about 1.6 times the
 * rate". */
static void
rate_words(double hr, char *out, size_t cap)
{
    if (hr >= 0.45 && hr <= 0.55)
        snprintf(out, cap, "about half the rate");
    else if (hr >= 0.3 && hr <= 0.36)
        snprintf(out, cap, "about a third of the rate");
    else if (hr >= 1.85 && hr <= 2.15)
        snprintf(out, cap, "about twice the rate");
    else if (hr < 1)
        snprintf(out, cap, "about %.0f%% of the rate", hr * 100);
    else
        snprintf(out, cap, "about %.1f times the rate", hr);
}

static void
add(char ***v, size_t *n, char *s)
{
    *v = tether_xrealloc(*v, (*n + 2) * sizeof(char *));
    (*v)[(*n)++] = s;
    (*v)[*n] = NULL;
}

/* One sentence of a matched row: retention (promotion 0) or promotion. */
static char *
matched_sentence(const json_t *row, const char *who, int promotion)
{
    const char *verb = promotion ? "were promoted" : "stayed";
    if (!row || !json_is_number(json_object_get(row, M(TETHER_M_ODDS_RATIO))) ||
        !json_is_number(json_object_get(row, M(TETHER_M_MATCHED_COMPARISON_RATE))))
        return tether_xasprintf(
            "%s: too few people to compare with " COMPARISON
            " \xe2\x80\x94 no clear difference can be shown.",
            who);
    double mr = report_jnum(row, M(TETHER_M_MATCHED_MENTORED_RATE)) * 100;
    double cr = report_jnum(row, M(TETHER_M_MATCHED_COMPARISON_RATE)) * 100;
    double p = report_jnum(row, M(TETHER_M_P_VALUE));
    long n = (long)report_jnum(row, M(TETHER_M_MATCHED_N));
    char pw[32];
    p_words(p, "p", pw, sizeof(pw));
    if (report_jbool(row, M(TETHER_M_SMALL)) || !(p < 0.05))
        return tether_xasprintf(
            "%s: %.1f%% of the %ld mentored %s, against %.1f%% of " COMPARISON
            ": %s (%s).",
            who, mr, n, verb, cr,
            report_jbool(row, M(TETHER_M_SMALL))
                ? "a small group, so no clear difference can be claimed"
                : "no clear difference",
            pw);
    double orr = report_jnum(row, M(TETHER_M_ODDS_RATIO));
    return tether_xasprintf(
        "%s: %.1f%% of the %ld mentored %s, against %.1f%% of " COMPARISON
        " (odds of %s %.2f times as high, 95%% interval %.2f to %.2f, %s). "
        "This is an association in the organisation's records, not proof "
        "that mentoring caused it.",
        who, mr, n, verb, cr, promotion ? "promotion" : "leaving", orr,
        report_jnum(row, M(TETHER_M_OR_CI_LOW)), report_jnum(row, M(TETHER_M_OR_CI_HIGH)), pw);
}

/* What following each practice means, for the sentences. */
static const char *const practice_words[TETHER_PRACTICE_COUNT] = {
    [TETHER_PRACTICE_SUMMARY] = "that sent a summary after their calls",
    [TETHER_PRACTICE_MENTEE_CHOSE] =
        "whose mentee took part in choosing the mentor",
    [TETHER_PRACTICE_IMPROMPTU] = "that kept in touch between meetings",
    [TETHER_PRACTICE_MENTEE_REACHED_OUT] =
        "whose mentee reached out between meetings",
    [TETHER_PRACTICE_IN_PERSON] = "that met in person at least once",
    [TETHER_PRACTICE_REASONABLE_HOURS] =
        "that kept their meetings within reasonable hours for both",
};

static const char *
practice_phrase(const char *name)
{
    int k = tether_vocab_find(tether_practice_names, TETHER_PRACTICE_COUNT,
                              name);
    return k < 0 ? name : practice_words[k];
}

char *
report_practice_sentence(const json_t *row)
{
    const char *scope = report_jstr(row, M(TETHER_M_SCOPE));
    const char *who = strcmp(scope, "long_distance") == 0
                          ? "Long-distance pairs"
                          : "Pairs";
    const char *what = practice_phrase(report_jstr(row, M(TETHER_M_PRACTICE)));
    double p = report_jnum(row, M(TETHER_M_P_HOLM)), hr = report_jnum(row, M(TETHER_M_HAZARD_RATIO));
    if (!isfinite(p) || !isfinite(hr))
        return tether_xasprintf("%s %s: no clear difference (too few pairs "
                                "on one side, or not recorded, to test).",
                                who, what);
    char pw[40], rw[64];
    p_words(p, "adjusted p", pw, sizeof(pw));
    if (p >= 0.05 || report_jbool(row, M(TETHER_M_SMALL)))
        return tether_xasprintf("%s %s: %s in how soon they went quiet "
                                "(hazard ratio %.2f, %s).",
                                who, what,
                                report_jbool(row, M(TETHER_M_SMALL))
                                    ? "a small group, so no clear difference "
                                      "can be claimed"
                                    : "no clear difference",
                                hr, pw);
    rate_words(hr, rw, sizeof(rw));
    return tether_xasprintf("%s %s went quiet at %s of the others (hazard "
                            "ratio %.2f, %s).",
                            who, what, rw, hr, pw);
}

char **
report_impact_sentences(const struct report *r)
{
    char **v = tether_xcalloc(1, sizeof(char *));
    size_t n = 0;
    const json_t *imp = impact_of(r);
    if (!imp)
        return v;
    char from[48], to[48];
    date_words(report_jstr(imp, M(TETHER_M_BASELINE)), from, sizeof(from));
    date_words(r->end, to, sizeof(to));
    add(&v, &n,
        tether_xasprintf(
            "Everyone employed on %s is followed to %s. Mentored people "
            "(a mentoring meeting in the 90 days before %s) are compared "
            "with " COMPARISON ". These are associations in the "
            "organisation's own records, not proof of cause.",
            from, to, from));
    const json_t *rm = json_object_get(imp, M(TETHER_M_RETENTION_MATCHED));
    add(&v, &n, matched_sentence(find_row(rm, M(TETHER_M_DIMENSION), "all", NULL, NULL),
                                 "Retention", 0));
    const char *const modes[] = {tether_mode_names[TETHER_MODE_REMOTE],
                                 tether_mode_names[TETHER_MODE_OFFICE]};
    for (int k = 0; k < 2; k++) {
        char who[48];
        snprintf(who, sizeof(who), "Retention of %s employees", modes[k]);
        add(&v, &n,
            matched_sentence(find_row(rm, M(TETHER_M_DIMENSION), TETHER_DIM_WORK_MODE,
                                      M(TETHER_M_SEGMENT), modes[k]),
                             who, 0));
    }
    const json_t *pm = json_object_get(imp, M(TETHER_M_PROMOTION_MATCHED));
    if (json_is_array(pm))
        add(&v, &n, matched_sentence(find_row(pm, M(TETHER_M_DIMENSION), "all",
                                              NULL, NULL),
                                     "Promotion", 1));
    size_t i;
    json_t *note;
    json_array_foreach(json_object_get(imp, M(TETHER_M_NOTES)), i, note) {
        const char *s = json_string_value(note);
        if (s && strstr(s, "Promotion"))
            add(&v, &n, tether_xstrdup(s));
    }
    const json_t *t = json_array_get(json_object_get(imp, M(TETHER_M_SURVIVAL_TESTS)),
                                     0);
    if (t) {
        double p = report_jnum(t, M(TETHER_M_P_VALUE)), hr = report_jnum(t, M(TETHER_M_HAZARD_RATIO));
        char pw[32], rw[64];
        p_words(p, "p", pw, sizeof(pw));
        if (!isfinite(p) || !isfinite(hr))
            add(&v, &n, tether_xstrdup("Pairs with a remote mentee against "
                                       "pairs with an office mentee: too "
                                       "few pairs to compare, no clear "
                                       "difference can be shown."));
        else if (p >= 0.05 || report_jbool(t, M(TETHER_M_SMALL)))
            add(&v, &n,
                tether_xasprintf("Pairs with a remote mentee (%.0f) and "
                                 "pairs with an office mentee (%.0f): %s in "
                                 "how soon they went quiet (hazard ratio "
                                 "%.2f, %s).",
                                 report_jnum(t, M(TETHER_M_REMOTE_PAIRS)),
                                 report_jnum(t, M(TETHER_M_OFFICE_PAIRS)),
                                 report_jbool(t, M(TETHER_M_SMALL))
                                     ? "a small group, so no clear "
                                       "difference can be claimed"
                                     : "no clear difference",
                                 hr, pw));
        else {
            rate_words(hr, rw, sizeof(rw));
            add(&v, &n,
                tether_xasprintf("Pairs with a remote mentee went quiet at "
                                 "%s of pairs with an office mentee (hazard "
                                 "ratio %.2f, %s).",
                                 rw, hr, pw));
        }
    }
    return v;
}

char *
report_impact_headline(const struct report *r)
{
    const json_t *imp = impact_of(r);
    if (!imp)
        return NULL;
    char to[48], who[96];
    date_words(r->end, to, sizeof(to));
    snprintf(who, sizeof(who), "Retention over the %lld days to %s",
             (long long)json_integer_value(json_object_get(imp, M(TETHER_M_HORIZON))),
             to);
    return matched_sentence(find_row(json_object_get(
                                         imp, M(TETHER_M_RETENTION_MATCHED)),
                                     M(TETHER_M_DIMENSION), "all", NULL,
                                     NULL),
                            who, 0);
}

/* ---- the workbook -------------------------------------------------- */

struct sheet {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *pct, *integer, *dec, *bold, *head;
    lxw_error err;
    int filter; /* one table on the sheet: give it an autofilter */
    int tables; /* Excel tables allowed (not in constant-memory mode) */
    int ntables; /* tables made so far: their names are numbered */
};

/* "Retention rate" from retention_rate; the spec's abbreviations kept. */
static void
human(const char *name, char *out, size_t cap)
{
    static const struct {
        enum tether_metric m;
        const char *label;
    } special[] = {
        {TETHER_M_CI_LOW, "95% CI low"},
        {TETHER_M_CI_HIGH, "95% CI high"},
        {TETHER_M_OR_CI_LOW, "Odds ratio CI low"},
        {TETHER_M_OR_CI_HIGH, "Odds ratio CI high"},
        {TETHER_M_P_HOLM, "Holm-adjusted p"},
        {TETHER_M_P_VALUE, "p-value"},
        {TETHER_M_P_TEST, "Test"},
        {TETHER_M_N, "People"},
        {TETHER_M_MATCHED_N, "Matched mentored people"},
        {TETHER_M_SURVIVAL_90, "Survival at 90 days"},
        {TETHER_M_SURVIVAL_180, "Survival at 180 days"},
        {TETHER_M_SURVIVAL_365, "Survival at 365 days"},
        {TETHER_M_SMALL, "Small group"},
        {TETHER_M_DIFF, "Difference (mentored - comparison)"},
        {TETHER_M_MEDIAN_DAYS, "Median days"},
        {TETHER_M_FOLLOWED_SURVIVAL_180,
         "Followed: survival 180 days after day 90"},
        {TETHER_M_NOT_FOLLOWED_SURVIVAL_180,
         "Not followed: survival 180 days after day 90"},
        {TETHER_M_MATCHED_MENTORED_RATE, "Mentored rate (matched)"},
        {TETHER_M_MATCHED_COMPARISON_RATE, "Comparison rate (standardised)"},
    };
    for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
        if (strcmp(tether_metric_names[special[i].m], name) == 0) {
            snprintf(out, cap, "%s", special[i].label);
            return;
        }
    snprintf(out, cap, "%s", name);
    for (char *c = out; *c; c++)
        if (*c == '_')
            *c = ' ';
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
}

static int
is_share(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, "_rate") == 0) ||
           strstr(name, "survival_") || strcmp(name, M(TETHER_M_CI_LOW)) == 0 ||
           strcmp(name, M(TETHER_M_CI_HIGH)) == 0 ||
           strcmp(name, M(TETHER_M_DIFF)) == 0;
}

static void
keep(struct sheet *s, lxw_error e)
{
    if (e != LXW_NO_ERROR && s->err == LXW_NO_ERROR)
        s->err = e;
}

/* Writes list as a table at *row with the columns cols (NULL-ended) under a
 * title line. */
static void
put_list(struct sheet *s, lxw_row_t *row, const char *title,
         const json_t *list, const enum tether_metric *ecols)
{
    const char *cols[24];
    size_t ncols = 0;
    for (; ecols[ncols] != TETHER_M_COUNT && ncols < 23; ncols++)
        cols[ncols] = tether_metric_names[ecols[ncols]];
    cols[ncols] = NULL;
    keep(s, worksheet_write_string(s->ws, (*row)++, 0, title, s->bold));
    size_t nc = 0;
    while (cols[nc])
        nc++;
    size_t nr = json_array_size(list);
    if (!nr) {
        keep(s, worksheet_write_string(s->ws, (*row)++, 0, "(none)", NULL));
        (*row)++;
        return;
    }
    /* Human headers in a header row, made an Excel table (SPEC 4) unless
     * the workbook streams in constant-memory mode, where libxlsxwriter
     * 1.1.4 refuses tables: then a plain range with an autofilter. */
    lxw_row_t first = *row;
    char(*heads)[64] = tether_xcalloc(nc, sizeof(*heads));
    for (size_t c = 0; c < nc; c++) {
        human(cols[c], heads[c], sizeof(heads[c]));
        keep(s, worksheet_write_string(s->ws, first, (lxw_col_t)c, heads[c],
                                       s->head));
    }
    for (size_t i = 0; i < nr; i++) {
        const json_t *o = json_array_get(list, i);
        lxw_row_t rr = first + 1 + (lxw_row_t)i;
        for (size_t c = 0; c < nc; c++) {
            const json_t *v = json_object_get(o, cols[c]);
            lxw_col_t cc = (lxw_col_t)c;
            if (json_is_string(v))
                keep(s, worksheet_write_string(s->ws, rr, cc,
                                               json_string_value(v), NULL));
            else if (json_is_boolean(v))
                keep(s, worksheet_write_string(s->ws, rr, cc,
                                               json_is_true(v) ? "yes" : "no",
                                               NULL));
            else if (json_is_integer(v))
                keep(s, worksheet_write_number(
                            s->ws, rr, cc, (double)json_integer_value(v),
                            s->integer));
            else if (json_is_real(v))
                keep(s, worksheet_write_number(
                            s->ws, rr, cc, json_real_value(v),
                            is_share(cols[c]) ? s->pct : s->dec));
        }
    }
    if (s->tables) {
        lxw_table_column *tc = tether_xcalloc(nc, sizeof(*tc));
        lxw_table_column **tcols = tether_xcalloc(nc + 1, sizeof(*tcols));
        for (size_t c = 0; c < nc; c++) {
            tc[c].header = heads[c];
            tc[c].header_format = s->head;
            tcols[c] = &tc[c];
        }
        char name[32];
        snprintf(name, sizeof(name), "Impact%d", ++s->ntables);
        lxw_table_options opt = {.name = name,
                                 .style_type = LXW_TABLE_STYLE_TYPE_LIGHT,
                                 .style_type_number = 9,
                                 .columns = tcols};
        keep(s, worksheet_add_table(s->ws, first, 0, first + (lxw_row_t)nr,
                                    (lxw_col_t)(nc - 1), &opt));
        free(tcols);
        free(tc);
    } else if (s->filter) {
        keep(s, worksheet_autofilter(s->ws, first, 0, first + (lxw_row_t)nr,
                                     (lxw_col_t)(nc - 1)));
    }
    free(heads);
    *row = first + (lxw_row_t)nr + 2;
}

/* The columns of each table; TETHER_M_COUNT ends a list. */
static const enum tether_metric group_cols_ret[] = {
    TETHER_M_DIMENSION, TETHER_M_SEGMENT, TETHER_M_GROUP, TETHER_M_N,
    TETHER_M_RETAINED, TETHER_M_RETENTION_RATE, TETHER_M_CI_LOW,
    TETHER_M_CI_HIGH, TETHER_M_DIFF, TETHER_M_P_VALUE, TETHER_M_P_TEST,
    TETHER_M_SMALL, TETHER_M_COUNT};
static const enum tether_metric group_cols_pro[] = {
    TETHER_M_DIMENSION, TETHER_M_SEGMENT, TETHER_M_GROUP, TETHER_M_N,
    TETHER_M_PROMOTED, TETHER_M_PROMOTION_RATE, TETHER_M_CI_LOW,
    TETHER_M_CI_HIGH, TETHER_M_DIFF, TETHER_M_P_VALUE, TETHER_M_P_TEST,
    TETHER_M_SMALL, TETHER_M_COUNT};
static const enum tether_metric matched_cols[] = {
    TETHER_M_DIMENSION, TETHER_M_SEGMENT, TETHER_M_MATCHED_N,
    TETHER_M_MATCHED_MENTORED_RATE, TETHER_M_MATCHED_COMPARISON_RATE,
    TETHER_M_ODDS_RATIO, TETHER_M_OR_CI_LOW, TETHER_M_OR_CI_HIGH,
    TETHER_M_P_VALUE, TETHER_M_SMALL, TETHER_M_COUNT};
static const enum tether_metric survival_cols[] = {
    TETHER_M_DIMENSION, TETHER_M_SEGMENT, TETHER_M_PAIRS, TETHER_M_EVENTS,
    TETHER_M_MEDIAN_DAYS, TETHER_M_SURVIVAL_90, TETHER_M_SURVIVAL_180,
    TETHER_M_SURVIVAL_365, TETHER_M_SMALL, TETHER_M_COUNT};
static const enum tether_metric test_cols[] = {
    TETHER_M_TEST, TETHER_M_REMOTE_PAIRS, TETHER_M_OFFICE_PAIRS,
    TETHER_M_HAZARD_RATIO, TETHER_M_P_VALUE, TETHER_M_SMALL, TETHER_M_COUNT};
static const enum tether_metric practice_cols[] = {
    TETHER_M_PRACTICE, TETHER_M_SCOPE, TETHER_M_FOLLOWED_PAIRS,
    TETHER_M_FOLLOWED_EVENTS, TETHER_M_FOLLOWED_SURVIVAL_180,
    TETHER_M_NOT_FOLLOWED_PAIRS, TETHER_M_NOT_FOLLOWED_EVENTS,
    TETHER_M_NOT_FOLLOWED_SURVIVAL_180, TETHER_M_HAZARD_RATIO,
    TETHER_M_P_VALUE, TETHER_M_P_HOLM, TETHER_M_SMALL, TETHER_M_COUNT};

int
report_impact_sheets(const struct report *r, lxw_workbook *wb, int tables,
                     char *errbuf)
{
    const json_t *imp = impact_of(r);
    if (!imp)
        return 0;
    struct sheet s = {.wb = wb, .tables = tables};
    s.pct = workbook_add_format(wb);
    format_set_num_format(s.pct, "0.0%");
    s.integer = workbook_add_format(wb);
    format_set_num_format(s.integer, "0");
    s.dec = workbook_add_format(wb);
    format_set_num_format(s.dec, "0.000");
    s.bold = workbook_add_format(wb);
    format_set_bold(s.bold);
    s.head = workbook_add_format(wb);
    format_set_bold(s.head);
    format_set_bottom(s.head, LXW_BORDER_THIN);
    format_set_text_wrap(s.head);
    for (int k = 0; k < 2; k++) {
        s.ws = workbook_add_worksheet(wb, k ? "Practices" : "Impact");
        if (!s.ws) {
            snprintf(errbuf, TETHER_ERRBUF, "cannot add the %s sheet",
                     k ? "Practices" : "Impact");
            return -1;
        }
        worksheet_set_landscape(s.ws);
        worksheet_fit_to_pages(s.ws, 1, 0);
        keep(&s, worksheet_set_column(s.ws, 0, 0, 20, NULL));
        keep(&s, worksheet_set_column(s.ws, 1, 11, 16, NULL));
        lxw_row_t row = 0;
        const char *intro =
            k ? "Pairs still meeting 90 days after their start: what they did "
                "in those 90 days against how soon they went quiet after "
                "them. Holm-adjusted p over the run's twelve practice tests. "
                "Associations, not proof of cause."
              : "Mentored people against " COMPARISON ". Associations in the "
                "organisation's own records, not proof of cause.";
        keep(&s, worksheet_write_string(s.ws, row++, 0, intro, NULL));
        row++;
        s.filter = k;
        if (k) {
            worksheet_freeze_panes(s.ws, 4, 2);
            put_list(&s, &row, "Practices of the first 90 days",
                     json_object_get(imp, M(TETHER_M_PRACTICES)), practice_cols);
            continue;
        }
        put_list(&s, &row, "Retention", json_object_get(imp, M(TETHER_M_RETENTION)),
                 group_cols_ret);
        put_list(&s, &row, "Retention, matched (department, level, tenure)",
                 json_object_get(imp, M(TETHER_M_RETENTION_MATCHED)), matched_cols);
        if (json_is_array(json_object_get(imp, M(TETHER_M_PROMOTION)))) {
            put_list(&s, &row, "Promotion",
                     json_object_get(imp, M(TETHER_M_PROMOTION)), group_cols_pro);
            put_list(&s, &row,
                     "Promotion, matched (department, level, tenure)",
                     json_object_get(imp, M(TETHER_M_PROMOTION_MATCHED)),
                     matched_cols);
        } else {
            keep(&s, worksheet_write_string(
                         s.ws, row++, 0,
                         "Promotion is not computed (see the notes of the "
                         "run).",
                         NULL));
            row++;
        }
        put_list(&s, &row, "Pair survival (days until a pair went quiet)",
                 json_object_get(imp, M(TETHER_M_SURVIVAL)), survival_cols);
        put_list(&s, &row, "Remote against office mentees (log-rank test)",
                 json_object_get(imp, M(TETHER_M_SURVIVAL_TESTS)), test_cols);
    }
    if (s.err != LXW_NO_ERROR) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot write the impact sheets: %s",
                 lxw_strerror(s.err));
        return -1;
    }
    return 0;
}

/* ---- charts ----------------------------------------------------------- */

#define FONT "DejaVu Sans"
#define F_TITLE FONT " Bold 15"
#define F_AXIS FONT " 11"
#define F_TICK FONT " 10"
#define F_NOTE FONT " 9"

static void
rgb(cairo_t *cr, unsigned x)
{
    cairo_set_source_rgb(cr, (x >> 16 & 0xFF) / 255.0, (x >> 8 & 0xFF) / 255.0,
                         (x & 0xFF) / 255.0);
}

/* Text centred (1), left (0) or right (2) on x, its middle at y. */
static void
text_at(cairo_t *cr, double x, double y, const char *font, const char *t,
        int align)
{
    double w, h;
    report_text_size(cr, font, t, &w, &h);
    double left = align == 1 ? x - w / 2 : align == 2 ? x - w : x;
    report_text(cr, left, y - h / 2, 0, font, t, 0, 0);
}

static void
chart_title(cairo_t *cr, const char *t, const char *sub)
{
    rgb(cr, 0x222222);
    report_text(cr, 20, 12, CHART_W - 40, F_TITLE, t, 0, 0);
    rgb(cr, 0x666666);
    report_text(cr, 20, 36, CHART_W - 40, F_NOTE, sub, 0, 0);
}

/* A percent axis from lo to 1 on [y0, y1] at x0..x1. */
static double
yv(double v, double lo, double y0, double y1)
{
    return y1 - (y1 - y0) * (v - lo) / (1 - lo);
}

static void
pct_axis(cairo_t *cr, double x0, double x1, double y0, double y1, double lo,
         const char *name)
{
    char buf[16];
    cairo_set_line_width(cr, 1);
    for (int i = 0; i <= 5; i++) {
        double v = lo + (1 - lo) * i / 5, y = yv(v, lo, y0, y1);
        rgb(cr, 0xDDDDDD);
        cairo_move_to(cr, x0, y);
        cairo_line_to(cr, x1, y);
        cairo_stroke(cr);
        snprintf(buf, sizeof(buf), "%.0f%%", v * 100);
        rgb(cr, 0x222222);
        text_at(cr, x0 - 6, y, F_TICK, buf, 2);
    }
    cairo_save(cr);
    cairo_translate(cr, 18, (y0 + y1) / 2);
    cairo_rotate(cr, -M_PI / 2);
    text_at(cr, 0, 0, F_AXIS, name, 1);
    cairo_restore(cr);
}

static void
legend(cairo_t *cr, double x, double y, unsigned col, int dashed,
       const char *t, int box)
{
    rgb(cr, col);
    if (box) {
        cairo_rectangle(cr, x, y - 6, 12, 12);
        cairo_fill(cr);
        if (dashed) { /* the comparison's hatching, for greyscale */
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_set_line_width(cr, 1.5);
            for (double d = 3; d < 12; d += 4) {
                cairo_move_to(cr, x + d, y - 6);
                cairo_line_to(cr, x, y - 6 + d);
                cairo_stroke(cr);
            }
        }
    } else {
        cairo_set_line_width(cr, 2.5);
        double dash[] = {6, 3};
        cairo_set_dash(cr, dash, dashed ? 2 : 0, 0);
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x + 18, y);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    rgb(cr, 0x222222);
    text_at(cr, x + 24, y, F_TICK, t, 0);
}

static void
chart_retention(cairo_t *cr, const struct report *r)
{
    chart_title(cr, "Retention: mentored people against similar colleagues",
                "Matched: each mentored person against colleagues of the "
                "same department, level and tenure who had no mentor. "
                "An association, not proof of cause.");
    const json_t *rm = json_object_get(impact_of(r), M(TETHER_M_RETENTION_MATCHED));
    const char *const segs[] = {"all", tether_mode_names[TETHER_MODE_OFFICE],
                                tether_mode_names[TETHER_MODE_HYBRID],
                                tether_mode_names[TETHER_MODE_REMOTE]};
    static const char *const names[] = {"Everyone", "Office", "Hybrid",
                                        "Remote"};
    double lo = 1;
    const json_t *rows[4];
    for (int k = 0; k < 4; k++) {
        rows[k] = find_row(rm, M(TETHER_M_DIMENSION),
                           k ? TETHER_DIM_WORK_MODE : "all",
                           M(TETHER_M_SEGMENT), segs[k]);
        double a = report_jnum(rows[k], M(TETHER_M_MATCHED_MENTORED_RATE)),
               b = report_jnum(rows[k], M(TETHER_M_MATCHED_COMPARISON_RATE));
        if (isfinite(a) && a < lo)
            lo = a;
        if (isfinite(b) && b < lo)
            lo = b;
    }
    if (lo == 1) {
        rgb(cr, 0x666666);
        text_at(cr, CHART_W / 2, CHART_H / 2, F_AXIS,
                "Too few people to compare", 1);
        return;
    }
    /* An axis from a round value below the lowest rate: the differences
     * are a few points, and the axis says where it starts. */
    lo = floor(lo * 10 - 1e-9) / 10;
    if (lo < 0)
        lo = 0;
    double x0 = 80, x1 = CHART_W - 30, y0 = 104, y1 = CHART_H - 70;
    pct_axis(cr, x0, x1, y0, y1, lo, "Still employed at the end");
    double slot = (x1 - x0) / 4;
    for (int k = 0; k < 4; k++) {
        double cx = x0 + slot * (k + 0.5);
        rgb(cr, 0x222222);
        text_at(cr, cx, y1 + 14, F_AXIS, names[k], 1);
        double a = report_jnum(rows[k], M(TETHER_M_MATCHED_MENTORED_RATE)),
               b = report_jnum(rows[k], M(TETHER_M_MATCHED_COMPARISON_RATE));
        char buf[64];
        if (!isfinite(a) || !isfinite(b)) {
            rgb(cr, 0x666666);
            text_at(cr, cx, (y0 + y1) / 2, F_NOTE, "too few to show", 1);
            continue;
        }
        snprintf(buf, sizeof(buf), "%.0f mentored",
                 report_jnum(rows[k], M(TETHER_M_MATCHED_N)));
        rgb(cr, 0x666666);
        text_at(cr, cx, y1 + 30, F_NOTE, buf, 1);
        double bw = slot * 0.32, v[2] = {a, b};
        for (int j = 0; j < 2; j++) {
            double x = cx - bw - 2 + j * (bw + 4), y = yv(v[j], lo, y0, y1);
            rgb(cr, j ? 0x999999 : 0x0072B2);
            cairo_rectangle(cr, x, y, bw, y1 - y);
            cairo_fill(cr);
            snprintf(buf, sizeof(buf), "%.1f%%", v[j] * 100);
            rgb(cr, 0x222222);
            text_at(cr, x + bw / 2, y - 9, F_NOTE, buf, 1);
        }
    }
    legend(cr, x0, 74, 0x0072B2, 0, "Mentored", 1);
    legend(cr, x0 + 120, 74, 0x999999, 0,
           "Similar colleagues without a mentor", 1);
}

/* Draws a step curve [[t, S], ...] from (0, 1) on the plot. */
static void
steps(cairo_t *cr, const json_t *curve, double tmax, double x0, double x1,
      double y0, double y1, unsigned col, int dashed)
{
    rgb(cr, col);
    cairo_set_line_width(cr, 2.5);
    double dash[] = {7, 4};
    cairo_set_dash(cr, dash, dashed ? 2 : 0, 0);
    double s = 1, px = x0;
    cairo_move_to(cr, x0, y0);
    size_t i;
    json_t *pt;
    json_array_foreach((json_t *)curve, i, pt) {
        double t = json_number_value(json_array_get(pt, 0));
        double ns = json_number_value(json_array_get(pt, 1));
        if (t > tmax)
            break;
        px = x0 + (x1 - x0) * t / tmax;
        cairo_line_to(cr, px, y0 + (y1 - y0) * (1 - s));
        cairo_line_to(cr, px, y0 + (y1 - y0) * (1 - ns));
        s = ns;
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

static double
curve_end(const json_t *curve)
{
    const json_t *last = json_array_get(curve, json_array_size(curve) - 1);
    return last ? json_number_value(json_array_get(last, 0)) : 0;
}

/* A Kaplan-Meier panel of two curves at (px, py) of size w x h. */
static void
km_panel(cairo_t *cr, double px, double py, double w, double h,
         const json_t *c1, const json_t *c2, const char *name, int ticks,
         const char *empty)
{
    double tmax = fmax(curve_end(c1), curve_end(c2));
    tmax = tmax <= 90 ? 90 : ceil(tmax / 90) * 90;
    double x0 = px + (ticks ? 44 : 8), x1 = px + w - 8, y0 = py + 22,
           y1 = py + h - 22;
    rgb(cr, 0x222222);
    if (name)
        text_at(cr, (x0 + x1) / 2, py + 8, F_TICK, name, 1);
    if (!json_array_size(c1) && !json_array_size(c2)) {
        rgb(cr, 0x666666);
        text_at(cr, (px + px + w) / 2, (y0 + y1) / 2, F_NOTE,
                empty ? empty : "no pair went quiet, or too few to show", 1);
        return;
    }
    cairo_set_line_width(cr, 1);
    char buf[16];
    for (int i = 0; i <= 4; i++) {
        double y = y0 + (y1 - y0) * i / 4;
        rgb(cr, 0xDDDDDD);
        cairo_move_to(cr, x0, y);
        cairo_line_to(cr, x1, y);
        cairo_stroke(cr);
        rgb(cr, 0x222222);
        snprintf(buf, sizeof(buf), "%d%%", 100 - 25 * i);
        text_at(cr, x0 - 4, y, F_NOTE, buf, 2);
    }
    int nt = (int)(tmax / 90);
    int every = nt > 6 ? 2 : 1;
    for (int i = 0; i <= nt; i += every) {
        double x = x0 + (x1 - x0) * i * 90 / tmax;
        snprintf(buf, sizeof(buf), "%d", i * 90);
        rgb(cr, 0x222222);
        text_at(cr, x, y1 + 10, F_NOTE, buf, 1);
    }
    steps(cr, c2, tmax, x0, x1, y0, y1, 0xE69F00, 1);
    steps(cr, c1, tmax, x0, x1, y0, y1, 0x0072B2, 0);
}

static void
chart_survival(cairo_t *cr, const struct report *r)
{
    chart_title(cr, "How long pairs keep meeting: remote against office "
                    "mentees",
                "Kaplan-Meier: share of pairs not yet gone quiet, by days "
                "since their start (a pair that ended is not counted as "
                "gone quiet)");
    const json_t *sv = json_object_get(impact_of(r), M(TETHER_M_SURVIVAL));
    const json_t *a = find_row(sv, M(TETHER_M_DIMENSION), TETHER_DIM_WORK_MODE,
                               M(TETHER_M_SEGMENT),
                               tether_mode_names[TETHER_MODE_REMOTE]);
    const json_t *b = find_row(sv, M(TETHER_M_DIMENSION), TETHER_DIM_WORK_MODE,
                               M(TETHER_M_SEGMENT),
                               tether_mode_names[TETHER_MODE_OFFICE]);
    km_panel(cr, 20, 74, CHART_W - 40, CHART_H - 110,
             json_object_get(a, M(TETHER_M_CURVE)), json_object_get(b, M(TETHER_M_CURVE)), NULL,
             1, NULL);
    rgb(cr, 0x222222);
    text_at(cr, CHART_W / 2, CHART_H - 14, F_AXIS, "Days since the start", 1);
    legend(cr, 90, 62, 0x0072B2, 0, "Remote mentees", 0);
    legend(cr, 260, 62, 0xE69F00, 1, "Office mentees", 0);
}

static void
chart_practices(cairo_t *cr, const struct report *r)
{
    chart_title(cr, "Practices of long-distance pairs and how long they "
                    "last",
                "Pairs 3+ clock hours apart still meeting at day 90: share "
                "not yet gone quiet, by days after day 90");
    const json_t *pr = json_object_get(impact_of(r), M(TETHER_M_PRACTICES));
    static const char *const titles[TETHER_PRACTICE_COUNT] = {
        [TETHER_PRACTICE_SUMMARY] = "Summary after calls",
        [TETHER_PRACTICE_MENTEE_CHOSE] = "Mentee chose",
        [TETHER_PRACTICE_IMPROMPTU] = "Contact between meetings",
        [TETHER_PRACTICE_MENTEE_REACHED_OUT] = "Mentee reached out",
        [TETHER_PRACTICE_IN_PERSON] = "Met in person",
        [TETHER_PRACTICE_REASONABLE_HOURS] = "Reasonable hours"};
    double w = (CHART_W - 40) / 3, h = (CHART_H - 104) / 2;
    for (int k = 0; k < 6; k++) {
        const json_t *row = find_row(pr, M(TETHER_M_PRACTICE),
                                     tether_practice_names[k],
                                     M(TETHER_M_SCOPE), "long_distance");
        km_panel(cr, 20 + w * (k % 3), 78 + h * (k / 3), w, h,
                 json_object_get(row, M(TETHER_M_FOLLOWED_CURVE)),
                 json_object_get(row, M(TETHER_M_NOT_FOLLOWED_CURVE)), titles[k],
                 1,
                 k == TETHER_PRACTICE_MENTEE_REACHED_OUT &&
                         !json_is_number(
                             json_object_get(row, M(TETHER_M_P_VALUE)))
                     ? "not recorded: sender unknown"
                     : NULL);
    }
    legend(cr, 90, 62, 0x0072B2, 0, "Followed", 0);
    legend(cr, 220, 62, 0xE69F00, 1, "Not followed", 0);
    rgb(cr, 0x666666);
    text_at(cr, CHART_W - 20, CHART_H - 12, F_NOTE,
            "An association, not proof of cause", 2);
}

void
report_impact_chart(cairo_t *cr, const struct report *r, enum chart_id id)
{
    if (!impact_of(r)) {
        rgb(cr, 0x666666);
        text_at(cr, CHART_W / 2, CHART_H / 2, F_AXIS,
                "This run has no impact figures", 1);
        return;
    }
    if (id == CHART_RETENTION)
        chart_retention(cr, r);
    else if (id == CHART_SURVIVAL)
        chart_survival(cr, r);
    else
        chart_practices(cr, r);
}
