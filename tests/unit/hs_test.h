/* Minimal unit-test helpers: CHECK counts failures and prints where they happened;
 * hs_test_summary() prints "N passed, N failed" and returns the exit status. */
#ifndef HS_TEST_H
#define HS_TEST_H

#include <stdio.h>

static int hs_test_pass, hs_test_fail;

#define CHECK(cond, ...)                                                                           \
  do {                                                                                             \
    if (cond) {                                                                                    \
      hs_test_pass++;                                                                              \
    } else {                                                                                       \
      hs_test_fail++;                                                                              \
      fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond);                     \
      fprintf(stderr, __VA_ARGS__);                                                                \
      fputc('\n', stderr);                                                                         \
    }                                                                                              \
  } while (0)

static inline int hs_test_summary(const char *name) {
  printf("%s: %d passed, %d failed\n", name, hs_test_pass, hs_test_fail);
  return hs_test_fail ? 1 : 0;
}

#endif
