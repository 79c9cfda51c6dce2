/* fuzz_trace.c - libFuzzer target: the message trace and e-mail log
 * reader (collect/trace.c) on any bytes: Exchange's CSV layouts and
 * Google's, rows folded by Message-ID, recipient cells split.
 *
 * The first byte picks the options: bit 0 raises --max-recipients to 64,
 * bit 1 sets --self example.com. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct collect_opts o = {.quiet = 1, .default_tz = "UTC",
                             .format = "auto", .summary_window = 24,
                             .max_recipients = data[0] & 1 ? 64 : 5};
    if (data[0] & 2)
        o.self = "example.com";
    const char *path = fuzz_write("in", data + 1, size - 1);
    fuzz_import(&o, path, "messages", "trace", trace_load);
    return 0;
}
