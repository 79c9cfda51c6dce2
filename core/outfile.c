/* outfile.c - output files through a new temporary file and a rename. */
#include "tether/outfile.h"
#include "tether/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Names that nobody can guess in advance, so that no one can plant a file
 * at the temporary name: O_EXCL refuses it anyway, but a guessable name
 * would let them make every attempt fail. */
static uint64_t
name_seed(void)
{
    uint64_t v = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
            v = 0;
        close(fd);
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    v ^= (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ULL ^ (uint64_t)ts.tv_sec ^
         ((uint64_t)getpid() << 32);
    return v;
}

enum tether_err
tether_outfile_open(struct tether_outfile *of, const char *path,
                    char *errbuf)
{
    memset(of, 0, sizeof(*of));
    of->fd = -1;
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    const char *base = slash ? slash + 1 : path;
    uint64_t seed = name_seed();
    for (int attempt = 0; attempt < 100; attempt++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        /* A dot file, so that a half-written output is not taken for
         * one; the target's name in it says whose it is. */
        char *tmp = tether_xasprintf("%.*s.%s.%012llx.tmp", dirlen, path,
                                     base,
                                     (unsigned long long)(seed >> 16));
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                               O_CLOEXEC,
                      0600);
        if (fd >= 0) {
            struct stat st;
            if (fstat(fd, &st) != 0) {
                snprintf(errbuf, TETHER_ERRBUF, "cannot create '%s': %s",
                         path, strerror(errno));
                close(fd);
                unlink(tmp);
                free(tmp);
                return TETHER_ERR_IO;
            }
            of->path = tether_xstrdup(path);
            of->tmp = tmp;
            of->fd = fd;
            of->dev = st.st_dev;
            of->ino = st.st_ino;
            return TETHER_OK;
        }
        int err = errno;
        free(tmp);
        if (err != EEXIST) {
            snprintf(errbuf, TETHER_ERRBUF, "cannot create '%s': %s", path,
                     strerror(err));
            return TETHER_ERR_IO;
        }
    }
    snprintf(errbuf, TETHER_ERRBUF,
             "cannot create '%s': no free temporary name beside it", path);
    return TETHER_ERR_IO;
}

FILE *
tether_outfile_stream(struct tether_outfile *of, char *errbuf)
{
    if (!of->fp && !(of->fp = fdopen(of->fd, "wb")))
        snprintf(errbuf, TETHER_ERRBUF, "cannot write '%s': %s", of->path,
                 strerror(errno));
    return of->fp;
}

static void
release(struct tether_outfile *of)
{
    if (of->fp)
        fclose(of->fp); /* closes fd too */
    else if (of->fd >= 0)
        close(of->fd);
    of->fp = NULL;
    of->fd = -1;
    free(of->path);
    free(of->tmp);
    of->path = of->tmp = NULL;
}

void
tether_outfile_abort(struct tether_outfile *of)
{
    if (of->tmp)
        unlink(of->tmp);
    release(of);
}

enum tether_err
tether_outfile_commit(struct tether_outfile *of, char *errbuf)
{
    int err = 0;
    if (of->fp && (fflush(of->fp) != 0 || ferror(of->fp)))
        err = errno ? errno : EIO;
    /* The data on disk before the name points at it: a crash leaves the
     * old file or the new one, never an empty one. */
    if (!err && fsync(of->fd) != 0)
        err = errno;
    if (err) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot write '%s': %s", of->path,
                 strerror(err));
        tether_outfile_abort(of);
        return TETHER_ERR_IO;
    }
    struct stat st;
    if (lstat(of->tmp, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_dev != of->dev || st.st_ino != of->ino) {
        /* Someone replaced our temporary file while a library wrote it by
         * name: what it holds is not ours to publish. */
        snprintf(errbuf, TETHER_ERRBUF,
                 "cannot write '%s': its temporary file '%s' was replaced",
                 of->path, of->tmp);
        release(of);
        return TETHER_ERR_IO;
    }
    if (rename(of->tmp, of->path) != 0) {
        snprintf(errbuf, TETHER_ERRBUF, "cannot replace '%s': %s", of->path,
                 strerror(errno));
        tether_outfile_abort(of);
        return TETHER_ERR_IO;
    }
    free(of->tmp);
    of->tmp = NULL;
    release(of);
    return TETHER_OK;
}
