/* /websocket/echo (go-httpbin): the RFC 6455 opening handshake, after which the
 * connection carries a WebSocket echo session (src/ws). Query parameters
 * max_fragment_size and max_message_size bound the frames (go-httpbin). */
#include <stdlib.h>
#include <string.h>

#include "handlers/routes.h"
#include "http/ctx.h"
#include "ws/ws.h"

#define WS_MAX_FRAGMENT_LIMIT (1024 * 1024)
#define WS_MAX_MESSAGE_LIMIT (16 * 1024 * 1024)

/* A size from the query (decimal, 1..limit); `def` when absent; -1 if invalid. */
static long size_param(const hs_req_t *req, const char *key, long def, long limit) {
  hs_str_t v;
  if (!hs__req_query(req, key, &v))
    return def;
  if (v.len == 0 || v.len > 9)
    return -1;
  long n = 0;
  for (size_t i = 0; i < v.len; i++) {
    if (v.ptr[i] < '0' || v.ptr[i] > '9')
      return -1;
    n = n * 10 + (v.ptr[i] - '0');
  }
  return (n >= 1 && n <= limit) ? n : -1;
}

/* The session as the connection's tunnel after the 101 (exchange.h). */
static int ws_feed(void *s, const char *p, size_t n, hs_buf_t *out) {
  return (hs__ws_feed(s, p, n, out) & HS_WS_CLOSE) != 0;
}
static void ws_going_away(void *s, hs_buf_t *out) { hs__ws_close(s, 1001, out); }
static void ws_destroy(void *s) { hs__ws_destroy(s); }
static const hs_tunnel_ops_t ws_tunnel = {ws_feed, ws_going_away, ws_destroy};

/* RFC 6455 §4.2.1: GET, HTTP/1.1, Upgrade: websocket, Connection: upgrade,
 * Sec-WebSocket-Key (16 bytes, base64), Sec-WebSocket-Version: 13. A version we
 * do not speak gets 426 with the one we do (§4.4). */
static void ws_echo(hs_exchange_t *x) {
  const hs_req_t *req = x->req;
  const hs_str_t *ver = hs__req_header(req, "Sec-WebSocket-Version");
  const hs_str_t *key = hs__req_header(req, "Sec-WebSocket-Key");
  if (!hs__field_has_token(hs__req_header(req, "Upgrade"), "websocket")) {
    hs_resp_t r;
    static const char msg[] = "This endpoint speaks WebSocket: send Upgrade: websocket.\n";
    hs__resp_begin(&r, x, 426);
    hs__resp_hdr(&r, HS_H_UPGRADE, "websocket", 9);
    hs__resp_end(&r, "text/plain; charset=utf-8", msg, sizeof msg - 1);
    return;
  }
  if (req->major != 1 || req->minor != 1 ||
      !hs__field_has_token(hs__req_header(req, "Connection"), "upgrade")) {
    hs__resp_error(x, 400, "A WebSocket handshake needs HTTP/1.1 and Connection: Upgrade.", NULL);
    return;
  }
  if (!ver || ver->len != 2 || memcmp(ver->ptr, "13", 2) != 0) {
    hs_resp_t r;
    static const char msg[] = "Only WebSocket version 13 (RFC 6455) is supported.\n";
    hs__resp_begin(&r, x, 426);
    hs__resp_hdr(&r, HS_H_UPGRADE, "websocket", 9);
    hs__resp_field(&r, "Sec-WebSocket-Version", "13", 2);
    hs__resp_end(&r, "text/plain; charset=utf-8", msg, sizeof msg - 1);
    return;
  }
  char accept[29];
  if (!key || hs__ws_accept_key(key->ptr, key->len, accept) != 0) {
    hs__resp_error(x, 400, "Sec-WebSocket-Key must be 16 bytes in base64.", NULL);
    return;
  }
  long frag = size_param(req, "max_fragment_size", 16 * 1024, WS_MAX_FRAGMENT_LIMIT);
  long msg = size_param(req, "max_message_size", 1024 * 1024, WS_MAX_MESSAGE_LIMIT);
  if (frag < 0 || msg < 0) {
    hs__resp_error(x, 400, "max_fragment_size and max_message_size must be positive integers.",
                   NULL);
    return;
  }
  hs_ws_limits_t lim = {(size_t)frag, (size_t)msg};
  hs_ws_t *ws = hs__ws_new(&lim);
  if (!ws) {
    hs__resp_error(x, 500, "Out of memory.", NULL);
    return;
  }
  /* RFC 6455 §4.2.2: 101 with Upgrade, Connection and Sec-WebSocket-Accept */
  hs_resp_t r;
  hs__resp_begin(&r, x, 101);
  hs__resp_hdr(&r, HS_H_UPGRADE, "websocket", 9);
  hs__resp_field(&r, "Sec-WebSocket-Accept", accept, strlen(accept));
  hs__resp_upgrade(&r, &ws_tunnel, ws); /* the connection carries the session from here on */
}

const hs_route_t hs__routes_websocket[] = {
    HS_ROUTE("/websocket/echo", 0, HS_MBIT(HS_M_GET), "GET", ws_echo, "/websocket/echo",
             "a WebSocket that echoes every message"),
    HS_ROUTE_END,
};
