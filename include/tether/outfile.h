/* outfile.h - output files created safely: written to a new temporary
 * file in the target's folder, then renamed over the target, so that a
 * symbolic link or a file someone else created at the target's name is
 * replaced, never followed or written into. */
#ifndef TETHER_OUTFILE_H
#define TETHER_OUTFILE_H

#include <stdio.h>
#include <sys/types.h>

#include "tether/err.h"

struct tether_outfile {
    char *path; /* the target */
    char *tmp;  /* the temporary file beside it, until committed */
    int fd;     /* open on tmp (kept to check that tmp is still ours) */
    FILE *fp;   /* tether_outfile_stream's stream over fd, or NULL */
    dev_t dev;  /* tmp's identity when it was created */
    ino_t ino;
};

/* Creates the temporary file of path: a new name in path's folder opened
 * with O_CREAT | O_EXCL | O_NOFOLLOW, mode 0600. TETHER_ERR_IO with the
 * reason in errbuf. Release with tether_outfile_commit or _abort. */
enum tether_err tether_outfile_open(struct tether_outfile *of,
                                    const char *path, char *errbuf);
/* A stream over the temporary file, for writing it ourselves; owned by of
 * (closed by _commit and _abort). NULL with errbuf on failure. */
FILE *tether_outfile_stream(struct tether_outfile *of, char *errbuf);
/* Makes the temporary file the target: flushes and syncs it, checks that
 * the name still holds the file we created (a library writing by the
 * temporary name must not have been sent elsewhere), and renames it over
 * path. On failure the temporary file is removed. Frees of's names. */
enum tether_err tether_outfile_commit(struct tether_outfile *of, char *errbuf);
/* Removes the temporary file and frees of's names; accepts an outfile
 * never opened (zeroed) or already released. */
void tether_outfile_abort(struct tether_outfile *of);

#endif
