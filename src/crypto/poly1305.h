/* Poly1305, the one-time authenticator of RFC 8439 §2.5: a 32-byte one-time key (r, s) and a
 * message of any length give a 16-byte tag, ((sum of m_i * r^(n - i + 1)) mod 2^130 - 5) + s
 * mod 2^128, where m_i is the i-th 16-byte block with a 1 byte appended.
 *
 * Implementations:
 *   - portable (poly1305.c): the accumulator in three 64-bit words (radix 2^64), one block at a
 *     time, with 64 x 64 -> 128-bit products;
 *   - AVX2 (poly1305_avx2.c): four lanes in radix 2^26, eight blocks per step, each lane
 *     multiplying by r^8 (and its second group of four by r^4), the lanes weighted by r^8..r^1
 *     at the end;
 *   - AVX-512 (poly1305_avx512.c): the same with eight lanes and sixteen blocks per step
 *     (r^16, r^8, and r^16..r^1 at the end).
 * The vector code runs only on runs of blocks long enough to repay computing the powers of r
 * (pl_poly1305_powers(), once per key): 32 blocks for AVX2, 256 for AVX-512, which hands
 * shorter runs to the AVX2 code. Shorter runs, and the blocks left over, take the portable
 * path. pl_poly1305_init() picks the implementation by pl_cpu_features() and records
 * it in the context as a number, so pl_cpu_restrict() affects only contexts initialised after
 * it, and a copy of a context keeps its parent's choice.
 *
 * Constant time: the time taken depends on the message length only, never on the key, the
 * message or the tag; the final reduction mod 2^130 - 5 is a masked select. It relies on the
 * CPU's integer and vector multipliers taking constant time (true of x86-64).
 *
 * A key must authenticate one message only (§2.5: r and s unique and unpredictable per
 * invocation); the AEAD derives a fresh one per nonce (§2.6). Not here: Poly1305-AES. */
#ifndef PL_CRYPTO_POLY1305_H
#define PL_CRYPTO_POLY1305_H

#include "base/pl.h"

#define PL_POLY1305_KEY_LEN 32
#define PL_POLY1305_TAG_LEN 16
#define PL_POLY1305_BLOCK_LEN 16

/* The most powers of r the vector code uses: r^1..r^16. */
#define PL_POLY1305_MAX_POWERS 16

/* Which block function a context uses (its impl field). */
enum pl_poly1305_impl {
    PL_POLY1305_PORTABLE = 0,
    PL_POLY1305_AVX2 = 1,   /* AVX2 and BMI2 */
    PL_POLY1305_AVX512 = 2, /* the above and AVX-512 F, VL, BW, DQ */
};

/* A running Poly1305. Plain data with no pointers: it may be copied. It holds the one-time key;
 * pl_poly1305_final() wipes it, and an abandoned context must be wiped with pl_wipe().
 *
 * h is the accumulator h[0] + h[1] 2^64 + h[2] 2^128, kept below 5 * 2^128 between blocks
 * (partially reduced mod p = 2^130 - 5). r is the clamped r (§2.5), s the pad. pow[j][k] is
 * limb j (bits 26 j .. 26 j + 25) of r^(k + 1) mod p, fully reduced, valid for k < npow: limb
 * by limb so that the vector code loads the limbs of consecutive powers as one vector. */
typedef struct pl_poly1305_ctx {
    uint64_t h[3];
    uint64_t r[2];
    uint64_t s[2];
    uint32_t pow[5][PL_POLY1305_MAX_POWERS];
    uint32_t npow;
    uint32_t impl; /* enum pl_poly1305_impl */
    uint8_t buf[PL_POLY1305_BLOCK_LEN];
    size_t buf_len;
} pl_poly1305_ctx;

/* Start a MAC with the one-time key (r ‖ s, §2.5), choosing the implementation by
 * pl_cpu_features(). _impl uses the given one, which must be usable (see below). */
void pl_poly1305_init(pl_poly1305_ctx *c, const uint8_t key[PL_POLY1305_KEY_LEN]);
void pl_poly1305_init_impl(pl_poly1305_ctx *c, const uint8_t key[PL_POLY1305_KEY_LEN],
                           enum pl_poly1305_impl impl);

/* Append len bytes (any length, split anywhere: the result is that of the concatenation). */
void pl_poly1305_update(pl_poly1305_ctx *c, const uint8_t *data, size_t len);

/* The tag; wipes the context. */
void pl_poly1305_final(pl_poly1305_ctx *c, uint8_t tag[PL_POLY1305_TAG_LEN]);

/* One-shot: init, update, final. */
void pl_poly1305(const uint8_t key[PL_POLY1305_KEY_LEN], const uint8_t *msg, size_t len,
                 uint8_t tag[PL_POLY1305_TAG_LEN]);

/* Whether this CPU (as pl_cpu_features() presents it) can run each vector implementation. */
int pl_poly1305_avx2_usable(void);
int pl_poly1305_avx512_usable(void);

/* ---- for the implementations ---------------------------------------------------------------- */

/* §2.5 on nblocks whole 16-byte blocks: for each, h = (h + block + hibit * 2^128) * r mod p
 * (partially). hibit is 1 for message blocks, 0 for the padded last one. */
void pl_poly1305_blocks_portable(pl_poly1305_ctx *c, const uint8_t *in, size_t nblocks,
                                 uint64_t hibit);

/* The same for whole message blocks (hibit 1), by the vector code when nblocks is large enough
 * and by the portable code for what is left. Only when pl_poly1305_avx2_usable() /
 * pl_poly1305_avx512_usable(). */
void pl_poly1305_blocks_avx2(pl_poly1305_ctx *c, const uint8_t *in, size_t nblocks);
void pl_poly1305_blocks_avx512(pl_poly1305_ctx *c, const uint8_t *in, size_t nblocks);

/* Make sure pow[0..n-1] hold r^1..r^n (n <= PL_POLY1305_MAX_POWERS); computed once per key. */
void pl_poly1305_powers(pl_poly1305_ctx *c, unsigned n);

#endif
