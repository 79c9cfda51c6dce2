/* phases.c - the phases of a run timed for make bench and profiling
 * (TETHER_BENCH): wall time and the calling thread's CPU time of each. */
#include "tether/analysis.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PHASES 48

struct phase {
    const char *name;
    double wall, cpu;
};

static struct phase phases[MAX_PHASES];
static size_t nphases;
static double last_wall, last_cpu;
static int enabled = -1; /* -1: not yet looked at */

static double
seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
tether_analysis_phase(const char *name)
{
    if (enabled < 0)
        enabled = getenv("TETHER_BENCH") != NULL;
    if (!enabled)
        return;
    double wall = seconds(CLOCK_MONOTONIC);
    double cpu = seconds(CLOCK_THREAD_CPUTIME_ID);
    /* The first call starts the clock; a name repeated (each earlier
     * period of the trend) adds to its line. */
    if (name && last_wall > 0) {
        size_t i = 0;
        while (i < nphases && strcmp(phases[i].name, name) != 0)
            i++;
        if (i == nphases && nphases < MAX_PHASES)
            phases[nphases++].name = name;
        if (i < nphases) {
            phases[i].wall += wall - last_wall;
            phases[i].cpu += cpu - last_cpu;
        }
    }
    last_wall = wall;
    last_cpu = cpu;
}

void
tether_analysis_phases_print(FILE *f, const char *prog)
{
    for (size_t i = 0; i < nphases; i++)
        fprintf(f, "%s: phase %-24s %7.3f s wall %7.3f s CPU\n", prog,
                phases[i].name, phases[i].wall, phases[i].cpu);
}

double
tether_analysis_thread_cpu(void)
{
    return seconds(CLOCK_THREAD_CPUTIME_ID);
}

double
tether_analysis_wall(void)
{
    return seconds(CLOCK_MONOTONIC);
}

void
tether_analysis_phase_thread(const char *name, double wall, double cpu)
{
    if (enabled < 0)
        enabled = getenv("TETHER_BENCH") != NULL;
    if (!enabled || nphases == MAX_PHASES)
        return;
    phases[nphases].name = name;
    phases[nphases].wall = wall;
    phases[nphases++].cpu = cpu;
}
