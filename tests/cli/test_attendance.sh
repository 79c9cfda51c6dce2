#!/usr/bin/env bash
# test_attendance.sh - Zoom, Teams and Google Meet attendance reports: every
# file of $TESTDATA/attendance, plus Teams (UTF-16LE, US times, classic
# list) and Meet reports written here from FORMATS.md section 3.
. "$(dirname "$0")/lib.sh"
A=$TESTDATA/attendance

# The roster holds the files' addresses. John Lennon has no e-mail and is
# found by name; two people are called George Martin, so that name is
# ambiguous; Ringo's address is stored lower-case (the file writes
# ringoRocks@); Johnny Walker is known by his Teams UPN only.
cat >"$T/people.csv" <<'CSV'
person_id,name,email,work_mode
z1,Andrew Knight,knightap@wustl.edu,remote
z2,John Lennon,,office
z3,Paul McCartney,paul@gmail.com,office
z4,George Martin,gm1@example.com,office
z5,George Martin,gm2@example.com,remote
z6,Ringo Starr,ringorocks@beatles.org,remote
z7,Bob Jones,bob@bob.com,office
h1,Loki,loki_asgardian@marvel.com,remote
h2,Swarm,swarm_mutant@marvel.com,office
t1,Jan Janssens,jan.janssens.ext@un.int,remote
t2,Johnny Walker,sergio.mestre@indra-avitech.aero,office
t3,Fred Primus,fredprimus@first.com,office
t4,Razvan Robust,razvan@un.int,remote
t5,Santiago De Compostela,sdc@smallco.co.uk,office
m1,Ada Lovelace,ada@example.com,remote
m2,Grace Hopper,grace@example.com,office
c1,Alan Turing,,remote
c2,Joan Clarke,,office
CSV
# ZE ends on 2020-09-25: the meetings of 27 and 30 September are outside
# it. ZC's mentor is "George Martin", who cannot be told apart by name.
cat >"$T/pairs.csv" <<'CSV'
pair_id,mentor,mentee,started_on,ended_on
ZA,z1,z2,2020-01-01,
ZB,z3,z6,2020-01-01,
ZC,z4,z1,2020-01-01,
ZD,z7,z1,2020-01-01,
ZE,z3,z1,2020-01-01,2020-09-25
HA,h1,h2,2021-01-01,
TA,t1,t2,2022-01-01,
TB,t1,t3,2022-01-01,
TC,t4,t5,2022-01-01,
MA,m1,m2,2026-01-01,
CA,c1,c2,2020-01-01,
CSV
run tether-collect people --as-of 2020-01-01 "$T/people.csv"
expect_eq "roster loads" "$RC" 0
run tether-collect pairs "$T/pairs.csv"
expect_eq "pairs load" "$RC" 0

# Meetings by source key: pairs, start, duration in minutes (2 decimals).
meetings() {
    sql "SELECT c.source_key || ' ' || group_concat(p.pair_id, ',') || ' ' ||
                strftime('%Y-%m-%dT%H:%M:%SZ', min(c.started_at), 'unixepoch')
                || ' ' || printf('%.2f', min(c.duration_min))
         FROM (SELECT * FROM contacts ORDER BY pair) c
         JOIN pairs p ON p.id = c.pair
         WHERE c.source_key LIKE '$1%' GROUP BY c.source_key
         ORDER BY c.source_key"
}

# --- Zoom, unique users with the meeting block (BOM, CRLF, trailing
# commas). meeting001: Meeting ID 00000000001, Start Time 09/24/2020
# 11:35:16 AM (UTC by default), Duration (Minutes) 75. Present: Andrew
# Knight (z1), John Lennon by name (z2), Paul (z3), Ringo (z6, upper-case
# in the file), George Martin (ambiguous: no one), so pairs ZA (z1,z2), ZB
# (z3,z6), ZE (z3,z1); not ZC (George Martin) nor ZD (Bob is absent).
run tether-collect meetings "$A/zoom-zoomGroupStats/meeting001_participants.csv"
expect_eq "zoom 001 exit" "$RC" 0
expect_eq "zoom 001 summary" "$(grep -v warning <<<"$ERR")" \
    "$A/zoom-zoomGroupStats/meeting001_participants.csv: 11 rows: 1 loaded, 0 rejected"
expect_eq "zoom 001 unmatched names warned once" "$(grep warning <<<"$ERR")" \
    "tether-collect: $A/zoom-zoomGroupStats/meeting001_participants.csv: warning: 3 participants without an e-mail matched no single person of the roster by name: George Martin, Yoko Ono, Eric's iPad (Clapton)"
# 002 (27 Sept) and 003 (30 Sept) are after ZE's end: ZA and ZB only.
run tether-collect meetings "$A/zoom-zoomGroupStats/meeting002_participants.csv" \
    "$A/zoom-zoomGroupStats/meeting003_participants.csv"
expect_eq "zoom 002 003 exit" "$RC" 0
# The Excel re-save: "dum" header cell, ",,,,,,," separator, padded rows,
# 9/24/20 13:30, no final newline. Andrew (z1), Bob (z7), and "paul
# mccartney" and "john lennon" without e-mail, found by name: ZA, ZD, ZE.
# Ringo has another address here, so ZB is not met.
run tether-collect meetings "$A/zoom-zoomGroupStats/sample_participants.csv"
expect_eq "zoom excel exit" "$RC" 0
expect_eq "zoom excel warns about Jim's iPad" "$(grep -c "warning: 1 participant without an e-mail matched no single person of the roster by name: Jim's iPad$" <<<"$ERR")" 1
expect_eq "zoom unique-user meetings" "$(meetings zoom:0; meetings zoom:9)" \
"zoom:00000000001:2020-09-24T11:35:16Z ZA,ZB,ZE 2020-09-24T11:35:16Z 75.00
zoom:00000000002:2020-09-27T11:35:16Z ZA,ZB 2020-09-27T11:35:16Z 75.00
zoom:00000000003:2020-09-30T11:35:16Z ZA,ZB 2020-09-30T11:35:16Z 75.00
zoom:99999999999:2020-09-24T13:30:00Z ZA,ZD,ZE 2020-09-24T13:30:00Z 75.00"

# --- Zoom, one row per join. Without the meeting block the meeting starts
# at the earliest join (Loki, 09:54:15 AM) and lasts to the latest leave
# (12:01:59 PM): 127 min 44 s = 127.73. Loki (h1) and Swarm (h2, two
# rows: a rejoin) are both there: pair HA. With the block: Start Time
# 10:00:00 AM, Duration 120, and a join written 9:54:15 AM.
run tether-collect meetings "$A/zoom-zoomclass/participants_heroes.csv" \
    "$A/zoom-zoomclass/participants_heroes_full.csv"
expect_eq "zoom per-join exit" "$RC" 0
expect_eq "zoom per-join summaries" "$ERR" \
"$A/zoom-zoomclass/participants_heroes.csv: 31 rows: 1 loaded, 0 rejected
$A/zoom-zoomclass/participants_heroes_full.csv: 32 rows: 1 loaded, 0 rejected"
expect_eq "zoom per-join meetings" "$(meetings zoom:6; meetings zoom::)" \
"zoom:60245167821:2021-11-19T10:00:00Z HA 2021-11-19T10:00:00Z 120.00
zoom::2021-11-19T09:54:15Z HA 2021-11-19T09:54:15Z 127.73"

# --- Teams, UTF-16 big-endian, TAB-separated, day-first dates.
# 14/11/22: start 09:29:07, duration 21m 7s = 21.12 min; Jan (t1) and Fred
# (t3): TB. 15/11/22: 09:30:17, 11m 31s = 11.52; Johnny Walker's Email is
# not in the roster but his UPN is (t2): TA; Razvan (t4) and Santiago (t5):
# TC; TB. 16/11/22: 09:21:08, 25m 13s = 25.22; TB and TC (no Johnny).
run tether-collect meetings "$A"/teams-dvaneynde/IDL-1*.csv
expect_eq "teams exit" "$RC" 0
expect_eq "teams summaries" "$ERR" \
"$A/teams-dvaneynde/IDL-14-11-22.csv: 7 rows: 1 loaded, 0 rejected
$A/teams-dvaneynde/IDL-15-11-22.csv: 8 rows: 1 loaded, 0 rejected
$A/teams-dvaneynde/IDL-16-11-22.csv: 8 rows: 1 loaded, 0 rejected"
expect_eq "teams meetings" "$(meetings teams:)" \
"teams:Scrum Meeting:2022-11-14T09:29:07Z TB 2022-11-14T09:29:07Z 21.12
teams:Scrum Meeting:2022-11-15T09:30:17Z TA,TB,TC 2022-11-15T09:30:17Z 11.52
teams:Scrum Meeting:2022-11-16T09:21:08Z TB,TC 2022-11-16T09:21:08Z 25.22"
# The UTF-8 copies are the same meetings: nothing new.
run tether-collect meetings "$A"/teams-dvaneynde/utf8/IDL-1*.csv
expect_eq "teams utf8 copies unchanged" "$ERR" \
"$A/teams-dvaneynde/utf8/IDL-14-11-22.csv: 7 rows: 0 loaded, 1 unchanged, 0 rejected
$A/teams-dvaneynde/utf8/IDL-15-11-22.csv: 8 rows: 0 loaded, 1 unchanged, 0 rejected
$A/teams-dvaneynde/utf8/IDL-16-11-22.csv: 8 rows: 0 loaded, 1 unchanged, 0 rejected"

# --- Re-import changes nothing.
before=$(sql "SELECT count(*), sum(started_at), sum(duration_min) FROM contacts")
expect_eq "contacts so far" "$(sql 'SELECT count(*) FROM contacts')" 18
run tether-collect meetings "$A"/zoom-*/*.csv "$A"/teams-dvaneynde/IDL-1*.csv
expect_eq "re-import exit" "$RC" 0
expect_eq "re-import skipped as known" "$(grep -c 'was imported before; skipped' <<<"$ERR")" 9
tr -d '\r' <"$A/zoom-zoomGroupStats/meeting001_participants.csv" >"$T/reexport.csv"
run tether-collect meetings "$T/reexport.csv"
expect_match "re-export without CR is unchanged" "$ERR" "reexport.csv: 11 rows: 0 loaded, 1 unchanged, 0 rejected"
expect_eq "re-import changes nothing" \
    "$(sql "SELECT count(*), sum(started_at), sum(duration_min) FROM contacts")" "$before"

# --- Wrong format and undetectable files are whole-file errors (exit 3).
# (A fresh database: these files are known to the first one.)
TETHER_DB=$T/w.db run tether-collect meetings --format zoom "$A/teams-dvaneynde/IDL-14-11-22.csv"
expect_eq "teams file as zoom exit" "$RC" 3
expect_match "teams file as zoom message" "$ERR" \
    "^tether-collect: .*IDL-14-11-22.csv:1: not a Zoom participants report"
TETHER_DB=$T/w.db run tether-collect meetings --format teams "$A/zoom-zoomclass/participants_heroes.csv"
expect_eq "zoom file as teams exit" "$RC" 3
expect_match "zoom file as teams message" "$ERR" "not a Teams attendance report"

# --- Bad rows: rejected with line and column, the rest loaded (exit 1).
cat >"$T/zoom-bad.csv" <<'CSV'
Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Loki,loki_asgardian@marvel.com,03/02/2022 10:00:00 AM,03/02/2022 10:45:00 AM,45,No
Swarm,swarm_mutant@marvel.com,yesterday,03/02/2022 10:45:00 AM,45,No
Swarm,swarm_mutant@marvel.com,03/02/2022 10:05:00 AM,03/02/2022 10:40:00 AM,lots,No
Swarm,swarm_mutant@marvel.com,03/02/2022 10:10:00 AM,03/02/2022 10:50:00 AM,40,No
CSV
run tether-collect meetings "$T/zoom-bad.csv"
expect_eq "bad zoom rows exit" "$RC" 1
expect_eq "bad zoom rows reported" "$ERR" \
"$T/zoom-bad.csv:3: column Join Time: 'yesterday' is not a date and time (MM/DD/YYYY hh:mm:ss AM)
$T/zoom-bad.csv:4: column Duration (Minutes): 'lots' is not a number of minutes
$T/zoom-bad.csv: 4 rows: 1 loaded, 2 rejected"
# Zoom dates are month-first: 03/02/2022 is 2 March; 10:00 to 10:50.
expect_eq "bad zoom rows: good rows loaded" "$(meetings zoom::2022)" \
    "zoom::2022-03-02T10:00:00Z HA 2022-03-02T10:00:00Z 50.00"
expect_eq "rejects logged" \
    "$(sql "SELECT line || ' ' || column_name FROM rejects ORDER BY line")" \
    "3 Join Time
4 Duration (Minutes)"

# --- --date-order and --timezone: 05/12/2022 is 12 May for Zoom unless
# --date-order dmy makes it 5 December; 10:00 in America/Chicago is 15:00Z
# in May (CDT, -5) and 16:00Z in December (CST, -6).
sed -e 's#03/02/2022#05/12/2022#g' -e '3,4d' "$T/zoom-bad.csv" >"$T/zoom-order.csv"
TETHER_DB=$T/o1.db tether-collect people -q --as-of 2020-01-01 "$T/people.csv"
TETHER_DB=$T/o1.db tether-collect pairs -q "$T/pairs.csv"
cp "$T/o1.db" "$T/o2.db"
TETHER_DB=$T/o1.db run tether-collect meetings --timezone America/Chicago "$T/zoom-order.csv"
TETHER_DB=$T/o2.db run tether-collect meetings --timezone America/Chicago --date-order dmy "$T/zoom-order.csv"
expect_eq "zoom mdy by default" "$(TETHER_DB=$T/o1.db sql 'SELECT source_key FROM contacts')" "zoom::2022-05-12T15:00:00Z"
expect_eq "zoom --date-order dmy" "$(TETHER_DB=$T/o2.db sql 'SELECT source_key FROM contacts')" "zoom::2022-12-05T16:00:00Z"

# --- Teams in UTF-16LE with US times, other header capitals and hour
# durations; the day 22 proves month-first although Teams defaults to dmy.
# Start 7/22/26, 7:00:11 PM = 19:00:11Z; 1h 5m 20s = 65.33 min.
utf16le() { printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE; }
printf '1. Summary\nMeeting title\tMentoring\nStart time\t7/22/26, 7:00:11 PM\nEnd time\t7/22/26, 8:05:31 PM\nMeeting duration\t1h 5m 20s\n\n2. Participants\nName\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\nAda Lovelace\t7/22/26, 7:00:11 PM\t7/22/26, 8:05:31 PM\t1h 5m 20s\tada@example.com\tada@example.com\tOrganizer\nGrace Hopper\t7/22/26, 7:01:00 PM\t7/22/26, 8:05:00 PM\t64m\tgrace@example.com\tgrace@example.com\tAttendee\nLate Comer\t7/22/26, 7:30:00 PM\t7/22/26, 7:40:00 PM\tten minutes\tlate@example.com\tlate@example.com\tAttendee\n' | utf16le >"$T/teams-le.csv"
run tether-collect meetings "$T/teams-le.csv"
expect_eq "teams utf-16le exit" "$RC" 1
expect_eq "teams bad duration reported" "$(head -1 <<<"$ERR")" \
    "$T/teams-le.csv:11: column In-Meeting Duration: 'ten minutes' is not a duration (1h 5m 20s)"
expect_eq "teams utf-16le meeting" "$(meetings teams:Mentoring)" \
    "teams:Mentoring:2026-07-22T19:00:11Z MA 2026-07-22T19:00:11Z 65.33"

# --- The classic 2020 Teams list: names only (found in the roster by
# name), Joined / Left / Joined before. First event 10:02:33, last 10:47:10:
# 44 min 37 s = 44.62.
printf 'Full Name\tUser Action\tTimestamp\nAlan Turing\tJoined before\t3/17/2020, 10:02:33 AM\nJoan Clarke\tJoined\t3/17/2020, 10:05:00 AM\nJoan Clarke\tLeft\t3/17/2020, 10:30:00 AM\nJoan Clarke\tJoined\t3/17/2020, 10:31:00 AM\nAlan Turing\tLeft\t3/17/2020, 10:47:10 AM\n' | utf16le >"$T/meetingAttendanceList.csv"
run tether-collect meetings "$T/meetingAttendanceList.csv"
expect_eq "teams classic exit" "$RC" 0
expect_eq "teams classic meeting" "$(meetings teams::2020)" \
    "teams::2020-03-17T10:02:33Z CA 2020-03-17T10:02:33Z 44.62"

# --- Google Meet, first/last name layout with times but no date: --date
# is needed. In Europe/Paris (CEST, +2) 10:00 AM on 2026-05-04 is 08:00Z;
# the last exit is 10:58 AM: 58 minutes.
cat >"$T/meet-a.csv" <<'CSV'
First name,Last name,Email,Duration,Time joined,Time exited
Ada,Lovelace,ada@example.com,58 min,10:00 AM,10:58 AM
Grace,Hopper,grace@example.com,1 hr 2 min,9:56 AM,10:58 AM
Grace,Hopper,grace@example.com,5 min,soon,10:58 AM
CSV
run tether-collect meetings "$T/meet-a.csv"
expect_eq "meet without date exit" "$RC" 3
expect_eq "meet without date message" "$ERR" \
    "tether-collect: $T/meet-a.csv:2: the times have no date and the report names none; give the meeting's date with --date"
run tether-collect meetings --date 2026-05-04 --timezone Europe/Paris "$T/meet-a.csv"
expect_eq "meet with --date exit" "$RC" 1
expect_eq "meet bad time reported" "$(head -1 <<<"$ERR")" \
    "$T/meet-a.csv:4: column Time joined: 'soon' is not a time"
# Grace joined first (9:56), so the meeting starts at 07:56Z, lasts 62 min.
expect_eq "meet first layout" "$(meetings meet::)" \
    "meet::2026-05-04T07:56:00Z MA 2026-05-04T07:56:00Z 62.00"

# --- Google Meet, Name layout after a preamble: start and end from it.
cat >"$T/meet-b.csv" <<'CSV'
Meeting title,Date,Start time,End time
Mentoring sync,2026-05-25,11:00,11:45

Name,Email,Duration,Time joined,Time exited
Ada Lovelace,ada@example.com,42m,2026-05-25 11:01:14,2026-05-25 11:43:14
Grace Hopper,grace@example.com,44m,2026-05-25 11:00:30,2026-05-25 11:44:30
CSV
run tether-collect meetings "$T/meet-b.csv"
expect_eq "meet preamble exit" "$RC" 0
expect_eq "meet preamble meeting" "$(meetings 'meet:Mentoring')" \
    "meet:Mentoring sync:2026-05-25T11:00:00Z MA 2026-05-25T11:00:00Z 45.00"

# --- A report that matches no pair is skipped, not rejected.
cat >"$T/meet-c.csv" <<'CSV'
Name,Email,Duration,Time joined,Time exited
Ada Lovelace,ada@example.com,42m,2026-05-26 11:01:14,2026-05-26 11:43:14
Someone Else,else@example.com,44m,2026-05-26 11:00:30,2026-05-26 11:44:30
CSV
run tether-collect meetings "$T/meet-c.csv"
expect_eq "no pair: exit 0" "$RC" 0
expect_eq "no pair: skipped" "$ERR" "$T/meet-c.csv: 2 rows: 0 loaded, 1 skipped, 0 rejected"

# --- Two Zoom meeting blocks in one file are two meetings (a fresh
# database: meeting001 and 002 are known to the first one).
Z=$A/zoom-zoomGroupStats
{ cat "$Z/meeting001_participants.csv"; printf '\r\n'; tail -c +4 "$Z/meeting002_participants.csv"; } >"$T/two.csv"
TETHER_DB=$T/two.db tether-collect people -q --as-of 2020-01-01 "$T/people.csv"
TETHER_DB=$T/two.db tether-collect pairs -q "$T/pairs.csv"
TETHER_DB=$T/two.db run tether-collect meetings -q "$T/two.csv"
expect_eq "two zoom blocks" "$(TETHER_DB=$T/two.db sql "SELECT source_key || ' ' || count(*) FROM contacts GROUP BY source_key ORDER BY source_key")" \
"zoom:00000000001:2020-09-24T11:35:16Z 3
zoom:00000000002:2020-09-27T11:35:16Z 2"
