/* rng.h - counter-based random numbers: a pure function of (seed, atom id, step, stream),
 * so initial velocities and Langevin noise do not depend on the number of ranks or threads. */
#ifndef NECKMD_RNG_H
#define NECKMD_RNG_H
#include <stdint.h>

/* Uniform in (0, 1). */
double rng_uniform(uint64_t seed, uint64_t id, uint64_t step, uint64_t stream);
/* Standard normal (mean 0, variance 1), Box-Muller on two uniforms of the same counter. */
double rng_normal(uint64_t seed, uint64_t id, uint64_t step, uint64_t stream);

#endif
