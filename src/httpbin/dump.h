/* The text go-httpbin's /dump/request answers with (Go's
 * httputil.DumpRequest): the request line as received, Host,
 * Transfer-Encoding when chunked, the other header fields sorted by canonical
 * name (Trailer left out), an empty line, the body (re-chunked as one chunk
 * when it came chunked, RFC 9112 §7.1). This is content describing a request,
 * not something written to the wire. */
#ifndef HS_HTTPBIN_DUMP_H
#define HS_HTTPBIN_DUMP_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/str.h"

/* The parts of a request the dump shows (views; nothing is owned). */
typedef struct hb_dump_req_s {
  hs__str_t method_name;
  hs__str_t target;
  uint8_t major, minor;
  hs__str_t host;
  unsigned chunked;
  const hs__hdr_t *headers;
  size_t nheaders;
  const char *body;
  size_t body_len;
} hb_dump_req_t;

/* Appends the dump of `req` to b. Returns 0, or -1 when out of memory. */
int hb_dump_request(const hb_dump_req_t *req, hs__buf_t *b);

#endif
