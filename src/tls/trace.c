/* The handshake as a sequence chart for people (tls/trace.h): each message an arrow between the
 * client's and the server's lifelines, numbered in the order it really flowed, with its fields
 * decoded underneath, and the engine's notes (verdicts, derivations) between the arrows.
 *
 * Messages are decoded again here, never trusted: the server's with the parsers the engine uses
 * (tls/msg.h), the two the client writes (ClientHello, ClientKeyExchange) and NewSessionTicket
 * with small parsers of their own below, certificates with x509/cert.h and x509/key.h. A
 * message that does not parse is one "(malformed: <error name>) <n> bytes" line and nothing
 * more; an extension whose contents do not parse says so after its name.
 *
 * Output is lines of at most LINE_CAP - 1 bytes, wrapped at spaces before WRAP_COLS columns,
 * built in fixed buffers on the stack: nothing is allocated. Text that came off the wire (host
 * names, protocol names) is shown as printable ASCII with \xNN escapes, so a peer cannot write
 * control characters to the user's terminal. Long byte strings are abbreviated to their first
 * and last bytes with their length. The engine never passes secrets here, and nothing here
 * prints one.
 *
 * Not here: record-level detail (headers, sequence numbers, nonces, MACs), TLS 1.3, and
 * judgement: whether a value is acceptable is the engine's to say, in its notes. */
#include "tls/trace.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/alert.h"
#include "crypto/dh.h"
#include "tls/msg.h"
#include "x509/cert.h"
#include "x509/key.h"

#define LINE_CAP 160           /* bytes of one line, its NUL included */
#define WRAP_COLS 100          /* lines wrap at a space before this many columns */
#define TEXT_CAP 1024          /* a note or a decoded field before it is wrapped */
#define RIGHT_BAR 72           /* the column of the server's lifeline */
#define APP_DATA_SHOWN 3       /* application data records drawn each way */
#define SAN_SHOWN 16           /* subjectAltName entries listed per certificate */
#define AUTHORITIES_SHOWN 4    /* CertificateRequest authorities listed */
#define HEX_CAP 80             /* "0001…1f (32 bytes)" */
#define HEX_FULL 16            /* byte strings up to this long are shown whole */

#define ELLIPSIS "\xe2\x80\xa6"     /* U+2026 */
#define GLUE '\x1f'                 /* a space where a line must not wrap: "… (32 bytes)" */
#define NOTE_MARK "\xc2\xbb"        /* U+00BB » */

/* Line prefixes: the client's lifeline, decoded contents, their continuations, notes. */
#define LIFELINE "    |"
#define BODY "    |      "
#define BODY_MORE "    |          "
#define ITEM "    |        "
#define ITEM_MORE "    |            "
#define CERT_FIELD "    |          "
#define CERT_MORE "    |                  "
#define NOTE "    |   " NOTE_MARK " "
#define NOTE_MORE "    |     "

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/* ---- lines ------------------------------------------------------------------------------- */

/* One line being built: a prefix, then words; a word that would pass WRAP_COLS starts a new
 * line with the continuation prefix. */
typedef struct line {
    pl_trace *t;
    const char *more;          /* what a continuation line starts with */
    size_t fresh;              /* len when the line holds only its prefix */
    size_t len;                /* bytes in buf */
    size_t cols;               /* columns in buf (UTF-8 characters) */
    char buf[LINE_CAP];
} line;

/* Columns taken by n bytes of UTF-8 text: every byte that does not continue a sequence. */
static size_t columns(const char *s, size_t n)
{
    size_t cols = 0;
    for (size_t i = 0; i < n; i++) {
        if (((unsigned char)s[i] & 0xc0u) != 0x80u) {
            cols++;
        }
    }
    return cols;
}

/* Append n bytes of s, cut to what the buffer holds without splitting a UTF-8 sequence. */
static void append(line *l, const char *s, size_t n)
{
    size_t room = LINE_CAP - 1 - l->len;
    if (n > room) {
        n = room;
        while (n > 0 && ((unsigned char)s[n] & 0xc0u) == 0x80u) {
            n--;            /* s[n] is the first byte left out: never the middle of a character */
        }
    }
    memcpy(l->buf + l->len, s, n);
    l->len += n;
    l->buf[l->len] = '\0';
    l->cols += columns(s, n);
}

static void line_begin(line *l, pl_trace *t, const char *first, const char *more)
{
    l->t = t;
    l->more = more;
    l->len = 0;
    l->cols = 0;
    l->buf[0] = '\0';
    append(l, first, strlen(first));
    l->fresh = l->len;
}

/* Hand the line to the application and start a continuation line. */
static void line_emit(line *l)
{
    l->t->cb(l->t->user, l->buf);
    line_begin(l, l->t, l->more, l->more);
}

/* Emit what the line holds beyond its prefix. */
static void line_end(line *l)
{
    if (l->len > l->fresh) {
        line_emit(l);
    }
}

/* Text appended as it is: no space before it, no wrapping. */
static void line_text(line *l, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void line_text(line *l, const char *fmt, ...)
{
    char piece[LINE_CAP];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(piece, sizeof piece, fmt, ap);
    va_end(ap);
    if (n >= 0) {
        append(l, piece, strlen(piece));
    }
}

/* A word after the given number of spaces (none at the start of a line, and none when it
 * wraps to a new one). GLUE in the word becomes a space. A word too long for a line of its own
 * is cut with an ellipsis. */
static void put_word(line *l, const char *word, size_t n, size_t spaces)
{
    static const char blanks[] = "        ";
    char copy[LINE_CAP];
    size_t cols = columns(word, n), len = 0, used = 0;
    if (l->len == l->fresh) {
        spaces = 0;
    } else if (l->cols + spaces + cols > WRAP_COLS) {
        line_emit(l);
        spaces = 0;
    }
    if (spaces > sizeof blanks - 1) {
        spaces = sizeof blanks - 1;
    }
    append(l, blanks, spaces);
    /* the columns left, one kept for the ellipsis when the word does not fit */
    size_t room = l->cols < WRAP_COLS ? WRAP_COLS - l->cols : 0;
    size_t fit = cols <= room ? cols : room > 0 ? room - 1 : 0;
    for (size_t i = 0; i < n && len < sizeof copy - 4; i++) {
        int starts = ((unsigned char)word[i] & 0xc0u) != 0x80u;
        if (starts && used == fit) {
            break;
        }
        used += (size_t)starts;
        copy[len++] = word[i] == GLUE ? ' ' : word[i];
    }
    copy[len] = '\0';
    append(l, copy, len);
    if (fit < cols) {
        append(l, ELLIPSIS, sizeof ELLIPSIS - 1);
    }
}

/* One word (it may hold spaces: it is never split), after a space unless the line is fresh. */
static void line_word(line *l, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void line_word(line *l, const char *fmt, ...)
{
    char piece[LINE_CAP];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(piece, sizeof piece, fmt, ap);
    va_end(ap);
    if (n >= 0) {
        put_word(l, piece, strlen(piece), 1);
    }
}

/* Free text, split at its spaces and wrapped; runs of spaces inside a line are kept (they
 * align columns). Control characters become '?': a note or a name cannot break the chart's
 * lines. */
static void line_words(line *l, char *text)
{
    size_t start = 0, spaces = 1;
    for (size_t i = 0;; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c != '\0' && c != ' ') {
            if ((c < 0x20 && c != (unsigned char)GLUE) || c == 0x7f) {
                text[i] = '?';
            }
            continue;
        }
        if (i > start) {
            put_word(l, text + start, i - start, spaces);
            spaces = 0;
        }
        if (c == '\0') {
            break;
        }
        spaces++;
        start = i + 1;
    }
}

/* Free text into the line being built, split and wrapped like a paragraph. */
static void line_say(line *l, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void line_say(line *l, const char *fmt, ...)
{
    char text[TEXT_CAP];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n >= 0) {
        line_words(l, text);
    }
}

/* A whole paragraph: first prefix, wrapped text, continuation prefix. */
static void say(pl_trace *t, const char *first, const char *more, const char *fmt, ...)
    PRINTF_LIKE(4, 5);
static void say(pl_trace *t, const char *first, const char *more, const char *fmt, ...)
{
    char text[TEXT_CAP];
    line l;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    line_begin(&l, t, first, more);
    line_words(&l, text);
    line_end(&l);
}

static void malformed(pl_trace *t, int rc, size_t len)
{
    say(t, BODY, BODY_MORE, "(malformed: %s) %zu bytes", ssl_error_name(rc), len);
}

/* An arrow between the lifelines, numbered: client to server "|--- 1. label ---->|", server
 * to client "|<-- 2. label -----|"; fill '=' draws application data. */
static void arrow(pl_trace *t, int from_server, char fill, const char *fmt, ...) PRINTF_LIKE(4, 5);
static void arrow(pl_trace *t, int from_server, char fill, const char *fmt, ...)
{
    char label[LINE_CAP];
    const char head[3] = {from_server ? (char)'<' : fill, fill, fill};
    const char end[2] = {from_server ? fill : (char)'>', '|'};
    line l;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(label, sizeof label, fmt, ap);
    va_end(ap);
    if (n < 0) {
        label[0] = '\0';
    }
    t->step++;
    line_begin(&l, t, LIFELINE, LIFELINE);
    append(&l, head, sizeof head);
    line_text(&l, " %u. %s ", t->step, label);
    size_t to = l.cols + 2 > RIGHT_BAR - 1 ? l.cols + 2 : RIGHT_BAR - 1;
    while (l.cols < to && l.len + 1 < LINE_CAP) {
        append(&l, &fill, 1);
    }
    append(&l, end, sizeof end);
    line_emit(&l);
}

/* ---- values as text ---------------------------------------------------------------------- */

/* printf onto the end of out (cap bytes, *n of them used), cut at its end. */
static void cat(char *out, size_t cap, size_t *n, const char *fmt, ...) PRINTF_LIKE(4, 5);
static void cat(char *out, size_t cap, size_t *n, const char *fmt, ...)
{
    va_list ap;
    if (*n + 1 >= cap) {
        return;
    }
    va_start(ap, fmt);
    int k = vsnprintf(out + *n, cap - *n, fmt, ap);
    va_end(ap);
    if (k > 0) {
        *n = *n + (size_t)k < cap ? *n + (size_t)k : cap - 1;
    }
}

/* "0001020304050607…1c1d1e1f (32 bytes)": up to HEX_FULL bytes whole, longer ones by their
 * first 8 and last 4 bytes. */
static void hex_abbrev(pl_slice s, char out[HEX_CAP])
{
    pl_reader r = pl_reader_of(s);
    size_t head = s.len > HEX_FULL ? 8 : s.len, tail = s.len > HEX_FULL ? 4 : 0, n = 0;
    uint8_t b;
    out[0] = '\0';
    if (s.len == 0) {
        cat(out, HEX_CAP, &n, "(empty)");
        return;
    }
    for (size_t i = 0; i < head && pl_read_u8(&r, &b) == 0; i++) {
        cat(out, HEX_CAP, &n, "%02x", b);
    }
    if (tail > 0 && pl_read_skip(&r, s.len - head - tail) == 0) {
        cat(out, HEX_CAP, &n, "%s", ELLIPSIS);
        for (size_t i = 0; i < tail && pl_read_u8(&r, &b) == 0; i++) {
            cat(out, HEX_CAP, &n, "%02x", b);
        }
    }
    cat(out, HEX_CAP, &n, "%c(%zu%cbyte%s)", GLUE, s.len, GLUE, s.len == 1 ? "" : "s");
}

/* Bytes off the wire as text: printable ASCII as it is, anything else (and the backslash) as
 * \xNN; cut with "..." when out (at least 4 bytes) is too small. */
static void escape_text(pl_slice s, char *out, size_t cap)
{
    pl_reader r = pl_reader_of(s);
    size_t n = 0;
    uint8_t b;
    out[0] = '\0';
    while (pl_read_u8(&r, &b) == 0) {
        char piece[5];
        if (b >= 0x20 && b < 0x7f && b != '\\') {
            piece[0] = (char)b;
            piece[1] = '\0';
        } else {
            snprintf(piece, sizeof piece, "\\x%02x", b);
        }
        size_t len = strlen(piece);
        if (n + len + 4 > cap) {
            memcpy(out + n, "...", 4);
            return;
        }
        memcpy(out + n, piece, len + 1);
        n += len;
    }
}

/* The number of bits in a big-endian magnitude (leading zero bytes ignored). */
static size_t magnitude_bits(pl_slice m)
{
    pl_reader r = pl_reader_of(m);
    uint8_t top = 0;
    while (pl_read_u8(&r, &top) == 0 && top == 0) {
    }
    if (top == 0) {
        return 0;
    }
    size_t bits = pl_reader_left(&r) * 8;
    while (top != 0) {
        bits++;
        top = (uint8_t)(top >> 1);
    }
    return bits;
}

struct name16 {
    uint16_t id;
    const char *name;
};

static const char *find16(const struct name16 *tab, size_t n, uint16_t id)
{
    for (size_t i = 0; i < n; i++) {
        if (tab[i].id == id) {
            return tab[i].name;
        }
    }
    return NULL;
}

/* Suites padlock does not implement but other clients offer and servers choose, by their IANA
 * names, so that a foreign hello reads as well as ours. */
static const struct name16 other_suites[] = {
    {0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA"},
    {0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"},
    {0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"},
    {0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"},
    {0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256"},
    {0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256"},
    {0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"},
    {0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"},
    {0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"},
    {0x1301, "TLS_AES_128_GCM_SHA256"},
    {0x1302, "TLS_AES_256_GCM_SHA384"},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256"},
    {0x5600, "TLS_FALLBACK_SCSV"},
    {0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
    {0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
    {0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
    {0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
    {0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
    {0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
    {0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
    {0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
};

/* NamedGroup (RFC 8422 §5.1.1, RFC 7919 §2, RFC 8446 §4.2.7) */
static const struct name16 groups[] = {
    {PL_GROUP_SECP256R1, "secp256r1"}, {PL_GROUP_SECP384R1, "secp384r1"}, {25, "secp521r1"},
    {PL_GROUP_X25519, "x25519"},       {30, "x448"},
    {PL_GROUP_FFDHE2048, "ffdhe2048"}, {PL_GROUP_FFDHE3072, "ffdhe3072"},
    {PL_GROUP_FFDHE4096, "ffdhe4096"}, {259, "ffdhe6144"},
    {260, "ffdhe8192"},
};

/* SignatureScheme (RFC 8446 §4.2.3), and the TLS 1.2 (hash, signature) pairs with no scheme
 * name (RFC 5246 §7.4.1.4.1). */
static const struct name16 sigalgs[] = {
    {0x0201, "rsa_pkcs1_sha1"},
    {0x0202, "dsa_sha1"},
    {0x0203, "ecdsa_sha1"},
    {0x0301, "rsa_pkcs1_sha224"},
    {0x0303, "ecdsa_sha224"},
    {PL_SIG_RSA_PKCS1_SHA256, "rsa_pkcs1_sha256"},
    {PL_SIG_ECDSA_SECP256R1_SHA256, "ecdsa_secp256r1_sha256"},
    {PL_SIG_RSA_PKCS1_SHA384, "rsa_pkcs1_sha384"},
    {PL_SIG_ECDSA_SECP384R1_SHA384, "ecdsa_secp384r1_sha384"},
    {PL_SIG_RSA_PKCS1_SHA512, "rsa_pkcs1_sha512"},
    {0x0603, "ecdsa_secp521r1_sha512"},
    {PL_SIG_RSA_PSS_RSAE_SHA256, "rsa_pss_rsae_sha256"},
    {PL_SIG_RSA_PSS_RSAE_SHA384, "rsa_pss_rsae_sha384"},
    {PL_SIG_RSA_PSS_RSAE_SHA512, "rsa_pss_rsae_sha512"},
    {0x0807, "ed25519"},
    {0x0808, "ed448"},
    {0x0809, "rsa_pss_pss_sha256"},
    {0x080a, "rsa_pss_pss_sha384"},
    {0x080b, "rsa_pss_pss_sha512"},
};

/* ExtensionType (IANA registry): the ones padlock uses, then others often seen in hellos. */
static const struct name16 extensions[] = {
    {PL_EXT_SERVER_NAME, "server_name"},
    {PL_EXT_SUPPORTED_GROUPS, "supported_groups"},
    {PL_EXT_EC_POINT_FORMATS, "ec_point_formats"},
    {PL_EXT_SIGNATURE_ALGORITHMS, "signature_algorithms"},
    {PL_EXT_ALPN, "application_layer_protocol_negotiation"},
    {PL_EXT_EXTENDED_MASTER_SECRET, "extended_master_secret"},
    {PL_EXT_SESSION_TICKET, "session_ticket"},
    {PL_EXT_RENEGOTIATION_INFO, "renegotiation_info"},
    {1, "max_fragment_length"},
    {5, "status_request"},
    {15, "heartbeat"},
    {18, "signed_certificate_timestamp"},
    {21, "padding"},
    {22, "encrypt_then_mac"},
    {27, "compress_certificate"},
    {28, "record_size_limit"},
    {43, "supported_versions"},
    {45, "psk_key_exchange_modes"},
    {49, "post_handshake_auth"},
    {50, "signature_algorithms_cert"},
    {51, "key_share"},
};

/* A name for each value; unknown ones as "0x1301 (unknown)" in buf. */
typedef const char *namer(uint16_t v, char *buf, size_t cap);

static const char *or_hex(const char *name, uint16_t v, char *buf, size_t cap)
{
    if (name != NULL) {
        return name;
    }
    snprintf(buf, cap, "0x%04x (unknown)", v);
    return buf;
}

static const char *suite_name(uint16_t v, char *buf, size_t cap)
{
    const pl_suite *s = pl_suite_by_id(v);
    if (s != NULL) {
        return s->name;
    }
    return or_hex(find16(other_suites, PL_ARRAY_LEN(other_suites), v), v, buf, cap);
}

static const char *group_name(uint16_t v, char *buf, size_t cap)
{
    return or_hex(find16(groups, PL_ARRAY_LEN(groups), v), v, buf, cap);
}

static const char *sigalg_name(uint16_t v, char *buf, size_t cap)
{
    return or_hex(find16(sigalgs, PL_ARRAY_LEN(sigalgs), v), v, buf, cap);
}

static const char *version_name(uint16_t v, char *buf, size_t cap)
{
    static const struct name16 versions[] = {
        {0x0300, "SSL 3.0 (3,0)"}, {0x0301, "TLS 1.0 (3,1)"}, {0x0302, "TLS 1.1 (3,2)"},
        {0x0303, "TLS 1.2 (3,3)"}, {0x0304, "TLS 1.3 (3,4)"},
    };
    return or_hex(find16(versions, PL_ARRAY_LEN(versions), v), v, buf, cap);
}

/* CompressionMethod (RFC 5246 §7.4.1.2, RFC 3749) */
static const char *compression_name(uint16_t v, char *buf, size_t cap)
{
    static const struct name16 methods[] = {{0, "null"}, {1, "DEFLATE"}};
    return or_hex(find16(methods, PL_ARRAY_LEN(methods), v), v, buf, cap);
}

/* ECPointFormat (RFC 8422 §5.1.2) */
static const char *point_format_name(uint16_t v, char *buf, size_t cap)
{
    static const struct name16 formats[] = {
        {0, "uncompressed"}, {1, "ansiX962_compressed_prime"}, {2, "ansiX962_compressed_char2"},
    };
    return or_hex(find16(formats, PL_ARRAY_LEN(formats), v), v, buf, cap);
}

/* ClientCertificateType (RFC 5246 §7.4.4, RFC 8422 §5.5) */
static const char *cert_type_name(uint16_t v, char *buf, size_t cap)
{
    static const struct name16 types[] = {
        {1, "rsa_sign"},        {2, "dss_sign"},         {3, "rsa_fixed_dh"},
        {4, "dss_fixed_dh"},    {64, "ecdsa_sign"},      {65, "rsa_fixed_ecdh"},
        {66, "ecdsa_fixed_ecdh"},
    };
    return or_hex(find16(types, PL_ARRAY_LEN(types), v), v, buf, cap);
}


static const char *cert_sig_name(enum pl_cert_sig sig)
{
    switch (sig) {
    case PL_CERT_SIG_MD5_RSA:
        return "md5WithRSAEncryption";
    case PL_CERT_SIG_SHA1_RSA:
        return "sha1WithRSAEncryption";
    case PL_CERT_SIG_SHA256_RSA:
        return "sha256WithRSAEncryption";
    case PL_CERT_SIG_SHA384_RSA:
        return "sha384WithRSAEncryption";
    case PL_CERT_SIG_SHA512_RSA:
        return "sha512WithRSAEncryption";
    case PL_CERT_SIG_RSA_PSS:
        return "RSASSA-PSS";
    case PL_CERT_SIG_ECDSA_SHA1:
        return "ecdsa-with-SHA1";
    case PL_CERT_SIG_ECDSA_SHA256:
        return "ecdsa-with-SHA256";
    case PL_CERT_SIG_ECDSA_SHA384:
        return "ecdsa-with-SHA384";
    case PL_CERT_SIG_ECDSA_SHA512:
        return "ecdsa-with-SHA512";
    case PL_CERT_SIG_UNKNOWN:
    default:
        return "an algorithm padlock does not know";
    }
}

/* Words for a list of 8- or 16-bit values (width 1 or 2) filling a reader: "a, b, c". */
static void list_words(line *l, pl_reader *r, size_t width, namer *name)
{
    while (pl_reader_left(r) >= width) {
        char buf[32];
        uint8_t v8 = 0;
        uint16_t v = 0;
        int rc = width == 1 ? pl_read_u8(r, &v8) : pl_read_u16(r, &v);
        if (rc < 0) {
            return;
        }
        if (width == 1) {
            v = v8;
        }
        const char *s = name(v, buf, sizeof buf);
        line_word(l, "%s%s", s, pl_reader_left(r) >= width ? "," : "");
    }
}

/* A vector of values as an extension's contents: 0 when it decoded, else the error. */
static int list_vec(line *l, pl_reader *r, size_t prefix, size_t width, namer *name)
{
    pl_reader list;
    if (prefix == 1) {
        TRY(pl_read_sub8(r, 1, 255, &list));
    } else {
        TRY(pl_read_sub16(r, 2, 0xffff, &list));
    }
    ENSURE(pl_reader_left(&list) % width == 0, SSL_ERR_DECODE_VEC_LENGTH);
    list_words(l, &list, width, name);
    return pl_read_end(r);
}

/* ---- hello extensions -------------------------------------------------------------------- */

/* RFC 6066 §3 ServerNameList: the host names (an empty body in the server's answer). */
static int show_server_name(line *l, pl_reader *r, int from_server)
{
    pl_reader list;
    if (from_server && pl_reader_left(r) == 0) {
        line_say(l, "(empty: the server knows the name we asked for)");
        return 0;
    }
    TRY(pl_read_sub16(r, 1, 0xffff, &list));
    while (pl_reader_left(&list) > 0) {
        uint8_t type;
        pl_slice name;
        char text[PL_HOSTNAME_MAX + 8];
        TRY(pl_read_u8(&list, &type));
        TRY(pl_read_vec16(&list, 1, 0xffff, &name));
        escape_text(name, text, sizeof text);
        if (type == 0) {
            line_word(l, "%s", text);
        } else {
            line_word(l, "(name type %u) %s", type, text);
        }
    }
    return pl_read_end(r);
}

/* RFC 7301 §3.1 ProtocolNameList. */
static int show_alpn(line *l, pl_reader *r)
{
    pl_reader list;
    TRY(pl_read_sub16(r, 2, 0xffff, &list));
    while (pl_reader_left(&list) > 0) {
        pl_slice name;
        char text[64];
        TRY(pl_read_vec8(&list, 1, 255, &name));
        escape_text(name, text, sizeof text);
        line_word(l, "%s%s", text, pl_reader_left(&list) > 0 ? "," : "");
    }
    return pl_read_end(r);
}

/* RFC 5746 §3.2 renegotiated_connection<0..255>: empty in a first handshake. */
static int show_renegotiation_info(line *l, pl_reader *r, int from_server)
{
    pl_slice v;
    char hex[HEX_CAP];
    TRY(pl_read_vec8(r, 0, 255, &v));
    if (v.len == 0) {
        line_say(l, from_server ? "(empty: the server supports secure renegotiation, RFC 5746)"
                                : "(empty: a first handshake, RFC 5746)");
    } else {
        hex_abbrev(v, hex);
        line_word(l, "%s", hex);
    }
    return pl_read_end(r);
}

static int show_extension_body(line *l, uint16_t type, pl_reader *r, int from_server)
{
    switch (type) {
    case PL_EXT_SERVER_NAME:
        return show_server_name(l, r, from_server);
    case PL_EXT_SUPPORTED_GROUPS:
        return list_vec(l, r, 2, 2, group_name);
    case PL_EXT_EC_POINT_FORMATS:
        return list_vec(l, r, 1, 1, point_format_name);
    case PL_EXT_SIGNATURE_ALGORITHMS:
        return list_vec(l, r, 2, 2, sigalg_name);
    case PL_EXT_ALPN:
        return show_alpn(l, r);
    case PL_EXT_RENEGOTIATION_INFO:
        return show_renegotiation_info(l, r, from_server);
    case PL_EXT_EXTENDED_MASTER_SECRET:
        if (pl_reader_left(r) == 0) {
            line_say(l, from_server ? "(the master secret will cover the whole handshake)"
                                    : "(asks to bind the master secret to the handshake)");
        }
        return pl_read_end(r);
    case PL_EXT_SESSION_TICKET:
        if (pl_reader_left(r) == 0) {
            line_say(l, from_server ? "(the server will send a ticket)"
                                    : "(empty: we would take a ticket)");
            return 0;
        }
        break;
    default:
        break;
    }
    /* an extension shown by name and size only */
    if (pl_reader_left(r) == 0) {
        line_word(l, "(empty)");
    } else {
        line_word(l, "(%zu bytes)", pl_reader_left(r));
    }
    return 0;
}

/* Each extension on a line of its own: its name, then its contents decoded. The block has
 * been walked once already (check_extensions), so the framing reads succeed here. */
static void show_extensions(pl_trace *t, pl_slice block, int present, int from_server)
{
    pl_reader r = pl_reader_of(block);
    if (!present || block.len == 0) {
        say(t, BODY, BODY_MORE, "extensions: none");
        return;
    }
    say(t, BODY, BODY_MORE, "extensions:");
    while (pl_reader_left(&r) > 0) {
        uint16_t type;
        pl_reader body;
        char buf[32];
        line l;
        if (pl_read_u16(&r, &type) < 0 || pl_read_sub16(&r, 0, 0xffff, &body) < 0) {
            return;
        }
        size_t len = pl_reader_left(&body);
        const char *name = find16(extensions, PL_ARRAY_LEN(extensions), type);
        line_begin(&l, t, ITEM, ITEM_MORE);
        line_word(&l, "%s", name != NULL ? name : or_hex(NULL, type, buf, sizeof buf));
        int rc = show_extension_body(&l, type, &body, from_server);
        if (rc < 0) {
            line_say(&l, "(malformed contents: %s, %zu bytes)", ssl_error_name(rc), len);
        }
        line_end(&l);
    }
}

/* Extensions<0..2^16-1>: a run of (ExtensionType, opaque extension_data<0..2^16-1>). */
static int check_extensions(pl_slice block)
{
    pl_reader r = pl_reader_of(block);
    while (pl_reader_left(&r) > 0) {
        uint16_t type;
        pl_slice body;
        TRY(pl_read_u16(&r, &type));
        TRY(pl_read_vec16(&r, 0, 0xffff, &body));
    }
    return 0;
}

/* ---- the messages ------------------------------------------------------------------------ */

/* RFC 5246 §7.4.1.2 ClientHello, as the client wrote it: the fields, kept as slices. */
struct client_hello {
    uint16_t version;
    pl_slice random;
    pl_slice session_id;
    pl_slice suites;
    pl_slice compressions;
    pl_slice extensions;
    int has_extensions;
};

static int parse_client_hello(pl_reader *r, struct client_hello *ch)
{
    memset(ch, 0, sizeof *ch);
    TRY(pl_read_u16(r, &ch->version));
    TRY(pl_read_slice(r, 32, &ch->random));
    TRY(pl_read_vec8(r, 0, 32, &ch->session_id));
    TRY(pl_read_vec16(r, 2, 0xfffe, &ch->suites));
    ENSURE(ch->suites.len % 2 == 0, SSL_ERR_DECODE_VEC_LENGTH);
    TRY(pl_read_vec8(r, 1, 255, &ch->compressions));
    if (pl_reader_left(r) > 0) {
        ch->has_extensions = 1;
        TRY(pl_read_vec16(r, 0, 0xffff, &ch->extensions));
        TRY(check_extensions(ch->extensions));
    }
    return pl_read_end(r);
}

static void show_version_random(pl_trace *t, uint16_t version, pl_slice random)
{
    char vbuf[32], hex[HEX_CAP];
    hex_abbrev(random, hex);
    say(t, BODY, BODY_MORE, "version %s, random %s", version_name(version, vbuf, sizeof vbuf),
        hex);
}

static void show_client_hello(pl_trace *t, pl_reader *body)
{
    struct client_hello ch;
    char hex[HEX_CAP];
    line l;
    size_t len = pl_reader_left(body);
    int rc = parse_client_hello(body, &ch);
    if (rc < 0) {
        malformed(t, rc, len);
        return;
    }
    show_version_random(t, ch.version, ch.random);
    if (ch.session_id.len == 0) {
        say(t, BODY, BODY_MORE, "session_id empty (a new session)");
    } else {
        hex_abbrev(ch.session_id, hex);
        say(t, BODY, BODY_MORE, "session_id %s (asks to resume that session)", hex);
    }
    pl_reader list = pl_reader_of(ch.suites);
    line_begin(&l, t, BODY, BODY_MORE);
    line_word(&l, "cipher suites (%zu):", ch.suites.len / 2);
    list_words(&l, &list, 2, suite_name);
    line_end(&l);
    list = pl_reader_of(ch.compressions);
    line_begin(&l, t, BODY, BODY_MORE);
    line_word(&l, "compression:");
    list_words(&l, &list, 1, compression_name);
    line_end(&l);
    show_extensions(t, ch.extensions, ch.has_extensions, 0);
}

/* Where ServerHello's extensions are, once pl_msg_parse_server_hello has accepted it, to show
 * them in the order they were sent. */
static int server_hello_extensions(pl_reader r, pl_slice *block, int *present)
{
    uint16_t u16;
    uint8_t u8;
    pl_slice skip;
    TRY(pl_read_u16(&r, &u16));
    TRY(pl_read_skip(&r, 32));
    TRY(pl_read_vec8(&r, 0, 32, &skip));
    TRY(pl_read_u16(&r, &u16));
    TRY(pl_read_u8(&r, &u8));
    *present = pl_reader_left(&r) > 0;
    block->ptr = NULL;
    block->len = 0;
    if (*present) {
        TRY(pl_read_vec16(&r, 0, 0xffff, block));
    }
    return 0;
}

/* RFC 8446 §4.1.3: a TLS 1.3 server that settles for TLS 1.2 ends its random with
 * "DOWNGRD\x01" (so a 1.3 client can detect a downgrade attack); "DOWNGRD\x00" for 1.1 and
 * below. */
static int downgrade_sentinel(const uint8_t random[32])
{
    static const uint8_t sentinel[7] = {'D', 'O', 'W', 'N', 'G', 'R', 'D'};
    pl_reader r;
    uint8_t tail[7], last;
    pl_reader_init(&r, random, 32);
    if (pl_read_skip(&r, 24) < 0 || pl_read_copy(&r, tail, sizeof tail) < 0 ||
        pl_read_u8(&r, &last) < 0) {
        return 0;
    }
    return memcmp(tail, sentinel, sizeof sentinel) == 0 && last <= 1;
}

static void show_server_hello(pl_trace *t, pl_reader *body)
{
    pl_server_hello sh;
    pl_reader start = *body;
    pl_slice block;
    int present = 0;
    char buf[48], hex[HEX_CAP];
    size_t len = pl_reader_left(body);
    int rc = pl_msg_parse_server_hello(body, &sh);
    if (rc == 0) {
        rc = server_hello_extensions(start, &block, &present);
    }
    if (rc < 0) {
        malformed(t, rc, len);
        return;
    }
    pl_slice random = {sh.random, sizeof sh.random};
    show_version_random(t, sh.version, random);
    if (downgrade_sentinel(sh.random)) {
        say(t, BODY_MORE, BODY_MORE, "(the random ends in \"DOWNGRD\": the server also speaks "
            "TLS 1.3, RFC 8446 §4.1.3)");
    }
    if (sh.session_id.len == 0) {
        say(t, BODY, BODY_MORE, "session_id empty (this session cannot be resumed by id)");
    } else {
        hex_abbrev(sh.session_id, hex);
        say(t, BODY, BODY_MORE, "session_id %s", hex);
    }
    say(t, BODY, BODY_MORE, "chose %s (0x%04x), compression %s",
        suite_name(sh.suite, buf, sizeof buf), sh.suite,
        compression_name(sh.compression, hex, sizeof hex));
    show_extensions(t, block, present, 1);
}

/* The key in a SubjectPublicKeyInfo, in words: "RSA 2048 bits", "EC P-256 (secp256r1)". */
static void key_words(pl_slice spki, char *out, size_t cap)
{
    pl_spki info;
    pl_slice n, e;
    int rc = pl_key_parse_spki_info(spki, &info);
    if (rc == 0 && info.alg == PL_KEY_RSA) {
        rc = pl_key_parse_rsa_public_der(info.key, &n, &e);
        if (rc == 0) {
            snprintf(out, cap, "RSA %zu bits", magnitude_bits(n));
            return;
        }
    }
    if (rc == 0 && info.alg == PL_KEY_EC) {
        switch (info.curve) {
        case PL_EC_P256:
            snprintf(out, cap, "EC P-256 (secp256r1)");
            return;
        case PL_EC_P384:
            snprintf(out, cap, "EC P-384 (secp384r1)");
            return;
        default:
            break;
        }
    }
    snprintf(out, cap, "(not one padlock can use: %s)", ssl_error_name(rc));
}

/* A GeneralName of a subjectAltName as a word: "DNS:example.com", "IP:192.0.2.1". */
static void general_name_text(const pl_general_name *gn, char *out, size_t cap)
{
    char text[PL_HOSTNAME_MAX + 8];
    pl_reader r = pl_reader_of(gn->value);
    uint16_t v16;
    uint8_t v8;
    size_t n = 0;
    switch (gn->tag) {
    case PL_GN_DNS:
        escape_text(gn->value, text, sizeof text);
        snprintf(out, cap, "DNS:%s", text);
        return;
    case PL_GN_IP:
        out[0] = '\0';
        if (gn->value.len == 4) {
            cat(out, cap, &n, "IP:");
            for (int i = 0; i < 4 && pl_read_u8(&r, &v8) == 0; i++) {
                cat(out, cap, &n, "%s%u", i == 0 ? "" : ".", v8);
            }
            return;
        }
        if (gn->value.len == 16) {
            cat(out, cap, &n, "IP:");
            for (int i = 0; i < 8 && pl_read_u16(&r, &v16) == 0; i++) {
                cat(out, cap, &n, "%s%x", i == 0 ? "" : ":", v16);
            }
            return;
        }
        snprintf(out, cap, "IP:(%zu bytes)", gn->value.len);
        return;
    case 0x81:
        escape_text(gn->value, text, sizeof text);
        snprintf(out, cap, "email:%s", text);
        return;
    case 0x86:
        escape_text(gn->value, text, sizeof text);
        snprintf(out, cap, "URI:%s", text);
        return;
    case PL_GN_DIRECTORY:
        snprintf(out, cap, "dirName");
        return;
    default:
        snprintf(out, cap, "other(tag 0x%02x)", gn->tag);
        return;
    }
}

static void show_san(pl_trace *t, const pl_cert *c)
{
    pl_der it;
    pl_general_name gn;
    size_t count = 0, shown = 0;
    line l;
    pl_cert_names_init(&it, c->san);
    while (pl_cert_next_name(&it, &gn)) {
        count++;
    }
    pl_cert_names_init(&it, c->san);
    line_begin(&l, t, CERT_FIELD, CERT_MORE);
    line_word(&l, "names  ");
    while (shown < SAN_SHOWN && pl_cert_next_name(&it, &gn)) {
        char text[PL_HOSTNAME_MAX + 16];
        general_name_text(&gn, text, sizeof text);
        shown++;
        line_word(&l, "%s%s", text, shown < count ? "," : "");
    }
    if (count > shown) {
        line_word(&l, "(%zu more)", count - shown);
    }
    line_end(&l);
}

static void show_one_certificate(pl_trace *t, size_t i, pl_slice der)
{
    pl_cert c;
    char name[256], from[21], until[21], key[64];
    int rc = pl_cert_parse(&c, der.ptr, der.len);
    if (rc < 0) {
        say(t, BODY, CERT_MORE, "[%zu] (malformed: %s) %zu bytes", i, ssl_error_name(rc),
            der.len);
        return;
    }
    pl_cert_name_string(c.subject, name, sizeof name);
    say(t, BODY, CERT_MORE, "[%zu] subject %s", i, name[0] != '\0' ? name : "(empty)");
    if (c.issuer.len == c.subject.len && memcmp(c.issuer.ptr, c.subject.ptr, c.issuer.len) == 0) {
        say(t, CERT_FIELD, CERT_MORE, "issuer  the same (self-signed)");
    } else {
        pl_cert_name_string(c.issuer, name, sizeof name);
        say(t, CERT_FIELD, CERT_MORE, "issuer  %s", name[0] != '\0' ? name : "(empty)");
    }
    pl_cert_time_string(c.not_before, from);
    pl_cert_time_string(c.not_after, until);
    say(t, CERT_FIELD, CERT_MORE, "valid   %s .. %s", from, until);
    key_words(c.spki, key, sizeof key);
    say(t, CERT_FIELD, CERT_MORE, "key     %s%s; signed by the issuer with %s", key,
        c.ca ? "; a CA" : "", cert_sig_name(c.sig));
    if (c.ext & PL_EXT_SUBJECT_ALT_NAME) {
        show_san(t, &c);
    }
}

static void show_certificate(pl_trace *t, pl_reader *body, int from_server)
{
    pl_slice certs[PL_MAX_CHAIN];
    size_t count = 0;
    size_t len = pl_reader_left(body);
    int rc = pl_msg_parse_certificate(body, certs, PL_MAX_CHAIN, &count);
    if (rc < 0) {
        malformed(t, rc, len);
        return;
    }
    if (count == 0) {
        say(t, BODY, BODY_MORE, "no certificates (an empty list%s)",
            from_server ? "" : ": none to offer for this request");
        return;
    }
    say(t, BODY, BODY_MORE, "%zu certificate%s, %s", count, count == 1 ? "" : "s",
        count == 1 ? "the sender's own" : "the sender's own first, then those vouching for it");
    for (size_t i = 0; i < count; i++) {
        show_one_certificate(t, i, certs[i]);
    }
}

/* An RFC 7919 group recognised by its prime (leading zero bytes ignored), or NULL. */
static const char *ffdhe_by_prime(pl_slice p)
{
    static const uint16_t named[] = {PL_GROUP_FFDHE2048, PL_GROUP_FFDHE3072, PL_GROUP_FFDHE4096};
    pl_reader r = pl_reader_of(p);
    pl_slice rest;
    uint8_t b;
    pl_reader before = r;
    while (pl_read_u8(&r, &b) == 0 && b == 0) {
        before = r;
    }
    r = before;
    if (pl_read_slice(&r, pl_reader_left(&r), &rest) < 0) {
        return NULL;
    }
    for (size_t i = 0; i < PL_ARRAY_LEN(named); i++) {
        const pl_dh_group *g = pl_dh_ffdhe(named[i]);
        if (g != NULL && g->p_len == rest.len && memcmp(g->p, rest.ptr, rest.len) == 0) {
            return g->name;
        }
    }
    return NULL;
}

/* A small number as decimal, a large one as hex. */
static void number_text(pl_slice v, char out[HEX_CAP])
{
    pl_reader r = pl_reader_of(v);
    uint64_t n = 0;
    uint8_t b;
    if (magnitude_bits(v) > 32) {
        hex_abbrev(v, out);
        return;
    }
    while (pl_read_u8(&r, &b) == 0) {
        n = (n << 8) | b;
    }
    snprintf(out, HEX_CAP, "%llu", (unsigned long long)n);
}

static void show_server_kx(pl_trace *t, pl_reader *body, const pl_suite *suite)
{
    pl_server_kx skx;
    char buf[32], hex[HEX_CAP], g[HEX_CAP];
    size_t len = pl_reader_left(body);
    if (suite == NULL || suite->kx == PL_KX_RSA) {
        say(t, BODY, BODY_MORE, "%zu bytes, not decoded: %s", len,
            suite == NULL ? "no cipher suite chosen yet" : "the RSA key exchange has none");
        return;
    }
    int ecdhe = suite->kx != PL_KX_DHE_RSA;
    int rc = pl_msg_parse_server_kx(body, ecdhe, &skx);
    if (rc < 0) {
        malformed(t, rc, len);
        return;
    }
    if (ecdhe) {
        t->group = skx.group;
        hex_abbrev(skx.point, hex);
        say(t, BODY, BODY_MORE, "ECDHE on %s, server's ephemeral public key %s",
            group_name(skx.group, buf, sizeof buf), hex);
    } else {
        const char *named = ffdhe_by_prime(skx.dh_p);
        t->group = 0;
        number_text(skx.dh_g, g);
        say(t, BODY, BODY_MORE, "DHE in %s%s: p %zu bits, g %s", named != NULL ? named : "a group "
            "the server chose", named != NULL ? " (RFC 7919)" : "", magnitude_bits(skx.dh_p), g);
        hex_abbrev(skx.dh_ys, hex);
        say(t, BODY, BODY_MORE, "the server's ephemeral public value Ys %s", hex);
    }
    hex_abbrev(skx.signature, hex);
    say(t, BODY, BODY_MORE, "signature %s %s", sigalg_name(skx.sigalg, buf, sizeof buf), hex);
}

static void show_cert_request(pl_trace *t, pl_reader *body)
{
    pl_cert_request cr;
    pl_reader r;
    line l;
    size_t count = 0, shown = 0;
    size_t len = pl_reader_left(body);
    int rc = pl_msg_parse_cert_request(body, &cr);
    if (rc < 0) {
        malformed(t, rc, len);
        return;
    }
    line_begin(&l, t, BODY, BODY_MORE);
    line_word(&l, "certificate types:");
    r = pl_reader_of(cr.cert_types);
    list_words(&l, &r, 1, cert_type_name);
    line_end(&l);
    line_begin(&l, t, BODY, BODY_MORE);
    line_word(&l, "signature algorithms:");
    r = pl_reader_of(cr.sigalgs);
    list_words(&l, &r, 2, sigalg_name);
    line_end(&l);
    r = pl_reader_of(cr.authorities);
    pl_slice dn;
    while (pl_read_vec16(&r, 1, 0xffff, &dn) == 0) {
        count++;
    }
    if (count == 0) {
        say(t, BODY, BODY_MORE, "certificate authorities: any");
        return;
    }
    say(t, BODY, BODY_MORE, "certificate authorities (%zu):", count);
    r = pl_reader_of(cr.authorities);
    while (shown < AUTHORITIES_SHOWN && pl_read_vec16(&r, 1, 0xffff, &dn) == 0) {
        char name[256];
        pl_cert_name_string(dn, name, sizeof name);
        say(t, ITEM, ITEM_MORE, "%s", name[0] != '\0' ? name : "(empty)");
        shown++;
    }
    if (count > shown) {
        say(t, ITEM, ITEM_MORE, "(%zu more)", count - shown);
    }
}

static void show_empty(pl_trace *t, pl_reader *body, const char *meaning)
{
    size_t len = pl_reader_left(body);
    int rc = pl_msg_parse_empty(body);
    if (rc < 0) {
        malformed(t, rc, len);
        return;
    }
    say(t, BODY, BODY_MORE, "(empty: %s)", meaning);
}

/* RFC 5246 §7.4.7 ClientKeyExchange, by the suite's key exchange (RFC 8422 §5.7 ECPoint
 * <1..255>; §7.4.7.2 dh_Yc<1..2^16-1>; §7.4.7.1 EncryptedPreMasterSecret<0..2^16-1>). */
static void show_client_kx(pl_trace *t, pl_reader *body, const pl_suite *suite)
{
    pl_slice v;
    char buf[32], hex[HEX_CAP];
    int rc;
    size_t len = pl_reader_left(body);
    if (suite == NULL) {
        say(t, BODY, BODY_MORE, "%zu bytes, not decoded: no cipher suite chosen yet", len);
        return;
    }
    switch (suite->kx) {
    case PL_KX_ECDHE_ECDSA:
    case PL_KX_ECDHE_RSA:
        rc = pl_read_vec8(body, 1, 255, &v);
        break;
    case PL_KX_DHE_RSA:
        rc = pl_read_vec16(body, 1, 0xffff, &v);
        break;
    case PL_KX_RSA:
        rc = pl_read_vec16(body, 0, 0xffff, &v);
        break;
    default:
        rc = SSL_ERR_INTERNAL;
        break;
    }
    if (rc == 0) {
        rc = pl_read_end(body);
    }
    if (rc < 0) {
        malformed(t, rc, len);
        return;
    }
    hex_abbrev(v, hex);
    switch (suite->kx) {
    case PL_KX_ECDHE_ECDSA:
    case PL_KX_ECDHE_RSA:
        if (t->group != 0) {
            say(t, BODY, BODY_MORE, "our ephemeral public key on %s %s",
                group_name(t->group, buf, sizeof buf), hex);
        } else {
            say(t, BODY, BODY_MORE, "our ephemeral public key %s", hex);
        }
        break;
    case PL_KX_DHE_RSA:
        say(t, BODY, BODY_MORE, "our ephemeral public value Yc %s", hex);
        break;
    case PL_KX_RSA:
    default:
        say(t, BODY, BODY_MORE, "encrypted pre_master_secret %s", hex);
        break;
    }
}

/* RFC 5077 §3.3 NewSessionTicket: ticket_lifetime_hint (seconds), ticket<0..2^16-1>. */
static void show_session_ticket(pl_trace *t, pl_reader *body)
{
    uint32_t hint = 0;
    pl_slice ticket;
    char hex[HEX_CAP];
    size_t len = pl_reader_left(body);
    int rc = pl_read_u32(body, &hint);
    if (rc == 0) {
        rc = pl_read_vec16(body, 0, 0xffff, &ticket);
    }
    if (rc == 0) {
        rc = pl_read_end(body);
    }
    if (rc < 0) {
        malformed(t, rc, len);
        return;
    }
    hex_abbrev(ticket, hex);
    say(t, BODY, BODY_MORE, "lifetime hint %lu s, ticket %s", (unsigned long)hint, hex);
}

/* RFC 5246 §7.4.8 CertificateVerify: the scheme and the signature over the handshake so far. */
static void show_cert_verify(pl_trace *t, pl_reader *body)
{
    pl_cert_verify cv;
    char buf[32], hex[HEX_CAP];
    size_t len = pl_reader_left(body);
    int rc = pl_msg_parse_cert_verify(body, &cv);
    if (rc < 0) {
        malformed(t, rc, len);
        return;
    }
    hex_abbrev(cv.signature, hex);
    say(t, BODY, BODY_MORE, "signature %s %s over the handshake messages so far",
        sigalg_name(cv.sigalg, buf, sizeof buf), hex);
}

static void show_finished(pl_trace *t, pl_reader *body)
{
    uint8_t verify_data[12];
    char hex[HEX_CAP];
    size_t len = pl_reader_left(body);
    int rc = pl_msg_parse_finished(body, verify_data);
    if (rc < 0) {
        malformed(t, rc, len);
        return;
    }
    pl_slice v = {verify_data, sizeof verify_data};
    hex_abbrev(v, hex);
    say(t, BODY, BODY_MORE, "verify_data %s", hex);
}

/* ---- the interface ----------------------------------------------------------------------- */

void pl_trace_begin(pl_trace *t, const char *server_name)
{
    line l;
    char host[WRAP_COLS];
    if (t->cb == NULL) {
        return;
    }
    t->step = 0;
    t->app_data[0] = 0;
    t->app_data[1] = 0;
    t->group = 0;
    host[0] = '\0';
    if (server_name != NULL) {
        pl_slice name = {(const uint8_t *)server_name, strlen(server_name)};
        escape_text(name, host, sizeof host);
    }
    /* "server (name)" over the server's lifeline, or the name on a line of its own when it
     * does not fit there */
    size_t label_cols = host[0] != '\0' ? 6 + 3 + strlen(host) : 6;
    int beside = RIGHT_BAR - 2 + label_cols <= WRAP_COLS;
    line_begin(&l, t, "  client", "");
    while (l.cols < RIGHT_BAR - 2) {
        append(&l, " ", 1);
    }
    append(&l, "server", 6);
    if (host[0] != '\0' && beside) {
        line_text(&l, " (%s)", host);
    }
    line_emit(&l);
    if (host[0] != '\0' && !beside) {
        say(t, "  server: ", "", "%s", host);
    }
    line_begin(&l, t, LIFELINE, "");
    while (l.cols < RIGHT_BAR) {
        append(&l, " ", 1);
    }
    append(&l, "|", 1);
    line_emit(&l);
}

void pl_trace_handshake(pl_trace *t, int from_server, pl_slice whole, const pl_suite *suite,
                        int encrypted)
{
    pl_reader r, body;
    uint8_t type = 0;
    char label[40];
    if (t->cb == NULL) {
        return;
    }
    r = pl_reader_of(whole);
    int rc = pl_read_u8(&r, &type);
    const char *name = rc == 0 ? pl_msg_type_name(type) : NULL;
    if (rc == 0) {
        rc = pl_read_sub24(&r, 0, 0xffffff, &body);
    }
    if (rc == 0) {
        rc = pl_read_end(&r);
    }
    if (name == NULL) {
        if (whole.len > 0) {
            snprintf(label, sizeof label, "handshake message type %u", type);
        } else {
            snprintf(label, sizeof label, "handshake message");
        }
        name = label;
    }
    arrow(t, from_server, '-', "%s%s", name, encrypted ? " (encrypted)" : "");
    if (rc < 0) {
        malformed(t, rc, whole.len);
        return;
    }
    switch (type) {
    case PL_HS_HELLO_REQUEST:
        show_empty(t, &body, "the server asks for a new handshake");
        break;
    case PL_HS_CLIENT_HELLO:
        show_client_hello(t, &body);
        break;
    case PL_HS_SERVER_HELLO:
        show_server_hello(t, &body);
        break;
    case PL_HS_NEW_SESSION_TICKET:
        show_session_ticket(t, &body);
        break;
    case PL_HS_CERTIFICATE:
        show_certificate(t, &body, from_server);
        break;
    case PL_HS_SERVER_KEY_EXCHANGE:
        show_server_kx(t, &body, suite);
        break;
    case PL_HS_CERTIFICATE_REQUEST:
        show_cert_request(t, &body);
        break;
    case PL_HS_SERVER_HELLO_DONE:
        show_empty(t, &body, "the server's first flight is complete; our turn");
        break;
    case PL_HS_CLIENT_KEY_EXCHANGE:
        show_client_kx(t, &body, suite);
        break;
    case PL_HS_FINISHED:
        show_finished(t, &body);
        break;
    case PL_HS_CERTIFICATE_VERIFY:
        show_cert_verify(t, &body);
        break;
    default:
        say(t, BODY, BODY_MORE, "%zu bytes", pl_reader_left(&body));
        break;
    }
}

void pl_trace_ccs(pl_trace *t, int from_server)
{
    if (t->cb == NULL) {
        return;
    }
    arrow(t, from_server, '-', "ChangeCipherSpec");
    say(t, BODY, BODY_MORE, "from here on the %s records are encrypted and authenticated",
        from_server ? "server's" : "client's");
}

void pl_trace_alert(pl_trace *t, int from_server, uint8_t level, uint8_t description)
{
    char lbuf[16];
    char dbuf[24];
    const char *lname = level == 1 ? "warning" : level == 2 ? "fatal" : NULL;
    const char *dname = pl_alert_name(description);
    if (t->cb == NULL) {
        return;
    }
    if (lname == NULL) {
        snprintf(lbuf, sizeof lbuf, "level %u", level);
        lname = lbuf;
    }
    if (dname == NULL) {
        snprintf(dbuf, sizeof dbuf, "0x%02x (unknown)", description);
        dname = dbuf;
    }
    arrow(t, from_server, '-', "Alert: %s %s", lname, dname);
}

void pl_trace_app_data(pl_trace *t, int from_server, size_t len)
{
    unsigned *seen;
    if (t->cb == NULL) {
        return;
    }
    seen = &t->app_data[from_server ? 1 : 0];
    if (*seen < APP_DATA_SHOWN) {
        arrow(t, from_server, '=', "application data (%zu bytes)", len);
    } else if (*seen == APP_DATA_SHOWN) {
        say(t, BODY, BODY_MORE, "(further application data from the %s not shown)",
            from_server ? "server" : "client");
    }
    if (*seen <= APP_DATA_SHOWN) {
        (*seen)++;
    }
}

void pl_trace_note(pl_trace *t, const char *fmt, ...)
{
    char text[TEXT_CAP];
    line l;
    va_list ap;
    if (t->cb == NULL) {
        return;
    }
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    line_begin(&l, t, NOTE, NOTE_MORE);
    line_words(&l, text);
    line_end(&l);
}
