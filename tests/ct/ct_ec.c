/* The constant-time check for P-256 and P-384: key generation from a secret scalar (the
 * fixed-base table), ECDH (the variable-base window, with the peer's coordinates secret too as far
 * as the multiplication goes), private-key loading, and ECDSA signing with a secret key (the nonce
 * comes from HMAC over it, so it is secret as well). Only what the protocol makes public is
 * declassified: verdicts (by the library), public keys, shared secrets handed to the caller, and
 * signatures. */
#include <stdio.h>
#include <string.h>

#include "ct_check.h"

#include "crypto/ec.h"
#include "crypto/hash.h"

static void check_curve(pl_ec_curve curve, uint8_t seed)
{
    size_t len = pl_ec_scalar_len(curve), plen = pl_ec_point_len(curve), sig_len = 0;
    uint8_t d[PL_EC_MAX_SCALAR_LEN], e[PL_EC_MAX_SCALAR_LEN], pub[PL_EC_MAX_POINT_LEN];
    uint8_t peer[PL_EC_MAX_POINT_LEN], out[PL_EC_MAX_SCALAR_LEN], digest[PL_HASH_MAX_LEN];
    uint8_t sig[PL_ECDSA_MAX_SIG_LEN];
    pl_ec_private key;
    int rc;

    /* Scalars below n: a zero top byte keeps the deterministic filler in range. */
    ct_fill(d, len, seed);
    d[0] = 0x7f;
    ct_fill(e, len, (uint8_t)(seed + 1));
    e[0] = 0x3c;

    /* The peer's public key, computed before anything is secret. */
    rc = pl_ec_mul_base(curve, peer, e);
    if (rc != 0) {
        printf("    peer key setup failed\n");
    }

    /* Key generation's k·G from a secret scalar. */
    SECRET(d, len);
    rc = pl_ec_mul_base(curve, pub, d);
    PUBLIC(&rc, sizeof rc);
    PUBLIC(pub, plen);
    if (rc != 0) {
        printf("    fixed-base multiplication failed\n");
    }

    /* ECDH: secret scalar and secret peer coordinates (the 0x04 prefix is public). */
    SECRET(peer + 1, plen - 1);
    rc = pl_ecdh_shared(curve, out, d, peer, plen);
    PUBLIC(&rc, sizeof rc);
    PUBLIC(out, len);
    if (rc != 0) {
        printf("    ECDH failed\n");
    }
    PUBLIC(peer, plen);

    /* A fresh key pair: random candidates, each judged in constant time. */
    rc = pl_ecdh_keygen(curve, e, pub);
    PUBLIC(&rc, sizeof rc);
    PUBLIC(e, len);
    PUBLIC(pub, plen);

    /* ECDSA: the private key loads (deriving its public key) and signs in constant time. */
    rc = pl_ec_private_init(&key, curve, d, len);
    PUBLIC(&rc, sizeof rc);
    if (rc != 0) {
        printf("    private key init failed\n");
        return;
    }
    ct_fill(digest, sizeof digest, (uint8_t)(seed + 2));
    rc = pl_ecdsa_sign(&key, len == 32 ? &pl_sha256_class : &pl_sha384_class, digest, len, sig,
                       sizeof sig, &sig_len);
    PUBLIC(&rc, sizeof rc);
    PUBLIC(&sig_len, sizeof sig_len);
    PUBLIC(sig, sizeof sig);
    if (rc != 0) {
        printf("    ECDSA signing failed\n");
    }
    rc = pl_ecdsa_verify(pl_ec_private_public(&key), digest, len, sig, sig_len);
    if (rc != 0) {
        printf("    ECDSA signature did not verify\n");
    }
    /* The hedged variant: fresh random data joins the secret key in the nonce's HMAC. */
    rc = pl_ecdsa_sign_flags(&key, len == 32 ? &pl_sha256_class : &pl_sha384_class, digest, len,
                             PL_ECDSA_HEDGED, sig, sizeof sig, &sig_len);
    PUBLIC(&rc, sizeof rc);
    PUBLIC(&sig_len, sizeof sig_len);
    PUBLIC(sig, sizeof sig);
    if (rc != 0) {
        printf("    hedged ECDSA signing failed\n");
    }
    pl_ec_private_wipe(&key);
    PUBLIC(d, len);
}

void ct_check_ec(void)
{
    check_curve(PL_EC_P256, 21);
    check_curve(PL_EC_P384, 22);
}
