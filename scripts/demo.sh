#!/usr/bin/env bash
# demo.sh - the whole pipeline on the committed sample organisation:
# collect every file of sample-data/small, analyze the last quarter,
# render the report, and say where everything is.
set -euo pipefail
umask 077 # the results hold personal data
cd "$(dirname "$0")/.."
S=sample-data/small
OUT=demo-out
BIN=${BIN:-bin}
QUARTER=2026Q3
rm -rf "$OUT"
mkdir -m 0700 "$OUT"
export TETHER_DB="$OUT/tether.db"

step() { printf '\n== %s\n' "$*"; }
# collect exits 1 when some rows were rejected: the demo goes on and shows it.
collect() { "$BIN/tether-collect" "$@" || [ $? -eq 1 ]; }

step "roster snapshots"
collect people --as-of 2025-10-01 "$S/people.csv"
collect people --as-of 2026-07-01 "$S/people-2.csv"
step "mentoring pairs"
collect pairs "$S/pairs.csv"
step "meetings: canonical CSV, calendar export, Zoom and Teams reports"
collect meetings "$S/meetings.csv"
[ -f "$S/calendar.ics" ] && collect meetings "$S/calendar.ics"
for f in "$S"/zoom/*.csv; do [ -f "$f" ] && collect meetings --quiet --format zoom --timezone UTC "$f"; done
for f in "$S"/teams/*.csv; do [ -f "$f" ] && collect meetings --quiet --format teams --timezone UTC "$f"; done
step "between the meetings: message trace, a mentor's mailbox, Slack export"
[ -f "$S/mail/message-trace.csv" ] && collect messages "$S/mail/message-trace.csv"
for f in "$S"/mail/*.mbox; do
    # The mailbox's owner, as the manifest's load command names him.
    [ -f "$f" ] && collect messages --owner "$(python3 -c 'import json, sys; print(next(f["load"] for f in json.load(open(sys.argv[1]))["files"] if f["path"] == sys.argv[2]).split()[-1])' "$S/manifest.json" "${f#"$S/"}")" "$f"
done
[ -f "$S/slack-export.zip" ] && collect messages "$S/slack-export.zip"
step "surveys: long form, Google Forms and Qualtrics exports"
collect survey --questions "$S/questions.csv" "$S/responses.csv"
[ -f "$S/map-google.csv" ] && collect survey --map "$S/map-google.csv" "$S/survey-google.csv"
[ -f "$S/map-qualtrics.csv" ] && collect survey --map "$S/map-qualtrics.csv" "$S/survey-qualtrics.csv"
step "what the database holds"
"$BIN/tether-collect" status
step "analysis of $QUARTER"
"$BIN/tether-analyze" pairs --quarter "$QUARTER" >"$OUT/follow-up.txt"
# The sample's levels are L1 to L5 and Executive: one has no number, so
# the order is given for promotion (SPEC 3.7).
LEVELS=--level-order=L1,L2,L3,L4,L5,Executive
"$BIN/tether-analyze" --quarter "$QUARTER" --trend 4 --by department,site \
    "$LEVELS" --format table | tee "$OUT/analysis.txt"
step "program impact"
"$BIN/tether-analyze" impact --quarter "$QUARTER" "$LEVELS" | tee "$OUT/impact.txt"
"$BIN/tether-analyze" --quarter "$QUARTER" --trend 4 --by department,site \
    "$LEVELS" --format json >"$OUT/analysis.json"
step "report"
"$BIN/tether-report" --quarter "$QUARTER" --out "$OUT/report" >"$OUT/report-files.txt"
cat "$OUT/report-files.txt"
cat <<MSG

The demo's results are in $OUT/:
  $OUT/tether.db          the database (open it with sqlite3)
  $OUT/analysis.txt       the analysis of $QUARTER as a table
  $OUT/analysis.json      the same as JSON, program impact included
  $OUT/impact.txt         program impact: retention, promotion, pair survival
  $OUT/follow-up.txt      pairs to follow up
  $OUT/report/            the workbook, the PDF report, the charts and CSV files
MSG
