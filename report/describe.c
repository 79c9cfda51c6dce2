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
    else
        snprintf(out, cap, "p = %.3f", p);
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
