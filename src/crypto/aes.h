/* AES block cipher (FIPS-197) for 128-, 192- and 256-bit keys, and the modes built directly on
 * it: CTR with a 32-bit big-endian counter (GCM's inc32, SP 800-38D §6.2) and CBC (SP 800-38A
 * §6.2) with a constant-time PKCS#7 unpadding check.
 *
 * Two implementations share one key structure, and pl_aes_init() fills both halves, so the
 * portable and the AES-NI functions can be called on the same key (the tests do):
 *   - portable: bitsliced, no table lookups indexed by secret data (constant-time in key and
 *     data; time depends only on the number of blocks);
 *   - AES-NI: hardware rounds, constant-time by construction.
 * The unsuffixed functions pick AES-NI when pl_cpu_features() has PL_CPU_AESNI (with SSSE3 and
 * SSE4.1, which aes_aesni.c is compiled for).
 *
 * This module does not do GCM (gcm*.c builds on it) and does not do TLS's CBC record format
 * (MAC-then-encrypt and Lucky Thirteen belong to the record layer). */
#ifndef PL_CRYPTO_AES_H
#define PL_CRYPTO_AES_H

#include <stdalign.h>

#include "base/pl.h"

#define PL_AES_BLOCK_LEN 16
#define PL_AES_MAX_ROUNDS 14

typedef struct pl_aes_key {
    /* Round keys w[0..4*(rounds+1)-1] of FIPS-197 §5.2, as 16-byte blocks in byte order: what
     * AESENC takes. Filled for every key, whichever implementation runs. */
    alignas(16) uint8_t rk[PL_AES_MAX_ROUNDS + 1][16];
    /* Decryption round keys for AESDEC (the equivalent inverse cipher, FIPS-197 §5.3.5):
     * drk[0] = rk[rounds], drk[i] = InvMixColumns(rk[rounds - i]), drk[rounds] = rk[0]. */
    alignas(16) uint8_t drk[PL_AES_MAX_ROUNDS + 1][16];
    /* The portable implementation's bitsliced round keys; layout private to aes.c. */
    uint64_t bs[(PL_AES_MAX_ROUNDS + 1) * 8];
    unsigned rounds; /* 10, 12 or 14 */
} pl_aes_key;

/* Expand a 16-, 24- or 32-byte key; SSL_ERR_CRYPTO_BAD_KEY_SIZE for any other length.
 * Constant-time in the key. Wipe the key with pl_aes_wipe() when done. */
PL_MUST_CHECK int pl_aes_init(pl_aes_key *k, const uint8_t *key, size_t key_len);
void pl_aes_wipe(pl_aes_key *k);

/* nblocks 16-byte blocks, in to out (out may equal in). */
void pl_aes_encrypt_blocks(const pl_aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks);
void pl_aes_decrypt_blocks(const pl_aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks);

/* CTR: XOR len bytes of in with the key stream E(ctr), E(ctr+1), ... to out, where the last four
 * bytes of the counter block are a big-endian counter that wraps mod 2^32 (inc32). The counter
 * block given is the first one used; the caller advances its own copy. len need not be a
 * multiple of 16. */
void pl_aes_ctr32(const pl_aes_key *k, const uint8_t ctr[PL_AES_BLOCK_LEN], const uint8_t *in,
                  uint8_t *out, size_t len);

/* CBC over len bytes (a multiple of 16, else nothing happens and SSL_ERR_CRYPTO_BAD_LENGTH is
 * returned). iv is updated to the last ciphertext block so calls can be chained. */
PL_MUST_CHECK int pl_aes_cbc_encrypt(const pl_aes_key *k, uint8_t iv[PL_AES_BLOCK_LEN],
                                     const uint8_t *in, uint8_t *out, size_t len);
PL_MUST_CHECK int pl_aes_cbc_decrypt(const pl_aes_key *k, uint8_t iv[PL_AES_BLOCK_LEN],
                                     const uint8_t *in, uint8_t *out, size_t len);

/* PKCS#7 (RFC 5652 §6.3) padding of a block-aligned buffer: *out_len is len minus the padding.
 * Checks in constant time (every byte of the last block is read whatever the pad value; the
 * result does not branch on it) and returns SSL_ERR_CRYPTO_BAD_PADDING when the padding is
 * wrong. len must be a non-zero multiple of 16, else SSL_ERR_CRYPTO_BAD_LENGTH. */
PL_MUST_CHECK int pl_pkcs7_unpad(const uint8_t *buf, size_t len, size_t *out_len);

/* The two implementations, for tests and benchmarks; the _aesni ones need PL_CPU_AESNI. */
void pl_aes_encrypt_blocks_portable(const pl_aes_key *k, const uint8_t *in, uint8_t *out,
                                    size_t nblocks);
void pl_aes_decrypt_blocks_portable(const pl_aes_key *k, const uint8_t *in, uint8_t *out,
                                    size_t nblocks);
void pl_aes_ctr32_portable(const pl_aes_key *k, const uint8_t ctr[PL_AES_BLOCK_LEN],
                           const uint8_t *in, uint8_t *out, size_t len);
void pl_aes_encrypt_blocks_aesni(const pl_aes_key *k, const uint8_t *in, uint8_t *out,
                                 size_t nblocks);
void pl_aes_decrypt_blocks_aesni(const pl_aes_key *k, const uint8_t *in, uint8_t *out,
                                 size_t nblocks);
void pl_aes_ctr32_aesni(const pl_aes_key *k, const uint8_t ctr[PL_AES_BLOCK_LEN],
                        const uint8_t *in, uint8_t *out, size_t len);
/* CBC per implementation, over nblocks whole blocks (no length check: pl_aes_cbc_encrypt() and
 * pl_aes_cbc_decrypt() are the checked entry points); iv is updated as there. */
void pl_aes_cbc_encrypt_portable(const pl_aes_key *k, uint8_t iv[PL_AES_BLOCK_LEN],
                                 const uint8_t *in, uint8_t *out, size_t nblocks);
void pl_aes_cbc_decrypt_portable(const pl_aes_key *k, uint8_t iv[PL_AES_BLOCK_LEN],
                                 const uint8_t *in, uint8_t *out, size_t nblocks);
void pl_aes_cbc_encrypt_aesni(const pl_aes_key *k, uint8_t iv[PL_AES_BLOCK_LEN],
                              const uint8_t *in, uint8_t *out, size_t nblocks);
void pl_aes_cbc_decrypt_aesni(const pl_aes_key *k, uint8_t iv[PL_AES_BLOCK_LEN],
                              const uint8_t *in, uint8_t *out, size_t nblocks);

#endif
