/* sample.h - what the parts of tether-sample share: its random numbers, the
 * synthetic organisation (people, their two roster versions, pairs), the
 * output files and the figures the manifest reports. */
#ifndef TETHER_SAMPLE_H
#define TETHER_SAMPLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tether/err.h"
#include "tether/outfile.h"
#include "tether/vocab.h"

/* xoshiro256** seeded through splitmix64: one independent stream per
 * (seed, stream) so that each pair's contacts do not depend on what was
 * generated before them. */
struct rng {
    uint64_t s[4];
};
void sample_rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
uint64_t sample_rng_next(struct rng *r);
double sample_rng_unit(struct rng *r);               /* [0, 1) */
uint32_t sample_rng_below(struct rng *r, uint32_t n); /* [0, n) */
int sample_rng_range(struct rng *r, int lo, int hi);  /* [lo, hi] */
int sample_rng_chance(struct rng *r, double p);
double sample_rng_normal(struct rng *r, double mean, double sd);

/* The generator's own order (its draws depend on it); the vocabulary's
 * names through sample_mode_name. */
enum work_mode { MODE_OFFICE, MODE_HYBRID, MODE_REMOTE };
const char *sample_mode_name(enum work_mode m);

struct site {
    const char *name, *zone, *region;
    int office; /* 0: a remote "site" (the country someone works from) */
};
extern const struct site sample_sites[];
extern const size_t sample_site_count;
extern const char *const sample_departments[];
extern const size_t sample_department_count;
extern const char *const sample_levels[];
#define LEVEL_EXECUTIVE 5

/* The planted impact effects (SPEC 3.7), written to the manifest. */
#define SAMPLE_LEAVE 0.06       /* anyone's chance of leaving in the data */
#define SAMPLE_KEEP_OFFICE 0.75 /* of a mentored office/hybrid leaver */
#define SAMPLE_KEEP_REMOTE 0.25 /* of a mentored remote leaver */
#define SAMPLE_PROMOTION 0.10   /* anyone's, mentored or not */
#define SAMPLE_QUIET_MEDIAN 540 /* days from day 60 to stopping */
#define SAMPLE_HR_SUMMARY 0.5   /* long-distance pairs that send summaries */
#define SAMPLE_HR_IN_PERSON 0.5 /* long-distance pairs that met in person */
#define SAMPLE_HR_CHOSE 0.85    /* the mentee took part in choosing */
#define SAMPLE_HR_OFF_HOURS 1.6 /* over a quarter of meetings off hours */
#define SAMPLE_LONG_DISTANCE 3  /* clock hours */

/* One roster version: indexes into the tables above. */
struct version {
    uint8_t site, dept, mode;
    uint8_t spelling; /* 0 canonical, 1 an alias (On-site, Mobile), 2 caps */
};

struct person {
    struct version v[2]; /* in people.csv, in people-2.csv */
    int32_t joined, left; /* day numbers; left 0: still employed */
    uint32_t name;        /* name key, see sample_person_name */
    uint8_t level, level2; /* in people.csv, in people-2.csv (promoted) */
    uint8_t in_first;   /* present in people.csv */
    uint8_t mixed_case; /* e-mail written Ana.Silva@Example.com */
    uint8_t mentor;     /* in the mentor pool */
    uint8_t mentored;   /* planted: mentored on the impact baseline */
    uint8_t stayed;     /* planted: a leaver whom mentoring kept */
};

enum fate { FATE_HEALTHY, FATE_AT_RISK, FATE_FADED, FATE_NEVER_MET };
enum status {
    ST_NONE, /* not active in the analysis quarter */
    ST_NEW,
    ST_NEVER_MET,
    ST_ENDED,
    ST_INACTIVE,
    ST_AT_RISK,
    ST_ACTIVE
};
/* The vocabulary's name of a status other than ST_NONE. */
const char *sample_status_name(enum status st);
enum program { PROG_GLOBAL, PROG_JOINERS };

struct pair {
    uint32_t mentor, mentee;
    int32_t started, ended; /* ended 0: open */
    uint8_t program, cadence, fate;
    int8_t chose;     /* 1, 0, -1 unknown */
    uint8_t calendar; /* scheduled meetings written to calendar.ics */
    uint8_t status;   /* enum status in the analysis quarter */
    /* Figures of the analysis quarter, filled while contacts are made. */
    uint16_t q_meetings, off_mentor, off_mentee, off_any;
    int32_t last_meeting; /* on or before its end; 0 none */
    /* Planted practices of the first 90 days and the day the pair stops
     * meeting (0: it does not), see contacts.c. */
    uint8_t long_distance, summary_habit, visit, quiet_chat;
    int32_t quit;
};

/* The output files, each counted for the manifest. */
struct outfile {
    FILE *f;
    struct tether_outfile out; /* f's temporary file, renamed at close */
    char *rel; /* path under the output directory */
    const char *kind, *format;
    char load[160]; /* the tether-collect command that loads it */
    uint64_t rows;
};

#define SAMPLE_MAX_FILES 64

struct sample {
    /* arguments */
    uint64_t seed;
    uint32_t npeople;
    int quarters;
    int formats; /* write calendar, Zoom, Teams, Forms, Qualtrics files */
    int quiet;
    const char *dir;
    /* the calendar */
    int32_t start, end;   /* first and last day covered */
    int32_t q_start;      /* first day of the last (analysis) quarter */
    int32_t snap[2];      /* as-of dates of people.csv and people-2.csv */
    char until[32], first_q[32];
    /* the organisation */
    struct person *people;
    struct pair *pairs;
    uint32_t npairs, cap_pairs;
    uint32_t exec[3];
    int64_t relocated; /* person index, -1 none */
    uint32_t joiners, leavers, dept_changes, aliases[2], promotions;
    int32_t baseline; /* the impact baseline: the day before the start */
    uint32_t kept[3];  /* leavers kept by mentoring, by work mode */
    /* outputs */
    struct outfile files[SAMPLE_MAX_FILES];
    size_t nfiles;
    /* contact figures */
    uint64_t contacts, contacts_by_route[6], meetings;
    uint32_t calendar_series, zoom_files, teams_files;
    struct outfile *ics, *meetings_csv, *exp_ics, *exp_zoom, *exp_teams;
    /* messages (messages.c): the organisation's message trace, one
     * mentor's mailbox, the Slack export's direct messages */
    struct outfile *trace, *mbox, *exp_msgs;
    int64_t mbox_owner; /* person index, -1 none */
    int slack;          /* chats go to the Slack export */
    struct sample_chat *chats;
    size_t nchats, cap_chats;
    uint64_t emails, invitations;
    /* meetings of the analysis quarter not followed by a summary [0],
     * followed by one [1], unknown [2] (the planted habit of contacts.c) */
    uint64_t q_summary[3];
    uint64_t summary_emails; /* written with the message exports */
    char errbuf[TETHER_ERRBUF];
};

enum route {
    ROUTE_CSV,
    ROUTE_ICS,
    ROUTE_ZOOM,
    ROUTE_TEAMS,
    ROUTE_TRACE, /* e-mail: mail/message-trace.csv (and the mailbox) */
    ROUTE_SLACK  /* chat: slack-export.zip */
};

/* messages.c: e-mail and chat between the meetings. */
struct sample_chat {
    uint32_t pair;
    int64_t t;
    uint8_t from_mentee;
};
/* Opens the trace, the mailbox of one mentor and expected/messages.csv;
 * chats are kept for the Slack export when the organisation is small
 * enough (SAMPLE_SLACK_MAX_PEOPLE), else they stay in meetings.csv. */
#define SAMPLE_SLACK_MAX_PEOPLE 20000
int sample_messages_begin(struct sample *s);
/* An e-mail of pair k at t, its n-th contact; summary: after a meeting. */
void sample_message_email(struct sample *s, uint32_t k, int64_t t,
                          int from_mentee, size_t n, int summary);
/* An invitation (text/calendar) of pair k for a meeting at t: in the
 * mailbox only, and no contact. */
void sample_message_invite(struct sample *s, uint32_t k, int64_t t, size_t n);
void sample_message_chat(struct sample *s, uint32_t k, int64_t t,
                         int from_mentee);
/* Writes the Slack export and closes the files. 0, or -1 (s->errbuf). */
int sample_messages_end(struct sample *s);

/* org.c */
/* Makes the people and the pairs. 0, or -1 with s->errbuf. */
int sample_org_build(struct sample *s);
/* Writes people.csv, people-2.csv and pairs.csv. */
int sample_org_write(struct sample *s);
/* The version of p in force on day (the first one before people-2). */
const struct version *sample_version_at(const struct sample *s,
                                        const struct person *p, int32_t day);
/* Formats into caller buffers of at least 64 bytes. */
void sample_person_id(uint32_t i, char *out);
void sample_person_name(const struct person *p, char *out);
/* Family name first with a comma, as Teams shows it. */
void sample_person_name_rev(const struct person *p, char *out);
void sample_person_first_last(const struct person *p, char *first,
                              char *last);
/* The e-mail as the roster writes it (mixed case for some). */
void sample_person_email(const struct sample *s, uint32_t i, char *out);
/* The e-mail in lower case, as mail systems and forms write it. */
void sample_person_email_lower(const struct sample *s, uint32_t i,
                               char *out);
void sample_pair_id(uint32_t i, char *out);
const char *sample_program_name(int program);
/* The zone of person i on day. */
const char *sample_zone_at(const struct sample *s, uint32_t i, int32_t day);
/* 1 when person i is employed on day. */
int sample_employed(const struct sample *s, uint32_t i, int32_t day);

/* contacts.c: every contact, pair by pair, written as it is made. */
int sample_contacts_write(struct sample *s);

/* surveys.c: questions, responses, the wide exports and their maps. */
int sample_surveys_write(struct sample *s);
/* Belonging by work mode of the canonical survey, for the manifest. */
struct survey_figures {
    char survey_id[48];
    uint32_t n[3];
    double sum[3];
    uint32_t exec_respondents;
    uint64_t rows, google_rows, qualtrics_rows;
    char google_id[48], qualtrics_id[48];
};
extern struct survey_figures sample_survey_figures;

/* manifest.c */
int sample_manifest_write(struct sample *s);

/* out.c: files created 0600 under the output directory. */
/* Opens rel (making its folder 0700) and registers it; NULL on error. */
struct outfile *sample_out_open(struct sample *s, const char *rel,
                                const char *kind, const char *format,
                                const char *load);
/* Closes every file; -1 when any write failed (s->errbuf). */
int sample_out_close(struct sample *s, struct outfile *o);
/* Writes one CSV field, quoted when it must be; sep before it unless
 * first. */
void sample_csv_field(FILE *f, const char *v, int first);
/* Writes the fields and the line end ("\r\n" or "\n"). */
void sample_csv_row(FILE *f, const char *eol, size_t n, const char **v);
/* 1 when zone has a VTIMEZONE definition in calendar.ics. */
int sample_ics_zone_known(const char *zone);

/* formats.c: calendar.ics, Zoom and Teams reports. */
/* The header, VTIMEZONEs and the events that are not mentoring. */
void sample_ics_begin(struct sample *s);
void sample_ics_end(struct sample *s);
/* Local wall-clock time of ts in zone: "YYYYMMDDTHHMMSS". */
void sample_ics_local(const char *zone, int64_t ts, char *out);
/* Writes one line of iCalendar text, folded at 75 octets, with CRLF. */
void sample_ics_line(FILE *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Writes value with TEXT escaping (RFC 5545 3.3.11). */
void sample_ics_text(char *out, size_t n, const char *value);

struct report_meeting {
    const struct pair *pair;
    uint32_t pair_index;
    int64_t start;
    int minutes;
    int64_t split; /* when the mentee dropped and rejoined */
    uint64_t zoom_id;
};
int sample_zoom_write(struct sample *s, const struct report_meeting *m);
int sample_teams_write(struct sample *s, const struct report_meeting *m);

#endif
