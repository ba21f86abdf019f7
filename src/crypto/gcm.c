/* GCM (NIST SP 800-38D) over AES: the portable GHASH, the composition shared by every
 * implementation (argument checks, J0, tag truncation and comparison), the portable whole-message
 * functions, and the AES-GCM AEAD classes.
 *
 * The accelerated whole-message functions live in gcm_clmul.c and gcm_vaes.c; this file picks
 * among them through a table indexed by the key's impl field. See gcm.h for the contracts.
 *
 * This file does not implement AES (aes.c does) nor any GHASH table lookup: the portable
 * multiplication below uses no memory access whose address depends on data or on H. */
#include <stdalign.h>

#include "base/cpu.h"
#include "base/ct.h"
#include "base/endian.h"
#include "crypto/gcm.h"

_Static_assert(sizeof(pl_gcm_key) <= PL_AEAD_CTX_MAX, "pl_gcm_key must fit in pl_aead_ctx");
_Static_assert(alignof(pl_gcm_key) <= alignof(pl_aead_ctx), "pl_aead_ctx is not aligned enough");

/* ---- portable GHASH ------------------------------------------------------------------------ */

/* The four-way loops below are unrolled so that their arrays live in registers, which gcc does
 * not do by itself at -O2. */
#define UNROLL _Pragma("GCC unroll 4")

/* Carry-less product of two 32-bit polynomials (bit i the coefficient of t^i), with integer
 * multiplications "with holes".
 *
 * Split x into four parts x_0..x_3, x_i keeping the bits whose index is i mod 4 (eight bits
 * each, the others zero), and y likewise. The integer product x_i * y_j is a sum of terms
 * 2^(a+b), one for each pair of set bits a of x_i and b of y_j, and every a + b is i + j mod 4.
 * At a position p there are at most eight such pairs (one per bit of x_i), so the count of terms
 * landing on p is below 16 and fits in bits p..p+3; it cannot carry into p+4, the next position
 * of the same residue. Bit p of x_i * y_j is therefore the parity of that count, which is
 * exactly the coefficient of t^p in the carry-less product of x_i and y_j; the bits at positions
 * of the other residues are carry garbage. XORing the four products whose i + j share a residue
 * r and keeping only the positions of residue r gives that residue's coefficients of x * y.
 *
 * Every multiplication runs whatever the operands, and nothing is indexed by them, so the time
 * depends on nothing secret as long as the multiplier itself is constant-time (see gcm.h). The
 * operands are below 2^32, so each product fits in 64 bits exactly. */
static inline uint64_t clmul32(uint32_t x, uint32_t y)
{
    static const uint32_t part[4] = {0x11111111u, 0x22222222u, 0x44444444u, 0x88888888u};
    static const uint64_t keep = 0x1111111111111111u;
    uint64_t xs[4], ys[4], z[4] = {0, 0, 0, 0}, r = 0;
    UNROLL
    for (unsigned i = 0; i < 4; i++) {
        xs[i] = x & part[i];
        ys[i] = y & part[i];
    }
    UNROLL
    for (unsigned i = 0; i < 4; i++) {
        UNROLL
        for (unsigned j = 0; j < 4; j++) {
            z[(i + j) & 3] ^= xs[i] * ys[j]; /* the index depends on the loop counters only */
        }
    }
    UNROLL
    for (unsigned k = 0; k < 4; k++) {
        r |= z[k] & (keep << k);
    }
    return r;
}

/* 64 x 64 -> 128-bit carry-less product by Karatsuba over 32-bit halves: with a = a1 t^32 + a0,
 * a * b = a1 b1 t^64 + ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1) t^32 + a0 b0, where + and - are
 * both XOR in characteristic 2, so no term grows past 32 bits before clmul32. */
static inline void clmul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    uint32_t a0 = (uint32_t)a, a1 = (uint32_t)(a >> 32);
    uint32_t b0 = (uint32_t)b, b1 = (uint32_t)(b >> 32);
    uint64_t l = clmul32(a0, b0);
    uint64_t h = clmul32(a1, b1);
    uint64_t m = clmul32(a0 ^ a1, b0 ^ b1) ^ l ^ h;
    *hi = h ^ (m >> 32);
    *lo = l ^ (m << 32);
}

/* r = a * b in GF(2^128) with P = x^128 + x^7 + x^2 + x + 1 (SP 800-38D §6.3), all three in the
 * reflected order of gcm.h: word [0] is the high half, and integer bit 127 - i is the coefficient
 * of x^i. r may alias a or b.
 *
 * The carry-less product of two reflected integers has the coefficient of x^k at bit 254 - k.
 * Shifted left by one, x^k sits at bit 255 - k: the high 128 bits are then x^0..x^127 in the
 * reflected order, and the low 128 bits L hold x^128..x^255, bit 127 - j being x^(128 + j).
 *
 * Reduction: x^(128 + j) = x^j (x^7 + x^2 + x + 1) mod P, and in the reflected order multiplying
 * by x^e is a right shift by e. So L contributes L ^ L>>1 ^ L>>2 ^ L>>7, except for the bits the
 * shifts push out at the bottom: those are x^128..x^134 again, D = L<<127 ^ L<<126 ^ L<<121
 * (shifts within 128 bits), and D folds the same way without spilling (its degrees are below 7,
 * and 6 + 7 < 128). With T = L ^ D the result is high ^ T ^ T>>1 ^ T>>2 ^ T>>7. D has bits only
 * in its high word, taken from the low word of L. */
static void gf_mul(uint64_t r[2], const uint64_t a[2], const uint64_t b[2])
{
    uint64_t lh, ll, hh, hl, mh, ml, p0, p1, p2, p3, t0, t1;

    clmul64(a[1], b[1], &lh, &ll);
    clmul64(a[0], b[0], &hh, &hl);
    clmul64(a[0] ^ a[1], b[0] ^ b[1], &mh, &ml);
    mh ^= lh ^ hh;
    ml ^= ll ^ hl;
    p0 = ll;
    p1 = lh ^ ml;
    p2 = hl ^ mh;
    p3 = hh;

    p3 = p3 << 1 | p2 >> 63;
    p2 = p2 << 1 | p1 >> 63;
    p1 = p1 << 1 | p0 >> 63;
    p0 = p0 << 1;

    t1 = p1 ^ (p0 << 63) ^ (p0 << 62) ^ (p0 << 57);
    t0 = p0;
    r[0] = p3 ^ t1 ^ (t1 >> 1) ^ (t1 >> 2) ^ (t1 >> 7);
    r[1] = p2 ^ t0 ^ (t0 >> 1 | t1 << 63) ^ (t0 >> 2 | t1 << 62) ^ (t0 >> 7 | t1 << 57);
}

void pl_ghash_portable(const pl_ghash_key *k, uint8_t y[PL_GCM_BLOCK_LEN], const uint8_t *in,
                       size_t nblocks)
{
    uint64_t acc[2];
    acc[0] = pl_load_be64(y);
    acc[1] = pl_load_be64(y + 8);
    for (size_t i = 0; i < nblocks; i++) {
        acc[0] ^= pl_load_be64(in + 16 * i);
        acc[1] ^= pl_load_be64(in + 16 * i + 8);
        gf_mul(acc, acc, k->h);
    }
    pl_store_be64(y, acc[0]);
    pl_store_be64(y + 8, acc[1]);
}

void pl_ghash_init(pl_ghash_key *k, const uint8_t h[PL_GCM_BLOCK_LEN])
{
    /* x^-1 = x^127 + x^6 + x + 1 mod P (x times it is x^128 + x^7 + x^2 + x = 1), reflected:
     * bits 127, 126, 121 and 0. */
    static const uint64_t x_inv[2] = {0xc200000000000000u, 1};
    uint64_t p[2];

    k->h[0] = pl_load_be64(h);
    k->h[1] = pl_load_be64(h + 8);
    p[0] = k->h[0];
    p[1] = k->h[1];
    for (unsigned i = 1; i <= PL_GHASH_POWERS; i++) {
        /* p = H^i. Dividing by x: x^m becomes x^(m-1), a left shift in the reflected order;
         * the x^0 term (bit 127) becomes x^-1, added under a mask. */
        uint64_t m = pl_ct_mask64((uint32_t)(p[0] >> 63));
        uint64_t hi = (p[0] << 1 | p[1] >> 63) ^ (m & x_inv[0]);
        uint64_t lo = (p[1] << 1) ^ (m & x_inv[1]);
        pl_store_le64(k->pow[PL_GHASH_POWERS - i], lo);
        pl_store_le64(k->pow[PL_GHASH_POWERS - i] + 8, hi);
        gf_mul(p, p, k->h);
    }
    pl_wipe(p, sizeof p);
}

/* ---- the portable whole-message functions -------------------------------------------------- */

typedef void (*ghash_fn)(const pl_ghash_key *k, uint8_t y[PL_GCM_BLOCK_LEN], const uint8_t *in,
                         size_t nblocks);

/* GHASH continued over len bytes, the last partial block padded with zeros: the 0^v and 0^u of
 * SP 800-38D §7.1 step 5 (and the 0^s of step 2). */
static void ghash_padded(ghash_fn ghash, const pl_ghash_key *k, uint8_t y[PL_GCM_BLOCK_LEN],
                         const uint8_t *in, size_t len)
{
    size_t full = len / PL_GCM_BLOCK_LEN, rest = len % PL_GCM_BLOCK_LEN;
    if (full > 0) {
        ghash(k, y, in, full);
    }
    if (rest > 0) {
        uint8_t last[PL_GCM_BLOCK_LEN] = {0};
        memcpy(last, in + full * PL_GCM_BLOCK_LEN, rest);
        ghash(k, y, last, 1);
        pl_wipe(last, sizeof last);
    }
}

/* §7.1 steps 5 and 6: S over the lengths block [len(A)]_64 || [len(C)]_64 (in bits), then
 * T = GCTR_K(J0, S) = E_K(J0) XOR S. The byte counts are below 2^61, so the bit counts fit. */
static void finish_portable(const pl_gcm_key *g, const uint8_t j0[PL_GCM_BLOCK_LEN],
                           size_t aad_len, size_t len, uint8_t y[PL_GCM_BLOCK_LEN],
                           uint8_t tag[PL_GCM_BLOCK_LEN])
{
    uint8_t lengths[PL_GCM_BLOCK_LEN];
    pl_store_be64(lengths, (uint64_t)aad_len * 8);
    pl_store_be64(lengths + 8, (uint64_t)len * 8);
    pl_ghash_portable(&g->ghash, y, lengths, 1);
    pl_aes_encrypt_blocks_portable(&g->aes, j0, tag, 1);
    for (size_t i = 0; i < PL_GCM_BLOCK_LEN; i++) {
        tag[i] ^= y[i];
    }
}

/* inc32(J0) (§6.2), the first counter block for the data (§7.1 step 4). */
static void first_counter(const uint8_t j0[PL_GCM_BLOCK_LEN], uint8_t ctr[PL_GCM_BLOCK_LEN])
{
    memcpy(ctr, j0, PL_GCM_BLOCK_LEN);
    pl_store_be32(ctr + 12, pl_load_be32(j0 + 12) + 1);
}

/* §7.1 steps 3-6 with J0 given: encrypt, then hash the ciphertext. */
static void seal_portable(const pl_gcm_key *g, const uint8_t j0[PL_GCM_BLOCK_LEN],
                          const uint8_t *aad, size_t aad_len, const uint8_t *in, uint8_t *out,
                          size_t len, uint8_t tag[PL_GCM_BLOCK_LEN])
{
    uint8_t ctr[PL_GCM_BLOCK_LEN], y[PL_GCM_BLOCK_LEN] = {0};
    ghash_padded(pl_ghash_portable, &g->ghash, y, aad, aad_len);
    first_counter(j0, ctr);
    if (len > 0) {
        pl_aes_ctr32_portable(&g->aes, ctr, in, out, len);
        ghash_padded(pl_ghash_portable, &g->ghash, y, out, len);
    }
    finish_portable(g, j0, aad_len, len, y, tag);
    pl_wipe(y, sizeof y);
}

/* §7.2 steps 3-8 with J0 given, up to the comparison: hash the ciphertext before decrypting it,
 * since out may be in. */
static void open_portable(const pl_gcm_key *g, const uint8_t j0[PL_GCM_BLOCK_LEN],
                          const uint8_t *aad, size_t aad_len, const uint8_t *in, uint8_t *out,
                          size_t len, uint8_t tag[PL_GCM_BLOCK_LEN])
{
    uint8_t ctr[PL_GCM_BLOCK_LEN], y[PL_GCM_BLOCK_LEN] = {0};
    ghash_padded(pl_ghash_portable, &g->ghash, y, aad, aad_len);
    first_counter(j0, ctr);
    if (len > 0) {
        ghash_padded(pl_ghash_portable, &g->ghash, y, in, len);
        pl_aes_ctr32_portable(&g->aes, ctr, in, out, len);
    }
    finish_portable(g, j0, aad_len, len, y, tag);
    pl_wipe(y, sizeof y);
}

/* ---- choosing an implementation ------------------------------------------------------------ */

typedef void (*whole_fn)(const pl_gcm_key *g, const uint8_t j0[PL_GCM_BLOCK_LEN],
                         const uint8_t *aad, size_t aad_len, const uint8_t *in, uint8_t *out,
                         size_t len, uint8_t tag[PL_GCM_BLOCK_LEN]);

static const struct gcm_impl {
    ghash_fn ghash;
    whole_fn seal;
    whole_fn open;
} impls[] = {
    [PL_GCM_PORTABLE] = {pl_ghash_portable, seal_portable, open_portable},
    [PL_GCM_CLMUL] = {pl_ghash_clmul, pl_gcm_seal_clmul, pl_gcm_open_clmul},
    [PL_GCM_VAES] = {pl_ghash_vaes, pl_gcm_seal_vaes, pl_gcm_open_vaes},
};

#define CLMUL_NEEDS (PL_CPU_AESNI | PL_CPU_PCLMUL | PL_CPU_SSSE3 | PL_CPU_SSE41)
#define VAES_NEEDS (CLMUL_NEEDS | PL_CPU_AVX2 | PL_CPU_AVX512 | PL_CPU_VAES)

int pl_gcm_clmul_usable(void)
{
    return (pl_cpu_features() & CLMUL_NEEDS) == CLMUL_NEEDS;
}

int pl_gcm_vaes_usable(void)
{
    return (pl_cpu_features() & VAES_NEEDS) == VAES_NEEDS;
}

static enum pl_gcm_impl best_impl(void)
{
    if (pl_gcm_vaes_usable()) {
        return PL_GCM_VAES;
    }
    if (pl_gcm_clmul_usable()) {
        return PL_GCM_CLMUL;
    }
    return PL_GCM_PORTABLE;
}

/* ---- the low-level API --------------------------------------------------------------------- */

PL_MUST_CHECK static int init_impl(pl_gcm_key *g, const uint8_t *key, size_t key_len,
                                   enum pl_gcm_impl impl)
{
    uint8_t h[PL_GCM_BLOCK_LEN] = {0};
    int rc = pl_aes_init(&g->aes, key, key_len);
    if (rc < 0) {
        pl_wipe(g, sizeof *g);
        return rc;
    }
    /* §6.4 / §7.1 step 1: H = CIPH_K(0^128). */
    pl_aes_encrypt_blocks(&g->aes, h, h, 1);
    pl_ghash_init(&g->ghash, h);
    pl_wipe(h, sizeof h);
    g->impl = impl;
    return 0;
}

int pl_gcm_init(pl_gcm_key *g, const uint8_t *key, size_t key_len)
{
    return init_impl(g, key, key_len, best_impl());
}

void pl_gcm_wipe(pl_gcm_key *g)
{
    pl_wipe(g, sizeof *g);
}

/* The limits of SP 800-38D §5.2.1.1 and the tag lengths of gcm.h. */
PL_MUST_CHECK static int check_args(size_t iv_len, size_t aad_len, size_t len, size_t tag_len)
{
    ENSURE(iv_len >= 1 && (uint64_t)iv_len <= PL_GCM_MAX_IV_LEN, SSL_ERR_CRYPTO_BAD_NONCE_SIZE);
    ENSURE(tag_len >= PL_GCM_MIN_TAG_LEN && tag_len <= PL_GCM_MAX_TAG_LEN,
           SSL_ERR_CRYPTO_BAD_LENGTH);
    ENSURE((uint64_t)aad_len <= PL_GCM_MAX_AAD_LEN, SSL_ERR_CRYPTO_TOO_MUCH_DATA);
    ENSURE((uint64_t)len <= PL_GCM_MAX_DATA_LEN, SSL_ERR_CRYPTO_TOO_MUCH_DATA);
    return 0;
}

/* §7.1 step 2: J0 = IV || 0^31 || 1 for a 96-bit IV, else GHASH_H(IV || 0^(s+64) || [len(IV)]_64).
 * Which branch runs depends on the IV's length only. */
static void derive_j0(const pl_gcm_key *g, const uint8_t *iv, size_t iv_len,
                      uint8_t j0[PL_GCM_BLOCK_LEN])
{
    ghash_fn ghash = impls[g->impl].ghash;
    uint8_t lengths[PL_GCM_BLOCK_LEN] = {0};
    if (iv_len == PL_AEAD_NONCE_LEN) {
        memcpy(j0, iv, PL_AEAD_NONCE_LEN);
        pl_store_be32(j0 + 12, 1);
        return;
    }
    memset(j0, 0, PL_GCM_BLOCK_LEN);
    ghash_padded(ghash, &g->ghash, j0, iv, iv_len);
    pl_store_be64(lengths + 8, (uint64_t)iv_len * 8);
    ghash(&g->ghash, j0, lengths, 1);
}

int pl_gcm_seal(const pl_gcm_key *g, const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                size_t aad_len, const uint8_t *in, uint8_t *out, size_t len, uint8_t *tag,
                size_t tag_len)
{
    uint8_t j0[PL_GCM_BLOCK_LEN], full[PL_GCM_BLOCK_LEN];
    TRY(check_args(iv_len, aad_len, len, tag_len));
    derive_j0(g, iv, iv_len, j0);
    impls[g->impl].seal(g, j0, aad, aad_len, in, out, len, full);
    /* §7.1 step 6: T = MSB_t(...), the first tag_len bytes. */
    memcpy(tag, full, tag_len);
    pl_wipe(full, sizeof full);
    pl_wipe(j0, sizeof j0);
    return 0;
}

int pl_gcm_open(const pl_gcm_key *g, const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                size_t aad_len, const uint8_t *in, uint8_t *out, size_t len, const uint8_t *tag,
                size_t tag_len)
{
    uint8_t j0[PL_GCM_BLOCK_LEN], expected[PL_GCM_BLOCK_LEN];
    uint32_t ok;
    TRY(check_args(iv_len, aad_len, len, tag_len));
    derive_j0(g, iv, iv_len, j0);
    impls[g->impl].open(g, j0, aad, aad_len, in, out, len, expected);
    /* §7.2 step 8: compare T' with T, in constant time. */
    ok = pl_ct_memeq(expected, tag, tag_len);
    pl_wipe(expected, sizeof expected);
    pl_wipe(j0, sizeof j0);
    /* The verdict is public (the record is dropped or not); where the tags differ is not, and
     * pl_ct_memeq does not reveal it. */
    pl_ct_declassify(&ok, sizeof ok);
    if (!ok) {
        /* §7.2 step 8: on FAIL no plaintext is released. */
        pl_wipe(out, len);
        return SSL_ERR_CRYPTO_AUTH_FAILED;
    }
    return 0;
}

/* ---- the AEAD classes ---------------------------------------------------------------------- */

static pl_gcm_key *key_of(pl_aead_ctx *ctx)
{
    return (pl_gcm_key *)(void *)ctx->opaque;
}

static const pl_gcm_key *const_key_of(const pl_aead_ctx *ctx)
{
    return (const pl_gcm_key *)(const void *)ctx->opaque;
}

/* The class's own key length always suits AES, so init_impl cannot fail here; were it to, the
 * key would be left wiped. */
static void class_init(pl_aead_ctx *ctx, const uint8_t *key, size_t key_len,
                       enum pl_gcm_impl impl)
{
    if (init_impl(key_of(ctx), key, key_len, impl) < 0) {
        pl_wipe(ctx, sizeof *ctx);
    }
}

static void init128_portable(pl_aead_ctx *ctx, const uint8_t *key)
{
    class_init(ctx, key, 16, PL_GCM_PORTABLE);
}

static void init256_portable(pl_aead_ctx *ctx, const uint8_t *key)
{
    class_init(ctx, key, 32, PL_GCM_PORTABLE);
}

static void init128_clmul(pl_aead_ctx *ctx, const uint8_t *key)
{
    class_init(ctx, key, 16, PL_GCM_CLMUL);
}

static void init256_clmul(pl_aead_ctx *ctx, const uint8_t *key)
{
    class_init(ctx, key, 32, PL_GCM_CLMUL);
}

static void init128_vaes(pl_aead_ctx *ctx, const uint8_t *key)
{
    class_init(ctx, key, 16, PL_GCM_VAES);
}

static void init256_vaes(pl_aead_ctx *ctx, const uint8_t *key)
{
    class_init(ctx, key, 32, PL_GCM_VAES);
}

/* A 12-byte nonce and a 16-byte tag, as RFC 5288 §3 uses them. The only argument pl_gcm_seal
 * could refuse here is a message past SP 800-38D's limit (64 GiB, far beyond any record); then
 * out and the tag are zeroed rather than left holding anything that looks sealed. */
static void aead_seal(const pl_aead_ctx *ctx, const uint8_t *nonce, const uint8_t *aad,
                      size_t aad_len, const uint8_t *in, uint8_t *out, size_t len, uint8_t *tag)
{
    if (pl_gcm_seal(const_key_of(ctx), nonce, PL_AEAD_NONCE_LEN, aad, aad_len, in, out, len, tag,
                    PL_AEAD_TAG_LEN) < 0) {
        pl_wipe(out, len);
        pl_wipe(tag, PL_AEAD_TAG_LEN);
    }
}

/* As above; a message too long to have been sealed cannot authenticate either. */
static int aead_open(const pl_aead_ctx *ctx, const uint8_t *nonce, const uint8_t *aad,
                     size_t aad_len, const uint8_t *in, uint8_t *out, size_t len,
                     const uint8_t *tag)
{
    int rc = pl_gcm_open(const_key_of(ctx), nonce, PL_AEAD_NONCE_LEN, aad, aad_len, in, out, len,
                         tag, PL_AEAD_TAG_LEN);
    if (rc == SSL_ERR_CRYPTO_TOO_MUCH_DATA) {
        pl_wipe(out, len);
        return SSL_ERR_CRYPTO_AUTH_FAILED;
    }
    return rc;
}

#define GCM_CLASS(bits, impl_name, init_fn)                                                        \
    {                                                                                              \
        .name = "AES-" #bits "-GCM", .impl = impl_name, .key_len = (bits) / 8,                     \
        .nonce_len = PL_AEAD_NONCE_LEN, .tag_len = PL_AEAD_TAG_LEN, .init = init_fn,               \
        .seal = aead_seal, .open = aead_open,                                                      \
    }

const pl_aead_class pl_aes128_gcm_portable = GCM_CLASS(128, "portable", init128_portable);
const pl_aead_class pl_aes256_gcm_portable = GCM_CLASS(256, "portable", init256_portable);
const pl_aead_class pl_aes128_gcm_clmul = GCM_CLASS(128, "aesni-clmul", init128_clmul);
const pl_aead_class pl_aes256_gcm_clmul = GCM_CLASS(256, "aesni-clmul", init256_clmul);
const pl_aead_class pl_aes128_gcm_vaes = GCM_CLASS(128, "vaes-avx512", init128_vaes);
const pl_aead_class pl_aes256_gcm_vaes = GCM_CLASS(256, "vaes-avx512", init256_vaes);

const pl_aead_class *pl_aes_gcm_best(size_t key_len)
{
    if (key_len != 16 && key_len != 32) {
        return NULL;
    }
    switch (best_impl()) {
    case PL_GCM_VAES: return key_len == 16 ? &pl_aes128_gcm_vaes : &pl_aes256_gcm_vaes;
    case PL_GCM_CLMUL: return key_len == 16 ? &pl_aes128_gcm_clmul : &pl_aes256_gcm_clmul;
    case PL_GCM_PORTABLE:
    default: return key_len == 16 ? &pl_aes128_gcm_portable : &pl_aes256_gcm_portable;
    }
}
