/* The public API (include/padlock/ssl.h): contexts and connections over the sans-I/O engine
 * (tls/client.h). This file owns the loop that moves bytes between the engine and the
 * transport: send what the engine has queued, let it work, give it what the transport
 * received, until the call's goal is reached or the transport says "not now"
 * (SSL_ERR_WANT_READ / SSL_ERR_WANT_WRITE) or something fails. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "io/io.h"
#include "tls/client.h"
#include "x509/store.h"

struct ssl_ctx {
    pl_client_config cfg;
    pl_x509_store store;
    int store_loaded;           /* a load call gave anchors: no system bundle */
    pthread_mutex_t lock;       /* guards the one-time load of the system bundle */
    ssl_keylog_cb keylog;
    void *keylog_user;
    char detail[256];           /* why the last failed ssl_ctx_* call failed */
};

struct ssl {
    ssl_ctx *ctx;
    pl_client *c;
    ssl_send_cb send;
    ssl_recv_cb recv;
    void *user;
    pl_fd_io fd;
    size_t write_taken;         /* of the buffer a non-blocking ssl_write is retrying */
    unsigned handshake_ms, io_ms; /* ssl_set_timeouts; 0: none */
    int64_t hs_deadline;        /* monotonic ms at which the handshake fails; 0: not started */
};

/* ---- contexts -------------------------------------------------------------------------------- */

ssl_ctx *ssl_ctx_new(void)
{
    ssl_ctx *ctx = calloc(1, sizeof *ctx);
    if (ctx == NULL) {
        return NULL;
    }
    pl_client_config_defaults(&ctx->cfg);
    pl_x509_store_init(&ctx->store);
    ctx->cfg.anchors = &ctx->store;
    if (pthread_mutex_init(&ctx->lock, NULL) != 0) {
        free(ctx);
        return NULL;
    }
    return ctx;
}

void ssl_ctx_free(ssl_ctx *ctx)
{
    if (ctx == NULL) {
        return;
    }
    for (size_t i = 0; i < ctx->cfg.alpn_count; i++) {
        free(ctx->cfg.alpn[i]);
    }
    pl_x509_store_free(&ctx->store);
    pthread_mutex_destroy(&ctx->lock);
    free(ctx);
}

static int ctx_fail(ssl_ctx *ctx, int rc, const char *what, const char *name)
{
    snprintf(ctx->detail, sizeof ctx->detail, "%s \"%s\": %s", what, name, ssl_error_string(rc));
    return rc;
}

const char *ssl_ctx_get_error_detail(const ssl_ctx *ctx)
{
    return ctx != NULL ? ctx->detail : "";
}

static int after_load(ssl_ctx *ctx, int rc, size_t before, const char *path)
{
    if (rc < 0) {
        return ctx_fail(ctx, rc, "trust anchors from", path);
    }
    if (ctx->store.count == before) {
        return ctx_fail(ctx, SSL_ERR_NO_TRUST_ANCHORS, "no certificate in", path);
    }
    ctx->store_loaded = 1;
    return SSL_OK;
}

int ssl_ctx_load_ca_file(ssl_ctx *ctx, const char *pem_path)
{
    if (ctx == NULL || pem_path == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    size_t before = ctx->store.count;
    return after_load(ctx, pl_x509_store_load_file(&ctx->store, pem_path), before, pem_path);
}

int ssl_ctx_load_ca_dir(ssl_ctx *ctx, const char *dir_path)
{
    if (ctx == NULL || dir_path == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    size_t before = ctx->store.count;
    return after_load(ctx, pl_x509_store_load_dir(&ctx->store, dir_path), before, dir_path);
}

int ssl_ctx_load_ca_pem(ssl_ctx *ctx, const void *pem, size_t len)
{
    if (ctx == NULL || pem == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    size_t before = ctx->store.count, added = 0;
    return after_load(ctx, pl_x509_store_add_pem(&ctx->store, pem, len, &added), before,
                      "(PEM text)");
}

size_t ssl_ctx_ca_count(const ssl_ctx *ctx)
{
    return ctx != NULL ? ctx->store.count : 0;
}

size_t ssl_ctx_ca_skipped(const ssl_ctx *ctx)
{
    return ctx != NULL ? ctx->store.skipped : 0;
}

/* Split a list of names at commas and colons (spaces around names are ignored), calling one for
 * each; stops at the first failure, naming it in the context's detail. */
static int each_name(ssl_ctx *ctx, const char *list, int (*one)(void *arg, const char *name),
                     void *arg)
{
    const char *p = list;
    int any = 0;
    while (*p != '\0') {
        while (*p == ' ' || *p == ',' || *p == ':') {
            p++;
        }
        size_t n = strcspn(p, ",: ");
        if (n == 0) {
            break;
        }
        char name[96];
        if (n >= sizeof name) {
            snprintf(ctx->detail, sizeof ctx->detail, "name too long in \"%s\"", list);
            return SSL_ERR_INVALID_ARGUMENT;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        int rc = one(arg, name);
        if (rc < 0) {
            return ctx_fail(ctx, rc, "list entry", name);
        }
        any = 1;
        p += n;
    }
    return any ? 0 : ctx_fail(ctx, SSL_ERR_CONFIG_EMPTY_LIST, "list", list);
}

struct id_list {
    uint16_t ids[PL_CH_MAX_SUITES];
    size_t count, cap;
};

static int add_id(struct id_list *l, uint16_t id)
{
    for (size_t i = 0; i < l->count; i++) {
        if (l->ids[i] == id) {
            return 0;           /* a repeated name is offered once */
        }
    }
    if (l->count == l->cap) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    l->ids[l->count++] = id;
    return 0;
}

static int add_suite(void *arg, const char *name)
{
    const pl_suite *s = pl_suite_by_name(name);
    return s != NULL ? add_id(arg, s->id) : SSL_ERR_CONFIG_UNKNOWN_CIPHER;
}

static int add_group(void *arg, const char *name)
{
    uint16_t g = pl_group_by_name(name);
    return g != 0 ? add_id(arg, g) : SSL_ERR_CONFIG_UNKNOWN_GROUP;
}

int ssl_ctx_set_ciphers(ssl_ctx *ctx, const char *list)
{
    if (ctx == NULL || list == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    struct id_list l = {.cap = PL_CH_MAX_SUITES};
    int rc = each_name(ctx, list, add_suite, &l);
    if (rc < 0) {
        return rc;
    }
    memcpy(ctx->cfg.suites, l.ids, l.count * sizeof l.ids[0]);
    ctx->cfg.suites_count = l.count;
    return SSL_OK;
}

int ssl_ctx_set_groups(ssl_ctx *ctx, const char *list)
{
    if (ctx == NULL || list == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    struct id_list l = {.cap = PL_CH_MAX_GROUPS};
    int rc = each_name(ctx, list, add_group, &l);
    if (rc < 0) {
        return rc;
    }
    memcpy(ctx->cfg.groups, l.ids, l.count * sizeof l.ids[0]);
    ctx->cfg.groups_count = l.count;
    return SSL_OK;
}

int ssl_ctx_set_alpn(ssl_ctx *ctx, const char *const *protos, size_t n)
{
    if (ctx == NULL || n > PL_CH_MAX_ALPN || (n > 0 && protos == NULL)) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    char *copy[PL_CH_MAX_ALPN] = {0};
    for (size_t i = 0; i < n; i++) {
        size_t len = protos[i] != NULL ? strlen(protos[i]) : 0;
        copy[i] = len >= 1 && len <= 255 ? malloc(len + 1) : NULL;
        if (copy[i] != NULL) {
            memcpy(copy[i], protos[i], len + 1);
        }
        if (copy[i] == NULL) {
            for (size_t j = 0; j < i; j++) {
                free(copy[j]);
            }
            return len >= 1 && len <= 255 ? SSL_ERR_NO_MEMORY : SSL_ERR_INVALID_ARGUMENT;
        }
    }
    for (size_t i = 0; i < ctx->cfg.alpn_count; i++) {
        free(ctx->cfg.alpn[i]);
    }
    memcpy(ctx->cfg.alpn, copy, sizeof copy);
    ctx->cfg.alpn_count = n;
    return SSL_OK;
}

int ssl_ctx_set_verify(ssl_ctx *ctx, int mode)
{
    if (ctx == NULL || (mode != SSL_VERIFY_PEER && mode != SSL_VERIFY_NONE_INSECURE)) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    ctx->cfg.verify = mode == SSL_VERIFY_PEER;
    return SSL_OK;
}

int ssl_ctx_set_verify_time(ssl_ctx *ctx, int64_t unix_seconds)
{
    if (ctx == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    ctx->cfg.verify_time = unix_seconds;
    return SSL_OK;
}

int ssl_ctx_set_require_ems(ssl_ctx *ctx, int on)
{
    if (ctx == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    ctx->cfg.require_ems = on != 0;
    return SSL_OK;
}

int ssl_ctx_set_max_handshake_message(ssl_ctx *ctx, size_t bytes)
{
    if (ctx == NULL || bytes < 1024 || bytes > (16u << 20)) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    ctx->cfg.hs_limit = bytes;
    return SSL_OK;
}

int ssl_ctx_set_keylog(ssl_ctx *ctx, ssl_keylog_cb cb, void *user)
{
    if (ctx == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    ctx->keylog = cb;
    ctx->keylog_user = user;
    return SSL_OK;
}

/* The system bundle, once, for a context that verifies and was given no anchors. */
static int ensure_anchors(ssl_ctx *ctx)
{
    if (!ctx->cfg.verify) {
        return 0;
    }
    pthread_mutex_lock(&ctx->lock);     /* connections in other threads may get here at once */
    int rc = 0;
    if (!ctx->store_loaded) {
        size_t before = ctx->store.count;
        rc = after_load(ctx, pl_x509_store_load_file(&ctx->store, PL_STORE_DEFAULT_FILE), before,
                        PL_STORE_DEFAULT_FILE);
    }
    pthread_mutex_unlock(&ctx->lock);
    return rc;
}

/* ---- connections ----------------------------------------------------------------------------- */

static void keylog_line(void *user, const char *line)
{
    const ssl *s = user;
    if (s->ctx->keylog != NULL) {
        s->ctx->keylog(s, line, s->ctx->keylog_user);
    }
}

ssl *ssl_new(ssl_ctx *ctx)
{
    if (ctx == NULL) {
        return NULL;
    }
    ssl *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return NULL;
    }
    s->c = pl_client_new(&ctx->cfg);
    if (s->c == NULL) {
        free(s);
        return NULL;
    }
    s->ctx = ctx;
    s->fd.fd = -1;
    s->c->keylog = keylog_line;
    s->c->keylog_user = s;
    return s;
}

void ssl_free(ssl *s)
{
    if (s == NULL) {
        return;
    }
    pl_client_free(s->c);
    free(s);
}

int ssl_set_hostname(ssl *s, const char *name)
{
    if (s == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    return pl_client_set_host(s->c, name);
}

int ssl_set_fd(ssl *s, int fd)
{
    if (s == NULL || fd < 0) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    s->fd.fd = fd;
    s->send = pl_fd_send;
    s->recv = pl_fd_recv;
    s->user = &s->fd;
    return SSL_OK;
}

int ssl_set_io(ssl *s, ssl_send_cb send_cb, ssl_recv_cb recv_cb, void *user)
{
    if (s == NULL || send_cb == NULL || recv_cb == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    s->send = send_cb;
    s->recv = recv_cb;
    s->user = user;
    return SSL_OK;
}

int ssl_set_trace(ssl *s, ssl_trace_cb cb, void *user)
{
    if (s == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    s->c->trace.cb = cb;
    s->c->trace.user = user;
    return SSL_OK;
}

int ssl_set_timeouts(ssl *s, unsigned handshake_ms, unsigned io_ms)
{
    if (s == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    s->handshake_ms = handshake_ms;
    s->io_ms = io_ms;
    return SSL_OK;
}

int ssl_set_data_limit(ssl *s, uint64_t max_bytes)
{
    if (s == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    s->c->data_limit = max_bytes;
    return SSL_OK;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Before a receive (events POLLIN) or send (POLLOUT) on our socket: wait until it is ready
 * within the time limit that applies now. 0, or the timeout's failure. */
static int wait_ready(ssl *s, short events)
{
    if (s->user != &s->fd) {
        return 0;               /* callback I/O: time is the application's */
    }
    int handshaking = s->c->state != PL_ST_CONNECTED;
    if ((handshaking && s->handshake_ms == 0) || (!handshaking && s->io_ms == 0)) {
        return 0;               /* no limit: no system call either */
    }
    int flags = fcntl(s->fd.fd, F_GETFL);
    if (flags >= 0 && (flags & O_NONBLOCK) != 0) {
        return 0;               /* an event loop's socket: never wait in here */
    }
    int64_t wait = handshaking ? s->hs_deadline - now_ms() : (int64_t)s->io_ms;
    struct pollfd p = {.fd = s->fd.fd, .events = events};
    int n = wait > 0 ? poll(&p, 1, (int)(wait < 0x7fffffff ? wait : 0x7fffffff)) : 0;
    if (n > 0 || (n < 0 && errno == EINTR)) {
        return 0;               /* ready (or interrupted: the I/O call itself will tell) */
    }
    if (n < 0) {
        s->fd.last_errno = errno;
        return SSL_ERR_IO;
    }
    s->c->alert_sent = 1;       /* a peer that does not answer gets nothing more */
    if (handshaking) {
        return pl_client_fail(s->c, SSL_ERR_TIMEOUT_HANDSHAKE,
                              "the handshake did not finish within %u ms", s->handshake_ms);
    }
    if (events == POLLIN) {
        return pl_client_fail(s->c, SSL_ERR_TIMEOUT_READ,
                              "nothing arrived from the server for %u ms (inactivity limit)",
                              s->io_ms);
    }
    return pl_client_fail(s->c, SSL_ERR_TIMEOUT_WRITE,
                          "the server took nothing we sent for %u ms", s->io_ms);
}

/* A transport failure, with the system's words when it was our socket. A reset is named on its
 * own: it is how a crashed or restarting server ends a connection. */
static int io_failed(ssl *s, const char *what)
{
    if (s->user == &s->fd && s->fd.last_errno == ECONNRESET) {
        s->c->alert_sent = 1;           /* nobody is listening */
        return pl_client_fail(s->c, SSL_ERR_CONNECTION_RESET, "%s failed: the server reset the "
                              "connection (%s)", what, strerror(s->fd.last_errno));
    }
    if (s->user == &s->fd && s->fd.last_errno != 0) {
        return pl_client_fail(s->c, SSL_ERR_IO, "%s failed: %s", what, strerror(s->fd.last_errno));
    }
    return pl_client_fail(s->c, SSL_ERR_IO, "%s failed", what);
}

/* Send everything the engine has queued: 0, SSL_ERR_WANT_WRITE, or the failure. */
static int flush(ssl *s)
{
    for (;;) {
        pl_slice out = pl_client_out(s->c);
        if (out.len == 0) {
            return 0;
        }
        int rc = wait_ready(s, POLLOUT);
        if (rc < 0) {
            return rc;
        }
        long n = s->send(s->user, out.ptr, out.len);
        if (n > 0) {
            pl_client_out_done(s->c, (size_t)n);
        } else if (n == SSL_ERR_WANT_WRITE) {
            return SSL_ERR_WANT_WRITE;
        } else {
            return io_failed(s, "sending");
        }
    }
}

/* After a failure the alert may be queued: send it if the transport takes it now. */
static int fail_with_flush(ssl *s, int rc)
{
    if (rc != SSL_ERR_WANT_READ && rc != SSL_ERR_WANT_WRITE && rc != SSL_ERR_IO) {
        (void)flush(s);
    }
    return rc;
}

/* One receive into the engine: 0 (bytes or the end of the stream arrived),
 * SSL_ERR_WANT_READ, or the failure. */
static int fill(ssl *s)
{
    size_t room;
    uint8_t *p = pl_client_in_room(s->c, &room);
    if (room == 0) {
        return pl_client_fail(s->c, SSL_ERR_INTERNAL, "input buffer full");
    }
    int rc = wait_ready(s, POLLIN);
    if (rc < 0) {
        return rc;
    }
    long n = s->recv(s->user, p, room);
    if (n > 0) {
        pl_client_in_add(s->c, (size_t)n);
        return 0;
    }
    if (n == 0) {
        pl_client_in_eof(s->c);
        return 0;
    }
    if (n == SSL_ERR_WANT_READ) {
        return SSL_ERR_WANT_READ;
    }
    return io_failed(s, "receiving");
}

int ssl_connect(ssl *s)
{
    if (s == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    if (s->send == NULL) {
        return SSL_ERR_NO_IO;
    }
    pl_client *c = s->c;
    if (c->error != 0) {
        return c->error;
    }
    if (c->state == PL_ST_INIT) {
        int rc = ensure_anchors(s->ctx);
        if (rc < 0) {
            return pl_client_fail(c, rc, "no trust anchors: the system bundle %s did not load "
                                  "(%s)", PL_STORE_DEFAULT_FILE, ssl_error_string(rc));
        }
        rc = pl_client_start(c);
        if (rc < 0) {
            return rc;
        }
        s->hs_deadline = now_ms() + (int64_t)s->handshake_ms;
    }
    for (;;) {
        int rc = pl_client_handshake(c);
        if (rc != 0 && rc != SSL_ERR_WANT_READ) {
            return fail_with_flush(s, rc);
        }
        /* What the engine queued (a flight) goes out before we wait for the answer. */
        int sent = flush(s);
        if (rc == 0 || sent < 0) {
            return sent;
        }
        rc = fill(s);
        if (rc < 0) {
            return rc;
        }
    }
}

static int connected(ssl *s)
{
    if (s->c->state == PL_ST_CONNECTED) {
        return 0;
    }
    return ssl_connect(s);
}

long ssl_read(ssl *s, void *buf, size_t len)
{
    if (s == NULL || buf == NULL || len == 0) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    int rc = connected(s);
    if (rc < 0) {
        return rc;
    }
    for (;;) {
        long n = pl_client_read(s->c, buf, len);
        if (n >= 0) {
            (void)flush(s);     /* a no_renegotiation warning may wait; it is best effort */
            return n;
        }
        if (n != SSL_ERR_WANT_READ) {
            return fail_with_flush(s, (int)n);
        }
        rc = fill(s);
        if (rc < 0) {
            return rc;
        }
    }
}

long ssl_write(ssl *s, const void *buf, size_t len)
{
    if (s == NULL || (buf == NULL && len > 0)) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    int rc = connected(s);
    if (rc < 0) {
        return rc;
    }
    const uint8_t *p = buf;
    size_t done = s->write_taken <= len ? s->write_taken : 0;
    while (done < len) {
        rc = flush(s);
        if (rc < 0) {
            s->write_taken = done;
            return rc;
        }
        long n = pl_client_write(s->c, p + done, len - done);
        if (n < 0 && n != SSL_ERR_WANT_WRITE) {
            s->write_taken = 0;
            return fail_with_flush(s, (int)n);
        }
        if (n > 0) {
            done += (size_t)n;
        }
    }
    rc = flush(s);
    if (rc < 0) {
        s->write_taken = rc == SSL_ERR_WANT_WRITE ? len : 0;
        return rc;
    }
    s->write_taken = 0;
    return (long)len;
}

int ssl_close(ssl *s)
{
    if (s == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    if (s->c->state == PL_ST_INIT) {
        return SSL_OK;          /* nothing was ever sent */
    }
    int rc = pl_client_close(s->c);
    if (rc < 0 && rc != SSL_ERR_WANT_WRITE) {
        return rc;
    }
    if (s->send == NULL) {
        return SSL_ERR_NO_IO;
    }
    return flush(s);
}

size_t ssl_pending(const ssl *s)
{
    if (s == NULL) {
        return 0;
    }
    return s->c->app.len + (s->c->in_len - s->c->in_pos);
}

int ssl_get_error(const ssl *s)
{
    return s != NULL ? s->c->error : SSL_ERR_INVALID_ARGUMENT;
}

const char *ssl_get_error_detail(const ssl *s)
{
    return s != NULL && s->c->error != 0 ? s->c->detail : "";
}

/* ---- what was negotiated --------------------------------------------------------------------- */

static int done(const ssl *s)
{
    return s != NULL && s->c->state == PL_ST_CONNECTED;
}

const char *ssl_get_version(const ssl *s)
{
    return done(s) ? "TLS 1.2" : NULL;
}

const char *ssl_get_cipher(const ssl *s)
{
    return done(s) ? s->c->suite->name : NULL;
}

const char *ssl_get_group(const ssl *s)
{
    return done(s) ? s->c->group_name : NULL;
}

const char *ssl_get_alpn(const ssl *s)
{
    return done(s) && s->c->alpn[0] != '\0' ? s->c->alpn : NULL;
}

int ssl_get_ems(const ssl *s)
{
    return done(s) ? s->c->ems : 0;
}

const char *ssl_get_peer_subject(const ssl *s)
{
    return s != NULL && s->c->peer != NULL ? s->c->peer->subject : NULL;
}

const char *ssl_get_peer_issuer(const ssl *s)
{
    return s != NULL && s->c->peer != NULL ? s->c->peer->issuer : NULL;
}

int ssl_get_peer_validity(const ssl *s, int64_t *not_before, int64_t *not_after)
{
    if (s == NULL || s->c->peer == NULL) {
        return -1;
    }
    if (not_before != NULL) {
        *not_before = s->c->peer->not_before;
    }
    if (not_after != NULL) {
        *not_after = s->c->peer->not_after;
    }
    return 0;
}

const char *ssl_get_peer_san(const ssl *s, size_t index)
{
    if (s == NULL || s->c->peer == NULL || index >= s->c->peer->san_count) {
        return NULL;
    }
    return s->c->peer->sans[index];
}
