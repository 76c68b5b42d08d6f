/* random: MT19937 reference output, CPython 3.11 random.seed(int)/randint
 * byte streams (what httpbin's /bytes/{n}?seed= returns), uuid4 format. */
#include <string.h>

#include "hs_test.h"
#include "httpbin/random.h"

#define Z(s) ((hs__str_t){(s), strlen(s)})

HS_TEST(reference) {
  hb_mt_t m;
  hb_mt_seed(&m, 5489);
  CHECK_EQ_UINT(hb_mt_u32(&m), 3499211612u, "init_genrand(5489) first output");
  /* mt19937ar.c test: init_by_array({0x123, 0x234, 0x345, 0x456}) starts
   * 1067595299 955945823 477289528 4107218783 4228976476. */
  static const uint32_t key[] = {0x123, 0x234, 0x345, 0x456};
  static const uint32_t want[] = {1067595299u, 955945823u, 477289528u, 4107218783u, 4228976476u};
  hb_mt_seed_array(&m, key, 4);
  for (int i = 0; i < 5; i++)
    CHECK_EQ_UINT(hb_mt_u32(&m), want[i], "init_by_array output %d", i);
  /* The 10000th output of init_genrand(5489) is 4123659995 (C++11 §26.5.5). */
  hb_mt_seed(&m, 5489);
  uint32_t v = 0;
  for (int i = 0; i < 10000; i++)
    v = hb_mt_u32(&m);
  CHECK_EQ_UINT(v, 4123659995u, "10000th output");
}

static void hex(const uint8_t *b, size_t n, char *out) {
  static const char h[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++)
    out[2 * i] = h[b[i] >> 4], out[2 * i + 1] = h[b[i] & 15];
  out[2 * n] = '\0';
}

/* bytes(random.randint(0, 255) for _ in range(24)) after random.seed(int(s)). */
HS_TEST(python) {
  static const char *const V[][2] = {
      {"0", "c5d71484f8cf9bf4b76f47904730804b9e3225a9f133b5de"},
      {"1", "4420823cfde6f1c26b30f90ec7dd01e4887534a20f0b0d04"},
      {"42", "390c8c7d7247342cd8100f2f6f770d65d670e58e0351d8ae"},
      {"-42", "390c8c7d7247342cd8100f2f6f770d65d670e58e0351d8ae"},
      {"4294967296", "39b3d5080ba9e7074626dda0afc3f5ec523c9f468fb44d5d"},
      {"18446744073709551621", "33b122a016c5ccc003c1c2ffd1c63a558ece5d66459c7003"},
      {"12345678901234567890123", "5043c865b92073d488a8a05f2aef77b9dbd73b817539f045"},
      {"1_000", "db32c9b420ef54df42717bbafa67bb74ea5d14f949ecd466"},
      {" 7 ", "a54dca182530bb1d6d132cded6237b2ed91e3f721fcb1971"},
  };
  for (size_t i = 0; i < sizeof V / sizeof V[0]; i++) {
    hb_mt_t m;
    uint8_t b[24];
    char h[49];
    CHECK_EQ_INT(hb_mt_seed_python(&m, Z(V[i][0])), 0, "seed '%s'", V[i][0]);
    hb_mt_python_bytes(&m, b, 24);
    hex(b, 24, h);
    CHECK_EQ_STR(h, V[i][1], "seed '%s'", V[i][0]);
  }
  static const char *const BAD[] = {"", " ", "x", "1.5", "1__0", "_1", "1_", "0x10", "+", "--1"};
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
    hb_mt_t m;
    CHECK_EQ_INT(hb_mt_seed_python(&m, Z(BAD[i])), -1, "bad seed '%s'", BAD[i]);
  }
  /* random.seed(42); random.random() == 0.6394267984578837, then
   * getrandbits(32) == 107420369. */
  hb_mt_t m;
  hb_mt_seed_python(&m, Z("42"));
  CHECK(hb_mt_random(&m) == 0.6394267984578837, "random()");
  CHECK_EQ_UINT(hb_mt_u32(&m), 107420369u, "getrandbits(32)");
}

HS_TEST(uuid) {
  uint8_t r[16];
  memset(r, 0xff, sizeof r);
  char u[37], x[33];
  hb_uuid4(r, u);
  CHECK_EQ_STR(u, "ffffffff-ffff-4fff-bfff-ffffffffffff", "uuid4 ff");
  memset(r, 0, sizeof r);
  hb_uuid4(r, u);
  CHECK_EQ_STR(u, "00000000-0000-4000-8000-000000000000", "uuid4 00");
  hb_uuid4_hex(r, x);
  CHECK_EQ_STR(x, "00000000000040008000000000000000", "hex");
}

static const hs_test_case_t cases[] = {
    HS_CASE(reference),
    HS_CASE(python),
    HS_CASE(uuid),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
