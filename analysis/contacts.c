/* contacts.c - a pair's contacts as the analysis reads them (one scan of
 * the table in key order, pair by pair) and the summary inference of SPEC
 * 1.3a over them. Pair health (3.1) and impact's practices (3.7) both
 * read contacts through here, so that an e-mail that is a meeting's
 * summary is one in both, never an impromptu contact in one of them. */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tether/db.h"
#include "tether/timeutil.h"
#include "tether/util.h"

int
mail_seen_load(struct ctx *c, struct mail_seen *m)
{
    memset(m, 0, sizeof(*m));
    m->window = 24;
    sqlite3_stmt *st;
    if (tether_db_prepare(c->db,
                          "SELECT scope, coalesce(owner, 0), first_at, "
                          "last_at, summary_window_hours FROM "
                          "message_imports ORDER BY import_id",
                          &st, c->errbuf))
        return -1;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        m->window = sqlite3_column_double(st, 4);
        const char *scope = (const char *)sqlite3_column_text(st, 0);
        int64_t owner = sqlite3_column_int64(st, 1);
        int org = scope && strcmp(scope, "organisation") == 0;
        int mailbox = scope && strcmp(scope, "mailbox") == 0 && owner;
        if ((!org && !mailbox) || sqlite3_column_type(st, 2) == SQLITE_NULL)
            continue;
        if (m->n == cap)
            m->c = tether_xrealloc(m->c, (cap = cap ? 2 * cap : 8) *
                                             sizeof(*m->c));
        m->c[m->n++] = (struct coverage){org ? 0 : owner,
                                         sqlite3_column_int64(st, 2),
                                         sqlite3_column_int64(st, 3)};
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(c->errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    return 0;
}

void
mail_seen_free(struct mail_seen *m)
{
    free(m->c);
    m->c = NULL;
    m->n = 0;
}

/* 1 when [from, to] lies inside a span of mail of one of the two. */
static int
mail_seen_covers(const struct mail_seen *m, int64_t a, int64_t b,
                 int64_t from, int64_t to)
{
    for (size_t i = 0; i < m->n; i++) {
        const struct coverage *cv = &m->c[i];
        if ((cv->owner == 0 || cv->owner == a || cv->owner == b) &&
            cv->first <= from && to <= cv->last)
            return 1;
    }
    return 0;
}

int
contact_cursor_open(struct ctx *c, struct contact_cursor *cur, int64_t before)
{
    memset(cur, 0, sizeof(*cur));
    if (tether_db_prepare(c->db,
                          "SELECT started_at, duration_min, medium, kind, "
                          "summary_sent, pair, initiator FROM contacts "
                          "WHERE started_at < ?1 ORDER BY pair, started_at",
                          &cur->st, c->errbuf))
        return -1;
    sqlite3_bind_int64(cur->st, 1, before);
    cur->rc = sqlite3_step(cur->st);
    return 0;
}

void
contact_cursor_close(struct contact_cursor *cur)
{
    sqlite3_finalize(cur->st);
    memset(cur, 0, sizeof(*cur));
}

/* tether_vocab_find for the contacts' millions of rows: the names of the
 * media and of the initiators differ in their first letter but for the
 * two that share it, so nearly every name costs one strcmp, not one per
 * name before it. */
static int
name_find(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (names[i][0] == s[0] && strcmp(names[i], s) == 0)
            return i;
    return -1;
}

/* One row of the cursor's statement as the analysis keeps it. */
static void
crow_read(const char *org_tz, sqlite3_stmt *st, struct crow *r)
{
    memset(r, 0, sizeof(*r));
    r->ts = sqlite3_column_int64(st, 0);
    r->day = tether_tz_day(org_tz, r->ts);
    r->minutes = sqlite3_column_type(st, 1) == SQLITE_NULL
                     ? NAN
                     : sqlite3_column_double(st, 1);
    const char *medium = (const char *)sqlite3_column_text(st, 2);
    int mi = medium ? name_find(tether_medium_names, TETHER_MEDIUM_COUNT,
                                medium)
                    : -1;
    if (mi == TETHER_MEDIUM_VIDEO || mi == TETHER_MEDIUM_PHONE)
        r->medium = MED_MEETING;
    else if (mi == TETHER_MEDIUM_IN_PERSON)
        r->medium = MED_MEETING | MED_IN_PERSON;
    else if (mi == TETHER_MEDIUM_EMAIL)
        r->medium = MED_EMAIL;
    const char *kind = (const char *)sqlite3_column_text(st, 3);
    r->impromptu =
        kind && strcmp(kind, tether_kind_names[TETHER_KIND_IMPROMPTU]) == 0;
    r->given = sqlite3_column_type(st, 4) == SQLITE_NULL
                   ? -1
                   : sqlite3_column_int(st, 4) != 0;
    r->summary = r->given;
    const char *init = (const char *)sqlite3_column_text(st, 6);
    int ii = init ? name_find(tether_initiator_names, TETHER_INITIATOR_COUNT,
                              init)
                  : -1;
    r->initiator = (signed char)(ii < 0 ? TETHER_INITIATOR_UNKNOWN : ii);
}

int
contacts_read(struct ctx *c, struct contact_cursor *cur, int64_t pair,
              struct crows *out)
{
    sqlite3_stmt *st = cur->st;
    for (; cur->rc == SQLITE_ROW; cur->rc = sqlite3_step(st)) {
        int64_t p = sqlite3_column_int64(st, 5);
        if (p > pair)
            break; /* the next pair's */
        if (p < pair)
            continue; /* a pair the caller does not look at */
        if (out->n == out->cap)
            out->v = tether_xrealloc(
                out->v, (out->cap = out->cap ? 2 * out->cap : 64) *
                            sizeof(*out->v));
        crow_read(c->p->org_tz, st, &out->v[out->n++]);
    }
    if (cur->rc != SQLITE_ROW && cur->rc != SQLITE_DONE) {
        snprintf(c->errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    return 0;
}

void
summaries_infer(const struct mail_seen *seen, struct crow *rows, size_t n,
                int64_t mentor, int64_t mentee)
{
    int64_t window = (int64_t)(seen->window * 3600);
    for (size_t i = 0; i < n; i++) {
        rows[i].summary = rows[i].given;
        rows[i].is_summary = 0;
    }
    for (size_t i = 0; i < n; i++) {
        struct crow *m = &rows[i];
        /* An explicit yes also has its summary e-mail, if it came: that
         * one is no contact between the meetings either. */
        if (!(m->medium & MED_MEETING) || m->summary == 0)
            continue;
        int64_t end = m->ts + (isnan(m->minutes) ? 0
                                                 : (int64_t)(m->minutes * 60));
        int64_t next = INT64_MAX;
        for (size_t k = i + 1; k < n; k++)
            if ((rows[k].medium & MED_MEETING) && rows[k].ts > m->ts) {
                next = rows[k].ts;
                break;
            }
        for (size_t k = i + 1; k < n; k++) {
            struct crow *e = &rows[k];
            if (e->ts > end + window || e->ts >= next)
                break;
            if ((e->medium & MED_EMAIL) && e->ts >= end && !e->is_summary) {
                e->is_summary = 1;
                m->summary = 1;
                break;
            }
        }
        if (m->summary < 0 &&
            mail_seen_covers(seen, mentor, mentee, end, end + window))
            m->summary = 0;
    }
}
