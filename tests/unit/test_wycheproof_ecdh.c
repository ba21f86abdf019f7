/* Wycheproof ECDH for P-256 and P-384 through pl_ecdh_shared: ecdh_secp{256,384}r1_test.json
 * (public keys as DER SubjectPublicKeyInfo) and ecdh_secp{256,384}r1_ecpoint_test.json (public
 * keys as raw points).
 *
 * The SubjectPublicKeyInfo is taken apart here by a small strict DER walker on pl_reader (the
 * library's own SPKI parser belongs to src/x509/ and is tested there): exactly
 * SEQUENCE { SEQUENCE { OID id-ecPublicKey, OID namedCurve }, BIT STRING { 0 unused bits, point } }
 * with minimal definite lengths (RFC 5480 §2.1.1, §2.2; X.690 §10.1). Anything else is refused.
 *
 * "acceptable" cases are decided per flag, as padlock's policy, and each must be REJECTED:
 *   - CompressedPoint / CompressedPublic: padlock accepts only uncompressed points; RFC 8422
 *     §5.1.2 lets TLS 1.2 peers negotiate nothing else, and RFC 8446 §4.2.8.2 removed the rest.
 *   - UnnamedCurve with UnusedParam (explicit curve parameters, even harmless ones): RFC 5480
 *     §2.1.1 says namedCurve MUST be used in PKIX, and padlock refuses specifiedCurve.
 *   - InvalidAsn (non-minimal lengths and other BER): padlock parses strict DER only.
 * Every valid case must give exactly the expected shared secret, every invalid one must fail. */
#include "pl_test.h"

#include "base/cursor.h"
#include "crypto/ec.h"

/* OIDs, as DER content octets: id-ecPublicKey (RFC 5480 §2.1.1), secp256r1, secp384r1. */
static const uint8_t oid_ec_public_key[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const uint8_t oid_p256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t oid_p384[] = {0x2b, 0x81, 0x04, 0x00, 0x22};

/* One DER TLV with the given tag: a definite, minimal length (short form below 128, else 0x81
 * or 0x82 with no leading zero). Returns 0 and the contents, or -1. */
static int der_tlv(pl_reader *r, uint8_t want_tag, pl_slice *body)
{
    uint8_t tag, b0, b1;
    size_t len;
    if (pl_read_u8(r, &tag) != 0 || tag != want_tag || pl_read_u8(r, &b0) != 0) {
        return -1;
    }
    if (b0 < 0x80) {
        len = b0;
    } else if (b0 == 0x81) {
        if (pl_read_u8(r, &b1) != 0 || b1 < 0x80) {
            return -1;
        }
        len = b1;
    } else if (b0 == 0x82) {
        uint16_t v;
        if (pl_read_u16(r, &v) != 0 || v < 0x100) {
            return -1;
        }
        len = v;
    } else {
        return -1;
    }
    return pl_read_slice(r, len, body) == 0 ? 0 : -1;
}

static int slice_is(pl_slice s, const uint8_t *want, size_t len)
{
    return s.len == len && memcmp(s.ptr, want, len) == 0;
}

/* The point inside a SubjectPublicKeyInfo naming curve, or -1. */
static int spki_point(const uint8_t *der, size_t len, pl_ec_curve curve, pl_slice *point)
{
    pl_reader top, spki, alg, bits;
    pl_slice s;
    uint8_t unused;
    pl_reader_init(&top, der, len);
    if (der_tlv(&top, 0x30, &s) != 0 || pl_read_end(&top) != 0) {
        return -1;
    }
    spki = pl_reader_of(s);
    if (der_tlv(&spki, 0x30, &s) != 0) {
        return -1;
    }
    alg = pl_reader_of(s);
    if (der_tlv(&alg, 0x06, &s) != 0 || !slice_is(s, oid_ec_public_key, sizeof oid_ec_public_key)) {
        return -1;
    }
    /* namedCurve only: an OID, and the right one (explicit parameters are a SEQUENCE) */
    if (der_tlv(&alg, 0x06, &s) != 0 || pl_read_end(&alg) != 0) {
        return -1;
    }
    if (curve == PL_EC_P256 ? !slice_is(s, oid_p256, sizeof oid_p256)
                            : !slice_is(s, oid_p384, sizeof oid_p384)) {
        return -1;
    }
    if (der_tlv(&spki, 0x03, &s) != 0 || pl_read_end(&spki) != 0) {
        return -1;
    }
    bits = pl_reader_of(s);
    if (pl_read_u8(&bits, &unused) != 0 || unused != 0) {
        return -1;
    }
    return pl_read_slice(&bits, pl_reader_left(&bits), point) == 0 ? 0 : -1;
}

struct file {
    const char *name;
    pl_ec_curve curve;
    int spki; /* public keys are SubjectPublicKeyInfo, else raw points */
};

static enum pl_wp_verdict run_case(const pl_json *group, const pl_json *test, void *arg,
                                   const char **why)
{
    const struct file *f = arg;
    size_t len = pl_ec_scalar_len(f->curve), pub_len, priv_len, want_len, skip = 0;
    uint8_t *pub = pl_test_unhex(pl_json_get_str(test, "public"), &pub_len);
    uint8_t *priv = pl_test_unhex(pl_json_get_str(test, "private"), &priv_len);
    uint8_t *want = pl_test_unhex(pl_json_get_str(test, "shared"), &want_len);
    uint8_t d[PL_EC_MAX_SCALAR_LEN], out[PL_EC_MAX_SCALAR_LEN];
    const char *result = pl_json_get_str(test, "result");
    pl_slice point = {pub, pub_len};
    enum pl_wp_verdict v;
    int rc = -1;
    (void)group;
    /* The private key is a big-endian integer, sometimes with a sign byte or short. */
    while (skip < priv_len && priv[skip] == 0) {
        skip++;
    }
    if (priv_len - skip > len) {
        *why = "private key longer than the curve's scalar";
        v = PL_WP_WRONG;
        goto out;
    }
    memset(d, 0, sizeof d);
    memcpy(d + len - (priv_len - skip), priv + skip, priv_len - skip);
    if (!f->spki || spki_point(pub, pub_len, f->curve, &point) == 0) {
        rc = pl_ecdh_shared(f->curve, out, d, point.ptr, point.len);
    }
    if (strcmp(result, "acceptable") == 0 && rc == 0) {
        *why = "(policy: compressed points, explicit curve parameters and BER are refused)";
        v = PL_WP_WRONG;
        goto out;
    }
    if (rc != 0) {
        v = PL_WP_REJECTED;
    } else if (want_len != len || memcmp(out, want, len) != 0) {
        *why = "shared secret differs";
        v = PL_WP_WRONG;
    } else {
        v = PL_WP_ACCEPTED;
    }
out:
    free(pub);
    free(priv);
    free(want);
    return v;
}

static void run_file(const struct file *f, size_t min_total)
{
    struct pl_wp_counts c;
    assert_int_equal(pl_wp_run(f->name, run_case, (void *)f, &c), 0);
    assert_true(c.total >= min_total);
    assert_int_equal(c.skipped, 0);
    assert_int_equal(c.acceptable_accepted, 0);
}

static void test_wycheproof_ecdh_p256_spki(void **state)
{
    static const struct file f = {"ecdh_secp256r1_test.json", PL_EC_P256, 1};
    (void)state;
    run_file(&f, 600);
}

static void test_wycheproof_ecdh_p384_spki(void **state)
{
    static const struct file f = {"ecdh_secp384r1_test.json", PL_EC_P384, 1};
    (void)state;
    run_file(&f, 1000);
}

static void test_wycheproof_ecdh_p256_ecpoint(void **state)
{
    static const struct file f = {"ecdh_secp256r1_ecpoint_test.json", PL_EC_P256, 0};
    (void)state;
    run_file(&f, 350);
}

static void test_wycheproof_ecdh_p384_ecpoint(void **state)
{
    static const struct file f = {"ecdh_secp384r1_ecpoint_test.json", PL_EC_P384, 0};
    (void)state;
    run_file(&f, 780);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wycheproof_ecdh_p256_spki),
        cmocka_unit_test(test_wycheproof_ecdh_p384_spki),
        cmocka_unit_test(test_wycheproof_ecdh_p256_ecpoint),
        cmocka_unit_test(test_wycheproof_ecdh_p384_ecpoint),
    };
    pl_test_require_vectors();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
