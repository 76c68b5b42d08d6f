/* Per-worker context shared by the protocol code: configuration, memory pools,
 * the cached Date header, the access log and the random generator. One per event
 * loop, never shared between threads. */
#ifndef HS_HTTP_CTX_H
#define HS_HTTP_CTX_H

#include <stdint.h>
#include <time.h>

#include "base/buf.h"
#include "http/config.h"
#include "http/metrics.h"

struct hs_log_s;
struct hs_route_s;
struct hs_exchange_s;
struct hs_gw_plan_s;

typedef struct hs_ctx_s {
  const hs__config_t *cfg;
  const struct hs_route_s *const *routes; /* route tables the router searches, NULL-terminated */
  hs__pool_t rpool;                       /* read buffers */
  hs__pool_t hpool;                       /* header index arrays (cfg->max_headers entries) */
  hs__pool_t opool;                       /* 16 KiB blocks: output, TLS and HTTP/2 reads */
  hs__buf_t scratch;                      /* body rendering scratch space, reused */
  uint64_t now_ms; /* monotonic ms of the current event (set by the caller) */
  time_t date_sec; /* second the cached strings below describe */
  char date[40];   /* the Date field value: "Sun, 22 Nov 2026 00:43:00 GMT" */
  size_t date_len;
  char clf_time[64]; /* "22/Nov/2026:00:43:00 +0000" */
  char iso_time[64]; /* "2026-11-22T00:43:00Z" */
  /* Called once per finished exchange (the access log), or NULL. */
  void (*on_exchange_end)(struct hs_ctx_s *ctx, const struct hs_exchange_s *x);
  struct hs_log_s *log; /* NULL when the access log is off */
  uint64_t rng;         /* xorshift64* state */
  int draining;         /* graceful shutdown: every response closes */
  int cutting;          /* the drain time is over: exchanges abandoned now were cut by the server */
  uint64_t requests;    /* requests answered */
  /* While draining: HTTP/2 connections with streams get the notice by then. */
  uint64_t goaway_by_ms;
  /* Operations (issue 22): this worker's counters (written by its thread
   * only), every worker's for a scrape (NULL in tests: this one alone), and
   * the routes a --metrics-listen connection may reach (NULL: none). */
  hs__metrics_t metrics;
  const hs__metrics_set_t *mset;
  const struct hs_route_s *const *ops_routes;
  /* The gateway (issue 19): the connection whose event is being handled (set
   * by server/conn.c: a producer woken by upstream I/O resumes it); the
   * proxy that carries out a handler's plan (server/proxy.c; NULL: none),
   * returning 0 when it took x (answered or suspended), or -1 (out of memory:
   * x untouched);
   * and the worker's gateway state it keeps. */
  void *cur_conn;
  int (*proxy_start)(struct hs_exchange_s *x, const struct hs_gw_plan_s *plan);
  void *gw;
  /* What answers a path no route knows (--upstream: forward it), or NULL: 404. */
  void (*fallback)(struct hs_exchange_s *x);
  /* The client certificate of the connection being handled (server/tls.c's
   * hs__tls_client_cert: 1 verified, 0 none, -1 not verified, -2 not asked). */
  int (*client_cert)(struct hs_ctx_s *ctx, char *subj, size_t cap, const char **why);
} hs__ctx_t;

/* Initialises a context (pools empty, date computed). Also runs the process-wide
 * one-time initialisation (status lines, cached bodies). */
void hs__ctx_init(hs__ctx_t *ctx, const hs__config_t *cfg, const struct hs_route_s *const *routes);
void hs__ctx_free(hs__ctx_t *ctx);

/* Refreshes the cached Date strings if the wall-clock second changed. */
void hs__ctx_tick(hs__ctx_t *ctx);

/* A uniformly distributed double in [0, 1). */
double hs__ctx_random(hs__ctx_t *ctx);

/* Size of the header-index block for cfg (used by the header pool). */
size_t hs__ctx_hdr_block(const hs__config_t *cfg);

/* Process-wide tables built once (thread-safe; called by hs__ctx_init). */
void hs__global_init(void);

#endif
