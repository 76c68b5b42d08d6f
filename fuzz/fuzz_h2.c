/* libFuzzer harness for the HTTP/2 path: client preface + the input as frames
 * → nghttp2 session → streams → router and handlers → frames out, no sockets
 * (the adapter driven through hs__h2_proto, as conn.c drives it). The first
 * byte of the input chooses how the rest is split into reads. The output must
 * always be a sequence of whole frames that starts with the server's SETTINGS;
 * suspended streams run on a simulated clock a bounded number of times, and
 * whatever is left is abandoned when the connection is freed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HS_FUZZ_SERVER
#include "fuzz_harness.h"
#include "server/http2/h2.h"

HS_FUZZ_SERVER_STATE(cfg, ctx)

/* Walks the frames in out (carried over from earlier calls in `carry`):
 * every frame header is whole and the first frame is SETTINGS. */
static void check_frames(hs__buf_t *carry, hs__buf_t *out, int *seen_first) {
  hs__buf_append(carry, out->base, out->len);
  out->len = 0;
  size_t i = 0;
  while (carry->len - i >= 9) {
    const unsigned char *f = (const unsigned char *)carry->base + i;
    size_t len = (size_t)f[0] << 16 | (size_t)f[1] << 8 | f[2];
    if (len > (1u << 24) - 1)
      abort();
    if (!*seen_first) {
      if (f[3] != 4 /* SETTINGS */)
        abort();
      *seen_first = 1;
    }
    if (carry->len - i < 9 + len)
      break;
    i += 9 + len;
  }
  memmove(carry->base, carry->base + i, carry->len - i);
  carry->len -= i;
}

#define MAX_TIMER_CALLS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  size_t step = data[0] & 0x3f; /* 0 = everything at once */
  data++, size--;
  ctx.now_ms = 1000;
  hs__h2_t *h = hs__h2_new(&ctx, "fuzz", HS_STR("http"));
  if (!h)
    return 0;
  const hs__proto_ops_t *ops = &hs__h2_proto;
  hs__buf_t carry;
  hs__buf_init(&carry, NULL);
  int seen_first = 0;
  unsigned f = hs__h2_feed_bytes(h, HS_H2_PREFACE, HS_H2_PREFACE_LEN);
  check_frames(&carry, ops->output(h), &seen_first);
  size_t off = 0;
  while (off < size && !(f & (HS_PROTO_CLOSE | HS_PROTO_CLOSE_NOW))) {
    size_t avail;
    char *p = ops->rbuf(h, &avail);
    size_t n = step ? step : size - off;
    if (n > size - off)
      n = size - off;
    if (n > avail)
      n = avail;
    memcpy(p, data + off, n);
    off += n;
    f = ops->feed(h, n);
    check_frames(&carry, ops->output(h), &seen_first);
    ops->release_idle(h);
  }
  for (int calls = 0; calls < MAX_TIMER_CALLS && !(f & (HS_PROTO_CLOSE | HS_PROTO_CLOSE_NOW));
       calls++) { /* producers, idle timeout: time moves to each deadline */
    uint64_t d = ops->deadline(h, ctx.now_ms, 0, cfg.idle_timeout_ms);
    if (d > ctx.now_ms)
      ctx.now_ms = d;
    f = ops->on_timer(h);
    check_frames(&carry, ops->output(h), &seen_first);
  }
  ops->free(h);
  hs__buf_release(&carry);
  return 0;
}
