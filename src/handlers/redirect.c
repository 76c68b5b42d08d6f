/* httpbin's redirect endpoints (docs/httpbin-compat.md, section 3):
 * /redirect/{n} (?absolute=true), /relative-redirect/{n},
 * /absolute-redirect/{n} and /redirect-to?url=&status_code=, plus the
 * optional allow-list that keeps /redirect-to from being an open redirect
 * (go-httpbin's -allowed-redirect-domains). */
#include "handlers/redirect.h"

#include <stdlib.h>
#include <string.h>

#include "handlers/hb_args.h"
#include "handlers/routes.h"
#include "http/ctx.h"
#include "http/render.h"
#include "httpbin/form.h"
#include "httpbin/url.h"

#define HTML_CTYPE "text/html; charset=utf-8"

/* ---- allow-list ------------------------------------------------------------ */

/* Entries, lower case, without a trailing dot; "*.x" entries admit subdomains
 * of x. Written once before the workers start, read-only afterwards. */
static char **allow;
static size_t nallow;

static int host_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
         c == ':' || c == '[' || c == ']';
}

static void free_list(char **list, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(list[i]);
  free(list);
}

int hs__redirect_set_allowlist(const char *csv) {
  char **list = NULL;
  size_t n = 0;
  const char *p = csv ? csv : "";
  while (*p) {
    const char *e = strchr(p, ',');
    if (!e)
      e = p + strlen(p);
    const char *a = p, *b = e;
    while (a < b && (*a == ' ' || *a == '\t'))
      a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
      b--;
    if (b > a && b[-1] == '.')
      b--;
    if (b > a) {
      size_t len = (size_t)(b - a);
      char *s = malloc(len + 1);
      char **nl = realloc(list, (n + 1) * sizeof(*list));
      if (!s || !nl) {
        free(s);
        free_list(nl ? nl : list, n);
        return -1;
      }
      list = nl;
      for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)a[i];
        s[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
      }
      s[len] = 0;
      list[n++] = s;
      /* "*." only as a prefix, then a host name */
      const char *h = (len > 2 && s[0] == '*' && s[1] == '.') ? s + 2 : s;
      int ok = *h != 0 && *h != '.';
      for (; *h && ok; h++)
        ok = host_char((unsigned char)*h);
      if (!ok) {
        free_list(list, n);
        return -1;
      }
    }
    p = *e ? e + 1 : e;
  }
  free_list(allow, nallow);
  allow = list;
  nallow = n;
  return 0;
}

static int is_slash(char c) { return c == '/' || c == '\\'; }

/* 1 if host h[0..n) (as found in a URL: percent-escapes, any case, maybe a
 * trailing dot) is on the list. */
static int host_listed(const char *h, size_t n) {
  char buf[256];
  size_t len = 0;
  for (size_t i = 0; i < n; i++) { /* the WHATWG host parser percent-decodes */
    unsigned char c = (unsigned char)h[i];
    int hi, lo;
    if (c == '%' && i + 2 < n && (hi = hs__hexval((unsigned char)h[i + 1])) >= 0 &&
        (lo = hs__hexval((unsigned char)h[i + 2])) >= 0) {
      c = (unsigned char)(hi << 4 | lo);
      i += 2;
    }
    if (c >= 'A' && c <= 'Z')
      c = (unsigned char)(c + 32);
    if (!host_char(c) || len + 1 >= sizeof(buf))
      return 0;
    buf[len++] = (char)c;
  }
  if (len && buf[len - 1] == '.')
    len--;
  if (!len)
    return 0;
  for (size_t i = 0; i < nallow; i++) {
    const char *e = allow[i];
    size_t el = strlen(e);
    if (el == len && memcmp(e, buf, len) == 0)
      return 1;
    if (el > 2 && e[0] == '*' && e[1] == '.' && len > el - 1 &&
        memcmp(buf + len - (el - 1), e + 1, el - 1) == 0)
      return 1;
  }
  return 0;
}

int hs__redirect_allowed(const char *url, size_t n) {
  if (!nallow)
    return 1;
  const char *s = url, *end = url + n;
  while (s < end && (unsigned char)*s <= ' ')
    s++; /* browsers strip C0 and spaces */
  while (end > s && (unsigned char)end[-1] <= ' ')
    end--;
  /* scheme (RFC 3986 §3.1) */
  const char *p = s;
  if (p < end && ((*p | 32) >= 'a' && (*p | 32) <= 'z')) {
    while (p < end && (((*p | 32) >= 'a' && (*p | 32) <= 'z') || (*p >= '0' && *p <= '9') ||
                       *p == '+' || *p == '-' || *p == '.'))
      p++;
  }
  const char *auth;
  if (p > s && p < end && *p == ':') {
    size_t sl = (size_t)(p - s);
    int http =
        (sl == 4 && strncasecmp(s, "http", 4) == 0) || (sl == 5 && strncasecmp(s, "https", 5) == 0);
    if (!http)
      return 0;   /* javascript:, data:, ftp: ... never on an allow-list */
    auth = p + 1; /* browsers take "http:evil.com" and "http:\\evil.com" */
  } else if (end - s >= 2 && is_slash(s[0]) && is_slash(s[1])) {
    auth = s; /* scheme-relative "//host" (and "\\host", "/\host") */
  } else {
    return 1; /* a path, query or fragment on this server */
  }
  while (auth < end && is_slash(*auth))
    auth++;
  const char *ae = auth;
  while (ae < end && !is_slash(*ae) && *ae != '?' && *ae != '#')
    ae++;
  const char *host = auth;
  for (const char *q = auth; q < ae; q++) /* userinfo: the host follows the last '@' */
    if (*q == '@')
      host = q + 1;
  const char *he = host;
  if (he < ae && *he == '[') { /* IP literal (RFC 3986 §3.2.2) */
    while (he < ae && *he != ']')
      he++;
    if (he == ae)
      return 0;
    he++;
  } else {
    while (he < ae && *he != ':')
      he++;
  }
  return host_listed(host, (size_t)(he - host));
}

/* ---- shared helpers -------------------------------------------------------- */

int hs__hb_is_https(const hs__req_t *req) {
  if (hs__str_ieq(req->scheme, "https", 5)) /* the connection itself is TLS */
    return 1;
  /* gunicorn's secure_scheme_headers: the first of them in the request
   * decides, its value compared exactly */
  static const struct {
    const char *name, *value;
  } secure[] = {
      {"X-Forwarded-Proto", "https"}, {"X-Forwarded-Protocol", "ssl"}, {"X-Forwarded-Ssl", "on"}};
  for (size_t i = 0; i < req->nheaders; i++) {
    const hs__hdr_t *h = &req->headers[i];
    for (size_t k = 0; k < sizeof(secure) / sizeof(secure[0]); k++) {
      if (!hs__str_ieq(h->name, secure[k].name, strlen(secure[k].name)))
        continue;
      size_t vl = strlen(secure[k].value);
      return h->value.len == vl && memcmp(h->value.ptr, secure[k].value, vl) == 0;
    }
  }
  return 0;
}

void hs__hb_redirect(hs__exchange_t *x, int status, const char *loc, size_t n, int page,
                     const hs__fields_t *extra) {
  hs__buf_t *b = &x->ctx->scratch;
  b->len = 0;
  if (page) { /* werkzeug.utils.redirect() */
    hs__buf_lit(b, "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
                   "<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the "
                   "target URL: <a href=\"");
    hs__html_escape(b, loc, n);
    hs__buf_lit(b, "\">");
    hs__html_escape(b, loc, n);
    hs__buf_lit(b, "</a>. If not, click the link.\n");
  }
  hs__resp_t r;
  hs__resp_begin(&r, x, status);
  hs__resp_hdr(&r, HS_H_LOCATION, loc, n);
  hs__resp_fields(&r, extra);
  hs__resp_end(&r, HTML_CTYPE, b->base, b->len);
}

/* ---- /redirect/{n}, /relative-redirect/{n}, /absolute-redirect/{n} --------- */

/* Werkzeug's <int:n>: the tail must be digits only. Writes n - 1 in decimal
 * (leading zeros dropped, any length) into out (cap bytes). Returns 1 if
 * n >= 2, 0 if n == 1, -1 (after answering 400) if n == 0, -2 (after
 * answering 404) if the tail is not a number. */
static int decrement(hs__exchange_t *x, char *out, size_t cap) {
  hs__str_t t = x->tail;
  size_t i = 0;
  if (t.len == 0)
    goto not_found;
  for (size_t k = 0; k < t.len; k++)
    if (t.ptr[k] < '0' || t.ptr[k] > '9')
      goto not_found;
  while (i < t.len && t.ptr[i] == '0')
    i++;
  size_t len = t.len - i;
  if (len == 0) {
    hs__resp_error(x, 400, "The number of redirects must be at least 1.", NULL);
    return -1;
  }
  if (len >= cap) {
    hs__resp_error(x, 400, "The number of redirects is too large.", NULL);
    return -1;
  }
  memcpy(out, t.ptr + i, len);
  out[len] = 0;
  if (len == 1 && out[0] == '1')
    return 0;
  for (size_t k = len; k-- > 0;) { /* decimal n - 1 */
    if (out[k] > '0') {
      out[k]--;
      break;
    }
    out[k] = '9';
  }
  if (out[0] == '0')
    memmove(out, out + 1, len); /* "10" - 1 = "09" → "9" */
  return 1;
not_found:
  hs__resp_error(x, 404, "No such endpoint; the number of redirects must be digits.", NULL);
  return -2;
}

/* Builds http(s)://<Host>/<path> like Flask's url_for(_external=True). Returns
 * a malloc'd string or NULL. */
static char *external_url(hs__exchange_t *x, const char *path, size_t *len) {
  const hs__req_t *req = x->req;
  hs__str_t scheme = hs__hb_is_https(req) ? HS_STR("https") : HS_STR("http");
  hs__str_t host = req->authority.len ? req->authority : HS_STR("localhost");
  return hb_request_url(scheme, host, (hs__str_t){path, strlen(path)}, len);
}

/* Answers a redirect to `path` (absolute when asked), 302. */
static void redirect_path(hs__exchange_t *x, const char *path, int absolute, int page) {
  if (!absolute) {
    hs__hb_redirect(x, 302, path, strlen(path), page, NULL);
    return;
  }
  size_t len;
  char *url = external_url(x, path, &len);
  if (!url) {
    hs__resp_error(x, 500, "Out of memory.", NULL);
    return;
  }
  /* the Host field cannot carry CR/LF (the parser refuses them), so the URL is
   * safe as a field value */
  hs__hb_redirect(x, 302, url, len, page, NULL);
  free(url);
}

/* /redirect/{n}: 302 to /get when n = 1, else to /relative-redirect/{n-1}
 * (with ?absolute=true: http://host/get, http://host/absolute-redirect/{n-1}). */
static void redirect_n(hs__exchange_t *x) {
  char num[64], path[96];
  int d = decrement(x, num, sizeof(num));
  if (d < 0)
    return;
  int absolute = 0;
  if (x->req->query.len) {
    json_t *args = hb_form_args(x->req->query);
    json_t *v = hs__hb_arg(args, "absolute");
    absolute = v && strcasecmp(json_string_value(v), "true") == 0;
    json_decref(args);
  }
  if (d == 0)
    snprintf(path, sizeof(path), "/get");
  else
    snprintf(path, sizeof(path), "/%s-redirect/%s", absolute ? "absolute" : "relative", num);
  redirect_path(x, path, absolute, 1);
}

/* /relative-redirect/{n}: 302 with an empty body. */
static void relative_redirect(hs__exchange_t *x) {
  char num[64], path[96];
  int d = decrement(x, num, sizeof(num));
  if (d < 0)
    return;
  if (d == 0)
    snprintf(path, sizeof(path), "/get");
  else
    snprintf(path, sizeof(path), "/relative-redirect/%s", num);
  redirect_path(x, path, 0, 0);
}

/* /absolute-redirect/{n}: 302 to http://host/... with Werkzeug's page. */
static void absolute_redirect(hs__exchange_t *x) {
  char num[64], path[96];
  int d = decrement(x, num, sizeof(num));
  if (d < 0)
    return;
  if (d == 0)
    snprintf(path, sizeof(path), "/get");
  else
    snprintf(path, sizeof(path), "/absolute-redirect/%s", num);
  redirect_path(x, path, 1, 1);
}

/* ---- /redirect-to ---------------------------------------------------------- */

/* The Location value for /redirect-to's url u[0..n): surrounding spaces and
 * C0 controls dropped, whitespace and control bytes inside written %XX as
 * Werkzeug's iri_to_uri does for such URLs (so no CR/LF reaches the header),
 * other bytes (UTF-8 included) kept as given. Returns a malloc'd string (*len
 * set) or NULL. */
static char *location_value(const char *u, size_t n, size_t *len) {
  while (n && (unsigned char)*u <= ' ')
    u++, n--; /* C0 controls and space, like WHATWG */
  while (n && (unsigned char)u[n - 1] <= ' ')
    n--;
  char *out = malloc(3 * n + 1), *p = out;
  if (!out)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)u[i];
    if (c <= ' ' || c == 0x7f) {
      static const char hex[] = "0123456789ABCDEF";
      *p++ = '%';
      *p++ = hex[c >> 4];
      *p++ = hex[c & 15];
    } else {
      *p++ = (char)c;
    }
  }
  *p = 0;
  *len = (size_t)(p - out);
  return out;
}

/* /redirect-to?url=&status_code= (parameter names case-insensitive): a
 * redirect to `url` as given, 302 or the 3xx status_code. */
static void redirect_to(hs__exchange_t *x) {
  json_t *args = hb_form_args(x->req->query);
  if (!args) {
    hs__resp_error(x, 500, "Out of memory.", NULL);
    return;
  }
  json_t *url = hs__hb_arg_ci(args, "url");
  json_t *sc = hs__hb_arg_ci(args, "status_code");
  int status = 302;
  char *loc = NULL;
  size_t n = 0;
  if (!url) {
    hs__resp_error(
        x, 400, "Missing query parameter url: use /redirect-to?url=URL[&status_code=3xx].", NULL);
    goto done;
  }
  if (sc) {
    long v;
    if (hs__parse_pyint(json_string_value(sc), strlen(json_string_value(sc)), &v)) {
      hs__resp_error(x, 400, "Invalid status_code: use a number; 300-399 replaces 302.", NULL);
      goto done;
    }
    if (v >= 300 && v < 400)
      status = (int)v;
  }
  loc = location_value(json_string_value(url), json_string_length(url), &n);
  if (!loc) {
    hs__resp_error(x, 500, "Out of memory.", NULL);
    goto done;
  }
  if (!hs__redirect_allowed(loc, n)) { /* go-httpbin: 403 text/plain */
    hs__buf_t *b = &x->ctx->scratch;
    b->len = 0;
    hs__buf_lit(b, "Forbidden redirect URL. Please be careful with this link.\n\n"
                   "Allowed redirect destinations:\n");
    for (size_t i = 0; i < nallow; i++) {
      hs__buf_lit(b, "- ");
      hs__buf_str(b, allow[i]);
      hs__buf_lit(b, "\n");
    }
    hs__resp_t r;
    hs__resp_begin(&r, x, 403);
    hs__resp_end(&r, "text/plain; charset=utf-8", b->base, b->len);
    goto done;
  }
  hs__hb_redirect(x, status, loc, n, 0, NULL);
done:
  free(loc);
  json_decref(args);
}

const hs__route_t hs__routes_redirect[] = {
    HS_ROUTE("/redirect/", 1, HS_M_GET_HEAD, redirect_n, "/redirect/{n}",
             "redirects n times, then /get (?absolute=true for absolute URLs)"),
    HS_ROUTE("/relative-redirect/", 1, HS_M_GET_HEAD, relative_redirect, "/relative-redirect/{n}",
             "n relative redirects, then /get"),
    HS_ROUTE("/absolute-redirect/", 1, HS_M_GET_HEAD, absolute_redirect, "/absolute-redirect/{n}",
             "n absolute redirects, then /get"),
    HS_ROUTE("/redirect-to", 0, HS_M_ANY, redirect_to, "/redirect-to?url=U&status_code=C",
             "redirects to U with status C (any 3xx)"),
    HS_ROUTE_END,
};
