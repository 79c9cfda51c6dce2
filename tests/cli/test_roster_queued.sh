#!/usr/bin/env bash
# test_roster_queued.sh - a later roster snapshot, once it has read what the
# database knows (after 10,000 searches), reads nothing more: its writes
# are queued in order for a writer thread, with the ids SQLite will give,
# and an e-mail another person holds is refused in memory, as the unique
# index refuses it on the row-by-row path. Both must store and reject the
# same: e-mails taken, freed earlier in the file and taken again, freed
# only later in the file; versions replaced on their own day (kept in the
# history tables); --complete; and a write refused on the writer's thread
# loses the file whole.
. "$(dirname "$0")/lib.sh"

N=12000
cd "$T" || exit 1
# snapshot FILE VARIANT: N people with two attributes; variant 2 (past the
# 10,000 searches) changes departments, moves e-mails and adds people;
# variant 3 (the same date again) changes others.
snapshot() {
    awk -v n=$N -v v="$2" 'BEGIN {
        print "person_id,name,email,department,site,work_mode,timezone,level,region"
        for (i = 1; i <= n; i++) {
            dept = "D" i % 5; mail = "p" i "@example.com"; level = "L" i % 3
            if (v >= 2 && i % 7 == 0) dept = "D9"
            if (v == 3 && i % 23 == 0) dept = "D8"
            if (v == 3 && i % 29 == 0) level = ""
            if (v >= 2 && i == 10600) mail = "p10601@example.com"  # taken
            if (v >= 2 && i == 10700) mail = "moved10700@example.com"
            if (v >= 2 && i == 10800) mail = "p10700@example.com"  # freed above
            if (v >= 2 && i == 10900) mail = "p11000@example.com"  # freed below
            if (v >= 2 && i == 11000) mail = "x11000@example.com"
            if (v >= 2 && i == 10950) mail = "P10950@EXAMPLE.com"  # the same
            printf "p%d,Person %d,%s,%s,Site %d,office,UTC,%s,R%d\n", i, i,
                mail, dept, i % 4, level, i % 2
        }
        if (v >= 2) {
            print "p20001,New 1,p10800@example.com,D1,Site 1,hybrid,UTC,L1,R1"
            print "p20002,New 2,P5@example.com,D1,Site 1,hybrid,UTC,L1,R1"
            print "p20003,New 3,,D1,Site 1,remote,UTC,,"
        }
    }' >"$1"
}
snapshot s1.csv 1
snapshot s2.csv 2
snapshot s3.csv 3
tables() {
    sql "SELECT * FROM people ORDER BY id;
         SELECT id, person, valid_from, work_mode, site, department, timezone FROM person_versions ORDER BY id;
         SELECT * FROM person_attributes ORDER BY version, name;
         SELECT version, person, valid_from, work_mode, site, department, timezone FROM person_versions_history ORDER BY rowid;
         SELECT * FROM person_attributes_history ORDER BY 1, 2;
         SELECT column_name, reason FROM rejects ORDER BY reason;" | md5sum
}

run tether-collect people --quiet --as-of 2026-01-01 s1.csv
cp "$TETHER_DB" base.db

# Whole: the rows past the first 10,000 go through the writer.
run tether-collect people --as-of 2026-04-01 s2.csv
expect_eq "second snapshot: the e-mails held by another person refused, the rest counted" \
    "$RC $ERR" \
    "1 s2.csv:10601: column email: e-mail p10601@example.com belongs to another person
s2.csv:10901: column email: e-mail p11000@example.com belongs to another person
s2.csv:12003: column email: e-mail p5@example.com belongs to another person
s2.csv: 12003 rows: 2 loaded, 1714 updated, 10284 unchanged, 3 rejected"
expect_eq "second snapshot: e-mails moved, freed and taken again" \
    "$(sql "SELECT person_id || ' ' || coalesce(email, '-') || ' ' || id FROM people
            WHERE person_id IN ('p10600', 'p10601', 'p10700', 'p10800', 'p10900',
                                'p10950', 'p11000', 'p20001', 'p20003') ORDER BY id")" \
    "p10600 p10600@example.com 10600
p10601 p10601@example.com 10601
p10700 moved10700@example.com 10700
p10800 p10700@example.com 10800
p10900 p10900@example.com 10900
p10950 p10950@example.com 10950
p11000 x11000@example.com 11000
p20001 p10800@example.com 12001
p20003 - 12002"
expect_eq "second snapshot: new versions with the ids SQLite gives" \
    "$(sql "SELECT count(*), max(id), count(DISTINCT person) FROM person_versions;
            SELECT v.id || ' ' || v.work_mode || ' ' || coalesce(group_concat(a.name || '=' || a.value, ' '), '-')
            FROM person_versions v JOIN people p ON p.id = v.person
            LEFT JOIN person_attributes a ON a.version = v.id
            WHERE p.person_id IN ('p20001', 'p20003', 'p11998') GROUP BY v.id ORDER BY v.id")" \
    "13716|13716|12002
11998 office level=L1 region=R0
13714 office level=L1 region=R0
13715 hybrid level=L1 region=R1
13716 remote -"
run tether-collect people --as-of 2026-04-01 s3.csv
expect_eq "the same date again: versions replaced, the old ones kept" \
    "$RC $ERR|$(sql "SELECT count(*) FROM person_versions_history;
                     SELECT count(*) FROM person_attributes_history")" \
    "1 s3.csv:10601: column email: e-mail p10601@example.com belongs to another person
s3.csv:12003: column email: e-mail p5@example.com belongs to another person
s3.csv: 12003 rows: 0 loaded, 917 updated, 11084 unchanged, 2 rejected|131
262"
whole=$(tables)

# In halves: fewer than 10,000 rows each, every row searched for and
# written as it comes.
rm -f "$TETHER_DB"*
cp base.db "$TETHER_DB"
for f in s2 s3; do
    head -n 6001 $f.csv >$f-a.csv
    { head -n 1 $f.csv; tail -n +6002 $f.csv; } >$f-b.csv
done
for f in s2-a s2-b s3-a s3-b; do
    run tether-collect people --quiet --as-of 2026-04-01 $f.csv
done
expect_eq "whole or in halves: the same people, versions, attributes, history, rejects" \
    "$(tables)" "$whole"
expect_eq "whole or in halves: the same counts" \
    "$(sql "SELECT sum(loaded), sum(updated), sum(unchanged), sum(rejected) FROM imports WHERE path LIKE 's3%'")" \
    "0|917|11084|2"

# --complete past the 10,000 searches: the people the file holds are
# recorded through the writer; only those it lacks (the two whose rows
# were refused above, and p11500) leave.
rm -f "$TETHER_DB"*
cp base.db "$TETHER_DB"
grep -v -e '^p10600,' -e '^p10900,' -e '^p20002,' -e '^p11500,' s2.csv >c2.csv
run tether-collect people --complete --as-of 2026-04-01 c2.csv
expect_eq "--complete: three people absent, who left on the snapshot's date" \
    "$RC $ERR|$(sql "SELECT person_id || ' ' || left_on FROM people WHERE left_on IS NOT NULL")" \
    "0 c2.csv: 3 people absent from this complete roster left on 2026-04-01
c2.csv: 11999 rows: 2 loaded, 1714 updated, 10283 unchanged, 0 rejected|p10600 2026-04-01
p10900 2026-04-01
p11500 2026-04-01"

# A write refused on the writer's thread (an attribute of a version past
# the first 10,000 rows): the file is lost whole, with SQLite's message.
rm -f "$TETHER_DB"*
cp base.db "$TETHER_DB"
sql "CREATE TRIGGER refuse BEFORE INSERT ON person_attributes
     WHEN NEW.version = 13000 BEGIN SELECT RAISE(FAIL, 'refused here'); END"
before=$(tables)
run tether-collect people --as-of 2026-04-01 s2.csv
expect_eq "a failed write on the writer's thread fails the import" "$RC" 3
expect_match "the message names the file and SQLite's reason" "$ERR" \
    "tether-collect: s2.csv: database error: refused here; nothing loaded from this file"
expect_eq "nothing of the file stays" \
    "$(tables) $(sql "SELECT count(*) FROM imports")" "$before 1"
