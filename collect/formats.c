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

const struct meeting_format *
meeting_format_detect(const char *path, char *errbuf)
{
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
