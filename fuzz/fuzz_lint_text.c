/* libFuzzer harness for the lint engine's text reader (src/lint/read.c: raw
 * HTTP/1.x, curl -i, curl -v) and every rule (src/lint/check_*.c). Small
 * limits (a 256-byte header line, 32 fields) so inputs of a few KiB reach
 * them. Oracle: the reader returns 0, or -1 with a message; each message has
 * spans inside the input; findings are within the catalogue, each rule at
 * most once, with NUL-terminated details. */
#include <stdlib.h>

#include "fuzz_harness.h"
#include "lint/lint.h"
#include "lint/read.h"

static const char *base;
static size_t base_len;

static void inside(hs__lspan_t s) {
  if (s.n && (s.p < base || s.p + s.n > base + base_len))
    abort();
}

static int on_msg(void *ud, const hs__lmsg_t *m, size_t index) {
  (void)ud;
  (void)index;
  inside(m->reason);
  inside(m->method);
  inside(m->target);
  for (size_t i = 0; i < m->nfields; i++) {
    inside(m->fields[i].name);
    inside(m->fields[i].value);
  }
  for (size_t i = 0; i < m->nreq; i++) {
    inside(m->req_fields[i].name);
    inside(m->req_fields[i].value);
  }
  if (m->nfields > 32 || m->nreq > 32)
    abort();
  hs__lresult_t res;
  hs__lint_message(m, &res);
  if (res.n > HS__LINT_MAX_FINDINGS)
    abort();
  for (size_t i = 0; i < res.n; i++) {
    if (res.v[i].rule >= HS__L_COUNT || !memchr(res.v[i].detail, '\0', sizeof res.v[i].detail))
      abort();
    for (size_t j = 0; j < i; j++)
      if (res.v[j].rule == res.v[i].rule)
        abort();
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* a private copy: the reader may look one byte back but never past the end */
  char *copy = malloc(size ? size : 1);
  memcpy(copy, data, size);
  base = copy;
  base_len = size;
  hs__lread_opts_t o;
  hs__lread_opts_init(&o);
  o.max_line = 256;
  o.max_fields = 32;
  char err[256] = "";
  int rc = hs__lread_text(copy, size, &o, on_msg, NULL, err, sizeof err);
  if (rc != 0 && (rc != -1 || !err[0]))
    abort();
  free(copy);
  return 0;
}
