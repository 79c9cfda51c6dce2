/* cli.c - the command-line helpers of cli.h. */
#include "tether/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tether/timeutil.h"
#include "tether/util.h"

int
tether_cli_exit_status(enum tether_err e, int failed)
{
    /* No default: -Wswitch-enum names a new error left out. */
    switch (e) {
    case TETHER_OK:
        return 0;
    case TETHER_ERR_USAGE:
        return TETHER_CLI_USAGE;
    case TETHER_ERR_IO:
    case TETHER_ERR_DB:
    case TETHER_ERR_FORMAT:
    case TETHER_ERR_ENCODING:
    case TETHER_ERR_VALUE:
    case TETHER_ERR_NOTFOUND:
    case TETHER_ERR_SCHEMA:
        return failed;
    }
    return failed;
}

static void
try_help(const char *prog, const char *cmd)
{
    fprintf(stderr, "Try '%s%s%s --help' for more information.\n", prog,
            cmd ? " " : "", cmd ? cmd : "");
}

int
tether_cli_vusage_error(const char *prog, const char *cmd, const char *fmt,
                        va_list ap)
{
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    try_help(prog, cmd);
    return TETHER_CLI_USAGE;
}

int
tether_cli_usage_error(const char *prog, const char *cmd, const char *fmt,
                       ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = tether_cli_vusage_error(prog, cmd, fmt, ap);
    va_end(ap);
    return rc;
}

static int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* The optimal string alignment distance of a and b (case folded): the
 * Levenshtein edits plus the swap of two neighbours, the commonest slip
 * on a keyboard. Words are short; a small table is enough. */
static size_t
edit_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na > 64 || nb > 64)
        return (size_t)-1;
    size_t d[65][65];
    for (size_t i = 0; i <= na; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= na; i++)
        for (size_t j = 1; j <= nb; j++) {
            size_t cost = lower(a[i - 1]) != lower(b[j - 1]);
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1]) && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[na][nb];
}

const char *
tether_cli_closest(const char *word, const char *const *names, size_t n)
{
    size_t len = strlen(word);
    size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(word, names[i]);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    return best;
}

int
tether_cli_unknown_option(const char *prog, const char *cmd,
                          const char *arg, const struct option *opts)
{
    if (strncmp(arg, "--", 2) != 0 || !arg[2])
        return tether_cli_usage_error(prog, cmd, "unknown option '%s'", arg);
    size_t n = 0;
    while (opts[n].name)
        n++;
    const char **names = tether_xcalloc(n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        names[i] = opts[i].name;
    /* "--as-off=2026-01-01" is judged by its name */
    char *word = tether_xstrdup(arg + 2);
    char *eq = strchr(word, '=');
    if (eq)
        *eq = '\0';
    const char *near = tether_cli_closest(word, names, n);
    int rc = near ? tether_cli_usage_error(prog, cmd,
                                           "unknown option '%s' (did you "
                                           "mean '--%s'?)",
                                           arg, near)
                  : tether_cli_usage_error(prog, cmd, "unknown option '%s'",
                                           arg);
    free(word);
    free(names);
    return rc;
}

int
tether_cli_unknown_command(const char *prog, const char *word,
                           const char *const *names, size_t n)
{
    const char *near = tether_cli_closest(word, names, n);
    if (near)
        return tether_cli_usage_error(prog, NULL,
                                      "'%s' is not a command (did you mean "
                                      "'%s'?)",
                                      word, near);
    return tether_cli_usage_error(prog, NULL, "'%s' is not a command", word);
}

int
tether_cli_month(const char *s)
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

int
tether_cli_period_resolve(const char *prog, const char *cmd,
                          const struct tether_cli_period *o,
                          struct tether_period *out)
{
    if (o->has_from != o->has_to)
        return tether_cli_usage_error(prog, cmd,
                                      "--from and --to go together");
    if (o->has_from && o->quarter)
        return tether_cli_usage_error(prog, cmd,
                                      "--quarter and --from/--to exclude "
                                      "each other");
    if (o->has_from) {
        if (tether_period_range(out, o->from, o->to))
            return tether_cli_usage_error(prog, cmd, "--to is before --from");
    } else if (o->quarter) {
        if (tether_period_quarter(out, o->quarter, o->fiscal_start))
            return tether_cli_usage_error(prog, cmd,
                                          "'%s' is not a quarter (e.g. "
                                          "2026Q3)",
                                          o->quarter);
    } else {
        tether_period_last_ended(out, tether_date_today(), o->fiscal_start);
    }
    return 0;
}
