/* ServerHello (RFC 5246 §7.4.1.3) and the extensions a server may answer with. */
#include "tls/msg.h"

#include <string.h>

#include "tls/suites.h"

static int is_cbc_suite(uint16_t id)
{
    const pl_suite *s = pl_suite_by_id(id);
    return s != NULL && pl_suite_is_cbc(s);
}

/* One extension's body, by type. Unknown types are refused here: a server may only answer
 * what the client offered (RFC 5246 §7.4.1.4), and padlock offers only these. */
static int parse_extension(uint16_t type, pl_reader *r, pl_server_hello *sh)
{
    uint32_t bit;
    switch (type) {
    case PL_EXT_SERVER_NAME:
        bit = PL_SEEN_SERVER_NAME; /* RFC 6066 §3: the server's is empty */
        break;
    case PL_EXT_EC_POINT_FORMATS:
        bit = PL_SEEN_EC_POINT_FORMATS;
        TRY(pl_read_vec8(r, 1, 255, &sh->point_formats));
        break;
    case PL_EXT_ALPN: {
        /* RFC 7301 §3.1: the server's list holds exactly one ProtocolName<1..2^8-1> */
        pl_reader list;
        bit = PL_SEEN_ALPN;
        TRY(pl_read_sub16(r, 2, 0xffff, &list));
        TRY(pl_read_vec8(&list, 1, 255, &sh->alpn));
        TRY(pl_read_end(&list));
        break;
    }
    case PL_EXT_EXTENDED_MASTER_SECRET:
        bit = PL_SEEN_EMS; /* RFC 7627 §5.1: empty */
        break;
    case PL_EXT_ENCRYPT_THEN_MAC:
        bit = PL_SEEN_ETM; /* RFC 7366 §2: empty */
        break;
    case PL_EXT_SESSION_TICKET:
        bit = PL_SEEN_SESSION_TICKET; /* RFC 5077 §3.2: empty in ServerHello */
        break;
    case PL_EXT_RENEGOTIATION_INFO:
        bit = PL_SEEN_RENEGOTIATION_INFO;
        TRY(pl_read_vec8(r, 0, 255, &sh->renegotiation_info));
        break;
    default:
        return SSL_ERR_HS_UNSOLICITED_EXTENSION;
    }
    ENSURE((sh->seen & bit) == 0, SSL_ERR_HS_DUPLICATE_EXTENSION);
    sh->seen |= bit;
    return pl_read_end(r);
}

static int parse_extensions(pl_reader *r, pl_server_hello *sh)
{
    while (pl_reader_left(r) > 0) {
        uint16_t type;
        pl_reader body;
        int rc;
        TRY(pl_read_u16(r, &type));
        TRY(pl_read_sub16(r, 0, 0xffff, &body));
        rc = parse_extension(type, &body, sh);
        /* an extension's own bytes that do not parse are a malformed extension */
        if (rc == SSL_ERR_DECODE_TRUNCATED || rc == SSL_ERR_DECODE_TRAILING ||
            rc == SSL_ERR_DECODE_VEC_LENGTH) {
            rc = SSL_ERR_HS_BAD_EXTENSION;
        }
        TRY(rc);
    }
    return 0;
}

int pl_msg_parse_server_hello(pl_reader *r, pl_server_hello *sh)
{
    memset(sh, 0, sizeof *sh);
    TRY(pl_read_u16(r, &sh->version));
    TRY(pl_read_copy(r, sh->random, sizeof sh->random));
    TRY(pl_read_vec8(r, 0, 32, &sh->session_id));
    TRY(pl_read_u16(r, &sh->suite));
    TRY(pl_read_u8(r, &sh->compression));
    if (pl_reader_left(r) > 0) {
        pl_reader ext;
        TRY(pl_read_sub16(r, 0, 0xffff, &ext));
        TRY(parse_extensions(&ext, sh));
    }
    return pl_read_end(r);
}

static int offered_u16(const uint16_t *list, size_t n, uint16_t v)
{
    for (size_t i = 0; i < n; i++) {
        if (list[i] == v) {
            return 1;
        }
    }
    return 0;
}

static int offered_alpn(const pl_client_hello *ch, pl_slice name)
{
    for (size_t i = 0; i < ch->alpn_count; i++) {
        if (strlen(ch->alpn[i]) == name.len && memcmp(ch->alpn[i], name.ptr, name.len) == 0) {
            return 1;
        }
    }
    return 0;
}

static int lists_uncompressed(pl_slice formats)
{
    pl_reader r = pl_reader_of(formats);
    uint8_t f;
    while (pl_read_u8(&r, &f) == 0) {
        if (f == 0) {
            return 1;
        }
    }
    return 0;
}

int pl_msg_check_server_hello(const pl_server_hello *sh, const pl_client_hello *ch)
{
    /* RFC 5246 §E.1: a server that cannot do 3.3 answers with a lower version; padlock speaks
     * TLS 1.2 only. A higher value is no valid answer to a 3.3 ClientHello either. */
    ENSURE(sh->version == 0x0303, SSL_ERR_HS_BAD_VERSION);
    ENSURE(offered_u16(ch->suites, ch->suites_count, sh->suite), SSL_ERR_HS_SUITE_NOT_OFFERED);
    ENSURE(sh->compression == 0, SSL_ERR_HS_COMPRESSION_NOT_NULL);
    ENSURE(!(sh->seen & PL_SEEN_SERVER_NAME) || ch->server_name != NULL,
           SSL_ERR_HS_UNSOLICITED_EXTENSION);
    ENSURE(!(sh->seen & PL_SEEN_ALPN) || ch->alpn_count > 0, SSL_ERR_HS_UNSOLICITED_EXTENSION);
    ENSURE(!(sh->seen & PL_SEEN_EMS) || ch->offer_ems, SSL_ERR_HS_UNSOLICITED_EXTENSION);
    ENSURE(!(sh->seen & PL_SEEN_ETM) || ch->offer_etm, SSL_ERR_HS_UNSOLICITED_EXTENSION);
    /* RFC 7366 §3: a server that picks an AEAD suite must not answer encrypt_then_mac */
    ENSURE(!(sh->seen & PL_SEEN_ETM) || is_cbc_suite(sh->suite),
           SSL_ERR_HS_ETM_WITHOUT_CBC);
    ENSURE(!(sh->seen & PL_SEEN_SESSION_TICKET) || ch->offer_ticket,
           SSL_ERR_HS_UNSOLICITED_EXTENSION);
    /* RFC 5746 §3.4: on the initial handshake the server's renegotiated_connection is empty */
    ENSURE(sh->renegotiation_info.len == 0, SSL_ERR_HS_BAD_RENEGOTIATION_INFO);
    /* RFC 8422 §5.2: if the server sends ec_point_formats it must list uncompressed, the one
     * format padlock reads */
    ENSURE(!(sh->seen & PL_SEEN_EC_POINT_FORMATS) || lists_uncompressed(sh->point_formats),
           SSL_ERR_HS_NO_UNCOMPRESSED_POINTS);
    ENSURE(!(sh->seen & PL_SEEN_ALPN) || offered_alpn(ch, sh->alpn), SSL_ERR_HS_ALPN_NOT_OFFERED);
    return 0;
}
