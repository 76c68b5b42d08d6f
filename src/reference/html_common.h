/* What every HTML page of the reference shares (html_common.c). */
#ifndef HS_REFERENCE_HTML_COMMON_H
#define HS_REFERENCE_HTML_COMMON_H

#include "base/buf.h"
#include "httpstatus/registry.h"

/* Opens a page: doctype, <head> (title, description, stylesheet, script,
 * hreflang alternates), the site header (home, search, language switch) and
 * <main>. `title` and `desc` are plain text. */
void hs__ref_html_open(hs__buf_t *b, hs_lang_t lang, const char *title, const char *desc);
/* Closes <main>, adds the footer and ends the document. */
void hs__ref_html_close(hs__buf_t *b, hs_lang_t lang);
/* Appends NUL-terminated `s` escaped for HTML text and attribute values. */
void hs__ref_esc(hs__buf_t *b, const char *s);
/* Appends <a href="…">key phrase</a> for a record, the phrase in `lang`. */
void hs__ref_link_record(hs__buf_t *b, const hs_status_t *r, hs_lang_t lang);
/* The phrase of a record / class in `lang` (falls back to English). */
const char *hs__ref_phrase(const hs_status_t *r, hs_lang_t lang);
const char *hs__ref_class_phrase(const hs_class_t *c, hs_lang_t lang);
/* Appends s[0..n) escaped, with `backquoted` spans (header names, values in
 * the registry's texts) as <code>. */
void hs__ref_rich(hs__buf_t *b, const char *s, size_t n);
/* The same with the HTTP codes the text mentions linked to their pages, all but
 * `self` (the page's own code; -1 links none). */
void hs__ref_rich_linked(hs__buf_t *b, const char *s, size_t n, int self);
/* Appends the paragraphs of `text` ("\n\n"-separated) as <p> elements. */
void hs__ref_paragraphs(hs__buf_t *b, const char *text);
void hs__ref_paragraphs_linked(hs__buf_t *b, const char *text, int self);

#endif
