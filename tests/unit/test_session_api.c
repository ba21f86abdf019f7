/* The session API (include/padlock/ssl.h: ssl_get_session, ssl_set_session, ssl_session_save /
 * _load, the context's session cache) over callback I/O, with an in-process server: the test
 * server of tests/support/tls_test_server.c behind the callbacks, which remembers the last
 * session it made by session ID and resumes it when a ClientHello offers it, the way a real
 * server's session cache does. Real servers are the interop tests' (tests/interop/resume.sh). */
#include <stdlib.h>

#include "pl_test.h"

#include <padlock/ssl.h>

#include "tls/session.h"
#include "tts_harness.h"

/* ---- the server behind the callbacks --------------------------------------------------------- */

struct server {
    tts_server *s;              /* this connection's */
    tts_buf out;                /* bytes for the client, from out_pos */
    size_t out_pos;
    int flight_sent, finished_sent, resumed;
    int bad_finished;           /* send a wrong Finished in the next handshake */
    /* the server's session memory */
    int have_session;
    uint8_t master[PL_TLS_MASTER_LEN];
    uint8_t id[32];
    size_t full, abbreviated;   /* handshakes done */
};

static void server_reset(struct server *v)
{
    tts_free(v->s);
    tts_buf_free(&v->out);
    v->s = NULL;
    v->out_pos = 0;
    v->flight_sent = v->finished_sent = v->resumed = 0;
}

static void server_finish(struct server *v)
{
    if (!v->bad_finished) {
        assert_int_equal(tts_send_finished(v->s, &v->out), 0);
        return;
    }
    uint8_t fin[16];
    tts_write_ccs(v->s, &v->out);
    tts_finished_message(v->s, fin);
    fin[10] ^= 1;
    tts_write(v->s, PL_CT_HANDSHAKE, fin, sizeof fin, &v->out);
}

static long server_takes(void *user, const void *buf, size_t len)
{
    struct server *v = user;
    if (v->s == NULL) {
        tts_options o = tts_server_for(0xc02f);
        v->s = tts_new(&o);
    }
    assert_int_equal(tts_recv(v->s, buf, len), 0);
    tts_server *s = v->s;
    if (s->got_client_hello && !v->flight_sent) {
        v->flight_sent = 1;
        v->resumed = v->have_session && s->ch_session_id_len == 32 &&
                     memcmp(s->ch_session_id, v->id, 32) == 0;
        if (v->resumed) {
            s->o.resume_master = v->master;
        }
        assert_int_equal(tts_build_flight(s), 0);
        tts_frame(s, &v->out, 0);
        if (v->resumed) {
            server_finish(v);
            v->abbreviated++;
        } else {
            /* the ServerHello's session ID: after type(1) length(3) version(2) random(32) */
            assert_int_equal(s->msgs[0].ptr[38], 32);
            memcpy(v->id, s->msgs[0].ptr + 39, 32);
        }
    }
    if (!v->resumed && s->got_finished && !v->finished_sent) {
        v->finished_sent = 1;
        server_finish(v);
        memcpy(v->master, s->master, sizeof v->master);
        v->have_session = 1;
        v->full++;
    }
    return (long)len;
}

static long server_gives(void *user, void *buf, size_t len)
{
    struct server *v = user;
    size_t left = v->out.len - v->out_pos;
    if (left == 0) {
        return SSL_ERR_WANT_READ;
    }
    size_t n = left < len ? left : len;
    memcpy(buf, v->out.ptr + v->out_pos, n);
    v->out_pos += n;
    return (long)n;
}

/* ---- connections ----------------------------------------------------------------------------- */

static ssl_ctx *new_ctx(void)
{
    ssl_ctx *ctx = ssl_ctx_new();
    assert_non_null(ctx);
    /* the fixtures' chain is checked by test_hs_client; here the sessions are under test */
    assert_int_equal(ssl_ctx_set_verify(ctx, SSL_VERIFY_NONE_INSECURE), SSL_OK);
    assert_int_equal(ssl_ctx_set_ciphers(ctx, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), SSL_OK);
    return ctx;
}

/* One connection to host through v, offering sess (unless NULL): the handshake's result; the
 * connection is returned in *out (or freed when out is NULL). */
static int connect_to(ssl_ctx *ctx, struct server *v, const char *host, const ssl_session *sess,
                      ssl **out)
{
    server_reset(v);
    ssl *s = ssl_new(ctx);
    assert_non_null(s);
    assert_int_equal(ssl_set_hostname(s, host), SSL_OK);
    assert_int_equal(ssl_set_io(s, server_takes, server_gives, v), SSL_OK);
    if (sess != NULL) {
        assert_int_equal(ssl_set_session(s, sess), SSL_OK);
    }
    int rc = SSL_WANT_READ;
    for (int i = 0; i < 100 && rc == SSL_WANT_READ; i++) {
        rc = ssl_connect(s);
    }
    if (out != NULL) {
        *out = s;
    } else {
        ssl_free(s);
    }
    return rc;
}

static void test_a_saved_session_resumes_through_the_api(void **state)
{
    struct server v = {0};
    ssl *s;
    (void)state;
    ssl_ctx *ctx = new_ctx();
    assert_int_equal(connect_to(ctx, &v, "localhost", NULL, &s), SSL_OK);
    assert_int_equal(ssl_session_reused(s), 0);
    ssl_session *sess = ssl_get_session(s);
    assert_non_null(sess);
    assert_string_equal(ssl_session_get_hostname(sess), "localhost");
    assert_true(ssl_session_get_expiry(sess) > 0);
    assert_int_equal(ssl_set_session(s, sess), SSL_ERR_BAD_STATE);     /* too late */
    ssl_free(s);

    /* saved and loaded, as https_get --sess-out / --sess-in do */
    size_t len = 0;
    assert_int_equal(ssl_session_save(sess, NULL, 0, &len), SSL_OK);
    uint8_t *buf = malloc(len);
    assert_int_equal(ssl_session_save(sess, buf, len - 1, &len), SSL_ERR_WRITE_NO_SPACE);
    assert_int_equal(ssl_session_save(sess, buf, len, &len), SSL_OK);
    int err = 1;
    ssl_session *back = ssl_session_load(buf, len, &err);
    assert_int_equal(err, SSL_OK);
    assert_non_null(back);

    assert_int_equal(connect_to(ctx, &v, "localhost", back, &s), SSL_OK);
    assert_int_equal(ssl_session_reused(s), 1);
    assert_int_equal(ssl_get_session_refusal(s), 0);
    assert_int_equal(v.abbreviated, 1);
    assert_string_equal(ssl_get_cipher(s), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    ssl_free(s);

    /* for another name it is not offered, and the connection says why */
    assert_int_equal(connect_to(ctx, &v, "example.com", back, &s), SSL_OK);
    assert_int_equal(ssl_session_reused(s), 0);
    assert_int_equal(ssl_get_session_refusal(s), SSL_ERR_SESSION_WRONG_HOST);
    ssl_free(s);

    buf[len / 2] ^= 1;
    assert_null(ssl_session_load(buf, len, &err));
    assert_int_equal(err, SSL_ERR_SESSION_CHECKSUM);
    assert_null(ssl_session_load(buf, 3, NULL));
    free(buf);
    ssl_session_free(back);
    ssl_session_free(sess);
    ssl_session_free(NULL);
    server_reset(&v);
    ssl_ctx_free(ctx);
}

static void test_the_context_cache_resumes_by_host_and_port(void **state)
{
    struct server v = {0};
    (void)state;
    ssl_ctx *ctx = new_ctx();
    /* off by default: every handshake is full */
    assert_int_equal(connect_to(ctx, &v, "localhost", NULL, NULL), SSL_OK);
    assert_int_equal(connect_to(ctx, &v, "localhost", NULL, NULL), SSL_OK);
    assert_int_equal(v.full, 2);

    assert_int_equal(ssl_ctx_set_session_cache(ctx, 4), SSL_OK);
    v.have_session = 0;
    v.full = v.abbreviated = 0;
    ssl *s;
    assert_int_equal(connect_to(ctx, &v, "localhost", NULL, NULL), SSL_OK);
    assert_int_equal(connect_to(ctx, &v, "localhost", NULL, &s), SSL_OK);
    assert_int_equal(ssl_session_reused(s), 1);
    ssl_free(s);
    assert_int_equal(connect_to(ctx, &v, "localhost", NULL, NULL), SSL_OK);
    assert_int_equal(v.full, 1);
    assert_int_equal(v.abbreviated, 2);

    /* a failed handshake removes the entry: the next one is full */
    v.bad_finished = 1;
    assert_int_equal(connect_to(ctx, &v, "localhost", NULL, NULL), SSL_ERR_HS_BAD_FINISHED);
    v.bad_finished = 0;
    assert_int_equal(connect_to(ctx, &v, "localhost", NULL, &s), SSL_OK);
    assert_int_equal(ssl_session_reused(s), 0);
    ssl_free(s);
    assert_int_equal(v.full, 2);
    server_reset(&v);
    ssl_ctx_free(ctx);
}

static void test_the_cache_drops_the_least_recently_used(void **state)
{
    struct server a = {0}, b = {0};
    ssl *s;
    (void)state;
    ssl_ctx *ctx = new_ctx();
    assert_int_equal(ssl_ctx_set_session_cache(ctx, 1), SSL_OK);
    assert_int_equal(connect_to(ctx, &a, "a.test", NULL, NULL), SSL_OK);
    assert_int_equal(connect_to(ctx, &b, "b.test", NULL, NULL), SSL_OK);     /* evicts a */
    assert_int_equal(connect_to(ctx, &a, "a.test", NULL, &s), SSL_OK);
    assert_int_equal(ssl_session_reused(s), 0);
    ssl_free(s);
    assert_int_equal(connect_to(ctx, &a, "a.test", NULL, &s), SSL_OK);
    assert_int_equal(ssl_session_reused(s), 1);
    ssl_free(s);
    /* an explicit session wins over the cache, and 0 empties and turns it off */
    assert_int_equal(ssl_ctx_set_session_cache(ctx, 0), SSL_OK);
    assert_int_equal(connect_to(ctx, &a, "a.test", NULL, &s), SSL_OK);
    assert_int_equal(ssl_session_reused(s), 0);
    ssl_free(s);
    assert_int_equal(ssl_ctx_set_session_cache(NULL, 1), SSL_ERR_INVALID_ARGUMENT);
    server_reset(&a);
    server_reset(&b);
    ssl_ctx_free(ctx);
}

static void test_session_lifetime_zero_keeps_no_session(void **state)
{
    struct server v = {0};
    ssl *s;
    (void)state;
    ssl_ctx *ctx = new_ctx();
    assert_int_equal(ssl_ctx_set_session_lifetime(ctx, 0), SSL_OK);
    assert_int_equal(connect_to(ctx, &v, "localhost", NULL, &s), SSL_OK);
    assert_null(ssl_get_session(s));
    ssl_free(s);
    server_reset(&v);
    ssl_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_saved_session_resumes_through_the_api),
        cmocka_unit_test(test_the_context_cache_resumes_by_host_and_port),
        cmocka_unit_test(test_the_cache_drops_the_least_recently_used),
        cmocka_unit_test(test_session_lifetime_zero_keeps_no_session),
    };
    return cmocka_run_group_tests(tests, tts_group_setup, tts_group_teardown);
}
