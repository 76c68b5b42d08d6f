/* What the HTTP/2 adapter's files share: not for use outside
 * src/server/http2. */
#ifndef HS_SERVER_HTTP2_H2_INTERNAL_H
#define HS_SERVER_HTTP2_H2_INTERNAL_H

#include <nghttp2/nghttp2.h>

#include "base/buf.h"
#include "base/fields.h"
#include "http/admission.h"
#include "http/config.h"
#include "http/exchange.h"
#include "server/http2/h2.h"
#include "server/http2/h2_mem.h"
#include "server/http2/h2_scan.h"

typedef struct hs_h2_stream_s hs__h2_stream_t;

struct hs_h2_s {
  nghttp2_session *session;
  hs__ctx_t *ctx;
  hs__str_t scheme;
  hs__buf_t rbuf;              /* bytes read, handed to nghttp2 at once */
  hs__buf_t out;               /* frames to write */
  size_t buffered;             /* response content the streams hold for nghttp2 */
  hs__h2_stream_t *streams;    /* every stream we hold (doubly linked) */
  hs__h2_stream_t *ready_head; /* complete requests waiting for dispatch, */
  hs__h2_stream_t *ready_tail; /* in the order they completed */
  size_t nstreams;
  uint64_t last_activity_ms;             /* for the idle timeout */
  uint64_t idle_ms;                      /* the idle timeout conn.c gave last */
  uint64_t rst_window_ms;                /* start of the current one-second window, */
  unsigned rst_count;                    /* and the RST_STREAM frames received in it */
  unsigned continuations;                /* CONTINUATION frames of the header block in progress */
  size_t block_bytes;                    /* decoded size of that block (RFC 7541 §4.1) */
  unsigned oversized_blocks;             /* blocks that went over the advertised list size */
  hs_authority_check_fn authority_check; /* under TLS (proto.h); NULL: no check */
  const void *authority_arg;
  char authority_ok[64];   /* the last :authority the check accepted (most */
  size_t authority_ok_len; /* requests of a connection name the same one) */
  hs__h2_stream_t *spare;  /* closed streams kept for reuse, with their storage */
  int32_t max_client_id;   /* the highest stream the client opened, and which of */
  uint64_t opened[4];      /* the 256 odd ids up to it it did open (bit per id), */
  uint64_t ended[4];       /* and which it ended (END_STREAM or RST_STREAM) */
  hs__h2_scan_t scan;      /* frame headers read ahead of nghttp2 */
  unsigned nspare;
  uint64_t settings_sent_ms; /* our SETTINGS left then; unacknowledged until settings_acked */
  unsigned settings_acked : 1;
  uint64_t refuse_by_ms; /* refusing (hs__h2_refuse): GOAWAY at the latest then */
  unsigned refusing : 1;
  uint64_t notice_ms;        /* the shutdown notice left then (goaway_step) */
  unsigned notice_sent : 1;  /* GOAWAY with 2^31-1 and a PING are on their way */
  unsigned notice_acked : 1; /* that PING came back */
  unsigned goaway_sent : 1;  /* the final GOAWAY */
  unsigned failed : 1;       /* nghttp2 reported a fatal error: close */
  uint64_t rested_at_ms;     /* last_activity_ms when the connection last rested (p_on_timer) */
  char peer[64];
  hs__h2_mem_t mem; /* the session's allocator: outlives it */
};

struct hs_h2_stream_s {
  /* storage kept when the stream is recycled for the next one (emptied,
   * not freed): most streams then allocate nothing */
  hs__fields_t fields;   /* header fields as received (pseudo-headers too) */
  hs__fields_t head;     /* the response head being built (":status" first) */
  hs__fields_t trailers; /* the response's trailer fields */
  hs__hdr_t *hdrs;       /* views into `fields`, once the header section is complete */
  size_t hdrs_cap;
  nghttp2_nv *nv; /* the head or trailers as nghttp2 takes them */
  size_t nv_cap;
  hs__buf_t body; /* the request's content */
  hs__buf_t data; /* content not yet taken by nghttp2 */
  /* everything from here on starts zeroed for every stream */
  hs__h2_t *h2;
  int32_t id;
  hs__h2_stream_t *prev, *next; /* h2->streams */
  hs__h2_stream_t *ready_next;
  /* the request */
  size_t header_bytes;
  hs__req_t req;
  hs__refusal_t refusal; /* decided while receiving (431, 413, admission's), answered
                            at dispatch */
  /* after the 200 to an extended CONNECT (RFC 8441 §5): the stream's DATA
   * carries this tunnel (a WebSocket session) both ways */
  const hs__tunnel_ops_t *tunnel;
  void *tunnel_state;
  unsigned tunnel_bye : 1;  /* told the server is going away */
  unsigned tunnel_head : 1; /* the 200 to an extended CONNECT was submitted */
  /* the exchange and its response */
  hs__exchange_t x;
  size_t data_off; /* how much of `data` nghttp2 took */
  unsigned headers_done : 1;
  unsigned ready : 1; /* queued for dispatch */
  unsigned dispatched : 1;
  unsigned suspended : 1;    /* x waits for its producer */
  unsigned eof : 1;          /* the content is complete */
  unsigned deferred : 1;     /* nghttp2 waits for data (resume when some comes) */
  unsigned responded : 1;    /* a final head was submitted */
  unsigned closed : 1;       /* nghttp2 closed it */
  unsigned remote_ended : 1; /* the request's END_STREAM arrived */
  unsigned answer_now : 1;   /* admission refused: answer without the content */
  unsigned awaits_100 : 1;   /* the client sends no content before a 100 */
  unsigned streaming : 1;    /* the final head went with a data provider (read_data) */
  unsigned cut : 1;          /* aborted after the head: reset once the data has gone */
  /* streamed content (a route flagged HS_ROUTE_STREAMS, exchange.h): the
   * exchange runs at the end of the head; the client's window is opened
   * (nghttp2_session_consume) only as the exchange takes the content */
  unsigned body_stream : 1;
  uint64_t body_rcvd;     /* content bytes delivered to s->body while streaming */
  uint64_t body_consumed; /* of those, given back to the flow-control windows */
};

/* h2_stream.c */
/* A new stream (a recycled one when the connection has one spare), linked
 * into h->streams; NULL when out of memory. */
hs__h2_stream_t *hs__h2_stream_new(hs__h2_t *h, int32_t id);
/* Ends the stream: unlinks it and keeps it as a spare for the next one, or
 * frees it. */
void hs__h2_stream_free(hs__h2_stream_t *s);
/* Frees the connection's spare streams. */
void hs__h2_spares_free(hs__h2_t *h);
/* A header field of the request (copied; limits counted). */
void hs__h2_stream_header(hs__h2_stream_t *s, const uint8_t *name, size_t nlen,
                          const uint8_t *value, size_t vlen);
/* The header section is complete (`has_content`: no END_STREAM on it): builds
 * s->req and admits it (http/admission.h): a 100 is sent, or s->answer_now
 * set when it is refused. Returns 0, or -1 when out of memory. */
int hs__h2_stream_headers_done(hs__h2_stream_t *s, int has_content);
/* Content of the request. */
void hs__h2_stream_data(hs__h2_stream_t *s, const uint8_t *p, size_t n);
/* Gives back to the client's flow-control windows what a streamed exchange
 * has taken (all of it once the exchange is over: `all`). */
void hs__h2_stream_consume(hs__h2_stream_t *s, int all);
/* The streamed content is complete (END_STREAM). */
void hs__h2_stream_body_end(hs__h2_stream_t *s);
/* Runs the exchange (first call: dispatch) as far as it goes now. */
void hs__h2_stream_run(hs__h2_stream_t *s);
/* Is a suspended stream's producer due (its output has drained)? */
int hs__h2_stream_wants_run(const hs__h2_stream_t *s);
/* A tunnel stream (RFC 8441): the peer's DATA bytes, the peer's END_STREAM
 * (eof), the tunnel's timer (ctx->now_ms current) and the server going away.
 * Each ends the stream's own side when the tunnel is done. */
void hs__h2_tunnel_feed(hs__h2_stream_t *s, const uint8_t *p, size_t n);
void hs__h2_tunnel_eof(hs__h2_stream_t *s);
void hs__h2_tunnel_wake(hs__h2_stream_t *s);
void hs__h2_tunnel_going_away(hs__h2_stream_t *s);
/* When the tunnel's timer is due (UINT64_MAX: never). */
uint64_t hs__h2_tunnel_deadline(const hs__h2_stream_t *s);

extern const hs__sink_ops_t hs__h2_sink;

/* h2_session.c: queues a stream for dispatch after the current input. */
void hs__h2_ready(hs__h2_stream_t *s);

/* Back-pressure (--max-output): is the connection's buffered output (frames
 * in h->out and the content its streams hold) at the cap? Then no stream is
 * dispatched and no suspended producer runs until the client reads. */
static inline int hs__h2_output_full(const hs__h2_t *h) {
  return h->buffered + h->out.len >= h->ctx->cfg->max_output;
}

#endif
