#!/usr/bin/env bash
# test_roster_writer.sh - a first snapshot (no people yet) hands its people,
# versions and attributes to a writer thread 1,024 rows a table at a time
# while the import's thread checks the next rows. Every row must be stored
# once, whichever chunk it falls in (full chunks, the one still filling at
# the end); rejects between chunks must be logged with their lines; with
# --complete the people it holds must all be seen (none marked as left);
# and a write refused on the writer's thread must lose the file whole.
. "$(dirname "$0")/lib.sh"

cd "$T" || exit 1
# 5,000 people p1..p5000, two attributes each (three for every 100th):
# 10,050 attribute rows, ten chunks and a remainder; people and versions
# fill four chunks and a remainder. Between them, a bad work mode (line
# 1,502), p1024 again (line 3,003), an e-mail of another person in other
# case (line 5,003, in the chunk still filling) and p5000 again at the end.
awk 'BEGIN {
    print "person_id,name,email,department,site,work_mode,timezone,joined_on,left_on,level,region,mentor_pool"
    for (i = 1; i <= 5000; i++) {
        pool = i % 100 == 0 ? "yes" : ""
        printf "p%d,Person %d,p%d@example.com,D%d,Site %d,%s,UTC,2025-01-01,,L%d,R%d,%s\n",
            i, i, i, i % 5, i % 4, i % 3 ? "office" : "hybrid", i % 4, i % 6, pool
        if (i == 1500) print "p1500x,Bad,bad@example.com,D1,Site 1,moon,UTC,,,L1,R1,"
        if (i == 3000) print "p1024,Again,again@example.com,D1,Site 1,office,UTC,,,L1,R1,"
        if (i == 4999) print "p5001,Twin,P17@Example.COM,D1,Site 1,office,UTC,,,L1,R1,"
    }
    print "p5000,Last again,last@example.com,D1,Site 1,office,UTC,,,L1,R1,"
}' >roster.csv

expected="1 roster.csv:1502: column work_mode: 'moon' is not a work mode (remote, office or hybrid)
roster.csv:3003: column person_id: person p1024 appears again (first on line 1025)
roster.csv:5003: column email: e-mail p17@example.com belongs to another person
roster.csv:5005: column person_id: person p5000 appears again (first on line 5004)
roster.csv: 5004 rows: 5000 loaded, 4 rejected"
run tether-collect people --as-of 2026-01-01 roster.csv
expect_eq "writer: exit status 1, the rejects in order and the counts" \
    "$RC $ERR" "$expected"
expect_eq "writer: every person, version and attribute once" \
    "$(sql "SELECT count(*), count(DISTINCT person_id), sum(id), max(id) FROM people;
            SELECT count(*), sum(id), sum(person), count(DISTINCT person) FROM person_versions;
            SELECT count(*), count(DISTINCT version), sum(version) FROM person_attributes;
            SELECT count(*) FROM person_attributes WHERE name = 'mentor_pool'")" \
    "5000|5000|12502500|5000
5000|12502500|12502500|5000
10050|5000|25132500
50"
expect_eq "writer: the people at the chunks' edges, with their versions and attributes" \
    "$(sql "SELECT p.id, p.person_id, p.name, p.email, v.work_mode, v.department,
                   (SELECT group_concat(name || '=' || value, ';')
                    FROM (SELECT name, value FROM person_attributes
                          WHERE version = v.id ORDER BY name))
            FROM people p JOIN person_versions v ON v.person = p.id
            WHERE p.id IN (1, 1024, 1025, 2048, 4096, 4097, 5000) ORDER BY p.id")" \
    "1|p1|Person 1|p1@example.com|office|D1|level=L1;region=R1
1024|p1024|Person 1024|p1024@example.com|office|D4|level=L0;region=R4
1025|p1025|Person 1025|p1025@example.com|office|D0|level=L1;region=R5
2048|p2048|Person 2048|p2048@example.com|office|D3|level=L0;region=R2
4096|p4096|Person 4096|p4096@example.com|office|D1|level=L0;region=R4
4097|p4097|Person 4097|p4097@example.com|office|D2|level=L1;region=R5
5000|p5000|Person 5000|p5000@example.com|office|D0|level=L0;mentor_pool=yes;region=R2"
expect_eq "writer: the rejects logged once each, with their raw rows" \
    "$(sql "SELECT line || ' ' || column_name || ' ' || substr(raw, 1, 12) FROM rejects ORDER BY line")" \
    "1502 work_mode p1500x,Bad,b
3003 person_id p1024,Again,
5003 email p5001,Twin,P
5005 person_id p5000,Last a"
expect_eq "writer: integrity" "$(sql "PRAGMA integrity_check")" ok
threaded=$(sql "SELECT p.*, v.*, (SELECT group_concat(name || '=' || value, ';')
                FROM person_attributes WHERE version = v.id)
                FROM people p JOIN person_versions v ON v.person = p.id ORDER BY p.id")

# The same rows with a person stored before: no bulk load, no writer, every
# row written as it comes (ids one up, the rest the same).
rm -f "$TETHER_DB"*
printf 'person_id,work_mode\nz0,office\n' >z0.csv
run tether-collect people --quiet --as-of 2025-01-01 z0.csv
run tether-collect people --quiet --as-of 2026-01-01 roster.csv
sql "DELETE FROM person_versions WHERE person = 1; DELETE FROM people WHERE id = 1;
     UPDATE people SET id = id - 1; UPDATE person_versions SET person = person - 1;
     UPDATE person_attributes SET version = version - 1;
     UPDATE person_versions SET id = id - 1, import_id = 1"
expect_eq "writer or row by row: the same people, versions and attributes" \
    "$(sql "SELECT p.*, v.*, (SELECT group_concat(name || '=' || value, ';')
            FROM person_attributes WHERE version = v.id)
            FROM people p JOIN person_versions v ON v.person = p.id ORDER BY p.id")" \
    "$threaded"

# --complete: everyone the file holds goes to the seen table through the
# writer too; a person missing there would be marked as left.
rm -f "$TETHER_DB"*
grep -v -e '^p1500x' -e '^p1024,Again' -e '^p5001,' -e '^p5000,Last' roster.csv >clean.csv
run tether-collect people --complete --as-of 2026-01-01 clean.csv
expect_eq "--complete: all loaded, no one left" \
    "$RC $ERR|$(sql "SELECT count(*) FROM people WHERE left_on IS NOT NULL")" \
    "0 clean.csv: 5000 rows: 5000 loaded, 0 rejected|0"

# A version refused in the middle of the file (the fourth chunk): the
# INSERT fails on the writer's thread and the file is lost whole, with
# SQLite's message; the indexes dropped for the bulk load come back.
rm -f "$TETHER_DB"*
run tether-collect people --quiet --as-of 2025-01-01 z0.csv
sql "DELETE FROM person_versions; DELETE FROM people; DELETE FROM roster_members;
     CREATE TRIGGER refuse BEFORE INSERT ON person_attributes
     WHEN NEW.version = 3500 BEGIN SELECT RAISE(FAIL, 'refused here'); END"
run tether-collect people --as-of 2026-01-01 roster.csv
expect_eq "a failed write on the writer's thread fails the import" "$RC" 3
expect_match "the message names the file and SQLite's reason" "$ERR" \
    "roster.csv: database error: refused here; nothing loaded from this file"
expect_eq "nothing of the file stays, the indexes are back" \
    "$(sql "SELECT count(*) FROM people; SELECT count(*) FROM person_attributes;
            SELECT count(*) FROM rejects; SELECT count(*) FROM imports;
            SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'people'")" \
    "0
0
0
1
2"
