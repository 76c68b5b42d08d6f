/* The gateway section of the reference pages (gateway.c). */
#ifndef HS_REFERENCE_GATEWAY_H
#define HS_REFERENCE_GATEWAY_H

#include "base/buf.h"
#include "httpstatus/registry.h"

/* The gateway section of a record page (502, 504, 508, 520-526, 530: the
 * failures behind the code at each gateway, made real by /gateway/{kind};
 * nginx's 495-497: how to produce them); nothing for other codes. */
void hs__ref_gateway(hs__buf_t *b, const hs_status_t *r, hs_lang_t lang);

#endif
