/* https_multi: fetch many URLs over HTTPS at once, from one thread, with non-blocking sockets
 * and one poll(2) loop driving every padlock connection by SSL_WANT_READ / SSL_WANT_WRITE.
 *
 *   https_multi [options] URL...
 *
 * This is the program to copy from for event-loop use: it uses only the public header
 * <padlock/ssl.h> and POSIX. It is also a test driver (tests/multi), so its command line and
 * its output are a contract: keep the flags, the output lines and the exit statuses stable.
 *
 * Each URL is https://HOST[:PORT][/PATH][?QUERY], as for https_get: HOST is a DNS name, an IPv4
 * address or an IPv6 address in brackets; PORT defaults to 443, PATH to "/"; a #fragment is
 * never sent. A malformed URL is a usage error, found before anything is fetched. URLs are
 * numbered from 0 in the order given (the lines of a --urls file count where the option
 * stands).
 *
 * Options (each "--name VALUE" may also be written "--name=VALUE"):
 *   --cafile FILE        trust anchors: the certificates of this PEM file (default: the system
 *                        bundle, which the context loads by itself)
 *   --connect HOST:PORT  make every TCP connection there ([V6]:PORT for IPv6) but still send
 *                        SNI for, and check the certificate against, each URL's host
 *   --urls FILE          also fetch the URLs in FILE, one a line ("-": standard input); empty
 *                        lines and lines starting with '#' are skipped
 *   --out DIR            write the body of URL number I to DIR/I.body (DIR must exist); the
 *                        file of a URL that failed is removed
 *   --max N              at most N connections open at once (default 256, 1..65536; fewer when
 *                        the open-file limit cannot hold that many)
 *   --timeout SECONDS    overall deadline for everything (default 60, 1..86400): when it
 *                        passes, every URL not finished yet fails with "timed out"
 *   -h, --help           print this summary on stdout and exit 0
 *
 * Each connection goes: a non-blocking TCP connect (writable, then SO_ERROR says how it went;
 * the next address of the name is tried when it failed), the TLS handshake, the request
 * "GET PATH HTTP/1.1" with Host, User-Agent and "Connection: close", then the response. Every
 * socket is O_NONBLOCK and the only wait is the one poll(2). Names are resolved with
 * getaddrinfo, which blocks (POSIX has no other resolver): each distinct HOST:PORT once, when
 * its first connection starts; with --connect only that address, once, before anything else.
 *
 * HTTP. The response may be HTTP/1.0 or HTTP/1.1; its status must be 2xx. The header block may
 * be at most 16 KiB and 100 fields. The body is: none for 204 and 304; Content-Length bytes when
 * that field is present; else everything up to the server's close_notify. A response with
 * Transfer-Encoding (chunked) is not supported: that URL fails and says so.
 *
 * Truncation. A body is complete only when its framing says so: all Content-Length bytes (then
 * close_notify is not waited for), or -- for a body delimited by the end of the connection --
 * the server's close_notify. An attacker can close a TCP connection at will but cannot forge
 * close_notify, so a response that ends without it (SSL_ERR_TRUNCATED) before its framing is
 * complete is a failure.
 *
 * Output. One line per URL on stdout, in the order the URLs finish:
 *   I OK BYTES           the body (BYTES long) arrived whole with a 2xx status
 *   I FAIL REASON        what went wrong, on one line of printable ASCII
 * Nothing else goes to stdout; warnings go to stderr.
 *
 * Exit status: 0 when every URL succeeded, 1 when one or more failed (or a local failure such
 * as out of memory), 2 for a usage error (bad option, URL, unreadable --urls or --cafile file,
 * missing --out directory).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <padlock/ssl.h>

#define DEFAULT_MAX 256         /* connections open at once */
#define MAX_MAX 65536
#define DEFAULT_TIMEOUT 60      /* seconds, for everything */
#define MAX_TIMEOUT 86400       /* a day: also keeps the value in milliseconds inside an int */
#define MAX_URL 8192            /* longer URLs are refused rather than sent */
#define HOST_MAX 256            /* a DNS name is at most 253 characters */
#define HEAD_MAX 16384          /* bytes of one response header block */
#define FIELDS_MAX 100          /* header fields in one response */
#define REASON_MAX 240          /* characters of a FAIL line's reason */
#define FDS_RESERVED 16         /* descriptors kept for stdio, the CA file, --urls ... */

enum exit_status {
    EXIT_ALL_OK = 0,
    EXIT_SOME_FAILED = 1,
    EXIT_USAGE = 2,
};

/* Where to connect: the host as getaddrinfo and ssl_set_hostname want it (no brackets). */
struct endpoint {
    char host[HOST_MAX];
    int bracketed;              /* an IPv6 literal, written [V6] in URLs and Host headers */
    unsigned port;
};

struct url {
    struct endpoint server;
    const char *path;           /* into the URL text: from the first '/' or '?' up to '#' */
    size_t path_len;            /* 0: the path is "/" */
};

/* A name resolved once for every connection that needs it. */
struct resolved {
    char host[HOST_MAX];
    unsigned port;
    struct addrinfo *list;      /* NULL when resolution failed ... */
    char error[HOST_MAX + 128]; /* ... and why */
};

/* Where a URL's fetch stands. */
enum stage {
    STAGE_QUEUED,               /* not started */
    STAGE_CONNECTING,           /* TCP connect in flight: waiting for writable */
    STAGE_HANDSHAKE,            /* ssl_connect */
    STAGE_REQUEST,              /* ssl_write of the request */
    STAGE_RESPONSE,             /* ssl_read until the body is complete */
    STAGE_DONE,                 /* the result line was printed */
};

struct job {
    size_t index;
    char *text;                 /* the URL as given (owned) */
    struct url url;
    enum stage stage;
    const struct addrinfo *ai;  /* the address being tried; later ones are the fallbacks */
    int fd;                     /* -1 when closed */
    short events;               /* what poll waits for on fd */
    ssl *s;
    char *request;              /* the whole request (owned while it is being sent) */
    size_t request_len;
    char *head;                 /* the response head as it arrives (HEAD_MAX + 1 bytes) */
    size_t head_len;
    int head_done;
    int status;
    int has_length;             /* Content-Length was given ... */
    uint64_t length;            /* ... with this value */
    uint64_t body_len;          /* body bytes received so far */
    int out_fd;                 /* DIR/I.body, or -1 */
};

struct options {
    const char *cafile;
    const char *connect_to;
    const char *out_dir;
    size_t max;
    int timeout;                /* seconds */
};

/* Everything the loop works on. */
struct multi {
    struct options opt;
    ssl_ctx *ctx;
    struct job *jobs;
    size_t n_jobs;
    size_t jobs_cap;
    struct resolved *names;     /* the resolution cache */
    size_t n_names;
    size_t names_cap;
    int use_connect;            /* --connect was given: names[0] is its address */
    size_t failed;
};

/* ---- messages ------------------------------------------------------------------------------ */

__attribute__((format(printf, 1, 2)))
static _Noreturn void usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("https_multi: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see https_multi --help)\n", stderr);
    exit(EXIT_USAGE);
}

__attribute__((format(printf, 1, 2)))
static _Noreturn void fatal(const char *fmt, ...)
{
    va_list ap;
    fputs("https_multi: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(EXIT_SOME_FAILED);
}

static void help(void)
{
    fputs(
        "usage: https_multi [options] URL...\n"
        "Fetch the URLs (https://HOST[:PORT][/PATH][?QUERY]) over HTTPS (TLS 1.2, padlock),\n"
        "all at once, from one thread with non-blocking sockets and one poll() loop.\n"
        "\n"
        "  --cafile FILE        trust the certificates in this PEM file (default: system bundle)\n"
        "  --connect HOST:PORT  make every connection there ([V6]:PORT for IPv6); SNI and the\n"
        "                       name checked stay each URL's host\n"
        "  --urls FILE          also fetch the URLs in FILE, one a line (\"-\": stdin; empty and\n"
        "                       '#' lines skipped)\n"
        "  --out DIR            write the body of URL number I (from 0) to DIR/I.body\n"
        "  --max N              at most N connections at once (default 256)\n"
        "  --timeout SECONDS    overall deadline (default 60); unfinished URLs then fail\n"
        "  -h, --help           print this help\n"
        "\n"
        "Output: one line per URL, as each finishes: \"I OK BYTES\" or \"I FAIL REASON\".\n"
        "A body must be 2xx and whole: all its Content-Length bytes, or ended by the server's\n"
        "close_notify. Chunked responses are not supported (that URL fails).\n"
        "\n"
        "Exit status: 0 every URL succeeded; 1 one or more failed; 2 usage error.\n",
        stdout);
}

/* ---- small parsers ------------------------------------------------------------------------- */

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* ASCII case-insensitive equality of a (n bytes) and the C string b. */
static int ascii_ieq_n(const char *a, size_t n, const char *b)
{
    for (size_t i = 0; i < n; i++, b++) {
        int ca = (a[i] >= 'A' && a[i] <= 'Z') ? a[i] - 'A' + 'a' : a[i];
        int cb = (*b >= 'A' && *b <= 'Z') ? *b - 'A' + 'a' : *b;
        if (*b == '\0' || ca != cb) {
            return 0;
        }
    }
    return *b == '\0';
}

/* n bytes of decimal digits and nothing else, at most max. 0, or -1. */
static int parse_decimal_n(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i])) {
            return -1;                  /* no sign, no space, no "0x": only digits */
        }
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (max - d) / 10) {
            return -1;                  /* v * 10 + d would pass max (or overflow) */
        }
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* HOST[:PORT] or [V6][:PORT], len bytes of s, into ep. Without a port, default_port (0: the
 * port is required). NULL, or what is wrong. */
static const char *parse_host_port(const char *s, size_t len, unsigned default_port,
                                   struct endpoint *ep)
{
    const char *host = s;
    size_t host_len;
    const char *rest;
    if (len > 0 && s[0] == '[') {
        const char *close_br = memchr(s, ']', len);
        if (close_br == NULL) {
            return "'[' without ']'";
        }
        host = s + 1;
        host_len = (size_t)(close_br - host);
        rest = close_br + 1;
        if (memchr(host, ':', host_len) == NULL) {
            return "only an IPv6 address goes in brackets";
        }
        ep->bracketed = 1;
    } else {
        const char *colon = memchr(s, ':', len);
        if (colon != NULL && memchr(colon + 1, ':', len - (size_t)(colon + 1 - s)) != NULL) {
            return "an IPv6 address goes in brackets, e.g. [::1]:443";
        }
        host_len = colon != NULL ? (size_t)(colon - s) : len;
        rest = s + host_len;
        ep->bracketed = 0;
    }
    size_t rest_len = len - (size_t)(rest - s);
    if (host_len == 0) {
        return "no host";
    }
    if (host_len >= sizeof ep->host) {
        return "host name too long";
    }
    memcpy(ep->host, host, host_len);
    ep->host[host_len] = '\0';
    if (rest_len == 0) {
        if (default_port == 0) {
            return "no port (want HOST:PORT)";
        }
        ep->port = default_port;
        return NULL;
    }
    uint64_t port;
    if (rest[0] != ':') {
        return "unexpected text after the host";
    }
    if (parse_decimal_n(rest + 1, rest_len - 1, 65535, &port) != 0 || port == 0) {
        return "bad port";
    }
    ep->port = (unsigned)port;
    return NULL;
}

/* https://HOST[:PORT][/PATH][?QUERY][#FRAGMENT] into u. NULL, or what is wrong. */
static const char *parse_url(const char *text, struct url *u)
{
    static const char scheme[] = "https://";
    size_t text_len = strlen(text);
    if (text_len > MAX_URL) {
        return "too long";
    }
    /* Refusing spaces and control characters keeps the request line and the Host header one
     * line each (no CR LF smuggled into the request). */
    for (size_t i = 0; i < text_len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c <= 0x20 || c >= 0x7f) {
            return "contains a space, a control or a non-ASCII character (percent-encode it)";
        }
    }
    size_t i;
    for (i = 0; i < sizeof scheme - 1; i++) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');  /* the scheme is case-insensitive (RFC 3986 §3.1) */
        }
        if (c != scheme[i]) {
            return "not an https:// URL";
        }
    }
    const char *authority = text + i;
    size_t authority_len = strcspn(authority, "/?#");
    if (memchr(authority, '@', authority_len) != NULL) {
        return "user information (USER@HOST) is not supported";
    }
    const char *err = parse_host_port(authority, authority_len, 443, &u->server);
    if (err != NULL) {
        return err;
    }
    u->path = authority + authority_len;
    u->path_len = strcspn(u->path, "#");    /* the fragment stays with the client */
    return NULL;
}

/* ---- the command line ---------------------------------------------------------------------- */

/* argv[*i] as "--name VALUE" or "--name=VALUE": the value, or NULL when it is another option. */
static const char *option_value(const char *name, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0) {
        return NULL;
    }
    if (arg[n] == '=') {
        return arg + n + 1;
    }
    if (arg[n] != '\0') {
        return NULL;                    /* a longer option that starts the same */
    }
    if (*i + 1 >= argc) {
        usage_error("%s needs a value", name);
    }
    *i += 1;
    return argv[*i];
}

static void add_url(struct multi *m, const char *text, size_t len)
{
    if (m->n_jobs == m->jobs_cap) {
        size_t cap = m->jobs_cap == 0 ? 64 : m->jobs_cap * 2;
        struct job *jobs = realloc(m->jobs, cap * sizeof *jobs);
        if (jobs == NULL) {
            fatal("out of memory");
        }
        m->jobs = jobs;
        m->jobs_cap = cap;
    }
    struct job *j = &m->jobs[m->n_jobs];
    memset(j, 0, sizeof *j);
    j->index = m->n_jobs;
    j->fd = -1;
    j->out_fd = -1;
    j->text = malloc(len + 1);
    if (j->text == NULL) {
        fatal("out of memory");
    }
    memcpy(j->text, text, len);
    j->text[len] = '\0';
    const char *err = parse_url(j->text, &j->url);
    if (err != NULL) {
        usage_error("URL %zu (%.200s): %s", j->index, j->text, err);
    }
    m->n_jobs++;
}

/* The URLs of a --urls file, one a line. */
static void add_url_file(struct multi *m, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (f == NULL) {
        usage_error("--urls %s: %s", path, strerror(errno));
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) >= 0) {
        size_t len = (size_t)n;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
            len--;
        }
        if (len == 0 || line[0] == '#') {
            continue;
        }
        if (len > MAX_URL) {
            usage_error("--urls %s: a line longer than %d bytes", path, MAX_URL);
        }
        add_url(m, line, len);
    }
    int read_error = ferror(f);
    free(line);
    if (f != stdin) {
        fclose(f);
    }
    if (read_error) {
        usage_error("--urls %s: read error", path);
    }
}

static void parse_args(int argc, char **argv, struct multi *m)
{
    struct options *o = &m->opt;
    o->max = DEFAULT_MAX;
    o->timeout = DEFAULT_TIMEOUT;
    int options_done = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v;
        uint64_t number;
        if (options_done || a[0] != '-' || a[1] == '\0') {
            add_url(m, a, strlen(a));
        } else if (strcmp(a, "--") == 0) {
            options_done = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            help();
            exit(EXIT_ALL_OK);
        } else if ((v = option_value("--cafile", argc, argv, &i)) != NULL) {
            o->cafile = v;
        } else if ((v = option_value("--connect", argc, argv, &i)) != NULL) {
            o->connect_to = v;
        } else if ((v = option_value("--out", argc, argv, &i)) != NULL) {
            o->out_dir = v;
        } else if ((v = option_value("--urls", argc, argv, &i)) != NULL) {
            add_url_file(m, v);
        } else if ((v = option_value("--max", argc, argv, &i)) != NULL) {
            if (parse_decimal_n(v, strlen(v), MAX_MAX, &number) != 0 || number == 0) {
                usage_error("--max wants a number from 1 to %d, not \"%s\"", MAX_MAX, v);
            }
            o->max = (size_t)number;
        } else if ((v = option_value("--timeout", argc, argv, &i)) != NULL) {
            if (parse_decimal_n(v, strlen(v), MAX_TIMEOUT, &number) != 0 || number == 0) {
                usage_error("--timeout wants whole seconds from 1 to %d, not \"%s\"",
                            MAX_TIMEOUT, v);
            }
            o->timeout = (int)number;   /* number <= MAX_TIMEOUT */
        } else {
            usage_error("unknown option %s", a);
        }
    }
    if (m->n_jobs == 0) {
        usage_error("no URL given");
    }
    if (o->out_dir != NULL) {
        struct stat st;
        if (stat(o->out_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            usage_error("--out %s: not a directory", o->out_dir);
        }
    }
}

/* Each open connection holds a socket, and with --out a file: make room for max of them under
 * the open-file limit, raising the soft limit when the hard one allows, else lowering max. */
static void fit_descriptor_limit(struct options *o)
{
    rlim_t per_job = o->out_dir != NULL ? 2 : 1;
    rlim_t want = (rlim_t)o->max * per_job + FDS_RESERVED;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
        rl.rlim_cur >= want) {
        return;
    }
    if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want) {
        rl.rlim_cur = want;
    } else {
        rl.rlim_cur = rl.rlim_max;
    }
    (void)setrlimit(RLIMIT_NOFILE, &rl);
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want) {
        return;
    }
    size_t fit = rl.rlim_cur > FDS_RESERVED + per_job
                     ? (size_t)((rl.rlim_cur - FDS_RESERVED) / per_job) : 1;
    fprintf(stderr, "https_multi: the open-file limit allows %zu connections at once, not %zu\n",
            fit, o->max);
    o->max = fit;
}

/* ---- time ---------------------------------------------------------------------------------- */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- finishing a URL ----------------------------------------------------------------------- */

static void release(struct job *j)
{
    if (j->s != NULL) {
        ssl_free(j->s);
        j->s = NULL;
    }
    if (j->fd >= 0) {
        close(j->fd);
        j->fd = -1;
    }
    if (j->out_fd >= 0) {
        close(j->out_fd);
        j->out_fd = -1;
    }
    free(j->request);
    j->request = NULL;
    free(j->head);
    j->head = NULL;
    j->stage = STAGE_DONE;
}

static void body_path(const struct multi *m, const struct job *j, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%zu.body", m->opt.out_dir, j->index);
}

/* The URL failed: "I FAIL REASON", with the reason made one line of printable ASCII (it may
 * quote the server). Its body file, if any, is removed. */
__attribute__((format(printf, 3, 4)))
static void fail_job(struct multi *m, struct job *j, const char *fmt, ...)
{
    char raw[REASON_MAX + 1];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    for (char *p = raw; *p != '\0'; p++) {
        if (*p < 0x20 || *p >= 0x7f) {
            *p = '?';
        }
    }
    int had_file = j->out_fd >= 0;
    release(j);
    if (had_file) {
        char path[4096];
        body_path(m, j, path, sizeof path);
        (void)unlink(path);
    }
    printf("%zu FAIL %s\n", j->index, raw);
    m->failed++;
}

/* The URL succeeded once its body file (if any) is safely closed. */
static void finish_job(struct multi *m, struct job *j)
{
    if (j->out_fd >= 0) {
        int rc = close(j->out_fd);
        j->out_fd = -1;
        if (rc != 0) {
            char path[4096];
            body_path(m, j, path, sizeof path);
            int err = errno;
            (void)unlink(path);
            fail_job(m, j, "cannot write %s: %s", path, strerror(err));
            return;
        }
    }
    /* Our close_notify is a courtesy: sent if the socket takes it now, never waited for. */
    (void)ssl_close(j->s);
    release(j);
    printf("%zu OK %" PRIu64 "\n", j->index, j->body_len);
}

/* A padlock call failed: its own words for the cause. */
static void fail_tls(struct multi *m, struct job *j, int rc, const char *what)
{
    const char *detail = ssl_get_error_detail(j->s);
    fail_job(m, j, "%s: %s", what, detail[0] != '\0' ? detail : ssl_error_string(rc));
}

/* rc from ssl_*: when it asks for the network, set what poll waits for and say so. */
static int wants(struct job *j, long rc)
{
    if (rc == SSL_WANT_READ) {
        j->events = POLLIN;
        return 1;
    }
    if (rc == SSL_WANT_WRITE) {
        j->events = POLLOUT;
        return 1;
    }
    return 0;
}

/* ---- the response -------------------------------------------------------------------------- */

/* Body bytes: counted, written to the --out file, and the URL finished when a Content-Length
 * body is complete. 0 to go on reading, 1 when the job is finished (either way). */
static int take_body(struct multi *m, struct job *j, const char *p, size_t n)
{
    if (j->has_length && n > j->length - j->body_len) {
        fail_job(m, j, "the server sent more than its Content-Length of %" PRIu64 " bytes",
                 j->length);
        return 1;
    }
    j->body_len += n;
    while (j->out_fd >= 0 && n > 0) {
        ssize_t w = write(j->out_fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            char path[4096];
            body_path(m, j, path, sizeof path);
            fail_job(m, j, "cannot write %s: %s", path, w < 0 ? strerror(errno) : "no progress");
            return 1;
        }
        p += w;
        n -= (size_t)w;
    }
    if (j->has_length && j->body_len == j->length) {
        finish_job(m, j);
        return 1;
    }
    return 0;
}

/* One header field "NAME: VALUE" (len bytes, no CR LF). NULL, or what is wrong. */
static const char *parse_field(struct job *j, const char *line, size_t len)
{
    const char *colon = memchr(line, ':', len);
    if (colon == NULL || colon == line) {
        return "a header line without a field name";
    }
    size_t name_len = (size_t)(colon - line);
    for (size_t i = 0; i < name_len; i++) {
        if (line[i] == ' ' || line[i] == '\t') {
            return "whitespace in a header field name";     /* RFC 9112 §5.1 */
        }
    }
    const char *v = colon + 1;
    size_t v_len = len - name_len - 1;
    while (v_len > 0 && (v[0] == ' ' || v[0] == '\t')) {
        v++;
        v_len--;
    }
    while (v_len > 0 && (v[v_len - 1] == ' ' || v[v_len - 1] == '\t')) {
        v_len--;
    }
    if (ascii_ieq_n(line, name_len, "transfer-encoding")) {
        return "Transfer-Encoding (chunked) responses are not supported";
    }
    if (ascii_ieq_n(line, name_len, "content-length")) {
        uint64_t length;
        if (parse_decimal_n(v, v_len, UINT64_MAX, &length) != 0) {
            return "a bad Content-Length";
        }
        if (j->has_length && length != j->length) {
            return "two different Content-Lengths";        /* RFC 9112 §6.3 item 5 */
        }
        j->has_length = 1;
        j->length = length;
    }
    return NULL;
}

/* The head (status line and fields, head_len bytes ending in an empty line). NULL, or what is
 * wrong. */
static const char *parse_head(struct job *j)
{
    const char *p = j->head;
    const char *end = j->head + j->head_len;
    size_t fields = 0;
    for (int first = 1;; first = 0) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL) {
            return "a header line without its end";
        }
        size_t len = (size_t)(nl - p);
        if (len > 0 && p[len - 1] == '\r') {
            len--;
        }
        if (first) {
            /* RFC 9112 §4: HTTP-version SP status-code SP [reason-phrase] */
            uint64_t status;
            if (len < 12 || memcmp(p, "HTTP/1.", 7) != 0 || !is_digit(p[7]) || p[8] != ' ' ||
                parse_decimal_n(p + 9, 3, 999, &status) != 0 || (len > 12 && p[12] != ' ')) {
                return "not an HTTP/1.x status line";
            }
            j->status = (int)status;
        } else if (len == 0) {
            return NULL;                                    /* the empty line: the end */
        } else if (p[0] == ' ' || p[0] == '\t') {
            return "obsolete header line folding";
        } else {
            if (++fields > FIELDS_MAX) {
                return "more than 100 header fields";
            }
            const char *err = parse_field(j, p, len);
            if (err != NULL) {
                return err;
            }
        }
        p = nl + 1;
    }
}

/* Where the head ends in buf[0..len): the index after the empty line, or 0 when not yet. */
static size_t head_end(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != '\n') {
            continue;
        }
        if (i + 1 < len && buf[i + 1] == '\n') {
            return i + 2;
        }
        if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
            return i + 3;
        }
    }
    return 0;
}

/* Plaintext from ssl_read: the head first, then body. 0 to go on, 1 when the job finished. */
static int take_bytes(struct multi *m, struct job *j, const char *p, size_t n)
{
    if (j->head_done) {
        return take_body(m, j, p, n);
    }
    size_t room = HEAD_MAX - j->head_len;
    size_t copy = n < room ? n : room;
    /* The end may straddle two reads: search again from a little before the new bytes. */
    size_t from = j->head_len > 3 ? j->head_len - 3 : 0;
    memcpy(j->head + j->head_len, p, copy);
    j->head_len += copy;
    size_t end = head_end(j->head + from, j->head_len - from);
    if (end == 0) {
        if (j->head_len == HEAD_MAX) {
            fail_job(m, j, "the response header block is larger than %d bytes", HEAD_MAX);
            return 1;
        }
        return 0;
    }
    end += from;
    size_t extra = j->head_len - end;       /* body bytes that came with the head */
    size_t extra_from_p = copy - extra;     /* extra <= copy: the head ended inside p */
    j->head_len = end;
    j->head_done = 1;
    const char *err = parse_head(j);
    if (err != NULL) {
        fail_job(m, j, "bad response: %s", err);
        return 1;
    }
    if (j->status < 200 || j->status > 299) {
        fail_job(m, j, "HTTP status %d", j->status);
        return 1;
    }
    if (j->status == 204 || j->status == 304) {
        j->has_length = 1;                  /* RFC 9112 §6.3 item 1: no body */
        j->length = 0;
    }
    if (m->opt.out_dir != NULL) {
        char path[4096];
        body_path(m, j, path, sizeof path);
        j->out_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (j->out_fd < 0) {
            fail_job(m, j, "cannot create %s: %s", path, strerror(errno));
            return 1;
        }
    }
    /* take_body also finishes an empty Content-Length body */
    return take_body(m, j, p + extra_from_p, n - extra_from_p);
}

/* The response is over (rc: 0 for close_notify, else the read's failure). */
static void response_ended(struct multi *m, struct job *j, long rc)
{
    if (rc != 0 && rc != SSL_ERR_TRUNCATED) {
        fail_tls(m, j, (int)rc, "reading the response");
    } else if (!j->head_done) {
        fail_job(m, j, "the connection ended %s before the response header was complete",
                 rc == 0 ? "(close_notify)" : "without close_notify");
    } else if (j->has_length) {
        /* a complete Content-Length body finished the job as its last byte arrived */
        fail_job(m, j, "the body ended %s after %" PRIu64 " of its %" PRIu64 " bytes",
                 rc == 0 ? "(close_notify)" : "without close_notify (truncated)", j->body_len,
                 j->length);
    } else if (rc != 0) {
        fail_job(m, j, "the body ended without close_notify after %" PRIu64 " bytes "
                 "(truncated: it cannot be trusted to be whole)", j->body_len);
    } else {
        finish_job(m, j);
    }
}

/* ---- driving one connection ---------------------------------------------------------------- */

/* The resolved addresses of host:port, from the cache or resolved now (blocking). */
static const struct resolved *resolve(struct multi *m, const struct endpoint *ep)
{
    for (size_t i = 0; i < m->n_names; i++) {
        if (m->names[i].port == ep->port && strcmp(m->names[i].host, ep->host) == 0) {
            return &m->names[i];
        }
    }
    if (m->n_names == m->names_cap) {
        size_t cap = m->names_cap == 0 ? 8 : m->names_cap * 2;
        struct resolved *names = realloc(m->names, cap * sizeof *names);
        if (names == NULL) {
            fatal("out of memory");
        }
        m->names = names;
        m->names_cap = cap;
    }
    struct resolved *r = &m->names[m->n_names++];
    memset(r, 0, sizeof *r);
    memcpy(r->host, ep->host, sizeof r->host);
    r->port = ep->port;
    char port[8];
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    snprintf(port, sizeof port, "%u", ep->port);
    int gai = getaddrinfo(ep->host, port, &hints, &r->list);
    if (gai != 0) {
        r->list = NULL;
        snprintf(r->error, sizeof r->error, "cannot resolve %s: %s", ep->host,
                 gai == EAI_SYSTEM ? strerror(errno) : gai_strerror(gai));
    }
    return r;
}

/* The request, built once: GET with Host (with the port unless 443), User-Agent and
 * Connection: close. 0, or -1 when out of memory. */
static int build_request(struct job *j)
{
    const struct url *u = &j->url;
    const char *path = u->path_len > 0 ? u->path : "/";
    int path_len = u->path_len > 0 ? (int)u->path_len : 1;   /* <= MAX_URL */
    const char *slash = path[0] == '?' ? "/" : "";            /* "https://h?q" asks for "/?q" */
    char port[8] = "";
    if (u->server.port != 443) {
        snprintf(port, sizeof port, ":%u", u->server.port);
    }
    const char *lb = u->server.bracketed ? "[" : "";
    const char *rb = u->server.bracketed ? "]" : "";
#define REQUEST_FORMAT "GET %s%.*s HTTP/1.1\r\nHost: %s%s%s%s\r\n" \
                       "User-Agent: padlock-https_multi/%s\r\nAccept: */*\r\n" \
                       "Connection: close\r\n\r\n"
    int len = snprintf(NULL, 0, REQUEST_FORMAT, slash, path_len, path, lb, u->server.host, rb, port,
                       ssl_version_string());
    if (len < 0) {
        return -1;
    }
    j->request = malloc((size_t)len + 1);
    if (j->request == NULL) {
        return -1;
    }
    snprintf(j->request, (size_t)len + 1, REQUEST_FORMAT, slash, path_len, path, lb,
             u->server.host, rb, port, ssl_version_string());
#undef REQUEST_FORMAT
    j->request_len = (size_t)len;
    return 0;
}

/* Start a TCP connect to j->ai or a later address. Leaves the job CONNECTING (waiting for
 * writable) or HANDSHAKE (connected at once), or fails it when no address is left. */
static void connect_next(struct multi *m, struct job *j, int last_err)
{
    for (; j->ai != NULL; j->ai = j->ai->ai_next) {
        int fd = socket(j->ai->ai_family, j->ai->ai_socktype, j->ai->ai_protocol);
        if (fd < 0) {
            last_err = errno;
            continue;
        }
        int one = 1;
        int flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0 ||
            fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 ||
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) {
            last_err = errno;
            close(fd);
            continue;
        }
        j->fd = fd;
        if (connect(fd, j->ai->ai_addr, j->ai->ai_addrlen) == 0) {
            j->stage = STAGE_HANDSHAKE;
            return;
        }
        if (errno == EINPROGRESS || errno == EINTR) {
            j->stage = STAGE_CONNECTING;
            j->events = POLLOUT;        /* writable: the connect is over, one way or another */
            return;
        }
        last_err = errno;
        close(fd);
        j->fd = -1;
    }
    /* with --connect, names[0] is that address */
    const char *host = m->use_connect ? m->names[0].host : j->url.server.host;
    unsigned port = m->use_connect ? m->names[0].port : j->url.server.port;
    fail_job(m, j, "cannot connect to %s port %u: %s", host, port, strerror(last_err));
}

/* The TCP connection is up: give it to a new padlock connection. 0, or -1 when it failed. */
static int start_tls(struct multi *m, struct job *j)
{
    int rc;
    j->s = ssl_new(m->ctx);
    if (j->s == NULL) {
        fail_job(m, j, "out of memory");
        return -1;
    }
    if ((rc = ssl_set_hostname(j->s, j->url.server.host)) != SSL_OK ||
        (rc = ssl_set_fd(j->s, j->fd)) != SSL_OK) {
        fail_tls(m, j, rc, "setting up the connection");
        return -1;
    }
    return 0;
}

/* Take the job as far as it goes without waiting; it ends waiting for j->events, or done. */
static void advance(struct multi *m, struct job *j)
{
    static char buf[16384];             /* one record's plaintext; one thread, so shared */
    for (;;) {
        switch (j->stage) {
        case STAGE_CONNECTING: {
            int so_error = 0;
            socklen_t so_len = sizeof so_error;
            if (getsockopt(j->fd, SOL_SOCKET, SO_ERROR, &so_error, &so_len) != 0) {
                so_error = errno;
            }
            if (so_error == EINPROGRESS || so_error == EALREADY) {
                return;                 /* not yet (a spurious wake-up) */
            }
            if (so_error != 0) {
                close(j->fd);
                j->fd = -1;
                j->ai = j->ai->ai_next;
                connect_next(m, j, so_error);
                if (j->stage != STAGE_HANDSHAKE) {
                    return;             /* waiting for the next address, or failed */
                }
            }
            j->stage = STAGE_HANDSHAKE;
            break;
        }
        case STAGE_HANDSHAKE: {
            if (j->s == NULL && start_tls(m, j) != 0) {
                return;                 /* the first call: the TCP connection just came up */
            }
            int rc = ssl_connect(j->s);
            if (wants(j, rc)) {
                return;
            }
            if (rc != SSL_OK) {
                fail_tls(m, j, rc, "TLS handshake");
                return;
            }
            if (build_request(j) != 0) {
                fail_job(m, j, "out of memory");
                return;
            }
            j->stage = STAGE_REQUEST;
            break;
        }
        case STAGE_REQUEST: {
            /* After SSL_WANT_WRITE, the same arguments again: padlock remembers what it took. */
            long rc = ssl_write(j->s, j->request, j->request_len);
            if (wants(j, rc)) {
                return;
            }
            if (rc != (long)j->request_len) {
                fail_tls(m, j, (int)rc, "sending the request");
                return;
            }
            free(j->request);
            j->request = NULL;
            j->head = malloc(HEAD_MAX);
            if (j->head == NULL) {
                fail_job(m, j, "out of memory");
                return;
            }
            j->stage = STAGE_RESPONSE;
            break;
        }
        case STAGE_RESPONSE:
            /* Read until padlock wants the network: it may hold decrypted records that poll
             * cannot see, so stopping early could leave them waiting forever. */
            for (;;) {
                long rc = ssl_read(j->s, buf, sizeof buf);
                if (wants(j, rc)) {
                    return;
                }
                if (rc <= 0) {
                    response_ended(m, j, rc);
                    return;
                }
                if (take_bytes(m, j, buf, (size_t)rc) != 0) {
                    return;
                }
            }
        case STAGE_QUEUED:
        case STAGE_DONE:
        default:
            return;
        }
    }
}

/* Begin fetching URL j: resolve, then connect (and go as far as that allows). */
static void start_job(struct multi *m, struct job *j)
{
    const struct resolved *r = m->use_connect ? &m->names[0] : resolve(m, &j->url.server);
    if (r->list == NULL) {
        fail_job(m, j, "%s", r->error);
        return;
    }
    j->ai = r->list;
    connect_next(m, j, ECONNREFUSED);
    if (j->stage == STAGE_HANDSHAKE) {
        advance(m, j);
    }
}

static const char *stage_name(enum stage st)
{
    switch (st) {
    case STAGE_QUEUED:
        return "before it started";
    case STAGE_CONNECTING:
        return "while connecting";
    case STAGE_HANDSHAKE:
        return "during the TLS handshake";
    case STAGE_REQUEST:
        return "while sending the request";
    case STAGE_RESPONSE:
        return "while reading the response";
    case STAGE_DONE:
    default:
        return "";
    }
}

/* ---- the loop ------------------------------------------------------------------------------ */

static void run(struct multi *m)
{
    int64_t deadline = now_ms() + (int64_t)m->opt.timeout * 1000;
    size_t *active = malloc(m->opt.max * sizeof *active);
    struct pollfd *fds = malloc(m->opt.max * sizeof *fds);
    if (active == NULL || fds == NULL) {
        fatal("out of memory");
    }
    size_t n_active = 0;
    size_t next = 0;
    for (;;) {
        /* Start URLs while there is room. */
        while (n_active < m->opt.max && next < m->n_jobs) {
            struct job *j = &m->jobs[next++];
            start_job(m, j);
            if (j->stage != STAGE_DONE) {
                active[n_active++] = j->index;
            }
        }
        if (n_active == 0) {
            break;                      /* every URL has its line */
        }
        int64_t left = deadline - now_ms();
        if (left <= 0) {
            break;
        }
        for (size_t i = 0; i < n_active; i++) {
            const struct job *j = &m->jobs[active[i]];
            fds[i].fd = j->fd;
            fds[i].events = j->events;
            fds[i].revents = 0;
        }
        int n = poll(fds, (nfds_t)n_active, (int)(left < 0x7fffffff ? left : 0x7fffffff));
        if (n < 0 && errno != EINTR) {
            fatal("poll: %s", strerror(errno));
        }
        /* POLLERR and POLLHUP wake a job too: its next call reports what happened. */
        size_t kept = 0;
        for (size_t i = 0; i < n_active; i++) {
            struct job *j = &m->jobs[active[i]];
            if (n > 0 && fds[i].revents != 0) {
                advance(m, j);
            }
            if (j->stage != STAGE_DONE) {
                active[kept++] = active[i];
            }
        }
        n_active = kept;
    }
    /* The deadline passed: whatever is not finished fails. */
    for (size_t i = 0; i < m->n_jobs; i++) {
        struct job *j = &m->jobs[i];
        if (j->stage != STAGE_DONE) {
            fail_job(m, j, "timed out %s (--timeout %d)", stage_name(j->stage), m->opt.timeout);
        }
    }
    free(active);
    free(fds);
}

int main(int argc, char **argv)
{
    struct multi m;
    memset(&m, 0, sizeof m);
    parse_args(argc, argv, &m);
    /* A line per URL as it finishes, even into a pipe. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* padlock sends with MSG_NOSIGNAL; this covers a closed stdout. */
    signal(SIGPIPE, SIG_IGN);
    fit_descriptor_limit(&m.opt);

    struct endpoint connect_ep;
    memset(&connect_ep, 0, sizeof connect_ep);
    if (m.opt.connect_to != NULL) {
        const char *err = parse_host_port(m.opt.connect_to, strlen(m.opt.connect_to), 0,
                                          &connect_ep);
        if (err != NULL) {
            usage_error("--connect %s: %s", m.opt.connect_to, err);
        }
        const struct resolved *r = resolve(&m, &connect_ep);
        if (r->list == NULL) {
            usage_error("--connect %s: %s", m.opt.connect_to, r->error);
        }
        m.use_connect = 1;
    }

    m.ctx = ssl_ctx_new();
    if (m.ctx == NULL) {
        fatal("out of memory");
    }
    int rc;
    if (m.opt.cafile != NULL && (rc = ssl_ctx_load_ca_file(m.ctx, m.opt.cafile)) != SSL_OK) {
        const char *detail = ssl_ctx_get_error_detail(m.ctx);
        usage_error("--cafile %s: %s", m.opt.cafile,
                    detail[0] != '\0' ? detail : ssl_error_string(rc));
    }

    run(&m);

    for (size_t i = 0; i < m.n_jobs; i++) {
        free(m.jobs[i].text);
    }
    free(m.jobs);
    for (size_t i = 0; i < m.n_names; i++) {
        if (m.names[i].list != NULL) {
            freeaddrinfo(m.names[i].list);
        }
    }
    free(m.names);
    ssl_ctx_free(m.ctx);
    return m.failed == 0 ? EXIT_ALL_OK : EXIT_SOME_FAILED;
}
