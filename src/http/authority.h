/* Is a Host field value or an :authority valid URI syntax (RFC 3986 §3.2.2,
 * §3.2.3; RFC 9112 §3.2, RFC 9113 §8.3.1)? Shared by HTTP/1 and HTTP/2. */
#ifndef HS_HTTP_AUTHORITY_H
#define HS_HTTP_AUTHORITY_H

#include "base/str.h"

/* Returns 1 when `v` is uri-host [ ":" port ]: a reg-name (unreserved,
 * pct-encoded, sub-delims), an IPv4 address, or an IP-literal in brackets
 * (IPv6 or IPvFuture), then at most one ':' followed by digits only. No
 * userinfo ('@' is refused, RFC 9110 §4.2.4). An empty value is valid syntax
 * (RFC 9112 §3.2 allows an empty Host). Returns 0 otherwise. */
int hs__authority_valid(hs__str_t v);

#endif
