/* vocab.c - the name tables of vocab.h. Designated initializers tie every
 * name to its enum value, so reordering an enum cannot shift the names. */
#include "tether/vocab.h"

#include <string.h>

const char *const tether_status_names[TETHER_STATUS_COUNT] = {
    [TETHER_STATUS_NEW] = "new",
    [TETHER_STATUS_NEVER_MET] = "never_met",
    [TETHER_STATUS_ENDED] = "ended",
    [TETHER_STATUS_INACTIVE] = "inactive",
    [TETHER_STATUS_AT_RISK] = "at_risk",
    [TETHER_STATUS_ACTIVE] = "active",
};

const char *const tether_status_labels[TETHER_STATUS_COUNT] = {
    [TETHER_STATUS_NEW] = "new",
    [TETHER_STATUS_NEVER_MET] = "never met",
    [TETHER_STATUS_ENDED] = "ended",
    [TETHER_STATUS_INACTIVE] = "inactive",
    [TETHER_STATUS_AT_RISK] = "at risk",
    [TETHER_STATUS_ACTIVE] = "active",
};

const enum tether_status tether_status_shown[TETHER_STATUS_COUNT] = {
    TETHER_STATUS_ACTIVE,   TETHER_STATUS_NEW,      TETHER_STATUS_ENDED,
    TETHER_STATUS_AT_RISK,  TETHER_STATUS_INACTIVE, TETHER_STATUS_NEVER_MET,
};

const char *const tether_mode_names[TETHER_MODE_COUNT] = {
    [TETHER_MODE_REMOTE] = "remote",
    [TETHER_MODE_HYBRID] = "hybrid",
    [TETHER_MODE_OFFICE] = "office",
};

const char *const tether_mode_labels[TETHER_MODE_COUNT] = {
    [TETHER_MODE_REMOTE] = "Remote",
    [TETHER_MODE_HYBRID] = "Hybrid",
    [TETHER_MODE_OFFICE] = "Office",
};

const char *const tether_medium_names[TETHER_MEDIUM_COUNT] = {
    [TETHER_MEDIUM_VIDEO] = "video",   [TETHER_MEDIUM_PHONE] = "phone",
    [TETHER_MEDIUM_IN_PERSON] = "in_person",
    [TETHER_MEDIUM_CHAT] = "chat",     [TETHER_MEDIUM_EMAIL] = "email",
    [TETHER_MEDIUM_OTHER] = "other",
};

const char *const tether_kind_names[TETHER_KIND_COUNT] = {
    [TETHER_KIND_SCHEDULED] = "scheduled",
    [TETHER_KIND_IMPROMPTU] = "impromptu",
};

const char *const tether_construct_names[TETHER_CONSTRUCT_COUNT] = {
    [TETHER_CONSTRUCT_SATISFACTION] = "satisfaction",
    [TETHER_CONSTRUCT_BELONGING] = "belonging",
    [TETHER_CONSTRUCT_GOAL_PROGRESS] = "goal_progress",
    [TETHER_CONSTRUCT_NPS] = "nps",
    [TETHER_CONSTRUCT_OTHER] = "other",
};

const char *const tether_metric_names[TETHER_M_COUNT] = {
    [TETHER_M_DIMENSION] = "dimension",
    [TETHER_M_SEGMENT] = "segment",
    [TETHER_M_CONSTRUCT] = "construct",
    [TETHER_M_REFERENCE] = "reference",
    [TETHER_M_HEADCOUNT] = "headcount",
    [TETHER_M_MENTEES] = "mentees",
    [TETHER_M_MENTORS] = "mentors",
    [TETHER_M_PARTICIPANTS] = "participants",
    [TETHER_M_PARTICIPATION_RATE] = "participation_rate",
    [TETHER_M_PARTICIPATION_RATE_CI_LOW] = "participation_rate_ci_low",
    [TETHER_M_PARTICIPATION_RATE_CI_HIGH] = "participation_rate_ci_high",
    [TETHER_M_SMALL] = "small",
    [TETHER_M_INCLUSION_RATIO] = "inclusion_ratio",
    [TETHER_M_FLAGGED] = "flagged",
    [TETHER_M_SHORTFALL] = "shortfall",
    [TETHER_M_P_VALUE] = "p_value",
    [TETHER_M_P_TEST] = "p_test",
    [TETHER_M_MENTEE_RATE] = "mentee_rate",
    [TETHER_M_MENTEE_RATIO] = "mentee_ratio",
    [TETHER_M_MENTEE_FLAGGED] = "mentee_flagged",
    [TETHER_M_MENTEE_P_VALUE] = "mentee_p_value",
    [TETHER_M_MENTEE_P_TEST] = "mentee_p_test",
    [TETHER_M_MENTEE_REFERENCE] = "mentee_reference",
    [TETHER_M_MENTOR_RATE] = "mentor_rate",
    [TETHER_M_MENTOR_RATIO] = "mentor_ratio",
    [TETHER_M_MENTOR_FLAGGED] = "mentor_flagged",
    [TETHER_M_MENTOR_P_VALUE] = "mentor_p_value",
    [TETHER_M_MENTOR_P_TEST] = "mentor_p_test",
    [TETHER_M_MENTOR_REFERENCE] = "mentor_reference",
    [TETHER_M_PAIRS] = "pairs",
    [TETHER_M_MEETINGS_PER_PAIR_MONTH] = "meetings_per_pair_month",
    [TETHER_M_MEDIAN_DAYS_QUIET] = "median_days_quiet",
    [TETHER_M_QUIET_SHARE] = "quiet_share",
    [TETHER_M_MEAN_ENGAGEMENT] = "mean_engagement",
    [TETHER_M_BRIDGE_SHARE] = "bridge_share",
    [TETHER_M_MENTEE_CHOSE_SHARE] = "mentee_chose_share",
    [TETHER_M_OFF_HOURS_SHARE] = "off_hours_share",
    [TETHER_M_BETWEEN_CONTACTS_SHARE] = "between_contacts_share",
    [TETHER_M_MENTEE_INITIATED_SHARE] = "mentee_initiated_share",
    [TETHER_M_SUPPRESSED] = "suppressed",
    [TETHER_M_HOMOGENEOUS] = "homogeneous",
    [TETHER_M_N] = "n",
    [TETHER_M_ANSWERS] = "answers",
    [TETHER_M_MEAN] = "mean",
    [TETHER_M_SD] = "sd",
    [TETHER_M_CI_LOW] = "ci_low",
    [TETHER_M_CI_HIGH] = "ci_high",
    [TETHER_M_FAVOURABLE] = "favourable",
    [TETHER_M_NPS] = "nps",
    [TETHER_M_PROMOTERS] = "promoters",
    [TETHER_M_PASSIVES] = "passives",
    [TETHER_M_DETRACTORS] = "detractors",
    [TETHER_M_COUNTS] = "counts",
    [TETHER_M_DIFF] = "diff",
    [TETHER_M_COHENS_D] = "cohens_d",
    [TETHER_M_NPS_DIFF] = "nps_diff",
    [TETHER_M_NPS_DIFF_CI_LOW] = "nps_diff_ci_low",
    [TETHER_M_NPS_DIFF_CI_HIGH] = "nps_diff_ci_high",
    [TETHER_M_GROUP] = "group",
    [TETHER_M_RETAINED] = "retained",
    [TETHER_M_RETENTION_RATE] = "retention_rate",
    [TETHER_M_PROMOTED] = "promoted",
    [TETHER_M_PROMOTION_RATE] = "promotion_rate",
    [TETHER_M_MATCHED_N] = "matched_n",
    [TETHER_M_MATCHED_MENTORED_RATE] = "matched_mentored_rate",
    [TETHER_M_MATCHED_COMPARISON_RATE] = "matched_comparison_rate",
    [TETHER_M_ODDS_RATIO] = "odds_ratio",
    [TETHER_M_OR_CI_LOW] = "or_ci_low",
    [TETHER_M_OR_CI_HIGH] = "or_ci_high",
    [TETHER_M_EVENTS] = "events",
    [TETHER_M_MEDIAN_DAYS] = "median_days",
    [TETHER_M_SURVIVAL_90] = "survival_90",
    [TETHER_M_SURVIVAL_180] = "survival_180",
    [TETHER_M_SURVIVAL_365] = "survival_365",
    [TETHER_M_CURVE] = "curve",
    [TETHER_M_TEST] = "test",
    [TETHER_M_REMOTE_PAIRS] = "remote_pairs",
    [TETHER_M_OFFICE_PAIRS] = "office_pairs",
    [TETHER_M_HAZARD_RATIO] = "hazard_ratio",
    [TETHER_M_PRACTICE] = "practice",
    [TETHER_M_SCOPE] = "scope",
    [TETHER_M_FOLLOWED_PAIRS] = "followed_pairs",
    [TETHER_M_FOLLOWED_EVENTS] = "followed_events",
    [TETHER_M_FOLLOWED_SURVIVAL_180] = "followed_survival_180",
    [TETHER_M_FOLLOWED_CURVE] = "followed_curve",
    [TETHER_M_NOT_FOLLOWED_PAIRS] = "not_followed_pairs",
    [TETHER_M_NOT_FOLLOWED_EVENTS] = "not_followed_events",
    [TETHER_M_NOT_FOLLOWED_SURVIVAL_180] = "not_followed_survival_180",
    [TETHER_M_NOT_FOLLOWED_CURVE] = "not_followed_curve",
    [TETHER_M_P_HOLM] = "p_holm",
    [TETHER_M_BASELINE] = "baseline",
    [TETHER_M_HORIZON] = "horizon",
    [TETHER_M_NOTES] = "notes",
    [TETHER_M_RETENTION] = "retention",
    [TETHER_M_RETENTION_MATCHED] = "retention_matched",
    [TETHER_M_PROMOTION] = "promotion",
    [TETHER_M_PROMOTION_MATCHED] = "promotion_matched",
    [TETHER_M_SURVIVAL] = "survival",
    [TETHER_M_SURVIVAL_TESTS] = "survival_tests",
    [TETHER_M_PRACTICES] = "practices",
};

const enum tether_metric tether_inclusion_cols[TETHER_INCLUSION_NCOLS] = {
    TETHER_M_DIMENSION,
    TETHER_M_SEGMENT,
    TETHER_M_HEADCOUNT,
    TETHER_M_MENTEES,
    TETHER_M_MENTORS,
    TETHER_M_PARTICIPANTS,
    TETHER_M_PARTICIPATION_RATE,
    TETHER_M_PARTICIPATION_RATE_CI_LOW,
    TETHER_M_PARTICIPATION_RATE_CI_HIGH,
    TETHER_M_REFERENCE,
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
};

const enum tether_metric tether_survey_cols[TETHER_SURVEY_NCOLS] = {
    TETHER_M_CONSTRUCT,  TETHER_M_DIMENSION,   TETHER_M_SEGMENT,
    TETHER_M_SUPPRESSED, TETHER_M_HOMOGENEOUS, TETHER_M_N,
    TETHER_M_ANSWERS,    TETHER_M_MEAN,        TETHER_M_SD,
    TETHER_M_CI_LOW,     TETHER_M_CI_HIGH,     TETHER_M_FAVOURABLE,
    TETHER_M_NPS,        TETHER_M_PROMOTERS,   TETHER_M_PASSIVES,
    TETHER_M_DETRACTORS, TETHER_M_COUNTS,
};

const char *const tether_practice_names[TETHER_PRACTICE_COUNT] = {
    [TETHER_PRACTICE_SUMMARY] = "summary",
    [TETHER_PRACTICE_MENTEE_CHOSE] = "mentee_chose",
    [TETHER_PRACTICE_IMPROMPTU] = "impromptu",
    [TETHER_PRACTICE_MENTEE_REACHED_OUT] = "mentee_reached_out",
    [TETHER_PRACTICE_IN_PERSON] = "in_person",
    [TETHER_PRACTICE_REASONABLE_HOURS] = "reasonable_hours",
};

const enum tether_metric tether_comparison_cols[TETHER_COMPARISON_NCOLS] = {
    TETHER_M_CONSTRUCT,  TETHER_M_DIMENSION, TETHER_M_SEGMENT,
    TETHER_M_REFERENCE,  TETHER_M_SUPPRESSED, TETHER_M_DIFF,
    TETHER_M_P_VALUE,    TETHER_M_COHENS_D,  TETHER_M_NPS_DIFF,
    TETHER_M_NPS_DIFF_CI_LOW, TETHER_M_NPS_DIFF_CI_HIGH,
};

int
tether_vocab_find(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

const char *const tether_initiator_names[TETHER_INITIATOR_COUNT] = {
    [TETHER_INITIATOR_UNKNOWN] = "unknown",
    [TETHER_INITIATOR_MENTOR] = "mentor",
    [TETHER_INITIATOR_MENTEE] = "mentee",
};
