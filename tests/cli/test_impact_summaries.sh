#!/usr/bin/env bash
# test_impact_summaries.sh - impact's practices (SPEC 3.7) once messages are
# loaded: an e-mail that is a meeting's summary (the inference of 1.3a)
# counts for that meeting's summary, and not as an impromptu or
# mentee-initiated contact, exactly as in pair health (3.1). The
# organisation is tests/data/impact (see test_impact.sh for its walk and
# landmark) with the three e-mails of tests/data/impact/mail.mbox:
#   E1 m3 -> t2 2025-09-01 12:00, 1.5 h after P3's meeting k12 (10:00, 30
#      min, summary unknown) and before k13: k12's summary (yes).
#   E2 m1 -> t1 2025-06-20 10:00, four days after P1's k1: beyond the
#      24-hour window, an impromptu contact the mentee began.
#   E3 t1 -> m2 2025-07-10 12:00, 1.5 h after P2's k4, whose summary the
#      source says was not sent (an explicit no stands): an impromptu
#      contact the mentor began.
# No address is in every message: the mailbox has no owner, so it covers
# nobody and no summary becomes "no" for want of an e-mail.
# Landmark pairs (at risk on day 90) and their times after it: P1 46
# (event), P2 152, P3 2 (event), P6 123.
. "$(dirname "$0")/lib.sh"
D=$ROOT/tests/data/impact

tether-collect people --as-of 2025-01-01 "$D/people.csv" >/dev/null 2>&1
tether-collect people --as-of 2026-06-01 "$D/people-2.csv" >/dev/null 2>&1
tether-collect pairs "$D/pairs.csv" >/dev/null 2>&1
tether-collect meetings "$D/meetings.csv" >/dev/null 2>&1
run tether-collect messages "$D/mail.mbox"
expect_eq "messages: three e-mails, each a contact" "$RC:$ERR" \
    "0:$D/mail.mbox: 3 rows: 3 loaded, 0 rejected"

run tether-analyze impact --quarter 2026Q3 --min-group 1 --format json
expect_eq "impact: exit 0, nothing on stderr" "$RC:$ERR" "0:"
printf '%s\n' "$OUT" >"$T/i.json"
# p NAME: the practice's figures over all pairs, floats to 4 decimals.
p() {
    python3 - "$T/i.json" "$1" <<'PY'
import json, sys
i = json.load(open(sys.argv[1]))["impact"]
r = next(r for r in i["practices"] if r["practice"] == sys.argv[2] and
         r["scope"] == "all")
out = []
for k in ("followed_pairs", "followed_events", "not_followed_pairs",
          "not_followed_events", "p_value", "hazard_ratio"):
    v = r.get(k)
    out.append("%.4f" % v if isinstance(v, float) else json.dumps(v))
print(" ".join(out))
PY
}

# summary: P1 yes yes no (2/3, followed), P2 no no ? (0/2, not), P3 k12
# yes by E1 (1/1, followed: it was left out before the mail came), P6 yes
# yes no (followed). Followed P1 46e, P3 2e, P6 123c; not P2 152c. At 2: 3
# and 1 at risk, E1 = 3/4, V = 3 x 1 x 3 / (16 x 3) = 3/16; at 46: 2 and
# 1, E1 = 2/3, V = 2/9. O1 = 2, E1 = 17/12, V = 59/144: X2 = (7/12)^2 /
# (59/144) = 49/59, p = 0.3621; no event among the not-followed: no ratio.
expect_eq "summary: the inferred summary counts (P3 followed)" \
    "$(p summary)" "3 2 1 0 0.3621 null"
# impromptu: E2 (P1) and E3 (P2) are impromptu contacts; E1 is P3's
# summary, not one. Followed P1 46e, P2 152c; not P3 2e, P6 123c. At 2:
# 2 and 2 at risk, E1 = 1/2, V = 1/4; at 46: 2 and 1, E1 = 2/3, V = 2/9.
# O1 = 1, E1 = 7/6, V = 17/36: X2 = (1/6)^2 / (17/36) = 1/17, p = 0.8084;
# HR = (1 / (7/6)) / (1 / (5/6)) = 5/7 = 0.7143. (Counting the summary as
# impromptu gave 3 2 1 0 with p 0.3621 and no ratio.)
expect_eq "impromptu: the summary e-mail is no impromptu contact" \
    "$(p impromptu)" "2 1 2 1 0.8084 0.7143"
# mentee_reached_out: the pairs whose contacts' senders are known (the
# meetings' initiator is unknown): P1 (E2 the mentee's: followed), P2 (E3
# the mentor's: not), P3 (E1 the mentee's, but a summary: not); P6 left
# out. Followed P1 46e; not P2 152c, P3 2e. At 2: 1 and 2 at risk, E1 =
# 1/3, V = 2/9; at 46: 1 and 1, E1 = 1/2, V = 1/4. O1 = 1, E1 = 5/6, V =
# 17/36: X2 = 1/17, p = 0.8084; HR = (1 / (5/6)) / (1 / (7/6)) = 1.4.
expect_eq "mentee_reached_out: the mentee's summary is no reaching out" \
    "$(p mentee_reached_out)" "1 1 2 1 0.8084 1.4000"

# Pair health of 2025Q3 says the same of these e-mails: P3's one meeting
# has its summary and no contact came between meetings; P2's two known
# summaries are no, E3 is a contact between meetings, the mentor's.
run tether-analyze --quarter 2025Q3 --min-group 1 --format json
expect_eq "pair health agrees: P2 and P3's summary_rate, between_contacts, mentee_initiated" \
    "$(printf '%s' "$OUT" | python3 -c '
import json, sys
ps = {p["pair_id"]: p for p in json.load(sys.stdin)["pairs"]}
print(" ".join(str(ps[k][n]) for k in ("P2", "P3") for n in
      ("summary_rate", "between_contacts", "mentee_initiated")))')" \
    "0.0 1 0 1.0 0 0"
