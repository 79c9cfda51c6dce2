#!/usr/bin/env bash
# test_messages.sh - tether-collect messages (SPEC 1.3a): mailboxes, a
# message, message traces, an e-mail log and a Slack export become
# contacts of the pairs they are between, with their initiator and only
# their metadata; the analysis infers the summaries after meetings and
# counts the contacts between them (3.1, 3.2), whatever the order of the
# imports. The data set (tests/data/messages) is made so that each figure
# below can be checked by hand: see the comments beside each file's
# messages.
. "$(dirname "$0")/lib.sh"

D=$ROOT/tests/data/messages
R=$ROOT/tests/data/real/comms
load_org() {
    tether-collect people -q --as-of 2026-01-01 "$D/people.csv" &&
        tether-collect pairs -q "$D/pairs.csv"
}
load_org
contacts_of() {
    sql "SELECT c.source_key || ' ' || c.medium || ' ' || c.initiator FROM contacts c JOIN pairs p ON p.id = c.pair WHERE p.pair_id = '$1' ORDER BY c.started_at"
}

# --- the mailbox of m1 -----------------------------------------------------
run tether-collect messages "$D/m1.mbox"
expect_eq "mbox: exit 1 (a rejected message)" "$RC" 1
expect_eq "mbox: the message without a date is rejected at its separator" \
    "$ERR" "$D/m1.mbox:67: message msg:broken-date@org.test from m1@org.test has no date (no Date header, Received line or mbox date)
$D/m1.mbox: 8 rows: 4 loaded, 3 skipped, 1 rejected"
# Eight messages: an unescaped "From what I saw" inside a body and a
# separator without a blank line before it split nothing and lose nothing;
# the invitation (text/calendar), the message to six and the one to x1 are
# no contacts.
expect_eq "mbox: four contacts of S1, who sent each" "$(contacts_of S1)" \
    "msg:s1-summary@org.test email mentor
msg:s1-after-b@org.test email mentor
msg:s1-urgent@org.test email mentee
msg:s1-late@org.test email mentee"
expect_eq "mbox: only metadata is kept" \
    "$(sql "SELECT sender || ' > ' || recipients || ' @' || sent_at FROM messages WHERE source_key = 'msg:s1-urgent@org.test'")" \
    "e1@org.test > m1@org.test @1776675600"
expect_eq "mbox: no subject or body anywhere in the database" \
    "$(sqlite3 "$TETHER_DB" .dump | grep -c -e 'Could we talk' -e 'Notes from our call' -e 'Invitation')" 0
expect_eq "mbox: the owner is the one address in every message, over its span" \
    "$(sql "SELECT i.scope || ' ' || p.person_id || ' ' || i.first_at || ' ' || i.last_at || ' ' || i.summary_window_hours FROM message_imports i JOIN people p ON p.id = i.owner")" \
    "mailbox m1 1775055600 1778400000 24.0"
run tether-collect messages "$D/m1.mbox"
expect_eq "mbox: the same file again is skipped" "$RC $ERR" \
    "0 tether-collect: '$D/m1.mbox' was imported before; skipped"

# --- the traces and the e-mail log -----------------------------------------
run tether-collect messages "$D/trace.csv" "$D/historical.csv" \
    "$D/gmail-log.csv"
expect_eq "traces: exit 1 (a row with a bad time)" "$RC" 1
expect_eq "traces: summary lines and the bad row" "$ERR" \
    "$D/trace.csv:12: column Received: 'yesterday' is not a time
$D/trace.csv: 12 rows: 2 loaded, 1 unchanged, 2 skipped, 1 rejected
$D/historical.csv: 2 rows: 1 loaded, 1 skipped, 0 rejected
$D/gmail-log.csv: 2 rows: 1 loaded, 0 rejected"
expect_eq "trace: the summary seen in the mailbox and in the trace is one contact" \
    "$(sql "SELECT count(*) FROM contacts WHERE source_key = 'msg:s1-summary@org.test'")" 1
expect_eq "trace: a distribution list's row is no recipient" \
    "$(sql "SELECT recipients FROM messages WHERE source_key = 'msg:s2-summary@org.test'")" \
    "e2@org.test"
expect_eq "historical search (UTF-16): a failed delivery is no contact" \
    "$(contacts_of S2)" "msg:s2-summary@org.test email mentor
msg:s2-question@org.test email mentee"
expect_eq "e-mail log: one message over its events" "$(contacts_of S3)" \
    "msg:s3-question@org.test email mentor
msg:s3-summary@org.test email mentor"
expect_eq "traces cover the organisation" \
    "$(sql "SELECT count(*) FROM message_imports WHERE scope = 'organisation' AND owner IS NULL")" 3

# --- the Slack export, as a folder and as its zip --------------------------
run tether-collect messages "$D/slack"
expect_eq "slack: exit 1 (a damaged day file)" "$RC" 1
expect_eq "slack: the damaged day is named by file, line and column" "$ERR" \
    "$D/slack/D1/2026-04-22.json:3: column 19: unexpected newline near '\"cut off'
$D/slack: 14 rows: 5 loaded, 9 skipped, 1 rejected"
# D1: the edited message once, the reply (not its broadcast), the message
# after midnight in Tokyo filed under the next day; no join, edit event,
# bot, app or tombstone. The group DM gives S1 two; the channel, the
# self-DM and the guest without an e-mail give nothing.
expect_eq "slack: direct messages of S2" \
    "$(contacts_of S2 | grep slack)" "slack:D1:1776679200.000200 chat mentee
slack:D1:1776682800.000400 chat mentor
slack:D1:1776727800.000100 chat mentee"
expect_eq "slack: the group DM of S1" "$(contacts_of S1 | grep slack)" \
    "slack:G1:1778058000.000100 chat mentor
slack:G1:1778058300.000200 chat mentee"
(cd "$D" && python3 -c '
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for d, _, fs in sorted(os.walk("slack")):
        for f in sorted(fs):
            z.write(os.path.join(d, f), os.path.relpath(os.path.join(d, f), "slack"))
' "$T/export.zip")
run tether-collect messages "$T/export.zip"
expect_eq "slack zip: the same messages, nothing new" "$ERR" \
    "$T/export.zip:D1/2026-04-22.json:3: column 19: unexpected newline near '\"cut off'
$T/export.zip: 14 rows: 0 loaded, 5 unchanged, 9 skipped, 1 rejected"

# --- meetings, then the analysis -------------------------------------------
run tether-collect meetings "$D/meetings.csv"
expect_eq "meetings.csv with initiators" "$RC" 0
expect_eq "initiators of meetings.csv" \
    "$(sql "SELECT group_concat(initiator, ' ') FROM (SELECT initiator FROM contacts WHERE source_key LIKE 's%-%' AND source_key NOT LIKE '%@%' ORDER BY source_key)")" \
    "mentor mentor mentee unknown unknown mentee mentor"
pairs_json() {
    tether-analyze --quarter 2026Q2 --format json | python3 -c '
import json, sys
for p in json.load(sys.stdin)["pairs"]:
    if p["pair_id"] in ("S1", "S2", "S3"):
        print(p["pair_id"], p["meetings"], p["contacts"], p["summary_rate"],
              p["between_contacts"], p["mentee_initiated"])'
}
# S1: s1-a followed by the summary at 15:00 (yes), s1-b said no, s1-c had
# only an e-mail two days later, inside m1's mailbox: no. Between: two
# e-mails of e1, one of m1, and the group DM's two (one each).
# S2: s2-a is followed by s2-b before the e-mail at 14:00, which is
# s2-b's summary; s2-a's window lies inside the trace: no.
# S3: the summary after the meeting of June 30 came on July 1, after the
# quarter: it still counts for that meeting. s3-b said yes, and the e-mail
# of 09:15 after it is that summary, not a contact between the meetings.
expect_eq "pair figures" "$(pairs_json)" "S1 3 9 0.333333333333 5 3
S2 2 7 0.5 4 3
S3 2 3 1.0 0 0"
cp "$TETHER_DB" "$T/first.db"

# The same files loaded in the other order give the same figures.
export TETHER_DB=$T/reverse.db
load_org
tether-collect meetings -q "$D/meetings.csv"
tether-collect messages -q "$T/export.zip" "$D/gmail-log.csv" \
    "$D/historical.csv" "$D/trace.csv" "$D/m1.mbox" 2>/dev/null
expect_eq "the order of the imports does not matter" "$(pairs_json)" \
    "S1 3 9 0.333333333333 5 3
S2 2 7 0.5 4 3
S3 2 3 1.0 0 0"

# Without the mailbox and the trace, nothing says a summary was missing
# (s3-b's yes is the source's own).
export TETHER_DB=$T/nomail.db
load_org
tether-collect meetings -q "$D/meetings.csv"
tether-collect messages -q "$D/gmail-log.csv" "$D/slack" 2>/dev/null
expect_eq "no mail seen: unknown stays unknown" "$(pairs_json)" \
    "S1 3 5 0.0 2 1
S2 2 5 None 3 2
S3 2 3 1.0 0 0"

# A shorter window: the summary of s1-a (4 hours after its end) no longer
# is one, and its window begins before both the mailbox and the trace.
export TETHER_DB=$T/window.db
load_org
tether-collect meetings -q "$D/meetings.csv"
tether-collect messages -q --summary-window 3 "$D/m1.mbox" "$D/trace.csv" \
    2>/dev/null
expect_eq "--summary-window 3" "$(pairs_json | sed -n 1p)" "S1 3 7 0.0 4 2"

# Inclusion, by the mentee's work mode: shares of pairs with any (e3 is
# the office mentee with contacts; S1 and S2 have remote mentees).
export TETHER_DB=$T/first.db
expect_eq "inclusion: between_contacts_share and mentee_initiated_share" \
    "$(tether-analyze --quarter 2026Q2 --format json | python3 -c '
import json, sys
for s in json.load(sys.stdin)["inclusion"]["work_mode"]:
    print(s["segment"], s["pairs"], s["between_contacts_share"],
          s["mentee_initiated_share"])')" \
    "hybrid 0 None None
office 3 0.0 0.0
remote 10 0.2 1.0"

# --- options ----------------------------------------------------------------
export TETHER_DB=$T/opts.db
load_org
run tether-collect messages -q --max-recipients 6 "$D/m1.mbox"
expect_eq "--max-recipients 6: the message to six is a contact" \
    "$(contacts_of S1 | grep -c all-hands)" 1
export TETHER_DB=$T/self.db
load_org
run tether-collect messages -q --self example.com "$D/m1.mbox"
expect_eq "--self: addresses of other domains are nobody" \
    "$(sql "SELECT count(*) FROM contacts")" 0
export TETHER_DB=$T/owner.db
load_org
run tether-collect messages -q --owner e1@org.test "$D/m1.mbox"
expect_eq "--owner names the mailbox's owner" \
    "$(sql "SELECT p.person_id FROM message_imports i JOIN people p ON p.id = i.owner")" e1
run tether-collect messages --max-recipients 0 "$D/m1.mbox"
expect_eq "usage: --max-recipients 0" "$RC $ERR" \
    "2 tether-collect: '0' is not a number from 1 to 64
Try 'tether-collect messages --help' for more information."
run tether-collect messages --summary-window soon "$D/m1.mbox"
expect_eq "usage: --summary-window soon" "$RC" 2
run tether-collect messages "$D/people.csv"
expect_eq "not a message file" "$RC $ERR" \
    "3 tether-collect: '$D/people.csv' is not a mailbox (mbox), a message (.eml), a message trace or a Slack export"

# The report draws the contacts between the meetings by work mode.
export TETHER_DB=$T/first.db
run tether-report --quarter 2026Q2 --pdf --charts png --out "$T/rep"
expect_eq "report: the chart of contacts between meetings" \
    "$RC $(ls "$T/rep" | grep -c between-meetings.png)" "0 1"
expect_match "report: the PDF shows it" "$(pdftotext "$T/rep/tether-2026Q2.pdf" - | tr '\n' ' ')" \
    "Contacts between the meetings"

# A calendar event's ORGANIZER began the meeting (SPEC 1.3a).
export TETHER_DB=$T/ics.db
load_org
printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 PRODID:-//test//EN \
    BEGIN:VEVENT UID:org-1 DTSTAMP:20260401T000000Z \
    DTSTART:20260406T090000Z DTEND:20260406T093000Z \
    ORGANIZER:mailto:e1@org.test ATTENDEE:mailto:m1@org.test END:VEVENT \
    BEGIN:VEVENT UID:org-2 DTSTAMP:20260401T000000Z \
    DTSTART:20260407T090000Z DTEND:20260407T093000Z \
    ORGANIZER:mailto:M1@org.test ATTENDEE:mailto:e1@org.test END:VEVENT \
    BEGIN:VEVENT UID:org-3 DTSTAMP:20260401T000000Z \
    DTSTART:20260408T090000Z DTEND:20260408T093000Z \
    ORGANIZER:mailto:hr@org.test ATTENDEE:mailto:e1@org.test \
    ATTENDEE:mailto:m1@org.test END:VEVENT END:VCALENDAR >"$T/org.ics"
run tether-collect meetings "$T/org.ics"
expect_eq "ics: the organiser is the initiator (mentee, mentor, nobody of the pair)" \
    "$RC $(sql "SELECT group_concat(initiator, ' ') FROM (SELECT initiator FROM contacts ORDER BY started_at)")" \
    "0 mentee mentor unknown"

# No date: refused between two people who are a pair, skipped between two
# who never were (there is no contact to lose).
export TETHER_DB=$T/nodate.db
load_org
printf 'From: m1@org.test\r\nTo: e2@org.test\r\nMessage-ID: <nodate-1@org.test>\r\n\r\nhi\r\n' >"$T/stranger.eml"
printf 'From: m2@org.test\r\nTo: e2@org.test\r\nMessage-ID: <nodate-2@org.test>\r\n\r\nhi\r\n' >"$T/paired.eml"
run tether-collect messages "$T/stranger.eml" "$T/paired.eml"
expect_eq "no date: skipped unless between a pair" "$RC $ERR" \
    "1 $T/stranger.eml: 1 rows: 0 loaded, 1 skipped, 0 rejected
$T/paired.eml:1: message msg:nodate-2@org.test from m2@org.test has no date (no Date header, Received line or mbox date)
$T/paired.eml: 1 rows: 0 loaded, 1 rejected"
