/* The router: method + path → handler, and the decisions that need no handler:
 * 404 (no route), 405 with Allow (route exists, method not allowed), 501
 * (method not implemented), OPTIONS (Allow). */
#ifndef HS_SERVER_ROUTER_H
#define HS_SERVER_ROUTER_H

#include <stdint.h>

#include "http/response.h"

typedef void (*hs_handler_fn)(hs_exchange_t *x);

/* One route. Tables of routes end with an entry whose path is NULL. */
typedef struct hs_route_s {
  const char *path;  /* "/status" (exact) or "/status/" with prefix = 1 */
  size_t plen;       /* strlen(path) */
  unsigned prefix;   /* match every path starting with `path` */
  uint32_t methods;  /* HS_MBIT set the handler accepts */
  const char *allow; /* Allow field value for 405 / OPTIONS */
  hs_handler_fn fn;
  const char *usage; /* how to call it, e.g. "/bytes/{n}?seed=" (NULL: not listed) */
  const char *doc;   /* what it does, one line: `/` lists every route by these */
} hs_route_t;

/* One route table entry:
 *   HS_ROUTE("/status/", 1, methods, "GET, ...", fn, "/status/{code}", "answers ...")
 * `usage` and `doc` describe the route on the endpoint list of `/`; a route
 * that only completes another (a bare "/status" answering with its usage)
 * passes NULL for both and is not listed. */
#define HS_ROUTE(path, prefix, methods, allow, fn, usage, doc)                                     \
  { path, sizeof(path) - 1, prefix, methods, allow, fn, usage, doc }
#define HS_ROUTE_END                                                                               \
  { NULL, 0, 0, 0, NULL, NULL, NULL, NULL }

/* The methods (and Allow value) of a read-only endpoint: GET and HEAD. */
#define HS_M_GET_HEAD (HS_MBIT(HS_M_GET) | HS_MBIT(HS_M_HEAD))
#define HS_ALLOW_GET_HEAD "GET, HEAD, OPTIONS"

/* Runs the whole routing decision for x->req and writes the response. */
void hs__route(hs_exchange_t *x);

/* The status the router would answer without reading the content (404, 405,
 * 501), or 0 if a handler would take the request. Used before sending
 * 100 Continue (RFC 9110 §10.1.1). */
int hs__route_refusal(const struct hs_ctx_s *ctx, const hs_req_t *req);

#endif
