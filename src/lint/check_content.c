/* Content metadata rules: Content-Type (RFC 9110 §8.3), Content-Encoding
 * (§8.4), Content-Disposition (RFC 6266), multipart/byteranges (§14.6). */
#include <string.h>

#include "lint/check.h"

/* Parses "type/subtype *( ; name=value )". Returns 0 when well formed; the
 * type (with subtype) in *mt, and flags for a charset and a boundary. */
static int media_type(hs__lspan_t v, hs__lspan_t *mt, int *charset, int *boundary) {
  v = hs__ltrim(v);
  *charset = *boundary = 0;
  size_t i = 0;
  while (i < v.n && v.p[i] != ';')
    i++;
  *mt = hs__ltrim((hs__lspan_t){v.p, i});
  const char *slash = memchr(mt->p, '/', mt->n);
  if (!slash || !hs__ltoken((hs__lspan_t){mt->p, (size_t)(slash - mt->p)}) ||
      !hs__ltoken((hs__lspan_t){slash + 1, (size_t)(mt->p + mt->n - slash - 1)}))
    return -1;
  while (i < v.n) { /* at ';' */
    i++;
    size_t s = i;
    while (i < v.n && v.p[i] != '=' && v.p[i] != ';')
      i++;
    hs__lspan_t name = hs__ltrim((hs__lspan_t){v.p + s, i - s});
    if (!name.n && i >= v.n)
      break; /* a trailing ';' */
    if (i >= v.n || v.p[i] != '=' || !hs__ltoken(name))
      return -1;
    i++;
    if (i < v.n && v.p[i] == '"') {
      for (i++; i < v.n && v.p[i] != '"'; i++)
        if (v.p[i] == '\\')
          i++;
      if (i >= v.n)
        return -1;
      i++;
    } else {
      size_t vs = i;
      while (i < v.n && v.p[i] != ';' && v.p[i] != ' ')
        i++;
      if (i == vs)
        return -1;
    }
    while (i < v.n && v.p[i] == ' ')
      i++;
    if (i < v.n && v.p[i] != ';')
      return -1;
    *charset |= hs__lspan_eq(name, "charset");
    *boundary |= hs__lspan_eq(name, "boundary");
  }
  return 0;
}

static const char *const codings[] = {"gzip",   "deflate",    "br",       "zstd", "compress",
                                      "x-gzip", "x-compress", "identity", NULL};

void hs__lcheck_content(const hs__lmsg_t *m, hs__lresult_t *r) {
  int s = m->status;
  int can_body = !(s < 200 || s == 204 || s == 205 || s == 304) && !hs__lspan_eq(m->method, "HEAD");
  const hs__lfield_t *ct = HS__LGET(m, "Content-Type");
  if (!ct && can_body && (m->body_len > 0 || m->body_seen))
    hs__lemit(r, HS__L_CONTENT_TYPE_MISSING, NULL, 0);
  if (ct && hs__ltrim(ct->value).n) {
    hs__lspan_t mt;
    int cs, bd;
    if (media_type(ct->value, &mt, &cs, &bd) < 0) {
      hs__lemit_s(r, HS__L_CONTENT_TYPE_INVALID, ct->value);
    } else {
      if (hs__lspan_prefix(mt, "text/") && !cs)
        hs__lemit_s(r, HS__L_CONTENT_TYPE_TEXT_NO_CHARSET, ct->value);
      if (hs__lspan_eq(mt, "application/json") && cs)
        hs__lemit_s(r, HS__L_CONTENT_TYPE_JSON_CHARSET, ct->value);
      if (hs__lspan_eq(mt, "multipart/byteranges") && !bd)
        hs__lemit_s(r, HS__L_MULTIPART_NO_BOUNDARY, ct->value);
    }
  }
  for (size_t i = 0; i < m->nfields; i++) {
    if (!hs__lspan_eq(m->fields[i].name, "Content-Encoding"))
      continue;
    hs__lspan_t rest = m->fields[i].value, it;
    while (hs__lnext_item(&rest, &it)) {
      int known = 0;
      for (size_t k = 0; codings[k]; k++)
        known |= hs__lspan_eq(it, codings[k]);
      if (!known)
        hs__lemit_s(r, HS__L_CONTENT_ENCODING_UNKNOWN, it);
      if (hs__lspan_eq(it, "identity"))
        hs__lemit(r, HS__L_CONTENT_ENCODING_IDENTITY, NULL, 0);
    }
  }
  const hs__lfield_t *cd = HS__LGET(m, "Content-Disposition");
  if (cd) {
    hs__lspan_t v = hs__ltrim(cd->value);
    size_t k = 0;
    while (k < v.n && v.p[k] != ';')
      k++;
    hs__lspan_t type = hs__ltrim((hs__lspan_t){v.p, k});
    if (!hs__ltoken(type) || memchr(type.p, '=', type.n))
      hs__lemit_s(r, HS__L_CONTENT_DISPOSITION_INVALID, v);
  }
}
