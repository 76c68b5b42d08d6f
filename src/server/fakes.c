/* The misbehaving upstreams of /gateway/{kind} (issue 19), run by each worker
 * on the loopback, started on first use:
 *  - refuse: a socket bound to a port but not listening: connect() is refused;
 *  - blackhole: a listener with a backlog of 0 whose one queue slot is taken
 *    by a connection never accepted: further SYNs are dropped, connect()
 *    times out;
 *  - a small HTTP/1.1 server that misbehaves as the request path says
 *    (/reset, /hang, /slow-headers?after=MS, /garbage, /truncate,
 *    /slow-body?rate=B, /ok). */
#include "gateway/plan.h"
#include "server/fakes_tls.h"
#include "server/upstream.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct fake_conn_s fake_conn_t;

struct hs_fakes_s {
  hs__gw_t *gw;
  int refuse_fd, refuse_port;
  int bh_fd, bh_filler_fd, bh_port;
  uv_tcp_t srv;
  int srv_port;
  int srv_open;
  fake_conn_t *conns;
  hs__fakes_tls_t *tls; /* started on the first TLS kind */
};

enum { F_READING = 0, F_HANG, F_SLOW_HEAD, F_SLOW_BODY, F_CLOSING };

struct fake_conn_s {
  uv_tcp_t tcp;
  uv_timer_t timer;
  hs__fakes_t *f;
  fake_conn_t *prev, *next;
  int state;
  int closes; /* handle closes pending */
  uint64_t left, piece, interval;
  size_t len;
  char buf[4096];
};

/* A socket bound to 127.0.0.1:0; returns the fd and sets *port, or -1. */
static int bound_socket(int *port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof(sa);
  if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
      getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
    close(fd);
    return -1;
  }
  *port = ntohs(sa.sin_port);
  return fd;
}

/* ---- the misbehaving HTTP server ---- */

static void on_conn_closed(uv_handle_t *h) {
  fake_conn_t *c = h->data;
  if (--c->closes)
    return;
  free(c);
}

static void conn_close(fake_conn_t *c, int reset) {
  if (c->state == F_CLOSING)
    return;
  c->state = F_CLOSING;
  hs__fakes_t *f = c->f;
  if (c->prev)
    c->prev->next = c->next;
  else
    f->conns = c->next;
  if (c->next)
    c->next->prev = c->prev;
  c->closes = 2;
  uv_close((uv_handle_t *)&c->timer, on_conn_closed);
  if (reset)
    uv_tcp_close_reset(&c->tcp, on_conn_closed); /* SO_LINGER 0: RST, not FIN */
  else
    uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
}

typedef struct wreq_s {
  uv_write_t req;
  int close_after;
  char data[];
} wreq_t;

static void on_written(uv_write_t *req, int status) {
  wreq_t *w = (wreq_t *)req;
  fake_conn_t *c = req->handle->data;
  if ((status < 0 || w->close_after) && c->state != F_CLOSING)
    conn_close(c, 0);
  free(w);
}

static void send_bytes(fake_conn_t *c, const char *p, size_t n, int close_after) {
  wreq_t *w = malloc(sizeof(*w) + n);
  if (!w) {
    conn_close(c, 0);
    return;
  }
  memcpy(w->data, p, n);
  w->close_after = close_after;
  uv_buf_t b = uv_buf_init(w->data, (unsigned)n);
  if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_written) != 0) {
    free(w);
    conn_close(c, 0);
  }
}

#define SEND_LIT(c, s, close_after) send_bytes((c), (s), sizeof(s) - 1, (close_after))

/* Query parameter `key` of the request target in c->buf as a number. */
static uint64_t param(const char *target, size_t tlen, const char *key, uint64_t def) {
  const char *q = memchr(target, '?', tlen);
  size_t klen = strlen(key);
  while (q && (size_t)(q - target) < tlen) {
    q++;
    if ((size_t)(target + tlen - q) > klen && memcmp(q, key, klen) == 0 && q[klen] == '=') {
      uint64_t v = 0;
      for (const char *d = q + klen + 1; d < target + tlen && *d >= '0' && *d <= '9'; d++)
        v = v * 10 + (uint64_t)(*d - '0');
      return v;
    }
    q = memchr(q, '&', (size_t)(target + tlen - q));
  }
  return def;
}

static void on_timer(uv_timer_t *t) {
  fake_conn_t *c = t->data;
  if (c->state == F_SLOW_HEAD) {
    c->state = F_HANG;
    SEND_LIT(c,
             "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 16\r\n"
             "Connection: close\r\n\r\nslow headers ok\n",
             1);
    return;
  }
  if (c->state == F_SLOW_BODY) {
    char piece[4096];
    size_t n = c->piece < c->left ? (size_t)c->piece : (size_t)c->left;
    if (n > sizeof(piece))
      n = sizeof(piece);
    memset(piece, 'x', n);
    c->left -= n;
    send_bytes(c, piece, n, c->left == 0);
    if (c->left)
      uv_timer_start(&c->timer, on_timer, c->interval, 0);
  }
}

/* The request head is in c->buf: behave as its path says. */
static void act(fake_conn_t *c) {
  const char *sp = memchr(c->buf, ' ', c->len);
  const char *t = sp ? sp + 1 : c->buf;
  const char *te = memchr(t, ' ', c->len - (size_t)(t - c->buf));
  size_t tlen = te ? (size_t)(te - t) : 0;
  const char *slash = tlen > 1 ? memchr(t + 1, '/', tlen - 1) : NULL;
  const char *k = slash ? slash + 1 : t + 1; /* /gateway/KIND or /KIND */
  size_t klen = 0;
  while (k + klen < t + tlen && k[klen] != '?' && k[klen] != '/')
    klen++;
  int kind = tlen ? hs__gw_kind_parse((hs__str_t){k, klen}) : -1;
  switch (kind) {
  case HS_GW_K_RESET:
    conn_close(c, 1);
    return;
  case HS_GW_K_HANG:
    c->state = F_HANG;
    return;
  case HS_GW_K_SLOW_HEADERS:
    c->state = F_SLOW_HEAD;
    uv_timer_start(&c->timer, on_timer, param(t, tlen, "after_ms", 2000), 0);
    return;
  case HS_GW_K_GARBAGE:
    c->state = F_HANG;
    SEND_LIT(c, "SSH-2.0-OpenSSH_9.2\r\n\x01\xfe not an HTTP response\r\n\r\n", 1);
    return;
  case HS_GW_K_TRUNCATE: {
    c->state = F_HANG;
    char head[] = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                  "Content-Length: 1000\r\n\r\n";
    char all[sizeof(head) - 1 + 100];
    memcpy(all, head, sizeof(head) - 1);
    memset(all + sizeof(head) - 1, 'x', 100);
    send_bytes(c, all, sizeof(all), 1); /* 100 of the 1000 bytes, then FIN */
    return;
  }
  case HS_GW_K_SLOW_BODY: {
    uint64_t rate = param(t, tlen, "rate", 1024);
    if (rate < 1)
      rate = 1;
    c->piece = rate >= 10 ? rate / 10 : 1;
    c->interval = c->piece * 1000 / rate;
    uint64_t total = param(t, tlen, "bytes", rate * 2);
    if (total > (1u << 26))
      total = 1u << 26;
    c->left = total;
    c->state = F_SLOW_BODY;
    char head[160];
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                     "Content-Length: %llu\r\n\r\n",
                     (unsigned long long)total);
    send_bytes(c, head, (size_t)n, total == 0);
    if (total)
      uv_timer_start(&c->timer, on_timer, c->interval, 0);
    return;
  }
  default: /* ok, and anything else */
    c->state = F_READING;
    c->len = 0;
    SEND_LIT(c,
             "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\n"
             "upstream ok\n",
             0);
    return;
  }
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  fake_conn_t *c = h->data;
  if (c->state != F_READING) { /* discard what comes after the head */
    c->len = 0;
  }
  *buf = uv_buf_init(c->buf + c->len, (unsigned)(sizeof(c->buf) - c->len));
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  fake_conn_t *c = s->data;
  if (nread < 0) {
    conn_close(c, 0);
    return;
  }
  if (c->state != F_READING)
    return;
  if (c->len == 0 && nread > 0 && (unsigned char)buf->base[0] == 0x16) {
    /* bad-tls: a ClientHello answered in clear, as a server without TLS on
     * that port would: the client's handshake fails */
    c->state = F_HANG;
    SEND_LIT(c, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 1);
    return;
  }
  size_t from = c->len > 3 ? c->len - 3 : 0;
  c->len += (size_t)nread;
  for (size_t i = from; i + 3 < c->len; i++)
    if (memcmp(c->buf + i, "\r\n\r\n", 4) == 0) {
      act(c);
      return;
    }
  if (c->len == sizeof(c->buf))
    conn_close(c, 0);
}

static void on_connection(uv_stream_t *srv, int status) {
  hs__fakes_t *f = srv->data;
  if (status < 0)
    return;
  fake_conn_t *c = calloc(1, sizeof(*c));
  if (!c)
    return;
  uv_tcp_init(f->gw->loop, &c->tcp);
  uv_timer_init(f->gw->loop, &c->timer);
  c->tcp.data = c->timer.data = c;
  c->f = f;
  c->next = f->conns;
  if (f->conns)
    f->conns->prev = c;
  f->conns = c;
  if (uv_accept(srv, (uv_stream_t *)&c->tcp) != 0 ||
      uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0)
    conn_close(c, 0);
}

/* ---- start and stop ---- */

static void on_srv_closed(uv_handle_t *h) { free(h->data); }

static hs__fakes_t *fakes_start(hs__gw_t *gw) {
  hs__fakes_t *f = calloc(1, sizeof(*f));
  if (!f)
    return NULL;
  f->gw = gw;
  f->refuse_fd = f->bh_fd = f->bh_filler_fd = -1;
  f->refuse_fd = bound_socket(&f->refuse_port);
  f->bh_fd = bound_socket(&f->bh_port);
  if (f->bh_fd >= 0 && listen(f->bh_fd, 0) == 0) {
    /* one connection fills the queue of a backlog-0 listener: later SYNs are dropped */
    f->bh_filler_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET,
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
                             .sin_port = htons((uint16_t)f->bh_port)};
    if (f->bh_filler_fd >= 0)
      (void)connect(f->bh_filler_fd, (struct sockaddr *)&sa, sizeof(sa));
  }
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  uv_tcp_init(gw->loop, &f->srv);
  f->srv.data = f;
  f->srv_open = 1;
  struct sockaddr_in got;
  int glen = sizeof(got);
  if (uv_tcp_bind(&f->srv, (struct sockaddr *)&sa, 0) == 0 &&
      uv_listen((uv_stream_t *)&f->srv, 128, on_connection) == 0 &&
      uv_tcp_getsockname(&f->srv, (struct sockaddr *)&got, &glen) == 0)
    f->srv_port = ntohs(got.sin_port);
  return f;
}

int hs__fakes_port(hs__gw_t *gw, int kind) {
  if (gw->closing)
    return 0;
  if (!gw->fakes && !(gw->fakes = fakes_start(gw)))
    return 0;
  hs__fakes_t *f = gw->fakes;
  if (kind == HS_GW_K_REFUSE)
    return f->refuse_fd >= 0 ? f->refuse_port : 0;
  if (kind == HS_GW_K_BLACKHOLE)
    return f->bh_filler_fd >= 0 ? f->bh_port : 0;
  int which = kind == HS_GW_K_EXPIRED_CERT ? HS_FAKE_TLS_EXPIRED
              : kind == HS_GW_K_WRONG_HOST ? HS_FAKE_TLS_WRONG_HOST
              : kind == HS_GW_K_OK_TLS     ? HS_FAKE_TLS_OK
                                           : -1;
  if (which < 0)
    return f->srv_port; /* bad-tls included */
  if (!f->tls && !(f->tls = hs__fakes_tls_start(gw->loop)))
    return 0;
  return hs__fakes_tls_port(f->tls, which);
}

X509 *hs__fakes_ca(hs__gw_t *gw) {
  return gw->fakes && gw->fakes->tls ? hs__fakes_tls_ca(gw->fakes->tls) : NULL;
}

void hs__fakes_close(hs__fakes_t *f) {
  if (f->tls)
    hs__fakes_tls_close(f->tls);
  f->tls = NULL;
  while (f->conns)
    conn_close(f->conns, 0);
  if (f->refuse_fd >= 0)
    close(f->refuse_fd);
  if (f->bh_filler_fd >= 0)
    close(f->bh_filler_fd);
  if (f->bh_fd >= 0)
    close(f->bh_fd);
  f->srv.data = f;
  uv_close((uv_handle_t *)&f->srv, on_srv_closed); /* frees f */
}
