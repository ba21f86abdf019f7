/* Montgomery arithmetic modulo the P-256 and P-384 primes and orders, see ec_field.h.
 *
 * Each operation is written once for n limbs as an always-inlined function and instantiated for
 * n = 4 and n = 6, so that the compiler sees constant loop bounds and unrolls them; the public
 * functions pick the instance by the modulus, which is public. P-256's p has its own code
 * instead (below the generic code): its reduction needs one multiplication per limb instead of
 * four, and squaring computes each cross product once. */
#include <x86intrin.h>

#include "base/ct.h"
#include "crypto/ec_field.h"

typedef unsigned __int128 u128;

#define INLINE static inline __attribute__((always_inline))
#define UNROLL _Pragma("GCC unroll 8")

/* Add and subtract with carry: the x86-64 ADC and SBB instructions (base ISA, no extra flags). */
INLINE uint8_t adc64(uint8_t c, uint64_t a, uint64_t b, uint64_t *out)
{
    unsigned long long o;
    c = _addcarry_u64(c, a, b, &o);
    *out = (uint64_t)o;
    return c;
}

INLINE uint8_t sbb64(uint8_t c, uint64_t a, uint64_t b, uint64_t *out)
{
    unsigned long long o;
    c = _subborrow_u64(c, a, b, &o);
    *out = (uint64_t)o;
    return c;
}

/* r = t - m if that does not borrow below the extra top word t_hi (0 or 1), else t: the masked
 * final subtraction that brings a value below 2m under m. */
INLINE void final_sub_n(const pl_ec_modulus *m, uint64_t *r, const uint64_t *t, uint64_t t_hi,
                        size_t n)
{
    uint64_t d[PL_EC_MAX_LIMBS], keep, hi;
    uint8_t borrow = 0;
    UNROLL
    for (size_t j = 0; j < n; j++) {
        borrow = sbb64(borrow, t[j], m->m[j], &d[j]);
    }
    borrow = sbb64(borrow, t_hi, 0, &hi);
    keep = pl_ct_mask64(borrow);
    UNROLL
    for (size_t j = 0; j < n; j++) {
        r[j] = (t[j] & keep) | (d[j] & ~keep);
    }
}

/* Montgomery multiplication, CIOS (Koç, Acar, Kaliski 1996, §4): for each limb b[i], t += a·b[i],
 * then add q·m with q = t[0]·(-m^-1) mod 2^64 so the low limb becomes zero, and shift one limb.
 * Bounds: a, b < m, so t < 2m stays true after every round (t' = (t + a·b[i] + q·m) / 2^64 <
 * (2m + 2^64·m + 2^64·m) / 2^64 < 2m + 1), and t fits n limbs plus one bit in t[n]. Each 128-bit
 * step x·y + t + c is at most (2^64-1)^2 + 2·(2^64-1) = 2^128 - 1. One masked subtraction
 * finishes the reduction. */
INLINE void mont_mul_n(const pl_ec_modulus *m, uint64_t *r, const uint64_t *a,
                       const uint64_t *b, size_t n)
{
    uint64_t t[PL_EC_MAX_LIMBS + 2];
    UNROLL
    for (size_t j = 0; j < n + 2; j++) {
        t[j] = 0;
    }
    UNROLL
    for (size_t i = 0; i < n; i++) {
        uint64_t c = 0, q;
        u128 x;
        UNROLL
        for (size_t j = 0; j < n; j++) {
            x = (u128)a[j] * b[i] + t[j] + c;
            t[j] = (uint64_t)x;
            c = (uint64_t)(x >> 64);
        }
        t[n + 1] = adc64(0, t[n], c, &t[n]);
        q = t[0] * m->m0inv;
        x = (u128)q * m->m[0] + t[0];
        c = (uint64_t)(x >> 64);
        UNROLL
        for (size_t j = 1; j < n; j++) {
            x = (u128)q * m->m[j] + t[j] + c;
            t[j - 1] = (uint64_t)x;
            c = (uint64_t)(x >> 64);
        }
        t[n] = t[n + 1] + adc64(0, t[n], c, &t[n - 1]);
    }
    final_sub_n(m, r, t, t[n], n);
}

/* r = a + b mod m for a, b < m: the sum (n limbs and a carry) minus m, unless that borrows. */
INLINE void mod_add_n(const pl_ec_modulus *m, uint64_t *r, const uint64_t *a, const uint64_t *b,
                      size_t n)
{
    uint64_t s[PL_EC_MAX_LIMBS];
    uint8_t carry = 0;
    UNROLL
    for (size_t j = 0; j < n; j++) {
        carry = adc64(carry, a[j], b[j], &s[j]);
    }
    final_sub_n(m, r, s, carry, n);
}

/* r = a - b mod m for a, b < m: the difference, plus m when it borrowed. */
INLINE void mod_sub_n(const pl_ec_modulus *m, uint64_t *r, const uint64_t *a, const uint64_t *b,
                      size_t n)
{
    uint64_t d[PL_EC_MAX_LIMBS], mask;
    uint8_t borrow = 0, carry = 0;
    UNROLL
    for (size_t j = 0; j < n; j++) {
        borrow = sbb64(borrow, a[j], b[j], &d[j]);
    }
    mask = pl_ct_mask64(borrow);
    UNROLL
    for (size_t j = 0; j < n; j++) {
        carry = adc64(carry, d[j], m->m[j] & mask, &r[j]);
    }
}

/* ---- P-256's p: its special form ------------------------------------------------------------ */

/* p = 2^256 - 2^224 + 2^192 + 2^96 - 1 (FIPS 186-4 §D.1.2.3): limbs P0 = 2^64 - 1,
 * P1 = 2^32 - 1, P2 = 0, P3 = 2^64 - 2^32 + 1. Since P0 = -1 mod 2^64, -p^-1 mod 2^64 = 1: a
 * Montgomery round's multiplier q is the low limb itself, and q·p needs one 64x64-bit product
 * (q·P3); the rest are shifts (the observation of Gueron and Krasnov, "Fast prime field
 * elliptic-curve cryptography with 256-bit primes", J. Cryptogr. Eng. 5, 2015).
 *
 * The carry chains are x86-64 inline assembly (base ISA: mul, add/adc, sub/sbb, cmov), as in
 * rsa_mont.c, because compilers break them up with flag spills otherwise; every instruction
 * used takes the same time whatever its operands, and the selections are cmov, not branches. */
#define P256_P1 UINT64_C(0x00000000ffffffff)
#define P256_P3 UINT64_C(0xffffffff00000001)

/* The multiplication and the squaring are each one block of assembly with fixed registers:
 * rsi = a, rcx = b, rdi = r, r15 = P3, rax:rdx for the products, the rest for the limbs.
 *
 * ASM_MAC: (lo, hi, top) += a·b, a product-scanning column's step; each column's sum stays below
 * 4·2^128, three limbs. */
#define ASM_MAC(a, b, lo, hi, top)                                                                 \
    "movq " a ", %%rax\n\t"                                                                        \
    "mulq " b "\n\t"                                                                               \
    "addq %%rax, " lo "\n\t"                                                                       \
    "adcq %%rdx, " hi "\n\t"                                                                       \
    "adcq $0, " top "\n\t"

/* One Montgomery round on the window (w0, w1, w2, w3), q = w0: since w0 - q = 0,
 * (w + q·p) / 2^64 = (w3, w2, w1) + q·2^32 + q·P3·2^128, which is
 * (w1 + (q << 32), w2 + (q >> 32), w3 + lo(q·P3), hi(q·P3)) with the carries; the new top limb
 * goes to w0, so the window becomes (w1, w2, w3, w0). A window below 2^256 stays below 2^256:
 * (w + q·p) / 2^64 < 2^192 + p, so the last carry fits in the top limb
 * (hi(q·P3) <= 2^64 - 2^32). t is a scratch register. */
#define ASM_ROUND(w0, w1, w2, w3, t)                                                               \
    "movq " w0 ", %%rax\n\t"                                                                       \
    "mulq %%r15\n\t"                                                                               \
    "movq " w0 ", " t "\n\t"                                                                       \
    "shlq $32, " t "\n\t"                                                                          \
    "shrq $32, " w0 "\n\t"                                                                         \
    "addq " t ", " w1 "\n\t"                                                                       \
    "adcq " w0 ", " w2 "\n\t"                                                                      \
    "adcq %%rax, " w3 "\n\t"                                                                       \
    "movq %%rdx, " w0 "\n\t"                                                                       \
    "adcq $0, " w0 "\n\t"

/* The four rounds on t0..t3 = r8..r11: W = (t_lo + Q·p) / 2^256 < 2^192 + p, back in r8..r11. */
#define ASM_REDUCE_LOW(t)                                                                          \
    ASM_ROUND("%%r8", "%%r9", "%%r10", "%%r11", t)                                                 \
    ASM_ROUND("%%r9", "%%r10", "%%r11", "%%r8", t)                                                 \
    ASM_ROUND("%%r10", "%%r11", "%%r8", "%%r9", t)                                                 \
    ASM_ROUND("%%r11", "%%r8", "%%r9", "%%r10", t)

/* r = W + t_hi (rbx, r12, r13, r14), then minus p unless that borrows. The sum is
 * (a·b + Q·p) / 2^256 < a·b/2^256 + p < 2p, one carry bit c (rbx); (c, s) - p borrows exactly
 * when (c, s) < p, and then s is kept (cmov, not a branch). */
#define ASM_FINAL                                                                                  \
    "addq %%rbx, %%r8\n\t"                                                                         \
    "adcq %%r12, %%r9\n\t"                                                                         \
    "adcq %%r13, %%r10\n\t"                                                                        \
    "adcq %%r14, %%r11\n\t"                                                                        \
    "movl $0, %%ebx\n\t"                                                                           \
    "adcq $0, %%rbx\n\t"                                                                           \
    "movl $0xffffffff, %%r14d\n\t"                                                                 \
    "movq %%r8, %%rax\n\t"                                                                         \
    "movq %%r9, %%rdx\n\t"                                                                         \
    "movq %%r10, %%r12\n\t"                                                                        \
    "movq %%r11, %%r13\n\t"                                                                        \
    "subq $-1, %%rax\n\t"                                                                          \
    "sbbq %%r14, %%rdx\n\t"                                                                        \
    "sbbq $0, %%r12\n\t"                                                                           \
    "sbbq %%r15, %%r13\n\t"                                                                        \
    "sbbq $0, %%rbx\n\t"                                                                           \
    "cmovcq %%r8, %%rax\n\t"                                                                       \
    "cmovcq %%r9, %%rdx\n\t"                                                                       \
    "cmovcq %%r10, %%r12\n\t"                                                                      \
    "cmovcq %%r11, %%r13\n\t"                                                                      \
    "movq %%rax, (%%rdi)\n\t"                                                                      \
    "movq %%rdx, 8(%%rdi)\n\t"                                                                     \
    "movq %%r12, 16(%%rdi)\n\t"                                                                    \
    "movq %%r13, 24(%%rdi)\n\t"

/* r = a·b·2^-256 mod p for a, b < p (r may alias a or b: it is written last). The product by
 * columns (product scanning); as soon as its low half t0..t3 is complete, four rounds turn it
 * into W, and the high half (the last three columns) is added to W. */
static void mul_p256_p(uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    __asm__ volatile("movabsq $0xffffffff00000001, %%r15\n\t"
                     /* column 0: t0 = r8, the rest to (r9, r10, r11) */
                     "movq (%%rsi), %%rax\n\t"
                     "mulq (%%rcx)\n\t"
                     "movq %%rax, %%r8\n\t"
                     "movq %%rdx, %%r9\n\t"
                     "xorl %%r10d, %%r10d\n\t"
                     "xorl %%r11d, %%r11d\n\t"
                     /* column 1: t1 = r9 */
                     ASM_MAC("(%%rsi)", "8(%%rcx)", "%%r9", "%%r10", "%%r11")
                     ASM_MAC("8(%%rsi)", "(%%rcx)", "%%r9", "%%r10", "%%r11")
                     "xorl %%ebx, %%ebx\n\t"
                     /* column 2: t2 = r10 */
                     ASM_MAC("(%%rsi)", "16(%%rcx)", "%%r10", "%%r11", "%%rbx")
                     ASM_MAC("8(%%rsi)", "8(%%rcx)", "%%r10", "%%r11", "%%rbx")
                     ASM_MAC("16(%%rsi)", "(%%rcx)", "%%r10", "%%r11", "%%rbx")
                     "xorl %%r12d, %%r12d\n\t"
                     /* column 3: t3 = r11, the carry in (rbx, r12) */
                     ASM_MAC("(%%rsi)", "24(%%rcx)", "%%r11", "%%rbx", "%%r12")
                     ASM_MAC("8(%%rsi)", "16(%%rcx)", "%%r11", "%%rbx", "%%r12")
                     ASM_MAC("16(%%rsi)", "8(%%rcx)", "%%r11", "%%rbx", "%%r12")
                     ASM_MAC("24(%%rsi)", "(%%rcx)", "%%r11", "%%rbx", "%%r12")
                     ASM_REDUCE_LOW("%%r14")
                     "xorl %%r13d, %%r13d\n\t"
                     /* column 4: rbx */
                     ASM_MAC("8(%%rsi)", "24(%%rcx)", "%%rbx", "%%r12", "%%r13")
                     ASM_MAC("16(%%rsi)", "16(%%rcx)", "%%rbx", "%%r12", "%%r13")
                     ASM_MAC("24(%%rsi)", "8(%%rcx)", "%%rbx", "%%r12", "%%r13")
                     "xorl %%r14d, %%r14d\n\t"
                     /* column 5: r12 */
                     ASM_MAC("16(%%rsi)", "24(%%rcx)", "%%r12", "%%r13", "%%r14")
                     ASM_MAC("24(%%rsi)", "16(%%rcx)", "%%r12", "%%r13", "%%r14")
                     /* columns 6 and 7: (r13, r14); a·b < 2^512, so no third limb */
                     "movq 24(%%rsi), %%rax\n\t"
                     "mulq 24(%%rcx)\n\t"
                     "addq %%rax, %%r13\n\t"
                     "adcq %%rdx, %%r14\n\t"
                     ASM_FINAL
                     :
                     : "S"(a), "c"(b), "D"(r)
                     : "rax", "rdx", "rbx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
                       "cc", "memory");
}

/* r = a^2·2^-256 mod p for a < p: the six cross products a_i·a_j (i < j) by rows into
 * t1..t6 = (r9, r10, r11, rbx, r12, r13), doubled (they sum to below 2^511) with the carry into
 * t7 = r14, then the squares a_i^2 added on the diagonal (t0 = r8); rcx carries between
 * them. Each "adcq $0, %%rdx" adds a carry to the high limb of a product, which is at most
 * 2^64 - 2. Then the reduction of mul_p256_p. */
static void sqr_p256_p(uint64_t *r, const uint64_t *a)
{
    __asm__ volatile("movq 8(%%rsi), %%rax\n\t" /* a0·a1 */
                     "mulq (%%rsi)\n\t"
                     "movq %%rax, %%r9\n\t"
                     "movq %%rdx, %%r10\n\t"
                     "movq 16(%%rsi), %%rax\n\t" /* a0·a2 */
                     "mulq (%%rsi)\n\t"
                     "addq %%rax, %%r10\n\t"
                     "adcq $0, %%rdx\n\t"
                     "movq %%rdx, %%r11\n\t"
                     "movq 24(%%rsi), %%rax\n\t" /* a0·a3 */
                     "mulq (%%rsi)\n\t"
                     "addq %%rax, %%r11\n\t"
                     "adcq $0, %%rdx\n\t"
                     "movq %%rdx, %%rbx\n\t"
                     "movq 16(%%rsi), %%rax\n\t" /* a1·a2 */
                     "mulq 8(%%rsi)\n\t"
                     "addq %%rax, %%r11\n\t"
                     "adcq $0, %%rdx\n\t"
                     "movq %%rdx, %%rcx\n\t"
                     "movq 24(%%rsi), %%rax\n\t" /* a1·a3 */
                     "mulq 8(%%rsi)\n\t"
                     "addq %%rcx, %%rax\n\t"
                     "adcq $0, %%rdx\n\t"
                     "addq %%rax, %%rbx\n\t"
                     "adcq $0, %%rdx\n\t"
                     "movq %%rdx, %%r12\n\t"
                     "movq 24(%%rsi), %%rax\n\t" /* a2·a3 */
                     "mulq 16(%%rsi)\n\t"
                     "addq %%rax, %%r12\n\t"
                     "adcq $0, %%rdx\n\t"
                     "movq %%rdx, %%r13\n\t"
                     "xorl %%r14d, %%r14d\n\t" /* doubled */
                     "addq %%r9, %%r9\n\t"
                     "adcq %%r10, %%r10\n\t"
                     "adcq %%r11, %%r11\n\t"
                     "adcq %%rbx, %%rbx\n\t"
                     "adcq %%r12, %%r12\n\t"
                     "adcq %%r13, %%r13\n\t"
                     "adcq $0, %%r14\n\t"
                     "movq (%%rsi), %%rax\n\t" /* the squares */
                     "mulq %%rax\n\t"
                     "movq %%rax, %%r8\n\t"
                     "movq %%rdx, %%rcx\n\t"
                     "movq 8(%%rsi), %%rax\n\t"
                     "mulq %%rax\n\t"
                     "addq %%rcx, %%r9\n\t"
                     "adcq %%rax, %%r10\n\t"
                     "adcq $0, %%rdx\n\t"
                     "movq %%rdx, %%rcx\n\t"
                     "movq 16(%%rsi), %%rax\n\t"
                     "mulq %%rax\n\t"
                     "addq %%rcx, %%r11\n\t"
                     "adcq %%rax, %%rbx\n\t"
                     "adcq $0, %%rdx\n\t"
                     "movq %%rdx, %%rcx\n\t"
                     "movq 24(%%rsi), %%rax\n\t"
                     "mulq %%rax\n\t"
                     "addq %%rcx, %%r12\n\t"
                     "adcq %%rax, %%r13\n\t"
                     "adcq %%rdx, %%r14\n\t" /* a^2 < 2^512: no carry out */
                     "movabsq $0xffffffff00000001, %%r15\n\t"
                     ASM_REDUCE_LOW("%%rcx")
                     ASM_FINAL
                     :
                     : "S"(a), "D"(r)
                     : "rax", "rcx", "rdx", "rbx", "r8", "r9", "r10", "r11", "r12", "r13", "r14",
                       "r15", "cc", "memory");
}

/* r = a + b mod p, a, b < p: s = a + b (four limbs and a carry c), then s - p, then p added
 * back (its limbs masked) when (c, s) < p, that is when c = 0 and the subtraction borrowed:
 * c - borrow is then -1, and 0 otherwise (c = 1 implies a borrow, s being below p then). */
static void add_p256_p(uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    uint64_t s0, s1, s2, s3, c, m1, m3;
    __asm__("movq (%[a]), %[s0]\n\t"
            "movq 8(%[a]), %[s1]\n\t"
            "movq 16(%[a]), %[s2]\n\t"
            "movq 24(%[a]), %[s3]\n\t"
            "movl $0, %k[c]\n\t"
            "addq (%[b]), %[s0]\n\t"
            "adcq 8(%[b]), %[s1]\n\t"
            "adcq 16(%[b]), %[s2]\n\t"
            "adcq 24(%[b]), %[s3]\n\t"
            "adcq $0, %[c]\n\t"
            "movl $0xffffffff, %k[m1]\n\t"
            "movabsq $0xffffffff00000001, %[m3]\n\t"
            "subq $-1, %[s0]\n\t"
            "sbbq %[m1], %[s1]\n\t"
            "sbbq $0, %[s2]\n\t"
            "sbbq %[m3], %[s3]\n\t"
            "sbbq $0, %[c]\n\t"
            "andq %[c], %[m1]\n\t"
            "andq %[c], %[m3]\n\t"
            "addq %[c], %[s0]\n\t"
            "adcq %[m1], %[s1]\n\t"
            "adcq $0, %[s2]\n\t"
            "adcq %[m3], %[s3]"
            : [s0] "=&r"(s0), [s1] "=&r"(s1), [s2] "=&r"(s2), [s3] "=&r"(s3), [c] "=&r"(c),
              [m1] "=&r"(m1), [m3] "=&r"(m3)
            : [a] "r"(a), [b] "r"(b)
            : "cc", "memory");
    r[0] = s0;
    r[1] = s1;
    r[2] = s2;
    r[3] = s3;
}

/* r = a - b mod p, a, b < p: the difference, plus p when it borrowed (p's limbs masked by the
 * borrow, as -1, its low half, 0 and P3). */
static void sub_p256_p(uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    uint64_t d0 = a[0], d1 = a[1], d2 = a[2], d3 = a[3], m, m1, m3;
    __asm__("subq %[b0], %[d0]\n\t"
            "sbbq %[b1], %[d1]\n\t"
            "sbbq %[b2], %[d2]\n\t"
            "sbbq %[b3], %[d3]\n\t"
            "sbbq %[m], %[m]\n\t"
            "movq %[p1], %[m1]\n\t"
            "movq %[p3], %[m3]\n\t"
            "andq %[m], %[m1]\n\t"
            "andq %[m], %[m3]\n\t"
            "addq %[m], %[d0]\n\t"
            "adcq %[m1], %[d1]\n\t"
            "adcq $0, %[d2]\n\t"
            "adcq %[m3], %[d3]"
            : [d0] "+&r"(d0), [d1] "+&r"(d1), [d2] "+&r"(d2), [d3] "+&r"(d3), [m] "=&r"(m),
              [m1] "=&r"(m1), [m3] "=&r"(m3)
            : [b0] "rm"(b[0]), [b1] "rm"(b[1]), [b2] "rm"(b[2]), [b3] "rm"(b[3]),
              [p1] "rm"(P256_P1), [p3] "rm"(P256_P3)
            : "cc");
    r[0] = d0;
    r[1] = d1;
    r[2] = d2;
    r[3] = d3;
}

/* r = a/2 mod p, a < p: a, or a + p when a is odd (p's limbs masked by a's low bit), which is
 * even, shifted right by one with the carry coming in at the top. Below p: (a + p)/2 < p. */
static void half_p256_p(uint64_t *r, const uint64_t *a)
{
    uint64_t t0 = a[0], t1 = a[1], t2 = a[2], t3 = a[3], m, m1, m3, c;
    __asm__("movq %[t0], %[m]\n\t"
            "andq $1, %[m]\n\t"
            "negq %[m]\n\t"
            "movq %[p1], %[m1]\n\t"
            "movq %[p3], %[m3]\n\t"
            "andq %[m], %[m1]\n\t"
            "andq %[m], %[m3]\n\t"
            "xorl %k[c], %k[c]\n\t"
            "addq %[m], %[t0]\n\t"
            "adcq %[m1], %[t1]\n\t"
            "adcq $0, %[t2]\n\t"
            "adcq %[m3], %[t3]\n\t"
            "adcq $0, %[c]\n\t"
            "shrdq $1, %[t1], %[t0]\n\t"
            "shrdq $1, %[t2], %[t1]\n\t"
            "shrdq $1, %[t3], %[t2]\n\t"
            "shrdq $1, %[c], %[t3]"
            : [t0] "+&r"(t0), [t1] "+&r"(t1), [t2] "+&r"(t2), [t3] "+&r"(t3), [m] "=&r"(m),
              [m1] "=&r"(m1), [m3] "=&r"(m3), [c] "=&r"(c)
            : [p1] "rm"(P256_P1), [p3] "rm"(P256_P3)
            : "cc");
    r[0] = t0;
    r[1] = t1;
    r[2] = t2;
    r[3] = t3;
}

void pl_ec_p256_half(pl_ec_fe *r, const pl_ec_fe *a)
{
    half_p256_p(r->v, a->v);
}

void pl_ec_p256_mul(pl_ec_fe *r, const pl_ec_fe *a, const pl_ec_fe *b)
{
    mul_p256_p(r->v, a->v, b->v);
}

void pl_ec_p256_sqr(pl_ec_fe *r, const pl_ec_fe *a)
{
    sqr_p256_p(r->v, a->v);
}

void pl_ec_p256_add(pl_ec_fe *r, const pl_ec_fe *a, const pl_ec_fe *b)
{
    add_p256_p(r->v, a->v, b->v);
}

void pl_ec_p256_sub(pl_ec_fe *r, const pl_ec_fe *a, const pl_ec_fe *b)
{
    sub_p256_p(r->v, a->v, b->v);
}

enum { P256_P, P256_N, P384_P, P384_N };

const pl_ec_modulus pl_ec_p256_p = {
    .n = 4,
    .id = P256_P,
    .m = {0xffffffffffffffff, 0x00000000ffffffff, 0x0000000000000000, 0xffffffff00000001},
    .m0inv = 0x0000000000000001,
    .r2 = {0x0000000000000003, 0xfffffffbffffffff, 0xfffffffffffffffe, 0x00000004fffffffd},
    .one = {0x0000000000000001, 0xffffffff00000000, 0xffffffffffffffff, 0x00000000fffffffe},
};

const pl_ec_modulus pl_ec_p256_n = {
    .n = 4,
    .id = P256_N,
    .m = {0xf3b9cac2fc632551, 0xbce6faada7179e84, 0xffffffffffffffff, 0xffffffff00000000},
    .m0inv = 0xccd1c8aaee00bc4f,
    .r2 = {0x83244c95be79eea2, 0x4699799c49bd6fa6, 0x2845b2392b6bec59, 0x66e12d94f3d95620},
    .one = {0x0c46353d039cdaaf, 0x4319055258e8617b, 0x0000000000000000, 0x00000000ffffffff},
};

const pl_ec_modulus pl_ec_p384_p = {
    .n = 6,
    .id = P384_P,
    .m = {0x00000000ffffffff, 0xffffffff00000000, 0xfffffffffffffffe, 0xffffffffffffffff,
          0xffffffffffffffff, 0xffffffffffffffff},
    .m0inv = 0x0000000100000001,
    .r2 = {0xfffffffe00000001, 0x0000000200000000, 0xfffffffe00000000, 0x0000000200000000,
           0x0000000000000001, 0x0000000000000000},
    .one = {0xffffffff00000001, 0x00000000ffffffff, 0x0000000000000001, 0x0000000000000000,
            0x0000000000000000, 0x0000000000000000},
};

const pl_ec_modulus pl_ec_p384_n = {
    .n = 6,
    .id = P384_N,
    .m = {0xecec196accc52973, 0x581a0db248b0a77a, 0xc7634d81f4372ddf, 0xffffffffffffffff,
          0xffffffffffffffff, 0xffffffffffffffff},
    .m0inv = 0x6ed46089e88fdc45,
    .r2 = {0x2d319b2419b409a9, 0xff3d81e5df1aa419, 0xbc3e483afcb82947, 0xd40d49174aab1cc5,
           0x3fb05b7a28266895, 0x0c84ee012b39bf21},
    .one = {0x1313e695333ad68d, 0xa7e5f24db74f5885, 0x389cb27e0bc8d220, 0x0000000000000000,
            0x0000000000000000, 0x0000000000000000},
};

/* One instance of each operation per modulus, the modulus a constant the compiler can fold (the
 * zero and all-ones limbs of the primes); P-256's p has its own code above. */
#define INSTANCES(name, mod, n)                                                                   \
    static void mul_##name(uint64_t *r, const uint64_t *a, const uint64_t *b)                     \
    {                                                                                              \
        mont_mul_n(&mod, r, a, b, n);                                                              \
    }                                                                                              \
    static void sqr_##name(uint64_t *r, const uint64_t *a)                                        \
    {                                                                                              \
        mont_mul_n(&mod, r, a, a, n);                                                              \
    }                                                                                              \
    static void add_##name(uint64_t *r, const uint64_t *a, const uint64_t *b)                     \
    {                                                                                              \
        mod_add_n(&mod, r, a, b, n);                                                               \
    }                                                                                              \
    static void sub_##name(uint64_t *r, const uint64_t *a, const uint64_t *b)                     \
    {                                                                                              \
        mod_sub_n(&mod, r, a, b, n);                                                               \
    }

INSTANCES(p256_n, pl_ec_p256_n, 4)
INSTANCES(p384_p, pl_ec_p384_p, 6)
INSTANCES(p384_n, pl_ec_p384_n, 6)

typedef void (*op_fn)(uint64_t *r, const uint64_t *a, const uint64_t *b);
typedef void (*sqr_fn)(uint64_t *r, const uint64_t *a);

static const struct {
    op_fn mul, add, sub;
    sqr_fn sqr;
} ops[] = {
    [P256_P] = {mul_p256_p, add_p256_p, sub_p256_p, sqr_p256_p},
    [P256_N] = {mul_p256_n, add_p256_n, sub_p256_n, sqr_p256_n},
    [P384_P] = {mul_p384_p, add_p384_p, sub_p384_p, sqr_p384_p},
    [P384_N] = {mul_p384_n, add_p384_n, sub_p384_n, sqr_p384_n},
};

void pl_ec_mod_mul(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a, const pl_ec_fe *b)
{
    ops[m->id].mul(r->v, a->v, b->v);
}

void pl_ec_mod_sqr(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a)
{
    ops[m->id].sqr(r->v, a->v);
}

void pl_ec_mod_add(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a, const pl_ec_fe *b)
{
    ops[m->id].add(r->v, a->v, b->v);
}

void pl_ec_mod_sub(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a, const pl_ec_fe *b)
{
    ops[m->id].sub(r->v, a->v, b->v);
}

/* r = a^(2^k) · b: k squarings, then a multiplication (b may alias r). */
static void sqr_n_mul_p256(pl_ec_fe *r, const pl_ec_fe *a, int k, const pl_ec_fe *b)
{
    pl_ec_fe t = *a;
    for (int i = 0; i < k; i++) {
        sqr_p256_p(t.v, t.v);
    }
    mul_p256_p(r->v, t.v, b->v);
}

/* a^(p-2) for P-256's p by an addition chain on p - 2 = 2^256 - 2^224 + 2^192 + 2^96 - 3, whose
 * 32-bit words from the top are ffffffff 00000001 0 0 0 ffffffff ffffffff fffffffd: with
 * x_k = a^(2^k - 1), build x2, x3, x6, x12, x15, x30, x32, then
 * ((((x32^(2^32)·a)^(2^128)·x32)^(2^32)·x32)^(2^30)·x30)^(2^2)·a. 255 squarings and 12
 * multiplications, a fixed sequence. */
static void inv_p256_p(pl_ec_fe *r, const pl_ec_fe *a)
{
    pl_ec_fe x2, x3, x6, x12, x15, x30, x32, t;
    sqr_n_mul_p256(&x2, a, 1, a);
    sqr_n_mul_p256(&x3, &x2, 1, a);
    sqr_n_mul_p256(&x6, &x3, 3, &x3);
    sqr_n_mul_p256(&x12, &x6, 6, &x6);
    sqr_n_mul_p256(&x15, &x12, 3, &x3);
    sqr_n_mul_p256(&x30, &x15, 15, &x15);
    sqr_n_mul_p256(&x32, &x30, 2, &x2);
    sqr_n_mul_p256(&t, &x32, 32, a);
    sqr_n_mul_p256(&t, &t, 128, &x32);
    sqr_n_mul_p256(&t, &t, 32, &x32);
    sqr_n_mul_p256(&t, &t, 30, &x30);
    sqr_n_mul_p256(r, &t, 2, a);
    pl_wipe(&x2, sizeof x2);
    pl_wipe(&x3, sizeof x3);
    pl_wipe(&x6, sizeof x6);
    pl_wipe(&x12, sizeof x12);
    pl_wipe(&x15, sizeof x15);
    pl_wipe(&x30, sizeof x30);
    pl_wipe(&x32, sizeof x32);
    pl_wipe(&t, sizeof t);
}

void pl_ec_mod_half(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a)
{
    uint64_t mask = (uint64_t)0 - (a->v[0] & 1), t[PL_EC_MAX_LIMBS];
    uint8_t c = 0;
    size_t n = m->n;
    if (m->id == P256_P) {
        half_p256_p(r->v, a->v);
        return;
    }
    for (size_t j = 0; j < n; j++) {
        c = adc64(c, a->v[j], m->m[j] & mask, &t[j]);
    }
    for (size_t j = 0; j + 1 < n; j++) {
        r->v[j] = t[j] >> 1 | t[j + 1] << 63;
    }
    r->v[n - 1] = t[n - 1] >> 1 | (uint64_t)c << 63;
}

/* a^(m-2) with a fixed 4-bit window over the exponent, which is public (it is the modulus):
 * 8·n·4 squarings and 8·n multiplications by a table entry chosen by the exponent's bits. */
void pl_ec_mod_inv(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a)
{
    pl_ec_fe table[16], acc;
    uint64_t e[PL_EC_MAX_LIMBS], borrow = 2;
    if (m->id == P256_P) {
        inv_p256_p(r, a);
        return;
    }
    for (size_t j = 0; j < m->n; j++) {
        u128 x = (u128)m->m[j] - borrow;
        e[j] = (uint64_t)x;
        borrow = (uint64_t)(x >> 64) & 1;
    }
    memset(&table[0], 0, sizeof table[0]);
    memcpy(table[0].v, m->one, sizeof m->one);
    table[1] = *a;
    for (size_t i = 2; i < 16; i++) {
        pl_ec_mod_mul(m, &table[i], &table[i - 1], a);
    }
    acc = table[0];
    for (size_t i = m->n * 16; i-- > 0;) {
        size_t digit = (size_t)(e[i / 16] >> (4 * (i % 16))) & 15;
        for (int s = 0; s < 4; s++) {
            pl_ec_mod_sqr(m, &acc, &acc);
        }
        pl_ec_mod_mul(m, &acc, &acc, &table[digit]);
    }
    *r = acc;
    pl_wipe(table, sizeof table);
    pl_wipe(&acc, sizeof acc);
}

/* ---- variable time: the binary inverse ------------------------------------------------------ */

/* x >>= k (n limbs), 0 < k < 64. */
INLINE void shr_limbs(uint64_t *x, size_t n, unsigned k)
{
    UNROLL
    for (size_t j = 0; j + 1 < n; j++) {
        x[j] = x[j] >> k | x[j + 1] << (64 - k);
    }
    x[n - 1] >>= k;
}

/* x <<= k (n limbs, no bit lost), 0 < k < 64. */
INLINE void shl_limbs(uint64_t *x, size_t n, unsigned k)
{
    UNROLL
    for (size_t j = n - 1; j > 0; j--) {
        x[j] = x[j] << k | x[j - 1] >> (64 - k);
    }
    x[0] <<= k;
}

/* x += y (n limbs, no carry out). */
INLINE void add_limbs(uint64_t *x, const uint64_t *y, size_t n)
{
    uint8_t c = 0;
    UNROLL
    for (size_t j = 0; j < n; j++) {
        c = adc64(c, x[j], y[j], &x[j]);
    }
}

/* x = (x - y) / 2 for x > y (n limbs). */
INLINE void sub_half_limbs(uint64_t *x, const uint64_t *y, size_t n)
{
    uint8_t b = 0;
    UNROLL
    for (size_t j = 0; j < n; j++) {
        b = sbb64(b, x[j], y[j], &x[j]);
    }
    shr_limbs(x, n, 1);
}

/* 1 when a > b (n limbs), else 0. */
INLINE int greater(const uint64_t *a, const uint64_t *b, size_t n)
{
    for (size_t j = n; j-- > 0;) {
        if (a[j] != b[j]) {
            return a[j] > b[j];
        }
    }
    return 0;
}

/* The number of trailing zero bits of the non-zero low limb x0, at most 63 (x0 = 0 gives 63:
 * the caller comes back for the rest). */
INLINE unsigned trailing_zeros(uint64_t x0)
{
    return x0 != 0 ? (unsigned)__builtin_ctzll(x0) : 63;
}

/* The almost Montgomery inverse (Kaliski, "The Montgomery inverse and its applications", IEEE
 * Trans. Computers 44(8), 1995, phase 1) with m odd and 0 < a < m prime to it: u = m, v = a,
 * r = 0, s = 1 keep m = u·s + v·r; each step halves u or v (or their difference) and doubles r
 * or s (adding the other when a difference was taken), k counting the steps, until v = 0. Then
 * r < 2m and m - (r mod m) = a^-1·2^k mod m, with k between the bit length of m and twice it.
 * Runs of halvings are taken a word's trailing zeros at a time. The input is Montgomery form,
 * a' = a·R, so this gives a'^-1·2^k = a^-1·R^-1·2^k; doubling that 2·64·n - k more times mod m
 * gives a^-1·R, the Montgomery form of the inverse. */
INLINE void inv_vartime_n(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a, size_t n)
{
    uint64_t u[PL_EC_MAX_LIMBS], v[PL_EC_MAX_LIMBS];
    uint64_t x[PL_EC_MAX_LIMBS + 1], y[PL_EC_MAX_LIMBS + 1]; /* r and s: below 2m */
    size_t k = 0;
    int zero = 1;
    for (size_t j = 0; j < n; j++) {
        zero &= a->v[j] == 0;
    }
    memset(r, 0, sizeof *r);
    if (zero) {
        return;
    }
    memcpy(u, m->m, n * sizeof *u);
    memcpy(v, a->v, n * sizeof *v);
    memset(x, 0, sizeof x);
    memset(y, 0, sizeof y);
    y[0] = 1;
    for (;;) {
        uint64_t v_any = 0;
        UNROLL
        for (size_t j = 0; j < n; j++) {
            v_any |= v[j];
        }
        if (v_any == 0) {
            break;
        }
        if ((u[0] & 1) == 0) {
            unsigned t = trailing_zeros(u[0]);
            shr_limbs(u, n, t);
            shl_limbs(y, n + 1, t);
            k += t;
        } else if ((v[0] & 1) == 0) {
            unsigned t = trailing_zeros(v[0]);
            shr_limbs(v, n, t);
            shl_limbs(x, n + 1, t);
            k += t;
        } else if (greater(u, v, n)) {
            sub_half_limbs(u, v, n);
            add_limbs(x, y, n + 1);
            shl_limbs(y, n + 1, 1);
            k++;
        } else {
            sub_half_limbs(v, u, n);
            add_limbs(y, x, n + 1);
            shl_limbs(x, n + 1, 1);
            k++;
        }
    }
    /* x = m - (x mod m), x < 2m */
    memcpy(y, m->m, n * sizeof *y);
    y[n] = 0;
    if (!greater(y, x, n + 1)) {
        uint8_t b = 0;
        for (size_t j = 0; j <= n; j++) {
            b = sbb64(b, x[j], y[j], &x[j]);
        }
    }
    {
        uint8_t b = 0;
        for (size_t j = 0; j < n; j++) {
            b = sbb64(b, m->m[j], x[j], &r->v[j]);
        }
    }
    /* times 2^(2·64·n - k) mod m; k is at most twice the bit length of m, so at most 2·64·n */
    for (size_t i = k; i < 2 * 64 * n; i++) {
        mod_add_n(m, r->v, r->v, r->v, n);
    }
}

void pl_ec_mod_inv_vartime(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a)
{
    if (m->n == 4) {
        inv_vartime_n(m, r, a, 4);
    } else {
        inv_vartime_n(m, r, a, 6);
    }
}

void pl_ec_mod_to_mont(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a)
{
    pl_ec_fe r2;
    memset(&r2, 0, sizeof r2);
    memcpy(r2.v, m->r2, sizeof m->r2);
    pl_ec_mod_mul(m, r, a, &r2);
}

void pl_ec_mod_from_mont(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a)
{
    pl_ec_fe one;
    memset(&one, 0, sizeof one);
    one.v[0] = 1;
    pl_ec_mod_mul(m, r, a, &one);
}

void pl_ec_fe_from_bytes(const pl_ec_modulus *m, pl_ec_fe *r, const uint8_t *in)
{
    memset(r, 0, sizeof *r);
    for (size_t j = 0; j < m->n; j++) {
        const uint8_t *p = in + 8 * (m->n - 1 - j);
        uint64_t v = 0;
        for (size_t k = 0; k < 8; k++) {
            v = v << 8 | p[k];
        }
        r->v[j] = v;
    }
}

void pl_ec_fe_to_bytes(const pl_ec_modulus *m, uint8_t *out, const pl_ec_fe *a)
{
    for (size_t j = 0; j < m->n; j++) {
        uint8_t *p = out + 8 * (m->n - 1 - j);
        for (size_t k = 0; k < 8; k++) {
            p[k] = (uint8_t)(a->v[j] >> (56 - 8 * k));
        }
    }
}

uint32_t pl_ec_fe_below_modulus(const pl_ec_modulus *m, const pl_ec_fe *a)
{
    uint64_t borrow = 0;
    for (size_t j = 0; j < m->n; j++) {
        u128 x = (u128)a->v[j] - m->m[j] - borrow;
        borrow = (uint64_t)(x >> 64) & 1;
    }
    return (uint32_t)borrow;
}

uint32_t pl_ec_fe_is_zero(const pl_ec_modulus *m, const pl_ec_fe *a)
{
    uint64_t acc = 0;
    for (size_t j = 0; j < m->n; j++) {
        acc |= a->v[j];
    }
    return pl_ct_is_zero64(acc);
}

uint32_t pl_ec_fe_eq(const pl_ec_modulus *m, const pl_ec_fe *a, const pl_ec_fe *b)
{
    uint64_t acc = 0;
    for (size_t j = 0; j < m->n; j++) {
        acc |= a->v[j] ^ b->v[j];
    }
    return pl_ct_is_zero64(acc);
}

void pl_ec_fe_copy_if(const pl_ec_modulus *m, uint32_t ctl, pl_ec_fe *r, const pl_ec_fe *a)
{
    uint64_t mask = pl_ct_mask64(ctl);
    for (size_t j = 0; j < m->n; j++) {
        r->v[j] ^= mask & (r->v[j] ^ a->v[j]);
    }
}

void pl_ec_fe_reduce_once(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a)
{
    uint64_t d[PL_EC_MAX_LIMBS], borrow = 0, keep;
    for (size_t j = 0; j < m->n; j++) {
        u128 x = (u128)a->v[j] - m->m[j] - borrow;
        d[j] = (uint64_t)x;
        borrow = (uint64_t)(x >> 64) & 1;
    }
    keep = pl_ct_mask64((uint32_t)borrow);
    for (size_t j = 0; j < m->n; j++) {
        r->v[j] = (a->v[j] & keep) | (d[j] & ~keep);
    }
}
