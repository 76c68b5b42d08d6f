/* The runner of the reference pages' example exchanges (reference/example.h):
 * the example request of a code runs through admission and the pipeline into
 * the in-memory sink (http/memsink.h), with the server's own configuration and
 * routes, the first time a page needs it (pages are made once,
 * reference/cache.c). What the page shows is what the server sends; only Date
 * is normalised, so that a page's bytes (and ETag) do not change with the
 * clock. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <stdlib.h>

#include "handlers/reference_examples.h"
#include "handlers/routes.h"
#include "http/ctx.h"
#include "http/memsink.h"
#include "reference/example.h"

static const char fixed_date[] = "Mon, 07 Dec 2026 09:00:00 GMT";

static _Atomic(const hs__config_t *) server_cfg;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static hs__ctx_t ectx; /* the examples' own context, under `lock` */
static int ectx_ready;

static int run(int code, hs__ref_raw_t *out);

void hs__ref_example_setup(const hs__ctx_t *ctx) {
  if (!atomic_load_explicit(&server_cfg, memory_order_relaxed)) {
    atomic_store(&server_cfg, ctx->cfg);
    hs__ref_set_runner(run);
  }
}

/* The example request of `code` (LF line ends): its trigger, else
 * /status/{code}; 414 and 431 padded just past the server's limits. */
static void request_of(hs__buf_t *b, int code, const hs__config_t *cfg) {
  const hs__ref_trigger_t *t = hs__ref_trigger(code);
  /* a gateway trigger needs real sockets (the proxy), which the in-memory
   * pipeline has not: the example shows what /status/{code} sends */
  if (t && strncmp(t->path, "/gateway/", 9) == 0)
    t = NULL;
  if (!t) {
    hs__buf_printf(b, "GET /status/%d HTTP/1.1\nHost: localhost\n\n", code);
    return;
  }
  hs__buf_printf(b, "%s %s", t->method, t->path);
  if (code == 414)
    for (size_t n = strlen(t->path); n <= cfg->max_uri; n++)
      hs__buf_lit(b, "a");
  hs__buf_lit(b, " HTTP/1.1\nHost: localhost\n");
  if (t->hname) {
    hs__buf_printf(b, "%s: %s", t->hname, t->hvalue);
    if (code == 431)
      for (size_t n = 0; n <= cfg->max_header_size; n++)
        hs__buf_lit(b, "a");
    hs__buf_lit(b, "\n");
  }
  hs__buf_lit(b, "\n");
}

/* Runs the example of `code` (hs__ref_runner_t): the request as sent (CRLF)
 * and the response as received, malloc'ed into *out. Returns 0 or -1. */
static int run(int code, hs__ref_raw_t *out) {
  pthread_mutex_lock(&lock);
  const hs__config_t *cfg = atomic_load(&server_cfg); /* set before the runner is */
  if (!ectx_ready) {
    hs__ctx_init(&ectx, cfg, hs__handler_routes);
    ectx_ready = 1;
  }
  hs__buf_t text, req;
  hs__buf_init(&text, NULL);
  hs__buf_init(&req, NULL);
  request_of(&text, code, cfg);
  hs__mem_crlf(&req, text.base, text.len);
  hs__buf_release(&text);
  hs__mem_t m;
  hs__mem_init(&m);
  int rc = hs__mem_run(&ectx, req.base, req.len, &m);
  pthread_mutex_unlock(&lock);
  if (rc == 0) {
    char *d = m.out.len ? memmem(m.out.base, m.out.len, "\nDate: ", 7) : NULL;
    if (d && (size_t)(m.out.base + m.out.len - d) > 7 + sizeof fixed_date - 1)
      memcpy(d + 7, fixed_date, sizeof fixed_date - 1);
    out->req = malloc(req.len ? req.len : 1);
    out->resp = malloc(m.out.len ? m.out.len : 1);
    if (!out->req || !out->resp) {
      rc = -1;
    } else {
      memcpy(out->req, req.base, req.len);
      memcpy(out->resp, m.out.base, m.out.len);
      out->req_len = req.len;
      out->resp_len = m.out.len;
    }
  }
  hs__buf_release(&req);
  hs__mem_free(&m);
  return rc;
}
