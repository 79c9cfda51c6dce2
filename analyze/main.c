/* main.c - tether-analyze: compute pair health, inclusion and survey
 * metrics for a period, store the run and print it; or list the pairs to
 * follow up. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tether/analysis.h"
#include "output.h"
#include "tether/db.h"
#include "tether/timeutil.h"
#include "tether/util.h"

#define PROG "tether-analyze"

static const char usage_main[] =
    "usage: tether-analyze [--db PATH] [PERIOD] [--by DIM,...] [--trend N]\n"
    "                      [--program NAME] [--reference-min N]\n"
    "                      [--format table|csv|json] [THRESHOLDS]\n"
    "       tether-analyze [--db PATH] pairs [PERIOD] [--status LIST]\n"
    "                      [--format table|csv|json]\n"
    "\n"
    "Compute the health of every mentoring pair, the inclusion of remote\n"
    "employees and the survey results of a period, store the run in the\n"
    "database and print it.\n"
    "\n"
    "period (default: the last quarter that has ended):\n"
    "  --quarter 2026Q3        a calendar quarter (or fiscal, with:)\n"
    "  --fiscal-start MONTH    first month of the fiscal year (4 or april)\n"
    "  --from DATE --to DATE   a range of dates, both included\n"
    "\n"
    "output:\n"
    "  --by DIM,...            segment also by department, site or any\n"
    "                          roster column (work_mode is always shown)\n"
    "  --trend N               headline figures of the N periods ending "
    "with\n"
    "                          this one\n"
    "  --format FORMAT         table (default), csv or json\n"
    "  --program NAME          only the pairs of this program\n"
    "\n"
    "thresholds:\n"
    "  --org-timezone ZONE     zone of dates and period bounds (UTC)\n"
    "  --grace-days N          days a new pair may go without meeting (14)\n"
    "  --at-risk-factor X      at risk when quiet > X cadences (1.5)\n"
    "  --inactive-factor X     inactive when quiet > X cadences (2)\n"
    "  --min-group N           smallest survey group shown (5)\n"
    "  --reference-min N       smallest headcount of a reference segment\n"
    "                          (30, or a tenth of the dimension when less)\n"
    "  --work-hours HH:MM-HH:MM        working day, for overlap "
    "(09:00-17:00)\n"
    "  --reasonable-hours HH:MM-HH:MM  meetings outside are off hours\n"
    "                                  (08:00-18:00)\n"
    "\n"
    "  --db PATH      the database file (default ./tether.db or $TETHER_DB)\n"
    "  -h, --help     this help\n"
    "  -V, --version  the version\n"
    "\n"
    "Exit status: 0 success; 2 usage error; 3 database or analysis error.\n";

static const char usage_pairs[] =
    "usage: tether-analyze [--db PATH] pairs [PERIOD] [--status LIST]\n"
    "                      [--format table|csv|json] [THRESHOLDS]\n"
    "\n"
    "List the pairs to follow up, most quiet first, with both names and\n"
    "e-mails, days quiet, last meeting, last contact and program. The\n"
    "period and thresholds are those of tether-analyze --help.\n"
    "\n"
    "  --status LIST   statuses to list, comma-separated (default\n"
    "                  inactive,never_met,at_risk; also new, ended, "
    "active)\n";

enum {
    OPT_DB = 256,
    OPT_QUARTER,
    OPT_FISCAL,
    OPT_FROM,
    OPT_TO,
    OPT_BY,
    OPT_TREND,
    OPT_FORMAT,
    OPT_ORG_TZ,
    OPT_GRACE,
    OPT_AT_RISK,
    OPT_INACTIVE,
    OPT_MIN_GROUP,
    OPT_WORK,
    OPT_REASONABLE,
    OPT_STATUS,
    OPT_REFERENCE_MIN,
    OPT_PROGRAM
};

static const char *cmd_name; /* "pairs" or NULL */

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
    fprintf(stderr, "\nTry '" PROG "%s%s --help' for more information.\n",
            cmd_name ? " " : "", cmd_name ? cmd_name : "");
    return 2;
}

static int
parse_month(const char *s)
{
    static const char *const names[] = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    long n;
    if (!tether_parse_long(s, &n))
        return n >= 1 && n <= 12 ? (int)n : -1;
    size_t len = strlen(s);
    for (int i = 0; i < 12 && len >= 3; i++)
        if (strncasecmp(names[i], s, len) == 0)
            return i + 1;
    return -1;
}

/* "HH:MM-HH:MM" into minutes after midnight. */
static int
parse_hours(const char *s, int *a, int *b)
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
parse_factor(const char *s, double *out)
{
    return tether_parse_double(s, out) || *out <= 0 ? -1 : 0;
}

static int
parse_count(const char *s, int *out, long min)
{
    long n;
    if (tether_parse_long(s, &n) || n < min || n > 100000)
        return -1;
    *out = (int)n;
    return 0;
}

/* Splits a comma list in place into a NULL-terminated array; free() it. */
static char **
split(char *s, size_t *n)
{
    char **v = tether_xcalloc(strlen(s) + 2, sizeof(char *));
    *n = 0;
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ","))
        if (*tether_str_trim(tok))
            v[(*n)++] = tok;
    return v;
}

int
main(int argc, char **argv)
{
    const char *db_path = NULL;
    struct tether_analysis_params p;
    tether_analysis_params_default(&p);
    enum output_format fmt = OUT_TABLE;
    const char *quarter = NULL;
    int32_t from = 0, to = 0;
    int has_from = 0, has_to = 0;
    char *by_arg = NULL, *status_arg = NULL;
    static const struct option opts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"quarter", required_argument, NULL, OPT_QUARTER},
        {"fiscal-start", required_argument, NULL, OPT_FISCAL},
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
        {"by", required_argument, NULL, OPT_BY},
        {"trend", required_argument, NULL, OPT_TREND},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"org-timezone", required_argument, NULL, OPT_ORG_TZ},
        {"grace-days", required_argument, NULL, OPT_GRACE},
        {"at-risk-factor", required_argument, NULL, OPT_AT_RISK},
        {"inactive-factor", required_argument, NULL, OPT_INACTIVE},
        {"min-group", required_argument, NULL, OPT_MIN_GROUP},
        {"work-hours", required_argument, NULL, OPT_WORK},
        {"reasonable-hours", required_argument, NULL, OPT_REASONABLE},
        {"status", required_argument, NULL, OPT_STATUS},
        {"reference-min", required_argument, NULL, OPT_REFERENCE_MIN},
        {"program", required_argument, NULL, OPT_PROGRAM},
        {NULL, 0, NULL, 0},
    };
    opterr = 0;
    int c;
    for (int pass = 0; pass < 2; pass++) {
        /* '+' stops at the command word; its options are parsed next. */
        while ((c = getopt_long(argc, argv, "+:hV", opts, NULL)) != -1) {
            switch (c) {
            case OPT_DB:
                db_path = optarg;
                break;
            case 'h':
                fputs(cmd_name ? usage_pairs : usage_main, stdout);
                return ferror(stdout) ? 1 : 0;
            case 'V':
                puts(PROG " " TETHER_VERSION);
                return ferror(stdout) ? 1 : 0;
            case OPT_QUARTER:
                quarter = optarg;
                break;
            case OPT_FISCAL:
                if ((p.fiscal_start = parse_month(optarg)) < 0)
                    return usage_error("'%s' is not a month", optarg);
                break;
            case OPT_FROM:
            case OPT_TO:
                if (tether_date_parse(optarg, c == OPT_FROM ? &from : &to))
                    return usage_error("'%s' is not a date (YYYY-MM-DD)",
                                       optarg);
                *(c == OPT_FROM ? &has_from : &has_to) = 1;
                break;
            case OPT_BY:
                if (cmd_name)
                    return usage_error("option '--by' does not go with "
                                       "pairs");
                by_arg = optarg;
                break;
            case OPT_TREND:
                if (cmd_name)
                    return usage_error("option '--trend' does not go with "
                                       "pairs");
                if (parse_count(optarg, &p.trend, 1) || p.trend > 100)
                    return usage_error("--trend needs a number from 1 to "
                                       "100, not '%s'",
                                       optarg);
                break;
            case OPT_FORMAT:
                if (strcmp(optarg, "table") == 0)
                    fmt = OUT_TABLE;
                else if (strcmp(optarg, "csv") == 0)
                    fmt = OUT_CSV;
                else if (strcmp(optarg, "json") == 0)
                    fmt = OUT_JSON;
                else
                    return usage_error("'%s' is not a format (table, csv, "
                                       "json)",
                                       optarg);
                break;
            case OPT_ORG_TZ:
                if (!tether_tz_valid(optarg))
                    return usage_error("'%s' is not an IANA time zone",
                                       optarg);
                p.org_tz = optarg;
                break;
            case OPT_GRACE:
                if (parse_count(optarg, &p.grace_days, 0))
                    return usage_error("--grace-days needs a whole number "
                                       "of days, not '%s'",
                                       optarg);
                break;
            case OPT_AT_RISK:
            case OPT_INACTIVE:
                if (parse_factor(optarg, c == OPT_AT_RISK
                                             ? &p.at_risk_factor
                                             : &p.inactive_factor))
                    return usage_error("'%s' is not a positive number",
                                       optarg);
                break;
            case OPT_MIN_GROUP:
                if (parse_count(optarg, &p.min_group, 1))
                    return usage_error("--min-group needs a whole number "
                                       "of at least 1, not '%s'",
                                       optarg);
                break;
            case OPT_REFERENCE_MIN:
                if (parse_count(optarg, &p.reference_min, 1))
                    return usage_error("--reference-min needs a whole "
                                       "number of at least 1, not '%s'",
                                       optarg);
                break;
            case OPT_PROGRAM:
                p.program = optarg;
                break;
            case OPT_WORK:
            case OPT_REASONABLE:
                if (c == OPT_WORK
                        ? parse_hours(optarg, &p.work_start, &p.work_end)
                        : parse_hours(optarg, &p.reasonable_start,
                                      &p.reasonable_end))
                    return usage_error("'%s' is not a time window "
                                       "(HH:MM-HH:MM)",
                                       optarg);
                break;
            case OPT_STATUS:
                if (!cmd_name)
                    return usage_error("option '--status' goes with pairs");
                status_arg = optarg;
                break;
            case ':':
                return usage_error("option '%s' needs a value",
                                   argv[optind - 1]);
            default:
                return usage_error("unknown option '%s'", argv[optind - 1]);
            }
        }
        if (pass == 0 && optind < argc) {
            if (strcmp(argv[optind], "pairs") != 0)
                return usage_error("'%s' is not a command (only 'pairs')",
                                   argv[optind]);
            cmd_name = "pairs";
            optind++;
        } else if (pass == 1 && optind < argc) {
            return usage_error("unexpected argument '%s'", argv[optind]);
        } else if (pass == 0) {
            break;
        }
    }
    if (p.at_risk_factor >= p.inactive_factor)
        return usage_error("--at-risk-factor must be below "
                           "--inactive-factor");
    if (has_from != has_to)
        return usage_error("--from and --to go together");
    if (has_from && quarter)
        return usage_error("--quarter and --from/--to exclude each other");
    if (has_from) {
        if (tether_period_range(&p.period, from, to))
            return usage_error("--to is before --from");
    } else if (quarter) {
        if (tether_period_quarter(&p.period, quarter, p.fiscal_start))
            return usage_error("'%s' is not a quarter (e.g. 2026Q3)",
                               quarter);
    } else {
        tether_period_last_ended(&p.period, tether_date_today(),
                                 p.fiscal_start);
    }

    static const char *const all_status[] = {
        "new", "never_met", "ended", "inactive", "at_risk", "active"};
    char default_status[] = "inactive,never_met,at_risk";
    size_t nstatus = 0;
    char **statuses = split(status_arg ? status_arg : default_status,
                            &nstatus);
    for (size_t i = 0; i < nstatus; i++) {
        int known = 0;
        for (size_t j = 0; j < 6; j++)
            known |= strcmp(statuses[i], all_status[j]) == 0;
        if (!known) {
            int rc = usage_error("'%s' is not a status (new, never_met, "
                                 "ended, inactive, at_risk, active)",
                                 statuses[i]);
            free(statuses);
            return rc;
        }
    }
    if (!nstatus) {
        free(statuses);
        return usage_error("--status needs at least one status");
    }
    char **by = NULL;
    if (by_arg) {
        by = split(by_arg, &p.nby);
        p.by = (const char *const *)by;
    }

    int status = 3;
    char errbuf[TETHER_ERRBUF];
    sqlite3 *db = NULL;
    int64_t run = 0;
    if (tether_db_open(&db, tether_db_path(db_path), TETHER_DB_WRITE,
                       errbuf)) {
        fprintf(stderr, PROG ": %s\n", errbuf);
        goto out;
    }
    if (tether_analysis_run(db, &p, &run, errbuf)) {
        fprintf(stderr, PROG ": %s\n", errbuf);
        if (strstr(errbuf, "is not a dimension"))
            status = 2;
        goto out;
    }
    int rc = cmd_name ? output_pairs(stdout, db, run,
                                     (const char *const *)statuses, fmt,
                                     errbuf)
                      : output_run(stdout, db, run, fmt, errbuf);
    if (rc) {
        fprintf(stderr, PROG ": %s\n", errbuf);
        goto out;
    }
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, PROG ": cannot write the output\n");
        goto out;
    }
    status = 0;
out:
    tether_db_close(db);
    free(statuses);
    free(by);
    return status;
}
