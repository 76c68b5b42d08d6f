/* WebSocket (RFC 6455) echo session on top of wslay: bytes in → bytes out. No
 * sockets: the connection layer hands every byte read after the 101 response to
 * hs__ws_feed() and writes what it appends to `out`. */
#ifndef HS_SERVER_WS_H
#define HS_SERVER_WS_H

#include <stddef.h>

#include "base/buf.h"

typedef struct hs_ws_s hs_ws_t;

/* Limits of one session (go-httpbin's /websocket/echo query parameters). */
typedef struct hs_ws_limits_s {
  size_t max_fragment; /* largest frame payload we send; messages are split */
  size_t max_message;  /* largest message we accept; bigger → close 1009 */
} hs_ws_limits_t;

/* Result flags of hs__ws_feed(). */
#define HS_WS_CLOSE 0x1u /* write `out`, then close the TCP connection */

/* A new echo session, or NULL if out of memory. Caller owns it. */
hs_ws_t *hs__ws_new(const hs_ws_limits_t *lim);
void hs__ws_destroy(hs_ws_t *ws);

/* Processes n bytes from the client and appends every frame to send (echoes,
 * pongs, the closing handshake) to `out`. Returns HS_WS_* flags. RFC 6455 §5, §7. */
unsigned hs__ws_feed(hs_ws_t *ws, const char *in, size_t n, hs_buf_t *out);

/* Starts the closing handshake with `code` (e.g. 1001 when the server shuts
 * down), appending the Close frame to `out`. RFC 6455 §7.1.2. */
void hs__ws_close(hs_ws_t *ws, unsigned code, hs_buf_t *out);

/* Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 §4.2.2 step 5.4):
 * base64(SHA-1(key + GUID)). Writes 28 characters and a NUL into out[29].
 * Returns 0, or -1 if the key is not 16 bytes in base64 (→ 400). */
int hs__ws_accept_key(const char *key, size_t len, char out[29]);

#endif
