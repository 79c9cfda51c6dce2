/* output.h - printing a stored run as JSON, a text table or CSV, and the
 * follow-up list of quiet pairs. */
#ifndef TETHER_ANALYZE_OUTPUT_H
#define TETHER_ANALYZE_OUTPUT_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

enum output_format { OUT_TABLE, OUT_CSV, OUT_JSON };

/* Prints run (its result and its pairs). 0, or -1 with errbuf set. */
int output_run(FILE *out, sqlite3 *db, int64_t run, enum output_format fmt,
               char *errbuf);
/* Prints the pairs of run whose status is in statuses (a NULL-terminated
 * list), most quiet first. */
int output_pairs(FILE *out, sqlite3 *db, int64_t run,
                 const char *const *statuses, enum output_format fmt,
                 char *errbuf);

/* Prints the impact of run (SPEC 3.7): its tables, or {"period",
 * "impact"} as JSON. */
int output_impact(FILE *out, sqlite3 *db, int64_t run,
                  enum output_format fmt, char *errbuf);

#endif
