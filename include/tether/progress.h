/* progress.h - a progress bar on stderr, only when stderr is a terminal. */
#ifndef TETHER_PROGRESS_H
#define TETHER_PROGRESS_H

#include <stdint.h>

struct tether_progress {
    const char *label;
    uint64_t total; /* 0 when unknown: a counter is shown instead */
    int enabled;
    int64_t last_ms; /* when the bar was last drawn */
};

/* Starts a bar; it stays silent when quiet is set or stderr is no tty. */
void tether_progress_start(struct tether_progress *p, const char *label,
                           uint64_t total, int quiet);
/* Redraws at most ten times a second. */
void tether_progress_update(struct tether_progress *p, uint64_t done);
/* Clears the bar's line. */
void tether_progress_end(struct tether_progress *p);

#endif
