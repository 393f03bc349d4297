/* memory.h - the one place per-atom and scratch arrays are allocated and grown. */
#ifndef NECKMD_MEMORY_H
#define NECKMD_MEMORY_H
#include <stddef.h>

/* Allocate nbytes aligned to 64 bytes, zeroed; fatal error (naming what) if it fails. */
void *mem_alloc(size_t nbytes, const char *what);
/* Grow *p (aligned, contents kept) from oldn to newn elements of size elsize; new part zeroed. */
void mem_grow(void **p, size_t oldn, size_t newn, size_t elsize, const char *what);
void mem_free(void *p);

#endif
