/* record.h - the JSON record every run writes (tests and analysis read it, not stdout). */
#ifndef NECKMD_RECORD_H
#define NECKMD_RECORD_H
typedef struct Sim Sim;

/* Write sim->record_file (rank 0; atomically through a .tmp file): build information, the
 * input echo, decomposition, interaction summary, thermo rows of the last run, timers and
 * the conservation summary. Collective (it reduces the centre-of-mass momentum). */
void record_write(Sim *sim);

#endif
