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
#include <libxml/xmlreader.h>
#include <math.h>
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

struct xlsx {
    char *path;
    zip_t *zip;
    zip_file_t *sheet; /* the sheet's part, streamed */
    uint64_t sheet_size, sheet_pos;
    xmlTextReaderPtr reader;
    char **strings; /* shared strings */
    size_t nstrings;
    unsigned char *date_style; /* per cellXfs index: 1 date, 2 date-time */
    size_t nstyles;
    int date1904;
    long row; /* the last row's number */
    struct tether_buf cell;
};

int
xlsx_is_workbook(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    unsigned char m[4] = {0};
    size_t n = fread(m, 1, 4, f);
    fclose(f);
    return n == 4 && m[0] == 'P' && m[1] == 'K' && m[2] == 3 && m[3] == 4;
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

/* The text of the <t> elements under n, phonetic runs (<rPh>) left out. */
static void
text_of(xmlNodePtr n, struct tether_buf *b)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (is(c, "rPh"))
            continue;
        if (is(c, "t")) {
            xmlChar *t = xmlNodeGetContent(c);
            if (t)
                tether_buf_adds(b, (const char *)t);
            xmlFree(t);
        } else if (c->type == XML_ELEMENT_NODE) {
            text_of(c, b);
        }
    }
}

static int
load_strings(struct xlsx *x, const char *part, char *errbuf)
{
    errbuf[0] = '\0';
    xmlDocPtr doc = part_xml(x, part, 0, errbuf);
    if (!doc)
        return errbuf[0] ? -1 : 0; /* a workbook without strings */
    size_t cap = 0;
    for (xmlNodePtr si = xmlDocGetRootElement(doc)->children; si;
         si = si->next) {
        if (!is(si, "si"))
            continue;
        struct tether_buf b = {0};
        text_of(si, &b);
        tether_buf_add(&b, "", 0);
        if (x->nstrings == cap) {
            cap = cap ? 2 * cap : 256;
            x->strings = tether_xrealloc(x->strings, cap * sizeof(char *));
        }
        x->strings[x->nstrings++] = b.data;
    }
    xmlFreeDoc(doc);
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

/* --- streaming the sheet ------------------------------------------------ */

static int
sheet_read(void *ctx, char *buf, int len)
{
    struct xlsx *x = ctx;
    zip_int64_t n = zip_fread(x->sheet, buf, (zip_uint64_t)len);
    if (n > 0)
        x->sheet_pos += (uint64_t)n;
    return (int)n;
}

static int
sheet_close(void *ctx)
{
    (void)ctx;
    return 0;
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

/* The text of the cell node c (expanded) into x->cell. */
static void
cell_text(struct xlsx *x, xmlNodePtr c)
{
    tether_buf_reset(&x->cell);
    xmlChar *t = xmlGetProp(c, BAD_CAST "t");
    xmlChar *s = xmlGetProp(c, BAD_CAST "s");
    const char *type = t ? (const char *)t : "n";
    xmlNodePtr vn = child(c, "v");
    xmlChar *v = vn ? xmlNodeGetContent(vn) : NULL;
    if (!strcmp(type, "inlineStr")) {
        xmlNodePtr is_ = child(c, "is");
        if (is_)
            text_of(is_, &x->cell);
    } else if (!v) {
        /* an empty cell: formatted but blank */
    } else if (!strcmp(type, "s")) {
        char *end;
        long i = strtol((const char *)v, &end, 10);
        if (*end == '\0' && i >= 0 && (size_t)i < x->nstrings)
            tether_buf_adds(&x->cell, x->strings[i]);
    } else if (!strcmp(type, "b")) {
        tether_buf_adds(&x->cell, v[0] == '1' ? "TRUE" : "FALSE");
    } else if (!strcmp(type, "n")) {
        long st = s ? strtol((const char *)s, NULL, 10) : 0;
        int kind = st >= 0 && (size_t)st < x->nstyles ? x->date_style[st] : 0;
        char *end;
        double d = strtod((const char *)v, &end);
        if (kind && *end == '\0' && isfinite(d))
            put_serial(x, &x->cell, d, kind);
        else
            put_number(&x->cell, (const char *)v);
    } else { /* str (a formula's text), e (an error), d (ISO date) */
        tether_buf_adds(&x->cell, (const char *)v);
    }
    tether_buf_add(&x->cell, "", 0);
    xmlFree(v);
    xmlFree(t);
    xmlFree(s);
}

/* The cells of the row element the reader is on, into c. 1 when the row
 * has a non-blank cell, 0 when it is blank, -1 on an error. */
static int
row_cells(struct xlsx *x, struct tether_csv *c, char *errbuf)
{
    xmlChar *r = xmlTextReaderGetAttribute(x->reader, BAD_CAST "r");
    long line = r ? strtol((const char *)r, NULL, 10) : x->row + 1;
    xmlFree(r);
    if (line <= x->row || line > 1048576L * 16) {
        snprintf(errbuf, TETHER_ERRBUF,
                 "%s:%ld: row number %ld out of order (after row %ld)", x->path,
                 x->row, line, x->row);
        return -1;
    }
    x->row = line;
    tether_csv_put_begin(c, line);
    if (xmlTextReaderIsEmptyElement(x->reader))
        return 0;
    int depth = xmlTextReaderDepth(x->reader);
    long put = 0;  /* fields put so far */
    long next = 0; /* the column of a cell without a reference */
    int rc;
    while ((rc = xmlTextReaderRead(x->reader)) == 1) {
        int type = xmlTextReaderNodeType(x->reader);
        if (type == XML_READER_TYPE_END_ELEMENT &&
            xmlTextReaderDepth(x->reader) == depth)
            break;
        if (type != XML_READER_TYPE_ELEMENT ||
            xmlStrcmp(xmlTextReaderConstLocalName(x->reader), BAD_CAST "c"))
            continue;
        xmlChar *ref = xmlTextReaderGetAttribute(x->reader, BAD_CAST "r");
        long at = ref ? ref_column((const char *)ref) : next;
        xmlFree(ref);
        xmlNodePtr node = xmlTextReaderExpand(x->reader);
        if (!node || at < put || at >= TETHER_CSV_MAX_FIELDS) {
            snprintf(errbuf, TETHER_ERRBUF,
                     "%s:%ld: a cell out of order, or past column %d", x->path,
                     line, TETHER_CSV_MAX_FIELDS);
            return -1;
        }
        next = at + 1;
        cell_text(x, node);
        /* Blank cells (formatted, or emptied) are no fields unless a
         * later cell of the row has text. */
        if (tether_str_blank(x->cell.data))
            continue;
        for (; put < at; put++)
            tether_csv_put_field(c, "", 0);
        tether_csv_put_field(c, x->cell.data, x->cell.len);
        put++;
    }
    if (rc < 0) {
        snprintf(errbuf, TETHER_ERRBUF,
                 "%s:%ld: the sheet is not well-formed "
                 "XML",
                 x->path, line);
        return -1;
    }
    return put > 0;
}

static int
xlsx_next(void *ctx, struct tether_csv *c, char *errbuf)
{
    struct xlsx *x = ctx;
    errbuf[0] = '\0';
    int rc;
    while ((rc = xmlTextReaderRead(x->reader)) == 1) {
        if (xmlTextReaderNodeType(x->reader) != XML_READER_TYPE_ELEMENT ||
            xmlStrcmp(xmlTextReaderConstLocalName(x->reader), BAD_CAST "row"))
            continue;
        int got = row_cells(x, c, errbuf);
        if (got != 0)
            return got; /* a record, or an error; blank rows are skipped */
    }
    if (rc < 0) {
        snprintf(errbuf, TETHER_ERRBUF,
                 "%s:%ld: the sheet is not well-formed XML after this row",
                 x->path, x->row);
        return -1;
    }
    return 0;
}

static uint64_t
xlsx_pos(void *ctx)
{
    return ((struct xlsx *)ctx)->sheet_pos;
}

static void
xlsx_free(void *ctx)
{
    struct xlsx *x = ctx;
    if (!x)
        return;
    if (x->reader)
        xmlFreeTextReader(x->reader);
    if (x->sheet)
        zip_fclose(x->sheet);
    if (x->zip)
        zip_discard(x->zip);
    for (size_t i = 0; i < x->nstrings; i++)
        free(x->strings[i]);
    free(x->strings);
    free(x->date_style);
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
    x->reader =
        xmlReaderForIO(sheet_read, sheet_close, x, part, NULL, XML_OPTIONS);
    if (!x->reader) {
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
    /* --sheet names a sheet of the workbooks among the files; a CSV file
     * beside them (a question map) has none. */
    return tether_csv_open(out, path, delim, errbuf);
}
