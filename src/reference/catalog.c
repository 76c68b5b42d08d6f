/* URLs of the web reference and the pages behind them (docs/web.md):
 *   /                         home            /codes/vendor|iis|ftp|ws  namespace indexes
 *   /codes/4xx                HTTP class      /codes/404                an HTTP number
 *   /codes/499/nginx          vendor meaning  /codes/iis/403.14         IIS sub-status
 *   /codes/ftp/5xx, /530      FTP class/reply /codes/ws/4000-4999, /1008 WebSocket
 * Every page has a fixed cache slot, computed from the record's position in the
 * registry, so the cache needs no hashing and no locking to find an entry. */
#include <stdio.h>
#include <string.h>

#include "reference/pages.h"

#define HTTP_LOW 100
#define HTTP_COUNT 500 /* 100-599 */
#define FIRST_CLASS_SLOT (1 + HS_NS_COUNT)

/* Slot of the first record of each namespace with record pages. */
static size_t first_record_slot(hs_namespace_t ns) {
  size_t ncls = 0, n = 0;
  hs_classes(&ncls);
  size_t slot = FIRST_CLASS_SLOT + ncls + HTTP_COUNT;
  for (int k = HS_NS_HTTP_VENDOR; k < (int)ns; k++) {
    hs_records((hs_namespace_t)k, &n);
    slot += n;
  }
  return slot;
}

size_t hs__ref_slot_count(void) { return first_record_slot(HS_NS_COUNT); }

/* Parses exactly `n` decimal digits (n ≤ 9); -1 when s[0..n) is not that. */
static int digits(const char *s, size_t n) {
  if (n == 0 || n > 9)
    return -1;
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* "4xx" → 4, else -1. */
static int class_digit(const char *s, size_t n) {
  return n == 3 && s[0] >= '1' && s[0] <= '9' && s[1] == 'x' && s[2] == 'x' ? s[0] - '0' : -1;
}

static int is(const char *s, size_t n, const char *lit) {
  return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

static int set_class(hs__ref_page_t *p, const hs_class_t *c) {
  size_t ncls = 0;
  const hs_class_t *all = hs_classes(&ncls);
  if (!c || c->kind == 1)
    return 0;
  p->kind = HS_REF_CLASS;
  p->ns = c->ns;
  p->cls = c;
  p->slot = FIRST_CLASS_SLOT + (size_t)(c - all);
  return 1;
}

static int set_record(hs__ref_page_t *p, const hs_status_t *r) {
  if (!r)
    return 0;
  size_t n = 0;
  const hs_status_t *all = hs_records(r->ns, &n);
  p->kind = HS_REF_RECORD;
  p->ns = r->ns;
  p->rec = r;
  p->slot = first_record_slot(r->ns) + (size_t)(r - all);
  return 1;
}

/* /codes/{n} and /codes/{n}/{vendor}: HTTP numbers with an official or vendor meaning. */
static int resolve_http(const char *s, size_t n, hs__ref_page_t *p) {
  const char *slash = memchr(s, '/', n);
  int code = digits(s, slash ? (size_t)(slash - s) : n);
  if (code < HTTP_LOW || code >= HTTP_LOW + HTTP_COUNT)
    return 0;
  const hs_status_t *vend[16];
  size_t nv = hs_vendor_meanings(code, vend, 16);
  if (nv > 16)
    nv = 16;
  if (slash) {
    const char *key = slash + 1;
    size_t klen = n - (size_t)(key - s);
    for (size_t i = 0; i < nv; i++)
      if (vend[i]->vendor_key && is(key, klen, vend[i]->vendor_key))
        return set_record(p, vend[i]);
    return 0;
  }
  const hs_status_t *off = hs_lookup(HS_NS_HTTP, code);
  if (!off && !nv)
    return 0;
  p->kind = HS_REF_HTTP;
  p->ns = HS_NS_HTTP;
  p->code = code;
  p->rec = off ? off : vend[0];
  size_t ncls = 0;
  hs_classes(&ncls);
  p->slot = FIRST_CLASS_SLOT + ncls + (size_t)(code - HTTP_LOW);
  return 1;
}

/* /codes/ws/{a}-{b} (a range) or /codes/ws/{code}. */
static int resolve_ws(const char *s, size_t n, hs__ref_page_t *p) {
  const char *dash = memchr(s, '-', n);
  if (dash) {
    int lo = digits(s, (size_t)(dash - s)), hi = digits(dash + 1, n - (size_t)(dash - s) - 1);
    const hs_class_t *c = lo >= 0 ? hs_class_of(HS_NS_WS, lo) : NULL;
    return c && c->value == lo && c->high == hi && set_class(p, c);
  }
  int code = digits(s, n);
  return code >= 0 && set_record(p, hs_lookup(HS_NS_WS, code));
}

int hs__ref_resolve(const char *path, size_t n, hs__ref_page_t *p) {
  memset(p, 0, sizeof *p);
  if (is(path, n, "/")) {
    p->kind = HS_REF_HOME;
    return 1;
  }
  if (n < 8 || memcmp(path, "/codes/", 7) != 0)
    return 0;
  const char *s = path + 7;
  n -= 7;
  static const struct {
    const char *name;
    hs_namespace_t ns;
  } names[] = {
      {"vendor", HS_NS_HTTP_VENDOR}, {"iis", HS_NS_IIS}, {"ftp", HS_NS_FTP}, {"ws", HS_NS_WS}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    size_t len = strlen(names[i].name);
    if (is(s, n, names[i].name)) {
      p->kind = HS_REF_NS;
      p->ns = names[i].ns;
      p->slot = 1 + (size_t)names[i].ns;
      return 1;
    }
    if (n > len + 1 && memcmp(s, names[i].name, len) == 0 && s[len] == '/') {
      const char *t = s + len + 1;
      size_t tn = n - len - 1;
      if (names[i].ns == HS_NS_WS)
        return resolve_ws(t, tn, p);
      if (names[i].ns == HS_NS_FTP) {
        int d = class_digit(t, tn), code = digits(t, tn);
        return d > 0 ? set_class(p, hs_class_of(HS_NS_FTP, d))
                     : code >= 0 && set_record(p, hs_lookup(HS_NS_FTP, code));
      }
      if (names[i].ns == HS_NS_IIS) {
        const char *dot = memchr(t, '.', tn);
        int code = dot ? digits(t, (size_t)(dot - t)) : -1;
        int sub = dot ? digits(dot + 1, tn - (size_t)(dot - t) - 1) : -1;
        return code >= 0 && sub >= 0 && set_record(p, hs_lookup_iis(code, sub));
      }
      return 0;
    }
  }
  int d = class_digit(s, n);
  if (d > 0)
    return set_class(p, hs_class_of(HS_NS_HTTP, d));
  return resolve_http(s, n, p);
}

void hs__ref_record_url(hs__buf_t *b, const hs_status_t *r) {
  switch (r->ns) {
  case HS_NS_HTTP:
    hs__buf_printf(b, "/codes/%d", r->code);
    break;
  case HS_NS_HTTP_VENDOR:
    hs__buf_printf(b, "/codes/%d/%s", r->code, r->vendor_key ? r->vendor_key : "");
    break;
  case HS_NS_IIS:
    hs__buf_printf(b, "/codes/iis/%d.%d", r->code, r->sub);
    break;
  case HS_NS_FTP:
    hs__buf_printf(b, "/codes/ftp/%d", r->code);
    break;
  default:
    hs__buf_printf(b, "/codes/ws/%d", r->code);
    break;
  }
}

void hs__ref_class_url(hs__buf_t *b, const hs_class_t *c) {
  if (c->ns == HS_NS_WS)
    hs__buf_printf(b, "/codes/ws/%d-%d", c->value, c->high);
  else if (c->ns == HS_NS_FTP && c->kind == 1)
    hs__buf_lit(b, "/codes/ftp#digits");
  else
    hs__buf_printf(b, "/codes/%s%dxx", c->ns == HS_NS_FTP ? "ftp/" : "", c->value);
}

void hs__ref_ns_url(hs__buf_t *b, hs_namespace_t ns) {
  static const char *const urls[HS_NS_COUNT] = {"/", "/codes/vendor", "/codes/iis", "/codes/ftp",
                                                "/codes/ws"};
  hs__buf_str(b, urls[ns]);
}

const hs_class_t *hs__ref_class_for(hs_namespace_t ns, int code) {
  switch (ns) {
  case HS_NS_HTTP:
  case HS_NS_HTTP_VENDOR:
    return hs_class_of(HS_NS_HTTP, code / 100);
  case HS_NS_FTP:
    return hs_class_of(HS_NS_FTP, code / 100);
  case HS_NS_WS:
    return hs_class_of(HS_NS_WS, code);
  default:
    return NULL;
  }
}

/* Is r in class (or WebSocket range) c? */
static int in_class(const hs_class_t *c, const hs_status_t *r) {
  if (c->ns == HS_NS_WS)
    return r->code >= c->value && r->code <= c->high;
  return r->code / 100 == c->value;
}

void hs__ref_each_in_class(const hs_class_t *c, void (*fn)(const hs_status_t *r, void *arg),
                           void *arg) {
  hs_namespace_t spaces[2] = {c->ns, c->ns == HS_NS_HTTP ? HS_NS_HTTP_VENDOR : HS_NS_COUNT};
  for (int k = 0; k < 2; k++) {
    if (spaces[k] == HS_NS_COUNT)
      continue;
    size_t n = 0;
    const hs_status_t *all = hs_records(spaces[k], &n);
    for (size_t i = 0; i < n; i++)
      if (in_class(c, &all[i]))
        fn(&all[i], arg);
  }
}

int hs__ref_vendor_first(const hs_status_t *all, size_t i) {
  for (size_t k = 0; k < i; k++)
    if (strcmp(all[k].vendor_key, all[i].vendor_key) == 0)
      return 0;
  return 1;
}
