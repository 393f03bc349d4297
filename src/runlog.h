/* runlog.h - the run log: everything rank 0 prints (stdout and stderr), tee'd into a file. */
#ifndef NECKMD_RUNLOG_H
#define NECKMD_RUNLOG_H
typedef struct Sim Sim;

/* Rank 0 starts capturing its stdout and stderr (still shown as before); what is printed
 * is kept in memory until runlog_open decides the file. Call before the deck is checked. */
void runlog_begin(Sim *sim);
/* Open the log FILE ("none": no log), truncated or appended, after the deck passed its
 * checks: writes the build information and the input deck, then everything printed so far,
 * and tees from then on. A different FILE later switches files. Collective. */
void runlog_open(Sim *sim, const char *path, int append, const char *where);
/* Echo one executed input line into the log only ("where: command"). */
void runlog_echo(Sim *sim, const char *where, char **tok, int ntok);
/* Stop capturing, restore stdout/stderr, close the log. */
void runlog_end(Sim *sim);

#endif
