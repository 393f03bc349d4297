/* memory.c - aligned allocation that fails loudly (names the array and size). */
#include "memory.h"
#include "error.h"
#include <stdlib.h>
#include <string.h>

void *mem_alloc(size_t nbytes, const char *what)
{
    if (nbytes == 0) nbytes = 64;
    size_t rounded = (nbytes + 63) / 64 * 64;
    void *p = aligned_alloc(64, rounded);
    if (!p) error_one(FLERR, "out of memory allocating %zu bytes for %s", nbytes, what);
    memset(p, 0, rounded);
    return p;
}

void mem_grow(void **p, size_t oldn, size_t newn, size_t elsize, const char *what)
{
    void *q = mem_alloc(newn * elsize, what);
    if (*p && oldn) memcpy(q, *p, (oldn < newn ? oldn : newn) * elsize);
    free(*p);
    *p = q;
}

void mem_free(void *p) { free(p); }
