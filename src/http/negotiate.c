/* Content negotiation (RFC 9110 §12.5.1 Accept, §12.5.4 Accept-Language) over the
 * few variants we have: JSON, plain text, HTML; English, Chinese. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/render.h"

/* Iterates a comma-separated list; for each member calls fn(value, vlen, q). */
typedef void (*member_fn)(const char *v, size_t n, int q, void *arg);

static void each_member(hs__str_t list, member_fn fn, void *arg) {
  const char *p = list.ptr, *end = p ? p + list.len : p;
  hs__str_t v;
  int q;
  while (hs__qlist_next(&p, end, &v, &q))
    fn(v.ptr, v.len, q, arg);
}

/* For each format: the weight of the most specific matching media range. */
typedef struct {
  int q[HS_FMT_COUNT];
  int spec[HS_FMT_COUNT]; /* 0 none, 1 star/star, 2 type/star, 3 exact */
} accept_state_t;

static void set_q(accept_state_t *s, hs__fmt_t f, int spec, int q) {
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
      set_q(s, (hs__fmt_t)f, 1, q);
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

void hs__accept_weights(hs__str_t accept, int q[HS_FMT_COUNT]) {
  accept_state_t s;
  memset(&s, 0, sizeof(s));
  each_member(accept, accept_member, &s);
  for (int f = 0; f < HS_FMT_COUNT; f++)
    q[f] = s.spec[f] ? s.q[f] : 0;
}

hs__neg_t hs__negotiate(const hs__req_t *req) {
  hs__neg_t r = {HS_FMT_JSON, HS_LANG_EN};
  if (req->accept.len) {
    accept_state_t s;
    memset(&s, 0, sizeof(s));
    each_member(req->accept, accept_member, &s);
    /* ties: JSON, then text, then HTML */
    static const hs__fmt_t order[HS_FMT_COUNT] = {HS_FMT_JSON, HS_FMT_TEXT, HS_FMT_HTML};
    int best = 0;
    for (int i = 0; i < HS_FMT_COUNT; i++) {
      hs__fmt_t f = order[i];
      if (s.spec[f] && s.q[f] > best)
        best = s.q[f], r.fmt = f;
    }
  }
  hs__str_t v;
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
