/* fastexp.h - exp(x) written so compilers can vectorise it (no libm call in the force loop).
 *
 * exp(x) = 2^k * exp(f), k = round(x / ln 2), f = x - k ln 2 with ln 2 split in a high and a
 * low part (Cody & Waite) so f is exact to ~1e-17; |f| <= ln2/2, where the Taylor series to
 * f^13/13! is complete to 5e-18 relative. 2^k is built in the exponent bits. Arguments below
 * -708 return 0 (the caller's terms are then below any cutoff's resolution); the force loop
 * never passes positive arguments above 709. Accuracy: within 2 ulp of libm's exp over
 * [-708, 709] (checked in tests/unit/test_pair.c). */
#ifndef NECKMD_FASTEXP_H
#define NECKMD_FASTEXP_H
#include <stdint.h>
#include <string.h>

/* keep the rounding trick exact: this header must not be compiled with -ffast-math */
#ifdef __FAST_MATH__
#error "fastexp.h relies on IEEE rounding; do not compile with -ffast-math"
#endif

static inline double fast_exp(double x)
{
    const double log2e = 1.4426950408889634074, ln2_hi = 6.93147180369123816490e-01,
                 ln2_lo = 1.90821492927058770002e-10;
    double xc = x < -708.0 ? -708.0 : (x > 709.0 ? 709.0 : x);
    /* round to nearest by the 1.5*2^52 trick (vectorises; |xc*log2e| < 2^51) */
    const double shifter = 6755399441055744.0;
    double kd = (xc * log2e + shifter) - shifter;
    double f = (xc - kd * ln2_hi) - kd * ln2_lo;
    double p = 1.0 / 6227020800.0;           /* 1/13! */
    p = p * f + 1.0 / 479001600.0;           /* 1/12! */
    p = p * f + 1.0 / 39916800.0;
    p = p * f + 1.0 / 3628800.0;
    p = p * f + 1.0 / 362880.0;
    p = p * f + 1.0 / 40320.0;
    p = p * f + 1.0 / 5040.0;
    p = p * f + 1.0 / 720.0;
    p = p * f + 1.0 / 120.0;
    p = p * f + 1.0 / 24.0;
    p = p * f + 1.0 / 6.0;
    p = p * f + 0.5;
    p = p * f + 1.0;
    p = p * f + 1.0;
    int64_t k = (int64_t)kd;
    uint64_t bits = (uint64_t)(k + 1023) << 52;
    double scale;
    memcpy(&scale, &bits, sizeof scale);
    double r = p * scale;
    return x < -708.0 ? 0.0 : r;
}

#endif
