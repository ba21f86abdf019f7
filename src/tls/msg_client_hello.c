/* ClientHello (RFC 5246 §7.4.1.2) and the extensions the client offers. */
#include "tls/msg.h"

#include <string.h>

/* RFC 6066 §3: server_name_list<1..2^16-1> of (name_type host_name(0), HostName<1..2^16-1>). */
static int write_server_name(pl_writer *w, const char *host)
{
    size_t list, name, ext;
    TRY(pl_write_u16(w, PL_EXT_SERVER_NAME));
    TRY(pl_write_open16(w, &ext));
    TRY(pl_write_open16(w, &list));
    TRY(pl_write_u8(w, 0));
    TRY(pl_write_open16(w, &name));
    TRY(pl_write_bytes(w, host, strlen(host)));
    TRY(pl_write_close16(w, name));
    TRY(pl_write_close16(w, list));
    return pl_write_close16(w, ext);
}

/* A list of 16-bit values as one extension: NamedGroupList<2..2^16-1> or
 * SignatureSchemeList<2..2^16-2>. */
static int write_u16_list_ext(pl_writer *w, uint16_t type, const uint16_t *v, size_t n)
{
    size_t ext, list;
    TRY(pl_write_u16(w, type));
    TRY(pl_write_open16(w, &ext));
    TRY(pl_write_open16(w, &list));
    for (size_t i = 0; i < n; i++) {
        TRY(pl_write_u16(w, v[i]));
    }
    TRY(pl_write_close16(w, list));
    return pl_write_close16(w, ext);
}

/* RFC 7301 §3.1: ProtocolNameList protocol_name_list<2..2^16-1> of ProtocolName<1..2^8-1>. */
static int write_alpn(pl_writer *w, const char *const *names, size_t n)
{
    size_t ext, list, name;
    TRY(pl_write_u16(w, PL_EXT_ALPN));
    TRY(pl_write_open16(w, &ext));
    TRY(pl_write_open16(w, &list));
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        ENSURE(len >= 1 && len <= 255, SSL_ERR_INVALID_ARGUMENT);
        TRY(pl_write_open8(w, &name));
        TRY(pl_write_bytes(w, names[i], len));
        TRY(pl_write_close8(w, name));
    }
    TRY(pl_write_close16(w, list));
    return pl_write_close16(w, ext);
}

static int write_extensions(pl_writer *w, const pl_client_hello *ch)
{
    if (ch->server_name != NULL) {
        TRY(write_server_name(w, ch->server_name));
    }
    /* RFC 8422 §5.1.2: ECPointFormatList<1..2^8-1> with uncompressed(0) only. */
    TRY(pl_write_u16(w, PL_EXT_EC_POINT_FORMATS));
    TRY(pl_write_u16(w, 2));
    TRY(pl_write_u8(w, 1));
    TRY(pl_write_u8(w, 0));
    TRY(write_u16_list_ext(w, PL_EXT_SUPPORTED_GROUPS, ch->groups, ch->groups_count));
    TRY(write_u16_list_ext(w, PL_EXT_SIGNATURE_ALGORITHMS, ch->sigalgs, ch->sigalgs_count));
    if (ch->alpn_count > 0) {
        TRY(write_alpn(w, ch->alpn, ch->alpn_count));
    }
    if (ch->offer_etm) {
        TRY(pl_write_u16(w, PL_EXT_ENCRYPT_THEN_MAC));      /* RFC 7366 §2: empty */
        TRY(pl_write_u16(w, 0));
    }
    if (ch->offer_ticket) {
        size_t ext;                                          /* RFC 5077 §3.2 */
        TRY(pl_write_u16(w, PL_EXT_SESSION_TICKET));
        TRY(pl_write_open16(w, &ext));
        TRY(pl_write_bytes(w, ch->ticket.ptr, ch->ticket.len));
        TRY(pl_write_close16(w, ext));
    }
    if (ch->offer_ems) {
        TRY(pl_write_u16(w, PL_EXT_EXTENDED_MASTER_SECRET));
        TRY(pl_write_u16(w, 0));
    }
    /* RFC 5746 §3.4: the initial handshake's renegotiated_connection is empty. */
    TRY(pl_write_u16(w, PL_EXT_RENEGOTIATION_INFO));
    TRY(pl_write_u16(w, 1));
    return pl_write_u8(w, 0);
}

int pl_msg_write_client_hello(pl_writer *w, const pl_client_hello *ch)
{
    size_t body, vec;
    ENSURE(ch->suites_count >= 1 && ch->suites_count <= PL_CH_MAX_SUITES,
           SSL_ERR_INVALID_ARGUMENT);
    ENSURE(ch->groups_count >= 1 && ch->groups_count <= PL_CH_MAX_GROUPS,
           SSL_ERR_INVALID_ARGUMENT);
    ENSURE(ch->sigalgs_count >= 1 && ch->sigalgs_count <= PL_CH_MAX_SIGALGS,
           SSL_ERR_INVALID_ARGUMENT);
    ENSURE(ch->alpn_count <= PL_CH_MAX_ALPN, SSL_ERR_INVALID_ARGUMENT);
    ENSURE(ch->session_id.len <= 32, SSL_ERR_INVALID_ARGUMENT);
    ENSURE(ch->server_name == NULL ||
               (strlen(ch->server_name) >= 1 && strlen(ch->server_name) <= PL_HOSTNAME_MAX),
           SSL_ERR_INVALID_ARGUMENT);
    TRY(pl_write_u8(w, PL_HS_CLIENT_HELLO));
    TRY(pl_write_open24(w, &body));
    TRY(pl_write_u16(w, 0x0303));                             /* client_version */
    TRY(pl_write_bytes(w, ch->random, sizeof ch->random));    /* random */
    TRY(pl_write_open8(w, &vec));                             /* session_id<0..32> */
    TRY(pl_write_bytes(w, ch->session_id.ptr, ch->session_id.len));
    TRY(pl_write_close8(w, vec));
    TRY(pl_write_open16(w, &vec));                            /* cipher_suites<2..2^16-2> */
    for (size_t i = 0; i < ch->suites_count; i++) {
        TRY(pl_write_u16(w, ch->suites[i]));
    }
    TRY(pl_write_close16(w, vec));
    TRY(pl_write_u8(w, 1));                                   /* compression_methods<1..2^8-1> */
    TRY(pl_write_u8(w, 0));                                   /* null only */
    TRY(pl_write_open16(w, &vec));                            /* extensions<0..2^16-1> */
    TRY(write_extensions(w, ch));
    TRY(pl_write_close16(w, vec));
    return pl_write_close24(w, body);
}
