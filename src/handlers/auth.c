/* httpbin's authentication endpoints (docs/httpbin-compat.md, section 3):
 * /basic-auth/{user}/{passwd}, /hidden-basic-auth/{user}/{passwd}, /bearer and
 * /digest-auth/{qop}/{user}/{passwd}[/{algorithm}[/{stale_after}]]
 * (RFC 7617, RFC 6750, RFC 7616 via src/httpbin/digest.h). */
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/b64.h"
#include "base/utf8.h"
#include "handlers/cookies.h"
#include "handlers/hb_args.h"
#include "handlers/hb_request.h"
#include "handlers/hb_send.h"
#include "handlers/routes.h"
#include "http/ctx.h"
#include "httpbin/digest.h"
#include "httpbin/form.h"

#define HTML_CTYPE "text/html; charset=utf-8"
#define REALM "me@kennethreitz.com"
#define MAX_SEGS 5

/* The tail split at '/' into percent-decoded segments (each malloc'd UTF-8). */
typedef struct {
  char *s[MAX_SEGS];
  size_t len[MAX_SEGS];
  int n;
} segs_t;

static void segs_free(segs_t *g) {
  for (int i = 0; i < g->n; i++)
    free(g->s[i]);
  g->n = 0;
}

/* Splits x->tail into min..max non-empty segments (Werkzeug's default
 * converter: no '/', at least one character). Returns 0, or answers 404 (or
 * 500) and returns -1. */
static int split_tail(hs__exchange_t *x, segs_t *g, int min, int max, const char *usage) {
  hs__str_t t = x->tail;
  g->n = 0;
  size_t i = 0;
  while (1) {
    size_t j = i;
    while (j < t.len && t.ptr[j] != '/')
      j++;
    if (j == i || g->n == max)
      goto not_found;
    g->s[g->n] = hs__hb_segment(t.ptr + i, j - i, &g->len[g->n]);
    if (!g->s[g->n]) {
      segs_free(g);
      hs__resp_error(x, 500, "Out of memory.", NULL);
      return -1;
    }
    g->n++;
    if (j == t.len)
      break;
    i = j + 1;
  }
  if (g->n >= min)
    return 0;
not_found:
  segs_free(g);
  hs__resp_error(x, 404, usage, NULL);
  return -1;
}

/* {"authenticated": true, key: value} with optional extra header fields. */
static void send_ok(hs__exchange_t *x, const char *key, const char *val, size_t vlen,
                    const hs__fields_t *extra) {
  json_t *v = json_pack("{s:b,s:s%}", "authenticated", 1, key, val, vlen);
  if (!v) {
    hs__resp_error(x, 500, "Out of memory.", NULL);
    return;
  }
  hs__hb_send_json(x, 200, v, extra);
  json_decref(v);
}

/* ---- Basic (RFC 7617) -------------------------------------------------------- */

/* Werkzeug's parse_authorization_header for "Basic": the value split at the
 * first whitespace run, base64 decoded leniently (CPython's b64decode without
 * validate), split at the first ':', both halves valid UTF-8. Returns 1 and the
 * decoded "user:pass" in *buf (malloc'd) with the colon at *colon, else 0. */
static int basic_credentials(const hs__str_t *h, char **buf, size_t *len, size_t *colon) {
  const char *s = h->ptr, *e = h->ptr + h->len;
  while (s < e && (*s == ' ' || *s == '\t'))
    s++;
  const char *sp = s;
  while (sp < e && *sp != ' ' && *sp != '\t')
    sp++;
  if (!hs__str_ieq((hs__str_t){s, (size_t)(sp - s)}, "basic", 5))
    return 0;
  while (sp < e && (*sp == ' ' || *sp == '\t'))
    sp++;
  if (sp == e)
    return 0;
  for (const char *p = sp; p < e; p++)
    if ((unsigned char)*p >= 0x80)
      return 0; /* b64decode(str) wants ASCII */
  uint8_t *out = malloc(hs__b64_decoded_max((size_t)(e - sp)) + 1);
  if (!out)
    return 0;
  long n = hs__b64_decode(sp, (size_t)(e - sp), out, HS_B64_LENIENT);
  uint8_t *c = n > 0 ? memchr(out, ':', (size_t)n) : NULL;
  if (!c || !hs__utf8_valid((const char *)out, (size_t)n)) {
    free(out);
    return 0;
  }
  *buf = (char *)out;
  *len = (size_t)n;
  *colon = (size_t)(c - out);
  return 1;
}

/* /basic-auth and /hidden-basic-auth: 200 with the user when the Basic
 * credentials are exactly {user}:{passwd}; else 401 + challenge, or for the
 * hidden variant 404. */
static void basic(hs__exchange_t *x, int hidden) {
  segs_t g;
  if (split_tail(x, &g, 2, 2, "No such endpoint; use /basic-auth/{user}/{passwd}."))
    return;
  const hs__str_t *h = hs__req_header(x->req, "Authorization");
  char *cred = NULL;
  size_t clen = 0, colon = 0;
  int ok = h && basic_credentials(h, &cred, &clen, &colon) && colon == g.len[0] &&
           memcmp(cred, g.s[0], colon) == 0 && clen - colon - 1 == g.len[1] &&
           memcmp(cred + colon + 1, g.s[1], g.len[1]) == 0;
  free(cred);
  if (ok) {
    send_ok(x, "user", g.s[0], g.len[0], NULL);
  } else {
    hs__resp_t r;
    hs__resp_begin(&r, x, hidden ? 404 : 401);
    if (!hidden)
      hs__resp_hdr(&r, HS_H_WWW_AUTHENTICATE, "Basic realm=\"Fake Realm\"", 24);
    hs__resp_end(&r, hidden ? HTML_CTYPE : NULL, NULL, 0);
  }
  segs_free(&g);
}

static void basic_auth(hs__exchange_t *x) { basic(x, 0); }
static void hidden_basic_auth(hs__exchange_t *x) { basic(x, 1); }

/* ---- Bearer (RFC 6750) ------------------------------------------------------- */

/* /bearer: "Bearer TOKEN" (scheme case-insensitive, RFC 9110 §11.1; exactly
 * two fields like go-httpbin) → 200 with the token; else 401 +
 * WWW-Authenticate: Bearer (difference 10). */
static void bearer(hs__exchange_t *x) {
  const hs__str_t *h = hs__req_header(x->req, "Authorization");
  const char *tok = NULL;
  size_t tlen = 0;
  if (h) {
    const char *s = h->ptr, *e = h->ptr + h->len;
    while (s < e && (*s == ' ' || *s == '\t'))
      s++;
    const char *sp = s;
    while (sp < e && *sp != ' ' && *sp != '\t')
      sp++;
    const char *t = sp;
    while (t < e && (*t == ' ' || *t == '\t'))
      t++;
    const char *te = t;
    while (te < e && *te != ' ' && *te != '\t')
      te++;
    const char *rest = te;
    while (rest < e && (*rest == ' ' || *rest == '\t'))
      rest++;
    if (hs__str_ieq((hs__str_t){s, (size_t)(sp - s)}, "bearer", 6) && te > t && rest == e) {
      tok = t;
      tlen = (size_t)(te - t);
    }
  }
  if (!tok) {
    hs__resp_t r;
    hs__resp_begin(&r, x, 401);
    hs__resp_hdr(&r, HS_H_WWW_AUTHENTICATE, "Bearer", 6);
    hs__resp_end(&r, HTML_CTYPE, NULL, 0);
    return;
  }
  size_t n;
  char *clean = hs__utf8_sanitize(tok, tlen, &n);
  if (!clean)
    hs__resp_error(x, 500, "Out of memory.", NULL);
  else
    send_ok(x, "token", clean, n, NULL);
  free(clean);
}

/* ---- Digest (RFC 7616) ------------------------------------------------------- */

/* Python's int(s) - 1 as text (stale_after countdown); "never" when s is not
 * an integer of at most 18 digits (httpbin's next_stale_after_value). */
static void next_stale_after(const char *s, char *out, size_t cap) {
  while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
    s++;
  int neg = 0;
  if (*s == '+' || *s == '-')
    neg = *s++ == '-';
  long long v = 0;
  int digits = 0;
  while ((*s >= '0' && *s <= '9') || (*s == '_' && digits && s[1] >= '0' && s[1] <= '9')) {
    if (*s != '_')
      v = v * 10 + (*s - '0'), digits++;
    if (digits > 18)
      break;
    s++;
  }
  while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
    s++;
  if (!digits || digits > 18 || *s)
    snprintf(out, cap, "never");
  else
    snprintf(out, cap, "%lld", (neg ? -v : v) - 1);
}

/* Hex digest of `n` random bytes prefixed with `prefix` (nonce / opaque). */
static void random_hex(hs__exchange_t *x, hb_digest_alg_t alg, const char *prefix, char *out) {
  unsigned char buf[160];
  size_t pl = strlen(prefix);
  if (pl > 128)
    pl = 128;
  memcpy(buf, prefix, pl);
  if (RAND_bytes(buf + pl, 10) != 1)
    for (int i = 0; i < 10; i++)
      buf[pl + (size_t)i] = (unsigned char)(hs__ctx_random(x->ctx) * 256);
  if (!hb_digest_hex(alg, buf, pl + 10, out))
    snprintf(out, HB_DIGEST_HEX_MAX, "0");
}

typedef struct {
  unsigned qop; /* offered: HB_QOP_* bits */
  hb_digest_alg_t alg;
  const char *stale_url; /* the URL's stale_after ("never" by default) */
  size_t stale_url_len;
} digest_opts_t;

/* 401 with a fresh challenge and the Set-Cookie lines httpbin adds:
 * stale_after=<URL value>, last_nonce=<nonce used> (when given), fake. */
static void challenge(hs__exchange_t *x, const digest_opts_t *o, int stale,
                      const hs__str_t *last_nonce) {
  char nonce[HB_DIGEST_HEX_MAX], opaque[HB_DIGEST_HEX_MAX], prefix[96], hdr[512];
  snprintf(prefix, sizeof(prefix), "%s:%ld:", x->req->peer ? x->req->peer : "", (long)time(NULL));
  random_hex(x, o->alg, prefix, nonce);
  random_hex(x, o->alg, "", opaque);
  hb_digest_challenge_t c;
  memset(&c, 0, sizeof c);
  c.realm = REALM;
  c.nonce = nonce;
  c.opaque = opaque;
  c.qop = o->qop;
  c.alg = o->alg;
  c.stale = stale;
  size_t hl = hb_digest_challenge(&c, hdr, sizeof hdr);
  hs__fields_t f = HS_FIELDS_INIT;
  hs__cookie_set_field(&f, "stale_after", 11, o->stale_url, o->stale_url_len, 0);
  if (last_nonce)
    hs__cookie_set_field(&f, "last_nonce", 10, last_nonce->ptr, last_nonce->len, 0);
  hs__cookie_set_field(&f, "fake", 4, "fake_value", 10, 0);
  if (hs__fields_oom(&f) || hl >= sizeof hdr) {
    hs__fields_free(&f);
    hs__resp_error(x, 500, "Out of memory.", NULL);
    return;
  }
  hs__resp_t r;
  hs__resp_begin(&r, x, 401);
  hs__resp_hdr(&r, HS_H_WWW_AUTHENTICATE, hdr, hl);
  hs__resp_fields(&r, &f); /* one Set-Cookie field per cookie */
  hs__resp_end(&r, HTML_CTYPE, NULL, 0);
  hs__fields_free(&f);
}

/* The JSON string value of cookie `name`, or NULL. Borrowed from `jar`. */
static const char *cookie(json_t *jar, const char *name, size_t *len) {
  json_t *v = json_object_get(jar, name);
  if (len)
    *len = json_string_length(v);
  return json_string_value(v);
}

/* The request-target as the client put it in the digest uri: path?query. */
static hs__str_t request_uri(const hs__req_t *req, hs__sbuf_t *tmp) {
  if (!req->query.len)
    return req->path;
  if (req->query.ptr == req->path.ptr + req->path.len + 1)
    return (hs__str_t){req->path.ptr, req->path.len + 1 + req->query.len};
  hs__sbuf_add(tmp, req->path.ptr, req->path.len);
  hs__sbuf_addc(tmp, '?');
  hs__sbuf_add(tmp, req->query.ptr, req->query.len);
  return (hs__str_t){tmp->p ? tmp->p : "", tmp->len};
}

/* check_digest_auth(): httpbin's lax verification (digest.h, HTTPBIN_COMPAT)
 * against the request's own path?query and body (the body counts as empty
 * for form content types, whose data Werkzeug consumes). */
static int digest_ok(const hs__req_t *req, const hb_digest_cred_t *cred, const char *passwd,
                     size_t plen) {
  hs__sbuf_t tmp = HS_SBUF_INIT;
  hb_digest_check_t chk;
  memset(&chk, 0, sizeof chk);
  chk.password = (hs__str_t){passwd, plen};
  chk.realm = HS_STR(REALM);
  chk.method = req->method_name;
  chk.request_uri = request_uri(req, &tmp);
  const hs__str_t *ct = hs__req_header(req, "Content-Type");
  int form = ct && hb_form_kind(*ct) != HB_BODY_OTHER;
  chk.body = form ? HS_STR("") : (hs__str_t){req->body ? req->body : "", req->body_len};
  chk.flags = HB_DIGEST_HTTPBIN_COMPAT;
  int ok = !tmp.oom && hb_digest_verify(cred, &chk) == HB_DIGEST_OK;
  hs__sbuf_free(&tmp);
  return ok;
}

/* The digest handler's decision once the URL is parsed (httpbin's
 * digest_auth(), in its order). */
static void digest_answer(hs__exchange_t *x, const segs_t *g, const digest_opts_t *o, json_t *jar,
                          int require_cookie) {
  const hs__str_t *h = hs__req_header(x->req, "Authorization");
  hb_digest_cred_t cred;
  memset(&cred, 0, sizeof cred);
  int parsed = h && hb_digest_parse(*h, &cred) == HB_DIGEST_OK;
  if (!parsed || (require_cookie && !hs__req_header(x->req, "Cookie"))) {
    challenge(x, o, 0, NULL);
    goto done;
  }
  size_t sl = 0, ll = 0;
  const char *stale_after = cookie(jar, "stale_after", &sl);
  const char *last_nonce = cookie(jar, "last_nonce", &ll);
  if ((last_nonce && ll == cred.nonce.len && memcmp(last_nonce, cred.nonce.ptr, ll) == 0) ||
      (stale_after && strcmp(stale_after, "0") == 0)) {
    challenge(x, o, 1, &cred.nonce);
    goto done;
  }
  const char *fake = cookie(jar, "fake", NULL);
  if (require_cookie && (!fake || strcmp(fake, "fake_value") != 0)) {
    json_t *v = json_pack("{s:[s]}", "errors", "missing cookie set on challenge");
    if (!v)
      hs__resp_error(x, 500, "Out of memory.", NULL);
    else {
      hs__fields_t f = HS_FIELDS_INIT;
      hs__cookie_set_field(&f, "fake", 4, "fake_value", 10, 0);
      hs__hb_send_json(x, 403, v, hs__fields_oom(&f) ? NULL : &f);
      hs__fields_free(&f);
    }
    json_decref(v);
    goto done;
  }
  if (!digest_ok(x->req, &cred, g->s[2], g->len[2])) {
    challenge(x, o, 0, &cred.nonce);
    goto done;
  }
  hs__fields_t f = HS_FIELDS_INIT;
  hs__cookie_set_field(&f, "fake", 4, "fake_value", 10, 0);
  if (stale_after && *stale_after) {
    char next[32];
    next_stale_after(stale_after, next, sizeof next);
    hs__cookie_set_field(&f, "stale_after", 11, next, strlen(next), 0);
  }
  if (hs__fields_oom(&f))
    hs__resp_error(x, 500, "Out of memory.", NULL);
  else
    send_ok(x, "user", g->s[1], g->len[1], &f);
  hs__fields_free(&f);
done:
  hb_digest_cred_free(&cred);
}

/* /digest-auth/{qop}/{user}/{passwd}[/{algorithm}[/{stale_after}]]. qop auth
 * or auth-int (anything else offers both and accepts RFC 2069 answers);
 * algorithm MD5, SHA-256 or SHA-512 (anything else: MD5); ?require-cookie. */
static void digest_auth(hs__exchange_t *x) {
  segs_t g;
  if (split_tail(x, &g, 3, 5,
                 "No such endpoint; use "
                 "/digest-auth/{qop}/{user}/{passwd}[/{algorithm}[/{stale_after}]]."))
    return;
  digest_opts_t o;
  o.qop = strcmp(g.s[0], "auth") == 0       ? HB_QOP_AUTH
          : strcmp(g.s[0], "auth-int") == 0 ? HB_QOP_AUTH_INT
                                            : HB_QOP_AUTH | HB_QOP_AUTH_INT;
  o.alg = HB_DIGEST_MD5;
  if (g.n >= 4 && strcmp(g.s[3], "SHA-256") == 0)
    o.alg = HB_DIGEST_SHA256;
  if (g.n >= 4 && strcmp(g.s[3], "SHA-512") == 0)
    o.alg = HB_DIGEST_SHA512;
  o.stale_url = g.n == 5 ? g.s[4] : "never";
  o.stale_url_len = g.n == 5 ? g.len[4] : 5;
  int require_cookie = 0;
  if (x->req->query.len) {
    json_t *args = hb_form_args(x->req->query);
    json_t *v = hs__hb_arg(args, "require-cookie");
    const char *s = json_string_value(v);
    require_cookie =
        s && (strcasecmp(s, "1") == 0 || strcasecmp(s, "t") == 0 || strcasecmp(s, "true") == 0);
    json_decref(args);
  }
  json_t *jar = hs__cookies_parse(x->req);
  if (!jar)
    hs__resp_error(x, 500, "Out of memory.", NULL);
  else
    digest_answer(x, &g, &o, jar, require_cookie);
  json_decref(jar);
  segs_free(&g);
}

const hs__route_t hs__routes_auth[] = {
    HS_ROUTE("/basic-auth/", 1, HS_M_GET_HEAD, basic_auth, "/basic-auth/{user}/{passwd}",
             "HTTP Basic authentication (401 with a challenge)"),
    HS_ROUTE("/hidden-basic-auth/", 1, HS_M_GET_HEAD, hidden_basic_auth,
             "/hidden-basic-auth/{user}/{passwd}", "Basic authentication answering 404 on failure"),
    HS_ROUTE("/bearer", 0, HS_M_GET_HEAD, bearer, "/bearer", "Bearer token authentication"),
    HS_ROUTE("/digest-auth/", 1, HS_M_GET_HEAD, digest_auth,
             "/digest-auth/{qop}/{user}/{passwd}[/{algorithm}[/{stale_after}]]",
             "Digest authentication: qop auth or auth-int, MD5, SHA-256 or SHA-512"),
    HS_ROUTE_END,
};
