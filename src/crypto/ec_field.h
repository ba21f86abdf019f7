/* Arithmetic modulo the primes of the NIST curves (the field primes p and the group orders n of
 * P-256 and P-384): fixed-size Montgomery arithmetic in 4 or 6 64-bit limbs, for ec.c and ecdsa.c.
 *
 * An element is pl_ec_fe, little-endian limbs, of which the modulus's n are used; the rest are
 * left as they are. Elements are kept fully reduced (below the modulus) in Montgomery form
 * a·R mod m, R = 2^(64·n) (Montgomery 1985; the word-by-word CIOS form of Koç, Acar and Kaliski
 * 1996). P-256's p, where an ECDHE-ECDSA handshake spends most of its time, has its own
 * multiplication, squaring, addition, subtraction and halving in x86-64 assembly, using the
 * special form of p, and its own inversion chain. Every function here except
 * pl_ec_mod_inv_vartime is constant-time in its operands' values: no branch or memory index
 * depends on them, final subtractions are masked or made by cmov; the time depends only on the
 * modulus. Moduli must be odd, with the top limb non-zero.
 *
 * Not here: moduli of other sizes, and non-reduced (lazy) representations. */
#ifndef PL_CRYPTO_EC_FIELD_H
#define PL_CRYPTO_EC_FIELD_H

#include "base/pl.h"

#define PL_EC_MAX_LIMBS 6

typedef struct pl_ec_fe {
    uint64_t v[PL_EC_MAX_LIMBS];
} pl_ec_fe;

typedef struct pl_ec_modulus {
    size_t n;                        /* limbs: 4 or 6 */
    uint32_t id;                     /* which of the four moduli below: picks the instance */
    uint64_t m[PL_EC_MAX_LIMBS];     /* the modulus */
    uint64_t m0inv;                  /* -m^-1 mod 2^64 */
    uint64_t r2[PL_EC_MAX_LIMBS];    /* R^2 mod m: turns a into Montgomery form */
    uint64_t one[PL_EC_MAX_LIMBS];   /* R mod m: 1 in Montgomery form */
} pl_ec_modulus;

/* The field primes and group orders of P-256 and P-384 (FIPS 186-4 §D.1.2.3, §D.1.2.4). The
 * arithmetic is instantiated for each, with the modulus as a compile-time constant. */
extern const pl_ec_modulus pl_ec_p256_p, pl_ec_p256_n, pl_ec_p384_p, pl_ec_p384_n;

/* r = a·b·R^-1 mod m (the Montgomery product; in Montgomery form, the product). */
void pl_ec_mod_mul(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a, const pl_ec_fe *b);
void pl_ec_mod_sqr(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a);
void pl_ec_mod_add(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a, const pl_ec_fe *b);
void pl_ec_mod_sub(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a, const pl_ec_fe *b);
/* r = a/2 mod m (in or out of Montgomery form alike). */
void pl_ec_mod_half(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a);
/* r = a^-1 in Montgomery form, by Fermat: a^(m-2), m prime (0 gives 0). For P-256's p an
 * addition chain, for the others a fixed window; constant-time like the rest. */
void pl_ec_mod_inv(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a);
/* The same result by a binary extended Euclidean algorithm (Kaliski's almost inverse), about
 * three times faster. Variable time: its time depends on a's value, so a must be public (the s
 * of a signature to verify). */
void pl_ec_mod_inv_vartime(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a);
/* The multiplication, squaring, addition, subtraction and halving modulo P-256's p (pl_ec_p256_p)
 * without the dispatch on the modulus, for the point arithmetic's inner loops. */
void pl_ec_p256_mul(pl_ec_fe *r, const pl_ec_fe *a, const pl_ec_fe *b);
void pl_ec_p256_sqr(pl_ec_fe *r, const pl_ec_fe *a);
void pl_ec_p256_add(pl_ec_fe *r, const pl_ec_fe *a, const pl_ec_fe *b);
void pl_ec_p256_sub(pl_ec_fe *r, const pl_ec_fe *a, const pl_ec_fe *b);
void pl_ec_p256_half(pl_ec_fe *r, const pl_ec_fe *a);
/* Into and out of Montgomery form. */
void pl_ec_mod_to_mont(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a);
void pl_ec_mod_from_mont(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a);

/* Big-endian bytes (exactly 8·n of them) to limbs, not reduced, and back. */
void pl_ec_fe_from_bytes(const pl_ec_modulus *m, pl_ec_fe *r, const uint8_t *in);
void pl_ec_fe_to_bytes(const pl_ec_modulus *m, uint8_t *out, const pl_ec_fe *a);
/* 1 when a < m, else 0. */
uint32_t pl_ec_fe_below_modulus(const pl_ec_modulus *m, const pl_ec_fe *a);
/* 1 when a is zero, else 0. */
uint32_t pl_ec_fe_is_zero(const pl_ec_modulus *m, const pl_ec_fe *a);
/* 1 when a == b, else 0. */
uint32_t pl_ec_fe_eq(const pl_ec_modulus *m, const pl_ec_fe *a, const pl_ec_fe *b);
/* r = a when ctl is 1, unchanged when ctl is 0. */
void pl_ec_fe_copy_if(const pl_ec_modulus *m, uint32_t ctl, pl_ec_fe *r, const pl_ec_fe *a);
/* r = a - m when a >= m, else a: reduces any a < 2m (with a below 2^(64n)). */
void pl_ec_fe_reduce_once(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a);

#endif
