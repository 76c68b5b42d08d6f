/* The proxy's send phase (proxy_send.h). */
#include "server/proxy_send.h"

#include <errno.h>

#define PXSEND_STAGE (16 * 1024) /* content staged per send, besides HS_BODY_IN_MAX */

void hs__pxsend_init(hs__pxsend_t *s, const hs__exchange_t *x, hs__gw_fwd_t *f) {
  const hs__req_t *req = x->req;
  hs__buf_init(&s->out, NULL);
  s->off = 0;
  s->streamed = x->body_in.active;
  if (s->streamed) {
    /* the client's declared length goes on; without one (HTTP/1.1 chunked,
     * HTTP/2 without content-length) the content goes in chunks */
    s->chunked = !req->has_clen || req->chunked;
    s->left = s->chunked ? 0 : req->content_length;
    f->streamed = 1;
    f->chunked = s->chunked;
    f->length = s->left;
  }
  hs__gw_build_request(&s->out, f);
}

int hs__pxsend_rewind(hs__pxsend_t *s) {
  if (s->dropped)
    return -1;
  s->off = 0;
  return 0;
}

/* Before staging more (everything staged has been sent): the sent bytes are
 * kept while they are few, so that a small request can still be sent again
 * whole on another connection (hs__pxsend_rewind); past PXSEND_STAGE they
 * are dropped, and with them the chance to replay. */
static void drop_sent(hs__pxsend_t *s) {
  if (s->out.len <= PXSEND_STAGE)
    return;
  s->out.len = s->off = 0;
  s->dropped = 1;
}

/* Stages the next piece of content from x (at most PXSEND_STAGE bytes), or
 * the end of the request. Returns HS_PX_SENT when something was staged,
 * else HS_PX_WAIT_CLIENT or HS_PX_CLIENT_ERR. */
static int stage(hs__pxsend_t *s, hs__exchange_t *x) {
  hs__body_in_t *bi = &x->body_in;
  if (bi->error)
    return HS_PX_CLIENT_ERR;
  size_t have = bi->buf->len;
  if (!have) {
    if (!bi->done)
      return HS_PX_WAIT_CLIENT;
    if (!s->chunked && s->left) { /* shorter than declared: cannot happen below us */
      bi->error = 400;
      bi->error_msg = "The request content ended before its declared length.";
      return HS_PX_CLIENT_ERR;
    }
    drop_sent(s);
    if (s->chunked)
      hs__gw_chunk_line(&s->out, 0); /* RFC 9112 §7.1: the last chunk, no trailers */
    s->ended = 1;
    return HS_PX_SENT;
  }
  size_t n = have < PXSEND_STAGE ? have : PXSEND_STAGE;
  if (!s->chunked && n > s->left)
    n = (size_t)s->left; /* more than declared is not forwarded */
  drop_sent(s);
  if (s->chunked)
    hs__gw_chunk_line(&s->out, n);
  hs__buf_append(&s->out, bi->buf->base, n);
  if (s->chunked)
    hs__buf_append(&s->out, "\r\n", 2);
  else
    s->left -= n;
  hs__body_in_take(x, n);
  if (!s->chunked && !s->left)
    s->ended = 1;
  return HS_PX_SENT;
}

int hs__pxsend_step(hs__pxsend_t *s, hs__exchange_t *x, hs__pxsend_io io, void *arg, int *ev,
                    int *progress) {
  for (;;) {
    while (s->off < s->out.len) {
      ssize_t n = io(arg, s->out.base + s->off, s->out.len - s->off, ev);
      if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK ? HS_PX_WAIT_UP : HS_PX_SEND_ERR;
      s->off += (size_t)n;
      *progress = 1;
    }
    if (!s->streamed || s->ended)
      return HS_PX_SENT;
    int r = stage(s, x);
    if (r != HS_PX_SENT)
      return r;
  }
}

void hs__pxsend_free(hs__pxsend_t *s) { hs__buf_release(&s->out); }
