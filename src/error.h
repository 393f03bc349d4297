/* error.h - collective and one-rank fatal errors, warnings. */
#ifndef NECKMD_ERROR_H
#define NECKMD_ERROR_H

typedef struct Comm Comm;

#define FLERR __FILE__, __LINE__

/* Register the communicator used to stop the job (NULL before MPI is up). */
void error_set_comm(Comm *c);
/* Every rank detected the same problem (bad input): rank 0 prints "ERROR: message",
 * all ranks flush their files, finalize MPI and exit(1). Must be called by all ranks. */
void error_all(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));
/* One rank detected a problem (lost atom, overfull buffer): it prints
 * "ERROR on rank R: message", flushes, and aborts the whole job. */
void error_one(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));
/* A warning, printed once by rank 0 (call on all ranks or on rank 0). */
void error_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Number of warnings printed so far on this rank. */
int error_nwarn(void);

#endif
