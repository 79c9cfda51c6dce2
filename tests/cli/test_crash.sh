#!/usr/bin/env bash
# test_crash.sh - one file is one transaction: tether-collect killed with
# SIGKILL at many points of a large import, or stopped by a full disk,
# leaves the database intact and holding all of the file or none of it.
. "$(dirname "$0")/lib.sh"

ROWS=300000
cd "$T" || exit 1
org_files 100 2020-01-01
# Meetings every ten minutes from 2020-01-01, spread over the 100 pairs.
awk -v n=$ROWS 'BEGIN {
    print "meeting_id,pair_id,started_at,duration_min,medium,kind,summary_sent"
    for (i = 1; i <= n; i++)
        printf "m%d,P%d,%s,30,video,scheduled,yes\n", i, i % 100 + 1,
            strftime("%Y-%m-%dT%H:%M:%SZ", 1577836800 + i * 600, 1)
}' >big.csv
expect_eq "large meetings file written" "$(wc -l <big.csv)" $((ROWS + 1))

run tether-collect people people.csv
run tether-collect pairs pairs.csv
expect_eq "roster and pairs loaded" "$(sql "SELECT count(*) FROM pairs")" 100
cp "$TETHER_DB" base.db

# state: integrity, contacts and whether big.csv's imports row exists.
state() {
    sqlite3 -batch -noheader "$TETHER_DB" \
        "PRAGMA integrity_check; SELECT count(*) FROM contacts;
         SELECT count(*) FROM imports WHERE path = 'big.csv'" | tr '\n' ' '
}
fresh() { rm -f "$TETHER_DB"*; cp base.db "$TETHER_DB"; }

# A whole import, timed, so that the kills below fall inside it.
fresh
t0=$(date +%s%N)
run tether-collect meetings big.csv
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
expect_eq "uninterrupted import exit status" "$RC" 0
expect_eq "uninterrupted import loads every row" "$(state)" "ok $ROWS 1 "

# kill_import FROM FILE DELAY: copies database FROM into place, starts an
# import of FILE and kills it with SIGKILL after DELAY seconds; hit=1 when
# the kill found it running. An import can run faster than the timed one
# (the machine's load varies): when the kill finds it finished, it is
# tried again a little earlier, up to four times.
kill_import() {
    local from=$1 file=$2 delay=$3 try pid
    for try in 1 2 3 4; do
        rm -f "$TETHER_DB"*
        cp "$from" "$TETHER_DB"
        tether-collect meetings "$file" 2>/dev/null &
        pid=$!
        sleep "$delay"
        hit=0
        kill -KILL "$pid" 2>/dev/null && hit=1
        wait "$pid" 2>/dev/null
        [ "$hit" = 1 ] && return
        delay=$(awk -v d="$delay" 'BEGIN { printf "%.3f", d * 0.7 }')
    done
}

# SIGKILL at eight points from 5% to 97% of the import's time: each time
# the database is intact and holds all of big.csv or none of it.
killed=0
for pct in 5 20 35 50 65 80 90 97; do
    kill_import base.db big.csv \
        "$(awk -v ms=$ms -v p=$pct 'BEGIN { printf "%.3f", ms * p / 100000 }')"
    killed=$((killed + hit))
    s=$(state)
    case $s in
    "ok 0 0 " | "ok $ROWS 1 ") ok "SIGKILL at ${pct}% leaves all or nothing ($s)" ;;
    *) fail "SIGKILL at ${pct}% leaves all or nothing" "state: $s" ;;
    esac
    # and the next run loads the file, as if nothing had happened
    if [ "$pct" = 50 ]; then
        run tether-collect meetings big.csv
        expect_eq "import after a kill loads everything" "$RC $(state)" "0 ok $ROWS 1 "
    fi
done
if [ "$killed" -ge 7 ]; then
    ok "at least 7 of the 8 kills hit a running import ($killed)"
else
    fail "at least 7 of the 8 kills hit a running import" "killed: $killed"
fi

# A kill during a second file leaves the first one's rows alone.
fresh
run tether-collect meetings big.csv
cp "$TETHER_DB" first.db
sed 's/^m\([0-9]\)/n\1/' big.csv >big2.csv
kill_import first.db big2.csv "$(awk -v ms=$ms 'BEGIN { printf "%.3f", ms / 2000 }')"
expect_eq "a killed second file leaves the first intact" \
    "$hit $(sqlite3 "$TETHER_DB" "PRAGMA integrity_check; SELECT count(*) FROM contacts")" \
    "1 ok
$ROWS"

# --- a full disk ----------------------------------------------------------
# A file size limit makes SQLite's writes fail with EFBIG (SIGXFSZ is
# ignored so that the write fails instead of killing the program).
fresh
(
    trap '' XFSZ
    ulimit -f 2048
    tether-collect meetings big.csv >"$T/out" 2>"$T/err"
)
RC=$?
expect_eq "file size limit: exit status 3" "$RC" 3
expect_eq "file size limit: the error says what was lost and why" \
    "$(tail -1 "$T/err")" \
    "tether-collect: big.csv: cannot write the database: disk I/O error (is the disk full, or a file size limit reached?); nothing loaded from this file"
expect_eq "file size limit: database unchanged" "$(state)" "ok 0 0 "
run tether-collect meetings big.csv
expect_eq "file size limit lifted: the file loads" "$RC $(state)" "0 ok $ROWS 1 "

# A real full file system: a 4 MiB tmpfs, when this user may mount one.
mkdir -p "$T/small"
if mount -t tmpfs -o size=4m tmpfs "$T/small" 2>/dev/null; then
    trap 'umount "$T/small" 2>/dev/null; rm -rf "$T"' EXIT
    cp base.db "$T/small/t.db"
    run env TETHER_DB="$T/small/t.db" tether-collect meetings big.csv
    expect_eq "full disk: exit status 3" "$RC" 3
    expect_eq "full disk: the error says what was lost and why" \
        "$(printf '%s\n' "$ERR" | tail -1)" \
        "tether-collect: big.csv: cannot write the database: database or disk is full; nothing loaded from this file"
    expect_eq "full disk: database unchanged" \
        "$(TETHER_DB="$T/small/t.db" state)" "ok 0 0 "
    umount "$T/small"
else
    ok "full tmpfs disk # skip mounting a tmpfs is not permitted here"
fi
