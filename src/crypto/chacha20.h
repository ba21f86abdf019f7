/* ChaCha20, the stream cipher of RFC 8439 §2.1-2.4 (256-bit key, 96-bit nonce, 32-bit block
 * counter), and the accelerated AEAD_CHACHA20_POLY1305 classes (§2.8; the portable class and
 * pl_chacha20_poly1305_best() are declared in aead.h).
 *
 * Three implementations of the keystream compute the same function:
 *   - portable (chacha20.c): one block at a time on 32-bit words;
 *   - AVX2 (chacha20_avx2.c): eight blocks at once, one block per 32-bit lane of 256-bit
 *     registers;
 *   - AVX-512 (chacha20_avx512.c): sixteen blocks at once in 512-bit registers, with the native
 *     rotate (VPROLD), and eight at once in 256-bit registers for a last group of eight or
 *     fewer.
 * pl_chacha20_xor() picks the fastest one pl_cpu_features() allows, at every call.
 *
 * The block counter: RFC 8439 §2.3 gives one (key, nonce) 2^32 blocks of 64 bytes (256 GiB).
 * Every implementation here lets the 32-bit counter wrap from 0xffffffff to 0 with the nonce
 * unchanged, so a call that needs more than 2^32 - counter blocks goes on with blocks 0, 1, ...:
 * keystream the same (key, nonce) gives elsewhere (in the AEAD, block 0 is the Poly1305 key).
 * That is the caller's error; the AEAD below refuses messages that would need it.
 *
 * Constant time: the time taken depends on len only, never on the key, the nonce, the counter
 * or the data; nothing is indexed by or branches on them.
 *
 * Not here: the 64-bit-nonce original ChaCha, XChaCha20, ChaCha8/12, and a streaming API that
 * resumes in the middle of a block (TLS records are whole messages). */
#ifndef PL_CRYPTO_CHACHA20_H
#define PL_CRYPTO_CHACHA20_H

#include "base/endian.h"
#include "base/pl.h"
#include "crypto/aead.h"

#define PL_CHACHA20_KEY_LEN 32
#define PL_CHACHA20_NONCE_LEN 12
#define PL_CHACHA20_BLOCK_LEN 64

/* §2.2 QUARTERROUND(a, b, c, d) on the state s: the quarter round of §2.1 on s[a], s[b], s[c],
 * s[d]. Indices are positions 0..15 fixed by the caller, never secrets. */
static inline void pl_chacha20_quarter_round(uint32_t s[16], unsigned a, unsigned b, unsigned c,
                                             unsigned d)
{
    s[a] += s[b];
    s[d] = pl_rotl32(s[d] ^ s[a], 16);
    s[c] += s[d];
    s[b] = pl_rotl32(s[b] ^ s[c], 12);
    s[a] += s[b];
    s[d] = pl_rotl32(s[d] ^ s[a], 8);
    s[c] += s[d];
    s[b] = pl_rotl32(s[b] ^ s[c], 7);
}

/* §2.3 the block function: the 64-byte serialised block for (key, counter, nonce). Portable. */
void pl_chacha20_block(const uint8_t key[PL_CHACHA20_KEY_LEN],
                       const uint8_t nonce[PL_CHACHA20_NONCE_LEN], uint32_t counter,
                       uint8_t out[PL_CHACHA20_BLOCK_LEN]);

/* §2.4 encryption (and decryption): out = in XOR the keystream of blocks counter, counter + 1,
 * ... (mod 2^32, see above). len may be any length, 0 included (then in and out may be NULL);
 * out may equal in, but must not otherwise overlap it. The keystream of a final partial block
 * is discarded. pl_chacha20_xor() runs the fastest implementation the CPU allows; the others
 * are for tests and the AEAD classes: _avx2 only when pl_chacha20_avx2_usable(), _avx512 only
 * when pl_chacha20_avx512_usable(). */
void pl_chacha20_xor(const uint8_t key[PL_CHACHA20_KEY_LEN],
                     const uint8_t nonce[PL_CHACHA20_NONCE_LEN], uint32_t counter,
                     const uint8_t *in, uint8_t *out, size_t len);
void pl_chacha20_xor_portable(const uint8_t key[PL_CHACHA20_KEY_LEN],
                              const uint8_t nonce[PL_CHACHA20_NONCE_LEN], uint32_t counter,
                              const uint8_t *in, uint8_t *out, size_t len);
void pl_chacha20_xor_avx2(const uint8_t key[PL_CHACHA20_KEY_LEN],
                          const uint8_t nonce[PL_CHACHA20_NONCE_LEN], uint32_t counter,
                          const uint8_t *in, uint8_t *out, size_t len);
void pl_chacha20_xor_avx512(const uint8_t key[PL_CHACHA20_KEY_LEN],
                            const uint8_t nonce[PL_CHACHA20_NONCE_LEN], uint32_t counter,
                            const uint8_t *in, uint8_t *out, size_t len);

/* Whether this CPU (as pl_cpu_features() presents it) can run each accelerated implementation:
 * AVX2 and BMI2 (the file is compiled with both); for AVX-512, also AVX-512 F/VL/BW/DQ. */
int pl_chacha20_avx2_usable(void);
int pl_chacha20_avx512_usable(void);

/* ---- AEAD_CHACHA20_POLY1305 (RFC 8439 §2.8), chacha20_poly1305.c ---------------------------- */

/* §2.8: P_MAX, the most one (key, nonce) can encrypt: 2^32 - 1 blocks, since block 0 makes the
 * Poly1305 key. A class's seal given more writes zeros to out and tag (it cannot return an
 * error); its open refuses with SSL_ERR_CRYPTO_AUTH_FAILED and zeroes out. Records are far
 * shorter; only a 64-bit size_t can even express this length. */
#define PL_CHACHA20_POLY1305_MAX_LEN ((((uint64_t)1 << 32) - 1) * PL_CHACHA20_BLOCK_LEN)

/* The accelerated classes: ChaCha20 and Poly1305 both in AVX2 ("avx2"), or both in AVX-512
 * ("avx512"). Use them only when pl_chacha20_avx2_usable() / pl_chacha20_avx512_usable();
 * pl_chacha20_poly1305_best() checks. */
extern const pl_aead_class pl_chacha20_poly1305_avx2;
extern const pl_aead_class pl_chacha20_poly1305_avx512;

#endif
