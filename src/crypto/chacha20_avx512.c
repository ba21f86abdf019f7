/* ChaCha20 (RFC 8439 §2.3-2.4) sixteen blocks at a time in AVX-512.
 *
 * The same "vertical" layout as chacha20_avx2.c: register i holds word i of sixteen
 * consecutive blocks, one per 32-bit lane, the counters being counter + 0..15 mod 2^32. What
 * AVX-512 adds is width and VPROLD, a rotate in one instruction, which replaces the byte
 * shuffles and shift pairs of the AVX2 code; with 32 registers the whole state stays in them.
 * The sixteen words are transposed back into blocks by 32- and 64-bit unpacks within 128-bit
 * lanes and then a 4 x 4 transpose of 128-bit lanes (VSHUFI32X4).
 *
 * A message's last group of at most eight blocks runs in 256-bit registers instead (AVX-512VL
 * gives them VPROLD too): on CPUs that split 512-bit operations in two, such as AMD Zen 4, that
 * costs half of a sixteen-block pass. For a final partial group the whole keystream is computed
 * and the part needed is used.
 *
 * Constant time like the portable code: additions, XORs, rotations and fixed permutations only.
 * Compiled with -mavx512f -mavx512vl -mavx512bw -mavx512dq -mavx2 -mbmi2; called only when
 * pl_chacha20_avx512_usable(). */
#include <immintrin.h>

#include "crypto/chacha20.h"

#define GROUP16_LEN (16 * PL_CHACHA20_BLOCK_LEN)
#define GROUP8_LEN (8 * PL_CHACHA20_BLOCK_LEN)

/* §2.1 on four registers; V names the width (x16: 512 bits, x8: 256 bits). */
#define QR(V, a, b, c, d)                                                                          \
    do {                                                                                           \
        a = add_##V(a, b);                                                                         \
        d = rotl_##V(xor_##V(d, a), 16);                                                           \
        c = add_##V(c, d);                                                                         \
        b = rotl_##V(xor_##V(b, c), 12);                                                           \
        a = add_##V(a, b);                                                                         \
        d = rotl_##V(xor_##V(d, a), 8);                                                            \
        c = add_##V(c, d);                                                                         \
        b = rotl_##V(xor_##V(b, c), 7);                                                            \
    } while (0)

/* §2.3: ten double rounds, a column round then a diagonal round. */
#define ROUNDS(V)                                                                                  \
    for (unsigned round_ = 0; round_ < 10; round_++) {                                             \
        QR(V, x0, x4, x8, x12);                                                                    \
        QR(V, x1, x5, x9, x13);                                                                    \
        QR(V, x2, x6, x10, x14);                                                                   \
        QR(V, x3, x7, x11, x15);                                                                   \
        QR(V, x0, x5, x10, x15);                                                                   \
        QR(V, x1, x6, x11, x12);                                                                   \
        QR(V, x2, x7, x8, x13);                                                                    \
        QR(V, x3, x4, x9, x14);                                                                    \
    }

/* ---- sixteen blocks in 512-bit registers ---------------------------------------------------- */

static inline __m512i add_x16(__m512i a, __m512i b)
{
    return _mm512_add_epi32(a, b);
}

static inline __m512i xor_x16(__m512i a, __m512i b)
{
    return _mm512_xor_si512(a, b);
}

#define rotl_x16(x, n) _mm512_rol_epi32((x), (n))

/* Within each 128-bit lane, a 4 x 4 transpose of 32-bit words: on entry a..d hold words w..w+3
 * of the lane's four blocks; on exit a holds words w..w+3 of the lane's first block, b of its
 * second, and so on. */
static inline void transpose4_x16(__m512i *a, __m512i *b, __m512i *c, __m512i *d)
{
    __m512i ab_lo = _mm512_unpacklo_epi32(*a, *b);
    __m512i ab_hi = _mm512_unpackhi_epi32(*a, *b);
    __m512i cd_lo = _mm512_unpacklo_epi32(*c, *d);
    __m512i cd_hi = _mm512_unpackhi_epi32(*c, *d);
    *a = _mm512_unpacklo_epi64(ab_lo, cd_lo);
    *b = _mm512_unpackhi_epi64(ab_lo, cd_lo);
    *c = _mm512_unpacklo_epi64(ab_hi, cd_hi);
    *d = _mm512_unpackhi_epi64(ab_hi, cd_hi);
}

static inline void xor_store_x16(uint8_t *out, const uint8_t *in, __m512i ks)
{
    __m512i m = _mm512_loadu_si512((const void *)in);
    _mm512_storeu_si512((void *)out, _mm512_xor_si512(m, ks));
}

/* After transpose4_x16, lane j (0..3) of register a holds words 0..3 of block 4j + k, lane j of
 * b words 4..7, of c words 8..11 and of d words 12..15. A 4 x 4 transpose of 128-bit lanes
 * gathers the four parts of each of the blocks k, 4 + k, 8 + k and 12 + k. */
static inline void emit_x16(uint8_t *out, const uint8_t *in, unsigned k, __m512i a, __m512i b,
                            __m512i c, __m512i d)
{
    __m512i ab01 = _mm512_shuffle_i32x4(a, b, 0x44); /* a.0 a.1 b.0 b.1 */
    __m512i ab23 = _mm512_shuffle_i32x4(a, b, 0xee); /* a.2 a.3 b.2 b.3 */
    __m512i cd01 = _mm512_shuffle_i32x4(c, d, 0x44);
    __m512i cd23 = _mm512_shuffle_i32x4(c, d, 0xee);
    xor_store_x16(out + 64 * k, in + 64 * k, _mm512_shuffle_i32x4(ab01, cd01, 0x88));
    xor_store_x16(out + 64 * (k + 4), in + 64 * (k + 4), _mm512_shuffle_i32x4(ab01, cd01, 0xdd));
    xor_store_x16(out + 64 * (k + 8), in + 64 * (k + 8), _mm512_shuffle_i32x4(ab23, cd23, 0x88));
    xor_store_x16(out + 64 * (k + 12), in + 64 * (k + 12),
                  _mm512_shuffle_i32x4(ab23, cd23, 0xdd));
}

/* Blocks s[12] .. s[12] + 15 of the state s (§2.3), XORed from in (1024 bytes) into out. */
static void blocks16(const uint32_t s[16], const uint8_t *in, uint8_t *out)
{
    const __m512i ctr = _mm512_add_epi32(
        _mm512_set1_epi32((int)s[12]),
        _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    const __m512i s0 = _mm512_set1_epi32((int)s[0]), s1 = _mm512_set1_epi32((int)s[1]);
    const __m512i s2 = _mm512_set1_epi32((int)s[2]), s3 = _mm512_set1_epi32((int)s[3]);
    const __m512i s4 = _mm512_set1_epi32((int)s[4]), s5 = _mm512_set1_epi32((int)s[5]);
    const __m512i s6 = _mm512_set1_epi32((int)s[6]), s7 = _mm512_set1_epi32((int)s[7]);
    const __m512i s8 = _mm512_set1_epi32((int)s[8]), s9 = _mm512_set1_epi32((int)s[9]);
    const __m512i s10 = _mm512_set1_epi32((int)s[10]), s11 = _mm512_set1_epi32((int)s[11]);
    const __m512i s13 = _mm512_set1_epi32((int)s[13]), s14 = _mm512_set1_epi32((int)s[14]);
    const __m512i s15 = _mm512_set1_epi32((int)s[15]);
    __m512i x0 = s0, x1 = s1, x2 = s2, x3 = s3, x4 = s4, x5 = s5, x6 = s6, x7 = s7;
    __m512i x8 = s8, x9 = s9, x10 = s10, x11 = s11, x12 = ctr, x13 = s13, x14 = s14, x15 = s15;

    ROUNDS(x16)
    /* §2.3: add the input state back. */
    x0 = add_x16(x0, s0);
    x1 = add_x16(x1, s1);
    x2 = add_x16(x2, s2);
    x3 = add_x16(x3, s3);
    x4 = add_x16(x4, s4);
    x5 = add_x16(x5, s5);
    x6 = add_x16(x6, s6);
    x7 = add_x16(x7, s7);
    x8 = add_x16(x8, s8);
    x9 = add_x16(x9, s9);
    x10 = add_x16(x10, s10);
    x11 = add_x16(x11, s11);
    x12 = add_x16(x12, ctr);
    x13 = add_x16(x13, s13);
    x14 = add_x16(x14, s14);
    x15 = add_x16(x15, s15);

    transpose4_x16(&x0, &x1, &x2, &x3);
    transpose4_x16(&x4, &x5, &x6, &x7);
    transpose4_x16(&x8, &x9, &x10, &x11);
    transpose4_x16(&x12, &x13, &x14, &x15);
    emit_x16(out, in, 0, x0, x4, x8, x12);
    emit_x16(out, in, 1, x1, x5, x9, x13);
    emit_x16(out, in, 2, x2, x6, x10, x14);
    emit_x16(out, in, 3, x3, x7, x11, x15);
}

/* ---- eight blocks in 256-bit registers ------------------------------------------------------ */

static inline __m256i add_x8(__m256i a, __m256i b)
{
    return _mm256_add_epi32(a, b);
}

static inline __m256i xor_x8(__m256i a, __m256i b)
{
    return _mm256_xor_si256(a, b);
}

#define rotl_x8(x, n) _mm256_rol_epi32((x), (n))

/* As transpose4_x16, on two 128-bit lanes (blocks 0..3 and 4..7). */
static inline void transpose4_x8(__m256i *a, __m256i *b, __m256i *c, __m256i *d)
{
    __m256i ab_lo = _mm256_unpacklo_epi32(*a, *b);
    __m256i ab_hi = _mm256_unpackhi_epi32(*a, *b);
    __m256i cd_lo = _mm256_unpacklo_epi32(*c, *d);
    __m256i cd_hi = _mm256_unpackhi_epi32(*c, *d);
    *a = _mm256_unpacklo_epi64(ab_lo, cd_lo);
    *b = _mm256_unpackhi_epi64(ab_lo, cd_lo);
    *c = _mm256_unpacklo_epi64(ab_hi, cd_hi);
    *d = _mm256_unpackhi_epi64(ab_hi, cd_hi);
}

static inline void xor_store_x8(uint8_t *out, const uint8_t *in, __m256i ks)
{
    __m256i m = _mm256_loadu_si256((const __m256i *)(const void *)in);
    _mm256_storeu_si256((__m256i *)(void *)out, _mm256_xor_si256(m, ks));
}

/* Blocks k and k + 4 from the k-th registers of the four transposed quartets. */
static inline void emit_x8(uint8_t *out, const uint8_t *in, unsigned k, __m256i a, __m256i b,
                           __m256i c, __m256i d)
{
    xor_store_x8(out + 64 * k, in + 64 * k, _mm256_permute2x128_si256(a, b, 0x20));
    xor_store_x8(out + 64 * k + 32, in + 64 * k + 32, _mm256_permute2x128_si256(c, d, 0x20));
    xor_store_x8(out + 64 * (k + 4), in + 64 * (k + 4), _mm256_permute2x128_si256(a, b, 0x31));
    xor_store_x8(out + 64 * (k + 4) + 32, in + 64 * (k + 4) + 32,
                 _mm256_permute2x128_si256(c, d, 0x31));
}

/* Blocks s[12] .. s[12] + 7 of the state s, XORed from in (512 bytes) into out. */
static void blocks8(const uint32_t s[16], const uint8_t *in, uint8_t *out)
{
    const __m256i ctr = _mm256_add_epi32(_mm256_set1_epi32((int)s[12]),
                                         _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    const __m256i s0 = _mm256_set1_epi32((int)s[0]), s1 = _mm256_set1_epi32((int)s[1]);
    const __m256i s2 = _mm256_set1_epi32((int)s[2]), s3 = _mm256_set1_epi32((int)s[3]);
    const __m256i s4 = _mm256_set1_epi32((int)s[4]), s5 = _mm256_set1_epi32((int)s[5]);
    const __m256i s6 = _mm256_set1_epi32((int)s[6]), s7 = _mm256_set1_epi32((int)s[7]);
    const __m256i s8 = _mm256_set1_epi32((int)s[8]), s9 = _mm256_set1_epi32((int)s[9]);
    const __m256i s10 = _mm256_set1_epi32((int)s[10]), s11 = _mm256_set1_epi32((int)s[11]);
    const __m256i s13 = _mm256_set1_epi32((int)s[13]), s14 = _mm256_set1_epi32((int)s[14]);
    const __m256i s15 = _mm256_set1_epi32((int)s[15]);
    __m256i x0 = s0, x1 = s1, x2 = s2, x3 = s3, x4 = s4, x5 = s5, x6 = s6, x7 = s7;
    __m256i x8 = s8, x9 = s9, x10 = s10, x11 = s11, x12 = ctr, x13 = s13, x14 = s14, x15 = s15;

    ROUNDS(x8)
    x0 = add_x8(x0, s0);
    x1 = add_x8(x1, s1);
    x2 = add_x8(x2, s2);
    x3 = add_x8(x3, s3);
    x4 = add_x8(x4, s4);
    x5 = add_x8(x5, s5);
    x6 = add_x8(x6, s6);
    x7 = add_x8(x7, s7);
    x8 = add_x8(x8, s8);
    x9 = add_x8(x9, s9);
    x10 = add_x8(x10, s10);
    x11 = add_x8(x11, s11);
    x12 = add_x8(x12, ctr);
    x13 = add_x8(x13, s13);
    x14 = add_x8(x14, s14);
    x15 = add_x8(x15, s15);

    transpose4_x8(&x0, &x1, &x2, &x3);
    transpose4_x8(&x4, &x5, &x6, &x7);
    transpose4_x8(&x8, &x9, &x10, &x11);
    transpose4_x8(&x12, &x13, &x14, &x15);
    emit_x8(out, in, 0, x0, x4, x8, x12);
    emit_x8(out, in, 1, x1, x5, x9, x13);
    emit_x8(out, in, 2, x2, x6, x10, x14);
    emit_x8(out, in, 3, x3, x7, x11, x15);
}

/* ---- the keystream -------------------------------------------------------------------------- */

/* out = in XOR ks for len bytes (a final partial group): 32 bytes at a time, then bytewise. */
static void xor_partial(uint8_t *out, const uint8_t *in, const uint8_t *ks, size_t len)
{
    size_t i = 0;
    for (; i + 32 <= len; i += 32) {
        xor_store_x8(out + i, in + i, _mm256_loadu_si256((const __m256i *)(const void *)(ks + i)));
    }
    for (; i < len; i++) {
        out[i] = (uint8_t)(in[i] ^ ks[i]);
    }
}

void pl_chacha20_xor_avx512(const uint8_t key[PL_CHACHA20_KEY_LEN],
                            const uint8_t nonce[PL_CHACHA20_NONCE_LEN], uint32_t counter,
                            const uint8_t *in, uint8_t *out, size_t len)
{
    static const uint8_t zeros[GROUP16_LEN] = {0};
    uint32_t s[16] = {0x61707865u, 0x3320646eu, 0x79622d32u, 0x6b206574u}; /* §2.3 */
    uint8_t ks[GROUP16_LEN];
    for (unsigned i = 0; i < 8; i++) {
        s[4 + i] = pl_load_le32(key + 4 * i);
    }
    s[12] = counter;
    s[13] = pl_load_le32(nonce);
    s[14] = pl_load_le32(nonce + 4);
    s[15] = pl_load_le32(nonce + 8);

    while (len >= GROUP16_LEN) {
        blocks16(s, in, out);
        s[12] += 16; /* wraps mod 2^32 (chacha20.h) */
        in += GROUP16_LEN;
        out += GROUP16_LEN;
        len -= GROUP16_LEN;
    }
    /* What is left (under sixteen blocks): sixteen at once if more than eight remain, else
     * eight at once. For a partial group the whole keystream is computed (zeros encrypted) and
     * len bytes of it are used. */
    if (len == GROUP8_LEN) {
        blocks8(s, in, out);
    } else if (len > GROUP8_LEN) {
        blocks16(s, zeros, ks);
        xor_partial(out, in, ks, len);
        pl_wipe(ks, GROUP16_LEN);
    } else if (len > 0) {
        blocks8(s, zeros, ks);
        xor_partial(out, in, ks, len);
        pl_wipe(ks, GROUP8_LEN);
    }
    pl_wipe(s, sizeof s);
}
