/* Pieces shared by the httpbin-compatible handlers (issue 4): the request
 * description httpbin's get_dict() builds, and sending JSON in httpbin's layout
 * (docs/httpbin-compat.md, "Conventions that hold for every endpoint"). */
#ifndef HS_SERVER_HB_COMMON_H
#define HS_SERVER_HB_COMMON_H

#include <jansson.h>

#include "response.h"

/* Members of hs__hb_request_dict(). */
#define HB_ARGS 0x01u    /* "args": query string, repeated keys as lists */
#define HB_HEADERS 0x02u /* "headers": request headers as httpbin shows them */
#define HB_ORIGIN 0x04u  /* "origin": X-Forwarded-For or the peer address */
#define HB_URL 0x08u     /* "url": scheme://Host/path?query */
#define HB_BODY 0x10u    /* "data", "files", "form", "json" */
#define HB_METHOD 0x20u  /* "method" */

/* New JSON object holding the requested members for x->req, shaped like
 * httpbin's get_dict(). Returns NULL if out of memory; caller owns it. */
json_t *hs__hb_request_dict(hs_exchange_t *x, unsigned members);

/* Writes a complete response: `status`, Content-Type application/json, the body
 * `v` (borrowed) as 2-space indented JSON with sorted keys and a trailing
 * newline. `extra` is NULL or header lines ("Name: value\r\n...") to add. */
void hs__hb_send_json(hs_exchange_t *x, int status, const json_t *v, const char *extra);

#endif
