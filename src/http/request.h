/* A parsed HTTP request: views ({ptr,len}) into the connection's read buffer,
 * valid until the response to it has been produced. */
#ifndef HS_HTTP_REQUEST_H
#define HS_HTTP_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "base/str.h"

/* Methods the server implements (RFC 9110 §9 + PATCH, RFC 5789). Anything else
 * that is a valid token is HS_M_OTHER and answered 501. */
typedef enum hs_method_e {
  HS_M_GET = 0,
  HS_M_HEAD,
  HS_M_POST,
  HS_M_PUT,
  HS_M_DELETE,
  HS_M_CONNECT,
  HS_M_OPTIONS,
  HS_M_TRACE,
  HS_M_PATCH,
  HS_M_OTHER,
  HS_M_COUNT
} hs__method_t;

#define HS_MBIT(m) (1u << (m))
/* Every method the server implements except CONNECT. */
#define HS_M_ALL_BITS                                                                              \
  (HS_MBIT(HS_M_GET) | HS_MBIT(HS_M_HEAD) | HS_MBIT(HS_M_POST) | HS_MBIT(HS_M_PUT) |               \
   HS_MBIT(HS_M_DELETE) | HS_MBIT(HS_M_OPTIONS) | HS_MBIT(HS_M_TRACE) | HS_MBIT(HS_M_PATCH))
#define HS_ALLOW_ALL "GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH"

typedef struct hs_req_s {
  hs__method_t method;
  hs__str_t method_name; /* the token as sent */
  hs__str_t target;      /* request-target as sent */
  hs__str_t path;        /* path part (absolute-form authority removed), no query */
  hs__str_t query;       /* after '?', may be empty */
  hs__str_t scheme;      /* "http" or "https": what the connection carries (RFC 9110 §4.2) */
  hs__str_t authority;   /* Host field value, or the absolute-form authority (RFC 9110 §7.2) */
  hs__hdr_t *headers;    /* header fields in order (trailers not included) */
  size_t nheaders;
  const char *body; /* request content (de-chunked) */
  size_t body_len;
  uint64_t content_length; /* declared Content-Length (when has_clen) */
  uint8_t major, minor;    /* HTTP version */
  unsigned keep_alive : 1; /* the connection may carry another request */
  unsigned has_clen : 1;
  unsigned chunked : 1;
  unsigned expect_continue : 1; /* Expect: 100-continue (HTTP/1.1 only) */
  unsigned asterisk : 1;        /* request-target "*" */
  /* Frequently used fields, found while parsing (empty if absent). */
  hs__str_t accept;
  hs__str_t accept_language;
  hs__str_t user_agent;
  hs__str_t referer;
  hs__str_t upgrade;
  hs__str_t protocol; /* :protocol of an HTTP/2 extended CONNECT (RFC 8441 §4), or none */
  const char *peer;   /* client address, for the log */
  hs__str_t origin;   /* first Origin field (CORS), ptr NULL if absent */
} hs__req_t;

/* Name of a method we implement ("GET") and its length. */
const char *hs__method_name(hs__method_t m);
size_t hs__method_name_len(hs__method_t m);

/* Sets r->path and r->query from an origin-form target (RFC 9112 §3.2.1):
 * the path up to '?' or '#', the query up to '#'. Views into `t`. */
void hs__req_set_path(hs__req_t *r, hs__str_t t);

/* Records field `hd` in r's shortcuts when it is one the server reads often
 * (Accept, Accept-Language, Origin (the first), Referer, Upgrade,
 * User-Agent). Returns HS_NOTE_HOST or HS_NOTE_EXPECT for those two fields,
 * whose rules belong to the protocol, else 0. */
enum { HS_NOTE_OTHER = 0, HS_NOTE_HOST, HS_NOTE_EXPECT };
int hs__req_note_field(hs__req_t *r, const hs__hdr_t *hd);

/* Does the comma-separated field value `v` (may be NULL) hold `token`,
 * compared case-insensitively (RFC 9110 §5.6.1)? */
int hs__field_has_token(const hs__str_t *v, const char *token);

/* Value of the first header field named `name` (case-insensitive), or NULL. */
const hs__str_t *hs__req_header(const hs__req_t *r, const char *name);

/* Finds query parameter `key` (exact match on the raw key). Returns 1 and sets
 * *val to the raw (still percent-encoded) value, or 0. */
int hs__req_query(const hs__req_t *r, const char *key, hs__str_t *val);

#endif
