#!/usr/bin/env bash
# test_messages_trace.sh - a message trace in time order (SPEC 1.3a: one
# message per Message-ID, every recipient row folded into it): the rows of
# one message for its recipients are not adjacent when other messages were
# sent in the same seconds, and they are folded all the same.
. "$(dirname "$0")/lib.sh"

D=$ROOT/tests/data/messages
tether-collect people -q --as-of 2026-01-01 "$D/people.csv"
tether-collect pairs -q "$D/pairs.csv"

# trace-interleaved.csv, in time order: s1-notes (m1 to e1 and m3) and
# s3-ask (e3 to m3 and x1) have their rows between those of all-hands, a
# message of m2 to six people. Folded by Message-ID: s1-notes a contact of
# S1 (two recipients), s3-ask of S3, all-hands a broadcast (six recipients,
# more than --max-recipients 5): no contact. The last row is s1-notes
# again, two and a half hours later: beyond the hour in which a message's
# rows are looked for, so a second message with the same id, a duplicate.
# Folding only adjacent rows, tether read eight messages of these eleven
# rows and counted "3 loaded, 1 duplicates, 5 skipped": all-hands' first
# two rows (to e2 and e1) became a contact of S2, and s1-notes and s3-ask
# lost their second recipient.
run tether-collect messages "$D/trace-interleaved.csv"
expect_eq "interleaved trace: one message per Message-ID" "$RC $ERR" \
    "0 $D/trace-interleaved.csv: 11 rows: 2 loaded, 1 duplicates, 1 skipped, 0 rejected"
expect_eq "interleaved trace: the broadcast is no contact, the two others are" \
    "$(sql "SELECT p.pair_id || ' ' || c.source_key || ' ' || c.initiator FROM contacts c JOIN pairs p ON p.id = c.pair ORDER BY p.pair_id")" \
    "S1 msg:s1-notes@org.test mentor
S3 msg:s3-ask@org.test mentee"
expect_eq "interleaved trace: every recipient of a message is kept" \
    "$(sql "SELECT source_key || ' ' || sender || ' > ' || recipients || ' @' || sent_at FROM messages ORDER BY source_key")" \
    "msg:s1-notes@org.test m1@org.test > e1@org.test;m3@org.test @1777975200
msg:s3-ask@org.test e3@org.test > m3@org.test;x1@org.test @1777975203"

# 300 messages of m1 to e1 and x1 in the same five minutes, every message's
# row for e1 first, then every row for x1: 300 messages open at once (the
# folding's table grows from 64), each one contact with both recipients.
# Folding only adjacent rows, the 300 rows for x1 were 300 more messages
# (skipped: m1 and x1 are no pair) and x1 was lost from every message.
rm -f "$TETHER_DB"
tether-collect people -q --as-of 2026-01-01 "$D/people.csv"
tether-collect pairs -q "$D/pairs.csv"
{
    echo '"MessageId","Received","SenderAddress","RecipientAddress","Status"'
    for r in e1 x1; do
        for i in $(seq 0 299); do
            printf '"<many-%d@org.test>","2026-05-06T10:%02d:%02d","m1@org.test","%s@org.test","Delivered"\n' \
                "$i" $((i / 60)) $((i % 60)) "$r"
        done
    done
} >"$T/many.csv"
run tether-collect messages "$T/many.csv"
expect_eq "300 messages open at once: each folded" "$RC $ERR" \
    "0 $T/many.csv: 600 rows: 300 loaded, 0 rejected"
expect_eq "300 messages open at once: both recipients kept" \
    "$(sql "SELECT recipients, count(*) FROM messages GROUP BY recipients")" \
    "e1@org.test;x1@org.test|300"
