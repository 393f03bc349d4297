/* domain.c - box, spatial decomposition and migration of owned atoms.
 *
 * The box is orthogonal and periodic in x, y, z. Ranks form a px*py*pz Cartesian grid
 * (comm_cart_setup picks the factorisation with the least subdomain surface); rank
 * (cx,cy,cz) owns [lo + c*len/p, lo + (c+1)*len/p) in each dimension.
 *
 * Migration is done one dimension at a time: atoms below sublo go to the minus neighbour,
 * atoms at or above subhi to the plus neighbour, repeated until no rank holds an atom
 * outside its slab in that dimension (so an atom may cross several subdomains, e.g. after
 * read_data or a large displacement). After x, y, z every atom is on its owner. */
#include "domain.h"
#include "atoms.h"
#include "comm.h"
#include "error.h"
#include "memory.h"
#include "sim.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

void domain_setup(Sim *sim)
{
    int dims[3] = {sim->procgrid_req[0], sim->procgrid_req[1], sim->procgrid_req[2]};
    comm_cart_setup(sim->comm, sim->len, dims, sim->coords);
    for (int d = 0; d < 3; d++) {
        sim->dims[d] = dims[d];
        double w = sim->len[d] / dims[d];
        sim->sublo[d] = sim->lo[d] + sim->coords[d] * w;
        sim->subhi[d] = (sim->coords[d] == dims[d] - 1) ? sim->hi[d] : sim->lo[d] + (sim->coords[d] + 1) * w;
    }
}

void domain_wrap(const Sim *sim, double x[3], int im[3])
{
    for (int d = 0; d < 3; d++) {
        if (x[d] < sim->lo[d] || x[d] >= sim->hi[d]) {
            double s = floor((x[d] - sim->lo[d]) / sim->len[d]);
            x[d] -= s * sim->len[d];
            im[d] += (int)s;
            /* rounding can leave x == hi */
            if (x[d] >= sim->hi[d]) { x[d] -= sim->len[d]; im[d] += 1; }
            if (x[d] < sim->lo[d]) { x[d] = sim->lo[d]; }
        }
    }
}

int domain_owns(const Sim *sim, const double x[3])
{
    for (int d = 0; d < 3; d++)
        if (x[d] < sim->sublo[d] || x[d] >= sim->subhi[d]) return 0;
    return 1;
}

void domain_migrate(Sim *sim)
{
    Atoms *a = &sim->atoms;
    a->nghost = 0;
    for (int i = 0; i < a->nlocal; i++) domain_wrap(sim, a->x[i], a->image[i]);
    if (sim->nranks > 1) {
        const size_t rs = atoms_record_size(a);
        char *out[2] = {NULL, NULL};
        int cap[2] = {0, 0};
        void *rbuf = NULL;
        size_t rcap = 0;
        for (int d = 0; d < 3; d++) {
            if (sim->dims[d] == 1) continue;
            for (int iter = 0;; iter++) {
                int nout[2] = {0, 0};
                for (int i = 0; i < a->nlocal;) {
                    int side = a->x[i][d] < sim->sublo[d] ? 0 : (a->x[i][d] >= sim->subhi[d] ? 1 : -1);
                    if (side < 0) { i++; continue; }
                    if (nout[side] == cap[side]) {
                        int nc = cap[side] ? 2 * cap[side] : 64;
                        mem_grow((void **)&out[side], (size_t)cap[side], (size_t)nc, rs, "migration buffer");
                        cap[side] = nc;
                    }
                    atoms_pack(a, i, out[side] + rs * (size_t)nout[side]++);
                    atoms_copy(a, i, a->nlocal - 1);
                    a->nlocal--;
                }
                int moving = nout[0] + nout[1];
                comm_max_int(sim->comm, &moving, 1);
                if (moving == 0) break;
                if (iter > 4 * sim->dims[d] + 4)
                    error_one(FLERR, "atoms keep migrating in dimension %c (non-finite position?)", 'x' + d);
                for (int side = 0; side < 2; side++) {
                    int dest = comm_cart_neighbor(sim->comm, d, side ? +1 : -1);
                    int src = comm_cart_neighbor(sim->comm, d, side ? -1 : +1);
                    size_t nb = comm_sendrecv_bytes(sim->comm, out[side], rs * (size_t)nout[side], dest, &rbuf, &rcap, src);
                    const char *r = rbuf;
                    for (size_t k = 0; k < nb / rs; k++) atoms_unpack(a, r + rs * k);
                }
            }
        }
        mem_free(out[0]);
        mem_free(out[1]);
        free(rbuf);
    }
    int64_t n = a->nlocal;
    comm_sum_int64(sim->comm, &n, 1);
    if (n != sim->natoms)
        error_all(FLERR, "lost atoms at step %lld: %lld of %lld remain (an atom moved too far or its position became non-finite)", (long long)sim->step, (long long)n, (long long)sim->natoms);
    atoms_sort_owned(a);
}

void domain_rescale(Sim *sim, const double s[3], const double origin[3])
{
    for (int d = 0; d < 3; d++) {
        sim->lo[d] = origin[d] + s[d] * (sim->lo[d] - origin[d]);
        sim->len[d] *= s[d];
        sim->hi[d] = sim->lo[d] + sim->len[d];
        /* the subdomain formula of domain_setup */
        double w = sim->len[d] / sim->dims[d];
        sim->sublo[d] = sim->lo[d] + sim->coords[d] * w;
        sim->subhi[d] = (sim->coords[d] == sim->dims[d] - 1) ? sim->hi[d] : sim->lo[d] + (sim->coords[d] + 1) * w;
    }
    sim->box_changed = 1;
}
