/* libFuzzer harness for the REST playground's engines (src/rest): the JSON
 * Schema subset, JSON Merge Patch, JSON Patch, and the state machine over
 * the memory store. The first byte picks the engine; the rest is two JSON
 * texts cut at the first '\n' (for the state machine: a path, then a body).
 * Oracles:
 *   schema     a schema hs__schema_check accepts validates any document
 *              into an array of {pointer, detail} whose pointers are JSON
 *              Pointers ("" or starting with '/');
 *   merge      RFC 7396 is idempotent: merging the patch twice gives what
 *              merging it once gave;
 *   json patch a successful patch leaves a document equal to itself
 *              (a "test" of the whole result passes); a failure returns one
 *              of the documented codes;
 *   machine    every answer has a status from the documented set, and an
 *              error's body is problem+json that parses. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_harness.h"
#include "rest/patch.h"
#include "rest/rest.h"
#include "rest/schema.h"

#define MAX_NEST 64

static hs__rest_store_t *store;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  hs__rest_limits_t l = {100, 64 * 1024, 8, 16, 3600, 60};
  store = hs__rest_store_mem_new(&l);
  return 0;
}

/* Parses a text unless it nests deeper than MAX_NEST brackets in all. */
static json_t *load(const char *p, size_t n) {
  size_t open = 0;
  for (size_t i = 0; i < n; i++)
    open += p[i] == '[' || p[i] == '{';
  if (open > MAX_NEST)
    return NULL;
  return json_loadb(p, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
}

static void fuzz_schema(const json_t *a, const json_t *b) {
  char where[256] = "";
  if (hs__schema_check(a, where, sizeof where))
    return;
  json_t *errs = hs__schema_validate(a, b);
  if (!errs)
    return; /* out of memory */
  if (!json_is_array(errs))
    abort();
  for (size_t i = 0; i < json_array_size(errs); i++) {
    const char *p = json_string_value(json_object_get(json_array_get(errs, i), "pointer"));
    if (!p || (*p && *p != '/') ||
        !json_is_string(json_object_get(json_array_get(errs, i), "detail")))
      abort();
  }
  json_decref(errs);
}

static void fuzz_merge(const json_t *a, const json_t *b) {
  json_t *once = hs__rest_merge_patch(json_deep_copy(a), b);
  json_t *twice = once ? hs__rest_merge_patch(json_deep_copy(once), b) : NULL;
  if (once && twice && !hs__rest_json_equal(once, twice))
    abort();
  json_decref(once);
  json_decref(twice);
}

static void fuzz_json_patch(const json_t *a, const json_t *b) {
  json_t *doc = json_deep_copy(a);
  char err[256];
  int rc = hs__rest_json_patch(&doc, b, err, sizeof err);
  if (rc != 0 && rc != HS__PATCH_EBAD && rc != HS__PATCH_ECONFLICT && rc != HS__PATCH_ETEST &&
      rc != HS__PATCH_ENOMEM)
    abort();
  if (rc == 0 && doc) {
    json_t *t = json_pack("[{s:s,s:s,s:O}]", "op", "test", "path", "", "value", doc);
    if (t && hs__rest_json_patch(&doc, t, err, sizeof err) != 0)
      abort();
    json_decref(t);
  }
  json_decref(doc);
}

static const int statuses[] = {200, 201, 202, 204, 301, 303, 304, 308, 400, 401, 403, 404,
                               405, 409, 410, 412, 415, 422, 428, 429, 500, 503, 507};

static void fuzz_machine(uint8_t sel, const char *path, size_t plen, const char *body,
                         size_t blen) {
  static const char *const ctypes[] = {"application/json", "application/merge-patch+json",
                                       "application/json-patch+json", "text/plain"};
  const char *q = memchr(path, '?', plen);
  hs__rest_in_t in = {
      .method = (hs__rest_method_t)(sel % 7),
      .path = {path, q ? (size_t)(q - path) : plen},
      .query = {q ? q + 1 : NULL, q ? plen - (size_t)(q - path) - 1 : 0},
      .content_type = {ctypes[(sel >> 3) & 3], strlen(ctypes[(sel >> 3) & 3])},
      .if_match = {(sel & 0x20) ? "\"0000000000000000\"" : NULL, (sel & 0x20) ? 18 : 0},
      .playground = {"fuzz", 4},
      .body = body,
      .body_len = blen,
      .zh = (sel >> 6) & 1,
      .now = 1800000000,
      .random = 12345,
      .max_depth = 32,
      .client = "127.0.0.1",
  };
  hs__rest_out_t out;
  hs__rest_handle(store, &in, &out);
  int ok = 0;
  for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
    ok |= statuses[i] == out.status;
  if (!ok || out.status == 500)
    abort();
  if (out.ctype && strcmp(out.ctype, "application/problem+json") == 0) {
    json_t *p = json_loadb(out.body.p, out.body.len, 0, NULL);
    if (!p || json_integer_value(json_object_get(p, "status")) != out.status)
      abort();
    json_decref(p);
  }
  hs__rest_out_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  uint8_t sel = data[0];
  const char *rest;
  size_t rest_len;
  size_t head = hs_fuzz_split(data + 1, size - 1, &rest, &rest_len);
  const char *first = (const char *)data + 1;
  if ((sel & 3) == 3) {
    fuzz_machine(sel >> 2, first, head, rest, rest_len);
    return 0;
  }
  json_t *a = load(first, head), *b = load(rest, rest_len);
  if (a && b) {
    if ((sel & 3) == 0)
      fuzz_schema(a, b);
    else if ((sel & 3) == 1)
      fuzz_merge(a, b);
    else
      fuzz_json_patch(a, b);
  }
  json_decref(a);
  json_decref(b);
  return 0;
}
