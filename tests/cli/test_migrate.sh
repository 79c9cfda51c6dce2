#!/usr/bin/env bash
# test_migrate.sh - a database of schema version 1 (tests/data/migrate/
# v1.sql, written by tether before version 2) moves forward when a tether
# program that writes opens it: nothing collected is lost, the analysis runs
# made before are dropped (they lack the work modes), and the analysis and
# the report work on it as on a new database.
. "$(dirname "$0")/lib.sh"

sqlite3 "$TETHER_DB" <"$ROOT/tests/data/migrate/v1.sql"
expect_eq "fixture: version 1 with one run" \
    "$(sql "PRAGMA user_version") $(sql "SELECT count(*) FROM runs")" "1 1"
counts="SELECT (SELECT count(*) FROM people) || ' ' ||
    (SELECT count(*) FROM person_versions) || ' ' ||
    (SELECT count(*) FROM pairs) || ' ' || (SELECT count(*) FROM contacts)
    || ' ' || (SELECT count(*) FROM imports)"
before=$(sql "$counts")

run tether-collect status
expect_eq "status migrates and exits 0" "$RC" 0
expect_eq "schema version 5" "$(sql "PRAGMA user_version")" 5
expect_eq "nothing collected is lost" "$(sql "$counts")" "$before"
expect_eq "old runs dropped with their rows" \
    "$(sql "SELECT (SELECT count(*) FROM runs) + (SELECT count(*) FROM pair_health) + (SELECT count(*) FROM metrics)")" 0
expect_eq "integrity" "$(sql "PRAGMA integrity_check")" ok
expect_eq "foreign keys" "$(sql "PRAGMA foreign_key_check")" ""
expect_eq "people's unique constraints are named unique indexes (version 5)" \
    "$(sql "SELECT group_concat(name || ': ' || sql, '; ') FROM (SELECT name, sql FROM sqlite_schema WHERE tbl_name = 'people' ORDER BY name)")" \
    "people: CREATE TABLE people (  id INTEGER PRIMARY KEY,  person_id TEXT NOT NULL,  name TEXT,  email TEXT,  joined_on TEXT,  left_on TEXT,  snapshot_as_of TEXT); people_email: CREATE UNIQUE INDEX people_email ON people(email); people_person_id: CREATE UNIQUE INDEX people_person_id ON people(person_id)"
expect_match "the renamed e-mail index still refuses a taken e-mail" \
    "$(sql "INSERT INTO people (person_id, email) SELECT 'zz', email FROM people WHERE email IS NOT NULL LIMIT 1" 2>&1)" \
    "UNIQUE constraint failed: people.email"
expect_match "the renamed person_id index still refuses a taken person_id" \
    "$(sql "INSERT INTO people (person_id) SELECT person_id FROM people LIMIT 1" 2>&1)" \
    "UNIQUE constraint failed: people.person_id"
expect_eq "roster_members starts empty" "$(sql "SELECT count(*) FROM roster_members")" 0
expect_match "CHECK constraints rewritten" \
    "$(sql "SELECT group_concat(sql, ' ') FROM (SELECT sql FROM sqlite_schema WHERE name IN ('contacts', 'person_versions') ORDER BY name)")" \
    "medium = 'video' OR .*work_mode = 'remote' OR"
expect_eq "no temporary table per inserted contact" \
    "$(sql "EXPLAIN INSERT INTO contacts (pair, started_at, source_key, duration_min, medium, kind, summary_sent, content_hash, import_id) VALUES (1, 0, 'k', NULL, 'video', 'scheduled', NULL, 0, 1)" | grep -c OpenEphemeral)" 0
expect_eq "contacts of version 1 have an unknown initiator" \
    "$(sql "SELECT count(*) FROM contacts WHERE initiator <> 'unknown'")" 0

run tether-collect status
expect_eq "a second open changes nothing" "$RC $(sql "PRAGMA user_version")" "0 5"

# The analysis gives what it gives on a database collected by this version
# (test_analyze.sh checks the figures themselves).
run tether-analyze --quarter 2026Q2 --format json
expect_eq "analyze exits 0" "$RC" 0
printf '%s\n' "$OUT" >"$T/migrated.json"
FRESH=$T/fresh.db
D=$ROOT/tests/data/analyze
TETHER_DB=$FRESH tether-collect people --as-of 2026-03-01 "$D/people.csv" >/dev/null 2>&1
TETHER_DB=$FRESH tether-collect people --as-of 2026-05-01 "$D/people-moved.csv" >/dev/null 2>&1
TETHER_DB=$FRESH tether-collect pairs "$D/pairs.csv" >/dev/null 2>&1
TETHER_DB=$FRESH tether-collect meetings "$D/meetings.csv" >/dev/null 2>&1
TETHER_DB=$FRESH tether-analyze --quarter 2026Q2 --format json >"$T/fresh.json"
expect_eq "analysis equals a fresh database's" \
    "$(cmp "$T/migrated.json" "$T/fresh.json" && echo same)" same
expect_eq "work modes stored" \
    "$(sql "SELECT count(*) FROM pair_health WHERE mentor_mode IS NULL OR mentee_mode IS NULL")" 0
run tether-report --quarter 2026Q2 --xlsx --out "$T/rep"
expect_eq "report exits 0" "$RC" 0
