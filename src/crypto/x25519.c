/* X25519 (RFC 7748 §5), see x25519.h.
 *
 * A field element of GF(2^255 - 19) is h = h[0] + h[1]·2^51 + h[2]·2^102 + h[3]·2^153 +
 * h[4]·2^204 in five uint64_t limbs. "Reduced" limbs are below 2^51 + 2^18 (what fe_carry_wide leaves);
 * sums of two reduced elements stay below 2^53, and differences are taken as a + 4p - b, below
 * 2^54. fe_mul accepts inputs below 2^54: each of the five 128-bit column sums is at most
 * 5 · 19 · 2^108 < 2^115, so nothing overflows. Since 2^255 ≡ 19 (mod p), a product's columns
 * above 2^255 fold down multiplied by 19. */
#include "base/ct.h"
#include "base/endian.h"
#include "crypto/x25519.h"

typedef unsigned __int128 u128;

#define MASK51 ((((uint64_t)1) << 51) - 1)

typedef struct {
    uint64_t v[5];
} fe;

/* Columns (each below 2^116) back to limbs: carry upwards, fold the carry out of the top limb
 * (below 2^65) back into limb 0 times 19, keeping that product in 128 bits, and carry once more
 * into limb 1. Afterwards limbs are below 2^51, limb 1 below 2^51 + 2^18. */
static void fe_carry_wide(fe *h, u128 t[5])
{
    u128 low;
    t[1] += t[0] >> 51;
    t[2] += t[1] >> 51;
    t[3] += t[2] >> 51;
    t[4] += t[3] >> 51;
    low = (t[0] & MASK51) + (t[4] >> 51) * 19;
    h->v[0] = (uint64_t)low & MASK51;
    h->v[1] = ((uint64_t)t[1] & MASK51) + (uint64_t)(low >> 51);
    h->v[2] = (uint64_t)t[2] & MASK51;
    h->v[3] = (uint64_t)t[3] & MASK51;
    h->v[4] = (uint64_t)t[4] & MASK51;
}

static void fe_mul(fe *h, const fe *f, const fe *g)
{
    const uint64_t *a = f->v, *b = g->v;
    uint64_t b1 = b[1] * 19, b2 = b[2] * 19, b3 = b[3] * 19, b4 = b[4] * 19;
    u128 t[5];
    t[0] = (u128)a[0] * b[0] + (u128)a[1] * b4 + (u128)a[2] * b3 + (u128)a[3] * b2 +
           (u128)a[4] * b1;
    t[1] = (u128)a[0] * b[1] + (u128)a[1] * b[0] + (u128)a[2] * b4 + (u128)a[3] * b3 +
           (u128)a[4] * b2;
    t[2] = (u128)a[0] * b[2] + (u128)a[1] * b[1] + (u128)a[2] * b[0] + (u128)a[3] * b4 +
           (u128)a[4] * b3;
    t[3] = (u128)a[0] * b[3] + (u128)a[1] * b[2] + (u128)a[2] * b[1] + (u128)a[3] * b[0] +
           (u128)a[4] * b4;
    t[4] = (u128)a[0] * b[4] + (u128)a[1] * b[3] + (u128)a[2] * b[2] + (u128)a[3] * b[1] +
           (u128)a[4] * b[0];
    fe_carry_wide(h, t);
}

/* fe_mul(h, f, f) with the symmetric products counted once and doubled: 15 multiplications
 * instead of 25. Same input bound (limbs below 2^54): 2·a and 38·a stay below 2^60, and each
 * column is below 2^116, which fe_carry_wide takes. */
static void fe_sq(fe *h, const fe *f)
{
    const uint64_t *a = f->v;
    uint64_t d0 = 2 * a[0], d1 = 2 * a[1], d2 = 2 * a[2], d3 = 2 * a[3];
    uint64_t a3_19 = 19 * a[3], a4_19 = 19 * a[4];
    u128 t[5];
    t[0] = (u128)a[0] * a[0] + (u128)d1 * a4_19 + (u128)d2 * a3_19;
    t[1] = (u128)d0 * a[1] + (u128)d2 * a4_19 + (u128)a[3] * a3_19;
    t[2] = (u128)d0 * a[2] + (u128)a[1] * a[1] + (u128)d3 * a4_19;
    t[3] = (u128)d0 * a[3] + (u128)d1 * a[2] + (u128)a[4] * a4_19;
    t[4] = (u128)d0 * a[4] + (u128)d1 * a[3] + (u128)a[2] * a[2];
    fe_carry_wide(h, t);
}

static void fe_sq_n(fe *h, const fe *f, unsigned n)
{
    fe_sq(h, f);
    for (unsigned i = 1; i < n; i++) {
        fe_sq(h, h);
    }
}

/* h = f · k for a small constant k (< 2^17), through 128-bit columns. */
static void fe_mul_small(fe *h, const fe *f, uint64_t k)
{
    u128 t[5];
    for (int i = 0; i < 5; i++) {
        t[i] = (u128)f->v[i] * k;
    }
    fe_carry_wide(h, t);
}

static void fe_add(fe *h, const fe *f, const fe *g)
{
    for (int i = 0; i < 5; i++) {
        h->v[i] = f->v[i] + g->v[i];
    }
}

/* h = f - g + 4p, limb by limb, so no limb goes negative (g's limbs are below 2^53). */
static void fe_sub(fe *h, const fe *f, const fe *g)
{
    h->v[0] = f->v[0] + 4 * (MASK51 - 18) - g->v[0];
    for (int i = 1; i < 5; i++) {
        h->v[i] = f->v[i] + 4 * MASK51 - g->v[i];
    }
}

/* Swap f and g when swap is 1, leave them when 0, without a branch. */
static void fe_cswap(fe *f, fe *g, uint32_t swap)
{
    uint64_t m = pl_ct_mask64(swap);
    for (int i = 0; i < 5; i++) {
        uint64_t x = m & (f->v[i] ^ g->v[i]);
        f->v[i] ^= x;
        g->v[i] ^= x;
    }
}

/* RFC 7748 §5: decode u, ignoring bit 255. Values in [p, 2^255) are accepted unreduced; the
 * arithmetic works modulo p anyway. */
static void fe_frombytes(fe *h, const uint8_t s[32])
{
    h->v[0] = pl_load_le64(s) & MASK51;
    h->v[1] = (pl_load_le64(s + 6) >> 3) & MASK51;
    h->v[2] = (pl_load_le64(s + 12) >> 6) & MASK51;
    h->v[3] = (pl_load_le64(s + 19) >> 1) & MASK51;
    h->v[4] = (pl_load_le64(s + 24) >> 12) & MASK51;
}

/* The unique representative in [0, p), little-endian. */
static void fe_tobytes(uint8_t s[32], const fe *f)
{
    uint64_t h[5], c;
    for (int i = 0; i < 5; i++) {
        h[i] = f->v[i];
    }
    /* Two carry passes: every limb below 2^51, the value below 2^255. */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 4; i++) {
            h[i + 1] += h[i] >> 51;
            h[i] &= MASK51;
        }
        h[0] += 19 * (h[4] >> 51);
        h[4] &= MASK51;
    }
    h[1] += h[0] >> 51;
    h[0] &= MASK51;
    /* c = 1 exactly when h + 19 ≥ 2^255, i.e. h ≥ p; then h - p = h + 19 - 2^255. */
    c = (h[0] + 19) >> 51;
    c = (h[1] + c) >> 51;
    c = (h[2] + c) >> 51;
    c = (h[3] + c) >> 51;
    c = (h[4] + c) >> 51;
    h[0] += 19 * c;
    for (int i = 0; i < 4; i++) {
        h[i + 1] += h[i] >> 51;
        h[i] &= MASK51;
    }
    h[4] &= MASK51; /* drops the 2^255 */
    pl_store_le64(s, h[0] | h[1] << 51);
    pl_store_le64(s + 8, h[1] >> 13 | h[2] << 38);
    pl_store_le64(s + 16, h[2] >> 26 | h[3] << 25);
    pl_store_le64(s + 24, h[3] >> 39 | h[4] << 12);
}

/* h = z^(p-2) = 1/z (Fermat). p - 2 = 2^255 - 21 is (2^250 - 1)·2^5 + 11; the chain builds
 * z^(2^k - 1) for k = 2, 4, 5, 10, 20, 40, 50, 100, 200, 250. The exponent is public. */
static void fe_invert(fe *h, const fe *z)
{
    fe a2, a4, a5, a10, a20, a40, a50, a100, a200, a250, z11, t;
    fe_sq(&t, z);
    fe_mul(&a2, &t, z);           /* z^3 */
    fe_sq_n(&t, &a2, 2);
    fe_mul(&a4, &t, &a2);         /* z^(2^4-1) */
    fe_sq(&t, &a4);
    fe_mul(&a5, &t, z);           /* z^(2^5-1) */
    fe_sq_n(&t, &a5, 5);
    fe_mul(&a10, &t, &a5);
    fe_sq_n(&t, &a10, 10);
    fe_mul(&a20, &t, &a10);
    fe_sq_n(&t, &a20, 20);
    fe_mul(&a40, &t, &a20);
    fe_sq_n(&t, &a40, 10);
    fe_mul(&a50, &t, &a10);
    fe_sq_n(&t, &a50, 50);
    fe_mul(&a100, &t, &a50);
    fe_sq_n(&t, &a100, 100);
    fe_mul(&a200, &t, &a100);
    fe_sq_n(&t, &a200, 50);
    fe_mul(&a250, &t, &a50);      /* z^(2^250-1) */
    fe_sq_n(&t, z, 3);
    fe_mul(&z11, &t, &a2);        /* z^8 · z^3 */
    fe_sq_n(&t, &a250, 5);
    fe_mul(h, &t, &z11);
}

/* The Montgomery ladder. When base_u is non-zero the input is that small public constant (the
 * base point 9 for key generation) and the step's multiplication by x1 is a small one; the
 * choice depends only on which function called, never on secrets. */
static void ladder(uint8_t out[PL_X25519_LEN], const uint8_t scalar[PL_X25519_LEN],
                   const uint8_t u[PL_X25519_LEN], uint64_t base_u)
{
    uint8_t k[32];
    fe x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb, t;
    uint32_t swap = 0;

    /* decodeScalar25519: clear the low three bits and bit 255, set bit 254. */
    memcpy(k, scalar, sizeof k);
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;

    fe_frombytes(&x1, u);
    memset(&x2, 0, sizeof x2);
    x2.v[0] = 1;
    memset(&z2, 0, sizeof z2);
    x3 = x1;
    memset(&z3, 0, sizeof z3);
    z3.v[0] = 1;

    /* The ladder of §5, one step per scalar bit from 254 down; the swap is deferred so each
     * step swaps by the XOR of two consecutive bits. */
    for (int i = 254; i >= 0; i--) {
        uint32_t bit = (uint32_t)(k[i >> 3] >> (i & 7)) & 1;
        swap ^= bit;
        fe_cswap(&x2, &x3, swap);
        fe_cswap(&z2, &z3, swap);
        swap = bit;

        fe_add(&a, &x2, &z2);
        fe_sq(&aa, &a);
        fe_sub(&b, &x2, &z2);
        fe_sq(&bb, &b);
        fe_sub(&e, &aa, &bb);
        fe_add(&c, &x3, &z3);
        fe_sub(&d, &x3, &z3);
        fe_mul(&da, &d, &a);
        fe_mul(&cb, &c, &b);
        fe_add(&t, &da, &cb);
        fe_sq(&x3, &t);
        fe_sub(&t, &da, &cb);
        fe_sq(&t, &t);
        if (base_u != 0) {
            fe_mul_small(&z3, &t, base_u);
        } else {
            fe_mul(&z3, &x1, &t);
        }
        fe_mul(&x2, &aa, &bb);
        fe_mul_small(&t, &e, 121665); /* a24 = (486662 - 2) / 4 */
        fe_add(&t, &aa, &t);
        fe_mul(&z2, &e, &t);
    }
    fe_cswap(&x2, &x3, swap);
    fe_cswap(&z2, &z3, swap);

    fe_invert(&t, &z2);
    fe_mul(&x2, &x2, &t);
    fe_tobytes(out, &x2);

    pl_wipe(k, sizeof k);
    pl_wipe(&x2, sizeof x2);
    pl_wipe(&z2, sizeof z2);
    pl_wipe(&x3, sizeof x3);
    pl_wipe(&z3, sizeof z3);
    pl_wipe(&t, sizeof t);
}

void pl_x25519(uint8_t out[PL_X25519_LEN], const uint8_t scalar[PL_X25519_LEN],
               const uint8_t u[PL_X25519_LEN])
{
    ladder(out, scalar, u, 0);
}

void pl_x25519_public(uint8_t pub[PL_X25519_LEN], const uint8_t priv[PL_X25519_LEN])
{
    static const uint8_t base[PL_X25519_LEN] = {9};
    ladder(pub, priv, base, 9);
}

int pl_x25519_keygen(uint8_t priv[PL_X25519_LEN], uint8_t pub[PL_X25519_LEN])
{
    uint8_t k[PL_X25519_LEN];
    TRY(pl_random(k, sizeof k));
    pl_x25519_public(pub, k);
    memcpy(priv, k, sizeof k);
    pl_wipe(k, sizeof k);
    return 0;
}

int pl_x25519_shared(uint8_t out[PL_X25519_LEN], const uint8_t priv[PL_X25519_LEN],
                     const uint8_t peer[PL_X25519_LEN])
{
    uint32_t acc = 0, zero;
    pl_x25519(out, priv, peer);
    for (size_t i = 0; i < PL_X25519_LEN; i++) {
        acc |= out[i];
    }
    zero = pl_ct_is_zero(acc);
    /* RFC 7748 §6.1: an all-zero result aborts the handshake, so whether it happened is public. */
    pl_ct_declassify(&zero, sizeof zero);
    if (zero) {
        return SSL_ERR_CRYPTO_ZERO_SHARED_SECRET;
    }
    return 0;
}
