/* Problem details (RFC 9457): every error of the REST playground is an
 * application/problem+json object with type, title, status, detail and
 * instance, in English or Chinese (Content-Language says which). */
#ifndef HS_REST_PROBLEM_H
#define HS_REST_PROBLEM_H

#include <jansson.h>

#include "rest/rest.h"

/* Sets out to a problem answer: `status`, the type /rest/problems/{slug}
 * with its title from the table in problem.c, and the detail in the
 * language of out->zh (`detail_en`, `detail_zh`: printf formats taking the
 * same arguments). `ext` (may be NULL; reference stolen) adds members such
 * as "errors". Clears whatever body out had. */
void hs__rest_problem(hs__rest_out_t *out, int status, const char *slug, json_t *ext,
                      const char *detail_en, const char *detail_zh, ...)
    __attribute__((format(printf, 5, 7)));

#endif
