/* P-256 and P-384 points, scalar multiplication, keys and ECDH; see ec.h and ec_point.h.
 *
 * Curve constants: FIPS 186-4 §D.1.2.3 (P-256) and §D.1.2.4 (P-384), the same as SEC 2 §2.4.2
 * and §2.5.1 and SP 800-186 §3.2.1.3 and §3.2.1.4, written as limbs in Montgomery form.
 *
 * Point arithmetic: the complete formulas for prime-order short Weierstrass curves with a = -3
 * of Renes, Costello and Batina, "Complete addition formulas for prime order elliptic curves"
 * (EUROCRYPT 2016), Algorithms 4 (addition), 5 (mixed addition) and 6 (doubling). They are
 * correct for every pair of inputs, doubling and infinity included (Algorithm 5: except for an
 * infinite affine input, which our tables never hold), so no constant-time code here branches
 * on a point. Doublings, which have no exceptional case on these curves, are made in Jacobian
 * coordinates (dbl-2001-b of the Explicit-Formulas Database), which is cheaper, by the
 * constant-time multiplication too. The verifier's variable-time double multiplication stays in
 * Jacobian coordinates, with the addition formulas add-2007-bl and madd-2007-bl, whose
 * exceptional cases it handles by branches on public values.
 *
 * Not here: ECDSA (ecdsa.c), field arithmetic (ec_field.c). */
#include "base/ct.h"
#include "base/cursor.h"
#include "crypto/ec_point.h"

typedef pl_ec_fe fe;

static const pl_ec_params p256 = {
    .id = PL_EC_P256,
    .len = 32,
    .p = &pl_ec_p256_p,
    .n = &pl_ec_p256_n,
    .b = {0xd89cdf6229c4bddf, 0xacf005cd78843090, 0xe5a220abf7212ed6, 0xdc30061d04874834},
    .gx = {0x79e730d418a9143c, 0x75ba95fc5fedb601, 0x79fb732b77622510, 0x18905f76a53755c6},
    .gy = {0xddf25357ce95560a, 0x8b4ab8e4ba19e45c, 0xd2e88688dd21f325, 0x8571ff1825885d85},
    .base_table = pl_p256_base_table,
    .odd_table = pl_p256_odd_table,
};

static const pl_ec_params p384 = {
    .id = PL_EC_P384,
    .len = 48,
    .p = &pl_ec_p384_p,
    .n = &pl_ec_p384_n,
    .b = {0x081188719d412dcc, 0xf729add87a4c32ec, 0x77f2209b1920022e, 0xe3374bee94938ae2,
          0xb62b21f41f022094, 0xcd08114b604fbff9},
    .gx = {0x3dd0756649c0b528, 0x20e378e2a0d6ce38, 0x879c3afc541b4d6e, 0x6454868459a30eff,
           0x812ff723614ede2b, 0x4d3aadc2299e1513},
    .gy = {0x23043dad4b03a4fe, 0xa1bfa8bf7bb4a9ac, 0x8bade7562e83b050, 0xc6c3521968f4ffd9,
           0xdd8002263969a840, 0x2b78abc25a15c5e9},
    .base_table = pl_p384_base_table,
    .odd_table = pl_p384_odd_table,
};

const pl_ec_params *pl_ec_params_of(pl_ec_curve curve)
{
    switch (curve) {
    case PL_EC_P256:
        return &p256;
    case PL_EC_P384:
        return &p384;
    default:
        return NULL;
    }
}

size_t pl_ec_scalar_len(pl_ec_curve curve)
{
    const pl_ec_params *c = pl_ec_params_of(curve);
    return c != NULL ? c->len : 0;
}

size_t pl_ec_point_len(pl_ec_curve curve)
{
    const pl_ec_params *c = pl_ec_params_of(curve);
    return c != NULL ? 1 + 2 * c->len : 0;
}

/* ---- field shorthands ------------------------------------------------------------------------ */

/* P-256's field operations are called directly, the others through the modulus's dispatch. The
 * test is on the curve, which is public. */
static inline void fmul(const pl_ec_params *c, fe *r, const fe *a, const fe *b)
{
    if (c->id == PL_EC_P256) {
        pl_ec_p256_mul(r, a, b);
    } else {
        pl_ec_mod_mul(c->p, r, a, b);
    }
}

static inline void fsqr(const pl_ec_params *c, fe *r, const fe *a)
{
    if (c->id == PL_EC_P256) {
        pl_ec_p256_sqr(r, a);
    } else {
        pl_ec_mod_sqr(c->p, r, a);
    }
}

static inline void fadd(const pl_ec_params *c, fe *r, const fe *a, const fe *b)
{
    if (c->id == PL_EC_P256) {
        pl_ec_p256_add(r, a, b);
    } else {
        pl_ec_mod_add(c->p, r, a, b);
    }
}

static inline void fsub(const pl_ec_params *c, fe *r, const fe *a, const fe *b)
{
    if (c->id == PL_EC_P256) {
        pl_ec_p256_sub(r, a, b);
    } else {
        pl_ec_mod_sub(c->p, r, a, b);
    }
}

static inline void fhalf(const pl_ec_params *c, fe *r, const fe *a)
{
    if (c->id == PL_EC_P256) {
        pl_ec_p256_half(r, a);
    } else {
        pl_ec_mod_half(c->p, r, a);
    }
}

static void fe_set(fe *r, const uint64_t *limbs)
{
    memset(r, 0, sizeof *r);
    memcpy(r->v, limbs, sizeof r->v);
}

static void point_set_infinity(const pl_ec_params *c, pl_ec_point *r)
{
    memset(r, 0, sizeof *r);
    fe_set(&r->y, c->p->one);
}

static void point_copy_if(const pl_ec_params *c, uint32_t ctl, pl_ec_point *r,
                          const pl_ec_point *a)
{
    pl_ec_fe_copy_if(c->p, ctl, &r->x, &a->x);
    pl_ec_fe_copy_if(c->p, ctl, &r->y, &a->y);
    pl_ec_fe_copy_if(c->p, ctl, &r->z, &a->z);
}

/* ---- the complete formulas (Renes, Costello, Batina 2016, a = -3) ---------------------------- */

/* Algorithm 4: r = p + q for any p, q. 12M + 2m_b; r may alias p or q. */
static void point_add(const pl_ec_params *c, pl_ec_point *r, const pl_ec_point *p,
                      const pl_ec_point *q)
{
    fe t0, t1, t2, t3, t4, x3, y3, z3, b;
    fe_set(&b, c->b);
    fmul(c, &t0, &p->x, &q->x);
    fmul(c, &t1, &p->y, &q->y);
    fmul(c, &t2, &p->z, &q->z);
    fadd(c, &t3, &p->x, &p->y);
    fadd(c, &t4, &q->x, &q->y);
    fmul(c, &t3, &t3, &t4);
    fadd(c, &t4, &t0, &t1);
    fsub(c, &t3, &t3, &t4);
    fadd(c, &t4, &p->y, &p->z);
    fadd(c, &x3, &q->y, &q->z);
    fmul(c, &t4, &t4, &x3);
    fadd(c, &x3, &t1, &t2);
    fsub(c, &t4, &t4, &x3);
    fadd(c, &x3, &p->x, &p->z);
    fadd(c, &y3, &q->x, &q->z);
    fmul(c, &x3, &x3, &y3);
    fadd(c, &y3, &t0, &t2);
    fsub(c, &y3, &x3, &y3);
    fmul(c, &z3, &b, &t2);
    fsub(c, &x3, &y3, &z3);
    fadd(c, &z3, &x3, &x3);
    fadd(c, &x3, &x3, &z3);
    fsub(c, &z3, &t1, &x3);
    fadd(c, &x3, &t1, &x3);
    fmul(c, &y3, &b, &y3);
    fadd(c, &t1, &t2, &t2);
    fadd(c, &t2, &t1, &t2);
    fsub(c, &y3, &y3, &t2);
    fsub(c, &y3, &y3, &t0);
    fadd(c, &t1, &y3, &y3);
    fadd(c, &y3, &t1, &y3);
    fadd(c, &t1, &t0, &t0);
    fadd(c, &t0, &t1, &t0);
    fsub(c, &t0, &t0, &t2);
    fmul(c, &t1, &t4, &y3);
    fmul(c, &t2, &t0, &y3);
    fmul(c, &y3, &x3, &z3);
    fadd(c, &y3, &y3, &t2);
    fmul(c, &x3, &t3, &x3);
    fsub(c, &x3, &x3, &t1);
    fmul(c, &z3, &t4, &z3);
    fmul(c, &t1, &t3, &t0);
    fadd(c, &z3, &z3, &t1);
    r->x = x3;
    r->y = y3;
    r->z = z3;
}

/* Algorithm 5: r = p + (qx, qy) for an affine q (Z = 1), which must not be infinity; p may be.
 * 11M + 2m_b; r may alias p. */
static void point_add_affine(const pl_ec_params *c, pl_ec_point *r, const pl_ec_point *p,
                             const fe *qx, const fe *qy)
{
    fe t0, t1, t2, t3, t4, x3, y3, z3, b;
    fe_set(&b, c->b);
    fmul(c, &t0, &p->x, qx);
    fmul(c, &t1, &p->y, qy);
    fadd(c, &t3, qx, qy);
    fadd(c, &t4, &p->x, &p->y);
    fmul(c, &t3, &t3, &t4);
    fadd(c, &t4, &t0, &t1);
    fsub(c, &t3, &t3, &t4);
    fmul(c, &t4, qy, &p->z);
    fadd(c, &t4, &t4, &p->y);
    fmul(c, &y3, qx, &p->z);
    fadd(c, &y3, &y3, &p->x);
    fmul(c, &z3, &b, &p->z);
    fsub(c, &x3, &y3, &z3);
    fadd(c, &z3, &x3, &x3);
    fadd(c, &x3, &x3, &z3);
    fsub(c, &z3, &t1, &x3);
    fadd(c, &x3, &t1, &x3);
    fmul(c, &y3, &b, &y3);
    fadd(c, &t1, &p->z, &p->z);
    fadd(c, &t2, &t1, &p->z);
    fsub(c, &y3, &y3, &t2);
    fsub(c, &y3, &y3, &t0);
    fadd(c, &t1, &y3, &y3);
    fadd(c, &y3, &t1, &y3);
    fadd(c, &t1, &t0, &t0);
    fadd(c, &t0, &t1, &t0);
    fsub(c, &t0, &t0, &t2);
    fmul(c, &t1, &t4, &y3);
    fmul(c, &t2, &t0, &y3);
    fmul(c, &y3, &x3, &z3);
    fadd(c, &y3, &y3, &t2);
    fmul(c, &x3, &t3, &x3);
    fsub(c, &x3, &x3, &t1);
    fmul(c, &z3, &t4, &z3);
    fmul(c, &t1, &t3, &t0);
    fadd(c, &z3, &z3, &t1);
    r->x = x3;
    r->y = y3;
    r->z = z3;
}

/* Algorithm 6: r = 2p for any p. 8M + 3S + 2m_b; r may alias p. */
static void point_double(const pl_ec_params *c, pl_ec_point *r, const pl_ec_point *p)
{
    fe t0, t1, t2, t3, x3, y3, z3, b;
    fe_set(&b, c->b);
    fsqr(c, &t0, &p->x);
    fsqr(c, &t1, &p->y);
    fsqr(c, &t2, &p->z);
    fmul(c, &t3, &p->x, &p->y);
    fadd(c, &t3, &t3, &t3);
    fmul(c, &z3, &p->x, &p->z);
    fadd(c, &z3, &z3, &z3);
    fmul(c, &y3, &b, &t2);
    fsub(c, &y3, &y3, &z3);
    fadd(c, &x3, &y3, &y3);
    fadd(c, &y3, &x3, &y3);
    fsub(c, &x3, &t1, &y3);
    fadd(c, &y3, &t1, &y3);
    fmul(c, &y3, &x3, &y3);
    fmul(c, &x3, &x3, &t3);
    fadd(c, &t3, &t2, &t2);
    fadd(c, &t2, &t2, &t3);
    fmul(c, &z3, &b, &z3);
    fsub(c, &z3, &z3, &t2);
    fsub(c, &z3, &z3, &t0);
    fadd(c, &t3, &z3, &z3);
    fadd(c, &z3, &z3, &t3);
    fadd(c, &t3, &t0, &t0);
    fadd(c, &t0, &t3, &t0);
    fsub(c, &t0, &t0, &t2);
    fmul(c, &t0, &t0, &z3);
    fadd(c, &y3, &y3, &t0);
    fmul(c, &t0, &p->y, &p->z);
    fadd(c, &t0, &t0, &t0);
    fmul(c, &z3, &t0, &z3);
    fsub(c, &x3, &x3, &z3);
    fmul(c, &z3, &t0, &t1);
    fadd(c, &z3, &z3, &z3);
    fadd(c, &z3, &z3, &z3);
    r->x = x3;
    r->y = y3;
    r->z = z3;
}

/* ---- encoding -------------------------------------------------------------------------------- */

/* 1 when y^2 = x^3 - 3x + b (Montgomery-form coordinates), else 0. */
static uint32_t on_curve(const pl_ec_params *c, const fe *x, const fe *y)
{
    fe lhs, rhs, t, b;
    fe_set(&b, c->b);
    fsqr(c, &lhs, y);
    fsqr(c, &rhs, x);
    fmul(c, &rhs, &rhs, x);
    fadd(c, &t, x, x);
    fadd(c, &t, &t, x);
    fsub(c, &rhs, &rhs, &t);
    fadd(c, &rhs, &rhs, &b);
    return pl_ec_fe_eq(c->p, &lhs, &rhs);
}

/* SEC 1 §2.3.4 (uncompressed form only) and §3.2.3.1: the prefix, the coordinates below p, and
 * the curve equation; on a prime-order curve that is full validation (n·Q = O holds for every
 * point on the curve, and Q != O because infinity has no uncompressed encoding). */
int pl_ec_point_decode(const pl_ec_params *c, pl_ec_point *r, const uint8_t *in, size_t len)
{
    uint8_t xb[PL_EC_MAX_SCALAR_LEN], yb[PL_EC_MAX_SCALAR_LEN], form;
    pl_reader rd;
    fe x, y;
    uint32_t ok;
    ENSURE(len == 1 + 2 * c->len, SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
    pl_reader_init(&rd, in, len);
    TRY(pl_read_u8(&rd, &form));
    TRY(pl_read_copy(&rd, xb, c->len));
    TRY(pl_read_copy(&rd, yb, c->len));
    TRY(pl_read_end(&rd));
    /* RFC 8422 §5.4.1: only the uncompressed form 4 (SEC 1 §2.3.3) is allowed in TLS 1.2. */
    ENSURE(form == 4, SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
    pl_ec_fe_from_bytes(c->p, &x, xb);
    pl_ec_fe_from_bytes(c->p, &y, yb);
    ok = pl_ec_fe_below_modulus(c->p, &x) & pl_ec_fe_below_modulus(c->p, &y);
    pl_ec_mod_to_mont(c->p, &r->x, &x);
    pl_ec_mod_to_mont(c->p, &r->y, &y);
    fe_set(&r->z, c->p->one);
    ok &= on_curve(c, &r->x, &r->y);
    /* A point that fails validation ends the handshake: the verdict is public. */
    pl_ct_declassify(&ok, sizeof ok);
    pl_wipe(xb, sizeof xb);
    pl_wipe(yb, sizeof yb);
    ENSURE(ok, SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE);
    return 0;
}

uint32_t pl_ec_point_encode(const pl_ec_params *c, uint8_t *out, const pl_ec_point *p)
{
    fe zinv, x, y;
    uint32_t inf = pl_ec_fe_is_zero(c->p, &p->z);
    pl_ec_mod_inv(c->p, &zinv, &p->z); /* 0 when z = 0, so x = y = 0 then */
    fmul(c, &x, &p->x, &zinv);
    fmul(c, &y, &p->y, &zinv);
    pl_ec_mod_from_mont(c->p, &x, &x);
    pl_ec_mod_from_mont(c->p, &y, &y);
    out[0] = (uint8_t)(4 & ~pl_ct_mask(inf));
    pl_ec_fe_to_bytes(c->p, out + 1, &x);
    pl_ec_fe_to_bytes(c->p, out + 1 + c->len, &y);
    pl_wipe(&zinv, sizeof zinv);
    pl_wipe(&x, sizeof x);
    pl_wipe(&y, sizeof y);
    return inf;
}

uint32_t pl_ec_scalar_in_range(const pl_ec_params *c, const uint8_t *k)
{
    fe d;
    uint32_t ok;
    pl_ec_fe_from_bytes(c->n, &d, k);
    ok = pl_ec_fe_below_modulus(c->n, &d) & (pl_ec_fe_is_zero(c->n, &d) ^ 1);
    pl_wipe(&d, sizeof d);
    return ok;
}

/* ---- scalar multiplication ------------------------------------------------------------------- */

/* The signed 4-bit digits of a big-endian scalar k of len bytes: k = sum d_i·16^i with d_i in
 * [-8, 8] and 2·len + 1 digits (the last is the final carry, 0 or 1). Each nibble plus the carry
 * in is v in [0, 16]; v >= 9 becomes v - 16 with a carry out. Constant-time. */
static void recode_signed4(const uint8_t *k, size_t len, int8_t *digits)
{
    uint32_t carry = 0;
    for (size_t i = 0; i < 2 * len; i++) {
        uint32_t v = (((uint32_t)k[len - 1 - i / 2] >> (4 * (i % 2))) & 15) + carry;
        carry = (v + 7) >> 4;
        digits[i] = (int8_t)((int32_t)v - (int32_t)(carry << 4));
    }
    digits[2 * len] = (int8_t)carry;
}

/* Split a digit into |d| and its sign bit without a branch. */
static uint32_t digit_abs(int8_t d, uint32_t *neg)
{
    uint32_t u = (uint32_t)(int32_t)d;
    *neg = u >> 31;
    return (u ^ ((uint32_t)0 - *neg)) + *neg;
}

static void point_neg_if(const pl_ec_params *c, uint32_t ctl, fe *y)
{
    fe zero, ny;
    memset(&zero, 0, sizeof zero);
    fsub(c, &ny, &zero, y);
    pl_ec_fe_copy_if(c->p, ctl, y, &ny);
}

/* ---- Jacobian doubling ---------------------------------------------------------------------- */

/* In Jacobian coordinates (X, Y, Z) stands for (X/Z^2, Y/Z^3), and for infinity when Z = 0. The
 * doubling for a = -3 (dbl-2001-b of the Explicit-Formulas Database, Bernstein and Lange)
 * S = 4·X·Y^2, M = 3(X - Z^2)(X + Z^2), X3 = M^2 - 2S, Y3 = M(S - X3) - 8Y^4, Z3 = 2·Y·Z,
 * computed through Y' = 2Y: T = Y'^2 = 4Y^2, S = X·T, Z3 = Y'·Z and 8Y^4 = T^2/2. 4M + 4S and
 * 10 additions, subtractions or halvings, against the complete formula's 8M + 3S, two
 * multiplications by b and 21 additions or subtractions (point_double). It has
 * no exceptional case here: only a point of order 2 (Y = 0) would need one, and prime-order
 * curves have none; Z = 0 gives Z3 = 0. So the constant-time multiplication uses it too (a fixed
 * sequence of operations). The outputs may alias the inputs. */
static void dbl_jacobian(const pl_ec_params *c, fe *x3, fe *y3, fe *z3, const fe *x, const fe *y,
                         const fe *z)
{
    fe yy, t, s, m, delta, u;
    fadd(c, &yy, y, y);      /* Y' = 2Y */
    fsqr(c, &t, &yy);        /* T = 4Y^2 */
    fsqr(c, &delta, z);
    fmul(c, &s, x, &t);      /* S = 4XY^2 */
    fsub(c, &m, x, &delta);
    fadd(c, &u, x, &delta);
    fmul(c, &m, &m, &u);
    fadd(c, &u, &m, &m);
    fadd(c, &m, &m, &u);     /* M = 3(X - Z^2)(X + Z^2) */
    fmul(c, z3, &yy, z);     /* x, y, z are not read after this */
    fsqr(c, &u, &m);
    fsub(c, &u, &u, &s);
    fsub(c, x3, &u, &s);     /* X3 = M^2 - 2S */
    fsub(c, &s, &s, x3);
    fmul(c, &s, &m, &s);     /* M(S - X3) */
    fsqr(c, &t, &t);
    fhalf(c, &t, &t);        /* 8Y^4 */
    fsub(c, y3, &s, &t);
}

/* r = 2^4·r for a projective r, through Jacobian coordinates: (X : Y : Z) is (X·Z, Y·Z^2, Z)
 * there, and (X, Y, Z) comes back as (X·Z : Y : Z^3). Infinity, (0 : Y : 0), becomes (0, 0, 0),
 * which doubles to itself and comes back as (0 : 0 : 0), not a projective point: Y is set to 1
 * by a mask when Z = 0. Constant-time: 4 doublings and 6 conversion operations, always. */
static void quadruple_double(const pl_ec_params *c, pl_ec_point *r)
{
    fe zz, one;
    fsqr(c, &zz, &r->z);
    fmul(c, &r->x, &r->x, &r->z);
    fmul(c, &r->y, &r->y, &zz);
    for (int s = 0; s < 4; s++) {
        dbl_jacobian(c, &r->x, &r->y, &r->z, &r->x, &r->y, &r->z);
    }
    fsqr(c, &zz, &r->z);
    fmul(c, &r->x, &r->x, &r->z);
    fmul(c, &r->z, &zz, &r->z);
    fe_set(&one, c->p->one);
    pl_ec_fe_copy_if(c->p, pl_ec_fe_is_zero(c->p, &r->z), &r->y, &one);
}

/* sel = table[abs - 1] for abs in 1..8, infinity for abs = 0: every entry read, with masks. */
static void select_point(const pl_ec_params *c, pl_ec_point *sel, const pl_ec_point *table,
                         uint32_t abs)
{
    size_t n = c->p->n;
    point_set_infinity(c, sel);
    for (size_t j = 0; j < 8; j++) {
        uint64_t mask = pl_ct_mask64(pl_ct_eq(abs, (uint32_t)j + 1));
        for (size_t l = 0; l < n; l++) {
            sel->x.v[l] |= table[j].x.v[l] & mask;
            sel->y.v[l] = (sel->y.v[l] & ~mask) | (table[j].y.v[l] & mask);
            sel->z.v[l] |= table[j].z.v[l] & mask;
        }
    }
}

#define MAX_DIGITS (2 * PL_EC_MAX_SCALAR_LEN + 1)

/* Variable base: table[j-1] = j·p for j = 1..8; for each digit from the top, four doublings (in
 * Jacobian coordinates) and the complete addition of the table entry |d| (all eight scanned with
 * masks; d = 0 selects infinity), negated when d < 0. The operation count depends only on the
 * curve. */
void pl_ec_point_mul(const pl_ec_params *c, pl_ec_point *r, const uint8_t *k,
                     const pl_ec_point *p)
{
    pl_ec_point table[8], acc, sel;
    int8_t digits[MAX_DIGITS];
    size_t nd = 2 * c->len + 1;
    table[0] = *p;
    point_double(c, &table[1], p);
    for (size_t j = 2; j < 8; j++) {
        point_add(c, &table[j], &table[j - 1], p);
    }
    recode_signed4(k, c->len, digits);
    point_set_infinity(c, &acc);
    for (size_t i = nd; i-- > 0;) {
        uint32_t neg, abs = digit_abs(digits[i], &neg);
        if (i != nd - 1) {
            quadruple_double(c, &acc);
        }
        select_point(c, &sel, table, abs);
        point_neg_if(c, neg, &sel.y);
        point_add(c, &acc, &acc, &sel);
    }
    *r = acc;
    pl_wipe(table, sizeof table);
    pl_wipe(&acc, sizeof acc);
    pl_wipe(&sel, sizeof sel);
    pl_wipe(digits, sizeof digits);
}

/* Fixed base: k·G = sum over rows i of d_i·16^i·G, one mixed addition per row of the affine
 * entry |d_i| (the row scanned whole), negated for d_i < 0, and the sum kept unchanged (by a
 * mask) when d_i = 0. No doublings. The row index is public (every row is used once, in
 * order); only the entry within a row is secret, and all eight are read. */
void pl_ec_point_mul_base(const pl_ec_params *c, pl_ec_point *r, const uint8_t *k)
{
    pl_ec_point acc, sum;
    int8_t digits[MAX_DIGITS];
    size_t nd = 2 * c->len + 1, n = c->p->n;
    fe x, y;
    recode_signed4(k, c->len, digits);
    point_set_infinity(c, &acc);
    memset(&x, 0, sizeof x);
    memset(&y, 0, sizeof y);
    for (size_t i = 0; i < nd; i++) {
        uint32_t neg, abs = digit_abs(digits[i], &neg);
        const uint64_t *row = c->base_table + i * 8 * 2 * n;
        for (size_t j = 0; j < 8; j++) {
            uint64_t mask = pl_ct_mask64(pl_ct_eq(abs, (uint32_t)j + 1));
            const uint64_t *e = row + j * 2 * n;
            for (size_t l = 0; l < n; l++) {
                x.v[l] = (x.v[l] & ~mask) | (e[l] & mask);
                y.v[l] = (y.v[l] & ~mask) | (e[n + l] & mask);
            }
        }
        point_neg_if(c, neg, &y);
        point_add_affine(c, &sum, &acc, &x, &y);
        point_copy_if(c, pl_ct_is_zero(abs) ^ 1, &acc, &sum);
    }
    *r = acc;
    pl_wipe(&acc, sizeof acc);
    pl_wipe(&sum, sizeof sum);
    pl_wipe(&x, sizeof x);
    pl_wipe(&y, sizeof y);
    pl_wipe(digits, sizeof digits);
}

/* ---- variable time: Jacobian coordinates for the verifier ---------------------------------- */

/* Public data only. Jacobian points as above, with a flag for infinity; the exceptional cases of
 * the addition formulas are handled by branches, which is fine for public points. */
typedef struct jac_point {
    fe x, y, z;
    int inf;
} jac_point;

static uint32_t fe_is_zero(const pl_ec_params *c, const fe *a)
{
    return pl_ec_fe_is_zero(c->p, a);
}

/* dbl_jacobian, skipping infinity. */
static void jac_double(const pl_ec_params *c, jac_point *r, const jac_point *p)
{
    if (p->inf) {
        *r = *p;
        return;
    }
    dbl_jacobian(c, &r->x, &r->y, &r->z, &p->x, &p->y, &p->z);
    r->inf = 0;
}

/* add-2007-bl: r = p + q for Jacobian p, q; with z2 = NULL, q is affine (Z2 = 1, madd-2007-bl
 * in effect: Z2Z2 = 1, U1 = X1, S1 = Y1).
 * U1 = X1 Z2^2, U2 = X2 Z1^2, S1 = Y1 Z2^3, S2 = Y2 Z1^3, H = U2 - U1, I = (2H)^2, J = H·I,
 * rr = 2(S2 - S1), V = U1·I, X3 = rr^2 - J - 2V, Y3 = rr(V - X3) - 2 S1 J,
 * Z3 = 2 Z1 Z2 H. When H = 0 the points share x: equal (double) or opposite (infinity). */
static void jac_add(const pl_ec_params *c, jac_point *r, const jac_point *p, const fe *x2,
                    const fe *y2, const fe *z2)
{
    fe z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;
    if (p->inf) {
        r->x = *x2;
        r->y = *y2;
        if (z2 != NULL) {
            r->z = *z2;
        } else {
            fe_set(&r->z, c->p->one);
        }
        r->inf = 0;
        return;
    }
    fsqr(c, &z1z1, &p->z);
    if (z2 != NULL) {
        fsqr(c, &z2z2, z2);
        fmul(c, &u1, &p->x, &z2z2);
        fmul(c, &s1, &p->y, z2);
        fmul(c, &s1, &s1, &z2z2);
    } else {
        u1 = p->x;
        s1 = p->y;
    }
    fmul(c, &u2, x2, &z1z1);
    fmul(c, &s2, y2, &p->z);
    fmul(c, &s2, &s2, &z1z1);
    fsub(c, &h, &u2, &u1);
    fsub(c, &rr, &s2, &s1);
    if (fe_is_zero(c, &h)) {
        if (fe_is_zero(c, &rr)) {
            jac_double(c, r, p);
        } else {
            memset(r, 0, sizeof *r);
            r->inf = 1;
        }
        return;
    }
    fadd(c, &rr, &rr, &rr);
    fadd(c, &i, &h, &h);
    fsqr(c, &i, &i);
    fmul(c, &j, &h, &i);
    fmul(c, &v, &u1, &i);
    fsqr(c, &t, &rr);
    fsub(c, &t, &t, &j);
    fsub(c, &t, &t, &v);
    fsub(c, &r->x, &t, &v);
    fsub(c, &t, &v, &r->x);
    fmul(c, &t, &rr, &t);
    fmul(c, &s1, &s1, &j);
    fadd(c, &s1, &s1, &s1);
    fsub(c, &r->y, &t, &s1);
    fmul(c, &t, &p->z, &h);
    fadd(c, &t, &t, &t);
    if (z2 != NULL) {
        fmul(c, &t, &t, z2);
    }
    r->z = t;
    r->inf = 0;
}

/* A big-endian scalar into little-endian limbs (len / 8 of them, plus a zero guard limb). */
static void scalar_to_limbs(const uint8_t *k, size_t len, uint64_t *w)
{
    size_t n = len / 8;
    for (size_t j = 0; j < n; j++) {
        uint64_t v = 0;
        for (size_t b = 0; b < 8; b++) {
            v = v << 8 | k[len - 8 * j - 8 + b];
        }
        w[j] = v;
    }
    w[n] = 0;
}

#define WNAF_Q 5 /* the key's multiple: its odd multiples p, 3p, ..., 15p, computed per call */
#define WNAF_G 7 /* G's: the odd multiples G, 3G, ..., 63G of the table (p256_table.c) */
#define MAX_NAF (8 * PL_EC_MAX_SCALAR_LEN + 1)

/* The w bits (w <= 8) from bit pos up of the limbs v, zeros past the top limb. */
static uint32_t bits_at(const uint64_t *v, size_t limbs, size_t pos, unsigned w)
{
    size_t j = pos / 64, sh = pos % 64;
    uint64_t x = j < limbs ? v[j] >> sh : 0;
    if (sh + w > 64 && j + 1 < limbs) {
        x |= v[j + 1] << (64 - sh);
    }
    return (uint32_t)x & ((1u << w) - 1);
}

/* The width-w NAF of a public scalar (Solinas; Hankerson, Menezes, Vanstone, Algorithm 3.35),
 * read off the scalar's bits with a carry: at each position the value left is the bits from
 * there up plus the carry; when it is even the digit is 0, else the next w bits plus the carry
 * (odd, below 2^w) make the digit, minus 2^w with a carry out when at least 2^(w-1), and the
 * w - 1 digits after it are 0. Digits are zero or odd in (-2^(w-1), 2^(w-1)). Returns the count
 * of digits (at most 8·len + 1), the last one non-zero. */
static size_t wnaf(const uint8_t *k, size_t len, int8_t *naf, unsigned w)
{
    uint64_t v[PL_EC_MAX_LIMBS + 1];
    size_t limbs = len / 8, bits = 8 * len, count = 0, pos = 0;
    uint32_t carry = 0;
    scalar_to_limbs(k, len, v);
    memset(naf, 0, bits + 1);
    while (pos < bits) {
        uint32_t word;
        int d;
        if ((bits_at(v, limbs, pos, 1) ^ carry) == 0) {
            pos++;
            continue;
        }
        word = bits_at(v, limbs, pos, w) + carry;
        carry = word >> (w - 1);
        d = (int)word - (int)(carry << w);
        naf[pos] = (int8_t)d;
        count = pos + 1;
        pos += w;
    }
    if (carry) {
        /* A window carries out only when its value is above 2^(w-1), which needs w bits under
         * the top: that window ended at pos <= bits, so the loop ended at pos = bits exactly. */
        naf[bits] = 1;
        count = bits + 1;
    }
    return count;
}

/* Projective (X : Y : Z) to Jacobian (X·Z, Y·Z^2, Z): the same affine point. */
static void to_jacobian(const pl_ec_params *c, jac_point *r, const pl_ec_point *p)
{
    fe zz;
    r->inf = (int)fe_is_zero(c, &p->z);
    fsqr(c, &zz, &p->z);
    fmul(c, &r->x, &p->x, &p->z);
    fmul(c, &r->y, &p->y, &zz);
    r->z = p->z;
}

/* u1·G + u2·p by Straus's interleaving (Hankerson, Menezes, Vanstone, Algorithm 3.51): one
 * chain of doublings, from the top digit down, shared by both multiples. u2·p by its width-5
 * NAF with the odd multiples p, 3p, ..., 15p (computed with the complete formulas, then made
 * Jacobian); u1·G by its width-7 NAF with the affine odd multiples G, 3G, ..., 63G of the table,
 * added by mixed additions: about len·8/6 + len·8/8 additions in all. The result is returned
 * projective, (X·Z : Y : Z^3). */
void pl_ec_point_double_mul_vartime(const pl_ec_params *c, pl_ec_point *r, const uint8_t *u1,
                                    const uint8_t *u2, const pl_ec_point *p)
{
    pl_ec_point odd[8], twice;
    jac_point table[8], acc;
    int8_t naf1[MAX_NAF], naf2[MAX_NAF];
    size_t n = c->p->n, count1, count2;
    odd[0] = *p;
    point_double(c, &twice, p);
    for (size_t j = 1; j < 8; j++) {
        point_add(c, &odd[j], &odd[j - 1], &twice);
    }
    for (size_t j = 0; j < 8; j++) {
        to_jacobian(c, &table[j], &odd[j]);
    }
    count1 = wnaf(u1, c->len, naf1, WNAF_G);
    count2 = wnaf(u2, c->len, naf2, WNAF_Q);
    memset(&acc, 0, sizeof acc);
    acc.inf = 1;
    for (size_t i = count1 > count2 ? count1 : count2; i-- > 0;) {
        int d2 = i < count2 ? naf2[i] : 0, d1 = i < count1 ? naf1[i] : 0;
        jac_double(c, &acc, &acc);
        if (d2 != 0) {
            const jac_point *e = &table[(d2 > 0 ? d2 : -d2) / 2];
            fe y = e->y;
            if (d2 < 0) {
                point_neg_if(c, 1, &y);
            }
            if (!e->inf) {
                jac_add(c, &acc, &acc, &e->x, &y, &e->z);
            }
        }
        if (d1 != 0) {
            const uint64_t *e = c->odd_table + (size_t)((d1 > 0 ? d1 : -d1) / 2) * 2 * n;
            fe x, y;
            memset(&x, 0, sizeof x);
            memset(&y, 0, sizeof y);
            memcpy(x.v, e, n * sizeof(uint64_t));
            memcpy(y.v, e + n, n * sizeof(uint64_t));
            if (d1 < 0) {
                point_neg_if(c, 1, &y);
            }
            jac_add(c, &acc, &acc, &x, &y, NULL);
        }
    }
    if (acc.inf) {
        point_set_infinity(c, r);
        return;
    }
    fmul(c, &r->x, &acc.x, &acc.z);
    r->y = acc.y;
    fsqr(c, &r->z, &acc.z);
    fmul(c, &r->z, &r->z, &acc.z);
}

/* ---- keys and ECDH --------------------------------------------------------------------------- */

int pl_ec_public_init(pl_ec_public *key, pl_ec_curve curve, const uint8_t *point,
                      size_t point_len)
{
    const pl_ec_params *c = pl_ec_params_of(curve);
    pl_ec_point q;
    ENSURE(c != NULL, SSL_ERR_CRYPTO_UNSUPPORTED_CURVE);
    TRY(pl_ec_point_decode(c, &q, point, point_len));
    memset(key, 0, sizeof *key);
    key->curve = curve;
    key->point_len = point_len;
    memcpy(key->point, point, point_len);
    return 0;
}

/* d·G into its encoding; d already checked to be in [1, n-1], so d·G is not infinity. */
static void public_of(const pl_ec_params *c, uint8_t *pub, const uint8_t *d)
{
    pl_ec_point q;
    uint32_t inf;
    pl_ec_point_mul_base(c, &q, d);
    inf = pl_ec_point_encode(c, pub, &q);
    (void)inf;
    pl_wipe(&q, sizeof q);
}

/* 1 <= d < n, with the verdict made public: refusing a key is an error the caller sees. */
static int check_scalar(const pl_ec_params *c, const uint8_t *d)
{
    uint32_t ok = pl_ec_scalar_in_range(c, d);
    pl_ct_declassify(&ok, sizeof ok);
    ENSURE(ok, SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
    return 0;
}

int pl_ec_private_init(pl_ec_private *key, pl_ec_curve curve, const uint8_t *scalar,
                       size_t scalar_len)
{
    const pl_ec_params *c = pl_ec_params_of(curve);
    ENSURE(c != NULL, SSL_ERR_CRYPTO_UNSUPPORTED_CURVE);
    ENSURE(scalar_len == c->len, SSL_ERR_CRYPTO_BAD_LENGTH);
    TRY(check_scalar(c, scalar));
    memset(key, 0, sizeof *key);
    key->curve = curve;
    memcpy(key->scalar, scalar, scalar_len);
    key->pub.curve = curve;
    key->pub.point_len = 1 + 2 * c->len;
    public_of(c, key->pub.point, scalar);
    /* The public key is public. */
    pl_ct_declassify(key->pub.point, key->pub.point_len);
    return 0;
}

void pl_ec_private_wipe(pl_ec_private *key)
{
    pl_wipe(key, sizeof *key);
}

const pl_ec_public *pl_ec_private_public(const pl_ec_private *key)
{
    return &key->pub;
}

/* FIPS 186-4 §B.4.2 (testing candidates): draw len random bytes until 1 <= d < n. For P-256 a
 * candidate fails with probability below 2^-32, for P-384 below 2^-189, so 64 tries fail only
 * when the generator is broken. */
int pl_ecdh_keygen(pl_ec_curve curve, uint8_t *priv, uint8_t *pub)
{
    const pl_ec_params *c = pl_ec_params_of(curve);
    uint8_t d[PL_EC_MAX_SCALAR_LEN];
    ENSURE(c != NULL, SSL_ERR_CRYPTO_UNSUPPORTED_CURVE);
    for (int tries = 0; tries < 64; tries++) {
        uint32_t ok;
        TRY(pl_random(d, c->len));
        ok = pl_ec_scalar_in_range(c, d);
        /* Whether this candidate is kept is public: a refused candidate is thrown away, and a
         * kept one's only trace is the number of tries. */
        pl_ct_declassify(&ok, sizeof ok);
        if (ok) {
            public_of(c, pub, d);
            pl_ct_declassify(pub, 1 + 2 * c->len);
            memcpy(priv, d, c->len);
            pl_wipe(d, sizeof d);
            return 0;
        }
    }
    pl_wipe(d, sizeof d);
    return SSL_ERR_CRYPTO_KEYGEN_FAILED;
}

int pl_ecdh_shared(pl_ec_curve curve, uint8_t *out, const uint8_t *priv, const uint8_t *peer,
                   size_t peer_len)
{
    const pl_ec_params *c = pl_ec_params_of(curve);
    uint8_t enc[PL_EC_MAX_POINT_LEN];
    pl_ec_point q, s;
    uint32_t inf;
    int rc;
    ENSURE(c != NULL, SSL_ERR_CRYPTO_UNSUPPORTED_CURVE);
    memset(out, 0, c->len);
    TRY(check_scalar(c, priv));
    TRY(pl_ec_point_decode(c, &q, peer, peer_len));
    pl_ec_point_mul(c, &s, priv, &q);
    inf = pl_ec_point_encode(c, enc, &s);
    /* SEC 1 §3.3.1 step 2: a result at infinity is an error the handshake reports, so the
     * verdict is public. */
    pl_ct_declassify(&inf, sizeof inf);
    rc = inf ? SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE : 0;
    if (rc == 0) {
        memcpy(out, enc + 1, c->len); /* SEC 1 §3.3.1 step 3: z = x_P */
    }
    pl_wipe(enc, sizeof enc);
    pl_wipe(&s, sizeof s);
    pl_wipe(&q, sizeof q);
    return rc;
}

/* ---- for tests ------------------------------------------------------------------------------- */

int pl_ec_mul_base(pl_ec_curve curve, uint8_t *out, const uint8_t *scalar)
{
    const pl_ec_params *c = pl_ec_params_of(curve);
    ENSURE(c != NULL, SSL_ERR_CRYPTO_UNSUPPORTED_CURVE);
    TRY(check_scalar(c, scalar));
    public_of(c, out, scalar);
    return 0;
}

int pl_ec_mul(pl_ec_curve curve, uint8_t *out, const uint8_t *scalar, const uint8_t *point,
              size_t point_len)
{
    const pl_ec_params *c = pl_ec_params_of(curve);
    pl_ec_point q, s;
    uint32_t inf;
    ENSURE(c != NULL, SSL_ERR_CRYPTO_UNSUPPORTED_CURVE);
    TRY(pl_ec_point_decode(c, &q, point, point_len));
    pl_ec_point_mul(c, &s, scalar, &q);
    inf = pl_ec_point_encode(c, out, &s);
    pl_ct_declassify(&inf, sizeof inf);
    ENSURE(!inf, SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE);
    return 0;
}

int pl_ec_double_mul_vartime(pl_ec_curve curve, uint8_t *out, const uint8_t *u1,
                             const uint8_t *u2, const uint8_t *point, size_t point_len)
{
    const pl_ec_params *c = pl_ec_params_of(curve);
    pl_ec_point q, s;
    ENSURE(c != NULL, SSL_ERR_CRYPTO_UNSUPPORTED_CURVE);
    TRY(pl_ec_point_decode(c, &q, point, point_len));
    pl_ec_point_double_mul_vartime(c, &s, u1, u2, &q);
    ENSURE(!pl_ec_point_encode(c, out, &s), SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE);
    return 0;
}
