/* fuzz_ics.c - libFuzzer target: the iCalendar importer (collect/ics.c,
 * libical underneath) on any bytes, loaded into a database that holds a
 * roster and pairs, inside a transaction that is rolled back.
 *
 * The first byte picks the options: with or without a --from/--to window,
 * with or without --timezone. Recurring events are expanded inside the
 * window (the pairs' dates otherwise), so expansion must stay bounded
 * whatever RRULE the input holds. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct collect_opts o = {.quiet = 1, .default_tz = "UTC",
                             .format = "ics"};
    if (data[0] & 1) {
        o.has_range = 1;
        o.from = tether_days_from_civil(2025, 1, 1);
        o.to = tether_days_from_civil(2026, 12, 31);
    }
    if (data[0] & 2)
        o.tz = "America/Los_Angeles";
    const char *path = fuzz_write("in", data + 1, size - 1);
    fuzz_import(&o, path, "meetings", "ics", ics_load);
    return 0;
}
