/* The reference's stylesheet and script, embedded at build time from
 * src/reference/assets/ (tools/embed_assets.py) under content-hashed URLs, and
 * prepared for sending (compressed, tagged) once. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "reference/assets.h"
#include "reference/body.h"

extern const hs__ref_asset_t hs__ref_asset_css; /* generated: ref_assets_data.c */
extern const hs__ref_asset_t hs__ref_asset_js;

static const hs__ref_asset_t *const assets[] = {&hs__ref_asset_css, &hs__ref_asset_js};
#define NASSETS (sizeof assets / sizeof assets[0])

static hs__ref_body_t bodies[NASSETS];
static pthread_once_t bodies_once = PTHREAD_ONCE_INIT;

static void prepare(void) {
  for (size_t i = 0; i < NASSETS; i++) {
    char *copy = malloc(assets[i]->len);
    if (!copy)
      abort();
    memcpy(copy, assets[i]->data, assets[i]->len);
    hs__ref_body_fill(&bodies[i], copy, assets[i]->len);
  }
}

const hs__ref_asset_t *hs__ref_asset(const char *path, size_t n) {
  for (size_t i = 0; i < NASSETS; i++)
    if (strlen(assets[i]->url) == n && memcmp(assets[i]->url, path, n) == 0)
      return assets[i];
  return NULL;
}

const hs__ref_body_t *hs__ref_asset_body(const hs__ref_asset_t *a) {
  pthread_once(&bodies_once, prepare);
  for (size_t i = 0; i < NASSETS; i++)
    if (assets[i] == a)
      return &bodies[i];
  return NULL;
}

const char *hs__ref_css_url(void) { return hs__ref_asset_css.url; }
const char *hs__ref_js_url(void) { return hs__ref_asset_js.url; }
