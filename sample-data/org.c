/* org.c - the synthetic organisation: people with two roster snapshots
 * (joiners, leavers, department moves and one mentor who relocates abroad
 * and goes remote), and mentoring pairs in two programs, with remote
 * employees planted to take part less often. */
#include "sample.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "tether/timeutil.h"
#include "tether/util.h"

const struct site sample_sites[] = {
    {"London", "Europe/London", "EMEA", 1},
    {"Berlin", "Europe/Berlin", "EMEA", 1},
    {"New York", "America/New_York", "AMER", 1},
    {"San Francisco", "America/Los_Angeles", "AMER", 1},
    {"São Paulo", "America/Sao_Paulo", "AMER", 1},
    {"Bangalore", "Asia/Kolkata", "APAC", 1},
    {"Singapore", "Asia/Singapore", "APAC", 1},
    {"Sydney", "Australia/Sydney", "APAC", 1},
    {"Adelaide", "Australia/Adelaide", "APAC", 1},
    {"Remote - Portugal", "Europe/Lisbon", "EMEA", 0},
    {"Remote - Kenya", "Africa/Nairobi", "EMEA", 0},
    {"Remote - Texas", "America/Chicago", "AMER", 0},
    {"Remote - Colorado", "America/Denver", "AMER", 0},
    {"Remote - Mexico", "America/Mexico_City", "AMER", 0},
    {"Remote - Philippines", "Asia/Manila", "APAC", 0},
    {"Remote - India", "Asia/Kolkata", "APAC", 0},
    {"Remote - New Zealand", "Pacific/Auckland", "APAC", 0},
    {"Remote - South Australia", "Australia/Adelaide", "APAC", 0},
};
const size_t sample_site_count = sizeof(sample_sites) / sizeof(sample_sites[0]);
#define OFFICE_SITES 9
#define SITE_REMOTE_SA 17
static const int office_weight[OFFICE_SITES] = {18, 10, 18, 12, 8,
                                                14, 8,  7,  5};

const char *const sample_departments[] = {
    "Engineering", "Sales",   "Customer Support", "Marketing", "Product",
    "Operations",  "Finance", "People",           "Legal",
};
const size_t sample_department_count =
    sizeof(sample_departments) / sizeof(sample_departments[0]);
static const int dept_weight[] = {30, 15, 12, 8, 8, 9, 6, 6, 3};

const char *const sample_levels[] = {"L1", "L2", "L3",
                                     "L4", "L5", "Executive"};
static const int level_weight[] = {20, 28, 25, 17, 10};

/* Display names and the ASCII form e-mail addresses use. */
static const char *const first_names[][2] = {
    {"Ana", "ana"},         {"Wei", "wei"},       {"Priya", "priya"},
    {"James", "james"},     {"Fatima", "fatima"}, {"Lukas", "lukas"},
    {"Sofia", "sofia"},     {"Kenji", "kenji"},   {"Amara", "amara"},
    {"Mateo", "mateo"},     {"Chloé", "chloe"},   {"Oliver", "oliver"},
    {"Aisha", "aisha"},     {"Noah", "noah"},     {"Mei", "mei"},
    {"Arjun", "arjun"},     {"Zoë", "zoe"},       {"Liam", "liam"},
    {"Ingrid", "ingrid"},   {"Kwame", "kwame"},   {"Lucía", "lucia"},
    {"Hannah", "hannah"},   {"Tomás", "tomas"},   {"Yuki", "yuki"},
    {"Emma", "emma"},       {"Ravi", "ravi"},     {"Olga", "olga"},
    {"Daniel", "daniel"},   {"Nia", "nia"},       {"Søren", "soren"},
    {"Grace", "grace"},     {"Hiroshi", "hiroshi"},
};
static const char *const last_names[][2] = {
    {"Silva", "silva"},       {"Chen", "chen"},
    {"Patel", "patel"},       {"Smith", "smith"},
    {"Okafor", "okafor"},     {"Müller", "muller"},
    {"García", "garcia"},     {"Tanaka", "tanaka"},
    {"Nguyen", "nguyen"},     {"O'Brien", "obrien"},
    {"Kowalski", "kowalski"}, {"Haddad", "haddad"},
    {"Johansson", "johansson"}, {"Kim", "kim"},
    {"Rossi", "rossi"},       {"Mensah", "mensah"},
    {"Dubois", "dubois"},     {"Singh", "singh"},
    {"Walker", "walker"},     {"Ivanova", "ivanova"},
    {"Costa", "costa"},       {"Yamamoto", "yamamoto"},
    {"Ahmed", "ahmed"},       {"Novak", "novak"},
    {"Murphy", "murphy"},     {"Fernández", "fernandez"},
    {"Park", "park"},         {"Lindqvist", "lindqvist"},
    {"Osei", "osei"},         {"Brown", "brown"},
    {"Sato", "sato"},         {"Ali", "ali"},
};
#define NFIRST 32
#define NLAST 32
#define NNAMES (NFIRST * NLAST)

static int
weighted(struct rng *r, const int *w, size_t n)
{
    int total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    int x = (int)sample_rng_below(r, (uint32_t)total);
    for (size_t i = 0; i < n; i++) {
        if (x < w[i])
            return (int)i;
        x -= w[i];
    }
    return (int)n - 1;
}

void
sample_person_id(uint32_t i, char *out)
{
    snprintf(out, 64, "E%06u", i + 1);
}

void
sample_pair_id(uint32_t i, char *out)
{
    snprintf(out, 64, "P%06u", i + 1);
}

const char *
sample_program_name(int program)
{
    return program == PROG_JOINERS ? "New Joiners" : "Global Mentoring";
}

void
sample_person_first_last(const struct person *p, char *first, char *last)
{
    uint32_t k = p->name % NNAMES;
    snprintf(first, 64, "%s", first_names[k % NFIRST][0]);
    snprintf(last, 64, "%s", last_names[k / NFIRST][0]);
}

void
sample_person_name(const struct person *p, char *out)
{
    uint32_t k = p->name % NNAMES;
    snprintf(out, 64, "%s %s", first_names[k % NFIRST][0],
             last_names[k / NFIRST][0]);
}

void
sample_person_name_rev(const struct person *p, char *out)
{
    uint32_t k = p->name % NNAMES;
    snprintf(out, 64, "%s, %s", last_names[k / NFIRST][0],
             first_names[k % NFIRST][0]);
}

/* The name key is a bijection of the index within each block of NNAMES
 * people, and the block number becomes a suffix, so e-mails are unique. */
static void
email(const struct sample *s, uint32_t i, int mixed, char *out)
{
    const struct person *p = &s->people[i];
    uint32_t k = p->name % NNAMES, block = p->name / NNAMES;
    char f[32], l[32], suffix[16] = "";
    snprintf(f, sizeof(f), "%s", first_names[k % NFIRST][1]);
    snprintf(l, sizeof(l), "%s", last_names[k / NFIRST][1]);
    if (block)
        snprintf(suffix, sizeof(suffix), "%u", block + 1);
    if (mixed) {
        f[0] = (char)toupper((unsigned char)f[0]);
        l[0] = (char)toupper((unsigned char)l[0]);
    }
    snprintf(out, 64, "%.20s.%.20s%.8s@%s", f, l, suffix,
             mixed ? "Example.com" : "example.com");
}

void
sample_person_email(const struct sample *s, uint32_t i, char *out)
{
    email(s, i, s->people[i].mixed_case, out);
}

void
sample_person_email_lower(const struct sample *s, uint32_t i, char *out)
{
    email(s, i, 0, out);
}

const struct version *
sample_version_at(const struct sample *s, const struct person *p, int32_t day)
{
    if (p->in_first && day < s->snap[1])
        return &p->v[0];
    return &p->v[1];
}

const char *
sample_zone_at(const struct sample *s, uint32_t i, int32_t day)
{
    return sample_sites[sample_version_at(s, &s->people[i], day)->site].zone;
}

int
sample_employed(const struct sample *s, uint32_t i, int32_t day)
{
    const struct person *p = &s->people[i];
    return p->joined <= day && (!p->left || p->left >= day);
}

static void
make_people(struct sample *s)
{
    struct rng r;
    sample_rng_seed(&r, s->seed, 1);
    s->people = tether_xcalloc(s->npeople, sizeof(struct person));
    uint32_t mult = 617, offset = (uint32_t)(s->seed % NNAMES);
    for (uint32_t i = 0; i < s->npeople; i++) {
        struct person *p = &s->people[i];
        p->name = (i / NNAMES) * NNAMES + ((i % NNAMES) * mult + offset) % NNAMES;
        struct version *v = &p->v[0];
        double u = sample_rng_unit(&r);
        v->mode = u < 0.62 ? MODE_OFFICE : u < 0.80 ? MODE_HYBRID : MODE_REMOTE;
        if (v->mode == MODE_REMOTE)
            v->site = (uint8_t)(OFFICE_SITES +
                                sample_rng_below(&r, (uint32_t)(sample_site_count -
                                                         OFFICE_SITES)));
        else
            v->site = (uint8_t)weighted(&r, office_weight, OFFICE_SITES);
        v->dept = (uint8_t)weighted(&r, dept_weight, sample_department_count);
        p->level = (uint8_t)weighted(&r, level_weight, 5);
        /* Alias spellings HR systems really use. */
        double a = sample_rng_unit(&r);
        if (v->mode == MODE_OFFICE)
            v->spelling = a < 0.08 ? 1 : a < 0.12 ? 2 : 0;
        else if (v->mode == MODE_REMOTE)
            v->spelling = a < 0.10 ? 1 : 0;
        else
            v->spelling = a < 0.05 ? 2 : 0;
        p->mixed_case = (uint8_t)sample_rng_chance(&r, 0.12);
        p->in_first = 1;
        p->joined = s->start - sample_rng_range(&r, 30, 3650);
        if (s->snap[1] > s->start + 1 && sample_rng_chance(&r, 0.10)) {
            p->joined = sample_rng_range(&r, s->start + 1, s->snap[1]);
            p->in_first = 0;
            s->joiners++;
        } else if (s->snap[1] > s->start + 21 && sample_rng_chance(&r, SAMPLE_LEAVE)) {
            p->left = sample_rng_range(&r, s->start + 20, s->snap[1] - 1);
            s->leavers++;
        }
        p->v[1] = *v;
        if (!p->left && sample_rng_chance(&r, 0.04)) {
            uint8_t d = (uint8_t)weighted(&r, dept_weight,
                                          sample_department_count);
            if (d != v->dept && p->in_first) {
                p->v[1].dept = d;
                s->dept_changes++;
            }
        }
        if (!p->left && v->mode == MODE_OFFICE && sample_rng_chance(&r, 0.03)) {
            p->v[1].mode = MODE_HYBRID;
            p->v[1].spelling = 0;
        }
    }
    /* Three executives: a group too small to show survey answers for. */
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->npeople && n < 3; i++) {
        struct person *p = &s->people[i];
        if (p->level >= 3 && p->in_first && !p->left &&
            p->v[1].mode == MODE_OFFICE) {
            p->level = LEVEL_EXECUTIVE;
            p->mentor = 1;
            s->exec[n++] = i;
        }
    }
    for (; n < 3; n++)
        s->exec[n] = UINT32_MAX;
    /* Promotions across the snapshots: a level change in people-2.csv, as
     * likely for the mentored as for anyone (no effect is planted). A
     * stream of their own keeps the rest of the organisation as it was. */
    struct rng pr;
    sample_rng_seed(&pr, s->seed, 6);
    for (uint32_t i = 0; i < s->npeople; i++) {
        struct person *p = &s->people[i];
        p->level2 = p->level;
        if (sample_rng_chance(&pr, SAMPLE_PROMOTION) && p->in_first &&
            p->level + 1 < LEVEL_EXECUTIVE) {
            p->level2 = (uint8_t)(p->level + 1);
            s->promotions++;
        }
    }
}

static int
is_exec(const struct sample *s, uint32_t i)
{
    return s->people[i].level == LEVEL_EXECUTIVE;
}

static void
add_pair(struct sample *s, const struct pair *p)
{
    if (s->npairs == s->cap_pairs) {
        s->cap_pairs = s->cap_pairs ? s->cap_pairs * 2 : 256;
        s->pairs = tether_xrealloc(s->pairs,
                                   s->cap_pairs * sizeof(struct pair));
    }
    s->pairs[s->npairs++] = *p;
}

/* A mentor for mentee on day, from the pool: employed a month on, not the
 * mentee, of the same department when same_dept asks it; UINT32_MAX when
 * none is found. */
static uint32_t
pick_mentor(struct sample *s, struct rng *r, const uint32_t *pool,
            uint32_t npool, uint32_t mentee, int32_t day, int same_dept,
            uint32_t not)
{
    const struct version *me = sample_version_at(s, &s->people[mentee], day);
    for (int t = 0; t < 40 && npool; t++) {
        uint32_t m = pool[sample_rng_below(r, npool)];
        const struct person *p = &s->people[m];
        if (m == mentee || m == not || p->joined > day ||
            (p->left && p->left < day + 30))
            continue;
        if (same_dept && t < 25 &&
            sample_version_at(s, p, day)->dept != me->dept)
            continue;
        return m;
    }
    return UINT32_MAX;
}

static uint8_t
pick_fate(struct sample *s, struct rng *r, uint32_t mentor, uint32_t mentee)
{
    int remote = s->people[mentor].v[1].mode == MODE_REMOTE ||
                 s->people[mentee].v[1].mode == MODE_REMOTE;
    double u = sample_rng_unit(r);
    double nm = remote ? 0.07 : 0.04, fd = remote ? 0.16 : 0.08,
           ar = remote ? 0.08 : 0.05;
    if (u < nm)
        return FATE_NEVER_MET;
    if (u < nm + fd)
        return FATE_FADED;
    if (u < nm + fd + ar)
        return FATE_AT_RISK;
    return FATE_HEALTHY;
}

/* Ends the pair no later than either person's last day. 0 when the pair
 * still makes sense. */
static int
clip_pair(struct sample *s, struct pair *p)
{
    for (int k = 0; k < 2; k++) {
        const struct person *q = &s->people[k ? p->mentee : p->mentor];
        if (q->left && (!p->ended || p->ended > q->left))
            p->ended = q->left;
    }
    if (p->ended && p->ended > s->end)
        p->ended = 0;
    return p->ended && p->ended < p->started + 14 ? -1 : 0;
}

static void
make_pairs(struct sample *s)
{
    struct rng r;
    sample_rng_seed(&r, s->seed, 2);
    static const double mentor_p[3] = {0.50, 0.45, 0.25};
    static const double mentee_p[3] = {0.52, 0.48, 0.24};
    uint32_t *pool = tether_xmalloc(s->npeople * sizeof(uint32_t));
    uint32_t npool = 0;
    for (uint32_t i = 0; i < s->npeople; i++) {
        struct person *p = &s->people[i];
        /* Executives mentor only in their own pairs (below), so no two
         * pairs ever join the same two people at once. */
        if (p->level >= 2 && !is_exec(s, i) &&
            (!p->left || p->left > s->start + 60) &&
            sample_rng_chance(&r, mentor_p[p->v[1].mode])) {
            p->mentor = 1;
            pool[npool++] = i;
        }
    }
    for (uint32_t i = 0; i < s->npeople; i++) {
        struct person *p = &s->people[i];
        if (is_exec(s, i) || !sample_rng_chance(&r, mentee_p[p->v[1].mode]))
            continue;
        struct pair q = {0};
        q.mentee = i;
        if (p->joined > s->start - 90) {
            q.program = PROG_JOINERS;
            q.cadence = 14;
            q.started = p->joined + sample_rng_range(&r, 7, 28);
            q.ended = q.started + 182;
            q.chose = sample_rng_chance(&r, 0.7) ? -1 : 0;
        } else {
            q.program = PROG_GLOBAL;
            q.cadence = 30;
            q.started = sample_rng_range(&r, s->start - 240, s->end - 10);
            if (q.started < p->joined + 30)
                q.started = p->joined + 30;
            q.ended = sample_rng_chance(&r, 0.3) ? q.started + sample_rng_range(&r, 90, 300)
                                          : 0;
            double u = sample_rng_unit(&r);
            q.chose = u < 0.55 ? 1 : u < 0.85 ? 0 : -1;
        }
        if (q.started > s->end - 3)
            continue;
        q.mentor = pick_mentor(s, &r, pool, npool, i, q.started,
                               q.program == PROG_JOINERS, UINT32_MAX);
        if (q.mentor == UINT32_MAX || clip_pair(s, &q))
            continue;
        /* An earlier pairing that ended, for some long-serving mentees. */
        if (q.program == PROG_GLOBAL && sample_rng_chance(&r, 0.35)) {
            struct pair e = q;
            e.started = q.started - sample_rng_range(&r, 200, 320);
            e.ended = e.started + sample_rng_range(&r, 100, 180);
            e.chose = sample_rng_chance(&r, 0.5) ? 1 : 0;
            if (e.started >= p->joined + 30 && e.started >= s->start - 420 &&
                e.ended < q.started - 5) {
                e.mentor = pick_mentor(s, &r, pool, npool, i, e.started, 0,
                                       q.mentor);
                if (e.mentor != UINT32_MAX && !clip_pair(s, &e) && e.ended) {
                    e.fate = pick_fate(s, &r, e.mentor, e.mentee);
                    add_pair(s, &e);
                }
            }
        }
        q.fate = pick_fate(s, &r, q.mentor, q.mentee);
        add_pair(s, &q);
    }
    /* Executives mentor someone through the whole last quarter, so that
     * the survey has exactly three executive respondents. */
    for (int k = 0; k < 3; k++) {
        uint32_t m = s->exec[k];
        if (m == UINT32_MAX)
            continue;
        for (uint32_t t = 0; t < 200; t++) {
            uint32_t e = sample_rng_below(&r, s->npeople);
            const struct person *pe = &s->people[e];
            if (e == m || is_exec(s, e) || pe->left ||
                pe->joined > s->start - 60)
                continue;
            struct pair q = {0};
            q.mentor = m;
            q.mentee = e;
            q.program = PROG_GLOBAL;
            q.cadence = 30;
            q.started = s->start - sample_rng_range(&r, 30, 120);
            int32_t j = s->people[m].joined > pe->joined ? s->people[m].joined
                                                         : pe->joined;
            if (q.started <= j)
                q.started = j + 1;
            q.chose = 1;
            q.fate = FATE_HEALTHY;
            add_pair(s, &q);
            break;
        }
    }
    free(pool);
}

/* The first office mentor in Europe with an open pair that began well
 * before the second snapshot moves to South Australia and works remotely
 * from there: a new site, a half-hour zone, and a new work mode. */
static void
relocate(struct sample *s)
{
    s->relocated = -1;
    for (int pass = 0; pass < 2 && s->relocated < 0; pass++) {
        for (uint32_t k = 0; k < s->npairs; k++) {
            const struct pair *q = &s->pairs[k];
            struct person *m = &s->people[q->mentor];
            if (q->ended || q->started > s->snap[1] - 45 || !m->in_first ||
                m->left || is_exec(s, q->mentor) ||
                m->v[1].mode != MODE_OFFICE ||
                (pass == 0 && sample_sites[m->v[1].site].region[0] != 'E'))
                continue;
            m->v[1].site = SITE_REMOTE_SA;
            m->v[1].mode = MODE_REMOTE;
            m->v[1].spelling = 0;
            s->relocated = q->mentor;
            break;
        }
    }
}

static void
mark_calendar(struct sample *s)
{
    /* Decided whatever --formats says, so that the contacts are the same
     * with and without the export files. */
    for (uint32_t k = 0; k < s->npairs && s->calendar_series < 50; k++) {
        struct pair *q = &s->pairs[k];
        if (q->program != PROG_JOINERS || q->fate != FATE_HEALTHY ||
            (int64_t)q->mentor == s->relocated || k % 2 ||
            !sample_ics_zone_known(sample_zone_at(s, q->mentor, q->started)))
            continue;
        int32_t hi = q->ended ? q->ended : s->end;
        if (hi - q->started < 45)
            continue;
        q->calendar = 1;
        s->calendar_series++;
    }
}

/* The planted retention effect. Leavers were drawn for everyone alike
 * (make_people); a mentee of a pair that was meeting on the impact
 * baseline (started a month before it, not ended by then, not a match that
 * never met) stays with the probability SAMPLE_KEEP of their work mode:
 * mentored people leave less, office and hybrid mentees more markedly so
 * than remote ones. Their pairs keep the end the departure gave them. */
static void
plant_retention(struct sample *s)
{
    struct rng r;
    sample_rng_seed(&r, s->seed, 7);
    for (uint32_t k = 0; k < s->npairs; k++) {
        const struct pair *q = &s->pairs[k];
        struct person *p = &s->people[q->mentee];
        if (q->started <= s->baseline - 30 && q->fate != FATE_NEVER_MET &&
            (!q->ended || q->ended > s->baseline) && p->in_first &&
            p->joined <= s->baseline)
            p->mentored = 1;
    }
    static const double keep[3] = {SAMPLE_KEEP_OFFICE, SAMPLE_KEEP_OFFICE,
                                   SAMPLE_KEEP_REMOTE};
    for (uint32_t i = 0; i < s->npeople; i++) {
        struct person *p = &s->people[i];
        double u = sample_rng_unit(&r);
        if (!p->left || !p->mentored || u >= keep[p->v[0].mode])
            continue;
        p->left = 0;
        p->stayed = 1;
        s->leavers--;
        s->kept[p->v[0].mode]++;
    }
}

int
sample_org_build(struct sample *s)
{
    s->baseline = s->start - 1;
    make_people(s);
    make_pairs(s);
    plant_retention(s);
    relocate(s);
    mark_calendar(s);
    return 0;
}

const char *
sample_status_name(enum status st)
{
    switch (st) {
    case ST_NONE:
        break;
    case ST_NEW:
        return tether_status_names[TETHER_STATUS_NEW];
    case ST_NEVER_MET:
        return tether_status_names[TETHER_STATUS_NEVER_MET];
    case ST_ENDED:
        return tether_status_names[TETHER_STATUS_ENDED];
    case ST_INACTIVE:
        return tether_status_names[TETHER_STATUS_INACTIVE];
    case ST_AT_RISK:
        return tether_status_names[TETHER_STATUS_AT_RISK];
    case ST_ACTIVE:
        return tether_status_names[TETHER_STATUS_ACTIVE];
    }
    return "";
}

const char *
sample_mode_name(enum work_mode m)
{
    switch (m) {
    case MODE_OFFICE:
        return tether_mode_names[TETHER_MODE_OFFICE];
    case MODE_HYBRID:
        return tether_mode_names[TETHER_MODE_HYBRID];
    case MODE_REMOTE:
        return tether_mode_names[TETHER_MODE_REMOTE];
    }
    return "";
}

static const char *
mode_text(const struct version *v)
{
    /* spelling 0 is the vocabulary's */
    static const char *const text[3][3] = {
        {NULL, "On-site", "Office"},
        {NULL, "hybrid", "Hybrid"},
        {NULL, "Mobile", "Remote"},
    };
    return v->spelling ? text[v->mode][v->spelling]
                       : sample_mode_name((enum work_mode)v->mode);
}

static int
write_people(struct sample *s, int which)
{
    char load[96];
    char asof[TETHER_DATE_LEN];
    tether_date_format(s->snap[which], asof);
    snprintf(load, sizeof(load), "tether-collect people --as-of %s", asof);
    struct outfile *o = sample_out_open(
        s, which ? "people-2.csv" : "people.csv", "people", "csv",
        load);
    if (!o)
        return -1;
    fputs("person_id,name,email,department,site,work_mode,timezone,"
          "joined_on,left_on,level,region\n",
          o->f);
    for (uint32_t i = 0; i < s->npeople; i++) {
        const struct person *p = &s->people[i];
        if ((which == 0 && !p->in_first) || p->joined > s->snap[which])
            continue;
        const struct version *v = &p->v[which];
        char id[64], name[64], mail[64], joined[TETHER_DATE_LEN],
            left[TETHER_DATE_LEN] = "";
        sample_person_id(i, id);
        sample_person_name(p, name);
        sample_person_email(s, i, mail);
        tether_date_format(p->joined, joined);
        if (which == 1 && p->left)
            tether_date_format(p->left, left);
        const char *row[] = {id,
                             name,
                             mail,
                             sample_departments[v->dept],
                             sample_sites[v->site].name,
                             mode_text(v),
                             sample_sites[v->site].zone,
                             joined,
                             left,
                             sample_levels[which ? p->level2 : p->level],
                             sample_sites[v->site].region};
        sample_csv_row(o->f, "\n", 11, row);
        o->rows++;
        if (which == 1 && v->spelling == 1)
            s->aliases[v->mode == MODE_OFFICE ? 0 : 1]++;
    }
    return sample_out_close(s, o);
}

static int
write_pairs(struct sample *s)
{
    struct outfile *o =
        sample_out_open(s, "pairs.csv", "pairs", "csv", "tether-collect pairs");
    if (!o)
        return -1;
    fputs("pair_id,program,mentor,mentee,started_on,ended_on,mentee_chose,"
          "cadence_days\n",
          o->f);
    for (uint32_t k = 0; k < s->npairs; k++) {
        const struct pair *q = &s->pairs[k];
        char pid[64], who[2][64], st[TETHER_DATE_LEN], en[TETHER_DATE_LEN] = "",
                                                       cad[8];
        sample_pair_id(k, pid);
        /* Most HR systems name people by id; some lists use e-mails. */
        for (int j = 0; j < 2; j++) {
            uint32_t i = j ? q->mentee : q->mentor;
            if ((k * 7 + (uint32_t)j) % 10 == 3)
                sample_person_email(s, i, who[j]);
            else
                sample_person_id(i, who[j]);
        }
        tether_date_format(q->started, st);
        if (q->ended)
            tether_date_format(q->ended, en);
        snprintf(cad, sizeof(cad), "%u", q->cadence);
        const char *row[] = {pid, sample_program_name(q->program), who[0],
                             who[1], st, en,
                             q->chose < 0 ? "" : q->chose ? "yes" : "no",
                             cad};
        sample_csv_row(o->f, "\n", 8, row);
        o->rows++;
    }
    return sample_out_close(s, o);
}

int
sample_org_write(struct sample *s)
{
    if (write_people(s, 0) || write_people(s, 1) || write_pairs(s))
        return -1;
    return 0;
}
