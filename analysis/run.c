/* analyze.c - one analysis run: the period's pair health, inclusion,
 * surveys and trend, stored in runs, pair_health and metrics in one
 * transaction. */
#include "tether/analysis.h"
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tether/db.h"
#include "tether/timeutil.h"
#include "tether/util.h"

void
tether_analysis_params_default(struct tether_analysis_params *p)
{
    memset(p, 0, sizeof(*p));
    tether_period_last_ended(&p->period, tether_date_today(), 1);
    p->org_tz = "UTC";
    p->fiscal_start = 1;
    p->grace_days = 14;
    p->at_risk_factor = 1.5;
    p->inactive_factor = 2;
    p->min_group = 5;
    p->work_start = 9 * 60;
    p->work_end = 17 * 60;
    p->reasonable_start = 8 * 60;
    p->reasonable_end = 18 * 60;
    p->horizon = 365;
    p->long_distance_hours = 3;
}

static json_t *
date_json(int32_t d)
{
    char buf[TETHER_DATE_LEN];
    tether_date_format(d, buf);
    return json_string(buf);
}

static json_t *
hhmm(int a, int b)
{
    char buf[16];
    snprintf(buf, sizeof(buf), "%02u:%02u-%02u:%02u", (unsigned)(a / 60) % 100u,
             (unsigned)(a % 60), (unsigned)(b / 60) % 100u,
             (unsigned)(b % 60));
    return json_string(buf);
}

static json_t *
params_json(const struct tether_analysis_params *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "period", json_string(p->period.label));
    json_object_set_new(o, "org_timezone", json_string(p->org_tz));
    json_object_set_new(o, "fiscal_start", json_integer(p->fiscal_start));
    json_object_set_new(o, "grace_days", json_integer(p->grace_days));
    json_object_set_new(o, "at_risk_factor", json_real(p->at_risk_factor));
    json_object_set_new(o, "inactive_factor", json_real(p->inactive_factor));
    json_object_set_new(o, "min_group", json_integer(p->min_group));
    json_object_set_new(o, "reference_min", json_integer(p->reference_min));
    json_object_set_new(o, "program",
                        p->program ? json_string(p->program) : json_null());
    json_object_set_new(o, "work_hours", hhmm(p->work_start, p->work_end));
    json_object_set_new(o, "reasonable_hours",
                        hhmm(p->reasonable_start, p->reasonable_end));
    json_t *by = json_array();
    for (size_t i = 0; i < p->nby; i++)
        json_array_append_new(by, json_string(p->by[i]));
    json_object_set_new(o, "by", by);
    json_object_set_new(o, "trend", json_integer(p->trend));
    json_object_set_new(o, "horizon", json_integer(p->horizon));
    json_object_set_new(o, "long_distance_hours",
                        json_real(p->long_distance_hours));
    json_t *lo = json_array();
    for (size_t i = 0; i < p->nlevel_order; i++)
        json_array_append_new(lo, json_string(p->level_order[i]));
    json_object_set_new(o, "level_order", lo);
    return o;
}

static json_t *
period_json(const struct tether_period *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "label", json_string(p->label));
    json_object_set_new(o, "start", date_json(p->start));
    json_object_set_new(o, "end", date_json(p->end));
    json_object_set_new(o, "as_of", date_json(p->end));
    return o;
}

static json_t *
summary_json(const struct period_run *r)
{
    long st[TETHER_STATUS_COUNT] = {0}, meetings = 0, days = 0;
    double eng = 0;
    for (size_t i = 0; i < r->npairs; i++) {
        st[r->pairs[i].status]++;
        meetings += r->pairs[i].meetings;
        days += r->pairs[i].days_active;
        eng += r->pairs[i].engagement;
    }
    json_t *o = json_object();
    jset(o, TETHER_M_PAIRS, json_integer((json_int_t)r->npairs));
    json_t *s = json_object();
    for (int i = 0; i < TETHER_STATUS_COUNT; i++)
        json_object_set_new(s, tether_status_names[i], json_integer(st[i]));
    json_object_set_new(o, "status", s);
    jset(o, TETHER_M_MEETINGS_PER_PAIR_MONTH,
                        jnum(days ? (double)meetings * 30 / (double)days
                                  : NAN));
    jset(o, TETHER_M_MEAN_ENGAGEMENT,
                        jnum(r->npairs ? eng / (double)r->npairs : NAN));
    json_t *hours = json_object(), *hm = json_array(), *he = json_array();
    for (int h = 0; h < 24; h++) {
        json_array_append_new(hm, json_integer(r->hour_mentor[h]));
        json_array_append_new(he, json_integer(r->hour_mentee[h]));
    }
    json_object_set_new(hours, "mentor", hm);
    json_object_set_new(hours, "mentee", he);
    json_object_set_new(hours, "unknown", json_integer(r->hours_unknown));
    json_object_set_new(o, "meeting_hours", hours);
    return o;
}

/* The analysis of one period as the 3.6 object without pairs. */
static json_t *
counts_json(const struct disclosure_counts *k)
{
    json_t *o = json_object();
    json_object_set_new(o, "complementary", json_integer(k->complementary));
    json_object_set_new(o, "differencing", json_integer(k->differencing));
    json_object_set_new(o, "homogeneous", json_integer(k->homogeneous));
    json_object_set_new(o, "published_views", json_integer(k->views));
    json_object_set_new(o, "warnings", json_integer(k->warnings));
    json_object_set_new(o, "inexact", json_integer(k->inexact));
    return o;
}

static double disclosure_seconds;

double
tether_analysis_disclosure_seconds(void)
{
    return disclosure_seconds;
}

/* Sets up the working state of one period (its pairs come from
 * pairs_scan). */
static void
period_init(struct ctx *c, struct period_run *r,
            const struct tether_period *period, int64_t run)
{
    memset(r, 0, sizeof(*r));
    r->period = *period;
    r->run = run;
    r->start_ts = zone_midnight(c->p->org_tz, period->start);
    r->end_ts = zone_midnight(c->p->org_tz, period->end + 1);
}

/* The analysis of one period, its pairs scanned, as the 3.6 object
 * without pairs; NULL with c->errbuf set. */
static json_t *
period_result(struct ctx *c, struct period_run *r)
{
    struct disclosure_counts counts;
    memset(&counts, 0, sizeof(counts));
    json_t *sv = NULL, *cmp = NULL;
    if (segments_assign(c, r))
        return NULL;
    tether_analysis_phase("segments");
    json_t *inc = inclusion_build(c, r);
    tether_analysis_phase("inclusion");
    if (surveys_build(c, r, &sv, &cmp, &counts)) {
        json_decref(inc);
        return NULL;
    }
    tether_analysis_phase("surveys");
    json_t *res = json_object();
    json_object_set_new(res, "period", period_json(&r->period));
    json_object_set_new(res, "summary", summary_json(r));
    json_object_set_new(res, "inclusion", inc);
    json_object_set_new(res, "surveys", sv);
    json_object_set_new(res, "survey_comparisons", cmp);
    json_object_set_new(res, "disclosure", counts_json(&counts));
    disclosure_seconds += counts.seconds;
    return res;
}

/* The survey means of the headline (3.4) from a period's surveys list:
 * a new array. */
static json_t *
survey_means(json_t *surveys)
{
    json_t *means = json_array();
    json_t *seg;
    size_t i;
    json_array_foreach(surveys, i, seg)
    {
        if (strcmp(json_string_value(jget(seg, TETHER_M_DIMENSION)),
                   TETHER_DIM_WORK_MODE) != 0)
            continue;
        json_t *x = json_object();
        jcopy(x, TETHER_M_CONSTRUCT, jget(seg, TETHER_M_CONSTRUCT));
        jcopy(x, TETHER_M_SEGMENT, jget(seg, TETHER_M_SEGMENT));
        jcopy(x, TETHER_M_SUPPRESSED, jget(seg, TETHER_M_SUPPRESSED));
        if (json_is_true(jget(seg, TETHER_M_HOMOGENEOUS)))
            jset(x, TETHER_M_HOMOGENEOUS, json_true());
        else if (!json_is_true(jget(seg, TETHER_M_SUPPRESSED))) {
            jcopy(x, TETHER_M_N, jget(seg, TETHER_M_N));
            jcopy(x, TETHER_M_MEAN, jget(seg, TETHER_M_MEAN));
        }
        json_array_append_new(means, x);
    }
    return means;
}

/* The survey means of an earlier period of the trend (its segments
 * assigned here); NULL with c->errbuf set. */
static json_t *
period_means(struct ctx *c, struct period_run *r)
{
    struct disclosure_counts counts;
    memset(&counts, 0, sizeof(counts));
    json_t *sv = NULL, *cmp = NULL;
    if (segments_assign(c, r) || surveys_build(c, r, &sv, &cmp, &counts))
        return NULL;
    json_t *means = survey_means(sv);
    json_decref(sv);
    json_decref(cmp);
    return means;
}

/* The headline figures of 3.4 from a period's result (its period,
 * summary and inclusion) and its survey means (stolen). */
static json_t *
headline(json_t *res, json_t *means)
{
    json_t *o = json_object();
    json_object_set(o, "period", json_object_get(res, "period"));
    json_t *sum = json_object_get(res, "summary");
    jcopy(o, TETHER_M_PAIRS, jget(sum, TETHER_M_PAIRS));
    json_object_set(o, "status", json_object_get(sum, "status"));
    jcopy(o, TETHER_M_MEETINGS_PER_PAIR_MONTH,
                    jget(sum, TETHER_M_MEETINGS_PER_PAIR_MONTH));
    json_t *part = json_array();
    json_t *seg;
    size_t i;
    json_array_foreach(
        json_object_get(json_object_get(res, "inclusion"), TETHER_DIM_WORK_MODE), i,
        seg)
    {
        json_t *x = json_object();
        jcopy(x, TETHER_M_SEGMENT, jget(seg, TETHER_M_SEGMENT));
        jcopy(x, TETHER_M_PARTICIPATION_RATE,
                        jget(seg, TETHER_M_PARTICIPATION_RATE));
        jcopy(x, TETHER_M_INCLUSION_RATIO,
                        jget(seg, TETHER_M_INCLUSION_RATIO));
        jcopy(x, TETHER_M_FLAGGED, jget(seg, TETHER_M_FLAGGED));
        /* per mentee work mode, for the trend chart of remote vs office */
        jcopy(x, TETHER_M_MEETINGS_PER_PAIR_MONTH,
                        jget(seg, TETHER_M_MEETINGS_PER_PAIR_MONTH));
        json_array_append_new(part, x);
    }
    json_object_set_new(o, "participation", part);
    json_object_set_new(o, "survey_means", means);
    return o;
}

static int
metric(sqlite3_stmt *st, const char *section, const char *dim,
       const char *seg, const char *construct, const char *name, json_t *v)
{
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, section, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, dim, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, seg, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, construct, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, name, -1, SQLITE_TRANSIENT);
    if (json_is_number(v))
        sqlite3_bind_double(st, 6, json_number_value(v));
    else if (json_is_boolean(v))
        sqlite3_bind_int(st, 6, json_is_true(v));
    else
        sqlite3_bind_null(st, 6);
    return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

/* Every figure of a segment object, one metrics row each. */
static int
metrics_of(sqlite3_stmt *st, const char *section, const char *dim,
           json_t *seg)
{
    const char *name = json_string_value(jget(seg, TETHER_M_SEGMENT));
    json_t *cj = jget(seg, TETHER_M_CONSTRUCT);
    const char *construct = cj ? json_string_value(cj) : "";
    const char *key;
    json_t *v;
    json_object_foreach(seg, key, v)
    {
        if (!json_is_number(v) && !json_is_boolean(v) && !json_is_null(v))
            continue;
        if (metric(st, section, dim ? dim : json_string_value(jget(
                                                 seg, TETHER_M_DIMENSION)),
                   name ? name : "", construct, key, v))
            return -1;
    }
    return 0;
}

static int
store_metrics(sqlite3 *db, int64_t run, json_t *res, char *errbuf)
{
    sqlite3_stmt *st;
    if (tether_db_prepare(db,
                          "INSERT OR REPLACE INTO metrics (run, section, "
                          "dimension, segment, construct, name, value) "
                          "VALUES (?7, ?1, ?2, ?3, ?4, ?5, ?6)",
                          &st, errbuf))
        return -1;
    sqlite3_bind_int64(st, 7, run);
    int rc = 0;
    const char *dim;
    json_t *list, *seg;
    size_t i;
    json_object_foreach(json_object_get(res, "inclusion"), dim, list)
    {
        json_array_foreach(list, i, seg) rc |=
            metrics_of(st, "inclusion", dim, seg);
    }
    json_array_foreach(json_object_get(res, "surveys"), i, seg) rc |=
        metrics_of(st, "surveys", NULL, seg);
    json_array_foreach(json_object_get(res, "survey_comparisons"), i, seg)
        rc |= metrics_of(st, "comparisons", NULL, seg);
    json_t *sum = json_object_get(res, "summary");
    rc |= metric(st, "summary", "", "", "", tether_metric_names[TETHER_M_PAIRS],
                 jget(sum, TETHER_M_PAIRS));
    rc |= metric(st, "summary", "", "", "",
                 tether_metric_names[TETHER_M_MEETINGS_PER_PAIR_MONTH],
                 jget(sum, TETHER_M_MEETINGS_PER_PAIR_MONTH));
    rc |= metric(st, "summary", "", "", "", tether_metric_names[TETHER_M_MEAN_ENGAGEMENT],
                 jget(sum, TETHER_M_MEAN_ENGAGEMENT));
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(sum, "status"), key, v) rc |=
        metric(st, "summary", "status", key, "",
               tether_metric_names[TETHER_M_PAIRS], v);
    rc |= impact_store(st, json_object_get(res, "impact"));
    if (rc)
        snprintf(errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc ? -1 : 0;
}

/* The earlier periods of the trend, the previous first (runs[1] is the
 * period before the run's). */
static void
trend_period(const struct tether_analysis_params *p, int k,
             struct tether_period *out)
{
    tether_period_previous(&p->period, k, p->fiscal_start, out);
}

/* The survey means of the trend's earlier periods, oldest first: a new
 * array of arrays, NULL with c->errbuf set. */
static json_t *
trend_means(struct ctx *c, const struct tether_analysis_params *p)
{
    json_t *all = json_array();
    for (int k = p->trend - 1; k >= 1; k--) {
        struct tether_period prev;
        trend_period(p, k, &prev);
        struct period_run r;
        period_init(c, &r, &prev, 0);
        json_t *means = period_means(c, &r);
        period_run_free(c, &r);
        if (!means) {
            json_decref(all);
            return NULL;
        }
        json_array_append_new(all, means);
    }
    return all;
}

/* The trend's earlier periods: the pair figures of every period come from
 * the one scan of the pairs and contacts (pairs_scan), but the surveys of
 * each period are read and controlled on their own, most of a period's
 * work once the scan is shared. A child process on the second core works
 * out the earlier periods' survey means while this one scans the pairs
 * and works out the period itself. A process, not a thread: the surveys'
 * code keeps state per process (disclosure_seconds), and when it was
 * written the zone cache was one per process too (it is one per thread
 * now, see core/timeutil.c: the scan's reader is a thread). The child
 * opens its own read-only connection (it never touches the parent's)
 * and, in WAL mode, reads exactly what the parent's write transaction
 * began with: no other writer can commit while the parent holds the
 * write lock, and the parent commits only after the child has answered.
 * The answer comes back as JSON with doubles to 17 digits, which read
 * back to the same values. */
struct trend_child {
    pid_t pid; /* 0: none */
    int fd;    /* the answer's pipe */
};

int
db_is_wal(sqlite3 *db)
{
    sqlite3_stmt *st;
    int wal = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) ==
        SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *m = (const char *)sqlite3_column_text(st, 0);
            wal = m && strcmp(m, "wal") == 0;
        }
        sqlite3_finalize(st);
    }
    return wal;
}

/* In the child: the trend on a connection of its own, written to fd. */
static void
trend_child_run(struct ctx *c, const struct tether_analysis_params *p,
                const char *path, int fd)
{
    char errbuf[TETHER_ERRBUF];
    sqlite3 *db;
    int ok = 0;
    if (tether_db_open(&db, path, TETHER_DB_READ, errbuf) == TETHER_OK &&
        tether_db_exec(db, "BEGIN", errbuf) == TETHER_OK) {
        c->db = db;
        c->errbuf = errbuf;
        json_t *trend = trend_means(c, p);
        char *text = trend ? json_dumps(trend, JSON_COMPACT |
                                                   JSON_REAL_PRECISION(17))
                           : NULL;
        ok = text && tether_write_all(fd, text, strlen(text)) == 0;
    }
    /* _exit: no atexit handlers, no flushing of the parent's stdio
     * buffers, no closing of the parent's connection. */
    _exit(ok ? 0 : 1);
}

static void
trend_start(struct ctx *c, const struct tether_analysis_params *p,
            struct trend_child *t)
{
    t->pid = 0;
    const char *path = sqlite3_db_filename(c->db, "main");
    int fds[2];
    if (p->trend < 2 || !path || !*path || !db_is_wal(c->db) || pipe(fds))
        return;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        trend_child_run(c, p, path, fds[1]);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return;
    }
    t->pid = pid;
    t->fd = fds[0];
}

/* The child's trend, or NULL when it failed (the caller works it out
 * itself, with its own error messages). */
static json_t *
trend_finish(struct trend_child *t)
{
    if (!t->pid)
        return NULL;
    struct tether_buf b = {0};
    int got = tether_buf_read_fd(&b, t->fd);
    close(t->fd);
    int status;
    pid_t w = waitpid(t->pid, &status, 0);
    t->pid = 0;
    json_t *trend = NULL;
    if (got == 0 && w > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
        b.data)
        trend = json_loads(b.data, 0, NULL);
    tether_buf_free(&b);
    if (trend && !json_is_array(trend)) {
        json_decref(trend);
        trend = NULL;
    }
    return trend;
}

static void
trend_abort(struct trend_child *t)
{
    if (!t->pid)
        return;
    kill(t->pid, SIGKILL);
    close(t->fd);
    waitpid(t->pid, NULL, 0);
    t->pid = 0;
}

/* Adds the trend to res: the earlier periods of runs (runs[0] is the
 * period itself), oldest first, with the survey means the child worked
 * out (or, without a child, worked out here). 0, or -1 on a database
 * error. */
static int
trend_attach(struct ctx *c, const struct tether_analysis_params *p,
             struct period_run *runs, size_t nruns, struct trend_child *child,
             json_t *res)
{
    json_t *means = trend_finish(child);
    if (!means && !(means = trend_means(c, p)))
        return -1;
    tether_analysis_phase("trend: wait for the child");
    json_t *trend = json_array();
    for (size_t k = nruns - 1; k >= 1; k--) {
        struct period_run *r = &runs[k];
        if (segments_assign(c, r)) {
            json_decref(means);
            json_decref(trend);
            return -1;
        }
        tether_analysis_phase("trend: segments");
        json_t *old = json_object();
        json_object_set_new(old, "period", period_json(&r->period));
        json_object_set_new(old, "summary", summary_json(r));
        json_object_set_new(old, "inclusion", inclusion_build(c, r));
        tether_analysis_phase("trend: inclusion");
        /* means: oldest first, runs[nruns - 1] */
        json_array_append_new(
            trend,
            headline(old, json_incref(json_array_get(means, nruns - 1 - k))));
        json_decref(old);
    }
    json_decref(means);
    json_array_append_new(
        trend, headline(res, survey_means(json_object_get(res, "surveys"))));
    json_object_set_new(res, "trend", trend);
    return 0;
}

/* Impact's tables (impact_finish: the cohorts' matching, the survival
 * curves and tests, the practices) are worked out on a thread beside the
 * period's segments, inclusion, surveys and trend: they read only the
 * impact's own state and the roster as loaded (never the segments, the
 * connection or the zone cache), so the two share nothing being written. */
struct impact_job {
    struct impact *m;
    json_t *res;
    pthread_t thread;
    int started;
    double wall, cpu; /* the thread's, for TETHER_BENCH */
};

static void *
impact_job_main(void *arg)
{
    struct impact_job *j = arg;
    double w0 = tether_analysis_wall();
    j->res = impact_finish(j->m);
    j->wall = tether_analysis_wall() - w0;
    j->cpu = tether_analysis_thread_cpu();
    tether_tz_thread_end();
    return NULL;
}

static void
impact_job_start(struct impact_job *j, struct impact *m)
{
    j->m = m;
    j->res = NULL;
    j->started = pthread_create(&j->thread, NULL, impact_job_main, j) == 0;
}

/* The impact object (the caller's), worked out here if the thread could
 * not be started. */
static json_t *
impact_job_finish(struct impact_job *j)
{
    if (!j->started)
        return impact_finish(j->m);
    pthread_join(j->thread, NULL);
    tether_analysis_phase_thread("impact: thread", j->wall, j->cpu);
    j->started = 0;
    return j->res;
}

enum tether_err
tether_analysis_run(sqlite3 *db, const struct tether_analysis_params *p,
                    int64_t *run, char *errbuf)
{
    struct ctx c = {0};
    json_t *res = NULL;
    disclosure_seconds = 0;
    char *text = NULL;
    sqlite3_stmt *st = NULL;
    int in_tx = 0;
    struct trend_child child = {0};
    struct period_run *runs = NULL;
    size_t nruns = 0;
    struct impact *imp = NULL;
    struct impact_job ij = {0};
    /* Every failure below but ctx_load's is the database's. */
    enum tether_err rc = TETHER_ERR_DB;
    /* The people are read in the transaction too, so that they and the
     * pairs and contacts are one snapshot even while an import commits. */
    tether_analysis_phase(NULL);
    if (tether_db_exec(db, "BEGIN IMMEDIATE", errbuf))
        goto out;
    in_tx = 1;
    if ((rc = ctx_load(&c, db, p, errbuf)))
        goto out;
    tether_analysis_phase("load the roster");
    trend_start(&c, p, &child); /* before this transaction writes */
    tether_analysis_phase("trend: fork the child");
    rc = TETHER_ERR_DB;
    if (tether_db_prepare(db,
                          "INSERT INTO runs (created_at, period_start, "
                          "period_end, as_of, params, last_import) VALUES "
                          "(?1, ?2, ?3, ?3, ?4, (SELECT coalesce(max(id), 0) "
                          "FROM imports))",
                          &st, errbuf))
        goto out;
    char now[TETHER_TS_LEN];
    tether_ts_format((int64_t)time(NULL), now);
    json_t *pj = params_json(p);
    text = json_dumps(pj, JSON_COMPACT);
    json_decref(pj);
    sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
    tether_db_bind_period(st, 2, &p->period);
    sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        snprintf(errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(db));
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    free(text);
    text = NULL;
    *run = sqlite3_last_insert_rowid(db);
    /* The period and the earlier ones of the trend, the latest first. */
    nruns = p->trend > 1 ? (size_t)p->trend : 1;
    runs = tether_xcalloc(nruns, sizeof(*runs));
    period_init(&c, &runs[0], &p->period, *run);
    for (size_t k = 1; k < nruns; k++) {
        struct tether_period prev;
        trend_period(p, (int)k, &prev);
        period_init(&c, &runs[k], &prev, 0);
    }
    if (!(imp = impact_begin(&c, &p->period)))
        goto out;
    tether_analysis_phase("impact: begin");
    if (pairs_scan(&c, runs, nruns, imp))
        goto out;
    tether_analysis_phase("pairs and contacts");
    impact_job_start(&ij, imp);
    if (!(res = period_result(&c, &runs[0])))
        goto out;
    if (p->trend > 0 && trend_attach(&c, p, runs, nruns, &child, res))
        goto out;
    json_object_set_new(res, "impact", impact_job_finish(&ij));
    tether_analysis_phase("impact: wait for the thread");
    if (store_metrics(db, *run, res, errbuf))
        goto out;
    tether_analysis_phase("store the metrics");
    text = json_dumps(res, JSON_COMPACT | JSON_REAL_PRECISION(12));
    tether_analysis_phase("the result as JSON");
    /* Published in the same transaction: the next run counts it. */
    if (tether_db_prepare(db,
                          "UPDATE runs SET result = ?1, published = ?3 "
                          "WHERE id = ?2",
                          &st, errbuf))
        goto out;
    sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, *run);
    sqlite3_bind_int(st, 3, p->publish != 0);
    if (sqlite3_step(st) != SQLITE_DONE) {
        snprintf(errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(db));
        goto out;
    }
    tether_analysis_phase("store the result");
    if (tether_db_exec(db, "COMMIT", errbuf))
        goto out;
    tether_analysis_phase("commit");
    in_tx = 0;
    rc = TETHER_OK;
out:
    trend_abort(&child);
    if (ij.started)
        json_decref(impact_job_finish(&ij));
    impact_free(imp);
    for (size_t k = 0; k < nruns; k++)
        period_run_free(&c, &runs[k]);
    free(runs);
    sqlite3_finalize(st);
    if (in_tx)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    free(text);
    json_decref(res);
    ctx_free(&c);
    return rc;
}

enum tether_err
tether_analysis_latest_run(sqlite3 *db, const struct tether_period *period,
                           int64_t *run, char *errbuf)
{
    sqlite3_stmt *st;
    enum tether_err rc;
    *run = 0;
    if ((rc = tether_db_prepare(db,
                                "SELECT max(id) FROM runs WHERE period_start "
                                "= ?1 AND period_end = ?2 AND result IS NOT "
                                "NULL",
                                &st, errbuf)))
        return rc;
    char a[TETHER_DATE_LEN], b[TETHER_DATE_LEN];
    tether_date_format(period->start, a);
    tether_date_format(period->end, b);
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *run = sqlite3_column_int64(st, 0);
    } else {
        snprintf(errbuf, TETHER_ERRBUF, "cannot read the stored runs: %s",
                 sqlite3_errmsg(db));
        rc = TETHER_ERR_DB;
    }
    sqlite3_finalize(st);
    return rc;
}

enum tether_err
tether_analysis_is_published(sqlite3 *db, int64_t run, int *published,
                             char *errbuf)
{
    sqlite3_stmt *st;
    *published = 0;
    if (tether_db_prepare(db, "SELECT published FROM runs WHERE id = ?1", &st,
                          errbuf))
        return TETHER_ERR_DB;
    sqlite3_bind_int64(st, 1, run);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *published = sqlite3_column_int(st, 0) == 1;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        snprintf(errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(db));
        return TETHER_ERR_DB;
    }
    return TETHER_OK;
}

enum tether_err
tether_analysis_find_run(sqlite3 *db, const struct tether_analysis_params *p,
                         int64_t *run, char *errbuf)
{
    sqlite3_stmt *st;
    *run = 0;
    /* A run made before the last import describes data that has changed
     * since. Timestamps have whole seconds: a run of the same second as
     * the last import counts as after it, as it nearly always is (an
     * import and a run exclude each other by their write transactions). */
    if (tether_db_prepare(
            db,
            "SELECT id, params, created_at >= coalesce((SELECT "
            "max(imported_at) FROM imports), '') FROM runs WHERE "
            "period_start = ?1 AND period_end = ?2 AND result IS NOT NULL "
            "ORDER BY id DESC",
            &st, errbuf))
        return TETHER_ERR_DB;
    tether_db_bind_period(st, 1, &p->period);
    json_t *want = params_json(p);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        /* Every run of the period is read, so that a runs table that
         * cannot be read is an error, never "no run". */
        int64_t id = sqlite3_column_int64(st, 0);
        if (!sqlite3_column_int(st, 2))
            continue;
        const char *text = (const char *)sqlite3_column_text(st, 1);
        json_t *have = text ? json_loads(text, 0, NULL) : NULL;
        /* json_equal ignores the order of members: runs stored by an
         * older version with fewer options never match. */
        int same = have && json_equal(have, want);
        json_decref(have);
        if (same) {
            *run = id;
            break;
        }
    }
    json_decref(want);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot read the stored runs: %s",
                 sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return TETHER_ERR_DB;
    }
    sqlite3_finalize(st);
    return TETHER_OK;
}

enum tether_err
tether_analysis_publish(sqlite3 *db, int64_t run, int *ok, char *errbuf)
{
    /* A run that was not published was checked against the runs
     * published before it, and only those: publishing it is safe unless
     * one was published after it (that one did not count it). */
    sqlite3_stmt *st;
    *ok = 0;
    if (tether_db_prepare(db,
                          "UPDATE runs SET published = 1 WHERE id = ?1 AND "
                          "result IS NOT NULL AND (published = 1 OR NOT "
                          "EXISTS (SELECT 1 FROM runs WHERE published = 1 "
                          "AND id > ?1))",
                          &st, errbuf))
        return TETHER_ERR_DB;
    sqlite3_bind_int64(st, 1, run);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(db));
        return TETHER_ERR_DB;
    }
    *ok = sqlite3_changes(db) > 0;
    return TETHER_OK;
}
