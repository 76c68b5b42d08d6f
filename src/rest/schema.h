/* A documented subset of JSON Schema (draft 2020-12 keywords): type,
 * required, properties, additionalProperties, enum, minimum, maximum,
 * minLength, maxLength, pattern (POSIX extended regular expressions, not
 * ECMA-262), items; and the annotations $schema, $id, $comment, title,
 * description, default, examples. docs/rest.md lists them. */
#ifndef HS_REST_SCHEMA_H
#define HS_REST_SCHEMA_H

#include <jansson.h>
#include <stddef.h>

#define HS__SCHEMA_MAX_ERRORS 50

/* Checks that `schema` uses only the subset, with values of the right
 * kinds. Returns NULL if it does, else a static English reason and the
 * pointer to the offending keyword in where[n]. */
const char *hs__schema_check(const json_t *schema, char *where, size_t n);

/* Validates `doc` against a schema that passed hs__schema_check. Returns a
 * new array of {"pointer": JSON Pointer (RFC 6901), "detail": English}
 * objects, empty when valid (at most HS__SCHEMA_MAX_ERRORS), or NULL when
 * out of memory. */
json_t *hs__schema_validate(const json_t *schema, const json_t *doc);

#endif
