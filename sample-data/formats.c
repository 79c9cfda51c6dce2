/* formats.c - the non-canonical exports the demo feeds to tether-collect:
 * an iCalendar file as Outlook and Google Calendar write it (RFC 5545,
 * CRLF, lines folded at 75 octets), Zoom participants reports (UTF-8 with
 * BOM, CRLF, one row per join) and Microsoft Teams attendance reports
 * (UTF-16LE with BOM, TAB-separated, three sections). Report times carry no
 * zone and are written in UTC. */
#include "sample.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tether/timeutil.h"
#include "tether/util.h"

/* The zones calendar.ics defines, with today's rules. */
static const struct ics_zone {
    const char *zone, *std_off, *dst_off, *std_name, *dst_name;
    const char *dst_start, *dst_rule, *std_start, *std_rule;
} ics_zones[] = {
    {"Europe/London", "+0000", "+0100", "GMT", "BST", "19700329T010000",
     "BYMONTH=3;BYDAY=-1SU", "19701025T020000", "BYMONTH=10;BYDAY=-1SU"},
    {"Europe/Berlin", "+0100", "+0200", "CET", "CEST", "19700329T020000",
     "BYMONTH=3;BYDAY=-1SU", "19701025T030000", "BYMONTH=10;BYDAY=-1SU"},
    {"America/New_York", "-0500", "-0400", "EST", "EDT", "19700308T020000",
     "BYMONTH=3;BYDAY=2SU", "19701101T020000", "BYMONTH=11;BYDAY=1SU"},
    {"America/Los_Angeles", "-0800", "-0700", "PST", "PDT",
     "19700308T020000", "BYMONTH=3;BYDAY=2SU", "19701101T020000",
     "BYMONTH=11;BYDAY=1SU"},
    {"Australia/Sydney", "+1000", "+1100", "AEST", "AEDT", "19701004T020000",
     "BYMONTH=10;BYDAY=1SU", "19700405T030000", "BYMONTH=4;BYDAY=1SU"},
    {"Australia/Adelaide", "+0930", "+1030", "ACST", "ACDT",
     "19701004T020000", "BYMONTH=10;BYDAY=1SU", "19700405T030000",
     "BYMONTH=4;BYDAY=1SU"},
    {"America/Sao_Paulo", "-0300", NULL, "-03", NULL, NULL, NULL, NULL, NULL},
    {"Asia/Kolkata", "+0530", NULL, "IST", NULL, NULL, NULL, NULL, NULL},
    {"Asia/Singapore", "+0800", NULL, "+08", NULL, NULL, NULL, NULL, NULL},
};
#define NZONES (sizeof(ics_zones) / sizeof(ics_zones[0]))

int
sample_ics_zone_known(const char *zone)
{
    for (size_t i = 0; i < NZONES; i++)
        if (strcmp(ics_zones[i].zone, zone) == 0)
            return 1;
    return 0;
}

void
sample_ics_line(FILE *f, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    /* Fold at 75 octets, never inside a UTF-8 sequence (RFC 5545 3.1). */
    size_t len = strlen(line), pos = 0, room = 75;
    while (len - pos > room) {
        size_t cut = pos + room;
        while (cut > pos && ((unsigned char)line[cut] & 0xC0) == 0x80)
            cut--;
        fwrite(line + pos, 1, cut - pos, f);
        fputs("\r\n ", f);
        pos = cut;
        room = 74;
    }
    fwrite(line + pos, 1, len - pos, f);
    fputs("\r\n", f);
}

void
sample_ics_text(char *out, size_t n, const char *value)
{
    size_t j = 0;
    for (const char *c = value; *c && j + 3 < n; c++) {
        if (*c == '\\' || *c == ';' || *c == ',') {
            out[j++] = '\\';
            out[j++] = *c;
        } else if (*c == '\n') {
            out[j++] = '\\';
            out[j++] = 'n';
        } else {
            out[j++] = *c;
        }
    }
    out[j] = '\0';
}

void
sample_ics_local(const char *zone, int64_t ts, char *out)
{
    int off = 0;
    tether_tz_offset(zone, ts, &off);
    char buf[TETHER_TS_LEN];
    tether_ts_format(ts + off, buf);
    snprintf(out, 20, "%.4s%.2s%.2sT%.2s%.2s%.2s", buf, buf + 5, buf + 8,
             buf + 11, buf + 14, buf + 17);
}

static void
utc_stamp(int64_t ts, char *out)
{
    char buf[TETHER_TS_LEN];
    tether_ts_format(ts, buf);
    snprintf(out, 20, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", buf, buf + 5, buf + 8,
             buf + 11, buf + 14, buf + 17);
}

void
sample_ics_begin(struct sample *s)
{
    FILE *f = s->ics->f;
    sample_ics_line(f, "BEGIN:VCALENDAR");
    sample_ics_line(f, "PRODID:-//tether//tether-sample %s//EN",
                    TETHER_VERSION);
    sample_ics_line(f, "VERSION:2.0");
    sample_ics_line(f, "CALSCALE:GREGORIAN");
    sample_ics_line(f, "METHOD:PUBLISH");
    sample_ics_line(f, "X-WR-CALNAME:Mentoring (HR export)");
    for (size_t i = 0; i < NZONES; i++) {
        const struct ics_zone *z = &ics_zones[i];
        sample_ics_line(f, "BEGIN:VTIMEZONE");
        sample_ics_line(f, "TZID:%s", z->zone);
        if (z->dst_off) {
            sample_ics_line(f, "BEGIN:DAYLIGHT");
            sample_ics_line(f, "TZOFFSETFROM:%s", z->std_off);
            sample_ics_line(f, "TZOFFSETTO:%s", z->dst_off);
            sample_ics_line(f, "TZNAME:%s", z->dst_name);
            sample_ics_line(f, "DTSTART:%s", z->dst_start);
            sample_ics_line(f, "RRULE:FREQ=YEARLY;%s", z->dst_rule);
            sample_ics_line(f, "END:DAYLIGHT");
        }
        sample_ics_line(f, "BEGIN:STANDARD");
        sample_ics_line(f, "TZOFFSETFROM:%s",
                        z->dst_off ? z->dst_off : z->std_off);
        sample_ics_line(f, "TZOFFSETTO:%s", z->std_off);
        sample_ics_line(f, "TZNAME:%s", z->std_name);
        sample_ics_line(f, "DTSTART:%s",
                        z->std_start ? z->std_start : "19700101T000000");
        if (z->std_rule)
            sample_ics_line(f, "RRULE:FREQ=YEARLY;%s", z->std_rule);
        sample_ics_line(f, "END:STANDARD");
        sample_ics_line(f, "END:VTIMEZONE");
    }
    /* Calendars hold more than mentoring: a weekly team meeting with a
     * mailing list and a one-off with a facilities account match no pair
     * and are only counted as skipped. */
    char who[64], day[20], stamp[20];
    sample_person_email_lower(s, 0, who);
    int32_t monday = s->start;
    while (tether_weekday(monday) != 0)
        monday++;
    utc_stamp((int64_t)(s->start - 14) * 86400, stamp);
    int y, m, d;
    tether_civil_from_days(monday, &y, &m, &d);
    snprintf(day, sizeof(day), "%04d%02d%02d", y, m, d);
    sample_ics_line(f, "BEGIN:VEVENT");
    sample_ics_line(f, "UID:team-sync-%s@calendar.example.com", day);
    sample_ics_line(f, "DTSTAMP:%s", stamp);
    sample_ics_line(f, "DTSTART;TZID=Europe/London:%sT093000", day);
    sample_ics_line(f, "DTEND;TZID=Europe/London:%sT100000", day);
    sample_ics_line(f, "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=%d",
                    (s->end - monday) / 7 + 1);
    sample_ics_line(f, "SUMMARY:People team weekly sync");
    sample_ics_line(f, "ORGANIZER:mailto:%s", who);
    sample_ics_line(f,
                    "ATTENDEE;CN=People team;CUTYPE=GROUP;ROLE=REQ-"
                    "PARTICIPANT:mailto:people-team@example.com");
    sample_ics_line(f, "X-GOOGLE-CONFERENCE:https://meet.google.com/pqr-stuv-"
                       "wxy");
    sample_ics_line(f, "END:VEVENT");
    tether_civil_from_days(monday + 17, &y, &m, &d);
    snprintf(day, sizeof(day), "%04d%02d%02d", y, m, d);
    sample_ics_line(f, "BEGIN:VEVENT");
    sample_ics_line(f, "UID:fire-drill-%s@calendar.example.com", day);
    sample_ics_line(f, "DTSTAMP:%s", stamp);
    sample_ics_line(f, "DTSTART;TZID=Europe/London:%sT110000", day);
    sample_ics_line(f, "DTEND;TZID=Europe/London:%sT113000", day);
    sample_ics_line(f, "SUMMARY:Fire drill\\, all floors");
    sample_ics_line(f, "ORGANIZER;CN=Facilities:mailto:facilities@example.com");
    sample_ics_line(f, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:%s", who);
    sample_ics_line(f, "LOCATION:London office\\, assembly point B");
    sample_ics_line(f, "END:VEVENT");
}

void
sample_ics_end(struct sample *s)
{
    sample_ics_line(s->ics->f, "END:VCALENDAR");
}

/* "MM/DD/YYYY hh:mm:ss AM" in UTC, as Zoom's US-locale reports. */
static void
zoom_time(int64_t ts, char *out)
{
    char b[TETHER_TS_LEN];
    tether_ts_format(ts, b);
    int h = (b[11] - '0') * 10 + (b[12] - '0');
    int h12 = h % 12 ? h % 12 : 12;
    snprintf(out, 32, "%.2s/%.2s/%.4s %02d:%.2s:%.2s %s", b + 5, b + 8, b,
             h12, b + 14, b + 17, h < 12 ? "AM" : "PM");
}

static void
report_name(const struct report_meeting *m, const char *dir, char *out,
            size_t n)
{
    char pid[64], b[TETHER_TS_LEN];
    sample_pair_id(m->pair_index, pid);
    tether_ts_format(m->start, b);
    snprintf(out, n, "%s/%s-%.4s%.2s%.2s-%.2s%.2s.csv", dir, pid, b, b + 5,
             b + 8, b + 11, b + 14);
}

int
sample_zoom_write(struct sample *s, const struct report_meeting *m)
{
    char rel[128];
    report_name(m, "zoom", rel, sizeof(rel));
    struct outfile *o =
        sample_out_open(s, rel, "meetings", "zoom",
                        "tether-collect meetings --format zoom --timezone UTC");
    if (!o)
        return -1;
    const struct pair *q = m->pair;
    char mname[64], ename[64], mmail[64], email[64], topic[160], a[32],
        b[32], c[32], id[24], dur[16], d1[16], d2[16];
    sample_person_name(&s->people[q->mentor], mname);
    sample_person_name(&s->people[q->mentee], ename);
    sample_person_email_lower(s, q->mentor, mmail);
    sample_person_email(s, q->mentee, email);
    snprintf(topic, sizeof(topic), "Mentoring: %s / %s", mname, ename);
    int64_t end = m->start + m->minutes * 60;
    zoom_time(m->start, a);
    zoom_time(end, b);
    zoom_time(m->split, c);
    snprintf(id, sizeof(id), "%llu", (unsigned long long)m->zoom_id);
    snprintf(dur, sizeof(dur), "%d", m->minutes);
    int first = (int)((m->split - m->start) / 60);
    snprintf(d1, sizeof(d1), "%d", first);
    snprintf(d2, sizeof(d2), "%d", m->minutes - first);
    FILE *f = o->f;
    fputs("\xEF\xBB\xBF", f);
    fputs("Meeting ID,Topic,Start Time,End Time,User Email,Duration "
          "(Minutes),Participants\r\n",
          f);
    const char *meeting[] = {id, topic, a, b, mmail, dur, "3"};
    sample_csv_row(f, "\r\n", 7, meeting);
    fputs(",,,,,,\r\n", f);
    fputs("Name (Original Name),User Email,Join Time,Leave Time,Duration "
          "(Minutes),Guest,Recording Consent\r\n",
          f);
    char device[160];
    snprintf(device, sizeof(device), "%s (%s's phone)", ename, ename);
    const char *r1[] = {mname, mmail, a, b, dur, "No", ""};
    const char *r2[] = {device, email, a, c, d1, "No", ""};
    const char *r3[] = {ename, email, c, b, d2, "No", ""};
    sample_csv_row(f, "\r\n", 7, r1);
    sample_csv_row(f, "\r\n", 7, r2);
    sample_csv_row(f, "\r\n", 7, r3);
    o->rows = 3;
    return sample_out_close(s, o);
}

/* "dd/mm/yy, HH:MM:SS" in UTC, as a European organizer's Teams writes. */
static void
teams_time(int64_t ts, char *out)
{
    char b[TETHER_TS_LEN];
    tether_ts_format(ts, b);
    snprintf(out, 32, "%.2s/%.2s/%.2s, %.8s", b + 8, b + 5, b + 2, b + 11);
}

/* "1h 5m 20s", leaving out the parts that are zero. */
static void
teams_duration(int64_t sec, char *out)
{
    int h = (int)(sec / 3600), mi = (int)(sec % 3600 / 60),
        se = (int)(sec % 60);
    size_t n = 0;
    out[0] = '\0';
    if (h)
        n += (size_t)snprintf(out + n, 32 - n, "%dh", h);
    if (mi)
        n += (size_t)snprintf(out + n, 32 - n, "%s%dm", n ? " " : "", mi);
    if (se || !n)
        snprintf(out + n, 32 - n, "%s%ds", n ? " " : "", se);
}

/* Appends the UTF-16LE form of UTF-8 text. */
static void
utf16le(struct tether_buf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        if (*p < 0x80) {
            cp = *p++;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = (uint32_t)(*p & 0x1F) << 6 | (p[1] & 0x3F);
            p += 2;
        } else if ((*p & 0xF0) == 0xE0) {
            cp = (uint32_t)(*p & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 |
                 (p[2] & 0x3F);
            p += 3;
        } else {
            cp = (uint32_t)(*p & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
                 (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
            p += 4;
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            uint32_t hi = 0xD800 + (cp >> 10), lo = 0xDC00 + (cp & 0x3FF);
            char u[4] = {(char)(hi & 0xFF), (char)(hi >> 8),
                         (char)(lo & 0xFF), (char)(lo >> 8)};
            tether_buf_add(out, u, 4);
        } else {
            char u[2] = {(char)(cp & 0xFF), (char)(cp >> 8)};
            tether_buf_add(out, u, 2);
        }
    }
}

int
sample_teams_write(struct sample *s, const struct report_meeting *m)
{
    char rel[128];
    report_name(m, "teams", rel, sizeof(rel));
    struct outfile *o = sample_out_open(
        s, rel, "meetings", "teams",
        "tether-collect meetings --format teams --timezone UTC "
        "--date-order dmy");
    if (!o)
        return -1;
    const struct pair *q = m->pair;
    char mname[64], ename[64], mmail[64], email[64], eupn[64], a[32], b[32],
        c[32], full[32], p1[32], p2[32];
    sample_person_name_rev(&s->people[q->mentor], mname);
    sample_person_name_rev(&s->people[q->mentee], ename);
    sample_person_email_lower(s, q->mentor, mmail);
    sample_person_email(s, q->mentee, email);
    sample_person_email_lower(s, q->mentee, eupn);
    int64_t end = m->start + m->minutes * 60;
    teams_time(m->start, a);
    teams_time(end, b);
    teams_time(m->split, c);
    teams_duration(end - m->start, full);
    teams_duration(m->split - m->start, p1);
    teams_duration(end - m->split, p2);
    char title[160], tmp[64];
    sample_person_name(&s->people[q->mentor], tmp);
    snprintf(title, sizeof(title), "Mentoring check-in (%s)", tmp);
    struct tether_buf t = {0};
    tether_buf_printf(&t,
                      "1. Summary\n"
                      "Meeting title\t%s\n"
                      "Attended participants\t2\n"
                      "Start time\t%s\n"
                      "End time\t%s\n"
                      "Meeting duration\t%s\n"
                      "Average attendance time\t%s\n"
                      "\n"
                      "2. Participants\n"
                      "Name\tFirst join\tLast leave\tIn-meeting duration\t"
                      "Email\tParticipant ID (UPN)\tRole\n"
                      "%s\t%s\t%s\t%s\t%s\t%s\tOrganizer\n"
                      "%s\t%s\t%s\t%s\t%s\t%s\tAttendee\n"
                      "\n"
                      "3. In-Meeting activities\n"
                      "Name\tJoin time\tLeave time\tDuration\tEmail\tRole\n"
                      "%s\t%s\t%s\t%s\t%s\tOrganizer\n"
                      "%s\t%s\t%s\t%s\t%s\tAttendee\n"
                      "%s\t%s\t%s\t%s\t%s\tAttendee\n",
                      title, a, b, full, full, mname, a, b, full, mmail,
                      mmail, ename, a, b, full, email, eupn, mname, a, b,
                      full, mmail, ename, a, c, p1, email, ename, c, b, p2,
                      email);
    struct tether_buf u = {0};
    tether_buf_add(&u, "\xFF\xFE", 2);
    utf16le(&u, t.data);
    fwrite(u.data, 1, u.len, o->f);
    tether_buf_free(&t);
    tether_buf_free(&u);
    o->rows = 2;
    return sample_out_close(s, o);
}
