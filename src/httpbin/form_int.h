/* Internals shared by form.c and multipart.c (not part of the API). */
#ifndef HB_FORM_INT_H
#define HB_FORM_INT_H

#include <jansson.h>

#include "base/sbuf.h"
#include "base/str.h"

/* 1 for the bytes Python's bytes.strip() / re \s remove (ASCII whitespace). */
int hb__is_pyspace(unsigned char c);

/* Adds (key, val) to obj, val stolen: a new key maps to val; a repeated key
 * becomes a list when as_list, else the first value is kept. 0, or -1 on
 * out of memory. */
int hb__multi_add(json_t *obj, const char *key, size_t klen, json_t *val, int as_list);

/* Looks up parameter `name` of a header value (see hb_header_param). Returns 1
 * with the value appended to out, 0 if absent, -1 if out of memory, -2 if an
 * RFC 8187 value does not decode in its charset (only UTF-8 and ISO-8859-1
 * are known; Werkzeug raises on such input). */
int hb__param_find(hs_str_t hv, const char *name, hs__sbuf_t *out);

#endif
