/* pk_bench: padlock's public-key operations beside OpenSSL's libcrypto, measured in the same run,
 * in operations per second, and the ratio ours / OpenSSL (higher is better for padlock).
 *
 *   pk_bench [--seconds S]
 *
 * Each figure is the best of several short rounds of process CPU time, padlock's and OpenSSL's
 * rounds interleaved. So far: X25519 (a key pair plus one shared secret per operation, as a TLS
 * client does per handshake). P-256/P-384 and RSA rows arrive with them (issue 3). */
#define _POSIX_C_SOURCE 200809L
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    EVP_PKEY_free(peer_key);
    return 0;
}
