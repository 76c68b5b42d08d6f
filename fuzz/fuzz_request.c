/* libFuzzer harness for the request path: llhttp adapter + router + handlers +
 * response writer, no sockets. The first byte of the input chooses how the rest
 * is split into reads (to exercise requests that span reads); the output must
 * always be a sequence of well-formed responses. Suspended exchanges (/delay,
 * /drip, /stream ...) are driven by calling their producer with the clock set
 * to the time it asked for, a bounded number of times; one still running at the
 * end is abandoned (as when a client goes away). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_config.h"
#include "server/http1/http1.h"

static hs_config_t cfg;
static hs__ctx_t ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  hs_fuzz_setup(&cfg, &ctx);
  return 0;
}

/* Every response starts with "HTTP/1.1 NNN " (interim or final). */
static void check_output(const hs_buf_t *out) {
  if (out->len && (out->len < 13 || memcmp(out->base, "HTTP/1.1 ", 9) != 0))
    abort();
}

#define MAX_PRODUCE_CALLS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  size_t step = data[0] & 0x3f; /* 0 = everything at once */
  data++, size--;
  hs_h1_t h;
  hs__h1_init(&h, &ctx, "fuzz");
  ctx.now_ms = 1000;
  size_t off = 0;
  unsigned f = 0;
  int at_boundary = 1; /* the next output starts a response */
  int calls = 0;
  while (off < size && !(f & HS_H1_CLOSE)) {
    size_t avail;
    char *p = hs__h1_rbuf(&h, &avail);
    size_t n = step ? step : size - off;
    if (n > size - off)
      n = size - off;
    if (n > avail)
      n = avail;
    if (n == 0 && hs__h1_suspended(&h)) { /* the read buffer is full: let it finish */
      if (calls++ >= MAX_PRODUCE_CALLS)
        break;
      if (ctx.now_ms < hs__h1_wake(&h))
        ctx.now_ms = hs__h1_wake(&h);
      f = hs__h1_produce(&h);
      at_boundary = !hs__h1_suspended(&h);
      h.out.len = 0;
      continue;
    }
    memcpy(p, data + off, n);
    off += n;
    f = hs__h1_feed(&h, n);
    if (at_boundary)
      check_output(&h.out);
    at_boundary = !hs__h1_suspended(&h);
    h.out.len = 0;
    while (hs__h1_suspended(&h) && !(f & HS_H1_CLOSE) && calls < MAX_PRODUCE_CALLS &&
           (n == 0 || off == size)) { /* all input given: run the exchange on */
      calls++;
      if (ctx.now_ms < hs__h1_wake(&h))
        ctx.now_ms = hs__h1_wake(&h);
      f = hs__h1_produce(&h);
      at_boundary = !hs__h1_suspended(&h);
      h.out.len = 0;
    }
    hs__h1_release_idle(&h);
  }
  if (!(f & HS_H1_CLOSE)) {
    f = hs__h1_timeout(&h); /* a request left half-way gets 408 */
    check_output(&h.out);
  }
  hs__h1_free(&h);
  return 0;
}
