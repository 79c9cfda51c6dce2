/* import.c - one file, one transaction: the imports row, the reject log,
 * the summary line and the exit status of a file. */
#include "collect.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "tether/db.h"
#include "tether/textin.h"
#include "tether/util.h"

/* Adds the names and bytes of a folder's files, in name order, to *h (a
 * Slack export unpacked: the folder is the file). depth bounds the walk. */
static int
dir_hash(const char *path, uint64_t *h, int depth, char *errbuf)
{
    struct dirent **list;
    int n = scandir(path, &list, NULL, alphasort);
    if (n < 0) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot open '%s': %s", path,
                 strerror(errno));
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        if (rc || name[0] == '.')
            continue;
        char *p = tether_xasprintf("%s/%s", path, name);
        struct stat sb;
        *h = tether_hash(*h, name, strlen(name) + 1);
        if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            if (depth > 0)
                rc = dir_hash(p, h, depth - 1, errbuf);
        } else {
            FILE *fp = fopen(p, "rb");
            char buf[65536];
            size_t got;
            while (fp && (got = fread(buf, 1, sizeof(buf), fp)) > 0)
                *h = tether_hash(*h, buf, got);
            if (!fp || ferror(fp)) {
                snprintf(errbuf, TETHER_ERRBUF, "cannot read '%s'", p);
                rc = -1;
            }
            if (fp)
                fclose(fp);
        }
        free(p);
    }
    for (int i = 0; i < n; i++)
        free(list[i]);
    free(list);
    return rc;
}

/* Fingerprint of the file's raw bytes (a folder's files' names and
 * bytes), as 16 hex digits. */
static int
file_fingerprint(const char *path, char *hex, char *errbuf)
{
    struct stat sb;
    if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 &&
        S_ISDIR(sb.st_mode)) {
        uint64_t h = TETHER_HASH_INIT;
        if (dir_hash(path, &h, 2, errbuf))
            return -1;
        snprintf(hex, 17, "%016llx", (unsigned long long)h);
        return 0;
    }
    FILE *fp = strcmp(path, "-") == 0 ? NULL : fopen(path, "rb");
    if (!fp) {
        if (strcmp(path, "-") == 0) {
            hex[0] = '\0'; /* standard input is never known in advance */
            return 0;
        }
        snprintf(errbuf, TETHER_ERRBUF, "cannot open '%s': %s", path,
                 strerror(errno));
        return -1;
    }
    uint64_t h = TETHER_HASH_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
        h = tether_hash(h, buf, n);
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot read '%s'", path);
        return -1;
    }
    snprintf(hex, 17, "%016llx", (unsigned long long)h);
    return 0;
}

/* SQLite's commit hook of an import: non-zero turns the commit into a
 * rollback. */
static int
commit_gate(void *arg)
{
    const struct import *imp = arg;
    return !imp->committing;
}

int
import_begin(struct import *imp, sqlite3 *db, const struct collect_opts *opts,
             const char *path, const char *kind, const char *format,
             const char *options)
{
    memset(imp, 0, sizeof(*imp));
    imp->db = db;
    imp->opts = opts;
    imp->path = path;
    imp->kind = kind;
    imp->format = format;
    char hex[17];
    if (file_fingerprint(path, hex, imp->errbuf))
        return -1;
    if (tether_db_exec(db, "BEGIN IMMEDIATE", imp->errbuf)) {
        /* a lock held longer than the busy timeout: say which file */
        char msg[TETHER_ERRBUF];
        snprintf(msg, sizeof(msg), "%s", imp->errbuf);
        snprintf(imp->errbuf, TETHER_ERRBUF,
                 "%.200s: cannot begin the import: %.200s; nothing loaded "
                 "from this file",
                 path, msg);
        return -1;
    }
    /* SQLite rolls a transaction back by itself after some failures (a
     * full disk, a lost lock), and any statement run after that commits
     * on its own: the gate refuses every commit but our COMMIT, so that
     * nothing of a failing file is ever kept. */
    sqlite3_commit_hook(db, commit_gate, imp);
    sqlite3_stmt *st = NULL;
    int known = 0;
    if (hex[0]) {
        if (tether_db_prepare(db,
                              "SELECT 1 FROM imports WHERE kind = ?1 AND "
                              "content_hash = ?2 AND "
                              "coalesce(options, '') = coalesce(?3, '')",
                              &st, imp->errbuf))
            goto fail;
        sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, hex, -1, SQLITE_STATIC);
        tether_db_bind_text(st, 3, options);
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            snprintf(imp->errbuf, TETHER_ERRBUF, "%s: %s", path,
                     sqlite3_errmsg(db));
            goto fail;
        }
        known = rc == SQLITE_ROW;
        sqlite3_finalize(st);
        st = NULL;
    }
    if (known) {
        tether_db_exec(db, "ROLLBACK", imp->errbuf);
        sqlite3_commit_hook(db, NULL, NULL);
        if (!opts->quiet)
            fprintf(stderr,
                    "tether-collect: '%s' was imported before; skipped\n",
                    path);
        return 1;
    }
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (tether_db_prepare(db,
                          "INSERT INTO imports (kind, format, path, "
                          "content_hash, options, imported_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          &st, imp->errbuf))
        goto fail;
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, format, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, hex, -1, SQLITE_STATIC);
    tether_db_bind_text(st, 5, options);
    sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        snprintf(imp->errbuf, TETHER_ERRBUF, "%s: %s", path,
                 sqlite3_errmsg(db));
        goto fail;
    }
    sqlite3_finalize(st);
    st = NULL;
    imp->id = sqlite3_last_insert_rowid(db);
    if (tether_db_prepare(db,
                          "INSERT INTO rejects (import_id, line, "
                          "column_name, reason, raw) "
                          "VALUES (?1, ?2, ?3, ?4, ?5)",
                          &imp->st_reject, imp->errbuf))
        goto fail;
    return 0;
fail:
    sqlite3_finalize(st);
    {
        char ignore[TETHER_ERRBUF];
        tether_db_exec(db, "ROLLBACK", ignore);
    }
    sqlite3_commit_hook(db, NULL, NULL);
    return -1;
}

int
import_db_failed(struct import *imp)
{
    if (imp->failed)
        return -1;
    imp->failed = 1;
    imp->fail_code = sqlite3_errcode(imp->db);
    imp->fail_ext = sqlite3_extended_errcode(imp->db);
    imp->fail_sys = sqlite3_system_errno(imp->db);
    snprintf(imp->errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(imp->db));
    return -1;
}

int
import_sync(struct import *imp)
{
    return imp->sync ? imp->sync(imp->sync_ctx) : 0;
}

int
import_step(struct import *imp, sqlite3_stmt *st)
{
    if (import_sync(imp))
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return rc;
    return import_db_failed(imp);
}

void
import_reject(struct import *imp, long line, const char *column,
              const char *raw, const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    /* the row was not judged (a look-up failed), or the transaction may be
     * gone (a write failed): the import fails (import_end) */
    if (imp->lookup_err || imp->failed || import_sync(imp))
        return;
    imp->rejected++;
    /* The reason quotes the row, and the column may be a header cell: on
     * the operator's terminal their control characters are escaped (the
     * reject log keeps them as they were). */
    char *r = tether_str_escape_controls(reason);
    char *c = column ? tether_str_escape_controls(column) : NULL;
    if (c)
        fprintf(stderr, "%s:%ld: column %s: %s\n", imp->path, line, c, r);
    else
        fprintf(stderr, "%s:%ld: %s\n", imp->path, line, r);
    free(r);
    free(c);
    sqlite3_stmt *st = imp->st_reject;
    sqlite3_bind_int64(st, 1, imp->id);
    sqlite3_bind_int64(st, 2, line);
    tether_db_bind_text(st, 3, column);
    /* The log keeps the import's path: an entry of it is named here. */
    char *stored = imp->entry ? tether_xasprintf("in %s: %s", imp->entry,
                                                 reason)
                              : NULL;
    sqlite3_bind_text(st, 4, stored ? stored : reason, -1, SQLITE_TRANSIENT);
    /* The raw text may be invalid UTF-8 (that may be why it is rejected):
     * keep its bytes as a blob rather than lose them. */
    if (raw && tether_utf8_check(raw, strlen(raw), &(const char *){NULL}))
        sqlite3_bind_blob(st, 5, raw, (int)strlen(raw), SQLITE_TRANSIENT);
    else
        tether_db_bind_text(st, 5, raw);
    import_step(imp, st);
    sqlite3_reset(st);
    free(stored);
}

void
import_warn(struct import *imp, const char *fmt, ...)
{
    if (imp->opts->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "tether-collect: %s: warning: ", imp->path);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void
finish_statements(struct import *imp)
{
    sqlite3_finalize(imp->st_reject);
    sqlite3_finalize(imp->st_person);
    sqlite3_finalize(imp->st_email);
    imp->st_reject = imp->st_person = imp->st_email = NULL;
    name_cache_free(&imp->people);
    name_cache_free(&imp->emails);
    people_map_free(imp->people_map);
    imp->people_map = NULL;
}

int
name_cache_get(const struct name_cache *nc, const char *key, int64_t *id)
{
    for (int i = 0; i < NAME_CACHE; i++) {
        if (nc->key[i] && strcmp(nc->key[i], key) == 0) {
            *id = nc->id[i];
            return 1;
        }
    }
    return 0;
}

void
name_cache_put(struct name_cache *nc, const char *key, int64_t id)
{
    free(nc->key[nc->next]);
    nc->key[nc->next] = tether_xstrdup(key);
    nc->id[nc->next] = id;
    nc->next = (nc->next + 1) % NAME_CACHE;
}

void
name_cache_free(struct name_cache *nc)
{
    for (int i = 0; i < NAME_CACHE; i++)
        free(nc->key[i]);
    memset(nc, 0, sizeof(*nc));
}

enum import_result
import_fail(struct import *imp)
{
    /* A full disk or a file-size limit shows as SQLite's "disk I/O error"
     * or "database or disk is full": say which file was lost and the
     * system's reason, read before the rollback replaces them. */
    if (!imp->failed) {
        int rc = sqlite3_errcode(imp->db);
        /* a constraint is a row's problem the importer handled (a reject):
         * what ended the file was its own reason */
        if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE &&
            (rc & 0xff) != SQLITE_CONSTRAINT) {
            /* an importer's own check of a call: keep its message */
            char msg[TETHER_ERRBUF];
            snprintf(msg, sizeof(msg), "%s", imp->errbuf);
            import_db_failed(imp);
            snprintf(imp->errbuf, TETHER_ERRBUF, "%s", msg);
        }
    }
    int code = imp->fail_code & 0xff;
    tether_progress_end(&imp->progress);
    finish_statements(imp);
    char ignore[TETHER_ERRBUF];
    tether_db_exec(imp->db, "ROLLBACK", ignore);
    sqlite3_commit_hook(imp->db, NULL, NULL);
    if (imp->failed && (code == SQLITE_IOERR || code == SQLITE_FULL)) {
        /* SQLite keeps no errno for a failed write of its log (EFBIG,
         * ENOSPC): name the likely causes instead. */
        const char *why = imp->fail_sys ? strerror(imp->fail_sys)
                          : imp->fail_ext == SQLITE_IOERR_WRITE
                              ? "is the disk full, or a file size limit "
                                "reached?"
                              : NULL;
        fprintf(stderr,
                "tether-collect: %s: cannot write the database: %s%s%s%s; "
                "nothing loaded from this file\n",
                imp->path, imp->errbuf, why ? " (" : "", why ? why : "",
                why ? ")" : "");
    } else if (imp->failed) {
        fprintf(stderr,
                "tether-collect: %s: database error: %s; nothing loaded "
                "from this file\n",
                imp->path, imp->errbuf);
    } else
        fprintf(stderr, "tether-collect: %s\n", imp->errbuf);
    return IMPORT_FAILED;
}

/* Commits the file's transaction through the commit gate: 0, or -1 with
 * the failure recorded. */
static int
import_commit(struct import *imp)
{
    if (sqlite3_get_autocommit(imp->db)) {
        /* SQLite rolled back by itself and no call said so: nothing of
         * the file is in the database, and COMMIT would only say that no
         * transaction is active. */
        import_db_failed(imp);
        snprintf(imp->errbuf, TETHER_ERRBUF,
                 "the transaction was rolled back by SQLite");
        return -1;
    }
    imp->committing = 1;
    int rc = sqlite3_exec(imp->db, "COMMIT", NULL, NULL, NULL);
    imp->committing = 0;
    if (rc == SQLITE_OK) {
        sqlite3_commit_hook(imp->db, NULL, NULL);
        return 0;
    }
    import_db_failed(imp);
    if ((imp->fail_code & 0xff) != SQLITE_IOERR &&
        (imp->fail_code & 0xff) != SQLITE_FULL) {
        char msg[TETHER_ERRBUF];
        snprintf(msg, sizeof(msg), "%s", imp->errbuf);
        snprintf(imp->errbuf, TETHER_ERRBUF, "cannot commit: %.480s", msg);
    }
    return -1;
}

enum import_result
import_end(struct import *imp)
{
    if (imp->failed || imp->lookup_err)
        return import_fail(imp);
    tether_progress_end(&imp->progress);
    finish_statements(imp);
    if (imp->opts->strict && imp->rejected) {
        char ignore[TETHER_ERRBUF];
        tether_db_exec(imp->db, "ROLLBACK", ignore);
        sqlite3_commit_hook(imp->db, NULL, NULL);
        fprintf(stderr,
                "tether-collect: %s: %ld rows rejected; nothing loaded "
                "(--strict)\n",
                imp->path, imp->rejected);
        return IMPORT_REJECTS;
    }
    sqlite3_stmt *st;
    if (tether_db_prepare(imp->db,
                          "UPDATE imports SET rows_read = ?2, loaded = ?3, "
                          "duplicates = ?4, updated = ?5, unchanged = ?6, "
                          "skipped = ?7, rejected = ?8 WHERE id = ?1",
                          &st, imp->errbuf)) {
        import_db_failed(imp);
        return import_fail(imp);
    }
    int64_t v[] = {imp->id,      imp->rows,      imp->loaded,  imp->duplicates,
                   imp->updated, imp->unchanged, imp->skipped, imp->rejected};
    for (int i = 0; i < 8; i++)
        sqlite3_bind_int64(st, i + 1, v[i]);
    int rc = import_step(imp, st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE || import_commit(imp))
        return import_fail(imp);
    if (!imp->opts->quiet) {
        fprintf(stderr, "%s: %ld rows: %ld loaded", imp->path, imp->rows,
                imp->loaded);
        if (imp->updated)
            fprintf(stderr, ", %ld updated", imp->updated);
        if (imp->unchanged)
            fprintf(stderr, ", %ld unchanged", imp->unchanged);
        if (imp->duplicates)
            fprintf(stderr, ", %ld duplicates", imp->duplicates);
        if (imp->skipped)
            fprintf(stderr, ", %ld skipped", imp->skipped);
        fprintf(stderr, ", %ld rejected\n", imp->rejected);
    }
    return imp->rejected ? IMPORT_REJECTS : IMPORT_OK;
}

/* The people map once enough people have been looked up in the database;
 * NULL before, or if it cannot be read. */
static const struct people_map *
people_map(struct import *imp)
{
    if (!imp->people_map && imp->person_queries++ == LOOKUPS_BEFORE_LOAD &&
        !import_sync(imp))
        imp->people_map = people_map_load(imp->db);
    return imp->people_map;
}

/* The id the one-column statement *st (prepared from sql on first use)
 * finds for key in *id (0 when none). A failed prepare or step is an error
 * of the import (imp->lookup_err, imp->errbuf), never an absent person. */
static enum tether_err
query_id(struct import *imp, sqlite3_stmt **st, const char *sql,
         const char *key, int64_t *id)
{
    *id = 0;
    if (imp->lookup_err)
        return imp->lookup_err;
    if (!*st && tether_db_prepare(imp->db, sql, st, imp->errbuf)) {
        import_db_failed(imp);
        return imp->lookup_err = TETHER_ERR_DB;
    }
    if (import_sync(imp))
        return imp->lookup_err = TETHER_ERR_DB;
    sqlite3_bind_text(*st, 1, key, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(*st, 0);
    } else if (rc != SQLITE_DONE) {
        /* the first failure of the import is the one reported */
        int first = !imp->failed;
        import_db_failed(imp);
        if (first)
            snprintf(imp->errbuf, TETHER_ERRBUF, "cannot look up '%.100s': %s",
                     key, sqlite3_errmsg(imp->db));
        imp->lookup_err = TETHER_ERR_DB;
    }
    sqlite3_reset(*st);
    return imp->lookup_err;
}

int64_t
person_lookup(struct import *imp, const char *who)
{
    int64_t id;
    if (name_cache_get(&imp->people, who, &id))
        return id;
    char *w = tether_str_trim(tether_xstrdup(who));
    const struct people_map *m = people_map(imp);
    if (m) {
        if (!(id = people_map_person_id(m, w)))
            id = people_map_email(m, w);
    } else {
        if (query_id(imp, &imp->st_person,
                     "SELECT id FROM people WHERE person_id = ?1 "
                     "UNION ALL SELECT id FROM people "
                     "WHERE email = lower(trim(?1)) LIMIT 1",
                     w, &id)) {
            free(w);
            return 0; /* not cached: no answer was found */
        }
    }
    free(w);
    name_cache_put(&imp->people, who, id);
    return id;
}

int64_t
person_by_email(struct import *imp, const char *email)
{
    int64_t id;
    if (name_cache_get(&imp->emails, email, &id))
        return id;
    const struct people_map *m = people_map(imp);
    if (m)
        id = people_map_email(m, email);
    else if (query_id(imp, &imp->st_email,
                      "SELECT id FROM people WHERE email = lower(trim(?1))",
                      email, &id))
        return 0;
    name_cache_put(&imp->emails, email, id);
    return id;
}
