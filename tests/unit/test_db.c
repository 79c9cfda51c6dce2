/* test_db.c - opening the database (core/db.c): only TETHER_DB_CREATE
 * creates a file, TETHER_DB_READ is a read-only connection, and a database
 * open to others is made private; and output files (core/outfile.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tether/db.h"
#include "tether/outfile.h"

static char dir[200];

static char *
in_dir(const char *name)
{
    static char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return path;
}

static void
test_modes(void **state)
{
    (void)state;
    char errbuf[TETHER_ERRBUF], path[256];
    sqlite3 *db = NULL;
    snprintf(path, sizeof(path), "%s", in_dir("t.db"));
    /* neither READ nor WRITE creates the file */
    assert_int_equal(tether_db_open(&db, path, TETHER_DB_READ, errbuf),
                     TETHER_ERR_NOTFOUND);
    assert_int_equal(tether_db_open(&db, path, TETHER_DB_WRITE, errbuf),
                     TETHER_ERR_NOTFOUND);
    assert_non_null(strstr(errbuf, "No such file or directory"));
    assert_int_equal(access(path, F_OK), -1);
    /* CREATE does, 0600, and migrates it */
    assert_int_equal(tether_db_open(&db, path, TETHER_DB_CREATE, errbuf),
                     TETHER_OK);
    assert_int_equal(sqlite3_db_readonly(db, "main"), 0);
    tether_db_close(db);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* READ is a read-only connection: a write fails */
    assert_int_equal(tether_db_open(&db, path, TETHER_DB_READ, errbuf),
                     TETHER_OK);
    assert_int_equal(sqlite3_db_readonly(db, "main"), 1);
    assert_int_equal(tether_db_exec(db, "DELETE FROM people", errbuf),
                     TETHER_ERR_DB);
    tether_db_close(db);
    /* a database open to others is made private, with a warning */
    assert_int_equal(chmod(path, 0644), 0);
    char msg[TETHER_ERRBUF];
    assert_int_equal(tether_db_protect(path, msg), 1);
    assert_non_null(strstr(msg, "(mode 0644); made private (0600)"));
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(tether_db_protect(path, msg), 0);
    assert_string_equal(msg, "");
}

static void
test_outfile(void **state)
{
    (void)state;
    char errbuf[TETHER_ERRBUF], target[256];
    snprintf(target, sizeof(target), "%s", in_dir("out.csv"));
    assert_int_equal(symlink(in_dir("victim"), target), 0);
    struct tether_outfile of;
    assert_int_equal(tether_outfile_open(&of, target, errbuf), TETHER_OK);
    assert_non_null(strstr(of.tmp, "/.out.csv."));
    struct stat st;
    assert_int_equal(lstat(of.tmp, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    FILE *fp = tether_outfile_stream(&of, errbuf);
    assert_non_null(fp);
    fputs("a,b\n", fp);
    assert_int_equal(tether_outfile_commit(&of, errbuf), TETHER_OK);
    /* the link was replaced, its target never created */
    assert_int_equal(lstat(target, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(access(in_dir("victim"), F_OK), -1);
    /* an aborted file leaves the target as it was, and no temporary */
    assert_int_equal(tether_outfile_open(&of, target, errbuf), TETHER_OK);
    char tmp[256];
    snprintf(tmp, sizeof(tmp), "%s", of.tmp);
    tether_outfile_abort(&of);
    assert_int_equal(access(tmp, F_OK), -1);
    assert_int_equal(stat(target, &st), 0);
    assert_int_equal(st.st_size, 4);
    tether_outfile_abort(&of); /* twice is harmless */
    /* a folder that does not exist: the error names the target */
    char missing[256];
    snprintf(missing, sizeof(missing), "%s/no/such.csv", dir);
    assert_int_equal(tether_outfile_open(&of, missing, errbuf), TETHER_ERR_IO);
    assert_non_null(strstr(errbuf, "no/such.csv': No such file"));
}

int
main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%.150s/tether-test-db-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modes),
        cmocka_unit_test(test_outfile),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    static const char *const names[] = {"t.db", "t.db-wal", "t.db-shm",
                                        "out.csv"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        unlink(in_dir(names[i]));
    rmdir(dir);
    return rc;
}
