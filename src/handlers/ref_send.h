/* Negotiation and sending for the web reference (ref_send.c). */
#ifndef HS_HANDLERS_REF_SEND_H
#define HS_HANDLERS_REF_SEND_H

#include "handlers/ref_pages.h"
#include "http/response.h"

/* The Vary value of negotiated reference answers. */
#define HS_REF_VARY "Accept, Accept-Language, Accept-Encoding"
/* The media types a reference URL offers (for 406 answers). */
#define HS_REF_OFFERED "text/html, application/json, text/plain"

/* Sends `body` (200, or 304 when If-None-Match holds its ETag) in the coding
 * Accept-Encoding prefers, with ETag, Cache-Control, Vary and, when lang ≥ 0,
 * Content-Language. */
void hs__ref_send(hs_exchange_t *x, const hs__ref_body_t *body, const char *ctype, int lang,
                  const char *cache_control, const char *vary);

/* Picks the format Accept prefers, ties (and an absent Accept) going to the
 * earlier entry of `order`. Returns 0 when Accept refuses all three (406). */
int hs__ref_format(const hs_req_t *req, const hs_fmt_t order[HS_FMT_COUNT], hs_fmt_t *fmt);

/* The language: ?lang=en|zh, else Accept-Language (RFC 9110 §12.5.4), else English. */
hs_lang_t hs__ref_lang(const hs_req_t *req);

/* /codes addresses that name no page: 308 to the page the CLI would show
 * (/codes/1008 → /codes/ws/1008), or 404 naming the class of an unassigned
 * number. Returns 0 when it did not answer (ref_redirect.c). */
int hs__ref_not_a_page(hs_exchange_t *x);

/* GET /search?q=&lang=&limit=: the library's search (ref_search.c). */
void hs__ref_search(hs_exchange_t *x);

#endif
