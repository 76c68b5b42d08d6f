/* The request description of /get, /head and friends (args, headers, method,
 * origin, url) written straight into the output buffer.
 *
 * hs__hb_request_dict() builds a jansson object that hb_json_write() then
 * lays out; for the members that need no body parsing this file writes the
 * very same bytes (2-space indentation, keys sorted by code point, httpbin's
 * string escaping, a final newline) without building the object: no
 * allocation per header, no hash table, nothing to free. It is the hot path
 * of the most used httpbin endpoint, /get. tests/integration/test_hb_echo.py
 * checks byte for byte that both ways agree. */
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "hb_common.h"
#include "jsonfmt.h"
#include "sbuf.h"
#include "utf8.h"

#define LAYOUT (HB_JSON_FLASK_PRETTY & ~HB_JSON_NEWLINE) /* for nested values */

/* One header field to show: its re-cased name (at names.p + off) and where it
 * is in the request (repeated names keep request order). */
typedef struct {
  size_t off, len, idx;
} field_t;

/* Orders fields by name (code point order, shorter prefix first, as
 * jsonfmt's sort_keys), then by position in the request. */
static int field_cmp(const char *names, const field_t *a, const field_t *b) {
  size_t m = a->len < b->len ? a->len : b->len;
  int c = memcmp(names + a->off, names + b->off, m);
  if (c) return c;
  if (a->len != b->len) return a->len < b->len ? -1 : 1;
  return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Stable sort of a few fields (insertion sort: requests have tens at most;
 * the order is total, so the result does not depend on the algorithm). */
static void sort_fields(const char *names, field_t *f, size_t n) {
  for (size_t i = 1; i < n; i++) {
    field_t t = f[i];
    size_t j = i;
    for (; j > 0 && field_cmp(names, &f[j - 1], &t) > 0; j--) f[j] = f[j - 1];
    f[j] = t;
  }
}

static int is_env_header(const char *name, size_t n) {
  for (size_t i = 0; i < HB_N_ENV_HEADERS; i++)
    if (hs__hb_env_headers[i].len == n && !memcmp(hs__hb_env_headers[i].ptr, name, n)) return 1;
  return 0;
}

/* "\n" and the indentation of a member at `depth`, after "," unless first. */
static void member(hs_buf_t *b, int depth, int first, const char *key) {
  if (!first) hs__buf_append(b, ",", 1);
  hs__buf_append(b, "\n", 1);
  for (int i = 0; i < depth; i++) hs__buf_append(b, "  ", 2);
  if (key) {
    hb_json_write_string(key, strlen(key), 0, hb__json_buf_emit, b);
    hs__buf_append(b, ": ", 2);
  }
}

/* The "headers" object (see hs__hb_headers for the rules it follows). */
static int write_headers(const hs_req_t *req, hs_buf_t *b) {
  int show_env = req->query.len && hs__hb_query_has(req->query, "show_env");
  field_t small[32], *f = req->nheaders <= 32 ? small : malloc(req->nheaders * sizeof *f);
  hb_sbuf_t names = HB_SBUF_INIT, val = HB_SBUF_INIT;
  int rc = -1;
  if (!f) return -1;
  size_t n = 0;
  for (size_t i = 0; i < req->nheaders; i++) {
    const hs_hdr_t *h = &req->headers[i];
    if (!h->name.len || hb_sbuf_reserve(&names, h->name.len)) continue;
    char *name = names.p + names.len;
    hs__hb_title_name(h->name.ptr, h->name.len, name);
    size_t nl = h->name.len;
    /* CGI: an empty Content-Type / Content-Length is not shown (Werkzeug) */
    if (!h->value.len && ((nl == 12 && !memcmp(name, "Content-Type", 12)) ||
                          (nl == 14 && !memcmp(name, "Content-Length", 14))))
      continue;
    if (!show_env && is_env_header(name, nl)) continue;
    f[n++] = (field_t){names.len, nl, i};
    names.len += nl;
  }
  if (names.oom) goto out;
  sort_fields(names.p, f, n);
  if (!n) {
    hs__buf_append(b, "{}", 2);
    rc = 0;
    goto out;
  }
  hs__buf_append(b, "{", 1);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    val.len = 0;
    for (; j < n && f[j].len == f[i].len && !memcmp(names.p + f[j].off, names.p + f[i].off, f[i].len); j++) {
      const hs_hdr_t *h = &req->headers[f[j].idx];
      if (j > i) hb_sbuf_addc(&val, ',');
      hb_latin1_to_utf8(&val, h->value.ptr, h->value.len);
    }
    if (val.oom) goto out;
    member(b, 2, i == 0, NULL);
    hb_json_write_string(names.p + f[i].off, f[i].len, 0, hb__json_buf_emit, b);
    hs__buf_append(b, ": ", 2);
    hb_json_write_string(val.p ? val.p : "", val.len, 0, hb__json_buf_emit, b);
    i = j;
  }
  hs__buf_append(b, "\n  }", 4);
  rc = 0;
out:
  if (f != small) free(f);
  hb_sbuf_free(&names);
  hb_sbuf_free(&val);
  return rc;
}

/* Writes one text member produced by `fill` (origin, url). */
static int write_text(const hs_req_t *req, hs_buf_t *b, void (*fill)(const hs_req_t *, hb_sbuf_t *)) {
  hb_sbuf_t t = HB_SBUF_INIT;
  fill(req, &t);
  int rc = t.oom ? -1 : hb_json_write_string(t.p ? t.p : "", t.len, 0, hb__json_buf_emit, b);
  hb_sbuf_free(&t);
  return rc;
}

int hs__hb_write_dict(const hs_req_t *req, unsigned members, hs_buf_t *b) {
  int first = 1;
  if (members & HB_BODY) return -1;
  hs__buf_append(b, "{", 1);
  if (members & HB_ARGS) { /* keys sorted: args, headers, method, origin, url */
    member(b, 1, first, "args");
    first = 0;
    if (!req->query.len) {
      hs__buf_append(b, "{}", 2);
    } else {
      json_t *a = hb_form_args(req->query);
      int rc = a ? hb_json_write_at(a, LAYOUT, 1, hb__json_buf_emit, b) : -1;
      json_decref(a);
      if (rc) return -1;
    }
  }
  if (members & HB_HEADERS) {
    member(b, 1, first, "headers");
    first = 0;
    if (write_headers(req, b)) return -1;
  }
  if (members & HB_METHOD) {
    member(b, 1, first, "method");
    first = 0;
    hb_json_write_string(req->method_name.ptr, req->method_name.len, 0, hb__json_buf_emit, b);
  }
  if (members & HB_ORIGIN) {
    member(b, 1, first, "origin");
    first = 0;
    if (write_text(req, b, hs__hb_origin_to)) return -1;
  }
  if (members & HB_URL) {
    member(b, 1, first, "url");
    first = 0;
    if (write_text(req, b, hs__hb_url_to)) return -1;
  }
  hs__buf_append(b, first ? "}\n" : "\n}\n", first ? 2 : 3);
  return 0;
}
