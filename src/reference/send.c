/* Sending a prepared reference body: the content coding by Accept-Encoding
 * (RFC 9110 §12.5.3: brotli, then gzip, then identity), a strong ETag per
 * coding, 304 when If-None-Match matches (RFC 9110 §13.1.2, weak comparison),
 * Cache-Control, Vary and Content-Language. HEAD gets the same head. */
#include <string.h>

#include "httpbin/encode.h"
#include "reference/body.h"
#include "reference/send.h"

/* Does the If-None-Match value list `etag` (or "*")? Weak comparison: a W/
 * prefix is ignored (RFC 9110 §13.1.2). */
static int none_match(const hs__str_t *v, const char *etag) {
  size_t elen = strlen(etag);
  const char *p = v->ptr, *end = p + v->len;
  while (p < end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
      p++;
    const char *t = p;
    if (end - t >= 2 && t[0] == 'W' && t[1] == '/')
      t += 2;
    const char *e = t;
    if (e < end && *e == '"') {
      e++;
      while (e < end && *e != '"')
        e++;
      if (e < end)
        e++;
    } else {
      while (e < end && *e != ',' && *e != ' ' && *e != '\t')
        e++;
    }
    if ((size_t)(e - t) == 1 && *t == '*')
      return 1;
    if ((size_t)(e - t) == elen && memcmp(t, etag, elen) == 0)
      return 1;
    p = e;
    while (p < end && *p != ',')
      p++;
  }
  return 0;
}

void hs__ref_send(hs__exchange_t *x, const hs__ref_body_t *body, const char *ctype, int lang,
                  const char *cache_control, const char *vary) {
  static const hb_enc_t prefer[] = {HB_ENC_BR, HB_ENC_GZIP, HB_ENC_IDENTITY};
  const hs__str_t *ae = hs__req_header(x->req, "Accept-Encoding");
  hs__str_t none = {"", 0};
  hb_enc_t enc = hb_accept_encoding(
      ae ? *ae : none, ae != NULL,
      HB_ENC_BIT(HB_ENC_IDENTITY) | HB_ENC_BIT(HB_ENC_GZIP) | HB_ENC_BIT(HB_ENC_BR), prefer, 3);
  int c = enc == HB_ENC_BR ? HS_REF_BR : enc == HB_ENC_GZIP ? HS_REF_GZIP : HS_REF_IDENTITY;
  const char *etag = body->etag[c];
  const hs__str_t *inm = hs__req_header(x->req, "If-None-Match");
  int not_modified =
      inm && (x->req->method == HS_M_GET || x->req->method == HS_M_HEAD) && none_match(inm, etag);
  hs__resp_t r;
  hs__resp_begin(&r, x, not_modified ? 304 : 200);
  hs__resp_hdr(&r, HS_H_ETAG, etag, strlen(etag));
  hs__resp_hdr(&r, HS_H_CACHE_CONTROL, cache_control, strlen(cache_control));
  hs__resp_hdr(&r, HS_H_VARY, vary, strlen(vary));
  if (lang >= 0)
    hs__resp_field(&r, "Content-Language", lang == HS_LANG_ZH ? "zh" : "en", 2);
  if (not_modified) {
    hs__resp_end(&r, NULL, NULL, 0);
    return;
  }
  if (c != HS_REF_IDENTITY)
    hs__resp_field(&r, "Content-Encoding", c == HS_REF_BR ? "br" : "gzip", c == HS_REF_BR ? 2 : 4);
  hs__resp_end(&r, ctype, body->data[c].ptr, body->data[c].len);
}

int hs__ref_format(const hs__req_t *req, const hs__fmt_t order[HS_FMT_COUNT], hs__fmt_t *fmt) {
  if (!req->accept.len) {
    *fmt = order[0];
    return 1;
  }
  int q[HS_FMT_COUNT], best = 0;
  hs__accept_weights(req->accept, q);
  for (int i = 0; i < HS_FMT_COUNT; i++)
    if (q[order[i]] > best)
      best = q[order[i]], *fmt = order[i];
  return best > 0;
}

hs_lang_t hs__ref_lang(const hs__req_t *req) { return hs__negotiate(req).lang; }
