#!/usr/bin/env bash
# bench.sh - times tether's whole pipeline on a large generated organisation
# (every import, the analysis, the report), each step beside a baseline
# measured in the same run on the same data, and prints rows per second,
# seconds, peak memory and the ratios. The main baseline is what an analyst
# fluent in SQL would use instead: DuckDB over the same CSV files, computing
# the same per-pair figures (bench/duckdb_pairs.mjs, run by node with the
# npm package @duckdb/node-api installed under bench/), checked to agree
# with tether on every pair.
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
response_rows=$(rows "$data/responses.csv")

# tether's pipeline: every import of the files the baseline reads (and the
# survey), the analysis as the quarterly pack asks it (four dimensions and a
# trend of four quarters), impact when the command exists, the report.
measure people $BIN/tether-collect people --quiet --as-of 2025-10-01 "$data/people.csv"
measure people2 $BIN/tether-collect people --quiet --as-of 2026-07-01 "$data/people-2.csv"
measure pairs $BIN/tether-collect pairs --quiet "$data/pairs.csv"
measure collect $BIN/tether-collect meetings --quiet "$data/meetings.csv"
measure survey $BIN/tether-collect survey --quiet --questions "$data/questions.csv" "$data/responses.csv"
measure import_base sqlite3 "$work/bare.db" ".import --csv $data/meetings.csv bare"
contacts=$(sqlite3 "$TETHER_DB" "SELECT count(*) FROM contacts")
BY=department,site,level,region
measure analyze sh -c "$BIN/tether-analyze --quarter $QUARTER --by $BY --trend 4 --format json >$work/analysis.json"
# Program impact (SPEC 3.7), with the level order of the sample's roster.
measure impact $BIN/tether-analyze impact --quarter "$QUARTER" \
    --level-order L1,L2,L3,L4,L5,Executive --format json
# A second analysis of the same database, with other --by (and no trend):
# beside DuckDB's query on its loaded tables, and the plain analysis that
# impact is compared with.
measure analyze2 $BIN/tether-analyze --quarter "$QUARTER" --by region --format json
# Surveys segmented by four dimensions without a trend: the disclosure
# control of SPEC 3.3 (its differencing rule across dimensions) at scale;
# tether-analyze says how much CPU that step took when TETHER_BENCH is set.
answers=$(sqlite3 "$TETHER_DB" "SELECT count(*) FROM responses")
TETHER_BENCH=1 measure analyze_by $BIN/tether-analyze --quarter "$QUARTER" \
    --by department,site,level,region --format json
disclosure_s=$(sed -n 's/.*disclosure control took \([0-9.]*\) s.*/\1/p' "$work/analyze_by.err")
measure scan_base sqlite3 "$TETHER_DB" "SELECT pair, count(*) FROM contacts GROUP BY pair"
# The report's main outputs: workbook, charts and PDF (the CSV files are
# timed apart).
# With the analysis's --by and --trend, the report renders that stored
# run (with its own defaults it would make another analysis first).
measure report $BIN/tether-report --quarter "$QUARTER" --by "$BY" --trend 4 \
    --xlsx --pdf --charts png --out "$work/report"
measure report_csv $BIN/tether-report --quarter "$QUARTER" --by "$BY" \
    --trend 4 --csv --out "$work/report-csv"
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

# The baseline: DuckDB from the raw CSV files, then loading them into a
# DuckDB database and querying its tables. Its seconds are those the script
# measures around DuckDB's work (node's start and the module's loading, about
# 2 s, are left out); its peak memory is the whole process's.
duck=0
if ! command -v node >/dev/null 2>&1; then
    echo "bench: node not found: the DuckDB baseline is skipped (install nodejs and npm)" >&2
elif [ ! -d bench/node_modules/@duckdb/node-api ] &&
    ! (cd bench && npm ci --no-audit --no-fund --silent >/dev/null 2>"../$work/npm.err"); then
    echo "bench: npm could not install @duckdb/node-api: the DuckDB baseline is skipped" >&2
    cat "$work/npm.err" >&2
else
    duck=1
    P_START=$(sed -n 's/.*"start":"\([0-9-]*\)".*"end":"\([0-9-]*\)".*/\1 \2/p' "$work/analysis.json" | head -1)
    set -- $P_START
    measure duck_raw node bench/duckdb_pairs.mjs raw "$data" "$1" "$2" "$work/duck-raw.csv" "$work/duck_raw.secs"
    measure duck_load node bench/duckdb_pairs.mjs load "$data" "$work/duck.duckdb" "$work/duck_load.secs"
    measure duck_query node bench/duckdb_pairs.mjs query "$work/duck.duckdb" "$1" "$2" "$work/duck-query.csv" "$work/duck_query.secs"
    for n in duck_raw duck_load duck_query; do eval "${n}_s=$(cat "$work/$n.secs")"; done
    node bench/tether_pairs.mjs "$work/analysis.json" "$work/tether-pairs.csv"
    duck_pairs=$(wc -l <"$work/duck-raw.csv")
    if cmp -s "$work/duck-raw.csv" "$work/tether-pairs.csv" &&
        cmp -s "$work/duck-query.csv" "$work/tether-pairs.csv"; then
        agree="DuckDB and tether agree on all $duck_pairs pairs (meetings, minutes, contacts, last meeting, days quiet, status)"
    else
        echo "bench: DuckDB and tether disagree; the first differences:" >&2
        diff "$work/duck-raw.csv" "$work/tether-pairs.csv" | head -20 >&2
        exit 1
    fi
fi

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
line "collect survey" "$response_rows" "$survey_s" "$survey_kb" "" 0 0
line "analyze (--by 4)" "$contacts" "$analyze_s" "$analyze_kb" "GROUP BY pair scan" "$scan_base_s" "$scan_base_kb"
line "analyze --by 4 dims" "$answers" "$analyze_by_s" "$analyze_by_kb" "" 0 0
line "analyze impact" "$contacts" "$impact_s" "$impact_kb" "plain analysis" "$analyze2_s" "$analyze2_kb"
line "report" "$report_rows" "$report_s" "$report_kb" "libxlsxwriter alone" "$xlsx_base_s" "$xlsx_base_kb"
line "report --csv" "$report_rows" "$report_csv_s" "$report_csv_kb" "" 0 0
line "collect mbox" "$mbox_rows" "$mbox_s" "$mbox_kb" "grep -c '^From '" "$mbox_base_s" "$mbox_base_kb"
line "collect trace" "$trace_rows" "$trace_s" "$trace_kb" "cat" "$trace_base_s" "$trace_base_kb"
# CPU against CPU: on a loaded machine wall time would flatter the ratio.
awk -v d="$disclosure_s" -v t="$analyze_by_cpu" -v n="$answers" 'BEGIN {
    printf "disclosure control (rule 3 over %d answers): %.3f s of %.2f s CPU of analyze --by 4 dims = %.1f%%\n", n, d, t, (t > 0 ? 100 * d / t : 0) }'
# exports to stored analysis: every import and the analysis, whose stored
# run holds its impact (the impact command above is timed apart: counting
# it here would count impact twice)
total_s=$(awk -v a="$people_s" -v b="$people2_s" -v c="$pairs_s" -v d="$collect_s" \
    -v e="$survey_s" -v f="$analyze_s" 'BEGIN { print a + b + c + d + e + f }')
total_kb=$(printf '%s\n' "$people_kb" "$people2_kb" "$pairs_kb" "$collect_kb" "$survey_kb" \
    "$analyze_kb" | sort -n | tail -1)
if [ "$duck" = 1 ]; then
    line "exports->analysis" "$duck_pairs" "$total_s" "$total_kb" "DuckDB from the CSV" "$duck_raw_s" "$duck_raw_kb"
    line "second analysis" "$duck_pairs" "$analyze2_s" "$analyze2_kb" "DuckDB on its tables" "$duck_query_s" "$duck_query_kb"
    line "(DuckDB load)" "$duck_pairs" "$duck_load_s" "$duck_load_kb" "" 0 0
    echo
    echo "$agree"
    awk -v t="$total_kb" -v d="$duck_raw_kb" 'BEGIN { printf "peak memory, exports->analysis: %.0f MB against DuckDB'"'"'s %.0f MB (%.2fx)\n", t / 1024, d / 1024, t / d }'
else
    line "exports->analysis" "$pair_rows" "$total_s" "$total_kb" "" 0 0
    line "second analysis" "$pair_rows" "$analyze2_s" "$analyze2_kb" "" 0 0
fi
echo
echo "targets: exports->analysis <= 3x DuckDB from the CSV at < 1/4 of its peak memory;"
echo "report <= 1.2x libxlsxwriter; second analysis <= 1.5x DuckDB on its tables;"
echo "each people snapshot >= 300,000 rows/s; collect meetings <= 2x .import;"
echo "impact <= 2x the plain analysis (every run holds its impact: the plain analysis computes it too);"
echo "disclosure < 10% of analyze --by 4 dims; memory flat"
echo "mbox <= 2x grep, trace <= 2x cat"
