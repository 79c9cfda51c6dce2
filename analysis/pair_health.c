/* pair_health.c - SPEC 3.1: the figures of every active pair. Pairs are
 * streamed in id order and each pair's contacts are read once through the
 * (pair, started_at) index, so memory does not grow with the contacts.
 * The reading (SQLite's steps and the rows it gives) runs on a thread of
 * its own beside the figures and the stored rows, see pairs_scan. */
#include "internal.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tether/db.h"
#include "tether/timeutil.h"
#include "tether/util.h"


/* The local day and minute of ts for this person, from the roster version
 * in force on day (in the organisation's zone); -1 when the zone is
 * unusable (the time is then read as UTC). */
static int
local_time(const struct person *ps, int32_t day, int64_t ts, int32_t *lday,
           int *minute)
{
    int off = 0;
    int bad = tether_tz_offset(person_version(ps, day)->tz, ts, &off) != 0;
    int64_t local = ts + off;
    *lday = tether_ts_day(local, 0);
    *minute = (int)((local - (int64_t)*lday * 86400) / 60);
    return bad ? -1 : 0;
}

/* 1 when a meeting starting at this local day and minute falls outside
 * reasonable hours or on a weekend. */
static int
off_hours(const struct tether_analysis_params *p, int32_t lday, int minute)
{
    if (tether_weekday(lday) >= 5)
        return 1;
    if (p->reasonable_start <= p->reasonable_end)
        return minute < p->reasonable_start || minute >= p->reasonable_end;
    /* A window past midnight, e.g. 20:00-04:00. */
    return minute < p->reasonable_start && minute >= p->reasonable_end;
}

int
contact_off_hours(const struct ctx *c, const struct person *ps, int32_t day,
                  int64_t ts)
{
    int32_t lday;
    int minute;
    local_time(ps, day, ts, &lday, &minute);
    return off_hours(c->p, lday, minute);
}

/* Minutes per day that two recurring daily windows [a, a + la) and
 * [b, b + lb) (minutes after midnight UTC) share. */
static int
circle_overlap(int a, int la, int b, int lb)
{
    int total = 0;
    for (int k = -2; k <= 2; k++) {
        int lo = a > b + 1440 * k ? a : b + 1440 * k;
        int hi = a + la < b + lb + 1440 * k ? a + la : b + lb + 1440 * k;
        if (hi > lo)
            total += hi - lo;
    }
    return total > 1440 ? 1440 : total;
}

static int
mod1440(int x)
{
    return ((x % 1440) + 1440) % 1440;
}

struct pair_row {
    int64_t id;
    int32_t mentor, mentee; /* person indexes */
    int32_t started, ended;
    int chose, cadence;
};

/* The figures of one pair, as stored in pair_health. */
struct figures {
    int32_t end, days_active, last_meeting, last_contact, days_quiet;
    long meetings, contacts, in_person, impromptu, summary_known,
        summary_sent, off, off_mentor, off_mentee, between, mentee_init,
        initiator_known;
    double minutes, cadence_adherence, engagement, tz_gap,
        overlap;
    int status, bridge;
};

/* The figures of pair pr in period r from its contacts rows[0..n) (those
 * before the period's end plus the summary window, inferred). */
static void
contacts_scan(struct ctx *c, struct period_run *r, const struct crow *rows,
              size_t n, const struct pair_row *pr, struct figures *f)
{
    const struct tether_analysis_params *p = c->p;
    int64_t upto = f->end == r->period.end
                       ? r->end_ts
                       : zone_midnight(p->org_tz, f->end + 1);
    const struct person *mentor = &c->people[pr->mentor];
    const struct person *mentee = &c->people[pr->mentee];
    for (size_t i = 0; i < n; i++) {
        const struct crow *row = &rows[i];
        int64_t ts = row->ts;
        if (ts >= upto)
            continue; /* after the pair's end (or the period's) */
        int32_t day = row->day;
        if (day > f->end)
            continue;
        int meeting = (row->medium & MED_MEETING) != 0;
        f->last_contact = day;
        if (meeting)
            f->last_meeting = day;
        if (day < r->period.start)
            continue;
        f->contacts++;
        f->initiator_known += row->initiator != TETHER_INITIATOR_UNKNOWN;
        if (!meeting) {
            if (!row->is_summary) {
                f->between++;
                f->mentee_init += row->initiator == TETHER_INITIATOR_MENTEE;
            }
            continue;
        }
        f->meetings++;
        if (!isnan(row->minutes))
            f->minutes += row->minutes;
        if (row->medium & MED_IN_PERSON)
            f->in_person++;
        if (row->impromptu)
            f->impromptu++;
        if (row->summary >= 0) {
            f->summary_known++;
            f->summary_sent += row->summary;
        }
        int32_t dm, de;
        int mm, me;
        int bad = local_time(mentor, day, ts, &dm, &mm);
        bad |= local_time(mentee, day, ts, &de, &me);
        if (bad) {
            r->hours_unknown++;
        } else {
            r->hour_mentor[mm / 60]++;
            r->hour_mentee[me / 60]++;
        }
        int om = off_hours(p, dm, mm);
        int oe = off_hours(p, de, me);
        f->off_mentor += om;
        f->off_mentee += oe;
        f->off += om || oe;
    }
}

static void
pair_figures(struct ctx *c, struct period_run *r,
             const struct pair_row *pr, struct figures *f)
{
    const struct tether_analysis_params *p = c->p;
    int32_t as_of = r->period.end;
    const struct person *mentor = &c->people[pr->mentor];
    const struct person *mentee = &c->people[pr->mentee];
    int32_t from = pr->started > r->period.start ? pr->started
                                                  : r->period.start;
    f->days_active = f->end - from + 1;
    f->days_quiet = f->end - (f->last_meeting != NO_DATE ? f->last_meeting
                                                          : pr->started);
    int ended = pr->ended != NO_DATE && pr->ended <= as_of;
    double cad = pr->cadence;
    if (f->last_meeting == NO_DATE && !ended &&
        as_of - pr->started <= p->grace_days)
        f->status = TETHER_STATUS_NEW;
    else if (f->last_meeting == NO_DATE)
        f->status = TETHER_STATUS_NEVER_MET;
    else if (ended)
        f->status = TETHER_STATUS_ENDED;
    else if (f->days_quiet > p->inactive_factor * cad)
        f->status = TETHER_STATUS_INACTIVE;
    else if (f->days_quiet > p->at_risk_factor * cad)
        f->status = TETHER_STATUS_AT_RISK;
    else
        f->status = TETHER_STATUS_ACTIVE;
    double expected = f->days_active / cad;
    f->cadence_adherence = fmin(1.0, (double)f->meetings / expected);
    double recency =
        fmax(0.0, 1.0 - f->days_quiet / (p->inactive_factor * cad));
    /* No survey answer enters a pair's figures (SPEC 3.1): beside the
     * pair's names, one or two people's answers would be shown. */
    f->engagement = 100 * (0.625 * f->cadence_adherence + 0.375 * recency);
    const struct version *vm = person_version(mentor, as_of);
    const struct version *ve = person_version(mentee, as_of);
    f->bridge = (vm->mode == TETHER_MODE_REMOTE) !=
                (ve->mode == TETHER_MODE_REMOTE);
    /* Both offsets at noon of as_of in the organisation's zone. */
    int64_t noon = zone_midnight(p->org_tz, as_of) + 12 * 3600;
    int om = 0, oe = 0;
    tether_tz_offset(vm->tz, noon, &om);
    tether_tz_offset(ve->tz, noon, &oe);
    double delta = fabs((double)(om - oe)) / 3600.0;
    delta = fmod(delta, 24.0);
    f->tz_gap = fmin(delta, 24.0 - delta);
    int wl = mod1440(p->work_end - p->work_start);
    if (wl == 0 && p->work_end != p->work_start)
        wl = 1440;
    int ov = circle_overlap(mod1440(p->work_start - om / 60), wl,
                            mod1440(p->work_start - oe / 60), wl);
    f->overlap = ov / 60.0;
}

static void
bind_real(sqlite3_stmt *st, int i, double v)
{
    if (isfinite(v))
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

static void
bind_date(sqlite3_stmt *st, int i, int32_t d)
{
    if (d == NO_DATE) {
        sqlite3_bind_null(st, i);
        return;
    }
    char buf[TETHER_DATE_LEN];
    tether_date_format(d, buf);
    sqlite3_bind_text(st, i, buf, -1, SQLITE_TRANSIENT);
}

static double
share(long num, long den)
{
    return den ? (double)num / (double)den : NAN;
}

static int
store(struct ctx *c, struct period_run *r, sqlite3_stmt *st,
      const struct pair_row *pr, const struct figures *f)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_int64(st, 1, r->run);
    sqlite3_bind_int64(st, 2, pr->id);
    sqlite3_bind_text(st, 3, tether_status_names[f->status], -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, f->days_active);
    sqlite3_bind_int64(st, 5, f->meetings);
    sqlite3_bind_double(st, 6, f->minutes);
    sqlite3_bind_int64(st, 7, f->contacts);
    bind_date(st, 8, f->last_meeting);
    bind_date(st, 9, f->last_contact);
    sqlite3_bind_int(st, 10, f->days_quiet);
    bind_real(st, 11, f->cadence_adherence);
    bind_real(st, 12, f->engagement);
    sqlite3_bind_int(st, 13, f->bridge);
    bind_real(st, 14, f->tz_gap);
    bind_real(st, 15, f->overlap);
    sqlite3_bind_int64(st, 16, f->off);
    sqlite3_bind_int64(st, 17, f->off_mentor);
    sqlite3_bind_int64(st, 18, f->off_mentee);
    bind_real(st, 19, share(f->in_person, f->meetings));
    bind_real(st, 20, share(f->impromptu, f->meetings));
    bind_real(st, 21, share(f->summary_sent, f->summary_known));
    /* The work modes on the last day, as inclusion counts them. */
    const struct version *vm =
        person_version(&c->people[pr->mentor], r->period.end);
    const struct version *ve =
        person_version(&c->people[pr->mentee], r->period.end);
    sqlite3_bind_text(st, 22, tether_mode_names[vm->mode], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 23, tether_mode_names[ve->mode], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 24, f->between);
    if (f->initiator_known)
        sqlite3_bind_int64(st, 25, f->mentee_init);
    else
        sqlite3_bind_null(st, 25);
    if (sqlite3_step(st) != SQLITE_DONE) {
        snprintf(c->errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    return 0;
}

/* Reads the pair on the current row of pairs into *pr. Returns 0, or 1
 * for a pair to skip (no start date, or people not loaded). */
static int
pair_row_read(const struct ctx *c, sqlite3_stmt *pairs, struct pair_row *pr)
{
    pr->id = sqlite3_column_int64(pairs, 0);
    int64_t m = sqlite3_column_int64(pairs, 1);
    int64_t e = sqlite3_column_int64(pairs, 2);
    if (m < 0 || m > c->max_person_id || c->by_id[m] < 0 || e < 0 ||
        e > c->max_person_id || c->by_id[e] < 0)
        return 1; /* foreign keys make this impossible */
    pr->mentor = c->by_id[m];
    pr->mentee = c->by_id[e];
    const char *so = (const char *)sqlite3_column_text(pairs, 3);
    const char *eo = (const char *)sqlite3_column_text(pairs, 4);
    if (!so || tether_date_parse(so, &pr->started))
        return 1;
    if (!eo || !*eo || tether_date_parse(eo, &pr->ended))
        pr->ended = NO_DATE;
    pr->chose = sqlite3_column_type(pairs, 5) == SQLITE_NULL
                   ? -1
                   : sqlite3_column_int(pairs, 5) != 0;
    pr->cadence = sqlite3_column_int(pairs, 6);
    if (pr->cadence <= 0)
        pr->cadence = 30;
    return 0;
}

/* Keeps the figures the later sections need in r->pairs. */
static void
pair_sum_add(struct period_run *r, const struct pair_row *pr,
             const struct figures *f)
{
    if (r->npairs == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 1024;
        r->pairs = tether_xrealloc(r->pairs, r->cap * sizeof(*r->pairs));
    }
    struct pair_sum *ps = &r->pairs[r->npairs++];
    ps->mentor = pr->mentor;
    ps->mentee = pr->mentee;
    ps->days_active = f->days_active;
    ps->meetings = (int32_t)f->meetings;
    ps->days_quiet = f->days_quiet;
    ps->off_hours = (int32_t)f->off;
    ps->engagement = f->engagement;
    ps->status = (unsigned char)f->status;
    ps->bridge = (unsigned char)f->bridge;
    ps->chose = (signed char)pr->chose;
    ps->between = (int32_t)f->between;
    ps->mentee_init = f->initiator_known ? (int32_t)f->mentee_init : -1;
}

/* 1 when the pair is active in the period (SPEC 3.1). */
static int
pair_active(const struct pair_row *pr, const struct tether_period *period)
{
    return pr->started <= period->end &&
           (pr->ended == NO_DATE || pr->ended >= period->start);
}

/* The number of rows before ts (rows in time order). */
static size_t
rows_before(const struct crow *rows, size_t n, int64_t ts)
{
    while (n > 0 && rows[n - 1].ts >= ts)
        n--;
    return n;
}

/* The scan on two cores. A reader steps the pairs and their contacts and
 * hands them over in batches, through a queue of a few batches (memory
 * stays bounded: the reader waits while the queue is full), to the caller
 * of pairs_scan, which works out every figure, stores the pair_health
 * rows and feeds impact in the pairs' order, exactly as one loop did:
 * every sum is added in the same order. The reader is a thread with a
 * connection of its own (a connection is used by one thread at a time),
 * in a read transaction begun after the analysis's write transaction: in
 * WAL mode it reads what that transaction began with, as no other writer
 * can commit while the analysis holds the write lock and the analysis
 * never writes pairs or contacts. Without WAL (a rollback journal would
 * make the writer wait for the reader) or when the thread cannot be
 * started, the caller fills each batch itself on its own connection. */
#define BATCH_PAIRS 256
#define QUEUE_BATCHES 4

/* Some pairs in id order, with their contacts in time order. */
struct batch {
    struct pair_row pr[BATCH_PAIRS];
    size_t first[BATCH_PAIRS + 1]; /* pair i's: rows.v[first[i]..first[i+1]) */
    size_t npairs;
    struct crows rows;
    int last;   /* no batch follows */
    int failed; /* last, and errbuf says why */
    char errbuf[TETHER_ERRBUF];
};

struct reader {
    struct ctx c; /* the analysis's, on the reader's connection and errbuf */
    sqlite3 *own; /* that connection; NULL: the analysis's, read inline */
    sqlite3_stmt *pairs;
    struct contact_cursor cur;
    char errbuf[TETHER_ERRBUF];
    int threaded;
    pthread_t thread;
    /* The queue: slots[tail % Q .. head % Q) are filled and the
     * consumer's, the others the reader's. */
    pthread_mutex_t mu;
    pthread_cond_t filled, room;
    size_t head, tail;
    int stop; /* the consumer gave up: the reader ends */
    double wall, cpu; /* the thread's, for TETHER_BENCH */
    struct batch slots[QUEUE_BATCHES];
};

/* Fills b with the next pairs and their contacts. */
static void
batch_fill(struct reader *rd, struct batch *b)
{
    b->npairs = 0;
    b->rows.n = 0;
    b->last = b->failed = 0;
    while (b->npairs < BATCH_PAIRS) {
        int step = sqlite3_step(rd->pairs);
        if (step == SQLITE_DONE) {
            b->last = 1;
            break;
        }
        if (step != SQLITE_ROW) {
            snprintf(b->errbuf, TETHER_ERRBUF, "%s",
                     sqlite3_errmsg(rd->c.db));
            b->last = b->failed = 1;
            break;
        }
        struct pair_row *pr = &b->pr[b->npairs];
        if (pair_row_read(&rd->c, rd->pairs, pr))
            continue;
        b->first[b->npairs] = b->rows.n;
        if (contacts_read(&rd->c, &rd->cur, pr->id, &b->rows)) {
            snprintf(b->errbuf, TETHER_ERRBUF, "%s", rd->errbuf);
            b->last = b->failed = 1;
            break;
        }
        b->npairs++;
    }
    b->first[b->npairs] = b->rows.n;
}

static void *
reader_main(void *arg)
{
    struct reader *rd = arg;
    double w0 = tether_analysis_wall();
    for (int last = 0; !last;) {
        pthread_mutex_lock(&rd->mu);
        while (rd->head - rd->tail == QUEUE_BATCHES && !rd->stop)
            pthread_cond_wait(&rd->room, &rd->mu);
        int stop = rd->stop;
        struct batch *b = &rd->slots[rd->head % QUEUE_BATCHES];
        pthread_mutex_unlock(&rd->mu);
        if (stop)
            break;
        batch_fill(rd, b);
        last = b->last;
        pthread_mutex_lock(&rd->mu);
        rd->head++;
        pthread_cond_signal(&rd->filled);
        pthread_mutex_unlock(&rd->mu);
    }
    rd->wall = tether_analysis_wall() - w0;
    rd->cpu = tether_analysis_thread_cpu();
    tether_tz_thread_end();
    return NULL;
}

/* Prepares the reading of the pairs that started by the latest period's
 * end (of c->p->program) and of their contacts before before, on a
 * thread when it can. 0, or -1 with c->errbuf set (close rd then too). */
static int
reader_open(struct ctx *c, struct reader *rd, int32_t last_end,
            int64_t before)
{
    memset(rd, 0, sizeof(*rd));
    rd->c = *c;
    rd->c.errbuf = rd->errbuf;
    const char *path = sqlite3_db_filename(c->db, "main");
    if (sqlite3_threadsafe() && path && *path && db_is_wal(c->db)) {
        /* Without a second connection, the same reading inline. */
        if (tether_db_open(&rd->own, path, TETHER_DB_READ, rd->errbuf) ||
            tether_db_exec(rd->own, "BEGIN", rd->errbuf)) {
            sqlite3_close(rd->own);
            rd->own = NULL;
        }
    }
    if (rd->own)
        rd->c.db = rd->own;
    /* Every pair that started by the latest period's end: the active
     * pairs of every period are among them, and impact reads them all. */
    if (tether_db_prepare(
            rd->c.db,
            "SELECT id, mentor, mentee, started_on, ended_on, "
            "mentee_chose, cadence_days FROM pairs WHERE started_on <= ?1 "
            "AND (?2 IS NULL OR program = ?2) ORDER BY id",
            &rd->pairs, rd->errbuf) ||
        contact_cursor_open(&rd->c, &rd->cur, before)) {
        snprintf(c->errbuf, TETHER_ERRBUF, "%s", rd->errbuf);
        return -1;
    }
    char b[TETHER_DATE_LEN];
    tether_date_format(last_end, b);
    sqlite3_bind_text(rd->pairs, 1, b, -1, SQLITE_TRANSIENT);
    if (c->p->program)
        sqlite3_bind_text(rd->pairs, 2, c->p->program, -1, SQLITE_STATIC);
    if (!rd->own)
        return 0;
    pthread_mutex_init(&rd->mu, NULL);
    pthread_cond_init(&rd->filled, NULL);
    pthread_cond_init(&rd->room, NULL);
    rd->threaded = pthread_create(&rd->thread, NULL, reader_main, rd) == 0;
    if (!rd->threaded) {
        pthread_cond_destroy(&rd->room);
        pthread_cond_destroy(&rd->filled);
        pthread_mutex_destroy(&rd->mu);
    }
    return 0;
}

/* The next batch, the consumer's until batch_done. */
static struct batch *
batch_next(struct reader *rd)
{
    if (!rd->threaded) {
        batch_fill(rd, &rd->slots[0]);
        return &rd->slots[0];
    }
    pthread_mutex_lock(&rd->mu);
    while (rd->head == rd->tail)
        pthread_cond_wait(&rd->filled, &rd->mu);
    struct batch *b = &rd->slots[rd->tail % QUEUE_BATCHES];
    pthread_mutex_unlock(&rd->mu);
    return b;
}

static void
batch_done(struct reader *rd)
{
    if (!rd->threaded)
        return;
    pthread_mutex_lock(&rd->mu);
    rd->tail++;
    pthread_cond_signal(&rd->room);
    pthread_mutex_unlock(&rd->mu);
}

/* Stops the reader (when it has not ended) and frees it. */
static void
reader_close(struct reader *rd)
{
    if (rd->threaded) {
        pthread_mutex_lock(&rd->mu);
        rd->stop = 1;
        pthread_cond_signal(&rd->room);
        pthread_mutex_unlock(&rd->mu);
        pthread_join(rd->thread, NULL);
        tether_analysis_phase_thread("pairs and contacts: reader", rd->wall,
                                     rd->cpu);
        pthread_cond_destroy(&rd->room);
        pthread_cond_destroy(&rd->filled);
        pthread_mutex_destroy(&rd->mu);
    }
    sqlite3_finalize(rd->pairs);
    contact_cursor_close(&rd->cur);
    for (size_t i = 0; i < QUEUE_BATCHES; i++)
        free(rd->slots[i].rows.v);
    /* Only read: the transaction ends with the connection. */
    sqlite3_close(rd->own);
}

/* The figures of one pair (its contacts rows[0..n), in time order) in
 * every period where it is active, and its part of impact. */
static int
pair_work(struct ctx *c, struct period_run *runs, size_t nruns,
          struct impact *m, const struct mail_seen *seen, sqlite3_stmt *ins,
          const struct pair_row *pr, struct crow *rows, size_t nrows)
{
    int64_t window = (int64_t)(seen->window * 3600);
    int64_t mentor = c->people[pr->mentor].id;
    int64_t mentee = c->people[pr->mentee].id;
    size_t inferred = (size_t)-1; /* the prefix inferred last */
    /* The earlier periods first: the latest leaves every row
     * inferred for impact. */
    for (size_t k = nruns; k-- > 0;) {
        struct period_run *r = &runs[k];
        if (!pair_active(pr, &r->period))
            continue;
        size_t n = k ? rows_before(rows, nrows, r->end_ts + window) : nrows;
        if (n != inferred)
            summaries_infer(seen, rows, n, mentor, mentee);
        inferred = n;
        struct figures f;
        memset(&f, 0, sizeof(f));
        f.end = pr->ended != NO_DATE && pr->ended < r->period.end
                    ? pr->ended
                    : r->period.end;
        f.last_meeting = f.last_contact = NO_DATE;
        contacts_scan(c, r, rows, n, pr, &f);
        pair_figures(c, r, pr, &f);
        if (r->run && store(c, r, ins, pr, &f))
            return -1;
        pair_sum_add(r, pr, &f);
    }
    if (!m)
        return 0;
    if (inferred != nrows)
        summaries_infer(seen, rows, nrows, mentor, mentee);
    struct impact_pair_in in = {pr->id,      pr->mentor, pr->mentee,
                                pr->started, pr->ended,  pr->chose,
                                pr->cadence};
    impact_pair(m, &in, rows, nrows);
    return 0;
}

int
pairs_scan(struct ctx *c, struct period_run *runs, size_t nruns,
           struct impact *m)
{
    sqlite3_stmt *ins = NULL;
    struct mail_seen seen = {0};
    struct reader *rd = tether_xcalloc(1, sizeof(*rd));
    int rc = -1;
    if (mail_seen_load(c, &seen))
        goto out;
    /* The summary of a meeting at the period's end comes after it. Each
     * earlier period sees its contacts up to its own end plus the window,
     * as if read alone (the rows before it: a prefix). */
    int64_t window = (int64_t)(seen.window * 3600);
    if (runs[0].run &&
        tether_db_prepare(
            c->db,
            "INSERT INTO pair_health (run, pair, status, days_active, "
            "meetings, minutes, contacts, last_meeting, last_contact, "
            "days_quiet, cadence_adherence, engagement, bridge, "
            "tz_gap_hours, overlap_hours, off_hours, off_hours_mentor, "
            "off_hours_mentee, in_person_share, impromptu_share, "
            "summary_rate, mentor_mode, mentee_mode, between_contacts, "
            "mentee_initiated) VALUES "
            "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
            "?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
            &ins, c->errbuf))
        goto out;
    if (reader_open(c, rd, runs[0].period.end, runs[0].end_ts + window))
        goto out;
    for (int last = 0; !last;) {
        struct batch *b = batch_next(rd);
        last = b->last;
        int bad = 0;
        for (size_t i = 0; i < b->npairs && !bad; i++)
            bad = pair_work(c, runs, nruns, m, &seen, ins, &b->pr[i],
                            b->rows.v + b->first[i],
                            b->first[i + 1] - b->first[i]);
        if (!bad && b->failed)
            snprintf(c->errbuf, TETHER_ERRBUF, "%s", b->errbuf);
        bad |= b->failed;
        batch_done(rd); /* b is the reader's again */
        if (bad)
            goto out;
    }
    rc = 0;
out:
    reader_close(rd);
    free(rd);
    sqlite3_finalize(ins);
    mail_seen_free(&seen);
    return rc;
}
