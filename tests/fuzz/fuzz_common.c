/* fuzz_common.c - the MPI singleton and temporary files for the fuzz drivers. */
#include "fuzz_common.h"
#include "comm.h"
#include "error.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

Comm *fuzz_comm;

/* libFuzzer calls this once: MPI as a one-rank job (no mpirun). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 0);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 0);
    setenv("OMP_NUM_THREADS", "1", 0);
    fuzz_comm = comm_create(argc, argv);
    return 0;
}

const char *fuzz_write_file(const uint8_t *data, size_t size, const char *suffix)
{
    static char path[256];
    snprintf(path, sizeof path, "/tmp/neckmd-fuzz-%d%s", (int)getpid(), suffix);
    FILE *fp = fopen(path, "wb");
    if (!fp) abort();
    if (size && fwrite(data, 1, size, fp) != size) abort();
    fclose(fp);
    return path;
}
