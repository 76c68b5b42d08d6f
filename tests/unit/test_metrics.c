/* Unit tests of the metrics counters and their text exposition
 * (src/http/metrics.c): sums over workers, label values of every family,
 * the histogram's cumulative buckets, the refusal and close-code maps. */
#include <stdlib.h>
#include <string.h>

#include "hs_test.h"
#include "http/metrics.h"

/* The value of the sample line that starts with `prefix` + " ", or -1. */
static double sample(const hs__buf_t *b, const char *prefix) {
  size_t n = strlen(prefix);
  for (const char *p = b->base; p && p < b->base + b->len;) {
    const char *nl = memchr(p, '\n', (size_t)(b->base + b->len - p));
    if ((size_t)(nl - p) > n && memcmp(p, prefix, n) == 0 && p[n] == ' ')
      return strtod(p + n + 1, NULL);
    p = nl ? nl + 1 : NULL;
  }
  return -1;
}

static void render(hs__metrics_t **w, int n, hs__buf_t *out) {
  static hs__metrics_set_t set;
  set.workers = w;
  set.n = n;
  atomic_store(&set.phase, HS_PHASE_READY);
  hs__buf_init(out, NULL);
  hs__buf_lit(out, ""); /* a base even when empty */
  hs__metrics_render(&set, NULL, out);
}

HS_TEST(sums_workers) {
  hs__metrics_t *w[2] = {calloc(1, sizeof(hs__metrics_t)), calloc(1, sizeof(hs__metrics_t))};
  for (int i = 0; i < 3; i++)
    hs__metrics_request(w[0], 418, HS_MPROTO_H2, 1, 0);
  hs__metrics_request(w[1], 418, HS_MPROTO_H2, 1, 7);
  hs__metrics_request(w[1], 418, HS_MPROTO_H1, 0, 20000);
  hs__metrics_request(w[1], 99, HS_MPROTO_H1, 0, 0); /* out of range: dropped */
  hs__buf_t b;
  render(w, 2, &b);
  CHECK_EQ_INT((long long)sample(
                   &b, "httpstatus_requests_total{code=\"418\",proto=\"h2\",scheme=\"https\"}"),
               4);
  CHECK_EQ_INT(
      (long long)sample(
          &b, "httpstatus_requests_total{code=\"418\",proto=\"http/1.1\",scheme=\"http\"}"),
      1);
  CHECK_EQ_INT((long long)sample(&b, "httpstatus_request_duration_seconds_bucket{le=\"0.001\"}"),
               3);
  CHECK_EQ_INT((long long)sample(&b, "httpstatus_request_duration_seconds_bucket{le=\"0.01\"}"), 4);
  CHECK_EQ_INT((long long)sample(&b, "httpstatus_request_duration_seconds_bucket{le=\"10\"}"), 4);
  CHECK_EQ_INT((long long)sample(&b, "httpstatus_request_duration_seconds_bucket{le=\"+Inf\"}"), 5);
  CHECK_EQ_INT((long long)sample(&b, "httpstatus_request_duration_seconds_count"), 5);
  CHECK(sample(&b, "httpstatus_request_duration_seconds_sum") == 20.007, "sum in seconds");
  CHECK(strstr(b.base, "code=\"99\"") == NULL, "code 99 not counted");
  CHECK_EQ_INT((long long)sample(&b, "httpstatus_ready"), 1);
  hs__buf_release(&b);
  free(w[0]);
  free(w[1]);
}

/* Every HS_METRIC_VECS family renders exactly its declared number of values. */
HS_TEST(vec_values_match_counts) {
  hs__metrics_t *w = calloc(1, sizeof(hs__metrics_t));
  hs__buf_t b;
  render(&w, 1, &b);
  struct {
    const char *name;
    int n;
  } fams[] = {
#define HS_MV_NAME(id, name, help, label, values, n) {"httpstatus_" name, n},
      HS_METRIC_VECS(HS_MV_NAME)
#undef HS_MV_NAME
  };
  for (size_t f = 0; f < sizeof fams / sizeof fams[0]; f++) {
    int lines = 0;
    size_t n = strlen(fams[f].name);
    for (const char *p = b.base; p < b.base + b.len; p = strchr(p, '\n') + 1)
      if (strncmp(p, fams[f].name, n) == 0 && (p[n] == ' ' || p[n] == '{'))
        lines++;
    CHECK_EQ_INT(lines, fams[f].n, "%s", fams[f].name);
  }
  hs__buf_release(&b);
  free(w);
}

HS_TEST(refusals_and_close_codes) {
  hs__metrics_t *w = calloc(1, sizeof(hs__metrics_t));
  hs__metrics_refusal(w, 431);
  hs__metrics_refusal(w, 431);
  hs__metrics_refusal(w, 404); /* not a limit */
  hs__metrics_ws_close(w, 1, 1000);
  hs__metrics_ws_close(w, 1, 4001);
  hs__metrics_ws_close(w, 0, 2999);
  hs__metrics_ws_close(w, 0, 0); /* no code: nothing */
  hs__buf_t b;
  render(&w, 1, &b);
  CHECK_EQ_INT((long long)sample(&b, "httpstatus_limit_refusals_total{code=\"431\"}"), 2);
  CHECK_EQ_INT((long long)sample(&b, "httpstatus_limit_refusals_total{code=\"408\"}"), 0);
  CHECK_EQ_INT((long long)sample(&b, "httpstatus_websocket_close_sent_total{code=\"1000\"}"), 1);
  CHECK_EQ_INT((long long)sample(&b, "httpstatus_websocket_close_sent_total{code=\"4xxx\"}"), 1);
  CHECK_EQ_INT((long long)sample(&b, "httpstatus_websocket_close_received_total{code=\"other\"}"),
               1);
  hs__buf_release(&b);
  free(w);
}

static const hs_test_case_t cases[] = {HS_CASE(sums_workers), HS_CASE(vec_values_match_counts),
                                       HS_CASE(refusals_and_close_codes)};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
