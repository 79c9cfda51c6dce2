/* zoom.c - Zoom participants reports (web portal, Reports > Usage >
 * Participants > Export), with or without the meeting block, with unique
 * users (Total Duration) or one row per join (Join Time, Leave Time), also
 * after a round trip through Excel. Columns are found by name. */
#include "collect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tether/timeutil.h"
#include "tether/util.h"

static const char *const meeting_id_names[] = {"Meeting ID", NULL};
static const char *const topic_names[] = {"Topic", NULL};
static const char *const start_names[] = {"Start Time", NULL};
static const char *const end_names[] = {"End Time", NULL};
static const char *const duration_names[] = {"Duration (Minutes)", NULL};
static const char *const name_names[] = {"Name (Original Name)", "Name",
                                         "Participant", NULL};
static const char *const email_names[] = {"User Email", "Email", NULL};
static const char *const join_names[] = {"Join Time", NULL};
static const char *const leave_names[] = {"Leave Time", NULL};
static const char *const total_names[] = {"Total Duration (Minutes)", NULL};
/* Columns only the Active Hosts (usage) report has, in Zoom's spelling and
 * as tools that rename headers write them. */
static const char *const host_names[] = {
    "Has Zoom Rooms", "HasZoomRooms", "Has_Zoom_Rooms", "Creation Time",
    "Creation_Time", NULL};

int
zoom_detect(const char *head)
{
    /* The participant header, or the meeting block's, names these. */
    return strstr(head, "Name (Original Name)") != NULL ||
           strstr(head, "Has Zoom Rooms") != NULL ||
           (strstr(head, "Meeting ID,Topic,") != NULL &&
            strstr(head, "User Email") != NULL);
}

static int
is_meeting_header(const struct report_record *r)
{
    return report_find(r, meeting_id_names) >= 0 &&
           (report_find(r, topic_names) >= 0 ||
            report_find(r, start_names) >= 0);
}

static int
is_participant_header(const struct report_record *r)
{
    return report_find(r, email_names) >= 0 &&
           report_find(r, name_names) >= 0 &&
           (report_find(r, join_names) >= 0 ||
            report_find(r, total_names) >= 0 ||
            report_find(r, duration_names) >= 0);
}

struct zoom {
    struct import *imp;
    struct attendance *att;
    struct meeting_report m;
    int open;   /* m holds a meeting still to be stored */
    int broken; /* the meeting's own row was rejected: skip its people */
    enum date_order order;
    const char *zone;
    /* participant columns */
    long c_name, c_email, c_join, c_leave, c_dur, c_total;
    const char *h_join, *h_leave, *h_dur;
};

/* A time of a row, or rejects the row naming the column: 0 or -1. */
static int
row_time(struct zoom *z, const struct report_record *r, long col,
         const char *header, int64_t *ts)
{
    struct loctime t;
    const char *v = report_get(r, col);
    if (loctime_parse(v, z->order, &t) || !t.has_date || !t.has_time) {
        import_reject(z->imp, r->line, header, r->raw,
                      "'%s' is not a date and time (%s)", v,
                      z->order == DATE_ORDER_DMY ? "DD/MM/YYYY hh:mm:ss"
                                                 : "MM/DD/YYYY hh:mm:ss AM");
        return -1;
    }
    loctime_to_utc(&t, z->zone, ts);
    return 0;
}

static int
flush(struct zoom *z)
{
    int rc = 0;
    if (z->open && !z->broken)
        rc = attendance_store(z->att, &z->m);
    meeting_report_clear(&z->m);
    z->open = z->broken = 0;
    return rc;
}

/* The meeting block's value row. */
static void
meeting_row(struct zoom *z, const struct report_record *hdr,
            const struct report_record *r)
{
    struct meeting_report *m = &z->m;
    m->line = r->line;
    m->raw = r->raw;
    /* Zoom prints long ids with spaces ("852 1848 6288"). */
    struct tether_buf id = {0};
    for (const char *p = report_get(r, report_find(hdr, meeting_id_names)); *p;
         p++)
        if (*p != ' ')
            tether_buf_addc(&id, *p);
    tether_buf_add(&id, "", 0);
    m->id = id.data;
    const char *start_h = report_get(hdr, report_find(hdr, start_names));
    if (row_time(z, r, report_find(hdr, start_names), start_h,
                 &m->started_at)) {
        z->broken = 1;
        return;
    }
    m->has_start = 1;
    long dcol = report_find(hdr, duration_names);
    const char *dur = report_get(r, dcol);
    if (*dur) {
        if (duration_parse(dur, &m->duration_min)) {
            import_reject(z->imp, r->line, report_get(hdr, dcol), r->raw,
                          "'%s' is not a number of minutes", dur);
            z->broken = 1;
        }
        return;
    }
    long ecol = report_find(hdr, end_names);
    int64_t end;
    if (*report_get(r, ecol) &&
        row_time(z, r, ecol, report_get(hdr, ecol), &end) == 0 &&
        end >= m->started_at)
        m->duration_min = (double)(end - m->started_at) / 60.0;
}

static void
participant_row(struct zoom *z, const struct report_record *r)
{
    int64_t join = INT64_MIN, leave = INT64_MIN;
    double minutes = NAN;
    if (z->c_join >= 0 && *report_get(r, z->c_join) &&
        row_time(z, r, z->c_join, z->h_join, &join))
        return;
    if (z->c_leave >= 0 && *report_get(r, z->c_leave) &&
        row_time(z, r, z->c_leave, z->h_leave, &leave))
        return;
    long dcol = z->c_total >= 0 ? z->c_total : z->c_dur;
    const char *dur = report_get(r, dcol);
    if (*dur && duration_parse(dur, &minutes)) {
        import_reject(z->imp, r->line, z->h_dur, r->raw,
                      "'%s' is not a number of minutes", dur);
        return;
    }
    if (join != INT64_MIN && leave != INT64_MIN && leave < join) {
        import_reject(z->imp, r->line, z->h_leave, r->raw,
                      "leaves before joining");
        return;
    }
    meeting_report_add(&z->m, report_get(r, z->c_name),
                       report_get(r, z->c_email), "", join, leave, minutes,
                       r->line);
}

/* Votes of every A/B/C date in the file for its order. */
static void
count_orders(const struct report_file *rf, long *dmy, long *mdy)
{
    *dmy = *mdy = 0;
    for (size_t k = 0; k < rf->n; k++)
        for (size_t i = 0; i < rf->rec[k].n; i++) {
            enum date_order o = loctime_order_hint(rf->rec[k].field[i]);
            *dmy += o == DATE_ORDER_DMY;
            *mdy += o == DATE_ORDER_MDY;
        }
}

int
zoom_load(struct import *imp)
{
    struct report_file rf;
    struct zoom z = {.imp = imp, .zone = collect_zone(imp)};
    z.m.source = "zoom";
    z.m.duration_min = NAN;
    int rc = -1, have_header = 0;
    if (report_file_read(imp, ',', &rf))
        return -1;
    long dmy, mdy;
    count_orders(&rf, &dmy, &mdy);
    z.order = date_order_choose(imp, DATE_ORDER_MDY, dmy, mdy);
    if (!(z.att = attendance_new(imp)))
        goto out;
    const struct report_record *last_block = NULL;
    for (size_t k = 0; k < rf.n; k++) {
        const struct report_record *r = &rf.rec[k];
        if (report_find(r, host_names) >= 0) {
            snprintf(imp->errbuf, TETHER_ERRBUF,
                     "%s:%ld: this is a Zoom \"Active Hosts\" usage report "
                     "(one row per host%s), not a meeting's participants "
                     "report: export Reports > Usage > Participants of each "
                     "meeting instead",
                     imp->path, r->line,
                     report_find(r, name_names) >= 0 ? " and participant"
                                                     : " and meeting");
            goto out;
        }
        if (is_meeting_header(r)) {
            if (flush(&z))
                goto out;
            z.open = 1;
            last_block = r;
            have_header = 0;
            if (k + 1 < rf.n && !is_participant_header(&rf.rec[k + 1]) &&
                !is_meeting_header(&rf.rec[k + 1])) {
                imp->rows++;
                meeting_row(&z, r, &rf.rec[++k]);
            } else {
                import_reject(imp, r->line, NULL, r->raw,
                              "meeting header without a meeting row");
                z.broken = 1;
            }
            continue;
        }
        if (is_participant_header(r)) {
            z.c_name = report_find(r, name_names);
            z.c_email = report_find(r, email_names);
            z.c_join = report_find(r, join_names);
            z.c_leave = report_find(r, leave_names);
            z.c_dur = report_find(r, duration_names);
            z.c_total = report_find(r, total_names);
            z.h_join = report_get(r, z.c_join);
            z.h_leave = report_get(r, z.c_leave);
            z.h_dur = report_get(r, z.c_total >= 0 ? z.c_total : z.c_dur);
            have_header = 1;
            if (!z.open) { /* a report without the meeting block */
                z.open = 1;
                z.m.line = r->line;
                z.m.raw = r->raw;
            }
            continue;
        }
        if (!have_header) {
            snprintf(imp->errbuf, TETHER_ERRBUF,
                     "%s:%ld: not a Zoom participants report (expected a "
                     "header with Name (Original Name) and User Email)",
                     imp->path, r->line);
            goto out;
        }
        imp->rows++;
        if (!z.broken)
            participant_row(&z, r);
    }
    if (!have_header) {
        snprintf(imp->errbuf, TETHER_ERRBUF,
                 "%s: not a Zoom participants report (no header with Name "
                 "(Original Name) and User Email)",
                 imp->path);
        goto out;
    }
    if (!last_block && z.c_join < 0) {
        snprintf(imp->errbuf, TETHER_ERRBUF,
                 "%s: the report has neither the meeting block nor join "
                 "times, so the meeting's start is unknown (export it with "
                 "meeting data)",
                 imp->path);
        goto out;
    }
    if (flush(&z) || attendance_flush(z.att))
        goto out;
    rc = 0;
out:
    meeting_report_clear(&z.m);
    attendance_free(z.att);
    report_file_free(&rf);
    return rc;
}
