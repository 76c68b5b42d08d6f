/* GET / : what this server offers, in the negotiated format. */
#include <string.h>

#include "ctx.h"
#include "render.h"
#include "router.h"

static const struct {
  const char *path;
  const char *what;
} endpoints[] = {
    {"/", "this list"},
    {"/status/{code}", "answers with {code} (100-599), its required headers and a body describing it"},
    {"/status/{code}:{weight},...", "weighted random choice, e.g. /status/200:0.7,503:0.3"},
    {"/status/{code}?retry_after=N", "overrides Retry-After (429, 503, or any code)"},
    {"/status/{code}?location=/path", "overrides Location (3xx, 201)"},
};
#define N_ENDPOINTS (sizeof(endpoints) / sizeof(endpoints[0]))

static void index_handler(hs_exchange_t *x) {
  hs_neg_t neg = hs__negotiate(x->req);
  hs_buf_t *b = &x->ctx->scratch;
  b->len = 0;
  switch (neg.fmt) {
  case HS_FMT_JSON:
    hs__buf_lit(b, "{\n  \"endpoints\": {\n");
    for (size_t i = 0; i < N_ENDPOINTS; i++) {
      hs__buf_lit(b, "    \"");
      hs__json_escape(b, endpoints[i].path, strlen(endpoints[i].path));
      hs__buf_lit(b, "\": \"");
      hs__json_escape(b, endpoints[i].what, strlen(endpoints[i].what));
      hs__buf_str(b, i + 1 < N_ENDPOINTS ? "\",\n" : "\"\n");
    }
    hs__buf_lit(b, "  },\n  \"name\": \"httpstatus\",\n  \"version\": \"" HS_VERSION_STRING "\"\n}\n");
    break;
  case HS_FMT_TEXT:
    hs__buf_lit(b, "httpstatus " HS_VERSION_STRING "\n\n");
    for (size_t i = 0; i < N_ENDPOINTS; i++) hs__buf_printf(b, "%-32s %s\n", endpoints[i].path, endpoints[i].what);
    break;
  default:
    hs__buf_lit(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                   "<title>httpstatus</title></head>\n<body><h1>httpstatus " HS_VERSION_STRING
                   "</h1>\n<ul>\n");
    for (size_t i = 0; i < N_ENDPOINTS; i++) {
      hs__buf_lit(b, "<li><code>");
      hs__html_escape(b, endpoints[i].path, strlen(endpoints[i].path));
      hs__buf_lit(b, "</code> — ");
      hs__html_escape(b, endpoints[i].what, strlen(endpoints[i].what));
      hs__buf_lit(b, "</li>\n");
    }
    hs__buf_lit(b, "</ul></body></html>\n");
    break;
  }
  hs_resp_t r;
  hs__resp_begin(&r, x, 200);
  hs__resp_hdr(&r, HS_H_VARY, "Accept", 6);
  hs__resp_end(&r, hs__fmt_ctype(neg.fmt), b->base, b->len);
}

const hs_route_t hs__routes_index[] = {
    HS_ROUTE("/", 0, HS_MBIT(HS_M_GET) | HS_MBIT(HS_M_HEAD), "GET, HEAD, OPTIONS", index_handler),
    HS_ROUTE_END,
};
