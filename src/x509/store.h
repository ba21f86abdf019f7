/* Trust stores: the certificates a client trusts as anchors, loaded from a PEM bundle (the
 * system default is /etc/ssl/certs/ca-certificates.crt on Debian) or a directory of PEM files.
 *
 * Each certificate is parsed when loaded and kept with its own copy of the DER. A bundle with
 * some unparsable certificates loads the rest and counts the ones it skipped (real bundles
 * carry the odd certificate a strict parser refuses); byte-identical duplicates are kept once.
 * Blocks other than CERTIFICATE (a key, TRUSTED CERTIFICATE's OpenSSL extras) are ignored.
 *
 * Not here: deciding what the anchors are trusted for (every anchor is trusted for serverAuth,
 * as in the system bundle), CRLs, distrust lists. A store is read-only once loaded, so
 * connections on several threads may share one. */
#ifndef PL_X509_STORE_H
#define PL_X509_STORE_H

#include "x509/cert.h"

#define PL_STORE_DEFAULT_FILE "/etc/ssl/certs/ca-certificates.crt"
#define PL_STORE_MAX_FILE (64u << 20) /* larger files are refused: no bundle is near this */

typedef struct pl_store_entry {
    uint8_t *der;                     /* owned copy */
    pl_cert cert;                     /* borrows der */
} pl_store_entry;

typedef struct pl_x509_store {
    pl_store_entry *entries;
    size_t count, cap;
    size_t skipped;                   /* certificates that did not parse */
} pl_x509_store;

void pl_x509_store_init(pl_x509_store *store);
void pl_x509_store_free(pl_x509_store *store);

/* Add one DER certificate (copied). Its parse error if it does not parse (nothing added);
 * SSL_ERR_NO_MEMORY. A duplicate is accepted and not added again. */
PL_MUST_CHECK int pl_x509_store_add_der(pl_x509_store *store, const uint8_t *der, size_t len);

/* Add every CERTIFICATE block of PEM text; *added counts the certificates read (duplicates
 * of ones already held included). Unparsable
 * certificates and malformed blocks are skipped and counted in store->skipped. Errors: only
 * SSL_ERR_NO_MEMORY. */
PL_MUST_CHECK int pl_x509_store_add_pem(pl_x509_store *store, const uint8_t *text, size_t len,
                                        size_t *added);

/* A PEM file, or every regular file in a directory (each read as PEM; files that hold no
 * certificate, such as OpenSSL's hash links' targets read twice, add nothing). Errors:
 * SSL_ERR_STORE_READ when the path cannot be read, SSL_ERR_STORE_EMPTY when nothing at all
 * was added from it, SSL_ERR_NO_MEMORY. */
PL_MUST_CHECK int pl_x509_store_load_file(pl_x509_store *store, const char *path);
PL_MUST_CHECK int pl_x509_store_load_dir(pl_x509_store *store, const char *path);

#endif
