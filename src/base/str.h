/* String views and header fields: {ptr, len} pairs pointing into memory that
 * someone else owns (a read buffer, a literal), and the byte-level helpers
 * every layer needs (case-insensitive compare, hex digits, tokens,
 * percent-decoding). No allocation here. */
#ifndef HS_BASE_STR_H
#define HS_BASE_STR_H

#include <stddef.h>
#include <stdint.h>

typedef struct hs_str_s {
  const char *ptr;
  size_t len;
} hs_str_t;

#define HS_STR(lit) ((hs_str_t){(lit), sizeof(lit) - 1})

/* One header (or trailer) field: a name and a value, both views. */
typedef struct hs_hdr_s {
  hs_str_t name;
  hs_str_t value;
} hs_hdr_t;

/* Case-insensitive comparison of a view with a string of known length. */
int hs__str_ieq(hs_str_t a, const char *b, size_t blen);

/* Percent-decodes src into dst (at most cap bytes). Returns the decoded length,
 * or -1 on a malformed escape or overflow. '+' is kept as is. */
long hs__pct_decode(hs_str_t src, char *dst, size_t cap);

/* Value of one hexadecimal digit, or -1 (RFC 3986 §2.1 percent-encoding). */
static inline int hs__hexval(unsigned char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* RFC 9110 §5.6.2 tchar. */
static inline int hs__is_tchar(unsigned char c) {
  static const char tchars[] = "!#$%&'*+-.^_`|~";
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
    return 1;
  for (const char *t = tchars; *t; t++)
    if (c == (unsigned char)*t)
      return 1;
  return 0;
}

#endif
