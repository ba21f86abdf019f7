/* TLS 1.2 cipher suites: one row per suite, saying how its keys are agreed and authenticated,
 * which AEAD protects its records, and which hash its PRF uses (RFC 5246 §A.5, RFC 5288,
 * RFC 5289, RFC 7905). The handshake and the record layer read suites only through this table.
 *
 * The CBC suites come after every AEAD suite, for old servers only (tls/cbc.h protects their
 * records; encrypt-then-MAC is offered with them).
 *
 * Not here: suites padlock will never offer (NULL, RC4, 3DES, export, anonymous, PSK, CBC with
 * anything but AES and HMAC-SHA1/SHA256). */
#ifndef PL_TLS_SUITES_H
#define PL_TLS_SUITES_H

#include "crypto/aead.h"
#include "crypto/hash.h"

/* How the pre-master secret is agreed, and with which key the server signs (if it does). */
enum pl_kx {
    PL_KX_ECDHE_ECDSA, /* ECDHE; ServerKeyExchange signed with the certificate's ECDSA key */
    PL_KX_ECDHE_RSA,   /* ECDHE; signed with the certificate's RSA key */
    PL_KX_DHE_RSA,     /* finite-field DHE; signed with the certificate's RSA key */
    PL_KX_RSA,         /* the pre-master secret encrypted to the certificate's RSA key */
};

typedef struct pl_suite {
    uint16_t id;                 /* the IANA CipherSuite value */
    const char *name;            /* the IANA name, e.g. "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" */
    enum pl_kx kx;
    enum pl_aead_alg aead;       /* AEAD suites only (mac is NULL) */
    const pl_hash_class *prf;    /* the PRF's hash and the Finished transcript hash */
    uint8_t key_len;             /* write key bytes */
    uint8_t fixed_iv_len;        /* implicit IV from the key block: 4 for GCM, 12 for ChaCha20,
                                    0 for CBC */
    uint8_t record_iv_len;       /* explicit nonce or IV in each record: 8 for GCM, 16 for CBC */
    /* CBC suites (RFC 5246 §6.2.3.2): AES-CBC with this HMAC; NULL for the AEAD suites. */
    const pl_hash_class *mac;
    uint8_t mac_key_len;         /* the MAC key's bytes: the hash's length */
} pl_suite;

/* padlock's suites in the client's default preference order (the order of ClientHello). */
extern const pl_suite pl_suites[];
extern const size_t pl_suites_count;

/* The row for an IANA value or name, or NULL when padlock does not implement it. */
const pl_suite *pl_suite_by_id(uint16_t id);
const pl_suite *pl_suite_by_name(const char *name);

/* Does the suite's key exchange use a signature by the server's RSA key (the certificate must
 * then hold an RSA key), an ECDSA key, or neither (RSA key exchange encrypts instead)? */
int pl_suite_signs_with_rsa(const pl_suite *suite);
int pl_suite_signs_with_ecdsa(const pl_suite *suite);

/* Is it a CBC suite (MAC keys in the key block, tls/cbc.h record protection)? */
int pl_suite_is_cbc(const pl_suite *suite);

#endif
