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

/* The 2048-bit key of tests/unit/test_rsa.c (made with OpenSSL 3.0's genpkey), e = 65537. */
static const char key_n[] =
    "9dedc36351baaa58bd13c9d65ec179c098f1adc140ab009b9dfa67d3ac55316bb5bed6c008c65e8cd2662c5b"
    "49fee72781d9644e0816047e88ae47fac42aced6c5f751a3574942fa91f90924a9fbf958f74c47dc3bf7d64e"
    "6bd49585cd9d2caf1727af9c4d7a8eb9bcbf903e87f81c417574d5956148742b473639f5feb901061d09b029"
    "607549bf9bd2bae9fadee1040320e0645cf0cf080952523893a8644319b2c085bf2e410deeee5595284d989a"
    "c3593025ca157b4e29f1f589d415d8c810aebe9cf6fb6bc2ece85c2da877eb58e62ac77e5cc8453af4e02f46"
    "b5842273d5dea57c340e2f85fc065a27011a660c17f43477b2989769d45479b00bbde3ff";
static const char key_d[] =
    "1ba3884de1f84ea6b0147dfedfdf715ce5076ad6c6e80677b59aa4c015496598499ae7ff7ca9a6d373610143"
    "4abc6b1ced6b2bd44233043f56d155748c0f47daab93c07c5b22cdaf878b736fb0b611e9e181be93cb04f143"
    "1139079ffe9f92b9e3ce04bc508cf1dc8cad63e3a5ad24d8c9e3141c0c05ff9ab1604a9d8422418cd77549c7"
    "ab43fba956aa74ac482c23be05000e84cb1f42642bd3a7fd2433defac21132219e3100deb56f012a6c2b4316"
    "4dc7874df95f6d8cf4da55845c6150cc50f93601e4427069a37ca0d963aaa1d22d59753b235d50d7e9ba8088"
    "a54159da8cacd1737515a8ae63ec59b0aedf9e976694aa6459a12c1d1ce6010055b061a5";
static const char key_p[] =
    "cc9b28727b3c1ee5c22a9f20786b8886c29cd5785a9f7db09223f33588c1f4b6db32daa6c0fc5ce351a4db43"
    "ebc666d54360b871ba0d3e16f4b229ce712b50ea8ba0278d5a04efd8796bf7eec595cc026cbb0cb6fa1b43dd"
    "f1f446187bdfb79f188fac447868aa3ea640e89ee87dd1c901a48ecb52c04928231e219ae3de8f7d";
static const char key_q[] =
    "c59919b049a34d09c39bea0aa49a1e15d39a739b3ac66b6f746ad44382835a574434127e3793badbc311f454"
    "e3b3870b38371e3e96918dcb2e5887847b37ffec086bcf6d931cbf7a181a02260853211264f46baca4d560af"
    "edc94c38fa1bb7338b175f149122a9cde95b79f7c5ee6d78263672cb5d85ed95006994ff6969122b";
static const char key_dp[] =
    "7ae34dddc48a8d7c2dac6fba8ed8f73d09322d3c862178da4e4bed4d60002e3c8d56f3e067d4aaed9521d0d7"
    "f08a4f45139cc9eaf475f3aed1f5180af809ae25d10ab5f6bdf46d21b57bd583c18480ed8be4a47459af7a89"
    "9942bfbf00d7936fa8ced206a5d3273d4d997a9dc6c19af8815616b5a3d3fd9c6fcb2f1fda70d7f9";
static const char key_dq[] =
    "5afabe203417935dfe89a83e1441bdbe70fa79662caeb542d1086b09566b624a31e603e9c76f26a70eef125f"
    "8fa3d676ed003bd5b77ff71869136bfa2cbdc1010d738e43366c1321853d5c65e48959fddd2bc8f3e9c5314a"
    "6fa2b28cbd63cb7b58fc7ed3ba6b8a617ba399c9e2818037c4e866fc89e82356eaa4b26cd33d0497";
static const char key_qinv[] =
    "8c9029ea2be0030bf890df6fabda07948272e5029b5312018c1681cc8a1ddb24141e92cf22a43d2646ccb61e"
    "fa468bafb101281342e5c810d7badc901adb88482d7c0c7be31a0ee0e5a6f8fcfbcdb91629aa3db964d6439a"
    "6c4db183fce95f296e2356e2ffa0708cba1ac8c63056ae698fe041612ccaacff6bcc5dcc046a4165";

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
