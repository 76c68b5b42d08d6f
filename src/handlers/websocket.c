/* WebSocket endpoints: /websocket/echo (go-httpbin's, with max_fragment_size
 * and max_message_size) and /websocket/close/{code}. The opening handshake
 * (RFC 6455 §4.2), subprotocols and permessage-deflate (RFC 7692) are checked
 * here; after the 101 the connection carries a session from src/ws/, which
 * keeps the protocol's rules, through http/ws_tunnel.c (the handler never sees
 * the frames). What a close code may be is the registry's
 * decision (its ws records), as is the text explaining a refusal. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "handlers/routes.h"
#include "http/ctx.h"
#include "http/render.h"
#include "http/ws_tunnel.h"
#include "httpstatus/registry.h"

#define WS_MAX_FRAGMENT_LIMIT (1024 * 1024)
#define WS_DEFAULT_MESSAGE (1024 * 1024)

/* What the endpoint does besides the session's rules (http/ws_tunnel.h). */
typedef hs__ws_endpoint_t ws_endpoint_t;

/* A size from the query (decimal, 1..limit); `def` when absent; -1 if invalid. */
static long size_param(const hs__req_t *req, const char *key, long def, long limit) {
  hs__str_t v;
  if (!hs__req_query(req, key, &v))
    return def;
  if (v.len == 0 || v.len > 10)
    return -1;
  long n = 0;
  for (size_t i = 0; i < v.len; i++) {
    if (v.ptr[i] < '0' || v.ptr[i] > '9')
      return -1;
    n = n * 10 + (v.ptr[i] - '0');
  }
  return (n >= 1 && n <= limit) ? n : -1;
}

/* ---- subprotocols (RFC 6455 §4.2.2 step 5.4, §11.3.4) ---- */

/* The next item of a comma-separated token list at *p; returns 1 with the item
 * in *item (empty items are skipped), 0 at the end, -1 if an item is not a token. */
static int next_token(const char **p, const char *end, hs__str_t *item) {
  for (;;) {
    while (*p < end && (**p == ' ' || **p == '\t'))
      (*p)++;
    if (*p == end)
      return 0;
    const char *s = *p;
    while (*p < end && hs__is_tchar(**p))
      (*p)++;
    *item = (hs__str_t){s, (size_t)(*p - s)};
    while (*p < end && (**p == ' ' || **p == '\t'))
      (*p)++;
    if (*p < end && **p != ',')
      return -1;
    if (*p < end)
      (*p)++;
    if (item->len)
      return 1;
    if (*p == end)
      return 0;
  }
}

/* Is `t` in the token list `list`? */
static int list_has(hs__str_t list, hs__str_t t) {
  const char *p = list.ptr, *end = list.ptr + list.len;
  hs__str_t it;
  while (next_token(&p, end, &it) == 1)
    if (it.len == t.len && memcmp(it.ptr, t.ptr, t.len) == 0)
      return 1;
  return 0;
}

/* Chooses the subprotocol: the client's first that the endpoint offers
 * (?protocols=a,b). *chosen is empty when there is none in common (then no
 * Sec-WebSocket-Protocol is sent). Returns NULL or an error for a 400. */
static const char *choose_protocol(const hs__req_t *req, hs__str_t *chosen) {
  hs__str_t offer = {"", 0}, it;
  char buf[512];
  *chosen = (hs__str_t){NULL, 0};
  int has_offer = hs__req_query(req, "protocols", &offer);
  if (has_offer) {
    long n = hs__pct_decode(offer, buf, sizeof buf);
    if (n < 0)
      return "?protocols= is not valid percent-encoding, or longer than 512 bytes.";
    offer = (hs__str_t){buf, (size_t)n};
  }
  const char *p = offer.ptr, *end = offer.ptr + offer.len;
  int r;
  while ((r = next_token(&p, end, &it)) == 1)
    ;
  if (r < 0)
    return "?protocols= must be a comma-separated list of tokens (RFC 6455 §4.1).";
  const hs__str_t *asked = hs__req_header(req, "Sec-WebSocket-Protocol");
  if (!asked)
    return NULL;
  p = asked->ptr, end = asked->ptr + asked->len;
  while ((r = next_token(&p, end, &it)) == 1)
    if (has_offer && !chosen->ptr && list_has(offer, it))
      *chosen = it;
  if (r < 0)
    return "Sec-WebSocket-Protocol must be a comma-separated list of tokens (RFC 6455 §4.1).";
  return NULL;
}

/* ---- close codes, by the registry ---- */

/* May a Close frame carry `code`? 3000-4999 are for applications; in
 * 1000-2999 only codes the registry holds, minus the reserved (1004) and
 * those never sent on the wire (1005, 1006, 1015). */
static int code_sendable(unsigned code) {
  if (code >= 3000 && code <= 4999)
    return 1;
  if (code < 1000 || code > 2999)
    return 0;
  const hs_status_t *s = hs_lookup(HS_NS_WS, (int)code);
  return s && s->state != HS_STATE_RESERVED && !(s->flags & HS_F_NOT_ON_WIRE);
}

/* Why `code` may not be sent, in the registry's words. */
static void code_refusal(unsigned code, char *msg, size_t cap) {
  const hs_status_t *s = code <= 4999 ? hs_lookup(HS_NS_WS, (int)code) : NULL;
  const hs_class_t *c = code <= 99999 ? hs_class_of(HS_NS_WS, (int)code) : NULL;
  if (s)
    snprintf(msg, cap, "Close code %u (%s) may not be sent in a Close frame: %s", code, s->phrase,
             s->summary[HS_LANG_EN]);
  else if (code >= 1000 && code <= 2999 && c)
    snprintf(msg, cap, "Close code %u is not assigned. %s", code, c->summary[HS_LANG_EN]);
  else if (c)
    snprintf(msg, cap, "Close code %u is outside 1000-4999, the codes a Close frame may carry. %s",
             code, c->summary[HS_LANG_EN]);
  else
    snprintf(msg, cap, "Close code %u is outside 1000-4999, the codes a Close frame may carry.",
             code);
}

/* ---- the opening handshake ---- */

/* A 426 naming what to send instead (RFC 9110 §15.5.22, RFC 6455 §4.4). */
static void upgrade_required(hs__exchange_t *x, const char *msg, int with_version) {
  /* the body is negotiated like every other error (JSON, text or HTML; en/zh) */
  hs__neg_t neg = hs__negotiate(x->req);
  hs__buf_t *body = &x->ctx->scratch;
  body->len = 0;
  hs__render_message(body, neg, 426, msg);
  hs__resp_t r;
  hs__resp_begin(&r, x, 426);
  hs__resp_hdr(&r, HS_H_UPGRADE, "websocket", 9);
  if (with_version)
    hs__resp_field(&r, "Sec-WebSocket-Version", "13", 2);
  hs__resp_hdr(&r, HS_H_VARY, "Accept, Accept-Language", 23);
  hs__resp_end(&r, hs__fmt_ctype(neg.fmt), body->base, body->len);
}

/* Over HTTP/2 (RFC 8441 §4, §5): an extended CONNECT with :protocol
 * websocket. Returns NULL, or why not (for a 400). */
static const char *h2_opening(const hs__req_t *req) {
  if (req->method != HS_M_CONNECT)
    return "Over HTTP/2 a WebSocket opens with an extended CONNECT (RFC 8441 §4): :method "
           "CONNECT, :protocol websocket.";
  if (!hs__str_ieq(req->protocol, "websocket", 9))
    return "This endpoint speaks WebSocket: send :protocol websocket (RFC 8441 §4).";
  return NULL;
}

/* RFC 6455 §4.2.1: GET (the router), HTTP/1.1, Upgrade: websocket,
 * Connection: upgrade, Sec-WebSocket-Version: 13, a 16-byte base64
 * Sec-WebSocket-Key; then the 101 with the chosen subprotocol and extension,
 * and the session as the connection's tunnel. Over HTTP/2, RFC 8441: an
 * extended CONNECT, no key, and a 200; the session is the stream's. */
static void handshake(hs__exchange_t *x, const ws_endpoint_t *ep) {
  const hs__req_t *req = x->req;
  const hs__config_t *cfg = x->ctx->cfg;
  int h2 = req->major == 2;
  if (h2) {
    const char *why = h2_opening(req);
    if (why)
      return hs__resp_error(x, 400, why, NULL);
  } else if (req->major != 1 || req->minor != 1) {
    return hs__resp_error(x, 400,
                          "A WebSocket handshake needs HTTP/1.1 (RFC 6455 §4.1) or HTTP/2 "
                          "(RFC 8441); this request is HTTP/1.0.",
                          NULL);
  } else if (!hs__field_has_token(hs__req_header(req, "Upgrade"), "websocket")) {
    return upgrade_required(x, "This endpoint speaks WebSocket: send Upgrade: websocket.", 0);
  } else if (!hs__field_has_token(hs__req_header(req, "Connection"), "upgrade")) {
    return hs__resp_error(x, 400, "A WebSocket handshake needs Connection: Upgrade.", NULL);
  }
  const hs__str_t *ver = hs__req_header(req, "Sec-WebSocket-Version");
  if (!ver)
    return hs__resp_error(x, 400, "Sec-WebSocket-Version is missing (send 13).", NULL);
  if (ver->len != 2 || memcmp(ver->ptr, "13", 2) != 0)
    return upgrade_required(x, "Only WebSocket version 13 (RFC 6455) is supported.", 1);
  const hs__str_t *key = hs__req_header(req, "Sec-WebSocket-Key");
  char accept[29] = "";
  if (!key && !h2)
    return hs__resp_error(x, 400, "Sec-WebSocket-Key is missing.", NULL);
  if (!h2 && hs__ws_accept_key(key->ptr, key->len, accept) != 0)
    return hs__resp_error(x, 400, "Sec-WebSocket-Key must be 16 bytes in base64.", NULL);
  long frag = size_param(req, "max_fragment_size", 16 * 1024, WS_MAX_FRAGMENT_LIMIT);
  long def_msg =
      (long)(cfg->ws_max_message < WS_DEFAULT_MESSAGE ? cfg->ws_max_message : WS_DEFAULT_MESSAGE);
  long msg = size_param(req, "max_message_size", def_msg, (long)cfg->ws_max_message);
  if (frag < 0 || msg < 0) {
    char m[160];
    snprintf(m, sizeof m,
             "max_fragment_size (at most %d) and max_message_size (at most %zu) must be "
             "positive integers.",
             WS_MAX_FRAGMENT_LIMIT, cfg->ws_max_message);
    return hs__resp_error(x, 400, m, NULL);
  }
  hs__str_t proto;
  const char *err = choose_protocol(req, &proto);
  if (err)
    return hs__resp_error(x, 400, err, NULL);
  hs__ws_pmd_t pmd;
  char ext[160];
  const hs__str_t *offer = hs__req_header(req, "Sec-WebSocket-Extensions");
  int deflate = offer && hs__ws_pmd_negotiate(offer->ptr, offer->len, &pmd, ext, sizeof ext);

  hs__ws_opts_t o = {.max_fragment = (size_t)frag,
                     .max_message = (size_t)msg,
                     .max_frame = cfg->ws_max_frame,
                     .idle_ms = cfg->ws_idle_ms,
                     .close_wait_ms = cfg->ws_close_wait_ms,
                     .message_ms = cfg->ws_message_ms,
                     .code_ok = code_sendable,
                     .pmd = deflate ? &pmd : NULL};
  hs__ws_tunnel_t *tunnel = hs__ws_tunnel_new(x->ctx, o, ep);
  if (!tunnel)
    return hs__resp_error(x, 500, "Out of memory.", NULL);
  /* RFC 6455 §4.2.2: 101 with Upgrade, Connection and Sec-WebSocket-Accept;
   * RFC 8441 §5: a 200 without them over HTTP/2 */
  hs__resp_t r;
  hs__resp_begin(&r, x, h2 ? 200 : 101);
  if (!h2) {
    hs__resp_hdr(&r, HS_H_UPGRADE, "websocket", 9);
    hs__resp_field(&r, "Sec-WebSocket-Accept", accept, strlen(accept));
  }
  if (proto.ptr)
    hs__resp_field(&r, "Sec-WebSocket-Protocol", proto.ptr, proto.len);
  if (deflate)
    hs__resp_field(&r, "Sec-WebSocket-Extensions", ext, strlen(ext));
  hs__ws_tunnel_upgrade(&r, tunnel); /* the connection carries the session from here on */
}

/* GET /websocket/echo[?max_fragment_size=&max_message_size=&only=text|binary&protocols=] */
static void ws_echo(hs__exchange_t *x) {
  ws_endpoint_t ep = {.accept = HS_WS_TEXT | HS_WS_BINARY};
  hs__str_t only;
  if (hs__req_query(x->req, "only", &only)) {
    if (only.len == 4 && memcmp(only.ptr, "text", 4) == 0)
      ep.accept = HS_WS_TEXT;
    else if (only.len == 6 && memcmp(only.ptr, "binary", 6) == 0)
      ep.accept = HS_WS_BINARY;
    else
      return hs__resp_error(x, 400, "only must be text or binary.", NULL);
  }
  handshake(x, &ep);
}

/* The ?reason= of /websocket/close: form-decoded ('+' is a space), at most
 * 123 bytes of UTF-8 (RFC 6455 §5.5: a control payload holds 125). */
static const char *close_reason(const hs__req_t *req, ws_endpoint_t *ep) {
  hs__str_t v;
  if (!hs__req_query(req, "reason", &v))
    return NULL;
  char raw[3 * 123 + 1];
  if (v.len >= sizeof raw)
    return "The reason is longer than 123 bytes.";
  for (size_t i = 0; i < v.len; i++)
    raw[i] = v.ptr[i] == '+' ? ' ' : v.ptr[i];
  long n = hs__pct_decode((hs__str_t){raw, v.len}, ep->reason, sizeof ep->reason);
  if (n < 0)
    return "The reason is not valid percent-encoding, or longer than 123 bytes.";
  if (n > 123)
    return "The reason is longer than 123 bytes (RFC 6455 §5.5).";
  if (!hs__utf8_valid(ep->reason, (size_t)n))
    return "The reason is not valid UTF-8 (RFC 6455 §5.5.1).";
  ep->rlen = (size_t)n;
  return NULL;
}

/* ?delay= in seconds (fractions allowed), at most --max-delay. */
static const char *close_delay(const hs__exchange_t *x, ws_endpoint_t *ep) {
  hs__str_t v;
  if (!hs__req_query(x->req, "delay", &v))
    return NULL;
  char buf[32];
  if (v.len == 0 || v.len >= sizeof buf)
    return "delay must be a number of seconds >= 0, such as 1 or 0.25.";
  memcpy(buf, v.ptr, v.len);
  buf[v.len] = 0;
  char *end;
  double s = strtod(buf, &end);
  if (*end || !isfinite(s) || s < 0 || buf[0] < '0' || buf[0] > '9')
    return "delay must be a number of seconds >= 0, such as 1 or 0.25.";
  if (s * 1000.0 > (double)x->ctx->cfg->max_delay_ms)
    return "delay is longer than this server allows (--max-delay).";
  ep->delay_ms = (uint64_t)(s * 1000.0 + 0.5);
  return NULL;
}

/* GET /websocket/close/{code}[?reason=&delay=&protocols=]: the session closes
 * with that code; codes a Close frame may not carry are refused with 400. */
static void ws_close(hs__exchange_t *x) {
  ws_endpoint_t ep = {.accept = HS_WS_TEXT | HS_WS_BINARY};
  hs__str_t t = x->tail;
  unsigned code = 0;
  char msg[512];
  if (t.len == 0 || t.len > 5)
    return hs__resp_error(x, 400, "Usage: /websocket/close/{code}, a close code in 1000-4999.",
                          NULL);
  for (size_t i = 0; i < t.len; i++) {
    if (t.ptr[i] < '0' || t.ptr[i] > '9')
      return hs__resp_error(x, 400, "The close code must be a number in 1000-4999.", NULL);
    code = code * 10 + (unsigned)(t.ptr[i] - '0');
  }
  /* 1006 never travels in a Close frame, but it is what a client reports when
   * the connection ends without one: made real by dropping the connection */
  ep.drop = code == 1006;
  if (code == 1015)
    return hs__resp_error(
        x, 400,
        "Close code 1015 (TLS handshake failure) may not be sent in a Close frame, and it cannot "
        "happen inside a session: a client reports it when the TLS handshake of a wss:// "
        "connection fails, before any WebSocket exists. To see it, connect with wss:// to the "
        "--tls-listen port without trusting its CA (many browsers report 1006 then).",
        NULL);
  if (!ep.drop && !code_sendable(code)) {
    code_refusal(code, msg, sizeof msg);
    return hs__resp_error(x, 400, msg, NULL);
  }
  const char *err = close_reason(x->req, &ep);
  if (!err)
    err = close_delay(x, &ep);
  if (err)
    return hs__resp_error(x, 400, err, NULL);
  ep.code = code;
  handshake(x, &ep);
}

/* GET (RFC 6455), and CONNECT with :protocol over HTTP/2 (RFC 8441; the
 * router lets no other CONNECT through) */
#define HS_M_WS (HS_MBIT(HS_M_GET) | HS_MBIT(HS_M_CONNECT))

const hs__route_t hs__routes_websocket[] = {
    HS_ROUTE("/websocket/echo", 0, HS_M_WS, ws_echo, "/websocket/echo",
             "a WebSocket that echoes every message"),
    HS_ROUTE("/websocket/close/", 1, HS_M_WS, ws_close, "/websocket/close/{code}",
             "a WebSocket that closes with that code (?reason=, ?delay=)"),
    HS_ROUTE_END,
};
