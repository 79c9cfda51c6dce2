/* trace.c - the mail server's view: Microsoft 365 / Exchange Online
 * message trace CSV (the admin center's historical search, with or without
 * routing details, and Get-MessageTrace piped to Export-Csv) and Google
 * Workspace's Email Log Search export. A trace is organisation-wide: it
 * covers everyone. The layouts are in testdata/comms/FORMATS.md, section
 * 3; each file holds one row per recipient (or per event), and the rows of
 * one message come together, so they are folded while they keep the same
 * Message-ID. */
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

/* The message being folded from its rows. */
struct trace_ctx {
    struct msg_sink *sink;
    int checked;
    char *id; /* NULL: none yet */
    char *sender;
    int has_time;
    int64_t sent_at;
    char *rcpt[MAX_MESSAGE_RECIPIENTS + 1];
    size_t n, total;
    long line;
    char *raw;
};

static void
trace_clear(struct trace_ctx *t)
{
    free(t->id);
    free(t->sender);
    free(t->raw);
    for (size_t i = 0; i < t->n; i++)
        free(t->rcpt[i]);
    t->id = t->sender = t->raw = NULL;
    t->n = t->total = 0;
    t->has_time = 0;
}

/* Hands the folded message to the sink. */
static int
trace_flush(struct trace_ctx *t, struct import *imp)
{
    if (!t->id)
        return 0;
    char *key = tether_xasprintf("msg:%s", t->id);
    struct message m = {
        .key = key,
        .sender = t->sender,
        .rcpt = (const char *const *)t->rcpt,
        .nrcpt = t->n,
        .total = t->total,
        .has_time = t->has_time,
        .sent_at = t->sent_at,
        .medium = tether_medium_names[TETHER_MEDIUM_EMAIL],
    };
    char why[512];
    enum msg_result r = msg_sink_put(t->sink, &m, why, sizeof(why));
    if (r == MSG_REJECT)
        import_reject(imp, t->line, NULL, t->raw, "%s", why);
    free(key);
    trace_clear(t);
    return r == MSG_ERROR ? -1 : 0;
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

static void
add_rcpt(struct trace_ctx *t, const char *addr, int direct)
{
    char *a = tether_str_lower(tether_str_trim(tether_xstrdup(addr)));
    size_t len = strlen(a);
    if (len >= 2 && a[0] == '<' && a[len - 1] == '>') {
        memmove(a, a + 1, len - 2);
        a[len - 2] = '\0';
    }
    int dup = !*a || (t->sender && strcmp(a, t->sender) == 0);
    for (size_t i = 0; i < t->n && !dup; i++)
        dup = strcmp(t->rcpt[i], a) == 0;
    if (dup) {
        free(a);
        return;
    }
    t->total++;
    if (direct && t->n < MAX_MESSAGE_RECIPIENTS + 1)
        t->rcpt[t->n++] = a;
    else
        free(a);
}

/* Adds the recipients of a cell: one address, Google's list, or the
 * historical search's address##status entries. */
static void
add_cell(struct trace_ctx *t, const char *cell, const char *sep, int direct)
{
    char *list = tether_xstrdup(cell);
    for (char *save, *e = strtok_r(list, sep, &save); e;
         e = strtok_r(NULL, sep, &save)) {
        char *hash = strstr(e, "##");
        int d = direct;
        if (hash) {
            /* "a@b##Receive, Deliver": the status after the address. */
            d = d && !strstr(hash + 2, "Fail");
            *hash = '\0';
        }
        if (strchr(e, '@'))
            add_rcpt(t, e, d);
    }
    free(list);
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
    const char *id = pick(r, T_MESSAGE_ID, T_MESSAGE_ID_G);
    char *norm = tether_str_trim(tether_xstrdup(
        *id ? id : pick(r, T_NETWORK_ID, T_TRACE_ID)));
    size_t len = strlen(norm);
    if (len >= 2 && norm[0] == '<' && norm[len - 1] == '>') {
        memmove(norm, norm + 1, len - 2);
        norm[len - 2] = '\0';
    }
    if (!*norm) {
        free(norm);
        row_reject(r, T_MESSAGE_ID, "no message id");
        return 0;
    }
    size_t wcol;
    const char *when = pick_at(r, T_ORIGIN_UTC, T_START_DATE, &wcol);
    int64_t ts = 0;
    int has_time = *when && parse_time(when, &ts) == 0;
    if (*when && !has_time) {
        free(norm);
        row_reject(r, wcol, "'%s' is not a time", when);
        return 0;
    }
    if (!t->id || strcmp(t->id, norm) != 0) {
        if (trace_flush(t, imp)) {
            free(norm);
            return -1;
        }
        t->id = norm;
        t->sender = tether_str_lower(
            tether_str_trim(tether_xstrdup(pick(r, T_SENDER_ADDRESS, T_SENDER))));
        t->line = tether_csv_line(r->csv);
        t->raw = tether_xstrdup(tether_csv_raw(r->csv));
    } else {
        free(norm);
    }
    if (has_time && (!t->has_time || ts < t->sent_at)) {
        t->sent_at = ts;
        t->has_time = 1;
    }
    /* A distribution list's own row (its members have theirs), and the
     * routing events that are not a delivery, name no recipient. */
    const char *status = row_get(r, T_STATUS);
    const char *event = row_get(r, T_EVENT_ID);
    if (strcasecmp(status, "Expanded") == 0)
        return 0;
    if (*event && strcasecmp(event, "DELIVER") != 0 &&
        strcasecmp(event, "SEND") != 0 && strcasecmp(event, "FAIL") != 0)
        return 0;
    int direct = strcasecmp(status, "Failed") != 0 &&
                 strcasecmp(status, "FilteredAsSpam") != 0 &&
                 strcasecmp(status, "Quarantined") != 0 &&
                 strcasecmp(event, "FAIL") != 0;
    add_cell(t, pick(r, T_RECIPIENT_ADDRESS, T_RECIPIENT_ADDRESS_G), ";, \t",
             direct);
    add_cell(t, row_get(r, T_RECIPIENT_STATUS), ";", direct);
    return 0;
}

int
trace_load(struct import *imp)
{
    struct trace_ctx t = {0};
    if (!(t.sink = msg_sink_new(imp, "organisation")))
        return -1;
    int rc = csv_import_run(imp, columns, T_COUNT, 0, trace_row, &t);
    if (rc == 0)
        rc = trace_flush(&t, imp);
    if (rc == 0)
        rc = msg_sink_finish(t.sink);
    trace_clear(&t);
    msg_sink_free(t.sink);
    return rc;
}
