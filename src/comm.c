/* comm.c - the only file that talks MPI (and FFTW's MPI layer).
 *
 * Design (after CoMD's parallel.c): typed wrappers over MPI_COMM_WORLD so that physics
 * modules stay free of message passing. The halo engine (halo.c), migration and PPPM's
 * mesh ghost exchange call comm_sendrecv_bytes with packed buffers; PPPM's brick <-> FFT
 * slab remap calls comm_alltoallv_double; reductions are in place.
 *
 * Process grid: a 3-D periodic Cartesian grid. Rather than MPI_Dims_create (which ignores
 * the box shape), every factorisation px*py*pz = nranks is tried and the one with the
 * smallest subdomain surface area is taken, ties broken towards more ranks along x. */
#include "comm.h"
#include "error.h"
#include <mpi.h>
#include <fftw3-mpi.h>
#include <stdlib.h>
#include <string.h>

struct Comm {
    MPI_Comm world;
    MPI_Comm cart;
    int rank, size;
    int nbr[3][2]; /* neighbour ranks: [dim][0 = minus, 1 = plus] */
};

Comm *comm_create(int *argc, char ***argv)
{
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    fftw_mpi_init();
    Comm *c = calloc(1, sizeof *c);
    c->world = MPI_COMM_WORLD;
    c->cart = MPI_COMM_NULL;
    MPI_Comm_rank(c->world, &c->rank);
    MPI_Comm_size(c->world, &c->size);
    for (int d = 0; d < 3; d++) c->nbr[d][0] = c->nbr[d][1] = c->rank;
    return c;
}

void comm_destroy(Comm **c)
{
    if (!c || !*c) return;
    if ((*c)->cart != MPI_COMM_NULL) MPI_Comm_free(&(*c)->cart);
    free(*c);
    *c = NULL;
    fftw_mpi_cleanup();
    MPI_Finalize();
}

int comm_rank(const Comm *c) { return c->rank; }
int comm_size(const Comm *c) { return c->size; }
double comm_wtime(void) { return MPI_Wtime(); }

void comm_cart_setup(Comm *c, const double len[3], int dims[3], int coords[3])
{
    int n = c->size, best[3] = {1, 1, n};
    double bestarea = -1.0;
    for (int px = 1; px <= n; px++) {
        if (n % px || (dims[0] && dims[0] != px)) continue;
        for (int py = 1; py <= n / px; py++) {
            if ((n / px) % py || (dims[1] && dims[1] != py)) continue;
            int pz = n / px / py;
            if (dims[2] && dims[2] != pz) continue;
            double a = len[0] / px, b = len[1] / py, cc = len[2] / pz;
            double area = a * b + b * cc + a * cc;
            if (bestarea < 0 || area < bestarea * (1 - 1e-12)) {
                bestarea = area; best[0] = px; best[1] = py; best[2] = pz;
            }
        }
    }
    if (bestarea < 0)
        error_all(FLERR, "processors %d %d %d does not multiply to %d MPI ranks", dims[0], dims[1],
                  dims[2], n);
    int periods[3] = {1, 1, 1};
    memcpy(dims, best, sizeof best);
    if (c->cart != MPI_COMM_NULL) MPI_Comm_free(&c->cart);
    MPI_Cart_create(c->world, 3, dims, periods, 0, &c->cart);
    MPI_Cart_coords(c->cart, c->rank, 3, coords);
    for (int d = 0; d < 3; d++) MPI_Cart_shift(c->cart, d, 1, &c->nbr[d][0], &c->nbr[d][1]);
}

int comm_cart_neighbor(const Comm *c, int d, int dir) { return c->nbr[d][dir > 0 ? 1 : 0]; }

void comm_sum_double(const Comm *c, double *buf, int n)
{
    if (c->size > 1) MPI_Allreduce(MPI_IN_PLACE, buf, n, MPI_DOUBLE, MPI_SUM, c->world);
}
void comm_sum_int64(const Comm *c, int64_t *buf, int n)
{
    if (c->size > 1) MPI_Allreduce(MPI_IN_PLACE, buf, n, MPI_INT64_T, MPI_SUM, c->world);
}
void comm_max_double(const Comm *c, double *buf, int n)
{
    if (c->size > 1) MPI_Allreduce(MPI_IN_PLACE, buf, n, MPI_DOUBLE, MPI_MAX, c->world);
}
void comm_min_double(const Comm *c, double *buf, int n)
{
    if (c->size > 1) MPI_Allreduce(MPI_IN_PLACE, buf, n, MPI_DOUBLE, MPI_MIN, c->world);
}
void comm_max_int(const Comm *c, int *buf, int n)
{
    if (c->size > 1) MPI_Allreduce(MPI_IN_PLACE, buf, n, MPI_INT, MPI_MAX, c->world);
}
void comm_min_int(const Comm *c, int *buf, int n)
{
    if (c->size > 1) MPI_Allreduce(MPI_IN_PLACE, buf, n, MPI_INT, MPI_MIN, c->world);
}
void comm_bcast(const Comm *c, void *buf, size_t nbytes, int root)
{
    if (c->size == 1) return;
    /* MPI counts are int: send large buffers in chunks. */
    char *p = buf;
    while (nbytes > 0) {
        int chunk = nbytes > (1u << 30) ? (1 << 30) : (int)nbytes;
        MPI_Bcast(p, chunk, MPI_BYTE, root, c->world);
        p += chunk;
        nbytes -= (size_t)chunk;
    }
}
void comm_barrier(const Comm *c) { MPI_Barrier(c->world); }

size_t comm_sum_size(const Comm *c, size_t nbytes)
{
    uint64_t v = nbytes;
    if (c->size > 1) MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_UINT64_T, MPI_SUM, c->world);
    return (size_t)v;
}

void comm_gatherv_bytes(const Comm *c, const void *sendbuf, size_t nbytes, void *recvbuf,
                        size_t *counts, int root)
{
    int n = (int)nbytes;
    int *cnt = NULL, *displ = NULL;
    if (c->rank == root) {
        cnt = malloc(sizeof(int) * c->size);
        displ = malloc(sizeof(int) * c->size);
    }
    MPI_Gather(&n, 1, MPI_INT, cnt, 1, MPI_INT, root, c->world);
    if (c->rank == root) {
        int off = 0;
        for (int r = 0; r < c->size; r++) {
            displ[r] = off;
            off += cnt[r];
            counts[r] = (size_t)cnt[r];
        }
    }
    MPI_Gatherv(sendbuf, n, MPI_BYTE, recvbuf, cnt, displ, MPI_BYTE, root, c->world);
    free(cnt);
    free(displ);
}

size_t comm_sendrecv_bytes(const Comm *c, const void *sendbuf, size_t nsend, int dest,
                           void **recvbuf, size_t *recvcap, int source)
{
    uint64_t ns = nsend, nr = 0;
    if (dest == c->rank && source == c->rank) {
        nr = ns;
    } else {
        MPI_Sendrecv(&ns, 1, MPI_UINT64_T, dest, 11, &nr, 1, MPI_UINT64_T, source, 11, c->world,
                     MPI_STATUS_IGNORE);
    }
    if (nr > *recvcap) {
        size_t cap = (size_t)nr + (size_t)nr / 2 + 64;
        void *p = realloc(*recvbuf, cap);
        if (!p) error_one(FLERR, "out of memory receiving %llu bytes", (unsigned long long)nr);
        *recvbuf = p;
        *recvcap = cap;
    }
    if (dest == c->rank && source == c->rank) {
        if (nr) memmove(*recvbuf, sendbuf, (size_t)nr);
        return (size_t)nr;
    }
    if (ns > (uint64_t)INT32_MAX || nr > (uint64_t)INT32_MAX)
        error_one(FLERR, "halo message of %llu bytes exceeds the MPI count limit",
                  (unsigned long long)(ns > nr ? ns : nr));
    MPI_Sendrecv(sendbuf, (int)ns, MPI_BYTE, dest, 12, *recvbuf, (int)nr, MPI_BYTE, source, 12,
                 c->world, MPI_STATUS_IGNORE);
    return (size_t)nr;
}

void comm_allgather_int(const Comm *c, const int *send, int n, int *recv)
{
    if (c->size == 1) {
        memmove(recv, send, sizeof(int) * (size_t)n);
        return;
    }
    MPI_Allgather(send, n, MPI_INT, recv, n, MPI_INT, c->world);
}

/* Counts and displacements of one side of an all-to-all as MPI ints (checked). */
static void alltoallv_counts(const Comm *c, const size_t *counts, int *cnt, int *displ)
{
    size_t off = 0;
    for (int r = 0; r < c->size; r++) {
        if (counts[r] > (size_t)INT32_MAX || off > (size_t)INT32_MAX - counts[r])
            error_one(FLERR, "all-to-all of %zu + %zu values exceeds the MPI count limit", off,
                      counts[r]);
        cnt[r] = (int)counts[r];
        displ[r] = (int)off;
        off += counts[r];
    }
}

void comm_alltoallv_double(const Comm *c, const double *sendbuf, const size_t *sendcounts,
                           double *recvbuf, const size_t *recvcounts)
{
    if (c->size == 1) {
        if (sendcounts[0] != recvcounts[0])
            error_one(FLERR, "all-to-all: %zu values sent to self, %zu expected", sendcounts[0],
                      recvcounts[0]);
        if (sendcounts[0]) memmove(recvbuf, sendbuf, sizeof(double) * sendcounts[0]);
        return;
    }
    int *buf = malloc(sizeof(int) * 4 * (size_t)c->size);
    if (!buf) error_one(FLERR, "out of memory in all-to-all");
    int *scnt = buf, *sdis = buf + c->size, *rcnt = buf + 2 * c->size, *rdis = buf + 3 * c->size;
    alltoallv_counts(c, sendcounts, scnt, sdis);
    alltoallv_counts(c, recvcounts, rcnt, rdis);
    MPI_Alltoallv(sendbuf, scnt, sdis, MPI_DOUBLE, recvbuf, rcnt, rdis, MPI_DOUBLE, c->world);
    free(buf);
}

void comm_abort(const Comm *c, int code) { MPI_Abort(c ? c->world : MPI_COMM_WORLD, code); }

/* ---- distributed FFT ---- */
struct CommFFT {
    fftw_complex *data;
    fftw_plan fwd, bwd;
    ptrdiff_t alloc;
};

CommFFT *comm_fft_create(const Comm *c, const int n[3], int *local_n0, int *local_0_start)
{
    CommFFT *p = calloc(1, sizeof *p);
    ptrdiff_t ln0, l0s;
    p->alloc = fftw_mpi_local_size_3d(n[0], n[1], n[2], c->world, &ln0, &l0s);
    p->data = fftw_alloc_complex(p->alloc > 0 ? (size_t)p->alloc : 1);
    p->fwd = fftw_mpi_plan_dft_3d(n[0], n[1], n[2], p->data, p->data, c->world, FFTW_FORWARD,
                                  FFTW_ESTIMATE);
    p->bwd = fftw_mpi_plan_dft_3d(n[0], n[1], n[2], p->data, p->data, c->world, FFTW_BACKWARD,
                                  FFTW_ESTIMATE);
    if (!p->fwd || !p->bwd) error_one(FLERR, "FFTW could not plan a %dx%dx%d FFT", n[0], n[1], n[2]);
    *local_n0 = (int)ln0;
    *local_0_start = (int)l0s;
    return p;
}
double *comm_fft_data(CommFFT *p) { return (double *)p->data; }
void comm_fft_execute(CommFFT *p, int sign) { fftw_execute(sign < 0 ? p->fwd : p->bwd); }
void comm_fft_destroy(CommFFT **p)
{
    if (!p || !*p) return;
    fftw_destroy_plan((*p)->fwd);
    fftw_destroy_plan((*p)->bwd);
    fftw_free((*p)->data);
    free(*p);
    *p = NULL;
}
