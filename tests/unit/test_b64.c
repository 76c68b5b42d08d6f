/* b64: RFC 4648 §10 test vectors, base64url, strict rejections, and the
 * lenient decoder against CPython 3.11 base64.urlsafe_b64decode() results. */
#include <stdlib.h>
#include <string.h>

#include "base/b64.h"
#include "hs_test.h"

HS_TEST(rfc4648) {
  static const char *const V[][2] = {{"", ""},
                                     {"f", "Zg=="},
                                     {"fo", "Zm8="},
                                     {"foo", "Zm9v"},
                                     {"foob", "Zm9vYg=="},
                                     {"fooba", "Zm9vYmE="},
                                     {"foobar", "Zm9vYmFy"}};
  for (size_t i = 0; i < sizeof V / sizeof V[0]; i++) {
    char enc[32];
    size_t n = hs__b64_encode(V[i][0], strlen(V[i][0]), enc, 0);
    CHECK(n == strlen(V[i][1]) && strcmp(enc, V[i][1]) == 0, "encode %s → %s", V[i][0], enc);
    CHECK_EQ_UINT(hs__b64_encoded_len(strlen(V[i][0]), 0), n, "encoded_len %s", V[i][0]);
    uint8_t dec[32];
    long d = hs__b64_decode(V[i][1], strlen(V[i][1]), dec, 0);
    CHECK(d == (long)strlen(V[i][0]) && memcmp(dec, V[i][0], (size_t)d) == 0, "decode %s", V[i][1]);
    d = hs__b64_decode(V[i][1], strlen(V[i][1]), dec, HS_B64_LENIENT);
    CHECK_EQ_INT(d, (long)strlen(V[i][0]), "lenient decode %s", V[i][1]);
  }
}

HS_TEST(url) {
  const uint8_t raw[] = {0xfb, 0xff, 0xbf, 0xf0, 0x9f};
  char enc[16];
  hs__b64_encode(raw, 5, enc, 0);
  CHECK_EQ_STR(enc, "+/+/8J8=", "std");
  hs__b64_encode(raw, 5, enc, HS_B64_URL);
  CHECK_EQ_STR(enc, "-_-_8J8=", "url");
  size_t n = hs__b64_encode(raw, 5, enc, HS_B64_URL | HS_B64_NOPAD);
  CHECK(n == 7 && strcmp(enc, "-_-_8J8") == 0 && hs__b64_encoded_len(5, HS_B64_NOPAD) == 7,
        "url nopad %s", enc);
  uint8_t dec[16];
  CHECK(hs__b64_decode("-_-_8J8", 7, dec, HS_B64_URL | HS_B64_NOPAD) == 5 &&
            memcmp(dec, raw, 5) == 0,
        "url nopad decode");
  CHECK_EQ_INT(hs__b64_decode("-_-_8J8", 7, dec, HS_B64_URL), -1, "padding required without NOPAD");
  CHECK_EQ_INT(hs__b64_decode("+/+/8J8=", 8, dec, HS_B64_URL), -1,
               "std chars refused in strict url");
  CHECK_EQ_INT(hs__b64_decode("-_-_8J8=", 8, dec, 0), -1, "url chars refused in strict std");
  size_t len;
  char *a = hs__b64_encode_alloc("hello", 5, 0, &len);
  CHECK(a && len == 8 && strcmp(a, "aGVsbG8=") == 0, "alloc %s", a);
  free(a);
}

HS_TEST(strict_rejects) {
  static const char *const BAD[] = {"Zg=",   "Zg",     "Z",    "Zh==",     "Zm9=",  "Zm9v=",
                                    "Zm 9v", "Zm9v\n", "=Zm9", "Zg==Zg==", "Zg===", "Z*9v"};
  uint8_t dec[16];
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++)
    CHECK_EQ_INT(hs__b64_decode(BAD[i], strlen(BAD[i]), dec, 0), -1, "strict refuses '%s'", BAD[i]);
}

/* CPython 3.11: base64.urlsafe_b64decode(s) for each s (NULL = binascii.Error,
 * which httpbin's /base64/{value} turns into a 500). */
HS_TEST(lenient_python) {
  static const struct {
    const char *in, *out;
    size_t outlen;
  } V[] = {
      {"", "", 0},
      {"YQ", NULL, 0},
      {"YQ=", NULL, 0},
      {"YQ==", "a", 1},
      {"YWI=", "ab", 2},
      {"YWJj", "abc", 3},
      {"YWJj=ZGVm", "abcdef", 6},
      {"aGV*sbG8=", "hello", 5},
      {"YQ=x", NULL, 0},
      {"YQ==x", "a", 1},
      {"_-8", NULL, 0},
      {"8J-YgA", NULL, 0},
      {"8J+YgA==", "\xf0\x9f\x98\x80", 4},
      {"8J-YgA==", "\xf0\x9f\x98\x80", 4},
      {"Y", NULL, 0},
      {"YWJjZA", NULL, 0},
      {"YWJjZA=", NULL, 0},
      {"YWJjZA==", "abcd", 4},
      {"Y=Q==", "a", 1},
      {"=YQ==", "a", 1},
      {"YQ===", "a", 1},
      {"YR==", "a", 1},
      {"a b c d", "i\xb7\x1d", 3},
      {"YW\nJj", "abc", 3},
      {"SFRUUEJJTiBpcyBhd2Vzb21l", "HTTPBIN is awesome", 18},
  };
  for (size_t i = 0; i < sizeof V / sizeof V[0]; i++) {
    uint8_t dec[64];
    long d = hs__b64_decode(V[i].in, strlen(V[i].in), dec, HS_B64_URL | HS_B64_LENIENT);
    if (!V[i].out) {
      CHECK_EQ_INT(d, -1, "lenient '%s' should fail", V[i].in);
    } else {
      CHECK(d == (long)V[i].outlen && memcmp(dec, V[i].out, V[i].outlen) == 0,
            "lenient '%s' → %ld bytes", V[i].in, d);
    }
  }
  /* Without HS_B64_URL, '-' and '_' are junk (skipped), like b64decode(). */
  uint8_t dec[8];
  CHECK(hs__b64_decode("Y-Q==", 5, dec, HS_B64_LENIENT) == 1 && dec[0] == 'a', "std lenient skip");
}

/* Round trip of every length 0..300 with both alphabets. */
HS_TEST(roundtrip) {
  uint8_t raw[300], dec[420];
  char enc[420];
  for (int i = 0; i < 300; i++)
    raw[i] = (uint8_t)(i * 151 + 7);
  int bad = 0;
  for (size_t n = 0; n <= 300; n++) {
    for (int f = 0; f < 4; f++) {
      size_t e = hs__b64_encode(raw, n, enc, f);
      long d = hs__b64_decode(enc, e, dec, f);
      if (d != (long)n || memcmp(dec, raw, n))
        bad++;
      d = hs__b64_decode(enc, e, dec, f | HS_B64_LENIENT);
      if ((f & HS_B64_NOPAD) && n % 3)
        continue; /* Python needs the padding */
      if (d != (long)n || memcmp(dec, raw, n))
        bad++;
    }
  }
  CHECK_EQ_INT(bad, 0, "round-trip failures");
}

static const hs_test_case_t cases[] = {
    HS_CASE(rfc4648),        HS_CASE(url),       HS_CASE(strict_rejects),
    HS_CASE(lenient_python), HS_CASE(roundtrip),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
