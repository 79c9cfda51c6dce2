#!/usr/bin/env bash
# test_ics.sh - tether-collect meetings --format ics on every iCalendar file
# of $TESTDATA/ics. Each file is loaded into an organisation whose roster has
# the file's addresses and a pair covering its dates, with an explicit
# --from/--to window; the expected figures below were worked out by reading
# the file (the reasoning is in the comments).
#
# Most real exports name no attendee (they are someone's own calendar); for
# them the test also loads a copy, made in the temporary folder, with
# "ORGANIZER:mailto:mentor@tether.test" and "ATTENDEE:mailto:mentee@tether.test"
# added after each BEGIN:VEVENT, so that every meeting of the file belongs to
# the pair mentor -> mentee and its times, lengths and media can be checked.
. "$(dirname "$0")/lib.sh"

ICS=$TESTDATA/ics
MENTOR=mentor@tether.test
MENTEE=mentee@tether.test

# fresh NAME MENTOR MENTEE [MENTOR MENTEE ...]: a new database NAME whose
# roster has these addresses and a pair of each mentor and mentee from 1990.
fresh() {
    export TETHER_DB="$T/$1.db"
    shift
    local people="$T/people.csv" pairs="$T/pairs.csv" i=0
    echo "person_id,email,work_mode" >"$people"
    printf '%s\n' "$@" | sort -u | while read -r a; do
        echo "$a,$a,remote" >>"$people"
    done
    echo "pair_id,mentor,mentee,started_on" >"$pairs"
    while [ $# -ge 2 ]; do
        i=$((i + 1))
        echo "p$i,$1,$2,1990-01-01" >>"$pairs"
        shift 2
    done
    tether-collect people -q "$people" && tether-collect pairs -q "$pairs"
}

# inject IN OUT [ORGANIZER-LINE ATTENDEE-LINE]: a copy of IN with these lines
# (default: the pair mentor -> mentee) after each BEGIN:VEVENT, keeping the
# file's line ends. An empty line argument adds nothing.
inject() {
    local org=${3-ORGANIZER:mailto:$MENTOR} att=${4-ATTENDEE:mailto:$MENTEE}
    awk -v org="$org" -v att="$att" '{
        print
        if ($0 ~ /^BEGIN:VEVENT\r?$/) {
            cr = ($0 ~ /\r$/) ? "\r" : ""
            if (org != "") print org cr
            if (att != "") print att cr
        }
    }' "$1" >"$2"
}

# counts: loaded|skipped|rejected of the latest import.
counts() {
    sql "SELECT loaded || '|' || skipped || '|' || rejected FROM imports
         WHERE kind = 'meetings' ORDER BY id DESC LIMIT 1"
}

# meetings: one line per stored contact: start (UTC), minutes, medium, pair.
meetings() {
    sql "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', started_at, 'unixepoch')
                || ' ' || coalesce(duration_min, 'NULL') || ' ' || medium
                || ' ' || p.pair_id
         FROM contacts c JOIN pairs p ON p.id = c.pair
         ORDER BY started_at, p.pair_id"
}

# check NAME STATUS COUNTS [MEETING-LINE...]: the exit status, the counts and
# the meetings stored, after run tether-collect meetings ...
check() {
    local name=$1 status=$2 cnt=$3
    shift 3
    expect_eq "$name: exit status" "$RC" "$status"
    expect_eq "$name: loaded|skipped|rejected" "$(counts)" "$cnt"
    local want=""
    [ $# -gt 0 ] && want=$(printf '%s\n' "$@")
    expect_eq "$name: meetings" "$(meetings)" "$want"
}

# --- ical.js --------------------------------------------------------------

# blank_line_mid.ics: a calendar with an invalid blank line and no event.
fresh blank $MENTOR $MENTEE
run tether-collect meetings --format ics --from 2020-01-01 --to 2020-12-31 \
    "$ICS/ical.js/blank_line_mid.ics"
check "blank_line_mid" 0 "0|0|0"

# daily_recur.ics: endless daily 05:00-06:00 America/Los_Angeles from
# 2012-08-01; the only address is in a VALARM (not an attendee). Window
# 2012-11-02..06 UTC: 05:00 PDT = 12:00Z on Nov 2 and 3; DST ends Nov 4, so
# 05:00 PST = 13:00Z on Nov 4, 5, 6. No LOCATION or link: other. The --to
# bounds the endless rule.
fresh daily $MENTOR calmozilla1@gmail.com
inject "$ICS/ical.js/daily_recur.ics" "$T/daily_org.ics" \
    "ORGANIZER:mailto:$MENTOR" ""
run tether-collect meetings --from 2012-11-02 --to 2012-11-06 "$T/daily_org.ics"
check "daily_recur: VALARM attendee is no participant" 0 "0|5|0"
fresh daily2 $MENTOR $MENTEE
inject "$ICS/ical.js/daily_recur.ics" "$T/daily.ics"
run tether-collect meetings --from 2012-11-02 --to 2012-11-06 "$T/daily.ics"
check "daily_recur: endless rule bounded by --to" 0 "5|0|0" \
    "2012-11-02T12:00:00Z 60.0 other p1" "2012-11-03T12:00:00Z 60.0 other p1" \
    "2012-11-04T13:00:00Z 60.0 other p1" "2012-11-05T13:00:00Z 60.0 other p1" \
    "2012-11-06T13:00:00Z 60.0 other p1"

# day_long_recur_yearly.ics: an all-day (VALUE=DATE) weekday series: no
# meeting, skipped once.
fresh dayl $MENTOR $MENTEE
inject "$ICS/ical.js/day_long_recur_yearly.ics" "$T/dayl.ics"
run tether-collect meetings --from 2012-08-01 --to 2012-12-31 "$T/dayl.ics"
check "day_long_recur_yearly: all-day skipped" 0 "0|1|0"

# duration_instead_of_dtend.ics: 2012-06-30 06:00 PDT = 13:00Z with
# DURATION:P1D = 1440 minutes.
fresh dur $MENTOR $MENTEE
inject "$ICS/ical.js/duration_instead_of_dtend.ics" "$T/dur.ics"
run tether-collect meetings --from 2012-06-01 --to 2012-07-31 "$T/dur.ics"
check "duration_instead_of_dtend" 0 "1|0|0" "2012-06-30T13:00:00Z 1440.0 other p1"

# parserv2.ics: organizer x@bar.com, attendee foo@bar.com (ATTENDEE lines
# folded inside RSVP=TRUE); FREQ=DAILY;BYDAY=MO..FR from Tue 2012-09-11
# 10:30-11:00 PDT = 17:30Z. Window Sep 10-16: Tue 11 to Fri 14, 4 meetings.
fresh parserv2 x@bar.com foo@bar.com
run tether-collect meetings --from 2012-09-10 --to 2012-09-16 \
    "$ICS/ical.js/parserv2.ics"
check "parserv2" 0 "4|0|0" \
    "2012-09-11T17:30:00Z 30.0 other p1" "2012-09-12T17:30:00Z 30.0 other p1" \
    "2012-09-13T17:30:00Z 30.0 other p1" "2012-09-14T17:30:00Z 30.0 other p1"

# recur_instances.ics: organizer jlal@mozilla.com, attendee
# calmozilla1@gmail.com (ACCEPTED). Series: first Tuesday monthly 10:00-10:30
# America/Los_Angeles from 2012-10-02, LOCATION PLACE (in_person); RDATEs
# 2012-11-05, 11-10, 11-30 10:00 local; EXDATEs 2012-12-04, 2013-02-05,
# 2013-04-02. Overrides (which keep the master's attendees): 2012-10-02
# moved to 15:00 PDT = 22:00Z; the RDATE 2012-11-05 10:00 PST
# (RECURRENCE-ID 20121105T180000Z) moved to 2012-11-06 20:00 PST =
# 2012-11-07 04:00Z; neither has a LOCATION: other. Window 2012-10..2013-03:
# Oct 2 (moved), Nov 6, Nov 5 (moved), Nov 10, Nov 30, Jan 1, Mar 5 (PST,
# 18:00Z; DST starts Mar 10): 7 meetings.
fresh recur jlal@mozilla.com calmozilla1@gmail.com
run tether-collect meetings --from 2012-10-01 --to 2013-03-31 \
    "$ICS/ical.js/recur_instances.ics"
check "recur_instances: RDATE, EXDATE, overrides" 0 "7|0|0" \
    "2012-10-02T22:00:00Z 30.0 other p1" \
    "2012-11-06T18:00:00Z 30.0 in_person p1" \
    "2012-11-07T04:00:00Z 30.0 other p1" \
    "2012-11-10T18:00:00Z 30.0 in_person p1" \
    "2012-11-30T18:00:00Z 30.0 in_person p1" \
    "2013-01-01T18:00:00Z 30.0 in_person p1" \
    "2013-03-05T18:00:00Z 30.0 in_person p1"
# November 2023: the rule's 2023-11-07 10:00 PST = 18:00Z, the RDATE
# 20231123T090000Z (30 min) and the RDATE;VALUE=PERIOD
# 20231125T090000Z/20231125T123000Z (210 min).
fresh recur2 jlal@mozilla.com calmozilla1@gmail.com
run tether-collect meetings --from 2023-11-01 --to 2023-11-30 \
    "$ICS/ical.js/recur_instances.ics"
check "recur_instances: RDATE period" 0 "3|0|0" \
    "2023-11-07T18:00:00Z 30.0 in_person p1" \
    "2023-11-23T09:00:00Z 30.0 in_person p1" \
    "2023-11-25T09:00:00Z 210.0 in_person p1"

# --- libical --------------------------------------------------------------

# 1.ics: the event misspells DTSTART as DTSTAR: rejected, naming the line
# of its BEGIN:VEVENT (21) and libical's complaint.
fresh one mrbig@host.com employee-a@host.com
run tether-collect meetings --from 1998-01-01 --to 1998-12-31 "$ICS/libical/1.ics"
check "libical/1.ics: no DTSTART" 1 "0|0|1"
expect_eq "libical/1.ics: message" "$ERR" \
    "$ICS/libical/1.ics:21: event has no DTSTART (libical: Parse error in property name: DTSTAR)
$ICS/libical/1.ics: 1 rows: 0 loaded, 1 rejected"
expect_eq "libical/1.ics: reject log" \
    "$(sql "SELECT line || ' ' || reason FROM rejects")" \
    "21 event has no DTSTART (libical: Parse error in property name: DTSTAR)"

# 2.ics: ORGANIZER:MAILTO:jdoe, ATTENDEE jsmith; 1997-03-24 12:30Z-21:00Z
# = 510 min at LOCATION "LDB Lobby" (in_person); the bad DTSTAMP is harmless.
fresh two jdoe@host1.com jsmith@host1.com
run tether-collect meetings --from 1997-01-01 --to 1997-12-31 "$ICS/libical/2.ics"
check "libical/2.ics" 0 "1|0|0" "1997-03-24T12:30:00Z 510.0 in_person p1"

# incoming.ics: 15 iTIP messages, 14 VEVENTs. Pairs a->c and b->d.
# #I1 (UID ...776, B organizer, A B C D): 10:00Z, DTEND 19970701T10300Z
#   which libical reads as 10:30: 30 min, both pairs.
# UID ...777: #I2 and #I3 have SEQUENCE 2, #I3 the later DTSTAMP: it wins
#   (19:00-19:30Z, A..E: both pairs); #I4 (SEQUENCE 0) and the CANCEL #I11
#   (SEQUENCE 1) are older versions: skipped.
# #I7 (UID ...779): B, C, A: pair a->c only, 19:00-19:30Z.
# #I5, #I6, #I8, #I9, #I10 (REPLY) and #I12 (COUNTER): skipped.
# #I13, #I14: organizer B alone: no pair, skipped. The VFREEBUSY is no event.
# 3 loaded, 3 + 6 + 2 = 11 skipped.
fresh incoming a@example.com c@example.com b@example.com d@example.com
run tether-collect meetings --from 1997-01-01 --to 1997-12-31 \
    "$ICS/libical/incoming.ics"
check "incoming.ics: iTIP versions" 0 "3|11|0" \
    "1997-07-01T10:00:00Z 30.0 other p1" "1997-07-01T10:00:00Z 30.0 other p2" \
    "1997-07-01T19:00:00Z 30.0 other p1" "1997-07-01T19:00:00Z 30.0 other p1" \
    "1997-07-01T19:00:00Z 30.0 other p2"

# --- python-icalendar -----------------------------------------------------

# alarm_google_future.ics: the only address is an ATTENDEE inside a VALARM:
# with the organizer added it still matches no pair. With the pair added:
# 2024-10-04 18:15Z-19:00Z, 45 min, no place: other.
fresh alarm $MENTOR niccokunzmann@googlemail.com
inject "$ICS/python-icalendar/alarm_google_future.ics" "$T/alarm_org.ics" \
    "ORGANIZER:mailto:$MENTOR" ""
run tether-collect meetings --from 2024-10-01 --to 2024-10-31 "$T/alarm_org.ics"
check "alarm_google_future: VALARM attendee" 0 "0|1|0"
fresh alarm2 $MENTOR $MENTEE
inject "$ICS/python-icalendar/alarm_google_future.ics" "$T/alarm.ics"
run tether-collect meetings --from 2024-10-01 --to 2024-10-31 "$T/alarm.ics"
check "alarm_google_future" 0 "1|0|0" "2024-10-04T18:15:00Z 45.0 other p1"

# bom_calendar.ics: a BOM and an empty calendar: nothing, no error.
fresh bom $MENTOR $MENTEE
run tether-collect meetings --from 2024-01-01 --to 2024-12-31 \
    "$ICS/python-icalendar/bom_calendar.ics"
check "bom_calendar" 0 "0|0|0"

# event_with_recurrence_exdates_on_different_lines.ics: a bare VEVENT (no
# VCALENDAR), no UID; Tuesdays 10:00-18:00 Europe/Vienna from 2012-03-27
# UNTIL 20120703T080000Z (= Jul 3 10:00 CEST, included): 15 Tuesdays minus
# 5 EXDATEs (Apr 3, 10, 17, May 1, 29) = 10, all CEST: 08:00Z, 480 min.
fresh exd $MENTOR $MENTEE
inject "$ICS/python-icalendar/event_with_recurrence_exdates_on_different_lines.ics" \
    "$T/exd.ics"
run tether-collect meetings --from 2012-03-01 --to 2012-07-31 "$T/exd.ics"
check "exdates_on_different_lines" 0 "10|0|0" \
    "2012-03-27T08:00:00Z 480.0 other p1" "2012-04-24T08:00:00Z 480.0 other p1" \
    "2012-05-08T08:00:00Z 480.0 other p1" "2012-05-15T08:00:00Z 480.0 other p1" \
    "2012-05-22T08:00:00Z 480.0 other p1" "2012-06-05T08:00:00Z 480.0 other p1" \
    "2012-06-12T08:00:00Z 480.0 other p1" "2012-06-19T08:00:00Z 480.0 other p1" \
    "2012-06-26T08:00:00Z 480.0 other p1" "2012-07-03T08:00:00Z 480.0 other p1"
expect_match "exdates_on_different_lines: no-UID warning" "$ERR" \
    "warning: 1 events have no UID"

# example.ics: three all-day holidays (bare DTSTART:20220101): skipped.
fresh example $MENTOR $MENTEE
inject "$ICS/python-icalendar/example.ics" "$T/example.ics"
run tether-collect meetings --from 2022-01-01 --to 2022-12-31 "$T/example.ics"
check "example.ics: all-day" 0 "0|3|0"

# issue_101: ORGANIZER;CN="acme, ädmin":mailto:adm-acme@mydomain.de (a
# quoted CN with a comma); with an attendee added: 2013-04-16 10:00Z, 60 min,
# LOCATION "im büro": in_person.
fresh umlaut adm-acme@mydomain.de $MENTEE
inject "$ICS/python-icalendar/issue_101_icalendar_chokes_on_umlauts_in_organizer.ics" \
    "$T/umlaut.ics" "" "ATTENDEE:mailto:$MENTEE"
run tether-collect meetings --from 2013-04-01 --to 2013-04-30 "$T/umlaut.ics"
check "issue_101: quoted CN with comma" 0 "1|0|0" \
    "2013-04-16T10:00:00Z 60.0 in_person p1"

# issue_112: Fridays and Saturdays 12:00-17:00 America/New_York from Sat
# 2013-09-07 UNTIL 20131025T035959Z (Oct 24, 23:59 EDT): 13 days minus the
# EXDATEs Oct 11 and 12 = 11, at 16:00Z (EDT), 300 min, in_person.
fresh i112 $MENTOR $MENTEE
inject "$ICS/python-icalendar/issue_112_missing_tzinfo_on_exdate.ics" "$T/i112.ics"
run tether-collect meetings --from 2013-09-01 --to 2013-10-31 "$T/i112.ics"
check "issue_112: EXDATE with TZID" 0 "11|0|0" \
    "2013-09-07T16:00:00Z 300.0 in_person p1" \
    "2013-09-13T16:00:00Z 300.0 in_person p1" \
    "2013-09-14T16:00:00Z 300.0 in_person p1" \
    "2013-09-20T16:00:00Z 300.0 in_person p1" \
    "2013-09-21T16:00:00Z 300.0 in_person p1" \
    "2013-09-27T16:00:00Z 300.0 in_person p1" \
    "2013-09-28T16:00:00Z 300.0 in_person p1" \
    "2013-10-04T16:00:00Z 300.0 in_person p1" \
    "2013-10-05T16:00:00Z 300.0 in_person p1" \
    "2013-10-18T16:00:00Z 300.0 in_person p1" \
    "2013-10-19T16:00:00Z 300.0 in_person p1"

# issue_165: Exchange's quoted non-IANA TZID "GMT +0100 (Standard) / GMT
# +0200 (Daylight)", converted through its VTIMEZONE: 10:00 = 08:00Z in
# July. Weekdays from Fri 2015-07-03 UNTIL 20150722T080000Z (included):
# Jul 3, 6-10, 13-17, 20-22 = 14 standups of 30 min.
fresh i165 $MENTOR $MENTEE
inject "$ICS/python-icalendar/issue_165_missing_event.ics" "$T/i165.ics"
run tether-collect meetings --from 2015-07-01 --to 2015-07-31 "$T/i165.ics"
check "issue_165: VTIMEZONE of a non-IANA TZID" 0 "14|0|0" \
    "2015-07-03T08:00:00Z 30.0 other p1" "2015-07-06T08:00:00Z 30.0 other p1" \
    "2015-07-07T08:00:00Z 30.0 other p1" "2015-07-08T08:00:00Z 30.0 other p1" \
    "2015-07-09T08:00:00Z 30.0 other p1" "2015-07-10T08:00:00Z 30.0 other p1" \
    "2015-07-13T08:00:00Z 30.0 other p1" "2015-07-14T08:00:00Z 30.0 other p1" \
    "2015-07-15T08:00:00Z 30.0 other p1" "2015-07-16T08:00:00Z 30.0 other p1" \
    "2015-07-17T08:00:00Z 30.0 other p1" "2015-07-20T08:00:00Z 30.0 other p1" \
    "2015-07-21T08:00:00Z 30.0 other p1" "2015-07-22T08:00:00Z 30.0 other p1"

# issue_350: TAB-folded lines, text after END:VCALENDAR; 2022-02-22
# 18:30Z-19:30Z; LOCATION "online" is no room: video.
fresh i350 $MENTOR $MENTEE
inject "$ICS/python-icalendar/issue_350.ics" "$T/i350.ics"
run tether-collect meetings --from 2022-02-01 --to 2022-02-28 "$T/i350.ics"
check "issue_350: TAB folding, LOCATION online" 0 "1|0|0" \
    "2022-02-22T18:30:00Z 60.0 video p1"

# issue_722: TZIDs without VTIMEZONE. Event 1 (line 3, no UID): DTSTART
# 08:00 New York = 12:00Z, DTEND 08:00 Los Angeles = 15:00Z: 180 min; its
# RDATE;VALUE=PERIOD;TZID=Europe/Berlin 2024-09-13 12:00 CEST = 10:00Z for
# PT2H. Events at lines 9 and 15 have no DTSTART: rejected.
fresh i722 $MENTOR $MENTEE
inject "$ICS/python-icalendar/issue_722_missing_timezones.ics" "$T/i722.ics"
run tether-collect meetings --from 2014-01-01 --to 2024-12-31 "$T/i722.ics"
check "issue_722: zones without VTIMEZONE" 1 "2|0|2" \
    "2014-08-29T12:00:00Z 180.0 other p1" "2024-09-13T10:00:00Z 120.0 other p1"
# The injected copy has two more lines per earlier event.
expect_match "issue_722: rejected lines" "$ERR" \
    "i722.ics:11: event has no DTSTART"
expect_match "issue_722: rejected lines" "$ERR" \
    "i722.ics:19: event has no DTSTART"
fresh i722b $MENTOR $MENTEE
run tether-collect meetings --from 2014-01-01 --to 2024-12-31 \
    "$ICS/python-icalendar/issue_722_missing_timezones.ics"
check "issue_722 as is: no participants" 1 "0|2|2"
expect_match "issue_722 as is: lines" "$ERR" \
    "issue_722_missing_timezones.ics:9: event has no DTSTART"

# property_params: upper-case MAILTO: attendees, but an all-day event.
fresh params rembrand@daxlab.com rembrand@xs4all.nl
run tether-collect meetings --from 2012-08-01 --to 2012-08-31 \
    "$ICS/python-icalendar/property_params.ics"
check "property_params: all-day" 0 "0|1|0"

# rfc_7986_conferences: no DTSTART and no UID: rejected. With a DTSTART
# added, its CONFERENCE https link makes it video.
fresh conf $MENTOR $MENTEE
run tether-collect meetings --from 2024-01-01 --to 2024-12-31 \
    "$ICS/python-icalendar/rfc_7986_conferences.ics"
check "rfc_7986_conferences: no DTSTART" 1 "0|0|1"
expect_match "rfc_7986_conferences: message" "$ERR" \
    "rfc_7986_conferences.ics:2: event has no DTSTART"
inject "$ICS/python-icalendar/rfc_7986_conferences.ics" "$T/conf.ics" \
    "DTSTART:20240110T100000Z" "ORGANIZER:mailto:$MENTOR
ATTENDEE:mailto:$MENTEE"
run tether-collect meetings --from 2024-01-01 --to 2024-12-31 "$T/conf.ics"
check "rfc_7986_conferences: CONFERENCE link" 0 "1|0|0" \
    "2024-01-10T10:00:00Z NULL video p1"

# timezoned.ics: 2012-02-13 10:00 to 02-17 18:00 Europe/Vienna (CET):
# 09:00Z to 17:00Z four days later = 6240 min; LOCATION: in_person.
fresh tzd $MENTOR $MENTEE
inject "$ICS/python-icalendar/timezoned.ics" "$T/tzd.ics"
run tether-collect meetings --from 2012-02-01 --to 2012-02-29 "$T/tzd.ics"
check "timezoned" 0 "1|0|0" "2012-02-13T09:00:00Z 6240.0 in_person p1"

# x_location.ics: weekdays 14:00-14:30 Europe/Zurich from Fri 2016-10-28,
# no end. Oct 28 CEST = 12:00Z; DST ends Oct 30: Oct 31 and Nov 1 at 13:00Z.
fresh xloc $MENTOR $MENTEE
inject "$ICS/python-icalendar/x_location.ics" "$T/xloc.ics"
run tether-collect meetings --from 2016-10-28 --to 2016-11-01 "$T/xloc.ics"
check "x_location" 0 "3|0|0" \
    "2016-10-28T12:00:00Z 30.0 in_person p1" \
    "2016-10-31T13:00:00Z 30.0 in_person p1" \
    "2016-11-01T13:00:00Z 30.0 in_person p1"

# --- recurring-ical-events -------------------------------------------------

# each_week_but_one_deleted.ics: weekly COUNT=8 from Mon 2019-03-04 00:30
# Europe/Berlin (CET = 2019-03-03 23:30Z); EXDATE:20190310T233000Z is the
# instant of the Mar 11 instance. DST starts Mar 31, so Apr 1, 8, 15, 22
# are at 22:30Z the day before. 7 meetings of 30 min.
fresh week $MENTOR $MENTEE
inject "$ICS/recurring-ical-events/each_week_but_one_deleted.ics" "$T/week.ics"
run tether-collect meetings --from 2019-03-01 --to 2019-04-30 "$T/week.ics"
week_expected=("2019-03-03T23:30:00Z 30.0 other p1"
    "2019-03-17T23:30:00Z 30.0 other p1" "2019-03-24T23:30:00Z 30.0 other p1"
    "2019-03-31T22:30:00Z 30.0 other p1" "2019-04-07T22:30:00Z 30.0 other p1"
    "2019-04-14T22:30:00Z 30.0 other p1" "2019-04-21T22:30:00Z 30.0 other p1")
check "each_week_but_one_deleted: EXDATE in UTC" 0 "7|0|0" "${week_expected[@]}"
# Re-importing the same file changes nothing; neither does a wider window
# (the same instances, now unchanged).
run tether-collect meetings --from 2019-03-01 --to 2019-04-30 "$T/week.ics"
expect_match "re-import: known file" "$ERR" "was imported before; skipped"
run tether-collect meetings --from 2019-01-01 --to 2019-12-31 "$T/week.ics"
expect_match "re-import, wider window: unchanged" "$ERR" \
    "7 rows|0 loaded, 7 unchanged, 0 rejected"
check "re-import: same meetings" 0 "0|0|0" "${week_expected[@]}"

# issue_18_cancel_status.ics: daily COUNT=3 22:00-23:00 Europe/Berlin (CET,
# 21:00Z) from 2020-01-28; the override of Jan 29 is CANCELLED: skipped.
fresh cancel $MENTOR $MENTEE
inject "$ICS/recurring-ical-events/issue_18_cancel_status.ics" "$T/cancel.ics"
run tether-collect meetings --from 2020-01-01 --to 2020-01-31 "$T/cancel.ics"
check "issue_18: cancelled instance" 0 "2|1|0" \
    "2020-01-28T21:00:00Z 60.0 other p1" "2020-01-30T21:00:00Z 60.0 other p1"

# issue_27_t1.ics (Exchange 2010): DTSTART value folded after the colon,
# 2020-04-26 14:00 Europe/Berlin (CEST, 12:00Z), daily UNTIL 20200429T000000
# (floating: Apr 26, 27, 28), EXDATE:20200427T120000Z removes Apr 27.
fresh i27 $MENTOR $MENTEE
inject "$ICS/recurring-ical-events/issue_27_t1.ics" "$T/i27.ics"
run tether-collect meetings --from 2020-04-01 --to 2020-04-30 "$T/i27.ics"
check "issue_27: floating UNTIL, EXDATE in UTC" 0 "2|0|0" \
    "2020-04-26T12:00:00Z 30.0 other p1" "2020-04-28T12:00:00Z 30.0 other p1"
# The same with the Windows name of its VTIMEZONE as TZID.
sed 's/TZID=Europe\/Berlin/TZID=W. Europe Standard Time/' "$T/i27.ics" \
    >"$T/i27w.ics"
fresh i27w $MENTOR $MENTEE
run tether-collect meetings --from 2020-04-01 --to 2020-04-30 "$T/i27w.ics"
check "issue_27: TZID W. Europe Standard Time" 0 "2|0|0" \
    "2020-04-26T12:00:00Z 30.0 other p1" "2020-04-28T12:00:00Z 30.0 other p1"

# issue_28 (Exchange 2010, TZID GMT Standard Time on the RECURRENCE-IDs):
# two all-day series and three all-day overrides: 5 skipped.
fresh i28 $MENTOR $MENTEE
inject "$ICS/recurring-ical-events/issue_28_rrule_with_UTC_endinginZ.ics" "$T/i28.ics"
run tether-collect meetings --from 2020-01-01 --to 2020-12-31 "$T/i28.ics"
check "issue_28: all-day Exchange series" 0 "0|5|0"

# issue_4.ics (Confluence): an all-day weekly series with X-params on
# ORGANIZER and ATTENDEE: skipped.
fresh i4 person@domain.com $MENTEE
inject "$ICS/recurring-ical-events/issue_4.ics" "$T/i4.ics" "" \
    "ATTENDEE:mailto:$MENTEE"
run tether-collect meetings --from 2019-01-01 --to 2019-12-31 "$T/i4.ics"
check "issue_4: all-day" 0 "0|1|0"

# issue_48: weekly Monday 11:30-13:00 Europe/Lisbon from 2020-09-21, a Zoom
# link in DESCRIPTION (LOCATION empty): video. The local time stays 11:30:
# 10:30Z (WEST) on Oct 12 and 19, 11:30Z (WET) after Oct 25 on Oct 26, Nov 2.
fresh i48 $MENTOR $MENTEE
inject "$ICS/recurring-ical-events/issue_48_daylight_aware_repeats.ics" "$T/i48.ics"
run tether-collect meetings --from 2020-10-12 --to 2020-11-08 "$T/i48.ics"
check "issue_48: DST-crossing weekly meeting" 0 "4|0|0" \
    "2020-10-12T10:30:00Z 90.0 video p1" "2020-10-19T10:30:00Z 90.0 video p1" \
    "2020-10-26T11:30:00Z 90.0 video p1" "2020-11-02T11:30:00Z 90.0 video p1"

# issue_62: the override (listed before its master) moves the Dec 31 2021
# instance of "last Friday monthly 21:30 Europe/Berlin" to Dec 17; DTEND
# equals DTSTART (0 min), the override keeps that length. DESCRIPTION has a
# URL: video. Nov 26, Dec 17, Jan 28, Feb 25 at 20:30Z (CET).
fresh i62 $MENTOR $MENTEE
inject "$ICS/recurring-ical-events/issue_62_moved_event.ics" "$T/i62.ics"
run tether-collect meetings --from 2021-11-01 --to 2022-02-28 "$T/i62.ics"
check "issue_62: override before master" 0 "4|0|0" \
    "2021-11-26T20:30:00Z 0.0 video p1" "2021-12-17T20:30:00Z 0.0 video p1" \
    "2022-01-28T20:30:00Z 0.0 video p1" "2022-02-25T20:30:00Z 0.0 video p1"

# issue_173_only_modifications_error.ics: a real Google export of 677
# VEVENTs (Europe/Paris TZIDs and UTC times, RRULEs with UNTIL, EXDATE
# lists, 186 RECURRENCE-ID overrides, X-GOOGLE-CONFERENCE links, all-day
# events) and no attendee. Window March-April 2024, which holds the switch
# to summer time (Mar 31). The expected figures come from an independent
# expansion of the same file (dateutil's rrule with zoneinfo, written for
# this purpose and run once): 124 meetings totalling 28530 minutes, 4 of
# them video; 355 skipped (all-day events, cancelled events and single
# events outside the window); the sorted list of meetings has the MD5 below.
fresh big $MENTOR $MENTEE
BIG=$ICS/recurring-ical-events/issue_173_only_modifications_error.ics
run tether-collect meetings --from 2024-03-01 --to 2024-04-30 "$BIG"
expect_eq "issue_173 as is: no attendees, all skipped" "$(counts)" "0|479|0"
fresh big2 $MENTOR $MENTEE
inject "$BIG" "$T/big.ics"
run tether-collect meetings --from 2024-03-01 --to 2024-04-30 "$T/big.ics"
expect_eq "issue_173: exit status" "$RC" 0
expect_eq "issue_173: loaded|skipped|rejected" "$(counts)" "124|355|0"
expect_eq "issue_173: minutes and media" \
    "$(sql "SELECT sum(duration_min), sum(medium = 'video'),
                   sum(medium = 'other') FROM contacts")" "28530.0|4|120"
expect_eq "issue_173: every meeting" "$(meetings | sort | md5sum)" \
    "a6e3c56a928682c81561de418a64006d  -"
expect_eq "issue_173: first and last" "$(meetings | sort | sed -n '1p;$p')" \
    "2024-03-04T09:00:00Z 120.0 other p1
2024-04-30T22:00:00Z 17220.0 other p1"

# --- situations the test files lack, written here -------------------------

# ics FILE LINES...: writes a calendar (CRLF) holding the given lines.
ics() {
    local f=$1
    shift
    { echo "BEGIN:VCALENDAR"; echo "VERSION:2.0"; echo "PRODID:-//t//t//EN"
      printf '%s\n' "$@"; echo "END:VCALENDAR"; } | sed 's/$/\r/' >"$f"
}

# A declined attendee does not make a pair match; an accepted one does.
fresh declined $MENTOR $MENTEE
ics "$T/declined.ics" "BEGIN:VEVENT" "UID:d1" "DTSTART:20240110T100000Z" \
    "DTEND:20240110T110000Z" "ORGANIZER;CN=\"Doe, Jane\":MAILTO:Mentor@Tether.Test" \
    "ATTENDEE;PARTSTAT=DECLINED:mailto:$MENTEE" "END:VEVENT" \
    "BEGIN:VEVENT" "UID:d2" "DTSTART:20240111T100000Z" \
    "DTEND:20240111T104500Z" "ORGANIZER:MailTo:$MENTOR" \
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:$MENTEE" "LOCATION:Room 4" "END:VEVENT"
run tether-collect meetings --from 2024-01-01 --to 2024-01-31 "$T/declined.ics"
check "declined attendee" 0 "1|1|0" "2024-01-11T10:00:00Z 45.0 in_person p1"

# A cancelled override, listed before its master, removes its instance; a
# second override moves one; STATUS:CANCELLED on a master drops its series.
fresh override $MENTOR $MENTEE
ics "$T/override.ics" \
    "BEGIN:VEVENT" "UID:w1" "RECURRENCE-ID:20240115T090000Z" "STATUS:CANCELLED" \
    "DTSTART:20240115T090000Z" "DTEND:20240115T093000Z" "END:VEVENT" \
    "BEGIN:VEVENT" "UID:w1" "RECURRENCE-ID:20240122T090000Z" \
    "DTSTART:20240123T140000Z" "DTEND:20240123T150000Z" \
    "LOCATION:https://teams.microsoft.com/l/meetup-join/x" "END:VEVENT" \
    "BEGIN:VEVENT" "UID:w1" "DTSTART:20240108T090000Z" "DTEND:20240108T093000Z" \
    "RRULE:FREQ=WEEKLY;COUNT=4" "ORGANIZER:mailto:$MENTOR" \
    "ATTENDEE:mailto:$MENTEE" "END:VEVENT" \
    "BEGIN:VEVENT" "UID:gone" "STATUS:CANCELLED" "DTSTART:20240108T120000Z" \
    "RRULE:FREQ=DAILY" "ORGANIZER:mailto:$MENTOR" "ATTENDEE:mailto:$MENTEE" \
    "END:VEVENT"
run tether-collect meetings --from 2024-01-01 --to 2024-01-31 "$T/override.ics"
check "cancelled override and master" 0 "3|2|0" \
    "2024-01-08T09:00:00Z 30.0 other p1" "2024-01-23T14:00:00Z 60.0 video p1" \
    "2024-01-29T09:00:00Z 30.0 other p1"
expect_eq "override: keys" "$(sql "SELECT source_key FROM contacts
                                  ORDER BY started_at")" \
    "w1/20240108T090000Z
w1/20240122T090000Z
w1/20240129T090000Z"

# Windows zone names without VTIMEZONE; a floating time in --timezone; an
# unknown zone, an end before the start and a bad date are rejected with
# the line of their BEGIN:VEVENT (5 lines per event after 3 header lines).
fresh zones $MENTOR $MENTEE
ev() { echo "BEGIN:VEVENT"; echo "UID:$1"; echo "DTSTART$2"; echo "DTEND$3"
       echo "ORGANIZER:mailto:$MENTOR"; echo "ATTENDEE:mailto:$MENTEE"
       echo "END:VEVENT"; }
mapfile -t lines < <(
    ev z1 ";TZID=Pacific Standard Time:20240110T090000" \
        ";TZID=Pacific Standard Time:20240110T093000"
    ev z2 ";TZID=\"GMT Standard Time\":20240710T090000" \
        ";TZID=\"GMT Standard Time\":20240710T100000"
    ev z3 ":20240110T090000" ":20240110T091500"
    ev z4 ";TZID=Mars/Olympus:20240110T090000" ":20240110T100000Z"
    ev z5 ":20240110T090000Z" ":20240110T080000Z"
    ev z6 ":20241310T090000Z" ":20241310T100000Z")
ics "$T/zones.ics" "${lines[@]}"
run tether-collect meetings --timezone Asia/Tokyo --from 2024-01-01 \
    --to 2024-12-31 "$T/zones.ics"
check "time zones" 1 "3|0|3" "2024-01-10T00:00:00Z 15.0 other p1" \
    "2024-01-10T17:00:00Z 30.0 other p1" "2024-07-10T08:00:00Z 60.0 other p1"
expect_eq "time zones: rejects" "$(printf '%s\n' "$ERR" | grep -v rows)" \
    "$T/zones.ics:25: DTSTART has the unknown time zone 'Mars/Olympus' (no VTIMEZONE)
$T/zones.ics:32: DTEND is before DTSTART
$T/zones.ics:39: DTSTART '20241310T090000Z' is not a date-time"

# A file that is not iCalendar loads nothing (exit 3).
fresh notics $MENTOR $MENTEE
printf 'hello\nworld\n' >"$T/notics.ics"
run tether-collect meetings --format ics "$T/notics.ics"
expect_eq "not iCalendar: exit status" "$RC" 3
expect_eq "not iCalendar: message" "$ERR" \
    "tether-collect: '$T/notics.ics' is not an iCalendar file (no BEGIN:VCALENDAR or BEGIN:VEVENT line)"

# A hostile endless FREQ=MINUTELY rule stops after 100,000 instances.
fresh hostile $MENTOR $MENTEE
ics "$T/hostile.ics" "BEGIN:VEVENT" "UID:h" "DTSTART:20240101T000000Z" \
    "RRULE:FREQ=MINUTELY" "ORGANIZER:mailto:$MENTOR" "END:VEVENT"
run tether-collect meetings --from 2024-01-01 --to 2025-12-31 "$T/hostile.ics"
check "hostile rule: bounded" 0 "0|100000|0"
expect_match "hostile rule: warning" "$ERR" \
    "warning: 1 recurrence rules stopped after 100000 instances"

# Without --from/--to the window runs from the first pair's start to today:
# with the pair starting 2019-03-20, the weekly series of
# each_week_but_one_deleted.ics loads its instances from Mar 24 23:30Z on.
export TETHER_DB="$T/default.db"
printf 'person_id,email,work_mode\nm,%s,remote\nn,%s,office\n' $MENTOR $MENTEE \
    >"$T/people.csv"
printf 'pair_id,mentor,mentee,started_on\np1,m,n,2019-03-20\n' >"$T/pairs.csv"
tether-collect people -q "$T/people.csv" && tether-collect pairs -q "$T/pairs.csv"
run tether-collect meetings "$T/week.ics"
check "default window: the pair's dates" 0 "5|0|0" "${week_expected[@]:2}"

# The same calendar in UTF-16 with a BOM (as some Windows tools save it).
fresh utf16 $MENTOR $MENTEE
iconv -f UTF-8 -t UTF-16 "$T/cancel.ics" >"$T/cancel16.ics"
run tether-collect meetings --from 2020-01-01 --to 2020-01-31 "$T/cancel16.ics"
check "UTF-16 calendar" 0 "2|1|0" \
    "2020-01-28T21:00:00Z 60.0 other p1" "2020-01-30T21:00:00Z 60.0 other p1"
