/* Public and private key files: the DER structures that carry RSA and EC keys, and the PEM
 * labels that wrap them, turned into the crypto layer's key objects.
 *
 * Public keys: SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) with rsaEncryption (RFC 3279 §2.3.1,
 * RFC 8017 A.1.1; the parameters must be NULL) or id-ecPublicKey with a namedCurve of secp256r1
 * or secp384r1 (RFC 5480 §2.1.1; implicitCurve and specifiedCurve are refused), and PKCS#1
 * RSAPublicKey. Private keys: PKCS#1 RSAPrivateKey (RFC 8017 A.1.2, version 0, two primes),
 * PKCS#8 PrivateKeyInfo (RFC 5208 §5; version 0, or RFC 5958 version 1 without its publicKey
 * field) holding either of the others, and SEC1 ECPrivateKey (RFC 5915 §3, version 1; its [0]
 * parameters must name the same curve as the PKCS#8 algorithm when both are present, and its [1]
 * publicKey must be the public key of its private key).
 *
 * What it does not do: encrypted keys (PKCS#8 EncryptedPrivateKeyInfo, or OpenSSL's legacy
 * Proc-Type headers) are refused with a named error, never decrypted; RSASSA-PSS keys, Ed25519,
 * X25519, DSA and other curves are recognised and refused (SSL_ERR_KEY_UNSUPPORTED_ALGORITHM,
 * SSL_ERR_CRYPTO_UNSUPPORTED_CURVE); keys are never written.
 *
 * Errors are the DER reader's and PEM reader's codes, the crypto layer's (an RSA modulus it
 * refuses, an EC point off the curve, a scalar out of range) and the SSL_ERR_KEY_* rows.
 * Key objects own their memory: a successfully parsed key is released with pl_key_public_free or
 * pl_key_private_free (which wipes private keys); after a failure there is nothing to free. Any
 * copy of private key bytes this code makes is wiped before it returns. */
#ifndef PL_X509_KEY_H
#define PL_X509_KEY_H

#include "base/cursor.h"
#include "crypto/ec.h"
#include "crypto/rsa.h"

typedef enum pl_key_alg {
    PL_KEY_RSA = 1, /* rsaEncryption */
    PL_KEY_EC = 2,  /* id-ecPublicKey on a named curve */
} pl_key_alg;

/* A SubjectPublicKeyInfo taken apart, before any key object is made: what the certificate parser
 * needs to know about a key it may never use. Slices borrow the DER. */
typedef struct pl_spki {
    pl_key_alg alg;
    pl_ec_curve curve; /* PL_KEY_EC only */
    pl_slice key;      /* the subjectPublicKey bits: RSAPublicKey DER, or the EC point */
    pl_slice raw;      /* the whole SubjectPublicKeyInfo TLV */
} pl_spki;

typedef struct pl_public_key {
    pl_key_alg alg;
    pl_ec_curve curve; /* PL_KEY_EC only */
    union {
        pl_rsa_public rsa;
        pl_ec_public ec;
    } u;
} pl_public_key;

typedef struct pl_private_key {
    pl_key_alg alg;
    pl_ec_curve curve; /* PL_KEY_EC only */
    union {
        pl_rsa_private rsa;
        pl_ec_private ec;
    } u;
} pl_private_key;

/* Take a SubjectPublicKeyInfo apart and check its algorithm: exactly one TLV in der.
 * SSL_ERR_KEY_UNSUPPORTED_ALGORITHM, SSL_ERR_KEY_BAD_PARAMETERS,
 * SSL_ERR_CRYPTO_UNSUPPORTED_CURVE, SSL_ERR_DER_*. */
PL_MUST_CHECK int pl_key_parse_spki_info(pl_slice der, pl_spki *out);
/* RFC 8017 A.1.1 RSAPublicKey: the magnitudes of n and e, borrowed from der. */
PL_MUST_CHECK int pl_key_parse_rsa_public_der(pl_slice der, pl_slice *n, pl_slice *e);

/* SubjectPublicKeyInfo, or PKCS#1 RSAPublicKey, into *key. */
PL_MUST_CHECK int pl_key_parse_spki(pl_public_key *key, pl_slice der);
PL_MUST_CHECK int pl_key_parse_rsa_public(pl_public_key *key, pl_slice der);
void pl_key_public_free(pl_public_key *key);

/* PKCS#1 RSAPrivateKey, PKCS#8 PrivateKeyInfo, SEC1 ECPrivateKey into *key. A SEC1 key must
 * carry its curve in [0] parameters. SSL_ERR_KEY_BAD_VERSION, SSL_ERR_KEY_MULTI_PRIME,
 * SSL_ERR_KEY_CURVE_MISMATCH, SSL_ERR_KEY_PUBLIC_MISMATCH, SSL_ERR_KEY_BAD_PARAMETERS, and the
 * codes above. */
PL_MUST_CHECK int pl_key_parse_pkcs1(pl_private_key *key, pl_slice der);
PL_MUST_CHECK int pl_key_parse_pkcs8(pl_private_key *key, pl_slice der);
PL_MUST_CHECK int pl_key_parse_sec1(pl_private_key *key, pl_slice der);
void pl_key_private_free(pl_private_key *key);

/* The first key in a PEM text (len bytes), by label (RFC 7468 §13, §11, and OpenSSL's
 * traditional labels): "PUBLIC KEY" and "RSA PUBLIC KEY" for public keys; "PRIVATE KEY",
 * "RSA PRIVATE KEY" and "EC PRIVATE KEY" for private keys. Blocks with other labels (a
 * certificate, "EC PARAMETERS") before it are skipped. SSL_ERR_KEY_ENCRYPTED for
 * "ENCRYPTED PRIVATE KEY", SSL_ERR_PEM_ENCRYPTED for a Proc-Type header, SSL_ERR_PEM_NOT_FOUND
 * when no block has a key label, and any PEM or parse error of the blocks read. */
PL_MUST_CHECK int pl_key_load_public_pem(pl_public_key *key, const uint8_t *text, size_t len);
PL_MUST_CHECK int pl_key_load_private_pem(pl_private_key *key, const uint8_t *text, size_t len);

#endif
