/* The proxy producer (proxy.h). Phases: resolve → connect → send → read
 * (interim heads, the head, content, trailers). Timeouts: connect_ms from the
 * start to the connection, head_ms from then to the final head, idle_ms
 * between reads of content (nginx's proxy_connect_timeout, the read timeout
 * before the head, proxy_read_timeout). */
#include "server/proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gateway/forward.h"
#include "gateway/resp_parse.h"
#include "http/ctx.h"
#include "http/render.h"
#include "http/response.h"
#include "server/conn.h"
#include "server/proxy_send.h"
#include "server/signals.h"
#include "server/toxic_link.h"
#include "server/upstream.h"

#define HIGH_WATER (64 * 1024) /* output waiting for the client: stop reading the upstream */
#define READS_PER_RUN 16       /* reads in one producer call before giving the loop back */
#define MAX_HEAD 16384         /* response head bytes (nginx's proxy_buffer_size is 4-8k) */
#define MAX_FIELDS 100

enum { P_RESOLVE = 0, P_CONNECT, P_TLS, P_SEND, P_READ };

typedef struct proxy_s proxy_t;

typedef struct gai_s {
  uv_getaddrinfo_t req;
  proxy_t *p; /* NULL once the exchange has ended */
} gai_t;

struct proxy_s {
  hs__exchange_t *x;
  void *conn; /* the client connection to resume (hs__conn_t) */
  hs__gw_t *gw;
  hs__gw_plan_t plan;
  hs__upconn_t *up;
  int phase;
  int reused, retried;
  gai_t *gai;
  int resolved; /* 0 pending, 1 done, -1 failed */
  struct sockaddr_storage addr;
  char rhost[256]; /* to resolve */
  int rport;
  char key[300];
  hs__pxsend_t send;        /* the request, streamed (proxy_send.h) */
  uint64_t client_deadline; /* waiting for the client's content until then (0: not waiting) */
  hs__up_parser_t ps;
  int head_sent;
  int broken; /* out of memory at the start */
  uint64_t deadline;
  uint64_t t_start; /* for the log's timings (x->gw) */
  int tls;          /* TLS to the upstream */
  int tls_demo;     /* ... to a built-in upstream: trust its CA, name localhost */
  char sni[256];    /* the name the certificate must carry */
  hs__fields_t trailers;
  hs__tlink_t *tl; /* the plan's toxics on the upstream's answer, or NULL */
  int64_t tl_wait; /* ms until the toxics have something to pass; -1: none */
};

/* ---- our CDN-Loop id (RFC 8586 §2): one per process ---- */

static char loop_id[32];
static pthread_once_t loop_once = PTHREAD_ONCE_INIT;
static void loop_init(void) {
  unsigned char r[4] = {0};
  if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
    memset(r, 0x5a, sizeof(r));
  snprintf(loop_id, sizeof(loop_id), "httpstatus-%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
}

/* ---- answers ---- */

/* Before any head was sent: the chosen gateway's status, a body saying what
 * happened and what the other two answer, and headers naming both. */
static void answer_failure(hs__exchange_t *x, hs__gw_vendor_t vendor, hs__gw_cause_t cause) {
  hs__neg_t neg = hs__negotiate(x->req);
  int zh = neg.lang == HS_LANG_ZH;
  int status = hs__gw_status(vendor, cause);
  char codes[96], msg[768];
  snprintf(codes, sizeof(codes), "nginx=%d, cloudflare=%d, envoy=%d",
           hs__gw_status(HS_GW_NGINX, cause), hs__gw_status(HS_GW_CLOUDFLARE, cause),
           hs__gw_status(HS_GW_ENVOY, cause));
  if (zh)
    snprintf(msg, sizeof(msg), "%s 以 %s 的方式回答 %d。各网关的回答：%s。nginx 错误日志：%s",
             hs__gw_cause_text(cause, 1), hs__gw_vendor_name(vendor), status, codes,
             hs__gw_cause_nginx_log(cause));
  else
    snprintf(msg, sizeof(msg),
             "%s Answered as %s would: %d. Gateways answer: %s. nginx error log: %s",
             hs__gw_cause_text(cause, 0), hs__gw_vendor_name(vendor), status, codes,
             hs__gw_cause_nginx_log(cause));
  hs__buf_t *s = &x->ctx->scratch;
  s->len = 0;
  hs__render_message(s, neg, status, msg);
  hs__resp_t r;
  hs__resp_begin(&r, x, status);
  const char *name = hs__gw_cause_name(cause);
  hs__resp_field(&r, "X-Gateway-Failure", name, strlen(name));
  hs__resp_field(&r, "X-Gateway-Codes", codes, strlen(codes));
  hs__resp_hdr(&r, HS_H_VARY, "Accept, Accept-Language", 23);
  hs__resp_end(&r, hs__fmt_ctype(neg.fmt), s->base, s->len);
}

/* Copies the parser's fields minus hop-by-hop ones into f. */
static void copy_fields(const hs__up_parser_t *ps, hs__fields_t *f) {
  for (size_t i = 0; i < ps->nfields; i++) {
    const hs__hdr_t *h = &ps->fields[i];
    if (!hs__gw_hop_by_hop(h->name, ps->fields, ps->nfields))
      hs__fields_add(f, h->name.ptr, h->name.len, h->value.ptr, h->value.len);
  }
}

/* The upstream's final head, relayed (RFC 9110 §7.6: hop-by-hop fields
 * dropped, Via added; the length is re-framed by our side of the exchange). */
static void send_head(proxy_t *p) {
  hs__exchange_t *x = p->x;
  const hs__up_parser_t *ps = &p->ps;
  hs__resp_t r;
  hs__resp_begin_relay(&r, x, ps->status);
  int has_len = 0;
  for (size_t i = 0; i < ps->nfields; i++) {
    const hs__hdr_t *h = &ps->fields[i];
    if (hs__str_ieq(h->name, "content-length", 14)) {
      has_len = 1;
      continue;
    }
    if (!hs__gw_hop_by_hop(h->name, ps->fields, ps->nfields))
      hs__resp_field_n(&r, h->name.ptr, h->name.len, h->value.ptr, h->value.len);
  }
  hs__resp_field(&r, "Via", "1.1 httpstatus", 14);
  uint64_t len = HS_LEN_UNKNOWN;
  if (ps->framing == HS_UP_LENGTH || (ps->framing == HS_UP_NO_BODY && has_len))
    len = ps->length;
  hs__resp_end_stream(&r, NULL, len);
  p->head_sent = 1;
  x->gw.status = ps->status;
  x->gw.head_ms = (int32_t)(x->ctx->now_ms - p->t_start);
}

/* ---- ends ---- */

static int64_t fail(proxy_t *p, hs__gw_cause_t cause) {
  p->x->gw.cause = hs__gw_cause_name(cause);
  if (p->up) {
    hs__up_release(p->up, 0);
    p->up = NULL;
  }
  if (p->head_sent)
    hs__resp_abort(p->x); /* never a second status: the client sees the body cut */
  else
    answer_failure(p->x, p->plan.vendor, cause);
  return HS_PRODUCE_DONE;
}

static int64_t finish(proxy_t *p) {
  hs__resp_finish(p->x, p->trailers.n ? &p->trailers : NULL);
  /* an early answer to a request not sent whole leaves the connection unusable */
  hs__up_release(p->up, p->ps.keep_alive && hs__up_done(&p->ps) && hs__pxsend_done(&p->send));
  p->up = NULL;
  return HS_PRODUCE_DONE;
}

static void release(void *st) {
  proxy_t *p = st;
  if (p->x) /* the exchange ends: its log line gets the total time */
    p->x->gw.total_ms = (int32_t)(uv_now(p->gw->loop) - p->t_start);
  if (p->up)
    hs__up_release(p->up, 0);
  if (p->gai) {
    p->gai->p = NULL;
    uv_cancel((uv_req_t *)&p->gai->req);
  }
  hs__up_free(&p->ps);
  hs__pxsend_free(&p->send);
  hs__fields_free(&p->trailers);
  if (p->tl)
    hs__tlink_free(p->tl);
}

/* ---- wake-ups ---- */

static void on_up(hs__upconn_t *u, void *arg) {
  proxy_t *p = arg;
  p->x->wake_ms = uv_now(p->gw->loop);
  hs__conn_kick(p->conn); /* may end the exchange: p is not touched after */
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res) {
  gai_t *g = (gai_t *)req;
  proxy_t *p = g->p;
  if (p) {
    p->gai = NULL;
    p->resolved = -1;
    /* the first IPv4 address if there is one (servers often listen on
     * 127.0.0.1 only while "localhost" resolves to ::1 first), else the first */
    struct addrinfo *pick = res;
    for (struct addrinfo *a = res; status == 0 && a; a = a->ai_next)
      if (a->ai_family == AF_INET) {
        pick = a;
        break;
      }
    if (status == 0 && pick && pick->ai_addrlen <= sizeof(p->addr)) {
      memcpy(&p->addr, pick->ai_addr, pick->ai_addrlen);
      p->resolved = 1;
    }
  }
  uv_freeaddrinfo(res);
  free(g);
  if (p) {
    p->x->wake_ms = uv_now(p->gw->loop);
    hs__conn_kick(p->conn);
  }
}

static int64_t wait_for(proxy_t *p, int events, uint64_t now) {
  hs__up_watch(p->up, events, on_up, p);
  return (int64_t)(p->deadline - now);
}

static hs__gw_cause_t connect_cause(int err) {
  switch (err) {
  case ECONNREFUSED:
    return HS_GW_REFUSED;
  case ETIMEDOUT:
    return HS_GW_CONNECT_TIMEOUT;
  case ECONNRESET:
    return HS_GW_RESET;
  default:
    return HS_GW_UNREACHABLE;
  }
}

/* A reused keep-alive connection the upstream had closed: once, on a new one. */
static int retry(proxy_t *p) {
  if (!p->reused || p->retried || hs__up_started(&p->ps) || hs__pxsend_rewind(&p->send) != 0)
    return 0; /* streamed content already taken cannot be sent again */
  hs__up_release(p->up, 0);
  p->up = NULL;
  p->retried = 1;
  p->reused = 0;
  p->phase = P_CONNECT;
  return 1;
}

/* Feeds n bytes read from the upstream to the parser and relays the events.
 * Returns HS_PRODUCE_DONE when the exchange ended, else 1. */
static int64_t feed(proxy_t *p, const char *buf, size_t n) {
  size_t off = 0;
  while (off < n) {
    size_t used;
    hs__str_t d;
    hs__up_ev_t ev = hs__up_parse(&p->ps, buf + off, n - off, &used, &d);
    off += used;
    switch (ev) {
    case HS_UP_NEED_MORE:
      break;
    case HS_UP_HEAD:
      if (p->ps.status < 200) { /* RFC 9110 §15.2: interim responses are passed on */
        hs__fields_t f = HS_FIELDS_INIT;
        copy_fields(&p->ps, &f);
        hs__resp_interim(p->x, p->ps.status, &f);
        hs__fields_free(&f);
      } else {
        send_head(p);
      }
      break;
    case HS_UP_DATA:
      hs__resp_write(p->x, d.ptr, d.len);
      break;
    case HS_UP_TRAILERS:
      copy_fields(&p->ps, &p->trailers);
      break;
    case HS_UP_END:
      return finish(p);
    case HS_UP_ERROR:
      return fail(p, p->ps.error);
    }
  }
  if (hs__up_done(&p->ps))
    return finish(p);
  return 1;
}

/* ---- TLS to the upstream ---- */

/* The worker's client context for this exchange, made on first use: for the
 * built-in upstreams it trusts their CA only; for --upstream the system's
 * CAs, or --upstream-ca. Peers are verified (nginx's proxy_ssl_verify on). */
static SSL_CTX *client_ctx(proxy_t *p) {
  hs__gw_t *gw = p->gw;
  SSL_CTX **slot = p->tls_demo ? &gw->tls_demo : &gw->tls_real;
  if (*slot)
    return *slot;
  SSL_CTX *c = SSL_CTX_new(TLS_client_method());
  if (!c)
    return NULL;
  SSL_CTX_set_verify(c, SSL_VERIFY_PEER, NULL);
  SSL_CTX_set_options(c, SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
  int ok;
  if (p->tls_demo) {
    X509 *ca = hs__fakes_ca(gw);
    ok = ca && X509_STORE_add_cert(SSL_CTX_get_cert_store(c), ca) == 1;
  } else if (gw->ctx->cfg->upstream_ca) {
    ok = SSL_CTX_load_verify_locations(c, gw->ctx->cfg->upstream_ca, NULL) == 1;
  } else {
    ok = SSL_CTX_set_default_verify_paths(c) == 1;
  }
  if (!ok) {
    ERR_clear_error();
    SSL_CTX_free(c);
    return NULL;
  }
  *slot = c;
  return c;
}

/* Starts TLS on p->up: SNI and the name (or address) to verify. 0 or -1. */
static int tls_begin(proxy_t *p) {
  SSL_CTX *c = client_ctx(p);
  SSL *ssl = c ? SSL_new(c) : NULL;
  if (!ssl)
    return -1;
  p->up->ssl = ssl;
  SSL_set_fd(ssl, p->up->fd);
  SSL_set_connect_state(ssl);
  static const unsigned char alpn[] = "\x08http/1.1";
  SSL_set_alpn_protos(ssl, alpn, sizeof(alpn) - 1);
  struct in6_addr a;
  if (inet_pton(AF_INET, p->sni, &a) == 1 || inet_pton(AF_INET6, p->sni, &a) == 1)
    return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), p->sni) == 1 ? 0 : -1;
  SSL_set_tlsext_host_name(ssl, p->sni);
  return SSL_set1_host(ssl, p->sni) == 1 ? 0 : -1;
}

/* OpenSSL's answer as send()/recv() would give it: bytes, 0 for the end,
 * or -1 with errno (EAGAIN: wait for *ev). */
static ssize_t tls_result(SSL *ssl, int r, int *ev) {
  if (r > 0)
    return r;
  int e = SSL_get_error(ssl, r);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
    *ev = e == SSL_ERROR_WANT_READ ? UV_READABLE : UV_WRITABLE;
    errno = EAGAIN;
    return -1;
  }
  ERR_clear_error();
  if (e == SSL_ERROR_ZERO_RETURN)
    return 0;
  errno = ECONNRESET;
  return -1;
}

static ssize_t up_send(proxy_t *p, const char *b, size_t n, int *ev) {
  if (!p->up->ssl)
    return send(p->up->fd, b, n, MSG_NOSIGNAL);
  ERR_clear_error();
  return tls_result(p->up->ssl, SSL_write(p->up->ssl, b, (int)(n > 1 << 30 ? 1 << 30 : n)), ev);
}

/* up_send for proxy_send.c. */
static ssize_t up_io(void *arg, const char *b, size_t n, int *ev) { return up_send(arg, b, n, ev); }

/* The client's content failed (413 over --max-body, 400, 408 too slow):
 * its status when nothing was answered yet, else the response is cut. The
 * upstream connection, holding part of a request, is closed. */
static int64_t client_failed(proxy_t *p, int status, const char *msg) {
  hs__up_release(p->up, 0);
  p->up = NULL;
  if (p->head_sent)
    hs__resp_abort(p->x);
  else
    hs__resp_error(p->x, status, msg, NULL);
  return HS_PRODUCE_DONE;
}

#define SEND_NEXT INT64_MIN /* send_phase: go on with the next phase */

/* P_SEND: the request to the upstream, its content as the client's arrives
 * (proxy_send.h). The head timeout runs between two writes (nginx's
 * proxy_send_timeout) and, once the request has gone, to the response head;
 * the wait for the client's content is under --body-timeout. An upstream
 * that fails while content is still being sent may have answered already:
 * that answer is read (P_READ) before its failure is. Returns the
 * producer's answer, or SEND_NEXT. */
static int64_t send_phase(proxy_t *p, uint64_t now) {
  hs__exchange_t *x = p->x;
  int ev = UV_WRITABLE, progress = 0;
  int r = hs__pxsend_step(&p->send, x, up_io, p, &ev, &progress);
  if ((progress && p->send.streamed) || (p->client_deadline && r != HS_PX_WAIT_CLIENT))
    p->deadline = now + p->plan.head_ms; /* from the last write, or the end of a wait */
  if (r != HS_PX_WAIT_CLIENT)
    p->client_deadline = 0;
  switch (r) {
  case HS_PX_SENT:
    p->phase = P_READ;
    /* the answer cannot be there yet: wait for it without a recv() */
    return wait_for(p, UV_READABLE, now);
  case HS_PX_WAIT_UP:
    return now >= p->deadline ? fail(p, HS_GW_HEAD_TIMEOUT) : wait_for(p, ev, now);
  case HS_PX_WAIT_CLIENT: /* woken by the client's protocol when content comes */
    if (progress || !p->client_deadline)
      p->client_deadline = now + x->ctx->cfg->body_timeout_ms;
    if (now >= p->client_deadline)
      return client_failed(p, 408, "The request content arrived too slowly.");
    return (int64_t)(p->client_deadline - now);
  case HS_PX_CLIENT_ERR:
    return client_failed(p, x->body_in.error, x->body_in.error_msg);
  default: {
    int err = errno;
    if (retry(p))
      return SEND_NEXT;
    char c;
    if (p->send.streamed && recv(p->up->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 1) {
      p->phase = P_READ; /* the upstream answered early (a 413, say): relay that */
      return SEND_NEXT;
    }
    return fail(p, err == ECONNREFUSED ? HS_GW_REFUSED : HS_GW_RESET);
  }
  }
}

static ssize_t up_recv(proxy_t *p, char *b, size_t n, int *ev) {
  if (!p->up->ssl)
    return recv(p->up->fd, b, n, 0);
  ERR_clear_error();
  return tls_result(p->up->ssl, SSL_read(p->up->ssl, b, (int)n), ev);
}

/* ---- toxics between the upstream and the reader (toxic_link.h) ---- */

static ssize_t up_recv_fn(void *p, char *b, size_t n, int *ev) { return up_recv(p, b, n, ev); }

/* Reads the upstream's answer like recv(), through the plan's toxics if any. */
static ssize_t read_up(proxy_t *p, char *b, size_t n, int *ev, uint64_t now) {
  if (!p->tl)
    return up_recv(p, b, n, ev);
  ssize_t r = hs__tlink_recv(p->tl, p->up->fd, up_recv_fn, p, b, n, now, ev, &p->tl_wait);
  if (r <= 0 && hs__tlink_cut(p->tl))
    p->retried = 1; /* the toxics' cut is no stale pooled connection: never retried */
  return r;
}

/* Waits in the read phase: for the upstream (events ev; 0: not now) and for
 * the toxics' next piece, within the deadline. */
static int64_t read_wait(proxy_t *p, int ev, uint64_t now) {
  if (!p->tl)
    return wait_for(p, ev, now);
  if (ev)
    hs__up_watch(p->up, ev, on_up, p);
  int64_t w = (int64_t)(p->deadline - now);
  if (p->tl_wait >= 0 && p->tl_wait < w)
    w = p->tl_wait;
  return w > 0 ? w : 1;
}

static int64_t produce(hs__exchange_t *x, void *st) {
  proxy_t *p = st;
  uint64_t now = x->ctx->now_ms;
  int reads = 0;
  if (p->broken)
    return HS_PRODUCE_DONE;
  for (;;) {
    switch (p->phase) {
    case P_RESOLVE:
      if (p->resolved == 0)
        return now >= p->deadline ? fail(p, HS_GW_UNRESOLVED) : (int64_t)(p->deadline - now);
      if (p->resolved < 0)
        return fail(p, HS_GW_UNRESOLVED);
      p->phase = P_CONNECT;
      break;
    case P_CONNECT: {
      if (!p->up) {
        int r = hs__up_open(p->gw, (struct sockaddr *)&p->addr, p->key, &p->up, &p->reused,
                            !p->retried);
        if (r < 0)
          return fail(p, connect_cause(-r));
      }
      if (p->reused) { /* a pooled connection: the request goes out at once */
        p->phase = P_SEND;
        p->deadline = now + p->plan.head_ms;
        x->gw.connect_ms = 0;
        break;
      }
      int err = 0;
      socklen_t el = sizeof(err);
      getsockopt(p->up->fd, SOL_SOCKET, SO_ERROR, &err, &el);
      if (err)
        return fail(p, connect_cause(err));
      struct pollfd pf = {.fd = p->up->fd, .events = POLLOUT};
      if (poll(&pf, 1, 0) != 1 || !(pf.revents & POLLOUT))
        return now >= p->deadline ? fail(p, HS_GW_CONNECT_TIMEOUT) : wait_for(p, UV_WRITABLE, now);
      p->phase = p->tls ? P_TLS : P_SEND;
      if (!p->tls)
        p->deadline = now + p->plan.head_ms;
      x->gw.connect_ms = (int32_t)(now - p->t_start);
      break;
    }
    case P_TLS: { /* under the connect timeout, as nginx's SSL handshake is */
      if (!p->up->ssl && tls_begin(p) != 0)
        return fail(p, HS_GW_TLS_HANDSHAKE);
      ERR_clear_error();
      int r = SSL_do_handshake(p->up->ssl);
      if (r != 1) {
        int e = SSL_get_error(p->up->ssl, r);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
          return now >= p->deadline
                     ? fail(p, HS_GW_CONNECT_TIMEOUT)
                     : wait_for(p, e == SSL_ERROR_WANT_READ ? UV_READABLE : UV_WRITABLE, now);
        long v = SSL_get_verify_result(p->up->ssl);
        ERR_clear_error();
        return fail(p, v != X509_V_OK ? HS_GW_TLS_CERT : HS_GW_TLS_HANDSHAKE);
      }
      p->phase = P_SEND;
      p->deadline = now + p->plan.head_ms;
      x->gw.connect_ms = (int32_t)(now - p->t_start);
      break;
    }
    case P_SEND: {
      int64_t r = send_phase(p, now);
      if (r != SEND_NEXT)
        return r;
      break;
    }
    case P_READ: {
      /* back-pressure, in this one place: while the client has not taken
       * what we sent, the upstream is not read (its TCP window fills) */
      if (p->head_sent && hs__resp_pending(x) >= HIGH_WATER)
        return HS_PRODUCE_MORE;
      if (reads++ == READS_PER_RUN)
        return HS_PRODUCE_MORE;
      int ev = UV_READABLE;
      ssize_t n = read_up(p, p->gw->rbuf, sizeof(p->gw->rbuf), &ev, now);
      if (n > 0) {
        int64_t r = feed(p, p->gw->rbuf, (size_t)n);
        if (r == HS_PRODUCE_DONE)
          return r;
        if (p->head_sent) /* the idle timeout counts from the last read */
          p->deadline = now + p->plan.idle_ms;
        break;
      }
      if (n == 0) {
        if (retry(p))
          break;
        if (hs__up_eof(&p->ps) == HS_UP_END)
          return finish(p);
        return fail(p, p->ps.error);
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return now >= p->deadline ? fail(p, p->head_sent ? HS_GW_BODY_TIMEOUT : HS_GW_HEAD_TIMEOUT)
                                  : read_wait(p, ev, now);
      if (retry(p))
        break;
      return fail(p, p->head_sent ? HS_GW_BODY_CLOSED : HS_GW_RESET);
    }
    }
  }
}

/* ---- start ---- */

/* Copies NUL-terminated src into dst (cap bytes, cut to fit); returns its length. */
static size_t copy_str(char *dst, size_t cap, const char *src) {
  size_t n = strlen(src);
  if (n >= cap)
    n = cap - 1;
  memcpy(dst, src, n);
  dst[n] = 0;
  return n;
}

/* Resolves `host` on libuv's thread pool (on_resolved); names under .invalid
 * fail at once. Sets p->resolved = -1 when it cannot start. */
static void start_resolve(proxy_t *p, const char *host, int port) {
  size_t hlen = strlen(host);
  if (hlen >= 8 && strcasecmp(host + hlen - 8, ".invalid") == 0) {
    p->resolved = -1; /* RFC 6761 §6.4: an immediate negative answer, no query */
    return;
  }
  gai_t *g = calloc(1, sizeof(*g));
  char portstr[8];
  snprintf(portstr, sizeof(portstr), "%d", port);
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
  /* libuv's pool starts its threads on first use, with this thread's mask:
   * they must hold the signals only the main thread takes (server.c) */
  sigset_t mask;
  hs__hold_watched_signals(SIG_BLOCK, &mask);
  int rc = g ? uv_getaddrinfo(p->gw->loop, &g->req, on_resolved, host, portstr, &hints) : -1;
  pthread_sigmask(SIG_SETMASK, &mask, NULL);
  if (rc != 0) {
    free(g);
    p->resolved = -1;
    return;
  }
  g->p = p;
  p->gai = g;
}

static void build_request(proxy_t *p, const hs__req_t *req, hs__str_t target, hs__str_t host) {
  hs__gw_fwd_t f = {0};
  f.method = req->method_name;
  f.target = target;
  f.host = host;
  f.headers = req->headers;
  f.nheaders = req->nheaders;
  f.body = req->body; /* complete content; streamed content is proxy_send.c's */
  f.body_len = req->body_len;
  f.has_body = req->has_clen || req->chunked;
  f.client_addr = req->peer ? (hs__str_t){req->peer, strlen(req->peer)} : HS_STR("unknown");
  f.proto = req->scheme.len ? req->scheme : HS_STR("http");
  f.client_host = req->authority;
  f.loop_id = (hs__str_t){loop_id, strlen(loop_id)};
  int mf = hs__gw_max_forwards(req->headers, req->nheaders);
  f.max_forwards = mf > 0 ? mf - 1 : mf;
  hs__pxsend_init(&p->send, p->x, &f);
}

int hs__proxy_start(hs__exchange_t *x, const hs__gw_plan_t *plan) {
  pthread_once(&loop_once, loop_init);
  const hs__req_t *req = x->req;
  hs__gw_t *gw = x->ctx->gw;
  hs__str_t id = {loop_id, strlen(loop_id)};
  if (hs__gw_loop_seen(req->headers, req->nheaders, id)) { /* RFC 8586 §3 */
    x->gw.cause = hs__gw_cause_name(HS_GW_LOOP);
    x->gw.connect_ms = x->gw.head_ms = x->gw.total_ms = -1;
    answer_failure(x, plan->vendor, HS_GW_LOOP);
    return 0;
  }
  int mf = hs__gw_max_forwards(req->headers, req->nheaders);
  if (mf == 0 && (req->method == HS_M_TRACE || req->method == HS_M_OPTIONS)) {
    /* RFC 9110 §7.6.2: the last recipient answers itself */
    hs__resp_error(x, 200, "Max-Forwards was 0: this gateway answers the request itself.", NULL);
    return 0;
  }
  int port = 0;
  const char *host = "127.0.0.1";
  if (plan->kind == HS_GW_K_UPSTREAM) {
    host = x->ctx->cfg->upstream_host;
    port = x->ctx->cfg->upstream_port;
  } else if (plan->kind == HS_GW_K_UNRESOLVABLE) {
    host = "upstream.invalid"; /* RFC 6761 §6.4: never resolves */
    port = 80;
  } else if (plan->kind == HS_GW_K_LOOP) {
    port = gw ? gw->self_port : 0;
  } else if (gw) {
    port = hs__fakes_port(gw, plan->kind);
  }
  if (!gw || !port) {
    hs__resp_error(x, 500, "The gateway's upstream for this kind could not be started.", NULL);
    return 0;
  }
  proxy_t *p = hs__defer(x, produce, release, sizeof(proxy_t), 0);
  if (!p)
    return -1;
  p->x = x;
  p->conn = x->ctx->cur_conn;
  p->gw = gw;
  p->plan = *plan;
  p->plan.target = (hs__str_t){0};
  hs__buf_init(&p->send.out, NULL);
  p->trailers = (hs__fields_t)HS_FIELDS_INIT;
  p->tl_wait = -1;
  if (hs__up_init(&p->ps, MAX_HEAD, MAX_FIELDS, req->method == HS_M_HEAD) != 0 ||
      (plan->toxics.set && !(p->tl = hs__tlink_new(&plan->toxics)))) {
    p->broken = 1; /* the producer ends at once: the exchange answers 500 */
    return 0;
  }
  hs__gw_toxics_format(&plan->toxics, x->gw.toxics, sizeof(x->gw.toxics));
  /* the request line's target and Host for this upstream */
  char target[512], hostfield[300];
  hs__str_t t = plan->target;
  switch (plan->kind) {
  case HS_GW_K_UPSTREAM:
  case HS_GW_K_LOOP:
    break;
  case HS_GW_K_SLOW_HEADERS:
    t.len = (size_t)snprintf(target, sizeof(target), "/slow-headers?after_ms=%llu",
                             (unsigned long long)plan->after_ms);
    t.ptr = target;
    break;
  case HS_GW_K_SLOW_BODY:
    t.len = (size_t)snprintf(target, sizeof(target), "/slow-body?rate=%llu",
                             (unsigned long long)plan->rate);
    t.ptr = target;
    break;
  default:
    t.len = (size_t)snprintf(target, sizeof(target), "/%s", hs__gw_kind_name(plan->kind));
    t.ptr = target;
    break;
  }
  /* Host: host[:port] (the port left out when it is the scheme's) */
  int v6 = strchr(host, ':') != NULL;
  size_t hl = 0;
  int default_port =
      plan->kind == HS_GW_K_UPSTREAM && port == (x->ctx->cfg->upstream_tls ? 443 : 80);
  if (v6)
    hostfield[hl++] = '[';
  hl += copy_str(hostfield + hl, sizeof(hostfield) - 30, host);
  if (v6)
    hostfield[hl++] = ']';
  if (!default_port) {
    hostfield[hl++] = ':';
    hl += hs__u64toa(hostfield + hl, (uint64_t)port);
  }
  hostfield[hl] = 0;
  p->tls_demo = hs__gw_kind_tls(plan->kind);
  p->tls = p->tls_demo || (plan->kind == HS_GW_K_UPSTREAM && x->ctx->cfg->upstream_tls);
  copy_str(p->sni, sizeof(p->sni), p->tls_demo ? "localhost" : host);
  build_request(p, req, t, (hs__str_t){hostfield, hl});
  p->t_start = x->ctx->now_ms;
  copy_str(x->gw.upstream, sizeof(x->gw.upstream), hostfield);
  x->gw.connect_ms = x->gw.head_ms = x->gw.total_ms = -1;
  size_t kl = p->tls ? copy_str(p->key, sizeof(p->key), "tls:") : 0;
  copy_str(p->key + kl, sizeof(p->key) - kl, hostfield);
  p->deadline = x->ctx->now_ms + plan->connect_ms;
  /* the address: numeric at once, else resolved on libuv's thread pool */
  struct sockaddr_in *a4 = (struct sockaddr_in *)&p->addr;
  struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&p->addr;
  if (uv_ip4_addr(host, port, a4) == 0 || uv_ip6_addr(host, port, a6) == 0) {
    p->phase = P_CONNECT;
  } else {
    p->phase = P_RESOLVE;
    start_resolve(p, host, port);
  }
  /* run the producer now, in the handler: the connection (often a pooled
   * one) and the request go out in this loop iteration, not the next */
  int64_t w = produce(x, p);
  if (w == HS_PRODUCE_DONE)
    x->produce = NULL; /* answered already: the exchange ends (and frees p) */
  else
    x->wake_ms = x->ctx->now_ms + (uint64_t)w;
  return 0;
}
