/* pairs.c - pairs.csv: who mentors whom, since when, how often. */
#include "collect.h"

#include <stdlib.h>
#include <string.h>

#include "tether/db.h"
#include "tether/timeutil.h"
#include "tether/util.h"

enum {
    C_PAIR_ID,
    C_PROGRAM,
    C_MENTOR,
    C_MENTEE,
    C_STARTED_ON,
    C_ENDED_ON,
    C_MENTEE_CHOSE,
    C_CADENCE_DAYS,
    C_COUNT
};

static const struct column columns[C_COUNT] = {
    {"pair_id", 0},      {"program", 0},      {"mentor", 1},
    {"mentee", 1},       {"started_on", 1},   {"ended_on", 0},
    {"mentee_chose", 0}, {"cadence_days", 0},
};

#define DEFAULT_CADENCE 30

/* A file into an empty pairs table (the first load) is written in bulk:
 * rows go in ROWBATCH_ROWS at a time, the mentor and mentee indexes are
 * dropped and built again at the end (a sort instead of half a million
 * insertions in random places), and a pair_id the file has not named yet
 * is not looked up, since it cannot be in the table; one it has named is
 * looked up as any other, once the rows before it are written. Both index
 * statements are in the import's transaction: a failed import gets its
 * indexes back with its rollback. */
struct pairs_ctx {
    sqlite3_stmt *find, *add, *update;
    int bulk;
    struct rowbatch rows;
    struct rowbatch_writer *writer; /* the rows' INSERTs (bulk; NULL: here) */
    struct idmap *seen; /* the pair_ids of this file (bulk) */
};

/* The checked fields of one row of pairs.csv. */
struct pair_fields {
    int64_t mentor, mentee;
    int32_t started;
    const char *ended_s; /* "" when open */
    int chose;           /* -1 when not given */
    long cadence;
};

/* Reads and checks the row's fields into *p. Returns 0, or 1 when the
 * row was rejected. */
static int
pair_parse(struct csv_row *r, struct pair_fields *p)
{
    struct import *imp = r->imp;
    int64_t mentor = person_lookup(imp, row_get(r, C_MENTOR));
    if (!mentor) {
        row_reject(r, C_MENTOR,
                   "'%s' is not in the roster (person_id or "
                   "e-mail)",
                   row_get(r, C_MENTOR));
        return 1;
    }
    int64_t mentee = person_lookup(imp, row_get(r, C_MENTEE));
    if (!mentee) {
        row_reject(r, C_MENTEE,
                   "'%s' is not in the roster (person_id or "
                   "e-mail)",
                   row_get(r, C_MENTEE));
        return 1;
    }
    if (mentor == mentee) {
        row_reject(r, C_MENTEE, "a person cannot mentor themselves");
        return 1;
    }
    int32_t started, ended = 0;
    if (tether_date_parse(row_get(r, C_STARTED_ON), &started)) {
        row_reject(r, C_STARTED_ON, "'%s' is not a date (YYYY-MM-DD)",
                   row_get(r, C_STARTED_ON));
        return 1;
    }
    const char *ended_s = row_get(r, C_ENDED_ON);
    if (*ended_s && tether_date_parse(ended_s, &ended)) {
        row_reject(r, C_ENDED_ON, "'%s' is not a date (YYYY-MM-DD)", ended_s);
        return 1;
    }
    if (*ended_s && ended < started) {
        row_reject(r, C_ENDED_ON, "ended_on %s is before started_on %s",
                   ended_s, row_get(r, C_STARTED_ON));
        return 1;
    }
    int chose = -1;
    if (*row_get(r, C_MENTEE_CHOSE) &&
        (chose = tether_parse_yesno(row_get(r, C_MENTEE_CHOSE))) < 0) {
        row_reject(r, C_MENTEE_CHOSE, "'%s' is not yes or no",
                   row_get(r, C_MENTEE_CHOSE));
        return 1;
    }
    long cadence = DEFAULT_CADENCE;
    if (*row_get(r, C_CADENCE_DAYS) &&
        (tether_parse_long(row_get(r, C_CADENCE_DAYS), &cadence) ||
         cadence < 1 || cadence > 3660)) {
        row_reject(r, C_CADENCE_DAYS,
                   "'%s' is not a number of days between 1 and 3660",
                   row_get(r, C_CADENCE_DAYS));
        return 1;
    }
    p->mentor = mentor;
    p->mentee = mentee;
    p->started = started;
    p->ended_s = ended_s;
    p->chose = chose;
    p->cadence = cadence;
    return 0;
}

/* Queues a new pair of a bulk load. 0, or -1 when the import failed. */
static int
bulk_add(struct pairs_ctx *pc, struct csv_row *r, const char *pair_id,
         const char *start_s, const struct pair_fields *p)
{
    struct rowbatch *rb = &pc->rows;
    rowbatch_text(rb, pair_id);
    rowbatch_text_or_null(rb, row_get(r, C_PROGRAM));
    rowbatch_int(rb, p->mentor);
    rowbatch_int(rb, p->mentee);
    rowbatch_text(rb, start_s);
    rowbatch_text_or_null(rb, p->ended_s);
    if (p->chose < 0)
        rowbatch_text(rb, NULL);
    else
        rowbatch_int(rb, p->chose);
    rowbatch_int(rb, p->cadence);
    rowbatch_int(rb, r->imp->id);
    if (rowbatch_end_row(rb) != SQLITE_OK)
        return import_db_failed(r->imp);
    r->imp->loaded++;
    return 0;
}

/* Adds the pair, updates it, or counts it unchanged or duplicate.
 * Returns 0, or -1 when the import failed. */
static int
pair_store(struct pairs_ctx *pc, struct csv_row *r,
           const struct pair_fields *p)
{
    struct import *imp = r->imp;
    char start_s[TETHER_DATE_LEN];
    tether_date_format(p->started, start_s);
    char *pair_id = *row_get(r, C_PAIR_ID)
                        ? tether_xstrdup(row_get(r, C_PAIR_ID))
                        : tether_xasprintf("%s:%s:%s", row_get(r, C_MENTOR),
                                           row_get(r, C_MENTEE), start_s);
    int rc = 0;
    if (pc->bulk) {
        int added;
        idmap_put(pc->seen, pair_id, &added);
        if (added) {
            rc = bulk_add(pc, r, pair_id, start_s, p);
            goto out;
        }
        if (rowbatch_flush(&pc->rows) != SQLITE_OK) {
            rc = import_db_failed(imp);
            goto out;
        }
    }
    /* Existing pair: same content is unchanged, other content updates it,
     * unless this file already named the pair. */
    sqlite3_stmt *st = pc->find;
    sqlite3_bind_text(st, 1, pair_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, p->mentor);
    sqlite3_bind_int64(st, 3, p->mentee);
    sqlite3_bind_text(st, 4, start_s, -1, SQLITE_STATIC);
    tether_db_bind_text(st, 5, p->ended_s);
    if (p->chose < 0)
        sqlite3_bind_null(st, 6);
    else
        sqlite3_bind_int(st, 6, p->chose);
    sqlite3_bind_int64(st, 7, p->cadence);
    tether_db_bind_text(st, 8, row_get(r, C_PROGRAM));
    int exists = 0, same = 0, this_file = 0;
    if (import_step(imp, st) == SQLITE_ROW) {
        exists = 1;
        same = sqlite3_column_int(st, 0);
        this_file = sqlite3_column_int64(st, 1) == imp->id;
    }
    sqlite3_reset(st);
    if (imp->failed) {
        rc = -1;
        goto out;
    }
    if (exists && this_file) {
        if (same)
            imp->duplicates++;
        else
            row_reject(r, C_PAIR_ID, "pair %s appears again with other content",
                       pair_id);
        goto out;
    }
    if (exists && same) {
        imp->unchanged++;
        goto out;
    }
    st = exists ? pc->update : pc->add;
    sqlite3_bind_text(st, 1, pair_id, -1, SQLITE_TRANSIENT);
    tether_db_bind_text(st, 2, row_get(r, C_PROGRAM));
    sqlite3_bind_int64(st, 3, p->mentor);
    sqlite3_bind_int64(st, 4, p->mentee);
    sqlite3_bind_text(st, 5, start_s, -1, SQLITE_STATIC);
    tether_db_bind_text(st, 6, p->ended_s);
    if (p->chose < 0)
        sqlite3_bind_null(st, 7);
    else
        sqlite3_bind_int(st, 7, p->chose);
    sqlite3_bind_int64(st, 8, p->cadence);
    sqlite3_bind_int64(st, 9, imp->id);
    int s = sqlite3_step(st);
    sqlite3_reset(st);
    if (s != SQLITE_DONE) {
        rc = import_db_failed(imp);
        goto out;
    }
    if (exists)
        imp->updated++;
    else
        imp->loaded++;
out:
    free(pair_id);
    return rc;
}

static int
pair_row(struct csv_row *r, void *ctx)
{
    struct pair_fields p;
    if (pair_parse(r, &p))
        return 0;
    return pair_store(ctx, r, &p);
}

/* Starts a bulk load when the pairs table is empty. 0, or -1
 * (imp->errbuf). */
static int
bulk_begin(struct import *imp, struct pairs_ctx *pc)
{
    int64_t any;
    if (tether_db_int64(imp->db, "SELECT EXISTS (SELECT 1 FROM pairs)", &any,
                        imp->errbuf))
        return -1;
    if (any)
        return 0;
    pc->bulk = 1;
    pc->seen = idmap_new();
    if (rowbatch_init(&pc->rows, imp->db,
                      "INSERT OR FAIL INTO pairs (pair_id, program, mentor, "
                      "mentee, started_on, ended_on, mentee_chose, "
                      "cadence_days, import_id)",
                      9) != SQLITE_OK)
        return import_db_failed(imp);
    if (tether_db_exec(imp->db,
                       "DROP INDEX pairs_mentor; DROP INDEX pairs_mentee",
                       imp->errbuf))
        return -1;
    if ((pc->writer = rowbatch_writer_new(imp)))
        rowbatch_use_writer(&pc->rows, pc->writer);
    return 0;
}

/* The rows still queued, then the indexes bulk_begin dropped, exactly as
 * the schema defines them. */
static int
bulk_end(struct import *imp, struct pairs_ctx *pc)
{
    if (rowbatch_flush(&pc->rows) != SQLITE_OK)
        return import_db_failed(imp);
    /* The writer holds nothing now; what follows is this thread's. */
    rowbatch_writer_free(pc->writer);
    pc->writer = NULL;
    return tether_db_exec(imp->db,
                          "CREATE INDEX pairs_mentor ON pairs(mentor);"
                          "CREATE INDEX pairs_mentee ON pairs(mentee)",
                          imp->errbuf)
               ? -1
               : 0;
}

int
pairs_load(struct import *imp)
{
    struct pairs_ctx pc = {0};
    int rc = -1;
    if (tether_db_prepare(
            imp->db,
            "SELECT mentor = ?2 AND mentee = ?3 AND started_on = ?4 AND "
            "ended_on IS ?5 AND mentee_chose IS ?6 AND cadence_days = ?7 "
            "AND program IS ?8, import_id FROM pairs WHERE pair_id = ?1",
            &pc.find, imp->errbuf) ||
        tether_db_prepare(imp->db,
                          "INSERT INTO pairs (pair_id, program, mentor, "
                          "mentee, started_on, ended_on, mentee_chose, "
                          "cadence_days, import_id) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                          &pc.add, imp->errbuf) ||
        tether_db_prepare(imp->db,
                          "UPDATE pairs SET program = ?2, mentor = ?3, "
                          "mentee = ?4, started_on = ?5, ended_on = ?6, "
                          "mentee_chose = ?7, cadence_days = ?8, "
                          "import_id = ?9 WHERE pair_id = ?1",
                          &pc.update, imp->errbuf))
        goto out;
    if (bulk_begin(imp, &pc))
        goto out;
    rc = csv_import_run(imp, columns, C_COUNT, 1, pair_row, &pc);
    if (rc == 0 && pc.bulk)
        rc = bulk_end(imp, &pc);
out:
    if (pc.bulk) {
        rowbatch_writer_free(pc.writer);
        rowbatch_free(&pc.rows);
        idmap_free(pc.seen);
    }
    sqlite3_finalize(pc.find);
    sqlite3_finalize(pc.add);
    sqlite3_finalize(pc.update);
    return rc;
}
