/* Negotiation and sending for the web reference (send.c) and the search
 * endpoint (search.c). */
#ifndef HS_REFERENCE_SEND_H
#define HS_REFERENCE_SEND_H

#include "http/render.h"
#include "http/response.h"
#include "reference/body.h"

/* The Vary value of negotiated reference answers. */
#define HS_REF_VARY "Accept, Accept-Language, Accept-Encoding"
/* The media types a reference URL offers (for 406 answers). */
#define HS_REF_OFFERED "text/html, application/json, text/plain"

/* Sends `body` (200, or 304 when If-None-Match holds its ETag) in the coding
 * Accept-Encoding prefers, with ETag, Cache-Control, Vary and, when lang ≥ 0,
 * Content-Language. */
void hs__ref_send(hs__exchange_t *x, const hs__ref_body_t *body, const char *ctype, int lang,
                  const char *cache_control, const char *vary);

/* Picks the format Accept prefers, ties (and an absent Accept) going to the
 * earlier entry of `order`. Returns 0 when Accept refuses all three (406). */
int hs__ref_format(const hs__req_t *req, const hs__fmt_t order[HS_FMT_COUNT], hs__fmt_t *fmt);

/* The language: ?lang=en|zh, else Accept-Language (RFC 9110 §12.5.4), else English. */
hs_lang_t hs__ref_lang(const hs__req_t *req);

/* GET /search?q=&lang=&limit=: the library's search (ref_search.c). */
void hs__ref_search(hs__exchange_t *x);

#endif
