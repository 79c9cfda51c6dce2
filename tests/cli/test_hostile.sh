#!/usr/bin/env bash
# test_hostile.sh - inputs written to hurt: each gives a clear message or a
# bounded, documented result, in bounded time and memory. The large files
# are generated here, in the test's temporary folder, never committed.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

# bounded NAME SECONDS MAX_MB CMD...: runs CMD under timeout, keeping RC,
# OUT and ERR as run does; checks that it ended in time and that its peak
# memory (resident set) stayed under MAX_MB. Under AddressSanitizer (make
# check SANITIZE=...) the limits are doubled: its shadow memory and
# quarantine of freed blocks add to the peak, its checks to the time.
bounded() {
    local name=$1 secs=$2 mb=$3
    shift 3
    if [ -n "${SANITIZE:-}" ]; then
        secs=$((secs * 2))
        mb=$((mb * 2))
    fi
    /usr/bin/time -f '%M' -o "$T/mem" timeout "$secs" "$@" >"$T/out" 2>"$T/err"
    RC=$?
    OUT=$(cat "$T/out")
    ERR=$(cat "$T/err")
    local kb
    kb=$(tail -1 "$T/mem" | tr -dc 0-9)
    if [ "$RC" -eq 124 ]; then
        fail "$name: ends within ${secs}s" "timed out"
    elif [ -z "$kb" ] || [ "$kb" -gt $((mb * 1024)) ]; then
        fail "$name: peak memory under ${mb} MB" "peak: ${kb:-?} KB"
    else
        ok "$name: ends within ${secs}s, peak memory under ${mb} MB ($((kb / 1024)) MB)"
    fi
}

printf 'person_id,name,email,work_mode,timezone,joined_on\np1,Ann Lee,ann@example.com,office,Europe/Paris,1920-01-01\np2,Bo Chen,bo@example.com,remote,Asia/Shanghai,1920-01-01\n' >people.csv
printf 'pair_id,program,mentor,mentee,started_on\nA,Global,p1,p2,1926-01-01\n' >pairs.csv
run tether-collect people people.csv
run tether-collect pairs pairs.csv
expect_eq "roster and pair loaded" "$(sql "SELECT count(*) FROM pairs")" 1

# --- CSV ------------------------------------------------------------------
# A header of ten million columns: the reader stops at 10,000 fields.
{ head -c 10000000 /dev/zero | tr '\0' ','; echo; } >wide.csv
bounded "10 million columns" 60 100 tether-collect people wide.csv
expect_eq "10 million columns: exit status 3" "$RC" 3
expect_eq "10 million columns: message" "$ERR" \
    "tether-collect: wide.csv:1: more than 10000 fields"

# A single line of 1 GB (100 MB when the disk is short): the reader stops
# at a 16 MiB record.
free_kb=$(df -Pk "$T" | awk 'NR == 2 { print $4 }')
size=1G
[ "${free_kb:-0}" -gt 4194304 ] || size=100M
head -c $size /dev/zero | tr '\0' 'a' >long.csv
bounded "a $size line" 120 200 tether-collect people long.csv
expect_eq "a $size line: exit status 3" "$RC" 3
expect_eq "a $size line: message" "$ERR" \
    "tether-collect: long.csv:1: record longer than 16777216 bytes"
rm -f long.csv
expect_eq "database unchanged by the refused files" \
    "$(sql "SELECT count(*) FROM people")" 2

# UTF-16 without a byte-order mark is refused, with the command to fix it.
printf 'person_id,work_mode\np3,office\n' | iconv -t UTF-16LE >u16.csv
run tether-collect people u16.csv
expect_eq "UTF-16 without a BOM: exit status 3" "$RC" 3
expect_eq "UTF-16 without a BOM: message" "$ERR" \
    "tether-collect: 'u16.csv' looks like UTF-16 without a byte-order mark; convert it to UTF-8 (iconv -f UTF-16LE -t UTF-8)"

# A NUL byte rejects its row, not the file; the reject log keeps the row.
printf 'person_id,work_mode,name\np3,office,Cy\0Diaz\np4,remote,Di Evans\n' >nul.csv
run tether-collect people nul.csv
expect_eq "NUL byte: exit status 1" "$RC" 1
expect_eq "NUL byte: the row is rejected, the rest loaded" "$ERR" \
"nul.csv:2: column name: NUL byte
nul.csv: 2 rows: 1 loaded, 1 rejected"
expect_eq "NUL byte: reject log" \
    "$(sql "SELECT line || ' ' || column_name || ' ' || reason FROM rejects r JOIN imports i ON i.id = r.import_id WHERE i.path = 'nul.csv'")" \
    "2 name NUL byte"

# A pair that mentors itself, also when the two sides are spelled
# differently (person_id and e-mail in another case).
printf 'pair_id,program,mentor,mentee,started_on\nS1,Global,p1,p1,2026-01-01\nS2,Global,p1,ANN@Example.com,2026-01-01\n' >self.csv
run tether-collect pairs self.csv
expect_eq "self-mentoring: exit status 1" "$RC" 1
expect_eq "self-mentoring: both rows rejected" "$ERR" \
"self.csv:2: column mentee: a person cannot mentor themselves
self.csv:3: column mentee: a person cannot mentor themselves
self.csv: 2 rows: 0 loaded, 2 rejected"

# Years 0 and 9999, and a meeting of a year.
printf 'meeting_id,pair_id,started_at,duration_min,medium\ny9999,A,9999-12-31T23:59:59Z,30,video\ny0,A,0000-01-01T00:00Z,30,video\nyear,A,2026-03-01T10:00Z,525600,video\ny1,A,0001-01-01T00:00Z,30,video\n' >years.csv
run tether-collect meetings years.csv
expect_eq "extreme dates: exit status 1" "$RC" 1
expect_eq "extreme dates: year 0 and a year-long meeting rejected, 9999 loaded" "$ERR" \
"years.csv:3: column started_at: '0000-01-01T00:00Z' is not a timestamp (YYYY-MM-DDTHH:MM:SS+HH:MM)
years.csv:4: column duration_min: '525600' is not a number of minutes from 0 to 1440
years.csv:5: column pair_id: 0001-01-01T00:00Z is outside pair A's dates
years.csv: 4 rows: 1 loaded, 3 rejected"
printf 'person_id,work_mode,joined_on,left_on\nq1,office,0000-01-01,\nq2,office,0001-01-01,9999-12-31\n' >ypeople.csv
run tether-collect people ypeople.csv
expect_eq "year 0 in a roster" "$ERR" \
"ypeople.csv:2: column joined_on: '0000-01-01' is not a date (YYYY-MM-DD)
ypeople.csv: 2 rows: 1 loaded, 1 rejected"
bounded "analysis of the quarter ending 9999-12-31" 60 200 \
    tether-analyze --from 9999-10-01 --to 9999-12-31 --format csv
expect_eq "analysis of 9999Q4: exit status" "$RC" 0
expect_match "analysis of 9999Q4: the meeting of 9999-12-31 is counted" \
    "$OUT" "^pairs,A,Global,p1,p2,active,92,1,30,1,9999-12-31,9999-12-31,0,"
bounded "analysis of years 1 to 9999" 60 200 \
    tether-analyze --from 0001-01-01 --to 9999-12-31 --format csv
expect_eq "analysis of years 1 to 9999: exit status" "$RC" 0

# --- iCalendar --------------------------------------------------------------
ics_event() { # UID RRULE-LINE DTSTART DTEND
    printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:%s\r\nDTEND:%s\r\n%sORGANIZER:mailto:ann@example.com\r\nATTENDEE:mailto:bo@example.com\r\nSUMMARY:1:1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' \
        "$1" "$3" "$4" "$2"
}
# A rule with no end, expanded over 100 years: a daily one gives its
# 36,525 meetings; a rule of one per second stops at 100,000 instances.
ics_event daily $'RRULE:FREQ=DAILY\r\n' 19260101T090000Z 19260101T093000Z >daily.ics
bounded "endless daily rule over 100 years" 60 300 \
    tether-collect meetings --from 1926-01-01 --to 2025-12-31 daily.ics
expect_eq "endless daily rule: every day of 100 years" "$ERR" \
    "daily.ics: 1 rows: 36525 loaded, 0 rejected"
ics_event secondly $'RRULE:FREQ=SECONDLY\r\n' 19260101T090000Z 19260101T090001Z >secondly.ics
bounded "endless rule of one per second over 100 years" 60 300 \
    tether-collect meetings --from 1926-01-01 --to 2025-12-31 secondly.ics
expect_eq "endless secondly rule: stops at 100,000 with a warning" "$ERR" \
"tether-collect: secondly.ics: warning: 1 recurrence rules stopped after 100000 instances
secondly.ics: 1 rows: 100000 loaded, 0 rejected"

# A property folded over a million lines.
{
    printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:folded\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260105T090000Z\r\nDTEND:20260105T093000Z\r\nORGANIZER:mailto:ann@example.com\r\nATTENDEE:mailto:bo@example.com\r\nDESCRIPTION:x'
    yes $' yyyy\r' | head -n 1000000
    printf 'SUMMARY:1:1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'
} >folded.ics
bounded "a line folded a million times" 60 300 tether-collect meetings folded.ics
expect_eq "folded line: the event loads" "$RC $ERR" \
    "0 folded.ics: 1 rows: 1 loaded, 0 rejected"

# An event that lasts a year loads with its length (calendar events are not
# bounded as meetings.csv's duration_min is; see the README).
ics_event yearlong "" 20260105T090000Z 20270105T090000Z >yearlong.ics
run tether-collect meetings yearlong.ics
expect_eq "a year-long calendar event: loaded" "$RC" 0
expect_eq "a year-long calendar event: its minutes" \
    "$(sql "SELECT duration_min FROM contacts WHERE source_key LIKE 'yearlong%'")" "525600.0"

# A calendar whose events all fall outside the window: no instance at all.
ics_event outside $'RRULE:FREQ=WEEKLY;COUNT=3\r\n' 19300105T090000Z 19300105T093000Z >outside.ics
run tether-collect meetings --from 2026-01-01 --to 2026-12-31 outside.ics
expect_eq "no instance inside the window: nothing loaded, nothing wrong" \
    "$RC" 0
expect_no_match "no instance inside the window: no runtime error" "$ERR" "runtime error"
