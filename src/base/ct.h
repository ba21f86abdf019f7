/* Constant-time helpers.
 *
 * Control words are uint32_t values of exactly 0 or 1. Nothing here branches on, or indexes
 * memory by, its arguments' values; the time taken depends only on lengths. pl_ct_barrier hides a
 * value from the optimiser so that it cannot turn a mask computation back into a branch. */
#ifndef PL_BASE_CT_H
#define PL_BASE_CT_H

#include <stddef.h>
#include <stdint.h>

/* Declare that len bytes at p, computed from secrets, may now be public: whether a tag verified,
 * a length the protocol reveals anyway. It does nothing at run time; under the constant-time
 * check (valgrind memcheck, where secrets are marked undefined) it marks the bytes defined, so
 * that branching on them afterwards is not reported. Use it only where the RFC makes the value
 * public, and say why beside the call. */
void pl_ct_declassify(const void *p, size_t len);

static inline uint32_t pl_ct_barrier(uint32_t x)
{
    __asm__("" : "+r"(x));
    return x;
}

static inline uint64_t pl_ct_barrier64(uint64_t x)
{
    __asm__("" : "+r"(x));
    return x;
}

/* 0xffffffff when ctl is 1, 0 when ctl is 0. */
static inline uint32_t pl_ct_mask(uint32_t ctl)
{
    return (uint32_t)0 - pl_ct_barrier(ctl);
}

static inline uint64_t pl_ct_mask64(uint32_t ctl)
{
    return (uint64_t)0 - (uint64_t)pl_ct_barrier(ctl);
}

/* 1 when x is 0, else 0. */
static inline uint32_t pl_ct_is_zero(uint32_t x)
{
    x = pl_ct_barrier(x);
    return ((x | ((uint32_t)0 - x)) >> 31) ^ 1u;
}

static inline uint32_t pl_ct_is_zero64(uint64_t x)
{
    x = pl_ct_barrier64(x);
    return (uint32_t)(((x | ((uint64_t)0 - x)) >> 63) ^ 1u);
}

/* 1 when a == b, else 0. */
static inline uint32_t pl_ct_eq(uint32_t a, uint32_t b)
{
    return pl_ct_is_zero(a ^ b);
}

/* 1 when a < b (unsigned), else 0. */
static inline uint32_t pl_ct_lt(uint32_t a, uint32_t b)
{
    uint64_t d = (uint64_t)pl_ct_barrier(a) - (uint64_t)b;
    return (uint32_t)(d >> 63);
}

/* a when ctl is 1, b when ctl is 0. */
static inline uint32_t pl_ct_select(uint32_t ctl, uint32_t a, uint32_t b)
{
    uint32_t m = pl_ct_mask(ctl);
    return b ^ (m & (a ^ b));
}

static inline uint64_t pl_ct_select64(uint32_t ctl, uint64_t a, uint64_t b)
{
    uint64_t m = pl_ct_mask64(ctl);
    return b ^ (m & (a ^ b));
}

/* Copy len bytes from src to dst when ctl is 1; leave dst as it is when ctl is 0. Both are read
 * and written in full either way. */
static inline void pl_ct_copy_if(uint32_t ctl, void *dst, const void *src, size_t len)
{
    uint8_t *d = (uint8_t *)dst;
    const uint8_t *s = (const uint8_t *)src;
    uint8_t m = (uint8_t)pl_ct_mask(ctl);
    for (size_t i = 0; i < len; i++) {
        d[i] = (uint8_t)(d[i] ^ (m & (d[i] ^ s[i])));
    }
}

/* 1 when the len bytes at a and b are equal, else 0. Reads every byte of both: the time depends
 * on len only, never on where (or whether) they differ. Use it, never memcmp, for MACs, tags,
 * verify_data and padding. */
static inline uint32_t pl_ct_memeq(const void *a, const void *b, size_t len)
{
    const volatile uint8_t *x = (const volatile uint8_t *)a;
    const volatile uint8_t *y = (const volatile uint8_t *)b;
    uint32_t diff = 0;
    for (size_t i = 0; i < len; i++) {
        diff |= (uint32_t)(x[i] ^ y[i]);
    }
    return pl_ct_is_zero(diff);
}

#endif
