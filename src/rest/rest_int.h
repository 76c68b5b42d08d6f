/* What the files of the REST state machine share (not used outside
 * src/rest/): one request's context and the helpers they all call. */
#ifndef HS_REST_REST_INT_H
#define HS_REST_REST_INT_H

#include <jansson.h>

#include "rest/problem.h"
#include "rest/rest.h"

#define HS__REST_NAME_MAX 128

/* One request being answered. */
typedef struct hs__rest_cx_s {
  hs__rest_store_t *st;
  const hs__rest_in_t *in;
  hs__rest_out_t *out;
  char ns[HS__REST_NAME_MAX + 1];
  char coll[HS__REST_NAME_MAX + 1];
  char id[HS__REST_NAME_MAX + 1];
  json_t *cfg; /* the collection's configuration, or NULL */
} hs__rest_cx_t;

/* 1 if s[0..n) is a valid collection or item name: 1-128 of
 * [A-Za-z0-9._~-], not "." or "..". */
int hs__rest_name_ok(const char *s, size_t n);

/* Parses the request content as a JSON document, after checking that its
 * Content-Type is one of `ctypes` (a NULL-terminated list; the first is
 * named in Accept-Post / Accept-Patch by the caller). Returns the document
 * (caller owns) or NULL with the problem answer (400/415) set. */
json_t *hs__rest_body(hs__rest_cx_t *cx, const char *const *ctypes, const char *accept_field);

/* Appends an IMF-fixdate (RFC 9110 §5.6.7) for `t` to buf[32]. */
void hs__rest_httpdate(int64_t t, char buf[32]);

/* Parses an HTTP-date (IMF-fixdate); returns 0 and sets *t, or -1. */
int hs__rest_parse_httpdate(hs__str_t v, int64_t *t);

/* RFC 9110 §13.1.1/§13.1.2: does the field value (a list of entity tags or
 * "*") match the strong tag `etag` (NULL: no current representation)? Weak
 * tags never match If-Match (strong comparison); If-None-Match compares
 * weakly, as `weak` says. */
int hs__rest_etag_match(hs__str_t field, const char *etag, int weak);

/* Answers a store error (404, 410, 412, 503, 507...) as a problem. */
void hs__rest_store_error(hs__rest_cx_t *cx, int rc);

/* Sends a stored representation with its validators. */
void hs__rest_send_item(hs__rest_cx_t *cx, int status, const hs__rest_item_t *it);

/* Validates doc against the collection's "schema": 0, or -1 with a 422
 * problem listing each error with its JSON Pointer (RFC 9457 §3). */
int hs__rest_validate(hs__rest_cx_t *cx, const json_t *doc);

/* Serialises a document compactly, keys in their order: malloc'd text. */
char *hs__rest_dump(const json_t *doc, size_t *len);

/* The item and list operations (rest_items.c, rest_list.c). */
void hs__rest_item(hs__rest_cx_t *cx);
void hs__rest_collection(hs__rest_cx_t *cx);

/* POST: creates `doc` (borrowed) in the collection, readable after `delay`
 * seconds (0: at once, 201; else 202 and a job) (rest_items.c). */
void hs__rest_create(hs__rest_cx_t *cx, json_t *doc, int64_t delay);

/* GET /rest/_jobs/{id}: 200 {"status":"running"} + Retry-After until the
 * asynchronous create is due, then 303 to the item (cx->id is the job). */
void hs__rest_job(hs__rest_cx_t *cx);

#endif
