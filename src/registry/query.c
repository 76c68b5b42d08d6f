/* Parsing what people type or paste into a query (libhttpstatus): numbers with
 * surrounding words, status lines, full-width digits, namespace prefixes, vendor
 * keys and hc-style digit patterns. The CLI and library callers share it. */
#include <string.h>
#include <strings.h>

#include "registry_data.h"

#define MAX_TOKENS 24

/* Copy `in` into `out` (cap bytes), folding full-width ASCII (U+FF01-U+FF5E) to
 * ASCII and the ideographic space and any whitespace run to one space; trims. */
static void fold(const char *in, char *out, size_t cap) {
  size_t n = 0;
  int space = 1; /* drop leading blanks */
  for (const unsigned char *p = (const unsigned char *)in; *p && n + 4 < cap;) {
    unsigned c = *p;
    size_t len = 1;
    if (c == 0xEF && p[1] >= 0xBC && p[1] <= 0xBD && (p[2] & 0xC0) == 0x80) {
      unsigned cp = ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
      if (cp >= 0xFF01 && cp <= 0xFF5E) {
        c = cp - 0xFF01 + 0x21;
        len = 3;
      }
    } else if (c == 0xE3 && p[1] == 0x80 && p[2] == 0x80) { /* U+3000 */
      c = ' ';
      len = 3;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!space)
        out[n++] = ' ';
      space = 1;
      p += len;
      continue;
    }
    space = 0;
    if (len == 3 && c < 0x80) { /* folded */
      out[n++] = (char)c;
      p += len;
      continue;
    }
    /* copy one UTF-8 sequence whole, or stop if it would not fit */
    size_t seq = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    for (size_t i = 0; i < seq && p[i]; i++)
      out[n++] = (char)p[i];
    p += seq;
  }
  while (n && out[n - 1] == ' ')
    n--;
  out[n] = '\0';
}

/* A namespace word ("ws", "websocket", "ftp", ...) → namespace, else -1. */
static int ns_word(const char *w, size_t n) {
  static const struct {
    const char *name;
    int ns;
  } map[] = {{"http", HS_NS_HTTP},
             {"vendor", HS_NS_HTTP_VENDOR},
             {"iis", HS_NS_IIS},
             {"ftp", HS_NS_FTP},
             {"ws", HS_NS_WS},
             {"websocket", HS_NS_WS},
             {"http-vendor", HS_NS_HTTP_VENDOR}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strlen(map[i].name) == n && strncasecmp(w, map[i].name, n) == 0)
      return map[i].ns;
  return -1;
}

/* The vendor key `w` names ("nginx", "Cloudflare"), or NULL. */
static const char *vendor_key(const char *w, size_t n) {
  const hs__slice_t *sl = &hs__ns_slices[HS_NS_HTTP_VENDOR];
  for (uint32_t i = sl->start; i < sl->start + sl->count; i++) {
    const char *k = hs__records[i].vendor_key;
    if (k && strlen(k) == n && strncasecmp(k, w, n) == 0)
      return k;
  }
  return NULL;
}

/* A whole number of 1-5 digits, else -1. */
static long number(const char *w, size_t n) {
  if (n == 0 || n > 5)
    return -1;
  long v = 0;
  for (size_t i = 0; i < n; i++) {
    if (w[i] < '0' || w[i] > '9')
      return -1;
    v = v * 10 + (w[i] - '0');
  }
  return v;
}

/* A digit pattern such as 4xx, 45x, 4x4, 30[12], 10xx, 5?? into q->digits; it
 * needs at least one wildcard or set. Returns 1 if `w` is one. */
static int pattern(const char *w, size_t n, hs_query_t *q) {
  uint16_t d[4];
  int pos = 0, wild = 0;
  for (size_t i = 0; i < n; i++) {
    if (pos == 4)
      return 0;
    char c = w[i];
    if (c >= '0' && c <= '9') {
      d[pos++] = (uint16_t)(1u << (c - '0'));
    } else if (c == 'x' || c == 'X' || c == '?' || c == '*') {
      d[pos++] = 0x3FF;
      wild = 1;
    } else if (c == '[') { /* a set: [12], [0-3] */
      uint16_t set = 0;
      size_t j = i + 1;
      for (; j < n && w[j] != ']'; j++) {
        if (w[j] >= '0' && w[j] <= '9')
          set |= (uint16_t)(1u << (w[j] - '0'));
        else if (w[j] == '-' && j > i + 1 && j + 1 < n && w[j - 1] >= '0' && w[j + 1] >= '0' &&
                 w[j + 1] <= '9')
          for (int k = w[j - 1] - '0'; k <= w[j + 1] - '0'; k++)
            set |= (uint16_t)(1u << k);
        else
          return 0;
      }
      if (j >= n || !set)
        return 0;
      i = j;
      d[pos++] = set;
      wild = 1;
    } else {
      return 0;
    }
  }
  if (!wild || pos < 3)
    return 0;
  memcpy(q->digits, d, sizeof d[0] * (size_t)pos);
  q->ndigits = pos;
  return 1;
}

/* Strip punctuation people put around a code: "(nginx)", "404:", "'404'", "404." */
static void trim_punct(const char **w, size_t *n) {
  static const char lead[] = "(\"'<", trail[] = ")\"',:;.!?>";
  while (*n && (*w)[0] && strchr(lead, (*w)[0])) {
    (*w)++;
    (*n)--;
  }
  while (*n && (*w)[*n - 1] && strchr(trail, (*w)[*n - 1]))
    (*n)--;
}

hs_query_kind_t hs_parse_query(const char *input, int default_ns, hs_query_t *q) {
  if (!q)
    return HS_Q_NONE;
  memset(q, 0, sizeof *q);
  q->ns = default_ns >= 0 && default_ns < HS_NS_COUNT ? default_ns : -1;
  q->code = -1;
  q->sub = -1;
  if (!input)
    return HS_Q_NONE;
  char buf[sizeof q->text];
  fold(input, buf, sizeof buf);

  const char *tok[MAX_TOKENS];
  size_t len[MAX_TOKENS], nt = 0;
  for (char *p = buf; *p && nt < MAX_TOKENS;) {
    char *e = strchr(p, ' ');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    tok[nt] = p;
    len[nt++] = l;
    p += l + (e ? 1 : 0);
  }
  size_t skip_to = 0; /* tokens before this index were a namespace prefix */
  int named_ns = -1, found = 0, words = 0;
  for (size_t i = 0; i < nt; i++) {
    const char *w = tok[i];
    size_t n = len[i];
    if (n > 5 && strncasecmp(w, "http/", 5) == 0) /* a status line: HTTP/1.1 503 ... */
      continue;
    const char *colon = memchr(w, ':', n);
    if (colon && colon > w && colon < w + n - 1 && ns_word(w, (size_t)(colon - w)) >= 0) {
      named_ns = ns_word(w, (size_t)(colon - w)); /* ws:1008 */
      n -= (size_t)(colon + 1 - w);
      w = colon + 1;
    }
    if (!found && pattern(w, n, q)) {
      q->kind = HS_Q_PATTERN;
      found = 1;
      continue;
    }
    trim_punct(&w, &n);
    const char *vk = vendor_key(w, n);
    if (vk && (named_ns == HS_NS_HTTP_VENDOR || ns_word(w, n) < 0)) {
      size_t vl = strlen(vk) < sizeof q->vendor - 1 ? strlen(vk) : sizeof q->vendor - 1;
      memcpy(q->vendor, vk, vl);
      q->vendor[vl] = '\0';
      continue;
    }
    int nsw = ns_word(w, n);
    if (nsw >= 0 && named_ns < 0) {
      named_ns = nsw;
      if (i == skip_to)
        skip_to = i + 1;
      continue;
    }
    const char *dot = memchr(w, '.', n);
    long code = number(w, dot ? (size_t)(dot - w) : n);
    long sub = dot ? number(dot + 1, n - (size_t)(dot + 1 - w)) : -1;
    if (!found && code >= 100 && code <= 9999 && (!dot || (sub >= 0 && sub <= 999))) {
      q->kind = dot ? HS_Q_IIS : HS_Q_CODE;
      q->code = (int)code;
      q->sub = (int)sub;
      found = 1;
      continue;
    }
    if (n)
      words++;
  }
  /* the text without the namespace prefix, for name lookups and search */
  const char *rest = skip_to < nt ? tok[skip_to] : buf + strlen(buf);
  size_t rl = strlen(rest);
  memcpy(q->text, rest, rl + 1);

  if (named_ns >= 0)
    q->ns = named_ns;
  if (found) {
    if (q->kind == HS_Q_IIS)
      q->ns = HS_NS_IIS;
    else if (q->vendor[0])
      q->ns = HS_NS_HTTP_VENDOR;
    else if (q->kind == HS_Q_PATTERN && q->ndigits == 4 && q->ns < 0)
      q->ns = HS_NS_WS;
    return q->kind;
  }
  if (q->vendor[0] && words == 0) {
    q->ns = HS_NS_HTTP_VENDOR;
    return q->kind = HS_Q_VENDOR;
  }
  q->vendor[0] = '\0';
  return q->kind = q->text[0] ? HS_Q_NAME : HS_Q_NONE;
}

int hs_query_matches(const hs_query_t *q, int code) {
  if (!q || q->kind != HS_Q_PATTERN || q->ndigits < 3 || q->ndigits > 4 || code < 0)
    return 0;
  int digits[4];
  for (int i = q->ndigits - 1; i >= 0; i--) {
    digits[i] = code % 10;
    code /= 10;
  }
  if (code != 0 || digits[0] == 0)
    return 0;
  for (int i = 0; i < q->ndigits; i++)
    if (!(q->digits[i] & (1u << digits[i])))
      return 0;
  return 1;
}
