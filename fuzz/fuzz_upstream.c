/* libFuzzer harness for the upstream response reader (src/gateway/
 * resp_parse.c): the bytes a proxied upstream sends are hostile. The first
 * input byte chooses a HEAD request (bit 0), whether the connection ends
 * after the input (bit 1), and a piece size (the rest); the remaining bytes
 * are the response. Oracle: the parser's promises hold (field names are
 * tokens, values carry no CR/LF/NUL, Content-Length content has that
 * length; resp_replay.c checks them), and reading in pieces of any size
 * gives the same transcript as reading everything at once. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/resp_replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  int head = data[0] & 1, eof = (data[0] >> 1) & 1;
  size_t piece = (size_t)(data[0] >> 2) + 1;
  const char *in = (const char *)data + 1;
  size_t n = size - 1;
  hs__buf_t whole, split;
  hs__buf_init(&whole, NULL);
  hs__buf_init(&split, NULL);
  int a = hs__up_replay(in, n, 0, head, eof, &whole);
  int b = hs__up_replay(in, n, piece, head, eof, &split);
  if (a < 0 || b < 0 || a != b || whole.len != split.len ||
      (whole.len && memcmp(whole.base, split.base, whole.len) != 0))
    abort();
  hs__buf_release(&whole);
  hs__buf_release(&split);
  return 0;
}
