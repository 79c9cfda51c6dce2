#!/usr/bin/env bash
# bench.sh - times collect, analyze and report on a large generated
# organisation, each beside a baseline measured in the same run on the same
# data, and prints rows per second, seconds, peak memory and the ratios.
#   bash scripts/bench.sh          1,000,000 people, about 10 million contacts
#   bash scripts/bench.sh small    10,000 people, about 100,000 contacts
# Messages: a mailbox of 200,000 messages (about 1 GB) and a message trace
# of 5,000,000 rows between the sample's people (20,000 and 500,000 with
# small), made once by scripts/gen_messages.py.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-large}
case "$size" in
small) people=10000 mbox_msgs=20000 trace_rows=500000 ;;
large | "") size=large; people=1000000 mbox_msgs=200000 trace_rows=5000000 ;;
*) echo "bench: SIZE is small or large" >&2; exit 2 ;;
esac
QUARTER=2026Q3
BIN=${BIN:-bin} # where the programs are
data=bench-data/$size
work=bench-data/$size-run
if [ ! -f "$data/manifest.json" ]; then
    echo "bench: generating $people people into $data (once; cached)" >&2
    rm -rf "$data"
    mkdir -p bench-data
    $BIN/tether-sample --seed 7 --people "$people" --quarters 4 \
        --until "$QUARTER" --quiet --out "$data"
fi
if [ ! -f "$data/messages/trace.csv" ]; then
    echo "bench: generating $mbox_msgs messages and $trace_rows trace rows (once; cached)" >&2
    mkdir -p "$data/messages"
    python3 scripts/gen_messages.py "$data/people-2.csv" "$data/pairs.csv" \
        "$data/messages" "$mbox_msgs" "$trace_rows"
fi
rm -rf "$work"
mkdir -p "$work"
export TETHER_DB="$work/tether.db"

# measure NAME CMD...: runs CMD, keeping seconds and peak resident memory
# (kernel's accounting via wait4, as reported by GNU time).
measure() {
    local name=$1
    shift
    /usr/bin/time -f '%e %M %U %S' -o "$work/$name.time" "$@" >/dev/null \
        2>"$work/$name.err" || {
        echo "bench: $name failed:" >&2
        cat "$work/$name.err" >&2
        exit 1
    }
    read -r secs kb user sys <"$work/$name.time"
    eval "${name}_s=$secs ${name}_kb=$kb ${name}_cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
}

rows() { echo $(($(wc -l <"$1") - 1)); }
people_rows=$(rows "$data/people.csv")
people2_rows=$(rows "$data/people-2.csv")
pair_rows=$(rows "$data/pairs.csv")
meeting_rows=$(rows "$data/meetings.csv")

measure people $BIN/tether-collect people --quiet --as-of 2025-10-01 "$data/people.csv"
measure people2 $BIN/tether-collect people --quiet --as-of 2026-07-01 "$data/people-2.csv"
measure pairs $BIN/tether-collect pairs --quiet "$data/pairs.csv"
measure collect $BIN/tether-collect meetings --quiet "$data/meetings.csv"
measure import_base sqlite3 "$work/bare.db" ".import --csv $data/meetings.csv bare"
contacts=$(sqlite3 "$TETHER_DB" "SELECT count(*) FROM contacts")
measure analyze $BIN/tether-analyze --quarter "$QUARTER" --format json
# Program impact (SPEC 3.7), with the level order of the sample's roster.
measure impact $BIN/tether-analyze impact --quarter "$QUARTER" \
    --level-order L1,L2,L3,L4,L5,Executive --format json
# Surveys segmented by four dimensions: the disclosure control of SPEC 3.3
# (its differencing rule across dimensions) at scale; tether-analyze says
# how much CPU that step took when TETHER_BENCH is set.
measure survey $BIN/tether-collect survey --quiet --questions "$data/questions.csv" "$data/responses.csv"
answers=$(sqlite3 "$TETHER_DB" "SELECT count(*) FROM responses")
TETHER_BENCH=1 measure analyze_by $BIN/tether-analyze --quarter "$QUARTER" \
    --by department,site,level,region --format json
disclosure_s=$(sed -n 's/.*disclosure control took \([0-9.]*\) s.*/\1/p' "$work/analyze_by.err")
measure scan_base sqlite3 "$TETHER_DB" "SELECT pair, count(*) FROM contacts GROUP BY pair"
# The report's main outputs: workbook, charts and PDF (the CSV files are
# timed apart).
measure report $BIN/tether-report --quarter "$QUARTER" --xlsx --pdf \
    --charts png --out "$work/report"
measure report_csv $BIN/tether-report --quarter "$QUARTER" --csv \
    --out "$work/report-csv"
report_rows=$(sqlite3 "$TETHER_DB" "SELECT count(*) FROM pair_health WHERE run = (SELECT max(id) FROM runs)")
# Messages, after the meetings (a database as it is in use): the mailbox
# beside grep's count of its separators, the trace beside cat. Each
# baseline runs twice first, so that the file is in the page cache for
# both sides.
mbox=$data/messages/mail.mbox
trace=$data/messages/trace.csv
grep -c '^From ' "$mbox" >/dev/null
cat "$trace" >/dev/null
# (grep stops at the first match when its output is /dev/null, as
# measure's is: the count goes to a file.)
measure mbox_base sh -c 'grep -c "^From " "$1" >"$2"' sh "$mbox" "$work/grep.out"
measure mbox $BIN/tether-collect messages --quiet "$mbox"
measure trace_base cat "$trace"
measure trace $BIN/tether-collect messages --quiet "$trace"
mbox_rows=$(grep -c '^From ' "$mbox")
trace_rows=$(rows "$trace")
measure xlsx_base $BIN/xlsx_baseline "$TETHER_DB" "$work/baseline.xlsx"

line() { # step rows secs kb base_name base_secs base_kb
    awk -v s="$1" -v r="$2" -v t="$3" -v k="$4" -v b="$5" -v bt="$6" -v bk="$7" 'BEGIN {
        rate = t > 0 ? r / t : 0
        printf "%-18s %11d %9.2f %12.0f %9.1f", s, r, t, rate, k / 1024
        if (b != "") printf "   %-22s %8.2f %9.1f %7.2fx", b, bt, bk / 1024, (bt > 0 ? t / bt : 0)
        printf "\n" }'
}
printf '\n%-18s %11s %9s %12s %9s   %-22s %8s %9s %8s\n' step rows seconds rows/s "peak MB" baseline seconds "peak MB" ratio
line "collect people" "$people_rows" "$people_s" "$people_kb" "" 0 0
line "collect people-2" "$people2_rows" "$people2_s" "$people2_kb" "" 0 0
line "collect pairs" "$pair_rows" "$pairs_s" "$pairs_kb" "" 0 0
line "collect meetings" "$meeting_rows" "$collect_s" "$collect_kb" "sqlite3 .import" "$import_base_s" "$import_base_kb"
line "analyze $QUARTER" "$contacts" "$analyze_s" "$analyze_kb" "GROUP BY pair scan" "$scan_base_s" "$scan_base_kb"
line "analyze --by 4 dims" "$answers" "$analyze_by_s" "$analyze_by_kb" "" 0 0
line "analyze impact" "$contacts" "$impact_s" "$impact_kb" "plain analysis" "$analyze_s" "$analyze_kb"
line "report" "$report_rows" "$report_s" "$report_kb" "libxlsxwriter alone" "$xlsx_base_s" "$xlsx_base_kb"
line "report --csv" "$report_rows" "$report_csv_s" "$report_csv_kb" "" 0 0
line "collect mbox" "$mbox_rows" "$mbox_s" "$mbox_kb" "grep -c '^From '" "$mbox_base_s" "$mbox_base_kb"
line "collect trace" "$trace_rows" "$trace_s" "$trace_kb" "cat" "$trace_base_s" "$trace_base_kb"
# CPU against CPU: on a loaded machine wall time would flatter the ratio.
awk -v d="$disclosure_s" -v t="$analyze_by_cpu" -v n="$answers" 'BEGIN {
    printf "disclosure control (rule 3 over %d answers): %.3f s of %.2f s CPU of analyze --by 4 dims = %.1f%%\n", n, d, t, (t > 0 ? 100 * d / t : 0) }'
echo
echo "targets: collect <= 2x .import, analyze <= 3x scan, impact <= 2x the plain analysis, report <= 1.5x libxlsxwriter,"
echo "mbox <= 2x grep, trace <= 2x cat; disclosure < 10% of analyze; memory flat"
echo "(every run holds its impact: the plain analysis computes it too, and analyze against the scan shows what it costs)"
