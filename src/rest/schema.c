/* The JSON Schema subset of the REST playground (schema.h). */
#include "rest/schema.h"

#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PATTERN 256

static const char *const types[] = {"object",  "array",   "string", "number",
                                    "integer", "boolean", "null",   NULL};

static int known_type(const char *s) {
  for (size_t i = 0; s && types[i]; i++)
    if (strcmp(s, types[i]) == 0)
      return 1;
  return 0;
}

/* Appends reference token `tok` to pointer buf (RFC 6901 §3 escaping). */
static void ptr_add(char *buf, size_t n, const char *tok) {
  size_t k = strlen(buf);
  if (k + 1 < n)
    buf[k++] = '/';
  for (; *tok && k + 2 < n; tok++) {
    if (*tok == '~' || *tok == '/') {
      buf[k++] = '~';
      buf[k++] = *tok == '~' ? '0' : '1';
    } else
      buf[k++] = *tok;
  }
  buf[k < n ? k : n - 1] = '\0';
}

static int nonneg_int(const json_t *v) { return json_is_integer(v) && json_integer_value(v) >= 0; }

const char *hs__schema_check(const json_t *s, char *where, size_t n) {
  if (!json_is_object(s))
    return "a schema is an object";
  size_t base = strlen(where);
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)s, k, v) {
    const char *why = NULL;
    where[base] = '\0';
    ptr_add(where, n, k);
    if (!strcmp(k, "type")) {
      if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v) && !why; i++)
          if (!known_type(json_string_value(json_array_get(v, i))))
            why = "\"type\" names object, array, string, number, integer, boolean or null";
      } else if (!known_type(json_string_value(v)))
        why = "\"type\" names object, array, string, number, integer, boolean or null";
    } else if (!strcmp(k, "required")) {
      for (size_t i = 0; i < json_array_size(v) && !why; i++)
        if (!json_is_string(json_array_get(v, i)))
          why = "\"required\" is an array of strings";
      if (!json_is_array(v))
        why = "\"required\" is an array of strings";
    } else if (!strcmp(k, "properties")) {
      if (!json_is_object(v))
        return "\"properties\" is an object of schemas";
      const char *pk;
      json_t *pv;
      size_t b2 = strlen(where);
      json_object_foreach(v, pk, pv) {
        where[b2] = '\0';
        ptr_add(where, n, pk);
        if ((why = hs__schema_check(pv, where, n)))
          return why;
      }
    } else if (!strcmp(k, "additionalProperties")) {
      if (!json_is_boolean(v) && (why = hs__schema_check(v, where, n)))
        return why;
    } else if (!strcmp(k, "items")) {
      if ((why = hs__schema_check(v, where, n)))
        return why;
    } else if (!strcmp(k, "enum")) {
      if (!json_is_array(v))
        why = "\"enum\" is an array";
    } else if (!strcmp(k, "minimum") || !strcmp(k, "maximum")) {
      if (!json_is_number(v))
        why = "\"minimum\" and \"maximum\" are numbers";
    } else if (!strcmp(k, "minLength") || !strcmp(k, "maxLength")) {
      if (!nonneg_int(v))
        why = "\"minLength\" and \"maxLength\" are non-negative integers";
    } else if (!strcmp(k, "pattern")) {
      regex_t re;
      if (!json_is_string(v) || json_string_length(v) > MAX_PATTERN ||
          strlen(json_string_value(v)) != json_string_length(v))
        why = "\"pattern\" is a string of at most 256 bytes";
      else if (regcomp(&re, json_string_value(v), REG_EXTENDED | REG_NOSUB) != 0)
        why = "\"pattern\" is not a POSIX extended regular expression";
      else
        regfree(&re);
    } else if (strcmp(k, "$schema") && strcmp(k, "$id") && strcmp(k, "$comment") &&
               strcmp(k, "title") && strcmp(k, "description") && strcmp(k, "default") &&
               strcmp(k, "examples"))
      why = "keyword outside the supported subset (see docs/rest.md)";
    if (why)
      return why;
  }
  where[base] = '\0';
  return NULL;
}

/* Collects errors into `errs` (stops adding past the maximum). */
static void fail(json_t *errs, const char *ptr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(json_t *errs, const char *ptr, const char *fmt, ...) {
  if (json_array_size(errs) >= HS__SCHEMA_MAX_ERRORS)
    return;
  char d[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(d, sizeof d, fmt, ap);
  va_end(ap);
  json_array_append_new(errs, json_pack("{s:s,s:s}", "pointer", ptr, "detail", d));
}

static int type_is(const json_t *v, const char *t) {
  if (!strcmp(t, "object"))
    return json_is_object(v);
  if (!strcmp(t, "array"))
    return json_is_array(v);
  if (!strcmp(t, "string"))
    return json_is_string(v);
  if (!strcmp(t, "number"))
    return json_is_number(v);
  if (!strcmp(t, "integer"))
    return json_is_integer(v) ||
           (json_is_real(v) && json_real_value(v) > -9e15 && json_real_value(v) < 9e15 &&
            json_real_value(v) == (double)(long long)json_real_value(v));
  if (!strcmp(t, "boolean"))
    return json_is_boolean(v);
  return json_is_null(v);
}

/* Code points of a UTF-8 string (jansson strings are valid UTF-8). */
static size_t u8len(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

static void check(const json_t *s, const json_t *v, char *ptr, size_t n, json_t *errs) {
  size_t base = strlen(ptr);
  const json_t *t = json_object_get(s, "type");
  if (t) {
    int ok = 0;
    if (json_is_array(t))
      for (size_t i = 0; i < json_array_size(t); i++)
        ok |= type_is(v, json_string_value(json_array_get(t, i)));
    else
      ok = type_is(v, json_string_value(t));
    if (!ok) {
      char *want = json_dumps(t, JSON_COMPACT | JSON_ENCODE_ANY);
      fail(errs, ptr, "must be of type %s", want ? want : "?");
      free(want);
      return; /* the other keywords would only repeat it */
    }
  }
  const json_t *e = json_object_get(s, "enum");
  if (e) {
    int ok = 0;
    for (size_t i = 0; i < json_array_size(e) && !ok; i++)
      ok = json_equal((json_t *)v, json_array_get(e, i));
    if (!ok)
      fail(errs, ptr, "must be one of the values of \"enum\"");
  }
  if (json_is_number(v)) {
    const json_t *mn = json_object_get(s, "minimum"), *mx = json_object_get(s, "maximum");
    if (mn && json_number_value(v) < json_number_value(mn))
      fail(errs, ptr, "must be at least %g", json_number_value(mn));
    if (mx && json_number_value(v) > json_number_value(mx))
      fail(errs, ptr, "must be at most %g", json_number_value(mx));
  }
  if (json_is_string(v)) {
    size_t len = u8len(json_string_value(v), json_string_length(v));
    const json_t *mn = json_object_get(s, "minLength"), *mx = json_object_get(s, "maxLength");
    if (mn && len < (size_t)json_integer_value(mn))
      fail(errs, ptr, "must be at least %lld characters long", (long long)json_integer_value(mn));
    if (mx && len > (size_t)json_integer_value(mx))
      fail(errs, ptr, "must be at most %lld characters long", (long long)json_integer_value(mx));
    const char *pat = json_string_value(json_object_get(s, "pattern"));
    regex_t re;
    if (pat && regcomp(&re, pat, REG_EXTENDED | REG_NOSUB) == 0) {
      if (strlen(json_string_value(v)) != json_string_length(v) ||
          regexec(&re, json_string_value(v), 0, NULL, 0) != 0)
        fail(errs, ptr, "must match the pattern %s", pat);
      regfree(&re);
    }
  }
  if (json_is_object(v)) {
    const json_t *req = json_object_get(s, "required");
    for (size_t i = 0; i < json_array_size(req); i++) {
      const char *name = json_string_value(json_array_get(req, i));
      if (!json_object_get(v, name)) {
        ptr_add(ptr, n, name);
        fail(errs, ptr, "is required");
        ptr[base] = '\0';
      }
    }
    const json_t *props = json_object_get(s, "properties");
    const json_t *add = json_object_get(s, "additionalProperties");
    const char *k;
    json_t *m;
    json_object_foreach((json_t *)v, k, m) {
      const json_t *ps = json_object_get(props, k);
      ptr_add(ptr, n, k);
      if (ps)
        check(ps, m, ptr, n, errs);
      else if (json_is_false(add))
        fail(errs, ptr, "is not allowed (additionalProperties is false)");
      else if (json_is_object(add))
        check(add, m, ptr, n, errs);
      ptr[base] = '\0';
    }
  }
  const json_t *items = json_object_get(s, "items");
  if (json_is_array(v) && items) {
    for (size_t i = 0; i < json_array_size(v); i++) {
      char idx[24];
      snprintf(idx, sizeof idx, "%zu", i);
      ptr_add(ptr, n, idx);
      check(items, json_array_get(v, i), ptr, n, errs);
      ptr[base] = '\0';
    }
  }
}

json_t *hs__schema_validate(const json_t *schema, const json_t *doc) {
  json_t *errs = json_array();
  char ptr[1024] = "";
  if (errs)
    check(schema, doc, ptr, sizeof ptr, errs);
  return errs;
}
