/* The lint engine: one HTTP response (with what is known of its request) in,
 * findings out. No I/O and no allocation: the caller owns every byte the
 * message points to and the findings array (RFC 9110, 9111, 9112, 9113). */
#ifndef HS_LINT_LINT_H
#define HS_LINT_LINT_H

#include <stddef.h>
#include <stdint.h>

#include "lint/rules.h"

/* A byte range of the caller's buffer. */
typedef struct hs__lspan_s {
  const char *p;
  size_t n;
} hs__lspan_t;

#define HS__LF_SPACE_COLON 0x1u /* "Name : value" */
#define HS__LF_FOLDED 0x2u      /* the value continued on the next line */

typedef struct hs__lfield_s {
  hs__lspan_t name, value;
  uint32_t flags; /* HS__LF_* */
} hs__lfield_t;

/* One response as read from a capture, a HAR entry or a live request. */
typedef struct hs__lmsg_s {
  int line_ok;        /* the status line had the HTTP/1 shape */
  int vmaj, vmin;     /* 1.0, 1.1, 2.0, 3.0; vmaj 0 = unknown */
  int status;         /* 100-999, or -1 when the line did not parse */
  hs__lspan_t reason; /* may be empty */
  const hs__lfield_t *fields;
  size_t nfields;
  size_t header_bytes; /* size of the header section (status line included) */
  int64_t body_len;    /* content bytes exactly as received, -1 unknown */
  int body_seen;       /* some content arrived (even if body_len is unknown) */
  int final_follows;   /* 1xx: a later response to the same request exists */
  /* What is known of the request (method.n == 0: unknown). */
  hs__lspan_t method;
  hs__lspan_t target; /* request-target or absolute URL as given */
  const hs__lfield_t *req_fields;
  size_t nreq;
  int req_known; /* the request's header fields are known (an absent one is absent) */
  int tls;       /* 1 https, 0 plain http, -1 unknown */
} hs__lmsg_t;

/* One finding: a rule and a short detail (the offending value, cut and made
 * printable). */
typedef struct hs__lfinding_s {
  hs__lint_id_t rule;
  char detail[96];
} hs__lfinding_t;

#define HS__LINT_MAX_FINDINGS 64

typedef struct hs__lresult_s {
  hs__lfinding_t v[HS__LINT_MAX_FINDINGS];
  size_t n;
  uint64_t seen[(HS__L_COUNT + 63) / 64]; /* each rule is reported once a message */
} hs__lresult_t;

/* Runs every rule over `m`; the findings replace res's contents, in catalogue
 * order of the checks that ran. */
void hs__lint_message(const hs__lmsg_t *m, hs__lresult_t *res);

/* The most severe finding's severity, or -1 for none. */
int hs__lint_worst(const hs__lresult_t *res);

#endif
