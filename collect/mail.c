/* mail.c - mailboxes (mbox: mboxo, mboxrd, Google Takeout, Thunderbird)
 * and single messages (.eml), parsed with GMime. Only the headers that say
 * who wrote to whom and when are read; the parser works on the file
 * itself (a seekable stream), so a part's content stays in the file and a
 * 100 MB message costs no 100 MB of memory. */
#include "collect.h"

#include <errno.h>
#include <fcntl.h>
#include <gmime/gmime.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <strings.h>

#include "tether/util.h"

void
mail_init(void)
{
    g_mime_init();
}

void
mail_shutdown(void)
{
    g_mime_shutdown();
}

/* The addresses of one message, lower case. */
struct addrs {
    char *sender;
    char **rcpt; /* at most MAX_MESSAGE_RECIPIENTS + 1, grown as needed
                  * (a message waits in the reader's queue with them) */
    size_t n, cap;
    size_t total; /* recipients, also those past the array */
};

static void
addrs_clear(struct addrs *a)
{
    free(a->sender);
    for (size_t i = 0; i < a->n; i++)
        free(a->rcpt[i]);
    free(a->rcpt);
    memset(a, 0, sizeof(*a));
}

/* Adds the mailboxes of list (groups opened) to a's recipients, once
 * each. */
static void
add_list(struct addrs *a, InternetAddressList *list)
{
    if (!list)
        return;
    int n = internet_address_list_length(list);
    for (int i = 0; i < n; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            add_list(a, internet_address_group_get_members(
                            INTERNET_ADDRESS_GROUP(ia)));
            continue;
        }
        if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
            continue;
        const char *addr =
            internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
        if (!addr || !*addr)
            continue;
        int dup = a->sender && strcasecmp(a->sender, addr) == 0;
        for (size_t k = 0; k < a->n && !dup; k++)
            dup = strcasecmp(a->rcpt[k], addr) == 0;
        if (dup)
            continue;
        a->total++;
        if (a->n == MAX_MESSAGE_RECIPIENTS + 1)
            continue;
        if (a->n == a->cap) {
            a->cap = a->cap ? 2 * a->cap : 4;
            if (a->cap > MAX_MESSAGE_RECIPIENTS + 1)
                a->cap = MAX_MESSAGE_RECIPIENTS + 1;
            a->rcpt = tether_xrealloc(a->rcpt, a->cap * sizeof(*a->rcpt));
        }
        a->rcpt[a->n++] = tether_str_lower(tether_xstrdup(addr));
    }
}

/* The first mailbox of list, or NULL. */
static const char *
first_mailbox(InternetAddressList *list)
{
    int n = list ? internet_address_list_length(list) : 0;
    for (int i = 0; i < n; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
            const char *addr = internet_address_mailbox_get_addr(
                INTERNET_ADDRESS_MAILBOX(ia));
            if (addr && *addr)
                return addr;
        }
    }
    return NULL;
}

static void
calendar_part(GMimeObject *parent, GMimeObject *part, gpointer data)
{
    (void)parent;
    GMimeContentType *ct = g_mime_object_get_content_type(part);
    if (ct && (g_mime_content_type_is_type(ct, "text", "calendar") ||
               g_mime_content_type_is_type(ct, "application", "ics")))
        *(int *)data = 1;
}

/* 1 when the message is a calendar item or a reply to one. */
static int
is_calendar(GMimeMessage *msg)
{
    int found = 0;
    GMimeObject *top = g_mime_message_get_mime_part(msg);
    if (top)
        calendar_part(NULL, top, &found);
    if (!found)
        g_mime_message_foreach(msg, calendar_part, &found);
    return found;
}

static int
decode_date(const char *s, int64_t *ts)
{
    if (!s || !*s)
        return -1;
    GDateTime *dt = g_mime_utils_header_decode_date(s);
    if (!dt)
        return -1;
    *ts = g_date_time_to_unix(dt);
    g_date_time_unref(dt);
    return 0;
}

/* When the message was sent: its Date, else the newest (first) Received
 * line's date, else the mbox separator's (the export's time, often). */
static int
message_time(GMimeMessage *msg, const char *marker, int64_t *ts)
{
    GDateTime *dt = g_mime_message_get_date(msg);
    if (dt) {
        *ts = g_date_time_to_unix(dt);
        return 0;
    }
    GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(msg));
    int n = hl ? g_mime_header_list_get_count(hl) : 0;
    for (int i = 0; i < n; i++) {
        GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
        if (g_ascii_strcasecmp(g_mime_header_get_name(h), "Received") != 0)
            continue;
        const char *v = g_mime_header_get_value(h);
        const char *semi = v ? strrchr(v, ';') : NULL;
        if (semi && decode_date(semi + 1, ts) == 0)
            return 0;
        break;
    }
    /* "From sender Mon Jan  2 09:00:00 2024": the date after the sender. */
    if (marker && strncmp(marker, "From ", 5) == 0) {
        const char *p = marker + 5;
        p += strcspn(p, " ");
        if (decode_date(p, ts) == 0)
            return 0;
    }
    return -1;
}

/* A header block up to this size is copied while the file is scanned and
 * parsed from memory; a larger one (only hostile files have one) is
 * parsed from the file, like a message's body when its parts are asked
 * for. */
#define HDR_MAX (256 * 1024)

/* What GMime reads with: the options, the file (messages are substreams
 * of it) and, for the header blocks, one parser and one memory stream for
 * them all (a parser of its own per message cost a third of GMime's
 * time). The reader's and the sink's side each have their own. */
struct mail_gmime {
    GMimeParserOptions *po;
    GMimeStream *file;
    GMimeParser *hparser;
    GMimeStream *hstream;
    GByteArray *hdr; /* the current message's header block, */
    int hdr_whole;   /* when it holds all of it */
};

/* Opens path for GMime (fd: an open descriptor of it, which file takes
 * over). */
static void
mail_gmime_init(struct mail_gmime *g, int fd)
{
    g->po = g_mime_parser_options_new();
    g->file = g_mime_stream_fs_new(fd);
    g->hparser = g_mime_parser_new();
    g->hstream = g_mime_stream_mem_new();
    g->hdr = g_byte_array_new();
    g->hdr_whole = 0;
}

static void
mail_gmime_clear(struct mail_gmime *g)
{
    if (g->hparser)
        g_object_unref(g->hparser);
    if (g->hstream)
        g_object_unref(g->hstream);
    if (g->hdr)
        g_byte_array_free(g->hdr, TRUE);
    if (g->file)
        g_object_unref(g->file);
    if (g->po)
        g_mime_parser_options_free(g->po);
    memset(g, 0, sizeof(*g));
}

/* Parses [start, end) of the file with GMime: a message (the caller
 * unrefs it), or NULL. */
static GMimeMessage *
parse_range(struct mail_gmime *g, gint64 start, gint64 end)
{
    GMimeStream *sub = g_mime_stream_substream(g->file, start, end);
    GMimeParser *parser = g_mime_parser_new_with_stream(sub);
    g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
    g_mime_parser_set_persist_stream(parser, TRUE);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, g->po);
    g_object_unref(parser);
    g_object_unref(sub);
    return msg;
}

/* Parses the header block [start, end) of the file: from the copy the
 * scan made of it when it has all of it (the same bytes), else from the
 * file. A message (the caller unrefs it), or NULL. */
static GMimeMessage *
parse_headers(struct mail_gmime *g, gint64 start, gint64 end)
{
    if (!g->hdr_whole || end < 0 || (gint64)g->hdr->len != end - start)
        return parse_range(g, start, end);
    g_mime_stream_mem_set_byte_array(GMIME_STREAM_MEM(g->hstream), g->hdr);
    g_mime_stream_reset(g->hstream);
    g_mime_parser_init_with_stream(g->hparser, g->hstream);
    g_mime_parser_set_format(g->hparser, GMIME_FORMAT_MESSAGE);
    /* Nothing of the message refers to the stream, which the next
     * message's bytes replace. */
    g_mime_parser_set_persist_stream(g->hparser, FALSE);
    return g_mime_parser_construct_message(g->hparser, g->po);
}

/* One message as the reader saw it: what the sink needs of it, and where
 * it lies in the file in case its parts must be looked at. */
struct mail_rec {
    int parsed; /* 0: not even headers */
    long line;  /* where the message starts */
    gint64 start, end; /* after the separator line; end -1: end of file */
    struct addrs a;
    char *key;
    int has_time;
    int64_t ts;
    int calendar; /* 1, 0, or -1: only its parts can say */
};

static void
mail_rec_clear(struct mail_rec *r)
{
    addrs_clear(&r->a);
    free(r->key);
    r->key = NULL;
}

/* Reads the message in [start, end) of the file (its header block ends at
 * hdr_end, -1: unknown) into r. marker: the mbox separator line, or NULL. */
static void
mail_read(struct mail_gmime *g, struct mail_rec *r, gint64 start,
          gint64 hdr_end, gint64 end, long line, const char *marker)
{
    /* The headers alone: most messages of a mailbox are no contact, and
     * for those the body is never read. */
    GMimeMessage *msg = parse_headers(g, start, hdr_end >= 0 ? hdr_end : end);
    memset(r, 0, sizeof(*r));
    r->line = line;
    r->start = start;
    r->end = end;
    if (!msg)
        return; /* not even headers: nothing said who wrote to whom */
    r->parsed = 1;
    struct addrs *a = &r->a;
    const char *from = first_mailbox(g_mime_message_get_from(msg));
    if (!from)
        from = first_mailbox(g_mime_message_get_sender(msg));
    a->sender = tether_str_lower(tether_xstrdup(from ? from : ""));
    add_list(a, g_mime_message_get_to(msg));
    add_list(a, g_mime_message_get_cc(msg));
    r->has_time = message_time(msg, marker, &r->ts) == 0;
    const char *mid = g_mime_message_get_message_id(msg);
    if (mid && *mid) {
        r->key = tether_xasprintf("msg:%s", mid);
    } else {
        /* No Message-ID: the same sender, recipients and time are the
         * same message. */
        uint64_t h = tether_hash(TETHER_HASH_INIT, a->sender, strlen(a->sender));
        for (size_t i = 0; i < a->n; i++)
            h = tether_hash(h, a->rcpt[i], strlen(a->rcpt[i]) + 1);
        h = tether_hash(h, &r->ts, sizeof(r->ts));
        r->key = tether_xasprintf("msg:none:%016llx", (unsigned long long)h);
    }
    /* An invitation is a multipart: only then can the parts say more than
     * the headers. */
    GMimeObject *top = g_mime_message_get_mime_part(msg);
    GMimeContentType *ct = top ? g_mime_object_get_content_type(top) : NULL;
    if (ct && g_mime_content_type_is_type(ct, "multipart", "*"))
        r->calendar = -1;
    else
        r->calendar = is_calendar(msg);
    g_object_unref(msg);
}

/* The reader (scan and GMime) runs on a thread of its own while the sink
 * (look-ups, SQLite) works on the main thread: a message of the bench's
 * mailbox costs each side about as much. They meet in a ring of batches,
 * so memory stays bounded whatever the file: the reader waits when every
 * batch is full. The ring holds 32,768 messages (a few MB), as many as
 * the reader reads while the sink loads the roster and the pairs at its
 * first message (about a second for a million people), so that neither
 * waits for the other then. */
#define BATCH_RECS 128
#define QUEUE_BATCHES 256

struct mail_batch {
    struct mail_rec rec[BATCH_RECS];
    size_t n;
    gint64 scanned; /* bytes of the file read, for the progress line */
};

struct mail_queue {
    pthread_mutex_t mu;
    pthread_cond_t more, room;
    struct mail_batch *batch[QUEUE_BATCHES]; /* each made when first used */
    size_t head, filled; /* the batch the reader fills; batches waiting */
    int threaded;        /* 0: the reader delivers each batch itself */
    int done, cancel;    /* the reader has finished; the sink stopped */
    /* GMime is used by both sides (the sink's side for a multipart's
     * parts); one side at a time, since GMime says nothing of threads. */
    pthread_mutex_t gmime;
};

/* The reader's side. */
struct mail_reader {
    struct mail_queue *q;
    struct mail_gmime g;
    const char *path;
    FILE *fp;
    gint64 base;          /* where the first separator may start */
    int mbox;             /* 0: the file is one message (.eml) */
    int rc;               /* 0, or -1 with errbuf */
    char errbuf[TETHER_ERRBUF];
    struct mail_sink *sink; /* delivers each batch when not threaded */
};

/* The sink's side. */
struct mail_sink {
    struct import *imp;
    struct msg_sink *sink;
    struct mail_gmime g; /* the file again, for the parts of a multipart */
    struct mail_queue *q;
};

static int mail_deliver_batch(struct mail_sink *s, struct mail_batch *b);

/* The batch to fill (the queue's), or NULL when the sink has stopped. */
static struct mail_batch *
batch_open(struct mail_reader *r)
{
    struct mail_queue *q = r->q;
    size_t i = 0;
    if (q->threaded) {
        pthread_mutex_lock(&q->mu);
        while (q->filled == QUEUE_BATCHES && !q->cancel)
            pthread_cond_wait(&q->room, &q->mu);
        int stopped = q->cancel;
        i = q->head;
        pthread_mutex_unlock(&q->mu);
        if (stopped)
            return NULL;
    }
    /* The sink looks at a batch only once it is passed on (under the
     * lock), so the reader may make it here. */
    if (!q->batch[i])
        q->batch[i] = tether_xcalloc(1, sizeof(*q->batch[i]));
    return q->batch[i];
}

/* Hands the batch being filled to the sink. 0, or -1 when the sink has
 * stopped (or, not threaded, failed). */
static int
batch_close(struct mail_reader *r, struct mail_batch *b, gint64 scanned)
{
    struct mail_queue *q = r->q;
    b->scanned = scanned;
    if (!q->threaded)
        return mail_deliver_batch(r->sink, b);
    pthread_mutex_lock(&q->mu);
    q->head = (q->head + 1) % QUEUE_BATCHES;
    q->filled++;
    int stopped = q->cancel;
    pthread_cond_signal(&q->more);
    pthread_mutex_unlock(&q->mu);
    return stopped ? -1 : 0;
}

/* Where the reader is: the batch it fills (NULL: none yet) and how much
 * of the file it has read. */
struct reader_pos {
    struct mail_batch *b;
    gint64 scanned;
};

/* Reads one message into the batch, passing the batch on when full.
 * 0, or -1 when the sink has stopped. */

static int
reader_message(struct mail_reader *r, struct reader_pos *p, gint64 start,
               gint64 hdr_end, gint64 end, long line, const char *marker)
{
    if (!p->b && !(p->b = batch_open(r)))
        return -1;
    pthread_mutex_lock(&r->q->gmime);
    mail_read(&r->g, &p->b->rec[p->b->n++], start, hdr_end, end, line,
              marker);
    pthread_mutex_unlock(&r->q->gmime);
    if (p->b->n < BATCH_RECS)
        return 0;
    struct mail_batch *b = p->b;
    p->b = NULL;
    return batch_close(r, b, p->scanned);
}

/* 1 when the line at l (n bytes available) is a header field: a name of
 * printable characters, then a colon. */
static int
header_line(const char *l, size_t n)
{
    size_t i = 0;
    while (i < n && l[i] > ' ' && l[i] < 127 && l[i] != ':')
        i++;
    return i > 0 && i < n && l[i] == ':';
}

/* Splits an mbox: a message starts at a line beginning "From " that is
 * followed by a header field. Real files do not all put a blank line
 * before a separator (Netscape's did not), and a body line that starts
 * "From " unescaped (mboxo) is followed by more body, not a header; the
 * Content-Length of mboxcl is never trusted (it is wrong after any change
 * of line ends). The scan reads the file in blocks, so memory stays flat
 * whatever the size; a message's header block is copied as it goes by,
 * for GMime. 0, or -1 (errbuf; or the sink stopped). */
#define SCAN_BLOCK (1 << 20)
#define SCAN_AHEAD 4096 /* bytes kept ahead of a line: the next line */
static int
mbox_split(struct mail_reader *r, struct reader_pos *p)
{
    FILE *fp = r->fp;
    struct mail_gmime *g = &r->g;
    char *buf = tether_xmalloc(SCAN_BLOCK);
    size_t len = 0, pos = 0; /* pos: the start of the line looked at */
    gint64 off = r->base;    /* file offset of buf[0] */
    long line = 1;           /* the line at pos */
    gint64 start = -1;       /* the current message's separator */
    gint64 start_skip = 0;   /* the separator line's length */
    gint64 hdr_end = -1;     /* just after the current message's headers */
    long start_line = 0;
    char marker[512] = "";
    int rc = 0, eof = 0, in_line = 0; /* in_line: pos is mid-line */
    for (;;) {
        if (!eof && len - pos < SCAN_AHEAD) {
            memmove(buf, buf + pos, len - pos);
            off += (gint64)pos;
            len -= pos;
            pos = 0;
            size_t got = fread(buf + len, 1, SCAN_BLOCK - len, fp);
            if (got == 0 && ferror(fp)) {
                snprintf(r->errbuf, TETHER_ERRBUF, "cannot read '%s'",
                         r->path);
                rc = -1;
                goto out;
            }
            eof = got == 0;
            len += got;
            p->scanned = off + (gint64)len;
            continue;
        }
        if (pos == len)
            break;
        const char *l = buf + pos;
        char *nl = memchr(l, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) + 1 : len;
        size_t ll = end - pos;
        if (!in_line && nl && ll >= 5 && memcmp(l, "From ", 5) == 0 &&
            header_line(buf + end, len - end)) {
            gint64 here = off + (gint64)pos;
            if (start >= 0 &&
                (rc = reader_message(r, p, start + start_skip, hdr_end, here,
                                     start_line, marker)))
                goto out;
            hdr_end = -1;
            g_byte_array_set_size(g->hdr, 0);
            g->hdr_whole = 1;
            start = here;
            start_skip = (gint64)ll;
            start_line = line;
            snprintf(marker, sizeof(marker), "%.*s",
                     (int)(ll < sizeof(marker) ? ll : sizeof(marker) - 1), l);
            marker[strcspn(marker, "\r\n")] = '\0';
        }
        /* The header block, the separator line left out. */
        if (start >= 0 && hdr_end < 0 && off + (gint64)pos > start &&
            g->hdr_whole) {
            if (g->hdr->len + ll <= HDR_MAX)
                g_byte_array_append(g->hdr, (const guint8 *)l, (guint)ll);
            else
                g->hdr_whole = 0;
        }
        /* The first blank line ends the headers. */
        if (start >= 0 && hdr_end < 0 && !in_line && nl &&
            off + (gint64)pos > start &&
            (ll == 1 || (ll == 2 && l[0] == '\r')))
            hdr_end = off + (gint64)end;
        in_line = !nl; /* a line longer than the block goes on */
        line += nl != NULL;
        pos = end;
    }
    if (start < 0) {
        snprintf(r->errbuf, TETHER_ERRBUF,
                 "%s: no \"From \" separator line: not an mbox", r->path);
        rc = -1;
    } else {
        rc = reader_message(r, p, start + start_skip, hdr_end,
                            off + (gint64)len, start_line, marker);
    }
out:
    free(buf);
    return rc;
}

/* The reader: every message of the file, then the last batch. */
static void *
reader_run(void *arg)
{
    struct mail_reader *r = arg;
    struct reader_pos p = {0};
    int rc = r->mbox ? mbox_split(r, &p)
                     : reader_message(r, &p, r->base, -1, -1, 1, NULL);
    if (rc == 0 && p.b && p.b->n)
        rc = batch_close(r, p.b, p.scanned);
    else if (p.b) /* a batch begun but not passed on */
        for (size_t i = 0; i < p.b->n; i++)
            mail_rec_clear(&p.b->rec[i]);
    r->rc = rc;
    struct mail_queue *q = r->q;
    if (q->threaded) {
        pthread_mutex_lock(&q->mu);
        q->done = 1;
        pthread_cond_signal(&q->more);
        pthread_mutex_unlock(&q->mu);
    }
    return NULL;
}

/* For a message that would be a contact: whether its parts hold a
 * calendar item (the whole message parsed, its contents left in the
 * file). */
struct cal_ref {
    struct mail_sink *s;
    const struct mail_rec *r;
};

static int
rec_is_calendar(void *ctx)
{
    struct cal_ref *c = ctx;
    if (c->r->calendar >= 0)
        return c->r->calendar;
    pthread_mutex_lock(&c->s->q->gmime);
    GMimeMessage *full = parse_range(&c->s->g, c->r->start, c->r->end);
    int cal = full && is_calendar(full);
    if (full)
        g_object_unref(full);
    pthread_mutex_unlock(&c->s->q->gmime);
    return cal;
}

/* Hands one message to the sink. A reject names the line where the
 * message starts. 0, or -1 on a database error. */
static int
mail_deliver(struct mail_sink *s, const struct mail_rec *r)
{
    struct import *imp = s->imp;
    imp->rows++;
    if (!r->parsed) {
        imp->skipped++;
        return 0;
    }
    struct cal_ref cal = {s, r};
    struct message m = {
        .key = r->key,
        .sender = r->a.sender,
        .rcpt = (const char *const *)r->a.rcpt,
        .nrcpt = r->a.n,
        .total = r->a.total,
        .has_time = r->has_time,
        .sent_at = r->ts,
        .medium = tether_medium_names[TETHER_MEDIUM_EMAIL],
        .calendar_check = rec_is_calendar,
        .calendar_ctx = &cal,
    };
    char why[512];
    enum msg_result res = msg_sink_put(s->sink, &m, why, sizeof(why));
    if (res == MSG_REJECT)
        import_reject(imp, r->line, NULL, NULL, "%s", why);
    return res == MSG_ERROR ? -1 : 0;
}

/* Every message of the batch, which is left empty. 0, or -1 (a database
 * error: the rest of the batch is dropped). */
static int
mail_deliver_batch(struct mail_sink *s, struct mail_batch *b)
{
    int rc = 0;
    for (size_t i = 0; i < b->n; i++) {
        if (rc == 0)
            rc = mail_deliver(s, &b->rec[i]);
        mail_rec_clear(&b->rec[i]);
    }
    b->n = 0;
    tether_progress_update(&s->imp->progress, (uint64_t)b->scanned);
    return rc;
}

/* The sink's loop: the batches in the reader's order until the reader is
 * done. 0, or -1 on a database error, after which the reader is told to
 * stop. */
static int
sink_run(struct mail_sink *s)
{
    struct mail_queue *q = s->q;
    size_t tail = 0;
    int rc = 0;
    for (;;) {
        pthread_mutex_lock(&q->mu);
        while (q->filled == 0 && !q->done)
            pthread_cond_wait(&q->more, &q->mu);
        int empty = q->filled == 0;
        pthread_mutex_unlock(&q->mu);
        if (empty)
            break;
        struct mail_batch *b = q->batch[tail];
        if (rc == 0)
            rc = mail_deliver_batch(s, b);
        else
            for (size_t i = 0; i < b->n; i++)
                mail_rec_clear(&b->rec[i]);
        b->n = 0;
        tail = (tail + 1) % QUEUE_BATCHES;
        pthread_mutex_lock(&q->mu);
        q->filled--;
        if (rc)
            q->cancel = 1;
        pthread_cond_signal(&q->room);
        pthread_mutex_unlock(&q->mu);
    }
    return rc;
}

/* Opens path read-only for GMime: a descriptor, or -1 (errbuf). */
static int
open_for_gmime(const char *path, char *errbuf)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        snprintf(errbuf, TETHER_ERRBUF, "cannot open '%s': %s", path,
                 strerror(errno));
    return fd;
}

static int
mail_load(struct import *imp, int mbox)
{
    struct mail_queue *q = tether_xcalloc(1, sizeof(*q));
    struct mail_reader r = {.q = q, .path = imp->path, .mbox = mbox};
    struct mail_sink s = {.imp = imp, .q = q};
    int rc = -1, fd1, fd2 = -1;
    pthread_mutex_init(&q->mu, NULL);
    pthread_mutex_init(&q->gmime, NULL);
    pthread_cond_init(&q->more, NULL);
    pthread_cond_init(&q->room, NULL);
    if ((fd1 = open_for_gmime(imp->path, imp->errbuf)) < 0)
        goto out;
    mail_gmime_init(&r.g, fd1); /* owns fd1 */
    if ((fd2 = open_for_gmime(imp->path, imp->errbuf)) < 0)
        goto out;
    mail_gmime_init(&s.g, fd2);
    if (!(r.fp = fopen(imp->path, "rb"))) {
        snprintf(imp->errbuf, TETHER_ERRBUF, "cannot open '%s': %s",
                 imp->path, strerror(errno));
        goto out;
    }
    /* A BOM glued to the first separator (seen in real mailboxes). */
    char bom[3];
    if (fread(bom, 1, 3, r.fp) == 3 && memcmp(bom, "\xef\xbb\xbf", 3) == 0)
        r.base = 3;
    if (fseek(r.fp, (long)r.base, SEEK_SET)) {
        snprintf(imp->errbuf, TETHER_ERRBUF, "cannot read '%s'", imp->path);
        goto out;
    }
    if (!(s.sink = msg_sink_new(imp, "mailbox")))
        goto out;
    gint64 size = g_mime_stream_length(s.g.file);
    tether_progress_start(&imp->progress, imp->path,
                          size > 0 ? (uint64_t)size : 0, imp->opts->quiet);
    /* One message (.eml) needs no second thread; without one (it could
     * not be started) the reader delivers each batch itself. */
    pthread_t th;
    q->threaded = mbox; /* set before the reader starts: it reads it */
    if (q->threaded && pthread_create(&th, NULL, reader_run, &r) != 0)
        q->threaded = 0;
    int sink_rc = 0;
    if (q->threaded) {
        sink_rc = sink_run(&s);
        pthread_join(th, NULL);
    } else {
        r.sink = &s;
        reader_run(&r);
    }
    /* The sink's error first: the reader only stopped because of it. */
    if (sink_rc == 0 && r.rc) {
        if (r.errbuf[0])
            snprintf(imp->errbuf, TETHER_ERRBUF, "%s", r.errbuf);
    }
    rc = sink_rc || r.rc ? -1 : 0;
    if (rc == 0)
        rc = msg_sink_finish(s.sink);
out:
    msg_sink_free(s.sink);
    if (r.fp)
        fclose(r.fp);
    mail_gmime_clear(&r.g);
    mail_gmime_clear(&s.g);
    pthread_cond_destroy(&q->more);
    pthread_cond_destroy(&q->room);
    pthread_mutex_destroy(&q->gmime);
    pthread_mutex_destroy(&q->mu);
    for (size_t i = 0; i < QUEUE_BATCHES; i++)
        free(q->batch[i]);
    free(q);
    return rc;
}

int
mbox_load(struct import *imp)
{
    return mail_load(imp, 1);
}

int
eml_load(struct import *imp)
{
    return mail_load(imp, 0);
}
