/* Connections to upstreams (issue 19): non-blocking sockets watched with
 * uv_poll, kept alive in a per-worker pool, and the misbehaving upstreams the
 * server runs on the loopback for /gateway/{kind} (fakes.c). Only sockets
 * here; what is sent and read is decided by proxy.c with src/gateway. */
#ifndef HS_SERVER_UPSTREAM_H
#define HS_SERVER_UPSTREAM_H

#include <openssl/ssl.h>
#include <stdint.h>
#include <sys/socket.h>
#include <uv.h>

#include "http/ctx.h"

typedef struct hs_upconn_s hs__upconn_t;
typedef struct hs_fakes_s hs__fakes_t;

/* A worker's gateway state (ctx->gw). */
typedef struct hs_gw_s {
  uv_loop_t *loop;
  hs__ctx_t *ctx;
  hs__upconn_t *pool; /* idle keep-alive connections, newest first */
  size_t npool;
  hs__fakes_t *fakes; /* started on first use */
  int self_port;      /* the server's own cleartext port (for /gateway/loop), or 0 */
  int closing;
  SSL_CTX *tls_demo; /* TLS to the built-in upstreams: trusts their CA only */
  SSL_CTX *tls_real; /* TLS to --upstream: the system's CAs or --upstream-ca */
  /* What one read from an upstream brings: the proxy parses and relays it
   * before it reads again, so one buffer serves every exchange of the worker
   * (and the state of each, zeroed at its start, stays small). */
  char rbuf[16384];
} hs__gw_t;

typedef void (*hs__up_cb)(hs__upconn_t *u, void *arg);

struct hs_upconn_s {
  uv_poll_t poll;
  int fd;
  hs__gw_t *gw;
  hs__up_cb cb; /* the owner's wake-up (NULL in the pool) */
  void *arg;
  hs__upconn_t *next; /* in the pool */
  uint64_t idle_since;
  unsigned polling : 1;
  SSL *ssl;          /* TLS to the upstream, or NULL (freed with the connection) */
  int events;        /* what the poll watches (while polling) */
  unsigned requests; /* requests this connection has carried */
  char key[300];     /* address it is connected to ("127.0.0.1:8080") */
};

/* Creates the worker's gateway state on `loop` (self_port: see above). */
hs__gw_t *hs__gw_new(uv_loop_t *loop, hs__ctx_t *ctx, int self_port);
/* Closes the pool and the fakes (the worker is finishing). */
void hs__gw_close(hs__gw_t *gw);
/* Frees the state after the loop has run its close callbacks. */
void hs__gw_free(hs__gw_t *gw);

/* A connection to `sa` (whose pool key is `key`): an idle pooled one if any is
 * still open (*reused = 1), else a new socket whose connect() is under way
 * (or done); pooled_ok = 0 asks for a new one. Returns 0, or a negative errno when connect() failed
 * at once. */
int hs__up_open(hs__gw_t *gw, const struct sockaddr *sa, const char *key, hs__upconn_t **out,
                int *reused, int pooled_ok);

/* Calls cb(u, arg) once when u is readable (events UV_READABLE) or writable
 * (UV_WRITABLE), or on an error. */
void hs__up_watch(hs__upconn_t *u, int events, hs__up_cb cb, void *arg);

/* The owner is done with u: back to the pool when `reusable` (the response
 * was read to its end and the upstream keeps the connection), else closed. */
void hs__up_release(hs__upconn_t *u, int reusable);

/* The fakes (fakes.c): the port of the misbehaving upstream for `kind`
 * (gateway/plan.h), started on first use; 0 when it cannot be started. */
int hs__fakes_port(hs__gw_t *gw, int kind);
void hs__fakes_close(hs__fakes_t *f);
/* The CA of the TLS fakes (NULL until a TLS kind was started). */
X509 *hs__fakes_ca(hs__gw_t *gw);

#endif
