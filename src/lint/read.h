/* Readers of captured responses for the lint engine: raw HTTP/1.x text (also
 * `curl -i` output), `curl -v` transcripts (read.c), and HAR 1.2 files,
 * streamed (har.c). No I/O of their own except the HAR reader's read
 * callback. */
#ifndef HS_LINT_READ_H
#define HS_LINT_READ_H

#include <stddef.h>
#include <sys/types.h>

#include "lint/lint.h"

typedef struct hs__lread_opts_s {
  size_t max_line;    /* longest header line, bytes (default 65536) */
  size_t max_fields;  /* most header fields in one message (default 1000) */
  size_t max_entry;   /* HAR: most bytes of kept strings per entry (default 1 MiB) */
  const char *method; /* the request's method when the input does not say, or NULL */
  const char *url;    /* the request's URL when the input does not say, or NULL */
} hs__lread_opts_t;

/* Default limits. */
void hs__lread_opts_init(hs__lread_opts_t *o);

/* Called once per response, in order; `index` counts from 0. The message and
 * everything it points to are valid only during the call. A nonzero return
 * stops the reader, which then returns that value. */
typedef int (*hs__lmsg_cb)(void *ud, const hs__lmsg_t *m, size_t index);

/* Reads every response of `buf[0..len)` (raw/curl -i or curl -v text).
 * Returns 0, the callback's nonzero value, or -1 with a message in err. */
int hs__lread_text(const char *buf, size_t len, const hs__lread_opts_t *o, hs__lmsg_cb cb, void *ud,
                   char *err, size_t errlen);

/* Fills buf with up to `cap` bytes; returns the count, 0 at the end, -1 on error. */
typedef ssize_t (*hs__lread_fn)(void *src, char *buf, size_t cap);

/* Streams a HAR file from `rd`, calling `cb` for each log.entries[] response
 * with its request. Memory stays within a 64 KiB buffer plus o->max_entry.
 * Returns 0, the callback's nonzero value, or -1 with a message in err. */
int hs__lread_har(hs__lread_fn rd, void *src, const hs__lread_opts_t *o, hs__lmsg_cb cb, void *ud,
                  char *err, size_t errlen);

#endif
