/* One HTTP/2 stream (RFC 9113 §5, §8): its request built from header fields,
 * its exchange, and the sink that turns the response layer's calls into
 * HEADERS and DATA frames through nghttp2. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/exchange.h"
#include "server/http2/h2_internal.h"

#define MAX_NAME 256

#define MAX_SPARES 8         /* recycled streams a connection keeps */
#define KEEP_FIELDS 4096     /* field storage a spare keeps, per list */
#define KEEP_BUF (16 * 1024) /* content storage a spare keeps, per buffer */

/* Empties a buffer, keeping its storage unless it grew large. */
static void buf_clear(hs__buf_t *b) {
  if (b->cap > KEEP_BUF)
    hs__buf_release(b);
  b->len = 0;
}

hs__h2_stream_t *hs__h2_stream_new(hs__h2_t *h, int32_t id) {
  hs__h2_stream_t *s = h->spare;
  if (s) { /* storage emptied by hs__h2_stream_free; the state is zeroed here */
    h->spare = s->next;
    h->nspare--;
    memset(&s->h2, 0, sizeof(*s) - offsetof(hs__h2_stream_t, h2));
  } else {
    s = calloc(1, sizeof(*s));
    if (!s)
      return NULL;
    hs__fields_t empty = HS_FIELDS_INIT;
    s->fields = s->head = s->trailers = empty;
    hs__buf_init(&s->body, NULL);
    hs__buf_init(&s->data, NULL);
  }
  s->h2 = h;
  s->id = id;
  s->next = h->streams;
  if (h->streams)
    h->streams->prev = s;
  h->streams = s;
  h->nstreams++;
  return s;
}

/* Frees a stream and its storage. */
static void stream_destroy(hs__h2_stream_t *s) {
  hs__fields_free(&s->fields);
  hs__fields_free(&s->head);
  hs__fields_free(&s->trailers);
  free(s->hdrs);
  free(s->nv);
  hs__buf_release(&s->body);
  hs__buf_release(&s->data);
  free(s);
}

/* Ends a stream; an exchange still suspended is abandoned first (the
 * client reset the stream or the connection is going), a tunnel destroyed.
 * The stream is kept, emptied, as a spare for the connection's next one (up
 * to MAX_SPARES). */
void hs__h2_stream_free(hs__h2_stream_t *s) {
  hs__h2_t *h = s->h2;
  if (s->suspended) {
    s->suspended = 0;
    hs__exchange_abandon(&s->x);
  }
  hs__h2_stream_consume(s, 1); /* content never taken still counts for the connection */
  if (s->tunnel) {
    s->tunnel->destroy(s->tunnel_state);
    s->tunnel = NULL;
  }
  if (s->prev)
    s->prev->next = s->next;
  else
    h->streams = s->next;
  if (s->next)
    s->next->prev = s->prev;
  h->nstreams--;
  h->buffered -= s->data.len - s->data_off; /* content never sent */
  if (s->ready) {                           /* still queued: unlink it, and find the new tail */
    hs__h2_stream_t **pp = &h->ready_head, *last = NULL;
    while (*pp)
      if (*pp == s)
        *pp = s->ready_next;
      else
        last = *pp, pp = &(*pp)->ready_next;
    h->ready_tail = last;
  }
  if (h->nspare >= MAX_SPARES) {
    stream_destroy(s);
    return;
  }
  hs__fields_clear(&s->fields, KEEP_FIELDS);
  hs__fields_clear(&s->head, KEEP_FIELDS);
  hs__fields_clear(&s->trailers, KEEP_FIELDS);
  buf_clear(&s->body);
  buf_clear(&s->data);
  s->next = h->spare;
  h->spare = s;
  h->nspare++;
}

void hs__h2_spares_free(hs__h2_t *h) {
  while (h->spare) {
    hs__h2_stream_t *s = h->spare;
    h->spare = s->next;
    stream_destroy(s);
  }
  h->nspare = 0;
}

/* Records a refusal to answer at dispatch (the first one wins). */
static void refuse(hs__h2_stream_t *s, hs__refusal_t r) {
  if (!s->refusal)
    s->refusal = r;
}

void hs__h2_stream_header(hs__h2_stream_t *s, const uint8_t *name, size_t nlen,
                          const uint8_t *value, size_t vlen) {
  const hs__config_t *cfg = s->h2->ctx->cfg;
  if (s->headers_done) /* trailer fields (RFC 9110 §6.5): read, not kept */
    return;
  s->header_bytes += nlen + vlen + 4;
  /* the limits of HTTP/1 (RFC 6585 §5): answered with 431 at dispatch */
  if (s->header_bytes > cfg->max_header_size || s->fields.n >= cfg->max_headers + 8) {
    refuse(s, HS__R_HEAD_TOO_LARGE);
    return;
  }
  hs__fields_add(&s->fields, (const char *)name, nlen, (const char *)value, vlen);
}

/* Method token → hs__method_t (RFC 9110 §9), by request.c's names. */
static hs__method_t method_of(hs__str_t m) {
  for (int i = 0; i < HS_M_OTHER; i++)
    if (m.len == hs__method_name_len((hs__method_t)i) &&
        memcmp(m.ptr, hs__method_name((hs__method_t)i), m.len) == 0)
      return (hs__method_t)i;
  return HS_M_OTHER;
}

/* :path → target, path and query (RFC 9113 §8.3.1: origin-form or "*"). */
static void split_target(hs__req_t *r, hs__str_t t) {
  r->target = t;
  if (t.len == 1 && t.ptr[0] == '*') {
    r->asterisk = 1;
    r->path = t;
    return;
  }
  hs__req_set_path(r, t);
}

/* Does the connection's certificate cover `authority`? The last authority
 * accepted is remembered: the check parses names and addresses, and the
 * requests of one connection nearly always name the same one. */
static int authority_covered(const void *arg, hs__str_t authority) {
  hs__h2_t *h = (hs__h2_t *)arg;
  if (authority.len == h->authority_ok_len &&
      memcmp(authority.ptr, h->authority_ok, authority.len) == 0)
    return 1;
  if (!h->authority_check(h->authority_arg, authority))
    return 0;
  if (authority.len <= sizeof(h->authority_ok)) {
    memcpy(h->authority_ok, authority.ptr, authority.len);
    h->authority_ok_len = authority.len;
  }
  return 1;
}

int hs__h2_stream_headers_done(hs__h2_stream_t *s, int has_content) {
  hs__h2_t *h = s->h2;
  hs__req_t *r = &s->req;
  s->headers_done = 1;
  if (h->refusing)
    refuse(s, HS__R_OVERLOADED);
  if (hs__fields_oom(&s->fields))
    refuse(s, HS__R_OUT_OF_MEMORY);
  size_t n = s->fields.n;
  if (n + 1 > s->hdrs_cap) { /* room for a Host made from :authority too */
    free(s->hdrs);
    s->hdrs_cap = n + 1 > 16 ? n + 1 : 16;
    s->hdrs = malloc(s->hdrs_cap * sizeof(hs__hdr_t));
    if (!s->hdrs) {
      s->hdrs_cap = 0;
      return -1;
    }
  }
  memset(r, 0, sizeof(*r));
  r->headers = s->hdrs;
  r->peer = h->peer;
  r->scheme = h->scheme;
  r->major = 2;
  r->minor = 0;
  r->keep_alive = 1;
  hs__admit_in_t in = {0};
  for (size_t i = 0; i < n && !s->refusal; i++) {
    hs__hdr_t f = hs__fields_at(&s->fields, i);
    if (f.name.len && f.name.ptr[0] == ':') { /* pseudo-headers (nghttp2 checked them) */
      if (hs__str_ieq(f.name, ":method", 7)) {
        r->method_name = f.value;
        r->method = method_of(f.value);
      } else if (hs__str_ieq(f.name, ":path", 5)) {
        split_target(r, f.value);
      } else if (hs__str_ieq(f.name, ":authority", 10)) {
        r->authority = f.value;
      } else if (hs__str_ieq(f.name, ":protocol", 9)) {
        r->protocol = f.value; /* nghttp2 allows it on CONNECT only (RFC 8441 §4) */
      }
      continue;
    }
    r->headers[r->nheaders++] = f;
    if (r->nheaders > h->ctx->cfg->max_headers)
      refuse(s, HS__R_TOO_MANY_FIELDS);
    int note = hs__req_note_field(r, &r->headers[r->nheaders - 1]);
    if (note == HS_NOTE_HOST) {
      if (!in.host.ptr)
        in.host = f.value;
      in.nhost += in.nhost < 2;
    } else if (note == HS_NOTE_EXPECT) {
      if (!in.expect.ptr)
        in.expect = f.value;
      in.nexpect += in.nexpect < 2;
    } else if (hs__str_ieq(f.name, "content-length", 14)) {
      uint64_t v = 0;
      for (size_t k = 0; k < f.value.len && f.value.ptr[k] >= '0' && f.value.ptr[k] <= '9'; k++)
        v = v * 10 + (uint64_t)(f.value.ptr[k] - '0');
      r->has_clen = 1;
      r->content_length = v;
    }
  }
  in.target_authority = r->authority;
  if (!r->authority.ptr) /* RFC 9113 §8.3.1: Host when :authority is absent */
    r->authority = in.host;
  else if (!in.host.ptr && r->nheaders < n) {
    /* handlers and httpbin's echoes see the fields an HTTP/1.1 request would
     * carry: Host from :authority, first, as an HTTP/2 to HTTP/1.1 gateway
     * writes it (RFC 9113 §8.3.1) */
    memmove(r->headers + 1, r->headers, r->nheaders * sizeof(hs__hdr_t));
    r->headers[0] = (hs__hdr_t){HS_STR("Host"), r->authority};
    r->nheaders++;
  }
  if (s->refusal) { /* refused while reading the head (431, 503) */
    s->answer_now = has_content;
    return 0;
  }
  /* admission (http/admission.c): the same decision as over HTTP/1 */
  in.pseudo = 1;
  in.protocol = r->protocol.ptr != NULL;
  in.has_content = has_content != 0;
  if (h->authority_check) {
    in.covered = authority_covered;
    in.covered_arg = h;
  }
  hs__admit_t a = hs__admit(h->ctx, r, &in);
  if (a.verdict == HS__ADMIT_REFUSE) {
    refuse(s, a.reason); /* HS__R_ROUTE: the router answers */
    s->answer_now = has_content;
    s->awaits_100 = a.awaits_100;
  } else if (a.verdict == HS__ADMIT_CONTINUE) { /* through the HTTP/2 writer below */
    hs__admit_continue(h->ctx, r, &hs__h2_sink, s);
  }
  return 0;
}

void hs__h2_stream_data(hs__h2_stream_t *s, const uint8_t *p, size_t n) {
  if (s->body_stream) { /* held until the exchange takes it (the window bounds it) */
    hs__body_in_t *bi = &s->x.body_in;
    s->body_rcvd += n;
    if (s->dispatched && (!s->suspended || bi->done || bi->error))
      return;                                       /* the exchange is over, or wants no more */
    if (s->body_rcvd > s->h2->ctx->cfg->max_body) { /* RFC 9110 §15.5.14, while streaming */
      if (!s->dispatched) {
        refuse(s, HS__R_CONTENT_TOO_LARGE);
        return;
      }
      bi->error = 413;
      bi->error_msg = hs__refusal_msg(HS__R_CONTENT_TOO_LARGE);
    } else {
      hs__buf_append(&s->body, p, n);
      bi->received = s->body_rcvd;
    }
    s->x.wake_ms = s->h2->ctx->now_ms;
    return;
  }
  if (s->refusal)
    return;
  if (s->body.len + n > s->h2->ctx->cfg->max_body) { /* RFC 9110 §15.5.14 */
    refuse(s, HS__R_CONTENT_TOO_LARGE);
    hs__buf_release(&s->body);
    hs__h2_ready(s); /* answer now; the rest of the content is not wanted */
    return;
  }
  hs__buf_append(&s->body, p, n);
}

void hs__h2_stream_run(hs__h2_stream_t *s) {
  if (!s->dispatched) {
    s->dispatched = 1;
    s->req.body = s->body_stream ? NULL : s->body.base;
    s->req.body_len = s->body_stream ? 0 : s->body.len;
    hs__exchange_init(&s->x, s->h2->ctx, &s->req, &hs__h2_sink, s);
    hs__admit_refuse(&s->x, s->refusal);
    if (s->body_stream) { /* what came with the head's read is there already */
      s->x.body_in.active = 1;
      s->x.body_in.buf = &s->body;
      s->x.body_in.received = s->body_rcvd;
      s->x.body_in.done = s->remote_ended;
    }
  }
  s->suspended = hs__exchange_run(&s->x) == HS_X_SUSPENDED;
  if (s->body_stream)
    hs__h2_stream_consume(s, !s->suspended);
}

void hs__h2_stream_consume(hs__h2_stream_t *s, int all) {
  if (!s->body_stream)
    return;
  uint64_t upto = all ? s->body_rcvd : s->x.body_in.taken;
  if (upto > s->body_consumed) {
    nghttp2_session_consume(s->h2->session, s->id, (size_t)(upto - s->body_consumed));
    s->body_consumed = upto;
  }
}

void hs__h2_stream_body_end(hs__h2_stream_t *s) {
  if (!s->body_stream || !s->dispatched || !s->suspended)
    return;
  s->x.body_in.done = 1;
  s->x.wake_ms = s->h2->ctx->now_ms;
}

int hs__h2_stream_wants_run(const hs__h2_stream_t *s) {
  return s->suspended && s->data.len - s->data_off < 65536 && !hs__h2_output_full(s->h2);
}

/* ---- the sink: the response layer's calls as frames ---- */

static inline hs__h2_stream_t *stream_of(const hs__exchange_t *x) { return x->conn; }

/* A stream has one final head: once it is submitted, nghttp2 points at its
 * bytes (NV_STABLE), so later heads and fields are ignored. */
static void h2_head_begin(hs__exchange_t *x, int status) {
  hs__h2_stream_t *s = stream_of(x);
  if (s->responded)
    return;
  char code[4] = {(char)('0' + status / 100 % 10), (char)('0' + status / 10 % 10),
                  (char)('0' + status % 10), 0};
  hs__fields_clear(&s->head, KEEP_FIELDS);
  hs__fields_add(&s->head, ":status", 7, code, 3);
}

/* Lower-cases the ASCII letters of p[0, n), eight bytes at a time: in each
 * byte (high bit clear), adding 0x3f sets bit 7 from 'A' up and adding 0x25
 * from '[' up, so bit 7 of the first and not the second marks 'A'..'Z', and
 * that bit shifted to 0x20 is the case bit. No carry crosses a byte. */
static void lower_ascii(char *p, size_t n) {
  const uint64_t high = 0x8080808080808080u, low7 = 0x7f7f7f7f7f7f7f7fu;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    memcpy(&x, p + i, 8);
    uint64_t h = x & low7;
    uint64_t upper = (h + 0x3f3f3f3f3f3f3f3fu) & ~(h + 0x2525252525252525u) & ~x & high;
    x |= upper >> 2;
    memcpy(p + i, &x, 8);
  }
  for (; i < n; i++)
    p[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
}

/* Field names go lower case (RFC 9113 §8.2.1); the fields that only make
 * sense on an HTTP/1 connection are left out (§8.2.2). */
static void add_lower(hs__fields_t *f, const char *name, size_t nlen, const char *value,
                      size_t vlen) {
  if (nlen > MAX_NAME)
    return;
  hs__fields_begin_value(f, name, nlen); /* then lower-cased where it landed */
  if (hs__fields_oom(f))
    return;
  char *lower = f->bytes.p + f->bytes.len - nlen;
  lower_ascii(lower, nlen);
  const char *hop = NULL; /* the connection-specific field of this length, if any */
  switch (nlen) {
  case 7:
    hop = "upgrade";
    break;
  case 10:
    hop = lower[0] == 'c' ? "connection" : "keep-alive";
    break;
  case 16:
    hop = "proxy-connection";
    break;
  case 17:
    hop = "transfer-encoding";
    break;
  }
  if (hop && memcmp(lower, hop, nlen) == 0) { /* take the name back */
    f->n--;
    f->bytes.len -= nlen;
    return;
  }
  hs__sbuf_add(&f->bytes, value, vlen);
  hs__fields_end_value(f);
}

static void h2_field(hs__exchange_t *x, const char *name, size_t nlen, const char *value,
                     size_t vlen) {
  hs__h2_stream_t *s = stream_of(x);
  if (!s->responded)
    add_lower(&s->head, name, nlen, value, vlen);
}

/* The final head and the trailers stay as they are until the stream is
 * closed: nghttp2 may point at their bytes instead of copying them (it still
 * copies the array). An interim head may be replaced before it is sent. */
#define NV_STABLE (NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE)

/* nghttp2's name/value array over a field list, with those flags, in s->nv
 * (kept for the stream's next head). Returns NULL when out of memory. */
static nghttp2_nv *nv_of(hs__h2_stream_t *s, const hs__fields_t *f, uint8_t flags) {
  if (hs__fields_oom(f))
    return NULL;
  if (f->n > s->nv_cap) {
    free(s->nv);
    s->nv_cap = f->n > 16 ? f->n : 16;
    s->nv = malloc(s->nv_cap * sizeof(*s->nv));
    if (!s->nv) {
      s->nv_cap = 0;
      return NULL;
    }
  }
  nghttp2_nv *nv = s->nv;
  for (size_t i = 0; i < f->n; i++) {
    hs__hdr_t h = hs__fields_at(f, i);
    nv[i].name = (uint8_t *)h.name.ptr;
    nv[i].namelen = h.name.len;
    nv[i].value = (uint8_t *)h.value.ptr;
    nv[i].valuelen = h.value.len;
    nv[i].flags = flags;
  }
  return nv;
}

/* Gives nghttp2 the content as it comes (RFC 9113 §6.1): what is buffered,
 * then the end of the stream, or the trailers (§8.1). */
static ssize_t read_data(nghttp2_session *session, int32_t id, uint8_t *buf, size_t length,
                         uint32_t *flags, nghttp2_data_source *source, void *user) {
  hs__h2_stream_t *s = source->ptr;
  size_t avail = s->data.len - s->data_off;
  size_t n = avail < length ? avail : length;
  if (n)
    memcpy(buf, s->data.base + s->data_off, n);
  s->data_off += n;
  s->h2->buffered -= n;
  if (s->data_off == s->data.len) {
    s->data.len = s->data_off = 0;
    if (s->tunnel && s->tunnel->drained) /* what it wrote has been taken */
      s->tunnel->drained(s->tunnel_state);
  }
  if (n == 0 && s->cut)
    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE; /* nghttp2 resets the stream */
  if (n == 0 && !s->eof) {
    s->deferred = 1;
    return NGHTTP2_ERR_DEFERRED;
  }
  if (s->eof && !s->cut && s->data.len == 0) {
    *flags |= NGHTTP2_DATA_FLAG_EOF;
    if (s->trailers.n) {
      nghttp2_nv *nv = nv_of(s, &s->trailers, NV_STABLE);
      if (nv && nghttp2_submit_trailer(session, id, nv, s->trailers.n) == 0)
        *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
    }
  }
  return (ssize_t)n;
}

static void h2_head_end(hs__exchange_t *x, const hs__head_end_t *e) {
  hs__h2_stream_t *s = stream_of(x);
  nghttp2_session *ses = s->h2->session;
  if (s->closed || s->responded)
    return;
  if (e->interim && hs__fields_at(&s->head, 0).value.ptr[2] == '1' &&
      hs__fields_at(&s->head, 0).value.ptr[1] == '0')
    return; /* 101: HTTP/2 has no protocol switch (RFC 9113 §8.6) */
  nghttp2_nv *nv = nv_of(s, &s->head, e->interim ? NGHTTP2_NV_FLAG_NONE : NV_STABLE);
  if (!nv) {
    nghttp2_submit_rst_stream(ses, NGHTTP2_FLAG_NONE, s->id, NGHTTP2_INTERNAL_ERROR);
    return;
  }
  if (e->interim) {
    nghttp2_submit_headers(ses, NGHTTP2_FLAG_NONE, s->id, NULL, nv, s->head.n, NULL);
  } else if (e->no_content && !(e->upgrade && s->req.protocol.len)) {
    nghttp2_submit_response(ses, s->id, nv, s->head.n, NULL);
    s->responded = 1;
  } else {
    nghttp2_data_provider dp;
    dp.source.ptr = s;
    dp.read_callback = read_data;
    nghttp2_submit_response(ses, s->id, nv, s->head.n, &dp);
    s->responded = 1;
    s->tunnel_head = e->upgrade && s->req.protocol.len; /* RFC 8441 §5: the stream stays open */
    s->streaming = 1;
  }
}

/* Wakes nghttp2 up if it was waiting for this stream's data. */
static void resume(hs__h2_stream_t *s) {
  if (s->deferred && !s->closed) {
    s->deferred = 0;
    nghttp2_session_resume_data(s->h2->session, s->id);
  }
}

static void h2_data(hs__exchange_t *x, const void *p, size_t n) {
  hs__h2_stream_t *s = stream_of(x);
  if (s->closed)
    return;
  hs__buf_append(&s->data, p, n);
  s->h2->buffered += n;
  resume(s);
}

static void h2_finish(hs__exchange_t *x, const hs__fields_t *trailers) {
  hs__h2_stream_t *s = stream_of(x);
  if (s->tunnel_head)
    return; /* the 200 to an extended CONNECT: the tunnel's DATA follows */
  s->eof = 1;
  for (size_t i = 0; trailers && i < trailers->n; i++) {
    hs__hdr_t t = hs__fields_at(trailers, i);
    add_lower(&s->trailers, t.name.ptr, t.name.len, t.value.ptr, t.value.len);
  }
  resume(s);
}

/* The response cannot be completed: reset the stream (RFC 9113 §8.1). A
 * head already submitted, and the content sent so far, go first (nghttp2
 * would send a RST_STREAM ahead of them): the data source resets the stream
 * when it runs dry (a gateway whose upstream died mid-body, issue 19). */
static void h2_abort(hs__exchange_t *x) {
  hs__h2_stream_t *s = stream_of(x);
  s->eof = 1;
  if (s->closed)
    return;
  if (s->streaming && !s->cut) {
    s->cut = 1;
    resume(s);
    return;
  }
  nghttp2_submit_rst_stream(s->h2->session, NGHTTP2_FLAG_NONE, s->id, NGHTTP2_INTERNAL_ERROR);
}

static size_t h2_pending(const hs__exchange_t *x) {
  const hs__h2_stream_t *s = stream_of(x);
  return s->data.len - s->data_off;
}

/* RFC 9113 §8.6: no Upgrade in HTTP/2; but after the 200 to an extended
 * CONNECT (RFC 8441 §5) the stream carries the tunnel. */
static int h2_takeover(hs__exchange_t *x, const hs__tunnel_ops_t *t, void *state) {
  hs__h2_stream_t *s = stream_of(x);
  if (!s->tunnel_head || s->tunnel || s->closed)
    return -1;
  s->tunnel = t;
  s->tunnel_state = state;
  if (s->body.len) /* bytes that came with the request */
    hs__h2_tunnel_feed(s, (const uint8_t *)s->body.base, s->body.len);
  return 0;
}

/* ---- a tunnel stream (RFC 8441) ---- */

/* The tunnel is done: the stream's side ends after what it wrote. */
static void tunnel_end(hs__h2_stream_t *s) {
  s->eof = 1;
  resume(s);
}

void hs__h2_tunnel_feed(hs__h2_stream_t *s, const uint8_t *p, size_t n) {
  if (!s->tunnel || s->eof)
    return;
  int done = s->tunnel->feed(s->tunnel_state, (const char *)p, n, &s->data);
  resume(s);
  if (done)
    tunnel_end(s);
}

void hs__h2_tunnel_eof(hs__h2_stream_t *s) {
  if (s->tunnel && !s->eof)
    tunnel_end(s);
}

void hs__h2_tunnel_wake(hs__h2_stream_t *s) {
  if (!s->tunnel || s->eof || !s->tunnel->wake)
    return;
  int done = s->tunnel->wake(s->tunnel_state, &s->data);
  resume(s);
  if (done)
    tunnel_end(s);
}

void hs__h2_tunnel_going_away(hs__h2_stream_t *s) {
  if (!s->tunnel || s->eof || s->tunnel_bye)
    return;
  s->tunnel_bye = 1;
  s->tunnel->going_away(s->tunnel_state, &s->data);
  resume(s);
  if (!s->tunnel->wake)
    tunnel_end(s);
}

uint64_t hs__h2_tunnel_deadline(const hs__h2_stream_t *s) {
  if (!s->tunnel || s->eof || !s->tunnel->deadline)
    return UINT64_MAX;
  return s->tunnel->deadline(s->tunnel_state);
}

/* Room under --max-output for the whole connection (every stream's content
 * and the frames not yet written). */
static size_t h2_room(const hs__exchange_t *x) {
  const hs__h2_t *h = stream_of(x)->h2;
  size_t used = h->buffered + h->out.len, cap = h->ctx->cfg->max_output;
  return used < cap ? cap - used : 0;
}

const hs__sink_ops_t hs__h2_sink = {h2_head_begin, h2_field,   h2_head_end, h2_data, h2_finish,
                                    h2_abort,      h2_pending, h2_takeover, h2_room};
