/* The pictures served by /image and /image/{png,jpeg,webp,svg}: our own
 * teapot drawn at build time by tools/gen_images.py (images_data.c). */
#ifndef HS_HTTPBIN_IMAGES_H
#define HS_HTTPBIN_IMAGES_H

#include <stddef.h>

#include "base/str.h"

typedef struct hb_image_s {
  const char *name;         /* "png", "jpeg", "webp", "svg" */
  const char *content_type; /* "image/png", ..., "image/svg+xml" */
  const unsigned char *data;
  size_t len;
} hb_image_t;

/* All formats, in the generated order (png, jpeg, webp, svg). */
extern const hb_image_t hb_images[];
extern const size_t hb_images_count;

/* The image for a format name as in /image/{name} (exact, lower case), or NULL. */
const hb_image_t *hb_image_find(const char *name, size_t len);

/* httpbin's /image choice: no Accept field (present = 0) → png; else, on the
 * lower-cased value, the first substring found among "image/webp",
 * "image/svg+xml", "image/jpeg", then "image/png" or "image/" "*" (any image) → png;
 * otherwise NULL, and the caller answers 406 with HB_IMAGE_406_BODY. (Plain
 * substring tests, as httpbin does: q-values are not looked at.) */
const hb_image_t *hb_image_for_accept(hs__str_t accept, int present);

/* httpbin's 406 body for /image: json.dumps() output, no trailing newline,
 * sent as application/json. */
#define HB_IMAGE_406_BODY                                                                          \
  "{\"message\": \"Client did not request a supported media type.\", \"accept\": "                 \
  "[\"image/webp\", \"image/svg+xml\", \"image/jpeg\", \"image/png\", \"image/*\"]}"

#endif
