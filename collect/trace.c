/* trace.c - the mail server's view: Microsoft 365 / Exchange Online
 * message trace CSV (the admin center's historical search, with or without
 * routing details, and Get-MessageTrace piped to Export-Csv) and Google
 * Workspace's Email Log Search export. A trace is organisation-wide: it
 * covers everyone. The layouts are in testdata/comms/FORMATS.md, section
 * 3; each file holds one row per recipient (or per event), in time order,
 * and the rows of one message (one Message-ID) are folded into it even
 * when other messages' rows come between them. */
#include "collect.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tether/csv.h"
#include "tether/timeutil.h"
#include "tether/util.h"

/* Every spelling of the columns tether reads, grouped by meaning. */
enum {
    T_ORIGIN_UTC, /* the time the service received the message */
    T_ORIGIN,
    T_DATE_TIME_UTC,
    T_RECEIVED,
    T_START_DATE,
    T_SENDER_ADDRESS, /* the sender */
    T_SENDERADDRESS,
    T_SENDER,
    T_RECIPIENT_ADDRESS, /* one recipient (or Google: all of them) */
    T_RECIPIENTADDRESS,
    T_RECIPIENT_ADDRESS_G,
    T_RECIPIENT_STATUS, /* address##status;... */
    T_MESSAGE_ID,       /* the Internet Message-ID */
    T_MESSAGEID,
    T_MESSAGE_ID_G,
    T_NETWORK_ID, /* unique ids when the Message-ID is empty */
    T_TRACE_ID,
    T_STATUS, /* Delivered, Expanded, Failed, ... */
    T_EVENT_ID,
    T_COUNT
};

static const struct column columns[T_COUNT] = {
    {"origin_timestamp_utc", 0}, {"origin_timestamp", 0},
    {"date_time_utc", 0},        {"Received", 0},
    {"Start date", 0},           {"sender_address", 0},
    {"SenderAddress", 0},        {"Sender", 0},
    {"recipient_address", 0},    {"RecipientAddress", 0},
    {"Recipient address", 0},    {"recipient_status", 0},
    {"message_id", 0},
    {"MessageId", 0},            {"Message ID", 0},
    {"network_message_id", 0},   {"MessageTraceId", 0},
    {"Status", 0},               {"event_id", 0},
};

/* The groups a trace must have one column of. */
static const struct {
    const char *what;
    int first, last;
} groups[] = {
    {"a time (origin_timestamp, Received, Start date)", T_ORIGIN_UTC,
     T_START_DATE},
    {"a sender (sender_address, SenderAddress, Sender)", T_SENDER_ADDRESS,
     T_SENDER},
    {"recipients (recipient_address, RecipientAddress, Recipient address, "
     "recipient_status)",
     T_RECIPIENT_ADDRESS, T_RECIPIENT_STATUS},
    {"a message id (message_id, MessageId, Message ID)", T_MESSAGE_ID,
     T_TRACE_ID},
};

int
trace_detect(const char *head, size_t n)
{
    /* The first line, narrowed from UTF-16 (every other byte NUL). */
    char line[1024];
    size_t k = 0, i = 0;
    if (n >= 2 && ((unsigned char)head[0] == 0xff ||
                   (unsigned char)head[0] == 0xfe))
        i = 2;
    for (; i < n && k + 1 < sizeof(line); i++) {
        if (head[i] == '\0')
            continue;
        if (head[i] == '\n' || head[i] == '\r')
            break;
        line[k++] = (char)tolower((unsigned char)head[i]);
    }
    line[k] = '\0';
    int sender = strstr(line, "sender_address") || strstr(line, "senderaddress") ||
                 strstr(line, "sender");
    int rcpt = strstr(line, "recipient") != NULL;
    int id = strstr(line, "message_id") || strstr(line, "messageid") ||
             strstr(line, "message id");
    return sender && rcpt && id && strchr(line, ',') != NULL;
}

/* Rows of one message are folded for as long as they can still come: the
 * file is in time order (or in no order, one message's rows together), and
 * Exchange writes a message's rows for its recipients within seconds of
 * each other, with other messages' rows between them. A message is handed
 * on once a row more than FOLD_WINDOW seconds from its own rows arrives, or
 * when FOLD_OPEN messages or FOLD_BYTES of their text are open (the oldest
 * first): memory stays bounded whatever the file. */
#define FOLD_WINDOW (60 * 60)
#define FOLD_OPEN 16384 /* a power of two */
#define FOLD_BYTES (32u << 20)
/* A slot's text above this is freed when the slot is reused, so that one
 * long row does not keep its memory for the rest of the file. */
#define FOLD_KEEP 4096

/* A message being folded from its rows. Its text holds "msg:" and the id,
 * then the sender, the first row (when that row has no time: only a
 * message without a time is rejected) and the direct recipients, each
 * NUL-terminated. */
struct folding {
    struct tether_buf text;
    size_t id_len; /* "msg:" and the id */
    size_t sender, raw; /* offsets; raw is SIZE_MAX when not kept */
    size_t rcpt[MAX_MESSAGE_RECIPIENTS + 1];
    size_t n, total;
    uint64_t hash;
    int has_time;
    int64_t sent_at; /* the earliest row's time */
    int64_t last_at; /* the latest row's time */
    long line;       /* the first row's */
};

struct trace_ctx {
    struct msg_sink *sink;
    int checked;
    struct folding *slot; /* cap, a ring in order of first row */
    size_t cap;           /* a power of two, up to FOLD_OPEN */
    size_t head, open, bytes;
    uint32_t *index; /* 2 * cap: 1 + a slot's number, 0 empty */
    struct tether_buf id; /* this row's id, with "msg:" */
};

static uint64_t
id_hash(const char *s, size_t n)
{
    uint64_t h = tether_hash(TETHER_HASH_INIT, s, n);
    h ^= h >> 33; /* FNV's low bits, which pick the bucket, mix little */
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 33);
}

/* The index bucket of the open message with this id, or the empty bucket
 * where it would go. */
static size_t
fold_bucket(const struct trace_ctx *t, const char *id, size_t n, uint64_t h)
{
    size_t mask = 2 * t->cap - 1;
    for (size_t b = (size_t)h & mask;; b = (b + 1) & mask) {
        uint32_t v = t->index[b];
        if (!v)
            return b;
        const struct folding *f = &t->slot[v - 1];
        if (f->hash == h && f->id_len == n && memcmp(f->text.data, id, n) == 0)
            return b;
    }
}

/* Empties bucket b, moving the buckets after it back so that every open
 * message stays reachable from its home bucket (linear probing). */
static void
fold_unindex(struct trace_ctx *t, size_t b)
{
    size_t mask = 2 * t->cap - 1;
    t->index[b] = 0;
    for (size_t j = (b + 1) & mask; t->index[j]; j = (j + 1) & mask) {
        size_t home = (size_t)t->slot[t->index[j] - 1].hash & mask;
        /* Moves j to b when its home is not within (b, j] cyclically. */
        if (((j - home) & mask) >= ((j - b) & mask)) {
            t->index[b] = t->index[j];
            t->index[j] = 0;
            b = j;
        }
    }
}

/* Doubles the ring (its messages from slot 0 on, in order) and its index:
 * most files never have more than a few messages open. */
static void
fold_grow(struct trace_ctx *t)
{
    size_t cap = 2 * t->cap, mask = 2 * cap - 1;
    struct folding *slot = tether_xcalloc(cap, sizeof(*slot));
    for (size_t i = 0; i < t->cap; i++)
        slot[i] = t->slot[(t->head + i) & (t->cap - 1)];
    free(t->slot);
    free(t->index);
    t->slot = slot;
    t->cap = cap;
    t->head = 0;
    t->index = tether_xcalloc(2 * cap, sizeof(*t->index));
    for (size_t i = 0; i < t->open; i++) {
        size_t b = (size_t)slot[i].hash & mask;
        while (t->index[b])
            b = (b + 1) & mask;
        t->index[b] = (uint32_t)i + 1;
    }
}

/* Hands the oldest open message to the sink. */
static int
fold_flush_head(struct trace_ctx *t, struct import *imp)
{
    struct folding *f = &t->slot[t->head];
    const char *text = f->text.data;
    fold_unindex(t, fold_bucket(t, text, f->id_len, f->hash));
    const char *rcpt[MAX_MESSAGE_RECIPIENTS + 1];
    for (size_t i = 0; i < f->n; i++)
        rcpt[i] = text + f->rcpt[i];
    struct message m = {
        .key = text,
        .sender = text + f->sender,
        .rcpt = rcpt,
        .nrcpt = f->n,
        .total = f->total,
        .has_time = f->has_time,
        .sent_at = f->sent_at,
        .medium = tether_medium_names[TETHER_MEDIUM_EMAIL],
    };
    char why[512];
    enum msg_result r = msg_sink_put(t->sink, &m, why, sizeof(why));
    if (r == MSG_REJECT)
        import_reject(imp, f->line, NULL,
                      f->raw == SIZE_MAX ? "" : text + f->raw, "%s", why);
    t->bytes -= f->text.len;
    if (f->text.cap > FOLD_KEEP)
        tether_buf_free(&f->text);
    tether_buf_reset(&f->text);
    t->head = (t->head + 1) & (t->cap - 1);
    t->open--;
    return r == MSG_ERROR ? -1 : 0;
}

/* Hands on the open messages that no row to come can belong to any more,
 * now that a row of cur (NULL: of none) at ts (when has_time) was read:
 * -1 on an error, 1 when cur was among them, else 0. */
static int
fold_expire(struct trace_ctx *t, struct import *imp, const struct folding *cur,
            int has_time, int64_t ts)
{
    /* A row of cur far from cur's other rows is a new message of the same
     * id: cur and the older messages go. */
    int64_t d = cur && cur->has_time ? ts - cur->last_at : 0;
    int cur_expired = has_time && (d > FOLD_WINDOW || d < -FOLD_WINDOW);
    while (t->open) {
        const struct folding *f = &t->slot[t->head];
        d = ts - f->last_at;
        /* Without a time to compare, a message lasts as long as its rows
         * come one after another. */
        int expired = f == cur ? cur_expired
                               : cur_expired || t->open == FOLD_OPEN ||
                                     t->bytes > FOLD_BYTES || !has_time ||
                                     !f->has_time || d > FOLD_WINDOW ||
                                     d < -FOLD_WINDOW;
        if (!expired)
            break;
        if (fold_flush_head(t, imp))
            return -1;
        if (f == cur)
            return 1;
    }
    return 0;
}

static int
trace_flush_all(struct trace_ctx *t, struct import *imp)
{
    while (t->open)
        if (fold_flush_head(t, imp))
            return -1;
    return 0;
}

static void
trace_free(struct trace_ctx *t)
{
    if (t->slot)
        for (size_t i = 0; i < t->cap; i++)
            tether_buf_free(&t->slot[i].text);
    free(t->slot);
    free(t->index);
    tether_buf_free(&t->id);
}

/* Appends n bytes of s and a NUL to f's text; the offset of the copy. */
static size_t
fold_add(struct folding *f, const char *s, size_t n)
{
    size_t off = f->text.len;
    tether_buf_add(&f->text, s, n);
    tether_buf_addc(&f->text, '\0');
    return off;
}

/* The first non-empty value of columns first..last, and which it is. */
static const char *
pick_at(const struct csv_row *r, int first, int last, size_t *which)
{
    *which = (size_t)first;
    for (int k = first; k <= last; k++) {
        if (*row_get(r, (size_t)k)) {
            *which = (size_t)k;
            return row_get(r, (size_t)k);
        }
    }
    return "";
}

static const char *
pick(const struct csv_row *r, int first, int last)
{
    size_t which;
    return pick_at(r, first, last, &which);
}

static int
is_blank_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Adds the address of n bytes at addr to f, lower-case, unless it is the
 * sender or a recipient already; beyond the direct ones only counted. */
static void
add_rcpt(struct folding *f, const char *addr, size_t n, int direct)
{
    while (n && is_blank_byte(*addr))
        addr++, n--;
    while (n && is_blank_byte(addr[n - 1]))
        n--;
    if (n >= 2 && addr[0] == '<' && addr[n - 1] == '>')
        addr++, n -= 2;
    if (!n)
        return;
    /* Copied first and taken back when not kept: no buffer of its own. */
    size_t len = f->text.len;
    size_t off = fold_add(f, addr, n);
    char *a = tether_str_lower(f->text.data + off);
    int dup = strcmp(a, f->text.data + f->sender) == 0;
    for (size_t i = 0; i < f->n && !dup; i++)
        dup = strcmp(f->text.data + f->rcpt[i], a) == 0;
    if (!dup)
        f->total++;
    if (!dup && direct && f->n < MAX_MESSAGE_RECIPIENTS + 1) {
        f->rcpt[f->n++] = off;
        return;
    }
    f->text.len = len;
    f->text.data[len] = '\0';
}

/* Does "Fail" occur in the n bytes at s? */
static int
has_fail(const char *s, size_t n)
{
    for (size_t i = 0; i + 4 <= n; i++)
        if (memcmp(s + i, "Fail", 4) == 0)
            return 1;
    return 0;
}

/* Adds the recipients of a cell: one address, Google's list, or the
 * historical search's address##status entries. */
static void
add_cell(struct folding *f, const char *cell, const char *sep, int direct)
{
    for (const char *e = cell; *e;) {
        size_t n = strcspn(e, sep);
        size_t addr = n;
        int d = direct;
        for (size_t i = 0; i + 1 < n; i++) {
            if (e[i] == '#' && e[i + 1] == '#') {
                /* "a@b##Receive, Deliver": the status after the address. */
                addr = i;
                d = d && !has_fail(e + i + 2, n - i - 2);
                break;
            }
        }
        if (memchr(e, '@', addr))
            add_rcpt(f, e, addr, d);
        e += n;
        if (*e)
            e++;
    }
}

static int
parse_time(const char *s, int64_t *ts)
{
    /* ISO 8601, with 7 fractional digits and no offset in Get-MessageTrace
     * (UTC); else a locale date such as Google's. */
    if (tether_ts_parse(s, "UTC", ts) == 0)
        return 0;
    struct loctime lt;
    if (loctime_parse(s, DATE_ORDER_MDY, &lt) == 0 && lt.has_date &&
        loctime_to_utc(&lt, "UTC", ts) == 0)
        return 0;
    return -1;
}

static int
trace_row(struct csv_row *r, void *ctx)
{
    struct trace_ctx *t = ctx;
    struct import *imp = r->imp;
    if (!t->checked) {
        for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
            int have = 0;
            for (int k = groups[g].first; k <= groups[g].last; k++)
                have |= r->index[k] >= 0;
            if (!have) {
                snprintf(imp->errbuf, TETHER_ERRBUF,
                         "%s:1: no column for %s (is this a message trace?)",
                         imp->path, groups[g].what);
                return -1;
            }
        }
        t->checked = 1;
    }
    /* The values are trimmed already; the id loses its angle brackets. */
    const char *id = pick(r, T_MESSAGE_ID, T_MESSAGE_ID_G);
    if (!*id)
        id = pick(r, T_NETWORK_ID, T_TRACE_ID);
    size_t len = strlen(id);
    if (len >= 2 && id[0] == '<' && id[len - 1] == '>')
        id++, len -= 2;
    if (!len) {
        row_reject(r, T_MESSAGE_ID, "no message id");
        return 0;
    }
    size_t wcol;
    const char *when = pick_at(r, T_ORIGIN_UTC, T_START_DATE, &wcol);
    int64_t ts = 0;
    int has_time = *when && parse_time(when, &ts) == 0;
    if (*when && !has_time) {
        row_reject(r, wcol, "'%s' is not a time", when);
        return 0;
    }
    tether_buf_reset(&t->id);
    tether_buf_adds(&t->id, "msg:");
    tether_buf_add(&t->id, id, len);
    uint64_t h = id_hash(t->id.data, t->id.len);
    size_t b = fold_bucket(t, t->id.data, t->id.len, h);
    struct folding *f = t->index[b] ? &t->slot[t->index[b] - 1] : NULL;
    size_t was = f ? f->text.len : 0; /* the text counted in t->bytes */
    int gone = fold_expire(t, imp, f, has_time, ts);
    if (gone < 0)
        return -1;
    if (gone) {
        f = NULL;
        was = 0;
    }
    if (!f) {
        if (t->open == FOLD_OPEN && fold_flush_head(t, imp))
            return -1;
        if (t->open == t->cap)
            fold_grow(t);
        /* The flushes above may have moved buckets. */
        b = fold_bucket(t, t->id.data, t->id.len, h);
        size_t s = (t->head + t->open++) & (t->cap - 1);
        t->index[b] = (uint32_t)s + 1;
        f = &t->slot[s];
        f->id_len = t->id.len;
        f->hash = h;
        fold_add(f, t->id.data, t->id.len);
        const char *snd = pick(r, T_SENDER_ADDRESS, T_SENDER);
        f->sender = fold_add(f, snd, strlen(snd));
        tether_str_lower(f->text.data + f->sender);
        f->raw = SIZE_MAX;
        if (!has_time) {
            const char *raw = tether_csv_raw(r->csv);
            f->raw = fold_add(f, raw, strlen(raw));
        }
        f->n = f->total = 0;
        f->has_time = 0;
        f->line = tether_csv_line(r->csv);
    }
    if (has_time && (!f->has_time || ts < f->sent_at))
        f->sent_at = ts;
    if (has_time && (!f->has_time || ts > f->last_at))
        f->last_at = ts;
    f->has_time |= has_time;
    /* A distribution list's own row (its members have theirs), and the
     * routing events that are not a delivery, name no recipient. */
    const char *status = row_get(r, T_STATUS);
    const char *event = row_get(r, T_EVENT_ID);
    if (strcasecmp(status, "Expanded") != 0 &&
        (!*event || strcasecmp(event, "DELIVER") == 0 ||
         strcasecmp(event, "SEND") == 0 || strcasecmp(event, "FAIL") == 0)) {
        int direct = strcasecmp(status, "Failed") != 0 &&
                     strcasecmp(status, "FilteredAsSpam") != 0 &&
                     strcasecmp(status, "Quarantined") != 0 &&
                     strcasecmp(event, "FAIL") != 0;
        add_cell(f, pick(r, T_RECIPIENT_ADDRESS, T_RECIPIENT_ADDRESS_G),
                 ";, \t", direct);
        add_cell(f, row_get(r, T_RECIPIENT_STATUS), ";", direct);
    }
    t->bytes += f->text.len - was;
    return 0;
}

int
trace_load(struct import *imp)
{
    struct trace_ctx t = {0};
    if (!(t.sink = msg_sink_new(imp, "organisation")))
        return -1;
    t.cap = 64;
    t.slot = tether_xcalloc(t.cap, sizeof(*t.slot));
    t.index = tether_xcalloc(2 * t.cap, sizeof(*t.index));
    int rc = csv_import_run(imp, columns, T_COUNT, 0, trace_row, &t);
    if (rc == 0)
        rc = trace_flush_all(&t, imp);
    if (rc == 0)
        rc = msg_sink_finish(t.sink);
    trace_free(&t);
    msg_sink_free(t.sink);
    return rc;
}
