/* timeutil.c - dates, timestamps and cached time-zone offsets. */
#include "tether/timeutil.h"
#include "tether/util.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Civil-from-days and days-from-civil after the well-known era-based
 * formulation: exact for the proleptic Gregorian calendar. */
int32_t
tether_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void
tether_civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

int
tether_weekday(int32_t days)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    int w = (int)((days + 3) % 7);
    return w < 0 ? w + 7 : w;
}

static int
days_in_month(int y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return n[m - 1];
}

/* Reads exactly n digits at *p and advances; -1 when they are not there. */
static int
digits(const char **p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return v;
}

static int
parse_ymd(const char **p, int *y, int *m, int *d)
{
    *y = digits(p, 4);
    if (*y < 1 || **p != '-')
        return -1;
    (*p)++;
    *m = digits(p, 2);
    if (*m < 1 || *m > 12 || **p != '-')
        return -1;
    (*p)++;
    *d = digits(p, 2);
    if (*d < 1 || *d > days_in_month(*y, *m))
        return -1;
    return 0;
}

static const char *
skip_blanks(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

int
tether_date_parse(const char *s, int32_t *days)
{
    int y, m, d;
    const char *p = skip_blanks(s);
    if (parse_ymd(&p, &y, &m, &d) || *skip_blanks(p))
        return -1;
    *days = tether_days_from_civil(y, m, d);
    return 0;
}

void
tether_date_format(int32_t days, char *out)
{
    int y, m, d;
    tether_civil_from_days(days, &y, &m, &d);
    /* The casts bound each field for the compiler; dates are years 0-9999. */
    snprintf(out, TETHER_DATE_LEN, "%04u-%02u-%02u", (unsigned)y % 10000u,
             (unsigned)m % 100u, (unsigned)d % 100u);
}

int32_t
tether_date_today(void)
{
    return tether_ts_day((int64_t)time(NULL), 0);
}

int32_t
tether_ts_day(int64_t ts, int offset)
{
    int64_t t = ts + offset;
    int64_t d = t / 86400;
    if (t % 86400 < 0)
        d--;
    return (int32_t)d;
}

void
tether_ts_format(int64_t ts, char *out)
{
    int32_t day = tether_ts_day(ts, 0);
    unsigned sec = (unsigned)(ts - (int64_t)day * 86400);
    char date[TETHER_DATE_LEN];
    tether_date_format(day, date);
    snprintf(out, TETHER_TS_LEN, "%.10sT%02u:%02u:%02uZ", date,
             sec / 3600 % 100u, sec / 60 % 60, sec % 60);
}

enum tether_ts_result
tether_ts_parse(const char *s, const char *zone, int64_t *ts)
{
    int y, mo, d, h, mi, sec = 0;
    const char *p = skip_blanks(s);
    if (parse_ymd(&p, &y, &mo, &d))
        return TETHER_TS_MALFORMED;
    if (*p != 'T' && *p != 't' && *p != ' ')
        return TETHER_TS_MALFORMED;
    p++;
    if ((h = digits(&p, 2)) < 0 || h > 23 || *p++ != ':')
        return TETHER_TS_MALFORMED;
    if ((mi = digits(&p, 2)) < 0 || mi > 59)
        return TETHER_TS_MALFORMED;
    if (*p == ':') {
        p++;
        /* 60 is accepted for a leap second and folded into the next one. */
        if ((sec = digits(&p, 2)) < 0 || sec > 60)
            return TETHER_TS_MALFORMED;
        if (*p == '.' || *p == ',') {
            p++;
            if (!isdigit((unsigned char)*p))
                return TETHER_TS_MALFORMED;
            while (isdigit((unsigned char)*p))
                p++;
        }
    }
    int64_t local = (int64_t)tether_days_from_civil(y, mo, d) * 86400 +
                    h * 3600 + mi * 60 + sec;
    if (*p == 'Z' || *p == 'z') {
        p++;
        if (*skip_blanks(p))
            return TETHER_TS_MALFORMED;
        *ts = local;
        return TETHER_TS_OK;
    }
    if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1;
        int oh, om = 0;
        if ((oh = digits(&p, 2)) < 0 || oh > 18)
            return TETHER_TS_MALFORMED;
        if (*p == ':')
            p++;
        if (isdigit((unsigned char)*p) && (om = digits(&p, 2)) < 0)
            return TETHER_TS_MALFORMED;
        if (om > 59 || *skip_blanks(p))
            return TETHER_TS_MALFORMED;
        *ts = local - sign * (oh * 3600 + om * 60);
        return TETHER_TS_OK;
    }
    if (*skip_blanks(p))
        return TETHER_TS_MALFORMED;
    if (!zone)
        return TETHER_TS_NO_ZONE;
    if (tether_tz_local_to_utc(zone, y, mo, d, h, mi, sec, ts))
        return TETHER_TS_BAD_ZONE;
    return TETHER_TS_OK;
}

/* The zone cache. For each zone it keeps, per year that was asked for, the
 * offset at the start of every UTC hour of that year, filled in one go
 * the first time the year is asked for; an hour in which the offset
 * changes (transitions at half hours exist) is marked MIXED and computed
 * exactly each time. Computing exactly may switch the C library's TZ,
 * which reloads the zone file, so it is kept rare.
 *
 * Threads: every thread has a cache of its own (thread-local, never
 * shared), because a look-up moves its zone to the front and remembers the
 * year it used last: a shared cache would need a lock on every look-up,
 * millions of them in an analysis. What stays shared is the process's
 * environment and the C library's one loaded TZ: switching it and reading
 * the offset under it (exact_offset), and reading TZDIR, hold tz_lock, so
 * that no thread reads an offset under another thread's zone. A thread
 * other than the main one frees its cache with tether_tz_thread_end
 * before it ends. */
#define HOURS_PER_YEAR_BLOCK 8784 /* 366 days */
#define OFFSET_MIXED INT32_MIN
#define FIRST_YEAR 1900
#define LAST_YEAR 2200

struct zone {
    char *name;
    int valid;
    int32_t *years[LAST_YEAR - FIRST_YEAR + 1];
    /* The year block asked for last and the instants it covers. */
    int32_t *last;
    int64_t last_start, last_end;
    struct zone *next;
};

static _Thread_local struct zone *zones;
static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static char *current_tz; /* the TZ the C library has loaded, under tz_lock */

/* 1 when name is spelled like an IANA zone: parts of letters, digits, '_',
 * '+' and '-' joined by single slashes, none starting with a dot. Other
 * spellings of a real file ("Europe//Paris", "./UTC") are refused, so that
 * the cache holds at most one entry per zone file. */
static int
zone_name_ok(const char *name)
{
    size_t part = 0, len = 0;
    for (const char *p = name; *p; p++, len++) {
        unsigned char c = (unsigned char)*p;
        if (c == '/') {
            if (part == 0)
                return 0;
            part = 0;
        } else if (isalnum(c) || c == '_' || c == '+' || c == '-') {
            part++;
        } else {
            return 0;
        }
    }
    return part > 0 && len < 256;
}

/* 1 for the names under zoneinfo that are TZif files but not zones of
 * the database: the rules for POSIX TZ strings, the machine's own zone,
 * and the copies with and without leap seconds. */
static int
not_a_zone(const char *name)
{
    return strcmp(name, "posixrules") == 0 || strcmp(name, "localtime") == 0 ||
           strncmp(name, "posix/", 6) == 0 || strncmp(name, "right/", 6) == 0;
}

/* 1 when the file at path starts with the TZif magic. */
static int
tzif_magic(const char *path)
{
    FILE *fp = fopen(path, "rb");
    char magic[4];
    int ok = fp && fread(magic, 1, 4, fp) == 4 && memcmp(magic, "TZif", 4) == 0;
    if (fp)
        fclose(fp);
    return ok;
}

/* The cache entry of a valid zone. Names that are not zones are not kept
 * (a hostile roster could hold millions of them): they all get the one
 * static invalid entry. */
static struct zone *
zone_get(const char *name)
{
    static struct zone invalid;
    for (struct zone **at = &zones; *at; at = &(*at)->next) {
        struct zone *z = *at;
        if (strcmp(z->name, name) == 0) {
            /* Move to the front: the zones asked for most stay first. */
            *at = z->next;
            z->next = zones;
            zones = z;
            return z;
        }
    }
    int valid = 0;
    if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) {
        valid = 1;
    } else if (zone_name_ok(name)) {
        char path[1024];
        struct stat st;
        /* Under tz_lock: another thread's setenv may move the
         * environment while getenv reads it. */
        pthread_mutex_lock(&tz_lock);
        const char *dir = getenv("TZDIR");
        snprintf(path, sizeof(path), "%s/%s",
                 dir && *dir ? dir : "/usr/share/zoneinfo", name);
        pthread_mutex_unlock(&tz_lock);
        /* a directory such as "Europe" is not a zone, nor are the other
         * files kept beside the zones (leapseconds, zone.tab, tzdata.zi):
         * a zone is a compiled TZif file */
        valid = !not_a_zone(name) && access(path, R_OK) == 0 &&
                stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
                tzif_magic(path);
    }
    if (!valid)
        return &invalid;
    struct zone *z = tether_xcalloc(1, sizeof(*z));
    z->name = tether_xstrdup(name);
    z->valid = 1;
    z->next = zones;
    zones = z;
    return z;
}

int
tether_tz_valid(const char *zone)
{
    return zone && zone_get(zone)->valid;
}

void
tether_tz_thread_end(void)
{
    while (zones) {
        struct zone *z = zones;
        zones = z->next;
        for (size_t i = 0; i < sizeof(z->years) / sizeof(z->years[0]); i++)
            free(z->years[i]);
        free(z->name);
        free(z);
    }
}

/* The offset of zone name at ts from the C library, under tz_lock: the
 * switch of TZ and the localtime_r that reads under it are one step, as
 * TZ is one per process. */
static int
exact_offset(const char *name, int64_t ts)
{
    pthread_mutex_lock(&tz_lock);
    if (!current_tz || strcmp(current_tz, name) != 0) {
        char *spec = tether_xasprintf(":%s", name);
        setenv("TZ", spec, 1);
        free(spec);
        tzset();
        free(current_tz);
        current_tz = tether_xstrdup(name);
    }
    time_t t = (time_t)ts;
    struct tm tm;
    int off = localtime_r(&t, &tm) ? (int)tm.tm_gmtoff : 0;
    pthread_mutex_unlock(&tz_lock);
    return off;
}

int
tether_tz_offset(const char *name, int64_t ts, int *offset)
{
    struct zone *z = zone_get(name);
    if (!z->valid)
        return -1;
    if (z->last && ts >= z->last_start && ts < z->last_end) {
        int32_t o = z->last[(ts - z->last_start) / 3600];
        *offset = o == OFFSET_MIXED ? exact_offset(name, ts) : (int)o;
        return 0;
    }
    int32_t day = tether_ts_day(ts, 0);
    int y, m, d;
    tether_civil_from_days(day, &y, &m, &d);
    if (y < FIRST_YEAR || y > LAST_YEAR) {
        *offset = exact_offset(name, ts);
        return 0;
    }
    int32_t **block = &z->years[y - FIRST_YEAR];
    int64_t year_start = (int64_t)tether_days_from_civil(y, 1, 1) * 86400;
    if (!*block) {
        /* Fill the whole year at once: one switch of TZ, then plain
         * localtime_r calls, instead of a switch for every hour asked. */
        *block = tether_xmalloc(HOURS_PER_YEAR_BLOCK * sizeof(int32_t));
        int hours = (tether_days_from_civil(y + 1, 1, 1) -
                     tether_days_from_civil(y, 1, 1)) *
                    24;
        for (int i = 0; i < HOURS_PER_YEAR_BLOCK; i++) {
            int64_t h0 = year_start + (int64_t)i * 3600;
            int a = exact_offset(name, h0);
            int b = i < hours ? exact_offset(name, h0 + 3599) : a;
            (*block)[i] = a == b ? a : OFFSET_MIXED;
        }
    }
    z->last = *block;
    z->last_start = year_start;
    z->last_end = (int64_t)tether_days_from_civil(y + 1, 1, 1) * 86400;
    int32_t *slot = &(*block)[(ts - year_start) / 3600];
    *offset = *slot == OFFSET_MIXED ? exact_offset(name, ts) : (int)*slot;
    return 0;
}

int
tether_tz_local_to_utc(const char *zone, int y, int mo, int d, int h, int mi,
                       int s, int64_t *ts)
{
    int64_t local = (int64_t)tether_days_from_civil(y, mo, d) * 86400 +
                    h * 3600 + mi * 60 + s;
    int off1, off2;
    /* The offset in force a day before and after bounds the answer; try
     * the earlier offset first so that overlaps give the first occurrence. */
    if (tether_tz_offset(zone, local - 86400, &off1) ||
        tether_tz_offset(zone, local + 86400, &off2))
        return -1;
    int cand[2] = {off1, off2};
    for (int i = 0; i < 2; i++) {
        int64_t t = local - cand[i];
        int o;
        tether_tz_offset(zone, t, &o);
        if (o == cand[i]) {
            *ts = t;
            return 0;
        }
    }
    /* In a gap no instant shows that wall time: use the earlier offset. */
    *ts = local - off1;
    return 0;
}

int32_t
tether_tz_day(const char *zone, int64_t ts)
{
    int off = 0;
    if (zone)
        tether_tz_offset(zone, ts, &off);
    return tether_ts_day(ts, off);
}
