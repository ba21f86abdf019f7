/* Certificate signatures and key sizes for the path validator (contracts in path.h). */
#include "x509/key.h"
#include "x509/path.h"

static const pl_hash_class *sig_hash(enum pl_cert_sig sig, const pl_cert *cert)
{
    switch (sig) {
    case PL_CERT_SIG_SHA256_RSA:
    case PL_CERT_SIG_ECDSA_SHA256:
        return &pl_sha256_class;
    case PL_CERT_SIG_SHA384_RSA:
    case PL_CERT_SIG_ECDSA_SHA384:
        return &pl_sha384_class;
    case PL_CERT_SIG_SHA512_RSA:
    case PL_CERT_SIG_ECDSA_SHA512:
        return &pl_sha512_class;
    case PL_CERT_SIG_RSA_PSS:
        return cert->pss_hash;
    default:
        return NULL;
    }
}

static int verify_with(const pl_public_key *key, const pl_cert *cert, const pl_hash_class *h,
                       const uint8_t *digest)
{
    switch (cert->sig) {
    case PL_CERT_SIG_SHA256_RSA:
    case PL_CERT_SIG_SHA384_RSA:
    case PL_CERT_SIG_SHA512_RSA:
        ENSURE(key->alg == PL_KEY_RSA, SSL_ERR_CERT_BAD_SIGNATURE);
        return pl_rsa_pkcs1_verify(&key->u.rsa, h, digest, h->digest_len, cert->signature.ptr,
                                   cert->signature.len);
    case PL_CERT_SIG_RSA_PSS:
        /* RFC 4055 §3.1 as cert.c accepts it: MGF1 with the same hash, salt = hash length */
        ENSURE(key->alg == PL_KEY_RSA, SSL_ERR_CERT_BAD_SIGNATURE);
        return pl_rsa_pss_verify(&key->u.rsa, h, digest, h->digest_len, h, h->digest_len,
                                 cert->signature.ptr, cert->signature.len);
    default:
        ENSURE(key->alg == PL_KEY_EC, SSL_ERR_CERT_BAD_SIGNATURE);
        return pl_ecdsa_verify(&key->u.ec, digest, h->digest_len, cert->signature.ptr,
                               cert->signature.len);
    }
}

int pl_x509_check_signature(const pl_cert *cert, const pl_cert *issuer)
{
    const pl_hash_class *h;
    pl_hash_ctx ctx;
    uint8_t digest[PL_HASH_MAX_LEN];
    pl_public_key key;
    int rc;
    switch (cert->sig) {
    case PL_CERT_SIG_MD5_RSA:
    case PL_CERT_SIG_SHA1_RSA:
    case PL_CERT_SIG_ECDSA_SHA1:
        /* collisions make these forgeable for a CA's customers (SHAttered, 2017) */
        return SSL_ERR_CERT_WEAK_SIGNATURE;
    default:
        break;
    }
    h = sig_hash(cert->sig, cert);
    ENSURE(h != NULL, SSL_ERR_CERT_UNSUPPORTED_SIGNATURE);
    h->init(&ctx);
    h->update(&ctx, cert->tbs.ptr, cert->tbs.len);
    h->final(&ctx, digest);
    TRY(pl_key_parse_spki(&key, issuer->spki));
    rc = verify_with(&key, cert, h, digest);
    pl_key_public_free(&key);
    if (rc == SSL_ERR_CRYPTO_BAD_SIGNATURE || rc == SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING) {
        rc = SSL_ERR_CERT_BAD_SIGNATURE;
    }
    return rc;
}

int pl_x509_check_key_size(const pl_cert *cert)
{
    pl_spki spki;
    pl_slice n, e;
    size_t bits;
    pl_reader r;
    uint8_t top = 0;
    TRY(pl_key_parse_spki_info(cert->spki, &spki));
    if (spki.alg != PL_KEY_RSA) {
        return 0;
    }
    TRY(pl_key_parse_rsa_public_der(spki.key, &n, &e));
    r = pl_reader_of(n);
    if (n.len == 0 || pl_read_u8(&r, &top) != 0) {
        return SSL_ERR_CRYPTO_RSA_BAD_KEY;
    }
    bits = n.len * 8;
    for (; (top & 0x80) == 0 && bits > 0; top = (uint8_t)(top << 1)) {
        bits--;
    }
    ENSURE(bits >= 2048, SSL_ERR_CERT_KEY_TOO_SMALL);
    return 0;
}
