/* crypto_bench: padlock's symmetric crypto beside OpenSSL's libcrypto (EVP), measured in the same
 * run on the same buffers, and the ratio ours / OpenSSL (higher is better for padlock).
 *
 *   crypto_bench [--seconds S] [--portable] [--only SUBSTRING]
 *
 * Each figure is the best of several short rounds of process CPU time, with padlock's and
 * OpenSSL's rounds interleaved, so that a noisy shared machine disturbs both alike. AEAD figures
 * are one seal (or open) of a record-sized message with a 13-byte AAD, as TLS does per record;
 * HMAC includes keying per message. This is a program, not a test: it asserts nothing about speed. */
#define _POSIX_C_SOURCE 200809L
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/cpu.h"
#include "crypto/aead.h"
#include "crypto/hash.h"
#include "crypto/hmac.h"

#define ROUNDS 7

static double round_seconds = 0.15;

typedef void (*op_fn)(void *arg, size_t len);

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Bytes per second of one round: repeat op until round_seconds of CPU time have passed. */
static double one_round(op_fn op, void *arg, size_t len)
{
    double start = cpu_now(), elapsed;
    size_t iterations = 0;
    do {
        for (int i = 0; i < 16; i++) {
            op(arg, len);
        }
        iterations += 16;
        elapsed = cpu_now() - start;
    } while (elapsed < round_seconds);
    return (double)iterations * (double)len / elapsed;
}

static void compare(const char *name, const char *impl, size_t len, op_fn ours, void *our_arg,
                    op_fn theirs, void *their_arg)
{
    double best_ours = 0, best_theirs = 0;
    for (int r = 0; r < ROUNDS; r++) {
        double a = one_round(ours, our_arg, len);
        double b = one_round(theirs, their_arg, len);
        best_ours = a > best_ours ? a : best_ours;
        best_theirs = b > best_theirs ? b : best_theirs;
    }
    printf("%-24s %6zu  %10.1f  %10.1f  %6.2fx  %s\n", name, len, best_ours / 1e6,
           best_theirs / 1e6, best_ours / best_theirs, impl);
    fflush(stdout);
}

static uint8_t *in_buf, *out_buf;
static const uint8_t key[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const uint8_t nonce[12] = {0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t aad[13] = {0, 0, 0, 0, 0, 0, 0, 1, 23, 3, 3, 0x40, 0};
static uint8_t sink[64];

/* ---- hashes and HMAC ------------------------------------------------------------------------ */

static void ours_sha256(void *arg, size_t len)
{
    (void)arg;
    pl_sha256(in_buf, len, sink);
}

static void theirs_sha256(void *arg, size_t len)
{
    unsigned int n;
    EVP_Digest(in_buf, len, sink, &n, (const EVP_MD *)arg, NULL);
}

static void ours_hmac_sha256(void *arg, size_t len)
{
    (void)arg;
    pl_hmac(&pl_sha256_class, key, 32, in_buf, len, sink);
}

static void theirs_hmac_sha256(void *arg, size_t len)
{
    unsigned int n;
    HMAC((const EVP_MD *)arg, key, 32, in_buf, len, sink, &n);
}

/* ---- AEADs ---------------------------------------------------------------------------------- */

struct our_aead {
    const pl_aead_class *cls;
    pl_aead_ctx ctx;
    uint8_t tag[16];
};

struct their_aead {
    EVP_CIPHER_CTX *enc;
    EVP_CIPHER_CTX *dec;
    uint8_t tag[16];
};

static void ours_seal(void *arg, size_t len)
{
    struct our_aead *a = arg;
    a->cls->seal(&a->ctx, nonce, aad, sizeof aad, in_buf, out_buf, len, a->tag);
}

static void ours_open(void *arg, size_t len)
{
    struct our_aead *a = arg;
    if (a->cls->open(&a->ctx, nonce, aad, sizeof aad, in_buf, out_buf, len, a->tag) != 0) {
        fprintf(stderr, "crypto_bench: padlock open failed on its own ciphertext\n");
        exit(1);
    }
}

static void theirs_seal(void *arg, size_t len)
{
    struct their_aead *a = arg;
    int n;
    EVP_EncryptInit_ex(a->enc, NULL, NULL, NULL, nonce);
    EVP_EncryptUpdate(a->enc, NULL, &n, aad, (int)sizeof aad);
    EVP_EncryptUpdate(a->enc, out_buf, &n, in_buf, (int)len);
    EVP_EncryptFinal_ex(a->enc, out_buf + n, &n);
    EVP_CIPHER_CTX_ctrl(a->enc, EVP_CTRL_AEAD_GET_TAG, 16, a->tag);
}

static void theirs_open(void *arg, size_t len)
{
    struct their_aead *a = arg;
    int n;
    EVP_DecryptInit_ex(a->dec, NULL, NULL, NULL, nonce);
    EVP_CIPHER_CTX_ctrl(a->dec, EVP_CTRL_AEAD_SET_TAG, 16, a->tag);
    EVP_DecryptUpdate(a->dec, NULL, &n, aad, (int)sizeof aad);
    EVP_DecryptUpdate(a->dec, out_buf, &n, in_buf, (int)len);
    if (EVP_DecryptFinal_ex(a->dec, out_buf + n, &n) != 1) {
        fprintf(stderr, "crypto_bench: OpenSSL open failed on its own ciphertext\n");
        exit(1);
    }
}

static void bench_aead(const char *name, enum pl_aead_alg alg, const EVP_CIPHER *cipher,
                       const size_t *sizes, size_t nsizes)
{
    struct our_aead ours;
    struct their_aead theirs;
    char label[64];
    ours.cls = pl_aead_best(alg);
    ours.cls->init(&ours.ctx, key);
    theirs.enc = EVP_CIPHER_CTX_new();
    theirs.dec = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(theirs.enc, cipher, NULL, key, nonce);
    EVP_DecryptInit_ex(theirs.dec, cipher, NULL, key, nonce);
    for (size_t i = 0; i < nsizes; i++) {
        snprintf(label, sizeof label, "%s seal", name);
        compare(label, ours.cls->impl, sizes[i], ours_seal, &ours, theirs_seal, &theirs);
    }
    for (size_t i = 0; i < nsizes; i++) {
        /* open needs the ciphertext of in_buf's contents under each library's own tag */
        uint8_t *saved = in_buf;
        uint8_t *ct = malloc(sizes[i]);
        ours.cls->seal(&ours.ctx, nonce, aad, sizeof aad, saved, ct, sizes[i], ours.tag);
        in_buf = ct;
        theirs_seal(&theirs, 0); /* reset state */
        memcpy(theirs.tag, ours.tag, 16); /* same algorithm, same key and nonce: same tag */
        snprintf(label, sizeof label, "%s open", name);
        compare(label, ours.cls->impl, sizes[i], ours_open, &ours, theirs_open, &theirs);
        in_buf = saved;
        free(ct);
    }
    pl_wipe(&ours.ctx, sizeof ours.ctx);
    EVP_CIPHER_CTX_free(theirs.enc);
    EVP_CIPHER_CTX_free(theirs.dec);
}

static int wanted(const char *only, const char *name)
{
    return only == NULL || strstr(name, only) != NULL;
}

int main(int argc, char **argv)
{
    static const size_t sizes[] = {16384, 1024};
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            round_seconds = atof(argv[++i]) / ROUNDS / 2;
        } else if (strcmp(argv[i], "--portable") == 0) {
            pl_cpu_restrict(0);
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            only = argv[++i];
        } else {
            fprintf(stderr, "usage: crypto_bench [--seconds S] [--portable] [--only NAME]\n");
            return 2;
        }
    }
    in_buf = malloc(sizes[0]);
    out_buf = malloc(sizes[0]);
    for (size_t i = 0; i < sizes[0]; i++) {
        in_buf[i] = (uint8_t)(i * 7 + 3);
    }
    printf("padlock %s vs %s; cpu features 0x%x%s\n", ssl_version_string(),
           OpenSSL_version(OPENSSL_VERSION), pl_cpu_features(),
           pl_cpu_features() == 0 ? " (portable code only)" : "");
    printf("%-24s %6s  %10s  %10s  %7s  %s\n", "algorithm", "bytes", "padlock MB/s",
           "OpenSSL MB/s", "ratio", "padlock implementation");

    for (size_t i = 0; i < PL_ARRAY_LEN(sizes); i++) {
        if (wanted(only, "SHA-256")) {
            compare("SHA-256", "", sizes[i], ours_sha256, NULL, theirs_sha256,
                    (void *)EVP_sha256());
        }
    }
    for (size_t i = 0; i < PL_ARRAY_LEN(sizes); i++) {
        if (wanted(only, "HMAC-SHA256")) {
            compare("HMAC-SHA256", "", sizes[i], ours_hmac_sha256, NULL, theirs_hmac_sha256,
                    (void *)EVP_sha256());
        }
    }
    if (wanted(only, "AES-128-GCM")) {
        bench_aead("AES-128-GCM", PL_AEAD_AES128_GCM, EVP_aes_128_gcm(), sizes, 2);
    }
    if (wanted(only, "AES-256-GCM")) {
        bench_aead("AES-256-GCM", PL_AEAD_AES256_GCM, EVP_aes_256_gcm(), sizes, 2);
    }
    if (wanted(only, "ChaCha20-Poly1305")) {
        bench_aead("ChaCha20-Poly1305", PL_AEAD_CHACHA20_POLY1305, EVP_chacha20_poly1305(), sizes,
                   2);
    }
    free(in_buf);
    free(out_buf);
    return 0;
}
