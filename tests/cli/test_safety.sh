#!/usr/bin/env bash
# test_safety.sh - nothing lost, nothing overwritten: output files never
# follow a planted link or reuse a file someone else made; a mistyped --db
# is an error, not a new empty database; commands that only read open the
# database read-only; a database open to others is made private; nothing
# is inferred from a bad row (--complete rosters, question definitions);
# numbers are decimal, zones are zones, and data printed to a terminal
# cannot send it control sequences.
. "$(dirname "$0")/lib.sh"
S=$ROOT/sample-data/small
cd "$T" || exit 1

run tether-collect people --as-of 2026-07-01 "$S/people-2.csv"
run tether-collect pairs "$S/pairs.csv"
run tether-collect meetings "$S/meetings.csv"
expect_eq "sample organisation loaded" "$RC" 0

# --- output files ----------------------------------------------------------
mkdir -m 0700 rep
echo "victim's own text" >victim
ln -s "$T/victim" rep/tether-2026Q3-trend.csv
ln -s "$T/victim" rep/tether-2026Q3.xlsx
ln -s "$T/victim" rep/tether-2026Q3-days-quiet.png
# A file another user created, world-writable, at one of the names: kept
# by a second link, so that what was written into it would show.
echo "planted by another user" >foreign
chown nobody foreign 2>/dev/null
chmod 0666 foreign
ln foreign rep/tether-2026Q3-pairs.csv
chmod 0644 victim
run tether-report --quarter 2026Q3 --out rep
expect_eq "report over planted links: exit status 0" "$RC" 0
expect_eq "the link's target is untouched, its mode too" \
    "$(cat victim) $(stat -c %a victim)" "victim's own text 644"
expect_eq "the foreign file is untouched" \
    "$(cat foreign) $(stat -c %a foreign)" "planted by another user 666"
for f in tether-2026Q3-trend.csv tether-2026Q3.xlsx \
    tether-2026Q3-days-quiet.png tether-2026Q3-pairs.csv; do
    expect_eq "$f: a new private file of ours, not a link" \
        "$(stat -c '%F %a %u' "rep/$f")" "regular file 600 $(id -u)"
done
expect_eq "the pairs file holds the report's pairs" \
    "$(head -1 rep/tether-2026Q3-pairs.csv | cut -d, -f1)" "\"pair_id\""
expect_eq "no temporary file is left in the folder" \
    "$(find rep -name '.*' -type f | wc -l)" 0
expect_eq "the workbook is a workbook" \
    "$(head -c 2 rep/tether-2026Q3.xlsx)" "PK"

# A folder we cannot write to: the error names the file, nothing is left.
if [ "$(id -u)" != 0 ]; then
    mkdir ro && chmod 0500 ro
    run tether-report --quarter 2026Q3 --out ro --csv
    expect_match "read-only folder: the error names the file" "$ERR" \
        "^tether-report: cannot create 'ro/tether-2026Q3-pairs.csv': Permission denied$"
else
    ok "read-only folder # skip root writes anywhere"
fi

# tether-sample writes through the same temporary files.
mkdir -m 0700 sample
ln -s "$T/victim" sample/pairs.csv
run tether-sample --seed 3 --people 40 --quarters 1 --out sample
expect_eq "tether-sample over a planted link: exit status 0" "$RC" 0
expect_eq "tether-sample: the link's target is untouched" "$(cat victim)" \
    "victim's own text"
expect_eq "tether-sample: pairs.csv is a new private file" \
    "$(stat -c '%F %a' sample/pairs.csv)" "regular file 600"

# --- the database: only loading commands create it --------------------------
for cmd in "tether-collect --db nosuch.db status" "tether-analyze --db nosuch.db" \
    "tether-analyze --db nosuch.db pairs" \
    "tether-report --db nosuch.db --out rep2"; do
    prog=${cmd%% *}
    run $cmd
    expect_eq "$cmd: an error naming the path" "$RC $ERR" \
        "3 $prog: cannot open database 'nosuch.db': No such file or directory (tether-collect creates it when it loads a file)"
    expect_eq "$cmd: no database created" "$(ls -d nosuch.db* rep2 2>/dev/null)" ""
done
printf 'person_id,name,email,work_mode,timezone\nz1,Zoe,z@example.com,office,UTC\n' >one.csv
run tether-collect --db new.db people one.csv
expect_eq "a loading command creates the database, private" \
    "$RC $(stat -c %a new.db)" "0 600"

# Commands that only read open the database read-only: they run while an
# import holds the write lock (a read-write open waited for it, then
# failed with "database is locked").
run tether-report --quarter 2026Q3 --out rep3 --csv
ncsv=$(ls rep3 | wc -l)
expect_eq "report stores its run first" "$RC $((ncsv >= 5))" "0 1"
mkfifo hold
sqlite3 "$TETHER_DB" <hold >/dev/null 2>&1 &
holder=$!
exec 7>hold
echo "BEGIN IMMEDIATE; UPDATE people SET name = name WHERE 0;" >&7
sleep 0.5
t0=$(date +%s)
run tether-collect status
expect_eq "status while another process writes" \
    "$RC $(printf '%s\n' "$OUT" | grep -c '^  pairs  ')" "0 1"
rm -rf rep3
run tether-report --quarter 2026Q3 --out rep3 --csv
expect_eq "report of a stored run while another process writes" \
    "$RC $(ls rep3 | wc -l)" "0 $ncsv"
# (a wait for the lock would last the 10-second busy timeout)
expect_eq "neither waited for the lock" "$(($(date +%s) - t0 < 10))" 1
# A loading command waits for the lock (10 seconds), then names the file.
run tether-collect people one.csv
expect_eq "a lock held too long: the error names the file" "$RC $ERR" \
    "3 tether-collect: one.csv: cannot begin the import: database is locked; nothing loaded from this file"
echo "ROLLBACK;" >&7
exec 7>&-
wait "$holder"

# A database open to others is made private, with a warning.
chmod 0644 "$TETHER_DB"
run tether-collect status
expect_eq "a 0644 database: warned" "$(printf '%s\n' "$ERR" | head -1)" \
    "tether-collect: warning: '$TETHER_DB' could be read by others (mode 0644); made private (0600): it holds personal data"
expect_eq "a 0644 database: made 0600" "$RC $(stat -c %a "$TETHER_DB")" "0 600"
chmod 0660 "$TETHER_DB"
run tether-analyze --quarter 2026Q3
expect_match "tether-analyze warns too" "$ERR" \
    "^tether-analyze: warning: '.*' could be read by others \(mode 0660\); made private"
run tether-collect status
expect_eq "a private database: no warning" "$ERR" ""

# --- nothing is inferred from a bad row ---------------------------------------
# A complete roster in which E000002's row is rejected (a misspelt zone):
# E000002 has not left, and nobody else is recorded as having left either.
sed 's|^E000002,\(.*\),America/Los_Angeles,|E000002,\1,Europe/Pariss,|' \
    "$S/people-2.csv" | grep -v '^E000003,' >complete.csv
left_before=$(sql "SELECT count(*) FROM people WHERE left_on IS NOT NULL")
run tether-collect people --complete --as-of 2026-08-01 complete.csv
expect_eq "complete roster with a rejected row: exit status 1" "$RC" 1
expect_eq "complete roster with a rejected row: the reject and what it means" \
    "$ERR" \
    "complete.csv:3: column timezone: 'Europe/Pariss' is not an IANA time zone
tether-collect: complete.csv: 1 rows rejected: no leavers recorded from this complete roster (fix the rows and load it again)
complete.csv: 299 rows: 0 loaded, 298 unchanged, 1 rejected"
expect_eq "nobody recorded as having left (E000002 rejected, E000003 absent)" \
    "$(sql "SELECT count(*) FROM people WHERE left_on IS NOT NULL")
$(sql "SELECT coalesce(left_on, '-') FROM people WHERE person_id IN ('E000002', 'E000003') ORDER BY 1")" \
    "$left_before
-
-"
# Fixed, the same roster records the one who left.
grep -v '^E000003,' "$S/people-2.csv" >complete2.csv
run tether-collect people --complete --as-of 2026-08-01 complete2.csv
expect_eq "complete roster without rejects: the leaver recorded" \
    "$RC $(sql "SELECT left_on FROM people WHERE person_id = 'E000003'")" \
    "0 2026-08-01"

# A questions file that gives an existing question another construct or
# scale: an error naming both definitions; earlier answers keep theirs.
run tether-collect survey --questions "$S/questions.csv" "$S/responses.csv"
expect_eq "questions and answers loaded" "$RC" 0
answers() {
    sql "SELECT q.construct, q.scale_min, q.scale_max, count(r.id)
         FROM questions q JOIN surveys s ON s.id = q.survey
         LEFT JOIN responses r ON r.question = q.id
         WHERE s.survey_id = 'pulse-2026Q3' AND q.question_id = 'q1'"
}
before_q1=$(answers)
expect_match "q1 is satisfaction on 1 to 5 with answers" "$before_q1" \
    "^satisfaction\|1\.0\|5\.0\|[1-9][0-9]*$"
printf 'survey_id,question_id,text,construct,scale_min,scale_max\npulse-2026Q3,q1,How satisfied are you with your mentoring relationship?,belonging,1,7\n' >redefine.csv
run tether-collect survey --questions redefine.csv
expect_eq "redefined question: rejected, naming both definitions" "$RC $ERR" \
    "1 redefine.csv:2: column construct: question q1 of survey pulse-2026Q3 is satisfaction on 1 to 5; this file makes it belonging on 1 to 7 (use a new question_id)
redefine.csv: 1 rows: 0 loaded, 1 rejected"
expect_eq "redefined question: q1 and its answers unchanged" "$(answers)" \
    "$before_q1"
# The text alone may change (a question reworded).
printf 'survey_id,question_id,text,construct,scale_min,scale_max\npulse-2026Q3,q1,How satisfied are you with your mentor?,satisfaction,1,5\n' >reword.csv
run tether-collect survey --questions reword.csv
expect_eq "a reworded question is updated" "$RC $(printf '%s\n' "$ERR" | tail -1)" \
    "0 reword.csv: 1 rows: 0 loaded, 1 updated, 0 rejected"

# A question map whose two columns are one question with two definitions.
{
    head -4 "$S/map-google.csv"
    sed -n 5p "$S/map-google.csv" | sed 's/,q2,belonging,1,5,/,q1,belonging,1,5,/'
    sed -n '6,$p' "$S/map-google.csv"
} >map-twice.csv
run tether-collect survey --map map-twice.csv "$S/survey-google.csv"
expect_eq "one question_id, two definitions in a map: an error naming both" \
    "$RC $ERR" \
    "3 tether-collect: map-twice.csv:5: column construct: question q1 of survey pulse-2026Q2 is satisfaction on 1 to 5 on line 4; this line makes it belonging on 1 to 5"
# A map that would redefine a question already in the database.
run tether-collect survey --map "$S/map-google.csv" "$S/survey-google.csv"
expect_eq "the Google Forms export loads" "$RC" 0
sed 's/,q1,satisfaction,1,5,/,q1,satisfaction,0,10,/' "$S/map-google.csv" >map-rescaled.csv
cp "$S/survey-google.csv" survey-again.csv
echo '"2026/06/01 8:00:00 AM GMT-4","lukas.kim@example.com","9","Agree","4","7",""' >>survey-again.csv
run tether-collect survey --map map-rescaled.csv survey-again.csv
expect_eq "a map that rescales a stored question: an error naming both" \
    "$RC $ERR" \
    "3 tether-collect: map-rescaled.csv:4: column construct: question q1 of survey pulse-2026Q2 is satisfaction on 1 to 5; this file makes it satisfaction on 0 to 10 (use a new question_id)"

# --- numbers are decimal, zones are zones, terminals get no escapes ------------
export TETHER_DB="$T/small.db"
{
    echo "person_id,name,email,work_mode,timezone,joined_on,department"
    for i in 1 2 3 4 5 6; do
        printf 'p%d,Person %d,p%d@example.com,%s,UTC,2020-01-01,Dept\033[2J%d\n' \
            $i $i $i "$([ $((i % 2)) = 0 ] && echo remote || echo office)" $((i % 2))
    done
    n=7
    for z in leapseconds zone.tab tzdata.zi posixrules localtime \
        right/Europe/Paris Europe/Paris; do
        printf 'p%d,Zoned %d,p%d@example.com,office,%s,2020-01-01,A\n' $n $n $n "$z"
        n=$((n + 1))
    done
} >people.csv
run tether-collect people people.csv
expect_eq "files under zoneinfo that are not zones are rejected" "$RC $ERR" \
    "1 people.csv:8: column timezone: 'leapseconds' is not an IANA time zone
people.csv:9: column timezone: 'zone.tab' is not an IANA time zone
people.csv:10: column timezone: 'tzdata.zi' is not an IANA time zone
people.csv:11: column timezone: 'posixrules' is not an IANA time zone
people.csv:12: column timezone: 'localtime' is not an IANA time zone
people.csv:13: column timezone: 'right/Europe/Paris' is not an IANA time zone
people.csv: 13 rows: 7 loaded, 6 rejected"
run tether-collect meetings --timezone leapseconds m.csv
expect_eq "--timezone leapseconds: a usage error" "$RC $(head -1 "$T/err")" \
    "2 tether-collect: 'leapseconds' is not an IANA time zone"

printf 'pair_id,program,mentor,mentee,started_on,cadence_days\nP1,G,p1,p2,2026-01-01,30\nP\0332,G,p3,p4,2026-01-01,0x1E\nP3,G,p5,p6,2026-01-01,1e2\nP\0332,G,p3,p4,2026-01-01,14\n' >pairs.csv
run tether-collect pairs pairs.csv
expect_eq "cadences are decimal" "$RC $ERR" \
    "1 pairs.csv:3: column cadence_days: '0x1E' is not a number of days between 1 and 3660
pairs.csv:4: column cadence_days: '1e2' is not a number of days between 1 and 3660
pairs.csv: 4 rows: 2 loaded, 2 rejected"
printf 'meeting_id,pair_id,started_at,duration_min,medium,kind,summary_sent\nm1,P1,2026-07-02T10:00:00Z,0x1E,video,scheduled,yes\nm2,P1,2026-07-03T10:00:00Z,1e2,video,scheduled,yes\nm3,P1,2026-07-04T10:00:00Z,30,video,scheduled,yes\nm4,"P\0332",2026-07-04T10:00:00Z,.5,video,scheduled,yes\n' >m.csv
run tether-collect meetings m.csv
expect_eq "durations are decimal" "$RC $ERR" \
    "1 m.csv:2: column duration_min: '0x1E' is not a number of minutes from 0 to 1440
m.csv:3: column duration_min: '1e2' is not a number of minutes from 0 to 1440
m.csv: 4 rows: 2 loaded, 2 rejected"
printf 'survey_id,question_id,text,construct,scale_min,scale_max\ns,q1,Happy?,satisfaction,1,5\n' >q.csv
printf 'survey_id,respondent,submitted_at,question_id,value\ns,p1,2026-07-05T10:00:00Z,q1,0x4\ns,p2,2026-07-05T10:00:00Z,q1,4e0\ns,p3,2026-07-05T10:00:00Z,q1,4\n' >r.csv
run tether-collect survey --questions q.csv r.csv
expect_eq "answers are decimal" "$RC $ERR" \
    "1 q.csv: 1 rows: 1 loaded, 0 rejected
r.csv:2: column value: '0x4' is not a number
r.csv:3: column value: '4e0' is not a number
r.csv: 3 rows: 1 loaded, 2 rejected"
run tether-analyze --quarter 2026Q3 --inactive-factor 0x3
expect_eq "analysis thresholds are decimal" "$RC $(head -1 "$T/err")" \
    "2 tether-analyze: '0x3' is not a positive number"

# Names from the data with escape sequences: escaped in the terminal table.
run tether-analyze --quarter 2026Q3 --by department
expect_match "table: a department's escape sequence is escaped" "$OUT" \
    '^department  Dept\\x1b\[2J0 '
expect_no_match "table: no raw escape character" "$OUT" $'\033'
run tether-analyze pairs --quarter 2026Q3
expect_match "pairs: a pair_id's escape character is escaped" "$OUT" \
    '^P\\x1b2 '
expect_no_match "pairs: no raw escape character" "$OUT" $'\033'
run tether-analyze --quarter 2026Q3 --by department --format json
expect_match "JSON keeps the data, escaped as JSON" "$OUT" 'Dept\\u001B\[2J0'
# A rejected row quoting an escape sequence: escaped on stderr, kept as it
# was in the reject log.
printf 'meeting_id,pair_id,started_at,duration_min,medium,kind,summary_sent\nm5,P1,2026-07-05T10:00:00Z,30,\033[2Jvideo,scheduled,yes\n' >esc.csv
run tether-collect meetings esc.csv
expect_eq "a reject's escape sequence is escaped on stderr" \
    "$(printf '%s\n' "$ERR" | head -1)" \
    "esc.csv:2: column medium: '\\x1b[2Jvideo' is not a medium (video, phone, in_person, chat, email, other)"
expect_eq "the reject log keeps the raw text" \
    "$(sql "SELECT hex(raw) LIKE '%1B5B324A%' FROM rejects WHERE line = 2 AND import_id = (SELECT max(id) FROM imports)")" 1
