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

#include "reference/body.h"
#include "reference/cache.h"
#include "reference/forms.h"
#include "reference/pages.h"

/* cache[slot][fmt][lang]; JSON is the same in both languages and uses lang 0. */
static _Atomic(hs__ref_body_t *) (*cache)[HS_FMT_COUNT][HS_LANG_COUNT];
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;

static void cache_init(void) {
  cache = calloc(hs__ref_slot_count(), sizeof *cache);
  if (!cache)
    abort();
}

/* Renders one form of p into a fresh entry. */
static hs__ref_body_t *build(const hs__ref_page_t *p, hs__fmt_t fmt, hs_lang_t lang) {
  hs__buf_t b;
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

const hs__ref_body_t *hs__ref_body(const hs__ref_page_t *p, hs__fmt_t fmt, hs_lang_t lang) {
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
