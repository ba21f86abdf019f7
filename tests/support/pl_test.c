/* Test support (see pl_test.h). Test-only code: it may allocate freely and abort on misuse. */
#include "pl_test.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifndef PL_TEST_VECTORS_DEFAULT
#define PL_TEST_VECTORS_DEFAULT ""
#endif

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "test support: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    abort();
}

/* ---- hex ---------------------------------------------------------------------------------- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = tolower(c);
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

uint8_t *pl_test_unhex(const char *hex, size_t *len)
{
    size_t n = strlen(hex);
    uint8_t *out;
    if (n % 2 != 0) {
        die("odd-length hex: %s", hex);
    }
    out = malloc(n / 2 + 1);
    if (out == NULL) {
        die("out of memory%s", "");
    }
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval((unsigned char)hex[2 * i]);
        int lo = hexval((unsigned char)hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            die("bad hex: %s", hex);
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    *len = n / 2;
    return out;
}

void pl_test_unhex_into(const char *hex, uint8_t *out, size_t want)
{
    size_t len;
    uint8_t *b = pl_test_unhex(hex, &len);
    if (len != want) {
        free(b);
        die("hex of the wrong length: %s", hex);
    }
    memcpy(out, b, len);
    free(b);
}

static void print_hex(const char *label, const uint8_t *p, size_t len)
{
    fprintf(stderr, "%s", label);
    for (size_t i = 0; i < len; i++) {
        fprintf(stderr, "%02x", p[i]);
    }
    fprintf(stderr, "\n");
}

void pl_test_assert_hex(const uint8_t *got, size_t len, const char *want)
{
    size_t wlen;
    uint8_t *w = pl_test_unhex(want, &wlen);
    int same = wlen == len && (len == 0 || memcmp(w, got, len) == 0);
    if (!same) {
        print_hex("  expected: ", w, wlen);
        print_hex("  got:      ", got, len);
    }
    free(w);
    assert_true(same);
}

/* ---- seeded randomness -------------------------------------------------------------------- */

static uint64_t rng_state[4];
static int rng_ready;
static uint64_t rng_seed;

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

uint64_t pl_test_seed(void)
{
    if (!rng_ready) {
        const char *env = getenv("PADLOCK_TEST_SEED");
        uint64_t x;
        rng_seed = env != NULL ? strtoull(env, NULL, 0)
                               : (uint64_t)time(NULL) ^ ((uint64_t)clock() << 32);
        x = rng_seed;
        for (int i = 0; i < 4; i++) {
            rng_state[i] = splitmix(&x);
        }
        rng_ready = 1;
        printf("random seed: %llu (set PADLOCK_TEST_SEED to repeat)\n",
               (unsigned long long)rng_seed);
    }
    return rng_seed;
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(void)
{
    uint64_t *s = rng_state;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    pl_test_seed();
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

void pl_test_fill(void *out, size_t len)
{
    uint8_t *p = out;
    pl_test_seed();
    for (size_t i = 0; i < len; i++) {
        p[i] = (uint8_t)(rng_next() >> 56);
    }
}

size_t pl_test_below(size_t bound)
{
    pl_test_seed();
    return bound == 0 ? 0 : (size_t)(rng_next() % bound);
}

/* ---- JSON --------------------------------------------------------------------------------- */

struct pl_json {
    enum pl_json_type type;
    double num;
    char *str;      /* string value */
    char **keys;    /* object member names */
    pl_json **items;
    size_t n;
};

struct jparser {
    const char *p;
    const char *end;
    int depth;
};

static void jskip(struct jparser *jp)
{
    while (jp->p < jp->end && isspace((unsigned char)*jp->p)) {
        jp->p++;
    }
}

static pl_json *jnew(enum pl_json_type t)
{
    pl_json *j = calloc(1, sizeof *j);
    if (j == NULL) {
        die("out of memory%s", "");
    }
    j->type = t;
    return j;
}

static void jpush(pl_json *parent, char *key, pl_json *child)
{
    parent->items = realloc(parent->items, (parent->n + 1) * sizeof *parent->items);
    parent->keys = realloc(parent->keys, (parent->n + 1) * sizeof *parent->keys);
    if (parent->items == NULL || parent->keys == NULL) {
        die("out of memory%s", "");
    }
    parent->items[parent->n] = child;
    parent->keys[parent->n] = key;
    parent->n++;
}

static char *jstring(struct jparser *jp)
{
    size_t cap = 16, n = 0;
    char *s = malloc(cap);
    if (s == NULL || jp->p >= jp->end || *jp->p != '"') {
        free(s);
        return NULL;
    }
    jp->p++;
    while (jp->p < jp->end && *jp->p != '"') {
        char c = *jp->p++;
        if (c == '\\') {
            if (jp->p >= jp->end) {
                free(s);
                return NULL;
            }
            c = *jp->p++;
            switch (c) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u': /* keep ASCII; anything wider becomes '?' (comments only) */
                if (jp->end - jp->p < 4) {
                    free(s);
                    return NULL;
                }
                c = (char)strtol((char[]){jp->p[0], jp->p[1], jp->p[2], jp->p[3], 0}, NULL, 16);
                if ((unsigned char)c >= 0x80 || c == 0) {
                    c = '?';
                }
                jp->p += 4;
                break;
            default: break; /* \" \\ \/ */
            }
        }
        if (n + 2 > cap) {
            cap *= 2;
            s = realloc(s, cap);
            if (s == NULL) {
                die("out of memory%s", "");
            }
        }
        s[n++] = c;
    }
    if (jp->p >= jp->end) {
        free(s);
        return NULL;
    }
    jp->p++;
    s[n] = 0;
    return s;
}

static pl_json *jvalue(struct jparser *jp)
{
    pl_json *j;
    jskip(jp);
    if (jp->p >= jp->end || ++jp->depth > 64) {
        return NULL;
    }
    if (*jp->p == '{' || *jp->p == '[') {
        int obj = *jp->p == '{';
        j = jnew(obj ? PL_JSON_OBJECT : PL_JSON_ARRAY);
        jp->p++;
        jskip(jp);
        if (jp->p < jp->end && *jp->p == (obj ? '}' : ']')) {
            jp->p++;
            jp->depth--;
            return j;
        }
        for (;;) {
            char *key = NULL;
            pl_json *child;
            jskip(jp);
            if (obj) {
                key = jstring(jp);
                jskip(jp);
                if (key == NULL || jp->p >= jp->end || *jp->p != ':') {
                    free(key);
                    pl_json_free(j);
                    return NULL;
                }
                jp->p++;
            }
            child = jvalue(jp);
            if (child == NULL) {
                free(key);
                pl_json_free(j);
                return NULL;
            }
            jpush(j, key, child);
            jskip(jp);
            if (jp->p < jp->end && *jp->p == ',') {
                jp->p++;
                continue;
            }
            if (jp->p < jp->end && *jp->p == (obj ? '}' : ']')) {
                jp->p++;
                break;
            }
            pl_json_free(j);
            return NULL;
        }
    } else if (*jp->p == '"') {
        char *s = jstring(jp);
        if (s == NULL) {
            return NULL;
        }
        j = jnew(PL_JSON_STRING);
        j->str = s;
    } else if (strncmp(jp->p, "true", 4) == 0 || strncmp(jp->p, "false", 5) == 0) {
        j = jnew(PL_JSON_BOOL);
        j->num = *jp->p == 't';
        jp->p += *jp->p == 't' ? 4 : 5;
    } else if (strncmp(jp->p, "null", 4) == 0) {
        j = jnew(PL_JSON_NULL);
        jp->p += 4;
    } else {
        char *endp;
        double v = strtod(jp->p, &endp);
        if (endp == jp->p) {
            return NULL;
        }
        j = jnew(PL_JSON_NUMBER);
        j->num = v;
        jp->p = endp;
    }
    jp->depth--;
    return j;
}

pl_json *pl_json_load(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long size;
    struct jparser jp;
    pl_json *j;
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)size + 1);
    if (buf == NULL || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "cannot read %s\n", path);
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[size] = 0;
    jp.p = buf;
    jp.end = buf + size;
    jp.depth = 0;
    j = jvalue(&jp);
    if (j == NULL) {
        fprintf(stderr, "cannot parse %s as JSON\n", path);
    }
    free(buf);
    return j;
}

void pl_json_free(pl_json *j)
{
    if (j == NULL) {
        return;
    }
    for (size_t i = 0; i < j->n; i++) {
        pl_json_free(j->items[i]);
        free(j->keys[i]);
    }
    free(j->items);
    free(j->keys);
    free(j->str);
    free(j);
}

enum pl_json_type pl_json_type(const pl_json *j)
{
    return j->type;
}

const pl_json *pl_json_get(const pl_json *obj, const char *key)
{
    if (obj == NULL || obj->type != PL_JSON_OBJECT) {
        return NULL;
    }
    for (size_t i = 0; i < obj->n; i++) {
        if (strcmp(obj->keys[i], key) == 0) {
            return obj->items[i];
        }
    }
    return NULL;
}

size_t pl_json_len(const pl_json *j)
{
    return j == NULL ? 0 : j->n;
}

const pl_json *pl_json_at(const pl_json *j, size_t i)
{
    return j != NULL && i < j->n ? j->items[i] : NULL;
}

const char *pl_json_str(const pl_json *j)
{
    return j != NULL && j->type == PL_JSON_STRING ? j->str : NULL;
}

double pl_json_num(const pl_json *j)
{
    return j != NULL && j->type == PL_JSON_NUMBER ? j->num : 0;
}

const char *pl_json_get_str(const pl_json *obj, const char *key)
{
    return pl_json_str(pl_json_get(obj, key));
}

double pl_json_get_num(const pl_json *obj, const char *key, double dflt)
{
    const pl_json *v = pl_json_get(obj, key);
    return v != NULL && v->type == PL_JSON_NUMBER ? v->num : dflt;
}

int pl_json_has_flag(const pl_json *test, const char *flag)
{
    const pl_json *flags = pl_json_get(test, "flags");
    for (size_t i = 0; i < pl_json_len(flags); i++) {
        const char *f = pl_json_str(pl_json_at(flags, i));
        if (f != NULL && strcmp(f, flag) == 0) {
            return 1;
        }
    }
    return 0;
}

/* ---- vectors directory -------------------------------------------------------------------- */

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *pl_test_vectors_dir(void)
{
    static char found[4096];
    const char *candidates[2] = {getenv("PADLOCK_VECTORS_DIR"), PL_TEST_VECTORS_DEFAULT};
    for (int i = 0; i < 2; i++) {
        char probe[4200];
        if (candidates[i] == NULL || candidates[i][0] == 0) {
            continue;
        }
        snprintf(probe, sizeof probe, "%s/wycheproof", candidates[i]);
        if (is_dir(probe)) {
            snprintf(found, sizeof found, "%s", candidates[i]);
            return found;
        }
    }
    return NULL;
}

const char *pl_test_require_vectors(void)
{
    const char *dir = pl_test_vectors_dir();
    if (dir == NULL) {
        printf("SKIPPED: test vectors not found (looked in $PADLOCK_VECTORS_DIR and %s); "
               "the in-tree known-answer tests still ran in their own programs\n",
               PL_TEST_VECTORS_DEFAULT[0] ? PL_TEST_VECTORS_DEFAULT : "(no default)");
        fflush(stdout);
        exit(77);
    }
    return dir;
}

const char *pl_test_vector_path(const char *rel)
{
    static char path[8192];
    const char *dir = pl_test_require_vectors();
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    return path;
}

/* ---- Wycheproof runner -------------------------------------------------------------------- */

size_t pl_wp_run(const char *file, pl_wp_case_fn fn, void *arg, struct pl_wp_counts *counts)
{
    char rel[512];
    pl_json *root;
    const pl_json *groups;
    struct pl_wp_counts c = {0};
    snprintf(rel, sizeof rel, "wycheproof/%s", file);
    root = pl_json_load(pl_test_vector_path(rel));
    if (root == NULL) {
        fail_msg("cannot load %s", file);
    }
    groups = pl_json_get(root, "testGroups");
    for (size_t g = 0; g < pl_json_len(groups); g++) {
        const pl_json *group = pl_json_at(groups, g);
        const pl_json *tests = pl_json_get(group, "tests");
        for (size_t t = 0; t < pl_json_len(tests); t++) {
            const pl_json *test = pl_json_at(tests, t);
            const char *result = pl_json_get_str(test, "result");
            const char *why = "";
            enum pl_wp_verdict v = fn(group, test, arg, &why);
            int ok;
            c.total++;
            if (v == PL_WP_SKIPPED) {
                c.skipped++;
                continue;
            }
            if (result != NULL && strcmp(result, "valid") == 0) {
                c.valid++;
                ok = v == PL_WP_ACCEPTED;
            } else if (result != NULL && strcmp(result, "invalid") == 0) {
                c.invalid++;
                ok = v == PL_WP_REJECTED;
            } else {
                ok = v != PL_WP_WRONG;
                if (v == PL_WP_ACCEPTED) {
                    c.acceptable_accepted++;
                } else {
                    c.acceptable_rejected++;
                }
            }
            if (!ok) {
                c.failed++;
                printf("  FAIL %s tcId %d (%s, %s): %s %s\n", file,
                       (int)pl_json_get_num(test, "tcId", -1), result ? result : "?",
                       pl_json_get_str(test, "comment") ? pl_json_get_str(test, "comment") : "",
                       v == PL_WP_ACCEPTED   ? "accepted"
                       : v == PL_WP_REJECTED ? "rejected"
                                             : "wrong result",
                       why);
            }
        }
    }
    printf("%s: %zu vectors: %zu valid, %zu invalid, %zu acceptable (%zu accepted, %zu rejected), "
           "%zu skipped, %zu failed\n",
           file, c.total, c.valid, c.invalid, c.acceptable_accepted + c.acceptable_rejected,
           c.acceptable_accepted, c.acceptable_rejected, c.skipped, c.failed);
    fflush(stdout);
    pl_json_free(root);
    if (counts != NULL) {
        *counts = c;
    }
    return c.failed;
}
