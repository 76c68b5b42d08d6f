/* Parked HTTP/1 state (http1.h): the adapter over a slot, which takes an
 * hs__h1_t when bytes arrive and gives it back when the connection is idle
 * again. While parked the connection is between requests after at least one,
 * so every answer is the idle one: the idle timeout, a silent close at it or
 * at the client's EOF, nothing to write. */
#include <stdlib.h>

#include "server/http1/http1.h"

#define KEEP 32 /* parked states kept for reuse per worker; more go back to malloc */

void hs__h1_park_init(hs__h1_park_t *pk, hs__ctx_t *ctx) {
  pk->ctx = ctx;
  pk->free = NULL;
  pk->nfree = 0;
  hs__buf_init(&pk->empty, NULL);
}

void hs__h1_park_free(hs__h1_park_t *pk) {
  while (pk->free) {
    hs__h1_t *h = pk->free;
    pk->free = *(hs__h1_t **)h;
    free(h);
  }
  pk->nfree = 0;
}

/* Keeps h (parkable, see hs__h1_reuse) for reuse, or frees it when enough
 * are kept. The link is the first word of its parser, which reuse resets. */
static void set_aside(hs__h1_park_t *pk, hs__h1_t *h) {
  if (pk->nfree >= KEEP) {
    free(h);
    return;
  }
  *(hs__h1_t **)h = pk->free;
  pk->free = h;
  pk->nfree++;
}

/* A state for slot s: for a connection that has had requests, one set aside
 * and reused; for a new connection (`fresh`), a new one. NULL when memory
 * ran out. */
__attribute__((noinline)) static hs__h1_t *take(hs__h1_slot_t *s, int fresh) {
  hs__h1_park_t *pk = s->park;
  hs__h1_t *h = pk->free;
  if (h) {
    pk->free = *(hs__h1_t **)h;
    pk->nfree--;
  }
  if (h && !fresh) {
    hs__h1_reuse(h, s->peer);
  } else {
    if (!h && !(h = malloc(sizeof(*h))))
      return NULL;
    hs__h1_init(h, pk->ctx, s->peer);
    h->any_request = !fresh;
  }
  h->ops_only = s->ops_only; /* a state set aside by another connection carries its own */
  h->scheme = s->scheme;
  h->authority_check = s->authority_check;
  h->authority_arg = s->authority_arg;
  return h;
}

/* The state of s, taken back if it was parked (NULL when memory ran out:
 * reading stops, and the idle timeout closes the connection). */
static inline hs__h1_t *unpark(hs__h1_slot_t *s) {
  if (!s->h)
    s->h = take(s, 0);
  return s->h;
}

/* Sets slot s up for a new connection whose requests get `scheme` and the
 * 421 check `check` (NULL: none), and takes its first state. */
static int slot_start(hs__h1_slot_t *s, hs__h1_park_t *pk, const char *peer, int ops_only,
                      hs__str_t scheme, hs_authority_check_fn check, const void *arg) {
  s->park = pk;
  s->peer = peer;
  s->ops_only = ops_only != 0;
  s->scheme = scheme;
  s->authority_check = check;
  s->authority_arg = arg;
  s->h = take(s, 1);
  return s->h ? 0 : -1;
}

int hs__h1_slot_init(hs__h1_slot_t *s, hs__h1_park_t *pk, const char *peer, int ops_only) {
  return slot_start(s, pk, peer, ops_only, HS_STR("http"), NULL, NULL);
}

int hs__h1_slot_init_tls(hs__h1_slot_t *s, hs__h1_park_t *pk, const char *peer,
                         hs_authority_check_fn check, const void *arg) {
  return slot_start(s, pk, peer, 0, HS_STR("https"), check, arg);
}

unsigned hs__h1_slot_busy(hs__h1_slot_t *s) { return hs__h1_busy(s->h); }

/* ---- the adapter (proto.h): the void * is an hs__h1_slot_t ---- */

static char *s_rbuf(void *p, size_t *avail) {
  hs__h1_t *h = unpark(p);
  if (__builtin_expect(h != NULL, 1))
    return hs__h1_rbuf(h, avail);
  *avail = 0;
  return NULL;
}

static unsigned s_feed(void *p, size_t n) { return hs__h1_feed(((hs__h1_slot_t *)p)->h, n); }

static unsigned s_eof(void *p) {
  hs__h1_slot_t *s = p;
  return s->h ? hs__h1_eof(s->h) : HS_H1_CLOSE;
}

static uint64_t s_deadline(void *p, uint64_t now, int writing, uint64_t idle_ms) {
  hs__h1_slot_t *s = p;
  if (s->h)
    return hs__h1_proto.deadline(s->h, now, writing, idle_ms);
  return now + (writing ? s->park->ctx->cfg->idle_timeout_ms : idle_ms);
}

static unsigned s_on_timer(void *p) {
  hs__h1_slot_t *s = p;
  return s->h ? hs__h1_proto.on_timer(s->h) : HS_PROTO_CLOSE_NOW; /* idle: closed silently */
}

static int s_busy(const void *p) {
  const hs__h1_slot_t *s = p;
  return s->h && hs__h1_proto.busy(s->h);
}

static unsigned s_going_away(void *p) {
  hs__h1_slot_t *s = p;
  return s->h ? hs__h1_going_away(s->h) : 0;
}

static unsigned s_refuse(void *p) {
  hs__h1_slot_t *s = p;
  return s->h ? hs__h1_proto.refuse(s->h) : HS_PROTO_CLOSE_NOW;
}

static void s_discard(void *p) {
  hs__h1_slot_t *s = p;
  if (s->h)
    hs__h1_discard(s->h);
}

/* Gives the buffers back, then the state itself once nothing in it is needed
 * (conn.c calls this whenever the connection may have become idle). */
static void s_release_idle(void *p) {
  hs__h1_slot_t *s = p;
  if (!s->h)
    return;
  hs__h1_release_idle(s->h);
  if (hs__h1_parkable(s->h)) { /* nothing left to free in it */
    set_aside(s->park, s->h);
    s->h = NULL;
  }
}

static hs__buf_t *s_output(void *p) {
  hs__h1_slot_t *s = p;
  return s->h ? &s->h->out : &s->park->empty;
}

static void s_handover(void *p, hs__handover_t *out) {
  hs__h1_slot_t *s = p;
  if (s->h)
    hs__h1_proto.handover(s->h, out);
  else
    out->kind = HS_HANDOVER_NONE;
}

/* The connection is closing (or switching protocol): the state is freed,
 * or set aside if it is parkable. */
static void s_free(void *p) {
  hs__h1_slot_t *s = p;
  hs__h1_t *h = s->h;
  if (!h)
    return;
  s->h = NULL;
  int clean = hs__h1_parkable(h);
  hs__h1_free(h);
  if (clean)
    set_aside(s->park, h);
  else
    free(h);
}

const hs__proto_ops_t hs__h1_slot_proto = {
    "http/1.1",   s_rbuf,   s_feed,    s_eof,          s_deadline, s_on_timer, s_busy,
    s_going_away, s_refuse, s_discard, s_release_idle, s_output,   s_handover, s_free};
