/* formats.c - the meeting sources tether-collect reads, and how it tells
 * them apart when --format is auto. */
#include "collect.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tether/textin.h"
#include "tether/util.h"

/* A canonical meetings.csv names started_at in its header. */
static int
detect_csv(const char *head)
{
    const char *nl = strpbrk(head, "\r\n");
    size_t n = nl ? (size_t)(nl - head) : strlen(head);
    char *line = tether_str_lower(tether_xstrndup(head, n));
    int yes = strstr(line, "started_at") != NULL;
    free(line);
    return yes;
}

const struct meeting_format meeting_formats[] = {
    {"csv", detect_csv, meetings_csv_load},
    {"zoom", zoom_detect, zoom_load},
    {"teams", teams_detect, teams_load},
    {"meet", meet_detect, meet_load},
    {"graph", graph_detect, graph_load},
    {"gcal", gcal_detect, gcal_load},
    {"ics", ics_detect, ics_load},
};
const size_t meeting_format_count =
    sizeof(meeting_formats) / sizeof(meeting_formats[0]);

const struct meeting_format *
meeting_format_find(const char *name)
{
    for (size_t i = 0; i < meeting_format_count; i++)
        if (strcasecmp(meeting_formats[i].name, name) == 0)
            return &meeting_formats[i];
    return NULL;
}

/* The first rows of a workbook's sheet as text, fields split at delim,
 * for the tests on a file's start. 0, or -1 (errbuf). */
static int
workbook_head(const char *path, const char *sheet, char delim, char *head,
              size_t cap, char *errbuf)
{
    struct tether_csv *c;
    if (xlsx_open(path, sheet, &c, errbuf))
        return -1;
    struct tether_buf b = {0};
    int got;
    for (int rows = 0; rows < 40 && (got = tether_csv_next(c, errbuf)) > 0;
         rows++) {
        for (size_t i = 0; i < tether_csv_nfields(c); i++) {
            if (i)
                tether_buf_addc(&b, delim);
            tether_buf_adds(&b, tether_csv_field(c, i));
        }
        tether_buf_addc(&b, '\n');
    }
    tether_csv_close(c);
    snprintf(head, cap, "%s", b.data ? b.data : "");
    tether_buf_free(&b);
    return 0;
}

const struct meeting_format *
meeting_format_detect(const char *path, const char *sheet, char *errbuf)
{
    if (xlsx_is_workbook(path)) {
        /* Attendance reports saved from Excel: comma-separated tests
         * first, then Teams' TAB-separated ones. */
        char head[8192];
        for (int pass = 0; pass < 2; pass++) {
            if (workbook_head(path, sheet, pass ? '\t' : ',', head,
                              sizeof(head), errbuf))
                return NULL;
            for (size_t i = 0; i < meeting_format_count; i++)
                if (meeting_formats[i].detect(head))
                    return &meeting_formats[i];
        }
        snprintf(errbuf, TETHER_ERRBUF,
                 "'%s': cannot tell what this workbook's sheet holds; give "
                 "--format",
                 path);
        return NULL;
    }
    if (xlsx_is_compound(path)) {
        xlsx_compound_error(path, errbuf);
        return NULL;
    }
    struct tether_textin *in;
    if (tether_textin_open(&in, path, errbuf))
        return NULL;
    char head[8192];
    long n = tether_textin_read(in, head, sizeof(head) - 1, errbuf);
    tether_textin_close(in);
    if (n < 0)
        return NULL;
    head[n] = '\0';
    for (size_t i = 0; i < meeting_format_count; i++)
        if (meeting_formats[i].detect(head))
            return &meeting_formats[i];
    snprintf(errbuf, TETHER_ERRBUF,
             "'%s': cannot tell the format of this file; give --format", path);
    return NULL;
}
