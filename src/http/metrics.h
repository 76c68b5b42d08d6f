/* Prometheus metrics (text exposition format 0.0.4): counters kept per worker
 * without locks and summed when /metrics is scraped.
 *
 * Each worker owns one hs__metrics_t (inside its context) and is the only
 * thread that writes it. A counter is a relaxed atomic 64-bit integer that its
 * owner updates with a plain load and store (hs__mc_add: no locked
 * instruction, two movs on x86-64), so a scrape on another worker's thread
 * reads every counter without a lock and without a data race (ThreadSanitizer
 * sees atomics). A scrape adds the workers' values: each counter is exact,
 * the set is not one instant (a request finishing during the scrape may show
 * in one family and not yet in another), as usual for Prometheus.
 *
 * Adding a family (the gateway's upstream failures by cause, the access log's
 * dropped lines, ...): a counter with at most one label whose values are a
 * fixed list is one line in HS_METRIC_VECS below; the code that counts calls
 * hs__metric_inc(&ctx->metrics, HS_MV_<ID> + index_of_label_value), and the
 * scrape renders it with no other change. Families with their own shape (the
 * requests by code, the histogram, gauges) are fields of hs__metrics_t and a
 * few lines in metrics.c's render(). */
#ifndef HS_HTTP_METRICS_H
#define HS_HTTP_METRICS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* One counter, written by one thread, read by any. */
typedef _Atomic uint64_t hs__mcount_t;

/* Adds n: single writer, so a relaxed load and store (not fetch_add) suffice. */
static inline void hs__mc_add(hs__mcount_t *c, uint64_t n) {
  atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n, memory_order_relaxed);
}

static inline uint64_t hs__mc_get(const hs__mcount_t *c) {
  return atomic_load_explicit((hs__mcount_t *)c, memory_order_relaxed);
}

/* Counter families with one label of fixed values (or none: label "").
 *   X(ID, name without the httpstatus_ prefix, help, label, values '|'-separated, count)
 * The values string and count must agree (a unit test checks). */
#define HS_METRIC_VECS(X)                                                                          \
  X(RECV_BYTES, "received_bytes_total", "Bytes read from clients (TLS records included).", "", "", \
    1)                                                                                             \
  X(SENT_BYTES, "sent_bytes_total", "Bytes written to clients (TLS records included).", "", "", 1) \
  X(CONNS_ACCEPTED, "connections_accepted_total", "Connections accepted, by listener.",            \
    "listener", "http|https|h2c|metrics", 4)                                                       \
  X(TLS_HANDSHAKES, "tls_handshakes_total", "TLS handshakes completed.", "", "", 1)                \
  X(TLS_FAILURES, "tls_handshake_failures_total", "TLS handshakes that failed.", "", "", 1)        \
  X(WS_SESSIONS, "websocket_sessions_total", "WebSocket sessions opened (101 sent).", "", "", 1)   \
  X(WS_CLOSE_SENT, "websocket_close_sent_total", "WebSocket Close frames sent, by close code.",    \
    "code",                                                                                        \
    "1000|1001|1002|1003|1004|1005|1006|1007|1008|1009|1010|1011|1012|1013|1014|1015|3xxx|4xxx|"   \
    "other",                                                                                       \
    19)                                                                                            \
  X(WS_CLOSE_RECV, "websocket_close_received_total",                                               \
    "WebSocket Close frames received, by close code.", "code",                                     \
    "1000|1001|1002|1003|1004|1005|1006|1007|1008|1009|1010|1011|1012|1013|1014|1015|3xxx|4xxx|"   \
    "other",                                                                                       \
    19)                                                                                            \
  X(REFUSALS, "limit_refusals_total",                                                              \
    "Requests and connections refused by a limit (timeouts, sizes, connection count).", "code",    \
    "408|413|414|431|503", 5)

enum {
#define HS_MV_ENUM(id, name, help, label, values, n)                                               \
  HS_MV_##id, HS_MV_##id##_END_ = HS_MV_##id + (n)-1,
  HS_METRIC_VECS(HS_MV_ENUM)
#undef HS_MV_ENUM
      HS_MV_COUNT
};

/* Label values of the per-protocol families: index = proto * 2 + tls. */
#define HS_MPROTO_H1 0
#define HS_MPROTO_H2 1
#define HS_MSLOTS 4
#define HS_MCODE_MIN 100
#define HS_MCODES 500 /* 100-599 */
#define HS_MBUCKETS 12

/* Upper bounds of the request duration histogram's buckets, in ms (+Inf after). */
extern const uint32_t hs__metric_bucket_ms[HS_MBUCKETS];

typedef struct hs__metrics_s {
  hs__mcount_t requests[HS_MSLOTS][HS_MCODES]; /* finished exchanges by logged status */
  hs__mcount_t duration[HS_MBUCKETS + 1];      /* per bucket (not cumulative); last: +Inf */
  hs__mcount_t duration_ms;                    /* sum of the durations */
  hs__mcount_t conns_open[2], conns_closed[2]; /* connections by scheme (0 http, 1 https) */
  hs__mcount_t h2_open[2], h2_closed[2];       /* of which HTTP/2 sessions */
  hs__mcount_t vec[HS_MV_COUNT];               /* the HS_METRIC_VECS families */
} hs__metrics_t;

/* Readiness (/readyz) of the whole process. */
enum { HS_PHASE_STARTING = 0, HS_PHASE_READY, HS_PHASE_DRAINING };

/* Every worker's metrics, for a scrape on any worker. Owned by the server;
 * lives until every worker has stopped. */
typedef struct hs__metrics_set_s {
  hs__metrics_t *const *workers;
  int n;
  atomic_int phase;
  double start_time; /* Unix time the process started, in seconds */
  /* The access log's writer thread (server/log.h) keeps process-wide counts,
   * read at each scrape through this (NULL: no such family): lines written,
   * lines dropped, write() failures. */
  void (*log_counts)(uint64_t *written, uint64_t *dropped, uint64_t *errors);
} hs__metrics_set_t;

static inline void hs__metric_inc(hs__metrics_t *m, int slot) { hs__mc_add(&m->vec[slot], 1); }
static inline void hs__metric_add_n(hs__metrics_t *m, int slot, uint64_t n) {
  hs__mc_add(&m->vec[slot], n);
}

/* Counts one finished exchange: status (100-599, others are dropped),
 * proto HS_MPROTO_*, tls 0/1, and how long it took. */
void hs__metrics_request(hs__metrics_t *m, int status, int proto, int tls, uint64_t ms);

/* Counts a refusal if status is one of the limit codes of HS_MV_REFUSALS. */
void hs__metrics_refusal(hs__metrics_t *m, int status);

/* Counts a WebSocket close code sent (sent = 1) or received; 0 is ignored. */
void hs__metrics_ws_close(hs__metrics_t *m, int sent, unsigned code);

/* Appends the exposition of every worker in `set` (or of `one` alone when
 * set is NULL) to out, in the text format 0.0.4. */
void hs__metrics_render(const hs__metrics_set_t *set, const hs__metrics_t *one, hs__buf_t *out);

#endif
