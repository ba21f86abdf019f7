/* https_get: fetch one URL over HTTPS with padlock and write the response body to stdout.
 *
 *   https_get [options] URL
 *
 * This is the program to copy from: it uses only the public header <padlock/ssl.h> and POSIX.
 * It is also a test driver (tests/interop), so its command line is a contract: keep the flags,
 * the exit statuses and the one-line reason on stderr stable.
 *
 * URL is https://HOST[:PORT][/PATH][?QUERY]. HOST is a DNS name, an IPv4 address, or an IPv6
 * address in brackets (https://[::1]:8443/). PORT defaults to 443 and PATH to "/"; a #fragment
 * is never sent. Any other scheme, and user@ information, is a usage error. When HOST is an IP
 * literal it is still given to ssl_set_hostname: padlock then sends no SNI (RFC 6066 §3) and
 * requires an iPAddress subjectAltName of that address.
 *
 * Options (each "--name VALUE" may also be written "--name=VALUE"):
 *   --cafile FILE        trust anchors: the certificates of this PEM file (default: the system
 *                        bundle, which the context loads by itself)
 *   --cert FILE          client certificate chain (PEM: ours first, then intermediates), sent
 *                        when the server asks for a certificate and the chain fits its request
 *   --key FILE           the client certificate's private key (PEM, unencrypted: RSA of 2048
 *                        bits or more, or EC P-256 / P-384); --cert and --key go together
 *   --connect HOST:PORT  make the TCP connection there ([V6]:PORT for IPv6) but still send SNI
 *                        for, and check the certificate against, the URL's host
 *   --cipher LIST        cipher suites to offer, IANA names separated by commas
 *   --group LIST         key-exchange groups to offer: x25519, secp256r1, secp384r1, ffdhe2048...
 *   --alpn LIST          ALPN protocols to offer, separated by commas (e.g. http/1.1)
 *   --timeout SECONDS    longest wait for the TCP connect and for each read or write
 *                        (default 30; 0 waits forever)
 *   --keylog FILE        append NSS key-log lines (for Wireshark) to FILE; without --keylog the
 *                        SSLKEYLOGFILE environment variable names the file
 *   --sess-in FILE       offer the session saved in FILE for resumption (an abbreviated
 *                        handshake if the server still knows it). A missing file is no error
 *                        (the first run has none); a damaged, edited or unknown file is refused
 *                        with a warning naming why, and the handshake is a full one
 *   --sess-out FILE      save the connection's session to FILE (mode 0600: it holds the master
 *                        secret) after the exchange; may be the same file as --sess-in
 *   --trace              print the handshake, message by message, on stderr
 *   --insecure           do not verify the server's certificate (for tests only: anyone in the
 *                        path can then impersonate the server)
 *   -v, --verbose        print what was negotiated and the server's certificate on stderr, one
 *                        "key: value" per line (version, suite, group, alpn, ems, resumed,
 *                        client-cert, session, subject, issuer, not-before, not-after, san,
 *                        status); client-cert is sent, requested-not-sent or not-requested;
 *                        resumed is yes or no; session (only when --sess-in's session was not
 *                        offered) says why
 *   -h, --help           print this summary on stdout and exit 0
 *
 * HTTP. One request, "GET PATH HTTP/1.1" with Host, User-Agent (padlock-https_get/VERSION),
 * Accept (any type) and "Connection: close". The answer may be HTTP/1.0 or HTTP/1.1. Interim 1xx
 * responses are skipped. The body is framed as RFC 9112 §6.3 says: none for 204 and 304,
 * chunked when that is the final transfer coding, else read-until-close when Transfer-Encoding
 * is present, else Content-Length, else read-until-close. The header block (and a chunked
 * trailer) may be at most 64 KiB. Only the body goes to stdout, written as it arrives; trace,
 * -v output, warnings and errors go to stderr.
 *
 * Truncation. A body is complete only when its framing says so: all Content-Length bytes, the
 * last chunk and its trailer, or -- for a body delimited by the end of the connection -- the
 * server's close_notify. An attacker can close a TCP connection at will but cannot forge
 * close_notify, so a read-until-close body that ends without it (SSL_ERR_TRUNCATED) cannot be
 * trusted to be whole. Once a Content-Length or chunked body is complete, close_notify is not
 * waited for. Whatever arrived before a truncation has already been written to stdout.
 *
 * Status. A non-2xx status is a failure (exit 4), but its body is still written to stdout.
 *
 * Exit status (every non-zero status comes with one line "https_get: REASON" on stderr):
 *   0  success: handshake, certificate verification and HTTP exchange all succeeded, status 2xx
 *   1  TLS failure (handshake, certificate verification, alert, bad record...) or a local
 *      failure (out of memory, cannot write stdout)
 *   2  usage error: bad option, option value or URL, or an unusable --cafile / --keylog file
 *   3  network failure: name resolution, TCP connect, timeout, send or receive error
 *   4  HTTP failure: malformed response, or a status other than 2xx
 *   5  truncation: the response ended before its framing said it was complete, or a
 *      read-until-close body ended without close_notify
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <padlock/ssl.h>

#define DEFAULT_TIMEOUT 30      /* seconds */
#define MAX_TIMEOUT 86400       /* a day: also keeps the value in milliseconds inside an int */
#define MAX_URL 8192            /* longer URLs are refused rather than sent */
#define MAX_ADDRESSES 16        /* addresses of one name tried in turn */
#define HOST_MAX 256            /* a DNS name is at most 253 characters */
#define MAX_ALPN 8              /* the most protocols ssl_ctx_set_alpn accepts */
#define HEAD_MAX 65536          /* bytes of one header block, and of a chunked trailer */
#define CHUNK_LINE_MAX 4096     /* a chunk-size line with its extensions */
#define MAX_INTERIM 16          /* 1xx responses skipped before the final one */

/* The exit statuses (see the top of the file). */
enum status {
    ST_OK = 0,
    ST_FAILED = 1,
    ST_USAGE = 2,
    ST_NETWORK = 3,
    ST_HTTP = 4,
    ST_TRUNCATED = 5,
};

struct options {
    const char *url;
    const char *cafile;
    const char *cert;           /* client certificate chain (--cert) */
    const char *key;            /* and its private key (--key) */
    const char *connect_to;
    const char *ciphers;
    const char *groups;
    const char *alpn;
    const char *keylog;
    const char *sess_in;
    const char *sess_out;
    int timeout;                /* seconds; 0 = wait forever */
    int trace;
    int verbose;
    int insecure;
};

/* Where to connect: the host as getaddrinfo and ssl_set_hostname want it (no brackets). */
struct endpoint {
    char host[HOST_MAX];
    int bracketed;              /* an IPv6 literal, written [V6] in URLs and Host headers */
    unsigned port;
};

struct url {
    struct endpoint server;
    const char *path;           /* into argv: from the first '/' or '?' up to '#' or the end */
    size_t path_len;            /* 0: the path is "/" */
};

/* One connection and the application data read from it but not used yet. */
struct conn {
    ssl *s;
    int timeout;                /* seconds, for messages */
    unsigned char buf[16384];   /* one TLS record's worth of plaintext */
    size_t pos;                 /* next unused byte of buf */
    size_t len;                 /* bytes in buf */
    int closed;                 /* the server's close_notify has arrived */
    char line[HEAD_MAX + 1];    /* one header or trailer line, as a C string */
};

/* What the response head said. */
struct response {
    int minor;                  /* HTTP/1.minor */
    int status;
    char reason[80];            /* the reason phrase, printable characters only */
    int has_length;             /* a Content-Length field was present ... */
    uint64_t length;            /* ... with this value */
    int has_te;                 /* a Transfer-Encoding field was present ... */
    int chunked;                /* ... and its final coding is chunked */
};

enum framing { BODY_NONE, BODY_LENGTH, BODY_CHUNKED, BODY_UNTIL_CLOSE };

/* ---- messages ------------------------------------------------------------------------------ */

/* Print "https_get: REASON" on stderr and give back the exit status, so that a failure reads
 * `return fail(ST_HTTP, "...")` where it is found. */
__attribute__((format(printf, 2, 3)))
static int fail(int status, const char *fmt, ...)
{
    va_list ap;
    fputs("https_get: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return status;
}

__attribute__((format(printf, 1, 2)))
static _Noreturn void usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("https_get: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see https_get --help)\n", stderr);
    exit(ST_USAGE);
}

static void help(void)
{
    fputs(
        "usage: https_get [options] https://HOST[:PORT][/PATH][?QUERY]\n"
        "Fetch the URL over HTTPS (TLS 1.2, padlock) and write the response body to stdout.\n"
        "\n"
        "  --cafile FILE        trust the certificates in this PEM file (default: system bundle)\n"
        "  --cert FILE          client certificate chain (PEM, ours first), sent when asked\n"
        "  --key FILE           its private key (PEM; RSA >= 2048 bits, EC P-256 or P-384)\n"
        "  --connect HOST:PORT  connect there ([V6]:PORT for IPv6); SNI and the name checked\n"
        "                       stay the URL's host\n"
        "  --cipher LIST        cipher suites to offer (IANA names, comma-separated)\n"
        "  --group LIST         groups to offer (x25519, secp256r1, secp384r1, ffdhe2048, ...)\n"
        "  --alpn LIST          ALPN protocols to offer (comma-separated, e.g. http/1.1)\n"
        "  --timeout SECONDS    longest wait to connect and for each read or write (default 30,\n"
        "                       0 = forever)\n"
        "  --keylog FILE        append NSS key-log lines to FILE (else $SSLKEYLOGFILE, if set)\n"
        "  --sess-in FILE       offer the session saved in FILE (resumption)\n"
        "  --sess-out FILE      save the session to FILE (mode 0600) after the exchange\n"
        "  --trace              print the handshake message by message on stderr\n"
        "  --insecure           do NOT verify the server's certificate (testing only)\n"
        "  -v, --verbose        print the negotiated parameters and the server's certificate\n"
        "                       on stderr, one \"key: value\" per line\n"
        "  -h, --help           print this help\n"
        "\n"
        "A non-2xx status still writes the body, but exits 4. A body cut short, or a body that\n"
        "runs to the end of the connection and ends without close_notify, is a truncation.\n"
        "\n"
        "Exit status: 0 success (handshake, verification and HTTP 2xx response all good);\n"
        "  1 TLS or certificate failure, or a local failure; 2 usage error or unusable file;\n"
        "  3 network failure or timeout; 4 malformed HTTP response or non-2xx status;\n"
        "  5 truncated response. Every failure prints one line \"https_get: REASON\" on stderr.\n",
        stdout);
}

/* ---- small parsers ------------------------------------------------------------------------- */

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int hex_value(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* ASCII case-insensitive equality; HTTP field names and codings are case-insensitive, and the
 * locale must not change what they mean. */
static int ascii_ieq(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (*a >= 'A' && *a <= 'Z') ? *a - 'A' + 'a' : *a;
        int cb = (*b >= 'A' && *b <= 'Z') ? *b - 'A' + 'a' : *b;
        if (ca != cb) {
            return 0;
        }
        if (ca == '\0') {
            return 1;
        }
    }
}

/* A decimal number of at least one digit and nothing else, at most max. 0, or -1. */
static int parse_decimal(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (*s == '\0') {
        return -1;
    }
    for (; *s != '\0'; s++) {
        if (!is_digit(*s)) {
            return -1;                  /* no sign, no space, no "0x": only digits */
        }
        uint64_t d = (uint64_t)(*s - '0');
        if (v > (max - d) / 10) {
            return -1;                  /* v * 10 + d would pass max (or overflow) */
        }
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* Copy the printable ASCII of untrusted text into out (truncated), so that a server's reason
 * phrase cannot put control characters on the user's terminal. */
static void printable_copy(char *out, size_t cap, const char *in)
{
    size_t n = 0;
    for (; *in != '\0' && n + 1 < cap; in++) {
        out[n++] = (*in >= 0x20 && *in < 0x7f) ? *in : '?';
    }
    out[n] = '\0';
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

static void parse_args(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof *o);
    o->timeout = DEFAULT_TIMEOUT;
    int options_done = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v;
        if (options_done || a[0] != '-' || a[1] == '\0') {
            if (o->url != NULL) {
                usage_error("more than one URL (%s and %s)", o->url, a);
            }
            o->url = a;
        } else if (strcmp(a, "--") == 0) {
            options_done = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            help();
            exit(ST_OK);
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            o->verbose = 1;
        } else if (strcmp(a, "--trace") == 0) {
            o->trace = 1;
        } else if (strcmp(a, "--insecure") == 0) {
            o->insecure = 1;
        } else if ((v = option_value("--cafile", argc, argv, &i)) != NULL) {
            o->cafile = v;
        } else if ((v = option_value("--cert", argc, argv, &i)) != NULL) {
            o->cert = v;
        } else if ((v = option_value("--key", argc, argv, &i)) != NULL) {
            o->key = v;
        } else if ((v = option_value("--connect", argc, argv, &i)) != NULL) {
            o->connect_to = v;
        } else if ((v = option_value("--cipher", argc, argv, &i)) != NULL) {
            o->ciphers = v;
        } else if ((v = option_value("--group", argc, argv, &i)) != NULL) {
            o->groups = v;
        } else if ((v = option_value("--alpn", argc, argv, &i)) != NULL) {
            o->alpn = v;
        } else if ((v = option_value("--keylog", argc, argv, &i)) != NULL) {
            o->keylog = v;
        } else if ((v = option_value("--sess-out", argc, argv, &i)) != NULL) {
            o->sess_out = v;
        } else if ((v = option_value("--sess-in", argc, argv, &i)) != NULL) {
            o->sess_in = v;
        } else if ((v = option_value("--timeout", argc, argv, &i)) != NULL) {
            uint64_t t;
            if (parse_decimal(v, MAX_TIMEOUT, &t) != 0) {
                usage_error("--timeout wants whole seconds from 0 to %d, not \"%s\"", MAX_TIMEOUT,
                            v);
            }
            o->timeout = (int)t;        /* t <= MAX_TIMEOUT */
        } else {
            usage_error("unknown option %s", a);
        }
    }
    if (o->url == NULL) {
        usage_error("no URL given");
    }
    if ((o->cert == NULL) != (o->key == NULL)) {
        usage_error("%s needs %s too", o->cert != NULL ? "--cert" : "--key",
                    o->cert != NULL ? "--key" : "--cert");
    }
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
        const char *close = memchr(s, ']', len);
        if (close == NULL) {
            return "'[' without ']'";
        }
        host = s + 1;
        host_len = (size_t)(close - host);
        rest = close + 1;
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
    if (rest[0] != ':') {
        return "unexpected text after the host";
    }
    char digits[8];
    uint64_t port;
    size_t digits_len = rest_len - 1;
    if (digits_len >= sizeof digits) {
        return "bad port";
    }
    memcpy(digits, rest + 1, digits_len);
    digits[digits_len] = '\0';
    if (parse_decimal(digits, 65535, &port) != 0 || port == 0) {
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
    /* Refusing spaces and control characters here is what keeps the request line and the Host
     * header one line each (no CR LF smuggled into the request). */
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
            return strstr(text, "://") != NULL ? "only https:// URLs are supported"
                                               : "not an https:// URL";
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

/* ---- TCP ----------------------------------------------------------------------------------- */

/* Connect fd to addr within timeout seconds (0: no limit). 0, or -1 with *err set. The connect
 * runs non-blocking so that poll can bound it; the socket is blocking again afterwards, as
 * padlock's blocking calls want it. */
static int connect_within(int fd, const struct sockaddr *addr, socklen_t addr_len, int timeout,
                          int *err)
{
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        *err = errno;
        return -1;
    }
    if (connect(fd, addr, addr_len) != 0) {
        if (errno != EINPROGRESS) {
            *err = errno;
            return -1;
        }
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        int n;
        do {
            n = poll(&p, 1, timeout > 0 ? timeout * 1000 : -1);
        } while (n < 0 && errno == EINTR);
        if (n <= 0) {
            *err = n == 0 ? ETIMEDOUT : errno;
            return -1;
        }
        int so_error = 0;
        socklen_t so_len = sizeof so_error;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &so_len) != 0) {
            so_error = errno;
        }
        if (so_error != 0) {
            *err = so_error;
            return -1;
        }
    }
    if (fcntl(fd, F_SETFL, flags) < 0) {
        *err = errno;
        return -1;
    }
    return 0;
}

/* Bound every later wait: a blocking recv or send that waits this long fails with EAGAIN, which
 * padlock reports as SSL_WANT_READ / SSL_WANT_WRITE -- here that means "timed out". TCP_NODELAY
 * sends each flight at once instead of waiting for the server to acknowledge the last. */
static int tune_socket(int fd, int timeout)
{
    int one = 1;
    struct timeval tv = {.tv_sec = timeout, .tv_usec = 0};
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) {
        return -1;
    }
    if (timeout > 0 && (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
                        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0)) {
        return -1;
    }
    return 0;
}

/* Resolve ep and connect to the first of its addresses that answers. */
static int tcp_connect(const struct endpoint *ep, int timeout, int verbose, int *fd_out)
{
    char port[8];
    struct addrinfo hints, *list = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    snprintf(port, sizeof port, "%u", ep->port);
    int gai = getaddrinfo(ep->host, port, &hints, &list);
    if (gai != 0) {
        return fail(ST_NETWORK, "cannot resolve %s: %s", ep->host,
                    gai == EAI_SYSTEM ? strerror(errno) : gai_strerror(gai));
    }
    int err = 0, tried = 0;
    for (const struct addrinfo *ai = list; ai != NULL && tried < MAX_ADDRESSES;
         ai = ai->ai_next, tried++) {
        int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        if (connect_within(fd, ai->ai_addr, ai->ai_addrlen, timeout, &err) == 0) {
            if (tune_socket(fd, timeout) != 0) {
                err = errno;
                close(fd);
                break;
            }
            if (verbose) {
                char addr[INET6_ADDRSTRLEN + 8];     /* numeric: no scope name */
                if (getnameinfo(ai->ai_addr, ai->ai_addrlen, addr, sizeof addr, NULL, 0,
                                NI_NUMERICHOST) == 0) {
                    fprintf(stderr, "connected: %s port %u\n", addr, ep->port);
                }
            }
            freeaddrinfo(list);
            *fd_out = fd;
            return ST_OK;
        }
        close(fd);
    }
    freeaddrinfo(list);
    if (err == ETIMEDOUT && timeout > 0) {
        return fail(ST_NETWORK, "cannot connect to %s port %u: timed out after %d s", ep->host,
                    ep->port, timeout);
    }
    return fail(ST_NETWORK, "cannot connect to %s port %u: %s", ep->host, ep->port,
                strerror(err));
}

/* ---- padlock ------------------------------------------------------------------------------- */

/* The connection's failure as an exit status, with padlock's own words for it: the detail
 * names the exact cause ("certificate expired: notAfter ... at depth 0 (CN=...)"). */
static int tls_failed(const struct conn *c, int rc, const char *what)
{
    const char *detail = ssl_get_error_detail(c->s);
    const char *why = detail[0] != '\0' ? detail : ssl_error_string(rc);
    if (rc == SSL_WANT_READ || rc == SSL_WANT_WRITE) {
        /* On our blocking socket these mean SO_RCVTIMEO / SO_SNDTIMEO ran out. */
        return fail(ST_NETWORK, "%s timed out: no progress for %d s", what, c->timeout);
    }
    if (rc == SSL_ERR_IO || rc == SSL_ERR_TIMEOUT_HANDSHAKE || rc == SSL_ERR_TIMEOUT_READ ||
        rc == SSL_ERR_TIMEOUT_WRITE) {
        return fail(ST_NETWORK, "%s failed: %s", what, why);
    }
    return fail(ST_FAILED, "%s failed: %s", what, why);
}

static void keylog_line(const ssl *s, const char *line, void *user)
{
    FILE *f = user;
    (void)s;
    fprintf(f, "%s\n", line);           /* the NSS key-log format is one line per secret */
    fflush(f);
}

/* The key-log file, opened for appending; readable by its owner only when we create it, since
 * the lines it gets decrypt the connection. NULL with errno set. */
static FILE *open_keylog(const char *path)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
    if (fd < 0) {
        return NULL;
    }
    FILE *f = fdopen(fd, "a");
    if (f == NULL) {
        int saved = errno;
        close(fd);
        errno = saved;
    }
    return f;
}

static void trace_line(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "%s\n", line);      /* stderr: stdout carries the body and nothing else */
}

/* --alpn "h2,http/1.1" as the array ssl_ctx_set_alpn wants. The names point into *copy, which
 * the caller frees after the context. */
static int set_alpn(ssl_ctx *ctx, const char *list, char **copy)
{
    const char *names[MAX_ALPN];
    size_t n = 0;
    *copy = malloc(strlen(list) + 1);
    if (*copy == NULL) {
        return fail(ST_FAILED, "out of memory");
    }
    strcpy(*copy, list);
    for (char *p = *copy;;) {
        char *comma = strchr(p, ',');
        if (comma != NULL) {
            *comma = '\0';
        }
        if (*p == '\0' || strlen(p) > 255) {
            return fail(ST_USAGE, "--alpn: each protocol name must be 1 to 255 bytes");
        }
        if (n == MAX_ALPN) {
            return fail(ST_USAGE, "--alpn: at most %d protocols", MAX_ALPN);
        }
        names[n++] = p;
        if (comma == NULL) {
            break;
        }
        p = comma + 1;
    }
    int rc = ssl_ctx_set_alpn(ctx, names, n);
    if (rc != SSL_OK) {
        return fail(ST_USAGE, "--alpn %s: %s", list, ssl_error_string(rc));
    }
    return ST_OK;
}

/* The context: trust anchors, what to offer, verification, key log. */
static int setup_context(ssl_ctx *ctx, const struct options *o, FILE **keylog, char **alpn)
{
    int rc;
    if (o->cafile != NULL && (rc = ssl_ctx_load_ca_file(ctx, o->cafile)) != SSL_OK) {
        return fail(ST_USAGE, "--cafile %s: %s", o->cafile, ssl_error_string(rc));
    }
    /* The client certificate: the key is checked against the certificate's public key here,
     * so a mismatched pair is a usage error, not a server's alert later. */
    if (o->cert != NULL && (rc = ssl_ctx_use_certificate_chain_file(ctx, o->cert)) != SSL_OK) {
        return fail(ST_USAGE, "--cert: %s", ssl_ctx_get_error_detail(ctx));
    }
    if (o->key != NULL && (rc = ssl_ctx_use_private_key_file(ctx, o->key)) != SSL_OK) {
        return fail(ST_USAGE, "--key: %s", ssl_ctx_get_error_detail(ctx));
    }
    if (o->ciphers != NULL && (rc = ssl_ctx_set_ciphers(ctx, o->ciphers)) != SSL_OK) {
        return fail(ST_USAGE, "--cipher %s: %s", o->ciphers, ssl_error_string(rc));
    }
    if (o->groups != NULL && (rc = ssl_ctx_set_groups(ctx, o->groups)) != SSL_OK) {
        return fail(ST_USAGE, "--group %s: %s", o->groups, ssl_error_string(rc));
    }
    if (o->alpn != NULL && (rc = set_alpn(ctx, o->alpn, alpn)) != ST_OK) {
        return rc;
    }
    if (o->insecure) {
        fputs("https_get: WARNING: --insecure: the server's certificate is NOT verified; anyone "
              "in the network path can impersonate the server and read or change this "
              "connection\n", stderr);
        if ((rc = ssl_ctx_set_verify(ctx, SSL_VERIFY_NONE_INSECURE)) != SSL_OK) {
            return fail(ST_FAILED, "cannot turn verification off: %s", ssl_error_string(rc));
        }
    }
    /* --keylog is a request, so failing it is an error; SSLKEYLOGFILE is only a preference
     * of the environment, so failing it is a warning. */
    const char *path = o->keylog != NULL ? o->keylog : getenv("SSLKEYLOGFILE");
    if (path != NULL && path[0] != '\0') {
        *keylog = open_keylog(path);
        if (*keylog == NULL && o->keylog != NULL) {
            return fail(ST_USAGE, "--keylog %s: %s", path, strerror(errno));
        }
        if (*keylog == NULL) {
            fprintf(stderr, "https_get: warning: SSLKEYLOGFILE=%s: %s (no key log)\n", path,
                    strerror(errno));
        } else {
            (void)ssl_ctx_set_keylog(ctx, keylog_line, *keylog);
        }
    }
    return ST_OK;
}

/* ---- sessions (--sess-in, --sess-out) ------------------------------------------------------ */

/* The session saved in path, or NULL (no file yet, or refused: a warning says why). */
static ssl_session *load_session(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        if (errno != ENOENT) {
            fprintf(stderr, "https_get: warning: --sess-in %s: %s (full handshake)\n", path,
                    strerror(errno));
        }
        return NULL;
    }
    static unsigned char buf[128 * 1024];   /* a saved session is < 70 KiB */
    size_t len = fread(buf, 1, sizeof buf, f);
    int too_long = len == sizeof buf;
    fclose(f);
    int err = SSL_ERR_SESSION_MALFORMED;
    ssl_session *sess = too_long ? NULL : ssl_session_load(buf, len, &err);
    if (sess == NULL) {
        fprintf(stderr, "https_get: warning: --sess-in %s refused: %s (%s); full handshake\n",
                path, ssl_error_string(err), ssl_error_name(err));
    }
    return sess;
}

/* The connection's session into path, written whole under a temporary name, mode 0600. */
static void save_session(const ssl *s, const char *path)
{
    ssl_session *sess = ssl_get_session(s);
    if (sess == NULL) {
        fprintf(stderr, "https_get: warning: --sess-out %s: no resumable session (the server "
                "gave no session ID or ticket, or the connection failed): nothing saved\n", path);
        return;
    }
    size_t len = 0;
    unsigned char *buf = NULL;
    char tmp[4096];
    int ok = ssl_session_save(sess, NULL, 0, &len) == SSL_OK && (buf = malloc(len)) != NULL &&
             ssl_session_save(sess, buf, len, &len) == SSL_OK &&
             snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) < (int)sizeof tmp;
    ssl_session_free(sess);
    int fd = ok ? open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600) : -1;
    if (fd >= 0) {
        ok = write(fd, buf, len) == (ssize_t)len;
        ok = close(fd) == 0 && ok;
        ok = ok && rename(tmp, path) == 0;
        if (!ok) {
            (void)unlink(tmp);
        }
    } else {
        ok = 0;
    }
    if (buf != NULL) {
        memset(buf, 0, len);            /* it held the master secret */
        free(buf);
    }
    if (!ok) {
        fprintf(stderr, "https_get: warning: --sess-out %s: %s\n", path, strerror(errno));
    }
}

static void print_value(const char *key, const char *value)
{
    if (value != NULL) {
        fprintf(stderr, "%s: %s\n", key, value);
    }
}

static void print_time(const char *key, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char text[32];
    if ((int64_t)tt == t && gmtime_r(&tt, &tm) != NULL &&
        strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0) {
        fprintf(stderr, "%s: %s\n", key, text);
    } else {
        fprintf(stderr, "%s: %" PRId64 "\n", key, t);
    }
}

/* -v: what the handshake agreed on. Only valid after ssl_connect succeeded. */
static void print_negotiated(const ssl *s)
{
    const char *alpn = ssl_get_alpn(s);
    print_value("version", ssl_get_version(s));
    print_value("suite", ssl_get_cipher(s));
    print_value("group", ssl_get_group(s));
    print_value("alpn", alpn != NULL ? alpn : "none");
    print_value("ems", ssl_get_ems(s) ? "yes" : "no");
    print_value("resumed", ssl_session_reused(s) ? "yes" : "no");
}

/* -v: whether the server asked for our certificate and whether it went; shown after a failed
 * handshake too, since a server that requires one refuses a client that sent none. */
static void print_client_cert(const ssl *s)
{
    switch (ssl_get_client_cert_status(s)) {
    case SSL_CLIENT_CERT_SENT:
        print_value("client-cert", "sent");
        break;
    case SSL_CLIENT_CERT_NOT_SENT:
        print_value("client-cert", "requested-not-sent");
        break;
    default:
        print_value("client-cert", "not-requested");
        break;
    }
}

/* -v: the server's certificate; also shown after a failed handshake when it arrived, since it
 * is what a verification failure is about. */
static void print_peer(const ssl *s)
{
    int64_t not_before, not_after;
    const char *san;
    print_value("subject", ssl_get_peer_subject(s));
    print_value("issuer", ssl_get_peer_issuer(s));
    if (ssl_get_peer_validity(s, &not_before, &not_after) == 0) {
        print_time("not-before", not_before);
        print_time("not-after", not_after);
    }
    for (size_t i = 0; (san = ssl_get_peer_san(s, i)) != NULL; i++) {
        print_value("san", san);
    }
}

/* ---- reading the response ------------------------------------------------------------------ */

/* Make at least one unread byte available: > 0, 0 when the server has closed the connection
 * with close_notify, or padlock's negative error (SSL_ERR_TRUNCATED: closed without it). */
static long conn_fill(struct conn *c)
{
    if (c->pos < c->len) {
        return 1;
    }
    if (c->closed) {
        return 0;
    }
    long n = ssl_read(c->s, c->buf, sizeof c->buf);
    if (n == 0) {
        c->closed = 1;
    }
    if (n <= 0) {
        return n;
    }
    c->pos = 0;
    c->len = (size_t)n;                 /* 0 < n <= sizeof c->buf */
    return 1;
}

static long conn_byte(struct conn *c, unsigned char *b)
{
    long rc = conn_fill(c);
    if (rc > 0) {
        *b = c->buf[c->pos++];
    }
    return rc;
}

/* The stream ended, or failed, before `what` was complete. */
static int stream_failed(const struct conn *c, long rc, const char *what)
{
    char action[160];
    if (rc == 0) {
        return fail(ST_TRUNCATED, "truncated: the server closed the connection before the end "
                    "of %s", what);
    }
    if (rc == SSL_ERR_TRUNCATED) {
        return fail(ST_TRUNCATED, "truncated: the connection was closed without close_notify "
                    "before the end of %s", what);
    }
    snprintf(action, sizeof action, "reading %s", what);
    return tls_failed(c, (int)rc, action);
}

/* One line up to "\n", without it and without a "\r" before it, into line as a C string. Its
 * bytes count against *budget (line has room for *budget + 1 bytes); a NUL byte, or a line
 * past the budget, makes the response malformed. */
static int read_line(struct conn *c, char *line, size_t *budget, const char *what)
{
    size_t n = 0;
    for (;;) {
        unsigned char b;
        long rc = conn_byte(c, &b);
        if (rc <= 0) {
            return stream_failed(c, rc, what);
        }
        if (*budget == 0) {
            return fail(ST_HTTP, "malformed response: size limit exceeded in %s", what);
        }
        *budget -= 1;
        if (b == '\n') {
            break;
        }
        if (b == '\0') {
            return fail(ST_HTTP, "malformed response: NUL byte in %s", what);
        }
        line[n++] = (char)b;            /* n < the budget given, so inside line */
    }
    if (n > 0 && line[n - 1] == '\r') {
        n--;
    }
    line[n] = '\0';
    return ST_OK;
}

/* Exactly CR LF (or a bare LF, as RFC 9112 §2.2 lets a recipient accept) after `what`. */
static int read_crlf(struct conn *c, const char *what)
{
    unsigned char b;
    long rc = conn_byte(c, &b);
    if (rc > 0 && b == '\r') {
        rc = conn_byte(c, &b);
    }
    if (rc <= 0) {
        return stream_failed(c, rc, what);
    }
    if (b != '\n') {
        return fail(ST_HTTP, "malformed response: %s not followed by CRLF", what);
    }
    return ST_OK;
}

/* RFC 9112 §4: status-line = HTTP-version SP 3DIGIT SP [reason-phrase]. Some HTTP/1.0
 * servers end the line right after the code; that is accepted too. 0, or -1. */
static int parse_status_line(const char *line, struct response *r)
{
    if (strncmp(line, "HTTP/1.", 7) != 0 || !is_digit(line[7]) || line[8] != ' ') {
        return -1;
    }
    const char *code = line + 9;
    if (!is_digit(code[0]) || !is_digit(code[1]) || !is_digit(code[2]) ||
        (code[3] != ' ' && code[3] != '\0')) {
        return -1;
    }
    r->minor = line[7] - '0';
    r->status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    if (r->status < 100) {
        return -1;
    }
    printable_copy(r->reason, sizeof r->reason, code[3] == ' ' ? code + 4 : "");
    return 0;
}

/* A token character (RFC 9110 §5.6.2): what a field name is made of. */
static int is_tchar(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* The last coding of a Transfer-Encoding list ("gzip, chunked") is chunked? */
static int final_coding_is_chunked(const char *value)
{
    const char *last = strrchr(value, ',');
    char coding[16];
    last = last != NULL ? last + 1 : value;
    while (*last == ' ' || *last == '\t') {
        last++;
    }
    size_t n = strcspn(last, " \t;");
    if (n >= sizeof coding) {
        return 0;
    }
    memcpy(coding, last, n);
    coding[n] = '\0';
    return ascii_ieq(coding, "chunked");
}

/* One field line, "name: value" (RFC 9112 §5), onto r. Only the fields that frame the body
 * matter here; *framing says whether this was one of them. */
static int parse_field(char *line, struct response *r, int *framing)
{
    char *colon = strchr(line, ':');
    if (colon == NULL || colon == line) {
        return fail(ST_HTTP, "malformed response: a header line is not \"name: value\"");
    }
    for (const char *p = line; p < colon; p++) {
        if (!is_tchar(*p)) {
            /* Includes whitespace before the colon, which RFC 9112 §5.1 says to reject: it
             * is how header smuggling starts. */
            return fail(ST_HTTP, "malformed response: bad character in a header name");
        }
    }
    *colon = '\0';
    char *value = colon + 1;
    while (*value == ' ' || *value == '\t') {
        value++;
    }
    size_t n = strlen(value);
    while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t')) {
        value[--n] = '\0';
    }

    *framing = 0;
    if (ascii_ieq(line, "content-length")) {
        uint64_t length;
        *framing = 1;
        if (parse_decimal(value, UINT64_MAX, &length) != 0) {
            return fail(ST_HTTP, "malformed response: Content-Length is not a decimal number");
        }
        if (r->has_length && length != r->length) {
            return fail(ST_HTTP, "malformed response: two different Content-Length values");
        }
        r->has_length = 1;
        r->length = length;
    } else if (ascii_ieq(line, "transfer-encoding")) {
        *framing = 1;
        r->has_te = 1;
        r->chunked = final_coding_is_chunked(value);    /* a later field's list comes last */
    }
    return ST_OK;
}

/* One response head: the status line and the header fields up to the empty line, at most
 * HEAD_MAX bytes in all. */
static int read_head(struct conn *c, struct response *r)
{
    size_t budget = HEAD_MAX;
    int framing = 0;
    int rc;
    memset(r, 0, sizeof *r);
    if ((rc = read_line(c, c->line, &budget, "the response headers")) != ST_OK) {
        return rc;
    }
    if (parse_status_line(c->line, r) != 0) {
        return fail(ST_HTTP, "malformed response: the first line is not an HTTP/1.x status "
                    "line");
    }
    for (;;) {
        if ((rc = read_line(c, c->line, &budget, "the response headers")) != ST_OK) {
            return rc;
        }
        if (c->line[0] == '\0') {
            return ST_OK;
        }
        if (c->line[0] == ' ' || c->line[0] == '\t') {
            /* obs-fold (RFC 9112 §5.2): the previous field goes on. Harmless for fields we
             * ignore; a folded Content-Length or Transfer-Encoding is refused. */
            if (framing) {
                return fail(ST_HTTP, "malformed response: folded Content-Length or "
                            "Transfer-Encoding");
            }
            continue;
        }
        if ((rc = parse_field(c->line, r, &framing)) != ST_OK) {
            return rc;
        }
    }
}

/* RFC 9112 §6.3, in its order, for the answer to a GET. */
static enum framing body_framing(const struct response *r)
{
    if (r->status == 204 || r->status == 304) {
        return BODY_NONE;
    }
    if (r->has_te) {
        /* Transfer-Encoding overrides Content-Length; without chunked last, only the end of
         * the connection ends the body. */
        return r->chunked ? BODY_CHUNKED : BODY_UNTIL_CLOSE;
    }
    return r->has_length ? BODY_LENGTH : BODY_UNTIL_CLOSE;
}

static int write_body(const unsigned char *p, size_t n)
{
    if (n > 0 && fwrite(p, 1, n, stdout) != n) {
        return fail(ST_FAILED, "cannot write the body to stdout: %s", strerror(errno));
    }
    return ST_OK;
}

/* Copy exactly length bytes from the connection to stdout. */
static int copy_exact(struct conn *c, uint64_t length, const char *what)
{
    uint64_t done = 0;
    while (done < length) {
        long rc = conn_fill(c);
        if (rc <= 0) {
            char where[128];
            snprintf(where, sizeof where, "%s (%" PRIu64 " of %" PRIu64 " bytes received)", what,
                     done, length);
            return stream_failed(c, rc, where);
        }
        size_t n = c->len - c->pos;
        if (n > length - done) {
            n = (size_t)(length - done);    /* less than the buffered count, so it fits */
        }
        int st = write_body(c->buf + c->pos, n);
        if (st != ST_OK) {
            return st;
        }
        c->pos += n;
        done += n;
    }
    return ST_OK;
}

/* RFC 9112 §7.1: chunk-size (hex) [chunk-ext], then that many bytes and CRLF; a size of 0 is
 * the last chunk. Extensions are ignored. 0, or -1 for a bad line or a size past 2^64 - 1. */
static int parse_chunk_size(const char *line, uint64_t *size)
{
    uint64_t v = 0;
    const char *p = line;
    if (hex_value(*p) < 0) {
        return -1;
    }
    for (; hex_value(*p) >= 0; p++) {
        if (v > (UINT64_MAX >> 4)) {
            return -1;                  /* another digit would overflow */
        }
        v = (v << 4) | (uint64_t)hex_value(*p);
    }
    while (*p == ' ' || *p == '\t') {
        p++;                            /* BWS before a chunk extension */
    }
    if (*p != '\0' && *p != ';') {
        return -1;
    }
    *size = v;
    return 0;
}

static int copy_chunked(struct conn *c)
{
    char line[CHUNK_LINE_MAX + 1];
    int rc;
    for (;;) {
        size_t budget = CHUNK_LINE_MAX;
        uint64_t size;
        if ((rc = read_line(c, line, &budget, "a chunk-size line")) != ST_OK) {
            return rc;
        }
        if (parse_chunk_size(line, &size) != 0) {
            return fail(ST_HTTP, "malformed response: bad chunk-size line");
        }
        if (size == 0) {
            break;
        }
        if ((rc = copy_exact(c, size, "a chunk")) != ST_OK ||
            (rc = read_crlf(c, "chunk data")) != ST_OK) {
            return rc;
        }
    }
    /* The trailer section: fields until an empty line. A recipient may discard them (RFC 9112
     * §7.1.2), and we do, but the empty line must arrive: it is the body's end. */
    size_t budget = HEAD_MAX;
    do {
        if ((rc = read_line(c, c->line, &budget, "the chunked trailer")) != ST_OK) {
            return rc;
        }
    } while (c->line[0] != '\0');
    return ST_OK;
}

/* A body that ends with the connection: only close_notify proves that it ended there. */
static int copy_until_close(struct conn *c)
{
    for (;;) {
        long rc = conn_fill(c);
        if (rc == 0) {
            return ST_OK;
        }
        if (rc == SSL_ERR_TRUNCATED) {
            return fail(ST_TRUNCATED, "truncated: the body runs to the end of the connection, "
                        "which closed without close_notify, so it may have been cut short");
        }
        if (rc < 0) {
            return stream_failed(c, rc, "the body");
        }
        int st = write_body(c->buf + c->pos, c->len - c->pos);
        if (st != ST_OK) {
            return st;
        }
        c->pos = c->len;
    }
}

/* The response: heads (skipping interim 1xx ones), then the body to stdout. */
static int receive_response(struct conn *c, int verbose)
{
    struct response r;
    int rc;
    for (int interim = 0;; interim++) {
        if (interim > MAX_INTERIM) {
            return fail(ST_HTTP, "malformed response: more than %d interim (1xx) responses",
                        MAX_INTERIM);
        }
        if ((rc = read_head(c, &r)) != ST_OK) {
            return rc;
        }
        if (r.status == 101) {
            return fail(ST_HTTP, "unexpected 101 Switching Protocols (no upgrade was asked)");
        }
        if (r.status >= 200) {
            break;
        }
    }
    if (verbose) {
        fprintf(stderr, "status: HTTP/1.%d %d %s\n", r.minor, r.status, r.reason);
    }
    switch (body_framing(&r)) {
    case BODY_NONE:
        rc = ST_OK;
        break;
    case BODY_LENGTH:
        rc = copy_exact(c, r.length, "the body");
        break;
    case BODY_CHUNKED:
        rc = copy_chunked(c);
        break;
    case BODY_UNTIL_CLOSE:
    default:
        rc = copy_until_close(c);
        break;
    }
    if (rc != ST_OK) {
        return rc;
    }
    if (r.status < 200 || r.status > 299) {
        return fail(ST_HTTP, "HTTP status %d%s%s", r.status, r.reason[0] != '\0' ? " " : "",
                    r.reason);
    }
    return ST_OK;
}

/* ---- the request --------------------------------------------------------------------------- */

static int send_request(struct conn *c, const struct url *u)
{
    char host[HOST_MAX + 16];
    const struct endpoint *ep = &u->server;
    /* Host is the URL's authority (RFC 9110 §7.2): brackets for IPv6, the port unless 443. */
    if (ep->port == 443) {
        snprintf(host, sizeof host, ep->bracketed ? "[%s]" : "%s", ep->host);
    } else {
        snprintf(host, sizeof host, ep->bracketed ? "[%s]:%u" : "%s:%u", ep->host, ep->port);
    }
    /* An empty path is "/", and a bare "?query" still needs the "/" before it. */
    const char *slash = u->path_len == 0 || u->path[0] == '?' ? "/" : "";
    static const char fmt[] = "GET %s%.*s HTTP/1.1\r\n"
                              "Host: %s\r\n"
                              "User-Agent: padlock-https_get/%s\r\n"
                              "Accept: */*\r\n"
                              "Connection: close\r\n"
                              "\r\n";
    int path_len = (int)u->path_len;    /* at most MAX_URL */
    int len = snprintf(NULL, 0, fmt, slash, path_len, u->path, host, ssl_version_string());
    if (len < 0) {
        return fail(ST_FAILED, "cannot format the request");
    }
    char *request = malloc((size_t)len + 1);
    if (request == NULL) {
        return fail(ST_FAILED, "out of memory");
    }
    snprintf(request, (size_t)len + 1, fmt, slash, path_len, u->path, host, ssl_version_string());
    long n = ssl_write(c->s, request, (size_t)len);
    free(request);
    if (n < 0) {
        return tls_failed(c, (int)n, "sending the request");
    }
    return ST_OK;
}

/* ---- main ---------------------------------------------------------------------------------- */

/* Everything after the arguments: set up, connect, handshake, request, response. */
static int fetch(const struct options *o, const struct url *u, const struct endpoint *dial,
                 struct conn *c)
{
    ssl_ctx *ctx = ssl_ctx_new();
    FILE *keylog = NULL;
    char *alpn = NULL;
    int fd = -1;
    int rc, err;
    if (ctx == NULL) {
        return fail(ST_FAILED, "out of memory");
    }
    if ((rc = setup_context(ctx, o, &keylog, &alpn)) != ST_OK) {
        goto out;
    }
    if ((c->s = ssl_new(ctx)) == NULL) {
        rc = fail(ST_FAILED, "out of memory");
        goto out;
    }
    /* The URL's host, also with --connect: that is the name the certificate must carry. */
    if ((err = ssl_set_hostname(c->s, u->server.host)) != SSL_OK) {
        rc = fail(ST_USAGE, "bad host in the URL (%s): %s", u->server.host,
                  ssl_error_string(err));
        goto out;
    }
    if (o->trace) {
        (void)ssl_set_trace(c->s, trace_line, NULL);
    }
    if ((rc = tcp_connect(dial, o->timeout, o->verbose, &fd)) != ST_OK) {
        goto out;
    }
    if ((err = ssl_set_fd(c->s, fd)) != SSL_OK) {
        rc = fail(ST_FAILED, "ssl_set_fd: %s", ssl_error_string(err));
        goto out;
    }
    if (o->sess_in != NULL) {
        ssl_session *sess = load_session(o->sess_in);
        if (sess != NULL) {
            (void)ssl_set_session(c->s, sess);
            ssl_session_free(sess);
        }
    }
    /* The library's own limits: the whole handshake, then each wait for the server. */
    if (o->timeout > 0) {
        unsigned ms = (unsigned)o->timeout * 1000u;
        (void)ssl_set_timeouts(c->s, ms, ms);
    }

    err = ssl_connect(c->s);
    if (o->verbose) {
        if (err == SSL_OK) {
            print_negotiated(c->s);
        }
        print_client_cert(c->s);
        if (ssl_get_session_refusal(c->s) != 0) {
            print_value("session", ssl_error_string(ssl_get_session_refusal(c->s)));
        }
        print_peer(c->s);
    }
    if (err != SSL_OK) {
        rc = tls_failed(c, err, "TLS handshake");
        goto out;
    }

    if ((rc = send_request(c, u)) == ST_OK) {
        rc = receive_response(c, o->verbose);
    }
    /* Our close_notify, best effort: the body's fate is already decided, and the server may
     * have closed its side already. */
    (void)ssl_close(c->s);
    if (o->sess_out != NULL) {
        save_session(c->s, o->sess_out);
    }

out:
    ssl_free(c->s);                     /* wipes the connection's keys */
    c->s = NULL;
    if (fd >= 0) {
        close(fd);
    }
    ssl_ctx_free(ctx);
    free(alpn);
    if (keylog != NULL) {
        fclose(keylog);
    }
    return rc;
}

int main(int argc, char **argv)
{
    struct options o;
    struct url u;
    struct endpoint dial;
    const char *err;

    parse_args(argc, argv, &o);
    if ((err = parse_url(o.url, &u)) != NULL) {
        char shown[128];                /* the URL may hold a line break: the reason may not */
        printable_copy(shown, sizeof shown, o.url);
        usage_error("bad URL %s: %s", shown, err);
    }
    dial = u.server;
    if (o.connect_to != NULL &&
        (err = parse_host_port(o.connect_to, strlen(o.connect_to), 0, &dial)) != NULL) {
        usage_error("bad --connect %s: %s", o.connect_to, err);
    }

    struct conn *c = calloc(1, sizeof *c);      /* about 80 KiB: not for the stack */
    if (c == NULL) {
        return fail(ST_FAILED, "out of memory");
    }
    c->timeout = o.timeout;
    int rc = fetch(&o, &u, &dial, c);
    free(c);

    /* The body was written with stdio: a failure may show only now. */
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc == ST_OK) {
        return fail(ST_FAILED, "cannot write the body to stdout: %s", strerror(errno));
    }
    return rc;
}
