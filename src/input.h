/* input.h - the input deck: one command per line, '#' comments. */
#ifndef NECKMD_INPUT_H
#define NECKMD_INPUT_H
#include <stdio.h>
typedef struct Sim Sim;

/* Read the deck (rank 0 reads, all ranks parse), check every line's syntax first (an error
 * names file:line before anything runs or is written), then execute the commands in order.
 * Collective. */
void input_run_file(Sim *sim, const char *path);
/* Print the command reference (name, arguments, units, meaning). */
void input_print_help(FILE *fp);

#endif
