/* messages.c - what every message source of `tether-collect messages`
 * shares (SPEC 1.3a): which messages are contacts of a pair, the metadata
 * kept of them (sender, recipients, time, key: never a subject or a body),
 * and what the import saw (whose mail, over which span), which the
 * analysis needs to say that a summary was not sent. */
#include "collect.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "tether/db.h"
#include "tether/util.h"

/* Addresses a mailbox's owner may be among: the addresses of the first
 * message, narrowed by every later one. */
#define OWNER_CANDIDATES 64

/* The contacts of a file are stored by pair, WAITING at a time: contacts
 * is kept in pair order (its key begins with the pair), so contacts in
 * the order of a trace, a pair at random each, rewrote a page of the table
 * for almost every one of them; sorted, the pages are written in order and
 * each once per batch. With the bench's 1.35 million contacts SQLite alone
 * took 114 s to insert them in the file's order, 71 s sorted. About 150
 * bytes a message: WAITING bounds the memory it takes. */
#define WAITING 262144

#define META_BATCH 32
#define META_SQL                                                               \
    "INSERT OR IGNORE INTO messages (source_key, sender, recipients, "        \
    "sent_at, import_id) VALUES "
#define META_ROW "(?, ?, ?, ?, ?)"
#define META_COLUMNS 5

struct msg_sink {
    struct import *imp;
    struct contact_store *store;
    sqlite3_stmt *st_meta, *st_scope;
    const char *scope; /* organisation, mailbox or chat */
    int64_t first, last;
    long seen; /* messages with a time */
    char *cand[OWNER_CANDIDATES];
    size_t ncand;
    long messages; /* every message, for the owner's test */
    /* messages rows wait to be inserted META_BATCH to a statement, as the
     * contacts do (contacts.c): their texts in text, at these offsets. */
    sqlite3_stmt *st_meta_batch;
    struct tether_buf text;
    struct {
        size_t key, sender, rcpt;
        int64_t sent_at;
    } meta[META_BATCH];
    size_t nmeta;
    /* The contacts waiting (see WAITING): their texts in wtext, their
     * people (sender first) in wpeople. */
    struct waiting {
        int64_t pair, sent_at; /* the sort key: first pair, time, seq */
        size_t seq;
        /* Offsets in wtext; rcpt: the direct recipients, lower-case and
         * ';'-separated. */
        size_t key, sender, rcpt;
        size_t people, npeople;          /* in wpeople */
        const char *medium;
    } *wait;
    size_t nwait, cap_wait;
    struct tether_buf wtext;
    int64_t *wpeople;
    size_t npeople, cap_people;
};

struct msg_sink *
msg_sink_new(struct import *imp, const char *scope)
{
    struct msg_sink *s = tether_xcalloc(1, sizeof(*s));
    s->imp = imp;
    s->scope = scope;
    s->store = contact_store_new(imp);
    struct tether_buf batch = {0};
    tether_buf_adds(&batch, META_SQL META_ROW);
    for (int i = 1; i < META_BATCH; i++)
        tether_buf_adds(&batch, ", " META_ROW);
    int bad = !s->store ||
              tether_db_prepare(imp->db, batch.data, &s->st_meta_batch,
                                imp->errbuf);
    tether_buf_free(&batch);
    if (bad ||
        tether_db_prepare(imp->db, META_SQL META_ROW, &s->st_meta,
                          imp->errbuf) ||
        tether_db_prepare(imp->db,
                          "INSERT OR REPLACE INTO message_imports "
                          "(import_id, scope, owner, first_at, last_at, "
                          "summary_window_hours) VALUES "
                          "(?1, ?2, ?3, ?4, ?5, ?6)",
                          &s->st_scope, imp->errbuf)) {
        msg_sink_free(s);
        return NULL;
    }
    return s;
}

void
msg_sink_free(struct msg_sink *s)
{
    if (!s)
        return;
    contact_store_free(s->store);
    sqlite3_finalize(s->st_meta);
    sqlite3_finalize(s->st_meta_batch);
    sqlite3_finalize(s->st_scope);
    for (size_t i = 0; i < s->ncand; i++)
        free(s->cand[i]);
    tether_buf_free(&s->text);
    tether_buf_free(&s->wtext);
    free(s->wait);
    free(s->wpeople);
    free(s);
}

int
msg_address_ours(const struct collect_opts *o, const char *addr)
{
    if (!o->self || !*o->self)
        return 1;
    const char *at = strrchr(addr, '@');
    if (!at)
        return 0;
    at++;
    size_t n = strlen(at);
    for (const char *d = o->self; *d;) {
        const char *end = strchr(d, ',');
        size_t len = end ? (size_t)(end - d) : strlen(d);
        while (len && *d == ' ')
            d++, len--;
        while (len && d[len - 1] == ' ')
            len--;
        if (len == n && strncasecmp(d, at, n) == 0)
            return 1;
        if (!end)
            break;
        d = end + 1;
    }
    return 0;
}

/* Narrows the owner's candidates to the addresses of m. */
static void
owner_narrow(struct msg_sink *s, const struct message *m)
{
    if (s->messages++ == 0) {
        if (m->sender && *m->sender)
            s->cand[s->ncand++] = tether_str_lower(tether_xstrdup(m->sender));
        for (size_t i = 0; i < m->nrcpt && s->ncand < OWNER_CANDIDATES; i++)
            s->cand[s->ncand++] =
                tether_str_lower(tether_xstrdup(m->rcpt[i]));
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < s->ncand; i++) {
        int found = m->sender && strcasecmp(m->sender, s->cand[i]) == 0;
        for (size_t j = 0; j < m->nrcpt && !found; j++)
            found = strcasecmp(m->rcpt[j], s->cand[i]) == 0;
        if (found)
            s->cand[k++] = s->cand[i];
        else
            free(s->cand[i]);
    }
    s->ncand = k;
}

/* The people.id of an address of the organisation, or 0. */
static int64_t
person_of(struct msg_sink *s, const char *addr)
{
    if (!addr || !*addr || !msg_address_ours(s->imp->opts, addr))
        return 0;
    return person_by_email(s->imp, addr);
}

/* Appends n bytes of p and a NUL to b: their offset. */
static size_t
text_add(struct tether_buf *b, const char *p, size_t n)
{
    size_t off = b->len;
    tether_buf_add(b, p, n);
    tether_buf_addc(b, '\0');
    return off;
}

/* Inserts the messages rows of s->meta: a full batch in one statement,
 * fewer one by one. */
static enum msg_result
msg_meta_flush(struct msg_sink *s)
{
    struct import *imp = s->imp;
    int full = s->nmeta == META_BATCH;
    sqlite3_stmt *st = full ? s->st_meta_batch : s->st_meta;
    int step = SQLITE_DONE;
    for (size_t i = 0; i < s->nmeta && step == SQLITE_DONE; i++) {
        int p = full ? (int)i * META_COLUMNS + 1 : 1;
        const char *t = s->text.data;
        sqlite3_bind_text(st, p, t + s->meta[i].key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, p + 1, t + s->meta[i].sender, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, p + 2, t + s->meta[i].rcpt, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, p + 3, s->meta[i].sent_at);
        sqlite3_bind_int64(st, p + 4, imp->id);
        if (!full || i == META_BATCH - 1) {
            step = sqlite3_step(st);
            sqlite3_reset(st);
        }
    }
    s->nmeta = 0;
    tether_buf_reset(&s->text);
    if (step != SQLITE_DONE) {
        snprintf(imp->errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(imp->db));
        return MSG_ERROR;
    }
    return MSG_STORED;
}

/* Stores only the message's metadata: who wrote to whom, and when (its
 * texts lower-case already). */
static enum msg_result
msg_meta_store(struct msg_sink *s, const char *key, const char *sender,
               const char *rcpt, int64_t sent_at)
{
    if (s->nmeta == META_BATCH && msg_meta_flush(s) == MSG_ERROR)
        return MSG_ERROR;
    size_t k = s->nmeta++;
    s->meta[k].key = text_add(&s->text, key, strlen(key));
    s->meta[k].sender = text_add(&s->text, sender, strlen(sender));
    s->meta[k].rcpt = text_add(&s->text, rcpt, strlen(rcpt));
    s->meta[k].sent_at = sent_at;
    return MSG_STORED;
}

static int
cmp_waiting(const void *a, const void *b)
{
    const struct waiting *x = a, *y = b;
    if (x->pair != y->pair)
        return (x->pair > y->pair) - (x->pair < y->pair);
    if (x->sent_at != y->sent_at)
        return (x->sent_at > y->sent_at) - (x->sent_at < y->sent_at);
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Stores the waiting contacts, by pair; their pairs are found again (in
 * memory) so that the store knows each pair's mentor and mentee. */
static int
msg_wait_flush(struct msg_sink *s)
{
    struct import *imp = s->imp;
    if (s->nwait) /* s->wait is NULL before the first */
        qsort(s->wait, s->nwait, sizeof(*s->wait), cmp_waiting);
    int rc = 0;
    for (size_t i = 0; i < s->nwait && rc == 0; i++) {
        const struct waiting *w = &s->wait[i];
        const int64_t *people = s->wpeople + w->people;
        const char *t = s->wtext.data;
        int64_t pairs[MAX_MESSAGE_RECIPIENTS];
        size_t npairs = contact_store_pairs_of(
            s->store, people[0], people + 1, w->npeople - 1, w->sent_at,
            pairs, MAX_MESSAGE_RECIPIENTS);
        if (npairs > MAX_MESSAGE_RECIPIENTS)
            npairs = MAX_MESSAGE_RECIPIENTS;
        struct contact c = {
            .source_key = t + w->key,
            .started_at = w->sent_at,
            .duration_min = NAN,
            .medium = w->medium,
            .kind = tether_kind_names[TETHER_KIND_IMPROMPTU],
            .summary_sent = -1,
            .initiator = people[0],
            .keep_existing = 1,
        };
        enum contact_result r = contact_store_put(s->store, &c, pairs, npairs);
        if (contact_count(imp, r))
            rc = -1;
        else if (r == CONTACT_LOADED &&
                 msg_meta_store(s, t + w->key, t + w->sender, t + w->rcpt,
                                w->sent_at) == MSG_ERROR)
            rc = -1;
    }
    s->nwait = 0;
    s->npeople = 0;
    tether_buf_reset(&s->wtext);
    return rc;
}

/* Puts message m, a contact of pairs (pairs[0] first), sent by people[0]
 * to people[1..np), among the waiting contacts. */
static enum msg_result
msg_wait(struct msg_sink *s, const struct message *m, const int64_t *pairs,
         const int64_t *people, size_t np)
{
    if (s->nwait == WAITING && msg_wait_flush(s))
        return MSG_ERROR;
    if (s->nwait == s->cap_wait) { /* grown: a mailbox may hold a few */
        s->cap_wait = s->cap_wait ? 2 * s->cap_wait : 256;
        s->wait = tether_xrealloc(s->wait, s->cap_wait * sizeof(*s->wait));
    }
    struct waiting *w = &s->wait[s->nwait];
    w->pair = pairs[0];
    w->sent_at = m->sent_at;
    w->seq = s->nwait++;
    w->medium = m->medium;
    w->key = text_add(&s->wtext, m->key, strlen(m->key));
    w->sender = text_add(&s->wtext, m->sender, strlen(m->sender));
    tether_str_lower(s->wtext.data + w->sender);
    w->rcpt = s->wtext.len;
    for (size_t i = 0; i < m->nrcpt; i++) {
        if (i)
            tether_buf_addc(&s->wtext, ';');
        tether_buf_adds(&s->wtext, m->rcpt[i]);
    }
    tether_buf_addc(&s->wtext, '\0');
    tether_str_lower(s->wtext.data + w->rcpt);
    if (s->npeople + np > s->cap_people) {
        while (s->npeople + np > s->cap_people)
            s->cap_people = s->cap_people ? 2 * s->cap_people : 4096;
        s->wpeople =
            tether_xrealloc(s->wpeople, s->cap_people * sizeof(int64_t));
    }
    w->people = s->npeople;
    w->npeople = np;
    memcpy(s->wpeople + s->npeople, people, np * sizeof(int64_t));
    s->npeople += np;
    return MSG_STORED;
}

/* Fills people[] with the sender, then each known recipient other than
 * the sender; returns how many. */
static size_t
msg_people(struct msg_sink *s, const struct message *m, int64_t sender,
           int64_t people[MAX_MESSAGE_RECIPIENTS + 1])
{
    size_t np = 0;
    people[np++] = sender;
    for (size_t i = 0; i < m->nrcpt && np <= MAX_MESSAGE_RECIPIENTS; i++) {
        int64_t p = person_of(s, m->rcpt[i]);
        if (p && p != sender)
            people[np++] = p;
    }
    return np;
}

enum msg_result
msg_sink_put(struct msg_sink *s, const struct message *m, char *why,
             size_t whylen)
{
    struct import *imp = s->imp;
    const struct collect_opts *o = imp->opts;
    if (s->scope[0] == 'm')
        owner_narrow(s, m);
    if (m->has_time) {
        if (!s->seen || m->sent_at < s->first)
            s->first = m->sent_at;
        if (!s->seen || m->sent_at > s->last)
            s->last = m->sent_at;
        s->seen++;
    }
    /* A calendar item, a broadcast, a stranger's message: no contact (an
     * unknown calendar is looked at last, once the message would be one). */
    int64_t sender = person_of(s, m->sender);
    size_t total = m->total > m->nrcpt ? m->total : m->nrcpt;
    if (m->calendar || !sender || total == 0 ||
        total > (size_t)o->max_recipients) {
        imp->skipped++;
        return MSG_SKIPPED;
    }
    int64_t people[MAX_MESSAGE_RECIPIENTS + 1];
    size_t np = msg_people(s, m, sender, people);
    if (np < 2) {
        imp->skipped++;
        return MSG_SKIPPED;
    }
    /* Without a date the pair's dates cannot be checked: a message
     * between two people who were ever paired is refused, not dropped. */
    if (!m->has_time &&
        contact_store_pairs_of(s->store, sender, people + 1, np - 1,
                               INT64_MIN, NULL, 0) == 0) {
        imp->skipped++;
        return MSG_SKIPPED;
    }
    if (!m->has_time) {
        /* where the reader looked, in the words of its source */
        const char *looked =
            s->scope[0] == 'c'   ? "no ts time stamp"
            : s->scope[0] == 'o' ? "no time in the row"
                                 : "no Date header, Received line or mbox date";
        snprintf(why, whylen, "message %s from %s has no date (%s)", m->key,
                 m->sender, looked);
        return MSG_REJECT;
    }
    int64_t pairs[MAX_MESSAGE_RECIPIENTS];
    size_t npairs = contact_store_pairs_of(s->store, sender, people + 1,
                                           np - 1, m->sent_at, pairs,
                                           MAX_MESSAGE_RECIPIENTS);
    if (npairs == 0) {
        imp->skipped++;
        return MSG_SKIPPED;
    }
    if (npairs > MAX_MESSAGE_RECIPIENTS)
        npairs = MAX_MESSAGE_RECIPIENTS;
    if (m->calendar_check && m->calendar_check(m->calendar_ctx)) {
        imp->skipped++;
        return MSG_SKIPPED;
    }
    /* Stored with the file's other contacts, by pair (see WAITING). */
    return msg_wait(s, m, pairs, people, np);
}

int
msg_sink_finish(struct msg_sink *s)
{
    struct import *imp = s->imp;
    if (msg_wait_flush(s) || contact_store_flush(s->store) ||
        msg_meta_flush(s) == MSG_ERROR)
        return -1;
    int64_t owner = 0;
    if (s->scope[0] == 'm') {
        /* --owner, else the one address present in every message. */
        const char *o = imp->opts->owner;
        if (o) {
            owner = person_by_email(imp, o);
            if (!owner)
                import_warn(imp, "--owner %s is not in the roster: the "
                            "mailbox covers no one", o);
        } else if (s->ncand == 1 && s->messages > 1) {
            owner = person_of(s, s->cand[0]);
        }
    }
    sqlite3_stmt *st = s->st_scope;
    sqlite3_bind_int64(st, 1, imp->id);
    sqlite3_bind_text(st, 2, s->scope, -1, SQLITE_STATIC);
    if (owner)
        sqlite3_bind_int64(st, 3, owner);
    else
        sqlite3_bind_null(st, 3);
    if (s->seen) {
        sqlite3_bind_int64(st, 4, s->first);
        sqlite3_bind_int64(st, 5, s->last);
    } else {
        sqlite3_bind_null(st, 4);
        sqlite3_bind_null(st, 5);
    }
    sqlite3_bind_double(st, 6, imp->opts->summary_window);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        snprintf(imp->errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(imp->db));
        return -1;
    }
    return 0;
}

/* What a file is, from its first bytes (or its being a folder). */
const char *
messages_detect(const char *path, char *errbuf)
{
    struct stat sb;
    if (stat(path, &sb)) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot open '%s': %s", path,
                 strerror(errno));
        return NULL;
    }
    if (S_ISDIR(sb.st_mode))
        return "slack";
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot open '%s': %s", path,
                 strerror(errno));
        return NULL;
    }
    char head[4096];
    size_t n = fread(head, 1, sizeof(head) - 1, fp);
    fclose(fp);
    head[n] = '\0';
    if (n >= 4 && memcmp(head, "PK\003\004", 4) == 0)
        return "slack";
    const char *h = head;
    if (n >= 3 && memcmp(h, "\xef\xbb\xbf", 3) == 0)
        h += 3;
    if (strncmp(h, "From ", 5) == 0)
        return "mbox";
    if (trace_detect(head, n))
        return "trace";
    /* A message starts with a header field: a name, then a colon. */
    size_t k = strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789-_");
    if (k > 0 && h[k] == ':')
        return "eml";
    snprintf(errbuf, TETHER_ERRBUF,
             "'%s' is not a mailbox (mbox), a message (.eml), a message "
             "trace or a Slack export",
             path);
    return NULL;
}
