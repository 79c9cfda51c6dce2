/* mail.c - mailboxes (mbox: mboxo, mboxrd, Google Takeout, Thunderbird)
 * and single messages (.eml), parsed with GMime. Only the headers that say
 * who wrote to whom and when are read; the parser works on the file
 * itself (a seekable stream), so a part's content stays in the file and a
 * 100 MB message costs no 100 MB of memory. */
#include "collect.h"

#include <errno.h>
#include <fcntl.h>
#include <gmime/gmime.h>
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
    char *rcpt[MAX_MESSAGE_RECIPIENTS + 1];
    size_t n;
    size_t total; /* recipients, also those past the array */
};

static void
addrs_clear(struct addrs *a)
{
    free(a->sender);
    for (size_t i = 0; i < a->n; i++)
        free(a->rcpt[i]);
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
        if (a->n < MAX_MESSAGE_RECIPIENTS + 1)
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

struct mail_ctx {
    struct import *imp;
    struct msg_sink *sink;
    GMimeParserOptions *po;
    GMimeStream *file; /* the whole file; messages are substreams of it */
};

/* Parses [start, end) of the file with GMime: a message, or NULL. */
static GMimeMessage *
parse_range(struct mail_ctx *x, gint64 start, gint64 end)
{
    GMimeStream *sub = g_mime_stream_substream(x->file, start, end);
    GMimeParser *parser = g_mime_parser_new_with_stream(sub);
    g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
    g_mime_parser_set_persist_stream(parser, TRUE);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, x->po);
    g_object_unref(parser);
    g_object_unref(sub);
    return msg;
}

/* The whole message, for its parts: only asked for when its headers make
 * it a contact and say it has parts (an invitation is a multipart). */
struct body_ref {
    struct mail_ctx *x;
    GMimeMessage *headers;
    gint64 start, end;
};

static int
body_is_calendar(void *ctx)
{
    struct body_ref *b = ctx;
    GMimeObject *top = g_mime_message_get_mime_part(b->headers);
    GMimeContentType *ct = top ? g_mime_object_get_content_type(top) : NULL;
    if (!ct || !g_mime_content_type_is_type(ct, "multipart", "*"))
        return is_calendar(b->headers);
    GMimeMessage *full = parse_range(b->x, b->start, b->end);
    int cal = full && is_calendar(full);
    if (full)
        g_object_unref(full);
    return cal;
}

/* Hands the message in [start, end) of the file to the sink; its header
 * block ends at hdr_end (-1: unknown, parse it all). The separator line
 * (skip bytes) is no header. A reject names line, where the message
 * starts. 0, or -1 on a database error. */
static int
mail_message(struct mail_ctx *x, gint64 start, gint64 skip, gint64 hdr_end,
             gint64 end, long line, const char *marker)
{
    /* The headers alone first: most messages of a mailbox are no contact,
     * and for those the body is never read. */
    GMimeMessage *msg = parse_range(x, start + skip,
                                    hdr_end >= 0 ? hdr_end : end);
    int rc = 0;
    x->imp->rows++;
    if (!msg) {
        /* Not even headers: nothing said who wrote to whom. */
        x->imp->skipped++;
        return 0;
    }
    struct addrs a = {0};
    const char *from = first_mailbox(g_mime_message_get_from(msg));
    if (!from)
        from = first_mailbox(g_mime_message_get_sender(msg));
    a.sender = tether_str_lower(tether_xstrdup(from ? from : ""));
    add_list(&a, g_mime_message_get_to(msg));
    add_list(&a, g_mime_message_get_cc(msg));
    int64_t ts = 0;
    int has_time = message_time(msg, marker, &ts) == 0;
    const char *mid = g_mime_message_get_message_id(msg);
    char *key;
    if (mid && *mid) {
        key = tether_xasprintf("msg:%s", mid);
    } else {
        /* No Message-ID: the same sender, recipients and time are the
         * same message. */
        uint64_t h = tether_hash(TETHER_HASH_INIT, a.sender, strlen(a.sender));
        for (size_t i = 0; i < a.n; i++)
            h = tether_hash(h, a.rcpt[i], strlen(a.rcpt[i]) + 1);
        h = tether_hash(h, &ts, sizeof(ts));
        key = tether_xasprintf("msg:none:%016llx", (unsigned long long)h);
    }
    struct body_ref body = {x, msg, start + skip, end};
    struct message m = {
        .key = key,
        .sender = a.sender,
        .rcpt = (const char *const *)a.rcpt,
        .nrcpt = a.n,
        .total = a.total,
        .has_time = has_time,
        .sent_at = ts,
        .medium = tether_medium_names[TETHER_MEDIUM_EMAIL],
        .calendar_check = body_is_calendar,
        .calendar_ctx = &body,
    };
    char why[512];
    enum msg_result r = msg_sink_put(x->sink, &m, why, sizeof(why));
    if (r == MSG_REJECT)
        import_reject(x->imp, line, NULL, NULL, "%s", why);
    rc = r == MSG_ERROR ? -1 : 0;
    free(key);
    addrs_clear(&a);
    g_object_unref(msg);
    return rc;
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
 * whatever the size. */
#define SCAN_BLOCK (1 << 20)
#define SCAN_AHEAD 4096 /* bytes kept ahead of a line: the next line */
static int
mbox_split(struct mail_ctx *x, FILE *fp, gint64 base)
{
    struct import *imp = x->imp;
    char *buf = tether_xmalloc(SCAN_BLOCK);
    size_t len = 0, pos = 0; /* pos: the start of the line looked at */
    gint64 off = base;       /* file offset of buf[0] */
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
                snprintf(imp->errbuf, TETHER_ERRBUF, "cannot read '%s'",
                         imp->path);
                rc = -1;
                goto out;
            }
            eof = got == 0;
            len += got;
            tether_progress_update(&imp->progress,
                                   (uint64_t)(off + (gint64)len));
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
                (rc = mail_message(x, start, start_skip, hdr_end, here,
                                   start_line, marker)))
                goto out;
            hdr_end = -1;
            start = here;
            start_skip = (gint64)ll;
            start_line = line;
            snprintf(marker, sizeof(marker), "%.*s",
                     (int)(ll < sizeof(marker) ? ll : sizeof(marker) - 1), l);
            marker[strcspn(marker, "\r\n")] = '\0';
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
        snprintf(imp->errbuf, TETHER_ERRBUF,
                 "%s: no \"From \" separator line: not an mbox", imp->path);
        rc = -1;
    } else {
        rc = mail_message(x, start, start_skip, hdr_end, off + (gint64)len,
                          start_line, marker);
    }
out:
    free(buf);
    return rc;
}

static int
mail_load(struct import *imp, int mbox)
{
    struct mail_ctx x = {.imp = imp};
    int rc = -1;
    FILE *fp = NULL;
    x.po = g_mime_parser_options_new();
    int fd = open(imp->path, O_RDONLY);
    if (fd < 0 || !(fp = fopen(imp->path, "rb"))) {
        snprintf(imp->errbuf, TETHER_ERRBUF, "cannot open '%s': %s",
                 imp->path, strerror(errno));
        if (fd >= 0)
            close(fd);
        goto out;
    }
    x.file = g_mime_stream_fs_new(fd); /* owns fd */
    /* A BOM glued to the first separator (seen in real mailboxes). */
    char bom[3];
    gint64 start = 0;
    if (fread(bom, 1, 3, fp) == 3 && memcmp(bom, "\xef\xbb\xbf", 3) == 0)
        start = 3;
    if (fseek(fp, (long)start, SEEK_SET)) {
        snprintf(imp->errbuf, TETHER_ERRBUF, "cannot read '%s'", imp->path);
        goto out;
    }
    if (!(x.sink = msg_sink_new(imp, "mailbox")))
        goto out;
    gint64 size = g_mime_stream_length(x.file);
    tether_progress_start(&imp->progress, imp->path,
                          size > 0 ? (uint64_t)size : 0, imp->opts->quiet);
    if (mbox)
        rc = mbox_split(&x, fp, start);
    else
        rc = mail_message(&x, start, 0, -1, -1, 1, NULL);
    if (rc == 0)
        rc = msg_sink_finish(x.sink);
out:
    msg_sink_free(x.sink);
    if (x.file)
        g_object_unref(x.file);
    if (fp)
        fclose(fp);
    g_mime_parser_options_free(x.po);
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
