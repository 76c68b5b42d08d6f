/* The web reference (docs/web.md): one page per registry record, class and
 * namespace, plus the home page, each in HTML, JSON and plain text and in
 * English and Chinese. Pages are generated from the registry the first time
 * they are asked for, compressed once (gzip, brotli) and kept for the life of
 * the process; a request only negotiates and sends (ref_serve.c). */
#ifndef HS_HANDLERS_REF_PAGES_H
#define HS_HANDLERS_REF_PAGES_H

#include <stddef.h>

#include "base/buf.h"
#include "http/render.h"
#include "httpstatus/registry.h"

typedef enum hs__ref_kind_e {
  HS_REF_HOME = 0, /* "/": the code map, search, namespaces */
  HS_REF_NS,       /* "/codes/vendor", "/codes/iis", "/codes/ftp", "/codes/ws" */
  HS_REF_CLASS,    /* "/codes/4xx", "/codes/ftp/5xx", "/codes/ws/4000-4999" */
  HS_REF_HTTP,     /* "/codes/404": the number, official and vendor meanings */
  HS_REF_RECORD    /* "/codes/499/nginx", "/codes/iis/403.14", "/codes/ftp/530", "/codes/ws/1008" */
} hs__ref_kind_t;

/* One page of the reference. */
typedef struct hs__ref_page_s {
  hs__ref_kind_t kind;
  hs_namespace_t ns;      /* HS_REF_NS, HS_REF_CLASS, HS_REF_RECORD */
  int code;               /* HS_REF_HTTP: the number */
  const hs_class_t *cls;  /* HS_REF_CLASS */
  const hs_status_t *rec; /* HS_REF_RECORD; HS_REF_HTTP: official record, else first vendor */
  size_t slot;            /* index of the page's cache entry, < hs__ref_slot_count() */
} hs__ref_page_t;

/* ---- ref_catalog.c: URLs ↔ pages ---- */

/* Finds the page at `path` (no query); returns 1 and fills *p, or 0. */
int hs__ref_resolve(const char *path, size_t n, hs__ref_page_t *p);
/* How many cache entries the pages need (fixed by the registry). */
size_t hs__ref_slot_count(void);
/* Appends the URL path of a record's page / a class page / a namespace index. */
void hs__ref_record_url(hs_buf_t *b, const hs_status_t *r);
void hs__ref_class_url(hs_buf_t *b, const hs_class_t *c);
void hs__ref_ns_url(hs_buf_t *b, hs_namespace_t ns);
/* The class page a record or an HTTP number belongs to (NULL for IIS). */
const hs_class_t *hs__ref_class_for(hs_namespace_t ns, int code);

/* ---- ref_i18n.c: the words of the pages ---- */
typedef enum hs__ref_word_e {
  HS_W_SITE,
  HS_W_SKIP,
  HS_W_SEARCH,
  HS_W_SEARCH_HINT,
  HS_W_LANGUAGE,
  HS_W_HOME,
  HS_W_API,
  HS_W_NS_HTTP,
  HS_W_NS_VENDOR,
  HS_W_NS_IIS,
  HS_W_NS_FTP,
  HS_W_NS_WS,
  HS_W_GLANCE,
  HS_W_STATE,
  HS_W_VENDOR,
  HS_W_SPEC,
  HS_W_CACHEABLE,
  HS_W_BODY,
  HS_W_REQUIRES,
  HS_W_EXPECTS,
  HS_W_ALIASES,
  HS_W_REGISTERED,
  HS_W_EXPIRES,
  HS_W_RETRY,
  HS_W_ON_WIRE,
  HS_W_YES,
  HS_W_NO,
  HS_W_NONE,
  HS_W_BODY_YES,
  HS_W_BODY_NO,
  HS_W_RETRY_AFTER,
  HS_W_EXPLANATION,
  HS_W_SCENARIOS,
  HS_W_VENDOR_MEANINGS,
  HS_W_EXAMPLE,
  HS_W_REQUEST,
  HS_W_RESPONSE,
  HS_W_TRY,
  HS_W_TRY_BUTTON,
  HS_W_TRY_NOTE,
  HS_W_TRY_WS,
  HS_W_EXAMPLE_ONLY,
  HS_W_RELATED,
  HS_W_CODES_IN,
  HS_W_MAP,
  HS_W_MAP_HINT,
  HS_W_LEGEND_STD,
  HS_W_LEGEND_VENDOR,
  HS_W_LEGEND_UNASSIGNED,
  HS_W_NAMESPACES,
  HS_W_RESULTS,
  HS_W_NO_RESULTS,
  HS_W_FOOTER,
  HS_W_DIGITS,
  HS_W_SAME_NUMBER,
  HS_W_PREV,
  HS_W_NEXT,
  HS_W_TAGLINE,
  HS_W_IIS_NOTE,
  HS_W_FRAME,
  HS_W_FTP_NOTE,
  HS_W_COUNT
} hs__ref_word_t;

/* The word `w` in `lang` (never NULL). */
const char *hs__ref_word(hs__ref_word_t w, hs_lang_t lang);
/* A registration state in `lang` ("standard" / "标准"). */
const char *hs__ref_state_word(hs_state_t st, hs_lang_t lang);
/* A namespace's display name in `lang`. */
const char *hs__ref_ns_word(hs_namespace_t ns, hs_lang_t lang);

/* ---- ref_example.c: the example exchange and the live trigger ---- */

/* How a browser can make this server answer with an HTTP code. */
typedef struct hs__ref_trigger_s {
  const char *method; /* "GET" */
  const char *path;   /* "/status/404" is built when NULL */
  const char *hname;  /* one request header, or NULL */
  const char *hvalue;
  int browser_ok; /* 0: fetch() cannot send it (Expect, a long URI): try-it uses /status/{code} */
} hs__ref_trigger_t;

/* The real trigger of HTTP `code`, or NULL when /status/{code} is the way. */
const hs__ref_trigger_t *hs__ref_trigger(int code);
/* Appends the example request and response of HTTP record `r` as raw HTTP/1.1
 * text (lines end with "\n" here; the page shows them), request first. */
void hs__ref_example_http(hs_buf_t *req, hs_buf_t *resp, const hs_status_t *r, int code);
/* Appends an example for a non-HTTP record (IIS log line, FTP reply, WS frame). */
void hs__ref_example_other(hs_buf_t *b, const hs_status_t *r);

/* ---- ref_html_common.c: what every HTML page shares ---- */
/* Opens a page: doctype, <head> (title, description, stylesheet, script,
 * hreflang alternates), the site header (home, search, language switch) and
 * <main>. `title` and `desc` are plain text. */
void hs__ref_html_open(hs_buf_t *b, hs_lang_t lang, const char *title, const char *desc);
/* Closes <main>, adds the footer and ends the document. */
void hs__ref_html_close(hs_buf_t *b, hs_lang_t lang);
/* Appends NUL-terminated `s` escaped for HTML text and attribute values. */
void hs__ref_esc(hs_buf_t *b, const char *s);
/* Appends <a href="…">key phrase</a> for a record, the phrase in `lang`. */
void hs__ref_link_record(hs_buf_t *b, const hs_status_t *r, hs_lang_t lang);

/* ---- ref_gateway.c ---- */
/* The gateway section of a record page (502, 504, 508, 520-526, 530: the
 * failures behind the code at each gateway, made real by /gateway/{kind};
 * nginx's 495-497: how to produce them); nothing for other codes. */
void hs__ref_gateway(hs_buf_t *b, const hs_status_t *r, hs_lang_t lang);
/* The phrase of a record / class in `lang` (falls back to English). */
const char *hs__ref_phrase(const hs_status_t *r, hs_lang_t lang);
const char *hs__ref_class_phrase(const hs_class_t *c, hs_lang_t lang);
/* Appends s[0..n) escaped, with `backquoted` spans (header names, values in
 * the registry's texts) as <code>. */
void hs__ref_rich(hs_buf_t *b, const char *s, size_t n);
/* Appends the paragraphs of `text` ("\n\n"-separated) as <p> elements. */
void hs__ref_paragraphs(hs_buf_t *b, const char *text);
/* The page bodies (ref_html_record.c, ref_html_lists.c). */
void hs__ref_html_record(hs_buf_t *b, const hs__ref_page_t *p, hs_lang_t lang);
void hs__ref_html_home(hs_buf_t *b, hs_lang_t lang);
void hs__ref_html_ns(hs_buf_t *b, hs_namespace_t ns, hs_lang_t lang);
void hs__ref_html_class(hs_buf_t *b, const hs_class_t *c, hs_lang_t lang);
/* The records of one class or range, in code order, written by fn. */
void hs__ref_each_in_class(const hs_class_t *c, void (*fn)(const hs_status_t *r, void *arg),
                           void *arg);

/* ---- forms of a page ---- */
/* HTML (ref_html_*.c), plain text (ref_text.c), JSON (ref_json.c; the same
 * in both languages: records carry both). Each appends to b. */
void hs__ref_html(hs_buf_t *b, const hs__ref_page_t *p, hs_lang_t lang);
void hs__ref_text(hs_buf_t *b, const hs__ref_page_t *p, hs_lang_t lang);
void hs__ref_json(hs_buf_t *b, const hs__ref_page_t *p);

/* ---- ref_cache.c: each form prepared once ---- */
enum { HS_REF_IDENTITY = 0, HS_REF_GZIP, HS_REF_BR, HS_REF_CODINGS };
typedef struct hs__ref_body_s {
  hs_str_t data[HS_REF_CODINGS]; /* the bytes as is, gzip'd, brotli'd */
  char etag[HS_REF_CODINGS][24]; /* strong validators, one per coding (RFC 9110 §8.8.3) */
} hs__ref_body_t;

/* The prepared form of page p: built, compressed and tagged the first time it
 * is asked for, then shared read-only by every worker for the life of the
 * process. Thread-safe. */
const hs__ref_body_t *hs__ref_body(const hs__ref_page_t *p, hs_fmt_t fmt, hs_lang_t lang);
/* Fills body->data[] from identity bytes (taking ownership of `bytes`, a
 * malloc'd block) and computes the ETags. */
void hs__ref_body_fill(hs__ref_body_t *body, char *bytes, size_t len);

/* ---- ref_assets.c: the stylesheet and the script ---- */
typedef struct hs__ref_asset_s {
  const char *url;   /* "/assets/ref-1a2b3c4d.css": the name carries a hash of the content */
  const char *ctype; /* "text/css; charset=utf-8" */
  const unsigned char *data;
  size_t len;
} hs__ref_asset_t;

/* The asset served at `path`, or NULL. */
const hs__ref_asset_t *hs__ref_asset(const char *path, size_t n);
/* The asset's prepared body (compressed, tagged), made once. */
const hs__ref_body_t *hs__ref_asset_body(const hs__ref_asset_t *a);
/* URLs of the stylesheet and the script, for the pages' <head>. */
const char *hs__ref_css_url(void);
const char *hs__ref_js_url(void);

#endif
