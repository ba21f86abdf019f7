/* The names of the handshake message types (RFC 5246 §7.4, RFC 5077 §3.3), for errors and the
 * trace. */
#include "tls/msg.h"

const char *pl_msg_type_name(unsigned type)
{
    switch (type) {
    case PL_HS_HELLO_REQUEST:
        return "HelloRequest";
    case PL_HS_CLIENT_HELLO:
        return "ClientHello";
    case PL_HS_SERVER_HELLO:
        return "ServerHello";
    case PL_HS_NEW_SESSION_TICKET:
        return "NewSessionTicket";
    case PL_HS_CERTIFICATE:
        return "Certificate";
    case PL_HS_SERVER_KEY_EXCHANGE:
        return "ServerKeyExchange";
    case PL_HS_CERTIFICATE_REQUEST:
        return "CertificateRequest";
    case PL_HS_SERVER_HELLO_DONE:
        return "ServerHelloDone";
    case PL_HS_CERTIFICATE_VERIFY:
        return "CertificateVerify";
    case PL_HS_CLIENT_KEY_EXCHANGE:
        return "ClientKeyExchange";
    case PL_HS_FINISHED:
        return "Finished";
    case PL_HT_CCS_NAME:
        return "ChangeCipherSpec";
    default:
        return NULL;
    }
}
