/* Route look-up and the router's own answers (RFC 9110 §9.3.7, §15.5.5, §15.5.6,
 * §15.6.2). */
#include "http/router.h"

#include "http/ctx.h"

#include <stdio.h>
#include <string.h>

static const hs__route_t *find(const hs__ctx_t *ctx, hs__str_t path, hs__str_t *tail,
                               int ops_only) {
  static const hs__route_t *const none[] = {NULL};
  const hs__route_t *const *tables = !ops_only         ? ctx->routes
                                     : ctx->ops_routes ? ctx->ops_routes
                                                       : none;
  for (const hs__route_t *const *t = tables; *t; t++) {
    for (const hs__route_t *r = *t; r->path; r++) {
      size_t n = r->plen;
      if ((r->prefix & 1) ? (path.len >= n && memcmp(path.ptr, r->path, n) == 0)
                          : (path.len == n && memcmp(path.ptr, r->path, n) == 0)) {
        tail->ptr = path.ptr + n;
        tail->len = path.len - n;
        return r;
      }
    }
  }
  return NULL;
}

int hs__route_refusal(const hs__ctx_t *ctx, const hs__req_t *req) {
  /* RFC 9110 §15.6.2: a method the server does not recognise → 501; CONNECT
   * only as RFC 8441's extended CONNECT, on the routes that take it */
  if (req->method == HS_M_OTHER || (req->method == HS_M_CONNECT && !req->protocol.len))
    return 501;
  if (req->asterisk)
    return 0;
  hs__str_t tail;
  const hs__route_t *r = find(ctx, req->path, &tail, 0);
  if (!r)
    return ctx->fallback ? 0 : 404;
  if (!(r->methods & HS_MBIT(req->method)) && req->method != HS_M_OPTIONS)
    return 405;
  return 0;
}

int hs__route_streams(const hs__ctx_t *ctx, const hs__req_t *req) {
  if (hs__route_refusal(ctx, req) || req->asterisk || req->method == HS_M_OPTIONS ||
      req->method == HS_M_CONNECT)
    return 0;
  hs__str_t tail;
  const hs__route_t *r = find(ctx, req->path, &tail, 0);
  return r ? (r->prefix & HS_ROUTE_STREAMS) != 0 : ctx->fallback != NULL;
}

const char *hs__route_allow(uint32_t methods, char *buf, size_t cap) {
  static const struct {
    hs__method_t m;
    const char *name;
  } order[] = {{HS_M_GET, "GET"},     {HS_M_HEAD, "HEAD"},      {HS_M_POST, "POST"},
               {HS_M_PUT, "PUT"},     {HS_M_DELETE, "DELETE"},  {HS_M_PATCH, "PATCH"},
               {HS_M_TRACE, "TRACE"}, {HS_M_OPTIONS, "OPTIONS"}};
  size_t n = 0;
  if ((methods & HS_M_ALL_BITS) == HS_M_ALL_BITS) /* every method: the server's own list */
    return snprintf(buf, cap, "%s", HS_ALLOW_ALL), buf;
  methods |= HS_MBIT(HS_M_OPTIONS);
  buf[0] = '\0';
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
    if (!(methods & HS_MBIT(order[i].m)))
      continue;
    int w = snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", order[i].name);
    if (w < 0 || (size_t)w >= cap - n)
      break;
    n += (size_t)w;
  }
  return buf;
}

/* OPTIONS (RFC 9110 §9.3.7) with the methods the target allows; the writer
 * adds httpbin's CORS preflight fields to every OPTIONS answer. httpbin's
 * endpoints answer 200 with empty content, as Flask does (clients written
 * against httpbin expect it); the server's own pages (`/`, `*`) keep 204. */
static void answer_options(hs__exchange_t *x, const char *allow, int status) {
  hs__resp_t r;
  hs__resp_begin(&r, x, status);
  hs__resp_hdr(&r, HS_H_ALLOW, allow, strlen(allow));
  hs__resp_end(&r, NULL, NULL, 0);
}

/* A CORS preflight (Fetch standard: OPTIONS with Access-Control-Request-Method)
 * is answered by the router for every route, as httpbin does, even where the
 * handler takes OPTIONS itself (/status/{code}). */
static int is_preflight(const hs__req_t *req) {
  return req->method == HS_M_OPTIONS &&
         hs__req_header(req, "access-control-request-method") != NULL;
}

void hs__route(hs__exchange_t *x) {
  const hs__req_t *req = x->req;
  if (req->method == HS_M_OTHER || (req->method == HS_M_CONNECT && !req->protocol.len)) {
    hs__resp_error(x, 501, "This server does not implement the request method.", NULL);
    return;
  }
  if (req->asterisk) { /* "OPTIONS *" asks about the server as a whole */
    answer_options(x, HS_ALLOW_ALL, 204);
    return;
  }
  hs__str_t tail;
  const hs__route_t *r = find(x->ctx, req->path, &tail, x->ops_only);
  if (!r && x->ctx->fallback && !x->ops_only) {
    x->ctx->fallback(x); /* --upstream: the upstream answers what we do not */
    return;
  }
  if (!r) {
    hs__resp_error(x, 404, "No such endpoint; GET /api lists them.", NULL);
    return;
  }
  if (!(r->methods & HS_MBIT(req->method)) || is_preflight(req)) {
    char allow[HS_ALLOW_MAX];
    hs__route_allow(r->methods, allow, sizeof allow);
    if (req->method == HS_M_OPTIONS)
      answer_options(x, allow, strcmp(r->path, "/") == 0 ? 204 : 200);
    else
      hs__resp_error(x, 405, "The endpoint does not accept this method.", allow);
    return;
  }
  x->tail = tail;
  r->fn(x);
}
