/* A TLS 1.2 session: what a client keeps from a full handshake so that a later connection can
 * resume it with an abbreviated handshake (RFC 5246 §7.3, F.1.4), by the server's session ID
 * or by an RFC 5077 ticket, and the checks that decide whether it may be offered at all.
 *
 * What a session holds: the suite and master secret it was made with, whether the master
 * secret is the extended one (RFC 7627) and whether records were encrypt-then-MAC (RFC 7366),
 * the server's session ID and/or ticket, the server name it was made for, when it was made and
 * when it expires, and the server certificate's facts (so a resumed connection's getters still
 * answer; the certificate itself was verified by the full handshake and is not sent again).
 *
 * Lifetime: expires = min(made + the client's maximum (default 24 h), ticket received + the
 * ticket's lifetime hint when the server gave one, the certificate's notAfter). A new ticket
 * on a resumed connection may move the ticket bound, never the first one: the master secret's
 * age counts from the full handshake.
 *
 * The serialised form (pl_session_save / pl_session_load) is for files: a magic line, a format
 * version, the fields, and a SHA-256 over all of it, so a damaged or edited file is refused
 * with a named error before a field is believed; then every field is checked again as hostile
 * input. It holds the master secret: whoever reads the file can read the connections resumed
 * from it, so it is a secret file (https_get writes it mode 0600). */
#ifndef PL_TLS_SESSION_H
#define PL_TLS_SESSION_H

#include "tls/client.h"

#define PL_SESSION_DEFAULT_LIFETIME (24 * 60 * 60)   /* seconds */
#define PL_SESSION_MAX_TICKET 0xffff                  /* RFC 5077 §3.3: ticket<0..2^16-1> */

typedef struct pl_session {
    uint16_t suite;                     /* IANA value */
    uint8_t ems;                        /* the master secret is RFC 7627's */
    uint8_t etm;                        /* CBC records were encrypt-then-MAC */
    uint8_t master[PL_TLS_MASTER_LEN];
    uint8_t id[32];                     /* the server's session ID (may be empty) */
    size_t id_len;
    uint8_t *ticket;                    /* RFC 5077 ticket, opaque to us (may be absent) */
    size_t ticket_len;
    int64_t created;                    /* Unix seconds: the full handshake */
    int64_t expires;                    /* not offered at or after this */
    char host[PL_HOSTNAME_MAX + 1];     /* the name the connection was made for ("" for none) */
    pl_peer_info peer;                  /* the server certificate's facts */
} pl_session;

/* A copy of s (NULL when out of memory). */
pl_session *pl_session_dup(const pl_session *s);

/* Wipe the master secret and free. NULL is ignored. */
void pl_session_free(pl_session *s);

/* The serialised form's length, and the form itself into buf (cap bytes):
 * SSL_ERR_WRITE_NO_SPACE when cap is too small. */
size_t pl_session_saved_len(const pl_session *s);
PL_MUST_CHECK int pl_session_save(const pl_session *s, uint8_t *buf, size_t cap, size_t *len);

/* A session from its serialised form. SSL_ERR_SESSION_NOT_A_SESSION (no magic),
 * SSL_ERR_SESSION_VERSION (a format this padlock does not read), SSL_ERR_SESSION_CHECKSUM
 * (damaged or edited), SSL_ERR_SESSION_MALFORMED (a field out of range), SSL_ERR_NO_MEMORY. */
PL_MUST_CHECK int pl_session_load(pl_session **out, const uint8_t *buf, size_t len);

/* May s be offered on a connection to host (may be "" for none) under cfg at time now? 0, or
 * why not: SSL_ERR_SESSION_EXPIRED, SSL_ERR_SESSION_WRONG_HOST, SSL_ERR_SESSION_SUITE_DISABLED
 * (its suite is not in cfg's list), SSL_ERR_SESSION_WITHOUT_EMS (cfg requires EMS and the
 * session has none), SSL_ERR_SESSION_NOT_RESUMABLE (no session ID and no ticket). */
PL_MUST_CHECK int pl_session_usable(const pl_session *s, const char *host,
                                    const pl_client_config *cfg, int64_t now);

/* Copy a peer_info, fixing its SAN pointers to point into the copy's text. */
void pl_peer_info_copy(pl_peer_info *dst, const pl_peer_info *src);

#endif
