/* wide_survey.c - wide survey exports (one row per respondent, one column
 * per question) of Google Forms, Microsoft Forms, SurveyMonkey (two header
 * rows) and Qualtrics (three header rows, or the legacy two), read through
 * a question map:
 *
 *   column,role,survey_id,question_id,construct,scale_min,scale_max,labels
 *
 * role is respondent, submitted_at, question or ignore; labels maps answer
 * labels to numbers ("Disagree=2;Agree=4"). Answers are stored through the
 * survey store (survey.c), which validates and de-duplicates them. The file
 * is read twice: once to learn its layout and date order, once to load. */
#include "collect.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tether/timeutil.h"
#include "tether/util.h"

#define WHY_LEN 256

enum role { ROLE_RESPONDENT, ROLE_SUBMITTED, ROLE_QUESTION, ROLE_IGNORE };

struct label {
    char *text;
    double value;
};

struct map_entry {
    char *column, *survey_id, *question_id, *construct;
    enum role role;
    double lo, hi;
    struct label *labels;
    size_t nlabels;
    long line; /* in the map */
    long col;  /* in the export */
    char *header; /* the export's header text of col, for messages */
};

enum layout {
    LAYOUT_PLAIN,        /* Google Forms, Microsoft Forms, others */
    LAYOUT_SURVEYMONKEY, /* question row, then a sub-column row */
    LAYOUT_QUALTRICS,    /* export tags, question texts, ImportId JSON */
    LAYOUT_QUALTRICS_LEGACY /* V1..Vn tags, then names and texts */
};

struct wide {
    struct import *imp;
    struct map_entry *e;
    size_t n;
    long c_resp, c_sub;
    const char *h_resp, *h_sub;
    enum layout layout;
    int nheader;
    struct report_record hdr[3];
    enum date_order order;
    char *zone;
};

static void
record_copy(struct report_record *r, struct tether_csv *csv)
{
    r->n = tether_csv_nfields(csv);
    r->line = tether_csv_line(csv);
    r->raw = tether_xstrdup(tether_csv_raw(csv));
    r->field = tether_xcalloc(r->n ? r->n : 1, sizeof(char *));
    for (size_t i = 0; i < r->n; i++)
        r->field[i] =
            tether_str_trim(tether_xstrdup(tether_csv_field(csv, i)));
}

static void
record_free(struct report_record *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->field[i]);
    free(r->field);
    free(r->raw);
    memset(r, 0, sizeof(*r));
}

static void
wide_free(struct wide *w)
{
    for (size_t i = 0; i < w->n; i++) {
        struct map_entry *e = &w->e[i];
        free(e->column);
        free(e->survey_id);
        free(e->question_id);
        free(e->construct);
        free(e->header);
        for (size_t k = 0; k < e->nlabels; k++)
            free(e->labels[k].text);
        free(e->labels);
    }
    free(w->e);
    for (int i = 0; i < 3; i++)
        record_free(&w->hdr[i]);
    free(w->zone);
}

/* "Strongly disagree=1;Disagree=2": 0, or -1 with the bad item in why. */
static int
parse_labels(struct map_entry *e, const char *s, char *why)
{
    char *list = tether_xstrdup(s);
    int rc = 0;
    for (char *save, *item = strtok_r(list, ";", &save); item;
         item = strtok_r(NULL, ";", &save)) {
        if (tether_str_blank(item))
            continue;
        char *eq = strrchr(item, '=');
        double v;
        if (!eq || (*eq = '\0', tether_parse_double(eq + 1, &v)) ||
            tether_str_blank(item)) {
            snprintf(why, WHY_LEN, "'%s' is not LABEL=NUMBER", item);
            rc = -1;
            break;
        }
        e->labels =
            tether_xrealloc(e->labels, (e->nlabels + 1) * sizeof(*e->labels));
        e->labels[e->nlabels].text = tether_xstrdup(tether_str_trim(item));
        e->labels[e->nlabels].value = v;
        e->nlabels++;
    }
    free(list);
    return rc;
}

enum {
    M_COLUMN,
    M_ROLE,
    M_SURVEY,
    M_QUESTION,
    M_CONSTRUCT,
    M_MIN,
    M_MAX,
    M_LABELS,
    M_COUNT
};

static const char *const map_columns[M_COUNT] = {
    "column",    "role",      "survey_id", "question_id",
    "construct", "scale_min", "scale_max", "labels"};

/* 1 when two questions of a map are one question_id of one survey with
 * another construct or scale: its answers would change meaning. */
static int
redefines(const struct map_entry *a, const struct map_entry *b)
{
    if (a->role != ROLE_QUESTION || b->role != ROLE_QUESTION ||
        strcmp(a->survey_id, b->survey_id) != 0 ||
        strcmp(a->question_id, b->question_id) != 0)
        return 0;
    const char *ca = *a->construct ? a->construct : "other";
    const char *cb = *b->construct ? b->construct : "other";
    int same_lo = isnan(a->lo) ? isnan(b->lo) : a->lo == b->lo;
    int same_hi = isnan(a->hi) ? isnan(b->hi) : a->hi == b->hi;
    return strcasecmp(ca, cb) != 0 || !same_lo || !same_hi;
}

/* An entry's construct and scale in words. */
static void
entry_definition(const struct map_entry *e, char *buf, size_t n)
{
    const char *c = *e->construct ? e->construct : "other";
    if (isnan(e->lo) || isnan(e->hi))
        snprintf(buf, n, "%.40s without a scale", c);
    else
        snprintf(buf, n, "%.40s on %g to %g", c, e->lo, e->hi);
}

/* Fills map entry e from the line's trimmed fields v. Returns the
 * index of the bad column with why set, or -1. */
static int
map_entry_fill(const struct import *imp, struct map_entry *e, long line,
               char *const *v, char *why)
{
    int col = -1;
    e->line = line;
    e->col = -1;
    e->lo = e->hi = NAN;
    e->column = tether_xstrdup(v[M_COLUMN]);
    e->construct = tether_xstrdup(v[M_CONSTRUCT]);
    const char *sid = *v[M_SURVEY] ? v[M_SURVEY] : imp->opts->survey_id;
    e->survey_id = tether_xstrdup(sid ? sid : "");
    /* A question without an id is named by its column. */
    e->question_id =
        tether_xstrdup(*v[M_QUESTION] ? v[M_QUESTION] : v[M_COLUMN]);
    if (!*v[M_COLUMN]) {
        col = M_COLUMN;
        snprintf(why, WHY_LEN, "empty column name");
    } else if (!strcasecmp(v[M_ROLE], "respondent")) {
        e->role = ROLE_RESPONDENT;
    } else if (!strcasecmp(v[M_ROLE], "submitted_at")) {
        e->role = ROLE_SUBMITTED;
    } else if (!strcasecmp(v[M_ROLE], "question")) {
        e->role = ROLE_QUESTION;
    } else if (!strcasecmp(v[M_ROLE], "ignore")) {
        e->role = ROLE_IGNORE;
    } else {
        col = M_ROLE;
        snprintf(why, WHY_LEN,
                 "'%s' is not respondent, submitted_at, question or "
                 "ignore",
                 v[M_ROLE]);
    }
    if (col < 0 && e->role == ROLE_QUESTION) {
        if (!*e->survey_id) {
            col = M_SURVEY;
            snprintf(why, WHY_LEN, "no survey_id (give --survey-id)");
        } else if (*v[M_MIN] && tether_parse_double(v[M_MIN], &e->lo)) {
            col = M_MIN;
            snprintf(why, WHY_LEN, "'%s' is not a number", v[M_MIN]);
        } else if (*v[M_MAX] && tether_parse_double(v[M_MAX], &e->hi)) {
            col = M_MAX;
            snprintf(why, WHY_LEN, "'%s' is not a number", v[M_MAX]);
        } else if (parse_labels(e, v[M_LABELS], why)) {
            col = M_LABELS;
        }
    }
    return col;
}

/* Checks the new last entry e against the earlier ones: a column mapped
 * twice, or a question given another definition. 0, or -1 with
 * imp->errbuf set. */
static int
map_entry_clash(struct wide *w, const struct map_entry *e, const char *path,
                long line)
{
    struct import *imp = w->imp;
    for (size_t i = 0; i + 1 < w->n; i++) {
        if (tether_str_ieq_trim(w->e[i].column, e->column)) {
            snprintf(imp->errbuf, TETHER_ERRBUF,
                     "%s:%ld: column column: '%s' is mapped twice (line "
                     "%ld)",
                     path, line, e->column, w->e[i].line);
            return -1;
        }
        if (redefines(&w->e[i], e)) {
            char was[96], now[96];
            entry_definition(&w->e[i], was, sizeof(was));
            entry_definition(e, now, sizeof(now));
            snprintf(imp->errbuf, TETHER_ERRBUF,
                     "%s:%ld: column construct: question %.40s of survey "
                     "%.40s is %s on line %ld; this line makes it %s",
                     path, line, e->question_id, e->survey_id, was,
                     w->e[i].line, now);
            return -1;
        }
    }
    return 0;
}

/* Reads the question map into w. 0, or -1 (imp->errbuf names the map's
 * line and column). */
static int
map_read(struct wide *w)
{
    struct import *imp = w->imp;
    const char *path = imp->opts->map;
    struct tether_csv *csv = NULL;
    long idx[M_COUNT];
    int rc = -1, got;
    char why[WHY_LEN];
    if (tether_csv_open(&csv, path, 0, imp->errbuf))
        return -1;
    if ((got = tether_csv_next(csv, imp->errbuf)) <= 0) {
        if (got == 0)
            snprintf(imp->errbuf, TETHER_ERRBUF,
                     "%s: empty question map, no header", path);
        goto out;
    }
    tether_csv_set_header(csv);
    for (int k = 0; k < M_COUNT; k++) {
        idx[k] = tether_csv_column(csv, map_columns[k]);
        if (idx[k] < 0 && k <= M_ROLE) {
            snprintf(imp->errbuf, TETHER_ERRBUF,
                     "%s:%ld: column %s: required column missing (is this "
                     "a question map?)",
                     path, tether_csv_line(csv), map_columns[k]);
            goto out;
        }
    }
    while ((got = tether_csv_next(csv, imp->errbuf)) > 0) {
        long line = tether_csv_line(csv);
        const char *reason;
        long bad = tether_csv_problem(csv, &reason);
        if (bad >= 0) {
            snprintf(imp->errbuf, TETHER_ERRBUF, "%s:%ld: %s", path, line,
                     reason);
            goto out;
        }
        char *v[M_COUNT];
        for (int k = 0; k < M_COUNT; k++)
            v[k] = tether_str_trim(tether_xstrdup(
                idx[k] >= 0 ? tether_csv_field(csv, (size_t)idx[k]) : ""));
        w->e = tether_xrealloc(w->e, (w->n + 1) * sizeof(*w->e));
        struct map_entry *e = &w->e[w->n++];
        memset(e, 0, sizeof(*e));
        int col = map_entry_fill(imp, e, line, v, why);
        for (int k = 0; k < M_COUNT; k++)
            free(v[k]);
        if (col >= 0) {
            snprintf(imp->errbuf, TETHER_ERRBUF, "%s:%ld: column %s: %s",
                     path, line, map_columns[col], why);
            goto out;
        }
        if (map_entry_clash(w, e, path, line))
            goto out;
    }
    if (got < 0)
        goto out;
    rc = 0;
out:
    tether_csv_close(csv);
    return rc;
}

/* Qualtrics exports of about 2016 write the ImportId row as Python
 * dictionaries, {'ImportId': 'QID1'}: the same text with its single-quoted
 * strings turned into JSON strings (a double quote inside one escaped, \'
 * unescaped). Free the result. */
static char *
python_dict_to_json(const char *cell)
{
    struct tether_buf b = {0};
    char quote = 0; /* the quote of the string we are in, or 0 */
    for (const char *p = cell; *p; p++) {
        if (!quote) {
            if (*p == '\'' || *p == '"') {
                quote = *p;
                tether_buf_addc(&b, '"');
            } else {
                tether_buf_addc(&b, *p);
            }
        } else if (*p == '\\' && p[1]) {
            p++;
            if (*p == '\'')
                tether_buf_addc(&b, '\'');
            else {
                tether_buf_addc(&b, '\\');
                tether_buf_addc(&b, *p);
            }
        } else if (*p == quote) {
            quote = 0;
            tether_buf_addc(&b, '"');
        } else if (*p == '"') {
            tether_buf_adds(&b, "\\\"");
        } else {
            tether_buf_addc(&b, *p);
        }
    }
    tether_buf_add(&b, "", 0);
    return b.data;
}

/* The ImportId JSON of a Qualtrics third header row (JSON, or a Python
 * dictionary of the 2016 exports), or NULL; decref. */
static json_t *
import_id_json(const char *cell)
{
    if (cell[0] != '{' || !strstr(cell, "ImportId"))
        return NULL;
    json_t *j = json_loads(cell, 0, NULL);
    if (!j && strchr(cell, '\'')) {
        char *fixed = python_dict_to_json(cell);
        j = json_loads(fixed, 0, NULL);
        free(fixed);
    }
    if (j && !json_is_object(j)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/* Learns the layout from the first three records (kept in w->hdr). */
static void
detect_layout(struct wide *w, int nread)
{
    struct report_record *h = w->hdr;
    static const char *const respondent_id[] = {"Respondent ID", NULL};
    static const char *const collector_id[] = {"Collector ID", NULL};
    w->layout = LAYOUT_PLAIN;
    w->nheader = 1;
    if (nread >= 3 && h[2].n > 0) {
        json_t *j = import_id_json(h[2].field[0]);
        if (j) {
            json_decref(j);
            w->layout = LAYOUT_QUALTRICS;
            w->nheader = 3;
            return;
        }
    }
    if (nread >= 2 && h[0].n > 0 && !strcmp(h[0].field[0], "V1") &&
        h[1].n > 0 && !strcasecmp(h[1].field[0], "ResponseID")) {
        w->layout = LAYOUT_QUALTRICS_LEGACY;
        w->nheader = 2;
        return;
    }
    if (nread >= 2 && report_find(&h[0], respondent_id) >= 0 &&
        report_find(&h[0], collector_id) >= 0) {
        w->layout = LAYOUT_SURVEYMONKEY;
        w->nheader = 2;
    }
}

/* SurveyMonkey writes a question's text only above its first column: the
 * text that stands above column i. */
static const char *
carried(const struct wide *w, size_t i)
{
    for (size_t k = i + 1; k-- > 0;)
        if (*report_get(&w->hdr[0], (long)k))
            return report_get(&w->hdr[0], (long)k);
    return "";
}

/* The ImportId of column i of a Qualtrics export (QID1), or "" ; free. */
static char *
import_id_of(const struct wide *w, size_t i)
{
    json_t *j = import_id_json(report_get(&w->hdr[2], (long)i));
    const char *s = j ? json_string_value(json_object_get(j, "ImportId")) : 0;
    char *out = tether_xstrdup(s ? s : "");
    json_decref(j);
    return out;
}

/* Sets e->col to the export column e names, trying each header tier in
 * turn; leaves it -1 when none matches. */
static void
find_column(const struct wide *w, struct map_entry *e, size_t ncol)
{
    for (int tier = 0; tier < 3 && e->col < 0; tier++) {
        for (size_t i = 0; i < ncol && e->col < 0; i++) {
            int hit = 0;
            if (tier == 0) {
                hit = *report_get(&w->hdr[0], (long)i) &&
                      tether_str_ieq_trim(report_get(&w->hdr[0], (long)i),
                                          e->column);
            } else if (tier == 1 && w->nheader >= 2) {
                hit = *report_get(&w->hdr[1], (long)i) &&
                      tether_str_ieq_trim(report_get(&w->hdr[1], (long)i),
                                          e->column);
            } else if (tier == 2 && w->layout == LAYOUT_SURVEYMONKEY) {
                char *both = tether_xasprintf(
                    "%s - %s", carried(w, i),
                    report_get(&w->hdr[1], (long)i));
                hit = tether_str_ieq_trim(both, e->column);
                free(both);
            } else if (tier == 2 && w->layout == LAYOUT_QUALTRICS) {
                char *id = import_id_of(w, i);
                hit = *id && tether_str_ieq_trim(id, e->column);
                free(id);
            }
            if (hit)
                e->col = (long)i;
        }
    }
}

/* One warning for the columns the map leaves out. */
static void
warn_unmapped(struct wide *w, size_t ncol)
{
    struct import *imp = w->imp;
    struct tether_buf unknown = {0};
    size_t nunknown = 0;
    for (size_t i = 0; i < ncol; i++) {
        size_t k;
        for (k = 0; k < w->n; k++)
            if (w->e[k].col == (long)i)
                break;
        if (k < w->n)
            continue;
        const char *name = report_get(&w->hdr[0], (long)i);
        if (!*name && w->nheader >= 2)
            name = report_get(&w->hdr[1], (long)i);
        if (!*name)
            continue; /* the trailing comma of a legacy export */
        tether_buf_adds(&unknown, nunknown++ ? ", " : "");
        tether_buf_adds(&unknown, name);
    }
    if (nunknown)
        import_warn(imp, "ignoring %zu column%s the question map does not "
                         "name: %s",
                    nunknown, nunknown == 1 ? "" : "s", unknown.data);
    tether_buf_free(&unknown);
}

/* Finds the export column of every map entry: the first header row's text
 * (Qualtrics: the export tag), then a lower header row's text, then
 * SurveyMonkey's "question - sub-column" or Qualtrics' ImportId. */
static int
resolve_columns(struct wide *w)
{
    struct import *imp = w->imp;
    size_t ncol = w->hdr[0].n;
    for (int r = 1; r < w->nheader; r++)
        if (w->hdr[r].n > ncol)
            ncol = w->hdr[r].n;
    w->c_resp = w->c_sub = -1;
    for (size_t k = 0; k < w->n; k++) {
        struct map_entry *e = &w->e[k];
        find_column(w, e, ncol);
        if (e->col < 0) {
            snprintf(imp->errbuf, TETHER_ERRBUF,
                     "%s: the question map (%s:%ld) names the column '%s', "
                     "which the export does not have",
                     imp->path, imp->opts->map, e->line, e->column);
            return -1;
        }
        e->header = tether_xstrdup(e->column);
        if (e->role == ROLE_RESPONDENT || e->role == ROLE_SUBMITTED) {
            long *c = e->role == ROLE_RESPONDENT ? &w->c_resp : &w->c_sub;
            if (*c >= 0) {
                snprintf(imp->errbuf, TETHER_ERRBUF,
                         "%s:%ld: column role: a second %s column",
                         imp->opts->map, e->line,
                         e->role == ROLE_RESPONDENT ? "respondent"
                                                    : "submitted_at");
                return -1;
            }
            *c = e->col;
            if (e->role == ROLE_RESPONDENT)
                w->h_resp = e->header;
            else
                w->h_sub = e->header;
        }
    }
    if (w->c_resp < 0 || w->c_sub < 0) {
        snprintf(imp->errbuf, TETHER_ERRBUF,
                 "%s: the question map names no %s column", imp->opts->map,
                 w->c_resp < 0 ? "respondent" : "submitted_at");
        return -1;
    }
    warn_unmapped(w, ncol);
    /* Qualtrics names the zone of its dates in the ImportId JSON. */
    if (w->layout == LAYOUT_QUALTRICS) {
        json_t *j = import_id_json(report_get(&w->hdr[2], w->c_sub));
        const char *tz =
            j ? json_string_value(json_object_get(j, "timeZone")) : NULL;
        if (tz && tether_tz_valid(tz))
            w->zone = tether_xstrdup(tz);
        json_decref(j);
    }
    if (!w->zone)
        w->zone = tether_xstrdup(collect_zone(imp));
    return 0;
}

/* The question's text: the question row of Qualtrics, the question and
 * its sub-column for SurveyMonkey, else the header. Free it. */
static char *
question_text(const struct wide *w, const struct map_entry *e)
{
    switch (w->layout) {
    case LAYOUT_QUALTRICS:
    case LAYOUT_QUALTRICS_LEGACY:
        return tether_xstrdup(report_get(&w->hdr[1], e->col));
    case LAYOUT_SURVEYMONKEY: {
        const char *sub = report_get(&w->hdr[1], e->col);
        if (!*sub || !strcasecmp(sub, "Response") ||
            !strcasecmp(sub, "Open-Ended Response"))
            return tether_xstrdup(carried(w, (size_t)e->col));
        return tether_xasprintf("%s - %s", carried(w, (size_t)e->col), sub);
    }
    case LAYOUT_PLAIN:
        break;
    }
    return tether_xstrdup(report_get(&w->hdr[0], e->col));
}

/* The numeric value of an answer: a number, "5 - It's extremely
 * important" as Google writes it, or one of the map's labels. 0, or -1. */
static int
answer_value(const struct map_entry *e, const char *v, double *out)
{
    if (tether_parse_double(v, out) == 0)
        return 0;
    const char *dash = strstr(v, " - ");
    if (dash) {
        char *num = tether_xstrndup(v, (size_t)(dash - v));
        int bad = tether_parse_double(num, out);
        free(num);
        if (!bad)
            return 0;
    }
    for (size_t k = 0; k < e->nlabels; k++) {
        if (tether_str_ieq_trim(v, e->labels[k].text)) {
            *out = e->labels[k].value;
            return 0;
        }
    }
    return -1;
}

static int
parse_submitted(const struct wide *w, const char *v, int64_t *ts)
{
    struct loctime t;
    if (loctime_parse(v, w->order, &t) || !t.has_date)
        return -1;
    if (!t.has_time && !t.has_offset) {
        /* A bare date: noon UTC of that day, as responses.csv does. */
        *ts = (int64_t)tether_days_from_civil(t.y, t.mo, t.d) * 86400 + 43200;
        return 0;
    }
    return loctime_to_utc(&t, w->zone, ts);
}

static int
data_row(struct wide *w, struct survey_store *ss, struct tether_csv *csv)
{
    struct import *imp = w->imp;
    long line = tether_csv_line(csv);
    const char *raw = tether_csv_raw(csv);
    const char *why;
    long bad = tether_csv_problem(csv, &why);
    imp->rows++;
    if (bad >= 0) {
        import_reject(imp, line, report_get(&w->hdr[0], bad), raw, "%s", why);
        return 0;
    }
    char *resp = tether_str_trim(
        tether_xstrdup(tether_csv_field(csv, (size_t)w->c_resp)));
    char *when = tether_str_trim(
        tether_xstrdup(tether_csv_field(csv, (size_t)w->c_sub)));
    int rc = 0;
    struct survey_answer a = {.respondent = resp, .pair_id = ""};
    if (!*resp) {
        import_reject(imp, line, w->h_resp, raw, "no respondent");
        goto out;
    }
    if (!person_lookup(imp, resp)) {
        import_reject(imp, line, w->h_resp, raw, "'%s' is not in the roster",
                      resp);
        goto out;
    }
    if (parse_submitted(w, when, &a.submitted_at)) {
        import_reject(imp, line, w->h_sub, raw,
                      "'%s' is not a date and time", when);
        goto out;
    }
    for (size_t k = 0; k < w->n; k++) {
        const struct map_entry *e = &w->e[k];
        if (e->role != ROLE_QUESTION)
            continue;
        char *v = tether_str_trim(
            tether_xstrdup(tether_csv_field(csv, (size_t)e->col)));
        if (!*v) {
            free(v); /* not answered */
            continue;
        }
        a.survey_id = e->survey_id;
        a.question_id = e->question_id;
        a.value = NAN;
        a.text = "";
        int scaled = !isnan(e->lo) || e->nlabels > 0 ||
                     !strcasecmp(e->construct,
                           tether_construct_names[TETHER_CONSTRUCT_NPS]);
        if (answer_value(e, v, &a.value)) {
            if (scaled) {
                import_reject(imp, line, e->header, raw,
                              "'%s' is not a number or a label of question "
                              "%s",
                              v, e->question_id);
                free(v);
                continue;
            }
            a.text = v; /* a free-text answer */
        }
        const char *column = NULL;
        char reason[WHY_LEN];
        int res = survey_store_answer(ss, &a, &column, reason);
        if (res > 0)
            import_reject(imp, line, e->header, raw, "%s", reason);
        free(v);
        if (res < 0) {
            rc = -1;
            goto out;
        }
    }
out:
    free(resp);
    free(when);
    return rc;
}

/* Pass one: the header rows, the layout, the columns and the order of the
 * submission dates. */
static int
first_pass(struct wide *w)
{
    struct import *imp = w->imp;
    struct tether_csv *csv = NULL;
    int got, nread = 0, rc = -1;
    if (table_open(imp, imp->path, 0, &csv, imp->errbuf))
        return -1;
    while (nread < 3 && (got = tether_csv_next(csv, imp->errbuf)) > 0)
        record_copy(&w->hdr[nread++], csv);
    if (nread == 0) {
        if (got == 0)
            snprintf(imp->errbuf, TETHER_ERRBUF, "%s: empty file, no header",
                     imp->path);
        goto out;
    }
    detect_layout(w, nread);
    if (resolve_columns(w))
        goto out;
    long dmy = 0, mdy = 0;
    for (int i = w->nheader; i < nread; i++) {
        enum date_order o =
            loctime_order_hint(report_get(&w->hdr[i], w->c_sub));
        dmy += o == DATE_ORDER_DMY;
        mdy += o == DATE_ORDER_MDY;
    }
    while ((got = tether_csv_next(csv, imp->errbuf)) > 0) {
        enum date_order o =
            loctime_order_hint(tether_csv_field(csv, (size_t)w->c_sub));
        dmy += o == DATE_ORDER_DMY;
        mdy += o == DATE_ORDER_MDY;
    }
    if (got < 0)
        goto out;
    /* Microsoft Forms and SurveyMonkey write US dates unless the values
     * prove otherwise. */
    w->order = date_order_choose(imp, DATE_ORDER_MDY, dmy, mdy);
    rc = 0;
out:
    tether_csv_close(csv);
    return rc;
}

/* Creates or updates the map's questions. Their counts are not the
 * export's rows, so they are kept out of the import's summary. */
static int
store_questions(struct wide *w, struct survey_store *ss)
{
    struct import *imp = w->imp;
    long saved[3] = {imp->loaded, imp->updated, imp->unchanged};
    int rc = 0;
    for (size_t k = 0; k < w->n && rc == 0; k++) {
        const struct map_entry *e = &w->e[k];
        if (e->role != ROLE_QUESTION)
            continue;
        char *text = question_text(w, e);
        struct survey_question q = {
            .survey_id = e->survey_id,
            .question_id = e->question_id,
            .text = text,
            .construct = e->construct,
            .scale_min = e->lo,
            .scale_max = e->hi,
        };
        const char *column = NULL;
        char why[WHY_LEN];
        int res = survey_store_question(ss, &q, &column, why);
        free(text);
        if (res > 0)
            snprintf(imp->errbuf, TETHER_ERRBUF, "%s:%ld: column %s: %s",
                     imp->opts->map, e->line, column ? column : "?", why);
        if (res != 0)
            rc = -1;
    }
    imp->loaded = saved[0];
    imp->updated = saved[1];
    imp->unchanged = saved[2];
    return rc;
}

int
wide_survey_load(struct import *imp)
{
    struct wide w = {.imp = imp};
    struct survey_store *ss = NULL;
    struct tether_csv *csv = NULL;
    int rc = -1, got;
    if (map_read(&w) || first_pass(&w))
        goto out;
    if (!(ss = survey_store_new(imp)) || store_questions(&w, ss))
        goto out;
    if (table_open(imp, imp->path, 0, &csv, imp->errbuf))
        goto out;
    tether_progress_start(&imp->progress, imp->path, tether_csv_size(csv),
                          imp->opts->quiet);
    for (int i = 0; i < w.nheader; i++)
        if ((got = tether_csv_next(csv, imp->errbuf)) < 0)
            goto out;
    tether_csv_readahead(csv); /* the answers are parsed on a second thread */
    while ((got = tether_csv_next(csv, imp->errbuf)) > 0) {
        if ((imp->rows & 1023) == 0)
            tether_progress_update(&imp->progress, tether_csv_pos(csv));
        if (data_row(&w, ss, csv))
            goto out;
    }
    if (got < 0 || survey_store_flush(ss))
        goto out;
    rc = 0;
out:
    tether_csv_close(csv);
    survey_store_free(ss);
    wide_free(&w);
    return rc;
}
