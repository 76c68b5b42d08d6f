/* JSON serialisation byte-compatible with httpbin 0.7 (RFC 8259 text).
 *
 * Observed on Debian 12 (python3-httpbin 0.7.0+dfsg-5, Flask 2.2.2, Python
 * 3.11, gunicorn 20.1), by curl against `gunicorn httpbin:app`:
 *  - jsonify() bodies (/get, /headers, /anything, /post, /ip, /uuid, ...) are
 *    COMPACT: separators "," and ":", no indentation, no spaces at all
 *    (Flask 2.2 only indents in debug mode; httpbin.org's old 2-space output
 *    came from older Flask with JSONIFY_PRETTYPRINT_REGULAR=True);
 *  - object keys are SORTED (sort_keys=True), including nested objects such as
 *    "headers", "args", "json"; order is by code point;
 *  - ensure_ascii=True: every character outside 0x20..0x7E is escaped as
 *    \uXXXX with lower-case hex ("\u00e9", "\u007f", "\u0001"), characters
 *    above U+FFFF as a surrogate pair ("\ud83d\ude00"); '"' and '\\' are
 *    backslash-escaped, \n \r \t \b \f use their short forms; '/' is NOT escaped;
 *  - the body ends with exactly one "\n" (httpbin's jsonify wrapper), and has
 *    Content-Type: application/json;
 *  - numbers: integers in decimal, floats as Python repr(): 2.5, 1e+100,
 *    1e-05, 1000000000000000.0, -0.0 (a JSON body {"a":1e100} is echoed back
 *    in "json" as 1e+100);
 *  - /stream/{n} lines and the 406 body of /image are plain json.dumps():
 *    separators ", " and ": ", keys in INSERTION order (not sorted),
 *    ensure_ascii, and no trailing newline from json.dumps itself (/stream
 *    adds one per line, the 406 body has none).
 *  - with indent=2 (debug mode) Python writes "," at line ends, ": " after
 *    keys, and "{}" / "[]" for empty containers. */
#include "httpbin/jsonfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sbuf.h"
#include "base/utf8.h"
#include "httpbin/jsonwide.h"

#define MAX_DEPTH 2048

typedef struct out_s {
  hb_json_emit_fn emit;
  void *ctx;
  int err;
  size_t len;
  char buf[4096];
} out_t;

/* Hands the buffered bytes to the emit callback (once per 4 KiB or at the end). */
static void flush(out_t *o) {
  if (o->len && !o->err && o->emit(o->ctx, o->buf, o->len))
    o->err = 1;
  o->len = 0;
}

/* Appends bytes to the staging buffer, flushing as it fills. */
static void put(out_t *o, const char *p, size_t n) {
  while (n && !o->err) {
    if (o->len == sizeof o->buf)
      flush(o);
    size_t k = sizeof o->buf - o->len;
    if (k > n)
      k = n;
    memcpy(o->buf + o->len, p, k);
    o->len += k;
    p += k;
    n -= k;
  }
}

static void putc_(out_t *o, char c) {
  if (o->len == sizeof o->buf)
    flush(o);
  o->buf[o->len++] = c;
}

static const char HEX[] = "0123456789abcdef";

static void put_u16(out_t *o, unsigned v) {
  char t[6] = {'\\', 'u', HEX[(v >> 12) & 15], HEX[(v >> 8) & 15], HEX[(v >> 4) & 15], HEX[v & 15]};
  put(o, t, 6);
}

/* 1 for the bytes that never need escaping: 0x20..0x7E except '"' and '\\'. */
static const unsigned char PLAIN[256] = {
    [' '] = 1,
    ['!'] = 1,
    ['#' ... '['] = 1,
    [']' ... '~'] = 1,
};

/* Writes a quoted string with Python's json escaping (see the top comment). */
static void put_string(out_t *o, const char *s, size_t n, int raw_utf8) {
  const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
  putc_(o, '"');
  while (p < end) {
    unsigned c = *p;
    if (PLAIN[c]) { /* printable ASCII other than '"' and '\\' */
      p++;
      continue;
    }
    if (c == 0x7F && raw_utf8) {
      p++;
      continue;
    }
    if (c >= 0x80 && raw_utf8) {
      uint32_t cp;
      int k = hs__utf8_next(p, (size_t)(end - p), &cp);
      if (cp != HS_UTF8_BAD) {
        p += k;
        continue;
      }
      put(o, (const char *)run, (size_t)(p - run));
      put(o, "\xEF\xBF\xBD", 3);
      p += k;
      run = p;
      continue;
    }
    put(o, (const char *)run, (size_t)(p - run));
    if (c >= 0x80) {
      uint32_t cp;
      int k = hs__utf8_next(p, (size_t)(end - p), &cp);
      if (cp == HS_UTF8_BAD)
        cp = 0xFFFD;
      if (cp >= 0x10000) {
        cp -= 0x10000;
        put_u16(o, 0xD800 | (cp >> 10));
        put_u16(o, 0xDC00 | (cp & 0x3FF));
      } else {
        put_u16(o, cp);
      }
      p += k;
    } else {
      const char *esc = NULL;
      switch (c) {
      case '"':
        esc = "\\\"";
        break;
      case '\\':
        esc = "\\\\";
        break;
      case '\n':
        esc = "\\n";
        break;
      case '\r':
        esc = "\\r";
        break;
      case '\t':
        esc = "\\t";
        break;
      case '\b':
        esc = "\\b";
        break;
      case '\f':
        esc = "\\f";
        break;
      default:
        break;
      }
      if (esc)
        put(o, esc, 2);
      else
        put_u16(o, c);
      p++;
    }
    run = p;
  }
  put(o, (const char *)run, (size_t)(p - run));
  putc_(o, '"');
}

/* Digits and decimal exponent of d with `prec` significant digits, correctly
 * rounded (glibc printf is exact). digits gets prec chars; returns the
 * exponent e such that d ~= 0.DIGITS * 10^e. */
static int sig_digits(double d, int prec, char *digits) {
  char t[48];
  snprintf(t, sizeof t, "%.*e", prec - 1, d); /* d.ddde[+-]XX, d > 0 */
  int k = 0;
  for (const char *p = t; *p && *p != 'e'; p++)
    if (*p >= '0' && *p <= '9')
      digits[k++] = *p;
  return atoi(strchr(t, 'e') + 1) + 1;
}

/* The double nearest to 0.DIGITS × 10^exp10 (strtod rounds correctly). The
 * text is put together by hand: printf here cost more than strtod itself. */
static double from_digits(const char *digits, int n, int exp10) {
  char t[48], *o = t;
  *o++ = '0';
  *o++ = '.';
  memcpy(o, digits, (size_t)n);
  o += n;
  *o++ = 'e';
  unsigned u = (unsigned)(exp10 < 0 ? -exp10 : exp10);
  if (exp10 < 0)
    *o++ = '-';
  char rev[12];
  int k = 0;
  do
    rev[k++] = (char)('0' + u % 10);
  while (u /= 10);
  while (k)
    *o++ = rev[--k];
  *o = '\0';
  return strtod(t, NULL);
}

/* Adds delta (+1/-1) to the last digit with carry; returns the new exponent
 * (digits shift when 99..9 → 100..0 and back), or -99999 if impossible. */
static int bump(char *digits, int n, int exp10, int delta) {
  int i = n - 1;
  if (delta > 0) {
    while (i >= 0 && digits[i] == '9')
      digits[i--] = '0';
    if (i < 0) { /* 99..9 + 1 = 100..0 */
      digits[0] = '1';
      return exp10 + 1;
    }
    digits[i]++;
  } else {
    while (i >= 0 && digits[i] == '0')
      digits[i--] = '9';
    if (i < 0)
      return -99999;
    digits[i]--;
    if (digits[0] == '0') { /* 100..0 - 1 = 99..9 one decade lower */
      memset(digits, '9', (size_t)n);
      return exp10 - 1;
    }
  }
  return exp10;
}

/* Many correctly rounded digits of d, from which the shorter roundings are
 * derived without printing again. */
#define WIDE 25

/* d correctly rounded to p <= 17 digits, from its WIDE-digit rounding w (of
 * exponent we): rounding w again gives the same digits unless the dropped
 * tail is exactly half a unit (then the true tail may be just above or below
 * half, or a tie), in which case printf decides. Returns the exponent. */
static int round_to(double d, const char *w, int we, int p, char *digits) {
  memcpy(digits, w, (size_t)p);
  int up = w[p] > '5';
  if (w[p] == '5') {
    int rest = 0;
    for (int i = p + 1; i < WIDE && !rest; i++)
      rest = w[i] != '0';
    if (!rest)
      return sig_digits(d, p, digits);
    up = 1;
  }
  return up ? bump(digits, p, we, +1) : we;
}

/* Is there a p-digit decimal that reads back as d? The correctly rounded
 * one (the nearest), else, where the interval of decimals reading back as d
 * is asymmetric (d a power of two: the gap below is half the gap above), one
 * of its two neighbours; if so its digits and exponent are left in digits,
 * *exp10. Elsewhere no p-digit decimal is nearer than the nearest, so its
 * neighbours are not tried (each try is a strtod). */
static int round_trips(double d, const char *w, int we, int p, char *digits, int *exp10) {
  int e = round_to(d, w, we, p, digits);
  if (from_digits(digits, p, e) == d) {
    *exp10 = e;
    return 1;
  }
  int two_exp;
  if (frexp(d, &two_exp) != 0.5) /* not a power of two */
    return 0;
  for (int delta = -1; delta <= 1 && p < 17; delta += 2) {
    char alt[20];
    memcpy(alt, digits, (size_t)p);
    int ae = bump(alt, p, e, delta);
    if (ae != -99999 && from_digits(alt, p, ae) == d) {
      memcpy(digits, alt, (size_t)p);
      *exp10 = ae;
      return 1;
    }
  }
  return 0;
}

/* Shortest digit string that round-trips (David Gay's mode 0, which Python's
 * repr() uses). Whether some p-digit decimal reads back as d only gets truer
 * as p grows (a p-digit decimal is also a (p+1)-digit one) and 17 digits
 * always do. Most doubles need 16 or 17 (arithmetic results, random
 * numbers), so 15 is tried first, then 16; below 15, a binary search finds
 * the least p in about four tries (each try is a strtod). */
static int shortest(double d, char *digits, int *exp10) {
  char w[WIDE + 1];
  int we = sig_digits(d, WIDE, w);
  char best[20];
  int best_e;
  if (!round_trips(d, w, we, 15, best, &best_e)) {
    if (round_trips(d, w, we, 16, digits, exp10))
      return 16;
    *exp10 = round_to(d, w, we, 17, digits);
    return 17;
  }
  int lo = 1, hi = 15;
  while (lo < hi) {
    int mid = (lo + hi) / 2, e;
    char t[20];
    if (round_trips(d, w, we, mid, t, &e)) {
      hi = mid;
      memcpy(best, t, (size_t)mid);
      best_e = e;
    } else {
      lo = mid + 1;
    }
  }
  memcpy(digits, best, (size_t)hi); /* hi only ever moves to a p that round-trips */
  *exp10 = best_e;
  return hi;
}

size_t hb_json_format_double(double d, char out[32]) {
  if (!isfinite(d))
    return 0;
  char *o = out;
  if (signbit(d))
    *o++ = '-';
  d = fabs(d);
  if (d == 0) {
    memcpy(o, "0.0", 4);
    return (size_t)(o - out) + 3;
  }
  char dg[20];
  int e, n = shortest(d, dg, &e); /* value = 0.dg * 10^e */
  /* Trailing zeros are not significant (p = 1 may give "0"-free digits anyway). */
  while (n > 1 && dg[n - 1] == '0')
    n--;
  if (e - 1 < -4 || e - 1 >= 16) {
    *o++ = dg[0];
    if (n > 1) {
      *o++ = '.';
      memcpy(o, dg + 1, (size_t)n - 1);
      o += n - 1;
    }
    o += sprintf(o, "e%c%02d", e - 1 < 0 ? '-' : '+', abs(e - 1));
  } else if (e <= 0) {
    *o++ = '0';
    *o++ = '.';
    for (int i = 0; i < -e; i++)
      *o++ = '0';
    memcpy(o, dg, (size_t)n);
    o += n;
  } else if (e < n) {
    memcpy(o, dg, (size_t)e);
    o += e;
    *o++ = '.';
    memcpy(o, dg + e, (size_t)(n - e));
    o += n - e;
  } else {
    memcpy(o, dg, (size_t)n);
    o += n;
    for (int i = n; i < e; i++)
      *o++ = '0';
    *o++ = '.';
    *o++ = '0';
  }
  *o = '\0';
  return (size_t)(o - out);
}

typedef struct key_s {
  const char *k;
  size_t n;
  json_t *v;
} key_t_;

/* Orders keys like Python's sorted() on str: by code point, shorter prefix first. */
static int key_cmp(const void *a, const void *b) {
  const key_t_ *x = a, *y = b;
  size_t m = x->n < y->n ? x->n : y->n;
  int c = memcmp(x->k, y->k, m); /* UTF-8 byte order = code point order */
  if (c)
    return c;
  return x->n < y->n ? -1 : x->n > y->n;
}

static void newline(out_t *o, int depth) {
  putc_(o, '\n');
  for (int i = 0; i < depth; i++)
    put(o, "  ", 2);
}

static void write_value(out_t *o, const json_t *v, unsigned flags, int depth);

/* Separator before a member/element: ", " or "," (+ newline and indent). */
static void item_sep(out_t *o, unsigned layout, int depth, int first) {
  if (!first) {
    if (layout == HB_JSON_SPACED)
      put(o, ", ", 2);
    else
      putc_(o, ',');
  }
  if (layout == HB_JSON_INDENT2)
    newline(o, depth);
}

/* Writes an object, keys in insertion order or sorted; borrows v. */
static void write_object(out_t *o, const json_t *v, unsigned flags, int depth) {
  unsigned layout = flags & HB_JSON_LAYOUT_MASK;
  size_t n = json_object_size(v);
  if (!n) {
    put(o, "{}", 2);
    return;
  }
  key_t_ small[16], *keys = n <= 16 ? small : malloc(n * sizeof *keys);
  if (!keys) {
    o->err = 1;
    return;
  }
  size_t i = 0;
  const char *k;
  size_t kl;
  json_t *val;
  json_object_keylen_foreach((json_t *)v, k, kl, val) {
    if (i < n)
      keys[i++] = (key_t_){k, kl, val};
  }
  n = i;
  if (flags & HB_JSON_SORT_KEYS) {
    if (n <= 16) { /* the usual case: a few keys; insertion sort, no allocation */
      for (size_t a = 1; a < n; a++) {
        key_t_ t = keys[a];
        size_t b = a;
        for (; b > 0 && key_cmp(&keys[b - 1], &t) > 0; b--)
          keys[b] = keys[b - 1];
        keys[b] = t;
      }
    } else {
      qsort(keys, n, sizeof *keys, key_cmp);
    }
  }
  putc_(o, '{');
  for (i = 0; i < n && !o->err; i++) {
    item_sep(o, layout, depth + 1, i == 0);
    put_string(o, keys[i].k, keys[i].n, flags & HB_JSON_RAW_UTF8);
    if (layout == HB_JSON_COMPACT)
      putc_(o, ':');
    else
      put(o, ": ", 2);
    write_value(o, keys[i].v, flags, depth + 1);
  }
  if (keys != small)
    free(keys);
  if (layout == HB_JSON_INDENT2)
    newline(o, depth);
  putc_(o, '}');
}

/* Writes any value; sets o->err on emit failure, NaN/inf or too deep nesting. */
static void write_value(out_t *o, const json_t *v, unsigned flags, int depth) {
  if (o->err)
    return;
  if (depth > MAX_DEPTH || !v) {
    o->err = 1;
    return;
  }
  char t[32];
  switch (json_typeof(v)) {
  case JSON_OBJECT:
    write_object(o, v, flags, depth);
    break;
  case JSON_ARRAY: {
    size_t n = json_array_size(v);
    if (!n) {
      put(o, "[]", 2);
      break;
    }
    putc_(o, '[');
    for (size_t i = 0; i < n && !o->err; i++) {
      item_sep(o, flags & HB_JSON_LAYOUT_MASK, depth + 1, i == 0);
      write_value(o, json_array_get(v, i), flags, depth + 1);
    }
    if ((flags & HB_JSON_LAYOUT_MASK) == HB_JSON_INDENT2)
      newline(o, depth);
    putc_(o, ']');
    break;
  }
  case JSON_STRING: {
    size_t rl;
    const char *raw = hb_json_raw_text(json_string_value(v), json_string_length(v), &rl);
    if (raw)
      put(o, raw, rl); /* a number jansson cannot hold (jsonwide.h) */
    else
      put_string(o, json_string_value(v), json_string_length(v), flags & HB_JSON_RAW_UTF8);
    break;
  }
  case JSON_INTEGER: {
    int k = snprintf(t, sizeof t, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    put(o, t, (size_t)k);
    break;
  }
  case JSON_REAL: {
    size_t k = hb_json_format_double(json_real_value(v), t);
    if (!k)
      o->err = 1;
    put(o, t, k);
    break;
  }
  case JSON_TRUE:
    put(o, "true", 4);
    break;
  case JSON_FALSE:
    put(o, "false", 5);
    break;
  case JSON_NULL:
    put(o, "null", 4);
    break;
  }
}

static void out_init(out_t *o, hb_json_emit_fn emit, void *ctx) {
  o->emit = emit;
  o->ctx = ctx;
  o->err = 0;
  o->len = 0;
}

/* Hands over what is left; returns 0, or -1 if anything failed. */
static int out_end(out_t *o) {
  if (!o->err)
    flush(o);
  return o->err ? -1 : 0;
}

/* See jsonfmt.h. Output is staged in a 4 KiB stack buffer. */
int hb_json_write(const json_t *v, unsigned flags, hb_json_emit_fn emit, void *ctx) {
  out_t o;
  out_init(&o, emit, ctx);
  write_value(&o, v, flags, 0);
  if (flags & HB_JSON_NEWLINE)
    putc_(&o, '\n');
  return out_end(&o);
}

/* See jsonfmt.h: v as a member value at `depth`, without the trailing newline. */
int hb_json_write_at(const json_t *v, unsigned flags, int depth, hb_json_emit_fn emit, void *ctx) {
  out_t o;
  out_init(&o, emit, ctx);
  write_value(&o, v, flags, depth);
  return out_end(&o);
}

/* See jsonfmt.h: one quoted string, escaped as every string of hb_json_write. */
int hb_json_write_string(const char *s, size_t n, unsigned flags, hb_json_emit_fn emit, void *ctx) {
  out_t o;
  out_init(&o, emit, ctx);
  put_string(&o, s, n, flags & HB_JSON_RAW_UTF8);
  return out_end(&o);
}

static int sbuf_emit(void *ctx, const char *p, size_t n) {
  hs__sbuf_add(ctx, p, n);
  return ((hs__sbuf_t *)ctx)->oom;
}

/* See jsonfmt.h: the caller frees the returned string. */
char *hb_json_dumps(const json_t *v, unsigned flags, size_t *len) {
  hs__sbuf_t b = HS_SBUF_INIT;
  if (hb_json_write(v, flags, sbuf_emit, &b)) {
    hs__sbuf_free(&b);
    return NULL;
  }
  return hs__sbuf_take(&b, len);
}
