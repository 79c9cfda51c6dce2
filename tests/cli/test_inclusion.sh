#!/usr/bin/env bash
# test_inclusion.sh - SPEC 3.2's reference segment, shortfall and --program
# on a made-up organisation whose figures are worked out below.
#
# 78 people, all office except r1..r20 (remote), levels: L1 p1..p40,
# L2 q1..q35, Executive e1..e3. Program "Core" (cadence 30): 5 pairs inside
# L1 (10 participants), 7 inside L2 (14), e1 -> e2 and e3 -> q1 (Executive
# 3 of 3, q1 already counted). Program "Sprint" (cadence 14): p11 -> p12.
# The remote people are p1..p20.
. "$(dirname "$0")/lib.sh"
cd "$T"
awk 'BEGIN {
    print "person_id,name,email,work_mode,level,joined_on"
    for (i = 1; i <= 40; i++)
        printf "p%d,P %d,p%d@example.com,%s,L1,2020-01-01\n", i, i, i,
            i <= 20 ? "remote" : "office"
    for (i = 1; i <= 35; i++)
        printf "q%d,Q %d,q%d@example.com,office,L2,2020-01-01\n", i, i, i
    for (i = 1; i <= 3; i++)
        printf "e%d,E %d,e%d@example.com,office,Executive,2020-01-01\n", i, i, i
}' >people.csv
awk 'BEGIN {
    print "pair_id,program,mentor,mentee,started_on,cadence_days"
    for (i = 1; i <= 5; i++)
        printf "A%d,Core,p%d,p%d,2026-01-05,30\n", i, 2 * i - 1, 2 * i
    for (i = 1; i <= 7; i++)
        printf "B%d,Core,q%d,q%d,2026-01-05,30\n", i, 2 * i - 1, 2 * i
    print "X1,Core,e1,e2,2026-01-05,30"
    print "X2,Core,e3,q1,2026-01-05,30"
    print "S1,Sprint,p11,p12,2026-01-05,14"
}' >pairs.csv
tether-collect people --as-of 2026-01-01 people.csv >/dev/null 2>&1
tether-collect pairs pairs.csv >/dev/null 2>&1

seg() { # seg JSON DIM SEGMENT FIELD...
    python3 - "$@" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
s = next(s for s in d["inclusion"][sys.argv[2]] if s["segment"] == sys.argv[3])
print(" ".join(json.dumps(s[k]) for k in sys.argv[4:]))
PY
}

run tether-analyze --quarter 2026Q1 --by level --format json
J=$OUT
# Dimension level: 78 people, a tenth rounded up is 8 (< 30), so a
# reference needs a headcount of 8: Executive (3 people, rate 1) cannot be
# the reference; L2 (14/35 = 0.4) beats L1 (p1..p10 in Core, p11 and p12 in
# Sprint: 12/40 = 0.3).
expect_eq "reference is the highest rate among large segments" \
    "$(seg "$J" level L1 reference small)" '"L2" false'
expect_eq "a group of three is small and not the reference" \
    "$(seg "$J" level Executive reference small flagged shortfall)" \
    '"L2" true false 0'
# L1: 5 * 12 * 35 = 2100 < 4 * 14 * 40 = 2240: flagged (ratio 0.75);
# shortfall ceil(2240 / 175) - 12 = 13 - 12 = 1.
expect_eq "below four-fifths of the reference: flagged, 1 short" \
    "$(seg "$J" level L1 participation_rate inclusion_ratio flagged shortfall)" \
    "0.3 0.75 true 1"
expect_eq "the reference itself: no test, no shortfall" \
    "$(seg "$J" level L2 inclusion_ratio flagged p_value shortfall)" \
    "1.0 false null 0"
# Work mode: remote p1..p20 hold 12 participants (p1..p12): 0.6; the 58
# office people hold 17 (q1..q14, e1..e3): 0.293. Both are large (>= 8),
# so remote is the reference, and office is flagged: 5 * 17 * 20 = 1700 <
# 4 * 12 * 58 = 2784; shortfall ceil(2784 / 100) - 17 = 28 - 17 = 11.
expect_eq "work mode: the reference is remote" \
    "$(seg "$J" work_mode office reference flagged shortfall)" \
    '"remote" true 11'
expect_eq "mentee and mentor roles have their own reference" \
    "$(seg "$J" level Executive mentee_reference mentor_reference)" \
    '"L2" "L2"'

# --reference-min 3 with --min-group 3: Executive (3) may be the reference.
run tether-analyze --quarter 2026Q1 --by level --reference-min 3 \
    --min-group 3 --format json
expect_eq "--reference-min lets a group of three set the bar" \
    "$(seg "$OUT" level L2 reference flagged)" '"Executive" true'
# --reference-min 3 alone: never fewer than min-group (5).
run tether-analyze --quarter 2026Q1 --by level --reference-min 3 --format json
expect_eq "--reference-min is never below min-group" \
    "$(seg "$OUT" level L2 reference)" '"L2"'
run tether-analyze --quarter 2026Q1 --reference-min 0
expect_eq "--reference-min 0 is a usage error" "$RC" 2

# --program Sprint: one pair (p11 -> p12), 2 participants in L1.
run tether-analyze --quarter 2026Q1 --by level --program Sprint --format json
expect_eq "--program keeps only its pairs" \
    "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print([p["pair_id"] for p in d["pairs"]])' "$OUT")" \
    "['S1']"
expect_eq "--program: participation counts only its pairs" \
    "$(seg "$OUT" level L1 participants)" "2"

# The terminal table: summary, inclusion and surveys, no pair rows
# (SPEC 5); `pairs` and --format csv list the pairs.
run tether-analyze --quarter 2026Q1
expect_match "table: the inclusion figures" "$OUT" "^participation$"
expect_no_match "table: no pair rows" "$OUT" "^(pairs$|A1 )"
run tether-analyze --quarter 2026Q1 --format csv
expect_match "csv: every pair" "$OUT" "^pairs,A1,Core,"
