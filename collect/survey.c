/* survey.c - the survey store, questions.csv and the canonical long form
 * responses.csv. Wide exports (wide_survey.c) store through the same
 * functions. */
#include "collect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tether/db.h"
#include "tether/timeutil.h"
#include "tether/util.h"

#define WHY_LEN 256

/* Questions an import has found, so that each answer does not look its
 * question up again (a survey has a few dozen; a file answers them a
 * million times). */
#define QUESTIONS_KEPT 64

struct known_question {
    char *survey_id, *question_id;
    int64_t id;
    double lo, hi; /* the scale, NAN when the question has none */
};

struct survey_store {
    struct import *imp;
    sqlite3_stmt *survey_add, *question_find, *question_put, *question_id,
        *answer_find, *answer_add, *answer_update, *answer_keep, *pair_find;
    struct known_question known[QUESTIONS_KEPT];
    size_t nknown;
    /* the last answer's pair: a respondent's answers come together */
    char *pair_key;
    int64_t pair;
    /* Into an empty responses table (the first load), an answer whose
     * question, respondent and time the filter has never seen is not
     * looked up and goes into a multi-row INSERT; the others are looked
     * up as before, once the rows before them are written. */
    struct key_filter answers;
    struct rowbatch batch; /* with answers.bits */
    /* From the batch's first answer (bulk_begin) to the end of the load
     * (survey_store_flush): responses_time is dropped, to be built once
     * at the end, and the batch's INSERTs run on a thread of their own
     * while this one checks the next rows (writer; NULL: here). Every
     * statement of this store waits for the writer first (import_sync). */
    int bulk;
    struct rowbatch_writer *writer;
    /* Every pair by pair_id, read once LOOKUPS_BEFORE_LOAD pairs have
     * been looked up one by one (a look-up waits for the writer). */
    struct idmap *pair_ids;
    long pair_queries;
};

static void
known_clear(struct survey_store *ss)
{
    for (size_t i = 0; i < ss->nknown; i++) {
        free(ss->known[i].survey_id);
        free(ss->known[i].question_id);
    }
    ss->nknown = 0;
}

struct survey_store *
survey_store_new(struct import *imp)
{
    struct survey_store *ss = tether_xcalloc(1, sizeof(*ss));
    ss->imp = imp;
    struct {
        sqlite3_stmt **st;
        const char *sql;
    } s[] = {
        {&ss->survey_add, "INSERT OR IGNORE INTO surveys (survey_id) "
                          "VALUES (?1)"},
        {&ss->question_find,
         "SELECT text IS ?3 AND construct = ?4 AND scale_min IS ?5 AND "
         "scale_max IS ?6, construct = ?4 AND scale_min IS ?5 AND "
         "scale_max IS ?6, construct, scale_min, scale_max "
         "FROM questions WHERE question_id = ?2 AND "
         "survey = (SELECT id FROM surveys WHERE survey_id = ?1)"},
        {&ss->question_put,
         "INSERT INTO questions (survey, question_id, text, construct, "
         "scale_min, scale_max) SELECT id, ?2, ?3, ?4, ?5, ?6 FROM surveys "
         "WHERE survey_id = ?1 ON CONFLICT (survey, question_id) DO UPDATE "
         "SET text = excluded.text, construct = excluded.construct, "
         "scale_min = excluded.scale_min, scale_max = excluded.scale_max"},
        {&ss->question_id,
         "SELECT q.id, q.scale_min, q.scale_max FROM questions q "
         "JOIN surveys s ON s.id = q.survey "
         "WHERE s.survey_id = ?1 AND q.question_id = ?2"},
        {&ss->answer_find,
         "SELECT id, value IS ?4 AND text IS ?5 AND pair IS ?6, import_id "
         "FROM responses WHERE question = ?1 AND respondent = ?2 AND "
         "submitted_at = ?3"},
        {&ss->answer_add,
         "INSERT INTO responses (question, respondent, submitted_at, value, "
         "text, pair, import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
        {&ss->answer_update,
         "UPDATE responses SET value = ?2, text = ?3, pair = ?4, "
         "import_id = ?5 WHERE id = ?1"},
        /* A corrected answer is a new unknown for the disclosure
         * control of published runs (SPEC 3.3): the old one is kept. */
        {&ss->answer_keep,
         "INSERT INTO responses_history (response, question, respondent, "
         "submitted_at, value, text, pair, import_id, superseded_by) "
         "SELECT id, question, respondent, submitted_at, value, text, pair, "
         "import_id, ?2 FROM responses WHERE id = ?1"},
        {&ss->pair_find, "SELECT id FROM pairs WHERE pair_id = ?1"},
    };
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
        if (tether_db_prepare(imp->db, s[i].sql, s[i].st, imp->errbuf)) {
            survey_store_free(ss);
            return NULL;
        }
    }
    key_filter_init(&ss->answers, imp, "responses");
    if (ss->answers.bits &&
        rowbatch_init(&ss->batch, imp->db,
                      "INSERT OR FAIL INTO responses (question, respondent, "
                      "submitted_at, value, text, pair, import_id)",
                      7) != SQLITE_OK) {
        import_db_failed(imp);
        survey_store_free(ss);
        return NULL;
    }
    return ss;
}

/* The first answer of a first load: see struct survey_store's bulk. */
static int
bulk_begin(struct survey_store *ss)
{
    struct import *imp = ss->imp;
    if (tether_db_exec(imp->db, "DROP INDEX responses_time", imp->errbuf))
        return import_db_failed(imp);
    ss->bulk = 1;
    if ((ss->writer = rowbatch_writer_new(imp)))
        rowbatch_use_writer(&ss->batch, ss->writer);
    return 0;
}

/* Writes the answers queued in the batch. */
static int
batch_flush(struct survey_store *ss)
{
    if (ss->answers.bits && rowbatch_flush(&ss->batch) != SQLITE_OK)
        return import_db_failed(ss->imp);
    return 0;
}

int
survey_store_flush(struct survey_store *ss)
{
    if (batch_flush(ss))
        return -1;
    if (!ss->bulk)
        return 0;
    ss->bulk = 0;
    /* The writer holds nothing now; what follows is this thread's. */
    rowbatch_writer_free(ss->writer);
    ss->writer = NULL;
    if (tether_db_exec(ss->imp->db,
                       "CREATE INDEX responses_time ON responses(submitted_at)",
                       ss->imp->errbuf))
        return import_db_failed(ss->imp);
    return 0;
}

void
survey_store_free(struct survey_store *ss)
{
    if (!ss)
        return;
    sqlite3_finalize(ss->survey_add);
    sqlite3_finalize(ss->question_find);
    sqlite3_finalize(ss->question_put);
    sqlite3_finalize(ss->question_id);
    sqlite3_finalize(ss->answer_find);
    sqlite3_finalize(ss->answer_add);
    sqlite3_finalize(ss->answer_update);
    sqlite3_finalize(ss->answer_keep);
    sqlite3_finalize(ss->pair_find);
    rowbatch_writer_free(ss->writer);
    if (ss->answers.bits)
        rowbatch_free(&ss->batch);
    idmap_free(ss->pair_ids);
    key_filter_free(&ss->answers);
    known_clear(ss);
    free(ss->pair_key);
    free(ss);
}

static int
db_fail(struct survey_store *ss)
{
    return import_db_failed(ss->imp);
}

static int
step_done(struct survey_store *ss, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(ss);
}

static void
bind_number(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

static const char *
construct_name(const char *v)
{
    const char *const *names = tether_construct_names;
    if (!v || !*v)
        return names[TETHER_CONSTRUCT_OTHER];
    for (int i = 0; i < TETHER_CONSTRUCT_COUNT; i++)
        if (strcasecmp(v, names[i]) == 0)
            return names[i];
    return NULL;
}

/* A question's construct and scale in words: "satisfaction on 1 to 5". */
static void
definition(char *buf, size_t n, const char *construct, double lo, double hi)
{
    if (isnan(lo))
        snprintf(buf, n, "%s without a scale", construct ? construct : "?");
    else
        snprintf(buf, n, "%s on %g to %g", construct ? construct : "?", lo,
                 hi);
}

/* Binds the question's columns ?1..?6 in the order both statements use. */
static void
bind_question(sqlite3_stmt *st, const struct survey_question *q,
              const char *construct, double lo, double hi)
{
    sqlite3_bind_text(st, 1, q->survey_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, q->question_id, -1, SQLITE_TRANSIENT);
    tether_db_bind_text(st, 3, q->text);
    sqlite3_bind_text(st, 4, construct, -1, SQLITE_STATIC);
    bind_number(st, 5, lo);
    bind_number(st, 6, hi);
}

int
survey_store_question(struct survey_store *ss, const struct survey_question *q,
                      const char **column, char *why)
{
    struct import *imp = ss->imp;
    if (!q->survey_id || !*q->survey_id) {
        *column = "survey_id";
        snprintf(why, WHY_LEN, "no survey_id (give --survey-id)");
        return 1;
    }
    if (!*q->question_id) {
        *column = "question_id";
        snprintf(why, WHY_LEN, "empty question_id");
        return 1;
    }
    const char *construct = construct_name(q->construct);
    if (!construct) {
        *column = "construct";
        snprintf(why, WHY_LEN,
                 "'%s' is not a construct (satisfaction, belonging, "
                 "goal_progress, nps, other)",
                 q->construct);
        return 1;
    }
    double lo = q->scale_min, hi = q->scale_max;
    if (strcmp(construct, tether_construct_names[TETHER_CONSTRUCT_NPS]) == 0 &&
        isnan(lo) && isnan(hi))
        lo = 0, hi = 10;
    if (isnan(lo) != isnan(hi) || (!isnan(lo) && lo >= hi)) {
        *column = "scale_max";
        snprintf(why, WHY_LEN, "the scale needs scale_min below scale_max");
        return 1;
    }
    if (import_sync(imp))
        return -1;
    sqlite3_bind_text(ss->survey_add, 1, q->survey_id, -1, SQLITE_TRANSIENT);
    if (step_done(ss, ss->survey_add))
        return -1;
    sqlite3_stmt *st = ss->question_find;
    bind_question(st, q, construct, lo, hi);
    int exists = 0, same = 0, same_meaning = 1;
    char was[64] = "";
    if (import_step(imp, st) == SQLITE_ROW) {
        exists = 1;
        same = sqlite3_column_int(st, 0);
        same_meaning = sqlite3_column_int(st, 1);
        if (!same_meaning)
            definition(was, sizeof(was),
                       (const char *)sqlite3_column_text(st, 2),
                       sqlite3_column_type(st, 3) == SQLITE_NULL
                           ? NAN
                           : sqlite3_column_double(st, 3),
                       sqlite3_column_type(st, 4) == SQLITE_NULL
                           ? NAN
                           : sqlite3_column_double(st, 4));
    }
    sqlite3_reset(st);
    if (imp->failed)
        return -1;
    if (!same_meaning) {
        /* Earlier answers were given on the old construct and scale:
         * moving them silently would change what they measured. */
        char now[64];
        definition(now, sizeof(now), construct, lo, hi);
        *column = "construct";
        snprintf(why, WHY_LEN,
                 "question %.24s of survey %.24s is %s; this file makes it "
                 "%s (use a new question_id)",
                 q->question_id, q->survey_id, was, now);
        return 1;
    }
    if (same) {
        imp->unchanged++;
        return 0;
    }
    bind_question(ss->question_put, q, construct, lo, hi);
    known_clear(ss); /* a scale may have changed */
    if (step_done(ss, ss->question_put))
        return -1;
    if (exists)
        imp->updated++;
    else
        imp->loaded++;
    return 0;
}

/* The id and scale of the answer's question (*id 0 when the survey has
 * no such question). Returns 0, or -1 when the import failed. */
static int
question_of(struct survey_store *ss, const struct survey_answer *a,
            int64_t *id, double *lo, double *hi)
{
    for (size_t i = 0; i < ss->nknown; i++) {
        const struct known_question *k = &ss->known[i];
        if (strcmp(k->question_id, a->question_id) == 0 &&
            strcmp(k->survey_id, a->survey_id) == 0) {
            *id = k->id;
            *lo = k->lo;
            *hi = k->hi;
            return 0;
        }
    }
    if (import_sync(ss->imp))
        return -1;
    sqlite3_stmt *st = ss->question_id;
    sqlite3_bind_text(st, 1, a->survey_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, a->question_id, -1, SQLITE_TRANSIENT);
    *id = 0;
    *lo = *hi = NAN;
    if (import_step(ss->imp, st) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
            *lo = sqlite3_column_double(st, 1);
            *hi = sqlite3_column_double(st, 2);
        }
    }
    sqlite3_reset(st);
    if (ss->imp->failed)
        return -1;
    if (*id && ss->nknown < QUESTIONS_KEPT)
        ss->known[ss->nknown++] = (struct known_question){
            .survey_id = tether_xstrdup(a->survey_id),
            .question_id = tether_xstrdup(a->question_id),
            .id = *id,
            .lo = *lo,
            .hi = *hi};
    return 0;
}

/* Every pair's id by pair_id, into ss->pair_ids; a failure leaves the
 * look-ups in SQL. */
static void
pairs_read_all(struct survey_store *ss)
{
    sqlite3_stmt *st;
    if (import_sync(ss->imp) ||
        sqlite3_prepare_v2(ss->imp->db, "SELECT pair_id, id FROM pairs", -1,
                           &st, NULL) != SQLITE_OK)
        return;
    struct idmap *ids = idmap_new();
    int rc, added;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        *idmap_put(ids, (const char *)sqlite3_column_text(st, 0), &added) =
            sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        ss->pair_ids = ids;
    else
        idmap_free(ids);
}

/* The pairs.id of pair_id (*pair 0 when there is none). Returns 0, or -1
 * when the import failed. */
static int
pair_of(struct survey_store *ss, const char *pair_id, int64_t *pair)
{
    if (ss->pair_key && strcmp(ss->pair_key, pair_id) == 0) {
        *pair = ss->pair;
        return 0;
    }
    *pair = 0;
    if (!ss->pair_ids && ss->pair_queries++ == LOOKUPS_BEFORE_LOAD)
        pairs_read_all(ss);
    if (ss->pair_ids) {
        const int64_t *id = idmap_get(ss->pair_ids, pair_id);
        if (id)
            *pair = *id;
    } else {
        if (import_sync(ss->imp))
            return -1;
        sqlite3_bind_text(ss->pair_find, 1, pair_id, -1, SQLITE_TRANSIENT);
        if (import_step(ss->imp, ss->pair_find) == SQLITE_ROW)
            *pair = sqlite3_column_int64(ss->pair_find, 0);
        sqlite3_reset(ss->pair_find);
        if (ss->imp->failed)
            return -1;
    }
    free(ss->pair_key);
    ss->pair_key = tether_xstrdup(pair_id);
    ss->pair = *pair;
    return 0;
}

/* Finds the answer's question (with its scale), respondent and pair,
 * and checks its value. Returns 0, 1 with *column and why set when the
 * answer is rejected, or -1 when the import failed. */
static int
answer_resolve(struct survey_store *ss, const struct survey_answer *a,
               int64_t *question, int64_t *respondent, int64_t *pair,
               const char **column, char *why)
{
    struct import *imp = ss->imp;
    *question = *respondent = *pair = 0;
    double lo, hi;
    if (question_of(ss, a, question, &lo, &hi))
        return -1;
    if (!*question) {
        *column = "question_id";
        snprintf(why, WHY_LEN,
                 "no question %s in survey %s (load it with --questions)",
                 a->question_id, a->survey_id);
        return 1;
    }
    *respondent = person_lookup(imp, a->respondent);
    if (imp->failed)
        return -1;
    if (!*respondent) {
        *column = "respondent";
        snprintf(why, WHY_LEN, "'%s' is not in the roster", a->respondent);
        return 1;
    }
    if (isnan(a->value) && !*a->text) {
        *column = "value";
        snprintf(why, WHY_LEN, "no value and no text");
        return 1;
    }
    if (!isnan(a->value) && !isnan(lo) && (a->value < lo || a->value > hi)) {
        *column = "value";
        snprintf(why, WHY_LEN, "%g is outside the scale %g to %g", a->value, lo,
                 hi);
        return 1;
    }
    if (*a->pair_id) {
        if (pair_of(ss, a->pair_id, pair))
            return -1;
        if (!*pair) {
            *column = "pair_id";
            snprintf(why, WHY_LEN, "no pair %s", a->pair_id);
            return 1;
        }
    }
    return 0;
}

/* Adds the answer, updates it or counts it unchanged or duplicate; the
 * same returns as survey_store_answer. */
static int
answer_write(struct survey_store *ss, const struct survey_answer *a,
             int64_t question, int64_t respondent, int64_t pair,
             const char **column, char *why)
{
    struct import *imp = ss->imp;
    if (ss->answers.bits) {
        int64_t key[3] = {question, respondent, a->submitted_at};
        uint64_t h = tether_hash(TETHER_HASH_INIT, key, sizeof(key));
        if (!key_filter_add(&ss->answers, h)) {
            if (!ss->bulk && bulk_begin(ss))
                return -1;
            struct rowbatch *rb = &ss->batch;
            rowbatch_int(rb, question);
            rowbatch_int(rb, respondent);
            rowbatch_int(rb, a->submitted_at);
            rowbatch_real(rb, a->value);
            rowbatch_text_or_null(rb, a->text);
            if (pair)
                rowbatch_int(rb, pair);
            else
                rowbatch_text(rb, NULL);
            rowbatch_int(rb, imp->id);
            if (rowbatch_end_row(rb) != SQLITE_OK)
                return db_fail(ss);
            imp->loaded++;
            return 0;
        }
        if (batch_flush(ss))
            return -1;
    }
    sqlite3_stmt *st = ss->answer_find;
    sqlite3_bind_int64(st, 1, question);
    sqlite3_bind_int64(st, 2, respondent);
    sqlite3_bind_int64(st, 3, a->submitted_at);
    bind_number(st, 4, a->value);
    tether_db_bind_text(st, 5, a->text);
    if (pair)
        sqlite3_bind_int64(st, 6, pair);
    else
        sqlite3_bind_null(st, 6);
    int64_t existing = 0;
    int same = 0, this_file = 0;
    if (import_step(imp, st) == SQLITE_ROW) {
        existing = sqlite3_column_int64(st, 0);
        same = sqlite3_column_int(st, 1);
        this_file = sqlite3_column_int64(st, 2) == imp->id;
    }
    sqlite3_reset(st);
    if (imp->failed)
        return -1;
    if (existing && same) {
        if (this_file)
            imp->duplicates++;
        else
            imp->unchanged++;
        return 0;
    }
    if (existing && this_file) {
        *column = "question_id";
        snprintf(why, WHY_LEN,
                 "a second, different answer of %s to %s at the same time",
                 a->respondent, a->question_id);
        return 1;
    }
    if (existing) {
        sqlite3_bind_int64(ss->answer_keep, 1, existing);
        sqlite3_bind_int64(ss->answer_keep, 2, imp->id);
        if (step_done(ss, ss->answer_keep))
            return -1;
    }
    st = existing ? ss->answer_update : ss->answer_add;
    int i = 1;
    if (existing) {
        sqlite3_bind_int64(st, i++, existing);
    } else {
        sqlite3_bind_int64(st, i++, question);
        sqlite3_bind_int64(st, i++, respondent);
        sqlite3_bind_int64(st, i++, a->submitted_at);
    }
    bind_number(st, i++, a->value);
    tether_db_bind_text(st, i++, a->text);
    if (pair)
        sqlite3_bind_int64(st, i++, pair);
    else
        sqlite3_bind_null(st, i++);
    sqlite3_bind_int64(st, i, imp->id);
    if (step_done(ss, st))
        return -1;
    if (existing)
        imp->updated++;
    else
        imp->loaded++;
    return 0;
}

int
survey_store_answer(struct survey_store *ss, const struct survey_answer *a,
                    const char **column, char *why)
{
    int64_t question, respondent, pair;
    int rc = answer_resolve(ss, a, &question, &respondent, &pair, column,
                            why);
    if (rc)
        return rc;
    return answer_write(ss, a, question, respondent, pair, column, why);
}

/* Rejects the row for a store's answer, naming the column it gave. */
static int
store_result(struct csv_row *r, int res, const char *column, const char *why)
{
    if (res < 0)
        return -1;
    if (res > 0) {
        size_t k = (size_t)-1;
        for (size_t i = 0; i < r->ncolumns; i++)
            if (column && strcmp(column, r->columns[i].name) == 0)
                k = i;
        row_reject(r, k, "%s", why);
    }
    return 0;
}

static double
number_or_nan(struct csv_row *r, size_t k, int *bad)
{
    double v = NAN;
    const char *s = row_get(r, k);
    if (*s && tether_parse_double(s, &v)) {
        row_reject(r, k, "'%s' is not a number", s);
        *bad = 1;
    }
    return v;
}

enum { Q_SURVEY, Q_QUESTION, Q_TEXT, Q_CONSTRUCT, Q_MIN, Q_MAX, Q_COUNT };

static const struct column question_columns[Q_COUNT] = {
    {"survey_id", 0}, {"question_id", 1}, {"text", 0},
    {"construct", 0}, {"scale_min", 0},   {"scale_max", 0},
};

static const char *
survey_of(struct csv_row *r, size_t k)
{
    const char *s = row_get(r, k);
    return *s || !r->imp->opts->survey_id ? s : r->imp->opts->survey_id;
}

static int
question_row(struct csv_row *r, void *ctx)
{
    int bad = 0;
    struct survey_question q = {
        .survey_id = survey_of(r, Q_SURVEY),
        .question_id = row_get(r, Q_QUESTION),
        .text = row_get(r, Q_TEXT),
        .construct = row_get(r, Q_CONSTRUCT),
    };
    q.scale_min = number_or_nan(r, Q_MIN, &bad);
    if (!bad)
        q.scale_max = number_or_nan(r, Q_MAX, &bad);
    if (bad)
        return 0;
    const char *column = NULL;
    char why[WHY_LEN];
    int res = survey_store_question(ctx, &q, &column, why);
    return store_result(r, res, column, why);
}

enum {
    R_SURVEY,
    R_RESPONDENT,
    R_SUBMITTED,
    R_TIMEZONE,
    R_QUESTION,
    R_VALUE,
    R_TEXT,
    R_PAIR,
    R_COUNT
};

static const struct column response_columns[R_COUNT] = {
    {"survey_id", 0},   {"respondent", 1}, {"submitted_at", 1}, {"timezone", 0},
    {"question_id", 1}, {"value", 0},      {"text", 0},         {"pair_id", 0},
};

static int
response_row(struct csv_row *r, void *ctx)
{
    struct survey_answer a = {
        .survey_id = survey_of(r, R_SURVEY),
        .question_id = row_get(r, R_QUESTION),
        .respondent = row_get(r, R_RESPONDENT),
        .text = row_get(r, R_TEXT),
        .pair_id = row_get(r, R_PAIR),
    };
    if (!*a.survey_id) {
        row_reject(r, R_SURVEY, "no survey_id (give --survey-id)");
        return 0;
    }
    const char *zone = row_get(r, R_TIMEZONE);
    if (!*zone)
        zone = r->imp->opts->tz;
    const char *when = row_get(r, R_SUBMITTED);
    enum tether_ts_result e = tether_ts_parse(when, zone, &a.submitted_at);
    int32_t day;
    if (e == TETHER_TS_MALFORMED && tether_date_parse(when, &day) == 0) {
        /* A bare date is a submission at noon UTC of that day. */
        a.submitted_at = (int64_t)day * 86400 + 43200;
        e = TETHER_TS_OK;
    }
    if (e == TETHER_TS_BAD_ZONE) {
        row_reject(r, R_TIMEZONE, "'%s' is not an IANA time zone", zone);
        return 0;
    }
    if (e) {
        row_reject(r, R_SUBMITTED,
                   e == TETHER_TS_NO_ZONE ? "'%s' has no UTC offset and there is no "
                             "timezone column"
                           : "'%s' is not a timestamp or a date",
                   when);
        return 0;
    }
    int bad = 0;
    a.value = number_or_nan(r, R_VALUE, &bad);
    if (bad)
        return 0;
    const char *column = NULL;
    char why[WHY_LEN];
    int res = survey_store_answer(ctx, &a, &column, why);
    return store_result(r, res, column, why);
}

int
questions_load(struct import *imp)
{
    struct survey_store *ss = survey_store_new(imp);
    if (!ss)
        return -1;
    int rc =
        csv_import_run(imp, question_columns, Q_COUNT, 1, question_row, ss);
    survey_store_free(ss);
    return rc;
}

int
responses_load(struct import *imp)
{
    struct survey_store *ss = survey_store_new(imp);
    if (!ss)
        return -1;
    int rc =
        csv_import_run(imp, response_columns, R_COUNT, 1, response_row, ss);
    if (rc == 0)
        rc = survey_store_flush(ss);
    survey_store_free(ss);
    return rc;
}
