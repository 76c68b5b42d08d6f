/* Upstream connections and their keep-alive pool (upstream.h). */
#include "server/upstream.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define POOL_MAX 64 /* idle upstream connections per worker */

hs__gw_t *hs__gw_new(uv_loop_t *loop, hs__ctx_t *ctx, int self_port) {
  hs__gw_t *gw = calloc(1, sizeof(*gw));
  if (!gw)
    return NULL;
  gw->loop = loop;
  gw->ctx = ctx;
  gw->self_port = self_port;
  return gw;
}

static void on_up_closed(uv_handle_t *h) {
  hs__upconn_t *u = h->data;
  SSL_free(u->ssl);
  close(u->fd);
  free(u);
}

/* Closes u: the poll handle first (libuv), then the descriptor. */
static void up_close(hs__upconn_t *u) {
  if (u->polling)
    uv_poll_stop(&u->poll);
  uv_close((uv_handle_t *)&u->poll, on_up_closed);
}

void hs__gw_close(hs__gw_t *gw) {
  if (!gw || gw->closing)
    return;
  gw->closing = 1;
  while (gw->pool) {
    hs__upconn_t *u = gw->pool;
    gw->pool = u->next;
    up_close(u);
  }
  gw->npool = 0;
  if (gw->fakes)
    hs__fakes_close(gw->fakes);
}

void hs__gw_free(hs__gw_t *gw) {
  if (!gw)
    return;
  SSL_CTX_free(gw->tls_demo);
  SSL_CTX_free(gw->tls_real);
  free(gw);
}

/* Takes an idle pooled connection to `key`, dropping the expired ones met.
 * One the upstream has closed meanwhile shows itself at the first send or
 * read, and proxy.c retries once on a new connection (as nginx does). */
static hs__upconn_t *pool_take(hs__gw_t *gw, const char *key) {
  uint64_t now = uv_now(gw->loop);
  uint64_t idle = gw->ctx->cfg->idle_timeout_ms;
  for (hs__upconn_t **pp = &gw->pool; *pp;) {
    hs__upconn_t *u = *pp;
    int stale = now - u->idle_since >= idle;
    if (stale || strcmp(u->key, key) == 0) {
      *pp = u->next;
      gw->npool--;
      if (stale) {
        up_close(u);
        continue;
      }
      u->next = NULL;
      return u;
    }
    pp = &u->next;
  }
  return NULL;
}

int hs__up_open(hs__gw_t *gw, const struct sockaddr *sa, const char *key, hs__upconn_t **out,
                int *reused, int pooled_ok) {
  *out = NULL;
  *reused = 0;
  hs__upconn_t *u = pooled_ok ? pool_take(gw, key) : NULL;
  if (u) {
    *out = u;
    *reused = 1;
    return 0;
  }
  int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -errno;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  socklen_t len =
      sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
  if (connect(fd, sa, len) != 0 && errno != EINPROGRESS) {
    int e = errno;
    close(fd);
    return -e;
  }
  u = calloc(1, sizeof(*u));
  if (!u || uv_poll_init_socket(gw->loop, &u->poll, fd) != 0) {
    free(u);
    close(fd);
    return -ENOMEM;
  }
  u->poll.data = u;
  u->fd = fd;
  u->gw = gw;
  snprintf(u->key, sizeof(u->key), "%s", key);
  *out = u;
  return 0;
}

/* The watch stays registered while its owner reads (each stop and start
 * costs the loop an epoll_ctl): an event nobody waits for (the owner has not
 * read yet, or the connection idles in the pool) stops it. */
static void on_poll(uv_poll_t *h, int status, int events) {
  hs__upconn_t *u = h->data;
  hs__up_cb cb = u->cb;
  u->cb = NULL;
  if (cb) {
    cb(u, u->arg); /* may release u */
    return;
  }
  uv_poll_stop(h);
  u->polling = 0;
}

void hs__up_watch(hs__upconn_t *u, int events, hs__up_cb cb, void *arg) {
  u->cb = cb;
  u->arg = arg;
  if (u->polling && u->events == events)
    return;
  u->polling = uv_poll_start(&u->poll, events, on_poll) == 0;
  u->events = events;
}

void hs__up_release(hs__upconn_t *u, int reusable) {
  if (u->polling && (!reusable || u->events != UV_READABLE)) {
    uv_poll_stop(&u->poll);
    u->polling = 0;
  }
  u->cb = NULL;
  u->arg = NULL;
  hs__gw_t *gw = u->gw;
  if (!reusable || gw->closing || gw->npool >= POOL_MAX) {
    up_close(u);
    return;
  }
  u->idle_since = uv_now(gw->loop);
  u->next = gw->pool;
  gw->pool = u;
  gw->npool++;
}
