/* rowbatch.c - rows for one table, inserted ROWBATCH_ROWS at a time by a
 * multi-row INSERT: one statement execution (one VDBE program start, one
 * b-tree seek per index path and page) for many rows instead of one each,
 * which is most of what a row costs when a large file fills empty tables.
 * The rows left at the end go one by one through the one-row statement.
 *
 * Values are copied into the batch (texts into one growing buffer, found
 * by their offset), so a caller may reuse its strings at once.
 *
 * With a writer (rowbatch_writer_new), a batch fills one of its chunks
 * while the writer's thread runs the INSERTs of those handed over before:
 * the import's thread checks rows and the writer's runs SQLite, on two
 * cores. */
#include "collect.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "tether/util.h"

enum { V_NULL, V_INT, V_REAL, V_TEXT };

struct rowbatch_value {
    int type;
    int64_t i;  /* V_INT */
    double d;   /* V_REAL */
    size_t off; /* V_TEXT: in text */
    size_t len;
};

/* "INSERT ... VALUES (?,?,?),(?,?,?)..." with rows groups of ncols. */
static char *
insert_sql(const char *head, int ncols, int rows)
{
    struct tether_buf b = {0};
    tether_buf_adds(&b, head);
    tether_buf_adds(&b, " VALUES ");
    for (int r = 0; r < rows; r++) {
        tether_buf_adds(&b, r ? ",(" : "(");
        for (int c = 0; c < ncols; c++)
            tether_buf_adds(&b, c ? ",?" : "?");
        tether_buf_addc(&b, ')');
    }
    return b.data;
}

static void
chunk_init(struct rowbatch *rb, struct rowbatch_chunk *ch, int cap)
{
    ch->rb = rb;
    ch->values = tether_xcalloc((size_t)rb->ncols * (size_t)cap,
                                sizeof(*ch->values));
}

int
rowbatch_init(struct rowbatch *rb, sqlite3 *db, const char *head, int ncols)
{
    memset(rb, 0, sizeof(*rb));
    rb->db = db;
    rb->ncols = ncols;
    rb->cap = ROWBATCH_ROWS;
    chunk_init(rb, &rb->chunks[0], rb->cap);
    rb->fill = &rb->chunks[0];
    rb->nchunks = 1;
    char *many = insert_sql(head, ncols, ROWBATCH_ROWS);
    char *one = insert_sql(head, ncols, 1);
    int rc = sqlite3_prepare_v2(db, many, -1, &rb->many, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, one, -1, &rb->one, NULL);
    free(many);
    free(one);
    return rc;
}

int
rowbatch_init_ops(struct rowbatch *rb, sqlite3 *db, sqlite3_stmt *const *ops,
                  int nops)
{
    memset(rb, 0, sizeof(*rb));
    rb->db = db;
    rb->ops = ops;
    rb->nops = nops;
    int most = 0;
    for (int k = 0; k < nops; k++)
        if (sqlite3_bind_parameter_count(ops[k]) > most)
            most = sqlite3_bind_parameter_count(ops[k]);
    rb->ncols = 1 + most; /* the statement's number, its values */
    rb->cap = ROWBATCH_ROWS;
    chunk_init(rb, &rb->chunks[0], rb->cap);
    rb->fill = &rb->chunks[0];
    rb->nchunks = 1;
    return SQLITE_OK;
}

void
rowbatch_free(struct rowbatch *rb)
{
    sqlite3_finalize(rb->many);
    sqlite3_finalize(rb->one);
    for (int i = 0; i < ROWBATCH_CHUNKS; i++) {
        free(rb->chunks[i].values);
        tether_buf_free(&rb->chunks[i].text);
    }
    memset(rb, 0, sizeof(*rb));
}

static struct rowbatch_value *
next_value(struct rowbatch *rb)
{
    return &rb->fill->values[(size_t)rb->fill->rows * (size_t)rb->ncols +
                             (size_t)rb->col++];
}

void
rowbatch_int(struct rowbatch *rb, int64_t v)
{
    struct rowbatch_value *x = next_value(rb);
    x->type = V_INT;
    x->i = v;
}

void
rowbatch_op(struct rowbatch *rb, int k)
{
    rowbatch_int(rb, k);
}

void
rowbatch_real(struct rowbatch *rb, double v)
{
    struct rowbatch_value *x = next_value(rb);
    x->type = isnan(v) ? V_NULL : V_REAL;
    x->d = v;
}

void
rowbatch_textn(struct rowbatch *rb, const char *s, size_t n)
{
    struct rowbatch_value *x = next_value(rb);
    if (!s) {
        x->type = V_NULL;
        return;
    }
    x->type = V_TEXT;
    x->off = rb->fill->text.len;
    x->len = n;
    tether_buf_add(&rb->fill->text, s, n);
}

void
rowbatch_text(struct rowbatch *rb, const char *s)
{
    rowbatch_textn(rb, s, s ? strlen(s) : 0);
}

void
rowbatch_text_or_null(struct rowbatch *rb, const char *s)
{
    rowbatch_text(rb, s && *s ? s : NULL);
}

static void
bind_value(sqlite3_stmt *st, int p, const struct rowbatch_chunk *ch,
           const struct rowbatch_value *x)
{
    if (x->type == V_INT)
        sqlite3_bind_int64(st, p, x->i);
    else if (x->type == V_REAL)
        sqlite3_bind_double(st, p, x->d);
    else if (x->type == V_TEXT)
        /* the buffer does not move until the step is done */
        sqlite3_bind_text(st, p, ch->text.data + x->off, (int)x->len,
                          SQLITE_STATIC);
    else
        sqlite3_bind_null(st, p);
}

/* Binds rows [from, from + n) of ch to st from parameter 1 and runs it. */
static int
run(const struct rowbatch *rb, const struct rowbatch_chunk *ch,
    sqlite3_stmt *st, int from, int n)
{
    int p = 1;
    for (int r = from; r < from + n; r++)
        for (int c = 0; c < rb->ncols; c++, p++)
            bind_value(st, p, ch,
                       &ch->values[(size_t)r * (size_t)rb->ncols + (size_t)c]);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Row r of ch, of an ops batch: its statement, bound and run. */
static int
run_op(const struct rowbatch *rb, const struct rowbatch_chunk *ch, int r)
{
    const struct rowbatch_value *x =
        &ch->values[(size_t)r * (size_t)rb->ncols];
    sqlite3_stmt *st = rb->ops[x->i];
    int n = sqlite3_bind_parameter_count(st);
    for (int p = 1; p <= n; p++)
        bind_value(st, p, ch, &x[p]);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Inserts the rows of ch, ROWBATCH_ROWS to a statement and the rest one by
 * one (an ops batch: each row through its statement), and empties it:
 * SQLITE_OK or the code of the failed step. Runs on the writer's thread,
 * or on the import's when there is none. */
static int
chunk_write(struct rowbatch *rb, struct rowbatch_chunk *ch)
{
    int rc = SQLITE_OK, r = 0;
    for (; rb->ops && r < ch->rows && rc == SQLITE_OK; r++)
        rc = run_op(rb, ch, r);
    for (; r + ROWBATCH_ROWS <= ch->rows && rc == SQLITE_OK;
         r += ROWBATCH_ROWS)
        rc = run(rb, ch, rb->many, r, ROWBATCH_ROWS);
    for (; r < ch->rows && rc == SQLITE_OK; r++)
        rc = run(rb, ch, rb->one, r, 1);
    ch->rows = 0;
    tether_buf_reset(&ch->text);
    return rc;
}

struct rowbatch_writer {
    struct import *imp;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake, idle;
    struct rowbatch_chunk *head, *tail; /* handed over, oldest first */
    int busy; /* the thread is writing a chunk it took from the queue */
    int stop;
    int rc; /* the SQLite code of a failed INSERT: nothing more is run */
};

static void *
writer_main(void *arg)
{
    struct rowbatch_writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->head && !w->stop)
            pthread_cond_wait(&w->wake, &w->mu);
        if (!w->head)
            break;
        struct rowbatch_chunk *ch = w->head;
        if (!(w->head = ch->next))
            w->tail = NULL;
        w->busy = 1;
        /* after a failure (or when stopped) the rows are dropped: the
         * import fails whole, and SQLite may have rolled it back */
        int skip = w->rc || w->stop;
        pthread_mutex_unlock(&w->mu);
        int rc = SQLITE_OK;
        if (skip) {
            ch->rows = 0;
            tether_buf_reset(&ch->text);
        } else
            rc = chunk_write(ch->rb, ch);
        pthread_mutex_lock(&w->mu);
        if (rc != SQLITE_OK && !w->rc)
            w->rc = rc;
        ch->queued = 0;
        w->busy = 0;
        pthread_cond_broadcast(&w->idle);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* The SQLite code of the writer's failure once it holds nothing, or
 * SQLITE_OK. */
static int
writer_wait(struct rowbatch_writer *w)
{
    pthread_mutex_lock(&w->mu);
    while (w->head || w->busy)
        pthread_cond_wait(&w->idle, &w->mu);
    int rc = w->rc;
    pthread_mutex_unlock(&w->mu);
    return rc;
}

int
rowbatch_writer_drain(struct rowbatch_writer *w)
{
    /* Nothing ran on the connection since the failed INSERT: its message
     * is still SQLite's. */
    return w && writer_wait(w) != SQLITE_OK ? import_db_failed(w->imp) : 0;
}

static int
writer_sync(void *ctx)
{
    return rowbatch_writer_drain(ctx);
}

struct rowbatch_writer *
rowbatch_writer_new(struct import *imp)
{
    if (imp->sync)
        return NULL; /* the connection has a writer already */
    struct rowbatch_writer *w = tether_xcalloc(1, sizeof(*w));
    w->imp = imp;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->wake, NULL);
    pthread_cond_init(&w->idle, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->wake);
        pthread_cond_destroy(&w->idle);
        free(w);
        return NULL;
    }
    imp->sync = writer_sync;
    imp->sync_ctx = w;
    return w;
}

void
rowbatch_writer_free(struct rowbatch_writer *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->wake);
    pthread_cond_destroy(&w->idle);
    w->imp->sync = NULL;
    w->imp->sync_ctx = NULL;
    free(w);
}

void
rowbatch_use_writer(struct rowbatch *rb, struct rowbatch_writer *w)
{
    if (!w || rb->writer || rb->fill->rows || rb->col)
        return;
    rb->writer = w;
    rb->cap = ROWBATCH_CHUNK_ROWS;
    free(rb->chunks[0].values);
    rb->nchunks = ROWBATCH_CHUNKS;
    for (int i = 0; i < rb->nchunks; i++)
        chunk_init(rb, &rb->chunks[i], rb->cap);
}

/* Queues the full chunk for the writer and takes the next one, once the
 * writer is done with it. SQLITE_OK, or the writer's failure. */
static int
hand_over(struct rowbatch *rb)
{
    struct rowbatch_writer *w = rb->writer;
    struct rowbatch_chunk *ch = rb->fill,
                          *other = &rb->chunks[(ch - rb->chunks + 1) %
                                               rb->nchunks];
    pthread_mutex_lock(&w->mu);
    while (other->queued && !w->rc)
        pthread_cond_wait(&w->idle, &w->mu);
    int rc = w->rc;
    if (rc == SQLITE_OK) {
        ch->queued = 1;
        ch->next = NULL;
        if (w->tail)
            w->tail->next = ch;
        else
            w->head = ch;
        w->tail = ch;
        pthread_cond_signal(&w->wake);
    }
    pthread_mutex_unlock(&w->mu);
    if (rc != SQLITE_OK) {
        ch->rows = 0; /* the import fails whole */
        tether_buf_reset(&ch->text);
        return writer_wait(w); /* its message, once it has stopped */
    }
    rb->fill = other;
    return SQLITE_OK;
}

int
rowbatch_end_row(struct rowbatch *rb)
{
    rb->col = 0;
    if (++rb->fill->rows < rb->cap)
        return SQLITE_OK;
    if (rb->writer)
        return hand_over(rb);
    return chunk_write(rb, rb->fill);
}

int
rowbatch_flush(struct rowbatch *rb)
{
    if (rb->writer) {
        int rc = writer_wait(rb->writer);
        if (rc != SQLITE_OK) {
            rb->fill->rows = 0;
            tether_buf_reset(&rb->fill->text);
            return rc;
        }
    }
    return chunk_write(rb, rb->fill);
}
