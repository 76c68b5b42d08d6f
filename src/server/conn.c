/* Sockets: listeners, accept, reads into the protocol adapter's buffer, one
 * gathered write per read, timeouts, the connection limit, lingering close and
 * graceful drain. Everything else is bytes in, bytes out (http1.c). */
#include "server/conn.h"
#include "handlers/routes.h"
#include "server/ftp/ftp_server.h"
#include "server/http2/h2.h"
#include "server/peer_limit.h"
#include "server/proxy.h"
#include "server/switch.h"
#include "server/tls.h"
#include "server/tls_alloc.h"
#include "server/upstream.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#define HIGH_WATER (256 * 1024) /* stop reading while this much output waits */
#define DRAIN_IDLE_MS 250       /* while draining, idle connections get this long */
/* restart: busy HTTP/2 connections hear of it this long before the cut */
#define GOAWAY_MARGIN_MS 2000
#define LOG_FLUSH_MS 200
#define ACCEPT_BATCH 4      /* accepted per wake-up: the other workers get their share */
#define ACCEPT_RETRY_MS 100 /* out of descriptors: pause before accepting again */
#define TRIM_CHECK_MS 1000  /* a worker quiet this long after load returns memory */

/* A write that uv_try_write could not finish: allocated only while it is in
 * flight, so an idle connection holds neither the request nor the bytes. */
typedef struct conn_write_s {
  uv_write_t req;
  hs__buf_t buf; /* the bytes being written */
} conn_write_t;

struct hs_conn_s {
  uv_tcp_t tcp;
  hs__worker_t *w;
  hs__conn_t *prev, *next;
  uint64_t deadline; /* when the current phase times out */
  hs__dl_node_t dl;  /* in w->deadlines, keyed by when to look at the deadline */
  unsigned writing : 1;
  unsigned read_stopped : 1;
  unsigned lingering : 1;
  unsigned eof : 1;
  unsigned closed : 1;
  unsigned close_after_write : 1;
  unsigned close_when_flushed : 1; /* begin_close once the output has been written */
  unsigned read_full : 1;          /* reading paused: a suspended exchange holds the read buffer */
  unsigned peer_counted : 1;       /* counted in w->peer_limit under peer_key */
  unsigned tls : 1;                /* accepted on the TLS listener (metrics) */
  hs__peer_key_t peer_key;
  char peer[INET6_ADDRSTRLEN];  /* client address, for the log (the protocols borrow it) */
  const hs__proto_ops_t *proto; /* the protocol this connection speaks */
  void *p;                      /* its state: &h1 */
  hs__h1_slot_t h1;             /* last: absent on TLS and h2c connections */
};

/* Orders hs__worker_stop's uv_async_send (main thread) with the worker's
 * uv_close of that handle: libuv forbids sending to a closing async handle, and
 * once the worker's loop is closed the send writes to its closed (or reused)
 * eventfd and aborts. Guards every worker's wake_closed. */
static pthread_mutex_t wake_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);
static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void on_deadlines(uv_timer_t *t);
static void maybe_finish(hs__worker_t *w);

/* ---- connection lifetime ---- */

static void on_handle_closed(uv_handle_t *h) {
  hs__conn_t *c = h->data;
  hs__worker_t *w = c->w;
  if (c->prev)
    c->prev->next = c->next;
  else
    w->conns = c->next;
  if (c->next)
    c->next->prev = c->prev;
  w->nconns--;
  hs__mc_add(&w->ctx.metrics.conns_closed[c->tls], 1);
  atomic_fetch_sub(w->global_conns, 1);
  if (c->peer_counted)
    hs__peer_limit_release(w->peer_limit, &c->peer_key);
  if (c->proto) /* NULL when its protocol could not be created */
    c->proto->free(c->p);
  free(c);
  if (w->spare_fd < 0 && !w->handles_closing) /* a descriptor is free again */
    w->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  maybe_finish(w);
}

static void conn_close(hs__conn_t *c) {
  if (c->closed)
    return;
  c->closed = 1;
  hs__dl_remove(&c->w->deadlines, &c->dl);
  uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
}

/* Sets the worker's timer to fire at `due` unless it fires earlier already. */
static void arm_worker_timer(hs__worker_t *w, uint64_t due) {
  if (due >= w->dl_armed)
    return;
  uint64_t now = uv_now(&w->loop);
  uv_timer_start(&w->dl_timer, on_deadlines, due > now ? due - now : 0, 0);
  w->dl_armed = due;
}

/* Sets the deadline to d, lazily: the connection's key in the worker's heap
 * moves only when d is earlier than it (later deadlines are checked when the
 * key comes due, see on_deadlines). */
static void set_deadline(hs__conn_t *c, uint64_t d) {
  c->deadline = d;
  if (d >= c->dl.due || !c->dl.pos)
    return;
  hs__dl_rekey(&c->w->deadlines, &c->dl, d);
  arm_worker_timer(c->w, d);
}

/* Arms the timer for the protocol's next deadline (the timeouts of
 * config.h, or a suspended exchange's wake time). While draining, idle
 * connections get DRAIN_IDLE_MS. */
static void update_deadline(hs__conn_t *c) {
  const hs__config_t *cfg = c->w->cfg;
  if (c->lingering)
    return;
  uint64_t idle =
      c->w->draining && cfg->idle_timeout_ms > DRAIN_IDLE_MS ? DRAIN_IDLE_MS : cfg->idle_timeout_ms;
  set_deadline(c, c->proto->deadline(c->p, uv_now(&c->w->loop), c->writing, idle));
}

/* After a closing response: send FIN once it is written, then read and discard
 * what the client still sends (so it sees our answer, not a reset) until it
 * closes or the linger time is over (RFC 9112 §9.6). */
static void on_shutdown(uv_shutdown_t *req, int status) {
  hs__conn_t *c = req->data;
  free(req);
  if (status < 0)
    conn_close(c);
}

static void begin_close(hs__conn_t *c) {
  if (c->closed || c->lingering)
    return;
  if (c->writing && c->proto->output(c->p)->len) {
    c->close_when_flushed = 1; /* output still waits behind the write in flight */
    return;
  }
  const hs__config_t *cfg = c->w->cfg;
  if (c->eof || cfg->linger_ms == 0) {
    if (c->writing)
      c->close_after_write = 1;
    else
      conn_close(c);
    return;
  }
  uv_shutdown_t *req = malloc(sizeof(*req));
  if (!req || uv_shutdown(req, (uv_stream_t *)&c->tcp, on_shutdown) != 0) {
    free(req);
    conn_close(c);
    return;
  }
  req->data = c;
  c->lingering = 1;
  if (c->read_stopped || c->read_full) {
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
    c->read_stopped = c->read_full = 0;
  }
  set_deadline(c, uv_now(&c->w->loop) + cfg->linger_ms);
}

static void on_write(uv_write_t *req, int status);

/* Writes the protocol's output: first directly (uv_try_write: usually the whole batch leaves in
 * one send), the rest through an asynchronous write. */
static void flush_output(hs__conn_t *c) {
  hs__buf_t *o = c->proto->output(c->p);
  if (!o->len || c->closed)
    return;
  if (c->writing) {
    if (o->len > HIGH_WATER && !c->read_stopped && !c->lingering) {
      uv_read_stop((uv_stream_t *)&c->tcp);
      c->read_stopped = 1;
    }
    return;
  }
  uv_buf_t b = uv_buf_init(o->base, (unsigned)o->len);
  hs__metric_add_n(&c->w->ctx.metrics, HS_MV_SENT_BYTES, o->len); /* now or by on_write */
  int n = uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
  if (n >= 0 && (size_t)n == o->len) {
    o->len = 0; /* the caller gives the buffers back (release_idle) */
    return;
  }
  if (n < 0 && n != UV_EAGAIN) {
    conn_close(c);
    return;
  }
  if (n < 0)
    n = 0;
  conn_write_t *wr = malloc(sizeof(*wr));
  if (!wr) {
    conn_close(c);
    return;
  }
  hs__buf_move(&wr->buf, o);
  b = uv_buf_init(wr->buf.base + n, (unsigned)(wr->buf.len - (size_t)n));
  c->writing = 1;
  if (uv_write(&wr->req, (uv_stream_t *)&c->tcp, &b, 1, on_write) != 0) {
    c->writing = 0;
    hs__buf_release(&wr->buf);
    free(wr);
    conn_close(c);
  }
}

/* The write in flight is over (done, failed, or cancelled by the close: libuv
 * calls this before the handle's close callback). Frees it. */
static void on_write(uv_write_t *req, int status) {
  hs__conn_t *c = req->handle->data;
  conn_write_t *wr = (conn_write_t *)req;
  c->writing = 0;
  hs__buf_release(&wr->buf);
  free(wr);
  if (status < 0) {
    conn_close(c);
    return;
  }
  if (c->read_stopped && !c->eof && !c->close_when_flushed && !c->close_after_write) {
    c->read_stopped = 0;
    if (!c->read_full)
      uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
  }
  flush_output(c); /* what was produced meanwhile, before any close */
  if (c->closed)
    return;
  if (!c->writing) {
    if (c->close_after_write) {
      conn_close(c);
      return;
    }
    if (c->close_when_flushed) {
      c->close_when_flushed = 0;
      begin_close(c);
      return;
    }
    c->proto->release_idle(c->p);
  }
  update_deadline(c); /* a suspended exchange that waited for the write: timer at once */
}

/* What to do after the protocol adapter produced output and flags. Reading
 * resumes when a suspended exchange that had filled the read buffer ended. */
static void after_feed(hs__conn_t *c, unsigned flags) {
  flush_output(c);
  if (flags & HS_PROTO_SWITCH) {
    if (c->closed)
      return;
    flags = hs__proto_switch(&c->w->ctx, c->peer, HS_STR("http"), &c->proto, &c->p);
    flush_output(c);
  }
  if (c->closed)
    return;
  if (flags & HS_PROTO_CLOSE_NOW) {
    conn_close(c);
    return;
  }
  if (flags & HS_PROTO_CLOSE) {
    begin_close(c);
    return;
  }
  if (c->read_full && !c->proto->busy(c->p)) {
    c->read_full = 0;
    if (!c->read_stopped && !c->eof)
      uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
  }
  /* everything written, or input that asked for no answer (an HTTP/2
   * SETTINGS ACK, a WINDOW_UPDATE): the connection may be idle, and libuv
   * reports no EAGAIN after a short read, so the buffers (and a parked
   * protocol's state) are given back now, before the deadline is taken */
  if (!c->writing)
    c->proto->release_idle(c->p);
  update_deadline(c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  hs__conn_t *c = h->data;
  size_t avail;
  char *p = c->proto->rbuf(c->p, &avail);
  *buf = uv_buf_init(p, (unsigned)avail);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  hs__conn_t *c = s->data;
  if (nread > 0) {
    hs__metric_add_n(&c->w->ctx.metrics, HS_MV_RECV_BYTES, (uint64_t)nread);
    if (c->lingering) { /* discarding until the client closes */
      c->proto->discard(c->p);
      return;
    }
    c->w->ctx.now_ms = uv_now(&c->w->loop);
    c->w->ctx.cur_conn = c;
    after_feed(c, c->proto->feed(c->p, (size_t)nread));
    return;
  }
  if (nread == 0) { /* EAGAIN: give the buffer back if idle */
    c->proto->release_idle(c->p);
    return;
  }
  if (nread == UV_ENOBUFS) { /* a suspended exchange holds a full read buffer */
    uv_read_stop(s);
    c->read_full = 1;
    return;
  }
  if (nread != UV_EOF || c->lingering) {
    conn_close(c);
    return;
  }
  /* the client finished sending: nothing more will be answered */
  c->eof = 1;
  uv_read_stop(s);
  c->proto->eof(c->p);
  if (c->writing)
    c->close_after_write = 1;
  else
    conn_close(c);
}

/* The key of c came due: its deadline passed, or moved later (then the key
 * follows it). */
static void conn_timer(hs__conn_t *c, uint64_t now) {
  if (now < c->deadline) {
    set_deadline(c, c->deadline);
    return;
  }
  if (c->lingering || c->writing) {
    conn_close(c);
    return;
  }
  c->w->ctx.now_ms = now; /* a producer is due, a timeout, or an idle close */
  c->w->ctx.cur_conn = c;
  after_feed(c, c->proto->on_timer(c->p));
}

/* The worker's timer: every connection whose key is due is looked at, its
 * key first set to "never" (conn_timer sets the next one). A connection that
 * asks to run again at once waits for the next loop iteration once every
 * connection due at the start has had its turn, so I/O is not starved. */
static void on_deadlines(uv_timer_t *t) {
  hs__worker_t *w = t->data;
  w->dl_armed = HS_DL_NEVER;
  uint64_t now = uv_now(&w->loop);
  uint32_t budget = w->deadlines.n;
  hs__dl_node_t *x;
  while ((x = hs__dl_min(&w->deadlines)) && x->due <= now) {
    if (budget-- == 0) {
      arm_worker_timer(w, now);
      return;
    }
    hs__conn_t *c = (hs__conn_t *)((char *)x - offsetof(hs__conn_t, dl));
    hs__dl_rekey(&w->deadlines, x, HS_DL_NEVER);
    conn_timer(c, now);
  }
  if (x)
    arm_worker_timer(w, x->due);
}

/* ctx->client_cert: the TLS connection whose request is being handled. */
static int conn_client_cert(hs__ctx_t *ctx, char *subj, size_t cap, const char **why) {
  hs__conn_t *c = ctx->cur_conn;
  *why = "";
  if (!c || c->proto != &hs__tls_proto)
    return -2;
  return hs__tls_client_cert(c->p, subj, cap, why);
}

void hs__conn_kick(void *arg) {
  hs__conn_t *c = arg;
  if (!c || c->closed || c->lingering)
    return;
  c->w->ctx.now_ms = uv_now(&c->w->loop);
  if (c->writing) /* on_write's update_deadline finds the producer due */
    return;
  c->w->ctx.cur_conn = c;
  after_feed(c, c->proto->on_timer(c->p));
}

/* Wraps an accepted socket in a connection (c->tcp already initialised).
 * over_fd_limit: it holds the spare descriptor, so it is refused like one
 * over --max-connections. */
static void conn_start(hs__worker_t *w, hs__conn_t *c, hs__listen_kind_t kind, int over_fd_limit) {
  c->w = w;
  w->accepted++;
  c->tls = kind == HS_LISTEN_TLS;
  hs__metric_inc(&w->ctx.metrics, HS_MV_CONNS_ACCEPTED + (int)kind);
  hs__mc_add(&w->ctx.metrics.conns_open[c->tls], 1);
  c->tcp.data = c;
  c->next = w->conns;
  if (w->conns)
    w->conns->prev = c;
  w->conns = c;
  w->nconns++;
  unsigned before = atomic_fetch_add(w->global_conns, 1); /* on_handle_closed gives it back */
  struct sockaddr_storage ss;
  int slen = sizeof(ss);
  ss.ss_family = AF_UNSPEC;
  if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &slen) == 0) {
    if (ss.ss_family == AF_INET)
      uv_ip4_name((struct sockaddr_in *)&ss, c->peer, sizeof(c->peer));
    else if (ss.ss_family == AF_INET6)
      uv_ip6_name((struct sockaddr_in6 *)&ss, c->peer, sizeof(c->peer));
  }
  c->w->ctx.now_ms = uv_now(&w->loop);
  c->w->ctx.cur_conn = c;
  if (hs__dl_add(&w->deadlines, &c->dl, HS_DL_NEVER) != 0) { /* no deadline: no connection */
    conn_close(c);
    return;
  }
  /* the protocol: HTTP/1 in a slot of the connection (its state parked
   * while idle, h1_slot.c), or TLS / HTTP/2, which live on the heap */
  if (kind == HS_LISTEN_HTTP || kind == HS_LISTEN_METRICS) {
    c->proto = &hs__h1_slot_proto;
    c->p = &c->h1;
    if (hs__h1_slot_init(&c->h1, &w->h1park, c->peer, kind == HS_LISTEN_METRICS) != 0) {
      conn_close(c); /* its free finds no state */
      return;
    }
  } else {
    c->proto = kind == HS_LISTEN_TLS ? &hs__tls_proto : &hs__h2_proto;
    c->p = kind == HS_LISTEN_TLS ? hs__tls_new(&w->ctx, w->tls, &w->h1park, c->peer)
                                 : (void *)hs__h2_new(&w->ctx, c->peer, HS_STR("http"));
    if (!c->p) {
      c->proto = NULL;
      conn_close(c);
      return;
    }
  }
  uv_tcp_nodelay(&c->tcp, 1);
  /* probes and scrapes on --metrics-listen pass the connection limits: a
   * server full of clients is busy, not dead, and must not fail liveness */
  int over_limit = before >= w->cfg->max_connections && kind != HS_LISTEN_METRICS;
  int over_peer_limit = 0; /* --max-connections-per-ip */
  if (!over_limit && kind != HS_LISTEN_METRICS && w->peer_limit &&
      hs__peer_key((struct sockaddr *)&ss, &c->peer_key) == 0) {
    c->peer_counted = hs__peer_limit_take(w->peer_limit, &c->peer_key);
    over_peer_limit = !c->peer_counted;
  }
  if (over_limit || over_fd_limit || over_peer_limit) { /* RFC 9110 §15.6.4: 503 + Retry-After */
    if (c->proto != &hs__h1_slot_proto)                 /* HTTP/1 counts its own 503 (http1.c) */
      hs__metrics_refusal(&w->ctx.metrics, 503);
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
    /* past the descriptor limit the spare must come back at once: HTTP/1's
     * 503 goes without waiting to see whether the client speaks HTTP/2 */
    if (over_fd_limit && c->proto == &hs__h1_slot_proto)
      after_feed(c, hs__h1_slot_busy(&c->h1));
    else
      after_feed(c, c->proto->refuse(c->p));
    return;
  }
  if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0) {
    conn_close(c);
    return;
  }
  if (kind == HS_LISTEN_H2C)
    after_feed(c, 0); /* the server's SETTINGS go first (RFC 9113 §3.4) */
  else
    update_deadline(c);
}

/* A connection accepted on a listener of `kind`. Only HTTP/1 listeners carry
 * the HTTP/1 slot: TLS and h2c connections keep their state on the heap, so
 * the h1 tail is not allocated for them. */
static hs__conn_t *conn_alloc(hs__worker_t *w, hs__listen_kind_t kind) {
  int h1 = kind == HS_LISTEN_HTTP || kind == HS_LISTEN_METRICS;
  hs__conn_t *c = calloc(1, h1 ? sizeof(*c) : offsetof(hs__conn_t, h1));
  if (!c)
    return NULL;
  uv_tcp_init(&w->loop, &c->tcp);
  return c;
}

static void free_unstarted(uv_handle_t *h) { free(h->data); }

static void on_retry_timer(uv_timer_t *t);

/* Out of descriptors and without a spare: stop polling the listeners for a
 * moment (connections wait in the kernel's queue) instead of spinning. */
static void pause_accepting(hs__worker_t *w) {
  if (w->accept_off || w->draining)
    return;
  w->accept_off = 1;
  for (int k = 0; k < HS_LISTEN_KINDS; k++)
    if (w->listeners[k].listening)
      uv_poll_stop(&w->listeners[k].poll);
  uv_timer_start(&w->retry_timer, on_retry_timer, ACCEPT_RETRY_MS, 0);
}

static void on_listener_readable(uv_poll_t *p, int status, int events);

static void on_retry_timer(uv_timer_t *t) {
  hs__worker_t *w = t->data;
  w->accept_off = 0;
  if (w->draining)
    return;
  if (w->spare_fd < 0)
    w->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  for (int k = 0; k < HS_LISTEN_KINDS; k++)
    if (w->listeners[k].listening)
      uv_poll_start(&w->listeners[k].poll, UV_READABLE, on_listener_readable);
}

/* Accepts up to `max` connections waiting on l (all workers accept from the
 * same queue: a worker that finds it empty gets EAGAIN). Past the open-file
 * limit the spare descriptor is given up so that one more connection is
 * accepted and answered 503 + Retry-After by the protocol's refusal, instead
 * of the reset a connection that is never accepted ends with; the spare comes
 * back when a connection of this worker closes. */
static void accept_ready(hs__listener_t *l, int max) {
  hs__worker_t *w = l->w;
  for (int i = 0; i < max; i++) {
    int over = 0;
    int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0 && (errno == EMFILE || errno == ENFILE) && w->spare_fd >= 0) {
      close(w->spare_fd);
      w->spare_fd = -1;
      fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
      over = 1;
    }
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
        pause_accepting(w);
      return; /* EAGAIN: the queue is empty */
    }
    hs__conn_t *c = conn_alloc(w, l->kind);
    if (!c) {
      close(fd);
      return;
    }
    c->tcp.data = c;
    if (uv_tcp_open(&c->tcp, fd) != 0) {
      close(fd);
      uv_close((uv_handle_t *)&c->tcp, free_unstarted);
      continue;
    }
    conn_start(w, c, l->kind, over);
  }
}

static void on_listener_readable(uv_poll_t *p, int status, int events) {
  (void)events;
  if (status == 0)
    accept_ready(p->data, ACCEPT_BATCH);
}

/* Stops listening on l: this worker's copy of the socket is closed (the socket
 * itself closes with the last copy). */
static void close_listener(hs__listener_t *l) {
  if (!l->listening)
    return;
  uv_close((uv_handle_t *)&l->poll, NULL);
  close(l->fd);
  l->fd = -1;
  l->listening = 0;
}

/* ---- worker: loop, drain, stop ---- */

static void close_worker_handles(hs__worker_t *w) {
  if (w->handles_closing)
    return;
  w->handles_closing = 1;
  for (int k = 0; k < HS_LISTEN_KINDS; k++)
    close_listener(&w->listeners[k]);
  pthread_mutex_lock(&wake_lock);
  w->wake_closed = 1;
  uv_close((uv_handle_t *)&w->wake, NULL);
  pthread_mutex_unlock(&wake_lock);
  uv_close((uv_handle_t *)&w->drain_timer, NULL);
  uv_close((uv_handle_t *)&w->log_timer, NULL);
  uv_close((uv_handle_t *)&w->retry_timer, NULL);
  uv_close((uv_handle_t *)&w->trim_timer, NULL);
  uv_close((uv_handle_t *)&w->dl_timer, NULL);
  hs__gw_close(w->ctx.gw);
  if (w->spare_fd >= 0)
    close(w->spare_fd);
  w->spare_fd = -1;
}

static void maybe_finish(hs__worker_t *w) {
  if (w->draining && w->nconns == 0)
    close_worker_handles(w);
}

/* The drain time is over (or a second signal came): every connection closes
 * now, and what they were sending is logged as cut by the server. */
static void close_all(hs__worker_t *w) {
  w->ctx.cutting = 1;
  hs__ftp_srv_close_all(w->ftp);
  for (hs__conn_t *c = w->conns; c; c = c->next)
    conn_close(c);
}

static void on_drain_timeout(uv_timer_t *t) { close_all(t->data); }

/* How long after the drain starts busy HTTP/2 connections get the shutdown
 * notice. Shutting down: at once, clients must go elsewhere. Restarting (a
 * new process already listens on the same sockets): the old one keeps
 * serving them until GOAWAY_MARGIN_MS before the drain timeout, so a client
 * whose work ends before that loses nothing, and one that goes on has the
 * margin to see the GOAWAY, finish its streams and reconnect; with a drain
 * timeout of two margins or less there is no time to spare: at once. Idle
 * connections are told as soon as they are idle (h2_session.c). */
static uint64_t goaway_delay(hs__worker_t *w) {
  uint64_t drain = w->cfg->drain_timeout_ms;
  if (!atomic_load(&w->restarting) || drain <= 2 * GOAWAY_MARGIN_MS)
    return 0;
  return drain - GOAWAY_MARGIN_MS;
}

/* Graceful shutdown: stop accepting (after taking the connections the kernel has
 * already completed: they count as accepted), answer what is in flight with
 * Connection: close, let idle connections go, close the rest at the deadline. */
static void start_drain(hs__worker_t *w) {
  if (w->draining)
    return;
  w->draining = 1;
  w->ctx.draining = 1;
  w->ctx.goaway_by_ms = uv_now(&w->loop) + goaway_delay(w);
  for (int k = 0; k < HS_LISTEN_KINDS; k++) {
    hs__listener_t *l = &w->listeners[k];
    if (l->listening)
      accept_ready(l, INT_MAX);
    close_listener(l);
  }
  for (hs__conn_t *c = w->conns; c; c = c->next)
    if (!c->closed && !c->lingering)
      update_deadline(c);
  uv_timer_start(&w->drain_timer, on_drain_timeout, w->cfg->drain_timeout_ms, 0);
  hs__ftp_srv_drain(w->ftp, w->cfg->drain_timeout_ms);
  maybe_finish(w);
}

static void on_wake(uv_async_t *a) {
  hs__worker_t *w = a->data;
  int level = atomic_load(&w->drain_requested);
  if (level >= 1)
    start_drain(w);
  if (level >= 2)
    close_all(w);
}

static void on_log_timer(uv_timer_t *t) {
  hs__worker_t *w = t->data;
  if (w->ctx.log)
    hs__log_flush(w->ctx.log);
}

/* Memory back to the system when load falls: a burst leaves freed memory in
 * the allocator's arenas (large output and body buffers); once this worker
 * has seen no new request or connection for TRIM_CHECK_MS after some,
 * malloc_trim(0) returns the free pages of every arena. */
static void on_trim_timer(uv_timer_t *t) {
  hs__worker_t *w = t->data;
  uint64_t seen = w->ctx.requests + w->accepted;
  if (seen != w->trim_seen) {
    w->trim_seen = seen;
    w->trim_wanted = 1;
    return;
  }
  if (!w->trim_wanted)
    return;
  w->trim_wanted = 0;
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

void hs__worker_stop(hs__worker_t *w, int level) {
  atomic_store(&w->drain_requested, level);
  pthread_mutex_lock(&wake_lock);
  if (!w->wake_closed) /* a worker without connections may have finished already */
    uv_async_send(&w->wake);
  pthread_mutex_unlock(&wake_lock);
}

int hs__worker_init(hs__worker_t *w, int log_fd) {
  int r = uv_loop_init(&w->loop);
  if (r)
    return r;
  hs__ctx_init(&w->ctx, w->cfg, hs__handler_routes);
  hs__h1_park_init(&w->h1park, &w->ctx);
  if (w->cfg->access_log != HS_ALOG_OFF) {
    hs__log_init(&w->log, log_fd, w->cfg->access_log);
    w->ctx.log = &w->log;
    w->ctx.on_exchange_end = hs__log_access;
  }
  /* the gateway (issue 19): /gateway/loop comes back to our cleartext port */
  int self_port = 0;
  if (w->listeners[HS_LISTEN_HTTP].fd >= 0) {
    struct sockaddr_storage ss;
    socklen_t slen = sizeof(ss);
    if (getsockname(w->listeners[HS_LISTEN_HTTP].fd, (struct sockaddr *)&ss, &slen) == 0)
      self_port = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                           : ntohs(((struct sockaddr_in *)&ss)->sin_port);
  }
  w->ctx.gw = hs__gw_new(&w->loop, &w->ctx, self_port);
  w->ctx.proxy_start = hs__proxy_start;
  w->ctx.client_cert = conn_client_cert;
  if (w->cfg->upstream_host[0])
    w->ctx.fallback = hs__gateway_fallback;
  for (int k = 0; k < HS_LISTEN_KINDS; k++) {
    hs__listener_t *l = &w->listeners[k];
    if (l->fd < 0)
      continue;
    l->w = w;
    l->kind = (hs__listen_kind_t)k;
    if ((r = uv_poll_init(&w->loop, &l->poll, l->fd)) != 0)
      return r;
    l->poll.data = l;
    l->listening = 1;
    if ((r = uv_poll_start(&l->poll, UV_READABLE, on_listener_readable)) != 0)
      return r;
  }
  w->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  uv_async_init(&w->loop, &w->wake, on_wake);
  w->wake.data = w;
  uv_timer_init(&w->loop, &w->drain_timer);
  w->drain_timer.data = w;
  uv_timer_init(&w->loop, &w->log_timer);
  w->log_timer.data = w;
  if (w->ctx.log)
    uv_timer_start(&w->log_timer, on_log_timer, LOG_FLUSH_MS, LOG_FLUSH_MS);
  uv_timer_init(&w->loop, &w->retry_timer);
  w->retry_timer.data = w;
  uv_timer_init(&w->loop, &w->trim_timer);
  w->trim_timer.data = w;
  uv_timer_start(&w->trim_timer, on_trim_timer, TRIM_CHECK_MS, TRIM_CHECK_MS);
  uv_timer_init(&w->loop, &w->dl_timer);
  w->dl_timer.data = w;
  w->dl_armed = HS_DL_NEVER;
  if (w->ftp_fd >= 0 && !(w->ftp = hs__ftp_srv_start(&w->loop, w->cfg, w->ftp_fd, w->ftp_tls)))
    return UV_ENOMEM;
  return 0;
}

static void close_leftover(uv_handle_t *h, void *arg) {
  if (!uv_is_closing(h))
    uv_close(h, NULL);
}

void hs__worker_run(hs__worker_t *w) {
  uv_run(&w->loop, UV_RUN_DEFAULT);
  /* Drained. Closing the loop's handles closes the signal watchers of a
   * single worker, and libuv then restores the default actions: a signal
   * now would end the process. This thread holds them all from here; the
   * process ignores them once it is done (server.c). */
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  uv_walk(&w->loop, close_leftover, NULL); /* e.g. unreferenced signal handles */
  uv_run(&w->loop, UV_RUN_DEFAULT);        /* close callbacks */
  uv_loop_close(&w->loop);
  hs__dl_free(&w->deadlines);
  hs__h1_park_free(&w->h1park);
  hs__ftp_srv_free(w->ftp);
  hs__gw_free(w->ctx.gw);
  w->ctx.gw = NULL;
  if (w->ctx.log)
    hs__log_free(&w->log);
  hs__ctx_free(&w->ctx);
  hs__tls_alloc_flush(); /* this thread's cached TLS record buffers */
  if (w->finished)
    atomic_fetch_add(w->finished, 1);
  if (w->main_wake)
    uv_async_send(w->main_wake);
}
