/* fuzz_time.c - libFuzzer target: dates, timestamps and durations
 * (core/timeutil.c, and the locale dates and durations of attendance
 * reports in collect/attendance.c).
 *
 * Besides the sanitizers, it checks round trips: a date that parses,
 * formatted and parsed again, is the same day; a timestamp that parses
 * with an offset formats to a string that parses to the same instant
 * (inside years 1-9999). */
#include <math.h>

#include "fuzz.h"

static const char *const zones[] = {"UTC", "Europe/Paris",
                                    "Australia/Lord_Howe", "America/St_Johns",
                                    "Asia/Kathmandu", "Pacific/Kiritimati"};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 256)
        return 0;
    const char *zone = zones[data[0] % (sizeof(zones) / sizeof(zones[0]))];
    char s[257];
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';

    int32_t day;
    if (tether_date_parse(s, &day) == 0) {
        char out[TETHER_DATE_LEN];
        int32_t again;
        tether_date_format(day, out);
        if (tether_date_parse(out, &again) || again != day)
            abort();
        int y, m, d;
        tether_civil_from_days(day, &y, &m, &d);
        if (tether_days_from_civil(y, m, d) != day)
            abort();
        if (tether_weekday(day) < 0 || tether_weekday(day) > 6)
            abort();
    }

    int64_t ts, back;
    if (tether_ts_parse(s, NULL, &ts) == 0) {
        char out[TETHER_TS_LEN];
        int y, m, d;
        tether_civil_from_days(tether_ts_day(ts, 0), &y, &m, &d);
        if (y >= 1 && y <= 9999) {
            tether_ts_format(ts, out);
            if (tether_ts_parse(out, NULL, &back) || back != ts) {
                /* a leap second folds into the next minute; nothing else
                 * may change */
                if (!strstr(s, ":60"))
                    abort();
            }
        }
    }
    if (tether_ts_parse(s, zone, &ts) == 0) {
        (void)tether_tz_day(zone, ts);
        int off;
        if (tether_tz_offset(zone, ts, &off) || off < -86400 || off > 86400)
            abort();
    }

    struct loctime lt;
    for (int order = DATE_ORDER_UNKNOWN; order <= DATE_ORDER_MDY; order++)
        if (loctime_parse(s, (enum date_order)order, &lt) == 0 &&
            lt.has_date)
            (void)loctime_to_utc(&lt, zone, &ts);
    (void)loctime_order_hint(s);
    double minutes;
    if (duration_parse(s, &minutes) == 0 && !isfinite(minutes))
        abort();
    /* Zone names come from rosters: any text may be asked about. */
    (void)tether_tz_valid(s);
    return 0;
}
