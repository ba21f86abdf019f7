/* Trust store loading (see store.h). */
#define _DEFAULT_SOURCE /* opendir, stat */
#include "x509/store.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "x509/pem.h"

void pl_x509_store_init(pl_x509_store *store)
{
    memset(store, 0, sizeof *store);
}

void pl_x509_store_free(pl_x509_store *store)
{
    for (size_t i = 0; i < store->count; i++) {
        free(store->entries[i].der);
    }
    free(store->entries);
    memset(store, 0, sizeof *store);
}

static int contains(const pl_x509_store *store, const uint8_t *der, size_t len)
{
    for (size_t i = 0; i < store->count; i++) {
        const pl_slice *have = &store->entries[i].cert.der;
        if (have->len == len && memcmp(have->ptr, der, len) == 0) {
            return 1;
        }
    }
    return 0;
}

int pl_x509_store_add_der(pl_x509_store *store, const uint8_t *der, size_t len)
{
    pl_store_entry e;
    pl_cert probe;
    TRY(pl_cert_parse(&probe, der, len));
    if (contains(store, der, len)) {
        return 0;
    }
    if (store->count == store->cap) {
        size_t cap = store->cap == 0 ? 64 : store->cap * 2;
        pl_store_entry *grown = realloc(store->entries, cap * sizeof *grown);
        ENSURE(grown != NULL, SSL_ERR_NO_MEMORY);
        store->entries = grown;
        store->cap = cap;
    }
    e.der = malloc(len);
    ENSURE(e.der != NULL, SSL_ERR_NO_MEMORY);
    memcpy(e.der, der, len);
    if (pl_cert_parse(&e.cert, e.der, len) != 0) {
        free(e.der); /* cannot happen: the same bytes parsed above */
        return SSL_ERR_INTERNAL;
    }
    store->entries[store->count++] = e;
    return 0;
}

int pl_x509_store_add_pem(pl_x509_store *store, const uint8_t *text, size_t len, size_t *added)
{
    size_t cap = pl_pem_decoded_max(len);
    uint8_t *der = malloc(cap > 0 ? cap : 1);
    pl_pem_iter it;
    int rc = 0;
    *added = 0;
    ENSURE(der != NULL, SSL_ERR_NO_MEMORY);
    pl_pem_init(&it, text, len);
    for (;;) {
        pl_pem_block block;
        bool found;
        int step = pl_pem_next(&it, der, cap, &block, &found);
        if (step == 0 && !found) {
            break;
        }
        if (step != 0) {
            store->skipped++; /* a malformed block: the iterator has moved past it */
            continue;
        }
        if (!pl_pem_label_is(&block, "CERTIFICATE")) {
            continue;
        }
        step = pl_x509_store_add_der(store, der, block.der_len);
        if (step == SSL_ERR_NO_MEMORY) {
            rc = step;
            break;
        }
        if (step != 0) {
            store->skipped++;
        } else {
            (*added)++;
        }
    }
    free(der);
    return rc;
}

/* The whole file, up to PL_STORE_MAX_FILE bytes. */
static int read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    ENSURE(f != NULL, SSL_ERR_STORE_READ);
    for (;;) {
        size_t got;
        if (n == cap) {
            uint8_t *grown;
            cap = cap == 0 ? 65536 : cap * 2;
            if (cap > PL_STORE_MAX_FILE + 1) {
                break;
            }
            grown = realloc(buf, cap);
            if (grown == NULL) {
                free(buf);
                fclose(f);
                return SSL_ERR_NO_MEMORY;
            }
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            break;
        }
    }
    if (ferror(f) || n > PL_STORE_MAX_FILE) {
        free(buf);
        fclose(f);
        return SSL_ERR_STORE_READ;
    }
    fclose(f);
    *out = buf;
    *len = n;
    return 0;
}

static int load_one(pl_x509_store *store, const char *path, size_t *added)
{
    uint8_t *text = NULL;
    size_t len = 0;
    int rc;
    TRY(read_file(path, &text, &len));
    rc = pl_x509_store_add_pem(store, text, len, added);
    free(text);
    return rc;
}

int pl_x509_store_load_file(pl_x509_store *store, const char *path)
{
    size_t added = 0;
    TRY(load_one(store, path, &added));
    ENSURE(added > 0, SSL_ERR_STORE_EMPTY);
    return 0;
}

int pl_x509_store_load_dir(pl_x509_store *store, const char *path)
{
    DIR *dir = opendir(path);
    struct dirent *ent;
    size_t total = 0;
    int rc = 0;
    ENSURE(dir != NULL, SSL_ERR_STORE_READ);
    while ((ent = readdir(dir)) != NULL) {
        char file[4096];
        struct stat st;
        size_t added = 0;
        if (ent->d_name[0] == '.') {
            continue;
        }
        if ((size_t)snprintf(file, sizeof file, "%s/%s", path, ent->d_name) >= sizeof file ||
            stat(file, &st) != 0 || !S_ISREG(st.st_mode)) {
            continue;
        }
        rc = load_one(store, file, &added);
        if (rc == SSL_ERR_NO_MEMORY) {
            break;
        }
        rc = 0; /* an unreadable file in a directory is skipped like a bad certificate */
        total += added;
    }
    closedir(dir);
    TRY(rc);
    ENSURE(total > 0, SSL_ERR_STORE_EMPTY);
    return 0;
}
