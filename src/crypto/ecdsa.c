/* ECDSA on P-256 and P-384 (FIPS 186-4 §6.4; SEC 1 §4.1.3 and §4.1.4), with the deterministic
 * nonces of RFC 6979 §3.2 and DER signatures (RFC 3279 §2.2.3, X.690 §8.3 and §10.1); see ec.h.
 *
 * Scalars mod n are handled in Montgomery form with ec_field.c. Signing is constant-time in the
 * private key and the nonce: k·G on the fixed-base path, k^-1 by Fermat on a blinded k. The
 * signature (r, s) is public and is declassified once computed. Verification handles public data
 * only and uses the variable-time double multiplication.
 *
 * Not here: hashing the message (callers pass the digest), and BER or otherwise lax signature
 * encodings (refused). */
#include "base/ct.h"
#include "base/cursor.h"
#include "crypto/ec_point.h"
#include "crypto/hmac.h"

typedef pl_ec_fe fe;

/* e = bits2int(digest) mod n (RFC 6979 §2.3.2, §2.3.4; FIPS 186-4 §6.4.1 step 5): the leftmost
 * qlen bits of the digest, where qlen = 8·len for both curves, so whole bytes; a shorter digest
 * is taken whole. e < 2^qlen < 2n, so one conditional subtraction reduces it. */
static void digest_to_scalar(const pl_ec_params *c, fe *e, const uint8_t *digest,
                             size_t digest_len)
{
    uint8_t buf[PL_EC_MAX_SCALAR_LEN];
    memset(buf, 0, sizeof buf);
    if (digest_len >= c->len) {
        memcpy(buf, digest, c->len);
    } else {
        memcpy(buf + c->len - digest_len, digest, digest_len);
    }
    pl_ec_fe_from_bytes(c->n, e, buf);
    pl_ec_fe_reduce_once(c->n, e, e);
}

/* ---- RFC 6979 §3.2: HMAC_DRBG nonces --------------------------------------------------------- */

struct drbg {
    const pl_hash_class *hash;
    uint8_t k[PL_HASH_MAX_LEN];
    uint8_t v[PL_HASH_MAX_LEN];
    int started;
};

/* K = HMAC_K(V || tag || x || h1 || extra), or HMAC_K(V || tag) when x is NULL; then
 * V = HMAC_K(V). extra is the additional input of §3.6 (extra_len 0 when there is none). */
static void drbg_update(struct drbg *d, uint8_t tag, const uint8_t *x, const uint8_t *h1,
                        size_t len, const uint8_t *extra, size_t extra_len)
{
    pl_hmac_ctx h;
    size_t hlen = d->hash->digest_len;
    pl_hmac_init(&h, d->hash, d->k, hlen);
    pl_hmac_update(&h, d->v, hlen);
    pl_hmac_update(&h, &tag, 1);
    if (x != NULL) {
        pl_hmac_update(&h, x, len);
        pl_hmac_update(&h, h1, len);
        pl_hmac_update(&h, extra, extra_len);
    }
    pl_hmac_final(&h, d->k);
    pl_hmac(d->hash, d->k, hlen, d->v, hlen, d->v);
}

/* Steps b to f: x = int2octets(d), h1 = bits2octets(H(m)), both len bytes, and the optional
 * additional data k' of §3.6 appended to both seeding calls. */
static void drbg_init(struct drbg *d, const pl_hash_class *hash, const uint8_t *x,
                      const uint8_t *h1, size_t len, const uint8_t *extra, size_t extra_len)
{
    d->hash = hash;
    memset(d->v, 0x01, sizeof d->v);
    memset(d->k, 0x00, sizeof d->k);
    d->started = 0;
    drbg_update(d, 0x00, x, h1, len, extra, extra_len);
    drbg_update(d, 0x01, x, h1, len, extra, extra_len);
}

/* Step h: the next candidate k in [1, n-1], written as len bytes. After the first call, the
 * state first moves on by K = HMAC_K(V || 0x00), V = HMAC_K(V), as step h.3 says for a rejected
 * k (and for a k that gave r = 0 or s = 0). */
static void drbg_next_k(struct drbg *d, const pl_ec_params *c, uint8_t *k)
{
    size_t hlen = d->hash->digest_len;
    for (;;) {
        uint8_t t[PL_EC_MAX_SCALAR_LEN + PL_HASH_MAX_LEN];
        size_t tlen = 0;
        uint32_t ok;
        if (d->started) {
            drbg_update(d, 0x00, NULL, NULL, 0, NULL, 0);
        }
        d->started = 1;
        while (tlen < c->len) {
            pl_hmac(d->hash, d->k, hlen, d->v, hlen, d->v);
            memcpy(t + tlen, d->v, hlen);
            tlen += hlen;
        }
        memcpy(k, t, c->len); /* bits2int(T): qlen = 8·len, the leftmost len bytes */
        pl_wipe(t, sizeof t);
        ok = pl_ec_scalar_in_range(c, k);
        /* A k out of range is thrown away and the next one drawn: the verdict on a discarded
         * candidate tells nothing about the one used. */
        pl_ct_declassify(&ok, sizeof ok);
        if (ok) {
            return;
        }
    }
}

/* ---- DER ------------------------------------------------------------------------------------- */

/* X.690 §8.3, §10.1: INTEGER with a one-byte length (our integers are at most 49 bytes, so a
 * long-form length is either not minimal or too large), minimal two's complement, non-negative.
 * The magnitude goes right-aligned into out (len bytes); one too long for that is not below n,
 * which sets *too_big (and leaves out zero) so that the caller can finish checking the encoding
 * first. Every failure returned is an encoding error for the caller. */
static int parse_integer(pl_reader *r, size_t len, uint8_t *out, int *too_big)
{
    uint8_t tag, body_len, first;
    pl_slice body;
    pl_reader br;
    size_t rest;
    TRY(pl_read_u8(r, &tag));
    ENSURE(tag == 0x02, SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
    TRY(pl_read_u8(r, &body_len));
    ENSURE(body_len >= 1 && body_len < 0x80, SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
    TRY(pl_read_slice(r, body_len, &body));
    br = pl_reader_of(body);
    TRY(pl_read_u8(&br, &first));
    ENSURE((first & 0x80) == 0, SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING); /* negative */
    if (first == 0 && pl_reader_left(&br) > 0) {
        /* A leading zero is allowed only to keep a set top bit from reading as negative. */
        TRY(pl_read_u8(&br, &first));
        ENSURE((first & 0x80) != 0, SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
    }
    rest = pl_reader_left(&br);
    memset(out, 0, len);
    if (rest + 1 > len) {
        *too_big = 1;
        return 0;
    }
    out[len - rest - 1] = first;
    return pl_read_copy(&br, out + len - rest, rest);
}

/* RFC 3279 §2.2.3: Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, nothing after it.
 * A well-formed signature with an integer of more than len bytes gets
 * SSL_ERR_CRYPTO_BAD_SIGNATURE; any other failure is about the encoding. */
static int parse_signature(const uint8_t *sig, size_t sig_len, size_t len, uint8_t *r,
                           uint8_t *s)
{
    int too_big = 0;
    uint8_t tag, body_len;
    pl_reader rd, seq;
    pl_slice body;
    pl_reader_init(&rd, sig, sig_len);
    TRY(pl_read_u8(&rd, &tag));
    ENSURE(tag == 0x30, SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
    TRY(pl_read_u8(&rd, &body_len));
    ENSURE(body_len < 0x80, SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
    TRY(pl_read_slice(&rd, body_len, &body));
    TRY(pl_read_end(&rd));
    seq = pl_reader_of(body);
    TRY(parse_integer(&seq, len, r, &too_big));
    TRY(parse_integer(&seq, len, s, &too_big));
    TRY(pl_read_end(&seq));
    ENSURE(!too_big, SSL_ERR_CRYPTO_BAD_SIGNATURE);
    return 0;
}

/* A len-byte big-endian magnitude as a minimal DER INTEGER. The value is public. */
static int write_integer(pl_writer *w, const uint8_t *v, size_t len)
{
    size_t skip = 0, mark;
    while (skip + 1 < len && v[skip] == 0) {
        skip++;
    }
    TRY(pl_write_u8(w, 0x02));
    TRY(pl_write_open8(w, &mark));
    if (v[skip] & 0x80) {
        TRY(pl_write_u8(w, 0x00));
    }
    TRY(pl_write_bytes(w, v + skip, len - skip));
    return pl_write_close8(w, mark);
}

/* RFC 3279 §2.2.3: the SEQUENCE, whose length (at most 102) fits the short form. */
static int write_signature(pl_writer *w, const uint8_t *r, const uint8_t *s, size_t len)
{
    size_t mark;
    TRY(pl_write_u8(w, 0x30));
    TRY(pl_write_open8(w, &mark));
    TRY(write_integer(w, r, len));
    TRY(write_integer(w, s, len));
    return pl_write_close8(w, mark);
}

/* ---- verify ---------------------------------------------------------------------------------- */

/* 1 when X = x·Z for x = r or (when it is below p) x = r + n; r < n < p, plain (not Montgomery). */
static uint32_t x_matches(const pl_ec_params *c, const pl_ec_point *rp, const fe *r)
{
    fe x, t, nn;
    pl_ec_mod_to_mont(c->p, &x, r);
    pl_ec_mod_mul(c->p, &t, &x, &rp->z);
    if (pl_ec_fe_eq(c->p, &t, &rp->x)) {
        return 1;
    }
    /* r + n mod p: at least n when it did not wrap (when it wraps it is r - (p - n) < n). */
    memset(&nn, 0, sizeof nn);
    memcpy(nn.v, c->n->m, sizeof c->n->m);
    pl_ec_mod_add(c->p, &t, r, &nn);
    if (pl_ec_fe_below_modulus(c->n, &t)) {
        return 0;
    }
    pl_ec_mod_to_mont(c->p, &x, &t);
    pl_ec_mod_mul(c->p, &t, &x, &rp->z);
    return pl_ec_fe_eq(c->p, &t, &rp->x);
}

/* FIPS 186-4 §6.4.2 (SEC 1 §4.1.4) for r and s as len-byte big-endian values. */
static int verify_rs(const pl_ec_public *key, const pl_ec_params *c, const uint8_t *digest,
                     size_t digest_len, const uint8_t *rb, const uint8_t *sb)
{
    pl_ec_point q, rp;
    fe r, s, e, w, u;
    uint8_t u1[PL_EC_MAX_SCALAR_LEN], u2[PL_EC_MAX_SCALAR_LEN];
    /* Step 1: r and s in [1, n-1]. */
    ENSURE(pl_ec_scalar_in_range(c, rb) && pl_ec_scalar_in_range(c, sb),
           SSL_ERR_CRYPTO_BAD_SIGNATURE);
    TRY(pl_ec_point_decode(c, &q, key->point, key->point_len));
    pl_ec_fe_from_bytes(c->n, &r, rb);
    pl_ec_fe_from_bytes(c->n, &s, sb);
    /* Steps 2-3: e; step 4: w = s^-1; step 5: u1 = e·w, u2 = r·w (mod n). */
    digest_to_scalar(c, &e, digest, digest_len);
    pl_ec_mod_to_mont(c->n, &s, &s);
    pl_ec_mod_inv_vartime(c->n, &w, &s); /* s is public */
    pl_ec_mod_mul(c->n, &u, &e, &w); /* e·w·R·R^-1 = e·w: out of Montgomery form at once */
    pl_ec_fe_to_bytes(c->n, u1, &u);
    pl_ec_mod_mul(c->n, &u, &r, &w);
    pl_ec_fe_to_bytes(c->n, u2, &u);
    /* Step 6: R = u1·G + u2·Q, not infinity. */
    pl_ec_point_double_mul_vartime(c, &rp, u1, u2, &q);
    ENSURE(!pl_ec_fe_is_zero(c->p, &rp.z), SSL_ERR_CRYPTO_BAD_SIGNATURE);
    /* Steps 7-8: v = x_R mod n == r. x_R = X/Z is below p < 2n, so x_R mod n = r exactly when
     * x_R = r or x_R = r + n (the latter only if r + n < p); each is tested as X = x·Z, with no
     * inversion. */
    ENSURE(x_matches(c, &rp, &r), SSL_ERR_CRYPTO_BAD_SIGNATURE);
    return 0;
}

int pl_ecdsa_verify(const pl_ec_public *key, const uint8_t *digest, size_t digest_len,
                    const uint8_t *sig, size_t sig_len)
{
    const pl_ec_params *c = pl_ec_params_of(key->curve);
    uint8_t r[PL_EC_MAX_SCALAR_LEN], s[PL_EC_MAX_SCALAR_LEN];
    int rc;
    ENSURE(c != NULL, SSL_ERR_CRYPTO_UNSUPPORTED_CURVE);
    rc = parse_signature(sig, sig_len, c->len, r, s);
    if (rc == SSL_ERR_CRYPTO_BAD_SIGNATURE) {
        return rc;
    }
    /* A truncated or trailing-byte signature is malformed, whatever the reader called it. */
    ENSURE(rc == 0, SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
    return verify_rs(key, c, digest, digest_len, r, s);
}

int pl_ecdsa_verify_raw(const pl_ec_public *key, const uint8_t *digest, size_t digest_len,
                        const uint8_t *sig, size_t sig_len)
{
    const pl_ec_params *c = pl_ec_params_of(key->curve);
    ENSURE(c != NULL, SSL_ERR_CRYPTO_UNSUPPORTED_CURVE);
    ENSURE(sig_len == 2 * c->len, SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
    return verify_rs(key, c, digest, digest_len, sig, sig + c->len);
}

/* ---- sign ------------------------------------------------------------------------------------ */

/* s = k^-1·(e + r·d) mod n (FIPS 186-4 §6.4.1 step 8), constant-time in k and d. The inverse is
 * taken of k·b for a random b and multiplied by b afterwards, so the exponentiation never sees
 * k itself; b = 0 (probability 2^-256 or less) makes s = 0, which the caller retries. */
static int compute_s(const pl_ec_params *c, fe *s, const uint8_t *kb, const uint8_t *db,
                     const fe *r, const fe *e)
{
    uint8_t bb[PL_EC_MAX_SCALAR_LEN];
    fe k, d, b, t, rm, em;
    TRY(pl_random(bb, c->len));
    pl_ec_fe_from_bytes(c->n, &b, bb);
    pl_ec_fe_reduce_once(c->n, &b, &b); /* < 2^(8 len) < 2n; uniformity is not needed */
    pl_ec_mod_to_mont(c->n, &b, &b);
    pl_ec_fe_from_bytes(c->n, &k, kb);
    pl_ec_mod_to_mont(c->n, &k, &k);
    pl_ec_fe_from_bytes(c->n, &d, db);
    pl_ec_mod_to_mont(c->n, &d, &d);
    pl_ec_mod_to_mont(c->n, &rm, r);
    pl_ec_mod_to_mont(c->n, &em, e);
    pl_ec_mod_mul(c->n, &t, &k, &b);
    pl_ec_mod_inv(c->n, &t, &t);      /* (k·b)^-1 */
    pl_ec_mod_mul(c->n, &k, &t, &b);  /* k^-1 */
    pl_ec_mod_mul(c->n, &t, &rm, &d);
    pl_ec_mod_add(c->n, &t, &t, &em);
    pl_ec_mod_mul(c->n, &t, &t, &k);
    pl_ec_mod_from_mont(c->n, s, &t);
    pl_wipe(bb, sizeof bb);
    pl_wipe(&k, sizeof k);
    pl_wipe(&d, sizeof d);
    pl_wipe(&b, sizeof b);
    pl_wipe(&t, sizeof t);
    return 0;
}

int pl_ecdsa_sign(const pl_ec_private *key, const pl_hash_class *hash, const uint8_t *digest,
                  size_t digest_len, uint8_t *sig, size_t sig_cap, size_t *sig_len)
{
    return pl_ecdsa_sign_flags(key, hash, digest, digest_len, 0, sig, sig_cap, sig_len);
}

int pl_ecdsa_sign_flags(const pl_ec_private *key, const pl_hash_class *hash,
                        const uint8_t *digest, size_t digest_len, uint32_t flags, uint8_t *sig,
                        size_t sig_cap, size_t *sig_len)
{
    uint8_t extra[PL_EC_MAX_SCALAR_LEN];
    size_t extra_len = 0;
    const pl_ec_params *c = pl_ec_params_of(key->curve);
    uint8_t h1[PL_EC_MAX_SCALAR_LEN], k[PL_EC_MAX_SCALAR_LEN], enc[PL_EC_MAX_POINT_LEN];
    uint8_t rb[PL_EC_MAX_SCALAR_LEN], sb[PL_EC_MAX_SCALAR_LEN];
    struct drbg d;
    pl_ec_point rp;
    fe e, r, s;
    int rc = SSL_ERR_CRYPTO_KEYGEN_FAILED;
    ENSURE(c != NULL, SSL_ERR_CRYPTO_UNSUPPORTED_CURVE);
    ENSURE(digest_len > 0, SSL_ERR_CRYPTO_BAD_LENGTH);
    ENSURE((flags & ~(uint32_t)PL_ECDSA_HEDGED) == 0, SSL_ERR_INVALID_ARGUMENT);
    if (flags & PL_ECDSA_HEDGED) {
        /* RFC 6979 §3.6: k' of the curve's scalar length, fresh from the OS. */
        extra_len = c->len;
        TRY(pl_random(extra, extra_len));
    }
    /* RFC 6979 §2.3.4: h1 = bits2octets(H(m)) = int2octets(bits2int(H(m)) mod q), the same e
     * the signature uses. */
    digest_to_scalar(c, &e, digest, digest_len);
    pl_ec_fe_to_bytes(c->n, h1, &e);
    drbg_init(&d, hash, key->scalar, h1, c->len, extra, extra_len);
    /* Retrying on r = 0 or s = 0 happens with probability about 2^-256 per try; the bound only
     * keeps a broken state from looping. */
    for (int tries = 0; tries < 16; tries++) {
        pl_writer w;
        uint32_t zero;
        drbg_next_k(&d, c, k);
        /* Steps 4-7: R = k·G, r = x_R mod n. k is in [1, n-1], so R is not infinity. */
        pl_ec_point_mul_base(c, &rp, k);
        (void)pl_ec_point_encode(c, enc, &rp);
        pl_ec_fe_from_bytes(c->n, &r, enc + 1);
        pl_ec_fe_reduce_once(c->n, &r, &r);
        /* r is the first half of the signature, public once it is sent. */
        pl_ct_declassify(&r, sizeof r);
        if (pl_ec_fe_is_zero(c->n, &r)) {
            continue;
        }
        rc = compute_s(c, &s, k, key->scalar, &r, &e);
        if (rc < 0) {
            break;
        }
        /* s is the second half of the signature. */
        pl_ct_declassify(&s, sizeof s);
        zero = pl_ec_fe_is_zero(c->n, &s);
        if (zero) {
            rc = SSL_ERR_CRYPTO_KEYGEN_FAILED;
            continue;
        }
        pl_ec_fe_to_bytes(c->n, rb, &r);
        pl_ec_fe_to_bytes(c->n, sb, &s);
        pl_writer_init(&w, sig, sig_cap);
        rc = write_signature(&w, rb, sb, c->len);
        if (rc == 0) {
            *sig_len = pl_writer_len(&w);
        }
        break;
    }
    pl_wipe(&d, sizeof d);
    pl_wipe(extra, sizeof extra);
    pl_wipe(k, sizeof k);
    pl_wipe(enc, sizeof enc);
    pl_wipe(&rp, sizeof rp);
    pl_wipe(h1, sizeof h1);
    pl_wipe(&e, sizeof e);
    return rc;
}
