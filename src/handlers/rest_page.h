/* GET /rest: the REST playground's state machine as a page (rest_page.c). */
#ifndef HS_HANDLERS_REST_PAGE_H
#define HS_HANDLERS_REST_PAGE_H

#include "http/router.h"

/* Answers the page in English or Chinese (?lang=, else Accept-Language). */
void hs__rest_page(hs__exchange_t *x);

#endif
