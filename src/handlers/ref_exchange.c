/* The example exchange of each HTTP code page, made by this server: the
 * example request runs through admission and the pipeline into the in-memory
 * sink (http/memsink.h), with the server's own configuration and routes, the
 * first time a page needs it (pages are made once, ref_cache.c). What the
 * page shows is what the server sends; only Date is normalised, so that a
 * page's bytes (and ETag) do not change with the clock. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "handlers/ref_pages.h"
#include "handlers/routes.h"
#include "http/ctx.h"
#include "http/memsink.h"

#define SHOWN_CONTENT 2048 /* content bytes a page shows; the JSON form has all */
#define SHOWN_RUN 48       /* a longer run of one byte (padding) is shown abridged */

static const char fixed_date[] = "Mon, 07 Dec 2026 09:00:00 GMT";

static _Atomic(const hs_config_t *) server_cfg;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static hs__ctx_t ectx; /* the examples' own context, under `lock` */
static int ectx_ready;
static hs_config_t default_cfg;

void hs__ref_example_setup(const hs__ctx_t *ctx) {
  if (!atomic_load_explicit(&server_cfg, memory_order_relaxed))
    atomic_store(&server_cfg, ctx->cfg);
}

/* The example request of `code` (LF line ends): its trigger, else
 * /status/{code}; 414 and 431 padded just past the server's limits. */
static void request_of(hs_buf_t *b, int code, const hs_config_t *cfg) {
  const hs__ref_trigger_t *t = hs__ref_trigger(code);
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

/* Runs the example of `code`: the request as sent (CRLF) in `req`, the
 * response as received in `resp`. Returns 0, or -1 if it could not run. */
static int run(int code, hs_buf_t *req, hs_buf_t *resp) {
  pthread_mutex_lock(&lock);
  const hs_config_t *cfg = atomic_load(&server_cfg);
  if (!cfg) { /* pages made outside a server (tests): the defaults */
    hs__config_defaults(&default_cfg);
    cfg = &default_cfg;
  }
  if (!ectx_ready) {
    hs__ctx_init(&ectx, cfg, hs__handler_routes);
    ectx_ready = 1;
  }
  hs_buf_t text;
  hs__buf_init(&text, NULL);
  request_of(&text, code, cfg);
  hs__mem_crlf(req, text.base, text.len);
  hs__buf_release(&text);
  hs__mem_t m;
  hs__mem_init(&m);
  int rc = hs__mem_run(&ectx, req->base, req->len, &m);
  pthread_mutex_unlock(&lock);
  if (rc == 0) {
    char *d = m.out.len ? memmem(m.out.base, m.out.len, "\nDate: ", 7) : NULL;
    if (d && (size_t)(m.out.base + m.out.len - d) > 7 + sizeof fixed_date - 1)
      memcpy(d + 7, fixed_date, sizeof fixed_date - 1);
    hs__buf_append(resp, m.out.base, m.out.len);
  }
  hs__mem_free(&m);
  return rc;
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
static void shown(hs_buf_t *b, const char *p, size_t n) {
  size_t head = head_len(p, n);
  size_t limit = head < n && n - head > SHOWN_CONTENT ? head + SHOWN_CONTENT : n;
  for (size_t i = 0; i < n && i < limit; i++) {
    size_t run = 1;
    while (i + run < n && p[i + run] == p[i])
      run++;
    if (run > SHOWN_RUN) {
      hs__buf_printf(b, "%c%c%c%c… (%zu bytes)", p[i], p[i], p[i], p[i], run);
      i += run - 1;
    } else if (p[i] != '\r') {
      hs__buf_append(b, p + i, 1);
    }
  }
  if (limit < n)
    hs__buf_printf(b, "\n… (%zu more bytes)\n", n - limit);
}

void hs__ref_example_http(hs_buf_t *req, hs_buf_t *resp, const hs_status_t *r, int code) {
  hs_buf_t q, a;
  hs__buf_init(&q, NULL);
  hs__buf_init(&a, NULL);
  if (run(code, &q, &a) == 0) {
    shown(req, q.base, q.len);
    shown(resp, a.base, a.len);
  }
  hs__buf_release(&q);
  hs__buf_release(&a);
}

int hs__ref_example_raw(hs_buf_t *req, hs_buf_t *resp, int code) { return run(code, req, resp); }
