/* analyze.h - the analysis of one period, as tether-analyze prints it and
 * as tether-report runs it when no stored run exists. tether-report links
 * this folder's library for that one purpose. */
#ifndef TETHER_ANALYZE_H
#define TETHER_ANALYZE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "tether/period.h"

/* Every option of SPEC section 3, with its default from
 * analyze_params_default. Times of day are minutes after midnight. */
struct analyze_params {
    struct tether_period period;
    const char *org_tz;      /* --org-timezone, default "UTC" */
    int fiscal_start;        /* --fiscal-start month, 1 = calendar */
    int grace_days;          /* 14 */
    double at_risk_factor;   /* 1.5 */
    double inactive_factor;  /* 2 */
    int min_group;           /* 5 */
    int work_start, work_end;             /* 09:00-17:00 */
    int reasonable_start, reasonable_end; /* 08:00-18:00 */
    const char *const *by;   /* --by dimensions besides work_mode */
    size_t nby;
    int trend;               /* --trend N, 0 = none */
};

void analyze_params_default(struct analyze_params *p);

/* Runs the analysis of p->period, stores it (runs, pair_health, metrics)
 * and returns its run id in *run. 0 on success, -1 with errbuf set. */
int analyze_run(sqlite3 *db, const struct analyze_params *p, int64_t *run,
                char *errbuf);

/* The id of the latest stored run of exactly this period, or 0. */
int64_t analyze_latest_run(sqlite3 *db, const struct tether_period *period);

#endif
