/* x509verify: validate a certificate chain for TLS server use, the way padlock's client does.
 *
 *   x509verify --cafile FILE --leaf FILE [--untrusted FILE] [--name HOST_OR_IP]
 *              [--time UNIX_SECONDS] [--max-depth N] [-v]
 *
 * Files are PEM and may hold several certificates. Every certificate in --cafile is a trust
 * anchor. The first certificate in --leaf is the leaf; any after it join the --untrusted pool
 * of possible intermediates (any order, decoys allowed). --name is matched as an IP address
 * when it is an IPv4/IPv6 literal, else as a DNS name; without it no name is checked. --time
 * defaults to now. --max-depth bounds the number of intermediates. -v prints the path built.
 *
 * Exit status: 0 valid; 1 not valid (one line on stderr says why); 2 usage error or
 * unreadable input. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "x509/path.h"
#include "x509/pem.h"

#define MAX_POOL 64

static void usage(void)
{
    fprintf(stderr, "usage: x509verify --cafile FILE --leaf FILE [--untrusted FILE] "
                    "[--name HOST_OR_IP] [--time UNIX_SECONDS] [--max-depth N] [-v]\n");
    exit(2);
}

static void unreadable(const char *what, const char *path, const char *why)
{
    fprintf(stderr, "x509verify: cannot use %s %s: %s\n", what, path, why);
    exit(2);
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0;
    *len = 0;
    if (f == NULL) {
        unreadable("file", path, strerror(errno));
    }
    for (;;) {
        size_t got;
        if (*len == cap) {
            cap = cap ? cap * 2 : 65536;
            if (cap > (64u << 20) || (buf = realloc(buf, cap)) == NULL) {
                unreadable("file", path, "too large");
            }
        }
        got = fread(buf + *len, 1, cap - *len, f);
        *len += got;
        if (got == 0) {
            break;
        }
    }
    if (ferror(f)) {
        unreadable("file", path, "read error");
    }
    fclose(f);
    return buf;
}

/* Every CERTIFICATE block of a PEM file as DER, in order: out[i] malloc'd. A block that is not
 * valid PEM makes the file unreadable; a certificate that does not parse is kept (the
 * validator's verdict on it is the answer). */
static size_t read_certs(const char *what, const char *path, uint8_t **der, size_t *der_len,
                         size_t max)
{
    size_t text_len, n = 0, cap;
    uint8_t *text = read_all(path, &text_len);
    pl_pem_iter it;
    cap = pl_pem_decoded_max(text_len);
    pl_pem_init(&it, text, text_len);
    for (;;) {
        pl_pem_block block;
        bool found;
        uint8_t *buf = malloc(cap > 0 ? cap : 1);
        int rc = pl_pem_next(&it, buf, cap, &block, &found);
        if (rc != 0) {
            unreadable(what, path, ssl_error_string(rc));
        }
        if (!found) {
            free(buf);
            break;
        }
        if (!pl_pem_label_is(&block, "CERTIFICATE")) {
            free(buf);
            continue;
        }
        if (n == max) {
            unreadable(what, path, "too many certificates");
        }
        der[n] = buf;
        der_len[n++] = block.der_len;
    }
    free(text);
    if (n == 0) {
        unreadable(what, path, "no CERTIFICATE block");
    }
    return n;
}

static int64_t parse_int(const char *s, int64_t min, int64_t max)
{
    char *end;
    long long v;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
        usage();
    }
    return v;
}

static void print_path(const pl_x509_result *res)
{
    for (size_t i = 0; i < res->path_len; i++) {
        char name[256], from[21], to[21];
        const pl_cert *c = res->path[i];
        pl_cert_name_string(c->subject, name, sizeof name);
        pl_cert_time_string(c->not_before, from);
        pl_cert_time_string(c->not_after, to);
        printf("depth %zu: %s [%s .. %s]%s\n", i, name, from, to,
               i + 1 == res->path_len ? " (trust anchor)" : "");
    }
}

int main(int argc, char **argv)
{
    const char *cafile = NULL, *leaf_file = NULL, *untrusted_file = NULL, *name = NULL;
    int64_t now = (int64_t)time(NULL);
    int max_intermediates = -1, verbose = 0, rc;
    uint8_t *der[MAX_POOL];
    size_t der_len[MAX_POOL], n = 0;
    pl_cert leaf, pool[MAX_POOL];
    size_t pool_count = 0;
    pl_x509_store anchors;
    pl_x509_verify_opts opts;
    pl_x509_result res;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-v") == 0) {
            verbose = 1;
            continue;
        }
        if (i + 1 >= argc) {
            usage();
        }
        if (strcmp(a, "--cafile") == 0) {
            cafile = argv[++i];
        } else if (strcmp(a, "--leaf") == 0) {
            leaf_file = argv[++i];
        } else if (strcmp(a, "--untrusted") == 0) {
            untrusted_file = argv[++i];
        } else if (strcmp(a, "--name") == 0) {
            name = argv[++i];
        } else if (strcmp(a, "--time") == 0) {
            now = parse_int(argv[++i], INT64_MIN / 2, INT64_MAX / 2);
        } else if (strcmp(a, "--max-depth") == 0) {
            max_intermediates = (int)parse_int(argv[++i], 0, 1000);
        } else {
            usage();
        }
    }
    if (cafile == NULL || leaf_file == NULL) {
        usage();
    }

    pl_x509_store_init(&anchors);
    rc = pl_x509_store_load_file(&anchors, cafile);
    if (rc != 0) {
        unreadable("CA file", cafile, ssl_error_string(rc));
    }
    n = read_certs("leaf file", leaf_file, der, der_len, MAX_POOL);
    if (untrusted_file != NULL) {
        n += read_certs("untrusted file", untrusted_file, der + n, der_len + n, MAX_POOL - n);
    }
    rc = pl_cert_parse(&leaf, der[0], der_len[0]);
    if (rc != 0) {
        fprintf(stderr, "x509verify: leaf certificate does not parse: %s [%s]\n",
                ssl_error_string(rc), ssl_error_name(rc));
        return 1;
    }
    /* Pool certificates that do not parse cannot be in any path: they are left out, as a
     * client ignores what it cannot read among the extras a server sends. */
    for (size_t i = 1; i < n; i++) {
        if (pl_cert_parse(&pool[pool_count], der[i], der_len[i]) == 0) {
            pool_count++;
        }
    }

    opts.now = now;
    opts.host = name;
    opts.max_intermediates = max_intermediates;
    rc = pl_x509_verify(&leaf, pool, pool_count, &anchors, &opts, &res);
    if (rc != 0) {
        fprintf(stderr, "x509verify: %s [%s]\n", res.detail, ssl_error_name(rc));
    } else if (verbose) {
        print_path(&res);
    }
    pl_x509_store_free(&anchors);
    for (size_t i = 0; i < n; i++) {
        free(der[i]);
    }
    return rc == 0 ? 0 : 1;
}
