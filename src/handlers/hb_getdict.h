/* The request description of /get and /head written straight into a buffer
 * (no JSON object built): the same bytes hs__hb_send_json would send. */
#ifndef HS_HANDLERS_HB_GETDICT_H
#define HS_HANDLERS_HB_GETDICT_H

#include "base/buf.h"
#include "http/request.h"

/* hs__hb_request_dict(x, members) for members without HS_HB_BODY, written
 * straight into b as hs__hb_send_json lays it out (same bytes), without
 * building the JSON object (hb_getdict.c). Returns 0, or -1 when out of
 * memory (b may hold a partial text). */
int hs__hb_write_dict(const hs__req_t *req, unsigned members, hs__buf_t *b);

#endif
