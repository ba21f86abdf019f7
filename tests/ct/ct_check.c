/* The constant-time check: run padlock's secret-handling code under valgrind memcheck with every
 * secret marked undefined. Memcheck then reports each conditional branch, and each memory address,
 * that depends on a secret — exactly the leaks constant-time code must not have. Results that the
 * protocol makes public (did the tag verify?) are declassified by the library with
 * pl_ct_declassify, or here before the harness looks at them.
 *
 *   valgrind --error-exitcode=1 build/tests/ct/ct_check
 *
 * Every check runs twice: with the portable code only, and with every accelerated path the CPU
 * (as valgrind presents it) offers. Outside valgrind the program runs the same code and passes
 * trivially; CTest runs it under valgrind. */
#include <stdio.h>
#include <string.h>

#include "ct_check.h"

#include "base/cpu.h"
#include "base/ct.h"
#include "crypto/aead.h"
#include "crypto/aes.h"
#include "crypto/chacha20.h"
#include "crypto/gcm.h"
#include "crypto/hash.h"
#include "crypto/hmac.h"
#include "crypto/poly1305.h"
#include "crypto/prf.h"
#include "crypto/x25519.h"

void ct_fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed + i * 31);
    }
}

static void check_ct_helpers(void)
{
    uint8_t a[48], b[48];
    uint32_t r, x = 5, y = 9;
    ct_fill(a, sizeof a, 1);
    ct_fill(b, sizeof b, 1);
    SECRET(a, sizeof a);
    SECRET(b, sizeof b);
    SECRET(&x, sizeof x);
    SECRET(&y, sizeof y);
    r = pl_ct_memeq(a, b, sizeof a);
    r ^= pl_ct_eq(x, y) ^ pl_ct_lt(x, y) ^ pl_ct_is_zero(x) ^ pl_ct_select(r & 1, x, y);
    r ^= pl_ct_is_zero64((uint64_t)x << 40);
    pl_ct_copy_if(pl_ct_eq(x, 5), a, b, sizeof a);
    PUBLIC(&r, sizeof r);
    PUBLIC(a, sizeof a);
}

static void check_hashes_and_hmac(void)
{
    static const pl_hash_class *const classes[] = {&pl_sha1_class, &pl_sha256_class,
                                                   &pl_sha384_class, &pl_sha512_class};
    uint8_t key[100], msg[700], tag[PL_HASH_MAX_LEN], out[200];
    for (size_t i = 0; i < PL_ARRAY_LEN(classes); i++) {
        const pl_hash_class *h = classes[i];
        pl_hash_ctx c;
        int rc;
        ct_fill(key, sizeof key, (uint8_t)i);
        ct_fill(msg, sizeof msg, 7);
        SECRET(key, sizeof key);
        SECRET(msg, sizeof msg);
        h->init(&c);
        h->update(&c, msg, sizeof msg); /* > 4 blocks: SHA-512's AVX2 path runs too */
        h->final(&c, tag);
        pl_hmac(h, key, 32, msg, sizeof msg, tag);
        pl_hmac(h, key, sizeof key, msg, 200, tag); /* a key longer than SHA-1/256's block */
        /* HMAC verification: the tag and the key are secret until the verdict */
        SECRET(tag, sizeof tag);
        rc = pl_hmac_verify(h, key, sizeof key, msg, 200, tag, h->digest_len);
        PUBLIC(&rc, sizeof rc);
        if (rc != 0) {
            printf("  HMAC verification of a good tag failed (%s)\n", h->name);
        }
        tag[3] ^= 1;
        rc = pl_hmac_verify(h, key, sizeof key, msg, 200, tag, h->digest_len);
        PUBLIC(&rc, sizeof rc);
        if (rc == 0) {
            printf("  HMAC verification of a bad tag passed (%s)\n", h->name);
        }
        pl_prf_derive(h, key, 48, "master secret", msg, 64, out, sizeof out);
        PUBLIC(out, sizeof out);
    }
}

static void check_aes_and_cbc(void)
{
    static const size_t key_lens[] = {16, 24, 32};
    uint8_t key[32], iv[16], ctr[16], in[256], out[256];
    for (size_t i = 0; i < PL_ARRAY_LEN(key_lens); i++) {
        pl_aes_key k;
        size_t out_len;
        int rc;
        ct_fill(key, sizeof key, (uint8_t)(3 + i));
        ct_fill(in, sizeof in, 9);
        ct_fill(iv, sizeof iv, 4);
        ct_fill(ctr, sizeof ctr, 5);
        SECRET(key, sizeof key);
        SECRET(in, sizeof in);
        rc = pl_aes_init(&k, key, key_lens[i]);
        if (rc != 0) {
            printf("  pl_aes_init failed\n");
        }
        pl_aes_encrypt_blocks(&k, in, out, sizeof in / 16);
        pl_aes_decrypt_blocks(&k, out, out, sizeof in / 16);
        pl_aes_ctr32(&k, ctr, in, out, sizeof in - 5);
        rc = pl_aes_cbc_encrypt(&k, iv, in, out, sizeof in);
        rc |= pl_aes_cbc_decrypt(&k, iv, out, out, sizeof in);
        if (rc != 0) {
            printf("  AES-CBC failed\n");
        }
        /* The padding check's verdict and length stay secret until the record layer folds
         * them into its MAC check; only here, at the end, are they looked at. */
        rc = pl_pkcs7_unpad(out, sizeof out, &out_len);
        PUBLIC(&rc, sizeof rc);
        PUBLIC(&out_len, sizeof out_len);
        PUBLIC(out, sizeof out);
        pl_aes_wipe(&k);
    }
}

/* Every AEAD class the CPU mode offers, sealing and opening secret data under a secret key;
 * the open verdict is declassified by the library (a failed record is public). */
static void check_aeads(void)
{
    static const enum pl_aead_alg algs[] = {PL_AEAD_AES128_GCM, PL_AEAD_AES256_GCM,
                                            PL_AEAD_CHACHA20_POLY1305};
    static const size_t lens[] = {0, 1, 16, 63, 200, 1500};
    uint8_t key[32], nonce[12], aad[13], in[1500], out[1500], tag[16];
    for (size_t a = 0; a < PL_ARRAY_LEN(algs); a++) {
        const pl_aead_class *cls = pl_aead_best(algs[a]);
        static pl_aead_ctx ctx;
        printf("    %s (%s)\n", cls->name, cls->impl);
        for (size_t i = 0; i < PL_ARRAY_LEN(lens); i++) {
            int rc;
            ct_fill(key, sizeof key, (uint8_t)(a + 1));
            ct_fill(in, sizeof in, (uint8_t)i);
            ct_fill(nonce, sizeof nonce, 8);
            ct_fill(aad, sizeof aad, 2);
            SECRET(key, sizeof key);
            SECRET(in, sizeof in);
            cls->init(&ctx, key);
            cls->seal(&ctx, nonce, aad, sizeof aad, in, out, lens[i], tag);
            rc = cls->open(&ctx, nonce, aad, sizeof aad, out, out, lens[i], tag);
            if (rc != 0) {
                printf("    open of a sealed message failed\n");
            }
            tag[0] ^= 1;
            rc = cls->open(&ctx, nonce, aad, sizeof aad, out, out, lens[i], tag);
            if (rc == 0) {
                printf("    open of a tampered message succeeded\n");
            }
            PUBLIC(out, sizeof out);
            pl_wipe(&ctx, sizeof ctx);
        }
    }
}

static void check_ghash_chacha_poly(void)
{
    uint8_t h[16], y[16], key[32], nonce[12], msg[700], out[700], tag[16];
    pl_ghash_key gk;
    pl_poly1305_ctx pc;
    ct_fill(h, sizeof h, 1);
    ct_fill(key, sizeof key, 2);
    ct_fill(msg, sizeof msg, 3);
    memset(y, 0, sizeof y);
    ct_fill(nonce, sizeof nonce, 4);
    SECRET(h, sizeof h);
    SECRET(key, sizeof key);
    SECRET(msg, sizeof msg);
    pl_ghash_init(&gk, h);
    pl_ghash_portable(&gk, y, msg, 640 / 16);
    pl_chacha20_xor(key, nonce, 1, msg, out, sizeof msg);
    pl_poly1305_init(&pc, key);
    pl_poly1305_update(&pc, msg, 13);
    pl_poly1305_update(&pc, msg + 13, sizeof msg - 13);
    pl_poly1305_final(&pc, tag);
    PUBLIC(y, sizeof y);
    PUBLIC(out, sizeof out);
    PUBLIC(tag, sizeof tag);
}

/* X25519: the private scalar is secret, and so is the peer's value as far as the ladder goes
 * (the ladder must not depend on either); only the zero verdict is public. */
static void check_x25519(void)
{
    uint8_t priv[32], peer[32], out[32];
    int rc;
    ct_fill(priv, sizeof priv, 11);
    ct_fill(peer, sizeof peer, 12);
    SECRET(priv, sizeof priv);
    SECRET(peer, sizeof peer);
    rc = pl_x25519_shared(out, priv, peer);
    PUBLIC(&rc, sizeof rc);
    PUBLIC(out, sizeof out);
    pl_x25519_public(out, priv); /* key generation's ladder */
    PUBLIC(out, sizeof out);
}

struct check {
    const char *name;
    void (*run)(void);
};

static const struct check checks[] = {
    {"constant-time helpers", check_ct_helpers},
    {"SHA-1/256/384/512, HMAC, HMAC verify, TLS PRF", check_hashes_and_hmac},
    {"AES key schedule, blocks, CTR32, CBC, PKCS#7 unpadding", check_aes_and_cbc},
    {"portable GHASH, ChaCha20, Poly1305", check_ghash_chacha_poly},
    {"AEAD seal and open (AES-GCM, ChaCha20-Poly1305)", check_aeads},
    {"X25519 shared secret and public key", check_x25519},
    {"RSA: PKCS#1 v1.5 decryption padding check, signature encodings", ct_check_rsa},
    {"P-256/P-384 ECDH, key generation and ECDSA signing", ct_check_ec},
    {"TLS key schedule, Finished comparison, key log, record decryption", ct_check_tls},
};

int main(void)
{
    static const uint32_t modes[] = {0, PL_CPU_ALL};
    unsigned under_valgrind = RUNNING_ON_VALGRIND;
    for (size_t m = 0; m < PL_ARRAY_LEN(modes); m++) {
        pl_cpu_restrict(modes[m]);
        printf("cpu features 0x%x%s\n", pl_cpu_features(), modes[m] == 0 ? " (portable)" : "");
        for (size_t i = 0; i < PL_ARRAY_LEN(checks); i++) {
            printf("  %s\n", checks[i].name);
            fflush(stdout);
            checks[i].run();
        }
    }
    printf("%s\n", under_valgrind ? "done under valgrind: memcheck reports any secret-dependent "
                                    "branch or index above"
                                  : "not under valgrind: nothing was checked (run it with "
                                    "valgrind --error-exitcode=1)");
    return 0;
}
