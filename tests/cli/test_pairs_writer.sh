#!/usr/bin/env bash
# test_pairs_writer.sh - a first pairs load (an empty pairs table) writes
# its pairs on a second thread, 1,024 rows at a time. A pair that comes
# again must still be found, whether its first row is already written,
# with the writer, or still waiting; rows rejected between them must be
# logged; and a write that fails on the writer's thread must lose the
# file whole, with the indexes the load dropped back in place.
. "$(dirname "$0")/lib.sh"

cd "$T" || exit 1
org_files 3000 2026-01-01
run tether-collect people people.csv
cp "$TETHER_DB" base.db

# pairs.csv of org_files: P1..P3000; then P10 again (long written), P2990
# again (in the chunk being filled), P1500 with another mentor (a
# conflict) and a pair whose mentor is not in the roster.
cp pairs.csv first.csv
cat >>first.csv <<'EOF'
P10,Global,p10,p3010,2026-01-01
P2990,Global,p2990,p5990,2026-01-01
P1500,Global,p1,p4500,2026-01-01
P9999,Global,nobody,p4500,2026-01-01
EOF
run tether-collect pairs first.csv
expect_eq "first load: every pair once, the repeats found" "$RC" 1
expect_match "first load: summary" "$ERR" \
    "first.csv: 3004 rows: 3000 loaded, 2 duplicates, 2 rejected"
expect_eq "first load: 3,000 pairs" "$(sql "SELECT count(*) FROM pairs")" 3000
expect_eq "first load: the conflict and the unknown mentor logged" \
    "$(sql "SELECT line || ' ' || column_name FROM rejects ORDER BY line")" \
    "3004 pair_id
3005 mentor"
expect_eq "first load: P1500 keeps its first mentor" \
    "$(sql "SELECT m.person_id FROM pairs p JOIN people m ON m.id = p.mentor
            WHERE p.pair_id = 'P1500'")" p1500
expect_eq "first load: the indexes are back, as the schema defines them" \
    "$(sql "SELECT sql FROM sqlite_schema WHERE tbl_name = 'pairs'
            AND type = 'index' AND sql IS NOT NULL ORDER BY name")" \
    "CREATE INDEX pairs_mentee ON pairs(mentee)
CREATE INDEX pairs_mentor ON pairs(mentor)"

# The same file again into the database before it, where a trigger
# refuses one pair in the middle: the INSERT fails on the writer's
# thread, and the file is lost whole with SQLite's message.
rm -f "$TETHER_DB"*
cp base.db "$TETHER_DB"
sql "CREATE TRIGGER refuse BEFORE INSERT ON pairs
     WHEN NEW.pair_id = 'P2000' BEGIN SELECT RAISE(FAIL, 'refused here'); END"
run tether-collect pairs first.csv
expect_eq "a failed write on the writer's thread fails the import" "$RC" 3
expect_match "the message names the file and SQLite's reason" "$ERR" \
    "first.csv: .*refused here"
expect_eq "no pair stays" "$(sql "SELECT count(*) FROM pairs")" 0
expect_eq "no reject stays" "$(sql "SELECT count(*) FROM rejects")" 0
expect_eq "the indexes are still there" \
    "$(sql "SELECT count(*) FROM sqlite_schema WHERE name IN
            ('pairs_mentor', 'pairs_mentee')")" 2
