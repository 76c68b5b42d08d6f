/* The response layer (response.h): registry rules, then the exchange's sink. */
#include "http/response.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "http/ctx.h"
#include "http/render.h"
#include "http/status_table.h"

#define SERVER_NAME "httpstatus/" HS_VERSION_STRING

/* Shorthand for the sink calls. */
#define FIELD(x, name, val, vlen) (x)->sink->field((x), (name), sizeof(name) - 1, (val), (vlen))
#define FIELD_LIT(x, name, val) FIELD(x, name, val, sizeof(val) - 1)

/* The CORS fields httpbin adds to every response (its after_request hook;
 * Fetch standard, "CORS protocol"): the request's Origin echoed (or *),
 * credentials allowed, and for OPTIONS the preflight answer: methods, max-age,
 * and the requested headers. */
static void cors_fields(hs__exchange_t *x, const hs__req_t *req) {
  if (req && req->origin.ptr)
    FIELD(x, "Access-Control-Allow-Origin", req->origin.ptr, req->origin.len);
  else
    FIELD_LIT(x, "Access-Control-Allow-Origin", "*");
  FIELD_LIT(x, "Access-Control-Allow-Credentials", "true");
  if (req && req->method == HS_M_OPTIONS) {
    FIELD_LIT(x, "Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, PATCH, OPTIONS");
    FIELD_LIT(x, "Access-Control-Max-Age", "3600");
    const hs__str_t *h = hs__req_header(req, "access-control-request-headers");
    if (h)
      FIELD(x, "Access-Control-Allow-Headers", h->ptr, h->len);
  }
}

void hs__resp_begin(hs__resp_t *r, hs__exchange_t *x, int status) {
  if (status < 100 || status > 599)
    status = 500;
  hs__ctx_t *ctx = x->ctx;
  r->x = x;
  r->status = status;
  r->flags = hs__status_flags(status);
  r->requires = hs__status_requires(status);
  r->have = HS_HBIT(HS_H_DATE);
  r->upgrade = 0;
  x->sink->head_begin(x, status);
  FIELD(x, "Date", ctx->date, ctx->date_len); /* RFC 9110 §6.6.1 */
  FIELD_LIT(x, "Server", SERVER_NAME);
  cors_fields(x, x->req);
}

void hs__resp_begin_relay(hs__resp_t *r, hs__exchange_t *x, int status) {
  if (status < 100 || status > 599)
    status = 502;
  r->x = x;
  r->status = status;
  r->flags = hs__status_flags(status);
  r->requires = 0;
  r->have = 0;
  r->upgrade = 0;
  x->sink->head_begin(x, status);
}

void hs__resp_hdr(hs__resp_t *r, hs_header_t h, const char *val, size_t vlen) {
  const char *name = (unsigned)h < HS_H_COUNT ? hs_header_name(h) : NULL;
  if (!name)
    return;
  r->x->sink->field(r->x, name, strlen(name), val, vlen);
  r->have |= HS_HBIT(h);
}

void hs__resp_field(hs__resp_t *r, const char *name, const char *val, size_t vlen) {
  r->x->sink->field(r->x, name, strlen(name), val, vlen);
}

void hs__resp_field_n(hs__resp_t *r, const char *name, size_t nlen, const char *val, size_t vlen) {
  r->x->sink->field(r->x, name, nlen, val, vlen);
}

/* Sends every field of f (may be NULL) to x's sink. */
static void send_fields(hs__exchange_t *x, const hs__fields_t *f) {
  for (size_t i = 0; f && i < f->n; i++) {
    hs__hdr_t h = hs__fields_at(f, i);
    x->sink->field(x, h.name.ptr, h.name.len, h.value.ptr, h.value.len);
  }
}

void hs__resp_fields(hs__resp_t *r, const hs__fields_t *f) { send_fields(r->x, f); }

/* Debug builds: the registry's MUST headers (RFC 9110 §15) are present, so a
 * handler cannot omit them. Compiles to nothing with NDEBUG. */
static void check_required(const hs__resp_t *r) {
#ifndef NDEBUG
  if ((r->requires & ~r->have) != 0) {
    fprintf(stderr, "httpstatus serve: response %d lacks required header mask 0x%x\n", r->status,
            r->requires & ~r->have);
    assert((r->requires & ~r->have) == 0);
  }
#else
  (void)r;
#endif
}

/* Content-Type (when content may follow) and Content-Length as RFC 9110 §8.6
 * allows: never in 1xx or 204; for 304 only if equal to the 200's, so we
 * leave it out; 205 says "0"; HEAD repeats what GET would send. `length` is
 * HS_LEN_UNKNOWN for content framed by the protocol. Returns the length the
 * head announces (0 for no-content statuses). */
static uint64_t content_fields(hs__resp_t *r, const char *ctype, uint64_t length) {
  hs__exchange_t *x = r->x;
  int no_content = (r->flags & HS_F_NO_BODY) != 0;
  if (!no_content && ctype) {
    x->sink->field(x, "Content-Type", 12, ctype, strlen(ctype));
    r->have |= HS_HBIT(HS_H_CONTENT_TYPE);
  }
  if (no_content)
    length = 0;
  if (length != HS_LEN_UNKNOWN && !(r->flags & HS_F_NO_CLENGTH) && r->status != 304) {
    char num[24];
    x->sink->field(x, "Content-Length", 14, num, hs__u64toa(num, length));
    r->have |= HS_HBIT(HS_H_CONTENT_LENGTH);
  }
  return length;
}

void hs__resp_end(hs__resp_t *r, const char *ctype, const char *body, size_t blen) {
  hs__exchange_t *x = r->x;
  /* RFC 9110 §6.4.1: 1xx, 204, 304 end at the header section; §15.3.6: 205 has
   * no content; §9.3.2: HEAD is answered without content. */
  int no_content = (r->flags & HS_F_NO_BODY) != 0;
  int send_body = !no_content && !x->head && blen > 0;
  hs__head_end_t e = {0};
  e.length = content_fields(r, ctype, blen);
  e.upgrade = r->upgrade;
  e.no_content = !send_body;
  x->sink->head_end(x, &e);
  if (send_body)
    x->sink->data(x, body, blen);
  x->sink->finish(x, NULL);
  check_required(r);
  x->status = r->status;
  x->body_bytes = send_body ? blen : 0;
}

int hs__resp_interim(hs__exchange_t *x, int code, const hs__fields_t *fields) {
  /* RFC 9110 §15.2: a server MUST NOT send a 1xx response to an HTTP/1.0 client */
  if (code < 100 || code > 199 || (x->req && x->req->major == 1 && x->req->minor == 0))
    return 0;
  x->sink->head_begin(x, code);
  send_fields(x, fields);
  hs__head_end_t e = {0};
  e.interim = 1;
  e.no_content = 1;
  x->sink->head_end(x, &e);
  return 1;
}

void hs__resp_upgrade(hs__resp_t *r, const hs__tunnel_ops_t *tunnel, void *state) {
  hs__exchange_t *x = r->x;
  r->upgrade = 1;
  if (r->status / 100 == 2) /* RFC 9110 §8.6: no Content-Length in a 2xx to CONNECT */
    r->flags |= HS_F_NO_CLENGTH;
  hs__resp_end(r, NULL, NULL, 0);
  if (x->sink->takeover(x, tunnel, state) != 0)
    tunnel->destroy(state);
}

void hs__resp_switch_and_close(hs__exchange_t *x, hs__str_t protocol) {
  x->sink->head_begin(x, 101);
  FIELD_LIT(x, "Connection", "upgrade"); /* RFC 9110 §7.8 */
  FIELD(x, "Upgrade", protocol.ptr, protocol.len);
  hs__head_end_t e = {0};
  e.interim = 1;
  e.no_content = 1;
  x->sink->head_end(x, &e);
  x->sink->abort(x); /* we do not speak it: the connection ends here */
  x->status = 101;
  x->body_bytes = 0;
}

void hs__resp_required(hs__resp_t *r, uint64_t content_length) {
  uint32_t want = r->requires & ~r->have;
  char tmp[64];
  size_t n;
  if (want & HS_HBIT(HS_H_ALLOW))
    hs__resp_hdr(r, HS_H_ALLOW, HS_ALLOW_ALL, sizeof(HS_ALLOW_ALL) - 1);
  if (want & HS_HBIT(HS_H_WWW_AUTHENTICATE)) /* RFC 9110 §15.5.2 */
    hs__resp_hdr(r, HS_H_WWW_AUTHENTICATE, "Basic realm=\"Fake Realm\"", 24);
  if (want & HS_HBIT(HS_H_PROXY_AUTHENTICATE)) /* §15.5.8 */
    hs__resp_hdr(r, HS_H_PROXY_AUTHENTICATE, "Basic realm=\"Fake Realm\"", 24);
  if (want & HS_HBIT(HS_H_LOCATION))
    hs__resp_hdr(r, HS_H_LOCATION, "/redirect/1", 11);
  if (want & HS_HBIT(HS_H_CONTENT_RANGE)) { /* §14.4 */
    if (content_length == 0 || content_length == HS_LEN_UNKNOWN)
      n = (size_t)snprintf(tmp, sizeof(tmp), "bytes */0");
    else
      n = (size_t)snprintf(tmp, sizeof(tmp), "bytes 0-%llu/%llu",
                           (unsigned long long)content_length - 1,
                           (unsigned long long)content_length);
    hs__resp_hdr(r, HS_H_CONTENT_RANGE, tmp, n);
  }
  if (want & HS_HBIT(HS_H_UPGRADE)) { /* §7.8: Upgrade goes with Connection: upgrade */
    hs__resp_hdr(r, HS_H_UPGRADE, "HTTP/2.0", 8);
    r->upgrade = 1;
  }
}

void hs__resp_error(hs__exchange_t *x, int status, const char *message, const char *allow) {
  hs__ctx_t *ctx = x->ctx;
  hs__neg_t neg = {HS_FMT_TEXT, HS_LANG_EN};
  if (x->req)
    neg = hs__negotiate(x->req);
  hs__buf_t *s = &ctx->scratch;
  s->len = 0;
  hs__render_message(s, neg, status, message);
  hs__resp_t r;
  hs__resp_begin(&r, x, status);
  if (status == 405 || allow) {
    const char *a = allow ? allow : HS_ALLOW_ALL;
    hs__resp_hdr(&r, HS_H_ALLOW, a, strlen(a));
  }
  if (status == 503 || status == 429) {
    char tmp[24];
    size_t n = hs__u64toa(tmp, ctx->cfg->retry_after);
    hs__resp_hdr(&r, HS_H_RETRY_AFTER, tmp, n);
  }
  if (x->log_status) { /* the vendor code the log records (nginx's 495-497) */
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%d nginx", x->log_status);
    hs__resp_field(&r, "X-Vendor-Status", tmp, (size_t)n);
  }
  if (x->req) /* the body was negotiated (RFC 9110 §12.5.5) */
    hs__resp_hdr(&r, HS_H_VARY, "Accept, Accept-Language", 23);
  hs__resp_end(&r, hs__fmt_ctype(neg.fmt), s->base, s->len);
}

/* ---- responses produced over time ---- */

int64_t hs__produce_at(const hs__exchange_t *x, double at) {
  double left = at - (double)x->ctx->now_ms;
  if (left < 1)
    return 1;
  int64_t ms = (int64_t)left; /* ceil without libm */
  return (double)ms < left ? ms + 1 : ms;
}

void *hs__defer(hs__exchange_t *x, hs_produce_fn produce, hs_release_fn release, size_t state_size,
                int64_t wait_ms) {
  if (!x->in_handler || x->produce || !produce)
    return NULL;
  void *state = calloc(1, state_size ? state_size : 1);
  if (!state)
    return NULL;
  x->produce = produce;
  x->release = release;
  x->state = state;
  x->wake_ms = x->ctx->now_ms + (uint64_t)(wait_ms < 0 ? 0 : wait_ms);
  return state;
}

void hs__resp_end_stream(hs__resp_t *r, const char *ctype, uint64_t length) {
  hs__exchange_t *x = r->x;
  int no_content = (r->flags & HS_F_NO_BODY) != 0;
  hs__head_end_t e = {0};
  e.length = content_fields(r, ctype, length);
  e.upgrade = r->upgrade;
  e.no_content = no_content || x->head;
  x->sink->head_end(x, &e);
  check_required(r);
  x->status = r->status;
  x->body_bytes = 0;
  x->streaming = 1;
  x->no_content = e.no_content;
  x->stream_len = no_content ? 0 : length;
}

void hs__resp_write(hs__exchange_t *x, const void *p, size_t n) {
  if (!x->streaming || x->no_content || n == 0)
    return;
  x->sink->data(x, p, n);
  x->body_bytes += n;
}

void hs__resp_finish(hs__exchange_t *x, const hs__fields_t *trailers) {
  if (!x->streaming)
    return;
  x->streaming = 0;
  if (x->no_content) {
    x->sink->finish(x, NULL);
    return;
  }
  if (x->stream_len != HS_LEN_UNKNOWN && x->body_bytes != x->stream_len)
    x->sink->abort(x); /* the framing promised something else: only cutting can say so */
  else
    x->sink->finish(x, trailers);
}

void hs__resp_abort(hs__exchange_t *x) {
  x->streaming = 0;
  x->sink->abort(x);
}

size_t hs__resp_pending(const hs__exchange_t *x) { return x->sink->pending(x); }

size_t hs__resp_room(const hs__exchange_t *x) { return x->sink->room(x); }
