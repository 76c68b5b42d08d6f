/* The depth and layout size of a JSON text (jsonshape.h); the layout is
 * jsonfmt.c's HB_JSON_INDENT2: two spaces per level, RFC 8259 §2 grammar. */
#include "httpbin/jsonshape.h"

void hb_json_shape(const char *text, size_t n, hb_json_shape_t *s) {
  size_t depth = 0, max = 0, layout = n;
  int in_str = 0;
  for (size_t i = 0; i < n; i++) {
    char c = text[i];
    if (in_str) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_str = 0;
      continue;
    }
    switch (c) {
    case '"':
      in_str = 1;
      break;
    case '[':
    case '{':
      if (++depth > max)
        max = depth;
      layout += 1 + 2 * depth; /* the first member's line */
      break;
    case ',':
      layout += 1 + 2 * depth;
      break;
    case ']':
    case '}':
      if (depth)
        depth--;
      layout += 1 + 2 * depth; /* the closing line */
      break;
    case ':':
      layout++;
      break;
    default:
      break;
    }
  }
  s->depth = max;
  s->layout = layout;
}
