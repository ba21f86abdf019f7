/* ClientKeyExchange (RFC 5246 §7.4.7): the client's half of the key agreement. */
#include "tls/msg.h"

static int write_with_vec(pl_writer *w, int width, const uint8_t *v, size_t len)
{
    size_t body, vec;
    TRY(pl_write_u8(w, PL_HS_CLIENT_KEY_EXCHANGE));
    TRY(pl_write_open24(w, &body));
    if (width == 8) {
        TRY(pl_write_open8(w, &vec));
    } else {
        TRY(pl_write_open16(w, &vec));
    }
    TRY(pl_write_bytes(w, v, len));
    if (width == 8) {
        TRY(pl_write_close8(w, vec));
    } else {
        TRY(pl_write_close16(w, vec));
    }
    return pl_write_close24(w, body);
}

int pl_msg_write_client_kx_ecdhe(pl_writer *w, const uint8_t *point, size_t len)
{
    ENSURE(len >= 1 && len <= 255, SSL_ERR_INVALID_ARGUMENT); /* ECPoint<1..2^8-1> */
    return write_with_vec(w, 8, point, len);
}

int pl_msg_write_client_kx_dhe(pl_writer *w, const uint8_t *yc, size_t len)
{
    ENSURE(len >= 1 && len <= 0xffff, SSL_ERR_INVALID_ARGUMENT); /* dh_Yc<1..2^16-1> */
    return write_with_vec(w, 16, yc, len);
}

int pl_msg_write_client_kx_rsa(pl_writer *w, const uint8_t *enc, size_t len)
{
    /* §7.4.7.1: from TLS 1.0 on the encrypted secret carries a two-byte length */
    ENSURE(len <= 0xffff, SSL_ERR_INVALID_ARGUMENT);
    return write_with_vec(w, 16, enc, len);
}
