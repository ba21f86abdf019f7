/* Resumption (src/tls/hs_client.c, session.c): the client's sessions and the abbreviated
 * handshake, driven through the sans-I/O engine by the test server
 * (tests/support/tls_test_server.c) at the fixtures' fixed time.
 *
 * Groups:
 *   - sessions from full handshakes: by session ID, by ticket (RFC 5077), lifetimes (the
 *     ticket's hint capped by the client's maximum), no session without an ID or a ticket, a
 *     promised ticket that never comes, a ticket nobody promised;
 *   - abbreviated handshakes: by session ID and by ticket, each fed whole and byte by byte,
 *     then application data; a new ticket on resumption; a server that declines (full
 *     handshake instead);
 *   - what the server may not change: the suite, extended master secret either way (RFC 7627
 *     §5.3), encrypt-then-MAC; a wrong Finished;
 *   - every wrong message order in the abbreviated handshake's three states;
 *   - sessions that are not offered: expired, another host, a suite no longer enabled, no EMS
 *     when EMS is required, lifetime 0;
 *   - the saved form: round trip, every byte flipped, every truncation, and fields out of range
 *     under a correct checksum; a fatal alert ends the session. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "base/alert.h"
#include "crypto/hash.h"
#include "tls/session.h"
#include "tts_harness.h"
#include "x509/store.h"

/* ---- the connection harness (tts_harness.h), and what resumption adds ------------------------ */

#define GCM128 0xc02f       /* TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 */
#define GCM256 0xc030       /* TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 */
#define CBC128 0xc013       /* TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA */

/* A full handshake's end: the client's flight to the server, then (ticket: a NewSessionTicket
 * first) the server's ChangeCipherSpec and Finished. */
static int full_finish(tts_conn *k, const tts_buf *ticket_msg, size_t chunk)
{
    tts_buf b = {0};
    assert_int_equal(tts_conn_pump(k), 0);
    assert_true(k->s->client_finished_ok);
    if (ticket_msg != NULL) {
        tts_transcript_add(k->s, ticket_msg->ptr, ticket_msg->len);
        tts_write(k->s, PL_CT_HANDSHAKE, ticket_msg->ptr, ticket_msg->len, &b);
    }
    assert_int_equal(tts_send_finished(k->s, &b), 0);
    int rc = tts_conn_feed(k, &b, chunk);
    tts_buf_free(&b);
    return rc;
}

/* A full handshake with o; the ticket (if any) sent with hint. The connection stays open. */
static void full_handshake(tts_conn *k, const tts_options *o, const pl_client_config *cfg,
                           const uint8_t *ticket, size_t ticket_len, uint32_t hint)
{
    tts_conn_open(k, o, cfg, NULL);
    tts_conn_expect(k, tts_conn_flight1(k, 0, 0), SSL_ERR_WANT_READ);
    tts_buf nst = {0};
    if (o->ticket_ext) {
        tts_ticket_message(&nst, ticket, ticket_len, hint);
        assert_int_equal(k->c->state, PL_ST_WAIT_NEW_TICKET);
    } else {
        assert_int_equal(k->c->state, PL_ST_WAIT_SERVER_CCS);
    }
    tts_conn_expect(k, full_finish(k, o->ticket_ext ? &nst : NULL, 0), 0);
    tts_buf_free(&nst);
    assert_int_equal(k->c->state, PL_ST_CONNECTED);
    assert_false(k->c->resumed);
}

/* A session from a full handshake with a default server for suite (session ID, no ticket). */
static pl_session *session_for(uint16_t suite, const pl_client_config *cfg)
{
    tts_conn k;
    tts_options o = tts_server_for(suite);
    full_handshake(&k, &o, cfg, NULL, 0, 0);
    assert_non_null(k.c->session);
    pl_session *s = pl_session_dup(k.c->session);
    tts_conn_close(&k);
    return s;
}

/* Application data both ways under the connection's keys. */
static void exchange_data(tts_conn *k)
{
    static const uint8_t ping[] = "ping", pong[] = "pong";
    uint8_t buf[16];
    tts_buf b = {0};
    tts_conn_client_writes(k, ping, sizeof ping);
    tts_write(k->s, PL_CT_APPLICATION_DATA, pong, sizeof pong, &b);
    assert_int_equal(tts_conn_feed(k, &b, 0), 0);
    tts_buf_free(&b);
    assert_int_equal(pl_client_read(k->c, buf, sizeof buf), (long)sizeof pong);
    assert_memory_equal(buf, pong, sizeof pong);
}

/* An abbreviated handshake with o (o.resume_master set), fed in chunks: ServerHello,
 * [NewSessionTicket], ChangeCipherSpec, Finished; the client's ChangeCipherSpec and Finished
 * checked by the server. */
static int resumed_handshake(tts_conn *k, size_t chunk)
{
    tts_buf b = {0};
    tts_frame(k->s, &b, 0);
    assert_int_equal(tts_send_finished(k->s, &b), 0);
    int rc = tts_conn_feed(k, &b, chunk);
    tts_buf_free(&b);
    if (rc == 0) {
        assert_int_equal(tts_conn_pump(k), 0);
        assert_true(k->s->got_ccs);
        assert_true(k->s->client_finished_ok);
    }
    return rc;
}

/* The client refused with err (tts_conn_expect_failed), and a refused connection keeps no
 * session. */
static void expect_refused(tts_conn *k, int rc, int err, int alert)
{
    tts_conn_expect_failed(k, rc, err, alert);
    assert_null(k->c->session);
}

/* ---- sessions from full handshakes ----------------------------------------------------------- */

static void test_full_handshake_keeps_a_session_with_the_servers_session_id(void **state)
{
    tts_conn k;
    tts_options o = tts_server_for(GCM128);
    (void)state;
    full_handshake(&k, &o, NULL, NULL, 0, 0);
    const pl_session *s = k.c->session;
    assert_non_null(s);
    assert_int_equal(s->suite, GCM128);
    assert_int_equal(s->ems, 1);
    assert_int_equal(s->etm, 0);
    assert_memory_equal(s->master, k.c->master, PL_TLS_MASTER_LEN);
    assert_memory_equal(s->master, k.s->master, PL_TLS_MASTER_LEN);
    assert_int_equal(s->id_len, 32);
    assert_null(s->ticket);
    assert_string_equal(s->host, "localhost");
    assert_int_equal(s->created, tts_fixture_time);
    assert_int_equal(s->expires, tts_fixture_time + PL_SESSION_DEFAULT_LIFETIME);
    assert_non_null(k.c->peer);
    assert_string_equal(s->peer.subject, k.c->peer->subject);
    assert_true(k.s->ticket_offered);   /* an empty session_ticket asks for a ticket */
    assert_int_equal(k.s->ch_ticket.len, 0);
    assert_int_equal(k.s->ch_session_id_len, 0);
    tts_conn_close(&k);
}

static void test_full_handshake_keeps_the_ticket_and_its_lifetime_hint(void **state)
{
    static const uint8_t ticket[] = "an opaque ticket only the server can read";
    static const struct {
        uint32_t hint;
        int64_t lifetime;
    } rows[] = {
        {0, PL_SESSION_DEFAULT_LIFETIME},           /* 0: no hint */
        {3600, 3600},
        {PL_SESSION_DEFAULT_LIFETIME, PL_SESSION_DEFAULT_LIFETIME},
        {7 * 86400, PL_SESSION_DEFAULT_LIFETIME},   /* capped */
        {0xffffffffu, PL_SESSION_DEFAULT_LIFETIME},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(rows); i++) {
        tts_conn k;
        tts_options o = tts_server_for(GCM256);
        o.ticket_ext = 1;
        full_handshake(&k, &o, NULL, ticket, sizeof ticket, rows[i].hint);
        const pl_session *s = k.c->session;
        assert_non_null(s);
        assert_int_equal(s->ticket_len, sizeof ticket);
        assert_memory_equal(s->ticket, ticket, sizeof ticket);
        assert_int_equal(s->expires - s->created, rows[i].lifetime);
        tts_conn_close(&k);
    }
}

static void test_a_shorter_client_maximum_caps_the_lifetime(void **state)
{
    tts_conn k;
    tts_options o = tts_server_for(GCM128);
    pl_client_config cfg;
    (void)state;
    tts_config_default(&cfg);
    cfg.session_lifetime = 600;
    o.ticket_ext = 1;
    full_handshake(&k, &o, &cfg, (const uint8_t *)"t", 1, 3600);
    assert_int_equal(k.c->session->expires - k.c->session->created, 600);
    tts_conn_close(&k);
}

static void test_no_session_without_a_session_id_or_a_ticket(void **state)
{
    tts_conn k;
    tts_options o = tts_server_for(GCM128);
    (void)state;
    o.sh_session_id_set = 1;            /* empty session ID */
    o.ticket_ext = 1;                   /* and an empty ticket: the server changed its mind */
    full_handshake(&k, &o, NULL, NULL, 0, 0);
    assert_null(k.c->session);
    tts_conn_close(&k);
}

static void test_session_lifetime_zero_keeps_no_session(void **state)
{
    tts_conn k;
    tts_options o = tts_server_for(GCM128);
    pl_client_config cfg;
    (void)state;
    tts_config_default(&cfg);
    cfg.session_lifetime = 0;
    full_handshake(&k, &o, &cfg, NULL, 0, 0);
    assert_null(k.c->session);
    tts_conn_close(&k);
}

static void test_a_promised_ticket_that_never_comes_is_unexpected(void **state)
{
    tts_conn k;
    tts_options o = tts_server_for(GCM128);
    (void)state;
    o.ticket_ext = 1;
    tts_conn_open(&k, &o, NULL, NULL);
    tts_conn_expect(&k, tts_conn_flight1(&k, 0, 0), SSL_ERR_WANT_READ);
    int rc = full_finish(&k, NULL, 0);         /* CCS where NewSessionTicket must be */
    expect_refused(&k, rc, SSL_ERR_HS_UNEXPECTED_CCS, PL_ALERT_UNEXPECTED_MESSAGE);
    tts_conn_close(&k);
}

static void test_a_ticket_nobody_promised_is_unexpected(void **state)
{
    tts_conn k;
    tts_options o = tts_server_for(GCM128);
    tts_buf nst = {0};
    (void)state;
    tts_conn_open(&k, &o, NULL, NULL);
    tts_conn_expect(&k, tts_conn_flight1(&k, 0, 0), SSL_ERR_WANT_READ);
    tts_ticket_message(&nst, (const uint8_t *)"x", 1, 0);
    int rc = full_finish(&k, &nst, 0);
    expect_refused(&k, rc, SSL_ERR_HS_UNEXPECTED_MESSAGE, PL_ALERT_UNEXPECTED_MESSAGE);
    tts_buf_free(&nst);
    tts_conn_close(&k);
}

static void test_malformed_new_session_tickets_are_decode_errors(void **state)
{
    static const uint8_t bodies[][8] = {
        {0},                                    /* no body */
        {0, 0, 0},                              /* hint cut short */
        {0, 0, 0, 1, 0},                        /* length cut short */
        {0, 0, 0, 1, 0, 3, 1, 2},               /* ticket shorter than its length */
        {0, 0, 0, 1, 0, 1, 1, 2},               /* a byte after the ticket */
    };
    static const size_t lens[] = {0, 3, 5, 8, 8};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(lens); i++) {
        tts_conn k;
        tts_options o = tts_server_for(GCM128);
        tts_buf nst = {0};
        uint8_t head[4] = {PL_HS_NEW_SESSION_TICKET, 0, 0, (uint8_t)lens[i]};
        o.ticket_ext = 1;
        tts_conn_open(&k, &o, NULL, NULL);
        tts_conn_expect(&k, tts_conn_flight1(&k, 0, 0), SSL_ERR_WANT_READ);
        tts_buf_add(&nst, head, sizeof head);
        tts_buf_add(&nst, bodies[i], lens[i]);
        int rc = full_finish(&k, &nst, 0);
        int want = i == 4 ? SSL_ERR_DECODE_TRAILING : SSL_ERR_DECODE_TRUNCATED;
        expect_refused(&k, rc, want, PL_ALERT_DECODE_ERROR);
        tts_buf_free(&nst);
        tts_conn_close(&k);
    }
}

/* ---- abbreviated handshakes ------------------------------------------------------------------ */

static tts_options resuming(const pl_session *s)
{
    tts_options o = tts_server_for(s->suite);
    o.resume_master = s->master;
    return o;
}

static void test_resumption_by_session_id(void **state)
{
    static const size_t chunks[] = {0, 1, 7};
    (void)state;
    pl_session *s = session_for(GCM128, NULL);
    for (size_t i = 0; i < PL_ARRAY_LEN(chunks); i++) {
        tts_conn k;
        tts_options o = resuming(s);
        tts_conn_open_offering(&k, &o, NULL, NULL, s);
        assert_int_equal(k.s->ch_session_id_len, s->id_len);
        assert_memory_equal(k.s->ch_session_id, s->id, s->id_len);
        assert_int_equal(k.s->ch_ticket.len, 0);
        tts_conn_expect(&k, resumed_handshake(&k, chunks[i]), 0);
        assert_true(k.c->resumed);
        assert_non_null(strstr(k.trace, "ABBREVIATED handshake"));
        assert_int_equal(k.c->offer_refused, 0);
        assert_memory_equal(k.c->master, s->master, PL_TLS_MASTER_LEN);
        assert_int_equal(k.c->suite->id, GCM128);
        assert_true(k.c->ems);
        assert_non_null(k.c->peer);         /* the getters still name the server */
        assert_string_equal(k.c->peer->subject, s->peer.subject);
        exchange_data(&k);
        /* the session is the same one, still resumable */
        assert_non_null(k.c->session);
        assert_memory_equal(k.c->session->id, s->id, s->id_len);
        assert_int_equal(k.c->session->created, s->created);
        assert_int_equal(k.c->session->expires, s->expires);
        tts_conn_close(&k);
    }
    pl_session_free(s);
}

static void test_resumption_by_ticket(void **state)
{
    static const uint8_t ticket[] = "ticket-1", ticket2[] = "ticket-2, issued on resumption";
    tts_conn k;
    tts_options o = tts_server_for(GCM256);
    (void)state;
    o.ticket_ext = 1;
    o.sh_session_id_set = 1;                /* a ticket alone: no session ID */
    full_handshake(&k, &o, NULL, ticket, sizeof ticket, 7200);
    pl_session *s = pl_session_dup(k.c->session);
    tts_conn_close(&k);
    assert_int_equal(s->id_len, 0);

    o = resuming(s);
    o.ticket_ext = 1;                       /* and a new ticket on the way */
    o.ticket = (pl_slice){ticket2, sizeof ticket2};
    o.ticket_hint = 600;
    tts_conn_open_offering(&k, &o, NULL, NULL, s);
    /* the ticket in the extension, a fresh random session ID beside it (RFC 5077 §3.4) */
    assert_int_equal(k.s->ch_ticket.len, sizeof ticket);
    assert_memory_equal(k.s->ch_ticket.ptr, ticket, sizeof ticket);
    assert_int_equal(k.s->ch_session_id_len, 32);
    assert_int_equal(k.c->state, PL_ST_WAIT_SERVER_HELLO);
    tts_conn_expect(&k, resumed_handshake(&k, 0), 0);
    assert_true(k.c->resumed);
    exchange_data(&k);
    const pl_session *now = k.c->session;
    assert_non_null(now);
    assert_int_equal(now->ticket_len, sizeof ticket2);
    assert_memory_equal(now->ticket, ticket2, sizeof ticket2);
    assert_int_equal(now->expires, tts_fixture_time + 600);
    assert_int_equal(now->created, s->created);
    tts_conn_close(&k);
    pl_session_free(s);
}

static void test_a_new_ticket_never_extends_the_first_lifetime(void **state)
{
    tts_conn k;
    pl_client_config cfg;
    (void)state;
    tts_config_default(&cfg);
    pl_session *s = session_for(GCM128, &cfg);
    cfg.verify_time = tts_fixture_time + 3600;  /* an hour later */
    tts_options o = resuming(s);
    o.ticket_ext = 1;
    o.ticket = (pl_slice){(const uint8_t *)"t2", 2};
    o.ticket_hint = 86400;
    tts_conn_open_offering(&k, &o, &cfg, NULL, s);
    tts_conn_expect(&k, resumed_handshake(&k, 0), 0);
    assert_int_equal(k.c->session->expires, s->expires);
    tts_conn_close(&k);
    pl_session_free(s);
}

static void test_a_server_that_declines_gets_a_full_handshake(void **state)
{
    tts_conn k;
    tts_options o = tts_server_for(GCM128);  /* a fresh session ID: not ours */
    (void)state;
    pl_session *s = session_for(GCM128, NULL);
    tts_conn_open_offering(&k, &o, NULL, NULL, s);
    assert_int_equal(k.s->ch_session_id_len, s->id_len);
    tts_conn_expect(&k, tts_conn_flight1(&k, 0, 0), SSL_ERR_WANT_READ);
    tts_conn_expect(&k, full_finish(&k, NULL, 0), 0);
    assert_false(k.c->resumed);
    assert_null(strstr(k.trace, "ABBREVIATED handshake"));
    assert_non_null(k.c->session);
    assert_memory_not_equal(k.c->session->master, s->master, PL_TLS_MASTER_LEN);
    tts_conn_close(&k);
    pl_session_free(s);
}

static void test_resumption_with_a_cbc_suite_and_encrypt_then_mac(void **state)
{
    tts_conn k;
    (void)state;
    pl_session *s = session_for(CBC128, NULL);
    assert_int_equal(s->etm, 1);
    tts_options o = resuming(s);
    tts_conn_open_offering(&k, &o, NULL, NULL, s);
    tts_conn_expect(&k, resumed_handshake(&k, 0), 0);
    assert_true(k.c->etm);
    exchange_data(&k);
    tts_conn_close(&k);
    pl_session_free(s);
}

/* ---- what a resuming server may not change --------------------------------------------------- */

static void test_resumption_with_another_suite_is_illegal_parameter(void **state)
{
    tts_conn k;
    (void)state;
    pl_session *s = session_for(GCM128, NULL);
    tts_options o = resuming(s);
    o.suite = GCM256;
    tts_conn_open_offering(&k, &o, NULL, NULL, s);
    expect_refused(&k, tts_conn_flight1(&k, 0, 0), SSL_ERR_HS_RESUME_SUITE_CHANGED,
                   PL_ALERT_ILLEGAL_PARAMETER);
    tts_conn_close(&k);
    pl_session_free(s);
}

static void test_resumption_that_changes_ems_is_refused_either_way(void **state)
{
    (void)state;
    /* made with EMS, resumed without */
    pl_session *s = session_for(GCM128, NULL);
    tts_conn k;
    tts_options o = resuming(s);
    o.no_ems = 1;
    tts_conn_open_offering(&k, &o, NULL, NULL, s);
    expect_refused(&k, tts_conn_flight1(&k, 0, 0), SSL_ERR_HS_RESUME_EMS_CHANGED,
                   PL_ALERT_HANDSHAKE_FAILURE);
    tts_conn_close(&k);
    pl_session_free(s);

    /* made without EMS, resumed with it */
    tts_conn k0;
    tts_options o0 = tts_server_for(GCM128);
    o0.no_ems = 1;
    full_handshake(&k0, &o0, NULL, NULL, 0, 0);
    s = pl_session_dup(k0.c->session);
    tts_conn_close(&k0);
    assert_int_equal(s->ems, 0);
    o = resuming(s);
    tts_conn_open_offering(&k, &o, NULL, NULL, s);
    expect_refused(&k, tts_conn_flight1(&k, 0, 0), SSL_ERR_HS_RESUME_EMS_CHANGED,
                   PL_ALERT_HANDSHAKE_FAILURE);
    tts_conn_close(&k);

    /* and without EMS both times it resumes (legacy servers), unless EMS is required */
    o = resuming(s);
    o.no_ems = 1;
    tts_conn_open_offering(&k, &o, NULL, NULL, s);
    tts_conn_expect(&k, resumed_handshake(&k, 0), 0);
    assert_false(k.c->ems);
    tts_conn_close(&k);
    pl_session_free(s);
}

static void test_resumption_that_drops_encrypt_then_mac_is_refused(void **state)
{
    tts_conn k;
    (void)state;
    pl_session *s = session_for(CBC128, NULL);
    tts_options o = resuming(s);
    o.no_etm = 1;
    tts_conn_open_offering(&k, &o, NULL, NULL, s);
    expect_refused(&k, tts_conn_flight1(&k, 0, 0), SSL_ERR_HS_RESUME_ETM_CHANGED,
                   PL_ALERT_HANDSHAKE_FAILURE);
    tts_conn_close(&k);
    pl_session_free(s);
}

static void test_a_wrong_finished_on_resumption_is_decrypt_error(void **state)
{
    tts_conn k;
    tts_buf b = {0};
    uint8_t fin[16];
    (void)state;
    pl_session *s = session_for(GCM128, NULL);
    tts_options o = resuming(s);
    tts_conn_open_offering(&k, &o, NULL, NULL, s);
    tts_frame(k.s, &b, 0);
    tts_write_ccs(k.s, &b);
    tts_finished_message(k.s, fin);
    fin[15] ^= 1;
    tts_write(k.s, PL_CT_HANDSHAKE, fin, sizeof fin, &b);
    int rc = tts_conn_feed(&k, &b, 0);
    tts_buf_free(&b);
    expect_refused(&k, rc, SSL_ERR_HS_BAD_FINISHED, PL_ALERT_DECRYPT_ERROR);
    assert_int_equal(k.s->alert_encrypted, 0);  /* we had not switched our side yet */
    tts_conn_close(&k);
    pl_session_free(s);
}

static void test_a_server_with_another_master_secret_fails_at_its_finished(void **state)
{
    tts_conn k;
    uint8_t other[PL_TLS_MASTER_LEN];
    (void)state;
    pl_session *s = session_for(GCM128, NULL);
    memcpy(other, s->master, sizeof other);
    other[0] ^= 0x80;
    tts_options o = resuming(s);
    o.resume_master = other;
    tts_conn_open_offering(&k, &o, NULL, NULL, s);
    int rc = resumed_handshake(&k, 0);
    expect_refused(&k, rc, SSL_ERR_RECORD_BAD_MAC, PL_ALERT_BAD_RECORD_MAC);
    tts_conn_close(&k);
    pl_session_free(s);
}

/* ---- every wrong order in the abbreviated handshake ------------------------------------------ */

/* A handshake message of type with a plausible small body. */
static void plain_message(tts_buf *m, uint8_t type)
{
    uint8_t head[4] = {type, 0, 0, 0};
    static const uint8_t body[12] = {0};
    size_t len = type == PL_HS_FINISHED ? 12 : type == PL_HS_SERVER_HELLO_DONE ? 0 : 6;
    head[3] = (uint8_t)len;
    m->len = 0;
    tts_buf_add(m, head, sizeof head);
    tts_buf_add(m, body, len);
}

static const uint8_t wrong_types[] = {
    PL_HS_CLIENT_HELLO, PL_HS_SERVER_HELLO, PL_HS_NEW_SESSION_TICKET, PL_HS_CERTIFICATE,
    PL_HS_SERVER_KEY_EXCHANGE, PL_HS_CERTIFICATE_REQUEST, PL_HS_SERVER_HELLO_DONE,
    PL_HS_CERTIFICATE_VERIFY, PL_HS_CLIENT_KEY_EXCHANGE, PL_HS_FINISHED, 99,
};

/* In the state after ServerHello (ticket: WAIT_NEW_TICKET, else WAIT_SERVER_CCS) or after the
 * server's ChangeCipherSpec (encrypted), each message the table does not allow there. */
static void wrong_orders_at(int ticket, int after_ccs)
{
    pl_session *s = session_for(GCM128, NULL);
    for (size_t i = 0; i < PL_ARRAY_LEN(wrong_types); i++) {
        uint8_t type = wrong_types[i];
        if ((ticket && !after_ccs && type == PL_HS_NEW_SESSION_TICKET) ||
            (after_ccs && type == PL_HS_FINISHED)) {
            continue;               /* the one allowed there */
        }
        tts_conn k;
        tts_options o = resuming(s);
        o.ticket_ext = ticket;
        o.ticket = (pl_slice){(const uint8_t *)"t", 1};
        tts_conn_open_offering(&k, &o, NULL, NULL, s);
        if (ticket && !after_ccs) {
            tts_buf_free(&k.s->msgs[1]);    /* drop the NewSessionTicket */
            k.s->msg_count = 1;
        }
        tts_buf b = {0}, m = {0};
        tts_frame(k.s, &b, 0);
        if (after_ccs) {
            tts_write_ccs(k.s, &b);
        }
        plain_message(&m, type);
        tts_write(k.s, PL_CT_HANDSHAKE, m.ptr, m.len, &b);
        int rc = tts_conn_feed(&k, &b, 0);
        expect_refused(&k, rc, SSL_ERR_HS_UNEXPECTED_MESSAGE, PL_ALERT_UNEXPECTED_MESSAGE);
        tts_buf_free(&b);
        tts_buf_free(&m);
        tts_conn_close(&k);
    }
    pl_session_free(s);
}

static void test_wrong_messages_after_a_resuming_server_hello(void **state)
{
    (void)state;
    wrong_orders_at(0, 0);
}

static void test_wrong_messages_where_the_ticket_must_come(void **state)
{
    (void)state;
    wrong_orders_at(1, 0);
}

static void test_wrong_messages_after_the_resuming_servers_ccs(void **state)
{
    (void)state;
    wrong_orders_at(0, 1);
}

static void test_ccs_and_data_out_of_order_on_resumption(void **state)
{
    static const uint8_t one = 1, data[] = "early";
    (void)state;
    pl_session *s = session_for(GCM128, NULL);
    for (int which = 0; which < 3; which++) {
        tts_conn k;
        tts_options o = resuming(s);
        o.ticket_ext = which == 0;
        tts_conn_open_offering(&k, &o, NULL, NULL, s);
        tts_buf b = {0};
        int err;
        if (which == 0) {
            /* CCS where the promised ticket must come */
            k.s->msg_count = 1;
            tts_frame(k.s, &b, 0);
            tts_write(k.s, PL_CT_CHANGE_CIPHER_SPEC, &one, 1, &b);
            err = SSL_ERR_HS_UNEXPECTED_CCS;
        } else if (which == 1) {
            /* a second CCS after the first */
            tts_frame(k.s, &b, 0);
            tts_write_ccs(k.s, &b);
            tts_write(k.s, PL_CT_CHANGE_CIPHER_SPEC, &one, 1, &b);
            err = SSL_ERR_HS_UNEXPECTED_CCS;
        } else {
            /* application data before the server's Finished */
            tts_frame(k.s, &b, 0);
            tts_write_ccs(k.s, &b);
            tts_write(k.s, PL_CT_APPLICATION_DATA, data, sizeof data, &b);
            err = SSL_ERR_HS_UNEXPECTED_APP_DATA;
        }
        int rc = tts_conn_feed(&k, &b, 0);
        expect_refused(&k, rc, err, PL_ALERT_UNEXPECTED_MESSAGE);
        tts_buf_free(&b);
        tts_conn_close(&k);
    }
    pl_session_free(s);
}

/* ---- sessions that are not offered ----------------------------------------------------------- */

static void not_offered(const pl_session *s, const pl_client_config *cfg, const char *host,
                        int why)
{
    tts_conn k;
    tts_options o = tts_server_for(GCM128);
    tts_conn_open_offering(&k, &o, cfg, host, s);
    assert_int_equal(k.c->offer_refused, why);
    assert_int_equal(k.s->ch_session_id_len, 0);
    assert_int_equal(k.s->ch_ticket.len, 0);
    tts_conn_close(&k);
}

/* A ticket too large for our ClientHello (RFC 5077 allows 64 KiB) is left out, and the
 * handshake goes on as a full one; one that fits goes. */
static void test_a_ticket_too_large_for_the_client_hello_is_not_offered(void **state)
{
    (void)state;
    pl_session *s = session_for(GCM128, NULL);
    s->ticket_len = 5000;
    s->ticket = calloc(1, s->ticket_len);
    assert_non_null(s->ticket);
    not_offered(s, NULL, NULL, SSL_ERR_SESSION_TICKET_TOO_LARGE);
    tts_conn k;
    tts_options o = tts_server_for(GCM128);
    tts_conn_open_offering(&k, &o, NULL, NULL, s);
    tts_conn_connect(&k, 0, 0);
    assert_false(k.c->resumed);
    tts_conn_close(&k);
    s->ticket_len = 2000;
    tts_conn_open_offering(&k, &o, NULL, NULL, s);
    assert_int_equal(k.c->offer_refused, 0);
    assert_int_equal(k.s->ch_ticket.len, 2000);
    tts_conn_close(&k);
    pl_session_free(s);
}

static void test_sessions_are_not_offered_when_they_must_not_be(void **state)
{
    pl_client_config cfg;
    (void)state;
    pl_session *s = session_for(GCM128, NULL);

    tts_config_default(&cfg);
    cfg.verify_time = s->expires;                       /* expired: at the second it ends */
    not_offered(s, &cfg, NULL, SSL_ERR_SESSION_EXPIRED);
    cfg.verify_time = s->created - 1;                   /* made in the future: clock moved */
    not_offered(s, &cfg, NULL, SSL_ERR_SESSION_EXPIRED);

    not_offered(s, NULL, "example.com", SSL_ERR_SESSION_WRONG_HOST);

    tts_config_default(&cfg);
    cfg.suites[0] = GCM256;                             /* GCM128 no longer enabled */
    cfg.suites_count = 1;
    not_offered(s, &cfg, NULL, SSL_ERR_SESSION_SUITE_DISABLED);

    pl_session *no_ems = pl_session_dup(s);
    no_ems->ems = 0;
    tts_config_default(&cfg);
    cfg.require_ems = 1;
    not_offered(no_ems, &cfg, NULL, SSL_ERR_SESSION_WITHOUT_EMS);
    pl_session_free(no_ems);

    /* the host compares without case, and a second before expiry is still alive */
    tts_config_default(&cfg);
    cfg.verify_time = s->expires - 1;
    tts_conn k;
    tts_options o = resuming(s);
    tts_conn_open_offering(&k, &o, &cfg, "LocalHost", s);
    assert_int_equal(k.c->offer_refused, 0);
    tts_conn_expect(&k, resumed_handshake(&k, 0), 0);
    tts_conn_close(&k);
    pl_session_free(s);
}

/* ---- the saved form -------------------------------------------------------------------------- */

static uint8_t *saved(const pl_session *s, size_t *len)
{
    size_t cap = pl_session_saved_len(s);
    uint8_t *buf = malloc(cap);
    assert_non_null(buf);
    assert_int_equal(pl_session_save(s, buf, cap, len), 0);
    assert_int_equal(*len, cap);
    assert_int_equal(pl_session_save(s, buf, cap - 1, len), SSL_ERR_WRITE_NO_SPACE);
    *len = cap;
    return buf;
}

static pl_session *ticket_session(void)
{
    static const uint8_t ticket[300] = {1, 2, 3};
    tts_conn k;
    tts_options o = tts_server_for(CBC128);
    o.ticket_ext = 1;
    full_handshake(&k, &o, NULL, ticket, sizeof ticket, 0);
    pl_session *s = pl_session_dup(k.c->session);
    tts_conn_close(&k);
    return s;
}

static void test_saved_sessions_load_back_the_same(void **state)
{
    (void)state;
    pl_session *all[2] = {session_for(GCM128, NULL), ticket_session()};
    for (size_t i = 0; i < 2; i++) {
        size_t len, len2;
        uint8_t *buf = saved(all[i], &len);
        pl_session *back;
        assert_int_equal(pl_session_load(&back, buf, len), 0);
        assert_int_equal(back->suite, all[i]->suite);
        assert_int_equal(back->ems, all[i]->ems);
        assert_int_equal(back->etm, all[i]->etm);
        assert_memory_equal(back->master, all[i]->master, PL_TLS_MASTER_LEN);
        assert_int_equal(back->id_len, all[i]->id_len);
        assert_int_equal(back->ticket_len, all[i]->ticket_len);
        assert_int_equal(back->created, all[i]->created);
        assert_int_equal(back->expires, all[i]->expires);
        assert_string_equal(back->host, all[i]->host);
        assert_string_equal(back->peer.subject, all[i]->peer.subject);
        assert_int_equal(back->peer.san_count, all[i]->peer.san_count);
        for (size_t j = 0; j < back->peer.san_count; j++) {
            assert_string_equal(back->peer.sans[j], all[i]->peer.sans[j]);
        }
        uint8_t *again = saved(back, &len2);
        assert_int_equal(len2, len);
        assert_memory_equal(again, buf, len);
        free(again);
        free(buf);
        pl_session_free(back);
    }
    /* and a loaded session resumes */
    size_t len;
    uint8_t *buf = saved(all[0], &len);
    pl_session *back;
    assert_int_equal(pl_session_load(&back, buf, len), 0);
    tts_conn k;
    tts_options o = resuming(back);
    tts_conn_open_offering(&k, &o, NULL, NULL, back);
    tts_conn_expect(&k, resumed_handshake(&k, 0), 0);
    tts_conn_close(&k);
    pl_session_free(back);
    free(buf);
    pl_session_free(all[0]);
    pl_session_free(all[1]);
}

static void test_every_flipped_byte_and_every_truncation_is_refused(void **state)
{
    (void)state;
    pl_session *s = ticket_session();
    size_t len;
    uint8_t *buf = saved(s, &len);
    size_t counts[4] = {0};
    for (size_t i = 0; i < len; i++) {
        for (unsigned bit = 0; bit < 8; bit += 7) {
            pl_session *back = (pl_session *)1;
            buf[i] ^= (uint8_t)(1u << bit);
            int rc = pl_session_load(&back, buf, len);
            buf[i] ^= (uint8_t)(1u << bit);
            assert_null(back);
            if (i < 20) {
                assert_int_equal(rc, SSL_ERR_SESSION_NOT_A_SESSION);
                counts[0]++;
            } else if (i == 20) {
                assert_int_equal(rc, SSL_ERR_SESSION_VERSION);
                counts[1]++;
            } else {
                assert_int_equal(rc, SSL_ERR_SESSION_CHECKSUM);
                counts[2]++;
            }
        }
    }
    for (size_t cut = 0; cut < len; cut++) {
        pl_session *back;
        int rc = pl_session_load(&back, buf, cut);
        assert_true(rc == SSL_ERR_SESSION_NOT_A_SESSION || rc == SSL_ERR_SESSION_VERSION ||
                    rc == SSL_ERR_SESSION_CHECKSUM);
        assert_null(back);
        counts[3]++;
    }
    printf("%zu flips of the magic, %zu of the version, %zu checksum mismatches, %zu cuts\n",
           counts[0], counts[1], counts[2], counts[3]);
    /* appended bytes fail the checksum too */
    uint8_t *longer = malloc(len + 1);
    memcpy(longer, buf, len);
    longer[len] = 0;
    pl_session *back;
    assert_int_equal(pl_session_load(&back, longer, len + 1), SSL_ERR_SESSION_CHECKSUM);
    free(longer);
    free(buf);
    pl_session_free(s);
}

/* A saved form edited at offset and sealed again with a correct checksum. */
static int load_edited(const uint8_t *buf, size_t len, size_t at, const uint8_t *bytes,
                       size_t n, size_t cut)
{
    uint8_t copy[4096];
    assert_true(len <= sizeof copy);
    memcpy(copy, buf, len);
    memcpy(copy + at, bytes, n);
    size_t body = len - PL_SHA256_LEN - cut;
    pl_sha256(copy, body, copy + body);
    pl_session *back = NULL;
    int rc = pl_session_load(&back, copy, body + PL_SHA256_LEN);
    pl_session_free(back);
    return rc;
}

static void test_fields_out_of_range_are_refused_under_a_good_checksum(void **state)
{
    (void)state;
    pl_session *s = session_for(GCM128, NULL);
    size_t len;
    uint8_t *buf = saved(s, &len);
    /* offsets: magic 0..19, version 20, suite 21, flags 23, master 24..71, id 72.. */
    static const uint8_t unknown_suite[] = {0x13, 0x01}, etm_on_gcm[] = {3}, bad_flags[] = {4},
                         id_too_long[] = {33}, no_id[] = {0};
    assert_int_equal(load_edited(buf, len, 21, unknown_suite, 2, 0), SSL_ERR_SESSION_MALFORMED);
    assert_int_equal(load_edited(buf, len, 23, etm_on_gcm, 1, 0), SSL_ERR_SESSION_MALFORMED);
    assert_int_equal(load_edited(buf, len, 23, bad_flags, 1, 0), SSL_ERR_SESSION_MALFORMED);
    assert_int_equal(load_edited(buf, len, 72, id_too_long, 1, 0), SSL_ERR_SESSION_MALFORMED);
    assert_int_equal(load_edited(buf, len, 72, no_id, 1, 0), SSL_ERR_SESSION_MALFORMED);
    /* cut before the end of the fields (the checksum over what is left is right) */
    assert_int_equal(load_edited(buf, len, 0, buf, 0, 1), SSL_ERR_SESSION_MALFORMED);
    /* created, expires at 72 + 1 + 32 + 2 = 107, 115 */
    static const uint8_t zero[8] = {0}, past[8] = {0, 0, 0, 0, 0, 0, 0, 1};
    assert_int_equal(load_edited(buf, len, 107, zero, 8, 0), SSL_ERR_SESSION_MALFORMED);
    assert_int_equal(load_edited(buf, len, 115, past, 8, 0), SSL_ERR_SESSION_MALFORMED);
    /* the host: its length at 123, "localhost" from 124; a control character, a bad name */
    static const uint8_t ctl[] = {'\n'}, dot[] = {'.'};
    assert_int_equal(load_edited(buf, len, 124, ctl, 1, 0), SSL_ERR_SESSION_MALFORMED);
    assert_int_equal(load_edited(buf, len, 124, dot, 1, 0), SSL_ERR_SESSION_MALFORMED);
    /* unchanged, it loads */
    assert_int_equal(load_edited(buf, len, 0, buf, 0, 0), 0);
    free(buf);
    pl_session_free(s);
}

static void test_a_fatal_alert_ends_the_session(void **state)
{
    tts_conn k;
    tts_options o = tts_server_for(GCM128);
    tts_buf b = {0};
    static const uint8_t fatal[2] = {2, PL_ALERT_INTERNAL_ERROR};
    uint8_t buf[8];
    (void)state;
    full_handshake(&k, &o, NULL, NULL, 0, 0);
    assert_non_null(k.c->session);
    tts_write(k.s, PL_CT_ALERT, fatal, sizeof fatal, &b);
    tts_conn_feed(&k, &b, 0);
    assert_int_equal(pl_client_read(k.c, buf, sizeof buf), SSL_ERR_ALERT_RECEIVED);
    assert_null(k.c->session);
    tts_buf_free(&b);
    tts_conn_close(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_handshake_keeps_a_session_with_the_servers_session_id),
        cmocka_unit_test(test_full_handshake_keeps_the_ticket_and_its_lifetime_hint),
        cmocka_unit_test(test_a_shorter_client_maximum_caps_the_lifetime),
        cmocka_unit_test(test_no_session_without_a_session_id_or_a_ticket),
        cmocka_unit_test(test_session_lifetime_zero_keeps_no_session),
        cmocka_unit_test(test_a_promised_ticket_that_never_comes_is_unexpected),
        cmocka_unit_test(test_a_ticket_nobody_promised_is_unexpected),
        cmocka_unit_test(test_malformed_new_session_tickets_are_decode_errors),
        cmocka_unit_test(test_resumption_by_session_id),
        cmocka_unit_test(test_resumption_by_ticket),
        cmocka_unit_test(test_a_new_ticket_never_extends_the_first_lifetime),
        cmocka_unit_test(test_a_server_that_declines_gets_a_full_handshake),
        cmocka_unit_test(test_resumption_with_a_cbc_suite_and_encrypt_then_mac),
        cmocka_unit_test(test_resumption_with_another_suite_is_illegal_parameter),
        cmocka_unit_test(test_resumption_that_changes_ems_is_refused_either_way),
        cmocka_unit_test(test_resumption_that_drops_encrypt_then_mac_is_refused),
        cmocka_unit_test(test_a_wrong_finished_on_resumption_is_decrypt_error),
        cmocka_unit_test(test_a_server_with_another_master_secret_fails_at_its_finished),
        cmocka_unit_test(test_wrong_messages_after_a_resuming_server_hello),
        cmocka_unit_test(test_wrong_messages_where_the_ticket_must_come),
        cmocka_unit_test(test_wrong_messages_after_the_resuming_servers_ccs),
        cmocka_unit_test(test_ccs_and_data_out_of_order_on_resumption),
        cmocka_unit_test(test_sessions_are_not_offered_when_they_must_not_be),
        cmocka_unit_test(test_a_ticket_too_large_for_the_client_hello_is_not_offered),
        cmocka_unit_test(test_saved_sessions_load_back_the_same),
        cmocka_unit_test(test_every_flipped_byte_and_every_truncation_is_refused),
        cmocka_unit_test(test_fields_out_of_range_are_refused_under_a_good_checksum),
        cmocka_unit_test(test_a_fatal_alert_ends_the_session),
    };
    return cmocka_run_group_tests(tests, tts_group_setup, tts_group_teardown);
}
