/* GET /search?q=&lang=&limit=: the registry's own search (hs_search_ex: English
 * stems, Chinese bigrams, typo tolerance) behind the search box of every page,
 * which calls it as you type. A number ("404", "ws 1008", "403.14") goes
 * straight to its records. JSON for scripts (the default), HTML for the form
 * without script, plain text for terminals. Results are not cached: the query
 * is the client's. */
#include <string.h>

#include "base/utf8.h"
#include "http/ctx.h"
#include "reference/html_common.h"
#include "reference/i18n.h"
#include "reference/pages.h"
#include "reference/send.h"

#define MAX_HITS 20

typedef struct {
  const hs_status_t *recs[MAX_HITS];
  int full[MAX_HITS];
  size_t n, total;
} found_t;

static void add(found_t *f, const hs_status_t *r, int full) {
  for (size_t i = 0; i < f->n; i++)
    if (f->recs[i] == r)
      return;
  if (r && f->n < MAX_HITS) {
    f->recs[f->n] = r;
    f->full[f->n++] = full;
    f->total++;
  }
}

/* Records of a number in the namespace named, or in every namespace. */
static void by_code(found_t *f, int ns, int code) {
  if (ns < 0 || ns == HS_NS_HTTP || ns == HS_NS_HTTP_VENDOR) {
    add(f, hs_lookup(HS_NS_HTTP, code), 1);
    const hs_status_t *v[8];
    size_t nv = hs_vendor_meanings(code, v, 8);
    for (size_t i = 0; i < nv && i < 8; i++)
      add(f, v[i], 1);
  }
  if (ns < 0 || ns == HS_NS_IIS)
    add(f, hs_lookup(HS_NS_IIS, code), 1);
  if (ns < 0 || ns == HS_NS_FTP)
    add(f, hs_lookup(HS_NS_FTP, code), 1);
  if (ns < 0 || ns == HS_NS_WS)
    add(f, hs_lookup(HS_NS_WS, code), 1);
}

static void run(found_t *f, const char *q, size_t limit) {
  hs_query_t pq;
  hs_parse_query(q, -1, &pq);
  if (pq.kind == HS_Q_CODE)
    by_code(f, pq.ns, pq.code);
  else if (pq.kind == HS_Q_IIS)
    add(f, hs_lookup_iis(pq.code, pq.sub), 1);
  if (f->n || pq.kind == HS_Q_NONE)
    return;
  hs_hit_t hits[MAX_HITS];
  size_t total = 0;
  size_t n = hs_search_ex(q, 0, hits, limit, &total);
  for (size_t i = 0; i < n; i++)
    add(f, hits[i].status, hits[i].matched == hits[i].parts);
  f->total = total;
}

/* 1 when `s` holds a CJK character (U+3000-U+9FFF lead bytes). */
static int has_cjk(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p >= 0xE3 && *p <= 0xE9)
      return 1;
  return 0;
}

static void json_str(hs__buf_t *b, const char *s) {
  if (!s) {
    hs__buf_lit(b, "null");
    return;
  }
  hs__buf_lit(b, "\"");
  hs__json_escape(b, s, strlen(s));
  hs__buf_lit(b, "\"");
}

static void as_json(hs__buf_t *b, const found_t *f, const char *q, hs_lang_t lang) {
  hs__buf_lit(b, "{\n  \"query\": ");
  json_str(b, q);
  hs__buf_printf(b, ",\n  \"total\": %zu,\n  \"results\": [", f->total);
  for (size_t i = 0; i < f->n; i++) {
    const hs_status_t *r = f->recs[i];
    hs__buf_str(b, i ? ",\n    {\"namespace\": " : "\n    {\"namespace\": ");
    json_str(b, hs_namespace_name(r->ns));
    hs__buf_lit(b, ", \"key\": ");
    json_str(b, r->key);
    hs__buf_printf(b, ", \"code\": %d, \"phrase\": ", r->code);
    json_str(b, r->phrase);
    hs__buf_lit(b, ", \"phrase_zh\": ");
    json_str(b, r->phrase_zh);
    hs__buf_lit(b, ", \"state\": ");
    json_str(b, hs_state_name(r->state));
    hs__buf_lit(b, ", \"url\": \"");
    hs__ref_record_url(b, r);
    hs__buf_lit(b, "\", \"summary\": ");
    json_str(b, hs_status_text(r, HS_TEXT_SUMMARY, lang));
    hs__buf_printf(b, ", \"full_match\": %s}", f->full[i] ? "true" : "false");
  }
  hs__buf_str(b, f->n ? "\n  ]\n}\n" : "]\n}\n");
}

static void as_html(hs__buf_t *b, const found_t *f, const char *q, hs_lang_t lang) {
  hs__ref_html_open(b, lang, hs__ref_word(HS_W_RESULTS, lang), q);
  hs__buf_printf(b, "<h1>%s%s", hs__ref_word(HS_W_RESULTS, lang), hs__ref_word(HS_W_COLON, lang));
  hs__ref_esc(b, q);
  hs__buf_lit(b, "</h1>\n");
  if (!f->n)
    hs__buf_printf(b, "<p>%s</p>\n", hs__ref_word(HS_W_NO_RESULTS, lang));
  hs__buf_lit(b, "<ul class=\"codes\">\n");
  for (size_t i = 0; i < f->n; i++) {
    hs__buf_lit(b, "<li>");
    hs__ref_link_record(b, f->recs[i], lang);
    hs__buf_printf(b, " <small>%s</small><br><span class=\"sum\">",
                   hs__ref_ns_word(f->recs[i]->ns, lang));
    hs__ref_esc(b, hs_status_text(f->recs[i], HS_TEXT_SUMMARY, lang));
    hs__buf_lit(b, "</span></li>\n");
  }
  hs__buf_lit(b, "</ul>\n");
  hs__ref_html_close(b, lang);
}

void hs__ref_search(hs__exchange_t *x) {
  static const hs__fmt_t order[HS_FMT_COUNT] = {HS_FMT_JSON, HS_FMT_HTML, HS_FMT_TEXT};
  hs__fmt_t fmt;
  if (!hs__ref_format(x->req, order, &fmt)) {
    hs__resp_error(x, 406, "Not acceptable. Search results are offered as " HS_REF_OFFERED ".",
                   NULL);
    return;
  }
  char raw[3 * 190], q[192];
  hs__str_t v = {"", 0};
  hs__req_query(x->req, "q", &v);
  long qlen = -1;
  if (v.len < sizeof raw) {
    for (size_t i = 0; i < v.len; i++)
      raw[i] = v.ptr[i] == '+' ? ' ' : v.ptr[i];
    qlen = hs__pct_decode((hs__str_t){raw, v.len}, q, sizeof q - 1);
  }
  if (qlen < 0 || !hs__utf8_valid(q, (size_t)qlen)) {
    hs__resp_error(x, 400, "q= must be percent-encoded UTF-8 of at most 190 bytes.", NULL);
    return;
  }
  q[qlen] = 0;
  size_t limit = 10;
  hs__str_t lv;
  if (hs__req_query(x->req, "limit", &lv) && lv.len == 1 && lv.ptr[0] >= '1' && lv.ptr[0] <= '9')
    limit = (size_t)(lv.ptr[0] - '0');
  else if (hs__req_query(x->req, "limit", &lv) && lv.len == 2 && lv.ptr[0] >= '1' &&
           lv.ptr[0] <= '2' && lv.ptr[1] >= '0' && lv.ptr[1] <= '9')
    limit = (size_t)((lv.ptr[0] - '0') * 10 + lv.ptr[1] - '0');
  if (limit > MAX_HITS)
    limit = MAX_HITS;
  found_t f;
  memset(&f, 0, sizeof f);
  run(&f, q, limit);
  if (f.n > limit)
    f.n = limit;
  /* a Chinese query is answered in Chinese unless ?lang= says otherwise, as the
   * CLI does */
  hs__str_t lq;
  hs_lang_t lang =
      !hs__req_query(x->req, "lang", &lq) && has_cjk(q) ? HS_LANG_ZH : hs__ref_lang(x->req);
  hs__buf_t *b = &x->ctx->scratch;
  b->len = 0;
  if (fmt == HS_FMT_JSON)
    as_json(b, &f, q, lang);
  else if (fmt == HS_FMT_HTML)
    as_html(b, &f, q, lang);
  else
    for (size_t i = 0; i < f.n; i++) /* the namespace labels FTP 530 apart from HTTP */
      hs__buf_printf(b, "%-4s %-14s %s\n",
                     f.recs[i]->ns == HS_NS_HTTP || f.recs[i]->ns == HS_NS_HTTP_VENDOR
                         ? ""
                         : hs_namespace_name(f.recs[i]->ns),
                     f.recs[i]->key, hs__ref_phrase(f.recs[i], lang));
  hs__resp_t r;
  hs__resp_begin(&r, x, 200);
  hs__resp_hdr(&r, HS_H_VARY, HS_REF_VARY, sizeof HS_REF_VARY - 1);
  hs__resp_hdr(&r, HS_H_CACHE_CONTROL, "no-cache", 8);
  hs__resp_end(&r, hs__fmt_ctype(fmt), b->base, b->len);
}
