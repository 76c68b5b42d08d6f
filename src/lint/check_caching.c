/* Caching and negotiation rules: Cache-Control (RFC 9111 §5.2), Expires
 * (§5.3), heuristic freshness (§4.2.2), validators (RFC 9110 §8.8), Vary and
 * proactive negotiation (RFC 9110 §12). */
#include <string.h>
#include <strings.h>

#include "httpstatus/registry.h"
#include "lint/check.h"

typedef struct cc_s {
  int max_age, s_maxage, no_store, no_cache, public_, private_, immutable;
  int64_t max_age_v;
} cc_t;

static const char *const response_dirs[] = {"max-age",          "s-maxage",
                                            "no-cache",         "no-store",
                                            "no-transform",     "must-revalidate",
                                            "proxy-revalidate", "must-understand",
                                            "private",          "public",
                                            "immutable",        "stale-while-revalidate",
                                            "stale-if-error",   NULL};
static const char *const request_dirs[] = {"max-stale", "min-fresh", "only-if-cached", NULL};
static const char *const numeric_dirs[] = {"max-age", "s-maxage", "stale-while-revalidate",
                                           "stale-if-error", NULL};

static int in(hs__lspan_t s, const char *const *list) {
  for (size_t k = 0; list[k]; k++)
    if (hs__lspan_eq(s, list[k]))
      return 1;
  return 0;
}

/* One directive "name[=value]"; updates *c and reports syntax problems. */
static void directive(hs__lspan_t it, cc_t *c, hs__lresult_t *r, hs__lspan_t *seen, size_t *nseen) {
  const char *eq = memchr(it.p, '=', it.n);
  hs__lspan_t name = hs__ltrim((hs__lspan_t){it.p, eq ? (size_t)(eq - it.p) : it.n});
  hs__lspan_t val = eq ? hs__ltrim((hs__lspan_t){eq + 1, (size_t)(it.p + it.n - eq - 1)})
                       : (hs__lspan_t){NULL, 0};
  if (!hs__ltoken(name) || (eq && !val.n)) {
    hs__lemit_s(r, HS__L_CC_SYNTAX, it);
    return;
  }
  for (size_t k = 0; k < *nseen; k++)
    if (seen[k].n == name.n && strncasecmp(seen[k].p, name.p, name.n) == 0)
      hs__lemit_s(r, HS__L_CC_DUPLICATE, name);
  if (*nseen < 32)
    seen[(*nseen)++] = name;
  if (in(name, request_dirs)) {
    hs__lemit_s(r, HS__L_CC_REQUEST_ONLY, name);
    return;
  }
  if (!in(name, response_dirs)) {
    hs__lemit_s(r, HS__L_CC_UNKNOWN, name);
    return;
  }
  if (in(name, numeric_dirs)) {
    if (!eq) {
      hs__lemit_s(r, HS__L_CC_SYNTAX, it);
      return;
    }
    if (val.n >= 2 && val.p[0] == '"' && val.p[val.n - 1] == '"') {
      hs__lemit_s(r, HS__L_CC_QUOTED_NUMBER, it);
      val = (hs__lspan_t){val.p + 1, val.n - 2};
    }
    int64_t v;
    if (val.n > 10 && hs__lnumber((hs__lspan_t){val.p, 10}, &v) == 0) {
      int alldig = 1;
      for (size_t k = 0; k < val.n; k++)
        alldig &= val.p[k] >= '0' && val.p[k] <= '9';
      if (alldig) {
        hs__lemit_s(r, HS__L_CC_MAX_AGE_OVERFLOW, it);
        v = 2147483648LL;
      } else {
        hs__lemit_s(r, HS__L_CC_SYNTAX, it);
        return;
      }
    } else if (hs__lnumber(val, &v) < 0) {
      hs__lemit_s(r, HS__L_CC_SYNTAX, it);
      return;
    } else if (v > 2147483648LL) {
      hs__lemit_s(r, HS__L_CC_MAX_AGE_OVERFLOW, it);
    }
    if (hs__lspan_eq(name, "max-age")) {
      c->max_age = 1;
      c->max_age_v = v;
    }
    c->s_maxage |= hs__lspan_eq(name, "s-maxage");
  }
  c->no_store |= hs__lspan_eq(name, "no-store");
  c->no_cache |= hs__lspan_eq(name, "no-cache");
  c->public_ |= hs__lspan_eq(name, "public");
  c->private_ |= hs__lspan_eq(name, "private");
  c->immutable |= hs__lspan_eq(name, "immutable");
}

static void cache_control(const hs__lmsg_t *m, hs__lresult_t *r, cc_t *c) {
  hs__lspan_t seen[32];
  size_t nseen = 0;
  for (size_t i = 0; i < m->nfields; i++) {
    if (!hs__lspan_eq(m->fields[i].name, "Cache-Control"))
      continue;
    hs__lspan_t rest = m->fields[i].value, it;
    while (hs__lnext_item(&rest, &it))
      directive(it, c, r, seen, &nseen);
  }
  if (c->public_ && c->private_)
    hs__lemit(r, HS__L_CC_PUBLIC_PRIVATE, NULL, 0);
  if (c->no_store && (c->max_age || c->s_maxage || c->public_))
    hs__lemit(r, HS__L_CC_NO_STORE_WITH_FRESHNESS, NULL, 0);
  if (c->s_maxage && c->private_)
    hs__lemit(r, HS__L_CC_SMAXAGE_PRIVATE, NULL, 0);
  if (c->immutable && !c->max_age && !c->s_maxage)
    hs__lemit(r, HS__L_CC_IMMUTABLE_NO_LIFETIME, NULL, 0);
}

static int vary_ok(hs__lspan_t it) { return hs__ltoken(it); }

/* The request accepts `coding` (RFC 9110 §12.5.3): listed with q > 0, or "*". */
static int coding_accepted(const hs__lfield_t *ae, hs__lspan_t coding) {
  hs__lspan_t rest = ae->value, it;
  while (hs__lnext_item(&rest, &it)) {
    const char *semi = memchr(it.p, ';', it.n);
    hs__lspan_t name = hs__ltrim((hs__lspan_t){it.p, semi ? (size_t)(semi - it.p) : it.n});
    int zero = semi && memmem(semi, (size_t)(it.p + it.n - semi), "q=0", 3) &&
               !memmem(semi, (size_t)(it.p + it.n - semi), "q=0.", 4);
    if ((hs__lspan_eq(name, "*") ||
         (name.n == coding.n && strncasecmp(name.p, coding.p, coding.n) == 0)) &&
        !zero)
      return 1;
  }
  return 0;
}

/* The request's Accept admits media type `mt` ("text/html"). */
static int type_accepted(const hs__lfield_t *acc, hs__lspan_t mt) {
  const char *slash = memchr(mt.p, '/', mt.n);
  if (!slash)
    return 1;
  size_t tl = (size_t)(slash - mt.p);
  hs__lspan_t rest = acc->value, it;
  while (hs__lnext_item(&rest, &it)) {
    const char *semi = memchr(it.p, ';', it.n);
    hs__lspan_t range = hs__ltrim((hs__lspan_t){it.p, semi ? (size_t)(semi - it.p) : it.n});
    if (hs__lspan_eq(range, "*/*") ||
        (range.n == tl + 2 && strncasecmp(range.p, mt.p, tl + 1) == 0 && range.p[tl + 1] == '*') ||
        (range.n == mt.n && strncasecmp(range.p, mt.p, mt.n) == 0))
      return 1;
  }
  return 0;
}

static void negotiation(const hs__lmsg_t *m, hs__lresult_t *r) {
  hs__lspan_t bad;
  if (!hs__lall_items(m->fields, m->nfields, "Vary", vary_ok, &bad))
    hs__lemit_s(r, HS__L_VARY_INVALID, bad);
  int star = hs__lhas_token(m->fields, m->nfields, "Vary", "*");
  if (star)
    hs__lemit(r, HS__L_VARY_STAR, NULL, 0);
  if (hs__lhas_token(m->fields, m->nfields, "Vary", "User-Agent"))
    hs__lemit(r, HS__L_VARY_USER_AGENT, NULL, 0);
  const hs__lfield_t *ce = HS__LGET(m, "Content-Encoding");
  hs__lspan_t coding = ce ? hs__ltrim(ce->value) : (hs__lspan_t){NULL, 0};
  if (ce && coding.n && !hs__lspan_eq(coding, "identity")) {
    if (!star && !hs__lhas_token(m->fields, m->nfields, "Vary", "Accept-Encoding"))
      hs__lemit_s(r, HS__L_ENCODING_NO_VARY, coding);
    const hs__lfield_t *ae = HS__LREQ(m, "Accept-Encoding");
    if (m->req_known && ae && !coding_accepted(ae, coding))
      hs__lemit_s(r, HS__L_ENCODING_NOT_ACCEPTED, coding);
  }
  const hs__lfield_t *acc = HS__LREQ(m, "Accept"), *ct = HS__LGET(m, "Content-Type");
  if (m->req_known && acc && ct && m->status >= 200 && m->status < 300) {
    hs__lspan_t v = hs__ltrim(ct->value);
    const char *semi = memchr(v.p, ';', v.n);
    hs__lspan_t mt = hs__ltrim((hs__lspan_t){v.p, semi ? (size_t)(semi - v.p) : v.n});
    if (mt.n && !type_accepted(acc, mt))
      hs__lemit_s(r, HS__L_TYPE_NOT_ACCEPTED, mt);
  }
  if (m->req_known && HS__LGET(m, "Content-Language") && HS__LREQ(m, "Accept-Language") && !star &&
      !hs__lhas_token(m->fields, m->nfields, "Vary", "Accept-Language"))
    hs__lemit(r, HS__L_NEGOTIATED_NO_VARY, NULL, 0);
}

void hs__lcheck_caching(const hs__lmsg_t *m, hs__lresult_t *r) {
  cc_t c;
  memset(&c, 0, sizeof c);
  cache_control(m, r, &c);
  const hs__lfield_t *ex = HS__LGET(m, "Expires");
  int64_t t;
  int expires_ok = ex && hs__ldate(ex->value, &t) >= 0;
  if (ex && !expires_ok)
    hs__lemit_s(r, HS__L_EXPIRES_INVALID, ex->value);
  if (ex && c.max_age)
    hs__lemit(r, HS__L_EXPIRES_AND_MAX_AGE, NULL, 0);
  int s = m->status;
  int explicit_fresh = c.max_age || c.s_maxage || ex;
  int has_validator = HS__LGET(m, "ETag") || HS__LGET(m, "Last-Modified");
  if (s >= 200 && hs_cacheable(s) && HS__LGET(m, "Last-Modified") && !explicit_fresh &&
      !c.no_store && !c.no_cache)
    hs__lemit(r, HS__L_HEURISTIC_FRESHNESS, NULL, 0);
  if (s >= 500 && !hs_cacheable(s) && !c.no_store &&
      ((c.max_age && c.max_age_v > 0) || c.s_maxage || expires_ok))
    hs__lemit(r, HS__L_ERROR_MADE_CACHEABLE, NULL, 0);
  if (s == 200 && !c.no_store && ((c.max_age && c.max_age_v > 0) || c.public_) && !has_validator)
    hs__lemit(r, HS__L_NO_VALIDATOR, NULL, 0);
  if (HS__LGET(m, "Set-Cookie") && !c.private_ && !c.no_store && (c.public_ || c.s_maxage))
    hs__lemit(r, HS__L_SET_COOKIE_SHARED_CACHE, NULL, 0);
  const hs__lfield_t *et = HS__LGET(m, "ETag");
  if (et) {
    hs__lspan_t v = hs__ltrim(et->value);
    if (hs__lspan_prefix(v, "W/"))
      v = (hs__lspan_t){v.p + 2, v.n - 2};
    int ok = v.n >= 2 && v.p[0] == '"' && v.p[v.n - 1] == '"';
    for (size_t k = 1; ok && k + 1 < v.n; k++)
      ok = v.p[k] != '"' && (unsigned char)v.p[k] > 0x20 && v.p[k] != 0x7f;
    if (!ok)
      hs__lemit_s(r, HS__L_ETAG_INVALID, et->value);
  }
  negotiation(m, r);
}
