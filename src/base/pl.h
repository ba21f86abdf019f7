/* Common ground for every internal file: fixed-width types, the error codes, and the two
 * control-flow macros.
 *
 * Internal functions that can fail return int: 0, or a negative SSL_ERR_* code, and are declared
 * PL_MUST_CHECK. TRY passes a failure up; ENSURE turns a false condition into a named failure. */
#ifndef PL_BASE_PL_H
#define PL_BASE_PL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <padlock/ssl.h>

#define PL_MUST_CHECK __attribute__((warn_unused_result))

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        int pl_try_rc_ = (expr);                                                                   \
        if (pl_try_rc_ < 0) {                                                                      \
            return pl_try_rc_;                                                                     \
        }                                                                                          \
    } while (0)

#define ENSURE(cond, err)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            return (err);                                                                          \
        }                                                                                          \
    } while (0)

#define PL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Overwrite len bytes at p with zeros in a way the compiler may not remove, for secrets going out
 * of use. p may be NULL when len is 0. */
void pl_wipe(void *p, size_t len);

/* Fill out with len bytes from the operating system's generator (getrandom(2)). Returns 0, or
 * SSL_ERR_RANDOM_FAILED when the kernel cannot supply them; there is no weaker fallback, and on
 * failure out holds no partial randomness the caller might mistake for a key (it is zeroed). */
PL_MUST_CHECK int pl_random(void *out, size_t len);

/* The TLS alert (RFC 5246 §7.2) to send for an error code, or -1 when the failure is local and
 * nothing is sent. */
int pl_error_alert(int err);

#endif
