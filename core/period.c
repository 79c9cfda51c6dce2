/* period.c - calendar quarters, fiscal quarters and date ranges. */
#include "tether/period.h"
#include "tether/timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The first day of month m (1-12, may run past 12 or below 1) of year y. */
static int32_t
month_start(int y, int m)
{
    while (m > 12) {
        m -= 12;
        y++;
    }
    while (m < 1) {
        m += 12;
        y--;
    }
    return tether_days_from_civil(y, m, 1);
}

/* Sets p to quarter q (1-4) of the fiscal year fy (named by the calendar
 * year in which it ends; with fiscal_start 1 it is the calendar year). */
static void
set_quarter(struct tether_period *p, int fy, int q, int fiscal_start)
{
    if (fiscal_start < 1 || fiscal_start > 12)
        fiscal_start = 1;
    int first_y = fiscal_start == 1 ? fy : fy - 1;
    int m = fiscal_start + 3 * (q - 1);
    p->start = month_start(first_y, m);
    p->end = month_start(first_y, m + 3) - 1;
    if (fiscal_start == 1)
        snprintf(p->label, sizeof(p->label), "%04uQ%u",
                 (unsigned)fy % 10000u, (unsigned)q % 10u);
    else
        snprintf(p->label, sizeof(p->label), "FY%04uQ%u",
                 (unsigned)fy % 10000u, (unsigned)q % 10u);
}

int
tether_period_quarter(struct tether_period *p, const char *spec,
                      int fiscal_start)
{
    const char *s = spec;
    if ((s[0] == 'F' || s[0] == 'f') && (s[1] == 'Y' || s[1] == 'y'))
        s += 2;
    int y = 0;
    for (int i = 0; i < 4; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        y = y * 10 + (s[i] - '0');
    }
    s += 4;
    if (*s == '-')
        s++;
    if ((*s != 'Q' && *s != 'q') || s[1] < '1' || s[1] > '4' || s[2])
        return -1;
    if (y < 1)
        return -1;
    set_quarter(p, y, s[1] - '0', fiscal_start);
    return 0;
}

int
tether_period_range(struct tether_period *p, int32_t start, int32_t end)
{
    if (end < start)
        return -1;
    p->start = start;
    p->end = end;
    char a[TETHER_DATE_LEN], b[TETHER_DATE_LEN];
    tether_date_format(start, a);
    tether_date_format(end, b);
    snprintf(p->label, sizeof(p->label), "%s..%s", a, b);
    return 0;
}

/* The fiscal year and quarter that contain day. */
static void
quarter_of(int32_t day, int fiscal_start, int *fy, int *q)
{
    if (fiscal_start < 1 || fiscal_start > 12)
        fiscal_start = 1;
    int y, m, d;
    tether_civil_from_days(day, &y, &m, &d);
    int k = (m - fiscal_start + 12) % 12; /* months into the fiscal year */
    *q = k / 3 + 1;
    /* The fiscal year started in y when m >= fiscal_start, else in y - 1;
     * it is named by the year it ends in. */
    int start_y = m >= fiscal_start ? y : y - 1;
    *fy = fiscal_start == 1 ? start_y : start_y + 1;
}

void
tether_period_last_ended(struct tether_period *p, int32_t today,
                         int fiscal_start)
{
    int fy, q;
    quarter_of(today, fiscal_start, &fy, &q);
    if (--q == 0) {
        q = 4;
        fy--;
    }
    set_quarter(p, fy, q, fiscal_start);
}

/* 1 when p is exactly a (fiscal) quarter of this fiscal_start. */
static int
is_quarter(const struct tether_period *p, int fiscal_start, int *fy, int *q)
{
    quarter_of(p->start, fiscal_start, fy, q);
    struct tether_period t;
    set_quarter(&t, *fy, *q, fiscal_start);
    return t.start == p->start && t.end == p->end &&
           strchr(p->label, '.') == NULL;
}

void
tether_period_previous(const struct tether_period *p, int n, int fiscal_start,
                       struct tether_period *out)
{
    int fy, q;
    if (is_quarter(p, fiscal_start, &fy, &q)) {
        int idx = fy * 4 + (q - 1) - n;
        set_quarter(out, idx / 4, idx % 4 + 1, fiscal_start);
        return;
    }
    int32_t len = p->end - p->start + 1;
    tether_period_range(out, p->start - n * len, p->end - n * len);
}
