/* ligand.c - oleate ligands bound to surface Pb.
 *
 * Binding geometry: bidentate chelating carboxylate. The template (potentials/molecules/
 * oleate_single.data: all-trans tail, cis C9=C10, the force field's bond lengths and angles)
 * is expressed in a frame with the O-O midpoint at the origin, x along O1->O2 and z along the
 * chain (midpoint -> centroid of all sites, made orthogonal to O-O). The Pb sits on the -z
 * axis at hz = sqrt(d_PbO^2 - (d_OO/2)^2) below the midpoint, so both O are d_PbO (default
 * 2.4 A, inside the 2.3-2.6 A Pb-O distances of carboxylates on Pb) from it; z is put along
 * the site's outward normal, possibly tilted, and the molecule is spun about it.
 *
 * Overlaps: a trial is accepted when no ligand site comes closer than rmin (default 2.8 A)
 * to any atom already placed (cores of all NCs, earlier ligands), the bound Pb excepted for
 * the three head atoms. Trials per site, in phases: the template conformer along the normal
 * with 12 random spins; tilted up to 25 deg (24 trials); then random tail conformers tilted
 * up to 45 deg (48) and up to 75 deg (96). A random conformer turns each rotatable chain
 * bond (not in the head, not the C=C double bond, recognised as shorter than 1.40 A) by
 * 0 (p = 0.6) or +-120 deg (trans <-> gauche; skew <-> cis/skew at the allylic bonds: every
 * torsion stays at a minimum of its term) and is kept if no two sites four or more bonds
 * apart come closer than 3.0 A. With --tails random every trial uses a random conformer.
 * Last, the chain is grown (configurational-bias style, depth first): the head is placed
 * (tilt up to 60 deg, 48 trials) and each further chain site is put by its template bond
 * length and angle at a torsion drawn in random order from the template value + 0/120/240
 * deg (60 deg steps for the first, O-C1-C2-C3; the C=C torsion fixed), +-10 deg jitter,
 * backtracking on contacts (4000 nodes per trial): this folds tails into crowded spots and
 * lays them flat in narrow gaps (an oleate fits between two slabs 6.5 A apart).
 *
 * Site choice: per facet family ({111} first, then {100}) the NCs take turns, one ligand
 * each (no NC gets the space between NCs first). On each NC the next site is the unused
 * surface Pb farthest from the ligands already bound to it (ties broken by a seeded random
 * key): an even spread, so dense coverages still fit. A site where no trial fits is skipped
 * and the next one taken; if a family runs out of sites the build stops with the numbers. */
#include "build/builder.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INTRA_RMIN 3.0

struct LigandModel {
    const MolTemplate *m;
    int tmap[BUILD_MAXTYPES], shift[BK_COUNT];
    int nat;
    double (*f)[3];              /* template in the binding frame */
    double (*conf)[3];           /* work: a conformer */
    double (*x)[3];              /* work: placed positions */
    unsigned char *head;         /* C1, O1, O2 */
    unsigned char *far;          /* nat x nat: four or more bonds apart */
    int nrot;
    int *rot_a, *rot_b;          /* rotatable bonds: axis a -> b */
    unsigned char *moves;        /* nrot x nat */
    double hz;
    /* chain growth: atoms grown in order from internal coordinates */
    int ngrow;                   /* 0: the template is not a linear chain (no growth) */
    int *grow_atom, (*grow_ref)[3];
    double *grow_r, *grow_theta, *grow_phi0;
    int *grow_nphi;              /* 6 (first), 3 (single bond) or 1 (double bond) torsion choices */
    unsigned char *placed;       /* work */
    long nodes;                  /* work: DFS node budget */
};

/* Dihedral A-B-C-D (rad), and the position of D from A, B, C, |CD| = r, angle BCD = theta,
 * dihedral ABCD = phi (the same convention: nerf(dihedral(...)) reproduces D). */
static double dihedral(const double *A, const double *B, const double *C, const double *D)
{
    double b1[3], b2[3], b3[3], n1[3], n2[3], m1[3];
    for (int d = 0; d < 3; d++) { b1[d] = B[d] - A[d]; b2[d] = C[d] - B[d]; b3[d] = D[d] - C[d]; }
    v_cross(b1, b2, n1);
    v_cross(b2, b3, n2);
    double u2[3] = {b2[0], b2[1], b2[2]};
    v_unit(u2);
    v_cross(n1, u2, m1);
    return atan2(-v_dot(m1, n2), v_dot(n1, n2));
}

static void nerf(const double *A, const double *B, const double *C, double r, double theta, double phi, double *D)
{
    double bc[3] = {C[0] - B[0], C[1] - B[1], C[2] - B[2]}, ab[3] = {B[0] - A[0], B[1] - A[1], B[2] - A[2]}, n[3], m[3];
    v_unit(bc);
    v_cross(ab, bc, n);
    v_unit(n);
    v_cross(n, bc, m);
    double d2[3] = {-r * cos(theta), r * sin(theta) * cos(phi), r * sin(theta) * sin(phi)};
    for (int d = 0; d < 3; d++) D[d] = C[d] + d2[0] * bc[d] + d2[1] * m[d] + d2[2] * n[d];
}

static double angle3(const double *A, const double *B, const double *C)
{
    double u[3] = {A[0] - B[0], A[1] - B[1], A[2] - B[2]}, v[3] = {C[0] - B[0], C[1] - B[1], C[2] - B[2]};
    return acos(fmax(-1.0, fmin(1.0, v_dot(u, v) / (v_norm(u) * v_norm(v)))));
}

static int name_ends(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

LigandModel *ligand_model_create(const MolTemplate *m, BSys *s, double pb_o)
{
    LigandModel *lm = build_alloc(1, sizeof *lm);
    lm->m = m;
    lm->nat = m->natoms;
    int n = m->natoms;
    bsys_register_template(s, m, lm->tmap, lm->shift);
    lm->f = build_alloc((size_t)n, sizeof *lm->f);
    lm->conf = build_alloc((size_t)n, sizeof *lm->conf);
    lm->x = build_alloc((size_t)n, sizeof *lm->x);
    lm->head = build_alloc((size_t)n, 1);
    lm->far = build_alloc((size_t)n * (size_t)n, 1);
    /* adjacency */
    int *adj = build_alloc((size_t)n * (size_t)n, sizeof *adj);
    const int *bonds = m->topo[BK_BOND];
    for (int b = 0; b < m->ntopo[BK_BOND]; b++) {
        int i = bonds[3 * b + 1], j = bonds[3 * b + 2];
        adj[i * n + j] = adj[j * n + i] = 1;
    }
    /* head: the two O (type name *_O) and the C bonded to both */
    int o[2] = {-1, -1}, no = 0, c1 = -1;
    for (int i = 0; i < n; i++)
        if (name_ends(m->tname[m->type[i]], "_O")) { if (no < 2) o[no] = i; no++; }
    if (no == 2)
        for (int i = 0; i < n; i++)
            if (adj[i * n + o[0]] && adj[i * n + o[1]]) c1 = i;
    if (no != 2 || c1 < 0) build_die("%s: the ligand template must be a carboxylate (two *_O sites bonded to one C)", m->path);
    lm->head[o[0]] = lm->head[o[1]] = lm->head[c1] = 1;
    /* frame */
    double mid[3], ex[3], ez[3], ey[3], cen[3];
    moltemplate_centroid(m, cen);
    for (int d = 0; d < 3; d++) {
        mid[d] = 0.5 * (m->x[o[0]][d] + m->x[o[1]][d]);
        ex[d] = m->x[o[1]][d] - m->x[o[0]][d];
        ez[d] = cen[d] - mid[d];
    }
    double doo = v_norm(ex);
    v_unit(ex);
    double p = v_dot(ez, ex);
    for (int d = 0; d < 3; d++) ez[d] -= p * ex[d];
    v_unit(ez);
    v_cross(ez, ex, ey);
    for (int i = 0; i < n; i++) {
        double r[3] = {m->x[i][0] - mid[0], m->x[i][1] - mid[1], m->x[i][2] - mid[2]};
        lm->f[i][0] = v_dot(r, ex); lm->f[i][1] = v_dot(r, ey); lm->f[i][2] = v_dot(r, ez);
    }
    if (!(pb_o > 0.5 * doo + 0.1)) build_die("--pb-o %g A is too short for the O-O distance %.3f A of the template", pb_o, doo);
    lm->hz = sqrt(pb_o * pb_o - 0.25 * doo * doo);
    /* chain growth: C1 -> C2 -> ... along the non-O neighbours; every atom must be on it */
    {
        int *chain = build_alloc((size_t)n, sizeof *chain), nch = 0, prev = -1, cur = c1, linear = 1;
        while (cur >= 0 && nch < n) {
            chain[nch++] = cur;
            int nxt = -1, cnt = 0;
            for (int q = 0; q < n; q++)
                if (adj[cur * n + q] && q != prev && !lm->head[q]) { nxt = q; cnt++; }
            if (cnt > 1) linear = 0;
            prev = cur;
            cur = cnt == 1 ? nxt : -1;
        }
        if (linear && nch + 2 == n && nch >= 3) {
            lm->ngrow = nch - 2;
            lm->grow_atom = build_alloc((size_t)lm->ngrow, sizeof(int));
            lm->grow_ref = build_alloc((size_t)lm->ngrow, sizeof *lm->grow_ref);
            lm->grow_r = build_alloc((size_t)lm->ngrow, sizeof(double));
            lm->grow_theta = build_alloc((size_t)lm->ngrow, sizeof(double));
            lm->grow_phi0 = build_alloc((size_t)lm->ngrow, sizeof(double));
            lm->grow_nphi = build_alloc((size_t)lm->ngrow, sizeof(int));
            for (int k = 2; k < nch; k++) {
                int g = k - 2, A = k == 2 ? o[0] : chain[k - 3], B = chain[k - 2], C = chain[k - 1], D = chain[k];
                lm->grow_atom[g] = D;
                lm->grow_ref[g][0] = A; lm->grow_ref[g][1] = B; lm->grow_ref[g][2] = C;
                double bc[3] = {m->x[C][0] - m->x[B][0], m->x[C][1] - m->x[B][1], m->x[C][2] - m->x[B][2]};
                double cd[3] = {m->x[D][0] - m->x[C][0], m->x[D][1] - m->x[C][1], m->x[D][2] - m->x[C][2]};
                lm->grow_r[g] = v_norm(cd);
                lm->grow_theta[g] = angle3(m->x[B], m->x[C], m->x[D]);
                lm->grow_phi0[g] = dihedral(m->x[A], m->x[B], m->x[C], m->x[D]);
                lm->grow_nphi[g] = k == 2 ? 6 : (v_norm(bc) < 1.40 ? 1 : 3);
            }
            /* self-check: rebuilding the template from its internal coordinates */
            double (*t)[3] = build_alloc((size_t)n, sizeof *t), err = 0;
            memcpy(t, m->x, sizeof(double) * 3 * (size_t)n);
            for (int g = 0; g < lm->ngrow; g++) {
                int D = lm->grow_atom[g];
                nerf(t[lm->grow_ref[g][0]], t[lm->grow_ref[g][1]], t[lm->grow_ref[g][2]], lm->grow_r[g], lm->grow_theta[g], lm->grow_phi0[g], t[D]);
                double e[3] = {t[D][0] - m->x[D][0], t[D][1] - m->x[D][1], t[D][2] - m->x[D][2]};
                err = fmax(err, v_norm(e));
            }
            if (err > 1e-6) build_die("internal: chain rebuild of %s off by %g A", m->path, err);
            free(t);
        }
        free(chain);
        lm->placed = build_alloc((size_t)n, 1);
    }
    /* graph distances (BFS) */
    int *dist = build_alloc((size_t)n, sizeof *dist), *queue = build_alloc((size_t)n, sizeof *queue);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) dist[j] = -1;
        int qh = 0, qt = 0;
        dist[i] = 0; queue[qt++] = i;
        while (qh < qt) {
            int a = queue[qh++];
            for (int b = 0; b < n; b++)
                if (adj[a * n + b] && dist[b] < 0) { dist[b] = dist[a] + 1; queue[qt++] = b; }
        }
        for (int j = 0; j < n; j++) lm->far[i * n + j] = dist[j] < 0 || dist[j] >= 4;
    }
    /* rotatable bonds and the atoms each one moves (the side away from the head) */
    lm->rot_a = build_alloc((size_t)m->ntopo[BK_BOND], sizeof(int));
    lm->rot_b = build_alloc((size_t)m->ntopo[BK_BOND], sizeof(int));
    lm->moves = build_alloc((size_t)m->ntopo[BK_BOND] * (size_t)n, 1);
    for (int b = 0; b < m->ntopo[BK_BOND]; b++) {
        int i = bonds[3 * b + 1], j = bonds[3 * b + 2];
        if (lm->head[i] || lm->head[j]) continue;
        double dv[3] = {m->x[j][0] - m->x[i][0], m->x[j][1] - m->x[i][1], m->x[j][2] - m->x[i][2]};
        if (v_norm(dv) < 1.40) continue; /* double bond: keep its cis geometry */
        /* side of j without crossing i-j */
        for (int t = 0; t < 2; t++) {
            int a = t ? j : i, c = t ? i : j;
            for (int q = 0; q < n; q++) dist[q] = -1;
            int qh = 0, qt = 0;
            dist[c] = 0; queue[qt++] = c;
            while (qh < qt) {
                int u = queue[qh++];
                for (int v = 0; v < n; v++)
                    if (adj[u * n + v] && dist[v] < 0 && !(u == c && v == a)) { dist[v] = 1; queue[qt++] = v; }
            }
            if (dist[c1] >= 0) continue; /* that side holds the head */
            int nm = 0;
            unsigned char *mv = lm->moves + (size_t)lm->nrot * (size_t)n;
            for (int q = 0; q < n; q++) { mv[q] = dist[q] >= 0 && q != c; nm += mv[q]; }
            if (nm == 0) break;
            lm->rot_a[lm->nrot] = a;
            lm->rot_b[lm->nrot] = c;
            lm->nrot++;
            break;
        }
    }
    free(dist); free(queue); free(adj);
    return lm;
}

void ligand_model_destroy(LigandModel **p)
{
    LigandModel *lm = *p;
    if (!lm) return;
    free(lm->f); free(lm->conf); free(lm->x); free(lm->head); free(lm->far);
    free(lm->rot_a); free(lm->rot_b); free(lm->moves);
    free(lm->grow_atom); free(lm->grow_ref); free(lm->grow_r); free(lm->grow_theta); free(lm->grow_phi0); free(lm->grow_nphi);
    free(lm->placed);
    free(lm);
    *p = NULL;
}

const MolTemplate *ligand_model_template(const LigandModel *lm) { return lm->m; }

/* lm->conf = a random conformer (the template if none passes the self-contact check). */
static void random_conformer(LigandModel *lm, BRng *rng)
{
    int n = lm->nat;
    for (int attempt = 0; attempt < 30; attempt++) {
        memcpy(lm->conf, lm->f, sizeof(double) * 3 * (size_t)n);
        for (int r = 0; r < lm->nrot; r++) {
            double u = brng_uniform(rng);
            if (u < 0.6) continue;
            double ang = (u < 0.8 ? 120.0 : -120.0) * M_PI / 180.0;
            int a = lm->rot_a[r], b = lm->rot_b[r];
            double ax[3] = {lm->conf[b][0] - lm->conf[a][0], lm->conf[b][1] - lm->conf[a][1], lm->conf[b][2] - lm->conf[a][2]};
            v_unit(ax);
            double R[3][3];
            m_axis_angle(ax, ang, R);
            const unsigned char *mv = lm->moves + (size_t)r * (size_t)n;
            for (int q = 0; q < n; q++) {
                if (!mv[q]) continue;
                double v[3] = {lm->conf[q][0] - lm->conf[b][0], lm->conf[q][1] - lm->conf[b][1], lm->conf[q][2] - lm->conf[b][2]};
                m_vec(R, v, v);
                for (int d = 0; d < 3; d++) lm->conf[q][d] = lm->conf[b][d] + v[d];
            }
        }
        int ok = 1;
        for (int i = 0; i < n && ok; i++)
            for (int j = i + 1; j < n && ok; j++) {
                if (!lm->far[i * n + j]) continue;
                double d[3] = {lm->conf[i][0] - lm->conf[j][0], lm->conf[i][1] - lm->conf[j][1], lm->conf[i][2] - lm->conf[j][2]};
                if (v_dot(d, d) < INTRA_RMIN * INTRA_RMIN) ok = 0;
            }
        if (ok) return;
    }
    memcpy(lm->conf, lm->f, sizeof(double) * 3 * (size_t)n);
}

/* Depth-first growth of chain atom k onwards into lm->x (head and C2 already there):
 * torsions in random order (template value + 0/120/240 deg, 6 choices of 60 deg for the first,
 * the template value at a double bond; each with up to +-10 deg jitter), each new atom kept
 * rmin from every atom in the grid and INTRA_RMIN from the ligand's own atoms four or more
 * bonds away. Returns 1 when the whole chain is placed. */
static int grow(LigandModel *lm, const BSys *s, const Grid *g, int k, BRng *rng, double rmin)
{
    if (k == lm->ngrow) return 1;
    if (--lm->nodes < 0) return 0;
    int D = lm->grow_atom[k], nphi = lm->grow_nphi[k], ord[6];
    for (int q = 0; q < nphi; q++) ord[q] = q;
    for (int q = nphi - 1; q > 0; q--) {
        int r = (int)(brng_uniform(rng) * (q + 1));
        int t = ord[q]; ord[q] = ord[r]; ord[r] = t;
    }
    for (int qi = 0; qi < nphi; qi++) {
        double step = nphi == 6 ? M_PI / 3.0 : 2.0 * M_PI / 3.0;
        double phi = lm->grow_phi0[k] + ord[qi] * step + (nphi > 1 ? (2 * brng_uniform(rng) - 1) * 10.0 * M_PI / 180.0 : 0.0);
        const int *ref = lm->grow_ref[k];
        nerf(lm->x[ref[0]], lm->x[ref[1]], lm->x[ref[2]], lm->grow_r[k], lm->grow_theta[k], phi, lm->x[D]);
        if (grid_clash(g, s, lm->x[D], rmin, -1)) continue;
        int ok = 1;
        for (int j = 0; j < lm->nat && ok; j++) {
            if (!lm->placed[j] || !lm->far[D * lm->nat + j]) continue;
            double d[3] = {lm->x[D][0] - lm->x[j][0], lm->x[D][1] - lm->x[j][1], lm->x[D][2] - lm->x[j][2]};
            if (v_dot(d, d) < INTRA_RMIN * INTRA_RMIN) ok = 0;
        }
        if (!ok) continue;
        lm->placed[D] = 1;
        if (grow(lm, s, g, k + 1, rng, rmin)) return 1;
        lm->placed[D] = 0;
        if (lm->nodes < 0) return 0;
    }
    return 0;
}

int ligand_try(LigandModel *lm, BSys *s, Grid *g, long anchor, const double n[3], BRng *rng, double rmin,
               double max_tilt, int random_tails, long mol, int nc)
{
    struct { double tilt; int ntry; int conf; } ph[5] = {{0, 12, 0}, {25, 24, 0}, {45, 48, 1}, {75, 96, 1}, {0, 0, 1}};
    int nph = 4;
    if (max_tilt > 75) { ph[4].tilt = max_tilt; ph[4].ntry = 192; nph = 5; }
    const double *P = s->x[anchor];
    double e1[3], e2[3];
    v_perp_basis(n, e1, e2);
    for (int p = 0; p < nph; p++) {
        double tmax = fmin(ph[p].tilt, max_tilt) * M_PI / 180.0;
        for (int t = 0; t < ph[p].ntry; t++) {
            const double (*c)[3] = (const double (*)[3])lm->f;
            if (ph[p].conf || random_tails) { random_conformer(lm, rng); c = (const double (*)[3])lm->conf; }
            double th = acos(1.0 - brng_uniform(rng) * (1.0 - cos(tmax))), ps = 2 * M_PI * brng_uniform(rng), ph_ = 2 * M_PI * brng_uniform(rng);
            double dir[3], b1[3], b2[3], ex[3], ey[3];
            for (int d = 0; d < 3; d++) dir[d] = cos(th) * n[d] + sin(th) * (cos(ps) * e1[d] + sin(ps) * e2[d]);
            v_unit(dir);
            v_perp_basis(dir, b1, b2);
            for (int d = 0; d < 3; d++) ex[d] = cos(ph_) * b1[d] + sin(ph_) * b2[d];
            v_cross(dir, ex, ey);
            int ok = 1;
            for (int i = 0; i < lm->nat && ok; i++) {
                for (int d = 0; d < 3; d++)
                    lm->x[i][d] = P[d] + lm->hz * dir[d] + c[i][0] * ex[d] + c[i][1] * ey[d] + c[i][2] * dir[d];
                if (grid_clash(g, s, lm->x[i], rmin, lm->head[i] ? anchor : -1)) ok = 0;
            }
            if (!ok) continue;
            long first = bsys_add_molecule(s, lm->m, lm->tmap, lm->shift, (const double (*)[3])lm->x, mol, nc, ROLE_LIGAND);
            for (int i = 0; i < lm->nat; i++) {
                if (lm->head[i]) s->anchor[first + i] = anchor;
                grid_add(g, s, first + i);
            }
            return 1;
        }
    }
    /* last phase: head placed (tilt up to 60 deg, or max_tilt if smaller), chain grown */
    if (lm->ngrow > 0) {
        double tmax = fmin(60.0, max_tilt) * M_PI / 180.0;
        for (int t = 0; t < 48; t++) {
            double th = acos(1.0 - brng_uniform(rng) * (1.0 - cos(tmax))), ps = 2 * M_PI * brng_uniform(rng), ph_ = 2 * M_PI * brng_uniform(rng);
            double dir[3], b1[3], b2[3], ex[3], ey[3];
            for (int d = 0; d < 3; d++) dir[d] = cos(th) * n[d] + sin(th) * (cos(ps) * e1[d] + sin(ps) * e2[d]);
            v_unit(dir);
            v_perp_basis(dir, b1, b2);
            for (int d = 0; d < 3; d++) ex[d] = cos(ph_) * b1[d] + sin(ph_) * b2[d];
            v_cross(dir, ex, ey);
            memset(lm->placed, 0, (size_t)lm->nat);
            int ok = 1;
            for (int i = 0; i < lm->nat && ok; i++) {
                int grown = 0;
                for (int q = 0; q < lm->ngrow; q++) grown |= lm->grow_atom[q] == i;
                if (grown) continue;
                for (int d = 0; d < 3; d++)
                    lm->x[i][d] = P[d] + lm->hz * dir[d] + lm->f[i][0] * ex[d] + lm->f[i][1] * ey[d] + lm->f[i][2] * dir[d];
                if (grid_clash(g, s, lm->x[i], rmin, lm->head[i] ? anchor : -1)) ok = 0;
                lm->placed[i] = 1;
            }
            if (!ok) continue;
            lm->nodes = 4000;
            if (!grow(lm, s, g, 0, rng, rmin)) continue;
            long first = bsys_add_molecule(s, lm->m, lm->tmap, lm->shift, (const double (*)[3])lm->x, mol, nc, ROLE_LIGAND);
            for (int i = 0; i < lm->nat; i++) {
                if (lm->head[i]) s->anchor[first + i] = anchor;
                grid_add(g, s, first + i);
            }
            return 1;
        }
    }
    return 0;
}

static const char *famname(int f) { return f == FAM_100 ? "100" : "111"; }

/* Per-NC state of the site choice. */
typedef struct Cover {
    NCInst *in;
    BRng rng;
    double *key, *mind;
    unsigned char *tried;
    double (*pos)[3];
    int placed, ntried;
} Cover;

static void cover_begin_family(Cover *c, const BSys *s, int f)
{
    const NCCore *core = c->in->core;
    c->placed = c->ntried = 0;
    for (int k = 0; k < core->nsite; k++) {
        c->mind[k] = -1;
        if (core->fam[k] != f || !core->pb[k] || s->dead[c->in->atom[k]] || c->in->anchored[k]) continue;
        c->mind[k] = 1e30;
        for (int j = 0; j < core->nsite; j++) {
            if (!c->in->anchored[j]) continue;
            double d[3] = {c->pos[k][0] - c->pos[j][0], c->pos[k][1] - c->pos[j][1], c->pos[k][2] - c->pos[j][2]};
            double r = v_norm(d);
            if (r < c->mind[k]) c->mind[k] = r;
        }
    }
}

/* Bind one more ligand of family f on this NC (skipping sites where nothing fits). */
static void cover_step(Cover *c, LigandModel *lm, BSys *s, Grid *g, int f, const BuildOpts *o)
{
    NCInst *in = c->in;
    int ns = in->core->nsite;
    for (;;) {
        int best = -1;
        for (int k = 0; k < ns; k++) {
            if (c->mind[k] < 0 || c->tried[k]) continue;
            if (best < 0 || c->mind[k] > c->mind[best] + 1e-9 || (fabs(c->mind[k] - c->mind[best]) <= 1e-9 && c->key[k] > c->key[best])) best = k;
        }
        if (best < 0)
            build_die("NC %d: only %d of the %d oleates asked on {%s} facets fit (%d surface Pb sites tried, contact limit %.2f A): "
                      "lower --oleate-%s or make more room (larger --gap/--spacing)",
                      in->id, c->placed, in->nlig_target[f], famname(f), c->ntried, o->lig_rmin, famname(f));
        c->tried[best] = 1;
        c->ntried++;
        double nrm[3];
        nc_site_normal(in, best, nrm);
        if (ligand_try(lm, s, g, in->atom[best], nrm, &c->rng, o->lig_rmin, 75.0, o->tails_random, s->nmol + 1, in->id)) {
            s->nmol++;
            in->anchored[best] = 1;
            c->placed++;
            for (int k = 0; k < ns; k++) {
                if (c->mind[k] < 0 || c->tried[k]) continue;
                double d[3] = {c->pos[k][0] - c->pos[best][0], c->pos[k][1] - c->pos[best][1], c->pos[k][2] - c->pos[best][2]};
                double r = v_norm(d);
                if (r < c->mind[k]) c->mind[k] = r;
            }
            return;
        }
        in->nskipped[f]++;
    }
}

void ligand_cover(LigandModel *lm, BSys *s, Grid *g, NCInst **inst, int nnc, const BuildOpts *o)
{
    Cover *cv = build_alloc((size_t)nnc, sizeof *cv);
    for (int q = 0; q < nnc; q++) {
        Cover *c = &cv[q];
        int ns = inst[q]->core->nsite;
        c->in = inst[q];
        brng_init(&c->rng, o->seed, 1000 + (uint64_t)c->in->id);
        c->key = build_alloc((size_t)ns, sizeof *c->key);
        c->mind = build_alloc((size_t)ns, sizeof *c->mind);
        c->tried = build_alloc((size_t)ns, 1);
        c->pos = build_alloc((size_t)ns, sizeof *c->pos);
        for (int k = 0; k < ns; k++) { c->key[k] = brng_uniform(&c->rng); nc_site_pos(c->in, k, c->pos[k]); }
    }
    static const int order[2] = {FAM_111, FAM_100};
    for (int oi = 0; oi < 2; oi++) {
        int f = order[oi];
        for (int q = 0; q < nnc; q++) cover_begin_family(&cv[q], s, f);
        for (;;) { /* round robin over the NCs: no NC gets the shared space first */
            int busy = 0;
            for (int q = 0; q < nnc; q++) {
                if (cv[q].placed >= inst[q]->nlig_target[f]) continue;
                cover_step(&cv[q], lm, s, g, f, o);
                busy = 1;
            }
            if (!busy) break;
        }
        for (int q = 0; q < nnc; q++) inst[q]->nlig[f] = cv[q].placed;
    }
    for (int q = 0; q < nnc; q++) { free(cv[q].key); free(cv[q].mind); free(cv[q].tried); free(cv[q].pos); }
    free(cv);
}
