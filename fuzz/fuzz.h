/* fuzz.h - what the libFuzzer targets share: a private scratch directory,
 * writing an input to a file there (the readers take paths), and a
 * database holding a roster and pairs for the importers to attribute
 * meetings and answers to.
 *
 * The roster and pairs are sample-data/small's (run from the repository's
 * top, as `make fuzz` does; FUZZ_DATA names another folder), else a small
 * organisation written here. Every input is imported inside its own
 * transaction, which is always rolled back, so the database never grows. */
#ifndef TETHER_FUZZ_H
#define TETHER_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"
#include "tether/db.h"
#include "tether/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[256];

static void
fuzz_cleanup(void)
{
    static const char *const names[] = {"in", "in2", "t.db", "t.db-wal",
                                        "t.db-shm", "people.csv",
                                        "pairs.csv"};
    char p[300];
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s", fuzz_dir, names[i]);
        unlink(p);
    }
    rmdir(fuzz_dir);
}

/* The scratch directory, made on first use and removed at exit. */
static inline const char *
fuzz_scratch(void)
{
    if (!fuzz_dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/tether-fuzz-XXXXXX",
                 t && *t ? t : "/tmp");
        if (!mkdtemp(fuzz_dir))
            abort();
        atexit(fuzz_cleanup);
    }
    return fuzz_dir;
}

/* Writes n bytes to the scratch file called name; returns its path in a
 * static buffer of the name's own (two names may be in use at once). */
static inline const char *
fuzz_write(const char *name, const void *data, size_t n)
{
    static char paths[2][300];
    char *p = paths[strcmp(name, "in") != 0];
    snprintf(p, sizeof(paths[0]), "%s/%s", fuzz_scratch(), name);
    FILE *fp = fopen(p, "wb");
    if (!fp || (n && fwrite(data, 1, n, fp) != n) || fclose(fp))
        abort();
    return p;
}

static const char fuzz_people[] =
    "person_id,name,email,work_mode,timezone,joined_on\n"
    "p1,Ann Lee,ann@example.com,office,Europe/Paris,2020-01-01\n"
    "p2,Bo Chen,bo@example.com,remote,Asia/Shanghai,2020-01-01\n"
    "p3,Cy Diaz,cy@example.com,hybrid,America/New_York,2020-01-01\n";
static const char fuzz_pairs[] =
    "pair_id,program,mentor,mentee,started_on,cadence_days\n"
    "A,Global,p1,p2,2020-01-01,14\n"
    "B,Global,p3,p2,2020-01-01,30\n";

static inline int
fuzz_load_one(sqlite3 *db, const struct collect_opts *o, const char *path,
              const char *kind, int (*load)(struct import *))
{
    struct import imp;
    int b = import_begin(&imp, db, o, path, kind, "csv", NULL);
    if (b != 0)
        return b > 0 ? 0 : -1;
    if (load(&imp)) {
        import_fail(&imp);
        return -1;
    }
    return import_end(&imp) == IMPORT_FAILED ? -1 : 0;
}

/* The database with its roster and pairs, opened once. */
static inline sqlite3 *
fuzz_db(void)
{
    static sqlite3 *db;
    if (db)
        return db;
    char path[300], errbuf[TETHER_ERRBUF];
    snprintf(path, sizeof(path), "%s/t.db", fuzz_scratch());
    /* As tether-collect imports: foreign keys off (collect/main.c). A
     * first roster writes its people, versions and attributes in batches
     * that reach the table in their own time, so a version's attributes
     * can precede it within the file's transaction. */
    if (tether_db_open(&db, path, TETHER_DB_CREATE, errbuf) ||
        tether_db_exec(db, "PRAGMA foreign_keys = OFF", errbuf)) {
        fprintf(stderr, "fuzz: %s\n", errbuf);
        abort();
    }
    struct collect_opts o = {.quiet = 1, .default_tz = "UTC",
                             .as_of = tether_days_from_civil(2026, 1, 1),
                             .format = "auto"};
    const char *dir = getenv("FUZZ_DATA");
    char people[300], pairs[300];
    snprintf(people, sizeof(people), "%s/people.csv",
             dir ? dir : "sample-data/small");
    snprintf(pairs, sizeof(pairs), "%s/pairs.csv",
             dir ? dir : "sample-data/small");
    if (access(people, R_OK) || access(pairs, R_OK)) {
        snprintf(people, sizeof(people), "%s/people.csv", fuzz_dir);
        snprintf(pairs, sizeof(pairs), "%s/pairs.csv", fuzz_dir);
        FILE *fp = fopen(people, "w");
        if (!fp || fputs(fuzz_people, fp) < 0 || fclose(fp))
            abort();
        fp = fopen(pairs, "w");
        if (!fp || fputs(fuzz_pairs, fp) < 0 || fclose(fp))
            abort();
    }
    if (fuzz_load_one(db, &o, people, "people", roster_load) ||
        fuzz_load_one(db, &o, pairs, "pairs", pairs_load))
        abort();
    return db;
}

/* Imports the file at path with load, then rolls everything back. */
static inline void
fuzz_import(const struct collect_opts *o, const char *path, const char *kind,
            const char *format, int (*load)(struct import *))
{
    struct import imp;
    if (import_begin(&imp, fuzz_db(), o, path, kind, format, NULL) != 0)
        return;
    load(&imp);
    /* import_fail rolls back and finalizes the import's statements; its
     * message goes to stderr, which make fuzz closes. */
    import_fail(&imp);
}

/* The first FUZZ_HEAD bytes of the file as a string: what the format
 * detectors are shown. */
#define FUZZ_HEAD 8192
static inline void
fuzz_head(const uint8_t *data, size_t size, char head[FUZZ_HEAD + 1])
{
    size_t n = size < FUZZ_HEAD ? size : FUZZ_HEAD;
    memcpy(head, data, n);
    head[n] = '\0';
}

/* A messages reader (trace, Slack) on data: the first byte picks the
 * options (bit 0 raises --max-recipients to 64, bit 1 sets --self
 * example.com), the rest is the file. */
static inline void
fuzz_messages(const uint8_t *data, size_t size, const char *format,
              int (*load)(struct import *))
{
    if (size < 1)
        return;
    struct collect_opts o = {.quiet = 1, .default_tz = "UTC",
                             .format = "auto", .summary_window = 24,
                             .max_recipients = data[0] & 1 ? 64 : 5};
    if (data[0] & 2)
        o.self = "example.com";
    const char *path = fuzz_write("in", data + 1, size - 1);
    fuzz_import(&o, path, "messages", format, load);
}

#endif
