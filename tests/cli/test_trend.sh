#!/usr/bin/env bash
# test_trend.sh - with --trend N, the N-1 earlier periods are worked out
# by a second process beside the period itself (on the other core) and
# handed back as JSON. Each earlier period's figures in the trend must be
# exactly those of that period analysed on its own, and the stored run the
# same as when no second process is used (--trend 1 of each period).
. "$(dirname "$0")/lib.sh"
S=$ROOT/sample-data/small

tether-collect people --as-of 2025-10-01 "$S/people.csv" >/dev/null 2>&1
tether-collect people --as-of 2026-07-01 "$S/people-2.csv" >/dev/null 2>&1
tether-collect pairs "$S/pairs.csv" >/dev/null 2>&1
tether-collect meetings "$S/meetings.csv" >/dev/null 2>&1
tether-collect survey --questions "$S/questions.csv" "$S/responses.csv" \
    >/dev/null 2>&1

run tether-analyze --quarter 2026Q3 --by department,site --trend 4 --format json
expect_eq "trend of four: exit status" "$RC" 0
printf '%s\n' "$OUT" >"$T/trend4.json"
for q in 2025Q4 2026Q1 2026Q2 2026Q3; do
    tether-analyze --quarter $q --by department,site --trend 1 --format json \
        >"$T/$q.json" 2>/dev/null
done
# same Q: the trend's entry for Q against the headline of Q alone, both as
# JSON with sorted keys (the numbers as printed).
same() {
    python3 - "$T/trend4.json" "$T/$1.json" "$1" <<'PY'
import json, sys
four = json.load(open(sys.argv[1]))["trend"]
alone = json.load(open(sys.argv[2]))["trend"][0]
entry = next(e for e in four if e["period"]["label"] == sys.argv[3])
print("same" if json.dumps(entry, sort_keys=True) == json.dumps(alone, sort_keys=True)
      else "differ: %s / %s" % (json.dumps(entry)[:300], json.dumps(alone)[:300]))
PY
}
for q in 2025Q4 2026Q1 2026Q2 2026Q3; do
    expect_eq "trend entry $q: the figures of $q analysed alone" "$(same $q)" same
done
expect_eq "trend of four: the quarters in order" \
    "$(python3 -c 'import json,sys; print(" ".join(e["period"]["label"] for e in json.load(open(sys.argv[1]))["trend"]))' "$T/trend4.json")" \
    "2025Q4 2026Q1 2026Q2 2026Q3"
expect_match "trend entries carry figures" "$(cat "$T/trend4.json")" \
    '"trend": ?\[\{"period": ?\{"label": ?"2025Q4".*"pairs": ?[1-9][0-9]*'
