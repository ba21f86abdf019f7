/* The TLS 1.2 client connection, sans I/O: the engine under ssl_connect / ssl_read / ssl_write.
 *
 * Bytes the application received from the server go in (pl_client_in_room, pl_client_in_add,
 * pl_client_in_eof); bytes to send come out (pl_client_out, pl_client_out_done). Between the
 * two, the engine runs the record layer (tls/record.h), the handshake state machine
 * (hs_client.c: a table of which message may come in which state, and its handler), the key
 * schedule (tls/keys.h) and the certificate checks (x509/path.h). Nothing here touches a
 * socket, so every path can be driven by a test feeding bytes, and blocking, non-blocking and
 * event-loop users all drive the same engine.
 *
 * Failure is sticky: the first error is recorded with a detail sentence, its alert (the
 * errors.def row's) is queued for sending once, and every later call returns the same code.
 *
 * Memory: pl_client_new allocates the connection with its input buffer (the largest record a
 * server may send) and output buffer (one 8 KiB record of ours, plus room for the client
 * certificate flight when an identity is configured; see conn.c). The handshake's state
 * (transcript, ephemeral keys, the server's certificates, the handshake-message buffer up to
 * the configured limit) is allocated at
 * pl_client_start and wiped and freed when the handshake ends either way. Reading and writing
 * application data allocate nothing.
 *
 * Not here: renegotiation (never: a HelloRequest is answered with a no_renegotiation
 * warning), the server side. */
#ifndef PL_TLS_CLIENT_H
#define PL_TLS_CLIENT_H

#include "tls/keys.h"
#include "tls/msg.h"
#include "tls/record.h"
#include "tls/trace.h"
#include "x509/store.h"

/* What a client offers and enforces; lives in the ssl_ctx and is shared read-only by its
 * connections. */
typedef struct pl_client_config {
    uint16_t suites[PL_CH_MAX_SUITES];       /* IANA values, preference order */
    size_t suites_count;
    uint16_t groups[PL_CH_MAX_GROUPS];       /* NamedGroup values, preference order */
    size_t groups_count;
    const uint16_t *sigalgs;                 /* SignatureScheme values we accept */
    size_t sigalgs_count;
    char *alpn[PL_CH_MAX_ALPN];              /* owned by the ssl_ctx */
    size_t alpn_count;
    const pl_x509_store *anchors;            /* trust anchors (NULL: none) */
    int verify;                              /* 0: certificates are not checked (insecure) */
    int64_t verify_time;                     /* 0: now */
    int require_ems;
    size_t hs_limit;                         /* largest handshake message */
    uint32_t session_lifetime;               /* seconds a session may be resumed, at most */
    /* The client certificate chain and its key (x509/identity.h), offered when a server asks
     * for a certificate and the chain fits its request; NULL: none. Owned by the ssl_ctx. A
     * set but incomplete identity (a chain without its key, or the reverse) fails the
     * handshake at its start with SSL_ERR_CLIENT_KEY_MISSING. */
    const struct pl_identity *identity;
} pl_client_config;

/* The signature schemes padlock accepts, in preference order (the signature_algorithms list). */
extern const uint16_t pl_client_sigalgs[];
extern const size_t pl_client_sigalgs_count;

/* The default key-exchange groups, in preference order. */
extern const uint16_t pl_client_default_groups[];
extern const size_t pl_client_default_groups_count;

/* Fill cfg with the defaults (every suite and default group, verification on, EMS offered and
 * not required, PL_HS_DEFAULT_LIMIT); anchors stay NULL. */
void pl_client_config_defaults(pl_client_config *cfg);

/* A group's name ("x25519", "secp256r1", "ffdhe2048", ...) and the reverse (also "P-256",
 * "P-384"): NULL / 0 when padlock does not know it. */
const char *pl_group_name(uint16_t group);
uint16_t pl_group_by_name(const char *name);

/* A SignatureScheme's name ("rsa_pss_rsae_sha256", ...), or NULL. */
const char *pl_sigalg_name(uint16_t sigalg);

/* Where a connection is (the handshake's states are hs_client.c's table). */
enum pl_client_state {
    PL_ST_INIT,                 /* nothing sent yet */
    PL_ST_WAIT_SERVER_HELLO,
    PL_ST_WAIT_CERTIFICATE,
    PL_ST_WAIT_SERVER_KX,
    PL_ST_WAIT_CERT_REQ_OR_DONE,
    PL_ST_WAIT_DONE,
    PL_ST_WAIT_NEW_TICKET,      /* the server promised a NewSessionTicket (RFC 5077 §3.3) */
    PL_ST_WAIT_SERVER_CCS,
    PL_ST_WAIT_SERVER_FINISHED,
    PL_ST_CONNECTED,            /* application data flows */
    PL_ST_FAILED,
    PL_ST_STATE_COUNT
};

/* What became of a server's CertificateRequest (pl_client.client_cert; the public API's
 * SSL_CLIENT_CERT_* have the same values). */
enum {
    PL_CLIENT_CERT_NOT_REQUESTED = 0,
    PL_CLIENT_CERT_NOT_SENT = 1,        /* requested; an empty Certificate was sent */
    PL_CLIENT_CERT_SENT = 2,            /* our chain and a CertificateVerify were sent */
};

/* The peer certificate's facts kept after the handshake for the getters. */
typedef struct pl_peer_info {
    char subject[256];
    char issuer[256];
    int64_t not_before, not_after;
    size_t san_count;
    char *sans[32];             /* point into text */
    char text[1024];
} pl_peer_info;

struct pl_hs;                   /* hs_client.c: the handshake's state */
struct pl_session;              /* tls/session.h */

typedef struct pl_client {
    const pl_client_config *cfg;
    enum pl_client_state state;
    int error;                  /* sticky failure, or 0 */
    char detail[512];           /* the failure's specifics */
    char host[PL_HOSTNAME_MAX + 1]; /* for SNI (unless an IP literal) and verification */
    pl_trace trace;
    /* Key log: the NSS line for this connection's master secret, when the application asked. */
    void (*keylog)(void *user, const char *line);
    void *keylog_user;

    /* Received bytes: in[in_pos .. in_len) are not processed yet; app is decrypted
     * application data not yet delivered (it points into in). */
    uint8_t *in;
    size_t in_cap, in_pos, in_len;
    pl_slice app;
    int eof;                    /* the transport reported end of stream */
    int peer_closed;            /* close_notify received */
    unsigned warning_run;       /* warning alerts in a row */

    uint64_t data_limit;        /* application bytes allowed both ways together; 0: no cap */
    uint64_t data_used;

    /* Bytes to send: out[out_pos .. out_len). */
    uint8_t *out;
    size_t out_cap, out_pos, out_len;
    int alert_sent;             /* a fatal alert or close_notify has been queued */

    pl_record_reader rr;
    pl_record_cipher wc;        /* our direction's protection */
    uint8_t hs_small[64];       /* after the handshake: room for a HelloRequest */
    struct pl_hs *hs;           /* during the handshake only */

    /* What was negotiated. */
    const pl_suite *suite;
    uint16_t group;             /* NamedGroup, 0 for RSA key exchange or a server-chosen DH group */
    const char *group_name;
    int ems;
    int etm;                    /* CBC suites: encrypt-then-MAC (RFC 7366) */
    char alpn[256];
    uint8_t client_random[PL_TLS_RANDOM_LEN];
    uint8_t server_random[PL_TLS_RANDOM_LEN];
    uint8_t master[PL_TLS_MASTER_LEN];
    pl_peer_info *peer;
    int client_cert;            /* PL_CLIENT_CERT_*: what became of a CertificateRequest */

    /* Resumption (tls/session.h). offer: the session the application wants resumed (owned;
     * checked by pl_session_usable when the handshake begins); offer_refused: why it was not
     * offered after all (0: it was, or there was none); resumed: the server accepted it and
     * the handshake was abbreviated; session: this connection's session once established
     * (owned; NULL when the server gave neither a session ID nor a ticket). */
    struct pl_session *offer;
    int offer_refused;
    int resumed;
    struct pl_session *session;
} pl_client;

/* A connection for cfg (which must outlive it), or NULL when out of memory. */
pl_client *pl_client_new(const pl_client_config *cfg);

/* Wipe every secret and free everything. NULL is ignored. */
void pl_client_free(pl_client *c);

/* The server's name (DNS name or IP literal). Before pl_client_start only.
 * SSL_ERR_BAD_HOSTNAME for a name that is neither. */
PL_MUST_CHECK int pl_client_set_host(pl_client *c, const char *name);

/* Begin the handshake: queues the ClientHello. */
PL_MUST_CHECK int pl_client_start(pl_client *c);

/* Go on with the handshake over the bytes received so far: 0 when the connection is
 * established, SSL_ERR_WANT_READ when more bytes are needed (send what pl_client_out holds
 * first), or the failure. */
PL_MUST_CHECK int pl_client_handshake(pl_client *c);

/* Application data: up to len bytes into buf. > 0 bytes, 0 after the server's close_notify,
 * SSL_ERR_WANT_READ when no whole record is buffered, or the failure (SSL_ERR_TRUNCATED when
 * the stream ended without close_notify). A HelloRequest is answered with a no_renegotiation
 * warning and reading goes on. */
long pl_client_read(pl_client *c, uint8_t *buf, size_t len);

/* Protect up to len bytes as records into the output buffer: the bytes taken (> 0), or
 * SSL_ERR_WANT_WRITE when the output buffer has no room for a record (send first), or the
 * failure. len may be 0 (nothing happens). */
long pl_client_write(pl_client *c, const uint8_t *data, size_t len);

/* Queue close_notify (once). */
PL_MUST_CHECK int pl_client_close(pl_client *c);

/* Bytes waiting to be sent, and how many of them were sent. */
pl_slice pl_client_out(const pl_client *c);
void pl_client_out_done(pl_client *c, size_t n);

/* Where received bytes go: at most *room bytes at the returned pointer (room is at least what
 * the current record still needs), then pl_client_in_add(n). in_eof: the transport ended. */
uint8_t *pl_client_in_room(pl_client *c, size_t *room);
void pl_client_in_add(pl_client *c, size_t n);
void pl_client_in_eof(pl_client *c);

/* Record the connection's failure (the first one wins): code, a detail sentence (printf
 * format; NULL uses the code's own sentence), its alert queued. Returns the sticky code. */
int pl_client_fail(pl_client *c, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* For hs_client.c: the handshake message reassembled by the engine, dispatched by the table.
 * type PL_HT_CCS stands for a ChangeCipherSpec record. */
#define PL_HT_CCS PL_HT_CCS_NAME
PL_MUST_CHECK int pl_hs_client_begin(pl_client *c);
PL_MUST_CHECK int pl_hs_client_dispatch(pl_client *c, unsigned type, pl_slice body,
                                        pl_slice whole);
void pl_hs_client_end(pl_client *c);
/* For conn.c: give the handshake-message buffer room for want bytes (it starts small and grows
 * up to the configured limit); SSL_ERR_HS_MESSAGE_TOO_LARGE past the limit. */
PL_MUST_CHECK int pl_hs_client_grow(pl_client *c, size_t want);
/* For conn.c: output-buffer bytes the client-certificate flight (our chain and a
 * CertificateVerify) needs beyond the usual flight; 0 without an identity. */
size_t pl_hs_client_out_extra(const pl_client_config *cfg);

/* For hs_client.c: append one record of type under our current protection to the output. */
PL_MUST_CHECK int pl_client_send(pl_client *c, uint8_t type, const uint8_t *data, size_t len);

#endif
