/* A list of header (or trailer) fields that owns its bytes: what a handler
 * builds when the fields it sends are computed (cookies, ETags, trailers from
 * the query) and handed to the response layer in one piece. Names and values
 * are copied in; nothing here knows how fields go on the wire.
 *
 * Like hs__sbuf_t, running out of memory is recorded (`oom`) and later
 * additions are ignored, so a builder checks once at the end. */
#ifndef HS_BASE_FIELDS_H
#define HS_BASE_FIELDS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/sbuf.h"
#include "base/str.h"

typedef struct hs_field_ref_s {
  uint32_t name_off, name_len, value_off, value_len; /* into bytes */
} hs__field_ref_t;

typedef struct hs_fields_s {
  hs__sbuf_t bytes;      /* every name and value, back to back */
  hs__field_ref_t *refs; /* one per field, in order */
  size_t n, cap;
  int oom;
} hs__fields_t;

#define HS_FIELDS_INIT                                                                             \
  { HS_SBUF_INIT, NULL, 0, 0, 0 }

/* Adds a field; both strings are copied. */
void hs__fields_add(hs__fields_t *f, const char *name, size_t nlen, const char *value, size_t vlen);

/* Adds a field whose name and value are NUL-terminated strings. */
static inline void hs__fields_addz(hs__fields_t *f, const char *name, const char *value) {
  hs__fields_add(f, name, strlen(name), value, strlen(value));
}

/* Starts a field whose value is then appended piecewise to f->bytes (with the
 * hs__sbuf_* calls); hs__fields_end_value() closes it. */
void hs__fields_begin_value(hs__fields_t *f, const char *name, size_t nlen);
void hs__fields_end_value(hs__fields_t *f);

/* Field i (< f->n) as views into the list's storage (valid until the next
 * addition or hs__fields_free). */
static inline hs__hdr_t hs__fields_at(const hs__fields_t *f, size_t i) {
  const hs__field_ref_t *r = &f->refs[i];
  hs__hdr_t h = {{f->bytes.p + r->name_off, r->name_len},
                 {f->bytes.p + r->value_off, r->value_len}};
  return h;
}

/* 1 if anything failed to fit in memory. */
static inline int hs__fields_oom(const hs__fields_t *f) { return f->oom || f->bytes.oom; }

void hs__fields_free(hs__fields_t *f);

/* Empties the list and keeps its storage for the next fields (frees it after
 * an allocation failure, or when it holds more than `keep_max` bytes). */
void hs__fields_clear(hs__fields_t *f, size_t keep_max);

#endif
