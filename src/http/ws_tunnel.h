/* The connection's tunnel after a 101 to a WebSocket endpoint: a session from
 * src/ws/ fed by the protocol with the peer's bytes, writing its frames to the
 * protocol's output, plus the endpoint's own Close (code, reason, delay). The
 * handler decides the handshake and the session's options; it never sees the
 * bytes (docs/ARCHITECTURE.md: handlers never see the wire). */
#ifndef HS_HTTP_WS_TUNNEL_H
#define HS_HTTP_WS_TUNNEL_H

#include "http/response.h"
#include "ws/ws.h"

typedef struct hs__ws_tunnel_s hs__ws_tunnel_t;

/* What the endpoint does besides the session's rules. */
typedef struct hs__ws_endpoint_s {
  unsigned accept;   /* message types echoed; others → 1003 */
  unsigned code;     /* close with this code (0: the client decides) */
  uint64_t delay_ms; /* ... this long after the handshake */
  char reason[124];  /* ... with this reason (UTF-8, at most 123 bytes) */
  size_t rlen;
  int drop; /* instead of a Close frame, drop the connection (the client sees 1006) */
} hs__ws_endpoint_t;

/* A session that echoes every message of the types `ep->accept` names, with
 * the options `o` (its on_message, accept and budget are set here). Counts
 * towards --max-websockets; beyond it the session is accepted and closed at
 * once with 1013 (RFC 6455 §7.4.1), so browsers see why. Returns NULL when
 * memory runs out (answer 500; nothing to free). */
hs__ws_tunnel_t *hs__ws_tunnel_new(struct hs_ctx_s *ctx, hs__ws_opts_t o,
                                   const hs__ws_endpoint_t *ep);

/* Ends the 101 head `r` (the handler has added the handshake's fields) and
 * hands the connection to the tunnel, which owns it from now on. */
void hs__ws_tunnel_upgrade(hs__resp_t *r, hs__ws_tunnel_t *t);

#endif
