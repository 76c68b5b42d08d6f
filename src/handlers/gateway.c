/* /gateway/{kind} and /proxy/{path} (issue 19): thin. They read the query
 * into a plan (gateway/plan.h) and hand the exchange to the server's proxy,
 * which connects, forwards, reads the upstream's answer and maps failures to
 * the codes nginx, Cloudflare or Envoy would give. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/plan.h"
#include "gateway/toxics.h"
#include "handlers/routes.h"
#include "http/ctx.h"
#include "http/render.h"
#include "http/response.h"

#define DEMO_TIMEOUT_MS 5000 /* /gateway/{kind} without ?timeout= */

/* Seconds in query parameter `key` as ms, clamped to [0, max]; `def` when
 * absent. Returns -1 when present but not a number. */
static int64_t query_secs(const hs__req_t *req, const char *key, uint64_t def, uint64_t max) {
  hs__str_t v;
  if (!hs__req_query(req, key, &v))
    return (int64_t)(def < max ? def : max);
  char tmp[32];
  if (!v.len || v.len >= sizeof(tmp))
    return -1;
  memcpy(tmp, v.ptr, v.len);
  tmp[v.len] = 0;
  char *end;
  double s = strtod(tmp, &end);
  if (*end || !(s >= 0) || s > 1e9)
    return -1;
  double ms = s * 1000.0;
  return (int64_t)(ms > (double)max ? (double)max : ms);
}

/* ?as=nginx|cloudflare|envoy, else the --gateway-codes default; -1 if bad. */
static int query_vendor(hs__exchange_t *x) {
  hs__str_t v;
  if (!hs__req_query(x->req, "as", &v))
    return x->ctx->cfg->gateway_codes;
  return hs__gw_vendor_parse(v.ptr, v.len);
}

/* The plan's toxics: --upstream-toxics, then ?toxics= (percent-decoded) on
 * top, durations capped by --max-delay. Returns 0, or -1 after answering
 * 400 with what is wrong. */
static int plan_toxics(hs__exchange_t *x, hs__gw_toxics_t *t) {
  const hs__config_t *cfg = x->ctx->cfg;
  char err[256], msg[400];
  *t = (hs__gw_toxics_t){0};
  if (cfg->upstream_toxics) /* checked at startup */
    hs__gw_toxics_parse(t, cfg->upstream_toxics, strlen(cfg->upstream_toxics), err, sizeof(err));
  hs__str_t v;
  if (hs__req_query(x->req, "toxics", &v)) {
    char spec[512];
    long n = hs__pct_decode(v, spec, sizeof(spec));
    if (n < 0)
      snprintf(err, sizeof(err), "toxics is not a well percent-encoded value of at most %zu bytes",
               sizeof(spec));
    if (n < 0 || hs__gw_toxics_parse(t, spec, (size_t)n, err, sizeof(err)) != 0) {
      snprintf(msg, sizeof(msg),
               "Bad toxics: %s. Example: ?toxics=latency:200ms,jitter:50ms,bandwidth:10 "
               "(docs/server.md, Toxics).",
               err);
      hs__resp_error(x, 400, msg, NULL);
      return -1;
    }
  }
  hs__gw_toxics_cap(t, cfg->max_delay_ms * 1000);
  return 0;
}

static void start(hs__exchange_t *x, hs__gw_plan_t *plan) {
  if (plan_toxics(x, &plan->toxics) != 0)
    return;
  if (!x->ctx->proxy_start) {
    hs__resp_error(x, 501, "This server was built without its gateway.", NULL);
    return;
  }
  if (x->ctx->proxy_start(x, plan) != 0)
    hs__resp_error(x, 500, "The gateway could not start this exchange (out of memory).", NULL);
}

/* /gateway/{kind}?as=&timeout=&idle=&after=&rate=&toxics=: timeout bounds
 * the connect and the wait for the head, idle (default: timeout) the pauses
 * in the body; after is slow-headers' delay, rate slow-body's bytes per
 * second; toxics (gateway/toxics.h) act on what the upstream answers. */
static void gateway_handler(hs__exchange_t *x) {
  const hs__config_t *cfg = x->ctx->cfg;
  int kind = hs__gw_kind_parse(x->tail);
  if (kind < 0) {
    hs__resp_error(x, 404,
                   "Unknown gateway kind. Kinds: ok, refuse, reset, hang, blackhole, "
                   "slow-headers, garbage, truncate, slow-body, unresolvable, loop.",
                   NULL);
    return;
  }
  int vendor = query_vendor(x);
  int64_t timeout = query_secs(x->req, "timeout", DEMO_TIMEOUT_MS, cfg->max_delay_ms);
  int64_t idle =
      query_secs(x->req, "idle", (uint64_t)(timeout < 0 ? 0 : timeout), cfg->max_delay_ms);
  int64_t after = query_secs(x->req, "after", 2000, cfg->max_delay_ms);
  hs__str_t rate_s;
  long long rate = 1024;
  if (hs__req_query(x->req, "rate", &rate_s)) {
    char tmp[24];
    char *end;
    rate = -1;
    if (rate_s.len && rate_s.len < sizeof(tmp)) {
      memcpy(tmp, rate_s.ptr, rate_s.len);
      tmp[rate_s.len] = 0;
      rate = strtoll(tmp, &end, 10);
      if (*end || rate < 1 || rate > (1 << 26))
        rate = -1;
    }
  }
  if (vendor < 0 || timeout < 0 || idle < 0 || after < 0 || rate < 0) {
    hs__resp_error(x, 400,
                   "Bad query: as=nginx|cloudflare|envoy, timeout and after in seconds (at most "
                   "--max-delay), rate in bytes per second.",
                   NULL);
    return;
  }
  hs__gw_plan_t plan = {0};
  plan.kind = (hs__gw_kind_t)kind;
  plan.vendor = (hs__gw_vendor_t)vendor;
  plan.connect_ms = plan.head_ms = (uint64_t)timeout;
  plan.idle_ms = (uint64_t)idle;
  plan.after_ms = (uint64_t)after;
  plan.rate = (uint64_t)rate;
  plan.target = x->req->target;
  start(x, &plan);
}

/* Forwards x to --upstream with `target` (an origin-form request-target). */
static void forward(hs__exchange_t *x, hs__str_t target) {
  const hs__config_t *cfg = x->ctx->cfg;
  int vendor = query_vendor(x);
  hs__gw_plan_t plan = {0};
  plan.kind = HS_GW_K_UPSTREAM;
  plan.vendor = vendor < 0 ? (hs__gw_vendor_t)cfg->gateway_codes : (hs__gw_vendor_t)vendor;
  plan.connect_ms = cfg->upstream_connect_ms;
  plan.head_ms = cfg->upstream_timeout_ms;
  plan.idle_ms = cfg->upstream_idle_ms;
  plan.target = target.len && target.ptr[0] == '/' ? target : HS_STR("/");
  start(x, &plan);
}

/* The router's fallback: the request's origin-form target (an absolute-form
 * target loses its scheme and authority, RFC 9112 §3.2.2). */
void hs__gateway_fallback(hs__exchange_t *x) {
  const hs__req_t *req = x->req;
  hs__str_t t = req->target;
  if (t.len && t.ptr[0] != '/' && req->path.ptr >= t.ptr && req->path.ptr < t.ptr + t.len)
    t = (hs__str_t){req->path.ptr, (size_t)(t.ptr + t.len - req->path.ptr)};
  forward(x, t);
}

/* ANY /proxy/{path}: forwarded to --upstream as /{path}?query */
static void proxy_handler(hs__exchange_t *x) {
  if (!x->ctx->cfg->upstream_host[0]) {
    /* nginx's "no live upstreams" is a 502 too */
    hs__resp_error(x, 502, "No upstream is configured (httpstatus serve --upstream URL).", NULL);
    return;
  }
  /* "/proxy/a/b?q" → "/a/b?q": the target from the slash before the tail */
  hs__str_t t = x->req->target;
  if (t.len >= 6 && memcmp(t.ptr, "/proxy", 6) == 0)
    t = (hs__str_t){t.ptr + 6, t.len - 6};
  forward(x, t);
}

/* GET /client-cert?verify=on|optional (nginx's ssl_verify_client): 200 with
 * the certificate's subject; 400 logged 496 when verify=on and none was
 * sent; 400 logged 495 when one was sent and does not verify. Needs the
 * TLS listener with --tls-client-ca. */
static void client_cert_handler(hs__exchange_t *x) {
  hs__str_t v;
  int on = 1;
  if (hs__req_query(x->req, "verify", &v)) {
    if (v.len == 8 && memcmp(v.ptr, "optional", 8) == 0)
      on = 0;
    else if (!(v.len == 2 && memcmp(v.ptr, "on", 2) == 0)) {
      hs__resp_error(x, 400, "verify is on or optional.", NULL);
      return;
    }
  }
  char subj[512] = "";
  const char *why = "";
  int r = x->ctx->client_cert ? x->ctx->client_cert(x->ctx, subj, sizeof(subj), &why) : -2;
  if (r == -2) {
    hs__resp_error(
        x, 400, "Client certificates are asked for only over TLS with --tls-client-ca FILE.", NULL);
    return;
  }
  if (r == -1 || (r == 0 && on)) { /* nginx: 400 to the client, 495 or 496 in the log */
    x->log_status = r == -1 ? 495 : 496;
    hs__resp_error(x, 400,
                   r == -1 ? "The SSL certificate error" : "No required SSL certificate was sent",
                   NULL);
    return;
  }
  hs__buf_t *b = &x->ctx->scratch; /* RFC 2253 escapes with backslashes: JSON-escape it */
  b->len = 0;
  hs__buf_lit(b, "{\n  \"subject\": \"");
  if (r == 1)
    hs__json_escape(b, subj, strlen(subj));
  hs__buf_str(b, r == 1 ? "\",\n  \"verified\": true\n}\n" : "\",\n  \"verified\": false\n}\n");
  hs__resp_t resp;
  hs__resp_begin(&resp, x, 200);
  hs__resp_end(&resp, "application/json", b->base, b->len);
}

/* /gateway/{kind} takes the methods a request may carry to an upstream;
 * OPTIONS is the router's (Allow), TRACE is not forwarded. */
#define GATEWAY_BITS                                                                               \
  (HS_MBIT(HS_M_GET) | HS_MBIT(HS_M_HEAD) | HS_MBIT(HS_M_POST) | HS_MBIT(HS_M_PUT) |               \
   HS_MBIT(HS_M_DELETE) | HS_MBIT(HS_M_PATCH))

const hs__route_t hs__routes_gateway[] = {
    HS_ROUTE("/gateway/", 1 | HS_ROUTE_STREAMS, GATEWAY_BITS, gateway_handler,
             "/gateway/{kind}?as=&timeout=&idle=&toxics=",
             "proxies to a misbehaving upstream: the real 502, 504, 508 or 52x"),
    HS_ROUTE("/client-cert", 0, HS_M_GET_HEAD, client_cert_handler,
             "/client-cert?verify=on|optional",
             "your TLS client certificate, or nginx's 400 (logged 495/496)"),
    HS_ROUTE("/proxy/", 1 | HS_ROUTE_STREAMS, HS_M_ALL_BITS, proxy_handler, "/proxy/{path}",
             "forwards to --upstream"),
    HS_ROUTE_END,
};
