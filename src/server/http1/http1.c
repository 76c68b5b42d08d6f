/* The HTTP/1.x connection (RFC 9112): read buffer and pipelining, one
 * exchange at a time through the protocol-independent pipeline
 * (hs__exchange_run), timeouts, errors before a request exists, and the
 * switch to a tunnel after a 101. No I/O happens here. */
#include <stdlib.h>
#include <string.h>

#include "http/response.h"
#include "server/http1/h1_internal.h"
#include "server/log.h"

static unsigned parse_pending(hs__h1_t *h);
static void abandon_exchange(hs__h1_t *h);
static void stream_compact(hs__h1_t *h);
static void stream_body(hs__h1_t *h);

#define STREAM_READ 16384 /* room kept in rbuf for streamed content */

/* Is content of the running exchange still being read (exchange.h)? */
static inline int streaming(const hs__h1_t *h) {
  return h->body_stream && !h->x.body_in.done && !h->x.body_in.error;
}

/* ---- setup and buffers ---- */

void hs__h1_init(hs__h1_t *h, hs__ctx_t *ctx, const char *peer) {
  memset(h, 0, sizeof(*h));
  h->ctx = ctx;
  hs__h1_parser_init(h);
  hs__buf_init(&h->rbuf, &ctx->rpool);
  hs__buf_init(&h->out, &ctx->opool);
  hs__buf_init(&h->body, NULL);
  h->phase = HS_H1_IDLE;
  h->peer = peer ? peer : "";
  h->req.peer = h->peer;
  h->scheme = HS_STR("http");
  h->head_start_ms = ctx->now_ms; /* the first request's head is due from the accept */
}

hs__h1_t *hs__h1_new(hs__ctx_t *ctx, const char *peer) {
  hs__h1_t *h = malloc(sizeof(*h));
  if (!h)
    return NULL;
  hs__h1_init(h, ctx, peer);
  h->heap = 1;
  return h;
}

void hs__h1_free(hs__h1_t *h) {
  if (h->suspended)
    abandon_exchange(h); /* client gone or server stopping */
  if (h->tunnel)
    h->tunnel->destroy(h->tunnel_state);
  h->tunnel = NULL;
  hs__buf_release(&h->rbuf);
  hs__buf_release(&h->out);
  hs__buf_release(&h->body);
  if (h->hdrs)
    hs__pool_put(&h->ctx->hpool, h->hdrs);
  h->hdrs = NULL;
}

/* Moves every view that points into [lo, hi] by delta bytes (after the read
 * buffer moved or was compacted). Views of static strings are left alone. */
static void rebase(hs__h1_t *h, uintptr_t lo, uintptr_t hi, intptr_t delta) {
  hs__req_t *r = &h->req;
  hs__str_t *views[] = {
      &r->method_name,     &r->target,     &r->path,    &r->query,   &r->authority, &r->accept,
      &r->accept_language, &r->user_agent, &r->referer, &r->upgrade, &r->origin,    &MS(h)->expect};
  for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
    uintptr_t p = (uintptr_t)views[i]->ptr;
    if (p && p >= lo && p <= hi)
      views[i]->ptr = (const char *)(p + (uintptr_t)delta);
  }
  for (size_t i = 0; i < r->nheaders; i++) {
    hs__str_t *nv[2] = {&r->headers[i].name, &r->headers[i].value};
    for (int k = 0; k < 2; k++) {
      uintptr_t p = (uintptr_t)nv[k]->ptr;
      if (p && p >= lo && p <= hi)
        nv[k]->ptr = (const char *)(p + (uintptr_t)delta);
    }
  }
}

char *hs__h1_rbuf(hs__h1_t *h, size_t *avail) {
  hs__buf_t *b = &h->rbuf;
  if (streaming(h)) { /* the head, then content not parsed yet (stream_compact) */
    stream_compact(h);
    if (b->cap - b->len < STREAM_READ / 4 && b->cap < h->span_end + STREAM_READ) {
      uintptr_t old = (uintptr_t)b->base;
      size_t head = h->span_end;
      hs__buf_grow(b, h->span_end + STREAM_READ - b->len);
      rebase(h, old, old + head, (intptr_t)((uintptr_t)b->base - old));
    }
    *avail = b->cap - b->len;
    return b->base + b->len;
  }
  if (h->suspended || h->out_paused) { /* views point into rbuf, or requests wait there */
    *avail = b->cap - b->len;
    return b->base + b->len;
  }
  if (!h->hdrs)
    h->hdrs = hs__pool_get(&h->ctx->hpool);
  if (h->closing)
    b->len = 0; /* lingering: everything read is discarded */
  if (!b->base)
    hs__buf_reserve(b, 1);
  if (b->cap - b->len < 1024) {
    /* a request head larger than one block: grow, up to the limit plus slack so
     * that going over it is seen (hs__h1_feed answers 431/414) */
    size_t limit = h->ctx->cfg->max_header_size + 1024;
    if (b->cap < limit) {
      uintptr_t old = (uintptr_t)b->base;
      size_t old_len = b->len;
      hs__buf_grow(b, (b->cap * 2 > limit ? limit : b->cap * 2) - b->len);
      rebase(h, old, old + old_len, (intptr_t)((uintptr_t)b->base - old));
    }
    if (b->cap == b->len)
      b->len = 0; /* cannot happen: feed refuses such heads */
  }
  *avail = b->cap - b->len;
  return b->base + b->len;
}

void hs__h1_discard(hs__h1_t *h) {
  h->rbuf.len = 0;
  h->msg_start = h->parsed = h->span_end = 0;
}

void hs__h1_release_idle(hs__h1_t *h) {
  if (h->phase == HS_H1_IDLE && !h->method_pending && h->rbuf.len == 0 && !h->suspended &&
      !h->out_paused) {
    hs__buf_release(&h->rbuf);
    hs__buf_release(&h->body);
    if (h->hdrs)
      hs__pool_put(&h->ctx->hpool, h->hdrs);
    h->hdrs = NULL;
  }
  if (h->out.len == 0)
    hs__buf_release(&h->out);
}

void hs__h1_reuse(hs__h1_t *h, const char *peer) {
  hs__h1_parser_init(h);
  h->peer = peer ? peer : "";
}

/* ---- the pipeline ---- */

/* After the exchange has ended (hs__exchange_run said DONE, or it was
 * abandoned): close if it said so, switch to a tunnel if it performed a 101,
 * and forget the request. */
static void exchange_ended(hs__h1_t *h) {
  h->suspended = 0;
  if (h->body_stream && !h->x.body_in.done)
    h->x_close = 1; /* answered before the content ended: it cannot be skipped */
  h->body_stream = 0;
  if (h->x_close)
    h->closing = 1;
  if (h->tunnel_pending) { /* RFC 9110 §7.8: after the 101 the connection speaks it */
    if (h->closing || h->x.status != 101)
      h->tunnel_pending->destroy(h->tunnel_pending_state);
    else {
      h->tunnel = h->tunnel_pending;
      h->tunnel_state = h->tunnel_pending_state;
    }
    h->tunnel_pending = NULL;
    h->tunnel_pending_state = NULL;
  }
  h->phase = HS_H1_IDLE;
  h->body.len = 0;
}

/* Runs the exchange as far as it goes now; it stays in h->x while suspended
 * (the request stays in rbuf/body until it ends). */
static void run_exchange(hs__h1_t *h) {
  if (hs__exchange_run(&h->x) == HS_X_SUSPENDED) {
    h->suspended = 1;
    return;
  }
  exchange_ended(h);
}

/* Client gone, timeout or shutdown while an exchange is suspended. */
static void abandon_exchange(hs__h1_t *h) {
  h->x_close = 1;
  hs__exchange_abandon(&h->x);
  exchange_ended(h);
}

/* Does the request ask to continue in HTTP/2 over cleartext (RFC 7540 §3.2:
 * Upgrade: h2c with an HTTP2-Settings field, on HTTP/1.1 without TLS)? */
static int wants_h2c(const hs__h1_t *h, const hs__req_t *req) {
  if (req->major != 1 || req->minor != 1 || !req->upgrade.ptr || h->early_reason ||
      !hs__str_ieq(h->scheme, "http", 4))
    return 0;
  return hs__field_has_token(&req->upgrade, "h2c") && hs__req_header(req, "HTTP2-Settings");
}

/* The 101 that hands the connection to HTTP/2 (RFC 7540 §3.2), through the
 * HTTP/1 writer: an interim head of its own, not an exchange (stream 1
 * carries the request's answer). */
static void switch_head(hs__h1_t *h, const hs__req_t *req) {
  hs__exchange_t x;
  hs__exchange_init(&x, h->ctx, req, &hs__h1_sink, h);
  hs__h1_sink.head_begin(&x, 101);
  hs__h1_sink.field(&x, "Connection", 10, "Upgrade", 7);
  hs__h1_sink.field(&x, "Upgrade", 7, "h2c", 3);
  hs__head_end_t e = {0};
  e.interim = e.upgrade = e.no_content = 1;
  hs__h1_sink.head_end(&x, &e);
}

/* One parsed request: an exchange over this connection's sink, then the
 * pipeline (http/exchange.c) does the rest. */
static void dispatch(hs__h1_t *h) {
  hs__req_t *req = &h->req;
  req->body = h->body.base;
  req->body_len = h->body.len;
  h->any_request = 1;
  if (wants_h2c(h, req)) { /* the 101, then HTTP/2 serves this request as stream 1 */
    switch_head(h, req);
    h->switching = 1;
    h->handover.kind = HS_HANDOVER_H2C;
    h->handover.req = req;
    h->handover.settings = *hs__req_header(req, "HTTP2-Settings");
    return;
  }
  hs__exchange_init(&h->x, h->ctx, req, &hs__h1_sink, h);
  h->x.ops_only = h->ops_only;
  h->http10 = req->major == 1 && req->minor == 0;
  h->x_close = !req->keep_alive || h->ctx->draining || h->early;
  h->chunked = 0;
  if (h->plain_on_tls) { /* nginx: 400 to the client, 497 in the log */
    h->x.refusal = 400;
    h->x.refusal_msg = "The plain HTTP request was sent to HTTPS port";
    h->x.log_status = 497;
    h->x_close = 1;
  } else { /* admission's answer at the end of the head (413, 417, 421, 404 before 100) */
    hs__admit_refuse(&h->x, h->early_reason);
  }
  run_exchange(h);
}

/* ---- streamed content (exchange.h, hs__body_in_t) ---- */

/* Moves the streamed request's head to the front of rbuf and the bytes not
 * parsed yet right after it: parsed content is in h->body already. */
static void stream_compact(hs__h1_t *h) {
  hs__buf_t *b = &h->rbuf;
  size_t head = h->span_end - h->msg_start, rest = b->len - h->parsed;
  if (h->msg_start) {
    memmove(b->base, b->base + h->msg_start, head);
    uintptr_t lo = (uintptr_t)(b->base + h->msg_start);
    rebase(h, lo, lo + head, -(intptr_t)h->msg_start);
  }
  if (h->parsed != head)
    memmove(b->base + head, b->base + h->parsed, rest);
  h->msg_start = 0;
  h->span_end = head;
  h->parsed = head;
  b->len = head + rest;
}

/* Parses content from rbuf into h->body (x.body_in.buf) while it has room,
 * never more than HS_BODY_IN_MAX there: what does not fit stays in rbuf, and
 * once rbuf is full the connection stops reading (p_busy). Records the end
 * of the content, or why it failed (413 over --max-body, 400 bad framing:
 * the connection closes after the exchange), and wakes the exchange when
 * anything changed. */
static void stream_body(hs__h1_t *h) {
  hs__body_in_t *bi = &h->x.body_in;
  hs__buf_t *b = &h->rbuf;
  uint64_t before = bi->received;
  int bad = 0;
  const char *p = b->base + h->parsed, *end = b->base + b->len;
  while (p < end && !bi->done && !bi->error && !bad) {
    if (MS(h)->chunk_line_due) { /* not content: no room needed */
      if (!hs__h1_chunk_line(h, &p, end) && h->err_status)
        break;
      continue;
    }
    size_t room = HS_BODY_IN_MAX > h->body.len ? HS_BODY_IN_MAX - h->body.len : 0;
    if (!room)
      break;
    size_t n = (size_t)(end - p) < room ? (size_t)(end - p) : room;
    llhttp_errno_t e = llhttp_execute(&h->parser, p, n);
    if (e == HPE_OK) {
      p += n;
      continue;
    }
    if (e != HPE_PAUSED) {
      bad = 1;
      break;
    }
    p = llhttp_get_error_pos(&h->parser);
    llhttp_resume(&h->parser);
    if (!MS(h)->chunk_line_due)
      bi->done = 1; /* the message is complete: what follows is the next one */
  }
  if (!bi->done && !bi->error && (h->err_status || bad)) {
    bi->error = h->err_status ? h->err_status : 400;
    bi->error_msg = h->err_msg ? h->err_msg : "Malformed request content.";
    h->x_close = 1;
    p = end;
  }
  bi->received = h->body_seen;
  h->parsed = (size_t)(p - b->base);
  if (bi->done)
    h->msg_start = h->parsed;
  else if (!bi->error)
    stream_compact(h);
  if (bi->received != before || bi->done || bi->error)
    h->x.wake_ms = h->ctx->now_ms;
}

/* The head of a request whose content streams (h->stream_due): its exchange
 * runs now, then gets the content already read. */
static void dispatch_stream(hs__h1_t *h) {
  hs__req_t *req = &h->req;
  req->body = NULL;
  req->body_len = 0;
  req->keep_alive = llhttp_should_keep_alive(&h->parser) ? 1 : 0;
  if (req->chunked && req->major == 1 && req->minor == 0)
    req->keep_alive = 0; /* RFC 9112 §6.1, as on_message_complete */
  h->any_request = 1;
  hs__exchange_init(&h->x, h->ctx, req, &hs__h1_sink, h);
  h->x.ops_only = h->ops_only;
  h->http10 = req->major == 1 && req->minor == 0;
  h->x_close = !req->keep_alive || h->ctx->draining || h->early;
  h->chunked = 0;
  hs__admit_refuse(&h->x, h->early_reason);
  h->x.body_in.active = 1;
  h->x.body_in.buf = &h->body;
  h->body_stream = 1;
  run_exchange(h);
  if (h->suspended)
    stream_body(h);
}

unsigned hs__h1_produce(hs__h1_t *h) {
  if (!h->suspended)
    return h->closing ? HS_H1_CLOSE : 0;
  run_exchange(h);
  if (h->suspended) {
    if (streaming(h))
      stream_body(h); /* the producer may have made room */
    return 0;
  }
  if (h->closing) {
    hs__h1_discard(h);
    return HS_H1_CLOSE;
  }
  return parse_pending(h); /* the requests that waited behind it */
}

/* An error response that closes the connection, logged but not counted as
 * a request (hs__h1_busy: the client has sent nothing yet). */
static void refuse(hs__h1_t *h, int status, const char *msg) {
  hs__exchange_t x; /* headers may be incomplete: no request, plain text */
  hs__exchange_init(&x, h->ctx, NULL, &hs__h1_sink, h);
  x.head = h->req.method == HS_M_HEAD && MS(h)->url_done && !MS(h)->fake_method;
  h->x_close = 1;
  h->http10 = h->parser.http_major == 1 && h->parser.http_minor == 0;
  h->chunked = 0;
  hs__resp_error(&x, status, msg, NULL);
  hs__metrics_refusal(&h->ctx->metrics, status);
  h->closing = 1;
  hs__log_error(h->ctx, &x, h->peer, &h->req);
  h->phase = HS_H1_IDLE;
}

/* An error response for a request that cannot be parsed further (it is
 * counted as answered, like finish_exchange does); closes. */
void hs__h1_answer_error(hs__h1_t *h, int status, const char *msg) {
  refuse(h, status, msg);
  h->ctx->requests++;
  hs__metrics_request(&h->ctx->metrics, status, HS_MPROTO_H1, h->scheme.len == 5, 0);
}

/* Keeps only what the request in progress still needs at the front of rbuf:
 * its head (views point there); consumed content bytes are dropped. */
static void compact(hs__h1_t *h) {
  hs__buf_t *b = &h->rbuf;
  if (h->closing || (h->phase == HS_H1_IDLE && !h->method_pending)) {
    hs__h1_discard(h);
    return;
  }
  size_t start = h->msg_start;
  size_t keep_end = h->phase == HS_H1_BODY ? h->span_end : b->len;
  if (keep_end < start)
    keep_end = start;
  size_t n = keep_end - start;
  if (start > 0) {
    memmove(b->base, b->base + start, n);
    uintptr_t lo = (uintptr_t)(b->base + start);
    rebase(h, lo, lo + n, -(intptr_t)start);
  }
  b->len = n;
  h->parsed = n;
  h->span_end = h->span_end >= start ? h->span_end - start : 0;
  h->msg_start = 0;
}

/* Tunnel mode (after a 101): everything in rbuf is the other protocol's; hand
 * it over and empty rbuf. */
static unsigned feed_tunnel(hs__h1_t *h) {
  hs__buf_t *b = &h->rbuf;
  int close = h->tunnel->feed(h->tunnel_state, b->base, b->len, &h->out);
  b->len = 0;
  h->parsed = h->msg_start = h->span_end = 0;
  if (close) {
    h->closing = 1;
    return HS_H1_CLOSE;
  }
  return 0;
}

unsigned hs__h1_going_away(hs__h1_t *h) {
  if (!h->tunnel || h->closing)
    return h->closing ? HS_H1_CLOSE : 0;
  if (!h->tunnel_bye)
    h->tunnel->going_away(h->tunnel_state, &h->out);
  h->tunnel_bye = 1;
  if (h->tunnel->wake)
    return 0; /* it waits for the peer's goodbye, bounded by its deadline */
  h->closing = 1;
  return HS_H1_CLOSE;
}

unsigned hs__h1_feed(hs__h1_t *h, size_t n) {
  hs__buf_t *b = &h->rbuf;
  b->len += n;
  if (h->closing) {
    hs__h1_discard(h);
    return HS_H1_CLOSE;
  }
  if (h->tunnel)
    return feed_tunnel(h);
  if (h->switching)
    return HS_PROTO_SWITCH;
  if (h->body_stream) { /* content of the running exchange */
    if (streaming(h))
      stream_body(h);
    return 0;
  }
  if (h->suspended || h->out_paused)
    return 0; /* parsed when the suspended exchange ends or the output has left */
  if (!h->any_request && h->phase == HS_H1_IDLE && !h->method_pending) {
    /* RFC 9113 §3.3: HTTP/2 with prior knowledge starts with the preface */
    static const char pri[] = "PRI * HTTP/2.0\r\n";
    size_t k = b->len - h->parsed < sizeof(pri) - 1 ? b->len - h->parsed : sizeof(pri) - 1;
    if (k && memcmp(b->base + h->parsed, pri, k) == 0) {
      if (k < sizeof(pri) - 1)
        return 0; /* wait for the rest of the line */
      h->switching = 1;
      h->handover.kind = HS_HANDOVER_H2_PRIOR;
      h->handover.rest = (hs__str_t){b->base + h->parsed, b->len - h->parsed};
      h->handover.refuse = h->refusing;
      return HS_PROTO_SWITCH;
    }
  }
  if (h->refusing) { /* HTTP/1 over the connection limit */
    h->refusing = 0;
    return hs__h1_busy(h);
  }
  return parse_pending(h);
}

/* Parses rbuf from h->parsed on and runs every complete request; stops early
 * when one is suspended. */
static unsigned parse_pending(hs__h1_t *h) {
  hs__buf_t *b = &h->rbuf;
  hs__ctx_tick(h->ctx);
  const char *p = b->base + h->parsed, *end = b->base + b->len;
  if (h->method_pending) {
    p = b->base + h->msg_start;
    int r = hs__h1_unknown_method(h, &p, end);
    if (r == M_NEED_MORE)
      p = end;
    else if (r == M_ERROR) {
      hs__h1_protocol_error(h, HPE_INVALID_METHOD, end);
      p = end;
    } else
      h->method_pending = 0;
  }
  while (p < end && !h->closing && !h->method_pending) {
    if (MS(h)->chunk_line_due) { /* read by h1_chunk.c, not llhttp */
      if (!hs__h1_chunk_line(h, &p, end))
        break;
      continue;
    }
    llhttp_errno_t e = llhttp_execute(&h->parser, p, (size_t)(end - p));
    if (e == HPE_OK) {
      p = end;
      break;
    }
    const char *ep = llhttp_get_error_pos(&h->parser);
    if (e == HPE_PAUSED) { /* a complete request, an early answer, or a chunk-size line */
      p = ep;
      llhttp_resume(&h->parser);
      if (h->stream_due) { /* a head whose content streams to its exchange */
        h->stream_due = 0;
        h->parsed = (size_t)(p - b->base);
        dispatch_stream(h);
        if (h->suspended || h->out_paused)
          return 0; /* rbuf belongs to the stream until the exchange ends */
        if (h->closing)
          break;
        p = b->base + h->parsed; /* content and request(s) after it, read already */
        end = b->base + b->len;
        continue;
      }
      if (MS(h)->chunk_line_due)
        continue;
      dispatch(h);
      h->msg_start = (size_t)(p - b->base);
      if (h->switching) { /* the rest belongs to HTTP/2 */
        h->handover.rest = (hs__str_t){p, (size_t)(end - p)};
        return HS_PROTO_SWITCH;
      }
      if (h->suspended)
        break; /* later requests wait for it */
      if (h->out.len >= h->ctx->cfg->max_output && p < end && !h->closing && !h->tunnel) {
        h->out_paused = 1; /* the client reads first (see hs__h1_rbuf, p_deadline) */
        break;
      }
      if (h->tunnel) { /* the bytes after the handshake are the new protocol's */
        memmove(b->base, p, (size_t)(end - p));
        b->len = (size_t)(end - p);
        return feed_tunnel(h);
      }
      continue;
    }
    if (e == HPE_PAUSED_UPGRADE) { /* Upgrade ignored (RFC 9110 §7.8): stay HTTP/1.1 */
      p = ep;
      llhttp_resume_after_upgrade(&h->parser);
      continue;
    }
    if ((e == HPE_INVALID_CONTENT_LENGTH || e == HPE_INVALID_TRANSFER_ENCODING) &&
        hs__h1_ows_retry(h, end)) {
      hs__h1_parser_init(h);
      p = b->base + h->msg_start;
      continue;
    }
    if (e == HPE_INVALID_METHOD && !h->err_status) {
      int r = hs__h1_unknown_method(h, &p, end);
      if (r == M_CONTINUE)
        continue;
      if (r == M_NEED_MORE) {
        h->method_pending = 1;
        if (h->phase == HS_H1_IDLE && h->any_request)
          h->head_start_ms = h->ctx->now_ms;
        h->phase = HS_H1_HEAD;
        p = end;
        break;
      }
    }
    hs__h1_protocol_error(h, e, end);
    p = end;
  }
  h->parsed = (size_t)(p - b->base);
  if (h->suspended || h->out_paused)
    return 0; /* rbuf stays as it is until the exchange ends or the output drains */
  /* RFC 9112 §3 / RFC 6585 §5: a head that outgrew the limit without ending */
  if (!h->closing && h->phase == HS_H1_HEAD &&
      b->len - h->msg_start > h->ctx->cfg->max_header_size) {
    if (!MS(h)->url_done && !h->method_pending)
      hs__h1_answer_error(h, 414, hs__refusal_msg(HS__R_LINE_TOO_LONG));
    else if (h->method_pending)
      hs__h1_answer_error(h, 501, hs__refusal_msg(HS__R_METHOD_TOO_LONG));
    else
      hs__h1_answer_error(h, 431, hs__refusal_msg(HS__R_HEAD_TOO_LARGE));
  }
  compact(h);
  if (h->phase == HS_H1_IDLE && b->len == 0)
    hs__h1_release_idle(h);
  return h->closing ? HS_H1_CLOSE : 0;
}

unsigned hs__h1_eof(hs__h1_t *h) {
  if (h->suspended)
    abandon_exchange(h);
  h->closing = 1;
  return HS_H1_CLOSE;
}

unsigned hs__h1_timeout(hs__h1_t *h) {
  if (h->tunnel)
    return hs__h1_going_away(h); /* idle WebSocket: Close 1001 */
  if (h->suspended)
    abandon_exchange(h);
  if (!h->closing && (h->phase != HS_H1_IDLE || h->method_pending)) {
    hs__ctx_tick(h->ctx);
    hs__h1_answer_error(h, 408,
                        h->phase == HS_H1_BODY ? "The request content arrived too slowly."
                                               : "The request header section arrived too slowly.");
  }
  h->closing = 1;
  return HS_H1_CLOSE;
}

unsigned hs__h1_busy(hs__h1_t *h) {
  hs__ctx_tick(h->ctx);
  refuse(h, 503, "Too many connections; retry later.");
  return HS_H1_CLOSE;
}

/* ---- the adapter as conn.c sees it (proto.h) ---- */

static char *p_rbuf(void *p, size_t *avail) { return hs__h1_rbuf(p, avail); }
static unsigned p_feed(void *p, size_t n) { return hs__h1_feed(p, n); }
static unsigned p_eof(void *p) { return hs__h1_eof(p); }

/* The timeout of the current phase (config.h), after telling a tunnel whose
 * output has all been written (its `drained`): a tunnel's own deadline
 * (now while draining, for its goodbye); while an exchange is
 * suspended its producer's wake time (or the idle timeout while the client
 * does not read our output); the header timeout from the first byte of a
 * head (from the accept for a connection's first request, so one that sends
 * nothing does not hold its slot for the idle timeout); the body timeout
 * between reads of content, within the body deadline; else the idle
 * timeout. */
static uint64_t p_deadline(void *p, uint64_t now, int writing, uint64_t idle_ms) {
  hs__h1_t *h = p;
  const hs__config_t *cfg = h->ctx->cfg;
  if (h->refusing)
    return h->refuse_at;
  if (h->tunnel && h->tunnel->drained && !writing && h->out.len == 0)
    h->tunnel->drained(h->tunnel_state); /* all its output has been written */
  if (h->tunnel && h->tunnel->deadline && !h->closing) {
    if (h->ctx->draining && !h->tunnel_bye)
      return now; /* shutting down: the tunnel says goodbye at once */
    uint64_t d = h->tunnel->deadline(h->tunnel_state);
    return writing && now + cfg->idle_timeout_ms < d ? now + cfg->idle_timeout_ms : d;
  }
  if (h->suspended)
    return writing ? now + cfg->idle_timeout_ms : h->x.wake_ms;
  if (h->out_paused) /* resume as soon as the output has been written */
    return writing ? now + cfg->idle_timeout_ms : now;
  switch (h->phase) {
  case HS_H1_HEAD:
    return h->head_start_ms + cfg->header_timeout_ms;
  case HS_H1_BODY: {
    uint64_t d = now + cfg->body_timeout_ms, end = h->body_start_ms + cfg->body_deadline_ms;
    return d < end ? d : end;
  }
  default: {
    uint64_t d = now + (writing ? cfg->idle_timeout_ms : idle_ms);
    if (!h->any_request && !h->method_pending && h->head_start_ms + cfg->header_timeout_ms < d)
      d = h->head_start_ms + cfg->header_timeout_ms; /* nothing sent yet: closed silently */
    return d;
  }
  }
}

/* A tunnel's timer (or goodbye while draining); a suspended exchange's
 * producer is due; or an idle keep-alive connection closes silently; or a
 * request in progress gets 408 (a tunnel without timers: goodbye). */
static unsigned p_on_timer(void *p) {
  hs__h1_t *h = p;
  if (h->refusing) { /* nothing came: the 503 goes now */
    h->refusing = 0;
    return hs__h1_busy(h);
  }
  if (h->tunnel && h->tunnel->wake && !h->closing) {
    if (h->ctx->draining && !h->tunnel_bye)
      return hs__h1_going_away(h);
    if (!h->tunnel->wake(h->tunnel_state, &h->out))
      return 0;
    h->closing = 1;
    return HS_H1_CLOSE;
  }
  if (h->suspended)
    return hs__h1_produce(h);
  if (h->out_paused) { /* the client has read what was waiting: go on */
    h->out_paused = 0;
    return parse_pending(h);
  }
  if (h->phase == HS_H1_IDLE && !h->method_pending && !h->tunnel)
    return HS_PROTO_CLOSE_NOW;
  return hs__h1_timeout(h);
}

static int p_busy(const void *p) {
  const hs__h1_t *h = p;
  if (streaming(h)) /* rbuf full of content the exchange has no room for yet */
    return h->span_end - h->msg_start + h->rbuf.len - h->parsed >= h->rbuf.cap;
  return h->suspended || h->out_paused;
}
static unsigned p_going_away(void *p) { return hs__h1_going_away(p); }
/* Over the connection limit (RFC 9110 §15.6.4): the first bytes decide how
 * to say so. HTTP/1 gets 503 + Retry-After; a client speaking HTTP/2 by prior
 * knowledge gets its 503 in HTTP/2 (h2_session.c), which HTTP/1 text would
 * not be to it. A client that sends nothing gets the HTTP/1 503 after
 * REFUSE_PEEK_MS. */
#define REFUSE_PEEK_MS 50
static unsigned p_refuse(void *p) {
  hs__h1_t *h = p;
  h->refusing = 1;
  h->refuse_at = h->ctx->now_ms + REFUSE_PEEK_MS;
  return 0;
}
static void p_discard(void *p) { hs__h1_discard(p); }
static void p_release_idle(void *p) { hs__h1_release_idle(p); }
static hs__buf_t *p_output(void *p) { return &((hs__h1_t *)p)->out; }
static void p_handover(void *p, hs__handover_t *out) { *out = ((hs__h1_t *)p)->handover; }
static void p_free(void *p) {
  hs__h1_t *h = p;
  hs__h1_free(h);
  if (h->heap)
    free(h);
}

const hs__proto_ops_t hs__h1_proto = {"http/1.1",     p_rbuf,   p_feed,       p_eof,    p_deadline,
                                      p_on_timer,     p_busy,   p_going_away, p_refuse, p_discard,
                                      p_release_idle, p_output, p_handover,   p_free};
