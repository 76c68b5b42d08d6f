/* UTF-8 validation and repair with CPython's semantics (RFC 3629 §3-4; Unicode
 * ch. 3 "maximal subpart" replacement, which is what bytes.decode("utf-8",
 * "replace") does and therefore what httpbin shows for undecodable input). */
#ifndef HS_BASE_UTF8_H
#define HS_BASE_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "base/sbuf.h"

#define HS_UTF8_BAD 0xFFFFFFFFu

/* Decodes one sequence at s (n > 0 bytes available). Returns the number of
 * bytes consumed (1..4) and stores the code point in *cp, or HS_UTF8_BAD when
 * the bytes are not valid UTF-8; in that case the return value is the length of
 * the maximal subpart to replace with one U+FFFD (always >= 1). */
int hs__utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

/* 1 if s[0..n) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int hs__utf8_valid(const char *s, size_t n);

/* Appends s[0..n) to b with every invalid sequence replaced by U+FFFD. */
void hs__utf8_sanitize_to(hs__sbuf_t *b, const char *s, size_t n);

/* Appends ISO-8859-1 bytes to b as UTF-8. */
void hs__latin1_to_utf8(hs__sbuf_t *b, const char *s, size_t n);

/* Appends code point cp (<= U+10FFFF) to b as UTF-8. */
void hs__utf8_put(hs__sbuf_t *b, uint32_t cp);

/* Returns a malloc'd NUL-terminated copy of s[0..n) with invalid sequences
 * replaced by U+FFFD (caller frees; *out_len gets the length if non-NULL), or
 * NULL if out of memory. */
char *hs__utf8_sanitize(const char *s, size_t n, size_t *out_len);

#endif
