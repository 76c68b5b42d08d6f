/* Redirection rules: Location (RFC 9110 §10.2.2), the 3xx codes (§15.4), and
 * what following them does to the method and the scheme. */
#include <string.h>
#include <strings.h>

#include "lint/check.h"

/* The path (and query) of a URI or request-target: "/a?b" of "http://h/a?b". */
static hs__lspan_t path_of(hs__lspan_t u, hs__lspan_t *authority) {
  authority->p = NULL;
  authority->n = 0;
  const char *s = u.n > 3 ? memmem(u.p, u.n, "://", 3) : NULL;
  if (!s || memchr(u.p, '/', (size_t)(s - u.p)))
    return u;
  const char *a = s + 3, *e = u.p + u.n;
  const char *slash = memchr(a, '/', (size_t)(e - a));
  *authority = (hs__lspan_t){a, slash ? (size_t)(slash - a) : (size_t)(e - a)};
  return slash ? (hs__lspan_t){slash, (size_t)(e - slash)} : (hs__lspan_t){"/", 1};
}

static int same(hs__lspan_t a, hs__lspan_t b) {
  return a.n == b.n && strncasecmp(a.p, b.p, a.n) == 0;
}

/* Location names the request's own target (same authority, path and query). */
static int to_self(const hs__lmsg_t *m, hs__lspan_t loc) {
  if (!m->target.n)
    return 0;
  hs__lspan_t la, ta;
  hs__lspan_t lp = path_of(loc, &la), tp = path_of(m->target, &ta);
  if (la.p) {
    if (!ta.p) {
      const hs__lfield_t *host = HS__LREQ(m, "Host");
      if (!host)
        return 0;
      ta = hs__ltrim(host->value);
    }
    int https = hs__lspan_prefix(loc, "https:");
    if ((m->tls == 1) != https && m->tls >= 0)
      return 0;
    if (!same(la, ta))
      return 0;
  } else if (loc.n == 0 || loc.p[0] != '/' || (loc.n > 1 && loc.p[1] == '/')) {
    return 0; /* dot-segments and network-path references: not compared */
  }
  return lp.n == tp.n && memcmp(lp.p, tp.p, lp.n) == 0;
}

/* `s` with each non-ASCII byte replaced by 'x', in buf (cut to its size). */
static hs__lspan_t ascii_only(hs__lspan_t s, char *buf, size_t cap) {
  size_t n = s.n < cap ? s.n : cap;
  for (size_t i = 0; i < n; i++)
    buf[i] = (unsigned char)s.p[i] >= 0x80 ? 'x' : s.p[i];
  return (hs__lspan_t){buf, n};
}

void hs__lcheck_redirect(const hs__lmsg_t *m, hs__lresult_t *r) {
  int s = m->status;
  char buf[2048];
  const hs__lfield_t *lf = HS__LGET(m, "Location");
  if (lf) {
    hs__lspan_t loc = hs__ltrim(lf->value);
    int high = 0;
    for (size_t k = 0; k < loc.n; k++)
      high |= (unsigned char)loc.p[k] >= 0x80;
    if (high) {
      hs__lemit_s(r, HS__L_LOCATION_NON_ASCII, loc);
      loc = ascii_only(loc, buf, sizeof buf); /* judge the rest of the reference */
    }
    if (!hs__luri_ref(loc) && !memchr(loc.p, '#', loc.n))
      hs__lemit_s(r, HS__L_LOCATION_INVALID, loc);
    else if (memchr(loc.p, '#', loc.n)) {
      const char *h = memchr(loc.p, '#', loc.n);
      hs__lspan_t a = {loc.p, (size_t)(h - loc.p)}, b = {h + 1, (size_t)(loc.p + loc.n - h - 1)};
      if ((a.n && !hs__luri_ref(a)) || (b.n && !hs__luri_ref(b)) || memchr(b.p, '#', b.n))
        hs__lemit_s(r, HS__L_LOCATION_INVALID, loc);
      if (s == 303)
        hs__lemit_s(r, HS__L_LOCATION_FRAGMENT_303, loc);
    }
    hs__lspan_t auth;
    path_of(loc, &auth);
    if (!auth.p && s >= 300 && s < 400)
      hs__lemit_s(r, HS__L_LOCATION_RELATIVE, loc);
    if (!(s >= 300 && s < 400) && s != 201)
      hs__lemit(r, HS__L_LOCATION_NON_REDIRECT, NULL, 0);
    if (s >= 300 && s < 400 && to_self(m, loc))
      hs__lemit_s(r, HS__L_REDIRECT_TO_SELF, loc);
    if (s >= 300 && s < 400 && m->tls == 1 && hs__lspan_prefix(loc, "http:"))
      hs__lemit_s(r, HS__L_REDIRECT_DOWNGRADE, loc);
  }
  if ((s == 301 || s == 302) && m->method.n && !hs__lspan_eq(m->method, "GET") &&
      !hs__lspan_eq(m->method, "HEAD"))
    hs__lemit_s(r, HS__L_REDIRECT_POST_METHOD_CHANGE, m->method);
  if ((s == 301 || s == 308) && hs__lhas_token(m->fields, m->nfields, "Cache-Control", "no-store"))
    hs__lemit(r, HS__L_REDIRECT_PERMANENT_UNCACHEABLE, NULL, 0);
  if (s == 300 && !HS__LGET(m, "Link") && !m->body_seen && m->body_len <= 0)
    hs__lemit(r, HS__L_MULTIPLE_CHOICES_NO_LIST, NULL, 0);
}
