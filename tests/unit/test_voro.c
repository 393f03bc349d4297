/* test_voro.c - the Voro++ C wrapper (src/voro_wrap.h) against cells computed by hand.
 *
 *  - simple cubic, spacing 1, 4x4x4 in a periodic 4^3 box: every cell a unit cube (volume 1,
 *    6 faces of area 1, the six lattice neighbours), volumes add up to the box;
 *  - fcc, a = 2, 3x3x3 cells (108 points): rhombic dodecahedra, volume a^3/4 = 2, 12 faces
 *    of area sqrt(2) a^2 / 8 each, neighbours at a/sqrt(2);
 *  - bcc, a = 2: truncated octahedra, volume a^3/2 = 4, 14 faces (8 hexagons of area
 *    3 sqrt(3)/16 a^2, 6 squares of area a^2/8);
 *  - 300 random points: volumes add up to the box, every face is seen from both sides with
 *    the same area (neighbour relation symmetric);
 *  - bad input (no points, a NaN, a zero box edge) returns -1 instead of exiting;
 *  - single clipped cells: inside the sc lattice with a larger clipping box, the unit cube
 *    (faces only from neighbours); an isolated point: the clipping box itself (6 faces with
 *    negative ids); an atom of a (001) surface: cube extended to the clipping box on the
 *    vacuum side (volume 1.1 with cap 0.6, the top face a box face of area 1); random points:
 *    the clipped cell with a large box equals the periodic tessellation's cell. */
#include "tap.h"
#include "voro_wrap.h"
#include <math.h>
#include <stdlib.h>

static double frand(unsigned *s)
{
    *s = *s * 1664525u + 1013904223u;
    return (*s >> 8) / 16777216.0;
}

/* check every cell of a lattice: volume, faces, face areas in [amin, amax] */
static void check_lattice(const char *name, int n, const double *xyz, double L, double vref, int fref, double amin, double amax,
                          double area_total_ref)
{
    double lo[3] = {0, 0, 0}, len[3] = {L, L, L};
    double *vol = malloc(sizeof(double) * n), *area = NULL;
    int *nf = malloc(sizeof(int) * n), *off = malloc(sizeof(int) * (n + 1)), *nbr = NULL;
    int rc = voro_periodic(n, xyz, lo, len, vol, nf, off, &nbr, &area);
    tap_ok(rc == 0, "%s: voro_periodic returns 0", name);
    if (rc) return;
    double vmax = 0, vsum = 0, amax_err = 0, atot_err = 0;
    int fbad = 0;
    for (int i = 0; i < n; i++) {
        vsum += vol[i];
        if (fabs(vol[i] - vref) > vmax) vmax = fabs(vol[i] - vref);
        if (nf[i] != fref || off[i + 1] - off[i] != fref) fbad++;
        double at = 0;
        for (int k = off[i]; k < off[i + 1]; k++) {
            at += area[k];
            double e = area[k] < amin ? amin - area[k] : area[k] > amax ? area[k] - amax : 0;
            if (e > amax_err) amax_err = e;
        }
        if (fabs(at - area_total_ref) > atot_err) atot_err = fabs(at - area_total_ref);
    }
    tap_ok(vmax < 1e-9, "%s: every cell has volume %g (max error %.1e)", name, vref, vmax);
    tap_ok(fabs(vsum - L * L * L) < 1e-8 * L * L * L, "%s: volumes add up to the box %g (got %.10g)", name, L * L * L, vsum);
    tap_ok(fbad == 0, "%s: every cell has %d faces (%d cells differ)", name, fref, fbad);
    tap_ok(amax_err < 1e-9 && atot_err < 1e-8, "%s: face areas in [%g, %g], total %g per cell (errors %.1e, %.1e)", name, amin, amax,
           area_total_ref, amax_err, atot_err);
    free(vol);
    free(nf);
    free(off);
    free(nbr);
    free(area);
}

int main(void)
{
    /* ---- simple cubic ---- */
    {
        int n = 64;
        double xyz[3 * 64];
        for (int i = 0; i < n; i++) {
            xyz[3 * i] = i % 4 + 0.5;
            xyz[3 * i + 1] = (i / 4) % 4 + 0.5;
            xyz[3 * i + 2] = i / 16 + 0.5;
        }
        check_lattice("simple cubic", n, xyz, 4.0, 1.0, 6, 1.0, 1.0, 6.0);
        /* the neighbours of point 0 (0.5,0.5,0.5) are its six lattice neighbours, through the boundary */
        double lo[3] = {0, 0, 0}, len[3] = {4, 4, 4};
        int off[65], *nbr = NULL;
        double *area = NULL;
        voro_periodic(n, xyz, lo, len, NULL, NULL, off, &nbr, &area);
        int want[6] = {1, 3, 4, 12, 16, 48}, found = 0;
        for (int k = off[0]; k < off[1]; k++)
            for (int w = 0; w < 6; w++)
                if (nbr[k] == want[w]) found++;
        tap_ok(found == 6, "simple cubic: the neighbours of a corner point are its six lattice neighbours across the periodic boundary");
        free(nbr);
        free(area);
    }
    /* ---- fcc and bcc, a = 2 ---- */
    {
        const double a = 2.0;
        const double fb[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
        double xyz[3 * 108];
        int n = 0;
        for (int c = 0; c < 27; c++)
            for (int b = 0; b < 4; b++) {
                xyz[3 * n] = (c % 3 + fb[b][0] + 0.1) * a;
                xyz[3 * n + 1] = ((c / 3) % 3 + fb[b][1] + 0.1) * a;
                xyz[3 * n + 2] = (c / 9 + fb[b][2] + 0.1) * a;
                n++;
            }
        double af = sqrt(2.0) * a * a / 8;
        check_lattice("fcc (rhombic dodecahedra)", n, xyz, 3 * a, a * a * a / 4, 12, af, af, 12 * af);
        n = 0;
        for (int c = 0; c < 27; c++)
            for (int b = 0; b < 2; b++) {
                xyz[3 * n] = (c % 3 + 0.5 * b + 0.1) * a;
                xyz[3 * n + 1] = ((c / 3) % 3 + 0.5 * b + 0.1) * a;
                xyz[3 * n + 2] = (c / 9 + 0.5 * b + 0.1) * a;
                n++;
            }
        double ah = 3 * sqrt(3.0) / 16 * a * a, as = a * a / 8;
        check_lattice("bcc (truncated octahedra)", n, xyz, 3 * a, a * a * a / 2, 14, as, ah, 8 * ah + 6 * as);
    }
    /* ---- random points ---- */
    double rnd[3 * 300], L = 7.0;
    {
        unsigned s = 12345u;
        int n = 300;
        for (int i = 0; i < 3 * n; i++) rnd[i] = (frand(&s) - 0.3) * L; /* some outside the box: wrapped */
        double lo[3] = {0, 0, 0}, len[3] = {L, L, L}, vol[300], *area = NULL;
        int off[301], *nbr = NULL;
        int rc = voro_periodic(n, rnd, lo, len, vol, NULL, off, &nbr, &area);
        double vs = 0;
        for (int i = 0; i < n; i++) vs += vol[i];
        tap_ok(rc == 0 && fabs(vs - L * L * L) < 1e-8 * L * L * L, "random points (some outside the box): volumes add up to the box (%.10g vs %g)",
               vs, L * L * L);
        /* faces seen from both sides with equal areas (pairs may share several faces through images:
           compare the total area per pair) */
        int bad = 0;
        for (int i = 0; i < n && !rc; i++)
            for (int k = off[i]; k < off[i + 1]; k++) {
                int j = nbr[k];
                double aij = 0, aji = 0;
                for (int m = off[i]; m < off[i + 1]; m++)
                    if (nbr[m] == j) aij += area[m];
                for (int m = off[j]; m < off[j + 1]; m++)
                    if (nbr[m] == i) aji += area[m];
                if (fabs(aij - aji) > 1e-9) bad++;
            }
        tap_ok(rc == 0 && bad == 0, "random points: every face is shared by both neighbours with the same area (%d mismatches)", bad);
        /* single clipped cells with a box larger than any cell equal the periodic ones */
        int nbad = 0;
        VoroCell *vc = voro_cell_create();
        double rel[3 * 27 * 300];
        int ids[27 * 300];
        for (int i = 0; i < 20; i++) {
            int m = 0;
            for (int j = 0; j < n; j++)
                for (int im = 0; im < 27; im++) {
                    double d[3];
                    for (int dd = 0; dd < 3; dd++) {
                        int sh = (dd == 0 ? im % 3 : dd == 1 ? (im / 3) % 3 : im / 9) - 1;
                        d[dd] = rnd[3 * j + dd] - rnd[3 * i + dd];
                        d[dd] -= L * floor(d[dd] / L + 0.5);
                        d[dd] += sh * L;
                    }
                    if (j == i && im == 13) continue;
                    rel[3 * m] = d[0];
                    rel[3 * m + 1] = d[1];
                    rel[3 * m + 2] = d[2];
                    ids[m++] = j;
                }
            double v = 0, blo[3] = {-L, -L, -L}, bhi[3] = {L, L, L};
            if (voro_cell_compute(vc, blo, bhi, m, rel, ids, &v) != 0 || fabs(v - vol[i]) > 1e-9) nbad++;
            int fid[200];
            int nf = voro_cell_faces(vc, 200, fid, NULL);
            for (int k = 0; k < nf && k < 200; k++)
                if (fid[k] < 0) nbad++;
        }
        tap_ok(nbad == 0, "random points: voro_cell_compute (clipping box larger than the cell, 27 images as neighbours) gives the periodic cell volumes, no box faces (%d differ)", nbad);
        voro_cell_destroy(&vc);
        tap_ok(vc == NULL, "voro_cell_destroy sets the handle to NULL");
        free(nbr);
        free(area);
    }
    /* ---- bad input ---- */
    {
        double p[6] = {1, 1, 1, 2, 2, 2}, lo[3] = {0, 0, 0}, len[3] = {4, 4, 4}, vol[2];
        tap_ok(voro_periodic(0, p, lo, len, vol, NULL, NULL, NULL, NULL) == -1, "no points: -1");
        p[4] = NAN;
        tap_ok(voro_periodic(2, p, lo, len, vol, NULL, NULL, NULL, NULL) == -1, "a NaN coordinate: -1 (Voro++ would exit)");
        p[4] = 2;
        len[1] = 0;
        tap_ok(voro_periodic(2, p, lo, len, vol, NULL, NULL, NULL, NULL) == -1, "a zero box edge: -1");
        VoroCell *vc = voro_cell_create();
        double blo[3] = {0.1, -1, -1}, bhi[3] = {1, 1, 1};
        tap_ok(voro_cell_compute(vc, blo, bhi, 0, NULL, NULL, NULL) == -1, "voro_cell_compute: a clipping box not around the point: -1");
        int bid = -3;
        double brel[3] = {1, 0, 0};
        blo[0] = -1;
        tap_ok(voro_cell_compute(vc, blo, bhi, 1, brel, &bid, NULL) == -1 && voro_cell_faces(vc, 0, NULL, NULL) == 0,
               "voro_cell_compute: a negative neighbour id: -1, no faces");
        voro_cell_destroy(&vc);
    }
    /* ---- single clipped cells in a simple cubic crystal (spacing 1) ---- */
    {
        VoroCell *vc = voro_cell_create();
        double rel[3 * 125];
        int id[125], n = 0;
        for (int k = 0; k < 125; k++) {
            int x = k % 5 - 2, y = (k / 5) % 5 - 2, z = k / 25 - 2;
            if (!x && !y && !z) continue;
            rel[3 * n] = x;
            rel[3 * n + 1] = y;
            rel[3 * n + 2] = z;
            id[n++] = k;
        }
        double h = 0.6, lo[3] = {-h, -h, -h}, hi[3] = {h, h, h}, v = 0, area[64];
        int fid[64];
        int rc = voro_cell_compute(vc, lo, hi, n, rel, id, &v);
        int nf = voro_cell_faces(vc, 64, fid, area), nneg = 0;
        double amin = 9, amax = 0;
        for (int k = 0; k < nf; k++) {
            if (fid[k] < 0) nneg++;
            if (area[k] < amin) amin = area[k];
            if (area[k] > amax) amax = area[k];
        }
        tap_ok(rc == 0 && fabs(v - 1) < 1e-12 && nf == 6 && nneg == 0 && fabs(amin - 1) < 1e-12 && fabs(amax - 1) < 1e-12,
               "clipped cell inside a simple cubic crystal (box half-width 0.6): the unit cube, 6 neighbour faces of area 1 (volume %g, %d faces)", v, nf);
        rc = voro_cell_compute(vc, lo, hi, 0, NULL, NULL, &v);
        nf = voro_cell_faces(vc, 64, fid, area);
        nneg = 0;
        for (int k = 0; k < nf; k++) nneg += fid[k] < 0;
        tap_ok(rc == 0 && fabs(v - 8 * h * h * h) < 1e-12 && nf == 6 && nneg == 6, "isolated point: the clipping box, volume %g, 6 box faces", v);
        /* (001) surface: keep neighbours with z <= 0 */
        int m = 0;
        for (int k = 0; k < n; k++)
            if (rel[3 * k + 2] <= 0) {
                rel[3 * m] = rel[3 * k];
                rel[3 * m + 1] = rel[3 * k + 1];
                rel[3 * m + 2] = rel[3 * k + 2];
                id[m++] = id[k];
            }
        rc = voro_cell_compute(vc, lo, hi, m, rel, id, &v);
        nf = voro_cell_faces(vc, 64, fid, area);
        int top = 0, below = 0, side = 0;
        for (int k = 0; k < nf; k++) {
            if (fid[k] < 0 && fabs(area[k] - 1) < 1e-12) top++;
            else if (fid[k] == 37 && fabs(area[k] - 1) < 1e-12) below++; /* (0,0,-1): k = 2 + 5*2 + 25*1 */
            else if (fid[k] >= 0 && fabs(area[k] - (0.5 + h)) < 1e-12) side++;
        }
        tap_ok(rc == 0 && fabs(v - (0.5 + h)) < 1e-12 && nf == 6 && top == 1 && below == 1 && side == 4,
               "(001) surface atom, box half-width 0.6: volume 1.1, one box face of area 1 on the vacuum side, four side faces of area 1.1 (volume %g, %d faces)", v,
               nf);
        voro_cell_destroy(&vc);
    }
    return tap_done();
}
