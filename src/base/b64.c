/* Base64 / base64url, RFC 4648 §4-5; lenient mode follows CPython 3.11
 * binascii.a2b_base64(strict_mode=False) behaviour (described in b64.h). */
#include "base/b64.h"

#include <stdlib.h>

static const char STD[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t hs__b64_encoded_len(size_t n, int flags) {
  if (flags & HS_B64_NOPAD)
    return n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
  return (n + 2) / 3 * 4;
}

size_t hs__b64_encode(const void *src, size_t n, char *dst, int flags) {
  const uint8_t *s = src;
  const char *a = (flags & HS_B64_URL) ? URL : STD;
  char *d = dst;
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
    *d++ = a[v >> 18];
    *d++ = a[(v >> 12) & 63];
    *d++ = a[(v >> 6) & 63];
    *d++ = a[v & 63];
  }
  size_t rest = n - i;
  if (rest) {
    uint32_t v = (uint32_t)s[i] << 16 | (rest == 2 ? (uint32_t)s[i + 1] << 8 : 0);
    *d++ = a[v >> 18];
    *d++ = a[(v >> 12) & 63];
    if (rest == 2)
      *d++ = a[(v >> 6) & 63];
    if (!(flags & HS_B64_NOPAD)) {
      if (rest == 1)
        *d++ = '=';
      *d++ = '=';
    }
  }
  *d = '\0';
  return (size_t)(d - dst);
}

char *hs__b64_encode_alloc(const void *src, size_t n, int flags, size_t *out_len) {
  size_t len = hs__b64_encoded_len(n, flags);
  if (len < n)
    return NULL; /* overflow */
  char *out = malloc(len + 1);
  if (!out)
    return NULL;
  size_t w = hs__b64_encode(src, n, out, flags);
  if (out_len)
    *out_len = w;
  return out;
}

/* Value of c in the alphabet(s) allowed by flags, or -1. The lenient URL mode
 * takes both alphabets (urlsafe_b64decode translates, then decodes std). */
static int val(unsigned char c, int flags) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  int url = flags & HS_B64_URL, len = flags & HS_B64_LENIENT;
  if (c == '+' && (!url || len))
    return 62;
  if (c == '/' && (!url || len))
    return 63;
  if (c == '-' && url)
    return 62;
  if (c == '_' && url)
    return 63;
  return -1;
}

/* CPython's non-strict loop: skip junk, '=' completes a quantum of >= 2. */
static long decode_lenient(const char *src, size_t n, uint8_t *dst, int flags) {
  uint8_t *d = dst;
  int quad = 0, pads = 0;
  unsigned left = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)src[i];
    if (c == '=') {
      if (quad >= 2 && quad + ++pads >= 4)
        return (long)(d - dst);
      continue;
    }
    int v = val(c, flags);
    if (v < 0)
      continue;
    pads = 0;
    switch (quad) {
    case 0:
      left = (unsigned)v;
      quad = 1;
      break;
    case 1:
      *d++ = (uint8_t)(left << 2 | (unsigned)v >> 4);
      left = (unsigned)v & 0x0F;
      quad = 2;
      break;
    case 2:
      *d++ = (uint8_t)(left << 4 | (unsigned)v >> 2);
      left = (unsigned)v & 0x03;
      quad = 3;
      break;
    default:
      *d++ = (uint8_t)(left << 6 | (unsigned)v);
      quad = 0;
      break;
    }
  }
  return quad ? -1 : (long)(d - dst);
}

/* RFC 4648: alphabet only, canonical padding, zero pad bits. */
static long decode_strict(const char *src, size_t n, uint8_t *dst, int flags) {
  size_t pad = 0;
  while (pad < 2 && n > pad && src[n - 1 - pad] == '=')
    pad++;
  size_t m = n - pad; /* data characters */
  if (m % 4 == 1)
    return -1;
  if (pad) {
    if ((m + pad) % 4 != 0)
      return -1;
  } else if (m % 4 && !(flags & HS_B64_NOPAD)) {
    return -1;
  }
  uint8_t *d = dst;
  uint32_t acc = 0;
  size_t k = 0;
  for (size_t i = 0; i < m; i++) {
    int v = val((unsigned char)src[i], flags & ~HS_B64_LENIENT);
    if (v < 0)
      return -1;
    acc = acc << 6 | (uint32_t)v;
    if (++k == 4) {
      *d++ = (uint8_t)(acc >> 16);
      *d++ = (uint8_t)(acc >> 8);
      *d++ = (uint8_t)acc;
      acc = 0;
      k = 0;
    }
  }
  if (k == 2) {
    if (acc & 0x0F)
      return -1;
    *d++ = (uint8_t)(acc >> 4);
  } else if (k == 3) {
    if (acc & 0x03)
      return -1;
    *d++ = (uint8_t)(acc >> 10);
    *d++ = (uint8_t)(acc >> 2);
  }
  return (long)(d - dst);
}

long hs__b64_decode(const char *src, size_t n, uint8_t *dst, int flags) {
  if (flags & HS_B64_LENIENT)
    return decode_lenient(src, n, dst, flags);
  return decode_strict(src, n, dst, flags);
}
