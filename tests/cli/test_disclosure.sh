#!/usr/bin/env bash
# test_disclosure.sh - survey privacy against a determined reader (SPEC 3.3
# rules 1-6, 3.1 and 4's --anonymize): the attacks of issue 13 on small
# hand-made organisations, and a generalised attacker (attacker.py, exact
# fractions) over every output of one run and of two published runs.
. "$(dirname "$0")/lib.sh"
D="$ROOT/tests/data/disclosure"
ATTACK="$ROOT/tests/cli/attacker.py"
PY=/usr/bin/python3
cd "$T" || exit 1

load() {
    run tether-collect people -q --as-of 2026-01-01 "$D/Zelda Secret3 roster.csv"
    run tether-collect pairs -q "$D/pairs.csv"
    run tether-collect meetings -q "$D/meetings.csv"
    run tether-collect survey -q --questions "$D/questions.csv" "$1"
}
# seg FILE DIM SEGMENT: "n mean" of a segment, or "suppressed".
seg() {
    $PY - "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for s in d["surveys"]:
    if (s["dimension"], s["segment"]) == (sys.argv[2], sys.argv[3]):
        print("suppressed" if s["suppressed"] else "%d %.4f" % (s["n"], s["mean"]))
PY
}

# --- across dimensions in one run ------------------------------------------
# Engineering: five in London (5, 4, 4, 4, 4) and one remote person at
# site Remote who answered 1; Sales: six in Paris, four in Berlin.
load "$D/responses.csv"
run tether-analyze --quarter 2026Q3 --by department,site --format json
printf '%s\n' "$OUT" >one.json
expect_eq "one run: exit status" "$RC" 0
expect_eq "Engineering is shown (6 answers)" "$(seg one.json department Engineering)" "6 3.6667"
expect_eq "the remote group of one is suppressed" "$(seg one.json site Remote)" "suppressed"
# The attack: 6 x mean(Engineering) - 5 x mean(London) = the remote answer.
expect_eq "London is suppressed: Engineering minus London is not there to take" \
    "$(seg one.json site London)" "suppressed"
expect_eq "Sales minus Paris would give Berlin's four: Paris is suppressed" \
    "$(seg one.json site Paris)" "suppressed"
expect_eq "rule 6: tether-analyze says what rules 2, 3 and 5 suppressed" "$ERR" \
    "tether-analyze: 3 survey segments suppressed by rules 2, 3, 5 (complementary 1, differencing 2, homogeneous 0)"
expect_eq "the overall figure is published" "$(seg one.json all all)" "16 3.7500"
run $PY "$ATTACK" "$TETHER_DB" 5 one.json
expect_eq "generalised attacker on one run: nothing exposed" "$OUT" "exposed 0"
# With four dimensions the attacker still finds nothing.
run tether-analyze --quarter 2026Q3 --by department,site,manager_email --format json
printf '%s\n' "$OUT" >four.json
run $PY "$ATTACK" "$TETHER_DB" 5 four.json
expect_eq "generalised attacker, three dimensions and work mode: nothing exposed" "$OUT" "exposed 0"

# --- rule 5: a group that all gave one answer ---------------------------------
# Every Paris answer is 4: showing it would show six people's answers.
export TETHER_DB="$T/homogeneous.db"
sed -e '/,s[1-6],/s/,q1,[0-9]$/,q1,4/' "$D/responses.csv" >homogeneous.csv
load homogeneous.csv
run tether-analyze --quarter 2026Q3 --by department,site --format json
printf '%s\n' "$OUT" >homogeneous.json
expect_eq "a homogeneous group shows n and homogeneous only" "$($PY - homogeneous.json <<'PY'
import json, sys
for s in json.load(open(sys.argv[1]))["surveys"]:
    if s["segment"] == "Paris":
        print(json.dumps(s, sort_keys=True))
PY
)" '{"construct": "satisfaction", "dimension": "site", "homogeneous": true, "n": 6, "segment": "Paris", "suppressed": false}'
expect_eq "rule 6 counts it" "$ERR" \
    "tether-analyze: 3 survey segments suppressed by rules 2, 3, 5 (complementary 1, differencing 1, homogeneous 1)"
run $PY "$ATTACK" "$TETHER_DB" 5 homogeneous.json
expect_eq "generalised attacker with a homogeneous group: nothing exposed" "$OUT" "exposed 0"
export TETHER_DB="$T/t.db"

# --- per pair -----------------------------------------------------------------
expect_eq "pairs carry no survey figure, engagement has no survey term" "$($PY - one.json <<'PY'
import json, sys
for p in json.load(open(sys.argv[1]))["pairs"]:
    rec = max(0.0, 1 - p["days_quiet"] / (2 * 14 if p["pair_id"] == "P1" else 2 * 30))
    eng = 100 * (0.625 * p["cadence_adherence"] + 0.375 * rec)
    print(p["pair_id"], "satisfaction" in p, "%.6f" % abs(p["engagement"] - eng))
PY
)" "P1 False 0.000000
P2 False 0.000000"
run tether-analyze --quarter 2026Q3 --format csv
expect_eq "the pairs table of the CSV has no satisfaction column" \
    "$(printf '%s\n' "$OUT" | grep '^table,pair_id' | grep -c satisfaction)" 0

# --- --anonymize --------------------------------------------------------------
run tether-analyze --quarter 2026Q3 --by manager_email,site --format json
run tether-report --quarter 2026Q3 --out "$T/anon" --anonymize --quiet
expect_eq "anonymized report: exit status" "$RC" 0
{
    cat "$T"/anon/*.csv
    unzip -p "$T"/anon/*.xlsx | $PY -c 'import html, sys; print(html.unescape(sys.stdin.read()))'
    pdftotext -raw "$T"/anon/*.pdf -
    tether-report --quarter 2026Q3 --out "$T/anon-svg" --anonymize --charts svg --quiet >/dev/null
    cat "$T"/anon-svg/*.svg | $PY -c 'import html, sys; print(html.unescape(sys.stdin.read()))'
} >anon.txt
leaks=$(grep -o -i -E 'zelda|secret3|yann|[a-z0-9]+@example\.com' anon.txt | sort -u | tr '\n' ' ')
expect_eq "no file name, name or e-mail in any anonymized output" "$leaks" ""
expect_match "manager segments are pseudonyms" "$(cat anon.txt)" "person-[0-9a-f]{10}@example.invalid"
run tether-report --quarter 2026Q3 --out "$T/plain" --quiet
expect_eq "the run a report renders is published" \
    "$(sql "SELECT published FROM runs ORDER BY id DESC LIMIT 1")" 1
expect_eq "the workbook's Pairs sheet has no survey column" "$($PY - "$T"/plain/*.xlsx <<'PY'
import sys
import openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Pairs"]
head = [str(c.value) for c in next(ws.iter_rows(max_row=1))]
print(len(head) > 10, [h for h in head if "atisf" in h])
PY
)" "True []"
expect_match "(the plain report does show the file name)" \
    "$(unzip -p "$T"/plain/*.xlsx | $PY -c 'import html, sys; print(html.unescape(sys.stdin.read()))')" \
    "Zelda Secret3 roster.csv"
expect_match "the methodology states the guarantee" \
    "$(pdftotext -raw "$T"/plain/*.pdf - | tr '\n' ' ')" \
    "no published figure, alone or combined with any other published figure, gives a single person's answer"

# --- across runs, one day apart -----------------------------------------------
export TETHER_DB="$T/runs.db"
# Five remote answers (5 5 4 4 5: mean 4.6) by 9 August, a sixth (1) on
# the 10th; ten office answers.
$PY - >runs.csv <<'PY'
print("survey_id,respondent,submitted_at,question_id,value")
for p, v in zip(["e1", "e2", "e3", "e4", "e5"], [5, 5, 4, 4, 5]):
    print("pulse,%s,2026-08-03T10:00:00Z,q1,%d" % (p, v))
print("pulse,e6,2026-08-10T10:00:00Z,q1,1")
for i, v in enumerate([3, 4, 4, 5, 3, 2, 4, 5, 4, 3]):
    print("pulse,s%d,2026-08-03T10:00:00Z,q1,%d" % (i + 1, v))
PY
# e1..e5 are remote in this organisation.
sed -e 's/,London,office,/,London,remote,/' "$D/Zelda Secret3 roster.csv" >roster.csv
run tether-collect people -q --as-of 2026-01-01 roster.csv
run tether-collect pairs -q "$D/pairs.csv"
run tether-collect survey -q --questions "$D/questions.csv" runs.csv
run tether-analyze --from 2026-08-01 --to 2026-08-09 --publish --format json
printf '%s\n' "$OUT" >run1.json
expect_eq "first window: remote shown" "$(seg run1.json work_mode remote)" "5 4.6000"
expect_eq "the published run is stored as published" \
    "$(sql "SELECT published FROM runs ORDER BY id DESC LIMIT 1")" 1
run tether-analyze --from 2026-08-01 --to 2026-08-10 --format json
printf '%s\n' "$OUT" >run2.json
expect_eq "a day later: remote (one more answer) is suppressed" \
    "$(seg run2.json work_mode remote)" "suppressed"
# Remote = overall - office: office's ten answers are the first window's
# too (removing it would change nothing), so the overall figure goes.
expect_eq "a day later: the overall figure would give remote back" \
    "$(seg run2.json all all)" "suppressed"
expect_eq "a day later: office, the same ten answers as before, stays" \
    "$(seg run2.json work_mode office)" "10 3.7000"
expect_eq "a plain run adds nothing to the published runs" \
    "$(sql "SELECT group_concat(published) FROM (SELECT published FROM runs ORDER BY id)")" "1,0"
run $PY "$ATTACK" "$TETHER_DB" 5 run1.json run2.json
expect_eq "generalised attacker on two runs: nothing exposed" "$OUT" "exposed 0"
# A corrected answer is a new unknown; the old one is kept for the
# published run.
sed -e 's/^pulse,e6,2026-08-10T10:00:00Z,q1,1$/pulse,e6,2026-08-10T10:00:00Z,q1,2/' \
    -e 's/^pulse,e1,2026-08-03T10:00:00Z,q1,5$/pulse,e1,2026-08-03T10:00:00Z,q1,3/' runs.csv >fixed.csv
run tether-collect survey -q --questions "$D/questions.csv" fixed.csv
expect_eq "corrected answers keep their old rows" \
    "$(sql "SELECT group_concat(value) FROM (SELECT value FROM responses_history ORDER BY value)")" "1.0,5.0"
run tether-analyze --from 2026-08-01 --to 2026-08-10 --format json
printf '%s\n' "$OUT" >run3.json
expect_eq "after the correction the published first window still counts" \
    "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["disclosure"]["published_views"])' run3.json)" 1
# A roster corrected on the same as-of date keeps the version it replaces.
sed -e 's/^e6,Fay Six,e6@example.com,Engineering,Remote,remote,/e6,Fay Six,e6@example.com,Engineering,London,remote,/' roster.csv >roster-fixed.csv
run tether-collect people -q --as-of 2026-01-01 roster-fixed.csv
expect_eq "the corrected roster version is kept" \
    "$(sql "SELECT p.person_id || ' ' || h.site || ' ' || (h.superseded_by > h.import_id) FROM person_versions_history h JOIN people p ON p.id = h.person")" "e6 Remote 1"
