/* String view helpers (str.h). */
#include "base/str.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

int hs__str_ieq(hs__str_t a, const char *b, size_t blen) {
  return a.len == blen && strncasecmp(a.ptr, b, blen) == 0;
}

long hs__pct_decode(hs__str_t src, char *dst, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; i < src.len; i++) {
    unsigned char c = (unsigned char)src.ptr[i];
    if (c == '%') {
      if (i + 2 >= src.len)
        return -1;
      int h = hs__hexval((unsigned char)src.ptr[i + 1]),
          l = hs__hexval((unsigned char)src.ptr[i + 2]);
      if (h < 0 || l < 0)
        return -1;
      c = (unsigned char)(h * 16 + l);
      i += 2;
    }
    if (o >= cap)
      return -1;
    dst[o++] = (char)c;
  }
  return (long)o;
}

int hs__parse_pyint(const char *s, size_t n, long *v) {
  const char *e = s + n;
  while (s < e && hs__is_pyspace((unsigned char)*s))
    s++;
  while (e > s && hs__is_pyspace((unsigned char)e[-1]))
    e--;
  int neg = 0;
  if (s < e && (*s == '+' || *s == '-'))
    neg = *s++ == '-';
  if (s == e || *s < '0' || *s > '9')
    return -1;
  unsigned long x = 0;
  int over = 0;
  for (; s < e; s++) {
    if (*s == '_' && s + 1 < e && s[1] >= '0' && s[1] <= '9' && s[-1] >= '0' && s[-1] <= '9')
      continue;
    if (*s < '0' || *s > '9')
      return -1;
    if (x > ((unsigned long)LONG_MAX - (unsigned long)(*s - '0')) / 10)
      over = 1;
    else
      x = x * 10 + (unsigned long)(*s - '0');
  }
  long r = over ? LONG_MAX : (long)x;
  *v = neg ? -r : r;
  return 0;
}

/* The weight of one member's parameters p[0..end) (after its first ';'):
 * 0..1000, 1000 when there is no q, -1 when the qvalue is malformed. */
static int member_q(const char *p, const char *end) {
  while (p < end) {
    while (p < end && (hs__is_ows((unsigned char)*p) || *p == ';'))
      p++;
    const char *ps = p;
    while (p < end && *p != ';')
      p++;
    const char *pe = p;
    while (pe > ps && hs__is_ows((unsigned char)pe[-1]))
      pe--;
    const char *eq = memchr(ps, '=', (size_t)(pe - ps));
    if (!eq)
      continue;
    const char *ke = eq;
    while (ke > ps && hs__is_ows((unsigned char)ke[-1]))
      ke--;
    if (ke - ps != 1 || (*ps != 'q' && *ps != 'Q'))
      continue;
    const char *v = eq + 1;
    while (v < pe && hs__is_ows((unsigned char)*v))
      v++;
    if (v >= pe || (*v != '0' && *v != '1'))
      return -1;
    int whole = *v++ - '0', frac = 0, digits = 0;
    if (v < pe && *v == '.') {
      for (v++; v < pe && *v >= '0' && *v <= '9' && digits < 3; v++, digits++)
        frac = frac * 10 + (*v - '0');
    }
    if (v != pe)
      return -1;
    while (digits < 3)
      frac *= 10, digits++;
    int q = whole * 1000 + frac;
    return q > 1000 ? -1 : q;
  }
  return 1000;
}

int hs__qlist_next(const char **p, const char *end, hs__str_t *value, int *q) {
  const char *s = *p;
  while (s && s < end) {
    while (s < end && (hs__is_ows((unsigned char)*s) || *s == ','))
      s++;
    const char *m = s;
    while (s < end && *s != ',')
      s++;
    const char *me = s, *semi = memchr(m, ';', (size_t)(me - m));
    const char *ve = semi ? semi : me;
    while (ve > m && hs__is_ows((unsigned char)ve[-1]))
      ve--;
    if (ve == m)
      continue;
    int w = semi ? member_q(semi, me) : 1000;
    if (w < 0)
      continue;
    *p = s;
    *value = (hs__str_t){m, (size_t)(ve - m)};
    *q = w;
    return 1;
  }
  *p = s;
  return 0;
}
