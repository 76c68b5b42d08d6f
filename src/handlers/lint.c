/* /lint on the web reference: POST a captured response (raw HTTP/1.x, curl -i
 * or curl -v text) and get the findings of the lint engine (src/lint) as JSON,
 * the same catalogue and text as `httpstatus lint --json`; GET /lint is a
 * small page with a form that posts to it. ?lang=zh answers in Chinese. */
#include <string.h>

#include "handlers/routes.h"
#include "http/ctx.h"
#include "http/render.h"
#include "lint/lint.h"
#include "lint/read.h"

typedef struct out_s {
  hs__buf_t *b;
  int li;
  size_t n;
} out_t;

static void str(hs__buf_t *b, const char *s) {
  hs__buf_lit(b, "\"");
  hs__json_escape(b, s, strlen(s));
  hs__buf_lit(b, "\"");
}

/* One response's findings as a JSON object of the "responses" array. */
static int on_msg(void *ud, const hs__lmsg_t *m, size_t index) {
  out_t *o = ud;
  hs__lresult_t res;
  hs__lint_message(m, &res);
  hs__buf_printf(o->b, "%s\n    {\"index\": %zu, \"status\": %d, \"findings\": [", index ? "," : "",
                 index, m->status);
  for (size_t i = 0; i < res.n; i++) {
    const hs__lint_rule_t *r = &hs__lint_rules[res.v[i].rule];
    hs__buf_str(o->b, i ? ",\n      {\"id\": " : "\n      {\"id\": ");
    str(o->b, r->id);
    hs__buf_printf(o->b, ", \"severity\": \"%s\", \"category\": ", hs__lint_sev_name(r->sev));
    str(o->b, r->category);
    hs__buf_lit(o->b, ", \"spec\": ");
    str(o->b, r->spec);
    hs__buf_lit(o->b, ", \"title\": ");
    str(o->b, r->title[o->li]);
    hs__buf_lit(o->b, ", \"text\": ");
    str(o->b, r->text[o->li]);
    hs__buf_lit(o->b, ", \"detail\": ");
    if (res.v[i].detail[0])
      str(o->b, res.v[i].detail);
    else
      hs__buf_lit(o->b, "null");
    hs__buf_lit(o->b, "}");
  }
  hs__buf_str(o->b, res.n ? "\n    ]}" : "]}");
  o->n = index + 1;
  return 0;
}

static const char page[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<title>httpstatus lint</title></head>\n<body><h1>Lint a response</h1>\n"
    "<p>Paste a response (raw HTTP/1.x, <code>curl -i</code> or <code>curl -v</code> output). "
    "The findings come from <code>POST /lint</code> (JSON), the catalogue of "
    "<code>httpstatus lint --rules</code>.</p>\n"
    "<form id=\"f\" method=\"post\" action=\"/lint\"><textarea id=\"t\" name=\"r\" rows=\"14\" "
    "cols=\"90\">HTTP/1.1 405 Method Not Allowed\nContent-Length: 0\n\n</textarea><br>"
    "<button>Lint</button></form>\n<pre id=\"o\"></pre>\n<script>\n"
    "document.getElementById('f').onsubmit = async (e) => {\n"
    "  e.preventDefault();\n"
    "  const r = await fetch('/lint', {method: 'POST', body: "
    "document.getElementById('t').value.replace(/\\r?\\n/g, String.fromCharCode(13, 10))});\n"
    "  const d = await r.json();\n"
    "  document.getElementById('o').textContent = d.error ? d.error : d.responses.map(x =>\n"
    "    x.status + '\\n' + x.findings.map(f => '  ' + f.severity + ' ' + f.id + ': ' + f.title +\n"
    "    ' (' + f.spec + ')').join('\\n')).join('\\n\\n');\n"
    "};\n</script></body></html>\n";

static void lint_handler(hs__exchange_t *x) {
  hs__resp_t r;
  if (x->req->method != HS_M_POST) {
    hs__resp_begin(&r, x, 200);
    hs__resp_end(&r, "text/html; charset=utf-8", page, sizeof page - 1);
    return;
  }
  hs__str_t lang;
  out_t o = {&x->ctx->scratch, 0, 0};
  if (hs__req_query(x->req, "lang", &lang) && lang.len == 2 && !memcmp(lang.ptr, "zh", 2))
    o.li = 1;
  o.b->len = 0;
  hs__buf_lit(o.b, "{\"responses\": [");
  hs__lread_opts_t ro;
  hs__lread_opts_init(&ro);
  ro.max_fields = 200;
  char err[256] = "";
  int rc = hs__lread_text(x->req->body ? x->req->body : "", x->req->body_len, &ro, on_msg, &o, err,
                          sizeof err);
  hs__buf_str(o.b, o.n ? "\n  ],\n  \"error\": " : "],\n  \"error\": ");
  if (rc == 0)
    hs__buf_lit(o.b, "null");
  else
    str(o.b, err);
  hs__buf_lit(o.b, "\n}\n");
  /* RFC 9110 §15.5.21: input that is not a response is content the server
   * understands but cannot process */
  hs__resp_begin(&r, x, rc == 0 ? 200 : 422);
  hs__resp_end(&r, "application/json", o.b->base, o.b->len);
}

const hs__route_t hs__routes_lint[] = {
    HS_ROUTE("/lint", 0, HS_MBIT(HS_M_GET) | HS_MBIT(HS_M_HEAD) | HS_MBIT(HS_M_POST), lint_handler,
             "/lint", "POST a response (raw or curl -i/-v text): its lint findings (JSON)"),
    HS_ROUTE_END,
};
