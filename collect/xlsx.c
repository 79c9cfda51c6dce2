/* xlsx.c - Excel workbooks (.xlsx, Office Open XML) as tables: the rows of
 * one sheet become records of the CSV reader, so every importer reads a
 * workbook as it reads a CSV file, with the sheet's row numbers as line
 * numbers. The package is opened with libzip and its parts are parsed with
 * libxml2; the sheet is streamed (xmlTextReader), one row per record.
 * Cells: shared and inline strings, numbers (written back in decimal),
 * booleans, formula results, and numbers in a date format, which are
 * Excel serial dates and become ISO 8601 dates and times. */
#include "collect.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/parserInternals.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "tether/timeutil.h"
#include "tether/util.h"

/* A part larger than this once unpacked is refused: a zip bomb must not
 * exhaust memory (a million-row roster's shared strings are far less). */
#define MAX_PART (512u << 20)
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* A cell of a row being read: its column and text. */
struct cell {
    long col;
    char *text;
};

/* A row read, waiting for xlsx_next. */
struct row {
    long line;
    struct cell *cells;
    size_t n;
};

/* Where the SAX handlers are in a part: shared strings or the sheet. */
enum sax_mode { SAX_STRINGS, SAX_SHEET };

struct xlsx {
    char *path;
    zip_t *zip;
    zip_file_t *sheet; /* the sheet's part, streamed */
    uint64_t sheet_size, sheet_pos;
    xmlParserCtxtPtr push; /* the sheet's push parser */
    int sheet_done;        /* its last chunk was fed */
    char **strings;        /* shared strings */
    size_t nstrings, capstrings, strings_bytes;
    unsigned char *date_style; /* per cellXfs index: 1 date, 2 date-time */
    size_t nstyles;
    int date1904;
    /* the SAX handlers' state */
    enum sax_mode mode;
    int capture;  /* characters go to text */
    int phonetic; /* depth inside <rPh>, whose text is no value */
    int in_is;    /* inside an inline string */
    struct tether_buf text;
    char type[16]; /* the cell's t */
    long style;    /* the cell's s */
    long col, next_col;
    long row;       /* the last row's number */
    struct row cur; /* the row being read */
    size_t capcells;
    struct row *ready; /* rows read, in order */
    size_t nready, capready, head;
    char problem[TETHER_ERRBUF]; /* what stopped the handlers */
    struct tether_buf cell;
};

/* Does the file start with the n bytes of magic? */
static int
starts_with(const char *path, const unsigned char *magic, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    unsigned char m[8] = {0};
    size_t got = fread(m, 1, n, f);
    fclose(f);
    return got == n && memcmp(m, magic, n) == 0;
}

int
xlsx_is_workbook(const char *path)
{
    static const unsigned char zip[] = {'P', 'K', 3, 4};
    return starts_with(path, zip, sizeof(zip));
}

/* An OLE compound file: Excel 97-2003's .xls, or an .xlsx saved with a
 * password (Office encrypts the package into one). */
void
xlsx_compound_error(const char *path, char *errbuf)
{
    snprintf(errbuf, TETHER_ERRBUF,
             "%s: an Excel 97-2003 workbook (.xls) or a password-protected "
             "one: save it as .xlsx without a password, or as CSV",
             path);
}

int
xlsx_is_compound(const char *path)
{
    static const unsigned char cfb[] = {0xd0, 0xcf, 0x11, 0xe0,
                                        0xa1, 0xb1, 0x1a, 0xe1};
    return starts_with(path, cfb, sizeof(cfb));
}

/* The text of a part, NUL-terminated, or NULL (errbuf). Free it. */
static char *
part_read(struct xlsx *x, const char *name, int required, size_t *len,
          char *errbuf)
{
    zip_stat_t st;
    if (zip_stat(x->zip, name, 0, &st) != 0) {
        if (required)
            snprintf(errbuf, TETHER_ERRBUF,
                     "%s: not an Excel workbook (no part %s)", x->path, name);
        return NULL;
    }
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > MAX_PART) {
        snprintf(errbuf, TETHER_ERRBUF, "%s: part %s is larger than %u MiB",
                 x->path, name, MAX_PART >> 20);
        return NULL;
    }
    zip_file_t *f = zip_fopen(x->zip, name, 0);
    if (!f) {
        snprintf(errbuf, TETHER_ERRBUF, "%s: cannot read part %s: %s", x->path,
                 name, zip_strerror(x->zip));
        return NULL;
    }
    char *text = tether_xmalloc((size_t)st.size + 1);
    zip_int64_t n = zip_fread(f, text, st.size);
    zip_fclose(f);
    if (n < 0 || (zip_uint64_t)n != st.size) {
        snprintf(errbuf, TETHER_ERRBUF, "%s: part %s is damaged", x->path,
                 name);
        free(text);
        return NULL;
    }
    text[n] = '\0';
    *len = (size_t)n;
    return text;
}

/* A part parsed as XML, or NULL (errbuf; nothing when it is absent and not
 * required). Free with xmlFreeDoc. */
static xmlDocPtr
part_xml(struct xlsx *x, const char *name, int required, char *errbuf)
{
    size_t len;
    char *text = part_read(x, name, required, &len, errbuf);
    if (!text)
        return NULL;
    xmlDocPtr doc = xmlReadMemory(text, (int)len, name, NULL, XML_OPTIONS);
    free(text);
    if (!doc)
        snprintf(errbuf, TETHER_ERRBUF, "%s: part %s is not well-formed XML",
                 x->path, name);
    return doc;
}

static int
is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE &&
           xmlStrcmp(n->name, BAD_CAST name) == 0;
}

/* The first element child of n called name, or NULL. */
static xmlNodePtr
child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (is(c, name))
            return c;
    return NULL;
}

/* The 0-based column of a reference like "AB12", or -1. */
static long
ref_column(const char *ref)
{
    long col = 0;
    int n = 0;
    for (; *ref >= 'A' && *ref <= 'Z' && n < 4; ref++, n++)
        col = col * 26 + (*ref - 'A' + 1);
    return n == 0 || n == 4 ? -1 : col - 1;
}

/* A number as decimal text: Excel writes 0.1 as 0.10000000000000001 and
 * small ones as 1E-3. */
static void
put_number(struct tether_buf *b, const char *v)
{
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || !isfinite(d)) {
        tether_buf_adds(b, v);
        return;
    }
    char tmp[64];
    if (d == floor(d) && fabs(d) < 1e15)
        snprintf(tmp, sizeof(tmp), "%.0f", d);
    else
        snprintf(tmp, sizeof(tmp), "%.15g", d);
    if (strchr(tmp, 'e')) /* very large or small: no exponent */
        snprintf(tmp, sizeof(tmp), "%.6f", d);
    tether_buf_adds(b, tmp);
}

/* An Excel serial date (days since 1899-12-30, or 1904-01-01) as ISO
 * 8601: a date, or a date and time when it has one or kind asks for it
 * (2), or a time alone below 1. */
static void
put_serial(const struct xlsx *x, struct tether_buf *b, double serial, int kind)
{
    long secs = lround(serial * 86400.0);
    long days = secs / 86400, tod = secs % 86400;
    if (secs < 0) {
        tether_buf_printf(b, "%.15g", serial);
        return;
    }
    int32_t base;
    if (x->date1904)
        base = tether_days_from_civil(1904, 1, 1);
    else if (days < 61) /* before Excel's fictitious 1900-02-29 */
        base = tether_days_from_civil(1899, 12, 31);
    else
        base = tether_days_from_civil(1899, 12, 30);
    if (days == 0 && !x->date1904 && kind == 2) {
        tether_buf_printf(b, "%02ld:%02ld:%02ld", tod / 3600, tod / 60 % 60,
                          tod % 60);
        return;
    }
    char date[16];
    tether_date_format((int32_t)(base + days), date);
    tether_buf_adds(b, date);
    if (tod || kind == 2)
        tether_buf_printf(b, "T%02ld:%02ld:%02ld", tod / 3600, tod / 60 % 60,
                          tod % 60);
}

/* The text of the cell just read (x->type, x->style, x->text) into
 * x->cell. */
static void
cell_text(struct xlsx *x)
{
    tether_buf_reset(&x->cell);
    tether_buf_add(&x->text, "", 0);
    const char *type = x->type, *v = x->text.data;
    if (!strcmp(type, "inlineStr") || !strcmp(type, "str") ||
        !strcmp(type, "e") || !strcmp(type, "d")) {
        /* an inline string, a formula's text, an error, an ISO date */
        tether_buf_adds(&x->cell, v);
    } else if (!*v) {
        /* an empty cell: formatted but blank */
    } else if (!strcmp(type, "s")) {
        char *end;
        long i = strtol(v, &end, 10);
        if (*end == '\0' && i >= 0 && (size_t)i < x->nstrings)
            tether_buf_adds(&x->cell, x->strings[i]);
    } else if (!strcmp(type, "b")) {
        tether_buf_adds(&x->cell, v[0] == '1' ? "TRUE" : "FALSE");
    } else {
        long st = x->style;
        int kind = st >= 0 && (size_t)st < x->nstyles ? x->date_style[st] : 0;
        char *end;
        double d = strtod(v, &end);
        if (kind && *end == '\0' && isfinite(d))
            put_serial(x, &x->cell, d, kind);
        else
            put_number(&x->cell, v);
    }
    tether_buf_add(&x->cell, "", 0);
}

/* --- SAX: the shared strings and the sheet ------------------------------ */

/* libxml2's push parser with SAX handlers is several times faster than a
 * reader or a tree, and holds nothing but the row being read. */

/* The value of attribute name among SAX2's (localname, prefix, URI,
 * value, end) tuples, copied into out (cap bytes); 0 when absent. */
static int
attr(const xmlChar **attrs, int n, const char *name, char *out, size_t cap)
{
    for (int i = 0; i < n; i++) {
        const xmlChar *const *a = attrs + 5 * i;
        if (xmlStrcmp(a[0], BAD_CAST name) != 0 || a[1] != NULL)
            continue;
        size_t len = (size_t)(a[4] - a[3]);
        if (len >= cap)
            len = cap - 1;
        memcpy(out, a[3], len);
        out[len] = '\0';
        return 1;
    }
    return 0;
}

/* Stops the parser, keeping the first reason. */
static void sax_fail(struct xlsx *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
sax_fail(struct xlsx *x, const char *fmt, ...)
{
    if (!x->problem[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->problem, sizeof(x->problem), fmt, ap);
        va_end(ap);
    }
    xmlStopParser(x->push);
}

static void
string_add(struct xlsx *x)
{
    tether_buf_add(&x->text, "", 0);
    x->strings_bytes += x->text.len;
    if (x->strings_bytes > MAX_PART) {
        sax_fail(x, "%s: the shared strings are longer than %u MiB", x->path,
                 MAX_PART >> 20);
        return;
    }
    if (x->nstrings == x->capstrings) {
        x->capstrings = x->capstrings ? 2 * x->capstrings : 256;
        x->strings =
            tether_xrealloc(x->strings, x->capstrings * sizeof(char *));
    }
    x->strings[x->nstrings++] = tether_xstrndup(x->text.data, x->text.len);
}

static void
row_start(struct xlsx *x, const xmlChar **attrs, int n)
{
    char v[32];
    long line =
        attr(attrs, n, "r", v, sizeof(v)) ? strtol(v, NULL, 10) : x->row + 1;
    if (line <= x->row || line > 16L * 1048576) {
        sax_fail(x, "%s:%ld: row number %ld out of order", x->path, x->row,
                 line);
        return;
    }
    x->row = line;
    x->cur.line = line;
    x->cur.n = 0;
    x->next_col = 0;
}

static void
cell_start(struct xlsx *x, const xmlChar **attrs, int n)
{
    char v[32];
    long at = attr(attrs, n, "r", v, sizeof(v)) ? ref_column(v) : x->next_col;
    if (at < x->next_col || at >= TETHER_CSV_MAX_FIELDS) {
        sax_fail(x, "%s:%ld: a cell out of order, or past column %d", x->path,
                 x->row, TETHER_CSV_MAX_FIELDS);
        return;
    }
    x->col = at;
    if (!attr(attrs, n, "t", x->type, sizeof(x->type)))
        snprintf(x->type, sizeof(x->type), "n");
    x->style = attr(attrs, n, "s", v, sizeof(v)) ? strtol(v, NULL, 10) : 0;
    tether_buf_reset(&x->text);
}

/* The cell just read, kept when it is not blank: blank cells (formatted,
 * or emptied) are no fields unless a later cell of the row has text. */
static void
cell_end(struct xlsx *x)
{
    x->next_col = x->col + 1;
    cell_text(x);
    if (tether_str_blank(x->cell.data))
        return;
    if (x->cur.n == x->capcells) {
        x->capcells = x->capcells ? 2 * x->capcells : 16;
        x->cur.cells =
            tether_xrealloc(x->cur.cells, x->capcells * sizeof(struct cell));
    }
    x->cur.cells[x->cur.n].col = x->col;
    x->cur.cells[x->cur.n++].text = tether_xstrdup(x->cell.data);
}

/* The row just read joins the ready ones; a blank row is skipped. */
static void
row_end(struct xlsx *x)
{
    if (x->cur.n == 0)
        return;
    if (x->nready == x->capready) {
        x->capready = x->capready ? 2 * x->capready : 64;
        x->ready = tether_xrealloc(x->ready, x->capready * sizeof(struct row));
    }
    x->ready[x->nready++] = x->cur;
    x->cur.cells = NULL;
    x->cur.n = 0;
    x->capcells = 0;
}

static void
sax_start(void *ctx, const xmlChar *name, const xmlChar *prefix,
          const xmlChar *uri, int nns, const xmlChar **ns, int nattrs,
          int ndefaulted, const xmlChar **attrs)
{
    (void)prefix, (void)uri, (void)nns, (void)ns, (void)ndefaulted;
    struct xlsx *x = ctx;
    const char *n = (const char *)name;
    if (!strcmp(n, "rPh")) {
        x->phonetic++;
    } else if (x->mode == SAX_STRINGS) {
        if (!strcmp(n, "si"))
            tether_buf_reset(&x->text);
        else if (!strcmp(n, "t") && !x->phonetic)
            x->capture = 1;
    } else if (!strcmp(n, "row")) {
        row_start(x, attrs, nattrs);
    } else if (!strcmp(n, "c")) {
        cell_start(x, attrs, nattrs);
    } else if (!strcmp(n, "v")) {
        x->capture = 1;
    } else if (!strcmp(n, "is")) {
        x->in_is = 1;
    } else if (!strcmp(n, "t") && x->in_is && !x->phonetic) {
        x->capture = 1;
    }
}

static void
sax_end(void *ctx, const xmlChar *name, const xmlChar *prefix,
        const xmlChar *uri)
{
    (void)prefix, (void)uri;
    struct xlsx *x = ctx;
    const char *n = (const char *)name;
    if (!strcmp(n, "rPh"))
        x->phonetic--;
    else if (!strcmp(n, "t") || !strcmp(n, "v"))
        x->capture = 0;
    else if (x->mode == SAX_STRINGS && !strcmp(n, "si"))
        string_add(x);
    else if (x->mode == SAX_SHEET && !strcmp(n, "is"))
        x->in_is = 0;
    else if (x->mode == SAX_SHEET && !strcmp(n, "c"))
        cell_end(x);
    else if (x->mode == SAX_SHEET && !strcmp(n, "row"))
        row_end(x);
}

static void
sax_text(void *ctx, const xmlChar *ch, int len)
{
    struct xlsx *x = ctx;
    if (x->capture)
        tether_buf_add(&x->text, ch, (size_t)len);
}

static xmlSAXHandler sax_handler = {
    .initialized = XML_SAX2_MAGIC,
    .startElementNs = sax_start,
    .endElementNs = sax_end,
    .characters = sax_text,
    .cdataBlock = sax_text,
};

/* A push parser over the handlers, for part. NULL on failure. */
static xmlParserCtxtPtr
sax_new(struct xlsx *x, const char *part)
{
    xmlParserCtxtPtr p =
        xmlCreatePushParserCtxt(&sax_handler, x, NULL, 0, part);
    if (p)
        xmlCtxtUseOptions(p, XML_OPTIONS);
    return p;
}

/* Feeds the next chunk of f to the parser (the last one when f is at its
 * end). 1 when more may come, 0 after the last, -1 on an error. */
static int
sax_feed(struct xlsx *x, zip_file_t *f, uint64_t *pos)
{
    char buf[65536];
    zip_int64_t n = zip_fread(f, buf, sizeof(buf));
    if (n < 0)
        return -1;
    if (pos)
        *pos += (uint64_t)n;
    int last = n == 0;
    if (xmlParseChunk(x->push, buf, (int)n, last) != 0 || x->problem[0] ||
        !x->push->wellFormed)
        return -1;
    return !last;
}

/* The shared strings, read whole before the sheet. */
static int
load_strings(struct xlsx *x, const char *part, char *errbuf)
{
    zip_file_t *f = zip_fopen(x->zip, part, 0);
    if (!f)
        return 0; /* a workbook without strings */
    x->mode = SAX_STRINGS;
    int rc = (x->push = sax_new(x, part)) ? 1 : -1;
    while (rc == 1)
        rc = sax_feed(x, f, NULL);
    zip_fclose(f);
    if (x->push)
        xmlFreeParserCtxt(x->push);
    x->push = NULL;
    x->capture = x->phonetic = 0;
    if (rc < 0) {
        if (x->problem[0])
            snprintf(errbuf, TETHER_ERRBUF, "%s", x->problem);
        else
            snprintf(errbuf, TETHER_ERRBUF,
                     "%s: part %s is not well-formed XML", x->path, part);
        return -1;
    }
    return 0;
}

/* Built-in number formats that show dates or times (ECMA-376 18.8.30,
 * and the East Asian ones Excel adds). */
static int
builtin_is_date(long id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
           (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/* Does a format code show a date (1) or a date and time (2)? Quoted text,
 * escaped characters and [colours] are not format letters. */
static int
code_is_date(const char *code)
{
    int date = 0, time = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '"') {
            while (p[1] && p[1] != '"')
                p++;
            if (p[1])
                p++;
        } else if (*p == '\\' && p[1]) {
            p++;
        } else if (*p == '[') {
            while (p[1] && p[1] != ']')
                p++;
        } else if (*p == ';') {
            break; /* the first section decides */
        } else {
            char c = (char)(*p | 0x20);
            date |= c == 'd' || c == 'y' || c == 'm';
            time |= c == 'h' || c == 's';
        }
    }
    return time ? 2 : date ? 1 : 0;
}

static int
load_styles(struct xlsx *x, char *errbuf)
{
    errbuf[0] = '\0';
    xmlDocPtr doc = part_xml(x, "xl/styles.xml", 0, errbuf);
    if (!doc)
        return errbuf[0] ? -1 : 0;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr fmts = child(root, "numFmts"), xfs = child(root, "cellXfs");
    size_t cap = 0;
    for (xmlNodePtr xf = xfs ? xfs->children : NULL; xf; xf = xf->next) {
        if (!is(xf, "xf"))
            continue;
        xmlChar *v = xmlGetProp(xf, BAD_CAST "numFmtId");
        long id = v ? strtol((const char *)v, NULL, 10) : 0;
        xmlFree(v);
        int kind = builtin_is_date(id) ? (id == 22 || id == 47 ? 2 : 1) : 0;
        for (xmlNodePtr f = fmts ? fmts->children : NULL; f; f = f->next) {
            if (!is(f, "numFmt"))
                continue;
            xmlChar *fid = xmlGetProp(f, BAD_CAST "numFmtId");
            xmlChar *code = xmlGetProp(f, BAD_CAST "formatCode");
            if (fid && code && strtol((const char *)fid, NULL, 10) == id)
                kind = code_is_date((const char *)code);
            xmlFree(fid);
            xmlFree(code);
        }
        if (x->nstyles == cap) {
            cap = cap ? 2 * cap : 32;
            x->date_style = tether_xrealloc(x->date_style, cap);
        }
        x->date_style[x->nstyles++] = (unsigned char)kind;
    }
    xmlFreeDoc(doc);
    return 0;
}

/* The part a relationship of rels (a .rels part) with that Id, or of that
 * Type suffix when id is NULL, points to, resolved against dir. Free it;
 * NULL when none. */
static char *
rel_target(struct xlsx *x, const char *rels, const char *dir, const char *id,
           const char *type_suffix, char *errbuf)
{
    xmlDocPtr doc = part_xml(x, rels, 0, errbuf);
    if (!doc)
        return NULL;
    char *target = NULL;
    for (xmlNodePtr r = xmlDocGetRootElement(doc)->children; r && !target;
         r = r->next) {
        if (!is(r, "Relationship"))
            continue;
        xmlChar *rid = xmlGetProp(r, BAD_CAST "Id");
        xmlChar *type = xmlGetProp(r, BAD_CAST "Type");
        xmlChar *t = xmlGetProp(r, BAD_CAST "Target");
        size_t tl = type ? strlen((const char *)type) : 0;
        size_t sl = type_suffix ? strlen(type_suffix) : 0;
        int hit =
            id ? rid && strcmp((const char *)rid, id) == 0
               : type && tl >= sl &&
                     strcmp((const char *)type + tl - sl, type_suffix) == 0;
        if (hit && t)
            target = t[0] == '/'
                         ? tether_xstrdup((const char *)t + 1)
                         : tether_xasprintf("%s%s", dir, (const char *)t);
        xmlFree(rid);
        xmlFree(type);
        xmlFree(t);
    }
    xmlFreeDoc(doc);
    return target;
}

/* Finds the sheet called name (NULL: the first) in the workbook: its part
 * in *part. Also reads date1904. 0, or -1 (errbuf). */
static int
find_sheet(struct xlsx *x, const char *book, const char *name, char **part,
           char *errbuf)
{
    xmlDocPtr doc = part_xml(x, book, 1, errbuf);
    if (!doc)
        return -1;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr pr = child(root, "workbookPr");
    xmlChar *d1904 = pr ? xmlGetProp(pr, BAD_CAST "date1904") : NULL;
    x->date1904 = d1904 && (d1904[0] == '1' || d1904[0] == 't');
    xmlFree(d1904);
    struct tether_buf names = {0};
    char *rid = NULL;
    for (xmlNodePtr s = child(child(root, "sheets"), "sheet"); s && !rid;
         s = s->next) {
        if (!is(s, "sheet"))
            continue;
        xmlChar *sn = xmlGetProp(s, BAD_CAST "name");
        /* r:id, in the relationships namespace */
        xmlChar *id = xmlGetNsProp(
            s, BAD_CAST "id",
            BAD_CAST "http://schemas.openxmlformats.org/officeDocument/2006/"
                     "relationships");
        if (!name || (sn && strcmp((const char *)sn, name) == 0)) {
            if (id)
                rid = tether_xstrdup((const char *)id);
        }
        tether_buf_printf(&names, "%s'%s'", names.len ? ", " : "",
                          sn ? (const char *)sn : "");
        xmlFree(sn);
        xmlFree(id);
    }
    xmlFreeDoc(doc);
    int rc = -1;
    if (!rid) {
        if (name)
            snprintf(errbuf, TETHER_ERRBUF,
                     "%s: no sheet called '%s' (the workbook has %s)", x->path,
                     name, names.len ? names.data : "no sheet");
        else
            snprintf(errbuf, TETHER_ERRBUF, "%s: the workbook has no sheet",
                     x->path);
        goto out;
    }
    /* xl/workbook.xml's relationships are in xl/_rels/workbook.xml.rels */
    const char *slash = strrchr(book, '/');
    char *dir = tether_xstrndup(book, slash ? (size_t)(slash - book + 1) : 0);
    char *rels =
        tether_xasprintf("%s_rels/%s.rels", dir, slash ? slash + 1 : book);
    errbuf[0] = '\0';
    *part = rel_target(x, rels, dir, rid, NULL, errbuf);
    if (!*part && !errbuf[0])
        snprintf(errbuf, TETHER_ERRBUF,
                 "%s: the sheet's part is not named in %s", x->path, rels);
    /* The shared strings, as the same relationships name them. */
    if (*part) {
        char *ss = rel_target(x, rels, dir, NULL, "/sharedStrings", errbuf);
        errbuf[0] = '\0';
        rc = load_strings(x, ss ? ss : "xl/sharedStrings.xml", errbuf);
        free(ss);
    }
    free(rels);
    free(dir);
out:
    free(rid);
    tether_buf_free(&names);
    return rc;
}

/* --- the sheet, one row per record ----------------------------------- */

static int
xlsx_next(void *ctx, struct tether_csv *c, char *errbuf)
{
    struct xlsx *x = ctx;
    while (x->head == x->nready && !x->sheet_done) {
        x->head = x->nready = 0;
        int rc = sax_feed(x, x->sheet, &x->sheet_pos);
        if (rc < 0) {
            if (x->problem[0])
                snprintf(errbuf, TETHER_ERRBUF, "%s", x->problem);
            else
                snprintf(errbuf, TETHER_ERRBUF,
                         "%s:%ld: the sheet is not well-formed XML after "
                         "this row",
                         x->path, x->row);
            return -1;
        }
        x->sheet_done = rc == 0;
    }
    if (x->head == x->nready)
        return 0;
    struct row *r = &x->ready[x->head++];
    tether_csv_put_begin(c, r->line);
    long put = 0;
    for (size_t i = 0; i < r->n; i++) {
        for (; put < r->cells[i].col; put++)
            tether_csv_put_field(c, "", 0);
        tether_csv_put_field(c, r->cells[i].text, strlen(r->cells[i].text));
        put++;
        free(r->cells[i].text);
    }
    free(r->cells);
    r->cells = NULL;
    r->n = 0;
    return 1;
}

static uint64_t
xlsx_pos(void *ctx)
{
    return ((struct xlsx *)ctx)->sheet_pos;
}

static void
free_row(struct row *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->cells[i].text);
    free(r->cells);
}

static void
xlsx_free(void *ctx)
{
    struct xlsx *x = ctx;
    if (!x)
        return;
    if (x->push)
        xmlFreeParserCtxt(x->push);
    if (x->sheet)
        zip_fclose(x->sheet);
    if (x->zip)
        zip_discard(x->zip);
    for (size_t i = 0; i < x->nstrings; i++)
        free(x->strings[i]);
    free(x->strings);
    for (size_t i = x->head; i < x->nready; i++)
        free_row(&x->ready[i]);
    free(x->ready);
    free_row(&x->cur);
    free(x->date_style);
    tether_buf_free(&x->text);
    tether_buf_free(&x->cell);
    free(x->path);
    free(x);
}

/* Opens the sheet's part for streaming. 0, or -1 (errbuf). */
static int
open_sheet(struct xlsx *x, const char *part, char *errbuf)
{
    zip_stat_t st;
    if (zip_stat(x->zip, part, 0, &st) != 0 ||
        !(x->sheet = zip_fopen(x->zip, part, 0))) {
        snprintf(errbuf, TETHER_ERRBUF, "%s: cannot read the sheet %s", x->path,
                 part);
        return -1;
    }
    x->sheet_size = st.valid & ZIP_STAT_SIZE ? st.size : 0;
    x->mode = SAX_SHEET;
    if (!(x->push = sax_new(x, part))) {
        snprintf(errbuf, TETHER_ERRBUF, "%s: cannot parse the sheet %s",
                 x->path, part);
        return -1;
    }
    return 0;
}

enum tether_err
xlsx_open(const char *path, const char *sheet, struct tether_csv **out,
          char *errbuf)
{
    struct xlsx *x = tether_xcalloc(1, sizeof(*x));
    x->path = tether_xstrdup(path);
    char *book = NULL, *part = NULL;
    enum tether_err err = TETHER_ERR_FORMAT;
    int zerr = 0;
    if (!(x->zip = zip_open(path, ZIP_RDONLY, &zerr))) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        snprintf(errbuf, TETHER_ERRBUF, "%s: not a readable .xlsx workbook: %s",
                 path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        goto out;
    }
    /* The package's relationships name the workbook part. */
    errbuf[0] = '\0';
    book = rel_target(x, "_rels/.rels", "", NULL, "/officeDocument", errbuf);
    if (!book)
        book = tether_xstrdup("xl/workbook.xml");
    if (find_sheet(x, book, sheet, &part, errbuf) || load_styles(x, errbuf) ||
        open_sheet(x, part, errbuf))
        goto out;
    struct tether_csv_source src = {xlsx_next, xlsx_pos, xlsx_free, x,
                                    x->sheet_size};
    *out = tether_csv_open_source(path, src);
    x = NULL;
    err = TETHER_OK;
out:
    xlsx_free(x);
    free(book);
    free(part);
    return err;
}

enum tether_err
table_open(struct import *imp, const char *path, char delim,
           struct tether_csv **out, char *errbuf)
{
    if (xlsx_is_workbook(path))
        return xlsx_open(path, imp->opts->sheet, out, errbuf);
    if (xlsx_is_compound(path)) {
        xlsx_compound_error(path, errbuf);
        return TETHER_ERR_FORMAT;
    }
    /* --sheet names a sheet of the workbooks among the files; a CSV file
     * beside them (a question map) has none. */
    return tether_csv_open(out, path, delim, errbuf);
}
