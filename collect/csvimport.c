/* csvimport.c - the header and row loop shared by the CSV importers. */
#include "collect.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tether/csv.h"
#include "tether/util.h"

const char *
row_get(const struct csv_row *r, size_t k)
{
    return k < r->ncolumns ? r->value[k] : "";
}

void
row_reject(struct csv_row *r, size_t k, const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    import_reject(r->imp, tether_csv_line(r->csv),
                  k < r->ncolumns ? r->columns[k].name : NULL,
                  tether_csv_raw(r->csv), "%s", reason);
}

int
csv_import_run(struct import *imp, const struct column *columns,
               size_t ncolumns, int warn_unknown,
               int (*row)(struct csv_row *r, void *ctx), void *ctx)
{
    struct tether_csv *csv = NULL;
    long *index = tether_xcalloc(ncolumns, sizeof(long));
    const char **value = tether_xcalloc(ncolumns, sizeof(char *));
    int rc = -1;
    if (tether_csv_open(&csv, imp->path, 0, imp->errbuf))
        goto out;
    int got = tether_csv_next(csv, imp->errbuf);
    if (got <= 0) {
        if (got == 0)
            snprintf(imp->errbuf, TETHER_ERRBUF, "%s: empty file, no header",
                     imp->path);
        goto out;
    }
    const char *why;
    long bad = tether_csv_problem(csv, &why);
    if (bad >= 0) {
        snprintf(imp->errbuf, TETHER_ERRBUF, "%s:%ld: header cell %ld: %s",
                 imp->path, tether_csv_line(csv), bad + 1, why);
        goto out;
    }
    tether_csv_set_header(csv);
    for (size_t k = 0; k < ncolumns; k++) {
        index[k] = tether_csv_column(csv, columns[k].name);
        if (index[k] < 0 && columns[k].required) {
            snprintf(imp->errbuf, TETHER_ERRBUF,
                     "%s:%ld: column %s: required column missing (is this a "
                     "%s file?)",
                     imp->path, tether_csv_line(csv), columns[k].name,
                     imp->kind);
            goto out;
        }
    }
    if (warn_unknown) {
        struct tether_buf unknown = {0};
        for (size_t i = 0; i < tether_csv_header_count(csv); i++) {
            size_t k;
            for (k = 0; k < ncolumns; k++)
                if (index[k] == (long)i)
                    break;
            if (k == ncolumns) {
                tether_buf_adds(&unknown, unknown.len ? ", " : "");
                tether_buf_adds(&unknown, tether_csv_header(csv, i));
            }
        }
        if (unknown.len)
            import_warn(imp, "ignoring columns %s", unknown.data);
        tether_buf_free(&unknown);
    }
    struct csv_row r = {imp, csv, columns, ncolumns, index, value};
    tether_progress_start(&imp->progress, imp->path, tether_csv_size(csv),
                          imp->opts->quiet);
    /* A failed write ends the file: SQLite may have rolled it back. */
    while (!imp->failed && (got = tether_csv_next(csv, imp->errbuf)) > 0) {
        imp->rows++;
        if ((imp->rows & 1023) == 0)
            tether_progress_update(&imp->progress, tether_csv_pos(csv));
        bad = tether_csv_problem(csv, &why);
        if (bad >= 0) {
            import_reject(imp, tether_csv_line(csv),
                          tether_csv_header(csv, (size_t)bad),
                          tether_csv_raw(csv), "%s", why);
            continue;
        }
        if (tether_csv_nfields(csv) > tether_csv_header_count(csv)) {
            import_reject(imp, tether_csv_line(csv), NULL, tether_csv_raw(csv),
                          "%zu fields, but the header has %zu",
                          tether_csv_nfields(csv),
                          tether_csv_header_count(csv));
            continue;
        }
        for (size_t k = 0; k < ncolumns; k++)
            value[k] = index[k] < 0 ? ""
                                    : tether_csv_field_trimmed(
                                          csv, (size_t)index[k]);
        if (row(&r, ctx) || imp->lookup_err)
            goto out;
    }
    if (got < 0 || imp->failed)
        goto out;
    rc = 0;
out:
    free(value);
    free(index);
    tether_csv_close(csv);
    return rc;
}
