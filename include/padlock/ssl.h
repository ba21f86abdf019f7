/* padlock — a TLS 1.2 library written from first principles.
 *
 * This is the public API. Everything an application may call is declared here with SSL_API; the
 * shared library exports nothing else.
 *
 * The shape is OpenSSL's: a context (ssl_ctx) holds configuration — trust anchors, cipher suites,
 * groups, ALPN, verification policy — and any number of connections (ssl) are made from it. A
 * connection is given a socket (ssl_set_fd) or two callbacks (ssl_set_io), and then
 * ssl_connect, ssl_read, ssl_write and ssl_close drive it.
 *
 *     ssl_ctx *ctx = ssl_ctx_new();               // verification on, the system trust store
 *     ssl *s = ssl_new(ctx);
 *     ssl_set_hostname(s, "example.com");          // SNI and the name the certificate must carry
 *     ssl_set_fd(s, fd);                           // a connected TCP socket
 *     if (ssl_connect(s) != SSL_OK) { puts(ssl_get_error_detail(s)); }
 *     ssl_write(s, request, request_len);
 *     while ((n = ssl_read(s, buf, sizeof buf)) > 0) { ... }   // 0: the server's close_notify
 *     ssl_close(s); ssl_free(s); ssl_ctx_free(ctx);
 *
 * Errors. Every call that can fail returns SSL_OK (0) or a negative ssl_error; ssl_error_string
 * gives a sentence for the code and ssl_get_error_detail the specifics of the connection's
 * failure ("certificate expired: notAfter 2024-03-01T00:00:00Z at depth 0 (CN=example.com)").
 * A connection that failed stays failed: every later call returns the same code. A fatal error
 * found by padlock is reported to the server with the alert RFC 5246 §7.2 names for it.
 *
 * Non-blocking use. With a non-blocking socket, or callbacks that return SSL_WANT_READ or
 * SSL_WANT_WRITE, ssl_connect, ssl_read, ssl_write and ssl_close return SSL_WANT_READ or
 * SSL_WANT_WRITE when they cannot go on without the network; wait until the socket is readable
 * (or writable) and call the same function again with the same arguments.
 *
 * Threads. A context may be shared by connections in many threads once it is configured: the
 * ssl_ctx_set and load calls must all happen before the first ssl_new. A connection belongs to
 * one thread at a time.
 *
 * Memory. A connection allocates its buffers when it is made and its handshake state for the
 * handshake's duration; reading and writing application data allocate nothing. */
#ifndef PADLOCK_SSL_H
#define PADLOCK_SSL_H

#include <stddef.h>
#include <stdint.h>

#include <padlock/version.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PL_BUILDING_LIBRARY)
#define SSL_API __attribute__((visibility("default")))
#else
#define SSL_API
#endif

/* Errors. Every failure in padlock is one of these codes; all are negative, SSL_OK is 0.
 * The list (and the sentence for each) is padlock/errors.def. */
enum ssl_error_index_ {
#define E(code, alert, text) code##_INDEX_,
#include <padlock/errors.def>
#undef E
    SSL_ERROR_COUNT_
};

typedef enum ssl_error {
    SSL_OK = 0,
#define E(code, alert, text) code = -1 - (int)code##_INDEX_,
#include <padlock/errors.def>
#undef E
} ssl_error;

/* The code's name, e.g. "SSL_ERR_CRYPTO_AUTH_FAILED"; "SSL_OK" for 0; "SSL_ERR_UNKNOWN" for a
 * value that is not a padlock code. Never NULL; the string is static. */
SSL_API const char *ssl_error_name(int err);

/* A sentence for people saying what happened, e.g. "authentication tag did not verify".
 * Never NULL; the string is static. */
SSL_API const char *ssl_error_string(int err);

/* Non-blocking results: the call needs the socket to become readable / writable first.
 * (They are error codes too, so code that treats any negative result as failure stays correct
 * for blocking sockets, where they never occur.) */
#define SSL_WANT_READ SSL_ERR_WANT_READ
#define SSL_WANT_WRITE SSL_ERR_WANT_WRITE

typedef struct ssl_ctx ssl_ctx;
typedef struct ssl ssl;

/* --- Contexts ------------------------------------------------------------------------------ */

/* A client context with the defaults: TLS 1.2, every cipher suite and group padlock implements
 * in its preference order, certificate and host-name verification on, the trust anchors of the
 * system bundle (/etc/ssl/certs/ca-certificates.crt, loaded at the first ssl_connect unless a
 * load call gave others), extended master secret offered (and used whenever the server agrees).
 * NULL when out of memory. */
SSL_API ssl_ctx *ssl_ctx_new(void);

/* Release the context. Connections made from it must be freed first. NULL is ignored. */
SSL_API void ssl_ctx_free(ssl_ctx *ctx);

/* Why the last failed ssl_ctx_* call on this context failed, with the specifics (the cipher
 * name it did not know, the file it could not read); "" when none failed. */
SSL_API const char *ssl_ctx_get_error_detail(const ssl_ctx *ctx);

/* Add the certificates of a PEM bundle (file) or of every PEM file in a directory as trust
 * anchors. Certificates that do not parse are skipped and counted (ssl_ctx_ca_skipped); the call
 * fails when the file cannot be read (SSL_ERR_STORE_*) or yields no certificate at all. */
SSL_API int ssl_ctx_load_ca_file(ssl_ctx *ctx, const char *pem_path);
SSL_API int ssl_ctx_load_ca_dir(ssl_ctx *ctx, const char *dir_path);
/* The same from PEM text in memory. */
SSL_API int ssl_ctx_load_ca_pem(ssl_ctx *ctx, const void *pem, size_t len);
/* Trust anchors loaded so far, and certificates skipped because they did not parse. */
SSL_API size_t ssl_ctx_ca_count(const ssl_ctx *ctx);
SSL_API size_t ssl_ctx_ca_skipped(const ssl_ctx *ctx);

/* The cipher suites to offer, in order: IANA names separated by commas or colons, e.g.
 * "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256".
 * SSL_ERR_CONFIG_UNKNOWN_CIPHER names the first it does not know; nothing changes then. */
SSL_API int ssl_ctx_set_ciphers(ssl_ctx *ctx, const char *list);

/* The key-exchange groups to offer, in order: "x25519", "secp256r1", "secp384r1", "ffdhe2048",
 * "ffdhe3072", "ffdhe4096" (also "P-256", "P-384"), separated by commas or colons.
 * SSL_ERR_CONFIG_UNKNOWN_GROUP for a name it does not know. */
SSL_API int ssl_ctx_set_groups(ssl_ctx *ctx, const char *list);

/* The ALPN protocols to offer (RFC 7301), e.g. {"h2", "http/1.1"}: 1..255 bytes each, at most
 * 8. The strings are copied. n = 0 offers none (the default). */
SSL_API int ssl_ctx_set_alpn(ssl_ctx *ctx, const char *const *protos, size_t n);

/* Certificate verification. SSL_VERIFY_PEER (the default) checks the chain, dates, purpose and
 * host name and fails the handshake on any fault. SSL_VERIFY_NONE_INSECURE accepts any
 * certificate from anyone: the connection is encrypted but not authenticated, so an attacker in
 * the path can read and change everything. For tests and debugging only. */
#define SSL_VERIFY_PEER 1
#define SSL_VERIFY_NONE_INSECURE 0
SSL_API int ssl_ctx_set_verify(ssl_ctx *ctx, int mode);

/* Verify certificates at this time (seconds since 1970 UTC) instead of now; 0 restores now. */
SSL_API int ssl_ctx_set_verify_time(ssl_ctx *ctx, int64_t unix_seconds);

/* Require RFC 7627 extended master secret: a server that does not agree fails the handshake
 * with SSL_ERR_HS_EMS_REQUIRED. Off by default (it is offered and used whenever agreed). */
SSL_API int ssl_ctx_set_require_ems(ssl_ctx *ctx, int on);

/* The largest handshake message accepted (default 65536 bytes, enough for real certificate
 * chains); a larger one fails with SSL_ERR_HS_MESSAGE_TOO_LARGE. 1024 .. 16 MiB. */
SSL_API int ssl_ctx_set_max_handshake_message(ssl_ctx *ctx, size_t bytes);

/* Key logging for debugging tools: after each handshake, cb receives the NSS key-log line
 * ("CLIENT_RANDOM <64 hex> <96 hex>", no newline) that lets Wireshark decrypt the connection.
 * It reveals the session's keys: enable it only where that is wanted. NULL turns it off. */
typedef void (*ssl_keylog_cb)(const ssl *s, const char *line, void *user);
SSL_API int ssl_ctx_set_keylog(ssl_ctx *ctx, ssl_keylog_cb cb, void *user);

/* A client certificate (mutual TLS, RFC 5246 §7.4.6, §7.4.8), used when a server asks for one.
 *
 * The chain: every CERTIFICATE block of a PEM file, the client's own certificate first, then the
 * intermediates that lead to the CA the server trusts (at most 10 in all; other blocks, such as
 * a key in the same file, are passed over). The key: the first private key block of a PEM file,
 * RSA (PKCS#1 "RSA PRIVATE KEY" or PKCS#8 "PRIVATE KEY", at least 2048 bits) or EC on P-256 or
 * P-384 (SEC1 "EC PRIVATE KEY" or PKCS#8), not encrypted. Give both, in either order; the
 * second call checks that the key belongs to the certificate (SSL_ERR_CLIENT_KEY_MISMATCH
 * otherwise). A call that fails changes nothing; ssl_ctx_get_error_detail says why. A context
 * with only one of the two fails every handshake at its start with SSL_ERR_CLIENT_KEY_MISSING.
 * Like every ssl_ctx call, these must come before the first ssl_new.
 *
 * When a server sends a CertificateRequest, the chain is sent if it fits the request — the
 * server accepts the key's certificate type and a signature scheme the key can make (for EC
 * keys ECDSA with SHA-256 or SHA-384; for RSA keys RSA-PSS, else PKCS #1 v1.5, with SHA-256 or
 * SHA-384), and, when the server names CAs, one of them issued a certificate of the chain — and
 * CertificateVerify, signed with the key, proves the client holds it. Otherwise an empty
 * certificate list is sent and the server decides whether to go on (ssl_get_client_cert_status
 * and the trace say which happened). Errors: SSL_ERR_CLIENT_FILE_READ, SSL_ERR_CLIENT_CHAIN_EMPTY,
 * SSL_ERR_CLIENT_CHAIN_TOO_LONG, SSL_ERR_CLIENT_KEY_MISMATCH, SSL_ERR_CRYPTO_RSA_KEY_TOO_SMALL,
 * SSL_ERR_KEY_ENCRYPTED and the PEM, certificate and key parse errors. The key's secret parts
 * are wiped when the context is freed. */
SSL_API int ssl_ctx_use_certificate_chain_file(ssl_ctx *ctx, const char *pem_path);
SSL_API int ssl_ctx_use_private_key_file(ssl_ctx *ctx, const char *pem_path);
/* The same from PEM text in memory (len bytes; copied, so it may be wiped afterwards). */
SSL_API int ssl_ctx_use_certificate_chain_pem(ssl_ctx *ctx, const void *pem, size_t len);
SSL_API int ssl_ctx_use_private_key_pem(ssl_ctx *ctx, const void *pem, size_t len);

/* --- Connections --------------------------------------------------------------------------- */

/* A connection using ctx (which must outlive it). NULL when out of memory. */
SSL_API ssl *ssl_new(ssl_ctx *ctx);

/* Release the connection: wipes its keys and frees its buffers. It does not send close_notify
 * (ssl_close does) and does not close the socket (it is the application's). NULL is ignored. */
SSL_API void ssl_free(ssl *s);

/* The server's name: sent as SNI (RFC 6066) and the name its certificate must carry. An IP
 * literal (IPv4 or IPv6) is not sent as SNI and must match an iPAddress SAN. Without a name
 * the host name is not checked — give one whenever you know it. */
SSL_API int ssl_set_hostname(ssl *s, const char *name);

/* Talk over a connected socket (give it once the TCP connection is established). A blocking
 * socket gives blocking calls; a non-blocking one gives SSL_WANT_READ / SSL_WANT_WRITE. The
 * socket stays the application's. A blocking socket with SO_RCVTIMEO / SO_SNDTIMEO set returns
 * SSL_WANT_READ / SSL_WANT_WRITE when the time runs out: not a failure of the connection, which
 * may be retried or closed. */
SSL_API int ssl_set_fd(ssl *s, int fd);

/* Or over callbacks, for event loops and tests. send returns the bytes it took (> 0),
 * SSL_WANT_WRITE, or SSL_ERR_IO; recv returns the bytes it gave (> 0), 0 at the end of the
 * stream, SSL_WANT_READ, or SSL_ERR_IO. */
typedef long (*ssl_send_cb)(void *user, const void *buf, size_t len);
typedef long (*ssl_recv_cb)(void *user, void *buf, size_t len);
SSL_API int ssl_set_io(ssl *s, ssl_send_cb send, ssl_recv_cb recv, void *user);

/* Handshake tracing: cb receives the handshake as a sequence chart, one line at a time (no
 * newline), message by message as they flow, with their contents — for people learning TLS and
 * for debugging. NULL turns it off. */
typedef void (*ssl_trace_cb)(void *user, const char *line);
SSL_API int ssl_set_trace(ssl *s, ssl_trace_cb cb, void *user);

/* Time limits for a connection on a socket (ssl_set_fd), in milliseconds, 0 for none (the
 * default): handshake_ms bounds the whole of ssl_connect from its first call; io_ms bounds each
 * wait for the network after the handshake — an inactivity limit for ssl_read, a stall limit
 * for ssl_write and ssl_close. Past a limit the connection fails with SSL_ERR_TIMEOUT_HANDSHAKE,
 * SSL_ERR_TIMEOUT_READ or SSL_ERR_TIMEOUT_WRITE (nothing more is sent). The library waits with
 * poll(2), so limits apply to blocking sockets only; with a non-blocking socket or callback
 * I/O they are the application's (an event loop must never wait inside a call). */
SSL_API int ssl_set_timeouts(ssl *s, unsigned handshake_ms, unsigned io_ms);

/* A cap on application data over the connection's lifetime, both directions together (the
 * article's "maximum data transfer"): once max_bytes have passed, the connection sends
 * close_notify and every later call returns SSL_ERR_DATA_LIMIT. 0 (the default) is no cap;
 * TLS's own limit, the record sequence number, is always enforced (it never wraps). */
SSL_API int ssl_set_data_limit(ssl *s, uint64_t max_bytes);

/* Run the handshake: SSL_OK when the connection is established and the server authenticated,
 * SSL_WANT_READ / SSL_WANT_WRITE (non-blocking), or the error. */
SSL_API int ssl_connect(ssl *s);

/* Read application data: the number of bytes (> 0, at most len), 0 when the server closed the
 * connection with close_notify, or a negative code — SSL_ERR_TRUNCATED when the stream ended
 * without close_notify (never reported as a clean end), SSL_ERR_CONNECTION_RESET for a TCP
 * reset, SSL_ERR_ALERT_RECEIVED for a fatal alert (the detail names it), SSL_WANT_READ.
 * Calls ssl_connect first if the handshake has not run. */
SSL_API long ssl_read(ssl *s, void *buf, size_t len);

/* Write application data: len (all of it was sent), or a negative code. With non-blocking
 * I/O, SSL_WANT_WRITE means part may have been taken: call again with the same arguments. */
SSL_API long ssl_write(ssl *s, const void *buf, size_t len);

/* Send close_notify (RFC 5246 §7.2.1). SSL_OK when it was sent; it does not wait for the
 * server's. */
SSL_API int ssl_close(ssl *s);

/* Bytes already received from the network and not yet delivered by ssl_read (decrypted or
 * still to be): when it is not 0, call ssl_read again before waiting on the socket, which
 * may not become readable for data padlock already holds. */
SSL_API size_t ssl_pending(const ssl *s);

/* The connection's failure (the code every call now returns), or SSL_OK. */
SSL_API int ssl_get_error(const ssl *s);

/* A sentence naming the exact cause of the connection's failure, with the specifics
 * (the certificate and check, the alert received, the system error); "" when none. */
SSL_API const char *ssl_get_error_detail(const ssl *s);

/* --- What was negotiated (valid after a successful ssl_connect) ---------------------------- */

/* "TLS 1.2"; NULL before the handshake. */
SSL_API const char *ssl_get_version(const ssl *s);
/* The cipher suite's IANA name, e.g. "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"; NULL before. */
SSL_API const char *ssl_get_cipher(const ssl *s);
/* The key-exchange group: "x25519", "secp256r1", "secp384r1", "ffdhe2048"..., "server-chosen"
 * for a DHE group the server made up; "none" for RSA key exchange; NULL before. */
SSL_API const char *ssl_get_group(const ssl *s);
/* The ALPN protocol the server chose, or NULL. */
SSL_API const char *ssl_get_alpn(const ssl *s);
/* 1 when the session's master secret is RFC 7627's extended master secret. */
SSL_API int ssl_get_ems(const ssl *s);

/* What became of a server's request for a client certificate in the handshake:
 * SSL_CLIENT_CERT_NOT_REQUESTED (the server did not ask), SSL_CLIENT_CERT_NOT_SENT (it asked;
 * no certificate was configured, or the configured one did not fit its request, so an empty
 * list went), SSL_CLIENT_CERT_SENT (the chain and a CertificateVerify went). */
#define SSL_CLIENT_CERT_NOT_REQUESTED 0
#define SSL_CLIENT_CERT_NOT_SENT 1
#define SSL_CLIENT_CERT_SENT 2
SSL_API int ssl_get_client_cert_status(const ssl *s);

/* The server's certificate (the leaf): subject and issuer as one-line distinguished names
 * ("CN=example.com, O=Example"), its validity as Unix seconds, and its subjectAltName entries
 * (DNS names as they are, and IP addresses in their usual text form, "192.0.2.1" or
 * "2001:db8:0:0:0:0:0:1"), index 0 upwards. NULL / 0 / -1 when
 * there is no certificate or no such entry. Strings live as long as the connection. */
SSL_API const char *ssl_get_peer_subject(const ssl *s);
SSL_API const char *ssl_get_peer_issuer(const ssl *s);
SSL_API int ssl_get_peer_validity(const ssl *s, int64_t *not_before, int64_t *not_after);
SSL_API const char *ssl_get_peer_san(const ssl *s, size_t index);

/* ---- sessions and resumption ----------------------------------------------------------------
 *
 * A full handshake makes a session (its suite, master secret and the server's session ID or
 * RFC 5077 ticket); a later connection to the same server may resume it with an abbreviated
 * handshake: no certificate, no key exchange, one round trip less. padlock always asks the
 * server for a ticket. A session is offered only while it lives (the ticket's lifetime hint,
 * capped by ssl_ctx_set_session_lifetime, default 24 hours, and never past the certificate's
 * notAfter), for the same server name, when its suite is still enabled, and, when the context
 * requires extended master secret, only if it has one. A server that resumes with another
 * suite, or uses extended master secret or encrypt-then-MAC differently than the session did,
 * fails the handshake (SSL_ERR_HS_RESUME_*). A session whose connection ended by a fatal alert
 * or a truncation is gone.
 *
 * A saved session holds the master secret: keep the bytes as secret as a private key. */
typedef struct ssl_session ssl_session;

/* A copy of the connection's session once the handshake is done (the caller frees it with
 * ssl_session_free), or NULL: no handshake yet, the server gave neither a session ID nor a
 * ticket, the connection failed, or out of memory. */
SSL_API ssl_session *ssl_get_session(const ssl *s);

/* Offer sess (copied; the caller keeps its own) on this connection: before ssl_connect. Whether
 * it is really offered is decided then (see above); ssl_get_session_refusal says why not. NULL
 * clears. SSL_ERR_BAD_STATE after ssl_connect began. */
SSL_API int ssl_set_session(ssl *s, const ssl_session *sess);

/* 1 when the handshake resumed a session (abbreviated), 0 when it was a full one. */
SSL_API int ssl_session_reused(const ssl *s);

/* Why the session given by ssl_set_session (or found in the context's cache) was not offered:
 * SSL_ERR_SESSION_EXPIRED, _WRONG_HOST, _SUITE_DISABLED, _WITHOUT_EMS, _TICKET_TOO_LARGE (with
 * the rest of the ClientHello it exceeds 4 KiB); 0 when it was offered
 * or there was none. */
SSL_API int ssl_get_session_refusal(const ssl *s);

SSL_API void ssl_session_free(ssl_session *sess);

/* The session's serialised form into buf (cap bytes); *len gets its length. buf NULL: only
 * *len is set. SSL_ERR_WRITE_NO_SPACE when cap is too small. The form is versioned and
 * checksummed. */
SSL_API int ssl_session_save(const ssl_session *sess, void *buf, size_t cap, size_t *len);

/* A session from its serialised form, or NULL with *err (may be NULL) set:
 * SSL_ERR_SESSION_NOT_A_SESSION, _VERSION, _CHECKSUM (damaged or edited), _MALFORMED, or
 * SSL_ERR_NO_MEMORY. Nothing in the bytes is trusted. */
SSL_API ssl_session *ssl_session_load(const void *buf, size_t len, int *err);

/* When sess stops being offered (Unix seconds), and its server name. */
SSL_API int64_t ssl_session_get_expiry(const ssl_session *sess);
SSL_API const char *ssl_session_get_hostname(const ssl_session *sess);

/* The longest a session is kept for resumption, in seconds (default 86400); 0: sessions are
 * never kept. */
SSL_API int ssl_ctx_set_session_lifetime(ssl_ctx *ctx, unsigned seconds);

/* An in-memory session cache in the context, keyed by "host:port" (the port is the socket's
 * peer port for ssl_set_fd connections, 0 for callback I/O): each ssl_connect without an
 * ssl_set_session offers the cached session for its key, and a successful handshake stores
 * its session there; a failed one removes it. Up to max_entries sessions, the least recently
 * used dropped first; 0 (the default) turns the cache off and empties it. Thread-safe. */
SSL_API int ssl_ctx_set_session_cache(ssl_ctx *ctx, size_t max_entries);

/* The library's version, e.g. "0.1.0" (PADLOCK_VERSION_STRING of the build you linked). */
SSL_API const char *ssl_version_string(void);

#ifdef __cplusplus
}
#endif

#endif
