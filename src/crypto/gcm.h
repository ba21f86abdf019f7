/* GCM, the Galois/Counter Mode of NIST SP 800-38D, over AES (FIPS-197), and its GHASH.
 *
 * Three implementations compute the same function:
 *   - portable (gcm.c): bitsliced AES from aes.c and a GHASH whose carry-less products are built
 *     from integer multiplications with holes (no tables indexed by data);
 *   - CLMUL (gcm_clmul.c): AES-NI and PCLMULQDQ on XMM registers, eight blocks at a time, the
 *     counter-mode encryption of one group interleaved with the GHASH of another, and one
 *     reduction per group (aggregated reduction with precomputed H^1..H^8);
 *   - VAES (gcm_vaes.c): VAES and VPCLMULQDQ on 512-bit registers (AVX-512), four blocks per
 *     register and sixteen per group.
 * pl_gcm_init() picks the fastest one pl_cpu_features() allows and records it in the key as a
 * number, so pl_cpu_restrict() affects only keys initialised after it. The AEAD classes (aead.h
 * for the portable ones, below for the others) are fixed to one implementation each.
 *
 * Constant time: every function here takes time that depends on the lengths of the IV, the AAD
 * and the data only, never on the key, H, the data or where a wrong tag differs. The portable
 * GHASH relies on the CPU's integer multiplier taking constant time (true of x86-64 and of the
 * 64-bit ARM cores; not of some small microcontrollers).
 *
 * Not here: GMAC as a separate API (call seal with no data), streaming (each call is one whole
 * message), and the AES-GCM-SIV or XTS modes. */
#ifndef PL_CRYPTO_GCM_H
#define PL_CRYPTO_GCM_H

#include <stdalign.h>

#include "base/pl.h"
#include "crypto/aead.h"
#include "crypto/aes.h"

#define PL_GCM_BLOCK_LEN 16
#define PL_GCM_MIN_TAG_LEN 4
#define PL_GCM_MAX_TAG_LEN 16

/* SP 800-38D §5.2.1.1: the plaintext is at most 2^39 - 256 bits (2^32 - 2 blocks, so that inc32
 * never comes back to J0), the AAD and the IV at most 2^64 - 1 bits. */
#define PL_GCM_MAX_DATA_LEN ((((uint64_t)1) << 36) - 32)
#define PL_GCM_MAX_AAD_LEN ((((uint64_t)1) << 61) - 1)
#define PL_GCM_MAX_IV_LEN ((((uint64_t)1) << 61) - 1)

/* How many powers of H the key keeps: the widest group the accelerated code hashes at once. */
#define PL_GHASH_POWERS 16

/* Which implementation a pl_gcm_key uses (its impl field). */
enum pl_gcm_impl {
    PL_GCM_PORTABLE = 0,
    PL_GCM_CLMUL = 1, /* AES-NI, PCLMULQDQ, SSSE3, SSE4.1 */
    PL_GCM_VAES = 2,  /* the above and VAES, VPCLMULQDQ, AVX-512 (F, VL, BW, DQ) */
};

/* The GHASH key H = E_K(0^128) (SP 800-38D §6.4) in the two forms the implementations use.
 *
 * A block is read as a big-endian 128-bit integer, so that its first bit (the coefficient of
 * x^0, §6.3) is the integer's most significant bit: the "reflected" order, in which multiplying
 * by x is a right shift. h[] holds H that way, as two 64-bit halves (h[0] the high one).
 *
 * pow[i] holds H^(16 - i) * x^-1 mod P, that is pow[0] = H^16 down to pow[15] = H^1, each as a
 * reflected integer stored little-endian: loaded into an XMM register it is the integer itself.
 * The factor x^-1 cancels the one-bit offset of a carry-less product of two reflected integers
 * (see gcm_clmul.c). Descending order lets a group of n blocks use pow[16 - n..15] in order. */
typedef struct pl_ghash_key {
    alignas(64) uint8_t pow[PL_GHASH_POWERS][16];
    uint64_t h[2];
} pl_ghash_key;

/* An expanded AES-GCM key. Plain data with no pointers: it may be copied; wipe it with
 * pl_gcm_wipe(). */
typedef struct pl_gcm_key {
    pl_aes_key aes;
    pl_ghash_key ghash;
    uint32_t impl; /* enum pl_gcm_impl */
} pl_gcm_key;

/* The GHASH key from H (16 bytes). Constant-time in H. */
void pl_ghash_init(pl_ghash_key *k, const uint8_t h[PL_GCM_BLOCK_LEN]);

/* GHASH (SP 800-38D §6.4, Algorithm 2) continued over nblocks whole blocks: for each block X,
 * y = (y XOR X) * H. Start from y = 0 for a fresh hash. The _clmul one needs PL_CPU_PCLMUL,
 * PL_CPU_SSSE3 and PL_CPU_SSE41; the _vaes one what pl_gcm_vaes_usable() says. */
void pl_ghash_portable(const pl_ghash_key *k, uint8_t y[PL_GCM_BLOCK_LEN], const uint8_t *in,
                       size_t nblocks);
void pl_ghash_clmul(const pl_ghash_key *k, uint8_t y[PL_GCM_BLOCK_LEN], const uint8_t *in,
                    size_t nblocks);
void pl_ghash_vaes(const pl_ghash_key *k, uint8_t y[PL_GCM_BLOCK_LEN], const uint8_t *in,
                   size_t nblocks);

/* Expand a 16-, 24- or 32-byte AES key and compute H and its powers, choosing the
 * implementation by pl_cpu_features(). SSL_ERR_CRYPTO_BAD_KEY_SIZE for any other length (the
 * key is then left wiped). */
PL_MUST_CHECK int pl_gcm_init(pl_gcm_key *g, const uint8_t *key, size_t key_len);
void pl_gcm_wipe(pl_gcm_key *g);

/* GCM-AE (SP 800-38D §7.1): encrypt len bytes from in to out (out may equal in, else they must
 * not overlap) and write the first tag_len bytes of the tag over aad and the ciphertext.
 *   iv_len:  1 or more bytes; 12 is the fast path (J0 = IV || 0^31 || 1), any other length is
 *            hashed into J0 by GHASH. 0 is SSL_ERR_CRYPTO_BAD_NONCE_SIZE, as is an IV longer
 *            than PL_GCM_MAX_IV_LEN.
 *   tag_len: 4..16 (SP 800-38D §5.2.1.2 recommends 12..16); otherwise SSL_ERR_CRYPTO_BAD_LENGTH.
 *   len, aad_len beyond PL_GCM_MAX_DATA_LEN, PL_GCM_MAX_AAD_LEN: SSL_ERR_CRYPTO_TOO_MUCH_DATA.
 * Nothing is written when an argument is refused. The caller keeps (key, IV) pairs unique. */
PL_MUST_CHECK int pl_gcm_seal(const pl_gcm_key *g, const uint8_t *iv, size_t iv_len,
                              const uint8_t *aad, size_t aad_len, const uint8_t *in, uint8_t *out,
                              size_t len, uint8_t *tag, size_t tag_len);

/* GCM-AD (SP 800-38D §7.2): check the tag_len-byte tag over aad and the ciphertext in, and
 * decrypt len bytes to out (out may equal in). Returns 0, or SSL_ERR_CRYPTO_AUTH_FAILED with out
 * zeroed; the argument errors are those of pl_gcm_seal() (out is then untouched). The tag is
 * compared in constant time. */
PL_MUST_CHECK int pl_gcm_open(const pl_gcm_key *g, const uint8_t *iv, size_t iv_len,
                              const uint8_t *aad, size_t aad_len, const uint8_t *in, uint8_t *out,
                              size_t len, const uint8_t *tag, size_t tag_len);

/* Whether this CPU (as pl_cpu_features() presents it) can run each accelerated implementation. */
int pl_gcm_clmul_usable(void);
int pl_gcm_vaes_usable(void);

/* One whole message for the accelerated implementations, given the pre-counter block J0: the
 * CTR encryption (or decryption) of len bytes from inc32(J0) on, and the full 16-byte tag
 * E_K(J0) XOR GHASH(aad, ciphertext) into tag (for open, the tag the ciphertext should carry).
 * gcm.c checks the arguments and compares tags; these trust them. */
void pl_gcm_seal_clmul(const pl_gcm_key *g, const uint8_t j0[PL_GCM_BLOCK_LEN], const uint8_t *aad,
                       size_t aad_len, const uint8_t *in, uint8_t *out, size_t len,
                       uint8_t tag[PL_GCM_BLOCK_LEN]);
void pl_gcm_open_clmul(const pl_gcm_key *g, const uint8_t j0[PL_GCM_BLOCK_LEN], const uint8_t *aad,
                       size_t aad_len, const uint8_t *in, uint8_t *out, size_t len,
                       uint8_t tag[PL_GCM_BLOCK_LEN]);
void pl_gcm_seal_vaes(const pl_gcm_key *g, const uint8_t j0[PL_GCM_BLOCK_LEN], const uint8_t *aad,
                      size_t aad_len, const uint8_t *in, uint8_t *out, size_t len,
                      uint8_t tag[PL_GCM_BLOCK_LEN]);
void pl_gcm_open_vaes(const pl_gcm_key *g, const uint8_t j0[PL_GCM_BLOCK_LEN], const uint8_t *aad,
                      size_t aad_len, const uint8_t *in, uint8_t *out, size_t len,
                      uint8_t tag[PL_GCM_BLOCK_LEN]);

/* The accelerated AEAD classes (the portable ones are in aead.h). Use them only when
 * pl_gcm_clmul_usable() / pl_gcm_vaes_usable(); pl_aes_gcm_best() checks. */
extern const pl_aead_class pl_aes128_gcm_clmul;
extern const pl_aead_class pl_aes256_gcm_clmul;
extern const pl_aead_class pl_aes128_gcm_vaes;
extern const pl_aead_class pl_aes256_gcm_vaes;

#endif
