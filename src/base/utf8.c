/* UTF-8 validation and U+FFFD repair (RFC 3629; Unicode 15 §3.9 Table 3-7,
 * "U+FFFD substitution of maximal subparts", as CPython's decoder does). */
#include "base/utf8.h"

/* Allowed range of the second byte for each lead byte (Table 3-7); the third
 * and fourth bytes are always 80..BF. */
int hs__utf8_next(const unsigned char *s, size_t n, uint32_t *cp) {
  unsigned c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  int len;
  unsigned lo = 0x80, hi = 0xBF;
  uint32_t v;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    v = c & 0x0F;
    if (c == 0xE0)
      lo = 0xA0; /* no overlongs */
    else if (c == 0xED)
      hi = 0x9F; /* no surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    v = c & 0x07;
    if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F; /* <= U+10FFFF */
  } else {
    *cp = HS_UTF8_BAD;
    return 1;
  }
  for (int i = 1; i < len; i++) {
    if ((size_t)i >= n) {
      *cp = HS_UTF8_BAD;
      return i;
    }
    unsigned t = s[i];
    unsigned l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
    if (t < l || t > h) {
      *cp = HS_UTF8_BAD;
      return i;
    }
    v = (v << 6) | (t & 0x3F);
  }
  *cp = v;
  return len;
}

int hs__utf8_valid(const char *s, size_t n) {
  if (!n)
    return 1;
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  while (p < end) {
    if (*p < 0x80) {
      p++;
      continue;
    }
    uint32_t cp;
    int k = hs__utf8_next(p, (size_t)(end - p), &cp);
    if (cp == HS_UTF8_BAD)
      return 0;
    p += k;
  }
  return 1;
}

void hs__utf8_put(hs__sbuf_t *b, uint32_t cp) {
  char t[4];
  size_t k;
  if (cp < 0x80) {
    t[0] = (char)cp;
    k = 1;
  } else if (cp < 0x800) {
    t[0] = (char)(0xC0 | (cp >> 6));
    t[1] = (char)(0x80 | (cp & 0x3F));
    k = 2;
  } else if (cp < 0x10000) {
    t[0] = (char)(0xE0 | (cp >> 12));
    t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    t[2] = (char)(0x80 | (cp & 0x3F));
    k = 3;
  } else {
    t[0] = (char)(0xF0 | (cp >> 18));
    t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    t[3] = (char)(0x80 | (cp & 0x3F));
    k = 4;
  }
  hs__sbuf_add(b, t, k);
}

/* Copies valid runs as is and each maximal invalid subpart as U+FFFD. */
void hs__utf8_sanitize_to(hs__sbuf_t *b, const char *s, size_t n) {
  if (!n) {
    hs__sbuf_reserve(b, 0); /* the result is "" rather than NULL */
    return;
  }
  const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
  hs__sbuf_reserve(b, n);
  while (p < end) {
    if (*p < 0x80) {
      p++;
      continue;
    }
    uint32_t cp;
    int k = hs__utf8_next(p, (size_t)(end - p), &cp);
    if (cp == HS_UTF8_BAD) {
      hs__sbuf_add(b, run, (size_t)(p - run));
      hs__sbuf_add(b, "\xEF\xBF\xBD", 3);
      run = p + k;
    }
    p += k;
  }
  hs__sbuf_add(b, run, (size_t)(p - run));
}

/* ASCII runs are copied whole; each byte >= 0x80 becomes U+0080..U+00FF
 * (two bytes of UTF-8). */
void hs__latin1_to_utf8(hs__sbuf_t *b, const char *s, size_t n) {
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80)
      continue;
    hs__sbuf_add(b, s + run, i - run);
    char t[2] = {(char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3F))};
    hs__sbuf_add(b, t, 2);
    run = i + 1;
  }
  hs__sbuf_add(b, s + run, n - run);
}

char *hs__utf8_sanitize(const char *s, size_t n, size_t *out_len) {
  hs__sbuf_t b = HS_SBUF_INIT;
  hs__utf8_sanitize_to(&b, s, n);
  return hs__sbuf_take(&b, out_len);
}
