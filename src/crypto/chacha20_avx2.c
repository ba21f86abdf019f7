/* ChaCha20 (RFC 8439 §2.3-2.4) eight blocks at a time in AVX2.
 *
 * The state of eight consecutive blocks is held "vertically": register i holds word i of each
 * of the eight blocks, one block per 32-bit lane, so that every quarter round of §2.2 is a few
 * whole-register operations on all eight blocks at once and needs no shuffling between rounds.
 * Only the block counter (word 12) differs between lanes: counter + 0..7, added mod 2^32 like
 * the portable code. After the rounds, the words are transposed back into eight 64-byte blocks
 * and XORed into the data. For a final partial group the whole keystream is computed and the
 * part needed is used.
 *
 * Rotations: by 16 and 8 with a byte shuffle (PSHUFB), by 12 and 7 with two shifts and an OR;
 * AVX2 has no rotate instruction.
 *
 * Constant time like the portable code: additions, XORs, shifts and fixed shuffles only.
 * Compiled with -mavx2 -mbmi2; called only when pl_chacha20_avx2_usable(). */
#include <immintrin.h>

#include "crypto/chacha20.h"

#define LANES 8
#define GROUP_LEN (LANES * PL_CHACHA20_BLOCK_LEN)

static inline __m256i add_x8(__m256i a, __m256i b)
{
    return _mm256_add_epi32(a, b);
}

static inline __m256i xor_x8(__m256i a, __m256i b)
{
    return _mm256_xor_si256(a, b);
}

/* Rotate left by 16 and by 8: whole bytes move within each 32-bit lane. The byte at position i
 * of a lane (little-endian) goes to position i + 2 (i + 1) mod 4. */
static inline __m256i rotl16_x8(__m256i x)
{
    const __m256i m = _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3,
                                       0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
    return _mm256_shuffle_epi8(x, m);
}

static inline __m256i rotl8_x8(__m256i x)
{
    const __m256i m = _mm256_setr_epi8(3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14, 3, 0,
                                       1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14);
    return _mm256_shuffle_epi8(x, m);
}

static inline __m256i rotl12_x8(__m256i x)
{
    return _mm256_or_si256(_mm256_slli_epi32(x, 12), _mm256_srli_epi32(x, 20));
}

static inline __m256i rotl7_x8(__m256i x)
{
    return _mm256_or_si256(_mm256_slli_epi32(x, 7), _mm256_srli_epi32(x, 25));
}

/* §2.1 on four registers (of eight blocks each). */
#define QR(a, b, c, d)                                                                             \
    do {                                                                                           \
        a = add_x8(a, b);                                                                          \
        d = rotl16_x8(xor_x8(d, a));                                                               \
        c = add_x8(c, d);                                                                          \
        b = rotl12_x8(xor_x8(b, c));                                                               \
        a = add_x8(a, b);                                                                          \
        d = rotl8_x8(xor_x8(d, a));                                                                \
        c = add_x8(c, d);                                                                          \
        b = rotl7_x8(xor_x8(b, c));                                                                \
    } while (0)

/* Four 32-bit words per 128-bit half, transposed: on entry a, b, c, d hold word w, w+1, w+2,
 * w+3 of blocks 0..3 (low half) and 4..7 (high half); on exit a holds words w..w+3 of block 0
 * (low half) and block 4 (high half), b of blocks 1 and 5, c of 2 and 6, d of 3 and 7. */
static inline void transpose4(__m256i *a, __m256i *b, __m256i *c, __m256i *d)
{
    __m256i ab_lo = _mm256_unpacklo_epi32(*a, *b); /* a0 b0 a1 b1 | a4 b4 a5 b5 */
    __m256i ab_hi = _mm256_unpackhi_epi32(*a, *b); /* a2 b2 a3 b3 | a6 b6 a7 b7 */
    __m256i cd_lo = _mm256_unpacklo_epi32(*c, *d);
    __m256i cd_hi = _mm256_unpackhi_epi32(*c, *d);
    *a = _mm256_unpacklo_epi64(ab_lo, cd_lo); /* a0 b0 c0 d0 | a4 b4 c4 d4 */
    *b = _mm256_unpackhi_epi64(ab_lo, cd_lo); /* a1 b1 c1 d1 | a5 b5 c5 d5 */
    *c = _mm256_unpacklo_epi64(ab_hi, cd_hi);
    *d = _mm256_unpackhi_epi64(ab_hi, cd_hi);
}

static inline void xor_store(uint8_t *out, const uint8_t *in, __m256i ks)
{
    __m256i m = _mm256_loadu_si256((const __m256i *)(const void *)in);
    _mm256_storeu_si256((__m256i *)(void *)out, _mm256_xor_si256(m, ks));
}

/* After transpose4, block k's words 0..3 are in the low half of the k-th register of the first
 * quartet (block k + 4's in the high half), words 4..7 in the second quartet, and so on:
 * VPERM2I128 joins the halves of two quartets into 32 bytes of one block. a, b, c, d are the
 * k-th registers of the four quartets; this emits blocks k and k + 4. */
static inline void emit(uint8_t *out, const uint8_t *in, unsigned k, __m256i a, __m256i b,
                        __m256i c, __m256i d)
{
    xor_store(out + 64 * k, in + 64 * k, _mm256_permute2x128_si256(a, b, 0x20));
    xor_store(out + 64 * k + 32, in + 64 * k + 32, _mm256_permute2x128_si256(c, d, 0x20));
    xor_store(out + 64 * (k + 4), in + 64 * (k + 4), _mm256_permute2x128_si256(a, b, 0x31));
    xor_store(out + 64 * (k + 4) + 32, in + 64 * (k + 4) + 32,
              _mm256_permute2x128_si256(c, d, 0x31));
}

/* Blocks s[12] .. s[12] + 7 of the state s (§2.3), XORed from in (512 bytes) into out. */
static void blocks8(const uint32_t s[16], const uint8_t *in, uint8_t *out)
{
    const __m256i ctr = _mm256_add_epi32(_mm256_set1_epi32((int)s[12]),
                                         _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    __m256i x0 = _mm256_set1_epi32((int)s[0]), x1 = _mm256_set1_epi32((int)s[1]);
    __m256i x2 = _mm256_set1_epi32((int)s[2]), x3 = _mm256_set1_epi32((int)s[3]);
    __m256i x4 = _mm256_set1_epi32((int)s[4]), x5 = _mm256_set1_epi32((int)s[5]);
    __m256i x6 = _mm256_set1_epi32((int)s[6]), x7 = _mm256_set1_epi32((int)s[7]);
    __m256i x8 = _mm256_set1_epi32((int)s[8]), x9 = _mm256_set1_epi32((int)s[9]);
    __m256i x10 = _mm256_set1_epi32((int)s[10]), x11 = _mm256_set1_epi32((int)s[11]);
    __m256i x12 = ctr, x13 = _mm256_set1_epi32((int)s[13]);
    __m256i x14 = _mm256_set1_epi32((int)s[14]), x15 = _mm256_set1_epi32((int)s[15]);

    for (unsigned i = 0; i < 10; i++) {
        QR(x0, x4, x8, x12); /* column round */
        QR(x1, x5, x9, x13);
        QR(x2, x6, x10, x14);
        QR(x3, x7, x11, x15);
        QR(x0, x5, x10, x15); /* diagonal round */
        QR(x1, x6, x11, x12);
        QR(x2, x7, x8, x13);
        QR(x3, x4, x9, x14);
    }
    /* §2.3: add the input state back. */
    x0 = add_x8(x0, _mm256_set1_epi32((int)s[0]));
    x1 = add_x8(x1, _mm256_set1_epi32((int)s[1]));
    x2 = add_x8(x2, _mm256_set1_epi32((int)s[2]));
    x3 = add_x8(x3, _mm256_set1_epi32((int)s[3]));
    x4 = add_x8(x4, _mm256_set1_epi32((int)s[4]));
    x5 = add_x8(x5, _mm256_set1_epi32((int)s[5]));
    x6 = add_x8(x6, _mm256_set1_epi32((int)s[6]));
    x7 = add_x8(x7, _mm256_set1_epi32((int)s[7]));
    x8 = add_x8(x8, _mm256_set1_epi32((int)s[8]));
    x9 = add_x8(x9, _mm256_set1_epi32((int)s[9]));
    x10 = add_x8(x10, _mm256_set1_epi32((int)s[10]));
    x11 = add_x8(x11, _mm256_set1_epi32((int)s[11]));
    x12 = add_x8(x12, ctr);
    x13 = add_x8(x13, _mm256_set1_epi32((int)s[13]));
    x14 = add_x8(x14, _mm256_set1_epi32((int)s[14]));
    x15 = add_x8(x15, _mm256_set1_epi32((int)s[15]));

    /* Back to blocks (see emit). */
    transpose4(&x0, &x1, &x2, &x3);
    transpose4(&x4, &x5, &x6, &x7);
    transpose4(&x8, &x9, &x10, &x11);
    transpose4(&x12, &x13, &x14, &x15);
    emit(out, in, 0, x0, x4, x8, x12);
    emit(out, in, 1, x1, x5, x9, x13);
    emit(out, in, 2, x2, x6, x10, x14);
    emit(out, in, 3, x3, x7, x11, x15);
}

/* out = in XOR ks for len bytes (a final partial group): 32 bytes at a time, then bytewise. */
static void xor_partial(uint8_t *out, const uint8_t *in, const uint8_t *ks, size_t len)
{
    size_t i = 0;
    for (; i + 32 <= len; i += 32) {
        xor_store(out + i, in + i, _mm256_loadu_si256((const __m256i *)(const void *)(ks + i)));
    }
    for (; i < len; i++) {
        out[i] = (uint8_t)(in[i] ^ ks[i]);
    }
}

void pl_chacha20_xor_avx2(const uint8_t key[PL_CHACHA20_KEY_LEN],
                          const uint8_t nonce[PL_CHACHA20_NONCE_LEN], uint32_t counter,
                          const uint8_t *in, uint8_t *out, size_t len)
{
    static const uint8_t zeros[GROUP_LEN] = {0};
    uint32_t s[16] = {0x61707865u, 0x3320646eu, 0x79622d32u, 0x6b206574u}; /* §2.3 */
    uint8_t ks[GROUP_LEN];
    for (unsigned i = 0; i < 8; i++) {
        s[4 + i] = pl_load_le32(key + 4 * i);
    }
    s[12] = counter;
    s[13] = pl_load_le32(nonce);
    s[14] = pl_load_le32(nonce + 4);
    s[15] = pl_load_le32(nonce + 8);

    while (len >= GROUP_LEN) {
        blocks8(s, in, out);
        s[12] += LANES; /* wraps mod 2^32 (chacha20.h) */
        in += GROUP_LEN;
        out += GROUP_LEN;
        len -= GROUP_LEN;
    }
    /* The last, partial group: its keystream (zeros encrypted), of which len bytes are used. */
    if (len > 0) {
        blocks8(s, zeros, ks);
        xor_partial(out, in, ks, len);
        pl_wipe(ks, sizeof ks);
    }
    pl_wipe(s, sizeof s);
}
