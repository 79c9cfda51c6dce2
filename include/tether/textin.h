/* textin.h - reading text files as UTF-8 whatever their encoding.
 *
 * A leading UTF-8 byte-order mark is dropped; UTF-16 with a byte-order mark
 * (little or big endian, as Teams and Webex write it) is converted to UTF-8
 * while reading. UTF-16 without a mark is refused with a clear message.
 * Validation of the UTF-8 itself is left to the reader of the text, which
 * knows the line and column to report. */
#ifndef TETHER_TEXTIN_H
#define TETHER_TEXTIN_H

#include <stddef.h>
#include <stdint.h>

#include "tether/err.h"

enum tether_encoding {
    TETHER_ENC_UTF8,
    TETHER_ENC_UTF8_BOM,
    TETHER_ENC_UTF16LE,
    TETHER_ENC_UTF16BE
};

struct tether_textin;

/* Opens path for reading ("-" is standard input). On failure returns an
 * error with the reason in errbuf (TETHER_ERRBUF bytes). Close with
 * tether_textin_close. */
enum tether_err tether_textin_open(struct tether_textin **out, const char *path,
                                   char *errbuf);
/* Reads up to cap bytes of UTF-8 into buf; returns the count, 0 at the end
 * of the file, or -1 on a read error (errbuf says why). */
long tether_textin_read(struct tether_textin *in, char *buf, size_t cap,
                        char *errbuf);
enum tether_encoding tether_textin_encoding(const struct tether_textin *in);
/* Bytes of the file consumed so far and its size (0 when unknown), for
 * progress bars. */
uint64_t tether_textin_pos(const struct tether_textin *in);
uint64_t tether_textin_size(const struct tether_textin *in);
void tether_textin_close(struct tether_textin *in);

/* Reads a whole file into a new NUL-terminated UTF-8 string (free() it),
 * with its length in *len. Fails on a NUL byte, naming its line. */
enum tether_err tether_text_read_all(const char *path, char **text, size_t *len,
                                     char *errbuf);

/* Checks that s[0..n) is valid UTF-8 without NUL bytes. Returns 0, or the
 * 1-based byte position of the first bad byte, with a reason. */
size_t tether_utf8_check(const char *s, size_t n, const char **reason);

#endif
