/* Poly1305 (RFC 8439 §2.5) over four lanes in AVX2, radix 2^26.
 *
 * Horner's rule h = (...((h + m_1) r + m_2) r + ...) r gives block i of n the weight
 * r^(n - i + 1). Four lanes each run Horner's rule with r^8 over every fourth block of a group
 * of eight: lane j takes blocks 8t + j' and 8t + 4 + j' (j' the block order of the lane, see
 * load4), and one step is
 *     H = (H + A) r^8 + B r^4
 * with A the group's first four blocks and B its last four. The product B r^4 does not depend
 * on H, so each step has a single multiplication on its critical path for eight blocks. The
 * last step weights lane j' by r^(8 - j') and r^(4 - j') instead, which gives every block its
 * Horner weight; the lanes are then added up. The caller's accumulator enters lane 0 (block 0
 * of the first group), so it is weighted r^n too.
 *
 * Numbers are five 26-bit limbs, one per register, each in the low half of a 64-bit lane so
 * that VPMULUDQ (32 x 32 -> 64 bits) forms the limb products. A limb product landing at
 * 2^(26 k), k >= 5, is folded to 2^(26 (k - 5)) times 5 (2^130 = 5 mod p), using 5 r_j
 * precomputed. Bounds: the limbs of H are below 2^26 + 2^11 after a carry pass (and below
 * 5 * 2^24 for the caller's accumulator as it enters); adding a block (limbs below 2^26) keeps
 * them below 2^27.2. The limbs of r's powers are below 2^26 (pl_poly1305_powers() reduces them
 * fully), so 5 r_j is below 2^28.4, a product below 2^55.6, a column of five below 2^58 and the
 * two columns of a step below 2^59: nothing overflows 64 bits. The carry pass (below) restores
 * the 2^26 + 2^11 bound.
 *
 * Constant time: multiplications, additions, shifts and masks only. Compiled with -mavx2
 * -mbmi2; called only when pl_poly1305_avx2_usable(). */
#include <immintrin.h>

#include "base/endian.h"
#include "crypto/poly1305.h"

#define MASK26 0x3ffffffu
#define STEP_BLOCKS 8
/* Below this many blocks the portable code is faster than computing r^2..r^8 first. */
#define MIN_BLOCKS 32

typedef unsigned __int128 u128;

/* The step is written as small functions; they must all be inlined, and their five-limb loops
 * unrolled, for the limbs to live in registers (gcc does neither by itself here). */
#define INLINE static inline __attribute__((always_inline))

/* Four blocks (64 bytes) as limbs, with the 2^128 of §2.5 in limb 4 (2^128 = 2^24 * 2^104).
 * The 64-bit unpacks work within 128-bit halves, so the lanes hold blocks 0, 2, 1, 3. */
INLINE void load4(const uint8_t *in, __m256i m[5])
{
    const __m256i mask = _mm256_set1_epi64x(MASK26);
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)in);
    __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(in + 32));
    __m256i lo = _mm256_unpacklo_epi64(a, b); /* bits 0..63 of blocks 0, 2, 1, 3 */
    __m256i hi = _mm256_unpackhi_epi64(a, b); /* bits 64..127 */
    m[0] = _mm256_and_si256(lo, mask);
    m[1] = _mm256_and_si256(_mm256_srli_epi64(lo, 26), mask);
    m[2] = _mm256_and_si256(_mm256_or_si256(_mm256_srli_epi64(lo, 52), _mm256_slli_epi64(hi, 12)),
                            mask);
    m[3] = _mm256_and_si256(_mm256_srli_epi64(hi, 14), mask);
    m[4] = _mm256_or_si256(_mm256_srli_epi64(hi, 40), _mm256_set1_epi64x(1 << 24));
}

INLINE __m256i mul(__m256i a, __m256i b)
{
    return _mm256_mul_epu32(a, b);
}

INLINE __m256i add(__m256i a, __m256i b)
{
    return _mm256_add_epi64(a, b);
}

/* d = a * r mod p, unreduced (limb columns), s = 5 r. */
INLINE void mul_r(__m256i d[5], const __m256i a[5], const __m256i r[5], const __m256i s[5])
{
    d[0] = add(add(mul(a[0], r[0]), mul(a[1], s[4])),
               add(add(mul(a[2], s[3]), mul(a[3], s[2])), mul(a[4], s[1])));
    d[1] = add(add(mul(a[0], r[1]), mul(a[1], r[0])),
               add(add(mul(a[2], s[4]), mul(a[3], s[3])), mul(a[4], s[2])));
    d[2] = add(add(mul(a[0], r[2]), mul(a[1], r[1])),
               add(add(mul(a[2], r[0]), mul(a[3], s[4])), mul(a[4], s[3])));
    d[3] = add(add(mul(a[0], r[3]), mul(a[1], r[2])),
               add(add(mul(a[2], r[1]), mul(a[3], r[0])), mul(a[4], s[4])));
    d[4] = add(add(mul(a[0], r[4]), mul(a[1], r[3])),
               add(add(mul(a[2], r[2]), mul(a[3], r[1])), mul(a[4], r[0])));
}

/* Carry pass: the column sums (each below 2^59) back to limbs. Two chains run side by side
 * (0 -> 1 -> 2 -> 3 -> 4 and 3 -> 4 -> 0 -> 1); the carry out of limb 4 (below 2^34) re-enters
 * limb 0 times 5. Afterwards limbs 0, 2 and 3 are below 2^26, limb 1 below 2^26 + 2^11 (the
 * second carry out of limb 0) and limb 4 below 2^26 + 2^9. */
INLINE void carry(__m256i h[5], __m256i d[5])
{
    const __m256i mask = _mm256_set1_epi64x(MASK26);
    __m256i c;
    c = _mm256_srli_epi64(d[0], 26);
    d[0] = _mm256_and_si256(d[0], mask);
    d[1] = add(d[1], c);
    c = _mm256_srli_epi64(d[3], 26);
    d[3] = _mm256_and_si256(d[3], mask);
    d[4] = add(d[4], c);
    c = _mm256_srli_epi64(d[1], 26);
    d[1] = _mm256_and_si256(d[1], mask);
    d[2] = add(d[2], c);
    c = _mm256_srli_epi64(d[4], 26);
    d[4] = _mm256_and_si256(d[4], mask);
    d[0] = add(d[0], add(c, _mm256_slli_epi64(c, 2)));
    c = _mm256_srli_epi64(d[2], 26);
    d[2] = _mm256_and_si256(d[2], mask);
    d[3] = add(d[3], c);
    c = _mm256_srli_epi64(d[0], 26);
    h[0] = _mm256_and_si256(d[0], mask);
    h[1] = add(d[1], c);
    c = _mm256_srli_epi64(d[3], 26);
    h[2] = d[2];
    h[3] = _mm256_and_si256(d[3], mask);
    h[4] = add(d[4], c);
}

/* One step over eight blocks: h = (h + A) ra + B rb. */
INLINE void step(__m256i h[5], const uint8_t *in, const __m256i ra[5], const __m256i sa[5],
                        const __m256i rb[5], const __m256i sb[5])
{
    __m256i a[5], b[5], d[5], e[5];
    load4(in, a);
    load4(in + 64, b);
    a[0] = add(a[0], h[0]);
    a[1] = add(a[1], h[1]);
    a[2] = add(a[2], h[2]);
    a[3] = add(a[3], h[3]);
    a[4] = add(a[4], h[4]);
    mul_r(d, a, ra, sa);
    mul_r(e, b, rb, sb);
    d[0] = add(d[0], e[0]);
    d[1] = add(d[1], e[1]);
    d[2] = add(d[2], e[2]);
    d[3] = add(d[3], e[3]);
    d[4] = add(d[4], e[4]);
    carry(h, d);
}

/* Powers of r, one per lane: lane k gets r^(e[k] + 1). The limbs of r^1..r^8 are eight
 * consecutive 32-bit words (poly1305.h), from which a permutation picks four, widened to 64-bit
 * lanes; s = 5 r. */
static void lanes(const pl_poly1305_ctx *c, __m256i e, __m256i r[5], __m256i s[5])
{
    for (unsigned i = 0; i < 5; i++) {
        __m256i all = _mm256_loadu_si256((const __m256i *)(const void *)c->pow[i]);
        __m256i picked = _mm256_permutevar8x32_epi32(all, e);
        r[i] = _mm256_cvtepu32_epi64(_mm256_castsi256_si128(picked));
        s[i] = _mm256_add_epi64(r[i], _mm256_slli_epi64(r[i], 2));
    }
}

static uint64_t sum_lanes(__m256i v)
{
    __m128i x = _mm_add_epi64(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    return (uint64_t)_mm_cvtsi128_si64(x) + (uint64_t)_mm_extract_epi64(x, 1);
}

void pl_poly1305_blocks_avx2(pl_poly1305_ctx *c, const uint8_t *in, size_t nblocks)
{
    __m256i h[5], r8[5], s8[5], r4[5], s4[5], ra[5], sa[5], rb[5], sb[5];
    uint64_t t[5], carry26;
    u128 acc;
    size_t groups = nblocks / STEP_BLOCKS;

    if (nblocks < MIN_BLOCKS) {
        pl_poly1305_blocks_portable(c, in, nblocks, 1);
        return;
    }
    pl_poly1305_powers(c, STEP_BLOCKS);
    /* r^8 and r^4 in every lane for the steps; for the last one, as lanes hold blocks 0, 2, 1, 3
     * of each half-group (load4), r^8, r^6, r^7, r^5 and r^4, r^2, r^3, r^1. */
    lanes(c, _mm256_set1_epi32(7), r8, s8);
    lanes(c, _mm256_set1_epi32(3), r4, s4);
    lanes(c, _mm256_setr_epi32(7, 5, 6, 4, 0, 0, 0, 0), ra, sa);
    lanes(c, _mm256_setr_epi32(3, 1, 2, 0, 0, 0, 0, 0), rb, sb);

    /* The accumulator (h2 <= 4, so limb 4 is below 2^27) into lane 0. */
    h[0] = _mm256_setr_epi64x((long long)(c->h[0] & MASK26), 0, 0, 0);
    h[1] = _mm256_setr_epi64x((long long)((c->h[0] >> 26) & MASK26), 0, 0, 0);
    h[2] = _mm256_setr_epi64x((long long)(((c->h[0] >> 52) | (c->h[1] << 12)) & MASK26), 0, 0,
                              0);
    h[3] = _mm256_setr_epi64x((long long)((c->h[1] >> 14) & MASK26), 0, 0, 0);
    h[4] = _mm256_setr_epi64x((long long)((c->h[1] >> 40) | (c->h[2] << 24)), 0, 0, 0);

    for (size_t g = 0; g + 1 < groups; g++) {
        step(h, in, r8, s8, r4, s4);
        in += STEP_BLOCKS * PL_POLY1305_BLOCK_LEN;
    }
    step(h, in, ra, sa, rb, sb);
    in += STEP_BLOCKS * PL_POLY1305_BLOCK_LEN;

    /* Add the lanes (each limb below 2^26 + 2^11, the sums below 2^28 + 2^13), carry once
     * more, and go back to radix 2^64: the value is then below 2^130 + 2^52, so h2 <= 4. */
    for (unsigned i = 0; i < 5; i++) {
        t[i] = sum_lanes(h[i]);
    }
    for (unsigned i = 0; i < 4; i++) {
        t[i + 1] += t[i] >> 26;
        t[i] &= MASK26;
    }
    carry26 = t[4] >> 26;
    t[4] &= MASK26;
    t[0] += 5 * carry26;
    t[1] += t[0] >> 26;
    t[0] &= MASK26;
    acc = (u128)t[0] + ((u128)t[1] << 26) + ((u128)t[2] << 52);
    c->h[0] = (uint64_t)acc;
    acc = (acc >> 64) + ((u128)t[3] << 14) + ((u128)t[4] << 40);
    c->h[1] = (uint64_t)acc;
    c->h[2] = (uint64_t)(acc >> 64);

    pl_poly1305_blocks_portable(c, in, nblocks - groups * STEP_BLOCKS, 1);
}
