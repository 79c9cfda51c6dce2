/* rowbatch.c - rows for one table, inserted ROWBATCH_ROWS at a time by a
 * multi-row INSERT: one statement execution (one VDBE program start, one
 * b-tree seek per index path and page) for many rows instead of one each,
 * which is most of what a row costs when a large file fills empty tables.
 * The rows left at the end go one by one through the one-row statement.
 *
 * Values are copied into the batch (texts into one growing buffer, found
 * by their offset), so a caller may reuse its strings at once. */
#include "collect.h"

#include <math.h>
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

int
rowbatch_init(struct rowbatch *rb, sqlite3 *db, const char *head, int ncols)
{
    memset(rb, 0, sizeof(*rb));
    rb->db = db;
    rb->ncols = ncols;
    rb->values = tether_xcalloc((size_t)ncols * ROWBATCH_ROWS,
                                sizeof(*rb->values));
    char *many = insert_sql(head, ncols, ROWBATCH_ROWS);
    char *one = insert_sql(head, ncols, 1);
    int rc = sqlite3_prepare_v2(db, many, -1, &rb->many, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, one, -1, &rb->one, NULL);
    free(many);
    free(one);
    return rc;
}

void
rowbatch_free(struct rowbatch *rb)
{
    sqlite3_finalize(rb->many);
    sqlite3_finalize(rb->one);
    free(rb->values);
    tether_buf_free(&rb->text);
    memset(rb, 0, sizeof(*rb));
}

static struct rowbatch_value *
next_value(struct rowbatch *rb)
{
    return &rb->values[(size_t)rb->rows * (size_t)rb->ncols +
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
    x->off = rb->text.len;
    x->len = n;
    tether_buf_add(&rb->text, s, n);
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

/* Binds rows [from, from + n) to st from parameter 1 and runs it. */
static int
run(struct rowbatch *rb, sqlite3_stmt *st, int from, int n)
{
    int p = 1;
    for (int r = from; r < from + n; r++)
        for (int c = 0; c < rb->ncols; c++, p++) {
            const struct rowbatch_value *x =
                &rb->values[(size_t)r * (size_t)rb->ncols + (size_t)c];
            if (x->type == V_INT)
                sqlite3_bind_int64(st, p, x->i);
            else if (x->type == V_REAL)
                sqlite3_bind_double(st, p, x->d);
            else if (x->type == V_TEXT)
                /* the buffer does not move until the step is done */
                sqlite3_bind_text(st, p, rb->text.data + x->off, (int)x->len,
                                  SQLITE_STATIC);
            else
                sqlite3_bind_null(st, p);
        }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int
rowbatch_end_row(struct rowbatch *rb)
{
    rb->col = 0;
    if (++rb->rows < ROWBATCH_ROWS)
        return SQLITE_OK;
    int rc = run(rb, rb->many, 0, ROWBATCH_ROWS);
    rb->rows = 0;
    tether_buf_reset(&rb->text);
    return rc;
}

int
rowbatch_flush(struct rowbatch *rb)
{
    int rc = SQLITE_OK;
    for (int r = 0; r < rb->rows && rc == SQLITE_OK; r++)
        rc = run(rb, rb->one, r, 1);
    rb->rows = 0;
    tether_buf_reset(&rb->text);
    return rc;
}
