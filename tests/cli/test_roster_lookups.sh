#!/usr/bin/env bash
# test_roster_lookups.sh - a roster snapshot searches the database for its
# first 10,000 people (LOOKUPS_BEFORE_LOAD) and then reads every person and
# the version in force on its date into memory. A snapshot that crosses
# that point must store exactly what the same rows store when each is
# searched for: the snapshot below is loaded whole, and again in two halves
# of fewer than 10,000 rows each, and the tables must be the same.
. "$(dirname "$0")/lib.sh"

N=12000
cd "$T" || exit 1
# snapshot FILE VARIANT: N people (and 500 joiners in variant 2 and 3) with
# two attributes. Variant 2 changes some departments, levels, names and
# e-mails, writes some work modes as aliases (no change), repeats one person
# and has a bad e-mail; variant 3 (the same date again) changes others.
snapshot() {
    awk -v n=$N -v v="$2" 'BEGIN {
        print "person_id,name,email,department,site,work_mode,timezone,level,region"
        m = v == 1 ? n : n + 500
        for (i = 1; i <= m; i++) {
            dept = "D" i % 5; level = "L" i % 3; name = "Person " i
            mail = "p" i "@example.com"; mode = i % 4 ? "office" : "remote"
            region = i % 2 ? "EMEA" : "APAC"
            if (v >= 2 && i % 7 == 0) dept = "D9"
            if (v >= 2 && i % 11 == 0) level = "L9"
            if (v >= 2 && i % 13 == 0) { name = "Renamed " i; mail = "P" i "@New.example.com" }
            if (v >= 2 && i % 17 == 0 && mode == "office") mode = "On-site"
            if (v == 3 && i % 19 == 0) region = ""
            if (v == 3 && i % 23 == 0) dept = "D8"
            printf "p%d,%s,%s,%s,Site %d,%s,UTC,%s,%s\n", i, name, mail, dept,
                i % 4, mode, level, region
            if (v == 2 && i == 11000)
                print "p10500,Again,again@example.com,D1,Site 1,office,UTC,L1,EMEA"
            if (v == 2 && i == 11500)
                print "p999999,Bad,not-an-address,D1,Site 1,office,UTC,L1,EMEA"
        }
    }' >"$1"
}
snapshot s1.csv 1
snapshot s2.csv 2
snapshot s3.csv 3
tables() {
    sql "SELECT person_id, name, email, joined_on, left_on, snapshot_as_of FROM people ORDER BY id;
         SELECT id, person, valid_from, work_mode, site, department, timezone FROM person_versions ORDER BY id;
         SELECT * FROM person_attributes ORDER BY version, name;" | md5sum
}

run tether-collect people --as-of 2026-01-01 s1.csv
expect_eq "first snapshot: every person loaded" "$RC $ERR" \
    "0 s1.csv: $N rows: $N loaded, 0 rejected"
cp "$TETHER_DB" base.db

# Whole: the first 10,000 rows searched for, the rest found in memory.
run tether-collect people --as-of 2026-04-01 s2.csv
expect_eq "second snapshot: exit status 1 (rejects)" "$RC" 1
expect_match "second snapshot: joiners loaded, changes updated, the rest unchanged" "$ERR" \
    "s2.csv: 12502 rows: 500 loaded, 2649 updated, 9351 unchanged, 2 rejected"
expect_eq "second snapshot: the repeated person and the bad e-mail, after the load" \
    "$(sql "SELECT line || ' ' || column_name || ' ' || reason FROM rejects ORDER BY line")" \
    "11002 person_id person p10500 appears again (first on line 10501)
11503 email 'not-an-address' is not an e-mail address"
run tether-collect people --as-of 2026-04-01 s3.csv
expect_match "the same date again: its versions replaced" "$ERR" \
    "s3.csv: 12500 rows: 0 loaded, [0-9]+ updated, [0-9]+ unchanged, 0 rejected"
whole_err=$ERR
whole=$(tables)

# In halves: every row searched for in the database.
rm -f "$TETHER_DB"*
cp base.db "$TETHER_DB"
for f in s2 s3; do
    head -n 6001 $f.csv >$f-a.csv
    { head -n 1 $f.csv; tail -n +6002 $f.csv; } >$f-b.csv
done
for f in s2-a s2-b s3-a s3-b; do
    run tether-collect people --quiet --as-of 2026-04-01 $f.csv
done
expect_eq "whole or in halves: the same people, versions and attributes" \
    "$(tables)" "$whole"
expect_eq "whole or in halves: the same counts" \
    "$(sql "SELECT sum(loaded), sum(updated), sum(unchanged) FROM imports WHERE path LIKE 's3%'")" \
    "$(echo "$whole_err" | sed -n 's/.*: 0 loaded, \([0-9]*\) updated, \([0-9]*\) unchanged.*/0|\1|\2/p')"
expect_eq "a person renamed in the second snapshot" \
    "$(sql "SELECT name || ' ' || email FROM people WHERE person_id = 'p13'")" \
    "Renamed 13 p13@new.example.com"
expect_eq "a person's versions: the first, the change, the same date replaced" \
    "$(sql "SELECT valid_from || ' ' || department || ' ' || group_concat(a.name || '=' || a.value, ' ')
            FROM person_versions v JOIN people p ON p.id = v.person
            LEFT JOIN person_attributes a ON a.version = v.id
            WHERE p.person_id = 'p10143' GROUP BY v.id ORDER BY v.id")" \
    "2026-01-01 D3 level=L0 region=EMEA
2026-04-01 D8 level=L0 region=EMEA"
