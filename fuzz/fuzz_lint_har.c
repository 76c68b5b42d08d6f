/* libFuzzer harness for the streaming HAR reader (src/lint/har.c): the input
 * is fed in reads of 1 to 64 bytes (the first byte chooses) so every token
 * crosses buffer edges; a small per-entry arena (512 bytes) makes the limit
 * reachable. Oracle: 0, or -1 with a message; each message's spans lie in
 * the arena's bytes; the findings are within the catalogue. */
#include <stdlib.h>
#include <sys/types.h>

#include "fuzz_harness.h"
#include "lint/lint.h"
#include "lint/read.h"

typedef struct src_s {
  const uint8_t *p;
  size_t n, step;
} src_t;

static ssize_t rd(void *s, char *buf, size_t cap) {
  src_t *x = s;
  size_t k = x->n < cap ? x->n : cap;
  if (k > x->step)
    k = x->step;
  memcpy(buf, x->p, k);
  x->p += k;
  x->n -= k;
  return (ssize_t)k;
}

static int on_msg(void *ud, const hs__lmsg_t *m, size_t index) {
  (void)ud;
  (void)index;
  size_t total = m->reason.n + m->method.n + m->target.n;
  for (size_t i = 0; i < m->nfields; i++)
    total += m->fields[i].name.n + m->fields[i].value.n;
  for (size_t i = 0; i < m->nreq; i++)
    total += m->req_fields[i].name.n + m->req_fields[i].value.n;
  if (total > 512 || m->status > 999)
    abort(); /* every kept string lives in the 512-byte arena */
  hs__lresult_t res;
  hs__lint_message(m, &res);
  for (size_t i = 0; i < res.n; i++)
    if (res.v[i].rule >= HS__L_COUNT)
      abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!size)
    return 0;
  src_t s = {data + 1, size - 1, (size_t)(data[0] % 64) + 1};
  hs__lread_opts_t o;
  hs__lread_opts_init(&o);
  o.max_entry = 512;
  char err[256] = "";
  int rc = hs__lread_har(rd, &s, &o, on_msg, NULL, err, sizeof err);
  if (rc != 0 && (rc != -1 || !err[0]))
    abort();
  return 0;
}
