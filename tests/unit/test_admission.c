/* Admission (src/http/admission.c) through the in-memory exchange
 * (src/http/memsink.c): every row of tests/admission/cases.txt, the table
 * that tests/integration/test_admission.py runs over HTTP/1.1 and HTTP/2, is
 * one case here, named as in the table:
 *   build/tests/unit/test_admission                  every row
 *   build/tests/unit/test_admission expect-unknown   one row */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/routes.h"
#include "hs_test.h"
#include "http/ctx.h"
#include "http/memsink.h"

#ifndef HS_ADMISSION_CASES
#error "HS_ADMISSION_CASES: the path of tests/admission/cases.txt"
#endif

#define MAX_ROWS 64
#define NCOLS 9

typedef struct {
  char *col[NCOLS]; /* name method target fields body status 100 allow where */
} row_t;

static row_t rows[MAX_ROWS];
static size_t nrows;
static hs__config_t cfg;
static hs__ctx_t ctx;

static char *trim(char *s) {
  while (*s == ' ')
    s++;
  char *e = s + strlen(s);
  while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\r'))
    *--e = 0;
  return s;
}

/* Reads the table; returns 0, or -1 (with a message) when it is malformed. */
static int load(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    return -1;
  }
  char line[1024];
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n')
      continue;
    if (nrows == MAX_ROWS) {
      fprintf(stderr, "%s: more than %d rows\n", path, MAX_ROWS);
      fclose(f);
      return -1;
    }
    char *s = strdup(line), *p = s;
    row_t *r = &rows[nrows];
    for (int c = 0; c < NCOLS; c++) {
      char *bar = c < NCOLS - 1 ? strstr(p, " | ") : NULL;
      if (c < NCOLS - 1 && !bar) {
        fprintf(stderr, "%s: a row without %d columns: %s", path, NCOLS, line);
        fclose(f);
        return -1;
      }
      if (bar)
        *bar = 0;
      r->col[c] = trim(p);
      p = bar ? bar + 3 : p;
    }
    nrows++;
  }
  fclose(f);
  return 0;
}

/* Under "TLS": a certificate that covers t and localhost only. */
static int covered(const void *arg, hs__str_t a) {
  (void)arg;
  return hs__str_ieq(a, "t", 1) || hs__str_ieq(a, "localhost", 9);
}

/* The row's request as HTTP/1.1 text. */
static void build(const row_t *r, hs__buf_t *b) {
  const char *fields = r->col[3], *body = r->col[4];
  hs__buf_append(b, r->col[1], strlen(r->col[1]));
  hs__buf_lit(b, " ");
  hs__buf_append(b, r->col[2], strlen(r->col[2]));
  hs__buf_lit(b, " HTTP/1.1\r\n");
  if (!strstr(fields, "Host:") && strcmp(fields, "!host") != 0)
    hs__buf_lit(b, "Host: t\r\n");
  if (strcmp(fields, "-") != 0 && strcmp(fields, "!host") != 0) {
    const char *p = fields;
    for (;;) {
      const char *sep = strstr(p, " ^ ");
      size_t n = sep ? (size_t)(sep - p) : strlen(p);
      hs__buf_append(b, p, n);
      hs__buf_lit(b, "\r\n");
      if (!sep)
        break;
      p = sep + 3;
    }
  }
  char content[256] = "";
  int streamed = body[0] == '~';
  if (streamed)
    body++;
  if (strcmp(body, "-") != 0) {
    char *end;
    long n = strtol(body, &end, 10);
    if (end != body && *end && !end[1] && n > 0 && n < (long)sizeof content) {
      memset(content, *end, (size_t)n);
      content[n] = 0;
    } else {
      snprintf(content, sizeof content, "%s", body);
    }
    char cl[64];
    if (streamed)
      snprintf(cl, sizeof cl, "Transfer-Encoding: chunked\r\n");
    else
      snprintf(cl, sizeof cl, "Content-Length: %zu\r\n", strlen(content));
    hs__buf_append(b, cl, strlen(cl));
  }
  hs__buf_lit(b, "\r\n");
  hs__buf_append(b, content, strlen(content));
}

static void run_row(size_t i) {
  const row_t *r = &rows[i];
  hs__buf_t in;
  hs__buf_init(&in, NULL);
  build(r, &in);
  hs__mem_t m;
  hs__mem_init(&m);
  if (strcmp(r->col[8], "tls") == 0)
    m.covered = covered;
  int rc = hs__mem_run(&ctx, in.base, in.len, &m);
  CHECK_EQ_INT(rc, 0, "%s: the in-memory reader takes the request", r->col[0]);
  hs__buf_append(&m.out, "", 1);
  const char *out = m.out.base;
  CHECK_EQ_INT(m.status, atoi(r->col[5]), "%s: final status; response:\n%s", r->col[0], out);
  int want100 = atoi(r->col[6]);
  CHECK_EQ_INT(m.interim_100, want100, "%s: 100 Continue sent", r->col[0]);
  if (want100)
    CHECK(strncmp(out, "HTTP/1.1 100 Continue\r\n\r\n", 25) == 0, "%s: the 100 comes first",
          r->col[0]);
  if (strcmp(r->col[7], "-") != 0) {
    char allow[256];
    snprintf(allow, sizeof allow, "\r\nAllow: %s\r\n", r->col[7]);
    CHECK(strstr(out, allow) != NULL, "%s: %s in\n%s", r->col[0], allow + 2, out);
  }
  if (strcmp(r->col[1], "HEAD") == 0) {
    const char *blank = strstr(out, "\r\n\r\n");
    CHECK(blank && blank[4] == 0, "%s: HEAD gets no content", r->col[0]);
  }
  hs__mem_free(&m);
  hs__buf_release(&in);
}

/* One function per table slot, so that each row is a case of its own. */
#define ROW(a, b)                                                                                  \
  static void row_##a##b(void) { run_row(a * 8 + b); }
#define ROW8(a) ROW(a, 0) ROW(a, 1) ROW(a, 2) ROW(a, 3) ROW(a, 4) ROW(a, 5) ROW(a, 6) ROW(a, 7)
ROW8(0)
ROW8(1)
ROW8(2)
ROW8(3)
ROW8(4)
ROW8(5)
ROW8(6)
ROW8(7)
#define FN8(a)                                                                                     \
  row_##a##0, row_##a##1, row_##a##2, row_##a##3, row_##a##4, row_##a##5, row_##a##6, row_##a##7
static void (*const row_fns[MAX_ROWS])(void) = {FN8(0), FN8(1), FN8(2), FN8(3),
                                                FN8(4), FN8(5), FN8(6), FN8(7)};

int main(int argc, char **argv) {
  if (load(HS_ADMISSION_CASES) != 0)
    return 1;
  hs__config_defaults(&cfg);
  cfg.max_body = 32;
  hs__ctx_init(&ctx, &cfg, hs__handler_routes);
  hs_test_case_t cases[MAX_ROWS];
  for (size_t i = 0; i < nrows; i++) {
    cases[i].name = rows[i].col[0];
    cases[i].fn = row_fns[i];
  }
  int rc = hs_test_main(argc, argv, cases, nrows);
  hs__ctx_free(&ctx);
  return rc;
}
