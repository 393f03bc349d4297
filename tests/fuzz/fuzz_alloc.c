/* fuzz_alloc.c - free what an input's error left allocated.
 *
 * In the engine an error ends the process, so the code before error_all does not free its
 * buffers (the deck checker's line table, for instance). The fuzz drivers return from errors
 * (fuzz_error.c) and run millions of inputs in one process, so those buffers would pile up
 * until libFuzzer's memory limit stops the run. The drivers are linked with
 * -Wl,--wrap=malloc,... : between fuzz_alloc_begin() and fuzz_alloc_end() every block the
 * engine's objects allocate is remembered (an open-addressing pointer set), blocks freed
 * are forgotten, and fuzz_alloc_end() frees the rest. Only calls from the wrapped objects are
 * seen (libc and MPI keep their own memory). */
#include "fuzz_common.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__real_aligned_alloc(size_t a, size_t n);
void __real_free(void *p);

static int tracking;
static void **set;        /* open addressing; NULL empty, TOMB deleted */
static size_t cap, used;  /* used counts live entries and tombstones */
#define TOMB ((void *)1)

static size_t slot_of(const void *p) { return (size_t)(((uintptr_t)p >> 4) * 0x9e3779b97f4a7c15ULL) & (cap - 1); }

static void set_add(void *p);
static void set_grow(void)
{
    void **old = set;
    size_t oldcap = cap;
    cap = cap ? cap * 2 : 1024;
    set = __real_calloc(cap, sizeof *set);
    used = 0;
    for (size_t k = 0; k < oldcap; k++)
        if (old[k] && old[k] != TOMB) set_add(old[k]);
    __real_free(old);
}
static void set_add(void *p)
{
    if (!p) return;
    if (2 * (used + 1) > cap) set_grow();
    size_t k = slot_of(p);
    while (set[k] && set[k] != TOMB) k = (k + 1) & (cap - 1);
    if (!set[k]) used++;
    set[k] = p;
}
static void set_del(void *p)
{
    if (!p || !cap) return;
    for (size_t k = slot_of(p);; k = (k + 1) & (cap - 1)) {
        if (!set[k]) return;
        if (set[k] == p) { set[k] = TOMB; return; }
    }
}

void *__wrap_malloc(size_t n)
{
    void *p = __real_malloc(n);
    if (tracking) set_add(p);
    return p;
}
void *__wrap_calloc(size_t n, size_t m)
{
    void *p = __real_calloc(n, m);
    if (tracking) set_add(p);
    return p;
}
void *__wrap_aligned_alloc(size_t a, size_t n)
{
    void *p = __real_aligned_alloc(a, n);
    if (tracking) set_add(p);
    return p;
}
void *__wrap_realloc(void *p, size_t n)
{
    void *q = __real_realloc(p, n);
    if (tracking && q) { set_del(p); set_add(q); }
    return q;
}
void __wrap_free(void *p)
{
    if (tracking) set_del(p);
    __real_free(p);
}
char *__wrap_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = __wrap_malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

void fuzz_alloc_begin(void) { tracking = 1; }

void fuzz_alloc_end(void)
{
    tracking = 0;
    for (size_t k = 0; k < cap; k++)
        if (set[k] && set[k] != TOMB) __real_free(set[k]);
    if (cap) memset(set, 0, cap * sizeof *set);
    used = 0;
}
