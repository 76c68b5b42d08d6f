/* The forms of a reference page: HTML (html_lists.c, html_record.c), plain
 * text (text.c) and JSON (json.c). */
#ifndef HS_REFERENCE_FORMS_H
#define HS_REFERENCE_FORMS_H

#include "reference/pages.h"

/* The page bodies (ref_html_record.c, ref_html_lists.c). */
void hs__ref_html_record(hs__buf_t *b, const hs__ref_page_t *p, hs_lang_t lang);
void hs__ref_html_home(hs__buf_t *b, hs_lang_t lang);
void hs__ref_html_ns(hs__buf_t *b, hs_namespace_t ns, hs_lang_t lang);
void hs__ref_html_class(hs__buf_t *b, const hs_class_t *c, hs_lang_t lang);
/* HTML (ref_html_*.c), plain text (ref_text.c), JSON (ref_json.c; the same
 * in both languages: records carry both). Each appends to b. */
void hs__ref_html(hs__buf_t *b, const hs__ref_page_t *p, hs_lang_t lang);
void hs__ref_text(hs__buf_t *b, const hs__ref_page_t *p, hs_lang_t lang);
void hs__ref_json(hs__buf_t *b, const hs__ref_page_t *p);

#endif
