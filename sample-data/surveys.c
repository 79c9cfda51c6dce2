/* surveys.c - the pulse surveys: the canonical questions.csv and
 * responses.csv of the last quarter, and two earlier surveys exported as
 * Google Forms and Qualtrics would export them, each with its question map
 * and its canonical twin under expected/. Remote respondents are planted to
 * feel they belong less, and three executives answer: a group the analyzer
 * must suppress. */
#include "sample.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tether/timeutil.h"
#include "tether/util.h"

struct survey_figures sample_survey_figures;

struct question {
    const char *id, *text, *construct;
    int min, max;
};
static const struct question questions[] = {
    {"q1", "How satisfied are you with your mentoring relationship?",
     "satisfaction", 1, 5},
    {"q2", "I feel I belong in this organisation.", "belonging", 1, 5},
    {"q3", "How much progress have you made towards your development goals?",
     "goal_progress", 1, 5},
    {"q4",
     "How likely are you to recommend the mentoring program to a colleague?",
     "nps", 0, 10},
    {"q5", "What one thing would make mentoring more useful for you?",
     "other", 0, 0},
};
#define NQ 5
static const char *const comments[] = {
    "More time with my mentor",
    "Meetings at a time that suits both time zones",
    "A written summary after each call, please",
    "Meeting in person once, even if only once a year",
    "Nothing, it works well",
    "Clearer goals, for example \"one skill per quarter\"",
};
static const char *const agree[] = {"Strongly disagree", "Disagree",
                                    "Neutral", "Agree", "Strongly agree"};

/* One respondent's answers. */
struct answers {
    uint32_t person;
    int64_t at;
    int32_t pair; /* pair index as mentee, -1 */
    int v[4];
    int comment; /* -1 none */
};

/* The label of the quarter containing day, and its first and last day. */
static void
quarter_of(int32_t day, char label[16], int32_t *qs, int32_t *qe)
{
    int y, m, d;
    tether_civil_from_days(day, &y, &m, &d);
    int q = (m - 1) / 3;
    snprintf(label, 16, "%04dQ%d", y % 10000, (q + 1) % 10);
    *qs = tether_days_from_civil(y, q * 3 + 1, 1);
    *qe = (q == 3 ? tether_days_from_civil(y + 1, 1, 1)
                  : tether_days_from_civil(y, q * 3 + 4, 1)) -
          1;
}

static int
clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The answers of survey number which (0 canonical, 1 Google, 2 Qualtrics)
 * in the quarter [qs, qe]; free the array. */
static struct answers *
collect(struct sample *s, int which, int32_t qs, int32_t qe, size_t *count)
{
    int32_t *pair_of = tether_xmalloc(s->npeople * sizeof(int32_t));
    uint8_t *in = tether_xcalloc(s->npeople, 1);
    for (uint32_t i = 0; i < s->npeople; i++)
        pair_of[i] = -1;
    for (uint32_t k = 0; k < s->npairs; k++) {
        const struct pair *q = &s->pairs[k];
        if (q->started > qe || (q->ended && q->ended < qs))
            continue;
        in[q->mentor] = in[q->mentee] = 1;
        pair_of[q->mentee] = (int32_t)k;
    }
    struct rng r;
    sample_rng_seed(&r, s->seed, 10 + (uint64_t)which);
    struct answers *a = tether_xmalloc(sizeof(struct answers) *
                                       (s->npeople ? s->npeople : 1));
    size_t n = 0;
    static const double belong[3] = {4.0, 3.8, 3.1};
    static const double satisf[4] = {4.2, 3.3, 2.6, 2.2};
    for (uint32_t i = 0; i < s->npeople; i++) {
        const struct person *p = &s->people[i];
        int32_t day = qs + 35 + sample_rng_range(&r, 0, 35);
        if (day > qe)
            day = qe;
        int exec = p->level == LEVEL_EXECUTIVE;
        double answer = sample_rng_unit(&r);
        if (!in[i] || !sample_employed(s, i, day) ||
            !(answer < 0.6 || (exec && which == 0)))
            continue;
        struct answers *x = &a[n++];
        x->person = i;
        x->pair = pair_of[i];
        const char *zone = sample_zone_at(s, i, day);
        int y, m, d;
        tether_civil_from_days(day, &y, &m, &d);
        if (tether_tz_local_to_utc(zone, y, m, d, sample_rng_range(&r, 8, 20),
                                   sample_rng_range(&r, 0, 59), sample_rng_range(&r, 0, 59),
                                   &x->at))
            x->at = (int64_t)day * 86400;
        double sat = x->pair >= 0 ? satisf[s->pairs[x->pair].fate] : 3.9;
        int mode = sample_version_at(s, p, day)->mode;
        x->v[0] = clamp((int)lround(sample_rng_normal(&r, sat, 0.8)), 1, 5);
        x->v[1] = clamp((int)lround(sample_rng_normal(&r, belong[mode], 0.8)), 1, 5);
        x->v[2] = clamp((int)lround(sample_rng_normal(&r, 3.6, 0.9)), 1, 5);
        x->v[3] = clamp((int)lround(sample_rng_normal(&r, 4.0 + x->v[0], 1.5)), 0,
                        10);
        x->comment = sample_rng_chance(&r, 0.3)
                         ? (int)sample_rng_below(&r, sizeof(comments) /
                                                  sizeof(comments[0]))
                         : -1;
    }
    free(pair_of);
    free(in);
    *count = n;
    return a;
}

static void
iso_offset(int64_t t, const char *zone, char *out)
{
    int off = 0;
    tether_tz_offset(zone, t, &off);
    char b[TETHER_TS_LEN];
    tether_ts_format(t + off, b);
    int a = off < 0 ? -off : off;
    snprintf(out, 40, "%.19s%c%02d:%02d", b, off < 0 ? '-' : '+', a / 3600,
             a % 3600 / 60);
}

static void
write_questions(struct outfile *o, const char *survey, int with_text)
{
    fputs("survey_id,question_id,text,construct,scale_min,scale_max\n", o->f);
    for (int k = 0; k < NQ - !with_text; k++) {
        char lo[8] = "", hi[8] = "";
        if (questions[k].max) {
            snprintf(lo, sizeof(lo), "%d", questions[k].min);
            snprintf(hi, sizeof(hi), "%d", questions[k].max);
        }
        const char *row[] = {survey, questions[k].id, questions[k].text,
                             questions[k].construct, lo, hi};
        sample_csv_row(o->f, "\n", 6, row);
        o->rows++;
    }
}

/* A long-form answer row. */
static void
write_answer(struct outfile *o, const char *survey, const char *who,
             const char *when, const char *qid, const char *value,
             const char *text, const char *pair, int with_pair)
{
    const char *row[] = {survey, who, when, qid, value, text, pair};
    sample_csv_row(o->f, "\n", with_pair ? 7 : 6, row);
    o->rows++;
}

static int
write_canonical(struct sample *s)
{
    struct survey_figures *fig = &sample_survey_figures;
    snprintf(fig->survey_id, sizeof(fig->survey_id), "pulse-%s", s->until);
    struct outfile *qo = sample_out_open(s, "questions.csv", "questions",
                                         "csv", "tether-collect survey "
                                                "--questions questions.csv");
    if (!qo)
        return -1;
    write_questions(qo, fig->survey_id, 1);
    if (sample_out_close(s, qo))
        return -1;
    size_t n;
    struct answers *a = collect(s, 0, s->q_start, s->end, &n);
    struct outfile *o = sample_out_open(
        s, "responses.csv", "responses", "csv",
        "tether-collect survey --questions questions.csv");
    if (!o) {
        free(a);
        return -1;
    }
    fputs("survey_id,respondent,submitted_at,question_id,value,text,"
          "pair_id\n",
          o->f);
    for (size_t j = 0; j < n; j++) {
        const struct answers *x = &a[j];
        const struct person *p = &s->people[x->person];
        char who[64], when[40], pid[64] = "", v[8];
        if (j % 5 == 4)
            sample_person_id(x->person, who);
        else
            sample_person_email(s, x->person, who);
        iso_offset(x->at, sample_zone_at(s, x->person, s->end), when);
        if (x->pair >= 0)
            sample_pair_id((uint32_t)x->pair, pid);
        for (int k = 0; k < 4; k++) {
            snprintf(v, sizeof(v), "%d", x->v[k]);
            write_answer(o, fig->survey_id, who, when, questions[k].id, v, "",
                         pid, 1);
        }
        if (x->comment >= 0)
            write_answer(o, fig->survey_id, who, when, "q5", "",
                         comments[x->comment], pid, 1);
        int mode = sample_version_at(s, p, s->end)->mode;
        fig->n[mode]++;
        fig->sum[mode] += x->v[1];
        if (p->level == LEVEL_EXECUTIVE)
            fig->exec_respondents++;
    }
    fig->rows = o->rows;
    free(a);
    return sample_out_close(s, o);
}

static void
map_header(FILE *f)
{
    fputs("column,role,survey_id,question_id,construct,scale_min,scale_max,"
          "labels\n",
          f);
}

static void
map_row(FILE *f, const char *column, const char *role, const char *survey,
        int k, const char *labels)
{
    char lo[8] = "", hi[8] = "";
    if (k >= 0) {
        snprintf(lo, sizeof(lo), "%d", questions[k].min);
        snprintf(hi, sizeof(hi), "%d", questions[k].max);
    }
    const char *row[] = {column,
                         role,
                         k >= 0 ? survey : "",
                         k >= 0 ? questions[k].id : "",
                         k >= 0 ? questions[k].construct : "",
                         lo,
                         hi,
                         labels};
    sample_csv_row(f, "\n", 8, row);
}

/* Google Forms: every field quoted, the full question text as header,
 * "YYYY/MM/DD h:mm:ss PM GMT-4" in the form owner's zone. */
static int
write_google(struct sample *s, int32_t qs, int32_t qe, const char *survey)
{
    size_t n;
    struct answers *a = collect(s, 1, qs, qe, &n);
    struct outfile *o = sample_out_open(
        s, "survey-google.csv", "survey", "google-forms",
        "tether-collect survey --map map-google.csv");
    struct outfile *e = sample_out_open(
        s, "expected/survey-google.csv", "expected", "csv",
        "tether-collect survey --questions expected/questions-google.csv");
    struct outfile *eq = sample_out_open(s, "expected/questions-google.csv",
                                         "expected", "csv", "");
    struct outfile *m = sample_out_open(s, "map-google.csv", "map", "csv", "");
    int rc = -1;
    if (!o || !e || !eq || !m)
        goto out;
    static const char *const extra = "Anything else you would like to tell "
                                     "us? ";
    fputs("\"Timestamp\",\"Email Address\"", o->f);
    for (int k = 0; k < 4; k++)
        fprintf(o->f, ",\"%s\"", questions[k].text);
    fprintf(o->f, ",\"%s\"\n", extra);
    fputs("survey_id,respondent,submitted_at,question_id,value\n", e->f);
    write_questions(eq, survey, 0);
    for (size_t j = 0; j < n; j++) {
        const struct answers *x = &a[j];
        char mail[64], stamp[TETHER_TS_LEN], when[40], v[4][24];
        sample_person_email_lower(s, x->person, mail);
        int off = 0;
        tether_tz_offset("America/New_York", x->at, &off);
        tether_ts_format(x->at + off, stamp);
        int h = (stamp[11] - '0') * 10 + (stamp[12] - '0');
        snprintf(when, sizeof(when), "%.4s/%.2s/%.2s %d:%.5s %s GMT%d", stamp,
                 stamp + 5, stamp + 8, h % 12 ? h % 12 : 12, stamp + 14,
                 h < 12 ? "AM" : "PM", off / 3600);
        snprintf(v[0], 24, "%d", x->v[0]);
        snprintf(v[1], 24, "%s", agree[x->v[1] - 1]);
        if (x->v[2] == 1 || x->v[2] == 5)
            snprintf(v[2], 24, "%d - %s", x->v[2],
                     x->v[2] == 1 ? "No progress" : "Great progress");
        else
            snprintf(v[2], 24, "%d", x->v[2]);
        snprintf(v[3], 24, "%d", x->v[3]);
        fprintf(o->f, "\"%s\",\"%s\",\"%s\",\"%s\",\"%s\",\"%s\",\"", when,
                mail, v[0], v[1], v[2], v[3]);
        for (const char *c = x->comment >= 0 ? comments[x->comment] : ""; *c;
             c++) {
            if (*c == '"')
                fputc('"', o->f);
            fputc(*c, o->f);
        }
        fputs("\"\n", o->f);
        o->rows++;
        char iso[TETHER_TS_LEN];
        tether_ts_format(x->at, iso);
        for (int k = 0; k < 4; k++) {
            char num[8];
            snprintf(num, sizeof(num), "%d", x->v[k]);
            const char *row[] = {survey, mail, iso, questions[k].id, num};
            sample_csv_row(e->f, "\n", 5, row);
            e->rows++;
        }
    }
    map_header(m->f);
    map_row(m->f, "Timestamp", "submitted_at", survey, -1, "");
    map_row(m->f, "Email Address", "respondent", survey, -1, "");
    map_row(m->f, questions[0].text, "question", survey, 0, "");
    map_row(m->f, questions[1].text, "question", survey, 1,
            "Strongly disagree=1;Disagree=2;Neutral=3;Agree=4;"
            "Strongly agree=5");
    map_row(m->f, questions[2].text, "question", survey, 2,
            "1 - No progress=1;5 - Great progress=5");
    map_row(m->f, questions[3].text, "question", survey, 3, "");
    map_row(m->f, extra, "ignore", survey, -1, "");
    sample_survey_figures.google_rows = o->rows;
    rc = 0;
out:
    free(a);
    struct outfile *all[] = {o, e, eq, m};
    for (int i = 0; i < 4; i++)
        if (sample_out_close(s, all[i]))
            rc = -1;
    return rc;
}

/* The three header rows: export tags, question texts, ImportIds. */
static void
qualtrics_header(FILE *f)
{
    fputs("StartDate,EndDate,Status,IPAddress,Progress,Duration (in seconds),"
          "Finished,RecordedDate,ResponseId,RecipientLastName,"
          "RecipientFirstName,RecipientEmail,ExternalReference,"
          "LocationLatitude,LocationLongitude,DistributionChannel,"
          "UserLanguage,Q1,Q2,Q3,Q4,Q5\n",
          f);
    fputs("Start Date,End Date,Response Type,IP Address,Progress,Duration (in "
          "seconds),Finished,Recorded Date,Response ID,Recipient Last Name,"
          "Recipient First Name,Recipient Email,External Data Reference,"
          "Location Latitude,Location Longitude,Distribution Channel,User "
          "Language",
          f);
    for (int k = 0; k < NQ; k++) {
        fputc(',', f);
        sample_csv_field(f, questions[k].text, 1);
    }
    fputc('\n', f);
    static const char *const import_ids[] = {
        "{\"ImportId\":\"startDate\",\"timeZone\":\"UTC\"}",
        "{\"ImportId\":\"endDate\",\"timeZone\":\"UTC\"}",
        "{\"ImportId\":\"status\"}",
        "{\"ImportId\":\"ipAddress\"}",
        "{\"ImportId\":\"progress\"}",
        "{\"ImportId\":\"duration\"}",
        "{\"ImportId\":\"finished\"}",
        "{\"ImportId\":\"recordedDate\",\"timeZone\":\"UTC\"}",
        "{\"ImportId\":\"_recordId\"}",
        "{\"ImportId\":\"recipientLastName\"}",
        "{\"ImportId\":\"recipientFirstName\"}",
        "{\"ImportId\":\"recipientEmail\"}",
        "{\"ImportId\":\"externalDataReference\"}",
        "{\"ImportId\":\"locationLatitude\"}",
        "{\"ImportId\":\"locationLongitude\"}",
        "{\"ImportId\":\"distributionChannel\"}",
        "{\"ImportId\":\"userLanguage\"}",
        "{\"ImportId\":\"QID1\"}",
        "{\"ImportId\":\"QID2\"}",
        "{\"ImportId\":\"QID3\"}",
        "{\"ImportId\":\"QID4\"}",
        "{\"ImportId\":\"QID5_TEXT\"}",
    };
    for (size_t k = 0; k < sizeof(import_ids) / sizeof(import_ids[0]); k++)
        sample_csv_field(f, import_ids[k], k == 0);
    fputc('\n', f);
}

/* The column map for the export: metadata ignored, Q1-Q4 the questions,
 * Q5 (the comment) ignored. */
static void
qualtrics_map(FILE *f, const char *survey)
{
    map_header(f);
    static const char *const meta[] = {
        "StartDate",         "EndDate",           "Status",
        "IPAddress",         "Progress",          "Duration (in seconds)",
        "Finished",          "ResponseId",        "RecipientLastName",
        "RecipientFirstName", "ExternalReference", "LocationLatitude",
        "LocationLongitude", "DistributionChannel", "UserLanguage"};
    for (size_t k = 0; k < sizeof(meta) / sizeof(meta[0]); k++)
        map_row(f, meta[k], "ignore", survey, -1, "");
    map_row(f, "RecordedDate", "submitted_at", survey, -1, "");
    map_row(f, "RecipientEmail", "respondent", survey, -1, "");
    static const char *const tags[] = {"Q1", "Q2", "Q3", "Q4"};
    for (int k = 0; k < 4; k++)
        map_row(f, tags[k], "question", survey, k, "");
    map_row(f, "Q5", "ignore", survey, -1, "");
}

/* Qualtrics: three header rows (export tags, question texts, ImportIds),
 * dates in UTC without an offset, numeric answer codes. */
static int
write_qualtrics(struct sample *s, int32_t qs, int32_t qe, const char *survey)
{
    size_t n;
    struct answers *a = collect(s, 2, qs, qe, &n);
    struct outfile *o = sample_out_open(
        s, "survey-qualtrics.csv", "survey", "qualtrics",
        "tether-collect survey --map map-qualtrics.csv --timezone UTC");
    struct outfile *e = sample_out_open(
        s, "expected/survey-qualtrics.csv", "expected", "csv",
        "tether-collect survey --questions expected/questions-qualtrics.csv");
    struct outfile *eq = sample_out_open(s, "expected/questions-qualtrics.csv",
                                         "expected", "csv", "");
    struct outfile *m =
        sample_out_open(s, "map-qualtrics.csv", "map", "csv", "");
    int rc = -1;
    if (!o || !e || !eq || !m)
        goto out;
    FILE *f = o->f;
    qualtrics_header(f);
    fputs("survey_id,respondent,submitted_at,question_id,value\n", e->f);
    write_questions(eq, survey, 0);
    struct rng r;
    sample_rng_seed(&r, s->seed, 20);
    for (size_t j = 0; j < n; j++) {
        const struct answers *x = &a[j];
        const struct person *p = &s->people[x->person];
        char mail[64], first[64], last[64], id[64], t0[TETHER_TS_LEN],
            t1[TETHER_TS_LEN], start[24], end[24], ip[24], secs[16],
            resp[24], v[4][8];
        sample_person_email(s, x->person, mail);
        sample_person_first_last(p, first, last);
        sample_person_id(x->person, id);
        int took = sample_rng_range(&r, 45, 600);
        tether_ts_format(x->at - took, t0);
        tether_ts_format(x->at, t1);
        snprintf(start, sizeof(start), "%.10s %.8s", t0, t0 + 11);
        snprintf(end, sizeof(end), "%.10s %.8s", t1, t1 + 11);
        snprintf(ip, sizeof(ip), "192.0.2.%d", sample_rng_range(&r, 1, 254));
        snprintf(secs, sizeof(secs), "%d", took);
        static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl"
                                    "mnopqrstuvwxyz0123456789";
        memcpy(resp, "R_", 2);
        for (int c = 0; c < 15; c++)
            resp[2 + c] = alnum[sample_rng_below(&r, sizeof(alnum) - 1)];
        resp[17] = '\0';
        for (int k = 0; k < 4; k++)
            snprintf(v[k], sizeof(v[k]), "%d", x->v[k]);
        const char *row[] = {start, end, "0", ip, "100", secs, "1", end,
                             resp,  last, first, mail, id, "", "", "email",
                             "EN",  v[0], v[1], v[2], v[3],
                             x->comment >= 0 ? comments[x->comment] : ""};
        sample_csv_row(f, "\n", 22, row);
        o->rows++;
        char iso[TETHER_TS_LEN];
        tether_ts_format(x->at, iso);
        char lower[64];
        sample_person_email_lower(s, x->person, lower);
        for (int k = 0; k < 4; k++) {
            const char *erow[] = {survey, lower, iso, questions[k].id, v[k]};
            sample_csv_row(e->f, "\n", 5, erow);
            e->rows++;
        }
    }
    qualtrics_map(m->f, survey);
    sample_survey_figures.qualtrics_rows = o->rows;
    rc = 0;
out:
    free(a);
    struct outfile *all[] = {o, e, eq, m};
    for (int i = 0; i < 4; i++)
        if (sample_out_close(s, all[i]))
            rc = -1;
    return rc;
}

int
sample_surveys_write(struct sample *s)
{
    memset(&sample_survey_figures, 0, sizeof(sample_survey_figures));
    if (write_canonical(s))
        return -1;
    if (!s->formats)
        return 0;
    char label[16];
    int32_t qs, qe;
    quarter_of(s->q_start - 1, label, &qs, &qe);
    snprintf(sample_survey_figures.google_id, 48, "pulse-%s", label);
    if (write_google(s, qs, qe, sample_survey_figures.google_id))
        return -1;
    quarter_of(qs - 1, label, &qs, &qe);
    snprintf(sample_survey_figures.qualtrics_id, 48, "pulse-%s", label);
    return write_qualtrics(s, qs, qe, sample_survey_figures.qualtrics_id);
}
