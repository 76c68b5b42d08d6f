/* Frame headers in the bytes a client sends, found ahead of nghttp2
 * (h2_scan.c). nghttp2 decides about a DATA frame on a stream it no longer
 * holds before any callback of ours runs; reading the frame headers first
 * lets the session judge such a frame itself (h2_session.c). */
#ifndef HS_SERVER_HTTP2_H2_SCAN_H
#define HS_SERVER_HTTP2_H2_SCAN_H

#include <stddef.h>
#include <stdint.h>

#define HS_H2_FRAME_HEADER 9 /* RFC 9113 §4.1 */

typedef struct {
  uint32_t skip;                    /* bytes before the next frame header */
  uint8_t head[HS_H2_FRAME_HEADER]; /* the header being read, */
  uint8_t nhead;                    /* and how much of it has come */
} hs__h2_scan_t;

typedef struct {
  uint32_t length; /* of the payload, padding included */
  uint8_t type, flags;
  int32_t stream_id;
} hs__h2_frame_hd_t;

/* A scanner at the start of a connection: the client preface (24 octets,
 * RFC 9113 §3.4) comes before the first frame. */
void hs__h2_scan_init(hs__h2_scan_t *s);

/* Reads p[0..n) up to the end of the next frame header. Returns the bytes
 * read: when a header ended there (its last byte is p[ret - 1]), *hd holds it
 * and *found is 1; else all n bytes were read and *found is 0. A header may
 * begin in one call and end in the next. */
size_t hs__h2_scan(hs__h2_scan_t *s, const uint8_t *p, size_t n, hs__h2_frame_hd_t *hd, int *found);

#endif
