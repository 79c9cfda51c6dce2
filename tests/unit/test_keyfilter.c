/* test_keyfilter.c - the filter of keys a first load has written
 * (collect/keyfilter.c): off on a table with rows, exact for the keys it
 * was given, and so few false positives that a file of millions of keys
 * makes almost no look-ups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../collect/collect.h"
#include "tether/util.h"

/* An import of a file of size bytes (sparse, in /tmp) into a database
 * whose table t holds rows rows. */
static void
import_open(struct import *imp, char *path, off_t size, int rows)
{
    memset(imp, 0, sizeof(*imp));
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, size), 0);
    close(fd);
    imp->path = path;
    assert_int_equal(sqlite3_open(":memory:", &imp->db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(imp->db, "CREATE TABLE t (k)", NULL, NULL,
                                  NULL),
                     SQLITE_OK);
    if (rows)
        assert_int_equal(sqlite3_exec(imp->db, "INSERT INTO t VALUES (1)",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
}

static void
import_close(struct import *imp)
{
    sqlite3_close(imp->db);
    unlink(imp->path);
}

static uint64_t
key_hash(long i)
{
    /* keys alike but for a few bits, as meeting ids are */
    return tether_hash(TETHER_HASH_INIT, &i, sizeof(i));
}

/* A table with rows: no filter, every key may be there. */
static void
test_off_when_table_has_rows(void **state)
{
    (void)state;
    struct import imp;
    char path[] = "/tmp/tether-keyfilter-XXXXXX";
    import_open(&imp, path, 1 << 20, 1);
    struct key_filter f;
    key_filter_init(&f, &imp, "t");
    assert_null(f.bits);
    assert_int_equal(key_filter_add(&f, key_hash(1)), 1);
    assert_int_equal(key_filter_add(&f, key_hash(2)), 1);
    key_filter_free(&f);
    import_close(&imp);
}

/* The 8.9 million keys of a 700 MB meetings file (the bench's): each
 * seen again is known, and of the new ones at most 100 are taken for old
 * (about 20,000 with a 16 MB filter and four bits a key, as before: each
 * costs a look-up and, in the meetings import, a wait for the writer
 * thread). */
static void
test_meetings_file(void **state)
{
    (void)state;
    struct import imp;
    char path[] = "/tmp/tether-keyfilter-XXXXXX";
    import_open(&imp, path, (off_t)700 << 20, 0);
    struct key_filter f;
    key_filter_init(&f, &imp, "t");
    assert_non_null(f.bits);
    long n = 8900000, wrong = 0;
    for (long i = 0; i < n; i++)
        wrong += key_filter_add(&f, key_hash(i));
    assert_in_range(wrong, 0, 100);
    for (long i = 0; i < n; i += 997)
        assert_int_equal(key_filter_add(&f, key_hash(i)), 1);
    key_filter_free(&f);
    assert_null(f.bits);
    import_close(&imp);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_off_when_table_has_rows),
        cmocka_unit_test(test_meetings_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
