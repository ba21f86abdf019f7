/* CPUID feature detection for x86-64 (Intel SDM vol. 2A, CPUID; AMD APM vol. 3). */
#include <cpuid.h>
#include <stdatomic.h>

#include "base/cpu.h"

#define DETECTED_VALID (1u << 31) /* set once detection has run */

static _Atomic uint32_t detected;
static _Atomic uint32_t restriction = PL_CPU_ALL;

static uint64_t read_xcr0(void)
{
    uint32_t lo, hi;
    __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (uint64_t)hi << 32 | lo;
}

static uint32_t detect(void)
{
    unsigned a, b, c, d;
    uint32_t f = 0;
    uint64_t xcr0 = 0;
    unsigned max;

    if (!__get_cpuid(0, &max, &b, &c, &d)) {
        return 0;
    }
    __cpuid(1, a, b, c, d);
    if (c & bit_SSSE3) {
        f |= PL_CPU_SSSE3;
    }
    if (c & bit_SSE4_1) {
        f |= PL_CPU_SSE41;
    }
    if (c & bit_AES) {
        f |= PL_CPU_AESNI;
    }
    if (c & bit_PCLMUL) {
        f |= PL_CPU_PCLMUL;
    }
    if (c & bit_OSXSAVE) {
        xcr0 = read_xcr0();
    }
    if (max >= 7) {
        unsigned b7, c7, d7, a7;
        int ymm = (xcr0 & 0x6) == 0x6;       /* XMM and YMM state saved */
        int zmm = ymm && (xcr0 & 0xe0) == 0xe0; /* opmask, ZMM_Hi256, Hi16_ZMM */
        __cpuid_count(7, 0, a7, b7, c7, d7);
        (void)a7;
        (void)d7;
        if (b7 & bit_SHA) {
            f |= PL_CPU_SHANI;
        }
        if (b7 & bit_BMI2) {
            f |= PL_CPU_BMI2;
        }
        if (b7 & bit_ADX) {
            f |= PL_CPU_ADX;
        }
        if (ymm && (b7 & bit_AVX2) && (c & bit_AVX)) {
            f |= PL_CPU_AVX2;
        }
        if (zmm && (b7 & bit_AVX512F) && (b7 & bit_AVX512VL) && (b7 & bit_AVX512BW) &&
            (b7 & bit_AVX512DQ)) {
            f |= PL_CPU_AVX512;
        }
        if (ymm && (c7 & bit_VAES) && (c7 & bit_VPCLMULQDQ)) {
            f |= PL_CPU_VAES;
        }
    }
    return f;
}

uint32_t pl_cpu_detected(void)
{
    uint32_t f = atomic_load_explicit(&detected, memory_order_relaxed);
    if (!(f & DETECTED_VALID)) {
        f = detect() | DETECTED_VALID; /* a race computes the same value twice: harmless */
        atomic_store_explicit(&detected, f, memory_order_relaxed);
    }
    return f & ~DETECTED_VALID;
}

uint32_t pl_cpu_features(void)
{
    return pl_cpu_detected() & atomic_load_explicit(&restriction, memory_order_relaxed);
}

void pl_cpu_restrict(uint32_t mask)
{
    atomic_store_explicit(&restriction, mask, memory_order_relaxed);
}
