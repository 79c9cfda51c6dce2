/* attendance.c - what the Zoom, Teams and Google Meet importers share:
 * reading a small report into memory, locale dates and durations, rejoins
 * merged per person, participants found in the roster and the meeting
 * stored through the contact store. */
#include "collect.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tether/db.h"
#include "tether/timeutil.h"
#include "tether/util.h"

/* Reports are a few kilobytes; this bounds a hostile file all the same. */
#define MAX_REPORT_RECORDS 1000000

int
report_file_read(struct import *imp, char delim, struct report_file *rf)
{
    struct tether_csv *csv = NULL;
    size_t cap = 0;
    int got;
    memset(rf, 0, sizeof(*rf));
    if (table_open(imp, imp->path, delim, &csv, imp->errbuf))
        return -1;
    while ((got = tether_csv_next(csv, imp->errbuf)) > 0) {
        const char *why;
        long bad = tether_csv_problem(csv, &why);
        if (bad >= 0) {
            char col[32];
            snprintf(col, sizeof(col), "%ld", bad + 1);
            import_reject(imp, tether_csv_line(csv), col, tether_csv_raw(csv),
                          "%s", why);
            continue;
        }
        size_t n = tether_csv_nfields(csv);
        int blank = 1;
        for (size_t i = 0; i < n && blank; i++)
            blank = tether_str_blank(tether_csv_field(csv, i));
        if (blank)
            continue;
        if (rf->n >= MAX_REPORT_RECORDS) {
            snprintf(imp->errbuf, TETHER_ERRBUF,
                     "%s: more than %d records; not an attendance report",
                     imp->path, MAX_REPORT_RECORDS);
            got = -1;
            break;
        }
        if (rf->n == cap) {
            cap = cap ? cap * 2 : 64;
            rf->rec = tether_xrealloc(rf->rec, cap * sizeof(*rf->rec));
        }
        struct report_record *r = &rf->rec[rf->n++];
        r->n = n;
        r->line = tether_csv_line(csv);
        r->raw = tether_xstrdup(tether_csv_raw(csv));
        r->field = tether_xcalloc(n ? n : 1, sizeof(char *));
        for (size_t i = 0; i < n; i++)
            r->field[i] =
                tether_str_trim(tether_xstrdup(tether_csv_field(csv, i)));
    }
    tether_csv_close(csv);
    if (got < 0) {
        report_file_free(rf);
        return -1;
    }
    return 0;
}

void
report_file_free(struct report_file *rf)
{
    for (size_t k = 0; k < rf->n; k++) {
        for (size_t i = 0; i < rf->rec[k].n; i++)
            free(rf->rec[k].field[i]);
        free(rf->rec[k].field);
        free(rf->rec[k].raw);
    }
    free(rf->rec);
    rf->rec = NULL;
    rf->n = 0;
}

long
report_find(const struct report_record *r, const char *const *names)
{
    for (const char *const *nm = names; *nm; nm++)
        for (size_t i = 0; i < r->n; i++)
            if (tether_str_ieq_trim(r->field[i], *nm))
                return (long)i;
    return -1;
}

const char *
report_get(const struct report_record *r, long i)
{
    return i >= 0 && (size_t)i < r->n ? r->field[i] : "";
}

/* ---- dates, times and durations ---- */

/* Reads 1 to max digits; their count in *nd. -1 when there is none. */
static long
number(const char **p, int max, int *nd)
{
    long v = 0;
    int n = 0;
    while (n < max && isdigit((unsigned char)**p)) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    if (nd)
        *nd = n;
    return n ? v : -1;
}

static int
month_days(int y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return n[m - 1];
}

/* Zone abbreviations seen in exports (Google Forms writes them), with
 * their offsets in minutes. IST is India's, as Google Forms means it. */
static const struct {
    const char *name;
    int minutes;
} abbreviations[] = {
    {"UTC", 0},     {"GMT", 0},     {"Z", 0},       {"WET", 0},
    {"WEST", 60},   {"BST", 60},    {"CET", 60},    {"CEST", 120},
    {"EET", 120},   {"EEST", 180},  {"MSK", 180},   {"SAST", 120},
    {"IST", 330},   {"PKT", 300},   {"WIB", 420},   {"ICT", 420},
    {"SGT", 480},   {"HKT", 480},   {"AWST", 480},  {"JST", 540},
    {"KST", 540},   {"ACST", 570},  {"ACDT", 630},  {"AEST", 600},
    {"AEDT", 660},  {"NZST", 720},  {"NZDT", 780},  {"AST", -240},
    {"ADT", -180},  {"EST", -300},  {"EDT", -240},  {"CST", -360},
    {"CDT", -300},  {"MST", -420},  {"MDT", -360},  {"PST", -480},
    {"PDT", -420},  {"AKST", -540}, {"AKDT", -480}, {"HST", -600},
    {"BRT", -180},  {"ART", -180},
};

/* A signed offset +H, +HH, +H:MM or +HHMM after the sign; seconds. */
static int
parse_offset(const char **p, int *offset)
{
    int sign = **p == '-' ? -1 : 1;
    (*p)++;
    int nd;
    long h = number(p, 2, &nd), m = 0;
    if (h < 0 || h > 18)
        return -1;
    if (**p == ':') {
        (*p)++;
        if ((m = number(p, 2, &nd)) < 0 || nd != 2)
            return -1;
    } else if (isdigit((unsigned char)**p)) {
        if ((m = number(p, 2, &nd)) < 0 || nd != 2)
            return -1;
    }
    if (m > 59)
        return -1;
    *offset = sign * (int)(h * 3600 + m * 60);
    return 0;
}

static const char *
blanks(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* The zone after a time: Z, +05:30, GMT+5:30, UTC, or an abbreviation we
 * know. An abbreviation we do not know leaves the time local (the caller's
 * --timezone applies). -1 on anything else. */
static int
parse_zone(const char *p, struct loctime *t)
{
    p = blanks(p);
    if (!*p)
        return 0;
    if (*p == '+' || *p == '-') {
        if (parse_offset(&p, &t->offset))
            return -1;
        t->has_offset = 1;
        return *blanks(p) ? -1 : 0;
    }
    char word[8];
    size_t n = 0;
    while (isalpha((unsigned char)p[n]) && n < sizeof(word) - 1) {
        word[n] = p[n];
        n++;
    }
    word[n] = '\0';
    if (n == 0 || isalpha((unsigned char)p[n]))
        return -1;
    p += n;
    if ((strcasecmp(word, "GMT") == 0 || strcasecmp(word, "UTC") == 0) &&
        (*p == '+' || *p == '-')) {
        if (parse_offset(&p, &t->offset))
            return -1;
        t->has_offset = 1;
        return *blanks(p) ? -1 : 0;
    }
    if (*blanks(p))
        return -1;
    for (size_t i = 0; i < sizeof(abbreviations) / sizeof(abbreviations[0]);
         i++) {
        if (strcasecmp(word, abbreviations[i].name) == 0) {
            t->has_offset = 1;
            t->offset = abbreviations[i].minutes * 60;
            return 0;
        }
    }
    return 0;
}

/* AM, PM, a.m., p.m. in any case: 1 for PM, 0 for AM, -1 none. The
 * pointer moves past it. */
static int
meridiem(const char **p)
{
    const char *s = blanks(*p);
    int pm;
    if (*s == 'a' || *s == 'A')
        pm = 0;
    else if (*s == 'p' || *s == 'P')
        pm = 1;
    else
        return -1;
    s++;
    if (*s == '.')
        s++;
    if (*s != 'm' && *s != 'M')
        return -1;
    s++;
    if (*s == '.')
        s++;
    if (isalpha((unsigned char)*s))
        return -1;
    *p = s;
    return pm;
}

int
loctime_parse(const char *s, enum date_order order, struct loctime *t)
{
    memset(t, 0, sizeof(*t));
    const char *p = blanks(s);
    const char *q = p;
    int nd;
    long a = number(&q, 4, &nd);
    if (a < 0)
        return -1;
    if (*q == '/' || *q == '-' || *q == '.') {
        char sep = *q++;
        int nd1 = nd, nd2, nd3;
        long b = number(&q, 2, &nd2);
        if (b < 0 || *q != sep)
            return -1;
        q++;
        long c = number(&q, 4, &nd3);
        if (c < 0)
            return -1;
        long y, mo, d;
        if (nd1 == 4) {
            y = a, mo = b, d = c;
            if (nd3 > 2)
                return -1;
        } else {
            if (nd1 > 2 || (nd3 != 2 && nd3 != 4))
                return -1;
            y = nd3 == 2 ? 2000 + c : c;
            if (order == DATE_ORDER_DMY)
                d = a, mo = b;
            else
                mo = a, d = b;
        }
        if (y < 1 || mo < 1 || mo > 12 || d < 1 ||
            d > month_days((int)y, (int)mo))
            return -1;
        t->has_date = 1;
        t->y = (int)y, t->mo = (int)mo, t->d = (int)d;
        if (*q == ',')
            q++;
        if (*q == 'T' || *q == 't') {
            q++;
        } else if (*q && *q != ' ' && *q != '\t') {
            return -1;
        }
        p = blanks(q);
        if (!*p)
            return 0;
        q = p;
        a = number(&q, 2, &nd);
        if (a < 0)
            return -1;
    } else if (nd > 2) {
        return -1;
    }
    /* The time: H:MM[:SS[.fff]] [AM|PM] [zone]. */
    if (*q != ':')
        return -1;
    q++;
    long mi = number(&q, 2, &nd), sec = 0;
    if (mi < 0 || nd != 2 || mi > 59)
        return -1;
    if (*q == ':') {
        q++;
        sec = number(&q, 2, &nd);
        if (sec < 0 || nd != 2 || sec > 60)
            return -1;
        if (*q == '.' || *q == ',') {
            q++;
            if (!isdigit((unsigned char)*q))
                return -1;
            while (isdigit((unsigned char)*q))
                q++;
        }
    }
    long h = a;
    int pm = meridiem(&q);
    if (pm >= 0) {
        if (h < 1 || h > 12)
            return -1;
        h = h % 12 + (pm ? 12 : 0);
    } else if (h > 23) {
        return -1;
    }
    if (sec == 60)
        sec = 59; /* a leap second: close enough for attendance */
    t->has_time = 1;
    t->h = (int)h, t->mi = (int)mi, t->s = (int)sec;
    return parse_zone(q, t);
}

enum date_order
loctime_order_hint(const char *s)
{
    const char *p = blanks(s);
    int nd1, nd2;
    long a = number(&p, 4, &nd1);
    if (a < 0 || nd1 > 2 || (*p != '/' && *p != '.' && *p != '-'))
        return DATE_ORDER_UNKNOWN;
    char sep = *p++;
    long b = number(&p, 2, &nd2);
    if (b < 0 || *p != sep)
        return DATE_ORDER_UNKNOWN;
    if (a > 12 && b <= 12)
        return DATE_ORDER_DMY;
    if (b > 12 && a <= 12)
        return DATE_ORDER_MDY;
    return DATE_ORDER_UNKNOWN;
}

enum date_order
date_order_choose(const struct import *imp, enum date_order dflt, long dmy,
                  long mdy)
{
    const char *opt = imp->opts->date_order;
    if (opt && *opt)
        return strcasecmp(opt, "dmy") == 0 ? DATE_ORDER_DMY : DATE_ORDER_MDY;
    /* Both kinds of evidence means some values are malformed; they will be
     * rejected whichever order is taken, so keep the majority. */
    if (dmy > mdy)
        return DATE_ORDER_DMY;
    if (mdy > dmy)
        return DATE_ORDER_MDY;
    return dflt;
}

int
loctime_to_utc(const struct loctime *t, const char *zone, int64_t *ts)
{
    if (t->has_offset) {
        *ts = (int64_t)tether_days_from_civil(t->y, t->mo, t->d) * 86400 +
              t->h * 3600 + t->mi * 60 + t->s - t->offset;
        return 0;
    }
    return tether_tz_local_to_utc(zone, t->y, t->mo, t->d, t->h, t->mi, t->s,
                                  ts);
}

const char *
collect_zone(const struct import *imp)
{
    return imp->opts->tz && *imp->opts->tz ? imp->opts->tz : "UTC";
}

/* Units of durations as Zoom, Meet and Teams write them, Teams in the
 * organiser's language (English, German, French, Spanish, Portuguese,
 * Italian, Dutch, Polish, Japanese), with their length in minutes. */
static const struct {
    const char *name;
    double minutes;
} duration_units[] = {
    {"h", 60},       {"hr", 60},      {"hrs", 60},      {"hour", 60},
    {"hours", 60},   {"std", 60},     {"stunde", 60},   {"stunden", 60},
    {"heure", 60},   {"heures", 60},  {"hora", 60},     {"horas", 60},
    {"ora", 60},     {"ore", 60},     {"u", 60},        {"uur", 60},
    {"godz", 60},    {"godzina", 60}, {"godziny", 60},  {"godzin", 60},
    {"時間", 60},    {"m", 1},        {"min", 1},       {"mins", 1},
    {"minute", 1},   {"minutes", 1},  {"minuten", 1},   {"minuto", 1},
    {"minutos", 1},  {"minuti", 1},   {"minuta", 1},    {"minuty", 1},
    {"minut", 1},    {"分", 1},       {"s", 1.0 / 60},  {"sec", 1.0 / 60},
    {"secs", 1.0 / 60},               {"second", 1.0 / 60},
    {"seconds", 1.0 / 60},            {"sek", 1.0 / 60},
    {"sekunden", 1.0 / 60},           {"seg", 1.0 / 60},
    {"segundo", 1.0 / 60},            {"segundos", 1.0 / 60},
    {"secondi", 1.0 / 60},            {"seconde", 1.0 / 60},
    {"secondes", 1.0 / 60},           {"sekunda", 1.0 / 60},
    {"sekundy", 1.0 / 60},            {"sekund", 1.0 / 60},
    {"秒", 1.0 / 60},
};

/* The length in minutes of a duration unit (ASCII case ignored), or 0. */
static double
unit_minutes(const char *unit)
{
    for (size_t i = 0; i < sizeof(duration_units) / sizeof(duration_units[0]);
         i++)
        if (strcasecmp(unit, duration_units[i].name) == 0)
            return duration_units[i].minutes;
    return 0;
}

int
duration_parse(const char *s, double *minutes)
{
    const char *p = blanks(s);
    if (!*p)
        return -1;
    /* H:MM:SS or MM:SS */
    if (strchr(p, ':')) {
        long part[3];
        int n = 0, nd;
        for (;;) {
            if (n == 3 || (part[n] = number(&p, 4, &nd)) < 0)
                return -1;
            n++;
            if (*p != ':')
                break;
            p++;
        }
        if (*blanks(p) || n < 2 || part[n - 1] > 59)
            return -1;
        double sec = n == 3 ? (double)(part[0] * 3600 + part[1] * 60 + part[2])
                            : (double)(part[0] * 60 + part[1]);
        *minutes = sec / 60.0;
        return 0;
    }
    double total = 0;
    int parts = 0, bare = 0;
    while (*(p = blanks(p))) {
        double v;
        const char *after = tether_parse_decimal_prefix(p, &v);
        if (!after) /* also 0x1E and 1e2: numbers are decimal */
            return -1;
        p = blanks(after);
        /* The unit: letters of any script up to a blank, digit or comma
         * ("godz.", "Std.", "時間"), without a final dot. */
        size_t n = 0;
        while (p[n] && p[n] != ' ' && p[n] != '\t' && p[n] != ',' &&
               !isdigit((unsigned char)p[n]))
            n++;
        char unit[16];
        if (n >= sizeof(unit))
            return -1;
        memcpy(unit, p, n);
        unit[n] = '\0';
        p += n;
        if (n > 1 && unit[n - 1] == '.')
            unit[n - 1] = '\0';
        double scale;
        if (n == 0) {
            bare = 1; /* a bare number is minutes */
            total += v;
        } else if ((scale = unit_minutes(unit)) > 0) {
            total += v * scale;
        } else {
            return -1;
        }
        parts++;
        if (*p == ',')
            p++;
    }
    if (parts == 0 || (bare && parts > 1))
        return -1;
    *minutes = total;
    return 0;
}

/* ---- meetings and their participants ---- */

/* The name without a parenthesised part, lower-cased: "Paul McCartney
 * (Wings)" and "JANSSENS JAN (EXT)" are matched as "paul mccartney" and
 * "janssens jan". Free the result. */
static char *
plain_name(const char *name)
{
    struct tether_buf b = {0};
    int depth = 0;
    for (const char *p = name; *p; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')' && depth > 0)
            depth--;
        else if (depth == 0)
            tether_buf_addc(&b, *p);
    }
    tether_buf_add(&b, "", 0);
    char *s = tether_str_lower(tether_str_trim(b.data));
    /* collapse inner runs of blanks left by the removal */
    char *o = s;
    for (char *p = s; *p; p++)
        if (!(*p == ' ' && (o == s || o[-1] == ' ')))
            *o++ = *p;
    *o = '\0';
    return s;
}

void
meeting_report_add(struct meeting_report *m, const char *name,
                   const char *email, const char *alt_email, int64_t join,
                   int64_t leave, double minutes, long line)
{
    char *key_new = *email ? NULL : plain_name(name);
    struct attendee *a = NULL;
    for (size_t i = 0; i < m->n && !a; i++) {
        struct attendee *o = &m->people[i];
        if (*email) {
            if (strcasecmp(o->email, email) == 0)
                a = o;
        } else if (!*o->email) {
            char *k = plain_name(o->name);
            if (strcmp(k, key_new) == 0)
                a = o;
            free(k);
        }
    }
    free(key_new);
    if (!a) {
        if (m->n == m->cap) {
            m->cap = m->cap ? m->cap * 2 : 16;
            m->people = tether_xrealloc(m->people, m->cap * sizeof(*a));
        }
        a = &m->people[m->n++];
        a->name = tether_xstrdup(name);
        a->email = tether_str_lower(tether_xstrdup(email));
        a->alt_email = tether_str_lower(tether_xstrdup(alt_email));
        a->first_join = join;
        a->last_join = join;
        a->last_leave = leave;
        a->minutes = minutes;
        a->line = line;
        return;
    }
    if (join != INT64_MIN && (a->first_join == INT64_MIN || join < a->first_join))
        a->first_join = join;
    if (join > a->last_join)
        a->last_join = join;
    if (leave > a->last_leave)
        a->last_leave = leave;
    if (!isnan(minutes))
        a->minutes = isnan(a->minutes) ? minutes : a->minutes + minutes;
    if (!*a->alt_email && *alt_email) {
        free(a->alt_email);
        a->alt_email = tether_str_lower(tether_xstrdup(alt_email));
    }
}

void
meeting_report_clear(struct meeting_report *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->people[i].name);
        free(m->people[i].email);
        free(m->people[i].alt_email);
    }
    free(m->people);
    free(m->id);
    const char *source = m->source;
    memset(m, 0, sizeof(*m));
    m->source = source;
    m->duration_min = NAN;
}

struct attendance {
    struct import *imp;
    struct contact_store *store;
    sqlite3_stmt *st_name;
    struct tether_buf unmatched; /* "name\n" of each unmatched person */
    size_t nunmatched;
};

struct attendance *
attendance_new(struct import *imp)
{
    struct attendance *a = tether_xcalloc(1, sizeof(*a));
    a->imp = imp;
    a->store = contact_store_new(imp);
    /* lower() folds ASCII only, which is what the roster's names need in
     * the common case; other letters must match exactly. */
    if (!a->store ||
        tether_db_prepare(imp->db,
                          "SELECT id FROM people WHERE "
                          "lower(trim(name)) = ?1 LIMIT 2",
                          &a->st_name, imp->errbuf)) {
        contact_store_free(a->store);
        free(a);
        return NULL;
    }
    return a;
}

/* The person of a display name: the only one whose roster name (without a
 * parenthesised part) is the same, ignoring case; else 0. */
static int64_t
person_by_name(struct attendance *a, const char *name)
{
    char *key = plain_name(name);
    int64_t id = 0;
    int found = 0;
    if (*key) {
        sqlite3_bind_text(a->st_name, 1, key, -1, SQLITE_TRANSIENT);
        while (import_step(a->imp, a->st_name) == SQLITE_ROW) {
            id = sqlite3_column_int64(a->st_name, 0);
            found++;
        }
        sqlite3_reset(a->st_name);
    }
    free(key);
    return found == 1 ? id : 0;
}

static void
note_unmatched(struct attendance *a, const char *name)
{
    /* Each name once per file. */
    size_t n = strlen(name);
    const char *p = a->unmatched.data;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        if ((size_t)(nl - p) == n && strncmp(p, name, n) == 0)
            return;
        p = nl + 1;
    }
    tether_buf_adds(&a->unmatched, name);
    tether_buf_addc(&a->unmatched, '\n');
    a->nunmatched++;
}

static int
cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

int
attendance_store(struct attendance *a, struct meeting_report *m)
{
    struct import *imp = a->imp;
    int64_t first = INT64_MAX, last = INT64_MIN;
    for (size_t i = 0; i < m->n; i++) {
        const struct attendee *p = &m->people[i];
        if (p->first_join != INT64_MIN && p->first_join < first)
            first = p->first_join;
        /* A classic Teams list whose last event is a join without a
         * leave: the meeting lasted at least until that join. */
        if (p->last_join != INT64_MIN && p->last_join > last)
            last = p->last_join;
        if (p->last_leave > last)
            last = p->last_leave;
    }
    if (!m->has_start) {
        if (first == INT64_MAX) {
            import_reject(imp, m->line, NULL, m->raw,
                          "the meeting has no start time and no join times");
            return 0;
        }
        m->started_at = first;
        m->has_start = 1;
    }
    struct contact c = {0};
    c.started_at = m->started_at;
    c.duration_min = m->duration_min;
    if (isnan(c.duration_min) && last != INT64_MIN && last >= c.started_at)
        c.duration_min = (double)(last - c.started_at) / 60.0;
    c.medium = tether_medium_names[TETHER_MEDIUM_VIDEO];
    c.kind = tether_kind_names[TETHER_KIND_SCHEDULED];
    c.summary_sent = -1;

    int64_t *people = tether_xcalloc(m->n ? m->n : 1, sizeof(int64_t));
    size_t np = 0;
    for (size_t i = 0; i < m->n; i++) {
        const struct attendee *p = &m->people[i];
        int64_t id = 0;
        if (*p->email)
            id = person_by_email(a->imp, p->email);
        if (!id && *p->alt_email)
            id = person_by_email(a->imp, p->alt_email);
        if (!id && !*p->email && !*p->alt_email) {
            id = person_by_name(a, p->name);
            if (!id)
                note_unmatched(a, p->name);
        }
        if (id)
            people[np++] = id;
    }
    qsort(people, np, sizeof(int64_t), cmp_i64);
    size_t u = 0; /* one person on two devices is still one person */
    for (size_t i = 0; i < np; i++)
        if (u == 0 || people[u - 1] != people[i])
            people[u++] = people[i];
    np = u;

    size_t cap = 64;
    int64_t *pairs = tether_xmalloc(cap * sizeof(int64_t));
    size_t npairs = contact_store_pairs_among(a->store, people, np,
                                              c.started_at, pairs, cap);
    if (npairs > cap) {
        cap = npairs;
        pairs = tether_xrealloc(pairs, cap * sizeof(int64_t));
        npairs = contact_store_pairs_among(a->store, people, np, c.started_at,
                                           pairs, cap);
    }
    int rc = 0;
    if (npairs == 0) {
        imp->skipped++;
        goto out;
    }
    char when[TETHER_TS_LEN];
    tether_ts_format(c.started_at, when);
    char *key = tether_xasprintf("%s:%s:%s", m->source, m->id ? m->id : "",
                                 when);
    c.source_key = key;
    enum contact_result res = contact_store_put(a->store, &c, pairs, npairs);
    if (res == CONTACT_CONFLICT)
        import_reject(imp, m->line, NULL, m->raw,
                      "meeting %s appears again with other content", key);
    free(key);
    rc = contact_count(imp, res);
out:
    free(pairs);
    free(people);
    return rc;
}

int
attendance_flush(struct attendance *a)
{
    return contact_store_flush(a->store);
}

void
attendance_free(struct attendance *a)
{
    if (!a)
        return;
    if (a->nunmatched) {
        /* "name\nname\n" becomes "name, name" */
        struct tether_buf list = {0};
        for (char *p = a->unmatched.data; *p;) {
            char *nl = strchr(p, '\n');
            if (list.len)
                tether_buf_adds(&list, ", ");
            tether_buf_add(&list, p, (size_t)(nl - p));
            p = nl + 1;
        }
        import_warn(a->imp,
                    "%zu participant%s without an e-mail matched no single "
                    "person of the roster by name: %s",
                    a->nunmatched, a->nunmatched == 1 ? "" : "s", list.data);
        tether_buf_free(&list);
    }
    tether_buf_free(&a->unmatched);
    sqlite3_finalize(a->st_name);
    contact_store_free(a->store);
    free(a);
}
