/* The request description of httpbin's get_dict() (hb_request.h). */
#include "handlers/hb_request.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sbuf.h"
#include "base/utf8.h"
#include "http/ctx.h"
#include "httpbin/form.h"
#include "httpbin/jsonfmt.h"
#include "httpbin/jsonshape.h"
#include "httpbin/jsonwide.h"
#include "httpbin/url.h"

/* Headers httpbin hides unless the query has show_env (helpers.ENV_HEADERS),
 * as they appear after Werkzeug's re-casing. */
#define N_ENV_HEADERS 15
static const hs__str_t env_headers[N_ENV_HEADERS] = {
    HS_STR("X-Varnish"),
    HS_STR("X-Request-Start"),
    HS_STR("X-Heroku-Queue-Depth"),
    HS_STR("X-Real-Ip"),
    HS_STR("X-Forwarded-Proto"),
    HS_STR("X-Forwarded-Protocol"),
    HS_STR("X-Forwarded-Ssl"),
    HS_STR("X-Heroku-Queue-Wait-Time"),
    HS_STR("X-Forwarded-For"),
    HS_STR("X-Heroku-Dynos-In-Use"),
    HS_STR("X-Forwarded-Port"),
    HS_STR("X-Request-Id"),
    HS_STR("Via"),
    HS_STR("Total-Route-Time"),
    HS_STR("Connect-Time"),
};

/* 1 if the form-urlencoded key k[0..n) decodes ('+' = space, %XX) to `want`. */
static int key_is(const char *k, size_t n, const char *want) {
  size_t w = 0, wl = strlen(want);
  for (size_t i = 0; i < n; i++, w++) {
    unsigned char c = (unsigned char)k[i];
    int h, l;
    if (c == '+')
      c = ' ';
    else if (c == '%' && i + 2 < n && (h = hs__hexval((unsigned char)k[i + 1])) >= 0 &&
             (l = hs__hexval((unsigned char)k[i + 2])) >= 0) {
      c = (unsigned char)(h << 4 | l);
      i += 2;
    }
    if (w >= wl || (unsigned char)want[w] != c)
      return 0;
  }
  return w == wl;
}

int hs__hb_query_has(hs__str_t query, const char *key) {
  size_t i = 0;
  while (i < query.len) {
    size_t j = i;
    while (j < query.len && query.ptr[j] != '&')
      j++;
    size_t k = i;
    while (k < j && query.ptr[k] != '=')
      k++;
    if (j > i && key_is(query.ptr + i, k - i, key))
      return 1;
    i = j + 1;
  }
  return 0;
}

/* Werkzeug's header name: '_' → '-', then Python's str.title() (a letter is
 * upper case after a non-letter, lower case after a letter). Writes n bytes. */
static void title_name(const char *s, size_t n, char *out) {
  int prev_alpha = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i] == '_' ? '-' : s[i];
    int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (alpha) {
      if (prev_alpha)
        c = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
      else
        c = (char)(c >= 'a' && c <= 'z' ? c & ~0x20 : c);
    }
    prev_alpha = alpha;
    out[i] = c;
  }
}

/* One header field to show: its re-cased name (at names + off) and where it
 * is in the request (repeated names keep request order). */
typedef struct {
  size_t off, len, idx;
} field_t;

/* Orders fields by name (code point order, shorter prefix first, as
 * jsonfmt's sort_keys), then by position in the request. */
static int field_cmp(const char *names, const field_t *a, const field_t *b) {
  size_t m = a->len < b->len ? a->len : b->len;
  int c = memcmp(names + a->off, names + b->off, m);
  if (c)
    return c;
  if (a->len != b->len)
    return a->len < b->len ? -1 : 1;
  return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Stable sort of a few fields (insertion sort: requests have tens at most;
 * the order is total, so the result does not depend on the algorithm). */
static void sort_fields(const char *names, field_t *f, size_t n) {
  for (size_t i = 1; i < n; i++) {
    field_t t = f[i];
    size_t j = i;
    for (; j > 0 && field_cmp(names, &f[j - 1], &t) > 0; j--)
      f[j] = f[j - 1];
    f[j] = t;
  }
}

static int is_env_header(const char *name, size_t n) {
  for (size_t i = 0; i < N_ENV_HEADERS; i++)
    if (env_headers[i].len == n && !memcmp(env_headers[i].ptr, name, n))
      return 1;
  return 0;
}

int hs__hb_header_fields(const hs__req_t *req, int show_env, hs_hb_field_fn fn, void *ctx) {
  field_t small[32], *f = req->nheaders <= 32 ? small : malloc(req->nheaders * sizeof *f);
  hs__sbuf_t names = HS_SBUF_INIT, val = HS_SBUF_INIT;
  int rc = -1;
  if (!f)
    return -1;
  size_t n = 0;
  for (size_t i = 0; i < req->nheaders; i++) {
    const hs__hdr_t *h = &req->headers[i];
    if (!h->name.len || hs__sbuf_reserve(&names, h->name.len))
      continue;
    char *name = names.p + names.len;
    title_name(h->name.ptr, h->name.len, name);
    size_t nl = h->name.len;
    /* CGI: an empty Content-Type / Content-Length is not shown (Werkzeug) */
    if (!h->value.len && ((nl == 12 && !memcmp(name, "Content-Type", 12)) ||
                          (nl == 14 && !memcmp(name, "Content-Length", 14))))
      continue;
    if (!show_env && is_env_header(name, nl))
      continue;
    f[n++] = (field_t){names.len, nl, i};
    names.len += nl;
  }
  if (names.oom)
    goto out;
  sort_fields(names.p, f, n);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    val.len = 0;
    for (;
         j < n && f[j].len == f[i].len && !memcmp(names.p + f[j].off, names.p + f[i].off, f[i].len);
         j++) {
      const hs__hdr_t *h = &req->headers[f[j].idx];
      if (j > i)
        hs__sbuf_addc(&val, ',');
      hs__latin1_to_utf8(&val, h->value.ptr, h->value.len);
    }
    if (val.oom || fn(ctx, names.p + f[i].off, f[i].len, val.p ? val.p : "", val.len))
      goto out;
    i = j;
  }
  rc = 0;
out:
  if (f != small)
    free(f);
  hs__sbuf_free(&names);
  hs__sbuf_free(&val);
  return rc;
}

/* Adds one shown field to the headers object (hs__hb_header_fields callback). */
static int add_field(void *o, const char *name, size_t nl, const char *value, size_t vl) {
  json_t *s = json_stringn_nocheck(value, vl);
  return s ? json_object_setn_new_nocheck(o, name, nl, s) : -1;
}

/* The headers object of request `req` (the rules: hs__hb_header_fields).
 * Returns a new object, or NULL if out of memory. */
json_t *hs__hb_headers(const hs__req_t *req, int show_env) {
  json_t *o = json_object();
  if (o && hs__hb_header_fields(req, show_env, add_field, o)) {
    json_decref(o);
    o = NULL;
  }
  return o;
}

/* Header names as CGI sees them: case-insensitive, '_' equal to '-'. */
static int cgi_name_eq(hs__str_t a, const char *b, size_t n) {
  if (a.len != n)
    return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)a.ptr[i], d = (unsigned char)b[i];
    if (c == '_')
      c = '-';
    if (d == '_')
      d = '-';
    if (c >= 'A' && c <= 'Z')
      c |= 0x20;
    if (d >= 'A' && d <= 'Z')
      d |= 0x20;
    if (c != d)
      return 0;
  }
  return 1;
}

/* Appends the fields named `name` (CGI matching) read as ISO-8859-1 to v,
 * repeated fields joined by "," like the headers object. Returns how many
 * there were. */
static size_t header_latin1_to(const hs__req_t *req, const char *name, hs__sbuf_t *v) {
  size_t nl = strlen(name), seen = 0;
  for (size_t i = 0; i < req->nheaders; i++) {
    if (!cgi_name_eq(req->headers[i].name, name, nl))
      continue;
    if (seen++)
      hs__sbuf_addc(v, ',');
    hs__latin1_to_utf8(v, req->headers[i].value.ptr, req->headers[i].value.len);
  }
  return seen;
}

void hs__hb_origin_to(const hs__req_t *req, hs__sbuf_t *b) {
  if (!header_latin1_to(req, "X-Forwarded-For", b))
    hs__sbuf_adds(b, req->peer ? req->peer : "");
}

/* The text `fill` appends for req, as a new JSON string (NULL: out of memory). */
static json_t *text_json(const hs__req_t *req, void (*fill)(const hs__req_t *, hs__sbuf_t *)) {
  hs__sbuf_t v = HS_SBUF_INIT;
  fill(req, &v);
  json_t *s = v.oom ? NULL : json_stringn_nocheck(v.p ? v.p : "", v.len);
  hs__sbuf_free(&v);
  return s;
}

json_t *hs__hb_origin(const hs__req_t *req) { return text_json(req, hs__hb_origin_to); }

/* httpbin's get_url(): the scheme from X-Forwarded-Proto, X-Forwarded-Protocol
 * or X-Forwarded-Ssl: on, else the request's own (http, or https over TLS). */
void hs__hb_url_to(const hs__req_t *req, hs__sbuf_t *b) {
  hs__str_t scheme = req->scheme.len ? req->scheme : HS_STR("http");
  /* protocol = X-Forwarded-Proto or X-Forwarded-Protocol (Python `or`) */
  const hs__str_t *p = hs__req_header(req, "X-Forwarded-Proto");
  if (!p || !p->len)
    p = hs__req_header(req, "X-Forwarded-Protocol");
  if (p) {
    scheme = *p;
  } else {
    const hs__str_t *ssl = hs__req_header(req, "X-Forwarded-Ssl");
    if (ssl && ssl->len == 2 && !memcmp(ssl->ptr, "on", 2))
      scheme = HS_STR("https");
  }
  size_t n;
  char *u = hb_request_url(scheme, req->authority, req->target, &n);
  if (!u) {
    b->oom = 1;
    return;
  }
  if (hs__utf8_valid(u, n))
    hs__sbuf_add(b, u, n);
  else
    hs__utf8_sanitize_to(b, u, n); /* the scheme came from a header: keep it UTF-8 */
  free(u);
}

json_t *hs__hb_url(const hs__req_t *req) { return text_json(req, hs__hb_url_to); }

/* The most bytes the indented echo of a body of len bytes may take. */
static size_t max_layout(size_t len, const hs__config_t *cfg) {
  size_t cap = len > SIZE_MAX / cfg->json_max_expansion ? SIZE_MAX : len * cfg->json_max_expansion;
  return cap < HS_JSON_EXPANSION_FLOOR ? HS_JSON_EXPANSION_FLOOR : cap;
}

int hs__hb_json_over_limit(const char *body, size_t len, const hs__config_t *cfg, char *msg,
                           size_t cap) {
  if (!len || !hs__utf8_valid(body, len))
    return 0;
  hb_json_shape_t sh;
  hb_json_shape(body, len, &sh);
  if (sh.depth > cfg->json_max_depth) {
    snprintf(msg, cap,
             "The JSON body is nested too deeply (%zu levels; this server echoes at most %zu, "
             "--json-max-depth).",
             sh.depth, cfg->json_max_depth);
    return 1;
  }
  size_t most = max_layout(len, cfg);
  if (sh.layout > most) {
    snprintf(msg, cap,
             "The JSON body would be echoed as about %zu bytes once indented, more than this "
             "server allows for a body of %zu bytes (%zu: %zu times its size or 1 MiB, "
             "--json-max-expansion); nest it less deeply.",
             sh.layout, len, most, cfg->json_max_expansion);
    return 1;
  }
  return 0;
}

json_t *hs__hb_body_json(const char *body, size_t len, const hs__config_t *cfg) {
  json_t *j = NULL;
  if (len && hs__utf8_valid(body, len)) {
    hb_json_shape_t sh;
    hb_json_shape(body, len, &sh);
    if (sh.depth > cfg->json_max_depth || sh.layout > max_layout(len, cfg))
      return NULL;
    json_error_t err;
    j = json_loadb(body, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!j) { /* numbers Python reads and jansson cannot hold: carried as raw strings */
      size_t wl;
      char *wide = hb_json_widen(body, len, &wl);
      if (wide)
        j = json_loadb(wide, wl, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
      free(wide);
    }
  }
  return j ? j : json_null();
}

/* Adds `v` (stolen) as `key`; returns 0, or -1 when v is NULL or on OOM. */
static int put(json_t *o, const char *key, json_t *v) {
  if (!v)
    return -1;
  return json_object_set_new_nocheck(o, key, v) ? -1 : 0;
}

json_t *hs__hb_request_dict_st(hs__exchange_t *x, unsigned members, int *status) {
  const hs__req_t *req = x->req;
  json_t *d = json_object();
  *status = 500;
  if (!d)
    return NULL;
  if ((members & HS_HB_ARGS) && put(d, "args", hb_form_args(req->query)))
    goto fail;
  if ((members & HS_HB_HEADERS) &&
      put(d, "headers",
          hs__hb_headers(req, req->query.len && hs__hb_query_has(req->query, "show_env"))))
    goto fail;
  if ((members & HS_HB_ORIGIN) && put(d, "origin", hs__hb_origin(req)))
    goto fail;
  if ((members & HS_HB_URL) && put(d, "url", hs__hb_url(req)))
    goto fail;
  if (members & HS_HB_METHOD) {
    /* method names are tokens (ASCII) */
    if (put(d, "method", json_stringn_nocheck(req->method_name.ptr, req->method_name.len)))
      goto fail;
  }
  if (members & HS_HB_BODY) {
    const hs__str_t *ct = hs__req_header(req, "Content-Type");
    hs__str_t ctv = ct ? *ct : (hs__str_t){"", 0};
    json_t *form = NULL, *files = NULL, *data = NULL;
    int rc = hb_form_body(ctv, req->body, req->body_len, NULL, 0, &form, &files, &data);
    if (rc == HB_FORM_ENOMEM)
      goto fail;
    if (put(d, "form", form) | put(d, "files", files) | put(d, "data", data))
      goto fail;
    if (rc == HB_FORM_ELIMIT) {
      *status = 413; /* Werkzeug: RequestEntityTooLarge */
      goto fail;
    }
    json_t *j = hb_form_kind(ctv) == HB_BODY_OTHER
                    ? hs__hb_body_json(req->body, req->body_len, x->ctx->cfg)
                    : json_null();
    if (!j) {
      *status = 400; /* too deep (Python: RecursionError, 500) or too large once indented */
      goto fail;
    }
    if (put(d, "json", j))
      goto fail;
  }
  *status = 200;
  return d;
fail:
  json_decref(d);
  return NULL;
}

json_t *hs__hb_request_dict(hs__exchange_t *x, unsigned members) {
  int st;
  json_t *d = hs__hb_request_dict_st(x, members, &st);
  if (!d && st == 400) { /* JSON over the limits: describe it with "json": null */
    d = hs__hb_request_dict_st(x, members & ~HS_HB_BODY, &st);
    if (d && (members & HS_HB_BODY)) {
      const hs__str_t *ct = hs__req_header(x->req, "Content-Type");
      json_t *form = NULL, *files = NULL, *data = NULL;
      hb_form_body(ct ? *ct : (hs__str_t){"", 0}, x->req->body, x->req->body_len, NULL, 0, &form,
                   &files, &data);
      if (put(d, "form", form) | put(d, "files", files) | put(d, "data", data) |
          put(d, "json", json_null())) {
        json_decref(d);
        d = NULL;
      }
    }
  } else if (!d && st == 413) { /* too many parts: still describe the request, form empty */
    d = hs__hb_request_dict_st(x, members & ~HS_HB_BODY, &st);
    if (d && (members & HS_HB_BODY)) {
      if (put(d, "form", json_object()) | put(d, "files", json_object()) |
          put(d, "data", json_string("")) | put(d, "json", json_null())) {
        json_decref(d);
        d = NULL;
      }
    }
  }
  return d;
}
