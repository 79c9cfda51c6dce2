#!/usr/bin/env bash
# test_concurrency.sh - tether-collect imports file after file while
# tether-collect status, the sqlite3 shell, tether-analyze and
# tether-report read the same database: nobody sees "database is locked"
# or any other error, and no reader sees half a file.
. "$(dirname "$0")/lib.sh"

FILES=12   # meeting files imported one after the other
PER=1500   # meetings in each: every count a reader sees is a multiple
LIMIT=30   # seconds the readers may run at most
cd "$T" || exit 1
org_files 30 2026-01-01
# File f holds meetings f*PER+1 .. (f+1)*PER, three minutes apart from
# 2026-07-01, all inside 2026Q3.
for f in $(seq 1 $FILES); do
    awk -v f=$f -v n=$PER 'BEGIN {
        print "meeting_id,pair_id,started_at,duration_min,medium,kind,summary_sent"
        for (i = f * n + 1; i <= (f + 1) * n; i++)
            printf "m%d,P%d,%s,30,video,scheduled,yes\n", i, i % 30 + 1,
                strftime("%Y-%m-%dT%H:%M:%SZ", 1782864000 + i * 180, 1)
    }' >m$f.csv
done
run tether-collect people people.csv
run tether-collect pairs pairs.csv
expect_eq "roster and pairs loaded" "$(sql "SELECT count(*) FROM pairs")" 30

mkdir -p log
# The writer: one import after the other, each file its own transaction.
(
    for f in $(seq 1 $FILES); do
        tether-collect meetings m$f.csv >/dev/null 2>log/collect-$f.err
        echo "$f $?" >>log/collect.rc
    done
) &
writer=$!

# reader NAME CMD...: runs CMD again and again while the writer works
# (at least twice, at most LIMIT seconds), keeping every exit status,
# stderr and output.
reader() {
    local name=$1 i=0
    shift
    local end=$((SECONDS + LIMIT))
    while [ $i -lt 2 ] || { kill -0 $writer 2>/dev/null && [ $SECONDS -lt $end ]; }; do
        i=$((i + 1))
        "$@" >log/$name-$i.out 2>log/$name-$i.err
        echo "$i $?" >>log/$name.rc
    done
}
reader status tether-collect status &
r1=$!
reader sqlite sqlite3 -batch -noheader -cmd '.timeout 10000' "$TETHER_DB" \
    "SELECT count(*) FROM contacts" &
r2=$!
reader analyze tether-analyze --quarter 2026Q3 --format json &
r3=$!
reader report tether-report --quarter 2026Q3 --csv --quiet --out "$T/rep" &
r4=$!
wait $writer $r1 $r2 $r3 $r4

expect_eq "every import succeeded" "$(awk '$2 != 0' log/collect.rc)" ""
expect_eq "all files loaded" "$(sql "SELECT count(*) FROM contacts")" $((FILES * PER))
for r in status sqlite analyze report; do
    n=$(wc -l <log/$r.rc)
    expect_eq "$r: every one of $n runs exited 0" "$(awk '$2 != 0' log/$r.rc)" ""
done
expect_eq "no program said 'locked' or 'busy'" \
    "$(grep -il 'locked\|busy' log/*.err)" ""
expect_eq "no error message from any reader" \
    "$(cat log/status-*.err log/sqlite-*.err log/analyze-*.err log/report-*.err)" ""

# No torn reads: every count of contacts is a whole number of files.
torn=$(cat log/sqlite-*.out | awk -v n=$PER '$1 % n != 0')
expect_eq "sqlite3 counts are whole files" "$torn" ""
torn=$(sed -n 's/^  contacts *\([0-9]*\).*/\1/p' log/status-*.out |
    awk -v n=$PER '$1 % n != 0')
expect_eq "status counts are whole files" "$torn" ""
seen=$(cat log/sqlite-*.out | sort -un | wc -l)
if [ "$seen" -ge 2 ]; then
    ok "readers saw the database grow ($seen distinct counts)"
else
    fail "readers saw the database grow" "distinct counts: $seen"
fi
# tether-analyze reads one snapshot: its pairs' meetings add up to whole
# files too.
torn=$(for f in log/analyze-*.out; do
    python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(sum(p["meetings"] for p in d["pairs"]))' "$f"
done | awk -v n=$PER '$1 % n != 0')
expect_eq "analysis totals are whole files" "$torn" ""
