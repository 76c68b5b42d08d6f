/* Sending JSON the way httpbin lays it out (2-space indent, sorted keys, a
 * trailing newline), and the request description as a whole response. */
#ifndef HS_HANDLERS_HB_SEND_H
#define HS_HANDLERS_HB_SEND_H

#include <jansson.h>

#include "base/fields.h"
#include "http/response.h"

/* Writes a complete response: `status`, Content-Type application/json, the body
 * `v` (borrowed) as 2-space indented JSON with sorted keys and a trailing
 * newline. `extra` is NULL or header fields to add. */
void hs__hb_send_json(hs__exchange_t *x, int status, const json_t *v, const hs__fields_t *extra);

/* Builds hs__hb_request_dict(x, members) and sends it with status 200 (or the
 * error: 413, 500). `extra` as for hs__hb_send_json. */
void hs__hb_send_dict(hs__exchange_t *x, unsigned members, const hs__fields_t *extra);

#endif
