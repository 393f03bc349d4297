/* timers.h - named wall-clock timers for the end-of-run breakdown. */
#ifndef NECKMD_TIMERS_H
#define NECKMD_TIMERS_H

typedef enum {
    TIMER_TOTAL = 0, TIMER_PAIR, TIMER_KSPACE, TIMER_BOND, TIMER_NEIGH, TIMER_COMM,
    TIMER_OUTPUT, TIMER_COUNT
} TimerId;

typedef struct Timers {
    double start[TIMER_COUNT];  /* s, wall clock at timer_start */
    double total[TIMER_COUNT];  /* s, accumulated */
} Timers;

/* Name of timer id ("pair", "kspace", ...). */
const char *timer_name(TimerId id);
void timers_reset(Timers *t);
void timer_start(Timers *t, TimerId id);
void timer_stop(Timers *t, TimerId id);

#endif
