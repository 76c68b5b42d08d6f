/* The exchange pipeline (exchange.h): route → handler → (suspend → resume)*
 * → finish → log, in hs__exchange_run. */
#include "http/exchange.h"

#include <stdlib.h>
#include <string.h>

#include "http/ctx.h"
#include "http/response.h"
#include "http/router.h"

void hs__exchange_init(hs__exchange_t *x, hs__ctx_t *ctx, const hs__req_t *req,
                       const hs__sink_ops_t *sink, void *conn) {
  memset(x, 0, sizeof(*x));
  x->ctx = ctx;
  x->req = req;
  x->head = req && req->method == HS_M_HEAD;
  x->sink = sink;
  x->conn = conn;
  x->start_ms = ctx->now_ms;
}

/* The end of every exchange, however it went: makes sure what was sent is a
 * whole response or is cut, frees the producer's state, logs and counts it.
 * Abandoned: logged 499 "client closed request" if nothing was sent; cut by
 * the server at the drain deadline: logged HS_STATUS_SERVER_CUT whatever was
 * sent, so that an operator tells the two apart (nginx's conventions). */
static void exchange_end(hs__exchange_t *x, int abandoned) {
  if (abandoned) {
    if (x->status)
      hs__resp_abort(x);
    if (x->ctx->cutting)
      x->status = HS_STATUS_SERVER_CUT;
    else if (!x->status)
      x->status = 499;
  } else if (!x->status) {
    hs__resp_error(x, 500, "The response could not be produced.", NULL);
  } else if (x->streaming) {
    hs__resp_abort(x); /* content left unfinished: only cutting it can tell the client */
  }
  if (x->release)
    x->release(x->state);
  free(x->state);
  x->produce = NULL;
  x->release = NULL;
  x->state = NULL;
  if (x->ctx->on_exchange_end)
    x->ctx->on_exchange_end(x->ctx, x);
  x->ctx->requests++;
  const hs__req_t *req = x->req;
  hs__metrics_request(&x->ctx->metrics, x->status,
                      req && req->major == 2 ? HS_MPROTO_H2 : HS_MPROTO_H1,
                      req && req->scheme.len == 5, x->ctx->now_ms - x->start_ms);
  if (x->refusal)
    hs__metrics_refusal(&x->ctx->metrics, x->refusal);
}

hs__x_result_t hs__exchange_run(hs__exchange_t *x) {
  hs__ctx_tick(x->ctx);
  if (!x->started) {
    /* 1. route to the handler (or answer the protocol's refusal); the handler
     *    answers at once or suspends the exchange with hs__defer() */
    x->started = 1;
    x->in_handler = 1;
    if (x->refusal)
      hs__resp_error(x, x->refusal, x->refusal_msg, NULL);
    else
      hs__route(x);
    x->in_handler = 0;
    if (x->produce)
      return HS_X_SUSPENDED; /* 2. the protocol calls again at x->wake_ms */
  } else if (x->produce) {
    /* 3. a suspended exchange: its producer sends more, or finishes */
    int64_t wait = x->produce(x, x->state);
    if (wait >= 0) {
      x->wake_ms = x->ctx->now_ms + (uint64_t)wait;
      return HS_X_SUSPENDED;
    }
  }
  /* 4. finished: complete (or cut) the response, free, log, count */
  exchange_end(x, 0);
  return HS_X_DONE;
}

void hs__body_in_take(hs__exchange_t *x, size_t n) {
  hs__buf_t *b = x->body_in.buf;
  if (!b || n == 0)
    return;
  if (n > b->len)
    n = b->len;
  memmove(b->base, b->base + n, b->len - n);
  b->len -= n;
  x->body_in.taken += n;
}

void hs__exchange_abandon(hs__exchange_t *x) {
  if (x->produce || x->state)
    exchange_end(x, 1);
}
