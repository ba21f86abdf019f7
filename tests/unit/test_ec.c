/* P-256 and P-384 (crypto/ec.h): the RFC 6979 §A.2.5 and §A.2.6 key pairs and deterministic
 * signatures; the generator and its order; the field and scalar arithmetic against a slow
 * schoolbook reference on random inputs; the constant-time multiplications against the
 * variable-time one; ECDH agreement and refusals; sign-then-verify, tampering, and strict DER. */
#include <stdio.h>

#include "pl_test.h"

#include "crypto/ec.h"
#include "crypto/ec_point.h"
#include "crypto/hash.h"

static const pl_ec_curve curves[] = {PL_EC_P256, PL_EC_P384};

/* FIPS 186-4 §D.1.2.3 and §D.1.2.4: the generators and orders. */
static const struct {
    pl_ec_curve curve;
    const char *gx, *gy, *n;
} params[] = {
    {PL_EC_P256, "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
     "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
     "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"},
    {PL_EC_P384,
     "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b98"
     "59f741e082542a385502f25dbf55296c3a545e3872760ab7",
     "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147c"
     "e9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
     "ffffffffffffffffffffffffffffffffffffffffffffffff"
     "c7634d81f4372ddf581a0db248b0a77aecec196accc52973"},
};

static size_t curve_index(pl_ec_curve curve)
{
    return curve == PL_EC_P256 ? 0 : 1;
}

/* The generator's encoding 0x04 || Gx || Gy. */
static void generator(pl_ec_curve curve, uint8_t *out)
{
    size_t len = pl_ec_scalar_len(curve), i = curve_index(curve);
    out[0] = 4;
    pl_test_unhex_into(params[i].gx, out + 1, len);
    pl_test_unhex_into(params[i].gy, out + 1 + len, len);
}

static void order(pl_ec_curve curve, uint8_t *out)
{
    pl_test_unhex_into(params[curve_index(curve)].n, out, pl_ec_scalar_len(curve));
}

/* Big-endian v += delta (small, signed), in place. */
static void be_add_small(uint8_t *v, size_t len, int delta)
{
    int carry = delta;
    for (size_t i = len; i-- > 0 && carry != 0;) {
        int x = v[i] + carry;
        v[i] = (uint8_t)(x & 0xff);
        carry = x >> 8;
    }
}

/* ---- RFC 6979 -------------------------------------------------------------------------------- */

struct rfc6979_sig {
    const pl_hash_class *hash;
    const char *msg, *k, *r, *s;
};

/* RFC 6979 §A.2.5: P-256 key pair and signatures (the SHA-224 rows are left out: padlock has no
 * SHA-224). */
static const char p256_x[] = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721";
static const char p256_ux[] = "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6";
static const char p256_uy[] = "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299";
static const struct rfc6979_sig p256_sigs[] = {
    {&pl_sha1_class, "sample", "882905f1227fd620fbf2abf21244f0ba83d0dc3a9103dbbee43a1fb858109db4",
     "61340c88c3aaebeb4f6d667f672ca9759a6ccaa9fa8811313039ee4a35471d32",
     "6d7f147dac089441bb2e2fe8f7a3fa264b9c475098fdcf6e00d7c996e1b8b7eb"},
    {&pl_sha256_class, "sample", "a6e3c57dd01abe90086538398355dd4c3b17aa873382b0f24d6129493d8aad60",
     "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716",
     "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8"},
    {&pl_sha384_class, "sample", "09f634b188cefd98e7ec88b1aa9852d734d0bc272f7d2a47decc6ebeb375aad4",
     "0eafea039b20e9b42309fb1d89e213057cbf973dc0cfc8f129edddc800ef7719",
     "4861f0491e6998b9455193e34e7b0d284ddd7149a74b95b9261f13abde940954"},
    {&pl_sha512_class, "sample", "5fa81c63109badb88c1f367b47da606da28cad69aa22c4fe6ad7df73a7173aa5",
     "8496a60b5e9b47c825488827e0495b0e3fa109ec4568fd3f8d1097678eb97f00",
     "2362ab1adbe2b8adf9cb9edab740ea6049c028114f2460f96554f61fae3302fe"},
    {&pl_sha1_class, "test", "8c9520267c55d6b980df741e56b4adee114d84fbfa2e62137954164028632a2e",
     "0cbcc86fd6abd1d99e703e1ec50069ee5c0b4ba4b9ac60e409e8ec5910d81a89",
     "01b9d7b73dfaa60d5651ec4591a0136f87653e0fd780c3b1bc872ffdeae479b1"},
    {&pl_sha256_class, "test", "d16b6ae827f17175e040871a1c7ec3500192c4c92677336ec2537acaee0008e0",
     "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367",
     "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083"},
    {&pl_sha384_class, "test", "16aeffa357260b04b1dd199693960740066c1a8f3e8edd79070aa914d361b3b8",
     "83910e8b48bb0c74244ebdf7f07a1c5413d61472bd941ef3920e623fbccebeb6",
     "8ddbec54cf8cd5874883841d712142a56a8d0f218f5003cb0296b6b509619f2c"},
    {&pl_sha512_class, "test", "6915d11632aca3c40d5d51c08daf9c555933819548784480e93499000d9f0b7f",
     "461d93f31b6540894788fd206c07cfa0cc35f46fa3c91816fff1040ad1581a04",
     "39af9f15de0db8d97e72719c74820d304ce5226e32dedae67519e840d1194e55"},
};

/* RFC 6979 §A.2.6: P-384 (SHA-224 left out likewise). */
static const char p384_x[] = "6b9d3dad2e1b8c1c05b19875b6659f4de23c3b667bf297ba9aa47740787137d8"
                             "96d5724e4c70a825f872c9ea60d2edf5";
static const char p384_ux[] = "ec3a4e415b4e19a4568618029f427fa5da9a8bc4ae92e02e06aae5286b300c64"
                              "def8f0ea9055866064a254515480bc13";
static const char p384_uy[] = "8015d9b72d7d57244ea8ef9ac0c621896708a59367f9dfb9f54ca84b3f1c9db1"
                              "288b231c3ae0d4fe7344fd2533264720";
static const struct rfc6979_sig p384_sigs[] = {
    {&pl_sha1_class, "sample",
     "4471ef7518bb2c7c20f62eae1c387ad0c5e8e470995db4ac"
     "f694466e6ab096630f29e5938d25106c3c340045a2db01a7",
     "ec748d839243d6fbef4fc5c4859a7dffd7f3abddf7201454"
     "0c16d73309834fa37b9ba002899f6fda3a4a9386790d4eb2",
     "a3bcfa947beef4732bf247ac17f71676cb31a847b9ff0cbc"
     "9c9ed4c1a5b3facf26f49ca031d4857570ccb5ca4424a443"},
    {&pl_sha256_class, "sample",
     "180ae9f9aec5438a44bc159a1fcb277c7be54fa20e7cf404"
     "b490650a8acc414e375572342863c899f9f2edf9747a9b60",
     "21b13d1e013c7fa1392d03c5f99af8b30c570c6f98d4ea8e"
     "354b63a21d3daa33bde1e888e63355d92fa2b3c36d8fb2cd",
     "f3aa443fb107745bf4bd77cb3891674632068a10ca67e3d4"
     "5db2266fa7d1feebefdc63eccd1ac42ec0cb8668a4fa0ab0"},
    {&pl_sha384_class, "sample",
     "94ed910d1a099dad3254e9242ae85abde4ba15168eaf0ca8"
     "7a555fd56d10fbca2907e3e83ba95368623b8c4686915cf9",
     "94edbb92a5ecb8aad4736e56c691916b3f88140666ce9fa7"
     "3d64c4ea95ad133c81a648152e44acf96e36dd1e80fabe46",
     "99ef4aeb15f178cea1fe40db2603138f130e740a19624526"
     "203b6351d0a3a94fa329c145786e679e7b82c71a38628ac8"},
    {&pl_sha512_class, "sample",
     "92fc3c7183a883e24216d1141f1a8976c5b0dd797dfa597e"
     "3d7b32198bd35331a4e966532593a52980d0e3aaa5e10ec3",
     "ed0959d5880ab2d869ae7f6c2915c6d60f96507f9cb3e047"
     "c0046861da4a799cfe30f35cc900056d7c99cd7882433709",
     "512c8cceee3890a84058ce1e22dbc2198f42323ce8aca913"
     "5329f03c068e5112dc7cc3ef3446defceb01a45c2667fdd5"},
    {&pl_sha1_class, "test",
     "66cc2c8f4d303fc962e5ff6a27bd79f84ec812ddae58cf52"
     "43b64a4ad8094d47ec3727f3a3c186c15054492e30698497",
     "4bc35d3a50ef4e30576f58cd96ce6bf638025ee624004a1f"
     "7789a8b8e43d0678acd9d29876daf46638645f7f404b11c7",
     "d5a6326c494ed3ff614703878961c0fde7b2c278f9a65fd8"
     "c4b7186201a2991695ba1c84541327e966fa7b50f7382282"},
    {&pl_sha256_class, "test",
     "0cfac37587532347dc3389fdc98286bba8c73807285b184c"
     "83e62e26c401c0faa48dd070ba79921a3457abff2d630ad7",
     "6d6defac9ab64dabafe36c6bf510352a4cc27001263638e5"
     "b16d9bb51d451559f918eedaf2293be5b475cc8f0188636b",
     "2d46f3becbcc523d5f1a1256bf0c9b024d879ba9e838144c"
     "8ba6baeb4b53b47d51ab373f9845c0514eefb14024787265"},
    {&pl_sha384_class, "test",
     "015ee46a5bf88773ed9123a5ab0807962d193719503c527b"
     "031b4c2d225092ada71f4a459bc0da98adb95837db8312ea",
     "8203b63d3c853e8d77227fb377bcf7b7b772e97892a80f36"
     "ab775d509d7a5feb0542a7f0812998da8f1dd3ca3cf023db",
     "ddd0760448d42d8a43af45af836fce4de8be06b485e9b61b"
     "827c2f13173923e06a739f040649a667bf3b828246baa5a5"},
    {&pl_sha512_class, "test",
     "3780c4f67cb15518b6acae34c9f83568d2e12e47deab6c50"
     "a4e4ee5319d1e8ce0e2cc8a136036dc4b9c00e6888f66b6c",
     "a0d5d090c9980faf3c2ce57b7ae951d31977dd11c775d314"
     "af55f76c676447d06fb6495cd21b4b6e340fc236584fb277",
     "976984e59b4c77b0e8e4460dca3d9f20e07b9bb1f63beefa"
     "f576f6b2e8b224634a2092cd3792e0159ad9cee37659c736"},
};

/* A test-local DER encoder of (r, s), written separately from the library's. */
static size_t der_int(uint8_t *out, const uint8_t *v, size_t len)
{
    size_t skip = 0, n = 0;
    while (skip + 1 < len && v[skip] == 0) {
        skip++;
    }
    out[n++] = 0x02;
    out[n++] = (uint8_t)(len - skip + ((v[skip] & 0x80) ? 1 : 0));
    if (v[skip] & 0x80) {
        out[n++] = 0;
    }
    memcpy(out + n, v + skip, len - skip);
    return n + len - skip;
}

static size_t der_sig(uint8_t *out, const uint8_t *r, const uint8_t *s, size_t len)
{
    size_t n = 2;
    n += der_int(out + n, r, len);
    n += der_int(out + n, s, len);
    out[0] = 0x30;
    out[1] = (uint8_t)(n - 2);
    return n;
}

static void check_rfc6979(pl_ec_curve curve, const char *x, const char *ux, const char *uy,
                          const struct rfc6979_sig *sigs, size_t nsigs)
{
    size_t len = pl_ec_scalar_len(curve);
    uint8_t d[48], pt[97], want_sig[PL_ECDSA_MAX_SIG_LEN], sig[PL_ECDSA_MAX_SIG_LEN];
    uint8_t k[48], r[48], s[48], kg[97], digest[PL_HASH_MAX_LEN];
    pl_ec_private key;
    pl_test_unhex_into(x, d, len);
    assert_int_equal(pl_ec_private_init(&key, curve, d, len), 0);
    pt[0] = 4;
    pl_test_unhex_into(ux, pt + 1, len);
    pl_test_unhex_into(uy, pt + 1 + len, len);
    assert_int_equal(pl_ec_private_public(&key)->point_len, 1 + 2 * len);
    assert_memory_equal(pl_ec_private_public(&key)->point, pt, 1 + 2 * len);
    for (size_t i = 0; i < nsigs; i++) {
        pl_hash_ctx hc;
        size_t sig_len = 0, want_len;
        sigs[i].hash->init(&hc);
        sigs[i].hash->update(&hc, sigs[i].msg, strlen(sigs[i].msg));
        sigs[i].hash->final(&hc, digest);
        pl_test_unhex_into(sigs[i].k, k, len);
        pl_test_unhex_into(sigs[i].r, r, len);
        pl_test_unhex_into(sigs[i].s, s, len);
        /* r = x(k·G) mod n; the x-coordinates here are all below n. */
        assert_int_equal(pl_ec_mul_base(curve, kg, k), 0);
        assert_memory_equal(kg + 1, r, len);
        want_len = der_sig(want_sig, r, s, len);
        assert_int_equal(pl_ecdsa_sign(&key, sigs[i].hash, digest, sigs[i].hash->digest_len,
                                       sig, sizeof sig, &sig_len),
                         0);
        assert_int_equal(sig_len, want_len);
        assert_memory_equal(sig, want_sig, want_len);
        assert_int_equal(pl_ecdsa_verify(pl_ec_private_public(&key), digest,
                                         sigs[i].hash->digest_len, sig, sig_len),
                         0);
    }
    pl_ec_private_wipe(&key);
}

static void test_ecdsa_p256_rfc6979_vectors(void **state)
{
    (void)state;
    check_rfc6979(PL_EC_P256, p256_x, p256_ux, p256_uy, p256_sigs, PL_ARRAY_LEN(p256_sigs));
}

static void test_ecdsa_p384_rfc6979_vectors(void **state)
{
    (void)state;
    check_rfc6979(PL_EC_P384, p384_x, p384_ux, p384_uy, p384_sigs, PL_ARRAY_LEN(p384_sigs));
}

/* ---- the generator --------------------------------------------------------------------------- */

/* 1·G = G, (n-1)·G = -G, and 1·G + (n-1)·G = n·G is the point at infinity. */
static void test_ec_generator_and_order(void **state)
{
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(curves); c++) {
        pl_ec_curve curve = curves[c];
        size_t len = pl_ec_scalar_len(curve), plen = pl_ec_point_len(curve);
        const pl_ec_params *pp = pl_ec_params_of(curve);
        uint8_t g[97], out[97], one[48] = {0}, nm1[48], zero[48] = {0}, ny[48];
        pl_ec_fe y, z;
        generator(curve, g);
        one[len - 1] = 1;
        assert_int_equal(pl_ec_mul_base(curve, out, one), 0);
        assert_memory_equal(out, g, plen);
        assert_int_equal(pl_ec_mul(curve, out, one, g, plen), 0);
        assert_memory_equal(out, g, plen);
        order(curve, nm1);
        be_add_small(nm1, len, -1);
        /* -G = (Gx, p - Gy) */
        pl_ec_fe_from_bytes(pp->p, &y, g + 1 + len);
        memset(&z, 0, sizeof z);
        pl_ec_mod_sub(pp->p, &y, &z, &y);
        pl_ec_fe_to_bytes(pp->p, ny, &y);
        assert_int_equal(pl_ec_mul_base(curve, out, nm1), 0);
        assert_memory_equal(out + 1, g + 1, len);
        assert_memory_equal(out + 1 + len, ny, len);
        assert_int_equal(pl_ec_mul(curve, out, nm1, g, plen), 0);
        assert_memory_equal(out + 1 + len, ny, len);
        assert_int_equal(pl_ec_double_mul_vartime(curve, out, nm1, zero, g, plen), 0);
        assert_memory_equal(out + 1 + len, ny, len);
        assert_int_equal(pl_ec_double_mul_vartime(curve, out, one, nm1, g, plen),
                         SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE);
        assert_int_equal(pl_ec_double_mul_vartime(curve, out, nm1, one, g, plen),
                         SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE);
        assert_int_equal(pl_ec_double_mul_vartime(curve, out, zero, zero, g, plen),
                         SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE);
    }
}

/* ---- field and scalar arithmetic against a schoolbook reference ------------------------------ */

/* Reference: a·b mod m for n-limb values, by the full product and bit-by-bit long division. */
static void ref_mulmod(const uint64_t *m, size_t n, const uint64_t *a, const uint64_t *b,
                       uint64_t *out)
{
    uint64_t prod[12] = {0}, r[7] = {0};
    for (size_t i = 0; i < n; i++) {
        unsigned __int128 carry = 0;
        for (size_t j = 0; j < n; j++) {
            unsigned __int128 x = (unsigned __int128)a[i] * b[j] + prod[i + j] + carry;
            prod[i + j] = (uint64_t)x;
            carry = x >> 64;
        }
        prod[i + n] = (uint64_t)carry;
    }
    for (size_t bit = 128 * n; bit-- > 0;) {
        uint64_t top = 0, borrow = 0, t[7];
        int ge;
        /* r = 2r + bit */
        for (size_t j = 0; j <= n; j++) {
            uint64_t nt = r[j] >> 63;
            r[j] = r[j] << 1 | top;
            top = nt;
        }
        r[0] |= (prod[bit / 64] >> (bit % 64)) & 1;
        for (size_t j = 0; j <= n; j++) {
            uint64_t mj = j < n ? m[j] : 0;
            unsigned __int128 x = (unsigned __int128)r[j] - mj - borrow;
            t[j] = (uint64_t)x;
            borrow = (uint64_t)(x >> 64) & 1;
        }
        ge = borrow == 0;
        if (ge) {
            memcpy(r, t, sizeof t);
        }
    }
    memcpy(out, r, n * sizeof(uint64_t));
}

/* A random element below m: random limbs, reduced by the reference (times 1). */
static void random_below(const pl_ec_modulus *m, pl_ec_fe *a)
{
    uint64_t one[6] = {1};
    memset(a, 0, sizeof *a);
    pl_test_fill(a->v, m->n * sizeof(uint64_t));
    ref_mulmod(m->m, m->n, a->v, one, a->v);
}

static void check_modulus(const pl_ec_modulus *m)
{
    pl_ec_fe edge[4];
    memset(edge, 0, sizeof edge);
    edge[1].v[0] = 1;
    memcpy(edge[2].v, m->m, sizeof m->m);
    edge[2].v[0] -= 1; /* m - 1 */
    memcpy(edge[3].v, m->m, sizeof m->m);
    edge[3].v[0] -= 2; /* m - 2 */
    for (int i = 0; i < 400; i++) {
        pl_ec_fe a, b, c, am, bm, cm, t, u, v, w;
        uint64_t want[6];
        if (i < 16) {
            a = edge[i % 4];
            b = edge[i / 4];
        } else {
            random_below(m, &a);
            random_below(m, &b);
        }
        random_below(m, &c);
        pl_ec_mod_to_mont(m, &am, &a);
        pl_ec_mod_to_mont(m, &bm, &b);
        pl_ec_mod_to_mont(m, &cm, &c);
        /* product */
        pl_ec_mod_mul(m, &t, &am, &bm);
        pl_ec_mod_from_mont(m, &t, &t);
        ref_mulmod(m->m, m->n, a.v, b.v, want);
        assert_memory_equal(t.v, want, m->n * sizeof(uint64_t));
        /* (a + b)·c = a·c + b·c, and (a - b) + b = a */
        pl_ec_mod_add(m, &t, &am, &bm);
        pl_ec_mod_mul(m, &t, &t, &cm);
        pl_ec_mod_mul(m, &u, &am, &cm);
        pl_ec_mod_mul(m, &v, &bm, &cm);
        pl_ec_mod_add(m, &u, &u, &v);
        assert_true(pl_ec_fe_eq(m, &t, &u));
        assert_true(pl_ec_fe_below_modulus(m, &t));
        pl_ec_mod_sub(m, &w, &am, &bm);
        assert_true(pl_ec_fe_below_modulus(m, &w));
        pl_ec_mod_add(m, &w, &w, &bm);
        assert_true(pl_ec_fe_eq(m, &w, &am));
        /* a·a^-1 = 1 for a != 0 */
        if (!pl_ec_fe_is_zero(m, &a)) {
            pl_ec_mod_inv(m, &t, &am);
            pl_ec_mod_mul(m, &t, &t, &am);
            pl_ec_mod_from_mont(m, &t, &t);
            assert_int_equal(t.v[0], 1);
            for (size_t j = 1; j < m->n; j++) {
                assert_int_equal(t.v[j], 0);
            }
        }
        /* sqr = mul */
        pl_ec_mod_sqr(m, &t, &am);
        pl_ec_mod_mul(m, &u, &am, &am);
        assert_true(pl_ec_fe_eq(m, &t, &u));
    }
}

static void test_ec_field_and_scalar_arithmetic_match_reference(void **state)
{
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(curves); c++) {
        const pl_ec_params *p = pl_ec_params_of(curves[c]);
        check_modulus(p->p);
        check_modulus(p->n);
    }
}

/* The Montgomery constants in the parameter table are those of the standard's values: b and G
 * converted back out of Montgomery form give the FIPS 186-4 numbers, and G is on the curve. */
static void test_ec_parameters_match_fips186(void **state)
{
    static const char *const bs[] = {
        "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
        "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe814112"
        "0314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef"};
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(curves); c++) {
        const pl_ec_params *p = pl_ec_params_of(curves[c]);
        uint8_t g[97], out[48], want[48];
        pl_ec_fe t;
        generator(curves[c], g);
        memset(&t, 0, sizeof t);
        memcpy(t.v, p->b, sizeof p->b);
        pl_ec_mod_from_mont(p->p, &t, &t);
        pl_ec_fe_to_bytes(p->p, out, &t);
        pl_test_unhex_into(bs[c], want, p->len);
        assert_memory_equal(out, want, p->len);
        memcpy(t.v, p->gx, sizeof p->gx);
        pl_ec_mod_from_mont(p->p, &t, &t);
        pl_ec_fe_to_bytes(p->p, out, &t);
        assert_memory_equal(out, g + 1, p->len);
        memcpy(t.v, p->gy, sizeof p->gy);
        pl_ec_mod_from_mont(p->p, &t, &t);
        pl_ec_fe_to_bytes(p->p, out, &t);
        assert_memory_equal(out, g + 1 + p->len, p->len);
        order(curves[c], want);
        memset(&t, 0, sizeof t);
        memcpy(t.v, p->n->m, sizeof p->n->m);
        pl_ec_fe_to_bytes(p->n, out, &t);
        assert_memory_equal(out, want, p->len);
        assert_int_equal(pl_ec_scalar_len(curves[c]), p->len);
        assert_int_equal(pl_ec_point_len(curves[c]), 1 + 2 * p->len);
    }
    assert_int_equal(pl_ec_scalar_len((pl_ec_curve)25), 0);
    assert_int_equal(pl_ec_point_len((pl_ec_curve)29), 0);
}

/* ---- scalar multiplication ------------------------------------------------------------------- */

/* A random scalar in [1, n-1]. */
static void random_scalar(pl_ec_curve curve, uint8_t *k)
{
    size_t len = pl_ec_scalar_len(curve);
    const pl_ec_params *p = pl_ec_params_of(curve);
    do {
        pl_test_fill(k, len);
        if (pl_test_below(4) == 0) {
            k[0] = 0; /* short scalars too */
        }
    } while (!pl_ec_scalar_in_range(p, k));
}

/* The constant-time fixed-base and variable-base paths and the variable-time double
 * multiplication agree, for random scalars, edge scalars (digit patterns that carry all the way,
 * n-1, n-2, small ones) and random points. */
static void test_ec_constant_time_mul_equals_vartime(void **state)
{
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(curves); c++) {
        pl_ec_curve curve = curves[c];
        size_t len = pl_ec_scalar_len(curve), plen = pl_ec_point_len(curve);
        uint8_t g[97], q[97], a[97], b[97], d[97], k[48], s[48], zero[48] = {0};
        generator(curve, g);
        random_scalar(curve, s);
        assert_int_equal(pl_ec_mul_base(curve, q, s), 0);
        for (int i = 0; i < 60; i++) {
            switch (i) {
            case 0:
                memset(k, 0x88, len); /* every signed digit 8 */
                break;
            case 1:
                memset(k, 0x99, len); /* every digit carries */
                k[0] = 0x7f;
                break;
            case 2:
                order(curve, k);
                be_add_small(k, len, -1);
                break;
            case 3:
                order(curve, k);
                be_add_small(k, len, -2);
                break;
            case 4:
                memset(k, 0, len);
                k[len - 1] = 2;
                break;
            case 5:
                memset(k, 0, len);
                k[0] = 0x80; /* 2^(8 len - 1) */
                break;
            default:
                random_scalar(curve, k);
                break;
            }
            assert_int_equal(pl_ec_mul_base(curve, a, k), 0);
            assert_int_equal(pl_ec_mul(curve, b, k, g, plen), 0);
            assert_memory_equal(a, b, plen);
            assert_int_equal(pl_ec_double_mul_vartime(curve, d, k, zero, g, plen), 0);
            assert_memory_equal(a, d, plen);
            assert_int_equal(pl_ec_double_mul_vartime(curve, d, zero, k, g, plen), 0);
            assert_memory_equal(a, d, plen);
            /* k·Q against the double multiplication, and k·(s·G) = s·(k·G) */
            assert_int_equal(pl_ec_mul(curve, b, k, q, plen), 0);
            assert_int_equal(pl_ec_double_mul_vartime(curve, d, zero, k, q, plen), 0);
            assert_memory_equal(b, d, plen);
            assert_int_equal(pl_ec_mul(curve, d, s, a, plen), 0);
            assert_memory_equal(b, d, plen);
        }
    }
}

/* Every entry of the fixed-base table: j·16^i·G is what the variable-base path computes. */
static void test_ec_base_table_entries(void **state)
{
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(curves); c++) {
        pl_ec_curve curve = curves[c];
        size_t len = pl_ec_scalar_len(curve), plen = pl_ec_point_len(curve);
        uint8_t g[97], a[97], b[97], k[48];
        generator(curve, g);
        for (size_t i = 0; i < 2 * len; i++) {
            for (int j = 1; j <= 8; j++) {
                memset(k, 0, len);
                k[len - 1 - i / 2] = (uint8_t)(j << (4 * (i % 2)));
                assert_int_equal(pl_ec_mul_base(curve, a, k), 0);
                assert_int_equal(pl_ec_mul(curve, b, k, g, plen), 0);
                assert_memory_equal(a, b, plen);
            }
        }
    }
}

/* Every entry of the odd-multiples table verification uses for G: j·G for odd j < 64 through
 * the double multiplication (u1 = j alone, whose width-7 NAF is the single digit j) is what the
 * variable-base path computes. */
static void test_ec_odd_table_entries(void **state)
{
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(curves); c++) {
        pl_ec_curve curve = curves[c];
        size_t len = pl_ec_scalar_len(curve), plen = pl_ec_point_len(curve);
        uint8_t g[97], a[97], b[97], k[48], zero[48] = {0};
        generator(curve, g);
        for (int j = 1; j < 64; j += 2) {
            memset(k, 0, len);
            k[len - 1] = (uint8_t)j;
            assert_int_equal(pl_ec_double_mul_vartime(curve, a, k, zero, g, plen), 0);
            assert_int_equal(pl_ec_mul(curve, b, k, g, plen), 0);
            assert_memory_equal(a, b, plen);
        }
    }
}

/* ---- keys and ECDH --------------------------------------------------------------------------- */

static void test_ecdh_keygen_pairs_agree(void **state)
{
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(curves); c++) {
        pl_ec_curve curve = curves[c];
        size_t len = pl_ec_scalar_len(curve), plen = pl_ec_point_len(curve);
        for (int i = 0; i < 10; i++) {
            uint8_t a[48], b[48], pa[97], pb[97], s1[48], s2[48], g[97];
            pl_ec_private key;
            assert_int_equal(pl_ecdh_keygen(curve, a, pa), 0);
            assert_int_equal(pl_ecdh_keygen(curve, b, pb), 0);
            assert_int_equal(pl_ecdh_shared(curve, s1, a, pb, plen), 0);
            assert_int_equal(pl_ecdh_shared(curve, s2, b, pa, plen), 0);
            assert_memory_equal(s1, s2, len);
            /* the public key is the private key's */
            assert_int_equal(pl_ec_private_init(&key, curve, a, len), 0);
            assert_memory_equal(pl_ec_private_public(&key)->point, pa, plen);
            pl_ec_private_wipe(&key);
            generator(curve, g);
            assert_int_equal(pl_ecdh_shared(curve, s1, a, g, plen), 0);
            assert_memory_equal(s1, pa + 1, len);
        }
    }
}

static void test_ec_bad_points_are_refused_with_exact_codes(void **state)
{
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(curves); c++) {
        pl_ec_curve curve = curves[c];
        size_t len = pl_ec_scalar_len(curve), plen = pl_ec_point_len(curve);
        const pl_ec_params *p = pl_ec_params_of(curve);
        uint8_t g[97], bad[98], priv[48], out[48];
        pl_ec_public pub;
        pl_ec_fe t;
        generator(curve, g);
        random_scalar(curve, priv);
        assert_int_equal(pl_ec_public_init(&pub, curve, g, plen), 0);
        /* wrong length, compressed form, hybrid form, zero byte (infinity) */
        assert_int_equal(pl_ec_public_init(&pub, curve, g, plen - 1),
                         SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
        memcpy(bad, g, plen);
        bad[plen] = 0;
        assert_int_equal(pl_ec_public_init(&pub, curve, bad, plen + 1),
                         SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
        assert_int_equal(pl_ec_public_init(&pub, curve, g, 1 + len),
                         SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
        for (uint8_t form = 0; form < 8; form++) {
            if (form == 4) {
                continue;
            }
            bad[0] = form;
            assert_int_equal(pl_ec_public_init(&pub, curve, bad, plen),
                             SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
            assert_int_equal(pl_ecdh_shared(curve, out, priv, bad, plen),
                             SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
        }
        assert_int_equal(pl_ec_public_init(&pub, curve, bad, 1), SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
        /* off the curve */
        memcpy(bad, g, plen);
        bad[plen - 1] ^= 1;
        assert_int_equal(pl_ec_public_init(&pub, curve, bad, plen),
                         SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE);
        assert_int_equal(pl_ecdh_shared(curve, out, priv, bad, plen),
                         SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE);
        /* (0, 0), and X = p + Gx... not representable; X = p itself, and Y = Gy + p when it
         * fits (the same point modulo p, so only the range check refuses it) */
        memset(bad + 1, 0, 2 * len);
        assert_int_equal(pl_ec_public_init(&pub, curve, bad, plen),
                         SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE);
        memcpy(bad, g, plen);
        memset(&t, 0, sizeof t);
        memcpy(t.v, p->p->m, sizeof p->p->m);
        pl_ec_fe_to_bytes(p->p, bad + 1, &t);
        assert_int_equal(pl_ec_public_init(&pub, curve, bad, plen),
                         SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE);
        {
            /* Gy + p overflows for both curves' Gy? P-256's Gy < 2^256 - p, so it fits. */
            pl_ec_fe y;
            unsigned __int128 carry = 0;
            memcpy(bad, g, plen);
            pl_ec_fe_from_bytes(p->p, &y, bad + 1 + len);
            for (size_t j = 0; j < p->p->n; j++) {
                unsigned __int128 x = (unsigned __int128)y.v[j] + p->p->m[j] + carry;
                y.v[j] = (uint64_t)x;
                carry = x >> 64;
            }
            if (carry == 0) {
                pl_ec_fe_to_bytes(p->p, bad + 1 + len, &y);
                assert_int_equal(pl_ec_public_init(&pub, curve, bad, plen),
                                 SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE);
            }
        }
        assert_int_equal(pl_ec_public_init(&pub, (pl_ec_curve)29, g, plen),
                         SSL_ERR_CRYPTO_UNSUPPORTED_CURVE);
    }
}

static void test_ec_private_key_range(void **state)
{
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(curves); c++) {
        pl_ec_curve curve = curves[c];
        size_t len = pl_ec_scalar_len(curve), plen = pl_ec_point_len(curve);
        uint8_t k[48], g[97], out[48];
        pl_ec_private key;
        generator(curve, g);
        memset(k, 0, len);
        assert_int_equal(pl_ec_private_init(&key, curve, k, len), SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
        assert_int_equal(pl_ecdh_shared(curve, out, k, g, plen), SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
        order(curve, k);
        assert_int_equal(pl_ec_private_init(&key, curve, k, len), SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
        memset(k, 0xff, len);
        assert_int_equal(pl_ec_private_init(&key, curve, k, len), SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
        order(curve, k);
        be_add_small(k, len, -1);
        assert_int_equal(pl_ec_private_init(&key, curve, k, len), 0);
        assert_int_equal(pl_ec_private_init(&key, curve, k, len - 1), SSL_ERR_CRYPTO_BAD_LENGTH);
        assert_int_equal(pl_ec_private_init(&key, (pl_ec_curve)29, k, len),
                         SSL_ERR_CRYPTO_UNSUPPORTED_CURVE);
        pl_ec_private_wipe(&key);
    }
}

/* ---- sign, verify, tamper -------------------------------------------------------------------- */

/* Strict DER by a test-local reading: 1 when sig is exactly SEQUENCE { INTEGER, INTEGER } with
 * short-form lengths, minimal non-negative integers. */
static int strict_der(const uint8_t *sig, size_t len)
{
    size_t pos = 2;
    if (len < 2 || sig[0] != 0x30 || sig[1] >= 0x80 || (size_t)sig[1] + 2 != len) {
        return 0;
    }
    for (int i = 0; i < 2; i++) {
        size_t l;
        if (pos + 2 > len || sig[pos] != 0x02 || sig[pos + 1] >= 0x80 || sig[pos + 1] == 0) {
            return 0;
        }
        l = sig[pos + 1];
        pos += 2;
        if (pos + l > len || (sig[pos] & 0x80) ||
            (l > 1 && sig[pos] == 0 && !(sig[pos + 1] & 0x80))) {
            return 0;
        }
        pos += l;
    }
    return pos == len;
}

static void test_ecdsa_sign_verify_and_tamper_every_byte(void **state)
{
    static const pl_hash_class *const hashes[] = {&pl_sha256_class, &pl_sha384_class,
                                                  &pl_sha512_class, &pl_sha1_class};
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(curves); c++) {
        pl_ec_curve curve = curves[c];
        size_t len = pl_ec_scalar_len(curve);
        for (int i = 0; i < 8; i++) {
            const pl_hash_class *h = hashes[i % 4];
            uint8_t d[48], msg[100], digest[64], sig[PL_ECDSA_MAX_SIG_LEN], sig2[110];
            uint8_t raw[96], rr[48], ss[48];
            size_t sig_len, mlen = pl_test_below(sizeof msg);
            pl_ec_private key;
            pl_hash_ctx hc;
            const pl_ec_public *pub;
            random_scalar(curve, d);
            assert_int_equal(pl_ec_private_init(&key, curve, d, len), 0);
            pub = pl_ec_private_public(&key);
            pl_test_fill(msg, mlen);
            h->init(&hc);
            h->update(&hc, msg, mlen);
            h->final(&hc, digest);
            assert_int_equal(pl_ecdsa_sign(&key, h, digest, h->digest_len, sig, sizeof sig,
                                           &sig_len),
                             0);
            assert_true(strict_der(sig, sig_len));
            assert_int_equal(pl_ecdsa_verify(pub, digest, h->digest_len, sig, sig_len), 0);
            /* too small an output buffer */
            assert_int_equal(pl_ecdsa_sign(&key, h, digest, h->digest_len, sig2, sig_len - 1,
                                           &sig_len),
                             SSL_ERR_WRITE_NO_SPACE);
            /* another digest */
            digest[0] ^= 1;
            assert_int_equal(pl_ecdsa_verify(pub, digest, h->digest_len, sig, sig_len),
                             SSL_ERR_CRYPTO_BAD_SIGNATURE);
            digest[0] ^= 1;
            /* every byte, every bit */
            for (size_t b = 0; b < sig_len; b++) {
                for (int bit = 0; bit < 8; bit++) {
                    int want;
                    memcpy(sig2, sig, sig_len);
                    sig2[b] ^= (uint8_t)(1 << bit);
                    want = strict_der(sig2, sig_len) ? SSL_ERR_CRYPTO_BAD_SIGNATURE
                                                     : SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING;
                    assert_int_equal(pl_ecdsa_verify(pub, digest, h->digest_len, sig2, sig_len),
                                     want);
                }
            }
            /* truncated and extended */
            for (size_t l = 0; l < sig_len; l++) {
                assert_int_equal(pl_ecdsa_verify(pub, digest, h->digest_len, sig, l),
                                 SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
            }
            memcpy(sig2, sig, sig_len);
            sig2[sig_len] = 0;
            assert_int_equal(pl_ecdsa_verify(pub, digest, h->digest_len, sig2, sig_len + 1),
                             SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
            /* the raw form of the same signature */
            {
                size_t pos = 2, l;
                memset(rr, 0, sizeof rr);
                memset(ss, 0, sizeof ss);
                l = sig[pos + 1];
                memcpy(rr + len - (sig[pos + 2] == 0 ? l - 1 : l),
                       sig + pos + 2 + (sig[pos + 2] == 0), sig[pos + 2] == 0 ? l - 1 : l);
                pos += 2 + l;
                l = sig[pos + 1];
                memcpy(ss + len - (sig[pos + 2] == 0 ? l - 1 : l),
                       sig + pos + 2 + (sig[pos + 2] == 0), sig[pos + 2] == 0 ? l - 1 : l);
                memcpy(raw, rr, len);
                memcpy(raw + len, ss, len);
                assert_int_equal(pl_ecdsa_verify_raw(pub, digest, h->digest_len, raw, 2 * len),
                                 0);
                assert_int_equal(pl_ecdsa_verify_raw(pub, digest, h->digest_len, raw,
                                                     2 * len - 1),
                                 SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
                raw[len + 3] ^= 0x10;
                assert_int_equal(pl_ecdsa_verify_raw(pub, digest, h->digest_len, raw, 2 * len),
                                 SSL_ERR_CRYPTO_BAD_SIGNATURE);
            }
            pl_ec_private_wipe(&key);
        }
    }
}

/* Non-minimal and otherwise non-strict DER of a good signature, each refused as malformed; and
 * out-of-range r and s, refused as bad signatures. */
static void test_ecdsa_non_strict_der_is_refused(void **state)
{
    uint8_t d[32], digest[32], r[32], s[32], sig[120];
    pl_ec_private key;
    const pl_ec_public *pub;
    size_t n;
    (void)state;
    pl_test_unhex_into(p256_x, d, 32);
    assert_int_equal(pl_ec_private_init(&key, PL_EC_P256, d, 32), 0);
    pub = pl_ec_private_public(&key);
    pl_sha256("sample", 6, digest);
    pl_test_unhex_into(p256_sigs[1].r, r, 32);
    pl_test_unhex_into(p256_sigs[1].s, s, 32);
    /* r and s both have their top bit set: 30 46 02 21 00 r 02 21 00 s */
    n = der_sig(sig, r, s, 32);
    assert_int_equal(n, 72);
    assert_int_equal(pl_ecdsa_verify(pub, digest, 32, sig, n), 0);
    {
        /* long-form lengths (81 46 for the sequence; 81 21 for r) */
        uint8_t v[120];
        memcpy(v, "\x30\x81\x46", 3);
        memcpy(v + 3, sig + 2, n - 2);
        assert_int_equal(pl_ecdsa_verify(pub, digest, 32, v, n + 1),
                         SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
        memcpy(v, "\x30\x47\x02\x81\x21", 5);
        memcpy(v + 5, sig + 4, n - 4);
        assert_int_equal(pl_ecdsa_verify(pub, digest, 32, v, n + 1),
                         SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
        /* indefinite length */
        memcpy(v, sig, n);
        v[1] = 0x80;
        memcpy(v + n, "\x00\x00", 2);
        assert_int_equal(pl_ecdsa_verify(pub, digest, 32, v, n + 2),
                         SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
        /* a superfluous leading zero on r: 02 22 00 00 r */
        memcpy(v, "\x30\x47\x02\x22\x00", 5);
        memcpy(v + 5, sig + 4, n - 4);
        assert_int_equal(pl_ecdsa_verify(pub, digest, 32, v, n + 1),
                         SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
        /* r without its sign byte reads as negative: 02 20 r */
        memcpy(v, "\x30\x45\x02\x20", 4);
        memcpy(v + 4, sig + 5, n - 5);
        assert_int_equal(pl_ecdsa_verify(pub, digest, 32, v, n - 1),
                         SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
        /* wrong outer tag, wrong integer tag, empty integer, empty input */
        memcpy(v, sig, n);
        v[0] = 0x31;
        assert_int_equal(pl_ecdsa_verify(pub, digest, 32, v, n),
                         SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
        memcpy(v, sig, n);
        v[2] = 0x03;
        assert_int_equal(pl_ecdsa_verify(pub, digest, 32, v, n),
                         SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
        memcpy(v, "\x30\x04\x02\x00\x02\x00", 6);
        assert_int_equal(pl_ecdsa_verify(pub, digest, 32, v, 6),
                         SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
        assert_int_equal(pl_ecdsa_verify(pub, digest, 32, v, 0),
                         SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
        /* a trailing byte inside the sequence */
        memcpy(v, sig, n);
        v[1] = (uint8_t)(v[1] + 1);
        v[n] = 0;
        assert_int_equal(pl_ecdsa_verify(pub, digest, 32, v, n + 1),
                         SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
    }
    {
        /* r = 0, r = n, s = n, r = n + r (33 magnitude bytes): well formed, out of range */
        uint8_t zero[32] = {0}, nn[32], v[120];
        order(PL_EC_P256, nn);
        n = der_sig(v, zero, s, 32);
        assert_int_equal(pl_ecdsa_verify(pub, digest, 32, v, n), SSL_ERR_CRYPTO_BAD_SIGNATURE);
        n = der_sig(v, nn, s, 32);
        assert_int_equal(pl_ecdsa_verify(pub, digest, 32, v, n), SSL_ERR_CRYPTO_BAD_SIGNATURE);
        n = der_sig(v, r, nn, 32);
        assert_int_equal(pl_ecdsa_verify(pub, digest, 32, v, n), SSL_ERR_CRYPTO_BAD_SIGNATURE);
        memcpy(v, "\x30\x46\x02\x21\x01", 5);
        memcpy(v + 5, r, 32);
        memcpy(v + 37, "\x02\x21\x00", 3);
        memcpy(v + 40, s, 32);
        assert_int_equal(pl_ecdsa_verify(pub, digest, 32, v, 72), SSL_ERR_CRYPTO_BAD_SIGNATURE);
    }
    pl_ec_private_wipe(&key);
}

/* RFC 6979 §3.6: hedged signatures verify, differ from each other and from the deterministic
 * one; an unknown flag is refused. */
static void test_ecdsa_hedged_signatures_verify_and_differ(void **state)
{
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(curves); c++) {
        pl_ec_curve curve = curves[c];
        size_t len = pl_ec_scalar_len(curve), l0, l1, l2;
        uint8_t d[48], digest[48], s0[PL_ECDSA_MAX_SIG_LEN], s1[PL_ECDSA_MAX_SIG_LEN];
        uint8_t s2[PL_ECDSA_MAX_SIG_LEN];
        const pl_hash_class *h = len == 32 ? &pl_sha256_class : &pl_sha384_class;
        pl_ec_private key;
        random_scalar(curve, d);
        pl_test_fill(digest, len);
        assert_int_equal(pl_ec_private_init(&key, curve, d, len), 0);
        assert_int_equal(pl_ecdsa_sign_flags(&key, h, digest, len, 0, s0, sizeof s0, &l0), 0);
        assert_int_equal(pl_ecdsa_sign(&key, h, digest, len, s1, sizeof s1, &l1), 0);
        assert_int_equal(l0, l1);
        assert_memory_equal(s0, s1, l0);
        assert_int_equal(pl_ecdsa_sign_flags(&key, h, digest, len, PL_ECDSA_HEDGED, s1,
                                             sizeof s1, &l1),
                         0);
        assert_int_equal(pl_ecdsa_sign_flags(&key, h, digest, len, PL_ECDSA_HEDGED, s2,
                                             sizeof s2, &l2),
                         0);
        assert_int_equal(pl_ecdsa_verify(pl_ec_private_public(&key), digest, len, s1, l1), 0);
        assert_int_equal(pl_ecdsa_verify(pl_ec_private_public(&key), digest, len, s2, l2), 0);
        assert_false(l0 == l1 && memcmp(s0, s1, l0) == 0);
        assert_false(l1 == l2 && memcmp(s1, s2, l1) == 0);
        assert_int_equal(pl_ecdsa_sign_flags(&key, h, digest, len, 2, s2, sizeof s2, &l2),
                         SSL_ERR_INVALID_ARGUMENT);
        assert_int_equal(pl_ecdsa_sign(&key, h, digest, 0, s2, sizeof s2, &l2),
                         SSL_ERR_CRYPTO_BAD_LENGTH);
        pl_ec_private_wipe(&key);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ecdsa_p256_rfc6979_vectors),
        cmocka_unit_test(test_ecdsa_p384_rfc6979_vectors),
        cmocka_unit_test(test_ec_generator_and_order),
        cmocka_unit_test(test_ec_field_and_scalar_arithmetic_match_reference),
        cmocka_unit_test(test_ec_parameters_match_fips186),
        cmocka_unit_test(test_ec_constant_time_mul_equals_vartime),
        cmocka_unit_test(test_ec_base_table_entries),
        cmocka_unit_test(test_ec_odd_table_entries),
        cmocka_unit_test(test_ecdh_keygen_pairs_agree),
        cmocka_unit_test(test_ec_bad_points_are_refused_with_exact_codes),
        cmocka_unit_test(test_ec_private_key_range),
        cmocka_unit_test(test_ecdsa_sign_verify_and_tamper_every_byte),
        cmocka_unit_test(test_ecdsa_non_strict_der_is_refused),
        cmocka_unit_test(test_ecdsa_hedged_signatures_verify_and_differ),
    };
    (void)pl_test_seed();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
