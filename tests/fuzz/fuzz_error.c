/* fuzz_error.c - error.c for the fuzz drivers: an error returns to the driver (longjmp)
 * instead of ending the process, so one process tries millions of inputs.
 *
 * The message is still formatted (vsnprintf), so bad format arguments and over-long
 * messages are seen by the sanitizers. Memory held by the code that stopped is not freed
 * (in the engine the process exits there): run the fuzzers with -detect_leaks=0. */
#include "error.h"
#include "fuzz_common.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

jmp_buf fuzz_error_jump;
char fuzz_error_message[2048];
static int nwarn;

void error_set_comm(Comm *c) { (void)c; }

static void format(const char *file, int line, const char *fmt, va_list ap)
{
    int n = vsnprintf(fuzz_error_message, sizeof fuzz_error_message, fmt, ap);
    (void)n;
    (void)file;
    (void)line;
}

void error_all(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format(file, line, fmt, ap);
    va_end(ap);
    longjmp(fuzz_error_jump, 1);
}

void error_one(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format(file, line, fmt, ap);
    va_end(ap);
    longjmp(fuzz_error_jump, 2);
}

void error_warn(const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    nwarn++;
}

int error_nwarn(void) { return nwarn; }
