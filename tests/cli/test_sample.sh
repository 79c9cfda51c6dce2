#!/usr/bin/env bash
# test_sample.sh - tether-sample: the same arguments give the same bytes
# (and the committed sample-data/small), every file loads with the real
# tether-collect with the row counts manifest.json states, each export format
# holds exactly the contacts or answers of its canonical twin under
# expected/, the files have the byte layout of the real exports, and bad
# usage is refused with exit status 2.
. "$(dirname "$0")/lib.sh"

ARGS=(--seed 1 --people 300 --quarters 4 --until 2026Q3)
A=$T/a
B=$T/b

# manifest_vars DIR: the manifest's figures the checks need, as shell
# variables M_* (one python3 start, not one per figure).
manifest_vars() {
    eval "$(python3 - "$1/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
c = m["counts"]
v = {"PERIOD": " ".join([m["period"]["start"], m["period"]["end"],
                         m["snapshots"][1]["as_of"]]),
     "PEOPLE": c["people"], "PAIRS": c["pairs"], "CONTACTS": c["contacts"],
     "RELOCATED": m["planted"]["relocated_mentor"]["person_id"],
     "ONSITE": c["work_mode_aliases_in_people_2"]["On-site"],
     "MOBILE": c["work_mode_aliases_in_people_2"]["Mobile"]}
for k, n in c["contacts_by_file"].items():
    v["C_" + "".join(ch if ch.isalnum() else "_" for ch in k)] = n
for f in m["files"]:
    v["ROWS_" + "".join(ch if ch.isalnum() else "_" for ch in f["path"])] = f["rows"]
for k, x in v.items():
    print("M_%s='%s'" % (k, x))
PY
)"
}

# same_tree NAME DIR1 DIR2: both folders hold the same files, byte for byte.
same_tree() {
    local l1 l2 bad=""
    l1=$(cd "$2" && find . -type f | sort)
    l2=$(cd "$3" && find . -type f | sort)
    if [ "$l1" != "$l2" ]; then
        fail "$1" "file lists differ:" "$(diff <(echo "$l1") <(echo "$l2"))"
        return
    fi
    while read -r f; do
        cmp -s "$2/$f" "$3/$f" || bad="$bad $f"
    done <<<"$l1"
    if [ -z "$bad" ]; then ok "$1"; else fail "$1" "differ:$bad"; fi
}

# --- usage ----------------------------------------------------------------
run tether-sample --people abc --out "$T/x"
expect_eq "--people abc: exit 2" "$RC" 2
expect_eq "--people abc: message" "$(head -1 "$T/err")" \
    "tether-sample: --people 'abc' is not a number from 20 to 10000000"
run tether-sample --seed 1
expect_eq "no --out: exit 2" "$RC" 2
expect_eq "no --out: message" "$(head -1 "$T/err")" \
    "tether-sample: no output folder given (--out DIR)"
run tether-sample --until 2026Q5 --out "$T/x"
expect_eq "bad --until: exit 2 with message" "$RC:$(head -1 "$T/err")" \
    "2:tether-sample: --until '2026Q5' is not a quarter such as 2026Q3"
run tether-sample --bogus
expect_eq "unknown option: exit 2" "$RC:$(head -1 "$T/err")" \
    "2:tether-sample: unknown option '--bogus'"
run tether-sample --help
expect_eq "--help: exit 0, usage on stdout" "$RC:$(head -1 "$T/out")" \
    "0:usage: tether-sample [--seed N] [--people N] [--quarters N]"
expect_eq "nothing written on usage errors" "$(ls "$T" | grep -c '^x$')" 0

# --- determinism ----------------------------------------------------------
run tether-sample "${ARGS[@]}" --out "$A"
expect_eq "generation: exit 0, stdout empty" "$RC:$OUT" "0:"
run tether-sample "${ARGS[@]}" --quiet --out "$B"
expect_eq "--quiet: nothing on stderr" "$RC:$ERR" "0:"
same_tree "same seed: byte-identical files" "$A" "$B"
same_tree "committed sample-data/small equals a fresh generation" \
    "$ROOT/sample-data/small" "$A"
run tether-sample --seed 2 --people 300 --quarters 4 --until 2026Q3 -q \
    --out "$T/c"
if cmp -s "$A/people.csv" "$T/c/people.csv" ||
    cmp -s "$A/meetings.csv" "$T/c/meetings.csv"; then
    fail "another seed: other people and meetings"
else
    ok "another seed: other people and meetings"
fi
expect_eq "files 0600, folders 0700" \
    "$(stat -c %a "$A" "$A/people.csv" "$A/zoom" "$A/expected/zoom.csv" |
        sort -u | tr '\n' ' ')" "600 700 "
manifest_vars "$A"
expect_eq "manifest: the covered period" "$M_PERIOD" \
    "2025-10-01 2026-09-30 2026-07-01"

# --- canonical files load with the counts of the manifest ------------------
export TETHER_DB=$T/full.db
cd "$A" || exit 1
run tether-collect people -q --as-of 2025-10-01 people.csv
expect_eq "people.csv loads" "$RC:$(sql 'SELECT count(*) FROM people')" \
    "0:$M_ROWS_people_csv"
run tether-collect people -q --as-of 2026-07-01 people-2.csv
expect_eq "people-2.csv loads: every person of the manifest" \
    "$RC:$(sql 'SELECT count(*) FROM people')" "0:$M_PEOPLE"
expect_eq "people-2.csv: the relocated mentor is remote in Adelaide" \
    "$(sql "SELECT v.work_mode, v.timezone FROM person_versions v JOIN people p
            ON p.id = v.person WHERE p.person_id = '$M_RELOCATED'
            ORDER BY v.valid_from" | tr '\n' ' ')" \
    "office|Europe/London remote|Australia/Adelaide "
expect_eq "work-mode aliases read (On-site, Mobile)" \
    "$(grep -c ',On-site,' people-2.csv) $(grep -c ',Mobile,' people-2.csv)" \
    "$M_ONSITE $M_MOBILE"
run tether-collect pairs -q pairs.csv
expect_eq "pairs.csv loads" "$RC:$(sql 'SELECT count(*) FROM pairs')" \
    "0:$M_PAIRS"
run tether-collect meetings -q meetings.csv
expect_eq "meetings.csv loads" "$RC:$(sql 'SELECT count(*) FROM contacts')" \
    "0:$M_C_meetings_csv"
run tether-collect survey -q --questions questions.csv responses.csv
expect_eq "questions.csv and responses.csv load" \
    "$RC:$(sql 'SELECT count(*) FROM questions')/$(sql 'SELECT count(*) FROM responses')" \
    "0:$M_ROWS_questions_csv/$M_ROWS_responses_csv"

# --- export layouts (FORMATS.md) -------------------------------------------
zoom1=$(ls zoom/*.csv | head -1)
teams1=$(ls teams/*.csv | head -1)
expect_eq "zoom: UTF-8 BOM and the meeting header" \
    "$(head -c 3 "$zoom1" | xxd -p)$(head -1 "$zoom1" | tail -c +4 | tr -d '\r')" \
    "efbbbfMeeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants"
expect_eq "zoom: every line ends CRLF" \
    "$(grep -c $'\r$' "$zoom1")" "$(wc -l <"$zoom1")"
expect_eq "zoom: participants header and a rejoin (3 rows)" \
    "$(sed -n 4p "$zoom1" | tr -d '\r'):$(tail -n +5 "$zoom1" | wc -l)" \
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent:3"
expect_eq "teams: UTF-16LE BOM" "$(head -c 2 "$teams1" | xxd -p)" "fffe"
tu=$(iconv -f UTF-16 -t UTF-8 "$teams1")
expect_eq "teams: three sections" \
    "$(printf '%s\n' "$tu" | grep -E '^[123]\. ' | tr '\n' '|')" \
    "1. Summary|2. Participants|3. In-Meeting activities|"
expect_eq "teams: TAB-separated participants header" \
    "$(printf '%s\n' "$tu" | grep '^Name	First join')" \
    "Name	First join	Last leave	In-meeting duration	Email	Participant ID (UPN)	Role"
expect_match "teams: dd/mm/yy times" "$(printf '%s\n' "$tu" | grep '^Start time')" \
    '^Start time	[0-3][0-9]/[01][0-9]/2[0-9], [0-2][0-9]:[0-5][0-9]:[0-5][0-9]$'
expect_eq "ics: every line ends CRLF, none longer than 75 octets" \
    "$(grep -vc $'\r$' calendar.ics):$(LC_ALL=C awk 'length($0) > 76' calendar.ics | wc -l)" \
    "0:0"
for k in 'BEGIN:VTIMEZONE' 'RRULE:FREQ=WEEKLY;INTERVAL=2' 'EXDATE;TZID=' \
    'RECURRENCE-ID;TZID=' 'STATUS:CANCELLED' 'X-GOOGLE-CONFERENCE:'; do
    expect_match "ics: has $k" "$(tr -d '\r' <calendar.ics)" "^$k"
done
expect_eq "google forms: every field quoted" \
    "$(head -2 survey-google.csv | tail -1 | cut -c1-6)" '"2026/'
expect_match "qualtrics: three header rows, ImportIds third" \
    "$(sed -n 3p survey-qualtrics.csv)" '^"\{""ImportId"":""startDate"",""timeZone"":""UTC""\}",'

# --- each export equals its canonical twin ----------------------------------
# fresh NAME: a database with the roster and pairs loaded.
fresh() {
    export TETHER_DB=$T/$1.db
    tether-collect people -q --as-of 2025-10-01 people.csv &&
        tether-collect people -q --as-of 2026-07-01 people-2.csv &&
        tether-collect pairs -q pairs.csv
}
CQ="SELECT p.pair_id, c.started_at, c.duration_min, c.medium
    FROM contacts c JOIN pairs p ON p.id = c.pair ORDER BY 1, 2"
# twin NAME TWIN FORMAT-ARGS...: the export's contacts equal the twin's.
twin() {
    local name=$1 twin=$2
    shift 2
    fresh "$name-twin" && tether-collect meetings -q "$twin"
    local want
    want=$(sql "$CQ")
    fresh "$name" && run tether-collect meetings -q "$@"
    expect_eq "$name: loads with exit 0" "$RC" 0
    expect_eq "$name: contacts as in the manifest" \
        "$(sql 'SELECT count(*) FROM contacts')" \
        "$(eval echo "\$M_C_${name//./_}")"
    if [ -n "$want" ] && [ "$(sql "$CQ")" == "$want" ]; then
        ok "$name: same pairs, starts, durations and media as $twin"
    else
        fail "$name: same contacts as $twin" \
            "$(diff <(echo "$want") <(sql "$CQ") | head -5)"
    fi
}
twin calendar.ics expected/calendar.csv --format ics calendar.ics
twin zoom expected/zoom.csv --format zoom --timezone UTC zoom/*.csv
twin teams expected/teams.csv --format teams --timezone UTC \
    --date-order dmy teams/*.csv
# The message exports: the trace and the Slack export hold the e-mails and
# chats of expected/messages.csv, each with its sender; the mentor's mailbox
# holds his e-mails again (one contact each) and invitations (none).
MQ="SELECT p.pair_id, c.started_at, c.medium, c.kind, c.initiator
    FROM contacts c JOIN pairs p ON p.id = c.pair ORDER BY 1, 2, 3, 5"
fresh messages-twin && tether-collect meetings -q expected/messages.csv
want=$(sql "$MQ")
fresh messages && run tether-collect messages mail/message-trace.csv \
    slack-export.zip
expect_eq "messages: trace and Slack export load with exit 0" "$RC" 0
expect_eq "messages: contacts as in the manifest" \
    "$(sql 'SELECT count(*) FROM contacts')" \
    "$((M_C_mail_message_trace_csv + M_C_slack_export_zip))"
if [ -n "$want" ] && [ "$(sql "$MQ")" == "$want" ]; then
    ok "messages: same pairs, times, media and initiators as expected/messages.csv"
else
    fail "messages: same contacts as expected/messages.csv" \
        "$(diff <(echo "$want") <(sql "$MQ") | head -5)"
fi
mbox=$(ls mail/*.mbox)
owner=$(python3 -c 'import json, sys; print(next(f["load"] for f in json.load(open("manifest.json"))["files"] if f["path"] == sys.argv[1]).split()[-1])' "$mbox")
before=$(sql 'SELECT count(*) FROM contacts')
run tether-collect messages --owner "$owner" "$mbox"
expect_match "mailbox: every e-mail already in the trace, invitations no contact" \
    "$RC $ERR" "^0 $mbox: $(grep -c '^From ' "$mbox") rows: 0 loaded, [1-9][0-9]* unchanged, [1-9][0-9]* skipped, 0 rejected\$"
expect_eq "mailbox: no new contact" "$(sql 'SELECT count(*) FROM contacts')" "$before"
expect_eq "mailbox: its owner covered" \
    "$(sql "SELECT p.email FROM message_imports i JOIN people p ON p.id = i.owner")" "$owner"
expect_eq "trace: every field quoted, CRLF, en-US times" \
    "$(sed -n 2p mail/message-trace.csv | grep -cE '^\"[^,]*\",(\"[^\"]*\",){4}\"[0-9]{1,2}/[0-9]{1,2}/20[0-9]{2} [0-9]{1,2}:[0-9]{2}:[0-9]{2} [AP]M\".*\"'$'\r''$')" 1
SQ="SELECT s.survey_id, p.email, r.submitted_at, q.question_id, q.construct,
    q.scale_min, q.scale_max, r.value FROM responses r
    JOIN questions q ON q.id = r.question JOIN surveys s ON s.id = q.survey
    JOIN people p ON p.id = r.respondent ORDER BY 1, 2, 3, 4"
for f in google qualtrics; do
    fresh "$f-twin" &&
        tether-collect survey -q --questions "expected/questions-$f.csv" \
            "expected/survey-$f.csv"
    want=$(sql "$SQ")
    fresh "$f" &&
        run tether-collect survey --map "map-$f.csv" --timezone UTC \
            "survey-$f.csv"
    expect_eq "survey-$f.csv: loads with exit 0 and no warning" "$RC:$ERR" \
        "0:survey-$f.csv: $(eval echo "\$M_ROWS_survey_${f}_csv") rows: $(($(wc -l <"expected/survey-$f.csv") - 1)) loaded, 0 rejected"
    if [ -n "$want" ] && [ "$(sql "$SQ")" == "$want" ]; then
        ok "survey-$f.csv: same answers as expected/survey-$f.csv"
    else
        fail "survey-$f.csv: same answers" \
            "$(diff <(echo "$want") <(sql "$SQ") | head -5)"
    fi
done

# --- without formats: only the canonical files, the same contacts -----------
cd "$T" || exit 1
run tether-sample "${ARGS[@]}" --no-formats -q --out "$T/n"
expect_eq "--no-formats: the canonical files only" \
    "$(cd "$T/n" && find . -type f | sort | tr '\n' ' ')" \
    "./manifest.json ./meetings.csv ./pairs.csv ./people-2.csv ./people.csv ./questions.csv ./responses.csv "
# The same contacts but the summary e-mails, which only the message
# exports carry (without them, summary_sent says it).
all=$(python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); print(m["counts"]["contacts"] - m["planted"]["summaries"]["summary_emails"])' "$A/manifest.json")
manifest_vars "$T/n"
expect_eq "--no-formats: the same contacts but the summary e-mails, all in meetings.csv" \
    "$M_C_meetings_csv" "$all"
expect_eq "--no-formats: the same pairs and people" \
    "$(cmp "$A/pairs.csv" "$T/n/pairs.csv" && cmp "$A/people-2.csv" "$T/n/people-2.csv" && echo same)" same
