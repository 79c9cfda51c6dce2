#!/usr/bin/env python3
"""gen_messages.py PEOPLE PAIRS OUTDIR MESSAGES TRACE_ROWS - the message
files of the benchmark (scripts/bench.sh): OUTDIR/mail.mbox, MESSAGES
messages of about 5 KB (a tenth multipart with a base64 attachment, some
">From " body lines), and OUTDIR/trace.csv, a Get-MessageTrace export of
TRACE_ROWS rows (one per recipient, a fifth of the messages to two). Most
messages are between the two people of a pair of PAIRS, so the import does
the work a real one does: look-ups, attribution, de-duplication."""
import csv
import random
import sys

people_csv, pairs_csv, out, n_msg, n_rows = sys.argv[1:6]
n_msg, n_rows = int(n_msg), int(n_rows)
rng = random.Random(7)
email = {}
with open(people_csv, newline="", encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        email[r["person_id"]] = r["email"].lower()
pairs = []
with open(pairs_csv, newline="", encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        m, e = email.get(r["mentor"], r["mentor"].lower()), email.get(r["mentee"], r["mentee"].lower())
        pairs.append((m, e))
everyone = list(email.values())
T0 = 1751328000  # 2025-07-01
SPAN = 365 * 86400
WD = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MO = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
      "Nov", "Dec"]
import time as _t


def dates(t):
    g = _t.gmtime(t)
    rfc = "%s, %02d %s %d %02d:%02d:%02d +0000" % (
        WD[g.tm_wday], g.tm_mday, MO[g.tm_mon - 1], g.tm_year, g.tm_hour,
        g.tm_min, g.tm_sec)
    sep = "%s %s %2d %02d:%02d:%02d %d" % (
        WD[g.tm_wday], MO[g.tm_mon - 1], g.tm_mday, g.tm_hour, g.tm_min,
        g.tm_sec, g.tm_year)
    return rfc, sep


def who():
    if rng.random() < 0.8:
        a, b = rng.choice(pairs)
        return (a, b) if rng.random() < 0.5 else (b, a)
    return rng.choice(everyone), rng.choice(everyone)


para = ("We talked about the project plan and the next steps for the "
        "quarter, and about the course you wanted to take.\n") * 6
b64 = ("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2"
       "d3h5ejAx\n") * 50
with open(out + "/mail.mbox", "w") as f:
    for i in range(n_msg):
        a, b = who()
        t = T0 + rng.randrange(SPAN)
        rfc, sep = dates(t)
        f.write("From %s %s\nFrom: %s\nTo: %s\nSubject: Mentoring\n"
                "Date: %s\nMessage-ID: <bench-%d@mail.example.com>\n"
                "MIME-Version: 1.0\n" % (a, sep, a, b, rfc, i))
        if i % 10 == 0:
            f.write('Content-Type: multipart/mixed; boundary="b%d"\n\n'
                    '--b%d\nContent-Type: text/plain\n\n%s\n--b%d\n'
                    'Content-Type: application/pdf; name="notes.pdf"\n'
                    'Content-Transfer-Encoding: base64\n\n%s--b%d--\n\n'
                    % (i, i, para, i, b64 * 1, i))
        else:
            f.write("Content-Type: text/plain; charset=utf-8\n\n")
            f.write(para * 8)
            if i % 7 == 0:
                f.write(">From the notes of last time: nothing new.\n")
            f.write("\n")
with open(out + "/trace.csv", "w", newline="") as f:
    f.write('"PSComputerName","RunspaceId","PSShowComputerName",'
            '"Organization","MessageId","Received","SenderAddress",'
            '"RecipientAddress","Subject","Status","ToIP","FromIP","Size",'
            '"MessageTraceId","StartDate","EndDate","Index"\r\n')
    rows = i = 0
    while rows < n_rows:
        a, b = who()
        t = T0 + rng.randrange(SPAN)
        g = _t.gmtime(t)
        when = "%04d-%02d-%02dT%02d:%02d:%02d.%07d" % (
            g.tm_year, g.tm_mon, g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec,
            rng.randrange(10000000))
        rcpts = [b] if rng.random() < 0.8 else [b, rng.choice(everyone)]
        for r in rcpts:
            f.write('"outlook.office365.com","6d1f4c2a","False",'
                    '"example.onmicrosoft.com","<trace-%d@mail.example.com>",'
                    '"%s","%s","%s","Mentoring","Delivered","","10.1.0.7",'
                    '"4096","%08x-0000-4000-8000-000000000000",'
                    '"2025-07-01T00:00:00Z","2026-07-01T00:00:00Z","%d"\r\n'
                    % (i, when, a, r, i, rows))
            rows += 1
        i += 1
