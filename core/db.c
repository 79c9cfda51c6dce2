/* db.c - opening, configuring and migrating the database. */
#include "tether/db.h"
#include "tether/period.h"
#include "tether/timeutil.h"
#include "tether/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schema.sql.h"

const char *
tether_db_path(const char *explicit_path)
{
    if (explicit_path && *explicit_path)
        return explicit_path;
    const char *env = getenv("TETHER_DB");
    if (env && *env)
        return env;
    return TETHER_DB_DEFAULT;
}

enum tether_err
tether_db_exec(sqlite3 *db, const char *sql, char *errbuf)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(errbuf, TETHER_ERRBUF, "%s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return TETHER_ERR_DB;
    }
    return TETHER_OK;
}

enum tether_err
tether_db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt,
                  char *errbuf)
{
    if (sqlite3_prepare_v2(db, sql, -1, stmt, NULL) != SQLITE_OK) {
        snprintf(errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(db));
        return TETHER_ERR_DB;
    }
    return TETHER_OK;
}

enum tether_err
tether_db_int64(sqlite3 *db, const char *sql, int64_t *value, char *errbuf)
{
    sqlite3_stmt *st;
    if (tether_db_prepare(db, sql, &st, errbuf))
        return TETHER_ERR_DB;
    int rc = sqlite3_step(st);
    *value = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        snprintf(errbuf, TETHER_ERRBUF, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? TETHER_OK : TETHER_ERR_DB;
}

int
tether_db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (!s || !*s)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

void
tether_db_bind_period(sqlite3_stmt *st, int i, const struct tether_period *p)
{
    char a[TETHER_DATE_LEN], b[TETHER_DATE_LEN];
    tether_date_format(p->start, a);
    tether_date_format(p->end, b);
    sqlite3_bind_text(st, i, a, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, i + 1, b, -1, SQLITE_TRANSIENT);
}

static int
user_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) ==
        SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

/* The schema version this program writes: its last migration's. */
static int
schema_version(void)
{
    return migrations[sizeof(migrations) / sizeof(migrations[0]) - 1].version;
}

static enum tether_err
migrate(sqlite3 *db, char *errbuf)
{
    size_t count = sizeof(migrations) / sizeof(migrations[0]);
    int n = schema_version();
    /* A current schema needs no write lock: opening must not wait for an
     * import that holds it. */
    if (user_version(db) == n)
        return TETHER_OK;
    enum tether_err err = tether_db_exec(db, "BEGIN IMMEDIATE", errbuf);
    if (err)
        return err;
    /* Read the version inside the write transaction, so that two programs
     * starting at once do not both migrate. */
    int v = user_version(db);
    if (v > n) {
        snprintf(errbuf, TETHER_ERRBUF,
                 "database schema version %d is newer than this program's "
                 "(%d); upgrade tether",
                 v, n);
        tether_db_exec(db, "ROLLBACK", errbuf + strlen(errbuf));
        return TETHER_ERR_SCHEMA;
    }
    if (v == n) {
        char ignore[TETHER_ERRBUF];
        tether_db_exec(db, "ROLLBACK", ignore);
        return TETHER_OK;
    }
    for (size_t i = 0; i < count; i++)
        if (migrations[i].version > v &&
            (err = tether_db_exec(db, migrations[i].sql, errbuf)))
            goto fail;
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", n);
    if ((err = tether_db_exec(db, sql, errbuf)))
        goto fail;
    return tether_db_exec(db, "COMMIT", errbuf);
fail:;
    char ignore[TETHER_ERRBUF];
    tether_db_exec(db, "ROLLBACK", ignore);
    return err;
}

/* err, with errbuf's message prefixed by the database's path when err is
 * an error: "disk I/O error" alone does not say which file. */
static enum tether_err
named(enum tether_err err, const char *path, char *errbuf)
{
    if (err) {
        char msg[TETHER_ERRBUF];
        snprintf(msg, sizeof(msg), "%s", errbuf);
        snprintf(errbuf, TETHER_ERRBUF, "database '%.180s': %.300s", path,
                 msg);
    }
    return err;
}

enum tether_err
tether_db_open(sqlite3 **out, const char *path, enum tether_db_mode mode,
               char *errbuf)
{
    sqlite3 *db = NULL;
    enum tether_err err = TETHER_OK;
    *out = NULL;
    if (mode != TETHER_DB_CREATE && access(path, F_OK) != 0) {
        /* A mistyped --db must not leave an empty database behind and
         * report zeros from it. */
        snprintf(errbuf, TETHER_ERRBUF,
                 "cannot open database '%s': %s%s", path, strerror(errno),
                 errno == ENOENT ? " (tether-collect creates it when it "
                                   "loads a file)"
                                 : "");
        return TETHER_ERR_NOTFOUND;
    }
    if (mode == TETHER_DB_CREATE && access(path, F_OK) != 0) {
        /* Create the file ourselves so that it is 0600 from the start:
         * SQLite would create it with the umask's permissions. */
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd < 0 && errno != EEXIST) {
            snprintf(errbuf, TETHER_ERRBUF, "cannot create '%s': %s", path,
                     strerror(errno));
            return TETHER_ERR_IO;
        }
        if (fd >= 0)
            close(fd);
    }
    int flags =
        mode == TETHER_DB_READ ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot open database '%s': %s", path,
                 db ? sqlite3_errmsg(db) : "out of memory");
        err = TETHER_ERR_DB;
        goto out;
    }
    sqlite3_busy_timeout(db, TETHER_BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db, 1);
    if (mode != TETHER_DB_READ) {
        if ((err = named(tether_db_exec(db, "PRAGMA journal_mode = WAL", errbuf), path,
                         errbuf)))
            goto out;
        if ((err = named(tether_db_exec(db, "PRAGMA synchronous = NORMAL", errbuf), path,
                         errbuf)))
            goto out;
        /* 64 MiB of page cache keeps the indexes of a large import in
         * memory without letting memory grow with the file. */
        if ((err = named(tether_db_exec(db, "PRAGMA cache_size = -65536", errbuf), path,
                         errbuf)))
            goto out;
    }
    if ((err = named(tether_db_exec(db, "PRAGMA foreign_keys = ON", errbuf), path,
                         errbuf)))
        goto out;
    int v = user_version(db);
    if (v < 0) {
        snprintf(errbuf, TETHER_ERRBUF, "'%s' is not a tether database: %s",
                 path, sqlite3_errmsg(db));
        err = TETHER_ERR_DB;
        goto out;
    }
    if (mode != TETHER_DB_READ) {
        if ((err = named(migrate(db, errbuf), path, errbuf)))
            goto out;
    } else if (v != schema_version()) {
        if (v == 0)
            snprintf(errbuf, TETHER_ERRBUF,
                     "'%s' holds no tether data; load some with "
                     "tether-collect first",
                     path);
        else
            snprintf(errbuf, TETHER_ERRBUF,
                     "database schema version %d, this program needs %d; "
                     "run any tether-collect command to migrate it",
                     v, schema_version());
        /* older or newer: a read-write open migrates, or says why not */
        err = v == 0 ? TETHER_ERR_DB : TETHER_ERR_SCHEMA;
        goto out;
    }
    *out = db;
    return TETHER_OK;
out:
    sqlite3_close(db);
    return err;
}

void
tether_db_close(sqlite3 *db)
{
    sqlite3_close(db);
}

int
tether_db_protect(const char *path, char *msg)
{
    static const char *const suffix[] = {"", "-wal", "-shm"};
    int said = 0;
    msg[0] = '\0';
    for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
        char *p = tether_xasprintf("%s%s", path, suffix[i]);
        struct stat st;
        /* lstat: a link is not followed to chmod what it points at. */
        if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode) ||
            !(st.st_mode & 077)) {
            free(p);
            continue;
        }
        unsigned mode = (unsigned)st.st_mode & 0777;
        int fixed = st.st_uid == geteuid() && chmod(p, 0600) == 0;
        /* the first file found open to others is the one named */
        if (!said && fixed)
            snprintf(msg, TETHER_ERRBUF,
                     "warning: '%s' could be read by others (mode %04o); "
                     "made private (0600): it holds personal data",
                     p, mode);
        else if (!said)
            snprintf(msg, TETHER_ERRBUF,
                     "warning: '%s' can be read by others (mode %04o) and "
                     "is not ours to change: it holds personal data, ask "
                     "its owner to make it private (chmod 600)",
                     p, mode);
        said = 1;
        free(p);
    }
    return said;
}
