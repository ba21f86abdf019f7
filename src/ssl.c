/* The public API (include/padlock/ssl.h): contexts and connections over the sans-I/O engine
 * (tls/client.h). This file owns the loop that moves bytes between the engine and the
 * transport: send what the engine has queued, let it work, give it what the transport
 * received, until the call's goal is reached or the transport says "not now"
 * (SSL_ERR_WANT_READ / SSL_ERR_WANT_WRITE) or something fails. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "io/io.h"
#include "tls/client.h"
#include "tls/session.h"
#include "x509/identity.h"
#include "x509/store.h"

struct ssl_ctx {
    pl_client_config cfg;
    pl_x509_store store;
    int store_loaded;           /* a load call gave anchors: no system bundle */
    pthread_mutex_t lock;       /* guards the one-time load of the system bundle */
    ssl_keylog_cb keylog;
    void *keylog_user;
    char detail[256];           /* why the last failed ssl_ctx_* call failed */
    pl_identity *identity;      /* client certificate chain and key; cfg.identity once set */

    /* The session cache (ssl_ctx_set_session_cache): cache_max slots, NULL key when free. */
    pthread_mutex_t cache_lock;
    struct cache_entry *cache;
    size_t cache_max;
    uint64_t cache_clock;       /* ticks on each use: the least recent goes first */
};

struct cache_entry {
    char key[PL_HOSTNAME_MAX + 8];      /* "host:port" */
    pl_session *session;
    uint64_t used;
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
    int session_set;            /* ssl_set_session was called: the cache is not consulted */
    int cached;                 /* this connection's session went into the cache */
    char cache_key[PL_HOSTNAME_MAX + 8];
};

static void cache_update(ssl *s);

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
    if (pthread_mutex_init(&ctx->cache_lock, NULL) != 0) {
        pthread_mutex_destroy(&ctx->lock);
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
    if (ctx->identity != NULL) {
        pl_identity_free(ctx->identity);        /* wipes the private key */
        free(ctx->identity);
    }
    (void)ssl_ctx_set_session_cache(ctx, 0);
    pthread_mutex_destroy(&ctx->cache_lock);
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

/* ---- the client certificate ------------------------------------------------------------------ */

/* The context's identity, made at the first call. The connections see it (cfg.identity) once
 * it holds a chain or a key; pl_hs_client_begin refuses one that holds only one of them. */
static int use_identity(ssl_ctx *ctx, int is_key, const char *path, const void *pem, size_t len)
{
    if (ctx == NULL || (path == NULL && pem == NULL)) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    if (ctx->identity == NULL && (ctx->identity = calloc(1, sizeof *ctx->identity)) == NULL) {
        return SSL_ERR_NO_MEMORY;
    }
    pl_identity *id = ctx->identity;
    int rc;
    if (is_key) {
        rc = path != NULL ? pl_identity_load_key_file(id, path)
                          : pl_identity_set_key_pem(id, pem, len);
    } else {
        rc = path != NULL ? pl_identity_load_chain_file(id, path)
                          : pl_identity_set_chain_pem(id, pem, len);
    }
    ctx->cfg.identity = id->count > 0 || id->have_key ? id : NULL;
    if (rc < 0) {
        const char *what = is_key ? "client private key from" : "client certificate chain from";
        return ctx_fail(ctx, rc, what, path != NULL ? path : "(PEM text)");
    }
    return SSL_OK;
}

int ssl_ctx_use_certificate_chain_file(ssl_ctx *ctx, const char *pem_path)
{
    return use_identity(ctx, 0, pem_path, NULL, 0);
}

int ssl_ctx_use_certificate_chain_pem(ssl_ctx *ctx, const void *pem, size_t len)
{
    return use_identity(ctx, 0, NULL, pem, len);
}

int ssl_ctx_use_private_key_file(ssl_ctx *ctx, const char *pem_path)
{
    return use_identity(ctx, 1, pem_path, NULL, 0);
}

int ssl_ctx_use_private_key_pem(ssl_ctx *ctx, const void *pem, size_t len)
{
    return use_identity(ctx, 1, NULL, pem, len);
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
    /* the key-log line holds the master secret: made only when someone asked for it (context
     * settings come before the first ssl_new) */
    s->c->keylog = ctx->keylog != NULL ? keylog_line : NULL;
    s->c->keylog_user = s;
    return s;
}

void ssl_free(ssl *s)
{
    if (s == NULL) {
        return;
    }
    if (s->cached && s->c->session == NULL) {
        cache_update(s);                /* it failed after the handshake: forget its session */
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

/* ---- the session cache ----------------------------------------------------------------------- */

/* "host:port" for the connection: the socket's peer port when there is a socket. */
static void cache_key(ssl *s)
{
    unsigned port = 0;
    if (s->fd.fd >= 0) {
        struct sockaddr_storage sa;
        socklen_t len = sizeof sa;
        if (getpeername(s->fd.fd, (struct sockaddr *)&sa, &len) == 0) {
            if (sa.ss_family == AF_INET) {
                port = ntohs(((struct sockaddr_in *)&sa)->sin_port);
            } else if (sa.ss_family == AF_INET6) {
                port = ntohs(((struct sockaddr_in6 *)&sa)->sin6_port);
            }
        }
    }
    snprintf(s->cache_key, sizeof s->cache_key, "%s:%u", s->c->host, port);
}

static struct cache_entry *cache_find(ssl_ctx *ctx, const char *key)
{
    for (size_t i = 0; i < ctx->cache_max; i++) {
        if (ctx->cache[i].session != NULL && strcmp(ctx->cache[i].key, key) == 0) {
            return &ctx->cache[i];
        }
    }
    return NULL;
}

/* Before the handshake: the cached session for this connection's key, unless the application
 * set one itself. */
static void cache_lookup(ssl *s)
{
    ssl_ctx *ctx = s->ctx;
    if (ctx->cache_max == 0 || s->session_set) {
        return;
    }
    cache_key(s);
    pthread_mutex_lock(&ctx->cache_lock);
    struct cache_entry *e = cache_find(ctx, s->cache_key);
    if (e != NULL) {
        e->used = ++ctx->cache_clock;
        pl_session_free(s->c->offer);
        s->c->offer = pl_session_dup(e->session);
    }
    pthread_mutex_unlock(&ctx->cache_lock);
}

/* After the handshake (or a failure): the connection's session replaces the entry for its key;
 * no session (a failure, or none given) removes the entry. */
static void cache_update(ssl *s)
{
    ssl_ctx *ctx = s->ctx;
    if (ctx->cache_max == 0 || s->session_set) {
        return;
    }
    pl_session *copy = s->c->session != NULL ? pl_session_dup(s->c->session) : NULL;
    pthread_mutex_lock(&ctx->cache_lock);
    struct cache_entry *e = cache_find(ctx, s->cache_key);
    if (e == NULL && copy != NULL) {
        e = &ctx->cache[0];                 /* a free slot, or the least recently used */
        for (size_t i = 0; i < ctx->cache_max && e->session != NULL; i++) {
            if (ctx->cache[i].session == NULL || ctx->cache[i].used < e->used) {
                e = &ctx->cache[i];
            }
        }
    }
    if (e != NULL) {
        pl_session_free(e->session);
        e->session = copy;
        e->used = ++ctx->cache_clock;
        snprintf(e->key, sizeof e->key, "%s", s->cache_key);
        copy = NULL;
    }
    pthread_mutex_unlock(&ctx->cache_lock);
    pl_session_free(copy);
    s->cached = s->c->session != NULL;
}

int ssl_ctx_set_session_cache(ssl_ctx *ctx, size_t max_entries)
{
    if (ctx == NULL || max_entries > 100000) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    struct cache_entry *fresh = NULL;
    if (max_entries > 0 && (fresh = calloc(max_entries, sizeof *fresh)) == NULL) {
        return SSL_ERR_NO_MEMORY;
    }
    pthread_mutex_lock(&ctx->cache_lock);
    for (size_t i = 0; i < ctx->cache_max; i++) {
        pl_session_free(ctx->cache[i].session);
    }
    free(ctx->cache);
    ctx->cache = fresh;
    ctx->cache_max = max_entries;
    pthread_mutex_unlock(&ctx->cache_lock);
    return SSL_OK;
}

int ssl_ctx_set_session_lifetime(ssl_ctx *ctx, unsigned seconds)
{
    if (ctx == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    ctx->cfg.session_lifetime = seconds;
    return SSL_OK;
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
        cache_lookup(s);
        rc = pl_client_start(c);
        if (rc < 0) {
            return rc;
        }
        s->hs_deadline = now_ms() + (int64_t)s->handshake_ms;
    }
    for (;;) {
        int rc = pl_client_handshake(c);
        if (rc != 0 && rc != SSL_ERR_WANT_READ) {
            cache_update(s);            /* a failed handshake's session is dropped */
            return fail_with_flush(s, rc);
        }
        /* What the engine queued (a flight) goes out before we wait for the answer. */
        int sent = flush(s);
        if (rc == 0 && !s->cached) {
            cache_update(s);
        }
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

int ssl_get_client_cert_status(const ssl *s)
{
    return s != NULL ? s->c->client_cert : SSL_CLIENT_CERT_NOT_REQUESTED;
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

/* ---- sessions -------------------------------------------------------------------------------- */

/* ssl_session is the engine's pl_session under its public name. */
struct ssl_session {
    pl_session s;
};

ssl_session *ssl_get_session(const ssl *s)
{
    if (s == NULL || s->c->state != PL_ST_CONNECTED || s->c->session == NULL) {
        return NULL;
    }
    return (ssl_session *)pl_session_dup(s->c->session);
}

int ssl_set_session(ssl *s, const ssl_session *sess)
{
    if (s == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    if (s->c->state != PL_ST_INIT) {
        return SSL_ERR_BAD_STATE;
    }
    pl_session *copy = NULL;
    if (sess != NULL && (copy = pl_session_dup(&sess->s)) == NULL) {
        return SSL_ERR_NO_MEMORY;
    }
    pl_session_free(s->c->offer);
    s->c->offer = copy;
    s->session_set = 1;
    return SSL_OK;
}

int ssl_session_reused(const ssl *s)
{
    return s != NULL && s->c->resumed;
}

int ssl_get_session_refusal(const ssl *s)
{
    return s != NULL ? s->c->offer_refused : SSL_ERR_INVALID_ARGUMENT;
}

void ssl_session_free(ssl_session *sess)
{
    pl_session_free(sess != NULL ? &sess->s : NULL);
}

int ssl_session_save(const ssl_session *sess, void *buf, size_t cap, size_t *len)
{
    if (sess == NULL || len == NULL) {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    if (buf == NULL) {
        *len = pl_session_saved_len(&sess->s);
        return SSL_OK;
    }
    return pl_session_save(&sess->s, buf, cap, len);
}

ssl_session *ssl_session_load(const void *buf, size_t len, int *err)
{
    pl_session *s = NULL;
    int rc = pl_session_load(&s, buf, len);
    if (err != NULL) {
        *err = rc;
    }
    return (ssl_session *)s;
}

int64_t ssl_session_get_expiry(const ssl_session *sess)
{
    return sess != NULL ? sess->s.expires : 0;
}

const char *ssl_session_get_hostname(const ssl_session *sess)
{
    return sess != NULL ? sess->s.host : NULL;
}
