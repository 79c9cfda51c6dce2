/* fuzz_xlsx.c - libFuzzer target: .xlsx workbooks (collect/xlsx.c) on any
 * bytes, read as the importers read a table: every record of the first
 * sheet, or of the sheet "Pairs" when the first byte is odd. Beyond the
 * sanitizers it checks that each record has a field, that the sheet's row
 * numbers only go forward and that field i past the end is "". */
#include "fuzz.h"
#include "tether/csv.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *sheet = data[0] & 1 ? "Pairs" : NULL;
    const char *path = fuzz_write("in", data + 1, size - 1);
    struct tether_csv *c;
    char errbuf[TETHER_ERRBUF];
    if (xlsx_open(path, sheet, &c, errbuf))
        return 0;
    long last = 0;
    int rc;
    while ((rc = tether_csv_next(c, errbuf)) == 1) {
        size_t n = tether_csv_nfields(c);
        long line = tether_csv_line(c);
        if (n == 0 || line <= last || *tether_csv_field(c, n) != '\0')
            abort();
        last = line;
        const char *reason;
        (void)tether_csv_problem(c, &reason);
        (void)tether_csv_raw(c);
    }
    if (rc < 0 && !strchr(errbuf, ':'))
        abort(); /* an error names the file */
    tether_csv_close(c);
    return 0;
}
