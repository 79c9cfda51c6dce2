/* calendar_json.c - calendars read through the APIs organisations use for
 * whole-company data: Microsoft Graph events (/events, /calendarView, with
 * "value" pages) and Google Calendar API events.list pages ("items"), read
 * with jansson. Recorded responses are found inside the envelopes tools
 * wrap them in (Dev Proxy mocks, Nango's "response"), after an HTTP status
 * line and headers when a test fixture kept them. Each event whose
 * participants include a pair is a contact keyed like the same event of an
 * .ics export (UID/instance start), so the two sources do not double. */
#include "collect.h"

#include <jansson.h>
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
#define MAX_DEPTH 16

enum api { API_GRAPH, API_GCAL };

struct caljson {
    struct import *imp;
    enum api api;
    struct contact_store *store;
    const char *text;
    json_t *events; /* the events found, borrowed references */
    long masters;   /* series given as rules, not as instances */
    long zones;     /* events in an unknown time zone */
};

int
graph_detect(const char *head)
{
    return strstr(head, "\"iCalUId\"") != NULL ||
           (strstr(head, "@odata.context") != NULL &&
            (strstr(head, "/events") || strstr(head, "calendarView")));
}

int
gcal_detect(const char *head)
{
    return strstr(head, "calendar#event") != NULL ||
           strstr(head, "\"iCalUID\"") != NULL;
}

/* Does j look like an event of the API? */
static int
is_event(const json_t *j)
{
    return json_is_object(j) && json_is_object(json_object_get(j, "start"));
}

/* Adds the events under j: the pages' "value" or "items" arrays, looked
 * for also inside "response", "body" and "mocks" (recorded responses). */
static void
find_events(json_t *j, json_t *out, int depth)
{
    if (depth > MAX_DEPTH)
        return;
    if (is_event(j)) {
        json_array_append(out, j);
        return;
    }
    if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) find_events(v, out, depth + 1);
        return;
    }
    if (!json_is_object(j))
        return;
    static const char *const keys[] = {"value", "items", "response", "body",
                                       "mocks"};
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        json_t *v = json_object_get(j, keys[k]);
        if (v)
            find_events(v, out, depth + 1);
    }
}

static const char *
str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The line of the file where the event's id first appears, so that a
 * message points at it (jansson keeps no positions of values). */
static long
line_of(const struct caljson *c, const char *id)
{
    if (!*id)
        return 0;
    char *quoted = tether_xasprintf("\"%s\"", id);
    const char *at = strstr(c->text, quoted);
    free(quoted);
    if (!at)
        return 0;
    long line = 1;
    for (const char *p = c->text; p < at; p++)
        line += *p == '\n';
    return line;
}

/* A Graph dateTimeTimeZone: a local dateTime without an offset and the
 * zone it is in, IANA or Windows. 0, -1 malformed, -2 unknown zone. */
static int
graph_time(const json_t *dt, int64_t *ts)
{
    const char *when = str(dt, "dateTime"), *zone = str(dt, "timeZone");
    if (!*when)
        return -1;
    if (!*zone || !strcasecmp(zone, "UTC") ||
        !strcasecmp(zone, "Coordinated Universal Time"))
        zone = "UTC";
    else if (!tether_tz_valid(zone) && !(zone = windows_zone_iana(zone)))
        return -2;
    int rc = tether_ts_parse(when, zone, ts);
    return rc == 0 ? 0 : rc == -3 ? -2 : -1;
}

/* A Google start or end: dateTime in RFC 3339 (its offset gives the
 * instant; timeZone is only for display), or date for all-day events
 * (1). 0, 1, or -1 malformed. */
static int
gcal_time(const json_t *dt, int64_t *ts)
{
    const char *when = str(dt, "dateTime");
    if (!*when)
        return *str(dt, "date") ? 1 : -1;
    const char *zone = str(dt, "timeZone");
    int rc = tether_ts_parse(when, tether_tz_valid(zone) ? zone : NULL, ts);
    return rc == 0 ? 0 : -1;
}

/* Adds the person of an address to people (once). */
static void
add_person(struct caljson *c, const char *address, int64_t *people, size_t *n)
{
    if (!address || !strchr(address, '@') || *n >= MAX_PEOPLE)
        return;
    int64_t id = person_by_email(c->imp, address);
    for (size_t i = 0; i < *n && id; i++)
        if (people[i] == id)
            return;
    if (id)
        people[(*n)++] = id;
}

/* The organizer and the attendees who did not decline. */
static size_t
participants(struct caljson *c, const json_t *ev, int64_t *people)
{
    size_t n = 0;
    size_t i;
    json_t *a;
    if (c->api == API_GRAPH) {
        add_person(c,
                   str(json_object_get(json_object_get(ev, "organizer"),
                                       "emailAddress"),
                       "address"),
                   people, &n);
        json_array_foreach(json_object_get(ev, "attendees"), i, a)
        {
            const char *resp = str(json_object_get(a, "status"), "response");
            if (strcasecmp(resp, "declined") == 0 ||
                strcasecmp(str(a, "type"), "resource") == 0)
                continue;
            add_person(c, str(json_object_get(a, "emailAddress"), "address"),
                       people, &n);
        }
    } else {
        add_person(c, str(json_object_get(ev, "organizer"), "email"), people,
                   &n);
        json_array_foreach(json_object_get(ev, "attendees"), i, a)
        {
            if (strcasecmp(str(a, "responseStatus"), "declined") == 0 ||
                json_is_true(json_object_get(a, "resource")))
                continue;
            add_person(c, str(a, "email"), people, &n);
        }
    }
    return n;
}

/* video with a conferencing link, in_person with only a place, else
 * other. */
static const char *
medium_of(const struct caljson *c, const json_t *ev)
{
    const char *place;
    if (c->api == API_GRAPH) {
        if (json_is_true(json_object_get(ev, "isOnlineMeeting")) ||
            *str(json_object_get(ev, "onlineMeeting"), "joinUrl"))
            return tether_medium_names[TETHER_MEDIUM_VIDEO];
        place = str(json_object_get(ev, "location"), "displayName");
    } else {
        if (*str(ev, "hangoutLink") ||
            json_is_object(json_object_get(ev, "conferenceData")))
            return tether_medium_names[TETHER_MEDIUM_VIDEO];
        place = str(ev, "location");
    }
    return tether_medium_names[tether_str_blank(place)
                                   ? TETHER_MEDIUM_OTHER
                                   : TETHER_MEDIUM_IN_PERSON];
}

/* Is the event one that cannot be a meeting, or is cancelled? */
static int
not_a_meeting(const struct caljson *c, const json_t *ev)
{
    if (c->api == API_GRAPH)
        return json_is_true(json_object_get(ev, "isCancelled")) ||
               json_is_true(json_object_get(ev, "isAllDay"));
    const char *type = str(ev, "eventType");
    return strcasecmp(str(ev, "status"), "cancelled") == 0 ||
           (*type && strcasecmp(type, "default") != 0);
}

/* The instance's original start (an exception moved from there) or its
 * start: the instance part of the key. */
static int64_t
original_start(const struct caljson *c, const json_t *ev, int64_t start)
{
    int64_t ts;
    if (c->api == API_GRAPH) {
        const char *o = str(ev, "originalStart");
        if (*o && tether_ts_parse(o, "UTC", &ts) == 0)
            return ts;
    } else {
        const json_t *o = json_object_get(ev, "originalStartTime");
        if (o && gcal_time(o, &ts) == 0)
            return ts;
    }
    return start;
}

/* Reads and stores one event. 0, or -1 on a database error. */
static int
event_load(struct caljson *c, const json_t *ev)
{
    struct import *imp = c->imp;
    const char *id = str(ev, "id");
    const char *uid = str(ev, c->api == API_GRAPH ? "iCalUId" : "iCalUID");
    long line = line_of(c, id);
    char *raw = json_dumps(ev, JSON_COMPACT);
    int rc = 0;
    int64_t start, end;
    int rs, re;
    if (c->api == API_GRAPH) {
        rs = graph_time(json_object_get(ev, "start"), &start);
        re = graph_time(json_object_get(ev, "end"), &end);
    } else {
        rs = gcal_time(json_object_get(ev, "start"), &start);
        re = gcal_time(json_object_get(ev, "end"), &end);
    }
    if (not_a_meeting(c, ev) || rs == 1) {
        imp->skipped++;
        goto out;
    }
    if (json_is_array(json_object_get(ev, "recurrence")) ||
        json_is_object(json_object_get(ev, "recurrence")) ||
        strcmp(str(ev, "type"), "seriesMaster") == 0) {
        c->masters++; /* a rule, not instances */
        imp->skipped++;
        goto out;
    }
    if (rs || re) {
        if (rs == -2 || re == -2)
            c->zones++;
        const char *which = rs ? "start" : "end";
        const json_t *t = json_object_get(ev, which);
        if ((rs ? rs : re) == -2)
            import_reject(imp, line, which, raw,
                          "event %s: the time zone '%s' is neither an IANA "
                          "nor a Windows zone",
                          *id ? id : "?", str(t, "timeZone"));
        else
            import_reject(imp, line, which, raw,
                          "event %s: '%s' is not a date-time", *id ? id : "?",
                          *str(t, "dateTime") ? str(t, "dateTime")
                                              : str(t, "date"));
        goto out;
    }
    if ((c->imp->opts->has_range &&
         (start < (int64_t)imp->opts->from * 86400 ||
          start >= ((int64_t)imp->opts->to + 1) * 86400))) {
        imp->skipped++;
        goto out;
    }
    int64_t people[MAX_PEOPLE], pairs[MAX_PAIRS];
    size_t np = participants(c, ev, people);
    size_t npairs = contact_store_pairs_among(c->store, people, np, start,
                                              pairs, MAX_PAIRS);
    if (npairs == 0) {
        imp->skipped++;
        goto out;
    }
    if (npairs > MAX_PAIRS)
        npairs = MAX_PAIRS;
    char ts[TETHER_TS_LEN], inst[20];
    tether_ts_format(original_start(c, ev, start), ts);
    snprintf(inst, sizeof(inst), "%.4s%.2s%.2sT%.2s%.2s%.2sZ", ts, ts + 5,
             ts + 8, ts + 11, ts + 14, ts + 17);
    char *key = tether_xasprintf("%s/%s", *uid ? uid : id, inst);
    struct contact ct = {
        .source_key = key,
        .started_at = start,
        .duration_min = end >= start ? (double)(end - start) / 60.0 : NAN,
        .medium = medium_of(c, ev),
        .kind = tether_kind_names[TETHER_KIND_SCHEDULED],
        .summary_sent = -1,
    };
    enum contact_result r = contact_store_put(c->store, &ct, pairs, npairs);
    if (r == CONTACT_CONFLICT)
        import_reject(imp, line, NULL, raw,
                      "event %s appears again with other content", key);
    free(key);
    rc = contact_count(imp, r);
out:
    free(raw);
    return rc;
}

/* The JSON text after an HTTP status line and headers, if any. */
static const char *
skip_http(const char *text)
{
    if (strncmp(text, "HTTP/", 5) != 0)
        return text;
    const char *p = strstr(text, "\n\n"), *q = strstr(text, "\r\n\r\n");
    if (q && (!p || q < p))
        return q + 4;
    return p ? p + 2 : text;
}

static int
load(struct import *imp, enum api api)
{
    char *text = NULL;
    size_t len = 0;
    json_t *root = NULL;
    struct caljson c = {.imp = imp, .api = api};
    int rc = -1;
    const char *name = api == API_GRAPH ? "Microsoft Graph" : "Google Calendar";
    if (tether_text_read_all(imp->path, &text, &len, imp->errbuf))
        return -1;
    c.text = text;
    const char *body = skip_http(text);
    json_error_t e;
    if (!(root = json_loads(body, JSON_REJECT_DUPLICATES, &e))) {
        long skipped = 0; /* the header lines before the JSON */
        for (const char *p = text; p < body; p++)
            skipped += *p == '\n';
        snprintf(imp->errbuf, TETHER_ERRBUF, "%s:%ld:%d: not JSON: %s",
                 imp->path, (long)e.line + skipped, e.column, e.text);
        goto out;
    }
    c.events = json_array();
    find_events(root, c.events, 0);
    if (json_array_size(c.events) == 0) {
        snprintf(imp->errbuf, TETHER_ERRBUF,
                 "%s: no %s events in this JSON (expected the \"%s\" array of "
                 "events with start and end)",
                 imp->path, name, api == API_GRAPH ? "value" : "items");
        goto out;
    }
    if (!(c.store = contact_store_new(imp)))
        goto out;
    size_t i;
    json_t *ev;
    json_array_foreach(c.events, i, ev)
    {
        imp->rows++;
        if (event_load(&c, ev))
            goto out;
    }
    if (c.masters)
        import_warn(imp,
                    "%ld recurring series are given as rules, not instances: "
                    "skipped (export %s)",
                    c.masters,
                    api == API_GRAPH ? "/calendarView, which lists each "
                                       "occurrence"
                                     : "events.list with singleEvents=true");
    if (c.zones && windows_zones_problem())
        import_warn(imp, "%s", windows_zones_problem());
    if (contact_store_flush(c.store))
        goto out;
    rc = 0;
out:
    contact_store_free(c.store);
    json_decref(c.events);
    json_decref(root);
    free(text);
    return rc;
}

int
graph_load(struct import *imp)
{
    return load(imp, API_GRAPH);
}

int
gcal_load(struct import *imp)
{
    return load(imp, API_GCAL);
}
