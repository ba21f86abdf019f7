/* The client state machine (src/tls/conn.c, hs_client.c) driven through its sans-I/O interface
 * by a test server (tests/support/tls_test_server.c) built from padlock's own primitives, with
 * the certificates and keys of tests/data/tls/ at a fixed verification time.
 *
 * Groups:
 *   - good handshakes: every suite, group and signature scheme, then application data both
 *     ways, close_notify, truncation; each flight fed whole, byte by byte, in odd chunks and in
 *     records of any size (seeded random splits too);
 *   - the negotiation options: extended master secret (and requiring it), ALPN, SNI, IP
 *     literals, CertificateRequest, the key log line;
 *   - every wrong message order: each handshake message the client does not expect, in every
 *     state, and ChangeCipherSpec and application data too early;
 *   - every bad field of ServerHello, Certificate, ServerKeyExchange, ServerHelloDone and
 *     Finished, each refused with its own error and alert (plaintext before the client's
 *     ChangeCipherSpec, encrypted under the client's key after it);
 *   - the record layer as the client sees it: truncated, oversized, empty, interleaved, unknown
 *     records; alerts from the server;
 *   - after the handshake: HelloRequest answered with a no_renegotiation warning, EOF without
 *     close_notify as truncation, failures sticky;
 *   - properties: any byte of the first flight changed, or the flight cut anywhere, never gives
 *     a connection (the error's own alert is sent, nothing more);
 *   - recorded flights (the shared vectors' tls12-trace, skipped when absent): an OpenSSL
 *     server's flight replayed to a new client is refused at the signature, which binds the
 *     recorded client_random; the Illustrated TLS 1.2 server's certificate names its host only
 *     in the CN, and its signature too is over another client_random.
 *
 * Every connection runs with the trace on, so the trace printer reads every flight too. Random
 * tests print their seed (PADLOCK_TEST_SEED repeats a run). */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "base/alert.h"
#include "crypto/dh.h"
#include "tts_harness.h"
#include "x509/store.h"

/* ---- connections (tts_harness.h) ------------------------------------------------------------- */

/* The ways the refusal tests feed the first flight: (record size, chunk size). */
static const size_t feed_plans[][2] = {
    {0, 0},                 /* one record per message, all at once */
    {0, 1},                 /* byte by byte */
    {TTS_COALESCE, 7},      /* all messages in one record, 7 bytes at a time */
    {5, 0},                 /* records of 5 bytes */
};

typedef void (*edit_fn)(tts_conn *k);

/* The server with options o (edited by edit, if any) makes the client fail in its first flight
 * with err and alert, whichever way the flight is fed. */
static void refused_with(const tts_options *o, const pl_client_config *cfg, const char *host,
                         edit_fn edit, int err, int alert)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(feed_plans); i++) {
        tts_conn k;
        tts_conn_open(&k, o, cfg, host);
        if (edit != NULL) {
            edit(&k);
        }
        int rc = tts_conn_flight1(&k, feed_plans[i][0], feed_plans[i][1]);
        tts_conn_expect_refused(&k, rc, err, alert);
        tts_conn_close(&k);
    }
}

static void refused(const tts_options *o, int err, int alert)
{
    refused_with(o, NULL, NULL, NULL, err, alert);
}

/* Application data both ways, then the server's close_notify ends reading with 0. */
static void exchange_data_and_close(tts_conn *k)
{
    static const uint8_t ping[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    static const uint8_t pong[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    uint8_t buf[256];
    tts_buf b = {0};

    tts_conn_client_writes(k, ping, sizeof ping);

    tts_write(k->s, PL_CT_APPLICATION_DATA, pong, sizeof pong, &b);
    static const uint8_t close_notify[2] = {1, PL_ALERT_CLOSE_NOTIFY};
    tts_write(k->s, PL_CT_ALERT, close_notify, sizeof close_notify, &b);
    tts_give(k->c, b.ptr, b.len);
    tts_buf_free(&b);
    assert_int_equal(pl_client_read(k->c, buf, sizeof buf), (long)sizeof pong);
    assert_memory_equal(buf, pong, sizeof pong);
    assert_int_equal(pl_client_read(k->c, buf, sizeof buf), 0);
    assert_int_equal(pl_client_read(k->c, buf, sizeof buf), 0);

    assert_int_equal(pl_client_close(k->c), 0);
    assert_int_equal(tts_conn_pump(k), 0);
    assert_int_equal(k->s->alert_level, 1);
    assert_int_equal(k->s->alert_desc, PL_ALERT_CLOSE_NOTIFY);
    assert_true(k->s->alert_encrypted);
    assert_int_equal(pl_client_write(k->c, ping, 1), SSL_ERR_CLOSED);
    assert_int_equal(k->c->error, 0);
}

/* A whole connection: handshake fed as planned, data, close. */
static void connects(const tts_options *o, const pl_client_config *cfg, const char *host,
                     size_t fragment, size_t chunk)
{
    tts_conn k;
    tts_conn_open(&k, o, cfg, host);
    tts_conn_connect(&k, fragment, chunk);
    assert_int_equal(k.c->suite->id, o->suite);
    assert_memory_equal(k.c->master, k.s->master, PL_TLS_MASTER_LEN);
    assert_true(k.trace_lines >= 10);
    exchange_data_and_close(&k);
    tts_conn_close(&k);
}

/* ---- editing the flight ---------------------------------------------------------------------- */

static size_t msg_index(tts_conn *k, uint8_t type)
{
    for (size_t i = 0; i < k->s->msg_count; i++) {
        if (k->s->msgs[i].ptr[0] == type) {
            return i;
        }
    }
    fail_msg("no message of type %u in the flight", type);
    return 0;
}

static void msg_insert(tts_conn *k, size_t at, const uint8_t *bytes, size_t len)
{
    tts_server *s = k->s;
    assert_true(s->msg_count < TTS_MAX_MSGS && at <= s->msg_count);
    tts_buf spare = s->msgs[s->msg_count];
    memmove(&s->msgs[at + 1], &s->msgs[at], (s->msg_count - at) * sizeof s->msgs[0]);
    s->msgs[at] = spare;
    s->msgs[at].len = 0;
    tts_buf_add(&s->msgs[at], bytes, len);
    s->msg_count++;
}

static void msg_drop(tts_conn *k, size_t at)
{
    tts_server *s = k->s;
    assert_true(at < s->msg_count);
    tts_buf gone = s->msgs[at];
    memmove(&s->msgs[at], &s->msgs[at + 1], (s->msg_count - at - 1) * sizeof s->msgs[0]);
    s->msgs[--s->msg_count] = gone;
}

/* The message body grows or shrinks by delta bytes at its end; the header's length follows. */
static void msg_resize(tts_buf *m, long delta)
{
    if (delta > 0) {
        static const uint8_t zeros[64];
        assert_true((size_t)delta <= sizeof zeros);
        tts_buf_add(m, zeros, (size_t)delta);
    } else {
        assert_true((size_t)-delta <= m->len - 4);
        m->len -= (size_t)-delta;
    }
    size_t body = m->len - 4;
    m->ptr[1] = (uint8_t)(body >> 16);
    m->ptr[2] = (uint8_t)(body >> 8);
    m->ptr[3] = (uint8_t)body;
}

/* ---- good handshakes ------------------------------------------------------------------------- */

static void test_handshake_completes_with_every_suite(void **state)
{
    (void)state;
    for (size_t i = 0; i < pl_suites_count; i++) {
        tts_options o = tts_server_for(pl_suites[i].id);
        print_message("%s\n", pl_suites[i].name);
        connects(&o, NULL, NULL, 0, 0);
    }
}

static void test_handshake_completes_with_every_group(void **state)
{
    static const uint16_t groups[] = {PL_GROUP_X25519, PL_GROUP_SECP256R1, PL_GROUP_SECP384R1};
    static const uint16_t ffdhe[] = {PL_GROUP_FFDHE2048, PL_GROUP_FFDHE3072};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(groups); i++) {
        tts_options o = tts_server_for(0xc02f);
        tts_conn k;
        o.group = groups[i];
        tts_conn_open(&k, &o, NULL, NULL);
        tts_conn_connect(&k, 0, 0);
        assert_int_equal(k.c->group, groups[i]);
        assert_string_equal(k.c->group_name, pl_group_name(groups[i]));
        exchange_data_and_close(&k);
        tts_conn_close(&k);
    }
    for (size_t i = 0; i < PL_ARRAY_LEN(ffdhe); i++) {
        tts_options o = tts_server_for(0x009e);
        tts_conn k;
        o.group = ffdhe[i];
        tts_conn_open(&k, &o, NULL, NULL);
        tts_conn_connect(&k, 0, 0);
        assert_int_equal(k.c->group, ffdhe[i]);
        exchange_data_and_close(&k);
        tts_conn_close(&k);
    }
}

static void test_handshake_completes_with_every_signature_scheme(void **state)
{
    static const struct {
        uint16_t suite, sigalg;
        const char *leaf;
        const pl_private_key *key;
    } rows[] = {
        {0xc02f, PL_SIG_RSA_PSS_RSAE_SHA256, "leaf-rsa", &tts_key_rsa},
        {0xc02f, PL_SIG_RSA_PSS_RSAE_SHA384, "leaf-rsa", &tts_key_rsa},
        {0xc02f, PL_SIG_RSA_PSS_RSAE_SHA512, "leaf-rsa", &tts_key_rsa},
        {0xc02f, PL_SIG_RSA_PKCS1_SHA256, "leaf-rsa", &tts_key_rsa},
        {0xc02f, PL_SIG_RSA_PKCS1_SHA384, "leaf-rsa", &tts_key_rsa},
        {0xc02f, PL_SIG_RSA_PKCS1_SHA512, "leaf-rsa", &tts_key_rsa},
        {0x009e, PL_SIG_RSA_PKCS1_SHA256, "leaf-rsa", &tts_key_rsa},
        {0xc02b, PL_SIG_ECDSA_SECP256R1_SHA256, "leaf-ec", &tts_key_ec},
        {0xc02b, PL_SIG_ECDSA_SECP384R1_SHA384, "leaf-ec384", &tts_key_ec384},
        /* TLS 1.2's ECDSA schemes name the hash only; the curve is the certificate's */
        {0xc02b, PL_SIG_ECDSA_SECP384R1_SHA384, "leaf-ec", &tts_key_ec},
        {0xc02c, PL_SIG_ECDSA_SECP256R1_SHA256, "leaf-ec384", &tts_key_ec384},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(rows); i++) {
        tts_options o = tts_server_with(rows[i].suite, rows[i].leaf, rows[i].key);
        o.sigalg = rows[i].sigalg;
        print_message("%s with %s\n", pl_sigalg_name(rows[i].sigalg), rows[i].leaf);
        connects(&o, NULL, NULL, 0, 0);
    }
}

/* The same handshake however the bytes are cut: records of 1 byte up to one record for the
 * whole flight, and the stream handed over 1 byte at a time up to all at once. */
static void test_handshake_completes_whatever_the_record_and_read_sizes(void **state)
{
    static const size_t fragments[] = {0, 1, 2, 3, 7, 100, 1000, TTS_COALESCE};
    static const size_t chunks[] = {0, 1, 2, 5, 13, 64, 999};
    static const uint16_t suites[] = {0xc02b, 0xcca8, 0x009d};
    (void)state;
    for (size_t s = 0; s < PL_ARRAY_LEN(suites); s++) {
        for (size_t f = 0; f < PL_ARRAY_LEN(fragments); f++) {
            tts_options o = tts_server_for(suites[s]);
            connects(&o, NULL, NULL, fragments[f], 0);
        }
        for (size_t c = 0; c < PL_ARRAY_LEN(chunks); c++) {
            tts_options o = tts_server_for(suites[s]);
            connects(&o, NULL, NULL, 0, chunks[c]);
        }
    }
}

static void test_handshake_completes_with_random_record_and_read_sizes(void **state)
{
    (void)state;
    pl_test_seed();
    for (int round = 0; round < 24; round++) {
        const pl_suite *suite = &pl_suites[pl_test_below(pl_suites_count)];
        tts_options o = tts_server_for(suite->id);
        o.cert_request = (int)pl_test_below(2);
        size_t fragment = pl_test_below(3) == 0 ? 0 : 1 + pl_test_below(3000);
        size_t chunk = pl_test_below(3) == 0 ? 0 : 1 + pl_test_below(600);
        connects(&o, NULL, NULL, fragment, chunk);
    }
}

/* The server's Finished and its first application data arrive together: the data waits in
 * the client's buffer for the first read. */
static void test_application_data_right_after_finished_is_kept_for_read(void **state)
{
    static const uint8_t hello[] = "hello";
    uint8_t buf[16];
    tts_conn k;
    tts_buf b = {0};
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_conn_open(&k, &o, NULL, NULL);
    assert_int_equal(tts_conn_flight1(&k, 0, 0), SSL_ERR_WANT_READ);
    assert_int_equal(tts_conn_pump(&k), 0);
    assert_int_equal(tts_send_finished(k.s, &b), 0);
    tts_write(k.s, PL_CT_APPLICATION_DATA, hello, sizeof hello, &b);
    assert_int_equal(tts_conn_feed(&k, &b, 0), 0);
    assert_int_equal(pl_client_read(k.c, buf, 2), 2);
    assert_int_equal(pl_client_read(k.c, buf + 2, sizeof buf - 2), (long)sizeof hello - 2);
    assert_memory_equal(buf, hello, sizeof hello);
    assert_int_equal(pl_client_read(k.c, buf, sizeof buf), SSL_ERR_WANT_READ);
    tts_buf_free(&b);
    tts_conn_close(&k);
}

static void test_large_application_data_both_ways(void **state)
{
    static uint8_t data[40000], got[40000];
    tts_conn k;
    tts_options o = tts_server_for(0xc030);
    (void)state;
    for (size_t i = 0; i < sizeof data; i++) {
        data[i] = (uint8_t)(i * 7 + (i >> 8));
    }
    tts_conn_open(&k, &o, NULL, NULL);
    tts_conn_connect(&k, 0, 0);

    /* writes take what fits in one record of the output buffer; the rest is the caller's */
    size_t sent = 0, full = 0;
    while (sent < sizeof data) {
        long n = pl_client_write(k.c, data + sent, sizeof data - sent);
        if (n == SSL_ERR_WANT_WRITE) {
            full++;
            assert_int_equal(tts_conn_pump(&k), 0);
            continue;
        }
        assert_true(n > 0 && n <= 8192);
        sent += (size_t)n;
    }
    assert_true(full > 0);
    assert_int_equal(tts_conn_pump(&k), 0);
    assert_int_equal(k.s->app.len, sizeof data);
    assert_memory_equal(k.s->app.ptr, data, sizeof data);

    /* the server's records are 2^14 bytes, the largest there are */
    tts_buf b = {0};
    tts_write(k.s, PL_CT_APPLICATION_DATA, data, sizeof data, &b);
    size_t given = 0, read = 0;
    while (read < sizeof data) {
        long n = pl_client_read(k.c, got + read, 1000);
        if (n == SSL_ERR_WANT_READ) {
            size_t room;
            uint8_t *dst = pl_client_in_room(k.c, &room);
            size_t take = b.len - given < room ? b.len - given : room;
            assert_true(take > 0);
            memcpy(dst, b.ptr + given, take);
            pl_client_in_add(k.c, take);
            given += take;
            continue;
        }
        assert_true(n > 0);
        read += (size_t)n;
    }
    assert_memory_equal(got, data, sizeof data);
    tts_buf_free(&b);
    tts_conn_close(&k);
}

/* ---- negotiation options --------------------------------------------------------------------- */

static void test_extended_master_secret_is_used_when_the_server_echoes_it(void **state)
{
    tts_conn k;
    tts_options o = tts_server_for(0xc02b);
    (void)state;
    tts_conn_open(&k, &o, NULL, NULL);
    assert_true(k.s->ems_offered);
    tts_conn_connect(&k, 0, 0);
    assert_true(k.c->ems);
    assert_true(k.s->ems);
    assert_memory_equal(k.c->master, k.s->master, PL_TLS_MASTER_LEN);
    tts_conn_close(&k);
}

static void test_without_the_servers_ems_echo_the_classic_master_secret_is_used(void **state)
{
    tts_conn k;
    tts_options o = tts_server_for(0x009c);
    (void)state;
    o.no_ems = 1;
    tts_conn_open(&k, &o, NULL, NULL);
    tts_conn_connect(&k, 0, 0);
    assert_false(k.c->ems);
    assert_memory_equal(k.c->master, k.s->master, PL_TLS_MASTER_LEN);
    tts_conn_close(&k);
}

static void test_required_ems_refuses_a_server_that_does_not_echo_it(void **state)
{
    pl_client_config cfg;
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_config_default(&cfg);
    cfg.require_ems = 1;
    o.no_ems = 1;
    refused_with(&o, &cfg, NULL, NULL, SSL_ERR_HS_EMS_REQUIRED, PL_ALERT_HANDSHAKE_FAILURE);
    o.no_ems = 0;
    connects(&o, &cfg, NULL, 0, 0);
}

/* RFC 7366: with a CBC suite the server may answer encrypt_then_mac; then both directions MAC
 * the ciphertext. Without the answer, MAC-then-encrypt. */
static void test_cbc_suites_use_encrypt_then_mac_only_when_the_server_agrees(void **state)
{
    (void)state;
    for (size_t i = 0; i < pl_suites_count; i++) {
        if (!pl_suite_is_cbc(&pl_suites[i])) {
            continue;
        }
        for (int no_etm = 0; no_etm <= 1; no_etm++) {
            tts_conn k;
            tts_options o = tts_server_for(pl_suites[i].id);
            o.no_etm = no_etm;
            tts_conn_open(&k, &o, NULL, NULL);
            assert_true(k.s->etm_offered);
            tts_conn_connect(&k, 0, no_etm ? 7 : 0);
            assert_int_equal(k.c->etm, !no_etm);
            assert_int_equal(k.s->etm, !no_etm);
            exchange_data_and_close(&k);
            tts_conn_close(&k);
        }
    }
}

static void test_encrypt_then_mac_with_an_aead_suite_is_illegal_parameter(void **state)
{
    static const uint8_t etm[] = {0x00, 0x16, 0x00, 0x00};
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    o.extra_ext = (pl_slice){etm, sizeof etm};
    refused(&o, SSL_ERR_HS_ETM_WITHOUT_CBC, PL_ALERT_ILLEGAL_PARAMETER);
}

/* A client configured with AEAD suites only does not offer encrypt_then_mac. */
static void test_encrypt_then_mac_not_offered_is_unsupported_extension(void **state)
{
    static const uint8_t etm[] = {0x00, 0x16, 0x00, 0x00};
    pl_client_config cfg;
    tts_conn k;
    (void)state;
    tts_config_default(&cfg);
    cfg.suites_count = 0;
    for (size_t i = 0; i < pl_suites_count; i++) {
        if (!pl_suite_is_cbc(&pl_suites[i])) {
            cfg.suites[cfg.suites_count++] = pl_suites[i].id;
        }
    }
    tts_options o = tts_server_for(0xc02f);
    tts_conn_open(&k, &o, &cfg, NULL);
    assert_false(k.s->etm_offered);
    tts_conn_close(&k);
    o.extra_ext = (pl_slice){etm, sizeof etm};
    refused_with(&o, &cfg, NULL, NULL, SSL_ERR_HS_UNSOLICITED_EXTENSION,
                 PL_ALERT_UNSUPPORTED_EXTENSION);
}

static void test_client_hello_offers_what_the_config_says(void **state)
{
    tts_conn k;
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_conn_open(&k, &o, NULL, NULL);
    assert_int_equal(k.s->ch_version, 0x0303);
    assert_string_equal(k.s->sni, "localhost");
    assert_int_equal(k.s->suites_count, pl_suites_count);
    assert_int_equal(k.s->groups_count, pl_client_default_groups_count);
    assert_int_equal(k.s->sigalgs_count, pl_client_sigalgs_count);
    assert_true(k.s->ems_offered);
    assert_true(k.s->reneg_offered);
    assert_true(k.s->point_formats_sent);
    assert_false(k.s->alpn_offered);
    assert_memory_equal(k.s->client_random, k.c->client_random, PL_TLS_RANDOM_LEN);
    tts_conn_close(&k);
}

static char alpn_h2[] = "h2", alpn_http11[] = "http/1.1";

static void test_alpn_choice_is_kept(void **state)
{
    pl_client_config cfg;
    tts_conn k;
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_config_default(&cfg);
    cfg.alpn[0] = alpn_h2;
    cfg.alpn[1] = alpn_http11;
    cfg.alpn_count = 2;
    o.alpn = "http/1.1";
    tts_conn_open(&k, &o, &cfg, NULL);
    assert_true(k.s->alpn_offered);
    tts_conn_connect(&k, 0, 0);
    assert_string_equal(k.c->alpn, "http/1.1");
    tts_conn_close(&k);
}

static void test_alpn_protocol_not_offered_is_illegal_parameter(void **state)
{
    pl_client_config cfg;
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_config_default(&cfg);
    cfg.alpn[0] = alpn_h2;
    cfg.alpn_count = 1;
    o.alpn = "spdy/3";
    refused_with(&o, &cfg, NULL, NULL, SSL_ERR_HS_ALPN_NOT_OFFERED, PL_ALERT_ILLEGAL_PARAMETER);
}

static void test_alpn_answer_without_an_offer_is_unsupported_extension(void **state)
{
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    o.alpn = "h2";
    refused(&o, SSL_ERR_HS_UNSOLICITED_EXTENSION, PL_ALERT_UNSUPPORTED_EXTENSION);
}

static void test_ip_literal_host_sends_no_sni_and_matches_the_ip_san(void **state)
{
    tts_conn k;
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_conn_open(&k, &o, NULL, "127.0.0.1");
    assert_false(k.s->sni_sent);
    tts_conn_connect(&k, 0, 0);
    tts_conn_close(&k);
}

static void test_empty_server_name_echo_is_accepted_after_sni(void **state)
{
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    o.echo_sni = 1;
    connects(&o, NULL, NULL, 0, 0);
}

static void test_server_name_echo_without_sni_is_unsupported_extension(void **state)
{
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    o.echo_sni = 1;
    refused_with(&o, NULL, "127.0.0.1", NULL, SSL_ERR_HS_UNSOLICITED_EXTENSION,
                 PL_ALERT_UNSUPPORTED_EXTENSION);
}

static void test_certificate_request_is_answered_with_an_empty_certificate(void **state)
{
    static const uint16_t suites[] = {0xc02b, 0xc02f, 0x009e, 0x009c};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(suites); i++) {
        tts_conn k;
        tts_options o = tts_server_for(suites[i]);
        o.cert_request = 1;
        tts_conn_open(&k, &o, NULL, NULL);
        tts_conn_connect(&k, 0, 0);
        assert_true(k.s->got_empty_certificate);
        exchange_data_and_close(&k);
        tts_conn_close(&k);
    }
}

static char keylog_line[256];

static void keylog_capture(void *user, const char *line)
{
    (void)user;
    snprintf(keylog_line, sizeof keylog_line, "%s", line);
}

static void test_key_log_line_names_the_servers_master_secret(void **state)
{
    tts_conn k;
    char want[PL_TLS_KEYLOG_LINE_LEN];
    tts_options o = tts_server_for(0xcca9);
    (void)state;
    keylog_line[0] = '\0';
    tts_conn_open(&k, &o, NULL, NULL);
    k.c->keylog = keylog_capture;
    tts_conn_connect(&k, 0, 0);
    pl_tls_keylog_line(want, k.s->client_random, k.s->master);
    want[strcspn(want, "\n")] = '\0';
    assert_string_equal(keylog_line, want);
    tts_conn_close(&k);
}

static void test_missing_renegotiation_info_is_tolerated(void **state)
{
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    o.reneg = TTS_RENEG_OMIT;
    connects(&o, NULL, NULL, 0, 0);
}

static void test_server_hello_without_extensions_is_accepted(void **state)
{
    tts_conn k;
    tts_options o = tts_server_for(0x009c);
    (void)state;
    o.sh_no_extensions = 1;
    tts_conn_open(&k, &o, NULL, NULL);
    tts_conn_connect(&k, 0, 0);
    assert_false(k.c->ems);
    tts_conn_close(&k);
}

static void test_point_formats_listing_uncompressed_among_others_is_accepted(void **state)
{
    static const uint8_t formats[] = {1, 2, 0};
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    o.point_formats = (pl_slice){formats, sizeof formats};
    connects(&o, NULL, NULL, 0, 0);
}

static void test_server_chosen_dh_group_of_2048_bits_is_accepted(void **state)
{
    static const uint8_t five = 5;
    tts_conn k;
    tts_options o = tts_server_for(0x009e);
    (void)state;
    o.dh_p = (pl_slice){pl_ffdhe2048.p, pl_ffdhe2048.p_len};
    o.dh_g = (pl_slice){&five, 1};
    tts_conn_open(&k, &o, NULL, NULL);
    assert_true(k.s->have_dh);
    tts_conn_connect(&k, 0, 0);
    assert_int_equal(k.c->group, 0);
    tts_conn_close(&k);
}

static void test_extra_certificates_in_the_chain_are_ignored(void **state)
{
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    o.chain[2] = tts_fixture("leaf-ec");
    o.chain[3] = tts_fixture("root");
    o.chain_count = 4;
    connects(&o, NULL, NULL, 0, 0);
}

static void test_key_usage_that_fits_the_key_exchange_is_accepted(void **state)
{
    tts_options o = tts_server_with(0xc02f, "leaf-rsa-sign-only", &tts_key_rsa);
    (void)state;
    connects(&o, NULL, NULL, 0, 0);
    o = tts_server_with(0x009c, "leaf-rsa-encipher-only", &tts_key_rsa);
    connects(&o, NULL, NULL, 0, 0);
}

static void test_without_verification_an_untrusted_chain_is_accepted(void **state)
{
    pl_client_config cfg;
    tts_options o = tts_server_with(0xc02f, "leaf-self", &tts_key_rsa);
    (void)state;
    tts_config_default(&cfg);
    cfg.verify = 0;
    cfg.anchors = NULL;
    o.chain_count = 1;
    connects(&o, &cfg, NULL, 0, 0);
}

static void test_warning_alert_during_the_handshake_is_ignored(void **state)
{
    static const uint8_t unrecognized_name[2] = {1, PL_ALERT_UNRECOGNIZED_NAME};
    tts_conn k;
    tts_buf b = {0};
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_conn_open(&k, &o, NULL, NULL);
    tts_write(k.s, PL_CT_ALERT, unrecognized_name, 2, &b);
    assert_int_equal(tts_conn_feed(&k, &b, 0), SSL_ERR_WANT_READ);
    tts_conn_connect(&k, 0, 0);
    tts_buf_free(&b);
    tts_conn_close(&k);
}

/* RFC 5246 §7.4.1.1: "This message will be ignored by the client if the client is currently
 * negotiating a session." */
static void test_hello_request_during_the_handshake_is_ignored(void **state)
{
    static const uint8_t hello_request[4] = {PL_HS_HELLO_REQUEST, 0, 0, 0};
    tts_conn k;
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_conn_open(&k, &o, NULL, NULL);
    msg_insert(&k, 1, hello_request, sizeof hello_request);
    /* not part of the transcript (§7.4.1.1): the server must not hash it either */
    tts_buf b = {0};
    for (size_t i = 0; i < k.s->msg_count; i++) {
        if (k.s->msgs[i].ptr[0] != PL_HS_HELLO_REQUEST) {
            tts_transcript_add(k.s, k.s->msgs[i].ptr, k.s->msgs[i].len);
        }
        tts_write(k.s, PL_CT_HANDSHAKE, k.s->msgs[i].ptr, k.s->msgs[i].len, &b);
    }
    int rc = tts_conn_feed(&k, &b, 0);
    tts_buf_free(&b);
    if (rc != SSL_ERR_WANT_READ) {
        char detail[sizeof k.c->detail];
        snprintf(detail, sizeof detail, "%s", k.c->detail);
        tts_conn_close(&k);
        fail_msg("HelloRequest in the first flight: %s (%s)", tts_err_name(rc), detail);
    }
    assert_int_equal(tts_conn_flight2(&k, 0), 0);
    tts_conn_close(&k);
}

/* ---- wrong message order --------------------------------------------------------------------- */

/* Handshake messages the server might send out of place (bodies well-formed where it matters
 * little: the order check comes first). */
struct foreign {
    const char *name;
    uint8_t bytes[64];
    size_t len;
};

static const struct foreign foreign_messages[] = {
    {"ClientHello", {PL_HS_CLIENT_HELLO, 0, 0, 0}, 4},
    {"NewSessionTicket", {PL_HS_NEW_SESSION_TICKET, 0, 0, 10, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4}, 14},
    {"CertificateRequest", {PL_HS_CERTIFICATE_REQUEST, 0, 0, 7, 1, 1, 0, 2, 4, 1, 0, 0}, 11},
    {"ServerHelloDone", {PL_HS_SERVER_HELLO_DONE, 0, 0, 0}, 4},
    {"CertificateVerify", {PL_HS_CERTIFICATE_VERIFY, 0, 0, 4, 4, 1, 0, 0}, 8},
    {"ClientKeyExchange", {PL_HS_CLIENT_KEY_EXCHANGE, 0, 0, 2, 1, 9}, 6},
    {"Finished", {PL_HS_FINISHED, 0, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 16},
    {"type 99", {99, 0, 0, 1, 0}, 5},
    {"type 255", {255, 0, 0, 0}, 4},
};

/* Which of ServerHello, Certificate, ServerKeyExchange a state accepts. */
static int state_accepts(enum pl_client_state st, uint8_t type)
{
    switch (st) {
    case PL_ST_WAIT_SERVER_HELLO:
        return type == PL_HS_SERVER_HELLO;
    case PL_ST_WAIT_CERTIFICATE:
        return type == PL_HS_CERTIFICATE;
    case PL_ST_WAIT_SERVER_KX:
        return type == PL_HS_SERVER_KEY_EXCHANGE;
    case PL_ST_WAIT_CERT_REQ_OR_DONE:
        return type == PL_HS_CERTIFICATE_REQUEST || type == PL_HS_SERVER_HELLO_DONE;
    case PL_ST_WAIT_DONE:
        return type == PL_HS_SERVER_HELLO_DONE;
    default:
        return 0;
    }
}

/* The first n messages of the flight to the client, one record each; the client must then
 * wait in state st. */
static void feed_first(tts_conn *k, size_t n, enum pl_client_state st)
{
    tts_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        tts_transcript_add(k->s, k->s->msgs[i].ptr, k->s->msgs[i].len);
        tts_write(k->s, PL_CT_HANDSHAKE, k->s->msgs[i].ptr, k->s->msgs[i].len, &b);
    }
    assert_int_equal(tts_conn_feed(k, &b, 0), SSL_ERR_WANT_READ);
    assert_int_equal(k->c->state, st);
    tts_buf_free(&b);
}

/* A client in state st (after `at` messages of the flight) given one handshake message it does
 * not accept there: unexpected_message, before any handler looks at the message. */
static void wrong_message_refused(uint16_t suite, int cert_request, size_t at,
                                  enum pl_client_state st, const uint8_t *msg, size_t len)
{
    tts_conn k;
    tts_buf b = {0};
    tts_options o = tts_server_for(suite);
    o.cert_request = cert_request;
    tts_conn_open(&k, &o, NULL, NULL);
    feed_first(&k, at, st);
    tts_write(k.s, PL_CT_HANDSHAKE, msg, len, &b);
    int rc = tts_conn_feed(&k, &b, 0);
    if (rc != SSL_ERR_HS_UNEXPECTED_MESSAGE) {
        fail_msg("message type %u in state %d: %s (%s)", msg[0], st, tts_err_name(rc), k.c->detail);
    }
    tts_conn_expect_refused(&k, rc, SSL_ERR_HS_UNEXPECTED_MESSAGE, PL_ALERT_UNEXPECTED_MESSAGE);
    tts_buf_free(&b);
    tts_conn_close(&k);
}

/* Every message the server's flight holds and every foreign one, in state st, except those
 * the state accepts. */
static void wrong_message_at(uint16_t suite, int cert_request, size_t at,
                             enum pl_client_state st)
{
    tts_conn k;
    tts_options o = tts_server_for(suite);
    o.cert_request = cert_request;
    tts_conn_open(&k, &o, NULL, NULL);
    for (size_t m = 0; m < k.s->msg_count; m++) {
        if (!state_accepts(st, k.s->msgs[m].ptr[0])) {
            wrong_message_refused(suite, cert_request, at, st, k.s->msgs[m].ptr,
                                  k.s->msgs[m].len);
        }
    }
    tts_conn_close(&k);
    for (size_t f = 0; f < PL_ARRAY_LEN(foreign_messages); f++) {
        const struct foreign *fm = &foreign_messages[f];
        if (!state_accepts(st, fm->bytes[0])) {
            wrong_message_refused(suite, cert_request, at, st, fm->bytes, fm->len);
        }
    }
}

static void test_every_unexpected_message_in_every_state_is_unexpected_message(void **state)
{
    (void)state;
    /* ECDHE: ServerHello, Certificate, ServerKeyExchange, ServerHelloDone */
    wrong_message_at(0xc02b, 0, 0, PL_ST_WAIT_SERVER_HELLO);
    wrong_message_at(0xc02b, 0, 1, PL_ST_WAIT_CERTIFICATE);
    wrong_message_at(0xc02b, 0, 2, PL_ST_WAIT_SERVER_KX);
    wrong_message_at(0xc02b, 0, 3, PL_ST_WAIT_CERT_REQ_OR_DONE);
    /* with CertificateRequest: the state between it and ServerHelloDone */
    wrong_message_at(0xc02b, 1, 4, PL_ST_WAIT_DONE);
    /* RSA key exchange: no ServerKeyExchange may come */
    wrong_message_at(0x009c, 0, 2, PL_ST_WAIT_CERT_REQ_OR_DONE);
    wrong_message_at(0x009c, 1, 3, PL_ST_WAIT_DONE);
}

static void drop_server_kx(tts_conn *k)
{
    msg_drop(k, msg_index(k, PL_HS_SERVER_KEY_EXCHANGE));
}

static void drop_certificate(tts_conn *k)
{
    msg_drop(k, msg_index(k, PL_HS_CERTIFICATE));
}

static void drop_server_hello(tts_conn *k)
{
    msg_drop(k, msg_index(k, PL_HS_SERVER_HELLO));
}

static void swap_certificate_and_server_kx(tts_conn *k)
{
    size_t a = msg_index(k, PL_HS_CERTIFICATE), b = msg_index(k, PL_HS_SERVER_KEY_EXCHANGE);
    tts_buf t = k->s->msgs[a];
    k->s->msgs[a] = k->s->msgs[b];
    k->s->msgs[b] = t;
}

static void test_missing_or_reordered_messages_are_unexpected_message(void **state)
{
    tts_options ecdhe = tts_server_for(0xc02f);
    (void)state;
    refused_with(&ecdhe, NULL, NULL, drop_server_kx, SSL_ERR_HS_UNEXPECTED_MESSAGE,
                 PL_ALERT_UNEXPECTED_MESSAGE);
    refused_with(&ecdhe, NULL, NULL, drop_certificate, SSL_ERR_HS_UNEXPECTED_MESSAGE,
                 PL_ALERT_UNEXPECTED_MESSAGE);
    refused_with(&ecdhe, NULL, NULL, drop_server_hello, SSL_ERR_HS_UNEXPECTED_MESSAGE,
                 PL_ALERT_UNEXPECTED_MESSAGE);
    refused_with(&ecdhe, NULL, NULL, swap_certificate_and_server_kx,
                 SSL_ERR_HS_UNEXPECTED_MESSAGE, PL_ALERT_UNEXPECTED_MESSAGE);
}

/* A second ServerHelloDone arrives while the client waits for the server's ChangeCipherSpec
 * (its own flight is out, so the alert is encrypted). */
static void test_message_after_server_hello_done_is_unexpected_message(void **state)
{
    static const uint8_t done[4] = {PL_HS_SERVER_HELLO_DONE, 0, 0, 0};
    tts_conn k;
    tts_buf b = {0};
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_conn_open(&k, &o, NULL, NULL);
    tts_frame(k.s, &b, TTS_COALESCE);
    tts_write(k.s, PL_CT_HANDSHAKE, done, sizeof done, &b); /* not in the server's transcript */
    int rc = tts_conn_feed(&k, &b, 0);
    tts_conn_expect_refused(&k, rc, SSL_ERR_HS_UNEXPECTED_MESSAGE, PL_ALERT_UNEXPECTED_MESSAGE);
    assert_true(k.s->client_finished_ok);
    tts_buf_free(&b);
    tts_conn_close(&k);
}

/* A record of type (ChangeCipherSpec 1, or application data) in front of flight message at. */
static void early_record(uint16_t suite, size_t at, uint8_t type, int err)
{
    static const uint8_t one = 1, data[3] = {'a', 'b', 'c'};
    tts_conn k;
    tts_buf b = {0};
    tts_options o = tts_server_for(suite);
    tts_conn_open(&k, &o, NULL, NULL);
    for (size_t i = 0; i < at; i++) {
        tts_transcript_add(k.s, k.s->msgs[i].ptr, k.s->msgs[i].len);
        tts_write(k.s, PL_CT_HANDSHAKE, k.s->msgs[i].ptr, k.s->msgs[i].len, &b);
    }
    if (type == PL_CT_CHANGE_CIPHER_SPEC) {
        tts_write(k.s, type, &one, 1, &b);
    } else {
        tts_write(k.s, type, data, sizeof data, &b);
    }
    int rc = tts_conn_feed(&k, &b, 0);
    tts_buf_free(&b);
    tts_conn_expect_refused(&k, rc, err, PL_ALERT_UNEXPECTED_MESSAGE);
    tts_conn_close(&k);
}

static void test_change_cipher_spec_before_server_hello_done_is_unexpected(void **state)
{
    (void)state;
    for (size_t at = 0; at < 4; at++) {
        early_record(0xc02b, at, PL_CT_CHANGE_CIPHER_SPEC, SSL_ERR_HS_UNEXPECTED_CCS);
    }
    for (size_t at = 0; at < 3; at++) {
        early_record(0x009c, at, PL_CT_CHANGE_CIPHER_SPEC, SSL_ERR_HS_UNEXPECTED_CCS);
    }
}

static void test_application_data_before_the_handshake_ends_is_unexpected(void **state)
{
    (void)state;
    for (size_t at = 0; at <= 4; at++) {
        early_record(0xc02b, at, PL_CT_APPLICATION_DATA, SSL_ERR_HS_UNEXPECTED_APP_DATA);
    }
}

/* After the client's flight: the server's second flight, edited. */
enum second_flight {
    FINISHED_IN_PLAINTEXT,      /* Finished without ChangeCipherSpec */
    PLAINTEXT_AFTER_CCS,        /* ChangeCipherSpec, then a plaintext Finished */
    TWO_CCS,                    /* ChangeCipherSpec twice */
    APP_DATA_BEFORE_FINISHED,   /* encrypted application data in place of Finished */
    DONE_BEFORE_FINISHED,       /* an encrypted ServerHelloDone in place of Finished */
    WRONG_VERIFY_DATA,
    CLIENT_LABEL,               /* verify_data computed as the client's ("client finished") */
    SHORT_FINISHED,             /* 11 bytes of verify_data */
    LONG_FINISHED,              /* 13 bytes */
    TAMPERED_RECORD,            /* a ciphertext bit flipped */
    WRONG_KEY,                  /* sealed with the client's write key */
    APP_DATA_IN_PLAINTEXT,      /* plaintext application data before ChangeCipherSpec */
    FINISHED_TWICE,             /* a second Finished after the first */
    CCS_AFTER_FINISHED,         /* ChangeCipherSpec again after the handshake */
    CLOSE_BEFORE_FINISHED,      /* an encrypted close_notify in place of Finished */
    FATAL_BEFORE_FINISHED,      /* an encrypted fatal alert in place of Finished */
    FINISHED_IN_PIECES,         /* Finished over three records (accepted) */
};

static int second_flight(tts_conn *k, enum second_flight how)
{
    static const uint8_t done[4] = {PL_HS_SERVER_HELLO_DONE, 0, 0, 0};
    static const uint8_t one = 1, data[2] = {'h', 'i'};
    tts_server *s = k->s;
    uint8_t fin[17];
    tts_buf b = {0};
    assert_int_equal(tts_conn_flight1(k, 0, 0), SSL_ERR_WANT_READ);
    assert_int_equal(tts_conn_pump(k), 0);
    assert_true(s->client_finished_ok);
    switch (how) {
    case FINISHED_IN_PLAINTEXT:
        tts_finished_message(s, fin);
        tts_write(s, PL_CT_HANDSHAKE, fin, 16, &b);
        break;
    case PLAINTEXT_AFTER_CCS:
        tts_write(s, PL_CT_CHANGE_CIPHER_SPEC, &one, 1, &b);
        tts_finished_message(s, fin);
        tts_write(s, PL_CT_HANDSHAKE, fin, 16, &b);
        break;
    case TWO_CCS:
        tts_write_ccs(s, &b);
        tts_write(s, PL_CT_CHANGE_CIPHER_SPEC, &one, 1, &b);
        break;
    case APP_DATA_BEFORE_FINISHED:
        tts_write_ccs(s, &b);
        tts_write(s, PL_CT_APPLICATION_DATA, data, sizeof data, &b);
        break;
    case DONE_BEFORE_FINISHED:
        tts_write_ccs(s, &b);
        tts_write(s, PL_CT_HANDSHAKE, done, sizeof done, &b);
        break;
    case WRONG_VERIFY_DATA:
        tts_write_ccs(s, &b);
        tts_finished_message(s, fin);
        fin[15] ^= 0x40;
        tts_write(s, PL_CT_HANDSHAKE, fin, 16, &b);
        break;
    case CLIENT_LABEL: {
        uint8_t th[PL_HASH_MAX_LEN];
        pl_hash_ctx copy = s->transcript;
        s->h->final(&copy, th);
        tts_write_ccs(s, &b);
        memcpy(fin, (uint8_t[4]){PL_HS_FINISHED, 0, 0, 12}, 4);
        pl_tls_finished(s->suite, s->master, 1, th, s->h->digest_len, fin + 4);
        tts_write(s, PL_CT_HANDSHAKE, fin, 16, &b);
        break;
    }
    case SHORT_FINISHED:
        tts_write_ccs(s, &b);
        tts_finished_message(s, fin);
        fin[3] = 11;
        tts_write(s, PL_CT_HANDSHAKE, fin, 15, &b);
        break;
    case LONG_FINISHED:
        tts_write_ccs(s, &b);
        tts_finished_message(s, fin);
        fin[3] = 13;
        fin[16] = 0;
        tts_write(s, PL_CT_HANDSHAKE, fin, 17, &b);
        break;
    case TAMPERED_RECORD:
        tts_write_ccs(s, &b);
        tts_finished_message(s, fin);
        tts_write(s, PL_CT_HANDSHAKE, fin, 16, &b);
        b.ptr[b.len - 20] ^= 1;
        break;
    case WRONG_KEY:
        tts_write(s, PL_CT_CHANGE_CIPHER_SPEC, &one, 1, &b);
        tts_cipher_init(s, &s->wc, 1);
        tts_finished_message(s, fin);
        tts_write(s, PL_CT_HANDSHAKE, fin, 16, &b);
        break;
    case APP_DATA_IN_PLAINTEXT:
        tts_write(s, PL_CT_APPLICATION_DATA, data, sizeof data, &b);
        break;
    case FINISHED_TWICE:
        assert_int_equal(tts_send_finished(s, &b), 0);
        tts_finished_message(s, fin);
        tts_write(s, PL_CT_HANDSHAKE, fin, 16, &b);
        break;
    case CCS_AFTER_FINISHED:
        assert_int_equal(tts_send_finished(s, &b), 0);
        tts_write(s, PL_CT_CHANGE_CIPHER_SPEC, &one, 1, &b);
        break;
    case CLOSE_BEFORE_FINISHED:
    case FATAL_BEFORE_FINISHED: {
        const uint8_t alert[2] = {how == CLOSE_BEFORE_FINISHED ? 1 : 2,
                                  how == CLOSE_BEFORE_FINISHED ? 0 : PL_ALERT_DECRYPT_ERROR};
        tts_write_ccs(s, &b);
        tts_write(s, PL_CT_ALERT, alert, sizeof alert, &b);
        break;
    }
    case FINISHED_IN_PIECES:
        tts_write_ccs(s, &b);
        tts_finished_message(s, fin);
        tts_write(s, PL_CT_HANDSHAKE, fin, 3, &b);
        tts_write(s, PL_CT_HANDSHAKE, fin + 3, 6, &b);
        tts_write(s, PL_CT_HANDSHAKE, fin + 9, 7, &b);
        break;
    default:
        fail();
    }
    int rc = tts_conn_feed(k, &b, 0);
    if (rc == 0 && k->c->state == PL_ST_CONNECTED) {
        uint8_t buf[8];
        rc = (int)pl_client_read(k->c, buf, sizeof buf);
    }
    tts_buf_free(&b);
    return rc;
}

static void second_flight_refused(enum second_flight how, int err, int alert)
{
    /* GCM, ChaCha20-Poly1305, the RSA key exchange, CBC with encrypt-then-MAC and without */
    static const struct {
        uint16_t suite;
        int no_etm;
    } suites[] = {{0xc02f, 0}, {0xcca9, 0}, {0x009d, 0}, {0xc014, 0}, {0x002f, 1}};
    for (size_t i = 0; i < PL_ARRAY_LEN(suites); i++) {
        tts_conn k;
        if (pl_suite_by_id(suites[i].suite) == NULL) {
            continue;
        }
        tts_options o = tts_server_for(suites[i].suite);
        o.no_etm = suites[i].no_etm;
        tts_conn_open(&k, &o, NULL, NULL);
        int rc = second_flight(&k, how);
        tts_conn_expect_refused(&k, rc, err, alert);
        tts_conn_close(&k);
    }
}

static void test_finished_without_change_cipher_spec_is_unexpected_message(void **state)
{
    (void)state;
    second_flight_refused(FINISHED_IN_PLAINTEXT, SSL_ERR_HS_UNEXPECTED_MESSAGE,
                          PL_ALERT_UNEXPECTED_MESSAGE);
}

static void test_plaintext_finished_after_change_cipher_spec_is_bad_record_mac(void **state)
{
    (void)state;
    second_flight_refused(PLAINTEXT_AFTER_CCS, SSL_ERR_RECORD_BAD_MAC, PL_ALERT_BAD_RECORD_MAC);
}

static void test_second_change_cipher_spec_is_unexpected(void **state)
{
    (void)state;
    second_flight_refused(TWO_CCS, SSL_ERR_HS_UNEXPECTED_CCS, PL_ALERT_UNEXPECTED_MESSAGE);
    second_flight_refused(CCS_AFTER_FINISHED, SSL_ERR_HS_UNEXPECTED_CCS,
                          PL_ALERT_UNEXPECTED_MESSAGE);
}

static void test_application_data_before_the_servers_finished_is_unexpected(void **state)
{
    (void)state;
    second_flight_refused(APP_DATA_BEFORE_FINISHED, SSL_ERR_HS_UNEXPECTED_APP_DATA,
                          PL_ALERT_UNEXPECTED_MESSAGE);
    second_flight_refused(APP_DATA_IN_PLAINTEXT, SSL_ERR_HS_UNEXPECTED_APP_DATA,
                          PL_ALERT_UNEXPECTED_MESSAGE);
}

static void test_handshake_message_in_place_of_finished_is_unexpected_message(void **state)
{
    (void)state;
    second_flight_refused(DONE_BEFORE_FINISHED, SSL_ERR_HS_UNEXPECTED_MESSAGE,
                          PL_ALERT_UNEXPECTED_MESSAGE);
    second_flight_refused(FINISHED_TWICE, SSL_ERR_HS_UNEXPECTED_MESSAGE,
                          PL_ALERT_UNEXPECTED_MESSAGE);
}

static void test_alert_in_place_of_the_servers_finished_ends_without_reply(void **state)
{
    (void)state;
    second_flight_refused(CLOSE_BEFORE_FINISHED, SSL_ERR_CLOSED, -1);
    second_flight_refused(FATAL_BEFORE_FINISHED, SSL_ERR_ALERT_RECEIVED, -1);
}

/* ---- Finished -------------------------------------------------------------------------------- */

static void test_finished_split_over_records_is_accepted(void **state)
{
    tts_conn k;
    tts_options o = tts_server_for(0xc02b);
    (void)state;
    tts_conn_open(&k, &o, NULL, NULL);
    assert_int_equal(second_flight(&k, FINISHED_IN_PIECES), SSL_ERR_WANT_READ);
    assert_int_equal(k.c->state, PL_ST_CONNECTED);
    exchange_data_and_close(&k);
    tts_conn_close(&k);
}

static void test_wrong_finished_is_decrypt_error(void **state)
{
    (void)state;
    second_flight_refused(WRONG_VERIFY_DATA, SSL_ERR_HS_BAD_FINISHED, PL_ALERT_DECRYPT_ERROR);
    second_flight_refused(CLIENT_LABEL, SSL_ERR_HS_BAD_FINISHED, PL_ALERT_DECRYPT_ERROR);
}

static void test_finished_of_the_wrong_length_is_decode_error(void **state)
{
    (void)state;
    second_flight_refused(SHORT_FINISHED, SSL_ERR_DECODE_TRUNCATED, PL_ALERT_DECODE_ERROR);
    second_flight_refused(LONG_FINISHED, SSL_ERR_DECODE_TRAILING, PL_ALERT_DECODE_ERROR);
}

static void test_tampered_or_wrongly_keyed_finished_record_is_bad_record_mac(void **state)
{
    (void)state;
    second_flight_refused(TAMPERED_RECORD, SSL_ERR_RECORD_BAD_MAC, PL_ALERT_BAD_RECORD_MAC);
    second_flight_refused(WRONG_KEY, SSL_ERR_RECORD_BAD_MAC, PL_ALERT_BAD_RECORD_MAC);
}

/* ---- ServerHello ----------------------------------------------------------------------------- */

static void test_server_hello_with_another_version_is_protocol_version(void **state)
{
    static const uint16_t versions[] = {0x0302, 0x0301, 0x0300, 0x0200, 0x0304, 0x0403, 0x7f1c};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(versions); i++) {
        tts_options o = tts_server_for(0xc02f);
        o.sh_version = versions[i];
        refused(&o, SSL_ERR_HS_BAD_VERSION, PL_ALERT_PROTOCOL_VERSION);
    }
}

static void test_server_hello_with_tls11_version_is_protocol_version(void **state)
{
    tts_options o = tts_server_for(0x009c);
    (void)state;
    o.sh_version = 0x0302;
    refused(&o, SSL_ERR_HS_BAD_VERSION, PL_ALERT_PROTOCOL_VERSION);
}

/* TLS_NULL_WITH_NULL_NULL: ServerHello's cipher_suite after version, random and the 32-byte
 * session_id */
static void null_suite(tts_conn *k)
{
    tts_buf *m = &k->s->msgs[msg_index(k, PL_HS_SERVER_HELLO)];
    assert_int_equal(m->ptr[4 + 34], 32);
    m->ptr[4 + 35 + 32] = 0;
    m->ptr[4 + 35 + 33] = 0;
}

static void test_server_hello_with_an_unoffered_suite_is_illegal_parameter(void **state)
{
    static const uint16_t only_ecdsa[] = {0xc02b, 0xc02c};
    /* known to padlock but not offered; RC4; CBC; the renegotiation SCSV; TLS 1.3's */
    static const uint16_t chosen[] = {0xc02f, 0x009c, 0x0005, 0xc013, 0x00ff, 0x1301, 0x0001};
    pl_client_config cfg;
    (void)state;
    tts_config_default(&cfg);
    memcpy(cfg.suites, only_ecdsa, sizeof only_ecdsa);
    cfg.suites_count = PL_ARRAY_LEN(only_ecdsa);
    for (size_t i = 0; i < PL_ARRAY_LEN(chosen); i++) {
        tts_options o = tts_server_for(0xc02b);
        o.sh_suite = chosen[i];
        refused_with(&o, &cfg, NULL, NULL, SSL_ERR_HS_SUITE_NOT_OFFERED,
                     PL_ALERT_ILLEGAL_PARAMETER);
    }
    tts_options o = tts_server_for(0xc02b);
    refused_with(&o, &cfg, NULL, null_suite, SSL_ERR_HS_SUITE_NOT_OFFERED,
                 PL_ALERT_ILLEGAL_PARAMETER);
}

static void test_server_hello_with_compression_is_illegal_parameter(void **state)
{
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    o.sh_compression = 1;
    refused(&o, SSL_ERR_HS_COMPRESSION_NOT_NULL, PL_ALERT_ILLEGAL_PARAMETER);
}

static void test_server_hello_extension_we_did_not_send_is_unsupported_extension(void **state)
{
    /* status_request, max_fragment_length, NPN, heartbeat, supported_versions, key_share,
     * signed_certificate_timestamp, an unassigned type (session_ticket is offered now) */
    static const uint8_t exts[][6] = {
        {0x00, 0x05, 0x00, 0x00}, {0x00, 0x01, 0x00, 0x00}, {0x33, 0x74, 0x00, 0x00},
        {0x00, 0x0f, 0x00, 0x01, 0x01}, {0x00, 0x2b, 0x00, 0x02, 0x03, 0x03},
        {0x00, 0x33, 0x00, 0x00}, {0x00, 0x12, 0x00, 0x00}, {0xfe, 0xfe, 0x00, 0x00},
    };
    static const size_t lens[] = {4, 4, 4, 5, 6, 4, 4, 4};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(exts); i++) {
        tts_options o = tts_server_for(0xc02f);
        o.extra_ext = (pl_slice){exts[i], lens[i]};
        refused(&o, SSL_ERR_HS_UNSOLICITED_EXTENSION, PL_ALERT_UNSUPPORTED_EXTENSION);
    }
}

static void test_server_hello_with_a_duplicate_extension_is_illegal_parameter(void **state)
{
    static const uint8_t ems[] = {0x00, 0x17, 0x00, 0x00};
    static const uint8_t reneg[] = {0xff, 0x01, 0x00, 0x01, 0x00};
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    o.extra_ext = (pl_slice){ems, sizeof ems};
    refused(&o, SSL_ERR_HS_DUPLICATE_EXTENSION, PL_ALERT_ILLEGAL_PARAMETER);
    o.extra_ext = (pl_slice){reneg, sizeof reneg};
    refused(&o, SSL_ERR_HS_DUPLICATE_EXTENSION, PL_ALERT_ILLEGAL_PARAMETER);
}

static void test_server_hello_with_a_malformed_extension_is_decode_error(void **state)
{
    /* renegotiation_info longer than its extension; extended_master_secret with a body;
     * ec_point_formats with an empty list; ALPN with two names */
    static const uint8_t reneg[] = {0xff, 0x01, 0x00, 0x02, 0x05, 0x00};
    static const uint8_t ems[] = {0x00, 0x17, 0x00, 0x01, 0x00};
    static const uint8_t formats[] = {0x00, 0x0b, 0x00, 0x01, 0x00};
    static const uint8_t alpn[] = {0x00, 0x10, 0x00, 0x07, 0x00, 0x05, 0x02, 'h', '2', 0x01, 'x'};
    static const struct {
        const uint8_t *ext;
        size_t len;
        int omit;               /* the server's own copy of the extension is left out */
    } rows[] = {
        {reneg, sizeof reneg, TTS_RENEG_OMIT},
        {ems, sizeof ems, 0},
        {formats, sizeof formats, 0},
        {alpn, sizeof alpn, 0},
    };
    pl_client_config cfg;
    (void)state;
    tts_config_default(&cfg);
    cfg.alpn[0] = alpn_h2;
    cfg.alpn_count = 1;
    for (size_t i = 0; i < PL_ARRAY_LEN(rows); i++) {
        tts_options o = tts_server_for(0xc02f);
        o.extra_ext = (pl_slice){rows[i].ext, rows[i].len};
        o.reneg = (enum tts_reneg)rows[i].omit;
        o.no_ems = rows[i].ext == ems;
        o.no_point_formats = rows[i].ext == formats;
        refused_with(&o, &cfg, NULL, NULL, SSL_ERR_HS_BAD_EXTENSION, PL_ALERT_DECODE_ERROR);
    }
}

static void test_non_empty_renegotiation_info_is_handshake_failure(void **state)
{
    static const uint8_t verify_data[12] = {1, 2, 3};
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    o.reneg = TTS_RENEG_VALUE;
    o.reneg_value = (pl_slice){verify_data, sizeof verify_data};
    refused(&o, SSL_ERR_HS_BAD_RENEGOTIATION_INFO, PL_ALERT_HANDSHAKE_FAILURE);
}

static void test_point_formats_without_uncompressed_is_illegal_parameter(void **state)
{
    static const uint8_t compressed_only[] = {1, 2};
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    o.point_formats = (pl_slice){compressed_only, sizeof compressed_only};
    refused(&o, SSL_ERR_HS_NO_UNCOMPRESSED_POINTS, PL_ALERT_ILLEGAL_PARAMETER);
}

static void append_byte_to_server_hello(tts_conn *k)
{
    msg_resize(&k->s->msgs[msg_index(k, PL_HS_SERVER_HELLO)], 1);
}

static void cut_server_hello_after_random(tts_conn *k)
{
    tts_buf *m = &k->s->msgs[msg_index(k, PL_HS_SERVER_HELLO)];
    msg_resize(m, -(long)(m->len - 4 - 34));
}

static void long_session_id(tts_conn *k)
{
    tts_buf *m = &k->s->msgs[msg_index(k, PL_HS_SERVER_HELLO)];
    m->ptr[4 + 34] = 33;
}

static void test_malformed_server_hello_is_decode_error(void **state)
{
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    refused_with(&o, NULL, NULL, append_byte_to_server_hello, SSL_ERR_DECODE_TRAILING,
                 PL_ALERT_DECODE_ERROR);
    refused_with(&o, NULL, NULL, cut_server_hello_after_random, SSL_ERR_DECODE_TRUNCATED,
                 PL_ALERT_DECODE_ERROR);
    refused_with(&o, NULL, NULL, long_session_id, SSL_ERR_DECODE_VEC_LENGTH,
                 PL_ALERT_DECODE_ERROR);
    o.sh_no_extensions = 1;
    refused_with(&o, NULL, NULL, append_byte_to_server_hello, SSL_ERR_DECODE_TRUNCATED,
                 PL_ALERT_DECODE_ERROR);
}

/* ---- Certificate ----------------------------------------------------------------------------- */

static void test_empty_certificate_list_is_bad_certificate(void **state)
{
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    o.chain_count = 0;
    refused(&o, SSL_ERR_HS_NO_CERTIFICATE, PL_ALERT_BAD_CERTIFICATE);
}

static void test_more_certificates_than_padlock_takes_is_bad_certificate(void **state)
{
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    for (size_t i = 1; i <= PL_MAX_CHAIN; i++) {
        o.chain[i] = tts_fixture("int");
    }
    o.chain_count = PL_MAX_CHAIN + 1;
    refused(&o, SSL_ERR_HS_TOO_MANY_CERTIFICATES, PL_ALERT_BAD_CERTIFICATE);
}

static void test_zero_length_certificate_entry_is_decode_error(void **state)
{
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    o.chain[1] = (pl_slice){NULL, 0};
    refused(&o, SSL_ERR_DECODE_VEC_LENGTH, PL_ALERT_DECODE_ERROR);
}

static void test_certificate_that_does_not_parse_is_bad_certificate(void **state)
{
    static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x01};
    tts_options o = tts_server_for(0xc02f);
    pl_slice leaf = o.chain[0];
    (void)state;
    o.chain[0] = (pl_slice){leaf.ptr, leaf.len - 1};
    refused(&o, SSL_ERR_DER_LENGTH_PAST_END, PL_ALERT_BAD_CERTIFICATE);
    o.chain[0] = (pl_slice){junk, sizeof junk};
    refused(&o, SSL_ERR_DER_UNEXPECTED_TAG, PL_ALERT_BAD_CERTIFICATE);
}

/* certificate_list's length one more than the message holds, or one less */
static void lengthen_certificate_list(tts_conn *k)
{
    k->s->msgs[msg_index(k, PL_HS_CERTIFICATE)].ptr[6] += 1;
}

static void shorten_certificate_list(tts_conn *k)
{
    k->s->msgs[msg_index(k, PL_HS_CERTIFICATE)].ptr[6] -= 1;
}

static void test_certificate_list_length_not_its_messages_is_decode_error(void **state)
{
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    refused_with(&o, NULL, NULL, lengthen_certificate_list, SSL_ERR_DECODE_TRUNCATED,
                 PL_ALERT_DECODE_ERROR);
    refused_with(&o, NULL, NULL, shorten_certificate_list, SSL_ERR_DECODE_TRUNCATED,
                 PL_ALERT_DECODE_ERROR);
}

static void test_chain_without_its_intermediate_is_unknown_ca(void **state)
{
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    o.chain_count = 1;
    refused(&o, SSL_ERR_CERT_UNKNOWN_ISSUER, PL_ALERT_UNKNOWN_CA);
}

static void test_self_signed_server_certificate_is_unknown_ca(void **state)
{
    tts_options o = tts_server_with(0xc02f, "leaf-self", &tts_key_rsa);
    (void)state;
    o.chain_count = 1;
    refused(&o, SSL_ERR_CERT_UNKNOWN_ISSUER, PL_ALERT_UNKNOWN_CA);
}

static void test_certificate_for_another_host_is_bad_certificate(void **state)
{
    tts_options o = tts_server_with(0xc02f, "leaf-other-host", &tts_key_rsa);
    (void)state;
    refused(&o, SSL_ERR_CERT_NAME_MISMATCH, PL_ALERT_BAD_CERTIFICATE);
    o = tts_server_for(0xc02f);
    refused_with(&o, NULL, "www.localhost", NULL, SSL_ERR_CERT_NAME_MISMATCH,
                 PL_ALERT_BAD_CERTIFICATE);
    refused_with(&o, NULL, "127.0.0.2", NULL, SSL_ERR_CERT_NAME_MISMATCH,
                 PL_ALERT_BAD_CERTIFICATE);
    refused_with(&o, NULL, "::1", NULL, SSL_ERR_CERT_NAME_MISMATCH, PL_ALERT_BAD_CERTIFICATE);
}

static void test_expired_and_not_yet_valid_certificates_are_refused(void **state)
{
    pl_client_config cfg;
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_config_default(&cfg);
    cfg.verify_time = 2538000000; /* 2050-06-05 */
    refused_with(&o, &cfg, NULL, NULL, SSL_ERR_CERT_EXPIRED, PL_ALERT_CERTIFICATE_EXPIRED);
    cfg.verify_time = 1685000000; /* 2023-05-25 */
    refused_with(&o, &cfg, NULL, NULL, SSL_ERR_CERT_NOT_YET_VALID, PL_ALERT_BAD_CERTIFICATE);
}

static void test_rsa_1024_leaf_is_insufficient_security(void **state)
{
    tts_options o = tts_server_with(0x009c, "leaf-rsa1024", &tts_key_rsa);
    (void)state;
    refused(&o, SSL_ERR_CERT_KEY_TOO_SMALL, PL_ALERT_INSUFFICIENT_SECURITY);
}

static void test_no_trust_anchors_refuses_without_an_alert(void **state)
{
    pl_client_config cfg;
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_config_default(&cfg);
    cfg.anchors = NULL;
    refused_with(&o, &cfg, NULL, NULL, SSL_ERR_NO_TRUST_ANCHORS, -1);
}

/* client.h: "Failure is sticky: ... every later call returns the same code." A failure whose
 * errors.def row has no alert must not be followed by a close_notify either: the handshake
 * did not end, it failed. */
static void test_close_after_a_silent_failure_returns_the_error_and_sends_nothing(void **state)
{
    pl_client_config cfg;
    tts_conn k;
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_config_default(&cfg);
    cfg.anchors = NULL;
    tts_conn_open(&k, &o, &cfg, NULL);
    assert_int_equal(tts_conn_flight1(&k, 0, 0), SSL_ERR_NO_TRUST_ANCHORS);
    assert_int_equal(pl_client_out(k.c).len, 0);
    int rc = pl_client_close(k.c);
    size_t queued = pl_client_out(k.c).len;
    tts_conn_close(&k);
    if (rc != SSL_ERR_NO_TRUST_ANCHORS || queued != 0) {
        fail_msg("pl_client_close after SSL_ERR_NO_TRUST_ANCHORS: %s, %zu bytes queued",
                 tts_err_name(rc), queued);
    }
}

static void test_leaf_key_type_that_does_not_fit_the_suite_is_unsupported_certificate(
    void **state)
{
    static const struct {
        uint16_t suite;
        const char *leaf;
        const pl_private_key *key;
    } rows[] = {
        {0xc02b, "leaf-rsa", &tts_key_rsa},  /* ECDHE_ECDSA needs an EC key */
        {0xcca9, "leaf-rsa", &tts_key_rsa},
        {0xc02f, "leaf-ec", &tts_key_ec},    /* ECDHE_RSA, DHE_RSA and RSA need an RSA key */
        {0x009e, "leaf-ec", &tts_key_ec},
        {0x009c, "leaf-ec", &tts_key_ec},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(rows); i++) {
        tts_options o = tts_server_with(rows[i].suite, rows[i].leaf, rows[i].key);
        refused(&o, SSL_ERR_HS_CERT_KEY_TYPE, PL_ALERT_UNSUPPORTED_CERTIFICATE);
    }
}

static void test_leaf_key_usage_that_does_not_fit_the_suite_is_unsupported_certificate(
    void **state)
{
    static const struct {
        uint16_t suite;
        const char *leaf;
        const pl_private_key *key;
    } rows[] = {
        {0x009c, "leaf-rsa-sign-only", &tts_key_rsa},     /* RSA key exchange: keyEncipherment */
        {0xc02f, "leaf-rsa-encipher-only", &tts_key_rsa}, /* signing: digitalSignature */
        {0x009e, "leaf-rsa-encipher-only", &tts_key_rsa},
        {0xc02b, "leaf-ec-agree-only", &tts_key_ec},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(rows); i++) {
        tts_options o = tts_server_with(rows[i].suite, rows[i].leaf, rows[i].key);
        refused(&o, SSL_ERR_HS_CERT_KEY_USAGE, PL_ALERT_UNSUPPORTED_CERTIFICATE);
    }
}

/* ---- ServerKeyExchange: choices ------------------------------------------------------------- */

static void test_server_kx_on_an_unoffered_group_is_illegal_parameter(void **state)
{
    pl_client_config cfg;
    (void)state;
    tts_config_default(&cfg);
    cfg.groups[0] = PL_GROUP_X25519;
    cfg.groups[1] = PL_GROUP_FFDHE2048;
    cfg.groups_count = 2;
    static const uint16_t ecdhe[] = {PL_GROUP_SECP256R1, PL_GROUP_SECP384R1};
    for (size_t i = 0; i < PL_ARRAY_LEN(ecdhe); i++) {
        tts_options o = tts_server_for(0xc02b);
        o.group = ecdhe[i];
        refused_with(&o, &cfg, NULL, NULL, SSL_ERR_HS_GROUP_NOT_OFFERED,
                     PL_ALERT_ILLEGAL_PARAMETER);
    }
    tts_options o = tts_server_for(0x009e);
    o.group = PL_GROUP_FFDHE3072;
    refused_with(&o, &cfg, NULL, NULL, SSL_ERR_HS_GROUP_NOT_OFFERED, PL_ALERT_ILLEGAL_PARAMETER);
    /* curves padlock does not know: secp521r1, x448, brainpoolP256r1, 0 */
    static const uint16_t unknown[] = {25, 30, 26, 0x0000};
    for (size_t i = 0; i < PL_ARRAY_LEN(unknown); i++) {
        o = tts_server_for(0xc02f);
        o.group = PL_GROUP_SECP256R1;
        o.skx_group = unknown[i] != 0 ? unknown[i] : 0xffff;
        refused(&o, SSL_ERR_HS_GROUP_NOT_OFFERED, PL_ALERT_ILLEGAL_PARAMETER);
    }
}

static void test_explicit_curve_parameters_are_illegal_parameter(void **state)
{
    tts_options o = tts_server_for(0xc02b);
    (void)state;
    o.skx_curve_type = 1;       /* explicit_prime */
    refused(&o, SSL_ERR_HS_NOT_NAMED_CURVE, PL_ALERT_ILLEGAL_PARAMETER);
    o.skx_curve_type = 2;       /* explicit_char2 */
    refused(&o, SSL_ERR_HS_NOT_NAMED_CURVE, PL_ALERT_ILLEGAL_PARAMETER);
}

static void test_server_kx_signature_scheme_not_offered_is_illegal_parameter(void **state)
{
    static const uint16_t pkcs1_only[] = {PL_SIG_RSA_PKCS1_SHA256};
    pl_client_config cfg;
    (void)state;
    tts_config_default(&cfg);
    cfg.sigalgs = pkcs1_only;
    cfg.sigalgs_count = 1;
    tts_options o = tts_server_for(0xc02f);       /* rsa_pss_rsae_sha256 */
    refused_with(&o, &cfg, NULL, NULL, SSL_ERR_HS_SIGALG_NOT_OFFERED, PL_ALERT_ILLEGAL_PARAMETER);
    /* SHA-1 schemes are never offered */
    o.sigalg = 0x0201;
    refused(&o, SSL_ERR_HS_SIGALG_NOT_OFFERED, PL_ALERT_ILLEGAL_PARAMETER);
    o = tts_server_for(0xc02b);
    o.sigalg = 0x0203;
    refused(&o, SSL_ERR_HS_SIGALG_NOT_OFFERED, PL_ALERT_ILLEGAL_PARAMETER);
    /* ed25519, rsa_pss_pss_sha256, anonymous: named, not made */
    static const uint16_t named[] = {0x0807, 0x0809, 0x0400, 0x0000};
    for (size_t i = 0; i < PL_ARRAY_LEN(named); i++) {
        o = tts_server_for(0xc02f);
        o.skx_sigalg = named[i] != 0 ? named[i] : 0x0100;
        refused(&o, SSL_ERR_HS_SIGALG_NOT_OFFERED, PL_ALERT_ILLEGAL_PARAMETER);
    }
}

static void test_signature_scheme_that_does_not_fit_the_key_is_illegal_parameter(void **state)
{
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    o.skx_sigalg = PL_SIG_ECDSA_SECP256R1_SHA256;       /* an RSA signature named ECDSA */
    refused(&o, SSL_ERR_HS_SIGALG_KEY_MISMATCH, PL_ALERT_ILLEGAL_PARAMETER);
    o = tts_server_for(0xc02b);
    o.skx_sigalg = PL_SIG_RSA_PSS_RSAE_SHA256;          /* an ECDSA signature named RSA */
    refused(&o, SSL_ERR_HS_SIGALG_KEY_MISMATCH, PL_ALERT_ILLEGAL_PARAMETER);
}

/* ---- ServerKeyExchange: the signature -------------------------------------------------------- */

static void flip_last_byte_of_server_kx(tts_conn *k)
{
    tts_buf *m = &k->s->msgs[msg_index(k, PL_HS_SERVER_KEY_EXCHANGE)];
    m->ptr[m->len - 1] ^= 0x01;
}

static void flip_first_signature_byte(tts_conn *k)
{
    tts_buf *m = &k->s->msgs[msg_index(k, PL_HS_SERVER_KEY_EXCHANGE)];
    /* ECDHE params: 4 (header) + 1 + 2 + 1 + point; then sigalg (2), length (2), signature */
    size_t at = 4 + 4 + m->ptr[4 + 3] + 4;
    m->ptr[at] ^= 0x80;
}

static void flip_a_public_value_byte(tts_conn *k)
{
    tts_buf *m = &k->s->msgs[msg_index(k, PL_HS_SERVER_KEY_EXCHANGE)];
    m->ptr[4 + 4 + 5] ^= 0x01;
}

static void flip_the_named_curve(tts_conn *k)
{
    tts_buf *m = &k->s->msgs[msg_index(k, PL_HS_SERVER_KEY_EXCHANGE)];
    m->ptr[4 + 2] ^= PL_GROUP_X25519 ^ PL_GROUP_SECP256R1; /* a curve the client also offered */
}

static void flip_the_server_random(tts_conn *k)
{
    k->s->msgs[msg_index(k, PL_HS_SERVER_HELLO)].ptr[4 + 2 + 31] ^= 0x01;
}

static void shorten_the_signature(tts_conn *k)
{
    tts_buf *m = &k->s->msgs[msg_index(k, PL_HS_SERVER_KEY_EXCHANGE)];
    size_t len_at = m->len;
    /* the signature's length prefix sits before its bytes: find it from the message end */
    for (size_t sig = 1; sig < 600 && sig + 2 <= m->len; sig++) {
        size_t at = m->len - sig - 2;
        if ((size_t)(m->ptr[at] << 8 | m->ptr[at + 1]) == sig) {
            len_at = at;
            break;
        }
    }
    assert_true(len_at < m->len);
    size_t sig = (size_t)(m->ptr[len_at] << 8 | m->ptr[len_at + 1]) - 1;
    m->ptr[len_at] = (uint8_t)(sig >> 8);
    m->ptr[len_at + 1] = (uint8_t)sig;
    msg_resize(m, -1);
}

static void empty_signature(tts_conn *k)
{
    tts_buf *m = &k->s->msgs[msg_index(k, PL_HS_SERVER_KEY_EXCHANGE)];
    for (size_t sig = 1; sig < 600 && sig + 2 <= m->len; sig++) {
        size_t at = m->len - sig - 2;
        if ((size_t)(m->ptr[at] << 8 | m->ptr[at + 1]) == sig) {
            m->ptr[at] = 0;
            m->ptr[at + 1] = 0;
            msg_resize(m, -(long)sig);
            return;
        }
    }
    fail_msg("no signature found");
}

static void test_tampered_server_kx_signature_is_decrypt_error(void **state)
{
    static const struct {
        uint16_t suite;
        uint16_t sigalg;
        const char *leaf;
        const pl_private_key *key;
    } rows[] = {
        {0xc02f, PL_SIG_RSA_PSS_RSAE_SHA256, "leaf-rsa", &tts_key_rsa},
        {0xc02f, PL_SIG_RSA_PKCS1_SHA384, "leaf-rsa", &tts_key_rsa},
        {0xc02b, PL_SIG_ECDSA_SECP256R1_SHA256, "leaf-ec", &tts_key_ec},
        {0xc02c, PL_SIG_ECDSA_SECP384R1_SHA384, "leaf-ec384", &tts_key_ec384},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(rows); i++) {
        tts_options o = tts_server_with(rows[i].suite, rows[i].leaf, rows[i].key);
        o.sigalg = rows[i].sigalg;
        refused_with(&o, NULL, NULL, flip_last_byte_of_server_kx, SSL_ERR_CRYPTO_BAD_SIGNATURE,
                     PL_ALERT_DECRYPT_ERROR);
        refused_with(&o, NULL, NULL, flip_a_public_value_byte, SSL_ERR_CRYPTO_BAD_SIGNATURE,
                     PL_ALERT_DECRYPT_ERROR);
        refused_with(&o, NULL, NULL, flip_the_named_curve, SSL_ERR_CRYPTO_BAD_SIGNATURE,
                     PL_ALERT_DECRYPT_ERROR);
        refused_with(&o, NULL, NULL, flip_the_server_random, SSL_ERR_CRYPTO_BAD_SIGNATURE,
                     PL_ALERT_DECRYPT_ERROR);
        o.sign_wrong_random = 1;
        refused(&o, SSL_ERR_CRYPTO_BAD_SIGNATURE, PL_ALERT_DECRYPT_ERROR);
    }
    /* RSA: the first byte of the signature (its value no longer below n, or simply wrong) */
    tts_options o = tts_server_for(0xc02f);
    refused_with(&o, NULL, NULL, flip_first_signature_byte, SSL_ERR_CRYPTO_BAD_SIGNATURE,
                 PL_ALERT_DECRYPT_ERROR);
}

static void test_signature_of_another_scheme_is_decrypt_error(void **state)
{
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    o.sigalg = PL_SIG_RSA_PKCS1_SHA256;     /* made as PKCS #1 v1.5, named PSS */
    o.skx_sigalg = PL_SIG_RSA_PSS_RSAE_SHA256;
    refused(&o, SSL_ERR_CRYPTO_BAD_SIGNATURE, PL_ALERT_DECRYPT_ERROR);
    o.sigalg = PL_SIG_RSA_PSS_RSAE_SHA384;  /* made with SHA-384, named SHA-256 */
    o.skx_sigalg = PL_SIG_RSA_PSS_RSAE_SHA256;
    refused(&o, SSL_ERR_CRYPTO_BAD_SIGNATURE, PL_ALERT_DECRYPT_ERROR);
    o = tts_server_for(0xc02b);
    o.sigalg = PL_SIG_ECDSA_SECP384R1_SHA384;
    o.skx_sigalg = PL_SIG_ECDSA_SECP256R1_SHA256;
    refused(&o, SSL_ERR_CRYPTO_BAD_SIGNATURE, PL_ALERT_DECRYPT_ERROR);
}

static void test_malformed_signature_is_decrypt_error(void **state)
{
    tts_options rsa = tts_server_for(0xc02f), ec = tts_server_for(0xc02b);
    (void)state;
    refused_with(&rsa, NULL, NULL, shorten_the_signature, SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING,
                 PL_ALERT_DECRYPT_ERROR);
    refused_with(&rsa, NULL, NULL, empty_signature, SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING,
                 PL_ALERT_DECRYPT_ERROR);
    refused_with(&ec, NULL, NULL, shorten_the_signature, SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING,
                 PL_ALERT_DECRYPT_ERROR);
    refused_with(&ec, NULL, NULL, empty_signature, SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING,
                 PL_ALERT_DECRYPT_ERROR);
}

static void trailing_byte_after_signature(tts_conn *k)
{
    msg_resize(&k->s->msgs[msg_index(k, PL_HS_SERVER_KEY_EXCHANGE)], 1);
}

static void test_malformed_server_kx_is_decode_error(void **state)
{
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    refused_with(&o, NULL, NULL, trailing_byte_after_signature, SSL_ERR_DECODE_TRAILING,
                 PL_ALERT_DECODE_ERROR);
    static const uint8_t nothing[1] = {0};
    o.skx_point = (pl_slice){nothing, 0};   /* ECPoint<1..2^8-1> empty */
    refused(&o, SSL_ERR_DECODE_VEC_LENGTH, PL_ALERT_DECODE_ERROR);
}

/* ---- ServerKeyExchange: the public values ---------------------------------------------------- */

static void ecdhe_point_refused(uint16_t group, const char *hex, int err)
{
    uint8_t point[128];
    size_t len = strlen(hex) / 2;
    assert_true(len <= sizeof point);
    pl_test_unhex_into(hex, point, len);
    tts_options o = tts_server_for(0xc02f);
    o.group = group;
    o.skx_point = (pl_slice){point, len};
    refused(&o, err, PL_ALERT_ILLEGAL_PARAMETER);
}

/* RFC 7748 §6.1: points of small order (and their non-canonical forms) give the all-zero
 * shared secret, whatever our private key. */
static void test_x25519_small_order_point_is_illegal_parameter(void **state)
{
    static const char *const points[] = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000080",
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(points); i++) {
        ecdhe_point_refused(PL_GROUP_X25519, points[i], SSL_ERR_CRYPTO_ZERO_SHARED_SECRET);
    }
}

static void test_x25519_point_of_the_wrong_length_is_illegal_parameter(void **state)
{
    (void)state;
    ecdhe_point_refused(PL_GROUP_X25519,
                        "09000000000000000000000000000000000000000000000000000000000000",
                        SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
    ecdhe_point_refused(PL_GROUP_X25519,
                        "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
                        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
                        SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
}

#define P256_GX "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
#define P256_GY "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
#define P256_P "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"
#define P384_GX "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a38" \
                "5502f25dbf55296c3a545e3872760ab7"
#define P384_GY "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c0" \
                "0a60b1ce1d7e819d7a431d7c90ea0e5f"

static void test_p256_point_off_the_curve_is_illegal_parameter(void **state)
{
    (void)state;
    /* the generator with its last bit changed */
    ecdhe_point_refused(PL_GROUP_SECP256R1,
                        "04" P256_GX
                        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f4",
                        SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE);
    /* (0, 0); x = p */
    ecdhe_point_refused(PL_GROUP_SECP256R1,
                        "04" "0000000000000000000000000000000000000000000000000000000000000000"
                        "0000000000000000000000000000000000000000000000000000000000000000",
                        SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE);
    ecdhe_point_refused(PL_GROUP_SECP256R1, "04" P256_P P256_GY,
                        SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE);
    ecdhe_point_refused(PL_GROUP_SECP384R1,
                        "04" P384_GX
                        "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c0"
                        "0a60b1ce1d7e819d7a431d7c90ea0e5e",
                        SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE);
}

static void test_p256_point_not_uncompressed_is_illegal_parameter(void **state)
{
    (void)state;
    ecdhe_point_refused(PL_GROUP_SECP256R1, "03" P256_GX, SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
    ecdhe_point_refused(PL_GROUP_SECP256R1, "00", SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
    ecdhe_point_refused(PL_GROUP_SECP256R1, "06" P256_GX P256_GY,
                        SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
    ecdhe_point_refused(PL_GROUP_SECP256R1, "04" P256_GX P256_GY "00",
                        SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
    ecdhe_point_refused(PL_GROUP_SECP384R1, "04" P256_GX P256_GY,
                        SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
}

static void dh_public_refused(const uint8_t *y, size_t len)
{
    tts_options o = tts_server_for(0x009e);
    o.dh_ys = (pl_slice){y, len};
    refused(&o, SSL_ERR_CRYPTO_DH_BAD_PUBLIC, PL_ALERT_ILLEGAL_PARAMETER);
}

/* RFC 7919 §5.1: 1 < y < p-1; 0, 1 and p-1 force the shared secret whatever our exponent. */
static void test_dh_public_value_out_of_range_is_illegal_parameter(void **state)
{
    static uint8_t y[PL_DH_MAX_LEN];
    const pl_dh_group *g = &pl_ffdhe2048;
    (void)state;
    y[0] = 0;
    dh_public_refused(y, 1);
    y[0] = 1;
    dh_public_refused(y, 1);
    memset(y, 0, g->p_len);
    y[g->p_len - 1] = 1;
    dh_public_refused(y, g->p_len);         /* 1 with leading zeros */
    memcpy(y, g->p, g->p_len);
    y[g->p_len - 1] -= 1;
    dh_public_refused(y, g->p_len);         /* p - 1 */
    memcpy(y, g->p, g->p_len);
    dh_public_refused(y, g->p_len);         /* p */
    memset(y, 0xff, g->p_len);
    dh_public_refused(y, g->p_len);         /* above p */
    memcpy(y + 1, g->p, g->p_len);
    y[0] = 1;
    dh_public_refused(y, g->p_len + 1);     /* longer than p */
}

static void test_weak_or_malformed_dh_group_is_refused(void **state)
{
    static uint8_t p[1100], g[PL_DH_MAX_LEN];
    static const uint8_t two = 2, one = 1, zero = 0;
    const pl_dh_group *ff = &pl_ffdhe2048;
    tts_options o = tts_server_for(0x009e);
    (void)state;
    /* 1024 bits (odd): Logjam */
    memset(p, 0xff, 128);
    o.dh_p = (pl_slice){p, 128};
    o.dh_g = (pl_slice){&two, 1};
    refused(&o, SSL_ERR_CRYPTO_DH_GROUP_TOO_SMALL, PL_ALERT_INSUFFICIENT_SECURITY);
    /* an even p */
    memcpy(p, ff->p, ff->p_len);
    p[ff->p_len - 1] ^= 1;
    o.dh_p = (pl_slice){p, ff->p_len};
    refused(&o, SSL_ERR_CRYPTO_DH_BAD_GROUP, PL_ALERT_ILLEGAL_PARAMETER);
    /* g = 0, 1 and p - 1 */
    memcpy(p, ff->p, ff->p_len);
    o.dh_g = (pl_slice){&one, 1};
    refused(&o, SSL_ERR_CRYPTO_DH_BAD_GROUP, PL_ALERT_ILLEGAL_PARAMETER);
    o.dh_g = (pl_slice){&zero, 1};
    refused(&o, SSL_ERR_CRYPTO_DH_BAD_GROUP, PL_ALERT_ILLEGAL_PARAMETER);
    memcpy(g, ff->p, ff->p_len);
    g[ff->p_len - 1] -= 1;
    o.dh_g = (pl_slice){g, ff->p_len};
    refused(&o, SSL_ERR_CRYPTO_DH_BAD_GROUP, PL_ALERT_ILLEGAL_PARAMETER);
    /* over 8192 bits */
    memset(p, 0xff, 1025);
    o.dh_p = (pl_slice){p, 1025};
    o.dh_g = (pl_slice){&two, 1};
    refused(&o, SSL_ERR_CRYPTO_DH_BAD_GROUP, PL_ALERT_ILLEGAL_PARAMETER);
}

/* ---- ServerHelloDone and CertificateRequest -------------------------------------------------- */

static void server_hello_done_with_a_body(tts_conn *k)
{
    msg_resize(&k->s->msgs[msg_index(k, PL_HS_SERVER_HELLO_DONE)], 1);
}

static void empty_certificate_types(tts_conn *k)
{
    static const uint8_t cr[] = {PL_HS_CERTIFICATE_REQUEST, 0, 0, 5, 0, 0, 2, 4, 1};
    size_t at = msg_index(k, PL_HS_CERTIFICATE_REQUEST);
    msg_drop(k, at);
    msg_insert(k, at, cr, sizeof cr);
}

static void odd_certificate_request_sigalgs(tts_conn *k)
{
    static const uint8_t cr[] = {PL_HS_CERTIFICATE_REQUEST, 0, 0, 8, 1, 1, 0, 3, 4, 1, 4, 0, 0};
    size_t at = msg_index(k, PL_HS_CERTIFICATE_REQUEST);
    msg_drop(k, at);
    msg_insert(k, at, cr, sizeof cr - 1);
}

static void test_malformed_server_hello_done_or_certificate_request_is_decode_error(void **state)
{
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    refused_with(&o, NULL, NULL, server_hello_done_with_a_body, SSL_ERR_DECODE_TRAILING,
                 PL_ALERT_DECODE_ERROR);
    o.cert_request = 1;
    refused_with(&o, NULL, NULL, empty_certificate_types, SSL_ERR_DECODE_VEC_LENGTH,
                 PL_ALERT_DECODE_ERROR);
    refused_with(&o, NULL, NULL, odd_certificate_request_sigalgs, SSL_ERR_DECODE_VEC_LENGTH,
                 PL_ALERT_DECODE_ERROR);
}

/* ---- records and alerts ---------------------------------------------------------------------- */

/* The client, right after its ClientHello, given hand-made bytes. */
static void raw_refused(const tts_buf *b, int err, int alert)
{
    static const size_t chunks[] = {0, 1};
    for (size_t i = 0; i < PL_ARRAY_LEN(chunks); i++) {
        tts_conn k;
        tts_options o = tts_server_for(0xc02f);
        tts_conn_open(&k, &o, NULL, NULL);
        int rc = tts_conn_feed(&k, b, chunks[i]);
        tts_conn_expect_refused(&k, rc, err, alert);
        tts_conn_close(&k);
    }
}

static void test_record_of_unknown_type_is_unexpected_message(void **state)
{
    static const uint8_t types[] = {0, 19, 24, 25, 99, 255};
    static const uint8_t body[2] = {1, 2};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(types); i++) {
        tts_buf b = {0};
        tts_plain_record(&b, types[i], 0x0303, body, sizeof body);
        raw_refused(&b, SSL_ERR_RECORD_BAD_TYPE, PL_ALERT_UNEXPECTED_MESSAGE);
        tts_buf_free(&b);
    }
}

static void test_record_with_a_bad_version_is_protocol_version(void **state)
{
    static const uint16_t versions[] = {0x0200, 0x0403, 0x0002, 0xfeff};
    static const uint8_t done[4] = {PL_HS_SERVER_HELLO_DONE, 0, 0, 0};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(versions); i++) {
        tts_buf b = {0};
        tts_plain_record(&b, PL_CT_HANDSHAKE, versions[i], done, sizeof done);
        raw_refused(&b, SSL_ERR_RECORD_BAD_VERSION, PL_ALERT_PROTOCOL_VERSION);
        tts_buf_free(&b);
    }
    /* after ServerHello only 3.3 will do */
    static const uint16_t after[] = {0x0301, 0x0302, 0x0300};
    for (size_t i = 0; i < PL_ARRAY_LEN(after); i++) {
        tts_conn k;
        tts_buf b = {0};
        tts_options o = tts_server_for(0xc02f);
        tts_conn_open(&k, &o, NULL, NULL);
        tts_write(k.s, PL_CT_HANDSHAKE, k.s->msgs[0].ptr, k.s->msgs[0].len, &b);
        tts_plain_record(&b, PL_CT_HANDSHAKE, after[i], k.s->msgs[1].ptr, k.s->msgs[1].len);
        tts_conn_expect_refused(&k, tts_conn_feed(&k, &b, 0), SSL_ERR_RECORD_BAD_VERSION,
                                PL_ALERT_PROTOCOL_VERSION);
        tts_buf_free(&b);
        tts_conn_close(&k);
    }
}

static void test_server_hello_in_a_tls10_record_is_accepted(void **state)
{
    tts_conn k;
    tts_buf b = {0};
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_conn_open(&k, &o, NULL, NULL);
    tts_transcript_add(k.s, k.s->msgs[0].ptr, k.s->msgs[0].len);
    tts_plain_record(&b, PL_CT_HANDSHAKE, 0x0301, k.s->msgs[0].ptr, k.s->msgs[0].len);
    assert_int_equal(tts_conn_feed(&k, &b, 0), SSL_ERR_WANT_READ);
    msg_drop(&k, 0);
    tts_conn_connect(&k, 0, 0);
    tts_buf_free(&b);
    tts_conn_close(&k);
}

static void test_oversized_record_is_record_overflow_at_its_header(void **state)
{
    static const uint8_t headers[][5] = {
        {PL_CT_HANDSHAKE, 3, 3, 0x40, 0x01},            /* 2^14 + 1 of plaintext */
        {PL_CT_ALERT, 3, 3, 0xff, 0xff},
        {PL_CT_APPLICATION_DATA, 3, 1, 0x48, 0x00},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(headers); i++) {
        tts_buf b = {0};
        tts_buf_add(&b, headers[i], 5);
        raw_refused(&b, SSL_ERR_RECORD_OVERFLOW, PL_ALERT_RECORD_OVERFLOW);
        tts_buf_free(&b);
    }
}

/* Once protected, a record may carry the AEAD's expansion on top of 2^14: one byte more is
 * refused at the header, exactly that much is opened (and here fails authentication). */
static void test_protected_record_limit_is_the_plaintext_limit_plus_expansion(void **state)
{
    static const uint16_t suites[] = {0xc02f, 0xcca8};
    static uint8_t junk[PL_RECORD_MAX_LEN];
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(suites); i++) {
        for (int over = 0; over <= 1; over++) {
            tts_conn k;
            tts_buf b = {0};
            tts_options o = tts_server_for(suites[i]);
            tts_conn_open(&k, &o, NULL, NULL);
            tts_conn_connect(&k, 0, 0);
            const pl_suite *s = k.c->suite;
            size_t limit = PL_RECORD_MAX_PLAINTEXT + s->record_iv_len + 16u + (over ? 1u : 0u);
            uint8_t header[5] = {PL_CT_APPLICATION_DATA, 3, 3, (uint8_t)(limit >> 8),
                                 (uint8_t)limit};
            tts_buf_add(&b, header, sizeof header);
            if (!over) {
                tts_buf_add(&b, junk, limit);
            }
            tts_give(k.c, b.ptr, b.len);
            uint8_t buf[16];
            long rc = pl_client_read(k.c, buf, sizeof buf);
            if (over) {
                tts_conn_expect_refused(&k, (int)rc, SSL_ERR_RECORD_OVERFLOW,
                                        PL_ALERT_RECORD_OVERFLOW);
            } else {
                tts_conn_expect_refused(&k, (int)rc, SSL_ERR_RECORD_BAD_MAC,
                                        PL_ALERT_BAD_RECORD_MAC);
            }
            tts_buf_free(&b);
            tts_conn_close(&k);
        }
    }
}

static void test_empty_handshake_alert_or_ccs_record_is_unexpected_message(void **state)
{
    static const uint8_t types[] = {PL_CT_HANDSHAKE, PL_CT_ALERT, PL_CT_CHANGE_CIPHER_SPEC};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(types); i++) {
        tts_buf b = {0};
        tts_plain_record(&b, types[i], 0x0303, NULL, 0);
        raw_refused(&b, SSL_ERR_RECORD_EMPTY_FRAGMENT, PL_ALERT_UNEXPECTED_MESSAGE);
        tts_buf_free(&b);
    }
}

static void test_change_cipher_spec_not_the_byte_one_is_decode_error(void **state)
{
    static const uint8_t two = 2, one_one[2] = {1, 1};
    tts_buf b = {0};
    (void)state;
    tts_plain_record(&b, PL_CT_CHANGE_CIPHER_SPEC, 0x0303, &two, 1);
    raw_refused(&b, SSL_ERR_RECORD_BAD_CCS, PL_ALERT_DECODE_ERROR);
    b.len = 0;
    tts_plain_record(&b, PL_CT_CHANGE_CIPHER_SPEC, 0x0303, one_one, 2);
    raw_refused(&b, SSL_ERR_RECORD_BAD_CCS, PL_ALERT_DECODE_ERROR);
    tts_buf_free(&b);
}

/* A ServerHello split over two records with another record type between the halves. */
static void test_record_inside_a_fragmented_message_is_unexpected_message(void **state)
{
    static const uint8_t warning[2] = {1, PL_ALERT_UNRECOGNIZED_NAME};
    static const uint8_t one = 1, data[1] = {0};
    static const struct {
        uint8_t type;
        const uint8_t *body;
        size_t len;
    } between[] = {
        {PL_CT_ALERT, warning, 2},
        {PL_CT_CHANGE_CIPHER_SPEC, &one, 1},
        {PL_CT_APPLICATION_DATA, data, 1},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(between); i++) {
        tts_conn k;
        tts_buf b = {0};
        tts_options o = tts_server_for(0xc02f);
        tts_conn_open(&k, &o, NULL, NULL);
        tts_buf *sh = &k.s->msgs[0];
        tts_write(k.s, PL_CT_HANDSHAKE, sh->ptr, 10, &b);
        tts_write(k.s, between[i].type, between[i].body, between[i].len, &b);
        tts_write(k.s, PL_CT_HANDSHAKE, sh->ptr + 10, sh->len - 10, &b);
        tts_conn_expect_refused(&k, tts_conn_feed(&k, &b, 0), SSL_ERR_RECORD_INTERLEAVED,
                                PL_ALERT_UNEXPECTED_MESSAGE);
        tts_buf_free(&b);
        tts_conn_close(&k);
    }
}

/* A Certificate message of ten certificates (larger than the buffer a handshake starts with):
 * accepted however it is cut, up to a limit of exactly its size, refused one byte under. */
static void test_large_certificate_message_is_accepted_up_to_the_limit(void **state)
{
    static const char *const extras[] = {"root", "leaf-ec", "leaf-ec384", "leaf-other-host",
                                         "leaf-self", "leaf-rsa-sign-only", "leaf-rsa1024",
                                         "leaf-ec-agree-only"};
    pl_client_config cfg;
    tts_options o = tts_server_for(0xc02f);
    size_t size = 4 + 3;
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(extras); i++) {
        o.chain[o.chain_count++] = tts_fixture(extras[i]);
    }
    assert_int_equal(o.chain_count, PL_MAX_CHAIN);
    for (size_t i = 0; i < o.chain_count; i++) {
        size += 3 + o.chain[i].len;
    }
    assert_true(size > 4096);
    for (size_t i = 0; i < PL_ARRAY_LEN(feed_plans); i++) {
        connects(&o, NULL, NULL, feed_plans[i][0], feed_plans[i][1]);
    }
    tts_config_default(&cfg);
    cfg.hs_limit = size;
    connects(&o, &cfg, NULL, 0, 0);
    connects(&o, &cfg, NULL, 1, 0);
    cfg.hs_limit = size - 1;
    refused_with(&o, &cfg, NULL, NULL, SSL_ERR_HS_MESSAGE_TOO_LARGE, PL_ALERT_HANDSHAKE_FAILURE);
}

static void test_handshake_message_over_the_limit_is_handshake_failure(void **state)
{
    pl_client_config cfg;
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_config_default(&cfg);
    cfg.hs_limit = 1024;        /* the Certificate message is larger */
    refused_with(&o, &cfg, NULL, NULL, SSL_ERR_HS_MESSAGE_TOO_LARGE, PL_ALERT_HANDSHAKE_FAILURE);
    /* a header announcing 2^24 - 1 bytes is refused as soon as it is read */
    tts_buf b = {0};
    static const uint8_t huge[4] = {PL_HS_SERVER_HELLO, 0xff, 0xff, 0xff};
    tts_plain_record(&b, PL_CT_HANDSHAKE, 0x0303, huge, sizeof huge);
    raw_refused(&b, SSL_ERR_HS_MESSAGE_TOO_LARGE, PL_ALERT_HANDSHAKE_FAILURE);
    tts_buf_free(&b);
}

static void test_fatal_alert_from_the_server_ends_the_handshake_without_reply(void **state)
{
    static const uint8_t alerts[][2] = {{2, PL_ALERT_HANDSHAKE_FAILURE},
                                        {2, PL_ALERT_PROTOCOL_VERSION},
                                        {2, 200}};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(alerts); i++) {
        tts_buf b = {0};
        tts_plain_record(&b, PL_CT_ALERT, 0x0303, alerts[i], 2);
        raw_refused(&b, SSL_ERR_ALERT_RECEIVED, -1);
        tts_buf_free(&b);
    }
}

static void test_close_notify_during_the_handshake_is_closed(void **state)
{
    static const uint8_t close_notify[2] = {1, PL_ALERT_CLOSE_NOTIFY};
    tts_buf b = {0};
    (void)state;
    tts_plain_record(&b, PL_CT_ALERT, 0x0303, close_notify, 2);
    raw_refused(&b, SSL_ERR_CLOSED, -1);
    tts_buf_free(&b);
}

static void test_alert_record_not_two_bytes_is_decode_error(void **state)
{
    static const uint8_t three[3] = {1, 0, 0};
    tts_buf b = {0};
    (void)state;
    tts_plain_record(&b, PL_CT_ALERT, 0x0303, three, 3);
    raw_refused(&b, SSL_ERR_DECODE_TRAILING, PL_ALERT_DECODE_ERROR);
    b.len = 0;
    tts_plain_record(&b, PL_CT_ALERT, 0x0303, three, 1);
    raw_refused(&b, SSL_ERR_DECODE_TRAILING, PL_ALERT_DECODE_ERROR);
    tts_buf_free(&b);
}

static void test_a_run_of_warning_alerts_is_refused(void **state)
{
    static const uint8_t warning[2] = {1, PL_ALERT_UNRECOGNIZED_NAME};
    tts_buf b = {0};
    (void)state;
    for (int i = 0; i <= PL_RECORD_MAX_EMPTY; i++) {
        tts_plain_record(&b, PL_CT_ALERT, 0x0303, warning, 2);
    }
    raw_refused(&b, SSL_ERR_HS_TOO_MANY_WARNINGS, PL_ALERT_UNEXPECTED_MESSAGE);
    /* one fewer is tolerated */
    tts_conn k;
    tts_options o = tts_server_for(0xc02f);
    tts_conn_open(&k, &o, NULL, NULL);
    assert_int_equal(tts_feed(k.c, b.ptr, b.len - 7, 0), SSL_ERR_WANT_READ);
    tts_conn_connect(&k, 0, 0);
    tts_conn_close(&k);
    tts_buf_free(&b);
}

/* ---- end of stream --------------------------------------------------------------------------- */

static void test_eof_during_the_handshake_is_truncation(void **state)
{
    static const size_t cuts[] = {0, 1, 5, 6, 40, 300, 1000, 1};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(cuts); i++) {
        tts_conn k;
        tts_buf b = {0};
        tts_options o = tts_server_for(0xc02f);
        tts_conn_open(&k, &o, NULL, NULL);
        tts_frame(k.s, &b, 0);
        size_t cut = i + 1 < PL_ARRAY_LEN(cuts) ? cuts[i] : b.len - cuts[i];
        assert_true(cut < b.len);
        assert_int_equal(tts_feed(k.c, b.ptr, cut, 0), SSL_ERR_WANT_READ);
        pl_client_in_eof(k.c);
        tts_conn_expect_refused(&k, pl_client_handshake(k.c), SSL_ERR_TRUNCATED, -1);
        tts_buf_free(&b);
        tts_conn_close(&k);
    }
}

static void test_eof_without_close_notify_after_the_handshake_is_truncation(void **state)
{
    static const uint8_t data[5] = "12345";
    uint8_t buf[16];
    (void)state;
    /* at a record boundary, after some data */
    tts_conn k;
    tts_buf b = {0};
    tts_options o = tts_server_for(0xcca8);
    tts_conn_open(&k, &o, NULL, NULL);
    tts_conn_connect(&k, 0, 0);
    tts_write(k.s, PL_CT_APPLICATION_DATA, data, sizeof data, &b);
    tts_give(k.c, b.ptr, b.len);
    pl_client_in_eof(k.c);
    assert_int_equal(pl_client_read(k.c, buf, sizeof buf), (long)sizeof data);
    tts_conn_expect_refused(&k, (int)pl_client_read(k.c, buf, sizeof buf), SSL_ERR_TRUNCATED, -1);
    tts_conn_close(&k);
    /* in the middle of a record */
    b.len = 0;
    tts_conn_open(&k, &o, NULL, NULL);
    tts_conn_connect(&k, 0, 0);
    tts_write(k.s, PL_CT_APPLICATION_DATA, data, sizeof data, &b);
    tts_give(k.c, b.ptr, b.len - 1);
    assert_int_equal(pl_client_read(k.c, buf, sizeof buf), SSL_ERR_WANT_READ);
    pl_client_in_eof(k.c);
    tts_conn_expect_refused(&k, (int)pl_client_read(k.c, buf, sizeof buf), SSL_ERR_TRUNCATED, -1);
    tts_conn_close(&k);
    tts_buf_free(&b);
}

static void test_eof_after_close_notify_is_a_clean_end(void **state)
{
    static const uint8_t close_notify[2] = {1, PL_ALERT_CLOSE_NOTIFY};
    uint8_t buf[16];
    tts_conn k;
    tts_buf b = {0};
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_conn_open(&k, &o, NULL, NULL);
    tts_conn_connect(&k, 0, 0);
    tts_write(k.s, PL_CT_ALERT, close_notify, 2, &b);
    tts_give(k.c, b.ptr, b.len);
    pl_client_in_eof(k.c);
    assert_int_equal(pl_client_read(k.c, buf, sizeof buf), 0);
    assert_int_equal(pl_client_read(k.c, buf, sizeof buf), 0);
    assert_int_equal(k.c->error, 0);
    tts_buf_free(&b);
    tts_conn_close(&k);
}

/* ---- after the handshake --------------------------------------------------------------------- */

static void test_hello_request_after_the_handshake_gets_a_no_renegotiation_warning(void **state)
{
    static const uint8_t hello_request[4] = {PL_HS_HELLO_REQUEST, 0, 0, 0};
    static const uint8_t data[3] = "abc";
    uint8_t buf[16];
    tts_conn k;
    tts_buf b = {0};
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_conn_open(&k, &o, NULL, NULL);
    tts_conn_connect(&k, 0, 0);
    /* alone: nothing to read yet, the warning is queued */
    tts_write(k.s, PL_CT_HANDSHAKE, hello_request, 4, &b);
    tts_give(k.c, b.ptr, b.len);
    assert_int_equal(pl_client_read(k.c, buf, sizeof buf), SSL_ERR_WANT_READ);
    assert_int_equal(tts_conn_pump(&k), 0);
    assert_int_equal(k.s->alerts, 1);
    assert_int_equal(k.s->alert_level, 1);
    assert_int_equal(k.s->alert_desc, PL_ALERT_NO_RENEGOTIATION);
    assert_true(k.s->alert_encrypted);
    /* split over two records, and followed by data: the data is read, a second warning sent */
    b.len = 0;
    tts_write(k.s, PL_CT_HANDSHAKE, hello_request, 1, &b);
    tts_write(k.s, PL_CT_HANDSHAKE, hello_request + 1, 3, &b);
    tts_write(k.s, PL_CT_APPLICATION_DATA, data, sizeof data, &b);
    tts_give(k.c, b.ptr, b.len);
    assert_int_equal(pl_client_read(k.c, buf, sizeof buf), (long)sizeof data);
    assert_memory_equal(buf, data, sizeof data);
    assert_int_equal(tts_conn_pump(&k), 0);
    assert_int_equal(k.s->alerts, 2);
    assert_int_equal(k.s->alert_desc, PL_ALERT_NO_RENEGOTIATION);
    /* the connection goes on both ways */
    exchange_data_and_close(&k);
    tts_buf_free(&b);
    tts_conn_close(&k);
}

static void after_handshake_refused(const uint8_t *msg, size_t len, uint8_t type, int err,
                                    int alert)
{
    tts_conn k;
    tts_buf b = {0};
    uint8_t buf[16];
    tts_options o = tts_server_for(0xc02f);
    tts_conn_open(&k, &o, NULL, NULL);
    tts_conn_connect(&k, 0, 0);
    tts_write(k.s, type, msg, len, &b);
    tts_give(k.c, b.ptr, b.len);
    tts_conn_expect_refused(&k, (int)pl_client_read(k.c, buf, sizeof buf), err, alert);
    tts_buf_free(&b);
    tts_conn_close(&k);
}

static void test_handshake_messages_after_the_handshake_are_refused(void **state)
{
    static const uint8_t hello_request_with_body[5] = {PL_HS_HELLO_REQUEST, 0, 0, 1, 0};
    static const uint8_t done[4] = {PL_HS_SERVER_HELLO_DONE, 0, 0, 0};
    static const uint8_t big_ticket[4 + 200] = {PL_HS_NEW_SESSION_TICKET, 0, 0, 200};
    (void)state;
    after_handshake_refused(hello_request_with_body, sizeof hello_request_with_body,
                            PL_CT_HANDSHAKE, SSL_ERR_DECODE_TRAILING, PL_ALERT_DECODE_ERROR);
    after_handshake_refused(done, sizeof done, PL_CT_HANDSHAKE, SSL_ERR_HS_UNEXPECTED_MESSAGE,
                            PL_ALERT_UNEXPECTED_MESSAGE);
    for (size_t f = 0; f < PL_ARRAY_LEN(foreign_messages); f++) {
        after_handshake_refused(foreign_messages[f].bytes, foreign_messages[f].len,
                                PL_CT_HANDSHAKE, SSL_ERR_HS_UNEXPECTED_MESSAGE,
                                PL_ALERT_UNEXPECTED_MESSAGE);
    }
    /* after the handshake the message buffer is small: a larger message is refused by size */
    after_handshake_refused(big_ticket, sizeof big_ticket, PL_CT_HANDSHAKE,
                            SSL_ERR_HS_MESSAGE_TOO_LARGE, PL_ALERT_HANDSHAKE_FAILURE);
}

static void test_warning_alert_after_the_handshake_is_ignored(void **state)
{
    static const uint8_t warning[2] = {1, PL_ALERT_USER_CANCELED};
    static const uint8_t data[4] = "data";
    uint8_t buf[16];
    tts_conn k;
    tts_buf b = {0};
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_conn_open(&k, &o, NULL, NULL);
    tts_conn_connect(&k, 0, 0);
    tts_write(k.s, PL_CT_ALERT, warning, sizeof warning, &b);
    tts_write(k.s, PL_CT_APPLICATION_DATA, data, sizeof data, &b);
    tts_give(k.c, b.ptr, b.len);
    assert_int_equal(pl_client_read(k.c, buf, sizeof buf), (long)sizeof data);
    assert_int_equal(k.c->error, 0);
    exchange_data_and_close(&k);
    tts_buf_free(&b);
    tts_conn_close(&k);
}

static void test_fatal_alert_after_the_handshake_ends_reading(void **state)
{
    static const uint8_t fatal[2] = {2, PL_ALERT_BAD_RECORD_MAC};
    (void)state;
    after_handshake_refused(fatal, 2, PL_CT_ALERT, SSL_ERR_ALERT_RECEIVED, -1);
}

static void test_tampered_application_data_is_bad_record_mac(void **state)
{
    static const uint8_t data[5] = "12345";
    uint8_t buf[16];
    tts_conn k;
    tts_buf b = {0};
    tts_options o = tts_server_for(0xc02b);
    (void)state;
    tts_conn_open(&k, &o, NULL, NULL);
    tts_conn_connect(&k, 0, 0);
    tts_write(k.s, PL_CT_APPLICATION_DATA, data, sizeof data, &b);
    b.ptr[b.len - 1] ^= 0x80;
    tts_give(k.c, b.ptr, b.len);
    tts_conn_expect_refused(&k, (int)pl_client_read(k.c, buf, sizeof buf), SSL_ERR_RECORD_BAD_MAC,
                            PL_ALERT_BAD_RECORD_MAC);
    tts_buf_free(&b);
    tts_conn_close(&k);
}

static void test_empty_application_data_records_are_skipped_up_to_a_limit(void **state)
{
    static const uint8_t data[2] = "ok";
    uint8_t buf[16];
    tts_conn k;
    tts_buf b = {0};
    tts_options o = tts_server_for(0xc02f);
    (void)state;
    tts_conn_open(&k, &o, NULL, NULL);
    tts_conn_connect(&k, 0, 0);
    for (int i = 0; i < PL_RECORD_MAX_EMPTY; i++) {
        tts_write(k.s, PL_CT_APPLICATION_DATA, NULL, 0, &b);
    }
    tts_write(k.s, PL_CT_APPLICATION_DATA, data, sizeof data, &b);
    tts_give(k.c, b.ptr, b.len);
    assert_int_equal(pl_client_read(k.c, buf, sizeof buf), (long)sizeof data);
    b.len = 0;
    for (int i = 0; i <= PL_RECORD_MAX_EMPTY; i++) {
        tts_write(k.s, PL_CT_APPLICATION_DATA, NULL, 0, &b);
    }
    tts_give(k.c, b.ptr, b.len);
    tts_conn_expect_refused(&k, (int)pl_client_read(k.c, buf, sizeof buf),
                            SSL_ERR_RECORD_TOO_MANY_EMPTY, PL_ALERT_UNEXPECTED_MESSAGE);
    tts_buf_free(&b);
    tts_conn_close(&k);
}

static void test_calls_out_of_order_are_bad_state(void **state)
{
    pl_client_config cfg;
    uint8_t buf[4];
    (void)state;
    tts_config_default(&cfg);
    pl_client *c = pl_client_new(&cfg);
    assert_non_null(c);
    assert_int_equal(pl_client_set_host(c, ""), SSL_ERR_BAD_HOSTNAME);
    assert_int_equal(pl_client_handshake(c), SSL_ERR_BAD_STATE);
    assert_int_equal(pl_client_read(c, buf, sizeof buf), SSL_ERR_BAD_STATE);
    assert_int_equal(pl_client_write(c, buf, 1), SSL_ERR_BAD_STATE);
    assert_int_equal(pl_client_close(c), SSL_ERR_BAD_STATE);
    assert_int_equal(pl_client_set_host(c, "localhost"), 0);
    assert_int_equal(pl_client_start(c), 0);
    assert_int_equal(pl_client_start(c), SSL_ERR_BAD_STATE);
    assert_int_equal(pl_client_set_host(c, "example.com"), SSL_ERR_BAD_STATE);
    assert_int_equal(pl_client_handshake(c), SSL_ERR_WANT_READ);
    assert_int_equal(pl_client_read(c, buf, sizeof buf), SSL_ERR_BAD_STATE);
    assert_int_equal(pl_client_write(c, buf, 1), SSL_ERR_BAD_STATE);
    assert_int_equal(c->error, 0);
    pl_client_free(c);
    pl_client_free(NULL);

    tts_conn k;
    tts_options o = tts_server_for(0xc02f);
    tts_conn_open(&k, &o, NULL, NULL);
    tts_conn_connect(&k, 0, 0);
    assert_int_equal(pl_client_read(k.c, buf, 0), SSL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_client_write(k.c, buf, 0), 0);
    assert_int_equal(pl_client_handshake(k.c), 0);
    tts_conn_close(&k);
}

static void test_start_with_an_empty_suite_list_fails_and_sends_nothing(void **state)
{
    pl_client_config cfg;
    uint8_t buf[4];
    (void)state;
    tts_config_default(&cfg);
    cfg.suites_count = 0;
    pl_client *c = pl_client_new(&cfg);
    assert_non_null(c);
    assert_int_equal(pl_client_set_host(c, "localhost"), 0);
    assert_int_equal(pl_client_start(c), SSL_ERR_CONFIG_EMPTY_LIST);
    assert_int_equal(c->state, PL_ST_FAILED);
    assert_null(c->hs);
    assert_int_equal(pl_client_out(c).len, 0);
    assert_int_equal(pl_client_handshake(c), SSL_ERR_CONFIG_EMPTY_LIST);
    assert_int_equal(pl_client_read(c, buf, sizeof buf), SSL_ERR_CONFIG_EMPTY_LIST);
    pl_client_free(c);
}

/* client.h: pl_client_set_host is "SSL_ERR_BAD_HOSTNAME for a name that is neither" a DNS name
 * nor an IP literal, so that such a name is never sent as SNI nor fails only later at the
 * certificate check. */
static void test_set_host_refuses_a_name_that_is_neither_dns_nor_ip(void **state)
{
    static const char *const bad[] = {
        "exa mple.com", "a..b", "host/path", "bad:name", "x\ty", ".", "*.example.com",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", /* 65 */
    };
    static const char *const good[] = {"localhost", "localhost.", "a-b.example", "127.0.0.1",
                                       "::1", "xn--bcher-kva.example"};
    char long_name[PL_HOSTNAME_MAX + 2];
    pl_client_config cfg;
    size_t wrong = 0;
    (void)state;
    tts_config_default(&cfg);
    for (size_t i = 0; i < PL_ARRAY_LEN(good); i++) {
        pl_client *c = pl_client_new(&cfg);
        assert_non_null(c);
        assert_int_equal(pl_client_set_host(c, good[i]), 0);
        pl_client_free(c);
    }
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    for (size_t i = 0; i < 20; i++) {
        long_name[i * 12 + 11] = '.';  /* 12-byte labels: only the length is wrong */
    }
    pl_client *c = pl_client_new(&cfg);
    assert_non_null(c);
    assert_int_equal(pl_client_set_host(c, long_name), SSL_ERR_BAD_HOSTNAME);
    pl_client_free(c);
    for (size_t i = 0; i < PL_ARRAY_LEN(bad); i++) {
        c = pl_client_new(&cfg);
        assert_non_null(c);
        int rc = pl_client_set_host(c, bad[i]);
        if (rc != SSL_ERR_BAD_HOSTNAME) {
            print_message("pl_client_set_host(\"%s\") = %s\n", bad[i], tts_err_name(rc));
            wrong++;
        }
        pl_client_free(c);
    }
    assert_int_equal(wrong, 0);
}

/* ---- properties: any change to the first flight, any cut ------------------------------------ */

/* The client, fed a damaged first flight, must end failed: when it got as far as sending its
 * own flight the server answers it (its Finished cannot match), and when it still waits the
 * stream ends. Its error's alert, if the row has one, is the last thing it sent, once. */
static void drive_damaged(tts_conn *k, int rc, size_t where)
{
    if (rc == SSL_ERR_WANT_READ && k->c->state == PL_ST_WAIT_SERVER_CCS) {
        tts_buf b = {0};
        (void)tts_conn_pump(k);
        if (k->s->have_keys) {
            assert_int_equal(tts_send_finished(k->s, &b), 0);
            rc = tts_conn_feed(k, &b, 0);
        }
        tts_buf_free(&b);
    }
    if (rc == SSL_ERR_WANT_READ) {
        pl_client_in_eof(k->c);
        rc = pl_client_handshake(k->c);
    }
    if (rc >= 0 || k->c->error != rc || k->c->state != PL_ST_FAILED) {
        fail_msg("damage at byte %zu: %s, state %d (%s)", where, tts_err_name(rc), k->c->state,
                 k->c->detail);
    }
    uint8_t type;
    const uint8_t *body;
    size_t len;
    tts_last_record(pl_client_out(k->c), &type, &body, &len);
    int alert = pl_error_alert(rc);
    int silent = rc == SSL_ERR_TRUNCATED || rc == SSL_ERR_ALERT_RECEIVED || rc == SSL_ERR_CLOSED;
    if (alert >= 0 && !silent) {
        assert_int_equal(type, PL_CT_ALERT);
        if (!tts_client_encrypts(k->c)) {
            assert_int_equal(len, 2);
            assert_int_equal(body[0], 2);
            assert_int_equal(body[1], alert);
        }
    } else {
        assert_true(type != PL_CT_ALERT);
    }
}

/* Every byte of an RSA key exchange flight (nothing in it depends on the client's random, so
 * it is rebuilt identically for every client) changed by a seeded random non-zero mask. Only
 * the first record's minor version is not protected by anything: 3.x is accepted there. */
static void test_any_changed_byte_of_the_first_flight_is_refused(void **state)
{
    (void)state;
    pl_test_seed();
    tts_options o = tts_server_for(0x009c);
    o.cert_request = 1;
    size_t len = 0;
    for (size_t at = 0;; at++) {
        tts_conn k;
        tts_buf b = {0};
        tts_conn_open(&k, &o, NULL, NULL);
        tts_frame(k.s, &b, 0);
        if (len == 0) {
            len = b.len;
            print_message("%zu bytes of flight\n", len);
        }
        assert_int_equal(b.len, len);
        if (at >= len) {
            tts_buf_free(&b);
            tts_conn_close(&k);
            break;
        }
        b.ptr[at] ^= (uint8_t)(1 + pl_test_below(255));
        int rc = tts_conn_feed(&k, &b, 0);
        if (at == 2) {
            assert_int_equal(rc, SSL_ERR_WANT_READ);
            assert_int_equal(tts_conn_flight2(&k, 0), 0);
        } else {
            drive_damaged(&k, rc, at);
        }
        tts_buf_free(&b);
        tts_conn_close(&k);
    }
}

/* Every byte of signed ServerKeyExchange messages (ECDSA over X25519, RSA-PSS over P-256). */
static void test_any_changed_byte_of_a_server_kx_is_refused(void **state)
{
    static const uint16_t suites[] = {0xc02b, 0xc02f};
    (void)state;
    pl_test_seed();
    for (size_t i = 0; i < PL_ARRAY_LEN(suites); i++) {
        tts_options o = tts_server_for(suites[i]);
        if (suites[i] == 0xc02f) {
            o.group = PL_GROUP_SECP256R1;
        }
        for (size_t at = 0;; at++) {
            tts_conn k;
            tts_conn_open(&k, &o, NULL, NULL);
            tts_buf *m = &k.s->msgs[msg_index(&k, PL_HS_SERVER_KEY_EXCHANGE)];
            if (at >= m->len) {
                tts_conn_close(&k);
                break;
            }
            m->ptr[at] ^= (uint8_t)(1 + pl_test_below(255));
            drive_damaged(&k, tts_conn_flight1(&k, 0, 0), at);
            tts_conn_close(&k);
        }
    }
}

/* The flight cut after every byte, then the end of the stream: always truncation, no alert. */
static void test_first_flight_cut_anywhere_is_truncation(void **state)
{
    tts_options o = tts_server_for(0x009c);
    (void)state;
    for (size_t cut = 0;; cut++) {
        tts_conn k;
        tts_buf b = {0};
        tts_conn_open(&k, &o, NULL, NULL);
        tts_frame(k.s, &b, cut % 3 == 0 ? 0 : 700);
        if (cut >= b.len) {
            tts_buf_free(&b);
            tts_conn_close(&k);
            break;
        }
        int rc = tts_feed(k.c, b.ptr, cut, cut % 2 ? 1 : 0);
        assert_int_equal(rc, SSL_ERR_WANT_READ);
        pl_client_in_eof(k.c);
        tts_conn_expect_refused(&k, pl_client_handshake(k.c), SSL_ERR_TRUNCATED, -1);
        tts_buf_free(&b);
        tts_conn_close(&k);
    }
}

/* ---- recorded flights ------------------------------------------------------------------------ */

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *p = NULL;
    long n;
    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
        p = malloc((size_t)n);
        if (p != NULL && fread(p, 1, (size_t)n, f) != (size_t)n) {
            free(p);
            p = NULL;
        }
        *len = (size_t)n;
    }
    fclose(f);
    return p;
}

/* A PEM certificate file's DER (one certificate). */
static int load_pem_anchor(pl_x509_store *store, const char *path)
{
    size_t len = 0, added = 0;
    uint8_t *text = read_file(path, &len);
    if (text == NULL) {
        return -1;
    }
    int rc = pl_x509_store_add_pem(store, text, len, &added);
    free(text);
    return rc == 0 && added == 1 ? 0 : -1;
}

/* OpenSSL's recorded flights: the certificate (pinned as the anchor) verifies; the
 * ServerKeyExchange signature was made over the recorded client_random, not ours. */
static void test_recorded_openssl_flight_is_refused_at_the_signature(void **state)
{
    static const char *const traces[] = {
        "tls12-trace/openssl-ecdhe-ecdsa-aes128-gcm-sha256",
        "tls12-trace/openssl-ecdhe-rsa-chacha20-poly1305",
        "tls12-trace/openssl-ecdhe-rsa-aes256-gcm-sha384",
    };
    (void)state;
    if (pl_test_vectors_dir() == NULL) {
        skip();
    }
    for (size_t i = 0; i < PL_ARRAY_LEN(traces); i++) {
        char path[512];
        size_t len = 0;
        pl_x509_store anchors;
        pl_x509_store_init(&anchors);
        snprintf(path, sizeof path, "%s/server.crt", traces[i]);
        assert_int_equal(load_pem_anchor(&anchors, pl_test_vector_path(path)), 0);
        snprintf(path, sizeof path, "%s/server_to_client.bin", traces[i]);
        uint8_t *flight = read_file(pl_test_vector_path(path), &len);
        assert_non_null(flight);
        for (size_t chunk = 0; chunk <= 1; chunk++) {
            pl_client_config cfg;
            tts_config_default(&cfg);
            cfg.anchors = &anchors;
            cfg.verify_time = 1800000000; /* 2027-01-15: inside the recorded certificate */
            pl_client *c = pl_client_new(&cfg);
            assert_non_null(c);
            assert_int_equal(pl_client_set_host(c, "localhost"), 0);
            assert_int_equal(pl_client_start(c), 0);
            pl_client_out_done(c, pl_client_out(c).len);
            int rc = tts_feed(c, flight, len, chunk);
            if (rc != SSL_ERR_CRYPTO_BAD_SIGNATURE) {
                fail_msg("%s: %s (%s)", traces[i], tts_err_name(rc), c->detail);
            }
            assert_int_equal(c->state, PL_ST_FAILED);
            pl_slice out = pl_client_out(c);
            static const uint8_t want[7] = {PL_CT_ALERT, 3, 3, 0, 2, 2, PL_ALERT_DECRYPT_ERROR};
            assert_int_equal(out.len, sizeof want);
            assert_memory_equal(out.ptr, want, sizeof want);
            pl_client_free(c);
        }
        free(flight);
        pl_x509_store_free(&anchors);
    }
}

/* The Illustrated TLS 1.2 server's first flight (TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, X25519,
 * rsa_pkcs1_sha256): its certificate names the host only in the subject CN, which RFC 9525
 * §6.4 does not accept; without verification, its signature covers the recorded client_random,
 * not ours. (A padlock without CBC suites refuses the suite first.) */
static void test_recorded_illustrated_flight_is_refused_for_its_name_and_its_signature(
    void **state)
{
    static const char *const records[] = {"serverhello", "servercert", "serverkeyexchange",
                                          "serverhellodone"};
    tts_buf flight = {0};
    pl_x509_store anchors;
    (void)state;
    if (pl_test_vectors_dir() == NULL) {
        skip();
    }
    for (size_t i = 0; i < PL_ARRAY_LEN(records); i++) {
        char path[256];
        size_t len = 0;
        snprintf(path, sizeof path, "tls12-trace/illustrated-tls12/records/%s", records[i]);
        uint8_t *rec = read_file(pl_test_vector_path(path), &len);
        assert_non_null(rec);
        tts_buf_add(&flight, rec, len);
        free(rec);
    }
    pl_x509_store_init(&anchors);
    assert_int_equal(
        load_pem_anchor(&anchors, pl_test_vector_path("tls12-trace/illustrated-tls12/ca.crt")), 0);
    int cbc = pl_suite_by_id(0xc013) != NULL;
    for (int verify = 1; verify >= 0; verify--) {
        pl_client_config cfg;
        tts_config_default(&cfg);
        cfg.anchors = &anchors;
        cfg.verify = verify;
        cfg.verify_time = 1543622400; /* 2018-12-01, inside the recorded certificate */
        pl_client *c = pl_client_new(&cfg);
        assert_non_null(c);
        assert_int_equal(pl_client_set_host(c, "example.ulfheim.net"), 0);
        assert_int_equal(pl_client_start(c), 0);
        pl_client_out_done(c, pl_client_out(c).len);
        int want = !cbc ? SSL_ERR_HS_SUITE_NOT_OFFERED
                   : verify ? SSL_ERR_CERT_NO_SAN
                            : SSL_ERR_CRYPTO_BAD_SIGNATURE;
        int rc = tts_feed(c, flight.ptr, flight.len, verify ? 0 : 1);
        if (rc != want) {
            fail_msg("verify %d: %s (%s)", verify, tts_err_name(rc), c->detail);
        }
        pl_slice out = pl_client_out(c);
        const uint8_t alert[7] = {PL_CT_ALERT, 3, 3, 0, 2, 2, (uint8_t)pl_error_alert(want)};
        assert_int_equal(out.len, sizeof alert);
        assert_memory_equal(out.ptr, alert, sizeof alert);
        pl_client_free(c);
    }
    pl_x509_store_free(&anchors);
    tts_buf_free(&flight);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* good handshakes */
        cmocka_unit_test(test_handshake_completes_with_every_suite),
        cmocka_unit_test(test_handshake_completes_with_every_group),
        cmocka_unit_test(test_handshake_completes_with_every_signature_scheme),
        cmocka_unit_test(test_handshake_completes_whatever_the_record_and_read_sizes),
        cmocka_unit_test(test_handshake_completes_with_random_record_and_read_sizes),
        cmocka_unit_test(test_application_data_right_after_finished_is_kept_for_read),
        cmocka_unit_test(test_large_application_data_both_ways),
        /* negotiation options */
        cmocka_unit_test(test_extended_master_secret_is_used_when_the_server_echoes_it),
        cmocka_unit_test(test_without_the_servers_ems_echo_the_classic_master_secret_is_used),
        cmocka_unit_test(test_required_ems_refuses_a_server_that_does_not_echo_it),
        cmocka_unit_test(test_cbc_suites_use_encrypt_then_mac_only_when_the_server_agrees),
        cmocka_unit_test(test_encrypt_then_mac_with_an_aead_suite_is_illegal_parameter),
        cmocka_unit_test(test_encrypt_then_mac_not_offered_is_unsupported_extension),
        cmocka_unit_test(test_client_hello_offers_what_the_config_says),
        cmocka_unit_test(test_alpn_choice_is_kept),
        cmocka_unit_test(test_alpn_protocol_not_offered_is_illegal_parameter),
        cmocka_unit_test(test_alpn_answer_without_an_offer_is_unsupported_extension),
        cmocka_unit_test(test_ip_literal_host_sends_no_sni_and_matches_the_ip_san),
        cmocka_unit_test(test_empty_server_name_echo_is_accepted_after_sni),
        cmocka_unit_test(test_server_name_echo_without_sni_is_unsupported_extension),
        cmocka_unit_test(test_certificate_request_is_answered_with_an_empty_certificate),
        cmocka_unit_test(test_key_log_line_names_the_servers_master_secret),
        cmocka_unit_test(test_missing_renegotiation_info_is_tolerated),
        cmocka_unit_test(test_server_hello_without_extensions_is_accepted),
        cmocka_unit_test(test_point_formats_listing_uncompressed_among_others_is_accepted),
        cmocka_unit_test(test_server_chosen_dh_group_of_2048_bits_is_accepted),
        cmocka_unit_test(test_extra_certificates_in_the_chain_are_ignored),
        cmocka_unit_test(test_key_usage_that_fits_the_key_exchange_is_accepted),
        cmocka_unit_test(test_without_verification_an_untrusted_chain_is_accepted),
        cmocka_unit_test(test_warning_alert_during_the_handshake_is_ignored),
        cmocka_unit_test(test_hello_request_during_the_handshake_is_ignored),
        /* wrong message order */
        cmocka_unit_test(test_every_unexpected_message_in_every_state_is_unexpected_message),
        cmocka_unit_test(test_missing_or_reordered_messages_are_unexpected_message),
        cmocka_unit_test(test_message_after_server_hello_done_is_unexpected_message),
        cmocka_unit_test(test_change_cipher_spec_before_server_hello_done_is_unexpected),
        cmocka_unit_test(test_application_data_before_the_handshake_ends_is_unexpected),
        cmocka_unit_test(test_finished_without_change_cipher_spec_is_unexpected_message),
        cmocka_unit_test(test_plaintext_finished_after_change_cipher_spec_is_bad_record_mac),
        cmocka_unit_test(test_second_change_cipher_spec_is_unexpected),
        cmocka_unit_test(test_application_data_before_the_servers_finished_is_unexpected),
        cmocka_unit_test(test_handshake_message_in_place_of_finished_is_unexpected_message),
        cmocka_unit_test(test_alert_in_place_of_the_servers_finished_ends_without_reply),
        /* Finished */
        cmocka_unit_test(test_finished_split_over_records_is_accepted),
        cmocka_unit_test(test_wrong_finished_is_decrypt_error),
        cmocka_unit_test(test_finished_of_the_wrong_length_is_decode_error),
        cmocka_unit_test(test_tampered_or_wrongly_keyed_finished_record_is_bad_record_mac),
        /* ServerHello */
        cmocka_unit_test(test_server_hello_with_another_version_is_protocol_version),
        cmocka_unit_test(test_server_hello_with_tls11_version_is_protocol_version),
        cmocka_unit_test(test_server_hello_with_an_unoffered_suite_is_illegal_parameter),
        cmocka_unit_test(test_server_hello_with_compression_is_illegal_parameter),
        cmocka_unit_test(test_server_hello_extension_we_did_not_send_is_unsupported_extension),
        cmocka_unit_test(test_server_hello_with_a_duplicate_extension_is_illegal_parameter),
        cmocka_unit_test(test_server_hello_with_a_malformed_extension_is_decode_error),
        cmocka_unit_test(test_non_empty_renegotiation_info_is_handshake_failure),
        cmocka_unit_test(test_point_formats_without_uncompressed_is_illegal_parameter),
        cmocka_unit_test(test_malformed_server_hello_is_decode_error),
        /* Certificate */
        cmocka_unit_test(test_empty_certificate_list_is_bad_certificate),
        cmocka_unit_test(test_more_certificates_than_padlock_takes_is_bad_certificate),
        cmocka_unit_test(test_zero_length_certificate_entry_is_decode_error),
        cmocka_unit_test(test_certificate_that_does_not_parse_is_bad_certificate),
        cmocka_unit_test(test_certificate_list_length_not_its_messages_is_decode_error),
        cmocka_unit_test(test_chain_without_its_intermediate_is_unknown_ca),
        cmocka_unit_test(test_self_signed_server_certificate_is_unknown_ca),
        cmocka_unit_test(test_certificate_for_another_host_is_bad_certificate),
        cmocka_unit_test(test_expired_and_not_yet_valid_certificates_are_refused),
        cmocka_unit_test(test_rsa_1024_leaf_is_insufficient_security),
        cmocka_unit_test(test_no_trust_anchors_refuses_without_an_alert),
        cmocka_unit_test(test_close_after_a_silent_failure_returns_the_error_and_sends_nothing),
        cmocka_unit_test(test_leaf_key_type_that_does_not_fit_the_suite_is_unsupported_certificate),
        cmocka_unit_test(
            test_leaf_key_usage_that_does_not_fit_the_suite_is_unsupported_certificate),
        /* ServerKeyExchange */
        cmocka_unit_test(test_server_kx_on_an_unoffered_group_is_illegal_parameter),
        cmocka_unit_test(test_explicit_curve_parameters_are_illegal_parameter),
        cmocka_unit_test(test_server_kx_signature_scheme_not_offered_is_illegal_parameter),
        cmocka_unit_test(test_signature_scheme_that_does_not_fit_the_key_is_illegal_parameter),
        cmocka_unit_test(test_tampered_server_kx_signature_is_decrypt_error),
        cmocka_unit_test(test_signature_of_another_scheme_is_decrypt_error),
        cmocka_unit_test(test_malformed_signature_is_decrypt_error),
        cmocka_unit_test(test_malformed_server_kx_is_decode_error),
        cmocka_unit_test(test_x25519_small_order_point_is_illegal_parameter),
        cmocka_unit_test(test_x25519_point_of_the_wrong_length_is_illegal_parameter),
        cmocka_unit_test(test_p256_point_off_the_curve_is_illegal_parameter),
        cmocka_unit_test(test_p256_point_not_uncompressed_is_illegal_parameter),
        cmocka_unit_test(test_dh_public_value_out_of_range_is_illegal_parameter),
        cmocka_unit_test(test_weak_or_malformed_dh_group_is_refused),
        /* ServerHelloDone, CertificateRequest */
        cmocka_unit_test(test_malformed_server_hello_done_or_certificate_request_is_decode_error),
        /* records and alerts */
        cmocka_unit_test(test_record_of_unknown_type_is_unexpected_message),
        cmocka_unit_test(test_record_with_a_bad_version_is_protocol_version),
        cmocka_unit_test(test_server_hello_in_a_tls10_record_is_accepted),
        cmocka_unit_test(test_oversized_record_is_record_overflow_at_its_header),
        cmocka_unit_test(test_protected_record_limit_is_the_plaintext_limit_plus_expansion),
        cmocka_unit_test(test_empty_handshake_alert_or_ccs_record_is_unexpected_message),
        cmocka_unit_test(test_change_cipher_spec_not_the_byte_one_is_decode_error),
        cmocka_unit_test(test_record_inside_a_fragmented_message_is_unexpected_message),
        cmocka_unit_test(test_large_certificate_message_is_accepted_up_to_the_limit),
        cmocka_unit_test(test_handshake_message_over_the_limit_is_handshake_failure),
        cmocka_unit_test(test_fatal_alert_from_the_server_ends_the_handshake_without_reply),
        cmocka_unit_test(test_close_notify_during_the_handshake_is_closed),
        cmocka_unit_test(test_alert_record_not_two_bytes_is_decode_error),
        cmocka_unit_test(test_a_run_of_warning_alerts_is_refused),
        /* end of stream */
        cmocka_unit_test(test_eof_during_the_handshake_is_truncation),
        cmocka_unit_test(test_eof_without_close_notify_after_the_handshake_is_truncation),
        cmocka_unit_test(test_eof_after_close_notify_is_a_clean_end),
        /* after the handshake */
        cmocka_unit_test(test_hello_request_after_the_handshake_gets_a_no_renegotiation_warning),
        cmocka_unit_test(test_handshake_messages_after_the_handshake_are_refused),
        cmocka_unit_test(test_warning_alert_after_the_handshake_is_ignored),
        cmocka_unit_test(test_fatal_alert_after_the_handshake_ends_reading),
        cmocka_unit_test(test_tampered_application_data_is_bad_record_mac),
        cmocka_unit_test(test_empty_application_data_records_are_skipped_up_to_a_limit),
        cmocka_unit_test(test_calls_out_of_order_are_bad_state),
        cmocka_unit_test(test_start_with_an_empty_suite_list_fails_and_sends_nothing),
        cmocka_unit_test(test_set_host_refuses_a_name_that_is_neither_dns_nor_ip),
        /* properties */
        cmocka_unit_test(test_any_changed_byte_of_the_first_flight_is_refused),
        cmocka_unit_test(test_any_changed_byte_of_a_server_kx_is_refused),
        cmocka_unit_test(test_first_flight_cut_anywhere_is_truncation),
        /* recorded flights */
        cmocka_unit_test(test_recorded_openssl_flight_is_refused_at_the_signature),
        cmocka_unit_test(
            test_recorded_illustrated_flight_is_refused_for_its_name_and_its_signature),
    };
    return cmocka_run_group_tests(tests, tts_group_setup, tts_group_teardown);
}
