/* Unit tests of the HTTP/1 adapter + router + response writer, bytes in → bytes
 * out, with every input fed whole and split at every byte. */
#include <stdlib.h>
#include <string.h>

#include "handlers/routes.h"
#include "hs_test.h"
#include "http/response.h"
#include "server/http1/http1.h"

static hs__config_t cfg;
static hs__ctx_t ctx;

static int max_produce = 100000; /* producer calls per run (a test may lower it) */
static int produce_calls;        /* made by the last run() */
static size_t run_len;           /* output bytes of the last run() */

/* Feeds `in` in pieces of `step` bytes (0 = all at once); returns the output
 * (malloc'd, NUL-terminated) and whether the adapter asked to close. A
 * suspended exchange runs on a simulated clock: its producer is called at the
 * time it asked for once the input is all in (or the read buffer is full). */
static char *run(const char *in, size_t len, size_t step, int *closed) {
  hs__h1_t h;
  hs__h1_init(&h, &ctx, "192.0.2.1");
  ctx.now_ms = 1000000;
  produce_calls = 0;
  size_t off = 0;
  unsigned f = 0;
  hs__buf_t all;
  hs__buf_init(&all, NULL);
  while (!(f & HS_H1_CLOSE)) {
    size_t avail = 0;
    char *p = off < len ? hs__h1_rbuf(&h, &avail) : NULL;
    size_t n = step ? step : len - off;
    if (n > len - off)
      n = len - off;
    if (n > avail)
      n = avail;
    if (n == 0) {
      if (!hs__h1_suspended(&h) || produce_calls >= max_produce)
        break;
      produce_calls++;
      if (ctx.now_ms < hs__h1_wake(&h))
        ctx.now_ms = hs__h1_wake(&h);
      f = hs__h1_produce(&h);
    } else {
      memcpy(p, in + off, n);
      off += n;
      f = hs__h1_feed(&h, n);
    }
    hs__buf_append(&all, h.out.base ? h.out.base : "", h.out.len);
    h.out.len = 0;
    hs__h1_release_idle(&h);
  }
  if (closed)
    *closed = (f & HS_H1_CLOSE) != 0;
  run_len = all.len;
  hs__buf_append(&all, "", 1);
  hs__h1_free(&h);
  return all.base;
}

/* Occurrences of needle in s. memmem over a length measured once: strstr in
 * a loop rescans the rest of s (ASan's interceptor takes its strlen on every
 * call), which made the 100,000-event /sse check take minutes under ASan. */
static int count(const char *s, const char *needle) {
  int n = 0;
  size_t nl = strlen(needle);
  const char *end = s + strlen(s);
  for (const char *p = s; (p = memmem(p, (size_t)(end - p), needle, nl)); p++)
    n++;
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

/* Runs `in` whole; returns the output (caller frees). */
static char *run1(const char *in, int *closed) { return run(in, strlen(in), 0, closed); }

/* CORS as httpbin: every response, and the preflight answer for OPTIONS. */
HS_TEST(cors) {
  char *o = run1(GET("/status/418"), NULL);
  CHECK(strstr(o, "Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Credentials: true\r\n") &&
            !strstr(o, "Access-Control-Allow-Methods"),
        "plain CORS: %s", o);
  free(o);
  o = run1("GET /nope HTTP/1.1\r\nHost: t\r\nOrigin: http://a.b\r\n\r\n", NULL);
  CHECK(strstr(o, " 404 ") && strstr(o, "Access-Control-Allow-Origin: http://a.b\r\n"),
        "origin echoed: %s", o);
  free(o);
  o = run1("OPTIONS /status/200 HTTP/1.1\r\nHost: t\r\nOrigin: http://a.b\r\n"
           "Access-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: X-A, X-B\r\n\r\n",
           NULL);
  CHECK(strncmp(o, "HTTP/1.1 200 OK\r\n", 17) == 0 &&
            strstr(o, "Access-Control-Allow-Methods: GET, POST, PUT, DELETE, PATCH, OPTIONS\r\n") &&
            strstr(o, "Access-Control-Max-Age: 3600\r\n") &&
            strstr(o, "Access-Control-Allow-Headers: X-A, X-B\r\n") &&
            strstr(o, "Content-Length: 0\r\n\r\n"),
        "preflight on /status: %s", o);
  free(o);
  o = run1("OPTIONS /status/200 HTTP/1.1\r\nHost: t\r\n\r\n",
           NULL); /* not a preflight: the handler */
  CHECK(strncmp(o, "HTTP/1.1 200 OK", 15) == 0 && strstr(o, "Access-Control-Max-Age: 3600\r\n"),
        "%s", o);
  free(o);
  o = run1("OPTIONS /stream/2 HTTP/1.1\r\nHost: t\r\n\r\n", NULL);
  CHECK(strncmp(o, "HTTP/1.1 200 OK", 15) == 0 && strstr(o, "Allow: GET, HEAD, OPTIONS\r\n"), "%s",
        o);
  free(o);
  o = run1("OPTIONS / HTTP/1.1\r\nHost: t\r\n\r\n", NULL);
  CHECK(strncmp(o, "HTTP/1.1 204 ", 13) == 0 && strstr(o, "Access-Control-Allow-Methods"), "%s", o);
  free(o);
}

/* Responses produced over time: order, framing, HEAD, HTTP/1.0, abandoning. */

HS_TEST(delay) {
  /* a pipelined request waits behind a delayed one; both split at every byte */
  expect_io("delay then 201", GET("/delay/0.5?x=1") GET("/status/201"), "\"x\": \"1\"", 0);
  char *o = run1(GET("/delay/0.5") GET("/status/201") GET("/delay/0.25") GET("/status/202"), NULL);
  char *a = strstr(o, "HTTP/1.1 200"), *b = strstr(o, " 201 "),
       *d = a ? strstr(a + 1, "HTTP/1.1 200") : NULL, *e = strstr(o, " 202 ");
  CHECK(a && b && d && e && a < b && b < d && d < e, "pipelined order: %s", o);
  free(o);
  expect_io("delay cap", GET("/delay/11"), "HTTP/1.1 400 ", 0);
  expect_io("delay nan", GET("/delay/abc"), "HTTP/1.1 400 ", 0);
  expect_io("delay negative", GET("/delay/-1"), "HTTP/1.1 400 ", 0);
  expect_io("delay 404", GET("/delay/1/2"), "HTTP/1.1 404 ", 0);
  expect_io("delay go duration", GET("/delay/250ms"), "HTTP/1.1 200 OK", 0);
}

HS_TEST(stream) {
  int c = 0;
  char *o = run1(GET("/stream/3"), &c);
  CHECK(strstr(o, "Transfer-Encoding: chunked\r\n") && count(o, "{\"url\": ") == 3 &&
            strstr(o, "\"id\": 2}\n\r\n0\r\n\r\n") && !c,
        "stream/3: %s", o);
  free(o);
  o = run1("GET /stream/2 HTTP/1.0\r\n\r\n", &c);
  CHECK(!strstr(o, "Transfer-Encoding") && strstr(o, "Connection: close\r\n") && c &&
            count(o, "{\"url\": ") == 2 && !strstr(o, "\r\n0\r\n"),
        "stream 1.0: %s", o);
  free(o);
  o = run1("GET /stream/2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &c);
  CHECK(strstr(o, "Connection: close\r\n") && c, "stream 1.0 keep-alive is closed: %s", o);
  free(o);
  o = run1("HEAD /stream/3 HTTP/1.1\r\nHost: t\r\n\r\n" GET("/status/203"), &c);
  CHECK(strstr(o, "Transfer-Encoding: chunked\r\n\r\nHTTP/1.1 203 "), "HEAD stream: %s", o);
  free(o);
  o = run1(GET("/stream/0"), NULL);
  CHECK(strstr(o, "chunked\r\n\r\n0\r\n\r\n"), "stream/0: %s", o);
  free(o);
}

HS_TEST(drip) {
  int c = 0;
  char *o = run1(GET("/drip?numbytes=5&duration=1&code=201") GET("/status/202"), &c);
  CHECK(strstr(o, "HTTP/1.1 201 ") && strstr(o, "Content-Length: 5\r\n") &&
            strstr(o, "\r\n\r\n*****HTTP/1.1 202 ") && produce_calls >= 4,
        "drip: %d %s", produce_calls, o);
  free(o);
  o = run1(GET("/drip?numbytes=3&duration=0&delay=0.2"), NULL);
  CHECK(strstr(o, "Content-Length: 3\r\n") && strstr(o, "\r\n\r\n***") && produce_calls == 1,
        "drip delay: %s", o);
  free(o);
  o = run1("HEAD /drip?numbytes=7&duration=5 HTTP/1.1\r\nHost: t\r\n\r\n", NULL);
  CHECK(strstr(o, "Content-Length: 7\r\n\r\n") && !strstr(o, "\r\n\r\n*") && produce_calls == 0,
        "HEAD drip: %s", o);
  free(o);
  expect_io("drip zero", GET("/drip?numbytes=0"), "number of bytes must be positive", 0);
  expect_io("drip bad", GET("/drip?numbytes=x"), "HTTP/1.1 400 ", 0);
  expect_io("drip code", GET("/drip?code=abc"), "HTTP/1.1 400 ", 0);
  expect_io("drip 1xx", GET("/drip?code=100"), "HTTP/1.1 400 ", 0);
  expect_io("drip too long", GET("/drip?duration=8&delay=3"), "HTTP/1.1 400 ", 0);
  expect_io("drip 204", GET("/drip?code=204&numbytes=3&duration=0"), "HTTP/1.1 204 ", 0);
  /* a status the client chose gets the headers the registry requires (fuzzer find) */
  expect_io("drip 206", GET("/drip?code=206&numbytes=3&duration=0"),
            "Content-Range: bytes 0-2/3\r\n", 0);
  expect_io("drip 401", GET("/drip?code=401&duration=0"), "WWW-Authenticate: Basic", 0);
  expect_io("drip 405", GET("/drip?code=405&duration=0"), "Allow: GET, HEAD, POST", 0);
  expect_io("drip 407", GET("/drip?code=407&duration=0"), "Proxy-Authenticate: Basic", 0);
  /* 303 expects Location (RFC 9110 §15.4.4 has no MUST), like 301/302/307/308 */
  expect_io("drip 303", GET("/drip?code=303&duration=0"), "HTTP/1.1 303 See Other\r\n", 0);
  expect_io("drip 426", GET("/drip?code=426&duration=0"), "Upgrade: HTTP/2.0\r\n", 0);
}

/* abandoned half-way (client gone): freed, nothing leaks (ASan) */
HS_TEST(abandoned) {
  max_produce = 2;
  char *o = run1(GET("/drip?numbytes=10&duration=1"), NULL);
  CHECK(strstr(o, "Content-Length: 10\r\n") && !strstr(o, "**********"), "abandoned drip: %s", o);
  free(o);
  o = run1(GET("/stream/50"), NULL);
  free(o);
  max_produce = 0;
  o = run1(GET("/delay/1"), NULL);
  CHECK(o[0] == 0, "abandoned delay wrote: %s", o);
  free(o);
  max_produce = 100000;
}

HS_TEST(stream_bytes) {
  expect_io("stream-bytes", GET("/stream-bytes/40?seed=7&chunk_size=3"), "\r\n3\r\n", 0);
  char *o = run1(GET("/stream-bytes/100000?chunk_size=1"), NULL);
  {
    char *body = strstr(o, "chunked\r\n\r\n");
    size_t blen = body ? run_len - (size_t)(body + 11 - o) : 0;
    CHECK(blen == 100000 * 6 + 5 && memcmp(o + run_len - 13, "\r\n1\r\n", 5) == 0 &&
              memcmp(o + run_len - 5, "0\r\n\r\n", 5) == 0 && produce_calls > 3,
          "stream-bytes chunk 1: %zu bytes, %d calls", blen, produce_calls);
  }
  free(o);
  expect_io("stream-bytes 404", GET("/stream-bytes/x"), "HTTP/1.1 404 ", 0);
  expect_io("stream-bytes bad", GET("/stream-bytes/4?chunk_size=y"), "HTTP/1.1 400 ", 0);
}

HS_TEST(sse) {
  char *o = run1(GET("/sse?count=3&duration=300ms&delay=100ms"), NULL);
  CHECK(count(o, "event: ping\ndata: {\"id\":") == 3 && strstr(o, "text/event-stream") &&
            produce_calls == 3,
        "sse: %d %s", produce_calls, o);
  free(o);
  o = run1(GET("/sse?count=100000&duration=0"), NULL);
  CHECK(count(o, "event: ping\n") == 100000 && produce_calls > 20, "sse in slices: %d calls",
        produce_calls);
  free(o);
  expect_io("sse count", GET("/sse?count=0"), "HTTP/1.1 400 ", 0);
  expect_io("sse long", GET("/sse?duration=8s&delay=8s"), "HTTP/1.1 400 ", 0);
}

HS_TEST(jsonl) {
  char *o = run1(GET("/jsonl?count=4&duration=1&jitter=0.5"), NULL);
  CHECK(count(o, "{\"id\":") == 4 && strstr(o, "application/jsonl"), "jsonl: %s", o);
  free(o);
  expect_io("jsonl jitter", GET("/jsonl?jitter=2"), "HTTP/1.1 400 ", 0);
}

HS_TEST(trailers) {
  int c = 0;
  char *o = run1(GET("/trailers?x-a=1&X-B=two&x-a=3"), NULL);
  CHECK(strstr(o, "Trailer: X-A\r\nTrailer: X-B\r\n") &&
            strstr(o, "\r\n0\r\nX-A: 3\r\nX-B: two\r\n\r\n"),
        "trailers: %s", o);
  free(o);
  expect_io("trailers forbidden", GET("/trailers?Content-Type=x"), "HTTP/1.1 400 ", 0);
  expect_io("trailers bad name", GET("/trailers?a%20b=x"), "HTTP/1.1 400 ", 0);
  expect_io("trailers bad value", GET("/trailers?a=x%0d%0aY:%20z"), "HTTP/1.1 400 ", 0);
  o = run1("POST /trailers?a=1 HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi", &c);
  CHECK(!strstr(o, "chunked") && !strstr(o, "\r\nA: 1") && strstr(o, "\"data\": \"hi\"") && c,
        "1.0 trailers: %s", o);
  free(o);
}

HS_TEST(routing) {
  expect_io("get", GET("/status/200"), "HTTP/1.1 200 OK\r\n", 0);
  expect_io("404", GET("/nope"), "HTTP/1.1 404 Not Found\r\n", 0);
  expect_io("405", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n",
            "Allow: GET, HEAD, OPTIONS\r\n", 0);
  expect_io("options", "OPTIONS / HTTP/1.1\r\nHost: t\r\n\r\n", "HTTP/1.1 204 No Content\r\n", 0);
  expect_io("options *", "OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n", "Allow: GET, HEAD, POST", 0);
}

HS_TEST(methods) {
  expect_io("unknown method", "FROB /status/200 HTTP/1.1\r\nHost: t\r\n\r\n", "HTTP/1.1 501 ", 0);
  expect_io("lowercase method", "get / HTTP/1.1\r\nHost: t\r\n\r\n", "HTTP/1.1 501 ", 0);
  expect_io("webdav method", "PROPFIND / HTTP/1.1\r\nHost: t\r\n\r\n", "HTTP/1.1 501 ", 0);
  expect_io("bad method", "GE@T / HTTP/1.1\r\nHost: t\r\n\r\n", "HTTP/1.1 400 ", 1);
  expect_io("long method", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ / HTTP/1.1\r\n\r\n",
            "HTTP/1.1 501 ", 1);
}

HS_TEST(versions) {
  expect_io("http/3.7", "GET / HTTP/3.7\r\nHost: t\r\n\r\n", "HTTP/1.1 505 ", 1);
  expect_io("http/2.0", "GET / HTTP/2.0\r\nHost: t\r\n\r\n", "HTTP/1.1 505 ", 1);
  expect_io("http/1.x", "GET / HTTP/1.x\r\nHost: t\r\n\r\n", "HTTP/1.1 400 ", 1);
}

HS_TEST(host) {
  expect_io("no host", "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 400 ", 1);
  expect_io("two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "HTTP/1.1 400 ", 1);
  expect_io("1.0 no host", "GET /status/200 HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK\r\n", 1);
}

HS_TEST(body_framing) {
  expect_io("cl+te",
            "POST /status/200 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: "
            "chunked\r\n\r\n0\r\n\r\n",
            "HTTP/1.1 400 ", 1);
  expect_io("bad chunk",
            "POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 400 ", 1);
  expect_io("chunked ok",
            "POST /status/201 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: "
            "chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n",
            "HTTP/1.1 201 Created\r\n", 0);
}

/* RFC 9112 §7.1.1: extensions are read (whole and split at every byte: the
 * line's state survives reads), limited, and ignored; §6.1: other codings. */
HS_TEST(chunk_extensions) {
#define CHUNKED_POST "POST /status/201 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
  expect_io("two with values", CHUNKED_POST "3;a=b;c=d\r\nabc\r\n0\r\n\r\n",
            "HTTP/1.1 201 Created\r\n", 0);
  expect_io("whitespace", CHUNKED_POST "3 ; a = \"x\\\";y\"\t;\tb\r\nabc\r\n0 ;z\r\n\r\n",
            "HTTP/1.1 201 Created\r\n", 0);
  expect_io("then the next request",
            CHUNKED_POST "3;a=b;c=d\r\nabc\r\n0\r\n\r\nGET /status/202 HTTP/1.1\r\nHost: t\r\n\r\n",
            "HTTP/1.1 202 Accepted\r\n", 0);
  expect_io("no name", CHUNKED_POST "3;=b\r\nabc\r\n0\r\n\r\n", "HTTP/1.1 400 ", 1);
  expect_io("trailing space", CHUNKED_POST "3 \r\nabc\r\n0\r\n\r\n", "HTTP/1.1 400 ", 1);
  expect_io("over 64 bits", CHUNKED_POST "1ffffffffffffffff\r\n", "HTTP/1.1 400 ", 1);
  expect_io("leading zeros", CHUNKED_POST "00000000000000000000003\r\nabc\r\n0\r\n\r\n",
            "HTTP/1.1 201 Created\r\n", 0);
  char big[2048];
  memset(big, 'a', sizeof(big) - 1);
  big[sizeof(big) - 1] = 0;
  size_t saved = cfg.max_chunk_ext;
  cfg.max_chunk_ext = 1000;
  char *in = malloc(sizeof(big) + 200);
  snprintf(in, sizeof(big) + 200, CHUNKED_POST "3;%s\r\nabc\r\n0\r\n\r\n", big);
  expect_io("over the limit", in, "HTTP/1.1 413 ", 1);
  free(in);
  cfg.max_chunk_ext = saved;
  expect_io("gzip, chunked",
            "POST /status/201 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
            "0\r\n\r\n",
            "HTTP/1.1 501 ", 1);
#undef CHUNKED_POST
}

HS_TEST(header_syntax) {
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
}

HS_TEST(limits) {
  expect_io(
      "414",
      "GET /status/200?aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
      "HTTP/1.1\r\nHost: t\r\n\r\n",
      "HTTP/1.1 414 ", 1);
  expect_io("431 count",
            "GET / HTTP/1.1\r\nHost: t\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\nF: 1\r\nG: "
            "1\r\nH: 1\r\n\r\n",
            "HTTP/1.1 431 ", 1);
  {
    char big[1024];
    snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nHost: t\r\nX: %0600d\r\n\r\n", 0);
    expect_io("431 size", big, "HTTP/1.1 431 ", 1);
  }
  expect_io("413 cl", "POST /status/200 HTTP/1.1\r\nHost: t\r\nContent-Length: 33\r\n\r\n",
            "HTTP/1.1 413 ", 1);
  expect_io("413 chunked",
            "POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n21\r\n",
            "HTTP/1.1 413 ", 1);
}

HS_TEST(expect) {
  expect_io("417", GET("/status/200") "", "HTTP/1.1 200", 0);
  expect_io("417 no body", "GET /status/200 HTTP/1.1\r\nHost: t\r\nExpect: foo\r\n\r\n",
            "HTTP/1.1 417 ", 0);
  expect_io("417 body",
            "PUT /status/200 HTTP/1.1\r\nHost: t\r\nExpect: foo\r\nContent-Length: 5\r\n\r\n",
            "HTTP/1.1 417 ", 1);
  expect_io(
      "100-continue",
      "PUT /status/201 HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi",
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n", 0);
  expect_io("100-continue refused",
            "PUT /nope HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n",
            "HTTP/1.1 404 ", 1);
}

HS_TEST(interim_1xx) {
  expect_io("interim 103", GET("/status/103"), "HTTP/1.1 103 Early Hints\r\nLink: ", 0);
  expect_io("no 1xx for 1.0", "GET /status/103 HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK\r\n", 1);
  {
    char *o = run("GET /status/103 HTTP/1.0\r\n\r\n", 27, 0, NULL);
    CHECK(!strstr(o, " 103 "), "1.0 got a 1xx: %s", o);
    free(o);
  }
}

HS_TEST(connection) {
  expect_io("1.0 keep-alive", "GET /status/200 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            "Connection: keep-alive\r\n", 0);
  expect_io("close", "GET /status/200 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
            "Connection: close\r\n", 1);
}

HS_TEST(status_params) {
  expect_io("weighted", GET("/status/200:0,404:1"), "HTTP/1.1 404 ", 0);
  expect_io("invalid code", GET("/status/abc"), "HTTP/1.1 400 ", 0);
  expect_io("retry-after", GET("/status/429?retry_after=42"), "Retry-After: 42\r\n", 0);
}

HS_TEST(absolute_form) {
  expect_io("absolute-form", "GET http://example.com/status/202 HTTP/1.1\r\nHost: t\r\n\r\n",
            "HTTP/1.1 202 ", 0);
}

HS_TEST(status_101) {
  expect_io("101 without upgrade", GET("/status/101"), "HTTP/1.1 400 ", 0);
  expect_io(
      "101",
      "GET /status/101 HTTP/1.1\r\nHost: t\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n",
      "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n", 1);
}

/* pipelining: three requests in one read → three responses, in order */
HS_TEST(pipelining) {
  const char *in = GET("/status/201") GET("/status/202") GET("/status/203");
  char *o = run(in, strlen(in), 0, NULL);
  char *a = strstr(o, " 201 "), *b = strstr(o, " 202 "), *c = strstr(o, " 203 ");
  CHECK(a && b && c && a < b && b < c, "pipelining order: %s", o);
  free(o);
}

/* HEAD: headers of GET, no content */
HS_TEST(head) {
  char *g = run(GET("/status/200"), strlen(GET("/status/200")), 0, NULL);
  const char *hin = "HEAD /status/200 HTTP/1.1\r\nHost: t\r\n\r\n";
  char *h = run(hin, strlen(hin), 0, NULL);
  char *ge = strstr(g, "\r\n\r\n"), *he = strstr(h, "\r\n\r\n");
  CHECK(ge && he && (ge - g) == (he - h) && he[4] == 0, "HEAD differs:\n%s\n%s", g, h);
  free(g);
  free(h);
}

/* no-content codes: no body; 1xx/204 without Content-Length */
HS_TEST(no_content) {
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
HS_TEST(every_code) {
  for (int code = 100; code <= 599; code++) {
    char in[128], want[32];
    snprintf(in, sizeof(in), "GET /status/%d HTTP/1.1\r\nHost: t\r\nUpgrade: x\r\n\r\n", code);
    snprintf(want, sizeof(want), "HTTP/1.1 %d ", code);
    int c = 0;
    char *o = run(in, strlen(in), 0, &c);
    CHECK(strncmp(o, want, strlen(want)) == 0, "code %d: %.60s", code, o);
    if (code >= 200 || code == 101)
      CHECK(count(o, "HTTP/1.1 ") == 1, "code %d: %d responses", code, count(o, "HTTP/1.1 "));
    else
      CHECK(count(o, "HTTP/1.1 ") == 2 && strstr(o, "HTTP/1.1 200 OK"), "code %d: %s", code, o);
    free(o);
  }
}

static const hs_test_case_t cases[] = {
    HS_CASE(routing),       HS_CASE(methods),      HS_CASE(versions),
    HS_CASE(host),          HS_CASE(body_framing), HS_CASE(chunk_extensions),
    HS_CASE(header_syntax), HS_CASE(limits),       HS_CASE(expect),
    HS_CASE(interim_1xx),   HS_CASE(connection),   HS_CASE(status_params),
    HS_CASE(absolute_form), HS_CASE(status_101),   HS_CASE(pipelining),
    HS_CASE(head),          HS_CASE(no_content),   HS_CASE(every_code),
    HS_CASE(cors),          HS_CASE(delay),        HS_CASE(stream),
    HS_CASE(drip),          HS_CASE(abandoned),    HS_CASE(stream_bytes),
    HS_CASE(sse),           HS_CASE(jsonl),        HS_CASE(trailers),
};

int main(int argc, char **argv) {
  hs__config_defaults(&cfg);
  cfg.max_uri = 64;
  cfg.max_header_size = 512;
  cfg.max_headers = 8;
  cfg.max_body = 32;
  hs__ctx_init(&ctx, &cfg, hs__handler_routes);
  int rc = hs_test_main(argc, argv, cases, HS_COUNT(cases));
  hs__ctx_free(&ctx);
  return rc;
}
