/* fuzz_read_data.c - libFuzzer driver for the LAMMPS data-file reader (read_data.c) and the
 * restart reader (restart.c: the state comment lines and the Langevin force lines).
 *
 * Each input is a data file; one that mentions "# neckmd-restart" goes to read_restart. It is read into a fresh context on one rank; errors (the
 * expected outcome for most inputs) return through fuzz_error.c. A crash, a hang (libFuzzer
 * -timeout), a sanitizer report or an out-of-memory is a bug. */
#define _GNU_SOURCE /* memmem */
#include "fuzz_common.h"
#include "read_data.h"
#include "restart.h"
#include "sim.h"
#include "simctl.h"
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file(data, size, ".data");
    fuzz_alloc_begin();
    Sim *volatile sim = sim_create(fuzz_comm);
    int restart = memmem(data, size, "# neckmd-restart", 16) != NULL;
    if (setjmp(fuzz_error_jump) == 0) {
        if (restart) read_restart(sim, path, "fuzz:1");
        else read_data(sim, path, "fuzz:1");
    }
    Sim *s = sim;
    sim_destroy(&s);
    fuzz_alloc_end();
    return 0;
}
