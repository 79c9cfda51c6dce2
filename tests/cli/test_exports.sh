#!/usr/bin/env bash
# test_exports.sh - real exports, round two (issue 16): Teams reports in
# nine languages, the classic Teams list ending on a join, Zoom's Active
# Hosts report refused by name, a 2016 Qualtrics export, DTSTART off its
# own RRULE, Windows time-zone names, .xlsx workbooks, --columns rosters
# and calendar API JSON. The files are in tests/data/exports.
. "$(dirname "$0")/lib.sh"
D=$ROOT/tests/data/exports

cat >"$T/people.csv" <<'CSV'
person_id,name,email,work_mode
a,Ann Example,ann@example.com,remote
b,Bob Example,bob@example.com,office
CSV
cat >"$T/pairs.csv" <<'CSV'
pair_id,mentor,mentee,started_on
P1,a,b,2016-01-01
CSV
run tether-collect people --as-of 2016-01-01 "$T/people.csv"
expect_eq "roster loads" "$RC" 0
run tether-collect pairs "$T/pairs.csv"
expect_eq "pairs load" "$RC" 0

# The contacts whose key starts with $1: key start minutes.
contacts() {
    sql "SELECT source_key || ' ' ||
                strftime('%Y-%m-%dT%H:%M:%SZ', started_at, 'unixepoch') ||
                ' ' || ifnull(printf('%.2f', duration_min), '-')
         FROM contacts WHERE source_key LIKE '$1%' ORDER BY started_at"
}

# --- Teams in the organiser's language: 2 h 19 min 19 s is 139.32 min.
day=15
for lang in pl de fr es pt it nl ja; do
    run tether-collect meetings "$D/teams-$lang.csv"
    expect_eq "teams $lang exit" "$RC" 0
    expect_eq "teams $lang meeting" \
        "$(sql "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', started_at, 'unixepoch')
                || ' ' || printf('%.2f', duration_min) FROM contacts
                WHERE source_key LIKE 'teams:%($lang)%'")" \
        "2022-11-${day}T09:30:17Z 139.32"
    day=$((day + 1))
done

# A language not listed (Czech): the numbered sections, the order of the
# summary and the columns' fixed order still read it (with --format teams,
# as nothing in it names Teams in a known language). The summary's
# "Doba trvání schůzky" is no known key: the length comes from the start
# and end, 2 h 19 min 19 s.
run tether-collect meetings --format teams "$D/teams-cs.csv"
expect_eq "teams cs exit" "$RC" 0
expect_eq "teams cs meeting" \
    "$(sql "SELECT source_key || ' ' ||
                   strftime('%Y-%m-%dT%H:%M:%SZ', started_at, 'unixepoch') ||
                   ' ' || printf('%.2f', duration_min) || ' ' ||
                   (SELECT count(*) FROM contacts c2
                    WHERE c2.source_key = contacts.source_key)
            FROM contacts WHERE source_key LIKE 'teams:%(cs)%'")" \
    "teams:Mentoring (cs):2022-11-23T09:30:17Z 2022-11-23T09:30:17Z 139.32 1"

# --- The classic list: Bob joins again at 9:55 and never leaves, so the
# meeting (from 9:00) lasts at least 55 minutes, not 40.
run tether-collect meetings --format teams "$D/teams-classic-join.csv"
expect_eq "classic join exit" "$RC" 0
expect_eq "classic join runs to the join" \
    "$(sql "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', started_at, 'unixepoch')
            || ' ' || printf('%.2f', duration_min) FROM contacts
            WHERE started_at = strftime('%s', '2022-11-24 09:00:00')")" \
    "2022-11-24T09:00:00Z 55.00"

# --- Zoom's Active Hosts report is refused, naming what it is.
run tether-collect meetings "$D/zoom-active-hosts.csv"
expect_eq "active hosts exit" "$RC" 3
expect_match "active hosts named" "$ERR" \
    "zoom-active-hosts.csv:1: this is a Zoom \"Active Hosts\" usage report \(one row per host and participant\), not a meeting's participants report"

# --- Qualtrics 2016: the ImportId row is a Python dictionary.
run tether-collect survey --map "$D/qualtrics-2016-map.csv" --survey-id q16 \
    "$D/qualtrics-2016.csv"
expect_eq "qualtrics 2016 exit" "$RC" 0
expect_match "qualtrics 2016 summary" "$ERR" \
    "qualtrics-2016.csv: 2 rows: 4 loaded, 0 rejected"
expect_eq "qualtrics 2016 question text from row 2" \
    "$(sql "SELECT text FROM questions WHERE question_id = 'q1'")" \
    "How satisfied are you with your mentor?"
expect_eq "qualtrics 2016 answers" \
    "$(sql "SELECT q.question_id || ' ' || p.person_id || ' ' ||
                   ifnull(r.value, r.text) FROM responses r
            JOIN questions q ON q.id = r.question
            JOIN people p ON p.id = r.respondent ORDER BY 1")" \
"q1 a 4.0
q1 b 5.0
q2 a More time
q2 b Fine, thanks"

# --- DTSTART is the first instance even off its own rule; COUNT counts it.
run tether-collect meetings --from 2024-01-01 --to 2024-03-01 \
    "$D/dtstart-off-rule.ics"
expect_eq "dtstart exit" "$RC" 0
expect_eq "dtstart instances" "$(contacts off-rule)" \
"off-rule@example.com/20240101T100000Z 2024-01-01T10:00:00Z 30.00
off-rule@example.com/20240105T100000Z 2024-01-05T10:00:00Z 30.00
off-rule-until@example.com/20240201T100000Z 2024-02-01T10:00:00Z 30.00
off-rule-until@example.com/20240202T100000Z 2024-02-02T10:00:00Z 30.00
off-rule-until@example.com/20240209T100000Z 2024-02-09T10:00:00Z 30.00"

# --- Windows zone ids and display names (Outlook on the web writes them
# without a VTIMEZONE) through CLDR's windowsZones.xml and the table of
# display names in data/. 9:00 Eastern is 14:00Z; 9:00 in Sydney on 10
# January (summer, +11) is 22:00Z the day before; 9:00 Pacific on 1 March
# is 17:00Z. A name in neither table is still an unknown zone.
run tether-collect meetings --from 2024-01-01 --to 2024-03-31 \
    "$D/owa-display-names.ics"
expect_eq "windows zones exit" "$RC" 1
expect_eq "windows zones instances" "$(contacts owa-) $(contacts windows-id)" \
"owa-eastern@example.com/20240105T140000Z 2024-01-05T14:00:00Z 30.00
owa-sydney@example.com/20240109T220000Z 2024-01-09T22:00:00Z 60.00
owa-eastern@example.com/20240112T140000Z 2024-01-12T14:00:00Z 30.00
owa-eastern@example.com/20240119T140000Z 2024-01-19T14:00:00Z 30.00 windows-id@example.com/20240301T170000Z 2024-03-01T17:00:00Z 45.00"
expect_match "windows zones: an unknown name is rejected" "$ERR" \
    "owa-display-names.ics:31: DTSTART has the unknown time zone '\(UTC\+01:00\) Nowhere Land' \(no VTIMEZONE\)"
# Without CLDR's table the Windows names are unknown, and the warning says
# which file is missing.
rm -f "$TETHER_DB"
run tether-collect people --as-of 2016-01-01 "$T/people.csv"
run tether-collect pairs "$T/pairs.csv"
TETHER_CLDR_WINDOWS_ZONES=$T/none.xml run tether-collect meetings \
    --from 2024-01-01 --to 2024-03-31 "$D/owa-display-names.ics"
expect_eq "no cldr: exit" "$RC" 1
expect_match "no cldr: every event rejected" "$ERR" \
    "owa-display-names.ics: 4 rows: 0 loaded, 4 rejected"
expect_match "no cldr: warned" "$ERR" \
    "warning: cannot read CLDR's Windows zone table '$T/none.xml' \(install unicode-cldr-core or set TETHER_CLDR_WINDOWS_ZONES\)"

# --- An HR system's roster in a workbook: roster-libreoffice.xlsx was made
# by LibreOffice (soffice --headless --convert-to xlsx) from the flat ODS
# beside it: ids stored as text (00123), dates as Excel serials, empty
# cells, a blank row 4, shared strings, a second sheet. --columns names the
# export's headers and its words for the work modes.
X=$D/roster-libreoffice.xlsx
rm -f "$TETHER_DB"
run tether-collect people --as-of 2023-01-01 --columns "$D/roster-columns.csv" "$X"
expect_eq "xlsx roster exit" "$RC" 1
expect_eq "xlsx roster messages" "$ERR" \
"tether-collect: $X: warning: ignoring columns Cost Centre (not named in $D/roster-columns.csv)
$X:6: column Remote Type: 'Sometimes' is not a work mode (remote, office or hybrid)
$X: 4 rows: 3 loaded, 1 rejected"
expect_eq "xlsx roster people" \
    "$(sql "SELECT p.person_id || '|' || p.name || '|' || p.email || '|' ||
                   ifnull(p.joined_on, '') || '|' || v.work_mode || '|' ||
                   v.timezone || '|' ||
                   ifnull((SELECT group_concat(name || '=' || value)
                           FROM person_attributes WHERE version = v.id), '')
            FROM people p JOIN person_versions v ON v.person = p.id
            ORDER BY p.person_id")" \
"00123|Ann Example|ann@example.com|2021-03-04|remote|Europe/Berlin|grade=7
00124|Bob Example|bob@example.com|2019-11-30|office|UTC|grade=5
00125|Cy Example|cy@example.com||hybrid|America/New_York|grade=6"
expect_eq "xlsx reject log keeps the row as CSV" \
    "$(sql "SELECT line || ' ' || raw FROM rejects ORDER BY id DESC LIMIT 1")" \
    "6 00126,Di Example,di@example.com,Sometimes,,2022-02-01"

# The map names a header the file lacks: an error naming both.
printf 'person_id,Staff Number\nwork_mode,Remote Type\n' >"$T/cols-bad.csv"
run tether-collect people --columns "$T/cols-bad.csv" "$X"
expect_eq "columns: missing header exit" "$RC" 3
expect_eq "columns: missing header named" "$ERR" \
    "tether-collect: $X:1: column Staff Number: not in the header, but $T/cols-bad.csv:1 names it for person_id"
printf 'person_id,Employee ID\nworkmode,Remote Type\n' >"$T/cols-typo.csv"
run tether-collect people --columns "$T/cols-typo.csv" "$X"
expect_eq "columns: unknown canonical exit" "$RC" 3
expect_eq "columns: unknown canonical named" "$ERR" \
    "tether-collect: $T/cols-typo.csv:2: 'workmode' is not a column of this file (person_id, name, email, department, site, work_mode, timezone, joined_on, left_on, attribute)"

# --sheet picks another sheet; a sheet that is not there is named with
# those that are.
run tether-collect people --sheet Notes "$X"
expect_eq "sheet: other sheet is read" "$ERR" \
    "tether-collect: $X:1: column person_id: required column missing (is this a people file?)"
run tether-collect people --sheet Payroll "$X"
expect_eq "sheet: unknown sheet exit" "$RC" 3
expect_eq "sheet: unknown sheet named" "$ERR" \
    "tether-collect: $X: no sheet called 'Payroll' (the workbook has 'Employees', 'Notes')"

# Pairs from another system, with its yes/no words.
printf 'Mentor Email,Mentee Email,Start,Chose\nann@example.com,bob@example.com,2022-01-01,Y\n' >"$T/pairs-hr.csv"
printf 'mentor,Mentor Email\nmentee,Mentee Email\nstarted_on,Start\nmentee_chose,Chose,Y=yes;N=no\n' >"$T/pairs-cols.csv"
run tether-collect pairs --columns "$T/pairs-cols.csv" "$T/pairs-hr.csv"
expect_eq "columns: pairs exit" "$RC" 0
expect_eq "columns: pairs loaded" \
    "$(sql "SELECT m.person_id || '>' || e.person_id || ' ' || p.started_on ||
                   ' chose=' || p.mentee_chose
            FROM pairs p JOIN people m ON m.id = p.mentor
            JOIN people e ON e.id = p.mentee")" \
    "00123>00124 2022-01-01 chose=1"

# --- Calendar API JSON: a Graph calendarView page and a Google events.list
# page (after an HTTP status line and headers, as recorded responses keep
# them), written here in the layouts of ../shared/testdata/comms/FORMATS.md
# section 4. Keys are UID/instance, as in an .ics export of the same
# calendar. 9:00 Pacific on 12 March 2024 (daylight time) is 16:00Z.
rm -f "$TETHER_DB"
run tether-collect people --as-of 2016-01-01 "$T/people.csv"
run tether-collect pairs "$T/pairs.csv"
run tether-collect meetings "$D/graph-calendarview.json"
expect_eq "graph exit" "$RC" 1
expect_eq "graph messages" "$ERR" \
"$D/graph-calendarview.json:75: column start: event AAMkAGI1-badzone-6: the time zone 'Customized Time Zone' is neither an IANA nor a Windows zone
tether-collect: $D/graph-calendarview.json: warning: 1 recurring series are given as rules, not instances: skipped (export /calendarView, which lists each occurrence)
$D/graph-calendarview.json: 6 rows: 2 loaded, 3 skipped, 1 rejected"
expect_eq "graph contacts" \
    "$(sql "SELECT source_key || ' ' ||
                   strftime('%Y-%m-%dT%H:%M:%SZ', started_at, 'unixepoch') ||
                   ' ' || duration_min || ' ' || medium
            FROM contacts ORDER BY started_at")" \
"040000008200E00074C5B7101A82E008000000001111/20240312T160000Z 2024-03-12T16:00:00Z 45.0 video
040000008200E00074C5B7101A82E008000000002222/20240314T123000Z 2024-03-14T12:30:00Z 30.0 in_person"
# Google: the moved instance keeps its original start in its key; the
# cancelled, out-of-office and all-day events and the series' rule are
# skipped.
run tether-collect meetings "$D/gcal-events.json"
expect_eq "gcal exit" "$RC" 0
expect_eq "gcal summary" "$ERR" \
"tether-collect: $D/gcal-events.json: warning: 1 recurring series are given as rules, not instances: skipped (export events.list with singleEvents=true)
$D/gcal-events.json: 6 rows: 2 loaded, 4 skipped, 0 rejected"
expect_eq "gcal contacts" \
    "$(sql "SELECT source_key || ' ' ||
                   strftime('%Y-%m-%dT%H:%M:%SZ', started_at, 'unixepoch') ||
                   ' ' || duration_min || ' ' || medium
            FROM contacts WHERE source_key LIKE '%google.com%'
            ORDER BY started_at")" \
"7cbh8rpc10lrc0ckih9tafss99@google.com/20240305T083000Z 2024-03-05T09:00:00Z 45.0 video
1q2w3e4r5t6y7u8i9o0p@google.com/20240307T120000Z 2024-03-07T12:00:00Z 30.0 in_person"
printf '{"kind": "calendar#calendarList", "items": [{"id": "x"}]}\n' >"$T/list.json"
run tether-collect meetings --format gcal "$T/list.json"
expect_eq "gcal: other JSON refused" "$RC" 3
expect_eq "gcal: other JSON named" "$ERR" \
    "tether-collect: $T/list.json: no Google Calendar events in this JSON (expected the \"items\" array of events with start and end)"
printf '{"value": [\n  {"id": 1,}\n]}\n' >"$T/bad.json"
run tether-collect meetings --format graph "$T/bad.json"
expect_eq "graph: bad JSON names line and column" "$ERR" \
    "tether-collect: $T/bad.json:2:12: not JSON: string or '}' expected near '}'"

# --- Every loading command reads workbooks: forms-and-meetings.xlsx (made
# by LibreOffice from the flat ODS beside it) holds a Microsoft Forms
# export on its first sheet and a canonical meetings list on "Meetings",
# both with date-times stored as Excel serials (local times, read in the
# timezone column or --timezone; 9:30 in Berlin is 7:30Z in September).
W=$D/forms-and-meetings.xlsx
rm -f "$TETHER_DB"
run tether-collect people --as-of 2016-01-01 "$T/people.csv"
run tether-collect pairs "$T/pairs.csv"
run tether-collect meetings --sheet Meetings "$W"
expect_eq "xlsx meetings exit" "$RC" 1
expect_eq "xlsx meetings messages" "$ERR" \
"$W:4: column mentee: 'zz' is not in the roster
$W: 3 rows: 2 loaded, 1 rejected"
expect_eq "xlsx meetings contacts" \
    "$(sql "SELECT source_key || ' ' ||
                   strftime('%Y-%m-%dT%H:%M:%SZ', started_at, 'unixepoch') ||
                   ' ' || ifnull(duration_min, '-') || ' ' || medium || ' ' ||
                   kind || ' ' || ifnull(summary_sent, '-')
            FROM contacts ORDER BY started_at")" \
"M-001 2024-09-02T07:30:00Z 45.0 video scheduled 1
M-002 2024-09-16T07:30:00Z - phone impromptu -"
cat >"$T/map-forms.csv" <<'CSV'
column,role,survey_id,question_id,construct,scale_min,scale_max,labels
Email,respondent,msf,,,,,
Completion time,submitted_at,msf,,,,,
How would you rank the program?,question,msf,rank,goal_progress,1,5,
Comments,question,msf,comments,other,,,
CSV
run tether-collect survey --map "$T/map-forms.csv" --timezone Europe/Berlin "$W"
expect_eq "xlsx survey exit" "$RC" 0
expect_eq "xlsx survey answers" \
    "$(sql "SELECT q.question_id || ' ' || p.person_id || ' ' ||
                   strftime('%Y-%m-%dT%H:%M:%SZ', r.submitted_at, 'unixepoch')
                   || ' ' || ifnull(r.value, r.text)
            FROM responses r JOIN questions q ON q.id = r.question
            JOIN people p ON p.id = r.respondent ORDER BY 1")" \
"comments a 2024-09-10T09:02:00Z Fine
rank a 2024-09-10T09:02:00Z 4.0
rank b 2024-09-13T07:00:30Z 3.0"

# An Excel 97-2003 workbook (LibreOffice's .xls of the same roster) is not
# read as text: the message says what it is and what to do.
run tether-collect people --as-of 2023-01-01 "$D/roster-libreoffice.xls"
expect_eq "xls: exit" "$RC" 3
expect_eq "xls: named" "$ERR" \
    "tether-collect: $D/roster-libreoffice.xls: an Excel 97-2003 workbook (.xls) or a password-protected one: save it as .xlsx without a password, or as CSV"
run tether-collect meetings "$D/roster-libreoffice.xls"
expect_eq "xls: meetings named" "$ERR" \
    "tether-collect: $D/roster-libreoffice.xls: an Excel 97-2003 workbook (.xls) or a password-protected one: save it as .xlsx without a password, or as CSV"

# A roster loaded again with an edited --columns file is read again (the
# map's content is part of the import's options).
rm -f "$TETHER_DB"
cp "$D/roster-columns.csv" "$T/cols.csv"
run tether-collect people --as-of 2023-01-01 --columns "$T/cols.csv" "$X"
sed -i 's/^work_mode,Remote Type,.*/&;Sometimes=hybrid/' "$T/cols.csv"
run tether-collect people --as-of 2023-01-01 --columns "$T/cols.csv" "$X"
expect_eq "columns: edited map re-reads the file" "$RC" 0
expect_eq "columns: the alias added loads Di" \
    "$(sql "SELECT v.work_mode FROM people p JOIN person_versions v
            ON v.person = p.id WHERE p.person_id = '00126'")" "hybrid"
