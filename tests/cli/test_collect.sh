#!/usr/bin/env bash
# test_collect.sh - tether-collect on canonical CSV files written for the
# purpose (tests/data/collect), with every count worked out by hand.
. "$(dirname "$0")/lib.sh"
D="$ROOT/tests/data/collect"
cd "$D" || exit 1

# --- roster: versions, aliases, default zone, complete snapshots ---------
run tether-collect people --as-of 2026-01-01 --default-timezone Europe/Paris \
    people-q1.csv
expect_eq "roster q1 exit status" "$RC" 0
expect_eq "roster q1 summary" "$ERR" "people-q1.csv: 5 rows: 5 loaded, 0 rejected"
expect_eq "database is private" "$(stat -c %a "$TETHER_DB")" 600
expect_eq "work mode aliases (Mobile, On-Site, virtual)" \
    "$(sql "SELECT group_concat(work_mode, ',') FROM (SELECT v.work_mode FROM person_versions v JOIN people p ON p.id = v.person ORDER BY p.person_id)")" \
    "office,remote,office,remote,hybrid"
expect_eq "default time zone for a row without one" \
    "$(sql "SELECT timezone FROM person_versions v JOIN people p ON p.id = v.person WHERE person_id = 'p5'")" \
    "Europe/Paris"
expect_eq "emails lower-cased" "$(sql "SELECT email FROM people WHERE person_id = 'p1'")" \
    "ann.lee@example.com"
expect_eq "other columns are attributes" \
    "$(sql "SELECT group_concat(a.name || '=' || a.value) FROM person_attributes a JOIN person_versions v ON v.id = a.version JOIN people p ON p.id = v.person WHERE person_id = 'p3'")" \
    "level=L4"

run tether-collect people --as-of 2026-07-01 --complete people-q3.csv
expect_eq "roster q3 exit status" "$RC" 0
expect_match "roster q3 summary" "$ERR" "people-q3.csv: 4 rows: 0 loaded, 2 updated, 2 unchanged, 0 rejected"
expect_match "complete snapshot marks the absent as left" "$ERR" "1 people absent from this complete roster left on 2026-07-01"
expect_eq "p5 left on the snapshot date" "$(sql "SELECT left_on FROM people WHERE person_id = 'p5'")" "2026-07-01"
expect_eq "a relocated person has two versions" \
    "$(sql "SELECT group_concat(valid_from || ' ' || work_mode || ' ' || site || ' ' || timezone, '|') FROM (SELECT v.* FROM person_versions v JOIN people p ON p.id = v.person WHERE person_id = 'p1' ORDER BY valid_from)")" \
    "2026-01-01 office Paris Europe/Paris|2026-07-01 remote Sydney Australia/Sydney"
expect_eq "an attribute change makes a version" \
    "$(sql "SELECT count(*) FROM person_versions v JOIN people p ON p.id = v.person WHERE person_id = 'p2'")" 2
expect_eq "alias of the same mode makes no version" \
    "$(sql "SELECT count(*) FROM person_versions v JOIN people p ON p.id = v.person WHERE person_id IN ('p3', 'p4')")" 2
expect_eq "versions in all" "$(sql "SELECT count(*) FROM person_versions")" 7

# An older snapshot loaded later does not overwrite newer names or emails.
printf 'person_id,name,email,work_mode\np2,Old Name,old@example.com,remote\n' >"$T/old.csv"
run tether-collect people --as-of 2025-06-01 "$T/old.csv"
expect_eq "an older snapshot keeps the latest name" \
    "$(sql "SELECT name || ' ' || email FROM people WHERE person_id = 'p2'")" \
    "Bo Chen bo.chen@example.com"

# --- pairs: unknown and self-mentoring people are rejected rows ----------
run tether-collect pairs pairs.csv
expect_eq "pairs exit status with rejects" "$RC" 1
expect_eq "pairs rejected rows, each with its line and column" "$ERR" \
"pairs.csv:5: column mentee: 'p99' is not in the roster (person_id or e-mail)
pairs.csv:6: column mentee: a person cannot mentor themselves
pairs.csv:7: column started_on: '2026-13-01' is not a date (YYYY-MM-DD)
pairs.csv:8: column mentee_chose: 'maybe' is not yes or no
pairs.csv: 7 rows: 3 loaded, 4 rejected"
expect_eq "pairs loaded, mentee found by e-mail in any case" \
    "$(sql "SELECT group_concat(p.pair_id || ':' || m.person_id || ':' || coalesce(p.mentee_chose, '-') || ':' || p.cadence_days, ' ') FROM pairs p JOIN people m ON m.id = p.mentee ORDER BY p.pair_id")" \
    "A:p2:1:14 B:p4:0:30 C:p5:-:30"
expect_eq "rejects kept with their raw text" \
    "$(sql "SELECT raw FROM rejects WHERE line = 5 AND column_name = 'mentee'")" \
    "D,Global,p1,p99,2026-01-05,,yes,14"

# --- meetings -------------------------------------------------------------
run tether-collect meetings meetings.csv
expect_eq "meetings exit status" "$RC" 1
expect_eq "meetings messages" "$ERR" \
"tether-collect: meetings.csv: warning: ignoring columns room
meetings.csv:7: column pair_id: 2025-01-01T10:00Z is outside pair B's dates
meetings.csv:8: matches no pair active on 2026-03-10T14:00Z
meetings.csv:9: column started_at: '2026-02-09 09:00' has no UTC offset and there is no timezone column
meetings.csv:10: column duration_min: 'abc' is not a number of minutes from 0 to 1440
meetings.csv:11: column medium: 'fax' is not a medium (video, phone, in_person, chat, email, other)
meetings.csv:12: column meeting_id: meeting m1 appears again with other content
meetings.csv: 11 rows: 4 loaded, 1 duplicates, 6 rejected"
expect_eq "a duplicated meeting is stored once" "$(sql "SELECT count(*) FROM contacts WHERE source_key = 'm1'")" 1
expect_eq "a group session counts for each pair in it" \
    "$(sql "SELECT group_concat(p.pair_id, ',') FROM contacts c JOIN pairs p ON p.id = c.pair WHERE source_key = 'm4' ORDER BY p.pair_id")" "A,B"
expect_eq "contact rows" "$(sql "SELECT count(*) FROM contacts")" 5
expect_eq "offsets are converted to UTC" \
    "$(sql "SELECT datetime(started_at, 'unixepoch') FROM contacts WHERE source_key = 'm1'")" "2026-01-12 08:00:00"
expect_eq "unknown durations stay unknown" \
    "$(sql "SELECT coalesce(duration_min, 'null') || ' ' || medium || ' ' || kind FROM contacts WHERE source_key = 'm3'")" \
    "null chat impromptu"

before=$(sql "SELECT count(*) FROM contacts; SELECT count(*) FROM imports; SELECT count(*) FROM rejects")
run tether-collect meetings meetings.csv
expect_eq "re-importing the same file is recognised" "$ERR" \
    "tether-collect: 'meetings.csv' was imported before; skipped"
expect_eq "re-importing changes no count" \
    "$(sql "SELECT count(*) FROM contacts; SELECT count(*) FROM imports; SELECT count(*) FROM rejects")" "$before"
cp meetings.csv "$T/copy.csv"; echo >>"$T/copy.csv"
run tether-collect meetings "$T/copy.csv"
expect_match "an overlapping export adds no duplicates" "$ERR" "11 rows: 0 loaded, 4 unchanged, 1 duplicates, 6 rejected"
expect_eq "an overlapping export changes no contact" "$(sql "SELECT count(*) FROM contacts")" 5

run tether-collect meetings meetings-fix.csv
expect_eq "a corrected meeting is updated" "$ERR" \
    "meetings-fix.csv: 2 rows: 1 loaded, 1 updated, 0 rejected"
expect_eq "the update replaced the old content" \
    "$(sql "SELECT duration_min || ' ' || summary_sent FROM contacts WHERE source_key = 'm2'")" "50.0 1"

# --- bad files: clear errors, nothing lost, nothing half-loaded -----------
before=$(sql "SELECT count(*) FROM people; SELECT count(*) FROM imports")
run tether-collect people --strict latin1.csv
expect_eq "--strict exits 1" "$RC" 1
expect_match "--strict names the bad row" "$ERR" "latin1.csv:2: column name: invalid UTF-8"
expect_match "--strict says nothing was loaded" "$ERR" "1 rows rejected; nothing loaded \(--strict\)"
expect_eq "--strict loaded nothing" "$(sql "SELECT count(*) FROM people; SELECT count(*) FROM imports")" "$before"
run tether-collect people latin1.csv
expect_eq "without --strict the good rows load" "$RC" 1
expect_eq "the good row is there" "$(sql "SELECT name FROM people WHERE person_id = 'x2'")" "Good Name"
expect_eq "the bad row is not" "$(sql "SELECT count(*) FROM people WHERE person_id = 'x1'")" 0

before=$(sql "SELECT count(*) FROM people; SELECT count(*) FROM imports")
run tether-collect people notroster.csv
expect_eq "a file that is not a roster exits 3" "$RC" 3
expect_eq "and says why" "$ERR" \
    "tether-collect: notroster.csv:1: column person_id: required column missing (is this a people file?)"
run tether-collect people no-such-file.csv
expect_eq "a missing file exits 3" "$RC" 3
expect_eq "a missing file's message" "$ERR" \
    "tether-collect: cannot open 'no-such-file.csv': No such file or directory"
run tether-collect pairs "$T"
expect_eq "a directory exits 3" "$RC" 3
run tether-collect meetings "$TESTDATA/csvkit-examples/test_latin1.csv"
expect_eq "an unrecognised meetings file exits 3" "$RC" 3
expect_match "and asks for --format" "$ERR" "cannot tell the format of this file; give --format"
expect_eq "failed files change nothing" "$(sql "SELECT count(*) FROM people; SELECT count(*) FROM imports")" "$before"

# --- the command line -----------------------------------------------------
run tether-collect --help
expect_eq "--help exits 0" "$RC" 0
expect_match "--help lists the commands" "$OUT" "^  people     a roster snapshot"
for c in people pairs meetings survey status; do
    run tether-collect "$c" --help
    expect_match "$c --help shows its usage" "$OUT" "^usage: tether-collect \[--db PATH\] $c"
done
run tether-collect
expect_eq "no command exits 2" "$RC" 2
expect_eq "no command message" "$ERR" "tether-collect: no command given
Try 'tether-collect --help' for more information."
run tether-collect people --bogus x.csv
expect_eq "unknown option exits 2" "$RC" 2
expect_match "unknown option is named" "$ERR" "unknown option '--bogus'"
run tether-collect pairs --as-of 2026-01-01 pairs.csv
expect_eq "an option of another command exits 2" "$RC" 2
run tether-collect people --as-of 2026-02-30 people-q1.csv
expect_match "a bad date option is named" "$ERR" "'2026-02-30' is not a date"
run tether-collect --version
expect_match "--version" "$OUT" "^tether-collect [0-9]+\.[0-9]+"

run tether-collect status
expect_eq "status exits 0" "$RC" 0
expect_match "status counts people" "$OUT" "people +6 \(5 employed\)"
expect_match "status counts contacts" "$OUT" "contacts +6 \(2026-01-12 to 2026-04-06\)"
expect_match "status lists rejects" "$OUT" "latin1.csv:2 +column name: invalid UTF-8"

# Schema version 2: the CHECK constraints of the bulk-written tables cost
# no temporary table per inserted row (SQLite builds one for an IN list of
# three values or more), and still refuse what they refused.
expect_eq "schema version" "$(sql "PRAGMA user_version")" 5
for ins in "INSERT INTO contacts (pair, started_at, source_key, duration_min, medium, kind, summary_sent, content_hash, import_id, initiator) VALUES (1, 0, 'k', NULL, 'video', 'scheduled', NULL, 0, 1, 'mentee')" \
    "INSERT INTO person_versions (person, valid_from, work_mode, timezone) VALUES (1, '2030-01-01', 'remote', 'UTC')"; do
    expect_eq "no temporary table: ${ins%% VALUES*}" \
        "$(sql "EXPLAIN $ins" | grep -c OpenEphemeral)" 0
done
expect_match "a medium outside the list is refused" \
    "$(sql "INSERT INTO contacts (pair, started_at, source_key, duration_min, medium, kind, summary_sent, content_hash, import_id) VALUES (1, 0, 'k', NULL, 'fax', 'scheduled', NULL, 0, 1)" 2>&1)" \
    "CHECK constraint failed"
expect_match "an initiator outside the list is refused" \
    "$(sql "INSERT INTO contacts (pair, started_at, source_key, duration_min, medium, kind, summary_sent, content_hash, import_id, initiator) VALUES (1, 0, 'k', NULL, 'video', 'scheduled', NULL, 0, 1, 'hr')" 2>&1)" \
    "CHECK constraint failed"
