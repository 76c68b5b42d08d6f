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
#include <string.h>

#include "base/sbuf.h"
#include "handlers/hb_getdict.h"
#include "handlers/hb_request.h"
#include "httpbin/form.h"
#include "httpbin/jsonfmt.h"

#define LAYOUT (HB_JSON_FLASK_PRETTY & ~HB_JSON_NEWLINE) /* for nested values */

/* "\n" and the indentation of a member at `depth`, after "," unless first. */
static void member(hs__buf_t *b, int depth, int first, const char *key) {
  if (!first)
    hs__buf_append(b, ",", 1);
  hs__buf_append(b, "\n", 1);
  for (int i = 0; i < depth; i++)
    hs__buf_append(b, "  ", 2);
  if (key) {
    hb_json_write_string(key, strlen(key), 0, hb__json_buf_emit, b);
    hs__buf_append(b, ": ", 2);
  }
}

/* The "headers" object being written, and how many members it has so far. */
typedef struct {
  hs__buf_t *b;
  size_t n;
} headers_out_t;

/* Writes one member of the "headers" object (hs__hb_header_fields callback). */
static int write_field(void *ctx, const char *name, size_t nl, const char *value, size_t vl) {
  headers_out_t *h = ctx;
  if (!h->n++)
    hs__buf_append(h->b, "{", 1);
  member(h->b, 2, h->n == 1, NULL);
  hb_json_write_string(name, nl, 0, hb__json_buf_emit, h->b);
  hs__buf_append(h->b, ": ", 2);
  hb_json_write_string(value, vl, 0, hb__json_buf_emit, h->b);
  return 0;
}

/* The "headers" object, with the rules every httpbin endpoint shares. */
static int write_headers(const hs__req_t *req, hs__buf_t *b) {
  headers_out_t h = {b, 0};
  int show_env = req->query.len && hs__hb_query_has(req->query, "show_env");
  if (hs__hb_header_fields(req, show_env, write_field, &h))
    return -1;
  if (h.n)
    hs__buf_append(b, "\n  }", 4);
  else
    hs__buf_append(b, "{}", 2);
  return 0;
}

/* Writes one text member produced by `fill` (origin, url). */
static int write_text(const hs__req_t *req, hs__buf_t *b,
                      void (*fill)(const hs__req_t *, hs__sbuf_t *)) {
  hs__sbuf_t t = HS_SBUF_INIT;
  fill(req, &t);
  int rc = t.oom ? -1 : hb_json_write_string(t.p ? t.p : "", t.len, 0, hb__json_buf_emit, b);
  hs__sbuf_free(&t);
  return rc;
}

int hs__hb_write_dict(const hs__req_t *req, unsigned members, hs__buf_t *b) {
  int first = 1;
  if (members & HS_HB_BODY)
    return -1;
  hs__buf_append(b, "{", 1);
  if (members & HS_HB_ARGS) { /* keys sorted: args, headers, method, origin, url */
    member(b, 1, first, "args");
    first = 0;
    if (!req->query.len) {
      hs__buf_append(b, "{}", 2);
    } else {
      json_t *a = hb_form_args(req->query);
      int rc = a ? hb_json_write_at(a, LAYOUT, 1, hb__json_buf_emit, b) : -1;
      json_decref(a);
      if (rc)
        return -1;
    }
  }
  if (members & HS_HB_HEADERS) {
    member(b, 1, first, "headers");
    first = 0;
    if (write_headers(req, b))
      return -1;
  }
  if (members & HS_HB_METHOD) {
    member(b, 1, first, "method");
    first = 0;
    hb_json_write_string(req->method_name.ptr, req->method_name.len, 0, hb__json_buf_emit, b);
  }
  if (members & HS_HB_ORIGIN) {
    member(b, 1, first, "origin");
    first = 0;
    if (write_text(req, b, hs__hb_origin_to))
      return -1;
  }
  if (members & HS_HB_URL) {
    member(b, 1, first, "url");
    first = 0;
    if (write_text(req, b, hs__hb_url_to))
      return -1;
  }
  hs__buf_append(b, first ? "}\n" : "\n}\n", first ? 2 : 3);
  return 0;
}
