/* textin.c - UTF-8 / UTF-16 decoding of input files. */
#include "tether/textin.h"
#include "tether/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RAW_CAP 65536

struct tether_textin {
    FILE *fp;
    int close_fp;
    enum tether_encoding enc;
    unsigned char raw[RAW_CAP];
    size_t raw_len, raw_pos;
    uint64_t consumed, size;
    int eof;
};

static int
fill(struct tether_textin *in, char *errbuf)
{
    if (in->raw_pos > 0) {
        memmove(in->raw, in->raw + in->raw_pos, in->raw_len - in->raw_pos);
        in->raw_len -= in->raw_pos;
        in->raw_pos = 0;
    }
    if (in->eof)
        return 0;
    size_t n = fread(in->raw + in->raw_len, 1, RAW_CAP - in->raw_len, in->fp);
    if (n == 0) {
        if (ferror(in->fp)) {
            snprintf(errbuf, TETHER_ERRBUF, "read error: %s", strerror(errno));
            return -1;
        }
        in->eof = 1;
    }
    in->raw_len += n;
    return 0;
}

/* UTF-16 text without a byte-order mark shows as NULs in every other byte
 * of its ASCII characters. */
static int
looks_like_bomless_utf16(const unsigned char *p, size_t n)
{
    size_t even = 0, odd = 0;
    for (size_t i = 0; i + 1 < n && i < 512; i += 2) {
        even += p[i] == 0;
        odd += p[i + 1] == 0;
    }
    size_t pairs = (n < 512 ? n : 512) / 2;
    return pairs >= 4 && (even * 4 >= pairs * 3 || odd * 4 >= pairs * 3);
}

enum tether_err
tether_textin_open(struct tether_textin **out, const char *path, char *errbuf)
{
    struct tether_textin *in = tether_xcalloc(1, sizeof(*in));
    if (strcmp(path, "-") == 0) {
        in->fp = stdin;
    } else {
        in->fp = fopen(path, "rb");
        if (!in->fp) {
            snprintf(errbuf, TETHER_ERRBUF, "cannot open '%s': %s", path,
                     strerror(errno));
            free(in);
            return TETHER_ERR_IO;
        }
        in->close_fp = 1;
        struct stat st;
        if (fstat(fileno(in->fp), &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                snprintf(errbuf, TETHER_ERRBUF, "cannot read '%s': %s", path,
                         strerror(EISDIR));
                tether_textin_close(in);
                return TETHER_ERR_IO;
            }
            in->size = (uint64_t)st.st_size;
        }
    }
    if (fill(in, errbuf)) {
        tether_textin_close(in);
        return TETHER_ERR_IO;
    }
    const unsigned char *r = in->raw;
    if (in->raw_len >= 3 && r[0] == 0xEF && r[1] == 0xBB && r[2] == 0xBF) {
        in->enc = TETHER_ENC_UTF8_BOM;
        in->raw_pos = 3;
    } else if (in->raw_len >= 2 && r[0] == 0xFF && r[1] == 0xFE) {
        in->enc = TETHER_ENC_UTF16LE;
        in->raw_pos = 2;
    } else if (in->raw_len >= 2 && r[0] == 0xFE && r[1] == 0xFF) {
        in->enc = TETHER_ENC_UTF16BE;
        in->raw_pos = 2;
    } else if (looks_like_bomless_utf16(r, in->raw_len)) {
        snprintf(errbuf, TETHER_ERRBUF,
                 "'%s' looks like UTF-16 without a byte-order mark; "
                 "convert it to UTF-8 (iconv -f UTF-16LE -t UTF-8)",
                 path);
        tether_textin_close(in);
        return TETHER_ERR_ENCODING;
    }
    in->consumed = in->raw_pos;
    *out = in;
    return TETHER_OK;
}

static size_t
put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

long
tether_textin_read(struct tether_textin *in, char *buf, size_t cap,
                   char *errbuf)
{
    if (in->raw_pos >= in->raw_len ||
        (in->enc >= TETHER_ENC_UTF16LE && in->raw_len - in->raw_pos < 4)) {
        if (fill(in, errbuf))
            return -1;
    }
    size_t avail = in->raw_len - in->raw_pos;
    if (avail == 0)
        return 0;
    const unsigned char *r = in->raw + in->raw_pos;
    if (in->enc < TETHER_ENC_UTF16LE) {
        size_t n = avail < cap ? avail : cap;
        memcpy(buf, r, n);
        in->raw_pos += n;
        in->consumed += n;
        return (long)n;
    }
    int be = in->enc == TETHER_ENC_UTF16BE;
    size_t i = 0, o = 0;
    while (i + 1 < avail && o + 4 <= cap) {
        uint32_t u = be ? (uint32_t)(r[i] << 8 | r[i + 1])
                        : (uint32_t)(r[i + 1] << 8 | r[i]);
        size_t used = 2;
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 3 >= avail) {
                if (!in->eof)
                    break; /* the low half is in the next block */
                u = 0xFFFD;
            } else {
                uint32_t lo = be ? (uint32_t)(r[i + 2] << 8 | r[i + 3])
                                 : (uint32_t)(r[i + 3] << 8 | r[i + 2]);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                    used = 4;
                } else {
                    u = 0xFFFD;
                }
            }
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            u = 0xFFFD;
        }
        /* A NUL stays a NUL so that the reader can reject it. */
        o += put_utf8(buf + o, u);
        i += used;
    }
    if (i == 0 && avail == 1 && in->eof) {
        in->raw_pos++;
        snprintf(errbuf, TETHER_ERRBUF, "UTF-16 text ends in half a character");
        return -1;
    }
    in->raw_pos += i;
    in->consumed += i;
    return (long)o;
}

enum tether_encoding
tether_textin_encoding(const struct tether_textin *in)
{
    return in->enc;
}

uint64_t
tether_textin_pos(const struct tether_textin *in)
{
    return in->consumed;
}

uint64_t
tether_textin_size(const struct tether_textin *in)
{
    return in->size;
}

void
tether_textin_close(struct tether_textin *in)
{
    if (!in)
        return;
    if (in->close_fp)
        fclose(in->fp);
    free(in);
}

enum tether_err
tether_text_read_all(const char *path, char **text, size_t *len, char *errbuf)
{
    struct tether_textin *in;
    enum tether_err err = tether_textin_open(&in, path, errbuf);
    if (err)
        return err;
    struct tether_buf b = {0};
    char chunk[65536];
    long n;
    while ((n = tether_textin_read(in, chunk, sizeof(chunk), errbuf)) > 0)
        tether_buf_add(&b, chunk, (size_t)n);
    tether_textin_close(in);
    if (n < 0) {
        tether_buf_free(&b);
        return TETHER_ERR_IO;
    }
    if (!b.data)
        tether_buf_add(&b, "", 0);
    const char *nul = memchr(b.data, '\0', b.len);
    if (nul) {
        size_t line = 1;
        for (const char *p = b.data; p < nul; p++)
            line += *p == '\n';
        snprintf(errbuf, TETHER_ERRBUF, "%s:%zu: NUL byte in text", path, line);
        tether_buf_free(&b);
        return TETHER_ERR_ENCODING;
    }
    *text = b.data;
    *len = b.len;
    return TETHER_OK;
}

size_t
tether_utf8_check(const char *str, size_t n, const char **reason)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c == 0) {
            *reason = "NUL byte";
            return i + 1;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint32_t min, cp;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1, min = 0x80, cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2, min = 0x800, cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3, min = 0x10000, cp = c & 0x07;
        } else {
            *reason = "invalid UTF-8 (is the file Latin-1 or Windows-1252? "
                      "convert it with iconv -t UTF-8)";
            return i + 1;
        }
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= n || (s[i + k] & 0xC0) != 0x80) {
                *reason = "invalid UTF-8 (is the file Latin-1 or "
                          "Windows-1252? convert it with iconv -t UTF-8)";
                return i + 1;
            }
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            *reason = "invalid UTF-8 sequence";
            return i + 1;
        }
        i += need + 1;
    }
    return 0;
}
