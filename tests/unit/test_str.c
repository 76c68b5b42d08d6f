/* str: the shared byte-level parsers of src/base/str.h (tokens, OWS, Python's
 * int(), weighted lists), compared with what CPython 3.11 int() answers and
 * with RFC 9110 §12.4.2's qvalue grammar. */
#include <limits.h>
#include <string.h>

#include "base/str.h"
#include "hs_test.h"

HS_TEST(pyint) {
  static const struct {
    const char *in;
    int rc;
    long v;
  } T[] = {
      {"0", 0, 0},
      {"42", 0, 42},
      {" \t\n42\r\v\f", 0, 42},
      {"+7", 0, 7},
      {"-7", 0, -7},
      {"1_000", 0, 1000},
      {"0000000000000000000000000000000000005", 0, 5},
      {"99999999999999999999999", 0, LONG_MAX},
      {"-99999999999999999999999", 0, -LONG_MAX},
      {"", -1, 0},
      {"  ", -1, 0},
      {"+", -1, 0},
      {"- 1", -1, 0},
      {"1__0", -1, 0},
      {"_1", -1, 0},
      {"1_", -1, 0},
      {"0x10", -1, 0},
      {"1.5", -1, 0},
      {"1 2", -1, 0},
  };
  for (size_t i = 0; i < HS_COUNT(T); i++) {
    long v = -12345;
    int rc = hs__parse_pyint(T[i].in, strlen(T[i].in), &v);
    CHECK_EQ_INT(rc, T[i].rc, "int(%s)", T[i].in);
    if (rc == 0)
      CHECK(v == T[i].v, "int(%s) = %ld", T[i].in, v);
  }
}

HS_TEST(qlist) {
  const char *list = " gzip;q=0.5 , ,br, deflate;q=1.5, zstd ; q = 0.25 ;x=y, x;q=abc, *;Q=0";
  static const struct {
    const char *v;
    int q;
  } want[] = {{"gzip", 500}, {"br", 1000}, {"zstd", 250}, {"*", 0}};
  const char *p = list, *end = list + strlen(list);
  hs__str_t v;
  int q;
  size_t n = 0;
  while (hs__qlist_next(&p, end, &v, &q)) {
    CHECK(n < HS_COUNT(want), "too many members");
    if (n >= HS_COUNT(want))
      break;
    CHECK_EQ_MEM(v.ptr, v.len, want[n].v, strlen(want[n].v), "member %zu", n);
    CHECK_EQ_INT(q, want[n].q, "weight of %s", want[n].v);
    n++;
  }
  CHECK_EQ_UINT(n, HS_COUNT(want), "members");
  p = NULL;
  CHECK(!hs__qlist_next(&p, NULL, &v, &q), "an absent list has no member");
}

HS_TEST(chars) {
  CHECK(hs__is_tchar('a') && hs__is_tchar('~') && !hs__is_tchar('(') && !hs__is_tchar(' '),
        "tchar");
  CHECK(hs__is_ows(' ') && hs__is_ows('\t') && !hs__is_ows('\n'), "OWS");
  CHECK(hs__is_pyspace('\v') && hs__is_pyspace('\f') && !hs__is_pyspace('\0') &&
            !hs__is_pyspace('a'),
        "Python whitespace");
}

static const hs_test_case_t cases[] = {
    HS_CASE(pyint),
    HS_CASE(qlist),
    HS_CASE(chars),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
