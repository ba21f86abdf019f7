/* The TLS 1.2 record layer (contracts in record.h). */
#include "tls/record.h"

#include "base/endian.h"
#include "tls/cbc.h"

void pl_record_cipher_null(pl_record_cipher *c)
{
    pl_wipe(c, sizeof *c);
    c->aead = NULL;
}

void pl_record_cipher_init(pl_record_cipher *c, const pl_suite *suite, const uint8_t *key,
                           const uint8_t *iv)
{
    pl_record_cipher_null(c);
    c->aead = pl_aead_best(suite->aead);
    c->aead->init(&c->ctx, key);
    c->fixed_iv_len = suite->fixed_iv_len;
    c->record_iv_len = suite->record_iv_len;
    memcpy(c->iv, iv, suite->fixed_iv_len);
}

void pl_record_cipher_init_cbc(pl_record_cipher *c, const pl_suite *suite, const uint8_t *key,
                               const uint8_t *mac_key, int etm)
{
    pl_record_cipher_null(c);
    c->cbc = suite;
    c->etm = etm != 0;
    c->record_iv_len = PL_CBC_IV_LEN;
    pl_tls_cbc_init(&c->ctx, suite, key, mac_key);
}

void pl_record_cipher_wipe(pl_record_cipher *c)
{
    pl_record_cipher_null(c);
}

/* The most protection adds to a record's plaintext. */
static size_t expansion(const pl_record_cipher *c)
{
    if (c->cbc != NULL) {
        return pl_tls_cbc_max_expansion(c->cbc);
    }
    return c->aead == NULL ? 0 : c->record_iv_len + c->aead->tag_len;
}

/* What protection adds to a record of len bytes that we write. */
static size_t sealed_len(const pl_record_cipher *c, size_t len)
{
    if (c->cbc != NULL) {
        return pl_tls_cbc_sealed_len(c->cbc, c->etm, len);
    }
    return len + expansion(c);
}

/* The per-record nonce. AES-GCM (RFC 5288 §3): the 4-byte salt from the key block, then the
 * 8-byte explicit part the record carries. ChaCha20-Poly1305 (RFC 7905 §2): the 12-byte IV
 * XOR the sequence number, left-padded to 12 bytes. */
static void make_nonce(const pl_record_cipher *c, const uint8_t *explicit_part,
                       uint8_t nonce[PL_AEAD_NONCE_LEN])
{
    if (c->record_iv_len > 0) {
        memcpy(nonce, c->iv, c->fixed_iv_len);
        memcpy(nonce + c->fixed_iv_len, explicit_part, c->record_iv_len);
    } else {
        uint8_t seq[8];
        pl_store_be64(seq, c->seq);
        memcpy(nonce, c->iv, PL_AEAD_NONCE_LEN);
        for (size_t i = 0; i < 8; i++) {
            nonce[PL_AEAD_NONCE_LEN - 8 + i] ^= seq[i];
        }
    }
}

/* RFC 5246 §6.2.3.3: additional_data = seq_num + TLSCompressed.type + TLSCompressed.version +
 * TLSCompressed.length, the length being the plaintext's. */
static void make_aad(uint64_t seq, uint8_t type, uint16_t version, size_t len, uint8_t aad[13])
{
    pl_writer w;
    int rc;
    pl_writer_init(&w, aad, 13);
    rc = pl_write_u64(&w, seq);
    rc |= pl_write_u8(&w, type);
    rc |= pl_write_u16(&w, version);
    rc |= pl_write_u16(&w, (uint16_t)len);
    (void)rc; /* 13 bytes into 13: cannot fail */
}

static int known_type(uint8_t type)
{
    return type == PL_CT_CHANGE_CIPHER_SPEC || type == PL_CT_ALERT || type == PL_CT_HANDSHAKE ||
           type == PL_CT_APPLICATION_DATA;
}

static int check_header(const pl_record_reader *rr, uint8_t type, uint16_t version,
                        uint16_t length)
{
    ENSURE(known_type(type), SSL_ERR_RECORD_BAD_TYPE);
    /* Before ServerHello fixes the version any 3.x may carry the server's first records (an
     * old server's alert, say); the handshake then refuses anything but 3.3 by name. */
    if (rr->version_fixed) {
        ENSURE(version == PL_TLS12, SSL_ERR_RECORD_BAD_VERSION);
    } else {
        ENSURE((version >> 8) == 3, SSL_ERR_RECORD_BAD_VERSION);
    }
    /* RFC 5246 §6.2.3: a ciphertext longer than the protection can make from 2^14 bytes
     * decrypts to more than 2^14 (record_overflow); refuse it before waiting for its body. */
    ENSURE(length <= PL_RECORD_MAX_PLAINTEXT + expansion(&rr->cipher), SSL_ERR_RECORD_OVERFLOW);
    return 0;
}

/* Remove the protection of a record whose fragment is frag[0..len): in place, or into dst when
 * dst is not NULL and the plaintext fits in dst_cap bytes. */
static int open_fragment(pl_record_cipher *c, uint8_t type, uint16_t version, uint8_t *frag,
                         size_t len, uint8_t *dst, size_t dst_cap, pl_slice *plain)
{
    uint8_t nonce[PL_AEAD_NONCE_LEN], aad[13];
    size_t text_len;
    uint8_t *text;
    if (c->cbc != NULL) {
        ENSURE(c->seq != UINT64_MAX, SSL_ERR_RECORD_SEQ_EXHAUSTED);
        TRY(pl_tls_cbc_open(&c->ctx, c->cbc, c->etm, c->seq, type, version, frag, len, plain));
        c->seq++;
        /* RFC 5246 §6.2.1: the header's limit leaves room for 256 bytes of padding, so a record
         * with less may carry more than 2^14 bytes of plaintext: refused here. */
        ENSURE(plain->len <= PL_RECORD_MAX_PLAINTEXT, SSL_ERR_RECORD_OVERFLOW);
        return 0;
    }
    if (c->aead == NULL) {
        plain->ptr = frag;
        plain->len = len;
        return 0;
    }
    /* Too short to hold the explicit nonce and tag: it cannot authenticate (§6.2.3.3). */
    ENSURE(len >= expansion(c), SSL_ERR_RECORD_BAD_MAC);
    ENSURE(c->seq != UINT64_MAX, SSL_ERR_RECORD_SEQ_EXHAUSTED);
    text_len = len - expansion(c);
    text = frag + c->record_iv_len; /* layout: explicit nonce ‖ ciphertext ‖ tag */
    make_nonce(c, frag, nonce);
    make_aad(c->seq, type, version, text_len, aad);
    uint8_t *out = dst != NULL && text_len <= dst_cap ? dst : text;
    if (c->aead->open(&c->ctx, nonce, aad, sizeof aad, text, out, text_len, text + text_len) !=
        0) {
        return SSL_ERR_RECORD_BAD_MAC;
    }
    c->seq++;
    plain->ptr = out;
    plain->len = text_len;
    return 0;
}

/* RFC 5246 §6.2.1 on what a record's plaintext may be, and the limit on empty ones (a peer
 * could otherwise keep us decrypting nothing forever). */
static int check_fragment(pl_record_reader *rr, uint8_t type, size_t len)
{
    if (len == 0) {
        ENSURE(type == PL_CT_APPLICATION_DATA, SSL_ERR_RECORD_EMPTY_FRAGMENT);
        ENSURE(++rr->empty_run <= PL_RECORD_MAX_EMPTY, SSL_ERR_RECORD_TOO_MANY_EMPTY);
    } else {
        rr->empty_run = 0;
    }
    /* A ChangeCipherSpec, alert or data record between the fragments of one handshake message
     * leaves no sensible state to continue from. */
    ENSURE(type == PL_CT_HANDSHAKE || pl_hs_assembler_pending(&rr->hs) == 0,
           SSL_ERR_RECORD_INTERLEAVED);
    return 0;
}

void pl_record_reader_init(pl_record_reader *rr, uint8_t *hs_buf, size_t hs_cap)
{
    memset(rr, 0, sizeof *rr);
    pl_record_cipher_null(&rr->cipher);
    pl_hs_assembler_init(&rr->hs, hs_buf, hs_cap);
}

int pl_record_read(pl_record_reader *rr, uint8_t *in, size_t in_len, size_t *used, size_t *need,
                   uint8_t *type, pl_slice *plain)
{
    return pl_record_read_to(rr, in, in_len, used, need, type, plain, NULL, 0);
}

int pl_record_read_to(pl_record_reader *rr, uint8_t *in, size_t in_len, size_t *used,
                      size_t *need, uint8_t *type, pl_slice *plain, uint8_t *dst, size_t dst_cap)
{
    pl_reader r;
    uint8_t t;
    uint16_t version, length;
    *used = 0;
    *need = PL_RECORD_HEADER_LEN;
    if (in_len < PL_RECORD_HEADER_LEN) {
        return 0;
    }
    /* RFC 5246 §6.2.1 TLSPlaintext / §6.2.3 TLSCiphertext: type, version, length<0..2^16-1>. */
    pl_reader_init(&r, in, in_len);
    TRY(pl_read_u8(&r, &t));
    TRY(pl_read_u16(&r, &version));
    TRY(pl_read_u16(&r, &length));
    TRY(check_header(rr, t, version, length));
    *need = PL_RECORD_HEADER_LEN + (size_t)length;
    if (in_len < *need) {
        return 0;
    }
    if (t != PL_CT_APPLICATION_DATA) {
        dst = NULL;             /* only application data goes straight to the caller */
    }
    TRY(open_fragment(&rr->cipher, t, version, in + PL_RECORD_HEADER_LEN, length, dst, dst_cap,
                      plain));
    TRY(check_fragment(rr, t, plain->len));
    *used = *need;
    *type = t;
    return 0;
}

size_t pl_record_written_len(const pl_record_cipher *c, size_t len)
{
    size_t records = len == 0 ? 1 : (len + PL_RECORD_MAX_PLAINTEXT - 1) / PL_RECORD_MAX_PLAINTEXT;
    size_t last = len - (records - 1) * PL_RECORD_MAX_PLAINTEXT;
    return (records - 1) * (PL_RECORD_HEADER_LEN + sealed_len(c, PL_RECORD_MAX_PLAINTEXT)) +
           PL_RECORD_HEADER_LEN + sealed_len(c, last);
}

static int write_one(pl_record_cipher *c, uint16_t version, uint8_t type, const uint8_t *data,
                     size_t len, pl_writer *out)
{
    uint8_t nonce[PL_AEAD_NONCE_LEN], aad[13], explicit_part[8];
    uint8_t *text, *tag;
    TRY(pl_write_u8(out, type));
    TRY(pl_write_u16(out, version));
    TRY(pl_write_u16(out, (uint16_t)sealed_len(c, len)));
    if (c->cbc != NULL) {
        uint8_t *frag;
        ENSURE(c->seq != UINT64_MAX, SSL_ERR_RECORD_SEQ_EXHAUSTED);
        TRY(pl_write_reserve(out, sealed_len(c, len), &frag));
        TRY(pl_tls_cbc_seal(&c->ctx, c->cbc, c->etm, c->seq, type, version, data, len, frag));
        c->seq++;
        return 0;
    }
    if (c->aead == NULL) {
        return pl_write_bytes(out, data, len);
    }
    ENSURE(c->seq != UINT64_MAX, SSL_ERR_RECORD_SEQ_EXHAUSTED);
    /* The explicit nonce is the sequence number: unique for the key by construction (RFC 5288
     * §3 allows any unique value; this is what most implementations send). */
    pl_store_be64(explicit_part, c->seq);
    TRY(pl_write_bytes(out, explicit_part, c->record_iv_len));
    TRY(pl_write_reserve(out, len, &text));
    TRY(pl_write_reserve(out, c->aead->tag_len, &tag));
    make_nonce(c, explicit_part, nonce);
    make_aad(c->seq, type, version, len, aad);
    c->aead->seal(&c->ctx, nonce, aad, sizeof aad, data, text, len, tag);
    c->seq++;
    return 0;
}

int pl_record_write(pl_record_cipher *c, uint16_t version, uint8_t type, const uint8_t *data,
                    size_t len, pl_writer *out)
{
    ENSURE(known_type(type), SSL_ERR_INVALID_ARGUMENT);
    ENSURE(len > 0 || type == PL_CT_APPLICATION_DATA, SSL_ERR_INVALID_ARGUMENT);
    do {
        size_t chunk = len < PL_RECORD_MAX_PLAINTEXT ? len : PL_RECORD_MAX_PLAINTEXT;
        TRY(write_one(c, version, type, data, chunk, out));
        data += chunk;
        len -= chunk;
    } while (len > 0);
    return 0;
}

int pl_record_check_ccs(pl_slice plain)
{
    pl_reader r = pl_reader_of(plain);
    uint8_t value;
    ENSURE(pl_read_u8(&r, &value) == 0 && value == 1, SSL_ERR_RECORD_BAD_CCS);
    ENSURE(pl_read_end(&r) == 0, SSL_ERR_RECORD_BAD_CCS);
    return 0;
}

/* ---- handshake message reassembly ---------------------------------------------------------- */

void pl_hs_assembler_init(pl_hs_assembler *a, uint8_t *buf, size_t cap)
{
    a->buf = buf;
    a->cap = cap;
    a->len = 0;
    a->want = 0;
}

size_t pl_hs_assembler_pending(const pl_hs_assembler *a)
{
    return a->len;
}

int pl_hs_assembler_add(pl_hs_assembler *a, pl_reader *data)
{
    size_t take;
    if (a->len < PL_HS_HEADER_LEN) {
        /* RFC 5246 §7.4: msg_type, then a 24-bit length */
        take = PL_HS_HEADER_LEN - a->len;
        take = take < pl_reader_left(data) ? take : pl_reader_left(data);
        ENSURE(a->len + take <= a->cap, SSL_ERR_HS_MESSAGE_TOO_LARGE);
        TRY(pl_read_copy(data, a->buf + a->len, take));
        a->len += take;
        if (a->len < PL_HS_HEADER_LEN) {
            return 0;
        }
        {
            pl_reader h;
            uint8_t type;
            uint32_t body_len;
            pl_reader_init(&h, a->buf, PL_HS_HEADER_LEN);
            TRY(pl_read_u8(&h, &type));
            TRY(pl_read_u24(&h, &body_len));
                /* want is set first, so that a caller may grow the buffer and add again */
            a->want = PL_HS_HEADER_LEN + (size_t)body_len;
            ENSURE(a->want <= a->cap, SSL_ERR_HS_MESSAGE_TOO_LARGE);
        }
    }
    take = a->want - a->len;
    take = take < pl_reader_left(data) ? take : pl_reader_left(data);
    TRY(pl_read_copy(data, a->buf + a->len, take));
    a->len += take;
    return 0;
}

int pl_hs_assembler_next(pl_hs_assembler *a, uint8_t *type, pl_slice *body, pl_slice *whole)
{
    pl_reader r;
    uint32_t body_len;
    if (a->len < PL_HS_HEADER_LEN || a->len < a->want) {
        return 0;
    }
    pl_reader_init(&r, a->buf, a->len);
    if (pl_read_u8(&r, type) != 0 || pl_read_u24(&r, &body_len) != 0 ||
        pl_read_slice(&r, body_len, body) != 0) {
        return 0; /* cannot happen: want was computed from this header */
    }
    whole->ptr = a->buf;
    whole->len = a->len;
    a->len = 0;
    a->want = 0;
    return 1;
}

void pl_hs_assembler_wipe(pl_hs_assembler *a)
{
    if (a->buf != NULL) {
        pl_wipe(a->buf, a->cap);
    }
    a->len = 0;
    a->want = 0;
}
