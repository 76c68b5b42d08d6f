/* JSON responses in httpbin's layout (hb_send.h). */
#include "handlers/hb_send.h"

#include "handlers/hb_getdict.h"
#include "handlers/hb_request.h"
#include "http/ctx.h"
#include "httpbin/jsonfmt.h"

void hs__hb_send_json(hs__exchange_t *x, int status, const json_t *v, const hs__fields_t *extra) {
  hs__buf_t *b = &x->ctx->scratch;
  b->len = 0;
  if (!v || hb_json_to_buf(b, v, HB_JSON_FLASK_PRETTY)) {
    hs__resp_error(x, 500, "The response could not be produced (out of memory).", NULL);
    return;
  }
  hs__resp_t r;
  hs__resp_begin(&r, x, status);
  hs__resp_fields(&r, extra);
  hs__resp_end(&r, "application/json", b->base, b->len);
}

void hs__hb_send_dict(hs__exchange_t *x, unsigned members, const hs__fields_t *extra) {
  if (!(members & HS_HB_BODY)) { /* nothing to parse: written directly (hb_getdict.c) */
    hs__buf_t *b = &x->ctx->scratch;
    b->len = 0;
    if (hs__hb_write_dict(x->req, members, b) == 0) {
      hs__resp_t r;
      hs__resp_begin(&r, x, 200);
      hs__resp_fields(&r, extra);
      hs__resp_end(&r, "application/json", b->base, b->len);
      return;
    }
  }
  int st;
  char msg[320];
  json_t *d = hs__hb_request_dict_st(x, members, &st);
  if (!d) {
    if (st == 413)
      hs__resp_error(x, 413, "The multipart body has too many parts.", NULL);
    else if (st == 400 &&
             hs__hb_json_over_limit(x->req->body, x->req->body_len, x->ctx->cfg, msg, sizeof msg))
      hs__resp_error(x, 400, msg, NULL);
    else
      hs__resp_error(x, 500, "The response could not be produced (out of memory).", NULL);
    return;
  }
  hs__hb_send_json(x, 200, d, extra);
  json_decref(d);
}
