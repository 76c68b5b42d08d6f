/* A WebSocket session (RFC 6455, RFC 7692): bytes in → bytes out, no sockets,
 * no clock. wslay's frame layer parses and writes frames; this file's session
 * keeps the rules: masking, reserved bits, opcodes, fragmentation, control
 * frames, limits, UTF-8, close codes, the closing handshake, keep-alive pings
 * and permessage-deflate. What a message means is the endpoint's business: it
 * gets each complete message through `on_message` and answers with
 * hs__ws_send() / hs__ws_close().
 *
 * The caller hands every byte read after the 101 to hs__ws_feed(), writes what
 * the session appends to `out`, and calls hs__ws_wake() once its clock reaches
 * hs__ws_deadline(). Times are milliseconds on any monotonic clock. */
#ifndef HS_WS_WS_H
#define HS_WS_WS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "ws/deflate.h"

typedef struct hs_ws_s hs__ws_t;

/* Memory that sessions share (every worker's): the message buffers larger
 * than HS_WS_BUDGET_MIN and the output they cause until it has been written.
 * A session that would pass the limit closes with 1013 (Try Again Later): the
 * server is short of memory now, the message itself may be fine. */
typedef struct hs_ws_budget_s {
  _Atomic size_t used; /* bytes taken now */
} hs__ws_budget_t;

#define HS_WS_BUDGET_MIN (64 * 1024) /* a session's own buffers up to this are not counted */

/* Opcodes (RFC 6455 §5.2). */
#define HS_WS_OP_CONT 0x0
#define HS_WS_OP_TEXT 0x1
#define HS_WS_OP_BINARY 0x2
#define HS_WS_OP_CLOSE 0x8
#define HS_WS_OP_PING 0x9
#define HS_WS_OP_PONG 0xA

/* Message types an endpoint accepts (hs__ws_opts_t.accept). */
#define HS_WS_TEXT 0x1u
#define HS_WS_BINARY 0x2u

#define HS_WS_NEVER UINT64_MAX /* hs__ws_deadline(): no timer */

/* A complete message (reassembled, inflated, UTF-8 checked for text). */
typedef void (*hs_ws_msg_fn)(hs__ws_t *ws, void *user, int opcode, const char *p, size_t n,
                             hs__buf_t *out);

/* Limits and behaviour of one session. Zero sizes take the defaults below. */
typedef struct hs_ws_opts_s {
  size_t max_fragment;      /* largest frame payload we send (16 KiB) */
  size_t max_message;       /* largest message we take, after inflating; more → 1009 (1 MiB) */
  size_t max_frame;         /* largest frame payload we take; more → 1009 (max_message) */
  unsigned accept;          /* HS_WS_TEXT | HS_WS_BINARY; another type → 1003 (0: both) */
  uint64_t idle_ms;         /* nothing received this long → Ping; no answer as long
                               again → Close 1001 (0: never) */
  uint64_t close_wait_ms;   /* after our Close, wait this long for the peer's (5 s) */
  uint64_t message_ms;      /* a data message must be complete this long after its first
                               frame; else → 1008 (0: no limit) */
  int (*code_ok)(unsigned); /* may a Close frame carry this code? (NULL: RFC 6455 §7.4) */
  hs_ws_msg_fn on_message;
  void *user;
  const hs__ws_pmd_t *pmd; /* negotiated permessage-deflate, or NULL */
  hs__ws_budget_t *budget; /* shared memory budget, or NULL (no limit) */
  size_t budget_limit;     /* the most it may hold (0: no limit) */
} hs__ws_opts_t;

/* Result flags of hs__ws_feed() and hs__ws_wake(). */
#define HS_WS_CLOSE 0x1u /* write `out`, then close the TCP connection */

/* A new session started at `now`, or NULL if out of memory. Caller owns it. */
hs__ws_t *hs__ws_new(const hs__ws_opts_t *o, uint64_t now);
void hs__ws_destroy(hs__ws_t *ws);

/* Processes n bytes from the client at time `now`; appends every frame to
 * send (answers, pongs, Close) to `out`. Returns HS_WS_* flags. */
unsigned hs__ws_feed(hs__ws_t *ws, const char *in, size_t n, uint64_t now, hs__buf_t *out);

/* Sends one message (HS_WS_OP_TEXT or _BINARY), compressed when
 * permessage-deflate was negotiated, in frames of at most max_fragment bytes.
 * Returns 0, or -1 once a Close has been sent (nothing more may follow). */
int hs__ws_send(hs__ws_t *ws, int opcode, const void *p, size_t n, hs__buf_t *out);

/* Starts the closing handshake (RFC 6455 §7.1.2) with `code` (0: no code) and
 * `reason` (UTF-8, at most 123 bytes; longer is cut), then waits for the peer's
 * Close (close_wait_ms). Does nothing once a Close was sent. */
void hs__ws_close(hs__ws_t *ws, unsigned code, const char *reason, size_t rlen, uint64_t now,
                  hs__buf_t *out);

/* The caller has written every byte the session appended to its output:
 * what that output held is given back to the budget. */
void hs__ws_drained(hs__ws_t *ws);

/* Bytes this session holds of the budget now (for tests and the access log). */
size_t hs__ws_budget_held(const hs__ws_t *ws);

/* When hs__ws_wake() must run next (HS_WS_NEVER: no timer). */
uint64_t hs__ws_deadline(const hs__ws_t *ws);

/* Timers: keep-alive Ping, Close 1001 when it goes unanswered, Close 1008
 * for a message not complete within message_ms, the end of the wait for the
 * peer's Close. Returns HS_WS_* flags. */
unsigned hs__ws_wake(hs__ws_t *ws, uint64_t now, hs__buf_t *out);

/* The close code this session sent (0 until then) and the one it received. */
unsigned hs__ws_code_sent(const hs__ws_t *ws);
unsigned hs__ws_code_received(const hs__ws_t *ws);

/* May a Close frame carry `code` by RFC 6455 §7.4 alone (1000-1003, 1007-1014,
 * 3000-4999)? The server narrows or widens this with its registry (code_ok). */
int hs__ws_code_valid(unsigned code);

/* Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 §4.2.2 step 5.4):
 * base64(SHA-1(key + GUID)). Writes 28 characters and a NUL into out[29].
 * Returns 0, or -1 if the key is not 16 bytes in base64 (→ 400). */
int hs__ws_accept_key(const char *key, size_t len, char out[29]);

#endif
