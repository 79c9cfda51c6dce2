#!/usr/bin/env bash
# test_lookups.sh - a meetings file that names people rather than pairs
# makes tether-collect read every person and pair into memory after 10,000
# look-ups in the database (LOOKUPS_BEFORE_LOAD). The file below crosses
# that point a third of the way through: every row must be attributed,
# and every bad row rejected, exactly as when each meeting names its pair.
. "$(dirname "$0")/lib.sh"

N=6000 # pairs P1..P6000: p<i> mentors p<i+N>, from 2026-01-01
cd "$T" || exit 1
org_files $N 2026-01-01
run tether-collect people people.csv
run tether-collect pairs pairs.csv
expect_eq "roster and pairs loaded" "$(sql "SELECT count(*) FROM pairs")" $N
cp "$TETHER_DB" base.db

# Three meetings per pair in an order that visits the pairs at random
# (so that no recent look-up is reused), each named by pair_id in
# by_pair.csv, and by people in by_people.csv: mentor and mentee as
# person_id, as e-mail in capitals, or as participants with spaces around.
awk -v n=$N 'BEGIN {
    print "meeting_id,pair_id,mentor,mentee,participants,started_at,duration_min,medium" >"by_pair.csv"
    print "meeting_id,pair_id,mentor,mentee,participants,started_at,duration_min,medium" >"by_people.csv"
    for (k = 0; k < 3 * n; k++) {
        i = (k * 7919) % n + 1
        t = sprintf("2026-%02d-%02dT%02d:00:00Z", k % 3 + 2, k % 28 + 1, k % 10 + 8)
        printf "m%d,P%d,,,,%s,30,video\n", k, i, t >"by_pair.csv"
        if (k % 3 == 0)
            printf "m%d,,p%d,P%d@EXAMPLE.COM,,%s,30,video\n", k, i, i + n, t >"by_people.csv"
        else if (k % 3 == 1)
            printf "m%d,,,, p%d@example.com ; P%d@Example.com ,%s,30,video\n", k, i, i + n, t >"by_people.csv"
        else
            printf "m%d,,p%d@example.com,p%d,,%s,30,video\n", k, i, i + n, t >"by_people.csv"
    }
    # Bad rows at the end, when everything is in memory: an unknown
    # person, a meeting before its pair began, two people who are no pair.
    printf "bad1,,p1,nobody@example.com,,2026-03-01T10:00:00Z,30,video\n" >"by_people.csv"
    printf "bad2,,p2,p%d,,2025-12-01T10:00:00Z,30,video\n", n + 2 >"by_people.csv"
    printf "bad3,,,,p3@example.com;p4@example.com,2026-03-01T10:00:00Z,30,video\n" >"by_people.csv"
}'
contacts() {
    sql "SELECT pair, started_at, source_key, duration_min, medium FROM contacts ORDER BY 1, 2, 3" | md5sum
}

run tether-collect meetings by_pair.csv
expect_eq "named by pair: all loaded" "$RC $ERR" \
    "0 by_pair.csv: $((3 * N)) rows: $((3 * N)) loaded, 0 rejected"
want=$(contacts)

rm -f "$TETHER_DB"*
cp base.db "$TETHER_DB"
run tether-collect meetings by_people.csv
expect_eq "named by people: all good rows loaded, three rejected" "$RC" 1
expect_match "named by people: summary" "$ERR" \
    "by_people.csv: $((3 * N + 3)) rows: $((3 * N)) loaded, 3 rejected"
expect_eq "named by people: the same contacts as named by pair" "$(contacts)" "$want"
expect_eq "named by people: the bad rows, each with its reason" \
    "$(sql "SELECT line || ' ' || coalesce(column_name, '-') || ' ' || reason FROM rejects ORDER BY line")" \
    "$((3 * N + 2)) mentee 'nobody@example.com' is not in the roster
$((3 * N + 3)) - matches no pair active on 2025-12-01T10:00:00Z
$((3 * N + 4)) - matches no pair active on 2026-03-01T10:00:00Z"
