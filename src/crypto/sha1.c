/* SHA-1 (FIPS 180-4 §6.1): the portable compression function, the buffering and padding around
 * the block functions, and the SHA-1 hash class.
 *
 * SHA-1 is here for HMAC-SHA1 (the CBC suites' record MAC, RFC 5246 §6.2.3.2) and for reading
 * old signatures; it is not collision resistant, and nothing new should rely on that. The SHA-NI
 * block function lives in sha1_shani.c. The portable code uses only 32-bit additions, rotations
 * and logic, so its time depends on the number of blocks alone. */
#include "base/cpu.h"
#include "base/endian.h"
#include "crypto/hash.h"

/* FIPS 180-4 §5.3.1: the initial hash value H(0). */
static const uint32_t sha1_iv[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};

/* ---- the compression function, FIPS 180-4 §6.1.2 --------------------------------------------- */

/* The functions f_t of §4.1.1 and the constants K_t of §4.2.1, one pair per 20 rounds. */
static inline uint32_t ch(uint32_t x, uint32_t y, uint32_t z)
{
    return (x & y) ^ (~x & z);
}

static inline uint32_t parity(uint32_t x, uint32_t y, uint32_t z)
{
    return x ^ y ^ z;
}

static inline uint32_t maj(uint32_t x, uint32_t y, uint32_t z)
{
    return (x & y) ^ (x & z) ^ (y & z);
}

#define K0 0x5a827999u
#define K1 0x6ed9eba1u
#define K2 0x8f1bbcdcu
#define K3 0xca62c1d6u

/* One round of step 3 with the working variables renamed instead of moved: the caller rotates
 * them by one place each round, so only b (which becomes the new c) and e (the new a) change. */
#define ROUND(a, b, c, d, e, f, k, wt)                                                             \
    do {                                                                                           \
        (e) += pl_rotl32((a), 5) + f((b), (c), (d)) + (k) + (wt);                                  \
        (b) = pl_rotl32((b), 30);                                                                  \
    } while (0)

/* Step 1 for t >= 16, on a ring of the last 16 words: w[t mod 16] still holds W(t-16). */
#define SCHEDULE(w, t)                                                                             \
    ((w)[(t) & 15] = pl_rotl32((w)[((t) - 3) & 15] ^ (w)[((t) - 8) & 15] ^                        \
                                   (w)[((t) - 14) & 15] ^ (w)[(t) & 15],                           \
                               1))

#define FIVE_ROUNDS(f, k, wt0, wt1, wt2, wt3, wt4)                                                 \
    do {                                                                                           \
        ROUND(a, b, c, d, e, f, k, wt0);                                                           \
        ROUND(e, a, b, c, d, f, k, wt1);                                                           \
        ROUND(d, e, a, b, c, f, k, wt2);                                                           \
        ROUND(c, d, e, a, b, f, k, wt3);                                                           \
        ROUND(b, c, d, e, a, f, k, wt4);                                                           \
    } while (0)

#define FIVE_SCHEDULED(f, k, t)                                                                    \
    FIVE_ROUNDS(f, k, SCHEDULE(w, (t)), SCHEDULE(w, (t) + 1), SCHEDULE(w, (t) + 2),                \
                SCHEDULE(w, (t) + 3), SCHEDULE(w, (t) + 4))

void pl_sha1_blocks_portable(uint32_t state[5], const uint8_t *blocks, size_t nblocks)
{
    uint32_t w[16];
    for (; nblocks > 0; nblocks--, blocks += PL_SHA1_BLOCK_LEN) {
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
        for (size_t i = 0; i < 16; i++) {
            w[i] = pl_load_be32(blocks + 4 * i);
        }
        for (size_t t = 0; t < 15; t += 5) {
            FIVE_ROUNDS(ch, K0, w[t], w[t + 1], w[t + 2], w[t + 3], w[t + 4]);
        }
        FIVE_ROUNDS(ch, K0, w[15], SCHEDULE(w, 16), SCHEDULE(w, 17), SCHEDULE(w, 18),
                    SCHEDULE(w, 19));
        for (size_t t = 20; t < 40; t += 5) {
            FIVE_SCHEDULED(parity, K1, t);
        }
        for (size_t t = 40; t < 60; t += 5) {
            FIVE_SCHEDULED(maj, K2, t);
        }
        for (size_t t = 60; t < 80; t += 5) {
            FIVE_SCHEDULED(parity, K3, t);
        }
        /* Step 4. */
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
    }
    pl_wipe(w, sizeof w); /* the message may be a key (HMAC) */
}

/* ---- buffering and padding ------------------------------------------------------------------- */

static uint32_t choose_impl(void)
{
    const uint32_t need = PL_CPU_SHANI | PL_CPU_SSSE3 | PL_CPU_SSE41;
    return (pl_cpu_features() & need) == need ? PL_HASH_SHANI : PL_HASH_PORTABLE;
}

static void compress(pl_sha1_ctx *c, const uint8_t *blocks, size_t nblocks)
{
    switch (c->impl) {
    case PL_HASH_SHANI:
        pl_sha1_blocks_shani(c->h, blocks, nblocks);
        break;
    case PL_HASH_PORTABLE:
    default:
        pl_sha1_blocks_portable(c->h, blocks, nblocks);
        break;
    }
}

void pl_sha1_init(pl_sha1_ctx *c)
{
    memcpy(c->h, sha1_iv, sizeof c->h);
    c->impl = choose_impl();
    c->count = 0;
}

void pl_sha1_update(pl_sha1_ctx *c, const void *data, size_t len)
{
    const uint8_t *p = data;
    size_t used = (size_t)(c->count % PL_SHA1_BLOCK_LEN);
    if (len == 0) {
        return; /* data may be NULL */
    }
    c->count += len;
    if (used > 0) {
        size_t take = PL_SHA1_BLOCK_LEN - used;
        if (take > len) {
            take = len;
        }
        memcpy(c->buf + used, p, take);
        p += take;
        len -= take;
        if (used + take < PL_SHA1_BLOCK_LEN) {
            return;
        }
        compress(c, c->buf, 1);
    }
    if (len >= PL_SHA1_BLOCK_LEN) {
        size_t whole = len / PL_SHA1_BLOCK_LEN;
        compress(c, p, whole);
        p += whole * PL_SHA1_BLOCK_LEN;
        len -= whole * PL_SHA1_BLOCK_LEN;
    }
    memcpy(c->buf, p, len);
}

void pl_sha1_final(pl_sha1_ctx *c, uint8_t out[PL_SHA1_LEN])
{
    /* §5.1.1: a 1 bit, zeros up to 56 bytes mod 64, then the length in bits as 64 bits. */
    size_t used = (size_t)(c->count % PL_SHA1_BLOCK_LEN);
    c->buf[used++] = 0x80;
    if (used > PL_SHA1_BLOCK_LEN - 8) {
        memset(c->buf + used, 0, PL_SHA1_BLOCK_LEN - used);
        compress(c, c->buf, 1);
        used = 0;
    }
    memset(c->buf + used, 0, PL_SHA1_BLOCK_LEN - 8 - used);
    pl_store_be64(c->buf + PL_SHA1_BLOCK_LEN - 8, c->count << 3);
    compress(c, c->buf, 1);
    for (size_t i = 0; i < 5; i++) {
        pl_store_be32(out + 4 * i, c->h[i]);
    }
    pl_wipe(c, sizeof *c);
}

void pl_sha1(const void *data, size_t len, uint8_t out[PL_SHA1_LEN])
{
    pl_sha1_ctx c;
    pl_sha1_init(&c);
    pl_sha1_update(&c, data, len);
    pl_sha1_final(&c, out);
}

/* ---- the class ------------------------------------------------------------------------------- */

static void class_init(pl_hash_ctx *c)
{
    pl_sha1_init(&c->sha1);
}

static void class_update(pl_hash_ctx *c, const void *data, size_t len)
{
    pl_sha1_update(&c->sha1, data, len);
}

static void class_final(pl_hash_ctx *c, uint8_t *out)
{
    pl_sha1_final(&c->sha1, out);
}

const pl_hash_class pl_sha1_class = {
    .name = "SHA-1",
    .digest_len = PL_SHA1_LEN,
    .block_len = PL_SHA1_BLOCK_LEN,
    .init = class_init,
    .update = class_update,
    .final = class_final,
};
