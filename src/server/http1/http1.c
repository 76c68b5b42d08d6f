/* HTTP/1.x adapter over llhttp (RFC 9112): turns bytes into hs_req_t views,
 * enforces the request limits, and runs the pipeline for each complete request.
 * No I/O happens here. */
#include "server/http1/http1.h"

#include "ws/ws.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/response.h"
#include "http/router.h"
#include "server/log.h"

#define MAX_METHOD_LEN 32 /* longer than any method we implement → 501 */

static int on_message_begin(llhttp_t *p);
static int on_url(llhttp_t *p, const char *at, size_t n);
static int on_url_complete(llhttp_t *p);
static int on_header_field(llhttp_t *p, const char *at, size_t n);
static int on_header_value(llhttp_t *p, const char *at, size_t n);
static int on_header_value_complete(llhttp_t *p);
static int on_headers_complete(llhttp_t *p);
static int on_body(llhttp_t *p, const char *at, size_t n);
static int on_chunk_header(llhttp_t *p);
static int on_message_complete(llhttp_t *p);

static const llhttp_settings_t settings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_url_complete = on_url_complete,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_header_value_complete = on_header_value_complete,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_chunk_header = on_chunk_header,
    .on_message_complete = on_message_complete,
};

#define MS(h) (&(h)->m)

static const char empty_str[] = "";
static const char slash_str[] = "/";

/* A suspended exchange: the handler's view of it and its producer. Lives from
 * the handler's hs__defer() until end_deferred(). */
struct hs_h1_susp_s {
  hs_exchange_t x;
  hs_defer_t d;
};

static void end_deferred(hs_h1_t *h, int abandoned);
static unsigned parse_pending(hs_h1_t *h);

/* ---- setup and buffers ---- */

void hs__h1_init(hs_h1_t *h, hs__ctx_t *ctx, const char *peer) {
  memset(h, 0, sizeof(*h));
  h->ctx = ctx;
  llhttp_init(&h->parser, HTTP_REQUEST, &settings);
  h->parser.data = h;
  hs__buf_init(&h->rbuf, &ctx->rpool);
  hs__buf_init(&h->out, &ctx->opool);
  hs__buf_init(&h->body, NULL);
  h->phase = HS_H1_IDLE;
  size_t n = strlen(peer ? peer : "");
  if (n >= sizeof(h->peer))
    n = sizeof(h->peer) - 1;
  memcpy(h->peer, peer ? peer : "", n);
  h->peer[n] = 0;
  h->req.peer = h->peer;
}

void hs__h1_free(hs_h1_t *h) {
  if (h->susp)
    end_deferred(h, 1); /* client gone or server stopping */
  hs__ws_destroy(h->ws);
  h->ws = NULL;
  hs__buf_release(&h->rbuf);
  hs__buf_release(&h->out);
  hs__buf_release(&h->body);
  if (h->hdrs)
    hs__pool_put(&h->ctx->hpool, h->hdrs);
  h->hdrs = NULL;
}

/* Moves every view that points into [lo, hi] by delta bytes (after the read
 * buffer moved or was compacted). Views of static strings are left alone. */
static void rebase(hs_h1_t *h, uintptr_t lo, uintptr_t hi, intptr_t delta) {
  hs_req_t *r = &h->req;
  hs_str_t *views[] = {
      &r->method_name,     &r->target,     &r->path,    &r->query,   &r->host,   &r->accept,
      &r->accept_language, &r->user_agent, &r->referer, &r->upgrade, &r->origin, &MS(h)->expect};
  for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
    uintptr_t p = (uintptr_t)views[i]->ptr;
    if (p && p >= lo && p <= hi)
      views[i]->ptr = (const char *)(p + (uintptr_t)delta);
  }
  for (size_t i = 0; i < r->nheaders; i++) {
    hs_str_t *nv[2] = {&r->headers[i].name, &r->headers[i].value};
    for (int k = 0; k < 2; k++) {
      uintptr_t p = (uintptr_t)nv[k]->ptr;
      if (p && p >= lo && p <= hi)
        nv[k]->ptr = (const char *)(p + (uintptr_t)delta);
    }
  }
}

char *hs__h1_rbuf(hs_h1_t *h, size_t *avail) {
  hs_buf_t *b = &h->rbuf;
  if (h->susp) { /* views of the suspended request point into rbuf: no moving */
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

void hs__h1_discard(hs_h1_t *h) {
  h->rbuf.len = 0;
  h->msg_start = h->parsed = h->span_end = 0;
}

void hs__h1_release_idle(hs_h1_t *h) {
  if (h->phase == HS_H1_IDLE && !h->method_pending && h->rbuf.len == 0 && !h->susp) {
    hs__buf_release(&h->rbuf);
    hs__buf_release(&h->body);
    if (h->hdrs)
      hs__pool_put(&h->ctx->hpool, h->hdrs);
    h->hdrs = NULL;
  }
  if (h->out.len == 0)
    hs__buf_release(&h->out);
}

/* ---- the pipeline ---- */

/* Records a refusal found by a callback; the feed loop answers it and closes. */
static int fail(hs_h1_t *h, int status, const char *msg) {
  if (!h->err_status) {
    h->err_status = status;
    h->err_msg = msg;
  }
  return HPE_USER;
}

/* The end of an exchange, answered at once or after a suspension: log it and
 * forget the request. */
static void finish_exchange(hs_h1_t *h, hs_exchange_t *x) {
  if (x->close)
    h->closing = 1;
  hs__log_access(h->ctx, x);
  h->ctx->requests++;
  h->phase = HS_H1_IDLE;
  h->body.len = 0;
}

/* One parsed request, start to finish (DESIGN.md, "data flow"): route it, let
 * the handler append its response(s) to h->out, log it. A handler that
 * suspended the exchange (hs__defer) finishes it later, in hs__h1_produce. */
static void dispatch(hs_h1_t *h) {
  hs_req_t *req = &h->req;
  req->body = h->body.base;
  req->body_len = h->body.len;
  hs_defer_t d = {0};
  hs_exchange_t x = {0};
  x.ctx = h->ctx;
  x.req = req;
  x.out = &h->out;
  x.head = req->method == HS_M_HEAD;
  x.http10 = req->major == 1 && req->minor == 0;
  x.close = !req->keep_alive || h->ctx->draining || h->early;
  x.defer = &d;
  if (h->early_status)
    hs__resp_error(&x, h->early_status, h->early_msg, NULL);
  else
    hs__route(&x);
  x.defer = NULL;
  if (x.upgrade) { /* RFC 9110 §7.8: after the 101 the connection speaks WebSocket */
    if (x.close || x.status != 101)
      hs__ws_destroy(x.upgrade);
    else
      h->ws = x.upgrade;
    x.upgrade = NULL;
  }
  if (d.produce) {
    struct hs_h1_susp_s *s = malloc(sizeof(*s));
    if (s) {
      s->x = x;
      s->d = d;
      h->susp = s;
      h->wake_ms = h->ctx->now_ms + (uint64_t)d.wait_ms;
      return; /* the request stays in rbuf/body until end_deferred */
    }
    if (d.release)
      d.release(d.state);
    free(d.state);
    if (!x.status)
      hs__resp_error(&x, 503, "Out of memory; retry later.", NULL);
    else
      x.close = 1; /* a head without its content */
  }
  finish_exchange(h, &x);
}

/* Ends the suspended exchange: completed by its producer, or abandoned (client
 * gone, timeout, shutdown). Makes sure what was sent is a whole response or
 * that the connection closes, logs it (499, "client closed request", if no
 * status was sent), and frees the producer's state. */
static void end_deferred(hs_h1_t *h, int abandoned) {
  struct hs_h1_susp_s *s = h->susp;
  hs_exchange_t *x = &s->x;
  h->susp = NULL;
  if (abandoned) {
    x->close = 1;
    if (!x->status)
      x->status = 499;
  } else if (!x->status) {
    hs__resp_error(x, 500, "The response could not be produced.", NULL);
  } else if (x->streaming) {
    x->close = 1; /* content left unfinished: only closing can tell the client */
  }
  if (s->d.release)
    s->d.release(s->d.state);
  free(s->d.state);
  finish_exchange(h, x);
  free(s);
}

unsigned hs__h1_produce(hs_h1_t *h) {
  if (!h->susp)
    return h->closing ? HS_H1_CLOSE : 0;
  hs__ctx_tick(h->ctx);
  struct hs_h1_susp_s *s = h->susp;
  int64_t r = s->d.produce(&s->x, s->d.state);
  if (r >= 0) {
    h->wake_ms = h->ctx->now_ms + (uint64_t)r;
    return 0;
  }
  end_deferred(h, 0);
  if (h->closing) {
    hs__h1_discard(h);
    return HS_H1_CLOSE;
  }
  return parse_pending(h); /* the requests that waited behind it */
}

/* An error response that closes the connection, logged but not counted as
 * a request (hs__h1_busy: the client has sent nothing yet). */
static void refuse(hs_h1_t *h, int status, const char *msg) {
  hs_exchange_t x = {0};
  x.ctx = h->ctx;
  x.req = NULL; /* headers may be incomplete: plain text, no negotiation */
  x.out = &h->out;
  x.close = 1;
  x.head = h->req.method == HS_M_HEAD && MS(h)->url_done && !MS(h)->fake_method;
  x.http10 = h->parser.http_major == 1 && h->parser.http_minor == 0;
  hs__resp_error(&x, status, msg, NULL);
  h->closing = 1;
  hs__log_error(h->ctx, &x, h->peer, &h->req);
  h->phase = HS_H1_IDLE;
}

/* An error response for a request that cannot be parsed further (it is
 * counted as answered, like finish_exchange does); closes. */
static void answer_error(hs_h1_t *h, int status, const char *msg) {
  refuse(h, status, msg);
  h->ctx->requests++;
}

/* Is the request line's version "HTTP/" DIGIT "." DIGIT followed by CRLF (just
 * not one we speak)? RFC 9110 §15.6.6: then 505; anything else is a malformed
 * line (400). */
static int version_is_wellformed(hs_h1_t *h, const char *end) {
  const char *s = h->rbuf.base + h->msg_start;
  const char *eol = s;
  while (eol < end && *eol != '\r' && *eol != '\n')
    eol++;
  if (eol - s < 9)
    return 0;
  if (eol < end && *eol == '\r' && (eol + 1 >= end || eol[1] != '\n'))
    return 0; /* bare CR */
  const char *v = eol - 8;
  if (memcmp(v, "HTTP/1.0", 8) == 0 || memcmp(v, "HTTP/1.1", 8) == 0)
    return 0;
  return memcmp(v, "HTTP/", 5) == 0 && v[5] >= '0' && v[5] <= '9' && v[6] == '.' && v[7] >= '0' &&
         v[7] <= '9' && v[-1] == ' ';
}

/* Does the request line carry a version at all? (llhttp takes a line without
 * one for HTTP/0.9, which RFC 9112 §3 does not allow: 400.) */
static int line_has_version(hs_h1_t *h) {
  const char *s = h->rbuf.base + h->msg_start, *end = h->rbuf.base + h->rbuf.len;
  const char *eol = memchr(s, '\n', (size_t)(end - s));
  if (!eol)
    eol = end;
  for (const char *p = s; p + 6 <= eol; p++)
    if (memcmp(p, " HTTP/", 6) == 0)
      return 1;
  return 0;
}

enum { M_ERROR, M_NEED_MORE, M_CONTINUE };

/* llhttp knows only the methods it was built with. RFC 9110 §9.1, §15.6.2: a
 * syntactically valid method we do not know gets 501, a malformed one 400. For a
 * valid token we restart llhttp as if the method were GET and let it parse the
 * rest (so framing, limits and keep-alive still apply); the router answers 501. */
static int unknown_method(hs_h1_t *h, const char **pp, const char *end) {
  const char *s = h->rbuf.base + h->msg_start;
  while (s < end && (*s == '\r' || *s == '\n'))
    s++;
  const char *t = s;
  while (t < end && hs__is_tchar((unsigned char)*t)) {
    t++;
    if (t - s > MAX_METHOD_LEN) {
      fail(h, 501, "The request method is longer than any this server implements.");
      return M_ERROR;
    }
  }
  if (t == end)
    return M_NEED_MORE;
  if (t == s || *t != ' ') {
    fail(h, 400, "Malformed request method.");
    return M_ERROR;
  }
  llhttp_init(&h->parser, HTTP_REQUEST, &settings);
  h->parser.data = h;
  llhttp_execute(&h->parser, "GET", 3); /* calls on_message_begin */
  h->msg_start = (size_t)(s - h->rbuf.base);
  h->req.method = HS_M_OTHER;
  h->req.method_name.ptr = s;
  h->req.method_name.len = (size_t)(t - s);
  MS(h)->fake_method = 1;
  *pp = t;
  return M_CONTINUE;
}

/* Maps an llhttp error to our answer (400 unless a callback said otherwise). */
static void protocol_error(hs_h1_t *h, llhttp_errno_t e, const char *end) {
  int status = h->err_status;
  const char *msg = h->err_msg;
  if (!status) {
    status = 400;
    switch (e) {
    case HPE_INVALID_VERSION:
      if (version_is_wellformed(h, end)) {
        status = 505;
        msg = "Only HTTP/1.0 and HTTP/1.1 are supported.";
      } else {
        msg = "Malformed HTTP version.";
      }
      break;
    case HPE_PAUSED_H2_UPGRADE:
      status = 505;
      msg = "HTTP/2 with prior knowledge is not supported; use HTTP/1.1.";
      break;
    case HPE_UNEXPECTED_CONTENT_LENGTH: /* RFC 9112 §6.3 */
      msg = "Content-Length together with Transfer-Encoding, or a repeated Content-Length.";
      break;
    case HPE_INVALID_TRANSFER_ENCODING: /* RFC 9112 §6.3: chunked must be last */
      msg = "Invalid Transfer-Encoding: chunked must be the final coding of a request.";
      break;
    case HPE_INVALID_CHUNK_SIZE:
      msg = "Invalid chunk size in a chunked request body.";
      break;
    case HPE_INVALID_HEADER_TOKEN:
      msg = "Invalid character in a header field (NUL, bare CR or a control character).";
      break;
    case HPE_LF_EXPECTED:
    case HPE_CR_EXPECTED:
      msg = "Bare CR or missing CRLF: lines must end with CRLF.";
      break;
    default:
      msg = llhttp_get_error_reason(&h->parser);
      if (!msg)
        msg = "Malformed request.";
      break;
    }
  }
  answer_error(h, status, msg);
}

/* Keeps only what the request in progress still needs at the front of rbuf:
 * its head (views point there); consumed content bytes are dropped. */
static void compact(hs_h1_t *h) {
  hs_buf_t *b = &h->rbuf;
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

/* WebSocket mode: everything in rbuf is frames; hand it over and empty rbuf. */
static unsigned feed_ws(hs_h1_t *h) {
  hs_buf_t *b = &h->rbuf;
  unsigned f = hs__ws_feed(h->ws, b->base, b->len, &h->out);
  b->len = 0;
  h->parsed = h->msg_start = h->span_end = 0;
  if (f & HS_WS_CLOSE) {
    h->closing = 1;
    return HS_H1_CLOSE;
  }
  return 0;
}

unsigned hs__h1_going_away(hs_h1_t *h) {
  if (!h->ws || h->closing)
    return h->closing ? HS_H1_CLOSE : 0;
  hs__ws_close(h->ws, 1001, &h->out);
  h->closing = 1;
  return HS_H1_CLOSE;
}

unsigned hs__h1_feed(hs_h1_t *h, size_t n) {
  hs_buf_t *b = &h->rbuf;
  b->len += n;
  if (h->closing) {
    hs__h1_discard(h);
    return HS_H1_CLOSE;
  }
  if (h->ws)
    return feed_ws(h);
  if (h->susp)
    return 0; /* parsed when the suspended exchange ends */
  return parse_pending(h);
}

/* Parses rbuf from h->parsed on and runs every complete request; stops early
 * when one is suspended. */
static unsigned parse_pending(hs_h1_t *h) {
  hs_buf_t *b = &h->rbuf;
  hs__ctx_tick(h->ctx);
  const char *p = b->base + h->parsed, *end = b->base + b->len;
  if (h->method_pending) {
    p = b->base + h->msg_start;
    int r = unknown_method(h, &p, end);
    if (r == M_NEED_MORE)
      p = end;
    else if (r == M_ERROR) {
      protocol_error(h, HPE_INVALID_METHOD, end);
      p = end;
    } else
      h->method_pending = 0;
  }
  while (p < end && !h->closing && !h->method_pending) {
    llhttp_errno_t e = llhttp_execute(&h->parser, p, (size_t)(end - p));
    if (e == HPE_OK) {
      p = end;
      break;
    }
    const char *ep = llhttp_get_error_pos(&h->parser);
    if (e == HPE_PAUSED) { /* a complete request, or an early answer */
      p = ep;
      llhttp_resume(&h->parser);
      dispatch(h);
      h->msg_start = (size_t)(p - b->base);
      if (h->susp)
        break;     /* later requests wait for it */
      if (h->ws) { /* the bytes after the handshake are WebSocket frames */
        memmove(b->base, p, (size_t)(end - p));
        b->len = (size_t)(end - p);
        return feed_ws(h);
      }
      continue;
    }
    if (e == HPE_PAUSED_UPGRADE) { /* Upgrade ignored (RFC 9110 §7.8): stay HTTP/1.1 */
      p = ep;
      llhttp_resume_after_upgrade(&h->parser);
      continue;
    }
    if (e == HPE_INVALID_METHOD && !h->err_status) {
      int r = unknown_method(h, &p, end);
      if (r == M_CONTINUE)
        continue;
      if (r == M_NEED_MORE) {
        h->method_pending = 1;
        if (h->phase == HS_H1_IDLE)
          h->head_start_ms = h->ctx->now_ms;
        h->phase = HS_H1_HEAD;
        p = end;
        break;
      }
    }
    protocol_error(h, e, end);
    p = end;
  }
  h->parsed = (size_t)(p - b->base);
  if (h->susp)
    return 0; /* rbuf stays as it is while the exchange is suspended */
  /* RFC 9112 §3 / RFC 6585 §5: a head that outgrew the limit without ending */
  if (!h->closing && h->phase == HS_H1_HEAD &&
      b->len - h->msg_start > h->ctx->cfg->max_header_size) {
    if (!MS(h)->url_done && !h->method_pending)
      answer_error(h, 414, "The request line is longer than this server accepts.");
    else if (h->method_pending)
      answer_error(h, 501, "The request method is longer than any this server implements.");
    else
      answer_error(h, 431, "The request header section is larger than this server accepts.");
  }
  compact(h);
  if (h->phase == HS_H1_IDLE && b->len == 0)
    hs__h1_release_idle(h);
  return h->closing ? HS_H1_CLOSE : 0;
}

unsigned hs__h1_eof(hs_h1_t *h) {
  if (h->susp)
    end_deferred(h, 1);
  h->closing = 1;
  return HS_H1_CLOSE;
}

unsigned hs__h1_timeout(hs_h1_t *h) {
  if (h->ws)
    return hs__h1_going_away(h); /* idle WebSocket: Close 1001 */
  if (h->susp)
    end_deferred(h, 1);
  if (!h->closing && (h->phase != HS_H1_IDLE || h->method_pending)) {
    hs__ctx_tick(h->ctx);
    answer_error(h, 408,
                 h->phase == HS_H1_BODY ? "The request content arrived too slowly."
                                        : "The request header section arrived too slowly.");
  }
  h->closing = 1;
  return HS_H1_CLOSE;
}

unsigned hs__h1_busy(hs_h1_t *h) {
  hs__ctx_tick(h->ctx);
  refuse(h, 503, "Too many connections; retry later.");
  return HS_H1_CLOSE;
}

/* ---- llhttp callbacks ---- */

static inline size_t off(hs_h1_t *h, const char *at) { return (size_t)(at - h->rbuf.base); }

static int check_head_size(hs_h1_t *h, const char *at, size_t n) {
  size_t e = off(h, at) + n;
  if (e > h->span_end)
    h->span_end = e;
  if (e - h->msg_start > h->ctx->cfg->max_header_size)
    return fail(h, 431, "The request header section is larger than this server accepts.");
  return 0;
}

static int on_message_begin(llhttp_t *p) {
  hs_h1_t *h = p->data;
  hs_hdr_t *hdrs = h->hdrs;
  memset(&h->req, 0, sizeof(h->req));
  memset(&h->m, 0, sizeof(h->m));
  h->req.headers = hdrs;
  h->req.peer = h->peer;
  h->early = 0;
  h->early_status = 0;
  h->early_msg = NULL;
  h->nhost = 0;
  h->trailer_bytes = 0;
  h->body.len = 0;
  h->span_end = h->msg_start;
  if (h->phase == HS_H1_IDLE)
    h->head_start_ms = h->ctx->now_ms;
  h->phase = HS_H1_HEAD;
  return 0;
}

static int on_url(llhttp_t *p, const char *at, size_t n) {
  hs_h1_t *h = p->data;
  hs_str_t *t = &h->req.target;
  if (!t->ptr) {
    /* RFC 9112 §3: exactly one SP between method and target (llhttp allows more) */
    if (at - h->rbuf.base >= 2 && at[-1] == ' ' && at[-2] == ' ')
      return fail(h, 400, "Malformed request line: more than one space before the target.");
    t->ptr = at;
  } else if (at != t->ptr + t->len)
    return fail(h, 400, "Malformed request-target.");
  t->len += n;
  if (t->len > h->ctx->cfg->max_uri) /* RFC 9110 §15.5.15 */
    return fail(h, 414, "The request-target (URI) is longer than this server accepts.");
  return check_head_size(h, at, n)
             ? fail(h, 414, "The request line is longer than this server accepts.")
             : 0;
}

static hs_method_t map_method(uint8_t m);

/* RFC 9112 §3.2: origin-form, absolute-form, authority-form, asterisk-form. */
static int on_url_complete(llhttp_t *p) {
  hs_h1_t *h = p->data;
  hs_req_t *r = &h->req;
  hs_str_t t = r->target;
  MS(h)->url_done = 1;
  if (!MS(h)->fake_method) { /* known now; kept for the log of early errors */
    r->method = map_method(p->method);
    if (r->method != HS_M_OTHER) {
      r->method_name.ptr = hs__method_name(r->method);
      r->method_name.len = hs__method_name_len(r->method);
    } else {
      const char *name = llhttp_method_name((llhttp_method_t)p->method);
      r->method_name.ptr = name;
      r->method_name.len = strlen(name);
    }
  }
  if (t.len == 1 && t.ptr[0] == '*') {
    r->asterisk = 1;
    r->path = t;
    return 0;
  }
  const char *s = t.ptr, *end = t.ptr + t.len;
  if (t.len && t.ptr[0] != '/') {
    size_t skip = 0;
    if (t.len >= 7 && strncasecmp(s, "http://", 7) == 0)
      skip = 7;
    else if (t.len >= 8 && strncasecmp(s, "https://", 8) == 0)
      skip = 8;
    if (!skip)
      return 0; /* authority-form (CONNECT) or garbage: path stays empty */
    const char *a = s + skip, *ae = a;
    while (ae < end && *ae != '/' && *ae != '?' && *ae != '#')
      ae++;
    r->host.ptr = a; /* RFC 9112 §3.2.2: the authority replaces Host */
    r->host.len = (size_t)(ae - a);
    s = ae;
    if (s == end || *s != '/') {
      r->path.ptr = slash_str;
      r->path.len = 1;
      if (s < end && *s == '?') {
        r->query.ptr = s + 1;
        r->query.len = (size_t)(end - s - 1);
      }
      return 0;
    }
  }
  const char *q = s;
  while (q < end && *q != '?' && *q != '#')
    q++;
  r->path.ptr = s;
  r->path.len = (size_t)(q - s);
  if (q < end && *q == '?') {
    const char *f = q + 1;
    while (f < end && *f != '#')
      f++;
    r->query.ptr = q + 1;
    r->query.len = (size_t)(f - q - 1);
  }
  return 0;
}

static int on_header_field(llhttp_t *p, const char *at, size_t n) {
  hs_h1_t *h = p->data;
  struct hs_h1_msg_s *m = &h->m;
  if (h->in_trailers) { /* RFC 9112 §7.1.2: trailers are read, counted, dropped */
    h->trailer_bytes += n;
    if (!m->field_open)
      m->trailer_fields++, m->field_open = 1;
    if (h->trailer_bytes > h->ctx->cfg->max_header_size ||
        m->trailer_fields > h->ctx->cfg->max_headers)
      return fail(h, 431, "The trailer section is larger than this server accepts.");
    return 0;
  }
  hs_req_t *r = &h->req;
  if (!m->field_open) {
    if (r->nheaders >= h->ctx->cfg->max_headers) /* RFC 6585 §5 */
      return fail(h, 431, "Too many header fields.");
    hs_hdr_t *hd = &r->headers[r->nheaders++];
    hd->name.ptr = at;
    hd->name.len = n;
    hd->value.ptr = NULL;
    hd->value.len = 0;
    m->field_open = 1;
  } else {
    hs_hdr_t *hd = &r->headers[r->nheaders - 1];
    if (at != hd->name.ptr + hd->name.len)
      return fail(h, 400, "Malformed header field name.");
    hd->name.len += n;
  }
  return check_head_size(h, at, n);
}

static int on_header_value(llhttp_t *p, const char *at, size_t n) {
  hs_h1_t *h = p->data;
  if (h->in_trailers) {
    h->trailer_bytes += n;
    if (h->trailer_bytes > h->ctx->cfg->max_header_size)
      return fail(h, 431, "The trailer section is larger than this server accepts.");
    return 0;
  }
  hs_req_t *r = &h->req;
  if (!r->nheaders)
    return fail(h, 400, "Malformed header section.");
  hs_hdr_t *hd = &r->headers[r->nheaders - 1];
  if (!hd->value.ptr) {
    hd->value.ptr = at;
    hd->value.len = n;
  } else if (at != hd->value.ptr + hd->value.len) {
    /* llhttp reports a folded line as a second piece: RFC 9112 §5.2 lets a
     * server reject obs-fold with 400, which we do */
    return fail(h, 400, "Obsolete line folding (obs-fold) in a header field is not accepted.");
  } else {
    hd->value.len += n;
  }
  return check_head_size(h, at, n);
}

/* ASCII case-insensitive equality of a field name with a lower-case literal
 * of the same length (callers switch on the length first). */
static inline int name_is(const char *p, const char *lit, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if ((c >= 'A' && c <= 'Z' ? c | 0x20 : c) != (unsigned char)lit[i])
      return 0;
  }
  return 1;
}
#define NAME_IS(hd, lit) name_is((hd)->name.ptr, lit, sizeof(lit) - 1)

static int on_header_value_complete(llhttp_t *p) {
  hs_h1_t *h = p->data;
  struct hs_h1_msg_s *m = &h->m;
  m->field_open = 0;
  if (h->in_trailers || !h->req.nheaders)
    return 0;
  hs_req_t *r = &h->req;
  hs_hdr_t *hd = &r->headers[r->nheaders - 1];
  if (!hd->value.ptr)
    hd->value.ptr = empty_str;
  while (hd->value.len &&
         (hd->value.ptr[hd->value.len - 1] == ' ' || hd->value.ptr[hd->value.len - 1] == '\t'))
    hd->value.len--;
  switch (hd->name.len) {
  case 4:
    if (NAME_IS(hd, "host")) {
      if (h->nhost < 3)
        h->nhost++;
      if (!r->host.ptr || h->nhost > 1)
        r->host = hd->value;
    }
    break;
  case 6:
    if (NAME_IS(hd, "accept"))
      r->accept = hd->value;
    else if (NAME_IS(hd, "origin")) {
      if (!r->origin.ptr)
        r->origin = hd->value;
    } else if (NAME_IS(hd, "expect")) {
      if (m->expect.ptr)
        m->unknown_expect = 1; /* keep it simple: one Expect line */
      m->expect = hd->value;
    }
    break;
  case 7:
    if (NAME_IS(hd, "referer"))
      r->referer = hd->value;
    else if (NAME_IS(hd, "upgrade"))
      r->upgrade = hd->value;
    break;
  case 10:
    if (NAME_IS(hd, "user-agent"))
      r->user_agent = hd->value;
    break;
  case 15:
    if (NAME_IS(hd, "accept-language"))
      r->accept_language = hd->value;
    break;
  default:
    break;
  }
  return 0;
}

/* RFC 9110 §7.2 / RFC 3986 §3.2: reg-name / IP-literal, optional port. */
static int host_valid(hs_str_t v) {
  static uint8_t ok[256];
  static int ready; /* benign race: every thread writes the same values */
  if (!ready) {
    for (int c = 0; c < 256; c++)
      ok[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              (c && strchr("-._~%!$&'()*+,;=:[]", c));
    ready = 1;
  }
  for (size_t i = 0; i < v.len; i++)
    if (!ok[(unsigned char)v.ptr[i]])
      return 0;
  return 1;
}

static hs_method_t map_method(uint8_t m) {
  switch (m) {
  case HTTP_GET:
    return HS_M_GET;
  case HTTP_HEAD:
    return HS_M_HEAD;
  case HTTP_POST:
    return HS_M_POST;
  case HTTP_PUT:
    return HS_M_PUT;
  case HTTP_DELETE:
    return HS_M_DELETE;
  case HTTP_CONNECT:
    return HS_M_CONNECT;
  case HTTP_OPTIONS:
    return HS_M_OPTIONS;
  case HTTP_TRACE:
    return HS_M_TRACE;
  case HTTP_PATCH:
    return HS_M_PATCH;
  default:
    return HS_M_OTHER;
  }
}

/* RFC 9110 §10.1.1: "100-continue" is the only expectation defined. */
static void parse_expect(hs_h1_t *h) {
  struct hs_h1_msg_s *m = &h->m;
  hs_str_t e = m->expect;
  const char *s = e.ptr, *end = e.ptr + e.len;
  while (s < end) {
    while (s < end && (*s == ' ' || *s == '\t' || *s == ','))
      s++;
    const char *t = s;
    while (t < end && *t != ',')
      t++;
    const char *te = t;
    while (te > s && (te[-1] == ' ' || te[-1] == '\t'))
      te--;
    if (te > s) {
      if ((size_t)(te - s) == 12 && strncasecmp(s, "100-continue", 12) == 0) {
        if (h->req.major == 1 && h->req.minor >= 1)
          h->req.expect_continue = 1;
      } else {
        m->unknown_expect = 1;
      }
    }
    s = t;
  }
}

/* The end of the header section: everything about the request is known except
 * its content. Checks that need the whole head happen here. */
static int on_headers_complete(llhttp_t *p) {
  hs_h1_t *h = p->data;
  struct hs_h1_msg_s *m = &h->m;
  hs_req_t *r = &h->req;
  const hs_config_t *cfg = h->ctx->cfg;
  h->phase = HS_H1_BODY;
  if (!m->fake_method && !r->method_name.ptr) {
    r->method = map_method(p->method);
    const char *name = llhttp_method_name((llhttp_method_t)p->method);
    r->method_name.ptr = name;
    r->method_name.len = strlen(name);
  }
  r->major = p->http_major;
  r->minor = p->http_minor;
  if (r->major != 1) { /* RFC 9110 §15.6.6 */
    if (!line_has_version(h))
      fail(h, 400, "The request line has no HTTP version.");
    else
      fail(h, 505, "Only HTTP/1.0 and HTTP/1.1 are supported.");
    return -1;
  }
  /* RFC 9112 §3.2: exactly one Host in HTTP/1.1, at most one in 1.0, valid */
  if (h->nhost > 1)
    return fail(h, 400, "More than one Host header field (RFC 9112 §3.2)."), -1;
  if (h->nhost == 0 && r->minor >= 1)
    return fail(h, 400, "Missing Host header field (RFC 9112 §3.2)."), -1;
  if (h->nhost && !host_valid(r->host))
    return fail(h, 400, "Invalid Host header field value (RFC 9112 §3.2)."), -1;
  if (r->method == HS_M_CONNECT) /* we are not a proxy; the tunnel cannot be framed */
    return fail(h, 501, "CONNECT is not implemented: this server is not a proxy."), -1;
  if (!r->path.len && !r->asterisk)
    return fail(h, 400, "Invalid request-target."), -1;
  if (r->asterisk && r->method != HS_M_OPTIONS)
    return fail(h, 400, "The asterisk request-target is only for OPTIONS."), -1;
  if (p->flags & F_CHUNKED)
    r->chunked = 1;
  if (p->flags & F_CONTENT_LENGTH) {
    r->has_clen = 1;
    r->content_length = p->content_length;
  }
  int has_content = r->chunked || (r->has_clen && r->content_length > 0);
  /* RFC 9110 §15.5.14: refuse before reading; we then close (no way to skip it) */
  if (r->has_clen && r->content_length > cfg->max_body) {
    h->early = 1;
    h->early_status = 413;
    h->early_msg = "The request content is larger than this server accepts.";
    return HPE_PAUSED;
  }
  if (m->expect.ptr)
    parse_expect(h);
  if (m->unknown_expect) { /* RFC 9110 §10.1.1 */
    h->early_status = 417;
    h->early_msg = "Unsupported expectation: only 100-continue is understood.";
    r->expect_continue = 0;
    if (has_content) {
      h->early = 1;
      return HPE_PAUSED;
    }
    return 0;
  }
  if (r->expect_continue && has_content) {
    if (hs__route_refusal(h->ctx, r)) { /* final answer without reading the content */
      h->early = 1;
      return HPE_PAUSED;
    }
    hs__buf_lit(&h->out, "HTTP/1.1 100 Continue\r\n\r\n");
  }
  return 0;
}

static int on_chunk_header(llhttp_t *p) {
  hs_h1_t *h = p->data;
  if (p->content_length == 0) { /* last-chunk: trailers may follow */
    h->in_trailers = 1;
    MS(h)->field_open = 0;
    return 0;
  }
  if (p->content_length > h->ctx->cfg->max_body - h->body.len ||
      h->body.len > h->ctx->cfg->max_body)
    return fail(h, 413, "The request content is larger than this server accepts."), -1;
  return 0;
}

static int on_body(llhttp_t *p, const char *at, size_t n) {
  hs_h1_t *h = p->data;
  if (h->body.len + n > h->ctx->cfg->max_body)
    return fail(h, 413, "The request content is larger than this server accepts.");
  hs__buf_append(&h->body, at, n);
  return 0;
}

static int on_message_complete(llhttp_t *p) {
  hs_h1_t *h = p->data;
  h->req.keep_alive = llhttp_should_keep_alive(p) ? 1 : 0;
  h->in_trailers = 0;
  return HPE_PAUSED;
}
