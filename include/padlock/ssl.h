/* padlock — a TLS 1.2 library written from first principles.
 *
 * This is the public API. Everything an application may call is declared here with SSL_API; the
 * shared library exports nothing else. The connection API (ssl_ctx, ssl_connect, ssl_read,
 * ssl_write, ...) arrives with the TLS client; so far this header gives the error codes that every
 * layer returns. */
#ifndef PADLOCK_SSL_H
#define PADLOCK_SSL_H

#include <padlock/version.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PL_BUILDING_LIBRARY)
#define SSL_API __attribute__((visibility("default")))
#else
#define SSL_API
#endif

/* Errors. Every failure in padlock is one of these codes; all are negative, SSL_OK is 0.
 * The list (and the sentence for each) is padlock/errors.def. */
enum ssl_error_index_ {
#define E(code, alert, text) code##_INDEX_,
#include <padlock/errors.def>
#undef E
    SSL_ERROR_COUNT_
};

typedef enum ssl_error {
    SSL_OK = 0,
#define E(code, alert, text) code = -1 - (int)code##_INDEX_,
#include <padlock/errors.def>
#undef E
} ssl_error;

/* The code's name, e.g. "SSL_ERR_CRYPTO_AUTH_FAILED"; "SSL_OK" for 0; "SSL_ERR_UNKNOWN" for a
 * value that is not a padlock code. Never NULL; the string is static. */
SSL_API const char *ssl_error_name(int err);

/* A sentence for people saying what happened, e.g. "authentication tag did not verify".
 * Never NULL; the string is static. */
SSL_API const char *ssl_error_string(int err);

/* The library's version, e.g. "0.1.0" (PADLOCK_VERSION_STRING of the build you linked). */
SSL_API const char *ssl_version_string(void);

#ifdef __cplusplus
}
#endif

#endif
