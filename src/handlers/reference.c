/* GET / and /codes/...: the web reference's pages, and /assets/...: its
 * stylesheet and script (docs/web.md). Every page answers HTML, JSON or plain
 * text by Accept (406 naming the offered types when none fits) in the language
 * of ?lang= or Accept-Language; the bytes were prepared once
 * (src/reference/cache.c). This file only routes: the pages are src/reference/. */
#include "handlers/reference_examples.h"
#include "handlers/routes.h"
#include "reference/assets.h"
#include "reference/cache.h"
#include "reference/pages.h"
#include "reference/redirect.h"
#include "reference/send.h"

/* Pages are generated from the registry compiled into this binary: they change
 * only with a new build, but a new build may be deployed at any time. */
#define PAGE_CACHE "public, max-age=3600"
/* Asset names carry a hash of their content: they never change. */
#define ASSET_CACHE "public, max-age=31536000, immutable"

static void ref_page(hs__exchange_t *x) {
  hs__ref_page_t p;
  hs__ref_example_setup(x->ctx);
  if (!hs__ref_resolve(x->req->path.ptr, x->req->path.len, &p)) {
    if (!hs__ref_not_a_page(x))
      hs__resp_error(x, 404,
                     "No reference page at this address: / lists the codes, /search?q= finds them.",
                     NULL);
    return;
  }
  static const hs__fmt_t order[HS_FMT_COUNT] = {HS_FMT_HTML, HS_FMT_JSON, HS_FMT_TEXT};
  hs__fmt_t fmt;
  if (!hs__ref_format(x->req, order, &fmt)) {
    hs__resp_error(x, 406, "Not acceptable. This page is offered as " HS_REF_OFFERED ".", NULL);
    return;
  }
  hs_lang_t lang = hs__ref_lang(x->req);
  hs__ref_send(x, hs__ref_body(&p, fmt, lang), hs__fmt_ctype(fmt),
               fmt == HS_FMT_JSON ? -1 : (int)lang, PAGE_CACHE, HS_REF_VARY);
}

static void ref_asset(hs__exchange_t *x) {
  const hs__ref_asset_t *a = hs__ref_asset(x->req->path.ptr, x->req->path.len);
  if (!a) {
    hs__resp_error(x, 404, "No such asset.", NULL);
    return;
  }
  hs__ref_send(x, hs__ref_asset_body(a), a->ctype, -1, ASSET_CACHE, "Accept-Encoding");
}

const hs__route_t hs__routes_ref[] = {
    HS_ROUTE("/", 0, HS_M_GET_HEAD, ref_page, "/",
             "the reference: a map of HTTP codes 100-599, search, namespaces (docs/web.md)"),
    HS_ROUTE("/codes/", 1, HS_M_GET_HEAD, ref_page, "/codes/{code}",
             "a page per code: /codes/404, /codes/4xx, /codes/iis/403.14, /codes/ftp/530, "
             "/codes/ws/1008 (HTML, JSON or text; ?lang=en|zh)"),
    HS_ROUTE("/codes", 0, HS_M_GET_HEAD, ref_page, NULL, NULL),
    HS_ROUTE("/search", 0, HS_M_GET_HEAD, hs__ref_search, "/search?q=",
             "searches every namespace, English and Chinese, typo tolerant (JSON, HTML, text)"),
    HS_ROUTE("/assets/", 1, HS_M_GET_HEAD, ref_asset, NULL, NULL),
    HS_ROUTE_END,
};
