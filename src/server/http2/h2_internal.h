/* What the HTTP/2 adapter's files share: not for use outside
 * src/server/http2. */
#ifndef HS_SERVER_H2_INTERNAL_H
#define HS_SERVER_H2_INTERNAL_H

#include <nghttp2/nghttp2.h>

#include "base/buf.h"
#include "base/fields.h"
#include "http/exchange.h"
#include "server/http2/h2.h"

typedef struct hs_h2_stream_s hs_h2_stream_t;

struct hs_h2_s {
  nghttp2_session *session;
  hs__ctx_t *ctx;
  hs_str_t scheme;
  hs_buf_t rbuf;              /* bytes read, handed to nghttp2 at once */
  hs_buf_t out;               /* frames to write */
  hs_h2_stream_t *streams;    /* every stream we hold (doubly linked) */
  hs_h2_stream_t *ready_head; /* complete requests waiting for dispatch, */
  hs_h2_stream_t *ready_tail; /* in the order they completed */
  size_t nstreams;
  uint64_t last_activity_ms;             /* for the idle timeout */
  uint64_t idle_ms;                      /* the idle timeout conn.c gave last */
  uint64_t rst_window_ms;                /* start of the current one-second window, */
  unsigned rst_count;                    /* and the RST_STREAM frames received in it */
  unsigned continuations;                /* CONTINUATION frames of the header block in progress */
  hs_authority_check_fn authority_check; /* under TLS (proto.h); NULL: no check */
  const void *authority_arg;
  char authority_ok[64];   /* the last :authority the check accepted (most */
  size_t authority_ok_len; /* requests of a connection name the same one) */
  hs_h2_stream_t *spare;   /* closed streams kept for reuse, with their storage */
  int32_t max_client_id;   /* the highest stream the client opened, and which of */
  uint64_t opened[4];      /* the 256 odd ids up to it it did open (bit per id) */
  unsigned nspare;
  uint64_t settings_sent_ms; /* our SETTINGS left then; unacknowledged until settings_acked */
  unsigned settings_acked : 1;
  unsigned goaway_sent : 1;
  unsigned failed : 1; /* nghttp2 reported a fatal error: close */
  char peer[64];
};

struct hs_h2_stream_s {
  /* storage kept when the stream is recycled for the next one (emptied,
   * not freed): most streams then allocate nothing */
  hs_fields_t fields;   /* header fields as received (pseudo-headers too) */
  hs_fields_t head;     /* the response head being built (":status" first) */
  hs_fields_t trailers; /* the response's trailer fields */
  hs_hdr_t *hdrs;       /* views into `fields`, once the header section is complete */
  size_t hdrs_cap;
  nghttp2_nv *nv; /* the head or trailers as nghttp2 takes them */
  size_t nv_cap;
  hs_buf_t body; /* the request's content */
  hs_buf_t data; /* content not yet taken by nghttp2 */
  /* everything from here on starts zeroed for every stream */
  hs_h2_t *h2;
  int32_t id;
  hs_h2_stream_t *prev, *next; /* h2->streams */
  hs_h2_stream_t *ready_next;
  /* the request */
  size_t header_bytes;
  hs_req_t req;
  int refusal; /* decided while receiving (413, 431), answered at dispatch */
  const char *refusal_msg;
  /* the exchange and its response */
  hs_exchange_t x;
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
};

/* h2_stream.c */
/* A new stream (a recycled one when the connection has one spare), linked
 * into h->streams; NULL when out of memory. */
hs_h2_stream_t *hs__h2_stream_new(hs_h2_t *h, int32_t id);
/* Ends the stream: unlinks it and keeps it as a spare for the next one, or
 * frees it. */
void hs__h2_stream_free(hs_h2_stream_t *s);
/* Frees the connection's spare streams. */
void hs__h2_spares_free(hs_h2_t *h);
/* A header field of the request (copied; limits counted). */
void hs__h2_stream_header(hs_h2_stream_t *s, const uint8_t *name, size_t nlen, const uint8_t *value,
                          size_t vlen);
/* The header section is complete: builds s->req. Returns 0, or -1 when the
 * request cannot be served (the stream was reset). */
int hs__h2_stream_headers_done(hs_h2_stream_t *s);
/* Content of the request. */
void hs__h2_stream_data(hs_h2_stream_t *s, const uint8_t *p, size_t n);
/* Runs the exchange (first call: dispatch) as far as it goes now. */
void hs__h2_stream_run(hs_h2_stream_t *s);
/* Is a suspended stream's producer due (its output has drained)? */
int hs__h2_stream_wants_run(const hs_h2_stream_t *s);

extern const hs_sink_ops_t hs__h2_sink;

/* h2_session.c: queues a stream for dispatch after the current input. */
void hs__h2_ready(hs_h2_stream_t *s);

#endif
