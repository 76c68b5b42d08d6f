/* images: the generated pictures exist, carry the right signatures, and
 * /image's Accept rules pick them like httpbin. */
#include <string.h>

#include "hs_test.h"
#include "httpbin/images.h"

#define S(lit) ((hs__str_t){(lit), sizeof(lit) - 1})

HS_TEST(table) {
  CHECK_EQ_UINT(hb_images_count, 4, "four formats");
  const hb_image_t *png = hb_image_find("png", 3), *jpg = hb_image_find("jpeg", 4),
                   *webp = hb_image_find("webp", 4), *svg = hb_image_find("svg", 3);
  CHECK(png && png->len > 100 && !memcmp(png->data, "\x89PNG\r\n\x1a\n", 8) &&
            !strcmp(png->content_type, "image/png"),
        "png");
  CHECK(jpg && jpg->len > 100 && !memcmp(jpg->data, "\xff\xd8\xff", 3) &&
            !memcmp(jpg->data + jpg->len - 2, "\xff\xd9", 2) &&
            !strcmp(jpg->content_type, "image/jpeg"),
        "jpeg");
  CHECK(webp && webp->len > 100 && !memcmp(webp->data, "RIFF", 4) &&
            !memcmp(webp->data + 8, "WEBP", 4) && !strcmp(webp->content_type, "image/webp"),
        "webp");
  CHECK(svg && svg->len > 100 && !memcmp(svg->data, "<svg ", 5) &&
            !strcmp(svg->content_type, "image/svg+xml"),
        "svg");
  /* RIFF size field = file length - 8. */
  if (webp) {
    unsigned riff =
        webp->data[4] | webp->data[5] << 8 | webp->data[6] << 16 | (unsigned)webp->data[7] << 24;
    CHECK_EQ_UINT(riff + 8, webp->len, "webp RIFF length");
  }
  CHECK(hb_image_find("gif", 3) == NULL && hb_image_find("PNG", 3) == NULL, "unknown names");
}

HS_TEST(accept) {
  CHECK(hb_image_for_accept(S(""), 0) == hb_image_find("png", 3), "no Accept → png");
  CHECK(hb_image_for_accept(S("image/png, image/webp"), 1) == hb_image_find("webp", 4),
        "webp wins regardless of order");
  CHECK(hb_image_for_accept(S("IMAGE/SVG+XML"), 1) == hb_image_find("svg", 3), "case");
  CHECK(hb_image_for_accept(S("image/jpeg;q=0.1, image/png"), 1) == hb_image_find("jpeg", 4),
        "no q-values, like httpbin");
  CHECK(hb_image_for_accept(S("image/*"), 1) == hb_image_find("png", 3), "image/*");
  CHECK(hb_image_for_accept(S("*/*"), 1) == NULL, "*/* is 406 in httpbin");
  CHECK(hb_image_for_accept(S("text/html"), 1) == NULL, "406");
  CHECK(strstr(HB_IMAGE_406_BODY, "\"accept\": [\"image/webp\"") != NULL, "406 body");
}

static const hs_test_case_t cases[] = {
    HS_CASE(table),
    HS_CASE(accept),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
