/* fuzz_input.c - libFuzzer driver for the input-deck parser (input.c, phase 1).
 *
 * Each input is a deck. input_run_file checks every line (commands, argument counts,
 * numbers, keyword sets, output directories) and, with check_only set, returns before
 * anything executes; errors return through fuzz_error.c. */
#include "fuzz_common.h"
#include "input.h"
#include "sim.h"
#include "simctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file(data, size, ".in");
    fuzz_alloc_begin();
    Sim *volatile sim = sim_create(fuzz_comm);
    sim->check_only = 1;
    if (setjmp(fuzz_error_jump) == 0) input_run_file(sim, path);
    Sim *s = sim;
    sim_destroy(&s);
    fuzz_alloc_end();
    return 0;
}
