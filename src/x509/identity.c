/* A client's certificate chain and private key (x509/identity.h). */
#define _POSIX_C_SOURCE 200809L         /* fileno */

#include "x509/identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "x509/pem.h"

/* ---- checks ---------------------------------------------------------------------------------- */

/* The leaf's key must be one padlock can sign with, and an RSA key no smaller than the policy
 * padlock holds servers to (a server would refuse a weaker one anyway). */
static int check_leaf_key(const pl_cert *leaf, pl_public_key *pub)
{
    TRY(pl_key_parse_spki(pub, leaf->spki));
    int rc = pub->alg == PL_KEY_RSA ? pl_rsa_check_policy(&pub->u.rsa) : 0;
    if (rc < 0) {
        pl_key_public_free(pub);
    }
    return rc;
}

/* Whether the private key's public half is the certificate's public key. Public data only. */
static int key_belongs(const pl_public_key *pub, const pl_private_key *priv)
{
    if (pub->alg != priv->alg) {
        return 0;
    }
    if (pub->alg == PL_KEY_RSA) {
        const pl_rsa_public *a = &pub->u.rsa, *b = &priv->u.rsa.pub;
        return a->len == b->len && a->e == b->e && memcmp(a->n, b->n, a->len) == 0;
    }
    const pl_ec_public *a = &pub->u.ec, *b = &priv->u.ec.pub;
    return pub->curve == priv->curve && a->point_len == b->point_len &&
           memcmp(a->point, b->point, a->point_len) == 0;
}

/* ---- the chain ------------------------------------------------------------------------------- */

static void free_chain(uint8_t *der[PL_IDENTITY_MAX_CHAIN], size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(der[i]);
        der[i] = NULL;
    }
}

/* Every CERTIFICATE block of the text, in order, copied and parsed. Other blocks (a private key
 * kept in the same file) are passed over; a malformed block is an error, not skipped: a chain
 * with a hole in it would be sent broken. */
static int read_chain(const uint8_t *text, size_t len, uint8_t *der[PL_IDENTITY_MAX_CHAIN],
                      pl_cert certs[PL_IDENTITY_MAX_CHAIN], size_t *count)
{
    size_t cap = pl_pem_decoded_max(len);
    uint8_t *buf = malloc(cap > 0 ? cap : 1);
    pl_pem_iter it;
    int rc = 0;
    *count = 0;
    ENSURE(buf != NULL, SSL_ERR_NO_MEMORY);
    pl_pem_init(&it, text, len);
    for (;;) {
        pl_pem_block block;
        bool found;
        rc = pl_pem_next(&it, buf, cap, &block, &found);
        if (rc < 0 || !found) {
            break;
        }
        if (!pl_pem_label_is(&block, "CERTIFICATE")) {
            continue;
        }
        if (*count == PL_IDENTITY_MAX_CHAIN) {
            rc = SSL_ERR_CLIENT_CHAIN_TOO_LONG;
            break;
        }
        uint8_t *copy = malloc(block.der_len > 0 ? block.der_len : 1);
        if (copy == NULL) {
            rc = SSL_ERR_NO_MEMORY;
            break;
        }
        memcpy(copy, buf, block.der_len);
        der[(*count)++] = copy;
        rc = pl_cert_parse(&certs[*count - 1], copy, block.der_len);
        if (rc < 0) {
            break;
        }
    }
    free(buf);
    if (rc == 0 && *count == 0) {
        rc = SSL_ERR_CLIENT_CHAIN_EMPTY;
    }
    if (rc < 0) {
        free_chain(der, *count);
        *count = 0;
    }
    return rc;
}

int pl_identity_set_chain_pem(pl_identity *id, const uint8_t *text, size_t len)
{
    uint8_t *der[PL_IDENTITY_MAX_CHAIN] = {0};
    pl_cert certs[PL_IDENTITY_MAX_CHAIN];
    pl_public_key pub;
    size_t count;
    ENSURE(text != NULL || len == 0, SSL_ERR_INVALID_ARGUMENT);
    TRY(read_chain(text, len, der, certs, &count));
    int rc = check_leaf_key(&certs[0], &pub);
    if (rc == 0) {
        rc = !id->have_key || key_belongs(&pub, &id->key) ? 0 : SSL_ERR_CLIENT_KEY_MISMATCH;
        pl_key_public_free(&pub);
    }
    if (rc < 0) {
        free_chain(der, count);
        return rc;
    }
    free_chain(id->der, id->count);
    for (size_t i = 0; i < count; i++) {
        id->der[i] = der[i];            /* certs[i] points into der[i], which does not move */
        id->certs[i] = certs[i];
    }
    id->count = count;
    return 0;
}

/* ---- the key --------------------------------------------------------------------------------- */

int pl_identity_set_key_pem(pl_identity *id, const uint8_t *text, size_t len)
{
    pl_private_key key;
    ENSURE(text != NULL || len == 0, SSL_ERR_INVALID_ARGUMENT);
    TRY(pl_key_load_private_pem(&key, text, len));
    int rc = key.alg == PL_KEY_RSA ? pl_rsa_check_policy(&key.u.rsa.pub) : 0;
    if (rc == 0 && id->count > 0) {
        pl_public_key pub;
        rc = pl_key_parse_spki(&pub, id->certs[0].spki); /* parsed once already: cannot fail */
        if (rc == 0) {
            rc = key_belongs(&pub, &key) ? 0 : SSL_ERR_CLIENT_KEY_MISMATCH;
            pl_key_public_free(&pub);
        }
    }
    if (rc < 0) {
        pl_key_private_free(&key);
        return rc;
    }
    if (id->have_key) {
        pl_key_private_free(&id->key);
    }
    id->key = key;                      /* the RSA secret part is on the heap: it moves over */
    id->have_key = 1;
    pl_wipe(&key, sizeof key);          /* the EC scalar was copied: wipe the stack's copy */
    return 0;
}

/* ---- files ----------------------------------------------------------------------------------- */

/* The whole file in one allocation of its size, so that a key's text is never left behind in a
 * buffer realloc gave up: the caller wipes and frees *out. */
static int read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *f;
    struct stat st;
    ENSURE(path != NULL, SSL_ERR_INVALID_ARGUMENT);
    f = fopen(path, "rb");
    ENSURE(f != NULL, SSL_ERR_CLIENT_FILE_READ);
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
        (uint64_t)st.st_size > PL_IDENTITY_MAX_FILE) {
        fclose(f);
        return SSL_ERR_CLIENT_FILE_READ;
    }
    size_t size = (size_t)st.st_size;
    uint8_t *buf = malloc(size + 1);
    if (buf == NULL) {
        fclose(f);
        return SSL_ERR_NO_MEMORY;
    }
    /* one byte more than the size: a file that grew since fstat is refused, not cut */
    size_t got = fread(buf, 1, size + 1, f);
    int bad = ferror(f) || got != size;
    fclose(f);
    if (bad) {
        pl_wipe(buf, size + 1);
        free(buf);
        return SSL_ERR_CLIENT_FILE_READ;
    }
    *out = buf;
    *len = size;
    return 0;
}

int pl_identity_load_chain_file(pl_identity *id, const char *path)
{
    uint8_t *text;
    size_t len;
    TRY(read_file(path, &text, &len));
    int rc = pl_identity_set_chain_pem(id, text, len);
    free(text);
    return rc;
}

int pl_identity_load_key_file(pl_identity *id, const char *path)
{
    uint8_t *text;
    size_t len;
    TRY(read_file(path, &text, &len));
    int rc = pl_identity_set_key_pem(id, text, len);
    pl_wipe(text, len + 1);
    free(text);
    return rc;
}

int pl_identity_complete(const pl_identity *id)
{
    return id->count > 0 && id->have_key;
}

void pl_identity_free(pl_identity *id)
{
    free_chain(id->der, id->count);
    if (id->have_key) {
        pl_key_private_free(&id->key);
    }
    pl_wipe(id, sizeof *id);
}
