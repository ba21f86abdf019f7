/* The cipher suite table (see suites.h). Values and names: the IANA TLS Cipher Suites registry;
 * RFC 5288 (RSA and DHE with AES-GCM), RFC 5289 (ECDHE with AES-GCM), RFC 7905 (ChaCha20-
 * Poly1305). Every AEAD suite's key block is client key, server key, client IV, server IV, no
 * MAC keys (RFC 5246 §6.3 with mac_key_length 0). */
#include "tls/suites.h"

#include <string.h>

#define GCM128 .aead = PL_AEAD_AES128_GCM, .key_len = 16, .fixed_iv_len = 4, .record_iv_len = 8
#define GCM256 .aead = PL_AEAD_AES256_GCM, .key_len = 32, .fixed_iv_len = 4, .record_iv_len = 8
#define CHACHA .aead = PL_AEAD_CHACHA20_POLY1305, .key_len = 32, .fixed_iv_len = 12, \
               .record_iv_len = 0
/* RFC 5246 §6.2.3.2 and §6.3: a 16-byte explicit IV per record, no IV from the key block. */
#define CBC128_SHA .key_len = 16, .fixed_iv_len = 0, \
                   .record_iv_len = 16, .mac = &pl_sha1_class, .mac_key_len = 20
#define CBC256_SHA .key_len = 32, .fixed_iv_len = 0, \
                   .record_iv_len = 16, .mac = &pl_sha1_class, .mac_key_len = 20
#define CBC128_SHA256 .key_len = 16, .fixed_iv_len = 0, \
                      .record_iv_len = 16, .mac = &pl_sha256_class, .mac_key_len = 32
#define CBC256_SHA256 .key_len = 32, .fixed_iv_len = 0, \
                      .record_iv_len = 16, .mac = &pl_sha256_class, .mac_key_len = 32

/* The default order: forward secrecy first, ECDSA before RSA certificates for the same cipher,
 * AES-128-GCM before AES-256-GCM before ChaCha20-Poly1305 (all fast here with AES-NI); then
 * DHE-RSA; last the RSA key exchange of the article's story, for servers that offer nothing else. */
const pl_suite pl_suites[] = {
    {.id = 0xc02b, .name = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", .kx = PL_KX_ECDHE_ECDSA,
     GCM128, .prf = &pl_sha256_class},
    {.id = 0xc02f, .name = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", .kx = PL_KX_ECDHE_RSA,
     GCM128, .prf = &pl_sha256_class},
    {.id = 0xc02c, .name = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", .kx = PL_KX_ECDHE_ECDSA,
     GCM256, .prf = &pl_sha384_class},
    {.id = 0xc030, .name = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", .kx = PL_KX_ECDHE_RSA,
     GCM256, .prf = &pl_sha384_class},
    {.id = 0xcca9, .name = "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
     .kx = PL_KX_ECDHE_ECDSA, CHACHA, .prf = &pl_sha256_class},
    {.id = 0xcca8, .name = "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", .kx = PL_KX_ECDHE_RSA,
     CHACHA, .prf = &pl_sha256_class},
    {.id = 0x009e, .name = "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", .kx = PL_KX_DHE_RSA, GCM128,
     .prf = &pl_sha256_class},
    {.id = 0x009f, .name = "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", .kx = PL_KX_DHE_RSA, GCM256,
     .prf = &pl_sha384_class},
    {.id = 0xccaa, .name = "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", .kx = PL_KX_DHE_RSA,
     CHACHA, .prf = &pl_sha256_class},
    {.id = 0x009c, .name = "TLS_RSA_WITH_AES_128_GCM_SHA256", .kx = PL_KX_RSA, GCM128,
     .prf = &pl_sha256_class},
    {.id = 0x009d, .name = "TLS_RSA_WITH_AES_256_GCM_SHA384", .kx = PL_KX_RSA, GCM256,
     .prf = &pl_sha384_class},
    /* CBC, for servers that have nothing better (RFC 4492 / 8422, RFC 5246 §A.5; the PRF is
     * TLS 1.2's SHA-256 for all of them). */
    {.id = 0xc009, .name = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", .kx = PL_KX_ECDHE_ECDSA,
     CBC128_SHA, .prf = &pl_sha256_class},
    {.id = 0xc013, .name = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", .kx = PL_KX_ECDHE_RSA,
     CBC128_SHA, .prf = &pl_sha256_class},
    {.id = 0xc00a, .name = "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", .kx = PL_KX_ECDHE_ECDSA,
     CBC256_SHA, .prf = &pl_sha256_class},
    {.id = 0xc014, .name = "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", .kx = PL_KX_ECDHE_RSA,
     CBC256_SHA, .prf = &pl_sha256_class},
    {.id = 0xc027, .name = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", .kx = PL_KX_ECDHE_RSA,
     CBC128_SHA256, .prf = &pl_sha256_class},
    {.id = 0x002f, .name = "TLS_RSA_WITH_AES_128_CBC_SHA", .kx = PL_KX_RSA, CBC128_SHA,
     .prf = &pl_sha256_class},
    {.id = 0x0035, .name = "TLS_RSA_WITH_AES_256_CBC_SHA", .kx = PL_KX_RSA, CBC256_SHA,
     .prf = &pl_sha256_class},
    {.id = 0x003c, .name = "TLS_RSA_WITH_AES_128_CBC_SHA256", .kx = PL_KX_RSA, CBC128_SHA256,
     .prf = &pl_sha256_class},
    {.id = 0x003d, .name = "TLS_RSA_WITH_AES_256_CBC_SHA256", .kx = PL_KX_RSA, CBC256_SHA256,
     .prf = &pl_sha256_class},
};

const size_t pl_suites_count = PL_ARRAY_LEN(pl_suites);

const pl_suite *pl_suite_by_id(uint16_t id)
{
    for (size_t i = 0; i < pl_suites_count; i++) {
        if (pl_suites[i].id == id) {
            return &pl_suites[i];
        }
    }
    return NULL;
}

const pl_suite *pl_suite_by_name(const char *name)
{
    for (size_t i = 0; i < pl_suites_count; i++) {
        if (strcmp(pl_suites[i].name, name) == 0) {
            return &pl_suites[i];
        }
    }
    return NULL;
}

int pl_suite_signs_with_rsa(const pl_suite *suite)
{
    return suite->kx == PL_KX_ECDHE_RSA || suite->kx == PL_KX_DHE_RSA;
}

int pl_suite_signs_with_ecdsa(const pl_suite *suite)
{
    return suite->kx == PL_KX_ECDHE_ECDSA;
}

int pl_suite_is_cbc(const pl_suite *suite)
{
    return suite->mac != NULL;
}
