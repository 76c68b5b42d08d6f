/* Range parsing and multipart/byteranges framing (byteranges.h). */
#include "httpbin/byteranges.h"

#include <strings.h>

/* Reads digits at *p (saturating). Returns 1 if there was at least one. */
static int digits(const char **p, const char *e, unsigned long long *v) {
  const char *s = *p;
  unsigned long long n = 0;
  while (s < e && *s >= '0' && *s <= '9') {
    if (n < (1ULL << 60))
      n = n * 10 + (unsigned)(*s - '0');
    s++;
  }
  *v = n;
  int any = s != *p;
  *p = s;
  return any;
}

int hb_range_parse(hs__str_t v, unsigned long long len, hb_range_t *out) {
  const char *p = v.ptr, *e = v.ptr + v.len;
  while (p < e && hs__is_ows(*p))
    p++;
  if (e - p < 6 || strncasecmp(p, "bytes", 5) != 0)
    return -1;
  p += 5;
  while (p < e && hs__is_ows(*p))
    p++;
  if (p >= e || *p++ != '=')
    return -1;
  int count = 0, specs = 0;
  while (1) {
    while (p < e && (hs__is_ows(*p) || *p == ','))
      p++; /* empty list elements are allowed */
    if (p >= e)
      break;
    unsigned long long a = 0, b = 0;
    int has_a = digits(&p, e, &a);
    if (p >= e || *p++ != '-')
      return -1;
    int has_b = digits(&p, e, &b);
    if (!has_a && !has_b)
      return -1;
    while (p < e && hs__is_ows(*p))
      p++;
    if (p < e && *p != ',')
      return -1;
    if (++specs > HB_RANGE_MAX)
      return -1;
    hb_range_t s;
    if (!has_a) { /* suffix-range: the last b bytes */
      if (b == 0 || len == 0)
        continue;
      s.first = b >= len ? 0 : len - b;
      s.last = len - 1;
    } else {
      if (a >= len || (has_b && b < a))
        continue;
      s.first = a;
      s.last = has_b && b < len ? b : len - 1;
    }
    out[count++] = s;
  }
  return specs ? count : -1;
}

void hb_byteranges_part(hs__buf_t *b, const char *boundary, const char *ctype, uint64_t first,
                        uint64_t last, uint64_t total) {
  hs__buf_printf(b, "--%s\r\nContent-Type: %s\r\nContent-Range: bytes %llu-%llu/%llu\r\n\r\n",
                 boundary, ctype, (unsigned long long)first, (unsigned long long)last,
                 (unsigned long long)total);
}

void hb_byteranges_part_end(hs__buf_t *b) { hs__buf_lit(b, "\r\n"); }

void hb_byteranges_close(hs__buf_t *b, const char *boundary) {
  hs__buf_printf(b, "--%s--\r\n", boundary);
}
