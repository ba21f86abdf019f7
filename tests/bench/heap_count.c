/* handshake_bench_heap's counting allocator: malloc and its relatives replaced in the program
 * (glibc's documented way to replace malloc; libc, libcrypto, libssl, libtommath and padlock
 * all call these), each passing straight to glibc's own allocator and counting the bytes live
 * and their peak. A block counts as malloc_usable_size says (the request rounded up to glibc's
 * 16-byte granule, less its 8-byte header), the same way for both clients.
 *
 * Single-threaded, as the benchmark is. Not for production: it exists to measure. */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "handshake_bench.h"

/* glibc's allocator under its exported internal names. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t align, size_t n);

const int hb_heap_counting = 1;

static size_t live, peak;

static void *counted(void *p)
{
    if (p != NULL) {
        live += malloc_usable_size(p);
        if (live > peak) {
            peak = live;
        }
    }
    return p;
}

static void uncount(void *p)
{
    if (p != NULL) {
        live -= malloc_usable_size(p);
    }
}

size_t hb_heap_live(void)
{
    return live;
}

size_t hb_heap_peak(void)
{
    return peak;
}

void hb_heap_reset_peak(void)
{
    peak = live;
}

void *malloc(size_t n)
{
    return counted(__libc_malloc(n));
}

void *calloc(size_t count, size_t size)
{
    return counted(__libc_calloc(count, size));
}

void free(void *p)
{
    uncount(p);
    __libc_free(p);
}

/* realloc(p, 0) frees p in glibc and returns NULL; a failed realloc leaves p as it was. */
void *realloc(void *p, size_t n)
{
    size_t before = p != NULL ? malloc_usable_size(p) : 0;
    void *q = __libc_realloc(p, n);
    if (q != NULL || n == 0) {
        live -= before;
    }
    return counted(q);
}

void *reallocarray(void *p, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, count * size);
}

void *memalign(size_t align, size_t n)
{
    return counted(__libc_memalign(align, n));
}

void *aligned_alloc(size_t align, size_t n)
{
    return counted(__libc_memalign(align, n));
}

void *valloc(size_t n)
{
    return counted(__libc_memalign((size_t)sysconf(_SC_PAGESIZE), n));
}

int posix_memalign(void **out, size_t align, size_t n)
{
    void *p;
    if (align < sizeof(void *) || (align & (align - 1)) != 0) {
        return EINVAL;
    }
    p = __libc_memalign(align, n);
    if (p == NULL) {
        return ENOMEM;
    }
    *out = counted(p);
    return 0;
}
