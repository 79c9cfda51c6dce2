/* main.c - tether-collect: load rosters, pairs, meetings and surveys into
 * the tether database, one transaction per file. */
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collect.h"
#include "tether/cli.h"
#include "tether/db.h"
#include "tether/timeutil.h"
#include "tether/util.h"

#define PROG "tether-collect"

static const char usage_main[] =
    "usage: tether-collect [--db PATH] [--quiet] [--strict] COMMAND [OPTIONS]\n"
    "                      FILE...\n"
    "\n"
    "Load HR data into the tether database (default ./tether.db or "
    "$TETHER_DB).\n"
    "\n"
    "commands:\n"
    "  people     a roster snapshot (people.csv)\n"
    "  pairs      mentoring pairs (pairs.csv)\n"
    "  meetings   meetings and contacts: CSV, iCalendar, Zoom, Teams, Meet\n"
    "  messages   e-mail and chat between the meetings: mbox, .eml, message\n"
    "             trace, Google e-mail log, Slack export\n"
    "  survey     survey questions and answers\n"
    "  status     what the database holds\n"
    "\n"
    "options:\n"
    "  --db PATH      the database file\n"
    "  -h, --help     this help; COMMAND --help for a command's options\n"
    "  -V, --version  the version\n"
    "\n"
    "Exit status: 0 all rows loaded; 1 some rows rejected, the rest loaded;\n"
    "2 usage error; 3 a file loaded nothing (unreadable, wrong format,\n"
    "database error).\n";

static const char usage_common[] =
    "  --sheet NAME   the sheet of .xlsx workbooks to read (default: the "
    "first)\n"
    "  --strict       load nothing from a file that has a bad row\n"
    "  -q, --quiet    no progress bar and no summary lines\n"
    "  -h, --help     this help\n";

static const char usage_people[] =
    "usage: tether-collect [--db PATH] people [--as-of DATE] [--complete]\n"
    "                      [--default-timezone ZONE] [--columns FILE]\n"
    "                      [--sheet NAME] [--strict] [--quiet] FILE...\n"
    "\n"
    "Load roster snapshots. A person gets a new version when work_mode, "
    "site,\ntimezone, department or another attribute changed.\n"
    "\n"
    "  --as-of DATE              the date of the snapshot (default: today)\n"
    "  --complete                the file is the whole organisation: people\n"
    "                            missing from it left on the as-of date\n"
    "  --default-timezone ZONE   IANA zone for rows without one (default "
    "UTC)\n"
    "  --columns FILE            the export's own headers and values: a CSV\n"
    "                            canonical,header[,alias=value;...]\n";

static const char usage_pairs[] =
    "usage: tether-collect [--db PATH] pairs [--columns FILE] [--sheet NAME]\n"
    "                      [--strict] [--quiet] FILE...\n"
    "\n"
    "Load mentoring pairs (mentor and mentee by person_id or e-mail).\n"
    "\n"
    "  --columns FILE       the export's own headers and values: a CSV\n"
    "                       canonical,header[,alias=value;...]\n";

static const char usage_meetings[] =
    "usage: tether-collect [--db PATH] meetings [--format FORMAT]\n"
    "                      [--from DATE --to DATE] [--timezone ZONE]\n"
    "                      [--date DATE] [--date-order dmy|mdy]\n"
    "                      [--strict] [--quiet] FILE...\n"
    "\n"
    "Load meetings and other contacts and attribute them to pairs.\n"
    "\n"
    "  --format FORMAT      auto (default), csv, ics, zoom, teams, meet,\n"
    "                       graph (Microsoft Graph events JSON) or gcal\n"
    "                       (Google Calendar API events JSON)\n"
    "  --from DATE          expand recurring calendar events from this day\n"
    "  --to DATE            ... to this day (default: the pair's dates, up "
    "to today)\n"
    "  --timezone ZONE      IANA zone of times that carry no offset\n"
    "  --date DATE          the meeting's date, for reports without one\n"
    "  --date-order ORDER   dmy or mdy, for locale dates such as 05/11/22\n";

static const char usage_messages[] =
    "usage: tether-collect [--db PATH] messages [--summary-window HOURS]\n"
    "                      [--self DOMAIN,...] [--owner ADDRESS]\n"
    "                      [--max-recipients N] [--strict] [--quiet] "
    "FILE...\n"
    "\n"
    "Load who wrote to whom, and when (never a subject or a body): mbox and\n"
    ".eml files, Microsoft 365 / Exchange message trace CSV, Google Workspace\n"
    "e-mail log search exports and Slack exports (a folder or its .zip).\n"
    "A message between the two people of a pair is a contact of the pair.\n"
    "\n"
    "  --summary-window HOURS  an e-mail this long after a meeting is its\n"
    "                          summary (default 24)\n"
    "  --self DOMAIN,...       the organisation's mail domains (default: "
    "any)\n"
    "  --owner ADDRESS         whose mailbox the files are (default: the one\n"
    "                          address in every message)\n"
    "  --max-recipients N      a message to more people is a broadcast, no\n"
    "                          contact (default 5)\n";

static const char usage_survey[] =
    "usage: tether-collect [--db PATH] survey [--questions FILE] [--map "
    "FILE]\n"
    "                      [--survey-id ID] [--timezone ZONE]\n"
    "                      [--date-order dmy|mdy] [--strict] [--quiet] "
    "[FILE...]\n"
    "\n"
    "Load survey questions and answers: the long form responses.csv, or\n"
    "with --map a wide export of Google Forms, Microsoft Forms, "
    "SurveyMonkey\nor Qualtrics.\n"
    "\n"
    "  --questions FILE   questions.csv: survey_id, question_id, text,\n"
    "                     construct, scale_min, scale_max\n"
    "  --map FILE         question map of a wide export\n"
    "  --survey-id ID     the survey of rows that name none\n"
    "  --timezone ZONE    IANA zone of times that carry no offset\n"
    "  --date-order ORDER dmy or mdy, for locale dates such as 05/11/22\n";

static const char usage_status[] =
    "usage: tether-collect [--db PATH] status\n"
    "\n"
    "Print what the database holds: counts, date ranges, the latest imports\n"
    "and rejected rows.\n";

enum {
    OPT_DB = 256,
    OPT_AS_OF,
    OPT_COMPLETE,
    OPT_DEFAULT_TZ,
    OPT_STRICT,
    OPT_FORMAT,
    OPT_FROM,
    OPT_TO,
    OPT_TIMEZONE,
    OPT_DATE,
    OPT_DATE_ORDER,
    OPT_QUESTIONS,
    OPT_MAP,
    OPT_SURVEY_ID,
    OPT_SHEET,
    OPT_COLUMNS,
    OPT_SUMMARY_WINDOW,
    OPT_SELF,
    OPT_OWNER,
    OPT_MAX_RECIPIENTS
};

/* Prints a usage error with a pointer to --help; returns exit status 2. */
/* The exit status of an error outside the imports, which give their own
 * (enum import_result): core/cli.c's table, 3 for nothing loaded. */
static int
exit_status(enum tether_err e)
{
    return tether_cli_exit_status(e, IMPORT_FAILED);
}

static int usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int
usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tether_cli_vusage_error(PROG, cmd, fmt, ap);
    va_end(ap);
    return exit_status(TETHER_ERR_USAGE);
}

static int
parse_date_opt(const char *arg, int32_t *out, const char *cmd)
{
    if (tether_date_parse(arg, out)) {
        usage_error(cmd, "'%s' is not a date (YYYY-MM-DD)", arg);
        return -1;
    }
    return 0;
}

/* The --columns file named by its content, so that a roster loaded again
 * with an edited map is read again: "PATH@HASH" into out. */
static void
columns_key(const char *path, char *out, size_t n)
{
    FILE *fp = fopen(path, "rb");
    uint64_t h = TETHER_HASH_INIT;
    char buf[4096];
    size_t got;
    while (fp && (got = fread(buf, 1, sizeof(buf), fp)) > 0)
        h = tether_hash(h, buf, got);
    if (fp)
        fclose(fp);
    snprintf(out, n, "%s@%016llx", path, (unsigned long long)h);
}

/* The options that change what a file loads to, as text: a file imported
 * before with other options is loaded again. */
static void
options_string(const struct collect_opts *o, const char *cmd, char *buf,
               size_t n)
{
    struct tether_buf b = {0};
    char d[TETHER_DATE_LEN], e[TETHER_DATE_LEN], columns[1100];
    if (o->columns)
        columns_key(o->columns, columns, sizeof(columns));
    if (strcmp(cmd, "people") == 0) {
        tether_date_format(o->as_of, d);
        tether_buf_printf(&b, "as-of=%s%s tz=%s", d,
                          o->complete ? " complete" : "", o->default_tz);
    }
    if (strcmp(cmd, "messages") == 0)
        tether_buf_printf(&b, "summary-window=%g max-recipients=%d%s%s%s%s",
                          o->summary_window, o->max_recipients,
                          o->self ? " self=" : "", o->self ? o->self : "",
                          o->owner ? " owner=" : "", o->owner ? o->owner : "");
    if (o->has_range) {
        tether_date_format(o->from, d);
        tether_date_format(o->to, e);
        tether_buf_printf(&b, " from=%s to=%s", d, e);
    }
    const struct {
        const char *name, *value;
    } text[] = {
        {"timezone", o->tz},     {"date", o->date},
        {"date-order", o->date_order}, {"survey-id", o->survey_id},
        {"map", o->map}, {"sheet", o->sheet},
        {"columns", o->columns ? columns : NULL},
    };
    for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
        if (text[i].value)
            tether_buf_printf(&b, " %s=%s", text[i].name, text[i].value);
    snprintf(buf, n, "%s", b.data ? b.data + (b.data[0] == ' ') : "");
    tether_buf_free(&b);
}

/* Loads one file with load inside its own transaction. */
static enum import_result
load_file(sqlite3 *db, const struct collect_opts *opts, const char *path,
          const char *kind, const char *format, const char *options,
          int (*load)(struct import *))
{
    struct import imp;
    int b = import_begin(&imp, db, opts, path, kind, format, options);
    if (b > 0)
        return IMPORT_OK;
    if (b < 0) {
        fprintf(stderr, PROG ": %s\n", imp.errbuf);
        return IMPORT_FAILED;
    }
    if (load(&imp))
        return import_fail(&imp);
    return import_end(&imp);
}

static int
worst(int a, enum import_result r)
{
    return (int)r > a ? (int)r : a;
}

static int
run_meetings(sqlite3 *db, const struct collect_opts *opts, char **files,
             int nfiles)
{
    int status = 0;
    const struct meeting_format *fixed = NULL;
    if (strcasecmp(opts->format, "auto") != 0)
        fixed = meeting_format_find(opts->format);
    char options[512];
    options_string(opts, "meetings", options, sizeof(options));
    char errbuf[TETHER_ERRBUF];
    for (int i = 0; i < nfiles; i++) {
        const struct meeting_format *fmt = fixed;
        if (!fmt && !(fmt = meeting_format_detect(files[i], opts->sheet, errbuf))) {
            fprintf(stderr, PROG ": %s\n", errbuf);
            status = worst(status, IMPORT_FAILED);
            continue;
        }
        status = worst(status, load_file(db, opts, files[i], "meetings",
                                         fmt->name, options, fmt->load));
    }
    return status;
}

/* Each file by what it is: a mailbox, a message, a trace or a Slack
 * export. */
static int
run_messages(sqlite3 *db, const struct collect_opts *opts, char **files,
             int nfiles)
{
    static const struct {
        const char *name;
        int (*load)(struct import *);
    } loaders[] = {
        {"mbox", mbox_load},
        {"eml", eml_load},
        {"trace", trace_load},
        {"slack", slack_load},
    };
    char options[512], errbuf[TETHER_ERRBUF];
    options_string(opts, "messages", options, sizeof(options));
    int status = 0;
    mail_init();
    for (int i = 0; i < nfiles; i++) {
        const char *fmt = messages_detect(files[i], errbuf);
        if (!fmt) {
            fprintf(stderr, PROG ": %s\n", errbuf);
            status = worst(status, IMPORT_FAILED);
            continue;
        }
        for (size_t k = 0; k < sizeof(loaders) / sizeof(loaders[0]); k++)
            if (strcmp(loaders[k].name, fmt) == 0)
                status = worst(status,
                               load_file(db, opts, files[i], "messages", fmt,
                                         options, loaders[k].load));
    }
    mail_shutdown();
    return status;
}

/* The command line. Long (over 300 lines) for a reason: it is the option
 * switch of every subcommand, one case per option, and the table of which
 * subcommand takes which option; read as one table. The work itself is in
 * load_file, run_meetings, run_messages and the importers. */
int
main(int argc, char **argv)
{
    const char *db_path = NULL;
    struct collect_opts opts = {
        .as_of = tether_date_today(),
        .default_tz = "UTC",
        .format = "auto",
        .summary_window = 24,
        .max_recipients = 5,
    };
    /* A file size limit (ulimit -f) would kill us with SIGXFSZ in the
     * middle of a write; ignored, the write fails with EFBIG, the file's
     * transaction is rolled back and the error says so. */
    signal(SIGXFSZ, SIG_IGN);
    /* The options every loading command shares may also come before the
     * command: tether-collect --quiet people x.csv. */
    static const struct option global[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"quiet", no_argument, NULL, 'q'},
        {"strict", no_argument, NULL, OPT_STRICT},
        {NULL, 0, NULL, 0},
    };
    int c;
    /* '+' stops at the command, whose options are parsed next. */
    opterr = 0; /* our messages name the option and point to --help */
    while ((c = getopt_long(argc, argv, "+:hVq", global, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            db_path = optarg;
            break;
        case 'q':
            opts.quiet = 1;
            break;
        case OPT_STRICT:
            opts.strict = 1;
            break;
        case 'h':
            fputs(usage_main, stdout);
            return ferror(stdout) ? 1 : 0;
        case 'V':
            puts(PROG " " TETHER_VERSION);
            return ferror(stdout) ? 1 : 0;
        case ':':
            return usage_error(NULL, "option '%s' needs a value",
                               argv[optind - 1]);
        default:
            tether_cli_unknown_option(PROG, NULL, argv[optind - 1], global);
            return exit_status(TETHER_ERR_USAGE);
        }
    }
    if (optind >= argc)
        return usage_error(NULL, "no command given");
    const char *cmd = argv[optind];
    const char *help;
    if (strcmp(cmd, "people") == 0)
        help = usage_people;
    else if (strcmp(cmd, "pairs") == 0)
        help = usage_pairs;
    else if (strcmp(cmd, "meetings") == 0)
        help = usage_meetings;
    else if (strcmp(cmd, "survey") == 0)
        help = usage_survey;
    else if (strcmp(cmd, "messages") == 0)
        help = usage_messages;
    else if (strcmp(cmd, "status") == 0)
        help = usage_status;
    else {
        static const char *const commands[] = {"people", "pairs", "meetings",
                                               "survey", "messages", "status"};
        tether_cli_unknown_command(PROG, cmd, commands,
                                   sizeof(commands) / sizeof(commands[0]));
        return exit_status(TETHER_ERR_USAGE);
    }

    static const struct option cmd_opts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"help", no_argument, NULL, 'h'},
        {"quiet", no_argument, NULL, 'q'},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"complete", no_argument, NULL, OPT_COMPLETE},
        {"default-timezone", required_argument, NULL, OPT_DEFAULT_TZ},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
        {"timezone", required_argument, NULL, OPT_TIMEZONE},
        {"date", required_argument, NULL, OPT_DATE},
        {"date-order", required_argument, NULL, OPT_DATE_ORDER},
        {"questions", required_argument, NULL, OPT_QUESTIONS},
        {"map", required_argument, NULL, OPT_MAP},
        {"survey-id", required_argument, NULL, OPT_SURVEY_ID},
        {"sheet", required_argument, NULL, OPT_SHEET},
        {"columns", required_argument, NULL, OPT_COLUMNS},
        {"summary-window", required_argument, NULL, OPT_SUMMARY_WINDOW},
        {"self", required_argument, NULL, OPT_SELF},
        {"owner", required_argument, NULL, OPT_OWNER},
        {"max-recipients", required_argument, NULL, OPT_MAX_RECIPIENTS},
        {NULL, 0, NULL, 0},
    };
    /* Which options each command takes, by their codes. */
    static const struct {
        const char *cmd;
        int opts[12];
    } allowed[] = {
        {"people",
         {OPT_AS_OF, OPT_COMPLETE, OPT_DEFAULT_TZ, OPT_COLUMNS, OPT_SHEET,
          OPT_STRICT, 'q'}},
        {"pairs", {OPT_COLUMNS, OPT_SHEET, OPT_STRICT, 'q'}},
        {"meetings",
         {OPT_FORMAT, OPT_FROM, OPT_TO, OPT_TIMEZONE, OPT_DATE, OPT_DATE_ORDER,
          OPT_SHEET, OPT_STRICT, 'q'}},
        {"survey",
         {OPT_QUESTIONS, OPT_MAP, OPT_SURVEY_ID, OPT_TIMEZONE,
          OPT_DATE_ORDER, OPT_SHEET, OPT_STRICT, 'q'}},
        {"messages",
         {OPT_SUMMARY_WINDOW, OPT_SELF, OPT_OWNER, OPT_MAX_RECIPIENTS,
          OPT_STRICT, 'q'}},
        {"status", {0}},
    };
    /* The command's options may stand anywhere among its files, as in
     * GNU programs ('--' ends them): getopt starts afresh on the
     * command's own words, argv[0] the command (optind 0 makes glibc
     * forget the '+' of the global options). */
    argc -= optind;
    argv += optind;
    optind = 0;
    int32_t from = 0, to = 0;
    int has_from = 0, has_to = 0;
    while ((c = getopt_long(argc, argv, ":hq", cmd_opts, NULL)) != -1) {
        if (c == '?') {
            tether_cli_unknown_option(PROG, cmd, argv[optind - 1], cmd_opts);
            return exit_status(TETHER_ERR_USAGE);
        }
        if (c == ':')
            return usage_error(cmd, "option '%s' needs a value",
                               argv[optind - 1]);
        if (c == 'h') {
            fputs(help, stdout);
            if (strcmp(cmd, "status") != 0)
                fputs(usage_common, stdout);
            return ferror(stdout) ? 1 : 0;
        }
        if (c != OPT_DB) {
            int ok = 0;
            for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
                if (strcmp(allowed[i].cmd, cmd) == 0)
                    for (size_t j = 0; j < 12 && allowed[i].opts[j]; j++)
                        ok |= allowed[i].opts[j] == c;
            if (!ok)
                return usage_error(cmd,
                                   "option '%s' does not go with this command",
                                   argv[optind - 1]);
        }
        switch (c) {
        case OPT_DB:
            db_path = optarg;
            break;
        case 'q':
            opts.quiet = 1;
            break;
        case OPT_STRICT:
            opts.strict = 1;
            break;
        case OPT_AS_OF:
            if (parse_date_opt(optarg, &opts.as_of, cmd))
                return exit_status(TETHER_ERR_USAGE);
            break;
        case OPT_COMPLETE:
            opts.complete = 1;
            break;
        case OPT_DEFAULT_TZ:
            if (!tether_tz_valid(optarg))
                return usage_error(cmd, "'%s' is not an IANA time zone",
                                   optarg);
            opts.default_tz = optarg;
            break;
        case OPT_TIMEZONE:
            if (!tether_tz_valid(optarg))
                return usage_error(cmd, "'%s' is not an IANA time zone",
                                   optarg);
            opts.tz = optarg;
            break;
        case OPT_FORMAT:
            if (strcasecmp(optarg, "auto") != 0 && !meeting_format_find(optarg))
                return usage_error(cmd, "'%s' is not a meeting format", optarg);
            opts.format = optarg;
            break;
        case OPT_FROM:
            if (parse_date_opt(optarg, &from, cmd))
                return exit_status(TETHER_ERR_USAGE);
            has_from = 1;
            break;
        case OPT_TO:
            if (parse_date_opt(optarg, &to, cmd))
                return exit_status(TETHER_ERR_USAGE);
            has_to = 1;
            break;
        case OPT_DATE:
            if (parse_date_opt(optarg, &(int32_t){0}, cmd))
                return exit_status(TETHER_ERR_USAGE);
            opts.date = optarg;
            break;
        case OPT_DATE_ORDER:
            if (strcasecmp(optarg, "dmy") && strcasecmp(optarg, "mdy"))
                return usage_error(cmd, "'%s' is not dmy or mdy", optarg);
            opts.date_order = optarg;
            break;
        case OPT_QUESTIONS:
            opts.questions = optarg;
            break;
        case OPT_MAP:
            opts.map = optarg;
            break;
        case OPT_SURVEY_ID:
            opts.survey_id = optarg;
            break;
        case OPT_SHEET:
            opts.sheet = optarg;
            break;
        case OPT_COLUMNS:
            opts.columns = optarg;
            break;
        case OPT_SUMMARY_WINDOW:
            if (tether_parse_double(optarg, &opts.summary_window) ||
                !(opts.summary_window > 0) || opts.summary_window > 24 * 30)
                return usage_error(cmd,
                                   "'%s' is not a number of hours from 0 to "
                                   "720",
                                   optarg);
            break;
        case OPT_SELF:
            opts.self = optarg;
            break;
        case OPT_OWNER:
            if (!strchr(optarg, '@'))
                return usage_error(cmd, "'%s' is not an e-mail address",
                                   optarg);
            opts.owner = optarg;
            break;
        case OPT_MAX_RECIPIENTS: {
            long v;
            if (tether_parse_long(optarg, &v) || v < 1 ||
                v > MAX_MESSAGE_RECIPIENTS)
                return usage_error(cmd, "'%s' is not a number from 1 to %d",
                                   optarg, MAX_MESSAGE_RECIPIENTS);
            opts.max_recipients = (int)v;
            break;
        }
        default:
            return usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (has_from != has_to)
        return usage_error(cmd, "--from and --to go together");
    if (has_from && to < from)
        return usage_error(cmd, "--to is before --from");
    opts.has_range = has_from;
    opts.from = from;
    opts.to = to;
    char **files = argv + optind;
    int nfiles = argc - optind;
    if (strcmp(cmd, "status") == 0) {
        if (nfiles)
            return usage_error(cmd, "status takes no file ('%s')", files[0]);
    } else if (nfiles == 0 && !(strcmp(cmd, "survey") == 0 && opts.questions)) {
        return usage_error(cmd, "no file given");
    }

    char errbuf[TETHER_ERRBUF];
    sqlite3 *db;
    const char *path = tether_db_path(db_path);
    int loading = strcmp(cmd, "status") != 0;
    if (tether_db_protect(path, errbuf))
        fprintf(stderr, PROG ": %s\n", errbuf);
    /* Only a loading command creates the database; status reads it, and
     * writes only to migrate a database of an older schema (the read-only
     * open refuses those). */
    enum tether_err e = tether_db_open(
        &db, path, loading ? TETHER_DB_CREATE : TETHER_DB_READ, errbuf);
    if (e == TETHER_ERR_SCHEMA && !loading)
        e = tether_db_open(&db, path, TETHER_DB_WRITE, errbuf);
    if (e) {
        fprintf(stderr, PROG ": %s\n", errbuf);
        return exit_status(e);
    }
    /* Every reference an import writes was read or inserted in the file's
     * own transaction: the person found in the roster, the pair in pairs,
     * the version, question or imports row it has just inserted. SQLite's
     * checks of them cannot fail and cost one to three look-ups a row
     * (with a statement journal for every insert): a tenth of a meetings
     * import, a third of a pairs import. What an import deletes (a
     * cancelled meeting's contacts, a version's attributes) nothing
     * refers to. */
    if (loading && tether_db_exec(db, "PRAGMA foreign_keys = OFF", errbuf)) {
        fprintf(stderr, PROG ": %s\n", errbuf);
        tether_db_close(db);
        return exit_status(TETHER_ERR_DB);
    }
    int status = 0;
    if (strcmp(cmd, "status") == 0) {
        if (status_print(db, stdout, errbuf)) {
            fprintf(stderr, PROG ": %s\n", errbuf);
            status = exit_status(TETHER_ERR_DB);
        }
    } else if (strcmp(cmd, "people") == 0) {
        char options[512];
        options_string(&opts, cmd, options, sizeof(options));
        for (int i = 0; i < nfiles; i++)
            status = worst(status, load_file(db, &opts, files[i], "people",
                                             "csv", options, roster_load));
    } else if (strcmp(cmd, "pairs") == 0) {
        char options[512];
        options_string(&opts, cmd, options, sizeof(options));
        for (int i = 0; i < nfiles; i++)
            status = worst(status, load_file(db, &opts, files[i], "pairs",
                                             "csv", options, pairs_load));
    } else if (strcmp(cmd, "meetings") == 0) {
        status = run_meetings(db, &opts, files, nfiles);
    } else if (strcmp(cmd, "messages") == 0) {
        status = run_messages(db, &opts, files, nfiles);
    } else {
        char options[512];
        options_string(&opts, cmd, options, sizeof(options));
        if (opts.questions)
            status =
                worst(status, load_file(db, &opts, opts.questions, "questions",
                                        "csv", opts.survey_id, questions_load));
        for (int i = 0; i < nfiles; i++) {
            if (opts.map)
                status = worst(status,
                               load_file(db, &opts, files[i], "survey", "wide",
                                         options, wide_survey_load));
            else
                status = worst(status,
                               load_file(db, &opts, files[i], "survey", "csv",
                                         options, responses_load));
        }
    }
    tether_db_close(db);
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, PROG ": cannot write the output\n");
        return exit_status(TETHER_ERR_IO);
    }
    return status;
}
