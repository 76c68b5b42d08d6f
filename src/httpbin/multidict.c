/* Python-dict-like JSON objects with repeated keys (multidict.h). */
#include "httpbin/multidict.h"

/* Adds (key, val) to obj; val is stolen. Returns 0 or -1 (out of memory). */
int hb__multi_add(json_t *obj, const char *key, size_t klen, json_t *val, int as_list) {
  if (!val)
    return -1;
  json_t *old = json_object_getn(obj, key, klen);
  if (!old)
    return json_object_setn_new_nocheck(obj, key, klen, val);
  if (!as_list) { /* httpbin's files: the first one wins */
    json_decref(val);
    return 0;
  }
  if (json_is_array(old))
    return json_array_append_new(old, val);
  json_t *arr = json_array();
  if (!arr || json_array_append(arr, old) || json_array_append_new(arr, val)) {
    json_decref(arr);
    return -1;
  }
  return json_object_setn_new_nocheck(obj, key, klen, arr);
}
