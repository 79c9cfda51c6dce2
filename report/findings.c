/* findings.c - the headline findings of a run as sentences: the PDF
 * report's first section and the workbook's Summary sheet. */
#include "describe.h"
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
add(char ***v, size_t *n, char *s)
{
    *v = tether_xrealloc(*v, (*n + 2) * sizeof(char *));
    (*v)[(*n)++] = s;
    (*v)[*n] = NULL;
}

const char *
report_construct_words(const char *c)
{
    return strcmp(c, tether_construct_names[TETHER_CONSTRUCT_GOAL_PROGRESS]) ==
                   0
               ? "goal progress"
           : strcmp(c, tether_construct_names[TETHER_CONSTRUCT_NPS]) == 0
               ? "the program (NPS)"
               : c;
}

/* Active pairs by status, over every work mode. */
static void
status_totals(const struct report_facts *f, long st[TETHER_STATUS_COUNT])
{
    for (int s = 0; s < TETHER_STATUS_COUNT; s++)
        st[s] = 0;
    for (int m = 0; m <= TETHER_MODE_COUNT; m++)
        for (int s = 0; s < TETHER_STATUS_COUNT; s++)
            st[s] += f->status[m][s];
}

/* The pairs by status. */
static void
pairs_finding(const struct report *r, char ***v, size_t *n)
{
    const struct report_facts *f = &r->facts;
    long st[TETHER_STATUS_COUNT];
    status_totals(f, st);
    add(v, n,
        tether_xasprintf(
            "%ld mentoring pair%s %s active in the period: %ld "
            "meeting regularly, %ld new, %ld ended, %ld at "
            "risk, %ld inactive and %ld that never met.",
            f->pairs, f->pairs == 1 ? "" : "s", f->pairs == 1 ? "was" : "were",
            st[TETHER_STATUS_ACTIVE], st[TETHER_STATUS_NEW],
            st[TETHER_STATUS_ENDED], st[TETHER_STATUS_AT_RISK],
            st[TETHER_STATUS_INACTIVE], st[TETHER_STATUS_NEVER_MET]));
}

/* Remote against office, then the verdict against the reference when
 * that is another work mode, and any other work mode below four-fifths
 * of its reference (SPEC 4). */
static void
inclusion_findings(const struct report *r, char ***v, size_t *n)
{
    char *wm = report_workmode_sentence(r);
    if (wm)
        add(v, n, wm);
    for (int m = 0; m < TETHER_MODE_COUNT; m++) {
        const json_t *s =
            report_inclusion(r, TETHER_DIM_WORK_MODE, tether_mode_names[m]);
        const char *ref = report_jstr(s, tether_metric_names[TETHER_M_REFERENCE]);
        if (!s || (m == TETHER_MODE_REMOTE &&
                   strcmp(ref, tether_mode_names[TETHER_MODE_OFFICE]) == 0))
            continue;
        if (m != TETHER_MODE_REMOTE &&
            !report_jbool(s, tether_metric_names[TETHER_M_FLAGGED]))
            continue;
        char *x = report_reference_sentence(r, TETHER_DIM_WORK_MODE,
                                            tether_mode_names[m]);
        if (x)
            add(v, n, x);
    }
}

/* The pairs that need follow-up. */
static void
followup_finding(const struct report *r, char ***v, size_t *n)
{
    long st[TETHER_STATUS_COUNT];
    status_totals(&r->facts, st);
    long quiet = st[TETHER_STATUS_AT_RISK] + st[TETHER_STATUS_INACTIVE] +
                 st[TETHER_STATUS_NEVER_MET];
    if (quiet == 0)
        add(v, n,
            tether_xstrdup("No pair needs follow-up: none is inactive, at "
                           "risk or without a first meeting."));
    else
        add(v, n,
            tether_xasprintf(
                "%ld pair%s %s gone quiet and need%s "
                "follow-up: %ld inactive, %ld never met and "
                "%ld at risk (listed under Pair health).",
                quiet, quiet == 1 ? "" : "s", quiet == 1 ? "has" : "have",
                quiet == 1 ? "s" : "", st[TETHER_STATUS_INACTIVE],
                st[TETHER_STATUS_NEVER_MET], st[TETHER_STATUS_AT_RISK]));
}

/* Meeting frequency, remote against office mentees. */
static void
meetings_finding(const struct report *r, char ***v, size_t *n)
{
    const json_t *rem = report_inclusion(r, TETHER_DIM_WORK_MODE,
                                         tether_mode_names[TETHER_MODE_REMOTE]),
                 *off = report_inclusion(r, TETHER_DIM_WORK_MODE,
                                         tether_mode_names[TETHER_MODE_OFFICE]);
    double mr = report_jnum(
               rem, tether_metric_names[TETHER_M_MEETINGS_PER_PAIR_MONTH]),
           mo = report_jnum(
               off, tether_metric_names[TETHER_M_MEETINGS_PER_PAIR_MONTH]);
    if (!isnan(mr) && !isnan(mo))
        add(v, n,
            tether_xasprintf("Pairs with remote mentees met %.2f times a "
                             "month, against %.2f for office mentees.",
                             mr, mo));
}

/* Meetings outside reasonable hours, remote against office mentees. */
static void
off_hours_finding(const struct report *r, char ***v, size_t *n)
{
    const struct report_facts *f = &r->facts;
    if (f->tz_meetings[TETHER_MODE_REMOTE] > 0 &&
        f->tz_meetings[TETHER_MODE_OFFICE] > 0)
        add(v, n,
            tether_xasprintf(
                "%.0f%% of the meetings of pairs with remote mentees started "
                "outside reasonable hours for at least one side, against "
                "%.0f%% for office mentees.",
                100.0 * (double)f->off_any[TETHER_MODE_REMOTE] /
                    (double)f->tz_meetings[TETHER_MODE_REMOTE],
                100.0 * (double)f->off_any[TETHER_MODE_OFFICE] /
                    (double)f->tz_meetings[TETHER_MODE_OFFICE]));
}

/* The survey comparisons, and the groups suppressed. */
static void
survey_findings(const struct report *r, char ***v, size_t *n)
{
    char p[32];
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(r->result, "survey_comparisons"), i, c)
    {
        double d = report_jnum(c, tether_metric_names[TETHER_M_DIFF]);
        if (report_jbool(c, tether_metric_names[TETHER_M_SUPPRESSED]) ||
            isnan(d))
            continue;
        report_p_words(report_jnum(c, tether_metric_names[TETHER_M_P_VALUE]),
                       p, sizeof(p));
        const char *con =
            report_jstr(c, tether_metric_names[TETHER_M_CONSTRUCT]);
        if (strcmp(con, tether_construct_names[TETHER_CONSTRUCT_NPS]) == 0) {
            /* NPS in points of the score, never the 0-10 mean (SPEC 3.3). */
            char *x = report_nps_sentence(r, c);
            if (x)
                add(v, n, x);
            continue;
        }
        if (fabs(d) < 0.005)
            add(v, n,
                tether_xasprintf("Remote and office respondents rate %s "
                                 "the same (%s).",
                                 report_construct_words(con), p));
        else
            add(v, n,
                tether_xasprintf(
                    "Remote respondents rate %s %.2f %s %s "
                    "than office respondents (%s%s).",
                    report_construct_words(con), fabs(d), "points",
                    d < 0 ? "lower" : "higher",
                    p,
                    report_jnum(c, tether_metric_names[TETHER_M_P_VALUE]) >=
                            0.05
                        ? ", not significant"
                        : ""));
    }
    long suppressed = 0;
    json_array_foreach(json_object_get(r->result, "surveys"), i, c)
        suppressed += report_jbool(c, tether_metric_names[TETHER_M_SUPPRESSED]) ||
                      report_jbool(c, tether_metric_names[TETHER_M_HOMOGENEOUS]);
    if (suppressed)
        add(v, n,
            tether_xasprintf("%ld survey group%s had fewer than %d "
                             "respondents (or would reveal one that had) "
                             "and %s not shown.",
                             suppressed, suppressed == 1 ? "" : "s",
                             r->min_group, suppressed == 1 ? "is" : "are"));
}

char **
report_findings(const struct report *r)
{
    char **v = NULL;
    size_t n = 0;
    add(&v, &n, NULL);
    n = 0;
    pairs_finding(r, &v, &n);
    inclusion_findings(r, &v, &n);
    followup_finding(r, &v, &n);
    meetings_finding(r, &v, &n);
    off_hours_finding(r, &v, &n);
    survey_findings(r, &v, &n);
    /* Program impact: the matched retention, 3.7's headline. */
    char *imp = report_impact_headline(r);
    if (imp)
        add(&v, &n, imp);
    return v;
}

void
report_findings_free(char **f)
{
    if (!f)
        return;
    for (size_t i = 0; f[i]; i++)
        free(f[i]);
    free(f);
}
