/* sentences.c - the headline sentences that need more than one figure:
 * remote against office participation with the people it takes to reach
 * four-fifths, the verdict against the reference segment, and the NPS
 * comparison in NPS points (SPEC 3.2, 3.3, 4). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "describe.h"
#include "tether/util.h"
#include "tether/vocab.h"

void
report_signed(double v, char *out, size_t cap)
{
    /* A true minus sign; "+" marks a positive score. */
    double r = round(v);
    if (r < 0)
        snprintf(out, cap, "\xe2\x88\x92%.0f", -r);
    else
        snprintf(out, cap, "%s%.0f", r > 0 ? "+" : "", r);
}

/* The participants segment (H, P) needs to reach four-fifths of the rate
 * of (Href, Pref), in integers as SPEC 3.2's shortfall:
 * max(0, ceil(4 Pref H / (5 Href)) - P). */
static long
shortfall(long h, long p, long href, long pref)
{
    if (href <= 0)
        return 0;
    long long num = 4LL * pref * h, den = 5LL * href;
    long long need = (num + den - 1) / den - p;
    return need > 0 ? (long)need : 0;
}

char *
report_workmode_sentence(const struct report *r)
{
    const json_t *rem = report_inclusion(r, TETHER_DIM_WORK_MODE, tether_mode_names[TETHER_MODE_REMOTE]),
                 *off = report_inclusion(r, TETHER_DIM_WORK_MODE, tether_mode_names[TETHER_MODE_OFFICE]);
    double rr = report_jnum(rem, tether_metric_names[TETHER_M_PARTICIPATION_RATE]),
           ro = report_jnum(off, tether_metric_names[TETHER_M_PARTICIPATION_RATE]);
    if (!rem || !off || !isfinite(rr) || !isfinite(ro) || ro <= 0)
        return NULL;
    long h = (long)report_jnum(rem, tether_metric_names[TETHER_M_HEADCOUNT]),
         p = (long)report_jnum(rem, tether_metric_names[TETHER_M_PARTICIPANTS]),
         href = (long)report_jnum(off, tether_metric_names[TETHER_M_HEADCOUNT]),
         pref = (long)report_jnum(off, tether_metric_names[TETHER_M_PARTICIPANTS]);
    long need = shortfall(h, p, href, pref);
    char pw[40] = "";
    /* The analysis tests remote against its reference: the p-value
     * belongs here only when that is office. */
    if (strcmp(report_jstr(rem, tether_metric_names[TETHER_M_REFERENCE]), tether_mode_names[TETHER_MODE_OFFICE]) == 0) {
        char p_text[32];
        report_p_words(report_jnum(rem, tether_metric_names[TETHER_M_P_VALUE]), p_text, sizeof(p_text));
        snprintf(pw, sizeof(pw), " (%s)", p_text);
    }
    struct tether_buf b = {0};
    tether_buf_printf(&b,
                      "Remote employees take part at %.0f%% of the rate of "
                      "office employees (%.0f%% against %.0f%% of "
                      "headcount), ",
                      100.0 * rr / ro, 100.0 * rr, 100.0 * ro);
    if (need > 0)
        tether_buf_printf(&b,
                          "below four-fifths of it%s: %ld more remote "
                          "participant%s would close the gap.",
                          pw, need, need == 1 ? "" : "s");
    else
        tether_buf_printf(&b, "at or above four-fifths of it%s.", pw);
    char *s = tether_xstrdup(b.data);
    tether_buf_free(&b);
    return s;
}

/* A segment in words: "remote employees", "Sales (department)". */
static void
segment_words(const char *dim, const char *seg, char *out, size_t cap)
{
    if (strcmp(dim, TETHER_DIM_WORK_MODE) == 0)
        snprintf(out, cap, "%s employees", seg);
    else
        snprintf(out, cap, "%s (%s)", seg, dim);
}

char *
report_reference_sentence(const struct report *r, const char *dim,
                          const char *segment)
{
    const json_t *s = report_inclusion(r, dim, segment);
    const char *ref = report_jstr(s, tether_metric_names[TETHER_M_REFERENCE]);
    if (!s || !*ref || strcmp(ref, segment) == 0)
        return NULL;
    const json_t *rs = report_inclusion(r, dim, ref);
    double ratio = report_jnum(s, tether_metric_names[TETHER_M_INCLUSION_RATIO]);
    if (!rs || !isfinite(ratio))
        return NULL;
    char pw[32], sw[160], rw[160];
    report_p_words(report_jnum(s, tether_metric_names[TETHER_M_P_VALUE]), pw, sizeof(pw));
    segment_words(dim, segment, sw, sizeof(sw));
    segment_words(dim, ref, rw, sizeof(rw));
    long need = (long)report_jnum(s, tether_metric_names[TETHER_M_SHORTFALL]);
    int flagged = report_jbool(s, tether_metric_names[TETHER_M_FLAGGED]);
    struct tether_buf b = {0};
    tether_buf_printf(&b,
                      "Against the four-fifths reference, %s (the highest "
                      "rate, %.0f%%, of the groups large enough to set the "
                      "bar), %s take part at %.0f%% of that rate, %s the "
                      "four-fifths threshold (%s)",
                      rw, 100.0 * report_jnum(rs, tether_metric_names[TETHER_M_PARTICIPATION_RATE]), sw,
                      100.0 * ratio, flagged ? "below" : "within", pw);
    if (flagged && need > 0)
        tether_buf_printf(&b, "; %ld more participant%s would close the gap",
                          need, need == 1 ? "" : "s");
    tether_buf_printf(&b, ".");
    char *out = tether_xstrdup(b.data);
    tether_buf_free(&b);
    return out;
}

char *
report_nps_sentence(const struct report *r, const json_t *cmp)
{
    double d = report_jnum(cmp, tether_metric_names[TETHER_M_NPS_DIFF]),
           lo = report_jnum(cmp, tether_metric_names[TETHER_M_NPS_DIFF_CI_LOW]),
           hi = report_jnum(cmp, tether_metric_names[TETHER_M_NPS_DIFF_CI_HIGH]);
    const json_t *rem = report_survey(r, tether_construct_names[TETHER_CONSTRUCT_NPS], TETHER_DIM_WORK_MODE, tether_mode_names[TETHER_MODE_REMOTE]),
                 *off = report_survey(r, tether_construct_names[TETHER_CONSTRUCT_NPS], TETHER_DIM_WORK_MODE, tether_mode_names[TETHER_MODE_OFFICE]);
    double nr = report_jnum(rem, tether_metric_names[TETHER_M_NPS]), no = report_jnum(off, tether_metric_names[TETHER_M_NPS]);
    if (!isfinite(d) || !isfinite(nr) || !isfinite(no))
        return NULL;
    int sig = isfinite(lo) && isfinite(hi) && (lo > 0 || hi < 0);
    char a[16], b[16], l[16], h[16];
    report_signed(nr, a, sizeof(a));
    report_signed(no, b, sizeof(b));
    report_signed(lo, l, sizeof(l));
    report_signed(hi, h, sizeof(h));
    if (fabs(d) < 0.5)
        return tether_xasprintf(
            "Remote and office respondents give the program the same Net "
            "Promoter Score (%s).",
            b);
    return tether_xasprintf(
        "Remote respondents give the program a Net Promoter Score of %s, "
        "against %s for office respondents: %.0f NPS points %s (95%% "
        "interval %s to %s points%s).",
        a, b, fabs(d), d < 0 ? "lower" : "higher", l, h,
        sig ? "" : ", not significant");
}

/* Appends s (allocated) to the NULL-terminated list *v of *n. */
static void
push(char ***v, size_t *n, char *s)
{
    *v = tether_xrealloc(*v, (*n + 2) * sizeof(char *));
    (*v)[(*n)++] = s;
    (*v)[*n] = NULL;
}

char **
report_next_steps(const struct report *r)
{
    const struct report_facts *f = &r->facts;
    char **v = tether_xcalloc(1, sizeof(char *));
    size_t n = 0;
    long st[TETHER_STATUS_COUNT] = {0};
    for (int m = 0; m <= TETHER_MODE_COUNT; m++)
        for (int s = 0; s < TETHER_STATUS_COUNT; s++)
            st[s] += f->status[m][s];
    long never = st[TETHER_STATUS_NEVER_MET],
         inactive = st[TETHER_STATUS_INACTIVE],
         at_risk = st[TETHER_STATUS_AT_RISK];
    if (never > 0)
        push(&v, &n,
             tether_xasprintf("Call the %ld pair%s that never met: a match "
                              "that has not started in %s is best re-matched "
                              "or restarted with a first meeting booked.",
                              never, never == 1 ? "" : "s",
                              never == 1 ? "its first weeks" : "the first "
                                                               "weeks"));
    if (inactive + at_risk > 0)
        push(&v, &n,
             tether_xasprintf("Ask the %ld inactive and %ld at-risk pair%s "
                              "for a meeting this month (the follow-up list, "
                              "by program, has both people's e-mails).",
                              inactive, at_risk,
                              inactive + at_risk == 1 ? "" : "s"));
    const json_t *rem = report_inclusion(r, TETHER_DIM_WORK_MODE, tether_mode_names[TETHER_MODE_REMOTE]),
                 *off = report_inclusion(r, TETHER_DIM_WORK_MODE, tether_mode_names[TETHER_MODE_OFFICE]);
    if (rem && off) {
        long need = shortfall((long)report_jnum(rem, tether_metric_names[TETHER_M_HEADCOUNT]),
                              (long)report_jnum(rem, tether_metric_names[TETHER_M_PARTICIPANTS]),
                              (long)report_jnum(off, tether_metric_names[TETHER_M_HEADCOUNT]),
                              (long)report_jnum(off, tether_metric_names[TETHER_M_PARTICIPANTS]));
        if (need > 0)
            push(&v, &n,
                 tether_xasprintf("Recruit %ld more remote employee%s as "
                                  "mentors or mentees: that brings remote "
                                  "participation to four-fifths of the "
                                  "office rate.",
                                  need, need == 1 ? "" : "s"));
    }
    int rm = TETHER_MODE_REMOTE;
    if (f->tz_meetings[rm] > 0 &&
        (double)f->off_any[rm] / (double)f->tz_meetings[rm] >= 0.2)
        push(&v, &n,
             tether_xasprintf("Help long-distance pairs find hours that suit "
                              "both sides: %.0f%% of remote mentees' meetings "
                              "start outside reasonable hours for one of the "
                              "two.",
                              100.0 * (double)f->off_any[rm] /
                                  (double)f->tz_meetings[rm]));
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(r->result, "survey_comparisons"), i,
                       c) {
        if (strcmp(report_jstr(c, tether_metric_names[TETHER_M_CONSTRUCT]),
                   tether_construct_names[TETHER_CONSTRUCT_NPS]) != 0 ||
            report_jbool(c, tether_metric_names[TETHER_M_SUPPRESSED]))
            continue;
        double hi = report_jnum(c, tether_metric_names[TETHER_M_NPS_DIFF_CI_HIGH]);
        if (isfinite(hi) && hi < 0)
            push(&v, &n,
                 tether_xasprintf("Ask remote participants what would make "
                                  "the program worth recommending: their NPS "
                                  "is %.0f points below office's.",
                                  -report_jnum(c, tether_metric_names[TETHER_M_NPS_DIFF])));
    }
    if (n == 0)
        push(&v, &n,
             tether_xstrdup("Nothing needs action this quarter: keep the "
                            "cadence and look at the trend next quarter."));
    return v;
}
