/* The reference's stylesheet and script (assets.c). */
#ifndef HS_REFERENCE_ASSETS_H
#define HS_REFERENCE_ASSETS_H

#include <stddef.h>

#include "reference/body.h"

typedef struct hs__ref_asset_s {
  const char *url;   /* "/assets/ref-1a2b3c4d.css": the name carries a hash of the content */
  const char *ctype; /* "text/css; charset=utf-8" */
  const unsigned char *data;
  size_t len;
} hs__ref_asset_t;

/* The asset served at `path`, or NULL. */
const hs__ref_asset_t *hs__ref_asset(const char *path, size_t n);
/* The asset's prepared body (compressed, tagged), made once. */
const hs__ref_body_t *hs__ref_asset_body(const hs__ref_asset_t *a);
/* URLs of the stylesheet and the script, for the pages' <head>. */
const char *hs__ref_css_url(void);
const char *hs__ref_js_url(void);

#endif
