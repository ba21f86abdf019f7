/* SHA-512 and SHA-384 (FIPS 180-4 §6.4 and §6.5): the portable compression function, the
 * buffering and padding around the block functions, and the two hash classes.
 *
 * SHA-384 is SHA-512 with other initial values (§5.3.4), its output cut to 384 bits. The AVX2
 * block function lives in sha512_avx2.c; a context records at init whether it may use it. The
 * portable code uses only 64-bit additions, rotations and logic, so its time depends on the
 * number of blocks alone. SHA-512/224 and SHA-512/256 are not implemented. */
#include "base/cpu.h"
#include "base/endian.h"
#include "crypto/hash.h"

/* FIPS 180-4 §4.2.3: the first 64 bits of the fractional parts of the cube roots of the first
 * 80 primes. */
const uint64_t pl_sha512_k[80] = {
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
    0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
    0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
    0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
    0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
    0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
    0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
    0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
    0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
    0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
    0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
};

/* FIPS 180-4 §5.3.5 (SHA-512) and §5.3.4 (SHA-384): the initial hash values H(0). */
static const uint64_t sha512_iv[8] = {
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
    0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
};

static const uint64_t sha384_iv[8] = {
    0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
    0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
};

/* ---- the compression function, FIPS 180-4 §6.4.2 --------------------------------------------- */

/* The functions of §4.1.3; Ch and Maj in equivalent forms that take fewer operations (no NOT,
 * and Maj shares x ^ y with the next round's y ^ z). */
static inline uint64_t ch(uint64_t x, uint64_t y, uint64_t z)
{
    return z ^ (x & (y ^ z));
}

static inline uint64_t maj(uint64_t x, uint64_t y, uint64_t z)
{
    return y ^ ((x ^ y) & (y ^ z));
}

static inline uint64_t big_sigma0(uint64_t x)
{
    return pl_rotr64(x, 28) ^ pl_rotr64(x, 34) ^ pl_rotr64(x, 39);
}

static inline uint64_t big_sigma1(uint64_t x)
{
    return pl_rotr64(x, 14) ^ pl_rotr64(x, 18) ^ pl_rotr64(x, 41);
}

static inline uint64_t small_sigma0(uint64_t x)
{
    return pl_rotr64(x, 1) ^ pl_rotr64(x, 8) ^ (x >> 7);
}

static inline uint64_t small_sigma1(uint64_t x)
{
    return pl_rotr64(x, 19) ^ pl_rotr64(x, 61) ^ (x >> 6);
}

/* One round of step 3 with the working variables renamed instead of moved: the caller passes
 * them rotated by one place each round, so only d and h change here (d becomes the new e, h the
 * new a). The sums are ordered so that what depends on this round's e comes last: it shortens the
 * chain from one round to the next. */
#define ROUND(a, b, c, d, e, f, g, h, t, wt)                                                       \
    do {                                                                                           \
        uint64_t t1_ = (h) + pl_sha512_k[t] + (wt) + ch((e), (f), (g));                            \
        t1_ += big_sigma1(e);                                                                      \
        (d) += t1_;                                                                                \
        (h) = t1_ + (big_sigma0(a) + maj((a), (b), (c)));                                          \
    } while (0)

/* Step 1 for t >= 16, on a ring of the last 16 words: w[t mod 16] still holds W(t-16). */
#define SCHEDULE(w, t)                                                                             \
    ((w)[(t) & 15] += small_sigma1((w)[((t) - 2) & 15]) + (w)[((t) - 7) & 15] +                  \
                      small_sigma0((w)[((t) - 15) & 15]))

#define EIGHT_ROUNDS(t, wt0, wt1, wt2, wt3, wt4, wt5, wt6, wt7)                                    \
    do {                                                                                           \
        ROUND(a, b, c, d, e, f, g, h, (t) + 0, wt0);                                               \
        ROUND(h, a, b, c, d, e, f, g, (t) + 1, wt1);                                               \
        ROUND(g, h, a, b, c, d, e, f, (t) + 2, wt2);                                               \
        ROUND(f, g, h, a, b, c, d, e, (t) + 3, wt3);                                               \
        ROUND(e, f, g, h, a, b, c, d, (t) + 4, wt4);                                               \
        ROUND(d, e, f, g, h, a, b, c, (t) + 5, wt5);                                               \
        ROUND(c, d, e, f, g, h, a, b, (t) + 6, wt6);                                               \
        ROUND(b, c, d, e, f, g, h, a, (t) + 7, wt7);                                               \
    } while (0)

void pl_sha512_blocks_portable(uint64_t state[8], const uint8_t *blocks, size_t nblocks)
{
    uint64_t w[16];
    for (; nblocks > 0; nblocks--, blocks += PL_SHA512_BLOCK_LEN) {
        uint64_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint64_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (size_t i = 0; i < 16; i++) {
            w[i] = pl_load_be64(blocks + 8 * i);
        }
        for (size_t t = 0; t < 16; t += 8) {
            EIGHT_ROUNDS(t, w[t], w[t + 1], w[t + 2], w[t + 3], w[t + 4], w[t + 5], w[t + 6],
                         w[t + 7]);
        }
        for (size_t t = 16; t < 80; t += 8) {
            EIGHT_ROUNDS(t, SCHEDULE(w, t), SCHEDULE(w, t + 1), SCHEDULE(w, t + 2),
                         SCHEDULE(w, t + 3), SCHEDULE(w, t + 4), SCHEDULE(w, t + 5),
                         SCHEDULE(w, t + 6), SCHEDULE(w, t + 7));
        }
        /* Step 4. */
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }
    pl_wipe(w, sizeof w); /* the message may be a key (HMAC) or a secret (the PRF) */
}

/* ---- buffering and padding ------------------------------------------------------------------- */

static uint32_t choose_impl(void)
{
    const uint32_t need = PL_CPU_AVX2 | PL_CPU_BMI2;
    return (pl_cpu_features() & need) == need ? PL_HASH_AVX2 : PL_HASH_PORTABLE;
}

/* The AVX2 code schedules four blocks at a time and wipes 6 KiB of schedule afterwards: for
 * fewer blocks than that (a padding block, an HMAC or PRF step) the portable code is faster. */
#define AVX2_MIN_BLOCKS 4

static void compress(pl_sha512_ctx *c, const uint8_t *blocks, size_t nblocks)
{
    switch (c->impl) {
    case PL_HASH_AVX2:
        if (nblocks >= AVX2_MIN_BLOCKS) {
            pl_sha512_blocks_avx2(c->h, blocks, nblocks);
        } else {
            pl_sha512_blocks_portable(c->h, blocks, nblocks);
        }
        break;
    case PL_HASH_PORTABLE:
    default:
        pl_sha512_blocks_portable(c->h, blocks, nblocks);
        break;
    }
}

static void start(pl_sha512_ctx *c, const uint64_t iv[8])
{
    memcpy(c->h, iv, sizeof c->h);
    c->impl = choose_impl();
    c->count = 0;
}

/* Pad, process the last block(s) and write the first out_len bytes of the state. */
static void finish(pl_sha512_ctx *c, uint8_t *out, size_t out_len)
{
    /* §5.1.2: a 1 bit, zeros up to 112 bytes mod 128, then the length in bits as 128 bits (its
     * top 61 bits are zero: count is a 64-bit byte count). */
    size_t used = (size_t)(c->count % PL_SHA512_BLOCK_LEN);
    c->buf[used++] = 0x80;
    if (used > PL_SHA512_BLOCK_LEN - 16) {
        memset(c->buf + used, 0, PL_SHA512_BLOCK_LEN - used);
        compress(c, c->buf, 1);
        used = 0;
    }
    memset(c->buf + used, 0, PL_SHA512_BLOCK_LEN - 16 - used);
    pl_store_be64(c->buf + PL_SHA512_BLOCK_LEN - 16, c->count >> 61);
    pl_store_be64(c->buf + PL_SHA512_BLOCK_LEN - 8, c->count << 3);
    compress(c, c->buf, 1);
    for (size_t i = 0; i < out_len / 8; i++) {
        pl_store_be64(out + 8 * i, c->h[i]);
    }
    pl_wipe(c, sizeof *c);
}

void pl_sha512_init(pl_sha512_ctx *c)
{
    start(c, sha512_iv);
}

void pl_sha384_init(pl_sha512_ctx *c)
{
    start(c, sha384_iv);
}

void pl_sha512_update(pl_sha512_ctx *c, const void *data, size_t len)
{
    const uint8_t *p = data;
    size_t used = (size_t)(c->count % PL_SHA512_BLOCK_LEN);
    if (len == 0) {
        return; /* data may be NULL */
    }
    c->count += len;
    if (used > 0) {
        size_t take = PL_SHA512_BLOCK_LEN - used;
        if (take > len) {
            take = len;
        }
        memcpy(c->buf + used, p, take);
        p += take;
        len -= take;
        if (used + take < PL_SHA512_BLOCK_LEN) {
            return;
        }
        compress(c, c->buf, 1);
    }
    if (len >= PL_SHA512_BLOCK_LEN) {
        size_t whole = len / PL_SHA512_BLOCK_LEN;
        compress(c, p, whole);
        p += whole * PL_SHA512_BLOCK_LEN;
        len -= whole * PL_SHA512_BLOCK_LEN;
    }
    memcpy(c->buf, p, len);
}

void pl_sha384_update(pl_sha512_ctx *c, const void *data, size_t len)
{
    pl_sha512_update(c, data, len);
}

void pl_sha512_final(pl_sha512_ctx *c, uint8_t out[PL_SHA512_LEN])
{
    finish(c, out, PL_SHA512_LEN);
}

void pl_sha384_final(pl_sha512_ctx *c, uint8_t out[PL_SHA384_LEN])
{
    finish(c, out, PL_SHA384_LEN);
}

void pl_sha512(const void *data, size_t len, uint8_t out[PL_SHA512_LEN])
{
    pl_sha512_ctx c;
    pl_sha512_init(&c);
    pl_sha512_update(&c, data, len);
    pl_sha512_final(&c, out);
}

void pl_sha384(const void *data, size_t len, uint8_t out[PL_SHA384_LEN])
{
    pl_sha512_ctx c;
    pl_sha384_init(&c);
    pl_sha512_update(&c, data, len);
    pl_sha384_final(&c, out);
}

/* ---- the classes ----------------------------------------------------------------------------- */

static void class_init512(pl_hash_ctx *c)
{
    pl_sha512_init(&c->sha512);
}

static void class_init384(pl_hash_ctx *c)
{
    pl_sha384_init(&c->sha512);
}

static void class_update(pl_hash_ctx *c, const void *data, size_t len)
{
    pl_sha512_update(&c->sha512, data, len);
}

static void class_final512(pl_hash_ctx *c, uint8_t *out)
{
    pl_sha512_final(&c->sha512, out);
}

static void class_final384(pl_hash_ctx *c, uint8_t *out)
{
    pl_sha384_final(&c->sha512, out);
}

const pl_hash_class pl_sha384_class = {
    .name = "SHA-384",
    .digest_len = PL_SHA384_LEN,
    .block_len = PL_SHA512_BLOCK_LEN,
    .init = class_init384,
    .update = class_update,
    .final = class_final384,
};

const pl_hash_class pl_sha512_class = {
    .name = "SHA-512",
    .digest_len = PL_SHA512_LEN,
    .block_len = PL_SHA512_BLOCK_LEN,
    .init = class_init512,
    .update = class_update,
    .final = class_final512,
};
