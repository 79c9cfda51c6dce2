/* csv.c - CSV records from libcsv, fed one physical line at a time so that
 * every record knows its first line and its raw text.
 *
 * After tether_csv_readahead, a thread of the reader's own reads, parses
 * and checks the records into blocks, which the caller's thread then reads
 * one record at a time: the parsing runs on the second core beside what the
 * caller does with each record (SQLite's writing, in an import). */
#include "tether/csv.h"
#include "tether/textin.h"
#include "tether/util.h"

#include <csv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 65536

/* Read-ahead blocks: a block is full at RA_RECORDS records or RA_BYTES of
 * text (fields and raw text; one long record may go past it). RA_BLOCKS
 * blocks exist in all (the caller's, one queued, one being filled), so the
 * memory stays a few MB whatever the file. */
#define RA_BLOCKS 3
#define RA_RECORDS 4096
#define RA_BYTES (1u << 20)

/* A record in a block: its fields are offsets[field0 .. field0 + n) into
 * the block's fields, its raw text starts at raw in the block's raw. */
struct ra_rec {
    size_t field0, n, fend, raw;
    long line;
    long bad; /* the text check, made on the reading thread */
    const char *why;
    uint64_t pos;
};

struct ra_block {
    struct tether_buf fields, raw;
    size_t *offsets;
    size_t noff, cap_off;
    struct ra_rec *recs;
    size_t nrec, cap_rec;
    int end; /* 1: more blocks follow; 0: the file ends after this block;
                -1: the read failed after it, with err */
    char err[TETHER_ERRBUF];
    struct ra_block *next;
};

struct readahead {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t filled, emptied;
    struct ra_block blocks[RA_BLOCKS];
    struct ra_block *empty;                 /* free blocks, for the thread */
    struct ra_block *full_head, *full_tail; /* filled ones, in file order */
    int stop;                               /* the reader is being closed */
    /* the caller's side */
    struct ra_block *cur;
    size_t idx; /* the next record of cur to hand out */
};

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
    /* the caller's current record: cur_* above, or a record of a
     * read-ahead block */
    char *v_fields;
    const size_t *v_off;
    size_t v_n, v_fend;
    const char *v_raw;
    long v_line;
    int v_checked; /* v_bad and v_why hold the text check */
    long v_bad;
    const char *v_why;
    uint64_t v_pos;
    struct readahead *ra; /* NULL: the records are read on the caller's
                             thread */
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

/* Drops the line end from the raw text of a record. */
static void
trim_line_end(struct tether_buf *raw)
{
    while (raw->len &&
           (raw->data[raw->len - 1] == '\n' || raw->data[raw->len - 1] == '\r'))
        raw->data[--raw->len] = '\0';
}

/* The index of the first field of n (at off[] in fields, the last ending
 * at fend) that is not valid text, with the reason, or -1. */
static long
first_bad(const char *fields, const size_t *off, size_t n, size_t fend,
          const char **reason)
{
    for (size_t i = 0; i < n; i++) {
        size_t start = off[i];
        size_t end = i + 1 < n ? off[i + 1] - 1 : fend;
        if (tether_utf8_check(fields + start, end - start, reason))
            return (long)i;
    }
    return -1;
}

/* Points the caller's view at cur_*. */
static void
view_cur(struct tether_csv *c)
{
    c->v_fields = c->cur_fields.data;
    c->v_off = c->cur_offsets;
    c->v_n = c->cur_n;
    c->v_fend = c->cur_fields.len ? c->cur_fields.len - 1 : 0;
    c->v_raw = c->cur_raw.data;
    c->v_line = c->cur_line;
    c->v_checked = 0;
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
    trim_line_end(&c->raw);
    struct tether_buf rb = c->cur_raw;
    c->cur_raw = c->raw;
    c->raw = rb;
    tether_buf_reset(&c->raw);
    c->cur_line = c->record_line;
    c->record_line = 0;
    c->complete = 0;
    view_cur(c);
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

/* Parses on until the record being built (fields, offsets, raw) is
 * complete: 1, 0 at the end of the file, -1 on an error. */
static int
parse_next(struct tether_csv *c, char *errbuf)
{
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
                return c->complete && c->nfields > 0;
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
            return 1;
        }
        if (c->record_line == 0)
            tether_buf_reset(&c->raw); /* blank lines before a record */
    }
}

/* Moves the record just parsed into block b, with its text check and the
 * position reached in the file, and starts the next. */
static void
block_add(struct ra_block *b, struct tether_csv *c)
{
    if (b->nrec == b->cap_rec) {
        b->cap_rec = b->cap_rec ? b->cap_rec * 2 : 256;
        b->recs = tether_xrealloc(b->recs, b->cap_rec * sizeof(*b->recs));
    }
    if (b->noff + c->nfields > b->cap_off) {
        while (b->noff + c->nfields > b->cap_off)
            b->cap_off = b->cap_off ? b->cap_off * 2 : 4096;
        b->offsets =
            tether_xrealloc(b->offsets, b->cap_off * sizeof(*b->offsets));
    }
    struct ra_rec *r = &b->recs[b->nrec++];
    size_t base = b->fields.len;
    r->field0 = b->noff;
    r->n = c->nfields;
    for (size_t i = 0; i < c->nfields; i++)
        b->offsets[b->noff++] = base + c->offsets[i];
    tether_buf_add(&b->fields, c->fields.data, c->fields.len);
    r->fend = b->fields.len - 1;
    r->bad = first_bad(c->fields.data, c->offsets, c->nfields,
                       c->fields.len - 1, &r->why);
    trim_line_end(&c->raw);
    r->raw = b->raw.len;
    tether_buf_add(&b->raw, c->raw.data, c->raw.len);
    tether_buf_addc(&b->raw, '\0');
    r->line = c->record_line;
    r->pos = tether_textin_pos(c->in);
    c->nfields = 0;
    tether_buf_reset(&c->fields);
    tether_buf_reset(&c->raw);
    c->record_line = 0;
    c->complete = 0;
}

/* The reading thread: fills the empty blocks until the file ends, a read
 * fails or the reader is closed. */
static void *
readahead_main(void *arg)
{
    struct tether_csv *c = arg;
    struct readahead *ra = c->ra;
    for (;;) {
        pthread_mutex_lock(&ra->mu);
        while (!ra->empty && !ra->stop)
            pthread_cond_wait(&ra->emptied, &ra->mu);
        struct ra_block *b = ra->stop ? NULL : ra->empty;
        if (b)
            ra->empty = b->next;
        pthread_mutex_unlock(&ra->mu);
        if (!b)
            return NULL;
        b->noff = b->nrec = 0;
        tether_buf_reset(&b->fields);
        tether_buf_reset(&b->raw);
        int got = 1;
        while (b->nrec < RA_RECORDS && b->fields.len + b->raw.len < RA_BYTES &&
               (got = parse_next(c, b->err)) == 1)
            block_add(b, c);
        b->end = got;
        b->next = NULL;
        pthread_mutex_lock(&ra->mu);
        if (ra->full_tail)
            ra->full_tail->next = b;
        else
            ra->full_head = b;
        ra->full_tail = b;
        pthread_cond_signal(&ra->filled);
        pthread_mutex_unlock(&ra->mu);
        if (got != 1)
            return NULL;
    }
}

void
tether_csv_readahead(struct tether_csv *c)
{
    if (c->has_source || c->ra || c->finished)
        return;
    struct readahead *ra = tether_xcalloc(1, sizeof(*ra));
    pthread_mutex_init(&ra->mu, NULL);
    pthread_cond_init(&ra->filled, NULL);
    pthread_cond_init(&ra->emptied, NULL);
    for (size_t i = 0; i < RA_BLOCKS; i++) {
        ra->blocks[i].next = ra->empty;
        ra->empty = &ra->blocks[i];
    }
    c->v_pos = tether_textin_pos(c->in);
    c->ra = ra;
    if (pthread_create(&ra->thread, NULL, readahead_main, c) != 0) {
        /* No thread: the records are read on the caller's, as before. */
        c->ra = NULL;
        pthread_cond_destroy(&ra->emptied);
        pthread_cond_destroy(&ra->filled);
        pthread_mutex_destroy(&ra->mu);
        free(ra);
    }
}

/* Gives block b back to the reading thread. */
static void
readahead_release(struct readahead *ra, struct ra_block *b)
{
    pthread_mutex_lock(&ra->mu);
    b->next = ra->empty;
    ra->empty = b;
    pthread_cond_signal(&ra->emptied);
    pthread_mutex_unlock(&ra->mu);
}

/* The next record from the blocks; an end or error is reported after the
 * last record before it, and again on every later call. */
static int
readahead_next(struct tether_csv *c, char *errbuf)
{
    struct readahead *ra = c->ra;
    if (!ra->cur || ra->idx == ra->cur->nrec) {
        if (ra->cur && ra->cur->end != 1) {
            if (ra->cur->end < 0)
                snprintf(errbuf, TETHER_ERRBUF, "%s", ra->cur->err);
            return ra->cur->end;
        }
        pthread_mutex_lock(&ra->mu);
        while (!ra->full_head)
            pthread_cond_wait(&ra->filled, &ra->mu);
        struct ra_block *b = ra->full_head;
        ra->full_head = b->next;
        if (!ra->full_head)
            ra->full_tail = NULL;
        pthread_mutex_unlock(&ra->mu);
        if (b->nrec == 0 && ra->cur) {
            /* The end alone: the last record stays readable, as it does
             * without the thread. */
            ra->cur->end = b->end;
            snprintf(ra->cur->err, TETHER_ERRBUF, "%s", b->err);
            readahead_release(ra, b);
            return readahead_next(c, errbuf);
        }
        if (ra->cur)
            readahead_release(ra, ra->cur);
        ra->cur = b;
        ra->idx = 0;
        if (b->nrec == 0)
            return readahead_next(c, errbuf);
    }
    const struct ra_block *b = ra->cur;
    const struct ra_rec *r = &b->recs[ra->idx++];
    c->v_fields = b->fields.data;
    c->v_off = b->offsets + r->field0;
    c->v_n = r->n;
    c->v_fend = r->fend;
    c->v_raw = b->raw.data + r->raw;
    c->v_line = r->line;
    c->v_checked = 1;
    c->v_bad = r->bad;
    c->v_why = r->why;
    c->v_pos = r->pos;
    return 1;
}

/* Stops the reading thread (it ends at the next block it would fill) and
 * frees the blocks. */
static void
readahead_stop(struct tether_csv *c)
{
    struct readahead *ra = c->ra;
    pthread_mutex_lock(&ra->mu);
    ra->stop = 1;
    pthread_cond_signal(&ra->emptied);
    pthread_mutex_unlock(&ra->mu);
    pthread_join(ra->thread, NULL);
    for (size_t i = 0; i < RA_BLOCKS; i++) {
        tether_buf_free(&ra->blocks[i].fields);
        tether_buf_free(&ra->blocks[i].raw);
        free(ra->blocks[i].offsets);
        free(ra->blocks[i].recs);
    }
    pthread_cond_destroy(&ra->emptied);
    pthread_cond_destroy(&ra->filled);
    pthread_mutex_destroy(&ra->mu);
    free(ra);
    c->ra = NULL;
}

int
tether_csv_next(struct tether_csv *c, char *errbuf)
{
    if (c->has_source)
        return source_next(c, errbuf);
    if (c->ra)
        return readahead_next(c, errbuf);
    int got = parse_next(c, errbuf);
    if (got == 1)
        hand_over(c);
    return got;
}

size_t
tether_csv_nfields(const struct tether_csv *c)
{
    return c->v_n;
}

const char *
tether_csv_field(const struct tether_csv *c, size_t i)
{
    if (i >= c->v_n)
        return "";
    return c->v_fields + c->v_off[i];
}

const char *
tether_csv_field_trimmed(struct tether_csv *c, size_t i)
{
    if (i >= c->v_n)
        return "";
    return tether_str_trim(c->v_fields + c->v_off[i]);
}

long
tether_csv_line(const struct tether_csv *c)
{
    return c->v_line;
}

const char *
tether_csv_raw(const struct tether_csv *c)
{
    return c->v_raw ? c->v_raw : "";
}

long
tether_csv_problem(const struct tether_csv *c, const char **reason)
{
    if (c->v_checked) {
        if (c->v_bad >= 0)
            *reason = c->v_why;
        return c->v_bad;
    }
    return first_bad(c->v_fields, c->v_off, c->v_n, c->v_fend, reason);
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
    c->nheader = c->v_n;
    c->header = tether_xcalloc(c->v_n, sizeof(char *));
    for (size_t i = 0; i < c->v_n; i++)
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
    /* With the thread, where the file stood when it had read the current
     * record, as it stands without. */
    return c->ra ? c->v_pos : tether_textin_pos(c->in);
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
        if (c->ra)
            readahead_stop(c);
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
