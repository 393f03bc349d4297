/* slab.c - the slab systems of the DFT part of the study: two rock-salt PbSe {001} slabs
 * stacked along z with a gap, optionally an oleate in the gap or n Pb-Se pairs in it.
 *
 * Geometry: lateral cell NX x NY conventional cells (periodic in x and y), each slab L atomic
 * {001} layers (spacing a/2). Slab 1's layers are at z = pad/2 + k a/2; slab 2 starts G above
 * slab 1's top layer (G = the distance between the facing atomic planes); the box ends pad/2
 * above slab 2's top layer, so slab 2 faces slab 1's periodic image across pad (vacuum
 * unless a solvent is asked for). Site (i, j) of global layer K is Pb when i + j + K is even,
 * with K = k in slab 1 and K = L - 1 + round(G / (a/2)) + k in slab 2: the slabs are in
 * rock-salt registry, exactly so when G is a multiple of a/2 (epitaxial across the gap).
 *
 * Pairs in the gap (--pairs n): a cuboid of 2n atoms in P layers (--pair-layers, even,
 * default 2) evenly spaced in the gap (z = top1 + (l + 1) G / (P + 1): lattice planes when
 * G = (P + 1) a/2, e.g. the paper's 0.6 nm neck = 2 extra {200} layers = G 9.18 A), on
 * 2n/P lateral columns filled row by row in a near-square rectangle centred on the cell
 * (n = 9: 3 x 3 x 2), species alternating along each column: exactly n Pb and n Se.
 *
 * Oleate (--fragment oleate): one oleate bound (chelating) to the slab-1 top-layer Pb nearest
 * the cell centre, lying in the gap at whatever tilt and tail conformer fits (up to 90 deg).
 * Two oleates balance one excess Pb (q = -0.645 e each), so a Pb adatom is put under slab 1
 * (on the rock-salt site below a bottom-layer Se, facing the vacuum) with a second oleate
 * bound to it pointing into the vacuum: the system stays exactly neutral. */
#include "build/builder.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define Q_PB 1.29
#define Q_SE (-1.29)
#define M_PB 207.2
#define M_SE 78.971

void slab_build(BSys *s, const BuildOpts *o, LigandModel *lm, SlabReport *rep)
{
    memset(rep, 0, sizeof *rep);
    const double a = o->a, h = a / 2.0, G = o->gap;
    const int nx = 2 * o->slab_cells[0], ny = 2 * o->slab_cells[1], L = o->slab_layers;
    const double Lx = o->slab_cells[0] * a, Ly = o->slab_cells[1] * a;
    const double z0 = o->pad / 2.0, ztop1 = z0 + (L - 1) * h, zbot2 = ztop1 + G, ztop2 = zbot2 + (L - 1) * h;
    s->box[0] = Lx; s->box[1] = Ly; s->box[2] = ztop2 + o->pad / 2.0;
    rep->gap = G; rep->lateral[0] = Lx; rep->lateral[1] = Ly;
    rep->zplanes[0] = z0; rep->zplanes[1] = ztop1; rep->zplanes[2] = zbot2; rep->zplanes[3] = ztop2;
    int tpb = bsys_type(s, "Pb", M_PB), tse = bsys_type(s, "Se", M_SE);
    int kshift = L - 1 + (int)lround(G / h);
    /* slabs: molecule 1 and 2, NC ids 1 and 2 */
    long top_pb = -1, bottom_se_site[2] = {-1, -1};
    double best_top = 1e30, best_bot = 1e30;
    for (int sl = 0; sl < 2; sl++)
        for (int k = 0; k < L; k++)
            for (int i = 0; i < nx; i++)
                for (int j = 0; j < ny; j++) {
                    int K = sl == 0 ? k : kshift + k;
                    int pb = ((i + j + K) % 2) == 0;
                    double x[3] = {i * h, j * h, sl == 0 ? z0 + k * h : zbot2 + k * h};
                    long id = bsys_add_atom(s, pb ? tpb : tse, pb ? Q_PB : Q_SE, x, sl + 1, sl + 1, ROLE_CORE);
                    rep->nslab_atoms[sl]++;
                    if (pb) rep->npb++; else rep->nse++;
                    double dc = (i - nx / 2) * (i - nx / 2) + (j - ny / 2) * (j - ny / 2) + 1e-3 * (i + nx * j);
                    if (sl == 0 && k == L - 1 && pb && dc < best_top) { best_top = dc; top_pb = id; }
                    if (sl == 0 && k == 0 && !pb && dc < best_bot) { best_bot = dc; bottom_se_site[0] = i; bottom_se_site[1] = j; }
                }
    s->nmol = 2;
    /* Pb-Se pairs in the gap */
    if (o->npairs > 0) {
        int P = o->pair_layers, ncol = 2 * o->npairs / P;
        int rx = (int)ceil(sqrt((double)ncol)), ry = (ncol + rx - 1) / rx;
        if (rx > nx || ry > ny)
            build_die("--pairs %d: %d x %d columns do not fit the %d x %d sites of a layer (larger --slab-cells)", o->npairs, rx, ry, nx, ny);
        double dz = G / (P + 1);
        if (dz < 2.6)
            build_die("--pairs %d in %d layers need a gap of at least %.2f A (layers >= 2.6 A apart); --gap is %g A",
                      o->npairs, P, 2.6 * (P + 1), G);
        int i0 = nx / 2 - rx / 2, j0 = ny / 2 - ry / 2;
        long mol = ++s->nmol;
        for (int c = 0; c < ncol; c++) {
            int i = i0 + c % rx, j = j0 + c / rx;
            for (int l = 0; l < P; l++) {
                int K = L + l;
                int pb = ((i + j + K) % 2) == 0;
                double x[3] = {i * h, j * h, ztop1 + (l + 1) * dz};
                bsys_add_atom(s, pb ? tpb : tse, pb ? Q_PB : Q_SE, x, mol, 0, ROLE_GAP);
                rep->ngap_atoms++;
                if (pb) rep->npb++; else rep->nse++;
            }
        }
    }
    if (o->fragment) {
        /* adatom below a bottom-layer Se of slab 1 (layer K = -1) */
        double xa[3] = {bottom_se_site[0] * h, bottom_se_site[1] * h, z0 - h};
        long ad = bsys_add_atom(s, tpb, Q_PB, xa, 1, 1, ROLE_CORE);
        rep->nadatom = 1;
        rep->npb++;
        Grid *g = grid_create(NULL, s->box, 3.0, 1);
        for (long i = 0; i < s->n; i++) grid_add(g, s, i);
        BRng rng;
        brng_init(&rng, o->seed, 500);
        double up[3] = {0, 0, 1}, down[3] = {0, 0, -1};
        if (!ligand_try(lm, s, g, top_pb, up, &rng, o->lig_rmin, 90.0, 1, ++s->nmol, 1))
            build_die("--fragment oleate: no orientation or tail conformer of the oleate fits in a %g A gap with contacts >= %.2f A "
                      "(try a larger --gap or a smaller --ligand-rmin)", G, o->lig_rmin);
        if (!ligand_try(lm, s, g, ad, down, &rng, o->lig_rmin, 75.0, o->tails_random, ++s->nmol, 1))
            build_die("--fragment oleate: the compensating oleate under slab 1 does not fit (larger --pad)");
        rep->nfragment = 1;
        grid_destroy(&g);
    }
}
