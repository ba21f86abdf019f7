/* RSA (RFC 8017), see rsa.h for the contracts.
 *
 * Numbers in the private and public operations are little-endian 64-bit limb arrays handled by
 * rsa_mont.c, which is constant-time (but for its inverse, used on the random blinding value).
 * libtommath (mp_int) appears in two places only, both once per key: checking and reducing a
 * private key's parts when it is loaded, and key generation, which hands its result to the same
 * loader. Every private operation's result is also verified with the public key (the fault
 * guard), so a wrong answer from either library cannot leave this file unnoticed. */
#include "crypto/rsa.h"

#include <stdlib.h>
#include <tommath.h>

#include "base/ct.h"
#include "crypto/bn.h"

#define MAX_LIMBS PL_MONT_MAX_LIMBS
/* Each draw of r is below n with probability over 1/2, and invertible almost surely. */
#define BLINDING_TRIES 64

/* The secret part of a private key (RFC 8017 §3.2, second representation), as limbs. */
struct pl_rsa_secret {
    pl_mont p, q;               /* arithmetic modulo the primes; p.m and q.m are the primes */
    uint64_t dp[MAX_LIMBS];     /* d mod (p-1), p.len limbs */
    uint64_t dq[MAX_LIMBS];     /* d mod (q-1), q.len limbs */
    uint64_t qinv[MAX_LIMBS];   /* q^-1 mod p, p.len limbs */
    uint64_t qinv_mont[MAX_LIMBS]; /* qinv · R mod p: Montgomery form, for Garner's step */
    uint8_t d[PL_RSA_MAX_LEN];  /* d, big-endian, kept for export only */
    size_t d_len;
};

/* ---- keys ------------------------------------------------------------------------------------ */

int pl_rsa_public_init(pl_rsa_public *key, const uint8_t *n, size_t n_len, const uint8_t *e,
                       size_t e_len)
{
    size_t bits = pl_bn_bits(n, n_len), e_bits = pl_bn_bits(e, e_len);
    uint32_t ev = 0;
    memset(key, 0, sizeof *key);
    ENSURE(bits <= PL_RSA_MAX_BITS, SSL_ERR_CRYPTO_RSA_KEY_TOO_LARGE);
    ENSURE(bits >= PL_RSA_MIN_BITS, SSL_ERR_CRYPTO_RSA_BAD_KEY);
    ENSURE(e_bits >= 2 && e_bits <= 32, SSL_ERR_CRYPTO_RSA_BAD_KEY);
    for (size_t i = 0; i < e_len; i++) {
        ev = (ev << 8) | e[i]; /* leading bytes are zero: e_bits <= 32 */
    }
    /* RFC 8017 §3.1: n odd (a product of odd primes); 3 <= e < n, e odd (e must be coprime to
     * lcm(p-1, q-1), which is even). e < 2^32 < 2^512 <= n holds by the size checks. */
    ENSURE((ev & 1) == 1 && ev >= 3, SSL_ERR_CRYPTO_RSA_BAD_KEY);
    while (n_len > 0 && n[0] == 0) {
        n++;
        n_len--;
    }
    ENSURE((n[n_len - 1] & 1) == 1, SSL_ERR_CRYPTO_RSA_BAD_KEY);
    key->bits = bits;
    key->len = n_len;
    key->e = ev;
    memcpy(key->n, n, n_len);
    TRY(pl_mont_init(&key->mont, n, n_len));
    return 0;
}

void pl_rsa_public_free(pl_rsa_public *key)
{
    pl_wipe(key, sizeof *key);
}

size_t pl_rsa_public_bits(const pl_rsa_public *key)
{
    return key->bits;
}

size_t pl_rsa_public_len(const pl_rsa_public *key)
{
    return key->len;
}

int pl_rsa_check_policy(const pl_rsa_public *key)
{
    ENSURE(key->bits >= PL_RSA_POLICY_MIN_BITS, SSL_ERR_CRYPTO_RSA_KEY_TOO_SMALL);
    return 0;
}

const pl_rsa_public *pl_rsa_private_public(const pl_rsa_private *key)
{
    return &key->pub;
}

void pl_rsa_private_free(pl_rsa_private *key)
{
    if (key->secret != NULL) {
        pl_wipe(key->secret, sizeof *key->secret);
        free(key->secret);
    }
    pl_wipe(key, sizeof *key);
}

/* Zero a secret's digits before libtommath frees them. */
static void clear_secret(mp_int *a)
{
    mp_zero(a);
    mp_clear(a);
}

/* a as exactly len big-endian bytes (the caller knows it fits). */
static int mp_to_fixed(const mp_int *a, uint8_t *out, size_t len)
{
    size_t size = mp_ubin_size(a);
    ENSURE(size <= len, SSL_ERR_INTERNAL);
    memset(out, 0, len - size);
    TRY(pl_bn_check(mp_to_ubin(a, out + (len - size), size, NULL)));
    return 0;
}

/* a as limbs limbs (the caller knows it fits), through a big-endian buffer that is wiped. */
static int mp_to_limbs(const mp_int *a, uint64_t *out, size_t limbs)
{
    uint8_t buf[PL_RSA_MAX_LEN];
    int rc;
    ENSURE(limbs * 8 <= sizeof buf, SSL_ERR_INTERNAL);
    rc = mp_to_fixed(a, buf, limbs * 8);
    if (rc == 0) {
        rc = pl_mont_decode(out, limbs, buf, limbs * 8);
    }
    pl_wipe(buf, sizeof buf);
    return rc;
}

/* (a · b) mod m == 1, computed into t. */
static int is_inverse(const mp_int *a, const mp_int *b, const mp_int *m, mp_int *t, int *ok)
{
    TRY(pl_bn_check(mp_mulmod(a, b, m, t)));
    *ok = mp_cmp_d(t, 1) == MP_EQ;
    return 0;
}

enum { N, E, D, P, Q, DP, DQ, QINV, PM1, QM1, T, NUM_MP };

/* The checks of pl_rsa_private_init on the parts loaded into v, and the reduced parts stored
 * in s. v[T] and buf (PL_RSA_MAX_LEN bytes, wiped by the caller) are scratch. */
static int check_and_store(mp_int *v, const struct pl_rsa_parts *parts, struct pl_rsa_secret *s,
                           uint8_t *buf)
{
    const uint8_t *bytes[8] = {parts->n, parts->e, parts->d, parts->p,
                               parts->q, parts->dp, parts->dq, parts->qinv};
    const size_t lens[8] = {parts->n_len, parts->e_len, parts->d_len, parts->p_len,
                            parts->q_len, parts->dp_len, parts->dq_len, parts->qinv_len};
    size_t p_len, q_len;
    int ok;
    for (int i = 0; i < 8; i++) {
        ENSURE(lens[i] <= PL_RSA_MAX_LEN + 1, SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
        TRY(pl_bn_check(mp_from_ubin(&v[i], bytes[i], lens[i])));
    }
    /* Odd primes of at least 128 bits (two limbs for rsa_mont.c) whose product is n. */
    ENSURE(mp_isodd(&v[P]) && mp_isodd(&v[Q]), SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
    ENSURE(mp_count_bits(&v[P]) >= 128 && mp_count_bits(&v[Q]) >= 128,
           SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
    TRY(pl_bn_check(mp_mul(&v[P], &v[Q], &v[T])));
    ENSURE(mp_cmp(&v[T], &v[N]) == MP_EQ, SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
    TRY(pl_bn_check(mp_sub_d(&v[P], 1, &v[PM1])));
    TRY(pl_bn_check(mp_sub_d(&v[Q], 1, &v[QM1])));
    /* RFC 8017 §3.2: e·dP = 1 mod (p-1), e·dQ = 1 mod (q-1), q·qInv = 1 mod p; and d is a
     * private exponent for the same key (e·d = 1 modulo both p-1 and q-1). */
    TRY(is_inverse(&v[E], &v[DP], &v[PM1], &v[T], &ok));
    ENSURE(ok, SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
    TRY(is_inverse(&v[E], &v[DQ], &v[QM1], &v[T], &ok));
    ENSURE(ok, SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
    TRY(is_inverse(&v[Q], &v[QINV], &v[P], &v[T], &ok));
    ENSURE(ok, SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
    TRY(is_inverse(&v[E], &v[D], &v[PM1], &v[T], &ok));
    ENSURE(ok, SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
    TRY(is_inverse(&v[E], &v[D], &v[QM1], &v[T], &ok));
    ENSURE(ok, SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
    ENSURE(mp_cmp(&v[D], &v[N]) == MP_LT, SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
    /* Reduced parts: dp < p-1, dq < q-1, qinv < p, whatever the encoding carried. */
    TRY(pl_bn_check(mp_mod(&v[DP], &v[PM1], &v[DP])));
    TRY(pl_bn_check(mp_mod(&v[DQ], &v[QM1], &v[DQ])));
    TRY(pl_bn_check(mp_mod(&v[QINV], &v[P], &v[QINV])));
    p_len = mp_ubin_size(&v[P]);
    q_len = mp_ubin_size(&v[Q]);
    TRY(mp_to_fixed(&v[P], buf, p_len));
    TRY(pl_mont_init(&s->p, buf, p_len));
    TRY(mp_to_fixed(&v[Q], buf, q_len));
    TRY(pl_mont_init(&s->q, buf, q_len));
    TRY(mp_to_limbs(&v[DP], s->dp, s->p.len));
    TRY(mp_to_limbs(&v[DQ], s->dq, s->q.len));
    TRY(mp_to_limbs(&v[QINV], s->qinv, s->p.len));
    pl_mont_mul(&s->p, s->qinv_mont, s->qinv, s->p.rr);
    s->d_len = mp_ubin_size(&v[D]);
    TRY(mp_to_fixed(&v[D], s->d, s->d_len));
    return 0;
}

int pl_rsa_private_init(pl_rsa_private *key, const struct pl_rsa_parts *parts)
{
    mp_int v[NUM_MP];
    uint8_t buf[PL_RSA_MAX_LEN];
    int rc;
    memset(key, 0, sizeof *key);
    TRY(pl_rsa_public_init(&key->pub, parts->n, parts->n_len, parts->e, parts->e_len));
    key->secret = calloc(1, sizeof *key->secret);
    ENSURE(key->secret != NULL, SSL_ERR_NO_MEMORY);
    rc = pl_bn_check(mp_init_multi(&v[N], &v[E], &v[D], &v[P], &v[Q], &v[DP], &v[DQ], &v[QINV],
                                   &v[PM1], &v[QM1], &v[T], NULL));
    if (rc != 0) {
        goto out;
    }
    rc = check_and_store(v, parts, key->secret, buf);
    for (int i = 0; i < NUM_MP; i++) {
        clear_secret(&v[i]);
    }
out:
    pl_wipe(buf, sizeof buf);
    if (rc != 0) {
        pl_rsa_private_free(key);
    }
    return rc;
}

/* Append a minimal big-endian copy of limbs (at most PL_RSA_MAX_LEN bytes' worth) to buf. */
static const uint8_t *put_part(uint8_t **at, const uint64_t *limbs, size_t count, size_t *len)
{
    uint8_t *start = *at;
    size_t full = count * 8, skip = 0;
    pl_mont_encode(start, full, limbs, count);
    while (skip < full && start[skip] == 0) {
        skip++;
    }
    memmove(start, start + skip, full - skip);
    *len = full - skip;
    *at += *len;
    return start;
}

int pl_rsa_private_export(const pl_rsa_private *key, uint8_t *buf, size_t buf_len,
                          struct pl_rsa_parts *parts)
{
    const struct pl_rsa_secret *s = key->secret;
    uint8_t *at = buf;
    uint64_t e = key->pub.e;
    ENSURE(buf_len >= PL_RSA_EXPORT_MAX_LEN, SSL_ERR_INVALID_ARGUMENT);
    ENSURE(s != NULL, SSL_ERR_INVALID_ARGUMENT);
    memcpy(at, key->pub.n, key->pub.len);
    parts->n = at;
    parts->n_len = key->pub.len;
    at += key->pub.len;
    parts->e = put_part(&at, &e, 1, &parts->e_len);
    memcpy(at, s->d, s->d_len);
    parts->d = at;
    parts->d_len = s->d_len;
    at += s->d_len;
    parts->p = put_part(&at, s->p.m, s->p.len, &parts->p_len);
    parts->q = put_part(&at, s->q.m, s->q.len, &parts->q_len);
    parts->dp = put_part(&at, s->dp, s->p.len, &parts->dp_len);
    parts->dq = put_part(&at, s->dq, s->q.len, &parts->dq_len);
    parts->qinv = put_part(&at, s->qinv, s->p.len, &parts->qinv_len);
    return 0;
}

void pl_rsa_private_corrupt_for_test(pl_rsa_private *key)
{
    key->secret->dp[0] ^= 2;
}

/* ---- the primitives -------------------------------------------------------------------------- */

/* in (k bytes) as limbs, refusing in >= n: RFC 8017 §5.1.1 step 1, §5.2.2 step 1. n is public,
 * and so is whether a given input is below it. */
static int load_input(const pl_rsa_public *key, const uint8_t *in, size_t in_len, uint64_t *x)
{
    uint32_t below;
    ENSURE(in_len == key->len, SSL_ERR_CRYPTO_BAD_LENGTH);
    TRY(pl_mont_decode(x, key->mont.len, in, in_len));
    below = pl_mont_lt(x, key->mont.m, key->mont.len);
    pl_ct_declassify(&below, sizeof below);
    ENSURE(below == 1, SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG);
    return 0;
}

int pl_rsa_public_op(const pl_rsa_public *key, const uint8_t *in, size_t in_len, uint8_t *out,
                     size_t out_len)
{
    uint64_t x[MAX_LIMBS];
    ENSURE(out_len == key->len, SSL_ERR_CRYPTO_BAD_LENGTH);
    TRY(load_input(key, in, in_len, x));
    pl_mont_exp_vartime(&key->mont, x, x, key->e);
    pl_mont_encode(out, out_len, x, key->mont.len);
    return 0;
}

/* Working storage of one private operation, wiped as a whole at the end. */
struct private_work {
    uint64_t c[MAX_LIMBS];      /* the input */
    uint64_t r[MAX_LIMBS];      /* blinding value r, then r^e mod n */
    uint64_t rinv[MAX_LIMBS];   /* r^-1 mod n */
    uint64_t x[MAX_LIMBS];      /* blinded input c · r^e mod n, later the result */
    uint64_t m1[MAX_LIMBS];     /* modulo p */
    uint64_t m2[MAX_LIMBS];     /* modulo q */
    uint64_t h[MAX_LIMBS];
    uint64_t exp[MAX_LIMBS + 1];
    uint64_t prod[2 * MAX_LIMBS];
    uint64_t check[MAX_LIMBS];
    uint8_t bytes[PL_RSA_MAX_LEN];
};

/* r·rinv = 1 mod n, checked with two Montgomery products: the inverse comes from
 * variable-time code, and a wrong one would corrupt the result (the fault guard would catch
 * that too, later and less clearly). */
static int is_inverse_mod_n(const pl_mont *mn, struct private_work *w)
{
    pl_mont_mul(mn, w->check, w->r, w->rinv);     /* r · rinv · R^-1 */
    pl_mont_mul(mn, w->check, w->check, mn->rr); /* r · rinv */
    if (w->check[0] != 1) {
        return 0;
    }
    for (size_t j = 1; j < mn->len; j++) {
        if (w->check[j] != 0) {
            return 0;
        }
    }
    return 1;
}

/* A uniformly random r in [1, n) and its inverse modulo n, in w->r and w->rinv. The inverse's
 * time depends on r, which is fresh, used once and never revealed. */
static int blinding_values(const pl_rsa_public *key, struct private_work *w)
{
    const pl_mont *mn = &key->mont;
    uint8_t top_mask = (uint8_t)(0xff >> (8 * key->len - key->bits));
    for (int tries = 0; tries < BLINDING_TRIES; tries++) {
        TRY(pl_random(w->bytes, key->len));
        w->bytes[0] &= top_mask;
        TRY(pl_mont_decode(w->r, mn->len, w->bytes, key->len));
        if (pl_mont_lt(w->r, mn->m, mn->len) == 0) {
            continue; /* r >= n: draw again, so that r is uniform below n */
        }
        /* r = 0 and r sharing a prime with n (probability about 2^-1023) have no inverse */
        if (pl_mont_inverse_vartime(mn, w->rinv, w->r) && is_inverse_mod_n(mn, w)) {
            return 0;
        }
    }
    return SSL_ERR_CRYPTO_BIGNUM;
}

/* exp = d + r · (m - 1) for the odd prime m (len limbs) and a fresh random 64-bit r: the
 * exponent blinding. Since x^(m-1) = 1 mod m for x coprime to m, the result is unchanged, but
 * the exponent's bits differ on every call. exp gets len + 1 limbs. */
static int blind_exponent(uint64_t *exp, const uint64_t *d, const pl_mont *m)
{
    uint8_t rb[8];
    uint64_t r = 0, carry = 0;
    TRY(pl_random(rb, sizeof rb));
    for (int i = 0; i < 8; i++) {
        r = (r << 8) | rb[i];
    }
    for (size_t j = 0; j < m->len; j++) {
        uint64_t mj = j == 0 ? m->m[0] - 1 : m->m[j]; /* m odd: m - 1 only clears bit 0 */
        unsigned __int128 t = (unsigned __int128)r * mj + d[j] + carry;
        exp[j] = (uint64_t)t;
        carry = (uint64_t)(t >> 64);
    }
    exp[m->len] = carry;
    pl_wipe(rb, sizeof rb);
    pl_wipe(&r, sizeof r);
    return 0;
}

/* out = x^d mod m for the prime m, with x given modulo n (nlimbs limbs) and d blinded. */
static int crt_half(uint64_t *out, const uint64_t *x, size_t nlimbs, const uint64_t *d,
                    const pl_mont *m, struct private_work *w)
{
    pl_mont_reduce(m, w->h, x, nlimbs);
    TRY(blind_exponent(w->exp, d, m));
    pl_mont_exp(m, out, w->h, w->exp, m->len + 1);
    return 0;
}

/* prod (a_len + b_len limbs) = a · b, schoolbook; constant-time. */
static void mul_limbs(uint64_t *prod, const uint64_t *a, size_t a_len, const uint64_t *b,
                      size_t b_len)
{
    memset(prod, 0, (a_len + b_len) * sizeof *prod);
    for (size_t i = 0; i < a_len; i++) {
        uint64_t carry = 0;
        for (size_t j = 0; j < b_len; j++) {
            unsigned __int128 t = (unsigned __int128)a[i] * b[j] + prod[i + j] + carry;
            prod[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        prod[i + b_len] = carry;
    }
}

/* The private operation on w->c, result in w->x. */
static int private_op(const pl_rsa_private *key, struct private_work *w)
{
    const pl_rsa_public *pub = &key->pub;
    const struct pl_rsa_secret *s = key->secret;
    const pl_mont *mn = &pub->mont;
    size_t nl = mn->len, pl = s->p.len, ql = s->q.len;
    uint64_t borrow = 0, mask, carry = 0;
    uint32_t same;
    /* Base blinding: x = c · r^e mod n. */
    TRY(blinding_values(pub, w));
    pl_mont_exp_vartime(mn, w->r, w->r, pub->e);
    pl_mont_mul(mn, w->x, w->c, w->r);  /* c · r^e · R^-1 */
    pl_mont_mul(mn, w->x, w->x, mn->rr); /* c · r^e */
    /* RFC 8017 §5.1.2 step 2.b: m1 = x^dP mod p, m2 = x^dQ mod q, h = (m1 - m2) · qInv mod p,
     * m = m2 + q · h (Garner's recombination). */
    TRY(crt_half(w->m1, w->x, nl, s->dp, &s->p, w));
    TRY(crt_half(w->m2, w->x, nl, s->dq, &s->q, w));
    pl_mont_reduce(&s->p, w->h, w->m2, ql); /* m2 mod p (q may exceed p) */
    for (size_t j = 0; j < pl; j++) {        /* h = m1 - (m2 mod p), plus p if negative */
        unsigned __int128 d = (unsigned __int128)w->m1[j] - w->h[j] - borrow;
        w->h[j] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    mask = pl_ct_mask64((uint32_t)borrow);
    for (size_t j = 0; j < pl; j++) {
        unsigned __int128 t = (unsigned __int128)w->h[j] + (s->p.m[j] & mask) + carry;
        w->h[j] = (uint64_t)t;
        carry = (uint64_t)(t >> 64);
    }
    pl_mont_mul(&s->p, w->h, w->h, s->qinv_mont); /* (m1 - m2) · qInv mod p */
    mul_limbs(w->prod, s->q.m, ql, w->h, pl);     /* q · h < q · p = n: fits in nl limbs */
    carry = 0;
    for (size_t j = 0; j < pl + ql; j++) {
        unsigned __int128 t = (unsigned __int128)w->prod[j] + (j < ql ? w->m2[j] : 0) + carry;
        w->prod[j] = (uint64_t)t;
        carry = (uint64_t)(t >> 64);
    }
    /* Unblind: x = m · r^-1 mod n (m < n, as the Montgomery product requires). */
    pl_mont_mul(mn, w->x, w->prod, w->rinv);
    pl_mont_mul(mn, w->x, w->x, mn->rr);
    /* The fault guard: x^e must give c back. Whether it does is public (a fault is an event,
     * not a secret), and nothing is released when it does not. */
    pl_mont_exp_vartime(mn, w->check, w->x, pub->e);
    same = pl_ct_memeq(w->check, w->c, nl * sizeof(uint64_t));
    pl_ct_declassify(&same, sizeof same);
    ENSURE(same == 1, SSL_ERR_CRYPTO_FAULT_DETECTED);
    return 0;
}

int pl_rsa_private_op(const pl_rsa_private *key, const uint8_t *in, size_t in_len, uint8_t *out,
                      size_t out_len)
{
    struct private_work *w;
    int rc;
    ENSURE(key->secret != NULL, SSL_ERR_INVALID_ARGUMENT);
    ENSURE(out_len == key->pub.len, SSL_ERR_CRYPTO_BAD_LENGTH);
    w = calloc(1, sizeof *w);
    ENSURE(w != NULL, SSL_ERR_NO_MEMORY);
    rc = load_input(&key->pub, in, in_len, w->c);
    if (rc == 0) {
        rc = private_op(key, w);
    }
    if (rc == 0) {
        pl_mont_encode(out, out_len, w->x, key->pub.mont.len);
    } else {
        pl_wipe(out, out_len);
    }
    pl_wipe(w, sizeof *w);
    free(w);
    return rc;
}

/* ---- RSASSA-PKCS1-v1_5 ----------------------------------------------------------------------- */

/* RFC 8017 §9.2 note 1: the DER of DigestInfo up to the digest, for each hash. */
static const uint8_t prefix_sha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                      0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
static const uint8_t prefix_sha256[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                        0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                        0x01, 0x05, 0x00, 0x04, 0x20};
static const uint8_t prefix_sha384[] = {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                        0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                        0x02, 0x05, 0x00, 0x04, 0x30};
static const uint8_t prefix_sha512[] = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                        0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                        0x03, 0x05, 0x00, 0x04, 0x40};

static int digest_info_prefix(const pl_hash_class *h, const uint8_t **prefix, size_t *len)
{
    if (h == &pl_sha1_class) {
        *prefix = prefix_sha1;
        *len = sizeof prefix_sha1;
    } else if (h == &pl_sha256_class) {
        *prefix = prefix_sha256;
        *len = sizeof prefix_sha256;
    } else if (h == &pl_sha384_class) {
        *prefix = prefix_sha384;
        *len = sizeof prefix_sha384;
    } else if (h == &pl_sha512_class) {
        *prefix = prefix_sha512;
        *len = sizeof prefix_sha512;
    } else {
        return SSL_ERR_CRYPTO_UNSUPPORTED_HASH;
    }
    return 0;
}

/* EMSA-PKCS1-v1_5 (RFC 8017 §9.2) into em (k bytes): 0x00 0x01 PS(0xff...) 0x00 T, with
 * T = DigestInfo(digest). SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG when k < tLen + 11 (step 3). */
static int emsa_pkcs1_encode(const pl_hash_class *h, const uint8_t *digest, size_t digest_len,
                             uint8_t *em, size_t k)
{
    const uint8_t *prefix;
    size_t prefix_len, t_len;
    TRY(digest_info_prefix(h, &prefix, &prefix_len));
    ENSURE(digest_len == h->digest_len, SSL_ERR_CRYPTO_BAD_LENGTH);
    t_len = prefix_len + digest_len;
    ENSURE(k >= t_len + 11, SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG);
    em[0] = 0x00;
    em[1] = 0x01;
    memset(em + 2, 0xff, k - t_len - 3);
    em[k - t_len - 1] = 0x00;
    memcpy(em + k - t_len, prefix, prefix_len);
    memcpy(em + k - digest_len, digest, digest_len);
    return 0;
}

int pl_rsa_pkcs1_verify(const pl_rsa_public *key, const pl_hash_class *h, const uint8_t *digest,
                        size_t digest_len, const uint8_t *sig, size_t sig_len)
{
    uint8_t em[PL_RSA_MAX_LEN], expected[PL_RSA_MAX_LEN];
    uint32_t same;
    int rc;
    /* §8.2.2 step 1: the signature is exactly k bytes. */
    ENSURE(sig_len == key->len, SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
    rc = emsa_pkcs1_encode(h, digest, digest_len, expected, key->len);
    if (rc == SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG) {
        return SSL_ERR_CRYPTO_BAD_SIGNATURE; /* no valid signature exists for this key */
    }
    TRY(rc);
    /* §8.2.2 step 2: s < n (RSAVP1's range check; s >= n is a forgery attempt or junk). */
    rc = pl_rsa_public_op(key, sig, sig_len, em, key->len);
    ENSURE(rc != SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG, SSL_ERR_CRYPTO_BAD_SIGNATURE);
    TRY(rc);
    /* §8.2.2 steps 3-4: compare the whole encoding; nothing is parsed out of em. The verdict
     * is the verifier's public answer. */
    same = pl_ct_memeq(em, expected, key->len);
    pl_ct_declassify(&same, sizeof same);
    ENSURE(same == 1, SSL_ERR_CRYPTO_BAD_SIGNATURE);
    return 0;
}

int pl_rsa_pkcs1_sign(const pl_rsa_private *key, const pl_hash_class *h, const uint8_t *digest,
                      size_t digest_len, uint8_t *sig, size_t sig_len)
{
    uint8_t em[PL_RSA_MAX_LEN];
    ENSURE(sig_len == key->pub.len, SSL_ERR_CRYPTO_BAD_LENGTH);
    TRY(emsa_pkcs1_encode(h, digest, digest_len, em, key->pub.len));
    return pl_rsa_private_op(key, em, key->pub.len, sig, sig_len);
}

/* ---- RSASSA-PSS ------------------------------------------------------------------------------ */

/* MGF1 (RFC 8017 §B.2.1) over hash h with the given seed, XORed into out[0..len). */
static void mgf1_xor(const pl_hash_class *mgf1, const uint8_t *seed, size_t seed_len,
                     uint8_t *out, size_t len)
{
    uint8_t block[PL_HASH_MAX_LEN], counter[4];
    pl_hash_ctx c;
    for (uint32_t i = 0; (size_t)i * mgf1->digest_len < len; i++) {
        size_t at = (size_t)i * mgf1->digest_len;
        size_t n = len - at < mgf1->digest_len ? len - at : mgf1->digest_len;
        counter[0] = (uint8_t)(i >> 24);
        counter[1] = (uint8_t)(i >> 16);
        counter[2] = (uint8_t)(i >> 8);
        counter[3] = (uint8_t)i;
        mgf1->init(&c);
        mgf1->update(&c, seed, seed_len);
        mgf1->update(&c, counter, sizeof counter);
        mgf1->final(&c, block);
        for (size_t j = 0; j < n; j++) {
            out[at + j] ^= block[j];
        }
    }
    pl_wipe(block, sizeof block);
}

/* H = Hash(0x00 x 8 || mHash || salt), RFC 8017 §9.1.1 steps 5-6. */
static void pss_hash(const pl_hash_class *h, const uint8_t *digest, const uint8_t *salt,
                     size_t salt_len, uint8_t *out)
{
    static const uint8_t zeros[8] = {0};
    pl_hash_ctx c;
    h->init(&c);
    h->update(&c, zeros, sizeof zeros);
    h->update(&c, digest, h->digest_len);
    h->update(&c, salt, salt_len);
    h->final(&c, out);
}

int pl_rsa_pss_verify(const pl_rsa_public *key, const pl_hash_class *h, const uint8_t *digest,
                      size_t digest_len, const pl_hash_class *mgf1, size_t salt_len,
                      const uint8_t *sig, size_t sig_len)
{
    uint8_t m[PL_RSA_MAX_LEN], want[PL_HASH_MAX_LEN];
    size_t em_bits = key->bits - 1, em_len = (em_bits + 7) / 8, h_len = h->digest_len;
    size_t db_len, ps_len;
    uint8_t *em, top_mask;
    uint32_t same;
    int rc;
    ENSURE(digest_len == h_len, SSL_ERR_CRYPTO_BAD_LENGTH);
    ENSURE(sig_len == key->len, SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING); /* §8.1.2 step 1 */
    rc = pl_rsa_public_op(key, sig, sig_len, m, key->len);              /* step 2 */
    ENSURE(rc != SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG, SSL_ERR_CRYPTO_BAD_SIGNATURE);
    TRY(rc);
    /* I2OSP(m, emLen): when emBits is a multiple of 8, emLen = k - 1 and m's first byte must be
     * zero. */
    ENSURE(em_len == key->len || m[0] == 0, SSL_ERR_CRYPTO_BAD_SIGNATURE);
    em = m + (key->len - em_len);
    /* §9.1.2 steps 3-6. */
    ENSURE(em_len >= h_len + salt_len + 2, SSL_ERR_CRYPTO_BAD_SIGNATURE);
    ENSURE(em[em_len - 1] == 0xbc, SSL_ERR_CRYPTO_BAD_SIGNATURE);
    db_len = em_len - h_len - 1;
    top_mask = (uint8_t)(0xff >> (8 * em_len - em_bits));
    ENSURE((em[0] & (uint8_t)~top_mask) == 0, SSL_ERR_CRYPTO_BAD_SIGNATURE);
    /* Steps 7-10: DB = maskedDB xor MGF(H), its top bits cleared; PS zero, then 0x01. */
    mgf1_xor(mgf1, em + db_len, h_len, em, db_len);
    em[0] &= top_mask;
    ps_len = db_len - salt_len - 1;
    for (size_t i = 0; i < ps_len; i++) {
        ENSURE(em[i] == 0, SSL_ERR_CRYPTO_BAD_SIGNATURE);
    }
    ENSURE(em[ps_len] == 0x01, SSL_ERR_CRYPTO_BAD_SIGNATURE);
    /* Steps 11-14: H' from the salt, compared with H. */
    pss_hash(h, digest, em + db_len - salt_len, salt_len, want);
    same = pl_ct_memeq(want, em + db_len, h_len);
    pl_ct_declassify(&same, sizeof same); /* the verifier's public answer */
    ENSURE(same == 1, SSL_ERR_CRYPTO_BAD_SIGNATURE);
    return 0;
}

int pl_rsa_pss_sign(const pl_rsa_private *key, const pl_hash_class *h, const uint8_t *digest,
                    size_t digest_len, const pl_hash_class *mgf1, size_t salt_len, uint8_t *sig,
                    size_t sig_len)
{
    uint8_t m[PL_RSA_MAX_LEN];
    size_t k = key->pub.len, em_bits = key->pub.bits - 1, em_len = (em_bits + 7) / 8;
    size_t h_len = h->digest_len, db_len;
    uint8_t *em = m + (k - em_len);
    ENSURE(digest_len == h_len, SSL_ERR_CRYPTO_BAD_LENGTH);
    ENSURE(sig_len == k, SSL_ERR_CRYPTO_BAD_LENGTH);
    /* §9.1.1 step 3: emLen >= hLen + sLen + 2. */
    ENSURE(em_len >= h_len + salt_len + 2, SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG);
    db_len = em_len - h_len - 1;
    memset(m, 0, k);
    /* Steps 4-8: DB = PS || 0x01 || salt, the salt random; H = Hash(M'). */
    em[db_len - salt_len - 1] = 0x01;
    TRY(pl_random(em + db_len - salt_len, salt_len));
    pss_hash(h, digest, em + db_len - salt_len, salt_len, em + db_len);
    /* Steps 9-12: maskedDB = DB xor MGF(H), top bits cleared; EM = maskedDB || H || 0xbc. */
    mgf1_xor(mgf1, em + db_len, h_len, em, db_len);
    em[0] &= (uint8_t)(0xff >> (8 * em_len - em_bits));
    em[em_len - 1] = 0xbc;
    return pl_rsa_private_op(key, m, k, sig, sig_len);
}

/* ---- RSAES-PKCS1-v1_5 ------------------------------------------------------------------------ */

int pl_rsa_pkcs1_encrypt(const pl_rsa_public *key, const uint8_t *msg, size_t msg_len,
                         uint8_t *out, size_t out_len)
{
    uint8_t em[PL_RSA_MAX_LEN];
    size_t k = key->len, ps_len;
    int rc;
    ENSURE(out_len == k, SSL_ERR_CRYPTO_BAD_LENGTH);
    ENSURE(msg_len + 11 <= k, SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG); /* §7.2.1 step 1 */
    /* Step 2: EM = 0x00 || 0x02 || PS || 0x00 || M, PS non-zero random, at least 8 bytes. */
    ps_len = k - msg_len - 3;
    em[0] = 0x00;
    em[1] = 0x02;
    rc = pl_random(em + 2, ps_len);
    for (size_t i = 0; rc == 0 && i < ps_len; i++) {
        while (rc == 0 && em[2 + i] == 0) {
            rc = pl_random(em + 2 + i, 1);
        }
    }
    if (rc == 0) {
        em[2 + ps_len] = 0x00;
        memcpy(em + 3 + ps_len, msg, msg_len);
        rc = pl_rsa_public_op(key, em, k, out, out_len); /* em < n: its first byte is 0 */
    }
    pl_wipe(em, sizeof em);
    return rc;
}

uint32_t pl_rsa_pkcs1_unpad_ct(const uint8_t *em, size_t k, size_t *msg_off)
{
    uint32_t good = pl_ct_eq(em[0], 0x00) & pl_ct_eq(em[1], 0x02);
    uint32_t found = 0, sep = 0;
    for (size_t i = 2; i < k; i++) {
        uint32_t zero = pl_ct_is_zero(em[i]);
        sep = pl_ct_select(zero & (found ^ 1), (uint32_t)i, sep);
        found |= zero;
    }
    /* The separator exists and PS = em[2..sep) has at least 8 bytes: sep >= 10. */
    good &= found & (pl_ct_lt(sep, 10) ^ 1);
    *msg_off = pl_ct_select(good, sep + 1, (uint32_t)k);
    return good;
}

int pl_rsa_pkcs1_decrypt(const pl_rsa_private *key, const uint8_t *ct, size_t ct_len,
                         uint8_t *out, size_t out_cap, size_t *msg_len)
{
    uint8_t em[PL_RSA_MAX_LEN];
    size_t k = key->pub.len, off;
    uint32_t good;
    int rc;
    *msg_len = 0;
    /* §7.2.2 step 1: k bytes; RSADP's range check: c < n. */
    ENSURE(ct_len == k && k >= 11, SSL_ERR_CRYPTO_RSA_DECRYPT_FAILED);
    rc = pl_rsa_private_op(key, ct, ct_len, em, k);
    ENSURE(rc != SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG, SSL_ERR_CRYPTO_RSA_DECRYPT_FAILED);
    TRY(rc);
    good = pl_rsa_pkcs1_unpad_ct(em, k, &off);
    /* This form reports the verdict: made public here, at the end, and not before. */
    pl_ct_declassify(&good, sizeof good);
    pl_ct_declassify(&off, sizeof off);
    rc = SSL_ERR_CRYPTO_RSA_DECRYPT_FAILED;
    if (good == 1) {
        rc = SSL_ERR_INVALID_ARGUMENT;
        if (k - off <= out_cap) {
            memcpy(out, em + off, k - off);
            *msg_len = k - off;
            rc = 0;
        }
    }
    pl_wipe(em, sizeof em);
    return rc;
}

void pl_rsa_tls_premaster_select(const uint8_t *em, size_t k, const uint8_t client_version[2],
                                 uint8_t out[PL_RSA_PREMASTER_LEN])
{
    size_t sep = k - PL_RSA_PREMASTER_LEN - 1;
    uint32_t good = pl_ct_eq(em[0], 0x00) & pl_ct_eq(em[1], 0x02);
    /* PS = em[2..sep) all non-zero (k >= 64, so at least 13 bytes), em[sep] = 0: the message is
     * exactly 48 bytes. Then its first two bytes are ClientHello.client_version. */
    for (size_t i = 2; i < sep; i++) {
        good &= pl_ct_is_zero(em[i]) ^ 1;
    }
    good &= pl_ct_is_zero(em[sep]);
    good &= pl_ct_eq(em[sep + 1], client_version[0]) & pl_ct_eq(em[sep + 2], client_version[1]);
    pl_ct_copy_if(good, out, em + sep + 1, PL_RSA_PREMASTER_LEN);
}

int pl_rsa_tls_decrypt_premaster(const pl_rsa_private *key, const uint8_t *ct, size_t ct_len,
                                 const uint8_t client_version[2],
                                 uint8_t out[PL_RSA_PREMASTER_LEN])
{
    uint8_t em[PL_RSA_MAX_LEN];
    size_t k = key->pub.len;
    int rc;
    ENSURE(ct_len == k, SSL_ERR_CRYPTO_BAD_LENGTH);
    /* RFC 5246 §7.4.7.1 step 1: R first, so that every failure below leaves R in place. */
    TRY(pl_random(out, PL_RSA_PREMASTER_LEN));
    /* c >= n cannot be decrypted; whether it is below n is public knowledge (n is public), so
     * skipping the private operation tells an attacker nothing new. It continues with R. */
    if (pl_bn_cmp(ct, ct_len, key->pub.n, k) >= 0) {
        return 0;
    }
    rc = pl_rsa_private_op(key, ct, ct_len, em, k);
    if (rc == 0) {
        pl_rsa_tls_premaster_select(em, k, client_version, out);
    } else {
        pl_wipe(out, PL_RSA_PREMASTER_LEN);
    }
    pl_wipe(em, sizeof em);
    return rc;
}

/* ---- key generation -------------------------------------------------------------------------- */

#define KEYGEN_E 65537u

/* The rounds of Miller-Rabin with random bases that mp_prime_is_prime runs after its trial
 * division and Baillie-PSW test, for primes of half bits: FIPS 186-4 Table C.3 (and FIPS 186-5
 * Table B.1, which adds 2048-bit primes), the column for error probability 2^-112 (1024-bit
 * primes), 2^-128 (1536), 2^-144 (2048). */
static int mr_rounds(unsigned half)
{
    return half <= 1024 ? 5 : 4;
}

/* A random prime of exactly half bits with its top two bits set and p mod e != 1 (so that
 * gcd(e, p-1) = 1 for the prime e = 65537), within 5·half candidates (FIPS 186-4 §B.3.3
 * step 4.7). */
static int random_prime(mp_int *p, unsigned half, uint8_t *buf)
{
    size_t len = half / 8;
    for (unsigned tries = 0; tries < 5 * half; tries++) {
        mp_digit rem;
        mp_bool prime;
        TRY(pl_random(buf, len));
        buf[0] |= 0xc0;
        buf[len - 1] |= 1;
        TRY(pl_bn_check(mp_from_ubin(p, buf, len)));
        TRY(pl_bn_check(mp_mod_d(p, KEYGEN_E, &rem)));
        if (rem == 1) {
            continue;
        }
        TRY(pl_bn_check(mp_prime_is_prime(p, mr_rounds(half), &prime)));
        if (prime == MP_YES) {
            return 0;
        }
    }
    return SSL_ERR_CRYPTO_KEYGEN_FAILED;
}

enum { G_P, G_Q, G_N, G_E, G_D, G_DP, G_DQ, G_QINV, G_PM1, G_QM1, G_L, G_T, NUM_G };

/* a as minimal big-endian bytes at *at, advancing *at (within limit). */
static int put_mp(const mp_int *a, uint8_t **at, const uint8_t *limit, const uint8_t **out,
                  size_t *len)
{
    size_t size = mp_ubin_size(a);
    ENSURE(size <= (size_t)(limit - *at), SSL_ERR_INTERNAL);
    TRY(pl_bn_check(mp_to_ubin(a, *at, size, NULL)));
    *out = *at;
    *len = size;
    *at += size;
    return 0;
}

static int generate(pl_rsa_private *key, unsigned bits, mp_int *v, uint8_t *bytes)
{
    const unsigned half = bits / 2;
    const uint8_t *limit = bytes + PL_RSA_EXPORT_MAX_LEN;
    uint8_t *at = bytes;
    struct pl_rsa_parts parts;
    mp_set_u32(&v[G_E], KEYGEN_E);
    for (int attempt = 0; attempt < 8; attempt++) {
        TRY(random_prime(&v[G_P], half, bytes));
        TRY(random_prime(&v[G_Q], half, bytes));
        /* FIPS 186-4 §B.3.3 step 5.4: |p - q| > 2^(nlen/2 - 100). */
        TRY(pl_bn_check(mp_sub(&v[G_P], &v[G_Q], &v[G_T])));
        if (mp_count_bits(&v[G_T]) <= (int)half - 100) {
            continue;
        }
        if (mp_cmp(&v[G_P], &v[G_Q]) == MP_LT) {
            mp_exch(&v[G_P], &v[G_Q]);
        }
        TRY(pl_bn_check(mp_mul(&v[G_P], &v[G_Q], &v[G_N])));
        TRY(pl_bn_check(mp_sub_d(&v[G_P], 1, &v[G_PM1])));
        TRY(pl_bn_check(mp_sub_d(&v[G_Q], 1, &v[G_QM1])));
        TRY(pl_bn_check(mp_lcm(&v[G_PM1], &v[G_QM1], &v[G_L])));
        /* d = e^-1 mod lcm(p-1, q-1) (FIPS 186-4 §B.3.1 step 3), and d > 2^(nlen/2). */
        TRY(pl_bn_check(mp_invmod(&v[G_E], &v[G_L], &v[G_D])));
        if (mp_count_bits(&v[G_D]) <= (int)half) {
            continue;
        }
        TRY(pl_bn_check(mp_mod(&v[G_D], &v[G_PM1], &v[G_DP])));
        TRY(pl_bn_check(mp_mod(&v[G_D], &v[G_QM1], &v[G_DQ])));
        TRY(pl_bn_check(mp_invmod(&v[G_Q], &v[G_P], &v[G_QINV])));
        ENSURE(mp_count_bits(&v[G_N]) == (int)bits, SSL_ERR_INTERNAL);
        TRY(put_mp(&v[G_N], &at, limit, &parts.n, &parts.n_len));
        TRY(put_mp(&v[G_E], &at, limit, &parts.e, &parts.e_len));
        TRY(put_mp(&v[G_D], &at, limit, &parts.d, &parts.d_len));
        TRY(put_mp(&v[G_P], &at, limit, &parts.p, &parts.p_len));
        TRY(put_mp(&v[G_Q], &at, limit, &parts.q, &parts.q_len));
        TRY(put_mp(&v[G_DP], &at, limit, &parts.dp, &parts.dp_len));
        TRY(put_mp(&v[G_DQ], &at, limit, &parts.dq, &parts.dq_len));
        TRY(put_mp(&v[G_QINV], &at, limit, &parts.qinv, &parts.qinv_len));
        /* The loader checks every relation again, on the bytes it will use. */
        return pl_rsa_private_init(key, &parts);
    }
    return SSL_ERR_CRYPTO_KEYGEN_FAILED;
}

int pl_rsa_generate(pl_rsa_private *key, unsigned bits)
{
    mp_int v[NUM_G];
    uint8_t *bytes;
    int rc;
    memset(key, 0, sizeof *key);
    ENSURE(bits == 2048 || bits == 3072 || bits == 4096, SSL_ERR_INVALID_ARGUMENT);
    pl_bn_use_os_random();
    bytes = malloc(PL_RSA_EXPORT_MAX_LEN);
    ENSURE(bytes != NULL, SSL_ERR_NO_MEMORY);
    rc = pl_bn_check(mp_init_multi(&v[G_P], &v[G_Q], &v[G_N], &v[G_E], &v[G_D], &v[G_DP],
                                   &v[G_DQ], &v[G_QINV], &v[G_PM1], &v[G_QM1], &v[G_L], &v[G_T],
                                   NULL));
    if (rc != 0) {
        goto out;
    }
    rc = generate(key, bits, v, bytes);
    for (int i = 0; i < NUM_G; i++) {
        clear_secret(&v[i]);
    }
out:
    pl_wipe(bytes, PL_RSA_EXPORT_MAX_LEN);
    free(bytes);
    return rc;
}
