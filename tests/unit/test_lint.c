/* src/lint: the rule catalogue, each rule against the messages data/lint/ (.txt)
 * gives it (hit: must be reported, ok: must not), and the capture readers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs_test.h"
#include "lint/lint.h"
#include "lint/read.h"
#include "lint_cases.h"

/* Which rules fired on any response of a capture. */
typedef struct fired_s {
  int any[HS__L_COUNT];
  size_t msgs;
} fired_t;

static int collect(void *ud, const hs__lmsg_t *m, size_t index) {
  fired_t *f = ud;
  hs__lresult_t res;
  hs__lint_message(m, &res);
  for (size_t i = 0; i < res.n; i++)
    f->any[res.v[i].rule] = 1;
  f->msgs = index + 1;
  return 0;
}

static int lint_text(const char *msg, size_t len, fired_t *f, char *err, size_t errlen) {
  hs__lread_opts_t o;
  hs__lread_opts_init(&o);
  memset(f, 0, sizeof *f);
  return hs__lread_text(msg, len, &o, collect, f, err, errlen);
}

HS_TEST(catalogue) {
  CHECK(HS__L_COUNT >= 120, "only %d rules", (int)HS__L_COUNT);
  for (size_t i = 0; i < HS__L_COUNT; i++) {
    const hs__lint_rule_t *r = &hs__lint_rules[i];
    CHECK(hs__lint_rule_by_id(r->id) == r, "%s: duplicate id", r->id);
    CHECK(r->title[0] && r->title[1] && r->text[0] && r->text[1] && r->spec && r->category,
          "%s: missing text", r->id);
  }
  CHECK(hs__lint_rule_by_id("no-such-rule") == NULL, "unknown id found");
}

/* Every rule has at least one hit: and one ok: case, and each behaves. */
HS_TEST(every_rule_hits_and_passes) {
  int hits[HS__L_COUNT] = {0}, oks[HS__L_COUNT] = {0};
  for (size_t i = 0; i < hs__lint_ncases; i++) {
    const hs__lint_case_t *c = &hs__lint_cases[i];
    const char *id = hs__lint_rules[c->rule].id;
    fired_t f;
    char err[200] = "";
    int rc = lint_text(c->msg, c->len, &f, err, sizeof err);
    CHECK(rc == 0, "%s %s case: reader failed: %s", id, c->hit ? "hit" : "ok", err);
    if (c->hit)
      CHECK(f.any[c->rule], "%s: hit case not reported: %.*s", id, (int)c->len, c->msg);
    else
      CHECK(!f.any[c->rule], "%s: ok case reported: %.*s", id, (int)c->len, c->msg);
    (c->hit ? hits : oks)[c->rule]++;
  }
  for (size_t i = 0; i < HS__L_COUNT; i++)
    CHECK(hits[i] && oks[i], "%s: needs a hit: and an ok: case", hs__lint_rules[i].id);
}

HS_TEST(reader_curl_i_redirects) {
  static const char in[] = "HTTP/1.1 302 Found\r\nLocation: /b\r\nContent-Length: 3\r\n\r\nabc"
                           "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi\n";
  fired_t f;
  char err[200];
  CHECK_EQ_INT(lint_text(in, sizeof in - 1, &f, err, sizeof err), 0);
  CHECK_EQ_INT((int)f.msgs, 2);
  CHECK(!f.any[HS__L_CL_BODY_MISMATCH], "body lengths misread");
}

HS_TEST(reader_hostile) {
  char err[200];
  fired_t f;
  static const char bin[] = "\x7f"
                            "ELF\x02\x01\x01\0\0\0";
  CHECK_EQ_INT(lint_text(bin, sizeof bin - 1, &f, err, sizeof err), -1);
  CHECK(strstr(err, "does not look like an HTTP response"), "%s", err);
  static const char trunc[] = "HTTP/1.1 200 OK\r\nContent-Le";
  CHECK_EQ_INT(lint_text(trunc, sizeof trunc - 1, &f, err, sizeof err), -1);
  CHECK(strstr(err, "truncated"), "%s", err);
  static const char nul[] = "HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n";
  CHECK_EQ_INT(lint_text(nul, sizeof nul - 1, &f, err, sizeof err), -1);
  CHECK(strstr(err, "NUL"), "%s", err);
  size_t n = (1 << 20) + 64;
  char *big = malloc(n);
  memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
  memset(big + 20, 'a', n - 24);
  memcpy(big + n - 4, "\r\n\r\n", 4);
  CHECK_EQ_INT(lint_text(big, n, &f, err, sizeof err), -1);
  CHECK(strstr(err, "longer than the limit"), "%s", err);
  free(big);
  CHECK_EQ_INT(lint_text("", 0, &f, err, sizeof err), -1);
}

typedef struct mem_s {
  const char *p;
  size_t n, chunk;
} mem_t;

static ssize_t mem_read(void *src, char *buf, size_t cap) {
  mem_t *m = src;
  size_t k = m->n < cap ? m->n : cap;
  if (k > m->chunk)
    k = m->chunk; /* small reads: every token crosses buffer edges */
  memcpy(buf, m->p, k);
  m->p += k;
  m->n -= k;
  return (ssize_t)k;
}

static int lint_har(const char *s, size_t chunk, fired_t *f, char *err, size_t errlen) {
  hs__lread_opts_t o;
  hs__lread_opts_init(&o);
  memset(f, 0, sizeof *f);
  mem_t m = {s, strlen(s), chunk};
  return hs__lread_har(mem_read, &m, &o, collect, f, err, errlen);
}

HS_TEST(reader_har) {
  static const char har[] =
      "{\"log\": {\"version\": \"1.2\", \"creator\": {\"name\": \"t\"}, \"entries\": ["
      "{\"request\": {\"method\": \"POST\", \"url\": \"https://a.example/f\", \"headers\": []},"
      " \"response\": {\"status\": 302, \"statusText\": \"Found\", \"httpVersion\": \"h2\","
      " \"headers\": [{\"name\": \":status\", \"value\": \"302\"},"
      " {\"name\": \"location\", \"value\": \"http://a.example/\\u00e9\"}],"
      " \"content\": {\"size\": 0, \"text\": \"[\\\"{\\\"]\"}}},"
      "{\"request\": {\"method\": \"GET\", \"url\": \"http://a.example/\", \"headers\": []},"
      " \"response\": {\"status\": 405, \"statusText\": \"\", \"httpVersion\": \"HTTP/1.1\","
      " \"headers\": [], \"content\": {\"size\": 5}, \"bodySize\": 5}}]}}";
  for (size_t chunk = 1; chunk <= 4096; chunk *= 8) {
    fired_t f;
    char err[200] = "";
    CHECK_EQ_INT(lint_har(har, chunk, &f, err, sizeof err), 0, "%s", err);
    CHECK_EQ_INT((int)f.msgs, 2);
    CHECK(f.any[HS__L_REDIRECT_POST_METHOD_CHANGE], "POST 302 not seen");
    CHECK(f.any[HS__L_REDIRECT_DOWNGRADE], "https to http not seen");
    CHECK(f.any[HS__L_LOCATION_NON_ASCII], "raw non-ASCII Location not seen");
    CHECK(f.any[HS__L_REQUIRES_ALLOW], "405 without Allow not seen");
  }
}

HS_TEST(reader_har_hostile) {
  fired_t f;
  char err[200];
  CHECK_EQ_INT(
      lint_har("{\"log\": {\"entries\": [{\"response\": {\"status\": 2", 7, &f, err, sizeof err),
      -1);
  CHECK(strstr(err, "truncated") || strstr(err, "ends"), "%s", err);
  CHECK_EQ_INT(lint_har("{\"log\": {}}", 7, &f, err, sizeof err), -1);
  CHECK(strstr(err, "not a HAR"), "%s", err);
  CHECK_EQ_INT(lint_har("[1,2]", 7, &f, err, sizeof err), -1);
  CHECK_EQ_INT(lint_har("{\"log\": {\"entries\": [{\"response\": {\"status\": \"x\\q\"}}]}}", 64,
                        &f, err, sizeof err),
               -1);
}

static const hs_test_case_t cases[] = {
    HS_CASE(catalogue),
    HS_CASE(every_rule_hits_and_passes),
    HS_CASE(reader_curl_i_redirects),
    HS_CASE(reader_hostile),
    HS_CASE(reader_har),
    HS_CASE(reader_har_hostile),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
