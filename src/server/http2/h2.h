/* HTTP/2 protocol adapter (RFC 9113) on nghttp2: bytes in → frames →
 * streams → exchanges → frames out. No sockets here: conn.c drives it through
 * hs__h2_proto (server/proto.h), like HTTP/1. Each stream carries one
 * exchange through the protocol-independent pipeline (http/exchange.c), with
 * its own suspension; the stream is the exchange's sink (h2_stream.c).
 *
 * Files: h2_session.c (the connection: nghttp2 session and callbacks, timers,
 * GOAWAY), h2_stream.c (a stream: request from header fields, dispatch, the
 * sink that turns responses into HEADERS/DATA frames). */
#ifndef HS_SERVER_HTTP2_H2_H
#define HS_SERVER_HTTP2_H2_H

#include <stddef.h>

#include "base/str.h"
#include "http/ctx.h"
#include "http/request.h"
#include "server/proto.h"

typedef struct hs_h2_s hs__h2_t;

/* The client connection preface (RFC 9113 §3.4), which starts every HTTP/2
 * connection in cleartext with prior knowledge. */
#define HS_H2_PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
#define HS_H2_PREFACE_LEN 24

/* A new HTTP/2 connection from `peer` whose requests have `scheme` ("http"
 * or "https"); the server's SETTINGS are queued. NULL if out of memory. */
hs__h2_t *hs__h2_new(hs__ctx_t *ctx, const char *peer, hs__str_t scheme);

/* Processes bytes that arrived before the switch (a preface read by the
 * HTTP/1 adapter). Returns HS_PROTO_* flags. */
unsigned hs__h2_feed_bytes(hs__h2_t *h, const char *p, size_t n);

/* The HTTP/1.1 Upgrade: h2c path (RFC 7540 §3.2): `settings` is the
 * HTTP2-Settings value (base64url), `req` the upgraded request, which becomes
 * stream 1 (its fields and content are copied). Returns 0, or -1 if the
 * settings are invalid. */
int hs__h2_upgrade(hs__h2_t *h, hs__str_t settings, const hs__req_t *req);

/* Over the connection limit (RFC 9110 §15.6.4): the SETTINGS go out, the
 * requests of the client's first flight are answered 503 with Retry-After,
 * then GOAWAY names the last of them and the connection closes; a client
 * that sends no request gets GOAWAY after a short wait (REFUSE_MS). */
void hs__h2_refuse(hs__h2_t *h);

/* Under TLS: a check that the connection's certificate covers each
 * request's authority; requests it does not cover get 421. */
void hs__h2_set_authority_check(hs__h2_t *h, hs_authority_check_fn check, const void *arg);

/* The adapter as conn.c drives it (the void * is an hs__h2_t, freed by free). */
extern const hs__proto_ops_t hs__h2_proto;

#endif
