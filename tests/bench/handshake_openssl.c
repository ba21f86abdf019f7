/* handshake_bench's OpenSSL client: libssl configured to do what padlock's client does, so the
 * comparison is fair. Both verify: the chain against the same CA file (SSL_VERIFY_PEER) and the
 * host name (SSL_set1_host), and both send SNI. Neither context caches sessions, so the
 * full-handshake modes do a full handshake every time; the resumed mode hands a session over
 * explicitly (SSL_get1_session, SSL_set_session), and the server resumes it by session ID. No
 * tickets (SSL_OP_NO_TICKET): the benchmark's server issues none either (padlock still sends an
 * empty SessionTicket extension, which the server ignores). Both offer TLS 1.2 only, with the
 * one suite and group under test. Extended master secret and the rest of OpenSSL's defaults
 * stay as they are. */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <string.h>

#include "handshake_bench.h"

static void print_errors(const char *what, SSL *s)
{
    char text[256];
    unsigned long e = ERR_get_error();
    fprintf(stderr, "openssl: %s: %s", what,
            e != 0 ? ERR_error_string(e, text) : "failed (no error queued)");
    if (s != NULL && SSL_get_verify_result(s) != X509_V_OK) {
        fprintf(stderr, "; verify: %s",
                X509_verify_cert_error_string(SSL_get_verify_result(s)));
    }
    fputc('\n', stderr);
    ERR_clear_error();
}

static void *ossl_ctx_new(const hb_conf *conf)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL) {
        print_errors("SSL_CTX_new", NULL);
        return NULL;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) != 1 ||
        SSL_CTX_load_verify_locations(ctx, conf->cafile, NULL) != 1) {
        print_errors("context", NULL);
        SSL_CTX_free(ctx);
        return NULL;
    }
    if (conf->cipher != NULL) {
        const char *name = OPENSSL_cipher_name(conf->cipher);   /* IANA name to OpenSSL's */
        if (strcmp(name, "(NONE)") == 0 || SSL_CTX_set_cipher_list(ctx, name) != 1) {
            fprintf(stderr, "openssl: unknown cipher suite %s\n", conf->cipher);
            SSL_CTX_free(ctx);
            return NULL;
        }
    }
    if (conf->group != NULL && SSL_CTX_set1_groups_list(ctx, conf->group) != 1) {
        fprintf(stderr, "openssl: unknown group %s\n", conf->group);
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

static void ossl_ctx_free(void *ctx)
{
    SSL_CTX_free(ctx);
}

static void *ossl_conn_new(void *ctx, const hb_conf *conf, int fd)
{
    SSL *s = SSL_new(ctx);
    if (s == NULL) {
        print_errors("SSL_new", NULL);
        return NULL;
    }
    if (SSL_set_tlsext_host_name(s, conf->name) != 1 || SSL_set1_host(s, conf->name) != 1 ||
        SSL_set_fd(s, fd) != 1) {
        print_errors("connection", NULL);
        SSL_free(s);
        return NULL;
    }
    return s;
}

static int ossl_handshake(void *conn)
{
    if (SSL_connect(conn) != 1) {
        print_errors("handshake", conn);
        return -1;
    }
    return 0;
}

static long ossl_write(void *conn, const void *buf, size_t len)
{
    size_t done = 0;
    if (SSL_write_ex(conn, buf, len, &done) != 1 || done != len) {
        print_errors("write", conn);
        return -1;
    }
    return (long)len;
}

static long ossl_read(void *conn, void *buf, size_t len)
{
    size_t got = 0;
    if (SSL_read_ex(conn, buf, len, &got) == 1) {
        return (long)got;
    }
    if (SSL_get_error(conn, 0) == SSL_ERROR_ZERO_RETURN) {
        return 0;
    }
    print_errors("read", conn);
    return -1;
}

static void ossl_close(void *conn)
{
    (void)SSL_shutdown(conn);
}

static void ossl_conn_free(void *conn)
{
    SSL_free(conn);
}

static const char *ossl_cipher(void *conn)
{
    return SSL_CIPHER_standard_name(SSL_get_current_cipher(conn));
}

static void *ossl_session_get(void *conn)
{
    SSL_SESSION *sess = SSL_get1_session(conn);
    if (sess == NULL || !SSL_SESSION_is_resumable(sess)) {
        fprintf(stderr, "openssl: SSL_get1_session: no resumable session\n");
        SSL_SESSION_free(sess);
        return NULL;
    }
    return sess;
}

static int ossl_session_set(void *conn, void *sess)
{
    if (SSL_set_session(conn, sess) != 1) {
        print_errors("SSL_set_session", conn);
        return -1;
    }
    return 0;
}

static int ossl_session_reused(void *conn)
{
    return SSL_session_reused(conn);
}

static const char *ossl_session_refusal(void *conn)
{
    (void)conn;
    return NULL;
}

static void ossl_session_free(void *sess)
{
    SSL_SESSION_free(sess);
}

const hb_client hb_openssl = {
    .name = "openssl",
    .ctx_new = ossl_ctx_new,
    .ctx_free = ossl_ctx_free,
    .conn_new = ossl_conn_new,
    .handshake = ossl_handshake,
    .write = ossl_write,
    .read = ossl_read,
    .close = ossl_close,
    .conn_free = ossl_conn_free,
    .cipher = ossl_cipher,
    .session_get = ossl_session_get,
    .session_set = ossl_session_set,
    .session_reused = ossl_session_reused,
    .session_refusal = ossl_session_refusal,
    .session_free = ossl_session_free,
};
