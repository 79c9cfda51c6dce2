#!/usr/bin/env bash
# test_meetings_writer.sh - a first meetings load (an empty contacts table)
# writes its contacts on a second thread, 1,024 rows at a time, and skips
# the de-duplication look-up of keys a Bloom filter has never seen. A key
# that comes again must still be found, whether its first row is already
# written, with the writer, or still waiting; a row rejected between them
# must be logged; and a write that fails on the writer's thread must lose
# the file whole, as on the import's own thread.
. "$(dirname "$0")/lib.sh"

cd "$T" || exit 1
org_files 10 2026-01-01
run tether-collect people people.csv
run tether-collect pairs pairs.csv
cp "$TETHER_DB" base.db

# 5,000 meetings m1..m5000 of pairs P1..P10; then m10 again (long written),
# m4990 again (in the chunk still filling), m3000 with another duration
# (a conflict), and a row with a bad medium.
awk 'BEGIN {
    print "meeting_id,pair_id,started_at,duration_min,medium"
    for (i = 1; i <= 5000; i++)
        printf "m%d,P%d,2026-03-01T%02d:%02d:%02dZ,30,video\n", i, i % 10 + 1,
            int(i / 3600) + 8, int(i / 60) % 60, i % 60
    printf "m10,P1,2026-03-01T08:00:10Z,30,video\n"
    printf "m4990,P1,2026-03-01T09:23:10Z,30,video\n"
    printf "m3000,P1,2026-03-01T08:50:00Z,45,video\n"
    printf "bad,P1,2026-03-01T10:00:00Z,30,telepathy\n"
}' >first.csv
run tether-collect meetings first.csv
expect_eq "first load: every meeting once, the repeats found" "$RC" 1
expect_match "first load: summary" "$ERR" \
    "first.csv: 5004 rows: 5000 loaded, 2 duplicates, 2 rejected"
expect_eq "first load: 5,000 contacts" "$(sql "SELECT count(*) FROM contacts")" 5000
expect_eq "first load: the conflict and the bad medium logged" \
    "$(sql "SELECT line || ' ' || column_name FROM rejects ORDER BY line")" \
    "5004 meeting_id
5005 medium"
expect_eq "first load: m3000 keeps its first duration" \
    "$(sql "SELECT duration_min FROM contacts WHERE source_key = 'm3000'")" 30.0

# The same file again into the database before it, where a trigger refuses
# one contact in the middle: the INSERT fails on the writer's thread, and
# the file is lost whole with SQLite's message.
rm -f "$TETHER_DB"*
cp base.db "$TETHER_DB"
sql "CREATE TRIGGER refuse BEFORE INSERT ON contacts
     WHEN NEW.source_key = 'm2500' BEGIN SELECT RAISE(FAIL, 'refused here'); END"
run tether-collect meetings first.csv
expect_eq "a failed write on the writer's thread fails the import" "$RC" 3
expect_match "the message names the file and SQLite's reason" "$ERR" \
    "first.csv: .*refused here"
expect_eq "no contact stays" "$(sql "SELECT count(*) FROM contacts")" 0
expect_eq "no reject stays" "$(sql "SELECT count(*) FROM rejects")" 0
expect_eq "no import row stays" \
    "$(sql "SELECT count(*) FROM imports WHERE kind = 'meetings'")" 0
