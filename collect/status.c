/* status.c - tether-collect status: what the database holds. */
#include "collect.h"

#include <stdlib.h>
#include <string.h>

#include "tether/db.h"
#include "tether/util.h"

/* Prints one "label  value" line per row of sql (one or two columns). */
static int
lines(sqlite3 *db, FILE *out, const char *sql, char *errbuf)
{
    sqlite3_stmt *st;
    if (tether_db_prepare(db, sql, &st, errbuf))
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int n = sqlite3_column_count(st);
        for (int i = 0; i < n; i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            /* paths and rejected rows' text come from the data */
            char *e = tether_str_escape_controls(t ? (const char *)t : "-");
            fprintf(out, i == 0 ? "  %-28s" : "  %s", e);
            free(e);
        }
        fputc('\n', out);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

int
status_print(sqlite3 *db, FILE *out, char *errbuf)
{
    static const char *sections[][2] = {
        {"Holdings",
         "SELECT 'people', count(*) || ' (' || "
         "(SELECT count(*) FROM people WHERE left_on IS NULL) || "
         "' employed)' FROM people "
         "UNION ALL SELECT 'roster versions', count(*) || "
         "coalesce(' (' || min(valid_from) || ' to ' || max(valid_from) || "
         "')', '') FROM person_versions "
         "UNION ALL SELECT 'pairs', count(*) || coalesce(' (started ' || "
         "min(started_on) || ' to ' || max(started_on) || ')', '') FROM pairs "
         "UNION ALL SELECT 'contacts', count(*) || coalesce(' (' || "
         "strftime('%Y-%m-%d', min(started_at), 'unixepoch') || ' to ' || "
         "strftime('%Y-%m-%d', max(started_at), 'unixepoch') || ')', '') "
         "FROM contacts "
         "UNION ALL SELECT 'surveys', count(*) FROM surveys "
         "UNION ALL SELECT 'questions', count(*) FROM questions "
         "UNION ALL SELECT 'responses', count(*) || coalesce(' (' || "
         "strftime('%Y-%m-%d', min(submitted_at), 'unixepoch') || ' to ' || "
         "strftime('%Y-%m-%d', max(submitted_at), 'unixepoch') || ')', '') "
         "FROM responses "
         "UNION ALL SELECT 'analysis runs', count(*) FROM runs"},
        {"Contacts by medium",
         "SELECT medium, count(*) FROM contacts GROUP BY medium "
         "ORDER BY count(*) DESC"},
        {"Imports (latest 20)",
         "SELECT * FROM (SELECT imported_at || ' ' || kind || '/' || format, "
         "path || ': ' || rows_read || ' rows, ' || loaded || ' loaded, ' || "
         "updated || ' updated, ' || unchanged || ' unchanged, ' || "
         "duplicates || ' duplicates, ' || skipped || ' skipped, ' || "
         "rejected || ' rejected' FROM imports ORDER BY id DESC LIMIT 20) "},
        {"Rejected rows (latest 20)",
         "SELECT * FROM (SELECT i.path || ':' || r.line, "
         "coalesce('column ' || r.column_name || ': ', '') || r.reason "
         "FROM rejects r JOIN imports i ON i.id = r.import_id "
         "ORDER BY r.id DESC LIMIT 20)"},
    };
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
        fprintf(out, "%s%s:\n", i ? "\n" : "", sections[i][0]);
        if (lines(db, out, sections[i][1], errbuf))
            return -1;
    }
    return 0;
}
