/* CertificateRequest (RFC 5246 §7.4.4), parsed for syntax; padlock answers it with an empty
 * Certificate until client certificates exist (issue 6). */
#include "tls/msg.h"

int pl_msg_parse_cert_request(pl_reader *r, pl_cert_request *cr)
{
    pl_reader names;
    TRY(pl_read_vec8(r, 1, 255, &cr->cert_types));
    TRY(pl_read_vec16(r, 2, 0xfffe, &cr->sigalgs));
    ENSURE(cr->sigalgs.len % 2 == 0, SSL_ERR_DECODE_VEC_LENGTH);
    TRY(pl_read_vec16(r, 0, 0xffff, &cr->authorities));
    names = pl_reader_of(cr->authorities);
    /* each DistinguishedName<1..2^16-1>; their contents are DER the certificate code reads */
    while (pl_reader_left(&names) > 0) {
        pl_slice dn;
        TRY(pl_read_vec16(&names, 1, 0xffff, &dn));
    }
    return pl_read_end(r);
}

int pl_msg_parse_empty(pl_reader *r)
{
    return pl_read_end(r);
}
