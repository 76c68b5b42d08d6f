/* JSON objects that hold repeated keys the way httpbin shows a Werkzeug
 * MultiDict: a repeated key becomes a list, or keeps its first value. */
#ifndef HS_HTTPBIN_MULTIDICT_H
#define HS_HTTPBIN_MULTIDICT_H

#include <jansson.h>
#include <stddef.h>

/* Adds (key, val) to obj, val stolen: a new key maps to val; a repeated key
 * becomes a list when as_list, else the first value is kept. 0, or -1 on
 * out of memory. */
int hb__multi_add(json_t *obj, const char *key, size_t klen, json_t *val, int as_list);

#endif
