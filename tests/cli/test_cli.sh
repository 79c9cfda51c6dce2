#!/usr/bin/env bash
# test_cli.sh - the command-line helpers the four programs share
# (core/cli.c): "did you mean" for a mistyped command or long option, the
# options every loading command shares given before the command, and
# --fiscal-start taking a month's name in tether-report as in
# tether-analyze.
. "$(dirname "$0")/lib.sh"

D=$ROOT/tests/data/collect
cd "$T" || exit 1

run tether-collect peeple "$D/people-q1.csv"
expect_eq "mistyped command: the closest one" "$RC:$ERR" \
    "2:tether-collect: 'peeple' is not a command (did you mean 'people'?)
Try 'tether-collect --help' for more information."
run tether-collect xyzzy "$D/people-q1.csv"
expect_eq "a word near no command: no suggestion" "$RC:$ERR" \
    "2:tether-collect: 'xyzzy' is not a command
Try 'tether-collect --help' for more information."
run tether-collect people --as-off 2026-01-01 "$D/people-q1.csv"
expect_eq "mistyped option: the closest one, with the command's help" \
    "$RC:$ERR" \
    "2:tether-collect: unknown option '--as-off' (did you mean '--as-of'?)
Try 'tether-collect people --help' for more information."
run tether-collect people --as-off=2026-01-01 "$D/people-q1.csv"
expect_match "mistyped option with =value: judged by its name" "$ERR" \
    "unknown option '--as-off=2026-01-01' \(did you mean '--as-of'\?\)"
run tether-collect --qiet people "$D/people-q1.csv"
expect_eq "mistyped option before the command" "$RC:$ERR" \
    "2:tether-collect: unknown option '--qiet' (did you mean '--quiet'?)
Try 'tether-collect --help' for more information."

# --quiet and --strict before the command mean what they mean after it.
run tether-collect --quiet people --as-of 2026-01-01 "$D/people-q1.csv"
expect_eq "--quiet before the command: loaded, nothing said" \
    "$RC:$OUT:$ERR:$(sql "SELECT count(*) FROM people")" "0:::5"
printf 'pair_id,program,mentor,mentee,started_on\nA,Global,p1,p2,2026-01-05\nB,Global,p1,nobody,2026-01-05\n' >pairs.csv
run tether-collect --strict --quiet pairs pairs.csv
expect_eq "--strict before the command: nothing loaded, exit 1" \
    "$RC:$(sql "SELECT count(*) FROM pairs")" "1:0"

run tether-analyze --quartr 2026Q1
expect_eq "tether-analyze: mistyped option" "$RC:$ERR" \
    "2:tether-analyze: unknown option '--quartr' (did you mean '--quarter'?)
Try 'tether-analyze --help' for more information."
run tether-analyze piars
expect_eq "tether-analyze: mistyped command" "$RC:$ERR" \
    "2:tether-analyze: 'piars' is not a command (did you mean 'pairs'?)
Try 'tether-analyze --help' for more information."
run tether-report --out rep --qarter 2026Q1
expect_eq "tether-report: mistyped option" "$RC:$ERR" \
    "2:tether-report: unknown option '--qarter' (did you mean '--quarter'?)
Try 'tether-report --help' for more information."
run tether-sample --seeed 3 --out s
expect_eq "tether-sample: mistyped option" "$RC:$ERR" \
    "2:tether-sample: unknown option '--seeed' (did you mean '--seed'?)
Try 'tether-sample --help' for more information."

# The period options: one parser for tether-analyze and tether-report
# (which needs a pair in the period: pair A, without --strict).
tether-collect --quiet pairs pairs.csv >/dev/null 2>&1
run tether-report --fiscal-start april --quarter 2027Q1 --out rep --csv
expect_eq "tether-report --fiscal-start april: the fiscal quarter" \
    "$RC:$(sql "SELECT period_start || ' ' || period_end FROM runs")" \
    "0:2026-04-01 2026-06-30"
run tether-report --fiscal-start 13 --quarter 2026Q1 --out rep
expect_eq "tether-report --fiscal-start 13" "$RC:$ERR" \
    "2:tether-report: '13' is not a month
Try 'tether-report --help' for more information."
run tether-report --quarter 2026Q1 --from 2026-01-01 --to 2026-01-31 --out rep
expect_eq "tether-report: --quarter and --from/--to" "$RC:$ERR" \
    "2:tether-report: --quarter and --from/--to exclude each other
Try 'tether-report --help' for more information."
run tether-analyze --quarter 2026Q1 --from 2026-01-01 --to 2026-01-31
expect_eq "tether-analyze: --quarter and --from/--to, the same words" \
    "$RC:$ERR" \
    "2:tether-analyze: --quarter and --from/--to exclude each other
Try 'tether-analyze --help' for more information."
run tether-analyze --fiscal-start Sept --quarter 2026Q1 --format json
expect_match "tether-analyze --fiscal-start Sept" "$RC:$OUT" \
    '^0:\{"period": \{"label":"FY2026Q1","start":"2025-09-01","end":"2025-11-30"'

# A command's options may follow its files, as in GNU programs; '--' ends
# them, and what follows is a file even when it looks like an option.
run tether-collect pairs pairs.csv --quiet
expect_eq "tether-collect pairs FILE --quiet: loaded, nothing said" \
    "$RC:$ERR" "0:"
run tether-collect pairs -- --quiet
expect_eq "tether-collect pairs -- --quiet: a file named --quiet" "$RC:$ERR" \
    "3:tether-collect: cannot open '--quiet': No such file or directory"
run tether-collect mesages x.csv
expect_eq "tether-collect mesages: did you mean messages" "$RC:$ERR" \
    "2:tether-collect: 'mesages' is not a command (did you mean 'messages'?)
Try 'tether-collect --help' for more information."
