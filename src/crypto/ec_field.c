/* Montgomery arithmetic modulo the P-256 and P-384 primes and orders, see ec_field.h.
 *
 * Each operation is written once for n limbs as an always-inlined function and instantiated for
 * n = 4 and n = 6, so that the compiler sees constant loop bounds and unrolls them; the public
 * functions pick the instance by the modulus's size, which is public. */
#include <x86intrin.h>

#include "base/ct.h"
#include "crypto/ec_field.h"

typedef unsigned __int128 u128;

#define INLINE static inline __attribute__((always_inline))
#define UNROLL _Pragma("GCC unroll 8")

/* Add and subtract with carry: the x86-64 ADC and SBB instructions (base ISA, no extra flags). */
INLINE uint8_t adc64(uint8_t c, uint64_t a, uint64_t b, uint64_t *out)
{
    unsigned long long o;
    c = _addcarry_u64(c, a, b, &o);
    *out = (uint64_t)o;
    return c;
}

INLINE uint8_t sbb64(uint8_t c, uint64_t a, uint64_t b, uint64_t *out)
{
    unsigned long long o;
    c = _subborrow_u64(c, a, b, &o);
    *out = (uint64_t)o;
    return c;
}

/* r = t - m if that does not borrow below the extra top word t_hi (0 or 1), else t: the masked
 * final subtraction that brings a value below 2m under m. */
INLINE void final_sub_n(const pl_ec_modulus *m, uint64_t *r, const uint64_t *t, uint64_t t_hi,
                        size_t n)
{
    uint64_t d[PL_EC_MAX_LIMBS], keep, hi;
    uint8_t borrow = 0;
    UNROLL
    for (size_t j = 0; j < n; j++) {
        borrow = sbb64(borrow, t[j], m->m[j], &d[j]);
    }
    borrow = sbb64(borrow, t_hi, 0, &hi);
    keep = pl_ct_mask64(borrow);
    UNROLL
    for (size_t j = 0; j < n; j++) {
        r[j] = (t[j] & keep) | (d[j] & ~keep);
    }
}

/* Montgomery multiplication, CIOS (Koç, Acar, Kaliski 1996, §4): for each limb b[i], t += a·b[i],
 * then add q·m with q = t[0]·(-m^-1) mod 2^64 so the low limb becomes zero, and shift one limb.
 * Bounds: a, b < m, so t < 2m stays true after every round (t' = (t + a·b[i] + q·m) / 2^64 <
 * (2m + 2^64·m + 2^64·m) / 2^64 < 2m + 1), and t fits n limbs plus one bit in t[n]. Each 128-bit
 * step x·y + t + c is at most (2^64-1)^2 + 2·(2^64-1) = 2^128 - 1. One masked subtraction
 * finishes the reduction. */
INLINE void mont_mul_n(const pl_ec_modulus *m, uint64_t *r, const uint64_t *a,
                       const uint64_t *b, size_t n)
{
    uint64_t t[PL_EC_MAX_LIMBS + 2];
    UNROLL
    for (size_t j = 0; j < n + 2; j++) {
        t[j] = 0;
    }
    UNROLL
    for (size_t i = 0; i < n; i++) {
        uint64_t c = 0, q;
        u128 x;
        UNROLL
        for (size_t j = 0; j < n; j++) {
            x = (u128)a[j] * b[i] + t[j] + c;
            t[j] = (uint64_t)x;
            c = (uint64_t)(x >> 64);
        }
        t[n + 1] = adc64(0, t[n], c, &t[n]);
        q = t[0] * m->m0inv;
        x = (u128)q * m->m[0] + t[0];
        c = (uint64_t)(x >> 64);
        UNROLL
        for (size_t j = 1; j < n; j++) {
            x = (u128)q * m->m[j] + t[j] + c;
            t[j - 1] = (uint64_t)x;
            c = (uint64_t)(x >> 64);
        }
        t[n] = t[n + 1] + adc64(0, t[n], c, &t[n - 1]);
    }
    final_sub_n(m, r, t, t[n], n);
}

/* r = a + b mod m for a, b < m: the sum (n limbs and a carry) minus m, unless that borrows. */
INLINE void mod_add_n(const pl_ec_modulus *m, uint64_t *r, const uint64_t *a, const uint64_t *b,
                      size_t n)
{
    uint64_t s[PL_EC_MAX_LIMBS];
    uint8_t carry = 0;
    UNROLL
    for (size_t j = 0; j < n; j++) {
        carry = adc64(carry, a[j], b[j], &s[j]);
    }
    final_sub_n(m, r, s, carry, n);
}

/* r = a - b mod m for a, b < m: the difference, plus m when it borrowed. */
INLINE void mod_sub_n(const pl_ec_modulus *m, uint64_t *r, const uint64_t *a, const uint64_t *b,
                      size_t n)
{
    uint64_t d[PL_EC_MAX_LIMBS], mask;
    uint8_t borrow = 0, carry = 0;
    UNROLL
    for (size_t j = 0; j < n; j++) {
        borrow = sbb64(borrow, a[j], b[j], &d[j]);
    }
    mask = pl_ct_mask64(borrow);
    UNROLL
    for (size_t j = 0; j < n; j++) {
        carry = adc64(carry, d[j], m->m[j] & mask, &r[j]);
    }
}

enum { P256_P, P256_N, P384_P, P384_N };

const pl_ec_modulus pl_ec_p256_p = {
    .n = 4,
    .id = P256_P,
    .m = {0xffffffffffffffff, 0x00000000ffffffff, 0x0000000000000000, 0xffffffff00000001},
    .m0inv = 0x0000000000000001,
    .r2 = {0x0000000000000003, 0xfffffffbffffffff, 0xfffffffffffffffe, 0x00000004fffffffd},
    .one = {0x0000000000000001, 0xffffffff00000000, 0xffffffffffffffff, 0x00000000fffffffe},
};

const pl_ec_modulus pl_ec_p256_n = {
    .n = 4,
    .id = P256_N,
    .m = {0xf3b9cac2fc632551, 0xbce6faada7179e84, 0xffffffffffffffff, 0xffffffff00000000},
    .m0inv = 0xccd1c8aaee00bc4f,
    .r2 = {0x83244c95be79eea2, 0x4699799c49bd6fa6, 0x2845b2392b6bec59, 0x66e12d94f3d95620},
    .one = {0x0c46353d039cdaaf, 0x4319055258e8617b, 0x0000000000000000, 0x00000000ffffffff},
};

const pl_ec_modulus pl_ec_p384_p = {
    .n = 6,
    .id = P384_P,
    .m = {0x00000000ffffffff, 0xffffffff00000000, 0xfffffffffffffffe, 0xffffffffffffffff,
          0xffffffffffffffff, 0xffffffffffffffff},
    .m0inv = 0x0000000100000001,
    .r2 = {0xfffffffe00000001, 0x0000000200000000, 0xfffffffe00000000, 0x0000000200000000,
           0x0000000000000001, 0x0000000000000000},
    .one = {0xffffffff00000001, 0x00000000ffffffff, 0x0000000000000001, 0x0000000000000000,
            0x0000000000000000, 0x0000000000000000},
};

const pl_ec_modulus pl_ec_p384_n = {
    .n = 6,
    .id = P384_N,
    .m = {0xecec196accc52973, 0x581a0db248b0a77a, 0xc7634d81f4372ddf, 0xffffffffffffffff,
          0xffffffffffffffff, 0xffffffffffffffff},
    .m0inv = 0x6ed46089e88fdc45,
    .r2 = {0x2d319b2419b409a9, 0xff3d81e5df1aa419, 0xbc3e483afcb82947, 0xd40d49174aab1cc5,
           0x3fb05b7a28266895, 0x0c84ee012b39bf21},
    .one = {0x1313e695333ad68d, 0xa7e5f24db74f5885, 0x389cb27e0bc8d220, 0x0000000000000000,
            0x0000000000000000, 0x0000000000000000},
};

/* One instance of each operation per modulus, the modulus a constant the compiler can fold (the
 * zero and all-ones limbs of the primes, m0inv = 1 for P-256's p). */
#define INSTANCES(name, mod, n)                                                                   \
    static void mul_##name(uint64_t *r, const uint64_t *a, const uint64_t *b)                     \
    {                                                                                              \
        mont_mul_n(&mod, r, a, b, n);                                                              \
    }                                                                                              \
    static void add_##name(uint64_t *r, const uint64_t *a, const uint64_t *b)                     \
    {                                                                                              \
        mod_add_n(&mod, r, a, b, n);                                                               \
    }                                                                                              \
    static void sub_##name(uint64_t *r, const uint64_t *a, const uint64_t *b)                     \
    {                                                                                              \
        mod_sub_n(&mod, r, a, b, n);                                                               \
    }

INSTANCES(p256_p, pl_ec_p256_p, 4)
INSTANCES(p256_n, pl_ec_p256_n, 4)
INSTANCES(p384_p, pl_ec_p384_p, 6)
INSTANCES(p384_n, pl_ec_p384_n, 6)

typedef void (*op_fn)(uint64_t *r, const uint64_t *a, const uint64_t *b);

static const struct {
    op_fn mul, add, sub;
} ops[] = {
    [P256_P] = {mul_p256_p, add_p256_p, sub_p256_p},
    [P256_N] = {mul_p256_n, add_p256_n, sub_p256_n},
    [P384_P] = {mul_p384_p, add_p384_p, sub_p384_p},
    [P384_N] = {mul_p384_n, add_p384_n, sub_p384_n},
};

void pl_ec_mod_mul(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a, const pl_ec_fe *b)
{
    ops[m->id].mul(r->v, a->v, b->v);
}

void pl_ec_mod_sqr(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a)
{
    ops[m->id].mul(r->v, a->v, a->v);
}

void pl_ec_mod_add(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a, const pl_ec_fe *b)
{
    ops[m->id].add(r->v, a->v, b->v);
}

void pl_ec_mod_sub(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a, const pl_ec_fe *b)
{
    ops[m->id].sub(r->v, a->v, b->v);
}

/* a^(m-2) with a fixed 4-bit window over the exponent, which is public (it is the modulus):
 * 8·n·4 squarings and 8·n multiplications by a table entry chosen by the exponent's bits. */
void pl_ec_mod_inv(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a)
{
    pl_ec_fe table[16], acc;
    uint64_t e[PL_EC_MAX_LIMBS], borrow = 2;
    for (size_t j = 0; j < m->n; j++) {
        u128 x = (u128)m->m[j] - borrow;
        e[j] = (uint64_t)x;
        borrow = (uint64_t)(x >> 64) & 1;
    }
    memset(&table[0], 0, sizeof table[0]);
    memcpy(table[0].v, m->one, sizeof m->one);
    table[1] = *a;
    for (size_t i = 2; i < 16; i++) {
        pl_ec_mod_mul(m, &table[i], &table[i - 1], a);
    }
    acc = table[0];
    for (size_t i = m->n * 16; i-- > 0;) {
        size_t digit = (size_t)(e[i / 16] >> (4 * (i % 16))) & 15;
        for (int s = 0; s < 4; s++) {
            pl_ec_mod_sqr(m, &acc, &acc);
        }
        pl_ec_mod_mul(m, &acc, &acc, &table[digit]);
    }
    *r = acc;
    pl_wipe(table, sizeof table);
    pl_wipe(&acc, sizeof acc);
}

void pl_ec_mod_to_mont(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a)
{
    pl_ec_fe r2;
    memset(&r2, 0, sizeof r2);
    memcpy(r2.v, m->r2, sizeof m->r2);
    pl_ec_mod_mul(m, r, a, &r2);
}

void pl_ec_mod_from_mont(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a)
{
    pl_ec_fe one;
    memset(&one, 0, sizeof one);
    one.v[0] = 1;
    pl_ec_mod_mul(m, r, a, &one);
}

void pl_ec_fe_from_bytes(const pl_ec_modulus *m, pl_ec_fe *r, const uint8_t *in)
{
    memset(r, 0, sizeof *r);
    for (size_t j = 0; j < m->n; j++) {
        const uint8_t *p = in + 8 * (m->n - 1 - j);
        uint64_t v = 0;
        for (size_t k = 0; k < 8; k++) {
            v = v << 8 | p[k];
        }
        r->v[j] = v;
    }
}

void pl_ec_fe_to_bytes(const pl_ec_modulus *m, uint8_t *out, const pl_ec_fe *a)
{
    for (size_t j = 0; j < m->n; j++) {
        uint8_t *p = out + 8 * (m->n - 1 - j);
        for (size_t k = 0; k < 8; k++) {
            p[k] = (uint8_t)(a->v[j] >> (56 - 8 * k));
        }
    }
}

uint32_t pl_ec_fe_below_modulus(const pl_ec_modulus *m, const pl_ec_fe *a)
{
    uint64_t borrow = 0;
    for (size_t j = 0; j < m->n; j++) {
        u128 x = (u128)a->v[j] - m->m[j] - borrow;
        borrow = (uint64_t)(x >> 64) & 1;
    }
    return (uint32_t)borrow;
}

uint32_t pl_ec_fe_is_zero(const pl_ec_modulus *m, const pl_ec_fe *a)
{
    uint64_t acc = 0;
    for (size_t j = 0; j < m->n; j++) {
        acc |= a->v[j];
    }
    return pl_ct_is_zero64(acc);
}

uint32_t pl_ec_fe_eq(const pl_ec_modulus *m, const pl_ec_fe *a, const pl_ec_fe *b)
{
    uint64_t acc = 0;
    for (size_t j = 0; j < m->n; j++) {
        acc |= a->v[j] ^ b->v[j];
    }
    return pl_ct_is_zero64(acc);
}

void pl_ec_fe_copy_if(const pl_ec_modulus *m, uint32_t ctl, pl_ec_fe *r, const pl_ec_fe *a)
{
    uint64_t mask = pl_ct_mask64(ctl);
    for (size_t j = 0; j < m->n; j++) {
        r->v[j] ^= mask & (r->v[j] ^ a->v[j]);
    }
}

void pl_ec_fe_reduce_once(const pl_ec_modulus *m, pl_ec_fe *r, const pl_ec_fe *a)
{
    uint64_t d[PL_EC_MAX_LIMBS], borrow = 0, keep;
    for (size_t j = 0; j < m->n; j++) {
        u128 x = (u128)a->v[j] - m->m[j] - borrow;
        d[j] = (uint64_t)x;
        borrow = (uint64_t)(x >> 64) & 1;
    }
    keep = pl_ct_mask64((uint32_t)borrow);
    for (size_t j = 0; j < m->n; j++) {
        r->v[j] = (a->v[j] & keep) | (d[j] & ~keep);
    }
}
