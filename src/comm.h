/* comm.h - every message neckmd sends goes through here (the only file that includes mpi.h).
 *
 * Physics code calls these typed wrappers; it never sees MPI types. MPI is required (one
 * rank is a valid run). The distributed FFT used by PPPM is also here, because FFTW's MPI
 * interface needs the communicator. */
#ifndef NECKMD_COMM_H
#define NECKMD_COMM_H
#include <stddef.h>
#include <stdint.h>

typedef struct Comm Comm;

/* Start MPI (with thread support FUNNELED) and return the world communicator wrapper. */
Comm *comm_create(int *argc, char ***argv);
/* Finalize MPI and free; sets *c to NULL. */
void comm_destroy(Comm **c);

int comm_rank(const Comm *c);
int comm_size(const Comm *c);
/* Wall-clock time in s. */
double comm_wtime(void);

/* Set up the 3-D periodic Cartesian process grid. dims[3] in/out: zeros are chosen
 * by MPI_Dims_create-like balancing for box lengths len[3] (A): the grid minimises
 * the subdomain surface. coords[3] out: this rank's position. */
void comm_cart_setup(Comm *c, const double len[3], int dims[3], int coords[3]);
/* Rank of the neighbour in dimension d (0..2), direction dir (-1 or +1), periodic. */
int comm_cart_neighbor(const Comm *c, int d, int dir);

/* Collectives, in place, over all ranks. */
void comm_sum_double(const Comm *c, double *buf, int n);
void comm_sum_int64(const Comm *c, int64_t *buf, int n);
void comm_max_double(const Comm *c, double *buf, int n);
void comm_min_double(const Comm *c, double *buf, int n);
void comm_max_int(const Comm *c, int *buf, int n);
void comm_min_int(const Comm *c, int *buf, int n);
void comm_bcast(const Comm *c, void *buf, size_t nbytes, int root);
void comm_barrier(const Comm *c);
/* Gather variable-length byte blocks from every rank to root; recvbuf (root only) holds
 * them in rank order; counts (root only, size comm_size) receives each block's length. */
void comm_gatherv_bytes(const Comm *c, const void *sendbuf, size_t nbytes, void *recvbuf,
                        size_t *counts, int root);
/* Total of nbytes over ranks (to size gather buffers). */
size_t comm_sum_size(const Comm *c, size_t nbytes);

/* Exchange with partners: send nsend bytes to rank dest and receive from rank source into
 * *recvbuf, which is grown (realloc) to hold what arrives; *recvcap is its capacity in
 * bytes; returns the number of bytes received. Sizes are exchanged first, so any length
 * works. dest == source == self copies. */
size_t comm_sendrecv_bytes(const Comm *c, const void *sendbuf, size_t nsend, int dest,
                           void **recvbuf, size_t *recvcap, int source);

/* All-gather n ints from every rank: recv (n * comm_size values) holds rank r's block at
 * recv + r n, on every rank. */
void comm_allgather_int(const Comm *c, const int *send, int n, int *recv);
/* Personalised all-to-all of doubles: sendbuf holds the blocks for ranks 0..P-1 one after
 * the other, sendcounts[r] values for rank r; recvbuf receives rank r's block (recvcounts[r]
 * values, which the caller knows in advance) in rank order. Zero counts are allowed (only
 * the intersecting blocks of a remap move data). Each count and each buffer total must stay
 * below 2^31 values (error_one otherwise). */
void comm_alltoallv_double(const Comm *c, const double *sendbuf, const size_t *sendcounts,
                           double *recvbuf, const size_t *recvcounts);

/* Abort every rank with exit code code (used by error_one). */
void comm_abort(const Comm *c, int code);

/* ---- distributed 3-D complex FFT (FFTW3, MPI slab decomposition along x) ---- */
typedef struct CommFFT CommFFT;
/* Plan an in-place complex FFT of the global grid n[0] x n[1] x n[2] (row major, x slowest).
 * *local_n0 and *local_0_start give this rank's slab of x planes. */
CommFFT *comm_fft_create(const Comm *c, const int n[3], int *local_n0, int *local_0_start);
/* Pointer to the slab buffer: local_n0*n[1]*n[2] complex values (interleaved re, im). */
double *comm_fft_data(CommFFT *p);
/* sign -1 forward, +1 backward (unnormalised). */
void comm_fft_execute(CommFFT *p, int sign);
void comm_fft_destroy(CommFFT **p);

#endif
