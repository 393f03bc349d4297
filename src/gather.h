/* gather.h - visit every atom in global id order on rank 0, in chunks of bounded size. */
#ifndef NECKMD_GATHER_H
#define NECKMD_GATHER_H
#include <stddef.h>
#include <stdint.h>
typedef struct Sim Sim;

/* Default chunk: 2^20 atoms. Rank 0 holds about (2 payload + 8) bytes per atom of a chunk. */
#define GATHER_CHUNK_DEFAULT 1048576

/* Pack owned atom i's payload (payload_size bytes) into out. Called on every rank. */
typedef void (*GatherPackFn)(const Sim *sim, int i, void *out, void *ctx);
/* Rank 0 only: the payloads of atoms gid0 .. gid0+n-1 (ids are 1..natoms), in id order. */
typedef void (*GatherWriteFn)(Sim *sim, int64_t gid0, int64_t n, const void *payloads, void *ctx);

/* Walk the global ids 1..natoms in chunks of at most `chunk` atoms (<= 0: the default, and
 * never more than fits one MPI message): every rank packs its owned atoms of the chunk,
 * rank 0 receives them (comm_gatherv_bytes), orders them by id and calls write once per
 * chunk. Memory on rank 0 is bounded by the chunk, not by the atom count. Collective. */
void gather_by_id(Sim *sim, size_t payload_size, int64_t chunk, GatherPackFn pack,
                  GatherWriteFn write, void *ctx);

#endif
