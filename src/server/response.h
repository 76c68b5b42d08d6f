/* The response writer: status line, headers and body appended to a connection's
 * output buffer, obeying the registry (RFC 9110 §15): reason phrases come from
 * libhttpstatus, 1xx/204 carry neither content nor Content-Length, 205/304 and
 * HEAD responses carry no content, and the headers a code requires are present
 * (asserted in debug builds). */
#ifndef HS_SERVER_RESPONSE_H
#define HS_SERVER_RESPONSE_H

#include <stdint.h>

#include "buf.h"
#include "httpstatus/registry.h"
#include "request.h"

struct hs_ctx_s;

/* One request/response exchange as seen by the router and the handlers. */
typedef struct hs_exchange_s {
  struct hs_ctx_s *ctx;
  const hs_req_t *req;
  hs_buf_t *out;        /* the connection's output buffer */
  hs_str_t tail;        /* the path after the matched route's prefix */
  int status;           /* final status written (0 until then), for the log */
  uint64_t body_bytes;  /* content bytes written, for the log */
  unsigned close : 1;   /* the connection closes after this response */
  unsigned head : 1;    /* request method is HEAD: no content */
  unsigned http10 : 1;  /* HTTP/1.0 client: no 1xx, explicit keep-alive */
} hs_exchange_t;

/* A response being written. */
typedef struct hs_resp_s {
  hs_exchange_t *x;
  int status;
  uint32_t flags;    /* HS_F_* for status */
  uint32_t requires; /* HS_HBIT mask the registry requires */
  uint32_t have;     /* HS_HBIT mask written so far */
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

/* A complete error response with a small negotiated body explaining `message`.
 * Adds Retry-After for 503 and Allow (= `allow`) for 405 when given. */
void hs__resp_error(hs_exchange_t *x, int status, const char *message, const char *allow);

#endif
