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

/* 超时 (timeout) finds both timeouts, 408 first in http. */
HS_TEST(timeout_zh) {
  int r;
  r = rank_of("超时", 0, "408");
  CHECK(r >= 0 && r < 10, "超时 finds 408 (rank %d)", r);
  r = rank_of("超时", 0, "504");
  CHECK(r >= 0 && r < 10, "超时 finds 504 (rank %d)", r);
  r = rank_of("超时", HTTP, "408");
  CHECK(r >= 0 && r < 3, "超时 in http ranks 408 high (rank %d)", r);
}

/* English names, any case, with typos, old names. */
HS_TEST(names_en) {
  CHECK_EQ_INT(rank_of("teapot", 0, "418"), 0, "teapot -> 418 first");
  CHECK_EQ_INT(rank_of("TEAPOT", 0, "418"), 0, "case-insensitive");
  CHECK_EQ_INT(rank_of("teapto", 0, "418"), 0, "typo teapto -> 418");
  CHECK_EQ_INT(rank_of("too many", 0, "429"), 0, "too many -> 429 first");
  CHECK_EQ_INT(rank_of("too many requests", 0, "429"), 0, "too many requests -> 429");
  CHECK_EQ_INT(rank_of("payload too large", 0, "413"), 0, "old name -> 413");
  CHECK_EQ_INT(rank_of("not fuond", HTTP, "404"), 0, "typo fuond -> 404");
  CHECK_EQ_INT(rank_of("gateway timeout", HTTP, "504"), 0, "gateway timeout -> 504");
}

/* Numbers, IIS keys, WebSocket and FTP records by name. */
HS_TEST(keys_and_namespaces) {
  CHECK_EQ_INT(rank_of("404", 0, "404"), 0, "number -> its record first");
  CHECK_EQ_INT(rank_of("403.14", 0, "403.14"), 0, "IIS key -> record");
  CHECK_EQ_INT(rank_of("policy violation", 0, "1008"), 0, "1008 by name");
  CHECK_EQ_INT(rank_of("not logged in", 1u << HS_NS_FTP, "530"), 0, "ftp 530 by name");
}

HS_TEST(names_zh) {
  CHECK_EQ_INT(rank_of("请求超时", HTTP, "408"), 0, "请求超时 -> 408 first");
  CHECK_EQ_INT(rank_of("未找到", HTTP, "404"), 0, "未找到 -> 404");
}

HS_TEST(vendor_and_mask) {
  CHECK(rank_of("nginx", 0, "499 (nginx)") >= 0, "vendor key nginx");
  CHECK_EQ_INT(rank_of("teapot", 1u << HS_NS_FTP, "418"), -1, "namespace mask filters");
}

/* Empty, blank, unmatched and huge queries, no room for hits. */
HS_TEST(degenerate_queries) {
  hs_hit_t h[4];
  CHECK_EQ_UINT(hs_search("", 0, h, 4), 0, "empty query");
  CHECK_EQ_UINT(hs_search("   ,,, ", 0, h, 4), 0, "punctuation only");
  CHECK_EQ_UINT(hs_search("zzzzqqqq", 0, h, 4), 0, "no match");
  CHECK_EQ_UINT(hs_search("teapot", 0, h, 0), 0, "max 0");
  char longq[2000];
  memset(longq, 'a', sizeof longq - 1);
  longq[sizeof longq - 1] = '\0';
  (void)hs_search(longq, 0, h, 4); /* must not crash */
  CHECK(1, "long query survived");
}

/* scores are sorted */
HS_TEST(sorted_scores) {
  hs_hit_t hits[20];
  size_t n = hs_search("redirect", 0, hits, 20);
  CHECK(n > 3, "redirect has hits");
  for (size_t i = 1; i < n; i++)
    CHECK(hits[i - 1].score >= hits[i].score, "sorted at %zu", i);
}

static const hs_test_case_t cases[] = {
    HS_CASE(timeout_zh),    HS_CASE(names_en),        HS_CASE(keys_and_namespaces),
    HS_CASE(names_zh),      HS_CASE(vendor_and_mask), HS_CASE(degenerate_queries),
    HS_CASE(sorted_scores),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
