/* The in-memory exchange: a request written as HTTP/1.1 text runs through
 * admission (admission.h) and the pipeline (exchange.h), and its response
 * comes out as the HTTP/1.1 text a keep-alive connection would carry, with no
 * socket and no protocol adapter: for unit tests of the pipeline and for the
 * reference pages' example exchanges. */
#ifndef HS_HTTP_MEMSINK_H
#define HS_HTTP_MEMSINK_H

#include <stddef.h>

#include "base/buf.h"
#include "http/admission.h"
#include "http/exchange.h"

struct hs_ctx_s;

#define HS__MEM_MAX_FIELDS 64

typedef struct hs__mem_s {
  hs__buf_t out;   /* the response: interim heads, then the final one */
  int status;      /* final status (0: none was sent) */
  int interim_100; /* a 100 Continue was sent */
  unsigned chunked : 1;
  unsigned aborted : 1;
  unsigned close : 1; /* HTTP/1 would close after this answer (Connection: close) */
  /* the request (views into the caller's text) */
  hs__req_t req;
  hs__hdr_t hdrs[HS__MEM_MAX_FIELDS];
  hs__admit_cover_fn covered; /* optional: a certificate's coverage, for 421 */
  const void *covered_arg;
} hs__mem_t;

/* Prepares m (out empty). */
void hs__mem_init(hs__mem_t *m);
void hs__mem_free(hs__mem_t *m);

/* Runs one request given as HTTP/1.1 text (request line, fields, blank line,
 * then the content; lines end with CRLF or LF; "Transfer-Encoding: chunked"
 * here means only that the content has no declared length) on ctx's routes,
 * producers run at once (bounded). The request limits of ctx->cfg apply as
 * HTTP/1 applies them (414, 431, 413: answered without the request, then
 * Connection: close). The exchange is neither logged nor counted. Returns 0,
 * or -1 when `text` is not a request this reader takes (m->out then empty).
 * The request's views point into `text`, which must outlive m->req's use. */
int hs__mem_run(struct hs_ctx_s *ctx, const char *text, size_t len, hs__mem_t *m);

/* Appends `text` (a request written with LF or CRLF line ends) to `out`
 * with CRLF after each line of its head, the content as it is: the bytes
 * a client sends. */
void hs__mem_crlf(hs__buf_t *out, const char *text, size_t len);

/* The HTTP/1.1 writer into m->out (x->conn is the hs__mem_t). */
extern const hs__sink_ops_t hs__mem_sink;

#endif
