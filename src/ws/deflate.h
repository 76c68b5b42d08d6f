/* permessage-deflate (RFC 7692) with zlib: the negotiation of the extension's
 * parameters from a client's Sec-WebSocket-Extensions offer, and the raw
 * DEFLATE streams of one session (bytes in → bytes out). */
#ifndef HS_WS_DEFLATE_H
#define HS_WS_DEFLATE_H

#include <stddef.h>

#include "base/buf.h"

/* Negotiated parameters (RFC 7692 §7.1). */
typedef struct hs_ws_pmd_s {
  unsigned server_no_context_takeover : 1; /* we reset our compressor per message */
  unsigned client_no_context_takeover : 1; /* the client resets its compressor per message */
  int server_window_bits;                  /* our LZ77 window: 9..15 */
} hs__ws_pmd_t;

/* Picks the first permessage-deflate offer in a Sec-WebSocket-Extensions value
 * that this server can honour (RFC 7692 §5: offers with unknown, repeated or
 * invalid parameters are declined; zlib cannot compress with an 8-bit window,
 * so server_max_window_bits=8 is declined too). Returns 1 and fills `pmd` and
 * the response's extension value in resp (NUL-terminated), or 0 if no offer
 * is acceptable (the response then names no extension). */
int hs__ws_pmd_negotiate(const char *v, size_t n, hs__ws_pmd_t *pmd, char *resp, size_t cap);

/* The compressor and decompressor of one session (allocated on first use). */
typedef struct hs_ws_z_s hs__ws_z_t;

hs__ws_z_t *hs__ws_z_new(const hs__ws_pmd_t *pmd);
void hs__ws_z_free(hs__ws_z_t *z);

/* Compresses one message into `out` (RFC 7692 §7.2.1: a sync flush with its
 * final 00 00 ff ff removed). Returns 0 or -1 (out of memory). */
int hs__ws_z_compress(hs__ws_z_t *z, const void *p, size_t n, hs__buf_t *out);

/* Inflates a piece of a compressed message, appending to `out`; `last` marks
 * the end of the message (the 00 00 ff ff tail is added, RFC 7692 §7.2.2).
 * Returns 0, -1 for invalid compressed data, or -2 when `out` would grow
 * past `limit` bytes. */
int hs__ws_z_inflate(hs__ws_z_t *z, const void *p, size_t n, int last, hs__buf_t *out,
                     size_t limit);

#endif
