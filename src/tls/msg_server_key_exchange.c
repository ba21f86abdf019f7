/* ServerKeyExchange for ECDHE (RFC 8422 §5.4) and DHE (RFC 5246 §7.4.3): the parameters, kept
 * byte for byte because the signature covers them, then the digitally-signed struct. */
#include "tls/msg.h"

/* RFC 8422 §5.4: ECCurveType named_curve(3), NamedCurve, ECPoint public<1..2^8-1>. */
static int parse_ecdh_params(pl_reader *r, pl_server_kx *skx)
{
    uint8_t curve_type;
    TRY(pl_read_u8(r, &curve_type));
    /* explicit_prime(1) and explicit_char2(2) are deprecated (§5.4) and refused */
    ENSURE(curve_type == 3, SSL_ERR_HS_NOT_NAMED_CURVE);
    TRY(pl_read_u16(r, &skx->group));
    return pl_read_vec8(r, 1, 255, &skx->point);
}

/* RFC 5246 §7.4.3 ServerDHParams: dh_p<1..2^16-1>, dh_g<1..2^16-1>, dh_Ys<1..2^16-1>. */
static int parse_dh_params(pl_reader *r, pl_server_kx *skx)
{
    TRY(pl_read_vec16(r, 1, 0xffff, &skx->dh_p));
    TRY(pl_read_vec16(r, 1, 0xffff, &skx->dh_g));
    return pl_read_vec16(r, 1, 0xffff, &skx->dh_ys);
}

int pl_msg_parse_server_kx(pl_reader *r, int ecdhe, pl_server_kx *skx)
{
    pl_reader start = *r;
    memset(skx, 0, sizeof *skx);
    if (ecdhe) {
        TRY(parse_ecdh_params(r, skx));
    } else {
        TRY(parse_dh_params(r, skx));
    }
    skx->params = pl_reader_span(&start, r);
    /* RFC 5246 §4.7 digitally-signed: SignatureAndHashAlgorithm, then signature<0..2^16-1> */
    TRY(pl_read_u16(r, &skx->sigalg));
    TRY(pl_read_vec16(r, 0, 0xffff, &skx->signature));
    return pl_read_end(r);
}
