#!/usr/bin/env bash
# test_messages_slack.sh - a rejected Slack message is named by its place
# (SPEC 1.5: FILE:LINE): the day file inside the export (for a zip, the
# entry's whole name after the zip's), the line its message begins on,
# and the reject log says which day file too (its path is the export's).
. "$(dirname "$0")/lib.sh"

D=$ROOT/tests/data/messages
tether-collect people -q --as-of 2026-01-01 "$D/people.csv"
tether-collect pairs -q "$D/pairs.csv"

# The test export, with a day of D1 (m2 and e2, pair S2) written as Slack
# writes it (four spaces of indent): the third message's ts is no time,
# and it is between a pair, so it is rejected; it begins on line 14.
mkdir -p "$T/export"
cp -r "$D/slack/." "$T/export/"
cat >"$T/export/D1/2026-04-25.json" <<'JSON'
[
    {
        "type": "message",
        "user": "UM2",
        "text": "See you then.",
        "ts": "1777100000.000100"
    },
    {
        "type": "message",
        "subtype": "channel_join",
        "user": "UE2",
        "ts": "1777100100.000200"
    },
    {
        "type": "message",
        "user": "UE2",
        "text": "When?",
        "ts": "soon"
    }
]
JSON
(cd "$T" && python3 -c '
import os, sys, zipfile
with zipfile.ZipFile("export.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for d, _, fs in sorted(os.walk("export")):
        for f in sorted(fs):
            z.write(os.path.join(d, f))
')
NODATE="message slack:D1:soon from e2@org.test has no date (no ts time stamp)"

run tether-collect messages "$T/export.zip"
expect_eq "slack zip: each reject names the zip's entry and the line" "$RC $ERR" \
    "1 $T/export.zip:export/D1/2026-04-22.json:3: column 19: unexpected newline near '\"cut off'
$T/export.zip:export/D1/2026-04-25.json:14: $NODATE
$T/export.zip: 17 rows: 6 loaded, 10 skipped, 2 rejected"
expect_eq "slack zip: the reject log names the entry, and keeps the message" \
    "$(sql "SELECT line || ' ' || reason || ' | ' || coalesce(raw, '') FROM rejects ORDER BY id")" \
    "3 in export/D1/2026-04-22.json: column 19: unexpected newline near '\"cut off' | 
14 in export/D1/2026-04-25.json: $NODATE | {\"text\":\"When?\",\"ts\":\"soon\",\"type\":\"message\",\"user\":\"UE2\"}"

rm -f "$TETHER_DB"
tether-collect people -q --as-of 2026-01-01 "$D/people.csv"
tether-collect pairs -q "$D/pairs.csv"
run tether-collect messages "$T/export"
expect_eq "slack folder: the day file's path and the line" "$RC $ERR" \
    "1 $T/export/D1/2026-04-22.json:3: column 19: unexpected newline near '\"cut off'
$T/export/D1/2026-04-25.json:14: $NODATE
$T/export: 17 rows: 6 loaded, 10 skipped, 2 rejected"
expect_eq "slack folder: the reject log names the day file" \
    "$(sql "SELECT line || ' ' || reason FROM rejects WHERE reason LIKE '%no date%'")" \
    "14 in D1/2026-04-25.json: $NODATE"
