/* Internal layout of the generated registry tables (tools/gen_registry.py writes
 * registry_data.c; the files in src/registry/ read it). Not installed. */
#ifndef HS_REGISTRY_REGISTRY_DATA_H
#define HS_REGISTRY_REGISTRY_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "httpstatus/registry.h"

typedef struct hs__slice_s {
  uint32_t start, count;
} hs__slice_t;

/* A normalised name ("notfound") and the record it names. Sorted by name. */
typedef struct hs__name_s {
  const char *name;
  uint32_t record;
} hs__name_t;

/* A search term with its postings hs__postings[start .. start+count). Sorted by
 * bytes. `mask` is a 27-bit letter/digit presence mask (English terms only). */
typedef struct hs__term_s {
  const char *term;
  uint32_t len;
  uint32_t mask;
  uint32_t start, count;
} hs__term_t;

typedef struct hs__posting_s {
  uint16_t record;
  uint16_t weight;
} hs__posting_t;

extern const hs_status_t hs__records[];
extern const size_t hs__record_count;
/* Curated related records of record i: hs__related_list[hs__related[i].start ..
 * + count), record indexes (data: `related:`). */
extern const uint16_t hs__related_list[];
extern const hs__slice_t hs__related[];
extern const hs__slice_t hs__ns_slices[HS_NS_COUNT];
/* Direct indexes: value is record index + 1, 0 when absent. */
extern const uint16_t hs__idx_http[500];   /* 100..599 */
extern const uint16_t hs__idx_vendor[500]; /* 100..599, first vendor meaning */
extern const uint16_t hs__idx_ftp[600];    /* 100..699 */
extern const uint16_t hs__idx_ws[4000];    /* 1000..4999 */
extern const uint16_t hs__idx_iis0[200];   /* 400..599, the ".0" sub-status */
extern const uint16_t hs__iis_hash[512];   /* open addressing on code*1000+sub */
extern const hs__name_t hs__names[];
extern const size_t hs__name_count;
extern const hs_class_t hs__classes[];
extern const size_t hs__class_count;
extern const hs__term_t hs__en_terms[];
extern const size_t hs__en_terms_count;
extern const hs__term_t hs__zh_terms[];
extern const size_t hs__zh_terms_count;
extern const hs__posting_t hs__postings[];
/* Words the index leaves out (NULL-terminated); the query parser skips them too. */
extern const char *const hs__stop_words[];

#define HS__IIS_HASH_BITS 9

/* Same hash as gen_registry.py's iis_hash(). */
static inline uint32_t hs__iis_slot(uint32_t key) {
  return (uint32_t)(key * 2654435761u) >> (32 - HS__IIS_HASH_BITS);
}

/* Normalise a name the way gen_registry.py's norm_name() does: ASCII letters and
 * digits only, lower-cased. Writes at most cap-1 bytes plus NUL into out; returns
 * the length, or -1 if it did not fit. */
int hs__norm_name(const char *in, char *out, size_t cap);

#endif
