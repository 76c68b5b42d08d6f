/* Unit tests of src/rest: the patch engines against RFC 7396 Appendix A and
 * RFC 6902 Appendix A examples, the schema subset's pointers, entity-tag
 * comparison and HTTP dates, and the state machine over the memory store
 * with a clock the test moves (tombstones, namespace expiry, jobs, rate
 * windows). */
#include <jansson.h>
#include <string.h>

#include "hs_test.h"
#include "rest/patch.h"
#include "rest/rest.h"
#include "rest/rest_int.h"
#include "rest/schema.h"

static json_t *J(const char *s) { return json_loads(s, JSON_DECODE_ANY, NULL); }

/* RFC 7396 Appendix A: target, patch, result. */
HS_TEST(merge_patch_rfc7396_examples) {
  static const char *const v[][3] = {
      {"{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
      {"{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}"},
      {"{\"a\":\"b\"}", "{\"a\":null}", "{}"},
      {"{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}"},
      {"[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]"},
      {"{\"a\":\"foo\"}", "null", "null"},
      {"{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}"},
      {"[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}"},
      {"{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}"},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    json_t *p = J(v[i][1]), *r = hs__rest_merge_patch(J(v[i][0]), p), *want = J(v[i][2]);
    CHECK(hs__rest_json_equal(r, want), "example %zu", i);
    json_decref(p);
    json_decref(r);
    json_decref(want);
  }
}

/* RFC 6902 Appendix A: doc, patch, result or the error code. */
HS_TEST(json_patch_rfc6902_examples) {
  static const struct {
    const char *doc, *patch, *want;
    int rc;
  } v[] = {
      {"{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}]",
       "{\"baz\":\"qux\",\"foo\":\"bar\"}", 0},
      {"{\"foo\":[\"bar\",\"baz\"]}", "[{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}]",
       "{\"foo\":[\"bar\",\"qux\",\"baz\"]}", 0},
      {"{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"remove\",\"path\":\"/baz\"}]",
       "{\"foo\":\"bar\"}", 0},
      {"{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}}",
       "[{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}]",
       "{\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}", 0},
      {"{\"baz\":\"qux\"}", "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]", NULL,
       HS__PATCH_ETEST},
      {"{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":\"qux\"}]", NULL,
       HS__PATCH_ECONFLICT},
      {"{\"/\":9,\"~1\":10}", "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":10}]",
       "{\"/\":9,\"~1\":10}", 0},
      {"{\"foo\":[\"bar\"]}", "[{\"op\":\"add\",\"path\":\"/foo/-\",\"value\":[\"abc\",\"def\"]}]",
       "{\"foo\":[\"bar\",[\"abc\",\"def\"]]}", 0},
      {"{\"foo\":1}", "[{\"op\":\"test\",\"path\":\"/foo\",\"value\":1.0}]", "{\"foo\":1}", 0},
      {"{\"foo\":1}", "[{\"op\":\"add\",\"path\":\"foo\",\"value\":1}]", NULL, HS__PATCH_EBAD},
      {"{\"foo\":[1]}", "[{\"op\":\"add\",\"path\":\"/foo/01\",\"value\":1}]", NULL,
       HS__PATCH_ECONFLICT},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    json_t *doc = J(v[i].doc), *patch = J(v[i].patch);
    char err[256];
    int rc = hs__rest_json_patch(&doc, patch, err, sizeof err);
    CHECK_EQ_INT(rc, v[i].rc, "example %zu: %s", i, rc ? err : "");
    if (v[i].want) {
      json_t *want = J(v[i].want);
      CHECK(hs__rest_json_equal(doc, want), "example %zu", i);
      json_decref(want);
    }
    json_decref(doc);
    json_decref(patch);
  }
}

HS_TEST(schema_pointers_and_subset) {
  json_t *s = J("{\"type\":\"object\",\"required\":[\"a/b\"],\"properties\":{\"t\":{\"type\":"
                "\"array\",\"items\":{\"type\":\"integer\",\"maximum\":3}},\"s\":{\"maxLength\":"
                "2}},\"additionalProperties\":{\"type\":\"string\"}}");
  char where[128] = "";
  CHECK(hs__schema_check(s, where, sizeof where) == NULL, "valid schema at %s", where);
  json_t *doc = J("{\"t\":[1,4,\"x\"],\"s\":\"日本語\",\"z\":1}");
  json_t *e = hs__schema_validate(s, doc);
  json_decref(doc);
  char *text = json_dumps(e, JSON_COMPACT);
  CHECK(strstr(text, "\"pointer\":\"/a~1b\"") && strstr(text, "\"pointer\":\"/t/1\"") &&
            strstr(text, "\"pointer\":\"/t/2\"") && strstr(text, "\"pointer\":\"/s\"") &&
            strstr(text, "\"pointer\":\"/z\""),
        "%s", text);
  CHECK_EQ_UINT(json_array_size(e), 5);
  free(text);
  json_decref(e);
  json_t *bad = J("{\"properties\":{\"x\":{\"format\":\"email\"}}}");
  where[0] = '\0';
  CHECK(hs__schema_check(bad, where, sizeof where) != NULL, "format is outside the subset");
  CHECK_EQ_STR(where, "/properties/x/format");
  json_decref(bad);
  json_decref(s);
}

HS_TEST(etag_match_and_dates) {
  CHECK(hs__rest_etag_match(HS_STR("\"a\", \"b\""), "\"b\"", 0), "list");
  CHECK(!hs__rest_etag_match(HS_STR("W/\"b\""), "\"b\"", 0), "weak never matches If-Match");
  CHECK(hs__rest_etag_match(HS_STR("W/\"b\""), "\"b\"", 1), "weak comparison");
  CHECK(hs__rest_etag_match(HS_STR("*"), "\"b\"", 0), "star");
  CHECK(!hs__rest_etag_match(HS_STR("*"), NULL, 0), "star needs a representation");
  char d[32];
  hs__rest_httpdate(784111777, d);
  CHECK_EQ_STR(d, "Sun, 06 Nov 1994 08:49:37 GMT"); /* RFC 9110 §5.6.7 */
  int64_t t;
  CHECK_EQ_INT(hs__rest_parse_httpdate(HS_STR("Sun, 06 Nov 1994 08:49:37 GMT"), &t), 0);
  CHECK_EQ_INT(t, 784111777);
  CHECK_EQ_INT(hs__rest_parse_httpdate(HS_STR("Sunday, 06-Nov-94 08:49:37 GMT"), &t), -1);
}

/* One request against `st` at time `now`; returns the status. */
static int call(hs__rest_store_t *st, hs__rest_method_t m, const char *path, const char *body,
                int64_t now, hs__rest_out_t *keep) {
  const char *q = strchr(path, '?');
  hs__rest_in_t in = {
      .method = m,
      .path = {path, q ? (size_t)(q - path) : strlen(path)},
      .query = {q ? q + 1 : NULL, q ? strlen(q + 1) : 0},
      .content_type = HS_STR("application/json"),
      .playground = HS_STR("unit"),
      .body = body,
      .body_len = body ? strlen(body) : 0,
      .now = now,
      .random = 42,
      .max_depth = 16,
      .client = "c",
  };
  hs__rest_out_t out;
  hs__rest_handle(st, &in, &out);
  int s = out.status;
  if (keep)
    *keep = out;
  else
    hs__rest_out_free(&out);
  return s;
}

HS_TEST(tombstone_and_namespace_expiry) {
  hs__rest_limits_t l = {10, 4096, 4, 4, 100, 10};
  hs__rest_store_t *st = hs__rest_store_mem_new(&l);
  CHECK_EQ_INT(call(st, HS__REST_PUT, "c/1", "{}", 1000, NULL), 201);
  CHECK_EQ_INT(call(st, HS__REST_DELETE, "c/1", NULL, 1001, NULL), 204);
  CHECK_EQ_INT(call(st, HS__REST_GET, "c/1", NULL, 1010, NULL), 410);
  CHECK_EQ_INT(call(st, HS__REST_GET, "c/1", NULL, 1011, NULL), 404); /* 1001 + 10 */
  CHECK_EQ_INT(call(st, HS__REST_PUT, "c/2", "{}", 1011, NULL), 201);
  CHECK_EQ_INT(call(st, HS__REST_GET, "c/2", NULL, 1110, NULL), 200); /* used at 1011 */
  CHECK_EQ_INT(call(st, HS__REST_GET, "c/2", NULL, 1300, NULL), 404); /* idle 190 s > 100 */
  st->ops->destroy(st);
}

HS_TEST(job_and_rate_window) {
  hs__rest_limits_t l = {10, 4096, 4, 4, 1000, 10};
  hs__rest_store_t *st = hs__rest_store_mem_new(&l);
  hs__rest_out_t o;
  CHECK_EQ_INT(call(st, HS__REST_POST, "c?async=5", "{\"id\":\"x\"}", 2000, &o), 202);
  char job[64] = "";
  for (size_t i = 0; i < o.fields.n; i++) {
    hs__hdr_t h = hs__fields_at(&o.fields, i);
    if (h.name.len == 8 && memcmp(h.name.ptr, "Location", 8) == 0)
      snprintf(job, sizeof job, "%.*s", (int)h.value.len - 6, h.value.ptr + 6);
  }
  hs__rest_out_free(&o);
  CHECK(strncmp(job, "_jobs/", 6) == 0, "job %s", job);
  CHECK_EQ_INT(call(st, HS__REST_GET, job, NULL, 2004, NULL), 200);
  CHECK_EQ_INT(call(st, HS__REST_GET, "c/x", NULL, 2004, NULL), 404);
  CHECK_EQ_INT(call(st, HS__REST_GET, job, NULL, 2005, NULL), 303);
  CHECK_EQ_INT(call(st, HS__REST_GET, "c/x", NULL, 2005, NULL), 200);
  CHECK_EQ_INT(call(st, HS__REST_PUT, "_collections/r",
                    "{\"rate_limit\":{\"limit\":2,\"window\":10}}", 2005, NULL),
               200);
  CHECK_EQ_INT(call(st, HS__REST_GET, "r", NULL, 2010, NULL), 200);
  CHECK_EQ_INT(call(st, HS__REST_GET, "r", NULL, 2011, NULL), 200);
  CHECK_EQ_INT(call(st, HS__REST_GET, "r", NULL, 2019, NULL), 429);
  CHECK_EQ_INT(call(st, HS__REST_GET, "r", NULL, 2020, NULL), 200); /* a new window */
  st->ops->destroy(st);
}

static const hs_test_case_t cases[] = {
    HS_CASE(merge_patch_rfc7396_examples),   HS_CASE(json_patch_rfc6902_examples),
    HS_CASE(schema_pointers_and_subset),     HS_CASE(etag_match_and_dates),
    HS_CASE(tombstone_and_namespace_expiry), HS_CASE(job_and_rate_window),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
