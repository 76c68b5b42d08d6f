/* Query parameters the way httpbin's handlers read them, on top of
 * hb_form_args() (src/httpbin/form.h): the decoded `args` object whose values
 * are a string (one occurrence) or a list of strings (repeated key), keys in
 * first-seen order. Used by the redirect, cookies, auth, cache and bytes
 * handlers. Header-only: a few lines each. */
#ifndef HS_HANDLERS_HB_ARGS_H
#define HS_HANDLERS_HB_ARGS_H

#include <jansson.h>
#include <stdlib.h>
#include <strings.h>

#include "base/utf8.h"

/* The first value of an args member (a string, or the first string of a list),
 * as MultiDict.get / .items() give it; NULL if v is neither. Borrowed. */
static inline json_t *hs__hb_first(json_t *v) {
  if (json_is_array(v))
    v = json_array_get(v, 0);
  return json_is_string(v) ? v : NULL;
}

/* request.args.get(name): first value of the exact key, or NULL. Borrowed. */
static inline json_t *hs__hb_arg(json_t *args, const char *name) {
  return hs__hb_first(json_object_get(args, name));
}

/* httpbin's CaseInsensitiveDict(request.args.items())[name]: the first key
 * (in query order) equal to `name` ignoring ASCII case, with its first value.
 * Returns the value or NULL. Borrowed. */
static inline json_t *hs__hb_arg_ci(json_t *args, const char *name) {
  const char *k;
  json_t *v;
  json_object_foreach(args, k, v) {
    if (strcasecmp(k, name) == 0)
      return hs__hb_first(v);
  }
  return NULL;
}

/* Value of a hex digit, or -1. */
static inline int hs__hb_hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if ((c | 32) >= 'a' && (c | 32) <= 'f')
    return (c | 32) - 'a' + 10;
  return -1;
}

/* A path segment as a Werkzeug route variable sees it: %XX escapes decoded
 * (invalid ones kept as sent, like gunicorn's unquote), then invalid UTF-8
 * replaced by U+FFFD. Returns a malloc'd NUL-terminated string (caller frees;
 * *len set), or NULL if out of memory. */
static inline char *hs__hb_segment(const char *s, size_t n, size_t *len) {
  char *tmp = malloc(n + 1);
  if (!tmp)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    int hi = -1, lo = -1;
    if (s[i] == '%' && i + 2 < n) {
      char a = s[i + 1], b = s[i + 2];
      hi = hs__hb_hexval(a);
      lo = hs__hb_hexval(b);
    }
    if (hi >= 0 && lo >= 0) {
      tmp[k++] = (char)(hi << 4 | lo);
      i += 2;
    } else {
      tmp[k++] = s[i];
    }
  }
  char *out = hs__utf8_sanitize(tmp, k, len);
  free(tmp);
  return out;
}

#endif
