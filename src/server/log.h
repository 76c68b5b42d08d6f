/* Access log: Combined Log Format (default) or JSON lines, buffered per worker
 * and handed in large chunks (never one per request) to the process's log
 * sink (log_sink.c), whose own thread writes them: a stalled or failing log
 * never blocks a worker. */
#ifndef HS_SERVER_LOG_H
#define HS_SERVER_LOG_H

#include "base/buf.h"
#include "http/ctx.h"
#include "http/request.h"
#include "http/response.h"

typedef struct hs_log_s {
  int fd;
  hs__alog_t fmt;
  hs__buf_t buf;
} hs__log_t;

#define HS_LOG_FLUSH_AT 16384 /* bytes buffered before a write */

/* Prepares a per-worker log writing to fd (shared between workers). */
void hs__log_init(hs__log_t *log, int fd, hs__alog_t fmt);

/* Writes out what is buffered (whole lines; one write per call in practice). */
void hs__log_flush(hs__log_t *log);

/* Flushes and frees the buffer. */
void hs__log_free(hs__log_t *log);

/* Logs a completed exchange (no-op when ctx->log is NULL). */
void hs__log_access(hs__ctx_t *ctx, const hs__exchange_t *x);

/* Logs an error answered before the request was fully parsed; `partial` may
 * hold a method and target. */
void hs__log_error(hs__ctx_t *ctx, const hs__exchange_t *x, const char *peer,
                   const hs__req_t *partial);

/* ---- the sink (log_sink.c) ---- */

/* Starts the writer thread for fd with a buffer of cap bytes. Returns 0, or
 * -1 (then lines are written by the workers themselves, as before). */
int hs__log_sink_start(int fd, size_t cap);

/* Hands whole lines to the writer; never blocks on the descriptor. When the
 * buffer is full (the sink stalls) the lines are dropped and counted.
 * Thread-safe. */
void hs__log_sink_put(int fd, const char *p, size_t n);

/* Stops the writer: what is buffered is written for up to wait_ms, the rest
 * dropped (counted); a writer still blocked then is left behind (the process
 * is ending). */
void hs__log_sink_stop(uint64_t wait_ms);

/* The sink's counters since start, for /metrics and reports. */
typedef struct {
  uint64_t lines_written; /* handed to the descriptor */
  uint64_t lines_dropped; /* the buffer was full, a write failed, or shutdown came */
  uint64_t write_errors;  /* write() failures (ENOSPC, EPIPE, ...) */
} hs__log_stats_t;
void hs__log_stats(hs__log_stats_t *out);

#endif
