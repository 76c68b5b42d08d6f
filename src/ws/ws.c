/* WebSocket session (RFC 6455, RFC 7692) on wslay's frame layer, driven from
 * memory: wslay's recv callback reads from the bytes given to hs__ws_feed()
 * and its send callback appends to the caller's output buffer. wslay finds
 * frame boundaries, unmasks, and refuses fragmented or oversized control
 * frames and non-minimal lengths; everything else an endpoint must check is
 * here, each failure answered with the close code RFC 6455 §7.4.1 names. */
#include "ws/ws.h"

#include <openssl/sha.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wslay/wslay.h>

#include "base/b64.h"
#include "base/utf8.h"

#define RSV1 0x4                  /* wslay's rsv: (RSV1 << 2) | (RSV2 << 1) | RSV3 */
#define MSG_KEEP HS_WS_BUDGET_MIN /* message buffers larger than this are freed after use */
#define FRAME_HEAD_MAX 10         /* a server frame's head: 2 bytes and a 64-bit length */

enum { ST_OPEN, ST_CLOSING, ST_DONE };

struct hs_ws_s {
  hs__ws_opts_t o;
  hs__ws_pmd_t pmd;
  wslay_frame_context_ptr fr;
  const char *in; /* bytes of the current hs__ws_feed() call */
  size_t in_len, in_off;
  hs__buf_t *out;
  int state;
  /* the frame being received */
  unsigned in_frame : 1, f_fin : 1, f_skip : 1;
  uint8_t f_op;
  uint64_t f_len, f_off;
  /* the data message being received */
  unsigned msg_open : 1, msg_z : 1, msg_skip : 1;
  uint8_t msg_op;
  size_t msg_wire; /* payload bytes received for it (compressed size when msg_z) */
  hs__buf_t msg;
  unsigned char ctl[125]; /* the control frame being received */
  size_t ctl_len;
  size_t msg_charged; /* budget taken for `msg` (0 while it is small) */
  size_t out_charged; /* budget taken for output not yet written */
  hs__ws_z_t *z;
  hs__buf_t zbuf; /* a compressed message being sent */
  /* frame heads as they arrive (scan_heads), ahead of wslay, which reports a
   * frame only once payload bytes come */
  uint8_t th[14];
  unsigned th_len;
  uint64_t t_skip; /* payload bytes still to pass over */
  uint64_t t_msg;  /* payload declared so far for the data message */
  uint64_t now, last_rx, ping_at, close_at;
  uint64_t msg_at; /* when the data message in progress (msg_open) began */
  unsigned ping_out : 1;
  unsigned code_sent, code_recv;
};

/* ---- wslay's callbacks: memory, not sockets ---- */

static ssize_t fr_recv(uint8_t *buf, size_t len, int flags, void *user) {
  hs__ws_t *ws = user;
  size_t n = ws->in_len - ws->in_off;
  if (n > len)
    n = len;
  memcpy(buf, ws->in + ws->in_off, n);
  ws->in_off += n;
  return (ssize_t)n; /* 0: wslay reports WSLAY_ERR_WANT_READ */
}

static ssize_t fr_send(const uint8_t *data, size_t len, int flags, void *user) {
  hs__ws_t *ws = user;
  hs__buf_append(ws->out, data, len);
  return (ssize_t)len;
}

static int fr_genmask(uint8_t *buf, size_t len, void *user) {
  memset(buf, 0, len); /* a server never masks (RFC 6455 §5.1) */
  return 0;
}

/* ---- the memory budget ---- */

/* Takes n bytes of the budget: 1, or 0 when that would pass `limit`. */
static int budget_take(hs__ws_budget_t *b, size_t limit, size_t n) {
  if (!b || !n)
    return 1;
  size_t used = atomic_load_explicit(&b->used, memory_order_relaxed);
  do {
    if (limit && (used > limit || n > limit - used))
      return 0;
  } while (!atomic_compare_exchange_weak(&b->used, &used, used + n));
  return 1;
}

static void budget_give(hs__ws_budget_t *b, size_t n) {
  if (b && n)
    atomic_fetch_sub(&b->used, n);
}

/* Makes the message buffer's share of the budget `cap` bytes (nothing for a
 * buffer the session keeps anyway). Returns 0, or -1 when the budget cannot
 * cover it (the share is then unchanged). */
static int charge_msg(hs__ws_t *ws, size_t cap) {
  size_t want = cap > MSG_KEEP ? cap : 0;
  if (want > ws->msg_charged &&
      !budget_take(ws->o.budget, ws->o.budget_limit, want - ws->msg_charged))
    return -1;
  if (want < ws->msg_charged)
    budget_give(ws->o.budget, ws->msg_charged - want);
  ws->msg_charged = want;
  return 0;
}

/* Room for `extra` more bytes of the message (the caller saw there is not
 * enough), taken from the budget first:
 * the buffer grows to what is needed (by half again when a fragmented
 * message keeps growing), never doubling past the message limit. Returns 0,
 * or -1 when the budget cannot cover it. */
static int msg_room(hs__ws_t *ws, size_t extra) {
  hs__buf_t *m = &ws->msg;
  size_t need = m->len + extra, cap = m->cap + m->cap / 2;
  if (cap < need)
    cap = need;
  if (cap > ws->o.max_message && need <= ws->o.max_message)
    cap = ws->o.max_message;
  if (cap > MSG_KEEP) /* room for the frame heads of an echo made in place */
    cap += (cap / ws->o.max_fragment + 1) * FRAME_HEAD_MAX;
  if (charge_msg(ws, cap) != 0)
    return -1;
  hs__buf_t nb;
  hs__buf_init(&nb, NULL);
  hs__buf_reserve(&nb, cap);
  if (m->len)
    memcpy(nb.base, m->base, m->len);
  nb.len = m->len;
  hs__buf_release(m);
  *m = nb;
  return 0;
}

void hs__ws_drained(hs__ws_t *ws) {
  budget_give(ws->o.budget, ws->out_charged);
  ws->out_charged = 0;
}

size_t hs__ws_budget_held(const hs__ws_t *ws) { return ws->msg_charged + ws->out_charged; }

/* ---- sending ---- */

/* One frame with the whole payload (our send callback takes everything). */
static void send_frame(hs__ws_t *ws, int fin, int rsv, int op, const void *p, size_t n,
                       hs__buf_t *out) {
  struct wslay_frame_iocb io;
  memset(&io, 0, sizeof io);
  io.fin = (uint8_t)fin;
  io.rsv = (uint8_t)rsv;
  io.opcode = (uint8_t)op;
  io.payload_length = n;
  io.data = p;
  io.data_length = n;
  ws->out = out;
  (void)wslay_frame_send(ws->fr, &io);
}

/* Writes a server frame's head (RFC 6455 §5.2, unmasked) at p; returns its
 * length, head_len(n). */
static size_t head_len(size_t n) { return n < 126 ? 2 : n < 65536 ? 4 : 10; }
static size_t put_head(unsigned char *p, int fin, int op, size_t n) {
  p[0] = (unsigned char)((fin ? 0x80 : 0) | op);
  if (n < 126) {
    p[1] = (unsigned char)n;
  } else if (n < 65536) {
    p[1] = 126;
    p[2] = (unsigned char)(n >> 8);
    p[3] = (unsigned char)n;
  } else {
    p[1] = 127;
    for (int i = 0; i < 8; i++)
      p[2 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
  }
  return head_len(n);
}

/* Sends the message being received back as it is, framed inside its own
 * buffer, which then becomes the output (the output, empty, takes the
 * message's place): a large echo costs no second copy of the message.
 * Frames are moved from the last to the first, each to a place at or after
 * where it was, so nothing is overwritten before it has moved. Returns 1, or
 * 0 when the buffer has no room for the heads (the caller copies). */
static int echo_in_place(hs__ws_t *ws, int opcode, hs__buf_t *out) {
  hs__buf_t *m = &ws->msg;
  size_t n = m->len, frag = ws->o.max_fragment;
  size_t frames = n ? (n + frag - 1) / frag : 1, last = n - (frames - 1) * frag;
  size_t step = frag + head_len(frag), total = (frames - 1) * step + head_len(last) + last;
  if (total > m->cap)
    return 0;
  unsigned char *b = (unsigned char *)m->base;
  for (size_t i = frames; i-- > 0;) {
    size_t k = i == frames - 1 ? last : frag, at = i * step;
    memmove(b + at + head_len(k), b + i * frag, k);
    put_head(b + at, i == frames - 1, i == 0 ? opcode : HS_WS_OP_CONT, k);
  }
  /* the storage changes hands; each buffer keeps its pool (a message buffer,
   * over 64 KiB, is never a pool block, so it is freed, not pooled) */
  char *ob = out->base;
  size_t ocap = out->cap;
  out->base = m->base;
  out->cap = m->cap;
  out->len = total;
  m->base = ob;
  m->cap = ocap;
  m->len = 0;
  return 1;
}

int hs__ws_send(hs__ws_t *ws, int opcode, const void *p, size_t n, hs__buf_t *out) {
  if (ws->state != ST_OPEN)
    return -1;
  if (!ws->o.pmd && p == ws->msg.base && n == ws->msg.len && n > MSG_KEEP && out->len == 0 &&
      echo_in_place(ws, opcode, out))
    return 0;
  int rsv = 0;
  if (ws->o.pmd) { /* RFC 7692 §6: RSV1 on the first frame of a compressed message */
    if (!ws->z && !(ws->z = hs__ws_z_new(&ws->pmd)))
      return -1;
    ws->zbuf.len = 0;
    if (hs__ws_z_compress(ws->z, p, n, &ws->zbuf) != 0)
      return -1;
    p = ws->zbuf.base ? ws->zbuf.base : "";
    n = ws->zbuf.len;
    rsv = RSV1;
  }
  const char *s = p;
  size_t off = 0;
  if (n > MSG_KEEP) /* one growth, to size */
    hs__buf_reserve(out, n + (n / ws->o.max_fragment + 1) * FRAME_HEAD_MAX);
  do {
    size_t k = n - off < ws->o.max_fragment ? n - off : ws->o.max_fragment;
    send_frame(ws, off + k == n, off == 0 ? rsv : 0, off == 0 ? opcode : HS_WS_OP_CONT, s + off, k,
               out);
    off += k;
  } while (off < n);
  if (ws->zbuf.cap > MSG_KEEP)
    hs__buf_release(&ws->zbuf);
  return 0;
}

void hs__ws_close(hs__ws_t *ws, unsigned code, const char *reason, size_t rlen, uint64_t now,
                  hs__buf_t *out) {
  if (ws->state != ST_OPEN)
    return;
  unsigned char p[125];
  size_t n = 0;
  if (code) {
    if (rlen > 123)
      rlen = 123;
    p[0] = (unsigned char)(code >> 8);
    p[1] = (unsigned char)code;
    if (rlen)
      memcpy(p + 2, reason, rlen);
    n = 2 + rlen;
  }
  send_frame(ws, 1, 0, HS_WS_OP_CLOSE, p, n, out);
  ws->code_sent = code ? code : 1005;
  ws->state = ST_CLOSING;
  ws->close_at = now;
}

/* Fails the connection (RFC 6455 §7.1.7): Close with `code` and a reason
 * saying what was wrong, then wait for the peer's Close. */
static void fail(hs__ws_t *ws, unsigned code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(hs__ws_t *ws, unsigned code, const char *fmt, ...) {
  if (ws->msg_charged || ws->msg.cap > MSG_KEEP) { /* the message will not be read */
    hs__buf_release(&ws->msg);
    charge_msg(ws, 0);
  }
  char reason[124];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(reason, sizeof reason, fmt, ap);
  va_end(ap);
  if (n < 0)
    n = 0;
  hs__ws_close(ws, code, reason, n > 123 ? 123 : (size_t)n, ws->now, ws->out);
}

/* Fails the connection and leaves the calling function. */
#define FAIL(...)                                                                                  \
  do {                                                                                             \
    fail(__VA_ARGS__);                                                                             \
    return;                                                                                        \
  } while (0)

/* The budget cannot hold the message: 1013 (RFC 6455 §7.4.1, IANA: Try
 * Again Later), since it is the server that is short of memory now. */
static void over_budget(hs__ws_t *ws) {
  fail(ws, 1013, "the server's WebSocket message memory is in use; try again later");
}

/* ---- receiving ---- */

int hs__ws_code_valid(unsigned code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

/* The peer's Close (RFC 6455 §5.5.1, §7.4): answered with the same code, and
 * the session is over. A bad payload is answered with 1002 or 1007 instead. */
static void on_close_frame(hs__ws_t *ws) {
  unsigned code = ws->ctl_len >= 2 ? (unsigned)(ws->ctl[0] << 8 | ws->ctl[1]) : 0;
  ws->code_recv = ws->ctl_len >= 2 ? code : 1005;
  if (ws->state == ST_OPEN) {
    int (*ok)(unsigned) = ws->o.code_ok ? ws->o.code_ok : hs__ws_code_valid;
    if (ws->ctl_len == 1)
      fail(ws, 1002, "a Close payload of 1 byte (a code takes 2)");
    else if (ws->ctl_len >= 2 && !ok(code))
      fail(ws, 1002, "close code %u may not be sent", code);
    else if (ws->ctl_len > 2 && !hs__utf8_valid((const char *)ws->ctl + 2, ws->ctl_len - 2))
      fail(ws, 1007, "the close reason is not valid UTF-8");
    else
      hs__ws_close(ws, code, NULL, 0, ws->now, ws->out);
  }
  ws->state = ST_DONE; /* both Close frames exchanged (RFC 6455 §7.1.1) */
}

/* A complete control frame. */
static void on_control(hs__ws_t *ws) {
  if (ws->f_op == HS_WS_OP_CLOSE)
    on_close_frame(ws);
  else if (ws->f_op == HS_WS_OP_PING && ws->state == ST_OPEN)
    send_frame(ws, 1, 0, HS_WS_OP_PONG, ws->ctl, ws->ctl_len, ws->out);
  else if (ws->f_op == HS_WS_OP_PONG)
    ws->ping_out = 0;
}

/* The end of a data message: inflate's tail, UTF-8 (§8.1), the endpoint. */
static void on_message_end(hs__ws_t *ws) {
  ws->msg_open = 0;
  if (ws->msg_skip || ws->state != ST_OPEN)
    return;
  if (ws->msg_z) {
    int r = hs__ws_z_inflate(ws->z, NULL, 0, 1, &ws->msg, ws->o.max_message);
    if (r == -2)
      FAIL(ws, 1009, "the message inflates to more than %zu bytes", ws->o.max_message);
    if (r != 0)
      FAIL(ws, 1007, "the compressed message is not valid DEFLATE data");
    if (charge_msg(ws, ws->msg.cap) != 0) {
      over_budget(ws);
      return;
    }
  }
  if (ws->msg_op == HS_WS_OP_TEXT && !hs__utf8_valid(ws->msg.base, ws->msg.len))
    FAIL(ws, 1007, "a text message that is not valid UTF-8");
  if (ws->o.on_message)
    ws->o.on_message(ws, ws->o.user, ws->msg_op, ws->msg.base ? ws->msg.base : "", ws->msg.len,
                     ws->out);
  if (ws->msg.cap > MSG_KEEP)
    hs__buf_release(&ws->msg);
  ws->msg.len = 0;
  /* the message's share now stands for the output it caused, until written */
  ws->out_charged += ws->msg_charged;
  ws->msg_charged = 0;
}

/* The header of a new frame: every rule that does not need the payload. */
static void on_frame_start(hs__ws_t *ws, const struct wslay_frame_iocb *io) {
  int op = io->opcode, ctl = op >= 8;
  ws->f_op = (uint8_t)op;
  ws->f_fin = io->fin;
  ws->f_len = io->payload_length;
  ws->f_off = 0;
  ws->f_skip = 0;
  ws->ctl_len = 0;
  if (!io->mask)
    FAIL(ws, 1002, "client frames must be masked");
  if (op != HS_WS_OP_CONT && op != HS_WS_OP_TEXT && op != HS_WS_OP_BINARY && op != HS_WS_OP_CLOSE &&
      op != HS_WS_OP_PING && op != HS_WS_OP_PONG)
    FAIL(ws, 1002, "unknown opcode 0x%X", op);
  if (io->rsv & ~RSV1)
    FAIL(ws, 1002, "RSV2 or RSV3 set: no extension defines them");
  if ((io->rsv & RSV1) && !ws->o.pmd)
    FAIL(ws, 1002, "RSV1 set without a negotiated extension");
  if ((io->rsv & RSV1) && (ctl || op == HS_WS_OP_CONT))
    FAIL(ws, 1002, "RSV1 set on a %s frame", ctl ? "control" : "continuation");
  if (ctl) {
    if (ws->state != ST_OPEN && op != HS_WS_OP_CLOSE)
      ws->f_skip = 1;
    return;
  }
  if (op == HS_WS_OP_CONT && !ws->msg_open)
    FAIL(ws, 1002, "a continuation frame without a message to continue");
  if (op != HS_WS_OP_CONT && ws->msg_open)
    FAIL(ws, 1002, "a new message inside a fragmented one");
  if (op != HS_WS_OP_CONT) {
    ws->msg_open = 1;
    ws->msg_at = ws->now;
    ws->msg_op = (uint8_t)op;
    ws->msg_z = (io->rsv & RSV1) != 0;
    ws->msg_skip = ws->state != ST_OPEN;
    ws->msg_wire = 0;
    ws->msg.len = 0;
    unsigned type = op == HS_WS_OP_TEXT ? HS_WS_TEXT : HS_WS_BINARY;
    if (!ws->msg_skip && !(ws->o.accept & type))
      fail(ws, 1003, "this endpoint does not accept %s messages",
           op == HS_WS_OP_TEXT ? "text" : "binary");
  }
  if (ws->state != ST_OPEN) { /* closing: data is read and dropped */
    ws->f_skip = ws->msg_skip = 1;
    return;
  }
  if (ws->f_len > ws->o.max_frame)
    FAIL(ws, 1009, "a frame of %llu bytes (the limit is %zu)", (unsigned long long)ws->f_len,
         ws->o.max_frame);
  if (ws->f_len > ws->o.max_message - ws->msg_wire)
    FAIL(ws, 1009, "a message of more than %zu bytes", ws->o.max_message);
  ws->msg_wire += (size_t)ws->f_len;
  if (ws->msg_z && !ws->z && !(ws->z = hs__ws_z_new(&ws->pmd)))
    FAIL(ws, 1011, "out of memory");
  if (!ws->msg_z && (!ws->msg.base || ws->msg.cap - ws->msg.len < ws->f_len) &&
      msg_room(ws, (size_t)ws->f_len) != 0) /* before any byte comes */
    over_budget(ws);
}

/* A piece of the current frame's payload. */
static void on_frame_data(hs__ws_t *ws, const uint8_t *p, size_t n) {
  if (ws->f_skip || ws->state == ST_DONE)
    return;
  if (ws->f_op >= 8) {
    memcpy(ws->ctl + ws->ctl_len, p, n); /* wslay: at most 125 bytes */
    ws->ctl_len += n;
    return;
  }
  if (ws->msg_skip || ws->state != ST_OPEN)
    return;
  if (!ws->msg_z) {
    hs__buf_append(&ws->msg, p, n);
    return;
  }
  int r = hs__ws_z_inflate(ws->z, p, n, 0, &ws->msg, ws->o.max_message);
  if (r == -2)
    fail(ws, 1009, "the message inflates to more than %zu bytes", ws->o.max_message);
  else if (r != 0)
    fail(ws, 1007, "the compressed message is not valid DEFLATE data");
  else if (charge_msg(ws, ws->msg.cap) != 0) /* inflated: counted once it is there */
    over_budget(ws);
}

static void on_frame_end(hs__ws_t *ws) {
  if (ws->f_op >= 8) {
    if (!ws->f_skip)
      on_control(ws);
  } else if (ws->f_fin && ws->msg_open) {
    on_message_end(ws);
  }
}

/* Bytes of a frame head whose second byte is b1 (RFC 6455 §5.2): 2, the
 * extended length, the mask. */
static unsigned head_size(uint8_t b1) {
  unsigned l7 = b1 & 0x7f;
  return 2 + (l7 == 126 ? 2 : l7 == 127 ? 8 : 0) + ((b1 & 0x80) ? 4 : 0);
}

/* One whole frame head h: the payload to pass over, and the limits (1009 as
 * soon as the head declares too much). Returns 0, or -1 after fail(). */
static int frame_head(hs__ws_t *ws, const uint8_t *h) {
  unsigned l7 = h[1] & 0x7f;
  uint64_t len = l7;
  if (l7 >= 126) {
    len = 0;
    for (unsigned i = 2; i < (l7 == 126 ? 4u : 10u); i++)
      len = len << 8 | h[i];
  }
  unsigned op = h[0] & 0x0f;
  ws->t_skip = len;
  if (op >= 8) /* control frames: wslay checks their 125 bytes */
    return 0;
  if (op != HS_WS_OP_CONT)
    ws->t_msg = 0;
  if (len > ws->o.max_frame) {
    fail(ws, 1009, "a frame of %llu bytes (the limit is %zu)", (unsigned long long)len,
         ws->o.max_frame);
    return -1;
  }
  if (len > ws->o.max_message || ws->t_msg > ws->o.max_message - len) {
    fail(ws, 1009, "a message of more than %zu bytes", ws->o.max_message);
    return -1;
  }
  ws->t_msg += len;
  return 0;
}

/* Reads the frame heads in p[0..n) ahead of wslay, which reports a frame only
 * once payload bytes come: a head declaring more than the limits gets 1009 at
 * once. A head within the bytes given is read in place; one split across calls
 * is gathered in ws->th. */
static void scan_heads(hs__ws_t *ws, const uint8_t *p, size_t n) {
  while (n && ws->state == ST_OPEN) {
    if (ws->t_skip) {
      size_t k = n < ws->t_skip ? n : (size_t)ws->t_skip;
      p += k;
      n -= k;
      ws->t_skip -= k;
      continue;
    }
    if (ws->th_len == 0 && n >= 2 && n >= head_size(p[1])) { /* the usual case */
      unsigned k = head_size(p[1]);
      if (frame_head(ws, p) != 0)
        return;
      p += k;
      n -= k;
      continue;
    }
    ws->th[ws->th_len++] = *p++;
    n--;
    if (ws->th_len < 2 || ws->th_len < head_size(ws->th[1]))
      continue;
    ws->th_len = 0;
    if (frame_head(ws, ws->th) != 0)
      return;
  }
}

unsigned hs__ws_feed(hs__ws_t *ws, const char *in, size_t n, uint64_t now, hs__buf_t *out) {
  ws->in = in;
  ws->in_len = n;
  ws->in_off = 0;
  ws->out = out;
  ws->now = now;
  scan_heads(ws, (const uint8_t *)in, n);
  if (n) {
    ws->last_rx = now; /* the peer is alive: no keep-alive ping is owed an answer */
    ws->ping_out = 0;
  }
  while (ws->state != ST_DONE) {
    struct wslay_frame_iocb io;
    memset(&io, 0, sizeof io);
    ssize_t r = wslay_frame_recv(ws->fr, &io);
    if (r == WSLAY_ERR_WANT_READ)
      break;
    if (r < 0) { /* framing is lost: nothing after this can be read */
      fail(ws, 1002, "a control frame fragmented or over 125 bytes, or a bad length");
      ws->state = ST_DONE;
      break;
    }
    if (!ws->in_frame) {
      int was_open = ws->state == ST_OPEN;
      ws->in_frame = 1;
      on_frame_start(ws, &io);
      if (was_open && ws->state != ST_OPEN) /* refused: its payload is dropped */
        ws->f_skip = ws->msg_skip = 1;
    }
    on_frame_data(ws, io.data, io.data_length);
    ws->f_off += io.data_length;
    if (ws->f_off == ws->f_len) {
      ws->in_frame = 0;
      on_frame_end(ws);
    }
  }
  ws->in = NULL;
  ws->in_len = ws->in_off = 0;
  return ws->state == ST_DONE ? HS_WS_CLOSE : 0;
}

/* ---- time ---- */

uint64_t hs__ws_deadline(const hs__ws_t *ws) {
  if (ws->state == ST_DONE)
    return 0;
  if (ws->state == ST_CLOSING)
    return ws->close_at + ws->o.close_wait_ms;
  uint64_t d = HS_WS_NEVER;
  if (ws->o.idle_ms)
    d = (ws->ping_out ? ws->ping_at : ws->last_rx) + ws->o.idle_ms;
  if (ws->msg_open && ws->o.message_ms && ws->msg_at + ws->o.message_ms < d)
    d = ws->msg_at + ws->o.message_ms;
  return d;
}

unsigned hs__ws_wake(hs__ws_t *ws, uint64_t now, hs__buf_t *out) {
  ws->now = now;
  ws->out = out;
  if (ws->state == ST_OPEN && ws->msg_open && ws->o.message_ms &&
      now >= ws->msg_at + ws->o.message_ms) /* a message sent a fragment at a time */
    fail(ws, 1008, "a fragmented message took more than %llu ms",
         (unsigned long long)ws->o.message_ms);
  if (ws->state == ST_OPEN && ws->o.idle_ms) {
    if (ws->ping_out && now >= ws->ping_at + ws->o.idle_ms) {
      fail(ws, 1001, "no answer to a ping for %llu ms", (unsigned long long)ws->o.idle_ms);
    } else if (!ws->ping_out && now >= ws->last_rx + ws->o.idle_ms) {
      send_frame(ws, 1, 0, HS_WS_OP_PING, "", 0, out); /* RFC 6455 §5.5.2: keep-alive */
      ws->ping_out = 1;
      ws->ping_at = now;
    }
  }
  if (ws->state == ST_CLOSING && now >= ws->close_at + ws->o.close_wait_ms)
    ws->state = ST_DONE; /* the peer never answered our Close */
  return ws->state == ST_DONE ? HS_WS_CLOSE : 0;
}

unsigned hs__ws_code_sent(const hs__ws_t *ws) { return ws->code_sent; }
unsigned hs__ws_code_received(const hs__ws_t *ws) { return ws->code_recv; }

/* ---- life ---- */

hs__ws_t *hs__ws_new(const hs__ws_opts_t *o, uint64_t now) {
  hs__ws_t *ws = calloc(1, sizeof *ws);
  if (!ws)
    return NULL;
  ws->o = *o;
  if (!ws->o.max_fragment)
    ws->o.max_fragment = 16 * 1024;
  if (!ws->o.max_message)
    ws->o.max_message = 1024 * 1024;
  if (!ws->o.max_frame)
    ws->o.max_frame = ws->o.max_message;
  if (!ws->o.accept)
    ws->o.accept = HS_WS_TEXT | HS_WS_BINARY;
  if (!ws->o.close_wait_ms)
    ws->o.close_wait_ms = 5000;
  if (o->pmd) {
    ws->pmd = *o->pmd;
    ws->o.pmd = &ws->pmd;
  }
  hs__buf_init(&ws->msg, NULL);
  hs__buf_init(&ws->zbuf, NULL);
  ws->last_rx = now;
  struct wslay_frame_callbacks cb = {fr_send, fr_recv, fr_genmask};
  if (wslay_frame_context_init(&ws->fr, &cb, ws) != 0) {
    free(ws);
    return NULL;
  }
  return ws;
}

void hs__ws_destroy(hs__ws_t *ws) {
  if (!ws)
    return;
  budget_give(ws->o.budget, ws->msg_charged + ws->out_charged);
  wslay_frame_context_free(ws->fr);
  hs__ws_z_free(ws->z);
  hs__buf_release(&ws->msg);
  hs__buf_release(&ws->zbuf);
  free(ws);
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
