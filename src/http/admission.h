/* Admission: may a request whose head is complete go on? One decision for
 * every protocol (HTTP/1, HTTP/2), taken when the header section has been
 * read and before any content is: 413 by declared length, 417, the
 * 100-continue decision, Host / :authority validity, 421, CONNECT, and the
 * router's early refusal (404/405/501 before a 100). The protocols keep only
 * their framing; what they refuse for framing reasons (limits while reading)
 * is worded by the same table of refusals below. */
#ifndef HS_HTTP_ADMISSION_H
#define HS_HTTP_ADMISSION_H

#include <stdint.h>

#include "base/str.h"
#include "http/exchange.h"
#include "http/request.h"

struct hs_ctx_s;

/* Every refusal the server words itself before a handler runs: one row each
 * (status, message) in admission.c. */
typedef enum hs__refusal_e {
  HS__R_NONE = 0,
  HS__R_ROUTE,              /* the router answers (404, 405, 501) without the content */
  HS__R_CONTENT_TOO_LARGE,  /* 413, declared or streamed (RFC 9110 §15.5.14) */
  HS__R_HEAD_TOO_LARGE,     /* 431 (RFC 6585 §5) */
  HS__R_TRAILERS_TOO_LARGE, /* 431 */
  HS__R_TOO_MANY_FIELDS,    /* 431 */
  HS__R_URI_TOO_LONG,       /* 414 (RFC 9110 §15.5.15) */
  HS__R_LINE_TOO_LONG,      /* 414 */
  HS__R_METHOD_TOO_LONG,    /* 501 */
  HS__R_EXPECTATION,        /* 417 (RFC 9110 §10.1.1) */
  HS__R_HOST_REPEATED,      /* 400 (RFC 9112 §3.2) */
  HS__R_HOST_MISSING,       /* 400 */
  HS__R_HOST_INVALID,       /* 400 */
  HS__R_TARGET_AUTHORITY,   /* 400: absolute-form authority (RFC 9110 §4.2.1) */
  HS__R_PSEUDO_AUTHORITY,   /* 400: :authority (RFC 9113 §8.3.1) */
  HS__R_CONNECT,            /* 501: we are not a proxy */
  HS__R_TARGET_INVALID,     /* 400 */
  HS__R_ASTERISK,           /* 400: "*" is for OPTIONS only */
  HS__R_MISDIRECTED,        /* 421 (RFC 9110 §15.5.20, RFC 9113 §9.1.1) */
  HS__R_OUT_OF_MEMORY,      /* 503 */
  HS__R_OVERLOADED,         /* 503: over --max-connections (RFC 9110 §15.6.4) */
  HS__R_TRANSFER_CODING,    /* 501: a coding other than chunked (RFC 9112 §6.1) */
  HS__R_CHUNK_EXT_TOO_LONG, /* 413: chunk extensions (RFC 9112 §7.1.1) */
  HS__R_COUNT
} hs__refusal_t;

/* The status (0 for HS__R_NONE and HS__R_ROUTE) and message of a refusal. */
int hs__refusal_status(hs__refusal_t r);
const char *hs__refusal_msg(hs__refusal_t r);

/* Is a refusal about a malformed head (HTTP/1 answers it as a parse error
 * and closes: the rest of the bytes cannot be trusted)? */
int hs__refusal_malformed(hs__refusal_t r);

/* Under TLS: does the connection's certificate cover `authority`? */
typedef int (*hs__admit_cover_fn)(const void *arg, hs__str_t authority);

/* What a protocol noted while reading a head, beyond the hs__req_t. */
typedef struct hs__admit_in_s {
  hs__str_t host;             /* the Host field's value (ptr NULL: none) */
  hs__str_t expect;           /* the Expect field's value (ptr NULL: none) */
  hs__str_t target_authority; /* HTTP/1 absolute-form authority or HTTP/2
                                :authority (ptr NULL: none) */
  /* bytes, not bit-fields: set and read once per request, on its hot path */
  uint8_t nhost;              /* Host fields seen (2: two or more) */
  uint8_t nexpect;            /* Expect fields seen (2: two or more) */
  uint8_t has_content;        /* content follows the head */
  uint8_t pseudo;             /* target_authority is HTTP/2's :authority */
  uint8_t protocol;           /* extended CONNECT: :protocol (RFC 8441 §4) */
  hs__admit_cover_fn covered; /* NULL: no certificate to check (no 421) */
  const void *covered_arg;
} hs__admit_in_t;

typedef enum hs__admit_verdict_e {
  HS__ADMIT_GO = 0,   /* read the content, then run the exchange */
  HS__ADMIT_CONTINUE, /* send 100 (hs__admit_continue), then as GO */
  HS__ADMIT_REFUSE,   /* run the exchange now with `reason`, without the
                         content; a protocol that cannot skip the content
                         (HTTP/1) closes after the answer */
} hs__admit_verdict_t;

typedef struct hs__admit_s {
  hs__admit_verdict_t verdict;
  hs__refusal_t reason; /* with HS__ADMIT_REFUSE */
  uint8_t awaits_100;   /* refused while the client waits for a 100 before
                           sending its content (none is coming) */
} hs__admit_t;

/* Decides about `req` (complete head; sets req->expect_continue when a 100
 * is owed). Checks in order: Host and authority syntax, CONNECT, the target,
 * 413 by Content-Length, Expect (417), 421, then, when the client waits for
 * a 100, whether the router would refuse (then no 100: RFC 9110 §10.1.1). */
hs__admit_t hs__admit(const struct hs_ctx_s *ctx, hs__req_t *req, const hs__admit_in_t *in);

/* Sends 100 Continue for `req` through a protocol's writer (`sink`, `conn`:
 * as the exchange to come will be). RFC 9110 §15.2.1. */
void hs__admit_continue(struct hs_ctx_s *ctx, const hs__req_t *req, const hs__sink_ops_t *sink,
                        void *conn);

/* Puts a refusal into an exchange about to run (hs__exchange_init done):
 * nothing for HS__R_NONE and HS__R_ROUTE (the router answers). */
void hs__admit_refuse_slow(hs__exchange_t *x, hs__refusal_t r);
static inline void hs__admit_refuse(hs__exchange_t *x, hs__refusal_t r) {
  if (r > HS__R_ROUTE)
    hs__admit_refuse_slow(x, r);
}

#endif
