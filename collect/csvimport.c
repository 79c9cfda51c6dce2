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
row_is_attribute(const struct csv_row *r, size_t i)
{
    const char *h = tether_csv_header(r->csv, i);
    if (!*h)
        return 0;
    if (r->map) {
        const char *attrs[256];
        size_t n = column_map_attributes(r->map, attrs, 256);
        for (size_t k = 0; k < n; k++)
            if (tether_str_ieq_trim(attrs[k], h))
                return 1;
        return 0;
    }
    for (size_t k = 0; k < r->ncolumns; k++)
        if (tether_str_ieq_trim(h, r->columns[k].name))
            return 0;
    return 1;
}

char *
row_attribute_value(const struct csv_row *r, size_t i)
{
    char *v = tether_str_trim(tether_xstrdup(tether_csv_field(r->csv, i)));
    if (!r->map)
        return v;
    const char *to = column_map_value(r->map, "attribute",
                                      tether_csv_header(r->csv, i), v);
    if (to != v) {
        free(v);
        v = tether_xstrdup(to);
    }
    return v;
}

/* Finds each column in the header: by the name --columns gives it, else
 * by its own name. Fills index and, in names, the name a message should
 * use (the export's header). 0, or -1 (imp->errbuf). */
static int
find_columns(struct import *imp, struct tether_csv *csv,
             const struct column_map *map, const struct column *columns,
             size_t ncolumns, long *index, struct column *named)
{
    for (size_t k = 0; k < ncolumns; k++) {
        const char *header = map ? column_map_header(map, columns[k].name)
                                 : NULL;
        named[k] = columns[k];
        if (header) {
            named[k].name = header;
            index[k] = tether_csv_column(csv, header);
            if (index[k] < 0) {
                snprintf(imp->errbuf, TETHER_ERRBUF,
                         "%s:%ld: column %s: not in the header, but %s:%ld "
                         "names it for %s",
                         imp->path, tether_csv_line(csv), header,
                         column_map_path(map),
                         column_map_line(map, columns[k].name),
                         columns[k].name);
                return -1;
            }
            continue;
        }
        index[k] = tether_csv_column(csv, columns[k].name);
        if (index[k] < 0 && columns[k].required) {
            snprintf(imp->errbuf, TETHER_ERRBUF,
                     "%s:%ld: column %s: required column missing (is this a "
                     "%s file?%s)",
                     imp->path, tether_csv_line(csv), columns[k].name,
                     imp->kind,
                     map ? " --columns names no header for it" : "");
            return -1;
        }
    }
    if (map) {
        const char *attrs[256];
        size_t n = column_map_attributes(map, attrs, 256);
        for (size_t i = 0; i < n; i++)
            if (tether_csv_column(csv, attrs[i]) < 0) {
                snprintf(imp->errbuf, TETHER_ERRBUF,
                         "%s:%ld: column %s: not in the header, but %s names "
                         "it as an attribute",
                         imp->path, tether_csv_line(csv), attrs[i],
                         column_map_path(map));
                return -1;
            }
    }
    return 0;
}

/* Warns once about the header cells no column reads (with --columns,
 * those it does not name, attributes included). */
static void
warn_unknown_columns(struct import *imp, const struct csv_row *r)
{
    struct tether_buf unknown = {0};
    for (size_t i = 0; i < tether_csv_header_count(r->csv); i++) {
        size_t k;
        for (k = 0; k < r->ncolumns; k++)
            if (r->index[k] == (long)i)
                break;
        if (k < r->ncolumns || (r->map && row_is_attribute(r, i)))
            continue;
        tether_buf_adds(&unknown, unknown.len ? ", " : "");
        tether_buf_adds(&unknown, tether_csv_header(r->csv, i));
    }
    if (unknown.len && r->map)
        import_warn(imp, "ignoring columns %s (not named in %s)", unknown.data,
                    column_map_path(r->map));
    else if (unknown.len)
        import_warn(imp, "ignoring columns %s", unknown.data);
    tether_buf_free(&unknown);
}

int
csv_import_run(struct import *imp, const struct column *columns,
               size_t ncolumns, int warn_unknown,
               int (*row)(struct csv_row *r, void *ctx), void *ctx)
{
    struct tether_csv *csv = NULL;
    struct column_map *map = NULL;
    long *index = tether_xcalloc(ncolumns, sizeof(long));
    const char **value = tether_xcalloc(ncolumns, sizeof(char *));
    struct column *named = tether_xcalloc(ncolumns, sizeof(*named));
    int rc = -1;
    if (imp->opts->columns &&
        !(map = column_map_load(imp->opts->columns, columns, ncolumns,
                                strcmp(imp->kind, "people") == 0,
                                imp->errbuf)))
        goto out;
    if (table_open(imp, imp->path, 0, &csv, imp->errbuf))
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
    if (find_columns(imp, csv, map, columns, ncolumns, index, named))
        goto out;
    /* The rows are parsed on a second thread from here on, beside the row
     * logic and SQLite's writing on this one. */
    tether_csv_readahead(csv);
    struct csv_row r = {imp, csv, named, ncolumns, index, value, map};
    if (warn_unknown || map)
        warn_unknown_columns(imp, &r);
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
        for (size_t k = 0; k < ncolumns; k++) {
            value[k] = index[k] < 0 ? ""
                                    : tether_csv_field_trimmed(
                                          csv, (size_t)index[k]);
            if (map)
                value[k] = column_map_value(map, columns[k].name, NULL,
                                            value[k]);
        }
        if (row(&r, ctx) || imp->lookup_err)
            goto out;
    }
    if (got < 0 || imp->failed)
        goto out;
    rc = 0;
out:
    free(named);
    free(value);
    free(index);
    tether_csv_close(csv);
    column_map_free(map);
    return rc;
}
