/* fuzz_attendance.c - libFuzzer target: the attendance reports of Zoom,
 * Microsoft Teams and Google Meet (collect/zoom.c, teams.c, meet.c and
 * attendance.c), and the canonical meetings.csv (meetings_csv.c), loaded
 * into a database with a roster and pairs, then rolled back.
 *
 * The first byte picks the reader and the options (--date, --date-order,
 * --timezone); the rest is the file. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const struct {
        const char *name;
        int (*load)(struct import *);
    } readers[] = {
        {"zoom", zoom_load},
        {"teams", teams_load},
        {"meet", meet_load},
        {"csv", meetings_csv_load},
    };
    unsigned sel = data[0];
    struct collect_opts o = {.quiet = 1, .default_tz = "UTC",
                             .format = readers[sel % 4].name};
    if (sel & 4)
        o.date = "2026-06-01";
    if (sel & 8)
        o.date_order = sel & 16 ? "dmy" : "mdy";
    if (sel & 32)
        o.tz = "Asia/Kolkata";
    const char *path = fuzz_write("in", data + 1, size - 1);
    /* The test on a file's start is part of the surface too. */
    char head[FUZZ_HEAD + 1];
    fuzz_head(data + 1, size - 1, head);
    (void)zoom_detect(head);
    (void)teams_detect(head);
    (void)meet_detect(head);
    (void)ics_detect(head);
    fuzz_import(&o, path, "meetings", readers[sel % 4].name,
                readers[sel % 4].load);
    return 0;
}
