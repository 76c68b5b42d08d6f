/* The example exchange of each HTTP code page, as people read it: the request
 * and the response the server really produced for it (the handlers layer runs
 * the request through admission and the pipeline into the in-memory sink and
 * hands the bytes over through hs__ref_set_runner, since the routes live above
 * this layer). Padding and long content are abridged; Date was normalised by
 * the runner, so a page's bytes (and ETag) do not change with the clock. */
#include <stdatomic.h>
#include <stdlib.h>

#include "reference/example.h"

#define SHOWN_CONTENT 2048 /* content bytes a page shows; the JSON form has all */
#define SHOWN_RUN 48       /* a longer run of one byte (padding) is shown abridged */

static _Atomic(hs__ref_runner_t) runner;

void hs__ref_set_runner(hs__ref_runner_t fn) { atomic_store(&runner, fn); }

/* Runs the example of `code` through the registered runner into req / resp.
 * Returns 0, or -1 (no runner, or it could not run). */
static int run(int code, hs__buf_t *req, hs__buf_t *resp) {
  hs__ref_runner_t fn = atomic_load(&runner);
  hs__ref_raw_t raw = {0};
  if (!fn || fn(code, &raw) != 0) {
    free(raw.req);
    free(raw.resp);
    return -1;
  }
  hs__buf_append(req, raw.req, raw.req_len);
  hs__buf_append(resp, raw.resp, raw.resp_len);
  free(raw.req);
  free(raw.resp);
  return 0;
}

/* Where the head of message `p` ends (after its empty line), or n. */
static size_t head_len(const char *p, size_t n) {
  for (size_t i = 0; i + 2 < n; i++)
    if (p[i] == '\n' && p[i + 1] == '\r' && p[i + 2] == '\n')
      return i + 3;
  return n;
}

/* Appends `p` for people: without CR, runs of padding abridged, and at most
 * SHOWN_CONTENT bytes after the head. */
static void shown(hs__buf_t *b, const char *p, size_t n) {
  size_t head = head_len(p, n);
  size_t limit = head < n && n - head > SHOWN_CONTENT ? head + SHOWN_CONTENT : n;
  for (size_t i = 0; i < n && i < limit; i++) {
    size_t run_len = 1;
    while (i + run_len < n && p[i + run_len] == p[i])
      run_len++;
    if (run_len > SHOWN_RUN) {
      hs__buf_printf(b, "%c%c%c%c… (%zu bytes)", p[i], p[i], p[i], p[i], run_len);
      i += run_len - 1;
    } else if (p[i] != '\r') {
      hs__buf_append(b, p + i, 1);
    }
  }
  if (limit < n)
    hs__buf_printf(b, "\n… (%zu more bytes)\n", n - limit);
}

void hs__ref_example_http(hs__buf_t *req, hs__buf_t *resp, const hs_status_t *r, int code) {
  (void)r;
  hs__buf_t q, a;
  hs__buf_init(&q, NULL);
  hs__buf_init(&a, NULL);
  if (run(code, &q, &a) == 0) {
    shown(req, q.base, q.len);
    shown(resp, a.base, a.len);
  }
  hs__buf_release(&q);
  hs__buf_release(&a);
}

int hs__ref_example_raw(hs__buf_t *req, hs__buf_t *resp, int code) { return run(code, req, resp); }
