#!/usr/bin/env bash
# test_report.sh - tether-report on a small organisation whose figures are
# known: the workbook read back with openpyxl against tether-analyze's JSON,
# the PDF's pages and sentences, the chart sizes, formula escaping, the
# anonymized copy, private permissions and identical bytes on a re-run.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
HERE=$(cd "$(dirname "$0")" && pwd)

# 22 people: 10 office (London), 8 remote (New York, Shanghai), 4 hybrid
# (Berlin); o6's name is a formula, which must stay text everywhere.
cat >"$T/people.csv" <<'EOF'
person_id,name,email,work_mode,timezone,department
o1,Olivia Office,olivia@example.com,office,Europe/London,Sales
o2,Oscar Owens,oscar@example.com,office,Europe/London,Sales
o3,Otto Orr,otto@example.com,office,Europe/London,Finance
o4,Opal Ortiz,opal@example.com,office,Europe/London,Finance
o5,Omar Oakes,omar@example.com,office,Europe/London,Sales
o6,"=HYPERLINK(""x"")",odd@example.com,office,Europe/London,Sales
o7,Orla Olsen,orla@example.com,office,Europe/London,IT
o8,Owen Ode,owen@example.com,office,Europe/London,IT
o9,Ona Oyelaran,ona@example.com,office,Europe/London,IT
o10,Oren Ovadia,oren@example.com,office,Europe/London,IT
r1,Rita Remote,rita@example.com,remote,America/New_York,Sales
r2,Raj Rao,raj@example.com,remote,America/New_York,IT
r3,Rosa Reyes,rosa@example.com,remote,America/New_York,Sales
r4,Rudi Roth,rudi@example.com,remote,America/New_York,Finance
r5,Ren Li,ren@example.com,remote,Asia/Shanghai,IT
r6,Rui Wang,rui@example.com,remote,Asia/Shanghai,IT
r7,Ruo Chen,ruo@example.com,remote,Asia/Shanghai,Sales
r8,Rong Zhou,rong@example.com,remote,Asia/Shanghai,Finance
h1,Hana Hybrid,hana@example.com,hybrid,Europe/Berlin,IT
h2,Hugo Haas,hugo@example.com,hybrid,Europe/Berlin,IT
h3,Hedi Horn,hedi@example.com,hybrid,Europe/Berlin,Sales
h4,Hans Hof,hans@example.com,hybrid,Europe/Berlin,Sales
EOF
cat >"$T/pairs.csv" <<'EOF'
pair_id,program,mentor,mentee,started_on,ended_on,mentee_chose,cadence_days
P1,Pilot,o1,o2,2025-01-10,,yes,30
P2,Pilot,o3,o4,2025-01-10,,no,30
P3,Pilot,o5,o6,2025-03-01,,,30
P4,Bridge,o7,r1,2025-02-01,,yes,30
P5,Bridge,o8,r5,2025-02-01,,yes,30
P6,Pilot,h1,h2,2025-09-20,,,30
P7,Bridge,r2,h3,2025-01-01,2025-08-15,no,30
EOF
cat >"$T/meetings.csv" <<'EOF'
meeting_id,pair_id,started_at,duration_min,medium,kind,summary_sent
m1,P1,2025-07-15T10:00:00Z,45,video,scheduled,yes
m2,P1,2025-08-14T10:00:00Z,45,video,scheduled,yes
m3,P1,2025-09-15T10:00:00Z,30,in_person,impromptu,no
m4,P2,2025-07-02T09:00:00Z,30,phone,scheduled,
m5,P2,2025-08-01T09:00:00Z,30,phone,scheduled,
m6,P4,2025-07-10T15:00:00Z,60,video,scheduled,yes
m7,P4,2025-09-01T15:00:00Z,,chat,impromptu,
m8,P5,2025-07-05T02:00:00Z,30,video,scheduled,yes
m9,P5,2025-08-05T02:00:00Z,30,video,scheduled,no
m10,P5,2025-09-05T02:00:00Z,30,video,scheduled,yes
m11,P7,2025-07-20T16:00:00Z,90,in_person,scheduled,yes
EOF
cat >"$T/questions.csv" <<'EOF'
survey_id,question_id,text,construct,scale_min,scale_max
s1,q1,I feel I belong here,belonging,1,5
s1,q2,I am satisfied with my mentoring,satisfaction,1,5
EOF
cat >"$T/responses.csv" <<'EOF'
survey_id,respondent,submitted_at,question_id,value
s1,o1,2025-09-10T12:00:00Z,q1,5
s1,o1,2025-09-10T12:00:00Z,q2,4
s1,o2,2025-09-10T12:00:00Z,q1,4
s1,o2,2025-09-10T12:00:00Z,q2,4
s1,o3,2025-09-10T12:00:00Z,q1,4
s1,o3,2025-09-10T12:00:00Z,q2,5
s1,o4,2025-09-10T12:00:00Z,q1,5
s1,o4,2025-09-10T12:00:00Z,q2,3
s1,o5,2025-09-10T12:00:00Z,q1,4
s1,o5,2025-09-10T12:00:00Z,q2,4
s1,o6,2025-09-10T12:00:00Z,q1,3
s1,o6,2025-09-10T12:00:00Z,q2,4
s1,o7,2025-09-10T12:00:00Z,q1,5
s1,o7,2025-09-10T12:00:00Z,q2,5
s1,r1,2025-09-10T12:00:00Z,q1,2
s1,r1,2025-09-10T12:00:00Z,q2,3
s1,r2,2025-09-10T12:00:00Z,q1,3
s1,r2,2025-09-10T12:00:00Z,q2,4
s1,r3,2025-09-10T12:00:00Z,q1,3
s1,r3,2025-09-10T12:00:00Z,q2,2
s1,r4,2025-09-10T12:00:00Z,q1,2
s1,r4,2025-09-10T12:00:00Z,q2,3
s1,r5,2025-09-10T12:00:00Z,q1,4
s1,r5,2025-09-10T12:00:00Z,q2,3
s1,r6,2025-09-10T12:00:00Z,q1,3
s1,r6,2025-09-10T12:00:00Z,q2,4
EOF

tether-collect people --as-of 2025-01-01 "$T/people.csv" >/dev/null 2>&1
tether-collect pairs "$T/pairs.csv" >/dev/null 2>&1
tether-collect meetings "$T/meetings.csv" >/dev/null 2>&1
tether-collect survey --questions "$T/questions.csv" "$T/responses.csv" \
    >/dev/null 2>&1
tether-analyze --quarter 2025Q3 --trend 4 --format json >"$T/a.json" 2>"$T/a.err"

# ---- command line ----
run tether-report --help
expect_eq "help exits 0" "$RC" 0
expect_match "help shows the synopsis" "$OUT" '^usage: tether-report'
run tether-report --quarter 2025Q3
expect_eq "no --out is a usage error" "$RC/$ERR" \
    "2/tether-report: --out DIR is required
Try 'tether-report --help' for more information."
run tether-report --quarter 2025Q3 --out "$T/x" --charts gif
expect_eq "bad chart format" "$RC/$(head -1 "$T/err")" \
    "2/tether-report: 'gif' is not a chart format (png, svg, pdf)"
run tether-report --db "$T/missing.db" --quarter 2025Q3 --out "$T/x"
expect_eq "missing database" "$RC/$ERR" \
    "3/tether-report: cannot open database '$T/missing.db': No such file or directory (tether-collect creates it when it loads a file)"

# ---- every format ----
O="$T/rep"
run tether-report --quarter 2025Q3 --out "$O"
# The analysis above had no --by: the quarterly pack asks for the roster's
# department (it has no site and no level), so the report makes its run.
expect_eq "report exits 0, saying which analysis it renders" "$RC/$ERR" \
    "0/tether-report: analysis of 2025Q3 by department, with four quarters of trend, run on $(date -u '+%-d %B %Y')"
expect_eq "paths written, one per line" "$OUT" "$O/tether-2025Q3.xlsx
$O/tether-2025Q3.pdf
$O/tether-2025Q3-participation.png
$O/tether-2025Q3-pair-status.png
$O/tether-2025Q3-meetings-trend.png
$O/tether-2025Q3-survey-likert.png
$O/tether-2025Q3-meeting-hours.png
$O/tether-2025Q3-days-quiet.png
$O/tether-2025Q3-between-meetings.png
$O/tether-2025Q3-retention.png
$O/tether-2025Q3-pair-survival.png
$O/tether-2025Q3-practice-survival.png
$O/tether-2025Q3-participation-department.png
$O/tether-2025Q3-pairs.csv
$O/tether-2025Q3-inclusion.csv
$O/tether-2025Q3-surveys.csv
$O/tether-2025Q3-survey-comparisons.csv
$O/tether-2025Q3-trend.csv
$O/tether-2025Q3-retention.csv
$O/tether-2025Q3-retention-matched.csv
$O/tether-2025Q3-promotion.csv
$O/tether-2025Q3-promotion-matched.csv
$O/tether-2025Q3-survival.csv
$O/tether-2025Q3-practices.csv"
expect_eq "the pack's run is made" "$(sql 'SELECT count(*) FROM runs')" 2
expect_eq "the pack's parameters" \
    "$(sql "SELECT json_extract(params, '\$.by'), json_extract(params, '\$.trend') FROM runs WHERE id = 2")" \
    '["department"]|4'
# An ad-hoc analysis of the same quarter does not change what the report
# renders: the pack's run is found again, with its trend and --by tables.
tether-analyze --quarter 2025Q3 --program Pilot >/dev/null 2>&1
run tether-report --quarter 2025Q3 --out "$T/adhoc" --csv
expect_eq "the pack's run is reused after an ad-hoc analysis" \
    "$RC/$(sql 'SELECT count(*) FROM runs')" 0/3
expect_eq "its trend has four quarters" \
    "$(cut -d, -f1 "$T/adhoc/tether-2025Q3-trend.csv" | tail -n +2 | tr -d '"' | sort -u | tr '\n' ' ')" \
    "2024Q4 2025Q1 2025Q2 2025Q3 "
expect_eq "its department rows" \
    "$(grep -c '^"department"' "$T/adhoc/tether-2025Q3-inclusion.csv")" 3
expect_eq "folder is private" "$(stat -c %a "$O")" 700
expect_eq "files are private" "$(stat -c %a "$O"/* | sort -u)" 600

# The workbook against tether-analyze's figures.
"$PY" "$HERE/report_check.py" "$O/tether-2025Q3.xlsx" "$T/a.json"

# The PDF: its pages and the headline sentences with their numbers.
expect_eq "pdf pages" "$(pdfinfo "$O/tether-2025Q3.pdf" | sed -n 's/^Pages: *//p')" 10
TEXT=$(pdftotext -raw "$O/tether-2025Q3.pdf" - | tr '\n' ' ')
expect_match "finding: retention against similar colleagues" "$TEXT" \
    "Retention over the 365 days to 30 September 2025: too few people to compare with similar colleagues — same department, level and tenure — who had no mentor — no clear difference can be shown\."
expect_match "impact section: associations, not causes" "$TEXT" \
    "These are associations in the organisation's own records, not proof of cause"
expect_no_match "impact section: no sentence claims a cause" "$TEXT" \
    "mentoring (caused|causes|leads to|improves|reduces)"
expect_match "practices: one sentence per practice" "$TEXT" \
    "Long-distance pairs that sent a summary after their calls: no clear difference"
expect_match "finding: remote participation" "$TEXT" \
    'Remote employees take part at 47% of the rate of office employees \(38% against 80% of headcount\), below four-fifths of it \(p = 0\.14\): 3 more remote participants would close the gap\.'
expect_match "finding: quiet pairs" "$TEXT" \
    '3 pairs have gone quiet and need follow-up: 1 inactive, 1 never met and 1 at risk'
expect_match "finding: belonging" "$TEXT" \
    'Remote respondents rate belonging 1\.45 points lower than office respondents \(p = 0\.006\)\.'
expect_match "finding: off hours" "$TEXT" \
    '75% of the meetings of pairs with remote mentees started outside reasonable hours'
expect_match "follow-up list names the inactive pair" "$TEXT" \
    'Bridge: 1 pair to follow up Mentee Mentor Status Days quiet Last meeting Rita Remote rita@example\.com Orla Olsen orla@example\.com inactive 82 2025-07-10'
expect_eq "pdf creation date is the run's" \
    "$(pdfinfo -isodates "$O/tether-2025Q3.pdf" | sed -n 's/^CreationDate: *//p')" \
    "$(sql 'SELECT created_at FROM runs WHERE id = 2')"

# Charts: 1200 x 700 pixels each (the PNG header's IHDR width and height).
for f in "$O"/*.png; do
    size=$(od -An -tu1 -j16 -N8 "$f" | awk '{print $3*256+$4 "x" $7*256+$8}')
    expect_eq "png size $(basename "$f")" "$size" 1200x700
done

# CSV: a formula-like text cell is escaped, a negative number is not.
expect_match "csv escapes a formula-like name" \
    "$(grep '^"P3"' "$O/tether-2025Q3-pairs.csv")" \
    "\"'=HYPERLINK\(\"\"x\"\"\)\""
expect_eq "practices.csv: the twelve practice tests" \
    "$(($(wc -l <"$O/tether-2025Q3-practices.csv") - 1))" 12
expect_match "practices.csv: practice and scope first" \
    "$(head -1 "$O/tether-2025Q3-practices.csv")" '^"?practice"?,"?scope"?,'
expect_match "csv keeps a negative number a number" \
    "$(grep '^"belonging"' "$O/tether-2025Q3-survey-comparisons.csv")" \
    ',-1\.45238095238,'

# Identical database, identical bytes.
run tether-report --quarter 2025Q3 --out "$T/again"
same=yes
for f in "$O"/*; do
    cmp -s "$f" "$T/again/$(basename "$f")" || same="no: $(basename "$f")"
done
expect_eq "same database, same files" "$same" yes
run tether-report --quarter 2025Q3 --out "$T/svg" --charts svg
expect_eq "svg charts only" "$(ls "$T/svg" | wc -l)/$(head -c 5 "$T/svg/tether-2025Q3-participation.svg")" "11/<?xml"
run tether-report --quarter 2025Q3 --out "$T/pdfc" --charts pdf
expect_eq "pdf charts" "$(pdfinfo "$T/pdfc/tether-2025Q3-days-quiet.pdf" | sed -n 's/^Page size: *//p')" \
    "720 x 420 pts"

# ---- --anonymize: no name or e-mail left anywhere ----
A="$T/anon"
run tether-report --quarter 2025Q3 --out "$A" --anonymize --quiet
expect_eq "anonymized report exits 0" "$RC/$ERR" "0/"
{
    for f in "$A"/*.csv; do cat "$f"; done
    unzip -p "$A/tether-2025Q3.xlsx"
    pdftotext -raw "$A/tether-2025Q3.pdf" -
    strings "$A"/*.png
} >"$T/anon.txt"
leaks=$(tail -n +2 "$T/people.csv" | awk -F, '{print $3}' | sort -u |
    grep -F -f - "$T/anon.txt" | head -3)
expect_eq "no e-mail in the anonymized outputs" "$leaks" ""
leaks=$(for n in "Olivia Office" "Rita Remote" "Orla Olsen" "Opal Ortiz" \
    "Omar Oakes" 'HYPERLINK'; do grep -F "$n" "$T/anon.txt"; done | head -3)
expect_eq "no name in the anonymized outputs" "$leaks" ""
p1=$(grep -o 'Person [0-9A-F]\{10\}' "$A/tether-2025Q3-pairs.csv" | head -1)
run tether-report --quarter 2025Q3 --out "$T/anon2" --anonymize --csv
expect_match "pseudonyms are stable" \
    "$(cat "$T/anon2/tether-2025Q3-pairs.csv")" "$p1"
expect_match "pseudonymous e-mails" \
    "$(cat "$A/tether-2025Q3-pairs.csv")" 'person-[0-9a-f]{10}@example\.invalid'

# ---- a period without a run is analysed first ----
run tether-report --quarter 2025Q2 --out "$T/q2" --csv
expect_eq "missing run is made" "$RC/$(sql 'SELECT count(*) FROM runs')" 0/4
expect_eq "its pairs" "$(($(wc -l <"$T/q2/tether-2025Q2-pairs.csv") - 1))" 6

# ---- which analysis: options, errors ----
run tether-report --quarter 2025Q3 --by department --trend 2 \
    --program Bridge --min-group 3 --out "$T/opt" --csv
expect_eq "analysis options reach the run" "$RC/$ERR" \
    "0/tether-report: analysis of 2025Q3 for the program Bridge by department, with two quarters of trend, run on $(date -u '+%-d %B %Y')"
expect_eq "only the program's pairs" \
    "$(tail -n +2 "$T/opt/tether-2025Q3-pairs.csv" | cut -d, -f1 | tr -d '"' | tr '\n' ' ')" "P4 P5 P7 "
expect_eq "the run's thresholds" \
    "$(sql "SELECT json_extract(params, '\$.program'), json_extract(params, '\$.min_group'), json_extract(params, '\$.trend') FROM runs ORDER BY id DESC LIMIT 1")" \
    "Bridge|3|2"
run tether-report --quarter 2025Q3 --grace-days x --out "$T/x"
expect_eq "bad threshold" "$RC/$(head -1 "$T/err")" \
    "2/tether-report: --grace-days: 'x' is not a whole number of days"
run tether-report --quarter 2025Q3 --program Nope --out "$T/x"
expect_eq "unknown program" "$RC/$ERR" \
    "3/tether-report: no pair belongs to the program 'Nope' (the programs: Bridge, Pilot)"
run tether-report --quarter 2020Q1 --out "$T/x"
expect_eq "a period with no pair" "$RC/$ERR" \
    "3/tether-report: no pair was active in 2020Q1 (2020-01-01 to 2020-03-31): nothing to report (the pairs started from 2025-01-01 on; choose another period with --quarter or --from/--to)"
expect_eq "nothing written for it" "$(ls "$T/x" 2>/dev/null | wc -l)" 0
run tether-report --quarter 2999Q1 --out "$T/x"
expect_eq "a period that has not begun" "$RC/$ERR" \
    "3/tether-report: 2999Q1 has not begun (it starts on 2999-01-01): nothing to report yet (without --quarter, the last quarter that has ended is reported)"
NOW_Q="$(date -u +%Y)Q$(( ($(date -u +%-m) + 2) / 3 ))"
run tether-report --quarter "$NOW_Q" --out "$T/now" --csv
expect_match "the running quarter is reported to date" "$RC/$ERR" \
    "^0/tether-report: analysis of $NOW_Q to date \\(the quarter has not ended: figures up to $(date -u '+%-d %B %Y')\\)"
expect_eq "its run ends today" \
    "$(sql 'SELECT as_of FROM runs ORDER BY id DESC LIMIT 1')" "$(date -u +%F)"
tether-collect --db "$T/empty.db" pairs /dev/null >/dev/null 2>&1
run tether-report --db "$T/empty.db" --out "$T/x"
expect_eq "an empty database" "$RC/$ERR" \
    "3/tether-report: the database holds no pairs: nothing to report (load the roster and the pairs first: tether-collect people FILE, tether-collect pairs FILE)"
# Program impact's options reach the analysis the report runs, and make a
# run of their own (its stored parameters say so).
run tether-report --quarter 2025Q3 --horizon 180 --level-order a,b \
    --long-distance-hours 4 --out "$T/imp" --csv
expect_eq "impact options: a run with them" "$RC/$(sql "SELECT json_extract(params, '\$.horizon') || ' ' || json_extract(params, '\$.long_distance_hours') || ' ' || json_extract(params, '\$.level_order') FROM runs ORDER BY id DESC LIMIT 1")" \
    '0/180 4.0 ["a","b"]'
run tether-report --quarter 2025Q3 --horizon 0 --out "$T/imp0"
expect_eq "impact options: a bad horizon is a usage error" "$RC" 2
# The PDF and the charts are drawn beside the workbook (in a child
# process); a PDF that cannot be written stops the report once, with one
# message, after the workbook, as when they are drawn one after another.
mkdir -p "$T/nopdf/tether-2025Q3.pdf"
run tether-report --quiet --quarter 2025Q3 --out "$T/nopdf" --xlsx --pdf --charts png
expect_eq "a PDF that cannot be written: exit 3, one message" \
    "$RC/$(printf '%s\n' "$ERR" | grep -c .)" "3/1"
expect_match "the message names the PDF" "$ERR" "tether-2025Q3.pdf"
expect_eq "the workbook is written and named; no chart after the PDF" \
    "$OUT/$(ls "$T/nopdf" | grep -c png)" "$T/nopdf/tether-2025Q3.xlsx/0"
