/* The stable API of issue 12: input parsing, all records of a name, search
 * totals, accessors, predicates, constants, versions; and the facts it fixed. */
#include <string.h>

#include "hs_test.h"
#include "httpstatus/registry.h"

/* Parse `in` (default namespace -1) and check kind, namespace, code and sub. */
static void parsed(const char *in, hs_query_kind_t kind, int ns, int code, int sub) {
  hs_query_t q;
  CHECK_EQ_INT(hs_parse_query(in, -1, &q), kind, "kind of '%s'", in);
  CHECK_EQ_INT(q.ns, ns, "namespace of '%s'", in);
  CHECK_EQ_INT(q.code, code, "code of '%s'", in);
  CHECK_EQ_INT(q.sub, sub, "sub of '%s'", in);
}

HS_TEST(parse_codes) {
  parsed("404", HS_Q_CODE, -1, 404, -1);
  parsed(" 404 ", HS_Q_CODE, -1, 404, -1);
  parsed("\xef\xbc\x94\xef\xbc\x90\xef\xbc\x94", HS_Q_CODE, -1, 404, -1); /* ４０４ */
  parsed("HTTP/1.1 503 Service Unavailable", HS_Q_CODE, -1, 503, -1);
  parsed("error 404", HS_Q_CODE, -1, 404, -1);
  parsed("404 Not Found", HS_Q_CODE, -1, 404, -1);
  parsed("ws:1008", HS_Q_CODE, HS_NS_WS, 1008, -1);
  parsed("ftp 530", HS_Q_CODE, HS_NS_FTP, 530, -1);
  parsed("403.14", HS_Q_IIS, HS_NS_IIS, 403, 14);
  parsed("iis 403.14", HS_Q_IIS, HS_NS_IIS, 403, 14);
  parsed("teapot", HS_Q_NAME, -1, -1, -1);
  parsed("", HS_Q_NONE, -1, -1, -1);
  hs_query_t q;
  CHECK_EQ_INT(hs_parse_query("499 (nginx)", -1, &q), HS_Q_CODE);
  CHECK_EQ_STR(q.vendor, "nginx");
  CHECK_EQ_INT(q.ns, HS_NS_HTTP_VENDOR);
  CHECK_EQ_INT(hs_parse_query("vendor cloudflare", -1, &q), HS_Q_VENDOR);
  CHECK_EQ_STR(q.vendor, "cloudflare");
  CHECK_EQ_INT(hs_parse_query("ws going away", -1, &q), HS_Q_NAME);
  CHECK_EQ_STR(q.text, "going away");
  CHECK_EQ_INT(q.ns, HS_NS_WS);
  CHECK_EQ_INT(hs_parse_query(NULL, -1, &q), HS_Q_NONE);
}

HS_TEST(parse_patterns) {
  hs_query_t q;
  CHECK_EQ_INT(hs_parse_query("45x", -1, &q), HS_Q_PATTERN);
  CHECK(hs_query_matches(&q, 451) && hs_query_matches(&q, 450) && !hs_query_matches(&q, 441),
        "45x");
  CHECK_EQ_INT(hs_parse_query("4x4", -1, &q), HS_Q_PATTERN);
  CHECK(hs_query_matches(&q, 414) && !hs_query_matches(&q, 415), "4x4");
  CHECK_EQ_INT(hs_parse_query("30[12]", -1, &q), HS_Q_PATTERN);
  CHECK(hs_query_matches(&q, 301) && hs_query_matches(&q, 302) && !hs_query_matches(&q, 303),
        "30[12]");
  CHECK_EQ_INT(hs_parse_query("10xx", -1, &q), HS_Q_PATTERN);
  CHECK_EQ_INT(q.ns, HS_NS_WS);
  CHECK(hs_query_matches(&q, 1008) && !hs_query_matches(&q, 108), "10xx");
  CHECK_EQ_INT(hs_parse_query("5[0-2]x", -1, &q), HS_Q_PATTERN);
  CHECK(hs_query_matches(&q, 529) && !hs_query_matches(&q, 530), "5[0-2]x");
  CHECK_EQ_INT(hs_parse_query("40[", -1, &q), HS_Q_NAME); /* not a pattern */
  CHECK(!hs_query_matches(NULL, 404), "NULL query");
}

HS_TEST(names_shared) {
  const hs_status_t *r[8];
  size_t n = hs_find_names("Forbidden", -1, r, 8);
  CHECK(n >= 2, "Forbidden names %zu records", n);
  CHECK(r[0]->ns == HS_NS_HTTP && r[0]->code == 403, "official first");
  int ws = 0;
  for (size_t i = 0; i < n && i < 8; i++)
    ws |= r[i]->ns == HS_NS_WS && r[i]->code == 3003;
  CHECK(ws, "WS 3003 is also Forbidden");
  CHECK(hs_find_names("Bad Gateway", HS_NS_WS, r, 8) == 1 && r[0]->code == 1014, "WS 1014");
  CHECK_EQ_UINT(hs_find_names("Unauthorized", -1, NULL, 0) >= 2, 1);
  CHECK(hs_find_name("CLOSE_GOING_AWAY", -1) == hs_lookup(HS_NS_WS, 1001), "old WS name");
  CHECK(hs_find_name("Reply With", -1) && hs_find_name("Reply With", -1)->code == 449, "449");
  CHECK(hs_find_name("I'm a teapot", -1) == hs_lookup(HS_NS_HTTP, 418), "teapot");
}

HS_TEST(search_total) {
  hs_hit_t h[2];
  size_t total = 0;
  size_t n = hs_search_ex("timeout", 0, h, 2, &total);
  CHECK_EQ_UINT(n, 2);
  CHECK(total > 2, "total %zu counts every match", total);
  CHECK_EQ_UINT(h[0].matched, h[0].parts);
  CHECK_EQ_UINT(hs_search_ex("qqqzzzxx", 0, h, 2, &total), 0);
  CHECK_EQ_UINT(total, 0);
  CHECK_EQ_UINT(hs_search("timeout", 0, h, 2), 2);
}

HS_TEST(accessors) {
  const hs_status_t *r = hs_lookup(HS_NS_HTTP, 418);
  CHECK_EQ_STR(hs_status_text(r, HS_TEXT_PHRASE, HS_LANG_EN), "I'm a teapot");
  CHECK_EQ_STR(hs_status_text(r, HS_TEXT_REGISTERED, HS_LANG_EN), "(Unused)");
  CHECK_EQ_STR(hs_status_text(r, HS_TEXT_URL, HS_LANG_EN),
               "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.19");
  CHECK_EQ_STR(hs_status_text(r, HS_TEXT_SUMMARY, (hs_lang_t)3), r->summary[HS_LANG_EN]);
  CHECK(hs_status_text(r, HS_TEXT_COUNT, HS_LANG_EN) == NULL, "bad field");
  CHECK_EQ_INT(hs_status_code(r), 418);
  CHECK_EQ_INT(hs_status_sub(r), -1);
  CHECK_EQ_INT(hs_status_ns(r), HS_NS_HTTP);
  CHECK_EQ_INT(hs_status_state(r), HS_STATE_UNUSED);
  CHECK_EQ_UINT(r->version, HS_RECORD_VERSION);
  CHECK_EQ_UINT(r->size, sizeof(hs_status_t));
  const hs_status_t *w = hs_lookup(HS_NS_WS, 1000);
  CHECK_EQ_STR(hs_status_alias(w, 0), "CLOSE_NORMAL");
  CHECK(hs_status_alias(w, 5) == NULL, "past the end");
  CHECK(hs_status_scenario(w, HS_LANG_ZH, 0) != NULL, "scenario");
  CHECK(hs_status_code(NULL) == -1 && hs_status_text(NULL, HS_TEXT_KEY, HS_LANG_EN) == NULL,
        "NULL record");
  size_t n;
  const hs_status_t *all = hs_records(HS_NS_FTP, &n);
  CHECK(hs_record_at(HS_NS_FTP, 0) == &all[0] && hs_record_at(HS_NS_FTP, n) == NULL, "at");
  CHECK_EQ_INT(hs_status_requires(hs_lookup(HS_NS_HTTP, 405)), HS_HBIT(HS_H_ALLOW));
}

HS_TEST(predicates) {
  int yes[] = {408, 425, 502, 503, 504};
  for (size_t i = 0; i < 5; i++)
    CHECK(hs_status_retryable(hs_lookup(HS_NS_HTTP, yes[i]), 0), "%d retryable", yes[i]);
  CHECK(!hs_status_retryable(hs_lookup(HS_NS_HTTP, 429), 0), "429 without Retry-After");
  CHECK(hs_status_retryable(hs_lookup(HS_NS_HTTP, 429), 1), "429 with Retry-After");
  CHECK(!hs_status_retryable(hs_lookup(HS_NS_HTTP, 404), 1), "404");
  CHECK(hs_status_retryable(hs_lookup(HS_NS_WS, 1013), 0), "WS 1013");
  CHECK(hs_status_retryable(hs_lookup(HS_NS_FTP, 421), 0), "FTP 4yz");
  CHECK(!hs_status_retryable(NULL, 1), "NULL");
  CHECK(hs_ws_close_sendable(1000) && hs_ws_close_sendable(1008) && hs_ws_close_sendable(4001),
        "sendable");
  int no[] = {1004, 1005, 1006, 1015, 1100, 999, 5000};
  for (size_t i = 0; i < 7; i++)
    CHECK(!hs_ws_close_sendable(no[i]), "%d not sendable", no[i]);
}

HS_TEST(constants_and_version) {
  CHECK_EQ_INT(HS_HTTP_NOT_FOUND, 404);
  CHECK_EQ_INT(HS_HTTP_IM_A_TEAPOT, 418);
  CHECK_EQ_INT(HS_WS_POLICY_VIOLATION, 1008);
  CHECK_EQ_INT(HS_FTP_NOT_LOGGED_IN, 530);
  CHECK_EQ_INT(HS_VENDOR_NGINX_CLIENT_CLOSED_REQUEST, 499);
  CHECK_EQ_INT(HS_IIS_CODE(HS_IIS_403_14_DIRECTORY_LISTING_DENIED), 403);
  CHECK_EQ_INT(HS_IIS_SUB(HS_IIS_403_14_DIRECTORY_LISTING_DENIED), 14);
  CHECK(hs_lookup_iis(403, 14) != NULL, "403.14");
  CHECK_EQ_INT(hs_version_number(), HS_VERSION_NUMBER);
  CHECK(HS_VERSION_OK(), "runtime version check");
  CHECK_EQ_STR(hs_state_name(HS_STATE_EXPERIMENTAL), "experimental");
  CHECK_EQ_STR(hs_state_name(HS_STATE_HISTORIC), "historic");
}

HS_TEST(facts_issue_12) {
  const hs_status_t *r = hs_lookup(HS_NS_HTTP, 418);
  CHECK(strstr(r->summary[HS_LANG_EN], "ought not") == NULL, "418: RFC 9110 does not say so");
  CHECK_EQ_STR(hs_reason_phrase(418), "I'm a teapot");
  CHECK_EQ_STR(hs_reason_phrase(306), "Switch Proxy");
  CHECK_EQ_INT(hs_lookup(HS_NS_FTP, 228)->state, HS_STATE_EXPERIMENTAL);
  CHECK_EQ_INT(hs_lookup(HS_NS_FTP, 521)->state, HS_STATE_EXPERIMENTAL);
  r = hs_lookup(HS_NS_HTTP, 206);
  CHECK(r->flags & HS_F_MULTIPART_RANGES, "206: single-part rule");
  int redirects[] = {301, 302, 303, 307, 308};
  for (size_t i = 0; i < 5; i++) {
    r = hs_lookup(HS_NS_HTTP, redirects[i]);
    CHECK(!(r->requires & HS_HBIT(HS_H_LOCATION)) && (r->expects & HS_HBIT(HS_H_LOCATION)),
          "%d expects Location, RFC 9110 has no MUST", redirects[i]);
  }
  CHECK_EQ_STR(hs_lookup(HS_NS_HTTP, 502)->phrase_zh, "网关错误");
  CHECK_EQ_STR(hs_lookup(HS_NS_WS, 1014)->phrase_zh, "网关错误");
  CHECK(strstr(hs_lookup(HS_NS_HTTP, 421)->detail[HS_LANG_EN], "too many connections"),
        "421's old meaning");
  CHECK(strstr(hs_lookup_iis(403, 10)->detail[HS_LANG_EN], "IIS 5 and 6"), "403.10 IIS 5/6");
}

/* Issue 25: the meaning people mean first, related records, Chinese names. */
HS_TEST(facts_issue_25) {
  const hs_status_t *v[4];
  CHECK_EQ_UINT(hs_vendor_meanings(499, v, 4), 2);
  CHECK_EQ_STR(v[0]->vendor_key, "nginx"); /* rank 1, before Esri */
  CHECK_EQ_STR(v[1]->vendor_key, "esri");
  hs_vendor_meanings(420, v, 4);
  CHECK_EQ_STR(v[0]->vendor_key, "twitter");
  hs_vendor_meanings(530, v, 4);
  CHECK_EQ_STR(v[0]->vendor_key, "cloudflare");
  CHECK(hs_lookup(HS_NS_HTTP_VENDOR, 463) && hs_lookup(HS_NS_HTTP_VENDOR, 561), "AWS codes");
  const hs_status_t *r = hs_lookup(HS_NS_HTTP, 502);
  CHECK(hs_status_related(r, 0) == hs_lookup(HS_NS_HTTP, 504), "502 → 504 first");
  size_t n = 0;
  int cdn = 0;
  for (const hs_status_t *x; (x = hs_status_related(r, n)) != NULL; n++)
    cdn += x->vendor_key && strcmp(x->vendor_key, "cloudflare") == 0;
  CHECK(cdn >= 5 && n < 32, "502's related: the CDN 52x (%d of %zu)", cdn, n);
  CHECK(hs_status_related(hs_lookup(HS_NS_HTTP, 200), 0) == NULL, "none");
  hs_status_t copy = *r;
  CHECK(hs_status_related(&copy, 0) == NULL && hs_status_related(NULL, 0) == NULL, "foreign");
  CHECK(strstr(hs_lookup(HS_NS_HTTP, 504)->detail[HS_LANG_EN], "proxy_connect_timeout"),
        "504 on a connect timeout too");
  CHECK(hs_find_name("未找到", -1) == hs_lookup(HS_NS_HTTP, 404), "a Chinese name");
  CHECK(hs_find_name("I’m a teapot", -1) == hs_lookup(HS_NS_HTTP, 418), "non-ASCII quote");
}

static const hs_test_case_t cases[] = {
    HS_CASE(parse_codes),           HS_CASE(parse_patterns), HS_CASE(names_shared),
    HS_CASE(search_total),          HS_CASE(accessors),      HS_CASE(predicates),
    HS_CASE(constants_and_version), HS_CASE(facts_issue_12), HS_CASE(facts_issue_25),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
