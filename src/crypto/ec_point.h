/* Points of P-256 and P-384 inside the library: the curve parameters, projective points and the
 * three scalar multiplications, shared by ec.c (keys, ECDH) and ecdsa.c. See ec.h for the design.
 *
 * A point is (X : Y : Z) in homogeneous projective coordinates, x = X/Z, y = Y/Z, coordinates in
 * Montgomery form; the point at infinity is (0 : 1 : 0) (any Z = 0). */
#ifndef PL_CRYPTO_EC_POINT_H
#define PL_CRYPTO_EC_POINT_H

#include "crypto/ec.h"
#include "crypto/ec_field.h"

typedef struct pl_ec_point {
    pl_ec_fe x, y, z;
} pl_ec_point;

typedef struct pl_ec_params {
    pl_ec_curve id;
    size_t len;                    /* bytes of a field element and of a scalar: 32 or 48 */
    const pl_ec_modulus *p;        /* the field prime */
    const pl_ec_modulus *n;        /* the order of G (prime; the cofactor is 1) */
    uint64_t b[PL_EC_MAX_LIMBS];   /* y^2 = x^3 - 3x + b, b in Montgomery form */
    uint64_t gx[PL_EC_MAX_LIMBS];  /* the generator, Montgomery form */
    uint64_t gy[PL_EC_MAX_LIMBS];
    /* The fixed-base table: rows i = 0 .. 2·len, each holding the affine points j·16^i·G for
     * j = 1..8 as x then y, n limbs each, Montgomery form (p256_table.c, p384_table.c). */
    const uint64_t *base_table;
    /* The odd multiples j·G for j = 1, 3, ..., 63, affine, x then y, n limbs each, Montgomery
     * form: the digits of the verifier's width-7 NAF (p256_table.c, p384_table.c). */
    const uint64_t *odd_table;
} pl_ec_params;

/* The parameters of a curve, or NULL for an unknown one. */
const pl_ec_params *pl_ec_params_of(pl_ec_curve curve);

/* Decode and validate 0x04 || X || Y: SSL_ERR_CRYPTO_BAD_POINT_ENCODING,
 * SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE. Constant-time in X and Y; the verdicts are declassified
 * (a refused point is public). */
PL_MUST_CHECK int pl_ec_point_decode(const pl_ec_params *c, pl_ec_point *r, const uint8_t *in,
                                     size_t len);
/* Write the affine 0x04 || X || Y (1 + 2·len bytes). Returns 1 (and writes zeros) when p is the
 * point at infinity, else 0. Constant-time; the return value is not declassified. */
uint32_t pl_ec_point_encode(const pl_ec_params *c, uint8_t *out, const pl_ec_point *p);

/* 1 when the len-byte big-endian k is in [1, n-1], else 0. Constant-time. */
uint32_t pl_ec_scalar_in_range(const pl_ec_params *c, const uint8_t *k);

/* r = k·G, k a len-byte big-endian scalar below n. Constant-time in k. */
void pl_ec_point_mul_base(const pl_ec_params *c, pl_ec_point *r, const uint8_t *k);
/* r = k·p, k below n. Constant-time in k and p. */
void pl_ec_point_mul(const pl_ec_params *c, pl_ec_point *r, const uint8_t *k,
                     const pl_ec_point *p);
/* r = u1·G + u2·p, u1 and u2 below n (either may be 0). Variable time: public data only. */
void pl_ec_point_double_mul_vartime(const pl_ec_params *c, pl_ec_point *r, const uint8_t *u1,
                                    const uint8_t *u2, const pl_ec_point *p);

extern const uint64_t pl_p256_base_table[];
extern const uint64_t pl_p384_base_table[];
extern const uint64_t pl_p256_odd_table[];
extern const uint64_t pl_p384_odd_table[];

#endif
