/* The request as httpbin describes it (its get_dict(): args, headers, origin,
 * url, body as data/files/form/json), shared by the httpbin-compatible
 * handlers (docs/httpbin-compat.md, "Conventions that hold for every
 * endpoint"). Sending it: hb_send.h; the fast writer for /get: hb_getdict.h. */
#ifndef HS_HANDLERS_HB_REQUEST_H
#define HS_HANDLERS_HB_REQUEST_H

#include <jansson.h>

#include "base/fields.h"
#include "http/config.h"
#include "http/response.h"

/* Members of hs__hb_request_dict(). */
#define HS_HB_ARGS 0x01u    /* "args": query string, repeated keys as lists */
#define HS_HB_HEADERS 0x02u /* "headers": request headers as httpbin shows them */
#define HS_HB_ORIGIN 0x04u  /* "origin": X-Forwarded-For or the peer address */
#define HS_HB_URL 0x08u     /* "url": scheme://Host/path?query */
#define HS_HB_BODY 0x10u    /* "data", "files", "form", "json" */
#define HS_HB_METHOD 0x20u  /* "method" */

/* New JSON object holding the requested members for x->req, shaped like
 * httpbin's get_dict(). Returns NULL if out of memory; caller owns it. */
json_t *hs__hb_request_dict(hs__exchange_t *x, unsigned members);

/* Like hs__hb_request_dict, but reports why it failed: *status is 200 on
 * success, 400 when a JSON body is over the JSON limits (hs__hb_json_over_limit:
 * too deep, or too large once indented), 413 when
 * the multipart body has more parts than Werkzeug accepts, 500 when out of
 * memory. (hs__hb_request_dict describes the 400 case with "json": null and
 * the 413 case with an empty form instead.) Returns a new object or NULL. */
json_t *hs__hb_request_dict_st(hs__exchange_t *x, unsigned members, int *status);

/* The pieces, each a new reference (NULL if out of memory):
 * "headers" (show_env: keep X-Forwarded-For & co.), "origin", "url". */
json_t *hs__hb_headers(const hs__req_t *req, int show_env);
json_t *hs__hb_origin(const hs__req_t *req);
json_t *hs__hb_url(const hs__req_t *req);

/* The same "origin" and "url" texts (UTF-8) appended to a buffer; b->oom is
 * set when memory runs out. */
struct hs__sbuf_s;
void hs__hb_origin_to(const hs__req_t *req, struct hs__sbuf_s *b);
void hs__hb_url_to(const hs__req_t *req, struct hs__sbuf_s *b);

/* Calls fn(ctx, name, name_len, value, value_len) once per header name that
 * httpbin shows, in the order of its sorted keys: names re-cased as Werkzeug
 * does ('_' → '-', then str.title()), repeated names merged with their values
 * (read as ISO-8859-1) joined by "," in request order; an empty Content-Type
 * or Content-Length, nameless fields and, unless show_env, the environment
 * headers httpbin hides (X-Forwarded-For & co.) are left out. Returns 0, or
 * -1 when out of memory or when fn returns non-zero. */
typedef int (*hs_hb_field_fn)(void *ctx, const char *name, size_t nl, const char *value, size_t vl);
int hs__hb_header_fields(const hs__req_t *req, int show_env, hs_hb_field_fn fn, void *ctx);

/* httpbin's "json": body parsed as JSON if it is UTF-8 JSON, else JSON null.
 * New reference; NULL when the text is over cfg's limits (json_max_depth,
 * json_max_expansion: hs__hb_json_over_limit). */
json_t *hs__hb_body_json(const char *body, size_t len, const hs__config_t *cfg);

/* Why a JSON body is over cfg's limits: writes a one-sentence explanation
 * (NUL-terminated, cap bytes) and returns 1; returns 0 when it is within them
 * or is no JSON httpbin would echo (not UTF-8). */
int hs__hb_json_over_limit(const char *body, size_t len, const hs__config_t *cfg, char *msg,
                           size_t cap);

/* 1 if the query string has a parameter whose (form-decoded) name is `key`
 * (e.g. httpbin's "show_env" test, `'show_env' in request.args`). */
int hs__hb_query_has(hs__str_t query, const char *key);

#endif
