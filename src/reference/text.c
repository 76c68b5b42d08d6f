/* The plain-text form of reference pages: what a terminal user reads with
 * `curl -H 'Accept: text/plain'`, in the negotiated language. */
#include <string.h>

#include "reference/example.h"
#include "reference/forms.h"
#include "reference/html_common.h"
#include "reference/i18n.h"
#include "reference/pages.h"

static void line(hs__buf_t *b, const hs_status_t *r, hs_lang_t lang) {
  hs__buf_printf(b, "%-14s %s\n", r->key, hs__ref_phrase(r, lang));
}

static void line_item(const hs_status_t *r, void *arg) {
  hs__buf_t *b = ((void **)arg)[0];
  line(b, r, *(hs_lang_t *)((void **)arg)[1]);
}

static void headers(hs__buf_t *b, const char *label, uint32_t mask) {
  hs__buf_printf(b, "%s:", label);
  int any = 0;
  for (int h = 0; h < HS_H_COUNT; h++)
    if (mask & HS_HBIT(h)) {
      hs__buf_printf(b, "%s %s", any ? "," : "", hs_header_name((hs_header_t)h));
      any = 1;
    }
  hs__buf_str(b, any ? "\n" : " -\n");
}

static void record(hs__buf_t *b, const hs__ref_page_t *p, hs_lang_t lang) {
  const hs_status_t *r = p->rec;
  int code = p->kind == HS_REF_HTTP ? p->code : r->code;
  hs__buf_printf(b, "%s %s\n\n%s\n\n", r->key, hs__ref_phrase(r, lang),
                 hs_status_text(r, HS_TEXT_SUMMARY, lang));
  hs__buf_printf(b, "%s%s%s", hs__ref_word(HS_W_STATE, lang), hs__ref_word(HS_W_COLON, lang),
                 hs__ref_state_word(r->state, lang));
  if (r->expires)
    hs__buf_printf(b, hs__ref_word(HS_W_EXPIRES, lang), r->expires);
  hs__buf_lit(b, "\n");
  if (r->vendor)
    hs__buf_printf(b, "%s%s%s\n", hs__ref_word(HS_W_VENDOR, lang), hs__ref_word(HS_W_COLON, lang),
                   r->vendor);
  if (r->spec)
    hs__buf_printf(b, "%s%s%s%s%s\n", hs__ref_word(HS_W_SPEC, lang), hs__ref_word(HS_W_COLON, lang),
                   r->spec, r->url ? " " : "", r->url ? r->url : "");
  if (r->ns == HS_NS_HTTP || r->ns == HS_NS_HTTP_VENDOR) {
    hs__buf_printf(b, "%s%s%s\n", hs__ref_word(HS_W_CACHEABLE, lang),
                   hs__ref_word(HS_W_COLON, lang),
                   hs__ref_word((r->flags & HS_F_CACHEABLE) ? HS_W_YES : HS_W_NO, lang));
    hs__buf_printf(b, "%s%s%s\n", hs__ref_word(HS_W_BODY, lang), hs__ref_word(HS_W_COLON, lang),
                   hs__ref_word((r->flags & HS_F_NO_BODY) ? HS_W_BODY_NO : HS_W_BODY_YES, lang));
    headers(b, hs__ref_word(HS_W_REQUIRES, lang), r->requires);
    headers(b, hs__ref_word(HS_W_EXPECTS, lang), r->expects);
  }
  const char *detail = hs_status_text(r, HS_TEXT_DETAIL, lang);
  if (detail)
    hs__buf_printf(b, "\n%s\n", detail);
  if (p->kind == HS_REF_HTTP) {
    const hs_status_t *vend[16];
    size_t nv = hs_vendor_meanings(code, vend, 16);
    if (nv) {
      hs__buf_printf(b, "\n%s:\n", hs__ref_word(HS_W_VENDOR_MEANINGS, lang));
      for (size_t i = 0; i < nv && i < 16; i++)
        line(b, vend[i], lang);
    }
  }
  hs__buf_printf(b, "\n%s:\n", hs__ref_word(HS_W_EXAMPLE, lang));
  if (r->ns == HS_NS_HTTP || r->ns == HS_NS_HTTP_VENDOR) {
    hs__buf_t req, resp;
    hs__buf_init(&req, NULL);
    hs__buf_init(&resp, NULL);
    hs__ref_example_http(&req, &resp, r, code);
    hs__buf_append(b, req.base, req.len);
    hs__buf_lit(b, "\n");
    hs__buf_append(b, resp.base, resp.len);
    hs__buf_release(&req);
    hs__buf_release(&resp);
  } else {
    hs__ref_example_other(b, r);
  }
}

/* The vendors and their codes, as `httpstatus vendors` prints them. */
static void vendors(hs__buf_t *b, const hs_status_t *all, size_t n, hs_lang_t lang) {
  hs__buf_printf(b, "\n%s\n\n", hs__ref_word(HS_W_VENDORS, lang));
  for (size_t i = 0; i < n; i++) {
    if (!hs__ref_vendor_first(all, i)) /* listed with its first code */
      continue;
    hs__buf_printf(b, "%-11s", all[i].vendor_key);
    for (size_t j = i; j < n; j++)
      if (strcmp(all[j].vendor_key, all[i].vendor_key) == 0)
        hs__buf_printf(b, " %d", all[j].code);
    hs__buf_printf(b, "  (%s)\n", all[i].vendor ? all[i].vendor : "");
  }
}

void hs__ref_text(hs__buf_t *b, const hs__ref_page_t *p, hs_lang_t lang) {
  void *arg[2] = {b, &lang};
  switch (p->kind) {
  case HS_REF_HOME:
    hs__buf_printf(b, "%s\n%s\n\n", hs__ref_word(HS_W_SITE, lang),
                   hs__ref_word(HS_W_TAGLINE, lang));
    for (int code = 100; code <= 599; code++) {
      const hs_status_t *r = hs_lookup(HS_NS_HTTP, code);
      if (!r)
        r = hs_lookup(HS_NS_HTTP_VENDOR, code);
      if (r)
        line(b, r, lang);
    }
    hs__buf_printf(b, "\n%s: /codes/vendor /codes/iis /codes/ftp /codes/ws /api\n",
                   hs__ref_word(HS_W_NAMESPACES, lang));
    break;
  case HS_REF_NS: {
    size_t n = 0;
    const hs_status_t *all = hs_records(p->ns, &n);
    hs__buf_printf(b, "%s\n\n", hs__ref_ns_word(p->ns, lang));
    for (size_t i = 0; i < n; i++)
      line(b, &all[i], lang);
    if (p->ns == HS_NS_HTTP_VENDOR)
      vendors(b, all, n, lang);
    break;
  }
  case HS_REF_CLASS: {
    const hs_class_t *c = p->cls;
    hs__buf_printf(b, "%s\n\n%s\n\n", hs__ref_class_phrase(c, lang),
                   c->summary[lang] ? c->summary[lang] : c->summary[0]);
    hs__ref_each_in_class(c, line_item, arg);
    break;
  }
  default:
    record(b, p, lang);
    break;
  }
}
