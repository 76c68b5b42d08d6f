/* The runner of the reference pages' example exchanges (reference_examples.c). */
#ifndef HS_HANDLERS_REFERENCE_EXAMPLES_H
#define HS_HANDLERS_REFERENCE_EXAMPLES_H

#include "http/ctx.h"

/* Gives the examples the server's configuration (limits: 414, 431) and
 * registers their runner with the reference layer; the page handler calls it
 * with its worker's context before a page is made. */
void hs__ref_example_setup(const hs__ctx_t *ctx);

#endif
