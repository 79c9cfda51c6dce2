/* output.c - a stored run printed for people (aligned text tables), for
 * spreadsheets (CSV) and for programs (JSON, SPEC 3.6). Everything is read
 * back from the run's stored result, so every format shows the same
 * figures and none can show what the analysis suppressed. */
#include "output.h"

#include <csv.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tether/analysis.h"
#include "tether/db.h"
#include "tether/util.h"
#include "tether/vocab.h"

#define JSON_FLAGS (JSON_REAL_PRECISION(12) | JSON_COMPACT)

/* --- cells ------------------------------------------------------------ */

/* The text of a JSON value in a cell; free() it. Text from the data is
 * marked when table is 0 (CSV) and it would start a formula. */
static char *
cell(json_t *v, int table)
{
    if (!v || json_is_null(v))
        return tether_xstrdup(table ? "-" : "");
    if (json_is_true(v))
        return tether_xstrdup(table ? "yes" : "true");
    if (json_is_false(v))
        return tether_xstrdup(table ? "no" : "false");
    if (json_is_integer(v))
        return tether_xasprintf("%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (table && (d == 0 || (fabs(d) >= 0.001 && fabs(d) < 1e6)))
            return tether_xasprintf("%.3f", d);
        return tether_xasprintf(table ? "%.3g" : "%.10g", d);
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (!table && strchr("=+-@\t\r", s[0]) && s[0])
            return tether_xasprintf("'%s", s);
        /* The table is read on a terminal: a name holding an escape
         * sequence must not be able to rewrite the screen. */
        if (table)
            return tether_str_escape_controls(s);
        return tether_xstrdup(s);
    }
    if (json_is_object(v)) { /* counts: "1:0;2:3" */
        struct tether_buf b = {0};
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x)
        {
            tether_buf_printf(&b, "%s%s:%lld", b.len ? ";" : "", k,
                              (long long)json_integer_value(x));
        }
        if (!b.data)
            return tether_xstrdup("");
        return b.data;
    }
    return json_dumps(v, JSON_FLAGS | JSON_ENCODE_ANY);
}

/* A table collected row by row, printed aligned or as CSV. */
struct table {
    const char *name;
    size_t ncols, nrows;
    char **cells; /* row-major, header first */
};

static void
table_start(struct table *t, const char *name, const char *const *cols)
{
    memset(t, 0, sizeof(*t));
    t->name = name;
    while (cols[t->ncols])
        t->ncols++;
    t->cells = tether_xcalloc(t->ncols, sizeof(char *));
    for (size_t i = 0; i < t->ncols; i++)
        t->cells[i] = tether_xstrdup(cols[i]);
    t->nrows = 1;
}

/* table_start with columns named by the vocabulary. */
static void
table_start_m(struct table *t, const char *name,
              const enum tether_metric *cols, size_t n)
{
    const char **names = tether_xcalloc(n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        names[i] = tether_metric_names[cols[i]];
    table_start(t, name, names);
    free(names);
}

/* Adds a row of obj's fields named by the header. */
static void
table_row(struct table *t, json_t *obj, int table)
{
    t->cells = tether_xrealloc(t->cells, (t->nrows + 1) * t->ncols *
                                             sizeof(char *));
    char **row = t->cells + t->nrows * t->ncols;
    for (size_t i = 0; i < t->ncols; i++)
        row[i] = cell(json_object_get(obj, t->cells[i]), table);
    t->nrows++;
}

static void
csv_cell(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\r\n"))
        csv_fwrite(out, s, strlen(s));
    else
        fputs(s, out);
}

static void
table_print(FILE *out, struct table *t, int table, int *first)
{
    if (!*first)
        fputc('\n', out);
    *first = 0;
    if (!table) {
        for (size_t r = 0; r < t->nrows; r++) {
            csv_cell(out, r ? t->name : "table");
            for (size_t i = 0; i < t->ncols; i++) {
                fputc(',', out);
                csv_cell(out, t->cells[r * t->ncols + i]);
            }
            fputc('\n', out);
        }
        return;
    }
    size_t *w = tether_xcalloc(t->ncols, sizeof(size_t));
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t i = 0; i < t->ncols; i++) {
            size_t n = strlen(t->cells[r * t->ncols + i]);
            if (n > w[i])
                w[i] = n;
        }
    fprintf(out, "%s\n", t->name);
    for (size_t r = 0; r < t->nrows; r++) {
        /* Labels left, figures right, the last column without padding. */
        for (size_t i = 0; i < t->ncols; i++) {
            const char *s = t->cells[r * t->ncols + i];
            if (i == 0)
                fprintf(out, "%-*s", t->ncols > 1 ? (int)w[i] : 0, s);
            else
                fprintf(out, "  %*s", (int)w[i], s);
        }
        fputc('\n', out);
    }
    free(w);
}

static void
table_free(struct table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
}

/* --- reading a run ---------------------------------------------------- */

static json_t *
load_result(sqlite3 *db, int64_t run, char *errbuf)
{
    sqlite3_stmt *st;
    json_t *res = NULL;
    if (tether_db_prepare(db, "SELECT result FROM runs WHERE id = ?1", &st,
                          errbuf))
        return NULL;
    sqlite3_bind_int64(st, 1, run);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
        json_error_t e;
        res = json_loads((const char *)sqlite3_column_text(st, 0), 0, &e);
        if (!res)
            snprintf(errbuf, TETHER_ERRBUF, "run %lld: %s", (long long)run,
                     e.text);
    } else {
        snprintf(errbuf, TETHER_ERRBUF, "run %lld has no result",
                 (long long)run);
    }
    sqlite3_finalize(st);
    return res;
}

/* The figures of a run's pairs, and the FROM of both queries below. */
#define PAIR_FIGURES                                                         \
    "h.status, p.started_on, p.ended_on, p.cadence_days, h.days_active, "    \
    "h.meetings, h.minutes, h.contacts, h.last_meeting, h.last_contact, "    \
    "h.days_quiet, h.cadence_adherence, h.engagement, h.bridge, "            \
    "h.tz_gap_hours, h.overlap_hours, h.off_hours, h.off_hours_mentor, "     \
    "h.off_hours_mentee, h.in_person_share, h.impromptu_share, "             \
    "h.summary_rate, h.between_contacts, h.mentee_initiated "
#define PAIRS_OF_RUN                                                         \
    "FROM pair_health h JOIN pairs p ON p.id = h.pair "                      \
    "JOIN people m ON m.id = p.mentor JOIN people e ON e.id = p.mentee "     \
    "WHERE h.run = ?1 "

static const char pairs_sql[] =
    "SELECT p.pair_id, p.program, m.person_id AS mentor, "
    "m.name AS mentor_name, m.email AS mentor_email, e.person_id AS mentee, "
    "e.name AS mentee_name, e.email AS mentee_email, " PAIR_FIGURES
    PAIRS_OF_RUN;

/* pairs_sql without the names and e-mails, which the JSON leaves in the
 * pairs list: the sort by pair_id then carries smaller rows. */
static const char pairs_json_sql[] =
    "SELECT p.pair_id, p.program, m.person_id AS mentor, "
    "e.person_id AS mentee, " PAIR_FIGURES PAIRS_OF_RUN "ORDER BY p.pair_id";

/* The current row of a pairs_sql statement as a JSON object. */
static json_t *
pair_object(sqlite3_stmt *st)
{
    json_t *o = json_object();
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(st, i);
        json_t *v;
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_INTEGER:
            if (strcmp(name, "bridge") == 0)
                v = json_boolean(sqlite3_column_int(st, i));
            else
                v = json_integer(sqlite3_column_int64(st, i));
            break;
        case SQLITE_FLOAT:
            v = json_real(sqlite3_column_double(st, i));
            break;
        case SQLITE_NULL:
            v = json_null();
            break;
        default:
            v = json_string((const char *)sqlite3_column_text(st, i));
            break;
        }
        json_object_set_new(o, name, v);
    }
    return o;
}

/* s as a JSON string, escaped as jansson escapes it. */
static void
json_str(struct tether_buf *b, const char *s)
{
    tether_buf_addc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            tether_buf_adds(b, "\\\"");
            break;
        case '\\':
            tether_buf_adds(b, "\\\\");
            break;
        case '\b':
            tether_buf_adds(b, "\\b");
            break;
        case '\f':
            tether_buf_adds(b, "\\f");
            break;
        case '\n':
            tether_buf_adds(b, "\\n");
            break;
        case '\r':
            tether_buf_adds(b, "\\r");
            break;
        case '\t':
            tether_buf_adds(b, "\\t");
            break;
        default:
            if (*p < 0x20)
                tether_buf_printf(b, "\\u%04X", *p);
            else
                tether_buf_addc(b, (char)*p);
        }
    }
    tether_buf_addc(b, '"');
}

/* v in decimal, the text of "%lld", without printf's format parsing: it
 * runs for every integer of every pair. */
static void
json_int_str(struct tether_buf *b, long long v)
{
    char t[24];
    size_t i = sizeof(t);
    /* The magnitude as unsigned, so LLONG_MIN negates without overflow. */
    unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v
                                 : (unsigned long long)v;
    do {
        t[--i] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    if (v < 0)
        t[--i] = '-';
    tether_buf_add(b, t + i, sizeof(t) - i);
}

/* a (from 1e-4 up to 1e11) as %.12g writes it, without printf's exact
 * conversion, which cost a quarter of printing half a million pairs. For
 * those a, %.12g is a rounded to 11 - X decimals, X its decimal exponent
 * (after the rounding), trailing zeros dropped: the digits are the
 * integer nearest to y = a * 10^(11 - X), which is below 10^12 < 2^40, so
 * the one rounding of that product is off by at most 2^-14; unless y lies
 * within 1/1024 of a half (a tie, or too close to tell), the nearest
 * integer of the product is that of the exact value. 0 when it cannot
 * tell or a is out of that range (the caller asks printf), 1 when the
 * text has no decimal point, 2 when it has one. */
static int
twelve_digits(struct tether_buf *b, double v)
{
    static const double p10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,
                                 1e6, 1e7, 1e8,  1e9,  1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16};
    double a = fabs(v);
    if (!(a >= 1e-4 && a < 1e11))
        return 0;
    static const double low[] = {1e-4, 1e-3, 1e-2, 1e-1}; /* 10^(i - 4) */
    int x = -4; /* 10^x <= a, but for a double just below a power */
    while (x < 10 && a >= (x < -1 ? low[x + 5] : p10[x + 1]))
        x++;
    double n = -1;
    for (int tries = 0; tries < 3 && n < 0; tries++) {
        if (x < -4)
            return 0; /* %g's exponent style */
        double y = a * p10[11 - x];
        if (y >= 1e12) {
            x++;
            continue;
        }
        if (y < 1e11 - 1) {
            x--;
            continue;
        }
        double fl = floor(y), fr = y - fl;
        if (fabs(fr - 0.5) < 1.0 / 1024)
            return 0;
        double r = fr > 0.5 ? fl + 1 : fl;
        if (r < 1e11) {
            x--;
            continue;
        }
        if (r >= 1e12) { /* rounded up to the next power of ten */
            r = 1e11;
            x++;
        }
        n = r;
    }
    if (n < 0)
        return 0;
    char d[12];
    unsigned long long u = (unsigned long long)n;
    for (int i = 11; i >= 0; i--) {
        d[i] = (char)('0' + u % 10);
        u /= 10;
    }
    int end = 12; /* the digits kept: trailing zeros of the fraction go */
    int point = x >= 0 ? x + 1 : 0; /* digits before the point */
    while (end > point && d[end - 1] == '0')
        end--;
    if (v < 0)
        tether_buf_addc(b, '-');
    if (x >= 0) {
        tether_buf_add(b, d, (size_t)point);
        if (end == point)
            return 1;
        tether_buf_addc(b, '.');
        tether_buf_add(b, d + point, (size_t)(end - point));
        return 2;
    }
    tether_buf_adds(b, "0.");
    for (int i = x + 1; i < 0; i++)
        tether_buf_addc(b, '0');
    tether_buf_add(b, d, (size_t)end);
    return 2;
}

/* A real as jansson writes it with JSON_REAL_PRECISION(12): %.12g, with a
 * ".0" when that reads as an integer and the exponent without '+' or
 * leading zeros. */
static void
json_real_str(struct tether_buf *b, double v)
{
    int shortcut = twelve_digits(b, v);
    if (shortcut) {
        if (shortcut == 1)
            tether_buf_adds(b, ".0");
        return;
    }
    char t[40];
    snprintf(t, sizeof(t), "%.12g", v);
    char *e = strchr(t, 'e');
    if (!e) {
        tether_buf_adds(b, t);
        if (!strchr(t, '.'))
            tether_buf_adds(b, ".0");
        return;
    }
    tether_buf_add(b, t, (size_t)(e - t + 1));
    const char *x = e + 1;
    if (*x == '-')
        tether_buf_addc(b, *x++);
    else if (*x == '+')
        x++;
    while (*x == '0' && x[1])
        x++;
    tether_buf_adds(b, x);
}

/* What pair_json writes of each column of a pairs_sql statement, worked
 * out once from the column names instead of once per pair. */
enum pair_col { PC_SKIP, PC_VALUE, PC_BRIDGE };

struct pair_keys {
    int n;
    enum pair_col *kind;
    struct tether_buf *key; /* the escaped name and ':', after a ',' but
                               for the first column written */
};

static void
pair_keys_init(struct pair_keys *k, sqlite3_stmt *st)
{
    k->n = sqlite3_column_count(st);
    k->kind = tether_xcalloc((size_t)k->n + 1, sizeof(*k->kind));
    k->key = tether_xcalloc((size_t)k->n + 1, sizeof(*k->key));
    int first = 1;
    for (int i = 0; i < k->n; i++) {
        const char *name = sqlite3_column_name(st, i);
        /* The names and e-mails stay in the pairs list. */
        if (strcmp(name, "mentor_name") == 0 ||
            strcmp(name, "mentor_email") == 0 ||
            strcmp(name, "mentee_name") == 0 ||
            strcmp(name, "mentee_email") == 0) {
            k->kind[i] = PC_SKIP;
            continue;
        }
        k->kind[i] = strcmp(name, "bridge") == 0 ? PC_BRIDGE : PC_VALUE;
        if (!first)
            tether_buf_addc(&k->key[i], ',');
        first = 0;
        json_str(&k->key[i], name);
        tether_buf_addc(&k->key[i], ':');
    }
}

static void
pair_keys_free(struct pair_keys *k)
{
    for (int i = 0; i < k->n; i++)
        tether_buf_free(&k->key[i]);
    free(k->key);
    free(k->kind);
}

/* The current row of a pairs_sql statement as one compact JSON object in
 * b, without the names and e-mails: the same text as pair_object dumped,
 * written directly for half a million pairs. */
static void
pair_json(struct tether_buf *b, sqlite3_stmt *st, const struct pair_keys *k)
{
    tether_buf_reset(b);
    tether_buf_addc(b, '{');
    for (int i = 0; i < k->n; i++) {
        if (k->kind[i] == PC_SKIP)
            continue;
        tether_buf_add(b, k->key[i].data, k->key[i].len);
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_INTEGER:
            if (k->kind[i] == PC_BRIDGE)
                tether_buf_adds(b, sqlite3_column_int(st, i) ? "true"
                                                             : "false");
            else
                json_int_str(b, sqlite3_column_int64(st, i));
            break;
        case SQLITE_FLOAT:
            json_real_str(b, sqlite3_column_double(st, i));
            break;
        case SQLITE_NULL:
            tether_buf_adds(b, "null");
            break;
        default:
            json_str(b, (const char *)sqlite3_column_text(st, i));
            break;
        }
    }
    tether_buf_addc(b, '}');
}

static const char *const pair_cols[] = {
    "pair_id", "program", "mentor", "mentee", "status", "days_active",
    "meetings", "minutes", "contacts", "last_meeting", "last_contact",
    "days_quiet", "cadence_adherence", "engagement",
    "bridge", "tz_gap_hours", "overlap_hours", "off_hours",
    "off_hours_mentor", "off_hours_mentee", "in_person_share",
    "impromptu_share", "summary_rate", "between_contacts",
    "mentee_initiated", NULL};
/* The inclusion table on a terminal: two narrower tables. */
static const enum tether_metric part_cols_table[] = {
    TETHER_M_DIMENSION,
    TETHER_M_SEGMENT,
    TETHER_M_HEADCOUNT,
    TETHER_M_PARTICIPANTS,
    TETHER_M_PARTICIPATION_RATE,
    TETHER_M_PARTICIPATION_RATE_CI_LOW,
    TETHER_M_PARTICIPATION_RATE_CI_HIGH,
    TETHER_M_REFERENCE,
    TETHER_M_INCLUSION_RATIO,
    TETHER_M_FLAGGED,
    TETHER_M_SHORTFALL,
    TETHER_M_P_VALUE,
    TETHER_M_P_TEST,
    TETHER_M_MENTEE_RATE,
    TETHER_M_MENTEE_RATIO,
    TETHER_M_MENTOR_RATE,
    TETHER_M_MENTOR_RATIO,
};
static const enum tether_metric health_cols_table[] = {
    TETHER_M_DIMENSION,
    TETHER_M_SEGMENT,
    TETHER_M_PAIRS,
    TETHER_M_MEETINGS_PER_PAIR_MONTH,
    TETHER_M_MEDIAN_DAYS_QUIET,
    TETHER_M_QUIET_SHARE,
    TETHER_M_MEAN_ENGAGEMENT,
    TETHER_M_BRIDGE_SHARE,
    TETHER_M_MENTEE_CHOSE_SHARE,
    TETHER_M_OFF_HOURS_SHARE,
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
static const char *const trend_cols[] = {"period", "figure", "segment",
                                         "value", NULL};
static const char *const summary_cols[] = {"figure", "value", NULL};

static void
trend_fig(struct table *t, json_t *period, const char *fig,
          const char *seg, json_t *v, int table)
{
    json_t *o = json_object();
    json_object_set(o, "period", period);
    json_object_set_new(o, "figure", json_string(fig));
    json_object_set_new(o, tether_metric_names[TETHER_M_SEGMENT],
                        seg ? json_string(seg) : json_null());
    json_object_set(o, "value", v);
    table_row(t, o, table);
    json_decref(o);
}

static void
summary_fig(struct table *t, const char *fig, json_t *v, int table)
{
    json_t *o = json_object();
    json_object_set_new(o, "figure", json_string(fig));
    json_object_set(o, "value", v);
    table_row(t, o, table);
    json_decref(o);
}

/* The tables of print_tables, each printed as it is made; first is 1
 * until a table has been printed. */
static void
print_summary(FILE *out, json_t *res, int table, int *first)
{
    struct table t;
    /* Summary. */
    table_start(&t, "summary", summary_cols);
    json_t *sum = json_object_get(res, "summary");
    summary_fig(&t, tether_metric_names[TETHER_M_PAIRS], json_object_get(sum, tether_metric_names[TETHER_M_PAIRS]), table);
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(sum, "status"), k, v)
    {
        char *name = tether_xasprintf("pairs %s", k);
        summary_fig(&t, name, v, table);
        free(name);
    }
    static const enum tether_metric sum_figs[] = {
        TETHER_M_MEETINGS_PER_PAIR_MONTH, TETHER_M_MEAN_ENGAGEMENT};
    for (size_t i = 0; i < NELEM(sum_figs); i++) {
        const char *fig = tether_metric_names[sum_figs[i]];
        summary_fig(&t, fig, json_object_get(sum, fig), table);
    }
    table_print(out, &t, table, first);
    table_free(&t);
}

static int
print_pairs(FILE *out, sqlite3 *db, int64_t run, int table, int *first,
            char *errbuf)
{
    struct table t;
    /* Pairs: every pair in CSV; on a terminal they would bury the
     * figures (SPEC 5), so `tether-analyze pairs` lists them. */
    if (!table) {
        sqlite3_stmt *st;
        char *sql = tether_xasprintf("%sORDER BY p.pair_id", pairs_sql);
        int rc = tether_db_prepare(db, sql, &st, errbuf);
        free(sql);
        if (rc)
            return -1;
        sqlite3_bind_int64(st, 1, run);
        table_start(&t, "pairs", pair_cols);
        while (sqlite3_step(st) == SQLITE_ROW) {
            json_t *o = pair_object(st);
            table_row(&t, o, table);
            json_decref(o);
        }
        sqlite3_finalize(st);
        table_print(out, &t, table, first);
        table_free(&t);
    }
    return 0;
}

static void
print_inclusion(FILE *out, json_t *res, int table, int *first)
{
    struct table t;
    const char *k;
    /* Inclusion: one table in CSV, two narrower ones on a terminal. */
    for (int part = 0; part < (table ? 2 : 1); part++) {
        const char *name = table ? (part ? "pair health by mentee segment"
                                         : "participation")
                                 : "inclusion";
        if (!table)
            table_start_m(&t, name, tether_inclusion_cols,
                          TETHER_INCLUSION_NCOLS);
        else if (part)
            table_start_m(&t, name, health_cols_table,
                          NELEM(health_cols_table));
        else
            table_start_m(&t, name, part_cols_table, NELEM(part_cols_table));
        json_t *list;
        json_object_foreach(json_object_get(res, "inclusion"), k, list)
        {
            size_t i;
            json_t *seg;
            json_array_foreach(list, i, seg)
            {
                json_t *o = json_deep_copy(seg);
                json_object_set_new(o, tether_metric_names[TETHER_M_DIMENSION],
                                    json_string(k));
                table_row(&t, o, table);
                json_decref(o);
            }
        }
        table_print(out, &t, table, first);
        table_free(&t);
    }
}

static void
print_surveys(FILE *out, json_t *res, int table, int *first)
{
    struct table t;
    size_t i;
    json_t *seg;
    table_start_m(&t, "surveys", tether_survey_cols, TETHER_SURVEY_NCOLS);
    json_array_foreach(json_object_get(res, "surveys"), i, seg)
        table_row(&t, seg, table);
    table_print(out, &t, table, first);
    table_free(&t);

    table_start_m(&t, "survey_comparisons", tether_comparison_cols,
                  TETHER_COMPARISON_NCOLS);
    json_array_foreach(json_object_get(res, "survey_comparisons"), i, seg)
        table_row(&t, seg, table);
    table_print(out, &t, table, first);
    table_free(&t);
}

static void
print_trend(FILE *out, json_t *res, int table, int *first)
{
    struct table t;
    size_t i;
    const char *k;
    json_t *v;
    json_t *trend = json_object_get(res, "trend");
    if (trend) {
        table_start(&t, "trend", trend_cols);
        json_t *h;
        json_array_foreach(trend, i, h)
        {
            json_t *label =
                json_object_get(json_object_get(h, "period"), "label");
            trend_fig(&t, label, tether_metric_names[TETHER_M_PAIRS], NULL,
                      json_object_get(h, tether_metric_names[TETHER_M_PAIRS]), table);
            json_object_foreach(json_object_get(h, "status"), k, v)
                trend_fig(&t, label, "pairs by status", k, v, table);
            const char *mpm = tether_metric_names[TETHER_M_MEETINGS_PER_PAIR_MONTH];
            trend_fig(&t, label, mpm, NULL, json_object_get(h, mpm), table);
            size_t j;
            json_t *x;
            json_array_foreach(json_object_get(h, "participation"), j, x)
            {
                const char *s = json_string_value(
                    json_object_get(x, tether_metric_names[TETHER_M_SEGMENT]));
                const char *rate = tether_metric_names[TETHER_M_PARTICIPATION_RATE],
                           *ratio = tether_metric_names[TETHER_M_INCLUSION_RATIO];
                trend_fig(&t, label, rate, s, json_object_get(x, rate), table);
                trend_fig(&t, label, ratio, s, json_object_get(x, ratio),
                          table);
            }
            json_array_foreach(json_object_get(h, "survey_means"), j, x)
            {
                if (json_is_true(json_object_get(x, tether_metric_names[TETHER_M_SUPPRESSED])))
                    continue;
                char *fig = tether_xasprintf(
                    "%s mean",
                    json_string_value(json_object_get(x, tether_metric_names[TETHER_M_CONSTRUCT])));
                trend_fig(&t, label, fig,
                          json_string_value(json_object_get(x, tether_metric_names[TETHER_M_SEGMENT])),
                          json_object_get(x, tether_metric_names[TETHER_M_MEAN]), table);
                free(fig);
            }
        }
        table_print(out, &t, table, first);
        table_free(&t);
    }
}

static int
print_tables(FILE *out, sqlite3 *db, int64_t run, json_t *res, int table,
             char *errbuf)
{
    int first = 1;
    json_t *period = json_object_get(res, "period");
    if (table)
        fprintf(out, "tether analysis %s: %s to %s (as of %s)\n\n",
                json_string_value(json_object_get(period, "label")),
                json_string_value(json_object_get(period, "start")),
                json_string_value(json_object_get(period, "end")),
                json_string_value(json_object_get(period, "as_of")));
    print_summary(out, res, table, &first);
    if (print_pairs(out, db, run, table, &first, errbuf))
        return -1;
    print_inclusion(out, res, table, &first);
    print_surveys(out, res, table, &first);
    print_trend(out, res, table, &first);
    return 0;
}

static int
print_json(FILE *out, sqlite3 *db, int64_t run, json_t *res, char *errbuf)
{
    /* The pairs are streamed from the database one object at a time, so a
     * half-million-pair organisation never sits in memory as JSON. */
    fputs("{\"period\": ", out);
    json_dumpf(json_object_get(res, "period"), out, JSON_FLAGS);
    fputs(",\n\"pairs\": [", out);
    sqlite3_stmt *st;
    if (tether_db_prepare(db, pairs_json_sql, &st, errbuf))
        return -1;
    sqlite3_bind_int64(st, 1, run);
    int n = 0;
    struct tether_buf b = {0};
    struct pair_keys keys;
    pair_keys_init(&keys, st);
    while (sqlite3_step(st) == SQLITE_ROW) {
        fputs(n++ ? ",\n  " : "\n  ", out);
        pair_json(&b, st, &keys);
        fwrite(b.data, 1, b.len, out);
    }
    pair_keys_free(&keys);
    tether_buf_free(&b);
    sqlite3_finalize(st);
    fputs("\n]", out);
    tether_analysis_phase("print: the pairs");
    const char *k;
    json_t *v;
    json_object_foreach(res, k, v)
    {
        if (strcmp(k, "period") == 0)
            continue;
        fprintf(out, ",\n\"%s\": ", k);
        json_dumpf(v, out, JSON_FLAGS);
    }
    fputs("}\n", out);
    return 0;
}

int
output_run(FILE *out, sqlite3 *db, int64_t run, enum output_format fmt,
           char *errbuf)
{
    json_t *res = load_result(db, run, errbuf);
    if (!res)
        return -1;
    tether_analysis_phase("print: read the result");
    int rc = fmt == OUT_JSON ? print_json(out, db, run, res, errbuf)
                             : print_tables(out, db, run, res,
                                            fmt == OUT_TABLE, errbuf);
    json_decref(res);
    return rc;
}

static const char *const list_cols[] = {
    "pair_id", "program", "status", "days_quiet", "last_meeting",
    "last_contact", "mentor_name", "mentor_email", "mentee_name",
    "mentee_email", NULL};

int
output_pairs(FILE *out, sqlite3 *db, int64_t run,
             const char *const *statuses, enum output_format fmt,
             char *errbuf)
{
    /* The statuses are bound as one JSON array, so no SQL is built from
     * the user's words. */
    json_t *arr = json_array();
    for (size_t i = 0; statuses[i]; i++)
        json_array_append_new(arr, json_string(statuses[i]));
    char *list = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    char *sql = tether_xasprintf(
        "%sAND h.status IN (SELECT value FROM json_each(?2)) "
        "ORDER BY h.days_quiet DESC, p.pair_id",
        pairs_sql);
    sqlite3_stmt *st;
    int rc = tether_db_prepare(db, sql, &st, errbuf);
    free(sql);
    if (rc) {
        free(list);
        return -1;
    }
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_text(st, 2, list, -1, SQLITE_TRANSIENT);
    free(list);
    struct table t;
    int first = 1, n = 0;
    if (fmt == OUT_JSON)
        fputs("[", out);
    else
        table_start(&t, "pairs to follow up", list_cols);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *o = pair_object(st);
        if (fmt == OUT_JSON) {
            json_t *x = json_object();
            for (size_t i = 0; list_cols[i]; i++)
                json_object_set(x, list_cols[i],
                                json_object_get(o, list_cols[i]));
            fputs(n++ ? ",\n  " : "\n  ", out);
            json_dumpf(x, out, JSON_FLAGS);
            json_decref(x);
        } else {
            table_row(&t, o, fmt == OUT_TABLE);
        }
        json_decref(o);
    }
    sqlite3_finalize(st);
    if (fmt == OUT_JSON) {
        fputs(n ? "\n]\n" : "]\n", out);
    } else {
        if (fmt == OUT_CSV)
            t.name = "follow_up";
        table_print(out, &t, fmt == OUT_TABLE, &first);
        table_free(&t);
    }
    return 0;
}

/* --- impact (SPEC 3.7) ------------------------------------------------ */

/* The columns of the impact tables (SPEC 3.7), as the vocabulary names
 * them; TETHER_M_COUNT ends a list. */
static const enum tether_metric imp_retention_cols[] = {
    TETHER_M_DIMENSION, TETHER_M_SEGMENT, TETHER_M_GROUP, TETHER_M_N,
    TETHER_M_RETAINED, TETHER_M_RETENTION_RATE, TETHER_M_CI_LOW,
    TETHER_M_CI_HIGH, TETHER_M_DIFF, TETHER_M_P_VALUE, TETHER_M_P_TEST,
    TETHER_M_SMALL, TETHER_M_COUNT};
static const enum tether_metric imp_promotion_cols[] = {
    TETHER_M_DIMENSION, TETHER_M_SEGMENT, TETHER_M_GROUP, TETHER_M_N,
    TETHER_M_PROMOTED, TETHER_M_PROMOTION_RATE, TETHER_M_CI_LOW,
    TETHER_M_CI_HIGH, TETHER_M_DIFF, TETHER_M_P_VALUE, TETHER_M_P_TEST,
    TETHER_M_SMALL, TETHER_M_COUNT};
static const enum tether_metric imp_matched_cols[] = {
    TETHER_M_DIMENSION, TETHER_M_SEGMENT, TETHER_M_MATCHED_N,
    TETHER_M_MATCHED_MENTORED_RATE, TETHER_M_MATCHED_COMPARISON_RATE,
    TETHER_M_ODDS_RATIO, TETHER_M_OR_CI_LOW, TETHER_M_OR_CI_HIGH,
    TETHER_M_P_VALUE, TETHER_M_SMALL, TETHER_M_COUNT};
static const enum tether_metric imp_survival_cols[] = {
    TETHER_M_DIMENSION, TETHER_M_SEGMENT, TETHER_M_PAIRS, TETHER_M_EVENTS,
    TETHER_M_MEDIAN_DAYS, TETHER_M_SURVIVAL_90, TETHER_M_SURVIVAL_180,
    TETHER_M_SURVIVAL_365, TETHER_M_SMALL, TETHER_M_COUNT};
static const enum tether_metric imp_test_cols[] = {
    TETHER_M_TEST, TETHER_M_REMOTE_PAIRS, TETHER_M_OFFICE_PAIRS,
    TETHER_M_P_VALUE, TETHER_M_HAZARD_RATIO, TETHER_M_SMALL,
    TETHER_M_COUNT};
static const enum tether_metric imp_practice_cols[] = {
    TETHER_M_PRACTICE, TETHER_M_SCOPE, TETHER_M_FOLLOWED_PAIRS,
    TETHER_M_FOLLOWED_EVENTS, TETHER_M_FOLLOWED_SURVIVAL_180,
    TETHER_M_NOT_FOLLOWED_PAIRS, TETHER_M_NOT_FOLLOWED_EVENTS,
    TETHER_M_NOT_FOLLOWED_SURVIVAL_180, TETHER_M_P_VALUE, TETHER_M_P_HOLM,
    TETHER_M_HAZARD_RATIO, TETHER_M_SMALL, TETHER_M_COUNT};

/* Prints one impact table: imp's list `list`, the columns cols. */
static void
impact_table(FILE *out, json_t *imp, enum tether_metric list,
             const enum tether_metric *cols, int table, int *first)
{
    const char *names[24];
    size_t n = 0;
    for (; cols[n] != TETHER_M_COUNT && n < 23; n++)
        names[n] = tether_metric_names[cols[n]];
    names[n] = NULL;
    struct table t;
    table_start(&t, tether_metric_names[list], names);
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(imp, tether_metric_names[list]), i,
                       row) table_row(&t, row, table);
    table_print(out, &t, table, first);
    table_free(&t);
}

int
output_impact(FILE *out, sqlite3 *db, int64_t run, enum output_format fmt,
              char *errbuf)
{
    json_t *res = load_result(db, run, errbuf);
    if (!res)
        return -1;
    json_t *imp = json_object_get(res, "impact");
    if (!imp) {
        snprintf(errbuf, TETHER_ERRBUF, "run %lld has no impact",
                 (long long)run);
        json_decref(res);
        return -1;
    }
    if (fmt == OUT_JSON) {
        fputs("{\"period\": ", out);
        json_dumpf(json_object_get(res, "period"), out, JSON_FLAGS);
        fputs(",\n\"impact\": ", out);
        json_dumpf(imp, out, JSON_FLAGS);
        fputs("}\n", out);
        json_decref(res);
        return 0;
    }
    int table = fmt == OUT_TABLE, first = 1;
    if (table) {
        json_t *period = json_object_get(res, "period");
        fprintf(out,
                "tether impact %s: as of %s, baseline %s (%lld days "
                "before)\n",
                json_string_value(json_object_get(period, "label")),
                json_string_value(json_object_get(period, "as_of")),
                json_string_value(json_object_get(
                    imp, tether_metric_names[TETHER_M_BASELINE])),
                (long long)json_integer_value(json_object_get(
                    imp, tether_metric_names[TETHER_M_HORIZON])));
        size_t i;
        json_t *note;
        json_array_foreach(
            json_object_get(imp, tether_metric_names[TETHER_M_NOTES]), i,
            note)
            fprintf(out, "%s\n", json_string_value(note));
        fputc('\n', out);
    }
    impact_table(out, imp, TETHER_M_RETENTION, imp_retention_cols, table,
                 &first);
    impact_table(out, imp, TETHER_M_RETENTION_MATCHED, imp_matched_cols,
                 table, &first);
    if (json_is_array(json_object_get(
            imp, tether_metric_names[TETHER_M_PROMOTION]))) {
        impact_table(out, imp, TETHER_M_PROMOTION, imp_promotion_cols, table,
                     &first);
        impact_table(out, imp, TETHER_M_PROMOTION_MATCHED, imp_matched_cols,
                     table, &first);
    }
    impact_table(out, imp, TETHER_M_SURVIVAL, imp_survival_cols, table,
                 &first);
    impact_table(out, imp, TETHER_M_SURVIVAL_TESTS, imp_test_cols, table,
                 &first);
    impact_table(out, imp, TETHER_M_PRACTICES, imp_practice_cols, table,
                 &first);
    json_decref(res);
    return 0;
}
