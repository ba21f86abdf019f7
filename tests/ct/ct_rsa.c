/* The constant-time check for RSA: the code padlock owns around the private key and the
 * decrypted block.
 *
 *   - the EME-PKCS1-v1_5 padding check and the TLS pre-master selection (RFC 5246 §7.4.7.1) on a
 *     SECRET decrypted block, good and bad: neither may branch on it;
 *   - the Montgomery exponentiation of rsa_mont.c with base, exponent AND modulus SECRET (the
 *     CRT halves' exponents dp, dq and primes p, q), at the 1024-bit size of a 2048-bit key's
 *     halves and the looped size of a 3072-bit key's; also the product and the reduction;
 *   - the whole private operation (decryption, both forms, and signing, PKCS#1 v1.5 and PSS) on
 *     SECRET data: blinding, the CRT halves, Garner's recombination, unblinding and the fault
 *     guard, whose verdict alone is declassified; and verification with a SECRET digest, whose
 *     verdict alone is declassified.
 *
 * What is not marked: the key's parts inside a loaded pl_rsa_private (loading runs libtommath,
 * which branches on everything: libtommath#294), and the random blinding value r, whose
 * inverse libtommath computes. Marking a private exponent undefined and running it through
 * libtommath's mp_exptmod would report at once — it branches on the exponent's bits — which is
 * why padlock's private operation uses rsa_mont.c and blinds the exponent besides. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_check.h"

#include "crypto/rsa.h"
#include "crypto/rsa_mont.h"

#include "../data/keys/rsa2048_parts.inc"

static size_t unhex(const char *hex, uint8_t *out)
{
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
            abort();
        }
        out[i] = (uint8_t)v;
    }
    return n;
}

static int load_key(pl_rsa_private *key, uint8_t buf[7][256])
{
    static const uint8_t e[3] = {1, 0, 1};
    const char *hex[7] = {key_n, key_d, key_p, key_q, key_dp, key_dq, key_qinv};
    size_t len[7];
    struct pl_rsa_parts parts;
    for (int i = 0; i < 7; i++) {
        len[i] = unhex(hex[i], buf[i]);
    }
    parts = (struct pl_rsa_parts){
        .n = buf[0], .n_len = len[0], .e = e, .e_len = 3, .d = buf[1], .d_len = len[1],
        .p = buf[2], .p_len = len[2], .q = buf[3], .q_len = len[3], .dp = buf[4],
        .dp_len = len[4], .dq = buf[5], .dq_len = len[5], .qinv = buf[6], .qinv_len = len[6],
    };
    return pl_rsa_private_init(key, &parts);
}

/* 00 02 PS 00 M with M of msg_len bytes starting with 03 03. */
static void make_block(uint8_t *em, size_t k, size_t msg_len)
{
    ct_fill(em, k, 0x31);
    for (size_t i = 0; i < k; i++) {
        em[i] |= 1; /* no zero bytes in PS */
    }
    em[0] = 0;
    em[1] = 2;
    em[k - msg_len - 1] = 0;
    em[k - msg_len] = 3;
    em[k - msg_len + 1] = 3;
}

static void check_padding(void)
{
    static const uint8_t version[2] = {3, 3};
    uint8_t em[256], out[48];
    size_t off;
    uint32_t good;
    /* good, wrong length, wrong block type, no separator */
    for (int c = 0; c < 4; c++) {
        make_block(em, sizeof em, c == 1 ? 47 : 48);
        if (c == 2) {
            em[1] = 1;
        } else if (c == 3) {
            em[256 - 49] = 0x44;
        }
        ct_fill(out, sizeof out, 0x77);
        SECRET(em, sizeof em);
        SECRET(out, sizeof out);
        good = pl_rsa_pkcs1_unpad_ct(em, sizeof em, &off);
        pl_rsa_tls_premaster_select(em, sizeof em, version, out);
        PUBLIC(&good, sizeof good);
        PUBLIC(&off, sizeof off);
        PUBLIC(out, sizeof out);
        PUBLIC(em, sizeof em);
        if (good != (c < 2) || (c == 0 && (off != 208 || memcmp(out, em + 208, 48) != 0))) {
            printf("    padding check gave a wrong verdict (case %d)\n", c);
        }
    }
}

static void check_mont(void)
{
    static const size_t sizes[] = {16, 24};
    static pl_mont m;
    uint8_t mod[192];
    uint64_t base[24], exp[25], r[24], wide[48];
    for (size_t s = 0; s < 2; s++) {
        size_t n = sizes[s];
        ct_fill(mod, n * 8, (uint8_t)(5 + s));
        mod[0] |= 0xc0;
        mod[n * 8 - 1] |= 1;
        if (pl_mont_init(&m, mod, n * 8) != 0) {
            printf("    pl_mont_init failed\n");
            return;
        }
        ct_fill((uint8_t *)base, n * 8, 9);
        base[n - 1] = 0x1234; /* base < m */
        ct_fill((uint8_t *)exp, (n + 1) * 8, 10);
        ct_fill((uint8_t *)wide, 2 * n * 8, 11);
        SECRET(m.m, sizeof m.m);
        SECRET(m.rr, sizeof m.rr);
        SECRET(m.one, sizeof m.one);
        SECRET(m.shift, sizeof m.shift);
        SECRET(&m.m0inv, sizeof m.m0inv);
        SECRET(base, sizeof base);
        SECRET(exp, sizeof exp);
        SECRET(wide, sizeof wide);
        pl_mont_exp(&m, r, base, exp, n + 1);
        pl_mont_mul(&m, r, r, base);
        pl_mont_reduce(&m, base, wide, 2 * n);
        PUBLIC(r, sizeof r);
        PUBLIC(base, sizeof base);
    }
}

static void check_private_key_ops(void)
{
    static uint8_t buf[7][256];
    static const pl_hash_class *const hashes[] = {&pl_sha256_class, &pl_sha384_class};
    pl_rsa_private key;
    uint8_t x[256], y[256], msg[48], digest[64];
    size_t len;
    int rc;
    if (load_key(&key, buf) != 0) {
        printf("    key load failed\n");
        return;
    }
    /* decryption: a real ciphertext, then the decrypted data is the secret */
    ct_fill(msg, sizeof msg, 3);
    rc = pl_rsa_pkcs1_encrypt(pl_rsa_private_public(&key), msg, sizeof msg, x, 256);
    SECRET(x, sizeof x);
    rc |= pl_rsa_pkcs1_decrypt(&key, x, 256, y, sizeof y, &len);
    PUBLIC(&rc, sizeof rc);
    PUBLIC(y, sizeof y);
    if (rc != 0 || len != 48 || memcmp(y, msg, 48) != 0) {
        printf("    decryption failed\n");
    }
    rc = pl_rsa_private_op(&key, x, 256, y, 256);
    PUBLIC(&rc, sizeof rc);
    PUBLIC(y, sizeof y);
    for (size_t i = 0; i < 2; i++) {
        const pl_hash_class *h = hashes[i];
        ct_fill(digest, sizeof digest, (uint8_t)(20 + i));
        SECRET(digest, sizeof digest);
        rc = pl_rsa_pkcs1_sign(&key, h, digest, h->digest_len, x, 256);
        PUBLIC(x, sizeof x); /* a signature is public */
        rc |= pl_rsa_pkcs1_verify(pl_rsa_private_public(&key), h, digest, h->digest_len, x, 256);
        rc |= pl_rsa_pss_sign(&key, h, digest, h->digest_len, h, h->digest_len, x, 256);
        PUBLIC(x, sizeof x);
        rc |= pl_rsa_pss_verify(pl_rsa_private_public(&key), h, digest, h->digest_len, h,
                                h->digest_len, x, 256);
        PUBLIC(&rc, sizeof rc);
        if (rc != 0) {
            printf("    signing or verification failed\n");
        }
    }
    pl_rsa_private_free(&key);
}

void ct_check_rsa(void)
{
    check_padding();
    check_mont();
    check_private_key_ops();
}
