/* timers.c - accumulate wall time per named phase (the "other" share is total minus the rest). */
#include "timers.h"
#include "comm.h"

static const char *timer_names[TIMER_COUNT] = {"total", "pair", "kspace", "bond", "neigh",
                                               "comm", "output"};

const char *timer_name(TimerId id) { return (id >= 0 && id < TIMER_COUNT) ? timer_names[id] : "?"; }

void timers_reset(Timers *t)
{
    for (int i = 0; i < TIMER_COUNT; i++) t->start[i] = t->total[i] = 0.0;
}
void timer_start(Timers *t, TimerId id) { t->start[id] = comm_wtime(); }
void timer_stop(Timers *t, TimerId id) { t->total[id] += comm_wtime() - t->start[id]; }
