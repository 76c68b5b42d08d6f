/* One request/response exchange, whatever protocol carries it.
 *
 * A protocol adapter (server/http1, server/http2) parses a request into an
 * hs__req_t, has it admitted (admission.h), fills an hs__exchange_t with its
 * sink (how responses reach the wire) and calls hs__exchange_run(): the
 * router picks the handler, the handler answers through the response layer
 * (response.h), which speaks to the sink in fields and bytes, never in wire
 * text. A handler that cannot
 * answer at once suspends the exchange (hs__defer in response.h); the adapter
 * calls hs__exchange_run() again at x->wake_ms until it reports DONE.
 *
 * Layers (docs/ARCHITECTURE.md): handlers see the exchange and response.h
 * only; the sink interface below is implemented by each protocol. */
#ifndef HS_HTTP_EXCHANGE_H
#define HS_HTTP_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/fields.h"
#include "base/str.h"
#include "http/request.h"

struct hs_ctx_s;
typedef struct hs_exchange_s hs__exchange_t;

#define HS_LEN_UNKNOWN UINT64_MAX

/* How a response head ends (sink->head_end). */
typedef struct hs_head_end_s {
  uint64_t length;         /* content length when known (the response layer has
                              sent it as Content-Length), or HS_LEN_UNKNOWN:
                              the protocol frames the content itself */
  unsigned interim : 1;    /* a 1xx head: the final response follows */
  unsigned upgrade : 1;    /* the response switches or offers to switch protocols */
  unsigned no_content : 1; /* no content follows (HEAD, 204, 304, ...) */
} hs__head_end_t;

/* A protocol that takes over the connection after a 101 (RFC 9110 §7.8), e.g.
 * a WebSocket session. It turns bytes in into bytes out, like the adapters. */
typedef struct hs_tunnel_ops_s {
  /* Consumes n bytes from the peer, appends its answers to `out`; returns
   * non-zero when the connection should close (after `out` is written). */
  int (*feed)(void *state, const char *p, size_t n, hs__buf_t *out);
  /* The server is going away (shutdown, idle timeout): say goodbye in `out`. */
  void (*going_away)(void *state, hs__buf_t *out);
  /* Frees the state. */
  void (*destroy)(void *state);
  /* Optional timers (NULL: the connection's idle timeout ends the tunnel with
   * going_away). When wake must run next, on the ctx->now_ms clock
   * (UINT64_MAX: never); after going_away the tunnel may wait for the peer's
   * goodbye until its deadline. */
  uint64_t (*deadline)(void *state);
  /* The deadline was reached (ctx->now_ms is current): appends to `out`;
   * returns non-zero when the connection should close. */
  int (*wake)(void *state, hs__buf_t *out);
  /* Optional: every byte appended to `out` so far has been written (the
   * tunnel may give back what it counted for that output). */
  void (*drained)(void *state);
} hs__tunnel_ops_t;

/* What a protocol implements so that the response layer can send through it.
 * Every call concerns exchange x (x->conn is the protocol's own object). The
 * response layer calls, in order: head_begin, field*, head_end, then data*,
 * then finish or abort; interim (1xx) heads may come before the final one. */
typedef struct hs_sink_ops_s {
  /* Starts a response head with `status` (100-599). */
  void (*head_begin)(hs__exchange_t *x, int status);
  /* One header field of the head being written (name as it should appear in
   * HTTP/1; protocols that need lower case convert). */
  void (*field)(hs__exchange_t *x, const char *name, size_t nlen, const char *value, size_t vlen);
  /* Ends the head. */
  void (*head_end)(hs__exchange_t *x, const hs__head_end_t *e);
  /* n bytes of content. */
  void (*data)(hs__exchange_t *x, const void *p, size_t n);
  /* The content is complete; `trailers` may be NULL (RFC 9110 §6.5). */
  void (*finish)(hs__exchange_t *x, const hs__fields_t *trailers);
  /* The response cannot be completed as framed: the peer must see it cut
   * (HTTP/1 closes the connection). */
  void (*abort)(hs__exchange_t *x);
  /* Bytes of this exchange's output not yet handed to the kernel. */
  size_t (*pending)(const hs__exchange_t *x);
  /* After a 101 head: the connection carries `tunnel` from now on. Returns 0,
   * or -1 if this protocol cannot switch (the caller then destroys state). */
  int (*takeover)(hs__exchange_t *x, const hs__tunnel_ops_t *tunnel, void *state);
  /* Back-pressure: bytes this exchange may still write before its
   * connection's buffered output reaches the cap (--max-output); 0: stop,
   * return HS_PRODUCE_MORE and run again once the client has read. */
  size_t (*room)(const hs__exchange_t *x);
} hs__sink_ops_t;

/* A handler's producer (see hs__defer in response.h): returns how long to wait
 * before the next call, HS_PRODUCE_MORE (0: as soon as the output written so
 * far has left) or HS_PRODUCE_DONE. */
#define HS_PRODUCE_MORE 0
#define HS_PRODUCE_DONE (-1)
typedef int64_t (*hs_produce_fn)(hs__exchange_t *x, void *state);
typedef void (*hs_release_fn)(void *state);

/* Request content handed to the handler while it arrives (a route flagged
 * HS_ROUTE_STREAMS, router.h: the gateway's proxy). The protocol runs such
 * an exchange as soon as the request head is complete, appends content to
 * `buf` as it is read, holding at most HS_BODY_IN_MAX bytes there (HTTP/2:
 * the stream's 64 KiB window), and stops reading from the client while it
 * is full: HTTP/1 leaves the bytes in the kernel, HTTP/2 withholds
 * WINDOW_UPDATE (RFC 9113 §5.2). The handler's
 * producer takes bytes with hs__body_in_take() and is run again when more
 * arrive. Without streaming (active = 0) the content, complete, is
 * req->body. */
#define HS_BODY_IN_MAX (48 * 1024)
typedef struct hs_body_in_s {
  hs__buf_t *buf;        /* content received and not taken yet (the protocol's buffer) */
  uint64_t received;     /* content bytes received so far */
  uint64_t taken;        /* of those, taken by the handler */
  int error;             /* why the content will not complete: 413 (over --max-body), 400
                            (bad chunked framing); 0 */
  const char *error_msg; /* its explanation */
  unsigned active : 1;   /* streaming: the exchange ran at the end of the head */
  unsigned done : 1;     /* every content byte has arrived (trailers are dropped) */
} hs__body_in_t;

/* What a gateway exchange adds to its access-log line (server/proxy.c). */
typedef struct hs_xgw_s {
  char upstream[64];                     /* address forwarded to; "" when none */
  int status;                            /* the upstream's final status; 0: none */
  const char *cause;                     /* failure (gateway/failure.h); NULL: none */
  int32_t connect_ms, head_ms, total_ms; /* from the start; -1: not reached */
  char toxics[96];                       /* the toxics applied ("latency:200ms"); "" */
} hs__xgw_t;

struct hs_exchange_s {
  struct hs_ctx_s *ctx;
  const hs__req_t *req;    /* NULL for refusals before a request was parsed */
  hs__str_t tail;          /* the path after the matched route's prefix */
  int status;              /* final status sent (0 until then), for the log */
  uint64_t start_ms;       /* ctx->now_ms when the request was complete (metrics) */
  uint64_t body_bytes;     /* content bytes sent, for the log */
  int log_status;          /* logged instead of status (nginx's 495-497), or 0 */
  hs__xgw_t gw;            /* a gateway exchange's upstream, for the log */
  unsigned head : 1;       /* request method is HEAD: no content */
  unsigned started : 1;    /* hs__exchange_run has routed it */
  unsigned in_handler : 1; /* the handler is running: it may suspend */
  unsigned ops_only : 1;   /* from the --metrics-listen address: ctx->ops_routes only */
  /* Response state kept by response.c. */
  unsigned streaming : 1;  /* head sent, content not finished yet */
  unsigned no_content : 1; /* HEAD or a no-content status: pieces are dropped */
  uint64_t stream_len;     /* declared Content-Length, or HS_LEN_UNKNOWN */
  /* A refusal the protocol decided before routing (413, 417...), or 0. */
  int refusal;
  const char *refusal_msg;
  hs__body_in_t body_in; /* streamed request content (above) */
  /* Suspension (hs__defer): the producer, its state and when it runs next. */
  hs_produce_fn produce;
  hs_release_fn release;
  void *state;
  uint64_t wake_ms; /* ctx->now_ms clock */
  /* The protocol below. */
  const hs__sink_ops_t *sink;
  void *conn;
};

/* Prepares x for a request on `conn`, sending through `sink`. */
void hs__exchange_init(hs__exchange_t *x, struct hs_ctx_s *ctx, const hs__req_t *req,
                       const hs__sink_ops_t *sink, void *conn);

typedef enum { HS_X_DONE = 0, HS_X_SUSPENDED } hs__x_result_t;

/* Runs the exchange as far as it can go: the first call routes it to its
 * handler, later calls run its producer (ctx->now_ms must be current).
 * Returns HS_X_SUSPENDED (call again once ctx->now_ms reaches x->wake_ms and
 * the output has left) or HS_X_DONE: the response is complete or aborted, the
 * exchange was logged and counted, and its producer state freed. */
hs__x_result_t hs__exchange_run(hs__exchange_t *x);

/* Ends a suspended exchange early (client gone, timeout, shutdown): the
 * response is aborted if it was started, logged as 499 if nothing was sent,
 * or as HS_STATUS_SERVER_CUT when ctx->cutting (the server's drain deadline). */
void hs__exchange_abandon(hs__exchange_t *x);

/* The handler has used the first n bytes of x->body_in.buf: they are
 * dropped; the protocol reads more from the client (HTTP/2: the window is
 * opened again by n) the next time it runs the exchange. */
void hs__body_in_take(hs__exchange_t *x, size_t n);

/* Logged for an exchange the server cut at the drain deadline: nginx's 444,
 * "closed without a (complete) response", never sent on the wire. */
#define HS_STATUS_SERVER_CUT 444

#endif
