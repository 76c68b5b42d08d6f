/* httpbin-compatible content codings (issue 4; docs/httpbin-compat.md §3
 * "/gzip, /deflate, /brotli", "/zstd"): the request's headers, method and
 * origin plus a flag, compressed with the coding whatever the Accept-Encoding
 * (as httpbin does), with Content-Encoding (RFC 9110 §8.4). */
#include <stdio.h>
#include <stdlib.h>

#include "handlers/hb_request.h"
#include "handlers/hb_send.h"
#include "handlers/routes.h"
#include "http/ctx.h"
#include "httpbin/encode.h"
#include "httpbin/jsonfmt.h"

/* Builds {flag: true, headers, method, origin}, lays it out like every JSON
 * body, compresses it with `enc` and sends it. */
static void send_encoded(hs__exchange_t *x, hb_enc_t enc, const char *flag) {
  json_t *d = hs__hb_request_dict(x, HS_HB_HEADERS | HS_HB_METHOD | HS_HB_ORIGIN);
  unsigned char *z = NULL;
  size_t zlen = 0;
  hs__buf_t *b = &x->ctx->scratch;
  b->len = 0;
  int ok = d && !json_object_set_new_nocheck(d, flag, json_true()) &&
           !hb_json_to_buf(b, d, HB_JSON_FLASK_PRETTY) &&
           !hb_compress(enc, b->base, b->len, -1, &z, &zlen);
  json_decref(d);
  if (!ok) {
    hs__resp_error(x, 500, "The response could not be produced (out of memory).", NULL);
    return;
  }
  const char *name = hb_enc_name(enc);
  hs__resp_t r;
  hs__resp_begin(&r, x, 200);
  hs__resp_field(&r, "Content-Encoding", name, strlen(name));
  hs__resp_end(&r, "application/json", (const char *)z, zlen);
  free(z);
}

/* GET /gzip: RFC 1952 member ("gzipped": true). */
static void gzip_handler(hs__exchange_t *x) { send_encoded(x, HB_ENC_GZIP, "gzipped"); }
/* GET /deflate: zlib stream, RFC 1950 ("deflated": true). */
static void deflate_handler(hs__exchange_t *x) { send_encoded(x, HB_ENC_DEFLATE, "deflated"); }
/* GET /brotli: RFC 7932, Content-Encoding br ("brotli": true). */
static void brotli_handler(hs__exchange_t *x) { send_encoded(x, HB_ENC_BR, "brotli"); }
/* GET /zstd (ours): RFC 8878 ("zstd": true). */
static void zstd_handler(hs__exchange_t *x) { send_encoded(x, HB_ENC_ZSTD, "zstd"); }

const hs__route_t hs__routes_encodings[] = {
    HS_GET_ROUTE("/gzip", gzip_handler, "/gzip", "an echo in gzip (RFC 1952)"),
    HS_GET_ROUTE("/deflate", deflate_handler, "/deflate", "an echo in deflate (zlib, RFC 1950)"),
    HS_GET_ROUTE("/brotli", brotli_handler, "/brotli", "an echo in brotli (RFC 7932)"),
    HS_GET_ROUTE("/zstd", zstd_handler, "/zstd", "an echo in Zstandard (RFC 8878)"),
    HS_ROUTE_END,
};
