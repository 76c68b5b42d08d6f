/* What echoing a JSON text costs before it is parsed: how deep it nests and
 * how large httpbin's indent=2 layout of it gets. Pretty-printing grows with
 * depth times lines (999 nested '[' in 2 KB print as 2 MB), so the echoing
 * handlers check both against their limits first (hb_request.c). */
#ifndef HS_HTTPBIN_JSONSHAPE_H
#define HS_HTTPBIN_JSONSHAPE_H

#include <stddef.h>

typedef struct hb_json_shape_s {
  size_t depth;  /* deepest nesting of arrays and objects */
  size_t layout; /* upper bound of the indent=2 layout's size, in bytes */
} hb_json_shape_t;

/* Scans text[0..n) (strings skipped, escapes included; malformed text
 * scanned all the same) and fills *s. layout counts the text itself plus,
 * for every '[', '{' and ',' outside strings, the line break and the
 * indentation of the line it starts, for every ']' and '}' those of the
 * closing line, and a space after every ':'. Escaping and number formatting
 * are not counted: they grow a token by a bounded factor (at most six times:
 * DEL → \u007f, é → \u00e9, 1e15 → 1000000000000000.0), unlike the layout,
 * which grows with depth. */
void hb_json_shape(const char *text, size_t n, hb_json_shape_t *s);

#endif
