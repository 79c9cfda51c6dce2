/* util.h - allocation that never returns NULL, and small string helpers. */
#ifndef TETHER_UTIL_H
#define TETHER_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Allocation wrappers: on failure they print a message and abort, so callers
 * never check for NULL. Free the result with free(). */
void *tether_xmalloc(size_t size);
void *tether_xcalloc(size_t n, size_t size);
void *tether_xrealloc(void *p, size_t size);
char *tether_xstrdup(const char *s);
/* A copy of the first n bytes of s, NUL-terminated; free() it. */
char *tether_xstrndup(const char *s, size_t n);
/* printf into a new string; free() it. */
char *tether_xasprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* A growable byte string; always NUL-terminated. tether_buf_free releases it.
 */
struct tether_buf {
    char *data;
    size_t len;
    size_t cap;
};
void tether_buf_add(struct tether_buf *b, const void *p, size_t n);
void tether_buf_adds(struct tether_buf *b, const char *s);
void tether_buf_addc(struct tether_buf *b, char c);
void tether_buf_printf(struct tether_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void tether_buf_reset(struct tether_buf *b);
void tether_buf_free(struct tether_buf *b);
/* Appends all that fd gives up to its end: 0, or -1 on a read error. */
int tether_buf_read_fd(struct tether_buf *b, int fd);
/* Writes the n bytes of p to fd, in as many writes as it takes: 0, or -1. */
int tether_write_all(int fd, const void *p, size_t n);

/* 1 when s and t are equal ignoring ASCII case and blanks around each. */
int tether_str_ieq_trim(const char *s, const char *t);
/* Trims blanks (space, tab, CR, LF) off both ends of s in place; returns s. */
char *tether_str_trim(char *s);
/* Lower-cases ASCII letters of s in place; returns s. */
char *tether_str_lower(char *s);
/* 1 when s is NULL or holds only blanks. */
int tether_str_blank(const char *s);

/* Parses a whole base-10 integer (blanks around it allowed). 0 on success. */
int tether_parse_long(const char *s, long *out);
/* Parses a whole decimal number: an optional sign, digits with an optional
 * fraction (1, 1.5, .5, -2), blanks around it allowed. Hexadecimal (0x1E),
 * exponents (1e2), inf and nan are refused. 0 on success. */
int tether_parse_double(const char *s, double *out);
/* The length of the unsigned decimal number (digits, an optional point and
 * digits) that s starts with, or 0 when it starts with none. */
size_t tether_decimal_span(const char *s);
/* Parses the unsigned decimal number s starts with (tether_decimal_span)
 * into *out and returns the characters after it, or NULL if none. */
const char *tether_parse_decimal_prefix(const char *s, double *out);
/* A copy of text from the data that is safe to print to a terminal: C0
 * and C1 control characters and DEL as \xHH (C1 as \u0080..\u009f),
 * backslash as \\, everything else kept. free() it. */
char *tether_str_escape_controls(const char *s);
/* yes/no, true/false, y/n, 1/0 in any case: 1, 0, or -1 if none of them. */
int tether_parse_yesno(const char *s);

/* 64-bit FNV-1a-style hash of n bytes, continuing from h (start with
 * TETHER_HASH_INIT). Used for content fingerprints, not for security. */
#define TETHER_HASH_INIT 0xcbf29ce484222325ULL
uint64_t tether_hash(uint64_t h, const void *p, size_t n);

#endif
