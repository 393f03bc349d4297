/* halo.c - the generic ghost exchange (CoMD/LAMMPS style: x, then y, then z).
 *
 * For dimension d and direction dir = -1 (send down) the minus neighbour needs the atoms
 * within rghost above its upper face, i.e. my atoms with x_d < sublo_d + rghost. In pass 1
 * the candidates are my owned atoms plus the ghosts received in earlier dimensions (so six
 * exchanges reach all 26 neighbours: edge and corner images travel in two or three hops).
 * When rghost exceeds the subdomain width, pass p > 1 forwards the atoms received in pass
 * p-1 that are still within reach, so any cutoff works for any number of ranks, including
 * one rank where the "neighbour" is itself and the messages are periodic images. Periodic
 * shifts (+-box length) are applied while packing, so force kernels never see boundaries.
 * Direction +1 is the mirror image. The plan (send lists, shifts, receive slots) is stored
 * and replayed by halo_forward for positions on every step between neighbour builds. */
#include "halo.h"
#include "atoms.h"
#include "comm.h"
#include "error.h"
#include "memory.h"
#include "sim.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct GhostRec {
    double x[3];
    double q;
    int64_t gid;
    int type, mol;
} GhostRec;

static Swap *swap_new(Halo *h)
{
    if (h->nswap == h->maxswap) {
        int n = h->maxswap ? 2 * h->maxswap : 16;
        h->swap = realloc(h->swap, sizeof(Swap) * (size_t)n);
        memset(h->swap + h->maxswap, 0, sizeof(Swap) * (size_t)(n - h->maxswap));
        h->maxswap = n;
    }
    Swap *s = &h->swap[h->nswap++];
    s->nsend = 0;
    return s;
}

static void swap_add(Swap *s, int i)
{
    if (s->nsend == s->maxsend) {
        int n = s->maxsend ? 2 * s->maxsend : 256;
        mem_grow((void **)&s->sendlist, (size_t)s->maxsend, (size_t)n, sizeof(int), "ghost send list");
        s->maxsend = n;
    }
    s->sendlist[s->nsend++] = i;
}

static void *sbuf_reserve(Halo *h, size_t nbytes)
{
    if (nbytes > h->scap) {
        free(h->sbuf);
        h->scap = nbytes + nbytes / 2 + 64;
        h->sbuf = malloc(h->scap);
        if (!h->sbuf) error_one(FLERR, "out of memory for a %zu byte halo buffer", h->scap);
    }
    return h->sbuf;
}

void halo_build(Sim *sim, double rghost)
{
    Atoms *a = &sim->atoms;
    Halo *h = &sim->halo;
    h->nswap = 0;
    a->nghost = 0;
    for (int d = 0; d < 3; d++) {
        double w = sim->subhi[d] - sim->sublo[d];
        int npass = (int)ceil(rghost / w);
        if (npass < 1) npass = 1;
        int nstart = a->nlocal + a->nghost; /* candidates of pass 1, both directions */
        for (int dir = -1; dir <= 1; dir += 2) {
            int cfirst = 0, cnum = nstart;
            for (int p = 0; p < npass; p++) {
                Swap *s = swap_new(h);
                s->dim = d;
                s->dir = dir;
                s->dest = comm_cart_neighbor(sim->comm, d, dir);
                s->source = comm_cart_neighbor(sim->comm, d, -dir);
                s->shift[0] = s->shift[1] = s->shift[2] = 0.0;
                /* stored in box lengths, multiplied by the current box when packing, so a
                 * box rescaled between rebuilds (barostat) shifts ghosts correctly */
                if (dir < 0 && sim->coords[d] == 0) s->shift[d] = 1.0;
                if (dir > 0 && sim->coords[d] == sim->dims[d] - 1) s->shift[d] = -1.0;
                double lim = dir < 0 ? sim->sublo[d] + rghost : sim->subhi[d] - rghost;
                for (int i = cfirst; i < cfirst + cnum; i++) {
                    double xd = a->x[i][d];
                    if (dir < 0 ? xd < lim : xd >= lim) swap_add(s, i);
                }
                GhostRec *buf = sbuf_reserve(h, sizeof(GhostRec) * (size_t)(s->nsend + 1));
                for (int k = 0; k < s->nsend; k++) {
                    int i = s->sendlist[k];
                    GhostRec *r = &buf[k];
                    for (int c = 0; c < 3; c++) r->x[c] = a->x[i][c] + s->shift[c] * sim->len[c];
                    r->q = a->q[i]; r->gid = a->gid[i]; r->type = a->type[i]; r->mol = a->mol[i];
                }
                size_t nb = comm_sendrecv_bytes(sim->comm, buf, sizeof(GhostRec) * (size_t)s->nsend, s->dest, &h->rbuf, &h->rcap, s->source);
                int nrecv = (int)(nb / sizeof(GhostRec));
                s->firstrecv = a->nlocal + a->nghost;
                s->nrecv = nrecv;
                atoms_grow(a, s->firstrecv + nrecv);
                const GhostRec *r = h->rbuf;
                for (int k = 0; k < nrecv; k++) {
                    int j = s->firstrecv + k;
                    memcpy(a->x[j], r[k].x, sizeof r[k].x);
                    a->q[j] = r[k].q; a->gid[j] = r[k].gid; a->type[j] = r[k].type; a->mol[j] = r[k].mol;
                    a->f[j][0] = a->f[j][1] = a->f[j][2] = 0.0;
                }
                a->nghost += nrecv;
                cfirst = s->firstrecv;
                cnum = nrecv;
            }
        }
    }
}

void halo_forward_vec(Sim *sim, double (*v)[3], int shift)
{
    Halo *h = &sim->halo;
    for (int is = 0; is < h->nswap; is++) {
        Swap *s = &h->swap[is];
        double *buf = sbuf_reserve(h, sizeof(double) * 3 * (size_t)(s->nsend + 1));
        double sh[3] = {0, 0, 0};
        if (shift)
            for (int c = 0; c < 3; c++) sh[c] = s->shift[c] * sim->len[c];
        for (int k = 0; k < s->nsend; k++) {
            int i = s->sendlist[k];
            buf[3 * k] = v[i][0] + sh[0];
            buf[3 * k + 1] = v[i][1] + sh[1];
            buf[3 * k + 2] = v[i][2] + sh[2];
        }
        size_t nb = comm_sendrecv_bytes(sim->comm, buf, sizeof(double) * 3 * (size_t)s->nsend, s->dest, &h->rbuf, &h->rcap, s->source);
        if (nb != sizeof(double) * 3 * (size_t)s->nrecv)
            error_one(FLERR, "halo plan mismatch: swap %d expected %d ghosts, got %zu", is, s->nrecv, nb / (3 * sizeof(double)));
        memcpy(v[s->firstrecv], h->rbuf, nb);
    }
}

void halo_forward(Sim *sim) { halo_forward_vec(sim, sim->atoms.x, 1); }

void halo_free(Sim *sim)
{
    Halo *h = &sim->halo;
    for (int i = 0; i < h->maxswap; i++) mem_free(h->swap[i].sendlist);
    free(h->swap);
    free(h->sbuf);
    free(h->rbuf);
    memset(h, 0, sizeof *h);
}
