/* Request bodies and query strings → the `args`, `form`, `files` and `data`
 * members of httpbin's echo responses (jansson values, no I/O).
 *
 * Shapes (httpbin 0.7 helpers.semiflatten/get_files/json_safe, Werkzeug 2.2):
 *  - args/form: a key seen once maps to a string, a repeated key to a list of
 *    strings in arrival order; keys are kept in first-seen order (jsonfmt sorts
 *    them when asked);
 *  - files: name → content; httpbin 0.7 keeps only the FIRST file of a
 *    repeated name (it iterates MultiDict.items()), HB_FORM_FILES_MULTI makes
 *    repeated names lists like form;
 *  - a file's content (and `data`) is the text itself if it is valid UTF-8,
 *    otherwise "data:<content-type>;base64,<base64>" (RFC 2397), where the type
 *    is the part's Content-Type value as sent, or application/octet-stream;
 *  - bytes that are not valid UTF-8 inside keys and values of args/form become
 *    U+FFFD (maximal subparts, like Python's errors="replace"). */
#ifndef HS_HTTPBIN_FORM_H
#define HS_HTTPBIN_FORM_H

#include <jansson.h>
#include <stddef.h>

#include "base/str.h"
#include "httpbin/params.h" /* hb_header_param */

typedef enum hb_form_err_e {
  HB_FORM_OK = 0,
  HB_FORM_ENOMEM = -1,
  HB_FORM_ENOBOUNDARY = -2, /* multipart/form-data without a usable boundary */
  HB_FORM_EMALFORMED = -3,  /* not RFC 7578 / RFC 2046 §5.1.1 multipart */
  HB_FORM_ELIMIT = -4,      /* too many parts or too long part headers (→ 413) */
} hb_form_err_t;

/* Zero fields take the defaults. */
typedef struct hb_form_limits_s {
  size_t max_parts;       /* parts per body; default 1000 (Werkzeug's max_form_parts) */
  size_t max_part_header; /* bytes of one part's header block; default 16384 */
} hb_form_limits_t;

enum {
  HB_FORM_FILES_MULTI = 1, /* repeated file names become lists (default: first only) */
};

typedef enum hb_body_kind_e {
  HB_BODY_OTHER = 0,
  HB_BODY_URLENCODED, /* application/x-www-form-urlencoded, application/x-url-encoded */
  HB_BODY_MULTIPART,  /* multipart/form-data */
} hb_body_kind_t;

/* Which form parser Werkzeug would pick for this Content-Type value (the media
 * type compared case-insensitively, parameters ignored). */
hb_body_kind_t hb_form_kind(hs__str_t content_type);

/* Adds every pair of an application/x-www-form-urlencoded string (a query
 * string has the same syntax; WHATWG URL §5.1) to `obj`: pairs split on '&',
 * empty pairs skipped, a pair without '=' has the value "", '+' is a space,
 * %XX is decoded (hex in either case) and any other '%' is kept literally, then
 * invalid UTF-8 is replaced. obj is borrowed. Returns HB_FORM_OK or
 * HB_FORM_ENOMEM (obj may then hold some of the pairs). */
int hb_form_urlencoded(const char *s, size_t n, json_t *obj);

/* New object with the `args` of a query string (the part after '?'), or NULL
 * if out of memory. Caller owns the reference. */
json_t *hb_form_args(hs__str_t query);

/* Parses a multipart/form-data body (RFC 7578) whose Content-Type field value
 * is `content_type` (the boundary parameter, RFC 2046 §5.1.1, is taken from
 * it). Fields are added to `form`, files (parts whose Content-Disposition has a
 * filename parameter, even an empty one) to `files`; both objects are borrowed
 * and only filled when the whole body parses, like Werkzeug which discards
 * everything on a parse error. lim may be NULL. Parts without a name are
 * skipped. Line breaks may be CRLF, LF or CR, as Werkzeug accepts. Returns
 * HB_FORM_OK or a negative hb_form_err_t. */
int hb_form_multipart(hs__str_t content_type, const char *body, size_t len,
                      const hb_form_limits_t *lim, unsigned flags, json_t *form, json_t *files);

/* httpbin's json_safe(): a new string value holding body[0..n) if it is valid
 * UTF-8, else "data:<content_type>;base64,<...>"; content_type NULL or empty
 * means application/octet-stream. Returns NULL if out of memory. */
json_t *hb_json_safe(const char *body, size_t n, hs__str_t content_type);

/* The form, files and data members httpbin's get_dict() produces for a body
 * with this Content-Type: for form types `data` is "" and the body is parsed
 * (a malformed body gives empty form and files, as in Werkzeug's silent mode);
 * for anything else form and files are {} and data is hb_json_safe(body).
 * On return *form, *files and *data are new references owned by the caller
 * (all NULL on HB_FORM_ENOMEM). Returns HB_FORM_OK, or the multipart error
 * (the outputs are still set: empty form and files); HB_FORM_ELIMIT means
 * Werkzeug would have answered 413. */
int hb_form_body(hs__str_t content_type, const char *body, size_t len, const hb_form_limits_t *lim,
                 unsigned flags, json_t **form, json_t **files, json_t **data);

#endif
