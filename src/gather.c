/* gather.c - per-atom output in global id order with bounded memory on the writing rank.
 *
 * Trajectories, restarts and data files need the atoms in id order (the order every
 * topology-based reader assumes), whatever the decomposition. Algorithm: the ids 1..N are
 * cut into chunks [g0, g0 + C); for each chunk every rank packs the payloads of its owned
 * atoms with ids in the chunk, prefixed by the id, and one gatherv brings them to rank 0,
 * which scatters them by id into an ordered buffer and hands it to the writer. Owned atoms
 * are kept sorted by id (domain_migrate sorts them), so a rank walks its atoms once per
 * output; if they are not sorted an index is sorted instead.
 *
 * Rejected alternatives: one gather of everything (rank 0 memory grows with N: 10^7 atoms x
 * 44 B = 440 MB per frame, more than a node's share); parallel netCDF writes (Debian's
 * libnetcdf-mpi writes only netCDF-4, which MDAnalysis cannot read; PnetCDF is an extra
 * dependency; see shared/docs/reference/ecosystem.md section 2). Chunks cost one collective
 * each: with C = 2^20 a 10^6-atom system needs one. */
#include "gather.h"
#include "comm.h"
#include "error.h"
#include "memory.h"
#include "sim.h"
#include <stdlib.h>
#include <string.h>

typedef struct IdIdx {
    int64_t gid;
    int idx;
} IdIdx;

static int cmp_ididx(const void *p, const void *q)
{
    int64_t a = ((const IdIdx *)p)->gid, b = ((const IdIdx *)q)->gid;
    return (a > b) - (a < b);
}

void gather_by_id(Sim *sim, size_t payload_size, int64_t chunk, GatherPackFn pack,
                  GatherWriteFn write, void *ctx)
{
    const Atoms *a = &sim->atoms;
    const int n = a->nlocal;
    const int64_t natoms = sim->natoms;
    const size_t rs = sizeof(int64_t) + payload_size;
    if (chunk <= 0) chunk = GATHER_CHUNK_DEFAULT;
    /* one MPI message (int count of bytes) must hold a whole chunk */
    int64_t cmax = (int64_t)((1u << 30) / rs);
    if (chunk > cmax) chunk = cmax;
    if (chunk > natoms) chunk = natoms > 0 ? natoms : 1;

    /* local atoms in id order */
    int *order = mem_alloc(sizeof(int) * (size_t)(n + 1), "gather order");
    int sorted = 1;
    for (int i = 1; i < n && sorted; i++) sorted = a->gid[i - 1] < a->gid[i];
    if (sorted) {
        for (int i = 0; i < n; i++) order[i] = i;
    } else {
        IdIdx *key = mem_alloc(sizeof(IdIdx) * (size_t)(n + 1), "gather keys");
        for (int i = 0; i < n; i++) { key[i].gid = a->gid[i]; key[i].idx = i; }
        qsort(key, (size_t)n, sizeof *key, cmp_ididx);
        for (int i = 0; i < n; i++) order[i] = key[i].idx;
        mem_free(key);
    }
    size_t nsend_max = (size_t)(n < chunk ? n : chunk);
    char *send = mem_alloc(rs * (nsend_max + 1), "gather send buffer");
    char *recv = NULL, *out = NULL;
    size_t *counts = NULL;
    if (sim->rank == 0) {
        recv = mem_alloc(rs * (size_t)chunk, "gather receive buffer");
        out = mem_alloc(payload_size * (size_t)chunk + 1, "gather chunk");
        counts = mem_alloc(sizeof(size_t) * (size_t)sim->nranks, "gather counts");
    }
    int64_t missing = 0;
    int k = 0;
    for (int64_t g0 = 1; g0 <= natoms; g0 += chunk) {
        int64_t g1 = g0 + chunk < natoms + 1 ? g0 + chunk : natoms + 1;
        size_t m = 0;
        while (k < n && a->gid[order[k]] < g1) {
            char *r = send + rs * m;
            int64_t gid = a->gid[order[k]];
            memcpy(r, &gid, sizeof gid);
            pack(sim, order[k], r + sizeof(int64_t), ctx);
            m++;
            k++;
        }
        comm_gatherv_bytes(sim->comm, send, rs * m, recv, counts, 0);
        if (sim->rank == 0) {
            size_t total = 0;
            for (int r = 0; r < sim->nranks; r++) total += counts[r];
            size_t nrec = total / rs;
            if ((int64_t)nrec != g1 - g0) missing += (g1 - g0) - (int64_t)nrec;
            for (size_t q = 0; q < nrec; q++) {
                int64_t gid;
                memcpy(&gid, recv + rs * q, sizeof gid);
                if (gid >= g0 && gid < g1) memcpy(out + payload_size * (size_t)(gid - g0), recv + rs * q + sizeof(int64_t), payload_size);
            }
            write(sim, g0, g1 - g0, out, ctx);
        }
    }
    mem_free(order);
    mem_free(send);
    mem_free(recv);
    mem_free(out);
    mem_free(counts);
    comm_bcast(sim->comm, &missing, sizeof missing, 0);
    if (missing)
        error_all(FLERR, "step %lld: gathering atoms by id: %lld atom ids missing or repeated (ids must be 1..%lld, each owned once)",
                  (long long)sim->step, (long long)missing, (long long)natoms);
}
