/* Werkzeug-compatible request URL (RFC 3986 percent-encoding, RFC 3987 IRI
 * display), see url.h for the rules and the observations behind them. */
#include "httpbin/url.h"

#include <string.h>
#include <strings.h>

#include "base/sbuf.h"
#include "base/str.h"
#include "base/utf8.h"

/* Werkzeug's _always_safe: unreserved characters plus the sub-delims except
 * '&' and '=' (RFC 3986 §2.2-2.3). */
static const unsigned char ALWAYS_SAFE[256] = {
    ['a' ... 'z'] = 1, ['A' ... 'Z'] = 1, ['0' ... '9'] = 1, ['-'] = 1,  ['.'] = 1, ['_'] = 1,
    ['~'] = 1,         ['$'] = 1,         ['!'] = 1,         ['\''] = 1, ['('] = 1, [')'] = 1,
    ['*'] = 1,         ['+'] = 1,         [','] = 1,         [';'] = 1,
};
static int always_safe(unsigned char c) { return ALWAYS_SAFE[c]; }

static void pct(hs__sbuf_t *b, unsigned char c) {
  static const char H[] = "0123456789ABCDEF";
  char t[3] = {'%', H[c >> 4], H[c & 15]};
  hs__sbuf_add(b, t, 3);
}

/* Path: gunicorn's unquote (raw bytes as ISO-8859-1 characters, %XX as bytes)
 * then Werkzeug's UTF-8 decode with U+FFFD; returns the text in *out. */
static void path_text(hs__sbuf_t *out, const char *p, size_t n) {
  hs__sbuf_t bytes = HS_SBUF_INIT;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    int h, l;
    if (c == '%' && i + 2 < n && (h = hs__hexval((unsigned char)p[i + 1])) >= 0 &&
        (l = hs__hexval((unsigned char)p[i + 2])) >= 0) {
      hs__sbuf_addc(&bytes, (char)(h << 4 | l));
      i += 2;
    } else if (c >= 0x80) {
      hs__utf8_put(&bytes, c); /* the character U+00XX, UTF-8 encoded */
    } else {
      hs__sbuf_addc(&bytes, (char)c);
    }
  }
  if (bytes.oom)
    out->oom = 1;
  else
    hs__utf8_sanitize_to(out, bytes.p ? bytes.p : "", bytes.len);
  hs__sbuf_free(&bytes);
}

/* Path display: ASCII outside always-safe and "/:" as %XX, the rest as is. */
static void add_path(hs__sbuf_t *b, const char *p, size_t n) {
  size_t plain = 0; /* the usual path: only characters shown as they are */
  while (plain < n && (always_safe((unsigned char)p[plain]) || p[plain] == '/' || p[plain] == ':'))
    plain++;
  if (plain == n) {
    while (n && *p == '/')
      p++, n--; /* get_current_url lstrips "/" */
    hs__sbuf_addc(b, '/');
    hs__sbuf_add(b, p, n);
    return;
  }
  hs__sbuf_t t = HS_SBUF_INIT;
  path_text(&t, p, n);
  const char *s = t.p ? t.p : "";
  size_t i = 0;
  while (i < t.len && s[i] == '/')
    i++; /* get_current_url lstrips "/" */
  hs__sbuf_addc(b, '/');
  for (; i < t.len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80 || always_safe(c) || c == '/' || c == ':')
      hs__sbuf_addc(b, (char)c);
    else
      pct(b, c);
  }
  if (t.oom)
    b->oom = 1;
  hs__sbuf_free(&t);
}

/* Query display: url_quote(safe=":&%=+$!*'(),") then uri_to_iri (see url.h). */
static void add_query(hs__sbuf_t *b, const char *q, size_t n) {
  size_t plain = 0; /* the usual query: no escapes, nothing to quote */
  while (plain < n && (always_safe((unsigned char)q[plain]) || q[plain] == '&' || q[plain] == '=' ||
                       q[plain] == ':'))
    plain++;
  if (plain == n) {
    hs__sbuf_add(b, q, n);
    return;
  }
  hs__sbuf_t raw = HS_SBUF_INIT; /* after url_unquote: bytes + markers */
  /* Pass 1: decode the %XX that uri_to_iri decodes; remember which output
   * bytes came from an escape that was kept (they are copied as text). */
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)q[i];
    int h, l;
    if (c == '%' && i + 2 < n && (h = hs__hexval((unsigned char)q[i + 1])) >= 0 &&
        (l = hs__hexval((unsigned char)q[i + 2])) >= 0) {
      unsigned char v = (unsigned char)(h << 4 | l);
      if (v >= 0x80 || always_safe(v)) {
        hs__sbuf_addc(&raw, (char)v);
        i += 2;
        continue;
      }
      hs__sbuf_add(&raw, q + i, 3); /* stays as sent, case included */
      i += 2;
      continue;
    }
    if (c >= 0x80 || always_safe(c) || (c && strchr(":&%=+$!*'(),", c))) {
      hs__sbuf_addc(&raw, (char)c); /* high bytes: quoted then decoded back */
    } else {
      pct(&raw, c);
    }
  }
  /* Pass 2: UTF-8 decode; bytes of invalid sequences are re-quoted. */
  const unsigned char *p = (const unsigned char *)(raw.p ? raw.p : ""), *end = p + raw.len;
  while (p < end) {
    if (*p < 0x80) {
      hs__sbuf_addc(b, (char)*p++);
      continue;
    }
    uint32_t cp;
    int k = hs__utf8_next(p, (size_t)(end - p), &cp);
    if (cp == HS_UTF8_BAD) {
      for (int i = 0; i < k; i++)
        pct(b, p[i]);
    } else {
      hs__sbuf_add(b, p, (size_t)k);
    }
    p += k;
  }
  if (raw.oom)
    b->oom = 1;
  hs__sbuf_free(&raw);
}

/* Host as Werkzeug shows it: ":80" (http) / ":443" (https) as sent is
 * dropped; otherwise a port is re-printed as a number ("h:080" → "h:80"), or
 * dropped when it is not a number in 0..65535 (BaseURL.port is None). */
static void add_host(hs__sbuf_t *b, hs__str_t scheme, const char *h, size_t n) {
  const char *colon = NULL;
  const char *rb = memchr(h, ']', n); /* IPv6 literal: the port follows ']' */
  for (const char *c = rb ? rb : h; c < h + n; c++)
    if (*c == ':')
      colon = c;
  if (!colon) {
    hs__latin1_to_utf8(b, h, n); /* WSGI: header bytes are ISO-8859-1 */
    return;
  }
  hs__latin1_to_utf8(b, h, (size_t)(colon - h));
  const char *d = colon + 1;
  size_t dl = (size_t)(h + n - d);
  unsigned long v = 0;
  int ok = dl > 0;
  for (size_t i = 0; ok && i < dl; i++) {
    if (d[i] < '0' || d[i] > '9')
      ok = 0;
    else if ((v = v * 10 + (unsigned long)(d[i] - '0')) > 65535)
      ok = 0;
  }
  int http = scheme.len == 4 && !strncasecmp(scheme.ptr, "http", 4);
  int https = scheme.len == 5 && !strncasecmp(scheme.ptr, "https", 5);
  if (!ok || (http && dl == 2 && !memcmp(d, "80", 2)) || (https && dl == 3 && !memcmp(d, "443", 3)))
    return;
  char t[8];
  size_t k = 0;
  char r[8];
  do
    r[k++] = (char)('0' + v % 10), v /= 10;
  while (v);
  t[0] = ':';
  for (size_t i = 0; i < k; i++)
    t[1 + i] = r[k - 1 - i];
  hs__sbuf_add(b, t, k + 1);
}

char *hb_request_url(hs__str_t scheme, hs__str_t host, hs__str_t target, size_t *len) {
  hs__sbuf_t b = HS_SBUF_INIT;
  hs__sbuf_reserve(&b, 16 + host.len + target.len); /* usually the final size */
  const char *t = target.ptr ? target.ptr : "", *end = t + target.len;
  /* Absolute form: skip "scheme://authority". */
  const char *sep = target.len ? memchr(t, ':', target.len) : NULL;
  if (sep && end - sep >= 3 && sep[1] == '/' && sep[2] == '/' && t[0] != '/') {
    t = sep + 3;
    while (t < end && *t != '/' && *t != '?' && *t != '#')
      t++;
  }
  const char *hash = memchr(t, '#', (size_t)(end - t));
  if (hash)
    end = hash;
  const char *qm = memchr(t, '?', (size_t)(end - t));
  hs__sbuf_add(&b, scheme.ptr ? scheme.ptr : "http", scheme.ptr ? scheme.len : 4);
  hs__sbuf_add(&b, "://", 3);
  add_host(&b, scheme, host.ptr ? host.ptr : "", host.len);
  add_path(&b, t, (size_t)((qm ? qm : end) - t));
  if (qm && end - qm > 1) {
    hs__sbuf_addc(&b, '?');
    add_query(&b, qm + 1, (size_t)(end - qm - 1));
  }
  return hs__sbuf_take(&b, len);
}
