/* /rest/{collection}[/{id}]: the REST playground (issue 20, docs/rest.md).
 * Thin: it turns the request into the core's input (src/rest/rest.h), runs
 * the state machine against the process-wide store, and sends what it
 * answers. The store is created on first use from the serve options and
 * shared by every worker (it has its own lock). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "handlers/rest_page.h"
#include "handlers/routes.h"
#include "http/ctx.h"
#include "http/render.h"
#include "rest/rest.h"
#include "rest/store.h"

static pthread_mutex_t store_mu = PTHREAD_MUTEX_INITIALIZER;
static hs__rest_store_t *store_p;

/* The store for cfg, created once (NULL if it cannot be now: a database
 * that cannot be opened; tried again on the next request). */
static hs__rest_store_t *store_for(const hs__config_t *cfg) {
  pthread_mutex_lock(&store_mu);
  if (!store_p) {
    char err[512] = "";
    hs__rest_limits_t l = {cfg->rest_max_items,
                           cfg->rest_max_bytes,
                           cfg->rest_max_colls,
                           cfg->rest_max_namespaces,
                           (int64_t)(cfg->rest_ttl_ms / 1000),
                           (int64_t)(cfg->rest_tomb_ms / 1000)};
    store_p = hs__rest_store_open(cfg->rest_state, &l, err, sizeof err);
    if (!store_p && err[0])
      fprintf(stderr, "httpstatus: --state %s\n", err);
  }
  hs__rest_store_t *s = store_p;
  pthread_mutex_unlock(&store_mu);
  return s;
}

static hs__rest_method_t method_of(hs__method_t m) {
  switch (m) {
  case HS_M_GET:
    return HS__REST_GET;
  case HS_M_HEAD:
    return HS__REST_HEAD;
  case HS_M_POST:
    return HS__REST_POST;
  case HS_M_PUT:
    return HS__REST_PUT;
  case HS_M_PATCH:
    return HS__REST_PATCH;
  case HS_M_DELETE:
    return HS__REST_DELETE;
  default:
    return HS__REST_OTHER;
  }
}

static hs__str_t field(const hs__req_t *r, const char *name) {
  const hs__str_t *v = hs__req_header(r, name);
  return v ? *v : (hs__str_t){NULL, 0};
}

/* Sends the core's answer: fields the registry knows go through
 * hs__resp_hdr so that its rules see them (Location on 201/3xx, Allow on
 * 405, WWW-Authenticate on 401, Retry-After on 429/503). */
static void send_out(hs__exchange_t *x, hs__rest_out_t *o) {
  hs__resp_t r;
  hs__resp_begin(&r, x, o->status);
  for (size_t i = 0; i < o->fields.n; i++) {
    hs__hdr_t h = hs__fields_at(&o->fields, i);
    int known = -1;
    for (int k = 0; k < HS_H_COUNT && known < 0; k++) {
      const char *name = hs_header_name((hs_header_t)k);
      if (name && hs__str_ieq(h.name, name, strlen(name)))
        known = k;
    }
    if (known >= 0)
      hs__resp_hdr(&r, (hs_header_t)known, h.value.ptr, h.value.len);
    else
      hs__resp_field_n(&r, h.name.ptr, h.name.len, h.value.ptr, h.value.len);
  }
  hs__resp_end(&r, o->ctype, o->body.p ? o->body.p : "", o->body.len);
}

static void rest(hs__exchange_t *x) {
  const hs__req_t *req = x->req;
  hs__rest_store_t *st = store_for(x->ctx->cfg);
  uint64_t rnd = (uint64_t)(hs__ctx_random(x->ctx) * 4294967296.0) << 32 |
                 (uint64_t)(hs__ctx_random(x->ctx) * 4294967296.0);
  hs__rest_in_t in = {
      .method = method_of(req->method),
      .path = x->tail,
      .query = req->query,
      .if_match = field(req, "If-Match"),
      .if_none_match = field(req, "If-None-Match"),
      .if_modified_since = field(req, "If-Modified-Since"),
      .if_unmodified_since = field(req, "If-Unmodified-Since"),
      .prefer = field(req, "Prefer"),
      .content_type = field(req, "Content-Type"),
      .playground = field(req, "Playground"),
      .cookie = field(req, "Cookie"),
      .authorization = field(req, "Authorization"),
      .body = req->body,
      .body_len = req->body_len,
      .zh = hs__negotiate(req).lang == HS_LANG_ZH,
      .now = (int64_t)x->ctx->date_sec,
      .random = rnd,
      .max_depth = x->ctx->cfg->json_max_depth,
      .client = req->peer,
  };
  hs__rest_out_t out;
  hs__rest_handle(st, &in, &out);
  if (hs__fields_oom(&out.fields) || out.body.oom)
    hs__resp_error(x, 500, "Out of memory.", NULL);
  else
    send_out(x, &out);
  hs__rest_out_free(&out);
}

#define REST_METHODS                                                                               \
  (HS_MBIT(HS_M_GET) | HS_MBIT(HS_M_HEAD) | HS_MBIT(HS_M_POST) | HS_MBIT(HS_M_PUT) |               \
   HS_MBIT(HS_M_PATCH) | HS_MBIT(HS_M_DELETE))

const hs__route_t hs__routes_rest[] = {
    HS_ROUTE("/rest", 0, HS_M_GET_HEAD, hs__rest_page, "/rest?lang=zh",
             "the REST playground's state machine: which request in which state gives which code"),
    HS_ROUTE("/rest/", 1, REST_METHODS, rest, "/rest/{collection}/{id}",
             "a REST playground with real state: 201, 304, 409, 410, 412, 422, 428, 429... "
             "(OpenAPI: /rest/openapi.json)"),
    HS_ROUTE_END,
};
