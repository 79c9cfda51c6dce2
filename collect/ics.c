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

#define MAX_PEOPLE 256
#define MAX_PAIRS 256
/* A hostile RRULE (FREQ=SECONDLY without end) must not run for ever. */
#define MAX_ITERATIONS 100000L
#define DAY_SECONDS 86400

/* Windows time-zone names, as Outlook and Exchange write them, and the
 * IANA zone CLDR's windowsZones table gives for their main territory. */
static const struct {
    const char *windows, *iana;
} windows_zones[] = {
    {"Dateline Standard Time", "Etc/GMT+12"},
    {"UTC-11", "Etc/GMT+11"},
    {"Hawaiian Standard Time", "Pacific/Honolulu"},
    {"Alaskan Standard Time", "America/Anchorage"},
    {"Pacific Standard Time (Mexico)", "America/Tijuana"},
    {"UTC-09", "Etc/GMT+9"},
    {"UTC-08", "Etc/GMT+8"},
    {"Pacific Standard Time", "America/Los_Angeles"},
    {"US Mountain Standard Time", "America/Phoenix"},
    {"Mountain Standard Time (Mexico)", "America/Mazatlan"},
    {"Mountain Standard Time", "America/Denver"},
    {"Central America Standard Time", "America/Guatemala"},
    {"Central Standard Time (Mexico)", "America/Mexico_City"},
    {"Central Standard Time", "America/Chicago"},
    {"Canada Central Standard Time", "America/Regina"},
    {"SA Pacific Standard Time", "America/Bogota"},
    {"Eastern Standard Time (Mexico)", "America/Cancun"},
    {"Eastern Standard Time", "America/New_York"},
    {"US Eastern Standard Time", "America/Indiana/Indianapolis"},
    {"Haiti Standard Time", "America/Port-au-Prince"},
    {"Cuba Standard Time", "America/Havana"},
    {"Venezuela Standard Time", "America/Caracas"},
    {"Paraguay Standard Time", "America/Asuncion"},
    {"Atlantic Standard Time", "America/Halifax"},
    {"SA Western Standard Time", "America/La_Paz"},
    {"Pacific SA Standard Time", "America/Santiago"},
    {"Newfoundland Standard Time", "America/St_Johns"},
    {"E. South America Standard Time", "America/Sao_Paulo"},
    {"Argentina Standard Time", "America/Argentina/Buenos_Aires"},
    {"SA Eastern Standard Time", "America/Cayenne"},
    {"Greenland Standard Time", "America/Nuuk"},
    {"Montevideo Standard Time", "America/Montevideo"},
    {"Bahia Standard Time", "America/Bahia"},
    {"UTC-02", "Etc/GMT+2"},
    {"Azores Standard Time", "Atlantic/Azores"},
    {"Cape Verde Standard Time", "Atlantic/Cape_Verde"},
    {"UTC", "Etc/UTC"},
    {"Coordinated Universal Time", "Etc/UTC"},
    {"GMT Standard Time", "Europe/London"},
    {"Greenwich Standard Time", "Atlantic/Reykjavik"},
    {"Morocco Standard Time", "Africa/Casablanca"},
    {"W. Europe Standard Time", "Europe/Berlin"},
    {"Central Europe Standard Time", "Europe/Budapest"},
    {"Romance Standard Time", "Europe/Paris"},
    {"Central European Standard Time", "Europe/Warsaw"},
    {"W. Central Africa Standard Time", "Africa/Lagos"},
    {"Namibia Standard Time", "Africa/Windhoek"},
    {"GTB Standard Time", "Europe/Bucharest"},
    {"Middle East Standard Time", "Asia/Beirut"},
    {"Egypt Standard Time", "Africa/Cairo"},
    {"E. Europe Standard Time", "Europe/Chisinau"},
    {"Syria Standard Time", "Asia/Damascus"},
    {"South Africa Standard Time", "Africa/Johannesburg"},
    {"FLE Standard Time", "Europe/Kyiv"},
    {"Israel Standard Time", "Asia/Jerusalem"},
    {"Kaliningrad Standard Time", "Europe/Kaliningrad"},
    {"Jordan Standard Time", "Asia/Amman"},
    {"Arabic Standard Time", "Asia/Baghdad"},
    {"Turkey Standard Time", "Europe/Istanbul"},
    {"Arab Standard Time", "Asia/Riyadh"},
    {"Belarus Standard Time", "Europe/Minsk"},
    {"Russian Standard Time", "Europe/Moscow"},
    {"E. Africa Standard Time", "Africa/Nairobi"},
    {"Iran Standard Time", "Asia/Tehran"},
    {"Arabian Standard Time", "Asia/Dubai"},
    {"Azerbaijan Standard Time", "Asia/Baku"},
    {"Mauritius Standard Time", "Indian/Mauritius"},
    {"Georgian Standard Time", "Asia/Tbilisi"},
    {"Caucasus Standard Time", "Asia/Yerevan"},
    {"Afghanistan Standard Time", "Asia/Kabul"},
    {"West Asia Standard Time", "Asia/Tashkent"},
    {"Ekaterinburg Standard Time", "Asia/Yekaterinburg"},
    {"Pakistan Standard Time", "Asia/Karachi"},
    {"India Standard Time", "Asia/Kolkata"},
    {"Sri Lanka Standard Time", "Asia/Colombo"},
    {"Nepal Standard Time", "Asia/Kathmandu"},
    {"Central Asia Standard Time", "Asia/Almaty"},
    {"Bangladesh Standard Time", "Asia/Dhaka"},
    {"Myanmar Standard Time", "Asia/Yangon"},
    {"SE Asia Standard Time", "Asia/Bangkok"},
    {"N. Central Asia Standard Time", "Asia/Novosibirsk"},
    {"North Asia Standard Time", "Asia/Krasnoyarsk"},
    {"China Standard Time", "Asia/Shanghai"},
    {"North Asia East Standard Time", "Asia/Irkutsk"},
    {"Singapore Standard Time", "Asia/Singapore"},
    {"W. Australia Standard Time", "Australia/Perth"},
    {"Taipei Standard Time", "Asia/Taipei"},
    {"Ulaanbaatar Standard Time", "Asia/Ulaanbaatar"},
    {"Tokyo Standard Time", "Asia/Tokyo"},
    {"Korea Standard Time", "Asia/Seoul"},
    {"Yakutsk Standard Time", "Asia/Yakutsk"},
    {"Cen. Australia Standard Time", "Australia/Adelaide"},
    {"AUS Central Standard Time", "Australia/Darwin"},
    {"E. Australia Standard Time", "Australia/Brisbane"},
    {"AUS Eastern Standard Time", "Australia/Sydney"},
    {"West Pacific Standard Time", "Pacific/Port_Moresby"},
    {"Tasmania Standard Time", "Australia/Hobart"},
    {"Vladivostok Standard Time", "Asia/Vladivostok"},
    {"Magadan Standard Time", "Asia/Magadan"},
    {"Central Pacific Standard Time", "Pacific/Guadalcanal"},
    {"UTC+12", "Etc/GMT-12"},
    {"New Zealand Standard Time", "Pacific/Auckland"},
    {"Fiji Standard Time", "Pacific/Fiji"},
    {"UTC+13", "Etc/GMT-13"},
    {"Tonga Standard Time", "Pacific/Tongatapu"},
    {"Samoa Standard Time", "Pacific/Apia"},
    {"Line Islands Standard Time", "Pacific/Kiritimati"},
};

const char *
ics_windows_zone(const char *name)
{
    for (size_t i = 0; i < sizeof(windows_zones) / sizeof(windows_zones[0]);
         i++)
        if (strcasecmp(windows_zones[i].windows, name) == 0)
            return windows_zones[i].iana;
    return NULL;
}

size_t
ics_windows_zone_count(void)
{
    return sizeof(windows_zones) / sizeof(windows_zones[0]);
}

const char *
ics_windows_zone_iana(size_t i)
{
    return i < ics_windows_zone_count() ? windows_zones[i].iana : NULL;
}

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

/* Resolves a TZID: an IANA zone, a Windows name, or a VTIMEZONE of cal.
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
        iana = ics_windows_zone(name);
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
                return "video";
        if (strcasecmp(name, "LOCATION") == 0)
            location = icalproperty_get_value_as_string(p);
    }
    if (!location || tether_str_blank(location))
        return "other";
    /* A place called "online" or after a video service is no room. */
    static const char *const online[] = {
        "online",      "virtual", "zoom",  "microsoft teams", "teams meeting",
        "google meet", "webex",   "skype", "video call"};
    for (size_t i = 0; i < sizeof(online) / sizeof(online[0]); i++)
        if (contains_ci(location, online[i]))
            return "video";
    return "in_person";
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
        .kind = "scheduled",
        .summary_sent = -1,
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
    struct zone floating = {0};
    snprintf(floating.iana, sizeof(floating.iana), "%s",
             imp->opts->tz ? imp->opts->tz : "UTC");
    icalproperty *pstart =
        icalcomponent_get_first_property(comp, ICAL_DTSTART_PROPERTY);
    struct event *master = e->has_rid ? find_winner(x, e->uid, 0, 0) : NULL;
    if (!pstart) {
        /* libical names a misspelt property (DTSTAR) in an X-LIC-ERROR. */
        icalproperty *err =
            icalcomponent_get_first_property(comp, ICAL_XLICERROR_PROPERTY);
        if (err)
            REJECT(e, "event has no DTSTART (libical: %s)",
                   icalproperty_get_xlicerror(err));
        else
            REJECT(e, "event has no DTSTART");
        return 0;
    }
    struct icaltimetype t0;
    struct zone z;
    const char *bad = NULL;
    int rc = prop_time(e->cal, pstart, &floating, &t0, &z, &bad);
    if (rc == 1) {
        imp->skipped++; /* an all-day event is no meeting */
        return 0;
    }
    if (rc == -1) {
        REJECT(e, "DTSTART '%s' is not a date-time",
               icalproperty_get_value_as_string(pstart));
        return 0;
    }
    if (rc == -2) {
        REJECT(e, "DTSTART has the unknown time zone '%s' (no VTIMEZONE)", bad);
        return 0;
    }
    int64_t start;
    if (zone_to_utc(&z, t0, &start)) {
        REJECT(e, "DTSTART cannot be placed in its time zone");
        return 0;
    }
    /* The end: DTEND, or DTSTART + DURATION; unknown without either. */
    double dur = NAN;
    icalproperty *pend =
        icalcomponent_get_first_property(comp, ICAL_DTEND_PROPERTY);
    icalproperty *pdur =
        icalcomponent_get_first_property(comp, ICAL_DURATION_PROPERTY);
    if (pend) {
        int64_t end;
        rc = prop_instant(e->cal, pend, &z, &end, &bad);
        if (rc == 1) {
            REJECT(e, "DTEND '%s' is a date but DTSTART a date-time",
                   icalproperty_get_value_as_string(pend));
            return 0;
        }
        if (rc == -2) {
            REJECT(e, "DTEND has the unknown time zone '%s' (no VTIMEZONE)",
                   bad);
            return 0;
        }
        if (rc) {
            REJECT(e, "DTEND '%s' is not a date-time",
                   icalproperty_get_value_as_string(pend));
            return 0;
        }
        if (end < start) {
            REJECT(e, "DTEND is before DTSTART");
            return 0;
        }
        dur = (double)(end - start) / 60.0;
    } else if (pdur) {
        struct icaldurationtype d = icalproperty_get_duration(pdur);
        if (icaldurationtype_is_bad_duration(d) || d.is_neg) {
            REJECT(e, "DURATION '%s' is not a duration",
                   icalproperty_get_value_as_string(pdur));
            return 0;
        }
        dur = (double)icaldurationtype_as_int(d) / 60.0;
    } else if (master) {
        /* An override without an end keeps the series' length. */
        icalproperty *mend =
            icalcomponent_get_first_property(master->comp, ICAL_DTEND_PROPERTY);
        icalproperty *mst = icalcomponent_get_first_property(
            master->comp, ICAL_DTSTART_PROPERTY);
        int64_t a, b;
        if (mend && mst &&
            prop_instant(master->cal, mst, &floating, &a, &bad) == 0 &&
            prop_instant(master->cal, mend, &floating, &b, &bad) == 0 && b >= a)
            dur = (double)(b - a) / 60.0;
    }
    if (is_cancelled(comp, e->cal)) {
        /* The series, or one instance of it (counted when in the window). */
        if (!e->has_rid || (start >= x->from && start < x->to))
            imp->skipped++;
        return 0;
    }

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

    rc = 0;
    icalproperty *prule =
        icalcomponent_get_first_property(comp, ICAL_RRULE_PROPERTY);
    icalproperty *prdate =
        icalcomponent_get_first_property(comp, ICAL_RDATE_PROPERTY);
    if (e->has_rid && (start < x->from || start >= x->to)) {
        free(m); /* an instance of a series outside the window */
        return 0;
    }
    if (e->has_rid || (!prule && !prdate)) {
        rc = emit(x, m, start, e->has_rid ? e->rid : start, dur);
        free(m);
        return rc;
    }

    /* A series: EXDATEs as instants (or local dates for VALUE=DATE). */
    int64_t *ex = NULL;
    int32_t *exday = NULL;
    size_t nex = 0, nexday = 0, capex = 0, capday = 0;
    for (icalproperty *p =
             icalcomponent_get_first_property(comp, ICAL_EXDATE_PROPERTY);
         p; p = icalcomponent_get_next_property(comp, ICAL_EXDATE_PROPERTY)) {
        struct icaltimetype t;
        struct zone ez;
        int64_t ts;
        int r = prop_time(e->cal, p, &z, &t, &ez, &bad);
        if (r == 1) {
            if (nexday == capday) {
                capday = capday ? 2 * capday : 8;
                exday = tether_xrealloc(exday, capday * sizeof(int32_t));
            }
            exday[nexday++] = tether_days_from_civil(t.year, t.month, t.day);
        } else if (r == 0 && zone_to_utc(&ez, t, &ts) == 0) {
            if (nex == capex) {
                capex = capex ? 2 * capex : 8;
                ex = tether_xrealloc(ex, capex * sizeof(int64_t));
            }
            ex[nex++] = ts;
        } else {
            import_warn(imp, "line %ld: EXDATE '%s' ignored", e->line,
                        icalproperty_get_value_as_string(p));
        }
    }
    if (nex)
        qsort(ex, nex, sizeof(int64_t), cmp_i64);

    /* The instants of the series, with the length of each. */
    struct instance *inst = NULL;
    size_t ninst = 0, capinst = 0;
#define ADD_INSTANCE(ts, d)                                                    \
    do {                                                                       \
        if (ninst == capinst) {                                                \
            capinst = capinst ? 2 * capinst : 64;                              \
            inst = tether_xrealloc(inst, capinst * sizeof(*inst));             \
        }                                                                      \
        inst[ninst].start = (ts);                                              \
        inst[ninst++].minutes = (d);                                           \
    } while (0)
    if (!prule)
        ADD_INSTANCE(start, dur); /* DTSTART is the first instance */
    for (prule =
             prule ? icalcomponent_get_first_property(comp, ICAL_RRULE_PROPERTY)
                   : NULL;
         prule;
         prule = icalcomponent_get_next_property(comp, ICAL_RRULE_PROPERTY)) {
        struct icalrecurrencetype rule = icalproperty_get_rrule(prule);
        if (rule.freq == ICAL_NO_RECURRENCE) {
            import_warn(imp,
                        "line %ld: RRULE '%s' not understood; only the "
                        "first instance counts",
                        e->line, icalproperty_get_value_as_string(prule));
            ADD_INSTANCE(start, dur);
            continue;
        }
        /* Iterate on the wall clock, so that the local time stays fixed
         * across DST changes; an UNTIL in UTC is moved to that clock. */
        if (!icaltime_is_null_time(rule.until) && icaltime_is_utc(rule.until)) {
            int64_t u;
            struct zone uz = {.utc = 1};
            if (zone_to_utc(&uz, rule.until, &u) == 0)
                rule.until = zone_from_utc(&z, u);
            rule.until.is_date = 0;
        }
        rule.until.zone = NULL;
        icalrecur_iterator *it = icalrecur_iterator_new(rule, t0);
        if (!it) {
            import_warn(imp,
                        "line %ld: RRULE '%s' not understood; only the "
                        "first instance counts",
                        e->line, icalproperty_get_value_as_string(prule));
            ADD_INSTANCE(start, dur);
            continue;
        }
        long n = 0;
        for (struct icaltimetype t = icalrecur_iterator_next(it);
             !icaltime_is_null_time(t); t = icalrecur_iterator_next(it)) {
            if (++n > MAX_ITERATIONS) {
                x->capped++;
                break;
            }
            int64_t ts;
            t.zone = NULL;
            if (zone_to_utc(&z, t, &ts))
                break;
            if (ts >= x->to)
                break; /* the series goes on past the window: stop */
            if (ts >= x->from)
                ADD_INSTANCE(ts, dur);
        }
        icalrecur_iterator_free(it);
    }
    /* (The component has one property cursor: start it again.) */
    for (icalproperty *p =
             icalcomponent_get_first_property(comp, ICAL_RDATE_PROPERTY);
         p; p = icalcomponent_get_next_property(comp, ICAL_RDATE_PROPERTY)) {
        struct icaldatetimeperiodtype dp = icalproperty_get_rdate(p);
        struct icaltimetype t;
        struct zone rz;
        int64_t ts;
        double d = dur;
        int r = prop_time(e->cal, p, &z, &t, &rz, &bad);
        if (r != 0 || zone_to_utc(&rz, t, &ts)) {
            import_warn(imp, "line %ld: RDATE '%s' ignored", e->line,
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
        ADD_INSTANCE(ts, d);
    }
#undef ADD_INSTANCE
    /* Each instance once, in time order, minus EXDATEs and overrides. */
    if (ninst) /* qsort wants a real array even for no element */
        qsort(inst, ninst, sizeof(*inst), cmp_instance);
    for (size_t i = 0; i < ninst && rc == 0; i++) {
        int64_t ts = inst[i].start;
        if (i > 0 && inst[i - 1].start == ts)
            continue; /* an RDATE that repeats a rule's instance */
        if (ts < x->from || ts >= x->to)
            continue; /* RDATEs and first instances outside the window */
        if (nex && bsearch(&ts, ex, nex, sizeof(int64_t), cmp_i64))
            continue;
        int excluded = 0;
        if (nexday) {
            struct icaltimetype lt = zone_from_utc(&z, ts);
            int32_t day = tether_days_from_civil(lt.year, lt.month, lt.day);
            for (size_t k = 0; k < nexday; k++)
                excluded |= exday[k] == day;
        }
        if (excluded)
            continue;
        if (e->uid && find_winner(x, e->uid, 1, ts))
            continue; /* the override stands for this instance */
        rc = emit(x, m, ts, ts, inst[i].minutes);
    }
    free(inst);
    free(ex);
    free(exday);
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
    /* Parse each calendar and list its events with their lines. */
    for (size_t b = 0; b < x.nblocks; b++) {
        struct block *bl = &x.blocks[b];
        bl->cal = icalparser_parse_string(bl->text.data);
        if (!bl->cal ||
            icalcomponent_isa(bl->cal) != ICAL_VCALENDAR_COMPONENT) {
            snprintf(imp->errbuf, TETHER_ERRBUF,
                     "'%s': libical cannot read the calendar that starts "
                     "near event line %ld",
                     imp->path, bl->nlines ? bl->lines[0] : 0L);
            goto out;
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
            x.events = tether_xrealloc(x.events,
                                       (x.nevents + 1) * sizeof(struct event));
            struct event *e = &x.events[x.nevents++];
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
    imp->rows = (long)x.nevents;
    /* RECURRENCE-IDs as instants: they key the overrides. */
    for (size_t i = 0; i < x.nevents; i++) {
        struct event *e = &x.events[i];
        icalproperty *p = icalcomponent_get_first_property(
            e->comp, ICAL_RECURRENCEID_PROPERTY);
        if (!p)
            continue;
        struct zone floating = {0};
        snprintf(floating.iana, sizeof(floating.iana), "%s",
                 imp->opts->tz ? imp->opts->tz : "UTC");
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
            e->rid = INT64_MIN; /* rejected below, when it is loaded */
        }
    }
    /* The winning version of each UID and instance. */
    order = tether_xmalloc((x.nevents ? x.nevents : 1) * sizeof(*order));
    for (size_t i = 0; i < x.nevents; i++)
        order[i] = &x.events[i];
    qsort(order, x.nevents, sizeof(*order), cmp_version);
    for (size_t i = 0; i < x.nevents; i++) {
        struct event *e = order[i],
                     *n = i + 1 < x.nevents ? order[i + 1] : NULL;
        /* Events without UID are each their own; replies never win. */
        int same = n && e->uid && n->uid && strcmp(e->uid, n->uid) == 0 &&
                   e->has_rid == n->has_rid && e->rid == n->rid;
        e->winner = !same;
    }
    x.winners = tether_xmalloc((x.nevents ? x.nevents : 1) * sizeof(*order));
    for (size_t i = 0; i < x.nevents; i++)
        if (order[i]->winner && order[i]->uid)
            x.winners[x.nwinners++] = order[i];
    qsort(x.winners, x.nwinners, sizeof(*x.winners), cmp_key);
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
