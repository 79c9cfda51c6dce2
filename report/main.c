/* main.c - tether-report: the workbook, the charts, the PDF report and the
 * CSV exports of one period, from its latest stored analysis run. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tether/analysis.h"
#include "tether/cli.h"
#include "report.h"
#include "tether/db.h"
#include "tether/period.h"
#include "tether/timeutil.h"

#define PROG "tether-report"

static const char usage[] =
    "usage: tether-report [--db PATH] [--quarter 2026Q3 [--fiscal-start M] |\n"
    "                     --from DATE --to DATE] --out DIR [--xlsx] [--pdf]\n"
    "                     [--charts png|svg|pdf] [--csv] [--anonymize] "
    "[--quiet]\n"
    "\n"
    "Write the report of a period from its latest analysis run (the run is\n"
    "made with the default thresholds and a 4-quarter trend when there is\n"
    "none). Without a format option, every format is written.\n"
    "\n"
    "  --db PATH           the database (default ./tether.db or $TETHER_DB)\n"
    "  --quarter Q         a quarter, e.g. 2026Q3 (default: the last one "
    "ended)\n"
    "  --fiscal-start M    the month (1-12 or a name) in which the fiscal\n"
    "                      year starts\n"
    "  --from DATE         the first day of a period (YYYY-MM-DD) ...\n"
    "  --to DATE           ... and its last day\n"
    "  --out DIR           the folder to write to (created 0700 if missing)\n"
    "  --xlsx              the Excel workbook tether-PERIOD.xlsx\n"
    "  --pdf               the PDF report tether-PERIOD.pdf\n"
    "  --charts FORMAT     the six charts as png (default), svg or pdf\n"
    "  --csv               the metric tables as CSV files\n"
    "  --anonymize         replace names and e-mails by stable pseudonyms\n"
    "                      (keyed by $TETHER_ANON_KEY)\n"
    "  -q, --quiet         no progress messages\n"
    "  -h, --help          this help\n"
    "  -V, --version       the version\n"
    "\n"
    "The paths written are printed on stdout, one per line. Exit status: 0\n"
    "written; 2 usage error; 3 no report (database or output error).\n";

enum {
    OPT_DB = 256,
    OPT_QUARTER,
    OPT_FISCAL,
    OPT_FROM,
    OPT_TO,
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

/* What the command line asked for. */
struct job {
    const char *db_path, *out, *charts;
    struct tether_period period;
    int fiscal, xlsx, pdf, csv, anon, quiet;
};

/* Finds (or makes) the period's run and writes the outputs asked for:
 * the exit status. */
static int
render(const struct job *job)
{
    char errbuf[TETHER_ERRBUF] = "";
    const char *path = tether_db_path(job->db_path);
    if (access(path, F_OK) != 0) {
        fprintf(stderr, PROG ": cannot open database '%s': %s\n", path,
                strerror(errno));
        return exit_status(TETHER_ERR_IO);
    }
    sqlite3 *db = NULL;
    struct report r;
    struct tether_buf paths = {0};
    int opened = 0;
    /* The renderers' failures are of the output: files or cairo. */
    enum tether_err e = TETHER_ERR_IO;
    int64_t run;
    if ((e = tether_db_open(&db, path, TETHER_DB_WRITE, errbuf)) ||
        (e = tether_analysis_latest_run(db, &job->period, &run, errbuf)))
        goto fail;
    /* What the report renders leaves HR: the run is published (SPEC
     * 3.3), and must have been checked against every published run. */
    int published = 0;
    if (run && (e = tether_analysis_publish(db, run, &published, errbuf)))
        goto fail;
    if (!published) {
        struct tether_analysis_params p;
        tether_analysis_params_default(&p);
        p.period = job->period;
        p.fiscal_start = job->fiscal;
        p.trend = 4;
        p.publish = 1;
        if (!job->quiet && isatty(STDERR_FILENO))
            fprintf(stderr, PROG ": analysing %s first\n", job->period.label);
        if ((e = tether_analysis_run(db, &p, &run, errbuf)))
            goto fail;
    }
    if (report_open(&r, db, run, job->anon, job->period.label, errbuf)) {
        e = TETHER_ERR_DB;
        goto fail;
    }
    opened = 1;
    e = TETHER_ERR_IO;
    if (make_dir(job->out, errbuf))
        goto fail;
    if (job->xlsx && report_xlsx_write(&r, job->out, &paths, errbuf))
        goto fail;
    if (job->pdf && report_pdf_write(&r, job->out, &paths, errbuf))
        goto fail;
    if (job->charts && charts_write(&r, job->out, job->charts, &paths, errbuf))
        goto fail;
    if (job->csv && report_csv_write(&r, job->out, &paths, errbuf))
        goto fail;
    e = TETHER_OK;
fail:
    if (e)
        fprintf(stderr, PROG ": %s\n",
                *errbuf ? errbuf : tether_strerror(e));
    /* The paths of what was written, also when a later step failed. */
    if (paths.len)
        fputs(paths.data, stdout);
    tether_buf_free(&paths);
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
    static const struct option opts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"quarter", required_argument, NULL, OPT_QUARTER},
        {"fiscal-start", required_argument, NULL, OPT_FISCAL},
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
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
    const char *db_path = NULL, *quarter = NULL, *out = NULL,
               *charts = NULL;
    int32_t from = 0, to = 0;
    int have_from = 0, have_to = 0, xlsx = 0, pdf = 0, csv = 0, anon = 0;
    int quiet = 0;
    int fiscal = 1;
    int c;
    /* Every file written holds personal data: private from the start. */
    umask(077);
    opterr = 0; /* our messages name the option and point to --help */
    while ((c = getopt_long(argc, argv, ":qhV", opts, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            db_path = optarg;
            break;
        case OPT_QUARTER:
            quarter = optarg;
            break;
        case OPT_FISCAL:
            if ((fiscal = tether_cli_month(optarg)) < 0)
                return usage_error("'%s' is not a month", optarg);
            break;
        case OPT_FROM:
        case OPT_TO:
            if (tether_date_parse(optarg, c == OPT_FROM ? &from : &to))
                return usage_error("'%s' is not a date (YYYY-MM-DD)",
                                   optarg);
            *(c == OPT_FROM ? &have_from : &have_to) = 1;
            break;
        case OPT_OUT:
            out = optarg;
            break;
        case OPT_XLSX:
            xlsx = 1;
            break;
        case OPT_PDF:
            pdf = 1;
            break;
        case OPT_CHARTS:
            if (strcmp(optarg, "png") && strcmp(optarg, "svg") &&
                strcmp(optarg, "pdf"))
                return usage_error("'%s' is not a chart format (png, svg, "
                                   "pdf)",
                                   optarg);
            charts = optarg;
            break;
        case OPT_CSV:
            csv = 1;
            break;
        case OPT_ANON:
            anon = 1;
            break;
        case 'q':
            quiet = 1;
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
    if (!out)
        return usage_error("--out DIR is required");
    if (!xlsx && !pdf && !charts && !csv) {
        xlsx = pdf = csv = 1;
        charts = "png";
    }

    struct tether_period period;
    struct tether_cli_period po = {quarter,   from,    to,
                                   have_from, have_to, fiscal};
    if (tether_cli_period_resolve(PROG, NULL, &po, &period))
        return exit_status(TETHER_ERR_USAGE);

    struct job job = {db_path, out,   charts, period, fiscal,
                      xlsx,    pdf,   csv,    anon,   quiet};
    return render(&job);
}
