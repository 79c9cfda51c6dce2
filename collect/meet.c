/* meet.c - Google Meet attendance reports saved as CSV: "First name, Last
 * name, Email, Duration, Time joined, Time exited" or "Name, Email,
 * Duration, Time joined, Time exited", optionally after a preamble
 * "Meeting title, Date, Start time, End time" (or Meeting code). Times
 * without a date take the preamble's date or --date. */
#include "collect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tether/timeutil.h"
#include "tether/util.h"

static const char *const first_names[] = {"First name", NULL};
static const char *const last_names[] = {"Last name", NULL};
static const char *const name_names[] = {"Name", "Full name",
                                         "Participant", NULL};
static const char *const email_names[] = {"Email", "Email address",
                                          "E-mail", NULL};
static const char *const duration_names[] = {"Duration", NULL};
static const char *const joined_names[] = {"Time joined", "Joined",
                                           "Join time", NULL};
static const char *const exited_names[] = {"Time exited", "Exited",
                                           "Leave time", NULL};
static const char *const title_names[] = {"Meeting title", "Title", NULL};
static const char *const code_names[] = {"Meeting code", "Code", NULL};
static const char *const date_names[] = {"Date", "Meeting date", NULL};
static const char *const start_names[] = {"Start time", NULL};
static const char *const end_names[] = {"End time", NULL};

int
meet_detect(const char *head)
{
    const char *j = strstr(head, "Time joined");
    if (!j)
        j = strstr(head, "Time Joined");
    return j != NULL && (strstr(head, "Time exited") != NULL ||
                         strstr(head, "Time Exited") != NULL);
}

static int
is_header(const struct report_record *r)
{
    return report_find(r, email_names) >= 0 &&
           report_find(r, joined_names) >= 0 &&
           (report_find(r, name_names) >= 0 ||
            report_find(r, first_names) >= 0);
}

struct meet {
    struct import *imp;
    enum date_order order;
    const char *zone;
    int has_day;
    int32_t day; /* the meeting's date, for times without one */
};

enum meet_time_result {
    MEET_TIME_OK = 0,
    MEET_TIME_MALFORMED,
    MEET_TIME_NO_DATE /* a bare time, and the report names no date */
};

/* A time of the report as an instant. */
static enum meet_time_result
meet_time(struct meet *mt, const char *v, int64_t *ts)
{
    struct loctime t;
    if (loctime_parse(v, mt->order, &t) || !t.has_time)
        return MEET_TIME_MALFORMED;
    if (!t.has_date) {
        if (!mt->has_day)
            return MEET_TIME_NO_DATE;
        tether_civil_from_days(mt->day, &t.y, &t.mo, &t.d);
        t.has_date = 1;
    }
    return loctime_to_utc(&t, mt->zone, ts) ? MEET_TIME_MALFORMED
                                            : MEET_TIME_OK;
}

static void
no_date_error(struct import *imp, long line)
{
    snprintf(imp->errbuf, TETHER_ERRBUF,
             "%s:%ld: the times have no date and the report names none; "
             "give the meeting's date with --date",
             imp->path, line);
}

/* Chooses the day-month order from every field of the report. */
static void
meet_order(struct import *imp, const struct report_file *rf, struct meet *mt)
{
    long dmy = 0, mdy = 0;
    for (size_t k = 0; k < rf->n; k++)
        for (size_t i = 0; i < rf->rec[k].n; i++) {
            enum date_order o = loctime_order_hint(rf->rec[k].field[i]);
            dmy += o == DATE_ORDER_DMY;
            mdy += o == DATE_ORDER_MDY;
        }
    mt->order = date_order_choose(imp, DATE_ORDER_MDY, dmy, mdy);
}

/* The meeting's own line above the participant table: its code or
 * title, date, start and end. A bad field rejects the line and sets
 * *broken (the meeting is then not stored); returns -1 on an error that
 * ends the import. */
static int
meet_preamble(struct import *imp, struct meet *mt, struct meeting_report *m,
              const struct report_record *pre,
              const struct report_record *pre_hdr, int *broken)
{
    long c;
    const char *v;
    if (*(v = report_get(pre, report_find(pre_hdr, code_names))) ||
        *(v = report_get(pre, report_find(pre_hdr, title_names))))
        m->id = tether_xstrdup(v);
    m->line = pre->line;
    m->raw = pre->raw;
    c = report_find(pre_hdr, date_names);
    if (*(v = report_get(pre, c))) {
        struct loctime t;
        if (loctime_parse(v, mt->order, &t) || !t.has_date) {
            import_reject(imp, pre->line, report_get(pre_hdr, c), pre->raw,
                          "'%s' is not a date", v);
            *broken = 1;
        } else {
            mt->day = tether_days_from_civil(t.y, t.mo, t.d);
            mt->has_day = 1;
        }
    }
    int64_t end;
    c = report_find(pre_hdr, start_names);
    if (!*broken && *(v = report_get(pre, c))) {
        enum meet_time_result e = meet_time(mt, v, &m->started_at);
        if (e == MEET_TIME_NO_DATE) {
            no_date_error(imp, pre->line);
            return -1;
        }
        if (e) {
            import_reject(imp, pre->line, report_get(pre_hdr, c), pre->raw,
                          "'%s' is not a time", v);
            *broken = 1;
        } else {
            m->has_start = 1;
        }
    }
    c = report_find(pre_hdr, end_names);
    if (!*broken && m->has_start && *(v = report_get(pre, c))) {
        if (meet_time(mt, v, &end)) {
            import_reject(imp, pre->line, report_get(pre_hdr, c), pre->raw,
                          "'%s' is not a time", v);
            *broken = 1;
        } else {
            if (end < m->started_at)
                end += 86400; /* ends after midnight */
            m->duration_min = (double)(end - m->started_at) / 60.0;
        }
    }
    return 0;
}

/* The participant rows from record k on, under the header hdr: a bad
 * time or duration rejects its row; returns -1 on an error that ends
 * the import. */
static int
meet_participants(struct import *imp, struct meet *mt,
                  struct meeting_report *m, const struct report_file *rf,
                  size_t k, const struct report_record *hdr)
{
    long c_first = report_find(hdr, first_names);
    long c_last = report_find(hdr, last_names);
    long c_name = report_find(hdr, name_names);
    long c_email = report_find(hdr, email_names);
    long c_dur = report_find(hdr, duration_names);
    long c_join = report_find(hdr, joined_names);
    long c_exit = report_find(hdr, exited_names);
    for (; k < rf->n; k++) {
        const struct report_record *r = &rf->rec[k];
        imp->rows++;
        int64_t join = INT64_MIN, leave = INT64_MIN;
        double minutes = NAN;
        const char *v;
        enum meet_time_result e;
        if (*(v = report_get(r, c_join)) && (e = meet_time(mt, v, &join))) {
            if (e == MEET_TIME_NO_DATE) {
                no_date_error(imp, r->line);
                return -1;
            }
            import_reject(imp, r->line, report_get(hdr, c_join), r->raw,
                          "'%s' is not a time", v);
            continue;
        }
        if (*(v = report_get(r, c_exit)) && (e = meet_time(mt, v, &leave))) {
            if (e == MEET_TIME_NO_DATE) {
                no_date_error(imp, r->line);
                return -1;
            }
            import_reject(imp, r->line, report_get(hdr, c_exit), r->raw,
                          "'%s' is not a time", v);
            continue;
        }
        if (*(v = report_get(r, c_dur)) && duration_parse(v, &minutes)) {
            import_reject(imp, r->line, report_get(hdr, c_dur), r->raw,
                          "'%s' is not a duration (1 hr 2 min, 42m)", v);
            continue;
        }
        if (join != INT64_MIN && leave != INT64_MIN && leave < join)
            leave += 86400; /* left after midnight */
        if (join != INT64_MIN && leave == INT64_MIN && !isnan(minutes))
            leave = join + (int64_t)llround(minutes * 60);
        char *name;
        if (c_name >= 0 && *report_get(r, c_name))
            name = tether_xstrdup(report_get(r, c_name));
        else
            name = tether_xasprintf("%s %s", report_get(r, c_first),
                                    report_get(r, c_last));
        meeting_report_add(m, tether_str_trim(name), report_get(r, c_email),
                           "", join, leave, minutes, r->line);
        free(name);
    }
    return 0;
}

int
meet_load(struct import *imp)
{
    struct report_file rf;
    struct meet mt = {.imp = imp, .zone = collect_zone(imp)};
    struct meeting_report m = {.source = "meet", .duration_min = NAN};
    struct attendance *att = NULL;
    int rc = -1;
    if (report_file_read(imp, ',', &rf))
        return -1;
    meet_order(imp, &rf, &mt);
    if (imp->opts->date && tether_date_parse(imp->opts->date, &mt.day) == 0)
        mt.has_day = 1;
    size_t k = 0;
    const struct report_record *pre = NULL, *pre_hdr = NULL;
    for (; k < rf.n && !is_header(&rf.rec[k]); k++) {
        const struct report_record *r = &rf.rec[k];
        if (!pre_hdr && (report_find(r, title_names) >= 0 ||
                         report_find(r, code_names) >= 0 ||
                         report_find(r, start_names) >= 0)) {
            pre_hdr = r;
            if (k + 1 < rf.n && !is_header(&rf.rec[k + 1]))
                pre = &rf.rec[++k];
        }
    }
    if (k == rf.n) {
        snprintf(imp->errbuf, TETHER_ERRBUF,
                 "%s: not a Google Meet attendance report (no header with "
                 "Name or First name, Email and Time joined)",
                 imp->path);
        goto out;
    }
    const struct report_record *hdr = &rf.rec[k++];
    int broken = 0;
    if (pre && meet_preamble(imp, &mt, &m, pre, pre_hdr, &broken))
        goto out;
    if (!m.line) {
        m.line = hdr->line;
        m.raw = hdr->raw;
    }
    if (meet_participants(imp, &mt, &m, &rf, k, hdr))
        goto out;
    if (!(att = attendance_new(imp)))
        goto out;
    if (!broken && attendance_store(att, &m))
        goto out;
    if (attendance_flush(att))
        goto out;
    rc = 0;
out:
    meeting_report_clear(&m);
    attendance_free(att);
    report_file_free(&rf);
    return rc;
}
