/* The HTTP/1 byte writer (RFC 9112): the sink through which the response
 * layer's status, fields and content become HTTP/1.1 text in h->out. Status
 * lines are precomputed once; the head is written as it is given, so a
 * response costs a few memcpy calls into one buffer. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/status_table.h"
#include "server/http1/http1.h"

static struct {
  char *line; /* "HTTP/1.1 418 I'm a teapot\r\n" */
  uint16_t len;
} status_lines[500];
static pthread_once_t lines_once = PTHREAD_ONCE_INIT;

/* Builds the status lines from the status table (hs__global_init has run). */
static void build_status_lines(void) {
  for (int code = 100; code <= 599; code++) {
    char tmp[128];
    int n = snprintf(tmp, sizeof(tmp), "HTTP/1.1 %d %s\r\n", code, hs__status_reason(code));
    if (n < 0 || (size_t)n >= sizeof(tmp))
      n = snprintf(tmp, sizeof(tmp), "HTTP/1.1 %d \r\n", code);
    char *line = malloc((size_t)n + 1);
    if (!line)
      abort();
    memcpy(line, tmp, (size_t)n + 1);
    status_lines[code - 100].line = line;
    status_lines[code - 100].len = (uint16_t)n;
  }
}

static inline hs__h1_t *conn_of(const hs__exchange_t *x) { return x->conn; }

/* The status line (RFC 9112 §4). */
static void h1_head_begin(hs__exchange_t *x, int status) {
  pthread_once(&lines_once, build_status_lines);
  if (status < 100 || status > 599)
    status = 500;
  hs__buf_t *o = &conn_of(x)->out;
  hs__buf_append(o, status_lines[status - 100].line, status_lines[status - 100].len);
}

/* "Name: value" CRLF (RFC 9112 §5). */
static void h1_field(hs__exchange_t *x, const char *name, size_t nlen, const char *value,
                     size_t vlen) {
  hs__buf_t *o = &conn_of(x)->out;
  char *p = hs__buf_reserve(o, nlen + vlen + 4);
  memcpy(p, name, nlen);
  p += nlen;
  *p++ = ':';
  *p++ = ' ';
  memcpy(p, value, vlen);
  p += vlen;
  *p++ = '\r';
  *p++ = '\n';
  o->len = (size_t)(p - o->base);
}

/* The framing and connection fields, then the blank line. Content of unknown
 * length is chunked for HTTP/1.1 (RFC 9112 §7.1; a HEAD answer announces it
 * too, §6.1) and close-delimited for HTTP/1.0 (§6.3 (8)); Connection says
 * close, keep-alive (HTTP/1.0) and upgrade (RFC 9110 §7.8) as they apply;
 * close on every head written while the server drains. */
static void h1_head_end(hs__exchange_t *x, const hs__head_end_t *e) {
  hs__h1_t *h = conn_of(x);
  hs__buf_t *o = &h->out;
  if (e->interim) {
    hs__buf_lit(o, "\r\n");
    return;
  }
  h->chunked = 0;
  if (h->ctx->draining && !e->upgrade)
    h->x_close = 1; /* a head written after the signal (e.g. /delay's): the last one */
  if (e->length == HS_LEN_UNKNOWN) {
    if (!h->http10) {
      hs__buf_lit(o, "Transfer-Encoding: chunked\r\n");
      h->chunked = !e->no_content;
    } else {
      h->x_close = 1;
    }
  }
  char *p = hs__buf_reserve(o, 48);
  if (e->upgrade) {
    memcpy(p, "Connection: upgrade", 19);
    p += 19;
    if (h->x_close)
      memcpy(p, ", close", 7), p += 7;
    else if (h->http10)
      memcpy(p, ", keep-alive", 12), p += 12;
    *p++ = '\r';
    *p++ = '\n';
  } else if (h->x_close) {
    memcpy(p, "Connection: close\r\n", 19);
    p += 19;
  } else if (h->http10) {
    memcpy(p, "Connection: keep-alive\r\n", 24);
    p += 24;
  }
  *p++ = '\r';
  *p++ = '\n';
  o->len = (size_t)(p - o->base);
}

/* Content: as is, or as one chunk (size in hex, CRLF, data, CRLF). */
static void h1_data(hs__exchange_t *x, const void *data, size_t n) {
  hs__h1_t *h = conn_of(x);
  hs__buf_t *o = &h->out;
  if (!h->chunked) {
    hs__buf_append(o, data, n);
    return;
  }
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
  memcpy(d, data, n);
  d += n;
  *d++ = '\r';
  *d++ = '\n';
  o->len = (size_t)(d - o->base);
}

/* The last chunk, the trailer section and the blank line (RFC 9112 §7.1.2);
 * nothing for other framings, which carry no trailers. */
static void h1_finish(hs__exchange_t *x, const hs__fields_t *trailers) {
  hs__h1_t *h = conn_of(x);
  if (!h->chunked)
    return;
  h->chunked = 0;
  hs__buf_lit(&h->out, "0\r\n");
  for (size_t i = 0; trailers && i < trailers->n; i++) {
    hs__hdr_t f = hs__fields_at(trailers, i);
    h1_field(x, f.name.ptr, f.name.len, f.value.ptr, f.value.len);
  }
  hs__buf_lit(&h->out, "\r\n");
}

/* HTTP/1 can only tell a client that a response is cut by closing. */
static void h1_abort(hs__exchange_t *x) {
  hs__h1_t *h = conn_of(x);
  h->x_close = 1;
  h->chunked = 0;
}

static size_t h1_pending(const hs__exchange_t *x) { return conn_of(x)->out.len; }

/* The switch happens when the exchange ends (http1.c), if it did not close. */
static int h1_takeover(hs__exchange_t *x, const hs__tunnel_ops_t *t, void *state) {
  hs__h1_t *h = conn_of(x);
  if (h->tunnel_pending)
    return -1;
  h->tunnel_pending = t;
  h->tunnel_pending_state = state;
  return 0;
}

/* Room under --max-output in the connection's output buffer. */
static size_t h1_room(const hs__exchange_t *x) {
  const hs__h1_t *h = conn_of(x);
  size_t cap = h->ctx->cfg->max_output;
  return h->out.len < cap ? cap - h->out.len : 0;
}

const hs__sink_ops_t hs__h1_sink = {h1_head_begin, h1_field,   h1_head_end, h1_data, h1_finish,
                                    h1_abort,      h1_pending, h1_takeover, h1_room};
