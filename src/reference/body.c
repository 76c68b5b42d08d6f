/* A body prepared for sending many times: compressed once with gzip and
 * brotli (RFC 9110 §8.4.1) and tagged with a strong ETag per coding. Used for
 * the reference's pages (cache.c) and its assets (assets.c). */
#include <stdio.h>
#include <stdlib.h>

#include "httpbin/encode.h"
#include "reference/body.h"

#define GZIP_LEVEL 9
#define BROTLI_QUALITY 10

/* FNV-1a, 64 bits: a validator needs to change when the bytes do, nothing more. */
static uint64_t fnv1a(const char *p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
  return h;
}

void hs__ref_body_fill(hs__ref_body_t *body, char *bytes, size_t len) {
  static const char *const suffix[HS_REF_CODINGS] = {"", "-gz", "-br"};
  static const hb_enc_t enc[HS_REF_CODINGS] = {HB_ENC_IDENTITY, HB_ENC_GZIP, HB_ENC_BR};
  static const int level[HS_REF_CODINGS] = {0, GZIP_LEVEL, BROTLI_QUALITY};
  body->data[HS_REF_IDENTITY] = (hs__str_t){bytes, len};
  for (int c = HS_REF_GZIP; c < HS_REF_CODINGS; c++) {
    unsigned char *z = NULL;
    size_t zlen = 0;
    if (hb_compress(enc[c], bytes, len, level[c], &z, &zlen) != 0)
      abort();
    body->data[c] = (hs__str_t){(const char *)z, zlen};
  }
  uint64_t h = fnv1a(bytes, len);
  for (int c = 0; c < HS_REF_CODINGS; c++)
    snprintf(body->etag[c], sizeof body->etag[c], "\"%016llx%s\"", (unsigned long long)h,
             suffix[c]);
}
