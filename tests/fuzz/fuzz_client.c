/* libFuzzer target for the client state machine (src/tls/conn.c, hs_client.c, and through them
 * the record layer, the message parsers, certificate verification, the key exchanges, client
 * certificates and the trace): the input is two control bytes and then everything a server
 * sends. A fresh client
 * (trust anchor: tests/data/tls's root; host "localhost" or 127.0.0.1; verification at
 * TLS_FIXTURE_TIME) is started, the bytes are handed to it in the chunks the control byte
 * picks, the handshake and then reading are driven until the bytes run out or it fails, one
 * write and the stream's end follow, and everything is freed.
 *
 * The randomness is fixed: client_driver.c (shared with fuzz_resume.c) defines pl_random (the
 * library's own is then not linked) as a deterministic stream, seeded here and restarted for
 * every input. So the client's random, its ephemeral keys and its RSA pre-master secret are the
 * same on every run, and a recorded server flight made for them stays valid: the
 * ServerKeyExchange signature (over client_random), the server's Finished and the application
 * data records all verify on replay, and the fuzzer starts from complete connections
 * (handshake, data, HelloRequest, close_notify) instead of stopping at the first signature.
 *
 *   control byte: bits 0-2  read sizes: all that fits, 1, 2, 3, 7, 64, 512, 4096 bytes
 *                 bit 3     require extended master secret
 *                 bit 4     host 127.0.0.1 (no SNI) instead of localhost
 *                 bit 5     offer ALPN h2, http/1.1
 *                 bit 6     verification off
 *                 bit 7     trace on (every line goes to a sink)
 *   second byte:  bits 0-1  client certificate configured (tests/data/tls/client): none, RSA,
 *                           EC P-256, EC P-384 — answered to a CertificateRequest when it fits
 *                 bits 2-7  unused
 *
 * Seeds: the test server (tests/support/tls_test_server.c, linked in) plays complete
 * connections against this same client and deterministic randomness:
 *     PADLOCK_FUZZ_CLIENT_SEEDS=tests/fuzz/corpus/client build-fuzz/tests/fuzz/fuzz_client
 * writes them (and exits); each is checked to connect when replayed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_driver.h"
#include "x509/identity.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Two streams: the client's (restarted for every input) and the seed generator's server's. */
static void rng_restart(void)
{
    driver_rng_restart(0x70616463c0ffee01u, 0x736572766572aa02u);
}

/* ---- the client under test ------------------------------------------------------------------- */

static char alpn_h2[] = "h2", alpn_http11[] = "http/1.1";
static pl_identity identities[3];      /* RSA, EC P-256, EC P-384 client certificates */

static void load_identities(void)
{
    static const char *const kinds[3] = {"rsa", "ec", "ec384"};
    for (size_t i = 0; i < 3; i++) {
        if (tts_identity_load(&identities[i], kinds[i]) != 0) {
            abort();
        }
    }
}

static void make_config(pl_client_config *cfg, uint8_t control, uint8_t control2)
{
    driver_config(cfg);
    cfg->require_ems = (control & 0x08) != 0;
    if (control & 0x20) {
        cfg->alpn[0] = alpn_h2;
        cfg->alpn[1] = alpn_http11;
        cfg->alpn_count = 2;
    }
    cfg->verify = (control & 0x40) == 0;
    cfg->identity = (control2 & 3) != 0 ? &identities[(control2 & 3) - 1] : NULL;
}

static pl_client *start_client(const pl_client_config *cfg, uint8_t control, size_t *traced)
{
    return driver_start(cfg, control & 0x80, traced, control & 0x10 ? "127.0.0.1" : "localhost",
                        NULL);
}

/* What the client did with a server's stream (driver_run: it connected, the bytes of
 * application data it read, its last result; failures are sticky). */
static struct driver_outcome run_client(uint8_t control, uint8_t control2, const uint8_t *data,
                                        size_t size)
{
    pl_client_config cfg;
    size_t traced = 0;
    make_config(&cfg, control, control2);
    pl_client *c = start_client(&cfg, control, &traced);
    struct driver_outcome oc = driver_run(c, driver_chunk(control), data, size);
    driver_end(c);
    return oc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) {
        return 0;
    }
    rng_restart();
    (void)run_client(data[0], data[1], data + 2, size - 2);
    return 0;
}

/* ---- seeds ----------------------------------------------------------------------------------- */

static pl_private_key key_rsa, key_ec, key_ec384;

struct seed {
    const char *name;
    uint8_t control;
    uint16_t suite, group, sigalg;
    int ec384;                  /* the P-384 leaf for ECDHE_ECDSA */
    int cert_request, no_ems, no_etm;
    const char *alpn;
    int long_chain;             /* ten certificates: a Certificate message over 4 KiB */
    uint8_t control2;           /* the second control byte: the client certificate */
    int cr_pkcs1_only;          /* CertificateRequest lists rsa_pkcs1_sha256 only */
    int cr_other_ca;            /* ... names a CA that issued none of the client's chain */
    int cr_rsa_only;            /* ... accepts rsa_sign certificates only */
    int cert_sent;              /* the client must send its chain and CertificateVerify */
};

static const struct seed seeds[] = {
    {.name = "ecdhe-ecdsa-aes128-gcm-x25519", .control = 0x00, .suite = 0xc02b,
     .group = PL_GROUP_X25519, .sigalg = PL_SIG_ECDSA_SECP256R1_SHA256},
    {.name = "ecdhe-ecdsa-aes256-gcm-p384", .control = 0x01, .suite = 0xc02c,
     .group = PL_GROUP_SECP384R1, .sigalg = PL_SIG_ECDSA_SECP384R1_SHA384, .ec384 = 1},
    {.name = "ecdhe-ecdsa-chacha20-p256", .control = 0x82, .suite = 0xcca9,
     .group = PL_GROUP_SECP256R1, .sigalg = PL_SIG_ECDSA_SECP256R1_SHA256, .cert_request = 1},
    {.name = "ecdhe-rsa-aes128-gcm-pss", .control = 0x03, .suite = 0xc02f,
     .group = PL_GROUP_X25519, .sigalg = PL_SIG_RSA_PSS_RSAE_SHA256},
    {.name = "ecdhe-rsa-aes256-gcm-pkcs1", .control = 0x14, .suite = 0xc030,
     .group = PL_GROUP_SECP256R1, .sigalg = PL_SIG_RSA_PKCS1_SHA384},
    {.name = "ecdhe-rsa-chacha20-alpn", .control = 0x25, .suite = 0xcca8,
     .group = PL_GROUP_X25519, .sigalg = PL_SIG_RSA_PSS_RSAE_SHA512, .alpn = "h2"},
    {.name = "dhe-rsa-aes128-gcm-ffdhe2048", .control = 0x06, .suite = 0x009e,
     .group = PL_GROUP_FFDHE2048, .sigalg = PL_SIG_RSA_PSS_RSAE_SHA256, .cert_request = 1},
    {.name = "dhe-rsa-aes256-gcm-ffdhe2048", .control = 0x87, .suite = 0x009f,
     .group = PL_GROUP_FFDHE2048, .sigalg = PL_SIG_RSA_PKCS1_SHA512},
    {.name = "dhe-rsa-chacha20-ffdhe2048", .control = 0x08, .suite = 0xccaa,
     .group = PL_GROUP_FFDHE2048, .sigalg = PL_SIG_RSA_PSS_RSAE_SHA384},
    {.name = "rsa-aes128-gcm", .control = 0x00, .suite = 0x009c},
    {.name = "rsa-aes256-gcm-cert-request", .control = 0x83, .suite = 0x009d, .cert_request = 1},
    {.name = "rsa-aes128-gcm-no-ems", .control = 0x40, .suite = 0x009c, .no_ems = 1},
    {.name = "ecdhe-rsa-no-ems-required", .control = 0x08, .suite = 0xc02f,
     .group = PL_GROUP_X25519, .sigalg = PL_SIG_RSA_PSS_RSAE_SHA256, .no_ems = 1},
    {.name = "ecdhe-ecdsa-no-verify-trace", .control = 0xc0, .suite = 0xc02b,
     .group = PL_GROUP_X25519, .sigalg = PL_SIG_ECDSA_SECP256R1_SHA256},
    {.name = "ecdhe-rsa-ten-certificates", .control = 0x85, .suite = 0xc02f,
     .group = PL_GROUP_X25519, .sigalg = PL_SIG_RSA_PSS_RSAE_SHA256, .long_chain = 1},
    /* CBC: encrypt-then-MAC, and MAC-then-encrypt when the server does not agree to it */
    {.name = "ecdhe-rsa-aes128-cbc-sha-etm", .control = 0x00, .suite = 0xc013,
     .group = PL_GROUP_X25519, .sigalg = PL_SIG_RSA_PSS_RSAE_SHA256},
    {.name = "ecdhe-ecdsa-aes256-cbc-sha-mte", .control = 0x02, .suite = 0xc00a,
     .group = PL_GROUP_SECP256R1, .sigalg = PL_SIG_ECDSA_SECP256R1_SHA256, .no_etm = 1},
    {.name = "rsa-aes128-cbc-sha256-etm", .control = 0x80, .suite = 0x003c},
    {.name = "rsa-aes256-cbc-sha-mte", .control = 0x04, .suite = 0x0035, .no_etm = 1},
    /* client certificates: sent (RSA-PSS, PKCS #1, ECDSA; a SHA-256 signature under a SHA-384
     * PRF), and not sent because the request does not fit (another CA, the wrong type) */
    {.name = "ecdhe-rsa-client-rsa-pss", .control = 0x00, .suite = 0xc02f,
     .group = PL_GROUP_X25519, .sigalg = PL_SIG_RSA_PSS_RSAE_SHA256, .cert_request = 1,
     .control2 = 1, .cert_sent = 1},
    {.name = "rsa-client-rsa-pkcs1-trace", .control = 0x83, .suite = 0x009c, .cert_request = 1,
     .control2 = 1, .cr_pkcs1_only = 1, .cert_sent = 1},
    {.name = "ecdhe-ecdsa-client-ec-p256", .control = 0x02, .suite = 0xc02b,
     .group = PL_GROUP_SECP256R1, .sigalg = PL_SIG_ECDSA_SECP256R1_SHA256, .cert_request = 1,
     .control2 = 2, .cert_sent = 1},
    {.name = "ecdhe-rsa-aes256-client-ec-p384", .control = 0x05, .suite = 0xc030,
     .group = PL_GROUP_X25519, .sigalg = PL_SIG_RSA_PKCS1_SHA384, .cert_request = 1,
     .control2 = 3, .cert_sent = 1},
    {.name = "dhe-rsa-client-other-ca", .control = 0x80, .suite = 0x009e,
     .group = PL_GROUP_FFDHE2048, .sigalg = PL_SIG_RSA_PSS_RSAE_SHA256, .cert_request = 1,
     .control2 = 1, .cr_other_ca = 1},
    {.name = "ecdhe-rsa-client-ec-rsa-sign-only", .control = 0x81, .suite = 0xc02f,
     .group = PL_GROUP_X25519, .sigalg = PL_SIG_RSA_PSS_RSAE_SHA256, .cert_request = 1,
     .control2 = 2, .cr_rsa_only = 1},
};

/* One complete connection between the test server and the client, both on the fixed streams;
 * the server's bytes (after the two control bytes) are the seed. */
static void make_seed(const struct seed *sd, const char *dir)
{
    static const uint8_t response[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    static const uint8_t hello_request[4] = {PL_HS_HELLO_REQUEST, 0, 0, 0};
    static const uint8_t more[] = "and more";
    static const uint8_t close_notify[2] = {1, 0};
    const pl_suite *suite = pl_suite_by_id(sd->suite);
    tts_options o;
    if (suite == NULL) {
        fprintf(stderr, "seed %s: suite 0x%04x not in this padlock, skipped\n", sd->name,
                sd->suite);
        return;
    }
    tts_buf stream = {0};
    pl_client_config cfg;
    size_t traced = 0;
    memset(&o, 0, sizeof o);
    o.suite = sd->suite;
    o.group = sd->group;
    o.sigalg = sd->sigalg;
    if (suite->kx == PL_KX_ECDHE_ECDSA) {
        o.key = sd->ec384 ? &key_ec384 : &key_ec;
        o.chain[0] = driver_fixture(sd->ec384 ? "leaf-ec384" : "leaf-ec");
    } else {
        o.key = &key_rsa;
        o.chain[0] = driver_fixture("leaf-rsa");
    }
    o.chain[1] = driver_fixture("int");
    o.chain_count = 2;
    if (sd->long_chain) {
        static const char *const extras[] = {"root", "leaf-ec", "leaf-ec384", "leaf-other-host",
                                             "leaf-self", "leaf-rsa-sign-only", "leaf-rsa1024",
                                             "leaf-ec-agree-only"};
        for (size_t i = 0; i < PL_ARRAY_LEN(extras); i++) {
            o.chain[o.chain_count++] = driver_fixture(extras[i]);
        }
    }
    o.cert_request = sd->cert_request;
    static const uint16_t pkcs1_only[] = {PL_SIG_RSA_PKCS1_SHA256};
    static const uint8_t rsa_only[] = {PL_CERT_TYPE_RSA_SIGN};
    pl_cert other_ca;
    if (sd->cr_pkcs1_only) {
        o.cr_sigalgs = pkcs1_only;
        o.cr_sigalgs_count = 1;
    }
    if (sd->cr_rsa_only) {
        o.cr_types = (pl_slice){rsa_only, sizeof rsa_only};
    }
    if (sd->cr_other_ca) {
        pl_slice der = driver_client_fixture("other-ca");
        if (pl_cert_parse(&other_ca, der.ptr, der.len) != 0) {
            abort();
        }
        o.cr_authorities[0] = other_ca.subject;
        o.cr_authorities_count = 1;
    }
    o.no_ems = sd->no_ems;
    o.no_etm = sd->no_etm;
    o.alpn = sd->alpn;

    rng_restart();
    make_config(&cfg, sd->control, sd->control2);
    pl_client *c = start_client(&cfg, sd->control, &traced);
    tts_server *s = driver_server_first_flight(c, &o, &stream);
    driver_rng_use(DRIVER_CLIENT);
    driver_give_all(c, stream.ptr, stream.len);
    int rc = pl_client_handshake(c);
    if (rc == SSL_ERR_WANT_READ) {
        /* the client's flight, then the server's */
        driver_rng_use(DRIVER_SERVER);
        pl_slice out = pl_client_out(c);
        if (tts_recv(s, out.ptr, out.len) != 0 || tts_send_finished(s, &stream) != 0) {
            abort();
        }
        /* the test server checked the CertificateVerify (tts_recv fails when it does not) */
        if (s->got_client_cert != sd->cert_sent || s->cert_verify_ok != sd->cert_sent ||
            (sd->cert_request && !sd->cert_sent && !s->got_empty_certificate)) {
            fprintf(stderr, "seed %s: client certificate %s, expected %s\n", sd->name,
                    s->got_client_cert ? "sent" : "not sent", sd->cert_sent ? "sent" : "none");
            abort();
        }
        tts_write(s, PL_CT_APPLICATION_DATA, response, sizeof response - 1, &stream);
        tts_write(s, PL_CT_HANDSHAKE, hello_request, sizeof hello_request, &stream);
        tts_write(s, PL_CT_APPLICATION_DATA, more, sizeof more - 1, &stream);
        tts_write(s, PL_CT_ALERT, close_notify, sizeof close_notify, &stream);
    }
    driver_rng_use(DRIVER_CLIENT);
    pl_client_free(c);
    tts_free(s);

    /* replayed the way the fuzzer will, the seed must do what it was made for */
    rng_restart();
    struct driver_outcome oc = run_client(sd->control, sd->control2, stream.ptr, stream.len);
    int want_connected = !(sd->no_ems && (sd->control & 0x08));
    fprintf(stderr, "seed %-32s %5zu bytes: %s, %zu bytes of data, ends with %s\n", sd->name,
            stream.len + 2, oc.connected ? "connected" : "refused", oc.app_bytes,
            ssl_error_name(oc.final) != NULL ? ssl_error_name(oc.final) : "0");
    if (oc.connected != want_connected || (want_connected && (oc.final != 0 ||
        oc.app_bytes != sizeof response - 1 + sizeof more - 1))) {
        fprintf(stderr, "seed %s does not replay as made\n", sd->name);
        abort();
    }
    const uint8_t control[2] = {sd->control, sd->control2};
    driver_write_seed(dir, sd->name, control, sizeof control, &stream);
    tts_buf_free(&stream);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    driver_init();
    load_identities();
    const char *dir = getenv("PADLOCK_FUZZ_CLIENT_SEEDS");
    if (dir != NULL) {
        driver_load_key(&key_rsa, "server-rsa.key");
        driver_load_key(&key_ec, "server-ec.key");
        driver_load_key(&key_ec384, "server-ec384.key");
        for (size_t i = 0; i < PL_ARRAY_LEN(seeds); i++) {
            make_seed(&seeds[i], dir);
        }
        pl_key_private_free(&key_rsa);
        pl_key_private_free(&key_ec);
        pl_key_private_free(&key_ec384);
        for (size_t i = 0; i < PL_ARRAY_LEN(identities); i++) {
            pl_identity_free(&identities[i]);
        }
        driver_free();
        exit(0);
    }
    return 0;
}
