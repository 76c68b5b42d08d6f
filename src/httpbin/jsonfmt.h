/* JSON text exactly as httpbin (Python's json module under Flask) writes it.
 * See the top of jsonfmt.c for the observed facts. */
#ifndef HS_HTTPBIN_JSONFMT_H
#define HS_HTTPBIN_JSONFMT_H

#include <jansson.h>
#include <stddef.h>

#include "base/buf.h"

/* Layout (pick one) ... */
#define HB_JSON_COMPACT 0x0u /* separators (",", ":")  - Flask 2.2 jsonify() */
#define HB_JSON_SPACED 0x1u  /* separators (", ", ": ") - plain json.dumps() */
#define HB_JSON_INDENT2                                                                            \
  0x2u /* indent=2: "," + newline, ": " - Flask in debug mode, and                                 \
          httpbin.org's historical output */
#define HB_JSON_LAYOUT_MASK 0x3u
/* ... plus flags. */
#define HB_JSON_SORT_KEYS 0x10u /* sort object keys by code point (sort_keys=True) */
#define HB_JSON_NEWLINE 0x20u   /* append "\n" (jsonify does) */
#define HB_JSON_RAW_UTF8 0x40u  /* ensure_ascii=False: non-ASCII text left as UTF-8 */

/* What httpbin 0.7's jsonify() emits on Debian 12 (Flask 2.2, not debug). */
#define HB_JSON_FLASK (HB_JSON_COMPACT | HB_JSON_SORT_KEYS | HB_JSON_NEWLINE)
/* json.dumps(obj) with defaults, as in /stream/{n} lines and the 406 body. */
#define HB_JSON_PYDUMPS (HB_JSON_SPACED)
/* jsonify() with the old pretty-printing (JSONIFY_PRETTYPRINT_REGULAR). */
#define HB_JSON_FLASK_PRETTY (HB_JSON_INDENT2 | HB_JSON_SORT_KEYS | HB_JSON_NEWLINE)

/* Receives output pieces; returns 0 to go on, non-zero to abort. */
typedef int (*hb_json_emit_fn)(void *ctx, const char *p, size_t n);

/* Serialises v (borrowed) through emit in pieces of at most a few KiB.
 * Returns 0, or -1 if emit failed, v nests deeper than 2048 levels, or v holds
 * a real that is NaN/infinite (jansson never creates those). */
int hb_json_write(const json_t *v, unsigned flags, hb_json_emit_fn emit, void *ctx);

/* Pieces for writers that lay out an object themselves (hb_getdict.c): v as
 * the value of a member nested `depth` levels deep (the indentation its own
 * lines get in the HB_JSON_INDENT2 layout), never followed by a newline; and
 * one string (n bytes of UTF-8; invalid sequences become U+FFFD) quoted and
 * escaped like every string hb_json_write writes. Return 0 or -1 as it does. */
int hb_json_write_at(const json_t *v, unsigned flags, int depth, hb_json_emit_fn emit, void *ctx);
int hb_json_write_string(const char *s, size_t n, unsigned flags, hb_json_emit_fn emit, void *ctx);

/* Returns the text as a malloc'd NUL-terminated string (caller frees; *len
 * set if non-NULL), or NULL on failure (as hb_json_write, or out of memory). */
char *hb_json_dumps(const json_t *v, unsigned flags, size_t *len);

/* Appends the text to a server buffer (hs__buf_t aborts on exhaustion). Defined
 * here, inline, so this library does not link against the server's buf.c. */
static inline int hb__json_buf_emit(void *ctx, const char *p, size_t n) {
  hs__buf_append((hs__buf_t *)ctx, p, n);
  return 0;
}
static inline int hb_json_to_buf(hs__buf_t *b, const json_t *v, unsigned flags) {
  size_t before = b->len;
  int rc = hb_json_write(v, flags, hb__json_buf_emit, b);
  if (rc)
    b->len = before;
  return rc;
}

/* Writes a double as Python's repr() does (shortest round-trip digits;
 * exponent form "1e+16"/"1e-05" when the decimal exponent is < -4 or >= 16,
 * else fixed notation with at least one fractional digit "1.0"). out needs 32
 * bytes. Returns the length, or 0 for NaN/infinity. */
size_t hb_json_format_double(double d, char out[32]);

#endif
