/* The two patch formats of PATCH /rest/{c}/{id}: JSON Merge Patch (RFC
 * 7396) and JSON Patch (RFC 6902, with JSON Pointer, RFC 6901). Pure
 * functions on jansson values. */
#ifndef HS_REST_PATCH_H
#define HS_REST_PATCH_H

#include <jansson.h>
#include <stddef.h>

enum {
  HS__PATCH_EBAD = -1,      /* the patch document is not a valid JSON Patch */
  HS__PATCH_ECONFLICT = -2, /* a path does not exist in the document */
  HS__PATCH_ETEST = -3,     /* a "test" operation failed */
  HS__PATCH_ENOMEM = -4
};

/* RFC 7396 §2: merges `patch` into `target` (reference stolen, may be
 * NULL) and returns the result (a new reference; NULL only when out of
 * memory). */
json_t *hs__rest_merge_patch(json_t *target, const json_t *patch);

/* RFC 6902 §4: applies the operations of `patch` in order to *doc (which
 * may be replaced). On failure returns an HS__PATCH_E* code with an English
 * explanation in err[n], and *doc holds a partly patched document the
 * caller throws away (§5: a patch applies whole or not at all). */
int hs__rest_json_patch(json_t **doc, const json_t *patch, char *err, size_t n);

/* RFC 6902 §4.6 equality: numbers by value, objects regardless of member
 * order, arrays element by element. */
int hs__rest_json_equal(const json_t *a, const json_t *b);

#endif
