/* The HTML pages that list codes: home (a map of 100-599), the namespace
 * indexes (vendor, IIS, FTP, WebSocket) and one page per class or range. */
#include <string.h>

#include "reference/forms.h"
#include "reference/html_common.h"
#include "reference/i18n.h"
#include "reference/pages.h"

static const char *lq(hs_lang_t lang) { return lang == HS_LANG_ZH ? "?lang=zh" : ""; }

typedef struct {
  hs__buf_t *b;
  hs_lang_t lang;
} list_arg_t;

/* One list item: the linked record and its summary. */
static void item(const hs_status_t *r, void *arg) {
  list_arg_t *a = arg;
  hs__buf_lit(a->b, "<li>");
  hs__ref_link_record(a->b, r, a->lang);
  if (r->vendor) {
    hs__buf_lit(a->b, " <small>");
    hs__ref_esc(a->b, r->vendor);
    hs__buf_lit(a->b, "</small>");
  }
  hs__buf_lit(a->b, "<br><span class=\"sum\">");
  hs__ref_esc(a->b, hs_status_text(r, HS_TEXT_SUMMARY, a->lang));
  hs__buf_lit(a->b, "</span></li>\n");
}

/* A class's heading link, summary and the list of its records. */
static void class_block(hs__buf_t *b, const hs_class_t *c, hs_lang_t lang, int level) {
  hs__buf_printf(b, "<h%d><a href=\"", level);
  hs__ref_class_url(b, c);
  hs__buf_printf(b, "%s\">", lq(lang));
  hs__ref_esc(b, hs__ref_class_phrase(c, lang));
  hs__buf_printf(b, "</a></h%d>\n<p>", level);
  hs__ref_esc(b, c->summary[lang] ? c->summary[lang] : c->summary[0]);
  hs__buf_lit(b, "</p>\n<ul class=\"codes\">\n");
  list_arg_t a = {b, lang};
  hs__ref_each_in_class(c, item, &a);
  hs__buf_lit(b, "</ul>\n");
}

void hs__ref_html_class(hs__buf_t *b, const hs_class_t *c, hs_lang_t lang) {
  const char *summary = c->summary[lang] ? c->summary[lang] : c->summary[0];
  hs__ref_html_open(b, lang, hs__ref_class_phrase(c, lang), summary);
  hs__buf_printf(b, "<nav class=\"crumbs\" aria-label=\"%s\"><a href=\"",
                 hs__ref_word(HS_W_HOME, lang));
  hs__ref_ns_url(b, c->ns);
  hs__buf_printf(b, "%s\">%s</a></nav>\n<h1>", lq(lang), hs__ref_ns_word(c->ns, lang));
  hs__ref_esc(b, hs__ref_class_phrase(c, lang));
  hs__buf_lit(b, "</h1>\n<p class=\"summary\">");
  hs__ref_esc(b, summary);
  hs__buf_printf(b,
                 "</p>\n<section id=\"explanation\" aria-labelledby=\"explanation-h\">"
                 "<h2 id=\"explanation-h\">%s</h2>\n",
                 hs__ref_word(HS_W_EXPLANATION, lang));
  hs__ref_paragraphs(b, c->detail[lang] ? c->detail[lang] : c->detail[0]);
  hs__buf_printf(b,
                 "</section>\n<section id=\"codes\" aria-labelledby=\"codes-h\">"
                 "<h2 id=\"codes-h\">%s</h2>\n<ul class=\"codes\">\n",
                 hs__ref_word(HS_W_CODES_IN, lang));
  list_arg_t a = {b, lang};
  hs__ref_each_in_class(c, item, &a);
  hs__buf_lit(b, "</ul>\n</section>\n");
  hs__ref_html_close(b, lang);
}

/* The vendors of the vendor codes, each with its codes linked (the page of
 * `httpstatus vendors`): vendor keys in the table's order, one row each. */
static void vendors_section(hs__buf_t *b, const hs_status_t *all, size_t n, hs_lang_t lang) {
  hs__buf_printf(b,
                 "<section id=\"vendors\" aria-labelledby=\"vendors-h\"><h2 id=\"vendors-h\">"
                 "%s</h2>\n<dl class=\"facts\">\n",
                 hs__ref_word(HS_W_VENDORS, lang));
  for (size_t i = 0; i < n; i++) {
    if (!hs__ref_vendor_first(all, i)) /* listed with its first code */
      continue;
    hs__buf_printf(b, "<dt id=\"vendor-%s\">", all[i].vendor_key);
    hs__ref_esc(b, all[i].vendor ? all[i].vendor : all[i].vendor_key);
    hs__buf_printf(b, " <small>(%s)</small></dt><dd>", all[i].vendor_key);
    for (size_t j = i; j < n; j++)
      if (strcmp(all[j].vendor_key, all[i].vendor_key) == 0) {
        hs__ref_link_record(b, &all[j], lang);
        hs__buf_lit(b, " ");
      }
    hs__buf_lit(b, "</dd>\n");
  }
  hs__buf_lit(b, "</dl>\n</section>\n");
}

void hs__ref_html_ns(hs__buf_t *b, hs_namespace_t ns, hs_lang_t lang) {
  hs__ref_html_open(b, lang, hs__ref_ns_word(ns, lang), hs__ref_word(HS_W_TAGLINE, lang));
  hs__buf_printf(b, "<h1>%s</h1>\n", hs__ref_ns_word(ns, lang));
  size_t ncls = 0;
  const hs_class_t *cls = hs_classes(&ncls);
  if (ns == HS_NS_FTP || ns == HS_NS_WS) {
    for (size_t i = 0; i < ncls; i++)
      if (cls[i].ns == ns && cls[i].kind != 1)
        class_block(b, &cls[i], lang, 2);
    if (ns == HS_NS_FTP) {
      hs__buf_printf(b, "<h2 id=\"digits\">%s</h2>\n<dl class=\"facts\">\n",
                     hs__ref_word(HS_W_DIGITS, lang));
      for (size_t i = 0; i < ncls; i++)
        if (cls[i].ns == ns && cls[i].kind == 1) {
          hs__buf_printf(b, "<dt>x%dx ", cls[i].value);
          hs__ref_esc(b, hs__ref_class_phrase(&cls[i], lang));
          hs__buf_lit(b, "</dt><dd>");
          hs__ref_esc(b, cls[i].summary[lang] ? cls[i].summary[lang] : cls[i].summary[0]);
          hs__buf_lit(b, "</dd>\n");
        }
      hs__buf_lit(b, "</dl>\n");
    }
  } else {
    size_t n = 0;
    const hs_status_t *all = hs_records(ns, &n);
    list_arg_t a = {b, lang};
    hs__buf_lit(b, "<ul class=\"codes\">\n");
    for (size_t i = 0; i < n; i++)
      item(&all[i], &a);
    hs__buf_lit(b, "</ul>\n");
    if (ns == HS_NS_HTTP_VENDOR)
      vendors_section(b, all, n, lang);
  }
  hs__ref_html_close(b, lang);
}

/* One cell of the code map: a registered code, a vendor-only number or an
 * unassigned number (linked to its class). */
static void map_cell(hs__buf_t *b, int code, hs_lang_t lang) {
  const hs_status_t *r = hs_lookup(HS_NS_HTTP, code);
  const hs_status_t *v = r ? NULL : hs_lookup(HS_NS_HTTP_VENDOR, code);
  if (r || v) {
    hs__buf_printf(b, "<li><a class=\"%s\" href=\"/codes/%d%s\" title=\"", r ? "r" : "v", code,
                   lq(lang));
    hs__ref_esc(b, hs__ref_phrase(r ? r : v, lang));
    hs__buf_printf(b, "\">%d</a></li>", code);
  } else {
    hs__buf_printf(b, "<li><a class=\"u\" href=\"/codes/%dxx%s\">%d</a></li>", code / 100, lq(lang),
                   code);
  }
}

void hs__ref_html_home(hs__buf_t *b, hs_lang_t lang) {
  hs__ref_html_open(b, lang, hs__ref_word(HS_W_NS_HTTP, lang), hs__ref_word(HS_W_TAGLINE, lang));
  hs__buf_printf(b, "<h1>%s</h1>\n<p class=\"summary\">%s</p>\n", hs__ref_word(HS_W_SITE, lang),
                 hs__ref_word(HS_W_TAGLINE, lang));
  hs__buf_printf(b,
                 "<section id=\"map\" aria-labelledby=\"map-h\"><h2 id=\"map-h\">%s</h2>\n"
                 "<p>%s</p>\n<ul class=\"legend\"><li><span class=\"sw r\"></span>%s</li>"
                 "<li><span class=\"sw v\"></span>%s</li><li><span class=\"sw u\"></span>%s</li>"
                 "</ul>\n",
                 hs__ref_word(HS_W_MAP, lang), hs__ref_word(HS_W_MAP_HINT, lang),
                 hs__ref_word(HS_W_LEGEND_STD, lang), hs__ref_word(HS_W_LEGEND_VENDOR, lang),
                 hs__ref_word(HS_W_LEGEND_UNASSIGNED, lang));
  for (int d = 1; d <= 5; d++) {
    const hs_class_t *c = hs_class_of(HS_NS_HTTP, d);
    hs__buf_printf(b, "<h3 id=\"c%dxx\"><a href=\"/codes/%dxx%s\">", d, d, lq(lang));
    hs__ref_esc(b, c ? hs__ref_class_phrase(c, lang) : "");
    hs__buf_printf(b, "</a></h3>\n<ul class=\"map c%d\">", d);
    for (int code = d * 100; code < d * 100 + 100; code++)
      map_cell(b, code, lang);
    hs__buf_lit(b, "</ul>\n");
  }
  hs__buf_printf(b,
                 "</section>\n<section id=\"namespaces\" aria-labelledby=\"ns-h\">"
                 "<h2 id=\"ns-h\">%s</h2>\n<ul class=\"ns\">\n",
                 hs__ref_word(HS_W_NAMESPACES, lang));
  for (int ns = HS_NS_HTTP_VENDOR; ns < HS_NS_COUNT; ns++) {
    size_t n = 0;
    hs_records((hs_namespace_t)ns, &n);
    hs__buf_lit(b, "<li><a href=\"");
    hs__ref_ns_url(b, (hs_namespace_t)ns);
    hs__buf_printf(b, "%s\">%s</a> (%zu)</li>\n", lq(lang),
                   hs__ref_ns_word((hs_namespace_t)ns, lang), n);
  }
  hs__buf_printf(b, "<li><a href=\"/api\">%s</a></li>\n</ul>\n</section>\n",
                 hs__ref_word(HS_W_API, lang));
  hs__ref_html_close(b, lang);
}

void hs__ref_html(hs__buf_t *b, const hs__ref_page_t *p, hs_lang_t lang) {
  switch (p->kind) {
  case HS_REF_HOME:
    hs__ref_html_home(b, lang);
    break;
  case HS_REF_NS:
    hs__ref_html_ns(b, p->ns, lang);
    break;
  case HS_REF_CLASS:
    hs__ref_html_class(b, p->cls, lang);
    break;
  default:
    hs__ref_html_record(b, p, lang);
    break;
  }
}
