/* application/x-www-form-urlencoded and multipart/form-data (RFC 7578, RFC 2046
 * §5.1) bodies and query strings → httpbin's args/form/files/data values.
 * The edge cases follow Werkzeug 2.2 (what httpbin 0.7 runs on); see form.h. */
#include "httpbin/form.h"

#include <string.h>
#include <strings.h>

#include "base/b64.h"
#include "base/sbuf.h"
#include "base/utf8.h"
#include "httpbin/multidict.h"
#include "httpbin/params.h"

/* ---- semiflatten: one value → string, repeated → list ---------------------- */

/* Adds a key/value of raw bytes, replacing invalid UTF-8 (copies only when
 * there is something to replace). 0, or -1 if out of memory. */
static int multi_add_text(json_t *obj, hs__sbuf_t *kb, hs__sbuf_t *vb) {
  if (kb->oom || vb->oom)
    return -1;
  hs__sbuf_t ks = HS_SBUF_INIT, vs = HS_SBUF_INIT;
  const char *k = kb->p ? kb->p : "", *v = vb->p ? vb->p : "";
  size_t kl = kb->len, vl = vb->len;
  if (!hs__utf8_valid(k, kl)) {
    hs__utf8_sanitize_to(&ks, k, kl);
    k = ks.p;
    kl = ks.len;
  }
  if (!hs__utf8_valid(v, vl)) {
    hs__utf8_sanitize_to(&vs, v, vl);
    v = vs.p;
    vl = vs.len;
  }
  int rc = -1;
  if (!ks.oom && !vs.oom)
    rc = hb__multi_add(obj, k, kl, json_stringn_nocheck(v, vl), 1);
  hs__sbuf_free(&ks);
  hs__sbuf_free(&vs);
  return rc;
}

/* See form.h; the key/value scratch buffers are reused across pairs. */
int hb_form_urlencoded(const char *s, size_t n, json_t *obj) {
  if (!s || !n)
    return HB_FORM_OK;
  const char *p = s, *end = s + n;
  hs__sbuf_t kb = HS_SBUF_INIT, vb = HS_SBUF_INIT;
  int rc = HB_FORM_OK;
  while (p < end) {
    const char *amp = memchr(p, '&', (size_t)(end - p));
    const char *pe = amp ? amp : end;
    if (pe > p) {
      const char *eq = memchr(p, '=', (size_t)(pe - p));
      kb.len = vb.len = 0;
      hb__pct_decode(&kb, p, (size_t)((eq ? eq : pe) - p), 1);
      if (eq)
        hb__pct_decode(&vb, eq + 1, (size_t)(pe - eq - 1), 1);
      if (multi_add_text(obj, &kb, &vb)) {
        rc = HB_FORM_ENOMEM;
        break;
      }
    }
    p = amp ? amp + 1 : end;
  }
  hs__sbuf_free(&kb);
  hs__sbuf_free(&vb);
  return rc;
}

json_t *hb_form_args(hs__str_t query) {
  json_t *o = json_object();
  if (o && hb_form_urlencoded(query.ptr, query.len, o) != HB_FORM_OK) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* Media type of a header value, lower-cased comparison. */
static int media_is(hs__str_t ct, const char *type) {
  size_t i = 0, n = ct.len, tl = strlen(type);
  while (i < n && hs__is_pyspace((unsigned char)ct.ptr[i]))
    i++;
  size_t j = i;
  while (j < n && ct.ptr[j] != ';' && ct.ptr[j] != ',' && !hs__is_pyspace((unsigned char)ct.ptr[j]))
    j++;
  return j - i == tl && strncasecmp(ct.ptr + i, type, tl) == 0;
}

hb_body_kind_t hb_form_kind(hs__str_t ct) {
  if (!ct.ptr)
    return HB_BODY_OTHER;
  if (media_is(ct, "multipart/form-data"))
    return HB_BODY_MULTIPART;
  if (media_is(ct, "application/x-www-form-urlencoded") ||
      media_is(ct, "application/x-url-encoded"))
    return HB_BODY_URLENCODED;
  return HB_BODY_OTHER;
}

/* ---- json_safe ------------------------------------------------------------ */

json_t *hb_json_safe(const char *body, size_t n, hs__str_t ct) {
  if (hs__utf8_valid(body, n))
    return json_stringn_nocheck(n ? body : "", n);
  hs__sbuf_t b = HS_SBUF_INIT;
  hs__sbuf_adds(&b, "data:");
  if (ct.ptr && ct.len)
    hs__utf8_sanitize_to(&b, ct.ptr, ct.len);
  else
    hs__sbuf_adds(&b, "application/octet-stream");
  hs__sbuf_adds(&b, ";base64,");
  size_t elen = hs__b64_encoded_len(n, 0);
  if (!hs__sbuf_reserve(&b, elen))
    b.len += hs__b64_encode(body, n, b.p + b.len, 0);
  json_t *r = b.oom ? NULL : json_stringn_nocheck(b.p, b.len);
  hs__sbuf_free(&b);
  return r;
}

int hb_form_body(hs__str_t ct, const char *body, size_t len, const hb_form_limits_t *lim,
                 unsigned flags, json_t **form, json_t **files, json_t **data) {
  *form = json_object();
  *files = json_object();
  *data = NULL;
  int rc = HB_FORM_OK;
  hb_body_kind_t kind = hb_form_kind(ct);
  if (*form && *files) {
    if (kind == HB_BODY_OTHER) {
      *data = hb_json_safe(body, len, (hs__str_t){NULL, 0});
    } else {
      *data = json_string("");
      if (kind == HB_BODY_URLENCODED)
        rc = hb_form_urlencoded(body, len, *form);
      else
        rc = hb_form_multipart(ct, body, len, lim, flags, *form, *files);
    }
  }
  if (!*form || !*files || !*data || rc == HB_FORM_ENOMEM) {
    json_decref(*form);
    json_decref(*files);
    json_decref(*data);
    *form = *files = *data = NULL;
    return HB_FORM_ENOMEM;
  }
  return rc;
}
