/* collect.h - what the parts of tether-collect share: the import session
 * (one transaction per file, counts, the reject log), the contact store
 * every meeting source writes through, and the importers' entry points. */
#ifndef TETHER_COLLECT_H
#define TETHER_COLLECT_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

#include "tether/err.h"
#include "tether/csv.h"
#include "tether/progress.h"
#include "tether/vocab.h"
#include "tether/util.h"

/* Options of one tether-collect invocation. */
struct collect_opts {
    int strict;
    int quiet;
    /* people */
    int32_t as_of;
    int complete;
    const char *default_tz;
    /* meetings */
    const char *format; /* auto, csv, ics, zoom, teams, meet */
    int has_range;
    int32_t from, to;       /* --from / --to, inclusive */
    const char *date;       /* --date for reports without a date */
    const char *date_order; /* dmy or mdy for Teams/Zoom locale dates */
    const char *tz;         /* --timezone of times without an offset */
    /* every loading subcommand */
    const char *sheet; /* --sheet of .xlsx workbooks; NULL: the first */
    /* people and pairs */
    const char *columns; /* --columns FILE */
    /* messages */
    double summary_window; /* --summary-window, hours */
    const char *self;      /* --self DOMAIN,... (NULL: every address) */
    const char *owner;     /* --owner ADDRESS of a mailbox */
    int max_recipients;    /* --max-recipients */
    /* survey */
    const char *questions;
    const char *map;
    const char *survey_id;
};

/* After this many look-ups of people (or of mentors' pairs) in the
 * database, an import reads them all into memory once (about a second for a
 * million people): a look-up in the database costs a few microseconds of
 * random reads once a large file's contacts have pushed the people and
 * pairs out of SQLite's page cache. */
#define LOOKUPS_BEFORE_LOAD 10000

/* The keys a first load has written, as a Bloom filter (keyfilter.c): a
 * key it has never seen cannot be in a table that was empty as the
 * import began, so that key's de-duplication look-up is skipped; a key
 * it may have seen (every key written, and a few others) is looked up as
 * before. */
struct import;
struct key_filter {
    uint64_t *bits; /* NULL: no filter, every key may be there */
    uint64_t mask;  /* the number of blocks - 1 */
};
/* Starts f when table is empty, sized from imp's file; else leaves f off. */
void key_filter_init(struct key_filter *f, struct import *imp,
                     const char *table);
/* Adds the key of hash h; 1 when it may have been added before (always,
 * when f is off), 0 when it is new. */
int key_filter_add(struct key_filter *f, uint64_t h);
void key_filter_free(struct key_filter *f);

/* Every person's person_id and e-mail, in memory (people_map.c). */
struct people_map;
/* NULL when the people cannot be read (the caller goes on with SQL). */
struct people_map *people_map_load(sqlite3 *db);
/* The people.id of an exact person_id, or 0. */
int64_t people_map_person_id(const struct people_map *m, const char *person_id);
/* The people.id of an e-mail address, as lower(trim(email)), or 0. */
int64_t people_map_email(const struct people_map *m, const char *email);
void people_map_free(struct people_map *m);

/* A map from strings to 64-bit values in memory (idmap.c). */
struct idmap;
struct idmap *idmap_new(void);
/* The value stored under key, or NULL. */
int64_t *idmap_get(const struct idmap *m, const char *key);
/* The value under key, added as 0 (and *added set) when it was not there.
 * The pointer holds until the next idmap_put. */
int64_t *idmap_put(struct idmap *m, const char *key, int *added);
size_t idmap_count(const struct idmap *m);
/* Room for n keys without growing: a map filled with a known number of
 * keys is not rehashed at every doubling on the way. */
void idmap_reserve(struct idmap *m, size_t n);
void idmap_free(struct idmap *m);

/* Rows for one table, written by multi-row INSERTs (rowbatch.c). */
#define ROWBATCH_ROWS 64
/* Rows a batch with a writer hands over at a time: 16 INSERTs, so that
 * the two threads meet once for 16 statements rather than for each. */
#define ROWBATCH_CHUNK_ROWS (16 * ROWBATCH_ROWS)
struct rowbatch_value;
struct rowbatch_writer;
/* The rows held, and their texts: one of the two a batch has. */
struct rowbatch_chunk {
    struct rowbatch *rb;
    struct rowbatch_value *values;
    int rows;
    struct tether_buf text;
    struct rowbatch_chunk *next; /* in the writer's queue */
    int queued;                  /* the writer holds it (under its lock) */
};
struct rowbatch {
    sqlite3 *db;
    sqlite3_stmt *many, *one; /* ROWBATCH_ROWS rows; one row */
    int ncols, col;           /* columns a row; values of the row so far */
    int cap;                  /* rows written (or handed over) at a time */
    struct rowbatch_chunk chunks[2], *fill; /* fill: the one rows go to */
    struct rowbatch_writer *writer;         /* NULL: written here */
    sqlite3_stmt *const *ops; /* rowbatch_init_ops: the caller's */
    int nops;
};
/* head: "INSERT INTO t (a, b)", ncols its columns. An SQLite code. */
int rowbatch_init(struct rowbatch *rb, sqlite3 *db, const char *head,
                  int ncols);
/* Rows for any of the nops statements ops (the caller's, prepared and
 * finalized by it), each row run on its own in the order they were
 * added: the writes of a later snapshot, which mix INSERTs, UPDATEs and
 * DELETEs whose order matters. A row begins with rowbatch_op, then one
 * value for each parameter of the statement (?1, ?2, ... in order).
 * SQLITE_OK. */
int rowbatch_init_ops(struct rowbatch *rb, sqlite3 *db,
                      sqlite3_stmt *const *ops, int nops);
void rowbatch_op(struct rowbatch *rb, int k); /* ops[k] */
/* The next value of the row being added, in column order. */
void rowbatch_int(struct rowbatch *rb, int64_t v);
void rowbatch_text(struct rowbatch *rb, const char *s); /* NULL: NULL */
void rowbatch_textn(struct rowbatch *rb, const char *s, size_t n);
void rowbatch_text_or_null(struct rowbatch *rb, const char *s); /* "": NULL */
void rowbatch_real(struct rowbatch *rb, double v); /* NaN: NULL */
/* Ends the row; writes the batch when it is full (with a writer: hands
 * ROWBATCH_CHUNK_ROWS rows over). An SQLite code (with a writer, the
 * code of its failed INSERT, once it holds nothing). */
int rowbatch_end_row(struct rowbatch *rb);
/* Writes the rows still held, the writer's first. An SQLite code. */
int rowbatch_flush(struct rowbatch *rb);
/* Frees rb; stop its writer first (rowbatch_writer_free). */
void rowbatch_free(struct rowbatch *rb);

/* A thread that runs the INSERTs of the batches given to it, in the
 * order they were handed over, while the import's thread checks the next
 * rows. It owns the connection while it holds rows: it sets imp->sync,
 * so that each statement of the import's own (import_step, a reject)
 * first waits until it holds none, and the two never use the connection
 * at once. NULL when the thread cannot start (the rows are written as
 * they come); free with rowbatch_writer_free, which clears imp->sync. */
struct rowbatch_writer *rowbatch_writer_new(struct import *imp);
/* Hands rb's rows to w from now on; call it before rb holds a row. */
void rowbatch_use_writer(struct rowbatch *rb, struct rowbatch_writer *w);
/* Waits until w holds nothing: 0, or -1 when one of its INSERTs failed
 * (recorded as the import's failure, with SQLite's message). */
int rowbatch_writer_drain(struct rowbatch_writer *w);
/* Ends the thread, dropping what it still holds (the import is failing
 * when there is any: drain first to keep it), and frees w; NULL is
 * accepted. */
void rowbatch_writer_free(struct rowbatch_writer *w);

/* Every person the database knew before a large roster snapshot
 * (roster_known.c): read once instead of searched for row by row. */
struct known_person {
    int64_t id;      /* people.id */
    int64_t version; /* the version in force on the as-of date, or 0 */
    int64_t content; /* its content's number (roster_known_same) */
    int newer;       /* a newer snapshot set the unversioned columns */
    int same_day;    /* the version's valid_from is the as-of date */
    size_t who;      /* its name, e-mail and dates, in roster_known */
};
struct roster_known;
/* NULL when the people cannot be read (the caller goes on with SQL). */
struct roster_known *roster_known_load(sqlite3 *db, const char *as_of);
/* The person with that exact person_id, or NULL. */
const struct known_person *roster_known_find(const struct roster_known *k,
                                             const char *person_id);
/* 1 when p's version in force has exactly this content (attrs: the sorted
 * "name=value\n" lines). */
int roster_known_same(struct roster_known *k, const struct known_person *p,
                      const char *mode, const char *site,
                      const char *department, const char *tz,
                      const char *attrs);
/* 1 when p's name, e-mail, joined_on and left_on are these ("": NULL). */
int roster_known_same_person(struct roster_known *k,
                             const struct known_person *p, const char *name,
                             const char *email, const char *joined_on,
                             const char *left_on);
/* 1 when a person other than id (0: a new person) holds the e-mail, as
 * the unique index people_email would say: every stored e-mail is read
 * with the people, and roster_known_email_move follows the changes. */
int roster_known_email_taken(const struct roster_known *k, const char *email,
                             int64_t id);
/* Person id (p: as read, or NULL for a new person) now holds email ("":
 * none) instead of the e-mail p was read with. */
void roster_known_email_move(struct roster_known *k,
                             const struct known_person *p, int64_t id,
                             const char *email);
void roster_known_free(struct roster_known *k);

/* A few recent look-ups of a person by a row's text: exports list a
 * pair's meetings together, so the same names come back row after row. */
#define NAME_CACHE 8
struct name_cache {
    char *key[NAME_CACHE];
    int64_t id[NAME_CACHE];
    int next; /* the slot to fill next */
};
/* 1 and *id when key is cached, else 0. */
int name_cache_get(const struct name_cache *nc, const char *key, int64_t *id);
void name_cache_put(struct name_cache *nc, const char *key, int64_t id);
void name_cache_free(struct name_cache *nc);

/* One file being imported: its transaction, its imports row and counts. */
struct import {
    sqlite3 *db;
    const struct collect_opts *opts;
    const char *path;
    /* The file inside path being read (a Slack export's day file), named
     * in the reject log's reasons; NULL: none. */
    const char *entry;
    const char *kind;   /* people, pairs, meetings, survey */
    const char *format; /* csv, ics, zoom, teams, meet, ... */
    int64_t id;         /* imports.id */
    long rows, loaded, duplicates, updated, unchanged, skipped, rejected;
    int warned_columns; /* the unknown-columns warning was given */
    sqlite3_stmt *st_reject;
    struct name_cache people, emails; /* of person_lookup, person_by_email */
    sqlite3_stmt *st_person, *st_email;
    long person_queries;           /* people looked up in the database */
    struct people_map *people_map; /* every person, once loaded */
    /* A lookup whose query failed (not a person who is absent): kept so
     * that no row is rejected as "not in the roster" for it; the import
     * stops and import_end fails it with the message in errbuf. */
    enum tether_err lookup_err;
    struct tether_progress progress;
    char errbuf[TETHER_ERRBUF];
    /* The first SQLite call of the import that failed (import_db_failed):
     * SQLite may have rolled the transaction back by itself, so nothing
     * more may be written, and the file is lost whole. */
    int failed;
    int fail_code, fail_ext, fail_sys; /* its codes and errno, kept */
    int committing; /* the commit gate lets only our COMMIT through */
    /* Called before each use of the connection by the import's own
     * statements (look-ups, the reject log), binding included (a bind
     * writes the connection's error state), while another thread may be
     * writing on it (contact_store_start_writer): 0, or -1 when that
     * writing failed. import_step calls it. */
    int (*sync)(void *ctx);
    void *sync_ctx;
};

/* imp->sync, when set. */
int import_sync(struct import *imp);

/* Outcome of one import, as the exit status wants it. */
enum import_result {
    IMPORT_OK = 0,      /* all rows loaded (or the file was known) */
    IMPORT_REJECTS = 1, /* some rows rejected, the rest loaded */
    IMPORT_FAILED = 3   /* nothing loaded */
};

/* Begins the transaction and the imports row for path, whose fingerprint
 * and options are checked first: a file imported before with the same
 * options returns 1 (nothing to do), 0 when the import has begun, -1 on an
 * error (imp->errbuf). */
int import_begin(struct import *imp, sqlite3 *db,
                 const struct collect_opts *opts, const char *path,
                 const char *kind, const char *format, const char *options);
/* Records that an SQLite call of the import failed, with SQLite's message
 * in imp->errbuf and its codes, unless an earlier failure was recorded
 * (later calls fail because of the first). Returns -1. */
int import_db_failed(struct import *imp);
/* sqlite3_step of a statement of the import: SQLITE_ROW or SQLITE_DONE, or
 * -1 with the failure recorded (import_db_failed). */
int import_step(struct import *imp, sqlite3_stmt *st);
/* Reports a rejected row on stderr as FILE:LINE: column NAME: reason and
 * keeps it, with its raw text, in the reject log. column may be NULL.
 * A failure to store it is recorded (imp->failed): the file is lost. */
void import_reject(struct import *imp, long line, const char *column,
                   const char *raw, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Warns once per file, on stderr, about something that loses no data. */
void import_warn(struct import *imp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Commits (or, with --strict and rejects, rolls back) and prints the
 * summary line unless quiet. */
enum import_result import_end(struct import *imp);
/* Rolls back after a failure that loses the whole file; prints why. */
enum import_result import_fail(struct import *imp);

/* Finds a person by person_id or e-mail (any case): the people.id, or 0
 * (also after a database error, which sets imp->lookup_err). */
int64_t person_lookup(struct import *imp, const char *who);
/* Finds a person by e-mail (any case): the people.id, or 0. */
int64_t person_by_email(struct import *imp, const char *email);

/* A contact as the sources see it, before it is attributed to pairs. */
struct contact {
    const char *source_key; /* meeting_id, or UID + instance */
    int64_t started_at;     /* Unix seconds, UTC */
    double duration_min;    /* NAN when unknown */
    const char *medium;     /* video, phone, in_person, chat, email, other */
    const char *kind;       /* scheduled or impromptu */
    int summary_sent;       /* 1, 0, or -1 when unknown */
    /* Who began it (SPEC 1.3a): the people.id of the sender or organiser,
     * else a role named by the source; each pair's row says mentor,
     * mentee or unknown. */
    int64_t initiator;  /* 0 when unknown */
    int initiator_role; /* enum tether_initiator when initiator is 0 */
    /* A message seen in two sources (a mailbox and the trace) is one
     * contact: a key already stored, in this file or before, is counted
     * as a duplicate or unchanged and left as it is. */
    int keep_existing;
};


enum contact_result {
    CONTACT_LOADED,
    CONTACT_DUPLICATE, /* same key and content earlier in this file */
    CONTACT_UNCHANGED, /* same key and content from an earlier import */
    CONTACT_UPDATED,   /* same key, new content: replaced */
    CONTACT_CONFLICT,  /* same key, other content earlier in this file */
    CONTACT_ERROR      /* database error (imp->errbuf) */
};

struct contact_store;
/* Prepares the statements for storing contacts of imp; free with
 * contact_store_free. */
struct contact_store *contact_store_new(struct import *imp);
/* Writes the contacts still waiting for their batch: a source calls it
 * once it has stored every contact of a file it loads. 0, or -1 on a
 * database error (imp->errbuf). */
int contact_store_flush(struct contact_store *cs);
/* Writes the contacts of a first load (an empty contacts table) on a
 * thread of their own while the import's thread reads on; without one,
 * or when the thread cannot start, they are written as they come. The
 * import's other statements wait for it through imp->sync. */
void contact_store_start_writer(struct contact_store *cs);
/* Frees cs, dropping contacts not flushed (the import is failing). */
void contact_store_free(struct contact_store *cs);
/* Pairs whose mentor and mentee are both among the people ids and whose
 * dates contain the contact's UTC date. Returns the count, fills up to max
 * pair ids. */
size_t contact_store_pairs_among(struct contact_store *cs,
                                 const int64_t *people, size_t npeople,
                                 int64_t started_at, int64_t *pairs,
                                 size_t max);
/* Pairs of which sender is one side and one of the others the other side,
 * whose dates contain the contact's UTC date (a message between the two:
 * two recipients of one sender are no contact of theirs); started_at
 * INT64_MIN: whatever their dates. Returns the count, fills up to max pair
 * ids. */
size_t contact_store_pairs_of(struct contact_store *cs, int64_t sender,
                              const int64_t *others, size_t nothers,
                              int64_t started_at, int64_t *pairs, size_t max);
/* Stores c for each of the pairs; counts nothing (the caller does). */
enum contact_result contact_store_put(struct contact_store *cs,
                                      const struct contact *c,
                                      const int64_t *pairs, size_t npairs);
/* The canonical medium of a value in any case ("in-person" too), or NULL. */
const char *medium_name(const char *v);
/* Adds the outcome to the import's counts; CONTACT_ERROR returns -1. */
int contact_count(struct import *imp, enum contact_result r);

/* A survey answer as the sources see it. */
struct survey_answer {
    const char *survey_id, *question_id, *respondent; /* person_id or email */
    const char *text, *pair_id;                       /* "" when absent */
    int64_t submitted_at;                             /* Unix seconds, UTC */
    double value;                                     /* NAN when absent */
};

/* A question as questions.csv or a question map defines it. */
struct survey_question {
    const char *survey_id, *question_id, *text;
    const char *construct;       /* "" means other */
    double scale_min, scale_max; /* NAN when not given */
};

struct survey_store;
/* Prepares the statements; free with survey_store_free. NULL on error. */
struct survey_store *survey_store_new(struct import *imp);
void survey_store_free(struct survey_store *ss);
/* Writes the answers still queued; call it before the import ends. 0, or
 * -1 when the import failed. */
int survey_store_flush(struct survey_store *ss);
/* Creates or updates a question and counts it. 0 stored, 1 rejected (the
 * offending column name in *column, the reason in why[256]), -1 on a
 * database error. */
int survey_store_question(struct survey_store *ss,
                          const struct survey_question *q, const char **column,
                          char *why);
/* Stores an answer and counts it; returns as survey_store_question. */
int survey_store_answer(struct survey_store *ss, const struct survey_answer *a,
                        const char **column, char *why);

/* The importers: each loads one file inside an import already begun and
 * returns 0, or -1 when the whole file must be dropped (imp->errbuf). */
int roster_load(struct import *imp);
int pairs_load(struct import *imp);
int meetings_csv_load(struct import *imp);
int questions_load(struct import *imp);
int responses_load(struct import *imp);
/* A wide survey export read through the question map imp->opts->map. */
int wide_survey_load(struct import *imp);
/* iCalendar (.ics) exports of Outlook, Exchange and Google Calendar
 * (ics.c): the test on a file's start and the importer. */
int ics_detect(const char *head);
int ics_load(struct import *imp);
/* The IANA zone of a Windows zone id ("Pacific Standard Time") or display
 * name ("(UTC-05:00) Eastern Time (US & Canada)"), through CLDR's
 * windowsZones.xml and data/windows-display-names.csv (windows_zones.c),
 * or NULL. The result lives as long as the process. */
const char *windows_zone_iana(const char *name);
/* Why the tables could not be read, or NULL when they could (or were not
 * needed yet). */
const char *windows_zones_problem(void);

/* Excel workbooks (xlsx.c). Does the file start as a zip package does? */
int xlsx_is_workbook(const char *path);
/* Is it an OLE compound file (an .xls, or a password-protected .xlsx)?
 * The error that says so, into errbuf. */
int xlsx_is_compound(const char *path);
void xlsx_compound_error(const char *path, char *errbuf);
/* A reader of the rows of the sheet called sheet (NULL: the first) of the
 * workbook path, as CSV records numbered by the sheet's rows. */
enum tether_err xlsx_open(const char *path, const char *sheet,
                          struct tether_csv **out, char *errbuf);
/* Opens an input table: a workbook's sheet (--sheet, else the first) when
 * path is an .xlsx workbook, else CSV split at delim (0: comma). */
enum tether_err table_open(struct import *imp, const char *path, char delim,
                           struct tether_csv **out, char *errbuf);

/* tether-collect messages (messages.c, mail.c, trace.c, slack.c). A
 * message as every source gives it, before it is attributed to pairs. */
#define MAX_MESSAGE_RECIPIENTS 64 /* above --max-recipients' bound */
struct message {
    const char *key;                   /* msg:<Message-ID>, slack:... */
    const char *sender;                /* an address, any case */
    const char *const *rcpt;           /* direct recipients (To, Cc, ...) */
    size_t nrcpt;                      /* in rcpt */
    size_t total;                      /* recipients, rcpt's and more */
    int has_time;
    int64_t sent_at;                   /* Unix seconds, UTC */
    const char *medium;                /* email or chat */
    int calendar;                      /* a text/calendar item */
    /* When calendar is not known yet: called only for a message that would
     * be a contact, since finding out may mean parsing the whole body. */
    int (*calendar_check)(void *ctx);
    void *calendar_ctx;
};
enum msg_result { MSG_STORED, MSG_SKIPPED, MSG_REJECT, MSG_ERROR };
struct msg_sink;
/* The messages of one import whose scope is organisation (a trace),
 * mailbox or chat; NULL on a database error (imp->errbuf). */
struct msg_sink *msg_sink_new(struct import *imp, const char *scope);
/* Stores m as a contact of the pairs it is between, counting it as
 * loaded, unchanged, duplicate or skipped (the caller counts the rows).
 * MSG_REJECT: why says what is wrong (the caller rejects it, naming the
 * line); MSG_ERROR: a database error (imp->errbuf). */
enum msg_result msg_sink_put(struct msg_sink *s, const struct message *m,
                             char *why, size_t whylen);
/* Writes what is waiting and what the import saw (message_imports). 0, or
 * -1 (imp->errbuf). */
int msg_sink_finish(struct msg_sink *s);
void msg_sink_free(struct msg_sink *s);
/* 1 when addr is the organisation's (--self), or when there is no --self. */
int msg_address_ours(const struct collect_opts *o, const char *addr);
/* "mbox", "eml", "trace" or "slack" for a file or folder, or NULL with
 * errbuf saying why. */
const char *messages_detect(const char *path, char *errbuf);
/* 1 when the first n bytes are the header of a message trace or e-mail
 * log export (UTF-8, or UTF-16 with a BOM). */
int trace_detect(const char *head, size_t n);
int mbox_load(struct import *imp);
int eml_load(struct import *imp);
int trace_load(struct import *imp);
int slack_load(struct import *imp);
/* GMime's set-up, once per process, and its release. */
void mail_init(void);
void mail_shutdown(void);

/* Prints what the database holds. */
int status_print(sqlite3 *db, FILE *out, char *errbuf);

/* The loop every CSV importer shares: header, required columns, rows with
 * invalid text rejected, and for each good row a call to the importer. */
struct column {
    const char *name;
    int required;
};

/* --columns FILE (columns.c): for each canonical column, the header an
 * export uses and the export's words for tether's values. */
struct column_map;
/* Reads the map for an importer's columns (and "attribute" lines when
 * attributes is set). NULL on an error naming the file's line (errbuf).
 * Free with column_map_free. */
struct column_map *column_map_load(const char *path,
                                   const struct column *columns,
                                   size_t ncolumns, int attributes,
                                   char *errbuf);
void column_map_free(struct column_map *m);
const char *column_map_path(const struct column_map *m);
/* The export's header of a canonical column, or NULL when the map does not
 * name it; the map's line that names it (0 when none). */
const char *column_map_header(const struct column_map *m,
                              const char *canonical);
long column_map_line(const struct column_map *m, const char *canonical);
/* value, or tether's word for it when the map gives an alias for that
 * canonical column (header: the attribute's header; NULL otherwise). */
const char *column_map_value(const struct column_map *m, const char *canonical,
                             const char *header, const char *value);
/* The headers of the map's attribute lines: up to max, the count. */
size_t column_map_attributes(const struct column_map *m, const char **headers,
                             size_t max);

struct csv_row {
    struct import *imp;
    struct tether_csv *csv;
    const struct column *columns;
    size_t ncolumns;
    const long *index;  /* header position of each column, or -1 */
    const char **value; /* trimmed value of each column ("" if none) */
    const struct column_map *map; /* --columns, or NULL */
};

/* Is header cell i of r's file an attribute? Without --columns, every
 * column that is not one of the importer's; with it, the columns its
 * attribute lines name. */
int row_is_attribute(const struct csv_row *r, size_t i);
/* The trimmed value of header cell i with the map's aliases applied, in
 * a new string; free it. */
char *row_attribute_value(const struct csv_row *r, size_t i);

/* Calls row(r, ctx) for each record of imp->path after the header; row
 * returns 0, or -1 to drop the whole file. Unknown header cells are warned
 * about once when warn_unknown is set. */
int csv_import_run(struct import *imp, const struct column *columns,
                   size_t ncolumns, int warn_unknown,
                   int (*row)(struct csv_row *r, void *ctx), void *ctx);
/* The trimmed value of column k, "" when absent. */
const char *row_get(const struct csv_row *r, size_t k);
/* Rejects the row, naming column k (or no column when k is (size_t)-1). */
void row_reject(struct csv_row *r, size_t k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A meeting source: its --format name, a test on the first 8 KiB of its
 * text (UTF-8, NUL-terminated), and its importer. */
struct meeting_format {
    const char *name;
    int (*detect)(const char *head);
    int (*load)(struct import *imp);
};
extern const struct meeting_format meeting_formats[];
extern const size_t meeting_format_count;
/* The format called name, or NULL. */
const struct meeting_format *meeting_format_find(const char *name);
/* The first format whose test accepts the file (for a workbook, the
 * first rows of its sheet), or NULL (errbuf says why). */
const struct meeting_format *meeting_format_detect(const char *path,
                                                   const char *sheet,
                                                   char *errbuf);

/* Attendance reports of Zoom, Teams and Google Meet (zoom.c, teams.c,
 * meet.c) and what they share (attendance.c). */
int zoom_detect(const char *head);
int zoom_load(struct import *imp);
int teams_detect(const char *head);
int teams_load(struct import *imp);
int meet_detect(const char *head);
int meet_load(struct import *imp);
/* Calendar API JSON (calendar_json.c): Microsoft Graph events and Google
 * Calendar API events.list pages. */
int graph_detect(const char *head);
int graph_load(struct import *imp);
int gcal_detect(const char *head);
int gcal_load(struct import *imp);

/* A small report file held in memory: its records, fields trimmed. */
struct report_record {
    char **field;
    size_t n;
    long line;
    char *raw;
};
struct report_file {
    struct report_record *rec;
    size_t n;
};
/* Reads every record of imp->path split at delim (0: comma). Records with
 * invalid text are rejected and left out, so are records whose fields are
 * all blank (Excel's ",,,," rows). 0, or -1 (imp->errbuf). Free the
 * records with report_file_free. */
int report_file_read(struct import *imp, char delim, struct report_file *rf);
void report_file_free(struct report_file *rf);
/* The index of r's field equal to one of names (NULL-terminated), ignoring
 * case and blanks around it, or -1. */
long report_find(const struct report_record *r, const char *const *names);
/* Field i of r, or "" when i is negative or past the end. */
const char *report_get(const struct report_record *r, long i);

/* Locale dates such as 09/24/2020 11:35:16 AM, 15/11/22, 09:30:17,
 * 2026/02/05 10:54:08 PM GMT+5:30 or 2017-07-18 08:28:09. */
enum date_order { DATE_ORDER_UNKNOWN, DATE_ORDER_DMY, DATE_ORDER_MDY };
struct loctime {
    int has_date, y, mo, d;
    int has_time, h, mi, s;
    int has_offset, offset; /* seconds east of UTC */
};
/* Parses s; order says how to read A/B/C dates (year-first dates need
 * none). 0 on success, -1 when s is not a date and/or time. */
int loctime_parse(const char *s, enum date_order order, struct loctime *t);
/* What a date proves about its order: DMY when its first number is above
 * 12, MDY when its second is, else UNKNOWN. */
enum date_order loctime_order_hint(const char *s);
/* The order to use: --date-order when given, else the one the values
 * prove (votes of loctime_order_hint), else dflt. */
enum date_order date_order_choose(const struct import *imp,
                                  enum date_order dflt, long dmy, long mdy);
/* The instant of a parsed time that has a date: its own offset, else
 * local to zone. 0, or -1 when the zone is unknown. */
int loctime_to_utc(const struct loctime *t, const char *zone, int64_t *ts);
/* The zone of times without an offset: --timezone, else UTC. */
const char *collect_zone(const struct import *imp);
/* Parses a duration: 1h 5m 20s, 19m 26s, 30s, 1 hr 2 min, 58 min, 42m,
 * 1:05:20, or a bare number of minutes. 0, or -1. */
int duration_parse(const char *s, double *minutes);

/* One meeting of a report, its participants with rejoins merged. */
struct attendee {
    char *name, *email, *alt_email; /* "" when none */
    int64_t first_join, last_leave; /* INT64_MIN when unknown */
    int64_t last_join; /* a join after the last leave keeps the meeting on */
    double minutes;                 /* NAN when unknown */
    long line;
};
struct meeting_report {
    const char *source; /* zoom, teams or meet: the key's prefix */
    char *id;           /* meeting id, code or title; NULL when none */
    int has_start;
    int64_t started_at;
    double duration_min; /* NAN: from the join and leave times */
    long line;           /* where the meeting is described */
    const char *raw;     /* that line's text, for the reject log */
    struct attendee *people;
    size_t n, cap;
};
/* Adds a participant row, merging it with an earlier row of the same
 * person (same e-mail, or same name when there is none): earliest join,
 * latest leave, minutes summed. */
void meeting_report_add(struct meeting_report *m, const char *name,
                        const char *email, const char *alt_email, int64_t join,
                        int64_t leave, double minutes, long line);
/* Frees the participants and the id, keeping source. */
void meeting_report_clear(struct meeting_report *m);

struct attendance;
/* Prepares the statements of imp; NULL on error (imp->errbuf). Free with
 * attendance_free. */
struct attendance *attendance_new(struct import *imp);
/* Finds the participants in the roster (e-mail, else a unique name),
 * attributes the meeting to the pairs among them and stores it; a meeting
 * that matches no pair is counted as skipped. 0, or -1 on a database
 * error. */
int attendance_store(struct attendance *a, struct meeting_report *m);
/* contact_store_flush of the meetings stored. */
int attendance_flush(struct attendance *a);
/* Warns once about participants without an e-mail whose name matched no
 * single person, then frees a. */
void attendance_free(struct attendance *a);

#endif
