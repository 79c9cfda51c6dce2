/* main.c - tether-report: the workbook, the charts, the PDF report and the
 * CSV exports of one period, from its latest stored analysis run. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tether/analysis.h"
#include "tether/cli.h"
#include "describe.h"
#include "report.h"
#include "tether/db.h"
#include "tether/period.h"
#include "tether/timeutil.h"

#define PROG "tether-report"

static const char usage[] =
    "usage: tether-report [--db PATH] [PERIOD] [--by DIM,...] [--trend N]\n"
    "                     [--program NAME] [THRESHOLDS] --out DIR [--xlsx]\n"
    "                     [--pdf] [--charts png|svg|pdf] [--csv] "
    "[--anonymize]\n"
    "\n"
    "Write the report of an analysis: its latest stored run with exactly\n"
    "these options made after the last import, or, when there is none, a\n"
    "new run. Options not given are those of the quarterly pack: the last\n"
    "quarter that has ended, --by department,site,level (those the roster\n"
    "has), --trend 4. Without a format option, every format is written.\n"
    "\n"
    "analysis (as tether-analyze; see tether-analyze --help):\n"
    "  --quarter Q         a quarter, e.g. 2026Q3 (default: the last one "
    "ended)\n"
    "  --fiscal-start M    the month in which the fiscal year starts\n"
    "  --from DATE         the first day of a period (YYYY-MM-DD) ...\n"
    "  --to DATE           ... and its last day\n"
    "  --by DIM,...        segment also by these roster columns\n"
    "  --trend N           headline figures of the N periods ending with "
    "this one\n"
    "  --program NAME      only the pairs of this program\n"
    "  --org-timezone ZONE, --grace-days N, --at-risk-factor X,\n"
    "  --inactive-factor X, --min-group N, --reference-min N,\n"
    "  --work-hours HH:MM-HH:MM, --reasonable-hours HH:MM-HH:MM\n"
    "                      the thresholds, with tether-analyze's defaults\n"
    "  --horizon DAYS, --level-order L1,L2,..., --long-distance-hours H\n"
    "                      program impact's options (365, the numbers in\n"
    "                      the levels, 3)\n"
    "\n"
    "output:\n"
    "  --db PATH           the database (default ./tether.db or $TETHER_DB)\n"
    "  --out DIR           the folder to write to (created 0700 if missing)\n"
    "  --xlsx              the Excel workbook tether-PERIOD.xlsx\n"
    "  --pdf               the PDF report tether-PERIOD.pdf\n"
    "  --charts FORMAT     the charts as png (default), svg or pdf\n"
    "  --csv               the metric tables as CSV files\n"
    "  --anonymize         replace names and e-mails by stable pseudonyms\n"
    "                      (keyed by $TETHER_ANON_KEY)\n"
    "  -q, --quiet         no message on stderr but errors\n"
    "  -h, --help          this help\n"
    "  -V, --version       the version\n"
    "\n"
    "The first line on stderr says which analysis is rendered; the paths\n"
    "written are printed on stdout, one per line. Exit status: 0 written;\n"
    "2 usage error; 3 no report (no pair in the period, database or output\n"
    "error).\n";

enum {
    OPT_DB = 256,
    OPT_QUARTER,
    OPT_FROM,
    OPT_TO,
    OPT_BY,
    OPT_ANALYSIS, /* an option of tether_analysis_option, by its name */
    OPT_LEVEL_ORDER,
    OPT_OUT,
    OPT_XLSX,
    OPT_PDF,
    OPT_CHARTS,
    OPT_CSV,
    OPT_ANON
};

/* The exit status of each error (core/cli.c's table; 3: no report). */
static int
exit_status(enum tether_err e)
{
    return tether_cli_exit_status(e, 3);
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static int
usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tether_cli_vusage_error(PROG, NULL, fmt, ap);
    va_end(ap);
    return exit_status(TETHER_ERR_USAGE);
}

/* Creates dir and its missing parents, private to the user. */
static int
make_dir(const char *dir, char *errbuf)
{
    char *p = tether_xstrdup(dir);
    int rc = 0;
    for (char *s = p + 1; *s && rc == 0; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            rc = -1;
        *s = '/';
    }
    if (rc == 0 && mkdir(p, 0700) != 0 && errno != EEXIST)
        rc = -1;
    struct stat sb;
    if (rc == 0 && (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        errno = ENOTDIR;
        rc = -1;
    }
    if (rc)
        snprintf(errbuf, TETHER_ERRBUF, "cannot create '%s': %s", dir,
                 strerror(errno));
    free(p);
    return rc;
}

/* The quarterly pack's --by: department, site and level, those the
 * roster has (a column nobody has a value in is no dimension to show). */
static size_t
default_by(sqlite3 *db, const char **by)
{
    static const char *const sql[3] = {
        "SELECT 1 FROM person_versions WHERE department IS NOT NULL AND "
        "department <> '' LIMIT 1",
        "SELECT 1 FROM person_versions WHERE site IS NOT NULL AND site <> '' "
        "LIMIT 1",
        "SELECT 1 FROM person_attributes WHERE name = 'level' LIMIT 1"};
    static const char *const names[3] = {"department", "site", "level"};
    size_t n = 0;
    for (int i = 0; i < 3; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, sql[i], -1, &st, NULL) != SQLITE_OK)
            continue;
        if (sqlite3_step(st) == SQLITE_ROW)
            by[n++] = names[i];
        sqlite3_finalize(st);
    }
    return n;
}

/* The names of the pairs' programs, comma-separated, into b. */
static void
program_names(sqlite3 *db, struct tether_buf *b)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT DISTINCT program FROM pairs WHERE program "
                           "IS NOT NULL ORDER BY program LIMIT 20",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    while (sqlite3_step(st) == SQLITE_ROW)
        tether_buf_printf(b, "%s%s", b->len ? ", " : "",
                          (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

/* SPEC 4: an empty database, or a period in which no pair (of the
 * program) is active, is no report but an error with a hint
 * (TETHER_ERR_NOTFOUND, errbuf). */
static enum tether_err
check_pairs(sqlite3 *db, const struct tether_analysis_params *p,
            char *errbuf)
{
    sqlite3_stmt *st;
    if (tether_db_prepare(
            db,
            "SELECT count(*), min(started_on), max(coalesce(ended_on, "
            "started_on)), sum(started_on <= ?2 AND (ended_on IS NULL OR "
            "ended_on >= ?1)) FROM pairs WHERE ?3 IS NULL OR program = ?3",
            &st, errbuf))
        return TETHER_ERR_DB;
    char a[TETHER_DATE_LEN], b[TETHER_DATE_LEN];
    tether_date_format(p->period.start, a);
    tether_date_format(p->period.end, b);
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    if (p->program)
        sqlite3_bind_text(st, 3, p->program, -1, SQLITE_STATIC);
    enum tether_err rc = TETHER_ERR_NOTFOUND;
    if (sqlite3_step(st) != SQLITE_ROW) {
        snprintf(errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(db));
        rc = TETHER_ERR_DB;
    } else if (sqlite3_column_int64(st, 0) == 0 && !p->program) {
        snprintf(errbuf, TETHER_ERRBUF,
                 "the database holds no pairs: nothing to report (load the "
                 "roster and the pairs first: tether-collect people FILE, "
                 "tether-collect pairs FILE)");
    } else if (sqlite3_column_int64(st, 0) == 0) {
        struct tether_buf names = {0};
        program_names(db, &names);
        snprintf(errbuf, TETHER_ERRBUF,
                 "no pair belongs to the program '%s' (the programs: %s)",
                 p->program, names.len ? names.data : "none named");
        tether_buf_free(&names);
    } else if (sqlite3_column_int64(st, 3) == 0) {
        const char *lo = (const char *)sqlite3_column_text(st, 1);
        snprintf(errbuf, TETHER_ERRBUF,
                 "no pair%s%s was active in %s (%s to %s): nothing to "
                 "report (the pairs started from %s on; choose another "
                 "period with --quarter or --from/--to)",
                 p->program ? " of the program " : "",
                 p->program ? p->program : "", p->period.label, a, b,
                 lo ? lo : "?");
    } else {
        rc = TETHER_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

static const struct option opts[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"quarter", required_argument, NULL, OPT_QUARTER},
    {"from", required_argument, NULL, OPT_FROM},
    {"to", required_argument, NULL, OPT_TO},
    {"by", required_argument, NULL, OPT_BY},
    {"fiscal-start", required_argument, NULL, OPT_ANALYSIS},
    {"trend", required_argument, NULL, OPT_ANALYSIS},
    {"program", required_argument, NULL, OPT_ANALYSIS},
    {"org-timezone", required_argument, NULL, OPT_ANALYSIS},
    {"grace-days", required_argument, NULL, OPT_ANALYSIS},
    {"at-risk-factor", required_argument, NULL, OPT_ANALYSIS},
    {"inactive-factor", required_argument, NULL, OPT_ANALYSIS},
    {"min-group", required_argument, NULL, OPT_ANALYSIS},
    {"reference-min", required_argument, NULL, OPT_ANALYSIS},
    {"work-hours", required_argument, NULL, OPT_ANALYSIS},
    {"reasonable-hours", required_argument, NULL, OPT_ANALYSIS},
    {"horizon", required_argument, NULL, OPT_ANALYSIS},
    {"long-distance-hours", required_argument, NULL, OPT_ANALYSIS},
    {"level-order", required_argument, NULL, OPT_LEVEL_ORDER},
    {"out", required_argument, NULL, OPT_OUT},
    {"xlsx", no_argument, NULL, OPT_XLSX},
    {"pdf", no_argument, NULL, OPT_PDF},
    {"charts", required_argument, NULL, OPT_CHARTS},
    {"csv", no_argument, NULL, OPT_CSV},
    {"anonymize", no_argument, NULL, OPT_ANON},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};

/* What the command line asks for. */
struct request {
    const char *db_path, *quarter, *out, *charts;
    struct tether_analysis_params p;
    int have_from, have_to, trend_given, xlsx, pdf, csv, anon, quiet;
    int32_t from, to;
    char *by_arg, *level_arg;
    const char **levels;
    const char **by;
};

#define PARSED (-1) /* parse_args: go on */

/* Parses argv into q: PARSED, or the exit status of a usage error, --help
 * or --version (the message printed). */
static int
parse_args(int argc, char **argv, struct request *q)
{
    char errbuf[TETHER_ERRBUF];
    int c, li;
    opterr = 0; /* our messages name the option and point to --help */
    while ((c = getopt_long(argc, argv, ":qhV", opts, &li)) != -1) {
        switch (c) {
        case OPT_DB:
            q->db_path = optarg;
            break;
        case OPT_QUARTER:
            q->quarter = optarg;
            break;
        case OPT_FROM:
        case OPT_TO:
            if (tether_date_parse(optarg, c == OPT_FROM ? &q->from : &q->to))
                return usage_error("'%s' is not a date (YYYY-MM-DD)", optarg);
            *(c == OPT_FROM ? &q->have_from : &q->have_to) = 1;
            break;
        case OPT_BY:
            q->by_arg = optarg;
            break;
        case OPT_LEVEL_ORDER:
            q->level_arg = optarg;
            break;
        case OPT_ANALYSIS:
            if (tether_analysis_option(&q->p, opts[li].name, optarg, errbuf))
                return usage_error("%s", errbuf);
            q->trend_given |= strcmp(opts[li].name, "trend") == 0;
            break;
        case OPT_OUT:
            q->out = optarg;
            break;
        case OPT_XLSX:
            q->xlsx = 1;
            break;
        case OPT_PDF:
            q->pdf = 1;
            break;
        case OPT_CHARTS:
            if (strcmp(optarg, "png") && strcmp(optarg, "svg") &&
                strcmp(optarg, "pdf"))
                return usage_error("'%s' is not a chart format (png, svg, "
                                   "pdf)",
                                   optarg);
            q->charts = optarg;
            break;
        case OPT_CSV:
            q->csv = 1;
            break;
        case OPT_ANON:
            q->anon = 1;
            break;
        case 'q':
            q->quiet = 1;
            break;
        case 'h':
            fputs(usage, stdout);
            return exit_status(ferror(stdout) ? TETHER_ERR_IO : TETHER_OK);
        case 'V':
            printf(PROG " %s\n", TETHER_VERSION);
            return exit_status(ferror(stdout) ? TETHER_ERR_IO : TETHER_OK);
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            tether_cli_unknown_option(PROG, NULL, argv[optind - 1], opts);
            return exit_status(TETHER_ERR_USAGE);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (!q->out)
        return usage_error("--out DIR is required");
    if (q->p.at_risk_factor >= q->p.inactive_factor)
        return usage_error("--at-risk-factor must be below "
                           "--inactive-factor");
    if (!q->xlsx && !q->pdf && !q->charts && !q->csv) {
        q->xlsx = q->pdf = q->csv = 1;
        q->charts = "png";
    }
    struct tether_cli_period po = {q->quarter,   q->from,    q->to,
                                   q->have_from, q->have_to, q->p.fiscal_start};
    if (tether_cli_period_resolve(PROG, NULL, &po, &q->p.period))
        return exit_status(TETHER_ERR_USAGE);
    if (!q->trend_given)
        q->p.trend = 4; /* the quarterly pack: a year of trend */
    return PARSED;
}

/* Splits a comma list in place into q->by. */
/* The blank-trimmed items of a comma-separated list, in place; the array
 * is the caller's to free. */
static const char **
split_list(char *list, size_t *n)
{
    const char **items = tether_xcalloc(strlen(list) + 2, sizeof(char *));
    *n = 0;
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ","))
        if (*tether_str_trim(tok))
            items[(*n)++] = tok;
    return items;
}

static void
split_by(struct request *q)
{
    q->by = split_list(q->by_arg, &q->p.nby);
    q->p.by = q->by;
}

/* A period that has not ended is analysed up to today (SPEC 4: "to
 * date"); one that has not begun is no report. */
static enum tether_err
clip_period(struct tether_period *period, char *errbuf)
{
    int32_t today = tether_date_today();
    if (period->start > today) {
        char a[TETHER_DATE_LEN];
        tether_date_format(period->start, a);
        snprintf(errbuf, TETHER_ERRBUF,
                 "%s has not begun (it starts on %s): nothing to report "
                 "yet (without --quarter, the last quarter that has ended "
                 "is reported)",
                 period->label, a);
        return TETHER_ERR_NOTFOUND;
    }
    if (period->end >= today)
        period->end = today;
    return TETHER_OK;
}

/* The PDF report and the charts, drawn in a child process beside the
 * workbook (libxlsxwriter and its compression keep one core busy for
 * most of a large report). The child reads the run on a connection of
 * its own and sends back the paths it wrote; when it fails in any way,
 * the parent draws them itself, with its own error messages. */
struct drawing {
    pid_t pid; /* 0: none */
    int fd;    /* the paths' pipe */
};

static void
drawing_child(const struct request *q, const char *path, int64_t run, int fd)
{
    char errbuf[TETHER_ERRBUF];
    sqlite3 *db;
    struct report r;
    struct tether_buf paths = {0};
    int ok =
        tether_db_open(&db, path, TETHER_DB_READ, errbuf) == TETHER_OK &&
        report_open(&r, db, run, q->anon, q->p.period.label, errbuf) == 0 &&
        (!q->pdf || report_pdf_write(&r, q->out, &paths, errbuf) == 0) &&
        (!q->charts ||
         charts_write(&r, q->out, q->charts, &paths, errbuf) == 0) &&
        tether_write_all(fd, paths.data, paths.len) == 0;
    /* _exit: no atexit handlers, no flushing of the parent's stdio
     * buffers, no closing of the parent's connection. */
    _exit(ok ? 0 : 1);
}

static void
drawing_start(struct drawing *d, const struct request *q, const char *path,
              int64_t run)
{
    d->pid = 0;
    int fds[2];
    if (pipe(fds))
        return;
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        drawing_child(q, path, run, fds[1]);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return;
    }
    d->pid = pid;
    d->fd = fds[0];
}

/* 1 when the child drew everything (its paths added to paths), else 0. */
static int
drawing_finish(struct drawing *d, struct tether_buf *paths)
{
    if (!d->pid)
        return 0;
    struct tether_buf b = {0};
    int got = tether_buf_read_fd(&b, d->fd);
    close(d->fd);
    int status;
    pid_t w = waitpid(d->pid, &status, 0);
    d->pid = 0;
    int ok = got == 0 && w > 0 && WIFEXITED(status) &&
             WEXITSTATUS(status) == 0;
    if (ok && b.len)
        tether_buf_add(paths, b.data, b.len);
    tether_buf_free(&b);
    return ok;
}

static void
drawing_abort(struct drawing *d)
{
    if (!d->pid)
        return;
    kill(d->pid, SIGKILL);
    close(d->fd);
    waitpid(d->pid, NULL, 0);
    d->pid = 0;
}

/* Finds (or makes) the run asked for and writes the outputs: the exit
 * status. */
static int
render(struct request *q)
{
    char errbuf[TETHER_ERRBUF] = "";
    const char *path = tether_db_path(q->db_path);
    if (tether_db_protect(path, errbuf))
        fprintf(stderr, PROG ": %s\n", errbuf);
    sqlite3 *db = NULL;
    struct report r;
    struct tether_buf paths = {0}, words = {0};
    int opened = 0;
    const char *dflt_by[3];
    int64_t run = 0;
    struct drawing drawing = {0};
    enum tether_err e;
    /* Read-only unless the run must be published or made first (below),
     * or the schema is not ours (the read-only open refuses it; a
     * read-write one migrates it or says it is newer). Neither open
     * creates a database. */
    e = tether_db_open(&db, path, TETHER_DB_READ, errbuf);
    if (e == TETHER_ERR_SCHEMA)
        e = tether_db_open(&db, path, TETHER_DB_WRITE, errbuf);
    if (e)
        goto fail;
    if (q->by_arg) {
        split_by(q);
    } else {
        q->p.nby = default_by(db, dflt_by);
        q->p.by = dflt_by;
    }
    if (q->level_arg) {
        q->levels = split_list(q->level_arg, &q->p.nlevel_order);
        q->p.level_order = q->levels;
    }
    /* A runs table that cannot be read stops the report with its
     * reason, before anything else is looked at. */
    if ((e = clip_period(&q->p.period, errbuf)) ||
        (e = tether_analysis_find_run(db, &q->p, &run, errbuf)) ||
        (e = check_pairs(db, &q->p, errbuf)))
        goto fail;
    /* What the report renders leaves HR: the run is published (SPEC
     * 3.3), and must have been checked against every published run.
     * Publishing writes, as making the run does: the connection is
     * reopened read-write unless the run is published already (then a
     * running import does not hold the report up). */
    int published = 0;
    if (run && (e = tether_analysis_is_published(db, run, &published, errbuf)))
        goto fail;
    if (!published && sqlite3_db_readonly(db, "main") == 1) {
        tether_db_close(db);
        db = NULL;
        if ((e = tether_db_open(&db, path, TETHER_DB_WRITE, errbuf)) ||
            (e = tether_analysis_find_run(db, &q->p, &run, errbuf)))
            goto fail;
    }
    if (run && !published &&
        (e = tether_analysis_publish(db, run, &published, errbuf)))
        goto fail;
    if (!published) {
        q->p.publish = 1;
        if ((e = tether_analysis_run(db, &q->p, &run, errbuf)))
            goto fail;
    }
    if (report_open(&r, db, run, q->anon, q->p.period.label, errbuf)) {
        e = TETHER_ERR_DB;
        goto fail;
    }
    opened = 1;
    if (!q->quiet) {
        report_describe(&r, &words);
        fprintf(stderr, PROG ": %s\n", words.data);
    }
    /* The renderers' failures are of the output: files or cairo. */
    e = TETHER_ERR_IO;
    if (make_dir(q->out, errbuf))
        goto fail;
    if (q->xlsx && (q->pdf || q->charts))
        drawing_start(&drawing, q, path, run);
    if (q->xlsx && report_xlsx_write(&r, q->out, &paths, errbuf))
        goto fail;
    if (!drawing_finish(&drawing, &paths)) {
        if (q->pdf && report_pdf_write(&r, q->out, &paths, errbuf))
            goto fail;
        if (q->charts && charts_write(&r, q->out, q->charts, &paths, errbuf))
            goto fail;
    }
    if (q->csv && report_csv_write(&r, q->out, &paths, errbuf))
        goto fail;
    e = TETHER_OK;
fail:
    drawing_abort(&drawing);
    if (e)
        fprintf(stderr, PROG ": %s\n", *errbuf ? errbuf : tether_strerror(e));
    /* The paths of what was written, also when a later step failed. */
    if (paths.len)
        fputs(paths.data, stdout);
    tether_buf_free(&paths);
    tether_buf_free(&words);
    if (opened)
        report_close(&r);
    tether_db_close(db);
    if (fflush(stdout) != 0 || ferror(stdout))
        return exit_status(TETHER_ERR_IO);
    return exit_status(e);
}

int
main(int argc, char **argv)
{
    struct request q = {0};
    tether_analysis_params_default(&q.p);
    /* Every file written holds personal data: private from the start. */
    umask(077);
    /* A file size limit makes a write fail with EFBIG (reported)
     * instead of killing the program with SIGXFSZ. */
    signal(SIGXFSZ, SIG_IGN);
    int st = parse_args(argc, argv, &q);
    if (st == PARSED)
        st = render(&q);
    free(q.by);
    free(q.levels);
    return st;
}
