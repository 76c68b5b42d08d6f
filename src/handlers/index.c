/* GET /api : what this server offers, in the negotiated format, listed from the
 * route table (each route carries its usage and a one-line description). */
#include <string.h>

#include "handlers/routes.h"
#include "http/ctx.h"
#include "http/render.h"

/* Calls fn(route, last) for every route that describes itself, in the order
 * the router searches them: the endpoint list cannot drift from the routes. */
static void each_listed(const hs__ctx_t *ctx, hs__buf_t *b,
                        void (*fn)(hs__buf_t *b, const hs__route_t *r, int last)) {
  const hs__route_t *prev = NULL;
  for (const hs__route_t *const *t = ctx->routes; *t; t++)
    for (const hs__route_t *r = *t; r->path; r++) {
      if (!r->usage || !r->doc)
        continue;
      if (prev)
        fn(b, prev, 0);
      prev = r;
    }
  if (prev)
    fn(b, prev, 1);
}

static void json_item(hs__buf_t *b, const hs__route_t *r, int last) {
  hs__buf_lit(b, "    \"");
  hs__json_escape(b, r->usage, strlen(r->usage));
  hs__buf_lit(b, "\": \"");
  hs__json_escape(b, r->doc, strlen(r->doc));
  hs__buf_str(b, last ? "\"\n" : "\",\n");
}

static void text_item(hs__buf_t *b, const hs__route_t *r, int last) {
  hs__buf_printf(b, "%-32s %s\n", r->usage, r->doc);
}

static void html_item(hs__buf_t *b, const hs__route_t *r, int last) {
  hs__buf_lit(b, "<li><code>");
  hs__html_escape(b, r->usage, strlen(r->usage));
  hs__buf_lit(b, "</code> — ");
  hs__html_escape(b, r->doc, strlen(r->doc));
  hs__buf_lit(b, "</li>\n");
}

static void index_handler(hs__exchange_t *x) {
  hs__neg_t neg = hs__negotiate(x->req);
  /* a page for people: HTML unless JSON or plain text is asked for by name */
  hs__str_t a = x->req->accept;
  if (!memmem(a.ptr ? a.ptr : "", a.len, "json", 4) &&
      !memmem(a.ptr ? a.ptr : "", a.len, "text/plain", 10))
    neg.fmt = HS_FMT_HTML;
  hs__buf_t *b = &x->ctx->scratch;
  b->len = 0;
  switch (neg.fmt) {
  case HS_FMT_JSON:
    hs__buf_lit(b, "{\n  \"endpoints\": {\n");
    each_listed(x->ctx, b, json_item);
    hs__buf_lit(b,
                "  },\n  \"name\": \"httpstatus\",\n  \"version\": \"" HS_VERSION_STRING "\"\n}\n");
    break;
  case HS_FMT_TEXT:
    hs__buf_lit(b, "httpstatus " HS_VERSION_STRING "\n\n");
    each_listed(x->ctx, b, text_item);
    break;
  default:
    hs__buf_lit(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                   "<title>httpstatus</title></head>\n<body><h1>httpstatus " HS_VERSION_STRING
                   "</h1>\n<ul>\n");
    each_listed(x->ctx, b, html_item);
    hs__buf_lit(b, "</ul></body></html>\n");
    break;
  }
  hs__resp_t r;
  hs__resp_begin(&r, x, 200);
  hs__resp_hdr(&r, HS_H_VARY, "Accept", 6);
  hs__resp_end(&r, hs__fmt_ctype(neg.fmt), b->base, b->len);
}

const hs__route_t hs__routes_index[] = {
    HS_ROUTE("/api", 0, HS_M_GET_HEAD, index_handler, "/api", "this list"),
    HS_ROUTE_END,
};
