/* /codes addresses the CLI understands but that name no page: they redirect to
 * the page the CLI would show (308, the query string kept), or, for a number
 * nothing is registered under, answer 404 naming its class and the nearest
 * registered codes, as `httpstatus 432` does (issue 25: the web and the CLI
 * answer the same questions).
 *   /codes         → /             /codes/5XX      → /codes/5xx
 *   /codes/vendors → /codes/vendor#vendors (the list of vendors)
 *   /codes/1008    → /codes/ws/1008   /codes/331 → /codes/ftp/331 (HTTP has none)
 *   /codes/403.14  → /codes/iis/403.14                                          */
#include <stdio.h>
#include <string.h>

#include "reference/redirect.h"
#include "reference/send.h"

/* Writes the page `path` redirects to into `to`; 1 when there is one. */
static int redirect_target(const char *s, size_t n, char *to, size_t cap) {
  if (n == 6 || (n == 7 && s[6] == '/')) /* "/codes" or "/codes/" */
    return snprintf(to, cap, "/") > 0;
  if (n == 14 && memcmp(s, "/codes/vendors", 14) == 0) /* `httpstatus vendors` */
    return snprintf(to, cap, "/codes/vendor#vendors") > 0;
  const char *t = s + 7;
  size_t tn = n - 7;
  if (tn == 3 && t[0] >= '1' && t[0] <= '5' && (t[1] == 'x' || t[1] == 'X') &&
      (t[2] == 'x' || t[2] == 'X') && !(t[1] == 'x' && t[2] == 'x'))
    return snprintf(to, cap, "/codes/%cxx", t[0]) > 0;
  int code = 0, sub = -1;
  size_t i = 0;
  for (; i < tn && i < 5 && t[i] >= '0' && t[i] <= '9'; i++)
    code = code * 10 + (t[i] - '0');
  if (i == 0)
    return 0;
  if (i < tn && t[i] == '.') {
    size_t j = i + 1;
    sub = 0;
    for (; j < tn && j - i <= 4 && t[j] >= '0' && t[j] <= '9'; j++)
      sub = sub * 10 + (t[j] - '0');
    if (j != tn || j == i + 1)
      return 0;
    return hs_lookup_iis(code, sub) && snprintf(to, cap, "/codes/iis/%d.%d", code, sub) > 0;
  }
  if (i != tn || hs_lookup(HS_NS_HTTP, code))
    return 0;
  const hs_status_t *v;
  if (code >= 100 && code <= 599 && hs_vendor_meanings(code, &v, 1) > 0)
    return 0;                     /* a vendor number has its own page */
  if (hs_lookup(HS_NS_FTP, code)) /* the CLI's order for a bare number: FTP, then WS */
    return snprintf(to, cap, "/codes/ftp/%d", code) > 0;
  if (hs_lookup(HS_NS_WS, code))
    return snprintf(to, cap, "/codes/ws/%d", code) > 0;
  return 0;
}

/* For an unregistered HTTP number (432): the 404 message naming its class page and
 * the nearest registered codes. 0 when `path` is no such number. */
static int unassigned_message(const char *s, size_t n, char *msg, size_t cap) {
  if (n != 10 || memcmp(s, "/codes/", 7) != 0)
    return 0;
  int code = 0;
  for (size_t i = 7; i < 10; i++) {
    if (s[i] < '0' || s[i] > '9')
      return 0;
    code = code * 10 + (s[i] - '0');
  }
  const hs_class_t *c = hs_class_of(HS_NS_HTTP, code / 100);
  if (!c)
    return 0;
  size_t count = 0, below = 0;
  const hs_status_t *all = hs_records(HS_NS_HTTP, &count);
  while (below < count && all[below].code < code)
    below++;
  int len = snprintf(msg, cap,
                     "%d is not a registered HTTP status code. Its class is %dxx %s: /codes/%dxx. "
                     "Nearest registered codes:",
                     code, c->value, c->phrase, c->value);
  for (size_t i = below >= 2 ? below - 2 : 0; i < below + 2 && i < count && len > 0; i++)
    len +=
        snprintf(msg + len, cap > (size_t)len ? cap - (size_t)len : 0, " /codes/%d", all[i].code);
  return len > 0;
}

int hs__ref_not_a_page(hs__exchange_t *x) {
  const hs__str_t p = x->req->path;
  char to[64], msg[320];
  if (p.len >= 6 && p.len < 40 && memcmp(p.ptr, "/codes", 6) == 0 &&
      redirect_target(p.ptr, p.len, to, sizeof to)) {
    char loc[64 + 200];
    int n = snprintf(loc, sizeof loc, "%s%s%.*s", to, x->req->query.len ? "?" : "",
                     x->req->query.len < 200 ? (int)x->req->query.len : 0, x->req->query.ptr);
    hs__resp_t r;
    hs__resp_begin(&r, x, 308); /* RFC 9110 §15.4.9: permanent, method kept */
    hs__resp_hdr(&r, HS_H_LOCATION, loc, (size_t)n);
    hs__resp_end(&r, "text/plain; charset=utf-8", loc, (size_t)n);
    return 1;
  }
  if (unassigned_message(p.ptr, p.len, msg, sizeof msg)) {
    hs__resp_error(x, 404, msg, NULL);
    return 1;
  }
  return 0;
}
