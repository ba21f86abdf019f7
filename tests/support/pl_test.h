/* Test support shared by the unit tests: hex, a seeded random source, a small JSON reader for the
 * Wycheproof files, and the Wycheproof runner that counts and reports per file.
 *
 * Include this after <cmocka.h>'s prerequisites; it includes cmocka itself. */
#ifndef PL_TEST_H
#define PL_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* ---- hex ---------------------------------------------------------------------------------- */

/* Decode hex into a new buffer (malloc; at least one byte so it is never NULL). Aborts the test
 * program on bad hex: vectors are ours, a typo is a bug in the test. */
uint8_t *pl_test_unhex(const char *hex, size_t *len);
/* Decode hex into out, which must hold exactly want bytes, else fail the test. */
void pl_test_unhex_into(const char *hex, uint8_t *out, size_t want);
/* Assert that got (len bytes) equals the hex string want; on a mismatch print both. */
void pl_test_assert_hex(const uint8_t *got, size_t len, const char *want);

/* ---- seeded randomness for property tests ------------------------------------------------- */

/* The seed: PADLOCK_TEST_SEED from the environment, else taken from the clock. Printed once. */
uint64_t pl_test_seed(void);
/* Fill out with pseudo-random bytes from the seeded generator (xoshiro256**; not for keys). */
void pl_test_fill(void *out, size_t len);
/* A pseudo-random value in [0, bound). */
size_t pl_test_below(size_t bound);

/* ---- JSON (just enough for Wycheproof) ---------------------------------------------------- */

typedef struct pl_json pl_json;
enum pl_json_type { PL_JSON_NULL, PL_JSON_BOOL, PL_JSON_NUMBER, PL_JSON_STRING, PL_JSON_ARRAY,
                    PL_JSON_OBJECT };

/* Parse a file; NULL (with a message on stderr) when it cannot be read or parsed. */
pl_json *pl_json_load(const char *path);
void pl_json_free(pl_json *j);
enum pl_json_type pl_json_type(const pl_json *j);
/* Member of an object by key, or NULL. */
const pl_json *pl_json_get(const pl_json *obj, const char *key);
/* Elements of an array (or members of an object). */
size_t pl_json_len(const pl_json *j);
const pl_json *pl_json_at(const pl_json *j, size_t i);
/* The string, or NULL when j is not a string. */
const char *pl_json_str(const pl_json *j);
/* The number (0 when j is not a number). */
double pl_json_num(const pl_json *j);
/* Shorthands: obj[key] as a string (NULL if absent) or number (dflt if absent). */
const char *pl_json_get_str(const pl_json *obj, const char *key);
double pl_json_get_num(const pl_json *obj, const char *key, double dflt);
/* 1 when the array obj["flags"] contains flag. */
int pl_json_has_flag(const pl_json *test, const char *flag);

/* ---- vectors directory -------------------------------------------------------------------- */

/* The directory holding wycheproof/, tls12-prf/, ...: $PADLOCK_VECTORS_DIR, else the build's
 * default (../shared/vectors beside the source tree). NULL when neither exists. */
const char *pl_test_vectors_dir(void);
/* For test programs that need the vectors: when they are missing, say so on stdout and exit with
 * 77, which CTest reports as skipped (never as passed). Returns the directory otherwise. */
const char *pl_test_require_vectors(void);
/* "<vectors dir>/<rel>" in a static buffer. */
const char *pl_test_vector_path(const char *rel);

/* ---- Wycheproof runner -------------------------------------------------------------------- */

enum pl_wp_verdict {
    PL_WP_ACCEPTED,  /* the operation succeeded with exactly the expected result */
    PL_WP_REJECTED,  /* the operation refused the input */
    PL_WP_WRONG,     /* the operation succeeded but gave a different result: always a failure */
    PL_WP_SKIPPED,   /* parameters we do not support (the callback says why in *why) */
};

/* Run one test case. group is the testGroup object, test the test object. */
typedef enum pl_wp_verdict (*pl_wp_case_fn)(const pl_json *group, const pl_json *test, void *arg,
                                            const char **why);

struct pl_wp_counts {
    size_t total, valid, invalid, acceptable_accepted, acceptable_rejected, skipped, failed;
};

/* Run every test of vectors/wycheproof/<file>: a "valid" case must be ACCEPTED, an "invalid" one
 * REJECTED, an "acceptable" one may be either (the count of each is reported; callers that
 * decide per flag do so in fn and return the verdict they require, failing otherwise is their
 * choice). Prints one summary line per file and one line per failure; returns the failures. */
size_t pl_wp_run(const char *file, pl_wp_case_fn fn, void *arg, struct pl_wp_counts *counts);

#endif
