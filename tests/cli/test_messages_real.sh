#!/usr/bin/env bash
# test_messages_real.sh - tether-collect messages on real mailboxes,
# messages and a Slack export from other projects' test suites
# (tests/data/real/comms, see tests/data/real/SOURCES.md). The roster of
# tests/data/messages holds the people of these files, paired as a mentor
# and a mentee would be, so each file says what it gives: messages read,
# contacts, who began them, and what is refused.
. "$(dirname "$0")/lib.sh"

D=$ROOT/tests/data/messages
R=$ROOT/tests/data/real/comms
tether-collect people -q --as-of 2026-01-01 "$D/people.csv"
tether-collect pairs -q "$D/pairs.csv"
contacts_of() {
    sql "SELECT datetime(c.started_at, 'unixepoch') || ' ' || c.initiator FROM contacts c JOIN pairs p ON p.id = c.pair WHERE p.pair_id = '$1' ORDER BY c.started_at"
}
summary() { # FILE: the summary line of importing it
    run tether-collect messages "$R/$1"
    printf '%s\n' "${ERR#"$R/"}"
}

expect_eq "msgvault test.mbox: a two-person exchange" \
    "$(summary mbox/msgvault/test.mbox)" \
    "mbox/msgvault/test.mbox: 2 rows: 2 loaded, 0 rejected"
expect_eq "msgvault: the question and the reply, each by its sender" \
    "$(contacts_of MV)" "2026-02-03 03:24:14 mentor
2026-02-03 03:25:14 mentee"
expect_eq "msgvault: both addresses are in every message: no owner" \
    "$(sql "SELECT count(owner) FROM message_imports")" 0

expect_eq "takeoutreader: the Takeout-like mbox, wrong weekdays on separators" \
    "$(summary mbox/takeoutreader/sample.mbox)" \
    "mbox/takeoutreader/sample.mbox: 3 rows: 1 loaded, 2 skipped, 0 rejected"
expect_eq "takeoutreader: the Date header's time, not the separator's" \
    "$(contacts_of TR)" "2024-01-01 11:00:00 mentor"

# 29 messages of 1996: "From - " separators without a blank line before
# them, Content-Length headers, ">From " body lines.
expect_eq "MimeKit content-length.mbox: every message, none split or merged" \
    "$(summary mbox/mimekit/content-length.mbox.txt)" \
    "mbox/mimekit/content-length.mbox.txt: 29 rows: 3 loaded, 26 skipped, 0 rejected"
expect_eq "content-length: repka wrote to jwz twice (once with dhugo in copy)" \
    "$(contacts_of NS1)" "1996-12-19 17:38:50 mentee
1997-03-24 07:11:56 mentee"
expect_eq "content-length: dhugo to jwz; repka's copy is no contact of theirs" \
    "$(contacts_of NS2)" "1997-03-18 01:17:35 mentee"

expect_eq "MimeKit issue1189: Gmail separators without a date, all four messages" \
    "$(summary mbox/mimekit/issue1189.mbox.txt)" \
    "mbox/mimekit/issue1189.mbox.txt: 4 rows: 4 loaded, 0 rejected"
expect_eq "issue1189: the messages after the attachment are not lost" \
    "$(contacts_of GM | tail -2)" "2025-09-26 17:19:39 mentor
2025-09-26 17:19:54 mentor"
expect_eq "MimeKit simple.mbox: three messages to oneself" \
    "$(summary mbox/mimekit/simple.mbox.txt)" \
    "mbox/mimekit/simple.mbox.txt: 3 rows: 0 loaded, 3 skipped, 0 rejected"
expect_eq "mime4j mbox.rlug: posts to a mailing list are no contacts" \
    "$(summary mbox/mime4j/mbox.rlug) $(contacts_of RL | wc -l)" \
    "mbox/mime4j/mbox.rlug: 5 rows: 0 loaded, 5 skipped, 0 rejected 0"
expect_eq "mbox.rlug: the span is the Date headers', not the separators' export time" \
    "$(sql "SELECT datetime(first_at, 'unixepoch') || ' ' || datetime(last_at, 'unixepoch') FROM message_imports WHERE import_id = (SELECT max(id) FROM imports)")" \
    "2003-02-07 16:35:25 2003-02-07 23:58:32"

expect_eq "mail-parser 001.eml: a UTF-7 subject, a To ending in a comma" \
    "$(summary eml/mail-parser-rs/001.eml) $(contacts_of OL)" \
    "eml/mail-parser-rs/001.eml: 1 rows: 1 loaded, 0 rejected 2000-05-17 23:18:39 mentor"
expect_eq "rubymail example10: group members are recipients; a folded Date" \
    "$(summary eml/rubymail/example10.eml) $(contacts_of RF)" \
    "eml/rubymail/example10.eml: 1 rows: 1 loaded, 0 rejected 1969-02-14 03:02:00 mentee"
expect_eq "MimeKit issue358: an Exchange Online message" \
    "$(summary eml/mimekit/issue358.txt) $(contacts_of IT)" \
    "eml/mimekit/issue358.txt: 1 rows: 1 loaded, 0 rejected 2017-11-15 14:16:14 mentor"
summary eml/mime4j/intl.msg >/dev/null
expect_eq "mime4j intl.msg: encoded words everywhere and no Date: rejected" \
    "$RC ${ERR//"$R/"/}" \
    "1 eml/mime4j/intl.msg:1: message msg:none:ec04beb3a89c7ea3 from moore@cs.utk.edu has no date (no Date header, Received line or mbox date)
eml/mime4j/intl.msg: 1 rows: 0 loaded, 1 rejected"
for f in empty_group_lists japanese_iso_2022 new_line_in_to_header \
    raw_email_multiple_from raw_email_reply raw_email_with_at_display_name \
    utf8_headers; do
    expect_eq "rubymail $f: read, nobody of the roster" \
        "$(summary eml/rubymail/$f.eml)" \
        "eml/rubymail/$f.eml: 1 rows: 0 loaded, 1 skipped, 0 rejected"
done

summary slack/slack-export-viewer/testarchive.zip >/dev/null
expect_eq "slack-export-viewer: a public-channels export holds no DM" \
    "$RC ${ERR//"$R/"/}" \
    "0 tether-collect: slack/slack-export-viewer/testarchive.zip: warning: no dms.json or mpims.json: an export of public channels only holds no direct messages
slack/slack-export-viewer/testarchive.zip: 0 rows: 0 loaded, 0 rejected"

expect_eq "contacts in all" "$(sql "SELECT count(*) FROM contacts")" 13
expect_eq "messages kept, metadata only" \
    "$(sql "SELECT count(*) FROM messages")" 13
