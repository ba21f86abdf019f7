/* The OID constants of oid.h, and their names. DER makes each OID's encoding unique (X.690
 * §8.19.2), so equality of encodings is equality of OIDs. */
#include "x509/oid.h"

static const uint8_t rsa_encryption[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
static const uint8_t rsassa_pss[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
static const uint8_t ec_public_key[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const uint8_t secp256r1[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t secp384r1[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
static const uint8_t secp521r1[] = {0x2b, 0x81, 0x04, 0x00, 0x23};
static const uint8_t x25519[] = {0x2b, 0x65, 0x6e};
static const uint8_t ed25519[] = {0x2b, 0x65, 0x70};

#define SLICE(a) {a, sizeof a}
const pl_slice pl_oid_rsa_encryption = SLICE(rsa_encryption);
const pl_slice pl_oid_rsassa_pss = SLICE(rsassa_pss);
const pl_slice pl_oid_ec_public_key = SLICE(ec_public_key);
const pl_slice pl_oid_secp256r1 = SLICE(secp256r1);
const pl_slice pl_oid_secp384r1 = SLICE(secp384r1);
const pl_slice pl_oid_secp521r1 = SLICE(secp521r1);
const pl_slice pl_oid_x25519 = SLICE(x25519);
const pl_slice pl_oid_ed25519 = SLICE(ed25519);

static const struct {
    const pl_slice *oid;
    const char *name;
} names[] = {
    {&pl_oid_rsa_encryption, "rsaEncryption"}, {&pl_oid_rsassa_pss, "id-RSASSA-PSS"},
    {&pl_oid_ec_public_key, "id-ecPublicKey"}, {&pl_oid_secp256r1, "secp256r1"},
    {&pl_oid_secp384r1, "secp384r1"},          {&pl_oid_secp521r1, "secp521r1"},
    {&pl_oid_x25519, "X25519"},                {&pl_oid_ed25519, "Ed25519"},
};

bool pl_oid_equal(pl_slice a, pl_slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

const char *pl_oid_name(pl_slice oid)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(names); i++) {
        if (pl_oid_equal(oid, *names[i].oid)) {
            return names[i].name;
        }
    }
    return NULL;
}
