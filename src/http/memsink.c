/* The in-memory exchange (memsink.h): a tiny protocol of its own, reading
 * trusted HTTP/1.1 text and writing HTTP/1.1 text into a buffer. */
#include "http/memsink.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "http/ctx.h"
#include "http/response.h"
#include "http/status_table.h"

#define MAX_PRODUCE 100000 /* producer calls per run: /drip, /sse end well before */

static inline hs__mem_t *mem_of(const hs__exchange_t *x) { return x->conn; }

static void m_head_begin(hs__exchange_t *x, int status) {
  hs__mem_t *m = mem_of(x);
  char line[160];
  int n = snprintf(line, sizeof line, "HTTP/1.1 %d %s\r\n", status, hs__status_reason(status));
  if (n > 0 && (size_t)n < sizeof line)
    hs__buf_append(&m->out, line, (size_t)n);
  if (status == 100)
    m->interim_100 = 1;
  else if (status >= 200 || status == 101)
    m->status = status;
}

static void m_field(hs__exchange_t *x, const char *name, size_t nlen, const char *value,
                    size_t vlen) {
  hs__buf_t *o = &mem_of(x)->out;
  hs__buf_append(o, name, nlen);
  hs__buf_lit(o, ": ");
  hs__buf_append(o, value, vlen);
  hs__buf_lit(o, "\r\n");
}

/* As the HTTP/1 writer on a keep-alive HTTP/1.1 connection: content of
 * unknown length is chunked (RFC 9112 §7.1), a switch says Connection. */
static void m_head_end(hs__exchange_t *x, const hs__head_end_t *e) {
  hs__mem_t *m = mem_of(x);
  if (!e->interim) {
    m->chunked = 0;
    if (e->length == HS_LEN_UNKNOWN) {
      hs__buf_lit(&m->out, "Transfer-Encoding: chunked\r\n");
      m->chunked = !e->no_content;
    }
    if (e->upgrade)
      hs__buf_lit(&m->out, "Connection: upgrade\r\n");
    else if (m->close)
      hs__buf_lit(&m->out, "Connection: close\r\n");
  }
  hs__buf_lit(&m->out, "\r\n");
}

static void m_data(hs__exchange_t *x, const void *p, size_t n) {
  hs__mem_t *m = mem_of(x);
  if (!m->chunked) {
    hs__buf_append(&m->out, p, n);
    return;
  }
  char size[24];
  int k = snprintf(size, sizeof size, "%zx\r\n", n);
  hs__buf_append(&m->out, size, (size_t)k);
  hs__buf_append(&m->out, p, n);
  hs__buf_lit(&m->out, "\r\n");
}

static void m_finish(hs__exchange_t *x, const hs__fields_t *trailers) {
  hs__mem_t *m = mem_of(x);
  if (!m->chunked)
    return;
  m->chunked = 0;
  hs__buf_lit(&m->out, "0\r\n");
  for (size_t i = 0; trailers && i < trailers->n; i++) {
    hs__hdr_t f = hs__fields_at(trailers, i);
    m_field(x, f.name.ptr, f.name.len, f.value.ptr, f.value.len);
  }
  hs__buf_lit(&m->out, "\r\n");
}

static void m_abort(hs__exchange_t *x) { mem_of(x)->aborted = 1; }
static size_t m_pending(const hs__exchange_t *x) { return 0; }

/* No connection to hand over: the 101 is shown, the tunnel is not run. */
static int m_takeover(hs__exchange_t *x, const hs__tunnel_ops_t *t, void *state) { return -1; }

/* Memory has no peer that stops reading: producers may always write. */
static size_t m_room(const hs__exchange_t *x) { return SIZE_MAX; }

const hs__sink_ops_t hs__mem_sink = {m_head_begin, m_field,   m_head_end, m_data, m_finish,
                                     m_abort,      m_pending, m_takeover, m_room};

void hs__mem_init(hs__mem_t *m) {
  memset(m, 0, sizeof(*m));
  hs__buf_init(&m->out, NULL);
}

void hs__mem_free(hs__mem_t *m) { hs__buf_release(&m->out); }

static hs__method_t method_of(hs__str_t t) {
  for (int i = 0; i < HS_M_OTHER; i++)
    if (t.len == hs__method_name_len((hs__method_t)i) &&
        memcmp(t.ptr, hs__method_name((hs__method_t)i), t.len) == 0)
      return (hs__method_t)i;
  return HS_M_OTHER;
}

/* The next line from *p (without its CRLF or LF); 0 at the end. */
static int next_line(const char **p, const char *end, hs__str_t *line) {
  const char *s = *p, *e = memchr(s, '\n', (size_t)(end - s));
  if (!e)
    return 0;
  *p = e + 1;
  if (e > s && e[-1] == '\r')
    e--;
  *line = (hs__str_t){s, (size_t)(e - s)};
  return 1;
}

void hs__mem_crlf(hs__buf_t *out, const char *text, size_t len) {
  const char *p = text, *end = text + len;
  hs__str_t line;
  while (next_line(&p, end, &line)) {
    hs__buf_append(out, line.ptr, line.len);
    hs__buf_lit(out, "\r\n");
    if (!line.len)
      break;
  }
  hs__buf_append(out, p, (size_t)(end - p));
}

/* Reads the request line and fields into m->req and what admission needs
 * into *in. Returns the content's start, or NULL. */
static const char *read_head(hs__mem_t *m, const char *p, const char *end, hs__admit_in_t *in,
                             int *too_many) {
  hs__req_t *r = &m->req;
  hs__str_t line;
  if (!next_line(&p, end, &line))
    return NULL;
  const char *sp1 = memchr(line.ptr, ' ', line.len);
  const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(line.ptr + line.len - sp1 - 1)) : NULL;
  if (!sp1 || !sp2 || line.ptr + line.len - sp2 != 9 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0)
    return NULL;
  r->method_name = (hs__str_t){line.ptr, (size_t)(sp1 - line.ptr)};
  r->method = method_of(r->method_name);
  r->target = (hs__str_t){sp1 + 1, (size_t)(sp2 - sp1 - 1)};
  r->major = 1;
  r->minor = sp2[8] == '0' ? 0 : 1;
  r->keep_alive = 1;
  r->peer = "127.0.0.1";
  r->scheme = (hs__str_t){"http", 4};
  if (r->target.len == 1 && r->target.ptr[0] == '*') {
    r->asterisk = 1;
    r->path = r->target;
  } else if (r->target.len && r->target.ptr[0] == '/') {
    hs__req_set_path(r, r->target);
  }
  r->headers = m->hdrs;
  while (next_line(&p, end, &line) && line.len) {
    const char *colon = memchr(line.ptr, ':', line.len);
    if (!colon)
      return NULL;
    if (r->nheaders >= HS__MEM_MAX_FIELDS) {
      *too_many = 1;
      continue;
    }
    hs__hdr_t *h = &m->hdrs[r->nheaders++];
    h->name = (hs__str_t){line.ptr, (size_t)(colon - line.ptr)};
    const char *v = colon + 1, *ve = line.ptr + line.len;
    while (v < ve && (*v == ' ' || *v == '\t'))
      v++;
    h->value = (hs__str_t){v, (size_t)(ve - v)};
    switch (hs__req_note_field(r, h)) {
    case HS_NOTE_HOST:
      in->nhost += in->nhost < 2;
      in->host = h->value;
      r->authority = h->value;
      break;
    case HS_NOTE_EXPECT:
      in->nexpect += in->nexpect < 2;
      in->expect = h->value;
      break;
    default:
      if (hs__str_ieq(h->name, "content-length", 14)) {
        r->has_clen = 1;
        for (size_t i = 0; i < h->value.len; i++)
          r->content_length = r->content_length * 10 + (uint64_t)(h->value.ptr[i] - '0');
      } else if (hs__str_ieq(h->name, "transfer-encoding", 17)) {
        r->chunked = 1;
      }
    }
  }
  return line.ptr && line.len == 0 ? p : NULL;
}

/* The limits HTTP/1 applies while reading a head (h1_parse.c), or HS__R_NONE. */
static hs__refusal_t head_limits(const hs__config_t *cfg, const hs__req_t *r, size_t head_len,
                                 int too_many) {
  if (r->target.len > cfg->max_uri)
    return HS__R_URI_TOO_LONG;
  if (too_many || r->nheaders > cfg->max_headers)
    return HS__R_TOO_MANY_FIELDS;
  if (head_len > cfg->max_header_size)
    return HS__R_HEAD_TOO_LARGE;
  return HS__R_NONE;
}

/* Answers without the request (as HTTP/1's parse errors are: plain, then
 * the connection closes). */
static void refuse_plain(hs__ctx_t *ctx, hs__mem_t *m, hs__refusal_t why) {
  hs__exchange_t x;
  hs__exchange_init(&x, ctx, NULL, &hs__mem_sink, m);
  x.head = m->req.method == HS_M_HEAD;
  m->close = 1;
  hs__resp_error(&x, hs__refusal_status(why), hs__refusal_msg(why), NULL);
}

int hs__mem_run(hs__ctx_t *ctx, const char *text, size_t len, hs__mem_t *m) {
  hs__admit_in_t in = {0};
  memset(&m->req, 0, sizeof(m->req));
  m->status = m->interim_100 = 0;
  m->chunked = m->aborted = m->close = 0;
  int too_many = 0;
  const char *end = text + len, *body = read_head(m, text, end, &in, &too_many);
  if (!body)
    return -1;
  hs__req_t *r = &m->req;
  void (*on_end)(hs__ctx_t *, const hs__exchange_t *) = ctx->on_exchange_end;
  uint64_t requests = ctx->requests;
  ctx->on_exchange_end = NULL;
  hs__refusal_t limit = head_limits(ctx->cfg, r, (size_t)(body - text), too_many);
  if (limit) {
    refuse_plain(ctx, m, limit);
    ctx->on_exchange_end = on_end;
    ctx->requests = requests;
    return 0;
  }
  size_t blen = (size_t)(end - body);
  if (r->has_clen && r->content_length < blen)
    blen = (size_t)r->content_length;
  in.has_content = blen > 0 || (r->has_clen && r->content_length > 0);
  in.covered = m->covered;
  in.covered_arg = m->covered_arg;
  r->body = body;
  r->body_len = blen;
  /* the exchange is an example, not traffic: not logged, not counted */
  hs__exchange_t x;
  hs__admit_t a = hs__admit(ctx, r, &in);
  if ((a.verdict == HS__ADMIT_REFUSE && hs__refusal_malformed(a.reason)) ||
      (a.verdict != HS__ADMIT_REFUSE && !r->has_clen && blen > ctx->cfg->max_body)) {
    refuse_plain(ctx, m, a.verdict == HS__ADMIT_REFUSE ? a.reason : HS__R_CONTENT_TOO_LARGE);
    ctx->on_exchange_end = on_end;
    ctx->requests = requests;
    return 0;
  }
  if (a.verdict == HS__ADMIT_CONTINUE)
    hs__admit_continue(ctx, r, &hs__mem_sink, m);
  hs__exchange_init(&x, ctx, r, &hs__mem_sink, m);
  if (a.verdict == HS__ADMIT_REFUSE) {
    r->body_len = 0;           /* not read */
    m->close = in.has_content; /* HTTP/1 cannot skip it: it closes */
    hs__admit_refuse(&x, a.reason);
  }
  /* a suspended exchange runs on a simulated clock, put back afterwards */
  uint64_t now = ctx->now_ms;
  int calls = 0;
  while (hs__exchange_run(&x) == HS_X_SUSPENDED) {
    if (++calls >= MAX_PRODUCE) {
      hs__exchange_abandon(&x);
      break;
    }
    if (ctx->now_ms < x.wake_ms)
      ctx->now_ms = x.wake_ms;
  }
  ctx->now_ms = now;
  ctx->on_exchange_end = on_end;
  ctx->requests = requests;
  return 0;
}
