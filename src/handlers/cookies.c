/* httpbin's cookie endpoints (docs/httpbin-compat.md, section 3): /cookies,
 * /cookies/set?name=value..., /cookies/set/{name}/{value},
 * /cookies/delete?name..., and the Werkzeug 2.2 cookie parser and writer
 * they (and /digest-auth) rely on. */
#include "handlers/cookies.h"

#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "handlers/hb_args.h"
#include "handlers/hb_request.h"
#include "handlers/hb_send.h"
#include "handlers/redirect.h"
#include "handlers/routes.h"
#include "http/ctx.h"
#include "httpbin/form.h"

/* ---- parsing (Werkzeug's _cookie_parse_impl and _cookie_unquote) ------------ */

static int is_ws(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Appends value v[0..n) to b, unquoted: a value in double quotes loses them and
 * its \ooo (octal 000-377) and \c escapes are decoded; any other value is
 * kept as is. */
static void unquote(hs__sbuf_t *b, const char *v, size_t n) {
  if (n < 2 || v[0] != '"' || v[n - 1] != '"') {
    hs__sbuf_add(b, v, n);
    return;
  }
  v++;
  n -= 2;
  for (size_t i = 0; i < n; i++) {
    if (v[i] != '\\' || i + 1 >= n) {
      hs__sbuf_addc(b, v[i]);
    } else if (i + 3 < n + 0 && v[i + 1] >= '0' && v[i + 1] <= '3' && v[i + 2] >= '0' &&
               v[i + 2] <= '7' && v[i + 3] >= '0' && v[i + 3] <= '7') {
      hs__sbuf_addc(b, (char)((v[i + 1] - '0') * 64 + (v[i + 2] - '0') * 8 + (v[i + 3] - '0')));
      i += 3;
    } else {
      hs__sbuf_addc(b, v[i + 1]);
      i++;
    }
  }
}

/* Adds name → value (both sanitised to UTF-8) to obj unless the name is
 * already there. Returns -1 if out of memory. */
static int add_pair(json_t *obj, const char *k, size_t kn, const char *v, size_t vn) {
  hs__sbuf_t raw = HS_SBUF_INIT;
  unquote(&raw, v, vn);
  size_t klen, vlen;
  char *key = hs__utf8_sanitize(k, kn, &klen);
  char *val = raw.oom ? NULL : hs__utf8_sanitize(raw.p ? raw.p : "", raw.len, &vlen);
  hs__sbuf_free(&raw);
  int rc = 0;
  if (!key || !val)
    rc = -1;
  else if (!json_object_getn(obj, key, klen) &&
           json_object_setn_new(obj, key, klen, json_stringn(val, vlen)))
    rc = -1;
  free(key);
  free(val);
  return rc;
}

/* One Cookie field value, the way Debian's Werkzeug 2.2.2 (with the fix for
 * CVE-2023-23934) walks it: the regular expression
 *   (?P<key>[^=;]*)(?:\s*=\s*(?P<val>"(?:[^\\"]|\\.)*"|(?:.*?)))?\s*;
 * matched at each position in turn (the value has ";" appended); pairs whose
 * stripped key is empty are skipped ("=x" sets nothing). */
static int parse_field(json_t *obj, const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    size_t k = j;
    while (k < n && s[k] != '=' && s[k] != ';')
      k++;
    const char *val = "";
    size_t vn = 0, end = k + 1;
    if (k < n && s[k] == '=') {
      size_t v = k + 1;
      int matched = 0;
      while (v < n && is_ws(s[v]))
        v++;
      if (v < n && s[v] == '"') { /* quoted-string alternative, then \s*; */
        size_t q = v + 1;
        while (q < n && s[q] != '"')
          q += (s[q] == '\\' && q + 1 < n) ? 2 : 1;
        if (q < n && s[q] == '"') {
          size_t t = q + 1;
          while (t < n && is_ws(s[t]))
            t++;
          if (t >= n || s[t] == ';') {
            val = s + v;
            vn = q + 1 - v;
            end = t + 1;
            matched = 1;
          }
        }
      }
      if (!matched) { /* lazy .*? up to the first ';', trailing space dropped */
        size_t p = v;
        while (p < n && s[p] != ';')
          p++;
        size_t e = p;
        while (e > v && is_ws(s[e - 1]))
          e--;
        val = s + v;
        vn = e - v;
        end = p + 1;
      }
    }
    size_t ka = j, kb = k; /* key.strip() */
    while (ka < kb && is_ws(s[ka]))
      ka++;
    while (kb > ka && is_ws(s[kb - 1]))
      kb--;
    if (kb > ka && add_pair(obj, s + ka, kb - ka, val, vn))
      return -1;
    i = end;
  }
  return 0;
}

json_t *hs__cookies_parse(const hs__req_t *req) {
  json_t *obj = json_object();
  if (!obj)
    return NULL;
  for (size_t i = 0; i < req->nheaders; i++) {
    const hs__hdr_t *h = &req->headers[i];
    if (hs__str_ieq(h->name, "Cookie", 6) && parse_field(obj, h->value.ptr, h->value.len)) {
      json_decref(obj);
      return NULL;
    }
  }
  return obj;
}

/* ---- writing (Werkzeug's dump_cookie and _cookie_quote) ---------------------- */

static int legal(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c && strchr("/=!#$%&'*+-.^_`|~:", c));
}

void hs__cookie_set_field(hs__fields_t *f, const char *name, size_t nlen, const char *val,
                          size_t vlen, int secure) {
  hs__fields_begin_value(f, "Set-Cookie", 10);
  hs__sbuf_t *b = &f->bytes;
  hs__sbuf_add(b, name, nlen);
  hs__sbuf_addc(b, '=');
  int all_legal = 1;
  for (size_t i = 0; i < vlen; i++)
    all_legal &= legal((unsigned char)val[i]);
  if (all_legal) {
    hs__sbuf_add(b, val, vlen);
  } else {
    hs__sbuf_addc(b, '"');
    for (size_t i = 0; i < vlen; i++) {
      unsigned char c = (unsigned char)val[i];
      if (c == '"' || c == '\\') {
        hs__sbuf_addc(b, '\\');
        hs__sbuf_addc(b, (char)c);
      } else if (c < 0x20 || c >= 0x7f || c == ',' || c == ';') {
        char o[5] = {'\\', (char)('0' + (c >> 6)), (char)('0' + ((c >> 3) & 7)),
                     (char)('0' + (c & 7)), 0};
        hs__sbuf_add(b, o, 4);
      } else {
        hs__sbuf_addc(b, (char)c);
      }
    }
    hs__sbuf_addc(b, '"');
  }
  if (secure)
    hs__sbuf_adds(b, "; Secure");
  hs__sbuf_adds(b, "; Path=/");
  hs__fields_end_value(f);
}

int hs__cookie_name_ok(const char *s, size_t n) {
  if (!n)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!hs__is_tchar((unsigned char)s[i]))
      return 0;
  return 1;
}

/* ---- endpoints --------------------------------------------------------------- */

/* Cookies httpbin hides from /cookies unless ?show_env is given. */
static const char *const env_cookies[] = {"_gauges_unique",
                                          "_gauges_unique_year",
                                          "_gauges_unique_month",
                                          "_gauges_unique_day",
                                          "_gauges_unique_hour",
                                          "__utmz",
                                          "__utma",
                                          "__utmb"};

/* GET /cookies: {"cookies": {name: value}}. */
static void cookies_view(hs__exchange_t *x) {
  json_t *cookies = hs__cookies_parse(x->req);
  json_t *body = cookies ? json_pack("{s:o}", "cookies", cookies) : NULL;
  if (!body) {
    hs__resp_error(x, 500, "Out of memory.", NULL);
    return;
  }
  int show_env = 0;
  if (x->req->query.len) {
    json_t *args = hb_form_args(x->req->query);
    show_env = json_object_get(args, "show_env") != NULL;
    json_decref(args);
  }
  if (!show_env)
    for (size_t i = 0; i < sizeof(env_cookies) / sizeof(env_cookies[0]); i++)
      json_object_del(cookies, env_cookies[i]);
  hs__hb_send_json(x, 200, body, NULL);
  json_decref(body);
}

/* Ends a /cookies/set or /cookies/delete request: 302 to /cookies carrying the
 * Set-Cookie fields in `f` (freed here), or 500 if f ran out of memory. */
static void finish(hs__exchange_t *x, hs__fields_t *f) {
  if (hs__fields_oom(f))
    hs__resp_error(x, 500, "Out of memory.", NULL);
  else
    hs__hb_redirect(x, 302, "/cookies", 8, 1, f);
  hs__fields_free(f);
}

/* Adds one Set-Cookie per query parameter (first value of each name, in query
 * order): `del` = expired deletion cookies, else name=value. Returns 0, or
 * answers 400/500 itself and returns -1. */
static int cookie_fields(hs__exchange_t *x, hs__fields_t *f, int del) {
  json_t *args = hb_form_args(x->req->query);
  if (!args) {
    hs__resp_error(x, 500, "Out of memory.", NULL);
    return -1;
  }
  int secure = !del && hs__hb_is_https(x->req);
  const char *k;
  json_t *v;
  json_object_foreach(args, k, v) {
    size_t kl = strlen(k);
    if (!hs__cookie_name_ok(k, kl)) {
      hs__resp_error(x, 400,
                     "Invalid cookie name: a cookie name is a token (RFC 6265 section 4.1.1): "
                     "letters, digits and !#$%&'*+-.^_`|~ only.",
                     NULL);
      json_decref(args);
      return -1;
    }
    if (del) {
      hs__fields_begin_value(f, "Set-Cookie", 10);
      hs__sbuf_add(&f->bytes, k, kl);
      hs__sbuf_adds(&f->bytes, "=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/");
      hs__fields_end_value(f);
    } else {
      json_t *first = hs__hb_first(v);
      hs__cookie_set_field(f, k, kl, json_string_value(first), json_string_length(first), secure);
    }
  }
  json_decref(args);
  return 0;
}

/* GET /cookies/set?name=value...: 302 to /cookies setting each cookie. */
static void cookies_set(hs__exchange_t *x) {
  hs__fields_t f = HS_FIELDS_INIT;
  if (cookie_fields(x, &f, 0)) {
    hs__fields_free(&f);
    return;
  }
  finish(x, &f);
}

/* GET /cookies/delete?name...: 302 to /cookies expiring each cookie. */
static void cookies_delete(hs__exchange_t *x) {
  hs__fields_t f = HS_FIELDS_INIT;
  if (cookie_fields(x, &f, 1)) {
    hs__fields_free(&f);
    return;
  }
  finish(x, &f);
}

/* GET /cookies/set/{name}/{value}: exactly two non-empty segments. */
static void cookies_set_path(hs__exchange_t *x) {
  hs__str_t t = x->tail;
  const char *slash = memchr(t.ptr, '/', t.len);
  if (!slash || slash == t.ptr || slash + 1 == t.ptr + t.len ||
      memchr(slash + 1, '/', (size_t)(t.ptr + t.len - slash - 1))) {
    hs__resp_error(x, 404, "No such endpoint; use /cookies/set/{name}/{value}.", NULL);
    return;
  }
  size_t nl, vl;
  char *name = hs__hb_segment(t.ptr, (size_t)(slash - t.ptr), &nl);
  char *val = hs__hb_segment(slash + 1, (size_t)(t.ptr + t.len - slash - 1), &vl);
  if (!name || !val) {
    hs__resp_error(x, 500, "Out of memory.", NULL);
  } else if (!hs__cookie_name_ok(name, nl)) {
    hs__resp_error(x, 400,
                   "Invalid cookie name: a cookie name is a token (RFC 6265 section 4.1.1): "
                   "letters, digits and !#$%&'*+-.^_`|~ only.",
                   NULL);
  } else {
    hs__fields_t f = HS_FIELDS_INIT;
    hs__cookie_set_field(&f, name, nl, val, vl, hs__hb_is_https(x->req));
    finish(x, &f);
  }
  free(name);
  free(val);
}

const hs__route_t hs__routes_cookies[] = {
    HS_ROUTE("/cookies", 0, HS_M_GET_HEAD, cookies_view, "/cookies", "the request's cookies"),
    HS_ROUTE("/cookies/set", 0, HS_M_GET_HEAD, cookies_set, "/cookies/set?K=V",
             "sets cookies, then redirects to /cookies"),
    HS_ROUTE("/cookies/set/", 1, HS_M_GET_HEAD, cookies_set_path, "/cookies/set/{K}/{V}",
             "sets one cookie, then redirects to /cookies"),
    HS_ROUTE("/cookies/delete", 0, HS_M_GET_HEAD, cookies_delete, "/cookies/delete?K",
             "deletes cookies, then redirects to /cookies"),
    HS_ROUTE_END,
};
