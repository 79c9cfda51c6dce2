/* manifest.c - manifest.json: the arguments, the sizes, the files with the
 * command that loads each, and every planted effect with the figure the
 * analyzer should find (computed here from the generated rows, with
 * SPEC 3's definitions and default thresholds, organisation zone UTC). */
#include "sample.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "tether/timeutil.h"
#include "tether/util.h"
#include "tether/vocab.h"

#define ID_LIST_MAX 50

static json_t *
date_json(int32_t day)
{
    char d[TETHER_DATE_LEN];
    tether_date_format(day, d);
    return json_string(d);
}

static json_t *
person_json(uint32_t i)
{
    char id[64];
    sample_person_id(i, id);
    return json_string(id);
}

/* Participation by work mode on as_of, as SPEC 3.2 counts it. */
static json_t *
participation(const struct sample *s)
{
    uint8_t *role = tether_xcalloc(s->npeople, 1); /* 1 mentee, 2 mentor */
    for (uint32_t k = 0; k < s->npairs; k++) {
        const struct pair *q = &s->pairs[k];
        if (q->status == ST_NONE)
            continue;
        role[q->mentee] |= 1;
        role[q->mentor] |= 2;
    }
    uint32_t head[3] = {0}, part[3] = {0}, tees[3] = {0}, tors[3] = {0};
    for (uint32_t i = 0; i < s->npeople; i++) {
        const struct person *p = &s->people[i];
        if (p->joined > s->end || (p->left && p->left < s->q_start))
            continue;
        int mode = sample_version_at(s, p, s->end)->mode;
        head[mode]++;
        part[mode] += role[i] != 0;
        tees[mode] += (role[i] & 1) != 0;
        tors[mode] += (role[i] & 2) != 0;
    }
    free(role);
    json_t *by = json_object();
    double best = 0;
    for (int m = 0; m < 3; m++) {
        double rate = head[m] ? (double)part[m] / head[m] : 0;
        if (rate > best)
            best = rate;
    }
    for (int m = 0; m < 3; m++) {
        double rate = head[m] ? (double)part[m] / head[m] : 0;
        json_object_set_new(
            by, sample_mode_name((enum work_mode)m),
            json_pack("{s:i, s:i, s:i, s:i, s:f, s:f}",
                      tether_metric_names[TETHER_M_HEADCOUNT],
                      (json_int_t)head[m],
                      tether_metric_names[TETHER_M_PARTICIPANTS],
                      (json_int_t)part[m],
                      tether_metric_names[TETHER_M_MENTEES],
                      (json_int_t)tees[m],
                      tether_metric_names[TETHER_M_MENTORS],
                      (json_int_t)tors[m],
                      tether_metric_names[TETHER_M_PARTICIPATION_RATE], rate,
                      tether_metric_names[TETHER_M_INCLUSION_RATIO],
                      best > 0 ? rate / best : 0));
    }
    double ro = head[0] && head[2] && part[0]
                    ? ((double)part[2] / head[2]) / ((double)part[0] / head[0])
                    : 0;
    return json_pack(
        "{s:o, s:f, s:s}", "by_work_mode", by, "remote_vs_office_rate_ratio",
        ro, "expect",
        "remote participation_rate below 0.8 x the highest segment: "
        "inclusion flagged for remote");
}

/* One planted (or deliberately unplanted) practice effect. expect: the
 * direction of the hazard ratio of going quiet, followed against not,
 * "lower", "higher", or "none" (no clear difference). */
static json_t *
practice(const char *name, const char *scope, double hr, const char *expect,
         const char *what)
{
    return json_pack("{s:s, s:s, s:f, s:s, s:s}", "practice", name, "scope",
                     scope, "planted_hazard_ratio", hr, "expect", expect,
                     "what", what);
}

/* The program impact effects of SPEC 3.7 and the direction the analysis
 * (tether-analyze impact, --horizon 365) should find for each. */
static json_t *
impact(const struct sample *s)
{
    uint32_t mentored = 0, kept = 0, ld = 0, promoted = 0;
    for (uint32_t i = 0; i < s->npeople; i++) {
        mentored += s->people[i].mentored;
        kept += s->people[i].stayed;
        promoted += s->people[i].level2 != s->people[i].level;
    }
    for (uint32_t k = 0; k < s->npairs; k++)
        ld += s->pairs[k].long_distance;
    json_t *pr = json_array();
    const double hs = SAMPLE_HR_SUMMARY, hp = SAMPLE_HR_IN_PERSON,
                 hc = SAMPLE_HR_CHOSE, ho = 1 / SAMPLE_HR_OFF_HOURS;
    json_array_append_new(
        pr, practice(tether_practice_names[TETHER_PRACTICE_SUMMARY], "long_distance", hs, "lower",
                     "long-distance pairs that sent a summary after at least "
                     "half their calls in the first 90 days"));
    json_array_append_new(
        pr, practice(tether_practice_names[TETHER_PRACTICE_SUMMARY], "all", 1, "lower",
                     "the long-distance effect, diluted by the other pairs"));
    json_array_append_new(
        pr, practice(tether_practice_names[TETHER_PRACTICE_IN_PERSON], "long_distance", hp, "lower",
                     "long-distance pairs that met in person once (a planned "
                     "visit) in their first 90 days"));
    json_array_append_new(
        pr, practice(tether_practice_names[TETHER_PRACTICE_IN_PERSON], "all", 1, "lower",
                     "the long-distance effect, and same-site office pairs "
                     "that meet in person and are never remote"));
    json_array_append_new(
        pr, practice(tether_practice_names[TETHER_PRACTICE_MENTEE_CHOSE], "all", hc, "lower",
                     "a small effect: the sign is planted, significance is "
                     "not promised"));
    json_array_append_new(
        pr, practice(tether_practice_names[TETHER_PRACTICE_MENTEE_CHOSE], "long_distance", hc, "lower",
                     "the same small effect"));
    json_array_append_new(
        pr, practice(tether_practice_names[TETHER_PRACTICE_REASONABLE_HOURS], "all", ho, "lower",
                     "pairs with over a quarter of their meetings off hours "
                     "for either side stop sooner"));
    json_array_append_new(
        pr, practice(tether_practice_names[TETHER_PRACTICE_REASONABLE_HOURS], "long_distance", ho, "lower",
                     "the same effect among long-distance pairs"));
    json_array_append_new(
        pr, practice(tether_practice_names[TETHER_PRACTICE_IMPROMPTU], "all", 1, "none",
                     "whether a pair chats between meetings is drawn "
                     "independently of everything"));
    json_array_append_new(pr, practice(tether_practice_names[TETHER_PRACTICE_IMPROMPTU], "long_distance", 1, "none",
                                       "not planted"));
    json_array_append_new(
        pr, practice(tether_practice_names[TETHER_PRACTICE_MENTEE_REACHED_OUT], "all", 1, "none",
                     "no source says who sent a contact: left out"));
    json_array_append_new(pr, practice(tether_practice_names[TETHER_PRACTICE_MENTEE_REACHED_OUT], "long_distance",
                                       1, "none", "left out"));
    return json_pack(
        "{s:o, s:i, s:{s:f, s:f, s:f, s:i, s:i, s:i, s:i, s:s}, "
        "s:{s:f, s:i, s:s}, s:{s:s}, s:s, s:i, s:i, s:f, s:o}",
        "baseline", date_json(s->baseline), "horizon", s->end - s->baseline,
        "retention", "leave_probability", SAMPLE_LEAVE,
        "mentored_office_hybrid_keep", SAMPLE_KEEP_OFFICE,
        "mentored_remote_keep", SAMPLE_KEEP_REMOTE, "mentored_planned",
        (int)mentored, "leavers_kept", (int)kept, "kept_office",
        (int)(s->kept[0] + s->kept[1]), "kept_remote", (int)s->kept[2],
        "expect",
        "matched odds ratio of leaving below 1 (significant); lower in "
        "office than in remote",
        "promotion", "probability", SAMPLE_PROMOTION, "promoted",
        (int)promoted, "expect",
        "no clear difference (not planted): level changes in people-2.csv",
        "survival", "remote_vs_office",
        "hazard ratio above 1: pairs with a remote side fade out or never "
        "meet twice as often",
        "level_order", "L1,L2,L3,L4,L5,Executive (give it as --level-order: "
        "Executive holds no number)",
        "long_distance_pairs", (int)ld, "quiet_median_days_after_60",
        (int)SAMPLE_QUIET_MEDIAN, "long_distance_hours",
        (double)SAMPLE_LONG_DISTANCE, "practices", pr);
}

static json_t *
pair_status(const struct sample *s)
{
    json_t *counts = json_object(), *lists = json_object();
    uint32_t n[7] = {0};
    for (uint32_t k = 0; k < s->npairs; k++)
        n[s->pairs[k].status]++;
    for (int st = 1; st < 7; st++) {
        json_object_set_new(counts, sample_status_name((enum status)st),
                            json_integer((json_int_t)n[st]));
        if (st == ST_NEVER_MET || st == ST_INACTIVE || st == ST_AT_RISK) {
            json_t *ids = json_array();
            for (uint32_t k = 0;
                 k < s->npairs && json_array_size(ids) < ID_LIST_MAX; k++) {
                if (s->pairs[k].status != st)
                    continue;
                char pid[64];
                sample_pair_id(k, pid);
                json_array_append_new(ids, json_string(pid));
            }
            json_object_set_new(lists, sample_status_name((enum status)st),
                                ids);
        }
    }
    json_t *faded = json_array();
    uint32_t nfaded = 0;
    for (uint32_t k = 0; k < s->npairs; k++) {
        const struct pair *q = &s->pairs[k];
        if (q->fate != FATE_FADED || q->status != ST_INACTIVE)
            continue;
        nfaded++;
        if (json_array_size(faded) < ID_LIST_MAX) {
            char pid[64];
            sample_pair_id(k, pid);
            json_array_append_new(faded, json_string(pid));
        }
    }
    return json_pack("{s:i, s:o, s:o, s:i, s:o, s:s}", "active_pairs",
                     (json_int_t)(s->npairs - n[ST_NONE]), "counts", counts,
                     "ids", lists, "faded_out", (json_int_t)nfaded,
                     "faded_out_ids", faded, "note",
                     "statuses on as_of with the default thresholds "
                     "(grace 14 days, at risk 1.5, inactive 2 x cadence); "
                     "id lists hold at most 50 ids");
}

static json_t *
relocated(const struct sample *s)
{
    if (s->relocated < 0)
        return json_null();
    uint32_t i = (uint32_t)s->relocated;
    const struct person *p = &s->people[i];
    json_t *pairs = json_array();
    for (uint32_t k = 0; k < s->npairs; k++) {
        if (s->pairs[k].mentor != i)
            continue;
        char pid[64];
        sample_pair_id(k, pid);
        json_array_append_new(pairs, json_string(pid));
    }
    const struct version *a = &p->v[0], *b = &p->v[1];
    return json_pack(
        "{s:o, s:o, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}, s:o}", "person_id",
        person_json(i), "on", date_json(s->snap[1]), "from", "site",
        sample_sites[a->site].name, "timezone", sample_sites[a->site].zone,
        TETHER_DIM_WORK_MODE, sample_mode_name(
            a->mode == MODE_OFFICE ? MODE_OFFICE : MODE_HYBRID), "to", "site",
        sample_sites[b->site].name, "timezone", sample_sites[b->site].zone,
        TETHER_DIM_WORK_MODE, sample_mode_name(MODE_REMOTE), "pairs", pairs);
}

static double
zone_gap(const struct sample *s, const struct pair *q)
{
    int64_t noon = (int64_t)s->end * 86400 + 12 * 3600;
    int a = 0, b = 0;
    tether_tz_offset(sample_zone_at(s, q->mentor, s->end), noon, &a);
    tether_tz_offset(sample_zone_at(s, q->mentee, s->end), noon, &b);
    double d = (a - b) / 3600.0;
    if (d < 0)
        d = -d;
    return d > 12 ? 24 - d : d;
}

static json_t *
cross_zone(const struct sample *s)
{
    json_t *list = json_array();
    uint32_t n = 0, meet = 0, om = 0, oe = 0, oa = 0;
    for (uint32_t k = 0; k < s->npairs; k++) {
        const struct pair *q = &s->pairs[k];
        if (q->status == ST_NONE)
            continue;
        double gap = zone_gap(s, q);
        if (gap < 5)
            continue;
        n++;
        meet += q->q_meetings;
        om += q->off_mentor;
        oe += q->off_mentee;
        oa += q->off_any;
        if (json_array_size(list) >= ID_LIST_MAX || !q->q_meetings)
            continue;
        char pid[64];
        sample_pair_id(k, pid);
        json_array_append_new(
            list,
            json_pack("{s:s, s:s, s:s, s:f, s:i, s:i, s:i, s:i}", "pair_id",
                      pid, "mentor_timezone",
                      sample_zone_at(s, q->mentor, s->end), "mentee_timezone",
                      sample_zone_at(s, q->mentee, s->end), "tz_gap_hours",
                      gap, "meetings", (json_int_t)q->q_meetings, "off_hours",
                      (json_int_t)q->off_any, "off_hours_mentor",
                      (json_int_t)q->off_mentor, "off_hours_mentee",
                      (json_int_t)q->off_mentee));
    }
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:o, s:s}", "pairs",
                     (json_int_t)n, "meetings", (json_int_t)meet, "off_hours",
                     (json_int_t)oa, "off_hours_mentor", (json_int_t)om,
                     "off_hours_mentee", (json_int_t)oe, "examples", list,
                     "note",
                     "active pairs whose UTC offsets are 5 hours or more "
                     "apart; meetings and off-hours (08:00-18:00, weekends) "
                     "in the analysis quarter; the mentee carries most of "
                     "the burden");
}

static json_t *
belonging(void)
{
    const struct survey_figures *f = &sample_survey_figures;
    json_t *by = json_object();
    for (int m = 0; m < 3; m++)
        json_object_set_new(
            by, sample_mode_name((enum work_mode)m),
            json_pack("{s:i, s:f}", tether_metric_names[TETHER_M_N],
                      (json_int_t)f->n[m], tether_metric_names[TETHER_M_MEAN],
                      f->n[m] ? f->sum[m] / f->n[m] : 0));
    double diff = f->n[0] && f->n[2]
                      ? f->sum[2] / f->n[2] - f->sum[0] / f->n[0]
                      : 0;
    return json_pack("{s:s, s:s, s:o, s:f, s:s}", "survey_id", f->survey_id,
                     tether_metric_names[TETHER_M_CONSTRUCT],
                     tether_construct_names[TETHER_CONSTRUCT_BELONGING],
                     "by_work_mode", by,
                     "remote_minus_office", diff, "expect",
                     "survey_comparisons belonging diff < 0 (remote feel "
                     "they belong less)");
}

/* The manifest's list of the files written, with their rows; the
 * caller owns it (json_decref). */
static json_t *
files_json(const struct sample *s)
{
    json_t *files = json_array();
    for (size_t i = 0; i < s->nfiles; i++) {
        const struct outfile *o = &s->files[i];
        json_t *f = json_pack("{s:s, s:s, s:s, s:I}", "path", o->rel, "kind",
                              o->kind, "format", o->format, "rows",
                              (json_int_t)o->rows);
        if (*o->load)
            json_object_set_new(f, "load", json_string(o->load));
        json_array_append_new(files, f);
    }
    return files;
}

/* The effects planted in the data, as the analysis must find them;
 * takes over execs (the executives of the suppressed group). The caller
 * owns the result (json_decref). */
static json_t *
planted_json(const struct sample *s, json_t *execs)
{
    const struct survey_figures *sf = &sample_survey_figures;
    json_t *planted = json_object();
    /* The summaries after the meetings of the analysis quarter, as the
     * analysis must find them: from the e-mails of the message trace with
     * the exports, from summary_sent without. */
    json_object_set_new(
        planted, "summaries",
        json_pack("{s:I, s:I, s:I, s:I}", "summary_emails",
                  (json_int_t)s->summary_emails, "meetings_with_summary",
                  (json_int_t)s->q_summary[1], "meetings_without",
                  (json_int_t)s->q_summary[0], "unknown",
                  (json_int_t)s->q_summary[2]));
    json_object_set_new(planted, "participation", participation(s));
    json_object_set_new(planted, "pair_status", pair_status(s));
    json_object_set_new(planted, "relocated_mentor", relocated(s));
    json_object_set_new(planted,
                        tether_construct_names[TETHER_CONSTRUCT_BELONGING],
                        belonging());
    json_object_set_new(
        planted, "suppressed_group",
        json_pack("{s:s, s:s, s:s, s:i, s:i, s:o}", "survey_id",
                  sf->survey_id, "dimension", "level", "segment", "Executive",
                  "respondents", (int)sf->exec_respondents, "min_group", 5,
                  "people", execs));
    json_object_set_new(planted, "cross_zone", cross_zone(s));
    json_object_set_new(planted, "impact", impact(s));
    if (s->formats)
        json_object_set_new(
            planted, "other_surveys",
            json_pack("{s:{s:s, s:s, s:I}, s:{s:s, s:s, s:I}}", "google_forms",
                      "survey_id", sf->google_id, "file", "survey-google.csv",
                      "respondents", (json_int_t)sf->google_rows, "qualtrics",
                      "survey_id", sf->qualtrics_id, "file",
                      "survey-qualtrics.csv", "respondents",
                      (json_int_t)sf->qualtrics_rows));
    return planted;
}

int
sample_manifest_write(struct sample *s)
{
    char first[TETHER_DATE_LEN], q_start[TETHER_DATE_LEN];
    tether_date_format(s->start, first);
    tether_date_format(s->q_start, q_start);
    json_t *files = files_json(s);
    json_t *execs = json_array();
    for (int k = 0; k < 3; k++)
        if (s->exec[k] != UINT32_MAX)
            json_array_append_new(execs, person_json(s->exec[k]));
    const struct survey_figures *sf = &sample_survey_figures;
    json_t *root = json_pack(
        "{s:s, s:I, s:i, s:i, s:s, s:b,"
        " s:{s:o, s:o, s:s, s:o, s:o},"
        " s:[{s:s, s:o}, {s:s, s:o}],"
        " s:{s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I, s:I, s:I}, s:i, s:i, s:i,"
        " s:i, s:{s:i, s:i}, s:I},"
        " s:o}",
        "generator", "tether-sample " TETHER_VERSION, "seed",
        (json_int_t)s->seed, "people", (int)s->npeople, "quarters",
        s->quarters, "until", s->until, "formats", s->formats, "period",
        "start", json_string(first), "end", date_json(s->end),
        "analysis_quarter", s->until, "analysis_start", json_string(q_start),
        "as_of", date_json(s->end), "snapshots", "file", "people.csv", "as_of",
        date_json(s->snap[0]), "file", "people-2.csv", "as_of",
        date_json(s->snap[1]), "counts", "people", (json_int_t)s->npeople,
        "pairs", (json_int_t)s->npairs, "contacts", (json_int_t)s->contacts,
        "meetings", (json_int_t)s->meetings, "survey_rows",
        (json_int_t)sf->rows, "contacts_by_file", "meetings.csv",
        (json_int_t)s->contacts_by_route[ROUTE_CSV], "calendar.ics",
        (json_int_t)s->contacts_by_route[ROUTE_ICS], "zoom",
        (json_int_t)s->contacts_by_route[ROUTE_ZOOM], "teams",
        (json_int_t)s->contacts_by_route[ROUTE_TEAMS], "calendar_series",
        (int)s->calendar_series, "joiners", (int)s->joiners, "leavers",
        (int)s->leavers, "department_changes", (int)s->dept_changes,
        "work_mode_aliases_in_people_2", "On-site", (int)s->aliases[0],
        "Mobile", (int)s->aliases[1], "google_forms_rows",
        (json_int_t)sf->google_rows, "files", files);
    if (s->formats) {
        json_t *by = json_object_get(json_object_get(root, "counts"),
                                     "contacts_by_file");
        json_object_set_new(
            by, "mail/message-trace.csv",
            json_integer((json_int_t)s->contacts_by_route[ROUTE_TRACE]));
        json_object_set_new(
            by, "slack-export.zip",
            json_integer((json_int_t)s->contacts_by_route[ROUTE_SLACK]));
    }
    json_t *planted = planted_json(s, execs);
    json_object_set_new(root, "planted", planted);
    struct outfile *o = sample_out_open(s, "manifest.json", "manifest", "json",
                                        "");
    if (!o) {
        json_decref(root);
        return -1;
    }
    int rc = json_dumpf(root, o->f, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    fputc('\n', o->f);
    json_decref(root);
    if (rc) {
        snprintf(s->errbuf, TETHER_ERRBUF, "cannot write '%s/manifest.json'",
                 s->dir);
        sample_out_close(s, o);
        return -1;
    }
    return sample_out_close(s, o);
}
