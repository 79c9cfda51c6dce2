/* fuzz_mbox.c - libFuzzer target: the mailbox reader (collect/mail.c:
 * tether's separator scan, GMime underneath) on any bytes, loaded into a
 * database that holds a roster and pairs, inside a transaction that is
 * rolled back.
 *
 * The first byte picks the options: bit 0 reads the input as one message
 * (.eml) instead of an mbox, bit 1 raises --max-recipients to 64, bit 2
 * sets --self example.com, bit 3 names an --owner. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        mail_init();
        ready = 1;
    }
    if (size < 1)
        return 0;
    struct collect_opts o = {.quiet = 1, .default_tz = "UTC",
                             .format = "auto", .summary_window = 24,
                             .max_recipients = 5};
    if (data[0] & 2)
        o.max_recipients = 64;
    if (data[0] & 4)
        o.self = "example.com";
    if (data[0] & 8)
        o.owner = "ann@example.com";
    const char *path = fuzz_write("in", data + 1, size - 1);
    fuzz_import(&o, path, "messages", data[0] & 1 ? "eml" : "mbox",
                data[0] & 1 ? eml_load : mbox_load);
    return 0;
}
