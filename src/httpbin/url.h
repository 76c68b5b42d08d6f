/* The `url` member of httpbin's echo responses: the request URL rebuilt the
 * way Werkzeug 2.2 (request.url = get_current_url → uri_to_iri) does it behind
 * gunicorn, which is not the request-target as sent:
 *  - path: gunicorn percent-decodes it, raw bytes >= 0x80 count as ISO-8859-1
 *    characters, %XX bytes as UTF-8 (invalid ones become U+FFFD); leading
 *    slashes collapse to one; then every character other than ASCII letters,
 *    digits, "-._~$!'()*+,;" and "/" ":" is written %XX (upper case), while
 *    non-ASCII characters appear as themselves ("/anything/%E2%82%AC" → "/€",
 *    "%2F" → "/", "=" → "%3D", "@" → "%40");
 *  - query: bytes outside that set and ":&%=+$!*'()," are %-encoded, then every
 *    %XX (either case) that is a valid UTF-8 non-ASCII sequence or one of the
 *    always-safe characters is decoded ("%e2%82%ac" → "€", "%41" → "A",
 *    "%7e" → "~"), others stay as sent ("%2f", "%20", "%26"); bytes of invalid
 *    UTF-8 become upper-case %XX ("%e2%82" → "%E2%82", raw 0xFF → "%FF");
 *    an empty query drops the "?"; a fragment is dropped;
 *  - host: as sent (bytes >= 0x80 read as ISO-8859-1), except that ":80" is
 *    dropped for http (":443" for https), another port is re-printed as a
 *    number ("h:080" → "h:80"), and a port that is not a number in 0..65535 is
 *    dropped. Punycode labels are left alone (Werkzeug shows them decoded:
 *    "xn--n3h.net" → "☃.net"). */
#ifndef HS_HTTPBIN_URL_H
#define HS_HTTPBIN_URL_H

#include <stddef.h>

#include "base/str.h"

/* Builds scheme "://" host path ["?" query] from a request-target in origin
 * form (an absolute-form target's own scheme and authority are skipped).
 * Returns a malloc'd NUL-terminated UTF-8 string (caller frees; *len set if
 * non-NULL), or NULL if out of memory. */
char *hb_request_url(hs__str_t scheme, hs__str_t host, hs__str_t target, size_t *len);

#endif
