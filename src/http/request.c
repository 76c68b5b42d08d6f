/* Request helpers: method names, header and query look-ups, percent-decoding. */
#include "http/request.h"

#include <string.h>
#include <strings.h>

static const char *const method_names[HS_M_COUNT] = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "OTHER"};

size_t hs__method_name_len(hs_method_t m) {
  static const uint8_t len[HS_M_COUNT] = {3, 4, 4, 3, 6, 7, 7, 5, 5, 5};
  return (unsigned)m < HS_M_COUNT ? len[m] : 5;
}

const char *hs__method_name(hs_method_t m) {
  return (unsigned)m < HS_M_COUNT ? method_names[m] : "OTHER";
}

const hs_str_t *hs__req_header(const hs_req_t *r, const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < r->nheaders; i++)
    if (hs__str_ieq(r->headers[i].name, name, n))
      return &r->headers[i].value;
  return NULL;
}

int hs__req_query(const hs_req_t *r, const char *key, hs_str_t *val) {
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
