/* The public API (include/padlock/ssl.h) from the outside: configuration calls and their
 * errors, the connection's life without a server that behaves (silence, a closed socket,
 * garbage), non-blocking results, time limits, and that failures are sticky and named.
 * Handshakes with a real server are the interop tests' (tests/interop) and the state machine's
 * (test_hs_client). */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include <padlock/ssl.h>

/* A connected pair of sockets: fd[0] for the client, fd[1] plays the server. */
static void socket_pair(int fd[2])
{
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fd), 0);
}

static ssl_ctx *insecure_ctx(void)
{
    ssl_ctx *ctx = ssl_ctx_new();
    assert_non_null(ctx);
    /* no trust store needed: these servers never get as far as a certificate */
    assert_int_equal(ssl_ctx_set_verify(ctx, SSL_VERIFY_NONE_INSECURE), SSL_OK);
    return ctx;
}

static void test_unknown_cipher_name_is_refused_and_named(void **state)
{
    (void)state;
    ssl_ctx *ctx = ssl_ctx_new();
    assert_int_equal(ssl_ctx_set_ciphers(ctx, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,RC4-MD5"),
                     SSL_ERR_CONFIG_UNKNOWN_CIPHER);
    assert_non_null(strstr(ssl_ctx_get_error_detail(ctx), "RC4-MD5"));
    assert_int_equal(ssl_ctx_set_ciphers(ctx, " , "), SSL_ERR_CONFIG_EMPTY_LIST);
    assert_int_equal(ssl_ctx_set_ciphers(ctx, "TLS_RSA_WITH_AES_128_CBC_SHA:"
                                              "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
                     SSL_OK);
    assert_int_equal(ssl_ctx_set_groups(ctx, "x25519,P-256,ffdhe3072"), SSL_OK);
    assert_int_equal(ssl_ctx_set_groups(ctx, "x448"), SSL_ERR_CONFIG_UNKNOWN_GROUP);
    assert_non_null(strstr(ssl_ctx_get_error_detail(ctx), "x448"));
    ssl_ctx_free(ctx);
}

static void test_alpn_and_limits_are_checked(void **state)
{
    (void)state;
    static const char *const ok[] = {"h2", "http/1.1"};
    static const char *const empty[] = {""};
    ssl_ctx *ctx = ssl_ctx_new();
    assert_int_equal(ssl_ctx_set_alpn(ctx, ok, 2), SSL_OK);
    assert_int_equal(ssl_ctx_set_alpn(ctx, empty, 1), SSL_ERR_INVALID_ARGUMENT);
    assert_int_equal(ssl_ctx_set_alpn(ctx, NULL, 0), SSL_OK);
    assert_int_equal(ssl_ctx_set_max_handshake_message(ctx, 100), SSL_ERR_INVALID_ARGUMENT);
    assert_int_equal(ssl_ctx_set_max_handshake_message(ctx, 1 << 20), SSL_OK);
    assert_int_equal(ssl_ctx_set_verify(ctx, 7), SSL_ERR_INVALID_ARGUMENT);
    assert_int_equal(ssl_ctx_load_ca_file(ctx, "/nonexistent/ca.pem") < 0, 1);
    assert_non_null(strstr(ssl_ctx_get_error_detail(ctx), "/nonexistent/ca.pem"));
    ssl_ctx_free(ctx);
}

static void test_connection_calls_before_the_handshake(void **state)
{
    (void)state;
    ssl_ctx *ctx = insecure_ctx();
    ssl *s = ssl_new(ctx);
    char buf[8];
    assert_int_equal(ssl_connect(s), SSL_ERR_NO_IO);
    assert_int_equal(ssl_set_hostname(s, "bad host!"), SSL_ERR_BAD_HOSTNAME);
    assert_int_equal(ssl_set_hostname(s, "example.com"), SSL_OK);
    assert_null(ssl_get_version(s));
    assert_null(ssl_get_cipher(s));
    assert_null(ssl_get_peer_subject(s));
    assert_int_equal(ssl_get_peer_validity(s, NULL, NULL), -1);
    assert_int_equal(ssl_read(s, buf, 0), SSL_ERR_INVALID_ARGUMENT);
    assert_string_equal(ssl_get_error_detail(s), "");
    assert_int_equal(ssl_close(s), SSL_OK);    /* nothing was ever sent */
    ssl_free(s);
    ssl_free(NULL);
    ssl_ctx_free(ctx);
}

/* The server hangs up at once: the handshake fails as a truncation, and stays failed. */
static void test_server_that_closes_is_truncation_and_sticky(void **state)
{
    (void)state;
    int fd[2];
    socket_pair(fd);
    close(fd[1]);
    ssl_ctx *ctx = insecure_ctx();
    ssl *s = ssl_new(ctx);
    assert_int_equal(ssl_set_hostname(s, "example.com"), SSL_OK);
    assert_int_equal(ssl_set_fd(s, fd[0]), SSL_OK);
    int rc = ssl_connect(s);
    /* the ClientHello may or may not be taken before the socket reports the close */
    assert_true(rc == SSL_ERR_TRUNCATED || rc == SSL_ERR_IO);
    assert_int_equal(ssl_connect(s), rc);
    assert_int_equal(ssl_get_error(s), rc);
    assert_true(strlen(ssl_get_error_detail(s)) > 0);
    char buf[8];
    assert_int_equal(ssl_read(s, buf, sizeof buf), rc);
    assert_int_equal(ssl_write(s, "x", 1), rc);
    ssl_free(s);
    ssl_ctx_free(ctx);
    close(fd[0]);
}

/* The server answers the ClientHello with bytes that are no TLS record: the client refuses
 * with a named error and tells the server with a fatal alert. */
static void test_garbage_from_the_server_gets_a_fatal_alert(void **state)
{
    (void)state;
    int fd[2];
    socket_pair(fd);
    static const char junk[] = "HTTP/1.1 400 Bad Request\r\n\r\n";
    assert_int_equal(write(fd[1], junk, sizeof junk - 1), (ssize_t)(sizeof junk - 1));
    ssl_ctx *ctx = insecure_ctx();
    ssl *s = ssl_new(ctx);
    assert_int_equal(ssl_set_fd(s, fd[0]), SSL_OK);
    int rc = ssl_connect(s);
    assert_int_equal(rc, SSL_ERR_RECORD_BAD_TYPE);
    /* what the client sent: its ClientHello record, then the alert record 21 3.3 len 2, fatal,
     * unexpected_message (10) */
    uint8_t got[4096];
    ssize_t n = read(fd[1], got, sizeof got);
    assert_true(n > 7);
    static const uint8_t alert[7] = {21, 3, 3, 0, 2, 2, 10};
    assert_memory_equal(got + n - 7, alert, 7);
    ssl_free(s);
    ssl_ctx_free(ctx);
    close(fd[0]);
    close(fd[1]);
}

/* A non-blocking socket whose server says nothing: SSL_WANT_READ, again and again, without
 * failing; then the server hangs up and the truncation shows. */
static void test_non_blocking_connect_wants_read_until_the_server_speaks(void **state)
{
    (void)state;
    int fd[2];
    socket_pair(fd);
    assert_int_equal(fcntl(fd[0], F_SETFL, fcntl(fd[0], F_GETFL) | O_NONBLOCK), 0);
    ssl_ctx *ctx = insecure_ctx();
    ssl *s = ssl_new(ctx);
    assert_int_equal(ssl_set_fd(s, fd[0]), SSL_OK);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ssl_connect(s), SSL_WANT_READ);
    }
    assert_int_equal(ssl_get_error(s), SSL_OK);
    uint8_t hello[2048];
    assert_true(read(fd[1], hello, sizeof hello) > 0);      /* the ClientHello went out */
    close(fd[1]);
    assert_int_equal(ssl_connect(s), SSL_ERR_TRUNCATED);
    ssl_free(s);
    ssl_ctx_free(ctx);
    close(fd[0]);
}

/* A server that never answers: the handshake time limit ends the wait with its own error. */
static void test_silent_server_hits_the_handshake_time_limit(void **state)
{
    (void)state;
    int fd[2];
    socket_pair(fd);
    ssl_ctx *ctx = insecure_ctx();
    ssl *s = ssl_new(ctx);
    assert_int_equal(ssl_set_fd(s, fd[0]), SSL_OK);
    assert_int_equal(ssl_set_timeouts(s, 100, 0), SSL_OK);
    assert_int_equal(ssl_connect(s), SSL_ERR_TIMEOUT_HANDSHAKE);
    assert_non_null(strstr(ssl_get_error_detail(s), "100 ms"));
    assert_int_equal(ssl_connect(s), SSL_ERR_TIMEOUT_HANDSHAKE);
    ssl_free(s);
    ssl_ctx_free(ctx);
    close(fd[0]);
    close(fd[1]);
}

/* A server that resets the TCP connection (a crash, a restart): SSL_ERR_CONNECTION_RESET, by
 * name, not a generic I/O error and never a clean end. */
static void test_tcp_reset_is_named(void **state)
{
    (void)state;
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(lfd, 1), 0);
    assert_int_equal(getsockname(lfd, (struct sockaddr *)&a, &alen), 0);
    int cfd = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(cfd, (struct sockaddr *)&a, sizeof a), 0);
    int sfd = accept(lfd, NULL, NULL);
    assert_true(sfd >= 0);
    /* SO_LINGER with a zero time: close sends RST instead of FIN */
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    assert_int_equal(setsockopt(sfd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
    close(sfd);
    ssl_ctx *ctx = insecure_ctx();
    ssl *s = ssl_new(ctx);
    assert_int_equal(ssl_set_fd(s, cfd), SSL_OK);
    assert_int_equal(ssl_connect(s), SSL_ERR_CONNECTION_RESET);
    assert_non_null(strstr(ssl_get_error_detail(s), "reset"));
    ssl_free(s);
    ssl_ctx_free(ctx);
    close(cfd);
    close(lfd);
}

static void test_error_names_and_strings_cover_the_new_codes(void **state)
{
    (void)state;
    static const int codes[] = {SSL_ERR_WANT_READ, SSL_ERR_TRUNCATED, SSL_ERR_TIMEOUT_READ,
                                SSL_ERR_DATA_LIMIT, SSL_ERR_HS_ETM_WITHOUT_CBC,
                                SSL_ERR_CONFIG_UNKNOWN_CIPHER};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        assert_true(strncmp(ssl_error_name(codes[i]), "SSL_ERR_", 8) == 0);
        assert_true(strlen(ssl_error_string(codes[i])) > 10);
    }
    assert_int_equal(SSL_WANT_READ, SSL_ERR_WANT_READ);
    assert_int_equal(SSL_WANT_WRITE, SSL_ERR_WANT_WRITE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_cipher_name_is_refused_and_named),
        cmocka_unit_test(test_alpn_and_limits_are_checked),
        cmocka_unit_test(test_connection_calls_before_the_handshake),
        cmocka_unit_test(test_server_that_closes_is_truncation_and_sticky),
        cmocka_unit_test(test_garbage_from_the_server_gets_a_fatal_alert),
        cmocka_unit_test(test_non_blocking_connect_wants_read_until_the_server_speaks),
        cmocka_unit_test(test_silent_server_hits_the_handshake_time_limit),
        cmocka_unit_test(test_tcp_reset_is_named),
        cmocka_unit_test(test_error_names_and_strings_cover_the_new_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
