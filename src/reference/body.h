/* A prepared body: the bytes as is and compressed, with one strong ETag per
 * coding (body.c). Shared by pages (cache.c) and assets (assets.c). */
#ifndef HS_REFERENCE_BODY_H
#define HS_REFERENCE_BODY_H

#include <stddef.h>

#include "base/str.h"

enum { HS_REF_IDENTITY = 0, HS_REF_GZIP, HS_REF_BR, HS_REF_CODINGS };
typedef struct hs__ref_body_s {
  hs__str_t data[HS_REF_CODINGS]; /* the bytes as is, gzip'd, brotli'd */
  char etag[HS_REF_CODINGS][24];  /* strong validators, one per coding (RFC 9110 §8.8.3) */
} hs__ref_body_t;

/* Fills body->data[] from identity bytes (taking ownership of `bytes`, a
 * malloc'd block) and computes the ETags. */
void hs__ref_body_fill(hs__ref_body_t *body, char *bytes, size_t len);

#endif
