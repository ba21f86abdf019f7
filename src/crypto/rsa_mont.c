/* Montgomery arithmetic for RSA, see rsa_mont.h.
 *
 * Montgomery multiplication (Montgomery 1985; the CIOS form of Koç, Acar and Kaliski 1996): for
 * each limb a[i], t = (t + a[i]·b + q·m) / 2^64 with q = (t[0] + a[i]·b[0])·(-m^-1) mod 2^64
 * chosen so that the division is exact. With a·b < R·m the result stays below 2m, and one
 * masked subtraction brings it below m. Both products are accumulated in the same pass, each
 * with its own carry; every step t[j] + x·y + c fits in 128 bits since
 * (2^64-1)^2 + 2·(2^64-1) = 2^128 - 1. */
#include "crypto/rsa_mont.h"

#include <x86intrin.h>

#include "base/ct.h"

typedef unsigned __int128 u128;

#define WINDOW 4
#define TABLE_SIZE (1u << WINDOW)

/* Product scanning keeps each column's sum in three registers (lo, hi, top). MAC adds one
 * 64x64-bit product: mul, then add/adc/adc, written as x86-64 inline assembly because compilers
 * keep spilling the carry chain to memory otherwise (padlock builds for x86-64 only; see
 * CMakeLists.txt). mul, add and adc take the same time whatever their operands. */
#define MAC(lo, hi, top, a, b)                                                                     \
    do {                                                                                           \
        uint64_t mac_a_ = (a), mac_d_;                                                             \
        __asm__("mulq %[y]\n\t"                                                                    \
                "addq %%rax, %[l]\n\t"                                                      \
                "adcq %%rdx, %[h]\n\t"                                                      \
                "adcq $0, %[t]"                                                                    \
                : [l] "+r"(lo), [h] "+r"(hi), [t] "+r"(top), "+a"(mac_a_), "=d"(mac_d_)           \
                : [y] "rm"(b)                                                                      \
                : "cc");                                                                           \
        (void)mac_d_;                                                                              \
    } while (0)

/* (lo, hi, top) += (dlo, dhi, dtop) */
#define ADD(lo, hi, top, dlo, dhi, dtop)                                                           \
    __asm__("addq %[x], %[l]\n\t"                                                                  \
            "adcq %[y], %[h]\n\t"                                                                  \
            "adcq %[z], %[t]"                                                                      \
            : [l] "+r"(lo), [h] "+r"(hi), [t] "+r"(top)                                            \
            : [x] "r"(dlo), [y] "r"(dhi), [z] "r"(dtop)                                            \
            : "cc")

/* (lo, hi, top) += 2 · (dlo, dhi, dtop), for a column of cross products below 2^191. */
#define ADD_TWICE(lo, hi, top, dlo, dhi, dtop)                                                     \
    do {                                                                                           \
        uint64_t tw_top_ = ((dtop) << 1) | ((dhi) >> 63);                                          \
        uint64_t tw_hi_ = ((dhi) << 1) | ((dlo) >> 63);                                            \
        uint64_t tw_lo_ = (dlo) << 1;                                                              \
        __asm__("addq %[x], %[l]\n\t"                                                              \
                "adcq %[y], %[h]\n\t"                                                              \
                "adcq %[z], %[t]"                                                                  \
                : [l] "+r"(lo), [h] "+r"(hi), [t] "+r"(top)                                        \
                : [x] "r"(tw_lo_), [y] "r"(tw_hi_), [z] "r"(tw_top_)                               \
                : "cc");                                                                           \
    } while (0)

/* r = t - m when t (n limbs, plus the bit extra) is at least m, else t; constant-time. */
static inline __attribute__((always_inline)) void
final_subtract(uint64_t *r, const uint64_t *t, uint64_t extra, const uint64_t *m, size_t n)
{
    uint64_t d[PL_MONT_MAX_LIMBS], sel, borrow = 0;
    for (size_t j = 0; j < n; j++) {
        u128 diff = (u128)t[j] - m[j] - borrow;
        d[j] = (uint64_t)diff;
        borrow = (uint64_t)(diff >> 64) & 1;
    }
    sel = pl_ct_mask64((uint32_t)(extra | (borrow ^ 1)));
    for (size_t j = 0; j < n; j++) {
        r[j] = t[j] ^ (sel & (t[j] ^ d[j]));
    }
}

/* The Montgomery product by product scanning with the reduction interleaved column by column
 * (the "FIPS" method of Koç, Acar and Kaliski): column i collects a[j]·b[i-j] and q[j]·m[i-j];
 * for i < n, q[i] is chosen to clear the column's low limb. Each column's sum stays below
 * 2n · 2^128, so three limbs hold it. The result, below 2m, is reduced once. Inlined with a
 * constant n for the common sizes. */
/* The bodies of the Montgomery product and square, once with their loops left as loops and once
 * fully unrolled (UNROLL a loop-unrolling pragma): for the 1024- and 2048-bit sizes straight-line
 * code avoids a mispredicted loop exit per column, which costs about a third of the time. Other
 * sizes keep the loops, so that the code stays small. */
#define UNROLLED _Pragma("GCC unroll 64")
#define LOOPED

/* Product scanning, two accumulators per column: a·b products in one and q·m products in the
 * other, so that the two add/adc chains run in parallel; they are merged once per column. */
#define MONT_MUL(name, UNROLL)                                                                     \
    static inline __attribute__((always_inline)) void name(uint64_t *r, const uint64_t *a,        \
                                                           const uint64_t *b, const uint64_t *m,  \
                                                           uint64_t m0inv, size_t n)              \
    {                                                                                              \
        uint64_t q[PL_MONT_MAX_LIMBS], t[PL_MONT_MAX_LIMBS];                                       \
        uint64_t lo = 0, hi = 0, top = 0;                                                          \
        UNROLL for (size_t i = 0; i < 2 * n - 1; i++)                                              \
        {                                                                                          \
            uint64_t lo2 = 0, hi2 = 0, top2 = 0;                                                   \
            size_t first = i < n ? 0 : i - n + 1;                                                  \
            UNROLL for (size_t j = first; j < i && j < n; j++)                                     \
            {                                                                                      \
                MAC(lo, hi, top, a[j], b[i - j]);                                                  \
                MAC(lo2, hi2, top2, q[j], m[i - j]);                                               \
            }                                                                                      \
            ADD(lo, hi, top, lo2, hi2, top2);                                                      \
            if (i < n) {                                                                           \
                MAC(lo, hi, top, a[i], b[0]);                                                      \
                q[i] = lo * m0inv;                                                                 \
                MAC(lo, hi, top, q[i], m[0]); /* the low limb is now zero */                       \
            } else {                                                                               \
                t[i - n] = lo;                                                                     \
            }                                                                                      \
            lo = hi;                                                                               \
            hi = top;                                                                              \
            top = 0;                                                                               \
        }                                                                                          \
        t[n - 1] = lo;                                                                             \
        final_subtract(r, t, hi, m, n);                                                            \
    }

/* The square: the cross products a[j]·a[i-j], j < i-j, are summed once and doubled. */
#define MONT_SQR(name, UNROLL)                                                                     \
    static inline __attribute__((always_inline)) void name(uint64_t *r, const uint64_t *a,        \
                                                           const uint64_t *m, uint64_t m0inv,     \
                                                           size_t n)                              \
    {                                                                                              \
        uint64_t q[PL_MONT_MAX_LIMBS], t[PL_MONT_MAX_LIMBS];                                       \
        uint64_t lo = 0, hi = 0, top = 0;                                                          \
        UNROLL for (size_t i = 0; i < 2 * n - 1; i++)                                              \
        {                                                                                          \
            uint64_t dlo = 0, dhi = 0, dtop = 0;                                                   \
            size_t first = i < n ? 0 : i - n + 1;                                                  \
            UNROLL for (size_t j = first; j < i - j; j++)                                          \
            {                                                                                      \
                MAC(dlo, dhi, dtop, a[j], a[i - j]);                                               \
            }                                                                                      \
            UNROLL for (size_t j = first; j < i && j < n; j++)                                     \
            {                                                                                      \
                MAC(lo, hi, top, q[j], m[i - j]);                                                  \
            }                                                                                      \
            ADD_TWICE(lo, hi, top, dlo, dhi, dtop);                                                \
            if ((i & 1) == 0) {                                                                    \
                MAC(lo, hi, top, a[i / 2], a[i / 2]);                                              \
            }                                                                                      \
            if (i < n) {                                                                           \
                q[i] = lo * m0inv;                                                                 \
                MAC(lo, hi, top, q[i], m[0]);                                                      \
            } else {                                                                               \
                t[i - n] = lo;                                                                     \
            }                                                                                      \
            lo = hi;                                                                               \
            hi = top;                                                                              \
            top = 0;                                                                               \
        }                                                                                          \
        t[n - 1] = lo;                                                                             \
        final_subtract(r, t, hi, m, n);                                                            \
    }

MONT_MUL(mont_mul_unrolled, UNROLLED)
MONT_MUL(mont_mul_looped, LOOPED)
MONT_SQR(mont_sqr_unrolled, UNROLLED)
MONT_SQR(mont_sqr_looped, LOOPED)

void pl_mont_mul(const pl_mont *ctx, uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    /* The branches are on the public size only. */
    if (ctx->len == 16) {
        mont_mul_unrolled(r, a, b, ctx->m, ctx->m0inv, 16);
    } else if (ctx->len == 32) {
        mont_mul_unrolled(r, a, b, ctx->m, ctx->m0inv, 32);
    } else {
        mont_mul_looped(r, a, b, ctx->m, ctx->m0inv, ctx->len);
    }
}

static void mont_sqr(const pl_mont *ctx, uint64_t *r, const uint64_t *a)
{
    if (ctx->len == 16) {
        mont_sqr_unrolled(r, a, ctx->m, ctx->m0inv, 16);
    } else if (ctx->len == 32) {
        mont_sqr_unrolled(r, a, ctx->m, ctx->m0inv, 32);
    } else {
        mont_sqr_looped(r, a, ctx->m, ctx->m0inv, ctx->len);
    }
}

/* x = x + y mod m for x, y < m. */
static void mod_add(const pl_mont *ctx, uint64_t *x, const uint64_t *y)
{
    uint64_t s[PL_MONT_MAX_LIMBS], carry = 0, borrow = 0, sel;
    size_t n = ctx->len;
    for (size_t j = 0; j < n; j++) {
        u128 sum = (u128)x[j] + y[j] + carry;
        s[j] = (uint64_t)sum;
        carry = (uint64_t)(sum >> 64);
    }
    for (size_t j = 0; j < n; j++) {
        u128 diff = (u128)s[j] - ctx->m[j] - borrow;
        x[j] = (uint64_t)diff;
        borrow = (uint64_t)(diff >> 64) & 1;
    }
    sel = pl_ct_mask64((uint32_t)(carry | (borrow ^ 1))); /* 1: keep s - m */
    for (size_t j = 0; j < n; j++) {
        x[j] = s[j] ^ (sel & (s[j] ^ x[j]));
    }
    pl_wipe(s, sizeof s);
}

uint32_t pl_mont_lt(const uint64_t *a, const uint64_t *b, size_t len)
{
    uint64_t borrow = 0;
    for (size_t j = 0; j < len; j++) {
        u128 diff = (u128)a[j] - b[j] - borrow;
        borrow = (uint64_t)(diff >> 64) & 1;
    }
    return (uint32_t)borrow;
}

int pl_mont_decode(uint64_t *out, size_t limbs, const uint8_t *in, size_t in_len)
{
    uint8_t overflow = 0;
    memset(out, 0, limbs * sizeof *out);
    for (size_t i = 0; i < in_len; i++) {
        uint8_t byte = in[in_len - 1 - i];
        if (i / 8 < limbs) {
            out[i / 8] |= (uint64_t)byte << (8 * (i % 8));
        } else {
            overflow |= byte;
        }
    }
    pl_ct_declassify(&overflow, sizeof overflow); /* whether it fits: a length, public */
    ENSURE(overflow == 0, SSL_ERR_INVALID_ARGUMENT);
    return 0;
}

void pl_mont_encode(uint8_t *out, size_t out_len, const uint64_t *in, size_t limbs)
{
    for (size_t i = 0; i < out_len; i++) {
        uint8_t byte = 0;
        if (i / 8 < limbs) {
            byte = (uint8_t)(in[i / 8] >> (8 * (i % 8)));
        }
        out[out_len - 1 - i] = byte;
    }
}

/* ---- R mod m and R^2 mod m ------------------------------------------------------------------- */

/* All constant-time: the loops run a number of times fixed by len, and every choice is a mask.
 *
 * The powers of two are reduced by long division (Knuth, TAOCP vol. 2, §4.3.1, Algorithm D),
 * one quotient limb at a time, modulo mn = m·2^sh, m shifted so that the top bit of its top
 * limb is set (reducing modulo a multiple of m keeps the residue modulo m). The quotient limb is
 * estimated from the top two limbs by a 128-by-64-bit division done with a precomputed
 * reciprocal (Möller and Granlund, "Improved division by invariant integers", IEEE Trans.
 * Computers 60(2), 2011, Algorithm 4), whose corrections are masked; the x86 div instruction is
 * not used, its time varies with its operands. */

#define UNROLL_BY_4 _Pragma("GCC unroll 4")

/* v = floor((2^128 - 1) / d) - 2^64 for d >= 2^63: the quotient of
 * (2^64 - 1 - d)·2^64 + (2^64 - 1) by d, whose high limb is below d, so v < 2^64; by 64 steps
 * of restoring division (the partial remainder needs 65 bits: top holds the 65th). */
static uint64_t reciprocal(uint64_t d)
{
    uint64_t rem = ~d, v = 0;
    for (int i = 0; i < 64; i++) {
        uint64_t top = rem >> 63, mask;
        u128 diff;
        rem = rem << 1 | 1; /* the next bit of the low limb, all ones */
        diff = (u128)rem - d;
        /* (top, rem) >= d: top is set, or rem - d does not borrow */
        mask = pl_ct_mask64((uint32_t)(top | (((uint64_t)(diff >> 64) & 1) ^ 1)));
        rem ^= mask & (rem ^ (uint64_t)diff); /* (top, rem) - d < d fits one limb */
        v = v << 1 | (mask & 1);
    }
    return v;
}

/* floor((u1·2^64 + u0) / d) for u1 < d, d >= 2^63, v = reciprocal(d) (Möller and Granlund,
 * Algorithm 4): q = v·u1 + (u1, u0) (no overflow: (d - 1)(2^64 + v) + 2^64 - 1 < 2^128); the
 * candidate q1 + 1 is right, one too large or (rarely) one too small, which the remainder r
 * tells, compared with q0 and then with d. */
static uint64_t div_2by1(uint64_t u1, uint64_t u0, uint64_t d, uint64_t v)
{
    u128 q = (u128)v * u1 + ((u128)u1 << 64 | u0), diff;
    uint64_t q1 = (uint64_t)(q >> 64) + 1, q0 = (uint64_t)q, r, mask;
    r = u0 - q1 * d;
    diff = (u128)q0 - r; /* borrows when r > q0: one too large */
    mask = (uint64_t)0 - ((uint64_t)(diff >> 64) & 1);
    q1 += mask;
    r += d & mask;
    diff = (u128)r - d; /* no borrow when r >= d: one too small */
    mask = ((uint64_t)(diff >> 64) & 1) - 1;
    q1 -= mask;
    return q1;
}

/* x = x·2^64 mod mn for x < mn (len limbs; mn normalised, v = reciprocal(mn[len-1])).
 * The true quotient floor(x·2^64 / mn) is below 2^64 (x < mn). Its estimate q from the top two
 * limbs of x·2^64 (x[len-1], x[len-2]) by mn's top limb, saturated at 2^64 - 1 when
 * x[len-1] = mn[len-1], is never too small and at most two too large (Knuth, §4.3.1, Theorem B,
 * mn's top limb being at least 2^63). So r = x·2^64 - q·mn lies in [-2mn, mn), kept in len + 1
 * limbs in two's complement, and adding mn back twice, each time only if r is negative, leaves
 * r in [0, mn). */
static void mul_word_mod(uint64_t *x, const uint64_t *mn, size_t len, uint64_t v)
{
    uint64_t u1 = x[len - 1], d = mn[len - 1], q, sat, c = 0, prev = 0, top;
    unsigned long long out;
    unsigned char borrow = 0;
    sat = pl_ct_mask64(pl_ct_is_zero64(u1 ^ d)); /* u1 <= d since x < mn */
    q = div_2by1(u1 & ~sat, x[len - 2], d, v) | sat;
    UNROLL_BY_4 for (size_t j = 0; j < len; j++)
    {
        u128 p = (u128)q * mn[j] + c;
        uint64_t cur = x[j];
        c = (uint64_t)(p >> 64);
        borrow = _subborrow_u64(borrow, prev, (uint64_t)p, &out); /* limb j of x·2^64: x[j-1] */
        x[j] = (uint64_t)out;
        prev = cur;
    }
    (void)_subborrow_u64(borrow, prev, c, &out);
    top = (uint64_t)out;
    for (int k = 0; k < 2; k++) {
        uint64_t mask = (uint64_t)0 - (top >> 63);
        unsigned char carry = 0;
        UNROLL_BY_4 for (size_t j = 0; j < len; j++)
        {
            carry = _addcarry_u64(carry, x[j], mn[j] & mask, &out);
            x[j] = (uint64_t)out;
        }
        top += carry;
    }
}

/* r = x·2^-64 mod m for x < 2^64·m: one Montgomery round, (x + q·m) / 2^64 with
 * q = x[0]·(-m^-1) mod 2^64, below 2m and fitting len limbs (each step x[j] + q·m[j] + c is
 * below 2^128), then one masked subtraction. */
static void redc_word(const pl_mont *ctx, uint64_t *r, const uint64_t *x)
{
    uint64_t t[PL_MONT_MAX_LIMBS], q = x[0] * ctx->m0inv, c;
    size_t n = ctx->len;
    u128 p = (u128)q * ctx->m[0] + x[0]; /* low limb 0 */
    c = (uint64_t)(p >> 64);
    for (size_t j = 1; j < n; j++) {
        p = (u128)q * ctx->m[j] + x[j] + c;
        t[j - 1] = (uint64_t)p;
        c = (uint64_t)(p >> 64);
    }
    t[n - 1] = c;
    final_subtract(r, t, 0, ctx->m, n);
}

int pl_mont_init(pl_mont *ctx, const uint8_t *m, size_t m_len)
{
    uint64_t x, v, mn[PL_MONT_MAX_LIMBS], pow[PL_MONT_MAX_LIMBS], borrow = 1;
    size_t len;
    unsigned sh;
    while (m_len > 0 && m[0] == 0) {
        m++;
        m_len--;
    }
    len = (m_len + 7) / 8;
    ENSURE(len >= 2 && len <= PL_MONT_MAX_LIMBS, SSL_ERR_INVALID_ARGUMENT);
    ENSURE((m[m_len - 1] & 1) == 1, SSL_ERR_INVALID_ARGUMENT);
    memset(ctx, 0, sizeof *ctx);
    ctx->len = len;
    TRY(pl_mont_decode(ctx->m, len, m, m_len));
    /* -m^-1 mod 2^64 by Newton's iteration: m·m = 1 mod 8 for odd m, and each step doubles
     * the number of correct low bits (3, 6, 12, 24, 48, 96). */
    x = ctx->m[0];
    for (int i = 0; i < 5; i++) {
        x *= 2 - ctx->m[0] * x;
    }
    ctx->m0inv = (uint64_t)0 - x;
    /* mn = m·2^sh with the top bit set; sh < 64 since the top limb is non-zero (m's first byte
     * is). The bit length of m is the one thing this reveals. ((a >> 1) >> (63 - sh) is
     * a >> (64 - sh), and 0 for sh = 0.) */
    sh = (unsigned)__builtin_clzll(ctx->m[len - 1]);
    mn[0] = ctx->m[0] << sh;
    for (size_t j = 1; j < len; j++) {
        mn[j] = ctx->m[j] << sh | (ctx->m[j - 1] >> 1) >> (63 - sh);
    }
    v = reciprocal(mn[len - 1]);
    /* pow = 2^(64·len) mod mn = 2^(64·len) - mn (mn > 2^(64·len-1): m is odd, not a power of
     * two), the two's complement of mn. */
    for (size_t j = 0; j < len; j++) {
        u128 sum = (u128)(~mn[j]) + borrow;
        pow[j] = (uint64_t)sum;
        borrow = (uint64_t)(sum >> 64);
    }
    /* pow = 2^(64·(len + k)) mod mn after k steps; the Montgomery round takes away 2^64:
     * R = 2^(64·len) after one step, shift = 2^(64(len-1))·R after len, R^2 after len + 1. */
    for (size_t k = 1; k <= len + 1; k++) {
        mul_word_mod(pow, mn, len, v);
        if (k == 1) {
            redc_word(ctx, ctx->one, pow);
        } else if (k == len) {
            redc_word(ctx, ctx->shift, pow);
        }
    }
    redc_word(ctx, ctx->rr, pow);
    pl_wipe(mn, sizeof mn);
    pl_wipe(pow, sizeof pow);
    return 0;
}

void pl_mont_reduce(const pl_mont *ctx, uint64_t *r, const uint64_t *a, size_t a_limbs)
{
    /* Horner's rule in chunks of len-1 limbs, each below 2^(64(len-1)) <= m:
     * r = r·2^(64(len-1)) + chunk mod m, the multiplication being a Montgomery product with
     * shift = 2^(64(len-1))·R. */
    size_t n = ctx->len, c = n - 1;
    size_t chunks = (a_limbs + c - 1) / c;
    uint64_t chunk[PL_MONT_MAX_LIMBS];
    memset(r, 0, n * sizeof *r);
    for (size_t k = chunks; k > 0; k--) {
        size_t lo = (k - 1) * c;
        memset(chunk, 0, n * sizeof *chunk);
        for (size_t j = lo; j < a_limbs && j < lo + c; j++) {
            chunk[j - lo] = a[j];
        }
        pl_mont_mul(ctx, r, r, ctx->shift);
        mod_add(ctx, r, chunk);
    }
    pl_wipe(chunk, sizeof chunk);
}

/* pick = table[bits], read by touching every entry: the address never depends on bits. */
static inline __attribute__((always_inline)) void
table_scan(uint64_t *pick, uint64_t (*table)[PL_MONT_MAX_LIMBS], uint32_t bits, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        pick[j] = 0;
    }
    for (uint32_t i = 0; i < TABLE_SIZE; i++) {
        uint64_t mask = pl_ct_mask64(pl_ct_eq(i, bits));
        for (size_t j = 0; j < n; j++) {
            pick[j] |= table[i][j] & mask;
        }
    }
}

void pl_mont_exp(const pl_mont *ctx, uint64_t *r, const uint64_t *base, const uint64_t *exp,
                 size_t exp_limbs)
{
    uint64_t table[TABLE_SIZE][PL_MONT_MAX_LIMBS];
    uint64_t acc[PL_MONT_MAX_LIMBS], pick[PL_MONT_MAX_LIMBS], unit[PL_MONT_MAX_LIMBS];
    size_t n = ctx->len, windows = (64 * exp_limbs + WINDOW - 1) / WINDOW;
    /* table[i] = base^i in Montgomery form; even entries by squaring, which is cheaper */
    memcpy(table[0], ctx->one, n * sizeof(uint64_t));
    pl_mont_mul(ctx, table[1], base, ctx->rr);
    for (size_t i = 2; i < TABLE_SIZE; i++) {
        if (i % 2 == 0) {
            mont_sqr(ctx, table[i], table[i / 2]);
        } else {
            pl_mont_mul(ctx, table[i], table[i - 1], table[1]);
        }
    }
    for (size_t w = windows; w > 0; w--) {
        size_t pos = (w - 1) * WINDOW, limb = pos / 64, sh = pos % 64;
        uint64_t word = exp[limb] >> sh;
        uint32_t bits;
        if (sh + WINDOW > 64 && limb + 1 < exp_limbs) { /* the window spans two limbs */
            word |= exp[limb + 1] << (64 - sh);
        }
        bits = (uint32_t)word & (TABLE_SIZE - 1);
        if (n == 16) { /* constant sizes let the compiler vectorise the scan */
            table_scan(pick, table, bits, 16);
        } else if (n == 32) {
            table_scan(pick, table, bits, 32);
        } else {
            table_scan(pick, table, bits, n);
        }
        if (w == windows) { /* the top window: acc = 1 · table[bits] */
            memcpy(acc, pick, n * sizeof(uint64_t));
            continue;
        }
        for (int s = 0; s < WINDOW; s++) {
            mont_sqr(ctx, acc, acc);
        }
        pl_mont_mul(ctx, acc, acc, pick);
    }
    memset(unit, 0, n * sizeof(uint64_t));
    unit[0] = 1;
    pl_mont_mul(ctx, r, acc, unit);
    pl_wipe(table, sizeof table);
    pl_wipe(acc, sizeof acc);
    pl_wipe(pick, sizeof pick);
}

void pl_mont_exp_vartime(const pl_mont *ctx, uint64_t *r, const uint64_t *base, uint32_t e)
{
    uint64_t x[PL_MONT_MAX_LIMBS], acc[PL_MONT_MAX_LIMBS], unit[PL_MONT_MAX_LIMBS];
    size_t n = ctx->len;
    int top = 31;
    while (top > 0 && ((e >> top) & 1) == 0) {
        top--;
    }
    pl_mont_mul(ctx, x, base, ctx->rr);
    memcpy(acc, x, n * sizeof(uint64_t));
    for (int i = top - 1; i >= 0; i--) {
        mont_sqr(ctx, acc, acc);
        if ((e >> i) & 1) {
            pl_mont_mul(ctx, acc, acc, x);
        }
    }
    memset(unit, 0, n * sizeof(uint64_t));
    unit[0] = 1;
    pl_mont_mul(ctx, r, acc, unit);
    pl_wipe(x, sizeof x);
    pl_wipe(acc, sizeof acc);
}

/* ---- modular inverse (variable time) --------------------------------------------------------- */

typedef __int128 i128;

#define GCD_K 62 /* approximations of 2k = 124 bits; k - 1 = 61 exact steps per round */

/* Bit length of a (len limbs). */
static size_t bit_len(const uint64_t *a, size_t len)
{
    while (len > 0 && a[len - 1] == 0) {
        len--;
    }
    if (len == 0) {
        return 0;
    }
    return 64 * len - (size_t)__builtin_clzll(a[len - 1]);
}

/* The 64 bits of a (len limbs) from bit pos up. */
static uint64_t bits_from(const uint64_t *a, size_t len, size_t pos)
{
    size_t limb = pos / 64, sh = pos % 64;
    uint64_t v = limb < len ? a[limb] >> sh : 0;
    if (sh != 0 && limb + 1 < len) {
        v |= a[limb + 1] << (64 - sh);
    }
    return v;
}

/* t (len + 1 limbs, two's complement) = x·f + y·g for x, y of len limbs, |f|, |g| <= 2^61:
 * each step is below 2^126 in magnitude. */
static void lin_comb(uint64_t *t, const uint64_t *x, const uint64_t *y, int64_t f, int64_t g,
                     size_t len)
{
    i128 carry = 0;
    for (size_t j = 0; j < len; j++) {
        i128 acc = (i128)x[j] * f + (i128)y[j] * g + carry;
        t[j] = (uint64_t)acc;
        carry = acc >> 64; /* arithmetic shift (gcc and clang define it so) */
    }
    t[len] = (uint64_t)carry;
}

/* t (len + 1 limbs, two's complement) >>= k - 1, arithmetically; returns 1 when t is negative,
 * having replaced it by its absolute value. */
static uint32_t shift_abs(uint64_t *t, size_t len)
{
    uint32_t neg = (uint32_t)(t[len] >> 63);
    for (size_t j = 0; j < len; j++) {
        t[j] = (t[j] >> (GCD_K - 1)) | (t[j + 1] << (65 - GCD_K));
    }
    t[len] = (uint64_t)((int64_t)t[len] >> (GCD_K - 1));
    if (neg) {
        uint64_t carry = 1;
        for (size_t j = 0; j <= len; j++) {
            t[j] = ~t[j] + carry;
            carry = carry & (t[j] == 0);
        }
    }
    return neg;
}

/* out = (x·f + y·g) / 2^(k-1) mod m for x, y < m: the division is Montgomery's, adding w·m with
 * w < 2^(k-1) chosen to clear the low k - 1 bits, all in one pass (each step below 3·2^125 <
 * 2^127 in magnitude). The result, within (-3m, 3m), is brought into [0, m). */
static void lin_comb_mod(const pl_mont *ctx, uint64_t *out, const uint64_t *x, const uint64_t *y,
                         int64_t f, int64_t g)
{
    uint64_t t[PL_MONT_MAX_LIMBS + 1], carry = 0;
    size_t n = ctx->len;
    uint64_t low = x[0] * (uint64_t)f + y[0] * (uint64_t)g; /* the low limb, mod 2^64 */
    int64_t w = (int64_t)((low * ctx->m0inv) & (((uint64_t)1 << (GCD_K - 1)) - 1));
    i128 acc_carry = 0;
    for (size_t j = 0; j < n; j++) {
        i128 acc = (i128)x[j] * f + (i128)y[j] * g + (i128)ctx->m[j] * w + acc_carry;
        t[j] = (uint64_t)acc;
        acc_carry = acc >> 64;
    }
    t[n] = (uint64_t)acc_carry;
    for (size_t j = 0; j < n; j++) {
        t[j] = (t[j] >> (GCD_K - 1)) | (t[j + 1] << (65 - GCD_K));
    }
    t[n] = (uint64_t)((int64_t)t[n] >> (GCD_K - 1));
    while ((t[n] >> 63) != 0) { /* negative: add m */
        carry = 0;
        for (size_t j = 0; j < n; j++) {
            u128 sum = (u128)t[j] + ctx->m[j] + carry;
            t[j] = (uint64_t)sum;
            carry = (uint64_t)(sum >> 64);
        }
        t[n] += carry;
    }
    while (t[n] != 0 || pl_mont_lt(t, ctx->m, n) == 0) { /* at least m: subtract m */
        uint64_t borrow = 0;
        for (size_t j = 0; j < n; j++) {
            u128 d = (u128)t[j] - ctx->m[j] - borrow;
            t[j] = (uint64_t)d;
            borrow = (uint64_t)(d >> 64) & 1;
        }
        t[n] -= borrow;
    }
    memcpy(out, t, n * sizeof *out);
}

int pl_mont_inverse_vartime(const pl_mont *ctx, uint64_t *r, const uint64_t *y)
{
    /* The binary GCD of T. Pornin, "Optimized Binary GCD for Modular Inversion" (IACR ePrint
     * 2020/972), Algorithm 2, with k = 62: each round runs k - 1 steps of the binary GCD on
     * 2k-bit approximations of a and b (their low k - 1 bits and top k + 1 bits), collecting
     * the steps in a matrix (f0 g0; f1 g1) of entries at most 2^(k-1), then applies it to the
     * full values, dividing by 2^(k-1). u and v get the same matrix and the same division (the
     * Montgomery way, modulo m), so a = u·y and b = v·y (mod m) hold throughout; at the end
     * a = 0, b = gcd(y, m), and v = y^-1 when b = 1. */
    uint64_t a[PL_MONT_MAX_LIMBS + 1], b[PL_MONT_MAX_LIMBS + 1], na[PL_MONT_MAX_LIMBS + 1];
    uint64_t u[PL_MONT_MAX_LIMBS], v[PL_MONT_MAX_LIMBS], nu[PL_MONT_MAX_LIMBS];
    size_t n = ctx->len, rounds = 0, max_rounds = (2 * 64 * n) / (GCD_K - 1) + 8;
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    memcpy(a, y, n * sizeof *a);
    memcpy(b, ctx->m, n * sizeof *b);
    memset(u, 0, n * sizeof *u);
    memset(v, 0, n * sizeof *v);
    u[0] = 1;
    while (bit_len(a, n) != 0 && rounds++ < max_rounds) {
        size_t len_a = bit_len(a, n), len_b = bit_len(b, n);
        size_t top = len_a > len_b ? len_a : len_b;
        uint64_t low_mask = ((uint64_t)1 << (GCD_K - 1)) - 1;
        u128 abar, bbar;
        int64_t f0 = 1, g0 = 0, f1 = 0, g1 = 1;
        size_t live;
        uint32_t neg;
        if (top < 2 * GCD_K) {
            top = 2 * GCD_K;
        }
        abar = (a[0] & low_mask) | ((u128)bits_from(a, n, top - GCD_K - 1) << (GCD_K - 1));
        bbar = (b[0] & low_mask) | ((u128)bits_from(b, n, top - GCD_K - 1) << (GCD_K - 1));
        for (int j = 0; j < GCD_K - 1; j++) {
            if ((abar & 1) != 0) {
                if (abar < bbar) {
                    u128 tb = abar;
                    int64_t tf = f0, tg = g0;
                    abar = bbar;
                    bbar = tb;
                    f0 = f1;
                    g0 = g1;
                    f1 = tf;
                    g1 = tg;
                }
                abar -= bbar;
                f0 -= f1;
                g0 -= g1;
            }
            abar >>= 1;
            f1 *= 2;
            g1 *= 2;
        }
        /* a and b only shrink: work on the limbs they still occupy (the rest stay zero) */
        live = (top + 63) / 64;
        lin_comb(na, a, b, f0, g0, live);
        neg = shift_abs(na, live);
        if (neg) {
            f0 = -f0;
            g0 = -g0;
        }
        lin_comb(b, a, b, f1, g1, live); /* b (live + 1 limbs) from the old a and b */
        neg = shift_abs(b, live);
        if (neg) {
            f1 = -f1;
            g1 = -g1;
        }
        memcpy(a, na, (live + 1) * sizeof *a);
        lin_comb_mod(ctx, nu, u, v, f0, g0);
        lin_comb_mod(ctx, v, u, v, f1, g1);
        memcpy(u, nu, n * sizeof *u);
    }
    if (bit_len(a, n) != 0 || bit_len(b, n) != 1) {
        return 0;
    }
    memcpy(r, v, n * sizeof *r);
    return 1;
}
