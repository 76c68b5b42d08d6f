/* Access log: Combined Log Format (default) or JSON lines, buffered per worker
 * and written in large chunks (never one write per request). */
#ifndef HS_SERVER_LOG_H
#define HS_SERVER_LOG_H

#include "base/buf.h"
#include "http/ctx.h"
#include "http/request.h"
#include "http/response.h"

typedef struct hs_log_s {
  int fd;
  hs_alog_t fmt;
  hs_buf_t buf;
} hs__log_t;

#define HS_LOG_FLUSH_AT 16384 /* bytes buffered before a write */

/* Prepares a per-worker log writing to fd (shared between workers). */
void hs__log_init(hs__log_t *log, int fd, hs_alog_t fmt);

/* Writes out what is buffered (whole lines; one write per call in practice). */
void hs__log_flush(hs__log_t *log);

/* Flushes and frees the buffer. */
void hs__log_free(hs__log_t *log);

/* Logs a completed exchange (no-op when ctx->log is NULL). */
void hs__log_access(hs__ctx_t *ctx, const hs_exchange_t *x);

/* Logs an error answered before the request was fully parsed; `partial` may
 * hold a method and target. */
void hs__log_error(hs__ctx_t *ctx, const hs_exchange_t *x, const char *peer,
                   const hs_req_t *partial);

#endif
