/* roster.c - people.csv: people, their versions and their attributes.
 *
 * A roster is a snapshot as of a date. A person gets a new version when
 * work mode, site, time zone, department or an attribute differs from the
 * version in force on that date; name, e-mail and employment dates are not
 * versioned and follow the latest snapshot. */
#include "collect.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tether/db.h"
#include "tether/timeutil.h"
#include "tether/util.h"

enum {
    C_PERSON_ID,
    C_NAME,
    C_EMAIL,
    C_DEPARTMENT,
    C_SITE,
    C_WORK_MODE,
    C_TIMEZONE,
    C_JOINED_ON,
    C_LEFT_ON,
    C_COUNT
};

static const struct column columns[C_COUNT] = {
    {"person_id", 1},  {"name", 0},      {"email", 0},
    {"department", 0}, {"site", 0},      {"work_mode", 1},
    {"timezone", 0},   {"joined_on", 0}, {"left_on", 0},
};

/* The writes of queued_row, in the order of ro->op_st. */
enum {
    OP_PERSON_ADD,
    OP_PERSON_UPDATE,
    OP_VERSION_ADD,
    OP_VERSION_UPDATE,
    OP_VERSION_KEEP,
    OP_ATTRS_KEEP,
    OP_ATTRS_CLEAR,
    OP_ATTR_ADD,
    OP_SEEN_ADD,
    OP_COUNT
};

struct roster {
    char as_of[TETHER_DATE_LEN];
    sqlite3_stmt *seen_add, *person_find, *person_add, *person_update, *version_find, *attrs_find, *version_add,
        *version_update, *attrs_clear, *attr_add, *version_keep,
        *attrs_keep;
    struct tether_buf old_attrs, new_attrs;
    struct idmap *seen;         /* person_id -> its line in this file */
    struct roster_known *known;  /* once enough people were searched for */
    long person_queries;         /* people searched for in the database */
    int attr_found;              /* the attribute columns below are known */
    size_t nattr, *attr_index, *attr_off;
    char **attr_name;
    const char **attr_ptr;
    struct tether_buf attr_lines;
    /* A first snapshot (no people yet) writes in bulk: see bulk_row. */
    int bulk;
    int64_t next_person, next_version; /* the ids SQLite would give */
    struct idmap *emails;               /* e-mail -> 0, of this file */
    struct rowbatch people, versions, attrs;
    struct rowbatch seen_rows; /* temp.roster_seen, with --complete */
    /* Runs the batches' INSERTs on a second thread (NULL: here). */
    struct rowbatch_writer *writer;
    /* Once the known people are read, a later snapshot reads nothing
     * more: its writes go to ops, in order (see queued_row). */
    int ops_on;
    struct rowbatch ops;
    sqlite3_stmt *op_st[OP_COUNT];
    /* people.id bit sets: who this snapshot holds (stored in
     * roster_members), who snapshots of a later as-of date held */
    struct members {
        unsigned char *bits;
        size_t len;
    } members, newer;
};

/* Room for byte, zeroed. */
static void
members_grow(struct members *m, size_t byte)
{
    if (byte < m->len)
        return;
    size_t len = m->len ? m->len : 4096;
    while (len <= byte)
        len *= 2;
    m->bits = tether_xrealloc(m->bits, len);
    memset(m->bits + m->len, 0, len - m->len);
    m->len = len;
}

static void
member_add(struct members *m, int64_t id)
{
    members_grow(m, (size_t)id / 8);
    m->bits[id / 8] |= (unsigned char)(1u << (id % 8));
}

static int
member_of(const struct members *m, int64_t id)
{
    size_t byte = (size_t)id / 8;
    return id > 0 && byte < m->len && (m->bits[byte] >> (id % 8)) & 1;
}

/* As tether_str_trim's blanks. */
static int
is_blank_char(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
           c == '\f';
}

/* The canonical work mode of a roster value, or NULL. */
static const char *
work_mode(const char *v)
{
    static const struct {
        const char *alias, *mode;
    } aliases[] = {
        {"remote", "remote"},      {"office", "office"},
        {"hybrid", "hybrid"},      {"on-site", "office"},
        {"onsite", "office"},      {"on site", "office"},
        {"in-office", "office"},   {"in office", "office"},
        {"mobile", "remote"},      {"virtual", "remote"},
        {"distributed", "remote"}, {"field", "remote"},
    };
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        if (strcasecmp(v, aliases[i].alias) == 0)
            return aliases[i].mode;
    return NULL;
}

/* The row's attributes as sorted "name=value\n" lines, for comparison. */
static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The attribute columns (every column not known above), found in the
 * header once per file: their index and lower-case name. */
static void
find_attribute_columns(struct roster *ro, const struct csv_row *r)
{
    struct tether_csv *csv = r->csv;
    size_t n = tether_csv_header_count(csv);
    ro->attr_index = tether_xcalloc(n ? n : 1, sizeof(size_t));
    ro->attr_name = tether_xcalloc(n ? n : 1, sizeof(char *));
    ro->attr_off = tether_xcalloc(n ? n : 1, sizeof(size_t));
    ro->attr_ptr = tether_xcalloc(n ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        if (!row_is_attribute(r, i))
            continue;
        ro->attr_index[ro->nattr] = i;
        ro->attr_name[ro->nattr++] =
            tether_str_lower(tether_xstrdup(tether_csv_header(csv, i)));
    }
    ro->attr_found = 1;
}

static void
row_attributes(struct roster *ro, struct csv_row *r, struct tether_buf *out)
{
    if (!ro->attr_found)
        find_attribute_columns(ro, r);
    /* Each line into one scratch buffer (no allocation per row), then
     * sorted through pointers taken once the buffer stops growing. */
    struct tether_buf *b = &ro->attr_lines;
    tether_buf_reset(b);
    size_t m = 0;
    for (size_t k = 0; k < ro->nattr; k++) {
        /* A column map may translate the value (allocated, as is);
         * otherwise the field itself, trimmed without a copy. */
        char *mapped =
            r->map ? row_attribute_value(r, ro->attr_index[k]) : NULL;
        const char *v =
            mapped ? mapped : tether_csv_field(r->csv, ro->attr_index[k]);
        size_t n = strlen(v);
        while (!mapped && n && is_blank_char(v[n - 1]))
            n--;
        while (!mapped && n && is_blank_char(*v))
            v++, n--;
        if (!n) {
            free(mapped);
            continue;
        }
        ro->attr_off[m++] = b->len;
        tether_buf_adds(b, ro->attr_name[k]);
        tether_buf_add(b, "=", 1);
        size_t at = b->len;
        tether_buf_add(b, v, n);
        for (size_t i = at; i < b->len; i++)
            if (b->data[i] == '\n' || b->data[i] == '\r')
                b->data[i] = ' '; /* one line per attribute */
        tether_buf_add(b, "\n", 2); /* with its NUL, for strcmp */
        free(mapped);
    }
    const char **lines = ro->attr_ptr;
    for (size_t i = 0; i < m; i++)
        lines[i] = b->data + ro->attr_off[i];
    qsort(lines, m, sizeof(char *), cmp_str);
    tether_buf_reset(out);
    for (size_t i = 0; i < m; i++)
        tether_buf_adds(out, lines[i]);
    if (!out->data)
        tether_buf_add(out, "", 0);
}

static int
db_fail(struct import *imp)
{
    return import_db_failed(imp);
}

static int
step(struct import *imp, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(imp);
}

/* Stores the attribute lines of attrs under version. */
static int
store_attributes(struct import *imp, struct roster *ro, int64_t version,
                 const char *attrs)
{
    const char *p = attrs;
    while (*p) {
        const char *eq = strchr(p, '='), *nl = strchr(p, '\n');
        sqlite3_bind_int64(ro->attr_add, 1, version);
        sqlite3_bind_text(ro->attr_add, 2, p, (int)(eq - p), SQLITE_TRANSIENT);
        sqlite3_bind_text(ro->attr_add, 3, eq + 1, (int)(nl - eq - 1),
                          SQLITE_TRANSIENT);
        if (step(imp, ro->attr_add))
            return -1;
        p = nl + 1;
    }
    return 0;
}

static int
text_eq(sqlite3_stmt *st, int col, const char *v)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    return strcmp(t ? t : "", v) == 0;
}

/* 1 when every person known before this snapshot is in memory: read once
 * after LOOKUPS_BEFORE_LOAD searches, as a meetings import does, since a
 * search costs more than a row of the scan. */
static int
known(struct import *imp, struct roster *ro)
{
    if (!ro->known && ro->person_queries++ == LOOKUPS_BEFORE_LOAD)
        ro->known = roster_known_load(imp->db, ro->as_of);
    return ro->known != NULL;
}

/* Where a later snapshot's writes go once its known people are read: a
 * writer thread runs them in order (every statement of this import's own
 * waits for it), with the ids SQLite will give them (the next after the
 * largest, as bulk_row does). 0, or -1 (imp->errbuf). */
static int
ops_begin(struct import *imp, struct roster *ro)
{
    int64_t people, versions;
    if (tether_db_int64(imp->db, "SELECT coalesce(max(id), 0) FROM people",
                        &people, imp->errbuf) ||
        tether_db_int64(imp->db,
                        "SELECT coalesce(max(id), 0) FROM person_versions",
                        &versions, imp->errbuf))
        return -1;
    ro->next_person = people + 1;
    ro->next_version = versions + 1;
    ro->op_st[OP_PERSON_ADD] = ro->person_add;
    ro->op_st[OP_PERSON_UPDATE] = ro->person_update;
    ro->op_st[OP_VERSION_ADD] = ro->version_add;
    ro->op_st[OP_VERSION_UPDATE] = ro->version_update;
    ro->op_st[OP_VERSION_KEEP] = ro->version_keep;
    ro->op_st[OP_ATTRS_KEEP] = ro->attrs_keep;
    ro->op_st[OP_ATTRS_CLEAR] = ro->attrs_clear;
    ro->op_st[OP_ATTR_ADD] = ro->attr_add;
    ro->op_st[OP_SEEN_ADD] = ro->seen_add;
    rowbatch_init_ops(&ro->ops, imp->db, ro->op_st, OP_COUNT);
    if ((ro->writer = rowbatch_writer_new(imp)))
        rowbatch_use_writer(&ro->ops, ro->writer);
    ro->ops_on = 1;
    return 0;
}

/* The writes still queued, then the writer ends: the statements after
 * the rows are this thread's. 0, or -1. */
static int
ops_end(struct import *imp, struct roster *ro)
{
    if (!ro->ops_on)
        return 0;
    int rc = rowbatch_flush(&ro->ops);
    rowbatch_writer_free(ro->writer);
    ro->writer = NULL;
    return rc == SQLITE_OK ? 0 : db_fail(imp);
}

/* Ends a queued write: 0, or -1 when the writer failed. */
static int
op_done(struct import *imp, struct roster *ro)
{
    return rowbatch_end_row(&ro->ops) == SQLITE_OK ? 0 : db_fail(imp);
}

/* A row of a later snapshot once the known people are read: what the
 * database holds is compared in memory (kp: the person, or NULL when
 * new), and the row's writes are queued for the writer in the order the
 * row-by-row path below runs them. An e-mail another person holds is
 * rejected here, as the unique index would refuse it there. */
static int
queued_row(struct roster *ro, struct csv_row *r, const char *pid,
           const char *mode, const char *tz, const char *email)
{
    struct import *imp = r->imp;
    struct rowbatch *b = &ro->ops;
    const char *name = row_get(r, C_NAME), *joined_on = row_get(r, C_JOINED_ON),
               *left_on = row_get(r, C_LEFT_ON);
    const struct known_person *kp = roster_known_find(ro->known, pid);
    int64_t person = kp ? kp->id : 0;
    int is_new = !kp;
    int newer_known = (kp && kp->newer) || member_of(&ro->newer, person);
    int same_person = kp && roster_known_same_person(ro->known, kp, name,
                                                     email, joined_on, left_on);
    if (!newer_known && !same_person) {
        if (*email && roster_known_email_taken(ro->known, email, person)) {
            row_reject(r, C_EMAIL, "e-mail %s belongs to another person",
                       email);
            return 0;
        }
        if (is_new)
            person = ro->next_person++;
        roster_known_email_move(ro->known, kp, person, email);
        rowbatch_op(b, is_new ? OP_PERSON_ADD : OP_PERSON_UPDATE);
        rowbatch_text(b, pid);
        rowbatch_text_or_null(b, name);
        rowbatch_text_or_null(b, email);
        rowbatch_text_or_null(b, joined_on);
        rowbatch_text_or_null(b, left_on);
        rowbatch_text(b, ro->as_of);
        if (op_done(imp, ro))
            return -1;
    }
    row_attributes(ro, r, &ro->new_attrs);
    int64_t version = kp ? kp->version : 0;
    int same_day = version && kp->same_day;
    int same = kp && roster_known_same(ro->known, kp, mode, row_get(r, C_SITE),
                                       row_get(r, C_DEPARTMENT), tz,
                                       ro->new_attrs.data);
    if (!same && same_day) {
        rowbatch_op(b, OP_VERSION_KEEP);
        rowbatch_int(b, version);
        rowbatch_int(b, imp->id);
        if (op_done(imp, ro))
            return -1;
        rowbatch_op(b, OP_ATTRS_KEEP); /* right after: last_insert_rowid() */
        rowbatch_int(b, version);
        if (op_done(imp, ro))
            return -1;
    }
    if (!same) {
        rowbatch_op(b, same_day ? OP_VERSION_UPDATE : OP_VERSION_ADD);
        rowbatch_int(b, same_day ? version : person);
        rowbatch_text(b, ro->as_of);
        rowbatch_text(b, mode);
        rowbatch_text_or_null(b, row_get(r, C_SITE));
        rowbatch_text_or_null(b, row_get(r, C_DEPARTMENT));
        rowbatch_text(b, tz);
        rowbatch_int(b, imp->id);
        if (op_done(imp, ro))
            return -1;
        if (same_day) {
            rowbatch_op(b, OP_ATTRS_CLEAR);
            rowbatch_int(b, version);
            if (op_done(imp, ro))
                return -1;
        } else {
            version = ro->next_version++;
        }
        for (const char *p = ro->new_attrs.data; *p;) {
            const char *eq = strchr(p, '='), *nl = strchr(p, '\n');
            rowbatch_op(b, OP_ATTR_ADD);
            rowbatch_int(b, version);
            rowbatch_textn(b, p, (size_t)(eq - p));
            rowbatch_textn(b, eq + 1, (size_t)(nl - eq - 1));
            if (op_done(imp, ro))
                return -1;
            p = nl + 1;
        }
    }
    if (is_new)
        imp->loaded++;
    else if (!same)
        imp->updated++;
    else
        imp->unchanged++;
    member_add(&ro->members, person);
    int added;
    *idmap_put(ro->seen, pid, &added) = tether_csv_line(r->csv);
    if (imp->opts->complete) { /* for mark_leavers */
        rowbatch_op(b, OP_SEEN_ADD);
        rowbatch_text(b, pid);
        rowbatch_int(b, tether_csv_line(r->csv));
        return op_done(imp, ro);
    }
    return 0;
}

/* A row of a first snapshot: every person is new, so nothing is searched
 * for; the person, its version and its attributes are queued for
 * multi-row INSERTs with the ids SQLite would have given them (the next
 * after the largest), and the e-mails are kept unique here, since the
 * e-mail index is built after the last row (roster_load). */
static int
bulk_row(struct roster *ro, struct csv_row *r, const char *pid,
         const char *mode, const char *tz, const char *email)
{
    struct import *imp = r->imp;
    if (*email) {
        int added;
        idmap_put(ro->emails, email, &added);
        if (!added) {
            row_reject(r, C_EMAIL, "e-mail %s belongs to another person",
                       email);
            return 0;
        }
    }
    int64_t person = ro->next_person++, version = ro->next_version++;
    struct rowbatch *b = &ro->people;
    rowbatch_int(b, person);
    rowbatch_text(b, pid);
    rowbatch_text_or_null(b, row_get(r, C_NAME));
    rowbatch_text_or_null(b, email);
    rowbatch_text_or_null(b, row_get(r, C_JOINED_ON));
    rowbatch_text_or_null(b, row_get(r, C_LEFT_ON));
    rowbatch_text(b, ro->as_of);
    int rc = rowbatch_end_row(b);
    b = &ro->versions;
    rowbatch_int(b, version);
    rowbatch_int(b, person);
    rowbatch_text(b, ro->as_of);
    rowbatch_text(b, mode);
    rowbatch_text_or_null(b, row_get(r, C_SITE));
    rowbatch_text_or_null(b, row_get(r, C_DEPARTMENT));
    rowbatch_text(b, tz);
    rowbatch_int(b, imp->id);
    if (rc == SQLITE_OK)
        rc = rowbatch_end_row(b);
    row_attributes(ro, r, &ro->new_attrs);
    for (const char *p = ro->new_attrs.data; *p && rc == SQLITE_OK;) {
        const char *eq = strchr(p, '='), *nl = strchr(p, '\n');
        rowbatch_int(&ro->attrs, version);
        rowbatch_textn(&ro->attrs, p, (size_t)(eq - p));
        rowbatch_textn(&ro->attrs, eq + 1, (size_t)(nl - eq - 1));
        rc = rowbatch_end_row(&ro->attrs);
        p = nl + 1;
    }
    if (rc != SQLITE_OK)
        return db_fail(imp);
    imp->loaded++;
    member_add(&ro->members, person);
    int added;
    *idmap_put(ro->seen, pid, &added) = tether_csv_line(r->csv);
    if (imp->opts->complete) { /* for mark_leavers */
        rowbatch_text(&ro->seen_rows, pid);
        rowbatch_int(&ro->seen_rows, tether_csv_line(r->csv));
        if (rowbatch_end_row(&ro->seen_rows) != SQLITE_OK)
            return db_fail(imp);
    }
    return 0;
}

/* One roster row, from its fields to its stored version. Long (about 200
 * lines) for a reason: the checks, the person, the version and its
 * attributes share the row's fields and the import's prepared statements,
 * and this is a snapshot's hot path (a million rows), read best in order.
 * A first snapshot goes to bulk_row after the checks, a later one to
 * queued_row once its known people are read; the row-by-row path below
 * (the first searches of a later snapshot) is what queued_row must
 * match. */
static int
roster_row(struct csv_row *r, void *ctx)
{
    struct roster *ro = ctx;
    struct import *imp = r->imp;
    const char *pid = row_get(r, C_PERSON_ID);
    if (!*pid) {
        row_reject(r, C_PERSON_ID, "empty person_id");
        return 0;
    }
    const int64_t *first = idmap_get(ro->seen, pid);
    if (first) {
        row_reject(r, C_PERSON_ID,
                   "person %s appears again (first on line %ld)", pid,
                   (long)*first);
        return 0;
    }
    const char *mode = work_mode(row_get(r, C_WORK_MODE));
    if (!mode) {
        row_reject(r, C_WORK_MODE,
                   "'%s' is not a work mode (remote, office or hybrid)",
                   row_get(r, C_WORK_MODE));
        return 0;
    }
    const char *tz = row_get(r, C_TIMEZONE);
    if (!*tz)
        tz = imp->opts->default_tz;
    if (!tether_tz_valid(tz)) {
        row_reject(r, C_TIMEZONE, "'%s' is not an IANA time zone", tz);
        return 0;
    }
    char *email = tether_str_lower(tether_xstrdup(row_get(r, C_EMAIL)));
    int rc = 0;
    if (*email && (!strchr(email, '@') || strchr(email, ' '))) {
        row_reject(r, C_EMAIL, "'%s' is not an e-mail address", email);
        goto out;
    }
    int32_t joined = 0, left = 0;
    if (*row_get(r, C_JOINED_ON) &&
        tether_date_parse(row_get(r, C_JOINED_ON), &joined)) {
        row_reject(r, C_JOINED_ON, "'%s' is not a date (YYYY-MM-DD)",
                   row_get(r, C_JOINED_ON));
        goto out;
    }
    if (*row_get(r, C_LEFT_ON) &&
        tether_date_parse(row_get(r, C_LEFT_ON), &left)) {
        row_reject(r, C_LEFT_ON, "'%s' is not a date (YYYY-MM-DD)",
                   row_get(r, C_LEFT_ON));
        goto out;
    }
    if (*row_get(r, C_JOINED_ON) && *row_get(r, C_LEFT_ON) && left < joined) {
        row_reject(r, C_LEFT_ON, "left_on %s is before joined_on %s",
                   row_get(r, C_LEFT_ON), row_get(r, C_JOINED_ON));
        goto out;
    }
    if (ro->bulk) {
        rc = bulk_row(ro, r, pid, mode, tz, email);
        goto out;
    }
    if (known(imp, ro)) {
        rc = ro->ops_on || !ops_begin(imp, ro)
                 ? queued_row(ro, r, pid, mode, tz, email)
                 : -1;
        goto out;
    }
    /* The person, searched for: unversioned columns follow the latest
     * snapshot. */
    int64_t person = 0;
    int newer_known = 0, same_person = 0;
    const char *name = row_get(r, C_NAME), *joined_on = row_get(r, C_JOINED_ON),
               *left_on = row_get(r, C_LEFT_ON);
    sqlite3_stmt *pf = ro->person_find;
    sqlite3_bind_text(pf, 1, pid, -1, SQLITE_TRANSIENT);
    if (import_step(imp, pf) == SQLITE_ROW) {
        person = sqlite3_column_int64(pf, 0);
        const char *snap = (const char *)sqlite3_column_text(pf, 1);
        newer_known = snap && strcmp(snap, ro->as_of) > 0;
        /* stored "" is NULL (tether_db_bind_text), as "" is here */
        same_person = text_eq(pf, 2, name) && text_eq(pf, 3, email) &&
                      text_eq(pf, 4, joined_on) && text_eq(pf, 5, left_on);
    }
    sqlite3_reset(pf);
    if (imp->failed) {
        rc = -1;
        goto out;
    }
    /* A snapshot of a later date loaded before holds the person too. */
    newer_known = newer_known || member_of(&ro->newer, person);
    int is_new = person == 0;
    if (!newer_known && !same_person) {
        /* Most people keep their name, e-mail and dates: nothing is
         * written for them (roster_members records who the snapshot
         * holds, in one row). */
        sqlite3_stmt *st = is_new ? ro->person_add : ro->person_update;
        sqlite3_bind_text(st, 1, pid, -1, SQLITE_TRANSIENT);
        tether_db_bind_text(st, 2, name);
        tether_db_bind_text(st, 3, email);
        tether_db_bind_text(st, 4, joined_on);
        tether_db_bind_text(st, 5, left_on);
        sqlite3_bind_text(st, 6, ro->as_of, -1, SQLITE_STATIC);
        int s = sqlite3_step(st);
        sqlite3_reset(st);
        if (s == SQLITE_CONSTRAINT_UNIQUE) {
            row_reject(r, C_EMAIL, "e-mail %s belongs to another person",
                       email);
            goto out;
        }
        if (s != SQLITE_DONE) {
            rc = db_fail(imp);
            goto out;
        }
        if (is_new)
            person = sqlite3_last_insert_rowid(imp->db);
    }
    /* The version in force on the as-of date (a new person has none). */
    row_attributes(ro, r, &ro->new_attrs);
    sqlite3_stmt *vf = ro->version_find;
    sqlite3_bind_int64(vf, 1, person);
    sqlite3_bind_text(vf, 2, ro->as_of, -1, SQLITE_STATIC);
    int64_t version = 0;
    int same = 0, same_day = 0;
    if (!is_new && import_step(imp, vf) == SQLITE_ROW) {
        version = sqlite3_column_int64(vf, 0);
        same_day = text_eq(vf, 1, ro->as_of);
        tether_buf_reset(&ro->old_attrs);
        sqlite3_bind_int64(ro->attrs_find, 1, version);
        while (import_step(imp, ro->attrs_find) == SQLITE_ROW)
            tether_buf_printf(&ro->old_attrs, "%s=%s\n",
                              sqlite3_column_text(ro->attrs_find, 0),
                              sqlite3_column_text(ro->attrs_find, 1));
        sqlite3_reset(ro->attrs_find);
        same = text_eq(vf, 2, mode) && text_eq(vf, 3, row_get(r, C_SITE)) &&
               text_eq(vf, 4, row_get(r, C_DEPARTMENT)) && text_eq(vf, 5, tz) &&
               strcmp(ro->old_attrs.data ? ro->old_attrs.data : "",
                      ro->new_attrs.data) == 0;
    }
    sqlite3_reset(vf);
    if (imp->failed) {
        rc = -1;
        goto out;
    }
    if (!same && same_day) {
        sqlite3_bind_int64(ro->version_keep, 1, version);
        sqlite3_bind_int64(ro->version_keep, 2, imp->id);
        if (step(imp, ro->version_keep)) {
            rc = -1;
            goto out;
        }
        sqlite3_bind_int64(ro->attrs_keep, 1, version);
        if (step(imp, ro->attrs_keep)) {
            rc = -1;
            goto out;
        }
    }
    if (!same) {
        sqlite3_stmt *st = same_day ? ro->version_update : ro->version_add;
        sqlite3_bind_int64(st, 1, same_day ? version : person);
        sqlite3_bind_text(st, 2, ro->as_of, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, mode, -1, SQLITE_STATIC);
        tether_db_bind_text(st, 4, row_get(r, C_SITE));
        tether_db_bind_text(st, 5, row_get(r, C_DEPARTMENT));
        sqlite3_bind_text(st, 6, tz, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 7, imp->id);
        if (step(imp, st)) {
            rc = -1;
            goto out;
        }
        if (same_day) {
            sqlite3_bind_int64(ro->attrs_clear, 1, version);
            if (step(imp, ro->attrs_clear)) {
                rc = -1;
                goto out;
            }
        } else {
            version = sqlite3_last_insert_rowid(imp->db);
        }
        if (store_attributes(imp, ro, version, ro->new_attrs.data)) {
            rc = -1;
            goto out;
        }
    }
    if (is_new)
        imp->loaded++;
    else if (!same)
        imp->updated++;
    else
        imp->unchanged++;
    member_add(&ro->members, person);
    int added;
    *idmap_put(ro->seen, pid, &added) = tether_csv_line(r->csv);
    if (imp->opts->complete) { /* for mark_leavers */
        sqlite3_bind_text(ro->seen_add, 1, pid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ro->seen_add, 2, tether_csv_line(r->csv));
        rc = step(imp, ro->seen_add);
    }
out:
    free(email);
    return rc;
}

/* With --complete, people missing from the snapshot left on its date. */
static int
mark_leavers(struct import *imp, struct roster *ro)
{
    sqlite3_stmt *st;
    if (tether_db_prepare(
            imp->db,
            "UPDATE people SET left_on = ?1 WHERE person_id NOT IN "
            "(SELECT person_id FROM temp.roster_seen) AND "
            "(left_on IS NULL OR left_on > ?1) AND "
            "(joined_on IS NULL OR joined_on <= ?1)",
            &st, imp->errbuf))
        return -1;
    sqlite3_bind_text(st, 1, ro->as_of, -1, SQLITE_STATIC);
    int rc = step(imp, st);
    sqlite3_finalize(st);
    int n = sqlite3_changes(imp->db);
    if (!rc && n && !imp->opts->quiet)
        fprintf(stderr,
                "%s: %d people absent from this complete roster left on %s\n",
                imp->path, n, ro->as_of);
    return rc;
}

/* A snapshot into an empty people table writes in bulk: its two unique
 * indexes are dropped and built after the last row (one sort instead of a
 * million random insertions; the e-mail index alone was half of a first
 * load), which bulk_row allows by keeping e-mails unique itself. Both
 * statements are in the import's transaction: a failed import gets its
 * indexes back with its rollback. The batches' INSERTs run on a writer
 * thread while this one checks the next rows: every row of a first
 * snapshot is new, so this thread needs the connection only for a
 * reject (which waits for the writer). 0, or -1 (imp->errbuf). */
static int
bulk_begin(struct import *imp, struct roster *ro)
{
    sqlite3_stmt *st;
    if (tether_db_prepare(imp->db,
                          "SELECT NOT EXISTS (SELECT 1 FROM people), "
                          "(SELECT coalesce(max(id), 0) FROM person_versions)",
                          &st, imp->errbuf))
        return -1;
    if (import_step(imp, st) == SQLITE_ROW) {
        ro->bulk = sqlite3_column_int(st, 0);
        ro->next_person = 1;
        ro->next_version = sqlite3_column_int64(st, 1) + 1;
    }
    sqlite3_finalize(st);
    if (imp->failed)
        return -1;
    if (!ro->bulk)
        return 0;
    ro->emails = idmap_new();
    if (tether_db_exec(imp->db,
                       "DROP INDEX people_person_id; DROP INDEX people_email",
                       imp->errbuf))
        return -1;
    int rc = rowbatch_init(&ro->people, imp->db,
                           "INSERT OR FAIL INTO people (id, person_id, name, "
                           "email, joined_on, left_on, snapshot_as_of)",
                           7);
    if (rc == SQLITE_OK)
        rc = rowbatch_init(&ro->versions, imp->db,
                           "INSERT OR FAIL INTO person_versions (id, person, "
                           "valid_from, work_mode, site, department, "
                           "timezone, import_id)",
                           8);
    if (rc == SQLITE_OK)
        rc = rowbatch_init(&ro->attrs, imp->db,
                           "INSERT OR FAIL INTO person_attributes (version, "
                           "name, value)",
                           3);
    if (rc == SQLITE_OK && imp->opts->complete)
        rc = rowbatch_init(&ro->seen_rows, imp->db,
                           "INSERT OR FAIL INTO temp.roster_seen (person_id, "
                           "line)",
                           2);
    if (rc != SQLITE_OK)
        return db_fail(imp);
    if ((ro->writer = rowbatch_writer_new(imp))) {
        rowbatch_use_writer(&ro->people, ro->writer);
        rowbatch_use_writer(&ro->versions, ro->writer);
        rowbatch_use_writer(&ro->attrs, ro->writer);
        if (imp->opts->complete)
            rowbatch_use_writer(&ro->seen_rows, ro->writer);
    }
    return 0;
}

/* The rows still queued, then the indexes bulk_begin dropped, exactly as
 * schema version 5 names and defines them. */
static int
bulk_end(struct import *imp, struct roster *ro)
{
    if (!ro->bulk)
        return 0;
    int rc = rowbatch_flush(&ro->people);
    if (rc == SQLITE_OK)
        rc = rowbatch_flush(&ro->versions);
    if (rc == SQLITE_OK)
        rc = rowbatch_flush(&ro->attrs);
    if (rc == SQLITE_OK && imp->opts->complete)
        rc = rowbatch_flush(&ro->seen_rows);
    if (rc != SQLITE_OK)
        return db_fail(imp);
    /* The writer holds nothing now; the statements below are this
     * thread's (they do not wait through imp->sync). */
    rowbatch_writer_free(ro->writer);
    ro->writer = NULL;
    return tether_db_exec(imp->db,
                          "CREATE UNIQUE INDEX people_person_id ON "
                          "people(person_id);"
                          "CREATE UNIQUE INDEX people_email ON people(email)",
                          imp->errbuf)
               ? -1
               : 0;
}

/* Who the snapshots of a later date than this one held: their persons'
 * unversioned columns are theirs, not this snapshot's. Usually none (the
 * snapshots come in date order). 0, or -1. */
static int
members_load_newer(struct import *imp, struct roster *ro)
{
    sqlite3_stmt *st;
    if (tether_db_prepare(imp->db,
                          "SELECT people FROM roster_members WHERE as_of > ?1",
                          &st, imp->errbuf))
        return -1;
    sqlite3_bind_text(st, 1, ro->as_of, -1, SQLITE_STATIC);
    while (import_step(imp, st) == SQLITE_ROW) {
        const unsigned char *b = sqlite3_column_blob(st, 0);
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        if (n)
            members_grow(&ro->newer, n - 1);
        for (size_t i = 0; i < n; i++)
            ro->newer.bits[i] |= b[i];
    }
    sqlite3_finalize(st);
    return imp->failed ? -1 : 0;
}

/* One row for the snapshot: the people.id of everyone it holds. */
static int
members_store(struct import *imp, struct roster *ro)
{
    size_t n = ro->members.len;
    while (n && !ro->members.bits[n - 1])
        n--;
    sqlite3_stmt *st;
    if (tether_db_prepare(imp->db,
                          "INSERT INTO roster_members (import_id, as_of, "
                          "people) VALUES (?1, ?2, ?3)",
                          &st, imp->errbuf))
        return -1;
    sqlite3_bind_int64(st, 1, imp->id);
    sqlite3_bind_text(st, 2, ro->as_of, -1, SQLITE_STATIC);
    if (n)
        sqlite3_bind_blob(st, 3, ro->members.bits, (int)n, SQLITE_STATIC);
    else
        sqlite3_bind_zeroblob(st, 3, 0);
    int rc = step(imp, st);
    sqlite3_finalize(st);
    return rc;
}

int
roster_load(struct import *imp)
{
    struct roster ro = {0};
    tether_date_format(imp->opts->as_of, ro.as_of);
    ro.seen = idmap_new();
    int rc = -1;
    if (tether_db_exec(imp->db,
                       "CREATE TEMP TABLE IF NOT EXISTS roster_seen "
                       "(person_id TEXT PRIMARY KEY, line INTEGER);"
                       "DELETE FROM temp.roster_seen",
                       imp->errbuf))
        return -1;
    struct {
        sqlite3_stmt **st;
        const char *sql;
    } s[] = {
        {&ro.seen_add, "INSERT INTO temp.roster_seen VALUES (?1, ?2)"},
        {&ro.person_find, "SELECT id, snapshot_as_of, name, email, "
                          "joined_on, left_on FROM people "
                          "WHERE person_id = ?1"},
        {&ro.person_add, "INSERT INTO people (person_id, name, email, "
                         "joined_on, left_on, snapshot_as_of) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
        {&ro.person_update, "UPDATE people SET name = ?2, email = ?3, "
                            "joined_on = ?4, left_on = ?5, "
                            "snapshot_as_of = ?6 WHERE person_id = ?1"},
        {&ro.version_find,
         "SELECT id, valid_from, work_mode, site, department, timezone "
         "FROM person_versions WHERE person = ?1 AND valid_from <= ?2 "
         "ORDER BY valid_from DESC LIMIT 1"},
        {&ro.attrs_find, "SELECT name, value FROM person_attributes "
                         "WHERE version = ?1 ORDER BY name, value"},
        {&ro.version_add,
         "INSERT INTO person_versions (person, valid_from, work_mode, site, "
         "department, timezone, import_id) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
        {&ro.version_update,
         "UPDATE person_versions SET valid_from = ?2, work_mode = ?3, "
         "site = ?4, department = ?5, timezone = ?6, import_id = ?7 "
         "WHERE id = ?1"},
        {&ro.attrs_clear, "DELETE FROM person_attributes WHERE version = ?1"},
        {&ro.attr_add, "INSERT INTO person_attributes (version, name, value) "
                       "VALUES (?1, ?2, ?3)"},
        /* A version corrected on its own day keeps its old row (and
         * attributes): published runs are recomputed from them. */
        {&ro.version_keep,
         "INSERT INTO person_versions_history (version, person, valid_from, "
         "work_mode, site, department, timezone, import_id, superseded_by) "
         "SELECT id, person, valid_from, work_mode, site, department, "
         "timezone, import_id, ?2 FROM person_versions WHERE id = ?1"},
        {&ro.attrs_keep,
         "INSERT INTO person_attributes_history (history, name, value) "
         "SELECT last_insert_rowid(), name, value FROM person_attributes "
         "WHERE version = ?1"},
    };
    size_t n = sizeof(s) / sizeof(s[0]);
    if (bulk_begin(imp, &ro) || members_load_newer(imp, &ro))
        goto out;
    for (size_t i = 0; i < n; i++)
        if (tether_db_prepare(imp->db, s[i].sql, s[i].st, imp->errbuf))
            goto out;
    if (csv_import_run(imp, columns, C_COUNT, 0, roster_row, &ro) ||
        ops_end(imp, &ro) || bulk_end(imp, &ro) || members_store(imp, &ro))
        goto out;
    if (imp->opts->complete && imp->rejected) {
        /* A rejected row's person is missing from the file, not gone from
         * the organisation: nothing is inferred from a bad row. */
        fprintf(stderr,
                "tether-collect: %s: %ld rows rejected: no leavers recorded "
                "from this complete roster (fix the rows and load it "
                "again)\n",
                imp->path, imp->rejected);
    } else if (imp->opts->complete && mark_leavers(imp, &ro))
        goto out;
    rc = 0;
out:
    /* before the batches its thread may still be writing */
    rowbatch_writer_free(ro.writer);
    for (size_t i = 0; i < n; i++)
        sqlite3_finalize(*s[i].st);
    tether_buf_free(&ro.old_attrs);
    tether_buf_free(&ro.new_attrs);
    idmap_free(ro.seen);
    for (size_t i = 0; i < ro.nattr; i++)
        free(ro.attr_name[i]);
    free(ro.attr_name);
    free(ro.attr_index);
    free(ro.attr_off);
    free(ro.attr_ptr);
    tether_buf_free(&ro.attr_lines);
    roster_known_free(ro.known);
    if (ro.emails)
        idmap_free(ro.emails);
    rowbatch_free(&ro.people);
    rowbatch_free(&ro.versions);
    rowbatch_free(&ro.attrs);
    rowbatch_free(&ro.seen_rows);
    rowbatch_free(&ro.ops);
    free(ro.members.bits);
    free(ro.newer.bits);
    return rc;
}
