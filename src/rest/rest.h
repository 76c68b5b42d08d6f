/* The REST playground's state machine, free of I/O: a request (method,
 * path under /rest/, the few header fields that matter, content) goes in, a
 * response (status, fields, content) comes out, and the store in between
 * decides the code: 201 or 409 because the id exists or not, 304 or 412
 * because the version matches or not, 410 because a tombstone is there, 507
 * because the quota is spent. docs/rest.md describes every answer. */
#ifndef HS_REST_REST_H
#define HS_REST_REST_H

#include <stddef.h>
#include <stdint.h>

#include "base/fields.h"
#include "base/sbuf.h"
#include "base/str.h"
#include "rest/store.h"

typedef enum hs__rest_method_e {
  HS__REST_GET = 0,
  HS__REST_HEAD,
  HS__REST_POST,
  HS__REST_PUT,
  HS__REST_PATCH,
  HS__REST_DELETE,
  HS__REST_OTHER
} hs__rest_method_t;

/* A request. Views stay valid during hs__rest_handle; a field that was not
 * sent has ptr NULL. */
typedef struct hs__rest_in_s {
  hs__rest_method_t method;
  hs__str_t path;  /* after "/rest/", not decoded */
  hs__str_t query; /* after '?', not decoded */
  hs__str_t if_match, if_none_match, if_modified_since, if_unmodified_since;
  hs__str_t prefer, content_type, playground, cookie, authorization;
  const char *body;
  size_t body_len;
  int zh;             /* problem details in Chinese (Accept-Language) */
  int64_t now;        /* wall-clock seconds */
  uint64_t random;    /* fresh random bits (ids, namespace cookies) */
  size_t max_depth;   /* deepest JSON nesting accepted */
  const char *client; /* the client's address (rate limits), NUL-terminated */
} hs__rest_in_t;

/* A response: the caller sends status, fields, and body with ctype (ctype
 * NULL: no content), then calls hs__rest_out_free. */
typedef struct hs__rest_out_s {
  int status;
  hs__fields_t fields;
  hs__sbuf_t body;
  const char *ctype;
  int zh;
  char instance[300]; /* the request's path (problem details' "instance") */
} hs__rest_out_t;

/* Answers `in` from `store` into `out` (initialised here). `store` may be
 * NULL when it cannot be opened: every answer that needs it is then 503. */
void hs__rest_handle(hs__rest_store_t *store, const hs__rest_in_t *in, hs__rest_out_t *out);

void hs__rest_out_free(hs__rest_out_t *out);

#endif
