/* The send phase of the gateway's proxy (proxy.c, issue 19): the request
 * head goes to the upstream as soon as the client's head is in, then the
 * content as the client's arrives (http/exchange.h, hs__body_in_t), never
 * more than PXSEND_STAGE bytes staged here besides the exchange's own
 * HS_BODY_IN_MAX: when the upstream does not take more, the proxy stops
 * taking content, and the client's protocol stops reading (back-pressure
 * both ways). Framing to the upstream (RFC 9112 §6): Content-Length when the
 * client declared one, else chunked (RFC 9112 §7.1: HTTP/1.1 chunked
 * content, HTTP/2 content without content-length). Content that is complete
 * when the exchange starts (not streamed) goes with the head. */
#ifndef HS_SERVER_PROXY_SEND_H
#define HS_SERVER_PROXY_SEND_H

#include <stdint.h>
#include <sys/types.h>

#include "base/buf.h"
#include "gateway/forward.h"
#include "http/exchange.h"

typedef struct hs_pxsend_s {
  hs__buf_t out;         /* bytes staged for the upstream: the head, then content */
  size_t off;            /* of which sent */
  uint64_t left;         /* Content-Length framing: content bytes still to stage */
  unsigned streamed : 1; /* the content follows the head as it arrives */
  unsigned chunked : 1;  /* ... in chunks */
  unsigned ended : 1;    /* the whole request is staged */
  unsigned dropped : 1;  /* sent bytes were dropped from `out`: no replay */
} hs__pxsend_t;

/* What hs__pxsend_step() reached. */
enum {
  HS_PX_SENT = 0,    /* the whole request has gone */
  HS_PX_WAIT_UP,     /* the upstream's socket is full: wait for *ev */
  HS_PX_WAIT_CLIENT, /* no content to send now: the client's comes later */
  HS_PX_SEND_ERR,    /* the send failed (errno) */
  HS_PX_CLIENT_ERR,  /* the client's content failed (x->body_in.error) */
};

/* How bytes reach the upstream: send()'s contract (-1 with errno; EAGAIN:
 * wait for *ev). */
typedef ssize_t (*hs__pxsend_io)(void *arg, const char *b, size_t n, int *ev);

/* Stages the request for x: f's fields plus the framing x's content needs
 * (f->streamed, chunked, length are set here). */
void hs__pxsend_init(hs__pxsend_t *s, const hs__exchange_t *x, hs__gw_fwd_t *f);

/* To send it again on another connection: 0, or -1 when content taken
 * from the client and sent is not kept any more (past PXSEND_STAGE). */
int hs__pxsend_rewind(hs__pxsend_t *s);

/* Sends what it can through io; *progress is set when bytes left. Returns
 * one of HS_PX_*. */
int hs__pxsend_step(hs__pxsend_t *s, hs__exchange_t *x, hs__pxsend_io io, void *arg, int *ev,
                    int *progress);

/* Has the whole request been sent? (A connection on which it was not
 * cannot carry another.) */
static inline int hs__pxsend_done(const hs__pxsend_t *s) {
  return (!s->streamed || s->ended) && s->off == s->out.len;
}

void hs__pxsend_free(hs__pxsend_t *s);

#endif
