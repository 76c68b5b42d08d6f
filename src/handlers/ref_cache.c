/* Each form of each reference page is made once: the first request for a page
 * in a format and language renders it, compresses it with gzip and brotli
 * (RFC 9110 §8.4.1) and computes a strong ETag per coding; later requests
 * (on any worker) find the finished entry with one atomic load. Pages nobody
 * asks for cost nothing; the ones asked for live as long as the process. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/ref_pages.h"
#include "httpbin/encode.h"

#define GZIP_LEVEL 9
#define BROTLI_QUALITY 10

/* cache[slot][fmt][lang]; JSON is the same in both languages and uses lang 0. */
static _Atomic(hs__ref_body_t *) (*cache)[HS_FMT_COUNT][HS_LANG_COUNT];
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;

static void cache_init(void) {
  cache = calloc(hs__ref_slot_count(), sizeof *cache);
  if (!cache)
    abort();
}

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
  body->data[HS_REF_IDENTITY] = (hs_str_t){bytes, len};
  for (int c = HS_REF_GZIP; c < HS_REF_CODINGS; c++) {
    unsigned char *z = NULL;
    size_t zlen = 0;
    if (hb_compress(enc[c], bytes, len, level[c], &z, &zlen) != 0)
      abort();
    body->data[c] = (hs_str_t){(const char *)z, zlen};
  }
  uint64_t h = fnv1a(bytes, len);
  for (int c = 0; c < HS_REF_CODINGS; c++)
    snprintf(body->etag[c], sizeof body->etag[c], "\"%016llx%s\"", (unsigned long long)h,
             suffix[c]);
}

/* Renders one form of p into a fresh entry. */
static hs__ref_body_t *build(const hs__ref_page_t *p, hs_fmt_t fmt, hs_lang_t lang) {
  hs_buf_t b;
  hs__buf_init(&b, NULL);
  if (fmt == HS_FMT_HTML)
    hs__ref_html(&b, p, lang);
  else if (fmt == HS_FMT_TEXT)
    hs__ref_text(&b, p, lang);
  else
    hs__ref_json(&b, p);
  char *bytes = malloc(b.len ? b.len : 1);
  hs__ref_body_t *body = calloc(1, sizeof *body);
  if (!bytes || !body)
    abort();
  memcpy(bytes, b.base, b.len);
  hs__ref_body_fill(body, bytes, b.len);
  hs__buf_release(&b);
  return body;
}

const hs__ref_body_t *hs__ref_body(const hs__ref_page_t *p, hs_fmt_t fmt, hs_lang_t lang) {
  pthread_once(&cache_once, cache_init);
  if (fmt == HS_FMT_JSON)
    lang = HS_LANG_EN;
  _Atomic(hs__ref_body_t *) *at = &cache[p->slot][fmt][lang];
  hs__ref_body_t *body = atomic_load_explicit(at, memory_order_acquire);
  if (body)
    return body;
  pthread_mutex_lock(&build_lock);
  body = atomic_load_explicit(at, memory_order_relaxed);
  if (!body) {
    body = build(p, fmt, lang);
    atomic_store_explicit(at, body, memory_order_release);
  }
  pthread_mutex_unlock(&build_lock);
  return body;
}
