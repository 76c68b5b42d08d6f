/* The router: method + path → handler, and the decisions that need no handler:
 * 404 (no route), 405 with Allow (route exists, method not allowed), 501
 * (method not implemented), OPTIONS (Allow). */
#ifndef HS_HTTP_ROUTER_H
#define HS_HTTP_ROUTER_H

#include <stdint.h>

#include "http/response.h"

typedef void (*hs_handler_fn)(hs__exchange_t *x);

/* One route. Tables of routes end with an entry whose path is NULL. */
typedef struct hs_route_s {
  const char *path; /* "/status" (exact) or "/status/" with prefix = 1 */
  size_t plen;      /* strlen(path) */
  unsigned prefix;  /* bit 1: match every path starting with `path`; HS_ROUTE_STREAMS */
  uint32_t methods; /* HS_MBIT set the handler accepts: the only place they are written */
  hs_handler_fn fn;
  const char *usage; /* how to call it, e.g. "/bytes/{n}?seed=" (NULL: not listed) */
  const char *doc;   /* what it does, one line: `/` lists every route by these */
} hs__route_t;

/* One route table entry:
 *   HS_ROUTE("/status/", 1, methods, fn, "/status/{code}", "answers ...")
 * `methods` is written once: the router derives 405, the Allow value of 405
 * and OPTIONS answers (hs__route_allow) from it, the response layer drops
 * the content of HEAD answers, and /api lists the route by `usage` and
 * `doc`. A route that only completes another (a bare "/status" answering
 * with its usage) passes NULL for both and is not listed. */
#define HS_ROUTE(path, prefix, methods, fn, usage, doc)                                            \
  { path, sizeof(path) - 1, prefix, methods, fn, usage, doc }
#define HS_ROUTE_END                                                                               \
  { NULL, 0, 0, 0, NULL, NULL, NULL }

/* Or'ed into HS_ROUTE's `prefix`: the handler reads the request content as
 * it arrives (exchange.h, hs__body_in_t), so the protocol runs it at the end
 * of the head instead of after the content. */
#define HS_ROUTE_STREAMS 2u

/* The methods of a read-only endpoint: GET and HEAD. */
#define HS_M_GET_HEAD (HS_MBIT(HS_M_GET) | HS_MBIT(HS_M_HEAD))
/* Every method but OPTIONS (which the router answers): the echo endpoints. */
#define HS_M_ANY                                                                                   \
  (HS_M_GET_HEAD | HS_MBIT(HS_M_POST) | HS_MBIT(HS_M_PUT) | HS_MBIT(HS_M_DELETE) |                 \
   HS_MBIT(HS_M_PATCH) | HS_MBIT(HS_M_TRACE))
/* A read-only endpoint at an exact path. */
#define HS_GET_ROUTE(path, fn, usage, doc) HS_ROUTE(path, 0, HS_M_GET_HEAD, fn, usage, doc)

/* Writes the Allow value (RFC 9110 §10.2.1) of a route accepting `methods`
 * into buf (NUL-terminated, cap >= HS_ALLOW_MAX): its methods in a fixed
 * order, then OPTIONS, which the router always answers; a route taking every
 * method has the server's own list (HS_ALLOW_ALL, as for OPTIONS *).
 * Returns buf. */
#define HS_ALLOW_MAX 64
const char *hs__route_allow(uint32_t methods, char *buf, size_t cap);

/* Runs the whole routing decision for x->req and writes the response. */
void hs__route(hs__exchange_t *x);

/* The status the router would answer without reading the content (404, 405,
 * 501), or 0 if a handler would take the request. Used before sending
 * 100 Continue (RFC 9110 §10.1.1). */
int hs__route_refusal(const struct hs_ctx_s *ctx, const hs__req_t *req);

/* Does the handler that will take `req` read its content as it arrives (a
 * route flagged HS_ROUTE_STREAMS, or the --upstream fallback)? 0 when the
 * router answers it itself (404, 405, 501, OPTIONS, preflight). */
int hs__route_streams(const struct hs_ctx_s *ctx, const hs__req_t *req);

#endif
