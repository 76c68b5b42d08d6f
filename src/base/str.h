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
} hs__str_t;

#define HS_STR(lit) ((hs__str_t){(lit), sizeof(lit) - 1})

/* One header (or trailer) field: a name and a value, both views. */
typedef struct hs_hdr_s {
  hs__str_t name;
  hs__str_t value;
} hs__hdr_t;

/* Case-insensitive comparison of a view with a string of known length. */
int hs__str_ieq(hs__str_t a, const char *b, size_t blen);

/* Percent-decodes src into dst (at most cap bytes). Returns the decoded length,
 * or -1 on a malformed escape or overflow. '+' is kept as is. */
long hs__pct_decode(hs__str_t src, char *dst, size_t cap);

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

/* RFC 9110 §5.6.3 OWS: a space or a horizontal tab. */
static inline int hs__is_ows(unsigned char c) { return c == ' ' || c == '\t'; }

/* Python's str.isspace() / bytes.strip() in ASCII: space, \t \n \v \f \r
 * (what httpbin's int(), float() and strip() skip). */
static inline int hs__is_pyspace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Python's int(s) on s[0..n): surrounding Python whitespace, an optional sign,
 * digits with single '_' between them. Returns 0 and *v (saturated at
 * ±LONG_MAX), or -1 when int() would raise. */
int hs__parse_pyint(const char *s, size_t n, long *v);

/* RFC 9110 §5.6.1, §12.4.2: the next member of a comma-separated list with
 * weights (Accept, Accept-Encoding, Accept-Language). Reads from *p up to
 * `end` and advances *p. Returns 1 with the member's value (no parameters, no
 * surrounding OWS) in *value and its weight in *q (0..1000; 1000 without a
 * q parameter), 0 at the end of the list. Empty members and members whose
 * qvalue is malformed (not 0[.ddd] or 1[.000]) are skipped. */
int hs__qlist_next(const char **p, const char *end, hs__str_t *value, int *q);

#endif
