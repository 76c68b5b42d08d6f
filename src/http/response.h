/* The response writer: status line, headers and body appended to a connection's
 * output buffer, obeying the registry (RFC 9110 §15): reason phrases come from
 * libhttpstatus, 1xx/204 carry neither content nor Content-Length, 205/304 and
 * HEAD responses carry no content, and the headers a code requires are present
 * (asserted in debug builds). */
#ifndef HS_SERVER_RESPONSE_H
#define HS_SERVER_RESPONSE_H

#include <stdint.h>

#include "base/buf.h"
#include "http/request.h"
#include "httpstatus/registry.h"

struct hs_ctx_s;

struct hs_defer_s;

/* One request/response exchange as seen by the router and the handlers. */
typedef struct hs_exchange_s {
  struct hs_ctx_s *ctx;
  const hs_req_t *req;
  hs_buf_t *out;       /* the connection's output buffer */
  hs_str_t tail;       /* the path after the matched route's prefix */
  int status;          /* final status written (0 until then), for the log */
  uint64_t body_bytes; /* content bytes written, for the log */
  unsigned close : 1;  /* the connection closes after this response */
  unsigned head : 1;   /* request method is HEAD: no content */
  unsigned http10 : 1; /* HTTP/1.0 client: no 1xx, explicit keep-alive */
  /* A response whose content follows its head in pieces (see "Responses
   * produced over time" below); set by hs__resp_end_stream. */
  unsigned streaming : 1;   /* head written, content not finished yet */
  unsigned chunked : 1;     /* content framed with chunked coding (RFC 9112 §7.1) */
  unsigned no_content : 1;  /* HEAD or a no-content status: pieces are dropped */
  uint64_t stream_len;      /* declared Content-Length, or HS_LEN_UNKNOWN */
  struct hs_defer_s *defer; /* where hs__defer() records a suspension (NULL: not possible) */
  struct hs_ws_s *upgrade;  /* set with a 101: the connection now carries this
                               WebSocket session (handlers/websocket.c, src/ws) */
} hs_exchange_t;

#define HS_LEN_UNKNOWN UINT64_MAX

/* A response being written. */
typedef struct hs_resp_s {
  hs_exchange_t *x;
  int status;
  uint32_t flags;         /* HS_F_* for status */
  uint32_t requires;      /* HS_HBIT mask the registry requires */
  uint32_t have;          /* HS_HBIT mask written so far */
  const char *conn_token; /* extra Connection option ("upgrade") or NULL */
} hs_resp_t;

/* Builds the precomputed status lines (called once through hs__global_init). */
void hs__response_global_init(void);

/* The reason phrase sent on the status line of `code` (the registry's phrase;
 * for "(Unused)" codes, their historical name). */
const char *hs__status_reason(int code);

/* "HTTP/1.1 418 I'm a teapot\r\n" for 100..599. */
hs_str_t hs__status_line(int code);

/* Registry flags (HS_F_*) and required headers of HTTP `code`, with RFC 9110
 * defaults for codes the registry does not know. */
uint32_t hs__status_flags(int code);
uint32_t hs__status_requires(int code);
uint32_t hs__status_expects(int code);

/* Starts a final response: status line, Date, Server. */
void hs__resp_begin(hs_resp_t *r, hs_exchange_t *x, int status);

/* Adds a header the registry knows about (counts towards its requirements). */
void hs__resp_hdr(hs_resp_t *r, hs_header_t h, const char *val, size_t vlen);

/* Adds any other header. `line` is "Name: value" without CRLF. */
void hs__resp_line(hs_resp_t *r, const char *line, size_t n);

/* Finishes: Content-Length (unless forbidden), Content-Type (when there is
 * content), Connection, the blank line and the content (unless HEAD or a
 * no-content status). `ctype` may be NULL for no content. */
void hs__resp_end(hs_resp_t *r, const char *ctype, const char *body, size_t blen);

/* Writes an interim 1xx response (RFC 9110 §15.2); `extra` is NULL or
 * preformatted header lines each ending in CRLF. Never sent to HTTP/1.0 clients
 * (returns 0 and writes nothing); returns 1 when written. */
int hs__resp_interim(hs_exchange_t *x, int code, const char *extra);

/* Adds a default value for each header the registry requires for r->status
 * and that was not written yet: for handlers that answer with a status the
 * client chose (/drip?code=). Allow: every method; WWW-/Proxy-Authenticate:
 * Basic realm="Fake Realm"; Location: /redirect/1; Content-Range: the whole
 * `content_length`; Upgrade: HTTP/2.0 (with Connection: upgrade). */
void hs__resp_required(hs_resp_t *r, uint64_t content_length);

/* A complete error response with a small negotiated body explaining `message`.
 * Adds Retry-After for 503 and Allow (= `allow`) for 405 when given. */
void hs__resp_error(hs_exchange_t *x, int status, const char *message, const char *allow);

/* ---- Responses produced over time ----
 *
 * A handler that cannot answer at once (a delay, a paced or long body)
 * suspends its exchange with hs__defer(): it returns, and the connection calls
 * `produce` later, from its event loop, to append more of the response to
 * x->out. While an exchange is suspended the connection parses no further
 * request (pipelined requests wait: responses stay in order), no request
 * timeout applies, and the request (x->req, its headers, body and x->tail)
 * stays valid. `produce` returns how long to wait before the next call:
 *   HS_PRODUCE_MORE (0): call again as soon as the output has been written
 *                        (use it to send a large body in slices with
 *                        backpressure); N > 0: call again in N ms (ctx->now_ms
 *                        is the current time); HS_PRODUCE_DONE: the response
 *                        is complete.
 * `release` (may be NULL) is called exactly once when the exchange ends, for
 * whatever reason (done, client gone, shutdown), to free what `state` refers
 * to; the state block itself belongs to the connection and is freed after it.
 * A producer must finish the response it started: if it returns DONE without a
 * final response the connection answers 500; with an unfinished body it closes
 * the connection. */
#define HS_PRODUCE_MORE 0
#define HS_PRODUCE_DONE (-1)
typedef int64_t (*hs_produce_fn)(hs_exchange_t *x, void *state);
typedef void (*hs_release_fn)(void *state);

typedef struct hs_defer_s {
  hs_produce_fn produce;
  hs_release_fn release;
  void *state;
  int64_t wait_ms; /* before the first call (HS_PRODUCE_MORE or N ms) */
} hs_defer_t;

/* What a producer returns to be called again at time `at` (ms, on the
 * ctx->now_ms clock): the whole milliseconds left, rounded up, at least 1 (0
 * would mean HS_PRODUCE_MORE). */
int64_t hs__produce_at(const hs_exchange_t *x, double at);

/* Suspends x (call at most once, from the handler): `produce` is first called
 * after `wait_ms` (0: when the output written so far has left). Returns a
 * zeroed state block of `state_size` bytes owned by the connection, or NULL if
 * the exchange cannot be suspended (out of memory): the handler must then
 * answer at once. The handler may write a response head (or more) before
 * returning. */
void *hs__defer(hs_exchange_t *x, hs_produce_fn produce, hs_release_fn release, size_t state_size,
                int64_t wait_ms);

/* Finishes the head of a response whose content is written in pieces with
 * hs__resp_write() and ended with hs__resp_finish(). `length` is the content
 * length when known (sent as Content-Length, as /drip does), else
 * HS_LEN_UNKNOWN: HTTP/1.1 clients then get Transfer-Encoding: chunked, HTTP/1.0
 * clients a close-delimited body (Connection: close; RFC 9112 §6.3). HEAD gets
 * the same head and no content (RFC 9110 §9.3.2), so do 1xx/204/205/304. */
void hs__resp_end_stream(hs_resp_t *r, const char *ctype, uint64_t length);

/* Appends n bytes of content (one chunk when chunked; nothing for HEAD). */
void hs__resp_write(hs_exchange_t *x, const void *p, size_t n);

/* Ends the content: the last chunk, then `trailers` (NULL, or field lines each
 * ending in CRLF; RFC 9112 §7.1.2) when chunked. A known length that was not
 * met closes the connection (the client sees a truncated body). */
void hs__resp_finish(hs_exchange_t *x, const char *trailers);

#endif
