/* The framing of a multipart/byteranges body (RFC 9110 §14.6, RFC 2046
 * §5.1.1): a delimiter and the part's own fields before each range's bytes,
 * the close delimiter at the end. Content, not HTTP framing: it is the same
 * whatever protocol carries the response. */
#ifndef HB_BYTERANGES_H
#define HB_BYTERANGES_H

#include <stdint.h>

#include "base/buf.h"

/* Appends the delimiter and fields that open the part for bytes first..last
 * of a representation of `total` bytes of type `ctype`. */
void hb_byteranges_part(hs_buf_t *b, const char *boundary, const char *ctype, uint64_t first,
                        uint64_t last, uint64_t total);

/* Appends what ends a part's bytes (the line break before the next delimiter). */
void hb_byteranges_part_end(hs_buf_t *b);

/* Appends the close delimiter. */
void hb_byteranges_close(hs_buf_t *b, const char *boundary);

#endif
