/* out.c - the generator's output files: created 0600 in 0700 folders
 * (they describe people, even made-up ones), counted for the manifest. */
#include "sample.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tether/util.h"

/* Makes dir/rel's parent folders, mode 0700. */
static int
make_parents(struct sample *s, const char *path)
{
    char *p = tether_xstrdup(path);
    int rc = 0;
    for (char *c = p + 1; *c; c++) {
        if (*c != '/')
            continue;
        *c = '\0';
        if (mkdir(p, 0700) && errno != EEXIST) {
            snprintf(s->errbuf, TETHER_ERRBUF, "cannot create '%s': %s", p,
                     strerror(errno));
            rc = -1;
            break;
        }
        *c = '/';
    }
    free(p);
    return rc;
}

struct outfile *
sample_out_open(struct sample *s, const char *rel, const char *kind,
                const char *format, const char *load)
{
    if (s->nfiles == SAMPLE_MAX_FILES) {
        snprintf(s->errbuf, TETHER_ERRBUF, "too many output files");
        return NULL;
    }
    char *path = tether_xasprintf("%s/%s", s->dir, rel);
    if (make_parents(s, path)) {
        free(path);
        return NULL;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "wb");
    if (!f) {
        snprintf(s->errbuf, TETHER_ERRBUF, "cannot create '%s': %s", path,
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        free(path);
        return NULL;
    }
    free(path);
    /* Big buffers: millions of short rows. */
    setvbuf(f, NULL, _IOFBF, 1 << 16);
    struct outfile *o = &s->files[s->nfiles++];
    o->f = f;
    o->rel = tether_xstrdup(rel);
    o->kind = kind;
    o->format = format;
    snprintf(o->load, sizeof(o->load), "%s", load ? load : "");
    o->rows = 0;
    return o;
}

int
sample_out_close(struct sample *s, struct outfile *o)
{
    if (!o || !o->f)
        return 0;
    int bad = ferror(o->f);
    int err = errno;
    if (fclose(o->f) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    o->f = NULL;
    if (bad) {
        snprintf(s->errbuf, TETHER_ERRBUF, "cannot write '%s/%s': %s",
                 s->dir, o->rel, strerror(err));
        return -1;
    }
    return 0;
}

void
sample_csv_field(FILE *f, const char *v, int first)
{
    if (!first)
        fputc(',', f);
    if (!v)
        return;
    if (!strpbrk(v, ",\"\r\n")) {
        fputs(v, f);
        return;
    }
    fputc('"', f);
    for (const char *c = v; *c; c++) {
        if (*c == '"')
            fputc('"', f);
        fputc(*c, f);
    }
    fputc('"', f);
}

void
sample_csv_row(FILE *f, const char *eol, size_t n, const char **v)
{
    for (size_t i = 0; i < n; i++)
        sample_csv_field(f, v[i], i == 0);
    fputs(eol, f);
}
