/* period.h - the reporting period shared by tether-analyze and
 * tether-report: a calendar quarter, a fiscal quarter or a date range. */
#ifndef TETHER_PERIOD_H
#define TETHER_PERIOD_H

#include <stdint.h>

struct tether_period {
    int32_t start; /* first day (day number, see timeutil.h) */
    int32_t end;   /* last day, included; as_of is this day */
    char label[32]; /* "2026Q3", "FY2027Q1" or "2026-07-01..2026-09-30" */
};

/* Parses "2026Q3" (calendar quarter, or fiscal quarter when fiscal_start
 * is 2-12: FY named by the calendar year in which it ends). 0 on success. */
int tether_period_quarter(struct tether_period *p, const char *spec,
                          int fiscal_start);
/* A range of two inclusive dates. 0 on success, -1 when end < start. */
int tether_period_range(struct tether_period *p, int32_t start, int32_t end);
/* The last (fiscal) quarter that ended before today (a day number). */
void tether_period_last_ended(struct tether_period *p, int32_t today,
                              int fiscal_start);
/* The period of the same kind n quarters earlier (n > 0); a date range
 * moves back by its own length. */
void tether_period_previous(const struct tether_period *p, int n,
                            int fiscal_start, struct tether_period *out);

#endif
