/* Metrics counting and the Prometheus text exposition (metrics.h). Format:
 * Prometheus "text format 0.0.4": # HELP and # TYPE lines, then one sample
 * per line, label values quoted; histogram buckets cumulative with le="+Inf"
 * equal to _count. */
#include "http/metrics.h"

#include <string.h>

const uint32_t hs__metric_bucket_ms[HS_MBUCKETS] = {1,   5,   10,   25,   50,   100,
                                                    250, 500, 1000, 2500, 5000, 10000};

typedef struct {
  const char *name, *help, *label, *values;
  int base, n;
} vec_t;

static const vec_t vecs[] = {
#define HS_MV_DESC(id, name, help, label, values, n) {name, help, label, values, HS_MV_##id, n},
    HS_METRIC_VECS(HS_MV_DESC)
#undef HS_MV_DESC
};

static const char *const proto_name[2] = {"http/1.1", "h2"};
static const char *const scheme_name[2] = {"http", "https"};

void hs__metrics_request(hs__metrics_t *m, int status, int proto, int tls, uint64_t ms) {
  if (status < HS_MCODE_MIN || status >= HS_MCODE_MIN + HS_MCODES)
    return;
  hs__mc_add(&m->requests[proto * 2 + tls][status - HS_MCODE_MIN], 1);
  int b = 0;
  while (b < HS_MBUCKETS && ms > hs__metric_bucket_ms[b])
    b++;
  hs__mc_add(&m->duration[b], 1);
  if (ms)
    hs__mc_add(&m->duration_ms, ms);
}

void hs__metrics_refusal(hs__metrics_t *m, int status) {
  static const int codes[] = {408, 413, 414, 431, 503};
  for (int i = 0; i < (int)(sizeof codes / sizeof codes[0]); i++)
    if (codes[i] == status) {
      hs__metric_inc(m, HS_MV_REFUSALS + i);
      return;
    }
}

void hs__metrics_ws_close(hs__metrics_t *m, int sent, unsigned code) {
  if (!code)
    return;
  int i = code >= 1000 && code <= 1015   ? (int)(code - 1000)
          : code >= 3000 && code <= 3999 ? 16
          : code >= 4000 && code <= 4999 ? 17
                                         : 18;
  hs__metric_inc(m, (sent ? HS_MV_WS_CLOSE_SENT : HS_MV_WS_CLOSE_RECV) + i);
}

/* The workers' counters to add: the set's, or the one given. */
typedef struct {
  const hs__metrics_t *const *w;
  int n;
} all_t;

static uint64_t sum(const all_t *a, size_t offset) {
  uint64_t s = 0;
  for (int i = 0; i < a->n; i++)
    s += hs__mc_get((const hs__mcount_t *)((const char *)a->w[i] + offset));
  return s;
}

#define SUM(a, field) sum((a), offsetof(hs__metrics_t, field))

static void head(hs__buf_t *out, const char *name, const char *type, const char *help) {
  hs__buf_printf(out, "# HELP httpstatus_%s %s\n# TYPE httpstatus_%s %s\n", name, help, name, type);
}

/* Writes "httpstatus_<name>[{label="value"}] <v>\n". */
static void sample(hs__buf_t *out, const char *name, const char *label, const char *value,
                   size_t vlen, uint64_t v) {
  hs__buf_lit(out, "httpstatus_");
  hs__buf_str(out, name);
  if (label[0]) {
    hs__buf_lit(out, "{");
    hs__buf_str(out, label);
    hs__buf_lit(out, "=\"");
    hs__buf_append(out, value, vlen);
    hs__buf_lit(out, "\"}");
  }
  hs__buf_lit(out, " ");
  hs__buf_u64(out, v);
  hs__buf_lit(out, "\n");
}

static void render_vec(const all_t *a, const vec_t *f, hs__buf_t *out) {
  head(out, f->name, "counter", f->help);
  const char *v = f->values;
  for (int i = 0; i < f->n; i++) {
    const char *bar = strchr(v, '|');
    size_t vlen = bar ? (size_t)(bar - v) : strlen(v);
    size_t off = offsetof(hs__metrics_t, vec) + (size_t)(f->base + i) * sizeof(hs__mcount_t);
    sample(out, f->name, f->label, v, vlen, sum(a, off));
    v = bar ? bar + 1 : v + vlen;
  }
}

static void render_requests(const all_t *a, hs__buf_t *out) {
  head(out, "requests_total", "counter",
       "Requests answered, by status code (as logged), protocol and scheme.");
  for (int s = 0; s < HS_MSLOTS; s++)
    for (int c = 0; c < HS_MCODES; c++) {
      uint64_t v = sum(a, offsetof(hs__metrics_t, requests) +
                              ((size_t)s * HS_MCODES + (size_t)c) * sizeof(hs__mcount_t));
      if (!v)
        continue;
      hs__buf_printf(
          out, "httpstatus_requests_total{code=\"%d\",proto=\"%s\",scheme=\"%s\"} %llu\n",
          c + HS_MCODE_MIN, proto_name[s / 2], scheme_name[s % 2], (unsigned long long)v);
    }
}

static void render_duration(const all_t *a, hs__buf_t *out) {
  head(out, "request_duration_seconds", "histogram",
       "Time from a request's head to the end of its response (ms resolution).");
  uint64_t cum = 0;
  for (int b = 0; b <= HS_MBUCKETS; b++) {
    cum += sum(a, offsetof(hs__metrics_t, duration) + (size_t)b * sizeof(hs__mcount_t));
    if (b < HS_MBUCKETS)
      hs__buf_printf(out, "httpstatus_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                     hs__metric_bucket_ms[b] / 1000.0, (unsigned long long)cum);
    else
      hs__buf_printf(out, "httpstatus_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                     (unsigned long long)cum);
  }
  hs__buf_printf(out, "httpstatus_request_duration_seconds_sum %.3f\n",
                 SUM(a, duration_ms) / 1000.0);
  hs__buf_printf(out, "httpstatus_request_duration_seconds_count %llu\n", (unsigned long long)cum);
}

/* Open connections by protocol: all of a scheme's minus its HTTP/2 sessions
 * (a TLS connection counts as http/1.1 until ALPN chose h2). */
static void render_open(const all_t *a, hs__buf_t *out) {
  head(out, "open_connections", "gauge", "Connections open now, by protocol and scheme.");
  for (int s = 0; s < 2; s++) {
    size_t o = offsetof(hs__metrics_t, h2_open) + (size_t)s * sizeof(hs__mcount_t);
    size_t c = offsetof(hs__metrics_t, h2_closed) + (size_t)s * sizeof(hs__mcount_t);
    uint64_t h2c = sum(a, c), h2o = sum(a, o);
    int64_t h2 = (int64_t)(h2o - h2c);
    o = offsetof(hs__metrics_t, conns_open) + (size_t)s * sizeof(hs__mcount_t);
    c = offsetof(hs__metrics_t, conns_closed) + (size_t)s * sizeof(hs__mcount_t);
    uint64_t cc = sum(a, c), co = sum(a, o);
    int64_t all = (int64_t)(co - cc);
    int64_t h1 = all - h2;
    hs__buf_printf(out, "httpstatus_open_connections{proto=\"http/1.1\",scheme=\"%s\"} %lld\n",
                   scheme_name[s], (long long)(h1 > 0 ? h1 : 0));
    hs__buf_printf(out, "httpstatus_open_connections{proto=\"h2\",scheme=\"%s\"} %lld\n",
                   scheme_name[s], (long long)(h2 > 0 ? h2 : 0));
  }
}

/* The access log's lines by outcome and its write errors (issue 18: a stalled or
 * failing sink drops lines, never requests, and says so here). */
static void render_log(const hs__metrics_set_t *set, hs__buf_t *out) {
  uint64_t written = 0, dropped = 0, errors = 0;
  set->log_counts(&written, &dropped, &errors);
  head(out, "access_log_lines_total", "counter",
       "Access log lines, by outcome: written, or dropped (sink stalled, write failed, "
       "shutdown).");
  hs__buf_printf(out,
                 "httpstatus_access_log_lines_total{outcome=\"written\"} %llu\n"
                 "httpstatus_access_log_lines_total{outcome=\"dropped\"} %llu\n",
                 (unsigned long long)written, (unsigned long long)dropped);
  head(out, "access_log_write_errors_total", "counter",
       "write() failures of the access log (ENOSPC, EPIPE, ...).");
  hs__buf_printf(out, "httpstatus_access_log_write_errors_total %llu\n",
                 (unsigned long long)errors);
}

void hs__metrics_render(const hs__metrics_set_t *set, const hs__metrics_t *one, hs__buf_t *out) {
  all_t a = {set ? (const hs__metrics_t *const *)set->workers : &one, set ? set->n : 1};
  render_requests(&a, out);
  render_duration(&a, out);
  render_open(&a, out);
  for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++)
    render_vec(&a, &vecs[i], out);
  if (set) {
    head(out, "ready", "gauge", "1 while the server accepts traffic (/readyz answers 200).");
    hs__buf_printf(out, "httpstatus_ready %d\n",
                   atomic_load_explicit((atomic_int *)&set->phase, memory_order_relaxed) ==
                       HS_PHASE_READY);
    head(out, "start_time_seconds", "gauge", "Unix time the server started.");
    hs__buf_printf(out, "httpstatus_start_time_seconds %.3f\n", set->start_time);
    if (set->log_counts)
      render_log(set, out);
  }
}
