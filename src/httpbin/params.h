/* Header field parameters (`type; name=value; name*=UTF-8''x`) as Werkzeug
 * parses them, and the byte-level helpers that parsing shares with the form
 * decoders (percent-decoding, Python's whitespace). */
#ifndef HS_HTTPBIN_PARAMS_H
#define HS_HTTPBIN_PARAMS_H

#include <stddef.h>

#include "base/sbuf.h"
#include "base/str.h"

/* Finds parameter `name` (case-insensitive) in a header value of the form
 * `token *( ";" name=value )` (RFC 9110 §5.6.6), as Werkzeug's
 * parse_options_header does: values may be tokens or quoted strings (only \\
 * and \" are unescaped, like Werkzeug), and `name*=charset'lang'%XX` (RFC 8187)
 * is decoded from UTF-8 or ISO-8859-1; the last occurrence wins, like
 * Werkzeug. Returns a malloc'd NUL-terminated UTF-8 value (caller frees; *len
 * set if non-NULL), or NULL if absent, valueless, undecodable or out of
 * memory. */
char *hb_header_param(hs__str_t value, const char *name, size_t *len);

/* Looks up parameter `name` of a header value (as hb_header_param). Returns 1
 * with the value appended to out, 0 if absent, -1 if out of memory, -2 if an
 * RFC 8187 value does not decode in its charset (only UTF-8 and ISO-8859-1
 * are known; Werkzeug raises on such input). */
int hb__param_find(hs__str_t hv, const char *name, hs__sbuf_t *out);

/* Appends the percent-decoded s[0..n) to b (Werkzeug _unquote_to_bytes: a '%'
 * not followed by two hex digits stays as is); plus=1 maps '+' to ' ' first. */
void hb__pct_decode(hs__sbuf_t *b, const char *s, size_t n, int plus);

#endif
