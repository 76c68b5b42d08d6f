/* Status-code rules: the status line, the registry's state of the code, and
 * the header fields the registry says a code requires or expects (RFC 9110
 * §15, RFC 9112 §4; data/http-*.txt `requires:` and `expects:`). */
#include <stdio.h>
#include <string.h>

#include "httpstatus/registry.h"
#include "lint/check.h"

static int has(const hs__lmsg_t *m, const char *name) { return HS__LGET(m, name) != NULL; }

/* The reason phrase names this code: its phrase, an alias or an old name. */
static int reason_matches(const hs__lmsg_t *m, const hs_status_t *rec) {
  char b[128];
  hs__lspan_t rs = hs__ltrim(m->reason);
  if (!rs.n || rs.n >= sizeof b)
    return rs.n == 0;
  memcpy(b, rs.p, rs.n);
  b[rs.n] = '\0';
  const hs_status_t *f = hs_find_name(b, HS_NS_HTTP);
  if (f && f->code == rec->code)
    return 1;
  const char *sent = hs_reason_phrase(rec->code);
  size_t l = strlen(sent);
  return l == rs.n && hs__lspan_eq(rs, sent);
}

static void state_rules(const hs__lmsg_t *m, hs__lresult_t *r, const hs_status_t *rec) {
  int s = m->status;
  char d[16];
  int dn = snprintf(d, sizeof d, "%d", s);
  if (!rec) {
    const hs_status_t *vend[1];
    if (hs_vendor_meanings(s, vend, 1) > 0) {
      char v[80];
      snprintf(v, sizeof v, "%d %s (%s)", s, vend[0]->phrase,
               vend[0]->vendor ? vend[0]->vendor : "vendor");
      hs__lemit(r, HS__L_STATUS_VENDOR, v, strlen(v)); /* snprintf may have cut it */
    } else {
      hs__lemit(r, HS__L_STATUS_UNREGISTERED, d, (size_t)dn);
    }
    return;
  }
  if (s == 306)
    hs__lemit(r, HS__L_STATUS_306, NULL, 0);
  else if (s == 418)
    hs__lemit(r, HS__L_STATUS_418, NULL, 0);
  else if (rec->state == HS_STATE_DEPRECATED)
    hs__lemit(r, HS__L_STATUS_DEPRECATED, d, (size_t)dn);
  else if (rec->state == HS_STATE_OBSOLETE || rec->state == HS_STATE_HISTORIC)
    hs__lemit(r, HS__L_STATUS_OBSOLETE, d, (size_t)dn);
  else if (rec->state == HS_STATE_RESERVED)
    hs__lemit(r, HS__L_STATUS_RESERVED, d, (size_t)dn);
  else if (rec->state == HS_STATE_TEMPORARY)
    hs__lemit(r, HS__L_STATUS_TEMPORARY, d, (size_t)dn);
  if (m->vmaj == 1 && m->reason.n && !reason_matches(m, rec))
    hs__lemit_s(r, HS__L_REASON_MISMATCH, m->reason);
}

static int is_multipart_byteranges(const hs__lmsg_t *m) {
  const hs__lfield_t *ct = HS__LGET(m, "Content-Type");
  return ct && hs__lspan_prefix(hs__ltrim(ct->value), "multipart/byteranges");
}

/* The registry decides which fields a code must or should carry. */
static void registry_fields(const hs__lmsg_t *m, hs__lresult_t *r, const hs_status_t *rec) {
  uint32_t req = hs_status_requires(rec), exp = hs_status_expects(rec);
  int s = m->status;
  char d[16];
  int dn = snprintf(d, sizeof d, "%d", s);
  if ((req & HS_HBIT(HS_H_ALLOW)) && !has(m, "Allow"))
    hs__lemit(r, HS__L_REQUIRES_ALLOW, d, (size_t)dn);
  if ((req & HS_HBIT(HS_H_WWW_AUTHENTICATE)) && !has(m, "WWW-Authenticate"))
    hs__lemit(r, HS__L_REQUIRES_WWW_AUTHENTICATE, d, (size_t)dn);
  if ((req & HS_HBIT(HS_H_PROXY_AUTHENTICATE)) && !has(m, "Proxy-Authenticate"))
    hs__lemit(r, HS__L_REQUIRES_PROXY_AUTHENTICATE, d, (size_t)dn);
  if ((req & HS_HBIT(HS_H_UPGRADE)) && !has(m, "Upgrade") && m->vmaj < 2)
    hs__lemit(r, HS__L_REQUIRES_UPGRADE, d, (size_t)dn);
  if ((req & HS_HBIT(HS_H_CONTENT_RANGE)) && !has(m, "Content-Range") &&
      !((hs_status_flags(rec) & HS_F_MULTIPART_RANGES) && is_multipart_byteranges(m)))
    hs__lemit(r, HS__L_REQUIRES_CONTENT_RANGE, d, (size_t)dn);
  if ((exp & HS_HBIT(HS_H_LOCATION)) && !has(m, "Location")) {
    if (s >= 301 && s <= 308 && s != 304 && s != 305 && s != 306)
      hs__lemit(r, HS__L_EXPECTS_LOCATION, d, (size_t)dn);
    else if (s == 201)
      hs__lemit(r, HS__L_CREATED_NO_LOCATION, NULL, 0);
  }
  if ((exp & HS_HBIT(HS_H_CONTENT_RANGE)) && s == 416 && !has(m, "Content-Range"))
    hs__lemit(r, HS__L_EXPECTS_CONTENT_RANGE, NULL, 0);
  if ((exp & HS_HBIT(HS_H_RETRY_AFTER)) && !has(m, "Retry-After"))
    hs__lemit(r, HS__L_EXPECTS_RETRY_AFTER, d, (size_t)dn);
  if ((exp & HS_HBIT(HS_H_LINK)) && s == 103 && !has(m, "Link"))
    hs__lemit(r, HS__L_STATUS_103_NO_LINK, NULL, 0);
}

/* RFC 9110 §10.2.3: delay-seconds or an HTTP-date, and not before Date. */
static void retry_after(const hs__lmsg_t *m, hs__lresult_t *r) {
  const hs__lfield_t *ra = HS__LGET(m, "Retry-After");
  if (!ra)
    return;
  hs__lspan_t v = hs__ltrim(ra->value);
  int64_t n, t, now;
  if (hs__lnumber(v, &n) == 0)
    return;
  if (hs__ldate(v, &t) < 0) {
    hs__lemit_s(r, HS__L_RETRY_AFTER_INVALID, v);
    return;
  }
  const hs__lfield_t *date = HS__LGET(m, "Date");
  if (date && hs__ldate(date->value, &now) >= 0 && t < now)
    hs__lemit_s(r, HS__L_RETRY_AFTER_PAST, v);
}

/* "bytes F-L/N", "bytes F-L/(star)" or "bytes (star)/N"; other units pass. */
static int content_range(hs__lspan_t v, int64_t *first, int64_t *last, int *unsat) {
  v = hs__ltrim(v);
  *unsat = 0;
  if (!v.n)
    return -1;
  if (!hs__lspan_prefix(v, "bytes ")) {
    const char *sp = memchr(v.p, ' ', v.n);
    return sp && sp > v.p && hs__ltoken((hs__lspan_t){v.p, (size_t)(sp - v.p)}) ? 1 : -1;
  }
  const char *p = v.p + 6, *e = v.p + v.n;
  const char *slash = memchr(p, '/', (size_t)(e - p));
  if (!slash)
    return -1;
  hs__lspan_t range = {p, (size_t)(slash - p)}, len = {slash + 1, (size_t)(e - slash - 1)};
  int64_t total = -1;
  if (!hs__lspan_eq(len, "*") && hs__lnumber(len, &total) < 0)
    return -1;
  if (hs__lspan_eq(range, "*")) {
    *unsat = 1;
    return total >= 0 ? 0 : -1;
  }
  const char *dash = memchr(range.p, '-', range.n);
  if (!dash || hs__lnumber((hs__lspan_t){range.p, (size_t)(dash - range.p)}, first) < 0 ||
      hs__lnumber((hs__lspan_t){dash + 1, (size_t)(range.p + range.n - dash - 1)}, last) < 0)
    return -1;
  if (*first > *last || (total >= 0 && *last >= total))
    return -1;
  return 0;
}

static void ranges(const hs__lmsg_t *m, hs__lresult_t *r) {
  int s = m->status;
  const hs__lfield_t *cr = HS__LGET(m, "Content-Range");
  if (cr) {
    int64_t first = 0, last = 0;
    int unsat;
    int rc = content_range(cr->value, &first, &last, &unsat);
    if (rc < 0)
      hs__lemit_s(r, HS__L_CONTENT_RANGE_INVALID, cr->value);
    if (s != 206 && s != 416)
      hs__lemit_s(r, HS__L_CONTENT_RANGE_IN_200, cr->value);
    if (s == 416 && rc == 0 && !unsat)
      hs__lemit_s(r, HS__L_CONTENT_RANGE_416_FORM, cr->value);
    const hs__lfield_t *cl = HS__LGET(m, "Content-Length");
    int64_t n;
    if (s == 206 && rc == 0 && !unsat && cl && hs__lnumber(hs__ltrim(cl->value), &n) == 0 &&
        n != last - first + 1)
      hs__lemit_s(r, HS__L_CONTENT_RANGE_LENGTH, cr->value);
  }
  if (s == 206 && m->req_known && !HS__LREQ(m, "Range"))
    hs__lemit(r, HS__L_PARTIAL_NOT_REQUESTED, NULL, 0);
  const hs__lfield_t *ar = HS__LGET(m, "Accept-Ranges");
  if (ar) {
    hs__lspan_t rest = ar->value, it;
    while (hs__lnext_item(&rest, &it))
      if (!hs__lspan_eq(it, "bytes") && !hs__lspan_eq(it, "none"))
        hs__lemit_s(r, HS__L_ACCEPT_RANGES_INVALID, it);
  }
}

/* RFC 9110 §15.4.5 and §13.1: what a 304 carries and when it may be sent. */
static void not_modified(const hs__lmsg_t *m, hs__lresult_t *r) {
  if (!has(m, "ETag") && !has(m, "Last-Modified"))
    hs__lemit(r, HS__L_NOT_MODIFIED_NO_VALIDATOR, NULL, 0);
  static const char *const meta[] = {"Content-Type",  "Content-Encoding",    "Content-Language",
                                     "Content-Range", "Content-Disposition", NULL};
  for (size_t k = 0; meta[k]; k++)
    if (has(m, meta[k]))
      hs__lemit(r, HS__L_NOT_MODIFIED_CONTENT_FIELDS, meta[k], strlen(meta[k]));
  if (m->req_known && !HS__LREQ(m, "If-None-Match") && !HS__LREQ(m, "If-Modified-Since"))
    hs__lemit(r, HS__L_NOT_MODIFIED_UNCONDITIONAL, NULL, 0);
}

void hs__lcheck_status(const hs__lmsg_t *m, hs__lresult_t *r) {
  int s = m->status;
  if (!m->line_ok || s < 0) {
    hs__lemit(r, HS__L_STATUS_LINE_MALFORMED, NULL, 0);
    return;
  }
  if (m->vmaj && !((m->vmaj == 1 && m->vmin <= 1) || (m->vmaj >= 2 && m->vmaj <= 3 && !m->vmin))) {
    char d[16];
    int n = snprintf(d, sizeof d, "HTTP/%d.%d", m->vmaj, m->vmin);
    hs__lemit(r, HS__L_VERSION_UNKNOWN, d, (size_t)n);
  }
  if (s < 100 || s > 599) {
    char d[16];
    int n = snprintf(d, sizeof d, "%d", s);
    hs__lemit(r, HS__L_STATUS_OUT_OF_RANGE, d, (size_t)n);
    return;
  }
  const hs_status_t *rec = hs_lookup(HS_NS_HTTP, s);
  state_rules(m, r, rec);
  if (rec)
    registry_fields(m, r, rec);
  if (s < 200) {
    if (m->vmaj == 1 && m->vmin == 0)
      hs__lemit(r, HS__L_HTTP10_1XX, NULL, 0);
    if (s != 101 && !m->final_follows)
      hs__lemit(r, HS__L_INTERIM_WITHOUT_FINAL, NULL, 0);
  }
  retry_after(m, r);
  int64_t cl = -1;
  const hs__lfield_t *clf = HS__LGET(m, "Content-Length");
  if (clf)
    (void)hs__lnumber(hs__ltrim(clf->value), &cl);
  if (s >= 400 && !hs__lspan_eq(m->method, "HEAD") && !m->body_seen &&
      (m->body_len == 0 || (m->body_len < 0 && cl == 0)))
    hs__lemit(r, HS__L_ERROR_NO_EXPLANATION, NULL, 0);
  if (s == 304)
    not_modified(m, r);
  if (s == 204 && has(m, "Content-Type"))
    hs__lemit(r, HS__L_NO_CONTENT_TYPE_204, NULL, 0);
  ranges(m, r);
  if (s == 415 && !has(m, "Accept") && !has(m, "Accept-Encoding") && !has(m, "Accept-Patch") &&
      !has(m, "Accept-Post"))
    hs__lemit(r, HS__L_UNSUPPORTED_MEDIA_NO_ACCEPT, NULL, 0);
}
