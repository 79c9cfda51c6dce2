/* out.c - the generator's output files: created 0600 in 0700 folders
 * (they describe people, even made-up ones) through a temporary file
 * renamed at the end (tether/outfile.h), counted for the manifest. */
#include "sample.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
    struct outfile *o = &s->files[s->nfiles];
    FILE *f = NULL;
    if (tether_outfile_open(&o->out, path, s->errbuf) == TETHER_OK &&
        !(f = tether_outfile_stream(&o->out, s->errbuf)))
        tether_outfile_abort(&o->out);
    free(path);
    if (!f)
        return NULL;
    s->nfiles++;
    /* Big buffers: millions of short rows. */
    setvbuf(f, NULL, _IOFBF, 1 << 16);
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
    o->f = NULL; /* the outfile closes it */
    return tether_outfile_commit(&o->out, s->errbuf) ? -1 : 0;
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
