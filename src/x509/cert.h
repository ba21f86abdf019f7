/* X.509 v3 certificates (RFC 5280 §4): one DER certificate parsed into a structure that
 * borrows from the DER bytes.
 *
 * Parsing checks the syntax strictly (DER through x509/der.h; every field's type and order; the
 * two signature algorithm fields equal byte for byte; times valid calendar dates in the RFC 5280
 * §4.1.2.5 formats; extensions only in v3, each at most once, known ones well-formed, unknown
 * critical ones refused). It does not decide trust: signatures, dates against a clock, CA and
 * key-usage rules, names and path building are the path validator's (issue 4); the key is
 * kept as the raw SubjectPublicKeyInfo for x509/key.h to parse.
 *
 * Not here: CRLs, OCSP, policy processing (certificatePolicies is recognised and its syntax
 * checked, its meaning not enforced, as browsers do), attribute certificates. */
#ifndef PL_X509_CERT_H
#define PL_X509_CERT_H

#include <stdbool.h>

#include "base/cursor.h"
#include "x509/der.h"

/* How a certificate is signed (RFC 5280 §4.1.1.2, RFC 4055, RFC 5758). */
enum pl_cert_sig {
    PL_CERT_SIG_UNKNOWN = 0,     /* an algorithm padlock has no name for */
    PL_CERT_SIG_MD5_RSA,         /* recognised so it can be refused by name */
    PL_CERT_SIG_SHA1_RSA,
    PL_CERT_SIG_SHA256_RSA,
    PL_CERT_SIG_SHA384_RSA,
    PL_CERT_SIG_SHA512_RSA,
    PL_CERT_SIG_RSA_PSS,         /* parameters in pss_hash (MGF1 with the same hash, salt = hash
                                    length, trailer 1: the only form padlock accepts) */
    PL_CERT_SIG_ECDSA_SHA1,
    PL_CERT_SIG_ECDSA_SHA256,
    PL_CERT_SIG_ECDSA_SHA384,
    PL_CERT_SIG_ECDSA_SHA512,
};

/* keyUsage bits (RFC 5280 §4.2.1.3), bit n of the BIT STRING as 1u << n. */
enum {
    PL_KU_DIGITAL_SIGNATURE = 1u << 0,
    PL_KU_NON_REPUDIATION = 1u << 1,
    PL_KU_KEY_ENCIPHERMENT = 1u << 2,
    PL_KU_DATA_ENCIPHERMENT = 1u << 3,
    PL_KU_KEY_AGREEMENT = 1u << 4,
    PL_KU_KEY_CERT_SIGN = 1u << 5,
    PL_KU_CRL_SIGN = 1u << 6,
    PL_KU_ENCIPHER_ONLY = 1u << 7,
    PL_KU_DECIPHER_ONLY = 1u << 8,
};

/* extendedKeyUsage purposes (RFC 5280 §4.2.1.12). */
enum {
    PL_EKU_SERVER_AUTH = 1u << 0,
    PL_EKU_CLIENT_AUTH = 1u << 1,
    PL_EKU_ANY = 1u << 2,
    PL_EKU_OTHER = 1u << 3,
};

/* Extensions present (bits of pl_cert.ext). */
enum {
    PL_EXT_BASIC_CONSTRAINTS = 1u << 0,
    PL_EXT_KEY_USAGE = 1u << 1,
    PL_EXT_EXT_KEY_USAGE = 1u << 2,
    PL_EXT_SUBJECT_ALT_NAME = 1u << 3,
    PL_EXT_NAME_CONSTRAINTS = 1u << 4,
    PL_EXT_AUTHORITY_KEY_ID = 1u << 5,
    PL_EXT_SUBJECT_KEY_ID = 1u << 6,
    PL_EXT_CERT_POLICIES = 1u << 7,
    PL_EXT_OTHER = 1u << 8,      /* at least one non-critical extension padlock ignores */
};

typedef struct pl_cert {
    pl_slice der;                /* the whole Certificate */
    pl_slice tbs;                /* TBSCertificate as encoded: what the issuer signed */
    unsigned version;            /* 1, 2 or 3 */
    pl_slice serial;             /* the serial number's magnitude, big-endian */
    enum pl_cert_sig sig;
    const struct pl_hash_class *pss_hash; /* PL_CERT_SIG_RSA_PSS: the hash (NULL otherwise) */
    pl_slice sig_alg_oid;        /* the algorithm's OID, for messages about unknown ones */
    pl_slice signature;          /* signatureValue's bytes */
    pl_slice issuer, subject;    /* Name as encoded (compared byte for byte) */
    int64_t not_before, not_after; /* seconds since 1970-01-01T00:00:00Z */
    pl_slice spki;               /* SubjectPublicKeyInfo as encoded */

    uint32_t ext;                /* PL_EXT_* present */
    uint32_t critical;           /* PL_EXT_* marked critical */
    bool ca;                     /* basicConstraints cA */
    int path_len;                /* pathLenConstraint, or -1 when absent */
    uint32_t key_usage;          /* PL_KU_* (meaningful when PL_EXT_KEY_USAGE is set) */
    uint32_t ext_key_usage;      /* PL_EKU_* (when PL_EXT_EXT_KEY_USAGE is set) */
    pl_slice san;                /* GeneralNames contents: a run of GeneralName TLVs */
    pl_slice permitted, excluded; /* nameConstraints GeneralSubtrees contents (may be empty) */
    pl_slice authority_key_id;   /* keyIdentifier, empty when absent */
    pl_slice subject_key_id;
} pl_cert;

/* Parse one DER certificate of len bytes (trailing bytes refused). *cert borrows der, which
 * must outlive it. Errors: SSL_ERR_DER_* for encoding faults, SSL_ERR_CERT_* for the
 * certificate's own rules. */
PL_MUST_CHECK int pl_cert_parse(pl_cert *cert, const uint8_t *der, size_t len);

/* A GeneralName from a run of them (a SAN, or a name-constraint base). */
typedef struct pl_general_name {
    uint8_t tag;                 /* the context tag: 0x82 dNSName, 0x87 iPAddress, ... */
    pl_slice value;              /* its contents */
} pl_general_name;

/* Iterate a run of GeneralName TLVs (already checked by pl_cert_parse): init over the run
 * (pl_cert.san, .permitted, .excluded), then next gives 1 with *out, or 0 at the end. */
void pl_cert_names_init(pl_der *it, pl_slice names);
int pl_cert_next_name(pl_der *it, pl_general_name *out);

#define PL_GN_DNS 0x82u          /* [2] IMPLICIT IA5String */
#define PL_GN_IP 0x87u           /* [7] IMPLICIT OCTET STRING */
#define PL_GN_DIRECTORY 0xa4u    /* [4] EXPLICIT Name */

/* A Name in one line for people: "CN=example.com, O=Example Ltd, C=GB", attributes in the
 * order they are encoded, short names for the common types and dotted OIDs for the rest,
 * values with anything outside printable ASCII as \xNN. Always NUL-terminated; cut with "..."
 * when cap is too small. */
void pl_cert_name_string(pl_slice name, char *out, size_t cap);

/* A time as "2024-03-01T00:00:00Z" (out holds at least 21 bytes). */
void pl_cert_time_string(int64_t t, char out[21]);

#endif
