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
#include <unistd.h>

#include "tether/analysis.h"
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
    "  --fiscal-start M    the month (1-12) in which the fiscal year starts\n"
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

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static int
usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, PROG ": ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '" PROG " --help' for more information.\n");
    return 2;
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

int
main(int argc, char **argv)
{
    /* A file size limit makes a write fail with EFBIG (reported)
     * instead of killing the program with SIGXFSZ. */
    signal(SIGXFSZ, SIG_IGN);
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
    long fiscal = 1;
    int c;
    /* Every file written holds personal data: private from the start. */
    umask(077);
    while ((c = getopt_long(argc, argv, "qhV", opts, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            db_path = optarg;
            break;
        case OPT_QUARTER:
            quarter = optarg;
            break;
        case OPT_FISCAL:
            if (tether_parse_long(optarg, &fiscal) || fiscal < 1 ||
                fiscal > 12)
                return usage_error("'%s' is not a month (1-12)", optarg);
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
            return ferror(stdout) ? 3 : 0;
        case 'V':
            printf(PROG " %s\n", TETHER_VERSION);
            return ferror(stdout) ? 3 : 0;
        default:
            fprintf(stderr, "Try '" PROG " --help' for more information.\n");
            return 2;
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (!out)
        return usage_error("--out DIR is required");
    if (quarter && (have_from || have_to))
        return usage_error("give --quarter or --from/--to, not both");
    if (have_from != have_to)
        return usage_error("--from and --to go together");
    if (!xlsx && !pdf && !charts && !csv) {
        xlsx = pdf = csv = 1;
        charts = "png";
    }

    struct tether_period period;
    if (quarter) {
        if (tether_period_quarter(&period, quarter, (int)fiscal))
            return usage_error("'%s' is not a quarter (e.g. 2026Q3)",
                               quarter);
    } else if (have_from) {
        if (tether_period_range(&period, from, to))
            return usage_error("--to is before --from");
    } else {
        tether_period_last_ended(&period, tether_date_today(), (int)fiscal);
    }

    char errbuf[TETHER_ERRBUF] = "";
    const char *path = tether_db_path(db_path);
    if (tether_db_protect(path, errbuf))
        fprintf(stderr, PROG ": %s\n", errbuf);
    sqlite3 *db = NULL;
    struct report r;
    struct tether_buf paths = {0};
    int status = 3, opened = 0;
    /* Read-only unless the analysis must be run (and stored) first, or the
     * schema is older than ours (the read-only open refuses it). */
    enum tether_err err = tether_db_open(&db, path, TETHER_DB_READ, errbuf);
    if (err == TETHER_ERR_SCHEMA)
        err = tether_db_open(&db, path, TETHER_DB_WRITE, errbuf);
    if (err)
        goto fail;
    int64_t run = tether_analysis_latest_run(db, &period);
    if (run == 0) {
        tether_db_close(db);
        db = NULL;
        if (tether_db_open(&db, path, TETHER_DB_WRITE, errbuf))
            goto fail;
        run = tether_analysis_latest_run(db, &period);
    }
    if (run == 0) {
        struct tether_analysis_params p;
        tether_analysis_params_default(&p);
        p.period = period;
        p.fiscal_start = (int)fiscal;
        p.trend = 4;
        if (!quiet && isatty(STDERR_FILENO))
            fprintf(stderr, PROG ": analysing %s first\n", period.label);
        if (tether_analysis_run(db, &p, &run, errbuf))
            goto fail;
    }
    if (report_open(&r, db, run, anon, period.label, errbuf))
        goto fail;
    opened = 1;
    if (make_dir(out, errbuf))
        goto fail;
    if (xlsx && report_xlsx_write(&r, out, &paths, errbuf))
        goto fail;
    if (pdf && report_pdf_write(&r, out, &paths, errbuf))
        goto fail;
    if (charts && charts_write(&r, out, charts, &paths, errbuf))
        goto fail;
    if (csv && report_csv_write(&r, out, &paths, errbuf))
        goto fail;
    status = 0;
fail:
    if (status)
        fprintf(stderr, PROG ": %s\n", errbuf);
    /* The paths of what was written, also when a later step failed. */
    if (paths.len)
        fputs(paths.data, stdout);
    tether_buf_free(&paths);
    if (opened)
        report_close(&r);
    tether_db_close(db);
    if (fflush(stdout) != 0 || ferror(stdout))
        return 3;
    return status;
}
