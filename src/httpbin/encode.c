/* gzip (RFC 1952), zlib/deflate (RFC 1950/1951), brotli (RFC 7932), zstd
 * (RFC 8878) compression of whole buffers, and Accept-Encoding selection. */
#include "httpbin/encode.h"

#include <brotli/encode.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include <zstd.h>

static const char *const NAMES[HB_ENC_COUNT] = {"identity", "gzip", "deflate", "br", "zstd"};

const char *hb_enc_name(hb_enc_t e) { return (e >= 0 && e < HB_ENC_COUNT) ? NAMES[e] : NULL; }

int hb_enc_default_level(hb_enc_t e) {
  switch (e) {
  case HB_ENC_GZIP:
    return 4;
  case HB_ENC_DEFLATE:
    return 6;
  case HB_ENC_BR:
    return BROTLI_DEFAULT_QUALITY; /* 11 */
  case HB_ENC_ZSTD:
    return ZSTD_CLEVEL_DEFAULT; /* 3 */
  default:
    return 0;
  }
}

/* zlib one-shot with windowBits 15 (zlib) or 31 (gzip). */
static int zcompress(int gzip, const void *src, size_t n, int level, unsigned char **out,
                     size_t *out_len) {
  if (level > 9)
    level = 9;
  z_stream z;
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, level, Z_DEFLATED, gzip ? 31 : 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return -1;
  if (gzip) {
    gz_header h;
    memset(&h, 0, sizeof h);
    h.os = 255; /* as Python's gzip module writes; MTIME stays 0 */
    deflateSetHeader(&z, &h);
  }
  uLong bound = deflateBound(&z, (uLong)n) + (gzip ? 18 : 0);
  unsigned char *buf = malloc(bound ? bound : 1);
  if (!buf) {
    deflateEnd(&z);
    return -1;
  }
  z.next_in = (Bytef *)(uintptr_t)src;
  z.next_out = buf;
  /* zlib's counters are uInt: feed in slices for huge inputs. */
  size_t left_in = n, left_out = bound;
  int rc;
  do {
    uInt in = left_in > 0x40000000u ? 0x40000000u : (uInt)left_in;
    uInt outc = left_out > 0x40000000u ? 0x40000000u : (uInt)left_out;
    z.avail_in = in;
    z.avail_out = outc;
    rc = deflate(&z, left_in == in ? Z_FINISH : Z_NO_FLUSH);
    left_in -= in - z.avail_in;
    left_out -= outc - z.avail_out;
  } while (rc == Z_OK || (rc == Z_BUF_ERROR && left_out && left_in));
  deflateEnd(&z);
  if (rc != Z_STREAM_END) {
    free(buf);
    return -1;
  }
  *out = buf;
  *out_len = bound - left_out;
  return 0;
}

int hb_compress(hb_enc_t e, const void *src, size_t n, int level, unsigned char **out,
                size_t *out_len) {
  if (level < 0)
    level = hb_enc_default_level(e);
  if (!src)
    src = "";
  switch (e) {
  case HB_ENC_IDENTITY: {
    unsigned char *b = malloc(n ? n : 1);
    if (!b)
      return -1;
    memcpy(b, src, n);
    *out = b;
    *out_len = n;
    return 0;
  }
  case HB_ENC_GZIP:
    return zcompress(1, src, n, level, out, out_len);
  case HB_ENC_DEFLATE:
    return zcompress(0, src, n, level, out, out_len);
  case HB_ENC_BR: {
    if (level > BROTLI_MAX_QUALITY)
      level = BROTLI_MAX_QUALITY;
    size_t cap = BrotliEncoderMaxCompressedSize(n);
    if (!cap)
      return -1;
    unsigned char *b = malloc(cap);
    if (!b)
      return -1;
    size_t len = cap;
    if (!BrotliEncoderCompress(level, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, n, src, &len,
                               b)) {
      free(b);
      return -1;
    }
    *out = b;
    *out_len = len;
    return 0;
  }
  case HB_ENC_ZSTD: {
    if (level > ZSTD_maxCLevel())
      level = ZSTD_maxCLevel();
    size_t cap = ZSTD_compressBound(n);
    unsigned char *b = malloc(cap ? cap : 1);
    if (!b)
      return -1;
    size_t len = ZSTD_compress(b, cap, src, n, level);
    if (ZSTD_isError(len)) {
      free(b);
      return -1;
    }
    *out = b;
    *out_len = len;
    return 0;
  }
  default:
    return -1;
  }
}

hb_enc_t hb_accept_encoding(hs__str_t value, int present, unsigned supported,
                            const hb_enc_t *prefer, size_t nprefer) {
  static const hb_enc_t def_prefer[] = {HB_ENC_ZSTD, HB_ENC_BR, HB_ENC_GZIP, HB_ENC_DEFLATE,
                                        HB_ENC_IDENTITY};
  if (!prefer) {
    prefer = def_prefer;
    nprefer = sizeof def_prefer / sizeof def_prefer[0];
  }
  if (!present)
    return (supported & HB_ENC_BIT(HB_ENC_IDENTITY)) ? HB_ENC_IDENTITY : HB_ENC_NONE;
  int q[HB_ENC_COUNT];
  for (int i = 0; i < HB_ENC_COUNT; i++)
    q[i] = -1; /* not mentioned */
  int star = -1;
  const char *p = value.ptr, *end = p ? p + value.len : p;
  hs__str_t mv;
  int w;
  while (hs__qlist_next(&p, end, &mv, &w)) {
    const char *m = mv.ptr;
    size_t vl = mv.len;
    if (vl == 1 && *m == '*') {
      if (w > star)
        star = w;
      continue;
    }
    for (int e = 0; e < HB_ENC_COUNT; e++) {
      size_t nl = strlen(NAMES[e]);
      if ((vl == nl && !strncasecmp(m, NAMES[e], nl)) ||
          (e == HB_ENC_GZIP && vl == 6 && !strncasecmp(m, "x-gzip", 6))) {
        if (w > q[e])
          q[e] = w; /* a repeated coding: take its best weight */
        break;
      }
    }
  }
  for (int e = 0; e < HB_ENC_COUNT; e++) {
    if (q[e] >= 0)
      continue;
    if (star >= 0)
      q[e] = star;
    else
      q[e] = e == HB_ENC_IDENTITY ? 1 : 0; /* identity: acceptable, least preferred */
  }
  hb_enc_t best = HB_ENC_NONE;
  int bq = 0;
  for (size_t i = 0; i < nprefer; i++) {
    hb_enc_t e = prefer[i];
    if (e < 0 || e >= HB_ENC_COUNT || !(supported & HB_ENC_BIT(e)))
      continue;
    if (q[e] > bq) {
      bq = q[e];
      best = e;
    }
  }
  return best;
}
