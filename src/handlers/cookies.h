/* Cookies as httpbin (Werkzeug 2.2) reads and writes them, shared by
 * cookies.c and the digest-auth handler (auth.c). */
#ifndef HS_HANDLERS_COOKIES_H
#define HS_HANDLERS_COOKIES_H

#include <jansson.h>

#include "base/fields.h"
#include "http/request.h"

/* New object {name: value} of the request's cookies, parsed like Werkzeug's
 * parse_cookie from every Cookie field (RFC 6265 §5.4 syntax, with Werkzeug's
 * leniencies: quoted values unescaped, \ooo octal escapes decoded, bytes that
 * are not UTF-8 replaced by U+FFFD); a name seen twice keeps its first value.
 * Returns NULL if out of memory; caller owns it. */
json_t *hs__cookies_parse(const hs__req_t *req);

/* Adds the field "Set-Cookie: name=value; Path=/" to f, the value quoted the way
 * Werkzeug's dump_cookie does (bytes outside its legal set put the value in
 * double quotes, with \" \\ and \ooo octal escapes); with `secure`,
 * "; Secure" comes before "; Path=/". The name is written as is: the caller
 * checks it with hs__cookie_name_ok. */
void hs__cookie_set_field(hs__fields_t *f, const char *name, size_t nlen, const char *val,
                          size_t vlen, int secure);

/* 1 if s[0..n) is a cookie-name (RFC 6265 §4.1.1: a token, RFC 9110 §5.6.2). */
int hs__cookie_name_ok(const char *s, size_t n);

#endif
