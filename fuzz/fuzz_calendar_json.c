/* fuzz_calendar_json.c - libFuzzer target: calendar API JSON, Microsoft
 * Graph events and Google Calendar events.list pages (calendar_json.c),
 * loaded into a database with a roster and pairs, then rolled back.
 *
 * The first byte picks the reader (bit 0), a --from/--to window (bit 1)
 * and --timezone (bit 2); the rest is the file. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned sel = data[0];
    int gcal = sel & 1;
    struct collect_opts o = {.quiet = 1, .default_tz = "UTC",
                             .format = gcal ? "gcal" : "graph"};
    if (sel & 2) {
        o.has_range = 1;
        o.from = tether_days_from_civil(2024, 1, 1);
        o.to = tether_days_from_civil(2024, 12, 31);
    }
    if (sel & 4)
        o.tz = "Asia/Kolkata";
    const char *path = fuzz_write("in", data + 1, size - 1);
    char head[FUZZ_HEAD + 1];
    fuzz_head(data + 1, size - 1, head);
    (void)graph_detect(head);
    (void)gcal_detect(head);
    fuzz_import(&o, path, "meetings", o.format, gcal ? gcal_load : graph_load);
    return 0;
}
