/* JSON Merge Patch (RFC 7396) and JSON Patch (RFC 6902) over jansson. */
#include "rest/patch.h"

#include <stdio.h>
#include <string.h>

json_t *hs__rest_merge_patch(json_t *target, const json_t *patch) {
  if (!json_is_object(patch)) {
    json_decref(target);
    return json_deep_copy(patch);
  }
  if (!json_is_object(target)) {
    json_decref(target);
    target = json_object();
    if (!target)
      return NULL;
  }
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)patch, k, v) {
    if (json_is_null(v)) {
      json_object_del(target, k);
      continue;
    }
    json_t *cur = json_object_get(target, k);
    json_t *merged = hs__rest_merge_patch(json_incref(cur), v);
    if (!merged || json_object_set_new(target, k, merged) < 0) {
      json_decref(target);
      return NULL;
    }
  }
  return target;
}

int hs__rest_json_equal(const json_t *a, const json_t *b) {
  if (json_is_number(a) && json_is_number(b)) {
    if (json_is_integer(a) && json_is_integer(b))
      return json_integer_value(a) == json_integer_value(b);
    return json_number_value(a) == json_number_value(b);
  }
  if (json_typeof(a) != json_typeof(b))
    return 0;
  if (json_is_array(a)) {
    if (json_array_size(a) != json_array_size(b))
      return 0;
    for (size_t i = 0; i < json_array_size(a); i++)
      if (!hs__rest_json_equal(json_array_get(a, i), json_array_get(b, i)))
        return 0;
    return 1;
  }
  if (json_is_object(a)) {
    if (json_object_size(a) != json_object_size(b))
      return 0;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)a, k, v) {
      json_t *w = json_object_get(b, k);
      if (!w || !hs__rest_json_equal(v, w))
        return 0;
    }
    return 1;
  }
  return json_equal(a, b);
}

/* The next reference token of pointer p (RFC 6901 §3-4), unescaped into
 * tok[cap]; advances *p. Returns 0, or -1 on a bad escape or overflow. */
static int next_token(const char **p, char *tok, size_t cap) {
  const char *s = *p + 1; /* skip '/' */
  size_t k = 0;
  for (; *s && *s != '/'; s++) {
    char c = *s;
    if (c == '~') {
      s++;
      if (*s != '0' && *s != '1')
        return -1;
      c = *s == '0' ? '~' : '/';
    }
    if (k + 1 >= cap)
      return -1;
    tok[k++] = c;
  }
  tok[k] = '\0';
  *p = s;
  return 0;
}

/* An array index token: digits without leading zeros (RFC 6901 §4);
 * -1 otherwise. */
static long index_of(const char *t) {
  size_t n = strlen(t);
  if (n == 0 || n > 9 || (n > 1 && t[0] == '0'))
    return -1;
  long v = 0;
  for (size_t i = 0; i < n; i++) {
    if (t[i] < '0' || t[i] > '9')
      return -1;
    v = v * 10 + (t[i] - '0');
  }
  return v;
}

/* Resolves all but the last token of `path` in doc: *parent is the
 * container, last[] the final token. Returns 0, HS__PATCH_EBAD (syntax) or
 * HS__PATCH_ECONFLICT (missing). Path "" gives *parent NULL. */
static int resolve(json_t *doc, const char *path, json_t **parent, char *last, size_t cap) {
  *parent = NULL;
  if (!*path)
    return 0;
  if (*path != '/')
    return HS__PATCH_EBAD;
  json_t *cur = doc;
  const char *p = path;
  for (;;) {
    if (next_token(&p, last, cap) < 0)
      return HS__PATCH_EBAD;
    if (!*p) {
      *parent = cur;
      return 0;
    }
    if (json_is_object(cur))
      cur = json_object_get(cur, last);
    else if (json_is_array(cur)) {
      long i = index_of(last);
      cur = i < 0 ? NULL : json_array_get(cur, (size_t)i);
    } else
      cur = NULL;
    if (!cur)
      return HS__PATCH_ECONFLICT;
  }
}

/* The value at `path` (borrowed) or NULL; *rc set when NULL. */
static json_t *get(json_t *doc, const char *path, int *rc) {
  json_t *parent;
  char last[1024];
  *rc = resolve(doc, path, &parent, last, sizeof last);
  if (*rc)
    return NULL;
  if (!parent)
    return doc;
  json_t *v = NULL;
  if (json_is_object(parent))
    v = json_object_get(parent, last);
  else if (json_is_array(parent)) {
    long i = index_of(last);
    v = i < 0 ? NULL : json_array_get(parent, (size_t)i);
  }
  if (!v)
    *rc = HS__PATCH_ECONFLICT;
  return v;
}

/* RFC 6902 §4.1 add (value stolen). */
static int add(json_t **doc, const char *path, json_t *value) {
  json_t *parent;
  char last[1024];
  int rc = resolve(*doc, path, &parent, last, sizeof last);
  if (rc) {
    json_decref(value);
    return rc;
  }
  if (!parent) {
    json_decref(*doc);
    *doc = value;
    return 0;
  }
  if (json_is_object(parent))
    return json_object_set_new(parent, last, value) < 0 ? HS__PATCH_ENOMEM : 0;
  if (json_is_array(parent)) {
    if (strcmp(last, "-") == 0)
      return json_array_append_new(parent, value) < 0 ? HS__PATCH_ENOMEM : 0;
    long i = index_of(last);
    if (i >= 0 && (size_t)i <= json_array_size(parent))
      return json_array_insert_new(parent, (size_t)i, value) < 0 ? HS__PATCH_ENOMEM : 0;
  }
  json_decref(value);
  return HS__PATCH_ECONFLICT;
}

/* RFC 6902 §4.2 remove. */
static int removes(json_t *doc, const char *path) {
  json_t *parent;
  char last[1024];
  int rc = resolve(doc, path, &parent, last, sizeof last);
  if (rc)
    return rc;
  if (!parent)
    return HS__PATCH_ECONFLICT; /* the whole document cannot be removed */
  if (json_is_object(parent))
    return json_object_del(parent, last) < 0 ? HS__PATCH_ECONFLICT : 0;
  long i = json_is_array(parent) ? index_of(last) : -1;
  if (i < 0 || json_array_remove(parent, (size_t)i) < 0)
    return HS__PATCH_ECONFLICT;
  return 0;
}

/* One operation. */
static int op(json_t **doc, const json_t *o, char *err, size_t n) {
  const char *name = json_string_value(json_object_get(o, "op"));
  const char *path = json_string_value(json_object_get(o, "path"));
  const char *from = json_string_value(json_object_get(o, "from"));
  json_t *value = json_object_get(o, "value");
  int rc = 0;
  if (!json_is_object(o) || !name || !path) {
    snprintf(err, n, "each operation is an object with \"op\" and \"path\" strings");
    return HS__PATCH_EBAD;
  }
  int needs_value = !strcmp(name, "add") || !strcmp(name, "replace") || !strcmp(name, "test");
  int needs_from = !strcmp(name, "move") || !strcmp(name, "copy");
  if ((needs_value && !value) || (needs_from && !from)) {
    snprintf(err, n, "\"%s\" needs \"%s\"", name, needs_value ? "value" : "from");
    return HS__PATCH_EBAD;
  }
  if (!strcmp(name, "add")) {
    rc = add(doc, path, json_deep_copy(value));
  } else if (!strcmp(name, "remove")) {
    rc = removes(*doc, path);
  } else if (!strcmp(name, "replace")) {
    if (get(*doc, path, &rc))
      rc = *path ? removes(*doc, path) : 0;
    if (!rc)
      rc = add(doc, path, json_deep_copy(value));
  } else if (!strcmp(name, "move")) {
    size_t fl = strlen(from);
    if (!strncmp(path, from, fl) && path[fl] == '/') {
      snprintf(err, n, "cannot move %s into its own child %s", from, path);
      return HS__PATCH_ECONFLICT;
    }
    json_t *v = json_incref(get(*doc, from, &rc));
    if (v && !(rc = *from ? removes(*doc, from) : 0))
      rc = add(doc, path, v);
    else
      json_decref(v);
  } else if (!strcmp(name, "copy")) {
    json_t *v = get(*doc, from, &rc);
    if (v)
      rc = add(doc, path, json_deep_copy(v));
  } else if (!strcmp(name, "test")) {
    json_t *v = get(*doc, path, &rc);
    if (v && !hs__rest_json_equal(v, value)) {
      snprintf(err, n, "test failed: the value at \"%s\" differs", path);
      return HS__PATCH_ETEST;
    }
    if (rc == HS__PATCH_ECONFLICT) {
      snprintf(err, n, "test failed: \"%s\" does not exist", path);
      return HS__PATCH_ETEST;
    }
  } else {
    snprintf(err, n, "unknown operation \"%s\"", name);
    return HS__PATCH_EBAD;
  }
  if (rc == HS__PATCH_EBAD)
    snprintf(err, n, "\"%s\" is not a JSON Pointer (RFC 6901)", from && needs_from ? from : path);
  else if (rc == HS__PATCH_ECONFLICT)
    snprintf(err, n, "%s: \"%s\" does not exist in the document", name,
             needs_from && from ? from : path);
  else if (rc)
    snprintf(err, n, "out of memory");
  return rc;
}

int hs__rest_json_patch(json_t **doc, const json_t *patch, char *err, size_t n) {
  if (!json_is_array(patch)) {
    snprintf(err, n, "a JSON Patch is an array of operations");
    return HS__PATCH_EBAD;
  }
  for (size_t i = 0; i < json_array_size(patch); i++) {
    int rc = op(doc, json_array_get(patch, i), err, n);
    if (rc)
      return rc;
  }
  return 0;
}
