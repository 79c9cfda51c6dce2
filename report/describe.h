/* describe.h - which analysis a report renders, in words, and the ways
 * the report writes dates, counts and p-values in sentences
 * (describe.c). */
#ifndef TETHER_REPORT_DESCRIBE_H
#define TETHER_REPORT_DESCRIBE_H

#include <stddef.h>

#include "report.h"

/* Appends "analysis of 2026Q3 by department and site, with four quarters
 * of trend, run on 1 December 2026" for the run r renders. */
void report_describe(const struct report *r, struct tether_buf *b);
/* 1 when r's period is a quarter analysed before it ended ("to date"). */
int report_to_date(const struct report *r);
/* "2026-12-01" (or a timestamp starting so) as "1 December 2026". */
void report_date_words(const char *iso, char *out, size_t cap);
/* 0-9 as words ("no", "one" ... "nine"), larger counts as digits. */
void report_count_words(long n, char *out, size_t cap);
/* A p-value in a sentence: "p < 0.001" below 0.001, "p = 0.004" below
 * 0.01, else "p = 0.14". */
void report_p_words(double p, char *out, size_t cap);

/* The workbook's header of a column of the spec's name ("participation_rate"
 * -> "Participation rate", "mentee_p_value" -> "Mentee p-value"). */
void report_header(const char *name, char *out, size_t cap);

/* A score such as an NPS, rounded: "+29", "0", or "\u22128" with a true
 * minus sign. */
void report_signed(double v, char *out, size_t cap);
/* Headline sentences (sentences.c), each allocated (free()) or NULL when
 * the run lacks the figures. Remote against office participation, with
 * the participants remote needs to reach four-fifths of office's rate: */
char *report_workmode_sentence(const struct report *r);
/* The four-fifths verdict of segment against its dimension's reference
 * segment, named in words; NULL when segment is the reference. */
char *report_reference_sentence(const struct report *r, const char *dim,
                                const char *segment);
/* The NPS comparison cmp (a survey_comparisons object) in NPS points. */
char *report_nps_sentence(const struct report *r, const json_t *cmp);
/* What to do next, as imperative sentences drawn from the figures: a
 * NULL-terminated array, free with report_findings_free. */
char **report_next_steps(const struct report *r);
/* Draws the participation chart of the --by dimension dim (its largest
 * 15 segments, the four-fifths line of its reference) like chart_draw
 * (charts.c). 0, or -1 with errbuf set. */
int chart_draw_dimension(cairo_t *cr, const struct report *r, const char *dim,
                         char *errbuf);

#endif
