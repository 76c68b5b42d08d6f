/* Each form of each reference page, prepared once (cache.c). */
#ifndef HS_REFERENCE_CACHE_H
#define HS_REFERENCE_CACHE_H

#include "http/render.h"
#include "reference/body.h"
#include "reference/pages.h"

/* The prepared form of page p: built, compressed and tagged the first time it
 * is asked for, then shared read-only by every worker for the life of the
 * process. Thread-safe. */
const hs__ref_body_t *hs__ref_body(const hs__ref_page_t *p, hs__fmt_t fmt, hs_lang_t lang);

#endif
