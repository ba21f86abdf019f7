/* Poly1305 (RFC 8439 §2.5) over eight lanes in AVX-512, radix 2^26.
 *
 * The scheme of poly1305_avx2.c with twice the lanes: lane j takes blocks 16t + j' and
 * 16t + 8 + j' of each group of sixteen (j' the block order of the lane, see load8), and one
 * step is
 *     H = (H + A) r^16 + B r^8
 * with A the group's first eight blocks and B its last eight; the last step weights lane j' by
 * r^(16 - j') and r^(8 - j'), giving every block its Horner weight r^(n - i + 1), and the lanes
 * are added up. The caller's accumulator enters lane 0 (block 0). Limbs, the 5 r_j folding and
 * the bounds are those of the AVX2 code (poly1305_avx2.c): products below 2^55.6, a step's
 * columns below 2^59, limbs after a carry pass below 2^26 + 2^11.
 *
 * Constant time: multiplications, additions, shifts and masks only. Compiled with -mavx512f
 * -mavx512vl -mavx512bw -mavx512dq -mavx2 -mbmi2; called only when pl_poly1305_avx512_usable(),
 * which implies pl_poly1305_avx2_usable(). */
#include <immintrin.h>

#include "base/endian.h"
#include "crypto/poly1305.h"

#define MASK26 0x3ffffffu
#define STEP_BLOCKS 16
/* Below this many blocks (4 KiB), computing r^9..r^16 and the wider setup cost more than the
 * wider steps save (measured on AMD Zen 4, which splits 512-bit operations in two): the AVX2
 * code runs instead. */
#define MIN_BLOCKS 256

typedef unsigned __int128 u128;

/* The step is written as small functions; they must all be inlined, and their five-limb loops
 * unrolled, for the limbs to live in registers (gcc does neither by itself here). */
#define INLINE static inline __attribute__((always_inline))

/* Eight blocks (128 bytes) as limbs, with the 2^128 of §2.5 in limb 4 (2^128 = 2^24 * 2^104).
 * The 64-bit unpacks work within 128-bit lanes, so the lanes hold blocks 0, 4, 1, 5, 2, 6, 3, 7. */
INLINE void load8(const uint8_t *in, __m512i m[5])
{
    const __m512i mask = _mm512_set1_epi64(MASK26);
    __m512i a = _mm512_loadu_si512((const void *)in);
    __m512i b = _mm512_loadu_si512((const void *)(in + 64));
    __m512i lo = _mm512_unpacklo_epi64(a, b); /* bits 0..63 of blocks 0, 4, 1, 5, ... */
    __m512i hi = _mm512_unpackhi_epi64(a, b); /* bits 64..127 */
    m[0] = _mm512_and_si512(lo, mask);
    m[1] = _mm512_and_si512(_mm512_srli_epi64(lo, 26), mask);
    m[2] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(lo, 52), _mm512_slli_epi64(hi, 12)),
                            mask);
    m[3] = _mm512_and_si512(_mm512_srli_epi64(hi, 14), mask);
    m[4] = _mm512_or_si512(_mm512_srli_epi64(hi, 40), _mm512_set1_epi64(1 << 24));
}

INLINE __m512i mul(__m512i a, __m512i b)
{
    return _mm512_mul_epu32(a, b);
}

INLINE __m512i add(__m512i a, __m512i b)
{
    return _mm512_add_epi64(a, b);
}

/* d = a * r mod p, unreduced (limb columns), s = 5 r. */
INLINE void mul_r(__m512i d[5], const __m512i a[5], const __m512i r[5], const __m512i s[5])
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

/* The carry pass of poly1305_avx2.c: limbs back below 2^26 + 2^11. */
INLINE void carry(__m512i h[5], __m512i d[5])
{
    const __m512i mask = _mm512_set1_epi64(MASK26);
    __m512i c;
    c = _mm512_srli_epi64(d[0], 26);
    d[0] = _mm512_and_si512(d[0], mask);
    d[1] = add(d[1], c);
    c = _mm512_srli_epi64(d[3], 26);
    d[3] = _mm512_and_si512(d[3], mask);
    d[4] = add(d[4], c);
    c = _mm512_srli_epi64(d[1], 26);
    d[1] = _mm512_and_si512(d[1], mask);
    d[2] = add(d[2], c);
    c = _mm512_srli_epi64(d[4], 26);
    d[4] = _mm512_and_si512(d[4], mask);
    d[0] = add(d[0], add(c, _mm512_slli_epi64(c, 2)));
    c = _mm512_srli_epi64(d[2], 26);
    d[2] = _mm512_and_si512(d[2], mask);
    d[3] = add(d[3], c);
    c = _mm512_srli_epi64(d[0], 26);
    h[0] = _mm512_and_si512(d[0], mask);
    h[1] = add(d[1], c);
    c = _mm512_srli_epi64(d[3], 26);
    h[2] = d[2];
    h[3] = _mm512_and_si512(d[3], mask);
    h[4] = add(d[4], c);
}

/* One step over sixteen blocks: h = (h + A) ra + B rb. */
INLINE void step(__m512i h[5], const uint8_t *in, const __m512i ra[5], const __m512i sa[5],
                        const __m512i rb[5], const __m512i sb[5])
{
    __m512i a[5], b[5], d[5], e[5];
    load8(in, a);
    load8(in + 128, b);
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

/* Powers of r, one per lane: lane k gets r^(e[k] + 1). The limbs of r^1..r^16 are sixteen
 * consecutive 32-bit words (poly1305.h), from which a permutation picks eight, widened to
 * 64-bit lanes; s = 5 r. */
static void lanes(const pl_poly1305_ctx *c, __m512i e, __m512i r[5], __m512i s[5])
{
    for (unsigned i = 0; i < 5; i++) {
        __m512i all = _mm512_loadu_si512((const void *)c->pow[i]);
        __m512i picked = _mm512_permutexvar_epi32(e, all);
        r[i] = _mm512_cvtepu32_epi64(_mm512_castsi512_si256(picked));
        s[i] = _mm512_add_epi64(r[i], _mm512_slli_epi64(r[i], 2));
    }
}

void pl_poly1305_blocks_avx512(pl_poly1305_ctx *c, const uint8_t *in, size_t nblocks)
{
    __m512i h[5], r16[5], s16[5], r8[5], s8[5], ra[5], sa[5], rb[5], sb[5];
    uint64_t t[5], carry26;
    u128 acc;
    size_t groups = nblocks / STEP_BLOCKS;

    if (nblocks < MIN_BLOCKS) {
        pl_poly1305_blocks_avx2(c, in, nblocks);
        return;
    }
    pl_poly1305_powers(c, STEP_BLOCKS);
    /* r^16 and r^8 in every lane for the steps; for the last one, as lanes hold blocks 0, 4, 1,
     * 5, 2, 6, 3, 7 of each half-group (load8), r^16, r^12, r^15, r^11, ... and r^8, r^4, .... */
    lanes(c, _mm512_set1_epi32(15), r16, s16);
    lanes(c, _mm512_set1_epi32(7), r8, s8);
    lanes(c, _mm512_setr_epi32(15, 11, 14, 10, 13, 9, 12, 8, 0, 0, 0, 0, 0, 0, 0, 0), ra, sa);
    lanes(c, _mm512_setr_epi32(7, 3, 6, 2, 5, 1, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0), rb, sb);

    /* The accumulator (h2 <= 4, so limb 4 is below 2^27) into lane 0. */
    h[0] = _mm512_setr_epi64((long long)(c->h[0] & MASK26), 0, 0, 0, 0, 0, 0, 0);
    h[1] = _mm512_setr_epi64((long long)((c->h[0] >> 26) & MASK26), 0, 0, 0, 0, 0, 0, 0);
    h[2] = _mm512_setr_epi64((long long)(((c->h[0] >> 52) | (c->h[1] << 12)) & MASK26), 0, 0, 0,
                             0, 0, 0, 0);
    h[3] = _mm512_setr_epi64((long long)((c->h[1] >> 14) & MASK26), 0, 0, 0, 0, 0, 0, 0);
    h[4] = _mm512_setr_epi64((long long)((c->h[1] >> 40) | (c->h[2] << 24)), 0, 0, 0, 0, 0, 0,
                             0);

    for (size_t g = 0; g + 1 < groups; g++) {
        step(h, in, r16, s16, r8, s8);
        in += STEP_BLOCKS * PL_POLY1305_BLOCK_LEN;
    }
    step(h, in, ra, sa, rb, sb);
    in += STEP_BLOCKS * PL_POLY1305_BLOCK_LEN;

    /* Add the lanes (each limb below 2^26 + 2^11, the sums below 2^29 + 2^14), carry once
     * more, and go back to radix 2^64: the value is then below 2^130 + 2^52, so h2 <= 4. */
    for (unsigned i = 0; i < 5; i++) {
        t[i] = (uint64_t)_mm512_reduce_add_epi64(h[i]);
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
