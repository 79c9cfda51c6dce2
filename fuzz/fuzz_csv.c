/* fuzz_csv.c - libFuzzer target: the CSV reader (core/csv.c) on any bytes.
 *
 * The first byte picks the delimiter (comma, tab or semicolon); the rest is
 * the file. Every record is read the way the importers read it: header,
 * column look-ups, fields, trimmed fields, raw text and the text check.
 * Beyond the sanitizers it checks that the reader's answers agree with
 * each other: field i past the end is "", a record's line never goes back,
 * and the raw text holds no line end at its end; and that a second reader
 * of the same file, reading ahead on its thread after the header as the
 * importers do, gives the same records, positions and errors. */
#include "fuzz.h"
#include "tether/csv.h"

/* Reads the next record of b and aborts unless it is a's current one
 * (before a's fields are trimmed). */
static int
same_record(struct tether_csv *a, struct tether_csv *b, char *errbuf)
{
    int rc = tether_csv_next(b, errbuf);
    if (rc != 1)
        return rc;
    size_t n = tether_csv_nfields(a);
    const char *wa = NULL, *wb = NULL;
    if (tether_csv_nfields(b) != n ||
        tether_csv_line(a) != tether_csv_line(b) ||
        strcmp(tether_csv_raw(a), tether_csv_raw(b)) ||
        tether_csv_pos(a) != tether_csv_pos(b) ||
        tether_csv_problem(a, &wa) != tether_csv_problem(b, &wb) || wa != wb)
        abort();
    for (size_t i = 0; i < n; i++)
        if (strcmp(tether_csv_field(a, i), tether_csv_field(b, i)))
            abort();
    return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char delims[] = {',', '\t', ';'};
    char delim = delims[data[0] % 3];
    const char *path = fuzz_write("in", data + 1, size - 1);
    struct tether_csv *c, *ra = NULL;
    char errbuf[TETHER_ERRBUF], raerr[TETHER_ERRBUF];
    if (tether_csv_open(&c, path, delim, errbuf))
        return 0;
    if (tether_csv_open(&ra, path, delim, raerr))
        abort();
    long last_line = 0;
    int first = 1, rc;
    while ((rc = tether_csv_next(c, errbuf)) == 1) {
        if (same_record(c, ra, raerr) != 1)
            abort();
        if (first)
            tether_csv_readahead(ra);
        size_t n = tether_csv_nfields(c);
        long line = tether_csv_line(c);
        if (n == 0 || line < 1 || line < last_line)
            abort();
        last_line = line;
        if (*tether_csv_field(c, n) != '\0')
            abort();
        const char *reason = NULL;
        long bad = tether_csv_problem(c, &reason);
        if (bad >= (long)n || (bad >= 0 && !reason))
            abort();
        /* (A record with a NUL byte, which the importers reject, has its
         * raw text cut at the NUL.) */
        const char *raw = tether_csv_raw(c);
        size_t rl = strlen(raw);
        if (bad < 0 && rl && (raw[rl - 1] == '\n' || raw[rl - 1] == '\r'))
            abort();
        if (first) {
            tether_csv_set_header(c);
            first = 0;
            if (tether_csv_header_count(c) != n)
                abort();
            long k = tether_csv_column(c, tether_csv_header(c, n - 1));
            if (k < 0 || k > (long)n - 1)
                abort();
        }
        for (size_t i = 0; i < n; i++) {
            const char *f = tether_csv_field_trimmed(c, i);
            size_t fl = strlen(f);
            if (fl && (f[0] == ' ' || f[fl - 1] == ' '))
                abort();
        }
    }
    if (rc < 0 && !strchr(errbuf, ':'))
        abort(); /* an error names FILE:LINE */
    if (tether_csv_next(ra, raerr) != rc || (rc < 0 && strcmp(errbuf, raerr)))
        abort();
    tether_csv_close(ra);
    (void)tether_csv_pos(c);
    tether_csv_close(c);
    return 0;
}
