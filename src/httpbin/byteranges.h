/* Byte ranges: the Range field parsed against a representation's length
 * (RFC 9110 §14.1.1, §14.2), and the framing of a multipart/byteranges body
 * (RFC 9110 §14.6, RFC 2046 §5.1.1): a delimiter and the part's own fields
 * before each range's bytes, the close delimiter at the end. Content, not
 * HTTP framing: it is the same whatever protocol carries the response. */
#ifndef HS_HTTPBIN_BYTERANGES_H
#define HS_HTTPBIN_BYTERANGES_H

#include <stdint.h>

#include "base/buf.h"
#include "base/str.h"

/* More range-specs than this in one Range field: the field is ignored. */
#define HB_RANGE_MAX 100

typedef struct hb_range_s {
  unsigned long long first, last; /* inclusive */
} hb_range_t;

/* Parses a Range field value against a representation of `len` bytes.
 * Returns -1 when the field is to be ignored (another unit, invalid syntax,
 * more than HB_RANGE_MAX ranges), else the number of satisfiable ranges
 * written to out (HB_RANGE_MAX entries; in request order, last-pos clamped
 * to len - 1, RFC 9110 §14.1.2). A range whose last-pos is below its
 * first-pos counts as unsatisfiable, as httpbin answers it with 416. */
int hb_range_parse(hs__str_t v, unsigned long long len, hb_range_t *out);

/* Appends the delimiter and fields that open the part for bytes first..last
 * of a representation of `total` bytes of type `ctype`. */
void hb_byteranges_part(hs__buf_t *b, const char *boundary, const char *ctype, uint64_t first,
                        uint64_t last, uint64_t total);

/* Appends what ends a part's bytes (the line break before the next delimiter). */
void hb_byteranges_part_end(hs__buf_t *b);

/* Appends the close delimiter. */
void hb_byteranges_close(hs__buf_t *b, const char *boundary);

#endif
