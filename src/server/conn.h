/* Connections and listeners: the only code that touches sockets. One worker =
 * one libuv loop on its own thread, accepting from the listening sockets all
 * workers share (listen.c). */
#ifndef HS_SERVER_CONN_H
#define HS_SERVER_CONN_H

#include <stdatomic.h>
#include <uv.h>

#include "http/ctx.h"
#include "server/deadlines.h"
#include "server/http1/http1.h"
#include "server/log.h"

typedef struct hs_conn_s hs__conn_t;
struct hs_tls_conf_s;
struct hs_worker_s;

/* What a listener speaks: HTTP/1.1 (with HTTP/2 by prior knowledge or h2c
 * upgrade), TLS (ALPN h2 / http/1.1), cleartext HTTP/2 only, or HTTP/1.1
 * limited to /metrics, /healthz and /readyz (--metrics-listen). */
typedef enum {
  HS_LISTEN_HTTP = 0,
  HS_LISTEN_TLS,
  HS_LISTEN_H2C,
  HS_LISTEN_METRICS,
  HS_LISTEN_KINDS
} hs__listen_kind_t;

typedef struct hs_listener_s {
  uv_poll_t poll; /* readable: connections wait to be accepted */
  struct hs_worker_s *w;
  hs__listen_kind_t kind;
  int fd; /* this worker's dup of the shared socket (it closes it); -1: not used */
  int listening;
} hs__listener_t;

typedef struct hs_worker_s {
  const hs__config_t *cfg;
  const struct hs_tls_conf_s *tls; /* certificates of the TLS listener (or NULL) */
  uv_loop_t loop;
  hs__listener_t listeners[HS_LISTEN_KINDS];
  uv_async_t wake;        /* the main thread asks for drain / stop */
  uv_timer_t drain_timer; /* closes what is left when the drain time is over */
  uv_timer_t log_timer;   /* flushes the access log a few times a second */
  uv_timer_t retry_timer; /* resumes accepting after the descriptors ran out */
  uv_timer_t trim_timer;  /* gives freed memory back to the system once load falls */
  uint64_t trim_seen;     /* requests + connections at the last trim check */
  int trim_wanted;        /* activity since the last trim */
  int accept_off;         /* out of descriptors, spare used: listeners stopped */
  int spare_fd;           /* given up to answer 503 to a connection past the fd limit */
  uint64_t accepted;      /* connections accepted */

  /* Connection deadlines: one timer for all, at the earliest (conn.c). */
  hs__dl_heap_t deadlines;
  uv_timer_t dl_timer;
  uint64_t dl_armed;    /* when dl_timer fires (HS_DL_NEVER: not set) */
  hs__h1_park_t h1park; /* HTTP/1 states of idle connections given back (h1_slot.c) */

  hs__ctx_t ctx;
  hs__log_t log;
  hs__conn_t *conns; /* every open connection (doubly linked) */
  size_t nconns;
  int index;
  int draining;
  int handles_closing;
  int wake_closed;                    /* wake is closing: no more sends (conn.c's wake_lock) */
  atomic_int drain_requested;         /* 1 = drain, 2 = stop now */
  atomic_int restarting;              /* the drain is a restart's: a new process serves */
  atomic_uint *global_conns;          /* open connections, all workers */
  struct hs_peer_limit_s *peer_limit; /* per client address, all workers (NULL: no limit) */
  uv_async_t *main_wake;              /* told when this worker has finished */
  atomic_int *finished;               /* incremented then */
  uv_thread_t thread;
  int ftp_fd;                 /* worker 0: the FTP listener (-1: none), docs/ftp.md */
  struct ssl_ctx_st *ftp_tls; /* the certificate AUTH TLS uses (NULL: none) */
  struct hs__ftp_srv_s *ftp;  /* the FTP responder on this loop */
} hs__worker_t;

/* A producer's upstream I/O is ready (server/proxy.c): runs connection c's
 * due producers now, or after its write in flight completes. `c` is the
 * ctx->cur_conn the producer was started under. */
void hs__conn_kick(void *c);

/* Sets up the worker's loop, listeners (those whose fd is >= 0) and timers. Runs on the
 * main thread before the worker thread starts. Returns 0 or a libuv error. */
int hs__worker_init(hs__worker_t *w, int log_fd);

/* Runs the worker's loop until it has drained, then frees what it holds and
 * signals main_wake (called on the worker thread). */
void hs__worker_run(hs__worker_t *w);

/* Asks the worker to drain (level 1) or to close everything now (level 2).
 * Thread-safe. */
void hs__worker_stop(hs__worker_t *w, int level);

#endif
