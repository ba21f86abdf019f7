/* The test server (see tls_test_server.h). Test-only code: it may allocate freely and abort on
 * out-of-memory or a writer overflow, which would be bugs in the test. */
#include "tls_test_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/ec.h"
#include "crypto/rsa.h"
#include "crypto/x25519.h"
#include "x509/cert.h"

static void die(const char *what)
{
    fprintf(stderr, "tls_test_server: %s\n", what);
    abort();
}

/* ---- buffers --------------------------------------------------------------------------------- */

static void buf_reserve(tts_buf *b, size_t more)
{
    if (b->cap - b->len >= more) {
        return;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < more) {
        cap *= 2;
    }
    uint8_t *p = realloc(b->ptr, cap);
    if (p == NULL) {
        die("out of memory");
    }
    b->ptr = p;
    b->cap = cap;
}

void tts_buf_add(tts_buf *b, const void *data, size_t len)
{
    if (len == 0) {
        return;
    }
    buf_reserve(b, len);
    memcpy(b->ptr + b->len, data, len);
    b->len += len;
}

void tts_buf_free(tts_buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

pl_slice tts_buf_slice(const tts_buf *b)
{
    pl_slice s = {b->ptr, b->len};
    return s;
}

/* A writer over scratch space; what it wrote is appended to b by writer_done. */
static void writer_begin(pl_writer *w, uint8_t *scratch, size_t cap)
{
    pl_writer_init(w, scratch, cap);
}

static void writer_done(pl_writer *w, tts_buf *b)
{
    if (pl_writer_status(w) != 0) {
        die("message does not fit its scratch buffer");
    }
    tts_buf_add(b, w->buf, pl_writer_len(w));
}

/* ---- life ------------------------------------------------------------------------------------ */

tts_server *tts_new(const tts_options *o)
{
    tts_server *s = calloc(1, sizeof *s);
    if (s == NULL) {
        die("out of memory");
    }
    s->o = *o;
    s->suite = pl_suite_by_id(o->suite);
    if (s->suite == NULL) {
        die("unknown suite in the options");
    }
    s->h = s->suite->prf;
    s->h->init(&s->transcript);
    pl_sha256_class.init(&s->t256);
    pl_sha384_class.init(&s->t384);
    pl_record_reader_init(&s->rr, s->hs_buf, sizeof s->hs_buf);
    pl_record_cipher_null(&s->wc);
    return s;
}

void tts_free(tts_server *s)
{
    if (s == NULL) {
        return;
    }
    tts_buf_free(&s->client_hello);
    tts_buf_free(&s->ch_ticket);
    tts_buf_free(&s->app);
    tts_buf_free(&s->client_certs);
    if (s->have_client_key) {
        pl_key_public_free(&s->client_key);
    }
    for (size_t i = 0; i < TTS_MAX_MSGS; i++) {
        tts_buf_free(&s->msgs[i]);
    }
    pl_record_cipher_wipe(&s->wc);
    pl_record_cipher_wipe(&s->rr.cipher);
    pl_wipe(s, sizeof *s);
    free(s);
}

static int fail(tts_server *s, int err)
{
    if (s->error == 0) {
        s->error = err;
    }
    return err;
}

void tts_transcript_add(tts_server *s, const uint8_t *msg, size_t len)
{
    s->h->update(&s->transcript, msg, len);
    pl_sha256_class.update(&s->t256, msg, len);
    pl_sha384_class.update(&s->t384, msg, len);
}

static size_t transcript_hash(const tts_server *s, uint8_t out[PL_HASH_MAX_LEN])
{
    pl_hash_ctx copy = s->transcript;
    s->h->final(&copy, out);
    return s->h->digest_len;
}

const pl_hash_class *tts_sigalg_hash(uint16_t sigalg)
{
    switch (sigalg) {
    case 0x0201:
    case 0x0203:
        return &pl_sha1_class;
    case 0x0401:
    case 0x0403:
    case 0x0804:
        return &pl_sha256_class;
    case 0x0501:
    case 0x0503:
    case 0x0805:
        return &pl_sha384_class;
    case 0x0601:
    case 0x0603:
    case 0x0806:
        return &pl_sha512_class;
    default:
        return NULL;
    }
}

/* ---- the ClientHello ------------------------------------------------------------------------- */

static int read_u16_list(pl_reader *r, uint16_t *out, size_t cap, size_t *count)
{
    pl_reader list;
    TRY(pl_read_sub16(r, 2, 0xfffe, &list));
    *count = 0;
    while (pl_reader_left(&list) > 0) {
        uint16_t v;
        TRY(pl_read_u16(&list, &v));
        if (*count < cap) {
            out[(*count)++] = v;
        }
    }
    return 0;
}

static int parse_ch_extension(tts_server *s, uint16_t type, pl_reader *r)
{
    switch (type) {
    case PL_EXT_SERVER_NAME: {
        pl_reader list;
        uint8_t name_type;
        pl_slice name;
        TRY(pl_read_sub16(r, 1, 0xffff, &list));
        TRY(pl_read_u8(&list, &name_type));
        TRY(pl_read_vec16(&list, 1, PL_HOSTNAME_MAX, &name));
        memcpy(s->sni, name.ptr, name.len);
        s->sni[name.len] = '\0';
        s->sni_sent = 1;
        return 0;
    }
    case PL_EXT_SUPPORTED_GROUPS:
        return read_u16_list(r, s->groups, PL_ARRAY_LEN(s->groups), &s->groups_count);
    case PL_EXT_SIGNATURE_ALGORITHMS:
        return read_u16_list(r, s->sigalgs, PL_ARRAY_LEN(s->sigalgs), &s->sigalgs_count);
    case PL_EXT_EC_POINT_FORMATS:
        s->point_formats_sent = 1;
        return 0;
    case PL_EXT_ALPN:
        s->alpn_offered = 1;
        return 0;
    case PL_EXT_EXTENDED_MASTER_SECRET:
        s->ems_offered = 1;
        return 0;
    case PL_EXT_ENCRYPT_THEN_MAC:
        s->etm_offered = 1;
        return 0;
    case PL_EXT_SESSION_TICKET:
        s->ticket_offered = 1;
        tts_buf_add(&s->ch_ticket, r->ptr, pl_reader_left(r));
        return pl_read_skip(r, pl_reader_left(r));
    case PL_EXT_RENEGOTIATION_INFO: {
        pl_slice v;
        TRY(pl_read_vec8(r, 0, 255, &v));
        s->reneg_offered = v.len == 0;
        return 0;
    }
    default:
        return 0;
    }
}

/* RFC 5246 §7.4.1.2: version, random, session_id, cipher_suites, compression_methods, then
 * extensions; what was offered is kept for the flight and for the tests to look at. */
static int recv_client_hello(tts_server *s, pl_reader *r)
{
    pl_slice sid, comp;
    TRY(pl_read_u16(r, &s->ch_version));
    TRY(pl_read_copy(r, s->client_random, sizeof s->client_random));
    TRY(pl_read_vec8(r, 0, 32, &sid));
    memcpy(s->ch_session_id, sid.ptr, sid.len);
    s->ch_session_id_len = sid.len;
    TRY(read_u16_list(r, s->suites, PL_ARRAY_LEN(s->suites), &s->suites_count));
    TRY(pl_read_vec8(r, 1, 255, &comp));
    if (pl_reader_left(r) > 0) {
        pl_reader exts;
        TRY(pl_read_sub16(r, 0, 0xffff, &exts));
        while (pl_reader_left(&exts) > 0) {
            uint16_t type;
            pl_reader body;
            TRY(pl_read_u16(&exts, &type));
            TRY(pl_read_sub16(&exts, 0, 0xffff, &body));
            TRY(parse_ch_extension(s, type, &body));
            s->ext_count++;
        }
    }
    TRY(pl_read_end(r));
    s->got_client_hello = 1;
    return 0;
}

/* ---- the first flight ------------------------------------------------------------------------ */

static int suite_is_ecdhe(const pl_suite *suite)
{
    return suite->kx == PL_KX_ECDHE_ECDSA || suite->kx == PL_KX_ECDHE_RSA;
}

static int write_server_hello(tts_server *s, pl_writer *w)
{
    const tts_options *o = &s->o;
    size_t body, vec, ext;
    uint8_t sid[32];
    TRY(pl_random(s->server_random, sizeof s->server_random));
    TRY(pl_random(sid, sizeof sid));
    TRY(pl_write_u8(w, PL_HS_SERVER_HELLO));
    TRY(pl_write_open24(w, &body));
    TRY(pl_write_u16(w, o->sh_version ? o->sh_version : 0x0303));
    TRY(pl_write_bytes(w, s->server_random, sizeof s->server_random));
    TRY(pl_write_open8(w, &vec));
    if (o->sh_session_id_set) {
        TRY(pl_write_bytes(w, o->sh_session_id.ptr, o->sh_session_id.len));
    } else if (o->resume_master != NULL) {
        TRY(pl_write_bytes(w, s->ch_session_id, s->ch_session_id_len));
    } else {
        TRY(pl_write_bytes(w, sid, sizeof sid));
    }
    TRY(pl_write_close8(w, vec));
    TRY(pl_write_u16(w, o->sh_suite ? o->sh_suite : o->suite));
    TRY(pl_write_u8(w, o->sh_compression));
    if (!o->sh_no_extensions) {
        TRY(pl_write_open16(w, &ext));
        if (o->reneg != TTS_RENEG_OMIT) {
            pl_slice v = o->reneg == TTS_RENEG_VALUE ? o->reneg_value : (pl_slice){NULL, 0};
            TRY(pl_write_u16(w, PL_EXT_RENEGOTIATION_INFO));
            TRY(pl_write_open16(w, &vec));
            TRY(pl_write_u8(w, (uint8_t)v.len));
            TRY(pl_write_bytes(w, v.ptr, v.len));
            TRY(pl_write_close16(w, vec));
        }
        if (s->ems_offered && !o->no_ems) {
            s->ems = 1;
            TRY(pl_write_u16(w, PL_EXT_EXTENDED_MASTER_SECRET));
            TRY(pl_write_u16(w, 0));
        }
        if (s->etm_offered && !o->no_etm && pl_suite_is_cbc(s->suite)) {
            s->etm = 1;         /* RFC 7366 §3: only with a CBC suite */
            TRY(pl_write_u16(w, PL_EXT_ENCRYPT_THEN_MAC));
            TRY(pl_write_u16(w, 0));
        }
        if (o->ticket_ext) {
            TRY(pl_write_u16(w, PL_EXT_SESSION_TICKET));
            TRY(pl_write_u16(w, 0));
        }
        if (o->echo_sni) {
            TRY(pl_write_u16(w, PL_EXT_SERVER_NAME));
            TRY(pl_write_u16(w, 0));
        }
        if (suite_is_ecdhe(s->suite) && !o->no_point_formats) {
            size_t list;
            TRY(pl_write_u16(w, PL_EXT_EC_POINT_FORMATS));
            TRY(pl_write_open16(w, &vec));
            TRY(pl_write_open8(w, &list));
            if (o->point_formats.len > 0) {
                TRY(pl_write_bytes(w, o->point_formats.ptr, o->point_formats.len));
            } else {
                TRY(pl_write_u8(w, 0));
            }
            TRY(pl_write_close8(w, list));
            TRY(pl_write_close16(w, vec));
        }
        if (o->alpn != NULL) {
            size_t list, name;
            TRY(pl_write_u16(w, PL_EXT_ALPN));
            TRY(pl_write_open16(w, &vec));
            TRY(pl_write_open16(w, &list));
            TRY(pl_write_open8(w, &name));
            TRY(pl_write_bytes(w, o->alpn, strlen(o->alpn)));
            TRY(pl_write_close8(w, name));
            TRY(pl_write_close16(w, list));
            TRY(pl_write_close16(w, vec));
        }
        TRY(pl_write_bytes(w, o->extra_ext.ptr, o->extra_ext.len));
        TRY(pl_write_close16(w, ext));
    }
    return pl_write_close24(w, body);
}

static int write_certificate(tts_server *s, pl_writer *w)
{
    size_t body, list, one;
    TRY(pl_write_u8(w, PL_HS_CERTIFICATE));
    TRY(pl_write_open24(w, &body));
    TRY(pl_write_open24(w, &list));
    for (size_t i = 0; i < s->o.chain_count; i++) {
        TRY(pl_write_open24(w, &one));
        TRY(pl_write_bytes(w, s->o.chain[i].ptr, s->o.chain[i].len));
        TRY(pl_write_close24(w, one));
    }
    TRY(pl_write_close24(w, list));
    return pl_write_close24(w, body);
}

/* The ECDHE parameters (RFC 8422 §5.4) with a fresh key on the server's group. */
static int write_ecdh_params(tts_server *s, pl_writer *w)
{
    const tts_options *o = &s->o;
    uint8_t pub[PL_EC_MAX_POINT_LEN];
    size_t pub_len, vec;
    if (o->group == PL_GROUP_X25519) {
        TRY(pl_x25519_keygen(s->kx_priv, pub));
        pub_len = PL_X25519_LEN;
    } else if (o->group == PL_GROUP_SECP256R1 || o->group == PL_GROUP_SECP384R1) {
        pl_ec_curve curve = o->group == PL_GROUP_SECP256R1 ? PL_EC_P256 : PL_EC_P384;
        TRY(pl_ecdh_keygen(curve, s->kx_priv, pub));
        pub_len = pl_ec_point_len(curve);
    } else {
        return SSL_ERR_INVALID_ARGUMENT;
    }
    TRY(pl_write_u8(w, (uint8_t)(o->skx_curve_type ? o->skx_curve_type : 3)));
    TRY(pl_write_u16(w, o->skx_group ? o->skx_group : o->group));
    TRY(pl_write_open8(w, &vec));
    if (o->skx_point.ptr != NULL) {
        TRY(pl_write_bytes(w, o->skx_point.ptr, o->skx_point.len));
    } else {
        TRY(pl_write_bytes(w, pub, pub_len));
    }
    return pl_write_close8(w, vec);
}

/* The DHE parameters (RFC 5246 §7.4.3): the named group, or the overriding p and g (used for
 * the server's own key only when they make a valid group). */
static int write_dh_params(tts_server *s, pl_writer *w)
{
    const tts_options *o = &s->o;
    uint8_t pub[PL_DH_MAX_LEN];
    size_t pub_len = 0, vec;
    pl_slice p, g;
    if (o->dh_p.ptr != NULL) {
        p = o->dh_p;
        g = o->dh_g;
        s->have_dh = pl_dh_group_init(&s->dh, p.ptr, p.len, g.ptr, g.len) == 0;
    } else {
        const pl_dh_group *named = pl_dh_ffdhe(o->group);
        if (named == NULL) {
            return SSL_ERR_INVALID_ARGUMENT;
        }
        s->dh = *named;
        s->have_dh = 1;
        p = (pl_slice){named->p, named->p_len};
        g = (pl_slice){named->g, named->g_len};
    }
    if (s->have_dh) {
        TRY(pl_dh_keygen(&s->dh, s->kx_priv, s->dh.priv_len, pub, sizeof pub));
        pub_len = s->dh.p_len;
    } else {
        pub[0] = 2;
        pub_len = 1;
    }
    TRY(pl_write_open16(w, &vec));
    TRY(pl_write_bytes(w, p.ptr, p.len));
    TRY(pl_write_close16(w, vec));
    TRY(pl_write_open16(w, &vec));
    TRY(pl_write_bytes(w, g.ptr, g.len));
    TRY(pl_write_close16(w, vec));
    TRY(pl_write_open16(w, &vec));
    if (o->dh_ys.ptr != NULL) {
        TRY(pl_write_bytes(w, o->dh_ys.ptr, o->dh_ys.len));
    } else {
        TRY(pl_write_bytes(w, pub, pub_len));
    }
    return pl_write_close16(w, vec);
}

/* RFC 5246 §7.4.3: a signature with sigalg over client_random + server_random + params. */
static int sign_params(tts_server *s, pl_slice params, uint8_t *sig, size_t cap, size_t *sig_len)
{
    const tts_options *o = &s->o;
    const pl_hash_class *h = tts_sigalg_hash(o->sigalg);
    static const uint8_t zeros[PL_TLS_RANDOM_LEN];
    pl_hash_ctx ctx;
    uint8_t digest[PL_HASH_MAX_LEN];
    ENSURE(h != NULL && o->key != NULL, SSL_ERR_INVALID_ARGUMENT);
    h->init(&ctx);
    h->update(&ctx, o->sign_wrong_random ? zeros : s->client_random, PL_TLS_RANDOM_LEN);
    h->update(&ctx, s->server_random, PL_TLS_RANDOM_LEN);
    h->update(&ctx, params.ptr, params.len);
    h->final(&ctx, digest);
    if ((o->sigalg & 0xff) == 3) {
        ENSURE(o->key->alg == PL_KEY_EC, SSL_ERR_INVALID_ARGUMENT);
        return pl_ecdsa_sign(&o->key->u.ec, h, digest, h->digest_len, sig, cap, sig_len);
    }
    ENSURE(o->key->alg == PL_KEY_RSA, SSL_ERR_INVALID_ARGUMENT);
    *sig_len = pl_rsa_public_len(&o->key->u.rsa.pub);
    ENSURE(*sig_len <= cap, SSL_ERR_INVALID_ARGUMENT);
    if ((o->sigalg >> 8) == 8) {
        return pl_rsa_pss_sign(&o->key->u.rsa, h, digest, h->digest_len, h, h->digest_len, sig,
                               *sig_len);
    }
    return pl_rsa_pkcs1_sign(&o->key->u.rsa, h, digest, h->digest_len, sig, *sig_len);
}

static int write_server_kx(tts_server *s, pl_writer *w)
{
    size_t body, vec, sig_len = 0;
    uint8_t sig[PL_RSA_MAX_LEN];
    TRY(pl_write_u8(w, PL_HS_SERVER_KEY_EXCHANGE));
    TRY(pl_write_open24(w, &body));
    size_t start = pl_writer_len(w);
    if (suite_is_ecdhe(s->suite)) {
        TRY(write_ecdh_params(s, w));
    } else {
        TRY(write_dh_params(s, w));
    }
    pl_slice params = {w->buf + start, pl_writer_len(w) - start};
    TRY(sign_params(s, params, sig, sizeof sig, &sig_len));
    TRY(pl_write_u16(w, s->o.skx_sigalg ? s->o.skx_sigalg : s->o.sigalg));
    TRY(pl_write_open16(w, &vec));
    TRY(pl_write_bytes(w, sig, sig_len));
    TRY(pl_write_close16(w, vec));
    return pl_write_close24(w, body);
}

/* RFC 5246 §7.4.4: certificate_types, supported_signature_algorithms and
 * certificate_authorities from the options; by default rsa_sign and ecdsa_sign, three schemes,
 * no authorities. */
static int write_cert_request(tts_server *s, pl_writer *w)
{
    static const uint8_t types[] = {PL_CERT_TYPE_RSA_SIGN, PL_CERT_TYPE_ECDSA_SIGN};
    static const uint16_t sigalgs[] = {PL_SIG_RSA_PKCS1_SHA256, PL_SIG_ECDSA_SECP256R1_SHA256,
                                       PL_SIG_RSA_PSS_RSAE_SHA256};
    const tts_options *o = &s->o;
    size_t body, vec, one;
    TRY(pl_write_u8(w, PL_HS_CERTIFICATE_REQUEST));
    TRY(pl_write_open24(w, &body));
    if (o->cr_body.ptr != NULL) {
        TRY(pl_write_bytes(w, o->cr_body.ptr, o->cr_body.len));
        return pl_write_close24(w, body);
    }
    TRY(pl_write_open8(w, &vec));
    if (o->cr_types.ptr != NULL) {
        TRY(pl_write_bytes(w, o->cr_types.ptr, o->cr_types.len));
    } else {
        TRY(pl_write_bytes(w, types, sizeof types));
    }
    TRY(pl_write_close8(w, vec));
    TRY(pl_write_open16(w, &vec));
    const uint16_t *list = o->cr_sigalgs != NULL ? o->cr_sigalgs : sigalgs;
    size_t n = o->cr_sigalgs != NULL ? o->cr_sigalgs_count : PL_ARRAY_LEN(sigalgs);
    for (size_t i = 0; i < n; i++) {
        TRY(pl_write_u16(w, list[i]));
    }
    TRY(pl_write_close16(w, vec));
    TRY(pl_write_open16(w, &vec));
    for (size_t i = 0; i < o->cr_authorities_count; i++) {
        TRY(pl_write_open16(w, &one));
        TRY(pl_write_bytes(w, o->cr_authorities[i].ptr, o->cr_authorities[i].len));
        TRY(pl_write_close16(w, one));
    }
    TRY(pl_write_close16(w, vec));
    return pl_write_close24(w, body);
}

/* One message of the flight: written into scratch space, kept in msgs[]. */
static int add_message(tts_server *s, int (*write)(tts_server *s, pl_writer *w))
{
    static uint8_t scratch[64 * 1024];
    pl_writer w;
    ENSURE(s->msg_count < TTS_MAX_MSGS, SSL_ERR_INVALID_ARGUMENT);
    writer_begin(&w, scratch, sizeof scratch);
    TRY(write(s, &w));
    writer_done(&w, &s->msgs[s->msg_count++]);
    return 0;
}

static int write_server_hello_done(tts_server *s, pl_writer *w)
{
    (void)s;
    TRY(pl_write_u8(w, PL_HS_SERVER_HELLO_DONE));
    return pl_write_u24(w, 0);
}

void tts_ticket_message(tts_buf *msg, const uint8_t *ticket, size_t len, uint32_t hint)
{
    uint8_t head[10] = {PL_HS_NEW_SESSION_TICKET, (uint8_t)((len + 6) >> 16),
                        (uint8_t)((len + 6) >> 8), (uint8_t)(len + 6), (uint8_t)(hint >> 24),
                        (uint8_t)(hint >> 16), (uint8_t)(hint >> 8), (uint8_t)hint,
                        (uint8_t)(len >> 8), (uint8_t)len};
    msg->len = 0;
    tts_buf_add(msg, head, sizeof head);
    tts_buf_add(msg, ticket, len);
}

int tts_build_flight(tts_server *s)
{
    int rc;
    if (!s->got_client_hello) {
        return fail(s, SSL_ERR_BAD_STATE);
    }
    for (size_t i = 0; i < TTS_MAX_MSGS; i++) {
        s->msgs[i].len = 0;
    }
    s->msg_count = 0;
    rc = add_message(s, write_server_hello);
    if (rc == 0 && s->o.resume_master != NULL) {
        /* abbreviated: [NewSessionTicket], then the keys from the session's master secret */
        if (s->o.ticket_ext) {
            tts_ticket_message(&s->msgs[s->msg_count++], s->o.ticket.ptr, s->o.ticket.len,
                               s->o.ticket_hint);
        }
        memcpy(s->master, s->o.resume_master, sizeof s->master);
        pl_tls_key_block(s->suite, s->master, s->client_random, s->server_random, &s->keys);
        s->have_keys = 1;
        return 0;
    }
    if (rc == 0) {
        rc = add_message(s, write_certificate);
    }
    if (rc == 0 && s->suite->kx != PL_KX_RSA) {
        rc = add_message(s, write_server_kx);
    }
    if (rc == 0 && s->o.cert_request) {
        rc = add_message(s, write_cert_request);
    }
    if (rc == 0) {
        rc = add_message(s, write_server_hello_done);
    }
    return rc < 0 ? fail(s, rc) : 0;
}

/* ---- records out ----------------------------------------------------------------------------- */

void tts_write(tts_server *s, uint8_t type, const void *data, size_t len, tts_buf *out)
{
    pl_writer w;
    size_t need = pl_record_written_len(&s->wc, len);
    buf_reserve(out, need);
    pl_writer_init(&w, out->ptr + out->len, out->cap - out->len);
    if (pl_record_write(&s->wc, PL_TLS12, type, data, len, &w) != 0) {
        die("pl_record_write failed");
    }
    out->len += pl_writer_len(&w);
}

void tts_plain_record(tts_buf *out, uint8_t type, uint16_t version, const void *data,
                      size_t len)
{
    uint8_t header[5] = {type, (uint8_t)(version >> 8), (uint8_t)version, (uint8_t)(len >> 8),
                         (uint8_t)len};
    tts_buf_add(out, header, sizeof header);
    tts_buf_add(out, data, len);
}

void tts_frame(tts_server *s, tts_buf *out, size_t fragment)
{
    tts_buf all = {0};
    for (size_t i = 0; i < s->msg_count; i++) {
        tts_transcript_add(s, s->msgs[i].ptr, s->msgs[i].len);
        if (fragment == 0) {
            tts_write(s, PL_CT_HANDSHAKE, s->msgs[i].ptr, s->msgs[i].len, out);
        } else {
            tts_buf_add(&all, s->msgs[i].ptr, s->msgs[i].len);
        }
    }
    for (size_t pos = 0; pos < all.len;) {
        size_t n = all.len - pos < fragment ? all.len - pos : fragment;
        tts_write(s, PL_CT_HANDSHAKE, all.ptr + pos, n, out);
        pos += n;
    }
    tts_buf_free(&all);
}

void tts_cipher_init(tts_server *s, pl_record_cipher *c, int from_client)
{
    const pl_tls_keys *k = &s->keys;
    if (pl_suite_is_cbc(s->suite)) {
        pl_record_cipher_init_cbc(c, s->suite, from_client ? k->client_key : k->server_key,
                                  from_client ? k->client_mac : k->server_mac, s->etm);
    } else {
        pl_record_cipher_init(c, s->suite, from_client ? k->client_key : k->server_key,
                              from_client ? k->client_iv : k->server_iv);
    }
}

void tts_write_ccs(tts_server *s, tts_buf *out)
{
    static const uint8_t one = 1;
    tts_write(s, PL_CT_CHANGE_CIPHER_SPEC, &one, 1, out);
    tts_cipher_init(s, &s->wc, 0);
}

void tts_finished_message(tts_server *s, uint8_t msg[16])
{
    uint8_t th[PL_HASH_MAX_LEN];
    size_t n = transcript_hash(s, th);
    msg[0] = PL_HS_FINISHED;
    msg[1] = 0;
    msg[2] = 0;
    msg[3] = PL_TLS_VERIFY_DATA_LEN;
    pl_tls_finished(s->suite, s->master, 0, th, n, msg + 4);
    tts_transcript_add(s, msg, 16);
}

int tts_send_finished(tts_server *s, tts_buf *out)
{
    uint8_t msg[16];
    ENSURE(s->have_keys, SSL_ERR_BAD_STATE);
    tts_write_ccs(s, out);
    tts_finished_message(s, msg);
    tts_write(s, PL_CT_HANDSHAKE, msg, sizeof msg, out);
    return 0;
}

/* ---- the client's second flight -------------------------------------------------------------- */

static int derive(tts_server *s, const uint8_t *pms, size_t pms_len)
{
    if (s->ems) {
        uint8_t session_hash[PL_HASH_MAX_LEN];
        size_t n = transcript_hash(s, session_hash);
        pl_tls_ems_master_secret(s->suite, pms, pms_len, session_hash, n, s->master);
    } else {
        pl_tls_master_secret(s->suite, pms, pms_len, s->client_random, s->server_random,
                             s->master);
    }
    pl_tls_key_block(s->suite, s->master, s->client_random, s->server_random, &s->keys);
    s->have_keys = 1;
    return 0;
}

static int recv_client_kx(tts_server *s, pl_reader *r, pl_slice whole)
{
    uint8_t pms[PL_DH_MAX_LEN];
    size_t pms_len = 0;
    pl_slice v;
    if (suite_is_ecdhe(s->suite)) {
        TRY(pl_read_vec8(r, 1, 255, &v));
        TRY(pl_read_end(r));
        if (s->o.group == PL_GROUP_X25519) {
            ENSURE(v.len == PL_X25519_LEN, SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
            TRY(pl_x25519_shared(pms, s->kx_priv, v.ptr));
            pms_len = PL_X25519_LEN;
        } else {
            pl_ec_curve curve = s->o.group == PL_GROUP_SECP256R1 ? PL_EC_P256 : PL_EC_P384;
            TRY(pl_ecdh_shared(curve, pms, s->kx_priv, v.ptr, v.len));
            pms_len = pl_ec_scalar_len(curve);
        }
    } else if (s->suite->kx == PL_KX_DHE_RSA) {
        TRY(pl_read_vec16(r, 1, 0xffff, &v));
        TRY(pl_read_end(r));
        ENSURE(s->have_dh, SSL_ERR_BAD_STATE);
        TRY(pl_dh_shared(&s->dh, s->kx_priv, s->dh.priv_len, v.ptr, v.len, pms, sizeof pms,
                         &pms_len));
    } else {
        static const uint8_t version[2] = {3, 3};
        ENSURE(s->o.key != NULL && s->o.key->alg == PL_KEY_RSA, SSL_ERR_BAD_STATE);
        TRY(pl_read_vec16(r, 0, 0xffff, &v));
        TRY(pl_read_end(r));
        TRY(pl_rsa_tls_decrypt_premaster(&s->o.key->u.rsa, v.ptr, v.len, version, pms));
        pms_len = PL_RSA_PREMASTER_LEN;
    }
    tts_transcript_add(s, whole.ptr, whole.len);
    s->got_client_kx = 1;
    int rc = derive(s, pms, pms_len);
    pl_wipe(pms, sizeof pms);
    return rc;
}

static int recv_finished(tts_server *s, pl_reader *r, pl_slice whole)
{
    uint8_t got[PL_TLS_VERIFY_DATA_LEN], want[PL_TLS_VERIFY_DATA_LEN], th[PL_HASH_MAX_LEN];
    TRY(pl_read_copy(r, got, sizeof got));
    TRY(pl_read_end(r));
    ENSURE(s->have_keys && s->got_ccs, SSL_ERR_HS_UNEXPECTED_MESSAGE);
    size_t n = transcript_hash(s, th);
    pl_tls_finished(s->suite, s->master, 1, th, n, want);
    s->got_finished = 1;
    s->client_finished_ok = memcmp(got, want, sizeof want) == 0;
    tts_transcript_add(s, whole.ptr, whole.len);
    return s->client_finished_ok ? 0 : SSL_ERR_HS_BAD_FINISHED;
}

/* RFC 5246 §7.4.6: the client's chain (kept, the leaf's key taken out), or an empty list. */
static int recv_client_certificate(tts_server *s, pl_slice body, pl_slice whole)
{
    pl_slice der[TTS_MAX_CHAIN];
    size_t count;
    pl_cert leaf;
    tts_buf_add(&s->client_certs, body.ptr, body.len);
    pl_reader r = pl_reader_of(tts_buf_slice(&s->client_certs));
    TRY(pl_msg_parse_certificate(&r, der, TTS_MAX_CHAIN, &count));
    tts_transcript_add(s, whole.ptr, whole.len);
    if (count == 0) {
        s->got_empty_certificate = 1;
        return 0;
    }
    s->got_client_cert = 1;
    s->client_cert_count = count;
    TRY(pl_cert_parse(&leaf, der[0].ptr, der[0].len));
    TRY(pl_key_parse_spki(&s->client_key, leaf.spki));
    s->have_client_key = 1;
    return 0;
}

/* RFC 5246 §7.4.8: the signature with the leaf's key over our transcript up to here, in the
 * hash of the scheme the client named. */
static int recv_cert_verify(tts_server *s, pl_reader *r, pl_slice whole)
{
    pl_cert_verify cv;
    uint8_t digest[PL_HASH_MAX_LEN];
    int rc;
    TRY(pl_msg_parse_cert_verify(r, &cv));
    s->got_cert_verify = 1;
    s->cert_verify_sigalg = cv.sigalg;
    const pl_hash_class *h = tts_sigalg_hash(cv.sigalg);
    ENSURE(h == &pl_sha256_class || h == &pl_sha384_class, SSL_ERR_HS_SIGALG_NOT_OFFERED);
    pl_hash_ctx copy = h == &pl_sha256_class ? s->t256 : s->t384;
    h->final(&copy, digest);
    int ecdsa = (cv.sigalg & 0xff) == 3;
    ENSURE(s->have_client_key && ecdsa == (s->client_key.alg == PL_KEY_EC),
           SSL_ERR_HS_SIGALG_KEY_MISMATCH);
    if (ecdsa) {
        rc = pl_ecdsa_verify(&s->client_key.u.ec, digest, h->digest_len, cv.signature.ptr,
                             cv.signature.len);
    } else if ((cv.sigalg >> 8) == 8) {
        rc = pl_rsa_pss_verify(&s->client_key.u.rsa, h, digest, h->digest_len, h, h->digest_len,
                               cv.signature.ptr, cv.signature.len);
    } else {
        rc = pl_rsa_pkcs1_verify(&s->client_key.u.rsa, h, digest, h->digest_len,
                                 cv.signature.ptr, cv.signature.len);
    }
    s->cert_verify_ok = rc == 0;
    tts_transcript_add(s, whole.ptr, whole.len);
    return rc;
}

static int on_handshake(tts_server *s, uint8_t type, pl_slice body, pl_slice whole)
{
    pl_reader r = pl_reader_of(body);
    if (s->order_count < TTS_MAX_MSGS) {
        s->order[s->order_count++] = type;
    }
    switch (type) {
    case PL_HS_CLIENT_HELLO:
        ENSURE(!s->got_client_hello, SSL_ERR_HS_UNEXPECTED_MESSAGE);
        tts_buf_add(&s->client_hello, whole.ptr, whole.len);
        tts_transcript_add(s, whole.ptr, whole.len);
        return recv_client_hello(s, &r);
    case PL_HS_CERTIFICATE:
        ENSURE(s->got_client_hello && !s->got_client_kx && !s->got_empty_certificate &&
               !s->got_client_cert, SSL_ERR_HS_UNEXPECTED_MESSAGE);
        return recv_client_certificate(s, body, whole);
    case PL_HS_CERTIFICATE_VERIFY:
        ENSURE(s->got_client_kx && s->got_client_cert && !s->got_cert_verify && !s->got_ccs,
               SSL_ERR_HS_UNEXPECTED_MESSAGE);
        return recv_cert_verify(s, &r, whole);
    case PL_HS_CLIENT_KEY_EXCHANGE:
        ENSURE(s->got_client_hello && !s->got_client_kx, SSL_ERR_HS_UNEXPECTED_MESSAGE);
        return recv_client_kx(s, &r, whole);
    case PL_HS_FINISHED:
        return recv_finished(s, &r, whole);
    default:
        return SSL_ERR_HS_UNEXPECTED_MESSAGE;
    }
}

static int on_record(tts_server *s, uint8_t type, pl_slice plain)
{
    s->records++;
    switch (type) {
    case PL_CT_HANDSHAKE: {
        pl_reader r = pl_reader_of(plain);
        do {
            uint8_t t;
            pl_slice body, whole;
            TRY(pl_hs_assembler_add(&s->rr.hs, &r));
            while (pl_hs_assembler_next(&s->rr.hs, &t, &body, &whole)) {
                TRY(on_handshake(s, t, body, whole));
            }
        } while (pl_reader_left(&r) > 0);
        return 0;
    }
    case PL_CT_CHANGE_CIPHER_SPEC:
        if (s->order_count < TTS_MAX_MSGS) {
            s->order[s->order_count++] = PL_HT_CCS_NAME;
        }
        TRY(pl_record_check_ccs(plain));
        ENSURE(s->have_keys && !s->got_ccs, SSL_ERR_HS_UNEXPECTED_CCS);
        tts_cipher_init(s, &s->rr.cipher, 1);
        s->rr.version_fixed = 1;
        s->got_ccs = 1;
        return 0;
    case PL_CT_ALERT: {
        pl_reader r = pl_reader_of(plain);
        TRY(pl_read_u8(&r, &s->alert_level));
        TRY(pl_read_u8(&r, &s->alert_desc));
        TRY(pl_read_end(&r));
        s->alert_encrypted = s->got_ccs;
        s->alerts++;
        return 0;
    }
    case PL_CT_APPLICATION_DATA:
        tts_buf_add(&s->app, plain.ptr, plain.len);
        return 0;
    default:
        return SSL_ERR_RECORD_BAD_TYPE;
    }
}

int tts_recv(tts_server *s, const uint8_t *data, size_t len)
{
    uint8_t *copy;
    size_t pos = 0;
    if (s->error != 0) {
        return s->error;
    }
    if (len == 0) {
        return 0;
    }
    copy = malloc(len);
    if (copy == NULL) {
        die("out of memory");
    }
    memcpy(copy, data, len);   /* records are decrypted in place */
    int rc = 0;
    while (pos < len && rc == 0) {
        size_t used = 0, need = 0;
        uint8_t type;
        pl_slice plain;
        rc = pl_record_read(&s->rr, copy + pos, len - pos, &used, &need, &type, &plain);
        if (rc == 0 && used == 0) {
            rc = SSL_ERR_DECODE_TRUNCATED;      /* the client's output is whole records */
        }
        if (rc == 0) {
            pos += used;
            rc = on_record(s, type, plain);
        }
    }
    pl_wipe(copy, len);
    free(copy);
    return rc < 0 ? fail(s, rc) : 0;
}
