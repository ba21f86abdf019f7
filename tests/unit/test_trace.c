/* The handshake chart (src/tls/trace.c): the recorded connections' messages, fed in the order
 * they flowed, come out as numbered arrows with their real contents (randoms, suites, the
 * certificate's subject, the key-exchange group, verify_data); malformed and random messages
 * give a "(malformed: ...)" line and never a crash; every line stays within 100 columns and
 * holds no control characters; a NULL callback produces nothing.
 *
 * PADLOCK_TRACE_PRINT=1 in the environment prints the charts the tests draw. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "crypto/dh.h"
#include "tls/msg.h"
#include "tls/trace.h"
#include "x509/cert.h"

#define MAX_LINES 4096
#define LINE_LEN 160
#define RIGHT_BAR 72 /* the server's lifeline column in trace.c */

/* ---- collecting lines -------------------------------------------------------------------- */

static struct {
    char lines[MAX_LINES][LINE_LEN];
    size_t count;
    size_t calls;
} got;

static size_t columns(const char *s)
{
    size_t cols = 0;
    for (; *s != '\0'; s++) {
        if (((unsigned char)*s & 0xc0u) != 0x80u) {
            cols++;
        }
    }
    return cols;
}

/* The callback: every line must fit 100 columns and a 160-byte buffer, without control
 * characters or a newline. */
static void collect(void *user, const char *line)
{
    (void)user;
    got.calls++;
    assert_true(strlen(line) < LINE_LEN);
    assert_true(columns(line) <= 100);
    for (const char *p = line; *p != '\0'; p++) {
        assert_false((unsigned char)*p < 0x20 || *p == 0x7f);
    }
    if (getenv("PADLOCK_TRACE_PRINT") != NULL) {
        printf("%s\n", line);
    }
    if (got.count < MAX_LINES) {
        memcpy(got.lines[got.count], line, strlen(line) + 1);
        got.count++;
    }
}

static void reset(pl_trace *t)
{
    memset(&got, 0, sizeof got);
    memset(t, 0, sizeof *t);
    t->cb = collect;
}

/* The first line from index from on that contains needle, or -1. */
static long find_from(size_t from, const char *needle)
{
    for (size_t i = from; i < got.count; i++) {
        if (strstr(got.lines[i], needle) != NULL) {
            return (long)i;
        }
    }
    return -1;
}

static long find(const char *needle)
{
    return find_from(0, needle);
}

static void assert_has(const char *needle)
{
    if (find(needle) < 0) {
        fail_msg("no line contains \"%s\"", needle);
    }
}

static size_t count_containing(const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < got.count; i++) {
        n += strstr(got.lines[i], needle) != NULL;
    }
    return n;
}

/* An arrow line: "    |" then "---" or "<--" (or '=' for data), ending in "|" at RIGHT_BAR. */
static void assert_arrow(long i, int from_server)
{
    const char *s;
    assert_true(i >= 0);
    s = got.lines[i];
    assert_true(strncmp(s, "    |", 5) == 0);
    assert_true(from_server ? s[5] == '<' : s[5] == '-' || s[5] == '=');
    assert_int_equal(columns(s), RIGHT_BAR + 1);
    assert_int_equal(s[strlen(s) - 1], '|');
    assert_int_equal(s[strlen(s) - 2], from_server ? s[6] : '>');
}

/* ---- recorded messages ------------------------------------------------------------------- */

static const struct recorded {
    const char *dir;
    uint16_t suite;
    const char *suite_name;
    const char *group;
    const char *key;
    const char *subject;
} recorded[] = {
    {"tls12-trace/openssl-ecdhe-ecdsa-aes128-gcm-sha256", 0xc02b,
     "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "secp256r1", "EC P-256", "CN=localhost"},
    {"tls12-trace/openssl-ecdhe-rsa-chacha20-poly1305", 0xcca8,
     "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "x25519", "RSA 2048 bits", "CN=localhost"},
    {"tls12-trace/openssl-ecdhe-rsa-aes256-gcm-sha384", 0xc030,
     "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "secp384r1", "RSA 2048 bits", "CN=localhost"},
};

static const char *const message_names[] = {"client_hello", "server_hello", "certificate",
                                            "server_key_exchange", "server_hello_done",
                                            "client_key_exchange"};

/* One recorded connection's handshake messages (with their headers), in order, then the two
 * Finished messages made from the recorded verify_data. */
struct flight {
    uint8_t *msg[8];
    size_t len[8];
    char client_random[65], client_verify[25], server_verify[25];
};

static const char *message_hex(const pl_json *d, const char *name)
{
    const pl_json *msgs = pl_json_get(d, "handshake_messages_in_order");
    if (msgs == NULL) {
        return pl_json_get_str(pl_json_get(d, "handshake_messages_hex"), name);
    }
    for (size_t i = 0; i < pl_json_len(msgs); i++) {
        const pl_json *m = pl_json_at(msgs, i);
        if (strcmp(pl_json_get_str(m, "name"), name) == 0) {
            return pl_json_get_str(m, "hex");
        }
    }
    return NULL;
}

static void load_flight(const char *dir, struct flight *f)
{
    char path[256], hex[64];
    pl_json *d;
    snprintf(path, sizeof path, "%s/derived.json", dir);
    d = pl_json_load(pl_test_vector_path(path));
    assert_non_null(d);
    for (size_t i = 0; i < PL_ARRAY_LEN(message_names); i++) {
        const char *h = message_hex(d, message_names[i]);
        assert_non_null(h);
        f->msg[i] = pl_test_unhex(h, &f->len[i]);
    }
    snprintf(f->client_random, sizeof f->client_random, "%s",
             pl_json_get_str(d, "client_random"));
    snprintf(f->client_verify, sizeof f->client_verify, "%s",
             pl_json_get_str(d, "client_verify_data"));
    snprintf(f->server_verify, sizeof f->server_verify, "%s",
             pl_json_get_str(d, "server_verify_data"));
    snprintf(hex, sizeof hex, "1400000c%s", f->client_verify);
    f->msg[6] = pl_test_unhex(hex, &f->len[6]);
    snprintf(hex, sizeof hex, "1400000c%s", f->server_verify);
    f->msg[7] = pl_test_unhex(hex, &f->len[7]);
    pl_json_free(d);
}

static void free_flight(struct flight *f)
{
    for (size_t i = 0; i < 8; i++) {
        free(f->msg[i]);
    }
}

static pl_slice msg(const struct flight *f, size_t i)
{
    pl_slice s = {f->msg[i], f->len[i]};
    return s;
}

/* The whole connection as the engine reports it. */
static void play(pl_trace *t, const struct flight *f, const pl_suite *suite, const char *host)
{
    pl_trace_begin(t, host);
    pl_trace_handshake(t, 0, msg(f, 0), NULL, 0);
    pl_trace_handshake(t, 1, msg(f, 1), NULL, 0);
    pl_trace_handshake(t, 1, msg(f, 2), suite, 0);
    pl_trace_note(t, "chain verified: 1 certificates up to the trust anchor CN=localhost; dates, "
                  "CA flags, key usage, name constraints checked");
    pl_trace_handshake(t, 1, msg(f, 3), suite, 0);
    pl_trace_handshake(t, 1, msg(f, 4), suite, 0);
    pl_trace_handshake(t, 0, msg(f, 5), suite, 0);
    pl_trace_note(t, "pre_master_secret = X25519(our fresh private key, server's public value): "
                  "32 bytes");
    pl_trace_note(t, "master_secret = PRF(pre_master_secret, \"extended master secret\", "
                  "session_hash) (RFC 7627): 48 bytes");
    pl_trace_ccs(t, 0);
    pl_trace_handshake(t, 0, msg(f, 6), suite, 1);
    pl_trace_ccs(t, 1);
    pl_trace_handshake(t, 1, msg(f, 7), suite, 1);
    pl_trace_app_data(t, 0, 5);
    pl_trace_app_data(t, 1, 5);
    pl_trace_alert(t, 0, 1, 0);
}

/* ---- tests ------------------------------------------------------------------------------- */

static void test_trace_recorded_handshake_is_a_numbered_chart(void **state)
{
    const struct recorded *rec = &recorded[0];
    const pl_suite *suite = pl_suite_by_id(rec->suite);
    struct flight f;
    pl_trace t;
    char want[160];
    (void)state;
    load_flight(rec->dir, &f);
    reset(&t);
    play(&t, &f, suite, "localhost");

    /* the heading: the two lifelines, the server's name */
    assert_true(strncmp(got.lines[0], "  client", 8) == 0);
    assert_non_null(strstr(got.lines[0], "server (localhost)"));
    assert_int_equal(columns(got.lines[1]), RIGHT_BAR + 1);

    /* every arrow, numbered in the order the messages flowed, pointing the right way */
    static const struct {
        const char *label;
        int from_server;
    } arrows[] = {
        {" 1. ClientHello ", 0},         {" 2. ServerHello ", 1},
        {" 3. Certificate ", 1},         {" 4. ServerKeyExchange ", 1},
        {" 5. ServerHelloDone ", 1},     {" 6. ClientKeyExchange ", 0},
        {" 7. ChangeCipherSpec ", 0},    {" 8. Finished (encrypted) ", 0},
        {" 9. ChangeCipherSpec ", 1},    {" 10. Finished (encrypted) ", 1},
        {" 11. application data (5 bytes) ", 0},
        {" 12. application data (5 bytes) ", 1},
        {" 13. Alert: warning close_notify ", 0},
    };
    long prev = 0;
    for (size_t i = 0; i < PL_ARRAY_LEN(arrows); i++) {
        long at = find(arrows[i].label);
        if (at < 0) {
            fail_msg("no arrow \"%s\"", arrows[i].label);
        }
        assert_true(at > prev);
        assert_arrow(at, arrows[i].from_server);
        prev = at;
    }
    assert_int_equal(t.step, PL_ARRAY_LEN(arrows));

    /* ClientHello: version, the random's first 8 bytes, both suites offered, the extensions */
    snprintf(want, sizeof want, "version TLS 1.2 (3,3), random %.16s", f.client_random);
    assert_true(find(want) > find(" 1. ClientHello "));
    assert_has("cipher suites (2): TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,");
    assert_has("          TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
    assert_has("compression: null");
    assert_has("        server_name localhost");
    assert_has("        supported_groups secp256r1");
    assert_has("        ec_point_formats uncompressed, ansiX962_compressed_prime, "
               "ansiX962_compressed_char2");
    assert_has("        encrypt_then_mac (empty)");
    assert_has("        signature_algorithms ecdsa_secp256r1_sha256,");
    assert_has("        extended_master_secret (asks to bind");

    /* ServerHello: the suite chosen, and the server's answers */
    snprintf(want, sizeof want, "chose %s (0x%04x), compression null", rec->suite_name,
             rec->suite);
    assert_true(find(want) > find(" 2. ServerHello "));
    assert_has("session_id ");
    assert_has("        renegotiation_info (empty: the server supports secure renegotiation");

    /* Certificate: the subject, validity, key and names */
    assert_true(find("[0] subject CN=localhost") > find(" 3. Certificate "));
    assert_has("issuer  the same (self-signed)");
    assert_has("valid   2026-11-26T");
    assert_has("key     EC P-256 (secp256r1)");
    assert_has("names   DNS:localhost");

    /* the note sits under the Certificate arrow, with its mark */
    long note = find("    |   \xc2\xbb chain verified: 1 certificates");
    assert_true(note > find("[0] subject") && note < find(" 4. ServerKeyExchange "));

    /* ServerKeyExchange: the group, the point, the signature scheme */
    long skx = find("ECDHE on secp256r1, server's ephemeral public key 04");
    assert_true(skx > find(" 4. ServerKeyExchange "));
    assert_non_null(strstr(got.lines[skx], "(65 bytes)")); /* never split from its value */
    assert_has("signature ecdsa_secp256r1_sha256 ");
    assert_has("(empty: the server's first flight is complete; our turn)");
    assert_has("our ephemeral public key on secp256r1 04");

    /* notes wrap within 100 columns under their mark */
    long ms = find("\xc2\xbb master_secret = PRF(pre_master_secret,");
    assert_true(ms > find(" 6. ClientKeyExchange "));
    assert_true(strncmp(got.lines[ms + 1], "    |     ", 10) == 0);

    /* both Finished messages carry their verify_data whole */
    snprintf(want, sizeof want, "verify_data %s (12 bytes)", f.client_verify);
    assert_true(find(want) > find(" 8. Finished "));
    snprintf(want, sizeof want, "verify_data %s (12 bytes)", f.server_verify);
    assert_true(find(want) > find(" 10. Finished "));
    assert_has("from here on the client's records are encrypted");
    assert_has("from here on the server's records are encrypted");
    assert_int_equal(count_containing("(malformed"), 0);
    free_flight(&f);
}

/* Each recorded connection shows its own suite, group, key and subject. */
static void test_trace_every_recorded_connection(void **state)
{
    char want[160];
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(recorded); i++) {
        const struct recorded *rec = &recorded[i];
        struct flight f;
        pl_trace t;
        load_flight(rec->dir, &f);
        reset(&t);
        play(&t, &f, pl_suite_by_id(rec->suite), "localhost");
        snprintf(want, sizeof want, "chose %s (0x%04x)", rec->suite_name, rec->suite);
        assert_has(want);
        snprintf(want, sizeof want, "ECDHE on %s, server's ephemeral public key", rec->group);
        assert_has(want);
        snprintf(want, sizeof want, "our ephemeral public key on %s", rec->group);
        assert_has(want);
        snprintf(want, sizeof want, "key     %s", rec->key);
        assert_has(want);
        snprintf(want, sizeof want, "[0] subject %s", rec->subject);
        assert_has(want);
        snprintf(want, sizeof want, "random %.16s", f.client_random);
        assert_has(want);
        assert_int_equal(count_containing("(malformed"), 0);
        free_flight(&f);
    }
}

/* "The Illustrated TLS 1.2 Connection": curl's long ClientHello and a CA-issued RSA certificate.
 * Its suite (AES-128-CBC) is not one padlock implements, so the key exchanges are read with
 * the ECDHE_RSA row that has the same key exchange. */
static void test_trace_illustrated_connection(void **state)
{
    const pl_suite *ecdhe_rsa = pl_suite_by_id(0xc02f);
    struct flight f;
    pl_trace t;
    (void)state;
    memset(&f, 0, sizeof f);
    load_flight("tls12-trace/illustrated-tls12", &f);
    reset(&t);
    play(&t, &f, ecdhe_rsa, "example.ulfheim.net");
    assert_has("server (example.ulfheim.net)");
    assert_has("random 0001020304050607" "\xe2\x80\xa6" "1c1d1e1f (32 bytes)");
    assert_has("random 7071727374757677" "\xe2\x80\xa6" "8c8d8e8f (32 bytes)");
    assert_has("cipher suites (16): TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,");
    assert_has("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,");
    assert_has("TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA,");
    assert_has("TLS_RSA_WITH_3DES_EDE_CBC_SHA");
    assert_has("chose TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (0xc013), compression null");
    assert_has("        server_name example.ulfheim.net");
    assert_has("        status_request (5 bytes)");
    assert_has("        supported_groups x25519, secp256r1, secp384r1, secp521r1");
    assert_has("        signed_certificate_timestamp (empty)");
    assert_has("[0] subject C=US, CN=example.ulfheim.net");
    assert_has("          issuer  C=US, O=Example CA");
    assert_has("valid   2018-10-05T");
    assert_has("key     RSA 2048 bits;");
    assert_has("ECDHE on x25519, server's ephemeral public key 9fd7ad6dcff4298d");
    assert_has("signature rsa_pkcs1_sha256 ");
    assert_has("(256 bytes)");
    assert_has("our ephemeral public key on x25519 358072d6365880d1");
    assert_int_equal(count_containing("(malformed"), 0);
    free_flight(&f);
}

/* Three application data records each way are drawn; then one line per direction says the
 * rest are not shown, and nothing more is printed for them. */
static void test_trace_application_data_is_capped_per_direction(void **state)
{
    pl_trace t;
    (void)state;
    reset(&t);
    pl_trace_begin(&t, NULL);
    assert_non_null(strstr(got.lines[0], "server"));
    assert_null(strstr(got.lines[0], "("));
    for (size_t i = 0; i < 10; i++) {
        pl_trace_app_data(&t, 0, 100 + i);
        pl_trace_app_data(&t, 1, 16384);
    }
    assert_int_equal(count_containing("application data (1"), 6);
    assert_int_equal(count_containing("(further application data from the client not shown)"),
                     1);
    assert_int_equal(count_containing("(further application data from the server not shown)"),
                     1);
    assert_int_equal(t.step, 6);
    assert_arrow(find(" 1. application data (100 bytes) "), 0);
    assert_arrow(find(" 2. application data (16384 bytes) "), 1);
    assert_true(strstr(got.lines[find(" 1. application data")], "|===") != NULL);
    assert_true(strstr(got.lines[find(" 2. application data")], "|<==") != NULL);
    /* an alert after them still shows */
    pl_trace_alert(&t, 1, 2, 40);
    assert_arrow(find(" 7. Alert: fatal handshake_failure "), 1);
    pl_trace_alert(&t, 0, 7, 0x99);
    assert_has(" 8. Alert: level 7 0x99 (unknown) ");
    /* a new chart starts counting again */
    pl_trace_begin(&t, "example.com");
    pl_trace_app_data(&t, 0, 1);
    assert_has(" 1. application data (1 byte");
}

/* A malformed message: its arrow, then one "(malformed: NAME) n bytes" line. */
static void assert_malformed_once(const char *name)
{
    char want[96];
    snprintf(want, sizeof want, "(malformed: %s)", name);
    assert_int_equal(count_containing(want), 1);
}

/* Every truncation of every recorded message, with the header still announcing the full length
 * (a decode error at the header) and with the header rewritten to the cut (a decode error
 * inside the message, except the one place a hello may end: before its extensions). */
static void test_trace_truncated_messages_are_malformed(void **state)
{
    const pl_suite *suite = pl_suite_by_id(0xc02b);
    struct flight f;
    pl_trace t;
    (void)state;
    load_flight(recorded[0].dir, &f);
    for (size_t m = 0; m < 8; m++) {
        size_t len = f.len[m];
        uint8_t *buf = malloc(len);
        size_t bad = 0;
        assert_non_null(buf);
        for (size_t cut = 0; cut < len; cut++) {
            pl_slice s = {f.msg[m], cut};
            reset(&t);
            pl_trace_handshake(&t, m == 0 || m == 5 || m == 6, s, suite, 0);
            assert_int_equal(count_containing("(malformed: SSL_ERR_DECODE_"), 1);
            if (cut < 4) {
                continue;
            }
            /* the same bytes under a header saying cut - 4 */
            memcpy(buf, f.msg[m], cut);
            buf[1] = (uint8_t)((cut - 4) >> 16);
            buf[2] = (uint8_t)((cut - 4) >> 8);
            buf[3] = (uint8_t)(cut - 4);
            s.ptr = buf;
            reset(&t);
            pl_trace_handshake(&t, 0, s, suite, 0);
            bad += count_containing("(malformed: ") == 1;
        }
        /* ServerHelloDone has an empty body: no cut leaves a body */
        size_t body = len - 4;
        size_t hellos_may_end = m <= 1 ? 1 : 0;
        assert_int_equal(bad, body - hellos_may_end);
        free(buf);
    }
    free_flight(&f);
}

/* Messages of every type filled with random bytes, recorded messages with bytes changed, and
 * the empty slice: no crash, lines within bounds (collect checks each), one arrow each. */
static void test_trace_random_messages_never_crash(void **state)
{
    static const uint8_t types[] = {0, 1, 2, 4, 11, 12, 13, 14, 15, 16, 20, 99};
    const pl_suite *suites[] = {NULL, pl_suite_by_id(0xc02b), pl_suite_by_id(0x009e),
                                pl_suite_by_id(0x009c)};
    uint8_t buf[600];
    pl_trace t;
    (void)state;
    pl_test_seed();
    for (size_t i = 0; i < 3000; i++) {
        size_t body = pl_test_below(sizeof buf - 4);
        pl_slice s = {buf, body + 4};
        pl_test_fill(buf, sizeof buf);
        buf[0] = types[pl_test_below(sizeof types)];
        buf[1] = 0;
        buf[2] = (uint8_t)(body >> 8);
        buf[3] = (uint8_t)body;
        reset(&t);
        pl_trace_handshake(&t, (int)pl_test_below(2), s, suites[pl_test_below(4)],
                           (int)pl_test_below(2));
        assert_int_equal(t.step, 1);
    }
    /* the recorded messages with a few bytes changed behind their headers: deeper paths (the
     * certificates' DER, the extensions) meet bad input */
    struct flight f;
    load_flight("tls12-trace/illustrated-tls12", &f);
    for (size_t i = 0; i < 4000; i++) {
        size_t m = pl_test_below(6), flips = 1 + pl_test_below(4);
        uint8_t *copy = malloc(f.len[m]);
        assert_non_null(copy);
        memcpy(copy, f.msg[m], f.len[m]);
        for (size_t k = 0; k < flips && f.len[m] > 4; k++) {
            copy[4 + pl_test_below(f.len[m] - 4)] ^= (uint8_t)(1 + pl_test_below(255));
        }
        pl_slice s = {copy, f.len[m]};
        reset(&t);
        pl_trace_handshake(&t, m == 0 || m == 5, s, suites[pl_test_below(4)], 0);
        assert_int_equal(t.step, 1);
        free(copy);
    }
    free_flight(&f);
    reset(&t);
    pl_slice empty = {NULL, 0};
    pl_trace_handshake(&t, 1, empty, NULL, 0);
    assert_has(" 1. handshake message ");
    assert_malformed_once("SSL_ERR_DECODE_TRUNCATED");
}

/* Garbage where a certificate should be: the list parses, the certificate does not. A header
 * with trailing bytes is malformed as a whole. */
static void test_trace_malformed_certificate_and_trailing_bytes(void **state)
{
    uint8_t msg_buf[64];
    pl_writer w;
    size_t outer, list, cert;
    pl_trace t;
    (void)state;
    pl_writer_init(&w, msg_buf, sizeof msg_buf);
    assert_int_equal(pl_write_u8(&w, PL_HS_CERTIFICATE), 0);
    assert_int_equal(pl_write_open24(&w, &outer), 0);
    assert_int_equal(pl_write_open24(&w, &list), 0);
    assert_int_equal(pl_write_open24(&w, &cert), 0);
    assert_int_equal(pl_write_bytes(&w, "\x30\x03\x02\x01\x01", 5), 0);
    assert_int_equal(pl_write_close24(&w, cert), 0);
    assert_int_equal(pl_write_close24(&w, list), 0);
    assert_int_equal(pl_write_close24(&w, outer), 0);
    pl_slice s = {msg_buf, pl_writer_len(&w)};
    reset(&t);
    pl_trace_handshake(&t, 1, s, NULL, 0);
    assert_has("1 certificate, the sender's own");
    assert_has("[0] (malformed: SSL_ERR_");
    assert_has(") 5 bytes");

    /* a Finished with one byte too many behind its header */
    static const uint8_t finished[] = {0x14, 0, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
    pl_slice f = {finished, sizeof finished};
    reset(&t);
    pl_trace_handshake(&t, 1, f, NULL, 1);
    assert_has(" 1. Finished (encrypted) ");
    assert_malformed_once("SSL_ERR_DECODE_TRAILING");
    assert_int_equal(got.count, 2);

    /* a Finished of 11 bytes */
    static const uint8_t short_finished[] = {0x14, 0, 0, 11, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    pl_slice sf = {short_finished, sizeof short_finished};
    reset(&t);
    pl_trace_handshake(&t, 1, sf, NULL, 1);
    assert_malformed_once("SSL_ERR_DECODE_TRUNCATED");
}

/* Our own ClientHello, with names from the wire escaped: control characters never reach the
 * user's terminal. */
static void test_trace_our_client_hello_and_escaping(void **state)
{
    static const uint16_t suites[] = {0xc02f, 0x1301, 0xc0ff};
    static const uint16_t groups[] = {PL_GROUP_X25519, PL_GROUP_SECP256R1, PL_GROUP_FFDHE2048,
                                      0x1234};
    static const uint16_t sigalgs[] = {PL_SIG_RSA_PSS_RSAE_SHA256, 0x0999};
    static const char *const alpn[] = {"h2", "evil\x1b[2J"};
    uint8_t out[512];
    pl_writer w;
    pl_client_hello ch;
    pl_trace t;
    (void)state;
    memset(&ch, 0, sizeof ch);
    ch.suites = suites;
    ch.suites_count = PL_ARRAY_LEN(suites);
    ch.groups = groups;
    ch.groups_count = PL_ARRAY_LEN(groups);
    ch.sigalgs = sigalgs;
    ch.sigalgs_count = PL_ARRAY_LEN(sigalgs);
    ch.server_name = "bad\x07name.example";
    ch.alpn = alpn;
    ch.alpn_count = 2;
    ch.offer_ems = 1;
    pl_writer_init(&w, out, sizeof out);
    assert_int_equal(pl_msg_write_client_hello(&w, &ch), 0);
    pl_slice s = {out, pl_writer_len(&w)};
    reset(&t);
    pl_trace_begin(&t, "host\nname");
    pl_trace_handshake(&t, 0, s, NULL, 0);
    assert_has("server (host\\x0aname)");
    assert_has("random 0000000000000000" "\xe2\x80\xa6" "00000000 (32 bytes)");
    assert_has("session_id empty (a new session)");
    assert_has("cipher suites (3): TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256,");
    assert_has("    |          0xc0ff (unknown)");
    assert_has("        server_name bad\\x07name.example");
    assert_has("        supported_groups x25519, secp256r1, ffdhe2048, 0x1234 (unknown)");
    assert_has("        signature_algorithms rsa_pss_rsae_sha256, 0x0999 (unknown)");
    assert_has("        application_layer_protocol_negotiation h2, evil\\x1b[2J");
    assert_has("        extended_master_secret");
    assert_has("        renegotiation_info (empty: a first handshake");

    /* a 250-character name: cut to the line with an ellipsis, here and in the heading */
    char long_name[251];
    memset(long_name, 'a', 250);
    long_name[250] = '\0';
    ch.server_name = long_name;
    pl_writer_init(&w, out, sizeof out);
    assert_int_equal(pl_msg_write_client_hello(&w, &ch), 0);
    s.len = pl_writer_len(&w);
    reset(&t);
    pl_trace_begin(&t, long_name);
    pl_trace_handshake(&t, 0, s, NULL, 0);
    assert_non_null(strstr(got.lines[0], "server"));
    assert_null(strstr(got.lines[0], "aaa"));
    assert_has("  server: aaaaaaaaaa");
    assert_true(find("        server_name") + 1 == find("    |            aaaaaaaaaa"));
    assert_int_equal(count_containing("aaaaaaaaaa" "\xe2\x80\xa6"), 2);
}

/* A ServerHello from a server that also speaks TLS 1.3 ends its random in "DOWNGRD\x01"
 * (RFC 8446 §4.1.3); the chart points it out. An unknown suite shows as its number. */
static void test_trace_server_hello_downgrade_sentinel(void **state)
{
    uint8_t *m;
    size_t len;
    pl_trace t;
    (void)state;
    m = pl_test_unhex("020000260303"
                      "000102030405060708090a0b0c0d0e0f1011121314151617444f574e47524401"
                      "00" "1301" "00", &len);
    pl_slice s = {m, len};
    reset(&t);
    pl_trace_handshake(&t, 1, s, NULL, 0);
    assert_has("random 0001020304050607" "\xe2\x80\xa6" "47524401 (32 bytes)");
    assert_has("(the random ends in \"DOWNGRD\": the server also speaks TLS 1.3");
    assert_has("chose TLS_AES_128_GCM_SHA256 (0x1301), compression null");
    assert_has("extensions: none");
    free(m);
}

/* A DHE ServerKeyExchange in an RFC 7919 group, a CertificateRequest, the RSA and DHE
 * ClientKeyExchange: each decoded by the suite's key exchange. */
static void test_trace_dhe_rsa_and_certificate_request(void **state)
{
    uint8_t buf[1400], ys[256], sig[256];
    pl_writer w;
    size_t body, vec, vec2;
    pl_trace t;
    const pl_suite *dhe = pl_suite_by_id(0x009e), *rsa = pl_suite_by_id(0x009c);
    (void)state;
    assert_non_null(dhe);
    assert_non_null(rsa);
    memset(ys, 0x5a, sizeof ys);
    memset(sig, 0xa5, sizeof sig);

    pl_writer_init(&w, buf, sizeof buf);
    assert_int_equal(pl_write_u8(&w, PL_HS_SERVER_KEY_EXCHANGE), 0);
    assert_int_equal(pl_write_open24(&w, &body), 0);
    assert_int_equal(pl_write_open16(&w, &vec), 0);
    assert_int_equal(pl_write_bytes(&w, pl_ffdhe2048.p, pl_ffdhe2048.p_len), 0);
    assert_int_equal(pl_write_close16(&w, vec), 0);
    assert_int_equal(pl_write_u16(&w, 1), 0);
    assert_int_equal(pl_write_u8(&w, 2), 0);
    assert_int_equal(pl_write_u16(&w, sizeof ys), 0);
    assert_int_equal(pl_write_bytes(&w, ys, sizeof ys), 0);
    assert_int_equal(pl_write_u16(&w, PL_SIG_RSA_PSS_RSAE_SHA256), 0);
    assert_int_equal(pl_write_u16(&w, sizeof sig), 0);
    assert_int_equal(pl_write_bytes(&w, sig, sizeof sig), 0);
    assert_int_equal(pl_write_close24(&w, body), 0);
    pl_slice skx = {buf, pl_writer_len(&w)};
    reset(&t);
    pl_trace_handshake(&t, 1, skx, dhe, 0);
    assert_has("DHE in ffdhe2048 (RFC 7919): p 2048 bits, g 2");
    assert_has("the server's ephemeral public value Ys 5a5a5a5a5a5a5a5a");
    assert_has("signature rsa_pss_rsae_sha256 a5a5a5a5a5a5a5a5");
    /* the same message without a suite, or under the RSA key exchange, is not decoded */
    reset(&t);
    pl_trace_handshake(&t, 1, skx, NULL, 0);
    assert_has("not decoded: no cipher suite chosen yet");
    reset(&t);
    pl_trace_handshake(&t, 1, skx, rsa, 0);
    assert_has("not decoded: the RSA key exchange has none");
    /* ECDHE rules applied to DHE parameters: malformed */
    reset(&t);
    pl_trace_handshake(&t, 1, skx, pl_suite_by_id(0xc02f), 0);
    assert_has("(malformed: SSL_ERR_");

    /* CertificateRequest: rsa_sign, ecdsa_sign; two schemes; one authority */
    static const uint8_t dn[] = {0x30, 0x15, 0x31, 0x13, 0x30, 0x11, 0x06, 0x03, 0x55, 0x04,
                                 0x03, 0x0c, 0x0a, 'E',  'x',  'a',  'm',  'p',  'l',  'e',
                                 ' ',  'C',  'A'};
    pl_writer_init(&w, buf, sizeof buf);
    assert_int_equal(pl_write_u8(&w, PL_HS_CERTIFICATE_REQUEST), 0);
    assert_int_equal(pl_write_open24(&w, &body), 0);
    assert_int_equal(pl_write_bytes(&w, "\x02\x01\x40", 3), 0);
    assert_int_equal(pl_write_bytes(&w, "\x00\x04\x04\x01\x08\x04", 6), 0);
    assert_int_equal(pl_write_open16(&w, &vec), 0);
    assert_int_equal(pl_write_open16(&w, &vec2), 0);
    assert_int_equal(pl_write_bytes(&w, dn, sizeof dn), 0);
    assert_int_equal(pl_write_close16(&w, vec2), 0);
    assert_int_equal(pl_write_close16(&w, vec), 0);
    assert_int_equal(pl_write_close24(&w, body), 0);
    pl_slice cr = {buf, pl_writer_len(&w)};
    reset(&t);
    pl_trace_handshake(&t, 1, cr, dhe, 0);
    assert_has(" 1. CertificateRequest ");
    assert_has("certificate types: rsa_sign, ecdsa_sign");
    assert_has("signature algorithms: rsa_pkcs1_sha256, rsa_pss_rsae_sha256");
    assert_has("certificate authorities (1):");
    assert_has("        CN=Example CA");

    /* ClientKeyExchange under RSA: the encrypted pre-master secret; under DHE: Yc */
    pl_writer_init(&w, buf, sizeof buf);
    assert_int_equal(pl_msg_write_client_kx_rsa(&w, sig, sizeof sig), 0);
    pl_slice ckx = {buf, pl_writer_len(&w)};
    reset(&t);
    pl_trace_handshake(&t, 0, ckx, rsa, 0);
    assert_has("encrypted pre_master_secret a5a5a5a5a5a5a5a5" "\xe2\x80\xa6"
               "a5a5a5a5 (256 bytes)");
    pl_writer_init(&w, buf, sizeof buf);
    assert_int_equal(pl_msg_write_client_kx_dhe(&w, ys, sizeof ys), 0);
    ckx.len = pl_writer_len(&w);
    reset(&t);
    pl_trace_handshake(&t, 0, ckx, dhe, 0);
    assert_has("our ephemeral public value Yc 5a5a5a5a5a5a5a5a");
    assert_has("(256 bytes)");
    /* a client's empty Certificate */
    pl_writer_init(&w, buf, sizeof buf);
    assert_int_equal(pl_msg_write_empty_certificate(&w), 0);
    pl_slice empty_cert = {buf, pl_writer_len(&w)};
    reset(&t);
    pl_trace_handshake(&t, 0, empty_cert, dhe, 0);
    assert_has("no certificates (an empty list: none to offer for this request)");
}

/* A long note wraps at spaces under its mark; control characters in it become '?'. */
static void test_trace_notes_wrap_under_their_mark(void **state)
{
    pl_trace t;
    (void)state;
    reset(&t);
    pl_trace_note(&t, "%s", "");
    assert_int_equal(got.count, 0);
    pl_trace_note(&t, "one\ttwo");
    assert_int_equal(got.count, 1);
    assert_string_equal(got.lines[0], "    |   \xc2\xbb one?two");
    reset(&t);
    pl_trace_note(&t, "certificate REFUSED: %s %s %s %s %s", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                  "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccccccccccccc",
                  "dddddddddddddddddddddddddddddddddddddddddddddddddd", "eeee");
    assert_true(got.count >= 2);
    assert_true(strncmp(got.lines[0], "    |   \xc2\xbb certificate REFUSED: aaaa", 25) == 0);
    for (size_t i = 1; i < got.count; i++) {
        assert_true(strncmp(got.lines[i], "    |     ", 10) == 0);
        assert_true(got.lines[i][10] != ' ');
    }
    assert_has("eeee");
}

/* With no callback, nothing is formatted and nothing changes. */
static void test_trace_without_callback_does_nothing(void **state)
{
    struct flight f;
    pl_trace t;
    (void)state;
    load_flight(recorded[1].dir, &f);
    memset(&got, 0, sizeof got);
    memset(&t, 0, sizeof t);
    t.user = &got;
    play(&t, &f, pl_suite_by_id(recorded[1].suite), "localhost");
    for (size_t i = 0; i < 10; i++) {
        pl_trace_app_data(&t, 1, 10);
    }
    pl_trace_note(&t, "%s", "nothing");
    assert_int_equal(t.step, 0);
    assert_int_equal(t.group, 0);
    assert_int_equal(t.app_data[0], 0);
    assert_int_equal(got.calls, 0);
    free_flight(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trace_recorded_handshake_is_a_numbered_chart),
        cmocka_unit_test(test_trace_every_recorded_connection),
        cmocka_unit_test(test_trace_illustrated_connection),
        cmocka_unit_test(test_trace_application_data_is_capped_per_direction),
        cmocka_unit_test(test_trace_truncated_messages_are_malformed),
        cmocka_unit_test(test_trace_random_messages_never_crash),
        cmocka_unit_test(test_trace_malformed_certificate_and_trailing_bytes),
        cmocka_unit_test(test_trace_our_client_hello_and_escaping),
        cmocka_unit_test(test_trace_server_hello_downgrade_sentinel),
        cmocka_unit_test(test_trace_dhe_rsa_and_certificate_request),
        cmocka_unit_test(test_trace_notes_wrap_under_their_mark),
        cmocka_unit_test(test_trace_without_callback_does_nothing),
    };
    pl_test_require_vectors();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
