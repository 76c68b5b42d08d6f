/* See jsonwide.h. The grammar is RFC 8259 §6 (numbers); what Python accepts
 * beyond it (NaN, Infinity, -Infinity; integers of any length up to
 * sys.int_info.default_max_str_digits = 4300) is from CPython 3.11's json
 * module and int(). */
#include "httpbin/jsonwide.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "base/sbuf.h"

#define PY_MAX_DIGITS 4300

static char mark[HB_JSON_RAW_MARK_LEN];

/* Draws the marker once, before main() (no thread can race it). */
__attribute__((constructor)) static void draw_mark(void) {
  unsigned char r[HB_JSON_RAW_MARK_LEN - 1];
  if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ ((uint64_t)getpid() << 40) ^
                 (uint64_t)(uintptr_t)&ts;
    for (size_t i = 0; i < sizeof r; i++) { /* splitmix64 steps */
      x += 0x9E3779B97F4A7C15ull;
      uint64_t z = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
      r[i] = (unsigned char)((z ^ (z >> 27)) >> 32);
    }
  }
  mark[0] = '\0';
  for (size_t i = 0; i < sizeof r; i++)
    mark[1 + i] = (char)('a' + r[i] % 26);
}

const char *hb_json_raw_mark(void) { return mark; }

const char *hb_json_raw_text(const char *s, size_t n, size_t *len) {
  if (n <= HB_JSON_RAW_MARK_LEN || s[0] != '\0' || memcmp(s, mark, HB_JSON_RAW_MARK_LEN) != 0)
    return NULL;
  *len = n - HB_JSON_RAW_MARK_LEN;
  return s + HB_JSON_RAW_MARK_LEN;
}

static int digit(char c) { return c >= '0' && c <= '9'; }

/* Length of the RFC 8259 number at p (0 if there is none); *is_int says
 * whether it has neither fraction nor exponent, *ndigits counts the digits
 * of its integer part. */
static size_t number_len(const char *p, const char *e, int *is_int, size_t *ndigits) {
  const char *s = p;
  if (s < e && *s == '-')
    s++;
  if (s == e || !digit(*s))
    return 0;
  const char *d = s;
  if (*s == '0')
    s++;
  else
    while (s < e && digit(*s))
      s++;
  *ndigits = (size_t)(s - d);
  *is_int = 1;
  if (s < e && *s == '.') {
    s++;
    if (s == e || !digit(*s))
      return 0;
    while (s < e && digit(*s))
      s++;
    *is_int = 0;
  }
  if (s < e && (*s == 'e' || *s == 'E')) {
    s++;
    if (s < e && (*s == '+' || *s == '-'))
      s++;
    if (s == e || !digit(*s))
      return 0;
    while (s < e && digit(*s))
      s++;
    *is_int = 0;
  }
  return (size_t)(s - p);
}

/* Does the integer text fit jansson's json_int_t (64 bits)? */
static int fits_int64(const char *p, size_t n) {
  char tmp[32];
  if (n >= sizeof tmp)
    return 0;
  memcpy(tmp, p, n);
  tmp[n] = '\0';
  errno = 0;
  (void)strtoll(tmp, NULL, 10);
  return errno != ERANGE;
}

/* Does the number text overflow a double (jansson refuses it)? */
static int overflows_double(const char *p, size_t n) {
  char small[64], *tmp = n < sizeof small ? small : malloc(n + 1);
  if (!tmp)
    return 0;
  memcpy(tmp, p, n);
  tmp[n] = '\0';
  errno = 0;
  double d = strtod(tmp, NULL);
  if (tmp != small)
    free(tmp);
  return errno == ERANGE && (d > 1.0 || d < -1.0);
}

/* Appends a raw string with `text` as its value, in JSON syntax. */
static void add_raw(hs__sbuf_t *b, const char *text, size_t n) {
  hs__sbuf_add(b, "\"\\u0000", 7);
  hs__sbuf_add(b, mark + 1, HB_JSON_RAW_MARK_LEN - 1);
  hs__sbuf_add(b, text, n);
  hs__sbuf_addc(b, '"');
}

static int starts(const char *p, const char *e, const char *lit) {
  size_t n = strlen(lit);
  return (size_t)(e - p) >= n && memcmp(p, lit, n) == 0;
}

char *hb_json_widen(const char *text, size_t n, size_t *out_len) {
  hs__sbuf_t b = HS_SBUF_INIT;
  const char *p = text, *e = text + n, *run = text;
  size_t replaced = 0;
  while (p < e) {
    char c = *p;
    if (c == '"') { /* a string: copied as it is, escapes included */
      for (p++; p < e && *p != '"'; p++)
        if (*p == '\\' && p + 1 < e)
          p++;
      if (p < e)
        p++;
      continue;
    }
    const char *lit = NULL;
    if (starts(p, e, "NaN"))
      lit = "NaN";
    else if (starts(p, e, "Infinity"))
      lit = "Infinity";
    else if (starts(p, e, "-Infinity"))
      lit = "-Infinity";
    if (lit) {
      hs__sbuf_add(&b, run, (size_t)(p - run));
      add_raw(&b, lit, strlen(lit));
      replaced++;
      p += strlen(lit);
      run = p;
      continue;
    }
    int is_int;
    size_t nd, k = (c == '-' || digit(c)) ? number_len(p, e, &is_int, &nd) : 0;
    if (!k) {
      p++;
      continue;
    }
    if (is_int && nd > PY_MAX_DIGITS) { /* Python: ValueError, "json" is null */
      hs__sbuf_free(&b);
      return NULL;
    }
    const char *raw = NULL;
    size_t rn = 0;
    if (is_int ? nd > 18 && !fits_int64(p, k) : overflows_double(p, k)) {
      raw = is_int ? p : (*p == '-' ? "-Infinity" : "Infinity");
      rn = is_int ? k : strlen(raw);
    }
    if (raw) {
      hs__sbuf_add(&b, run, (size_t)(p - run));
      add_raw(&b, raw, rn);
      replaced++;
      run = p + k;
    }
    p += k;
  }
  if (!replaced || b.oom) {
    hs__sbuf_free(&b);
    return NULL;
  }
  hs__sbuf_add(&b, run, (size_t)(e - run));
  return hs__sbuf_take(&b, out_len);
}
