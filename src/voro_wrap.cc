// voro_wrap.cc - Voro++ behind a C function (see voro_wrap.h).
// Voro++ 0.4.6: container_periodic with c_loop_all_periodic and voronoicell_neighbor.
// Voro++ exits on fatal errors, so the input is validated here first; C++ exceptions
// (allocation) are caught at the boundary. Not thread safe on one container: one call,
// one container.
#include "voro_wrap.h"
#include <voro++/voro++.hh>
#include <cmath>
#include <cstdlib>
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
