/* Big numbers as big-endian byte strings: the thin layer over libtommath shared by RSA (rsa.c)
 * and finite-field Diffie-Hellman (dh.c).
 *
 * No header includes tommath.h: libtommath stays inside bn.c, rsa.c and dh.c. Those files
 * translate libtommath's results with pl_bn_check, and draw its randomness (prime generation,
 * mp_rand) from pl_random after pl_bn_use_os_random.
 *
 * libtommath is not constant-time (libtommath#294) and has had wrong-result bugs
 * (libtommath#563: mp_exptmod with an even modulus; libtommath#117: mp_invmod). So: only public
 * or blinded operands go through it, pl_bn_mod_exp refuses even moduli, and every path used is
 * checked against answers from elsewhere (Wycheproof, OpenSSL in tests/cross/).
 *
 * Not here: signed numbers, and anything constant-time (see rsa_mont.h for that). */
#ifndef PL_CRYPTO_BN_H
#define PL_CRYPTO_BN_H

#include "base/pl.h"

/* A libtommath result (mp_err, passed as int) as a padlock code: 0 for MP_OKAY,
 * SSL_ERR_NO_MEMORY for MP_MEM, SSL_ERR_CRYPTO_BIGNUM for anything else. */
PL_MUST_CHECK int pl_bn_check(int mp_err);

/* Make libtommath's random source (mp_rand_source: mp_rand, mp_prime_rand, the random bases of
 * mp_prime_is_prime) pl_random, the OS generator. Idempotent and thread-safe (call_once). */
void pl_bn_use_os_random(void);

/* Exact bit length of a big-endian magnitude (leading zero bytes allowed); 0 for zero.
 * Time depends on the value's leading bytes: for public numbers. */
size_t pl_bn_bits(const uint8_t *p, size_t len);

/* Compare two big-endian magnitudes (leading zero bytes allowed): -1, 0 or 1. Not
 * constant-time: for public numbers. */
int pl_bn_cmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len);

/* out = base^exp mod m, written as exactly out_len bytes (left-padded with zeros), for public
 * operands. m must be odd and greater than 1 (SSL_ERR_INVALID_ARGUMENT otherwise: libtommath#563
 * makes even moduli unsafe), and the result must fit out_len (SSL_ERR_INVALID_ARGUMENT). Time
 * depends on all operands (libtommath's mp_exptmod). */
PL_MUST_CHECK int pl_bn_mod_exp(uint8_t *out, size_t out_len, const uint8_t *base,
                                size_t base_len, const uint8_t *exp, size_t exp_len,
                                const uint8_t *m, size_t m_len);

#endif
