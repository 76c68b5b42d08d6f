/* Content negotiation (RFC 9110 §12.5.1 Accept, §12.5.4 Accept-Language) over the
 * few variants we have: JSON, plain text, HTML; English, Chinese. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/render.h"

static int is_ows(char c) { return c == ' ' || c == '\t'; }

/* Parses a weight "q=0.8" out of the parameters of one list member (after the
 * first ';'); returns 1000 for no weight, 0..1000 otherwise, -1 if malformed. */
static int parse_q(const char *p, const char *end) {
  while (p < end) {
    while (p < end && (is_ows(*p) || *p == ';'))
      p++;
    if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      p += 2;
      if (p >= end || (*p != '0' && *p != '1'))
        return -1;
      int whole = *p++ - '0';
      int frac = 0, digits = 0;
      if (p < end && *p == '.') {
        p++;
        while (p < end && *p >= '0' && *p <= '9' && digits < 3)
          frac = frac * 10 + (*p++ - '0'), digits++;
      }
      while (digits < 3)
        frac *= 10, digits++;
      int q = whole * 1000 + frac;
      return q > 1000 ? 1000 : q;
    }
    while (p < end && *p != ';')
      p++;
  }
  return 1000;
}

/* Iterates a comma-separated list; for each member calls fn(value, vlen, q). */
typedef void (*member_fn)(const char *v, size_t n, int q, void *arg);

static void each_member(hs_str_t list, member_fn fn, void *arg) {
  const char *p = list.ptr, *end = p + list.len;
  while (p && p < end) {
    while (p < end && (is_ows(*p) || *p == ','))
      p++;
    const char *m = p;
    while (p < end && *p != ',')
      p++;
    const char *me = p;
    const char *semi = memchr(m, ';', (size_t)(me - m));
    const char *ve = semi ? semi : me;
    while (ve > m && is_ows(ve[-1]))
      ve--;
    if (ve == m)
      continue;
    int q = semi ? parse_q(semi, me) : 1000;
    if (q < 0)
      continue;
    fn(m, (size_t)(ve - m), q, arg);
  }
}

/* For each format: the weight of the most specific matching media range. */
typedef struct {
  int q[HS_FMT_COUNT];
  int spec[HS_FMT_COUNT]; /* 0 none, 1 star/star, 2 type/star, 3 exact */
} accept_state_t;

static void set_q(accept_state_t *s, hs_fmt_t f, int spec, int q) {
  if (spec > s->spec[f])
    s->spec[f] = spec, s->q[f] = q;
  else if (spec == s->spec[f] && q > s->q[f])
    s->q[f] = q;
}

static int eq(const char *a, size_t n, const char *lit) {
  return strlen(lit) == n && strncasecmp(a, lit, n) == 0;
}

static void accept_member(const char *v, size_t n, int q, void *arg) {
  accept_state_t *s = arg;
  if (eq(v, n, "*/*")) {
    for (int f = 0; f < HS_FMT_COUNT; f++)
      set_q(s, (hs_fmt_t)f, 1, q);
  } else if (eq(v, n, "application/*")) {
    set_q(s, HS_FMT_JSON, 2, q);
  } else if (eq(v, n, "text/*")) {
    set_q(s, HS_FMT_TEXT, 2, q);
    set_q(s, HS_FMT_HTML, 2, q);
  } else if (eq(v, n, "application/json") || eq(v, n, "application/problem+json")) {
    set_q(s, HS_FMT_JSON, 3, q);
  } else if (eq(v, n, "text/plain")) {
    set_q(s, HS_FMT_TEXT, 3, q);
  } else if (eq(v, n, "text/html") || eq(v, n, "application/xhtml+xml")) {
    set_q(s, HS_FMT_HTML, 3, q);
  }
}

typedef struct {
  int q[HS_LANG_COUNT];
  int seen[HS_LANG_COUNT];
} lang_state_t;

static void lang_member(const char *v, size_t n, int q, void *arg) {
  lang_state_t *s = arg;
  size_t primary = 0;
  while (primary < n && v[primary] != '-' && v[primary] != '_')
    primary++;
  if (eq(v, n, "*")) {
    for (int l = 0; l < HS_LANG_COUNT; l++)
      if (!s->seen[l])
        s->q[l] = q > s->q[l] ? q : s->q[l];
    return;
  }
  int l = eq(v, primary, "en") ? HS_LANG_EN : eq(v, primary, "zh") ? HS_LANG_ZH : -1;
  if (l < 0)
    return;
  if (!s->seen[l] || q > s->q[l])
    s->q[l] = q;
  s->seen[l] = 1;
}

void hs__accept_weights(hs_str_t accept, int q[HS_FMT_COUNT]) {
  accept_state_t s;
  memset(&s, 0, sizeof(s));
  each_member(accept, accept_member, &s);
  for (int f = 0; f < HS_FMT_COUNT; f++)
    q[f] = s.spec[f] ? s.q[f] : 0;
}

hs_neg_t hs__negotiate(const hs_req_t *req) {
  hs_neg_t r = {HS_FMT_JSON, HS_LANG_EN};
  if (req->accept.len) {
    accept_state_t s;
    memset(&s, 0, sizeof(s));
    each_member(req->accept, accept_member, &s);
    /* ties: JSON, then text, then HTML */
    static const hs_fmt_t order[HS_FMT_COUNT] = {HS_FMT_JSON, HS_FMT_TEXT, HS_FMT_HTML};
    int best = 0;
    for (int i = 0; i < HS_FMT_COUNT; i++) {
      hs_fmt_t f = order[i];
      if (s.spec[f] && s.q[f] > best)
        best = s.q[f], r.fmt = f;
    }
  }
  hs_str_t v;
  /* ?lang=zh|en beats Accept-Language, as on the reference pages */
  if (req->query.len && hs__req_query(req, "lang", &v) && v.len == 2 &&
      (memcmp(v.ptr, "zh", 2) == 0 || memcmp(v.ptr, "en", 2) == 0)) {
    r.lang = v.ptr[0] == 'z' ? HS_LANG_ZH : HS_LANG_EN;
  } else if (req->accept_language.len) {
    lang_state_t s;
    memset(&s, 0, sizeof(s));
    each_member(req->accept_language, lang_member, &s);
    if (s.q[HS_LANG_ZH] > s.q[HS_LANG_EN])
      r.lang = HS_LANG_ZH;
  }
  return r;
}
