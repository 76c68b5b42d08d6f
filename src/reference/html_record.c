/* The HTML page of one record (and of an HTTP number: its official meaning
 * with every vendor meaning of the number). Sections have stable ids (#facts,
 * #explanation, #scenarios, #vendor, #example, #try, #related) so they can be
 * linked to. */
#include <string.h>

#include "reference/example.h"
#include "reference/forms.h"
#include "reference/gateway.h"
#include "reference/html_common.h"
#include "reference/i18n.h"
#include "reference/pages.h"

static const char *yes_no(int v, hs_lang_t lang) {
  return hs__ref_word(v ? HS_W_YES : HS_W_NO, lang);
}

static void dt(hs__buf_t *b, hs__ref_word_t w, hs_lang_t lang) {
  hs__buf_printf(b, "<dt>%s</dt><dd>", hs__ref_word(w, lang));
}

static void header_list(hs__buf_t *b, uint32_t mask, hs_lang_t lang) {
  int any = 0;
  for (int h = 0; h < HS_H_COUNT; h++)
    if (mask & HS_HBIT(h)) {
      hs__buf_printf(b, "%s<code>%s</code>", any ? ", " : "", hs_header_name((hs_header_t)h));
      any = 1;
    }
  if (!any)
    hs__buf_str(b, hs__ref_word(HS_W_NONE, lang));
}

/* The facts of a record as a description list. */
static void facts(hs__buf_t *b, const hs_status_t *r, hs_lang_t lang) {
  hs__buf_lit(b, "<dl class=\"facts\">\n");
  dt(b, HS_W_STATE, lang);
  hs__buf_printf(b, "<span class=\"state s-%s\">%s</span>", hs_state_name(r->state),
                 hs__ref_state_word(r->state, lang));
  if (r->expires)
    hs__buf_printf(b, hs__ref_word(HS_W_EXPIRES, lang), r->expires);
  hs__buf_lit(b, "</dd>\n");
  if (r->vendor) {
    dt(b, HS_W_VENDOR, lang);
    hs__ref_esc(b, r->vendor);
    hs__buf_lit(b, "</dd>\n");
  }
  if (r->spec) {
    dt(b, HS_W_SPEC, lang);
    if (r->url) {
      hs__buf_lit(b, "<a href=\"");
      hs__ref_esc(b, r->url);
      hs__buf_lit(b, "\" rel=\"external\">");
      hs__ref_esc(b, r->spec);
      hs__buf_lit(b, "</a>");
    } else {
      hs__ref_esc(b, r->spec);
    }
    hs__buf_lit(b, "</dd>\n");
  }
  if (r->aliases && r->aliases[0]) {
    dt(b, HS_W_ALIASES, lang);
    for (const char *const *a = r->aliases; *a; a++) {
      hs__buf_str(b, a == r->aliases ? "" : ", ");
      hs__ref_esc(b, *a);
    }
    hs__buf_lit(b, "</dd>\n");
  }
  if (r->registered) {
    dt(b, HS_W_REGISTERED, lang);
    hs__ref_esc(b, r->registered);
    hs__buf_lit(b, "</dd>\n");
  }
  if (r->ns == HS_NS_HTTP || r->ns == HS_NS_HTTP_VENDOR) {
    dt(b, HS_W_CACHEABLE, lang);
    hs__buf_printf(b, "%s</dd>\n", yes_no(r->flags & HS_F_CACHEABLE, lang));
    dt(b, HS_W_BODY, lang);
    hs__buf_printf(b, "%s</dd>\n",
                   hs__ref_word((r->flags & HS_F_NO_BODY) ? HS_W_BODY_NO : HS_W_BODY_YES, lang));
    dt(b, HS_W_REQUIRES, lang);
    header_list(b, r->requires, lang);
    hs__buf_lit(b, "</dd>\n");
    dt(b, HS_W_EXPECTS, lang);
    header_list(b, r->expects, lang);
    hs__buf_lit(b, "</dd>\n");
  }
  if (r->ns == HS_NS_WS) {
    dt(b, HS_W_ON_WIRE, lang);
    hs__buf_printf(b, "%s</dd>\n", yes_no(!(r->flags & HS_F_NOT_ON_WIRE), lang));
  }
  dt(b, HS_W_RETRY, lang);
  hs__buf_printf(b, "%s</dd>\n",
                 /* a gateway's 5xx: the upstream may have done the work (504) */
                 (r->flags & HS_F_RETRY) && r->ns == HS_NS_HTTP && r->code >= 500
                     ? hs__ref_word(HS_W_RETRY_IDEMPOTENT, lang)
                 : (r->flags & HS_F_RETRY)       ? hs__ref_word(HS_W_YES, lang)
                 : (r->flags & HS_F_RETRY_AFTER) ? hs__ref_word(HS_W_RETRY_AFTER, lang)
                                                 : hs__ref_word(HS_W_NO, lang));
  hs__buf_lit(b, "</dl>\n");
}

static void section_open(hs__buf_t *b, const char *id, hs__ref_word_t w, hs_lang_t lang) {
  hs__buf_printf(b, "<section id=\"%s\" aria-labelledby=\"%s-h\"><h2 id=\"%s-h\">%s</h2>\n", id, id,
                 id, hs__ref_word(w, lang));
}

/* Summary, explanation and scenarios of one record. */
static void texts(hs__buf_t *b, const hs_status_t *r, hs_lang_t lang, const char *prefix) {
  hs__buf_printf(b,
                 "<section id=\"%sexplanation\" aria-labelledby=\"%sexplanation-h\">"
                 "<h2 id=\"%sexplanation-h\">%s</h2>\n",
                 prefix, prefix, prefix, hs__ref_word(HS_W_EXPLANATION, lang));
  /* HTTP prose links the codes it names (502's text → 504); FTP and WebSocket
   * texts use the same numbers for other things */
  int self = r->ns == HS_NS_HTTP || r->ns == HS_NS_HTTP_VENDOR ? r->code : -1;
  hs__ref_paragraphs_linked(b, hs_status_text(r, HS_TEXT_DETAIL, lang), self);
  if (hs_status_scenario(r, lang, 0)) {
    hs__buf_printf(b, "<h3>%s</h3>\n<ul>\n", hs__ref_word(HS_W_SCENARIOS, lang));
    for (size_t i = 0; hs_status_scenario(r, lang, i); i++) {
      hs__buf_lit(b, "<li>");
      hs__ref_rich_linked(b, hs_status_scenario(r, lang, i), strlen(hs_status_scenario(r, lang, i)),
                          self);
      hs__buf_lit(b, "</li>\n");
    }
    hs__buf_lit(b, "</ul>\n");
  }
  hs__buf_lit(b, "</section>\n");
}

/* Example exchange and the live trial. */
static void example_and_try(hs__buf_t *b, const hs_status_t *r, int code, hs_lang_t lang) {
  section_open(b, "example", HS_W_EXAMPLE, lang);
  if (r->ns == HS_NS_HTTP || r->ns == HS_NS_HTTP_VENDOR) {
    hs__buf_t req, resp;
    hs__buf_init(&req, NULL);
    hs__buf_init(&resp, NULL);
    hs__ref_example_http(&req, &resp, r, code);
    hs__buf_printf(b, "<figure><figcaption>%s</figcaption><pre tabindex=\"0\"><code>",
                   hs__ref_word(HS_W_REQUEST, lang));
    hs__html_escape(b, req.base, req.len);
    hs__buf_printf(
        b, "</code></pre></figure>\n<figure><figcaption>%s</figcaption><pre tabindex=\"0\"><code>",
        hs__ref_word(HS_W_RESPONSE, lang));
    hs__html_escape(b, resp.base, resp.len);
    hs__buf_lit(b, "</code></pre></figure>\n</section>\n");
    hs__buf_release(&req);
    hs__buf_release(&resp);
    const hs__ref_trigger_t *t = hs__ref_trigger(code);
    section_open(b, "try", HS_W_TRY, lang);
    hs__buf_printf(b, "<p>%s</p>\n<button type=\"button\" class=\"try\" data-code=\"%d\"",
                   hs__ref_word(HS_W_TRY_NOTE, lang), code);
    if (t && t->browser_ok) {
      hs__buf_printf(b, " data-method=\"%s\" data-url=\"%s\"", t->method, t->path);
      if (t->hname) {
        hs__buf_printf(b, " data-hname=\"%s\" data-hvalue=\"", t->hname);
        hs__ref_esc(b, t->hvalue);
        hs__buf_lit(b, "\"");
      }
      if (code == 414) /* past the default --max-uri (8k) */
        hs__buf_lit(b, " data-pad=\"9000\"");
      if (code == 431) /* past the default --max-header-size (16k) */
        hs__buf_lit(b, " data-hpad=\"20000\"");
    } else {
      hs__buf_printf(b, " data-method=\"GET\" data-url=\"/status/%d\"", code);
    }
    hs__buf_printf(b,
                   ">%s</button>\n<output class=\"try-out\" aria-live=\"polite\"></output>\n"
                   "</section>\n",
                   hs__ref_word(HS_W_TRY_BUTTON, lang));
    return;
  }
  if (r->ns == HS_NS_IIS)
    hs__buf_printf(b, "<p>%s</p>\n", hs__ref_word(HS_W_IIS_NOTE, lang));
  else if (r->ns == HS_NS_FTP)
    hs__buf_printf(b, "<p>%s</p>\n", hs__ref_word(HS_W_FTP_NOTE, lang));
  else
    hs__buf_printf(b, "<p>%s</p>\n", hs__ref_word(HS_W_FRAME, lang));
  hs__buf_t ex;
  hs__buf_init(&ex, NULL);
  hs__ref_example_other(&ex, r);
  hs__buf_lit(b, "<pre tabindex=\"0\"><code>");
  hs__html_escape(b, ex.base, ex.len);
  hs__buf_lit(b, "</code></pre>\n</section>\n");
  hs__buf_release(&ex);
  if (r->ns != HS_NS_WS)
    return;
  section_open(b, "try", HS_W_TRY, lang);
  if (hs_ws_close_sendable(r->code))
    hs__buf_printf(b,
                   "<p>%s</p>\n<button type=\"button\" class=\"try\" data-code=\"%d\" "
                   "data-ws=\"/websocket/close/%d\">%s</button>\n"
                   "<output class=\"try-out\" aria-live=\"polite\"></output>\n",
                   hs__ref_word(HS_W_TRY_WS, lang), r->code, r->code,
                   hs__ref_word(HS_W_TRY_BUTTON, lang));
  else
    hs__buf_printf(b, "<p>%s</p>\n", hs__ref_word(HS_W_EXAMPLE_ONLY, lang));
  hs__buf_lit(b, "</section>\n");
}

/* Other records of the same number or name, and the neighbours in the namespace. */
static void related(hs__buf_t *b, const hs_status_t *r, int code, hs_lang_t lang) {
  const hs_status_t *seen[32];
  size_t nseen = 0;
  static const hs_namespace_t others[] = {HS_NS_HTTP, HS_NS_FTP, HS_NS_WS};
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
    const hs_status_t *o = hs_lookup(others[i], code);
    if (o && o != r && o->ns != r->ns && nseen < 32)
      seen[nseen++] = o;
  }
  /* vendor meanings of the number too, as the CLI's "same number elsewhere"
   * shows them (FTP 530 → Cloudflare 530, Pantheon 530) */
  const hs_status_t *vend[8];
  size_t nv = r->ns == HS_NS_HTTP_VENDOR || r->ns == HS_NS_IIS || code < 100 || code > 599
                  ? 0
                  : hs_vendor_meanings(code, vend, 8);
  for (size_t i = 0; i < nv && i < 8 && nseen < 32; i++)
    if (r->ns != HS_NS_HTTP) /* an official HTTP page lists them in its own section */
      seen[nseen++] = vend[i];
  const hs_status_t *named[8];
  size_t nn = hs_find_names(r->phrase, -1, named, 8);
  for (size_t i = 0; i < nn && i < 8; i++) {
    int dup = named[i] == r;
    for (size_t j = 0; j < nseen; j++)
      dup |= seen[j] == named[i];
    if (!dup && nseen < 32)
      seen[nseen++] = named[i];
  }
  size_t n = 0;
  const hs_status_t *all = hs_records(r->ns, &n);
  size_t at = (size_t)(r - all);
  section_open(b, "related", HS_W_RELATED, lang);
  hs__buf_lit(b, "<ul class=\"rel\">\n");
  for (size_t i = 0; hs_status_related(r, i); i++) { /* the data's own choice first */
    hs__buf_printf(b, "<li>%s%s", hs__ref_word(HS_W_SEE_ALSO, lang),
                   hs__ref_word(HS_W_COLON, lang));
    hs__ref_link_record(b, hs_status_related(r, i), lang);
    hs__buf_lit(b, "</li>\n");
  }
  if (at > 0) {
    hs__buf_printf(b, "<li>%s%s", hs__ref_word(HS_W_PREV, lang), hs__ref_word(HS_W_COLON, lang));
    hs__ref_link_record(b, &all[at - 1], lang);
    hs__buf_lit(b, "</li>\n");
  }
  if (at + 1 < n) {
    hs__buf_printf(b, "<li>%s%s", hs__ref_word(HS_W_NEXT, lang), hs__ref_word(HS_W_COLON, lang));
    hs__ref_link_record(b, &all[at + 1], lang);
    hs__buf_lit(b, "</li>\n");
  }
  for (size_t i = 0; i < nseen; i++) {
    hs__buf_printf(b, "<li>%s%s", hs__ref_ns_word(seen[i]->ns, lang),
                   hs__ref_word(HS_W_COLON, lang));
    hs__ref_link_record(b, seen[i], lang);
    hs__buf_lit(b, "</li>\n");
  }
  hs__buf_lit(b, "</ul>\n</section>\n");
}

/* Breadcrumbs: namespace, class. */
static void crumbs(hs__buf_t *b, const hs_status_t *r, hs_lang_t lang) {
  const char *q = lang == HS_LANG_ZH ? "?lang=zh" : "";
  hs__buf_printf(b, "<nav class=\"crumbs\" aria-label=\"%s\"><a href=\"",
                 hs__ref_word(HS_W_HOME, lang));
  hs__ref_ns_url(b, r->ns == HS_NS_HTTP ? HS_NS_HTTP : r->ns);
  hs__buf_printf(b, "%s\">%s</a>", q, hs__ref_ns_word(r->ns, lang));
  const hs_class_t *c = hs__ref_class_for(r->ns, r->code);
  if (c) {
    hs__buf_lit(b, " › <a href=\"");
    hs__ref_class_url(b, c);
    hs__buf_printf(b, "%s\">", q);
    hs__ref_esc(b, hs__ref_class_phrase(c, lang));
    hs__buf_lit(b, "</a>");
  }
  hs__buf_lit(b, "</nav>\n");
}

void hs__ref_html_record(hs__buf_t *b, const hs__ref_page_t *p, hs_lang_t lang) {
  const hs_status_t *r = p->rec;
  int code = p->kind == HS_REF_HTTP ? p->code : r->code;
  hs__buf_t title;
  hs__buf_init(&title, NULL);
  hs__buf_printf(&title, "%s %s", r->key, hs__ref_phrase(r, lang));
  hs__buf_append(&title, "", 1);
  const char *summary = hs_status_text(r, HS_TEXT_SUMMARY, lang);
  hs__ref_html_open(b, lang, title.base, summary);
  crumbs(b, r, lang);
  hs__buf_printf(b, "<h1><span class=\"code c%d\">", r->ns == HS_NS_WS ? 0 : code / 100);
  hs__ref_esc(b, r->key);
  hs__buf_lit(b, "</span> ");
  hs__ref_esc(b, hs__ref_phrase(r, lang));
  hs__buf_lit(b, "</h1>\n<p class=\"summary\">");
  hs__ref_esc(b, summary);
  hs__buf_lit(b, "</p>\n");
  section_open(b, "facts", HS_W_GLANCE, lang);
  facts(b, r, lang);
  hs__buf_lit(b, "</section>\n");
  texts(b, r, lang, "");
  if (p->kind == HS_REF_HTTP) {
    const hs_status_t *vend[16];
    size_t nv = hs_vendor_meanings(code, vend, 16);
    if (nv) { /* all of them, the page's own one too when it has no official meaning */
      section_open(b, "vendor", HS_W_VENDOR_MEANINGS, lang);
      for (size_t i = 0; i < nv && i < 16; i++) {
        hs__buf_printf(b, "<article id=\"vendor-%s\" class=\"vendor\"><h3>",
                       vend[i]->vendor_key ? vend[i]->vendor_key : "x");
        hs__ref_link_record(b, vend[i], lang);
        hs__buf_lit(b, " <small>");
        hs__ref_esc(b, vend[i]->vendor);
        hs__buf_lit(b, "</small></h3>\n<p>");
        hs__ref_esc(b, hs_status_text(vend[i], HS_TEXT_SUMMARY, lang));
        hs__buf_lit(b, "</p></article>\n");
      }
      hs__buf_lit(b, "</section>\n");
    }
  }
  example_and_try(b, r, code, lang);
  hs__ref_gateway(b, r, lang);
  related(b, r, code, lang);
  hs__ref_html_close(b, lang);
  hs__buf_release(&title);
}
