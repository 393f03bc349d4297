/* error.c - fatal errors that stop every rank cleanly, never a hang.
 *
 * error_all is for problems every rank sees identically (input is read on rank 0 and
 * broadcast, so parse errors are collective): rank 0 prints, every rank flushes its open
 * stdio streams (thermo and trajectory files keep what was written) and exits through
 * MPI_Finalize. error_one is for problems a single rank sees: it prints its rank and calls
 * MPI_Abort, which also stops the others. The source location is appended for developers. */
#include "error.h"
#include "comm.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static Comm *error_comm = NULL; /* set once at start-up; the only module-level state */
static int error_warnings = 0;

void error_set_comm(Comm *c) { error_comm = c; }

/* The whole message in one write: stderr is unbuffered, and mpirun forwards each write of
 * each rank separately, so a message printed piecewise can be split by other output. */
static void print_message(FILE *fp, const char *prefix, const char *file, int line, const char *fmt, va_list ap)
{
    char msg[2048];
    int n = snprintf(msg, sizeof msg, "%s", prefix);
    n += vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    if (n > (int)sizeof msg - 64) n = (int)sizeof msg - 64;
    snprintf(msg + n, sizeof msg - (size_t)n, " (%s:%d)\n", file, line);
    fputs(msg, fp);
}

void error_all(const char *file, int line, const char *fmt, ...)
{
    int rank = error_comm ? comm_rank(error_comm) : 0;
    if (rank == 0) {
        va_list ap;
        va_start(ap, fmt);
        print_message(stderr, "ERROR: ", file, line, fmt, ap);
        va_end(ap);
    }
    fflush(NULL);
    if (error_comm) comm_destroy(&error_comm);
    exit(1);
}

void error_one(const char *file, int line, const char *fmt, ...)
{
    int rank = error_comm ? comm_rank(error_comm) : 0;
    char prefix[48];
    snprintf(prefix, sizeof prefix, "ERROR on rank %d: ", rank);
    va_list ap;
    va_start(ap, fmt);
    print_message(stderr, prefix, file, line, fmt, ap);
    va_end(ap);
    fflush(NULL);
    if (error_comm && comm_size(error_comm) > 1) comm_abort(error_comm, 1);
    exit(1);
}

void error_warn(const char *fmt, ...)
{
    error_warnings++;
    if (error_comm && comm_rank(error_comm) != 0) return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stdout, "WARNING: ");
    vfprintf(stdout, fmt, ap);
    fprintf(stdout, "\n");
    va_end(ap);
    fflush(stdout);
}

int error_nwarn(void) { return error_warnings; }
