/* Micro-benchmark of libhttpstatus: ns per lookup by number, by name, and per
 * full-text search. Prints the median of 7 runs of each. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "httpstatus/registry.h"

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static volatile uintptr_t sink;

#define RUNS 7

/* Runs body `iters` times per run; returns the median ns per iteration. */
#define MEDIAN_NS(iters, body)                                                                     \
  ({                                                                                               \
    double t[RUNS];                                                                                \
    for (int r = 0; r < RUNS; r++) {                                                               \
      double t0 = now_ns();                                                                        \
      for (long i = 0; i < (iters); i++) {                                                         \
        body;                                                                                      \
      }                                                                                            \
      t[r] = (now_ns() - t0) / (double)(iters);                                                    \
    }                                                                                              \
    qsort(t, RUNS, sizeof t[0], cmp_double);                                                       \
    t[RUNS / 2];                                                                                   \
  })

int main(void) {
  static int codes[1024];
  srand(42);
  for (int i = 0; i < 1024; i++)
    codes[i] = 100 + rand() % 500;
  static const char *names[] = {"Not Found",    "TOO_MANY_REQUESTS", "payload too large",
                                "I'm a teapot", "Gateway Timeout",   "OK",
                                "Bad Gateway",  "Moved Temporarily"};
  static const char *queries[] = {"too many", "teapot", "超时",   "gateway timeout",
                                  "redirect", "teapto", "未找到", "authentication required"};
  double by_num = MEDIAN_NS(10000000L, sink += (uintptr_t)hs_lookup(HS_NS_HTTP, codes[i & 1023]));
  double by_name = MEDIAN_NS(1000000L, sink += (uintptr_t)hs_find_name(names[i & 7], -1));
  hs_hit_t hits[10];
  double search = MEDIAN_NS(20000L, sink += hs_search(queries[i & 7], 0, hits, 10));
  double search_typo = MEDIAN_NS(20000L, sink += hs_search("teapto", 0, hits, 10));
  printf("lookup by number : %8.2f ns  (target < 10 ns)\n", by_num);
  printf("lookup by name   : %8.2f ns\n", by_name);
  printf("search (mixed)   : %8.2f ns = %.2f us  (target < 50 us)\n", search, search / 1000);
  printf("search (typo)    : %8.2f ns = %.2f us\n", search_typo, search_typo / 1000);
  return 0;
}
