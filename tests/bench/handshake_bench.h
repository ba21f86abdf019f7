/* handshake_bench's two TLS clients behind one small class, so that the driver
 * (handshake_bench.c) runs padlock's and OpenSSL's libssl through exactly the same steps. They
 * live in two files (handshake_padlock.c, handshake_openssl.c) because the two public headers
 * cannot share a translation unit (both define SSL_VERIFY_PEER).
 *
 * Every call that fails prints one line naming the library's reason on stderr and returns NULL
 * or a negative value; the driver then stops. */
#ifndef HB_HANDSHAKE_BENCH_H
#define HB_HANDSHAKE_BENCH_H

#include <stddef.h>

/* What both clients are told, and check: the same trust anchors, the same name (sent as SNI
 * and verified against the certificate), the same single cipher suite and group on offer. */
typedef struct hb_conf {
    const char *cafile;         /* PEM bundle of trust anchors */
    const char *name;           /* server name: SNI and the name the certificate must carry */
    const char *cipher;         /* IANA suite name to offer alone; NULL: the library's default */
    const char *group;          /* "x25519", "secp256r1", ...; NULL: the library's default */
} hb_conf;

typedef struct hb_client {
    const char *name;
    /* A context: verification on, the CA file loaded, TLS 1.2 only. It never resumes a session
     * by itself (no session cache in the context): only a session offered with session_set is
     * resumed, so that every connection of the full-handshake modes is a full handshake. */
    void *(*ctx_new)(const hb_conf *conf);
    void (*ctx_free)(void *ctx);
    /* A connection over the connected socket fd (the caller closes it after conn_free). */
    void *(*conn_new)(void *ctx, const hb_conf *conf, int fd);
    /* The full handshake, with the certificate chain and host name verified: 0 or -1. */
    int (*handshake)(void *conn);
    /* len (everything sent) or -1. */
    long (*write)(void *conn, const void *buf, size_t len);
    /* > 0 bytes, 0 at the server's close_notify, -1 on any failure. */
    long (*read)(void *conn, void *buf, size_t len);
    /* Send close_notify (without waiting for the server's). */
    void (*close)(void *conn);
    void (*conn_free)(void *conn);
    /* The negotiated suite's IANA name, after the handshake. */
    const char *(*cipher)(void *conn);
    /* Sessions, for the resumed mode. session_get: the session of a connection whose handshake
     * is done, the caller's to free with session_free (and to offer on any number of later
     * connections of the same context), or NULL. session_set: offer sess on a connection before
     * its handshake (the connection takes its own reference or copy): 0 or -1. session_reused:
     * 1 when the handshake resumed the offered session, 0 when it was a full one.
     * session_refusal: why the client itself did not offer the session it was given (its own
     * checks: expiry, host name, ...), or NULL when it offered it or cannot tell. */
    void *(*session_get)(void *conn);
    int (*session_set)(void *conn, void *sess);
    int (*session_reused)(void *conn);
    const char *(*session_refusal)(void *conn);
    void (*session_free)(void *sess);
} hb_client;

extern const hb_client hb_padlock;
extern const hb_client hb_openssl;

/* Heap accounting (heap_count.c, in handshake_bench_heap; heap_none.c elsewhere): the bytes
 * the process has allocated and not freed, as glibc's malloc_usable_size counts them, and the
 * highest that figure reached since hb_heap_reset_peak. hb_heap_counting is 0 in the build
 * without the counting allocator, which keeps the timed binary free of its overhead. */
extern const int hb_heap_counting;
size_t hb_heap_live(void);
size_t hb_heap_peak(void);
void hb_heap_reset_peak(void);

#endif
