/* The handshake as a sequence chart for people (`https_get --trace`, ssl_set_trace): the
 * article's chart (Client Hello → Server Hello, Certificate, Server Key Exchange, Server Hello
 * Done → Client Key Exchange, Finished → Finished → encrypted data), drawn arrow by arrow in
 * the order the messages really flowed, each with its real contents decoded: versions,
 * randoms, the suites offered and the one chosen, extensions, the certificate chain with
 * subjects and validity, key-exchange groups and public values, signatures, verify_data; and
 * between the arrows the engine's notes — the verification verdict, how the pre-master and
 * master secrets were derived.
 *
 * The engine calls these at the moment each thing happens; they format and hand finished lines
 * (no newline) to the application's callback. Messages are decoded again here with the same
 * parsers the engine uses (tls/msg.h, x509/cert.h), never trusted: a message that does not
 * parse is shown as "(malformed: <error name>)" with its length, nothing more. Secrets are never
 * printed (the key log is the way to get them). When t->cb is NULL every call does nothing and
 * costs nothing. */
#ifndef PL_TLS_TRACE_H
#define PL_TLS_TRACE_H

#include "base/cursor.h"
#include "tls/suites.h"

typedef struct pl_trace {
    void (*cb)(void *user, const char *line);
    void *user;
    unsigned step;                  /* arrows drawn so far: numbers them 1, 2, 3 ... */
    unsigned app_data[2];           /* application data records seen: [0] sent, [1] received */
    uint16_t group;                 /* the ServerKeyExchange's named group, for showing the
                                       ClientKeyExchange (0: none seen) */
} pl_trace;

/* The chart's heading: the "client" and "server" lifelines, with the server's host name
 * (server_name may be NULL). Starts a new chart: step, app_data and group back to 0. Call it
 * before anything else; the other fields besides cb and user need no initialising. */
void pl_trace_begin(pl_trace *t, const char *server_name);

/* A handshake message (whole: with its 4-byte header) sent by the client (from_server 0) or
 * received (1), and its decoded contents. suite: the negotiated suite once ServerHello chose
 * one (ServerKeyExchange and ClientKeyExchange decode by its key exchange), else NULL.
 * encrypted: the message travelled under record protection (the Finished messages). */
void pl_trace_handshake(pl_trace *t, int from_server, pl_slice whole, const pl_suite *suite,
                        int encrypted);

/* A ChangeCipherSpec record: from here on this direction is encrypted. */
void pl_trace_ccs(pl_trace *t, int from_server);

/* An alert record (RFC 5246 §7.2): level 1 warning / 2 fatal, and its description by name. */
void pl_trace_alert(pl_trace *t, int from_server, uint8_t level, uint8_t description);

/* Application data: len plaintext bytes in one record. The first three records each way are
 * drawn as arrows; the fourth gets one "(further application data ... not shown)" line and later
 * ones nothing. Alerts are always drawn. */
void pl_trace_app_data(pl_trace *t, int from_server, size_t len);

/* A note from the engine, printed between the arrows, indented under the last one, e.g.
 * "pre_master_secret = X25519(client private, server public): 32 bytes". One sentence without
 * a trailing newline or full stop; it is wrapped at spaces to 100 columns (up to 1023 bytes are
 * kept), and control characters in it are shown as '?'. Never a secret. */
void pl_trace_note(pl_trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
