#!/usr/bin/env bash
# test_messages_hostile.sh - tether-collect messages on what mail and chat
# exports can hold at their worst: a 100 MB message, a mailbox of a
# thousand messages, headers GMime must survive, a zip bomb in a Slack
# export. Memory stays flat (the body stays in the file) and what is good
# is loaded.
. "$(dirname "$0")/lib.sh"

D=$ROOT/tests/data/messages
tether-collect people -q --as-of 2026-01-01 "$D/people.csv"
tether-collect pairs -q "$D/pairs.csv"
maxrss() { # CMD...: runs it; RC, ERR and its peak memory RSS in KiB
    /usr/bin/time -f '%M' -o "$T/rss" "$@" >"$T/out" 2>"$T/err"
    RC=$?
    ERR=$(cat "$T/err")
    RSS=$(tail -1 "$T/rss")
}

# A 100 MB message (a base64 attachment) between two short ones.
python3 - "$T/big.mbox" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    def msg(mid, day):
        f.write("From m1@org.test Mon Apr %2d 10:00:00 2026\n" % day)
        f.write("From: m1@org.test\nTo: e1@org.test\n")
        f.write("Date: Mon, %02d Apr 2026 10:00:00 +0000\n" % day)
        f.write("Message-ID: <%s@org.test>\n" % mid)
    msg("before", 6)
    f.write("\nshort\n\n")
    msg("big", 7)
    f.write('MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n'
            '\n--b\nContent-Type: text/plain\n\nsee attached\n--b\n'
            'Content-Type: application/octet-stream\n'
            'Content-Transfer-Encoding: base64\n\n')
    line = "QUJD" * 19 + "\n"
    for _ in range(100 * 1024 * 1024 // len(line)):
        f.write(line)
    f.write("--b--\n\n")
    msg("after", 8)
    f.write("\nshort\n")
EOF
maxrss tether-collect messages "$T/big.mbox"
rss=$RSS
expect_eq "100 MB message: all three messages" "$RC $ERR" \
    "0 $T/big.mbox: 3 rows: 3 loaded, 0 rejected"
expect_eq "100 MB message: under 40 MiB of memory" "$((rss < 40960))" 1 ||
    echo "    peak: $rss KiB"

# A mailbox of 4000 messages and one of 40: the same peak memory, give or
# take a few MiB (nothing grows with the messages).
python3 - "$T/many.mbox" 4000 <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write("From e1@org.test Mon Apr  6 10:00:00 2026\n"
                "From: e1@org.test\nTo: m1@org.test\n"
                "Date: Mon, 06 Apr 2026 %02d:%02d:%02d +0000\n"
                "Message-ID: <many-%d@org.test>\n\n%s\n\n"
                % (i // 3600 % 24, i // 60 % 60, i % 60, i, "body " * 200))
EOF
head -c $(($(stat -c %s "$T/many.mbox") / 100)) "$T/many.mbox" >"$T/few.mbox"
# Under AddressSanitizer freed memory waits in a quarantine that grows with
# the number of frees, not with what is live: without it, the comparison
# still sees any growth of the program's own.
saved_asan=${ASAN_OPTIONS-}
[ -z "${SANITIZE:-}" ] ||
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
maxrss tether-collect messages -q "$T/few.mbox"
few=$RSS
maxrss tether-collect messages -q "$T/many.mbox"
many=$RSS
export ASAN_OPTIONS=$saved_asan
expect_eq "4000 messages: loaded" "$RC $(sql "SELECT count(*) FROM contacts WHERE source_key LIKE 'msg:many-%'")" "0 4000"
expect_eq "memory flat: 4000 messages within 8 MiB of 40" \
    "$((many - few < 8192))" 1 || echo "    $few KiB, then $many KiB"

# A header block of 2 MB (a long folded header before From and To; the
# reader copies a header block of up to 256 KiB and reads a longer one
# from the file) between two ordinary messages, the last with no blank
# line after its headers: each is read whole, none merged.
python3 - "$T/longhdr.mbox" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("From m2@org.test Mon Apr  6 10:00:00 2026\n")
    f.write("From: m2@org.test\nTo: e2@org.test\n")
    f.write("Date: Mon, 06 Apr 2026 10:00:00 +0000\n")
    f.write("Message-ID: <short-1@org.test>\n\nhello\n\n")
    f.write("From m1@org.test Tue Apr  7 10:00:00 2026\n")
    f.write("X-Filler: start\n")
    for i in range(40000):
        f.write(" filler line %05d of a header that goes on and on\n" % i)
    f.write("From: m1@org.test\nTo: e1@org.test\n")
    f.write("Date: Tue, 07 Apr 2026 11:30:00 +0000\n")
    f.write("Message-ID: <long-header@org.test>\n\nbody\n")
    f.write("From e2@org.test Wed Apr  8 10:00:00 2026\n")
    f.write("From: e2@org.test\nTo: m2@org.test\n")
    f.write("Date: Wed, 08 Apr 2026 09:15:00 +0000\n")
    f.write("Message-ID: <short-2@org.test>\n")
EOF
run tether-collect messages "$T/longhdr.mbox"
expect_eq "2 MB header block: the three messages" "$RC $ERR" \
    "0 $T/longhdr.mbox: 3 rows: 3 loaded, 0 rejected"
expect_eq "2 MB header block: each message's own date and sender" \
    "$(sql "SELECT source_key || ' ' || datetime(started_at, 'unixepoch') || ' ' || initiator FROM contacts WHERE source_key IN ('msg:short-1@org.test', 'msg:long-header@org.test', 'msg:short-2@org.test') ORDER BY started_at")" \
    "msg:short-1@org.test 2026-04-06 10:00:00 mentor
msg:long-header@org.test 2026-04-07 11:30:00 mentor
msg:short-2@org.test 2026-04-08 09:15:00 mentee"

# Headers at their worst, one message each: what GMime reads is kept, and
# a message that says nothing of who wrote it is skipped, not fatal.
printf '%s\n' \
    'From x Mon Apr  6 10:00:00 2026' \
    'From: =?x-unknown-charset?B?//79?= <e1@org.test>' \
    'To: =?utf-7?Q?+AGQ-?= <m1@org.test>, , ,' \
    'Subject: =?iso-2022-jp?B?GyRC?=' \
    'Date: Mon, 06 Apr 2026 11:00:00 +0000' \
    'Message-ID: <worst-1@org.test>' \
    "$(printf 'X-Long: %0.s' {1..1}; head -c 200000 /dev/zero | tr '\0' 'a')" \
    '' 'body' '' \
    'From x Mon Apr  6 10:00:00 2026' \
    'From:' 'To: <<<>>>' 'Date: 59:10 -0500' 'Message-ID:' \
    '' 'body' '' \
    'From x Mon Apr  6 10:00:00 2026' \
    'Content-Type: multipart/mixed; boundary=' \
    '' '--' '--' >"$T/worst.mbox"
printf '\xff\xfe\x00' >>"$T/worst.mbox"
run tether-collect messages "$T/worst.mbox"
expect_eq "worst headers: one contact, two skipped" "$RC $ERR" \
    "0 $T/worst.mbox: 3 rows: 1 loaded, 2 skipped, 0 rejected"
expect_eq "worst headers: the sender and recipient still found" \
    "$(sql "SELECT sender || ' ' || recipients FROM messages WHERE source_key = 'msg:worst-1@org.test'")" \
    "e1@org.test m1@org.test"

# A zip bomb: a day file that inflates to 200 MB of blanks, in an export
# whose other days are good.
mkdir -p "$T/bomb"
cp -r "$D/slack/." "$T/bomb/"
rm "$T/bomb/D1/2026-04-22.json"
(cd "$T/bomb" && python3 -c '
import os, zipfile
with zipfile.ZipFile("../bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for d, _, fs in sorted(os.walk(".")):
        for f in sorted(fs):
            z.write(os.path.join(d, f), os.path.relpath(os.path.join(d, f)))
    with z.open("D1/2026-04-23.json", "w", force_zip64=True) as e:
        block = b" " * (1 << 20)
        for _ in range(200):
            e.write(block)
')
expect_eq "zip bomb: a small file" "$(($(stat -c %s "$T/bomb.zip") < 2000000))" 1
maxrss tether-collect messages "$T/bomb.zip"
rss=$RSS
expect_eq "zip bomb: the entry is refused, the rest loaded" "$RC $ERR" \
    "1 $T/bomb.zip:D1/2026-04-23.json:1: larger than 16 MiB uncompressed (a zip bomb?); not read
$T/bomb.zip: 14 rows: 5 loaded, 9 skipped, 1 rejected"
expect_eq "zip bomb: under 80 MiB of memory" "$((rss < 81920))" 1 ||
    echo "    peak: $rss KiB"

# Not a zip at all, though it starts like one.
printf 'PK\003\004garbage' >"$T/fake.zip"
run tether-collect messages "$T/fake.zip"
expect_match "a damaged zip: exit 3, named" "$RC $ERR" \
    "^3 tether-collect: $T/fake.zip: not a zip file: "
