/* GET / : what this server offers, in the negotiated format. */
#include <string.h>

#include "handlers/routes.h"
#include "http/ctx.h"
#include "http/render.h"

static const struct {
  const char *path;
  const char *what;
} endpoints[] = {
    {"/", "this list"},
    {"/status/{code}",
     "answers with {code} (100-599), its required headers and a body describing it"},
    {"/status/{code}:{weight},...", "weighted random choice, e.g. /status/200:0.7,503:0.3"},
    {"/status/{code}?retry_after=N", "overrides Retry-After (429, 503, or any code)"},
    {"/status/{code}?location=/path", "overrides Location (3xx, 201)"},
    {"/anything[/{path}]", "echoes any request: method, args, headers, origin, url, body"},
    {"/get /post /put /patch /delete", "echo the request for that method"},
    {"/headers /ip /user-agent", "the request's headers, the client address, the User-Agent"},
    {"/uuid /hostname", "a random UUID4; the server's name"},
    {"/dump/request", "the request as received, as text"},
    {"/response-headers?K=V", "answers with the query's pairs as headers (GET and POST)"},
    {"/env", "the server's HTTPBIN_ENV_* variables"},
    {"/head", "HEAD only: headers of an echo"},
    {"/upload", "echoes an uploaded body (POST, PUT, PATCH)"},
    {"/redirect/{n}", "redirects n times, then /get (?absolute=true for absolute URLs)"},
    {"/relative-redirect/{n} /absolute-redirect/{n}", "n relative or absolute redirects"},
    {"/redirect-to?url=U&status_code=C", "redirects to U with status C (any 3xx)"},
    {"/cookies", "the request's cookies"},
    {"/cookies/set?K=V /cookies/set/{K}/{V}", "sets cookies, then redirects to /cookies"},
    {"/cookies/delete?K", "deletes cookies, then redirects to /cookies"},
    {"/basic-auth/{user}/{passwd}", "HTTP Basic authentication (401 with a challenge)"},
    {"/hidden-basic-auth/{user}/{passwd}", "Basic authentication answering 404 on failure"},
    {"/bearer", "Bearer token authentication"},
    {"/digest-auth/{qop}/{user}/{passwd}[/{algorithm}[/{stale_after}]]",
     "Digest authentication: qop auth or auth-int, MD5, SHA-256 or SHA-512"},
    {"/delay/{seconds}", "answers after a delay (fractions allowed, capped)"},
    {"/drip?duration=&numbytes=&code=&delay=", "sends bytes slowly"},
    {"/stream/{n}", "n JSON lines"},
    {"/stream-bytes/{n}?chunk_size=&seed=", "n random bytes, chunked"},
    {"/sse /jsonl", "server-sent events; JSON lines"},
    {"/trailers", "a chunked response with trailer fields"},
    {"/bytes/{n}?seed=", "n random bytes (deterministic with a seed)"},
    {"/range/{n}", "n bytes honouring Range (206, multipart/byteranges, 416) and If-Range"},
    {"/unstable?failure_rate=&seed=", "fails at random with 500"},
    {"/cache", "304 for If-Modified-Since or If-None-Match, else 200"},
    {"/cache/{n}", "sets Cache-Control: public, max-age=n"},
    {"/etag/{etag}", "If-None-Match → 304, If-Match → 412"},
    {"/gzip /deflate /brotli /zstd", "an echo in that content coding"},
    {"/html /json /xml /robots.txt /deny /encoding/utf8", "documents of each type"},
    {"/forms/post", "an HTML form that posts to /post"},
    {"/links/{n}/{offset}", "a page of n links"},
    {"/base64/{value} /base64/encode/{v} /base64/decode/{v}", "base64 decoding and encoding"},
    {"/image", "an image chosen by Accept (406 otherwise)"},
    {"/image/png /image/jpeg /image/webp /image/svg", "our own picture in each format"},
    {"/websocket/echo", "a WebSocket that echoes every message"},
};
#define N_ENDPOINTS (sizeof(endpoints) / sizeof(endpoints[0]))

static void index_handler(hs_exchange_t *x) {
  hs_neg_t neg = hs__negotiate(x->req);
  /* a page for people: HTML unless JSON or plain text is asked for by name */
  hs_str_t a = x->req->accept;
  if (!memmem(a.ptr ? a.ptr : "", a.len, "json", 4) &&
      !memmem(a.ptr ? a.ptr : "", a.len, "text/plain", 10))
    neg.fmt = HS_FMT_HTML;
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
    hs__buf_lit(b,
                "  },\n  \"name\": \"httpstatus\",\n  \"version\": \"" HS_VERSION_STRING "\"\n}\n");
    break;
  case HS_FMT_TEXT:
    hs__buf_lit(b, "httpstatus " HS_VERSION_STRING "\n\n");
    for (size_t i = 0; i < N_ENDPOINTS; i++)
      hs__buf_printf(b, "%-32s %s\n", endpoints[i].path, endpoints[i].what);
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
