/* The toxics' filter between an upstream connection and the proxy
 * (toxic_link.h). The clock arithmetic is gateway/toxics.c's; here are the
 * held bytes, the reads and the reset. */
#include "server/toxic_link.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <uv.h>

enum { UP_OPEN = 0, UP_EOF, UP_ERROR };

struct hs_tlink_s {
  hs__gw_tx_t tx;
  int up;       /* UP_OPEN, UP_EOF, UP_ERROR: the upstream's side */
  int up_errno; /* with UP_ERROR */
  int cut;      /* the link ended the stream itself */
  size_t off, len, cap;
  char *hold; /* held bytes: hold[off..len); grows to HS_TX_HOLD as needed */
};

#define HOLD_FIRST 4096

hs__tlink_t *hs__tlink_new(const hs__gw_toxics_t *t) {
  hs__tlink_t *l = malloc(sizeof(*l));
  char *hold = malloc(HOLD_FIRST);
  if (!l || !hold) {
    free(l);
    free(hold);
    return NULL;
  }
  l->hold = hold;
  l->cap = HOLD_FIRST;
  uint64_t seed = 0;
  if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != (ssize_t)sizeof(seed))
    seed = (uint64_t)(uintptr_t)l ^ uv_hrtime();
  hs__gw_tx_init(&l->tx, t, seed);
  l->up = UP_OPEN;
  l->up_errno = 0;
  l->cut = 0;
  l->off = l->len = 0;
  return l;
}

void hs__tlink_free(hs__tlink_t *l) {
  free(l->hold);
  free(l);
}

int hs__tlink_cut(const hs__tlink_t *l) { return l->cut; }

/* Reads the upstream while the link has room: each read is one chunk
 * (toxiproxy's latency holds each chunk from its arrival). Returns what to
 * watch the upstream for: UV_READABLE or UV_WRITABLE (TLS), 0 for nothing
 * (full, or the upstream's side has ended). */
static int take_in(hs__tlink_t *l, hs__tlink_read_fn rd, void *arg, uint64_t now_us) {
  while (l->up == UP_OPEN) {
    size_t room = hs__gw_tx_room(&l->tx);
    if (!room)
      return 0;
    if (l->cap - l->len < room && l->off) { /* held bytes to the front */
      memmove(l->hold, l->hold + l->off, l->len - l->off);
      l->len -= l->off;
      l->off = 0;
    }
    if (l->len == l->cap && l->cap < HS_TX_HOLD) { /* full: held bytes wait for their time */
      size_t cap = l->cap * 2 > HS_TX_HOLD ? HS_TX_HOLD : l->cap * 2;
      char *h = realloc(l->hold, cap);
      if (h) {
        l->hold = h;
        l->cap = cap;
      }
    }
    if (l->cap - l->len < room)
      room = l->cap - l->len;
    if (!room)
      return 0;
    int ev = UV_READABLE;
    ssize_t n = rd(arg, l->hold + l->len, room, &ev);
    if (n > 0) {
      hs__gw_tx_take(&l->tx, (size_t)n, now_us);
      l->len += (size_t)n;
    } else if (n == 0) {
      l->up = UP_EOF;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return ev;
    } else {
      l->up = UP_ERROR;
      l->up_errno = errno;
    }
  }
  return 0;
}

ssize_t hs__tlink_recv(hs__tlink_t *l, int fd, hs__tlink_read_fn rd, void *arg, char *buf,
                       size_t cap, uint64_t now_ms, int *ev, int64_t *wait_ms) {
  uint64_t now = now_ms * 1000;
  *ev = take_in(l, rd, arg, now);
  switch (hs__gw_tx_cut(&l->tx, now)) {
  case HS_TX_RESET_NOW: { /* closed with SO_LINGER 0, the socket sends an RST */
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    l->cut = 1;
    errno = ECONNRESET;
    return -1;
  }
  case HS_TX_CLOSE:
    l->cut = 1;
    return 0;
  case HS_TX_GO:
    break;
  }
  uint64_t wake;
  size_t n = hs__gw_tx_pass(&l->tx, now, cap, &wake);
  if (n) {
    memcpy(buf, l->hold + l->off, n);
    l->off += n;
    if (l->off == l->len)
      l->off = l->len = 0;
    return (ssize_t)n;
  }
  if (l->up != UP_OPEN && !hs__gw_tx_held(&l->tx)) {
    /* said once: the proxy ends, or retries on a new connection read afresh */
    int end = l->up;
    l->up = UP_OPEN;
    if (end == UP_EOF)
      return 0;
    errno = l->up_errno;
    return -1;
  }
  *wait_ms = wake == HS_TX_NEVER ? -1 : (int64_t)((wake - now + 999) / 1000);
  errno = EAGAIN;
  return -1;
}
