// voro_wrap.cc - Voro++ behind a C function (see voro_wrap.h).
// Voro++ 0.4.6: container_periodic with c_loop_all_periodic and voronoicell_neighbor.
// Voro++ exits on fatal errors, so the input is validated here first; C++ exceptions
// (allocation) are caught at the boundary. Not thread safe on one container: one call,
// one container.
#include "voro_wrap.h"
#include <voro++/voro++.hh>
#include <cmath>
#include <cstdlib>
#include <algorithm>
#include <vector>

extern "C" int voro_periodic(int n, const double *xyz, const double lo[3], const double len[3],
                             double *vol, int *nface, int *nbr_off, int **nbr, double **area)
{
    if (n < 1 || !xyz) return -1;
    for (int d = 0; d < 3; d++)
        if (!(len[d] > 0) || !std::isfinite(len[d]) || !std::isfinite(lo[d])) return -1;
    for (int i = 0; i < 3 * n; i++)
        if (!std::isfinite(xyz[i])) return -1;
    try {
        int nb = (int)std::cbrt(n / 5.0);
        if (nb < 1) nb = 1;
        voro::container_periodic con(len[0], 0, len[1], 0, 0, len[2], nb, nb, nb, 8);
        for (int i = 0; i < n; i++) {
            double p[3];
            for (int d = 0; d < 3; d++) {
                p[d] = std::fmod(xyz[3 * i + d] - lo[d], len[d]);
                if (p[d] < 0) p[d] += len[d];
            }
            con.put(i, p[0], p[1], p[2]);
        }
        std::vector<std::vector<int>> nb_of(nbr_off ? n : 0);
        std::vector<std::vector<double>> ar_of(nbr_off ? n : 0);
        voro::c_loop_all_periodic cl(con);
        voro::voronoicell_neighbor c;
        if (cl.start()) do {
                if (con.compute_cell(c, cl)) {
                    int id = cl.pid();
                    if (vol) vol[id] = c.volume();
                    if (nface) nface[id] = c.number_of_faces();
                    if (nbr_off) {
                        c.neighbors(nb_of[id]);
                        c.face_areas(ar_of[id]);
                    }
                }
            } while (cl.inc());
        if (nbr_off) {
            nbr_off[0] = 0;
            for (int i = 0; i < n; i++) nbr_off[i + 1] = nbr_off[i] + (int)nb_of[i].size();
            *nbr = (int *)std::malloc(sizeof(int) * (nbr_off[n] + 1));
            *area = (double *)std::malloc(sizeof(double) * (nbr_off[n] + 1));
            if (!*nbr || !*area) return -1;
            for (int i = 0; i < n; i++)
                for (size_t k = 0; k < nb_of[i].size(); k++) {
                    (*nbr)[nbr_off[i] + k] = nb_of[i][k];
                    (*area)[nbr_off[i] + k] = ar_of[i][k];
                }
        }
    } catch (...) {
        return -1;
    }
    return 0;
}

// ---- single clipped cells (voro_wrap.h): a voronoicell_neighbor initialised to the box and cut
// by the neighbours in order of distance, stopping when the next one is farther than twice the
// cell's largest vertex distance (it cannot cut: the test Voro++'s own containers use).
struct VoroCell {
    voro::voronoicell_neighbor c;
    std::vector<int> order;
    std::vector<double> rsq;
    std::vector<int> fid;
    std::vector<double> farea;
    int valid = 0;
};

extern "C" VoroCell *voro_cell_create(void)
{
    try {
        return new VoroCell();
    } catch (...) {
        return nullptr;
    }
}

extern "C" void voro_cell_destroy(VoroCell **cell)
{
    if (!cell) return;
    delete *cell;
    *cell = nullptr;
}

extern "C" int voro_cell_compute(VoroCell *vc, const double lo[3], const double hi[3], int n, const double *rel, const int *id,
                                 double *volume)
{
    if (!vc || n < 0 || (n > 0 && (!rel || !id))) return -1;
    vc->valid = 0;
    for (int d = 0; d < 3; d++)
        if (!std::isfinite(lo[d]) || !std::isfinite(hi[d]) || !(lo[d] < 0) || !(hi[d] > 0)) return -1;
    try {
        vc->order.resize(n);
        vc->rsq.resize(n);
        for (int k = 0; k < n; k++) {
            if (id[k] < 0) return -1;
            double r2 = 0;
            for (int d = 0; d < 3; d++) {
                if (!std::isfinite(rel[3 * k + d])) return -1;
                r2 += rel[3 * k + d] * rel[3 * k + d];
            }
            vc->rsq[k] = r2;
            vc->order[k] = k;
        }
        const std::vector<double> &rs = vc->rsq;
        std::sort(vc->order.begin(), vc->order.end(), [&rs](int a, int b) { return rs[a] < rs[b]; });
        vc->c.init(lo[0], hi[0], lo[1], hi[1], lo[2], hi[2]);
        for (int k = 0; k < n; k++) {
            int j = vc->order[k];
            double r2 = vc->rsq[j];
            if (r2 < 1e-20) continue; // a coincident point has no bisector
            // Voro++ stores doubled coordinates: max_radius_squared() is (2 R_max)^2, and the
            // bisector at distance r/2 cuts the cell only if r < 2 R_max
            if (r2 >= vc->c.max_radius_squared()) break;
            if (!vc->c.nplane(rel[3 * j], rel[3 * j + 1], rel[3 * j + 2], r2, id[j])) return -1;
        }
        vc->c.neighbors(vc->fid);
        vc->c.face_areas(vc->farea);
        if (volume) *volume = vc->c.volume();
        vc->valid = 1;
    } catch (...) {
        return -1;
    }
    return 0;
}

extern "C" int voro_cell_faces(VoroCell *vc, int max, int *id, double *area)
{
    if (!vc || !vc->valid) return 0;
    int nf = (int)vc->fid.size();
    for (int k = 0; k < nf && k < max; k++) {
        if (id) id[k] = vc->fid[k];
        if (area) area[k] = vc->farea[k];
    }
    return nf;
}
