/* Client certificates (mutual TLS): the identity (src/x509/identity.c: chain and key from PEM,
 * the key checked against the leaf), the choice against a CertificateRequest
 * (src/tls/msg_certificate_request.c), CertificateVerify (src/tls/msg_certificate_verify.c) and
 * the handshake that sends them (src/tls/hs_client.c), driven through the sans-I/O client by the
 * test server (tests/support/tls_test_server.c), which parses the client's chain and checks the
 * CertificateVerify signature over its own transcript.
 *
 * Groups:
 *   - the chain is sent and verified: RSA keys sign with RSA-PSS when the server offers it and
 *     PKCS #1 v1.5 when that is all it offers; EC P-256 and P-384 keys with their curve's ECDSA
 *     scheme, or the other hash; every suite family, and suites whose PRF hash differs from the
 *     signature's (the transcript hash does not depend on the PRF); the messages go in the order
 *     Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Finished, and the
 *     server's Finished still verifies; a chain over 8 KiB;
 *   - an empty Certificate instead when the chain does not fit: no scheme our key can make, a CA
 *     list naming other CAs, certificate types without our key's; and none asked, none sent;
 *   - a malformed CertificateRequest is decode_error;
 *   - configuration: the key must belong to the leaf (either order), RSA under 2048 bits,
 *     empty and overlong chains, unreadable files, an identity without its key refused at the
 *     start of the handshake, failed calls changing nothing; the public API's calls;
 *   - the test server's check is live: a CertificateVerify changed in transit fails it.
 *
 * Fixtures: tests/data/tls (the servers' PKI) and tests/data/tls/client (the clients'). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pl_test.h"

#include "base/alert.h"
#include "tts_harness.h"
#include "x509/identity.h"
#include "x509/store.h"

/* ---- fixtures -------------------------------------------------------------------------------- */

static pl_identity g_rsa, g_ec, g_ec384; /* the client identities: leaf and intermediate */

/* The servers' PKI (tts_group_setup), then the client identities. */
static int group_setup(void **state)
{
    if (tts_group_setup(state) != 0) {
        return -1;
    }
    if (tts_identity_load(&g_rsa, "rsa") != 0 || tts_identity_load(&g_ec, "ec") != 0 ||
        tts_identity_load(&g_ec384, "ec384") != 0) {
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    pl_identity_free(&g_rsa);
    pl_identity_free(&g_ec);
    pl_identity_free(&g_ec384);
    return tts_group_teardown(state);
}

/* A server for suite that asks for a client certificate (with the test server's default
 * request unless the test changes it): the EC P-256 leaf for ECDHE_ECDSA, the RSA leaf else. */
static tts_options server_for(uint16_t suite)
{
    tts_options o = tts_server_for(suite);
    o.cert_request = 1;
    return o;
}

/* ---- a connection (tts_harness.h) ------------------------------------------------------------ */

/* Client with identity id (NULL: none) started, its ClientHello read by the server, the
 * server's first flight built into s->msgs. */
static void open_with(tts_conn *k, const tts_options *o, const pl_identity *id)
{
    pl_client_config cfg;
    tts_config_default(&cfg);
    cfg.identity = id;
    tts_conn_open(k, o, &cfg, NULL);
}

/* A whole handshake with identity id: the connection is left open for the checks. */
static void connect_with(tts_conn *k, const tts_options *o, const pl_identity *id)
{
    open_with(k, o, id);
    tts_conn_connect(k, 0, 0);
}

/* The server received our chain (leaf and intermediate) and a CertificateVerify with sigalg
 * that verified over its transcript. */
static void expect_sent(const tts_conn *k, const pl_identity *id, uint16_t sigalg)
{
    assert_true(k->s->got_client_cert);
    assert_false(k->s->got_empty_certificate);
    assert_int_equal(k->s->client_cert_count, id->count);
    assert_true(k->s->got_cert_verify);
    if (k->s->cert_verify_sigalg != sigalg) {
        fail_msg("CertificateVerify signed with 0x%04x, want 0x%04x", k->s->cert_verify_sigalg,
                 sigalg);
    }
    assert_true(k->s->cert_verify_ok);
    assert_int_equal(k->c->client_cert, PL_CLIENT_CERT_SENT);
}

/* The server received an empty Certificate and no CertificateVerify; the handshake went on. */
static void expect_empty(const tts_conn *k)
{
    assert_true(k->s->got_empty_certificate);
    assert_false(k->s->got_client_cert);
    assert_false(k->s->got_cert_verify);
    assert_int_equal(k->c->client_cert, PL_CLIENT_CERT_NOT_SENT);
}

static void sends_with(const tts_options *o, const pl_identity *id, uint16_t sigalg)
{
    tts_conn k;
    connect_with(&k, o, id);
    expect_sent(&k, id, sigalg);
    tts_conn_close(&k);
}

static void sends_empty(const tts_options *o, const pl_identity *id, const char *why)
{
    tts_conn k;
    connect_with(&k, o, id);
    expect_empty(&k);
    if (strstr(k.trace, why) == NULL) {
        fail_msg("the trace does not say \"%s\":\n%s", why, k.trace);
    }
    tts_conn_close(&k);
}

/* ---- the chain is sent ----------------------------------------------------------------------- */

static void test_rsa_key_signs_with_pss_when_the_server_offers_it(void **state)
{
    static const uint16_t pss384_first[] = {PL_SIG_RSA_PKCS1_SHA256, PL_SIG_RSA_PSS_RSAE_SHA384};
    static const uint16_t pss_both[] = {PL_SIG_RSA_PSS_RSAE_SHA384, PL_SIG_RSA_PSS_RSAE_SHA256,
                                        PL_SIG_RSA_PKCS1_SHA256};
    tts_options o = server_for(0xc02f);
    (void)state;
    sends_with(&o, &g_rsa, PL_SIG_RSA_PSS_RSAE_SHA256);      /* the default: 0401 0403 0804 */
    o.cr_sigalgs = pss384_first;
    o.cr_sigalgs_count = PL_ARRAY_LEN(pss384_first);
    sends_with(&o, &g_rsa, PL_SIG_RSA_PSS_RSAE_SHA384);
    o.cr_sigalgs = pss_both;                                 /* our order, not the server's */
    o.cr_sigalgs_count = PL_ARRAY_LEN(pss_both);
    sends_with(&o, &g_rsa, PL_SIG_RSA_PSS_RSAE_SHA256);
}

static void test_rsa_key_signs_with_pkcs1_when_only_pkcs1_is_offered(void **state)
{
    static const uint16_t pkcs1[] = {PL_SIG_RSA_PKCS1_SHA256};
    static const uint16_t pkcs1_384[] = {PL_SIG_ECDSA_SECP256R1_SHA256, PL_SIG_RSA_PKCS1_SHA512,
                                         PL_SIG_RSA_PKCS1_SHA384};
    tts_options o = server_for(0xc02f);
    (void)state;
    o.cr_sigalgs = pkcs1;
    o.cr_sigalgs_count = PL_ARRAY_LEN(pkcs1);
    sends_with(&o, &g_rsa, PL_SIG_RSA_PKCS1_SHA256);
    o.cr_sigalgs = pkcs1_384;
    o.cr_sigalgs_count = PL_ARRAY_LEN(pkcs1_384);
    sends_with(&o, &g_rsa, PL_SIG_RSA_PKCS1_SHA384);
}

static void test_ec_keys_sign_with_their_curves_scheme_or_the_other_hash(void **state)
{
    static const uint16_t both[] = {PL_SIG_ECDSA_SECP384R1_SHA384, PL_SIG_ECDSA_SECP256R1_SHA256};
    static const uint16_t only256[] = {PL_SIG_RSA_PSS_RSAE_SHA256, PL_SIG_ECDSA_SECP256R1_SHA256};
    static const uint16_t only384[] = {PL_SIG_ECDSA_SECP384R1_SHA384};
    tts_options o = server_for(0xc02b);
    (void)state;
    o.cr_sigalgs = both;
    o.cr_sigalgs_count = PL_ARRAY_LEN(both);
    sends_with(&o, &g_ec, PL_SIG_ECDSA_SECP256R1_SHA256);
    sends_with(&o, &g_ec384, PL_SIG_ECDSA_SECP384R1_SHA384);
    /* in TLS 1.2 an ECDSA scheme names the hash only: either curve signs with either */
    o.cr_sigalgs = only256;
    o.cr_sigalgs_count = PL_ARRAY_LEN(only256);
    sends_with(&o, &g_ec384, PL_SIG_ECDSA_SECP256R1_SHA256);
    o.cr_sigalgs = only384;
    o.cr_sigalgs_count = PL_ARRAY_LEN(only384);
    sends_with(&o, &g_ec, PL_SIG_ECDSA_SECP384R1_SHA384);
}

/* The CertificateVerify hash is the scheme's, whatever the suite's PRF hash: each key with a
 * SHA-256 and a SHA-384 scheme under suites of both PRF hashes and every key exchange. */
static void test_transcript_hash_is_the_schemes_whatever_the_prf(void **state)
{
    static const uint16_t suites[] = {0xc02f, 0xc030, 0xc02b, 0xc02c, 0x009e, 0x009f,
                                      0x009c, 0x009d, 0xc013, 0x003d};
    static const uint16_t rsa256[] = {PL_SIG_RSA_PSS_RSAE_SHA256};
    static const uint16_t rsa384[] = {PL_SIG_RSA_PKCS1_SHA384};
    static const uint16_t ec256[] = {PL_SIG_ECDSA_SECP256R1_SHA256};
    static const uint16_t ec384[] = {PL_SIG_ECDSA_SECP384R1_SHA384};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(suites); i++) {
        if (pl_suite_by_id(suites[i]) == NULL) {
            continue;
        }
        tts_options o = server_for(suites[i]);
        o.cr_sigalgs_count = 1;
        o.cr_sigalgs = rsa256;
        sends_with(&o, &g_rsa, rsa256[0]);
        o.cr_sigalgs = rsa384;
        sends_with(&o, &g_rsa, rsa384[0]);
        o.cr_sigalgs = ec256;
        sends_with(&o, &g_ec384, ec256[0]);
        o.cr_sigalgs = ec384;
        sends_with(&o, &g_ec, ec384[0]);
    }
}

/* RFC 5246 §7.3: Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Finished;
 * with extended master secret and without (the session hash stops before CertificateVerify). */
static void test_messages_go_in_order_and_the_servers_finished_verifies(void **state)
{
    static const unsigned want[] = {PL_HS_CLIENT_HELLO, PL_HS_CERTIFICATE,
                                    PL_HS_CLIENT_KEY_EXCHANGE, PL_HS_CERTIFICATE_VERIFY,
                                    PL_HT_CCS_NAME, PL_HS_FINISHED};
    static const unsigned want_empty[] = {PL_HS_CLIENT_HELLO, PL_HS_CERTIFICATE,
                                          PL_HS_CLIENT_KEY_EXCHANGE, PL_HT_CCS_NAME,
                                          PL_HS_FINISHED};
    static const unsigned want_none[] = {PL_HS_CLIENT_HELLO, PL_HS_CLIENT_KEY_EXCHANGE,
                                         PL_HT_CCS_NAME, PL_HS_FINISHED};
    static const uint8_t types_rsa[] = {PL_CERT_TYPE_RSA_SIGN};
    (void)state;
    for (int no_ems = 0; no_ems <= 1; no_ems++) {
        tts_conn k;
        tts_options o = server_for(0xc030);
        o.no_ems = no_ems;
        connect_with(&k, &o, &g_ec384);
        assert_int_equal(k.c->ems, !no_ems);
        assert_int_equal(k.s->order_count, PL_ARRAY_LEN(want));
        assert_memory_equal(k.s->order, want, sizeof want);
        assert_null(k.c->hs);
        tts_conn_close(&k);

        o.cr_types = (pl_slice){types_rsa, sizeof types_rsa};
        connect_with(&k, &o, &g_ec384);
        expect_empty(&k);
        assert_int_equal(k.s->order_count, PL_ARRAY_LEN(want_empty));
        assert_memory_equal(k.s->order, want_empty, sizeof want_empty);
        tts_conn_close(&k);

        o.cert_request = 0;
        connect_with(&k, &o, &g_ec384);
        assert_int_equal(k.c->client_cert, PL_CLIENT_CERT_NOT_REQUESTED);
        assert_int_equal(k.s->order_count, PL_ARRAY_LEN(want_none));
        assert_memory_equal(k.s->order, want_none, sizeof want_none);
        tts_conn_close(&k);
    }
}

/* After the handshake the connection carries data both ways. */
static void test_a_mutually_authenticated_connection_carries_data(void **state)
{
    static const uint8_t ping[] = "GET / HTTP/1.1\r\n\r\n", pong[] = "HTTP/1.1 204 No\r\n\r\n";
    uint8_t buf[64];
    tts_buf b = {0};
    tts_conn k;
    tts_options o = server_for(0xcca8);
    (void)state;
    if (pl_suite_by_id(0xcca8) == NULL) {
        o = server_for(0xc02f);
    }
    connect_with(&k, &o, &g_rsa);
    expect_sent(&k, &g_rsa, PL_SIG_RSA_PSS_RSAE_SHA256);
    assert_int_equal(pl_client_write(k.c, ping, sizeof ping), (long)sizeof ping);
    assert_int_equal(tts_conn_pump(&k), 0);
    assert_int_equal(k.s->app.len, sizeof ping);
    tts_write(k.s, PL_CT_APPLICATION_DATA, pong, sizeof pong, &b);
    assert_int_equal(tts_conn_feed(&k, &b, 0), 0);
    tts_buf_free(&b);
    assert_int_equal(pl_client_read(k.c, buf, sizeof buf), (long)sizeof pong);
    assert_memory_equal(buf, pong, sizeof pong);
    tts_conn_close(&k);
}

/* The trace says which certificate went and how CertificateVerify was signed, and decodes the
 * client's Certificate and CertificateVerify. */
static void test_trace_names_the_certificate_and_the_scheme(void **state)
{
    tts_conn k;
    tts_options o = server_for(0xc02f);
    (void)state;
    connect_with(&k, &o, &g_rsa);
    static const char *const want[] = {
        "client certificate sent: CN=Padlock Test Client RSA, with 1 more certificate",
        "CertificateVerify signed with rsa_pss_rsae_sha256 over SHA-256(handshake messages",
        "signature rsa_pss_rsae_sha256",
        "2 certificates, the sender's own first",
        "subject CN=Padlock Test Client RSA",
    };
    for (size_t i = 0; i < PL_ARRAY_LEN(want); i++) {
        if (strstr(k.trace, want[i]) == NULL) {
            fail_msg("the trace lacks \"%s\":\n%s", want[i], k.trace);
        }
    }
    tts_conn_close(&k);
}

/* PEM text of DER certificates (base64, 64 columns), for chains made in the tests. */
static size_t pem_of(const pl_slice *der, size_t n, char *out, size_t cap)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t len = 0;
    for (size_t c = 0; c < n; c++) {
        len += (size_t)snprintf(out + len, cap - len, "-----BEGIN CERTIFICATE-----\n");
        size_t col = 0;
        for (size_t i = 0; i < der[c].len; i += 3) {
            uint32_t v = (uint32_t)der[c].ptr[i] << 16;
            size_t have = der[c].len - i;
            if (have > 1) {
                v |= (uint32_t)der[c].ptr[i + 1] << 8;
            }
            if (have > 2) {
                v |= der[c].ptr[i + 2];
            }
            char q[4] = {b64[(v >> 18) & 63], b64[(v >> 12) & 63],
                         have > 1 ? b64[(v >> 6) & 63] : '=', have > 2 ? b64[v & 63] : '='};
            assert_true(len + 6 < cap);
            memcpy(out + len, q, 4);
            len += 4;
            col += 4;
            if (col == 64) {
                out[len++] = '\n';
                col = 0;
            }
        }
        len += (size_t)snprintf(out + len, cap - len, "%s-----END CERTIFICATE-----\n",
                                col != 0 ? "\n" : "");
        assert_true(len < cap);
    }
    return len;
}

/* A chain of ten certificates, the leaf alone over 16 KiB (so the Certificate message takes two
 * records, and more than the client's usual output buffer), is sent whole; the extra ones are
 * the server fixtures (the server does not validate the chain). */
static void test_a_long_chain_is_sent_whole(void **state)
{
    static const char *const extras[] = {"root", "leaf-ec", "leaf-ec384", "leaf-other-host",
                                         "leaf-self", "leaf-rsa-sign-only", "leaf-rsa1024",
                                         "leaf-rsa"};
    pl_slice der[PL_IDENTITY_MAX_CHAIN];
    static char text[64 * 1024];
    pl_identity id;
    size_t total = 0;
    (void)state;
    der[0] = tts_client_fixture("rsa-big");
    der[1] = tts_client_fixture("int");
    for (size_t i = 0; i < PL_ARRAY_LEN(extras); i++) {
        der[2 + i] = tts_fixture(extras[i]);
    }
    for (size_t i = 0; i < PL_ARRAY_LEN(der); i++) {
        total += der[i].len;
    }
    assert_true(total > PL_RECORD_MAX_PLAINTEXT);
    size_t len = pem_of(der, PL_ARRAY_LEN(der), text, sizeof text);
    memset(&id, 0, sizeof id);
    assert_int_equal(pl_identity_set_chain_pem(&id, (const uint8_t *)text, len), 0);
    pl_slice key = tts_client_fixture("rsa.key");
    assert_int_equal(pl_identity_set_key_pem(&id, key.ptr, key.len), 0);
    assert_int_equal(id.count, PL_IDENTITY_MAX_CHAIN);
    tts_options o = server_for(0xc02f);
    sends_with(&o, &id, PL_SIG_RSA_PSS_RSAE_SHA256);
    pl_identity_free(&id);
}

/* ---- an empty Certificate when the chain does not fit ------------------------------------ */

static void test_no_scheme_our_key_can_make_sends_an_empty_certificate(void **state)
{
    /* SHA-512 and SHA-1 schemes are not ours; each key's kind is missing from the lists */
    static const uint16_t not_rsa[] = {PL_SIG_ECDSA_SECP256R1_SHA256, PL_SIG_RSA_PKCS1_SHA512,
                                       PL_SIG_RSA_PSS_RSAE_SHA512, 0x0201};
    static const uint16_t not_ec[] = {PL_SIG_RSA_PSS_RSAE_SHA256, PL_SIG_RSA_PKCS1_SHA384, 0x0603,
                                      0x0203};
    tts_options o = server_for(0xc02f);
    (void)state;
    o.cr_sigalgs = not_rsa;
    o.cr_sigalgs_count = PL_ARRAY_LEN(not_rsa);
    sends_empty(&o, &g_rsa, "lists no signature scheme our RSA key can make");
    o.cr_sigalgs = not_ec;
    o.cr_sigalgs_count = PL_ARRAY_LEN(not_ec);
    sends_empty(&o, &g_ec, "lists no signature scheme our EC P-256 key can make");
    sends_empty(&o, &g_ec384, "lists no signature scheme our EC P-384 key can make");
}

static void test_certificate_types_without_our_keys_send_an_empty_certificate(void **state)
{
    static const uint8_t rsa_only[] = {PL_CERT_TYPE_RSA_SIGN};
    static const uint8_t ecdsa_only[] = {PL_CERT_TYPE_ECDSA_SIGN};
    static const uint8_t others[] = {2, 3, 4, 65, 66};    /* dss_sign, fixed DH, fixed ECDH */
    static const uint16_t both[] = {PL_SIG_RSA_PSS_RSAE_SHA256, PL_SIG_ECDSA_SECP256R1_SHA256};
    tts_options o = server_for(0xc02f);
    (void)state;
    o.cr_sigalgs = both;
    o.cr_sigalgs_count = PL_ARRAY_LEN(both);
    o.cr_types = (pl_slice){ecdsa_only, sizeof ecdsa_only};
    sends_empty(&o, &g_rsa, "do not include rsa_sign (1)");
    sends_with(&o, &g_ec, PL_SIG_ECDSA_SECP256R1_SHA256);
    o.cr_types = (pl_slice){rsa_only, sizeof rsa_only};
    sends_empty(&o, &g_ec, "do not include ecdsa_sign (64)");
    sends_with(&o, &g_rsa, PL_SIG_RSA_PSS_RSAE_SHA256);
    o.cr_types = (pl_slice){others, sizeof others};
    sends_empty(&o, &g_rsa, "do not include rsa_sign");
    sends_empty(&o, &g_ec384, "do not include ecdsa_sign");
}

/* The Name of a certificate's subject, as the CA list carries it. */
static pl_slice subject_of(pl_slice der, pl_cert *c)
{
    assert_int_equal(pl_cert_parse(c, der.ptr, der.len), 0);
    return c->subject;
}

static void test_ca_list_naming_other_cas_sends_an_empty_certificate(void **state)
{
    pl_cert other, server_root;
    tts_options o = server_for(0xc02f);
    (void)state;
    o.cr_authorities[0] = subject_of(tts_client_fixture("other-ca"), &other);
    o.cr_authorities_count = 1;
    sends_empty(&o, &g_rsa, "none of the 1 certificate authorities");
    o.cr_authorities[1] = subject_of(tts_fixture("root"), &server_root);
    o.cr_authorities_count = 2;
    sends_empty(&o, &g_ec, "none of the 2 certificate authorities");
}

static void test_ca_list_naming_our_issuer_sends_the_chain(void **state)
{
    pl_cert other, root, inter, leaf;
    tts_options o = server_for(0xc02f);
    (void)state;
    o.cr_authorities[0] = subject_of(tts_client_fixture("other-ca"), &other);
    o.cr_authorities[1] = subject_of(tts_client_fixture("int"), &inter);  /* the leaf's issuer */
    o.cr_authorities_count = 2;
    sends_with(&o, &g_rsa, PL_SIG_RSA_PSS_RSAE_SHA256);
    o.cr_authorities[1] = subject_of(tts_client_fixture("ca"), &root);    /* the int's issuer */
    sends_with(&o, &g_ec, PL_SIG_ECDSA_SECP256R1_SHA256);
    o.cr_authorities[0] = subject_of(tts_client_fixture("ec384"), &leaf); /* a certificate itself */
    o.cr_authorities_count = 1;
    sends_with(&o, &g_ec384, PL_SIG_ECDSA_SECP256R1_SHA256);  /* the only ECDSA one offered */
}

/* ---- malformed CertificateRequest ------------------------------------------------------------ */

static void test_malformed_certificate_request_is_decode_error(void **state)
{
    static const struct {
        const char *what;
        uint8_t body[16];
        size_t len;
        int err;
    } cases[] = {
        {"empty body", {0}, 0, SSL_ERR_DECODE_TRUNCATED},
        {"no certificate types", {0, 0, 2, 4, 1, 0, 0}, 7, SSL_ERR_DECODE_VEC_LENGTH},
        {"no signature schemes", {1, 1, 0, 0, 0, 0}, 6, SSL_ERR_DECODE_VEC_LENGTH},
        {"odd signature list", {1, 1, 0, 3, 4, 1, 4, 0, 0}, 9, SSL_ERR_DECODE_VEC_LENGTH},
        {"types past the end", {5, 1, 64}, 3, SSL_ERR_DECODE_TRUNCATED},
        {"no authorities field", {1, 1, 0, 2, 4, 1}, 6, SSL_ERR_DECODE_TRUNCATED},
        {"empty DistinguishedName", {1, 1, 0, 2, 4, 1, 0, 2, 0, 0}, 10, SSL_ERR_DECODE_VEC_LENGTH},
        {"name past its list", {1, 1, 0, 2, 4, 1, 0, 3, 0, 5, 0x30}, 11, SSL_ERR_DECODE_TRUNCATED},
        {"trailing byte", {1, 1, 0, 2, 4, 1, 0, 0, 9}, 9, SSL_ERR_DECODE_TRAILING},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(cases); i++) {
        const pl_identity *ids[] = {NULL, &g_rsa};
        for (size_t j = 0; j < PL_ARRAY_LEN(ids); j++) {
            tts_conn k;
            tts_buf b = {0};
            uint8_t buf[8];
            tts_options o = server_for(0xc02f);
            o.cr_body = (pl_slice){cases[i].body, cases[i].len};
            open_with(&k, &o, ids[j]);
            tts_frame(k.s, &b, 0);
            int rc = tts_conn_feed(&k, &b, 0);
            tts_buf_free(&b);
            if (rc != cases[i].err) {
                fail_msg("%s: got %s, want %s", cases[i].what, tts_err_name(rc),
                         tts_err_name(cases[i].err));
            }
            assert_int_equal(pl_error_alert(rc), PL_ALERT_DECODE_ERROR);
            assert_int_equal(tts_conn_pump(&k), 0);
            assert_int_equal(k.s->alert_desc, PL_ALERT_DECODE_ERROR);
            assert_false(k.s->got_client_cert || k.s->got_empty_certificate);
            assert_int_equal(pl_client_read(k.c, buf, sizeof buf), cases[i].err);
            tts_conn_close(&k);
        }
    }
}

/* ---- the test server's check is live --------------------------------------------------------- */

/* The client's second flight with one byte of the CertificateVerify signature flipped in
 * transit: the server must find the signature wrong (and so would notice a client that signed
 * the wrong transcript). */
static void test_a_changed_certificate_verify_fails_the_servers_check(void **state)
{
    const pl_identity *ids[] = {&g_rsa, &g_ec, &g_ec384};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(ids); i++) {
        tts_conn k;
        tts_options o = server_for(0xc02f);
        open_with(&k, &o, ids[i]);
        tts_conn_expect(&k, tts_conn_flight1(&k, 0, 0), SSL_ERR_WANT_READ);
        assert_int_equal(k.c->state, PL_ST_WAIT_SERVER_CCS);
        /* the plaintext records before the ChangeCipherSpec: find CertificateVerify's */
        pl_slice out = pl_client_out(k.c);
        uint8_t *p = (uint8_t *)out.ptr;
        size_t pos = 0, flipped = 0;
        while (pos + 5 <= out.len && p[pos] == PL_CT_HANDSHAKE) {
            size_t len = (size_t)p[pos + 3] << 8 | p[pos + 4];
            if (p[pos + 5] == PL_HS_CERTIFICATE_VERIFY) {
                p[pos + 5 + len - 10] ^= 0x01;
                flipped = 1;
            }
            pos += 5 + len;
        }
        assert_true(flipped);
        assert_int_not_equal(tts_conn_pump(&k), 0);
        assert_true(k.s->got_cert_verify);
        assert_false(k.s->cert_verify_ok);
        tts_conn_close(&k);
    }
}

/* ---- configuration ----------------------------------------------------------------------- */

static void test_a_key_that_is_not_the_leafs_is_refused_either_way(void **state)
{
    static const char *const kinds[] = {"rsa", "ec", "ec384"};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(kinds); i++) {
        for (size_t j = 0; j < PL_ARRAY_LEN(kinds); j++) {
            char name[32];
            pl_identity id;
            snprintf(name, sizeof name, "%s-chain.pem", kinds[i]);
            pl_slice chain = tts_client_fixture(name);
            snprintf(name, sizeof name, "%s.key", kinds[j]);
            pl_slice key = tts_client_fixture(name);
            int want = i == j ? 0 : SSL_ERR_CLIENT_KEY_MISMATCH;
            /* chain first */
            memset(&id, 0, sizeof id);
            assert_int_equal(pl_identity_set_chain_pem(&id, chain.ptr, chain.len), 0);
            assert_int_equal(pl_identity_set_key_pem(&id, key.ptr, key.len), want);
            assert_int_equal(pl_identity_complete(&id), i == j);
            assert_int_equal(id.count, 2);      /* the chain stays */
            pl_identity_free(&id);
            /* key first */
            memset(&id, 0, sizeof id);
            assert_int_equal(pl_identity_set_key_pem(&id, key.ptr, key.len), 0);
            assert_int_equal(pl_identity_set_chain_pem(&id, chain.ptr, chain.len), want);
            assert_int_equal(pl_identity_complete(&id), i == j);
            assert_true(id.have_key);           /* the key stays */
            pl_identity_free(&id);
        }
    }
}

static void test_unusable_chains_and_keys_are_refused(void **state)
{
    static const char no_cert[] = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    static const char bad_cert[] = "-----BEGIN CERTIFICATE-----\nMAMCAQA=\n"
                                   "-----END CERTIFICATE-----\n";
    pl_identity id;
    pl_slice der[PL_IDENTITY_MAX_CHAIN + 1];
    static char text[64 * 1024];
    (void)state;
    memset(&id, 0, sizeof id);
    assert_int_equal(pl_identity_set_chain_pem(&id, (const uint8_t *)"", 0),
                     SSL_ERR_CLIENT_CHAIN_EMPTY);
    assert_int_equal(pl_identity_set_chain_pem(&id, (const uint8_t *)no_cert, sizeof no_cert - 1),
                     SSL_ERR_CLIENT_CHAIN_EMPTY);
    assert_true(pl_identity_set_chain_pem(&id, (const uint8_t *)bad_cert,
                                          sizeof bad_cert - 1) < 0);
    for (size_t i = 0; i < PL_ARRAY_LEN(der); i++) {
        der[i] = tts_client_fixture(i == 0 ? "rsa" : "int");
    }
    size_t len = pem_of(der, PL_ARRAY_LEN(der), text, sizeof text);
    assert_int_equal(pl_identity_set_chain_pem(&id, (const uint8_t *)text, len),
                     SSL_ERR_CLIENT_CHAIN_TOO_LONG);
    len = pem_of(der, PL_IDENTITY_MAX_CHAIN, text, sizeof text);
    assert_int_equal(pl_identity_set_chain_pem(&id, (const uint8_t *)text, len), 0);
    assert_int_equal(id.count, PL_IDENTITY_MAX_CHAIN);
    /* RSA-1024: refused by policy as a key and as a leaf */
    pl_slice small = tts_client_fixture("rsa1024.key");
    pl_slice small_chain = tts_client_fixture("rsa1024-chain.pem");
    assert_int_equal(pl_identity_set_key_pem(&id, small.ptr, small.len),
                     SSL_ERR_CRYPTO_RSA_KEY_TOO_SMALL);
    assert_int_equal(pl_identity_set_chain_pem(&id, small_chain.ptr, small_chain.len),
                     SSL_ERR_CRYPTO_RSA_KEY_TOO_SMALL);
    assert_int_equal(id.count, PL_IDENTITY_MAX_CHAIN);  /* failures changed nothing */
    assert_false(id.have_key);
    assert_int_equal(pl_identity_set_key_pem(&id, (const uint8_t *)no_cert, sizeof no_cert - 1) < 0,
                     1);
    assert_false(pl_identity_complete(&id));
    /* a chain and its key in one file: each call takes its own blocks */
    pl_slice chain = tts_client_fixture("ec-chain.pem"), key = tts_client_fixture("ec.key");
    memcpy(text, key.ptr, key.len);
    memcpy(text + key.len, chain.ptr, chain.len);
    assert_int_equal(pl_identity_set_chain_pem(&id, (const uint8_t *)text, key.len + chain.len),
                     0);
    assert_int_equal(pl_identity_set_key_pem(&id, (const uint8_t *)text, key.len + chain.len), 0);
    assert_true(pl_identity_complete(&id));
    assert_int_equal(id.count, 2);
    pl_identity_free(&id);
    assert_int_equal(id.count, 0);
    assert_false(id.have_key);
}

/* A chain without its key (or the reverse) fails the handshake before anything is sent. */
static void test_an_identity_without_its_key_fails_the_handshake_at_its_start(void **state)
{
    pl_identity half;
    pl_client_config cfg;
    pl_slice chain = tts_client_fixture("rsa-chain.pem"), key = tts_client_fixture("rsa.key");
    (void)state;
    for (int which = 0; which < 2; which++) {
        memset(&half, 0, sizeof half);
        if (which == 0) {
            assert_int_equal(pl_identity_set_chain_pem(&half, chain.ptr, chain.len), 0);
        } else {
            assert_int_equal(pl_identity_set_key_pem(&half, key.ptr, key.len), 0);
        }
        pl_client_config_defaults(&cfg);
        cfg.anchors = &tts_anchors;
        cfg.identity = &half;
        pl_client *c = pl_client_new(&cfg);
        assert_non_null(c);
        assert_int_equal(pl_client_set_host(c, "localhost"), 0);
        assert_int_equal(pl_client_start(c), SSL_ERR_CLIENT_KEY_MISSING);
        assert_int_equal(pl_client_out(c).len, 0);
        pl_client_free(c);
        pl_identity_free(&half);
    }
}

static char *write_temp(const char *name, pl_slice data)
{
    static char paths[4][256];
    static int next;
    char *path = paths[next++ % 4];
    snprintf(path, 256, "%s/padlock-client-auth-%ld-%s", getenv("TMPDIR") ? getenv("TMPDIR")
             : "/tmp", (long)getpid(), name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data.ptr, 1, data.len, f), data.len);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* The public calls: files and PEM text, either order, the detail of a failure, and the status
 * of a connection the server never asked. */
static void test_the_public_api_configures_a_client_certificate(void **state)
{
    pl_slice chain = tts_client_fixture("ec384-chain.pem"), key = tts_client_fixture("ec384.key");
    pl_slice other_key = tts_client_fixture("rsa.key");
    (void)state;
    char *chain_path = write_temp("chain.pem", chain);
    char *key_path = write_temp("key.pem", key);
    char *other_path = write_temp("other.key", other_key);

    ssl_ctx *ctx = ssl_ctx_new();
    assert_non_null(ctx);
    assert_int_equal(ssl_ctx_use_certificate_chain_file(ctx, "/nonexistent/chain.pem"),
                     SSL_ERR_CLIENT_FILE_READ);
    assert_non_null(strstr(ssl_ctx_get_error_detail(ctx), "/nonexistent/chain.pem"));
    assert_int_equal(ssl_ctx_use_private_key_file(ctx, "/"), SSL_ERR_CLIENT_FILE_READ);
    assert_int_equal(ssl_ctx_use_certificate_chain_file(ctx, chain_path), SSL_OK);
    assert_int_equal(ssl_ctx_use_private_key_file(ctx, other_path), SSL_ERR_CLIENT_KEY_MISMATCH);
    assert_non_null(strstr(ssl_ctx_get_error_detail(ctx), "does not belong"));
    assert_int_equal(ssl_ctx_use_private_key_file(ctx, key_path), SSL_OK);
    ssl *s = ssl_new(ctx);
    assert_non_null(s);
    assert_int_equal(ssl_get_client_cert_status(s), SSL_CLIENT_CERT_NOT_REQUESTED);
    assert_int_equal(ssl_get_client_cert_status(NULL), SSL_CLIENT_CERT_NOT_REQUESTED);
    ssl_free(s);
    ssl_ctx_free(ctx);

    ctx = ssl_ctx_new();
    assert_non_null(ctx);
    assert_int_equal(ssl_ctx_use_private_key_pem(ctx, key.ptr, key.len), SSL_OK);
    assert_int_equal(ssl_ctx_use_certificate_chain_pem(ctx, other_key.ptr, other_key.len),
                     SSL_ERR_CLIENT_CHAIN_EMPTY);
    pl_slice rsa_chain = tts_client_fixture("rsa-chain.pem");
    assert_int_equal(ssl_ctx_use_certificate_chain_pem(ctx, rsa_chain.ptr, rsa_chain.len),
                     SSL_ERR_CLIENT_KEY_MISMATCH);
    assert_int_equal(ssl_ctx_use_certificate_chain_pem(ctx, chain.ptr, chain.len), SSL_OK);
    assert_int_equal(ssl_ctx_use_certificate_chain_pem(NULL, chain.ptr, chain.len),
                     SSL_ERR_INVALID_ARGUMENT);
    assert_int_equal(ssl_ctx_use_private_key_pem(ctx, NULL, 0), SSL_ERR_INVALID_ARGUMENT);
    ssl_ctx_free(ctx);

    /* only a key: the handshake is refused at its start, before anything is sent */
    ctx = ssl_ctx_new();
    assert_non_null(ctx);
    assert_int_equal(ssl_ctx_use_private_key_pem(ctx, key.ptr, key.len), SSL_OK);
    assert_int_equal(ssl_ctx_set_verify(ctx, SSL_VERIFY_NONE_INSECURE), SSL_OK);
    s = ssl_new(ctx);
    assert_non_null(s);
    int fds[2] = {-1, -1};
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(ssl_set_fd(s, fds[1]), SSL_OK);
    assert_int_equal(ssl_connect(s), SSL_ERR_CLIENT_KEY_MISSING);
    ssl_free(s);
    ssl_ctx_free(ctx);
    close(fds[0]);
    close(fds[1]);

    unlink(chain_path);
    unlink(key_path);
    unlink(other_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* the chain is sent */
        cmocka_unit_test(test_rsa_key_signs_with_pss_when_the_server_offers_it),
        cmocka_unit_test(test_rsa_key_signs_with_pkcs1_when_only_pkcs1_is_offered),
        cmocka_unit_test(test_ec_keys_sign_with_their_curves_scheme_or_the_other_hash),
        cmocka_unit_test(test_transcript_hash_is_the_schemes_whatever_the_prf),
        cmocka_unit_test(test_messages_go_in_order_and_the_servers_finished_verifies),
        cmocka_unit_test(test_a_mutually_authenticated_connection_carries_data),
        cmocka_unit_test(test_trace_names_the_certificate_and_the_scheme),
        cmocka_unit_test(test_a_long_chain_is_sent_whole),
        /* an empty Certificate instead */
        cmocka_unit_test(test_no_scheme_our_key_can_make_sends_an_empty_certificate),
        cmocka_unit_test(test_certificate_types_without_our_keys_send_an_empty_certificate),
        cmocka_unit_test(test_ca_list_naming_other_cas_sends_an_empty_certificate),
        cmocka_unit_test(test_ca_list_naming_our_issuer_sends_the_chain),
        /* malformed requests */
        cmocka_unit_test(test_malformed_certificate_request_is_decode_error),
        /* the test server's check */
        cmocka_unit_test(test_a_changed_certificate_verify_fails_the_servers_check),
        /* configuration */
        cmocka_unit_test(test_a_key_that_is_not_the_leafs_is_refused_either_way),
        cmocka_unit_test(test_unusable_chains_and_keys_are_refused),
        cmocka_unit_test(test_an_identity_without_its_key_fails_the_handshake_at_its_start),
        cmocka_unit_test(test_the_public_api_configures_a_client_certificate),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
