/* httpbin's caching endpoints (docs/httpbin-compat.md, section 3): /cache,
 * /cache/{n} and /etag/{etag}, with RFC 9110 §13 conditional requests for
 * /etag (If-Match before If-None-Match, strong and weak comparison). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sbuf.h"
#include "handlers/hb_args.h"
#include "handlers/hb_request.h"
#include "handlers/hb_send.h"
#include "handlers/routes.h"
#include "http/ctx.h"
#include "httpbin/random.h"

#define GET_DICT (HS_HB_URL | HS_HB_ARGS | HS_HB_HEADERS | HS_HB_ORIGIN)

/* Sends the /get body with extra header fields; 500 if out of memory. */
static void send_get(hs__exchange_t *x, const hs__fields_t *extra) {
  json_t *v = hs__hb_request_dict(x, GET_DICT);
  if (!v || (extra && hs__fields_oom(extra))) {
    json_decref(v);
    hs__resp_error(x, 500, "Out of memory.", NULL);
    return;
  }
  hs__hb_send_json(x, 200, v, extra);
  json_decref(v);
}

/* A bodiless status (304, 412) with optional ETag. */
static void bare(hs__exchange_t *x, int status, const char *etag, size_t n) {
  hs__resp_t r;
  hs__resp_begin(&r, x, status);
  if (etag)
    hs__resp_hdr(&r, HS_H_ETAG, etag, n);
  hs__resp_end(&r, status == 304 ? NULL : "text/html; charset=utf-8", NULL, 0);
}

/* GET /cache: 304 when the request is conditional (If-Modified-Since with a
 * value, or any If-None-Match — httpbin does not compare them), else the /get
 * body with Last-Modified (now) and a random ETag. */
static void cache(hs__exchange_t *x) {
  const hs__str_t *ims = hs__req_header(x->req, "If-Modified-Since");
  const hs__str_t *inm = hs__req_header(x->req, "If-None-Match");
  if ((ims && ims->len) || inm) {
    bare(x, 304, NULL, 0);
    return;
  }
  uint8_t rnd[16];
  for (int i = 0; i < 16; i++)
    rnd[i] = (uint8_t)(hs__ctx_random(x->ctx) * 256);
  char hex[33], etag[40];
  hb_uuid4_hex(rnd, hex);
  int n = snprintf(etag, sizeof etag, "\"%s\"", hex);
  hs__fields_t f = HS_FIELDS_INIT;
  hs__fields_add(&f, "Last-Modified", 13, x->ctx->date, x->ctx->date_len); /* now */
  hs__fields_add(&f, "ETag", 4, etag, (size_t)n);
  send_get(x, &f);
  hs__fields_free(&f);
}

/* GET /cache/{n}: the /get body with Cache-Control: public, max-age=n (n
 * digits only, else 404; above 2^31 it is sent as 2147483648, RFC 9111
 * §1.2.2). */
static void cache_n(hs__exchange_t *x) {
  hs__str_t t = x->tail;
  if (!t.len)
    goto not_found;
  for (size_t i = 0; i < t.len; i++)
    if (t.ptr[i] < '0' || t.ptr[i] > '9')
      goto not_found;
  unsigned long long n = 0;
  for (size_t i = 0; i < t.len && n <= 2147483648ULL; i++)
    n = n * 10 + (unsigned)(t.ptr[i] - '0');
  if (n > 2147483648ULL)
    n = 2147483648ULL;
  char cc[48];
  int len = snprintf(cc, sizeof cc, "public, max-age=%llu", n);
  hs__fields_t f = HS_FIELDS_INIT;
  hs__fields_add(&f, "Cache-Control", 13, cc, (size_t)len);
  send_get(x, &f);
  hs__fields_free(&f);
  return;
not_found:
  hs__resp_error(x, 404, "No such endpoint; use /cache/{seconds}.", NULL);
}

/* ---- /etag/{etag} ------------------------------------------------------------ */

/* One member of an If-Match / If-None-Match list. */
typedef struct {
  const char *p;
  size_t n;
  int weak;
  int star;
} tag_t;

/* Next list member from *s (RFC 9110 §5.6.1 list, §8.8.3 entity-tag); quotes
 * are optional, like httpbin's lenient parser. Returns 0 at the end. */
static int next_tag(const char **s, const char *e, tag_t *t) {
  const char *p = *s;
  while (p < e && (*p == ',' || *p == ' ' || *p == '\t'))
    p++;
  if (p >= e)
    return 0;
  t->weak = t->star = 0;
  if (e - p >= 2 && p[0] == 'W' && p[1] == '/')
    t->weak = 1, p += 2;
  if (p < e && *p == '"') {
    const char *q = ++p;
    while (q < e && *q != '"')
      q++;
    t->p = p;
    t->n = (size_t)(q - p);
    p = q < e ? q + 1 : q;
    while (p < e && *p != ',')
      p++; /* junk after the closing quote */
  } else {
    const char *q = p;
    while (q < e && *q != ',')
      q++;
    const char *qe = q;
    while (qe > p && (qe[-1] == ' ' || qe[-1] == '\t'))
      qe--;
    t->p = p;
    t->n = (size_t)(qe - p);
    t->star = !t->weak && t->n == 1 && *p == '*';
    p = q;
  }
  *s = p;
  return 1;
}

/* 1 if a list matches etag: `*`, or a member equal to it; strong comparison
 * (RFC 9110 §8.8.3.2) refuses weak members. Unquoted members are accepted. */
static int list_matches(const hs__str_t *h, const char *etag, size_t n, int strong) {
  const char *s = h->ptr, *e = h->ptr + h->len;
  tag_t t;
  while (next_tag(&s, e, &t)) {
    if (t.star)
      return 1;
    if (strong && t.weak)
      continue;
    if (t.n == n && memcmp(t.p, etag, n) == 0)
      return 1;
  }
  return 0;
}

/* 0 for an empty list (only commas and spaces): httpbin then ignores the
 * field, and so do we. */
static int has_members(const hs__str_t *h) {
  const char *s = h->ptr;
  tag_t t;
  return next_tag(&s, h->ptr + h->len, &t);
}

/* GET /etag/{etag}: ETag "{etag}"; If-Match that does not match → 412, then
 * If-None-Match that matches → 304 (RFC 9110 §13.2.2), else the /get body. */
static void etag(hs__exchange_t *x) {
  hs__str_t t = x->tail;
  if (!t.len || memchr(t.ptr, '/', t.len)) {
    hs__resp_error(x, 404, "No such endpoint; use /etag/{etag}.", NULL);
    return;
  }
  size_t n;
  char *tag = hs__hb_segment(t.ptr, t.len, &n);
  if (!tag) {
    hs__resp_error(x, 500, "Out of memory.", NULL);
    return;
  }
  for (size_t i = 0; i < n; i++) { /* etagc = %x21 / %x23-7E / obs-text */
    unsigned char c = (unsigned char)tag[i];
    if (c <= 0x20 || c == '"' || c == 0x7f) {
      hs__resp_error(x, 400,
                     "Invalid etag: an entity-tag cannot hold spaces, control characters or "
                     "double quotes (RFC 9110 section 8.8.3).",
                     NULL);
      free(tag);
      return;
    }
  }
  char *quoted = malloc(n + 3);
  if (!quoted) {
    free(tag);
    hs__resp_error(x, 500, "Out of memory.", NULL);
    return;
  }
  quoted[0] = '"';
  memcpy(quoted + 1, tag, n);
  quoted[n + 1] = '"';
  quoted[n + 2] = 0;
  const hs__str_t *im = hs__req_header(x->req, "If-Match");
  const hs__str_t *inm = hs__req_header(x->req, "If-None-Match");
  if (im && has_members(im) && !list_matches(im, tag, n, 1)) {
    bare(x, 412, NULL, 0);
  } else if (inm && list_matches(inm, tag, n, 0)) {
    bare(x, 304, quoted, n + 2);
  } else {
    hs__fields_t f = HS_FIELDS_INIT;
    hs__fields_add(&f, "ETag", 4, quoted, n + 2);
    send_get(x, &f);
    hs__fields_free(&f);
  }
  free(quoted);
  free(tag);
}

const hs__route_t hs__routes_cache[] = {
    HS_ROUTE("/cache", 0, HS_M_GET_HEAD, cache, "/cache",
             "304 for If-Modified-Since or If-None-Match, else 200"),
    HS_ROUTE("/cache/", 1, HS_M_GET_HEAD, cache_n, "/cache/{n}",
             "sets Cache-Control: public, max-age=n"),
    HS_ROUTE("/etag/", 1, HS_M_GET_HEAD, etag, "/etag/{etag}",
             "If-None-Match → 304, If-Match → 412"),
    HS_ROUTE_END,
};
