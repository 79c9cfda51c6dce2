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
