/* pk_bench: padlock's public-key operations beside OpenSSL's libcrypto, measured in the same run,
 * in operations per second, and the ratio ours / OpenSSL (higher is better for padlock).
 *
 *   pk_bench [--seconds S]
 *
 * Each figure is the best of several short rounds of process CPU time, padlock's and OpenSSL's
 * rounds interleaved. So far: X25519 (a key pair plus one shared secret per operation, as a TLS
 * client does per handshake), P-256 and P-384 (ECDH the same way; ECDSA sign and verify of a
 * digest). RSA rows arrive with it (issue 3). */
#define _POSIX_C_SOURCE 200809L
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/ec.h"
#include "crypto/rsa.h"
#include "crypto/x25519.h"

#define ROUNDS 5

static double round_seconds = 0.2;

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double one_round(void (*op)(void *), void *arg)
{
    double start = cpu_now(), elapsed;
    size_t n = 0;
    do {
        op(arg);
        n++;
        elapsed = cpu_now() - start;
    } while (elapsed < round_seconds);
    return (double)n / elapsed;
}

static void compare(const char *name, void (*ours)(void *), void (*theirs)(void *), void *arg)
{
    double best_ours = 0, best_theirs = 0;
    for (int r = 0; r < ROUNDS; r++) {
        double a = one_round(ours, arg);
        double b = one_round(theirs, arg);
        best_ours = a > best_ours ? a : best_ours;
        best_theirs = b > best_theirs ? b : best_theirs;
    }
    printf("%-28s %12.0f  %12.0f  %6.2fx\n", name, best_ours, best_theirs,
           best_ours / best_theirs);
    fflush(stdout);
}

static uint8_t peer_pub[32];
static EVP_PKEY *peer_key;

static void ours_x25519(void *arg)
{
    uint8_t priv[32], pub[32], shared[32];
    (void)arg;
    if (pl_x25519_keygen(priv, pub) != 0 || pl_x25519_shared(shared, priv, peer_pub) != 0) {
        fprintf(stderr, "pk_bench: padlock X25519 failed\n");
        exit(1);
    }
}

static void theirs_x25519(void *arg)
{
    EVP_PKEY_CTX *kg = EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, NULL);
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *dc;
    uint8_t shared[32];
    size_t len = sizeof shared;
    (void)arg;
    EVP_PKEY_keygen_init(kg);
    EVP_PKEY_keygen(kg, &key);
    dc = EVP_PKEY_CTX_new(key, NULL);
    EVP_PKEY_derive_init(dc);
    EVP_PKEY_derive_set_peer(dc, peer_key);
    if (EVP_PKEY_derive(dc, shared, &len) != 1) {
        fprintf(stderr, "pk_bench: OpenSSL X25519 failed\n");
        exit(1);
    }
    EVP_PKEY_CTX_free(dc);
    EVP_PKEY_free(key);
    EVP_PKEY_CTX_free(kg);
}

/* ---- P-256 / P-384: ECDH as a TLS client does it (a key pair and one shared secret per
 * operation, against a fixed peer), and ECDSA over a SHA-256/384 digest. OpenSSL's side makes its
 * EVP contexts per operation, as the X25519 row does and as a handshake would. ---------------- */

struct ec_bench {
    pl_ec_curve curve;
    const char *name;             /* OpenSSL's group name */
    uint8_t peer[PL_EC_MAX_POINT_LEN];
    EVP_PKEY *peer_key;           /* the peer, for ECDH; also the signing key */
    pl_ec_private key;            /* the same signing key on padlock's side */
    uint8_t digest[48];
    size_t digest_len;
    uint8_t our_sig[PL_ECDSA_MAX_SIG_LEN], their_sig[PL_ECDSA_MAX_SIG_LEN];
    size_t our_sig_len, their_sig_len;
};

static void ec_fail(const char *what)
{
    fprintf(stderr, "pk_bench: %s failed\n", what);
    exit(1);
}

static void ours_ecdh(void *arg)
{
    struct ec_bench *b = arg;
    uint8_t priv[PL_EC_MAX_SCALAR_LEN], pub[PL_EC_MAX_POINT_LEN], shared[PL_EC_MAX_SCALAR_LEN];
    if (pl_ecdh_keygen(b->curve, priv, pub) != 0 ||
        pl_ecdh_shared(b->curve, shared, priv, b->peer, pl_ec_point_len(b->curve)) != 0) {
        ec_fail("padlock ECDH");
    }
}

static void theirs_ecdh(void *arg)
{
    struct ec_bench *b = arg;
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", b->name);
    EVP_PKEY_CTX *dc = EVP_PKEY_CTX_new(key, NULL);
    uint8_t shared[PL_EC_MAX_SCALAR_LEN];
    size_t len = sizeof shared;
    if (key == NULL || dc == NULL || EVP_PKEY_derive_init(dc) != 1 ||
        EVP_PKEY_derive_set_peer(dc, b->peer_key) != 1 || EVP_PKEY_derive(dc, shared, &len) != 1) {
        ec_fail("OpenSSL ECDH");
    }
    EVP_PKEY_CTX_free(dc);
    EVP_PKEY_free(key);
}

static void ours_verify(void *arg)
{
    struct ec_bench *b = arg;
    if (pl_ecdsa_verify(pl_ec_private_public(&b->key), b->digest, b->digest_len, b->our_sig,
                        b->our_sig_len) != 0) {
        ec_fail("padlock ECDSA verify");
    }
}

static void theirs_verify(void *arg)
{
    struct ec_bench *b = arg;
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(b->peer_key, NULL);
    if (c == NULL || EVP_PKEY_verify_init(c) != 1 ||
        EVP_PKEY_verify(c, b->their_sig, b->their_sig_len, b->digest, b->digest_len) != 1) {
        ec_fail("OpenSSL ECDSA verify");
    }
    EVP_PKEY_CTX_free(c);
}

static void ours_sign(void *arg)
{
    struct ec_bench *b = arg;
    const pl_hash_class *h = b->digest_len == 32 ? &pl_sha256_class : &pl_sha384_class;
    if (pl_ecdsa_sign(&b->key, h, b->digest, b->digest_len, b->our_sig, sizeof b->our_sig,
                      &b->our_sig_len) != 0) {
        ec_fail("padlock ECDSA sign");
    }
}

static void theirs_sign(void *arg)
{
    struct ec_bench *b = arg;
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(b->peer_key, NULL);
    b->their_sig_len = sizeof b->their_sig;
    if (c == NULL || EVP_PKEY_sign_init(c) != 1 ||
        EVP_PKEY_sign(c, b->their_sig, &b->their_sig_len, b->digest, b->digest_len) != 1) {
        ec_fail("OpenSSL ECDSA sign");
    }
    EVP_PKEY_CTX_free(c);
}

static void bench_ec(pl_ec_curve curve, const char *name, const char *label)
{
    static struct ec_bench b;
    char row[64];
    uint8_t scalar[PL_EC_MAX_SCALAR_LEN];
    size_t len = pl_ec_scalar_len(curve), plen = sizeof b.peer;
    BIGNUM *d = NULL;
    memset(&b, 0, sizeof b);
    b.curve = curve;
    b.name = name;
    b.peer_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", name);
    if (b.peer_key == NULL ||
        EVP_PKEY_get_octet_string_param(b.peer_key, OSSL_PKEY_PARAM_PUB_KEY, b.peer, plen,
                                        &plen) != 1 ||
        plen != pl_ec_point_len(curve) ||
        EVP_PKEY_get_bn_param(b.peer_key, OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1 ||
        BN_bn2binpad(d, scalar, (int)len) != (int)len ||
        pl_ec_private_init(&b.key, curve, scalar, len) != 0 ||
        memcmp(pl_ec_private_public(&b.key)->point, b.peer, plen) != 0) {
        ec_fail("EC key setup");
    }
    BN_clear_free(d);
    b.digest_len = len;
    memset(b.digest, 0x5a, sizeof b.digest);
    ours_sign(&b);
    theirs_sign(&b);
    snprintf(row, sizeof row, "%s ECDH", label);
    compare(row, ours_ecdh, theirs_ecdh, &b);
    snprintf(row, sizeof row, "ECDSA %s verify", label);
    compare(row, ours_verify, theirs_verify, &b);
    snprintf(row, sizeof row, "ECDSA %s sign", label);
    compare(row, ours_sign, theirs_sign, &b);
    pl_ec_private_wipe(&b.key);
    EVP_PKEY_free(b.peer_key);
}

/* ---- RSA-2048: PKCS#1 v1.5 signatures over a SHA-256 digest, and PKCS#1 v1.5 encryption of a
 * 48-byte pre-master secret, on both sides with one key generated by OpenSSL at start and
 * exported into padlock's key. OpenSSL's side makes its EVP contexts per operation. ---------- */

struct rsa_bench {
    EVP_PKEY *pkey;
    pl_rsa_private key;
    uint8_t digest[32], msg[48], sig[256], scratch[256];
};

static void rsa_fail(const char *what)
{
    fprintf(stderr, "pk_bench: %s failed\n", what);
    exit(1);
}

static void ours_rsa_verify(void *arg)
{
    struct rsa_bench *b = arg;
    if (pl_rsa_pkcs1_verify(pl_rsa_private_public(&b->key), &pl_sha256_class, b->digest, 32,
                            b->sig, 256) != 0) {
        rsa_fail("padlock RSA verify");
    }
}

static EVP_PKEY_CTX *rsa_ctx(struct rsa_bench *b, int (*init)(EVP_PKEY_CTX *), int with_md)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(b->pkey, NULL);
    if (c == NULL || init(c) != 1 || EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) != 1 ||
        (with_md && EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) != 1)) {
        rsa_fail("OpenSSL RSA context");
    }
    return c;
}

static void theirs_rsa_verify(void *arg)
{
    struct rsa_bench *b = arg;
    EVP_PKEY_CTX *c = rsa_ctx(b, EVP_PKEY_verify_init, 1);
    if (EVP_PKEY_verify(c, b->sig, 256, b->digest, 32) != 1) {
        rsa_fail("OpenSSL RSA verify");
    }
    EVP_PKEY_CTX_free(c);
}

static void ours_rsa_sign(void *arg)
{
    struct rsa_bench *b = arg;
    if (pl_rsa_pkcs1_sign(&b->key, &pl_sha256_class, b->digest, 32, b->scratch, 256) != 0) {
        rsa_fail("padlock RSA sign");
    }
}

static void theirs_rsa_sign(void *arg)
{
    struct rsa_bench *b = arg;
    EVP_PKEY_CTX *c = rsa_ctx(b, EVP_PKEY_sign_init, 1);
    size_t len = sizeof b->scratch;
    if (EVP_PKEY_sign(c, b->scratch, &len, b->digest, 32) != 1) {
        rsa_fail("OpenSSL RSA sign");
    }
    EVP_PKEY_CTX_free(c);
}

static void ours_rsa_encrypt(void *arg)
{
    struct rsa_bench *b = arg;
    if (pl_rsa_pkcs1_encrypt(pl_rsa_private_public(&b->key), b->msg, 48, b->scratch, 256) != 0) {
        rsa_fail("padlock RSA encrypt");
    }
}

static void theirs_rsa_encrypt(void *arg)
{
    struct rsa_bench *b = arg;
    EVP_PKEY_CTX *c = rsa_ctx(b, EVP_PKEY_encrypt_init, 0);
    size_t len = sizeof b->scratch;
    if (EVP_PKEY_encrypt(c, b->scratch, &len, b->msg, 48) != 1) {
        rsa_fail("OpenSSL RSA encrypt");
    }
    EVP_PKEY_CTX_free(c);
}

static void bench_rsa(void)
{
    static const char *const names[8] = {
        OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,         OSSL_PKEY_PARAM_RSA_D,
        OSSL_PKEY_PARAM_RSA_FACTOR1,   OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
        OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1};
    static struct rsa_bench b;
    uint8_t parts_buf[8][256];
    size_t lens[8];
    struct pl_rsa_parts parts;
    b.pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    if (b.pkey == NULL) {
        rsa_fail("OpenSSL RSA keygen");
    }
    for (int i = 0; i < 8; i++) {
        BIGNUM *v = NULL;
        if (EVP_PKEY_get_bn_param(b.pkey, names[i], &v) != 1 || BN_num_bytes(v) > 256) {
            rsa_fail("RSA key export");
        }
        lens[i] = (size_t)BN_bn2bin(v, parts_buf[i]);
        BN_clear_free(v);
    }
    parts = (struct pl_rsa_parts){
        .n = parts_buf[0], .n_len = lens[0], .e = parts_buf[1], .e_len = lens[1],
        .d = parts_buf[2], .d_len = lens[2], .p = parts_buf[3], .p_len = lens[3],
        .q = parts_buf[4], .q_len = lens[4], .dp = parts_buf[5], .dp_len = lens[5],
        .dq = parts_buf[6], .dq_len = lens[6], .qinv = parts_buf[7], .qinv_len = lens[7],
    };
    if (pl_rsa_private_init(&b.key, &parts) != 0) {
        rsa_fail("padlock RSA key import");
    }
    memset(b.digest, 0x5a, sizeof b.digest);
    memset(b.msg, 0x03, sizeof b.msg);
    if (pl_rsa_pkcs1_sign(&b.key, &pl_sha256_class, b.digest, 32, b.sig, 256) != 0) {
        rsa_fail("padlock RSA sign");
    }
    theirs_rsa_verify(&b); /* OpenSSL accepts padlock's signature */
    compare("RSA-2048 verify", ours_rsa_verify, theirs_rsa_verify, &b);
    compare("RSA-2048 sign (CRT)", ours_rsa_sign, theirs_rsa_sign, &b);
    compare("RSA-2048 encrypt", ours_rsa_encrypt, theirs_rsa_encrypt, &b);
    pl_rsa_private_free(&b.key);
    EVP_PKEY_free(b.pkey);
}

int main(int argc, char **argv)
{
    uint8_t peer_priv[32];
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            round_seconds = atof(argv[++i]) / ROUNDS / 2;
        } else {
            fprintf(stderr, "usage: pk_bench [--seconds S]\n");
            return 2;
        }
    }
    if (pl_x25519_keygen(peer_priv, peer_pub) != 0) {
        return 1;
    }
    peer_key = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer_pub, sizeof peer_pub);
    printf("padlock %s vs %s\n", ssl_version_string(), OpenSSL_version(OPENSSL_VERSION));
    printf("%-28s %12s  %12s  %7s\n", "operation", "padlock op/s", "OpenSSL op/s", "ratio");
    compare("X25519 keygen+shared", ours_x25519, theirs_x25519, NULL);
    bench_ec(PL_EC_P256, "P-256", "P-256");
    bench_ec(PL_EC_P384, "P-384", "P-384");
    bench_rsa();
    EVP_PKEY_free(peer_key);
    return 0;
}
