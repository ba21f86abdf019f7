/* The SHA-1 and SHA-2 hash functions of FIPS 180-4 (SHA-1, SHA-256, SHA-384, SHA-512), and the
 * hash class through which HMAC, the TLS PRF and signatures use them.
 *
 * Each hash has a plain context (init, update any number of times, final) and a one-shot form.
 * Contexts hold no pointers, so assignment clones a running hash: `saved = transcript;` and then
 * finishing `saved` leaves `transcript` free to go on (the TLS handshake hash needs this). final
 * wipes the context; init it again to reuse it.
 *
 * Implementations: SHA-1 and SHA-256 have a portable one and one using the Intel SHA extensions
 * (SHA-NI, with SSSE3 and SSE4.1); SHA-384/512 have a portable one and one that computes the
 * message schedule of four blocks at once in AVX2 (with BMI2 for the rounds). x86 SHA-512
 * instructions are not used. The implementation is chosen by pl_cpu_features() when the context
 * is initialised and recorded in it as a number, so a clone keeps its parent's choice and
 * pl_cpu_restrict() affects only contexts initialised after it.
 *
 * Constant time: the time taken depends on the length of the data only, never on its value. That
 * covers keys hashed by HMAC and secrets hashed by the PRF.
 *
 * Not here: SHA-224, SHA-512/t and SHA-3 (no TLS 1.2 suite of ours uses them), and messages of
 * 2^61 bytes or more (the byte count is 64 bits; FIPS 180-4 allows up to 2^64 - 1 bits for SHA-1
 * and SHA-256, 2^128 - 1 for SHA-512). */
#ifndef PL_CRYPTO_HASH_H
#define PL_CRYPTO_HASH_H

#include "base/pl.h"

#define PL_SHA1_LEN 20
#define PL_SHA256_LEN 32
#define PL_SHA384_LEN 48
#define PL_SHA512_LEN 64
#define PL_HASH_MAX_LEN 64

#define PL_SHA1_BLOCK_LEN 64
#define PL_SHA256_BLOCK_LEN 64
#define PL_SHA512_BLOCK_LEN 128
#define PL_HASH_MAX_BLOCK_LEN 128

/* Which block function a context uses (its impl field). */
enum pl_hash_impl {
    PL_HASH_PORTABLE = 0,
    PL_HASH_SHANI = 1,  /* SHA-1, SHA-256: Intel SHA extensions */
    PL_HASH_AVX2 = 2,   /* SHA-384, SHA-512: message schedule in AVX2, rounds with BMI2 */
};

typedef struct pl_sha1_ctx {
    uint32_t h[5];                   /* H0..H4, FIPS 180-4 §6.1.2 */
    uint32_t impl;                   /* enum pl_hash_impl */
    uint64_t count;                  /* bytes hashed so far; count % 64 of them wait in buf */
    uint8_t buf[PL_SHA1_BLOCK_LEN];
} pl_sha1_ctx;

typedef struct pl_sha256_ctx {
    uint32_t h[8];                   /* H0..H7, FIPS 180-4 §6.2.2 */
    uint32_t impl;                   /* enum pl_hash_impl */
    uint64_t count;                  /* bytes hashed so far; count % 64 of them wait in buf */
    uint8_t buf[PL_SHA256_BLOCK_LEN];
} pl_sha256_ctx;

/* SHA-384 and SHA-512 differ only in their initial values and in how much of the state is
 * output (FIPS 180-4 §6.5), so they share one context. */
typedef struct pl_sha512_ctx {
    uint64_t h[8];                   /* H0..H7, FIPS 180-4 §6.4.2 */
    uint32_t impl;                   /* enum pl_hash_impl */
    uint64_t count;                  /* bytes hashed so far; count % 128 of them wait in buf */
    uint8_t buf[PL_SHA512_BLOCK_LEN];
} pl_sha512_ctx;

void pl_sha1_init(pl_sha1_ctx *c);
void pl_sha1_update(pl_sha1_ctx *c, const void *data, size_t len);
void pl_sha1_final(pl_sha1_ctx *c, uint8_t out[PL_SHA1_LEN]);
void pl_sha1(const void *data, size_t len, uint8_t out[PL_SHA1_LEN]);

void pl_sha256_init(pl_sha256_ctx *c);
void pl_sha256_update(pl_sha256_ctx *c, const void *data, size_t len);
void pl_sha256_final(pl_sha256_ctx *c, uint8_t out[PL_SHA256_LEN]);
void pl_sha256(const void *data, size_t len, uint8_t out[PL_SHA256_LEN]);

void pl_sha384_init(pl_sha512_ctx *c);
void pl_sha384_update(pl_sha512_ctx *c, const void *data, size_t len);
void pl_sha384_final(pl_sha512_ctx *c, uint8_t out[PL_SHA384_LEN]);
void pl_sha384(const void *data, size_t len, uint8_t out[PL_SHA384_LEN]);

void pl_sha512_init(pl_sha512_ctx *c);
void pl_sha512_update(pl_sha512_ctx *c, const void *data, size_t len);
void pl_sha512_final(pl_sha512_ctx *c, uint8_t out[PL_SHA512_LEN]);
void pl_sha512(const void *data, size_t len, uint8_t out[PL_SHA512_LEN]);

/* The block functions: run the compression function over nblocks whole blocks, updating the
 * chaining value h (in the standard order H0, H1, ...). For tests and benchmarks; the _shani ones
 * may be called only when pl_cpu_features() has PL_CPU_SHANI, PL_CPU_SSSE3 and PL_CPU_SSE41, the
 * _avx2 one only when it has PL_CPU_AVX2 and PL_CPU_BMI2. */
void pl_sha1_blocks_portable(uint32_t h[5], const uint8_t *blocks, size_t nblocks);
void pl_sha1_blocks_shani(uint32_t h[5], const uint8_t *blocks, size_t nblocks);
void pl_sha256_blocks_portable(uint32_t h[8], const uint8_t *blocks, size_t nblocks);
void pl_sha256_blocks_shani(uint32_t h[8], const uint8_t *blocks, size_t nblocks);
void pl_sha512_blocks_portable(uint64_t h[8], const uint8_t *blocks, size_t nblocks);
void pl_sha512_blocks_avx2(uint64_t h[8], const uint8_t *blocks, size_t nblocks);

/* The round constants K of FIPS 180-4 §4.2.2 and §4.2.3, shared by the implementations. */
extern const uint32_t pl_sha256_k[64];
extern const uint64_t pl_sha512_k[80];

/* ---- the hash class -------------------------------------------------------------------------- */

/* Room for any hash's context. Like the contexts, it may be copied by assignment. */
typedef union pl_hash_ctx {
    pl_sha1_ctx sha1;
    pl_sha256_ctx sha256;
    pl_sha512_ctx sha512;
} pl_hash_ctx;

/* One hash function behind function pointers. final writes digest_len bytes to out and wipes the
 * context, as the functions above do. */
typedef struct pl_hash_class {
    const char *name;   /* "SHA-1", "SHA-256", "SHA-384", "SHA-512" */
    size_t digest_len;
    size_t block_len;   /* the HMAC block size B of RFC 2104 §2 */
    void (*init)(pl_hash_ctx *c);
    void (*update)(pl_hash_ctx *c, const void *data, size_t len);
    void (*final)(pl_hash_ctx *c, uint8_t *out);
} pl_hash_class;

extern const pl_hash_class pl_sha1_class, pl_sha256_class, pl_sha384_class, pl_sha512_class;

#endif
