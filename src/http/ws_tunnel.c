/* A WebSocket session as the connection's tunnel (ws_tunnel.h): the protocol
 * feeds it the peer's bytes and writes what it appends to the output; the
 * endpoint's delayed Close and the session's timers run on the context's
 * clock. The process-wide limits (--max-websockets, --ws-memory) live here. */
#include "http/ws_tunnel.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/ctx.h"

/* Open sessions in this process (all workers): --max-websockets. */
static atomic_uint open_sessions;

/* Message memory of every session (all workers): --ws-memory. */
static hs__ws_budget_t budget;

struct hs__ws_tunnel_s {
  hs__ws_t *ws;
  hs__ctx_t *ctx;    /* the worker's: clock and metrics */
  uint64_t close_at; /* the endpoint's own Close is due (HS_WS_NEVER: none) */
  unsigned code;
  char reason[124];
  size_t rlen;
  int counted; /* towards --max-websockets */
  int drop;    /* at close_at: end the connection without a Close frame */
};

static int t_feed(void *s, const char *p, size_t n, hs__buf_t *out) {
  hs__ws_tunnel_t *c = s;
  return (hs__ws_feed(c->ws, p, n, c->ctx->now_ms, out) & HS_WS_CLOSE) != 0;
}

static void t_going_away(void *s, hs__buf_t *out) {
  static const char why[] = "the server is shutting down";
  hs__ws_tunnel_t *c = s;
  hs__ws_close(c->ws, 1001, why, sizeof why - 1, c->ctx->now_ms, out);
}

static void t_drained(void *s) { hs__ws_drained(((hs__ws_tunnel_t *)s)->ws); }

static void t_destroy(void *s) {
  hs__ws_tunnel_t *c = s;
  if (c->counted)
    atomic_fetch_sub(&open_sessions, 1);
  hs__metrics_ws_close(&c->ctx->metrics, 1, hs__ws_code_sent(c->ws));
  hs__metrics_ws_close(&c->ctx->metrics, 0, hs__ws_code_received(c->ws));
  hs__ws_destroy(c->ws);
  free(c);
}

static uint64_t t_deadline(void *s) {
  hs__ws_tunnel_t *c = s;
  uint64_t d = hs__ws_deadline(c->ws);
  return c->close_at < d ? c->close_at : d;
}

/* The endpoint's delayed Close, then the session's own timers. */
static int t_wake(void *s, hs__buf_t *out) {
  hs__ws_tunnel_t *c = s;
  uint64_t now = c->ctx->now_ms;
  if (now >= c->close_at) {
    c->close_at = HS_WS_NEVER;
    if (c->drop) /* RFC 6455 §7.1.5: no Close frame, so the client reports 1006 */
      return 1;
    hs__ws_close(c->ws, c->code, c->reason, c->rlen, now, out);
  }
  return (hs__ws_wake(c->ws, now, out) & HS_WS_CLOSE) != 0;
}

static const hs__tunnel_ops_t ws_tunnel = {t_feed,     t_going_away, t_destroy,
                                           t_deadline, t_wake,       t_drained};

/* Echo: every message goes back as it came. */
static void echo_message(hs__ws_t *ws, void *user, int opcode, const char *p, size_t n,
                         hs__buf_t *out) {
  hs__ws_send(ws, opcode, p, n, out);
}

hs__ws_tunnel_t *hs__ws_tunnel_new(hs__ctx_t *ctx, hs__ws_opts_t o, const hs__ws_endpoint_t *ep) {
  const hs__config_t *cfg = ctx->cfg;
  o.accept = ep->accept;
  o.on_message = echo_message;
  o.budget = &budget;
  o.budget_limit = cfg->ws_memory;
  hs__ws_tunnel_t *c = calloc(1, sizeof *c);
  if (!c || !(c->ws = hs__ws_new(&o, ctx->now_ms))) {
    free(c);
    return NULL;
  }
  c->ctx = ctx;
  c->close_at = HS_WS_NEVER;
  if (atomic_fetch_add(&open_sessions, 1) >= cfg->max_websockets) {
    /* RFC 6455 §7.4.1 (IANA 1013 Try Again Later): accept, then close at once,
     * so that browsers, which never see a refused handshake's status, see why */
    atomic_fetch_sub(&open_sessions, 1);
    c->code = 1013;
    c->rlen =
        (size_t)snprintf(c->reason, sizeof c->reason,
                         "%u WebSocket connections are open; try again later", cfg->max_websockets);
    c->close_at = ctx->now_ms;
  } else {
    c->counted = 1;
    if (ep->code) {
      c->code = ep->code;
      c->drop = ep->drop;
      memcpy(c->reason, ep->reason, ep->rlen);
      c->rlen = ep->rlen;
      c->close_at = ctx->now_ms + ep->delay_ms;
    }
  }
  return c;
}

void hs__ws_tunnel_upgrade(hs__resp_t *r, hs__ws_tunnel_t *t) {
  hs__metric_inc(&t->ctx->metrics, HS_MV_WS_SESSIONS);
  hs__resp_upgrade(r, &ws_tunnel, t); /* the connection carries the session from here on */
}
