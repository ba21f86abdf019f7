/* Loading and storing fixed-width integers from crypto buffers (message blocks, keys, counters).
 * Wire parsing uses the cursor instead; these are for the crypto layer's own fixed-size buffers. */
#ifndef PL_BASE_ENDIAN_H
#define PL_BASE_ENDIAN_H

#include <stdint.h>

static inline uint32_t pl_load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint64_t pl_load_be64(const uint8_t *p)
{
    return (uint64_t)pl_load_be32(p) << 32 | pl_load_be32(p + 4);
}

static inline uint32_t pl_load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t pl_load_le64(const uint8_t *p)
{
    return (uint64_t)pl_load_le32(p) | (uint64_t)pl_load_le32(p + 4) << 32;
}

static inline void pl_store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline void pl_store_be64(uint8_t *p, uint64_t v)
{
    pl_store_be32(p, (uint32_t)(v >> 32));
    pl_store_be32(p + 4, (uint32_t)v);
}

static inline void pl_store_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void pl_store_le64(uint8_t *p, uint64_t v)
{
    pl_store_le32(p, (uint32_t)v);
    pl_store_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint32_t pl_rotl32(uint32_t x, unsigned n)
{
    return (x << (n & 31)) | (x >> ((32 - n) & 31));
}

static inline uint32_t pl_rotr32(uint32_t x, unsigned n)
{
    return (x >> (n & 31)) | (x << ((32 - n) & 31));
}

static inline uint64_t pl_rotr64(uint64_t x, unsigned n)
{
    return (x >> (n & 63)) | (x << ((64 - n) & 63));
}

#endif
