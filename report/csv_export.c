/* csv_export.c - the metric tables as CSV files (RFC 4180, quoted by
 * libcsv), safe to open in a spreadsheet: a text cell that a spreadsheet
 * would take for a formula is prefixed with a single quote. */
#include "report.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tether/err.h"
#include "tether/outfile.h"
#include "tether/timeutil.h"

/* 1 when a spreadsheet would read text s as a formula or a command. Only
 * text is escaped: a negative number written as a number stays one. */
static int
formula_like(const char *s)
{
    return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
           s[0] == '\t' || s[0] == '\r';
}

static int
write_text(FILE *fp, const char *s)
{
    if (!formula_like(s))
        return csv_fwrite(fp, s, strlen(s));
    char *e = tether_xasprintf("'%s", s);
    int rc = csv_fwrite(fp, e, strlen(e));
    free(e);
    return rc;
}

static void
write_cell(FILE *fp, const struct report_cell *c)
{
    char day[TETHER_DATE_LEN];
    if (c->null)
        return;
    switch (c->kind) {
    case RK_TEXT:
        write_text(fp, c->text);
        break;
    case RK_INT:
        fprintf(fp, "%.0f", c->num);
        break;
    case RK_NUM:
    case RK_SHARE:
        fprintf(fp, "%.15g", c->num);
        break;
    case RK_DATE:
        tether_date_format((int32_t)c->num, day);
        fputs(day, fp);
        break;
    case RK_BOOL:
        fputs(c->num != 0 ? "true" : "false", fp);
        break;
    }
}

static int
write_table(const struct report *r, enum report_table_id id,
            const char *path, char *errbuf)
{
    struct report_table *t = report_table_open(r, id, errbuf);
    if (!t)
        return -1;
    int rc = -1;
    struct tether_outfile of = {.fd = -1};
    FILE *fp;
    if (tether_outfile_open(&of, path, errbuf))
        goto out;
    if (!(fp = tether_outfile_stream(&of, errbuf)))
        goto out;
    size_t n = report_table_ncols(t);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', fp);
        write_text(fp, report_table_colname(t, i));
    }
    fputs("\r\n", fp);
    int more;
    while ((more = report_table_next(t, errbuf)) == 1) {
        for (size_t i = 0; i < n; i++) {
            struct report_cell c;
            report_table_cell(t, i, &c);
            if (i)
                fputc(',', fp);
            write_cell(fp, &c);
        }
        fputs("\r\n", fp);
    }
    if (more < 0)
        goto out;
    if (ferror(fp)) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot write '%s': %s", path,
                 strerror(errno));
        goto out;
    }
    rc = tether_outfile_commit(&of, errbuf) ? -1 : 0;
out:
    tether_outfile_abort(&of); /* nothing left to do once committed */
    report_table_close(t);
    return rc;
}

int
report_csv_write(const struct report *r, const char *dir,
                 struct tether_buf *paths, char *errbuf)
{
    static const struct {
        enum report_table_id id;
        const char *suffix;
    } tables[] = {
        {RT_PAIRS, "-pairs.csv"},
        {RT_INCLUSION, "-inclusion.csv"},
        {RT_SURVEYS, "-surveys.csv"},
        {RT_COMPARISONS, "-survey-comparisons.csv"},
        {RT_TREND, "-trend.csv"},
        {RT_RETENTION, "-retention.csv"},
        {RT_RETENTION_MATCHED, "-retention-matched.csv"},
        {RT_PROMOTION, "-promotion.csv"},
        {RT_PROMOTION_MATCHED, "-promotion-matched.csv"},
        {RT_SURVIVAL, "-survival.csv"},
        {RT_PRACTICES, "-practices.csv"},
    };
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        char *path = report_path(dir, r, tables[i].suffix);
        int rc = write_table(r, tables[i].id, path, errbuf);
        if (rc == 0)
            tether_buf_printf(paths, "%s\n", path);
        free(path);
        if (rc)
            return -1;
    }
    return 0;
}
