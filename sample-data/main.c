/* main.c - tether-sample: writes a realistic synthetic organisation (roster
 * snapshots, pairs, contacts, surveys, and the same data in the export
 * formats tether-collect reads) with known planted effects. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sample.h"
#include "tether/cli.h"
#include "tether/period.h"
#include "tether/timeutil.h"
#include "tether/util.h"

#define PROG "tether-sample"
#define FORMATS_AUTO_MAX 20000

static const char usage[] =
    "usage: tether-sample [--seed N] [--people N] [--quarters N]\n"
    "                     [--until QUARTER] [--formats | --no-formats]\n"
    "                     [--quiet] --out DIR\n"
    "\n"
    "Write a synthetic organisation with known effects planted in it:\n"
    "rosters, mentoring pairs, meetings, surveys, the same data as calendar,\n"
    "Zoom, Teams, Google Forms and Qualtrics exports, and manifest.json.\n"
    "The same arguments always give the same bytes.\n"
    "\n"
    "  --seed N         random seed (default 1)\n"
    "  --people N       people in the organisation, 20 to 10000000 (default "
    "300)\n"
    "  --quarters N     calendar quarters covered, 1 to 40 (default 4)\n"
    "  --until QUARTER  the last quarter covered, e.g. 2026Q3 (default: the\n"
    "                   last quarter that ended before today)\n"
    "  --formats        also write the export formats (the default up to\n"
    "                   20000 people)\n"
    "  --no-formats     only the canonical CSV files\n"
    "  --out DIR        the folder to write (created 0700)\n"
    "  -q, --quiet      no progress bar and no summary line\n"
    "  -h, --help       this help\n"
    "  -V, --version    the version\n"
    "\n"
    "Exit status: 0 written; 1 a file could not be written; 2 usage error.\n";

enum { OPT_SEED = 256, OPT_PEOPLE, OPT_QUARTERS, OPT_UNTIL, OPT_FORMATS,
       OPT_NO_FORMATS, OPT_OUT };

/* The exit status of each error (core/cli.c's table; 1: a file could not
 * be written). */
static int
exit_status(enum tether_err e)
{
    return tether_cli_exit_status(e, 1);
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

/* A whole number in [lo, hi]; 0 on success. */
static int
parse_count(const char *s, unsigned long long lo, unsigned long long hi,
            unsigned long long *out)
{
    if (!*s || *s == '-' || *s == '+')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Sets the quarters the sample covers, ending at --until (or the last
 * quarter ended). Returns -1 to go on, else the exit status. */
static int
sample_periods(struct sample *s, const char *until)
{
    struct tether_period last, first;
    if (until) {
        if (tether_period_quarter(&last, until, 0))
            return usage_error("--until '%s' is not a quarter such as 2026Q3",
                               until);
    } else {
        tether_period_last_ended(&last, tether_date_today(), 0);
    }
    first = last;
    if (s->quarters > 1)
        tether_period_previous(&last, s->quarters - 1, 0, &first);
    s->start = first.start;
    s->end = last.end;
    s->q_start = last.start;
    s->snap[0] = s->start;
    s->snap[1] = s->quarters > 1 ? last.start : s->start + 45;
    snprintf(s->until, sizeof(s->until), "%s", last.label);
    snprintf(s->first_q, sizeof(s->first_q), "%s", first.label);
    return -1;
}

/* Creates the output folder (0700) unless it exists as a folder.
 * Returns -1 to go on, else the exit status. */
static int
out_dir(const char *dir)
{
    if (mkdir(dir, 0700) && errno != EEXIST) {
        fprintf(stderr, PROG ": cannot create '%s': %s\n", dir,
                strerror(errno));
        return exit_status(TETHER_ERR_IO);
    }
    struct stat st;
    if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, PROG ": '%s' is not a folder\n", dir);
        return exit_status(TETHER_ERR_IO);
    }
    return -1;
}

/* Long for its option switch, one case per option. */
int
main(int argc, char **argv)
{
    /* A file size limit makes a write fail with EFBIG (reported)
     * instead of killing the program with SIGXFSZ. */
    signal(SIGXFSZ, SIG_IGN);
    static const struct option opts[] = {
        {"seed", required_argument, NULL, OPT_SEED},
        {"people", required_argument, NULL, OPT_PEOPLE},
        {"quarters", required_argument, NULL, OPT_QUARTERS},
        {"until", required_argument, NULL, OPT_UNTIL},
        {"formats", no_argument, NULL, OPT_FORMATS},
        {"no-formats", no_argument, NULL, OPT_NO_FORMATS},
        {"out", required_argument, NULL, OPT_OUT},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    static struct sample s;
    s.seed = 1;
    s.npeople = 300;
    s.quarters = 4;
    s.formats = -1;
    const char *until = NULL;
    unsigned long long v;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qhV", opts, NULL)) != -1) {
        switch (c) {
        case OPT_SEED:
            if (parse_count(optarg, 0, UINT64_MAX, &v))
                return usage_error("--seed '%s' is not a whole number from 0",
                                   optarg);
            s.seed = v;
            break;
        case OPT_PEOPLE:
            if (parse_count(optarg, 20, 10000000, &v))
                return usage_error(
                    "--people '%s' is not a number from 20 to 10000000",
                    optarg);
            s.npeople = (uint32_t)v;
            break;
        case OPT_QUARTERS:
            if (parse_count(optarg, 1, 40, &v))
                return usage_error(
                    "--quarters '%s' is not a number from 1 to 40", optarg);
            s.quarters = (int)v;
            break;
        case OPT_UNTIL:
            until = optarg;
            break;
        case OPT_FORMATS:
            s.formats = 1;
            break;
        case OPT_NO_FORMATS:
            s.formats = 0;
            break;
        case OPT_OUT:
            s.dir = optarg;
            break;
        case 'q':
            s.quiet = 1;
            break;
        case 'h':
            fputs(usage, stdout);
            return ferror(stdout) ? 1 : 0;
        case 'V':
            puts(PROG " " TETHER_VERSION);
            return ferror(stdout) ? 1 : 0;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            tether_cli_unknown_option(PROG, NULL, argv[optind - 1], opts);
            return exit_status(TETHER_ERR_USAGE);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (!s.dir || !*s.dir)
        return usage_error("no output folder given (--out DIR)");
    int st;
    if ((st = sample_periods(&s, until)) >= 0)
        return st;
    if (s.formats < 0)
        s.formats = s.npeople <= FORMATS_AUTO_MAX;
    if ((st = out_dir(s.dir)) >= 0)
        return st;
    if (sample_org_build(&s) || sample_org_write(&s) ||
        sample_contacts_write(&s) || sample_surveys_write(&s) ||
        sample_manifest_write(&s)) {
        fprintf(stderr, PROG ": %s\n", s.errbuf);
        /* no half-written file is left: the temporary ones go */
        for (size_t i = 0; i < s.nfiles; i++)
            tether_outfile_abort(&s.files[i].out);
        return exit_status(TETHER_ERR_IO); /* a file of the set */
    }
    if (!s.quiet)
        fprintf(stderr,
                PROG ": %u people, %u pairs, %llu contacts, %s to %s in '%s'\n",
                s.npeople, s.npairs, (unsigned long long)s.contacts,
                s.first_q, s.until, s.dir);
    free(s.people);
    free(s.pairs);
    for (size_t i = 0; i < s.nfiles; i++)
        free(s.files[i].rel);
    return exit_status(ferror(stdout) ? TETHER_ERR_IO : TETHER_OK);
}
