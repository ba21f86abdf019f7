/* SHA-256 (FIPS 180-4 §6.2): the portable compression function, the buffering and padding
 * around the block functions, and the SHA-256 hash class.
 *
 * The SHA-NI block function lives in sha256_shani.c; a context records at init which of the two
 * it uses. The portable code uses only 32-bit additions, rotations and logic, so its time depends
 * on the number of blocks alone. SHA-224 is not implemented. */
#include "base/cpu.h"
#include "base/endian.h"
#include "crypto/hash.h"

/* FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first
 * 64 primes. */
const uint32_t pl_sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* FIPS 180-4 §5.3.3: the initial hash value H(0). */
static const uint32_t sha256_iv[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/* ---- the compression function, FIPS 180-4 §6.2.2 --------------------------------------------- */

/* The functions of §4.1.2; Ch and Maj in equivalent forms that take fewer operations (no NOT,
 * and Maj shares x ^ y with the next round's y ^ z). */
static inline uint32_t ch(uint32_t x, uint32_t y, uint32_t z)
{
    return z ^ (x & (y ^ z));
}

static inline uint32_t maj(uint32_t x, uint32_t y, uint32_t z)
{
    return y ^ ((x ^ y) & (y ^ z));
}

static inline uint32_t big_sigma0(uint32_t x)
{
    return pl_rotr32(x, 2) ^ pl_rotr32(x, 13) ^ pl_rotr32(x, 22);
}

static inline uint32_t big_sigma1(uint32_t x)
{
    return pl_rotr32(x, 6) ^ pl_rotr32(x, 11) ^ pl_rotr32(x, 25);
}

static inline uint32_t small_sigma0(uint32_t x)
{
    return pl_rotr32(x, 7) ^ pl_rotr32(x, 18) ^ (x >> 3);
}

static inline uint32_t small_sigma1(uint32_t x)
{
    return pl_rotr32(x, 17) ^ pl_rotr32(x, 19) ^ (x >> 10);
}

/* One round of step 3 with the working variables renamed instead of moved: the caller passes
 * them rotated by one place each round, so only d and h change here (d becomes the new e, h the
 * new a). The sums are ordered so that what depends on this round's e comes last: it shortens the
 * chain from one round to the next. */
#define ROUND(a, b, c, d, e, f, g, h, t, wt)                                                       \
    do {                                                                                           \
        uint32_t t1_ = (h) + pl_sha256_k[t] + (wt) + ch((e), (f), (g));                            \
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

void pl_sha256_blocks_portable(uint32_t state[8], const uint8_t *blocks, size_t nblocks)
{
    uint32_t w[16];
    for (; nblocks > 0; nblocks--, blocks += PL_SHA256_BLOCK_LEN) {
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (size_t i = 0; i < 16; i++) {
            w[i] = pl_load_be32(blocks + 4 * i);
        }
        for (size_t t = 0; t < 16; t += 8) {
            EIGHT_ROUNDS(t, w[t], w[t + 1], w[t + 2], w[t + 3], w[t + 4], w[t + 5], w[t + 6],
                         w[t + 7]);
        }
        for (size_t t = 16; t < 64; t += 8) {
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
    const uint32_t need = PL_CPU_SHANI | PL_CPU_SSSE3 | PL_CPU_SSE41;
    return (pl_cpu_features() & need) == need ? PL_HASH_SHANI : PL_HASH_PORTABLE;
}

static void compress(pl_sha256_ctx *c, const uint8_t *blocks, size_t nblocks)
{
    switch (c->impl) {
    case PL_HASH_SHANI:
        pl_sha256_blocks_shani(c->h, blocks, nblocks);
        break;
    case PL_HASH_PORTABLE:
    default:
        pl_sha256_blocks_portable(c->h, blocks, nblocks);
        break;
    }
}

void pl_sha256_init(pl_sha256_ctx *c)
{
    memcpy(c->h, sha256_iv, sizeof c->h);
    c->impl = choose_impl();
    c->count = 0;
}

void pl_sha256_update(pl_sha256_ctx *c, const void *data, size_t len)
{
    const uint8_t *p = data;
    size_t used = (size_t)(c->count % PL_SHA256_BLOCK_LEN);
    if (len == 0) {
        return; /* data may be NULL */
    }
    c->count += len;
    if (used > 0) {
        size_t take = PL_SHA256_BLOCK_LEN - used;
        if (take > len) {
            take = len;
        }
        memcpy(c->buf + used, p, take);
        p += take;
        len -= take;
        if (used + take < PL_SHA256_BLOCK_LEN) {
            return;
        }
        compress(c, c->buf, 1);
    }
    if (len >= PL_SHA256_BLOCK_LEN) {
        size_t whole = len / PL_SHA256_BLOCK_LEN;
        compress(c, p, whole);
        p += whole * PL_SHA256_BLOCK_LEN;
        len -= whole * PL_SHA256_BLOCK_LEN;
    }
    memcpy(c->buf, p, len);
}

void pl_sha256_final(pl_sha256_ctx *c, uint8_t out[PL_SHA256_LEN])
{
    /* §5.1.1: a 1 bit, zeros up to 56 bytes mod 64, then the length in bits as 64 bits. */
    size_t used = (size_t)(c->count % PL_SHA256_BLOCK_LEN);
    c->buf[used++] = 0x80;
    if (used > PL_SHA256_BLOCK_LEN - 8) {
        memset(c->buf + used, 0, PL_SHA256_BLOCK_LEN - used);
        compress(c, c->buf, 1);
        used = 0;
    }
    memset(c->buf + used, 0, PL_SHA256_BLOCK_LEN - 8 - used);
    pl_store_be64(c->buf + PL_SHA256_BLOCK_LEN - 8, c->count << 3);
    compress(c, c->buf, 1);
    for (size_t i = 0; i < 8; i++) {
        pl_store_be32(out + 4 * i, c->h[i]);
    }
    pl_wipe(c, sizeof *c);
}

void pl_sha256(const void *data, size_t len, uint8_t out[PL_SHA256_LEN])
{
    pl_sha256_ctx c;
    pl_sha256_init(&c);
    pl_sha256_update(&c, data, len);
    pl_sha256_final(&c, out);
}

/* ---- the class ------------------------------------------------------------------------------- */

static void class_init(pl_hash_ctx *c)
{
    pl_sha256_init(&c->sha256);
}

static void class_update(pl_hash_ctx *c, const void *data, size_t len)
{
    pl_sha256_update(&c->sha256, data, len);
}

static void class_final(pl_hash_ctx *c, uint8_t *out)
{
    pl_sha256_final(&c->sha256, out);
}

const pl_hash_class pl_sha256_class = {
    .name = "SHA-256",
    .digest_len = PL_SHA256_LEN,
    .block_len = PL_SHA256_BLOCK_LEN,
    .init = class_init,
    .update = class_update,
    .final = class_final,
};
