/* The client connection engine (see client.h): buffers, records in and out, alerts, the sticky
 * failure, and application data. The handshake's messages are hs_client.c's; this file hands
 * them over one whole message at a time.
 *
 * Input: records are read from in[in_pos..in_len) and decrypted in place; application data is
 * delivered straight from there, so reading copies each byte once (into the caller's buffer).
 * The buffer is compacted only when everything before in_pos has been delivered. */
#include "tls/client.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/alert.h"
#include "tls/session.h"

/* The input buffer must hold the largest record a server may send. The output buffer holds one
 * record of at most OUT_PLAINTEXT bytes: a client's writes are mostly small requests, records
 * of 8 KiB cost a few bytes more per upload than 16 KiB ones, and the smaller buffer keeps a
 * connection's steady state under 36 KiB. The handshake's flights are far smaller, except a
 * client certificate's: with an identity configured the buffer has room for its chain and
 * CertificateVerify too (pl_hs_client_out_extra), as the flight is queued whole. */
#define OUT_PLAINTEXT 8192
#define OUT_CAP (PL_RECORD_HEADER_LEN + OUT_PLAINTEXT + PL_RECORD_MAX_EXPANSION)
#define IN_CAP PL_RECORD_MAX_LEN

pl_client *pl_client_new(const pl_client_config *cfg)
{
    pl_client *c = calloc(1, sizeof *c);
    if (c == NULL) {
        return NULL;
    }
    size_t out_cap = OUT_CAP + pl_hs_client_out_extra(cfg);
    c->in = malloc(IN_CAP);
    c->out = malloc(out_cap);
    if (c->in == NULL || c->out == NULL) {
        free(c->in);
        free(c->out);
        free(c);
        return NULL;
    }
    c->cfg = cfg;
    c->in_cap = IN_CAP;
    c->out_cap = out_cap;
    c->state = PL_ST_INIT;
    pl_record_cipher_null(&c->wc);
    pl_record_reader_init(&c->rr, c->hs_small, sizeof c->hs_small);
    return c;
}

void pl_client_free(pl_client *c)
{
    if (c == NULL) {
        return;
    }
    pl_hs_client_end(c);
    pl_record_cipher_wipe(&c->wc);
    pl_record_cipher_wipe(&c->rr.cipher);
    pl_hs_assembler_wipe(&c->rr.hs);
    pl_wipe(c->in, c->in_cap);
    pl_wipe(c->out, c->out_cap);
    free(c->in);
    free(c->out);
    free(c->peer);
    pl_session_free(c->offer);
    pl_session_free(c->session);
    pl_wipe(c->master, sizeof c->master);
    pl_wipe(c, sizeof *c);
    free(c);
}

/* ---- output ---------------------------------------------------------------------------------- */

pl_slice pl_client_out(const pl_client *c)
{
    pl_slice s = {c->out + c->out_pos, c->out_len - c->out_pos};
    return s;
}

void pl_client_out_done(pl_client *c, size_t n)
{
    if (n > c->out_len - c->out_pos) {
        n = c->out_len - c->out_pos;
    }
    c->out_pos += n;
    if (c->out_pos == c->out_len) {
        c->out_pos = 0;
        c->out_len = 0;
    }
}

/* Move unsent bytes to the front so that the free space is in one piece. */
static void out_compact(pl_client *c)
{
    if (c->out_pos > 0) {
        memmove(c->out, c->out + c->out_pos, c->out_len - c->out_pos);
        c->out_len -= c->out_pos;
        c->out_pos = 0;
    }
}

static int send_record(pl_client *c, uint16_t version, uint8_t type, const uint8_t *data,
                       size_t len)
{
    pl_writer w;
    out_compact(c);
    pl_writer_init(&w, c->out + c->out_len, c->out_cap - c->out_len);
    TRY(pl_record_write(&c->wc, version, type, data, len, &w));
    c->out_len += pl_writer_len(&w);
    return 0;
}

int pl_client_send(pl_client *c, uint8_t type, const uint8_t *data, size_t len)
{
    /* RFC 5246 §E.1: the first ClientHello's record says 3.1, so that old servers that choke on
     * a newer record version still answer; everything after says 3.3. */
    uint16_t version = c->state == PL_ST_INIT ? 0x0301 : PL_TLS12;
    return send_record(c, version, type, data, len);
}

static void queue_alert(pl_client *c, uint8_t level, uint8_t description)
{
    uint8_t alert[2] = {level, description};
    if (send_record(c, PL_TLS12, PL_CT_ALERT, alert, sizeof alert) == 0) {
        pl_trace_alert(&c->trace, 0, level, description);
    }
}

int pl_client_fail(pl_client *c, int err, const char *fmt, ...)
{
    if (c->error != 0) {
        return c->error;
    }
    if (err >= 0 || err == SSL_ERR_WANT_READ || err == SSL_ERR_WANT_WRITE) {
        err = SSL_ERR_INTERNAL;     /* a success or a retry is never a failure */
    }
    c->error = err;
    c->state = PL_ST_FAILED;
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->detail, sizeof c->detail, fmt, ap);
        va_end(ap);
    } else {
        snprintf(c->detail, sizeof c->detail, "%s", ssl_error_string(err));
    }
    int alert = pl_error_alert(err);
    /* RFC 5246 §7.2.2: a connection ended by a fatal alert leaves no session to resume; nor
     * does one cut short without close_notify (the peer may not have finished its side). */
    if (alert >= 0 || err == SSL_ERR_ALERT_RECEIVED || err == SSL_ERR_TRUNCATED) {
        pl_session_free(c->session);
        c->session = NULL;
    }
    if (alert >= 0 && !c->alert_sent) {
        c->alert_sent = 1;
        queue_alert(c, 2, (uint8_t)alert);
    }
    return err;
}

int pl_client_close(pl_client *c)
{
    if (c->error != 0) {
        return c->error;        /* a failed handshake did not end: nothing more is sent */
    }
    if (c->state != PL_ST_CONNECTED) {
        return SSL_ERR_BAD_STATE;
    }
    if (c->alert_sent) {
        return 0;
    }
    c->alert_sent = 1;
    queue_alert(c, 1, PL_ALERT_CLOSE_NOTIFY);
    return 0;
}

/* The data limit: *len is cut to what the cap still allows; once it is reached the connection
 * says close_notify and fails with SSL_ERR_DATA_LIMIT. */
static int charge_data(pl_client *c, size_t *len)
{
    uint64_t left = c->data_limit - c->data_used;
    if (left == 0) {
        if (!c->alert_sent) {
            c->alert_sent = 1;
            queue_alert(c, 1, PL_ALERT_CLOSE_NOTIFY);
        }
        return pl_client_fail(c, SSL_ERR_DATA_LIMIT,
                              "the connection reached its data limit of %llu bytes and was closed "
                              "with close_notify", (unsigned long long)c->data_limit);
    }
    if (*len > left) {
        *len = (size_t)left;
    }
    c->data_used += *len;
    return 0;
}

long pl_client_write(pl_client *c, const uint8_t *data, size_t len)
{
    if (c->error != 0) {
        return c->error;
    }
    if (c->state != PL_ST_CONNECTED) {
        return SSL_ERR_BAD_STATE;
    }
    if (c->alert_sent) {
        return SSL_ERR_CLOSED;
    }
    if (len == 0) {
        return 0;
    }
    out_compact(c);
    /* As much as fits in whole records: each takes the record overhead once. */
    size_t room = c->out_cap - c->out_len;
    size_t take = len < OUT_PLAINTEXT ? len : OUT_PLAINTEXT;
    /* CBC's padding rounds up to whole blocks: step down a block at a time until it fits
     * (at most a few steps: the overhead is under 64 bytes). */
    while (take > 0 && pl_record_written_len(&c->wc, take) > room) {
        take = take > 16 ? take - 16 : 0;
    }
    if (take == 0) {
        return SSL_ERR_WANT_WRITE;
    }
    if (c->data_limit != 0) {
        TRY(charge_data(c, &take));
    }
    int rc = send_record(c, PL_TLS12, PL_CT_APPLICATION_DATA, data, take);
    if (rc < 0) {
        return pl_client_fail(c, rc, NULL);
    }
    pl_trace_app_data(&c->trace, 0, take);
    return (long)take;
}

/* ---- input ----------------------------------------------------------------------------------- */

uint8_t *pl_client_in_room(pl_client *c, size_t *room)
{
    if (c->app.len == 0 && c->in_pos > 0) {
        memmove(c->in, c->in + c->in_pos, c->in_len - c->in_pos);
        c->in_len -= c->in_pos;
        c->in_pos = 0;
    }
    *room = c->in_cap - c->in_len;
    return c->in + c->in_len;
}

void pl_client_in_add(pl_client *c, size_t n)
{
    if (n > c->in_cap - c->in_len) {
        n = c->in_cap - c->in_len;
    }
    c->in_len += n;
}

void pl_client_in_eof(pl_client *c)
{
    c->eof = 1;
}

static const char *state_words(enum pl_client_state s)
{
    switch (s) {
    case PL_ST_WAIT_SERVER_HELLO:
        return "before ServerHello";
    case PL_ST_WAIT_CERTIFICATE:
        return "before the server's Certificate";
    case PL_ST_WAIT_SERVER_KX:
        return "before ServerKeyExchange";
    case PL_ST_WAIT_CERT_REQ_OR_DONE:
    case PL_ST_WAIT_DONE:
        return "before ServerHelloDone";
    case PL_ST_WAIT_NEW_TICKET:
        return "before NewSessionTicket";
    case PL_ST_WAIT_SERVER_CCS:
    case PL_ST_WAIT_SERVER_FINISHED:
        return "before the server's Finished";
    default:
        return "";
    }
}

/* The stream ended with no complete record to read. */
static int fail_eof(pl_client *c)
{
    c->alert_sent = 1;          /* nobody is listening */
    if (c->state != PL_ST_CONNECTED) {
        return pl_client_fail(c, SSL_ERR_TRUNCATED,
                              "server closed the connection during the handshake (%s)",
                              state_words(c->state));
    }
    if (c->in_len > c->in_pos) {
        return pl_client_fail(c, SSL_ERR_TRUNCATED,
                              "connection closed in the middle of a record, without close_notify "
                              "(truncation)");
    }
    return pl_client_fail(c, SSL_ERR_TRUNCATED,
                          "connection closed without close_notify: the data may have been cut "
                          "short (truncation)");
}

/* The next record: 1 with its type and plaintext, SSL_ERR_WANT_READ, or the failure.
 * Application data that fits in dst[0..dst_cap) is decrypted straight there. */
static int next_record(pl_client *c, uint8_t *type, pl_slice *plain, uint8_t *dst,
                       size_t dst_cap)
{
    size_t used = 0, need = 0;
    int rc = pl_record_read_to(&c->rr, c->in + c->in_pos, c->in_len - c->in_pos, &used, &need,
                               type, plain, dst, dst_cap);
    if (rc < 0) {
        return pl_client_fail(c, rc, NULL);
    }
    if (used == 0) {
        if (c->eof) {
            return fail_eof(c);
        }
        /* need <= in_cap: the header's length was judged against the largest record. */
        if (c->in_pos + need > c->in_cap && c->app.len == 0) {
            memmove(c->in, c->in + c->in_pos, c->in_len - c->in_pos);
            c->in_len -= c->in_pos;
            c->in_pos = 0;
        }
        return SSL_ERR_WANT_READ;
    }
    c->in_pos += used;
    return 1;
}

/* RFC 5246 §7.2: an alert is two bytes, level and description. close_notify closes the
 * server's direction; other warnings are noted and ignored (a run of them is refused: they
 * cost us work and carry nothing); a fatal alert ends the connection and is not answered. */
static int on_alert(pl_client *c, pl_slice plain)
{
    pl_reader r = pl_reader_of(plain);
    uint8_t level = 0, description = 0;
    if (pl_read_u8(&r, &level) < 0 || pl_read_u8(&r, &description) < 0 || pl_read_end(&r) < 0) {
        return pl_client_fail(c, SSL_ERR_DECODE_TRAILING, "alert record is not two bytes long");
    }
    pl_trace_alert(&c->trace, 1, level, description);
    const char *name = pl_alert_name(description);
    if (description == PL_ALERT_CLOSE_NOTIFY) {
        c->peer_closed = 1;
        if (c->state != PL_ST_CONNECTED) {
            c->alert_sent = 1;
            return pl_client_fail(c, SSL_ERR_CLOSED,
                                  "server sent close_notify during the handshake (%s)",
                                  state_words(c->state));
        }
        return 0;
    }
    if (level == 1) {
        if (++c->warning_run > PL_RECORD_MAX_EMPTY) {
            return pl_client_fail(c, SSL_ERR_HS_TOO_MANY_WARNINGS, NULL);
        }
        return 0;
    }
    c->alert_sent = 1;          /* a fatal alert is not answered with another */
    return pl_client_fail(c, SSL_ERR_ALERT_RECEIVED, "server sent fatal alert %s (%u)%s%s",
                          name != NULL ? name : "unknown", description,
                          c->state != PL_ST_CONNECTED ? " " : "", state_words(c->state));
}

/* Handshake bytes: reassemble and dispatch every whole message they complete. */
static int on_handshake_bytes(pl_client *c, pl_slice plain)
{
    pl_reader r = pl_reader_of(plain);
    for (;;) {
        int rc = pl_hs_assembler_add(&c->rr.hs, &r);
        if (rc == SSL_ERR_HS_MESSAGE_TOO_LARGE && c->hs != NULL) {
            rc = pl_hs_client_grow(c, c->rr.hs.want);
            if (rc == 0) {
                continue;
            }
        }
        if (rc < 0) {
            if (rc == SSL_ERR_HS_MESSAGE_TOO_LARGE) {
                return pl_client_fail(c, rc, "handshake message of %zu bytes is larger than the "
                                      "%zu-byte limit", c->rr.hs.want, c->cfg->hs_limit);
            }
            return pl_client_fail(c, rc, NULL);
        }
        uint8_t type;
        pl_slice body, whole;
        if (!pl_hs_assembler_next(&c->rr.hs, &type, &body, &whole)) {
            return 0;
        }
        rc = pl_hs_client_dispatch(c, type, body, whole);
        if (rc < 0) {
            return pl_client_fail(c, rc, NULL);
        }
        if (pl_reader_left(&r) == 0) {
            return 0;
        }
    }
}

static int on_record(pl_client *c, uint8_t type, pl_slice plain)
{
    switch (type) {
    case PL_CT_HANDSHAKE:
        c->warning_run = 0;
        return on_handshake_bytes(c, plain);
    case PL_CT_CHANGE_CIPHER_SPEC: {
        c->warning_run = 0;
        int rc = pl_record_check_ccs(plain);
        if (rc == 0) {
            pl_slice none = {NULL, 0};      /* its one byte is checked; nothing to parse */
            rc = pl_hs_client_dispatch(c, PL_HT_CCS, none, plain);
        }
        return rc < 0 ? pl_client_fail(c, rc, NULL) : 0;
    }
    case PL_CT_ALERT:
        return on_alert(c, plain);
    case PL_CT_APPLICATION_DATA:
        if (c->state != PL_ST_CONNECTED) {
            return pl_client_fail(c, SSL_ERR_HS_UNEXPECTED_APP_DATA,
                                  "server sent application data %s", state_words(c->state));
        }
        if (plain.len > 0) {
            c->warning_run = 0;
            pl_trace_app_data(&c->trace, 1, plain.len);
        }
        c->app = plain;
        return 0;
    default:
        return pl_client_fail(c, SSL_ERR_RECORD_BAD_TYPE, NULL);
    }
}

int pl_client_start(pl_client *c)
{
    if (c->state != PL_ST_INIT) {
        return c->error != 0 ? c->error : SSL_ERR_BAD_STATE;
    }
    int rc = pl_hs_client_begin(c);
    if (rc < 0) {
        pl_hs_client_end(c);
        return pl_client_fail(c, rc, NULL);
    }
    return 0;
}

int pl_client_handshake(pl_client *c)
{
    if (c->error != 0) {
        return c->error;
    }
    if (c->state == PL_ST_CONNECTED) {
        return 0;
    }
    if (c->state == PL_ST_INIT) {
        return SSL_ERR_BAD_STATE;
    }
    for (;;) {
        uint8_t type;
        pl_slice plain;
        int rc = next_record(c, &type, &plain, NULL, 0);
        if (rc == 1) {
            rc = on_record(c, type, plain);
        }
        if (rc < 0) {
            if (rc != SSL_ERR_WANT_READ) {
                pl_hs_client_end(c);
            }
            return rc;
        }
        if (c->state == PL_ST_CONNECTED) {
            return 0;
        }
    }
}

long pl_client_read(pl_client *c, uint8_t *buf, size_t len)
{
    if (c->error != 0) {
        return c->error;
    }
    if (c->state != PL_ST_CONNECTED) {
        return SSL_ERR_BAD_STATE;
    }
    if (len == 0) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    for (;;) {
        if (c->app.len > 0 && c->data_limit != 0) {
            size_t n = c->app.len < len ? c->app.len : len;
            TRY(charge_data(c, &n));
            len = n;
        }
        if (c->app.len > 0) {
            size_t n = c->app.len < len ? c->app.len : len;
            memcpy(buf, c->app.ptr, n);
            c->app.ptr += n;
            c->app.len -= n;
            return (long)n;
        }
        if (c->peer_closed) {
            return 0;
        }
        uint8_t type;
        pl_slice plain;
        int rc = next_record(c, &type, &plain, buf, len);
        if (rc == 1) {
            rc = on_record(c, type, plain);
        }
        if (rc < 0) {
            return rc;
        }
        if (c->app.ptr == buf && c->app.len > 0) {
            /* decrypted straight into the caller's buffer: nothing to copy */
            size_t n = c->app.len;
            if (c->data_limit != 0) {
                TRY(charge_data(c, &n));
            }
            c->app.len = 0;
            return (long)n;
        }
    }
}
