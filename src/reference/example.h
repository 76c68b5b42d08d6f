/* The example exchange of a code page and the request that really
 * triggers a code (example.c). */
#ifndef HS_REFERENCE_EXAMPLE_H
#define HS_REFERENCE_EXAMPLE_H

#include "base/buf.h"
#include "httpstatus/registry.h"

/* How a browser can make this server answer with an HTTP code. */
typedef struct hs__ref_trigger_s {
  const char *method; /* "GET" */
  const char *path;   /* "/status/404" is built when NULL */
  const char *hname;  /* one request header, or NULL */
  const char *hvalue;
  int browser_ok; /* 0: fetch() cannot send it (Expect, a long URI): try-it uses /status/{code} */
} hs__ref_trigger_t;

/* The real trigger of HTTP `code`, or NULL when /status/{code} is the way. */
const hs__ref_trigger_t *hs__ref_trigger(int code);
/* Appends the example request and response of HTTP record `r` as raw HTTP/1.1
 * text (lines end with "\n" here; the page shows them), request first. */
void hs__ref_example_http(hs_buf_t *req, hs_buf_t *resp, const hs_status_t *r, int code);
/* Appends an example for a non-HTTP record (IIS log line, FTP reply, WS frame). */
void hs__ref_example_other(hs_buf_t *b, const hs_status_t *r);

#endif
