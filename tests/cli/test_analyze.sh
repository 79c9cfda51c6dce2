#!/usr/bin/env bash
# test_analyze.sh - tether-analyze on the hand-made organisation of
# tests/data/analyze, whose every figure was worked out by hand (the
# calculation is in the comment above each check). Period: 2026Q2,
# 2026-04-01..2026-06-30, 91 days, as_of 2026-06-30 (a Tuesday).
. "$(dirname "$0")/lib.sh"
D=$ROOT/tests/data/analyze

tether-collect people --as-of 2026-03-01 "$D/people.csv" >/dev/null 2>&1
# o2 moves from Europe/Berlin to Asia/Tokyo on 2026-05-01.
tether-collect people --as-of 2026-05-01 "$D/people-moved.csv" >/dev/null 2>&1
tether-collect pairs "$D/pairs.csv" >/dev/null 2>&1
tether-collect meetings "$D/meetings.csv" >/dev/null 2>&1
tether-collect survey --questions "$D/questions.csv" "$D/responses.csv" \
    >/dev/null 2>&1

# j FILE EXPR: a value of the JSON in FILE (d), floats to 6 decimals.
j() {
    python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def seg(dim, name, sec="inclusion"):
    return next(s for s in d[sec][dim] if s["segment"] == name)
def pair(pid):
    return next(p for p in d["pairs"] if p["pair_id"] == pid)
def sv(construct, segment, dim="work_mode"):
    return next(s for s in d["surveys"] if s["construct"] == construct
                and s["segment"] == segment and s["dimension"] == dim)
def cmp(construct):
    return next(s for s in d["survey_comparisons"]
                if s["construct"] == construct)
v = eval(sys.argv[2])
if isinstance(v, bool) or v is None:
    print(json.dumps(v))
elif isinstance(v, float):
    print("%.6f" % v)
elif isinstance(v, (dict, list)):
    print(json.dumps(v, sort_keys=True))
else:
    print(v)
PY
}

run tether-analyze --quarter 2026Q2 --format json
expect_eq "json exit status" "$RC" 0
printf '%s\n' "$OUT" >"$T/q2.json"
J=$T/q2.json
expect_eq "period" "$(j $J 'd["period"]')" \
    '{"as_of": "2026-06-30", "end": "2026-06-30", "label": "2026Q2", "start": "2026-04-01"}'
expect_eq "active pairs" "$(j $J 'len(d["pairs"])')" 8

# --- 3.1 pair health -------------------------------------------------
# P1 (o1 Los Angeles, r1 Sydney), cadence 30: meetings 04-15 video 60 min
# summary yes, 05-14 phone impromptu 30 min summary unknown, 06-16
# in_person no duration summary no; a chat 06-25; a video 03-10 before.
expect_eq "P1 status" "$(j $J 'pair("P1")["status"]')" active
expect_eq "P1 meetings, minutes, contacts" \
    "$(j $J '[pair("P1")[k] for k in ("meetings","minutes","contacts")]')" \
    "[3, 90.0, 4]"
# last meeting 06-16, last contact the chat 06-25; quiet = 06-30 - 06-16.
expect_eq "P1 last meeting" "$(j $J 'pair("P1")["last_meeting"]')" 2026-06-16
expect_eq "P1 last contact" "$(j $J 'pair("P1")["last_contact"]')" 2026-06-25
expect_eq "P1 days quiet" "$(j $J 'pair("P1")["days_quiet"]')" 14
# adherence = 3 / (91 / 30) = 0.989011
expect_eq "P1 cadence adherence" \
    "$(j $J 'pair("P1")["cadence_adherence"]')" 0.989011
# r1 and o1 answered satisfaction questions, but no pair figure comes from
# survey answers (SPEC 3.1): recency 1 - 14/60;
# engagement 100 (0.625 x 0.989011 + 0.375 x 0.766667) = 90.563187
expect_eq "no pair carries a satisfaction figure" \
    "$(j $J 'sum("satisfaction" in p for p in d["pairs"])')" 0
expect_eq "P1 engagement without any survey answer" \
    "$(j $J 'pair("P1")["engagement"]')" 90.563187
# Los Angeles UTC-7 and Sydney UTC+10 at noon of 06-30: |17| -> 24-17 = 7.
expect_eq "P1 tz gap wraps" "$(j $J 'pair("P1")["tz_gap_hours"]')" 7.000000
# 09-17 in LA is 16:00-24:00 UTC, in Sydney 23:00-07:00 UTC: 1 hour,
# across the day boundary.
expect_eq "P1 overlap across midnight" \
    "$(j $J 'pair("P1")["overlap_hours"]')" 1.000000
# 05-14 15:00Z is 08:00 in LA (the window includes its start) and 01:00
# Friday in Sydney: off hours for the mentee only; 04-15 23:30Z is 16:30
# LA / 09:30 Sydney; 06-16 22:00Z is 15:00 LA / 08:00 Sydney.
expect_eq "P1 off hours mentor, mentee, either" \
    "$(j $J '[pair("P1")[k] for k in ("off_hours_mentor","off_hours_mentee","off_hours")]')" \
    "[0, 1, 1]"
# in person 1 of 3, impromptu 1 of 3, summary 1 of the 2 known.
expect_eq "P1 in person share" "$(j $J 'pair("P1")["in_person_share"]')" 0.333333
expect_eq "P1 impromptu share" "$(j $J 'pair("P1")["impromptu_share"]')" 0.333333
expect_eq "P1 summary rate" "$(j $J 'pair("P1")["summary_rate"]')" 0.500000
expect_eq "P1 bridge (office-remote)" "$(j $J 'pair("P1")["bridge"]')" true

# P2, cadence 25: meetings 04-07 and 05-20 at 01:00Z. Quiet 41 days:
# > 1.5 x 25 = 37.5, not > 2 x 25 = 50: at_risk.
expect_eq "P2 status" "$(j $J 'pair("P2")["status"]')" at_risk
expect_eq "P2 days quiet" "$(j $J 'pair("P2")["days_quiet"]')" 41
# adherence 2 / (91/25) = 0.549451; recency 1 - 41/50 = 0.18; without
# satisfaction: 100 (0.625 x 0.549451 + 0.375 x 0.18) = 41.090659
expect_eq "P2 engagement without satisfaction" \
    "$(j $J 'pair("P2")["engagement"]')" 41.090659
# The mentor lived in Berlin until 05-01: 04-07 01:00Z is 03:00 there
# (off); 05-20 01:00Z is 10:00 in Tokyo, where he then lived (not off).
# The mentee (Tokyo) had 10:00 both times.
expect_eq "P2 off hours by the version in force" \
    "$(j $J '[pair("P2")[k] for k in ("off_hours_mentor","off_hours_mentee","off_hours")]')" \
    "[1, 0, 1]"
expect_eq "P2 tz gap after the move" "$(j $J 'pair("P2")["tz_gap_hours"]')" 0.000000
expect_eq "P2 summary rate" "$(j $J 'pair("P2")["summary_rate"]')" 1.000000

# P3: last meeting 03-15 (before the period), an email 04-20: quiet
# 06-30 - 03-15 = 107 > 60: inactive; no meeting in the period.
expect_eq "P3 status" "$(j $J 'pair("P3")["status"]')" inactive
expect_eq "P3 days quiet" "$(j $J 'pair("P3")["days_quiet"]')" 107
expect_eq "P3 last meeting before the period" \
    "$(j $J 'pair("P3")["last_meeting"]')" 2026-03-15
expect_eq "P3 email is a contact, not a meeting" \
    "$(j $J '[pair("P3")[k] for k in ("meetings","contacts","last_contact")]')" \
    '[0, 1, "2026-04-20"]'
expect_eq "P3 shares unknown without meetings" \
    "$(j $J '[pair("P3")[k] for k in ("in_person_share","impromptu_share","summary_rate")]')" \
    "[null, null, null]"
# P4 started 03-01, never met: 121 days > grace 14: never_met.
expect_eq "P4 status" "$(j $J 'pair("P4")["status"]')" never_met
expect_eq "P4 days quiet from start" "$(j $J 'pair("P4")["days_quiet"]')" 121
# P5 started 06-20: 10 days <= 14, no meeting: new; 11 days active;
# engagement 100 x 0.375 x (1 - 10/60) = 31.25.
expect_eq "P5 status" "$(j $J 'pair("P5")["status"]')" new
expect_eq "P5 days active" "$(j $J 'pair("P5")["days_active"]')" 11
expect_eq "P5 engagement" "$(j $J 'pair("P5")["engagement"]')" 31.250000
# P6 ended 05-15 after a meeting on Saturday 04-11 10:00Z: ended; end =
# 05-15, active 04-01..05-15 = 45 days, quiet 34; off hours (weekend) for
# both.
expect_eq "P6 status" "$(j $J 'pair("P6")["status"]')" ended
expect_eq "P6 days active, quiet" \
    "$(j $J '[pair("P6")[k] for k in ("days_active","days_quiet")]')" "[45, 34]"
expect_eq "P6 weekend is off hours for both" \
    "$(j $J '[pair("P6")[k] for k in ("off_hours_mentor","off_hours_mentee","off_hours")]')" \
    "[1, 1, 1]"
# P7 ended 04-30 without ever meeting: a failed match, never_met.
expect_eq "P7 ended but never met" "$(j $J 'pair("P7")["status"]')" never_met
# P8 (o1 LA, o9 Tokyo): 06-24 01:00Z is 18:00 in LA (the window excludes
# its end: off) and 10:00 in Tokyo. o9's answer naming P8 does not count
# (SPEC 3.1). adherence 1 / (61/30) = 0.491803;
# 100 (0.625 x 0.491803 + 0.375 x 0.9) = 64.487705
expect_eq "P8 off hours at the end of the window" \
    "$(j $J '[pair("P8")[k] for k in ("off_hours_mentor","off_hours_mentee")]')" \
    "[1, 0]"
expect_eq "P8 engagement" "$(j $J 'pair("P8")["engagement"]')" 64.487705
# LA -7, Tokyo +9: 16 -> 8; 16:00-24:00 UTC against 00:00-08:00: none.
expect_eq "P8 tz gap and overlap" \
    "$(j $J '[pair("P8")[k] for k in ("tz_gap_hours","overlap_hours","bridge")]')" \
    "[8.0, 0.0, false]"
expect_eq "status counts" "$(j $J 'd["summary"]["status"]')" \
    '{"active": 2, "at_risk": 1, "ended": 1, "inactive": 1, "never_met": 2, "new": 1}'

# --- 3.2 inclusion -----------------------------------------------------
# Headcount: office o1-o12 (o13 left 03-15), remote r1-r15 (r16 joins in
# July), hybrid h1-h3. Participants: office o1-o9, remote r1-r5, hybrid h1.
expect_eq "office headcount, participants" \
    "$(j $J '[seg("work_mode","office")[k] for k in ("headcount","participants","mentees","mentors")]')" \
    "[12, 9, 2, 7]"
expect_eq "remote headcount, participants" \
    "$(j $J '[seg("work_mode","remote")[k] for k in ("headcount","participants","mentees","mentors")]')" \
    "[15, 5, 5, 0]"
expect_eq "remote participation rate" \
    "$(j $J 'seg("work_mode","remote")["participation_rate"]')" 0.333333
# Wilson, z = 1.959964, n = 15, p = 1/3: centre (1/3 + z^2/30) / (1 +
# z^2/15) = 0.367314, half-width z sqrt(p q/15 + z^2/900) / 1.256097 =
# 0.215551.
expect_eq "remote Wilson low" \
    "$(j $J 'seg("work_mode","remote")["participation_rate_ci_low"]')" 0.151763
expect_eq "remote Wilson high" \
    "$(j $J 'seg("work_mode","remote")["participation_rate_ci_high"]')" 0.582865
# ratio (1/3) / (9/12) = 0.444444 < 0.8: flagged.
expect_eq "remote inclusion ratio" \
    "$(j $J 'seg("work_mode","remote")["inclusion_ratio"]')" 0.444444
expect_eq "remote flagged" "$(j $J 'seg("work_mode","remote")["flagged"]')" true
expect_eq "office not flagged, no p" \
    "$(j $J '[seg("work_mode","office")[k] for k in ("flagged","p_value","p_test")]')" \
    "[false, null, null]"
# 5/15 against 9/12: expected counts >= 5 (smallest 12 x 13/27 = 5.78):
# z-test, pooled 14/27, se sqrt(0.518519 x 0.481481 x (1/15 + 1/12)) =
# 0.193516, z = -0.416667 / 0.193516 = -2.15314, p = 0.031308.
expect_eq "remote p test" "$(j $J 'seg("work_mode","remote")["p_test"]')" z
expect_eq "remote p value" "$(j $J 'seg("work_mode","remote")["p_value"]')" 0.031308
# hybrid 1/3 against 9/12: Fisher. Tables with margins 3, 12 / 10, 5 have
# probabilities 66, 660, 1485, 792 (/3003); observed 660: (66 + 660) /
# 3003 = 0.241758.
expect_eq "hybrid p test" "$(j $J 'seg("work_mode","hybrid")["p_test"]')" fisher
expect_eq "hybrid p value" "$(j $J 'seg("work_mode","hybrid")["p_value"]')" 0.241758
# Mentee rates: office 2/12, remote 5/15, hybrid 1/3; the highest is the
# tie 1/3, first by name: hybrid. office 0.166667/0.333333 = 0.5 flagged.
expect_eq "office mentee ratio, flag" \
    "$(j $J '[seg("work_mode","office")[k] for k in ("mentee_ratio","mentee_flagged")]')" \
    "[0.5, true]"
# Mentor rates: office 7/12 highest; remote 0/15: Fisher on 0,15 / 7,5:
# P(0) = C(15,0) C(12,7) / C(27,7) = 792 / 888030 = 0.000892 (the only
# table as unlikely).
expect_eq "remote mentor p value" \
    "$(j $J 'seg("work_mode","remote")["mentor_p_value"]')" 0.000892
# Pairs by mentee's mode, remote: P1 P2 P3 P4 P7; meetings 3+2 over
# 91 x 4 + 30 = 394 days: 150/394 = 0.380711; quiet 14 41 107 121 105:
# median 105; quiet (P3 inactive, P4 P7 never met) 3/5; mentee chose 1 of
# the 4 known; off hours 2 of 5 meetings; engagement (90.563187 +
# 41.090659) / 5 = 26.330769.
expect_eq "remote pair health" \
    "$(j $J '[round(seg("work_mode","remote")[k], 6) for k in ("pairs","meetings_per_pair_month","median_days_quiet","quiet_share","mentee_chose_share","off_hours_share","mean_engagement","bridge_share")]')" \
    "[5, 0.380711, 105.0, 0.6, 0.25, 0.4, 26.330769, 1.0]"
# office mentees: P6 (quiet 34) and P8 (quiet 6): median 20; 2 meetings
# over 45 + 61 days: 0.566038; both meetings off hours.
expect_eq "office pair health" \
    "$(j $J '[round(seg("work_mode","office")[k], 6) for k in ("pairs","meetings_per_pair_month","median_days_quiet","off_hours_share")]')" \
    "[2, 0.566038, 20.0, 1.0]"
expect_eq "hybrid off hours share unknown" \
    "$(j $J 'seg("work_mode","hybrid")["off_hours_share"]')" null

# --- 3.3 surveys -------------------------------------------------------
# belonging, office: 4 5 4 5 4 3: n 6, mean 4.166667, sd sqrt(2.833333/5)
# = 0.752773, t(0.975, 5) = 2.570582: half 0.789987.
expect_eq "belonging office n, mean, sd" \
    "$(j $J '[round(sv("belonging","office")[k], 6) for k in ("n","mean","sd","ci_low","ci_high","favourable")]')" \
    "[6, 4.166667, 0.752773, 3.37668, 4.956653, 0.833333]"
expect_eq "belonging remote counts" "$(j $J 'sv("belonging","remote")["counts"]')" \
    '{"1": 0, "2": 3, "3": 3, "4": 0, "5": 0}'
# Welch: remote 2.5 (var 0.3), office 4.166667 (var 0.566667), n 6 and 6:
# se^2 = 0.05 + 0.094444, t = -4.385290, df = 9.135135, p = 0.001696 (the
# t tail integrated numerically); d = -1.666667 / sqrt(0.433333) =
# -2.531848.
expect_eq "belonging comparison" \
    "$(j $J '[round(cmp("belonging")[k], 6) for k in ("diff","p_value","cohens_d")]')" \
    "[-1.666667, 0.001696, -2.531848]"
# nps, office 10 9 7 3 9: promoters 3, detractors 1: 100 x 2/5 = 40;
# remote 10 6 5 8 9: 2 and 2: 0.
expect_eq "nps office" "$(j $J 'sv("nps","office")["nps"]')" 40.000000
expect_eq "nps remote" "$(j $J 'sv("nps","remote")["nps"]')" 0.000000
# the shares beside the score: office 3/5, 1/5, 1/5; remote 2/5, 1/5, 2/5.
expect_eq "nps shares" \
    "$(j $J '[round(sv("nps",m)[k], 6) for m in ("office","remote") for k in ("promoters","passives","detractors")]')" \
    "[0.6, 0.2, 0.2, 0.4, 0.2, 0.4]"
# nps_diff 0 - 40 = -40 points; variances (0.6 + 0.2 - 0.4^2)/5 = 0.128
# and (0.4 + 0.4 - 0)/5 = 0.16: half 196 x sqrt(0.288) = 105.184638.
expect_eq "nps comparison in NPS points" \
    "$(j $J '[round(cmp("nps")[k], 6) for k in ("nps_diff","nps_diff_ci_low","nps_diff_ci_high")]')" \
    "[-40.0, -145.184638, 65.184638]"
# satisfaction, remote 4 5 4 3 5: mean 4.2, sd sqrt(2.8/4) = 0.836660,
# t(0.975, 4) = 2.776445: 4.2 -+ 1.038853; favourable 4/5.
expect_eq "satisfaction remote" \
    "$(j $J '[round(sv("satisfaction","remote")[k], 6) for k in ("n","mean","sd","ci_low","ci_high","favourable")]')" \
    "[5, 4.2, 0.83666, 3.161149, 5.238851, 0.8]"
# hybrid has 2 respondents (< 5): suppressed; 2 < 5 hidden, so the
# smallest shown, office (5, before remote 5 by name), is suppressed too.
expect_eq "satisfaction hybrid suppressed, nothing else" \
    "$(j $J 'sv("satisfaction","hybrid")')" \
    '{"construct": "satisfaction", "dimension": "work_mode", "segment": "hybrid", "suppressed": true}'
expect_eq "satisfaction office complementary suppression" \
    "$(j $J 'sv("satisfaction","office")')" \
    '{"construct": "satisfaction", "dimension": "work_mode", "segment": "office", "suppressed": true}'
expect_eq "comparison with a suppressed side" "$(j $J 'cmp("satisfaction")')" \
    '{"construct": "satisfaction", "dimension": "work_mode", "reference": "office", "segment": "remote", "suppressed": true}'
# r11's answer of 07-02 and r12's text-only answer do not count: the
# overall figure and three work modes.
expect_eq "answers outside the period" \
    "$(j $J 'len([s for s in d["surveys"] if s["construct"] == "satisfaction"])')" 4

# --- storage -----------------------------------------------------------
expect_eq "run stored" "$(sql 'SELECT count(*), period_start, period_end FROM runs')" \
    "1|2026-04-01|2026-06-30"
expect_eq "pair_health rows" "$(sql 'SELECT count(*) FROM pair_health')" 8
expect_eq "stored result has no pairs" \
    "$(sql "SELECT json_type(result, '\$.pairs') IS NULL, json_type(result, '\$.inclusion') FROM runs")" \
    "1|object"
expect_eq "suppressed metrics hold only the flag" \
    "$(sql "SELECT group_concat(name || '=' || value) FROM metrics WHERE section = 'surveys' AND construct = 'satisfaction' AND segment IN ('office', 'hybrid')")" \
    "suppressed=1.0,suppressed=1.0"

# --- no format shows a suppressed figure --------------------------------
# The hidden groups: office satisfaction 3 5 4 4 2 (mean 3.6, n 5) and
# hybrid 3 5 (mean 4, n 2).
run tether-analyze --quarter 2026Q2 --format csv --trend 2
expect_eq "csv exit status" "$RC" 0
expect_eq "csv suppressed rows are empty" \
    "$(printf '%s\n' "$OUT" | grep '^surveys,satisfaction,work_mode,\(office\|hybrid\)')" \
    "surveys,satisfaction,work_mode,hybrid,true,,,,,,,,,,,,,
surveys,satisfaction,work_mode,office,true,,,,,,,,,,,,,"
expect_eq "csv suppressed comparison is empty" \
    "$(printf '%s\n' "$OUT" | grep '^survey_comparisons,satisfaction')" \
    "survey_comparisons,satisfaction,work_mode,remote,office,true,,,,,,"
expect_no_match "csv trend hides suppressed means" "$OUT" \
    '^trend,.*satisfaction mean,(office|hybrid)'
expect_match "csv trend shows remote satisfaction" "$OUT" \
    '^trend,2026Q2,satisfaction mean,remote,4\.2$'
run tether-analyze --quarter 2026Q2 --format table --trend 2
expect_match "table suppressed row" "$OUT" \
    '^satisfaction +work_mode +office +yes( +-)+$'
expect_no_match "table trend hides suppressed means" "$OUT" \
    'satisfaction mean +(office|hybrid)'
run tether-analyze --quarter 2026Q2 --format json --trend 2
printf '%s\n' "$OUT" >"$T/trend.json"
expect_eq "json trend hides suppressed means" \
    "$(j $T/trend.json '[m for h in d["trend"] for m in h["survey_means"] if m["construct"] == "satisfaction" and m["segment"] != "remote"]')" \
    '[{"construct": "satisfaction", "segment": "hybrid", "suppressed": true}, {"construct": "satisfaction", "segment": "office", "suppressed": true}]'
expect_eq "trend periods" "$(j $T/trend.json '[h["period"]["label"] for h in d["trend"]]')" \
    '["2026Q1", "2026Q2"]'
# 2026Q1: P2, P4, P6 and P7 had never met by 03-31.
expect_eq "trend 2026Q1 never met" \
    "$(j $T/trend.json 'd["trend"][0]["status"]["never_met"]')" 4

# --- the follow-up list ------------------------------------------------
run tether-analyze pairs --quarter 2026Q2 --status inactive,never_met --format csv
expect_eq "pairs list exit status" "$RC" 0
expect_eq "inactive and never met, most quiet first" "$OUT" \
"table,pair_id,program,status,days_quiet,last_meeting,last_contact,mentor_name,mentor_email,mentee_name,mentee_email
follow_up,P4,Bridge,never_met,121,,,Otto Four,o4@example.com,Rui Four,r4@example.com
follow_up,P3,Bridge,inactive,107,2026-03-15,2026-04-20,Omar Three,o3@example.com,Rosa Three,r3@example.com
follow_up,P7,Bridge,never_met,105,,,Ora Eight,o8@example.com,Rhea Five,r5@example.com"
run tether-analyze pairs --quarter 2026Q2
expect_eq "default statuses include at_risk" \
    "$(printf '%s\n' "$OUT" | awk 'NR > 2 {print $1}' | tr '\n' ' ')" "P4 P3 P7 P2 "

# --- dimensions, zones, options ----------------------------------------
run tether-analyze --quarter 2026Q2 --format json --by department,level
printf '%s\n' "$OUT" >"$T/by.json"
# Support: r1-r15 and h1-h3 = 18 people, participants r1-r5 and h1 = 6.
expect_eq "by department" \
    "$(j $T/by.json '[seg("department","Support")[k] for k in ("headcount","participants")]')" \
    "[18, 6]"
# level on as_of: senior o1-o6, o8 = 7, all mentors: 7/7.
expect_eq "by attribute" \
    "$(j $T/by.json '[seg("level","senior")[k] for k in ("headcount","participants")]')" \
    "[7, 7]"
# o3's belonging answer was sent 2026-03-31 23:30 in New York (03:30Z on
# 04-01): outside the quarter in that zone.
run tether-analyze --quarter 2026Q2 --format json --org-timezone America/New_York
printf '%s\n' "$OUT" >"$T/ny.json"
expect_eq "org time zone moves an answer out" \
    "$(j $T/ny.json 'sv("belonging","office")["n"]')" 5
run tether-analyze --quarter 2026Q2 --format json --min-group 2
printf '%s\n' "$OUT" >"$T/mg.json"
# With groups of 2 allowed, hybrid satisfaction (3, 5) shows: mean 4.
expect_eq "min group" "$(j $T/mg.json 'sv("satisfaction","hybrid")["mean"]')" 4.000000
run tether-analyze --quarter 2026Q2 --format json --inactive-factor 1.6 --at-risk-factor 1.2
printf '%s\n' "$OUT" >"$T/f.json"
# P2: 41 > 1.6 x 25 = 40: inactive.
expect_eq "inactive factor" "$(j $T/f.json 'pair("P2")["status"]')" inactive

run tether-analyze --quarter 2026Q9
expect_eq "bad quarter exit" "$RC" 2
expect_eq "bad quarter message" "$ERR" "tether-analyze: '2026Q9' is not a quarter (e.g. 2026Q3)
Try 'tether-analyze --help' for more information."
run tether-analyze --by nosuch --quarter 2026Q2
expect_eq "unknown dimension" "$RC:$ERR" \
    "2:tether-analyze: 'nosuch' is not a dimension (department, site, work_mode or a roster column)
Try 'tether-analyze --help' for more information."
run tether-analyze pairs --status sleeping
expect_eq "bad status" "$RC" 2
expect_match "bad status message" "$ERR" "'sleeping' is not a status"
run tether-analyze --format xml
expect_eq "bad format" "$RC" 2
run tether-analyze --from 2026-04-01
expect_eq "from without to" "$ERR" "tether-analyze: --from and --to go together
Try 'tether-analyze --help' for more information."
run tether-analyze --help
expect_match "help" "$RC:$OUT" '^0:usage: tether-analyze'
run tether-analyze --version
expect_match "version" "$OUT" '^tether-analyze [0-9]'

# The pairs of --format json are written without jansson: text with quotes,
# backslashes and control characters comes back as stored, and every figure
# equals its pair_health value (reals to 12 significant digits).
sql "UPDATE pairs SET program = 'Q\"b\\' || char(9, 1, 31, 10) || 'é ✓' WHERE pair_id = 'P1'"
run tether-analyze --quarter 2026Q2 --format json
printf '%s\n' "$OUT" >"$T/esc.json"
expect_eq "json: pairs as stored" "$(python3 - "$T/esc.json" "$TETHER_DB" <<'PY'
import json, sqlite3, sys
d = json.load(open(sys.argv[1]))
db = sqlite3.connect(sys.argv[2])
run = db.execute("SELECT max(id) FROM runs").fetchone()[0]
cur = db.execute("SELECT p.pair_id, p.program, h.* FROM pair_health h "
                 "JOIN pairs p ON p.id = h.pair WHERE h.run = ?", (run,))
names = [c[0] for c in cur.description]
bad = 0
for row in cur:
    r = dict(zip(names, row))
    p = next(x for x in d["pairs"] if x["pair_id"] == r["pair_id"])
    for k, v in r.items():
        if k in ("run", "pair", "mentor_mode", "mentee_mode"):
            continue
        w = p[k]
        if k == "bridge":
            v = bool(v)
        if isinstance(v, float):
            bad += not (isinstance(w, float) and abs(w - v) <= 1e-11 * max(1, abs(v)))
        else:
            bad += w != v
print(bad, len(d["pairs"]), repr(next(x["program"] for x in d["pairs"] if x["pair_id"] == "P1")))
PY
)" "0 8 'Q\"b\\\\\\t\\x01\\x1f\\né ✓'"


# --- sample-data/small: the effects tether-sample planted ---------------
S=$ROOT/sample-data/small
if [ -f "$S/manifest.json" ]; then
    export TETHER_DB=$T/sample.db
    # Load every input file with the command the manifest names.
    python3 - "$S/manifest.json" >"$T/loads" <<'PY'
import json, sys
for f in json.load(open(sys.argv[1]))["files"]:
    if f["kind"] != "expected" and f.get("load"):
        print(f["load"] + " --quiet " + f["path"])
PY
    (cd "$S" && while read -r line; do $line >/dev/null 2>&1; done <"$T/loads")
    Q=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["period"]["analysis_quarter"])' "$S/manifest.json")
    run tether-analyze --quarter "$Q" --by level --format json
    expect_eq "sample: exit status" "$RC" 0
    printf '%s\n' "$OUT" >"$T/sample.json"
    # c NAME EXPR: EXPR over d (the analysis) and m (the planted effects)
    # must be true.
    c() {
        if python3 - "$T/sample.json" "$S/manifest.json" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
m = json.load(open(sys.argv[2]))["planted"]
seg = lambda dim, s: next(x for x in d["inclusion"][dim] if x["segment"] == s)
ok = eval(sys.argv[3])
sys.exit(0 if ok else 1)
PY
        then ok "$1"; else fail "$1" "false: $2"; fi
    }
    c "sample: participation by work mode as planted" \
        'all(abs(seg("work_mode", k)[f] - v[f]) < 1e-9 for k, v in m["participation"]["by_work_mode"].items() for f in ("headcount", "participants", "mentees", "mentors", "participation_rate", "inclusion_ratio"))'
    c "sample: remote participation flagged" \
        'seg("work_mode", "remote")["flagged"] and seg("work_mode", "remote")["inclusion_ratio"] < 0.8'
    c "sample: pair statuses as planted" \
        'd["summary"]["status"] == m["pair_status"]["counts"]'
    c "sample: the never-met and faded pairs are the planted ones" \
        'all(sorted(p["pair_id"] for p in d["pairs"] if p["status"] == s) == sorted(ids) for s, ids in m["pair_status"]["ids"].items())'
    c "sample: faded pairs are inactive" \
        'all(next(p for p in d["pairs"] if p["pair_id"] == i)["status"] == "inactive" for i in m["pair_status"]["faded_out_ids"])'
    c "sample: remote belonging lower" \
        'next(x for x in d["survey_comparisons"] if x["construct"] == "belonging")["diff"] < 0 and abs(next(x for x in d["survey_comparisons"] if x["construct"] == "belonging")["diff"] - m["belonging"]["remote_minus_office"]) < 1e-9'
    c "sample: belonging means as planted" \
        'all(abs(next(x for x in d["surveys"] if x["construct"] == "belonging" and x["dimension"] == "work_mode" and x["segment"] == k)["mean"] - v["mean"]) < 1e-6 for k, v in m["belonging"]["by_work_mode"].items())'
    c "sample: the small group is suppressed with nothing but the flag" \
        'all(set(x) == {"construct", "dimension", "segment", "suppressed"} and x["suppressed"] for x in d["surveys"] if x["dimension"] == m["suppressed_group"]["dimension"] and x["segment"] == m["suppressed_group"]["segment"]) and any(x["segment"] == m["suppressed_group"]["segment"] for x in d["surveys"])'
    c "sample: the relocated mentor is judged in his new zone" \
        'all(any(p["pair_id"] == e["pair_id"] and p["tz_gap_hours"] == e["tz_gap_hours"] and [p[k] for k in ("meetings", "off_hours", "off_hours_mentor", "off_hours_mentee")] == [e[k] for k in ("meetings", "off_hours", "off_hours_mentor", "off_hours_mentee")] for p in d["pairs"]) for e in m["cross_zone"]["examples"] if e["pair_id"] in m["relocated_mentor"]["pairs"])'
    c "sample: every cross-zone example as planted" \
        'all(any(p["pair_id"] == e["pair_id"] and p["tz_gap_hours"] == e["tz_gap_hours"] and [p[k] for k in ("meetings", "off_hours", "off_hours_mentor", "off_hours_mentee")] == [e[k] for k in ("meetings", "off_hours", "off_hours_mentor", "off_hours_mentee")] for p in d["pairs"]) for e in m["cross_zone"]["examples"])'
    # The summaries are inferred from the message trace's e-mails
    # (meetings.csv leaves summary_sent empty for the meetings followed by
    # one): as many as were planted in the quarter, give or take an e-mail
    # that an impromptu call came before.
    c "sample: the summaries inferred are the planted ones" \
        'abs(sum(round(p["summary_rate"] * p["meetings"]) for p in d["pairs"] if p["summary_rate"] is not None) - m["summaries"]["meetings_with_summary"]) <= 2'
    c "sample: contacts between meetings counted" \
        'all(p["between_contacts"] >= (p["mentee_initiated"] or 0) for p in d["pairs"]) and sum(p["between_contacts"] for p in d["pairs"]) > 0'
    run tether-analyze --quarter "$Q" --by level --format csv
    G=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["planted"]["suppressed_group"]["segment"])' "$S/manifest.json")
    expect_no_match "sample: csv has no figure of the small group" "$OUT" \
        "^surveys,[a-z_]+,level,$G,(false|true,.*[0-9])"
    run tether-analyze --quarter "$Q" --by level --format table
    expect_no_match "sample: table has no figure of the small group" "$OUT" \
        "^[a-z_]+ +level +$G +(no|yes.*[0-9])"
fi

