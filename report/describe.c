/* describe.c - the words that say which analysis a report renders
 * ("analysis of 2026Q3 by department and site, with four quarters of
 * trend, run on 1 December 2026"), and the report's ways of writing
 * numbers in sentences. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "describe.h"
#include "tether/period.h"
#include "tether/timeutil.h"

static const char *const month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

void
report_date_words(const char *iso, char *out, size_t cap)
{
    int32_t d;
    int y, m, day;
    char ymd[11];
    snprintf(ymd, sizeof(ymd), "%.10s", iso);
    if (tether_date_parse(ymd, &d)) {
        snprintf(out, cap, "%s", iso);
        return;
    }
    tether_civil_from_days(d, &y, &m, &day);
    snprintf(out, cap, "%d %s %d", day, month_names[m - 1], y);
}

void
report_count_words(long n, char *out, size_t cap)
{
    /* Style guides spell out one to nine; larger numbers stay digits. */
    static const char *const words[10] = {"no",   "one", "two",  "three",
                                          "four", "five", "six", "seven",
                                          "eight", "nine"};
    if (n >= 0 && n < 10)
        snprintf(out, cap, "%s", words[n]);
    else
        snprintf(out, cap, "%ld", n);
}

void
report_p_words(double p, char *out, size_t cap)
{
    if (!isfinite(p))
        snprintf(out, cap, "p unknown");
    else if (p < 0.001)
        snprintf(out, cap, "p < 0.001");
    else if (p < 0.01)
        snprintf(out, cap, "p = %.3f", p);
    else
        snprintf(out, cap, "p = %.2f", p);
}

int
report_to_date(const struct report *r)
{
    /* A quarter whose stored end comes before the quarter's last day was
     * analysed while it was still running (tether-report cuts it at
     * today). */
    const char *label = report_jstr(r->params, "period");
    struct tether_period q;
    int32_t end;
    double fs = report_jnum(r->params, "fiscal_start");
    if (!*label || strchr(label, '.') ||
        tether_period_quarter(&q, label, isfinite(fs) ? (int)fs : 1) ||
        tether_date_parse(r->end, &end))
        return 0;
    return end < q.end;
}

/* Appends the list "a", "a and b", "a, b and c" of the array's strings. */
static void
append_list(struct tether_buf *b, const json_t *a)
{
    size_t n = json_array_size(a);
    for (size_t i = 0; i < n; i++) {
        const char *s = json_string_value(json_array_get(a, i));
        tether_buf_printf(b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ",
                          s ? s : "");
    }
}

void
report_describe(const struct report *r, struct tether_buf *b)
{
    const char *label = report_jstr(r->params, "period");
    char d1[32], d2[32];
    if (*label && !strchr(label, '.'))
        tether_buf_printf(b, "analysis of %s", label);
    else {
        report_date_words(r->start, d1, sizeof(d1));
        report_date_words(r->end, d2, sizeof(d2));
        tether_buf_printf(b, "analysis of %s to %s", d1, d2);
    }
    if (report_to_date(r)) {
        report_date_words(r->end, d2, sizeof(d2));
        tether_buf_printf(b, " to date (the quarter has not ended: figures "
                          "up to %s)",
                          d2);
    }
    const char *program = report_jstr(r->params, "program");
    if (*program)
        tether_buf_printf(b, " for the program %s", program);
    const json_t *by = json_object_get(r->params, "by");
    if (json_array_size(by)) {
        tether_buf_printf(b, " by ");
        append_list(b, by);
    }
    double trend = report_jnum(r->params, "trend");
    if (isfinite(trend) && trend > 1) {
        char n[16];
        report_count_words((long)trend, n, sizeof(n));
        tether_buf_printf(b, ", with %s %s of trend", n,
                          *label && !strchr(label, '.') ? "quarters"
                                                        : "periods");
    }
    report_date_words(r->created_at, d1, sizeof(d1));
    tether_buf_printf(b, ", run on %s", d1);
}

/* Column headers in words: what a reader of the workbook sees, where the
 * CSV files keep the names of the spec. */
static const char *const header_words[][2] = {
    {"pair_id", "Pair"},
    {"program", "Program"},
    {"status", "Status"},
    {"started_on", "Started"},
    {"ended_on", "Ended"},
    {"cadence_days", "Cadence (days)"},
    {"mentee_chose", "Mentee chose the mentor"},
    {"days_active", "Days active"},
    {"meetings", "Meetings"},
    {"minutes", "Minutes"},
    {"contacts", "Contacts"},
    {"last_meeting", "Last meeting"},
    {"last_contact", "Last contact"},
    {"days_quiet", "Days quiet"},
    {"cadence_adherence", "Cadence adherence"},
    {"engagement", "Engagement (0-100)"},
    {"bridge", "Remote with on-site"},
    {"tz_gap_hours", "Time-zone gap (hours)"},
    {"overlap_hours", "Working-hours overlap (hours)"},
    {"off_hours", "Off-hours meetings"},
    {"off_hours_mentor", "Off hours for the mentor"},
    {"off_hours_mentee", "Off hours for the mentee"},
    {"in_person_share", "In person"},
    {"impromptu_share", "Impromptu"},
    {"summary_rate", "Followed by a summary"},
    {"satisfaction", "Satisfaction"},
    {"dimension", "Dimension"},
    {"segment", "Segment"},
    {"headcount", "Headcount"},
    {"mentees", "Mentees"},
    {"mentors", "Mentors"},
    {"participants", "Participants"},
    {"participation_rate", "Participation rate"},
    {"participation_rate_ci_low", "Participation rate, 95% CI low"},
    {"participation_rate_ci_high", "Participation rate, 95% CI high"},
    {"reference", "Reference segment"},
    {"small", "Below the reference size"},
    {"shortfall", "Participants short of four-fifths"},
    {"inclusion_ratio", "Inclusion ratio"},
    {"flagged", "Below four-fifths"},
    {"p_value", "p-value"},
    {"p_test", "Test"},
    {"pairs", "Pairs"},
    {"meetings_per_pair_month", "Meetings per pair per month"},
    {"median_days_quiet", "Median days quiet"},
    {"quiet_share", "Quiet pairs"},
    {"mean_engagement", "Mean engagement"},
    {"bridge_share", "Remote with on-site pairs"},
    {"mentee_chose_share", "Mentee chose the mentor (share)"},
    {"off_hours_share", "Off-hours meetings (share)"},
    {"construct", "Construct"},
    {"suppressed", "Suppressed"},
    {"homogeneous", "All one answer"},
    {"n", "Respondents"},
    {"answers", "Answers"},
    {"mean", "Mean"},
    {"sd", "Standard deviation"},
    {"ci_low", "Mean, 95% CI low"},
    {"ci_high", "Mean, 95% CI high"},
    {"favourable", "Favourable"},
    {"nps", "NPS"},
    {"promoters", "Promoters"},
    {"passives", "Passives"},
    {"detractors", "Detractors"},
    {"diff", "Difference of means (remote - office)"},
    {"cohens_d", "Cohen's d"},
    {"nps_diff", "NPS difference (points)"},
    {"nps_diff_ci_low", "NPS difference, 95% CI low"},
    {"nps_diff_ci_high", "NPS difference, 95% CI high"},
    {"import", "Import"},
    {"kind", "Kind"},
    {"format", "Format"},
    {"path", "File"},
    {"imported_at", "Imported at"},
    {"rows_read", "Rows read"},
    {"loaded", "Loaded"},
    {"duplicates", "Duplicates"},
    {"updated", "Updated"},
    {"unchanged", "Unchanged"},
    {"skipped", "Skipped"},
    {"rejected", "Rejected"},
    {"line", "Line"},
    {"column", "Column"},
    {"reason", "Reason"},
    {"raw", "Row as read"},
    {"period", "Period"},
    {"figure", "Figure"},
    {"value", "Value"},
    {"id", "ID"},
    {"name", "Name"},
    {"email", "E-mail"},
    {"work_mode", "Work mode"},
    {"department", "Department"},
    {"site", "Site"},
    {"level", "Level"},
    {"rate", "Participation rate"},
    {"ratio", "Inclusion ratio"}};

static const char *
header_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof(header_words) / sizeof(header_words[0]);
         i++)
        if (strcmp(header_words[i][0], name) == 0)
            return header_words[i][1];
    return NULL;
}

void
report_header(const char *name, char *out, size_t cap)
{
    const char *w = header_lookup(name);
    if (w) {
        snprintf(out, cap, "%s", w);
        return;
    }
    if (strncmp(name, "counts.", 7) == 0) {
        snprintf(out, cap, "Answers of %s", name + 7);
        return;
    }
    /* mentor_name -> "Mentor", mentee_p_value -> "Mentee p-value". */
    if ((strncmp(name, "mentor_", 7) == 0 ||
         strncmp(name, "mentee_", 7) == 0) &&
        (w = header_lookup(name + 7))) {
        if (strcmp(name + 7, "name") == 0)
            snprintf(out, cap, "%s", name[5] == 'r' ? "Mentor" : "Mentee");
        else
            snprintf(out, cap, "%s %c%s", name[5] == 'r' ? "Mentor" : "Mentee",
                     strcmp(w, "ID") == 0 || w[0] < 'A' || w[0] > 'Z'
                         ? w[0]
                         : (char)(w[0] - 'A' + 'a'),
                     w + 1);
        return;
    }
    /* Any other name: its words, the first capitalised. */
    size_t j = 0;
    for (const char *s = name; *s && j + 1 < cap; s++, j++)
        out[j] = *s == '_' || *s == '.' ? ' ' : *s;
    out[j] = '\0';
    if (j && out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
}
