/* A certificate chain and its private key: what a TLS client presents when a server asks for
 * a certificate (RFC 5246 §7.4.6, §7.4.8), loaded from PEM.
 *
 * The chain is the CERTIFICATE blocks of a PEM text in order, the client's own certificate (the
 * leaf) first and then the intermediates that lead towards the server's trust anchor (RFC 5246
 * §7.4.2: "each following certificate MUST directly certify the one preceding it"; padlock sends
 * them as given and does not check that, the server does). Every certificate must parse. The
 * private key is the first key block of a PEM text: RSA (PKCS#1 or PKCS#8) or EC on P-256 or
 * P-384 (SEC1 or PKCS#8), unencrypted, as x509/key.h reads them.
 *
 * Checks made here, so that a mistake shows when the application configures it and not as a
 * server's alert later: an RSA key of at least 2048 bits (PL_RSA_POLICY_MIN_BITS); the leaf's
 * public key of a kind padlock can sign with; and, once both are present, whichever is set
 * second, that the private key belongs to the leaf (the public halves compared: RSA n and e, or
 * the EC curve and point). A call that fails changes nothing: the chain or key set before stays.
 *
 * Not here: choosing whether the chain fits a server's CertificateRequest and signing
 * (tls/msg_certificate_request.c, tls/msg_certificate_verify.c), encrypted keys, certificate
 * validation (dates, keyUsage and extendedKeyUsage are the server's to judge).
 *
 * Memory: the identity owns copies of the DER of each certificate and the key's secret parts;
 * pl_identity_free wipes the key and frees everything. Key file text is wiped after reading. */
#ifndef PL_X509_IDENTITY_H
#define PL_X509_IDENTITY_H

#include "x509/cert.h"
#include "x509/key.h"

#define PL_IDENTITY_MAX_CHAIN 10    /* certificates in a chain (as PL_MAX_CHAIN accepts) */
#define PL_IDENTITY_MAX_FILE (1u << 20) /* a larger certificate or key file is refused */

typedef struct pl_identity {
    uint8_t *der[PL_IDENTITY_MAX_CHAIN]; /* owned copies, leaf first */
    pl_cert certs[PL_IDENTITY_MAX_CHAIN]; /* parsed; borrow der */
    size_t count;                   /* 0: no chain */
    pl_private_key key;
    int have_key;
} pl_identity;

/* The chain from PEM text (len bytes), replacing any chain set before. SSL_ERR_CLIENT_CHAIN_EMPTY
 * (no CERTIFICATE block), SSL_ERR_CLIENT_CHAIN_TOO_LONG, a PEM or certificate parse error of a
 * block, the leaf key's errors (SSL_ERR_KEY_*, SSL_ERR_CRYPTO_UNSUPPORTED_CURVE,
 * SSL_ERR_CRYPTO_RSA_KEY_TOO_SMALL), SSL_ERR_CLIENT_KEY_MISMATCH when a key is set and does not
 * belong to the new leaf, SSL_ERR_NO_MEMORY. */
PL_MUST_CHECK int pl_identity_set_chain_pem(pl_identity *id, const uint8_t *text, size_t len);

/* The private key from PEM text, replacing any key set before: pl_key_load_private_pem's errors,
 * SSL_ERR_CRYPTO_RSA_KEY_TOO_SMALL, SSL_ERR_CLIENT_KEY_MISMATCH when a chain is set and its leaf
 * holds another public key. */
PL_MUST_CHECK int pl_identity_set_key_pem(pl_identity *id, const uint8_t *text, size_t len);

/* The same from files (at most PL_IDENTITY_MAX_FILE bytes): SSL_ERR_CLIENT_FILE_READ when the
 * file cannot be read, and the errors above. */
PL_MUST_CHECK int pl_identity_load_chain_file(pl_identity *id, const char *path);
PL_MUST_CHECK int pl_identity_load_key_file(pl_identity *id, const char *path);

/* 1 when both a chain and its key are set. */
int pl_identity_complete(const pl_identity *id);

/* Wipe the key, free the copies; the identity is then empty (and may be set again). */
void pl_identity_free(pl_identity *id);

#endif
