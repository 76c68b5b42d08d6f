/* utf8: validation and U+FFFD repair, compared with CPython 3.11
 * bytes.decode("utf-8", "replace") (which httpbin shows for form data). */
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "hs_test.h"

#define R "\xef\xbf\xbd"

HS_TEST(valid) {
  static const char *const OK[] = {"",
                                   "abc",
                                   "\xc3\xa9",
                                   "\xe2\x82\xac",
                                   "\xf0\x9f\x98\x80",
                                   "\xf4\x8f\xbf\xbf",
                                   "\xed\x9f\xbf",
                                   "\xee\x80\x80",
                                   "a\0b"};
  for (size_t i = 0; i < sizeof OK / sizeof OK[0]; i++)
    CHECK(hs__utf8_valid(OK[i], i == 8 ? 3 : strlen(OK[i])), "valid #%zu", i);
  static const char *const BAD[] = {"\x80",
                                    "\xc0\xaf",
                                    "\xc1\xbf",
                                    "\xe0\x80\xaf",
                                    "\xed\xa0\x80",
                                    "\xf0\x80\x80\xaf",
                                    "\xf4\x90\x80\x80",
                                    "\xf5\x80\x80\x80",
                                    "\xff",
                                    "\xe2\x82",
                                    "\xc3"};
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++)
    CHECK(!hs__utf8_valid(BAD[i], strlen(BAD[i])), "invalid #%zu", i);
}

/* Expected outputs: CPython 3.11 b.decode('utf-8', 'replace').encode(). */
HS_TEST(sanitize) {
  static const struct {
    const char *in, *out;
  } V[] = {
      {"a\xff\xfe"
       "b\xc3",
       "a" R R "b" R},
      {"\xe2\x82", R},
      {"\xe2\x82z", R "z"},
      {"\xf0\x80", R R},
      {"\xf0\x9f\x98", R},
      {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
      {"\xed\xa0\x80", R R R},
      {"\xc0\xaf", R R},
      {"\xe0\x80\xaf", R R R},
      {"\xf4\x90\x80\x80", R R R R},
      {"\x80\x80", R R},
      {"ok", "ok"},
  };
  for (size_t i = 0; i < sizeof V / sizeof V[0]; i++) {
    size_t n;
    char *s = hs__utf8_sanitize(V[i].in, strlen(V[i].in), &n);
    CHECK_EQ_MEM(s, n, V[i].out, strlen(V[i].out), "sanitize #%zu", i);
    free(s);
  }
  hs__sbuf_t b = HS_SBUF_INIT;
  hs__latin1_to_utf8(&b, "caf\xe9", 4);
  CHECK_EQ_MEM(b.p, b.len, "caf\xc3\xa9", 5, "latin1");
  hs__sbuf_free(&b);
}

static const hs_test_case_t cases[] = {
    HS_CASE(valid),
    HS_CASE(sanitize),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
