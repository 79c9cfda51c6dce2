#!/usr/bin/env bash
# test_roster_kill.sh - a roster snapshot is one transaction, although its
# writes run on a writer thread: tether-collect killed with SIGKILL while
# a first snapshot (bulk, with the writer) or a later one (past the 10,000
# searches, its writes queued for the writer) is loading leaves the
# database intact, holding all of the file or none of it.
. "$(dirname "$0")/lib.sh"

ROWS=150000
cd "$T" || exit 1
# snapshot FILE VARIANT: ROWS people; variant 2 changes a tenth of the
# departments and adds 5,000 people.
awk -v n=$ROWS 'BEGIN {
    print "person_id,name,email,department,site,work_mode,timezone,level,region"
    for (i = 1; i <= n; i++)
        printf "p%d,Person %d,p%d@example.com,D%d,Site %d,office,UTC,L%d,R%d\n",
            i, i, i, i % 5, i % 4, i % 3, i % 2
}' >s1.csv
awk -F, -v OFS=, 'NR > 1 && NR % 10 == 0 { $4 = "D9" } { print }
    END { for (i = 1; i <= 5000; i++)
        printf "q%d,New %d,q%d@example.com,D1,Site 1,remote,UTC,L1,R1\n", i, i, i }' \
    s1.csv >s2.csv

# state: integrity, people, versions, attributes and imports rows.
state() {
    sqlite3 -batch -noheader "$TETHER_DB" \
        "PRAGMA integrity_check; SELECT count(*) FROM people;
         SELECT count(*) FROM person_versions;
         SELECT count(*) FROM person_attributes; SELECT count(*) FROM imports" |
        tr '\n' ' '
}

# kills NAME FILE BASE ALL NONE: loads FILE into a copy of BASE (or an
# empty database) whole, timed, then kills it at four points of that time;
# each time the state must be ALL or NONE.
kills() {
    local name=$1 file=$2 base=$3 all=$4 none=$5
    fresh() { rm -f "$TETHER_DB"*; [ -n "$base" ] && cp "$base" "$TETHER_DB"; }
    fresh
    local t0 t1 ms
    t0=$(date +%s%N)
    run tether-collect people --quiet --as-of 2026-01-01 "$file"
    t1=$(date +%s%N)
    ms=$(((t1 - t0) / 1000000))
    expect_eq "$name: the whole file" "$RC $(state)" "0 $all"
    local killed=0 pct delay try hit s
    for pct in 20 45 70 90; do
        delay=$(awk -v ms=$ms -v p=$pct 'BEGIN { printf "%.3f", ms * p / 100000 }')
        for try in 1 2 3 4; do
            fresh
            tether-collect people --quiet --as-of 2026-01-01 "$file" 2>/dev/null &
            pid=$!
            sleep "$delay"
            hit=0
            kill -KILL "$pid" 2>/dev/null && hit=1
            wait "$pid" 2>/dev/null
            [ "$hit" = 1 ] && break
            delay=$(awk -v d="$delay" 'BEGIN { printf "%.3f", d * 0.7 }')
        done
        killed=$((killed + hit))
        s=$(state)
        case $s in
        "$none" | "$all") ok "$name: SIGKILL at ${pct}% leaves all or nothing ($s)" ;;
        *) fail "$name: SIGKILL at ${pct}% leaves all or nothing" "state: $s" ;;
        esac
    done
    if [ "$killed" -ge 3 ]; then
        ok "$name: at least 3 of the 4 kills hit a running import ($killed)"
    else
        fail "$name: at least 3 of the 4 kills hit a running import" "killed: $killed"
    fi
}

kills "first snapshot" s1.csv "" \
    "ok $ROWS $ROWS $((2 * ROWS)) 1 " "ok 0 0 0 0 "
rm -f "$TETHER_DB"*
run tether-collect people --quiet --as-of 2026-01-01 s1.csv
cp "$TETHER_DB" one.db
kills "later snapshot" s2.csv one.db \
    "ok $((ROWS + 5000)) $((ROWS + 5000)) $((2 * ROWS + 10000)) 2 " \
    "ok $ROWS $ROWS $((2 * ROWS)) 1 "
