#!/usr/bin/env bash
# test_wide_survey.sh - wide survey exports through a question map: the
# Qualtrics files of $TESTDATA/surveys, and Google Forms, Microsoft Forms,
# SurveyMonkey and a current Qualtrics export written here from FORMATS.md
# section 4.
. "$(dirname "$0")/lib.sh"
S=$TESTDATA/surveys/qualtrics-qualtRics

# The Qualtrics samples are anonymous: their respondent is the ResponseId
# R_2YPOQ602ER1jkf1, which this roster uses as a person_id.
cat >"$T/people.csv" <<'CSV'
person_id,name,email,work_mode
R_2YPOQ602ER1jkf1,Qualtrics Respondent,,remote
e1,Ada Lovelace,ada@example.com,remote
e2,Grace Hopper,grace@example.com,office
e3,Alan Turing,alan@example.com,hybrid
CSV
run tether-collect people --as-of 2017-01-01 "$T/people.csv"
expect_eq "roster loads" "$RC" 0

# Answers: survey question respondent submitted_at value text.
answers() {
    sql "SELECT s.survey_id || ' ' || q.question_id || ' ' || p.person_id
                || ' ' || strftime('%Y-%m-%dT%H:%M:%SZ', r.submitted_at,
                                   'unixepoch')
                || ' ' || coalesce(r.value, '-') || ' ' || coalesce(r.text, '-')
         FROM responses r JOIN questions q ON q.id = r.question
         JOIN surveys s ON s.id = q.survey JOIN people p ON p.id = r.respondent
         WHERE s.survey_id = '$1' ORDER BY r.submitted_at, q.question_id"
}

# --- Qualtrics, three header rows. Q1 (multiple choice) is 2 and Q2 (free
# text) "Hello World!" on the one data row, started 2017-07-18 08:28:09
# (no zone in its ImportId: --timezone, UTC by default). Rows 2 and 3 are
# the German question texts and the ImportIds: not answers.
cat >"$T/map-q.csv" <<'CSV'
column,role,survey_id,question_id,construct,scale_min,scale_max,labels
ResponseId,respondent,,,,,,
StartDate,submitted_at,,,,,,
Q1,question,,q1,satisfaction,1,5,
QID2_TEXT,question,,q2,other,,,
CSV
run tether-collect survey --map "$T/map-q.csv" --survey-id qx "$S/sample.csv"
expect_eq "qualtrics exit" "$RC" 0
expect_eq "qualtrics summary" "$(grep -v warning <<<"$ERR")" \
    "$S/sample.csv: 1 rows: 2 loaded, 0 rejected"
expect_match "qualtrics unmapped columns warned once" "$ERR" \
    "warning: ignoring 16 columns the question map does not name: EndDate, Status, "
expect_eq "qualtrics answers" "$(answers qx)" \
"qx q1 R_2YPOQ602ER1jkf1 2017-07-18T08:28:09Z 2.0 -
qx q2 R_2YPOQ602ER1jkf1 2017-07-18T08:28:09Z - Hello World!"
expect_eq "qualtrics question text from row 2" \
    "$(sql "SELECT text || '|' || construct || '|' || scale_min || '|' || scale_max FROM questions WHERE question_id = 'q1'")" \
    "This is a multiple choice question.|satisfaction|1.0|5.0"

# --- Legacy Qualtrics: BOM, V1..V10 tags then names, trailing commas. The
# respondent and the start are named by the second header row.
cat >"$T/map-l.csv" <<'CSV'
column,role,survey_id,question_id,construct,scale_min,scale_max,labels
ResponseID,respondent,ql,,,,,
StartDate,submitted_at,ql,,,,,
Q1,question,ql,q1,satisfaction,1,5,
Q2,question,ql,q2,,,,
CSV
run tether-collect survey --map "$T/map-l.csv" "$S/sample_legacy.csv"
expect_eq "legacy exit" "$RC" 0
expect_eq "legacy answers" "$(answers ql)" \
"ql q1 R_2YPOQ602ER1jkf1 2017-07-18T08:28:09Z 2.0 -
ql q2 R_2YPOQ602ER1jkf1 2017-07-18T08:28:09Z - Hello World!"

# --- A current Qualtrics export names the zone of its dates: 08:28:09 in
# Pacific/Auckland (NZST, +12) is 20:28:09Z the day before.
{
    echo 'StartDate,EndDate,ResponseId,RecipientEmail,Q1'
    echo 'Start Date,End Date,Response ID,Recipient Email,How satisfied are you?'
    echo '"{""ImportId"":""startDate"",""timeZone"":""Pacific/Auckland""}","{""ImportId"":""endDate"",""timeZone"":""Pacific/Auckland""}","{""ImportId"":""_recordId""}","{""ImportId"":""recipientEmail""}","{""ImportId"":""QID1""}"'
    echo '2017-07-18 08:28:09,2017-07-18 08:30:00,R_1,ada@example.com,Agree'
    echo '2017-07-18 09:00:00,2017-07-18 09:05:00,R_2,grace@example.com,Somewhat'
} >"$T/qualtrics-tz.csv"
cat >"$T/map-tz.csv" <<'CSV'
column,role,survey_id,question_id,construct,scale_min,scale_max,labels
RecipientEmail,respondent,qz,,,,,
StartDate,submitted_at,qz,,,,,
QID1,question,qz,sat,satisfaction,1,5,Disagree=2;Agree=4
EndDate,ignore,,,,,,
ResponseId,ignore,,,,,,
CSV
run tether-collect survey --map "$T/map-tz.csv" "$T/qualtrics-tz.csv"
expect_eq "qualtrics tz exit" "$RC" 1
expect_eq "qualtrics unknown label rejected" "$ERR" \
"$T/qualtrics-tz.csv:5: column QID1: 'Somewhat' is not a number or a label of question sat
$T/qualtrics-tz.csv: 2 rows: 1 loaded, 1 rejected"
expect_eq "qualtrics zone from ImportId" "$(answers qz)" \
    "qz sat e1 2017-07-17T20:28:09Z 4.0 -"

# --- Google Forms: every field quoted, Timestamp with GMT+5:30 or a zone
# abbreviation, "Email Address", full question texts, labels and "5 -
# label" values, checkbox answers joined with ";".
# 2026/02/05 10:54:08 PM GMT+5:30 = 17:24:08Z; 2026/02/06 11:07:29 AM AST
# (-4) = 15:07:29Z; 2026/02/07 4:02:26 pm GMT+5:30 = 10:32:26Z.
cat >"$T/google.csv" <<'CSV'
"Timestamp","Email Address","How satisfied are you with your mentor? ","How likely are you to recommend the program?","What did you talk about?","I feel I belong"
"2026/02/05 10:54:08 PM GMT+5:30","ada@example.com","Strongly agree","9","Cost;Travel time","5 - It's extremely important"
"2026/02/06 11:07:29 AM AST","GRACE@example.com","disagree","6","","2"
"2026/02/07 4:02:26 pm GMT+5:30","alan@example.com","Agree","11","Career",""
"last week","ada@example.com","Agree","10","",""
"2026/02/08 9:00:00 AM GMT","nobody@example.com","Agree","10","",""
CSV
cat >"$T/map-g.csv" <<'CSV'
column,role,survey_id,question_id,construct,scale_min,scale_max,labels
Timestamp,submitted_at,,,,,,
Email Address,respondent,,,,,,
How satisfied are you with your mentor?,question,,sat,satisfaction,1,5,Strongly disagree=1;Disagree=2;Neutral=3;Agree=4;Strongly agree=5
How likely are you to recommend the program?,question,,nps,nps,0,10,
What did you talk about?,question,,topics,other,,,
I feel I belong,question,,belong,belonging,1,5,
CSV
run tether-collect survey --map "$T/map-g.csv" --survey-id gf "$T/google.csv"
expect_eq "google exit" "$RC" 1
expect_eq "google rejects" "$ERR" \
"$T/google.csv:4: column How likely are you to recommend the program?: 11 is outside the scale 0 to 10
$T/google.csv:5: column Timestamp: 'last week' is not a date and time
$T/google.csv:6: column Email Address: 'nobody@example.com' is not in the roster
$T/google.csv: 5 rows: 9 loaded, 3 rejected"
expect_eq "google answers" "$(answers gf)" \
"gf belong e1 2026-02-05T17:24:08Z 5.0 -
gf nps e1 2026-02-05T17:24:08Z 9.0 -
gf sat e1 2026-02-05T17:24:08Z 5.0 -
gf topics e1 2026-02-05T17:24:08Z - Cost;Travel time
gf belong e2 2026-02-06T15:07:29Z 2.0 -
gf nps e2 2026-02-06T15:07:29Z 6.0 -
gf sat e2 2026-02-06T15:07:29Z 2.0 -
gf sat e3 2026-02-07T10:32:26Z 4.0 -
gf topics e3 2026-02-07T10:32:26Z - Career"

# --- Re-import: the same file is known; an overlapping re-export (the
# same rows, one more) adds only the new one.
run tether-collect survey --map "$T/map-g.csv" --survey-id gf "$T/google.csv"
expect_match "google re-import skipped" "$ERR" "was imported before; skipped"
{ head -4 "$T/google.csv"; echo '"2026/02/09 8:00:00 AM GMT","alan@example.com","Neutral","7","",""'; } >"$T/google2.csv"
run tether-collect survey --map "$T/map-g.csv" --survey-id gf "$T/google2.csv"
expect_eq "google overlapping export" "$ERR" \
"$T/google2.csv:4: column How likely are you to recommend the program?: 11 is outside the scale 0 to 10
$T/google2.csv: 4 rows: 2 loaded, 9 unchanged, 1 rejected"
expect_eq "google answers after re-export" "$(sql "SELECT count(*) FROM responses r JOIN questions q ON q.id = r.question JOIN surveys s ON s.id = q.survey WHERE s.survey_id = 'gf'")" 11

# --- Microsoft Forms: ID, Start time, Completion time, Email, Name, Last
# modified time; locale times; a question header with line breaks. The day
# 13 proves day-first dates: 10/9/2024 11:02 is 10 September.
cat >"$T/msforms.csv" <<'CSV'
ID,Start time,Completion time,Email,Name,Last modified time,"How would you rank the program?

1 - Extremely simple
5 - Very difficult",Comments
1,10/9/2024 10:58,10/9/2024 11:02,ada@example.com,Ada Lovelace,,4,Fine
2,13/9/2024 08:55,13/9/2024 09:00,anonymous,Anonymous,,3,
CSV
cat >"$T/map-m.csv" <<'CSV'
column,role,survey_id,question_id,construct,scale_min,scale_max,labels
Email,respondent,msf,,,,,
Completion time,submitted_at,msf,,,,,
"How would you rank the program?

1 - Extremely simple
5 - Very difficult",question,msf,rank,goal_progress,1,5,
Comments,question,msf,comments,other,,,
CSV
run tether-collect survey --map "$T/map-m.csv" "$T/msforms.csv"
expect_eq "ms forms exit" "$RC" 1
expect_eq "ms forms anonymous rejected" "$(grep -v warning <<<"$ERR")" \
"$T/msforms.csv:6: column Email: 'anonymous' is not in the roster
$T/msforms.csv: 2 rows: 2 loaded, 1 rejected"
expect_eq "ms forms answers" "$(answers msf)" \
"msf comments e1 2024-09-10T11:02:00Z - Fine
msf rank e1 2024-09-10T11:02:00Z 4.0 -"

# --- SurveyMonkey: two header rows; a multi-column question carries its
# text above its first column only ("Which topics? - Skills"); US times
# MM/DD/YYYY hh:mm:ss AM, in --timezone America/New_York (EDT, -4).
cat >"$T/surveymonkey.csv" <<'CSV'
Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,Custom Data 1,How satisfied are you with your mentor?,Which topics?,,Comments
,,,,,,,,,Response,Career,Skills,Open-Ended Response
1001,2001,06/03/2026 09:00:00 AM,06/03/2026 09:05:10 AM,10.0.0.1,grace@example.com,Grace,Hopper,,4,Career,,"Good, thanks"
1002,2001,06/04/2026 01:00:00 PM,06/04/2026 01:02:00 PM,10.0.0.2,alan@example.com,Alan,Turing,,five,,Skills,
CSV
cat >"$T/map-s.csv" <<'CSV'
column,role,survey_id,question_id,construct,scale_min,scale_max,labels
Email Address,respondent,sm,,,,,
End Date,submitted_at,sm,,,,,
How satisfied are you with your mentor?,question,sm,sat,satisfaction,1,5,
Which topics? - Skills,question,sm,skills,other,,,
Comments,question,sm,comments,other,,,
CSV
run tether-collect survey --map "$T/map-s.csv" --timezone America/New_York "$T/surveymonkey.csv"
expect_eq "surveymonkey exit" "$RC" 1
expect_eq "surveymonkey bad value" "$(grep -v warning <<<"$ERR")" \
"$T/surveymonkey.csv:4: column How satisfied are you with your mentor?: 'five' is not a number or a label of question sat
$T/surveymonkey.csv: 2 rows: 3 loaded, 1 rejected"
expect_eq "surveymonkey answers" "$(answers sm)" \
"sm comments e2 2026-06-03T13:05:10Z - Good, thanks
sm sat e2 2026-06-03T13:05:10Z 4.0 -
sm skills e3 2026-06-04T17:02:00Z - Skills"
expect_eq "surveymonkey question text" \
    "$(sql "SELECT text FROM questions WHERE question_id = 'skills'")" "Which topics? - Skills"

# --- A map naming a column the export lacks is a whole-file error.
printf 'column,role,survey_id,question_id,construct,scale_min,scale_max,labels\nEmail Address,respondent,x,,,,,\nTimestamp,submitted_at,x,,,,,\nHow old are you?,question,x,age,other,,,\n' >"$T/map-bad.csv"
run tether-collect survey --map "$T/map-bad.csv" "$T/google.csv"
expect_eq "missing column exit" "$RC" 3
expect_eq "missing column message" "$ERR" \
    "tether-collect: $T/google.csv: the question map ($T/map-bad.csv:4) names the column 'How old are you?', which the export does not have"
printf 'column,role\nEmail Address,answer\n' >"$T/map-role.csv"
run tether-collect survey --map "$T/map-role.csv" "$T/google.csv"
expect_eq "bad role exit" "$RC" 3
expect_eq "bad role message" "$ERR" \
    "tether-collect: $T/map-role.csv:2: column role: 'answer' is not respondent, submitted_at, question or ignore"
expect_eq "nothing loaded by failed files" "$(sql "SELECT count(*) FROM surveys WHERE survey_id = 'x'")" 0
