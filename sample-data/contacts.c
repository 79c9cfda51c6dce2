/* contacts.c - meetings and other contacts, made pair by pair and written
 * at once, so memory does not grow with their number. Most pairs meet near
 * their cadence; remote pairs a little less and more by video; planted
 * pairs fade out, drift towards at risk or never meet. Each contact goes to
 * exactly one file: meetings.csv, calendar.ics (the recurring series of
 * some New Joiners pairs), or a Zoom or Teams attendance report, and the
 * non-canonical ones also to their canonical twin under expected/. */
#include "sample.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tether/progress.h"
#include "tether/timeutil.h"
#include "tether/util.h"
#include "tether/vocab.h"


struct sc {
    int64_t t;
    int16_t dur; /* minutes, -1 unknown */
    uint8_t medium, impromptu;
    int8_t summary; /* 1, 0, -1 unknown */
    uint8_t route;
    uint8_t from_mentee, is_summary; /* who began it; a summary e-mail */
    uint16_t seq; /* order of creation, to sort ties the same way always */
};

/* A fortnightly calendar series of one pair, in the mentor's zone. */
struct series {
    const char *zone;
    int32_t d0; /* first instance's local date */
    int h, m, n, minutes, medium, exceptions, until;
};
#define EX_EXDATE 2
#define EX_CANCEL 3
#define EX_MOVE 4

struct gen {
    struct sample *s;
    struct sc *c;
    size_t n, cap;
    struct rng sel; /* picks the meetings written as Zoom/Teams reports */
    uint32_t cross_listed;
};

#define REPORT_CAP 5

static int64_t
local_ts(const char *zone, int32_t day, int h, int m)
{
    int y, mo, d;
    tether_civil_from_days(day, &y, &mo, &d);
    int64_t ts = 0;
    if (tether_tz_local_to_utc(zone, y, mo, d, h, m, 0, &ts))
        ts = (int64_t)day * 86400 + h * 3600 + m * 60;
    return ts;
}

static int
offset_at(const char *zone, int64_t ts)
{
    int off = 0;
    tether_tz_offset(zone, ts, &off);
    return off;
}

static int32_t
utc_day(int64_t ts)
{
    return (int32_t)(ts >= 0 ? ts / 86400 : (ts - 86399) / 86400);
}

/* Off hours for person i: outside 08:00-18:00 or at a weekend, on the wall
 * clock of the zone of the roster version in force that day. */
static int
off_hours(const struct sample *s, uint32_t i, int64_t ts)
{
    const char *zone = sample_zone_at(s, i, utc_day(ts));
    int64_t local = ts + offset_at(zone, ts);
    int32_t day = utc_day(local);
    int64_t sec = local - (int64_t)day * 86400;
    return sec < 8 * 3600 || sec >= 18 * 3600 || tether_weekday(day) >= 5;
}

static struct sc *
push(struct gen *g)
{
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 64;
        g->c = tether_xrealloc(g->c, g->cap * sizeof(struct sc));
    }
    struct sc *c = &g->c[g->n];
    memset(c, 0, sizeof(*c));
    c->seq = (uint16_t)g->n++;
    c->summary = -1;
    c->dur = -1;
    return c;
}

static int32_t
weekday_of(int32_t d)
{
    int w = tether_weekday(d);
    return w == 5 ? d - 1 : w == 6 ? d + 1 : d;
}

/* A start time on local day d that suits both when their working days
 * overlap; otherwise usually the mentee, sometimes the mentor, carries the
 * burden of an early or late call. */
static int64_t
choose_time(const struct sample *s, const struct pair *q, struct rng *r,
            int32_t d)
{
    const char *mz = sample_zone_at(s, q->mentor, d);
    const char *ez = sample_zone_at(s, q->mentee, d);
    int64_t noon = (int64_t)d * 86400 + 12 * 3600;
    int om = offset_at(mz, noon), oe = offset_at(ez, noon);
    int ok[16], nok = 0;
    for (int slot = 0; slot < 16; slot++) {
        int sec = (9 * 3600 + slot * 1800) - om + oe;
        int32_t ed = d + (sec < 0 ? -1 : sec >= 86400 ? 1 : 0);
        sec = ((sec % 86400) + 86400) % 86400;
        if (sec >= 9 * 3600 && sec < 17 * 3600 && tether_weekday(ed) < 5)
            ok[nok++] = slot;
    }
    if (nok) {
        int slot = ok[sample_rng_below(r, (uint32_t)nok)];
        return local_ts(mz, d, 9 + slot / 2, (slot % 2) * 30);
    }
    if (sample_rng_chance(r, 0.75))
        return local_ts(mz, d, sample_rng_range(r, 9, 16), sample_rng_chance(r, 0.5) * 30);
    return local_ts(ez, d, sample_rng_range(r, 9, 16), sample_rng_chance(r, 0.5) * 30);
}

static int
pick_medium(const struct sample *s, const struct pair *q, struct rng *r,
            int32_t d)
{
    const struct version *vm = sample_version_at(s, &s->people[q->mentor], d);
    const struct version *ve = sample_version_at(s, &s->people[q->mentee], d);
    double u = sample_rng_unit(r);
    if (vm->site == ve->site && sample_sites[vm->site].office &&
        vm->mode != MODE_REMOTE && ve->mode != MODE_REMOTE)
        return u < 0.45 ? TETHER_MEDIUM_IN_PERSON : u < 0.95 ? TETHER_MEDIUM_VIDEO : TETHER_MEDIUM_PHONE;
    if (vm->mode == MODE_REMOTE || ve->mode == MODE_REMOTE)
        return u < 0.82 ? TETHER_MEDIUM_VIDEO : u < 0.97 ? TETHER_MEDIUM_PHONE : TETHER_MEDIUM_IN_PERSON;
    return u < 0.80 ? TETHER_MEDIUM_VIDEO : u < 0.92 ? TETHER_MEDIUM_PHONE : TETHER_MEDIUM_IN_PERSON;
}

/* A scheduled meeting near local day d, kept when its UTC date is inside
 * the pair's dates. Returns its day or 0. */
static int32_t
add_meeting(struct gen *g, const struct pair *q, struct rng *r, int32_t d,
            int32_t lo, int32_t hi)
{
    d = weekday_of(d);
    int64_t t = choose_time(g->s, q, r, d);
    int medium = pick_medium(g->s, q, r, d);
    static const int lengths[] = {30, 45, 60, 90};
    static const int lw[] = {35, 30, 30, 5};
    int k = 0, x = sample_rng_range(r, 0, 99);
    while (x >= lw[k]) {
        x -= lw[k];
        k++;
    }
    int dur = lengths[k] + sample_rng_range(r, -3, 5);
    int summary = sample_rng_chance(r, 0.25) ? -1 : sample_rng_chance(r, 0.55);
    int32_t day = utc_day(t);
    if (day < lo || day > hi)
        return 0;
    struct sc *c = push(g);
    c->t = t;
    c->dur = (int16_t)dur;
    c->medium = (uint8_t)medium;
    c->summary = (int8_t)summary;
    return day;
}

static void
add_impromptu(struct gen *g, const struct pair *q, struct rng *r, int32_t d,
              int call, int32_t lo, int32_t hi)
{
    const char *mz = sample_zone_at(g->s, q->mentor, d);
    int64_t t = local_ts(mz, d, sample_rng_range(r, 8, 19), sample_rng_range(r, 0, 59));
    int medium = call ? (sample_rng_chance(r, 0.7) ? TETHER_MEDIUM_VIDEO : TETHER_MEDIUM_PHONE)
                      : (sample_rng_chance(r, 0.6) ? TETHER_MEDIUM_CHAT : TETHER_MEDIUM_EMAIL);
    int dur = sample_rng_range(r, 10, 25);
    int32_t day = utc_day(t);
    if (day < lo || day > hi)
        return;
    struct sc *c = push(g);
    c->t = t;
    c->medium = (uint8_t)medium;
    c->impromptu = 1;
    if (call)
        c->dur = (int16_t)dur;
}

/* The series' instance k before exceptions. */
static int64_t
series_at(const struct series *se, int k)
{
    return local_ts(se->zone, se->d0 + 14 * k, se->h, se->m);
}

/* The moved instance: a day later (or earlier, from a Friday), an hour
 * later. */
static int64_t
series_moved(const struct series *se)
{
    int32_t d = se->d0 + 14 * EX_MOVE;
    d += tether_weekday(d) == 4 ? -1 : 1;
    return local_ts(se->zone, d, se->h + 1, se->m);
}

static void
make_series(struct gen *g, const struct pair *q, struct rng *r, int32_t lo,
            int32_t hi, struct series *se)
{
    const struct sample *s = g->s;
    se->zone = sample_zone_at(s, q->mentor, lo);
    se->d0 = weekday_of(lo + 3 + sample_rng_range(r, 0, 4));
    if (se->d0 < lo + 3)
        se->d0 += 2;
    int64_t t = choose_time(s, q, r, se->d0);
    int64_t local = t + offset_at(se->zone, t);
    int64_t sec = local - (int64_t)utc_day(local) * 86400;
    se->h = (int)(sec / 3600);
    se->m = (int)(sec % 3600 / 60);
    if (se->h > 16)
        se->h = 16;
    static const int lengths[] = {30, 45, 60};
    se->minutes = lengths[sample_rng_below(r, 3)];
    const struct version *vm = sample_version_at(s, &s->people[q->mentor], lo);
    const struct version *ve = sample_version_at(s, &s->people[q->mentee], lo);
    se->medium = vm->site == ve->site && sample_sites[vm->site].office &&
                         vm->mode != MODE_REMOTE && ve->mode != MODE_REMOTE
                     ? TETHER_MEDIUM_IN_PERSON
                     : TETHER_MEDIUM_VIDEO;
    se->n = 0;
    while (se->d0 + 14 * se->n <= hi - 2)
        se->n++;
    se->exceptions = se->n >= 6;
    se->until = sample_rng_chance(r, 0.5);
    for (int k = 0; k < se->n; k++) {
        if (se->exceptions && (k == EX_EXDATE || k == EX_CANCEL))
            continue;
        struct sc *c = push(g);
        c->t = se->exceptions && k == EX_MOVE ? series_moved(se)
                                              : series_at(se, k);
        c->dur = (int16_t)se->minutes;
        c->medium = (uint8_t)se->medium;
        c->route = s->formats ? ROUTE_ICS : ROUTE_CSV;
    }
}

static int
cmp_sc(const void *a, const void *b)
{
    const struct sc *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

#define LANDMARK 90

/* Clock distance of the two zones at noon UTC of day, on the 24-hour
 * circle, as SPEC 3.7 measures long distance. */
static double
clock_hours(const struct sample *s, const struct pair *q, int32_t day)
{
    int64_t noon = (int64_t)day * 86400 + 12 * 3600;
    int om = offset_at(sample_zone_at(s, q->mentor, day), noon);
    int oe = offset_at(sample_zone_at(s, q->mentee, day), noon);
    double d = fmod(fabs((double)(om - oe)) / 3600.0, 24.0);
    return d < 24 - d ? d : 24 - d;
}

/* The planted practices: what the pair did in its first 90 days (measured
 * on the meetings made so far, as the analyzer measures them) sets its
 * hazard of stopping; returns the day it stops meeting. Summaries and an
 * in-person meeting halve the hazard of long-distance pairs, a mentee who
 * chose helps a little, over a quarter of meetings off hours for either
 * side hurts. */
static int32_t
plant_quit(struct gen *g, struct pair *q, struct rng *pr)
{
    const struct sample *s = g->s;
    int32_t lo = q->started;
    long meetings = 0, known = 0, sent = 0, in_person = 0, om = 0, oe = 0;
    for (size_t i = 0; i < g->n; i++) {
        const struct sc *c = &g->c[i];
        int32_t day = utc_day(c->t);
        if (c->medium > TETHER_MEDIUM_IN_PERSON || day < lo || day >= lo + LANDMARK)
            continue;
        meetings++;
        if (c->summary >= 0) {
            known++;
            sent += c->summary;
        }
        in_person += c->medium == TETHER_MEDIUM_IN_PERSON;
        om += off_hours(s, q->mentor, c->t);
        oe += off_hours(s, q->mentee, c->t);
    }
    double h = log(2.0) / SAMPLE_QUIET_MEDIAN;
    if (q->long_distance && known && 2 * sent >= known)
        h *= SAMPLE_HR_SUMMARY;
    if (q->long_distance && in_person)
        h *= SAMPLE_HR_IN_PERSON;
    if (q->chose == 1)
        h *= SAMPLE_HR_CHOSE;
    if (meetings && (4 * om > meetings || 4 * oe > meetings))
        h *= SAMPLE_HR_OFF_HOURS;
    double u = sample_rng_unit(pr);
    double days = 60 - log(1 - u) / h;
    return days > 4000 ? 0 : lo + (int32_t)days;
}

/* The habits of the first 90 days, on the meetings made so far: a pair
 * that writes summaries writes most of them; a long-distance pair meets in
 * person only on its one planned visit. */
static void
plant_habits(struct gen *g, const struct pair *q, struct rng *pr)
{
    int visit_done = 0;
    for (size_t i = 0; i < g->n; i++) {
        struct sc *c = &g->c[i];
        if (c->medium > TETHER_MEDIUM_IN_PERSON)
            continue;
        if (c->summary >= 0)
            c->summary = (int8_t)sample_rng_chance(
                pr, q->summary_habit ? 0.85 : 0.15);
        if (q->long_distance) {
            if (c->medium == TETHER_MEDIUM_IN_PERSON)
                c->medium = TETHER_MEDIUM_VIDEO;
            if (q->visit && !visit_done && i > 0) {
                c->medium = TETHER_MEDIUM_IN_PERSON;
                visit_done = 1;
            }
        }
    }
}

/* What happens between the meetings, drawn from a stream of its own so
 * that every earlier contact stays as it was: a meeting the pair sent a
 * summary after (its planted habit, above) is followed by the summary
 * e-mail, one to six hours after it ends, from the mentor mostly; each
 * chat and e-mail is begun by the mentee one time in three, whoever the
 * pair (no practice effect is planted on it). Only with the message
 * exports: without them the summary is meetings.csv's summary_sent. */
static void
plant_messages(struct gen *g, uint32_t k, int32_t lo, int32_t hi)
{
    struct sample *s = g->s;
    struct rng r;
    sample_rng_seed(&r, s->seed, 7000000 + (uint64_t)k);
    size_t n0 = g->n;
    for (size_t i = 0; i < n0; i++) {
        struct sc *c = &g->c[i];
        if (c->impromptu) {
            c->from_mentee = (uint8_t)sample_rng_chance(&r, 0.35);
            continue;
        }
        if (c->medium > TETHER_MEDIUM_IN_PERSON)
            continue;
        int32_t day = utc_day(c->t);
        if (day >= s->q_start && day <= s->end) {
            int x = c->summary < 0 ? 2 : c->summary;
            s->q_summary[x]++;
        }
        int64_t at = c->t + 60 * (c->dur > 0 ? c->dur : 0) +
                     60 * sample_rng_range(&r, 60, 360);
        int mentee = sample_rng_chance(&r, 0.15);
        if (!s->formats || c->summary != 1 || utc_day(at) > hi ||
            utc_day(at) < lo)
            continue;
        s->summary_emails++;
        struct sc *e = push(g);
        e->t = at;
        e->medium = TETHER_MEDIUM_EMAIL;
        e->impromptu = 1;
        e->from_mentee = (uint8_t)mentee;
        e->is_summary = 1;
    }
}

/* Every contact of pair k into g->c, sorted by time. */
static void
generate(struct gen *g, uint32_t k, struct series *se)
{
    struct sample *s = g->s;
    struct pair *q = &s->pairs[k];
    struct rng r, pr;
    sample_rng_seed(&r, s->seed, 1000 + (uint64_t)k);
    /* The planted practices draw from a stream of their own. */
    sample_rng_seed(&pr, s->seed, ((uint64_t)1 << 40) + k);
    g->n = 0;
    se->n = 0;
    int32_t lo = q->started, hi = q->ended && q->ended < s->end ? q->ended
                                                                : s->end;
    int c = q->cadence;
    int remote = s->people[q->mentor].v[1].mode == MODE_REMOTE ||
                 s->people[q->mentee].v[1].mode == MODE_REMOTE;
    double factor = remote ? 1.3 : 1.0;
    q->long_distance = clock_hours(s, q, lo) >= SAMPLE_LONG_DISTANCE;
    q->summary_habit = (uint8_t)sample_rng_chance(&pr, 0.5);
    q->visit = (uint8_t)(q->long_distance && sample_rng_chance(&pr, 0.35));
    q->quiet_chat = (uint8_t)sample_rng_chance(&pr, 0.3);
    q->quit = 0;
    int32_t stop = hi;
    if (q->fate == FATE_FADED)
        stop = s->end - (2 * c + sample_rng_range(&r, 5, 40));
    else if (q->fate == FATE_AT_RISK)
        stop = s->end - (int32_t)lround(c * (1.6 + 0.25 * sample_rng_unit(&r)));
    else if (q->fate == FATE_NEVER_MET)
        stop = lo - 1;
    if (q->calendar) {
        make_series(g, q, &r, lo, hi, se);
    } else {
        int32_t last = 0, lim = stop < hi ? stop : hi;
        int32_t d = lo + sample_rng_range(&r, 2, c);
        for (int phase = 0; phase < 2; phase++) {
            while (d <= lim && (phase || d < lo + LANDMARK)) {
                int32_t step = (int32_t)lround(c * factor) +
                               sample_rng_range(&r, -3, 4);
                /* A meeting called off is held half a cadence later: a
                 * pair that keeps meeting never looks quiet by chance, so
                 * the pairs that go quiet are the planted ones. */
                if (sample_rng_chance(&r, remote ? 0.15 : 0.08)) {
                    d += step / 2;
                    continue;
                }
                int32_t day = add_meeting(g, q, &r, d, lo, lim);
                if (day)
                    last = day;
                d += step;
            }
            if (phase || (q->fate != FATE_HEALTHY && q->fate != FATE_FADED))
                continue;
            /* After the first 90 days: the planted hazard decides when the
             * pair stops meeting (meetings past it, in the short run
             * between day 60 and 90, are taken back). */
            plant_habits(g, q, &pr);
            q->quit = plant_quit(g, q, &pr);
            if (q->quit && q->quit < lim) {
                lim = q->quit;
                stop = stop < q->quit ? stop : q->quit;
                while (g->n && utc_day(g->c[g->n - 1].t) > lim)
                    g->n--;
                last = g->n ? utc_day(g->c[g->n - 1].t) : 0;
            }
        }
        if (q->fate != FATE_HEALTHY && q->fate != FATE_FADED)
            plant_habits(g, q, &pr);
        else
            for (size_t i = 0; i < g->n; i++) /* habits after day 90 too */
                if (utc_day(g->c[i].t) >= lo + LANDMARK &&
                    g->c[i].summary >= 0)
                    g->c[i].summary = (int8_t)sample_rng_chance(
                        &pr, q->summary_habit ? 0.85 : 0.15);
        /* The planted fading and at-risk pairs meet one last time on
         * their stop day, so how quiet they are is known exactly. */
        if ((q->fate == FATE_FADED || q->fate == FATE_AT_RISK) &&
            stop >= lo + c && stop <= hi && last < stop - 2)
            add_meeting(g, q, &r, stop, lo, hi);
    }
    for (int32_t w = lo; w <= hi; w += c) {
        /* Chats and e-mails between meetings: up to three a cadence
         * while the pair is alive, the odd one after it fades; none in
         * the first 90 days of the pairs that keep to their meetings
         * (whether they do is planted independently of everything). */
        int early = w < lo + LANDMARK;
        if (early && q->quiet_chat)
            continue;
        int alive = early || w <= stop;
        int tries = q->fate == FATE_NEVER_MET || !alive ? 1 : 3;
        double p = q->fate == FATE_NEVER_MET ? 0.15 : !alive ? 0.25 : 0.5;
        for (int t = 0; t < tries; t++)
            if (sample_rng_chance(&r, p))
                add_impromptu(g, q, &r,
                              w + (int32_t)sample_rng_below(&r, (uint32_t)c), 0, lo,
                              hi);
        if (w <= stop && !early && sample_rng_chance(&r, 0.08))
            add_impromptu(g, q, &r, weekday_of(w + sample_rng_range(&r, 0, c - 1)), 1,
                          lo, stop < hi ? stop : hi);
    }
    plant_messages(g, k, lo, hi);
    qsort(g->c, g->n, sizeof(struct sc), cmp_sc);
}

/* The pair's status and quarter figures, as SPEC 3.1 defines them with
 * the default thresholds and the organisation's zone UTC. */
static void
assess(struct gen *g, uint32_t k)
{
    struct sample *s = g->s;
    struct pair *q = &s->pairs[k];
    q->status = ST_NONE;
    if (q->started > s->end || (q->ended && q->ended < s->q_start))
        return;
    int32_t endp = q->ended && q->ended < s->end ? q->ended : s->end;
    int32_t last = 0;
    for (size_t i = 0; i < g->n; i++) {
        const struct sc *c = &g->c[i];
        int32_t day = utc_day(c->t);
        if (c->medium > TETHER_MEDIUM_IN_PERSON || day > endp)
            continue;
        last = day;
        if (day >= s->q_start) {
            q->q_meetings++;
            int om = off_hours(s, q->mentor, c->t),
                oe = off_hours(s, q->mentee, c->t);
            q->off_mentor = (uint16_t)(q->off_mentor + om);
            q->off_mentee = (uint16_t)(q->off_mentee + oe);
            q->off_any = (uint16_t)(q->off_any + (om || oe));
        }
    }
    q->last_meeting = last;
    int32_t quiet = endp - (last ? last : q->started);
    int ended = q->ended && q->ended <= s->end;
    if (!last && !ended && s->end - q->started <= 14)
        q->status = ST_NEW;
    else if (!last)
        q->status = ST_NEVER_MET;
    else if (ended)
        q->status = ST_ENDED;
    else if (quiet > 2 * q->cadence)
        q->status = ST_INACTIVE;
    else if (quiet * 2 > 3 * q->cadence)
        q->status = ST_AT_RISK;
    else
        q->status = ST_ACTIVE;
}

static void
ts_with_offset(int64_t t, int off, char *out, size_t n)
{
    char buf[TETHER_TS_LEN];
    tether_ts_format(t + off, buf);
    buf[19] = '\0'; /* drop the Z */
    int a = off < 0 ? -off : off;
    snprintf(out, n, "%s%c%02d:%02d", buf, off < 0 ? '-' : '+', a / 3600,
             a % 3600 / 60);
}

/* One meetings.csv row. Canonical rows name the pair by pair_id, a few by
 * mentor and mentee or by participants' e-mails, and give the time with
 * the mentor's UTC offset; the expected/ twins use pair_id and UTC. */
static void
write_row(struct gen *g, struct outfile *o, uint32_t k, const struct sc *c,
          const char *id, int canonical)
{
    const struct sample *s = g->s;
    const struct pair *q = &s->pairs[k];
    char pid[64], mentor[64] = "", mentee[64] = "", parts[140] = "",
                  when[40], dur[16] = "";
    sample_pair_id(k, pid);
    /* Mentor and mentee or participants only where no other pair joins
     * the same two people: the mentee never mentors. */
    int style = canonical && !s->people[q->mentee].mentor
                    ? (int)((k + c->seq * 3u) % 10)
                    : 9;
    if (style == 0) {
        sample_person_id(q->mentor, mentor);
        sample_person_email(s, q->mentee, mentee);
        pid[0] = '\0';
    } else if (style == 1) {
        char a[64], b[64];
        sample_person_email_lower(s, q->mentor, a);
        sample_person_email(s, q->mentee, b);
        snprintf(parts, sizeof(parts), "%s;%s", a, b);
        pid[0] = '\0';
    }
    if (canonical) {
        const char *zone = sample_zone_at(s, q->mentor, utc_day(c->t));
        ts_with_offset(c->t, offset_at(zone, c->t), when, sizeof(when));
    } else {
        tether_ts_format(c->t, when);
    }
    if (c->dur >= 0)
        snprintf(dur, sizeof(dur), "%d", c->dur);
    const char *row[] = {id,
                         pid,
                         mentor,
                         mentee,
                         parts,
                         when,
                         dur,
                         tether_medium_names[c->medium],
                         tether_kind_names[c->impromptu ? TETHER_KIND_IMPROMPTU
                                                        : TETHER_KIND_SCHEDULED],
                         /* With the message exports, the summaries are
                          * the e-mails after the meetings: tether infers
                          * them (SPEC 1.3a). */
                         c->summary < 0 || (canonical && s->formats) ? ""
                         : c->summary                             ? "yes"
                                                                  : "no",
                         !c->impromptu ? ""
                         : tether_initiator_names[c->from_mentee
                                                      ? TETHER_INITIATOR_MENTEE
                                                      : TETHER_INITIATOR_MENTOR]};
    sample_csv_row(o->f, "\n", 11, row);
    o->rows++;
}

static const char meetings_header[] =
    "meeting_id,pair_id,mentor,mentee,participants,started_at,duration_min,"
    "medium,kind,summary_sent,initiator\n";

#define WHERE_LEN 200

/* Where pair k's series meets: an office room for in-person series, else
 * a Google Meet link (conf) or a Zoom link (where). */
static void
series_place(const struct sample *s, uint32_t k, const struct series *se,
             char where[WHERE_LEN], char conf[WHERE_LEN])
{
    const struct pair *q = &s->pairs[k];
    if (se->medium == TETHER_MEDIUM_IN_PERSON) {
        const struct version *v =
            sample_version_at(s, &s->people[q->mentor], q->started);
        snprintf(where, WHERE_LEN, "%s office, meeting room %d.%02d",
                 sample_sites[v->site].name, 1 + (int)(k % 5),
                 (int)(k % 37));
    } else if (k % 4 == 0) {
        snprintf(conf, WHERE_LEN, "https://meet.google.com/%03x-%04x-%03x",
                 (unsigned)(k * 2654435761u) & 0xfff,
                 (unsigned)(k * 40503u) & 0xffff, (unsigned)k & 0xfff);
    } else {
        snprintf(where, WHERE_LEN, "https://example.zoom.us/j/8%010u",
                 (unsigned)((k * 2654435761u) % 1000000000u));
    }
}

/* The master's RRULE (UNTIL or COUNT) and its EXDATE. */
static void
series_rule(FILE *f, const struct series *se)
{
    if (se->until) {
        char last[TETHER_TS_LEN];
        tether_ts_format(series_at(se, se->n - 1), last);
        sample_ics_line(f,
                        "RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=%.4s%.2s%"
                        ".2sT%.2s%.2s%.2sZ",
                        last, last + 5, last + 8, last + 11,
                        last + 14, last + 17);
    } else {
        sample_ics_line(f, "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=%d",
                        se->n);
    }
    if (se->exceptions) {
        char ex[20];
        sample_ics_local(se->zone, series_at(se, EX_EXDATE), ex);
        sample_ics_line(f, "EXDATE;TZID=%s:%s", se->zone, ex);
    }
}

/* The VEVENTs of a series: the master with RRULE and EXDATE, and the
 * overrides that cancel one instance and move another. */
static void
write_series(struct gen *g, uint32_t k, const struct series *se)
{
    const struct sample *s = g->s;
    const struct pair *q = &s->pairs[k];
    FILE *f = s->ics->f;
    char pid[64], mname[64], ename[64], mmail[64], email[64], uid[160],
        start[20], end[20], stamp[TETHER_TS_LEN], text[256];
    sample_pair_id(k, pid);
    sample_person_name(&s->people[q->mentor], mname);
    sample_person_name(&s->people[q->mentee], ename);
    sample_person_email_lower(s, q->mentor, mmail);
    sample_person_email(s, q->mentee, email);
    snprintf(uid, sizeof(uid), "%s-joiners-%016llx@calendar.example.com", pid,
             (unsigned long long)(s->seed * 0x9e3779b97f4a7c15ULL ^ k));
    int64_t first = series_at(se, 0);
    tether_ts_format(first - 7 * 86400, stamp);
    char dtstamp[20];
    snprintf(dtstamp, sizeof(dtstamp), "%.4s%.2s%.2sT%.2s%.2s%.2sZ", stamp,
             stamp + 5, stamp + 8, stamp + 11, stamp + 14, stamp + 17);
    char summary[200];
    snprintf(summary, sizeof(summary), "Mentoring: %s / %s", mname, ename);
    char where[WHERE_LEN] = "", conf[WHERE_LEN] = "";
    series_place(s, k, se, where, conf);
    for (int part = 0; part < (se->exceptions ? 3 : 1); part++) {
        int64_t t0 = part == 2 ? series_moved(se)
                     : part == 1 ? series_at(se, EX_CANCEL)
                                 : first;
        sample_ics_local(se->zone, t0, start);
        sample_ics_local(se->zone, t0 + se->minutes * 60, end);
        sample_ics_line(f, "BEGIN:VEVENT");
        sample_ics_line(f, "UID:%s", uid);
        sample_ics_line(f, "DTSTAMP:%s", dtstamp);
        if (part) {
            char rid[20];
            sample_ics_local(se->zone,
                             series_at(se, part == 1 ? EX_CANCEL : EX_MOVE),
                             rid);
            sample_ics_line(f, "RECURRENCE-ID;TZID=%s:%s", se->zone, rid);
        }
        sample_ics_line(f, "DTSTART;TZID=%s:%s", se->zone, start);
        sample_ics_line(f, "DTEND;TZID=%s:%s", se->zone, end);
        if (part == 0)
            series_rule(f, se);
        sample_ics_text(text, sizeof(text), summary);
        sample_ics_line(f, "SUMMARY:%s", text);
        sample_ics_line(f, "ORGANIZER;CN=\"%s\":mailto:%s", mname, mmail);
        sample_ics_line(f,
                        "ATTENDEE;CN=\"%s\";ROLE=REQ-PARTICIPANT;PARTSTAT="
                        "ACCEPTED:mailto:%s",
                        mname, mmail);
        sample_ics_line(f,
                        "ATTENDEE;CN=\"%s\";ROLE=REQ-PARTICIPANT;PARTSTAT="
                        "ACCEPTED;RSVP=TRUE:mailto:%s",
                        ename, email);
        if (*where) {
            sample_ics_text(text, sizeof(text), where);
            sample_ics_line(f, "LOCATION:%s", text);
        }
        if (*conf)
            sample_ics_line(f, "X-GOOGLE-CONFERENCE:%s", conf);
        snprintf(text, sizeof(text),
                 "Fortnightly New Joiners mentoring conversation between "
                 "%s and %s. Bring one question, one win and one obstacle%s%s.",
                 mname, ename, *conf || strncmp(where, "https", 5) == 0
                                   ? ". Join: "
                                   : "",
                 *conf ? conf : strncmp(where, "https", 5) == 0 ? where : "");
        char desc[400];
        sample_ics_text(desc, sizeof(desc), text);
        sample_ics_line(f, "DESCRIPTION:%s", desc);
        sample_ics_line(f, "STATUS:%s", part == 1 ? "CANCELLED" : "CONFIRMED");
        sample_ics_line(f, "SEQUENCE:%d", part ? 1 : 0);
        sample_ics_line(f, "END:VEVENT");
    }
}

static int
report_pick(struct gen *g, uint32_t k, const struct sc *c)
{
    struct sample *s = g->s;
    const struct pair *q = &s->pairs[k];
    if (!s->formats || q->calendar || c->impromptu || c->medium != TETHER_MEDIUM_VIDEO ||
        c->dur < 20 || s->people[q->mentee].mentor ||
        utc_day(c->t) < s->end - 120 ||
        (s->zoom_files >= REPORT_CAP && s->teams_files >= REPORT_CAP))
        return ROUTE_CSV;
    if (!sample_rng_chance(&g->sel, 0.2))
        return ROUTE_CSV;
    if (s->zoom_files <= s->teams_files && s->zoom_files < REPORT_CAP)
        return ROUTE_ZOOM;
    return s->teams_files < REPORT_CAP ? ROUTE_TEAMS : ROUTE_ZOOM;
}

static int
write_pair(struct gen *g, uint32_t k, const struct series *se)
{
    struct sample *s = g->s;
    char pid[64];
    sample_pair_id(k, pid);
    for (size_t i = 0; i < g->n; i++) {
        struct sc *c = &g->c[i];
        if (c->route == ROUTE_CSV && s->formats && c->medium == TETHER_MEDIUM_EMAIL)
            c->route = ROUTE_TRACE;
        else if (c->route == ROUTE_CSV && s->slack && c->medium == TETHER_MEDIUM_CHAT)
            c->route = ROUTE_SLACK;
        if (c->route == ROUTE_CSV)
            c->route = (uint8_t)report_pick(g, k, c);
        char id[96];
        snprintf(id, sizeof(id), "%s-%03zu", pid, i + 1);
        s->contacts++;
        s->contacts_by_route[c->route]++;
        if (c->medium <= TETHER_MEDIUM_IN_PERSON)
            s->meetings++;
        /* The mailbox holds the invitations of its owner's meetings. */
        if (s->formats && !c->impromptu && c->medium <= TETHER_MEDIUM_IN_PERSON &&
            (int64_t)s->pairs[k].mentor == s->mbox_owner)
            sample_message_invite(s, k, c->t, i + 1);
        if (c->route == ROUTE_CSV) {
            write_row(g, s->meetings_csv, k, c, id, 1);
            continue;
        }
        if (c->route == ROUTE_ICS) {
            write_row(g, s->exp_ics, k, c, id, 0);
            continue;
        }
        if (c->route == ROUTE_TRACE || c->route == ROUTE_SLACK) {
            write_row(g, s->exp_msgs, k, c, id, 0);
            if (c->route == ROUTE_TRACE)
                sample_message_email(s, k, c->t, c->from_mentee, i + 1,
                                     c->is_summary);
            else
                sample_message_chat(s, k, c->t, c->from_mentee);
            continue;
        }
        struct rng r;
        sample_rng_seed(&r, s->seed, 900000000ULL + k * 1000ULL + i);
        struct report_meeting m = {&s->pairs[k], k, c->t, c->dur, 0, 0};
        m.split = c->t + 60 * sample_rng_range(&r, 5, c->dur - 5);
        m.zoom_id = 80000000000ULL + sample_rng_next(&r) % 9999999999ULL;
        int rc;
        if (c->route == ROUTE_ZOOM) {
            s->zoom_files++;
            write_row(g, s->exp_zoom, k, c, id, 0);
            rc = sample_zoom_write(s, &m);
        } else {
            s->teams_files++;
            m.split += sample_rng_range(&r, 1, 59);
            write_row(g, s->exp_teams, k, c, id, 0);
            rc = sample_teams_write(s, &m);
        }
        if (rc)
            return -1;
    }
    if (s->formats && se->n)
        write_series(g, k, se);
    return 0;
}

int
sample_contacts_write(struct sample *s)
{
    struct gen g = {0};
    g.s = s;
    sample_rng_seed(&g.sel, s->seed, 3);
    int rc = -1;
    s->meetings_csv = sample_out_open(s, "meetings.csv", "meetings", "csv",
                                  "tether-collect meetings");
    if (!s->meetings_csv)
        return -1;
    fputs(meetings_header, s->meetings_csv->f);
    if (s->formats) {
        s->ics = sample_out_open(s, "calendar.ics", "meetings", "ics",
                                 "tether-collect meetings --format ics");
        s->exp_ics = sample_out_open(s, "expected/calendar.csv", "expected",
                                     "csv", "tether-collect meetings");
        s->exp_zoom = sample_out_open(s, "expected/zoom.csv", "expected", "csv",
                                      "tether-collect meetings");
        s->exp_teams = sample_out_open(s, "expected/teams.csv", "expected",
                                       "csv", "tether-collect meetings");
        if (!s->ics || !s->exp_ics || !s->exp_zoom || !s->exp_teams)
            goto out;
        fputs(meetings_header, s->exp_ics->f);
        fputs(meetings_header, s->exp_zoom->f);
        fputs(meetings_header, s->exp_teams->f);
        sample_ics_begin(s);
        if (sample_messages_begin(s))
            goto out;
        fputs(meetings_header, s->exp_msgs->f);
    }
    struct tether_progress bar;
    tether_progress_start(&bar, "tether-sample: contacts", s->npairs,
                          s->quiet);
    for (uint32_t k = 0; k < s->npairs; k++) {
        struct series se;
        generate(&g, k, &se);
        assess(&g, k);
        if (write_pair(&g, k, &se))
            goto out;
        if (ferror(s->meetings_csv->f)) {
            snprintf(s->errbuf, TETHER_ERRBUF, "cannot write '%s/%s'",
                     s->dir, s->meetings_csv->rel);
            goto out;
        }
        if ((k & 1023) == 0)
            tether_progress_update(&bar, k);
    }
    tether_progress_end(&bar);
    if (s->formats)
        sample_ics_end(s);
    rc = 0;
    if (s->formats && sample_messages_end(s))
        rc = -1;
out:
    free(g.c);
    struct outfile *all[] = {s->meetings_csv, s->ics, s->exp_ics, s->exp_zoom,
                             s->exp_teams};
    for (size_t i = 0; i < 5; i++)
        if (sample_out_close(s, all[i]))
            rc = -1;
    return rc;
}
