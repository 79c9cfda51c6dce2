/* messages.c - e-mail and chat between the meetings, as the organisation's
 * systems export them (FORMATS.md of testdata/comms): the Exchange Online
 * message trace of every e-mail (Get-MessageTrace piped to Export-Csv:
 * one row per recipient, every field quoted, times as en-US PowerShell
 * writes them), the mailbox of one mentor (mbox, with the invitations of
 * his meetings, which are no contacts), and the Slack export of the direct
 * messages (a zip written with libzip). Each e-mail and chat is also a row
 * of expected/messages.csv, the canonical twin. Only made-up metadata and
 * bland texts: nothing here is anyone's mail. */
#include "sample.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "tether/timeutil.h"
#include "tether/util.h"

static const char trace_header[] =
    "\"PSComputerName\",\"RunspaceId\",\"PSShowComputerName\","
    "\"Organization\",\"MessageId\",\"Received\",\"SenderAddress\","
    "\"RecipientAddress\",\"Subject\",\"Status\",\"ToIP\",\"FromIP\","
    "\"Size\",\"MessageTraceId\",\"StartDate\",\"EndDate\",\"Index\"\r\n";

/* The export's first and last day, as the trace's query window. */
static char window_start[32], window_end[32];

int
sample_messages_begin(struct sample *s)
{
    s->mbox_owner = s->npairs ? (int64_t)s->pairs[0].mentor : -1;
    s->slack = s->npeople <= SAMPLE_SLACK_MAX_PEOPLE;
    s->trace = sample_out_open(s, "mail/message-trace.csv", "messages",
                               "trace", "tether-collect messages");
    s->exp_msgs = sample_out_open(s, "expected/messages.csv", "expected",
                                  "csv", "tether-collect meetings");
    if (!s->trace || !s->exp_msgs)
        return -1;
    if (s->mbox_owner >= 0) {
        char id[64], rel[96];
        sample_person_id((uint32_t)s->mbox_owner, id);
        snprintf(rel, sizeof(rel), "mail/%s.mbox", id);
        char mail[64], load[160];
        sample_person_email_lower(s, (uint32_t)s->mbox_owner, mail);
        snprintf(load, sizeof(load), "tether-collect messages --owner %s",
                 mail);
        if (!(s->mbox = sample_out_open(s, rel, "messages", "mbox", load)))
            return -1;
    }
    fputs(trace_header, s->trace->f);
    char d[TETHER_DATE_LEN];
    tether_date_format(s->start, d);
    snprintf(window_start, sizeof(window_start), "%sT00:00:00Z", d);
    tether_date_format(s->end + 1, d);
    snprintf(window_end, sizeof(window_end), "%sT00:00:00Z", d);
    return 0;
}

/* "9/5/2022 6:10:13 PM": a DateTime as Export-Csv writes it in en-US. */
static void
us_time(int64_t t, char *out, size_t n)
{
    int32_t day = (int32_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
    int sec = (int)(t - (int64_t)day * 86400);
    int y, m, d;
    tether_civil_from_days(day, &y, &m, &d);
    int h = sec / 3600;
    snprintf(out, n, "%d/%d/%d %d:%02d:%02d %s", m, d, y,
             h % 12 ? h % 12 : 12, sec % 3600 / 60, sec % 60,
             h < 12 ? "AM" : "PM");
}

static void
trace_row(struct sample *s, const char *mid, int64_t t, const char *from,
          const char *to, const char *subject, uint64_t index)
{
    char when[48], id[48];
    us_time(t, when, sizeof(when));
    snprintf(id, sizeof(id), "%08llx-0000-4000-8000-%012llx",
             (unsigned long long)(index & 0xffffffffu),
             (unsigned long long)(uint64_t)t);
    fprintf(s->trace->f,
            "\"outlook.office365.com\",\"6d1f4c2a\",\"False\","
            "\"example.onmicrosoft.com\",\"<%s>\",\"%s\",\"%s\",\"%s\","
            "\"%s\",\"Delivered\",\"\",\"10.1.0.7\",\"%u\",\"%s\",\"%s\","
            "\"%s\",\"%llu\"\r\n",
            mid, when, from, to, subject, 2000u + (unsigned)(index % 9000),
            id, window_start, window_end, (unsigned long long)index);
    s->trace->rows++;
}

/* RFC 5322's date in UTC and the mbox separator's asctime form. */
static void
mail_dates(int64_t t, char *rfc, char *sep)
{
    static const char *const wd[] = {"Mon", "Tue", "Wed", "Thu",
                                     "Fri", "Sat", "Sun"};
    static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr",
                                     "May", "Jun", "Jul", "Aug",
                                     "Sep", "Oct", "Nov", "Dec"};
    int32_t day = (int32_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
    int sec = (int)(t - (int64_t)day * 86400);
    int y, m, d;
    tether_civil_from_days(day, &y, &m, &d);
    const char *w = wd[tether_weekday(day)];
    snprintf(rfc, 64, "%s, %02d %s %d %02d:%02d:%02d +0000", w, d, mo[m - 1],
             y, sec / 3600, sec % 3600 / 60, sec % 60);
    snprintf(sep, 64, "%s %s %2d %02d:%02d:%02d %d", w, mo[m - 1], d,
             sec / 3600, sec % 3600 / 60, sec % 60, y);
}

void
sample_message_email(struct sample *s, uint32_t k, int64_t t, int from_mentee,
                     size_t n, int summary)
{
    const struct pair *q = &s->pairs[k];
    uint32_t a = from_mentee ? q->mentee : q->mentor;
    uint32_t b = from_mentee ? q->mentor : q->mentee;
    char from[64], to[64], pid[64], mid[96];
    sample_person_email_lower(s, a, from);
    sample_person_email_lower(s, b, to);
    sample_pair_id(k, pid);
    snprintf(mid, sizeof(mid), "%s-%03zu@mail.example.com", pid, n);
    const char *subject = summary ? "Notes from our conversation"
                                  : "A question";
    trace_row(s, mid, t, from, to, subject, ++s->emails);
    if (!s->mbox || (int64_t)q->mentor != s->mbox_owner)
        return;
    char rfc[64], sep[64];
    mail_dates(t, rfc, sep);
    fprintf(s->mbox->f,
            "From %s %s\nFrom: %s\nTo: %s\nSubject: %s\nDate: %s\n"
            "Message-ID: <%s>\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n\n%s\n\n",
            from, sep, from, to, subject, rfc, mid,
            summary ? "What we talked about, and what comes next."
                    : "Have you got a minute this week?");
    s->mbox->rows++;
}

void
sample_message_invite(struct sample *s, uint32_t k, int64_t t, size_t n)
{
    if (!s->mbox)
        return;
    const struct pair *q = &s->pairs[k];
    char from[64], to[64], pid[64], rfc[64], sep[64], start[TETHER_TS_LEN];
    sample_person_email_lower(s, q->mentor, from);
    sample_person_email_lower(s, q->mentee, to);
    sample_pair_id(k, pid);
    /* Sent a week before the meeting. */
    mail_dates(t - 7 * 86400, rfc, sep);
    tether_ts_format(t, start);
    fprintf(s->mbox->f,
            "From %s %s\nFrom: %s\nTo: %s\nSubject: Invitation: mentoring\n"
            "Date: %s\nMessage-ID: <%s-%03zu-invite@mail.example.com>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/alternative; boundary=\"inv\"\n\n"
            "--inv\nContent-Type: text/plain; charset=utf-8\n\n"
            "You are invited.\n--inv\n"
            "Content-Type: text/calendar; charset=utf-8; method=REQUEST\n\n"
            "BEGIN:VCALENDAR\nVERSION:2.0\nMETHOD:REQUEST\nBEGIN:VEVENT\n"
            "UID:%s-%03zu@mail.example.com\n"
            "DTSTART:%.4s%.2s%.2sT%.2s%.2s%.2sZ\n"
            "ORGANIZER:mailto:%s\nATTENDEE:mailto:%s\nEND:VEVENT\n"
            "END:VCALENDAR\n--inv--\n\n",
            from, sep, from, to, rfc, pid, n, pid, n, start, start + 5,
            start + 8, start + 11, start + 14, start + 17, from, to);
    s->mbox->rows++;
    s->invitations++;
}

void
sample_message_chat(struct sample *s, uint32_t k, int64_t t, int from_mentee)
{
    if (s->nchats == s->cap_chats) {
        s->cap_chats = s->cap_chats ? 2 * s->cap_chats : 1024;
        s->chats =
            tether_xrealloc(s->chats, s->cap_chats * sizeof(*s->chats));
    }
    s->chats[s->nchats++] =
        (struct sample_chat){k, t, (uint8_t)(from_mentee != 0)};
}

/* Adds name with the JSON text of j (taken) to the zip, dated as Slack's
 * own exports are not: at a fixed time, so that the bytes are the same
 * at every run. */
static int
zip_json(struct sample *s, zip_t *z, const char *name, json_t *j)
{
    char *text = json_dumps(j, JSON_INDENT(4) | JSON_ENSURE_ASCII);
    json_decref(j);
    if (!text)
        return -1;
    zip_source_t *src = zip_source_buffer(z, text, strlen(text), 1);
    if (!src) {
        free(text);
        return -1;
    }
    zip_int64_t i = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8);
    if (i < 0) {
        zip_source_free(src);
        snprintf(s->errbuf, TETHER_ERRBUF, "cannot add %s: %s", name,
                 zip_strerror(z));
        return -1;
    }
    zip_file_set_mtime(z, (zip_uint64_t)i, 1767225600, 0);
    return 0;
}

static void
user_id(uint32_t i, char *out)
{
    snprintf(out, 16, "U%07u", i);
}

/* users.json, channels.json, dms.json, mpims.json and a folder per direct
 * conversation with a file per UTC day. Some messages were edited: they
 * carry "edited" and are followed by a message_changed event, as in real
 * exports; that is still one message. */
static int
write_slack(struct sample *s, const char *path)
{
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z) {
        snprintf(s->errbuf, TETHER_ERRBUF, "cannot create '%s'", path);
        return -1;
    }
    int rc = -1;
    json_t *users = json_array();
    for (uint32_t i = 0; i < s->npeople; i++) {
        const struct person *p = &s->people[i];
        char id[16], name[64], mail[64];
        user_id(i, id);
        sample_person_name(p, name);
        sample_person_email_lower(s, i, mail);
        json_array_append_new(
            users, json_pack("{s:s, s:s, s:s, s:b, s:s, s:{s:s, s:s}}", "id",
                             id, "team_id", "T0000001", "name", name,
                             "deleted", p->left && p->left <= s->end, "tz",
                             sample_zone_at(s, i, s->end), "profile", "email",
                             mail, "real_name", name));
    }
    json_t *dms = json_array();
    if (zip_json(s, z, "users.json", users) ||
        zip_json(s, z, "channels.json",
                 json_pack("[{s:s, s:s, s:s, s:[]}]", "id", "C0000001",
                           "name", "general", "created", "1735689600",
                           "members")) ||
        zip_json(s, z, "mpims.json", json_array()))
        goto out;
    for (size_t i = 0; i < s->nchats;) {
        uint32_t k = s->chats[i].pair;
        const struct pair *q = &s->pairs[k];
        char conv[16], um[16], ue[16];
        snprintf(conv, sizeof(conv), "D%07u", k);
        user_id(q->mentor, um);
        user_id(q->mentee, ue);
        json_array_append_new(
            dms, json_pack("{s:s, s:I, s:[s, s]}", "id", conv, "created",
                           (json_int_t)q->started * 86400, "members", um, ue));
        while (i < s->nchats && s->chats[i].pair == k) {
            int64_t t0 = s->chats[i].t;
            int32_t day = (int32_t)(t0 / 86400);
            json_t *msgs = json_array();
            for (; i < s->nchats && s->chats[i].pair == k &&
                   s->chats[i].t / 86400 == day;
                 i++) {
                const struct sample_chat *c = &s->chats[i];
                char ts[32];
                snprintf(ts, sizeof(ts), "%lld.%06u", (long long)c->t,
                         (unsigned)(i % 1000000));
                const char *who = c->from_mentee ? ue : um;
                json_t *m = json_pack("{s:s, s:s, s:s, s:s}", "type",
                                      "message", "user", who, "text",
                                      c->from_mentee ? "Quick question"
                                                     : "How is it going?",
                                      "ts", ts);
                json_array_append_new(msgs, m);
                if (i % 5 == 0) {
                    char ets[32];
                    snprintf(ets, sizeof(ets), "%lld.%06u",
                             (long long)c->t + 60, (unsigned)(i % 1000000));
                    json_object_set_new(
                        m, "edited", json_pack("{s:s, s:s}", "user", who,
                                               "ts", ets));
                    json_array_append_new(
                        msgs,
                        json_pack("{s:s, s:s, s:b, s:s, s:{s:s, s:s, s:s}}",
                                  "type", "message", "subtype",
                                  "message_changed", "hidden", 1, "ts", ets,
                                  "message", "type", "message", "user", who,
                                  "ts", ts));
                }
            }
            char d[TETHER_DATE_LEN], name[48];
            tether_date_format(day, d);
            snprintf(name, sizeof(name), "%s/%s.json", conv, d);
            if (zip_json(s, z, name, msgs))
                goto out;
        }
    }
    if (zip_json(s, z, "dms.json", dms))
        goto out;
    dms = NULL;
    if (zip_close(z)) {
        snprintf(s->errbuf, TETHER_ERRBUF, "cannot write '%s': %s", path,
                 zip_strerror(z));
        zip_discard(z);
        return -1;
    }
    return 0;
out:
    json_decref(dms);
    zip_discard(z);
    return rc;
}

int
sample_messages_end(struct sample *s)
{
    /* A monthly all-hands from the first executive to a few people and
     * the mailbox's owner: a broadcast, no contact of anyone's. */
    uint32_t exec = s->exec[0];
    char from[64];
    sample_person_email_lower(s, exec, from);
    for (int32_t d = s->start; d <= s->end; d++) {
        int y, m, dd;
        tether_civil_from_days(d, &y, &m, &dd);
        if (dd != 1)
            continue;
        char mid[64];
        snprintf(mid, sizeof(mid), "all-hands-%04d-%02d@mail.example.com", y,
                 m);
        int64_t t = (int64_t)d * 86400 + 9 * 3600;
        for (uint32_t i = 0; i < 8 && i < s->npeople; i++) {
            char to[64];
            sample_person_email_lower(s, i, to);
            trace_row(s, mid, t, from, to, "All hands", ++s->emails);
        }
    }
    int rc = 0;
    struct outfile *all[] = {s->trace, s->mbox, s->exp_msgs};
    for (size_t i = 0; i < 3; i++)
        if (sample_out_close(s, all[i]))
            rc = -1;
    if (rc == 0 && s->slack) {
        struct outfile *o = sample_out_open(s, "slack-export.zip", "messages",
                                            "slack", "tether-collect messages");
        if (!o || sample_out_close(s, o))
            return -1;
        o->rows = s->nchats;
        char *path = tether_xasprintf("%s/%s", s->dir, o->rel);
        rc = write_slack(s, path);
        free(path);
    }
    free(s->chats);
    s->chats = NULL;
    return rc;
}
