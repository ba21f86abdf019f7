/* Which instruction-set extensions this CPU (and OS) offer, for choosing accelerated code.
 *
 * Features are read once with CPUID (and XGETBV, so that AVX code runs only when the OS saves the
 * wider registers). Code picks an implementation by testing bits of pl_cpu_features(); the
 * portable implementation is always kept and is what runs when no bit is set. Tests call
 * pl_cpu_restrict() to run the same known answers through every path. */
#ifndef PL_BASE_CPU_H
#define PL_BASE_CPU_H

#include <stdint.h>

enum pl_cpu_feature {
    PL_CPU_SSSE3 = 1u << 0,
    PL_CPU_SSE41 = 1u << 1,
    PL_CPU_AESNI = 1u << 2,
    PL_CPU_PCLMUL = 1u << 3,
    PL_CPU_SHANI = 1u << 4,
    PL_CPU_AVX2 = 1u << 5,    /* AVX2 with OS support for YMM state */
    PL_CPU_BMI2 = 1u << 6,
    PL_CPU_ADX = 1u << 7,
    PL_CPU_AVX512 = 1u << 8,  /* AVX-512 F, VL, BW and DQ with OS support for ZMM state */
    PL_CPU_VAES = 1u << 9,    /* VAES and VPCLMULQDQ (with AVX2 at least) */
};

#define PL_CPU_ALL 0xffffffffu

/* The features present, masked by pl_cpu_restrict(). Cheap after the first call. */
uint32_t pl_cpu_features(void);

/* Pretend only the features in mask exist (0: portable code only; PL_CPU_ALL: everything the CPU
 * has). For tests and benchmarks; set it before creating contexts, and not while other threads
 * run padlock code. */
void pl_cpu_restrict(uint32_t mask);

/* The features the CPU really has, ignoring any restriction. */
uint32_t pl_cpu_detected(void);

#endif
