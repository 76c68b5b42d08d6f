/* The frame every reference page shares: the document head (stylesheet and
 * script from /assets, hreflang alternates between the two languages), a site
 * header with the search box and the language switch, and the footer. The
 * switch links are query-only references ("?lang=zh"), so they keep the page. */
#include <ctype.h>
#include <string.h>

#include "reference/assets.h"
#include "reference/html_common.h"
#include "reference/i18n.h"
#include "reference/pages.h"

void hs__ref_esc(hs__buf_t *b, const char *s) {
  if (s)
    hs__html_escape(b, s, strlen(s));
}

const char *hs__ref_phrase(const hs_status_t *r, hs_lang_t lang) {
  return lang == HS_LANG_ZH && r->phrase_zh ? r->phrase_zh : r->phrase;
}

const char *hs__ref_class_phrase(const hs_class_t *c, hs_lang_t lang) {
  return lang == HS_LANG_ZH && c->phrase_zh ? c->phrase_zh : c->phrase;
}

void hs__ref_link_record(hs__buf_t *b, const hs_status_t *r, hs_lang_t lang) {
  hs__buf_lit(b, "<a href=\"");
  hs__ref_record_url(b, r);
  if (lang == HS_LANG_ZH)
    hs__buf_lit(b, "?lang=zh");
  hs__buf_lit(b, "\"><span class=\"k\">");
  hs__ref_esc(b, r->key);
  hs__buf_lit(b, "</span> ");
  hs__ref_esc(b, hs__ref_phrase(r, lang));
  hs__buf_lit(b, "</a>");
}

/* 1 when s[i..i+3) is a registered HTTP code other than `self` that stands as a
 * code in prose: no digit, '.', '§' or letter around it, not a quantity ("500 MB",
 * "100 requests": a space then a lower-case letter, or a unit). */
static int code_at(const char *s, size_t i, size_t n, int self) {
  const unsigned char *u = (const unsigned char *)s;
  if (i + 3 > n || u[i] < '1' || u[i] > '5' || u[i + 1] < '0' || u[i + 1] > '9' || u[i + 2] < '0' ||
      u[i + 2] > '9')
    return 0;
  if (i > 0 && (isalnum(u[i - 1]) || u[i - 1] == '.' || u[i - 1] == '/' || u[i - 1] == '-' ||
                u[i - 1] == 0xa7 /* § */ || u[i - 1] == '_'))
    return 0;
  if (i + 3 < n && (isalnum(u[i + 3]) || u[i + 3] == '_' || u[i + 3] == '-' || u[i + 3] == '/' ||
                    (u[i + 3] == '.' && i + 4 < n && isdigit(u[i + 4]))))
    return 0;
  if (i + 4 < n && u[i + 3] == ' ' &&
      (islower(u[i + 4]) || isdigit(u[i + 4]) || u[i + 4] == '%' ||
       (u[i + 4] == 'M' && i + 5 < n && u[i + 5] == 'B') ||
       (u[i + 4] == 'K' && i + 5 < n && u[i + 5] == 'B')))
    return 0;
  int code = (u[i] - '0') * 100 + (u[i + 1] - '0') * 10 + (u[i + 2] - '0');
  return code != self && hs_lookup(HS_NS_HTTP, code) ? code : 0;
}

/* Escaped text with HTTP codes in it linked to their pages (self: not linked). */
static void escape_linked(hs__buf_t *b, const char *s, size_t n, int self) {
  size_t from = 0;
  for (size_t i = 0; self >= 0 && i + 3 <= n; i++) {
    int code = code_at(s, i, n, self);
    if (!code)
      continue;
    hs__html_escape(b, s + from, i - from);
    hs__buf_printf(b, "<a href=\"/codes/%d\">%d</a>", code, code);
    from = i + 3;
    i += 2;
  }
  hs__html_escape(b, s + from, n - from);
}

void hs__ref_rich(hs__buf_t *b, const char *s, size_t n) { hs__ref_rich_linked(b, s, n, -1); }

void hs__ref_rich_linked(hs__buf_t *b, const char *s, size_t n, int self) {
  const char *end = s + n;
  while (s < end) {
    const char *open = memchr(s, '`', (size_t)(end - s));
    const char *close = open ? memchr(open + 1, '`', (size_t)(end - open - 1)) : NULL;
    if (!close) {
      escape_linked(b, s, (size_t)(end - s), self);
      return;
    }
    escape_linked(b, s, (size_t)(open - s), self);
    hs__buf_lit(b, "<code>");
    hs__html_escape(b, open + 1, (size_t)(close - open - 1));
    hs__buf_lit(b, "</code>");
    s = close + 1;
  }
}

void hs__ref_paragraphs(hs__buf_t *b, const char *text) { hs__ref_paragraphs_linked(b, text, -1); }

void hs__ref_paragraphs_linked(hs__buf_t *b, const char *text, int self) {
  if (!text)
    return;
  while (*text) {
    const char *end = strstr(text, "\n\n");
    size_t n = end ? (size_t)(end - text) : strlen(text);
    hs__buf_lit(b, "<p>");
    hs__ref_rich_linked(b, text, n, self);
    hs__buf_lit(b, "</p>\n");
    text += n;
    while (*text == '\n')
      text++;
  }
}

void hs__ref_html_open(hs__buf_t *b, hs_lang_t lang, const char *title, const char *desc) {
  const char *l = lang == HS_LANG_ZH ? "zh" : "en";
  hs__buf_printf(b,
                 "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<meta name=\"color-scheme\" content=\"light dark\">\n"
                 "<link rel=\"icon\" href=\"data:,\">\n<title>",
                 l);
  hs__ref_esc(b, title);
  hs__buf_lit(b, " · ");
  hs__ref_esc(b, hs__ref_word(HS_W_SITE, lang));
  hs__buf_lit(b, "</title>\n<meta name=\"description\" content=\"");
  hs__ref_esc(b, desc);
  hs__buf_printf(b,
                 "\">\n<link rel=\"stylesheet\" href=\"%s\">\n"
                 "<link rel=\"alternate\" hreflang=\"en\" href=\"?lang=en\">\n"
                 "<link rel=\"alternate\" hreflang=\"zh\" href=\"?lang=zh\">\n"
                 "<script src=\"%s\" defer></script>\n</head>\n<body>\n",
                 hs__ref_css_url(), hs__ref_js_url());
  hs__buf_printf(b, "<a class=\"skip\" href=\"#main\">%s</a>\n<header class=\"top\">\n",
                 hs__ref_word(HS_W_SKIP, lang));
  hs__buf_printf(b, "<a class=\"brand\" href=\"/%s\">%s</a>\n",
                 lang == HS_LANG_ZH ? "?lang=zh" : "", hs__ref_word(HS_W_SITE, lang));
  hs__buf_printf(b,
                 "<form class=\"search\" role=\"search\" action=\"/search\" method=\"get\">"
                 "<label for=\"q\">%s</label> <input id=\"q\" name=\"q\" type=\"search\" "
                 "autocomplete=\"off\" placeholder=\"%s\" aria-controls=\"hits\">"
                 "<input type=\"hidden\" name=\"lang\" value=\"%s\">"
                 " <button type=\"submit\">%s</button>\n"
                 "<div id=\"hits\" class=\"hits\" role=\"region\" aria-live=\"polite\" "
                 "aria-label=\"%s\"></div></form>\n",
                 hs__ref_word(HS_W_SEARCH, lang), hs__ref_word(HS_W_SEARCH_HINT, lang), l,
                 hs__ref_word(HS_W_SEARCH, lang), hs__ref_word(HS_W_RESULTS, lang));
  hs__buf_printf(b,
                 "<nav class=\"lang\" aria-label=\"%s\"><a href=\"?lang=en\" hreflang=\"en\" "
                 "lang=\"en\"%s>English</a> <a href=\"?lang=zh\" hreflang=\"zh\" lang=\"zh\"%s>"
                 "中文</a></nav>\n</header>\n<main id=\"main\">\n",
                 hs__ref_word(HS_W_LANGUAGE, lang),
                 lang == HS_LANG_EN ? " aria-current=\"true\"" : "",
                 lang == HS_LANG_ZH ? " aria-current=\"true\"" : "");
}

void hs__ref_html_close(hs__buf_t *b, hs_lang_t lang) {
  const char *q = lang == HS_LANG_ZH ? "?lang=zh" : "";
  hs__buf_printf(b,
                 "</main>\n<footer><nav aria-label=\"%s\"><a href=\"/%s\">%s</a> · "
                 "<a href=\"/codes/vendor%s\">%s</a> · <a href=\"/codes/iis%s\">%s</a> · "
                 "<a href=\"/codes/ftp%s\">%s</a> · <a href=\"/codes/ws%s\">%s</a> · "
                 "<a href=\"/api\">%s</a></nav>\n<p>%s</p></footer>\n</body></html>\n",
                 hs__ref_word(HS_W_NAMESPACES, lang), q, hs__ref_word(HS_W_NS_HTTP, lang), q,
                 hs__ref_word(HS_W_NS_VENDOR, lang), q, hs__ref_word(HS_W_NS_IIS, lang), q,
                 hs__ref_word(HS_W_NS_FTP, lang), q, hs__ref_word(HS_W_NS_WS, lang),
                 hs__ref_word(HS_W_API, lang), hs__ref_word(HS_W_FOOTER, lang));
}
