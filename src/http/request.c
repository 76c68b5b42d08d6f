/* Request helpers: method names, header and query look-ups, percent-decoding. */
#include "http/request.h"

#include <string.h>
#include <strings.h>

static const char *const method_names[HS_M_COUNT] = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "OTHER"};

size_t hs__method_name_len(hs__method_t m) {
  static const uint8_t len[HS_M_COUNT] = {3, 4, 4, 3, 6, 7, 7, 5, 5, 5};
  return (unsigned)m < HS_M_COUNT ? len[m] : 5;
}

const char *hs__method_name(hs__method_t m) {
  return (unsigned)m < HS_M_COUNT ? method_names[m] : "OTHER";
}

const hs__str_t *hs__req_header(const hs__req_t *r, const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < r->nheaders; i++)
    if (hs__str_ieq(r->headers[i].name, name, n))
      return &r->headers[i].value;
  return NULL;
}

int hs__req_query(const hs__req_t *r, const char *key, hs__str_t *val) {
  if (!r->query.ptr)
    return 0;
  size_t klen = strlen(key);
  const char *p = r->query.ptr, *end = p + r->query.len;
  while (p && p < end) {
    const char *amp = memchr(p, '&', (size_t)(end - p));
    const char *pe = amp ? amp : end;
    const char *eq = memchr(p, '=', (size_t)(pe - p));
    const char *ke = eq ? eq : pe;
    if ((size_t)(ke - p) == klen && memcmp(p, key, klen) == 0) {
      val->ptr = eq ? eq + 1 : pe;
      val->len = eq ? (size_t)(pe - eq - 1) : 0;
      return 1;
    }
    p = amp ? amp + 1 : end;
  }
  return 0;
}

/* ASCII case-insensitive equality of a field name with a lower-case literal
 * of the same length (callers switch on the length first). */
static inline int name_is(const char *p, const char *lit, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if ((c >= 'A' && c <= 'Z' ? c | 0x20 : c) != (unsigned char)lit[i])
      return 0;
  }
  return 1;
}
#define NAME_IS(hd, lit) name_is((hd)->name.ptr, lit, sizeof(lit) - 1)

int hs__req_note_field(hs__req_t *r, const hs__hdr_t *hd) {
  switch (hd->name.len) {
  case 4:
    if (NAME_IS(hd, "host"))
      return HS_NOTE_HOST;
    break;
  case 6:
    if (NAME_IS(hd, "accept"))
      r->accept = hd->value;
    else if (NAME_IS(hd, "origin")) {
      if (!r->origin.ptr)
        r->origin = hd->value;
    } else if (NAME_IS(hd, "expect"))
      return HS_NOTE_EXPECT;
    break;
  case 7:
    if (NAME_IS(hd, "referer"))
      r->referer = hd->value;
    else if (NAME_IS(hd, "upgrade"))
      r->upgrade = hd->value;
    break;
  case 10:
    if (NAME_IS(hd, "user-agent"))
      r->user_agent = hd->value;
    break;
  case 15:
    if (NAME_IS(hd, "accept-language"))
      r->accept_language = hd->value;
    break;
  default:
    break;
  }
  return HS_NOTE_OTHER;
}

/* Does the comma-separated field value contain `token` (case-insensitive)? */
int hs__field_has_token(const hs__str_t *v, const char *token) {
  size_t tl = strlen(token);
  if (!v)
    return 0;
  const char *p = v->ptr, *end = v->ptr + v->len;
  while (p < end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
      p++;
    const char *s = p;
    while (p < end && *p != ',')
      p++;
    const char *e = p;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
      e--;
    if ((size_t)(e - s) == tl && hs__str_ieq((hs__str_t){s, tl}, token, tl))
      return 1;
  }
  return 0;
}

void hs__req_set_path(hs__req_t *r, hs__str_t t) {
  const char *s = t.ptr, *end = t.ptr + t.len, *q = s;
  while (q < end && *q != '?' && *q != '#')
    q++;
  r->path.ptr = s;
  r->path.len = (size_t)(q - s);
  if (q < end && *q == '?') {
    const char *f = q + 1;
    while (f < end && *f != '#')
      f++;
    r->query.ptr = q + 1;
    r->query.len = (size_t)(f - q - 1);
  }
}
