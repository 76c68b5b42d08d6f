/* multipart/byteranges framing (byteranges.h). */
#include "httpbin/byteranges.h"

void hb_byteranges_part(hs_buf_t *b, const char *boundary, const char *ctype, uint64_t first,
                        uint64_t last, uint64_t total) {
  hs__buf_printf(b, "--%s\r\nContent-Type: %s\r\nContent-Range: bytes %llu-%llu/%llu\r\n\r\n",
                 boundary, ctype, (unsigned long long)first, (unsigned long long)last,
                 (unsigned long long)total);
}

void hb_byteranges_part_end(hs_buf_t *b) { hs__buf_lit(b, "\r\n"); }

void hb_byteranges_close(hs_buf_t *b, const char *boundary) {
  hs__buf_printf(b, "--%s--\r\n", boundary);
}
