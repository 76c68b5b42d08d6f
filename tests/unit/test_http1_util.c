/* Unit tests of the server's helpers: options, negotiation, buffers, queries. */
#include <string.h>

#include "hs_test.h"
#include "http/authority.h"
#include "http/config.h"
#include "http/render.h"
#include "http/request.h"

static hs__neg_t neg(const char *accept, const char *lang) {
  hs__req_t r;
  memset(&r, 0, sizeof(r));
  if (accept)
    r.accept = (hs__str_t){accept, strlen(accept)};
  if (lang)
    r.accept_language = (hs__str_t){lang, strlen(lang)};
  return hs__negotiate(&r);
}

HS_TEST(durations) {
  uint64_t ms;
  CHECK(hs__parse_duration("250ms", &ms) == 0 && ms == 250, "250ms");
  CHECK(hs__parse_duration("1.5s", &ms) == 0 && ms == 1500, "1.5s");
  CHECK(hs__parse_duration("2", &ms) == 0 && ms == 2000, "2");
  CHECK(hs__parse_duration("1m", &ms) == 0 && ms == 60000, "1m");
  CHECK(hs__parse_duration("x", &ms) != 0 && hs__parse_duration("-1s", &ms) != 0, "bad durations");
}

HS_TEST(sizes) {
  size_t n;
  CHECK(hs__parse_size("16k", &n) == 0 && n == 16384, "16k");
  CHECK(hs__parse_size("1m", &n) == 0 && n == 1048576, "1m");
  CHECK(hs__parse_size("12", &n) == 0 && n == 12, "12");
  CHECK(hs__parse_size("k", &n) != 0 && hs__parse_size("1q", &n) != 0, "bad sizes");
}

HS_TEST(config_parse) {
  hs__config_t c;
  hs__config_defaults(&c);
  char *argv1[] = {"serve",          "--listen", "[::1]:0", "--max-uri=100",
                   "--idle-timeout", "500ms",    NULL};
  CHECK(hs__config_parse(&c, 6, argv1, stdout, stderr) == 0 && c.port == 0 &&
            strcmp(c.host, "::1") == 0 && c.max_uri == 100 && c.idle_timeout_ms == 500,
        "parse ok");
  char *argv5[] = {"serve", "--max-chunk-ext",          "1k", "--body-deadline",
                   "30s",   "--max-connections-per-ip", "8",  NULL};
  CHECK(hs__config_parse(&c, 7, argv5, stdout, stderr) == 0 && c.max_chunk_ext == 1024 &&
            c.body_deadline_ms == 30000 && c.max_conns_per_ip == 8,
        "issue 13 limits");
  char *argv2[] = {"serve", "--bogus", "1", NULL};
  FILE *devnull = fopen("/dev/null", "w");
  CHECK_EQ_INT(hs__config_parse(&c, 3, argv2, devnull, devnull), 2, "unknown option → 2");
  char *argv3[] = {"serve", "--max-body", "lots", NULL};
  CHECK_EQ_INT(hs__config_parse(&c, 3, argv3, devnull, devnull), 2, "bad value → 2");
  char *argv4[] = {"serve", "--help", NULL};
  CHECK_EQ_INT(hs__config_parse(&c, 2, argv4, devnull, devnull), 1, "--help → 1");
  fclose(devnull);
}

HS_TEST(negotiate) {
  CHECK(neg(NULL, NULL).fmt == HS_FMT_JSON && neg(NULL, NULL).lang == HS_LANG_EN, "defaults");
  CHECK_EQ_INT(neg("*/*", NULL).fmt, HS_FMT_JSON, "*/*");
  CHECK_EQ_INT(neg("text/plain", NULL).fmt, HS_FMT_TEXT, "text/plain");
  CHECK_EQ_INT(neg("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", NULL).fmt,
               HS_FMT_HTML, "browser");
  CHECK_EQ_INT(neg("application/json;q=0.5, text/plain;q=0.9", NULL).fmt, HS_FMT_TEXT, "q values");
  CHECK_EQ_INT(neg("text/*", NULL).fmt, HS_FMT_TEXT, "text/*");
  CHECK_EQ_INT(neg("image/png", NULL).fmt, HS_FMT_JSON, "unsatisfiable → default");
  CHECK_EQ_INT(neg("*/*;q=0.1, text/html;q=0", NULL).fmt, HS_FMT_JSON, "html refused");
  CHECK_EQ_INT(neg(NULL, "zh-CN,zh;q=0.9,en;q=0.8").lang, HS_LANG_ZH, "zh-CN");
  CHECK_EQ_INT(neg(NULL, "en-US,en;q=0.9,zh;q=0.5").lang, HS_LANG_EN, "en-US");
  CHECK_EQ_INT(neg(NULL, "fr").lang, HS_LANG_EN, "fr → en");
  CHECK_EQ_INT(neg(NULL, "zh-Hant-TW").lang, HS_LANG_ZH, "zh-Hant-TW");
}

HS_TEST(pct_decode) {
  char out[32];
  CHECK(hs__pct_decode((hs__str_t){"200%2C404", 9}, out, sizeof(out)) == 7 &&
            memcmp(out, "200,404", 7) == 0,
        "pct");
  CHECK(hs__pct_decode((hs__str_t){"%2", 2}, out, sizeof(out)) < 0, "short escape");
  CHECK(hs__pct_decode((hs__str_t){"%zz", 3}, out, sizeof(out)) < 0, "bad escape");
}

HS_TEST(query) {
  hs__req_t r;
  memset(&r, 0, sizeof(r));
  r.query = (hs__str_t){"a=1&retry_after=30&b", 20};
  hs__str_t v;
  CHECK(hs__req_query(&r, "retry_after", &v) && v.len == 2 && memcmp(v.ptr, "30", 2) == 0, "query");
  CHECK(hs__req_query(&r, "b", &v) && v.len == 0, "query no value");
  CHECK(!hs__req_query(&r, "c", &v), "query absent");
}

HS_TEST(buf) {
  hs__pool_t pool;
  hs__pool_init(&pool, 64, 2);
  hs__buf_t b;
  hs__buf_init(&b, &pool);
  hs__buf_lit(&b, "hello ");
  hs__buf_u64(&b, 18446744073709551615ull);
  CHECK_EQ_MEM(b.base, b.len, "hello 18446744073709551615", 26, "buf");
  for (int i = 0; i < 10; i++)
    hs__buf_lit(&b, "0123456789");
  CHECK(b.len == 126 && b.cap >= 126, "growth");
  hs__buf_release(&b);
  hs__pool_destroy(&pool);
}

/* RFC 3986 §3.2.2/§3.2.3 through RFC 9112 §3.2: an invalid Host gets 400. */
HS_TEST(authority_syntax) {
  static const char *const valid[] = {"",
                                      "t",
                                      "example.com",
                                      "example.com:8080",
                                      "x:",
                                      "127.0.0.1:80",
                                      "[::1]",
                                      "[::1]:8080",
                                      "[2001:db8::7]",
                                      "[::ffff:192.0.2.1]:1",
                                      "[v1.fe:x]",
                                      "a%2Db",
                                      "sub_delims!$&'()*+,;=",
                                      ":80"};
  static const char *const invalid[] = {
      "x:abc", "[::1",      "x:8080:1", "[::1]x", "[::1]:8a",  "[fe80::1%eth0]",
      "[]",    "[v.x]",     "[v1.]",    "a b",    "user@host", "a%2",
      "a%zz",  "host/path", "h?q",      "x:80 ",  "::1",       "[1.2.3.4]"};
  for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
    CHECK(hs__authority_valid((hs__str_t){valid[i], strlen(valid[i])}), "valid: %s", valid[i]);
  for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
    CHECK(!hs__authority_valid((hs__str_t){invalid[i], strlen(invalid[i])}), "invalid: %s",
          invalid[i]);
}

static const hs_test_case_t cases[] = {
    HS_CASE(durations),  HS_CASE(sizes), HS_CASE(config_parse), HS_CASE(negotiate),
    HS_CASE(pct_decode), HS_CASE(query), HS_CASE(buf),          HS_CASE(authority_syntax),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
