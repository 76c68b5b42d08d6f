/* libFuzzer harness for the WebSocket frame path: bytes in → session (src/ws,
 * wslay's frame layer, permessage-deflate) → bytes out, no sockets. The first
 * input byte chooses the session's options (deflate, context takeover,
 * accepted types, small limits), the second how the rest is split into reads;
 * the clock advances between reads and the session's timers run when due.
 * Oracle: the output is always a sequence of well-formed server frames
 * (unmasked, known opcodes, RSV1 only on the first frame of a message when
 * deflate is on, control frames whole and ≤ 125 bytes, a Close carrying a
 * code a server may send), nothing follows a Close, and the session ends
 * within its close wait once it has sent one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_harness.h"
#include "ws/ws.h"

static void echo(hs__ws_t *ws, void *user, int op, const char *p, size_t n, hs__buf_t *out) {
  hs__ws_send(ws, op, p, n, out);
}

/* Checks out[*off..] frame by frame; `closed` is set once a Close went out. */
static void check_frames(const hs__buf_t *out, size_t *off, int pmd, int *closed, int *in_msg) {
  const unsigned char *p = (const unsigned char *)out->base;
  while (*off < out->len) {
    if (*closed)
      abort(); /* RFC 6455 §5.5.1: nothing after a Close */
    size_t o = *off;
    if (out->len - o < 2)
      abort(); /* the session writes whole frames */
    int fin = p[o] & 0x80, rsv = p[o] & 0x70, op = p[o] & 0x0F;
    if (p[o + 1] & 0x80)
      abort(); /* a server never masks */
    uint64_t n = p[o + 1] & 0x7F;
    size_t h = 2;
    if (n == 126) {
      if (out->len - o < 4)
        abort();
      n = (uint64_t)p[o + 2] << 8 | p[o + 3];
      h = 4;
    } else if (n == 127) {
      if (out->len - o < 10)
        abort();
      n = 0;
      for (int i = 0; i < 8; i++)
        n = n << 8 | p[o + 2 + i];
      h = 10;
    }
    if (out->len - o - h < n)
      abort();
    if (op >= 8) {
      if (!fin || n > 125 || rsv || (op != 8 && op != 9 && op != 10))
        abort();
      if (op == 8) {
        if (n == 1)
          abort();
        if (n >= 2 && !hs__ws_code_valid((unsigned)(p[o + h] << 8 | p[o + h + 1])))
          abort();
        *closed = 1;
      }
    } else {
      if (op != 0 && op != 1 && op != 2)
        abort();
      if ((op == 0) != (*in_msg != 0))
        abort(); /* continuation exactly inside a message */
      if (rsv & ~0x40 || (rsv && (!pmd || op == 0)))
        abort();
      *in_msg = !fin;
    }
    *off = o + h + (size_t)n;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  uint8_t flags = data[0], split = data[1];
  data += 2;
  size -= 2;
  hs__ws_pmd_t pmd = {.server_no_context_takeover = (flags >> 1) & 1,
                      .client_no_context_takeover = (flags >> 2) & 1,
                      .server_window_bits = 9 + (flags >> 5) % 7};
  hs__ws_opts_t o = {.max_fragment = flags & 0x10 ? 7 : 0,
                     .max_message = flags & 0x10 ? 300 : 4096,
                     .max_frame = flags & 0x10 ? 200 : 0,
                     .accept = (flags >> 3) & 1 ? HS_WS_TEXT : 0,
                     .idle_ms = 250,
                     .close_wait_ms = 400,
                     .on_message = echo,
                     .pmd = flags & 1 ? &pmd : NULL};
  uint64_t now = 1000;
  hs__ws_t *ws = hs__ws_new(&o, now);
  if (!ws)
    return 0;
  hs__buf_t out;
  hs__buf_init(&out, NULL);
  size_t off = 0, checked = 0;
  int closed = 0, in_msg = 0, done = 0;
  size_t step = split ? split : 1;
  while (off < size && !done) {
    size_t n = size - off < step ? size - off : step;
    done = hs__ws_feed(ws, (const char *)data + off, n, now, &out) & HS_WS_CLOSE;
    off += n;
    check_frames(&out, &checked, flags & 1, &closed, &in_msg);
    now += 100;
    if (!done && hs__ws_deadline(ws) <= now)
      done = hs__ws_wake(ws, now, &out) & HS_WS_CLOSE;
    check_frames(&out, &checked, flags & 1, &closed, &in_msg);
  }
  /* input over: the timers alone must end the session (ping, 1001, close wait) */
  for (int i = 0; i < 8 && !done; i++) {
    now = hs__ws_deadline(ws);
    if (now == HS_WS_NEVER)
      abort();
    done = hs__ws_wake(ws, now, &out) & HS_WS_CLOSE;
    check_frames(&out, &checked, flags & 1, &closed, &in_msg);
  }
  if (!done)
    abort(); /* a session that never ends would hang a connection */
  hs__ws_destroy(ws);
  hs__buf_release(&out);
  return 0;
}
