/* Reading an upstream's HTTP/1.x response (RFC 9112) from bytes that may be
 * hostile: status line, header section (bounded), framing (Content-Length,
 * chunked with trailers, or until close), and interim 1xx heads. No I/O: the
 * caller hands in what it read and gets one event at a time, like a pull
 * parser, so a proxy can stop between events (back-pressure) and a fuzzer can
 * drive it with any split of the input.
 *
 * Anything this parser accepts is safe to pass on: field names are tokens,
 * values have no CR, LF or NUL, the framing is unambiguous (Content-Length
 * with Transfer-Encoding, conflicting lengths, codings other than chunked and
 * obs-fold are refused, as nginx refuses them with 502). */
#ifndef HS_GATEWAY_RESP_PARSE_H
#define HS_GATEWAY_RESP_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "base/str.h"
#include "gateway/failure.h"

typedef enum hs_up_ev_e {
  HS_UP_NEED_MORE = 0, /* every byte given was used: read more */
  HS_UP_HEAD,          /* a response head (p->status; 1xx: another head follows) */
  HS_UP_DATA,          /* *data holds content bytes */
  HS_UP_TRAILERS,      /* p->fields now holds the trailer fields */
  HS_UP_END,           /* the response is complete */
  HS_UP_ERROR          /* p->error says why; nothing more can be read */
} hs__up_ev_t;

typedef enum hs_up_framing_e {
  HS_UP_NO_BODY = 0, /* 1xx, 204, 304, or a response to HEAD */
  HS_UP_LENGTH,      /* Content-Length */
  HS_UP_CHUNKED,     /* Transfer-Encoding: chunked */
  HS_UP_UNTIL_CLOSE  /* no length: the content ends when the connection does */
} hs__up_framing_t;

typedef struct hs_up_parser_s {
  int state;
  int status;        /* of the last head */
  int minor;         /* HTTP/1.minor of the last head */
  hs__str_t reason;  /* its reason phrase (view into head) */
  hs__hdr_t *fields; /* head or trailer fields, views into `head` */
  size_t nfields;
  hs__up_framing_t framing; /* of the final head */
  uint64_t length;          /* Content-Length (HS_UP_LENGTH) */
  int keep_alive;           /* the connection may carry another request afterwards */
  hs__gw_cause_t error;     /* after HS_UP_ERROR */
  /* limits and what the request was */
  size_t max_head;   /* bytes of one head (or trailer section) */
  size_t max_fields; /* field lines in one head */
  int head_request;  /* the request was HEAD: no content follows any head */
  /* internal */
  char *head; /* the head being read (owned) */
  size_t head_len;
  uint64_t left; /* content bytes left (length, or of this chunk) */
  size_t ext_len;
  int digits;
  uint64_t total; /* content bytes seen */
} hs__up_parser_t;

/* Prepares p for one response (max_head bytes per head, max_fields lines;
 * head_request: the request was HEAD). Returns 0 or -1 (out of memory). */
int hs__up_init(hs__up_parser_t *p, size_t max_head, size_t max_fields, int head_request);

/* Reads from in[0..n): sets *used to the bytes consumed and returns the next
 * event; for HS_UP_DATA, *data views the content (inside `in`). Call again
 * with the rest of the input until it says HS_UP_NEED_MORE (all used). */
hs__up_ev_t hs__up_parse(hs__up_parser_t *p, const char *in, size_t n, size_t *used,
                         hs__str_t *data);

/* The upstream closed its side: HS_UP_END when that ends the content
 * (HS_UP_UNTIL_CLOSE, or after END), else HS_UP_ERROR with the cause
 * (HS_GW_EMPTY before any head byte, HS_GW_MALFORMED in a partial head,
 * HS_GW_BODY_CLOSED in the content). */
hs__up_ev_t hs__up_eof(hs__up_parser_t *p);

/* Has any byte of a response been seen? */
int hs__up_started(const hs__up_parser_t *p);

/* Has the response been read to its end? */
int hs__up_done(const hs__up_parser_t *p);

/* Frees what p holds. */
void hs__up_free(hs__up_parser_t *p);

#endif
