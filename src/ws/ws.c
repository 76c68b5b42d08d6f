/* WebSocket echo session (RFC 6455) on wslay's event API, driven from memory:
 * wslay's recv callback reads from the bytes given to hs__ws_feed() and its send
 * callback appends to the caller's output buffer, so nothing here touches a
 * socket. Text messages must be valid UTF-8 (§8.1, close 1007); messages over
 * the limit close with 1009 (§7.4.1). */
#include "ws/ws.h"

#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>
#include <wslay/wslay.h>

#include "base/b64.h"
#include "base/utf8.h"

/* One echoed message waiting to be sent in fragments. */
typedef struct pending_s {
  struct pending_s *next;
  size_t len, off;
  int done; /* wslay has read all of it */
  char data[];
} pending_t;

struct hs_ws_s {
  wslay_event_context_ptr ctx;
  hs_ws_limits_t lim;
  const char *in; /* bytes of the current hs__ws_feed() call */
  size_t in_len, in_off;
  hs_buf_t *out;
  pending_t *msgs; /* every echo we allocated; done ones are freed on the next feed */
  int failed;
};

static ssize_t on_recv(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags,
                       void *user) {
  hs_ws_t *ws = user;
  size_t avail = ws->in_len - ws->in_off;
  if (avail == 0) {
    wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
    return -1;
  }
  size_t n = avail < len ? avail : len;
  memcpy(buf, ws->in + ws->in_off, n);
  ws->in_off += n;
  return (ssize_t)n;
}

static ssize_t on_send(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int flags,
                       void *user) {
  hs_ws_t *ws = user;
  if (!ws->out) {
    wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
    return -1;
  }
  hs__buf_append(ws->out, data, len);
  return (ssize_t)len;
}

/* Source of a fragmented echo: at most lim.max_fragment bytes per frame. */
static ssize_t read_pending(wslay_event_context_ptr ctx, uint8_t *buf, size_t len,
                            const union wslay_event_msg_source *src, int *eof, void *user) {
  hs_ws_t *ws = user;
  pending_t *p = src->data;
  size_t n = p->len - p->off;
  if (n > len)
    n = len;
  if (n > ws->lim.max_fragment)
    n = ws->lim.max_fragment;
  memcpy(buf, p->data + p->off, n);
  p->off += n;
  if (p->off == p->len) {
    *eof = 1;
    p->done = 1; /* wslay does not read it again after this call */
  }
  return (ssize_t)n;
}

static void on_msg(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg *m,
                   void *user) {
  hs_ws_t *ws = user;
  if (wslay_is_ctrl_frame(m->opcode))
    return; /* wslay answers pings and close frames itself */
  if (m->opcode == WSLAY_TEXT_FRAME && !hs__utf8_valid((const char *)m->msg, m->msg_length)) {
    wslay_event_queue_close(ctx, WSLAY_CODE_INVALID_FRAME_PAYLOAD_DATA, NULL, 0);
    return;
  }
  if (m->msg_length == 0) { /* an empty message is one empty frame */
    struct wslay_event_msg em = {m->opcode, (const uint8_t *)"", 0};
    wslay_event_queue_msg(ctx, &em);
    return;
  }
  pending_t *p = malloc(sizeof *p + m->msg_length);
  if (!p) {
    wslay_event_queue_close(ctx, WSLAY_CODE_INTERNAL_SERVER_ERROR, NULL, 0);
    return;
  }
  p->len = m->msg_length;
  p->off = 0;
  p->done = 0;
  memcpy(p->data, m->msg, m->msg_length);
  struct wslay_event_fragmented_msg fm;
  memset(&fm, 0, sizeof fm);
  fm.opcode = m->opcode;
  fm.source.data = p;
  fm.read_callback = read_pending;
  if (wslay_event_queue_fragmented_msg(ctx, &fm) != 0) {
    free(p);
    wslay_event_queue_close(ctx, WSLAY_CODE_INTERNAL_SERVER_ERROR, NULL, 0);
    return;
  }
  p->next = ws->msgs;
  ws->msgs = p;
}

hs_ws_t *hs__ws_new(const hs_ws_limits_t *lim) {
  hs_ws_t *ws = calloc(1, sizeof *ws);
  if (!ws)
    return NULL;
  ws->lim = *lim;
  if (ws->lim.max_fragment == 0)
    ws->lim.max_fragment = 16 * 1024;
  if (ws->lim.max_message == 0)
    ws->lim.max_message = 1024 * 1024;
  struct wslay_event_callbacks cb = {on_recv, on_send, NULL, NULL, NULL, NULL, on_msg};
  if (wslay_event_context_server_init(&ws->ctx, &cb, ws) != 0) {
    free(ws);
    return NULL;
  }
  wslay_event_config_set_max_recv_msg_length(ws->ctx, ws->lim.max_message);
  return ws;
}

/* Frees the echoes wslay has finished with (all of them when `all`). */
static void free_msgs(hs_ws_t *ws, int all) {
  for (pending_t **pp = &ws->msgs; *pp;) {
    pending_t *p = *pp;
    if (all || p->done) {
      *pp = p->next;
      free(p);
    } else {
      pp = &p->next;
    }
  }
}

void hs__ws_destroy(hs_ws_t *ws) {
  if (!ws)
    return;
  wslay_event_context_free(ws->ctx); /* does not free sources: ours are below */
  free_msgs(ws, 1);
  free(ws);
}

/* Lets wslay send everything queued into `out`; returns HS_WS_CLOSE when the
 * session is over (both Close frames exchanged, or a fatal protocol error). */
static unsigned flush(hs_ws_t *ws, hs_buf_t *out) {
  ws->out = out;
  while (wslay_event_want_write(ws->ctx))
    if (wslay_event_send(ws->ctx) != 0) {
      ws->failed = 1;
      break;
    }
  ws->out = NULL;
  if (ws->failed)
    return HS_WS_CLOSE;
  if (wslay_event_get_close_sent(ws->ctx) && !wslay_event_want_read(ws->ctx))
    return HS_WS_CLOSE;
  if (wslay_event_get_close_sent(ws->ctx) && wslay_event_get_close_received(ws->ctx))
    return HS_WS_CLOSE;
  return 0;
}

unsigned hs__ws_feed(hs_ws_t *ws, const char *in, size_t n, hs_buf_t *out) {
  free_msgs(ws, 0);
  ws->in = in;
  ws->in_len = n;
  ws->in_off = 0;
  ws->out = out;
  /* wslay turns protocol errors (bad masking, oversized messages, bad close
   * codes) into a queued Close frame with the right code, then stops reading. */
  if (wslay_event_want_read(ws->ctx) && wslay_event_recv(ws->ctx) != 0)
    ws->failed = 1;
  ws->in = NULL;
  ws->in_len = ws->in_off = 0;
  return flush(ws, out);
}

void hs__ws_close(hs_ws_t *ws, unsigned code, hs_buf_t *out) {
  wslay_event_queue_close(ws->ctx, (uint16_t)code, NULL, 0);
  (void)flush(ws, out);
}

int hs__ws_accept_key(const char *key, size_t len, char out[29]) {
  static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char raw[32];
  /* the key must be base64 of 16 bytes: 24 characters ending in "==" */
  if (len != 24 || key[22] != '=' || key[23] != '=' || hs__b64_decode(key, len, raw, 0) != 16)
    return -1;
  char buf[24 + sizeof guid];
  memcpy(buf, key, 24);
  memcpy(buf + 24, guid, sizeof guid - 1);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1((const unsigned char *)buf, 24 + sizeof guid - 1, digest);
  hs__b64_encode(digest, sizeof digest, out, 0);
  out[28] = '\0';
  return 0;
}
