/* slack.c - Slack workspace exports, a folder or its .zip (read with
 * libzip): users.json maps user ids to e-mails, dms.json and mpims.json
 * name the direct and group conversations, and each conversation's folder
 * holds one YYYY-MM-DD.json per day (JSON read with jansson). Channels are
 * not read: a post to a channel is no contact between two people. A
 * message's time is its ts, never its file's date (exports cut days in
 * the members' zone). */
#include "collect.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "tether/util.h"

/* No entry of an export is read past this size, whatever its header
 * claims: a zip bomb stops here, and memory stays bounded. A day of one
 * conversation is far below it. */
#define SLACK_ENTRY_MAX (16L << 20)
/* Entries of a zip, at most: a central directory cannot make the
 * importer list millions of names. */
#define SLACK_ENTRIES_MAX 1000000

struct slack {
    struct import *imp;
    zip_t *zip;         /* NULL: a folder */
    const char *prefix; /* the folder inside the zip that holds users.json */
    size_t prefix_len;
    json_t *users; /* id -> e-mail */
    struct msg_sink *sink;
    /* The day file being read, for rejects: its entry in the export
     * ("D123/2020-01-01.json", in a zip the entry's whole name), and the
     * place stderr names: "export/D123/2020-01-01.json" for a folder,
     * "export.zip:D123/2020-01-01.json" for a zip. */
    char *path, *entry;
};

/* The bytes of entry name (under the export's root), NUL-terminated, in
 * *len; NULL when it is absent (*absent 1), larger than SLACK_ENTRY_MAX
 * (*absent 2, imp->errbuf says so) or cannot be read (imp->errbuf). Free
 * with free. */
static char *
slack_read(struct slack *s, const char *name, size_t *len, int *absent)
{
    struct import *imp = s->imp;
    *absent = 0;
    char *full = tether_xasprintf("%s%s", s->prefix, name);
    char *buf = NULL;
    size_t n = 0;
    if (s->zip) {
        zip_int64_t idx = zip_name_locate(s->zip, full, 0);
        if (idx < 0) {
            *absent = 1;
            goto out;
        }
        zip_file_t *zf = zip_fopen_index(s->zip, (zip_uint64_t)idx, 0);
        if (!zf) {
            snprintf(imp->errbuf, TETHER_ERRBUF, "%s: cannot read %s: %s",
                     imp->path, full, zip_strerror(s->zip));
            goto out;
        }
        size_t cap = 65536;
        buf = tether_xmalloc(cap + 1);
        zip_int64_t got;
        while ((got = zip_fread(zf, buf + n, cap - n)) > 0) {
            n += (size_t)got;
            if (n == cap) {
                if (cap >= (size_t)SLACK_ENTRY_MAX) {
                    snprintf(imp->errbuf, TETHER_ERRBUF,
                             "%s: %s is larger than %ld MiB uncompressed "
                             "(a zip bomb?)",
                             imp->path, full, SLACK_ENTRY_MAX >> 20);
                    *absent = 2;
                    zip_fclose(zf);
                    free(buf);
                    buf = NULL;
                    goto out;
                }
                cap *= 2;
                buf = tether_xrealloc(buf, cap + 1);
            }
        }
        if (got < 0) {
            snprintf(imp->errbuf, TETHER_ERRBUF, "%s: cannot read %s: %s",
                     imp->path, full, zip_file_strerror(zf));
            zip_fclose(zf);
            free(buf);
            buf = NULL;
            goto out;
        }
        zip_fclose(zf);
    } else {
        char *p = tether_xasprintf("%s/%s", imp->path, full);
        FILE *fp = fopen(p, "rb");
        if (!fp) {
            if (errno == ENOENT)
                *absent = 1;
            else
                snprintf(imp->errbuf, TETHER_ERRBUF, "cannot open '%s': %s",
                         p, strerror(errno));
            free(p);
            goto out;
        }
        struct stat sb;
        if (fstat(fileno(fp), &sb) == 0 && sb.st_size > SLACK_ENTRY_MAX) {
            snprintf(imp->errbuf, TETHER_ERRBUF,
                     "%s is larger than %ld MiB", p, SLACK_ENTRY_MAX >> 20);
            *absent = 2;
            fclose(fp);
            free(p);
            goto out;
        }
        n = sb.st_size > 0 ? (size_t)sb.st_size : 0;
        buf = tether_xmalloc(n + 1);
        n = fread(buf, 1, n, fp);
        fclose(fp);
        free(p);
    }
    buf[n] = '\0';
    *len = n;
out:
    free(full);
    return buf;
}

/* Parses entry name as JSON; NULL when absent (*absent) or unreadable
 * (imp->errbuf names the entry, line and column). */
static json_t *
slack_json(struct slack *s, const char *name, int *absent, json_error_t *e)
{
    size_t len;
    e->line = 0;
    char *buf = slack_read(s, name, &len, absent);
    if (!buf)
        return NULL;
    json_t *j = json_loadb(buf, len, 0, e);
    free(buf);
    if (!j)
        snprintf(s->imp->errbuf, TETHER_ERRBUF, "%s/%s:%d: column %d: %s",
                 s->imp->path, name, e->line, e->column, e->text);
    return j;
}

static int
strcmp_ptr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A string member, or "" (numbers such as "created" are strings in some
 * exports and numbers in others: neither is needed here). */
static const char *
jstr(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* users.json: each user's id and profile e-mail (deleted users too: their
 * old messages stay theirs). */
static int
load_users(struct slack *s)
{
    int absent;
    json_error_t e;
    json_t *u = slack_json(s, "users.json", &absent, &e);
    if (!u) {
        if (absent)
            snprintf(s->imp->errbuf, TETHER_ERRBUF,
                     "%s: no users.json (is this a Slack export?)",
                     s->imp->path);
        return -1;
    }
    s->users = json_object();
    size_t i;
    json_t *user;
    json_array_foreach(u, i, user)
    {
        const char *id = jstr(user, "id");
        const char *email = jstr(json_object_get(user, "profile"), "email");
        if (*id && *email && !json_is_true(json_object_get(user, "is_bot")))
            json_object_set_new(s->users, id, json_string(email));
    }
    json_decref(u);
    return 0;
}

static const char *
user_email(struct slack *s, const char *id)
{
    return json_string_value(json_object_get(s->users, id));
}

/* 1 when a message object is one person writing to the conversation. */
static int
is_communication(json_t *m)
{
    const char *type = jstr(m, "type");
    if (*type && strcmp(type, "message") != 0)
        return 0;
    const char *sub = jstr(m, "subtype");
    if (*sub && strcmp(sub, "me_message") != 0 &&
        strcmp(sub, "file_share") != 0)
        return 0; /* joins, edits, deletions, broadcasts, bots, ... */
    if (json_object_get(m, "bot_id") && !json_object_get(m, "user"))
        return 0;
    return *jstr(m, "user") != 0;
}

/* The names of the day files in folder, sorted; *n of them. */
static char **
day_files(struct slack *s, const char *folder, size_t *n)
{
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    if (s->zip) {
        char *dir = tether_xasprintf("%s%s/", s->prefix, folder);
        size_t dl = strlen(dir);
        zip_int64_t ne = zip_get_num_entries(s->zip, 0);
        if (ne > SLACK_ENTRIES_MAX)
            ne = SLACK_ENTRIES_MAX;
        for (zip_int64_t i = 0; i < ne; i++) {
            const char *e = zip_get_name(s->zip, (zip_uint64_t)i, 0);
            if (!e || strncmp(e, dir, dl) != 0 || strchr(e + dl, '/'))
                continue;
            size_t el = strlen(e + dl);
            if (el < 6 || strcmp(e + dl + el - 5, ".json") != 0)
                continue;
            if (*n == cap)
                names = tether_xrealloc(names, (cap = cap ? 2 * cap : 16) *
                                                   sizeof(char *));
            names[(*n)++] = tether_xasprintf("%s/%s", folder, e + dl);
        }
        free(dir);
    } else {
        char *p = tether_xasprintf("%s/%s%s", s->imp->path, s->prefix, folder);
        DIR *d = opendir(p);
        struct dirent *de;
        while (d && (de = readdir(d))) {
            size_t el = strlen(de->d_name);
            if (el < 6 || strcmp(de->d_name + el - 5, ".json") != 0)
                continue;
            if (*n == cap)
                names = tether_xrealloc(names, (cap = cap ? 2 * cap : 16) *
                                                   sizeof(char *));
            names[(*n)++] = tether_xasprintf("%s/%s", folder, de->d_name);
        }
        if (d)
            closedir(d);
        free(p);
    }
    if (*n)
        qsort(names, *n, sizeof(char *), strcmp_ptr);
    return names;
}

static size_t
skip_space(const char *buf, size_t len, size_t pos)
{
    while (pos < len && (buf[pos] == ' ' || buf[pos] == '\t' ||
                         buf[pos] == '\n' || buf[pos] == '\r'))
        pos++;
    return pos;
}

/* The line of day file name on which its message number index begins:
 * jansson keeps no positions in what it decodes, so the file is read again
 * and jansson decodes its array's values one by one, saying where each
 * ends. Only a rejected message asks. 1 when it cannot be told. */
static long
message_line(struct slack *s, const char *name, size_t index)
{
    size_t len;
    int absent;
    char *buf = slack_read(s, name, &len, &absent);
    if (!buf)
        return 1;
    size_t pos = skip_space(buf, len, 0);
    if (pos < len && buf[pos] == '[')
        pos++;
    for (size_t i = 0; i < index && pos < len; i++) {
        json_error_t e;
        json_t *v = json_loadb(buf + pos, len - pos,
                               JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, &e);
        if (!v) {
            pos = 0;
            break;
        }
        json_decref(v);
        pos = skip_space(buf, len, pos + (size_t)e.position);
        if (pos < len && buf[pos] == ',')
            pos++;
    }
    pos = skip_space(buf, len, pos);
    long line = 1;
    for (size_t k = 0; k < pos && k < len; k++)
        line += buf[k] == '\n';
    free(buf);
    return line;
}

/* One day file of a conversation whose members' e-mails are given. */
static int
slack_day(struct slack *s, const char *conv, const char *name,
          const char *const *members, const char *const *ids, size_t nm)
{
    struct import *imp = s->imp;
    int absent;
    json_error_t e;
    json_t *day = slack_json(s, name, &absent, &e);
    if (!day && absent != 2 && (absent || !e.line))
        return absent ? 0 : -1; /* absent, or the zip cannot be read */
    free(s->path);
    free(s->entry);
    s->entry = tether_xasprintf("%s%s", s->zip ? s->prefix : "", name);
    s->path = tether_xasprintf("%s%c%s", imp->path, s->zip ? ':' : '/',
                               s->entry);
    const char *keep = imp->path;
    if (!day || !json_is_array(day)) {
        /* A damaged day loses that day only, named as FILE:LINE. */
        imp->path = s->path;
        imp->entry = s->entry;
        if (absent == 2)
            import_reject(imp, 1, NULL, NULL,
                          "larger than %ld MiB uncompressed (a zip bomb?); "
                          "not read",
                          SLACK_ENTRY_MAX >> 20);
        else if (day)
            import_reject(imp, 1, NULL, NULL, "not a JSON array of messages");
        else
            import_reject(imp, e.line, NULL, NULL, "column %d: %s", e.column,
                          e.text);
        imp->path = keep;
        imp->entry = NULL;
        json_decref(day);
        return 0;
    }
    size_t i;
    json_t *m;
    json_array_foreach(day, i, m)
    {
        if (!json_is_object(m))
            continue;
        imp->rows++;
        if (!is_communication(m)) {
            imp->skipped++;
            continue;
        }
        const char *user = jstr(m, "user");
        const char *ts = jstr(m, "ts");
        char *end;
        long long sec = strtoll(ts, &end, 10);
        const char *rcpt[MAX_MESSAGE_RECIPIENTS];
        size_t nr = 0, total = 0;
        for (size_t k = 0; k < nm; k++) {
            if (strcmp(ids[k], user) == 0)
                continue;
            total++;
            if (members[k] && nr < MAX_MESSAGE_RECIPIENTS)
                rcpt[nr++] = members[k];
        }
        const char *from = user_email(s, user);
        /* ts is unique within a conversation: it is the message's id. */
        char *key = tether_xasprintf("slack:%s:%s", conv, ts);
        struct message msg = {
            .key = key,
            .sender = from ? from : "",
            .rcpt = rcpt,
            .nrcpt = nr,
            .total = total,
            .has_time = end != ts && sec > 0,
            .sent_at = sec,
            .medium = tether_medium_names[TETHER_MEDIUM_CHAT],
        };
        char why[512];
        enum msg_result r = msg_sink_put(s->sink, &msg, why, sizeof(why));
        free(key);
        if (r == MSG_ERROR) {
            json_decref(day);
            return -1;
        }
        if (r == MSG_REJECT) {
            char *raw = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
            long line = message_line(s, name, i); /* reads under imp->path */
            imp->path = s->path;
            imp->entry = s->entry;
            import_reject(imp, line, NULL, raw, "%s", why);
            imp->path = keep;
            imp->entry = NULL;
            free(raw);
        }
    }
    json_decref(day);
    return 0;
}

/* Every conversation listed in list (dms.json or mpims.json). */
static int
slack_conversations(struct slack *s, const char *list, int *found)
{
    int absent;
    json_error_t e;
    json_t *convs = slack_json(s, list, &absent, &e);
    if (!convs)
        return absent ? 0 : -1;
    *found = 1;
    size_t i;
    json_t *c;
    int rc = 0;
    json_array_foreach(convs, i, c)
    {
        const char *id = jstr(c, "id");
        const char *name = jstr(c, "name");
        json_t *mem = json_object_get(c, "members");
        size_t nm = json_array_size(mem);
        if (!*id || nm == 0)
            continue;
        if (nm > MAX_MESSAGE_RECIPIENTS + 1)
            nm = MAX_MESSAGE_RECIPIENTS + 1;
        const char *emails[MAX_MESSAGE_RECIPIENTS + 1];
        const char *ids[MAX_MESSAGE_RECIPIENTS + 1];
        for (size_t k = 0; k < nm; k++) {
            ids[k] = json_string_value(json_array_get(mem, k));
            if (!ids[k])
                ids[k] = "";
            emails[k] = user_email(s, ids[k]);
        }
        /* Folders are named by the DM's id, a group DM's by its name. */
        size_t nd;
        char **days = day_files(s, id, &nd);
        if (nd == 0 && *name) {
            free(days);
            days = day_files(s, name, &nd);
        }
        for (size_t k = 0; k < nd && rc == 0; k++)
            rc = slack_day(s, id, days[k], emails, ids, nm);
        for (size_t k = 0; k < nd; k++)
            free(days[k]);
        free(days);
        if (rc)
            break;
    }
    json_decref(convs);
    return rc;
}

int
slack_load(struct import *imp)
{
    struct slack s = {.imp = imp, .prefix = ""};
    int rc = -1;
    struct stat sb;
    char *prefix = NULL;
    if (stat(imp->path, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
        int err = 0;
        s.zip = zip_open(imp->path, ZIP_RDONLY, &err);
        if (!s.zip) {
            zip_error_t ze;
            zip_error_init_with_code(&ze, err);
            snprintf(imp->errbuf, TETHER_ERRBUF, "%s: not a zip file: %s",
                     imp->path, zip_error_strerror(&ze));
            zip_error_fini(&ze);
            return -1;
        }
        /* An export zipped with its folder: users.json one level down. */
        if (zip_name_locate(s.zip, "users.json", 0) < 0) {
            zip_int64_t ne = zip_get_num_entries(s.zip, 0);
            for (zip_int64_t i = 0; i < ne && i < SLACK_ENTRIES_MAX; i++) {
                const char *e = zip_get_name(s.zip, (zip_uint64_t)i, 0);
                const char *slash = e ? strchr(e, '/') : NULL;
                if (slash && strcmp(slash + 1, "users.json") == 0) {
                    prefix = tether_xstrndup(e, (size_t)(slash - e) + 1);
                    s.prefix = prefix;
                    break;
                }
            }
        }
    }
    if (load_users(&s))
        goto out;
    if (!(s.sink = msg_sink_new(imp, "chat")))
        goto out;
    int found = 0;
    if (slack_conversations(&s, "dms.json", &found) ||
        slack_conversations(&s, "mpims.json", &found))
        goto out;
    if (!found)
        import_warn(imp, "no dms.json or mpims.json: an export of public "
                    "channels only holds no direct messages");
    rc = msg_sink_finish(s.sink);
out:
    msg_sink_free(s.sink);
    json_decref(s.users);
    if (s.zip)
        zip_discard(s.zip);
    free(prefix);
    free(s.path);
    free(s.entry);
    return rc;
}
