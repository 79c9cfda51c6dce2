#!/usr/bin/env bash
# test_impact.sh - tether-analyze impact (SPEC 3.7) on the hand-made
# organisation of tests/data/impact, every figure worked out by hand below.
#
# Period 2026Q3, as_of 2026-09-30; --horizon 365, so the baseline b is
# 2025-09-30 and the window of a mentored person's meeting [b - 90, b] is
# 2025-07-02..2025-09-30. Roster snapshots 2025-01-01 (in force on b) and
# 2026-06-01. Everyone joined 2020-01-01: tenure on b is 5 whole years, one
# band (3+ years). --min-group 1 shows every figure; every group is under
# --reference-min 30, so every row is small.
#
# Mentors t1 (A, office, UTC) and t2 (B, remote, Asia/Tokyo) mentor pairs
# active on b: neither group. x1 is the mentee of P5 (started 2025-09-15,
# no meeting): not mentored, and no comparison person either. j1 joined
# after b: not in the cohort. c4 becomes a mentee in 2026 (P6): it stays in
# the comparison group (groups are fixed on b).
#   mentored   (a meeting in the window)      comparison
#   m1 A L1 remote  retained, L2 later         c1 A L1 remote retained
#   m2 A L1 office  left 2026-03-01            c2 A L1 office left
#   m3 B L1 remote  retained                   c3 A L1 office left
#   m4 B L1 office  retained, L2 later         c4 B L1 remote retained, L2
#                                              c5 B L1 office retained
#                                              c6 B L2 office left
. "$(dirname "$0")/lib.sh"
D=$ROOT/tests/data/impact

tether-collect people --as-of 2025-01-01 "$D/people.csv" >/dev/null 2>&1
tether-collect people --as-of 2026-06-01 "$D/people-2.csv" >/dev/null 2>&1
tether-collect pairs "$D/pairs.csv" >/dev/null 2>&1
tether-collect meetings "$D/meetings.csv" >/dev/null 2>&1

run tether-analyze impact --quarter 2026Q3 --min-group 1 --format json
expect_eq "impact: exit 0, nothing on stderr" "$RC:$ERR" "0:"
printf '%s\n' "$OUT" >"$T/i.json"

# j EXPR: a value of the impact JSON (i), floats to 4 decimals.
j() {
    python3 - "$T/i.json" "$1" <<'PY'
import json, sys
i = json.load(open(sys.argv[1]))["impact"]
def row(sec, dim="all", seg="all", **kw):
    return next(r for r in i[sec] if r["dimension"] == dim and
                r["segment"] == seg and all(r.get(k) == v for k, v in kw.items()))
def pr(name, scope="all"):
    return next(r for r in i["practices"] if r["practice"] == name and
                r["scope"] == scope)
v = eval(sys.argv[2])
def f(x):
    if isinstance(x, float):
        return "%.4f" % x
    if isinstance(x, (list, tuple)):
        return " ".join(f(y) for y in x)
    return json.dumps(x)
print(f(v))
PY
}

expect_eq "baseline and horizon" "$(j '[i["baseline"], i["horizon"]]')" \
    '"2025-09-30" 365'

# Retention, all: mentored 3 of 4 (m2 left), comparison 3 of 6 (c2, c3, c6
# left). Wilson 3/4: centre (0.75 + 1.92/4) / (1 + 3.84/4) = 0.6274, half
# 1.96 sqrt(0.75 * 0.25 / 4 + 3.84 / 64) / 1.96 = 0.3262: 0.3006..0.9544.
# diff 0.25. Expected counts (4 x 4 / 10 = 1.6) below 5: Fisher. With the
# margins 4 and 6, 6 retained: P(x) = C(4,x) C(6,6-x) / 210 = 1, 24, 90, 80,
# 15 over 210 for x = 0..4; observed x = 3 (80): p = (1 + 24 + 80 + 15) /
# 210 = 0.5714.
expect_eq "retention: mentored n, retained, rate, Wilson interval" \
    "$(j '[row("retention", group="mentored")[k] for k in ("n", "retained", "retention_rate", "ci_low", "ci_high")]')" \
    "4 3 0.7500 0.3006 0.9544"
expect_eq "retention: comparison 3 of 6" \
    "$(j '[row("retention", group="comparison")[k] for k in ("n", "retained", "retention_rate")]')" \
    "6 3 0.5000"
expect_eq "retention: diff, Fisher's p" \
    "$(j '[row("retention", group="mentored")[k] for k in ("diff", "p_value", "p_test", "small")]')" \
    '0.2500 0.5714 "fisher" true'
# By work mode on b: remote m1, m3 against c1, c4 (all retained); office
# m2, m4 (1 of 2) against c2, c3, c5, c6 (1 of 4).
expect_eq "retention by work mode" \
    "$(j '[row("retention", "work_mode", s, group=g)["retained"] for s in ("office", "remote") for g in ("mentored", "comparison")]')" \
    "1 1 2 2"

# Matched, all: strata (department, level, tenure) A/L1/3+: mentored m1
# (stays), m2 (leaves); comparison c1 stays, c2 and c3 leave: r = 1/3.
# B/L1/3+: m3, m4 against c4, c5, everyone stays: r = 1. B/L2 holds c6
# alone: left out. matched_n = 4, mentored rate 3/4, comparison rate
# (2 x 1/3 + 2 x 1) / 4 = 0.6667.
# Odds of leaving, a = mentored left, b = mentored stayed, c, d the
# comparison's: A (1, 1, 2, 1; n 5): ad/n = 0.2, bc/n = 0.4; B (0, 2, 0, 2):
# 0 and 0. OR = 0.2 / 0.4 = 0.5. RBG with P = 2/5, Q = 3/5, R = 1/5, S = 2/5:
# var = PR/2R^2 + (PS + QR)/2RS + QS/2S^2 = 1 + 7/4 + 3/4 = 3.5, so the
# interval is 0.5 exp(-/+ 1.96 sqrt 3.5) = 0.0128..19.5624. CMH: E(a) in A
# = 2 x 3 / 5 = 1.2, var = 2 x 3 x 3 x 2 / (25 x 4) = 0.36; B adds no
# variance (no one left). X2 = (1 - 1.2)^2 / 0.36 = 0.1111, p = 0.7389.
expect_eq "retention matched: n and the standardised rates" \
    "$(j '[row("retention_matched")[k] for k in ("matched_n", "matched_mentored_rate", "matched_comparison_rate")]')" \
    "4 0.7500 0.6667"
expect_eq "retention matched: MH odds ratio, RBG interval, CMH p" \
    "$(j '[row("retention_matched")[k] for k in ("odds_ratio", "or_ci_low", "or_ci_high", "p_value")]')" \
    "0.5000 0.0128 19.5624 0.7389"
# Office alone: A (1 left of 1 against 2 of 2) has sum(bc/n) = 0: no ratio,
# and no variance (no one stayed in A): no p-value either.
expect_eq "retention matched office: an empty cell gives nulls" \
    "$(j '[row("retention_matched", "work_mode", "office")[k] for k in ("odds_ratio", "or_ci_low", "p_value")]')" \
    "null null null"

# Promotion, among those employed on as_of: mentored m1 (L1 -> L2), m3, m4
# (L1 -> L2): 2 of 3; comparison c1, c4 (L1 -> L2), c5: 1 of 3. Matched:
# A/L1: m1 promoted, c1 not; B/L1: m3 not, m4 yes against c4 yes, c5 not.
# matched_n 3, rates 2/3 and (1 x 0 + 2 x 1/2) / 3 = 1/3. OR of promotion:
# A (1, 0, 0, 1; n 2): ad/n = 1/2; B (1, 1, 1, 1; n 4): ad/n = bc/n = 1/4:
# OR = 0.75 / 0.25 = 3.
expect_eq "promotion: 2 of 3 against 1 of 3" \
    "$(j '[row("promotion", group=g)[k] for g in ("mentored", "comparison") for k in ("n", "promoted")]')" \
    "3 2 3 1"
expect_eq "promotion matched" \
    "$(j '[row("promotion_matched")[k] for k in ("matched_n", "matched_mentored_rate", "matched_comparison_rate", "odds_ratio")]')" \
    "3 0.6667 0.3333 3.0000"

# Pair survival, the walk with inactive-factor 2 (quiet when no meeting in
# (prev, prev + 2 x cadence + 1]):
#   P1 from 2025-06-01: meetings 06-16, 07-15, 08-15, then nothing up to
#      08-15 + 61 = 10-15: quiet on 2025-10-15, 136 days.
#   P2 2025-07-01..2026-02-28 (ended), meetings a month apart to 02-05:
#      censored at its end, 242 days.
#   P3 from 2025-08-01: 09-01, then 12-15 > 09-01 + 61: quiet 11-01, 92.
#   P4 from 2025-09-01, cadence 14: 09-10, then quiet 09-10 + 29 = 10-09, 38.
#   P5 from 2025-09-15, never met: quiet 09-15 + 61 = 11-15, 61.
#   P6 2026-03-01, monthly to 09-10: censored at as_of, 213 days.
# All: 38 61 92 136 events, 213 242 censored: S = 5/6, 4/6, 3/6, 2/6; the
# median is the first t with S <= 0.5: 92; S(90) = 0.6667, S(180) =
# 0.3333, S(365) null (past 242).
expect_eq "survival all: pairs, events, median, S(90), S(180), S(365)" \
    "$(j '[row("survival")[k] for k in ("pairs", "events", "median_days", "survival_90", "survival_180", "survival_365")]')" \
    "6 4 92.0000 0.6667 0.3333 null"
expect_eq "survival all: the curve at every event time" \
    "$(j 'row("survival")["curve"]')" \
    "38 0.8333 61 0.6667 92 0.5000 136 0.3333"
# Mentee work mode on the start day: remote m1, m3, c4 (136, 92 events,
# 213 censored), office m2, m4, x1 (38, 61 events, 242 censored).
# Log-rank, remote as group 1: at 38 (3 and 3 at risk, an office event)
# E1 = 0.5, V = 0.25; at 61 (3, 2) E1 = 0.6, V = 0.24; at 92 (3, 1) E1 =
# 0.75, V = 0.1875; at 136 (2, 1) E1 = 2/3, V = 2/9. O1 = 2, E1 = 2.5167,
# O2 = 2, E2 = 1.4833, V = 0.8997: X2 = 0.2967, p = 0.5860; HR = (2 /
# 2.5167) / (2 / 1.4833) = 0.5894.
expect_eq "survival test remote vs office: p and hazard ratio" \
    "$(j '[i["survival_tests"][0][k] for k in ("test", "p_value", "hazard_ratio")]')" \
    '"remote_vs_office" 0.5860 0.5894'
# Bridge on the start day (exactly one remote): P1 (t1 office, m1 remote)
# and P4 (t2 remote, m4 office).
expect_eq "survival by bridge" \
    "$(j '[row("survival", "bridge", s)["pairs"] for s in ("yes", "no")]')" "2 4"

# Practices, landmark 90 days: P1 (136), P2 (242), P3 (92) and P6 (213)
# are at risk on day 90; times after it 46 (event), 152, 2 (event), 123.
# summary (first 90 days): P1 yes yes no (2/3: followed), P2 no no ? (0/2:
# not), P3 unknown (left out), P6 yes yes no (followed). Followed 46e,
# 123c; not 152c. At 46: 2 and 1 at risk, E1 = 2/3, V = 2/9: X2 = (1/3)^2 /
# (2/9) = 0.5, p = 0.4795; no event among the not-followed: no ratio.
expect_eq "practice summary: pairs, events, p, hazard ratio" \
    "$(j '[pr("summary")[k] for k in ("followed_pairs", "followed_events", "not_followed_pairs", "not_followed_events", "p_value", "hazard_ratio")]')" \
    "2 1 1 0 0.4795 null"
# mentee_chose: yes P1 (46e), P6 (123c); no P3 (2e); P2 unknown. At 2: E1 =
# 2/3, V = 2/9; at 46 only the followed are at risk: E1 = 1, V = 0. O1 = 1,
# E1 = 5/3, O2 = 1, E2 = 1/3: X2 = (2/3)^2 / (2/9) = 2, p = 0.1573; HR =
# (1 / (5/3)) / (1 / (1/3)) = 0.2.
expect_eq "practice mentee_chose" \
    "$(j '[pr("mentee_chose")[k] for k in ("p_value", "hazard_ratio")]')" \
    "0.1573 0.2000"
# Long-distance (>= 3 clock hours on the start day): P3 and P6, t2 in Tokyo
# (UTC+9). mentee_chose: P6 yes (123c), P3 no (2e): at 2, E1 = 1/2, V = 1/4:
# X2 = 1, p = 0.3173, HR = 0 (no event among those who chose).
expect_eq "practice mentee_chose, long-distance" \
    "$(j '[pr("mentee_chose", "long_distance")[k] for k in ("followed_pairs", "not_followed_pairs", "p_value", "hazard_ratio")]')" \
    "1 1 0.3173 0.0000"
# reasonable_hours: every meeting is at 10:00 UTC, 19:00 in Tokyo: P3 and P6
# are off hours for t2 in every meeting (not followed), P1 and P2 never.
# Followed 46e, 152c; not 2e, 123c: at 2 E1 = 1/2, V = 1/4; at 46 (2 and 1)
# E1 = 2/3, V = 2/9: O1 = 1, E1 = 7/6, X2 = (1/6)^2 / (17/36) = 1/17, p =
# 0.8084; HR = (1 / (7/6)) / (1 / (5/6)) = 0.7143.
expect_eq "practice reasonable_hours" \
    "$(j '[pr("reasonable_hours")[k] for k in ("followed_pairs", "not_followed_pairs", "p_value", "hazard_ratio")]')" \
    "2 2 0.8084 0.7143"
# No impromptu or in-person contact: one side is empty, no test.
expect_eq "practices with an empty side have no test" \
    "$(j '[pr(n)[k] for n in ("impromptu", "in_person") for k in ("followed_pairs", "not_followed_pairs", "p_value")]')" \
    "0 4 null 0 4 null"
# Holm over the four tests that have a p-value: 0.1573 x 4 = 0.6292,
# 0.31731 x 3 = 0.9519, 0.4795 x 2 = 0.9590, 0.8084 x 1 -> 0.9590 (never below
# the one before).
expect_eq "practices: Holm-adjusted p-values" \
    "$(j '[pr(n, s)["p_holm"] for n, s in (("mentee_chose", "all"), ("mentee_chose", "long_distance"), ("summary", "all"), ("reasonable_hours", "all"))]')" \
    "0.6292 0.9519 0.9590 0.9590"
# No source says who sent a contact (no initiator column yet): left out.
expect_eq "mentee_reached_out left out, and the note says why" \
    "$(j '[pr("mentee_reached_out")["followed_pairs"], pr("mentee_reached_out")["not_followed_pairs"], any("who sent" in n for n in i["notes"])]')" \
    "0 0 true"
expect_eq "every row carries small" \
    "$(j 'all("small" in r for k in ("retention", "retention_matched", "promotion", "promotion_matched", "survival", "survival_tests", "practices") for r in i[k])')" \
    "true"

# Groups under min-group show their n only.
run tether-analyze impact --quarter 2026Q3 --min-group 5 --format json
printf '%s\n' "$OUT" >"$T/i.json"
expect_eq "min-group 5: a group of 4 shows n only" \
    "$(j 'sorted(row("retention", group="mentored"))')" \
    '"diff" "dimension" "group" "n" "p_test" "p_value" "segment" "small"'
expect_eq "min-group 5: no difference or test beside it" \
    "$(j '[row("retention", group="mentored")[k] for k in ("n", "diff", "p_value")]')" \
    "4 null null"

# The run is stored with its impact: the same figures in metrics.
expect_eq "metrics hold the impact" \
    "$(sql "SELECT printf('%.4f', value) FROM metrics WHERE section = 'retention_matched' AND dimension = 'all' AND name = 'odds_ratio' AND run = (SELECT max(id) FROM runs WHERE params LIKE '%\"min_group\":1,%')")" \
    "0.5000"
run tether-analyze --quarter 2026Q3 --min-group 1 --format json
expect_eq "impact in the plain run's JSON" \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["impact"]["retention_matched"][0]["odds_ratio"])')" \
    "0.5"

# Level ordering: --level-order without L1 cannot order the roster.
run tether-analyze impact --quarter 2026Q3 --level-order L2 --format json
printf '%s\n' "$OUT" >"$T/i.json"
expect_eq "--level-order missing a value: promotion null with a note" \
    "$(j '[i["promotion"], i["promotion_matched"], [n for n in i["notes"] if "romotion" in n]]')" \
    "null null \"Promotion is not computed: level 'L1' is not in --level-order.\""
run tether-analyze impact --quarter 2026Q3 --level-order L1,L2 --min-group 1 --format json
printf '%s\n' "$OUT" >"$T/i.json"
expect_eq "--level-order L1,L2 gives the same promotions" \
    "$(j 'row("promotion", group="mentored")["promoted"]')" "2"

# The table says what the figures are, in one sentence.
run tether-analyze impact --quarter 2026Q3
expect_eq "table: the association sentence" "$(sed -n 2p "$T/out")" \
    "These are associations in the organisation's own records, not proof that mentoring caused them."
run tether-analyze impact --quarter 2026Q3 --format csv
expect_match "csv: one table per section" "$OUT" "^practices,summary,all,"

# Once contacts carry their initiator (schema 3: the messages import, a
# calendar's organiser, meetings.csv's column), mentee_reached_out is
# measured. Here every meeting is the mentor's, and
# m1 writes one chat to t1 on 2025-06-20, in P1's first 90 days. Landmark
# pairs with a known initiator: P1 (followed: 46, event), P2 (152), P3 (2,
# event), P6 (123). At 2: 1 and 3 at risk, E1 = 1/4, V = 3/16; at 46: 1 and
# 2, E1 = 1/3, V = 2/9. O1 = 1, E1 = 7/12, O2 = 1, E2 = 17/12: X2 =
# (5/12)^2 / (59/144) = 25/59, p = 0.5151; HR = (12/7) / (12/17) = 17/7 =
# 2.4286. The chat is impromptu too: the same figures for impromptu.
sqlite3 "$TETHER_DB" "UPDATE contacts SET initiator = 'mentor';
    INSERT INTO contacts (pair, started_at, source_key, medium, kind,
        content_hash, import_id, initiator)
    SELECT id, strftime('%s', '2025-06-20 10:00:00'), 'chat-1', 'chat',
        'impromptu', 0, (SELECT min(id) FROM imports), 'mentee'
    FROM pairs WHERE pair_id = 'P1';"
run tether-analyze impact --quarter 2026Q3 --min-group 1 --format json
printf '%s\n' "$OUT" >"$T/i.json"
expect_eq "initiator known: mentee_reached_out measured" \
    "$(j '[pr("mentee_reached_out")[k] for k in ("followed_pairs", "not_followed_pairs", "p_value", "hazard_ratio")]')" \
    "1 3 0.5151 2.4286"
expect_eq "initiator known: impromptu the same, and no note" \
    "$(j '[pr("impromptu")["p_value"], any("who sent" in n for n in i["notes"])]')" \
    "0.5151 false"

# Usage errors.
run tether-analyze impact --horizon 0
expect_eq "--horizon 0: usage error" "$RC:$(head -1 "$T/err")" \
    "2:tether-analyze: --horizon needs a whole number of days from 1 to 100000, not '0'"
run tether-analyze impact --status inactive
expect_eq "--status with impact: usage error" "$RC:$(head -1 "$T/err")" \
    "2:tether-analyze: option '--status' goes with pairs"
run tether-analyze impact --long-distance-hours x
expect_eq "--long-distance-hours x: usage error" "$RC" 2
run tether-analyze impact --help
expect_match "impact --help" "$(head -1 "$T/out")" "^usage: tether-analyze .*impact"

# --- the effects tether-sample plants (its manifest says which) ---------
# An organisation of 20,000 people: large enough for the planted effects
# to stand out, generated afresh (the committed sample is too small to
# find them). Every planted effect must be found with its sign; the
# strong ones (a hazard ratio of 0.5, or 1.6 for off hours) among
# long-distance pairs after Holm's adjustment; every unplanted one must be
# "no clear difference" (adjusted p >= 0.05, or no test).
G=$T/planted
tether-sample --seed 7 --people 20000 --quarters 4 --until 2026Q3 \
    --no-formats -q --out "$G"
export TETHER_DB=$T/planted.db
(cd "$G" &&
    tether-collect people --quiet --as-of 2025-10-01 people.csv &&
    tether-collect people --quiet --as-of 2026-07-01 people-2.csv &&
    tether-collect pairs --quiet pairs.csv &&
    tether-collect meetings --quiet meetings.csv) >/dev/null 2>&1
run tether-analyze impact --quarter 2026Q3 \
    --level-order L1,L2,L3,L4,L5,Executive --format json
expect_eq "planted: exit 0" "$RC" 0
printf '%s\n' "$OUT" >"$T/p.json"
# pc NAME EXPR: EXPR over i (the impact found) and m (the planted effects).
pc() {
    if python3 - "$T/p.json" "$G/manifest.json" "$2" <<'PY'
import json, sys
i = json.load(open(sys.argv[1]))["impact"]
m = json.load(open(sys.argv[2]))["planted"]["impact"]
def row(sec, dim="all", seg="all"):
    return next(r for r in i[sec] if r["dimension"] == dim and r["segment"] == seg)
def pr(name, scope):
    return next(r for r in i["practices"] if r["practice"] == name and r["scope"] == scope)
def found(e):
    r = pr(e["practice"], e["scope"])
    if e["expect"] == "none":
        return r["p_holm"] is None or r["p_holm"] >= 0.05
    hr = r["hazard_ratio"]
    ok = hr is not None and (hr < 1 if e["expect"] == "lower" else hr > 1)
    strong = abs(e["planted_hazard_ratio"] - 1) >= 0.3
    if strong and e["scope"] == "long_distance":
        ok = ok and r["p_holm"] < 0.05
    return ok
sys.exit(0 if eval(sys.argv[3]) else 1)
PY
    then ok "$1"; else fail "$1" "false: $2"; fi
}
pc "planted: the manifest lists the twelve practice tests" \
    'len(m["practices"]) == 12 and {(e["practice"], e["scope"]) for e in m["practices"]} == {(r["practice"], r["scope"]) for r in i["practices"]}'
for k in $(seq 0 11); do
    name=$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["planted"]["impact"]["practices"][int(sys.argv[2])]; print(e["practice"] + "/" + e["scope"] + ": " + e["expect"])' "$G/manifest.json" "$k")
    pc "planted practice $name" "found(m['practices'][$k])"
done
pc "planted: mentored people leave less (matched odds ratio of leaving < 1, p < 0.05)" \
    'row("retention_matched")["odds_ratio"] < 1 and row("retention_matched")["p_value"] < 0.05'
pc "planted: more so in office than remote" \
    'row("retention_matched", "work_mode", "office")["odds_ratio"] < row("retention_matched", "work_mode", "remote")["odds_ratio"]'
pc "planted: the mentored retention rate above the comparison's" \
    'row("retention_matched")["matched_mentored_rate"] > row("retention_matched")["matched_comparison_rate"]'
pc "unplanted: promotion shows no clear difference" \
    'row("promotion_matched")["p_value"] >= 0.05 and row("promotion")["promotion_rate"] > 0'
pc "planted: remote pairs go quiet sooner than office pairs" \
    'i["survival_tests"][0]["hazard_ratio"] > 1 and i["survival_tests"][0]["p_value"] < 0.05'
