/* Redirect helpers shared by the httpbin handlers (redirect.c, cookies.c) and
 * the open-redirect allow-list of /redirect-to (set from `serve
 * --redirect-allow HOSTS`). */
#ifndef HS_HANDLERS_REDIRECT_H
#define HS_HANDLERS_REDIRECT_H

#include <stddef.h>

#include "http/response.h"

/* Sets the hosts /redirect-to may send clients to: a comma-separated list of
 * host names or IP literals (case-insensitive, optional surrounding spaces);
 * an entry "*.example.com" also admits every subdomain of example.com. NULL or
 * an empty list admits every URL, like httpbin (the default). Relative
 * references (a path on this server) are always admitted. Call before the
 * workers start; the list is copied. Returns 0, or -1 if an entry is not a
 * plausible host name (then the previous list is kept). */
int hs__redirect_set_allowlist(const char *csv);

/* 1 if /redirect-to may send a client to url[0..n) under the current list
 * (RFC 3986 §4.2 and the WHATWG URL parser's leniencies — backslashes,
 * missing slashes, userinfo — are taken into account), else 0. */
int hs__redirect_allowed(const char *url, size_t n);

/* 1 if the request came over https: the connection is TLS, or, as far as
 * httpbin behind gunicorn can tell (gunicorn's secure_scheme_headers, which decide wsgi.url_scheme
 * for url_for(_external=True) and Secure cookies): the first of X-Forwarded-Proto,
 * X-Forwarded-Protocol, X-Forwarded-Ssl in the request says https when its value is exactly
 * "https", "ssl", "on" respectively. */
int hs__hb_is_https(const hs__req_t *req);

/* Writes a complete redirect `status` to loc[0..n) (used as is: the caller
 * makes sure it holds no control characters). With `page` the body is
 * Werkzeug's "Redirecting..." HTML page (what Flask's redirect() sends), else
 * the body is empty; Content-Type is text/html; charset=utf-8 either way.
 * `extra` is NULL or header fields to add. */
void hs__hb_redirect(hs__exchange_t *x, int status, const char *loc, size_t n, int page,
                     const hs__fields_t *extra);

#endif
