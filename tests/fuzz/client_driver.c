/* The client fuzz targets' shared driver (see client_driver.h). Linked into each of them; not a
 * target itself (those are fuzz_*.c). */
#include "client_driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- fixed randomness ------------------------------------------------------------------------ */

static uint64_t rng_state[2];
static enum driver_party rng_party;

void driver_rng_restart(uint64_t client_seed, uint64_t server_seed)
{
    rng_state[DRIVER_CLIENT] = client_seed;
    rng_state[DRIVER_SERVER] = server_seed;
    rng_party = DRIVER_CLIENT;
}

void driver_rng_use(enum driver_party party)
{
    rng_party = party;
}

int pl_random(void *out, size_t len)
{
    uint8_t *p = out;
    while (len > 0) {
        uint64_t z = (rng_state[rng_party] += 0x9e3779b97f4a7c15u);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
        z ^= z >> 31;
        size_t n = len < 8 ? len : 8;
        memcpy(p, &z, n);
        p += n;
        len -= n;
    }
    return 0;
}

/* ---- fixtures and the client ----------------------------------------------------------------- */

pl_x509_store driver_anchors;

void driver_init(void)
{
    pl_slice root = driver_fixture("root");
    pl_x509_store_init(&driver_anchors);
    if (pl_x509_store_add_der(&driver_anchors, root.ptr, root.len) != 0) {
        abort();
    }
}

void driver_free(void)
{
    pl_x509_store_free(&driver_anchors);
}

pl_slice driver_fixture(const char *name)
{
    pl_slice s = tts_fixture_find(name);
    if (s.ptr == NULL) {
        abort();
    }
    return s;
}

pl_slice driver_client_fixture(const char *name)
{
    pl_slice s = tts_client_fixture_find(name);
    if (s.ptr == NULL) {
        abort();
    }
    return s;
}

void driver_load_key(pl_private_key *key, const char *name)
{
    pl_slice pem = driver_fixture(name);
    if (pl_key_load_private_pem(key, pem.ptr, pem.len) != 0) {
        abort();
    }
}

void driver_config(pl_client_config *cfg)
{
    pl_client_config_defaults(cfg);
    cfg->anchors = &driver_anchors;
    cfg->verify_time = tts_fixture_time;
}

size_t driver_chunk(uint8_t control)
{
    static const size_t chunk_sizes[8] = {0, 1, 2, 3, 7, 64, 512, 4096};
    return chunk_sizes[control & 7];
}

static void trace_sink(void *user, const char *line)
{
    size_t *n = user;
    *n += strlen(line);
}

pl_client *driver_start(const pl_client_config *cfg, int trace, size_t *traced, const char *host,
                        const pl_session *offer)
{
    pl_client *c = pl_client_new(cfg);
    if (c == NULL) {
        abort();
    }
    if (trace) {
        c->trace.cb = trace_sink;
        c->trace.user = traced;
    }
    if (offer != NULL) {
        c->offer = pl_session_dup(offer);
        if (c->offer == NULL) {
            abort();
        }
    }
    if (pl_client_set_host(c, host) != 0 || pl_client_start(c) != 0) {
        abort();
    }
    return c;
}

/* ---- running the client ---------------------------------------------------------------------- */

void driver_drain(pl_client *c)
{
    pl_client_out_done(c, pl_client_out(c).len);
}

static int step(pl_client *c, struct driver_outcome *oc)
{
    static uint8_t buf[4096];
    if (c->state != PL_ST_CONNECTED) {
        int rc = pl_client_handshake(c);
        if (rc != 0) {
            return rc;
        }
        oc->connected = 1;
        oc->resumed = c->resumed;
        oc->kept_session = c->session != NULL;
        static const uint8_t request[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
        if (pl_client_write(c, request, sizeof request - 1) < 0) {
            return c->error != 0 ? c->error : SSL_ERR_INTERNAL;
        }
    }
    for (;;) {
        long n = pl_client_read(c, buf, sizeof buf);
        if (n <= 0) {
            return (int)n;
        }
        oc->app_bytes += (size_t)n;
    }
}

struct driver_outcome driver_run(pl_client *c, size_t chunk, const uint8_t *data, size_t size)
{
    struct driver_outcome oc = {0, 0, 0, 0, 0};
    size_t pos = 0;
    driver_drain(c);
    int rc = SSL_ERR_WANT_READ;
    while (pos < size) {
        size_t room;
        uint8_t *dst = pl_client_in_room(c, &room);
        size_t n = size - pos;
        if (chunk != 0 && n > chunk) {
            n = chunk;
        }
        if (n > room) {
            n = room;
        }
        if (n == 0) {
            break;
        }
        memcpy(dst, data + pos, n);
        pl_client_in_add(c, n);
        pos += n;
        rc = step(c, &oc);
        driver_drain(c);
        if (rc != SSL_ERR_WANT_READ) {
            break;
        }
    }
    if (rc == SSL_ERR_WANT_READ) {
        pl_client_in_eof(c);
        rc = step(c, &oc);
    }
    oc.final = rc;
    static const uint8_t byte = 0;
    if (c->error != 0 &&
        (pl_client_handshake(c) != c->error || pl_client_write(c, &byte, 1) != c->error)) {
        abort();
    }
    return oc;
}

void driver_end(pl_client *c)
{
    (void)!pl_client_close(c);     /* closing is allowed either way */
    driver_drain(c);
    pl_client_free(c);
}

/* ---- making seeds ---------------------------------------------------------------------------- */

tts_server *driver_server_first_flight(pl_client *c, const tts_options *o, tts_buf *stream)
{
    driver_rng_use(DRIVER_SERVER);
    tts_server *s = tts_new(o);
    pl_slice out = pl_client_out(c);
    if (tts_recv(s, out.ptr, out.len) != 0 || tts_build_flight(s) != 0) {
        abort();
    }
    driver_drain(c);
    tts_frame(s, stream, 0);
    return s;
}

void driver_give_all(pl_client *c, const uint8_t *p, size_t len)
{
    size_t room;
    uint8_t *dst = pl_client_in_room(c, &room);
    if (room < len) {
        abort();
    }
    memcpy(dst, p, len);
    pl_client_in_add(c, len);
}

void driver_write_seed(const char *dir, const char *name, const uint8_t *control,
                       size_t control_len, const tts_buf *stream)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.bin", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(control, 1, control_len, f) != control_len ||
        fwrite(stream->ptr, 1, stream->len, f) != stream->len || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        abort();
    }
}
