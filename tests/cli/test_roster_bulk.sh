#!/usr/bin/env bash
# test_roster_bulk.sh - a first snapshot (no people yet) is written in bulk:
# multi-row INSERTs, the e-mails kept unique in memory, and the two unique
# indexes of people built after the last row. It must store and reject
# exactly what the row-by-row path does for the same rows: the file is
# loaded into an empty database and into one that already holds a person,
# and the people, versions, attributes and rejects of the file's rows must
# be the same.
. "$(dirname "$0")/lib.sh"

cd "$T" || exit 1
# 150 people (more than one batch of 64 rows, and a remainder), with an
# e-mail repeated in other case, a person repeated, a bad e-mail, people
# without e-mail or attributes, and one attribute value with a comma.
awk 'BEGIN {
    print "person_id,name,email,department,site,work_mode,timezone,joined_on,left_on,level,region"
    for (i = 1; i <= 150; i++) {
        mail = i % 10 == 0 ? "" : "p" i "@example.com"
        level = i % 7 == 0 ? "" : "L" i % 3
        region = i % 9 == 0 ? "\"North, East\"" : "EMEA"
        printf "p%d,Person %d,%s,D%d,Site %d,%s,UTC,2025-0%d-01,,%s,%s\n",
            i, i, mail, i % 5, i % 4, i % 4 ? "office" : "Remote", i % 9 + 1,
            level, region
        if (i == 70) print "p71x,Twin,P3@Example.COM,D1,Site 1,office,UTC,,,L1,EMEA"
        if (i == 80) print "p5,Again,again@example.com,D1,Site 1,office,UTC,,,L1,EMEA"
        if (i == 90) print "p91x,Bad,not-an-address,D1,Site 1,office,UTC,,,L1,EMEA"
    }
}' >roster.csv
rows_of() {
    sql "SELECT p.person_id, p.name, p.email, p.joined_on, p.left_on,
                p.snapshot_as_of, v.valid_from, v.work_mode, v.site,
                v.department, v.timezone,
                (SELECT group_concat(name || '=' || value, ';')
                 FROM (SELECT name, value FROM person_attributes
                       WHERE version = v.id ORDER BY name))
         FROM people p JOIN person_versions v ON v.person = p.id
         WHERE p.person_id <> 'z0' ORDER BY p.id;
         SELECT line, column_name, reason, raw FROM rejects ORDER BY line;"
}

expected="1 roster.csv:72: column email: e-mail p3@example.com belongs to another person
roster.csv:83: column person_id: person p5 appears again (first on line 6)
roster.csv:94: column email: 'not-an-address' is not an e-mail address
roster.csv: 153 rows: 150 loaded, 3 rejected"
run tether-collect people --as-of 2026-01-01 roster.csv
expect_eq "bulk: exit status 1, the rejects and the counts" "$RC $ERR" "$expected"
expect_eq "bulk: the repeated e-mail, the repeated person, the bad e-mail" \
    "$(sql "SELECT line || ' ' || column_name || ' ' || reason FROM rejects ORDER BY line")" \
    "72 email e-mail p3@example.com belongs to another person
83 person_id person p5 appears again (first on line 6)
94 email 'not-an-address' is not an e-mail address"
expect_eq "bulk: ids in file order, versions and attributes" \
    "$(sql "SELECT count(*), min(id), max(id) FROM people;
            SELECT count(*), min(id), max(id), count(DISTINCT person) FROM person_versions;
            SELECT count(*) FROM person_attributes")" \
    "150|1|150
150|1|150|150
279"
expect_eq "bulk: the unique indexes are back, as schema version 5 defines them" \
    "$(sql "SELECT name || ': ' || sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'people' ORDER BY name")" \
    "people_email: CREATE UNIQUE INDEX people_email ON people(email)
people_person_id: CREATE UNIQUE INDEX people_person_id ON people(person_id)"
expect_eq "bulk: integrity" "$(sql "PRAGMA integrity_check")" ok
bulk=$(rows_of)

# The same file row by row: the database holds a person already.
rm -f "$TETHER_DB"*
printf 'person_id,work_mode\nz0,office\n' >z0.csv
run tether-collect people --quiet --as-of 2025-01-01 z0.csv
run tether-collect people --as-of 2026-01-01 roster.csv
expect_eq "row by row: the same messages" "$RC $ERR" "$expected"
expect_eq "bulk or row by row: the same people, versions, attributes, rejects" \
    "$(rows_of)" "$bulk"

# After a bulk load the indexes keep e-mails and person ids unique.
rm -f "$TETHER_DB"*
run tether-collect people --quiet --as-of 2026-01-01 roster.csv
printf 'person_id,email,work_mode\np151,P1@example.com,office\n' >next.csv
run tether-collect people --as-of 2026-04-01 next.csv
expect_eq "after bulk: an e-mail of another person is refused" "$RC $(sql "SELECT reason FROM rejects WHERE line = 2 AND import_id = 2")" \
    "1 e-mail p1@example.com belongs to another person"

# A bulk load that fails is rolled back with its dropped indexes.
rm -f "$TETHER_DB"*
run tether-collect people --strict --as-of 2026-01-01 roster.csv
expect_eq "--strict: nothing loaded, the indexes kept" \
    "$RC $(sql "SELECT count(*) FROM people") $(sql "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'people'")" \
    "1 0 2"

# Snapshots out of date order: a person unchanged in a later snapshot keeps
# the later snapshot's name when an earlier one is loaded after it, though
# nothing was written for the person (roster_members holds who the later
# snapshot had). p5 is found by a search, p10050 after the 10,000 searches
# in memory; p7 was in the first snapshot only, so the earlier one renames it.
rm -f "$TETHER_DB"*
people() { # FILE RENAMED: 10,100 people, p5, p7 and p10050 renamed
    awk -v r="$2" 'BEGIN {
        print "person_id,name,email,work_mode"
        for (i = 1; i <= 10100; i++) {
            name = (r && (i == 5 || i == 7 || i == 10050)) ? "Renamed " i : "Person " i
            if (i != 7 || r)
                printf "p%d,%s,p%d@example.com,office\n", i, name, i
        }
        if (!r) print "p7,Person 7,p7@example.com,office"
    }' >"$1"
}
people jan.csv 0
people apr.csv 1
grep -v '^p7,' jan.csv >jul.csv
run tether-collect people --quiet --as-of 2026-01-01 jan.csv
run tether-collect people --quiet --as-of 2026-07-01 jul.csv
run tether-collect people --as-of 2026-04-01 apr.csv
expect_eq "an earlier snapshot after a later one: exit 0" "$RC" 0
expect_eq "an earlier snapshot after a later one: only p7 is renamed" \
    "$(sql "SELECT person_id || ' ' || name || ' ' || snapshot_as_of FROM people WHERE person_id IN ('p5', 'p7', 'p10050') ORDER BY id")" \
    "p5 Person 5 2026-01-01
p10050 Person 10050 2026-01-01
p7 Renamed 7 2026-04-01"
expect_eq "one roster_members row a snapshot, with everyone it holds" \
    "$(sql "SELECT as_of || ' ' || length(people) FROM roster_members ORDER BY import_id")" \
    "2026-01-01 1263
2026-07-01 1263
2026-04-01 1263"
