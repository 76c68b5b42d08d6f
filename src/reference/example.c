/* The request that makes this server really answer with a code ("try it",
 * and the example exchange of ref_exchange.c), and the examples of the other
 * namespaces. */
#include <stdio.h>
#include <string.h>

#include "ftp/transcripts.h"
#include "reference/example.h"

/* Codes this server produces for real, not only through /status/{code}. */
static const struct {
  int code;
  hs__ref_trigger_t t;
} triggers[] = {
    {101, {"GET", "/status/101", "Upgrade", "websocket", 0}}, /* fetch() may not set Upgrade */
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

/* The bytes of a server's Close frame (RFC 6455 §5.5.1): FIN + opcode 8, the
 * payload length, the code in network order, then the UTF-8 reason. */
static void ws_frame(hs__buf_t *b, const hs_status_t *r) {
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

void hs__ref_example_other(hs__buf_t *b, const hs_status_t *r) {
  switch (r->ns) {
  case HS_NS_IIS:
    hs__buf_printf(b,
                   "GET /app/ HTTP/1.1\nHost: localhost\n\nHTTP/1.1 %d %s\n\n"
                   "# W3C log: cs-method cs-uri-stem sc-status sc-substatus\n"
                   "GET /app/ %d %d\n",
                   r->code, hs_reason_phrase(r->code), r->code, r->sub);
    break;
  case HS_NS_FTP: { /* a real exchange where the responder gives the code */
    const char *t = hs__ftp_transcript(r->code);
    if (t)
      hs__buf_printf(b, "# recorded from httpstatus serve --ftp-listen (docs/ftp.md)\n%s", t);
    else
      hs__buf_printf(b, "%d %s\n", r->code, r->phrase);
    break;
  }
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
