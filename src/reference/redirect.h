/* /codes addresses that name no page (redirect.c). */
#ifndef HS_REFERENCE_REDIRECT_H
#define HS_REFERENCE_REDIRECT_H

#include "http/exchange.h"

/* Answers a /codes address that names no page: 308 to the page the CLI would
 * show (/codes/1008 → /codes/ws/1008), or 404 naming the class and nearest codes
 * of an unassigned number. Returns 0 when it did not answer. */
int hs__ref_not_a_page(hs__exchange_t *x);

#endif
