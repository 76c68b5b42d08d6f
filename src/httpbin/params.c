/* Header field parameters as Werkzeug parses them (params.h). */
#include "httpbin/params.h"

#include <string.h>
#include <strings.h>

#include "base/utf8.h"

/* Appends the percent-decoded s[0..n) to b (Werkzeug _unquote_to_bytes: a '%'
 * not followed by two hex digits stays as is); plus=1 maps '+' to ' ' first. */
void hb__pct_decode(hs__sbuf_t *b, const char *s, size_t n, int plus) {
  if (hs__sbuf_reserve(b, n))
    return;
  char *d = b->p + b->len;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    int h, l;
    if (c == '+' && plus) {
      c = ' ';
    } else if (c == '%' && i + 2 < n && (h = hs__hexval((unsigned char)s[i + 1])) >= 0 &&
               (l = hs__hexval((unsigned char)s[i + 2])) >= 0) {
      c = (char)(h << 4 | l);
      i += 2;
    }
    *d++ = c;
  }
  b->len = (size_t)(d - b->p);
  b->p[b->len] = '\0';
}

/* ---- header parameters (Werkzeug parse_options_header) ------------------- */

/* Index just past a quoted string starting at s[i] == '"', or 0 if unclosed. */
static size_t quoted_end(const char *s, size_t i, size_t n) {
  for (i++; i < n; i++) {
    if (s[i] == '\\') {
      if (++i >= n)
        return 0;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return 0;
}

/* Werkzeug unquote_header_value: strip surrounding quotes, then \\ → \ and
 * \" → " (other backslashes stay). */
static void unquote_to(hs__sbuf_t *b, const char *v, size_t n) {
  if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
    v++;
    n -= 2;
    for (size_t i = 0; i < n; i++) {
      if (v[i] == '\\' && i + 1 < n && (v[i + 1] == '\\' || v[i + 1] == '"'))
        i++;
      hs__sbuf_addc(b, v[i]);
    }
    return;
  }
  if (n == 1 && v[0] == '"')
    return; /* value[0] == value[-1] == '"' */
  hs__sbuf_add(b, v, n);
}

/* Finds parameter `name`; see hb_header_param. Returns 1 (value appended to
 * out as UTF-8), 0 absent, -1 out of memory. */
int hb__param_find(hs__str_t hv, const char *name, hs__sbuf_t *out) {
  const char *s = hv.ptr;
  size_t n = hv.len, i = 0, nlen = strlen(name), base = out->len;
  int found = 0;
  while (i < n && hs__is_pyspace((unsigned char)s[i]))
    i++;
  size_t t0 = i;
  while (i < n && s[i] != ';' && s[i] != ',' && !hs__is_pyspace((unsigned char)s[i]))
    i++;
  if (i == t0)
    return 0; /* no media/disposition type: Werkzeug sees no options */
  hs__sbuf_t key = HS_SBUF_INIT, val = HS_SBUF_INIT;
  while (i < n && s[i] == ';') {
    i++;
    while (i < n && hs__is_pyspace((unsigned char)s[i]))
      i++;
    if (i < n && s[i] == ',')
      i++;
    while (i < n && hs__is_pyspace((unsigned char)s[i]))
      i++;
    size_t k0 = i, k1;
    if (i < n && s[i] == '"') {
      if (!(k1 = quoted_end(s, i, n)))
        break;
    } else {
      k1 = i;
      while (k1 < n && !hs__is_pyspace((unsigned char)s[k1]) && !strchr(";,=*", s[k1]))
        k1++;
      if (k1 == i)
        break;
    }
    i = k1;
    int count = 0;
    if (i + 1 < n && s[i] == '*' && s[i + 1] >= '0' && s[i + 1] <= '9') {
      count = 1;
      for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
      }
    }
    while (i < n && hs__is_pyspace((unsigned char)s[i]))
      i++;
    const char *enc = NULL;
    size_t enclen = 0, v0 = i, v1 = i;
    int has_value = 0;
    size_t save = i;
    if (i < n && s[i] == '*') { /* extended notation: *= [charset'lang'] */
      i++;
      while (i < n && hs__is_pyspace((unsigned char)s[i]))
        i++;
      if (i < n && s[i] == '=') {
        i++;
        while (i < n && hs__is_pyspace((unsigned char)s[i]))
          i++;
        has_value = 1;
        size_t q1 = i;
        while (q1 < n && s[q1] != '\'' && !hs__is_pyspace((unsigned char)s[q1]))
          q1++;
        if (q1 < n && s[q1] == '\'' && q1 > i) {
          size_t q2 = q1 + 1;
          while (q2 < n && s[q2] != '\'' && !hs__is_pyspace((unsigned char)s[q2]))
            q2++;
          if (q2 < n && s[q2] == '\'') {
            enc = s + i;
            enclen = q1 - i;
            i = q2 + 1;
          }
        }
      } else {
        i = save;
      }
    } else if (i < n && s[i] == '=') {
      i++;
      while (i < n && hs__is_pyspace((unsigned char)s[i]))
        i++;
      has_value = 1;
    }
    if (has_value) {
      v0 = i;
      size_t qe = (i < n && s[i] == '"') ? quoted_end(s, i, n) : 0;
      if (qe) {
        i = qe;
      } else {
        while (i < n && s[i] != ';' && s[i] != ',')
          i++;
      }
      v1 = i;
    }
    while (i < n && hs__is_pyspace((unsigned char)s[i]))
      i++;
    key.len = 0;
    unquote_to(&key, s + k0, k1 - k0);
    if (key.oom)
      goto oom;
    if (key.len != nlen || strncasecmp(key.p, name, nlen) != 0)
      continue;
    if (!has_value || v1 == v0) { /* "name" or "name=" */
      if (!count) {               /* Werkzeug stores None, which its callers treat as absent */
        out->len = base;
        found = 0;
      }
      continue;
    }
    val.len = 0;
    unquote_to(&val, s + v0, v1 - v0);
    if (val.oom)
      goto oom;
    if (!count)
      out->len = base;
    if (enc) {
      hs__sbuf_t raw = HS_SBUF_INIT;
      hb__pct_decode(&raw, val.p ? val.p : "", val.len, 0);
      int latin1 = (enclen == 10 && !strncasecmp(enc, "iso-8859-1", 10)) ||
                   (enclen == 7 && !strncasecmp(enc, "latin-1", 7)) ||
                   (enclen == 6 && !strncasecmp(enc, "latin1", 6));
      int utf8 = (enclen == 5 && !strncasecmp(enc, "utf-8", 5)) ||
                 (enclen == 4 && !strncasecmp(enc, "utf8", 4));
      int undecodable =
          !raw.oom && !latin1 && (!utf8 || !hs__utf8_valid(raw.p ? raw.p : "", raw.len));
      if (latin1)
        hs__latin1_to_utf8(out, raw.p ? raw.p : "", raw.len);
      else if (!undecodable)
        hs__sbuf_add(out, raw.p ? raw.p : "", raw.len);
      int bad = raw.oom;
      hs__sbuf_free(&raw);
      if (bad)
        goto oom;
      if (undecodable) { /* Werkzeug's strict .decode(charset) raises */
        hs__sbuf_free(&key);
        hs__sbuf_free(&val);
        return -2;
      }
    } else {
      hs__utf8_sanitize_to(out, val.p ? val.p : "", val.len);
    }
    if (out->oom)
      goto oom;
    found = 1;
  }
  hs__sbuf_free(&key);
  hs__sbuf_free(&val);
  return found;
oom:
  hs__sbuf_free(&key);
  hs__sbuf_free(&val);
  return -1;
}

char *hb_header_param(hs__str_t value, const char *name, size_t *len) {
  hs__sbuf_t b = HS_SBUF_INIT;
  if (hb__param_find(value, name, &b) != 1) { /* absent, out of memory, undecodable */
    hs__sbuf_free(&b);
    return NULL;
  }
  return hs__sbuf_take(&b, len);
}
