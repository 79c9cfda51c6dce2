/* db.h - opening the tether database and keeping its schema current.
 *
 * The database is one SQLite file (default ./tether.db, or $TETHER_DB),
 * created with mode 0600 because it holds personal data. Every connection
 * has WAL, foreign keys and a busy timeout. The schema version lives in
 * PRAGMA user_version and is moved forward by the migrations in db.c. */
#ifndef TETHER_DB_H
#define TETHER_DB_H

#include <sqlite3.h>
#include <stdint.h>

#include "tether/err.h"

#define TETHER_DB_DEFAULT "tether.db"
#define TETHER_BUSY_TIMEOUT_MS 10000

enum tether_db_mode {
    TETHER_DB_READ,  /* read only; the file must exist */
    TETHER_DB_WRITE, /* read and write; the file must exist */
    TETHER_DB_CREATE /* read and write; created (0600) when missing: only
                        tether-collect's loading commands */
};

/* The path to use: explicit if not NULL, else $TETHER_DB, else the default.
 * The result is static or explicit itself; do not free it. */
const char *tether_db_path(const char *explicit_path);

/* Opens (and for TETHER_DB_CREATE creates; for it and TETHER_DB_WRITE
 * migrates) the database at path. A database that does not exist is
 * TETHER_ERR_NOTFOUND naming the path, unless mode is TETHER_DB_CREATE. A
 * read-only open of a database whose schema is not this program's is
 * TETHER_ERR_SCHEMA with a hint to run tether-collect (a read-write open
 * would migrate it, or say it is newer). Close with
 * tether_db_close. Errors go to errbuf. */
enum tether_err tether_db_open(sqlite3 **db, const char *path,
                               enum tether_db_mode mode, char *errbuf);
void tether_db_close(sqlite3 *db);
/* Checks that the database at path (and its -wal and -shm files) can be
 * read by its owner only. When group or others may read or write one, it
 * is made 0600 if this process owns it. 1 with a warning in msg (to print
 * before opening), else 0 (nothing to say, or no such file). */
int tether_db_protect(const char *path, char *msg);

/* Runs SQL without results; on failure copies sqlite3_errmsg to errbuf. */
enum tether_err tether_db_exec(sqlite3 *db, const char *sql, char *errbuf);
/* Prepares sql; on failure copies the message to errbuf. */
enum tether_err tether_db_prepare(sqlite3 *db, const char *sql,
                                  sqlite3_stmt **stmt, char *errbuf);
/* The first column of the first row of sql in *value (0 when there is no
 * row): a count, a maximum. */
enum tether_err tether_db_int64(sqlite3 *db, const char *sql, int64_t *value,
                                char *errbuf);
/* Binds text, or NULL when s is NULL or empty. */
int tether_db_bind_text(sqlite3_stmt *st, int i, const char *s);
struct tether_period;
/* Binds the period's first and last day, as YYYY-MM-DD, to parameters i
 * and i + 1: the way the database keeps dates. */
void tether_db_bind_period(sqlite3_stmt *st, int i,
                           const struct tether_period *p);

#endif
