/* report.h - tether-report's modules: the stored analysis run being
 * reported (model.c), and side by side over it the renderers: the findings
 * as sentences (findings.c), text layout (text.c), the charts (charts.c),
 * the workbook (xlsx.c), the PDF report (pdf.c) and the CSV exports
 * (csv_export.c). Every renderer reads the run through this interface
 * only. */
#ifndef TETHER_REPORT_H
#define TETHER_REPORT_H

#include <cairo.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <xlsxwriter.h>

#include "tether/util.h"
#include "tether/vocab.h"

/* How a value is shown: the workbook picks a cell format, the CSV a
 * spelling, from it. */
enum report_kind {
    RK_TEXT,  /* text from the data: always written as text */
    RK_INT,   /* a count */
    RK_NUM,   /* a measure with decimals */
    RK_SHARE, /* a fraction shown as a percentage */
    RK_DATE,  /* a date (YYYY-MM-DD in the database) */
    RK_BOOL   /* yes or no */
};

struct report_cell {
    enum report_kind kind;
    int null;         /* unknown, or suppressed */
    double num;       /* RK_INT, RK_NUM, RK_SHARE, RK_BOOL; RK_DATE: day */
    const char *text; /* RK_TEXT */
};

#define REPORT_QUIET_BINS 13 /* 12 bins of 15 days, then 180+ */
#define REPORT_QUIET_BINW 15

/* Figures gathered from the database once, for the charts, the summary and
 * the PDF: all of them small, whatever the number of pairs. */
struct report_facts {
    long pairs;                                   /* active pairs */
    /* [enum tether_mode][enum tether_status]; mode TETHER_MODE_COUNT:
     * unknown */
    long status[TETHER_MODE_COUNT + 1][TETHER_STATUS_COUNT];
    long quiet_bins[REPORT_QUIET_BINS];
    long quiet_unknown;     /* pairs without days_quiet */
    int cadence;            /* the most common cadence, for the marks */
    long hour_mentor[24], hour_mentee[24];
    long hours_unknown;     /* meetings without a usable zone */
    /* per mentee work mode: pairs, mean tz gap, mean overlap, pairs with
     * no overlap, meetings, off-hours meetings for each side */
    long tz_pairs[TETHER_MODE_COUNT + 1];
    double tz_gap_sum[TETHER_MODE_COUNT + 1], overlap_sum[TETHER_MODE_COUNT + 1];
    long tz_gap_n[TETHER_MODE_COUNT + 1], overlap_n[TETHER_MODE_COUNT + 1];
    long no_overlap[TETHER_MODE_COUNT + 1];
    long tz_meetings[TETHER_MODE_COUNT + 1], off_mentor[TETHER_MODE_COUNT + 1],
        off_mentee[TETHER_MODE_COUNT + 1], off_any[TETHER_MODE_COUNT + 1];
    long imports, rejects;
    /* per mentee work mode: contacts between the meetings (SPEC 1.3a)
     * and those the mentee began */
    long between[TETHER_MODE_COUNT + 1], between_mentee[TETHER_MODE_COUNT + 1];
};

struct report {
    sqlite3 *db;
    int64_t run;
    json_t *result; /* runs.result */
    json_t *params; /* runs.params (an empty object when unreadable) */
    char created_at[40];
    int64_t created_ts; /* the run's creation, Unix seconds: the outputs'
                           fixed creation date */
    char start[11], end[11]; /* the period; end is as_of */
    char label[48];          /* file name part: 2026Q3 */
    double at_risk_factor, inactive_factor;
    int min_group;
    int reasonable_start, reasonable_end; /* minutes after midnight */
    int anonymize;
    uint64_t key[2]; /* pseudonym key */
    struct report_facts facts;
};

/* Loads run `run` from db (which the caller keeps open and closes after
 * report_close) and gathers its facts. 0, or -1 with errbuf set. */
int report_open(struct report *r, sqlite3 *db, int64_t run, int anonymize,
                const char *label, char *errbuf);
void report_close(struct report *r);

/* Pseudonyms: "Person 7F3A9C21B0" and "person-7f3a9c21b0@example.invalid"
 * from a keyed hash of the person_id, "Pair 1C2D3E4F5A" of a pair_id. The
 * key comes from $TETHER_ANON_KEY (a fixed default without it). Writes
 * into out (cap bytes). */
enum report_pseudo { PSEUDO_NAME, PSEUDO_EMAIL, PSEUDO_ID, PSEUDO_PAIR };
void report_pseudonym(const struct report *r, enum report_pseudo what,
                      const char *id, char *out, size_t cap);

/* A table read row by row: the pairs (streamed from SQLite) or a metric
 * table of the run's JSON. */
struct report_table;
enum report_table_id {
    RT_PAIRS,       /* every active pair of the run, in pair order */
    RT_FOLLOWUP,    /* inactive, never_met, at_risk: by program, most
                       quiet first */
    RT_INCLUSION,   /* every dimension and segment */
    RT_SURVEYS,     /* every construct, dimension and segment */
    RT_COMPARISONS, /* survey_comparisons */
    RT_TREND,       /* one row per period of the trend */
    RT_RETENTION,   /* impact: retention rows (SPEC 3.7) */
    RT_RETENTION_MATCHED,
    RT_PROMOTION,
    RT_PROMOTION_MATCHED,
    RT_SURVIVAL,    /* impact: survival rows, without their curves */
    RT_PRACTICES,   /* impact: the practice tests, without their curves */
    RT_IMPORTS,     /* the imports table */
    RT_REJECTS      /* the reject log */
};
/* Opens a table; free it with report_table_close. NULL with errbuf set on
 * a database error. */
struct report_table *report_table_open(const struct report *r,
                                       enum report_table_id id, char *errbuf);
size_t report_table_ncols(const struct report_table *t);
/* The column's name (snake_case, as in the spec) and kind. */
const char *report_table_colname(const struct report_table *t, size_t i);
enum report_kind report_table_colkind(const struct report_table *t, size_t i);
/* Moves to the next row: 1, 0 at the end, -1 on an error (errbuf). */
int report_table_next(struct report_table *t, char *errbuf);
/* Cell i of the current row, valid until the next call. */
void report_table_cell(struct report_table *t, size_t i,
                       struct report_cell *c);
/* The index of the named column, or -1. */
long report_table_find(const struct report_table *t, const char *name);
void report_table_close(struct report_table *t);

/* JSON helpers: a number member (NAN when missing or null), a string
 * member ("" when missing), a boolean member (0 when missing). */
double report_jnum(const json_t *o, const char *key);
const char *report_jstr(const json_t *o, const char *key);
int report_jbool(const json_t *o, const char *key);
/* The segment object of the run's inclusion for dimension and segment. */
const json_t *report_inclusion(const struct report *r, const char *dim,
                               const char *segment);
/* The survey object for construct, dimension, segment, or NULL. */
const json_t *report_survey(const struct report *r, const char *construct,
                            const char *dim, const char *segment);
/* Scale of a construct from the questions table: 0, or -1 when unknown. */
int report_scale(const struct report *r, const char *construct, double *lo,
                 double *hi);

/* The path dir/tether-<label><suffix>; free the result. */
char *report_path(const char *dir, const struct report *r,
                  const char *suffix);

/* Charts (charts.c). */
enum chart_id {
    CHART_PARTICIPATION,
    CHART_STATUS,
    CHART_MEETINGS_TREND,
    CHART_LIKERT,
    CHART_HOURS,
    CHART_QUIET,
    CHART_BETWEEN,
    CHART_RETENTION,
    CHART_SURVIVAL,
    CHART_PRACTICES,
    CHART_COUNT
};
#define CHART_W 720.0 /* logical size, in points */
#define CHART_H 420.0
#define CHART_PNG_SCALE (5.0 / 3.0) /* PNG: 1200 x 700 pixels */
extern const char *const chart_names[CHART_COUNT];

/* Draws chart id at the origin in CHART_W x CHART_H units of cr. 0, or -1
 * with errbuf set when cairo failed. */
int chart_draw(cairo_t *cr, const struct report *r, enum chart_id id,
               char *errbuf);
/* Writes every chart as dir/tether-<label>-<name>.<fmt> (fmt png, svg or
 * pdf); the paths written are appended to paths (one per line). */
int charts_write(const struct report *r, const char *dir, const char *fmt,
                 struct tether_buf *paths, char *errbuf);

/* Text with pango (text.c): draws text (plain, or Pango markup when markup is set)
 * at x, y in a box of width w with the font description font; returns the
 * height used. align: 0 left, 1 centre, 2 right. */
double report_text(cairo_t *cr, double x, double y, double w,
                   const char *font, const char *text, int markup,
                   int align);
/* The height text would take in a box of width w, without drawing it. */
double report_text_height(cairo_t *cr, double w, const char *font,
                          const char *text, int markup);
/* The size text would take, without drawing it. */
void report_text_size(cairo_t *cr, const char *font, const char *text,
                      double *w, double *h);

/* The other renderers: each writes its file(s) and appends the paths. */
int report_xlsx_write(const struct report *r, const char *dir,
                      struct tether_buf *paths, char *errbuf);
int report_pdf_write(const struct report *r, const char *dir,
                     struct tether_buf *paths, char *errbuf);
int report_csv_write(const struct report *r, const char *dir,
                     struct tether_buf *paths, char *errbuf);

/* Headline findings as sentences (findings.c: the PDF's first section and
 * the workbook's Summary sheet): a NULL-terminated array of strings; free
 * with report_findings_free. */
char **report_findings(const struct report *r);
void report_findings_free(char **f);
/* A construct's name in a sentence ("goal progress"); static. */
const char *report_construct_words(const char *construct);

/* Program impact (impact.c). The sentences of the PDF's Impact section, a
 * NULL-terminated array (free with report_findings_free); the sentence of
 * one practices row (free()); the Impact and Practices sheets; the
 * retention, survival and practices charts. */
char **report_impact_sentences(const struct report *r);
char *report_practice_sentence(const json_t *row);
/* The headline sentence of matched retention (free()); NULL without
 * impact. */
char *report_impact_headline(const struct report *r);
/* The Impact and Practices sheets; as Excel tables when tables is set
 * (not in constant-memory mode). 0, or -1 with errbuf set. */
int report_impact_sheets(const struct report *r, lxw_workbook *wb, int tables,
                         char *errbuf);
void report_impact_chart(cairo_t *cr, const struct report *r,
                         enum chart_id id);

#endif
