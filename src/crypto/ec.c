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
 * on a point. The verifier's variable-time double multiplication uses Jacobian coordinates with
 * the doubling and addition formulas of the Explicit-Formulas Database (dbl-2001-b,
 * add-2007-bl), whose exceptional cases it handles by branches on public values.
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

static void fmul(const pl_ec_params *c, fe *r, const fe *a, const fe *b)
{
    pl_ec_mod_mul(c->p, r, a, b);
}

static void fadd(const pl_ec_params *c, fe *r, const fe *a, const fe *b)
{
    pl_ec_mod_add(c->p, r, a, b);
}

static void fsub(const pl_ec_params *c, fe *r, const fe *a, const fe *b)
{
    pl_ec_mod_sub(c->p, r, a, b);
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
    fmul(c, &t0, &p->x, &p->x);
    fmul(c, &t1, &p->y, &p->y);
    fmul(c, &t2, &p->z, &p->z);
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
    fmul(c, &lhs, y, y);
    fmul(c, &rhs, x, x);
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

#define MAX_DIGITS (2 * PL_EC_MAX_SCALAR_LEN + 1)

/* Variable base: table[j-1] = j·p for j = 1..8; for each digit from the top, four doublings and
 * the addition of the table entry |d| (all eight scanned with masks; d = 0 selects infinity),
 * negated when d < 0. The operation count depends only on the curve. */
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
            for (int s = 0; s < 4; s++) {
                point_double(c, &acc, &acc);
            }
        }
        point_set_infinity(c, &sel);
        for (size_t j = 0; j < 8; j++) {
            point_copy_if(c, pl_ct_eq(abs, (uint32_t)j + 1), &sel, &table[j]);
        }
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

/* Public data only. A Jacobian point (X, Y, Z) stands for (X/Z^2, Y/Z^3), infinity for Z = 0;
 * its doubling (3M + 5S with a = -3) is much cheaper than the complete formula's, and the
 * exceptional cases of the addition formulas are handled by branches, which is fine for public
 * points. */
typedef struct jac_point {
    fe x, y, z;
    int inf;
} jac_point;

static uint32_t fe_is_zero(const pl_ec_params *c, const fe *a)
{
    return pl_ec_fe_is_zero(c->p, a);
}

/* dbl-2001-b (Bernstein, Lange: Explicit-Formulas Database, a = -3):
 * delta = Z^2, gamma = Y^2, beta = X·gamma, alpha = 3(X - delta)(X + delta),
 * X3 = alpha^2 - 8 beta, Z3 = (Y + Z)^2 - gamma - delta, Y3 = alpha(4 beta - X3) - 8 gamma^2.
 * A point of order 2 would have Y = 0; prime-order curves have none. */
static void jac_double(const pl_ec_params *c, jac_point *r, const jac_point *p)
{
    fe delta, gamma, beta, alpha, t, u;
    if (p->inf) {
        *r = *p;
        return;
    }
    fmul(c, &delta, &p->z, &p->z);
    fmul(c, &gamma, &p->y, &p->y);
    fmul(c, &beta, &p->x, &gamma);
    fsub(c, &t, &p->x, &delta);
    fadd(c, &u, &p->x, &delta);
    fmul(c, &alpha, &t, &u);
    fadd(c, &t, &alpha, &alpha);
    fadd(c, &alpha, &alpha, &t);
    fadd(c, &t, &p->y, &p->z);
    fmul(c, &t, &t, &t);
    fsub(c, &t, &t, &gamma);
    fsub(c, &r->z, &t, &delta);
    fadd(c, &beta, &beta, &beta);
    fadd(c, &beta, &beta, &beta); /* 4 beta */
    fmul(c, &t, &alpha, &alpha);
    fadd(c, &u, &beta, &beta);
    fsub(c, &r->x, &t, &u);
    fsub(c, &t, &beta, &r->x);
    fmul(c, &t, &alpha, &t);
    fmul(c, &gamma, &gamma, &gamma);
    fadd(c, &gamma, &gamma, &gamma);
    fadd(c, &gamma, &gamma, &gamma);
    fadd(c, &gamma, &gamma, &gamma); /* 8 gamma^2 */
    fsub(c, &r->y, &t, &gamma);
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
    fmul(c, &z1z1, &p->z, &p->z);
    if (z2 != NULL) {
        fmul(c, &z2z2, z2, z2);
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
    fmul(c, &i, &i, &i);
    fmul(c, &j, &h, &i);
    fmul(c, &v, &u1, &i);
    fmul(c, &t, &rr, &rr);
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

#define WNAF_W 5
#define MAX_NAF (8 * PL_EC_MAX_SCALAR_LEN + 1)

/* The width-5 NAF of a public scalar (Solinas; Hankerson, Menezes, Vanstone, Algorithm 3.35):
 * digits zero or odd in [-15, 15], at most one non-zero in any 5 consecutive. Returns the count
 * of digits. */
static size_t wnaf(const uint8_t *k, size_t len, int8_t *naf)
{
    uint64_t w[PL_EC_MAX_LIMBS + 1];
    size_t n = len / 8 + 1, count = 0;
    scalar_to_limbs(k, len, w);
    for (;;) {
        uint64_t any = 0;
        int d = 0;
        for (size_t j = 0; j < n; j++) {
            any |= w[j];
        }
        if (any == 0) {
            break;
        }
        if (w[0] & 1) {
            d = (int)(w[0] & ((1u << WNAF_W) - 1));
            if (d >= 1 << (WNAF_W - 1)) {
                d -= 1 << WNAF_W;
            }
            /* k -= d: subtract a small positive, or add a small positive */
            if (d > 0) {
                uint64_t borrow = (uint64_t)d;
                for (size_t j = 0; j < n && borrow != 0; j++) {
                    uint64_t old = w[j];
                    w[j] = old - borrow;
                    borrow = old < borrow ? 1 : 0;
                }
            } else {
                uint64_t carry = (uint64_t)-d;
                for (size_t j = 0; j < n && carry != 0; j++) {
                    w[j] += carry;
                    carry = w[j] < carry ? 1 : 0;
                }
            }
        }
        naf[count++] = (int8_t)d;
        for (size_t j = 0; j < n; j++) {
            w[j] = w[j] >> 1 | (j + 1 < n ? w[j + 1] << 63 : 0);
        }
    }
    return count;
}

/* Projective (X : Y : Z) to Jacobian (X·Z, Y·Z^2, Z): the same affine point. */
static void to_jacobian(const pl_ec_params *c, jac_point *r, const pl_ec_point *p)
{
    fe zz;
    r->inf = (int)fe_is_zero(c, &p->z);
    fmul(c, &zz, &p->z, &p->z);
    fmul(c, &r->x, &p->x, &p->z);
    fmul(c, &r->y, &p->y, &zz);
    r->z = p->z;
}

/* u1·G + u2·p: u2·p by the width-5 NAF with the odd multiples p, 3p, ..., 15p (computed with the
 * complete formulas, then made Jacobian), one doubling per bit; u1·G from the fixed-base table,
 * one mixed addition per non-zero signed 4-bit digit and no doublings; then their sum. The
 * result is returned projective, (X·Z : Y : Z^3). */
void pl_ec_point_double_mul_vartime(const pl_ec_params *c, pl_ec_point *r, const uint8_t *u1,
                                    const uint8_t *u2, const pl_ec_point *p)
{
    pl_ec_point odd[8], twice;
    jac_point table[8], acc, gacc;
    int8_t naf[MAX_NAF], d1[MAX_DIGITS];
    size_t nd = 2 * c->len + 1, n = c->p->n, count;
    odd[0] = *p;
    point_double(c, &twice, p);
    for (size_t j = 1; j < 8; j++) {
        point_add(c, &odd[j], &odd[j - 1], &twice);
    }
    for (size_t j = 0; j < 8; j++) {
        to_jacobian(c, &table[j], &odd[j]);
    }
    memset(&acc, 0, sizeof acc);
    acc.inf = 1;
    count = wnaf(u2, c->len, naf);
    for (size_t i = count; i-- > 0;) {
        int d = naf[i];
        jac_double(c, &acc, &acc);
        if (d != 0) {
            const jac_point *e = &table[(d > 0 ? d : -d) / 2];
            fe y = e->y;
            if (d < 0) {
                point_neg_if(c, 1, &y);
            }
            if (!e->inf) {
                jac_add(c, &acc, &acc, &e->x, &y, &e->z);
            }
        }
    }
    recode_signed4(u1, c->len, d1);
    memset(&gacc, 0, sizeof gacc);
    gacc.inf = 1;
    for (size_t i = 0; i < nd; i++) {
        int d = d1[i];
        if (d != 0) {
            const uint64_t *e = c->base_table + (i * 8 + (size_t)(d > 0 ? d : -d) - 1) * 2 * n;
            fe x, y;
            memset(&x, 0, sizeof x);
            memset(&y, 0, sizeof y);
            memcpy(x.v, e, n * sizeof(uint64_t));
            memcpy(y.v, e + n, n * sizeof(uint64_t));
            if (d < 0) {
                point_neg_if(c, 1, &y);
            }
            jac_add(c, &gacc, &gacc, &x, &y, NULL);
        }
    }
    if (!gacc.inf) {
        jac_add(c, &acc, &acc, &gacc.x, &gacc.y, &gacc.z);
    }
    if (acc.inf) {
        point_set_infinity(c, r);
        return;
    }
    fmul(c, &r->x, &acc.x, &acc.z);
    r->y = acc.y;
    fmul(c, &r->z, &acc.z, &acc.z);
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
