/* handshake_bench: the client's work for a TLS 1.2 connection, padlock's client beside OpenSSL's
 * libssl client, against the same server (normally one local `openssl s_server -WWW`).
 *
 *   handshake_bench CLIENT handshakes N [options]   N full handshakes, each on a new connection
 *   handshake_bench CLIENT resumed N [options]      N resumed (abbreviated) handshakes, likewise
 *   handshake_bench CLIENT bulk PATH [options]       one connection, GET /PATH, read the body
 *   handshake_bench_heap CLIENT heap PATH [options]  heap of one connection (see below)
 *
 *   CLIENT      padlock or openssl
 *   --connect HOST:PORT   the server (default 127.0.0.1:4433)
 *   --cafile FILE         trust anchors (required); both clients verify chain and host name
 *   --name NAME           sent as SNI and checked against the certificate (default localhost)
 *   --cipher NAME         the one suite offered, by IANA name (default: the library's list)
 *   --group NAME          the one group offered: x25519, secp256r1, ... (default: the library's)
 *   --warmup K            handshakes, resumed: K untimed handshakes before the N timed ones
 *                         (default 0)
 *   --expect BYTES        bulk, heap: the body's size; stop there (otherwise read to the end)
 *
 * Each mode prints one line of name=value figures for tests/bench/handshake_bench.sh, which
 * makes the PKI, runs the server, runs both clients natively and under valgrind and prints the
 * table. Figures: CPU time of this process (CLOCK_PROCESS_CPUTIME_ID), so the server's work is
 * not counted; "handshakes" and "resumed" time connect-handshake-close_notify-free for each
 * connection, "bulk" times from the request to the body's last byte. Instruction counts come from
 * running these modes under callgrind: the whole process, with start-up cancelled by taking
 * differences between two runs (see the script).
 *
 * "resumed" makes one untimed full handshake and keeps its session, then makes the K warm-up
 * and N timed connections, each offering that same session (RFC 5246 §7.3, the abbreviated
 * handshake: ServerHello with the session's ID, then the server's ChangeCipherSpec and Finished
 * first; no certificate, no key exchange). The resumption is by session ID, from the server's
 * session cache: the script's `s_server -no_ticket` issues no tickets, the way many TLS 1.2
 * servers still run, and neither client's context caches sessions by itself. A connection the
 * server answers with a full handshake ends the program (exit 1): its figure would be a full
 * handshake's.
 *
 * "heap" needs handshake_bench_heap, the same program linked with a counting malloc
 * (heap_count.c). It makes two untimed connections first (each library caches things in its
 * context on first use), then measures a third: the peak of the bytes allocated during
 * ssl_new + handshake, the bytes still allocated once the handshake is done (the connection's
 * steady state), the peak and the bytes held while downloading PATH, and what is left after
 * the connection is freed (0 unless something leaks or stays cached). All relative to the bytes
 * allocated just before the connection was made, with the context already made.
 *
 * This is a program, not a test: it asserts nothing about speed. It exits 1 when a connection
 * fails (naming the library's reason), 2 for a usage error. */
#define _POSIX_C_SOURCE 200809L
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "handshake_bench.h"

#define READ_CHUNK 16384        /* one full TLS record */
#define HEADER_MAX 4096

typedef struct options {
    const hb_client *client;
    const char *mode;
    const char *arg;
    const char *host;
    const char *port;
    long warmup;
    long long expect;           /* -1: read until the server closes */
    hb_conf conf;
} options;

static double clock_seconds(clockid_t which)
{
    struct timespec ts;
    clock_gettime(which, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_now(void)
{
    return clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
}

static double wall_now(void)
{
    return clock_seconds(CLOCK_MONOTONIC);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: handshake_bench padlock|openssl handshakes N | resumed N | bulk PATH |\n"
            "       heap PATH\n"
            "       --cafile FILE [--connect HOST:PORT] [--name NAME] [--cipher IANA_NAME]\n"
            "       [--group NAME] [--warmup K] [--expect BYTES]\n");
    exit(2);
}

/* A TCP connection to the server, with Nagle off: both clients send their flights in several
 * writes, and a delayed ACK must not stall either. */
static int tcp_connect(const options *o)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res, *ai;
    int fd = -1, on = 1;
    int rc = getaddrinfo(o->host, o->port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "handshake_bench: %s:%s: %s\n", o->host, o->port, gai_strerror(rc));
        exit(1);
    }
    for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        fprintf(stderr, "handshake_bench: cannot connect to %s:%s\n", o->host, o->port);
        exit(1);
    }
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    return fd;
}

/* A connection with its handshake done, offering sess first unless it is NULL, the negotiated
 * suite checked against --cipher. */
static void *connect_verified(const options *o, void *ctx, int fd, void *sess)
{
    const hb_client *cl = o->client;
    void *conn = cl->conn_new(ctx, &o->conf, fd);
    if (conn == NULL || (sess != NULL && cl->session_set(conn, sess) != 0) ||
        cl->handshake(conn) != 0) {
        exit(1);
    }
    const char *suite = cl->cipher(conn);
    if (o->conf.cipher != NULL && (suite == NULL || strcmp(suite, o->conf.cipher) != 0)) {
        fprintf(stderr, "handshake_bench: %s negotiated %s, not %s\n", cl->name,
                suite != NULL ? suite : "(none)", o->conf.cipher);
        exit(1);
    }
    return conn;
}

/* One connection: connect, handshake (offering sess unless NULL), close_notify, free. With
 * sess, the handshake must have resumed it. With keep, returns the connection's session. */
static void *one_handshake(const options *o, void *ctx, void *sess, int keep)
{
    const hb_client *cl = o->client;
    void *kept = NULL;
    int fd = tcp_connect(o);
    void *conn = connect_verified(o, ctx, fd, sess);
    if (sess != NULL && !cl->session_reused(conn)) {
        const char *why = cl->session_refusal(conn);
        if (why != NULL) {
            fprintf(stderr, "handshake_bench: %s did not offer the session (%s): a full "
                            "handshake, not a resumed one\n", cl->name, why);
        } else {
            fprintf(stderr, "handshake_bench: %s offered the session but the server did a full "
                            "handshake, not a resumed one (is its session cache off?)\n",
                    cl->name);
        }
        exit(1);
    }
    if (keep && (kept = cl->session_get(conn)) == NULL) {
        exit(1);
    }
    cl->close(conn);
    cl->conn_free(conn);
    close(fd);
    return kept;
}

/* handshakes (sess NULL: each a full handshake) or resumed (each offering sess). */
static void run_handshakes(const options *o, void *ctx, long n, void *sess)
{
    for (long i = 0; i < o->warmup; i++) {
        (void)one_handshake(o, ctx, sess, 0);
    }
    double cpu = cpu_now(), wall = wall_now();
    for (long i = 0; i < n; i++) {
        (void)one_handshake(o, ctx, sess, 0);
    }
    cpu = cpu_now() - cpu;
    wall = wall_now() - wall;
    printf("%s client=%s n=%ld warmup=%ld cpu_us=%.1f wall_us=%.1f\n",
           sess != NULL ? "resumed" : "handshakes", o->client->name, n, o->warmup,
           cpu * 1e6 / (double)(n > 0 ? n : 1), wall * 1e6 / (double)(n > 0 ? n : 1));
}

/* One untimed full handshake for a session, then run_handshakes offering it each time. */
static void run_resumed(const options *o, void *ctx, long n)
{
    void *sess = one_handshake(o, ctx, NULL, 1);
    run_handshakes(o, ctx, n, sess);
    o->client->session_free(sess);
}

/* GET /PATH from `openssl s_server -WWW` (HTTP/1.0: the body runs to the end of the stream) and
 * read the body into one reused buffer, stopping after --expect bytes when given. Returns the
 * body's length. The status line must say 200. */
static long long download(const options *o, void *conn)
{
    static char buf[READ_CHUNK];
    char header[HEADER_MAX + 1], request[1024];
    size_t header_len = 0;
    long long body = 0;
    int in_body = 0;
    int len = snprintf(request, sizeof request, "GET /%s HTTP/1.0\r\n\r\n", o->arg);
    if (len < 0 || (size_t)len >= sizeof request) {
        fprintf(stderr, "handshake_bench: path too long\n");
        exit(2);
    }
    if (o->client->write(conn, request, (size_t)len) < 0) {
        exit(1);
    }
    while (o->expect < 0 || !in_body || body < o->expect) {
        long n = o->client->read(conn, buf, sizeof buf);
        if (n < 0) {
            exit(1);
        }
        if (n == 0) {
            break;
        }
        if (in_body) {
            body += n;
            continue;
        }
        /* Still in the HTTP header: keep it until its blank line. */
        size_t take = (size_t)n < HEADER_MAX - header_len ? (size_t)n : HEADER_MAX - header_len;
        memcpy(header + header_len, buf, take);
        header_len += take;
        header[header_len] = '\0';
        char *end = strstr(header, "\r\n\r\n");
        if (end == NULL) {
            if (header_len == HEADER_MAX) {
                fprintf(stderr, "handshake_bench: no end of the HTTP header in %d bytes\n",
                        HEADER_MAX);
                exit(1);
            }
            continue;
        }
        if (strncmp(header, "HTTP/1.0 200", 12) != 0 && strncmp(header, "HTTP/1.1 200", 12) != 0) {
            fprintf(stderr, "handshake_bench: GET /%s: %.*s\n", o->arg,
                    (int)strcspn(header, "\r\n"), header);
            exit(1);
        }
        in_body = 1;
        /* Bytes of this read past the header: everything read so far minus the header. */
        body = (long long)((size_t)n - ((size_t)(end + 4 - header) - (header_len - take)));
    }
    if (o->expect >= 0 && body != o->expect) {
        fprintf(stderr, "handshake_bench: GET /%s: %lld body bytes, expected %lld\n", o->arg,
                body, o->expect);
        exit(1);
    }
    return body;
}

static void run_bulk(const options *o, void *ctx)
{
    int fd = tcp_connect(o);
    void *conn = connect_verified(o, ctx, fd, NULL);
    double cpu = cpu_now(), wall = wall_now();
    long long bytes = download(o, conn);
    cpu = cpu_now() - cpu;
    wall = wall_now() - wall;
    o->client->close(conn);
    o->client->conn_free(conn);
    close(fd);
    printf("bulk client=%s bytes=%lld cpu_ns_per_byte=%.3f cpu_mb_per_s=%.1f wall_s=%.3f\n",
           o->client->name, bytes, bytes > 0 ? cpu * 1e9 / (double)bytes : 0.0,
           cpu > 0 ? (double)bytes / cpu / 1e6 : 0.0, wall);
}

static long kib_tenths(size_t bytes)
{
    return (long)((bytes * 10 + 512) / 1024);
}

static void run_heap(const options *o, void *ctx)
{
    if (!hb_heap_counting) {
        fprintf(stderr, "handshake_bench: heap needs handshake_bench_heap (the counting "
                        "allocator)\n");
        exit(2);
    }
    for (int i = 0; i < 2; i++) {   /* fill whatever each library caches on first use */
        int fd = tcp_connect(o);
        void *conn = connect_verified(o, ctx, fd, NULL);
        (void)download(o, conn);
        o->client->close(conn);
        o->client->conn_free(conn);
        close(fd);
    }
    int fd = tcp_connect(o);
    size_t base = hb_heap_live();
    hb_heap_reset_peak();
    void *conn = connect_verified(o, ctx, fd, NULL);
    size_t hs_peak = hb_heap_peak() - base, steady = hb_heap_live() - base;
    hb_heap_reset_peak();
    (void)download(o, conn);
    size_t data_peak = hb_heap_peak() - base, after_data = hb_heap_live() - base;
    o->client->close(conn);
    o->client->conn_free(conn);
    close(fd);
    long left = (long)hb_heap_live() - (long)base;
    printf("heap client=%s handshake_peak=%zu steady=%zu data_peak=%zu after_data=%zu "
           "after_free=%ld\n", o->client->name, hs_peak, steady, data_peak, after_data, left);
    fprintf(stderr, "%s: peak %ld.%ld KiB during the handshake, %ld.%ld KiB after it\n",
            o->client->name, kib_tenths(hs_peak) / 10, kib_tenths(hs_peak) % 10,
            kib_tenths(steady) / 10, kib_tenths(steady) % 10);
}

static void parse_args(int argc, char **argv, options *o)
{
    static char hostport[256];
    const char *connect_to = "127.0.0.1:4433";
    if (argc < 4) {
        usage();
    }
    if (strcmp(argv[1], "padlock") == 0) {
        o->client = &hb_padlock;
    } else if (strcmp(argv[1], "openssl") == 0) {
        o->client = &hb_openssl;
    } else {
        usage();
    }
    o->mode = argv[2];
    o->arg = argv[3];
    o->conf.name = "localhost";
    o->expect = -1;
    for (int i = 4; i < argc; i++) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (val == NULL) {
            usage();
        }
        i++;
        if (strcmp(opt, "--connect") == 0) {
            connect_to = val;
        } else if (strcmp(opt, "--cafile") == 0) {
            o->conf.cafile = val;
        } else if (strcmp(opt, "--name") == 0) {
            o->conf.name = val;
        } else if (strcmp(opt, "--cipher") == 0) {
            o->conf.cipher = val;
        } else if (strcmp(opt, "--group") == 0) {
            o->conf.group = val;
        } else if (strcmp(opt, "--warmup") == 0) {
            o->warmup = atol(val);
        } else if (strcmp(opt, "--expect") == 0) {
            o->expect = atoll(val);
        } else {
            usage();
        }
    }
    /* HOST:PORT, the port after the last colon ([::1]:443 keeps its brackets off). */
    const char *colon = strrchr(connect_to, ':');
    if (o->conf.cafile == NULL || colon == NULL || strlen(connect_to) >= sizeof hostport) {
        usage();
    }
    memcpy(hostport, connect_to, strlen(connect_to) + 1);
    hostport[colon - connect_to] = '\0';
    o->host = hostport;
    o->port = hostport + (colon - connect_to) + 1;
    if (o->host[0] == '[') {
        o->host++;
        hostport[strlen(hostport) - 1] = '\0';
    }
}

int main(int argc, char **argv)
{
    options o = {0};
    parse_args(argc, argv, &o);
    void *ctx = o.client->ctx_new(&o.conf);
    if (ctx == NULL) {
        return 1;
    }
    if (strcmp(o.mode, "handshakes") == 0) {
        run_handshakes(&o, ctx, atol(o.arg), NULL);
    } else if (strcmp(o.mode, "resumed") == 0) {
        run_resumed(&o, ctx, atol(o.arg));
    } else if (strcmp(o.mode, "bulk") == 0) {
        run_bulk(&o, ctx);
    } else if (strcmp(o.mode, "heap") == 0) {
        run_heap(&o, ctx);
    } else {
        usage();
    }
    o.client->ctx_free(ctx);
    return 0;
}
