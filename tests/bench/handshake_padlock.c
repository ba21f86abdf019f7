/* handshake_bench's padlock client: the public API only (padlock/ssl.h), used the way an
 * application uses it. Verification is padlock's default (chain, dates, purpose, host name).
 * The context's session cache stays off (padlock's default), so a connection resumes only the
 * session given to it by ssl_set_session (the resumed mode); every other handshake is a full
 * one. padlock always asks for a ticket (an empty SessionTicket extension); the benchmark's
 * server (s_server -no_ticket) ignores it and resumes by session ID. */
#include <stdio.h>
#include <stdlib.h>

#include <padlock/ssl.h>

#include "handshake_bench.h"

static void *pad_ctx_new(const hb_conf *conf)
{
    ssl_ctx *ctx = ssl_ctx_new();
    int rc;
    if (ctx == NULL) {
        fprintf(stderr, "padlock: ssl_ctx_new: out of memory\n");
        return NULL;
    }
    rc = ssl_ctx_load_ca_file(ctx, conf->cafile);
    if (rc == SSL_OK && conf->cipher != NULL) {
        rc = ssl_ctx_set_ciphers(ctx, conf->cipher);
    }
    if (rc == SSL_OK && conf->group != NULL) {
        rc = ssl_ctx_set_groups(ctx, conf->group);
    }
    if (rc != SSL_OK) {
        fprintf(stderr, "padlock: context: %s (%s)\n", ssl_error_string(rc), ssl_error_name(rc));
        ssl_ctx_free(ctx);
        return NULL;
    }
    return ctx;
}

static void pad_ctx_free(void *ctx)
{
    ssl_ctx_free(ctx);
}

static void *pad_conn_new(void *ctx, const hb_conf *conf, int fd)
{
    ssl *s = ssl_new(ctx);
    int rc;
    if (s == NULL) {
        fprintf(stderr, "padlock: ssl_new: out of memory\n");
        return NULL;
    }
    rc = ssl_set_hostname(s, conf->name);
    if (rc == SSL_OK) {
        rc = ssl_set_fd(s, fd);
    }
    if (rc != SSL_OK) {
        fprintf(stderr, "padlock: connection: %s\n", ssl_error_string(rc));
        ssl_free(s);
        return NULL;
    }
    return s;
}

static int failed(ssl *s, const char *what, long rc)
{
    const char *detail = ssl_get_error_detail(s);
    fprintf(stderr, "padlock: %s: %s (%s)%s%s\n", what, ssl_error_string((int)rc),
            ssl_error_name((int)rc), detail[0] != '\0' ? ": " : "", detail);
    return -1;
}

static int pad_handshake(void *conn)
{
    int rc = ssl_connect(conn);
    return rc == SSL_OK ? 0 : failed(conn, "handshake", rc);
}

static long pad_write(void *conn, const void *buf, size_t len)
{
    long n = ssl_write(conn, buf, len);
    return n == (long)len ? n : failed(conn, "write", n);
}

static long pad_read(void *conn, void *buf, size_t len)
{
    long n = ssl_read(conn, buf, len);
    return n >= 0 ? n : failed(conn, "read", n);
}

static void pad_close(void *conn)
{
    (void)ssl_close(conn);
}

static void pad_conn_free(void *conn)
{
    ssl_free(conn);
}

static const char *pad_cipher(void *conn)
{
    return ssl_get_cipher(conn);
}

static void *pad_session_get(void *conn)
{
    ssl_session *sess = ssl_get_session(conn);
    if (sess == NULL) {
        fprintf(stderr, "padlock: ssl_get_session: no session (the server gave neither a "
                        "session ID nor a ticket, or out of memory)\n");
    }
    return sess;
}

static int pad_session_set(void *conn, void *sess)
{
    int rc = ssl_set_session(conn, sess);
    return rc == SSL_OK ? 0 : failed(conn, "ssl_set_session", rc);
}

static int pad_session_reused(void *conn)
{
    return ssl_session_reused(conn);
}

static const char *pad_session_refusal(void *conn)
{
    int rc = ssl_get_session_refusal(conn);
    return rc != 0 ? ssl_error_name(rc) : NULL;
}

static void pad_session_free(void *sess)
{
    ssl_session_free(sess);
}

const hb_client hb_padlock = {
    .name = "padlock",
    .ctx_new = pad_ctx_new,
    .ctx_free = pad_ctx_free,
    .conn_new = pad_conn_new,
    .handshake = pad_handshake,
    .write = pad_write,
    .read = pad_read,
    .close = pad_close,
    .conn_free = pad_conn_free,
    .cipher = pad_cipher,
    .session_get = pad_session_get,
    .session_set = pad_session_set,
    .session_reused = pad_session_reused,
    .session_refusal = pad_session_refusal,
    .session_free = pad_session_free,
};
