/* The TLS 1.2 pseudo-random function (RFC 5246 §5):
 *
 *     PRF(secret, label, seed) = P_hash(secret, label ‖ seed)
 *     P_hash(secret, seed) = HMAC(secret, A(1) ‖ seed) ‖ HMAC(secret, A(2) ‖ seed) ‖ ...
 *     A(0) = seed, A(i) = HMAC(secret, A(i-1))
 *
 * with the hash given as a class: SHA-256 for every TLS 1.2 suite unless the suite names another
 * (SHA-384 for the *_SHA384 suites); any class works. The secret is keyed into HMAC once. The
 * A(i) values and HMAC states are wiped before returning.
 *
 * Constant time: time depends on the secret's, label's and seed's lengths and on out_len, never
 * on their contents.
 *
 * Not here: the TLS 1.0/1.1 PRF (MD5 ‖ SHA-1 split secret), and deciding what the label and seed
 * are (the key schedule does that: master secret, key expansion, Finished). */
#ifndef PL_CRYPTO_PRF_H
#define PL_CRYPTO_PRF_H

#include "crypto/hash.h"

/* Write out_len bytes of PRF(secret, label, seed) to out. label is a NUL-terminated ASCII string
 * (its NUL is not part of the PRF input); seed may be NULL when seed_len is 0. out may overlap
 * secret (the secret is read once, before any output is written) but not label or seed. */
void pl_prf_derive(const pl_hash_class *h, const uint8_t *secret, size_t secret_len,
                   const char *label, const uint8_t *seed, size_t seed_len, uint8_t *out,
                   size_t out_len);

/* The same with the seed given as seed1 ‖ seed2, sparing the caller the concatenation
 * (client_random ‖ server_random for the master secret, server_random ‖ client_random for the
 * key block, RFC 5246 §8.1 and §6.3). */
void pl_prf_derive2(const pl_hash_class *h, const uint8_t *secret, size_t secret_len,
                    const char *label, const uint8_t *seed1, size_t seed1_len,
                    const uint8_t *seed2, size_t seed2_len, uint8_t *out, size_t out_len);

#endif
