/* Key files (see key.h): SubjectPublicKeyInfo, PKCS#1, PKCS#8 and SEC1 structures read with the
 * strict DER reader, and the PEM labels that wrap them.
 *
 * Each parser reads like its ASN.1 module; the meaning of the fields (is this algorithm ours,
 * does this curve match that one) is decided after the structure has been read. Private key
 * fields are borrowed slices of the caller's DER until the crypto layer copies them; the only
 * copies made here (a left-padded EC scalar, the decoded PEM) are wiped. */
#include "x509/key.h"

#include <stdbool.h>
#include <stdlib.h>

#include "x509/der.h"
#include "x509/oid.h"
#include "x509/pem.h"

/* ---- algorithm identifiers ------------------------------------------------------------- */

/* RFC 5480 §2.1.1: ECParameters ::= CHOICE { namedCurve OBJECT IDENTIFIER, implicitCurve NULL,
 * specifiedCurve SpecifiedECDomain }; only namedCurve is allowed in PKIX, and of the named
 * curves we implement secp256r1 and secp384r1. */
static int parse_ec_parameters(pl_der *d, pl_ec_curve *curve)
{
    pl_slice oid;
    ENSURE(pl_der_peek(d, PL_DER_OID), SSL_ERR_KEY_BAD_PARAMETERS);
    TRY(pl_der_read_oid(d, &oid));
    if (pl_oid_equal(oid, pl_oid_secp256r1)) {
        *curve = PL_EC_P256;
    } else if (pl_oid_equal(oid, pl_oid_secp384r1)) {
        *curve = PL_EC_P384;
    } else {
        return SSL_ERR_CRYPTO_UNSUPPORTED_CURVE;
    }
    return 0;
}

/* RFC 5280 §4.1.1.2: AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER,
 * parameters ANY DEFINED BY algorithm OPTIONAL }, for the two key algorithms we take. */
static int parse_key_algorithm(pl_der *d, pl_key_alg *alg, pl_ec_curve *curve)
{
    pl_der seq;
    pl_slice oid;
    TRY(pl_der_enter(d, PL_DER_SEQUENCE, &seq));
    TRY(pl_der_read_oid(&seq, &oid));
    if (pl_oid_equal(oid, pl_oid_rsa_encryption)) {
        /* RFC 3279 §2.3.1, RFC 8017 A.1: "the parameters field MUST have ASN.1 type NULL". */
        ENSURE(pl_der_peek(&seq, PL_DER_NULL), SSL_ERR_KEY_BAD_PARAMETERS);
        TRY(pl_der_read_null(&seq));
        *alg = PL_KEY_RSA;
    } else if (pl_oid_equal(oid, pl_oid_ec_public_key)) {
        TRY(parse_ec_parameters(&seq, curve));
        *alg = PL_KEY_EC;
    } else {
        /* id-RSASSA-PSS (RFC 4055), Ed25519/X25519 (RFC 8410), DSA and the rest. */
        return SSL_ERR_KEY_UNSUPPORTED_ALGORITHM;
    }
    ENSURE(pl_der_left(&seq) == 0, SSL_ERR_KEY_BAD_PARAMETERS);
    return 0;
}

/* ---- public keys ----------------------------------------------------------------------- */

/* RFC 5280 §4.1: SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier,
 * subjectPublicKey BIT STRING }. */
int pl_key_parse_spki_info(pl_slice der, pl_spki *out)
{
    pl_der d, spki;
    pl_der_tlv tlv;
    pl_der_init(&d, der.ptr, der.len);
    ENSURE(pl_der_peek(&d, PL_DER_SEQUENCE), SSL_ERR_DER_UNEXPECTED_TAG);
    TRY(pl_der_read_tlv(&d, &tlv));
    TRY(pl_der_end(&d));
    TRY(pl_der_open(&d, tlv.content, &spki));
    TRY(parse_key_algorithm(&spki, &out->alg, &out->curve));
    TRY(pl_der_read_bit_octets(&spki, &out->key));
    TRY(pl_der_end(&spki));
    out->raw = tlv.raw;
    return 0;
}

/* RFC 8017 A.1.1: RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }. */
int pl_key_parse_rsa_public_der(pl_slice der, pl_slice *n, pl_slice *e)
{
    pl_der d, seq;
    pl_der_init(&d, der.ptr, der.len);
    TRY(pl_der_enter(&d, PL_DER_SEQUENCE, &seq));
    TRY(pl_der_read_uint(&seq, n));
    TRY(pl_der_read_uint(&seq, e));
    TRY(pl_der_end(&seq));
    return pl_der_end(&d);
}

int pl_key_parse_rsa_public(pl_public_key *key, pl_slice der)
{
    pl_slice n, e;
    TRY(pl_key_parse_rsa_public_der(der, &n, &e));
    TRY(pl_rsa_public_init(&key->u.rsa, n.ptr, n.len, e.ptr, e.len));
    key->alg = PL_KEY_RSA;
    return 0;
}

int pl_key_parse_spki(pl_public_key *key, pl_slice der)
{
    pl_spki info;
    TRY(pl_key_parse_spki_info(der, &info));
    if (info.alg == PL_KEY_RSA) {
        /* RFC 3279 §2.3.1: the BIT STRING holds the DER of an RSAPublicKey. */
        return pl_key_parse_rsa_public(key, info.key);
    }
    /* RFC 5480 §2.2: the BIT STRING holds the ECPoint octets themselves. */
    TRY(pl_ec_public_init(&key->u.ec, info.curve, info.key.ptr, info.key.len));
    key->alg = PL_KEY_EC;
    key->curve = info.curve;
    return 0;
}

void pl_key_public_free(pl_public_key *key)
{
    switch (key->alg) {
    case PL_KEY_RSA:
        pl_rsa_public_free(&key->u.rsa);
        break;
    case PL_KEY_EC:
    default:
        break;
    }
    pl_wipe(key, sizeof *key);
}

/* ---- private keys ---------------------------------------------------------------------- */

/* RFC 8017 A.1.2: RSAPrivateKey ::= SEQUENCE { version Version, modulus INTEGER,
 * publicExponent INTEGER, privateExponent INTEGER, prime1 INTEGER, prime2 INTEGER,
 * exponent1 INTEGER, exponent2 INTEGER, coefficient INTEGER,
 * otherPrimeInfos OtherPrimeInfos OPTIONAL }, version two-prime(0) or multi(1). */
int pl_key_parse_pkcs1(pl_private_key *key, pl_slice der)
{
    struct pl_rsa_parts parts;
    pl_der d, seq;
    pl_slice f[8];
    uint64_t version;
    pl_der_init(&d, der.ptr, der.len);
    TRY(pl_der_enter(&d, PL_DER_SEQUENCE, &seq));
    TRY(pl_der_read_u64(&seq, &version));
    ENSURE(version != 1, SSL_ERR_KEY_MULTI_PRIME);
    ENSURE(version == 0, SSL_ERR_KEY_BAD_VERSION);
    for (size_t i = 0; i < PL_ARRAY_LEN(f); i++) {
        TRY(pl_der_read_uint(&seq, &f[i]));
    }
    /* Version 0 has no otherPrimeInfos (RFC 8017 A.1.2). */
    TRY(pl_der_end(&seq));
    TRY(pl_der_end(&d));
    parts = (struct pl_rsa_parts){
        .n = f[0].ptr,  .n_len = f[0].len,  .e = f[1].ptr,    .e_len = f[1].len,
        .d = f[2].ptr,  .d_len = f[2].len,  .p = f[3].ptr,    .p_len = f[3].len,
        .q = f[4].ptr,  .q_len = f[4].len,  .dp = f[5].ptr,   .dp_len = f[5].len,
        .dq = f[6].ptr, .dq_len = f[6].len, .qinv = f[7].ptr, .qinv_len = f[7].len,
    };
    TRY(pl_rsa_private_init(&key->u.rsa, &parts));
    key->alg = PL_KEY_RSA;
    return 0;
}

/* RFC 5915 §3 publicKey: the point the file carries must be d·G, which pl_ec_private_init
 * derived (uncompressed; a file carrying a compressed point does not match). Public data: a
 * plain comparison. */
static int check_ec_public(const pl_private_key *key, pl_slice point)
{
    const pl_ec_public *pub = pl_ec_private_public(&key->u.ec);
    ENSURE(point.len == pub->point_len && memcmp(point.ptr, pub->point, point.len) == 0,
           SSL_ERR_KEY_PUBLIC_MISMATCH);
    return 0;
}

/* RFC 5915 §3: ECPrivateKey ::= SEQUENCE { version INTEGER { ecPrivkeyVer1(1) },
 * privateKey OCTET STRING, parameters [0] ECParameters OPTIONAL,
 * publicKey [1] BIT STRING OPTIONAL }. outer is the curve of an enclosing PKCS#8
 * AlgorithmIdentifier, or NULL. */
static int parse_sec1(pl_private_key *key, pl_slice der, const pl_ec_curve *outer)
{
    uint8_t scalar[PL_EC_MAX_SCALAR_LEN];
    pl_der d, seq, params, pub;
    pl_slice priv, point = {NULL, 0};
    pl_reader reader;
    bool have_params, have_pub = false;
    pl_ec_curve curve = PL_EC_P256;
    uint64_t version;
    size_t len;
    int rc;
    pl_der_init(&d, der.ptr, der.len);
    TRY(pl_der_enter(&d, PL_DER_SEQUENCE, &seq));
    TRY(pl_der_read_u64(&seq, &version));
    ENSURE(version == 1, SSL_ERR_KEY_BAD_VERSION);
    TRY(pl_der_read_octets(&seq, &priv));
    have_params = pl_der_peek(&seq, PL_DER_CONTEXT_CONS(0));
    if (have_params) {
        TRY(pl_der_enter(&seq, PL_DER_CONTEXT_CONS(0), &params));
        TRY(parse_ec_parameters(&params, &curve));
        TRY(pl_der_end(&params));
    }
    if (pl_der_peek(&seq, PL_DER_CONTEXT_CONS(1))) {
        TRY(pl_der_enter(&seq, PL_DER_CONTEXT_CONS(1), &pub));
        TRY(pl_der_read_bit_octets(&pub, &point));
        TRY(pl_der_end(&pub));
        have_pub = true;
    }
    TRY(pl_der_end(&seq));
    TRY(pl_der_end(&d));

    /* RFC 5915 §3: the parameters may be omitted when the curve is known from the enclosing
     * PKCS#8 structure, and when both are present they must agree. */
    if (outer != NULL) {
        ENSURE(!have_params || curve == *outer, SSL_ERR_KEY_CURVE_MISMATCH);
        curve = *outer;
    } else {
        ENSURE(have_params, SSL_ERR_KEY_BAD_PARAMETERS);
    }
    /* RFC 5915 §3: privateKey is ceiling(log2(n)/8) octets; shorter values (leading zeros
     * dropped by some encoders) are padded back. */
    len = pl_ec_scalar_len(curve);
    ENSURE(priv.len <= len && len <= sizeof scalar, SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
    memset(scalar, 0, len - priv.len);
    reader = pl_reader_of(priv);
    rc = pl_read_copy(&reader, scalar + (len - priv.len), priv.len);
    if (rc == 0) {
        rc = pl_ec_private_init(&key->u.ec, curve, scalar, len);
    }
    pl_wipe(scalar, sizeof scalar);
    if (rc < 0) {
        pl_ec_private_wipe(&key->u.ec); /* whatever a failed init left of the scalar */
        return rc;
    }
    key->alg = PL_KEY_EC;
    key->curve = curve;
    if (have_pub) {
        rc = check_ec_public(key, point);
        if (rc < 0) {
            pl_key_private_free(key);
            return rc;
        }
    }
    return 0;
}

int pl_key_parse_sec1(pl_private_key *key, pl_slice der)
{
    return parse_sec1(key, der, NULL);
}

/* RFC 5208 §5: PrivateKeyInfo ::= SEQUENCE { version Version,
 * privateKeyAlgorithm PrivateKeyAlgorithmIdentifier, privateKey PrivateKey (an OCTET STRING),
 * attributes [0] IMPLICIT Attributes OPTIONAL }; RFC 5958 §2 adds version v2(1) and
 * publicKey [1] IMPLICIT PublicKey OPTIONAL. We take version 0, and version 1 without a
 * publicKey (which we would otherwise have to check against the private key). Attributes are
 * read as DER and ignored. */
int pl_key_parse_pkcs8(pl_private_key *key, pl_slice der)
{
    pl_der d, seq;
    pl_slice priv, attrs;
    bool have_attrs;
    uint64_t version;
    pl_key_alg alg = PL_KEY_RSA;
    pl_ec_curve curve = PL_EC_P256;
    pl_der_init(&d, der.ptr, der.len);
    TRY(pl_der_enter(&d, PL_DER_SEQUENCE, &seq));
    TRY(pl_der_read_u64(&seq, &version));
    ENSURE(version == 0 || version == 1, SSL_ERR_KEY_BAD_VERSION);
    TRY(parse_key_algorithm(&seq, &alg, &curve));
    TRY(pl_der_read_octets(&seq, &priv));
    TRY(pl_der_optional(&seq, PL_DER_CONTEXT_CONS(0), &have_attrs, &attrs));
    ENSURE(!pl_der_peek(&seq, PL_DER_CONTEXT_PRIM(1)), SSL_ERR_KEY_BAD_VERSION);
    TRY(pl_der_end(&seq));
    TRY(pl_der_end(&d));
    if (alg == PL_KEY_RSA) {
        return pl_key_parse_pkcs1(key, priv);
    }
    return parse_sec1(key, priv, &curve);
}

void pl_key_private_free(pl_private_key *key)
{
    switch (key->alg) {
    case PL_KEY_RSA:
        pl_rsa_private_free(&key->u.rsa);
        break;
    case PL_KEY_EC:
        pl_ec_private_wipe(&key->u.ec);
        break;
    default:
        break;
    }
    pl_wipe(key, sizeof *key);
}

/* ---- PEM ------------------------------------------------------------------------------- */

enum want { WANT_PUBLIC, WANT_PRIVATE };

/* Parse the first block of text whose label is a key of the wanted kind. */
static int load_pem(enum want want, pl_public_key *pub, pl_private_key *priv, const uint8_t *text,
                    size_t len)
{
    size_t cap = pl_pem_decoded_max(len);
    uint8_t *buf = malloc(cap > 0 ? cap : 1);
    pl_pem_iter it;
    pl_pem_block block;
    pl_slice der;
    bool found = true;
    int rc = SSL_ERR_PEM_NOT_FOUND;
    ENSURE(buf != NULL, SSL_ERR_NO_MEMORY);
    pl_pem_init(&it, text, len);
    for (;;) {
        int step = pl_pem_next(&it, buf, cap, &block, &found);
        if (step < 0) {
            rc = step;
            goto out;
        }
        if (!found) {
            goto out; /* SSL_ERR_PEM_NOT_FOUND */
        }
        der = (pl_slice){buf, block.der_len};
        if (want == WANT_PUBLIC && pl_pem_label_is(&block, "PUBLIC KEY")) {
            rc = pl_key_parse_spki(pub, der); /* RFC 7468 §13 */
            goto out;
        }
        if (want == WANT_PUBLIC && pl_pem_label_is(&block, "RSA PUBLIC KEY")) {
            rc = pl_key_parse_rsa_public(pub, der); /* OpenSSL's PKCS#1 label */
            goto out;
        }
        if (want == WANT_PRIVATE && pl_pem_label_is(&block, "PRIVATE KEY")) {
            rc = pl_key_parse_pkcs8(priv, der); /* RFC 7468 §10 */
            goto out;
        }
        if (want == WANT_PRIVATE && pl_pem_label_is(&block, "RSA PRIVATE KEY")) {
            rc = pl_key_parse_pkcs1(priv, der);
            goto out;
        }
        if (want == WANT_PRIVATE && pl_pem_label_is(&block, "EC PRIVATE KEY")) {
            rc = pl_key_parse_sec1(priv, der); /* RFC 5915 §4 */
            goto out;
        }
        if (want == WANT_PRIVATE && pl_pem_label_is(&block, "ENCRYPTED PRIVATE KEY")) {
            rc = SSL_ERR_KEY_ENCRYPTED; /* RFC 7468 §11 */
            goto out;
        }
        /* Anything else ("EC PARAMETERS" before a SEC1 key, a certificate) is passed over. */
    }
out:
    pl_wipe(buf, cap > 0 ? cap : 1);
    free(buf);
    return rc;
}

int pl_key_load_public_pem(pl_public_key *key, const uint8_t *text, size_t len)
{
    return load_pem(WANT_PUBLIC, key, NULL, text, len);
}

int pl_key_load_private_pem(pl_private_key *key, const uint8_t *text, size_t len)
{
    return load_pem(WANT_PRIVATE, NULL, key, text, len);
}
