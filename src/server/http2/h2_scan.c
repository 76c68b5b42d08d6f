/* Frame boundaries in a client's byte stream (h2_scan.h): the preface, then
 * frames of a 9-octet header and a payload of the length it gives (RFC 9113
 * §3.4, §4.1). Only the headers are looked at; nghttp2 checks the rest. */
#include "server/http2/h2_scan.h"

#define CLIENT_PREFACE 24 /* "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" */

void hs__h2_scan_init(hs__h2_scan_t *s) {
  s->skip = CLIENT_PREFACE;
  s->nhead = 0;
}

static hs__h2_frame_hd_t unpack(const uint8_t *b) {
  hs__h2_frame_hd_t hd;
  hd.length = (uint32_t)b[0] << 16 | (uint32_t)b[1] << 8 | b[2];
  hd.type = b[3];
  hd.flags = b[4];
  hd.stream_id =
      (int32_t)(((uint32_t)b[5] << 24 | (uint32_t)b[6] << 16 | (uint32_t)b[7] << 8 | b[8]) &
                0x7fffffffu); /* the reserved bit is ignored */
  return hd;
}

size_t hs__h2_scan(hs__h2_scan_t *s, const uint8_t *p, size_t n, hs__h2_frame_hd_t *hd,
                   int *found) {
  size_t i = 0;
  *found = 0;
  while (i < n) {
    if (s->skip) {
      size_t k = n - i < s->skip ? n - i : s->skip;
      i += k;
      s->skip -= (uint32_t)k;
      continue;
    }
    if (!s->nhead && n - i >= HS_H2_FRAME_HEADER) { /* a whole header here: no copy */
      *hd = unpack(p + i);
      s->skip = hd->length;
      *found = 1;
      return i + HS_H2_FRAME_HEADER;
    }
    s->head[s->nhead++] = p[i++];
    if (s->nhead == HS_H2_FRAME_HEADER) {
      s->nhead = 0;
      *hd = unpack(s->head);
      s->skip = hd->length;
      *found = 1;
      return i;
    }
  }
  return i;
}
