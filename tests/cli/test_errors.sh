#!/usr/bin/env bash
# test_errors.sh - a failed query is an error of the program, never an
# answer: a roster look-up whose statement fails is not "not in the
# roster", and a stored-run look-up that fails is not "no run" (which would
# start a new analysis). Each failure exits with the status of its error
# (README, "Exit status") and says what failed.
. "$(dirname "$0")/lib.sh"

D=$ROOT/tests/data/collect
cd "$T" || exit 1
run tether-collect people --as-of 2026-01-01 "$D/people-q1.csv"
expect_eq "roster loaded" "$RC" 0

# A people table whose rows cannot be read: a view whose id overflows, so
# that the look-up's step fails on the first row it reads.
sql "PRAGMA foreign_keys = OFF; ALTER TABLE people RENAME TO people_t;
     CREATE VIEW people AS SELECT abs(-9223372036854775807 - 1) AS id,
     person_id, email FROM people_t;"
cp "$TETHER_DB" broken.db
run tether-collect pairs "$D/pairs.csv"
expect_eq "failed roster look-up: the database error, exit 3" "$RC:$ERR" \
    "3:tether-collect: $D/pairs.csv: database error: cannot look up 'p1': integer overflow; nothing loaded from this file"
expect_eq "failed roster look-up: no pair loaded, no row rejected" \
    "$(sql "SELECT (SELECT count(*) FROM pairs) || ' ' || (SELECT count(*) FROM rejects)")" \
    "0 0"

# A runs table that cannot be read: tether-report stops with the reason
# instead of analysing again.
cp broken.db "$TETHER_DB"
sql "DROP VIEW people; ALTER TABLE people_t RENAME TO people;
     ALTER TABLE runs RENAME TO runs_t;
     CREATE VIEW runs AS SELECT abs(-9223372036854775807 - 1) AS id,
     created_at, period_start, period_end, as_of, params, result FROM runs_t;
     INSERT INTO runs_t (created_at, period_start, period_end, as_of, params,
     result)
     VALUES ('2026-10-01T00:00:00Z', '2026-07-01', '2026-09-30',
     '2026-09-30', '{}', '{}');"
run tether-report --quarter 2026Q3 --out "$T/rep"
expect_eq "failed run look-up: the database error, exit 3" "$RC:$ERR" \
    "3:tether-report: cannot read the stored runs: integer overflow"

# The analysis says which dimension is unknown and exits 2 (a usage error)
# from the error's code, whatever its message says.
rm -f "$TETHER_DB"
run tether-collect people --as-of 2026-01-01 "$D/people-q1.csv"
run tether-analyze --quarter 2026Q1 --by level,nosuch
expect_eq "unknown dimension: exit 2" "$RC:$ERR" \
    "2:tether-analyze: 'nosuch' is not a dimension (department, site, work_mode or a roster column)
Try 'tether-analyze --help' for more information."
