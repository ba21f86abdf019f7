/* Poly1305 (RFC 8439 §2.5): the portable block function in radix 2^64, the streaming layer
 * shared by every implementation, the final reduction, and the powers of r the vector code
 * needs. See poly1305.h for the contracts.
 *
 * Nothing here branches on, or indexes memory by, the key, the accumulator or the message; the
 * only branches are on lengths. */
#include "crypto/poly1305.h"

#include "base/cpu.h"
#include "base/ct.h"
#include "base/endian.h"

typedef unsigned __int128 u128;

#define MASK26 0x3ffffffu

/* ---- arithmetic mod p = 2^130 - 5 in radix 2^64 ------------------------------------------- */

/* An element h = h[0] + h[1] 2^64 + h[2] 2^128, partially reduced: h[2] <= 4 (h < 5 * 2^128). */

/* h = h * r mod p (partially), for the clamped r = r0 + r1 2^64, with h[2] <= 6 on entry.
 *
 * The clamp (§2.5) makes r0, r1 < 2^60 and r1 a multiple of 4. Since 2^130 = 5 mod p,
 * 2^128 r1 = 2^130 (r1 / 4) = 5 r1 / 4 = s1 with s1 = r1 + r1 / 4 exact, so
 *   h * r = h0 r0 + 2^64 (h0 r1 + h1 r0) + 2^128 (h1 r1 + h2 r0) + 2^192 h2 r1
 *         = (h0 r0 + h1 s1) + 2^64 (h0 r1 + h1 r0 + h2 s1) + 2^128 (h2 r0)   (mod p).
 * Bounds: with h2 <= 6 and s1 < 2^61: d0 < 2^126, d1 < 2^126 even with d0's carry,
 * h2 s1 < 2^64 and d2 = h2 r0 < 2^63 (with d1's carry, below 2^64). Then
 * d2 2^128 = (d2 mod 4) 2^128 + (d2 / 4) 2^130 = (d2 mod 4) 2^128 + 5 (d2 / 4), and
 * 5 (d2 / 4) = (d2 & ~3) + (d2 >> 2) < 2^64; adding it leaves h2 <= 3 + 1 = 4. */
static inline void mul_r(uint64_t h[3], uint64_t r0, uint64_t r1, uint64_t s1)
{
    u128 d0, d1, t;
    uint64_t d2, fold;
    d0 = (u128)h[0] * r0 + (u128)h[1] * s1;
    d1 = (u128)h[0] * r1 + (u128)h[1] * r0 + (u128)(h[2] * s1) + (uint64_t)(d0 >> 64);
    d2 = h[2] * r0 + (uint64_t)(d1 >> 64);
    fold = (d2 & ~(uint64_t)3) + (d2 >> 2);
    t = (u128)(uint64_t)d0 + fold;
    h[0] = (uint64_t)t;
    t = (u128)(uint64_t)d1 + (uint64_t)(t >> 64);
    h[1] = (uint64_t)t;
    h[2] = (d2 & 3) + (uint64_t)(t >> 64);
}

/* h mod p, fully reduced. h < 5 * 2^128 < 2p, so h mod p is h or h - p. h >= p exactly when
 * g = h + 5 reaches 2^130 (g < 2^131, so g2 >> 2 is 0 or 1), and then h - p = g - 2^130, which
 * is below 2^128 + 5: (g0, g1, g2 - 4). Chosen by mask, not by branch. */
static inline void reduce_full(uint64_t h[3])
{
    u128 t = (u128)h[0] + 5;
    uint64_t g0 = (uint64_t)t, g1, g2;
    uint32_t ge_p;
    t = (u128)h[1] + (uint64_t)(t >> 64);
    g1 = (uint64_t)t;
    g2 = h[2] + (uint64_t)(t >> 64);
    ge_p = (uint32_t)(g2 >> 2);
    h[0] = pl_ct_select64(ge_p, g0, h[0]);
    h[1] = pl_ct_select64(ge_p, g1, h[1]);
    h[2] = pl_ct_select64(ge_p, g2 & 3, h[2]);
}

/* ---- the portable block function ------------------------------------------------------------ */

/* Adding a block (< 2^128) and its 2^128 to h (h2 <= 4) gives h2 <= 4 + 1 + 1 = 6, within what
 * mul_r accepts; mul_r brings h2 back to 4 or less. */
void pl_poly1305_blocks_portable(pl_poly1305_ctx *c, const uint8_t *in, size_t nblocks,
                                 uint64_t hibit)
{
    const uint64_t r0 = c->r[0], r1 = c->r[1], s1 = r1 + (r1 >> 2);
    uint64_t h[3] = {c->h[0], c->h[1], c->h[2]};
    for (size_t i = 0; i < nblocks; i++, in += PL_POLY1305_BLOCK_LEN) {
        /* h += the block read as a little-endian number, plus 2^128 (the appended 1 byte) */
        u128 t = (u128)h[0] + pl_load_le64(in);
        h[0] = (uint64_t)t;
        t = (u128)h[1] + pl_load_le64(in + 8) + (uint64_t)(t >> 64);
        h[1] = (uint64_t)t;
        h[2] += (uint64_t)(t >> 64) + hibit;
        mul_r(h, r0, r1, s1);
    }
    c->h[0] = h[0];
    c->h[1] = h[1];
    c->h[2] = h[2];
}

/* ---- powers of r in radix 2^26, for the vector code ---------------------------------------- */

/* r^k = r^(k-1) r by mul_r, fully reduced (below p < 2^130) before it is cut into five 26-bit
 * limbs, so that every limb is below 2^26. */
void pl_poly1305_powers(pl_poly1305_ctx *c, unsigned n)
{
    const uint64_t r0 = c->r[0], r1 = c->r[1], s1 = r1 + (r1 >> 2);
    uint64_t h[3] = {r0, r1, 0};
    if (n <= c->npow) {
        return;
    }
    for (unsigned k = 0; k < n; k++) {
        uint64_t p[3] = {h[0], h[1], h[2]};
        reduce_full(p);
        c->pow[0][k] = (uint32_t)(p[0] & MASK26);
        c->pow[1][k] = (uint32_t)((p[0] >> 26) & MASK26);
        c->pow[2][k] = (uint32_t)(((p[0] >> 52) | (p[1] << 12)) & MASK26);
        c->pow[3][k] = (uint32_t)((p[1] >> 14) & MASK26);
        c->pow[4][k] = (uint32_t)((p[1] >> 40) | (p[2] << 24));
        mul_r(h, r0, r1, s1);
    }
    c->npow = n;
}

/* ---- the streaming layer ------------------------------------------------------------------- */

int pl_poly1305_avx2_usable(void)
{
    const uint32_t needs = PL_CPU_AVX2 | PL_CPU_BMI2;
    return (pl_cpu_features() & needs) == needs;
}

int pl_poly1305_avx512_usable(void)
{
    const uint32_t needs = PL_CPU_AVX2 | PL_CPU_BMI2 | PL_CPU_AVX512;
    return (pl_cpu_features() & needs) == needs;
}

void pl_poly1305_init_impl(pl_poly1305_ctx *c, const uint8_t key[PL_POLY1305_KEY_LEN],
                           enum pl_poly1305_impl impl)
{
    memset(c, 0, sizeof *c);
    /* §2.5.1 clamp(r): r &= 0x0ffffffc0ffffffc0ffffffc0fffffff */
    c->r[0] = pl_load_le64(key) & 0x0ffffffc0fffffffu;
    c->r[1] = pl_load_le64(key + 8) & 0x0ffffffc0ffffffcu;
    c->s[0] = pl_load_le64(key + 16);
    c->s[1] = pl_load_le64(key + 24);
    c->impl = (uint32_t)impl;
}

void pl_poly1305_init(pl_poly1305_ctx *c, const uint8_t key[PL_POLY1305_KEY_LEN])
{
    enum pl_poly1305_impl impl = PL_POLY1305_PORTABLE;
    if (pl_poly1305_avx512_usable()) {
        impl = PL_POLY1305_AVX512;
    } else if (pl_poly1305_avx2_usable()) {
        impl = PL_POLY1305_AVX2;
    }
    pl_poly1305_init_impl(c, key, impl);
}

/* Whole message blocks through the context's implementation. */
static void blocks(pl_poly1305_ctx *c, const uint8_t *in, size_t nblocks)
{
    switch ((enum pl_poly1305_impl)c->impl) {
    case PL_POLY1305_AVX512: pl_poly1305_blocks_avx512(c, in, nblocks); break;
    case PL_POLY1305_AVX2: pl_poly1305_blocks_avx2(c, in, nblocks); break;
    case PL_POLY1305_PORTABLE:
    default: pl_poly1305_blocks_portable(c, in, nblocks, 1); break;
    }
}

void pl_poly1305_update(pl_poly1305_ctx *c, const uint8_t *data, size_t len)
{
    size_t whole;
    if (len == 0) {
        return; /* data may be NULL */
    }
    if (c->buf_len > 0) {
        size_t take = PL_POLY1305_BLOCK_LEN - c->buf_len;
        take = take < len ? take : len;
        memcpy(c->buf + c->buf_len, data, take);
        c->buf_len += take;
        data += take;
        len -= take;
        if (c->buf_len < PL_POLY1305_BLOCK_LEN) {
            return;
        }
        pl_poly1305_blocks_portable(c, c->buf, 1, 1);
        c->buf_len = 0;
    }
    whole = len / PL_POLY1305_BLOCK_LEN;
    if (whole > 0) {
        blocks(c, data, whole);
        data += whole * PL_POLY1305_BLOCK_LEN;
        len -= whole * PL_POLY1305_BLOCK_LEN;
    }
    if (len > 0) {
        memcpy(c->buf, data, len);
        c->buf_len = len;
    }
}

void pl_poly1305_final(pl_poly1305_ctx *c, uint8_t tag[PL_POLY1305_TAG_LEN])
{
    uint64_t h0, h1;
    u128 t;
    /* §2.5: a last partial block gets its 1 byte right after its data, then zeros; its
     * "2^128" bit is that byte, so no hibit. */
    if (c->buf_len > 0) {
        c->buf[c->buf_len] = 1;
        memset(c->buf + c->buf_len + 1, 0, PL_POLY1305_BLOCK_LEN - c->buf_len - 1);
        pl_poly1305_blocks_portable(c, c->buf, 1, 0);
    }
    reduce_full(c->h);
    h0 = c->h[0];
    h1 = c->h[1];
    /* §2.5: tag = (h + s) mod 2^128, little-endian. */
    t = (u128)h0 + c->s[0];
    h0 = (uint64_t)t;
    h1 = h1 + c->s[1] + (uint64_t)(t >> 64);
    pl_store_le64(tag, h0);
    pl_store_le64(tag + 8, h1);
    pl_wipe(c, sizeof *c);
}

void pl_poly1305(const uint8_t key[PL_POLY1305_KEY_LEN], const uint8_t *msg, size_t len,
                 uint8_t tag[PL_POLY1305_TAG_LEN])
{
    pl_poly1305_ctx c;
    pl_poly1305_init(&c, key);
    pl_poly1305_update(&c, msg, len);
    pl_poly1305_final(&c, tag);
}
