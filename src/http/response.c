/* Response writer: precomputed status lines, registry rules, Content-Length. */
#include "http/response.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/ctx.h"
#include "http/render.h"

#define SERVER_LINE "Server: httpstatus/" HS_VERSION_STRING "\r\n"
/* CORS as httpbin sends it on every response (its after_request hook): the
 * common case, no Origin and not OPTIONS, is one precomputed copy. */
#define CORS_ANY "Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Credentials: true\r\n"
#define SERVER_CORS_LINES SERVER_LINE CORS_ANY
#define CORS_PREFLIGHT                                                                             \
  "Access-Control-Allow-Methods: GET, POST, PUT, DELETE, PATCH, OPTIONS\r\n"                       \
  "Access-Control-Max-Age: 3600\r\n"

typedef struct {
  const char *reason;
  char *line;
  uint16_t len;
  uint32_t flags;
  uint32_t requires;
  uint32_t expects;
} status_info_t;

static status_info_t info[500];
static uint8_t header_name_len[HS_H_COUNT];
static const char *header_name[HS_H_COUNT];

/* RFC 9110 facts for codes the registry does not describe. */
static uint32_t default_flags(int code) {
  if (code < 200)
    return HS_F_NO_BODY | HS_F_NO_CLENGTH | HS_F_INTERIM;
  if (code == 204)
    return HS_F_NO_BODY | HS_F_NO_CLENGTH;
  if (code == 205 || code == 304)
    return HS_F_NO_BODY;
  return 0;
}

void hs__response_global_init(void) {
  for (int h = 0; h < HS_H_COUNT; h++) {
    const char *n = hs_header_name((hs_header_t)h);
    header_name[h] = n;
    header_name_len[h] = n ? (uint8_t)strlen(n) : 0;
  }
  for (int code = 100; code <= 599; code++) {
    const char *phrase = hs_reason_phrase(code);
    const hs_status_t *st = hs_lookup(HS_NS_HTTP, code);
    /* a reason phrase is HTAB / SP / VCHAR / obs-text (RFC 9112 §4) */
    for (const unsigned char *p = (const unsigned char *)phrase; *p; p++)
      if (*p < 0x20 && *p != '\t')
        phrase = "Unknown";
    char tmp[128];
    int n = snprintf(tmp, sizeof(tmp), "HTTP/1.1 %d %s\r\n", code, phrase);
    if (n < 0 || (size_t)n >= sizeof(tmp))
      n = snprintf(tmp, sizeof(tmp), "HTTP/1.1 %d \r\n", code);
    status_info_t *si = &info[code - 100];
    si->line = malloc((size_t)n + 1);
    if (!si->line)
      abort();
    memcpy(si->line, tmp, (size_t)n + 1);
    si->len = (uint16_t)n;
    si->reason = phrase;
    si->flags = st ? st->flags : default_flags(code);
    if (!hs_body_allowed(code))
      si->flags |= HS_F_NO_BODY;
    si->requires = st ? st->requires : 0;
    si->expects = st ? st->expects : 0;
  }
}

const char *hs__status_reason(int code) {
  return code >= 100 && code <= 599 ? info[code - 100].reason : "Unknown";
}

hs_str_t hs__status_line(int code) {
  if (code < 100 || code > 599)
    code = 500;
  return (hs_str_t){info[code - 100].line, info[code - 100].len};
}

uint32_t hs__status_flags(int code) {
  return code >= 100 && code <= 599 ? info[code - 100].flags : 0;
}

uint32_t hs__status_requires(int code) {
  return code >= 100 && code <= 599 ? info[code - 100].requires : 0;
}

uint32_t hs__status_expects(int code) {
  return code >= 100 && code <= 599 ? info[code - 100].expects : 0;
}

/* The CORS fields httpbin adds to every response (Fetch standard, "CORS
 * protocol"): the request's Origin echoed (or *), credentials allowed, and for
 * OPTIONS the preflight answer: methods, max-age, and the requested headers. */
static void cors_lines(hs_buf_t *o, const hs_req_t *req) {
  hs__buf_lit(o, "Access-Control-Allow-Origin: ");
  if (req->origin.ptr)
    hs__buf_append(o, req->origin.ptr, req->origin.len);
  else
    hs__buf_lit(o, "*");
  hs__buf_lit(o, "\r\nAccess-Control-Allow-Credentials: true\r\n");
  if (req->method == HS_M_OPTIONS) {
    hs__buf_lit(o, CORS_PREFLIGHT);
    const hs_str_t *h = hs__req_header(req, "access-control-request-headers");
    if (h) {
      hs__buf_lit(o, "Access-Control-Allow-Headers: ");
      hs__buf_append(o, h->ptr, h->len);
      hs__buf_lit(o, "\r\n");
    }
  }
}

void hs__resp_begin(hs_resp_t *r, hs_exchange_t *x, int status) {
  if (status < 100 || status > 599)
    status = 500;
  const status_info_t *si = &info[status - 100];
  hs__ctx_t *ctx = x->ctx;
  const hs_req_t *req = x->req;
  int plain_cors = !req || (!req->origin.ptr && req->method != HS_M_OPTIONS);
  r->x = x;
  r->status = status;
  r->flags = si->flags;
  r->requires = si->requires;
  r->have = HS_HBIT(HS_H_DATE);
  r->conn_token = NULL;
  size_t need = si->len + ctx->date_hdr_len + sizeof(SERVER_CORS_LINES);
  char *p = hs__buf_reserve(x->out, need + 256);
  memcpy(p, si->line, si->len);
  p += si->len;
  memcpy(p, ctx->date_hdr, ctx->date_hdr_len);
  p += ctx->date_hdr_len;
  if (plain_cors) {
    memcpy(p, SERVER_CORS_LINES, sizeof(SERVER_CORS_LINES) - 1);
    p += sizeof(SERVER_CORS_LINES) - 1;
    x->out->len = (size_t)(p - x->out->base);
  } else {
    memcpy(p, SERVER_LINE, sizeof(SERVER_LINE) - 1);
    p += sizeof(SERVER_LINE) - 1;
    x->out->len = (size_t)(p - x->out->base);
    cors_lines(x->out, req);
  }
}

void hs__resp_hdr(hs_resp_t *r, hs_header_t h, const char *val, size_t vlen) {
  if ((unsigned)h >= HS_H_COUNT || !header_name_len[h])
    return;
  const char *name = header_name[h];
  size_t nlen = header_name_len[h];
  hs_buf_t *o = r->x->out;
  char *p = hs__buf_reserve(o, nlen + vlen + 4);
  memcpy(p, name, nlen);
  p += nlen;
  *p++ = ':';
  *p++ = ' ';
  memcpy(p, val, vlen);
  p += vlen;
  *p++ = '\r';
  *p++ = '\n';
  o->len = (size_t)(p - o->base);
  r->have |= HS_HBIT(h);
}

void hs__resp_line(hs_resp_t *r, const char *line, size_t n) {
  char *p = hs__buf_reserve(r->x->out, n + 2);
  memcpy(p, line, n);
  p[n] = '\r';
  p[n + 1] = '\n';
  r->x->out->len += n + 2;
}

/* Debug builds: the registry's MUST headers (RFC 9110 §15) are present, so a
 * handler cannot omit them. Compiles to nothing with NDEBUG. */
static void check_required(const hs_resp_t *r) {
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

void hs__resp_end(hs_resp_t *r, const char *ctype, const char *body, size_t blen) {
  hs_exchange_t *x = r->x;
  hs_buf_t *o = x->out;
  /* RFC 9110 §6.4.1: 1xx, 204, 304 end at the header section; §15.3.6: 205 has
   * no content; §9.3.2: HEAD is answered without content. */
  int no_content = (r->flags & HS_F_NO_BODY) != 0;
  int send_body = !no_content && !x->head && blen > 0;
  char *p = hs__buf_reserve(o, 160 + (r->conn_token ? strlen(r->conn_token) : 0) +
                                   (ctype ? strlen(ctype) : 0) + (send_body ? blen : 0));
  if (!no_content && ctype) {
    size_t n = strlen(ctype);
    memcpy(p, "Content-Type: ", 14);
    p += 14;
    memcpy(p, ctype, n);
    p += n;
    *p++ = '\r';
    *p++ = '\n';
    r->have |= HS_HBIT(HS_H_CONTENT_TYPE);
  }
  /* RFC 9110 §8.6: never in 1xx or 204; for 304 only if equal to the 200's, so
   * we leave it out; 205 says "0"; HEAD repeats what GET would send. */
  if (!(r->flags & HS_F_NO_CLENGTH) && r->status != 304) {
    memcpy(p, "Content-Length: ", 16);
    p += 16;
    p += hs__u64toa(p, no_content ? 0 : blen);
    *p++ = '\r';
    *p++ = '\n';
    r->have |= HS_HBIT(HS_H_CONTENT_LENGTH);
  }
  /* RFC 9112 §9.3, §9.6; RFC 9110 §7.8 (Upgrade needs Connection: upgrade) */
  if (r->conn_token) {
    size_t n = strlen(r->conn_token);
    memcpy(p, "Connection: ", 12);
    p += 12;
    memcpy(p, r->conn_token, n);
    p += n;
    if (x->close)
      memcpy(p, ", close", 7), p += 7;
    else if (x->http10)
      memcpy(p, ", keep-alive", 12), p += 12;
    *p++ = '\r';
    *p++ = '\n';
  } else if (x->close) {
    memcpy(p, "Connection: close\r\n", 19);
    p += 19;
  } else if (x->http10) {
    memcpy(p, "Connection: keep-alive\r\n", 24);
    p += 24;
  }
  *p++ = '\r';
  *p++ = '\n';
  if (send_body) {
    memcpy(p, body, blen);
    p += blen;
  }
  o->len = (size_t)(p - o->base);
  check_required(r);
  x->status = r->status;
  x->body_bytes = send_body ? blen : 0;
}

int hs__resp_interim(hs_exchange_t *x, int code, const char *extra) {
  /* RFC 9110 §15.2: a server MUST NOT send a 1xx response to an HTTP/1.0 client */
  if (x->http10 || code < 100 || code > 199)
    return 0;
  hs_str_t line = hs__status_line(code);
  hs__buf_append(x->out, line.ptr, line.len);
  if (extra)
    hs__buf_str(x->out, extra);
  hs__buf_lit(x->out, "\r\n");
  return 1;
}

void hs__resp_required(hs_resp_t *r, uint64_t content_length) {
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
    r->conn_token = "upgrade";
  }
}

void hs__resp_error(hs_exchange_t *x, int status, const char *message, const char *allow) {
  hs__ctx_t *ctx = x->ctx;
  hs_neg_t neg = {HS_FMT_TEXT, HS_LANG_EN};
  if (x->req)
    neg = hs__negotiate(x->req);
  hs_buf_t *s = &ctx->scratch;
  s->len = 0;
  hs__render_message(s, neg, status, message);
  hs_resp_t r;
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
  if (x->req) /* the body was negotiated (RFC 9110 §12.5.5) */
    hs__resp_hdr(&r, HS_H_VARY, "Accept, Accept-Language", 23);
  hs__resp_end(&r, hs__fmt_ctype(neg.fmt), s->base, s->len);
}

/* ---- responses produced over time ---- */

int64_t hs__produce_at(const hs_exchange_t *x, double at) {
  double left = at - (double)x->ctx->now_ms;
  if (left < 1)
    return 1;
  int64_t ms = (int64_t)left; /* ceil without libm */
  return (double)ms < left ? ms + 1 : ms;
}

void *hs__defer(hs_exchange_t *x, hs_produce_fn produce, hs_release_fn release, size_t state_size,
                int64_t wait_ms) {
  hs_defer_t *d = x->defer;
  if (!d || d->produce || !produce)
    return NULL;
  void *state = calloc(1, state_size ? state_size : 1);
  if (!state)
    return NULL;
  d->produce = produce;
  d->release = release;
  d->state = state;
  d->wait_ms = wait_ms < 0 ? 0 : wait_ms;
  return state;
}

void hs__resp_end_stream(hs_resp_t *r, const char *ctype, uint64_t length) {
  hs_exchange_t *x = r->x;
  hs_buf_t *o = x->out;
  int no_content = (r->flags & HS_F_NO_BODY) != 0;
  if (!no_content && ctype) {
    hs__buf_lit(o, "Content-Type: ");
    hs__buf_str(o, ctype);
    hs__buf_lit(o, "\r\n");
    r->have |= HS_HBIT(HS_H_CONTENT_TYPE);
  }
  x->chunked = 0;
  if (no_content) { /* RFC 9110 §8.6 as in hs__resp_end */
    if (!(r->flags & HS_F_NO_CLENGTH) && r->status != 304) {
      hs__buf_lit(o, "Content-Length: 0\r\n");
      r->have |= HS_HBIT(HS_H_CONTENT_LENGTH);
    }
  } else if (length != HS_LEN_UNKNOWN) {
    hs__buf_lit(o, "Content-Length: ");
    hs__buf_u64(o, length);
    hs__buf_lit(o, "\r\n");
    r->have |= HS_HBIT(HS_H_CONTENT_LENGTH);
  } else if (!x->http10) { /* RFC 9112 §7.1; HEAD may announce it too (§6.1) */
    hs__buf_lit(o, "Transfer-Encoding: chunked\r\n");
    x->chunked = 1;
  } else {
    x->close = 1; /* RFC 9112 §6.3 (8): HTTP/1.0 knows no chunked coding */
  }
  if (r->conn_token) {
    hs__buf_lit(o, "Connection: ");
    hs__buf_str(o, r->conn_token);
    if (x->close)
      hs__buf_lit(o, ", close");
    else if (x->http10)
      hs__buf_lit(o, ", keep-alive");
    hs__buf_lit(o, "\r\n");
  } else if (x->close) {
    hs__buf_lit(o, "Connection: close\r\n");
  } else if (x->http10) {
    hs__buf_lit(o, "Connection: keep-alive\r\n");
  }
  hs__buf_lit(o, "\r\n");
  check_required(r);
  x->status = r->status;
  x->body_bytes = 0;
  x->streaming = 1;
  x->no_content = no_content || x->head;
  x->stream_len = no_content ? 0 : length;
}

void hs__resp_write(hs_exchange_t *x, const void *p, size_t n) {
  if (!x->streaming || x->no_content || n == 0)
    return;
  hs_buf_t *o = x->out;
  if (x->chunked) {
    static const char hex[] = "0123456789abcdef";
    char *d = hs__buf_reserve(o, n + 24);
    char tmp[16];
    size_t k = 0;
    for (size_t v = n; v; v >>= 4)
      tmp[k++] = hex[v & 15];
    while (k)
      *d++ = tmp[--k];
    *d++ = '\r';
    *d++ = '\n';
    memcpy(d, p, n);
    d += n;
    *d++ = '\r';
    *d++ = '\n';
    o->len = (size_t)(d - o->base);
  } else {
    hs__buf_append(o, p, n);
  }
  x->body_bytes += n;
}

void hs__resp_finish(hs_exchange_t *x, const char *trailers) {
  if (!x->streaming)
    return;
  x->streaming = 0;
  if (x->no_content)
    return;
  if (x->chunked) {
    hs__buf_lit(x->out, "0\r\n");
    if (trailers)
      hs__buf_str(x->out, trailers);
    hs__buf_lit(x->out, "\r\n");
  } else if (x->stream_len != HS_LEN_UNKNOWN && x->body_bytes != x->stream_len) {
    x->close = 1; /* the framing promised something else: only closing can say so */
  }
}
