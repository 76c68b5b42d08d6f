/* What a gateway changes in the messages it forwards (RFC 9110 §7.6): the
 * request it sends upstream (hop-by-hop fields removed, §7.6.1; Via, §7.6.3;
 * Forwarded, RFC 7239; X-Forwarded-*; CDN-Loop, RFC 8586) and which response
 * fields it passes back. Bytes out only: the sockets are in src/server. */
#ifndef HS_GATEWAY_FORWARD_H
#define HS_GATEWAY_FORWARD_H

#include <stddef.h>

#include "base/buf.h"
#include "base/str.h"

/* The request to forward. Views owned by the caller. */
typedef struct hs_gw_fwd_s {
  hs__str_t method;
  hs__str_t target;         /* origin-form request-target for the upstream */
  hs__str_t host;           /* Host field for the upstream */
  const hs__hdr_t *headers; /* the client's fields */
  size_t nheaders;
  const char *body;
  size_t body_len;
  int has_body; /* send Content-Length even when body_len is 0 */
  /* Content sent after the head, as it arrives (body unused): `length`
   * bytes (Content-Length), or chunked when its length is not known. */
  int streamed;
  int chunked;
  uint64_t length;
  hs__str_t client_addr; /* for Forwarded / X-Forwarded-For */
  hs__str_t proto;       /* "http" or "https": how the client reached us */
  hs__str_t client_host; /* the authority the client asked for */
  hs__str_t loop_id;     /* our CDN-Loop cdn-id (RFC 8586 §2) */
  int max_forwards;      /* the decremented Max-Forwards to send, or -1 for none */
} hs__gw_fwd_t;

/* Appends the HTTP/1.1 request for f to `out` (keep-alive). Expect is not
 * forwarded: the gateway answers 100-continue itself (RFC 9110 §10.1.1). */
void hs__gw_build_request(hs__buf_t *out, const hs__gw_fwd_t *f);

/* Appends the chunk-size line of a chunk of n > 0 bytes (RFC 9112 §7.1),
 * or for n == 0 the last chunk and the end of the (empty) trailer section. */
void hs__gw_chunk_line(hs__buf_t *out, size_t n);

/* Is `name` a hop-by-hop field (RFC 9110 §7.6.1), either by definition or
 * because a Connection field among `fields` names it? */
int hs__gw_hop_by_hop(hs__str_t name, const hs__hdr_t *fields, size_t n);

/* Does a CDN-Loop field among `fields` carry cdn-id `id` (RFC 8586 §2)? */
int hs__gw_loop_seen(const hs__hdr_t *fields, size_t n, hs__str_t id);

/* The Max-Forwards value among `fields` (RFC 9110 §7.6.2), or -1. */
int hs__gw_max_forwards(const hs__hdr_t *fields, size_t n);

#endif
