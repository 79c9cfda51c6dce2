/* internal.h - what the files of tether-analyze share: the people loaded
 * once per run, the per-pair figures and the segment tables. */
#ifndef TETHER_ANALYZE_INTERNAL_H
#define TETHER_ANALYZE_INTERNAL_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "tether/analysis.h"
#include "tether/vocab.h"

#define NO_DATE INT32_MIN
#define UNKNOWN_SEGMENT "(unknown)"

/* One roster version of a person. */
struct version {
    int64_t id;
    int32_t from;
    unsigned char mode; /* enum tether_mode */
    /* interned (see ctx.strings): equal values share one copy */
    const char *tz, *site, *department;
};

struct person {
    int64_t id;
    int32_t joined, left; /* NO_DATE when unknown */
    struct version *v;    /* oldest first */
    int nv;
    int32_t *seg; /* segment index per dimension (per period) */
    /* Per period: roles in active pairs. */
    unsigned as_mentor : 1, as_mentee : 1;
};

/* A string -> index map with open addressing. */
struct strmap {
    char **keys;
    int *vals;
    size_t cap, n;
};
int strmap_get(const struct strmap *m, const char *key); /* -1 if absent */
void strmap_put(struct strmap *m, const char *key, int val);
void strmap_free(struct strmap *m);

/* A dimension's segments for one period. */
struct dimension {
    char *name;
    struct strmap map;
    char **names; /* by index */
    int n;
};
/* The index of a segment, added when new. */
int dimension_segment(struct dimension *d, const char *name);

/* Everything loaded once per run. */
struct ctx {
    sqlite3 *db;
    const struct tether_analysis_params *p;
    char *errbuf;
    struct person *people;
    size_t npeople;
    struct version *versions; /* every person's, person by person */
    int32_t *segs;            /* every person's seg, ndims each */
    int32_t *by_id;           /* people.id -> index in people, -1 */
    int64_t max_person_id;
    /* One copy of each distinct zone, site and department: a few values
     * repeated over a million roster versions. */
    char **strings;
    size_t nstrings;
    struct strmap interned; /* string -> index in strings */
    struct strmap zones;    /* zone as stored -> index of it, or of UTC */
    char **dims;            /* dimension names: "work_mode", then --by */
    size_t ndims;
    size_t nversions;  /* in versions */
    int32_t *vperson;  /* versions[i]'s person: index in people */
    /* The attributes the run reads (each --by that is no roster column,
     * and the level for impact), read once in ctx_load. */
    struct attr_rows *attrs;
    size_t nattrs;
};

/* One attribute's non-empty values as the table's scan gives them, in
 * version id order: row i is versions[pos[i]]'s, strings[val[i]]. Every
 * reader walks them in this order, so that segments are numbered as the
 * table's scan numbered them. */
struct attr_rows {
    char *name;
    int32_t *pos, *val;
    size_t n;
};
/* The rows of attribute name, NULL when it was not read. */
const struct attr_rows *ctx_attr(const struct ctx *c, const char *name);

/* What inclusion needs of each active pair. */
struct pair_sum {
    int32_t mentor, mentee; /* indexes in ctx.people */
    int32_t days_active, meetings, days_quiet, off_hours;
    double engagement;
    unsigned char status, bridge; /* status: enum tether_status */
    signed char chose; /* 1, 0, -1 unknown */
    int32_t between;     /* contacts between the meetings */
    int32_t mentee_init; /* of them the mentee's; -1: no initiator known */
};

/* One period's working state. */
struct period_run {
    struct tether_period period;
    int64_t start_ts, end_ts; /* [start, end) in the organisation's zone */
    struct dimension *dims;   /* ctx.ndims */
    struct pair_sum *pairs;
    size_t npairs, cap;
    int64_t run; /* the stored run, 0 when not stored */
    /* Meetings by local starting hour of each side, and those without a
     * usable zone. */
    long hour_mentor[24], hour_mentee[24], hours_unknown;
};

/* TETHER_ERR_USAGE for a --by that is no dimension or an unknown zone,
 * TETHER_ERR_DB for a failed query; errbuf says which. */
enum tether_err ctx_load(struct ctx *c, sqlite3 *db,
                         const struct tether_analysis_params *p, char *errbuf);
void ctx_free(struct ctx *c);
/* The version of a person in force on day (the first before it). */
const struct version *person_version(const struct person *ps, int32_t day);
/* Sets every person's segments for the period's as_of. */
int segments_assign(struct ctx *c, struct period_run *r);
/* Every person's segment of dim on as_of, from the roster as loaded, into
 * seg[index * stride + offset]. 0, or -1 with c->errbuf set. */
int dimension_fill(struct ctx *c, struct dimension *dim, int32_t as_of,
                   int32_t *seg, size_t stride, size_t offset);
void period_run_free(struct ctx *c, struct period_run *r);

/* What the messages imports saw (SPEC 1.3a): whose mail, over which span.
 * A summary's absence is evidence only inside such a span. */
struct coverage {
    int64_t owner; /* people.id, 0: the whole organisation (a trace) */
    int64_t first, last;
};
struct mail_seen {
    struct coverage *c;
    size_t n;
    double window; /* --summary-window of the latest messages import */
};
/* Reads message_imports into *m (free with mail_seen_free); -1 with
 * c->errbuf set on a database error. */
int mail_seen_load(struct ctx *c, struct mail_seen *m);
void mail_seen_free(struct mail_seen *m);

/* One contact of a pair, as the analysis keeps it (contacts.c). */
enum { MED_MEETING = 1, MED_EMAIL = 2, MED_IN_PERSON = 4 };
struct crow {
    int64_t ts;
    double minutes;          /* NAN when unknown */
    unsigned char medium;    /* MED_* bits */
    unsigned char impromptu; /* kind impromptu */
    unsigned char is_summary; /* an e-mail that is a meeting's summary */
    signed char summary;     /* 1, 0, -1 unknown: after the inference */
    signed char given;       /* the same as the source gave it */
    signed char initiator;   /* enum tether_initiator */
    int32_t day;             /* in the organisation's zone */
};

/* Contacts rows, grown as needed (free v). */
struct crows {
    struct crow *v;
    size_t n, cap;
};

/* The contacts of every pair, read in one scan in key order (pair, time)
 * alongside the pairs in id order: one pass over the table, as the
 * cheapest query over it makes, instead of one search per pair. A pair's
 * own contacts are held while it is looked at: the summary of a meeting
 * is an e-mail that comes after it. */
struct contact_cursor {
    sqlite3_stmt *st; /* started_at, duration_min, medium, kind,
                         summary_sent, pair, initiator */
    int rc;           /* of the last step: SQLITE_ROW while a row waits */
};
/* Starts the scan of the contacts before the time before on c->db; -1
 * with c->errbuf set. Close with contact_cursor_close (also after a
 * failure). */
int contact_cursor_open(struct ctx *c, struct contact_cursor *cur,
                        int64_t before);
void contact_cursor_close(struct contact_cursor *cur);
/* Appends the contacts of pair to out (skipping those of the pairs before
 * it); pairs must come in increasing order. -1 with c->errbuf set. */
int contacts_read(struct ctx *c, struct contact_cursor *cur, int64_t pair,
                  struct crows *out);
/* SPEC 1.3a over one pair's contacts in time order (people.id of the
 * two), from the summaries the source gave: a meeting whose summary the source left unknown was followed by
 * one when one of the two e-mailed the other within the window after it
 * ended and before their next meeting (that e-mail is the summary, marked
 * is_summary: not a contact between the meetings); it was not when the
 * mail of one of them was seen over the whole window. */
void summaries_infer(const struct mail_seen *seen, struct crow *rows,
                     size_t n, int64_t mentor, int64_t mentee);

/* 1 when db's main database is in WAL mode (run.c). */
int db_is_wal(sqlite3 *db);

/* 3.1 for the periods runs[0..n) (runs[0] the latest: every other ends
 * before it) and the pairs of impact m (NULL: none), in one scan of the
 * pairs and their contacts: every active pair of each period in
 * runs[k].pairs, and its pair_health rows stored when runs[k].run. 0, or
 * -1 with c->errbuf set. */
struct impact;
int pairs_scan(struct ctx *c, struct period_run *runs, size_t n,
               struct impact *m);
/* 3.2: the inclusion object (dimension -> segments). */
json_t *inclusion_build(struct ctx *c, struct period_run *r);
/* An answer of an earlier published run: its respondent (index in
 * ctx.people) and its identity (responses.id, or minus
 * responses_history.id for an answer corrected since). */
struct view_answer {
    int construct; /* enum tether_construct, -1 when unknown */
    int32_t person;
    int64_t rid;
};

/* What an earlier published run showed of one period's surveys, with
 * every segment recomputed as it was then (published.c). */
struct view {
    int64_t run, last_import;
    int32_t start, end, as_of;
    struct dimension *dims; /* work_mode, then its --by */
    size_t ndims;
    int32_t *seg; /* npeople * ndims: segment index in dims, -1 */
    struct view_answer *answers;
    size_t nanswers;
    int same_answers; /* its answers are this run's (same period, none
                         corrected or added since): answers is empty */
    json_t *entries; /* its surveys entries (suppressed, homogeneous) */
};
/* The views of every published run (and its trend entries) whose period
 * overlaps period; free with views_free. */
int views_load(struct ctx *c, const struct tether_period *period,
               struct view **v, size_t *n);
void views_free(struct view *v, size_t n);

/* What rules 2, 3 and 5 of SPEC 3.3 suppressed, summed over constructs. */
struct disclosure_counts {
    long complementary, differencing, homogeneous, warnings, inexact;
    long views; /* earlier published views taken into account */
    double seconds; /* CPU time of rule 3 and of loading the views */
};

/* 3.3: the surveys list and the comparisons; adds to *counts. */
int surveys_build(struct ctx *c, struct period_run *r, json_t **surveys,
                  json_t **comparisons, struct disclosure_counts *counts);

/* 3.7: program impact of the period (baseline as_of - horizon), worked
 * out over the same scan of pairs and contacts as pair health: begin, one
 * impact_pair per pair that started on or before as_of (in id order),
 * then finish. impact_begin returns NULL with c->errbuf set on a database
 * error; free with impact_free (NULL too). */
struct impact *impact_begin(struct ctx *c, const struct tether_period *period);
/* A pair as impact reads it: people as indexes in ctx.people, ended
 * NO_DATE when open, chose 1, 0 or -1 unknown. */
struct impact_pair_in {
    int64_t id;
    int32_t mentor, mentee, started, ended;
    int chose, cadence;
};
/* rows: the pair's contacts up to pair health's end of the period, after
 * summaries_infer. */
void impact_pair(struct impact *m, const struct impact_pair_in *in,
                 const struct crow *rows, size_t n);
/* The impact object, owned by the caller (json_decref). */
json_t *impact_finish(struct impact *m);
void impact_free(struct impact *m);
/* Stores every figure of an impact object through the metrics statement
 * of run.c (?1 section, ?2 dimension, ?3 segment, ?4 construct, ?5 name,
 * ?6 value). Nonzero when a step failed. */
int impact_store(sqlite3_stmt *st, json_t *impact);
/* 1 when a meeting at ts on day (organisation's zone) starts off hours for
 * the person (3.1). */
int contact_off_hours(const struct ctx *c, const struct person *ps,
                      int32_t day, int64_t ts);

/* JSON helpers: a real or null when not finite. */
json_t *jnum(double v);
/* The run's objects are keyed by the vocabulary's metric names: member m
 * of o set to v (jset steals v, jcopy takes a reference), or read. */
void jset(json_t *o, enum tether_metric m, json_t *v);
void jcopy(json_t *o, enum tether_metric m, json_t *v);
json_t *jget(const json_t *o, enum tether_metric m);
/* The midnight that starts day in the zone. */
int64_t zone_midnight(const char *zone, int32_t day);

#endif
