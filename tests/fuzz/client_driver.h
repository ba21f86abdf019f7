/* What the client fuzz targets (fuzz_client.c, fuzz_resume.c) share: a fixed randomness, the
 * client's trust anchor and fixtures, and the driver that hands a server's byte stream to a
 * client in chunks and runs it to the end; and, for writing their seeds with the test server
 * (tests/support/tls_test_server.c), the server's first flight and the seed file. Each target
 * keeps its own control bytes, client configuration, outcome checks and seeds.
 *
 * The randomness is fixed: client_driver.c defines pl_random (the library's own is then not
 * linked) as two deterministic streams, one for the client and one for the seed generator's
 * server, restarted by driver_rng_restart with each target's constants. A seed records a server
 * that answered the client's random, ephemeral keys and pre-master secret, so it replays only as
 * long as the client draws the same bytes in the same order: the seeds in corpus/ depend on
 * these streams, and on the order of every pl_random call.
 *
 * Fuzzing code: a failure that is not the client's business (a missing fixture, a test server
 * that refuses, a seed that cannot be written) aborts. Nothing here is freed but the anchors
 * (driver_free). */
#ifndef CLIENT_DRIVER_H
#define CLIENT_DRIVER_H

#include "tls/client.h"
#include "tls/session.h"
#include "tls_test_server.h"
#include "tts_fixtures.h"
#include "x509/store.h"

/* ---- fixed randomness ------------------------------------------------------------------------ */

enum driver_party {
    DRIVER_CLIENT,              /* the client under test */
    DRIVER_SERVER,              /* the seed generator's test server */
};

/* Both streams restarted from their seeds (splitmix64: not for keys, only for reproducible
 * runs), the client's selected. */
void driver_rng_restart(uint64_t client_seed, uint64_t server_seed);

/* pl_random draws from party's stream from now on. */
void driver_rng_use(enum driver_party party);

/* ---- fixtures and the client ----------------------------------------------------------------- */

/* tests/data/tls's root, loaded by driver_init and freed by driver_free. */
extern pl_x509_store driver_anchors;

void driver_init(void);
void driver_free(void);

/* tts_fixture_find and tts_client_fixture_find, aborting on a missing name. */
pl_slice driver_fixture(const char *name);
pl_slice driver_client_fixture(const char *name);

/* The private key of a tests/data/tls fixture (e.g. "server-rsa.key") into key; the caller
 * frees it with pl_key_private_free. */
void driver_load_key(pl_private_key *key, const char *name);

/* pl_client_config_defaults, trusting driver_anchors, verifying at tts_fixture_time. */
void driver_config(pl_client_config *cfg);

/* The read size that bits 0-2 of a control byte pick: all that fits (0), 1, 2, 3, 7, 64, 512
 * or 4096 bytes. */
size_t driver_chunk(uint8_t control);

/* A client for cfg (borrowed) started for host, offering a copy of offer unless it is NULL,
 * with its trace (when trace is not 0) counting the traced bytes into *traced. The caller ends
 * it with driver_end. */
pl_client *driver_start(const pl_client_config *cfg, int trace, size_t *traced, const char *host,
                        const pl_session *offer);

/* ---- running the client ---------------------------------------------------------------------- */

/* What the client did with a server's stream. */
struct driver_outcome {
    int connected;              /* the handshake completed */
    int resumed, kept_session;  /* and resumed a session; and kept one, as it completed */
    size_t app_bytes;           /* application data read */
    int final;                  /* the last result: 0 after close_notify, or the error */
};

/* Everything the client queued is "sent". */
void driver_drain(pl_client *c);

/* The server's stream (size bytes) to a started client in chunks of chunk bytes (0: all that
 * fits): after each, the handshake (then one request written) or reading, until the stream runs
 * out (then its end is read as EOF) or the client says something other than
 * SSL_ERR_WANT_READ. A failure must be sticky (the handshake and a write return it again); it
 * aborts otherwise. The client is left to the caller. */
struct driver_outcome driver_run(pl_client *c, size_t chunk, const uint8_t *data, size_t size);

/* Close the client (whatever state it is in), drain and free it. */
void driver_end(pl_client *c);

/* ---- making seeds ---------------------------------------------------------------------------- */

/* With the server's randomness (selected from here on): a test server for o reads the client's
 * ClientHello and builds its first flight, framed one record per message onto stream; the
 * client's output is drained. The caller frees the server with tts_free. */
tts_server *driver_server_first_flight(pl_client *c, const tts_options *o, tts_buf *stream);

/* All of p into the client's input at once (it must fit), without running anything. */
void driver_give_all(pl_client *c, const uint8_t *p, size_t len);

/* <dir>/<name>.bin: the control bytes, then the stream. */
void driver_write_seed(const char *dir, const char *name, const uint8_t *control,
                       size_t control_len, const tts_buf *stream);

#endif
