/* cli.h - what the four programs' command lines share: usage errors that
 * point at --help, "did you mean" for a mistyped command or long option,
 * and the period options (--quarter, --from/--to, --fiscal-start). Like
 * main() itself, these print to stderr. */
#ifndef TETHER_CLI_H
#define TETHER_CLI_H

#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "tether/err.h"
#include "tether/period.h"

/* The exit status of a usage error (STYLE: misuse exits 2). */
#define TETHER_CLI_USAGE 2

/* The exit status of an error, the same in every program: 0 for
 * TETHER_OK, 2 for TETHER_ERR_USAGE, failed (the program's status for
 * "nothing done": 3, or 1 for tether-sample) for the others. */
int tether_cli_exit_status(enum tether_err e, int failed);

/* Prints "PROG: MESSAGE" and "Try 'PROG [CMD] --help' for more
 * information." on stderr (cmd may be NULL) and returns TETHER_CLI_USAGE. */
int tether_cli_usage_error(const char *prog, const char *cmd, const char *fmt,
                           ...) __attribute__((format(printf, 3, 4)));
/* The same with a va_list, for a program's own wrapper. */
int tether_cli_vusage_error(const char *prog, const char *cmd,
                            const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* The name of names[0..n) closest to word by edit distance (insertions,
 * deletions, substitutions and swaps of neighbours, any case), when it is
 * near enough to be a slip: at most 1 edit for words up to 4 letters, 2
 * up to 8, 3 beyond. NULL when none is. */
const char *tether_cli_closest(const char *word, const char *const *names,
                               size_t n);

/* The usage error of an unknown long option arg ("--as-off" or
 * "--as-off=x") among opts (ended by a NULL name), with "(did you mean
 * '--as-of'?)" when one is close. */
int tether_cli_unknown_option(const char *prog, const char *cmd,
                              const char *arg, const struct option *opts);

/* The usage error of an unknown command word among names[0..n), with a
 * suggestion when one is close. */
int tether_cli_unknown_command(const char *prog, const char *word,
                               const char *const *names, size_t n);

/* A month as given to --fiscal-start: 1 to 12, or a name in English of at
 * least three letters ("apr", "April"). -1 when it is neither. */
int tether_cli_month(const char *s);

/* The period options as given. */
struct tether_cli_period {
    const char *quarter; /* --quarter, or NULL */
    int32_t from, to;    /* --from, --to (days) */
    int has_from, has_to;
    int fiscal_start; /* --fiscal-start, 1 = calendar */
};

/* Sets *out from the options: the quarter, the range, or by default the
 * last quarter that has ended before today. A usage error (printed, the
 * exit status returned) when they contradict each other; 0 otherwise. */
int tether_cli_period_resolve(const char *prog, const char *cmd,
                              const struct tether_cli_period *o,
                              struct tether_period *out);

#endif
