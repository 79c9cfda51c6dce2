#!/usr/bin/env bash
# test_fulldisk.sh - a full disk in the middle of a file loses that file
# whole: rejects, contacts and the imports row all rolled back, every table
# of the database as it was before, and a message naming the file and the
# cause. The disk fills by a file size limit (with SIGXFSZ ignored by the
# shell, and with its default action, which would kill the program) and by
# a small tmpfs when this machine lets us mount one.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

org_files 10 2020-01-01
run tether-collect people people.csv
run tether-collect pairs pairs.csv
expect_eq "roster and pairs loaded" "$(sql "SELECT count(*) FROM pairs")" 10
cp "$TETHER_DB" base.db

# 90,000 rows with a bad medium (each 400 characters long, so that the
# reject log outgrows SQLite's 64 MiB page cache and is written to the log
# before the commit) and 500 good meetings among them.
awk 'BEGIN {
    pad = sprintf("%400s", ""); gsub(/ /, "x", pad)
    print "meeting_id,pair_id,started_at,duration_min,medium,kind,summary_sent"
    for (i = 1; i <= 90000; i++) {
        printf "b%d,P%d,2021-01-01T10:00:00Z,30,%s%d,scheduled,yes\n",
            i, i % 10 + 1, pad, i
        if (i % 180 == 0) {
            j = i / 180
            printf "g%d,P%d,%s,30,video,scheduled,yes\n", j, j % 10 + 1,
                strftime("%Y-%m-%dT%H:%M:%SZ", 1609459200 + j * 3600, 1)
        }
    }
}' >mixed.csv
expect_eq "mixed file: 90,500 rows" "$(($(wc -l <mixed.csv) - 1))" 90500

# counts DB: every table of DB with its row count, one per line, and the
# result of the integrity and foreign key checks.
counts() {
    local t
    for t in $(sqlite3 -batch -noheader "$1" \
        "SELECT name FROM sqlite_master WHERE type = 'table' AND
         name NOT LIKE 'sqlite_%' ORDER BY name"); do
        printf '%s %s\n' "$t" "$(sqlite3 -batch -noheader "$1" \
            "SELECT count(*) FROM \"$t\"")"
    done
    sqlite3 -batch -noheader "$1" "PRAGMA integrity_check;
        SELECT count(*) || ' foreign key violations' FROM pragma_foreign_key_check"
}
counts base.db >before
expect_match "the copy taken before holds the pairs" "$(cat before)" \
    "^pairs 10$"
fresh() { rm -f "$TETHER_DB"*; cp base.db "$TETHER_DB"; }

# limited IGNORE BLOCKS CMD...: runs CMD under ulimit -f BLOCKS (KiB), with
# SIGXFSZ ignored when IGNORE is 1; stderr is kept through a pipe (a file
# would meet the same limit): its last line in LAST, the status in RC.
limited() {
    local ignore=$1 blocks=$2
    shift 2
    (
        [ "$ignore" = 1 ] && trap '' XFSZ
        ulimit -f "$blocks"
        "$@" 2>&1 >/dev/null | tail -1 >"$T/last"
        exit "${PIPESTATUS[0]}"
    )
    RC=$?
    LAST=$(cat "$T/last")
}

LOST="tether-collect: mixed.csv: cannot write the database: disk I/O error (File too large); nothing loaded from this file"
for ignore in 1 0; do
    how="ulimit -f 8192, SIGXFSZ ignored"
    [ "$ignore" = 0 ] && how="ulimit -f 8192, SIGXFSZ default"
    fresh
    limited "$ignore" 8192 tether-collect meetings mixed.csv
    expect_eq "$how: exit status 3 (not killed)" "$RC" 3
    expect_eq "$how: the error names the file and the cause" "$LAST" "$LOST"
    counts "$TETHER_DB" >after
    expect_eq "$how: every table as before" "$(cat after)" "$(cat before)"
done

# Only the bad rows: nothing is written after the reject that fills the
# disk, and the COMMIT is where the failure shows.
awk -F, 'NR == 1 || $1 ~ /^b/' mixed.csv >bad.csv
fresh
limited 1 8192 tether-collect meetings bad.csv
expect_eq "failure seen at the commit: exit status 3" "$RC" 3
expect_eq "failure seen at the commit: the error names the file and the cause" \
    "$LAST" \
    "tether-collect: bad.csv: cannot write the database: disk I/O error (File too large); nothing loaded from this file"
counts "$TETHER_DB" >after
expect_eq "failure seen at the commit: every table as before" "$(cat after)" \
    "$(cat before)"

# The same file under a limit that the reject log fits in: the commit
# itself fails.
awk -F, 'NR == 1 || $1 ~ /^g/ || NR % 30 == 0' mixed.csv |
    sed 's/x\{400\}/pigeon/' >small.csv
fresh
limited 1 160 tether-collect meetings small.csv
expect_eq "failed commit: exit status 3" "$RC" 3
expect_eq "failed commit: the error names the file and the cause" "$LAST" \
    "tether-collect: small.csv: cannot write the database: disk I/O error (is the disk full, or a file size limit reached?); nothing loaded from this file"
counts "$TETHER_DB" >after
expect_eq "failed commit: every table as before" "$(cat after)" "$(cat before)"

# Once the limit is lifted the file loads into the database the failure
# left, under an import id that no orphan row holds: its rejects and
# contacts are its own.
fresh
limited 1 8192 tether-collect meetings mixed.csv
run tether-collect meetings mixed.csv
expect_eq "limit lifted: exit status 1, 500 loaded" \
    "$RC $(printf '%s\n' "$ERR" | tail -1)" \
    "1 mixed.csv: 90500 rows: 500 loaded, 90000 rejected"
expect_eq "limit lifted: rejects and contacts belong to the new import" \
    "$(sql "SELECT count(*), count(DISTINCT import_id) FROM rejects;
            SELECT count(*) FROM contacts c JOIN imports i ON i.id = c.import_id
            WHERE i.path = 'mixed.csv'")" "90000|1
500"

# A real full file system: an 8 MiB tmpfs, when this user may mount one.
mkdir -p "$T/small"
if mount -t tmpfs -o size=8m tmpfs "$T/small" 2>/dev/null; then
    trap 'umount "$T/small" 2>/dev/null; rm -rf "$T"' EXIT
    cp base.db "$T/small/t.db"
    TETHER_DB="$T/small/t.db" tether-collect meetings mixed.csv 2>&1 \
        >/dev/null | tail -1 >last
    RC=${PIPESTATUS[0]}
    expect_eq "8 MiB tmpfs: exit status 3" "$RC" 3
    expect_eq "8 MiB tmpfs: the error names the file and the cause" \
        "$(cat last)" \
        "tether-collect: mixed.csv: cannot write the database: database or disk is full; nothing loaded from this file"
    counts "$T/small/t.db" >after
    expect_eq "8 MiB tmpfs: every table as before" "$(cat after)" \
        "$(cat before)"
    TETHER_DB="$T/small/t.db" tether-collect meetings bad.csv 2>&1 \
        >/dev/null | tail -1 >last
    RC=${PIPESTATUS[0]}
    expect_eq "8 MiB tmpfs, bad rows only: the error names the file" \
        "$RC $(cat last)" \
        "3 tether-collect: bad.csv: cannot write the database: database or disk is full; nothing loaded from this file"
    counts "$T/small/t.db" >after
    expect_eq "8 MiB tmpfs, bad rows only: every table as before" \
        "$(cat after)" "$(cat before)"
    umount "$T/small"
else
    ok "8 MiB tmpfs # skip mounting a tmpfs is not permitted here"
fi
