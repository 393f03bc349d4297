/* tap.h - a few lines of TAP output for the C unit tests (automake tap-driver.sh reads it). */
#ifndef NECKMD_TAP_H
#define NECKMD_TAP_H
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

static int tap_n = 0, tap_fail = 0, tap_quiet = 0;

/* Record one check; prints "ok N - name" or "not ok N - name". Returns cond. */
static int tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3), unused));
static int tap_ok(int cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tap_n++;
    if (!cond) tap_fail++;
    if (!tap_quiet) {
        printf("%sok %d - ", cond ? "" : "not ", tap_n);
        vprintf(fmt, ap);
        printf("\n");
        fflush(stdout);
    }
    va_end(ap);
    return cond;
}
/* A diagnostic line. */
static void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static void tap_diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!tap_quiet) {
        printf("# ");
        vprintf(fmt, ap);
        printf("\n");
    }
    va_end(ap);
}
/* Relative difference |a-b| / max(|b|, floor). */
static double tap_rel(double a, double b, double floor_) __attribute__((unused));
static double tap_rel(double a, double b, double floor_)
{
    double s = fabs(b) > floor_ ? fabs(b) : floor_;
    return fabs(a - b) / s;
}
/* Print the plan at the end ("1..N") and return the exit status. */
static int tap_done(void) __attribute__((unused));
static int tap_done(void)
{
    if (!tap_quiet) printf("1..%d\n", tap_n);
    return tap_fail ? 1 : 0;
}
#endif
