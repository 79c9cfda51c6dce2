/* fuzz_slack.c - libFuzzer target: the Slack export reader
 * (collect/slack.c: libzip, then jansson) on any bytes taken as the
 * export's .zip: its central directory, its entries' sizes and contents,
 * users.json, dms.json, mpims.json and the day files.
 *
 * The first byte picks the options: bit 0 raises --max-recipients to 64,
 * bit 1 sets --self example.com. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_messages(data, size, "slack", slack_load);
    return 0;
}
