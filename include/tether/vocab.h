/* vocab.h - the words the programs share: pair statuses, work modes, media,
 * meeting kinds, survey constructs and the names of the figures a run
 * stores. Each is an enum with a name table beside it (core/vocab.c), so a
 * new word is added in one place and -Wswitch-enum names every switch that
 * must learn it. The names are the spellings of the database, the JSON and
 * the CSV columns (SPEC sections 2 and 3). */
#ifndef TETHER_VOCAB_H
#define TETHER_VOCAB_H

/* A pair's status in a period (SPEC 3.1), in the order of the stored
 * summary. */
enum tether_status {
    TETHER_STATUS_NEW,
    TETHER_STATUS_NEVER_MET,
    TETHER_STATUS_ENDED,
    TETHER_STATUS_INACTIVE,
    TETHER_STATUS_AT_RISK,
    TETHER_STATUS_ACTIVE,
    TETHER_STATUS_COUNT
};
/* "never_met": the stored spelling. */
extern const char *const tether_status_names[TETHER_STATUS_COUNT];
/* "never met": the spelling of tables and charts for people. */
extern const char *const tether_status_labels[TETHER_STATUS_COUNT];
/* The order of the report's charts and tables: healthy first. */
extern const enum tether_status tether_status_shown[TETHER_STATUS_COUNT];

/* A person's work mode, in the order every table and chart shows them. */
enum tether_mode {
    TETHER_MODE_REMOTE,
    TETHER_MODE_HYBRID,
    TETHER_MODE_OFFICE,
    TETHER_MODE_COUNT
};
extern const char *const tether_mode_names[TETHER_MODE_COUNT];  /* remote */
extern const char *const tether_mode_labels[TETHER_MODE_COUNT]; /* Remote */

/* How a meeting or contact took place (contacts.medium). */
enum tether_medium {
    TETHER_MEDIUM_VIDEO,
    TETHER_MEDIUM_PHONE,
    TETHER_MEDIUM_IN_PERSON,
    TETHER_MEDIUM_CHAT,
    TETHER_MEDIUM_EMAIL,
    TETHER_MEDIUM_OTHER,
    TETHER_MEDIUM_COUNT
};
extern const char *const tether_medium_names[TETHER_MEDIUM_COUNT];

/* contacts.kind */
enum tether_kind {
    TETHER_KIND_SCHEDULED,
    TETHER_KIND_IMPROMPTU,
    TETHER_KIND_COUNT
};
extern const char *const tether_kind_names[TETHER_KIND_COUNT];

/* contacts.initiator: who began a contact (SPEC 1.3a). */
enum tether_initiator {
    TETHER_INITIATOR_UNKNOWN,
    TETHER_INITIATOR_MENTOR,
    TETHER_INITIATOR_MENTEE,
    TETHER_INITIATOR_COUNT
};
extern const char *const tether_initiator_names[TETHER_INITIATOR_COUNT];

/* questions.construct */
enum tether_construct {
    TETHER_CONSTRUCT_SATISFACTION,
    TETHER_CONSTRUCT_BELONGING,
    TETHER_CONSTRUCT_GOAL_PROGRESS,
    TETHER_CONSTRUCT_NPS,
    TETHER_CONSTRUCT_OTHER,
    TETHER_CONSTRUCT_COUNT
};
extern const char *const tether_construct_names[TETHER_CONSTRUCT_COUNT];

/* The dimension every run has (SPEC 3.2), besides those of --by. */
#define TETHER_DIM_WORK_MODE "work_mode"

/* The names of the figures a run stores: the members of the inclusion,
 * survey and comparison objects of SPEC 3.6 and of the summary. A name
 * used by more than one object (pairs, p_value, reference: the reference
 * segment of a rate, and of a survey comparison) is one entry. */
enum tether_metric {
    /* the keys that name a row */
    TETHER_M_DIMENSION,
    TETHER_M_SEGMENT,
    TETHER_M_CONSTRUCT,
    TETHER_M_REFERENCE,
    /* inclusion (3.2) */
    TETHER_M_HEADCOUNT,
    TETHER_M_MENTEES,
    TETHER_M_MENTORS,
    TETHER_M_PARTICIPANTS,
    TETHER_M_PARTICIPATION_RATE,
    TETHER_M_PARTICIPATION_RATE_CI_LOW,
    TETHER_M_PARTICIPATION_RATE_CI_HIGH,
    TETHER_M_SMALL,
    TETHER_M_INCLUSION_RATIO,
    TETHER_M_FLAGGED,
    TETHER_M_SHORTFALL,
    TETHER_M_P_VALUE,
    TETHER_M_P_TEST,
    TETHER_M_MENTEE_RATE,
    TETHER_M_MENTEE_RATIO,
    TETHER_M_MENTEE_FLAGGED,
    TETHER_M_MENTEE_P_VALUE,
    TETHER_M_MENTEE_P_TEST,
    TETHER_M_MENTEE_REFERENCE,
    TETHER_M_MENTOR_RATE,
    TETHER_M_MENTOR_RATIO,
    TETHER_M_MENTOR_FLAGGED,
    TETHER_M_MENTOR_P_VALUE,
    TETHER_M_MENTOR_P_TEST,
    TETHER_M_MENTOR_REFERENCE,
    TETHER_M_PAIRS,
    TETHER_M_MEETINGS_PER_PAIR_MONTH,
    TETHER_M_MEDIAN_DAYS_QUIET,
    TETHER_M_QUIET_SHARE,
    TETHER_M_MEAN_ENGAGEMENT,
    TETHER_M_BRIDGE_SHARE,
    TETHER_M_MENTEE_CHOSE_SHARE,
    TETHER_M_OFF_HOURS_SHARE,
    TETHER_M_BETWEEN_CONTACTS_SHARE,
    TETHER_M_MENTEE_INITIATED_SHARE,
    /* surveys (3.3) */
    TETHER_M_SUPPRESSED,
    TETHER_M_HOMOGENEOUS,
    TETHER_M_N,
    TETHER_M_ANSWERS,
    TETHER_M_MEAN,
    TETHER_M_SD,
    TETHER_M_CI_LOW,
    TETHER_M_CI_HIGH,
    TETHER_M_FAVOURABLE,
    TETHER_M_NPS,
    TETHER_M_PROMOTERS,
    TETHER_M_PASSIVES,
    TETHER_M_DETRACTORS,
    TETHER_M_COUNTS,
    TETHER_M_DIFF,
    TETHER_M_COHENS_D,
    TETHER_M_NPS_DIFF,
    TETHER_M_NPS_DIFF_CI_LOW,
    TETHER_M_NPS_DIFF_CI_HIGH,
    /* program impact (3.7): the impact object's lists, then their rows */
    TETHER_M_GROUP,
    TETHER_M_RETAINED,
    TETHER_M_RETENTION_RATE,
    TETHER_M_PROMOTED,
    TETHER_M_PROMOTION_RATE,
    TETHER_M_MATCHED_N,
    TETHER_M_MATCHED_MENTORED_RATE,
    TETHER_M_MATCHED_COMPARISON_RATE,
    TETHER_M_ODDS_RATIO,
    TETHER_M_OR_CI_LOW,
    TETHER_M_OR_CI_HIGH,
    TETHER_M_EVENTS,
    TETHER_M_MEDIAN_DAYS,
    TETHER_M_SURVIVAL_90,
    TETHER_M_SURVIVAL_180,
    TETHER_M_SURVIVAL_365,
    TETHER_M_CURVE,
    TETHER_M_TEST,
    TETHER_M_REMOTE_PAIRS,
    TETHER_M_OFFICE_PAIRS,
    TETHER_M_HAZARD_RATIO,
    TETHER_M_PRACTICE,
    TETHER_M_SCOPE,
    TETHER_M_FOLLOWED_PAIRS,
    TETHER_M_FOLLOWED_EVENTS,
    TETHER_M_FOLLOWED_SURVIVAL_180,
    TETHER_M_FOLLOWED_CURVE,
    TETHER_M_NOT_FOLLOWED_PAIRS,
    TETHER_M_NOT_FOLLOWED_EVENTS,
    TETHER_M_NOT_FOLLOWED_SURVIVAL_180,
    TETHER_M_NOT_FOLLOWED_CURVE,
    TETHER_M_P_HOLM,
    TETHER_M_BASELINE,
    TETHER_M_HORIZON,
    TETHER_M_NOTES,
    TETHER_M_RETENTION,
    TETHER_M_RETENTION_MATCHED,
    TETHER_M_PROMOTION,
    TETHER_M_PROMOTION_MATCHED,
    TETHER_M_SURVIVAL,
    TETHER_M_SURVIVAL_TESTS,
    TETHER_M_PRACTICES,
    TETHER_M_COUNT
};
extern const char *const tether_metric_names[TETHER_M_COUNT];

/* The columns of one inclusion segment, in the order of the JSON object,
 * the CSV and the workbook (SPEC 3.2). */
#define TETHER_INCLUSION_NCOLS 38
extern const enum tether_metric tether_inclusion_cols[TETHER_INCLUSION_NCOLS];
/* The columns of one survey group (SPEC 3.3); counts is an object of the
 * answers by scale point. */
#define TETHER_SURVEY_NCOLS 17
extern const enum tether_metric tether_survey_cols[TETHER_SURVEY_NCOLS];
/* The columns of one survey comparison (SPEC 3.3). */
#define TETHER_COMPARISON_NCOLS 11
extern const enum tether_metric tether_comparison_cols[TETHER_COMPARISON_NCOLS];

/* The practices of SPEC 3.7, in the order of the run's practices list. */
enum tether_practice {
    TETHER_PRACTICE_SUMMARY,
    TETHER_PRACTICE_MENTEE_CHOSE,
    TETHER_PRACTICE_IMPROMPTU,
    TETHER_PRACTICE_MENTEE_REACHED_OUT,
    TETHER_PRACTICE_IN_PERSON,
    TETHER_PRACTICE_REASONABLE_HOURS,
    TETHER_PRACTICE_COUNT
};
extern const char *const tether_practice_names[TETHER_PRACTICE_COUNT];

/* The index of name in names[0..n), or -1: the parse direction of every
 * name table above. */
int tether_vocab_find(const char *const *names, int n, const char *name);

#endif
