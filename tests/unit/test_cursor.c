/* The bounded cursor (src/base/cursor.c): every read is bounded, vectors obey <floor..ceiling>,
 * failures leave the reader where it was, and writers fill deferred length prefixes. */
#include "pl_test.h"

#include "base/cursor.h"

static void test_read_integers_are_big_endian(void **state)
{
    static const uint8_t in[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
                                 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12};
    pl_reader r;
    uint8_t u8;
    uint16_t u16;
    uint32_t u24, u32;
    uint64_t u64;
    (void)state;
    pl_reader_init(&r, in, sizeof in);
    assert_int_equal(pl_read_u8(&r, &u8), 0);
    assert_int_equal(pl_read_u16(&r, &u16), 0);
    assert_int_equal(pl_read_u24(&r, &u24), 0);
    assert_int_equal(pl_read_u32(&r, &u32), 0);
    assert_int_equal(pl_read_u64(&r, &u64), 0);
    assert_int_equal(u8, 0x01);
    assert_int_equal(u16, 0x0203);
    assert_int_equal(u24, 0x040506);
    assert_int_equal(u32, 0x0708090a);
    assert_true(u64 == 0x0b0c0d0e0f101112u);
    assert_int_equal(pl_reader_left(&r), 0);
    assert_int_equal(pl_read_end(&r), 0);
}

static void test_read_past_end_is_truncated_and_reader_unmoved(void **state)
{
    static const uint8_t in[] = {0xaa, 0xbb, 0xcc};
    pl_reader r;
    uint32_t v32;
    uint16_t v16;
    uint8_t buf[4];
    (void)state;
    pl_reader_init(&r, in, sizeof in);
    assert_int_equal(pl_read_u32(&r, &v32), SSL_ERR_DECODE_TRUNCATED);
    assert_int_equal(pl_reader_left(&r), 3);
    assert_int_equal(pl_read_copy(&r, buf, 4), SSL_ERR_DECODE_TRUNCATED);
    assert_int_equal(pl_read_skip(&r, 4), SSL_ERR_DECODE_TRUNCATED);
    assert_int_equal(pl_reader_left(&r), 3);
    assert_int_equal(pl_read_u16(&r, &v16), 0);
    assert_int_equal(v16, 0xaabb);
    assert_int_equal(pl_read_u16(&r, &v16), SSL_ERR_DECODE_TRUNCATED);
    assert_int_equal(pl_read_end(&r), SSL_ERR_DECODE_TRAILING);
}

static void test_read_from_empty_input(void **state)
{
    pl_reader r;
    uint8_t v;
    pl_slice s;
    (void)state;
    pl_reader_init(&r, NULL, 0);
    assert_int_equal(pl_read_u8(&r, &v), SSL_ERR_DECODE_TRUNCATED);
    assert_int_equal(pl_read_slice(&r, 0, &s), 0);
    assert_int_equal(s.len, 0);
    assert_int_equal(pl_read_end(&r), 0);
}

static void test_read_vec16_within_bounds_borrows_the_body(void **state)
{
    static const uint8_t in[] = {0x00, 0x03, 'a', 'b', 'c', 0x99};
    pl_reader r;
    pl_slice s;
    (void)state;
    pl_reader_init(&r, in, sizeof in);
    assert_int_equal(pl_read_vec16(&r, 1, 3, &s), 0);
    assert_int_equal(s.len, 3);
    assert_ptr_equal(s.ptr, in + 2);
    assert_memory_equal(s.ptr, "abc", 3);
    assert_int_equal(pl_reader_left(&r), 1);
}

static void test_read_vec_length_outside_floor_ceiling_is_vec_length(void **state)
{
    static const uint8_t three[] = {0x03, 'a', 'b', 'c'};
    pl_reader r;
    pl_slice s;
    (void)state;
    pl_reader_init(&r, three, sizeof three);
    assert_int_equal(pl_read_vec8(&r, 4, 10, &s), SSL_ERR_DECODE_VEC_LENGTH); /* below floor */
    assert_int_equal(pl_reader_left(&r), 4);
    assert_int_equal(pl_read_vec8(&r, 0, 2, &s), SSL_ERR_DECODE_VEC_LENGTH); /* above ceiling */
    assert_int_equal(pl_reader_left(&r), 4);
    assert_int_equal(pl_read_vec8(&r, 3, 3, &s), 0);                         /* exactly */
}

static void test_read_vec_body_past_end_is_truncated(void **state)
{
    static const uint8_t in24[] = {0x00, 0x01, 0x00, 'x'}; /* claims 256 bytes, has 1 */
    static const uint8_t in16[] = {0xff, 0xff};            /* claims 65535, has none */
    static const uint8_t in8[] = {0x05};                   /* prefix only */
    pl_reader r;
    pl_slice s;
    (void)state;
    pl_reader_init(&r, in24, sizeof in24);
    assert_int_equal(pl_read_vec24(&r, 0, 0xffffff, &s), SSL_ERR_DECODE_TRUNCATED);
    assert_int_equal(pl_reader_left(&r), sizeof in24);
    pl_reader_init(&r, in16, sizeof in16);
    assert_int_equal(pl_read_vec16(&r, 0, 0xffff, &s), SSL_ERR_DECODE_TRUNCATED);
    assert_int_equal(pl_reader_left(&r), sizeof in16);
    pl_reader_init(&r, in8, sizeof in8);
    assert_int_equal(pl_read_vec8(&r, 0, 255, &s), SSL_ERR_DECODE_TRUNCATED);
    pl_reader_init(&r, in8, 0);
    assert_int_equal(pl_read_vec8(&r, 0, 255, &s), SSL_ERR_DECODE_TRUNCATED); /* no prefix */
}

static void test_read_sub_gives_a_reader_bounded_to_the_body(void **state)
{
    /* outer<2> holding inner<1> "hi" and one trailing byte 0x7f, then 0xee after outer */
    static const uint8_t in[] = {0x00, 0x04, 0x02, 'h', 'i', 0x7f, 0xee};
    pl_reader r, outer, inner;
    uint8_t b;
    (void)state;
    pl_reader_init(&r, in, sizeof in);
    assert_int_equal(pl_read_sub16(&r, 0, 0xffff, &outer), 0);
    assert_int_equal(pl_read_sub8(&outer, 1, 32, &inner), 0);
    assert_int_equal(pl_reader_left(&inner), 2);
    assert_int_equal(pl_read_skip(&inner, 2), 0);
    assert_int_equal(pl_read_end(&inner), 0);
    assert_int_equal(pl_read_end(&outer), SSL_ERR_DECODE_TRAILING); /* the 0x7f */
    assert_int_equal(pl_read_u8(&outer, &b), 0);
    assert_int_equal(b, 0x7f);
    assert_int_equal(pl_read_u8(&outer, &b), SSL_ERR_DECODE_TRUNCATED); /* not the 0xee */
    assert_int_equal(pl_read_u8(&r, &b), 0);
    assert_int_equal(b, 0xee);
}

static void test_read_every_truncation_of_a_nested_message_fails_cleanly(void **state)
{
    /* A ServerHello-like shape; every prefix must fail with a decode error, never succeed and
     * never read outside the prefix (ASan checks the latter). */
    static const uint8_t msg[] = {0x03, 0x03, 0x00, 0x02, 0xaa, 0xbb, 0xc0, 0x2f,
                                  0x00, 0x00, 0x04, 0xff, 0x01, 0x00, 0x00};
    (void)state;
    for (size_t n = 0; n <= sizeof msg; n++) {
        uint8_t *copy = malloc(n + 1);
        pl_reader r, exts;
        uint16_t version, suite;
        uint8_t comp;
        pl_slice sid;
        int rc;
        memcpy(copy, msg, n);
        pl_reader_init(&r, copy, n);
        rc = pl_read_u16(&r, &version);
        rc = rc < 0 ? rc : pl_read_vec16(&r, 0, 32, &sid);
        rc = rc < 0 ? rc : pl_read_u16(&r, &suite);
        rc = rc < 0 ? rc : pl_read_u8(&r, &comp);
        rc = rc < 0 ? rc : pl_read_sub16(&r, 0, 0xffff, &exts);
        rc = rc < 0 ? rc : pl_read_end(&r);
        if (n == sizeof msg) {
            assert_int_equal(rc, 0);
            assert_int_equal(suite, 0xc02f);
        } else {
            assert_true(rc == SSL_ERR_DECODE_TRUNCATED);
        }
        free(copy);
    }
}

static void test_write_integers_and_bytes(void **state)
{
    uint8_t buf[32];
    pl_writer w;
    (void)state;
    pl_writer_init(&w, buf, sizeof buf);
    assert_int_equal(pl_write_u8(&w, 0x01), 0);
    assert_int_equal(pl_write_u16(&w, 0x0203), 0);
    assert_int_equal(pl_write_u24(&w, 0x040506), 0);
    assert_int_equal(pl_write_u32(&w, 0x0708090a), 0);
    assert_int_equal(pl_write_u64(&w, 0x0b0c0d0e0f101112u), 0);
    assert_int_equal(pl_write_bytes(&w, "xy", 2), 0);
    assert_int_equal(pl_write_zeros(&w, 2), 0);
    assert_int_equal(pl_writer_len(&w), 22);
    pl_test_assert_hex(buf, 22, "0102030405060708090a0b0c0d0e0f1011127879" "0000");
    assert_int_equal(pl_writer_status(&w), 0);
}

static void test_write_u24_out_of_range_is_invalid_argument(void **state)
{
    uint8_t buf[8];
    pl_writer w;
    (void)state;
    pl_writer_init(&w, buf, sizeof buf);
    assert_int_equal(pl_write_u24(&w, 0x1000000), SSL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_writer_len(&w), 0);
}

static void test_write_past_capacity_fails_and_the_failure_sticks(void **state)
{
    uint8_t buf[3];
    pl_writer w;
    (void)state;
    pl_writer_init(&w, buf, sizeof buf);
    assert_int_equal(pl_write_u16(&w, 0xabcd), 0);
    assert_int_equal(pl_write_u16(&w, 0x1234), SSL_ERR_WRITE_NO_SPACE);
    assert_int_equal(pl_writer_len(&w), 2);
    /* a write that would fit now still fails: the writer stays failed */
    assert_int_equal(pl_write_u8(&w, 0x55), SSL_ERR_WRITE_NO_SPACE);
    assert_int_equal(pl_writer_len(&w), 2);
    assert_int_equal(pl_writer_status(&w), SSL_ERR_WRITE_NO_SPACE);
}

static void test_write_nested_vectors_fill_their_prefixes(void **state)
{
    /* extensions<0..2^16-1> { server_name(0) ext_data<2> { list<2> { type 0, name<2> } } } */
    uint8_t buf[64];
    pl_writer w;
    size_t exts, ext, list, name;
    (void)state;
    pl_writer_init(&w, buf, sizeof buf);
    assert_int_equal(pl_write_open16(&w, &exts), 0);
    assert_int_equal(pl_write_u16(&w, 0x0000), 0);
    assert_int_equal(pl_write_open16(&w, &ext), 0);
    assert_int_equal(pl_write_open16(&w, &list), 0);
    assert_int_equal(pl_write_u8(&w, 0), 0);
    assert_int_equal(pl_write_open16(&w, &name), 0);
    assert_int_equal(pl_write_bytes(&w, "a.io", 4), 0);
    assert_int_equal(pl_write_close16(&w, name), 0);
    assert_int_equal(pl_write_close16(&w, list), 0);
    assert_int_equal(pl_write_close16(&w, ext), 0);
    assert_int_equal(pl_write_close16(&w, exts), 0);
    pl_test_assert_hex(buf, pl_writer_len(&w), "000d" "0000" "0009" "0007" "00" "0004" "612e696f");
}

static void test_write_close8_of_256_bytes_is_too_long(void **state)
{
    uint8_t buf[300];
    pl_writer w;
    size_t mark;
    (void)state;
    pl_writer_init(&w, buf, sizeof buf);
    assert_int_equal(pl_write_open8(&w, &mark), 0);
    assert_int_equal(pl_write_zeros(&w, 255), 0);
    assert_int_equal(pl_write_close8(&w, mark), 0); /* 255 fits */
    assert_int_equal(buf[0], 255);
    pl_writer_init(&w, buf, sizeof buf);
    assert_int_equal(pl_write_open8(&w, &mark), 0);
    assert_int_equal(pl_write_zeros(&w, 256), 0);
    assert_int_equal(pl_write_close8(&w, mark), SSL_ERR_WRITE_VEC_TOO_LONG);
}

static void test_write_close24_and_bogus_mark(void **state)
{
    uint8_t buf[16];
    pl_writer w;
    size_t mark;
    (void)state;
    pl_writer_init(&w, buf, sizeof buf);
    assert_int_equal(pl_write_open24(&w, &mark), 0);
    assert_int_equal(pl_write_bytes(&w, "abcde", 5), 0);
    assert_int_equal(pl_write_close24(&w, mark), 0);
    pl_test_assert_hex(buf, pl_writer_len(&w), "000005" "6162636465");
    assert_int_equal(pl_write_close16(&w, 100), SSL_ERR_INTERNAL);
}

static void test_written_message_reads_back(void **state)
{
    uint8_t buf[256];
    uint8_t body[200];
    pl_writer w;
    pl_reader r, sub;
    size_t mark;
    pl_slice s;
    uint16_t v;
    (void)state;
    pl_test_fill(body, sizeof body);
    pl_writer_init(&w, buf, sizeof buf);
    assert_int_equal(pl_write_u16(&w, 0x0303), 0);
    assert_int_equal(pl_write_open24(&w, &mark), 0);
    assert_int_equal(pl_write_bytes(&w, body, sizeof body), 0);
    assert_int_equal(pl_write_close24(&w, mark), 0);
    pl_reader_init(&r, buf, pl_writer_len(&w));
    assert_int_equal(pl_read_u16(&r, &v), 0);
    assert_int_equal(pl_read_sub24(&r, 1, 0xffffff, &sub), 0);
    assert_int_equal(pl_read_slice(&sub, sizeof body, &s), 0);
    assert_memory_equal(s.ptr, body, sizeof body);
    assert_int_equal(pl_read_end(&sub), 0);
    assert_int_equal(pl_read_end(&r), 0);
}

static void test_reader_span_is_what_was_read_between(void **state)
{
    static const uint8_t buf[6] = {1, 2, 3, 4, 5, 6};
    pl_reader r, before;
    uint16_t v;
    pl_slice span;
    (void)state;
    pl_reader_init(&r, buf, sizeof buf);
    assert_int_equal(pl_read_skip(&r, 1), 0);
    before = r;
    assert_int_equal(pl_read_u16(&r, &v), 0);
    assert_int_equal(pl_read_skip(&r, 1), 0);
    span = pl_reader_span(&before, &r);
    assert_ptr_equal(span.ptr, buf + 1);
    assert_int_equal(span.len, 3);
    span = pl_reader_span(&r, &r);
    assert_int_equal(span.len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader_span_is_what_was_read_between),
        cmocka_unit_test(test_read_integers_are_big_endian),
        cmocka_unit_test(test_read_past_end_is_truncated_and_reader_unmoved),
        cmocka_unit_test(test_read_from_empty_input),
        cmocka_unit_test(test_read_vec16_within_bounds_borrows_the_body),
        cmocka_unit_test(test_read_vec_length_outside_floor_ceiling_is_vec_length),
        cmocka_unit_test(test_read_vec_body_past_end_is_truncated),
        cmocka_unit_test(test_read_sub_gives_a_reader_bounded_to_the_body),
        cmocka_unit_test(test_read_every_truncation_of_a_nested_message_fails_cleanly),
        cmocka_unit_test(test_write_integers_and_bytes),
        cmocka_unit_test(test_write_u24_out_of_range_is_invalid_argument),
        cmocka_unit_test(test_write_past_capacity_fails_and_the_failure_sticks),
        cmocka_unit_test(test_write_nested_vectors_fill_their_prefixes),
        cmocka_unit_test(test_write_close8_of_256_bytes_is_too_long),
        cmocka_unit_test(test_write_close24_and_bogus_mark),
        cmocka_unit_test(test_written_message_reads_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
