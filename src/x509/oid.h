/* Object identifiers padlock recognises, as the contents octets of their DER encoding
 * (X.690 §8.19), with names for messages.
 *
 * Only what the key and certificate parsers compare against is here; an OID not in this list is
 * still read and kept as a slice, it just has no name. */
#ifndef PL_X509_OID_H
#define PL_X509_OID_H

#include <stdbool.h>

#include "base/cursor.h"

/* RFC 8017 App. C (PKCS #1): rsaEncryption 1.2.840.113549.1.1.1 and id-RSASSA-PSS ...1.10. */
extern const pl_slice pl_oid_rsa_encryption;
extern const pl_slice pl_oid_rsassa_pss;
/* RFC 5480 §2.1.1: id-ecPublicKey 1.2.840.10045.2.1; §2.1.1.1 named curves secp256r1
 * (prime256v1) 1.2.840.10045.3.1.7, secp384r1 1.3.132.0.34 and secp521r1 1.3.132.0.35. */
extern const pl_slice pl_oid_ec_public_key;
extern const pl_slice pl_oid_secp256r1;
extern const pl_slice pl_oid_secp384r1;
extern const pl_slice pl_oid_secp521r1;
/* RFC 8410 §3: id-X25519 1.3.101.110, id-Ed25519 1.3.101.112. */
extern const pl_slice pl_oid_x25519;
extern const pl_slice pl_oid_ed25519;

/* 1 when a and b hold the same bytes (OIDs are compared in their unique DER form). */
bool pl_oid_equal(pl_slice a, pl_slice b);
/* "rsaEncryption", "secp256r1", ... for a known OID; NULL otherwise. */
const char *pl_oid_name(pl_slice oid);

#endif
