/* rng.c - hash-based random numbers (counter-based generator).
 *
 * Each number is the SplitMix64 finaliser (Steele, Lea & Flood, OOPSLA 2014; the mixing
 * constants of Vigna's splitmix64) applied to a combination of (seed, id, step, stream)
 * mixed in stages, so different counters give independent-looking 64-bit words. This is
 * the idea of Salmon et al., "Parallel random numbers: as easy as 1, 2, 3" (SC 2011):
 * no state, any rank can draw atom i's number for step n. */
#include "rng.h"
#include <math.h>

static inline uint64_t mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t hash4(uint64_t seed, uint64_t id, uint64_t step, uint64_t stream)
{
    uint64_t h = mix64(seed ^ 0x243f6a8885a308d3ULL);
    h = mix64(h ^ id);
    h = mix64(h ^ (step * 0x9e3779b97f4a7c15ULL));
    h = mix64(h ^ stream);
    return h;
}

double rng_uniform(uint64_t seed, uint64_t id, uint64_t step, uint64_t stream)
{
    uint64_t h = hash4(seed, id, step, stream);
    return ((double)(h >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

double rng_normal(uint64_t seed, uint64_t id, uint64_t step, uint64_t stream)
{
    double u1 = rng_uniform(seed, id, step, 2 * stream);
    double u2 = rng_uniform(seed, id, step, 2 * stream + 1);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * 3.14159265358979323846 * u2);
}
