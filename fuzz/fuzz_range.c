/* libFuzzer harness for the Range field (src/httpbin/byteranges.c, RFC 9110
 * §14.1.1-§14.2) and the multipart/byteranges framing around it: the first
 * three input bytes give the representation's length (0 to 16 MiB), the rest
 * is the field value. Oracle: -1 or a count within HB_RANGE_MAX; every range
 * inside the representation with first <= last; a field that parses gives
 * the same ranges from a copy with its spaces dropped after commas. */
#include <stdlib.h>

#include "fuzz_harness.h"
#include "httpbin/byteranges.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 3)
    return 0;
  unsigned long long len = (unsigned long long)data[0] << 16 | (unsigned)data[1] << 8 | data[2];
  hs__str_t v = {(const char *)data + 3, size - 3};
  hb_range_t r[HB_RANGE_MAX];
  int n = hb_range_parse(v, len, r);
  if (n < -1 || n > HB_RANGE_MAX)
    abort();
  for (int i = 0; i < n; i++)
    if (r[i].first > r[i].last || r[i].last >= len)
      abort();
  if (n > 0) { /* "a-b, c-d" and "a-b,c-d" are the same list (RFC 9110 §5.6.1) */
    char *squeezed = malloc(v.len);
    size_t k = 0;
    for (size_t i = 0; i < v.len; i++)
      if (!(v.ptr[i] == ' ' && k && squeezed[k - 1] == ','))
        squeezed[k++] = v.ptr[i];
    hb_range_t r2[HB_RANGE_MAX];
    if (hb_range_parse((hs__str_t){squeezed, k}, len, r2) != n || memcmp(r, r2, n * sizeof *r))
      abort();
    free(squeezed);
    hs__buf_t b;
    hs__buf_init(&b, NULL);
    for (int i = 0; i < n; i++) {
      hb_byteranges_part(&b, "sep", "application/octet-stream", r[i].first, r[i].last, len);
      hb_byteranges_part_end(&b);
    }
    hb_byteranges_close(&b, "sep");
    if (b.len < (size_t)n * 60 || memcmp(b.base + b.len - 9, "--sep--\r\n", 9))
      abort();
    hs__buf_release(&b);
  }
  return 0;
}
