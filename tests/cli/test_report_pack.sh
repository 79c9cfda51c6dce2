#!/usr/bin/env bash
# test_report_pack.sh - the quarterly pack of a generated organisation of
# 3,000 people, read as its reader would: every e-mail address of the PDF
# whole, the NPS in points of the score, p-values below 0.001 written
# "< 0.001", each four-fifths reference named, no page that ends on a
# table's header, the follow-up list within two pages; and the pack made
# again after a different ad-hoc analysis.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
S=$T/org

tether-sample --seed 5 --people 3000 --quarters 4 --until 2026Q3 \
    --out "$S" >/dev/null 2>&1
c() { tether-collect "$@" >/dev/null 2>&1 || true; }
c people --as-of 2025-10-01 "$S/people.csv"
[ -f "$S/people-2.csv" ] && c people --as-of 2026-07-01 "$S/people-2.csv"
c pairs "$S/pairs.csv"
c meetings "$S/meetings.csv"
c survey --questions "$S/questions.csv" "$S/responses.csv"

# The pack's options (the roster has department, site and level): the
# report renders this very run.
tether-analyze --quarter 2026Q3 --by department,site,level --trend 4 \
    --format json >"$T/a.json" 2>/dev/null
run tether-report --quarter 2026Q3 --out "$T/rep" --pdf --xlsx
expect_eq "the pack's run, in words" "$RC/$ERR" \
    "0/tether-report: analysis of 2026Q3 by department, site and level, with four quarters of trend, run on $(date -u '+%-d %B %Y')"
expect_eq "the analysis's run is rendered" "$(sql 'SELECT count(*) FROM runs')" 1
PDF=$T/rep/tether-2026Q3.pdf
pages=$(pdfinfo "$PDF" | sed -n 's/^Pages: *//p')
for i in $(seq 1 "$pages"); do
    pdftotext -layout -f "$i" -l "$i" "$PDF" "$T/page-$i.txt"
done
pdftotext -raw "$PDF" "$T/all.txt"

# Every e-mail address in the PDF is one of the roster's, whole.
$PY - "$S/people.csv,$S/people-2.csv" "$T/all.txt" >"$T/emails.txt" <<'PY'
import csv, re, sys
roster = {r["email"].lower() for f in sys.argv[1].split(",")
          for r in csv.DictReader(open(f))}
text = open(sys.argv[2]).read()
found = re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*", text)
bad = sorted({e for e in found if e.lower() not in roster})
print(len(found), bad)
PY
read -r n_emails bad <"$T/emails.txt"
if [ "$n_emails" -ge 40 ]; then ok "the follow-up list has e-mails ($n_emails)"; else
    fail "the follow-up list has e-mails" "only $n_emails"; fi
expect_eq "every e-mail address whole" "$bad" "[]"

# The NPS sentence in points of the score (SPEC 3.3).
want=$($PY - "$T/a.json" <<'PY'
import json, math, sys
d = json.load(open(sys.argv[1]))
def nps(seg):
    return [s for s in d["surveys"] if s["construct"] == "nps"
            and s["dimension"] == "work_mode" and s["segment"] == seg][0]["nps"]
def signed(v):
    r = math.floor(v + 0.5)
    return ("\u2212%d" % -r) if r < 0 else ("+%d" % r if r > 0 else "0")
c = [x for x in d["survey_comparisons"] if x["construct"] == "nps"][0]
print("Remote respondents give the program a Net Promoter Score of %s, "
      "against %s for office respondents: %d NPS points %s"
      % (signed(nps("remote")), signed(nps("office")),
         math.floor(abs(c["nps_diff"]) + 0.5),
         "lower" if c["nps_diff"] < 0 else "higher"))
PY
)
expect_match "NPS sentence" "$(tr '\n' ' ' <"$T/all.txt")" "${want//+/\\+}"
expect_no_match "no sentence of the 0-10 mean" "$(tr '\n' ' ' <"$T/all.txt")" \
    'rate the program \(NPS\) [0-9.]+ NPS points'

# p-values below 0.001 read "< 0.001"; none reads 0.000.
small=$($PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(sum(1 for l in d["inclusion"].values() for s in l
          if s.get("p_value") is not None and s["p_value"] < 0.001))' "$T/a.json")
if [ "$small" -ge 1 ]; then ok "the analysis has p < 0.001 ($small)"; else
    fail "the analysis has p < 0.001" "none"; fi
# (the survey sentences may add theirs)
expect_eq "each reads < 0.001 in the PDF" \
    "$(($(grep -o '< 0\.001' "$T/all.txt" | wc -l) >= small))" 1
expect_eq "no p-value reads 0.000" "$(grep -c '0\.000\b' "$T/all.txt")" 0

# Each dimension's reference is named under its table.
refs=$($PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
for dim, l in d["inclusion"].items():
    print("Reference: %s," % l[0]["reference"])' "$T/a.json")
while IFS= read -r line; do
    expect_match "named: $line" "$(cat "$T/all.txt")" "$line"
done <<<"$refs"

# No page ends on a table's header (its last line before the footer).
ends=""
for i in $(seq 1 "$pages"); do
    last=$(grep -v '^\s*$' "$T/page-$i.txt" | grep -v 'Mentoring program report' | tail -1)
    case "$last" in
    *Headcount*"In a pair"* | *Mentee*Mentor*Status* | *Construct*Group*) ends="$ends $i" ;;
    esac
done
expect_eq "no page ends on a table header" "$ends" ""

# The follow-up list: by program, at most two pages.
first=$(grep -l 'Pairs to follow up' "$T"/page-*.txt | sed 's/.*page-//; s/\.txt//' | sort -n | head -1)
surveys=$(grep -l '^ *Surveys *$' "$T"/page-*.txt | sed 's/.*page-//; s/\.txt//' | sort -n | head -1)
expect_eq "follow-up list within two pages" "$((surveys - first <= 2))" 1
expect_match "grouped by program" "$(cat "$T/all.txt")" \
    '^[A-Z][A-Za-z ]+: [0-9]+ pairs? to follow up$'

# A first page that stands alone: the three figures and what to do next.
expect_match "page 1 says what to do next" "$(cat "$T/page-1.txt")" 'What to do next'
expect_match "page 1 has the follow-up figure" "$(cat "$T/page-1.txt")" \
    'active pairs need'

# The workbook at this size: Excel tables, one page wide.
$PY - "$T/rep/tether-2026Q3.xlsx" <<'PY'
import sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb:
    fit = ws.sheet_properties.pageSetUpPr
    ok = fit is not None and fit.fitToPage and ws.page_setup.fitToHeight == 0
    print(("ok - " if ok else "not ok - ") + ws.title + " prints one page wide")
tables = sorted(t for ws in wb for t in ws.tables.keys())
want = ["Impact1", "Impact2", "Impact3", "Impact4", "Impact5", "Imports",
        "Inclusion", "MeetingHours", "Pairs", "SummaryParticipation",
        "SummaryStatus", "SurveyComparisons", "Surveys", "TimeZones", "Trends"]
print(("ok - " if tables == want else "not ok - ") + "every table an Excel table")
if tables != want:
    print("    actual: %r" % tables)
PY

# An ad-hoc analysis with other options changes nothing the pack renders.
tether-analyze --quarter 2026Q3 --by site --trend 1 --min-group 3 >/dev/null 2>&1
runs=$(sql 'SELECT count(*) FROM runs')
run tether-report --quarter 2026Q3 --out "$T/again" --pdf
expect_eq "the pack's run is found again" "$RC/$(sql 'SELECT count(*) FROM runs')" \
    "0/$runs"
expect_eq "the same PDF" "$(cmp -s "$PDF" "$T/again/tether-2026Q3.pdf" && echo same)" same
