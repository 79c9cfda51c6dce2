/* options.c - the values of the analysis options of SPEC section 3, parsed
 * once for every program that takes them (tether-report passes them to the
 * analysis it renders). */
#include "tether/analysis.h"

#include <stdio.h>
#include <string.h>

#include "tether/cli.h"
#include "tether/err.h"
#include "tether/timeutil.h"
#include "tether/util.h"

int
tether_analysis_parse_hours(const char *s, int *a, int *b)
{
    unsigned h1, m1, h2, m2;
    char tail;
    if (sscanf(s, "%2u:%2u-%2u:%2u%c", &h1, &m1, &h2, &m2, &tail) != 4)
        return -1;
    if (h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59 || (h1 == 24 && m1) ||
        (h2 == 24 && m2))
        return -1;
    *a = (int)(h1 * 60 + m1);
    *b = (int)(h2 * 60 + m2);
    return *a == *b ? -1 : 0;
}

static int
parse_count(const char *s, int *out, long min, long max)
{
    long n;
    if (tether_parse_long(s, &n) || n < min || n > max)
        return -1;
    *out = (int)n;
    return 0;
}

enum tether_err
tether_analysis_option(struct tether_analysis_params *p, const char *name,
                       const char *arg, char *errbuf)
{
    const char *bad = NULL;
    if (strcmp(name, "fiscal-start") == 0) {
        if ((p->fiscal_start = tether_cli_month(arg)) < 0)
            bad = "is not a month";
    } else if (strcmp(name, "org-timezone") == 0) {
        if (tether_tz_valid(arg))
            p->org_tz = arg;
        else
            bad = "is not an IANA time zone";
    } else if (strcmp(name, "grace-days") == 0) {
        if (parse_count(arg, &p->grace_days, 0, 100000))
            bad = "is not a whole number of days";
    } else if (strcmp(name, "at-risk-factor") == 0 ||
               strcmp(name, "inactive-factor") == 0) {
        double *f = name[0] == 'a' ? &p->at_risk_factor : &p->inactive_factor;
        if (tether_parse_double(arg, f) || *f <= 0)
            bad = "is not a positive number";
    } else if (strcmp(name, "min-group") == 0 ||
               strcmp(name, "reference-min") == 0) {
        if (parse_count(arg, name[0] == 'm' ? &p->min_group
                                            : &p->reference_min,
                        1, 100000))
            bad = "is not a whole number of at least 1";
    } else if (strcmp(name, "trend") == 0) {
        if (parse_count(arg, &p->trend, 1, 100))
            bad = "is not a number of periods from 1 to 100";
    } else if (strcmp(name, "program") == 0) {
        p->program = arg;
    } else if (strcmp(name, "horizon") == 0) {
        if (parse_count(arg, &p->horizon, 1, 100000))
            bad = "is not a whole number of days";
    } else if (strcmp(name, "long-distance-hours") == 0) {
        if (tether_parse_double(arg, &p->long_distance_hours) ||
            p->long_distance_hours < 0 || p->long_distance_hours > 12)
            bad = "is not a number of hours from 0 to 12";
    } else if (strcmp(name, "work-hours") == 0 ||
               strcmp(name, "reasonable-hours") == 0) {
        int ok = name[0] == 'w'
                     ? tether_analysis_parse_hours(arg, &p->work_start, &p->work_end)
                     : tether_analysis_parse_hours(arg, &p->reasonable_start,
                                   &p->reasonable_end);
        if (ok != 0)
            bad = "is not a time window (HH:MM-HH:MM)";
    } else {
        return TETHER_ERR_NOTFOUND;
    }
    if (bad) {
        /* "'13' is not a month", as tether-analyze says it. */
        if (strcmp(name, "fiscal-start") == 0)
            snprintf(errbuf, TETHER_ERRBUF, "'%s' %s", arg, bad);
        else
            snprintf(errbuf, TETHER_ERRBUF, "--%s: '%s' %s", name, arg, bad);
        return TETHER_ERR_USAGE;
    }
    return TETHER_OK;
}
