/* The response layer: what handlers call to answer. A response is a status,
 * header fields and content (whole, or produced over time), under the
 * registry's rules (RFC 9110 §15): reason phrases come from libhttpstatus,
 * 1xx/204 carry neither content nor Content-Length, 205/304 and HEAD
 * responses carry no content, and the headers a code requires are present
 * (asserted in debug builds). How it reaches the wire is the exchange's sink
 * (exchange.h): nothing here writes protocol text. */
#ifndef HS_HTTP_RESPONSE_H
#define HS_HTTP_RESPONSE_H

#include <stdint.h>

#include "base/fields.h"
#include "http/exchange.h"
#include "http/request.h"
#include "httpstatus/registry.h"

/* A response head being written. */
typedef struct hs_resp_s {
  hs__exchange_t *x;
  int status;
  uint32_t flags;       /* HS_F_* for status */
  uint32_t requires;    /* HS_HBIT mask the registry requires */
  uint32_t have;        /* HS_HBIT mask written so far */
  unsigned upgrade : 1; /* offers or performs a protocol switch (Upgrade; RFC 9110 §7.8) */
} hs__resp_t;

/* Starts a final response: Date, Server and httpbin's CORS fields. */
void hs__resp_begin(hs__resp_t *r, hs__exchange_t *x, int status);

/* Starts a final response relayed from an upstream (a gateway, RFC 9110
 * §7.6): no Date, Server or CORS fields of ours (the upstream's fields follow)
 * and no registry requirements checked (what the upstream omitted is its
 * answer, passed on as it is). */
void hs__resp_begin_relay(hs__resp_t *r, hs__exchange_t *x, int status);

/* Adds a header the registry knows about (counts towards its requirements). */
void hs__resp_hdr(hs__resp_t *r, hs_header_t h, const char *val, size_t vlen);

/* Adds any other header field: `name` is NUL-terminated, the value vlen bytes. */
void hs__resp_field(hs__resp_t *r, const char *name, const char *val, size_t vlen);

/* The same with a name of known length (not NUL-terminated). */
void hs__resp_field_n(hs__resp_t *r, const char *name, size_t nlen, const char *val, size_t vlen);

/* Adds every field of `f` (may be NULL). */
void hs__resp_fields(hs__resp_t *r, const hs__fields_t *f);

/* Finishes: Content-Type (when there is content), Content-Length (unless
 * forbidden), then the content (unless HEAD or a no-content status). `ctype`
 * may be NULL for no content. */
void hs__resp_end(hs__resp_t *r, const char *ctype, const char *body, size_t blen);

/* Sends an interim 1xx response (RFC 9110 §15.2) with `fields` (may be NULL).
 * Never sent to HTTP/1.0 clients (returns 0 and sends nothing); returns 1 when
 * sent. */
int hs__resp_interim(hs__exchange_t *x, int code, const hs__fields_t *fields);

/* Ends the head of a 101 Switching Protocols begun with hs__resp_begin (the
 * handler has added Upgrade and what the new protocol needs), or of the 200
 * to an HTTP/2 extended CONNECT (RFC 8441 §5): from now on the connection
 * (HTTP/2: the stream) carries `tunnel` (state owned by it; destroyed here if
 * the protocol cannot switch, and the connection then closes). */
void hs__resp_upgrade(hs__resp_t *r, const hs__tunnel_ops_t *tunnel, void *state);

/* A bare 101 naming `protocol` in Upgrade, after which the connection closes:
 * for /status/101, where we announce a switch we cannot make. */
void hs__resp_switch_and_close(hs__exchange_t *x, hs__str_t protocol);

/* Adds a default value for each header the registry requires for r->status
 * and that was not written yet: for handlers that answer with a status the
 * client chose (/drip?code=). Allow: every method; WWW-/Proxy-Authenticate:
 * Basic realm="Fake Realm"; Location: /redirect/1; Content-Range: the whole
 * `content_length`; Upgrade: HTTP/2.0. */
void hs__resp_required(hs__resp_t *r, uint64_t content_length);

/* A complete error response with a small negotiated body explaining `message`.
 * Adds Retry-After for 503 and Allow (= `allow`) for 405 when given. */
void hs__resp_error(hs__exchange_t *x, int status, const char *message, const char *allow);

/* ---- Responses produced over time ----
 *
 * A handler that cannot answer at once (a delay, a paced or long body)
 * suspends its exchange with hs__defer(): it returns, and the exchange calls
 * `produce` later to send more of the response. While an exchange is
 * suspended the request (x->req, its headers, body and x->tail) stays valid,
 * no request timeout applies, and on HTTP/1 later pipelined requests wait.
 * `produce` returns HS_PRODUCE_MORE (0: call again as soon as the output has
 * been written: send a large body in slices with backpressure), N > 0 (call
 * again in N ms; ctx->now_ms is the current time) or HS_PRODUCE_DONE.
 * `release` (may be NULL) is called exactly once when the exchange ends, for
 * whatever reason (done, client gone, shutdown), to free what `state` refers
 * to; the state block itself belongs to the exchange. A producer must finish
 * the response it started: if it returns DONE without a final response the
 * client gets 500; with an unfinished body the response is aborted. */

/* What a producer returns to be called again at time `at` (ms, on the
 * ctx->now_ms clock): the whole milliseconds left, rounded up, at least 1. */
int64_t hs__produce_at(const hs__exchange_t *x, double at);

/* Suspends x (at most once, from the handler): `produce` is first called
 * after `wait_ms` (0: when the output written so far has left). Returns a
 * zeroed state block of `state_size` bytes owned by the exchange, or NULL if
 * the exchange cannot be suspended (out of memory): the handler must then
 * answer at once. The handler may send a response head (or more) first. */
void *hs__defer(hs__exchange_t *x, hs_produce_fn produce, hs_release_fn release, size_t state_size,
                int64_t wait_ms);

/* Finishes the head of a response whose content is sent in pieces with
 * hs__resp_write() and ended with hs__resp_finish(). `length` is the content
 * length when known (sent as Content-Length, as /drip does), else
 * HS_LEN_UNKNOWN: the protocol frames it (HTTP/1.1: chunked; HTTP/1.0: the
 * connection closes after it). HEAD gets the same head and no content (RFC
 * 9110 §9.3.2), so do 1xx/204/205/304. */
void hs__resp_end_stream(hs__resp_t *r, const char *ctype, uint64_t length);

/* Sends n bytes of content (nothing for HEAD). */
void hs__resp_write(hs__exchange_t *x, const void *p, size_t n);

/* Ends the content, with `trailers` (may be NULL; RFC 9110 §6.5) where the
 * framing carries them. A known length that was not met aborts the response
 * (the client sees it cut). */
void hs__resp_finish(hs__exchange_t *x, const hs__fields_t *trailers);

/* The response cannot be completed (out of memory after the head, ...): the
 * client sees it cut short. */
void hs__resp_abort(hs__exchange_t *x);

/* Bytes this exchange has sent that still wait to leave: a producer's
 * backpressure measure. */
size_t hs__resp_pending(const hs__exchange_t *x);

/* Bytes a producer may write now before its connection's output cap; 0: wait
 * (return HS_PRODUCE_MORE). The one back-pressure question every producer
 * asks: handlers' bodies, and later a gateway reading from upstream. */
size_t hs__resp_room(const hs__exchange_t *x);

#endif
