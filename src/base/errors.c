/* Names, sentences and alerts for the error codes, all generated from errors.def. */
#include "base/alert.h"
#include "base/pl.h"

struct error_row {
    const char *name;
    const char *text;
    int alert;
};

static const struct error_row rows[] = {
#define E(code, alert, text) {#code, text, PL_ALERT_##alert},
#include "base/errors.def"
#undef E
};

_Static_assert(PL_ARRAY_LEN(rows) == SSL_ERROR_COUNT_, "errors.def and the enum disagree");

static const struct error_row *find_row(int err)
{
    if (err >= 0 || err < -(int)PL_ARRAY_LEN(rows)) {
        return NULL;
    }
    return &rows[-1 - err];
}

SSL_API const char *ssl_error_name(int err)
{
    const struct error_row *row = find_row(err);
    if (err == SSL_OK) {
        return "SSL_OK";
    }
    return row != NULL ? row->name : "SSL_ERR_UNKNOWN";
}

SSL_API const char *ssl_error_string(int err)
{
    const struct error_row *row = find_row(err);
    if (err == SSL_OK) {
        return "success";
    }
    return row != NULL ? row->text : "unknown error code";
}

SSL_API const char *ssl_version_string(void)
{
    return PADLOCK_VERSION_STRING;
}

int pl_error_alert(int err)
{
    const struct error_row *row = find_row(err);
    return row != NULL ? row->alert : PL_ALERT_INTERNAL_ERROR;
}

const char *pl_alert_name(int alert)
{
    switch (alert) {
    case PL_ALERT_CLOSE_NOTIFY: return "close_notify";
    case PL_ALERT_UNEXPECTED_MESSAGE: return "unexpected_message";
    case PL_ALERT_BAD_RECORD_MAC: return "bad_record_mac";
    case PL_ALERT_RECORD_OVERFLOW: return "record_overflow";
    case PL_ALERT_HANDSHAKE_FAILURE: return "handshake_failure";
    case PL_ALERT_BAD_CERTIFICATE: return "bad_certificate";
    case PL_ALERT_UNSUPPORTED_CERTIFICATE: return "unsupported_certificate";
    case PL_ALERT_CERTIFICATE_REVOKED: return "certificate_revoked";
    case PL_ALERT_CERTIFICATE_EXPIRED: return "certificate_expired";
    case PL_ALERT_CERTIFICATE_UNKNOWN: return "certificate_unknown";
    case PL_ALERT_ILLEGAL_PARAMETER: return "illegal_parameter";
    case PL_ALERT_UNKNOWN_CA: return "unknown_ca";
    case PL_ALERT_ACCESS_DENIED: return "access_denied";
    case PL_ALERT_DECODE_ERROR: return "decode_error";
    case PL_ALERT_DECRYPT_ERROR: return "decrypt_error";
    case PL_ALERT_PROTOCOL_VERSION: return "protocol_version";
    case PL_ALERT_INSUFFICIENT_SECURITY: return "insufficient_security";
    case PL_ALERT_INTERNAL_ERROR: return "internal_error";
    case PL_ALERT_USER_CANCELED: return "user_canceled";
    case PL_ALERT_NO_RENEGOTIATION: return "no_renegotiation";
    case PL_ALERT_UNSUPPORTED_EXTENSION: return "unsupported_extension";
    case PL_ALERT_UNRECOGNIZED_NAME: return "unrecognized_name";
    case PL_ALERT_NO_APPLICATION_PROTOCOL: return "no_application_protocol";
    default: return NULL;
    }
}
