/* Owned field lists (fields.h). */
#include "base/fields.h"

#include <stdlib.h>

/* Makes room for one more reference; returns it, or NULL (oom set). */
static hs__field_ref_t *new_ref(hs__fields_t *f) {
  if (hs__fields_oom(f))
    return NULL;
  if (f->n == f->cap) {
    size_t cap = f->cap ? f->cap * 2 : 8;
    hs__field_ref_t *r = realloc(f->refs, cap * sizeof(*r));
    if (!r) {
      f->oom = 1;
      return NULL;
    }
    f->refs = r;
    f->cap = cap;
  }
  return &f->refs[f->n];
}

void hs__fields_begin_value(hs__fields_t *f, const char *name, size_t nlen) {
  hs__field_ref_t *r = new_ref(f);
  if (!r)
    return;
  r->name_off = (uint32_t)f->bytes.len;
  r->name_len = (uint32_t)nlen;
  hs__sbuf_add(&f->bytes, name, nlen);
  r->value_off = (uint32_t)f->bytes.len;
  r->value_len = 0;
  f->n++;
}

void hs__fields_end_value(hs__fields_t *f) {
  if (hs__fields_oom(f) || !f->n)
    return;
  hs__field_ref_t *r = &f->refs[f->n - 1];
  r->value_len = (uint32_t)(f->bytes.len - r->value_off);
}

void hs__fields_add(hs__fields_t *f, const char *name, size_t nlen, const char *value,
                    size_t vlen) {
  hs__fields_begin_value(f, name, nlen);
  if (hs__fields_oom(f))
    return;
  hs__sbuf_add(&f->bytes, value, vlen);
  hs__fields_end_value(f);
}

void hs__fields_free(hs__fields_t *f) {
  hs__sbuf_free(&f->bytes);
  free(f->refs);
  f->refs = NULL;
  f->n = f->cap = 0;
  f->oom = 0;
}

void hs__fields_clear(hs__fields_t *f, size_t keep_max) {
  if (hs__fields_oom(f) || f->bytes.cap + f->cap * sizeof(hs__field_ref_t) > keep_max) {
    hs__fields_free(f);
    return;
  }
  f->n = 0;
  f->bytes.len = 0;
}
