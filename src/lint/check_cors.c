/* CORS response fields (Fetch standard, "HTTP responses" of the CORS
 * protocol) and cookies (RFC 6265, RFC 6265bis). */
#include <string.h>
#include <strings.h>

#include "lint/check.h"

/* scheme "://" host [":" port], nothing after. */
static int is_origin(hs__lspan_t v) {
  const char *s = v.n > 3 ? memmem(v.p, v.n, "://", 3) : NULL;
  if (!s || s == v.p)
    return 0;
  for (const char *p = v.p; p < s; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          *p == '+' || *p == '-' || *p == '.'))
      return 0;
  const char *h = s + 3, *e = v.p + v.n;
  if (h == e)
    return 0;
  for (const char *p = h; p < e; p++)
    if (*p == '/' || *p == '?' || *p == '#' || *p == ' ' || *p == '@' || (unsigned char)*p < 0x21)
      return 0;
  return 1;
}

static int is_number(hs__lspan_t v) {
  int64_t n;
  if (v.n && v.p[0] == '-')
    v = (hs__lspan_t){v.p + 1, v.n - 1};
  return hs__lnumber(v, &n) == 0;
}

static int method_tok(hs__lspan_t it) { return hs__ltoken(it); }

void hs__lcheck_cors(const hs__lmsg_t *m, hs__lresult_t *r) {
  const hs__lfield_t *o = HS__LGET(m, "Access-Control-Allow-Origin");
  const hs__lfield_t *c = HS__LGET(m, "Access-Control-Allow-Credentials");
  int creds = c && hs__ltrim(c->value).n == 4 && memcmp(hs__ltrim(c->value).p, "true", 4) == 0;
  if (c && !creds)
    hs__lemit_s(r, HS__L_CORS_CREDENTIALS_VALUE, c->value);
  if (o) {
    hs__lspan_t v = hs__ltrim(o->value);
    if (memchr(v.p, ',', v.n) || memchr(v.p, ' ', v.n))
      hs__lemit_s(r, HS__L_CORS_ORIGIN_LIST, v);
    else if (v.n == 1 && v.p[0] == '*') {
      if (creds)
        hs__lemit(r, HS__L_CORS_STAR_CREDENTIALS, NULL, 0);
    } else if (v.n == 4 && memcmp(v.p, "null", 4) == 0)
      hs__lemit(r, HS__L_CORS_ORIGIN_NULL, NULL, 0);
    else if (!is_origin(v))
      hs__lemit_s(r, HS__L_CORS_ORIGIN_INVALID, v);
    if (!(v.n == 1 && v.p[0] == '*') && !hs__lhas_token(m->fields, m->nfields, "Vary", "Origin") &&
        !hs__lhas_token(m->fields, m->nfields, "Vary", "*"))
      hs__lemit(r, HS__L_CORS_NO_VARY_ORIGIN, NULL, 0);
  }
  const hs__lfield_t *ma = HS__LGET(m, "Access-Control-Max-Age");
  if (ma && !is_number(hs__ltrim(ma->value)))
    hs__lemit_s(r, HS__L_CORS_MAX_AGE_INVALID, ma->value);
  static const char *const wild[] = {"Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
                                     "Access-Control-Expose-Headers", NULL};
  for (size_t k = 0; creds && wild[k]; k++)
    if (hs__lhas_token(m->fields, m->nfields, wild[k], "*"))
      hs__lemit(r, HS__L_CORS_WILDCARD_CREDENTIALS, wild[k], strlen(wild[k]));
  hs__lspan_t bad;
  if (!hs__lall_items(m->fields, m->nfields, "Access-Control-Allow-Methods", method_tok, &bad))
    hs__lemit_s(r, HS__L_CORS_METHODS_INVALID, bad);
}

/* A cookie date: an HTTP-date, or the Netscape form "Wdy, DD-Mon-YYYY ...". */
static int cookie_date(hs__lspan_t v) {
  int64_t t;
  if (hs__ldate(v, &t) >= 0)
    return 1;
  char b[40];
  if (v.n >= sizeof b)
    return 0;
  memcpy(b, v.p, v.n);
  for (size_t i = 0; i < v.n; i++)
    if (b[i] == '-')
      b[i] = ' ';
  return hs__ldate((hs__lspan_t){b, v.n}, &t) >= 0;
}

static const char *const attrs[] = {"expires",  "max-age",  "domain",      "path",     "secure",
                                    "httponly", "samesite", "partitioned", "priority", NULL};

/* One Set-Cookie value: "name=value *( ; attribute )" (RFC 6265 §4.1.1). */
static void cookie(const hs__lmsg_t *m, hs__lresult_t *r, hs__lspan_t v, size_t idx) {
  const char *semi = memchr(v.p, ';', v.n);
  hs__lspan_t pair = hs__ltrim((hs__lspan_t){v.p, semi ? (size_t)(semi - v.p) : v.n});
  const char *eq = memchr(pair.p, '=', pair.n);
  hs__lspan_t name = hs__ltrim((hs__lspan_t){pair.p, eq ? (size_t)(eq - pair.p) : 0});
  if (!eq || !hs__ltoken(name)) {
    hs__lemit_s(r, HS__L_COOKIE_SYNTAX, pair);
    return;
  }
  if (pair.n > 4096)
    hs__lemit_s(r, HS__L_COOKIE_TOO_LARGE, name);
  int secure = 0, httponly = 0, domain = 0, path_root = 0, none = 0;
  hs__lspan_t rest =
      semi ? (hs__lspan_t){semi + 1, (size_t)(v.p + v.n - semi - 1)} : (hs__lspan_t){NULL, 0};
  while (rest.n) {
    const char *s2 = memchr(rest.p, ';', rest.n);
    hs__lspan_t a = hs__ltrim((hs__lspan_t){rest.p, s2 ? (size_t)(s2 - rest.p) : rest.n});
    rest = s2 ? (hs__lspan_t){s2 + 1, (size_t)(rest.p + rest.n - s2 - 1)} : (hs__lspan_t){NULL, 0};
    if (!a.n)
      continue;
    const char *ae = memchr(a.p, '=', a.n);
    hs__lspan_t an = hs__ltrim((hs__lspan_t){a.p, ae ? (size_t)(ae - a.p) : a.n});
    hs__lspan_t av =
        ae ? hs__ltrim((hs__lspan_t){ae + 1, (size_t)(a.p + a.n - ae - 1)}) : (hs__lspan_t){"", 0};
    int known = 0;
    for (size_t k = 0; attrs[k]; k++)
      known |= hs__lspan_eq(an, attrs[k]);
    if (!known)
      hs__lemit_s(r, HS__L_COOKIE_UNKNOWN_ATTRIBUTE, an);
    secure |= hs__lspan_eq(an, "secure");
    httponly |= hs__lspan_eq(an, "httponly");
    domain |= hs__lspan_eq(an, "domain");
    if (hs__lspan_eq(an, "path"))
      path_root = av.n == 1 && av.p[0] == '/';
    if (hs__lspan_eq(an, "samesite")) {
      none = hs__lspan_eq(av, "none");
      if (!none && !hs__lspan_eq(av, "lax") && !hs__lspan_eq(av, "strict"))
        hs__lemit_s(r, HS__L_COOKIE_SAMESITE_INVALID, av);
    }
    if (hs__lspan_eq(an, "expires") && !cookie_date(av))
      hs__lemit_s(r, HS__L_COOKIE_EXPIRES_INVALID, av);
    if (hs__lspan_eq(an, "max-age") && !is_number(av))
      hs__lemit_s(r, HS__L_COOKIE_MAX_AGE_INVALID, av);
  }
  if (none && !secure)
    hs__lemit_s(r, HS__L_COOKIE_SAMESITE_NONE_INSECURE, name);
  if (secure && m->tls == 0)
    hs__lemit_s(r, HS__L_COOKIE_SECURE_OVER_HTTP, name);
  if ((hs__lspan_prefix(name, "__Secure-") && !secure) ||
      (hs__lspan_prefix(name, "__Host-") && (!secure || domain || !path_root)))
    hs__lemit_s(r, HS__L_COOKIE_PREFIX, name);
  char low[64];
  size_t ln = name.n < sizeof low - 1 ? name.n : sizeof low - 1;
  for (size_t k = 0; k < ln; k++)
    low[k] = (char)((name.p[k] >= 'A' && name.p[k] <= 'Z') ? name.p[k] + 32 : name.p[k]);
  low[ln] = '\0';
  if (!httponly &&
      (strstr(low, "sess") || !strcmp(low, "sid") || (ln > 4 && !strcmp(low + ln - 4, ".sid"))))
    hs__lemit_s(r, HS__L_COOKIE_NO_HTTPONLY_SESSION, name);
  /* the same name set earlier in this response */
  for (size_t i = 0, seen = 0; i < m->nfields && seen < idx; i++) {
    if (!hs__lspan_eq(m->fields[i].name, "Set-Cookie"))
      continue;
    seen++;
    hs__lspan_t o = hs__ltrim(m->fields[i].value);
    const char *oe = memchr(o.p, '=', o.n);
    if (oe && (size_t)(oe - o.p) == name.n && memcmp(o.p, name.p, name.n) == 0)
      hs__lemit_s(r, HS__L_COOKIE_DUPLICATE, name);
  }
}

void hs__lcheck_cookies(const hs__lmsg_t *m, hs__lresult_t *r) {
  size_t idx = 0;
  for (size_t i = 0; i < m->nfields; i++)
    if (hs__lspan_eq(m->fields[i].name, "Set-Cookie"))
      cookie(m, r, hs__ltrim(m->fields[i].value), idx++);
}
