/* analysis.h - the analysis library (analysis/, build/libtether-analysis.a):
 * the figures of SPEC section 3 for one period, computed and stored as a
 * run. tether-analyze prints runs; tether-report renders them and runs the
 * analysis itself when no stored run fits. */
#ifndef TETHER_ANALYSIS_H
#define TETHER_ANALYSIS_H

#include <sqlite3.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include "tether/err.h"
#include "tether/period.h"

/* Every option of SPEC section 3, with its default from
 * tether_analysis_params_default. Times of day are minutes after midnight. */
struct tether_analysis_params {
    struct tether_period period;
    const char *org_tz;      /* --org-timezone, default "UTC" */
    int fiscal_start;        /* --fiscal-start month, 1 = calendar */
    int grace_days;          /* 14 */
    double at_risk_factor;   /* 1.5 */
    double inactive_factor;  /* 2 */
    int min_group;           /* 5 */
    int reference_min;       /* --reference-min, 0 = SPEC 3.2's default */
    const char *program;     /* --program: only its pairs; NULL = all */
    int work_start, work_end;             /* 09:00-17:00 */
    int reasonable_start, reasonable_end; /* 08:00-18:00 */
    const char *const *by;   /* --by dimensions besides work_mode */
    size_t nby;
    int trend;               /* --trend N, 0 = none */
    int publish;             /* --publish: the run leaves HR (SPEC 3.3) */
    /* Program impact (SPEC 3.7). */
    int horizon;                 /* --horizon DAYS, 365 */
    double long_distance_hours;  /* --long-distance-hours H, 3 */
    const char *const *level_order; /* --level-order L1,L2,..., or NULL */
    size_t nlevel_order;
};

/* "HH:MM-HH:MM" into minutes after midnight in *a and *b: 0, or -1 when
 * it is no such window (or an empty one). */
int tether_analysis_parse_hours(const char *s, int *a, int *b);

void tether_analysis_params_default(struct tether_analysis_params *p);

/* Parses the value arg of the analysis option --name (fiscal-start,
 * org-timezone, grace-days, at-risk-factor, inactive-factor, min-group,
 * reference-min, trend, program, work-hours, reasonable-hours) into p;
 * arg must outlive p. TETHER_ERR_NOTFOUND when name is none of these,
 * TETHER_ERR_USAGE with errbuf set ("--grace-days: 'x' is not a whole
 * number of days") on a bad value. */
enum tether_err tether_analysis_option(struct tether_analysis_params *p,
                                       const char *name, const char *arg,
                                       char *errbuf);

/* Runs the analysis of p->period, stores it (runs, pair_health, metrics)
 * and returns its run id in *run. TETHER_ERR_USAGE when p asks for what
 * cannot be (a --by that is no dimension, an unknown zone), TETHER_ERR_DB
 * otherwise; the details in errbuf (TETHER_ERRBUF bytes). */
enum tether_err tether_analysis_run(sqlite3 *db,
                                    const struct tether_analysis_params *p,
                                    int64_t *run, char *errbuf);

/* The id of the latest stored run of exactly this period in *run, 0 when
 * there is none. A query that fails is TETHER_ERR_DB (errbuf), not "no
 * run". */
enum tether_err tether_analysis_latest_run(sqlite3 *db,
                                           const struct tether_period *period,
                                           int64_t *run, char *errbuf);

/* The latest stored run made with exactly the options of p (the period
 * and every threshold, --by, --trend and --program) after the last import,
 * in *run; 0 when there is none. A query that fails is TETHER_ERR_DB
 * (errbuf), not "no run". */
enum tether_err tether_analysis_find_run(sqlite3 *db,
                                         const struct tether_analysis_params *p,
                                         int64_t *run, char *errbuf);
/* The CPU seconds the last tether_analysis_run spent in the differencing
 * rule of SPEC 3.3 (rule 3, the published runs loaded): what make bench
 * reports beside the whole analysis. */
double tether_analysis_disclosure_seconds(void);

/* The phases of a run, timed when TETHER_BENCH is set (make bench and
 * the profiling of README's Performance section): tether_analysis_phase
 * ends the phase under way, naming it, and starts the next; the first
 * call only starts. Each is wall time and the calling thread's CPU, so a
 * phase that waits for another thread or the trend's child shows it as
 * wall without CPU. tether_analysis_phases_print writes one line per
 * phase, in order, to f. Nothing is timed without TETHER_BENCH. */
void tether_analysis_phase(const char *name);
/* A thread's own part (its CPU seconds and its wall time from start to
 * end) added as a line of its own, as thread_cpu_seconds measured it. */
void tether_analysis_phase_thread(const char *name, double wall, double cpu);
/* The calling thread's CPU seconds and a monotonic clock's, for it. */
double tether_analysis_thread_cpu(void);
double tether_analysis_wall(void);
void tether_analysis_phases_print(FILE *f, const char *prog);

/* *published: whether a stored run is already published. Reads only, so
 * a read-only connection can ask. TETHER_OK, or TETHER_ERR_DB. */
enum tether_err tether_analysis_is_published(sqlite3 *db, int64_t run,
                                             int *published, char *errbuf);

/* Marks a stored run published (SPEC 3.3), unless a run published after
 * it was checked without it: then *ok is 0 and nothing changes (the
 * caller runs the analysis anew with publish set). TETHER_OK, or
 * TETHER_ERR_DB with errbuf set. */
enum tether_err tether_analysis_publish(sqlite3 *db, int64_t run, int *ok,
                                        char *errbuf);

#endif
