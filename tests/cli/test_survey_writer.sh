#!/usr/bin/env bash
# test_survey_writer.sh - a first survey load (an empty responses table)
# writes its answers on a second thread, 1,024 rows at a time, skips the
# de-duplication look-up of keys the filter has never seen, and reads the
# pairs into memory after 10,000 look-ups. An answer that comes again
# must still be found, whether its first row is already written, with the
# writer, or still waiting; rows rejected between them must be logged; and
# a write that fails on the writer's thread must lose the file whole.
. "$(dirname "$0")/lib.sh"

cd "$T" || exit 1
org_files 10 2026-01-01
run tether-collect people people.csv
run tether-collect pairs pairs.csv
cat >questions.csv <<'EOF'
survey_id,question_id,text,construct,scale_min,scale_max
s1,q1,How satisfied are you?,satisfaction,1,5
EOF
cp "$TETHER_DB" base.db

# 12,000 answers of the mentees p11..p20, each at its own second, their
# pairs taking turns (12,000 pair look-ups: the last 2,000 in memory);
# then answer 10 again (long written), answer 11,990 again (still in the
# chunk being filled), answer 6,000 with another value (a conflict), a
# value off the scale, an unknown pair and an unknown respondent.
awk 'function row(i, v, pair) {
        printf "s1,p%d@example.com,%s,q1,%d,%s\n", i % 10 + 11,
            strftime("%Y-%m-%dT%H:%M:%SZ", 1772323200 + i, 1), v, pair
    }
    BEGIN {
    print "survey_id,respondent,submitted_at,question_id,value,pair_id"
    for (i = 1; i <= 12000; i++)
        row(i, i % 5 + 1, "P" (i % 10 + 1))
    row(10, 1, "P1")
    row(11990, 1, "P1")
    row(6000, 5, "P1")
    row(12001, 9, "P2")
    row(12002, 3, "P99")
    printf "s1,nobody@example.com,2026-03-02T00:00:00Z,q1,3,P1\n"
}' >answers.csv
run tether-collect survey --questions questions.csv answers.csv
expect_eq "first load: every answer once, the repeats found" "$RC" 1
expect_match "first load: summary" "$ERR" \
    "answers.csv: 12006 rows: 12000 loaded, 2 duplicates, 4 rejected"
expect_eq "first load: 12,000 answers" \
    "$(sql "SELECT count(*) FROM responses")" 12000
expect_eq "first load: the conflict and the three bad rows logged" \
    "$(sql "SELECT line || ' ' || column_name FROM rejects ORDER BY line")" \
    "12004 question_id
12005 value
12006 pair_id
12007 respondent"
expect_eq "first load: answer 6,000 keeps its first value" \
    "$(sql "SELECT value FROM responses WHERE submitted_at = 1772323200 + 6000")" 1.0
expect_eq "first load: each answer has its respondent's pair" \
    "$(sql "SELECT count(*) FROM responses r JOIN pairs p ON p.id = r.pair
            JOIN people m ON m.id = p.mentee WHERE m.id = r.respondent")" 12000
expect_eq "first load: the time index is back, as the schema defines it" \
    "$(sql "SELECT sql FROM sqlite_schema WHERE name = 'responses_time'")" \
    "CREATE INDEX responses_time ON responses(submitted_at)"
expect_eq "first load: the database is intact" "$(sql "PRAGMA integrity_check")" ok

# The same file again into the database before it, where a trigger
# refuses one answer in the middle: the INSERT fails on the writer's
# thread, and the file is lost whole with SQLite's message.
rm -f "$TETHER_DB"*
cp base.db "$TETHER_DB"
sql "CREATE TRIGGER refuse BEFORE INSERT ON responses
     WHEN NEW.submitted_at = 1772323200 + 5000
     BEGIN SELECT RAISE(FAIL, 'refused here'); END"
run tether-collect survey --questions questions.csv answers.csv
expect_eq "a failed write on the writer's thread fails the import" "$RC" 3
expect_match "the message names the file and SQLite's reason" "$ERR" \
    "answers.csv: .*refused here"
expect_eq "no answer stays" "$(sql "SELECT count(*) FROM responses")" 0
expect_eq "no reject stays" "$(sql "SELECT count(*) FROM rejects")" 0
expect_eq "no import row of the answers stays" \
    "$(sql "SELECT count(*) FROM imports WHERE path = 'answers.csv'")" 0
expect_eq "the time index is still there" \
    "$(sql "SELECT count(*) FROM sqlite_schema WHERE name = 'responses_time'")" 1
