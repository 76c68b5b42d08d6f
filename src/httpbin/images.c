/* Lookup and Accept-based choice of the generated images (see images.h). */
#include "httpbin/images.h"

#include <string.h>
#include <strings.h>

const hb_image_t *hb_image_find(const char *name, size_t len) {
  for (size_t i = 0; i < hb_images_count; i++)
    if (strlen(hb_images[i].name) == len && memcmp(hb_images[i].name, name, len) == 0)
      return &hb_images[i];
  return NULL;
}

/* Case-insensitive substring search in a view. */
static int contains(hs__str_t h, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; h.ptr && i + n <= h.len; i++)
    if (strncasecmp(h.ptr + i, needle, n) == 0)
      return 1;
  return 0;
}

const hb_image_t *hb_image_for_accept(hs__str_t accept, int present) {
  if (!present)
    return hb_image_find("png", 3);
  if (contains(accept, "image/webp"))
    return hb_image_find("webp", 4);
  if (contains(accept, "image/svg+xml"))
    return hb_image_find("svg", 3);
  if (contains(accept, "image/jpeg"))
    return hb_image_find("jpeg", 4);
  if (contains(accept, "image/png") || contains(accept, "image/*"))
    return hb_image_find("png", 3);
  return NULL;
}
