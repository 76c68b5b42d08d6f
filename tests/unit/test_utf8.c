/* utf8: validation and U+FFFD repair, compared with CPython 3.11
 * bytes.decode("utf-8", "replace") (which httpbin shows for form data). */
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "hs_test.h"

#define R "\xef\xbf\xbd"

static void test_valid(void) {
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
static void test_sanitize(void) {
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
    CHECK(s && n == strlen(V[i].out) && memcmp(s, V[i].out, n) == 0, "sanitize #%zu", i);
    free(s);
  }
  hs__sbuf_t b = HS_SBUF_INIT;
  hs__latin1_to_utf8(&b, "caf\xe9", 4);
  CHECK(b.len == 5 && memcmp(b.p, "caf\xc3\xa9", 5) == 0, "latin1");
  hs__sbuf_free(&b);
}

int main(void) {
  test_valid();
  test_sanitize();
  return hs_test_summary("hs__utf8");
}
