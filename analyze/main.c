/* main.c - tether-analyze: compute pair health, inclusion and survey
 * metrics for a period, store the run and print it; or list the pairs to
 * follow up. */
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tether/analysis.h"
#include "tether/cli.h"
#include "output.h"
#include "tether/db.h"
#include "tether/timeutil.h"
#include "tether/util.h"
#include "tether/vocab.h"

#define PROG "tether-analyze"

static const char usage_main[] =
    "usage: tether-analyze [--db PATH] [PERIOD] [--by DIM,...] [--trend N]\n"
    "                      [--program NAME] [--reference-min N] "
    "[--publish]\n"
    "                      [--format table|csv|json] [THRESHOLDS]\n"
    "       tether-analyze [--db PATH] pairs [PERIOD] [--status LIST]\n"
    "                      [--format table|csv|json]\n"
    "       tether-analyze [--db PATH] impact [PERIOD] [--horizon DAYS]\n"
    "                      [--by DIM,...] [--format table|csv|json]\n"
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
    "  --publish               store the run as published: its figures\n"
    "                          leave HR, and later runs are checked so\n"
    "                          that nothing combined with them discloses\n"
    "                          a survey answer\n"
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
    "program impact (SPEC 3.7; in the JSON of every run):\n"
    "  --horizon DAYS          baseline = as-of date - DAYS (365)\n"
    "  --level-order L1,L2,... order of the level values, lowest first\n"
    "                          (default: the number each value holds)\n"
    "  --long-distance-hours H pairs this many clock hours apart or more\n"
    "                          are long-distance (3)\n"
    "  (--reference-min N also marks impact groups below N small; 30)\n"
    "\n"
    "  --db PATH      the database file (default ./tether.db or $TETHER_DB)\n"
    "  -h, --help     this help\n"
    "  -V, --version  the version\n"
    "\n"
    "Exit status: 0 success; 2 usage error; 3 database or analysis error.\n";

static const char usage_impact[] =
    "usage: tether-analyze [--db PATH] impact [PERIOD] [--horizon DAYS]\n"
    "                      [--by DIM,...] [--level-order L1,L2,...]\n"
    "                      [--long-distance-hours H] [--reference-min N]\n"
    "                      [--format table|csv|json] [THRESHOLDS]\n"
    "\n"
    "Program impact: retention and promotion of mentored people against\n"
    "similar colleagues who had no mentor (same department, level and\n"
    "tenure), the survival of pairs before they go quiet, and the\n"
    "practices of their first 90 days. Associations in the organisation's\n"
    "own records, not proof of cause. The run is stored like every\n"
    "analysis; the period and thresholds are those of tether-analyze\n"
    "--help.\n";

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
    OPT_PROGRAM,
    OPT_PUBLISH,
    OPT_HORIZON,
    OPT_LEVEL_ORDER,
    OPT_LONG_DISTANCE
};

static const char *cmd_name; /* "pairs", "impact" or NULL */

/* The exit status of each error (core/cli.c's table; 3: nothing done). */
static int
exit_status(enum tether_err e)
{
    return tether_cli_exit_status(e, 3);
}

/* Says what failed (errbuf, or the error's description when it is empty)
 * and gives the exit status. */
static int
fail(enum tether_err e, const char *errbuf)
{
    const char *msg = *errbuf ? errbuf : tether_strerror(e);
    if (e == TETHER_ERR_USAGE) /* an unknown --by dimension, say */
        return tether_cli_usage_error(PROG, cmd_name, "%s", msg);
    fprintf(stderr, PROG ": %s\n", msg);
    return exit_status(e);
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static int
usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tether_cli_vusage_error(PROG, cmd_name, fmt, ap);
    va_end(ap);
    return exit_status(TETHER_ERR_USAGE);
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

/* SPEC 3.3 rule 6: how many survey segments rules 2, 3 and 5 suppressed
 * (beside those under min-group), on stderr, and what could not be
 * helped; said when the period has survey answers. */
static int
disclosure_note(sqlite3 *db, int64_t run, char *errbuf)
{
    sqlite3_stmt *st;
    if (tether_db_prepare(
            db,
            "SELECT json_extract(result, '$.disclosure.complementary'), "
            "json_extract(result, '$.disclosure.differencing'), "
            "json_extract(result, '$.disclosure.homogeneous'), "
            "json_extract(result, '$.disclosure.warnings') FROM runs "
            "WHERE id = ?1 AND json_array_length(result, '$.surveys') > 0",
            &st, errbuf))
        return -1;
    sqlite3_bind_int64(st, 1, run);
    if (sqlite3_step(st) == SQLITE_ROW) {
        long r2 = (long)sqlite3_column_int64(st, 0),
             r3 = (long)sqlite3_column_int64(st, 1),
             r5 = (long)sqlite3_column_int64(st, 2),
             w = (long)sqlite3_column_int64(st, 3);
        fprintf(stderr,
                PROG ": %ld survey segment%s suppressed by rules 2, 3, 5 "
                     "(complementary %ld, differencing %ld, homogeneous "
                     "%ld)\n",
                r2 + r3 + r5, r2 + r3 + r5 == 1 ? "" : "s", r2, r3, r5);
        if (w)
            fprintf(stderr,
                    PROG ": warning: %ld figure%s of earlier published runs "
                         "can be worked out from those runs alone\n",
                    w, w == 1 ? "" : "s");
    }
    sqlite3_finalize(st);
    return 0;
}

/* The options of both passes (before and after the command word). */
struct cli {
    const char *db_path;
    struct tether_analysis_params p;
    enum output_format fmt;
    const char *quarter;
    int32_t from, to;
    int has_from, has_to;
    char *by_arg, *status_arg, *level_arg;
};

/* Parses the command line into *o and sets cmd_name. Returns -1 to go
 * on, else the exit status (--help, --version or a usage error). Long
 * because it is the option switch: one case per option, in one place. */
static int
parse_args(int argc, char **argv, struct cli *o)
{
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
        {"publish", no_argument, NULL, OPT_PUBLISH},
        {"horizon", required_argument, NULL, OPT_HORIZON},
        {"level-order", required_argument, NULL, OPT_LEVEL_ORDER},
        {"long-distance-hours", required_argument, NULL, OPT_LONG_DISTANCE},
        {NULL, 0, NULL, 0},
    };
    opterr = 0;
    int c;
    for (int pass = 0; pass < 2; pass++) {
        /* '+' stops at the command word; its options are parsed next. */
        while ((c = getopt_long(argc, argv, "+:hV", opts, NULL)) != -1) {
            switch (c) {
            case OPT_DB:
                o->db_path = optarg;
                break;
            case 'h':
                fputs(!cmd_name                         ? usage_main
                      : strcmp(cmd_name, "impact") == 0 ? usage_impact
                                                        : usage_pairs,
                      stdout);
                return ferror(stdout) ? 1 : 0;
            case 'V':
                puts(PROG " " TETHER_VERSION);
                return ferror(stdout) ? 1 : 0;
            case OPT_QUARTER:
                o->quarter = optarg;
                break;
            case OPT_FISCAL:
                if ((o->p.fiscal_start = tether_cli_month(optarg)) < 0)
                    return usage_error("'%s' is not a month", optarg);
                break;
            case OPT_FROM:
            case OPT_TO:
                if (tether_date_parse(optarg, c == OPT_FROM ? &o->from : &o->to))
                    return usage_error("'%s' is not a date (YYYY-MM-DD)",
                                       optarg);
                *(c == OPT_FROM ? &o->has_from : &o->has_to) = 1;
                break;
            case OPT_BY:
                if (cmd_name && strcmp(cmd_name, "pairs") == 0)
                    return usage_error("option '--by' does not go with "
                                       "pairs");
                o->by_arg = optarg;
                break;
            case OPT_TREND:
                if (cmd_name)
                    return usage_error("option '--trend' does not go with "
                                       "pairs");
                if (parse_count(optarg, &o->p.trend, 1) || o->p.trend > 100)
                    return usage_error("--trend needs a number from 1 to "
                                       "100, not '%s'",
                                       optarg);
                break;
            case OPT_FORMAT:
                if (strcmp(optarg, "table") == 0)
                    o->fmt = OUT_TABLE;
                else if (strcmp(optarg, "csv") == 0)
                    o->fmt = OUT_CSV;
                else if (strcmp(optarg, "json") == 0)
                    o->fmt = OUT_JSON;
                else
                    return usage_error("'%s' is not a format (table, csv, "
                                       "json)",
                                       optarg);
                break;
            case OPT_ORG_TZ:
                if (!tether_tz_valid(optarg))
                    return usage_error("'%s' is not an IANA time zone",
                                       optarg);
                o->p.org_tz = optarg;
                break;
            case OPT_GRACE:
                if (parse_count(optarg, &o->p.grace_days, 0))
                    return usage_error("--grace-days needs a whole number "
                                       "of days, not '%s'",
                                       optarg);
                break;
            case OPT_AT_RISK:
            case OPT_INACTIVE:
                if (parse_factor(optarg, c == OPT_AT_RISK
                                             ? &o->p.at_risk_factor
                                             : &o->p.inactive_factor))
                    return usage_error("'%s' is not a positive number",
                                       optarg);
                break;
            case OPT_MIN_GROUP:
                if (parse_count(optarg, &o->p.min_group, 1))
                    return usage_error("--min-group needs a whole number "
                                       "of at least 1, not '%s'",
                                       optarg);
                break;
            case OPT_REFERENCE_MIN:
                if (parse_count(optarg, &o->p.reference_min, 1))
                    return usage_error("--reference-min needs a whole "
                                       "number of at least 1, not '%s'",
                                       optarg);
                break;
            case OPT_PROGRAM:
                o->p.program = optarg;
                break;
            case OPT_WORK:
            case OPT_REASONABLE:
                if (c == OPT_WORK
                        ? tether_analysis_parse_hours(optarg, &o->p.work_start, &o->p.work_end)
                        : tether_analysis_parse_hours(optarg, &o->p.reasonable_start,
                                      &o->p.reasonable_end))
                    return usage_error("'%s' is not a time window "
                                       "(HH:MM-HH:MM)",
                                       optarg);
                break;
            case OPT_PUBLISH:
                o->p.publish = 1;
                break;
            case OPT_STATUS:
                if (!cmd_name || strcmp(cmd_name, "pairs") != 0)
                    return usage_error("option '--status' goes with pairs");
                o->status_arg = optarg;
                break;
            case OPT_HORIZON:
                if (parse_count(optarg, &o->p.horizon, 1))
                    return usage_error("--horizon needs a whole number of "
                                       "days from 1 to 100000, not '%s'",
                                       optarg);
                break;
            case OPT_LONG_DISTANCE:
                if (tether_parse_double(optarg, &o->p.long_distance_hours) ||
                    o->p.long_distance_hours < 0 || o->p.long_distance_hours > 12)
                    return usage_error("--long-distance-hours needs a "
                                       "number of hours from 0 to 12, not "
                                       "'%s'",
                                       optarg);
                break;
            case OPT_LEVEL_ORDER:
                o->level_arg = optarg;
                break;
            case ':':
                return usage_error("option '%s' needs a value",
                                   argv[optind - 1]);
            default:
                tether_cli_unknown_option(PROG, cmd_name, argv[optind - 1],
                                          opts);
                return exit_status(TETHER_ERR_USAGE);
            }
        }
        if (pass == 0 && optind < argc) {
            static const char *const commands[] = {"pairs", "impact"};
            if (strcmp(argv[optind], "pairs") == 0) {
                cmd_name = "pairs";
            } else if (strcmp(argv[optind], "impact") == 0) {
                cmd_name = "impact";
            } else {
                if (tether_cli_closest(argv[optind], commands, 2))
                    tether_cli_unknown_command(PROG, argv[optind], commands,
                                               2);
                else
                    usage_error("'%s' is not a command ('pairs' or "
                                "'impact')",
                                argv[optind]);
                return exit_status(TETHER_ERR_USAGE);
            }
            optind++;
        } else if (pass == 1 && optind < argc) {
            return usage_error("unexpected argument '%s'", argv[optind]);
        } else if (pass == 0) {
            break;
        }
    }
    return -1;
}

/* Runs the analysis into the database, prints what the command asks
 * for and returns the exit status. */
static int
run_command(const char *db_path, const struct tether_analysis_params *p,
            enum output_format fmt, const char *const *statuses)
{
    int status;
    char errbuf[TETHER_ERRBUF] = "";
    sqlite3 *db = NULL;
    int64_t run = 0;
    if (tether_db_protect(tether_db_path(db_path), errbuf))
        fprintf(stderr, PROG ": %s\n", errbuf);
    /* Every analysis is stored: read and write, never created. */
    enum tether_err e;
    if ((e = tether_db_open(&db, tether_db_path(db_path), TETHER_DB_WRITE,
                            errbuf)) ||
        (e = tether_analysis_run(db, p, &run, errbuf))) {
        status = fail(e, errbuf);
        goto out;
    }
    int rc = !cmd_name ? output_run(stdout, db, run, fmt, errbuf)
             : strcmp(cmd_name, "impact") == 0
                 ? output_impact(stdout, db, run, fmt, errbuf)
                 : output_pairs(stdout, db, run,
                                statuses, fmt, errbuf);
    if (rc) { /* a query of the stored run */
        status = fail(TETHER_ERR_DB, errbuf);
        goto out;
    }
    /* The note follows the results, not inside their buffered text. */
    fflush(stdout);
    tether_analysis_phase("print: the rest");
    if (!cmd_name && disclosure_note(db, run, errbuf)) {
        status = fail(TETHER_ERR_DB, errbuf);
        goto out;
    }
    /* make bench (scripts/bench.sh) reads this line. */
    if (getenv("TETHER_BENCH")) {
        fprintf(stderr, PROG ": disclosure control took %.3f s of CPU\n",
                tether_analysis_disclosure_seconds());
        tether_analysis_phases_print(stderr, PROG);
    }
    if (fflush(stdout) || ferror(stdout)) {
        snprintf(errbuf, sizeof(errbuf), "cannot write the output");
        status = fail(TETHER_ERR_IO, errbuf);
        goto out;
    }
    status = exit_status(TETHER_OK);
out:
    tether_db_close(db);
    return status;
}

int
main(int argc, char **argv)
{
    /* A file size limit makes a write fail with EFBIG (reported)
     * instead of killing the program with SIGXFSZ. */
    signal(SIGXFSZ, SIG_IGN);
    struct cli o = {.fmt = OUT_TABLE};
    tether_analysis_params_default(&o.p);
    int parsed = parse_args(argc, argv, &o);
    if (parsed >= 0)
        return parsed;
    struct tether_analysis_params p = o.p;
    const char *db_path = o.db_path;
    char *status_arg = o.status_arg, *level_arg = o.level_arg,
         *by_arg = o.by_arg;
    enum output_format fmt = o.fmt;
    if (p.at_risk_factor >= p.inactive_factor)
        return usage_error("--at-risk-factor must be below "
                           "--inactive-factor");
    struct tether_cli_period po = {o.quarter,  o.from,   o.to,
                                   o.has_from, o.has_to, p.fiscal_start};
    if (tether_cli_period_resolve(PROG, cmd_name, &po, &p.period))
        return exit_status(TETHER_ERR_USAGE);

    char default_status[] = "inactive,never_met,at_risk";
    size_t nstatus = 0;
    char **statuses = split(status_arg ? status_arg : default_status,
                            &nstatus);
    for (size_t i = 0; i < nstatus; i++) {
        if (tether_vocab_find(tether_status_names, TETHER_STATUS_COUNT,
                              statuses[i]) < 0) {
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
    char **by = NULL, **levels = NULL;
    if (level_arg) {
        levels = split(level_arg, &p.nlevel_order);
        p.level_order = (const char *const *)levels;
        if (!p.nlevel_order) {
            free(statuses);
            free(levels);
            return usage_error("--level-order needs at least one level");
        }
    }
    if (by_arg) {
        by = split(by_arg, &p.nby);
        p.by = (const char *const *)by;
    }

    int status = run_command(db_path, &p, fmt,
                             (const char *const *)statuses);
    free(statuses);
    free(by);
    free(levels);
    return status;
}
