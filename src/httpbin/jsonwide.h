/* JSON values Python's json module reads but jansson cannot hold: integers
 * outside 64 bits, numbers too large for a double, and the literals NaN,
 * Infinity and -Infinity. httpbin echoes them in "json" (Python keeps big
 * integers exact and writes infinities as Infinity); we carry each of them
 * through jansson as a "raw" string that jsonfmt writes without quotes. */
#ifndef HS_HTTPBIN_JSONWIDE_H
#define HS_HTTPBIN_JSONWIDE_H

#include <stddef.h>

/* Length of the marker that starts every raw string: a NUL and 16 letters
 * drawn at random when the process starts. Clients never see it (jsonfmt
 * replaces a raw string by its text) and cannot guess it, so no string that
 * came from a request is ever taken for a raw value. */
#define HB_JSON_RAW_MARK_LEN 17

/* The marker (HB_JSON_RAW_MARK_LEN bytes, not NUL-terminated). */
const char *hb_json_raw_mark(void);

/* If s (n bytes) is a raw string, returns the text to write in its place and
 * sets *len; else NULL. */
const char *hb_json_raw_text(const char *s, size_t n, size_t *len);

/* A copy of JSON `text` (n bytes) in which every value jansson cannot hold is
 * replaced by a raw string holding what Python's json.dumps writes for it:
 * the integer's digits as sent, "Infinity" / "-Infinity" for numbers beyond
 * a double's range, "NaN", "Infinity", "-Infinity" for those literals.
 * Returns the malloc'd copy (caller frees, *out_len set), or NULL when there
 * is nothing to replace, when Python would reject the text as well (an
 * integer of more than 4300 digits, Python's int_max_str_digits), or when
 * out of memory. Strings and malformed text are copied as they are. */
char *hb_json_widen(const char *text, size_t n, size_t *out_len);

#endif
