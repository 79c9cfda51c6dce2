#!/usr/bin/env bash
# seeds.sh TARGET DIR - writes the seed corpus of a fuzz target into DIR
# (made at run time from tests/data, the real exports of tests/data/real
# included, and sample-data; no seed is committed). The first byte of each
# seed is the target's option selector (see the target's source).
set -u
cd "$(dirname "$0")/.."
TESTDATA=${TESTDATA:-tests/data/real}
target=$1
dir=$2
mkdir -p "$dir"
n=0
# seed SELECTOR FILE: the file's bytes after one selector byte.
seed() {
    [ -f "$2" ] || return 0
    n=$((n + 1))
    { printf "\\$(printf '%03o' "$1")"; head -c 65536 "$2"; } >"$dir/seed-$n"
}
text() { n=$((n + 1)); printf '%b' "$2" | { printf "\\$(printf '%03o' "$1")"; cat; } >"$dir/seed-$n"; }

case $target in
fuzz_calendar_json)
    for f in tests/data/exports/graph-*.json; do
        seed 0 "$f"
        seed 2 "$f"
    done
    for f in tests/data/exports/gcal-*.json; do
        seed 1 "$f"
        seed 3 "$f"
    done
    ;;
fuzz_xlsx)
    for f in tests/data/exports/*.xlsx; do
        seed 0 "$f"
        seed 1 "$f"
    done
    ;;
fuzz_csv)
    for f in "$TESTDATA"/csv-spectrum/csvs/*.csv "$TESTDATA"/csvkit-examples/*.csv \
        sample-data/small/*.csv tests/data/collect/*.csv; do
        seed 0 "$f"
    done
    seed 1 "$TESTDATA/csvkit-examples/dummy.tsv"
    seed 2 sample-data/small/people.csv
    ;;
fuzz_text)
    for f in "$TESTDATA"/csvkit-examples/*.csv "$TESTDATA"/attendance/teams-dvaneynde/*.csv \
        tests/data/collect/latin1.csv; do
        [ -f "$f" ] && n=$((n + 1)) && head -c 65536 "$f" >"$dir/seed-$n"
    done
    ;;
fuzz_time)
    i=0
    for s in 2026-07-01 2024-02-29 0001-01-01 9999-12-31 \
        2026-07-01T09:30:00Z 2026-07-01T09:30+02:00 2026-07-01T09:30:00.123-0530 \
        '2026-03-29 02:30' '2026-10-25T02:30:00' 2016-12-31T23:59:60Z \
        '09/24/2020 11:35:16 AM' '15/11/22, 09:30:17' \
        '2026/02/05 10:54:08 PM GMT+5:30' '2017-07-18 08:28:09' \
        '1h 5m 20s' '19m 26s' '1 hr 2 min' '1:05:20' '58 min' 42 \
        Europe/Paris America/Argentina/Buenos_Aires; do
        i=$((i + 1))
        text "$i" "$s"
    done
    ;;
fuzz_ics)
    for f in "$TESTDATA"/ics/*/*.ics tests/data/ics/*.ics \
        sample-data/small/calendar.ics; do
        seed 1 "$f"
        seed 2 "$f"
    done
    ;;
fuzz_attendance)
    for f in "$TESTDATA"/attendance/zoom-*/*.csv sample-data/small/zoom/*.csv; do
        seed 0 "$f"
        seed 8 "$f"
    done
    for f in "$TESTDATA"/attendance/teams-dvaneynde/*.csv \
        "$TESTDATA"/attendance/teams-dvaneynde/utf8/*.csv sample-data/small/teams/*.csv; do
        seed 1 "$f"
        seed 29 "$f"
    done
    seed 3 sample-data/small/meetings.csv
    seed 3 tests/data/collect/meetings.csv
    seed 3 tests/data/collect/meetings-fix.csv
    ;;
fuzz_survey)
    for s in google qualtrics; do
        n=$((n + 1))
        { printf '\0'; cat "sample-data/small/map-$s.csv"; printf '====\n'
          head -c 32768 "sample-data/small/survey-$s.csv"; } >"$dir/seed-$n"
    done
    for f in "$TESTDATA"/surveys/qualtrics-qualtRics/*.csv; do
        n=$((n + 1))
        { printf '\0'; cat sample-data/small/map-qualtrics.csv; printf '====\n'
          head -c 32768 "$f"; } >"$dir/seed-$n"
    done
    seed 1 sample-data/small/questions.csv
    seed 2 sample-data/small/responses.csv
    seed 6 sample-data/small/responses.csv
    ;;
*)
    echo "seeds.sh: no seeds for '$target'" >&2
    ;;
esac
# libFuzzer needs at least one input.
[ -n "$(ls -A "$dir")" ] || printf '\0' >"$dir/empty"
