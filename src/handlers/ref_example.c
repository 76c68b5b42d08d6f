/* The example exchange of each code page, as raw HTTP, and the request that
 * makes this server really answer with a code ("try it"). The request is the
 * one ref.js sends; the response is what the registry says the code carries:
 * its status line, the header fields it requires or expects (with sample
 * values) and, when the code allows content, a short body. */
#include <stdio.h>
#include <string.h>

#include "handlers/ref_pages.h"

/* Codes this server produces for real, not only through /status/{code}. */
static const struct {
  int code;
  hs__ref_trigger_t t;
} triggers[] = {
    {200, {"GET", "/get", NULL, NULL, 1}},
    {206, {"GET", "/range/64", "Range", "bytes=0-9", 1}},
    {304, {"GET", "/etag/abc", "If-None-Match", "\"abc\"", 1}},
    {401, {"GET", "/bearer", NULL, NULL, 1}},
    {404, {"GET", "/no-such-page", NULL, NULL, 1}},
    {405, {"DELETE", "/get", NULL, NULL, 1}},
    {406, {"GET", "/codes/404", "Accept", "image/png", 1}}, /* the reference offers no image */
    {412, {"GET", "/etag/abc", "If-Match", "\"xyz\"", 1}},
    {414, {"GET", "/get?pad=", NULL, NULL, 1}}, /* ref.js pads the URI past 8 KiB */
    {416, {"GET", "/range/64", "Range", "bytes=500-600", 1}},
    {417, {"GET", "/get", "Expect", "100-maybe", 0}}, /* fetch() may not set Expect */
    {426, {"GET", "/websocket/echo", NULL, NULL, 1}}, /* a WebSocket endpoint, no Upgrade */
    {431, {"GET", "/get", "X-Pad", "", 1}},           /* ref.js fills it past 16 KiB */
    /* the gateway codes, from real upstream failures (/gateway/{kind}, issue 19) */
    {502, {"GET", "/gateway/refuse", NULL, NULL, 1}},
    {504, {"GET", "/gateway/hang?timeout=1", NULL, NULL, 1}},
    {508, {"GET", "/gateway/loop", NULL, NULL, 1}},
    {520, {"GET", "/gateway/garbage?as=cloudflare", NULL, NULL, 1}},
    {521, {"GET", "/gateway/refuse?as=cloudflare", NULL, NULL, 1}},
    {522, {"GET", "/gateway/blackhole?timeout=1&as=cloudflare", NULL, NULL, 1}},
    {524, {"GET", "/gateway/hang?timeout=1&as=cloudflare", NULL, NULL, 1}},
    {525, {"GET", "/gateway/bad-tls?as=cloudflare", NULL, NULL, 1}},
    {526, {"GET", "/gateway/expired-cert?as=cloudflare", NULL, NULL, 1}},
    {530, {"GET", "/gateway/unresolvable?as=cloudflare", NULL, NULL, 1}},
};

const hs__ref_trigger_t *hs__ref_trigger(int code) {
  for (size_t i = 0; i < sizeof triggers / sizeof triggers[0]; i++)
    if (triggers[i].code == code)
      return &triggers[i].t;
  return NULL;
}

/* A plausible value for header field h in a response with `code`. */
static const char *sample_value(hs_header_t h, int code) {
  switch (h) {
  case HS_H_ALLOW:
    return "GET, HEAD, OPTIONS";
  case HS_H_WWW_AUTHENTICATE:
    return "Bearer";
  case HS_H_PROXY_AUTHENTICATE:
    return "Basic realm=\"proxy\"";
  case HS_H_LOCATION:
    return "/get";
  case HS_H_CONTENT_RANGE:
    return code == 416 ? "bytes */64" : "bytes 0-9/64";
  case HS_H_UPGRADE:
    return code == 101 ? "websocket" : "TLS/1.3, HTTP/1.1";
  case HS_H_RETRY_AFTER:
    return "120";
  case HS_H_LINK:
    return "</assets/site.css>; rel=preload; as=style";
  case HS_H_ETAG:
    return "\"abc\"";
  case HS_H_CONTENT_LOCATION:
    return "/get";
  case HS_H_VARY:
    return "Accept";
  case HS_H_CACHE_CONTROL:
    return "max-age=60";
  case HS_H_DATE:
    return "Mon, 07 Dec 2026 09:00:00 GMT";
  case HS_H_EXPIRES:
    return "Mon, 07 Dec 2026 09:01:00 GMT";
  case HS_H_ACCEPT_PATCH:
    return "application/json-patch+json";
  case HS_H_ACCEPT_POST:
    return "application/json";
  case HS_H_ACCEPT_ENCODING:
    return "gzip, br";
  case HS_H_ACCEPT_RANGES:
    return "bytes";
  case HS_H_CONTENT_TYPE:
    return "text/plain; charset=utf-8";
  default:
    return "…";
  }
}

void hs__ref_example_http(hs_buf_t *req, hs_buf_t *resp, const hs_status_t *r, int code) {
  const hs__ref_trigger_t *t = hs__ref_trigger(code);
  if (t) {
    hs__buf_printf(req, "%s %s%s HTTP/1.1\nHost: localhost\n", t->method, t->path,
                   code == 414 ? "aaaa… (8 KiB and more)" : "");
    if (t->hname)
      hs__buf_printf(req, "%s: %s\n", t->hname,
                     code == 431 ? "aaaa… (16 KiB and more)" : t->hvalue);
  } else {
    hs__buf_printf(req, "GET /status/%d HTTP/1.1\nHost: localhost\n", code);
  }
  hs__buf_printf(resp, "HTTP/1.1 %d %s\nDate: Mon, 07 Dec 2026 09:00:00 GMT\n", code,
                 r->ns == HS_NS_HTTP ? hs_reason_phrase(code) : r->phrase);
  uint32_t want = r->requires | r->expects;
  for (int h = 0; h < HS_H_COUNT; h++)
    if ((want & HS_HBIT(h)) && h != HS_H_DATE && h != HS_H_CONTENT_TYPE && h != HS_H_CONTENT_LENGTH)
      hs__buf_printf(resp, "%s: %s\n", hs_header_name((hs_header_t)h),
                     sample_value((hs_header_t)h, code));
  if (r->flags & HS_F_NO_BODY) {
    if (!(r->flags & HS_F_NO_CLENGTH) && code != 304)
      hs__buf_lit(resp, "Content-Length: 0\n");
    return;
  }
  char body[160];
  int n = snprintf(body, sizeof body, "%d %s\n", code, r->phrase);
  if (n < 0 || (size_t)n >= sizeof body)
    n = 0;
  hs__buf_printf(resp, "Content-Type: text/plain; charset=utf-8\nContent-Length: %d\n\n%.*s", n, n,
                 body);
}

/* The bytes of a server's Close frame (RFC 6455 §5.5.1): FIN + opcode 8, the
 * payload length, the code in network order, then the UTF-8 reason. */
static void ws_frame(hs_buf_t *b, const hs_status_t *r) {
  const char *reason = r->phrase;
  size_t rlen = strlen(reason);
  if (rlen > 123)
    rlen = 123;
  hs__buf_printf(b, "88 %02zx %02x %02x", rlen + 2, (unsigned)(r->code >> 8) & 0xff,
                 (unsigned)r->code & 0xff);
  for (size_t i = 0; i < rlen; i++)
    hs__buf_printf(b, "%s%02x", i % 16 == 13 ? "\n" : " ", (unsigned char)reason[i]);
  hs__buf_printf(b, "\n(code %d, reason \"%.*s\")\n", r->code, (int)rlen, reason);
}

void hs__ref_example_other(hs_buf_t *b, const hs_status_t *r) {
  switch (r->ns) {
  case HS_NS_IIS:
    hs__buf_printf(b,
                   "GET /app/ HTTP/1.1\nHost: localhost\n\nHTTP/1.1 %d %s\n\n"
                   "# W3C log: cs-method cs-uri-stem sc-status sc-substatus\n"
                   "GET /app/ %d %d\n",
                   r->code, hs_reason_phrase(r->code), r->code, r->sub);
    break;
  case HS_NS_FTP:
    hs__buf_printf(b, "%d %s\n", r->code, r->phrase);
    break;
  case HS_NS_WS:
    if (r->flags & HS_F_NOT_ON_WIRE)
      hs__buf_printf(b, "(no frame: %d is only reported locally)\n", r->code);
    else
      ws_frame(b, r);
    break;
  default:
    break;
  }
}
