/* timeutil.h - calendar dates, timestamps and IANA time zones.
 *
 * A date is a day number: days since 1970-01-01 (negative before). A
 * timestamp is seconds since the Unix epoch, UTC. Time-zone arithmetic uses
 * the C library's zoneinfo support with a per-zone cache of offsets, so
 * converting millions of meetings costs a table look-up each. */
#ifndef TETHER_TIMEUTIL_H
#define TETHER_TIMEUTIL_H

#include <stdint.h>

#define TETHER_DATE_LEN 11 /* "YYYY-MM-DD" and the NUL */
#define TETHER_TS_LEN 21   /* "YYYY-MM-DDTHH:MM:SSZ" and the NUL */

/* Day number of a proleptic Gregorian date (month 1-12). */
int32_t tether_days_from_civil(int y, int m, int d);
/* The date of a day number. */
void tether_civil_from_days(int32_t days, int *y, int *m, int *d);
/* 0 = Monday ... 6 = Sunday. */
int tether_weekday(int32_t days);

/* Parses "YYYY-MM-DD" (years 1-9999, a real calendar day). 0 on success. */
int tether_date_parse(const char *s, int32_t *days);
/* Writes "YYYY-MM-DD" into out (TETHER_DATE_LEN bytes). */
void tether_date_format(int32_t days, char *out);
/* Today's date in UTC. */
int32_t tether_date_today(void);

/* What tether_ts_parse found; TETHER_TS_OK is 0. */
enum tether_ts_result {
    TETHER_TS_OK = 0,
    TETHER_TS_MALFORMED, /* not a timestamp */
    TETHER_TS_NO_ZONE,   /* no UTC offset, and zone is NULL */
    TETHER_TS_BAD_ZONE   /* no UTC offset, and zone is no known zone */
};

/* Parses an ISO 8601 timestamp: "YYYY-MM-DD[T ]HH:MM[:SS[.fff]]" followed
 * by "Z", "+HH:MM", "+HHMM" or "+HH", or by nothing, in which case the time
 * is local to zone (an IANA name). With no offset and no zone it fails. */
enum tether_ts_result tether_ts_parse(const char *s, const char *zone,
                                      int64_t *ts);
/* Writes "YYYY-MM-DDTHH:MM:SSZ" into out (TETHER_TS_LEN bytes). */
void tether_ts_format(int64_t ts, char *out);
/* The UTC date of a timestamp shifted by offset seconds. */
int32_t tether_ts_day(int64_t ts, int offset);

/* The zone functions below may be called from several threads at once:
 * each thread keeps a cache of zones of its own (core/timeutil.c). */
/* Frees the calling thread's zone cache; a thread other than the main one
 * calls it before it ends (the next call fills a new cache). */
void tether_tz_thread_end(void);
/* 1 when zone names an installed IANA zone ("UTC" included). */
int tether_tz_valid(const char *zone);
/* UTC offset in seconds of zone at instant ts (east positive). 0 on
 * success, -1 when the zone is unknown. */
int tether_tz_offset(const char *zone, int64_t ts, int *offset);
/* The instant at which the wall clock of zone shows the given time. In a
 * spring-forward gap the earlier offset is used; in a fall-back overlap, the
 * first occurrence. 0 on success, -1 when the zone is unknown. */
int tether_tz_local_to_utc(const char *zone, int y, int mo, int d, int h,
                           int mi, int s, int64_t *ts);
/* The day number of instant ts on the wall clock of zone (UTC if unknown). */
int32_t tether_tz_day(const char *zone, int64_t ts);

#endif
