/* The unit tests' harness for the sans-I/O client against the test server
 * (tls_test_server.h): the fixtures and the keys loaded once per group, a default client
 * configuration and default servers, and a connection, tts_conn, that moves bytes between the
 * two, feeds flights in any record and read sizes, and checks refusals. It serves
 * test_hs_client, test_client_auth, test_resume and test_session_api; what only one of them
 * needs stays in that file.
 *
 * Test code on cmocka: every function here that checks something fails the running test
 * (cmocka's assert_* and fail_msg) instead of returning an error, unless it says it returns one.
 * Include it after pl_test.h. */
#ifndef TTS_HARNESS_H
#define TTS_HARNESS_H

#include "tls/client.h"
#include "tls/session.h"
#include "tls_test_server.h"
#include "tts_fixtures.h"
#include "x509/store.h"

/* ---- fixtures -------------------------------------------------------------------------------- */

/* The fixture called name in tests/data/tls, or in tests/data/tls/client; a name that does not
 * exist fails the test. The slices are static (tts_fixtures.h). */
pl_slice tts_fixture(const char *name);
pl_slice tts_client_fixture(const char *name);

/* What tts_group_setup loads and tts_group_teardown frees, for the tests to borrow: the store
 * holding tests/data/tls's root, and the servers' keys (server-rsa.key, server-ec.key for the
 * P-256 leaf, server-ec384.key). */
extern pl_x509_store tts_anchors;
extern pl_private_key tts_key_rsa, tts_key_ec, tts_key_ec384;

/* cmocka group setup and teardown for the globals above; setup returns -1 when a fixture does
 * not load. A file with more to load calls them from its own. */
int tts_group_setup(void **state);
int tts_group_teardown(void **state);

/* The name of an SSL_ERR_* code (ssl_error_name), or "?" for a value that is none. */
const char *tts_err_name(int err);

/* ---- default server and client --------------------------------------------------------------- */

/* A server with the leaf (a fixture name: RSA, EC P-256 or EC P-384) and key, and the
 * intermediate, choosing suite (which must be in this padlock) with its natural group (X25519
 * for ECDHE, ffdhe2048 for DHE) and the signature scheme of the key (RSA-PSS with SHA-256, or
 * the curve's ECDSA). The key is borrowed. */
tts_options tts_server_with(uint16_t suite, const char *leaf, const pl_private_key *key);

/* The usual server for a suite: the EC P-256 leaf for ECDHE_ECDSA, the RSA leaf otherwise. */
tts_options tts_server_for(uint16_t suite);

/* pl_client_config_defaults, trusting tts_anchors, verifying at tts_fixture_time. */
void tts_config_default(pl_client_config *cfg);

/* ---- a connection: the client and the test server, bytes between them ------------------------ */

#define TTS_TRACE_MAX (96 * 1024)

/* The conn owns c and s (tts_conn_close frees them) and cfg, which the client borrows: an open
 * conn must not be moved or copied. Every connection runs with the client's trace on, so that
 * its printer reads every flight a test makes; the sink checks that lines come whole (no
 * newline), counts them, and keeps their text joined by single spaces, each line without its
 * lifeline prefix (' ' and '|'), so that notes wrapped at spaces read as one text again (lines
 * past TTS_TRACE_MAX are counted but not kept). */
typedef struct tts_conn {
    pl_client_config cfg;
    pl_client *c;
    tts_server *s;
    size_t trace_lines;
    char trace[TTS_TRACE_MAX];  /* NUL-terminated */
    size_t trace_len;
} tts_conn;

/* The client started for host (NULL: "localhost") with a copy of cfg (NULL:
 * tts_config_default), its ClientHello read by a server with options o (tts_new copies o; what
 * it points to is borrowed), and the server's first flight built into s->msgs, not framed yet:
 * a test may edit it. */
void tts_conn_open(tts_conn *k, const tts_options *o, const pl_client_config *cfg,
                   const char *host);

/* The same with the client offering a copy of the session offer (pl_session_dup; the client
 * owns the copy, the caller keeps offer). */
void tts_conn_open_offering(tts_conn *k, const tts_options *o, const pl_client_config *cfg,
                            const char *host, const pl_session *offer);

/* Free the client and the server; k is zeroed. */
void tts_conn_close(tts_conn *k);

/* Everything the client has queued goes to the server: tts_recv's result. */
int tts_conn_pump(tts_conn *k);

/* Bytes into the client's input without running anything (they must fit). */
void tts_give(pl_client *c, const uint8_t *p, size_t len);

/* Bytes to the client chunk by chunk (chunk 0: as much as fits), with pl_client_handshake after
 * each chunk, until it says something other than SSL_ERR_WANT_READ; that result is returned
 * (SSL_ERR_WANT_READ when the bytes ran out first). Each chunk must fit. */
int tts_feed(pl_client *c, const uint8_t *p, size_t len, size_t chunk);

/* tts_feed of b to the conn's client. */
int tts_conn_feed(tts_conn *k, const tts_buf *b, size_t chunk);

/* The server's first flight framed into records of at most fragment bytes (0: one record per
 * message; TTS_COALESCE: as few as fit) and fed to the client in chunks: tts_feed's result. */
int tts_conn_flight1(tts_conn *k, size_t fragment, size_t chunk);

/* The client, waiting for the server's ChangeCipherSpec, sends its flight to the server (which
 * must accept it and its Finished); then the server's ChangeCipherSpec and Finished are fed to
 * the client in chunks: tts_feed's result. */
int tts_conn_flight2(tts_conn *k, size_t chunk);

/* A whole handshake, both flights fed as planned; the client must end connected, its handshake
 * state released. */
void tts_conn_connect(tts_conn *k, size_t fragment, size_t chunk);

/* rc must be want; otherwise the test fails naming both and the client's detail message. */
void tts_conn_expect(tts_conn *k, int rc, int want);

/* The client failed with err (rc is the result it returned): its state is failed, err's
 * errors.def row has alert (-1: none), the server receives that alert as a fatal one when there
 * is one, and the handshake keeps returning err. */
void tts_conn_expect_failed(tts_conn *k, int rc, int err, int alert);

/* All of tts_conn_expect_failed and more: the sticky error and a detail message, the handshake
 * state released; the alert is the last record the client queued, plaintext
 * 15 03 03 00 02 02 <alert> before its ChangeCipherSpec and encrypted under its key after (the
 * server decrypts it), and with no alert nothing reaches the server; afterwards every call
 * (handshake, read, write, close) returns err and sends nothing. */
void tts_conn_expect_refused(tts_conn *k, int rc, int err, int alert);

/* The client writes len bytes of application data, accepted whole, and the server receives
 * exactly them as its first application data. */
void tts_conn_client_writes(tts_conn *k, const uint8_t *data, size_t len);

/* Has the client switched its writing to the new keys (sent its ChangeCipherSpec)? */
int tts_client_encrypts(const pl_client *c);

/* The records in out (the client's pending output): the last one's type and fragment (type 0,
 * body NULL when there is none). */
void tts_last_record(pl_slice out, uint8_t *type, const uint8_t **body, size_t *len);

#endif
