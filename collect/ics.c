/* ics.c - iCalendar (RFC 5545) exports of Outlook, Exchange and Google
 * Calendar: each meeting instance whose participants include a pair becomes
 * a contact. Parsing is libical's; this file splits the text into calendars
 * (so that it can name the line of each event), resolves time zones and
 * expands recurrences inside the import window. */
#include "collect.h"

#include <ctype.h>
#include <libical/ical.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tether/textin.h"
#include "tether/timeutil.h"
#include "tether/util.h"
#include "tether/vocab.h"

#define MAX_PEOPLE 256
#define MAX_PAIRS 256
/* A hostile RRULE (FREQ=SECONDLY without end) must not run for ever. */
#define MAX_ITERATIONS 100000L
#define DAY_SECONDS 86400

/* Does the line s (up to its end) say exactly word, in any case, with
 * trailing blanks ignored? */
static int
line_is(const char *s, const char *end, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(end - s) < n || strncasecmp(s, word, n) != 0)
        return 0;
    for (s += n; s < end; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r')
            return 0;
    return 1;
}

/* Does the text look like iCalendar: a BEGIN:VCALENDAR or BEGIN:VEVENT line
 * near its start? */
static int
detect_ics(const char *head)
{
    for (const char *s = head; *s;) {
        const char *end = strchr(s, '\n');
        if (!end)
            end = s + strlen(s);
        const char *t = s;
        while (t < end && (*t == ' ' || *t == '\t'))
            t++;
        if (line_is(t, end, "BEGIN:VCALENDAR") ||
            line_is(t, end, "BEGIN:VEVENT"))
            return 1;
        s = *end ? end + 1 : end;
    }
    return 0;
}

int
ics_detect(const char *head)
{
    return detect_ics(head);
}

/* One calendar of the file, as libical will read it: its text (CRLF line
 * ends, blank lines dropped, bare VEVENTs wrapped) and the file's line of
 * each BEGIN:VEVENT in it, in order. */
struct block {
    struct tether_buf text;
    long *lines;
    size_t nlines, cap;
    icalcomponent *cal;
};

/* An event as the file states it, before expansion. */
struct event {
    icalcomponent *comp, *cal;
    long line;
    const char *uid; /* NULL when none */
    int has_rid;
    int64_t rid; /* RECURRENCE-ID as an instant */
    int seq;
    int64_t stamp;
    int reply;  /* an iTIP reply or counter-proposal, not an event */
    int winner; /* the version of its UID and instance that counts */
};

/* A time-zone reference: UTC, an IANA zone, or a calendar's VTIMEZONE. */
struct zone {
    int utc;
    char iana[64]; /* "" when not an IANA zone */
    icaltimezone *vtz;
};

struct ics {
    struct import *imp;
    struct contact_store *store;
    struct block *blocks;
    size_t nblocks;
    struct event *events;
    size_t nevents;
    struct event **winners; /* sorted by cmp_key */
    size_t nwinners;
    int64_t from, to; /* window [from, to) in UTC */
    long no_uid;
    long capped;
    long unknown_zones; /* events rejected for an unknown TZID */
};

/* The text of a property's parameter, or NULL. */
static const char *
param_text(icalproperty *p, icalparameter_kind kind)
{
    icalparameter *par = icalproperty_get_first_parameter(p, kind);
    if (!par)
        return NULL;
    if (kind == ICAL_TZID_PARAMETER)
        return icalparameter_get_tzid(par);
    return icalparameter_as_ical_string(par);
}

/* Resolves a TZID: an IANA zone, a Windows zone id or display name, or a
 * VTIMEZONE of cal.
 * 0 on success, -1 when none of them knows it. */
static int
zone_resolve(icalcomponent *cal, const char *tzid, struct zone *z)
{
    memset(z, 0, sizeof(*z));
    char *id = tether_str_trim(tether_xstrdup(tzid));
    size_t n = strlen(id);
    if (n >= 2 && id[0] == '"' && id[n - 1] == '"') {
        memmove(id, id + 1, n - 2);
        id[n - 2] = '\0';
    }
    /* Mozilla and old Evolution prefix IANA names with a path:
     * /mozilla.org/20050126_1/Europe/Berlin. */
    const char *name = id;
    if (strncmp(id, "/mozilla.org/", 13) == 0 ||
        strncmp(id, "/softwarestudio.org/", 20) == 0) {
        const char *p = strchr(id + 1, '/');
        p = p ? strchr(p + 1, '/') : NULL;
        if (p)
            name = p + 1;
    }
    const char *iana = NULL;
    if (*name && strlen(name) < sizeof(z->iana) && tether_tz_valid(name))
        iana = name;
    else
        iana = windows_zone_iana(name);
    int rc = 0;
    if (iana)
        snprintf(z->iana, sizeof(z->iana), "%s", iana);
    else if (!cal || !(z->vtz = icalcomponent_get_timezone(cal, id)))
        rc = -1;
    free(id);
    return rc;
}

/* The instant of a local time t in zone z. 0 on success, -1 if the zone
 * fails. */
static int
zone_to_utc(const struct zone *z, struct icaltimetype t, int64_t *ts)
{
    if (z->utc)
        return tether_tz_local_to_utc("UTC", t.year, t.month, t.day, t.hour,
                                      t.minute, t.second, ts);
    if (z->iana[0])
        return tether_tz_local_to_utc(z->iana, t.year, t.month, t.day, t.hour,
                                      t.minute, t.second, ts);
    t.zone = NULL;
    *ts = (int64_t)icaltime_as_timet_with_zone(t, z->vtz);
    return 0;
}

/* The wall-clock time of zone z at instant ts. */
static struct icaltimetype
zone_from_utc(const struct zone *z, int64_t ts)
{
    if (z->vtz) {
        struct icaltimetype t =
            icaltime_from_timet_with_zone((time_t)ts, 0, z->vtz);
        t.zone = NULL;
        return t;
    }
    int off = 0;
    if (!z->utc && z->iana[0])
        tether_tz_offset(z->iana, ts, &off);
    struct icaltimetype t = icaltime_from_timet_with_zone(
        (time_t)(ts + off), 0, icaltimezone_get_utc_timezone());
    t.zone = NULL;
    return t;
}

/* A date-time property's value and zone. floating is the zone of a time
 * without TZID or Z. 0 on success; -1 unparsable; -2 unknown TZID (named in
 * *bad); 1 a DATE value (all day). */
static int
prop_time(icalcomponent *cal, icalproperty *p, const struct zone *floating,
          struct icaltimetype *t, struct zone *z, const char **bad)
{
    icalvalue *v = icalproperty_get_value(p);
    if (!v)
        return -1;
    icalvalue_kind k = icalvalue_isa(v);
    if (k == ICAL_DATETIMEPERIOD_VALUE) {
        struct icaldatetimeperiodtype dp = icalvalue_get_datetimeperiod(v);
        *t = icaltime_is_null_time(dp.time) ? dp.period.start : dp.time;
    } else if (k == ICAL_DATETIME_VALUE || k == ICAL_DATE_VALUE) {
        *t = icalvalue_get_datetime(v);
    } else if (k == ICAL_PERIOD_VALUE) {
        *t = icalvalue_get_period(v).start;
    } else {
        return -1;
    }
    if (icaltime_is_null_time(*t) || !icaltime_is_valid_time(*t) ||
        t->month < 1 || t->month > 12 || t->day < 1 || t->day > 31 ||
        t->hour > 23 || t->minute > 59 || t->second > 60)
        return -1;
    if (t->is_date)
        return 1;
    const char *tzid = param_text(p, ICAL_TZID_PARAMETER);
    if (icaltime_is_utc(*t)) {
        memset(z, 0, sizeof(*z));
        z->utc = 1;
    } else if (tzid) {
        if (zone_resolve(cal, tzid, z)) {
            *bad = tzid;
            return -2;
        }
    } else {
        *z = *floating;
    }
    t->zone = NULL;
    return 0;
}

/* The instant of a date-time property, as prop_time returns. */
static int
prop_instant(icalcomponent *cal, icalproperty *p, const struct zone *floating,
             int64_t *ts, const char **bad)
{
    struct icaltimetype t;
    struct zone z;
    int rc = prop_time(cal, p, floating, &t, &z, bad);
    if (rc)
        return rc;
    return zone_to_utc(&z, t, ts) ? -2 : 0;
}

/* --- reading the file into calendars ------------------------------------ */

static void
block_add_line(struct block *b, long line)
{
    if (b->nlines == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 16;
        b->lines = tether_xrealloc(b->lines, b->cap * sizeof(long));
    }
    b->lines[b->nlines++] = line;
}

static struct block *
new_block(struct ics *x, int wrap)
{
    x->blocks =
        tether_xrealloc(x->blocks, (x->nblocks + 1) * sizeof(struct block));
    struct block *b = &x->blocks[x->nblocks++];
    memset(b, 0, sizeof(*b));
    if (wrap)
        tether_buf_adds(&b->text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                                  "PRODID:-//tether//bare VEVENT//EN\r\n");
    return b;
}

/* Splits text into calendars. Lines outside BEGIN:VCALENDAR ... END are
 * ignored, except bare VEVENTs, which get a calendar of their own. */
static void
split_blocks(struct ics *x, char *text)
{
    struct block *b = NULL;
    int wrapped = 0;
    long line = 0;
    char *s = text;
    while (*s) {
        char *end = strchr(s, '\n');
        char *next = end ? end + 1 : s + strlen(s);
        if (!end)
            end = s + strlen(s);
        line++;
        char *e = end;
        while (e > s && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
            e--;
        /* A folded line keeps its leading blank; blank lines are dropped
         * (RFC 5545 has none, yet exports contain them). */
        int folded = *s == ' ' || *s == '\t';
        int blank = 1;
        for (char *t = s; t < e; t++)
            if (*t != ' ' && *t != '\t')
                blank = 0;
        if (!b) {
            if (!folded && line_is(s, e, "BEGIN:VCALENDAR")) {
                b = new_block(x, 0);
                wrapped = 0;
            } else if (!folded && line_is(s, e, "BEGIN:VEVENT")) {
                b = new_block(x, 1);
                wrapped = 1;
            } else {
                s = next;
                continue;
            }
        }
        if (!blank) {
            if (folded) {
                /* libical unfolds a leading space; a TAB becomes one. */
                tether_buf_addc(&b->text, ' ');
                tether_buf_add(&b->text, s + 1, (size_t)(e - s - 1));
            } else {
                tether_buf_add(&b->text, s, (size_t)(e - s));
            }
            tether_buf_adds(&b->text, "\r\n");
        }
        if (!folded && line_is(s, e, "BEGIN:VEVENT"))
            block_add_line(b, line);
        if (!folded && ((!wrapped && line_is(s, e, "END:VCALENDAR")) ||
                        (wrapped && line_is(s, e, "END:VEVENT")))) {
            if (wrapped)
                tether_buf_adds(&b->text, "END:VCALENDAR\r\n");
            b = NULL;
        }
        s = next;
    }
    if (b) /* a calendar cut short: close it, libical keeps what it can */
        tether_buf_adds(&b->text, wrapped ? "END:VEVENT\r\nEND:VCALENDAR\r\n"
                                          : "END:VCALENDAR\r\n");
}

/* --- participants and medium -------------------------------------------- */

/* The e-mail address of a cal-address value: after mailto: in any case, or
 * the value itself when it looks like an address. NULL otherwise. */
static const char *
address_of(const char *v)
{
    if (!v)
        return NULL;
    while (*v == ' ')
        v++;
    if (strncasecmp(v, "mailto:", 7) == 0)
        v += 7;
    return strchr(v, '@') ? v : NULL;
}

/* The people of the roster among the participants of comp: the organizer
 * and the attendees who did not decline (or delegate). Returns the count;
 * *attendees says whether comp names any ATTENDEE. */
static size_t
participants(struct ics *x, icalcomponent *comp, int64_t *people,
             int *attendees)
{
    size_t n = 0;
    *attendees = 0;
    const char *declined[MAX_PEOPLE];
    size_t ndeclined = 0;
    for (icalproperty *p =
             icalcomponent_get_first_property(comp, ICAL_ATTENDEE_PROPERTY);
         p; p = icalcomponent_get_next_property(comp, ICAL_ATTENDEE_PROPERTY)) {
        *attendees = 1;
        const char *a = address_of(icalproperty_get_attendee(p));
        if (!a)
            continue;
        icalparameter *ps =
            icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER);
        icalparameter_partstat st =
            ps ? icalparameter_get_partstat(ps) : ICAL_PARTSTAT_NONE;
        if (st == ICAL_PARTSTAT_DECLINED || st == ICAL_PARTSTAT_DELEGATED) {
            if (ndeclined < MAX_PEOPLE)
                declined[ndeclined++] = a;
            continue;
        }
        int64_t id = person_by_email(x->imp, a);
        if (id && n < MAX_PEOPLE)
            people[n++] = id;
    }
    icalproperty *o =
        icalcomponent_get_first_property(comp, ICAL_ORGANIZER_PROPERTY);
    const char *org = o ? address_of(icalproperty_get_organizer(o)) : NULL;
    if (org) {
        int out = 0;
        for (size_t i = 0; i < ndeclined; i++)
            out |= strcasecmp(declined[i], org) == 0;
        int64_t id = out ? 0 : person_by_email(x->imp, org);
        if (id && n < MAX_PEOPLE)
            people[n++] = id;
    }
    /* Without the declined: an organizer who declined his own meeting. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int dup = 0;
        for (size_t j = 0; j < k; j++)
            dup |= people[j] == people[i];
        if (!dup)
            people[k++] = people[i];
    }
    return k;
}

/* Does s contain word, ignoring ASCII case? (strcasestr is not POSIX.) */
static int
contains_ci(const char *s, const char *word)
{
    size_t n = strlen(word);
    for (; s && *s; s++)
        if (strncasecmp(s, word, n) == 0)
            return 1;
    return 0;
}

static int
has_url(const char *s)
{
    return contains_ci(s, "https://") || contains_ci(s, "http://");
}

/* video when a conferencing link is given, in_person when only a place is,
 * other when neither. */
static const char *
medium_of(icalcomponent *comp)
{
    static const char *const link_props[] = {
        "CONFERENCE",
        "X-GOOGLE-CONFERENCE",
        "X-MICROSOFT-SKYPETEAMSMEETINGURL",
        "X-MICROSOFT-ONLINEMEETINGCONFLINK",
        "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
        "DESCRIPTION",
        "LOCATION"};
    const char *location = NULL;
    for (icalproperty *p =
             icalcomponent_get_first_property(comp, ICAL_ANY_PROPERTY);
         p; p = icalcomponent_get_next_property(comp, ICAL_ANY_PROPERTY)) {
        const char *name = icalproperty_get_property_name(p);
        if (!name)
            continue;
        for (size_t i = 0; i < sizeof(link_props) / sizeof(link_props[0]); i++)
            if (strcasecmp(name, link_props[i]) == 0 &&
                has_url(icalproperty_get_value_as_string(p)))
                return tether_medium_names[TETHER_MEDIUM_VIDEO];
        if (strcasecmp(name, "LOCATION") == 0)
            location = icalproperty_get_value_as_string(p);
    }
    if (!location || tether_str_blank(location))
        return tether_medium_names[TETHER_MEDIUM_OTHER];
    /* A place called "online" or after a video service is no room. */
    static const char *const online[] = {
        "online",      "virtual", "zoom",  "microsoft teams", "teams meeting",
        "google meet", "webex",   "skype", "video call"};
    for (size_t i = 0; i < sizeof(online) / sizeof(online[0]); i++)
        if (contains_ci(location, online[i]))
            return tether_medium_names[TETHER_MEDIUM_VIDEO];
    return tether_medium_names[TETHER_MEDIUM_IN_PERSON];
}

/* --- events ------------------------------------------------------------- */

static int64_t
stamp_of(icalcomponent *comp)
{
    icalproperty *p =
        icalcomponent_get_first_property(comp, ICAL_DTSTAMP_PROPERTY);
    if (!p)
        return 0;
    struct icaltimetype t = icalproperty_get_dtstamp(p);
    if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t))
        return 0;
    int64_t ts = 0;
    tether_tz_local_to_utc("UTC", t.year, t.month, t.day, t.hour, t.minute,
                           t.second, &ts);
    return ts;
}

static int
cmp_str(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

/* Orders events by UID and instance, then by version (RFC 5546: SEQUENCE,
 * then DTSTAMP, then position in the file): the last of a run wins. */
static int
cmp_version(const void *pa, const void *pb)
{
    const struct event *a = *(struct event *const *)pa;
    const struct event *b = *(struct event *const *)pb;
    int c = cmp_str(a->uid, b->uid);
    if (c)
        return c;
    if (a->has_rid != b->has_rid)
        return a->has_rid - b->has_rid;
    if (a->rid != b->rid)
        return a->rid < b->rid ? -1 : 1;
    /* A reply never replaces the event it answers. */
    if (a->reply != b->reply)
        return b->reply - a->reply;
    if (a->seq != b->seq)
        return a->seq < b->seq ? -1 : 1;
    if (a->stamp != b->stamp)
        return a->stamp < b->stamp ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

/* Orders winners by UID and instance, for the look-ups below. */
static int
cmp_key(const void *pa, const void *pb)
{
    const struct event *a = *(struct event *const *)pa;
    const struct event *b = *(struct event *const *)pb;
    int c = cmp_str(a->uid, b->uid);
    if (c)
        return c;
    if (a->has_rid != b->has_rid)
        return a->has_rid - b->has_rid;
    return (a->rid > b->rid) - (a->rid < b->rid);
}

/* The winning event of uid with that instance (has_rid 0: the master), or
 * NULL. */
static struct event *
find_winner(struct ics *x, const char *uid, int has_rid, int64_t rid)
{
    if (!uid)
        return NULL;
    struct event key = {.uid = uid, .has_rid = has_rid, .rid = rid};
    const struct event *k = &key;
    struct event **hit =
        bsearch(&k, x->winners, x->nwinners, sizeof(*x->winners), cmp_key);
    return hit ? *hit : NULL;
}

static int
is_cancelled(icalcomponent *comp, icalcomponent *cal)
{
    if (icalcomponent_get_method(cal) == ICAL_METHOD_CANCEL)
        return 1;
    icalproperty *p =
        icalcomponent_get_first_property(comp, ICAL_STATUS_PROPERTY);
    return p && icalproperty_get_status(p) == ICAL_STATUS_CANCELLED;
}

/* What an instance needs beyond its start. */
struct meeting {
    struct event *ev;
    const char *medium;
    int64_t people[MAX_PEOPLE];
    size_t npeople;
    char organizer[256];
};

/* Stores one instance starting at start (UTC), rid its original start. */
static int
emit(struct ics *x, struct meeting *m, int64_t start, int64_t rid,
     double duration_min)
{
    struct import *imp = x->imp;
    if (start < x->from || start >= x->to) {
        imp->skipped++;
        return 0;
    }
    int64_t pairs[MAX_PAIRS];
    size_t npairs = contact_store_pairs_among(x->store, m->people, m->npeople,
                                              start, pairs, MAX_PAIRS);
    if (npairs == 0) {
        imp->skipped++;
        return 0;
    }
    if (npairs > MAX_PAIRS)
        npairs = MAX_PAIRS;
    char ts[TETHER_TS_LEN], inst[20];
    tether_ts_format(rid, ts);
    /* YYYY-MM-DDTHH:MM:SSZ -> YYYYMMDDTHHMMSSZ */
    snprintf(inst, sizeof(inst), "%.4s%.2s%.2sT%.2s%.2s%.2sZ", ts, ts + 5,
             ts + 8, ts + 11, ts + 14, ts + 17);
    char *key = m->ev->uid
                    ? tether_xasprintf("%s/%s", m->ev->uid, inst)
                    : tether_xasprintf("nouid:%s/%s", inst, m->organizer);
    struct contact c = {
        .source_key = key,
        .started_at = start,
        .duration_min = duration_min,
        .medium = m->medium,
        .kind = tether_kind_names[TETHER_KIND_SCHEDULED],
        .summary_sent = -1,
        /* The organiser began the meeting (SPEC 1.3a). */
        .initiator = m->organizer[0] ? person_by_email(imp, m->organizer) : 0,
    };
    enum contact_result r = contact_store_put(x->store, &c, pairs, npairs);
    if (r == CONTACT_CONFLICT)
        import_reject(imp, m->ev->line, NULL, NULL,
                      "event %s appears again with other content", key);
    free(key);
    return contact_count(imp, r);
}

/* One instance of a series: its start and length. */
struct instance {
    int64_t start;
    double minutes;
};

static int
cmp_instance(const void *a, const void *b)
{
    const struct instance *p = a, *q = b;
    return (p->start > q->start) - (p->start < q->start);
}

static int
cmp_i64(const void *a, const void *b)
{
    int64_t p = *(const int64_t *)a, q = *(const int64_t *)b;
    return (p > q) - (p < q);
}

/* Rejects the event e with a reason. */
#define REJECT(e, ...)                                                         \
    import_reject(x->imp, (e)->line, NULL,                                     \
                  icalcomponent_as_ical_string((e)->comp), __VA_ARGS__)

/* The zone of times without TZID or Z: --timezone, else UTC. */
static struct zone
floating_zone(const struct ics *x)
{
    struct zone floating = {0};
    snprintf(floating.iana, sizeof(floating.iana), "%s",
             x->imp->opts->tz ? x->imp->opts->tz : "UTC");
    return floating;
}

/* The start of e: its wall-clock time t0 in zone z and its instant. 0 when
 * the event goes on; 1 when it was skipped or rejected here. */
static int
event_start(struct ics *x, struct event *e, struct icaltimetype *t0,
            struct zone *z, int64_t *start)
{
    icalcomponent *comp = e->comp;
    struct zone floating = floating_zone(x);
    icalproperty *pstart =
        icalcomponent_get_first_property(comp, ICAL_DTSTART_PROPERTY);
    if (!pstart) {
        /* libical names a misspelt property (DTSTAR) in an X-LIC-ERROR. */
        icalproperty *err =
            icalcomponent_get_first_property(comp, ICAL_XLICERROR_PROPERTY);
        if (err)
            REJECT(e, "event has no DTSTART (libical: %s)",
                   icalproperty_get_xlicerror(err));
        else
            REJECT(e, "event has no DTSTART");
        return 1;
    }
    const char *bad = NULL;
    int rc = prop_time(e->cal, pstart, &floating, t0, z, &bad);
    if (rc == 1) {
        x->imp->skipped++; /* an all-day event is no meeting */
        return 1;
    }
    if (rc == -1) {
        REJECT(e, "DTSTART '%s' is not a date-time",
               icalproperty_get_value_as_string(pstart));
        return 1;
    }
    if (rc == -2) {
        REJECT(e, "DTSTART has the unknown time zone '%s' (no VTIMEZONE)", bad);
        x->unknown_zones++;
        return 1;
    }
    if (zone_to_utc(z, *t0, start)) {
        REJECT(e, "DTSTART cannot be placed in its time zone");
        return 1;
    }
    return 0;
}

/* The length of e in minutes (NAN when unknown): DTEND, DTSTART + DURATION,
 * or the series' length for an override. 0, or 1 when e was rejected. */
static int
event_length(struct ics *x, struct event *e, const struct zone *z,
             int64_t start, struct event *master, double *dur)
{
    icalcomponent *comp = e->comp;
    const char *bad = NULL;
    *dur = NAN;
    icalproperty *pend =
        icalcomponent_get_first_property(comp, ICAL_DTEND_PROPERTY);
    icalproperty *pdur =
        icalcomponent_get_first_property(comp, ICAL_DURATION_PROPERTY);
    if (pend) {
        int64_t end;
        int rc = prop_instant(e->cal, pend, z, &end, &bad);
        if (rc == 1) {
            REJECT(e, "DTEND '%s' is a date but DTSTART a date-time",
                   icalproperty_get_value_as_string(pend));
            return 1;
        }
        if (rc == -2) {
            REJECT(e, "DTEND has the unknown time zone '%s' (no VTIMEZONE)",
                   bad);
            return 1;
        }
        if (rc) {
            REJECT(e, "DTEND '%s' is not a date-time",
                   icalproperty_get_value_as_string(pend));
            return 1;
        }
        if (end < start) {
            REJECT(e, "DTEND is before DTSTART");
            return 1;
        }
        *dur = (double)(end - start) / 60.0;
    } else if (pdur) {
        struct icaldurationtype d = icalproperty_get_duration(pdur);
        if (icaldurationtype_is_bad_duration(d) || d.is_neg) {
            REJECT(e, "DURATION '%s' is not a duration",
                   icalproperty_get_value_as_string(pdur));
            return 1;
        }
        *dur = (double)icaldurationtype_as_int(d) / 60.0;
    } else if (master) {
        /* An override without an end keeps the series' length. */
        struct zone floating = floating_zone(x);
        icalproperty *mend =
            icalcomponent_get_first_property(master->comp, ICAL_DTEND_PROPERTY);
        icalproperty *mst = icalcomponent_get_first_property(
            master->comp, ICAL_DTSTART_PROPERTY);
        int64_t a, b;
        if (mend && mst &&
            prop_instant(master->cal, mst, &floating, &a, &bad) == 0 &&
            prop_instant(master->cal, mend, &floating, &b, &bad) == 0 && b >= a)
            *dur = (double)(b - a) / 60.0;
    }
    return 0;
}

/* A series' instances, and the instants and dates it excludes. */
struct series {
    struct instance *inst;
    size_t ninst, capinst;
    int64_t *ex; /* EXDATE instants, sorted */
    size_t nex, capex;
    int32_t *exday; /* EXDATE dates (VALUE=DATE), local days */
    size_t nexday, capday;
};

static void
series_add(struct series *sr, int64_t ts, double minutes)
{
    if (sr->ninst == sr->capinst) {
        sr->capinst = sr->capinst ? 2 * sr->capinst : 64;
        sr->inst = tether_xrealloc(sr->inst, sr->capinst * sizeof(*sr->inst));
    }
    sr->inst[sr->ninst].start = ts;
    sr->inst[sr->ninst++].minutes = minutes;
}

static void
series_free(struct series *sr)
{
    free(sr->inst);
    free(sr->ex);
    free(sr->exday);
}

/* The EXDATEs of e: instants, or local dates for VALUE=DATE. */
static void
series_exdates(struct ics *x, struct event *e, const struct zone *z,
               struct series *sr)
{
    icalcomponent *comp = e->comp;
    const char *bad = NULL;
    for (icalproperty *p =
             icalcomponent_get_first_property(comp, ICAL_EXDATE_PROPERTY);
         p; p = icalcomponent_get_next_property(comp, ICAL_EXDATE_PROPERTY)) {
        struct icaltimetype t;
        struct zone ez;
        int64_t ts;
        int r = prop_time(e->cal, p, z, &t, &ez, &bad);
        if (r == 1) {
            if (sr->nexday == sr->capday) {
                sr->capday = sr->capday ? 2 * sr->capday : 8;
                sr->exday =
                    tether_xrealloc(sr->exday, sr->capday * sizeof(int32_t));
            }
            sr->exday[sr->nexday++] =
                tether_days_from_civil(t.year, t.month, t.day);
        } else if (r == 0 && zone_to_utc(&ez, t, &ts) == 0) {
            if (sr->nex == sr->capex) {
                sr->capex = sr->capex ? 2 * sr->capex : 8;
                sr->ex = tether_xrealloc(sr->ex, sr->capex * sizeof(int64_t));
            }
            sr->ex[sr->nex++] = ts;
        } else {
            import_warn(x->imp, "line %ld: EXDATE '%s' ignored", e->line,
                        icalproperty_get_value_as_string(p));
        }
    }
    if (sr->nex)
        qsort(sr->ex, sr->nex, sizeof(int64_t), cmp_i64);
}

/* The instances of one RRULE inside the window. DTSTART (t0, start) is
 * the series' first instance even when the rule does not produce it
 * (RFC 5545 3.8.5.3), and it counts toward COUNT: libical's iterator
 * yields only the dates that match the rule, so when its first is not
 * DTSTART it may yield one fewer. */
static void
series_rule(struct ics *x, struct event *e, icalproperty *prule,
            struct icaltimetype t0, const struct zone *z, int64_t start,
            double dur, struct series *sr)
{
    struct icalrecurrencetype rule = icalproperty_get_rrule(prule);
    icalrecur_iterator *it = NULL;
    if (rule.freq != ICAL_NO_RECURRENCE) {
        /* Iterate on the wall clock, so that the local time stays fixed
         * across DST changes; an UNTIL in UTC is moved to that clock. */
        if (!icaltime_is_null_time(rule.until) && icaltime_is_utc(rule.until)) {
            int64_t u;
            struct zone uz = {.utc = 1};
            if (zone_to_utc(&uz, rule.until, &u) == 0)
                rule.until = zone_from_utc(z, u);
            rule.until.is_date = 0;
        }
        rule.until.zone = NULL;
        it = icalrecur_iterator_new(rule, t0);
    }
    if (!it) {
        import_warn(x->imp,
                    "line %ld: RRULE '%s' not understood; only the first "
                    "instance counts",
                    e->line, icalproperty_get_value_as_string(prule));
        return;
    }
    long n = 0, limit = rule.count > 0 ? rule.count : -1;
    for (struct icaltimetype t = icalrecur_iterator_next(it);
         !icaltime_is_null_time(t); t = icalrecur_iterator_next(it)) {
        if (++n > MAX_ITERATIONS) {
            x->capped++;
            break;
        }
        int64_t ts;
        t.zone = NULL;
        if (zone_to_utc(z, t, &ts))
            break;
        if (n == 1 && ts != start && limit > 0)
            limit--; /* DTSTART took the first of the COUNT */
        if (limit >= 0 && n > limit)
            break;
        if (ts >= x->to)
            break; /* the series goes on past the window: stop */
        if (ts >= x->from)
            series_add(sr, ts, dur);
    }
    icalrecur_iterator_free(it);
}

/* The RDATEs of e, each with its own length when it is a PERIOD. */
static void
series_rdates(struct ics *x, struct event *e, const struct zone *z,
              double dur, struct series *sr)
{
    icalcomponent *comp = e->comp;
    const char *bad = NULL;
    for (icalproperty *p =
             icalcomponent_get_first_property(comp, ICAL_RDATE_PROPERTY);
         p; p = icalcomponent_get_next_property(comp, ICAL_RDATE_PROPERTY)) {
        struct icaldatetimeperiodtype dp = icalproperty_get_rdate(p);
        struct icaltimetype t;
        struct zone rz;
        int64_t ts;
        double d = dur;
        int r = prop_time(e->cal, p, z, &t, &rz, &bad);
        if (r != 0 || zone_to_utc(&rz, t, &ts)) {
            import_warn(x->imp, "line %ld: RDATE '%s' ignored", e->line,
                        icalproperty_get_value_as_string(p));
            continue;
        }
        if (icaltime_is_null_time(dp.time) &&
            !icaltime_is_null_time(dp.period.start)) {
            if (!icaltime_is_null_time(dp.period.end)) {
                int64_t te;
                struct icaltimetype pe = dp.period.end;
                int utc = icaltime_is_utc(pe);
                pe.zone = NULL;
                struct zone uz = {.utc = 1};
                if (zone_to_utc(utc ? &uz : &rz, pe, &te) == 0 && te >= ts)
                    d = (double)(te - ts) / 60.0;
            } else if (!icaldurationtype_is_bad_duration(dp.period.duration)) {
                d = (double)icaldurationtype_as_int(dp.period.duration) / 60.0;
            }
        }
        series_add(sr, ts, d);
    }
}

/* Is the instance at ts excluded by an EXDATE? */
static int
series_excluded(const struct series *sr, const struct zone *z, int64_t ts)
{
    if (sr->nex && bsearch(&ts, sr->ex, sr->nex, sizeof(int64_t), cmp_i64))
        return 1;
    if (sr->nexday) {
        struct icaltimetype lt = zone_from_utc(z, ts);
        int32_t day = tether_days_from_civil(lt.year, lt.month, lt.day);
        for (size_t k = 0; k < sr->nexday; k++)
            if (sr->exday[k] == day)
                return 1;
    }
    return 0;
}

/* Expands a recurring event and stores each instance once, in time order,
 * minus EXDATEs and overridden instances. 0, or -1 on a database error. */
static int
series_load(struct ics *x, struct event *e, struct meeting *m,
            struct icaltimetype t0, const struct zone *z, int64_t start,
            double dur)
{
    icalcomponent *comp = e->comp;
    struct series sr = {0};
    series_exdates(x, e, z, &sr);
    series_add(&sr, start, dur); /* DTSTART is always the first instance */
    /* (The component has one property cursor: each loop starts it again.) */
    for (icalproperty *p =
             icalcomponent_get_first_property(comp, ICAL_RRULE_PROPERTY);
         p; p = icalcomponent_get_next_property(comp, ICAL_RRULE_PROPERTY))
        series_rule(x, e, p, t0, z, start, dur, &sr);
    series_rdates(x, e, z, dur, &sr);
    qsort(sr.inst, sr.ninst, sizeof(*sr.inst), cmp_instance);
    int rc = 0;
    for (size_t i = 0; i < sr.ninst && rc == 0; i++) {
        int64_t ts = sr.inst[i].start;
        if (i > 0 && sr.inst[i - 1].start == ts)
            continue; /* an RDATE that repeats a rule's instance */
        if (ts < x->from || ts >= x->to)
            continue; /* RDATEs and first instances outside the window */
        if (series_excluded(&sr, z, ts))
            continue;
        if (e->uid && find_winner(x, e->uid, 1, ts))
            continue; /* the override stands for this instance */
        rc = emit(x, m, ts, ts, sr.inst[i].minutes);
    }
    series_free(&sr);
    return rc;
}

/* Expands and stores one winning event. 0, or -1 on a database error. */
static int
event_load(struct ics *x, struct event *e)
{
    struct import *imp = x->imp;
    icalcomponent *comp = e->comp;
    if (e->reply) {
        imp->skipped++; /* a reply to an invitation says nothing new */
        return 0;
    }
    struct event *master = e->has_rid ? find_winner(x, e->uid, 0, 0) : NULL;
    struct icaltimetype t0;
    struct zone z;
    int64_t start;
    double dur;
    if (event_start(x, e, &t0, &z, &start) ||
        event_length(x, e, &z, start, master, &dur))
        return 0;
    if (is_cancelled(comp, e->cal)) {
        /* The series, or one instance of it (counted when in the window). */
        if (!e->has_rid || (start >= x->from && start < x->to))
            imp->skipped++;
        return 0;
    }
    if (e->has_rid && (start < x->from || start >= x->to))
        return 0; /* an instance of a series outside the window */

    struct meeting *m = tether_xcalloc(1, sizeof(*m));
    m->ev = e;
    m->medium = medium_of(comp);
    int attendees;
    m->npeople = participants(x, comp, m->people, &attendees);
    if (master && !attendees) /* an override that only moves the time */
        m->npeople = participants(x, master->comp, m->people, &attendees);
    icalproperty *o =
        icalcomponent_get_first_property(comp, ICAL_ORGANIZER_PROPERTY);
    const char *org = o ? address_of(icalproperty_get_organizer(o)) : NULL;
    snprintf(m->organizer, sizeof(m->organizer), "%s", org ? org : "");
    if (!e->uid)
        x->no_uid++;
    int rc;
    if (e->has_rid ||
        (!icalcomponent_get_first_property(comp, ICAL_RRULE_PROPERTY) &&
         !icalcomponent_get_first_property(comp, ICAL_RDATE_PROPERTY)))
        rc = emit(x, m, start, e->has_rid ? e->rid : start, dur);
    else
        rc = series_load(x, e, m, t0, &z, start, dur);
    free(m);
    return rc;
}

/* The import window: --from/--to, or from the first pair's start to
 * today. */
static int
window(struct ics *x)
{
    const struct collect_opts *o = x->imp->opts;
    if (o->has_range) {
        x->from = (int64_t)o->from * DAY_SECONDS;
        x->to = ((int64_t)o->to + 1) * DAY_SECONDS;
        return 0;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(x->imp->db, "SELECT min(started_on) FROM pairs", -1,
                           &st, NULL) != SQLITE_OK) {
        snprintf(x->imp->errbuf, TETHER_ERRBUF, "%s",
                 sqlite3_errmsg(x->imp->db));
        return -1;
    }
    int32_t first = tether_date_today();
    if (import_step(x->imp, st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) != SQLITE_NULL)
        tether_date_parse((const char *)sqlite3_column_text(st, 0), &first);
    sqlite3_finalize(st);
    x->from = (int64_t)first * DAY_SECONDS;
    x->to = ((int64_t)tether_date_today() + 1) * DAY_SECONDS;
    return 0;
}

/* Parses each calendar and lists its events with their lines. 0, or -1
 * when libical cannot read one (imp->errbuf). */
static int
parse_blocks(struct ics *x)
{
    for (size_t b = 0; b < x->nblocks; b++) {
        struct block *bl = &x->blocks[b];
        bl->cal = icalparser_parse_string(bl->text.data);
        if (!bl->cal ||
            icalcomponent_isa(bl->cal) != ICAL_VCALENDAR_COMPONENT) {
            snprintf(x->imp->errbuf, TETHER_ERRBUF,
                     "'%s': libical cannot read the calendar that starts "
                     "near event line %ld",
                     x->imp->path, bl->nlines ? bl->lines[0] : 0L);
            return -1;
        }
        size_t k = 0;
        icalproperty_method method = icalcomponent_get_method(bl->cal);
        int reply = method == ICAL_METHOD_REPLY ||
                    method == ICAL_METHOD_COUNTER ||
                    method == ICAL_METHOD_REFRESH ||
                    method == ICAL_METHOD_DECLINECOUNTER;
        for (icalcomponent *c = icalcomponent_get_first_component(
                 bl->cal, ICAL_VEVENT_COMPONENT);
             c; c = icalcomponent_get_next_component(bl->cal,
                                                     ICAL_VEVENT_COMPONENT)) {
            x->events = tether_xrealloc(
                x->events, (x->nevents + 1) * sizeof(struct event));
            struct event *e = &x->events[x->nevents++];
            memset(e, 0, sizeof(*e));
            e->comp = c;
            e->cal = bl->cal;
            e->line = k < bl->nlines ? bl->lines[k] : 0;
            k++;
            e->reply = reply;
            const char *uid = icalcomponent_get_uid(c);
            e->uid = uid && *uid ? uid : NULL;
            icalproperty *seq =
                icalcomponent_get_first_property(c, ICAL_SEQUENCE_PROPERTY);
            e->seq = seq ? icalproperty_get_sequence(seq) : 0;
            e->stamp = stamp_of(c);
        }
    }
    return 0;
}

/* RECURRENCE-IDs as instants: they key the overrides. One that cannot be
 * read is INT64_MIN, rejected when its event is loaded. */
static void
key_overrides(struct ics *x)
{
    for (size_t i = 0; i < x->nevents; i++) {
        struct event *e = &x->events[i];
        icalproperty *p = icalcomponent_get_first_property(
            e->comp, ICAL_RECURRENCEID_PROPERTY);
        if (!p)
            continue;
        struct zone floating = floating_zone(x);
        const char *bad = NULL;
        struct icaltimetype t;
        struct zone z;
        int r = prop_time(e->cal, p, &floating, &t, &z, &bad);
        if (r == 1) { /* an all-day instance: its date at midnight */
            memset(&z, 0, sizeof(z));
            z.utc = 1;
            t.is_date = 0;
            r = 0;
        }
        if (r == 0 && zone_to_utc(&z, t, &e->rid) == 0) {
            e->has_rid = 1;
        } else {
            e->has_rid = 1;
            e->rid = INT64_MIN; /* rejected when it is loaded */
        }
    }
}

/* The winning version of each UID and instance (x->winners, sorted for
 * find_winner). Returns the events in version order; free it. */
static struct event **
choose_winners(struct ics *x)
{
    size_t n = x->nevents ? x->nevents : 1;
    struct event **order = tether_xmalloc(n * sizeof(*order));
    for (size_t i = 0; i < x->nevents; i++)
        order[i] = &x->events[i];
    qsort(order, x->nevents, sizeof(*order), cmp_version);
    for (size_t i = 0; i < x->nevents; i++) {
        struct event *e = order[i],
                     *nx = i + 1 < x->nevents ? order[i + 1] : NULL;
        /* Events without UID are each their own; replies never win. */
        int same = nx && e->uid && nx->uid && strcmp(e->uid, nx->uid) == 0 &&
                   e->has_rid == nx->has_rid && e->rid == nx->rid;
        e->winner = !same;
    }
    x->winners = tether_xmalloc(n * sizeof(*order));
    for (size_t i = 0; i < x->nevents; i++)
        if (order[i]->winner && order[i]->uid)
            x->winners[x->nwinners++] = order[i];
    qsort(x->winners, x->nwinners, sizeof(*x->winners), cmp_key);
    return order;
}

int
ics_load(struct import *imp)
{
    struct ics x = {.imp = imp};
    char *text = NULL;
    size_t len = 0;
    int rc = -1;
    struct event **order = NULL;
    if (tether_text_read_all(imp->path, &text, &len, imp->errbuf))
        return -1;
    const char *why;
    size_t badpos = tether_utf8_check(text, len, &why);
    if (badpos) {
        long line = 1;
        for (size_t i = 0; i + 1 < badpos; i++)
            line += text[i] == '\n';
        snprintf(imp->errbuf, TETHER_ERRBUF, "%s:%ld: %s", imp->path, line,
                 why);
        goto out;
    }
    split_blocks(&x, text);
    if (x.nblocks == 0) {
        snprintf(imp->errbuf, TETHER_ERRBUF,
                 "'%s' is not an iCalendar file (no BEGIN:VCALENDAR or "
                 "BEGIN:VEVENT line)",
                 imp->path);
        goto out;
    }
    if (window(&x))
        goto out;
    x.store = contact_store_new(imp);
    if (!x.store)
        goto out;
    if (parse_blocks(&x))
        goto out;
    imp->rows = (long)x.nevents;
    key_overrides(&x);
    order = choose_winners(&x);
    for (size_t i = 0; i < x.nevents; i++) {
        struct event *e = &x.events[i];
        if (e->has_rid && e->rid == INT64_MIN) {
            import_reject(imp, e->line, NULL,
                          icalcomponent_as_ical_string(e->comp),
                          "RECURRENCE-ID is not a date-time in a known zone");
            continue;
        }
        if (!e->winner) {
            imp->skipped++; /* an older version of the same event */
            continue;
        }
        if (event_load(&x, e))
            goto out;
    }
    if (x.no_uid)
        import_warn(imp,
                    "%ld events have no UID; they are told apart by start "
                    "and organizer",
                    x.no_uid);
    if (x.unknown_zones && windows_zones_problem())
        import_warn(imp, "%s", windows_zones_problem());
    if (x.capped)
        import_warn(imp, "%ld recurrence rules stopped after %ld instances",
                    x.capped, MAX_ITERATIONS);
    if (contact_store_flush(x.store))
        goto out;
    rc = 0;
out:
    free(order);
    free(x.winners);
    contact_store_free(x.store);
    for (size_t b = 0; b < x.nblocks; b++) {
        tether_buf_free(&x.blocks[b].text);
        free(x.blocks[b].lines);
        if (x.blocks[b].cal)
            icalcomponent_free(x.blocks[b].cal);
    }
    free(x.blocks);
    free(x.events);
    free(text);
    return rc;
}
