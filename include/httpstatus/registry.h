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

#ifdef __cplusplus
extern "C" {
#endif

#define HS_VERSION_MAJOR 0
#define HS_VERSION_MINOR 1
#define HS_VERSION_PATCH 0
#define HS_VERSION_STRING "0.1.0"

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
  HS_STATE_COUNT
} hs_state_t;

/* Languages for text fields. */
typedef enum hs_lang_e { HS_LANG_EN = 0, HS_LANG_ZH = 1, HS_LANG_COUNT } hs_lang_t;

/* Flags (hs_status_t.flags). */
#define HS_F_CACHEABLE 0x01u   /* heuristically cacheable by default (RFC 9110 §15.1) */
#define HS_F_NO_BODY 0x02u     /* the response never carries content (1xx, 204, 205, 304) */
#define HS_F_NO_CLENGTH 0x04u  /* Content-Length must not be sent (1xx, 204; RFC 9110 §8.6) */
#define HS_F_INTERIM 0x08u     /* an interim (1xx) response: a final one must follow */
#define HS_F_NOT_ON_WIRE 0x10u /* WebSocket: never sent in a Close frame (1005, 1006, 1015) */
#define HS_F_CLOSE 0x20u       /* vendor: the server closes without answering (nginx 444) */

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
 * NULL when absent. Arrays of strings end with a NULL entry. */
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
  const char *summary[HS_LANG_COUNT];
  const char *detail[HS_LANG_COUNT];           /* paragraphs separated by "\n\n" */
  const char *const *scenarios[HS_LANG_COUNT]; /* NULL-terminated lists */
} hs_status_t;

/* Explanation of a class, a digit position or a range (classes.txt). */
typedef struct hs_class_s {
  hs_namespace_t ns;
  int kind;  /* 0 = class (first digit), 1 = FTP second digit, 2 = WS range */
  int value; /* class digit / second-digit value / range low bound */
  int high;  /* range high bound (kind 2), else == value */
  const char *phrase;
  const char *phrase_zh;
  const char *summary[HS_LANG_COUNT];
  const char *detail[HS_LANG_COUNT];
} hs_class_t;

/* ---- lookup ---- */

/* The record for `code` in `ns`, or NULL. O(1). For HS_NS_IIS this returns the
 * ".0" sub-status if one exists; use hs_lookup_iis() for others. For
 * HS_NS_HTTP_VENDOR it returns the first vendor meaning; see hs_vendor_meanings(). */
const hs_status_t *hs_lookup(hs_namespace_t ns, int code);

/* The IIS record for code.sub (e.g. 403, 14), or NULL. O(1). */
const hs_status_t *hs_lookup_iis(int code, int sub);

/* Reason phrase to send on a status line for HTTP `code`: the registry's phrase
 * for an official code (for 306 and 418, registered as "(Unused)", their historical
 * name: "Switch Proxy", "I'm a teapot"), else the class's generic phrase
 * ("Client Error"), else "Unknown". Never NULL. */
const char *hs_reason_phrase(int code);

/* Writes up to `max` vendor meanings of HTTP `code` into `out`; returns how many
 * exist (may exceed max). */
size_t hs_vendor_meanings(int code, const hs_status_t **out, size_t max);

/* Find a record by constant name, phrase or alias: case-insensitive, and
 * spaces, '-', '_' and apostrophes are ignored ("not found", "NOT_FOUND",
 * "Payload Too Large", "im a teapot"). ns < 0 searches every namespace (official
 * HTTP first). Returns NULL if none. */
const hs_status_t *hs_find_name(const char *name, int ns);

/* ---- iteration ---- */

/* All records of `ns` in code order; *count receives the number. */
const hs_status_t *hs_records(hs_namespace_t ns, size_t *count);

/* All class / digit / range explanations; *count receives the number. */
const hs_class_t *hs_classes(size_t *count);

/* The class explanation for namespace `ns` and first digit `digit`, or NULL. For
 * HS_NS_WS, `digit` is a close code and the matching range is returned. */
const hs_class_t *hs_class_of(hs_namespace_t ns, int digit_or_code);

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
int hs_body_allowed(int code);

/* Whether HTTP `code` is heuristically cacheable by default (RFC 9110 §15.1). */
int hs_cacheable(int code);

/* Canonical header field name for `h` ("WWW-Authenticate"), or NULL. */
const char *hs_header_name(hs_header_t h);

/* Names of namespaces ("http", "http-vendor", "iis", "ftp", "ws") and states
 * ("standard", ...). Never NULL for valid input. */
const char *hs_namespace_name(hs_namespace_t ns);
const char *hs_state_name(hs_state_t st);

/* ---- search ---- */

typedef struct hs_hit_s {
  const hs_status_t *status;
  int score; /* higher is better */
} hs_hit_t;

/* Full-text search over codes, names, aliases and the English and Chinese texts.
 * Tolerates case and small typos (edit distance 1 for words of 4+ letters, 2 for
 * 8+), matches Chinese by substring. Writes the best `max` hits into `out`, best
 * first, and returns how many were written. ns_mask selects namespaces (bit
 * 1<<ns); 0 means all. */
size_t hs_search(const char *query, unsigned ns_mask, hs_hit_t *out, size_t max);

/* Library version string ("0.1.0"). */
const char *hs_version(void);

#ifdef __cplusplus
}
#endif
#endif /* HTTPSTATUS_REGISTRY_H */
