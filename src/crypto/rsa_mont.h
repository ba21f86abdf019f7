/* Montgomery arithmetic modulo an odd number of up to 8192 bits, for RSA's private operation (the
 * CRT halves modulo p and q) and its public operation (modulo n), and a modular inverse for the
 * blinding value.
 *
 * A number is an array of 64-bit limbs, least significant first, with exactly ctx->len limbs
 * for a residue. R = 2^(64·len). Multiplication is Montgomery multiplication by product scanning
 * with the reduction interleaved (the "FIPS" method of Koç, Acar, Kaliski 1996), 64x64-bit
 * products accumulated by a few lines of x86-64 inline assembly, with a dedicated squaring and
 * a masked final subtraction; exponentiation with a secret exponent uses a fixed 4-bit window
 * whose table entry is read by scanning the whole table with masks. So pl_mont_mul, pl_mont_exp
 * and pl_mont_reduce are constant-time in their operands, the modulus included: time and memory
 * addresses depend on ctx->len and the exponent's limb count only. pl_mont_exp_vartime's time
 * depends on its (public) exponent's bits, pl_mont_inverse_vartime's on everything.
 *
 * libtommath is not used here: it is not constant-time (libtommath#294), and this module is
 * what keeps its timing away from the private key. Loading and generating RSA keys still uses
 * libtommath in rsa.c, once per key.
 *
 * Not here: even moduli (Montgomery reduction needs m odd; pl_mont_init refuses even m),
 * moduli of one limb, and anything but what RSA needs. */
#ifndef PL_CRYPTO_RSA_MONT_H
#define PL_CRYPTO_RSA_MONT_H

#include "base/pl.h"

#define PL_MONT_MAX_LIMBS 128 /* 8192 bits */

typedef struct pl_mont {
    size_t len;                      /* limbs of m, 2..PL_MONT_MAX_LIMBS; m[len-1] != 0 */
    uint64_t m0inv;                  /* -m^-1 mod 2^64 */
    uint64_t m[PL_MONT_MAX_LIMBS];   /* the odd modulus */
    uint64_t rr[PL_MONT_MAX_LIMBS];  /* R^2 mod m: converts into Montgomery form */
    uint64_t one[PL_MONT_MAX_LIMBS]; /* R mod m: 1 in Montgomery form */
    uint64_t shift[PL_MONT_MAX_LIMBS]; /* 2^(64(len-1)) · R mod m, for pl_mont_reduce */
} pl_mont;

/* Set up arithmetic modulo m (big-endian, leading zero bytes allowed). SSL_ERR_INVALID_ARGUMENT
 * when m is even, has fewer than two limbs' worth of significant bytes (m < 2^64), or more than
 * PL_MONT_MAX_LIMBS limbs. Constant-time in m except for its bit length. */
PL_MUST_CHECK int pl_mont_init(pl_mont *ctx, const uint8_t *m, size_t m_len);

/* Big-endian bytes to limbs: out gets limbs limbs. SSL_ERR_INVALID_ARGUMENT when the value does
 * not fit (a non-zero byte beyond 8·limbs bytes). Time depends on the lengths only. */
PL_MUST_CHECK int pl_mont_decode(uint64_t *out, size_t limbs, const uint8_t *in, size_t in_len);
/* limbs limbs to exactly out_len big-endian bytes, truncating high limbs or zero-padding (the
 * caller knows the value fits). Time depends on the lengths only. */
void pl_mont_encode(uint8_t *out, size_t out_len, const uint64_t *in, size_t limbs);

/* r = a·b·R^-1 mod m. a, b < m (more generally a·b < R·m); r < m. r may alias a or b. */
void pl_mont_mul(const pl_mont *ctx, uint64_t *r, const uint64_t *a, const uint64_t *b);

/* r = a mod m for any a of a_limbs limbs (r has ctx->len limbs and may not alias a). */
void pl_mont_reduce(const pl_mont *ctx, uint64_t *r, const uint64_t *a, size_t a_limbs);

/* r = base^exp mod m, in and out of Montgomery form: base < m is an ordinary residue, exp has
 * exp_limbs limbs (all of them processed, leading zeros included). Constant-time in base and
 * exp. r may alias base. */
void pl_mont_exp(const pl_mont *ctx, uint64_t *r, const uint64_t *base, const uint64_t *exp,
                 size_t exp_limbs);

/* r = base^e mod m for a public exponent e >= 1 (left-to-right square and multiply; time
 * depends on e's bits, never on base's value). base < m. r may alias base. */
void pl_mont_exp_vartime(const pl_mont *ctx, uint64_t *r, const uint64_t *base, uint32_t e);

/* r = y^-1 mod m for y < m: 1, or 0 when y has no inverse (gcd(y, m) > 1; also y = 0). The
 * binary GCD of Pornin (IACR ePrint 2020/972) on 64-bit approximations. Variable time: its time
 * depends on y and m, so y must be a public or a fresh random value (RSA's blinding factor). */
PL_MUST_CHECK int pl_mont_inverse_vartime(const pl_mont *ctx, uint64_t *r, const uint64_t *y);

/* 1 when a < b (both len limbs), else 0. Constant-time. */
uint32_t pl_mont_lt(const uint64_t *a, const uint64_t *b, size_t len);

#endif
