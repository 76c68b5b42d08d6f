/* libhttpstatus — the registry of HTTP, vendor, IIS, FTP and WebSocket status codes.
 *
 * All records are static, read-only data generated at build time from the files in data/;
 * every pointer this API returns stays valid for the life of the process and must
 * not be freed. The library has no dependencies and no global mutable state, so
 * every function is thread-safe.
 */
#ifndef HTTPSTATUS_REGISTRY_H
#define HTTPSTATUS_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "codes.h" /* generated per-code constants: HS_HTTP_NOT_FOUND, HS_WS_..., ... */

#ifdef __cplusplus
extern "C" {
#endif

/* Symbols are exported with default visibility from the shared library; everything
 * else in it is hidden (and a version script keeps only hs_ names). */
#if defined(HS_BUILDING_LIBRARY) && defined(__GNUC__)
#define HS_API __attribute__((visibility("default")))
#else
#define HS_API
#endif

#define HS_VERSION_MAJOR 0
#define HS_VERSION_MINOR 2
#define HS_VERSION_PATCH 0
#define HS_VERSION_STRING "0.2.0"
/* One comparable number: 10000 * major + 100 * minor + patch (0.2.0 → 200). */
#define HS_VERSION_NUMBER (HS_VERSION_MAJOR * 10000 + HS_VERSION_MINOR * 100 + HS_VERSION_PATCH)

/* Namespaces: each has its own numbering. */
typedef enum hs_namespace_e {
  HS_NS_HTTP = 0,    /* IANA HTTP Status Code Registry */
  HS_NS_HTTP_VENDOR, /* unofficial HTTP codes (nginx, Cloudflare, IIS, ...) */
  HS_NS_IIS,         /* Microsoft IIS sub-status codes, e.g. 403.14 */
  HS_NS_FTP,         /* FTP reply codes (RFC 959 and extensions) */
  HS_NS_WS,          /* WebSocket close codes (RFC 6455 §7.4 + IANA) */
  HS_NS_COUNT
} hs_namespace_t;

/* Registration state of a code. */
typedef enum hs_state_e {
  HS_STATE_STANDARD = 0,
  HS_STATE_TEMPORARY,  /* IANA temporary registration (e.g. 104) */
  HS_STATE_DEPRECATED, /* e.g. 305 Use Proxy */
  HS_STATE_UNUSED,     /* e.g. 306, 418 */
  HS_STATE_OBSOLETE,   /* e.g. 510 Not Extended */
  HS_STATE_RESERVED,   /* e.g. 402, WebSocket 1004 */
  HS_STATE_UNOFFICIAL, /* vendor codes; see hs_status_t.vendor */
  /* since 0.2 (appended: earlier values keep their numbers) */
  HS_STATE_EXPERIMENTAL, /* defined by an Experimental RFC (FTP 228, 521: RFC 1639) */
  HS_STATE_HISTORIC,     /* defined by an RFC since moved to Historic status */
  HS_STATE_COUNT
} hs_state_t;

/* Languages for text fields. HS_LANG_COUNT is how many this version has; the arrays
 * in the records are HS_LANG_SLOTS long so that a new language does not change their
 * layout (slots past HS_LANG_COUNT are NULL). */
typedef enum hs_lang_e { HS_LANG_EN = 0, HS_LANG_ZH = 1, HS_LANG_COUNT } hs_lang_t;
#define HS_LANG_SLOTS 4

/* Flags (hs_status_t.flags). */
#define HS_F_CACHEABLE 0x01u   /* heuristically cacheable by default (RFC 9110 §15.1) */
#define HS_F_NO_BODY 0x02u     /* the response never carries content (1xx, 204, 205, 304) */
#define HS_F_NO_CLENGTH 0x04u  /* Content-Length must not be sent (1xx, 204; RFC 9110 §8.6) */
#define HS_F_INTERIM 0x08u     /* an interim (1xx) response: a final one must follow */
#define HS_F_NOT_ON_WIRE 0x10u /* WebSocket: never sent in a Close frame (1005, 1006, 1015) */
#define HS_F_CLOSE 0x20u       /* vendor: the server closes without answering (nginx 444) */
#define HS_F_RETRY 0x40u       /* a later repeat may succeed (502, 503, 504, WS 1013, FTP 4yz) */
#define HS_F_RETRY_AFTER 0x80u /* a repeat may succeed when Retry-After says when (429, 413) */
/* 206: `requires` holds for a single part; a multipart/byteranges response carries
 * Content-Range in each part instead (RFC 9110 §15.3.7.2). */
#define HS_F_MULTIPART_RANGES 0x100u

/* Header fields a code requires or expects (bit masks over hs_header_t). */
typedef enum hs_header_e {
  HS_H_ALLOW = 0,
  HS_H_WWW_AUTHENTICATE,
  HS_H_PROXY_AUTHENTICATE,
  HS_H_LOCATION,
  HS_H_CONTENT_RANGE,
  HS_H_UPGRADE,
  HS_H_RETRY_AFTER,
  HS_H_LINK,
  HS_H_ETAG,
  HS_H_CONTENT_LOCATION,
  HS_H_VARY,
  HS_H_CACHE_CONTROL,
  HS_H_DATE,
  HS_H_EXPIRES,
  HS_H_ACCEPT_PATCH,
  HS_H_ACCEPT_POST,
  HS_H_ACCEPT_ENCODING,
  HS_H_ACCEPT_RANGES,
  HS_H_CONTENT_TYPE,
  HS_H_CONTENT_LENGTH,
  HS_H_COUNT
} hs_header_t;

#define HS_HBIT(h) (1u << (h))

/* One registry record. All strings are UTF-8 and NUL-terminated; optional ones are
 * NULL when absent. Arrays of strings end with a NULL entry.
 *
 * Stability: programs that must keep working with later versions of the shared
 * library should read records through the accessor functions below
 * (hs_status_text(), hs_status_code(), hs_record_at(), ...) rather than the fields,
 * and never depend on sizeof(hs_status_t). The layout is versioned: `version` is
 * HS_RECORD_VERSION of the library that built the record, fields are only ever
 * appended (into `reserved`), and text arrays have HS_LANG_SLOTS entries. */
#define HS_RECORD_VERSION 3
typedef struct hs_status_s {
  hs_namespace_t ns;
  int code;                   /* 404, 530, 1008; for IIS the main code (403) */
  int sub;                    /* IIS sub-status (14 for 403.14); -1 elsewhere */
  const char *key;            /* display key: "404", "403.14", "499 (nginx)" */
  const char *constant;       /* "NOT_FOUND" */
  const char *phrase;         /* English reason phrase / name */
  const char *phrase_zh;      /* Chinese name */
  const char *const *aliases; /* older / alternative names, NULL-terminated */
  hs_state_t state;
  const char *vendor;     /* vendor name for unofficial codes, else NULL */
  const char *vendor_key; /* short vendor key ("nginx"), else NULL */
  const char *spec;       /* "RFC 9110 §15.5.5" */
  uint32_t flags;         /* HS_F_* */
  uint32_t requires;      /* HS_HBIT mask: MUST be present */
  uint32_t expects;       /* HS_HBIT mask: SHOULD / MAY be present */
  const char *summary[HS_LANG_SLOTS];
  const char *detail[HS_LANG_SLOTS];           /* paragraphs separated by "\n\n" */
  const char *const *scenarios[HS_LANG_SLOTS]; /* NULL-terminated lists */
  /* since record version 2 (0.2) */
  uint16_t version;       /* HS_RECORD_VERSION of the library that built the record */
  uint16_t size;          /* sizeof(hs_status_t) in that library */
  const char *url;        /* link to the defining text (RFC section, vendor page), or NULL */
  const char *registered; /* the registry's own name when it differs ("(Unused)"), or NULL */
  /* since record version 3 (0.3) */
  const char *expires; /* a temporary registration's expiry date, "2026-11-13", else NULL */
  const void *reserved[5];
} hs_status_t;

/* Explanation of a class, a digit position or a range (classes.txt). */
typedef struct hs_class_s {
  hs_namespace_t ns;
  int kind;  /* 0 = class (first digit), 1 = FTP second digit, 2 = WS range */
  int value; /* class digit / second-digit value / range low bound */
  int high;  /* range high bound (kind 2), else == value */
  const char *phrase;
  const char *phrase_zh;
  const char *summary[HS_LANG_SLOTS];
  const char *detail[HS_LANG_SLOTS];
  const void *reserved[4];
} hs_class_t;

/* ---- lookup ---- */

/* The record for `code` in `ns`, or NULL. O(1). For HS_NS_IIS this returns the
 * ".0" sub-status if one exists; use hs_lookup_iis() for others. For
 * HS_NS_HTTP_VENDOR it returns the first vendor meaning; see hs_vendor_meanings(). */
HS_API const hs_status_t *hs_lookup(hs_namespace_t ns, int code);

/* The IIS record for code.sub (e.g. 403, 14), or NULL. O(1). */
HS_API const hs_status_t *hs_lookup_iis(int code, int sub);

/* Reason phrase to send on a status line for HTTP `code`: the registry's phrase
 * for an official code (for 306 and 418, registered as "(Unused)", their historical
 * name: "Switch Proxy", "I'm a teapot"), else the class's generic phrase
 * ("Client Error"), else "Unknown". Never NULL. */
HS_API const char *hs_reason_phrase(int code);

/* Writes up to `max` vendor meanings of HTTP `code` into `out`; returns how many
 * exist (may exceed max). */
HS_API size_t hs_vendor_meanings(int code, const hs_status_t **out, size_t max);

/* Find a record by constant name, phrase or alias: case-insensitive, and
 * spaces, '-', '_' and apostrophes are ignored ("not found", "NOT_FOUND",
 * "Payload Too Large", "im a teapot"). ns < 0 searches every namespace (official
 * HTTP first). Returns NULL if none. */
HS_API const hs_status_t *hs_find_name(const char *name, int ns);

/* ---- iteration ---- */

/* All records of `ns` in code order; *count receives the number. */
HS_API const hs_status_t *hs_records(hs_namespace_t ns, size_t *count);

/* All class / digit / range explanations; *count receives the number. */
HS_API const hs_class_t *hs_classes(size_t *count);

/* The class explanation for namespace `ns` and first digit `digit`, or NULL. For
 * HS_NS_WS, `digit` is a close code and the matching range is returned. */
HS_API const hs_class_t *hs_class_of(hs_namespace_t ns, int digit_or_code);

/* ---- classes and flags ---- */

static inline int hs_class(int code) { return code / 100; }
static inline int hs_is_informational(int c) { return c >= 100 && c < 200; }
static inline int hs_is_success(int c) { return c >= 200 && c < 300; }
static inline int hs_is_redirect(int c) { return c >= 300 && c < 400; }
static inline int hs_is_client_error(int c) { return c >= 400 && c < 500; }
static inline int hs_is_server_error(int c) { return c >= 500 && c < 600; }
static inline int hs_is_error(int c) { return c >= 400 && c < 600; }

/* Whether a response with HTTP `code` may carry content (RFC 9110 §6.4.1, §15):
 * 0 for 1xx, 204, 205 and 304, 1 otherwise (including unregistered codes). */
HS_API int hs_body_allowed(int code);

/* Whether HTTP `code` is heuristically cacheable by default (RFC 9110 §15.1). */
HS_API int hs_cacheable(int code);

/* Canonical header field name for `h` ("WWW-Authenticate"), or NULL. */
HS_API const char *hs_header_name(hs_header_t h);

/* Names of namespaces ("http", "http-vendor", "iis", "ftp", "ws") and states
 * ("standard", ...). Never NULL for valid input. */
HS_API const char *hs_namespace_name(hs_namespace_t ns);
HS_API const char *hs_state_name(hs_state_t st);

/* ---- search ---- */

typedef struct hs_hit_s {
  const hs_status_t *status;
  int score;        /* higher is better */
  uint16_t matched; /* how many parts of the query (words, numbers, Chinese runs) it matched */
  uint16_t parts;   /* how many parts the query has: matched == parts is a full match */
} hs_hit_t;

/* Full-text search over codes, names, aliases and the English and Chinese texts.
 * Tolerates case and small typos (edit distance 1 for words of 4+ letters, 2 for
 * 8+), matches Chinese by substring. Writes the best `max` hits into `out`, best
 * first, and returns how many were written. ns_mask selects namespaces (bit
 * 1<<ns); 0 means all. */
HS_API size_t hs_search(const char *query, unsigned ns_mask, hs_hit_t *out, size_t max);

/* Library version string ("0.2.0") and number (HS_VERSION_NUMBER of the library
 * actually loaded). */
HS_API const char *hs_version(void);
HS_API int hs_version_number(void);

/* Nonzero when the library loaded at run time serves a program compiled against this
 * header: same major version and not older. */
#define HS_VERSION_OK()                                                                            \
  (hs_version_number() / 10000 == HS_VERSION_MAJOR && hs_version_number() >= HS_VERSION_NUMBER)

/* Like hs_search(), and *total (if not NULL) receives how many records matched in
 * all, which may exceed max. */
HS_API size_t hs_search_ex(const char *query, unsigned ns_mask, hs_hit_t *out, size_t max,
                           size_t *total);

/* ---- all records of a name ---- */

/* Every record a name designates ("Forbidden": HTTP 403 and WebSocket 3003; "Bad
 * Gateway": HTTP 502 and WebSocket 1014), official HTTP first, then by namespace and
 * code. Writes up to `max` into `out` and returns how many exist. ns < 0: all. */
HS_API size_t hs_find_names(const char *name, int ns, const hs_status_t **out, size_t max);

/* ---- stable accessors (record version independent) ---- */

typedef enum hs_text_e {
  HS_TEXT_KEY = 0,    /* "404", "403.14", "499 (nginx)" (one language) */
  HS_TEXT_CONSTANT,   /* "NOT_FOUND" */
  HS_TEXT_PHRASE,     /* "Not Found" / "未找到" */
  HS_TEXT_SUMMARY,    /* one sentence */
  HS_TEXT_DETAIL,     /* paragraphs separated by "\n\n" */
  HS_TEXT_SPEC,       /* "RFC 9110 §15.5.5" */
  HS_TEXT_URL,        /* "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5" or NULL */
  HS_TEXT_VENDOR,     /* "nginx" (display name) or NULL */
  HS_TEXT_VENDOR_KEY, /* "nginx" (key) or NULL */
  HS_TEXT_REGISTERED, /* the registry's own name when it differs from the phrase, or NULL */
  HS_TEXT_EXPIRES,    /* a temporary registration's expiry date (YYYY-MM-DD), or NULL */
  HS_TEXT_COUNT
} hs_text_t;

/* A text field of `r` in `lang`; fields that exist in one language only, and
 * languages a record lacks, fall back to English. NULL when absent. */
HS_API const char *hs_status_text(const hs_status_t *r, hs_text_t what, hs_lang_t lang);
/* The i-th alias / scenario (in `lang`), or NULL past the end. */
HS_API const char *hs_status_alias(const hs_status_t *r, size_t i);
/* The i-th record the data names as related to `r` (502 → 504, 520 (cloudflare),
 * iis 502.3, ...), in the data's order; NULL past the end or for a record not of
 * this registry. */
HS_API const hs_status_t *hs_status_related(const hs_status_t *r, size_t i);
HS_API const char *hs_status_scenario(const hs_status_t *r, hs_lang_t lang, size_t i);
HS_API hs_namespace_t hs_status_ns(const hs_status_t *r);
HS_API int hs_status_code(const hs_status_t *r);
HS_API int hs_status_sub(const hs_status_t *r); /* IIS sub-status, else -1 */
HS_API hs_state_t hs_status_state(const hs_status_t *r);
HS_API uint32_t hs_status_flags(const hs_status_t *r);    /* HS_F_* */
HS_API uint32_t hs_status_requires(const hs_status_t *r); /* HS_HBIT mask */
HS_API uint32_t hs_status_expects(const hs_status_t *r);  /* HS_HBIT mask */
/* The i-th record of `ns` in code order, or NULL past the end: iteration that does
 * not depend on sizeof(hs_status_t). */
HS_API const hs_status_t *hs_record_at(hs_namespace_t ns, size_t i);

/* ---- predicates ---- */

/* Whether repeating the request (or reconnecting) may succeed later: 1 for
 * transient conditions (HTTP 408, 425, 502, 503, 504; WebSocket 1012, 1013; FTP
 * 4yz), for 413 and 429 only when the response carried Retry-After
 * (`has_retry_after` nonzero); 0 otherwise and for NULL. */
HS_API int hs_status_retryable(const hs_status_t *r, int has_retry_after);

/* Whether `code` may be sent in a WebSocket Close frame (RFC 6455 §7.4): registered
 * codes other than those reserved for local use (1005, 1006, 1015) or never to be
 * used (1004), and any code of the 3000–4999 ranges. */
HS_API int hs_ws_close_sendable(int code);

/* ---- parsing what people type ---- */

typedef enum hs_query_kind_e {
  HS_Q_NONE = 0, /* empty input */
  HS_Q_CODE,     /* one number: code (and namespace when one was named) */
  HS_Q_IIS,      /* code.sub: 403.14 */
  HS_Q_PATTERN,  /* digits with wildcards: 4xx, 45x, 4x4, 30[12], 10xx */
  HS_Q_VENDOR,   /* a vendor key alone: "nginx", "vendor cloudflare" */
  HS_Q_NAME      /* anything else: a name or words to search */
} hs_query_kind_t;

/* A parsed query. `ns` is the namespace named in the input ("ws 1008", "ws:1008",
 * "ftp 530", "iis 403.14", "499 (nginx)") or the default passed in; -1 when neither.
 * For patterns, `digits[i]` is the set of digits allowed at position i (bit d for
 * digit d) and `ndigits` the length (3, or 4 for WebSocket). */
typedef struct hs_query_s {
  hs_query_kind_t kind;
  int ns;
  int code;
  int sub;
  uint16_t digits[4];
  int ndigits;
  char vendor[32]; /* vendor key ("nginx") when given, else "" */
  char text[192];  /* the input, normalised: full-width ASCII folded, trimmed */
  int reserved[8];
} hs_query_t;

/* Parse one user input: "404", " 404", "４０４", "HTTP/1.1 503 Service Unavailable",
 * "error 404", "403.14", "iis 403.14", "ws:1008", "499 (nginx)", "4xx", "45x", "4x4",
 * "30[12]", "vendor nginx", "teapot". `default_ns` applies when the input names no
 * namespace (-1: none). Returns q->kind. */
HS_API hs_query_kind_t hs_parse_query(const char *input, int default_ns, hs_query_t *q);

/* Whether `code` (4 digits for WebSocket) fits the pattern of a HS_Q_PATTERN query. */
HS_API int hs_query_matches(const hs_query_t *q, int code);

#ifdef __cplusplus
}
#endif
#endif /* HTTPSTATUS_REGISTRY_H */
