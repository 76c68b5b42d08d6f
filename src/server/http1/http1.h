/* HTTP/1.x protocol adapter (llhttp): bytes in → requests → exchanges →
 * responses out. No sockets here: the caller (conn.c through hs__h1_proto, the
 * fuzzer, the unit tests) reads into the buffer given by hs__h1_rbuf(), calls
 * hs__h1_feed(), and writes whatever is in h->out. RFC 9112.
 *
 * Files: http1.c (the connection: buffers, pipelining, timeouts, upgrades),
 * h1_parse.c (llhttp callbacks → hs__req_t, request limits), h1_write.c (the
 * HTTP/1 byte writer: the exchange sink). */
#ifndef HS_SERVER_HTTP1_HTTP1_H
#define HS_SERVER_HTTP1_HTTP1_H

#include <llhttp.h>
#include <stdint.h>

#include "base/buf.h"
#include "http/admission.h"
#include "http/ctx.h"
#include "http/exchange.h"
#include "http/request.h"
#include "server/proto.h"

/* Where the connection is in its current message (for timeouts). */
typedef enum hs_h1_phase_e {
  HS_H1_IDLE = 0, /* between requests: idle timeout */
  HS_H1_HEAD,     /* request line / headers arriving: header timeout */
  HS_H1_BODY,     /* content arriving: body timeout */
} hs__h1_phase_t;

/* Flags returned by hs__h1_feed() and friends (proto.h). */
#define HS_H1_CLOSE HS_PROTO_CLOSE /* write h->out, then close the connection */

typedef struct hs_h1_s {
  llhttp_t parser;
  hs__ctx_t *ctx;
  hs__req_t req;
  hs__buf_t rbuf;   /* bytes read; holds the request in progress */
  hs__hdr_t *hdrs;  /* header index (pooled, cfg->max_headers entries) */
  hs__buf_t out;    /* responses ready to be written */
  hs__buf_t body;   /* content of the request in progress */
  size_t msg_start; /* offset in rbuf where the current message starts */
  size_t parsed;    /* offset in rbuf up to which llhttp has seen bytes */
  size_t span_end;  /* offset just past the last request-head byte seen */
  size_t trailer_bytes;
  uint64_t head_start_ms; /* the header timeout counts from here (accept, first request) */
  uint64_t body_start_ms; /* the body deadline counts from here (end of the head) */
  hs__h1_phase_t phase;
  unsigned in_value : 1;       /* last header callback was a value */
  unsigned method_pending : 1; /* unknown method token not complete yet */
  unsigned in_trailers : 1;
  unsigned closing : 1; /* a closing response was produced: ignore input */
  unsigned early : 1;   /* respond at the end of the header section */
  unsigned nhost : 2;
  struct hs_h1_msg_s {            /* per-message parser state */
    unsigned field_open : 1;      /* a header field line is in progress */
    unsigned url_done : 1;        /* the request-target is complete */
    unsigned fake_method : 1;     /* unknown method: llhttp was told "GET" */
    unsigned expect_repeated : 1; /* more than one Expect line */
    unsigned absolute_form : 1;   /* the target carried the authority (RFC 9112 §3.2.2) */
    size_t trailer_fields;
    size_t host_field;           /* index in req.headers of the (last) Host field */
    unsigned chunk_line_due : 1; /* llhttp waits for a chunk-size line (h1_chunk.c) */
    size_t chunk_ext_bytes;      /* chunk extensions so far (RFC 9112 §7.1.1) */
    struct hs_h1_chunk_line_s {  /* the chunk-size line being read */
      uint8_t state, ndigits, size_chars;
      char digits[16]; /* significant hex digits */
    } chunk_line;
    hs__str_t expect;
  } m;
  int err_status; /* status decided by a callback */
  const char *err_msg;
  hs__refusal_t early_reason; /* admission's refusal at the end of the head */
  /* The exchange in progress (HTTP/1 has one at a time) and its framing. */
  hs__exchange_t x;
  unsigned suspended : 1;  /* x waits for its producer: later requests wait too */
  unsigned out_paused : 1; /* answers fill the output: pipelined requests wait */
  unsigned x_close : 1;    /* the connection closes after x's response */
  unsigned http10 : 1;     /* x is an HTTP/1.0 exchange: no chunked coding, no 1xx */
  unsigned chunked : 1;    /* x's content goes in chunks (RFC 9112 §7.1) */
  /* Streamed content (a route flagged HS_ROUTE_STREAMS): x ran at the end of
   * the head and h->body is its x.body_in.buf (exchange.h). */
  unsigned stream_due : 1;  /* the head is complete: run x before the content */
  unsigned body_stream : 1; /* x is running while its content arrives */
  uint64_t body_seen;       /* content bytes of the request in progress, for --max-body */
  /* After a 101: the protocol the connection carries (pending until the
   * exchange that switched has ended). */
  const hs__tunnel_ops_t *tunnel, *tunnel_pending;
  unsigned tunnel_bye : 1; /* the tunnel has been told the server is going away */
  void *tunnel_state, *tunnel_pending_state;
  hs__str_t scheme;         /* of every request: "http" ("https" under TLS) */
  unsigned any_request : 1; /* a request was dispatched on this connection */
  unsigned switching : 1;   /* handing the connection to HTTP/2 (handover) */
  unsigned ops_only : 1;    /* a --metrics-listen connection: ops routes only */
  unsigned refusing : 1;    /* over the connection limit: 503 once the first bytes show
                               HTTP/1 (HTTP/2 by prior knowledge: its own 503), or at
                               refuse_at */
  uint64_t refuse_at;
  hs__handover_t handover;
  unsigned heap : 1;                     /* made by hs__h1_new: freeing frees the struct too */
  hs_authority_check_fn authority_check; /* under TLS (proto.h); NULL: no check */
  const void *authority_arg;
  /* Plain HTTP that arrived on the TLS port (tls.c): every request gets
   * nginx's 400 "The plain HTTP request was sent to HTTPS port", logged 497. */
  unsigned plain_on_tls : 1;
  const char *peer; /* the client's address (the caller's: it outlives h) */
} hs__h1_t;

/* Prepares `h` for a new connection from `peer` (textual address, may be
 * NULL; borrowed: it must stay valid as long as h). */
void hs__h1_init(hs__h1_t *h, hs__ctx_t *ctx, const char *peer);

/* Returns all memory held by `h`. */
void hs__h1_free(hs__h1_t *h);

/* A heap-allocated connection (for TLS; `peer` borrowed as above), freed
 * with the proto's free. */
hs__h1_t *hs__h1_new(hs__ctx_t *ctx, const char *peer);

/* Space to read into: *avail bytes at the returned pointer. Never 0, except
 * while an exchange is suspended: the buffer then does not move or grow (the
 * suspended request lives in it), and 0 means "stop reading until it ends". */
char *hs__h1_rbuf(hs__h1_t *h, size_t *avail);

/* Processes `n` bytes just read into the space from hs__h1_rbuf(): parses,
 * routes, handles and appends every response to h->out, in order. While an
 * exchange is suspended the bytes are only kept (parsed once it ends). Returns
 * HS_H1_* flags. */
unsigned hs__h1_feed(hs__h1_t *h, size_t n);

/* The peer has closed its sending side: a suspended exchange is abandoned (as
 * nginx and Go's net/http do when the client goes away). Returns HS_H1_CLOSE. */
unsigned hs__h1_eof(hs__h1_t *h);

/* A timeout expired in the current phase: writes 408 (RFC 9110 §15.5.9) if a
 * request had started (a suspended exchange is abandoned); returns
 * HS_H1_CLOSE. */
unsigned hs__h1_timeout(hs__h1_t *h);

/* Is an exchange suspended (see hs__defer in response.h)? Then no request
 * timeout applies; the caller runs hs__h1_produce() once ctx->now_ms has
 * reached hs__h1_wake() and the output written so far has left. */
static inline int hs__h1_suspended(const hs__h1_t *h) { return h->suspended; }

/* Output buffered past --max-output (cfg->max_output) stops the dispatch of
 * pipelined requests until the client has read it, and a suspended producer
 * runs only once the write in flight has left: what a client can make us
 * hold is bounded. */
static inline uint64_t hs__h1_wake(const hs__h1_t *h) { return h->x.wake_ms; }

/* Calls the suspended exchange's producer (ctx->now_ms must be current). When
 * the exchange completes, logs it and parses the requests that waited behind
 * it (which may suspend again). Returns HS_H1_* flags. */
unsigned hs__h1_produce(hs__h1_t *h);

/* Writes 503 with Retry-After (too many connections); returns HS_H1_CLOSE. */
unsigned hs__h1_busy(hs__h1_t *h);

/* Current phase, and whether `h` holds no partial request. */
static inline hs__h1_phase_t hs__h1_phase(const hs__h1_t *h) { return h->phase; }

/* Does the connection carry another protocol after a 101 (a WebSocket
 * session; no HTTP from now on)? Its
 * read timeout is then the idle timeout and it never counts as idle for
 * shutdown: hs__h1_going_away() ends it properly. */
static inline int hs__h1_is_ws(const hs__h1_t *h) { return h->tunnel != NULL; }

/* The server is shutting down: a tunnel says goodbye (a WebSocket session
 * sends Close 1001 Going Away, RFC 6455 §7.4.1) in h->out. Returns HS_H1_* flags. */
unsigned hs__h1_going_away(hs__h1_t *h);

/* Drops the read buffer's content (used while lingering before close). */
void hs__h1_discard(hs__h1_t *h);

/* Gives pooled buffers back if nothing is pending (called when idle). */
void hs__h1_release_idle(hs__h1_t *h);

/* Is `h` idle with nothing held: between requests after at least one, no
 * buffer, no output, no tunnel, not closing? Then nothing in it needs to
 * survive but the per-connection flags hs__h1_slot_t keeps (h1_slot.c). */
static inline int hs__h1_parkable(const hs__h1_t *h) {
  return !h->tunnel && !h->rbuf.base && !h->out.base && !h->body.base && !h->hdrs &&
         h->phase == HS_H1_IDLE && !h->method_pending && !h->closing && !h->suspended &&
         !h->out_paused && h->any_request && !h->switching && !h->refusing && !h->tunnel_pending;
}

/* Makes a state that was parkable when it was set aside the state of another
 * connection of the same ctx that has had requests (peer borrowed, as
 * hs__h1_init). Only what differs between such connections is set: the rest
 * is as hs__h1_init leaves it, or reset when each message begins (the
 * request, the message state, the exchange at dispatch). A field that
 * outlives a request must be part of that or of hs__h1_parkable. */
void hs__h1_reuse(hs__h1_t *h, const char *peer);

/* The HTTP/1 adapter over an hs__h1_t (the void *), as tls.c drives it. */
extern const hs__proto_ops_t hs__h1_proto;

/* ---- parked HTTP/1 state (h1_slot.c) ----
 * A keep-alive connection spends most of its life idle, and the hs__h1_t is
 * most of what it would hold. conn.c's cleartext connections and tls.c's
 * HTTP/1.1 ones hold a slot instead: the state is taken from the worker's pool when bytes arrive
 * and given back when the connection is idle again (hs__h1_parkable), so an idle connection holds
 * neither the state nor any buffer. */
typedef struct hs_h1_park_s {
  hs__ctx_t *ctx;
  hs__h1_t *free;  /* states set aside parkable, for reuse (linked through their first word) */
  unsigned nfree;  /* how many: a bounded number is kept, the rest freed */
  hs__buf_t empty; /* the output of a parked connection: always empty */
} hs__h1_park_t;

typedef struct hs_h1_slot_s {
  hs__h1_t *h; /* NULL while parked */
  hs__h1_park_t *park;
  const char *peer;      /* the connection's (borrowed, as hs__h1_init) */
  unsigned ops_only : 1; /* a --metrics-listen connection */
  /* what every state taken for this connection is given (hs__h1_slot_tls) */
  hs__str_t scheme;
  hs_authority_check_fn authority_check;
  const void *authority_arg;
} hs__h1_slot_t;

/* One per worker, for the connections of its loop (not thread-safe). */
void hs__h1_park_init(hs__h1_park_t *pk, hs__ctx_t *ctx);
void hs__h1_park_free(hs__h1_park_t *pk);

/* Prepares slot `s` for a new connection, with its state taken at once (the
 * first request's header timeout counts from the accept). Returns 0, or -1
 * when memory ran out. */
int hs__h1_slot_init(hs__h1_slot_t *s, hs__h1_park_t *pk, const char *peer, int ops_only);

/* A slot for HTTP/1.1 over TLS (tls.c): the requests' scheme is https and
 * `check` (with `arg`) is their 421 test; -1 when memory ran out. */
int hs__h1_slot_init_tls(hs__h1_slot_t *s, hs__h1_park_t *pk, const char *peer,
                         hs_authority_check_fn check, const void *arg);

/* hs__h1_busy on the slot's state (present from hs__h1_slot_init until the
 * first request has been answered). */
unsigned hs__h1_slot_busy(hs__h1_slot_t *s);

/* The HTTP/1 adapter over an hs__h1_slot_t, as conn.c drives it. */
extern const hs__proto_ops_t hs__h1_slot_proto;

/* The HTTP/1 byte writer: how the response layer's calls become HTTP/1.1
 * text in h->out (h1_write.c; x->conn is the hs__h1_t). */
extern const hs__sink_ops_t hs__h1_sink;

#endif
