/* Operations endpoints (issue 22): GET /metrics (Prometheus text format
 * 0.0.4, every worker's counters summed), /healthz (the process answers) and
 * /readyz (503 while starting or draining, so that a load balancer stops
 * sending before a drain ends). Also served alone on --metrics-listen. */
#include <string.h>

#include "handlers/routes.h"
#include "http/ctx.h"
#include "http/metrics.h"

/* The Content-Type of the exposition format Prometheus scrapes. */
#define METRICS_CTYPE "text/plain; version=0.0.4; charset=utf-8"

static void text(hs__exchange_t *x, int status, const char *body) {
  hs__resp_t r;
  hs__resp_begin(&r, x, status);
  hs__resp_field(&r, "Cache-Control", "no-store", 8);
  if (status == 503)
    hs__resp_field(&r, "Retry-After", "1", 1);
  hs__resp_end(&r, "text/plain; charset=utf-8", body, strlen(body));
}

/* GET /metrics: the exposition, built in the context's scratch buffer. */
static void metrics(hs__exchange_t *x) {
  hs__buf_t *out = &x->ctx->scratch;
  out->len = 0;
  hs__metrics_render(x->ctx->mset, &x->ctx->metrics, out);
  hs__resp_t r;
  hs__resp_begin(&r, x, 200);
  hs__resp_field(&r, "Cache-Control", "no-store", 8);
  hs__resp_end(&r, METRICS_CTYPE, out->base, out->len);
  out->len = 0;
}

/* GET /healthz: 200 as long as the worker answers at all (liveness). */
static void healthz(hs__exchange_t *x) { text(x, 200, "ok\n"); }

/* GET /readyz: 200 once every listener is up, 503 before and while draining. */
static void readyz(hs__exchange_t *x) {
  const hs__metrics_set_t *set = x->ctx->mset;
  int phase = set ? atomic_load((atomic_int *)&set->phase) : HS_PHASE_READY;
  if (x->ctx->draining || phase == HS_PHASE_DRAINING)
    return text(x, 503, "draining\n");
  if (phase != HS_PHASE_READY)
    return text(x, 503, "starting\n");
  text(x, 200, "ready\n");
}

const hs__route_t hs__routes_ops[] = {
    HS_ROUTE("/metrics", 0, HS_M_GET_HEAD, metrics, "/metrics",
             "Prometheus metrics: requests by code and protocol, durations, connections"),
    HS_ROUTE("/healthz", 0, HS_M_GET_HEAD, healthz, "/healthz",
             "liveness: 200 while the process answers"),
    HS_ROUTE("/readyz", 0, HS_M_GET_HEAD, readyz, "/readyz",
             "readiness: 200 when serving, 503 while starting or draining"),
    HS_ROUTE_END,
};

const hs__route_t *const hs__ops_routes[] = {hs__routes_ops, NULL};
