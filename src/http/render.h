/* Response bodies describing a status code, from the registry, in the negotiated
 * format (JSON, plain text, HTML) and language (en, zh). Bodies of registered
 * codes are rendered once at start-up and shared read-only by all workers. */
#ifndef HS_HTTP_RENDER_H
#define HS_HTTP_RENDER_H

#include "base/buf.h"
#include "http/request.h"
#include "httpstatus/registry.h"

typedef enum hs_fmt_e { HS_FMT_JSON = 0, HS_FMT_TEXT, HS_FMT_HTML, HS_FMT_COUNT } hs__fmt_t;

/* Result of content negotiation (negotiate.c). */
typedef struct hs_neg_s {
  hs__fmt_t fmt;
  hs_lang_t lang;
} hs__neg_t;

/* RFC 9110 §12.5.1, §12.5.4: picks a format from Accept and a language from
 * ?lang=zh|en or else Accept-Language. Absent or unsatisfiable headers give
 * JSON / English. */
hs__neg_t hs__negotiate(const hs__req_t *req);

/* RFC 9110 §12.5.1: the weight (0-1000) the Accept value gives each format,
 * from the most specific media range that matches it; 0 when none matches or
 * the range says q=0. For endpoints that answer 406 rather than fall back. */
void hs__accept_weights(hs__str_t accept, int q[HS_FMT_COUNT]);

/* Content-Type value of a format ("application/json", ...). */
const char *hs__fmt_ctype(hs__fmt_t f);

/* The body describing HTTP `code` (100-599). Registered codes come from the
 * start-up cache; others are rendered into `scratch` (cleared first). The view
 * stays valid until scratch is next used. */
hs__str_t hs__render_status(int code, hs__neg_t neg, hs__buf_t *scratch);

/* The same described by `rec`, one of the code's records (a vendor meaning picked
 * with /status/{code}?vendor=). */
hs__str_t hs__render_status_as(int code, const hs_status_t *rec, hs__neg_t neg, hs__buf_t *scratch);

/* Appends a body describing `code` plus an explanation `message` (for errors
 * such as invalid /status input). `message` is plain ASCII/UTF-8 text. */
void hs__render_message(hs__buf_t *b, hs__neg_t neg, int code, const char *message);

/* Appends `s` escaped for a JSON string / for HTML text. */
void hs__json_escape(hs__buf_t *b, const char *s, size_t n);
void hs__html_escape(hs__buf_t *b, const char *s, size_t n);

/* Builds the start-up cache (called once through hs__global_init). */
void hs__render_global_init(void);

#endif
