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
/* ---- exchange.c: the example exchange, made by the server itself ---- */

/* One example exchange as raw HTTP/1.1 bytes: the request as sent (CRLF) and
 * the response as received, each malloc'ed (the caller frees both). */
typedef struct hs__ref_raw_s {
  char *req, *resp;
  size_t req_len, resp_len;
} hs__ref_raw_t;
/* Runs the example request of HTTP `code` through the server's own pipeline
 * into *out. Returns 0, or -1 if it could not run. */
typedef int (*hs__ref_runner_t)(int code, hs__ref_raw_t *out);
/* The layer above (handlers/reference_examples.c) registers the runner: the
 * routes and admission the examples run through live there. */
void hs__ref_set_runner(hs__ref_runner_t fn);
/* Appends the example request and response of HTTP `code` (record `r`) as
 * people read them: lines ending with "\n", padding and long content
 * abridged. Nothing without a runner. */
void hs__ref_example_http(hs__buf_t *req, hs__buf_t *resp, const hs_status_t *r, int code);
/* The same exchange as raw HTTP/1.1 bytes. Returns 0, or -1 if it could not
 * run. */
int hs__ref_example_raw(hs__buf_t *req, hs__buf_t *resp, int code);
/* Appends an example for a non-HTTP record (IIS log line, FTP reply, WS frame). */
void hs__ref_example_other(hs__buf_t *b, const hs_status_t *r);

#endif
