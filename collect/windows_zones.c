/* windows_zones.c - Windows time-zone names to IANA zones. Outlook and
 * Exchange write Windows zone ids in TZID ("Pacific Standard Time"), and
 * Outlook on the web writes Windows display names without a VTIMEZONE
 * ("(UTC-05:00) Eastern Time (US & Canada)"). The ids map to IANA zones
 * through the Unicode CLDR's windowsZones.xml (Debian's unicode-cldr-core),
 * read with libxml2 when the first such name is met; the display names map
 * to ids through data/windows-display-names.csv, a table kept as data. */
#include "collect.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tether/csv.h"
#include "tether/util.h"

#ifndef TETHER_CLDR_WINDOWS_ZONES
#define TETHER_CLDR_WINDOWS_ZONES                                              \
    "/usr/share/unicode/cldr/common/supplemental/windowsZones.xml"
#endif
#ifndef TETHER_DATADIR
#define TETHER_DATADIR "/usr/local/share/tether"
#endif
#define DISPLAY_NAMES "windows-display-names.csv"

struct name_map {
    char **from, **to;
    size_t n, cap;
};

/* Loaded once per process: tether-collect reads many files in one run. */
static struct {
    int loaded;
    struct name_map ids;   /* Windows id -> IANA zone (territory 001) */
    struct name_map names; /* display name without its offset -> id */
    char problem[2 * TETHER_ERRBUF];
} wz;

static void
map_add(struct name_map *m, const char *from, const char *to)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 64;
        m->from = tether_xrealloc(m->from, m->cap * sizeof(char *));
        m->to = tether_xrealloc(m->to, m->cap * sizeof(char *));
    }
    m->from[m->n] = tether_xstrdup(from);
    m->to[m->n++] = tether_xstrdup(to);
}

static const char *
map_get(const struct name_map *m, const char *from)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcasecmp(m->from[i], from) == 0)
            return m->to[i];
    return NULL;
}

/* A display name without its "(UTC-05:00) " or "(GMT) " prefix and with
 * runs of blanks made one, in a new string; free it. */
static char *
display_key(const char *name)
{
    const char *p = name;
    while (*p == ' ')
        p++;
    if (*p == '(' && (strncasecmp(p + 1, "UTC", 3) == 0 ||
                      strncasecmp(p + 1, "GMT", 3) == 0)) {
        const char *close = strchr(p, ')');
        if (close)
            p = close + 1;
    }
    struct tether_buf b = {0};
    int blank = 0;
    for (; *p; p++) {
        if (*p == ' ' || *p == '\t') {
            blank = 1;
            continue;
        }
        if (blank && b.len)
            tether_buf_addc(&b, ' ');
        blank = 0;
        tether_buf_addc(&b, *p);
    }
    tether_buf_add(&b, "", 0);
    return b.data;
}

/* Adds the mapZone elements of territory 001 under n (supplementalData >
 * windowsZones > mapTimezones > mapZone): each Windows id's main zone. */
static void
map_zones(xmlNodePtr n, int depth)
{
    for (; n && depth < 8; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrcmp(n->name, BAD_CAST "mapZone") == 0) {
            xmlChar *other = xmlGetProp(n, BAD_CAST "other");
            xmlChar *terr = xmlGetProp(n, BAD_CAST "territory");
            xmlChar *type = xmlGetProp(n, BAD_CAST "type");
            if (other && terr && type && xmlStrcmp(terr, BAD_CAST "001") == 0)
                map_add(&wz.ids, (const char *)other, (const char *)type);
            xmlFree(other);
            xmlFree(terr);
            xmlFree(type);
        }
        map_zones(n->children, depth + 1);
    }
}

/* Reads CLDR's table of Windows ids. 0, or -1 (wz.problem says why). */
static int
load_cldr(const char *path)
{
    xmlDocPtr doc = xmlReadFile(
        path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        snprintf(wz.problem, sizeof(wz.problem),
                 "cannot read CLDR's Windows zone table '%s' (install "
                 "unicode-cldr-core or set TETHER_CLDR_WINDOWS_ZONES): Windows "
                 "time-zone names are unknown",
                 path);
        return -1;
    }
    map_zones(xmlDocGetRootElement(doc), 0);
    xmlFreeDoc(doc);
    if (wz.ids.n == 0) {
        snprintf(wz.problem, sizeof(wz.problem),
                 "'%s' holds no Windows zone (mapZone of territory 001)", path);
        return -1;
    }
    return 0;
}

/* The folder of tether's data: TETHER_DATADIR, else data/ beside the
 * program's folder (the source tree) or share/tether (an installed tree),
 * else the folder given at build time. Writes the file's path to out. */
static void
data_path(const char *file, char *out, size_t cap)
{
    const char *env = getenv("TETHER_DATADIR");
    if (env && *env) {
        snprintf(out, cap, "%s/%s", env, file);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const rel[] = {"../data", "../share/tether"};
            for (size_t i = 0; i < 2; i++) {
                snprintf(out, cap, "%s/%s/%s", exe, rel[i], file);
                if (access(out, R_OK) == 0)
                    return;
            }
        }
    }
    snprintf(out, cap, "%s/%s", TETHER_DATADIR, file);
}

/* The display-name table: display_name,windows_id, # comments. */
static int
load_display_names(void)
{
    char path[PATH_MAX + 64];
    data_path(DISPLAY_NAMES, path, sizeof(path));
    struct tether_csv *csv = NULL;
    char err[TETHER_ERRBUF];
    if (tether_csv_open(&csv, path, 0, err)) {
        snprintf(wz.problem, sizeof(wz.problem),
                 "cannot read the Windows display-name table: %s (set "
                 "TETHER_DATADIR): Windows display names are unknown",
                 err);
        return -1;
    }
    int got;
    while ((got = tether_csv_next(csv, err)) > 0) {
        const char *name = tether_csv_field_trimmed(csv, 0);
        const char *id = tether_csv_field_trimmed(csv, 1);
        if (*name == '#' || !*id || strcasecmp(name, "display_name") == 0)
            continue;
        char *key = display_key(name);
        map_add(&wz.names, key, id);
        free(key);
    }
    tether_csv_close(csv);
    if (got < 0) {
        snprintf(wz.problem, sizeof(wz.problem), "%s", err);
        return -1;
    }
    return 0;
}

static void
load(void)
{
    if (wz.loaded)
        return;
    wz.loaded = 1;
    const char *cldr = getenv("TETHER_CLDR_WINDOWS_ZONES");
    if (load_cldr(cldr && *cldr ? cldr : TETHER_CLDR_WINDOWS_ZONES) == 0)
        load_display_names();
}

const char *
windows_zone_iana(const char *name)
{
    load();
    const char *iana = map_get(&wz.ids, name);
    if (iana)
        return iana;
    char *key = display_key(name);
    const char *id = map_get(&wz.names, key);
    free(key);
    return id ? map_get(&wz.ids, id) : NULL;
}

const char *
windows_zones_problem(void)
{
    return wz.loaded && wz.problem[0] ? wz.problem : NULL;
}
