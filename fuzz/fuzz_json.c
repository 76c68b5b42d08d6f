/* libFuzzer harness for JSON bodies as /post & co. echo them: the limits
 * (hb_json_shape, --json-max-depth, --json-max-expansion), jansson's parse,
 * the values Python reads and jansson cannot hold (jsonwide.c: big integers,
 * NaN, Infinity), and httpbin's writer (jsonfmt.c) in each layout. Oracle:
 * refusal and its explanation agree; a refused text is over the depth limit
 * or its estimated layout is over the expansion limit; an accepted value is
 * written in every layout, and what is written reads back (through the same
 * path) as an equal value — floats included, as repr() round-trips; the
 * indented text is never larger than the estimate allows. Inputs whose
 * strings start with jsonwide's raw-value marker are left out of the read
 * back: a client cannot send it (it is drawn at random per process), but
 * libFuzzer's comparison tracing reads it out of memcmp. */
#include <jansson.h>
#include <stdlib.h>

#define HS_FUZZ_SERVER
#include "fuzz_harness.h"
#include "handlers/hb_request.h"
#include "httpbin/jsonfmt.h"
#include "httpbin/jsonshape.h"
#include "httpbin/jsonwide.h"

HS_FUZZ_SERVER_STATE(cfg, ctx)

/* Counts what escaping and number formatting may add over the text: 5 bytes
 * per DEL (→ \u007f), 4 per byte of a non-ASCII character (é: 2 bytes →
 * \u00e9) and 17 per number character (1e15 → 1000000000000000.0), a loose
 * upper bound. */
static size_t growth_allowance(const uint8_t *p, size_t n) {
  size_t g = 0;
  for (size_t i = 0; i < n; i++)
    g += p[i] == 0x7f                                                 ? 5
         : p[i] >= 0x80                                               ? 4
         : (p[i] >= '0' && p[i] <= '9') || p[i] == 'e' || p[i] == 'E' ? 17
                                                                      : 0;
  return g;
}

/* Does v hold a raw string (jsonwide.h) whose text jsonwide would not have
 * written (not NaN, Infinity, -Infinity or an integer)? Such a string came
 * from the input itself. */
static int foreign_raw(const json_t *v) {
  if (json_is_array(v)) {
    for (size_t i = 0; i < json_array_size(v); i++)
      if (foreign_raw(json_array_get(v, i)))
        return 1;
    return 0;
  }
  if (json_is_object(v)) {
    const char *k;
    json_t *m;
    json_object_foreach((json_t *)v, k, m) {
      if (foreign_raw(m))
        return 1;
    }
    return 0;
  }
  size_t n;
  const char *t =
      json_is_string(v) ? hb_json_raw_text(json_string_value(v), json_string_length(v), &n) : NULL;
  if (!t)
    return 0;
  if ((n == 3 && !memcmp(t, "NaN", 3)) || (n == 8 && !memcmp(t, "Infinity", 8)) ||
      (n == 9 && !memcmp(t, "-Infinity", 9)))
    return 0;
  size_t i = t[0] == '-';
  if (i == n)
    return 1;
  for (; i < n; i++)
    if (t[i] < '0' || t[i] > '9')
      return 1;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  char msg[320];
  json_t *j = hs__hb_body_json(text, size, &cfg);
  int over = hs__hb_json_over_limit(text, size, &cfg, msg, sizeof msg);
  if ((j == NULL) != over)
    abort();
  hb_json_shape_t sh;
  hb_json_shape(text, size, &sh);
  if (!j) {
    if (sh.depth <= cfg.json_max_depth && sh.layout <= HS_JSON_EXPANSION_FLOOR &&
        sh.layout <= size * cfg.json_max_expansion)
      abort();
    return 0;
  }
  if (foreign_raw(j)) {
    json_decref(j);
    return 0;
  }
  static const unsigned layouts[] = {HB_JSON_FLASK, HB_JSON_FLASK_PRETTY, HB_JSON_PYDUMPS,
                                     HB_JSON_COMPACT | HB_JSON_RAW_UTF8};
  for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
    size_t n;
    char *out = hb_json_dumps(j, layouts[i], &n);
    if (!out)
      abort();
    if (layouts[i] == HB_JSON_FLASK_PRETTY && !json_is_null(j) &&
        n > sh.layout + growth_allowance(data, size) + 1)
      abort(); /* the estimate the limit relies on */
    json_t *back = hs__hb_body_json(out, n, &cfg);
    if (!back || !json_equal(back, j))
      abort();
    json_decref(back);
    free(out);
  }
  json_decref(j);
  return 0;
}
