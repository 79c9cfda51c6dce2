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
    fuzz_messages(data, size, "trace", trace_load);
    return 0;
}
