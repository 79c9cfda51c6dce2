/* csv.c - CSV records from libcsv, fed one physical line at a time so that
 * every record knows its first line and its raw text. */
#include "tether/csv.h"
#include "tether/textin.h"
#include "tether/util.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 65536

struct tether_csv {
    char *path;
    struct tether_textin *in;
    struct csv_parser parser;
    char chunk[CHUNK];
    size_t chunk_len, chunk_pos;
    int at_eof, finished;
    int pending_cr;   /* the last chunk ended in CR: a following LF is
                         part of the same line end */
    long line;        /* physical line being fed (1-based) */
    long record_line; /* line of the first byte of the record being built */
    struct tether_buf raw;    /* raw text of the record being built */
    struct tether_buf fields; /* field bytes, each NUL-terminated */
    size_t *offsets;          /* start of each field in fields */
    size_t nfields, cap_fields;
    int too_wide;
    int complete; /* a record was completed by the parser */
    /* the finished record handed to the caller */
    struct tether_buf cur_raw, cur_fields;
    size_t *cur_offsets;
    size_t cur_n, cur_cap;
    long cur_line;
    /* header */
    char **header;
    size_t nheader;
    /* records from a source instead of the text (an .xlsx sheet) */
    int has_source;
    struct tether_csv_source src;
};

static void
on_field(void *s, size_t len, void *data)
{
    struct tether_csv *c = data;
    if (c->nfields >= TETHER_CSV_MAX_FIELDS) {
        c->too_wide = 1;
        return;
    }
    if (c->nfields == c->cap_fields) {
        c->cap_fields = c->cap_fields ? c->cap_fields * 2 : 16;
        c->offsets =
            tether_xrealloc(c->offsets, c->cap_fields * sizeof(size_t));
    }
    c->offsets[c->nfields++] = c->fields.len;
    tether_buf_add(&c->fields, s ? s : "", s ? len : 0);
    tether_buf_addc(&c->fields, '\0');
}

static void
on_record(int term, void *data)
{
    (void)term;
    struct tether_csv *c = data;
    c->complete = 1;
}

static int
keep_spaces(unsigned char ch)
{
    (void)ch;
    return 0; /* blanks are data; callers trim where it matters */
}

enum tether_err
tether_csv_open(struct tether_csv **out, const char *path, char delim,
                char *errbuf)
{
    struct tether_textin *in;
    enum tether_err err = tether_textin_open(&in, path, errbuf);
    if (err)
        return err;
    struct tether_csv *c = tether_xcalloc(1, sizeof(*c));
    c->path = tether_xstrdup(path);
    c->in = in;
    c->line = 1;
    if (csv_init(&c->parser, CSV_APPEND_NULL) != 0) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot start the CSV parser");
        tether_csv_close(c);
        return TETHER_ERR_IO;
    }
    csv_set_delim(&c->parser, (unsigned char)(delim ? delim : ','));
    csv_set_space_func(&c->parser, keep_spaces);
    /* libcsv grows a field by this much at a time (128 bytes by default):
     * a field near the record limit would cost a hundred thousand
     * reallocations, each copying the field so far. */
    csv_set_blk_size(&c->parser, 1u << 20);
    *out = c;
    return TETHER_OK;
}

/* Moves the record just completed to the caller's side. */
static void
hand_over(struct tether_csv *c)
{
    struct tether_buf tb = c->cur_fields;
    c->cur_fields = c->fields;
    c->fields = tb;
    tether_buf_reset(&c->fields);
    size_t *to = c->cur_offsets;
    size_t tc = c->cur_cap;
    c->cur_offsets = c->offsets;
    c->cur_cap = c->cap_fields;
    c->offsets = to;
    c->cap_fields = tc;
    c->cur_n = c->nfields;
    c->nfields = 0;
    /* the raw text without its line end */
    while (c->raw.len && (c->raw.data[c->raw.len - 1] == '\n' ||
                          c->raw.data[c->raw.len - 1] == '\r'))
        c->raw.data[--c->raw.len] = '\0';
    struct tether_buf rb = c->cur_raw;
    c->cur_raw = c->raw;
    c->raw = rb;
    tether_buf_reset(&c->raw);
    c->cur_line = c->record_line;
    c->record_line = 0;
    c->complete = 0;
}

static int
refill(struct tether_csv *c, char *errbuf)
{
    long n = tether_textin_read(c->in, c->chunk, CHUNK, errbuf);
    if (n < 0) {
        char tmp[TETHER_ERRBUF];
        snprintf(tmp, sizeof(tmp), "%s:%ld: %s", c->path, c->line, errbuf);
        snprintf(errbuf, TETHER_ERRBUF, "%s", tmp);
        return -1;
    }
    c->chunk_len = (size_t)n;
    c->chunk_pos = 0;
    if (n == 0)
        c->at_eof = 1;
    return 0;
}

struct tether_csv *
tether_csv_open_source(const char *path, struct tether_csv_source src)
{
    struct tether_csv *c = tether_xcalloc(1, sizeof(*c));
    c->path = tether_xstrdup(path);
    c->has_source = 1;
    c->src = src;
    return c;
}

void
tether_csv_put_begin(struct tether_csv *c, long line)
{
    c->nfields = 0;
    tether_buf_reset(&c->fields);
    tether_buf_reset(&c->raw);
    c->record_line = line;
}

void
tether_csv_put_field(struct tether_csv *c, const char *s, size_t n)
{
    /* The raw text: the field as CSV writes it, quoted when it must be. */
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (c->nfields)
        tether_buf_addc(&c->raw, ',');
    if (quote) {
        tether_buf_addc(&c->raw, '"');
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '"')
                tether_buf_addc(&c->raw, '"');
            tether_buf_addc(&c->raw, s[i]);
        }
        tether_buf_addc(&c->raw, '"');
    } else {
        tether_buf_add(&c->raw, s, n);
    }
    on_field((void *)s, n, c);
}

/* The next record of a source. */
static int
source_next(struct tether_csv *c, char *errbuf)
{
    if (c->finished)
        return 0;
    int got = c->src.next(c->src.ctx, c, errbuf);
    if (got <= 0) {
        c->finished = 1;
        return got;
    }
    if (c->too_wide) {
        snprintf(errbuf, TETHER_ERRBUF, "%s:%ld: more than %d fields",
                 c->path, c->record_line, TETHER_CSV_MAX_FIELDS);
        return -1;
    }
    tether_buf_add(&c->raw, "", 0); /* a string even when empty */
    hand_over(c);
    return 1;
}

int
tether_csv_next(struct tether_csv *c, char *errbuf)
{
    if (c->has_source)
        return source_next(c, errbuf);
    for (;;) {
        if (c->finished)
            return 0;
        if (c->chunk_pos >= c->chunk_len) {
            if (c->at_eof || refill(c, errbuf) < 0) {
                if (!c->at_eof)
                    return -1;
            }
            if (c->at_eof) {
                csv_fini(&c->parser, on_field, on_record, c);
                c->finished = 1;
                if (c->complete && c->nfields > 0) {
                    hand_over(c);
                    return 1;
                }
                return 0;
            }
        }
        /* One segment: up to and including the next line end. */
        const char *s = c->chunk + c->chunk_pos;
        size_t avail = c->chunk_len - c->chunk_pos, n = 0;
        int ends_line = 0;
        if (c->pending_cr && s[0] == '\n') {
            n = 1; /* the LF of a CRLF split across chunks */
            c->pending_cr = 0;
        } else {
            c->pending_cr = 0;
            while (n < avail && s[n] != '\n' && s[n] != '\r')
                n++;
            if (n < avail) {
                ends_line = 1;
                if (s[n] == '\r' && n + 1 < avail && s[n + 1] == '\n')
                    n += 2;
                else if (s[n] == '\r' && n + 1 == avail && !c->at_eof) {
                    n += 1;
                    c->pending_cr = 1;
                } else {
                    n += 1;
                }
            }
        }
        if (c->record_line == 0 && !(n <= 2 && (s[0] == '\n' || s[0] == '\r')))
            c->record_line = c->line;
        tether_buf_add(&c->raw, s, n);
        if (c->raw.len > TETHER_CSV_MAX_RECORD) {
            snprintf(errbuf, TETHER_ERRBUF,
                     "%s:%ld: record longer than %u bytes", c->path,
                     c->record_line, TETHER_CSV_MAX_RECORD);
            return -1;
        }
        if (csv_parse(&c->parser, s, n, on_field, on_record, c) != n) {
            snprintf(errbuf, TETHER_ERRBUF, "%s:%ld: %s", c->path, c->line,
                     csv_strerror(csv_error(&c->parser)));
            return -1;
        }
        c->chunk_pos += n;
        if (ends_line)
            c->line++;
        if (c->too_wide) {
            snprintf(errbuf, TETHER_ERRBUF, "%s:%ld: more than %d fields",
                     c->path, c->record_line, TETHER_CSV_MAX_FIELDS);
            return -1;
        }
        if (c->complete) {
            if (c->nfields == 0) { /* a blank line */
                c->complete = 0;
                tether_buf_reset(&c->raw);
                c->record_line = 0;
                continue;
            }
            hand_over(c);
            return 1;
        }
        if (c->record_line == 0)
            tether_buf_reset(&c->raw); /* blank lines before a record */
    }
}

size_t
tether_csv_nfields(const struct tether_csv *c)
{
    return c->cur_n;
}

const char *
tether_csv_field(const struct tether_csv *c, size_t i)
{
    if (i >= c->cur_n)
        return "";
    return c->cur_fields.data + c->cur_offsets[i];
}

const char *
tether_csv_field_trimmed(struct tether_csv *c, size_t i)
{
    if (i >= c->cur_n)
        return "";
    return tether_str_trim(c->cur_fields.data + c->cur_offsets[i]);
}

long
tether_csv_line(const struct tether_csv *c)
{
    return c->cur_line;
}

const char *
tether_csv_raw(const struct tether_csv *c)
{
    return c->cur_raw.data ? c->cur_raw.data : "";
}

long
tether_csv_problem(const struct tether_csv *c, const char **reason)
{
    for (size_t i = 0; i < c->cur_n; i++) {
        size_t start = c->cur_offsets[i];
        size_t end = i + 1 < c->cur_n ? c->cur_offsets[i + 1] - 1
                                      : c->cur_fields.len - 1;
        if (tether_utf8_check(c->cur_fields.data + start, end - start, reason))
            return (long)i;
    }
    return -1;
}

static void
free_header(struct tether_csv *c)
{
    for (size_t i = 0; i < c->nheader; i++)
        free(c->header[i]);
    free(c->header);
    c->header = NULL;
    c->nheader = 0;
}

void
tether_csv_set_header(struct tether_csv *c)
{
    free_header(c);
    c->nheader = c->cur_n;
    c->header = tether_xcalloc(c->cur_n, sizeof(char *));
    for (size_t i = 0; i < c->cur_n; i++)
        c->header[i] = tether_str_trim(tether_xstrdup(tether_csv_field(c, i)));
}

long
tether_csv_column(const struct tether_csv *c, const char *name)
{
    for (size_t i = 0; i < c->nheader; i++)
        if (tether_str_ieq_trim(c->header[i], name))
            return (long)i;
    return -1;
}

size_t
tether_csv_header_count(const struct tether_csv *c)
{
    return c->nheader;
}

const char *
tether_csv_header(const struct tether_csv *c, size_t i)
{
    return i < c->nheader ? c->header[i] : "";
}

uint64_t
tether_csv_pos(const struct tether_csv *c)
{
    if (c->has_source)
        return c->src.pos ? c->src.pos(c->src.ctx) : 0;
    return tether_textin_pos(c->in);
}

uint64_t
tether_csv_size(const struct tether_csv *c)
{
    return c->has_source ? c->src.size : tether_textin_size(c->in);
}

void
tether_csv_close(struct tether_csv *c)
{
    if (!c)
        return;
    if (c->has_source) {
        if (c->src.done)
            c->src.done(c->src.ctx);
    } else {
        csv_free(&c->parser);
        tether_textin_close(c->in);
    }
    free_header(c);
    tether_buf_free(&c->raw);
    tether_buf_free(&c->fields);
    tether_buf_free(&c->cur_raw);
    tether_buf_free(&c->cur_fields);
    free(c->offsets);
    free(c->cur_offsets);
    free(c->path);
    free(c);
}
