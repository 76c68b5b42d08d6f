/* Content codings (RFC 9110 §8.4.1) for /gzip, /deflate, /brotli, /zstd and
 * Accept-Encoding negotiation (RFC 9110 §12.5.3).
 *
 * httpbin 0.7 (filters.py): gzip = gzip.GzipFile(compresslevel=4), a full
 * RFC 1952 member; deflate = zlib.compressobj() defaults, i.e. the ZLIB format
 * (RFC 1950 header + Adler-32) at level 6, not raw RFC 1951; brotli =
 * brotli.compress() defaults (quality 11, window 22); Content-Encoding "br".
 * zstd (RFC 8878) is go-httpbin's, level 3 by default. */
#ifndef HS_HTTPBIN_ENCODE_H
#define HS_HTTPBIN_ENCODE_H

#include <stddef.h>

#include "base/str.h"

typedef enum hb_enc_e {
  HB_ENC_NONE = -1, /* nothing acceptable (the caller answers 406 or sends identity) */
  HB_ENC_IDENTITY = 0,
  HB_ENC_GZIP,
  HB_ENC_DEFLATE,
  HB_ENC_BR,
  HB_ENC_ZSTD,
  HB_ENC_COUNT
} hb_enc_t;

#define HB_ENC_BIT(e) (1u << (e))
#define HB_ENC_ALL_BITS                                                                            \
  (HB_ENC_BIT(HB_ENC_IDENTITY) | HB_ENC_BIT(HB_ENC_GZIP) | HB_ENC_BIT(HB_ENC_DEFLATE) |            \
   HB_ENC_BIT(HB_ENC_BR) | HB_ENC_BIT(HB_ENC_ZSTD))

/* Content-Encoding token ("identity", "gzip", "deflate", "br", "zstd"), or
 * NULL for HB_ENC_NONE / out of range. */
const char *hb_enc_name(hb_enc_t e);

/* Level that reproduces httpbin / go-httpbin: gzip 4, deflate 6, br 11, zstd 3. */
int hb_enc_default_level(hb_enc_t e);

/* Compresses src[0..n) with coding e at `level` (< 0: hb_enc_default_level).
 * The gzip header has MTIME 0 and OS 255 ("unknown"), like a reproducible
 * Python gzip member. On success returns 0 and sets *out to a malloc'd buffer
 * (caller frees) of *out_len bytes; HB_ENC_IDENTITY copies. Returns -1 on an
 * unknown coding or out of memory. */
int hb_compress(hb_enc_t e, const void *src, size_t n, int level, unsigned char **out,
                size_t *out_len);

/* Picks the coding to use for a response from an Accept-Encoding field value
 * (RFC 9110 §12.5.3): among the codings in `supported` (HB_ENC_BIT mask), the
 * one with the highest qvalue; "*" gives its weight to codings not listed;
 * "x-gzip" counts as gzip; identity is acceptable unless excluded by
 * "identity;q=0" or "*;q=0". Ties go to the first in `prefer` (an array of
 * nprefer codings; NULL means zstd, br, gzip, deflate, identity). present = 0
 * (no field at all) gives identity. Returns HB_ENC_NONE if nothing supported
 * is acceptable. */
hb_enc_t hb_accept_encoding(hs__str_t value, int present, unsigned supported,
                            const hb_enc_t *prefer, size_t nprefer);

#endif
