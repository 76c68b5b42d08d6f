/* hs_test.h: the unit-test harness of tests/unit/ (one executable per test file).
 *
 * A test file defines named cases and lists them in a table that main() hands
 * to the runner:
 *
 *   HS_TEST(encode_rfc4648) {
 *     CHECK_EQ_STR(enc, "Zm9v");
 *   }
 *   static const hs_test_case_t cases[] = {HS_CASE(encode_rfc4648), ...};
 *   int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
 *
 * A case missing from the table is an unused static function: a warning, and
 * an error in -Werror builds (./test.sh). Cases run in table order, in one
 * process; none may rely on another having run, so any one runs alone (shared
 * set-up, if any, goes in main() before hs_test_main()).
 *
 * Running one case, several, or all (ctest runs each executable without
 * arguments, so every case):
 *   build/tests/unit/test_http1                  every case
 *   build/tests/unit/test_http1 pipelining       one case, by its exact name
 *   build/tests/unit/test_http1 'drip*' cors     every case matching a shell pattern (fnmatch)
 *   build/tests/unit/test_http1 --list ['sse*']  the case names (matching the patterns)
 * Each case prints "ok <name>" or "FAIL <name>"; then comes a summary
 * "<program>: N passed, M failed (K checks)". The exit status is 0 when every
 * case passed, 1 when any failed, 2 for a bad option or for a name or pattern
 * that matches no case (the message says so; --list shows the names).
 *
 * Checks: a failed check prints "file:line: <check as written> failed[: message]"
 * on stderr, the case goes on, and it is reported as FAIL.
 *   CHECK(cond, fmt, ...)       any condition; the printf message says what it means
 *   CHECK_EQ_INT(a, b)          a == b as long long
 *   CHECK_EQ_UINT(a, b)         a == b as unsigned long long
 *   CHECK_EQ_STR(a, b)          NUL-terminated strings (a NULL pointer equals only NULL)
 *   CHECK_EQ_MEM(p, n, q, m)    n bytes at p and m bytes at q: same length, same bytes
 *                               (a NULL pointer equals only NULL)
 * On failure the CHECK_EQ_* checks print both expressions and both values;
 * strings and bytes escaped (\r \n \t \0 \" \\ \xHH) with their lengths and the
 * offset of the first difference, long ones as a window around it. Each
 * CHECK_EQ_* takes an optional printf message after its operands:
 *   CHECK_EQ_INT(d, want, "vector %zu", i);
 * Operands and message arguments are evaluated once; the message arguments only
 * when the check fails. */
#ifndef HS_TEST_H
#define HS_TEST_H

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The message of every check is optional: an omitted one is the format "",
 * which -Wformat (in -Wall) would flag as a zero-length format string. */
#pragma GCC diagnostic ignored "-Wformat-zero-length"

typedef struct {
  const char *name;
  void (*fn)(void);
} hs_test_case_t;

#define HS_TEST(name) static void hs_test_##name(void)
#define HS_CASE(name)                                                                              \
  { #name, hs_test_##name }
#define HS_COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define CHECK(cond, ...)                                                                           \
  do {                                                                                             \
    if (!hs__test_count(!!(cond)))                                                                 \
      hs__test_fail(__FILE__, __LINE__, "CHECK(" #cond ")", "" __VA_ARGS__);                       \
  } while (0)

#define CHECK_EQ_INT(a, b, ...)                                                                    \
  do {                                                                                             \
    long long hs__a = (a), hs__b = (b);                                                            \
    if (!hs__test_count(hs__a == hs__b)) {                                                         \
      hs__test_fail(__FILE__, __LINE__, "CHECK_EQ_INT(" #a ", " #b ")", "" __VA_ARGS__);           \
      hs__test_show_int(#a, hs__a, #b, hs__b);                                                     \
    }                                                                                              \
  } while (0)

#define CHECK_EQ_UINT(a, b, ...)                                                                   \
  do {                                                                                             \
    unsigned long long hs__a = (a), hs__b = (b);                                                   \
    if (!hs__test_count(hs__a == hs__b)) {                                                         \
      hs__test_fail(__FILE__, __LINE__, "CHECK_EQ_UINT(" #a ", " #b ")", "" __VA_ARGS__);          \
      hs__test_show_uint(#a, hs__a, #b, hs__b);                                                    \
    }                                                                                              \
  } while (0)

#define CHECK_EQ_STR(a, b, ...)                                                                    \
  do {                                                                                             \
    const char *hs__a = (a), *hs__b = (b);                                                         \
    size_t hs__n = hs__a ? strlen(hs__a) : 0, hs__m = hs__b ? strlen(hs__b) : 0;                   \
    if (!hs__test_count(hs__test_mem_eq(hs__a, hs__n, hs__b, hs__m))) {                            \
      hs__test_fail(__FILE__, __LINE__, "CHECK_EQ_STR(" #a ", " #b ")", "" __VA_ARGS__);           \
      hs__test_show_mem(#a, hs__a, hs__n, #b, hs__b, hs__m);                                       \
    }                                                                                              \
  } while (0)

#define CHECK_EQ_MEM(p, n, q, m, ...)                                                              \
  do {                                                                                             \
    const void *hs__p = (p), *hs__q = (q);                                                         \
    size_t hs__n = (n), hs__m = (m);                                                               \
    if (!hs__test_count(hs__test_mem_eq(hs__p, hs__n, hs__q, hs__m))) {                            \
      hs__test_fail(__FILE__, __LINE__, "CHECK_EQ_MEM(" #p ", " #n ", " #q ", " #m ")",            \
                    "" __VA_ARGS__);                                                               \
      hs__test_show_mem(#p, hs__p, hs__n, #q, hs__q, hs__m);                                       \
    }                                                                                              \
  } while (0)

/* ---- implementation (one test file per executable includes this) ---- */

static struct {
  long checks, failed_checks;
  int case_failed;
} hs__test;

/* Counts a check; returns ok. */
static inline int hs__test_count(int ok) {
  hs__test.checks++;
  if (!ok) {
    hs__test.failed_checks++;
    hs__test.case_failed = 1;
  }
  return ok;
}

__attribute__((format(printf, 4, 5))) static inline void
hs__test_fail(const char *file, int line, const char *check, const char *fmt, ...) {
  fflush(stdout); /* keep the report in order with "ok"/"FAIL" lines */
  fprintf(stderr, "%s:%d: %s failed", file, line, check);
  if (*fmt) {
    va_list ap;
    va_start(ap, fmt);
    fputs(": ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
  }
  fputc('\n', stderr);
}

/* Width for lining up two expressions (long ones are not padded). */
static inline int hs__test_width(const char *a, const char *b) {
  size_t w = strlen(a) > strlen(b) ? strlen(a) : strlen(b);
  return w > 40 ? 0 : (int)w;
}

static inline void hs__test_show_int(const char *ea, long long a, const char *eb, long long b) {
  int w = hs__test_width(ea, eb);
  fprintf(stderr, "  %-*s = %lld\n  %-*s = %lld\n", w, ea, a, w, eb, b);
}

static inline void hs__test_show_uint(const char *ea, unsigned long long a, const char *eb,
                                      unsigned long long b) {
  int w = hs__test_width(ea, eb);
  fprintf(stderr, "  %-*s = %llu (0x%llx)\n  %-*s = %llu (0x%llx)\n", w, ea, a, a, w, eb, b, b);
}

static inline int hs__test_mem_eq(const void *p, size_t n, const void *q, size_t m) {
  if (!p || !q)
    return p == q;
  return n == m && (n == 0 || memcmp(p, q, n) == 0);
}

enum { HS__TEST_CONTEXT = 64, HS__TEST_SHOWN = 256 }; /* bytes before the difference, shown */

/* One value: `expr = "escaped bytes" (n bytes)`, from byte `from` on. */
static inline void hs__test_show_one(int w, const char *expr, const unsigned char *p, size_t n,
                                     size_t from) {
  fprintf(stderr, "  %-*s = ", w, expr);
  if (!p) {
    fputs("NULL\n", stderr);
    return;
  }
  if (from > n)
    from = n;
  size_t to = n - from > HS__TEST_SHOWN ? from + HS__TEST_SHOWN : n;
  fputs(from ? "...\"" : "\"", stderr);
  for (size_t i = from; i < to; i++) {
    unsigned char c = p[i];
    if (c == '\r')
      fputs("\\r", stderr);
    else if (c == '\n')
      fputs("\\n", stderr);
    else if (c == '\t')
      fputs("\\t", stderr);
    else if (c == '\0') /* \000 when a digit follows: octal escapes stop at 3 digits */
      fputs(i + 1 < to && p[i + 1] >= '0' && p[i + 1] <= '7' ? "\\000" : "\\0", stderr);
    else if (c == '"' || c == '\\')
      fprintf(stderr, "\\%c", c);
    else if (c < 0x20 || c >= 0x7f)
      fprintf(stderr, "\\x%02x", c);
    else
      fputc(c, stderr);
  }
  fprintf(stderr, "\"%s (%zu byte%s)\n", to < n ? "..." : "", n, n == 1 ? "" : "s");
}

static inline void hs__test_show_mem(const char *ea, const void *a, size_t n, const char *eb,
                                     const void *b, size_t m) {
  const unsigned char *p = a, *q = b;
  size_t diff = 0;
  while (p && q && diff < n && diff < m && p[diff] == q[diff])
    diff++;
  size_t from = diff > HS__TEST_CONTEXT ? diff - HS__TEST_CONTEXT : 0;
  int w = hs__test_width(ea, eb);
  hs__test_show_one(w, ea, p, n, from);
  hs__test_show_one(w, eb, q, m, from);
  if (p && q && from)
    fprintf(stderr, "  first difference at byte %zu (shown from byte %zu)\n", diff, from);
  else if (p && q)
    fprintf(stderr, "  first difference at byte %zu\n", diff);
}

static inline void hs__test_usage(FILE *f, const char *prog) {
  fprintf(f,
          "usage: %s [--list] [CASE|PATTERN]...\n"
          "  runs every case, or those named (exact name or shell pattern);\n"
          "  --list prints the case names instead of running them\n",
          prog);
}

/* Runs the cases selected by argv (all without arguments); the exit status. */
static inline int hs_test_main(int argc, char **argv, const hs_test_case_t *cases, size_t n) {
  const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < i; j++)
      if (strcmp(cases[i].name, cases[j].name) == 0) {
        fprintf(stderr, "%s: case %s is listed twice\n", prog, cases[i].name);
        return 2;
      }
  char *selected = calloc(n + 1, 1);
  if (!selected)
    return 2;
  int list = 0, patterns = 0, bad = 0;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--list") == 0) {
      list = 1;
    } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
      hs__test_usage(stdout, prog);
      free(selected);
      return 0;
    } else if (arg[0] == '-') {
      fprintf(stderr, "%s: unknown option %s\n", prog, arg);
      hs__test_usage(stderr, prog);
      bad = 1;
    } else {
      int hit = 0;
      for (size_t c = 0; c < n; c++) {
        if (fnmatch(arg, cases[c].name, 0) == 0) {
          selected[c] = 1;
          hit = 1;
        }
      }
      if (!hit) {
        fprintf(stderr, "%s: no case is named or matches '%s' (%s --list shows them)\n", prog, arg,
                prog);
        bad = 1;
      }
      patterns = 1;
    }
  }
  if (bad) {
    free(selected);
    return 2;
  }
  int passed = 0, failed = 0;
  for (size_t c = 0; c < n; c++) {
    if (patterns && !selected[c])
      continue;
    if (list) {
      printf("%s\n", cases[c].name);
      continue;
    }
    hs__test.case_failed = 0;
    cases[c].fn();
    printf("%s %s\n", hs__test.case_failed ? "FAIL" : "ok", cases[c].name);
    fflush(stdout);
    if (hs__test.case_failed)
      failed++;
    else
      passed++;
  }
  free(selected);
  if (list)
    return 0;
  printf("%s: %d passed, %d failed (%ld check%s", prog, passed, failed, hs__test.checks,
         hs__test.checks == 1 ? "" : "s");
  if (hs__test.failed_checks)
    printf(", %ld failed", hs__test.failed_checks);
  printf(")\n");
  return failed ? 1 : 0;
}

#endif
