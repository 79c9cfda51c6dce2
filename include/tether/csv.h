/* csv.h - streaming RFC 4180 reader on libcsv, with line numbers and the
 * raw text of each record.
 *
 * Quoted fields may hold commas, quotes and line ends; rows may end in CRLF,
 * LF or CR; blank lines are skipped. Like most readers it is lenient where
 * exports are sloppy: a quote inside an unquoted field is kept as a
 * character. Each field is checked for valid UTF-8 and NUL bytes; the first
 * bad field of a record is reported by tether_csv_problem, so the caller can
 * reject that record and go on. */
#ifndef TETHER_CSV_H
#define TETHER_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "tether/err.h"

/* Hostile-input bounds: a record longer or wider than this ends the read
 * with an error instead of exhausting memory. */
#define TETHER_CSV_MAX_RECORD (16u << 20)
#define TETHER_CSV_MAX_FIELDS 10000

struct tether_csv;

/* Opens path; delim 0 means a comma. Close with tether_csv_close. */
enum tether_err tether_csv_open(struct tether_csv **out, const char *path,
                                char delim, char *errbuf);
/* Reads the next record: 1 when there is one, 0 at the end of the file, -1
 * on an error (errbuf holds "FILE:LINE: reason"). */
int tether_csv_next(struct tether_csv *c, char *errbuf);
size_t tether_csv_nfields(const struct tether_csv *c);
/* Field i of the current record, NUL-terminated; "" past the last field. */
const char *tether_csv_field(const struct tether_csv *c, size_t i);
/* Field i with the blanks around it removed, in place; "" past the last
 * field. The text stays valid until the next record. */
const char *tether_csv_field_trimmed(struct tether_csv *c, size_t i);
/* Line on which the current record starts (1-based). */
long tether_csv_line(const struct tether_csv *c);
/* The record's text as it stood in the file, without its line end. */
const char *tether_csv_raw(const struct tether_csv *c);
/* The index of the first field that is not valid text, with the reason, or
 * -1 when all are good. */
long tether_csv_problem(const struct tether_csv *c, const char **reason);

/* From now on, reads, parses and checks the records on a thread of the
 * reader's own, a few thousand records ahead of the caller (at most a few
 * MB), so that the caller's work on each record runs beside it; the
 * answers stay the same, errors included, which come after every record
 * before them. Only the caller's thread may use the reader; closing it
 * stops the thread without reading the rest of the file. Does nothing for
 * a source (tether_csv_open_source). */
void tether_csv_readahead(struct tether_csv *c);

/* Keeps the current record as the header, for tether_csv_column. */
void tether_csv_set_header(struct tether_csv *c);
/* The index of the header cell equal to name, ignoring case and blanks
 * around it, or -1. */
long tether_csv_column(const struct tether_csv *c, const char *name);
size_t tether_csv_header_count(const struct tether_csv *c);
/* Header cell i (trimmed), or "". */
const char *tether_csv_header(const struct tether_csv *c, size_t i);

/* Records that come from elsewhere (a sheet of an .xlsx workbook) read
 * through the same interface. next() builds one record with
 * tether_csv_put_begin and tether_csv_put_field and returns 1, 0 at the
 * end, or -1 with errbuf set; pos() says how far it got, out of size;
 * done() frees ctx. The raw text of such a record is its fields written
 * as a CSV line. */
struct tether_csv_source {
    int (*next)(void *ctx, struct tether_csv *c, char *errbuf);
    uint64_t (*pos)(void *ctx);
    void (*done)(void *ctx);
    void *ctx;
    uint64_t size;
};
/* Opens a reader over src, named path in messages; src.done(src.ctx) is
 * called by tether_csv_close. Never fails. */
struct tether_csv *tether_csv_open_source(const char *path,
                                          struct tether_csv_source src);
/* Starts the record that stands on line (1-based) of the source. */
void tether_csv_put_begin(struct tether_csv *c, long line);
/* Adds the next field of the record (n bytes of s, NULs allowed: they are
 * reported by tether_csv_problem). */
void tether_csv_put_field(struct tether_csv *c, const char *s, size_t n);

uint64_t tether_csv_pos(const struct tether_csv *c);
uint64_t tether_csv_size(const struct tether_csv *c);
void tether_csv_close(struct tether_csv *c);

#endif
