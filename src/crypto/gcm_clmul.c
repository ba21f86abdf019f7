/* GCM (NIST SP 800-38D) with AES-NI and PCLMULQDQ on XMM registers: GHASH, and whole-message
 * seal and open in which the AES-CTR encryption of one group of eight blocks is interleaved with
 * the GHASH of eight ciphertext blocks (the previous group when sealing, the same one when
 * opening), so the AES and carry-less-multiply units work side by side.
 *
 * GHASH arithmetic (the math of Gueron and Kounavis, "Intel Carry-Less Multiplication Instruction
 * and its Usage for Computing the GCM Mode", rev. 2.02, 2014, worked out here for our layout):
 *   - A block is byte-reversed into a register, giving the reflected integer of gcm.h: bit 127 - i
 *     is the coefficient of x^i. PCLMULQDQ of two reflected integers puts x^k at bit 254 - k.
 *   - The key holds H^j * x^-1 rather than H^j, so X * (H^j x^-1) read with x^k at bit 255 - k
 *     (one place up) is x * X * H^j x^-1 = X * H^j: no shift of the 256-bit product is needed.
 *   - Eight products X_i * H^(9-i) are summed unreduced (the reduction is linear) and reduced
 *     once: (Y ^ X_1) H^8 + X_2 H^7 + ... + X_8 H is eight steps of Algorithm 2 at once.
 *   - Reduction of the 256-bit sum hi:lo (lo = l1:l0 in 64-bit words) turns the shifts of
 *     gcm.c's gf_mul into two carry-less products by c = 2^63 + 2^62 + 2^57 (0xc2 << 56):
 *     l0 * c = (l0>>1 ^ l0>>2 ^ l0>>7 : l0<<63 ^ l0<<62 ^ l0<<57), the very words gf_mul
 *     derives from l0, and likewise for T's high word t1. So with Q = l0 * c,
 *     T = lo ^ swap(Q) (its 64-bit halves exchanged) and the result is hi ^ T ^ t1 * c.
 * Counter blocks are kept byte-reversed too, so inc32 is a 32-bit lane addition that wraps mod
 * 2^32 exactly as §6.2 says, whatever J0 is.
 *
 * Compiled with -maes -mpclmul -msse4.1 -mssse3. Called only when pl_gcm_clmul_usable(), which
 * checks all four. The instructions used take the same time whatever their operands; nothing branches on or indexes
 * by data. */
#include <immintrin.h>

#include "crypto/gcm.h"

#define GROUP 8 /* blocks per group */
/* The loops over the blocks of a group are unrolled so that the blocks live in registers, which
 * gcc does not do by itself at -O2. */
#define UNROLL _Pragma("GCC unroll 8")

/* ---- GHASH --------------------------------------------------------------------------------- */

static inline __m128i bswap(__m128i x)
{
    return _mm_shuffle_epi8(x, _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}

static inline __m128i load(const uint8_t *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

static inline void store(uint8_t *p, __m128i x)
{
    _mm_storeu_si128((__m128i *)(void *)p, x);
}

/* An unreduced sum of 256-bit products, as its low, middle and high 128-bit partial sums. */
struct acc {
    __m128i lo, mid, hi;
};

static inline struct acc acc_zero(void)
{
    struct acc a = {_mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128()};
    return a;
}

/* a += x * p, schoolbook: lo = x0 p0, hi = x1 p1, mid = x0 p1 + x1 p0 (64-bit halves). */
static inline void mul_acc(struct acc *a, __m128i x, __m128i p)
{
    a->lo = _mm_xor_si128(a->lo, _mm_clmulepi64_si128(x, p, 0x00));
    a->hi = _mm_xor_si128(a->hi, _mm_clmulepi64_si128(x, p, 0x11));
    a->mid = _mm_xor_si128(a->mid, _mm_clmulepi64_si128(x, p, 0x01));
    a->mid = _mm_xor_si128(a->mid, _mm_clmulepi64_si128(x, p, 0x10));
}

/* The sum mod P as a reflected integer (see the top of the file). */
static inline __m128i reduce(struct acc a)
{
    const __m128i c = _mm_set_epi64x(0, (long long)0xc200000000000000ull);
    __m128i hi = _mm_xor_si128(a.hi, _mm_srli_si128(a.mid, 8));
    __m128i lo = _mm_xor_si128(a.lo, _mm_slli_si128(a.mid, 8));
    __m128i q = _mm_clmulepi64_si128(lo, c, 0x00);
    __m128i t = _mm_xor_si128(lo, _mm_shuffle_epi32(q, 0x4e));
    __m128i r = _mm_clmulepi64_si128(t, c, 0x01);
    return _mm_xor_si128(_mm_xor_si128(hi, t), r);
}

static inline __m128i power(const pl_ghash_key *k, size_t i)
{
    return load(k->pow[i]);
}

/* y continued over n blocks (1 <= n <= 8) at in: block i is multiplied by H^(n - i). */
static inline __m128i ghash_group(const pl_ghash_key *k, __m128i y, const uint8_t *in, size_t n)
{
    struct acc a = acc_zero();
    UNROLL
    for (size_t i = 0; i < n; i++) {
        __m128i x = bswap(load(in + 16 * i));
        if (i == 0) {
            x = _mm_xor_si128(x, y);
        }
        mul_acc(&a, x, power(k, PL_GHASH_POWERS - n + i));
    }
    return reduce(a);
}

static __m128i ghash_blocks(const pl_ghash_key *k, __m128i y, const uint8_t *in, size_t nblocks)
{
    for (; nblocks >= GROUP; nblocks -= GROUP, in += 16 * GROUP) {
        y = ghash_group(k, y, in, GROUP);
    }
    if (nblocks > 0) {
        y = ghash_group(k, y, in, nblocks);
    }
    return y;
}

/* y continued over len bytes, the last partial block padded with zeros (§7.1 step 5). */
static __m128i ghash_bytes(const pl_ghash_key *k, __m128i y, const uint8_t *in, size_t len)
{
    size_t full = len / 16, rest = len % 16;
    if (full > 0) {
        y = ghash_blocks(k, y, in, full);
    }
    if (rest > 0) {
        uint8_t last[16] = {0};
        memcpy(last, in + 16 * full, rest);
        y = ghash_group(k, y, last, 1);
        pl_wipe(last, sizeof last);
    }
    return y;
}

void pl_ghash_clmul(const pl_ghash_key *k, uint8_t y[PL_GCM_BLOCK_LEN], const uint8_t *in,
                    size_t nblocks)
{
    __m128i acc = bswap(load(y));
    if (nblocks > 0) {
        acc = ghash_blocks(k, acc, in, nblocks);
    }
    store(y, bswap(acc));
}

/* ---- AES-CTR with GHASH -------------------------------------------------------------------- */

static inline __m128i round_key(const pl_gcm_key *g, unsigned r)
{
    return load(g->aes.rk[r]);
}

/* E_K(block) (FIPS-197 §5.1 with AESENC / AESENCLAST). */
static __m128i encrypt_block(const pl_gcm_key *g, __m128i b)
{
    unsigned nr = g->aes.rounds;
    b = _mm_xor_si128(b, round_key(g, 0));
    for (unsigned r = 1; r < nr; r++) {
        b = _mm_aesenc_si128(b, round_key(g, r));
    }
    return _mm_aesenclast_si128(b, round_key(g, nr));
}

/* The next eight counter blocks after *ctr (byte-reversed, counter in lane 0), whitened with
 * round key 0; *ctr advances by eight. */
static inline void next_counters(const pl_gcm_key *g, __m128i *ctr, __m128i s[GROUP])
{
    const __m128i one = _mm_set_epi32(0, 0, 0, 1);
    __m128i k0 = round_key(g, 0);
    UNROLL
    for (size_t i = 0; i < GROUP; i++) {
        *ctr = _mm_add_epi32(*ctr, one);
        s[i] = _mm_xor_si128(bswap(*ctr), k0);
    }
}

static inline void aes_round(__m128i s[GROUP], __m128i k)
{
    UNROLL
    for (size_t i = 0; i < GROUP; i++) {
        s[i] = _mm_aesenc_si128(s[i], k);
    }
}

/* One group: out = in XOR E_K(next eight counters). When hashed is not NULL, the eight blocks
 * there are folded into *y meanwhile, one block per AES round (rounds 1..8 exist for every key
 * size, which has at least ten). hashed may be in (open, in place or not): all of it is read
 * before out is written. */
static inline __attribute__((always_inline)) void
crypt_group(const pl_gcm_key *g, __m128i *ctr, __m128i *y, const uint8_t *hashed,
            const uint8_t *in, uint8_t *out)
{
    unsigned nr = g->aes.rounds;
    __m128i s[GROUP];
    struct acc a = acc_zero();
    next_counters(g, ctr, s);
    UNROLL
    for (size_t i = 0; i < GROUP; i++) {
        aes_round(s, round_key(g, (unsigned)i + 1));
        if (hashed != NULL) {
            __m128i x = bswap(load(hashed + 16 * i));
            if (i == 0) {
                x = _mm_xor_si128(x, *y);
            }
            mul_acc(&a, x, power(&g->ghash, PL_GHASH_POWERS - GROUP + i));
        }
    }
    for (unsigned r = GROUP + 1; r < nr; r++) {
        aes_round(s, round_key(g, r));
    }
    if (hashed != NULL) {
        *y = reduce(a);
    }
    UNROLL
    for (size_t i = 0; i < GROUP; i++) {
        __m128i ks = _mm_aesenclast_si128(s[i], round_key(g, nr));
        store(out + 16 * i, _mm_xor_si128(load(in + 16 * i), ks));
    }
}

/* The last len % 128 bytes (rest, 1..127): out = in XOR the key stream, through a buffer for the
 * partial block. */
static void crypt_tail(const pl_gcm_key *g, __m128i *ctr, const uint8_t *in,
                                  uint8_t *out, size_t rest)
{
    static const uint8_t zeros[16 * GROUP] = {0};
    uint8_t ks[16 * GROUP], buf[16] = {0};
    size_t full = rest / 16, part = rest % 16;
    crypt_group(g, ctr, NULL, NULL, zeros, ks);
    for (size_t i = 0; i < full; i++) {
        store(out + 16 * i, _mm_xor_si128(load(in + 16 * i), load(ks + 16 * i)));
    }
    if (part > 0) {
        memcpy(buf, in + 16 * full, part);
        store(buf, _mm_xor_si128(load(buf), load(ks + 16 * full)));
        memcpy(out + 16 * full, buf, part);
    }
    pl_wipe(ks, sizeof ks);
    pl_wipe(buf, sizeof buf);
}

/* §7.1 steps 5-6: the lengths block, then T = E_K(J0) XOR S. */
static void finish(const pl_gcm_key *g, __m128i y, __m128i ek_j0, size_t aad_len, size_t len,
                   uint8_t tag[PL_GCM_BLOCK_LEN])
{
    /* [len(A)]_64 || [len(C)]_64 read as a big-endian integer is already reflected. */
    __m128i lengths = _mm_set_epi64x((long long)((uint64_t)aad_len * 8),
                                     (long long)((uint64_t)len * 8));
    struct acc a = acc_zero();
    mul_acc(&a, _mm_xor_si128(y, lengths), power(&g->ghash, PL_GHASH_POWERS - 1));
    y = reduce(a);
    store(tag, _mm_xor_si128(ek_j0, bswap(y)));
}

void pl_gcm_seal_clmul(const pl_gcm_key *g, const uint8_t j0[PL_GCM_BLOCK_LEN],
                                  const uint8_t *aad, size_t aad_len, const uint8_t *in,
                                  uint8_t *out, size_t len, uint8_t tag[PL_GCM_BLOCK_LEN])
{
    __m128i ctr = bswap(load(j0));
    __m128i ek_j0 = encrypt_block(g, load(j0));
    __m128i y = ghash_bytes(&g->ghash, _mm_setzero_si128(), aad, aad_len);
    size_t groups = len / (16 * GROUP), rest = len % (16 * GROUP);

    /* Group i is encrypted while group i - 1, already ciphertext in out, is hashed. */
    for (size_t i = 0; i < groups; i++) {
        const uint8_t *prev = i > 0 ? out + 16 * GROUP * (i - 1) : NULL;
        crypt_group(g, &ctr, &y, prev, in + 16 * GROUP * i, out + 16 * GROUP * i);
    }
    if (groups > 0) {
        y = ghash_group(&g->ghash, y, out + 16 * GROUP * (groups - 1), GROUP);
    }
    if (rest > 0) {
        crypt_tail(g, &ctr, in + 16 * GROUP * groups, out + 16 * GROUP * groups, rest);
        y = ghash_bytes(&g->ghash, y, out + 16 * GROUP * groups, rest);
    }
    finish(g, y, ek_j0, aad_len, len, tag);
}

void pl_gcm_open_clmul(const pl_gcm_key *g, const uint8_t j0[PL_GCM_BLOCK_LEN],
                                  const uint8_t *aad, size_t aad_len, const uint8_t *in,
                                  uint8_t *out, size_t len, uint8_t tag[PL_GCM_BLOCK_LEN])
{
    __m128i ctr = bswap(load(j0));
    __m128i ek_j0 = encrypt_block(g, load(j0));
    __m128i y = ghash_bytes(&g->ghash, _mm_setzero_si128(), aad, aad_len);
    size_t groups = len / (16 * GROUP), rest = len % (16 * GROUP);

    /* The ciphertext is at hand: each group is hashed while it is decrypted. */
    for (size_t i = 0; i < groups; i++) {
        const uint8_t *c = in + 16 * GROUP * i;
        crypt_group(g, &ctr, &y, c, c, out + 16 * GROUP * i);
    }
    if (rest > 0) {
        y = ghash_bytes(&g->ghash, y, in + 16 * GROUP * groups, rest);
        crypt_tail(g, &ctr, in + 16 * GROUP * groups, out + 16 * GROUP * groups, rest);
    }
    finish(g, y, ek_j0, aad_len, len, tag);
}
