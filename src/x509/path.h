/* Certificate path building and validation for a TLS server's chain (the RFC 5280 §6 checks
 * that matter on the web, and the Web PKI's rules on top).
 *
 * Building: from the leaf, look for an issuer (subject equal to the child's issuer, byte for
 * byte; a key identifier mismatch skips a candidate early) among the trust anchors first, then
 * among the certificates the server sent, in any order, ignoring extras; when a candidate's
 * signature does not verify or the finished path fails a check, try the next one. Work is
 * bounded: at most PL_X509_MAX_SIG_CHECKS signature checks and max_intermediates CAs between
 * the leaf and the anchor.
 *
 * Checking a complete path (leaf at depth 0, anchor last):
 *   - every signature below the anchor verifies with its issuer's key (RSA PKCS #1 v1.5 with
 *     SHA-256/384/512, RSA-PSS, ECDSA P-256/P-384 with SHA-256/384/512); SHA-1 and MD5 are
 *     refused by name, except on the anchor itself, whose signature is never checked;
 *   - every certificate, anchor included, is within its validity period at opts->now;
 *   - every issuer is a CA (basicConstraints cA; a version 1 anchor is accepted as one), has
 *     keyCertSign when it has a keyUsage, respects its pathLenConstraint, and, when it has an
 *     extendedKeyUsage, allows serverAuth (as browsers require of intermediates);
 *   - the leaf's extendedKeyUsage, when present, allows serverAuth;
 *   - name constraints of every issuer hold for the dNSName and iPAddress names below it;
 *   - no RSA key under 2048 bits anywhere in the path;
 *   - the leaf matches opts->host (x509/hostname.h) when a host is given.
 * A leaf that is itself one of the anchors is trusted as it is (a pinned self-signed server).
 *
 * The leaf's keyUsage against the cipher suite (digitalSignature for ECDHE, keyEncipherment
 * for RSA key exchange) is the TLS layer's check: only it knows the suite.
 *
 * Not here: revocation (CRL, OCSP), policy processing, directoryName constraints. */
#ifndef PL_X509_PATH_H
#define PL_X509_PATH_H

#include "x509/store.h"

#define PL_X509_DEFAULT_MAX_INTERMEDIATES 8
#define PL_X509_MAX_PATH 16           /* leaf, intermediates and anchor */
#define PL_X509_MAX_SIG_CHECKS 64

typedef struct pl_x509_verify_opts {
    int64_t now;                      /* seconds since 1970-01-01T00:00:00Z */
    const char *host;                 /* DNS name or IP literal to match, or NULL */
    int max_intermediates;            /* CAs between leaf and anchor; < 0: the default */
} pl_x509_verify_opts;

typedef struct pl_x509_result {
    int error;                        /* 0, or the SSL_ERR_* of the verdict */
    int depth;                        /* which certificate failed (0 = leaf), -1 if none */
    char detail[512];                 /* a sentence naming the certificate and the check */
    size_t path_len;                  /* on success: certificates in path[], leaf first */
    const pl_cert *path[PL_X509_MAX_PATH];
} pl_x509_result;

/* Validate leaf for TLS server use with the server's other certificates (untrusted, any order,
 * extras allowed) against the anchors. Returns res->error: 0 when a valid path was found. When
 * every path fails, the error reported is from the path that got furthest: a failed check on a
 * complete path before a bad signature before a missing issuer. */
PL_MUST_CHECK int pl_x509_verify(const pl_cert *leaf, const pl_cert *untrusted,
                                 size_t untrusted_count, const pl_x509_store *anchors,
                                 const pl_x509_verify_opts *opts, pl_x509_result *res);

/* Does the issuer's key verify the certificate's signature? 0, SSL_ERR_CERT_BAD_SIGNATURE,
 * SSL_ERR_CERT_WEAK_SIGNATURE (SHA-1, MD5), SSL_ERR_CERT_UNSUPPORTED_SIGNATURE, or the key's
 * parse error. */
PL_MUST_CHECK int pl_x509_check_signature(const pl_cert *cert, const pl_cert *issuer);

/* Is the certificate's key an RSA key under 2048 bits? SSL_ERR_CERT_KEY_TOO_SMALL; 0 for
 * other keys and larger RSA keys; the key's parse error if it does not parse. */
PL_MUST_CHECK int pl_x509_check_key_size(const pl_cert *cert);

#endif
