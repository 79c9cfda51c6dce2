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
expect_eq "report stores its run first" "$RC" 0
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
    "$RC $(ls rep3 | wc -l)" "0 5"
expect_eq "neither waited for the lock" "$(($(date +%s) - t0 < 5))" 1
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
