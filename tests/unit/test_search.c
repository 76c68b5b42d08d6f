/* Full-text search: English and Chinese, typos, ranking, namespace filter. */
#include <string.h>

#include "hs_test.h"
#include "httpstatus/registry.h"

/* Rank (0-based) of key in the results of query, or -1. */
static int rank_of(const char *query, unsigned mask, const char *key) {
  hs_hit_t hits[20];
  size_t n = hs_search(query, mask, hits, 20);
  for (size_t i = 0; i < n; i++)
    if (strcmp(hits[i].status->key, key) == 0)
      return (int)i;
  return -1;
}

#define HTTP (1u << HS_NS_HTTP)

int main(void) {
  int r;
  r = rank_of("超时", 0, "408");
  CHECK(r >= 0 && r < 10, "超时 finds 408 (rank %d)", r);
  r = rank_of("超时", 0, "504");
  CHECK(r >= 0 && r < 10, "超时 finds 504 (rank %d)", r);
  r = rank_of("超时", HTTP, "408");
  CHECK(r >= 0 && r < 3, "超时 in http ranks 408 high (rank %d)", r);
  CHECK(rank_of("teapot", 0, "418") == 0, "teapot -> 418 first");
  CHECK(rank_of("TEAPOT", 0, "418") == 0, "case-insensitive");
  CHECK(rank_of("teapto", 0, "418") == 0, "typo teapto -> 418");
  CHECK(rank_of("too many", 0, "429") == 0, "too many -> 429 first");
  CHECK(rank_of("too many requests", 0, "429") == 0, "too many requests -> 429");
  CHECK(rank_of("payload too large", 0, "413") == 0, "old name -> 413");
  CHECK(rank_of("not fuond", HTTP, "404") == 0, "typo fuond -> 404 (rank %d)",
        rank_of("not fuond", HTTP, "404"));
  CHECK(rank_of("gateway timeout", HTTP, "504") == 0, "gateway timeout -> 504");
  CHECK(rank_of("404", 0, "404") == 0, "number -> its record first");
  CHECK(rank_of("403.14", 0, "403.14") == 0, "IIS key -> record");
  CHECK(rank_of("policy violation", 0, "1008") == 0, "1008 by name");
  CHECK(rank_of("not logged in", 1u << HS_NS_FTP, "530") == 0, "ftp 530 by name");
  CHECK(rank_of("请求超时", HTTP, "408") == 0, "请求超时 -> 408 first (rank %d)",
        rank_of("请求超时", HTTP, "408"));
  CHECK(rank_of("未找到", HTTP, "404") == 0, "未找到 -> 404");
  CHECK(rank_of("nginx", 0, "499 (nginx)") >= 0, "vendor key nginx");
  CHECK(rank_of("teapot", 1u << HS_NS_FTP, "418") == -1, "namespace mask filters");
  hs_hit_t h[4];
  CHECK(hs_search("", 0, h, 4) == 0, "empty query");
  CHECK(hs_search("   ,,, ", 0, h, 4) == 0, "punctuation only");
  CHECK(hs_search("zzzzqqqq", 0, h, 4) == 0, "no match");
  CHECK(hs_search("teapot", 0, h, 0) == 0, "max 0");
  char longq[2000];
  memset(longq, 'a', sizeof longq - 1);
  longq[sizeof longq - 1] = '\0';
  (void)hs_search(longq, 0, h, 4); /* must not crash */
  CHECK(1, "long query survived");
  /* scores are sorted */
  hs_hit_t hits[20];
  size_t n = hs_search("redirect", 0, hits, 20);
  CHECK(n > 3, "redirect has hits");
  for (size_t i = 1; i < n; i++)
    CHECK(hits[i - 1].score >= hits[i].score, "sorted at %zu", i);
  return hs_test_summary("test_search");
}
