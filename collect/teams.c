/* teams.c - Microsoft Teams attendance reports: the current layout (UTF-16,
 * TAB-separated, sections "1. Summary", "2. Participants", "3. In-Meeting
 * activities"), the 2021 layout with a summary block and no numbered
 * sections, and the classic 2020 attendance list (Full Name, User Action,
 * Timestamp). The byte order comes from the BOM (core/textin.c). */
#include "collect.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tether/util.h"

/* Teams writes its headers in the organiser's language. The names below
 * are English (with the spellings of older versions), German, French,
 * Spanish, Portuguese, Italian, Dutch, Polish and Japanese. Where a name is
 * still unknown, the numbered sections and the fixed column order of the
 * current layout find the columns (see people_header). */
static const char *const name_names[] = {
    "Name", "Full Name", "Participant Name", "Nom", "Nombre", "Nome", "Naam",
    "Imię i nazwisko", "名前", NULL};
static const char *const join_names[] = {
    "First join", "Join time", "First Join Time", "Erster Beitritt",
    "Première participation", "Première arrivée", "Primera unión",
    "Primera entrada", "Primeira entrada", "Primo ingresso",
    "Prima partecipazione", "Eerste deelname", "Pierwsze dołączenie",
    "最初の参加", "最初の参加時刻", NULL};
static const char *const leave_names[] = {
    "Last leave", "Leave time", "Last Leave Time", "Letztes Verlassen",
    "Dernier départ", "Última salida", "Última saída", "Ultima uscita",
    "Laatste vertrek", "Laatst vertrokken", "Ostatnie wyjście",
    "Ostatnie opuszczenie", "最後の退出", "最終退出", NULL};
static const char *const duration_names[] = {
    "In-meeting duration", "In-Meeting Duration", "Duration",
    "Attendance duration", "Dauer in der Besprechung",
    "Besprechungsdauer", "Durée de la réunion", "Durée dans la réunion",
    "Duración en la reunión", "Duración de la reunión",
    "Duração na reunião", "Duração da reunião", "Durata nella riunione",
    "Durata riunione", "Duur in vergadering", "Duur in de vergadering",
    "Czas udziału w spotkaniu", "Czas w spotkaniu", "会議中の時間",
    "会議の長さ", NULL};
static const char *const email_names[] = {
    "Email", "E-mail", "E-Mail", "Adresse e-mail", "Correo electrónico",
    "Indirizzo di posta elettronica", "Adres e-mail", "メール",
    "メール アドレス", NULL};
static const char *const upn_names[] = {
    "Participant ID (UPN)", "UPN", "Participant ID", "Teilnehmer-ID (UPN)",
    "ID du participant (UPN)", "Id. de participante (UPN)",
    "ID do participante (UPN)", "ID partecipante (UPN)",
    "Deelnemer-id (UPN)", "Identyfikator uczestnika (UPN)",
    "参加者 ID (UPN)", NULL};
static const char *const action_names[] = {"User Action", "Action", NULL};
static const char *const timestamp_names[] = {"Timestamp", NULL};
/* Keys of the summary block. */
static const char *const title_keys[] = {
    "Meeting title", "Title", "Besprechungstitel", "Titre de la réunion",
    "Título de la reunión", "Título da reunião", "Titolo della riunione",
    "Titel van vergadering", "Vergadertitel", "Tytuł spotkania",
    "会議のタイトル", NULL};
static const char *const start_keys[] = {
    "Start time", "Meeting start time", "Startzeit", "Beginn",
    "Heure de début", "Hora de inicio", "Hora de início", "Ora di inizio",
    "Begintijd", "Godzina rozpoczęcia", "Czas rozpoczęcia", "開始時刻",
    NULL};
static const char *const end_keys[] = {
    "End time", "Meeting end time", "Endzeit", "Ende", "Heure de fin",
    "Hora de finalización", "Hora de término", "Hora de fim",
    "Ora di fine", "Eindtijd", "Godzina zakończenia", "Czas zakończenia",
    "終了時刻", NULL};
static const char *const meeting_duration_keys[] = {
    "Meeting duration", "Duration", "Besprechungsdauer",
    "Durée de la réunion", "Duración de la reunión",
    "Duração da reunião",
    "Durata della riunione", "Duur van vergadering", "Vergaderduur",
    "Czas trwania spotkania", "会議の長さ", "会議時間", NULL};

/* Does s equal one of names (NULL-terminated), ASCII case and blanks
 * around it ignored? */
static int
key_is(const char *s, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        if (tether_str_ieq_trim(s, names[i]))
            return 1;
    return 0;
}

int
teams_detect(const char *head)
{
    for (size_t i = 0; join_names[i]; i++) {
        char tab[96];
        snprintf(tab, sizeof(tab), "\t%s\t", join_names[i]);
        if (strstr(head, tab))
            return 1;
    }
    return strstr(head, "1. Summary") != NULL ||
           strstr(head, "Meeting title\t") != NULL ||
           strstr(head, "Meeting Title\t") != NULL ||
           strstr(head, "Full Name\tUser Action") != NULL ||
           (strstr(head, "\tFirst join\t") != NULL ||
            strstr(head, "\tFirst Join\t") != NULL);
}

enum section { S_NONE, S_SUMMARY, S_PARTICIPANTS, S_ACTIVITIES, S_OTHER };
enum table { T_NONE, T_PEOPLE, T_CLASSIC, T_IGNORE };

struct teams {
    struct import *imp;
    enum date_order order;
    const char *zone;
    struct meeting_report m;
    long c_name, c_join, c_leave, c_dur, c_email, c_upn, c_action, c_time;
    const struct report_record *hdr;
    int64_t end;
    int has_end;
    int broken; /* the summary's start time was rejected */
    int summary_rows;
};

/* "2. Participants": a number, a dot, a title, and nothing else. */
static enum section
section_of(const struct report_record *r)
{
    const char *f = r->field[0];
    if (!isdigit((unsigned char)*f))
        return S_NONE;
    while (isdigit((unsigned char)*f))
        f++;
    if (*f != '.')
        return S_NONE;
    for (size_t i = 1; i < r->n; i++)
        if (*r->field[i])
            return S_NONE;
    /* The number says which section it is, in every language. */
    long n = strtol(r->field[0], NULL, 10);
    return n == 1 ? S_SUMMARY
           : n == 2 ? S_PARTICIPANTS
           : n == 3 ? S_ACTIVITIES
                    : S_OTHER;
}

static int
parse_time(struct teams *t, const char *v, int64_t *ts)
{
    struct loctime lt;
    if (loctime_parse(v, t->order, &lt) || !lt.has_date || !lt.has_time)
        return -1;
    return loctime_to_utc(&lt, t->zone, ts);
}

static const char *
order_hint(const struct teams *t)
{
    return t->order == DATE_ORDER_DMY ? "DD/MM/YY, HH:MM:SS"
                                      : "MM/DD/YY, hh:mm:ss AM";
}

static void
summary_start(struct teams *t, const struct report_record *r)
{
    const char *k = r->field[0], *v = report_get(r, 1);
    t->m.line = r->line;
    t->m.raw = r->raw;
    if (parse_time(t, v, &t->m.started_at)) {
        import_reject(t->imp, r->line, k, r->raw,
                      "'%s' is not a date and time (%s)", v, order_hint(t));
        t->broken = 1;
    } else {
        t->m.has_start = 1;
    }
}

static void
summary_end(struct teams *t, const struct report_record *r)
{
    const char *k = r->field[0], *v = report_get(r, 1);
    if (parse_time(t, v, &t->end))
        import_reject(t->imp, r->line, k, r->raw,
                      "'%s' is not a date and time (%s)", v, order_hint(t));
    else
        t->has_end = 1;
}

/* A key/value line of the summary block. In a numbered "1." section whose
 * keys are in a language not listed, the section's first line is the
 * title and its first two date-times are the start and the end: Teams
 * writes them in that order in every language. */
static void
summary_row(struct teams *t, const struct report_record *r, int numbered)
{
    const char *k = r->field[0], *v = report_get(r, 1);
    int64_t ts;
    if (key_is(k, title_keys) || (numbered && !t->summary_rows && !t->m.id)) {
        free(t->m.id);
        t->m.id = tether_xstrdup(v);
    } else if (key_is(k, start_keys)) {
        summary_start(t, r);
    } else if (key_is(k, end_keys)) {
        summary_end(t, r);
    } else if (key_is(k, meeting_duration_keys)) {
        if (duration_parse(v, &t->m.duration_min)) {
            t->m.duration_min = NAN;
            import_reject(t->imp, r->line, k, r->raw,
                          "'%s' is not a duration (1h 5m 20s)", v);
        }
    } else if (numbered && parse_time(t, v, &ts) == 0) {
        if (!t->m.has_start && !t->broken)
            summary_start(t, r);
        else if (!t->has_end)
            summary_end(t, r);
    }
    t->summary_rows++;
}

/* Columns of a header whose names are not all known: the current layout's
 * order (Name, First join, Last leave, In-meeting duration, Email,
 * Participant ID (UPN), Role) is the same in every language. */
static void
people_header(struct teams *t)
{
    long *col[] = {&t->c_name, &t->c_join, &t->c_leave, &t->c_dur,
                   &t->c_email, &t->c_upn};
    for (size_t i = 0; i < sizeof(col) / sizeof(col[0]); i++)
        if (*col[i] < 0 && (size_t)i < t->hdr->n)
            *col[i] = (long)i;
}

static void
people_row(struct teams *t, const struct report_record *r)
{
    const struct report_record *h = t->hdr;
    int64_t join = INT64_MIN, leave = INT64_MIN;
    double minutes = NAN;
    const char *v;
    if (*(v = report_get(r, t->c_join)) && parse_time(t, v, &join)) {
        import_reject(t->imp, r->line, report_get(h, t->c_join), r->raw,
                      "'%s' is not a date and time (%s)", v, order_hint(t));
        return;
    }
    if (*(v = report_get(r, t->c_leave)) && parse_time(t, v, &leave)) {
        import_reject(t->imp, r->line, report_get(h, t->c_leave), r->raw,
                      "'%s' is not a date and time (%s)", v, order_hint(t));
        return;
    }
    if (*(v = report_get(r, t->c_dur)) && duration_parse(v, &minutes)) {
        import_reject(t->imp, r->line, report_get(h, t->c_dur), r->raw,
                      "'%s' is not a duration (1h 5m 20s)", v);
        return;
    }
    const char *email = report_get(r, t->c_email);
    const char *upn = report_get(r, t->c_upn);
    meeting_report_add(&t->m, report_get(r, t->c_name), *email ? email : upn,
                       *email ? upn : "", join, leave, minutes, r->line);
}

/* A row of the classic list: Joined, Left or Joined before. */
static void
classic_row(struct teams *t, const struct report_record *r)
{
    const struct report_record *h = t->hdr;
    const char *action = report_get(r, t->c_action);
    const char *v = report_get(r, t->c_time);
    int64_t ts;
    if (parse_time(t, v, &ts)) {
        import_reject(t->imp, r->line, report_get(h, t->c_time), r->raw,
                      "'%s' is not a date and time (%s)", v, order_hint(t));
        return;
    }
    if (!strcasecmp(action, "Joined") || !strcasecmp(action, "Joined before"))
        meeting_report_add(&t->m, report_get(r, t->c_name), "", "", ts,
                           INT64_MIN, NAN, r->line);
    else if (!strcasecmp(action, "Left"))
        meeting_report_add(&t->m, report_get(r, t->c_name), "", "", INT64_MIN,
                           ts, NAN, r->line);
    else
        import_reject(t->imp, r->line, report_get(h, t->c_action), r->raw,
                      "'%s' is not Joined, Left or Joined before", action);
}

/* When r is a participants header (named columns, or the first line of a
 * numbered section 2 or 3 in any language), takes its columns and returns
 * the kind of table it starts; T_NONE otherwise. */
static enum table
table_header(struct teams *t, const struct report_record *r,
             enum section section, enum table table, int *have_people)
{
    long c_name = report_find(r, name_names);
    long c_action = report_find(r, action_names);
    long c_join = report_find(r, join_names);
    /* The first line of section 2 or 3 is its header, whatever its
     * language. */
    int positional = table == T_NONE && r->n >= 4 &&
                     (section == S_PARTICIPANTS || section == S_ACTIVITIES);
    if (!(c_name >= 0 && (c_action >= 0 || c_join >= 0)) && !positional)
        return T_NONE;
    t->hdr = r;
    t->c_name = c_name;
    t->c_join = c_join;
    t->c_leave = report_find(r, leave_names);
    t->c_dur = report_find(r, duration_names);
    t->c_email = report_find(r, email_names);
    t->c_upn = report_find(r, upn_names);
    t->c_action = c_action;
    t->c_time = report_find(r, timestamp_names);
    if (positional && c_action < 0)
        people_header(t);
    if (c_action >= 0 && t->c_time >= 0)
        return T_CLASSIC;
    if (*have_people)
        return T_IGNORE; /* section 3 repeats section 2's people per join */
    *have_people = section != S_ACTIVITIES;
    return T_PEOPLE;
}

int
teams_load(struct import *imp)
{
    struct report_file rf;
    struct teams t = {.imp = imp, .zone = collect_zone(imp)};
    struct attendance *att = NULL;
    t.m.source = "teams";
    t.m.duration_min = NAN;
    int rc = -1;
    if (report_file_read(imp, '\t', &rf))
        return -1;
    long dmy = 0, mdy = 0;
    for (size_t k = 0; k < rf.n; k++)
        for (size_t i = 0; i < rf.rec[k].n; i++) {
            enum date_order o = loctime_order_hint(rf.rec[k].field[i]);
            dmy += o == DATE_ORDER_DMY;
            mdy += o == DATE_ORDER_MDY;
        }
    t.order = date_order_choose(imp, DATE_ORDER_DMY, dmy, mdy);
    if (!(att = attendance_new(imp)))
        goto out;
    enum section section = S_NONE;
    enum table table = T_NONE;
    int have_people = 0, seen_table = 0;
    for (size_t k = 0; k < rf.n; k++) {
        const struct report_record *r = &rf.rec[k];
        enum section s = section_of(r);
        if (s != S_NONE) {
            section = s;
            table = T_NONE;
            continue;
        }
        enum table found = table_header(&t, r, section, table, &have_people);
        if (found != T_NONE) {
            table = found;
            seen_table = 1;
            continue;
        }
        if (table == T_NONE) {
            if (section == S_NONE || section == S_SUMMARY) {
                if (r->n >= 2)
                    summary_row(&t, r, section == S_SUMMARY);
            }
            continue;
        }
        if (table == T_IGNORE)
            continue;
        imp->rows++;
        if (table == T_CLASSIC)
            classic_row(&t, r);
        else
            people_row(&t, r);
    }
    if (!seen_table) {
        snprintf(imp->errbuf, TETHER_ERRBUF,
                 "%s: not a Teams attendance report (no participant header "
                 "with Name and First join, or Full Name and User Action)",
                 imp->path);
        goto out;
    }
    if (isnan(t.m.duration_min) && t.m.has_start && t.has_end &&
        t.end >= t.m.started_at)
        t.m.duration_min = (double)(t.end - t.m.started_at) / 60.0;
    if (!t.m.line && t.hdr) {
        t.m.line = t.hdr->line;
        t.m.raw = t.hdr->raw;
    }
    /* Without its start the meeting's key is unknown: its rows are
     * reported, the meeting is not loaded. */
    if (!t.broken && attendance_store(att, &t.m))
        goto out;
    if (attendance_flush(att))
        goto out;
    rc = 0;
out:
    meeting_report_clear(&t.m);
    attendance_free(att);
    report_file_free(&rf);
    return rc;
}
