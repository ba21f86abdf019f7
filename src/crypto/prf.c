/* The TLS 1.2 PRF, P_hash of RFC 5246 §5, over a hash class (see prf.h). */
#include "crypto/hmac.h"
#include "crypto/prf.h"

/* The PRF's seed is label ‖ seed1 ‖ seed2; it is fed to HMAC in these pieces, never copied. */
static void hmac_seed(pl_hmac_ctx *c, const char *label, const uint8_t *seed1, size_t seed1_len,
                      const uint8_t *seed2, size_t seed2_len)
{
    pl_hmac_update(c, label, strlen(label));
    pl_hmac_update(c, seed1, seed1_len);
    pl_hmac_update(c, seed2, seed2_len);
}

void pl_prf_derive2(const pl_hash_class *h, const uint8_t *secret, size_t secret_len,
                    const char *label, const uint8_t *seed1, size_t seed1_len,
                    const uint8_t *seed2, size_t seed2_len, uint8_t *out, size_t out_len)
{
    pl_hmac_key key;
    pl_hmac_ctx c;
    uint8_t a[PL_HASH_MAX_LEN];     /* A(i) */
    uint8_t block[PL_HASH_MAX_LEN]; /* HMAC(secret, A(i) ‖ seed) */
    size_t n = h->digest_len;

    /* The secret is read here only, so out may overlap it. */
    pl_hmac_key_init(&key, h, secret, secret_len);

    /* A(1) = HMAC(secret, A(0)) with A(0) = the seed. */
    pl_hmac_start(&c, &key);
    hmac_seed(&c, label, seed1, seed1_len, seed2, seed2_len);
    pl_hmac_final(&c, a);

    while (out_len > 0) {
        size_t take = out_len < n ? out_len : n;
        pl_hmac_start(&c, &key);
        pl_hmac_update(&c, a, n);
        hmac_seed(&c, label, seed1, seed1_len, seed2, seed2_len);
        pl_hmac_final(&c, block);
        memcpy(out, block, take);
        out += take;
        out_len -= take;
        if (out_len > 0) {
            /* A(i+1) = HMAC(secret, A(i)), needed only when more output is wanted. */
            pl_hmac_start(&c, &key);
            pl_hmac_update(&c, a, n);
            pl_hmac_final(&c, a);
        }
    }

    pl_wipe(a, sizeof a);
    pl_wipe(block, sizeof block);
    pl_hmac_key_wipe(&key);
}

void pl_prf_derive(const pl_hash_class *h, const uint8_t *secret, size_t secret_len,
                   const char *label, const uint8_t *seed, size_t seed_len, uint8_t *out,
                   size_t out_len)
{
    pl_prf_derive2(h, secret, secret_len, label, seed, seed_len, NULL, 0, out, out_len);
}
