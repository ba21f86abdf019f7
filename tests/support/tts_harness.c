/* The unit tests' client/test-server harness (see tts_harness.h). */
#include "pl_test.h"

#include "tts_harness.h"

#include "base/alert.h"

/* ---- fixtures -------------------------------------------------------------------------------- */

pl_x509_store tts_anchors;
pl_private_key tts_key_rsa, tts_key_ec, tts_key_ec384;

pl_slice tts_fixture(const char *name)
{
    pl_slice s = tts_fixture_find(name);
    if (s.ptr == NULL) {
        fail_msg("no fixture %s", name);
    }
    return s;
}

pl_slice tts_client_fixture(const char *name)
{
    pl_slice s = tts_client_fixture_find(name);
    if (s.ptr == NULL) {
        fail_msg("no client fixture %s", name);
    }
    return s;
}

static int load_key(pl_private_key *key, const char *name)
{
    pl_slice k = tts_fixture(name);
    return pl_key_load_private_pem(key, k.ptr, k.len);
}

int tts_group_setup(void **state)
{
    pl_slice root = tts_fixture("root");
    (void)state;
    pl_x509_store_init(&tts_anchors);
    if (pl_x509_store_add_der(&tts_anchors, root.ptr, root.len) != 0 ||
        load_key(&tts_key_rsa, "server-rsa.key") != 0 ||
        load_key(&tts_key_ec, "server-ec.key") != 0 ||
        load_key(&tts_key_ec384, "server-ec384.key") != 0) {
        return -1;
    }
    return 0;
}

int tts_group_teardown(void **state)
{
    (void)state;
    pl_x509_store_free(&tts_anchors);
    pl_key_private_free(&tts_key_rsa);
    pl_key_private_free(&tts_key_ec);
    pl_key_private_free(&tts_key_ec384);
    return 0;
}

const char *tts_err_name(int err)
{
    const char *n = ssl_error_name(err);
    return n != NULL ? n : "?";
}

/* ---- default server and client --------------------------------------------------------------- */

tts_options tts_server_with(uint16_t suite, const char *leaf, const pl_private_key *key)
{
    tts_options o;
    const pl_suite *s = pl_suite_by_id(suite);
    memset(&o, 0, sizeof o);
    assert_non_null(s);
    o.suite = suite;
    o.group = s->kx == PL_KX_DHE_RSA ? PL_GROUP_FFDHE2048 : PL_GROUP_X25519;
    o.key = key;
    o.sigalg = key->alg == PL_KEY_RSA ? PL_SIG_RSA_PSS_RSAE_SHA256
               : key->curve == PL_EC_P384 ? PL_SIG_ECDSA_SECP384R1_SHA384
                                          : PL_SIG_ECDSA_SECP256R1_SHA256;
    o.chain[0] = tts_fixture(leaf);
    o.chain[1] = tts_fixture("int");
    o.chain_count = 2;
    return o;
}

tts_options tts_server_for(uint16_t suite)
{
    const pl_suite *s = pl_suite_by_id(suite);
    assert_non_null(s);
    if (s->kx == PL_KX_ECDHE_ECDSA) {
        return tts_server_with(suite, "leaf-ec", &tts_key_ec);
    }
    return tts_server_with(suite, "leaf-rsa", &tts_key_rsa);
}

void tts_config_default(pl_client_config *cfg)
{
    pl_client_config_defaults(cfg);
    cfg->anchors = &tts_anchors;
    cfg->verify_time = tts_fixture_time;
}

/* ---- a connection ---------------------------------------------------------------------------- */

static void trace_sink(void *user, const char *line)
{
    tts_conn *k = user;
    assert_non_null(line);
    assert_null(strchr(line, '\n'));
    k->trace_lines++;
    while (*line == ' ' || *line == '|') {
        line++;
    }
    size_t n = strlen(line);
    if (k->trace_len + n + 2 < sizeof k->trace) {
        memcpy(k->trace + k->trace_len, line, n);
        k->trace_len += n;
        k->trace[k->trace_len++] = ' ';
        k->trace[k->trace_len] = '\0';
    }
}

void tts_conn_open(tts_conn *k, const tts_options *o, const pl_client_config *cfg,
                   const char *host)
{
    tts_conn_open_offering(k, o, cfg, host, NULL);
}

void tts_conn_open_offering(tts_conn *k, const tts_options *o, const pl_client_config *cfg,
                            const char *host, const pl_session *offer)
{
    memset(k, 0, sizeof *k);
    if (cfg != NULL) {
        k->cfg = *cfg;
    } else {
        tts_config_default(&k->cfg);
    }
    k->c = pl_client_new(&k->cfg);
    assert_non_null(k->c);
    k->c->trace.cb = trace_sink;
    k->c->trace.user = k;
    assert_int_equal(pl_client_set_host(k->c, host != NULL ? host : "localhost"), 0);
    if (offer != NULL) {
        k->c->offer = pl_session_dup(offer);
        assert_non_null(k->c->offer);
    }
    assert_int_equal(pl_client_start(k->c), 0);
    k->s = tts_new(o);
    assert_int_equal(tts_conn_pump(k), 0);
    assert_true(k->s->got_client_hello);
    assert_int_equal(tts_build_flight(k->s), 0);
}

void tts_conn_close(tts_conn *k)
{
    pl_client_free(k->c);
    tts_free(k->s);
    memset(k, 0, sizeof *k);
}

int tts_conn_pump(tts_conn *k)
{
    pl_slice out = pl_client_out(k->c);
    int rc = tts_recv(k->s, out.ptr, out.len);
    pl_client_out_done(k->c, out.len);
    return rc;
}

void tts_give(pl_client *c, const uint8_t *p, size_t len)
{
    while (len > 0) {
        size_t room;
        uint8_t *dst = pl_client_in_room(c, &room);
        size_t n = len < room ? len : room;
        assert_true(n > 0);
        memcpy(dst, p, n);
        pl_client_in_add(c, n);
        p += n;
        len -= n;
    }
}

int tts_feed(pl_client *c, const uint8_t *p, size_t len, size_t chunk)
{
    int rc = SSL_ERR_WANT_READ;
    size_t pos = 0;
    while (pos < len) {
        size_t room;
        uint8_t *dst = pl_client_in_room(c, &room);
        size_t n = len - pos;
        if (chunk != 0 && n > chunk) {
            n = chunk;
        }
        if (n > room) {
            n = room;
        }
        assert_true(n > 0);
        memcpy(dst, p + pos, n);
        pl_client_in_add(c, n);
        pos += n;
        rc = pl_client_handshake(c);
        if (rc != SSL_ERR_WANT_READ) {
            break;
        }
    }
    return rc;
}

int tts_conn_feed(tts_conn *k, const tts_buf *b, size_t chunk)
{
    return tts_feed(k->c, b->ptr, b->len, chunk);
}

int tts_conn_flight1(tts_conn *k, size_t fragment, size_t chunk)
{
    tts_buf b = {0};
    tts_frame(k->s, &b, fragment);
    int rc = tts_conn_feed(k, &b, chunk);
    tts_buf_free(&b);
    return rc;
}

int tts_conn_flight2(tts_conn *k, size_t chunk)
{
    tts_buf b = {0};
    assert_int_equal(k->c->state, PL_ST_WAIT_SERVER_CCS);
    int rc = tts_conn_pump(k);
    if (rc != 0) {
        fail_msg("the server refused the client's flight: %s", tts_err_name(rc));
    }
    assert_true(k->s->client_finished_ok);
    assert_int_equal(tts_send_finished(k->s, &b), 0);
    rc = tts_conn_feed(k, &b, chunk);
    tts_buf_free(&b);
    return rc;
}

void tts_conn_connect(tts_conn *k, size_t fragment, size_t chunk)
{
    int rc = tts_conn_flight1(k, fragment, chunk);
    if (rc != SSL_ERR_WANT_READ) {
        fail_msg("first flight: %s (%s)", tts_err_name(rc), k->c->detail);
    }
    rc = tts_conn_flight2(k, chunk);
    if (rc != 0) {
        fail_msg("second flight: %s (%s)", tts_err_name(rc), k->c->detail);
    }
    assert_int_equal(k->c->state, PL_ST_CONNECTED);
    assert_null(k->c->hs);
}

void tts_conn_expect(tts_conn *k, int rc, int want)
{
    if (rc != want) {
        fail_msg("got %s (%s), want %s", tts_err_name(rc), k->c->detail, tts_err_name(want));
    }
}

void tts_conn_expect_failed(tts_conn *k, int rc, int err, int alert)
{
    tts_conn_expect(k, rc, err);
    assert_int_equal(k->c->state, PL_ST_FAILED);
    assert_int_equal(pl_error_alert(err), alert);
    size_t before = k->s->alerts;
    assert_int_equal(tts_conn_pump(k), 0);
    if (alert >= 0) {
        assert_int_equal(k->s->alerts, before + 1);
        assert_int_equal(k->s->alert_level, 2);
        assert_int_equal(k->s->alert_desc, alert);
    }
    assert_int_equal(pl_client_handshake(k->c), err);
}

void tts_conn_expect_refused(tts_conn *k, int rc, int err, int alert)
{
    uint8_t type, buf[8];
    const uint8_t *body;
    size_t len;
    tts_conn_expect(k, rc, err);
    assert_int_equal(k->c->error, err);
    assert_int_equal(k->c->state, PL_ST_FAILED);
    assert_int_equal(pl_error_alert(err), alert);
    assert_true(k->c->detail[0] != '\0');
    assert_null(k->c->hs);

    int client_ccs_sent = tts_client_encrypts(k->c);
    tts_last_record(pl_client_out(k->c), &type, &body, &len);
    size_t alerts_before = k->s->alerts;
    assert_int_equal(tts_conn_pump(k), 0);
    if (alert < 0) {
        assert_int_equal(k->s->alerts, alerts_before);
    } else {
        assert_int_equal(type, PL_CT_ALERT);
        if (!client_ccs_sent) {
            assert_int_equal(len, 2);
            assert_int_equal(body[0], 2);
            assert_int_equal(body[1], alert);
        }
        assert_int_equal(k->s->alerts, alerts_before + 1);
        assert_int_equal(k->s->alert_level, 2);
        assert_int_equal(k->s->alert_desc, alert);
        assert_int_equal(k->s->alert_encrypted, client_ccs_sent);
    }
    assert_int_equal(pl_client_handshake(k->c), err);
    assert_int_equal(pl_client_read(k->c, buf, sizeof buf), err);
    assert_int_equal(pl_client_write(k->c, buf, 1), err);
    assert_int_equal(pl_client_close(k->c), err);
    assert_int_equal(pl_client_out(k->c).len, 0);
}

void tts_conn_client_writes(tts_conn *k, const uint8_t *data, size_t len)
{
    assert_int_equal(pl_client_write(k->c, data, len), (long)len);
    assert_int_equal(tts_conn_pump(k), 0);
    assert_int_equal(k->s->app.len, len);
    assert_memory_equal(k->s->app.ptr, data, len);
}

int tts_client_encrypts(const pl_client *c)
{
    return pl_record_written_len(&c->wc, 1) > PL_RECORD_HEADER_LEN + 1;
}

void tts_last_record(pl_slice out, uint8_t *type, const uint8_t **body, size_t *len)
{
    pl_reader r = pl_reader_of(out);
    *type = 0;
    *body = NULL;
    *len = 0;
    while (pl_reader_left(&r) > 0) {
        uint16_t version;
        pl_slice frag;
        assert_int_equal(pl_read_u8(&r, type), 0);
        assert_int_equal(pl_read_u16(&r, &version), 0);
        assert_int_equal(pl_read_vec16(&r, 0, 0xffff, &frag), 0);
        *body = frag.ptr;
        *len = frag.len;
    }
}
