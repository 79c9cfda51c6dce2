/* columns.c - --columns FILE: the headers and words of an HR system's
 * export, named for tether's canonical columns. Each line of the file is
 * canonical,header[,aliases]: person_id,Employee ID names the column
 * person_id is read from; work_mode,Remote Type,Fully Remote=remote;Hybrid
 * Worker=hybrid also turns the export's values into tether's; attribute,
 * Grade keeps the column Grade as an attribute. */
#include "collect.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tether/csv.h"
#include "tether/util.h"

struct column_alias {
    char *from, *to;
};

struct column_entry {
    char *canonical; /* a column of the importer, or "attribute" */
    char *header;    /* the export's header */
    struct column_alias *alias;
    size_t nalias;
    long line; /* in the --columns file */
};

struct column_map {
    char *path;
    struct column_entry *e;
    size_t n;
};

void
column_map_free(struct column_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        for (size_t j = 0; j < m->e[i].nalias; j++) {
            free(m->e[i].alias[j].from);
            free(m->e[i].alias[j].to);
        }
        free(m->e[i].alias);
        free(m->e[i].canonical);
        free(m->e[i].header);
    }
    free(m->e);
    free(m->path);
    free(m);
}

/* Parses "From=to;From2=to2" into e's aliases. 0, or -1 (why). */
static int
parse_aliases(struct column_entry *e, const char *text, char *why, size_t n)
{
    char *copy = tether_xstrdup(text);
    int rc = 0;
    for (char *save = NULL, *tok = strtok_r(copy, ";", &save); tok;
         tok = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            snprintf(why, n,
                     "value alias '%s' has no '=' (Export value=%s "
                     "value)",
                     tether_str_trim(tok), "tether");
            rc = -1;
            break;
        }
        *eq = '\0';
        char *from = tether_str_trim(tok), *to = tether_str_trim(eq + 1);
        if (!*from || !*to) {
            snprintf(why, n, "value alias with an empty side");
            rc = -1;
            break;
        }
        e->alias =
            tether_xrealloc(e->alias, (e->nalias + 1) * sizeof(*e->alias));
        e->alias[e->nalias].from = tether_xstrdup(from);
        e->alias[e->nalias++].to = tether_xstrdup(to);
    }
    free(copy);
    return rc;
}

/* Is name one of the importer's columns, or "attribute" when attributes
 * are allowed? */
static int
known(const char *name, const struct column *columns, size_t ncolumns,
      int attributes)
{
    if (attributes && strcasecmp(name, "attribute") == 0)
        return 1;
    for (size_t k = 0; k < ncolumns; k++)
        if (strcasecmp(name, columns[k].name) == 0)
            return 1;
    return 0;
}

/* Adds one line of the file to m. 0, or -1 (errbuf). */
static int
map_line(struct column_map *m, struct tether_csv *csv,
         const struct column *columns, size_t ncolumns, int attributes,
         char *errbuf)
{
    long line = tether_csv_line(csv);
    const char *canonical = tether_csv_field_trimmed(csv, 0);
    const char *header = tether_csv_field_trimmed(csv, 1);
    const char *why;
    if (tether_csv_problem(csv, &why) >= 0) {
        snprintf(errbuf, TETHER_ERRBUF, "%s:%ld: %s", m->path, line, why);
        return -1;
    }
    if (!known(canonical, columns, ncolumns, attributes)) {
        struct tether_buf names = {0};
        for (size_t k = 0; k < ncolumns; k++)
            tether_buf_printf(&names, "%s%s", k ? ", " : "", columns[k].name);
        snprintf(errbuf, TETHER_ERRBUF,
                 "%s:%ld: '%s' is not a column of this file (%s%s)", m->path,
                 line, canonical, names.data, attributes ? ", attribute" : "");
        tether_buf_free(&names);
        return -1;
    }
    if (!*header) {
        snprintf(errbuf, TETHER_ERRBUF, "%s:%ld: %s: no header given", m->path,
                 line, canonical);
        return -1;
    }
    for (size_t i = 0; i < m->n; i++)
        if (strcasecmp(m->e[i].canonical, "attribute") != 0 &&
            strcasecmp(m->e[i].canonical, canonical) == 0) {
            snprintf(errbuf, TETHER_ERRBUF,
                     "%s:%ld: %s is named twice (line %ld names it too)",
                     m->path, line, canonical, m->e[i].line);
            return -1;
        }
    m->e = tether_xrealloc(m->e, (m->n + 1) * sizeof(*m->e));
    struct column_entry *e = &m->e[m->n++];
    memset(e, 0, sizeof(*e));
    e->canonical = tether_str_lower(tether_xstrdup(canonical));
    e->header = tether_xstrdup(header);
    e->line = line;
    char reason[256];
    /* Aliases are the third field; a value with commas may spill over. */
    for (size_t f = 2; f < tether_csv_nfields(csv); f++) {
        const char *a = tether_csv_field_trimmed(csv, f);
        if (*a && parse_aliases(e, a, reason, sizeof(reason))) {
            snprintf(errbuf, TETHER_ERRBUF, "%s:%ld: %s", m->path, line,
                     reason);
            return -1;
        }
    }
    return 0;
}

struct column_map *
column_map_load(const char *path, const struct column *columns, size_t ncolumns,
                int attributes, char *errbuf)
{
    struct tether_csv *csv = NULL;
    if (tether_csv_open(&csv, path, 0, errbuf))
        return NULL;
    struct column_map *m = tether_xcalloc(1, sizeof(*m));
    m->path = tether_xstrdup(path);
    int got;
    while ((got = tether_csv_next(csv, errbuf)) > 0) {
        const char *first = tether_csv_field_trimmed(csv, 0);
        if (*first == '#' ||
            (tether_csv_line(csv) == 1 && strcasecmp(first, "canonical") == 0))
            continue; /* a comment, or the file's own header */
        if (map_line(m, csv, columns, ncolumns, attributes, errbuf)) {
            got = -1;
            break;
        }
    }
    tether_csv_close(csv);
    if (got < 0) {
        column_map_free(m);
        return NULL;
    }
    if (m->n == 0) {
        snprintf(errbuf, TETHER_ERRBUF, "%s: names no column", path);
        column_map_free(m);
        return NULL;
    }
    return m;
}

const char *
column_map_path(const struct column_map *m)
{
    return m->path;
}

/* The entry of a canonical column, or NULL. */
static const struct column_entry *
entry(const struct column_map *m, const char *canonical)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcasecmp(m->e[i].canonical, canonical) == 0)
            return &m->e[i];
    return NULL;
}

const char *
column_map_header(const struct column_map *m, const char *canonical)
{
    const struct column_entry *e = entry(m, canonical);
    return e ? e->header : NULL;
}

long
column_map_line(const struct column_map *m, const char *canonical)
{
    const struct column_entry *e = entry(m, canonical);
    return e ? e->line : 0;
}

const char *
column_map_value(const struct column_map *m, const char *canonical,
                 const char *header, const char *value)
{
    for (size_t i = 0; i < m->n; i++) {
        const struct column_entry *e = &m->e[i];
        if (strcasecmp(e->canonical, canonical) != 0 ||
            (header && !tether_str_ieq_trim(e->header, header)))
            continue;
        for (size_t j = 0; j < e->nalias; j++)
            if (strcasecmp(e->alias[j].from, value) == 0)
                return e->alias[j].to;
    }
    return value;
}

size_t
column_map_attributes(const struct column_map *m, const char **headers,
                      size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->e[i].canonical, "attribute") == 0 && n < max)
            headers[n++] = m->e[i].header;
    return n;
}
