/* libFuzzer harness for request bodies as httpbin reads them (src/httpbin
 * form.c, multipart.c): the input's first line is the Content-Type field
 * value, the rest the body, parsed as multipart/form-data (RFC 7578, with
 * small part limits so they are reached), as a whole httpbin body
 * (hb_form_body), and as application/x-www-form-urlencoded and a query
 * string. Oracle: only the documented return codes; form and files filled
 * only on success, within the part limit, with strings (or lists of them) of
 * valid UTF-8; and every result written as JSON (hb_json_write) reads back
 * with jansson as an equal value (unless a key holds NUL, written "\u0000"
 * as Python does, which jansson does not read in keys, or a value starts
 * with jsonwide's raw-value marker: a client cannot send it, as it is drawn
 * at random per process, but libFuzzer's comparison tracing reads it out of
 * memcmp and puts it in inputs). */
#include <jansson.h>
#include <stdlib.h>

#include "base/utf8.h"
#include "fuzz_harness.h"
#include "httpbin/form.h"
#include "httpbin/jsonfmt.h"
#include "httpbin/jsonwide.h"

/* Set by check_members when a key holds NUL, or a value is a raw one. */
static int no_roundtrip;

/* A string of valid UTF-8, or (lists=1) a non-empty array of them. */
static void check_value(const json_t *v, int lists) {
  if (lists && json_is_array(v)) {
    if (!json_array_size(v))
      abort();
    for (size_t i = 0; i < json_array_size(v); i++)
      check_value(json_array_get(v, i), 0);
    return;
  }
  if (!json_is_string(v) || !hs__utf8_valid(json_string_value(v), json_string_length(v)))
    abort();
  size_t rl;
  no_roundtrip |= hb_json_raw_text(json_string_value(v), json_string_length(v), &rl) != NULL;
}

/* Every member of object o is a value check_value accepts (keys too are
 * UTF-8); returns how many values there are, list items counted. */
static size_t check_members(const json_t *o, int lists) {
  if (!json_is_object(o))
    abort();
  size_t n = 0;
  const char *k;
  size_t kl;
  json_t *v;
  json_object_keylen_foreach((json_t *)o, k, kl, v) {
    if (!hs__utf8_valid(k, kl))
      abort();
    no_roundtrip |= memchr(k, '\0', kl) != NULL;
    check_value(v, lists);
    n += json_is_array(v) ? json_array_size(v) : 1;
  }
  return n;
}

/* v written by hb_json_write in two layouts parses back equal to v. */
static void check_roundtrip(const json_t *v) {
  if (no_roundtrip)
    return;
  static const unsigned layouts[] = {HB_JSON_FLASK, HB_JSON_FLASK_PRETTY | HB_JSON_RAW_UTF8};
  for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
    size_t n;
    char *text = hb_json_dumps(v, layouts[i], &n);
    if (!text)
      abort();
    json_error_t err;
    json_t *back = json_loadb(text, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!back || !json_equal(back, v))
      abort();
    json_decref(back);
    free(text);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *body;
  size_t len, ctl = hs_fuzz_split(data, size, &body, &len);
  hs__str_t ct = {(const char *)data, ctl};
  hb_form_limits_t lim = {.max_parts = 8, .max_part_header = 256};
  no_roundtrip = 0;
  unsigned flags = ctl & 1 ? HB_FORM_FILES_MULTI : 0;

  json_t *form = json_object(), *files = json_object();
  int rc = hb_form_multipart(ct, body, len, &lim, flags, form, files);
  if (rc != HB_FORM_OK && rc != HB_FORM_ENOBOUNDARY && rc != HB_FORM_EMALFORMED &&
      rc != HB_FORM_ELIMIT)
    abort();
  size_t nf = check_members(form, 1), nfi = check_members(files, flags & HB_FORM_FILES_MULTI);
  if (rc != HB_FORM_OK ? nf + nfi != 0 : nf + nfi > lim.max_parts)
    abort();
  check_roundtrip(form);
  check_roundtrip(files);
  json_decref(form);
  json_decref(files);

  json_t *f = NULL, *fi = NULL, *d = NULL;
  rc = hb_form_body(ct, body, len, &lim, flags, &f, &fi, &d);
  if (rc == HB_FORM_ENOMEM || !f || !fi || !d)
    abort();
  check_members(f, 1);
  check_members(fi, flags & HB_FORM_FILES_MULTI);
  check_value(d, 0);
  check_roundtrip(d);
  json_decref(f);
  json_decref(fi);
  json_decref(d);

  json_t *pairs = json_object();
  if (hb_form_urlencoded(body, len, pairs) != HB_FORM_OK)
    abort();
  check_members(pairs, 1);
  check_roundtrip(pairs);
  json_decref(pairs);
  json_t *args = hb_form_args((hs__str_t){body, len});
  if (!args)
    abort();
  check_members(args, 1);
  json_decref(args);
  return 0;
}
