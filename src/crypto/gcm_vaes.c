/* GCM (NIST SP 800-38D) with VAES and VPCLMULQDQ on 512-bit registers (AVX-512): four blocks
 * per register, groups of sixteen blocks. As in gcm_clmul.c, the AES-CTR encryption of one group
 * is interleaved with the GHASH of sixteen ciphertext blocks (the previous group when sealing,
 * the same group when opening), and each group of products is reduced once.
 *
 * The arithmetic is gcm_clmul.c's (read its header comment), done in four 128-bit lanes at once:
 * VPCLMULQDQ and VAESENC work on each lane separately. A group X_1..X_16 is loaded as four
 * registers, X_1..X_4 in the first (X_1 in lane 0), and multiplied lane by lane by the key's
 * powers pow[0..15] = H^16..H^1 (times x^-1), so that (Y ^ X_1) H^16 + ... + X_16 H is summed
 * unreduced in each lane. The four lanes are reduced together and then XORed into one: the
 * reduction is linear, so the sum of the reduced lanes is the reduced sum.
 *
 * Partial groups (the tail of the data, the AAD, an odd IV) are read and written with byte masks
 * (AVX-512BW), which also supply the zero padding of §7.1 step 5, and multiplied by the powers
 * H^n..H^1 for their n blocks; masked-off lanes hold zeros and contribute nothing.
 *
 * Compiled with -mavx512f -mavx512vl -mavx512bw -mavx512dq -mavx2 -maes -mpclmul -mvaes
 * -mvpclmulqdq; called only when pl_gcm_vaes_usable(). The instructions used take the same time
 * whatever their operands; only lengths steer branches and masks. */
#include <immintrin.h>

#include "crypto/gcm.h"

#define LANES 4                 /* blocks per register */
#define GROUP 16                /* blocks per group */
#define REGS (GROUP / LANES)    /* registers per group */
#define GROUP_BYTES (16 * GROUP)
/* The loops over the registers of a group are unrolled so that they live in registers, which
 * gcc does not do by itself at -O2. */
#define UNROLL _Pragma("GCC unroll 4")

/* ---- GHASH --------------------------------------------------------------------------------- */

static inline __m128i bswap1(__m128i x)
{
    return _mm_shuffle_epi8(x, _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}

/* Byte-reverse each 128-bit lane (VPSHUFB shuffles within lanes). */
static inline __m512i bswap4(__m512i x)
{
    const __m512i rev = _mm512_broadcast_i32x4(
        _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    return _mm512_shuffle_epi8(x, rev);
}

static inline __m128i load1(const uint8_t *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

static inline __m512i load4(const uint8_t *p)
{
    return _mm512_loadu_si512((const void *)p);
}

static inline void store4(uint8_t *p, __m512i x)
{
    _mm512_storeu_si512((void *)p, x);
}

static inline __m512i xor3(__m512i a, __m512i b, __m512i c)
{
    return _mm512_ternarylogic_epi64(a, b, c, 0x96); /* a ^ b ^ c */
}

/* The first n bytes of a 64-byte chunk (all of it for n >= 64). */
static inline __mmask64 byte_mask(size_t n)
{
    return n >= 64 ? ~(__mmask64)0 : (((__mmask64)1) << n) - 1;
}

/* Lane-wise unreduced sums of 256-bit products. */
struct acc {
    __m512i lo, mid, hi;
};

static inline struct acc acc_zero(void)
{
    struct acc a = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512()};
    return a;
}

static inline void mul_acc(struct acc *a, __m512i x, __m512i p)
{
    a->lo = _mm512_xor_si512(a->lo, _mm512_clmulepi64_epi128(x, p, 0x00));
    a->hi = _mm512_xor_si512(a->hi, _mm512_clmulepi64_epi128(x, p, 0x11));
    a->mid = xor3(a->mid, _mm512_clmulepi64_epi128(x, p, 0x01),
                  _mm512_clmulepi64_epi128(x, p, 0x10));
}

/* Reduce each lane (gcm_clmul.c's reduce, four times over), then XOR the lanes together. */
static inline __m128i fold(struct acc a)
{
    const __m512i c = _mm512_set1_epi64((long long)0xc200000000000000ull);
    __m512i hi = _mm512_xor_si512(a.hi, _mm512_bsrli_epi128(a.mid, 8));
    __m512i lo = _mm512_xor_si512(a.lo, _mm512_bslli_epi128(a.mid, 8));
    __m512i q = _mm512_clmulepi64_epi128(lo, c, 0x00);
    __m512i t = _mm512_xor_si512(lo, _mm512_shuffle_epi32(q, _MM_PERM_BADC));
    __m512i r = xor3(hi, t, _mm512_clmulepi64_epi128(t, c, 0x01));
    __m256i h = _mm256_xor_si256(_mm512_castsi512_si256(r), _mm512_extracti64x4_epi64(r, 1));
    return _mm_xor_si128(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
}

/* y continued over one whole group of sixteen blocks, given as four raw registers. */
static inline __m128i ghash_group(const pl_ghash_key *k, __m128i y, const __m512i x[REGS])
{
    struct acc a = acc_zero();
    UNROLL
    for (size_t i = 0; i < REGS; i++) {
        __m512i b = bswap4(x[i]);
        if (i == 0) {
            b = _mm512_xor_si512(b, _mm512_zextsi128_si512(y));
        }
        mul_acc(&a, b, load4(k->pow[LANES * i]));
    }
    return fold(a);
}

/* y continued over nbytes (1..256) held in ceil(nbytes / 64) raw registers, zero beyond nbytes:
 * n = ceil(nbytes / 16) blocks, block i multiplied by H^(n - i). The powers are loaded with a
 * mask so that lanes past block n read nothing (and are zero). */
static inline __m128i ghash_chunks(const pl_ghash_key *k, __m128i y, const __m512i *x,
                                   size_t nbytes)
{
    size_t n = (nbytes + 15) / 16, first = PL_GHASH_POWERS - n;
    struct acc a = acc_zero();
    for (size_t i = 0; LANES * i < n; i++) {
        size_t lanes = n - LANES * i < LANES ? n - LANES * i : LANES;
        __mmask8 m = (__mmask8)((1u << (2 * lanes)) - 1); /* two 64-bit elements per lane */
        __m512i p = _mm512_maskz_loadu_epi64(m, k->pow[first + LANES * i]);
        __m512i b = bswap4(x[i]);
        if (i == 0) {
            b = _mm512_xor_si512(b, _mm512_zextsi128_si512(y));
        }
        mul_acc(&a, b, p);
    }
    return fold(a);
}

/* y continued over nbytes (1..256) at in, the last partial block padded with zeros. */
static __m128i ghash_partial(const pl_ghash_key *k, __m128i y, const uint8_t *in, size_t nbytes)
{
    __m512i x[REGS];
    for (size_t i = 0; 64 * i < nbytes; i++) {
        x[i] = _mm512_maskz_loadu_epi8(byte_mask(nbytes - 64 * i), in + 64 * i);
    }
    return ghash_chunks(k, y, x, nbytes);
}

/* y continued over len bytes, the last partial block padded with zeros (§7.1 step 5). */
static __m128i ghash_bytes(const pl_ghash_key *k, __m128i y, const uint8_t *in, size_t len)
{
    for (; len >= GROUP_BYTES; len -= GROUP_BYTES, in += GROUP_BYTES) {
        __m512i x[REGS];
        UNROLL
        for (size_t i = 0; i < REGS; i++) {
            x[i] = load4(in + 64 * i);
        }
        y = ghash_group(k, y, x);
    }
    if (len > 0) {
        y = ghash_partial(k, y, in, len);
    }
    return y;
}

void pl_ghash_vaes(const pl_ghash_key *k, uint8_t y[PL_GCM_BLOCK_LEN], const uint8_t *in,
                   size_t nblocks)
{
    __m128i acc = bswap1(load1(y));
    if (nblocks > 0) {
        acc = ghash_bytes(k, acc, in, 16 * nblocks);
    }
    _mm_storeu_si128((__m128i *)(void *)y, bswap1(acc));
}

/* ---- AES-CTR with GHASH -------------------------------------------------------------------- */

/* The round keys, each broadcast to the four lanes. */
struct round_keys {
    __m512i k[PL_AES_MAX_ROUNDS + 1];
    unsigned nr;
};

static void load_round_keys(const pl_gcm_key *g, struct round_keys *rk)
{
    rk->nr = g->aes.rounds;
    for (unsigned r = 0; r <= rk->nr; r++) {
        rk->k[r] = _mm512_broadcast_i32x4(load1(g->aes.rk[r]));
    }
}

/* E_K(block) (FIPS-197 §5.1) on one block. */
static __m128i encrypt_block(const pl_gcm_key *g, __m128i b)
{
    unsigned nr = g->aes.rounds;
    b = _mm_xor_si128(b, load1(g->aes.rk[0]));
    for (unsigned r = 1; r < nr; r++) {
        b = _mm_aesenc_si128(b, load1(g->aes.rk[r]));
    }
    return _mm_aesenclast_si128(b, load1(g->aes.rk[nr]));
}

/* The counter blocks of the next n registers (n <= 4), whitened with round key 0. *ctr holds
 * the next four counters, byte-reversed (each lane's counter in its 32-bit element 0), and
 * advances by 4n. */
static inline void next_counters(const struct round_keys *rk, __m512i *ctr, __m512i s[REGS],
                                 size_t n)
{
    const __m512i four = _mm512_set_epi32(0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4);
    UNROLL
    for (size_t i = 0; i < n; i++) {
        s[i] = _mm512_xor_si512(bswap4(*ctr), rk->k[0]);
        *ctr = _mm512_add_epi32(*ctr, four);
    }
}

static inline void aes_round(__m512i s[REGS], __m512i k, size_t n)
{
    UNROLL
    for (size_t i = 0; i < n; i++) {
        s[i] = _mm512_aesenc_epi128(s[i], k);
    }
}

/* One group: out = in XOR E_K(next sixteen counters). When hashed is not NULL, the sixteen
 * blocks there are folded into *y meanwhile, one register per AES round (rounds 1..4). hashed may
 * be in (open): all of it is read before out is written. */
static inline __attribute__((always_inline)) void
crypt_group(const pl_gcm_key *g, const struct round_keys *rk, __m512i *ctr, __m128i *y,
            const uint8_t *hashed, const uint8_t *in, uint8_t *out)
{
    __m512i s[REGS];
    struct acc a = acc_zero();
    next_counters(rk, ctr, s, REGS);
    UNROLL
    for (size_t i = 0; i < REGS; i++) {
        aes_round(s, rk->k[i + 1], REGS);
        if (hashed != NULL) {
            __m512i b = bswap4(load4(hashed + 64 * i));
            if (i == 0) {
                b = _mm512_xor_si512(b, _mm512_zextsi128_si512(*y));
            }
            mul_acc(&a, b, load4(g->ghash.pow[LANES * i]));
        }
    }
    for (unsigned r = REGS + 1; r < rk->nr; r++) {
        aes_round(s, rk->k[r], REGS);
    }
    if (hashed != NULL) {
        *y = fold(a);
    }
    UNROLL
    for (size_t i = 0; i < REGS; i++) {
        __m512i ks = _mm512_aesenclast_epi128(s[i], rk->k[rk->nr]);
        store4(out + 64 * i, _mm512_xor_si512(load4(in + 64 * i), ks));
    }
}

/* The key stream for the last rest bytes (1..255): ceil(rest / 64) registers. */
static void tail_key_stream(const struct round_keys *rk, __m512i *ctr, __m512i s[REGS],
                            size_t rest)
{
    size_t n = (rest + 63) / 64;
    next_counters(rk, ctr, s, n);
    for (unsigned r = 1; r < rk->nr; r++) {
        aes_round(s, rk->k[r], n);
    }
    UNROLL
    for (size_t i = 0; i < n; i++) {
        s[i] = _mm512_aesenclast_epi128(s[i], rk->k[rk->nr]);
    }
}

/* The counters inc32(J0) + 0..3, byte-reversed, one per lane. */
static __m512i first_counters(const uint8_t j0[PL_GCM_BLOCK_LEN])
{
    const __m512i steps = _mm512_set_epi32(0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 1);
    return _mm512_add_epi32(_mm512_broadcast_i32x4(bswap1(load1(j0))), steps);
}

/* §7.1 steps 5-6: the lengths block, then T = E_K(J0) XOR S. One block: xmm arithmetic. */
static void finish(const pl_gcm_key *g, __m128i y, __m128i ek_j0, size_t aad_len, size_t len,
                   uint8_t tag[PL_GCM_BLOCK_LEN])
{
    const __m128i c = _mm_set_epi64x(0, (long long)0xc200000000000000ull);
    __m128i lengths = _mm_set_epi64x((long long)((uint64_t)aad_len * 8),
                                     (long long)((uint64_t)len * 8));
    __m128i x = _mm_xor_si128(y, lengths), p = load1(g->ghash.pow[PL_GHASH_POWERS - 1]);
    __m128i lo = _mm_clmulepi64_si128(x, p, 0x00), hi = _mm_clmulepi64_si128(x, p, 0x11);
    __m128i mid = _mm_xor_si128(_mm_clmulepi64_si128(x, p, 0x01), _mm_clmulepi64_si128(x, p, 0x10));
    __m128i q, t;
    hi = _mm_xor_si128(hi, _mm_srli_si128(mid, 8));
    lo = _mm_xor_si128(lo, _mm_slli_si128(mid, 8));
    q = _mm_clmulepi64_si128(lo, c, 0x00);
    t = _mm_xor_si128(lo, _mm_shuffle_epi32(q, 0x4e));
    y = _mm_xor_si128(_mm_xor_si128(hi, t), _mm_clmulepi64_si128(t, c, 0x01));
    _mm_storeu_si128((__m128i *)(void *)tag, _mm_xor_si128(ek_j0, bswap1(y)));
}

void pl_gcm_seal_vaes(const pl_gcm_key *g, const uint8_t j0[PL_GCM_BLOCK_LEN], const uint8_t *aad,
                      size_t aad_len, const uint8_t *in, uint8_t *out, size_t len,
                      uint8_t tag[PL_GCM_BLOCK_LEN])
{
    struct round_keys rk;
    __m512i ctr = first_counters(j0);
    __m128i ek_j0 = encrypt_block(g, load1(j0));
    __m128i y = ghash_bytes(&g->ghash, _mm_setzero_si128(), aad, aad_len);
    size_t groups = len / GROUP_BYTES, rest = len % GROUP_BYTES;

    load_round_keys(g, &rk);
    /* Group i is encrypted while group i - 1, already ciphertext in out, is hashed. */
    for (size_t i = 0; i < groups; i++) {
        const uint8_t *prev = i > 0 ? out + GROUP_BYTES * (i - 1) : NULL;
        crypt_group(g, &rk, &ctr, &y, prev, in + GROUP_BYTES * i, out + GROUP_BYTES * i);
    }
    if (groups > 0) {
        y = ghash_bytes(&g->ghash, y, out + GROUP_BYTES * (groups - 1), GROUP_BYTES);
    }
    if (rest > 0) {
        __m512i ks[REGS], c[REGS];
        in += GROUP_BYTES * groups;
        out += GROUP_BYTES * groups;
        tail_key_stream(&rk, &ctr, ks, rest);
        for (size_t i = 0; 64 * i < rest; i++) {
            __mmask64 m = byte_mask(rest - 64 * i);
            __m512i p = _mm512_maskz_loadu_epi8(m, in + 64 * i);
            c[i] = _mm512_maskz_mov_epi8(m, _mm512_xor_si512(p, ks[i])); /* zero-padded */
            _mm512_mask_storeu_epi8(out + 64 * i, m, c[i]);
        }
        y = ghash_chunks(&g->ghash, y, c, rest);
    }
    finish(g, y, ek_j0, aad_len, len, tag);
    pl_wipe(&rk, sizeof rk);
}

void pl_gcm_open_vaes(const pl_gcm_key *g, const uint8_t j0[PL_GCM_BLOCK_LEN], const uint8_t *aad,
                      size_t aad_len, const uint8_t *in, uint8_t *out, size_t len,
                      uint8_t tag[PL_GCM_BLOCK_LEN])
{
    struct round_keys rk;
    __m512i ctr = first_counters(j0);
    __m128i ek_j0 = encrypt_block(g, load1(j0));
    __m128i y = ghash_bytes(&g->ghash, _mm_setzero_si128(), aad, aad_len);
    size_t groups = len / GROUP_BYTES, rest = len % GROUP_BYTES;

    load_round_keys(g, &rk);
    /* The ciphertext is at hand: each group is hashed while it is decrypted. */
    for (size_t i = 0; i < groups; i++) {
        const uint8_t *c = in + GROUP_BYTES * i;
        crypt_group(g, &rk, &ctr, &y, c, c, out + GROUP_BYTES * i);
    }
    if (rest > 0) {
        __m512i ks[REGS], c[REGS];
        in += GROUP_BYTES * groups;
        out += GROUP_BYTES * groups;
        for (size_t i = 0; 64 * i < rest; i++) {
            c[i] = _mm512_maskz_loadu_epi8(byte_mask(rest - 64 * i), in + 64 * i);
        }
        y = ghash_chunks(&g->ghash, y, c, rest);
        tail_key_stream(&rk, &ctr, ks, rest);
        for (size_t i = 0; 64 * i < rest; i++) {
            _mm512_mask_storeu_epi8(out + 64 * i, byte_mask(rest - 64 * i),
                                    _mm512_xor_si512(c[i], ks[i]));
        }
    }
    finish(g, y, ek_j0, aad_len, len, tag);
    pl_wipe(&rk, sizeof rk);
}
