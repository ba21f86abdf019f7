/* X25519 (RFC 7748 §5): Diffie-Hellman on Curve25519's Montgomery form, u-coordinates only.
 *
 * The field arithmetic is our own: five 51-bit limbs in 64-bit words, 128-bit products, no
 * libtommath. The scalar multiplication is the Montgomery ladder with a masked conditional swap,
 * so its time and memory accesses are independent of the scalar and of the peer's value.
 *
 * Not here: Ed25519 signatures, and any check on the peer's u beyond the all-zero result (RFC
 * 7748 §6.1 makes that the one check a protocol needs; every 32-byte string is a valid input). */
#ifndef PL_CRYPTO_X25519_H
#define PL_CRYPTO_X25519_H

#include "base/pl.h"

#define PL_X25519_LEN 32

/* The X25519 function of RFC 7748 §5: out = scalar · u, with the scalar clamped and the top bit
 * of u ignored as the RFC says. No check on the result: the raw function for tests. */
void pl_x25519(uint8_t out[PL_X25519_LEN], const uint8_t scalar[PL_X25519_LEN],
               const uint8_t u[PL_X25519_LEN]);

/* The public value priv · 9 (the base point) of a private key; the same as pl_x25519(pub, priv,
 * {9}), faster. Constant-time in priv. */
void pl_x25519_public(uint8_t pub[PL_X25519_LEN], const uint8_t priv[PL_X25519_LEN]);

/* A fresh key pair: 32 random private bytes and their public value scalar · 9.
 * SSL_ERR_RANDOM_FAILED when the OS has no randomness (nothing is written then). */
PL_MUST_CHECK int pl_x25519_keygen(uint8_t priv[PL_X25519_LEN], uint8_t pub[PL_X25519_LEN]);

/* The shared secret with a peer's public value. SSL_ERR_CRYPTO_ZERO_SHARED_SECRET (and out
 * zeroed) when it is all zeros, i.e. the peer sent a point of small order (RFC 7748 §6.1).
 * Constant-time in priv and peer; only the zero verdict is made public. */
PL_MUST_CHECK int pl_x25519_shared(uint8_t out[PL_X25519_LEN], const uint8_t priv[PL_X25519_LEN],
                                   const uint8_t peer[PL_X25519_LEN]);

#endif
