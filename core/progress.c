/* progress.c - a terminal progress bar that costs nothing when redirected. */
#include "tether/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int64_t
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
tether_progress_start(struct tether_progress *p, const char *label,
                      uint64_t total, int quiet)
{
    p->label = label;
    p->total = total;
    p->enabled = !quiet && isatty(STDERR_FILENO);
    p->last_ms = 0;
}

void
tether_progress_update(struct tether_progress *p, uint64_t done)
{
    if (!p->enabled)
        return;
    int64_t t = now_ms();
    if (t - p->last_ms < 100)
        return;
    p->last_ms = t;
    if (p->total == 0) {
        fprintf(stderr, "\r%s: %llu", p->label, (unsigned long long)done);
    } else {
        int width = 30;
        double f = done >= p->total ? 1.0 : (double)done / (double)p->total;
        int fill = (int)(f * width);
        fprintf(stderr, "\r%s [", p->label);
        for (int i = 0; i < width; i++)
            fputc(i < fill ? '#' : '.', stderr);
        fprintf(stderr, "] %3d%%", (int)(f * 100));
    }
    fflush(stderr);
}

void
tether_progress_end(struct tether_progress *p)
{
    if (p->enabled && p->last_ms)
        fprintf(stderr, "\r\033[K");
}
