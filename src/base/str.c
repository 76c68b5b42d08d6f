/* String view helpers (str.h). */
#include "base/str.h"

#include <strings.h>

int hs__str_ieq(hs_str_t a, const char *b, size_t blen) {
  return a.len == blen && strncasecmp(a.ptr, b, blen) == 0;
}

long hs__pct_decode(hs_str_t src, char *dst, size_t cap) {
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
