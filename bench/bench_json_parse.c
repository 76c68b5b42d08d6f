/* The floor for POST /post with a JSON body: CPU time of a bare jansson parse
 * (json_loadb) and dump (json_dumps, compact, sorted keys, ASCII escapes, as
 * httpbin writes "json") of one document, with nothing else around it.
 *   usage: bench_json_parse FILE [ITERATIONS]
 * Prints the median over 7 runs of the process CPU microseconds per
 * parse + dump, and the dumped size (bench/bench_json.sh compares it with the
 * server's CPU time per request). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 7

static double cpu_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Reads the whole file; returns a malloc'd buffer (caller frees) or NULL. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *p = NULL;
  size_t cap = 0, n = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 1 << 16;
      char *q = realloc(p, cap);
      if (!q) {
        free(p);
        fclose(f);
        return NULL;
      }
      p = q;
    }
    size_t k = fread(p + n, 1, cap - n, f);
    if (!k)
      break;
    n += k;
  }
  fclose(f);
  *len = n;
  return p;
}

/* One parse + dump; returns the dumped length, 0 on a parse error. */
static size_t parse_dump(const char *text, size_t len) {
  json_error_t err;
  json_t *v = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
  if (!v)
    return 0;
  char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
  size_t n = s ? strlen(s) : 0;
  free(s);
  json_decref(v);
  return n;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_json_parse FILE [ITERATIONS]\n");
    return 2;
  }
  long iters = argc > 2 ? atol(argv[2]) : 20;
  size_t len;
  char *text = read_file(argv[1], &len);
  if (!text || !parse_dump(text, len)) {
    fprintf(stderr, "bench_json_parse: cannot read or parse %s\n", argv[1]);
    return 1;
  }
  double t[RUNS];
  size_t out = 0;
  for (int r = 0; r < RUNS; r++) {
    double t0 = cpu_us();
    for (long i = 0; i < iters; i++)
      out = parse_dump(text, len);
    t[r] = (cpu_us() - t0) / (double)iters;
  }
  qsort(t, RUNS, sizeof t[0], cmp_double);
  printf("%.1f us per parse+dump of %zu bytes (%zu bytes out)\n", t[RUNS / 2], len, out);
  free(text);
  return 0;
}
