/* Unit tests of the HTTP/1 adapter + router + response writer, bytes in → bytes
 * out, with every input fed whole and split at every byte. */
#include <stdlib.h>
#include <string.h>

#include "hs_test.h"
#include "http1.h"
#include "response.h"

static hs_config_t cfg;
static hs__ctx_t ctx;

/* Feeds `in` in pieces of `step` bytes (0 = all at once); returns the output
 * (malloc'd, NUL-terminated) and whether the adapter asked to close. */
static char *run(const char *in, size_t len, size_t step, int *closed) {
  hs_h1_t h;
  hs__h1_init(&h, &ctx, "192.0.2.1");
  size_t off = 0;
  unsigned f = 0;
  hs_buf_t all;
  hs__buf_init(&all, NULL);
  while (off < len && !(f & HS_H1_CLOSE)) {
    size_t avail;
    char *p = hs__h1_rbuf(&h, &avail);
    size_t n = step ? step : len - off;
    if (n > len - off) n = len - off;
    if (n > avail) n = avail;
    memcpy(p, in + off, n);
    off += n;
    f = hs__h1_feed(&h, n);
    hs__buf_append(&all, h.out.base ? h.out.base : "", h.out.len);
    h.out.len = 0;
    hs__h1_release_idle(&h);
  }
  if (closed) *closed = (f & HS_H1_CLOSE) != 0;
  hs__buf_append(&all, "", 1);
  hs__h1_free(&h);
  return all.base;
}

static int count(const char *s, const char *needle) {
  int n = 0;
  for (const char *p = s; (p = strstr(p, needle)); p++) n++;
  return n;
}

/* Runs `in` whole and byte by byte; both must produce the same bytes apart from
 * Date (same second assumed) and contain `expect`. */
static void expect_io(const char *name, const char *in, const char *expect, int want_close) {
  int c1 = 0, c2 = 0;
  char *a = run(in, strlen(in), 0, &c1);
  char *b = run(in, strlen(in), 1, &c2);
  CHECK(strstr(a, expect) != NULL, "%s: expected '%s' in:\n%s", name, expect, a);
  CHECK(strcmp(a, b) == 0, "%s: whole vs byte-by-byte differ:\n%s\n---\n%s", name, a, b);
  CHECK(c1 == want_close, "%s: close=%d, want %d", name, c1, want_close);
  free(a);
  free(b);
}

#define GET(path) "GET " path " HTTP/1.1\r\nHost: t\r\n\r\n"

int main(void) {
  hs__config_defaults(&cfg);
  cfg.max_uri = 64;
  cfg.max_header_size = 512;
  cfg.max_headers = 8;
  cfg.max_body = 32;
  hs__ctx_init(&ctx, &cfg);

  expect_io("get", GET("/status/200"), "HTTP/1.1 200 OK\r\n", 0);
  expect_io("404", GET("/nope"), "HTTP/1.1 404 Not Found\r\n", 0);
  expect_io("405", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n", "Allow: GET, HEAD, OPTIONS\r\n", 0);
  expect_io("options", "OPTIONS / HTTP/1.1\r\nHost: t\r\n\r\n", "HTTP/1.1 204 No Content\r\n", 0);
  expect_io("options *", "OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n", "Allow: GET, HEAD, POST", 0);
  expect_io("unknown method", "FROB /status/200 HTTP/1.1\r\nHost: t\r\n\r\n", "HTTP/1.1 501 ", 0);
  expect_io("lowercase method", "get / HTTP/1.1\r\nHost: t\r\n\r\n", "HTTP/1.1 501 ", 0);
  expect_io("webdav method", "PROPFIND / HTTP/1.1\r\nHost: t\r\n\r\n", "HTTP/1.1 501 ", 0);
  expect_io("bad method", "GE@T / HTTP/1.1\r\nHost: t\r\n\r\n", "HTTP/1.1 400 ", 1);
  expect_io("long method", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ / HTTP/1.1\r\n\r\n", "HTTP/1.1 501 ", 1);
  expect_io("http/3.7", "GET / HTTP/3.7\r\nHost: t\r\n\r\n", "HTTP/1.1 505 ", 1);
  expect_io("http/2.0", "GET / HTTP/2.0\r\nHost: t\r\n\r\n", "HTTP/1.1 505 ", 1);
  expect_io("http/1.x", "GET / HTTP/1.x\r\nHost: t\r\n\r\n", "HTTP/1.1 400 ", 1);
  expect_io("no host", "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 400 ", 1);
  expect_io("two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "HTTP/1.1 400 ", 1);
  expect_io("1.0 no host", "GET /status/200 HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK\r\n", 1);
  expect_io("cl+te", "POST /status/200 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "HTTP/1.1 400 ", 1);
  expect_io("bad chunk", "POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 400 ", 1);
  expect_io("chunked ok", "POST /status/201 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n",
            "HTTP/1.1 201 Created\r\n", 0);
  expect_io("bare cr", "GET / HTTP/1.1\r\nHost: t\r\nX: a\rb\r\n\r\n", "HTTP/1.1 400 ", 1);
  expect_io("obs-fold", "GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n b\r\n\r\n", "HTTP/1.1 400 ", 1);
  expect_io("space before colon", "GET / HTTP/1.1\r\nHost : t\r\n\r\n", "HTTP/1.1 400 ", 1);
  {
    static const char nul[] = "GET / HTTP/1.1\r\nHost: t\r\nX: a\0b\r\n\r\n";
    int c = 0;
    char *o = run(nul, sizeof(nul) - 1, 0, &c);
    CHECK(strstr(o, "HTTP/1.1 400 ") && c, "NUL: %s", o);
    free(o);
  }
  expect_io("414", "GET /status/200?aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\nHost: t\r\n\r\n",
            "HTTP/1.1 414 ", 1);
  expect_io("431 count", "GET / HTTP/1.1\r\nHost: t\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\nF: 1\r\nG: 1\r\nH: 1\r\n\r\n",
            "HTTP/1.1 431 ", 1);
  {
    char big[1024];
    snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nHost: t\r\nX: %0600d\r\n\r\n", 0);
    expect_io("431 size", big, "HTTP/1.1 431 ", 1);
  }
  expect_io("413 cl", "POST /status/200 HTTP/1.1\r\nHost: t\r\nContent-Length: 33\r\n\r\n", "HTTP/1.1 413 ", 1);
  expect_io("413 chunked", "POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n21\r\n", "HTTP/1.1 413 ", 1);
  expect_io("417", GET("/status/200") "", "HTTP/1.1 200", 0);
  expect_io("417 no body", "GET /status/200 HTTP/1.1\r\nHost: t\r\nExpect: foo\r\n\r\n", "HTTP/1.1 417 ", 0);
  expect_io("417 body", "PUT /status/200 HTTP/1.1\r\nHost: t\r\nExpect: foo\r\nContent-Length: 5\r\n\r\n", "HTTP/1.1 417 ", 1);
  expect_io("100-continue", "PUT /status/201 HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n", 0);
  expect_io("100-continue refused", "PUT /nope HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n",
            "HTTP/1.1 404 ", 1);
  expect_io("interim 103", GET("/status/103"), "HTTP/1.1 103 Early Hints\r\nLink: ", 0);
  expect_io("no 1xx for 1.0", "GET /status/103 HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK\r\n", 1);
  {
    char *o = run("GET /status/103 HTTP/1.0\r\n\r\n", 27, 0, NULL);
    CHECK(!strstr(o, " 103 "), "1.0 got a 1xx: %s", o);
    free(o);
  }
  expect_io("1.0 keep-alive", "GET /status/200 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", "Connection: keep-alive\r\n", 0);
  expect_io("close", "GET /status/200 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", "Connection: close\r\n", 1);
  expect_io("weighted", GET("/status/200:0,404:1"), "HTTP/1.1 404 ", 0);
  expect_io("invalid code", GET("/status/abc"), "HTTP/1.1 400 ", 0);
  expect_io("retry-after", GET("/status/429?retry_after=42"), "Retry-After: 42\r\n", 0);
  expect_io("absolute-form", "GET http://example.com/status/202 HTTP/1.1\r\nHost: t\r\n\r\n", "HTTP/1.1 202 ", 0);
  expect_io("101 without upgrade", GET("/status/101"), "HTTP/1.1 400 ", 0);
  expect_io("101", "GET /status/101 HTTP/1.1\r\nHost: t\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n",
            "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n", 1);

  /* pipelining: three requests in one read → three responses, in order */
  {
    const char *in = GET("/status/201") GET("/status/202") GET("/status/203");
    char *o = run(in, strlen(in), 0, NULL);
    char *a = strstr(o, " 201 "), *b = strstr(o, " 202 "), *c = strstr(o, " 203 ");
    CHECK(a && b && c && a < b && b < c, "pipelining order: %s", o);
    free(o);
  }
  /* HEAD: headers of GET, no content */
  {
    char *g = run(GET("/status/200"), strlen(GET("/status/200")), 0, NULL);
    const char *hin = "HEAD /status/200 HTTP/1.1\r\nHost: t\r\n\r\n";
    char *h = run(hin, strlen(hin), 0, NULL);
    char *ge = strstr(g, "\r\n\r\n"), *he = strstr(h, "\r\n\r\n");
    CHECK(ge && he && (ge - g) == (he - h) && he[4] == 0, "HEAD differs:\n%s\n%s", g, h);
    free(g);
    free(h);
  }
  /* no-content codes: no body; 1xx/204 without Content-Length */
  {
    char *o = run(GET("/status/204"), strlen(GET("/status/204")), 0, NULL);
    CHECK(!strstr(o, "Content-Length") && strstr(o, "\r\n\r\n")[4] == 0, "204: %s", o);
    free(o);
    o = run(GET("/status/304"), strlen(GET("/status/304")), 0, NULL);
    CHECK(strstr(o, "\r\n\r\n")[4] == 0, "304 has content: %s", o);
    free(o);
    o = run(GET("/status/205"), strlen(GET("/status/205")), 0, NULL);
    CHECK(strstr(o, "Content-Length: 0\r\n") && strstr(o, "\r\n\r\n")[4] == 0, "205: %s", o);
    free(o);
  }
  /* every code 100-599 produces a final response with that code (1xx → 200) */
  for (int code = 100; code <= 599; code++) {
    char in[128], want[32];
    snprintf(in, sizeof(in), "GET /status/%d HTTP/1.1\r\nHost: t\r\nUpgrade: x\r\n\r\n", code);
    snprintf(want, sizeof(want), "HTTP/1.1 %d ", code);
    int c = 0;
    char *o = run(in, strlen(in), 0, &c);
    CHECK(strncmp(o, want, strlen(want)) == 0, "code %d: %.60s", code, o);
    if (code >= 200 || code == 101) CHECK(count(o, "HTTP/1.1 ") == 1, "code %d: %d responses", code, count(o, "HTTP/1.1 "));
    else CHECK(count(o, "HTTP/1.1 ") == 2 && strstr(o, "HTTP/1.1 200 OK"), "code %d: %s", code, o);
    free(o);
  }
  hs__ctx_free(&ctx);
  return hs_test_summary("http1");
}
